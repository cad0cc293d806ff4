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
    """The sample content built once per test run: ``(output_path, log)``, read only.

    Under xdist the workers share one build (in the run's base folder, under a lock): the
    first worker to ask builds it, the other waits and reads it, instead of spending a
    second full build of the sample (~25-70 s of a worker at load 2-10) on the same bytes.
    The build's warnings and errors go with it (``log.json``), so that ``log`` answers
    as the in-process collector does. No test may change this site: one that needs to
    builds its own."""
    import fcntl
    import json
    import logging

    from sitebuild import ErrorCollector, build_site

    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return build_site(tmp_path_factory.mktemp("sample"))
    folder = tmp_path_factory.getbasetemp().parent / "sample-site"
    folder.mkdir(exist_ok=True)
    done = folder / "log.json"
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # held while the other worker builds it
        if not done.exists():  # first here (or the first one's build failed): build it
            for old in (folder / "output", folder / "cache"):
                if old.exists():
                    import shutil

                    shutil.rmtree(old)
            output, log = build_site(folder)
            done.write_text(json.dumps([{"name": r.name, "levelno": r.levelno, "levelname": r.levelname,
                                         "msg": r.getMessage()} for r in log.records]), encoding="utf-8")
            return output, log
    log = ErrorCollector()
    log.records = [logging.makeLogRecord(record) for record in json.loads(done.read_text(encoding="utf-8"))]
    return folder / "output", log

