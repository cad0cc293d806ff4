import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
# Editors' messages are Chinese unless asked otherwise; the tests (and the commands they
# start) speak the default whatever this machine's locale is, and ask for English by name.
os.environ["NEWSROOM_LANG"] = "zh"


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory):
    """The sample content built once per test run: ``(output_path, log)``."""
    from sitebuild import build_site

    return build_site(tmp_path_factory.mktemp("sample"))
