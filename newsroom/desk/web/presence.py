"""Who has which article open, and which version of it each editor started from.

An open editor page reports itself every :data:`HEARTBEAT_S` seconds; an editor whose
page has not reported for :data:`GONE_S` seconds has left. Two editors on one article are
told about each other. Each editor's starting version (the file's SHA-256 when Decap
loaded it) is kept so that a save made over another editor's newer save is refused
instead of silently replacing it.
"""

import threading
import time

HEARTBEAT_S = 20
GONE_S = 60


class Presence:
    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self._seen = {}  # path -> {editor: (first seen, last seen)}
        self._base = {}  # (path, editor) -> SHA-256 of the version the editor loaded
        self._lock = threading.Lock()

    def here(self, path, editor):
        """``editor`` has ``path`` open; returns the other editors there, longest first:
        ``[{"editor": name, "seconds": how long they have had it open}]``."""
        now = self.clock()
        with self._lock:
            editors = self._seen.setdefault(path, {})
            first, _ = editors.get(editor, (now, now))
            editors[editor] = (first, now)
            for name, (_, last) in list(editors.items()):
                if now - last > GONE_S:
                    del editors[name]
            others = [(first, name) for name, (first, _) in editors.items() if name != editor]
        return [{"editor": name, "seconds": int(now - first)} for first, name in sorted(others)]

    def left(self, path, editor):
        with self._lock:
            self._seen.get(path, {}).pop(editor, None)

    def loaded(self, path, editor, version):
        """``editor`` loaded ``path`` as it was at ``version`` (None: it did not exist)."""
        with self._lock:
            self._base[(path, editor)] = version

    def base(self, path, editor):
        """The version ``editor`` started from, or ``False`` when unknown."""
        with self._lock:
            return self._base.get((path, editor), False)
