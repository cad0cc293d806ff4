"""One JSON file of results a build keeps for the next (keywords' candidate terms, topics'
classifications), named by the fingerprint of the code and data that made them.

Reading it, or writing it atomically and removing the files of other fingerprints, is the
same for every such cache. A cache that cannot be read or written costs time, never a wrong
page: the build warns (in the editor's language) and goes on without it.
"""

import json
import logging
import os

from newsroom import messages

logger = logging.getLogger(__name__)


def read(path):
    """The dict kept in ``path``; ``{}`` when there is none or it cannot be read."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        logger.warning("%s", messages.text("build.cache_unreadable", path=path, reason=messages.os_error(error)))
        return {}
    return data if isinstance(data, dict) else {}


def write(path, data, others):
    """Write ``data`` to ``path`` atomically, after removing the files matching the glob
    ``others`` beside it (the results of another fingerprint: never read again)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(others):
            if old != path:
                old.unlink()
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)
    except OSError as error:
        logger.warning("%s", messages.text("build.cache_unwritable", path=path, reason=messages.os_error(error)))
