"""Who has which article open, and which version of it each open page started from.

An open editor page reports itself every :data:`HEARTBEAT_S` seconds; a page that has not
reported for :data:`GONE_S` seconds has left. Editors on one article are told about each
other, and so is an editor who has it open in another tab. Each page's starting version
(the file's SHA-256 when Decap loaded it) is kept so that a save made over a newer save is
refused instead of silently replacing it.

A page is its **tab**: every load of the desk's page makes a tab id of its own
(``static/boot.js``) and sends it with each request (the ``X-Desk-Tab`` header). The
starting version is kept per tab, not per editor: one editor with the article open in two
tabs saves in the first, and the second tab's older form is then refused like anyone
else's. A request without a tab id (a script, an older page) counts as one tab per editor.
"""

import re
import threading
import time

HEARTBEAT_S = 20
GONE_S = 60
TAB_HEADER = "X-Desk-Tab"
TAB_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def tab_key(editor, tab):
    """Whose starting versions a request reads and writes: its tab, or its editor when the
    request names no (well-formed) tab."""
    return f"tab:{tab}" if tab and TAB_ID.match(tab) else f"editor:{editor}"


class Presence:
    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self._seen = {}  # path -> {tab key: (editor, first seen, last seen)}
        self._base = {}  # (path, tab key) -> SHA-256 of the version that tab loaded
        self._lock = threading.Lock()

    def here(self, path, editor, tab=None):
        """``editor``'s tab ``tab`` has ``path`` open; returns the others there (other
        editors, and this editor's other tabs), longest first:
        ``[{"editor": name, "seconds": how long they have had it open, "same_editor": bool}]``."""
        key = tab_key(editor, tab)
        now = self.clock()
        with self._lock:
            tabs = self._seen.setdefault(path, {})
            _, first, _ = tabs.get(key, (editor, now, now))
            tabs[key] = (editor, first, now)
            for other, (_, _, last) in list(tabs.items()):
                if now - last > GONE_S:
                    del tabs[other]
            others = sorted((first, name) for other, (name, first, _) in tabs.items() if other != key)
        return [{"editor": name, "seconds": int(now - first), "same_editor": name == editor} for first, name in others]

    def left(self, path, editor, tab=None):
        with self._lock:
            self._seen.get(path, {}).pop(tab_key(editor, tab), None)

    def loaded(self, path, editor, version, tab=None):
        """``editor``'s tab ``tab`` loaded ``path`` as it was at ``version`` (None: it did not exist)."""
        with self._lock:
            self._base[(path, tab_key(editor, tab))] = version

    def base(self, path, editor, tab=None):
        """The version ``editor``'s tab ``tab`` started from, or ``False`` when unknown."""
        with self._lock:
            return self._base.get((path, tab_key(editor, tab)), False)
