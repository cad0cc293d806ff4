"""The learned ranking of keyword candidates: a linear score over a few features every
candidate already has, its weights fitted on the development labels.

An article's candidates (:func:`newsroom.text.keywords.analyse`) are ranked by

    score = Σ weight_f · feature_f

over :data:`FEATURES`: the candidate's kind (quoted name, book-title name, organisation,
person, place, compound, project word, word ...), where it stands (headline, lead, later
paragraphs), how many parts of the text it runs through, how specific it is in general
Chinese (jieba's IDF, built on a large body of text) and in the paper's catalogue, its
length, and whether it is a word said in passing, only inside longer phrases or generic.
The weights live in ``newsroom/data/keyword_ranker.json``, written by
``tests/keyword_ranker_fit.py`` (a pairwise logistic fit: for every development article,
each acceptable candidate against each unacceptable one, the must-haves counting more),
never by hand. Everything but the catalogue's specificity is known from the article alone,
so the per-article part (:func:`article_score`) is what the build caches and the
catalogue's part (:func:`catalogue_score`) is added at ranking time.

Since session 14 a third, term-level part (:func:`history_score`): the **tag history**.
Editors tag some words in one story and refuse them in the next (职工服务中心, 职工子女,
困难职工家庭); no rule tells those apart, but the labelled history says how often each word
that reached an article's top eight was taken as a tag. ``newsroom/data/tag_history.json``
(written by the fit script from the development labels, never by hand) holds, per word,
``[accepted, seen]``; the feature is the word's smoothed log-odds of acceptance,
``log((accepted + a·p0) / (seen − accepted + a·(1 − p0)))``, minus the prior's ``log(p0 / (1 − p0))``:
0 for a word the history never saw (neutral: its kind's own rate is already what the
kind features weigh), negative for a word mostly refused, positive for one mostly taken.

Pure Python: no Pelican, no numpy here (the fit script uses numpy, which is pinned).
"""

import json
import math
from functools import lru_cache
from pathlib import Path

WEIGHTS = Path(__file__).resolve().parents[1] / "data" / "keyword_ranker.json"
HISTORY = Path(__file__).resolve().parents[1] / "data" / "tag_history.json"

KINDS = ("quoted", "title-marked", "offence", "organisation", "event", "person", "place", "compound",
         "project word", "word")
# The article's own features, in the order of the weights file, then the catalogue's one.
FEATURES = (*(f"kind: {kind}" for kind in KINDS),
            "log(1 + in headline)", "log(1 + in lead)", "log(1 + in later paragraphs)",
            "log(parts of the text it is seen in)", "log(general specificity)", "log(characters)",
            "said once in passing", "only inside longer noun runs", "generic word of the language",
            "project word (userdict)")
CATALOGUE_FEATURE = "log(specificity in the catalogue)"
HISTORY_FEATURE = "tag history (smoothed log-odds of being taken, from the top eight)"
MIN_SPECIFICITY = 0.001  # log of a specificity of 0 (a term in every article): as this


def article_features(kind, title, lead, body, spread, general_idf, length, passing, inside, generic, user):
    """The feature vector (:data:`FEATURES`) of one candidate, from what the analysis knows."""
    return [*(1.0 if kind == known else 0.0 for known in KINDS),
            math.log1p(title), math.log1p(lead), math.log1p(body), math.log(max(spread, 1)),
            math.log(max(general_idf, MIN_SPECIFICITY)), math.log(max(length, 1)),
            float(passing), float(inside), float(generic), float(user)]


def catalogue_feature(idf):
    return math.log(max(idf, MIN_SPECIFICITY))


def history_values(counts, prior, strength):
    """``{word: feature value}`` from ``{word: (accepted, seen)}``: the smoothed log-odds of
    acceptance relative to the prior's (0 for a word never seen)."""
    base = math.log(prior / (1 - prior))
    return {word: math.log((accepted + strength * prior) / (seen - accepted + strength * (1 - prior))) - base
            for word, (accepted, seen) in counts.items()}


@lru_cache(maxsize=1)
def history():
    """``{word: feature value}`` of the tag history file (:func:`history_values`)."""
    data = json.loads(HISTORY.read_text(encoding="utf-8"))
    return history_values(data["words"], data["prior"], data["strength"])


def history_feature(term):
    return history().get(term, 0.0)


@lru_cache(maxsize=1)
def weights():
    """``(article weights, catalogue weight, history weight)`` from the weights file; a file
    that does not match :data:`FEATURES` is an error of the project, said plainly."""
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    named = dict(zip(data["features"], data["weights"]))
    expected = (*FEATURES, CATALOGUE_FEATURE, HISTORY_FEATURE)
    if tuple(data["features"]) != expected:
        raise ValueError(f"{WEIGHTS}: its features {data['features']} are not {list(expected)}; "
                         "run tests/keyword_ranker_fit.py --write")
    return tuple(named[name] for name in FEATURES), named[CATALOGUE_FEATURE], named[HISTORY_FEATURE]


def article_score(features):
    article = weights()[0]
    return sum(w * x for w, x in zip(article, features))


def catalogue_score(idf):
    return weights()[1] * catalogue_feature(idf)


def history_score(term):
    return weights()[2] * history_feature(term)


def contributions(features, idf, term=None):
    """``[(feature, value, weight × value)]`` of the features that count (``--explain``);
    the tag history's row whenever the history has seen ``term``."""
    article, catalogue, past = weights()
    rows = [(name, round(x, 3), round(w * x, 3)) for name, w, x in zip(FEATURES, article, features) if x]
    rows.append((CATALOGUE_FEATURE, round(catalogue_feature(idf), 3), round(catalogue * catalogue_feature(idf), 3)))
    if term is not None and history_feature(term):
        rows.append((HISTORY_FEATURE, round(history_feature(term), 3), round(past * history_feature(term), 3)))
    return rows
