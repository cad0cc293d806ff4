"""Text analysis and editor tools for the union daily's static site.

Nothing in this package imports Pelican: the plugins under ``plugins/`` and the
command line (``python -m newsroom``) both build on it.
"""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

__all__ = ["DATA_DIR"]
