"""The folders around a published site: the staging folder a build writes into, the
sweep of a recycled one, and what becomes of the site it replaces.

``newsroom build`` (:mod:`newsroom.desk.commands.build_cmd`) has Pelican write into a
staging folder of its own (``<output>.sites/.staging-<pid>-<ns>``) and makes it the
published version only after a clean build (:mod:`newsroom.build.versions`: ``output`` is
a link to the current version, replaced in one rename). A spare version (neither the
current nor the previous one, which ``newsroom rollback`` needs whole) becomes the next
build's staging folder (:func:`prepare_staging`): only the pages whose bytes changed are
written again, and :func:`sweep` removes what the new site no longer has, by the files'
ctimes between two marks of the file system's clock (:func:`build_mark`). Folders nobody
needs any more go to ``<output>.cache/trash/`` and are deleted in the background
(:func:`discard`). A staging folder left by a build that was stopped is never built into
again: it is discarded.
"""

import contextlib
import logging
import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

from newsroom.build import versions

log = logging.getLogger(__name__)

TRASH = "trash"  # old sites being deleted in the background (discard)
BUILD_MARK = ".build-started"  # its ctime: the file system's time at a point of the build
# What builds before the versioned layout left beside the output (discarded once).
LEGACY = (".staging", ".old")
LEGACY_RECYCLE = "recycle"


def relative_to(folder):
    """``os.path.relpath(path, folder)`` as a function of ``path``, for many paths: a path
    inside the folder (normalised, it starts with the folder's absolute path and a
    separator) is cut from it once normalised, which is what ``relpath`` returns for it
    (it compares the two paths' components); any other goes through ``relpath``.
    ``relpath`` makes both absolute and splits them on every call: for the ~6,000 pages
    of a 2,000-article site (the sitemap, the writer's listing of what it wrote) that was
    ~0.2 CPU-s a build."""
    if not os.path.isabs(folder):  # made absolute now, it could differ from relpath's later
        return lambda path: os.path.relpath(path, folder)
    inside = os.path.join(os.path.abspath(folder), "")

    def relative(path):
        normal = os.path.abspath(path)
        if path and inside != os.sep and normal.startswith(inside) and len(normal) > len(inside):
            return normal[len(inside):]
        return os.path.relpath(path, folder)

    return relative


def prepare_staging(output, cache):
    """``(staging folder, recycled)``: a new staging folder for Pelican, recycled (True)
    from a spare version of the site when there is one and a published site beside it.

    Recycling, Pelican then rewrites only the pages whose bytes changed since that site
    and :func:`sweep` removes what it no longer has, instead of creating ~50,000 folders
    and ~46,000 files afresh for every build of a 20,000-article site (7-19 s of
    file-system work per process here). Staging folders of stopped builds are discarded
    first, never reused: a process of the stopped build could have written anything there.
    """
    output = Path(output)
    for leftover in versions.leftover_staging(output):
        discard(leftover, cache)
    for suffix in LEGACY:
        legacy = output.with_name(output.name + suffix)
        if legacy.exists():
            discard(legacy, cache)
    if (cache / LEGACY_RECYCLE).exists():
        discard(cache / LEGACY_RECYCLE, cache)
    staging = versions.staging_folder(output)
    spare = versions.spares(output)
    if spare and output.is_dir():
        try:
            os.rename(versions.sites_folder(output) / spare[-1], staging)
            return staging, True
        except OSError as error:
            log.debug("newsroom build: cannot recycle %s (%s)", spare[-1], error)
    return staging, False


def build_mark(cache):
    """The file system's time now, in ns, as the ctime of a new file in ``cache``.

    Every file this build writes, copies, links or leaves unchanged but re-stamps (the
    fastbuild writer sets the time of each page it does not rewrite) gets a ctime
    between a mark taken before Pelican starts and one taken after it ends; the ctime
    cannot be set back, so a file of the recycled staging folder with a ctime outside
    them was not made by this build (:func:`sweep`).
    """
    mark = cache / BUILD_MARK
    mark.unlink(missing_ok=True)
    mark.touch()
    return mark.stat().st_ctime_ns


def sweep(staging, since_ns, until_ns, pages=None):
    """Remove from the recycled ``staging`` folder every file (or link) whose ctime is
    not between ``since_ns`` and ``until_ns`` (the build's start and the end of Pelican's
    run) — left from the site it was, and not written by this build; a ctime after the
    end comes from a clock that was ahead when that site was built — and the folders that
    this leaves empty; returns how many files went.

    ``pages`` (a dict), when given, gets every ``.html`` file that stays, by relative POSIX
    path, with its stat (None for a link): the search index's listing of the site
    (:func:`newsroom.build.searchindex.indexed_pages`), which then need not walk and stat
    the whole site again (~1.5 CPU-s at 20,000 articles)."""
    removed = 0
    emptied = set()
    root = str(staging)
    for folder, subfolders, files in os.walk(staging, topdown=False):
        # os.walk lists a link to a folder among the folders and does not enter it.
        entries = files + [name for name in subfolders if os.path.islink(os.path.join(folder, name))]
        prefix = None
        for index, name in enumerate(entries):
            path = os.path.join(folder, name)
            st = os.lstat(path)
            if not since_ns <= st.st_ctime_ns <= until_ns:
                os.unlink(path)
                removed += 1
                emptied.add(folder)
            elif pages is not None and index < len(files) and name.endswith(".html"):
                if prefix is None:
                    relative = os.path.relpath(folder, root)
                    prefix = "" if relative == os.curdir else relative.replace(os.sep, "/") + "/"
                pages[prefix + name] = st if stat.S_ISREG(st.st_mode) else None
        # Only folders that lost something: a folder this build made stays, as in a clean build.
        if folder in emptied and folder != str(staging) and not os.listdir(folder):
            os.rmdir(folder)
            emptied.add(os.path.dirname(folder))
    return removed


def go_live(staging, output, cache, linked=()):
    """Publish the finished ``staging`` folder as the site ``output`` serves
    (:func:`newsroom.build.versions.publish`: one rename), then keep one spare version
    for the next build to recycle (without its ``linked`` folders) and discard older
    ones; returns the new version's name."""
    version = versions.publish(staging, output)
    versions.set_aside(output, cache, linked, discard=lambda folder: discard(folder, cache))
    return version


def discard(folder, cache):
    """Move ``folder`` into ``<cache>/trash/`` and delete it there in a detached process.

    Deleting the ~120,000 files and folders of a 20,000-article site took 4 s after the
    new site was already in place; readers and the editor need not wait for it. A
    deletion cut short (the machine stopped) leaves its folder in the trash, which the
    next build sends to the same fate. Where the move or the process cannot be made,
    the folder is deleted here and now.
    """
    trash = cache / TRASH
    try:
        trash.mkdir(parents=True, exist_ok=True)
        target = Path(tempfile.mkdtemp(prefix="old-", dir=trash))
        os.rename(folder, target / folder.name)
    except OSError as error:
        log.debug("newsroom build: removing %s here (%s)", folder, error)
        shutil.rmtree(folder)
        return
    try:
        delete_detached(target)
    except OSError as error:
        log.debug("newsroom build: removing %s here (%s)", target, error)
        shutil.rmtree(target)


def delete_detached(path):
    """Start ``rm -rf path`` in its own session: it goes on after this build returns
    (and two of them on one folder, or a folder deleted meanwhile, do no harm)."""
    subprocess.Popen(["rm", "-rf", "--", str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True)


def empty_trash(cache):
    """Delete what an earlier build's deletion left in ``<cache>/trash/`` (it was stopped)."""
    with contextlib.suppress(OSError):
        for leftover in (cache / TRASH).iterdir():
            delete_detached(leftover)


def make_room(path, root):
    """Clear the way for a new file at ``path`` inside ``root``: remove what is there, and a
    file (or link) wherever one of its folders must be, then make the folders."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.unlink(path)
    folder = os.path.dirname(path)
    blocking = folder
    while len(blocking) > len(root) and not os.path.isdir(blocking):
        if os.path.lexists(blocking):
            os.unlink(blocking)
            break
        blocking = os.path.dirname(blocking)
    os.makedirs(folder, exist_ok=True)
