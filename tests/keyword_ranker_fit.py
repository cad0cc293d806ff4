"""Fit the keyword ranker's weights on the development labels (``newsroom/data/keyword_ranker.json``).

    .venv/bin/python tests/keyword_ranker_fit.py            # fit on every development set, print the weights
    .venv/bin/python tests/keyword_ranker_fit.py --write    # ... and write them to the data file
    .venv/bin/python tests/keyword_ranker_fit.py --loso     # leave one set out: fit on the others, score it
    .venv/bin/python tests/keyword_ranker_fit.py --loso --no-catalogue   # ... without the catalogue's specificity
    .venv/bin/python tests/keyword_ranker_fit.py --loso --strengths=0,2,5,10,20   # the tag history's smoothing
                                                   # strengths compared (0: no history, the baseline)

Since session 14 ``--write`` also writes the **tag history** (``newsroom/data/tag_history.json``):
the weights without the history are fitted first, each development article's top eight by
them (its own district left out, as on the site) counted per word as ``[accepted, seen]``,
then the weights with the history's feature (:func:`fit_sets`), each set's rows reading the
history of the other sets only. ``--loso`` learns all of it from the training sets of each fold.

The model (:mod:`newsroom.text.keyword_ranker`) is linear in a few features of each
candidate. It is fitted pairwise: within each development article, every acceptable
candidate (an editor would take it as a tag) against every candidate that is not, a
logistic loss on the difference of their scores, the must-haves' pairs counting
:data:`MUSTHAVE_WEIGHT` times (must-have recall@8 is a target of its own), with an L2
penalty :data:`L2`. Newton's method from zero on every pair at once: deterministic, the
same weights on every run. Only development sets are read (``analysis_sets.development_sets``,
sets 8 to 15 among them since their one runs), never the test set (set 17), nor the sets of
``analysis_sets.FIT_PENDING`` (a development set the shipped weights were not fitted on: it joins
at the next ``--write``, which must also empty FIT_PENDING; set 16 since session 15's second round).
"""

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import analysis_sets  # noqa: E402
from newsroom.text import keyword_ranker, keywords  # noqa: E402

L2 = 1.0
MUSTHAVE_WEIGHT = 6.0
ITERATIONS = 50
TOP = 8  # the tag history counts the candidates that reached an article's top eight
# the tag history's smoothing strength a (a word's rate pulled toward the prior as if it had
# been seen a more times at the prior's rate), chosen leaving one set out (docs/keywords.md)
HISTORY_STRENGTH = 20.0
# --no-catalogue (with --loso): the catalogue's specificity as no feature, the experiment
# that decided to keep it (docs/keywords.md)
NO_CATALOGUE = "--no-catalogue" in sys.argv


def fitting_sets():
    """``{name: articles}``: every development set labelled for keywords, apart (sets 8,
    9, 10, 11, 12, 13, 14 and 15 among them since their one runs; never the test set, set 17), but
    those of ``analysis_sets.FIT_PENDING`` (set 16 since session 15's second round)."""
    return {name: articles for name, articles in analysis_sets.development_sets().items()
            if name not in analysis_sets.FIT_PENDING}


_ROWS = {}


def candidates_of(article, corpus):
    """``[(features + catalogue feature, acceptable, must-have, passing, term)]`` of one article
    (remembered per article and catalogue: the leave-one-set-out fits read each article often)."""
    key = (article.name, id(corpus))
    if key not in _ROWS:
        _ROWS[key] = _candidates_of(article, corpus)
    return _ROWS[key]


def _candidates_of(article, corpus):
    rows = []
    spellings = {spelling for musthave in article.musthave for spelling in musthave.split("|")}
    for term, (features, passing) in keywords.candidate_features(
            keywords.analyse(article.title, article.text, article.filed_under)).items():
        x = [*features, 0.0 if NO_CATALOGUE else keyword_ranker.catalogue_feature(corpus.idf(term))]
        rows.append((x, term in article.acceptable, term in spellings, passing, term))
    return rows


def _corpus():
    # the catalogue without the test set's texts (set 17) nor FIT_PENDING's: the features as
    # the fit sees them, before the test set's texts join the catalogue for its one run
    return analysis_sets.catalogue_corpus(without_test=True)


def pairs(articles, history=None):
    """``(differences, sample weights)``: acceptable minus unacceptable candidate, per article.
    ``history``: ``{article name: {term: tag-history value}}``, a last column (none when None)."""
    corpus = _corpus()
    diffs, weights = [], []
    for article in articles:
        rows = candidates_of(article, corpus)
        if history is not None:
            past = history[article.name]
            rows = [([*x, past.get(term, 0.0)], acceptable, musthave, passing, term)
                    for x, acceptable, musthave, passing, term in rows]
        good = [(x, musthave) for x, acceptable, musthave, passing, _ in rows if acceptable and not passing]
        bad = [x for x, acceptable, _, _, _ in rows if not acceptable]
        for x, musthave in good:
            for y in bad:
                diffs.append(np.subtract(x, y))
                weights.append(MUSTHAVE_WEIGHT if musthave else 1.0)
    return np.array(diffs), np.array(weights)


def _newton(x, sample):
    # both orders of every pair: a symmetric problem with no intercept
    x = np.vstack([x, -x])
    y = np.concatenate([np.ones(len(sample)), np.zeros(len(sample))])
    sample = np.concatenate([sample, sample])
    beta = np.zeros(x.shape[1])
    penalty = L2 * np.eye(x.shape[1])
    for _ in range(ITERATIONS):
        p = 1 / (1 + np.exp(-(x @ beta)))
        gradient = x.T @ (sample * (p - y)) + penalty @ beta
        hessian = (x * (sample * p * (1 - p))[:, None]).T @ x + penalty
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-10:
            break
    return [round(float(b), 4) for b in beta]


def base_fit(articles):
    """The weights of the article's and the catalogue's features alone (no tag history)."""
    return _newton(*pairs(articles))


def top_counts(articles, base):
    """``{term: [accepted, seen]}``: each candidate that reached an article's top eight by the
    ``base`` weights (the passing words last; the article's own district left out, as the
    site leaves it out), and whether the article's editor took it."""
    corpus = _corpus()
    counts = {}
    for article in articles:
        # the article's own district never reaches its keywords on the site (own_district_forms):
        # its refusals by the writers since set 6 would otherwise count against every district
        own = keywords.own_district_forms(article.filed_under)
        rows = [row for row in candidates_of(article, corpus) if row[4] not in own]
        ranked = sorted(rows, key=lambda row: (row[3], -float(np.dot(base, row[0])), row[4]))
        for x, acceptable, _, _, term in ranked[:TOP]:
            seen = counts.setdefault(term, [0, 0])
            seen[0] += int(acceptable)
            seen[1] += 1
    return counts


def _add(counts):
    total = {}
    for one in counts:
        for term, (accepted, seen) in one.items():
            both = total.setdefault(term, [0, 0])
            both[0] += accepted
            both[1] += seen
    return total


def prior_of(counts):
    accepted = sum(a for a, _ in counts.values())
    seen = sum(s for _, s in counts.values())
    return accepted / seen


def history_of(sets):
    """``(per-set counts, all counts, prior)`` of the tag history learnt from ``sets`` (``{name:
    articles}``): the top eight by the weights fitted on all of them without the history."""
    base = base_fit([a for articles in sets.values() for a in articles])
    per_set = {name: top_counts(articles, base) for name, articles in sets.items()}
    total = _add(per_set.values())
    return per_set, total, prior_of(total)


def fit_sets(sets, strength=None, learnt=None):
    """``(weights, history counts, prior)`` fitted on ``sets`` (``{name: articles}``): the
    article's features, the catalogue's and the tag history's. Each set's rows read the
    history of the *other* sets (its own labels never in its own feature: no leakage inside
    the fit), the history shipped is that of all of them."""
    strength = HISTORY_STRENGTH if strength is None else strength
    per_set, total, prior = learnt or history_of(sets)
    history = {}
    for name, articles in sets.items():
        others = _add(counts for other, counts in per_set.items() if other != name)
        values = keyword_ranker.history_values(others, prior, strength)
        for article in articles:
            history[article.name] = values
    weights = _newton(*pairs([a for articles in sets.values() for a in articles], history))
    return weights, total, prior


fit = base_fit  # the name the tests and session 12's docs use for the fit without the history


def use(weights, counts=None, prior=0.5, strength=None):
    """Rank with ``weights`` (and the tag history ``counts``) from now on (in this process)."""
    n = len(keyword_ranker.FEATURES)
    strength = HISTORY_STRENGTH if strength is None else strength
    fixed = (tuple(weights[:n]), weights[n], weights[n + 1] if len(weights) > n + 1 else 0.0)
    values = keyword_ranker.history_values(counts or {}, prior, strength)
    keyword_ranker.weights = lambda: fixed
    keyword_ranker.history = lambda: values


def as_file(weights, sets):
    return {
        "about": "weights of newsroom/text/keyword_ranker.py, written by tests/keyword_ranker_fit.py --write "
                 "(pairwise logistic fit on the development labels); never edit by hand",
        "fitted_on": sorted(sets),
        "l2": L2, "musthave_weight": MUSTHAVE_WEIGHT,
        "features": [*keyword_ranker.FEATURES, keyword_ranker.CATALOGUE_FEATURE, keyword_ranker.HISTORY_FEATURE],
        "weights": weights,
    }


def history_file(counts, prior, sets, strength=None):
    return {
        "about": "tag history of newsroom/text/keyword_ranker.py, written by tests/keyword_ranker_fit.py --write: "
                 "per word [accepted, seen], how often a candidate that reached a development article's top eight "
                 "(by the weights without the history) was one of its acceptable tags; never edit by hand",
        "fitted_on": sorted(sets), "top": TOP,
        "strength": HISTORY_STRENGTH if strength is None else strength,
        "prior": round(prior, 6),
        "words": {term: counts[term] for term in sorted(counts)},
    }


def leave_one_set_out(strengths=None):
    """Each development set scored by a ranking fitted on the others, its tag history learnt
    from the others only; ``strengths``: the history's smoothing strengths to compare (None:
    the shipped one; ``[0]`` stands for no history at all, the baseline)."""
    strengths = strengths or [HISTORY_STRENGTH]
    # an article's analysis does not depend on the weights: made once in this run, not once a fold
    analyse, memo = keywords.analyse, {}
    keywords.analyse = lambda *args: memo[args] if args in memo else memo.setdefault(args, analyse(*args))
    sets = fitting_sets()
    results = {strength: [] for strength in strengths}
    for held, articles in sets.items():
        training = {name: rest for name, rest in sets.items() if name != held}
        learnt = history_of(training) if any(strengths) else None
        for strength in strengths:
            if strength:
                weights, counts, prior = fit_sets(training, strength, learnt)
                use(weights, counts, prior, strength)
            else:
                use(base_fit([a for rest in training.values() for a in rest]))
            precision, recall, _ = analysis_sets.keyword_scores(articles)
            results[strength].append((precision, recall))
            label = "no history" if not strength else f"history a={strength:g}"
            print(f"{held:8} {label:14} fitted on the others, held out: P@5 {precision:.3f}  R@8 {recall:.3f}",
                  flush=True)
    for strength, rows in results.items():
        label = "no history" if not strength else f"history a={strength:g}"
        print(f"mean     {label:14} P@5 {np.mean([p for p, _ in rows]):.3f}  R@8 {np.mean([r for _, r in rows]):.3f}"
              f"  (min R@8 {min(r for _, r in rows):.3f})")


def main(argv):
    if "--loso" in argv:
        given = [arg.split("=", 1)[1] for arg in argv if arg.startswith("--strengths=")]
        leave_one_set_out([float(v) for v in given[0].split(",")] if given else None)
        return
    sets = fitting_sets()
    weights, counts, prior = fit_sets(sets)
    data = as_file(weights, sets)
    for name, weight in zip(data["features"], weights):
        print(f"{weight:+8.4f}  {name}")
    if "--write" in argv:
        keyword_ranker.WEIGHTS.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        keyword_ranker.HISTORY.write_text(json.dumps(history_file(counts, prior, sets), ensure_ascii=False, indent=1)
                                          + "\n", encoding="utf-8")
        print(f"written: {keyword_ranker.WEIGHTS}, {keyword_ranker.HISTORY}")


if __name__ == "__main__":
    main(sys.argv[1:])
