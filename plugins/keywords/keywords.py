"""keywords: every article's keywords, merged into its tags, and its 相关报道.

On ``article_generator_pretaxonomy`` (before Pelican builds the tag lists):

1. each article's keyword candidates (``newsroom.text.keywords.candidate_terms`` on the
   source file's title and body without HTML comments, as ``python -m newsroom analyze``
   reads them) come from
   a cache keyed by the content hash under ``CACHE_PATH/keywords/``; only new or changed
   articles are analysed, and jieba's dictionary is loaded once per process;
2. document frequencies over the published catalogue (``newsroom.text.keywords.Corpus``);
3. ``article.keywords`` (list of str, also ``metadata["keywords"]``): the editor's
   ``Tags`` first, then the top ``KEYWORDS_TOP_K`` extracted terms; extracted terms
   found on at least ``KEYWORDS_TAG_MIN_ARTICLES`` articles become Tag objects in
   ``article.tags``, so Pelican's tag pages and the tag index list them;
4. ``article.related``: up to ``KEYWORDS_RELATED_MAX`` published articles
   (``newsroom.text.related``), never the article itself, never a draft.

On ``article_generator_finalized`` it adds ``keyword_ranking`` (tags with their article
counts, most used first) to the context for ``tags.html``.
"""

import hashlib
import logging
import re
from html import unescape
from collections import Counter
from pathlib import Path

from pelican import signals
from pelican.urlwrappers import Tag

from newsroom.text import keywords as kw
from newsroom.text import segment
from newsroom.paper import analysis
from newsroom.paper.content import ContentError, read_source
from newsroom.build import marshal_file
from newsroom.build.ranking_cache import RankingCache
from newsroom.build.related_cache import RelatedCache
from newsroom.build.parallel import available_workers, fork_map
from newsroom.text.related import MAX_POSTING, Entry, related_articles
from newsroom.text.slugs import pinyin_slug
from newsroom import messages

logger = logging.getLogger(__name__)

DEFAULTS = {
    "KEYWORDS_TOP_K": 8,  # extracted keywords per article, after the editor's Tags
    "KEYWORDS_RELATED_MAX": 5,  # 相关报道 per article
    # An extracted keyword becomes a tag (tag page, tag index) when this many published
    # articles have it; raise it to 2 for a very large archive to skip one-article tag pages.
    "KEYWORDS_TAG_MIN_ARTICLES": 1,
}
CACHE_FOLDER = "keywords"


def setting(settings, name):
    """A whole-number setting >= 0; a bad value is logged and the default used."""
    value = settings.get(name, DEFAULTS[name])
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        logger.error(
            "keywords: %s must be a whole number of 0 or more, not %r; using %d. Fix it in pelicanconf.py.",
            name, value, DEFAULTS[name],
        )
        return DEFAULTS[name]
    return value


def content_key(title, body, district=""):
    """The cache key of an article's analysed text and the district it is filed under
    (a bare 区总工会 is that district's federation: the candidates depend on it)."""
    return district_key(analysis.text_key(title, body), district)


def district_key(text_key, district):
    """:func:`content_key` from the text's own key (:func:`newsroom.paper.analysis.text_key`)."""
    return hashlib.sha1(f"{text_key}\x00{district}".encode("utf-8")).hexdigest()


CANDIDATES_VERSION = 2  # 1: the JSON file of old (candidates-<fingerprint>.json), removed on saving


class CandidateCache:
    """``{content hash: candidates}`` in one marshal file per analysis fingerprint
    (:mod:`newsroom.build.marshal_file`; JSON took ~0.45 of a build's CPU-s at 20,000
    articles to read and write again, marshal ~0.1)."""

    def __init__(self, cache_path):
        self.folder = Path(cache_path) / CACHE_FOLDER
        self.path = self.folder / f"candidates-{kw.fingerprint()}"
        kept = marshal_file.load(self.path, CANDIDATES_VERSION)
        entries = kept.get("entries") if kept else None
        self.stored = entries if isinstance(entries, dict) else {}
        self.used = {}
        self.misses = 0
        self.on_disk = dict(self.stored)  # what save() need not write again

    def candidates(self, title, body, district=""):
        return self.candidates_of(content_key(title, body, district), (title, body, district))

    def candidates_of(self, key, text):
        """The candidates of the text whose :func:`content_key` is ``key``; ``text``
        (``(title, body, district)``) is needed only when they are not stored."""
        found = self.used.get(key)
        if found is None:
            stored = self.stored.get(key)
            if stored is None:
                self.misses += 1
                stored = dict(kw.candidate_terms(*text))
            self.used[key] = found = stored
        return Counter(found)

    def analyse_missing(self, texts):
        """Analyse, on every core, the ``(title, body, district)`` texts the cache lacks.

        jieba is loaded before the fork, so the workers share its dictionaries; the
        results are the same as one process would give (a pure function of the text).
        """
        missing = {}
        for text in texts:
            key = content_key(*text)
            if key not in self.stored:
                missing.setdefault(key, text)
        if len(missing) < 2:
            return
        # Load the tokenizers once, in the parent: whole when the texts will outrun the
        # lookup file's budget, so that the forked workers share them (else each loaded its own).
        segment.load_whole_to_cut(sum(len(title) + len(body) for title, body, _ in missing.values()))
        kw.candidate_terms("职工", "")
        found = fork_map(_candidates_of, list(missing.values()), workers=available_workers(),
                         cost=lambda text: len(text[1]))
        for key, stored in zip(missing, found):
            self.stored[key] = stored
        self.misses += len(missing)

    def save(self):
        """Keep what this build used (a removed article's entry goes); write atomically."""
        if self.used == self.on_disk:
            return
        marshal_file.save(self.path, {"version": CANDIDATES_VERSION, "entries": self.used})


def _candidates_of(text):
    return dict(kw.candidate_terms(*text))


def article_text(article):
    """Title and Markdown body from the source file, as the ``analyze`` command reads them.

    The body is ``Source.text``: editors' notes in HTML comments are not analysed.
    """
    try:
        return analysis.analysed_text(read_source(article.source_path), str(article.title))
    except (ContentError, OSError) as error:
        logger.warning("%s", messages.text("build.keywords_from_html", path=article.source_path, reason=error))
        return str(article.title), unescape(re.sub(r"<[^>]+>", " ", article._content or ""))


def article_district(article):
    """The district the article is filed under (the reader's ``District:`` or detected one)."""
    return str(getattr(article, "district", "") or "")


def editor_tags(article):
    """The Tag objects of the article's own ``Tags:`` line.

    Remembered on the article the first time: Pelican's content cache keeps the article
    object, with last build's merged tags, for an unchanged file.
    """
    if not hasattr(article, "editor_tags"):
        article.editor_tags = list(getattr(article, "tags", []) or [])
    return article.editor_tags


def assign_keywords(generator):
    settings = generator.settings
    top_k = setting(settings, "KEYWORDS_TOP_K")
    related_max = setting(settings, "KEYWORDS_RELATED_MAX")
    tag_min = setting(settings, "KEYWORDS_TAG_MIN_ARTICLES")

    published = list(generator.articles)
    others = list(generator.hidden_articles) + list(generator.drafts)
    everything = published + others
    cache = CandidateCache(settings.get("CACHE_PATH", "cache"))
    # The key the reader left (kept in Pelican's content cache with the file's metadata):
    # an article whose candidates are stored under it is not read again (reading and
    # parsing every source cost ~1 CPU-s a build at 20,000 articles); any other is read.
    keys, texts = {}, {}
    for article in everything:
        district = article_district(article)
        text_key = getattr(article, "metadata", {}).get(analysis.TEXT_KEY_FIELD)
        key = district_key(text_key, district) if isinstance(text_key, str) else None
        if key is None or key not in cache.stored:
            texts[id(article)] = text = (*article_text(article), district)
            key = content_key(*text)
        keys[id(article)] = key
    cache.analyse_missing(texts.values())
    candidates = {id(article): cache.candidates_of(keys[id(article)], texts.get(id(article)))
                  for article in everything}
    cache.save()
    logger.info("keywords: analysed %d of %d articles (the rest from the cache)", cache.misses, len(everything))

    corpus = kw.Corpus.from_candidates(candidates[id(article)] for article in published)
    # Each article's ranking reads the statistics only for its own terms: the last build's
    # ranking is kept where none of them changed frequency (newsroom/build/ranking_cache.py).
    code = settings.get("NEWSROOM_CODE_DIGEST")
    made_by = code and f"{code}-{kw.fingerprint()}"  # the code and data rankings and lists come from
    rankings = RankingCache.open(settings.get("CACHE_PATH"), made_by)
    ranked_terms = rankings.ranker(corpus, kw.rank_keywords)
    extracted = {}
    for article in everything:
        editor = [str(tag) for tag in editor_tags(article)]
        # The district the article is filed under is no keyword of it (its own index;
        # newsroom.text.keywords.own_district_forms).
        extracted[id(article)] = ranked_terms(article.source_path, keys[id(article)],
                                              candidates[id(article)], top_k, editor, article_district(article))
        article.keywords = list(dict.fromkeys(editor + extracted[id(article)]))
        article.metadata["keywords"] = article.keywords
    rankings.save()
    logger.info("keywords: ranked %d articles again (the statistics of their terms changed), kept %d rankings",
                rankings.reranked, rankings.kept)

    # Extracted keywords become tags (optionally only where they connect articles).
    shared = Counter(term for article in published for term in extracted[id(article)])
    tag_of = {}  # one Tag per term: its slug (Pelican's slugify) is computed once, not per article
    for article in everything:
        tags = list(editor_tags(article))
        slugs = {tag.slug for tag in tags}  # Tags are equal when their slugs are
        for term in extracted[id(article)]:
            if shared[term] >= tag_min:
                tag = tag_of.get(term)
                if tag is None:
                    tag = tag_of[term] = Tag(term, settings)
                if tag.slug not in slugs:
                    tags.append(tag)
                    slugs.add(tag.slug)
        article.tags = tags
        article.metadata["tags"] = tags

    entries = [
        Entry(
            key=article.source_path,
            keywords=tuple(article.keywords),
            district=str(getattr(article, "district", "") or ""),
            date=getattr(article, "date", None),
        )
        for article in published
    ]
    by_key = {article.source_path: article for article in published}
    # Only the articles sharing a keyword whose articles changed are scored again
    # (newsroom/build/related_cache.py); the rest keep the last build's lists.
    kept_lists = RelatedCache.open(settings.get("CACHE_PATH"), made_by)
    chosen = kept_lists.related(entries, related_max, MAX_POSTING, related_articles)
    kept_lists.save()
    for article in published:
        article.related = [by_key[key] for key in chosen.get(article.source_path, [])]
    for article in others:
        article.related = []


def rank_tags(generator):
    """``keyword_ranking``: ``[(tag, count)]``, most articles first, then in pinyin order.

    Pinyin, as a Chinese index is ordered (长阳镇 under c), not by code point.
    """
    ranking = sorted(((tag, len(articles)) for tag, articles in generator.tags.items()),
                     key=lambda item: (-item[1], pinyin_slug(str(item[0])), str(item[0])))
    generator.context["keyword_ranking"] = ranking


def register():
    signals.article_generator_pretaxonomy.connect(assign_keywords)
    signals.article_generator_finalized.connect(rank_tags)
