"""相关报道 kept from one build to the next, computed again only where they can differ.

:func:`newsroom.text.related.related_articles` gives an article the best-scored articles
among those sharing one of its keywords. Its list reads its own keywords (in order),
district and date; for each of its keywords, that keyword's posting (the published
articles carrying it, in catalogue order, with their keys, districts and dates); and the
number of published articles (each keyword's weight). So the last build's list still holds,
exactly, when the article's own fields, the count and every one of its keywords' postings
are unchanged: after one edit only the articles sharing a keyword whose posting the edit
changed are scored again. An added, deleted, published or held-back article changes the
count and every list is computed again — the statistics are the whole catalogue's, as a
clean build computes them.

The file is named by the code and data the lists were made with; one that cannot be read
is no file.
"""

import hashlib
from collections import defaultdict
from pathlib import Path

from newsroom.build import marshal_file

FOLDER = "keywords"
VERSION = 1


def _entry_text(entry):
    return repr((entry.key, tuple(entry.keywords), entry.district, entry.date))


def _digest(texts):
    return hashlib.blake2b("\x1f".join(texts).encode("utf-8", "surrogatepass"), digest_size=16).digest()


class RelatedCache:
    """``CACHE/keywords/related-<fingerprint>``: the last build's postings (as digests) and
    each article's list."""

    def __init__(self, path):
        self.path = Path(path) if path else None
        self.stored = None  # (count, limit, max_posting, {keyword: digest}, {key: (entry digest, list)})
        self.computed = 0
        self.kept = 0
        data = marshal_file.load(self.path, VERSION)
        if data is not None:
            try:
                self.stored = (data["count"], data["limit"], data["max_posting"], data["postings"], data["lists"])
            except KeyError:  # a file of this version lacking a field is no file
                self.stored = None

    @classmethod
    def open(cls, cache_path, fingerprint):
        return cls(marshal_file.path_for(cache_path, FOLDER, "related", fingerprint))

    def related(self, entries, limit, max_posting, compute):
        """``compute(entries, limit=, max_posting=, only=)``'s result for every published
        entry, with the lists that still hold taken from the last build."""
        published = [entry for entry in entries if not entry.draft]
        texts = {entry.key: _entry_text(entry) for entry in published}
        members = defaultdict(list)
        for entry in published:
            for keyword in dict.fromkeys(entry.keywords):
                members[keyword].append(texts[entry.key])
        postings = {keyword: _digest(found) for keyword, found in members.items()}
        own = {key: _digest([text]) for key, text in texts.items()}
        todo = set(texts)
        lists = {}
        if self.stored is not None and self.stored[:3] == (len(published), limit, max_posting):
            old_postings, old_lists = self.stored[3], self.stored[4]
            changed = {keyword for keyword, digest in postings.items() if old_postings.get(keyword) != digest}
            for entry in published:
                found = old_lists.get(entry.key)
                if found is not None and found[0] == own[entry.key] and changed.isdisjoint(entry.keywords):
                    lists[entry.key] = list(found[1])
                    todo.discard(entry.key)
        if todo:
            lists.update(compute(entries, limit=limit, max_posting=max_posting, only=todo))
        self.computed, self.kept = len(todo), len(texts) - len(todo)
        self.new = {"version": VERSION, "count": len(published), "limit": limit, "max_posting": max_posting,
                    "postings": postings, "lists": {key: (own[key], tuple(lists[key])) for key in texts}}
        return {key: lists[key] for key in texts}

    def save(self):
        if hasattr(self, "new"):
            marshal_file.save(self.path, self.new)
