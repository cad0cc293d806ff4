"""A cache file of plain data kept between builds: marshal, a version, written atomically.

One file per fingerprint (the code and data its contents were made with): saving one
removes its siblings of other fingerprints, and a file that is missing, of another version
or unreadable is no file (the build computes everything again).

The marshal payload follows its SHA-256 (:func:`dumps`, :func:`loads`): a damaged file is
never handed to marshal, which trusts the lengths it reads (one flipped length byte can ask
for gigabytes: a review's finding in session 15). Every marshal file the build, the desk
and the deploy keep between runs goes through them (those of :func:`load` and :func:`save`,
the check cache, the search blocks, the up-to-date and content stamps, the render record and
site manifests, the release heads, the deploy's hashes), so that one damaged, cut short or
written by a version before the digest is no file; the jieba tables of
:mod:`newsroom.text.segment` are kept apart (see there).
"""

import hashlib
import logging
import marshal
import os
from pathlib import Path

from newsroom import messages

log = logging.getLogger(__name__)


def path_for(cache_path, folder, prefix, fingerprint):
    """``CACHE/<folder>/<prefix>-<fingerprint>``, or None when there is no cache or fingerprint."""
    if not fingerprint or not cache_path:
        return None
    return Path(cache_path) / folder / f"{prefix}-{fingerprint}"


DIGEST_SIZE = 32


def dumps(data):
    """``data`` as a cache file holds it: the SHA-256 of its marshal bytes, then those bytes."""
    payload = marshal.dumps(data)
    return hashlib.sha256(payload).digest() + payload


def loads(raw):
    """What :func:`dumps` wrote, or None when ``raw`` is damaged, cut short, of the format
    before the digest, or anything marshal will not read."""
    digest, payload = raw[:DIGEST_SIZE], raw[DIGEST_SIZE:]
    if len(raw) <= DIGEST_SIZE or hashlib.sha256(payload).digest() != digest:
        return None
    try:
        return marshal.loads(payload)
    except Exception:  # noqa: BLE001 - whatever is wrong with a cache, computing afresh is right
        return None


def load(path, version):
    """The dict saved at ``path`` with ``version``; None when there is none to use."""
    if path is None:
        return None
    try:
        data = loads(Path(path).read_bytes())
    except FileNotFoundError:
        return None
    except OSError as error:
        log.debug("ignoring an unreadable cache file %s (%s)", path, error)
        return None
    if isinstance(data, dict) and data.get("version") == version:
        return data
    return None


def save(path, data):
    """Write ``data`` to ``path`` atomically and remove the files of other fingerprints
    beside it (the same name before the first ``-``); a cache that cannot be written is a warning."""
    if path is None:
        return
    path = Path(path)
    prefix = path.name.split("-", 1)[0]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(f"{prefix}-*"):
            if old != path:
                old.unlink()
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(dumps(data))
        os.replace(temporary, path)
    except (OSError, ValueError) as error:
        log.warning("%s", messages.text("build.cache_unwritable", path=path, reason=messages.os_error(error)
                                        if isinstance(error, OSError) else error))
