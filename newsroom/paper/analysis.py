"""What the site will say about an article: the ``analyze`` contract.

``analyze_source`` returns exactly the keys ``file``, ``title``, ``keywords``,
``topics``, ``district``, ``reporters``, ``correspondents``; the plugins compute the
same values through the same functions, so the command line and the site agree.
"""

import hashlib

from newsroom.text import bylines, districts, keywords, topics
from newsroom.paper.content import ContentError, split_list

ANALYZE_KEYS = ("file", "title", "keywords", "topics", "district", "reporters", "correspondents")
# The metadata field in which the reader leaves the key of the article's analysed text
# (plugins/newsroom_reader), so that the keywords plugin need not read every source again.
TEXT_KEY_FIELD = "text_key"


def analysed_text(source, title=""):
    """``(title, body)`` of a source as keywords are computed from it (``analyze`` and the
    keywords plugin): its own title (else ``title``) and ``Source.text``, so editors' notes
    in HTML comments are not analysed."""
    return source.title or title, source.text


def text_key(title, body):
    """The cache key of an article's analysed text (:func:`analysed_text`)."""
    return hashlib.sha1(f"{title}\x00{body}".encode("utf-8")).hexdigest()


def analyze_source(source, top_k=8, topic_config=None, explain=False, corpus=None):
    """The analysis of one :class:`~newsroom.paper.content.Source`; ``explain`` adds
    ``topic_scores`` and ``keyword_scores`` (every keyword candidate with its kind, where
    it was seen, weight, specificity and score; ``newsroom.text.keywords.explain_keywords``).

    ``corpus`` is the catalogue's :class:`~newsroom.text.keywords.Corpus`: with it keywords
    rank exactly as on the site, where words common in this paper weigh less.
    """
    title = source.title
    body = source.text
    byline = bylines.byline_of(body)
    reporters = split_list(source.get("authors")) or list(byline.reporters)
    correspondents = split_list(source.get("correspondents")) or list(byline.correspondents)
    district = district_of_source(source)
    editor_tags = split_list(source.get("tags"))
    extracted = keywords.extract_keywords(title, body, top_k=top_k, corpus=corpus, exclude=editor_tags,
                                          district=district)
    merged = list(dict.fromkeys(editor_tags + list(extracted)))
    topic_ids = topics_of(source, topic_config)
    result = {
        "file": str(source.path),
        "title": title,
        "keywords": merged,
        "topics": topic_ids,
        "district": district or "",
        "reporters": reporters,
        "correspondents": correspondents,
    }
    if explain:
        result["topic_scores"] = topics.explain(title, body, topic_config)
        result["keyword_scores"] = keywords.explain_keywords(title, body, top_k=top_k, corpus=corpus,
                                                              exclude=editor_tags, district=district)
    return result


def topics_of(source, topic_config=None, classify=topics.classify):
    """Detected topics plus those the editor adds; ``Topics: none`` suppresses detection.
    ``classify(title, body, topic_config)``: the detection (the build passes a cached one)."""
    given = split_list(source.get("topics"))
    topics.check_topic_ids(given, topic_config, source.path, source.line_of("topics"))
    if [t.lower() for t in given] == ["none"]:
        return []
    detected = list(classify(source.title, source.text, topic_config))
    return list(dict.fromkeys(detected + given))


def district_of_source(source):
    """The article's ``District:`` normalised, or else the district detected in its text.

    An unknown ``District:`` raises :class:`ContentError` naming the line and the nearest names.
    """
    given = source.get("district")
    if not given:
        return districts.district_of(source.title, source.text) or ""
    try:
        return districts.normalize_district(given)
    except districts.UnknownDistrict as error:
        line = source.line_of("district")
        if error.suggestions:
            raise ContentError.of(source.path, line, "content.unknown_district", value=repr(given),
                                  suggestions="、".join(error.suggestions)) from None
        raise ContentError.of(source.path, line, "content.unknown_district_unlike_any", value=repr(given)) from None
