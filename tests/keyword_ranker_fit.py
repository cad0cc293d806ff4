"""Fit the keyword ranker's weights on the development labels (``newsroom/data/keyword_ranker.json``).

    .venv/bin/python tests/keyword_ranker_fit.py            # fit on every development set, print the weights
    .venv/bin/python tests/keyword_ranker_fit.py --write    # ... and write them to the data file
    .venv/bin/python tests/keyword_ranker_fit.py --loso     # leave one set out: fit on the others, score it
    .venv/bin/python tests/keyword_ranker_fit.py --loso --no-catalogue   # ... without the catalogue's specificity

The model (:mod:`newsroom.text.keyword_ranker`) is linear in a few features of each
candidate. It is fitted pairwise: within each development article, every acceptable
candidate (an editor would take it as a tag) against every candidate that is not, a
logistic loss on the difference of their scores, the must-haves' pairs counting
:data:`MUSTHAVE_WEIGHT` times (must-have recall@8 is a target of its own), with an L2
penalty :data:`L2`. Newton's method from zero on every pair at once: deterministic, the
same weights on every run. Only development sets are read (``analysis_sets.development_sets``
sets 8 to 12 among them since their one runs), never the test set (set 13).
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
# --no-catalogue (with --loso): the catalogue's specificity as no feature, the experiment
# that decided to keep it (docs/keywords.md)
NO_CATALOGUE = "--no-catalogue" in sys.argv


def fitting_sets():
    """``{name: articles}``: every development set labelled for keywords, apart (sets 8,
    9, 10, 11 and 12 among them since their one runs; never the test set, set 13)."""
    return dict(analysis_sets.development_sets())


def candidates_of(article, corpus):
    """``[(features + catalogue feature, acceptable, must-have, passing)]`` of one article."""
    rows = []
    spellings = {spelling for musthave in article.musthave for spelling in musthave.split("|")}
    for term, (features, passing) in keywords.candidate_features(
            keywords.analyse(article.title, article.text, article.filed_under)).items():
        x = [*features, 0.0 if NO_CATALOGUE else keyword_ranker.catalogue_feature(corpus.idf(term))]
        rows.append((x, term in article.acceptable, term in spellings, passing))
    return rows


def pairs(articles):
    """``(differences, sample weights)``: acceptable minus unacceptable candidate, per article."""
    # the catalogue without the test set's texts (set 13): the features as at the freeze,
    # before the test set's texts joined the catalogue for its one run
    corpus = analysis_sets.catalogue_corpus(without_test=True)
    diffs, weights = [], []
    for article in articles:
        rows = candidates_of(article, corpus)
        good = [(x, musthave) for x, acceptable, musthave, passing in rows if acceptable and not passing]
        bad = [x for x, acceptable, _, _ in rows if not acceptable]
        for x, musthave in good:
            for y in bad:
                diffs.append(np.subtract(x, y))
                weights.append(MUSTHAVE_WEIGHT if musthave else 1.0)
    return np.array(diffs), np.array(weights)


def fit(articles):
    """The weights (:data:`keyword_ranker.FEATURES` + the catalogue's) fitted on ``articles``."""
    x, sample = pairs(articles)
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


def use(weights):
    """Rank with ``weights`` from now on (in this process)."""
    n = len(keyword_ranker.FEATURES)
    fixed = (tuple(weights[:n]), weights[n])
    keyword_ranker.weights = lambda: fixed


def as_file(weights, sets):
    return {
        "about": "weights of newsroom/text/keyword_ranker.py, written by tests/keyword_ranker_fit.py --write "
                 "(pairwise logistic fit on the development labels); never edit by hand",
        "fitted_on": sorted(sets),
        "l2": L2, "musthave_weight": MUSTHAVE_WEIGHT,
        "features": [*keyword_ranker.FEATURES, keyword_ranker.CATALOGUE_FEATURE],
        "weights": weights,
    }


def leave_one_set_out():
    sets = fitting_sets()
    results = []
    for held, articles in sets.items():
        weights = fit([a for name, rest in sets.items() if name != held for a in rest])
        use(weights)
        precision, recall, _ = analysis_sets.keyword_scores(articles)
        results.append((precision, recall))
        print(f"{held:8} fitted on the others, held out: P@5 {precision:.3f}  R@8 {recall:.3f}", flush=True)
    print(f"mean     P@5 {np.mean([p for p, _ in results]):.3f}  R@8 {np.mean([r for _, r in results]):.3f}")


def main(argv):
    if "--loso" in argv:
        leave_one_set_out()
        return
    sets = fitting_sets()
    weights = fit([a for articles in sets.values() for a in articles])
    data = as_file(weights, sets)
    for name, weight in zip(data["features"], weights):
        print(f"{weight:+8.4f}  {name}")
    if "--write" in argv:
        keyword_ranker.WEIGHTS.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"written: {keyword_ranker.WEIGHTS}")


if __name__ == "__main__":
    main(sys.argv[1:])
