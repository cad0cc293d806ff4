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
# One BLAS thread per process (this one, the xdist workers and every child they start), set
# before anything imports numpy. The run already keeps both cores busy (`-n 2`); OpenBLAS's
# own threads then only spin waiting for each other: the ranker fit's Newton steps
# (tests/keyword_ranker_fit.py, a 250,000 x 21 matrix product each) took ~24 CPU-s with
# them and ~1 without (2026-12-07, load 6-9), for the same weights. A value the caller set
# is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
# Likewise onnxruntime's, for the OCR (newsroom.archive.ocr_reader): test_page_scan's one
# page read ~44 CPU-s with a thread per core and ~32 with one, the same lines (2026-12-07).
os.environ.setdefault("NEWSROOM_OCR_THREADS", "1")


def run_folder(tmp_path_factory):
    """The folder every xdist worker of the run shares (the base temp folder without xdist)."""
    root = tmp_path_factory.getbasetemp()
    return root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root


@pytest.fixture(scope="session", autouse=True)
def shared_caches(tmp_path_factory):
    """The run's caches keyed by content (sitebuild.SHARED_CACHES), one folder each for every
    site the run builds, in this process and in the `newsroom build` children; a value the
    caller set is kept, and tests of a cache itself give their builds their own."""
    from sitebuild import SHARED_CACHES

    folder = run_folder(tmp_path_factory)
    for variable, name in SHARED_CACHES.items():
        os.environ.setdefault(variable, str(folder / name))


@pytest.fixture(scope="module")
def browser():
    """One Chromium (Debian's, sitecheck.browser) for a test module: a launch and close of
    Playwright and Chromium is ~1.7 CPU-s. Each test opens contexts or pages of its own."""
    from sitecheck.browser import chromium

    with chromium() as browser:
        yield browser


@pytest.fixture(scope="session", autouse=True)
def shared_bytecode_cache(tmp_path_factory):
    """Where PYTHONDONTWRITEBYTECODE is set (this machine sets it), every Python process the
    tests start (`newsroom build` and its Pelican child, previews, desks, checks: hundreds a
    run) compiled every module of the project again from source, ~0.6 of a one-article
    build's ~3.5 CPU-s. Here the children write and read their bytecode in one folder of
    the run (PYTHONPYCACHEPREFIX, shared by the xdist workers), never in the source tree;
    Python checks each .pyc against its source's mtime and size, as it does in __pycache__."""
    if not os.environ.get("PYTHONDONTWRITEBYTECODE") or os.environ.get("PYTHONPYCACHEPREFIX"):
        return  # bytecode is written as usual (in __pycache__ or where the user asked)
    del os.environ["PYTHONDONTWRITEBYTECODE"]
    os.environ["PYTHONPYCACHEPREFIX"] = str(run_folder(tmp_path_factory) / "bytecode")


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


# The files that keep a worker longest, longest first (worker seconds in a full run of
# 2026-12-07 at load 3-11, niced: test_bench 413 with BENCH_SMOKE_N=1000, test_publish 365,
# test_preview 263, test_incremental 258, test_quality 246, test_desk_browser 207, ...).
# `make test` runs `--dist loadfile --no-loadscope-reorder`: a worker takes whole files in
# this order, so that the long ones start first and the short ones fill in at the end,
# rather than in xdist's default order (files with the most tests first), which left the
# benchmark's smoke run (one test, ~400 s) and other long files for the second half.
# Only the order changes; a file not listed here runs after these, in collection order.
SLOW_FILES_FIRST = [
    "test_bench.py", "test_publish.py", "test_preview.py", "test_incremental.py", "test_quality.py",
    "test_desk_browser.py", "test_site.py", "test_build_reliability.py", "test_deploy.py", "test_recycle.py",
    "test_page_import.py", "test_schedule.py", "test_page_scan.py", "test_page_images.py", "test_fastbuild.py",
    "test_search_browser.py", "test_keywords.py", "test_search.py",
]


def pytest_collection_modifyitems(session, config, items):
    rank = {name: index for index, name in enumerate(SLOW_FILES_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: order within a file kept
