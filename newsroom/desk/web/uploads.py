"""Photos uploaded for an article that has not been saved with them yet.

The photo inserter writes a photo beside its article at once (``content/YYYY/MM/<article>-N.jpg``),
so that ``check`` on the unsaved text and the preview find it; but it is the article's save
that decides whether the photo stays. Until then it is **pending**: not committed, and kept
here with the tab (:mod:`.presence`) that uploaded it and the article it was meant for.

- The article's save commits every pending photo its text names, in the same commit
  (:meth:`PendingUploads.saved`), whichever tab uploaded it.
- A photo whose article was left without saving it is **abandoned** and removed: when the
  tab that uploaded it closes the article's form (:meth:`PendingUploads.left`), when that
  tab has not been heard from for :data:`TAB_GONE_S` (closed, or the browser quit), and
  when the desk stops (:meth:`PendingUploads.everything`).
- A photo is never removed while a file of the content folder names it: an article saved
  another way (a text editor) keeps its photo; nothing an editor saved is lost.
"""

import re
import threading
import time
from pathlib import Path

# Long: a tab in the background is throttled by the browser to a request a minute or less,
# and an editor may leave one open over lunch; a photo of a tab gone for this long is
# removed at the next request of any tab (or when the desk stops).
TAB_GONE_S = 2 * 3600


def names_photo(text, name):
    """Whether the article ``text`` names the photo file ``name`` (in its body or ``Photo:``)."""
    return re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])", text or "") is not None


class PendingUploads:
    def __init__(self, clock=time.monotonic, gone_s=TAB_GONE_S):
        self.clock = clock
        self.gone_s = gone_s
        self._pending = {}  # absolute photo path -> (tab key, absolute article path)
        self._seen = {}  # tab key -> last request
        self._lock = threading.Lock()

    def seen(self, key):
        """The tab ``key`` made a request (it is still open)."""
        with self._lock:
            self._seen[key] = self.clock()

    def add(self, photo, key, article):
        with self._lock:
            self._seen[key] = self.clock()
            self._pending[Path(photo)] = (key, Path(article))

    def pending(self):
        with self._lock:
            return sorted(self._pending)

    def saved(self, article, text):
        """The article ``article`` is being saved with ``text``: the pending photos beside it
        that the text names, to commit with it (they are pending no more)."""
        folder = Path(article).parent
        with self._lock:
            found = [photo for photo in self._pending
                     if photo.parent == folder and names_photo(text, photo.name)]
            for photo in found:
                del self._pending[photo]
        return found

    def left(self, key, article):
        """The tab ``key`` closed the form of ``article``: its photos for it not saved with it."""
        with self._lock:
            return self._take(lambda photo, owner: owner == (key, Path(article)))

    def gone(self):
        """The photos of tabs not heard from for :attr:`gone_s`."""
        now = self.clock()
        with self._lock:
            return self._take(lambda photo, owner: now - self._seen.get(owner[0], now) > self.gone_s)

    def everything(self):
        """Every pending photo (the desk is stopping)."""
        with self._lock:
            return self._take(lambda photo, owner: True)

    def _take(self, chosen):
        found = [photo for photo, owner in self._pending.items() if chosen(photo, owner)]
        for photo in found:
            del self._pending[photo]
        return found


def remove_abandoned(photos):
    """Delete ``photos`` unless a Markdown file beside one names it (an article saved some
    other way uses it: it stays). Returns the paths removed."""
    removed = []
    for photo in photos:
        photo = Path(photo)
        if not photo.is_file() or photo.is_symlink():
            continue
        texts = (path.read_text(encoding="utf-8", errors="replace") for path in photo.parent.glob("*.md"))
        if any(names_photo(text, photo.name) for text in texts):
            continue
        photo.unlink()
        removed.append(photo)
    return removed
