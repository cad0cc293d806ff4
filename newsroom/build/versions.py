"""The published site's versions: ``output`` is a symbolic link to one of them, and a new
site goes live in one ``rename(2)``.

Layout (for ``--output output``)::

    output -> output.sites/000042        the site a web server serves (a relative link)
    output.sites/000042/                 the current version
    output.sites/000041/                 the previous one, whole: ``newsroom rollback``
    output.sites/previous -> 000041      which one that is
    output.sites/000040/                 a spare, without its search bundle: the next
                                         build's staging folder (recycled, see staging.py)
    output.sites/.staging-<pid>-<ns>/    a build in progress (never reused once interrupted)

:func:`publish` renames a finished staging folder to the next version, points a new link
at it and renames that link over ``output``: a reader, a web server or ``rsync`` sees the
old site or the new one, never a half site and never none (before, two renames left a
moment with no ``output`` at all). An ``output`` that is still a plain folder (a site
from before this layout) is exchanged with the link atomically (``renameat2`` with
``RENAME_EXCHANGE``) and kept as the previous version.

:func:`rollback` points ``output`` back at the previous version the same way, at once:
the previous site is kept whole (its search bundle too) until a later build replaces it.
"""

import ctypes
import errno
import logging
import os
import re
import shutil
import time
from pathlib import Path

log = logging.getLogger(__name__)

SITES = ".sites"  # output.sites/: the versions
PREVIOUS = "previous"  # output.sites/previous -> the version served before the current one
STAGING_PREFIX = ".staging-"
VERSION = re.compile(r"^[0-9]{6}$")
RENAME_EXCHANGE = 2  # linux/fs.h


class NoPreviousVersion(Exception):
    """``rollback`` has nothing to go back to."""


def sites_folder(output):
    return Path(output).with_name(Path(output).name + SITES)


def versions(output):
    """The version folders' names, oldest first."""
    sites = sites_folder(output)
    try:
        names = [entry.name for entry in os.scandir(sites)
                 if VERSION.match(entry.name) and entry.is_dir(follow_symlinks=False)]
    except FileNotFoundError:
        return []
    return sorted(names)


def _target_version(link, sites):
    """The version a link in ``sites``' parent (or in ``sites``) points at, or None."""
    try:
        target = os.readlink(link)
    except OSError:
        return None
    name = Path(target).name
    folder = Path(link).parent / target
    if VERSION.match(name) and folder.parent.resolve() == sites.resolve() and folder.is_dir():
        return name
    return None


def current(output):
    """The version ``output`` points at, or None (no site yet, or a plain folder)."""
    return _target_version(output, sites_folder(output))


def previous(output):
    """The version served before the current one, when it is still there."""
    sites = sites_folder(output)
    return _target_version(sites / PREVIOUS, sites)


def staging_folder(output):
    """A new staging folder's path: unique to this build, so that no other process (a
    killed build's child, had it survived) can be writing into it."""
    sites = sites_folder(output)
    sites.mkdir(parents=True, exist_ok=True)
    return sites / f"{STAGING_PREFIX}{os.getpid()}-{time.time_ns()}"


def leftover_staging(output):
    """Staging folders of builds that were stopped (the caller holds the build lock, so no
    build is running): never built into again."""
    sites = sites_folder(output)
    try:
        return sorted(sites / entry.name for entry in os.scandir(sites) if entry.name.startswith(STAGING_PREFIX))
    except FileNotFoundError:
        return []


def spares(output):
    """Versions that are neither current nor previous, oldest first."""
    keep = {current(output), previous(output)}
    return [name for name in versions(output) if name not in keep]


def _point(link, target):
    """Make ``link`` point at ``target`` (relative) in one rename over whatever is there."""
    link = Path(link)
    temporary = link.with_name(f"{link.name}.new-{os.getpid()}")
    if os.path.lexists(temporary):
        os.unlink(temporary)
    os.symlink(target, temporary)
    os.rename(temporary, link)


def exchange(first, second):
    """Swap two paths atomically (``renameat2(RENAME_EXCHANGE)``); False where the kernel
    or file system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(str(first)), at_fdcwd, os.fsencode(str(second)), RENAME_EXCHANGE)
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(error, os.strerror(error), str(first))


def publish(staging, output):
    """Make the finished ``staging`` folder the site ``output`` serves; returns its version.

    The folder is renamed to the next version, then a new link to it is renamed over
    ``output``: one ``rename(2)``, which readers see all at once. The version served
    until now becomes the previous one (kept whole for :func:`rollback`).
    """
    output = Path(output)
    sites = sites_folder(output)
    numbers = [int(name) for name in versions(output)]
    plain_folder = output.is_dir() and not output.is_symlink()
    number = max(numbers, default=0) + (2 if plain_folder else 1)
    version = f"{number:06d}"
    os.rename(staging, sites / version)
    served = current(output)
    target = os.path.join(sites.name, version)
    if plain_folder:
        served = f"{number - 1:06d}"
        link = output.with_name(f"{output.name}.new-{os.getpid()}")
        if os.path.lexists(link):
            os.unlink(link)
        os.symlink(target, link)
        if exchange(link, output):  # output is now the link; `link` names the old folder
            os.rename(link, sites / served)
        else:
            log.info("newsroom build: cannot exchange %s atomically; moving it aside first", output)
            os.rename(output, sites / served)
            os.rename(link, output)
    else:
        _point(output, target)
    if served:
        _point(sites / PREVIOUS, served)
    return version


def set_aside(output, cache, linked=(), discard=None):
    """After :func:`publish`: of the versions neither current nor previous, keep the newest
    as the next build's spare and hand the others to ``discard(folder)``.

    Every such version first loses its ``linked`` folders, here and now: their files are
    hard links to the same cached files as the new site's (the search bundle), and removing
    a link changes the file's ctime, which the up-to-date stamp records; it must settle
    before the stamp is taken (a deletion in the background would change it later).
    """
    sites = sites_folder(output)
    names = spares(output)
    for name in names:
        for folder in linked:
            shutil.rmtree(sites / name / folder, ignore_errors=True)
    for name in names[:-1]:
        if discard is not None:
            discard(sites / name)
        else:
            shutil.rmtree(sites / name)


def rollback(output):
    """Serve the previous version again, in one rename; the version served until now
    becomes the previous one (a second rollback goes forward again). Returns
    ``(now served, set aside)``."""
    output = Path(output)
    sites = sites_folder(output)
    back, served = previous(output), current(output)
    if back is None or served is None:
        raise NoPreviousVersion(str(output))
    _point(output, os.path.join(sites.name, back))
    _point(sites / PREVIOUS, served)
    return back, served
