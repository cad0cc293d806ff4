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


@pytest.fixture(scope="session", autouse=True)
def shared_photo_cache(tmp_path_factory):
    """One image-pipeline cache for every site the run builds (in this process and in the
    `newsroom build` children, through NEWSROOM_PHOTOS_CACHE), shared by the xdist
    workers: the sample's photos are made once per run, not once per build. Tests of the
    cache itself give their builds a cache of their own."""
    root = tmp_path_factory.getbasetemp()
    shared = (root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root) / "photos-cache"
    os.environ.setdefault("NEWSROOM_PHOTOS_CACHE", str(shared))


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory):
    """The sample content built once per test run: ``(output_path, log)``."""
    from sitebuild import build_site

    return build_site(tmp_path_factory.mktemp("sample"))
