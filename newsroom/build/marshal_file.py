"""A cache file of plain data kept between builds: marshal, a version, written atomically.

One file per fingerprint (the code and data its contents were made with): saving one
removes its siblings of other fingerprints, and a file that is missing, of another version
or unreadable is no file (the build computes everything again).
"""

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


def load(path, version):
    """The dict saved at ``path`` with ``version``; None when there is none to use."""
    if path is None:
        return None
    try:
        data = marshal.loads(Path(path).read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError, EOFError, TypeError) as error:
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
        temporary.write_bytes(marshal.dumps(data))
        os.replace(temporary, path)
    except (OSError, ValueError) as error:
        log.warning("%s", messages.text("build.cache_unwritable", path=path, reason=messages.os_error(error)
                                        if isinstance(error, OSError) else error))
