"""The text analysis measured on articles no rule was tuned on (issue 24).

``tests/fixtures/analysis_heldout/`` (40) and ``analysis_heldout2/`` (30) hold the **test
set**: articles written as other newsrooms write, labelled as they were written and
committed before the analysis ran on any of them (the second after the last change to the
rules). These tests assert their figures. ``tests/fixtures/analysis/`` (96 articles,
two halves by the SHA-256 of the file name) is development data: the half once meant as
test was tuned on (see its README and docs/keywords.md). Its figures and the older
fixtures' are printed by ``python tests/analysis_sets.py`` and guarded here and in
test_keywords.py, test_topics.py, test_districts.py, test_bylines.py.

Targets of the issue: keywords precision@5 >= 0.80 and must-have recall@8 >= 0.80, topics
precision and recall >= 0.90 each, bylines exact 100 %, districts >= 95 %. Where a target
is not met the assertion holds the measured figure (so that it cannot get worse unseen)
and docs/keywords.md, docs/topics.md and docs/districts-and-bylines.md say so.
"""

import hashlib
import re
import tomllib

import pytest

import analysis_sets as sets
from newsroom.paper.content import read_source


def test_the_split_is_fixed_by_the_file_name_and_holds_half_the_set():
    articles = sets.unseen_articles()
    assert len(articles) >= 96
    for article in articles:
        digit = hashlib.sha256(article.name.encode("utf-8")).hexdigest()[0]
        assert article.split == (sets.TEST if digit in "89abcdef" else sets.DEV)
    test, dev = sets.unseen(sets.TEST), sets.unseen(sets.DEV)
    assert len(test) >= 45 and len(dev) >= 45
    assert {a.name for a in test}.isdisjoint(a.name for a in dev)


@pytest.mark.parametrize("folder", [sets.UNSEEN, sets.HELDOUT, sets.HELDOUT2],
                         ids=["first set", "held-out set 1", "held-out set 2"])
def test_every_article_is_labelled_and_gives_no_answer_in_its_metadata(folder):
    labels = tomllib.loads((folder / "labels.toml").read_text(encoding="utf-8"))
    files = {p.name for p in folder.glob("*.md") if p.name != "README.md"}
    assert set(labels) == files
    for name, label in labels.items():
        source = read_source(folder / name)
        # The analysis must find these from the text: no metadata may give them away.
        assert not {"district", "topics", "tags", "authors", "author", "correspondents"} & set(source.meta), name
        spellings = {s for musthave in label["musthave"] for s in musthave.split("|")}
        assert len(label["musthave"]) == 3 and spellings <= set(label["acceptable"]), name
        assert set(label["topics"]) <= set(sets.TOPIC_IDS), name
        assert label.get("near_miss", "") not in label["topics"], name
        assert label["district"], name
    near = [label for label in labels.values() if label.get("near_miss")]
    assert len(near) * 4 >= len(labels)  # a quarter of the articles are near misses


def test_the_set_is_other_newsrooms_writing():
    """Not the paper's own 本报讯 alone: wires, news sites, accounts and releases."""
    first = ("新华社", "中新网", "人民网", "千龙网", "本网讯", "中工网讯", "京工网讯", "来源", "法院", "检察院")
    heldout = ("新华社", "中新网", "千龙网", "中工网讯", "京工网讯", "央广网", "北京青年报", "来源", "法院", "本报讯")
    for articles, leads in ((sets.unseen_articles(), first), (sets.test_articles(), heldout)):
        texts = [a.text for a in articles]
        for lead in leads:
            assert sum(lead in text for text in texts) >= 2, lead
        years = {read_source(_path(a)).get("date")[:4] for a in articles}
        assert len(years) >= 6


def _path(article):
    folder, _, name = article.name.rpartition("/")
    return sets.FIXTURES / (folder or "analysis") / name


def test_the_test_set_is_apart_from_the_development_sets():
    """No held-out article repeats a development article's headline or lead."""
    heldout = sets.test_articles()
    development = (*sets.unseen_articles(), *sets.keyword_gold(), *sets.topic_set(), *sets.district_set())
    titles = {a.title for a in development}
    leads = {a.text.strip()[:40] for a in development}
    assert len(heldout) >= 70
    for article in heldout:
        assert article.title not in titles and article.text.strip()[:40] not in leads, article.name


@pytest.fixture(scope="module")
def test_set():
    return sets.test_articles()


def test_keywords_on_the_test_set(test_set):
    precision, recall, _ = sets.keyword_scores(test_set)
    print(f"\ntest set keywords: precision@5 {precision:.3f}, must-have recall@8 {recall:.3f}")
    # Both sets, as measured (docs/keywords.md): 0.837 and 0.781; the targets are
    # 0.80 and 0.80. Set 2 alone, the clean first run of this code: 0.847 and 0.822.
    assert precision >= 0.83
    assert recall >= 0.78  # the 0.80 is not met on both sets together


def test_topics_on_the_test_set(test_set):
    result, _ = sets.topic_scores(test_set)
    print("\ntest set topics:", {t: f"P {p:.2f} R {r:.2f}" for t, (p, r, *_) in result.items()})
    for topic_id, (precision, recall, *_) in result.items():
        assert precision >= 0.90, topic_id
        assert recall >= 0.90, topic_id  # relief 13 of 14 (0.93); arts and dispute 1.00


def test_districts_on_the_test_set(test_set):
    accuracy, _ = sets.district_scores(test_set)
    print(f"\ntest set districts: {accuracy:.3f}")
    assert accuracy >= 0.97  # 68 of 70 (set 1 40 of 40, set 2 28 of 30)


def test_bylines_on_the_test_set(test_set):
    exact, _ = sets.byline_scores(test_set)
    print(f"\ntest set bylines: {exact:.3f}")
    # 66 of 70 (set 1 37 of 40, set 2 29 of 30): the 100 % is not met
    # (docs/districts-and-bylines.md)
    assert exact >= 0.94


def test_the_first_set_stays_where_the_development_work_left_it():
    """Development figures of the 96-article set (both halves), guarded against regressions."""
    articles = sets.unseen_articles()
    precision, recall, _ = sets.keyword_scores(articles)
    assert precision >= 0.83 and recall >= 0.76
    result, _ = sets.topic_scores(articles)
    assert all(p >= 0.95 and r >= 0.93 for p, r, *_ in result.values()), result
    assert sets.district_scores(articles)[0] >= 0.97
    assert sets.byline_scores(articles)[0] == 1.0


def test_keywords_are_never_an_outlet_or_a_reporter():
    """What the issue saw on other newsrooms' text, checked on every labelled article: no
    outlet and no reporter from the credits becomes a keyword."""
    credits = re.compile(r"(新华社|中新网|人民网|千龙网|中工网|京工网|北青网|光明网|央广网|网讯|日报|晚报|客户端)$")
    for article in (*sets.unseen_articles(), *sets.test_articles()):
        top = sets.extracted_keywords(article)
        people = set(article.reporters) | set(article.correspondents)
        assert not people & set(top), (article.name, top)
        assert not [t for t in top if credits.search(t)], (article.name, top)
