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
import operator
from functools import lru_cache
from pathlib import Path

from newsroom import messages
from newsroom.errors import DataFileError

ROOT = Path(__file__).resolve().parents[2]
WEIGHTS = Path(__file__).resolve().parents[1] / "data" / "keyword_ranker.json"
HISTORY = Path(__file__).resolve().parents[1] / "data" / "tag_history.json"
# What each file must hold (both are written by tests/keyword_ranker_fit.py --write).
WEIGHTS_KEYS = ("fitted_on", "features", "weights")
HISTORY_KEYS = ("fitted_on", "strength", "prior", "words")

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


# each kind's one-hot part of the vector, made once (asked for every candidate of every article)
_KIND_VECTORS = {kind: tuple(1.0 if kind == known else 0.0 for known in KINDS) for kind in KINDS}
_NO_KIND = (0.0,) * len(KINDS)


def article_features(kind, title, lead, body, spread, general_idf, length, passing, inside, generic, user):
    """The feature vector (:data:`FEATURES`) of one candidate, from what the analysis knows."""
    return [*_KIND_VECTORS.get(kind, _NO_KIND),
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
    """``{word: feature value}`` of the tag history file (:func:`history_values`), checked
    first (:func:`checked_history`)."""
    data = checked_history(_read(HISTORY), _weights_file()["fitted_on"])
    return history_values(data["words"], data["prior"], data["strength"])


def checked_history(data, fitted_on):
    """The tag history file's ``data``, or a :class:`DataFileError` saying what is wrong with
    it: every key there, ``0 < prior < 1`` (the log-odds divide by ``1 − prior``),
    ``strength > 0``, every word's counts ``[accepted, seen]`` with ``0 ≤ accepted ≤ seen``, and
    ``fitted_on`` that of the weights (``fitted_on``): the fit script writes both files
    together, so a pair of which only one was written again is caught."""
    missing = [key for key in HISTORY_KEYS if key not in data]
    if missing:
        raise _broken(HISTORY, "analyze.data_missing_keys", keys=", ".join(missing))
    if not _number(data["prior"]) or not 0 < data["prior"] < 1:
        raise _broken(HISTORY, "analyze.data_bad_prior", value=json.dumps(data["prior"]))
    if not _number(data["strength"]) or not data["strength"] > 0:
        raise _broken(HISTORY, "analyze.data_bad_strength", value=json.dumps(data["strength"]))
    if not isinstance(data["words"], dict):
        raise _broken(HISTORY, "analyze.data_bad_words")
    for word, counts in data["words"].items():
        if not (isinstance(counts, list) and len(counts) == 2 and all(_count(n) for n in counts)
                and counts[0] <= counts[1]):
            raise _broken(HISTORY, "analyze.data_bad_counts", word=word, counts=json.dumps(counts))
    if data["fitted_on"] != fitted_on:
        raise _broken(HISTORY, "analyze.data_not_same_fit", other=_shown(WEIGHTS))
    return data


def history_feature(term):
    return history().get(term, 0.0)


@lru_cache(maxsize=1)
def weights():
    """``(article weights, catalogue weight, history weight)`` from the weights file."""
    data = _weights_file()
    named = dict(zip(data["features"], data["weights"]))
    return tuple(named[name] for name in FEATURES), named[CATALOGUE_FEATURE], named[HISTORY_FEATURE]


@lru_cache(maxsize=1)
def _weights_file():
    """The weights file's data; a file that is missing, broken or does not match
    :data:`FEATURES` is a :class:`DataFileError` (an error of the project, said plainly)."""
    data = _read(WEIGHTS)
    missing = [key for key in WEIGHTS_KEYS if key not in data]
    if missing:
        raise _broken(WEIGHTS, "analyze.data_missing_keys", keys=", ".join(missing))
    expected = [*FEATURES, CATALOGUE_FEATURE, HISTORY_FEATURE]
    if (data["features"] != expected or not isinstance(data["weights"], list)
            or len(data["weights"]) != len(expected) or not all(map(_number, data["weights"]))):
        raise _broken(WEIGHTS, "analyze.data_bad_features")
    return data


def _read(path):
    """The JSON object in ``path`` (one of the ranking's data files), or a :class:`DataFileError`
    naming it: missing, unreadable, not UTF-8 JSON, or not an object."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise _broken(path, "analyze.data_unreadable", reason=messages.os_error(error)) from error
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise _broken(path, "analyze.data_not_json", line=line,
                      column=error.start - raw.rfind(b"\n", 0, error.start)) from error
    except json.JSONDecodeError as error:
        raise _broken(path, "analyze.data_not_json", line=error.lineno, column=error.colno) from error
    if not isinstance(data, dict):
        keys = HISTORY_KEYS if path == HISTORY else WEIGHTS_KEYS
        raise _broken(path, "analyze.data_missing_keys", keys=", ".join(keys))
    return data


def _broken(path, message_id, /, **params):
    """The error for a data file: ``message_id`` says what is wrong; the file and the fix
    (write both files again, or restore this one from git) are the same for every problem."""
    return DataFileError.of(_shown(path), "analyze.data_file_broken", path=_shown(path),
                            problem=messages.text(message_id, **params))


def _shown(path):
    """``path`` as the fix's ``git checkout`` takes it: from the project's folder."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def article_score(features):
    # map(mul): the same products summed in the same order as a generator would, at C speed
    return sum(map(operator.mul, weights()[0], features))


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
