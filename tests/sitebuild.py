"""Build real sites for tests: the project's settings, a temp output folder."""

import contextlib
import logging
import os
import shutil
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
SEED_PAGE = ROOT.parent / "shared" / "seeds" / "000_332a3af2ca99ee77.txt"


class ErrorCollector(logging.Handler):
    """Keeps the warnings and errors logged during a build."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record)

    def messages(self, level=logging.WARNING):
        return [r.getMessage() for r in self.records if r.levelno >= level]


def build_site(tmp_path, content_dir=None, settings=None, publish=False):
    """Build ``content_dir`` (default: the sample content) with the project's settings.

    Returns ``(output_path, log)`` where ``log`` is an :class:`ErrorCollector`.
    """
    from pelican import Pelican
    from pelican.settings import read_settings

    tmp_path = Path(tmp_path)
    output = tmp_path / "output"
    override = {
        "PATH": str(content_dir or ROOT / "content"),
        "OUTPUT_PATH": str(output),
        "CACHE_PATH": str(tmp_path / "cache"),
        "THEME": str(ROOT / "theme"),
        "PLUGIN_PATHS": [str(ROOT / "plugins")],
    }
    override.update(settings or {})
    config = ROOT / ("publishconf.py" if publish else "pelicanconf.py")
    pelican_settings = read_settings(str(config), override=override)
    collector = ErrorCollector()
    root_logger = logging.getLogger()
    root_logger.addHandler(collector)
    try:
        Pelican(pelican_settings).run()
    finally:
        root_logger.removeHandler(collector)
    return output, collector


# The caches keyed by content that every site the run builds shares (conftest.py sets each
# variable to a folder of the run), as on an editor's warm machine.
SHARED_CACHES = {
    # the image pipeline's photos: made once per run, not once per build
    "NEWSROOM_PHOTOS_CACHE": "photos-cache",
    # page-image tiles and clean downloads, keyed by the image's content and the code's
    # version (plugins/pageimages): each sample build cut the sample's four printed pages
    # again (~1.4 CPU-s of a sample build's ~8 with warm photos, 2026-12-07)
    "NEWSROOM_PAGEIMAGES_CACHE": "pageimages-cache",
    # compiled templates: ~0.2 CPU-s of each of the run's ~150 `newsroom build` children; the
    # keys hold each environment's compile-time settings (newsroom/build/template_cache.py),
    # so a test that changes a template or the Jinja settings gets its own entries
    "NEWSROOM_TEMPLATE_CACHE": "template-cache",
}
# What a test's `newsroom build` child keeps of the run's FASTBUILD_*/NEWSROOM_* variables:
# the language and the shared caches. Every other one is left out, so that the child builds
# as an editor's does.
KEPT_FOR_BUILDS = ("NEWSROOM_LANG", *SHARED_CACHES)


def plain_build_environment():
    """This process's environment without the FASTBUILD_* and NEWSROOM_* variables a test
    may have set, but with :data:`KEPT_FOR_BUILDS`."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("FASTBUILD_", "NEWSROOM_")) or k in KEPT_FOR_BUILDS}


def soup(path):
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "lxml")


def write_article(folder, name, text):
    """Write one fixture article (``text`` is the whole file) into ``folder``."""
    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def copy_content(tmp_path):
    """A private copy of the sample content that a test may change."""
    target = Path(tmp_path) / "content"
    shutil.copytree(ROOT / "content", target)
    return target


def copy_project(folder):
    """A private copy, in ``folder/repo``, of what a build reads from the repository
    (settings, theme, plugins, the newsroom package), so that a test may change a setting
    or a template without touching the tree others work in; run ``newsroom build`` from it."""
    copy = Path(folder) / "repo"
    copy.mkdir()
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy2(ROOT / name, copy / name)
    for name in ("theme", "plugins", "newsroom"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    if (ROOT / "node_modules").is_dir():  # the page-image viewer the build copies in (read only)
        (copy / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return copy


@contextlib.contextmanager
def language(lang):
    """Messages in ``lang`` (``zh`` or ``en``) inside the block, whatever the environment says."""
    from newsroom import messages

    messages.set_language(lang)
    try:
        yield
    finally:
        messages.set_language(None)


def has_chinese(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
