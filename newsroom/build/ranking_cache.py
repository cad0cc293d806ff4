"""Keyword rankings kept from one build to the next, re-ranked only where they can differ.

An article's keywords are ``rank_keywords(candidates, corpus, top_k, exclude, district)``
(:mod:`newsroom.text.keywords`). The ranking reads the catalogue's statistics only
through ``corpus.idf(term)`` for the article's own candidate terms, and that is a function
of the code and data, the number of articles counted (``n_docs``), ``prior_docs`` and the
term's document frequency. So a ranking from the last build still holds, exactly, when the
article's text (its candidates), the editor's tags, its district, ``top_k``, ``n_docs`` and
``prior_docs`` are the same and none of its candidate terms changed document frequency.

After one edited article only the terms whose frequency that edit changed are re-read:
the articles holding one of them are ranked again, every other ranking is the last
build's. When ``n_docs`` changes (an article added, deleted, published or held back)
every term's IDF moves, and every article is ranked again: the statistics are the whole
published catalogue's, as a clean build computes them, never a frozen copy.

The file is named by the code and data the rankings were made with (a change to either
ranks everything again); a file that cannot be read is no file.
"""

from pathlib import Path

from newsroom.build import marshal_file

FOLDER = "keywords"
VERSION = 2  # 2: the district is part of an entry


class RankingCache:
    """``CACHE/keywords/ranking-<fingerprint>``: the statistics of the last build and
    each article's ranking under them."""

    def __init__(self, path):
        self.path = Path(path) if path else None
        self.stats = None  # (n_docs, prior_docs, df) of the last build
        self.entries = {}  # article -> (text key, exclude, top_k, terms, district)
        self.new_entries = {}
        self.reranked = 0
        self.kept = 0
        data = marshal_file.load(self.path, VERSION)
        if data is not None:
            try:
                self.stats = (data["n_docs"], data["prior_docs"], data["df"])
                self.entries = data["entries"]
            except KeyError:  # a file of this version lacking a field is no file
                self.stats = None

    @classmethod
    def open(cls, cache_path, fingerprint):
        """The cache for the code and data named by ``fingerprint`` (None: no cache)."""
        return cls(marshal_file.path_for(cache_path, FOLDER, "ranking", fingerprint))

    def changed_terms(self, corpus):
        """The terms whose IDF may differ from the last build's; None when all may
        (no last build, or another number of articles)."""
        if self.stats is None:
            return None
        n_docs, prior_docs, df = self.stats
        if n_docs != corpus.n_docs or prior_docs != corpus.prior_docs:
            return None
        now = corpus.df
        changed = {term for term, count in now.items() if df.get(term) != count}
        changed.update(term for term in df if term not in now)
        return changed

    def ranker(self, corpus, rank):
        """``keywords(article, text_key, candidates, top_k, exclude, district)`` -> the ranked
        terms: the last build's where they still hold, else ``rank(candidates, corpus, top_k,
        exclude, district)``'s terms."""
        changed = self.changed_terms(corpus)
        entries = self.entries if changed is not None else {}
        self.new_stats = (corpus.n_docs, corpus.prior_docs, dict(corpus.df))

        def keywords(article, text_key, candidates, top_k, exclude, district=""):
            exclude = tuple(exclude)
            found = entries.get(article)
            if (found is not None and found[0] == text_key and tuple(found[1]) == exclude and found[2] == top_k
                    and found[4] == district and changed.isdisjoint(candidates)):
                terms = found[3]
                self.kept += 1
            else:
                terms = tuple(term for term, _ in rank(candidates, corpus, top_k, exclude=list(exclude),
                                                       district=district))
                self.reranked += 1
            self.new_entries[article] = (text_key, exclude, top_k, terms, district)
            return list(terms)

        return keywords

    def save(self):
        """Keep this build's statistics and rankings (atomically; rankings of other code go)."""
        if self.path is None or not hasattr(self, "new_stats"):
            return
        n_docs, prior_docs, df = self.new_stats
        marshal_file.save(self.path, {"version": VERSION, "n_docs": n_docs, "prior_docs": prior_docs, "df": df,
                                      "entries": self.new_entries})
