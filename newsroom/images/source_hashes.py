"""The SHA-256 of each source file, kept while the file's stat is unchanged (as git's index).

A rebuild with nothing changed must not read 5,000 photos (~750 MB) only to find every
set in the cache: the hash of a file is kept with its stat (device, inode, size, mtime
and ctime in ns) in a small JSON file and reused while that stat is exactly the same.
The change time cannot be set back by any tool, so a file with new bytes never passes for
the old one; a file changed within :data:`RACY_NS` of the start of this run is hashed
again every time (a second change in the same clock tick could keep its stat).
"""

import hashlib
import json
import os
import time
from pathlib import Path

RACY_NS = 2_000_000_000
FORMAT = 1


def _stat_key(stat):
    return [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]


class SourceHashes:
    """``sha256(path)`` for source files, from ``record`` (a JSON file) when it can be trusted."""

    def __init__(self, record):
        self.record = Path(record)
        self.started_ns = time.time_ns()
        try:
            data = json.loads(self.record.read_text(encoding="utf-8"))
            self.known = data["files"] if data.get("format") == FORMAT else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.known = {}
        self.kept = {}
        self.hashed = 0  # files read this time

    def sha256(self, path):
        """The hex SHA-256 of the file ``path``; OSError as reading raises it."""
        name = str(path)
        before = os.stat(name)
        key = _stat_key(before)
        entry = self.known.get(name)
        if isinstance(entry, list) and len(entry) == 6 and entry[:5] == key:
            self.kept[name] = entry
            return entry[5]
        digest = hashlib.sha256()
        with open(name, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        self.hashed += 1
        sha = digest.hexdigest()
        if _stat_key(os.stat(name)) == key and before.st_ctime_ns < self.started_ns - RACY_NS:
            self.kept[name] = key + [sha]
        return sha

    def save(self):
        """Write what this run used (files no longer asked for are forgotten)."""
        try:
            self.record.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.record.with_name(self.record.name + ".tmp")
            temporary.write_text(json.dumps({"format": FORMAT, "files": self.kept}), encoding="utf-8")
            os.replace(temporary, self.record)
        except OSError:
            pass  # a record not written costs the next run a rehash, nothing else
