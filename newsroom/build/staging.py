"""The folders around a published site: the staging folder a build writes into, the swap
into place, and what becomes of the site it replaces.

``newsroom build`` (:mod:`newsroom.desk.commands.build_cmd`) has Pelican write into
``<output>.staging`` and swaps it into place only after a clean build. The site it
replaces is kept in ``<output>.cache/recycle/`` and becomes the next build's staging
folder (:func:`prepare_staging`): only the pages whose bytes changed are written again,
and :func:`sweep` removes what the new site no longer has, by the files' ctimes between
two marks of the file system's clock (:func:`build_mark`). Folders nobody needs any more
go to ``<output>.cache/trash/`` and are deleted in the background (:func:`discard`).
"""

import contextlib
import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

TRASH = "trash"  # old sites being deleted in the background (discard)
RECYCLE = "recycle"  # the site the last build replaced: the next build's staging folder
BUILD_MARK = ".build-started"  # its ctime: the file system's time at a point of the build


def prepare_staging(staging, output, cache):
    """Make way for the staging folder Pelican builds into; True when it is recycled.

    The site the last build replaced (kept in ``<cache>/recycle/``) becomes the staging
    folder when there is one and a published site beside it: Pelican then rewrites only
    the pages whose bytes changed since that site and :func:`sweep` removes what it no
    longer has, instead of creating ~50,000 folders and ~46,000 files afresh for every
    build of a 20,000-article site (7-19 s of file-system work per process here). The
    staging folder is published only whole, by :func:`swap_into_place`, as before.
    """
    if staging.exists():  # left by a build that was stopped
        discard(staging, cache)
    kept = cache / RECYCLE
    if output.is_dir() and kept.is_dir():
        try:
            os.rename(kept, staging)
            return True
        except OSError as error:
            log.debug("newsroom build: cannot recycle %s (%s)", kept, error)
    if kept.exists():
        discard(kept, cache)
    return False


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


def sweep(staging, since_ns, until_ns):
    """Remove from the recycled ``staging`` folder every file (or link) whose ctime is
    not between ``since_ns`` and ``until_ns`` (the build's start and the end of Pelican's
    run) — left from the site it was, and not written by this build; a ctime after the
    end comes from a clock that was ahead when that site was built — and the folders that
    this leaves empty; returns how many files went."""
    removed = 0
    emptied = set()
    for folder, subfolders, files in os.walk(staging, topdown=False):
        # os.walk lists a link to a folder among the folders and does not enter it.
        entries = files + [name for name in subfolders if os.path.islink(os.path.join(folder, name))]
        for name in entries:
            path = os.path.join(folder, name)
            if not since_ns <= os.lstat(path).st_ctime_ns <= until_ns:
                os.unlink(path)
                removed += 1
                emptied.add(folder)
        # Only folders that lost something: a folder this build made stays, as in a clean build.
        if folder in emptied and folder != str(staging) and not os.listdir(folder):
            os.rmdir(folder)
            emptied.add(os.path.dirname(folder))
    return removed


def keep_for_recycling(folder, cache):
    """Keep the replaced site ``folder`` as the next build's staging folder (:func:`prepare_staging`)."""
    kept = cache / RECYCLE
    if kept.exists():
        discard(kept, cache)
    try:
        os.rename(folder, kept)
    except OSError as error:
        log.debug("newsroom build: not keeping %s for the next build (%s)", folder, error)
        discard(folder, cache)


def swap_into_place(staging, output, cache=None, linked=()):
    """Replace ``output`` by ``staging`` with two renames; the old site is then kept for
    the next build to recycle when ``cache`` is given (:func:`keep_for_recycling`), else
    removed.

    The old site's ``linked`` folders go first, here and now: their files are hard links
    to the same cached files as the new site's, and removing a link changes the file's
    ctime, which the up-to-date stamp records; it must settle before the stamp is taken.
    """
    old = output.with_name(output.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if output.exists():
        os.rename(output, old)
    os.rename(staging, output)
    if old.exists():
        if cache is None:
            shutil.rmtree(old)
            return
        for name in linked:
            shutil.rmtree(old / name, ignore_errors=True)
        keep_for_recycling(old, cache)


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
