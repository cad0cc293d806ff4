"""The text analysis measured on articles no rule was tuned on (issue 24).

The **test set** in code: ``analysis_heldout17/`` (set 17, written in session 14 by people who
never saw the project, copied in after session 15's second freeze, 5f5a259, and run once: keywords
0.870 / 0.908, topics 1.00, districts 0.975, bylines 1.00 — every target met; asserted below as
measured). Set 16
(written in session 14 by people who never saw the project, copied in after session 15's freeze,
18d8be5, and run once: 0.905 / 0.900, topics and districts 1.00, bylines 0.975) is development
data since session 15's second round (its one byline miss read: bylines 1.00 since); its floor
stays here; the keyword fit reads it from the next refit (analysis_sets.FIT_PENDING). Set 15 (written in
session 14 by people who never saw the project, copied in after session 14's second freeze,
dff8ad0, and run once: 0.890 / 0.900, districts and bylines 1.00, arts and dispute 1.00, relief
recall 0.80) is development data since session 14's third round (its two relief misses read:
relief 1.00 / 1.00 since); its floor stays here; the ranking and the tag history are fitted on
it since session 15's refit. Set 14 (the test set of session 14's freeze, run once: 0.850 / 0.863, topics 1.00,
districts 0.925, bylines 0.975) is development data since session 14's second round; its floor
stays here and the ranking and the tag history are fitted on it. Set 13 (the test set of session 13's third freeze, run once: 0.780 / 0.904, topics,
districts and bylines 1.00) is development data since session 14; its floor stays here and
the ranking and the tag history are fitted on it. Set 12 (the test set of session 13's second
freeze, run once: 0.795 / 0.854, districts and bylines 1.00) is development data since its
misses were read; its floor stays here and the ranking is fitted on it. Set 11 (the test set of session 13's first
freeze, run once: 0.820 / 0.896, districts 0.975, bylines 0.95) is development data since its
misses were read in session 13; its floor stays here and the ranking is fitted on it. Set 10 (the test set of session 12's second freeze, run
once: 0.850 / 0.775, bylines 0.975) is development data since its misses were read in
session 13; its floor stays here and the ranking is fitted on it. Set 9 (the test set of session 12's first freeze,
run once: 0.760 / 0.783) is development data since its misses were read in session 12; the
ranking is fitted on it since the second round. Set 8 (the test set of session 11's freeze, run once:
0.745 / 0.817) is development data since its misses were read in session 11; session 12's
learned ranking is fitted on it with the other development sets. Set 7 (the test set of session 10's freeze, run once:
0.665 / 0.775) is development data since its misses were read in session 11. Set 6 (the test set of session 9's
second freeze, run once: 0.655 / 0.817 as scored then, bylines 0.875) and set 5 (the first
freeze's, run once: 0.800 / 0.825, bylines 0.875) are development data since their misses
were read; their floors stay here. ``analysis_heldout2/`` (30, set 2: its clean first run
was in session 3; re-measured since, its articles never read) stays asserted as a guard,
not a clean figure.
Development data: set 1 (``analysis_heldout/``, held out until session 7), set 3
(``analysis_heldout3/``, run once as a test set in session 7, read in session 8), set 4
(``analysis_heldout4/``, run once as the test set in session 8: 0.765 / 0.783, bylines
0.825, arts P 0.875; its misses read and rules derived from them the same session),
``analysis_dev/`` (byline forms and district cases), ``analysis/`` (96, two halves) and
the older fixtures; ``python tests/analysis_sets.py`` prints them all, and they are guarded
here and in test_keywords.py, test_topics.py, test_districts.py, test_bylines.py.

Targets of the issue: keywords precision@5 >= 0.80 and must-have recall@8 >= 0.80, topics
precision and recall >= 0.90 each, bylines exact 100 %, districts >= 95 %. Where a target
is not met the assertion holds the measured figure (so that it cannot get worse unseen)
and docs/keywords.md, docs/topics.md and docs/districts-and-bylines.md say so.
"""

import difflib
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


# the test set (set 17) only once the lead has copied it in: the suite passes before and after
LABELLED_FOLDERS = {"first set": sets.UNSEEN, "set 1": sets.HELDOUT, "set 2": sets.HELDOUT2, "set 3": sets.HELDOUT3,
                    "set 4": sets.HELDOUT4, "set 5": sets.HELDOUT5, "set 6": sets.HELDOUT6, "set 7": sets.HELDOUT7,
                    "set 8": sets.HELDOUT8, "set 9": sets.HELDOUT9, "set 10": sets.HELDOUT10, "set 11": sets.HELDOUT11,
                    "set 12": sets.HELDOUT12, "set 13": sets.HELDOUT13, "set 14": sets.HELDOUT14,
                    "set 15": sets.HELDOUT15, "set 16": sets.HELDOUT16,
                    **({"test set 17": sets.HELDOUT17} if sets.HELDOUT17.exists() else {})}


# sets 15 and 16's brief (their BRIEF.txt) is sets 11 to 14's, and so is set 17's (written with
# set 16 from the same brief; its BRIEF.txt once copied in)
BRIEF_11 = (sets.HELDOUT11, sets.HELDOUT12, sets.HELDOUT13, sets.HELDOUT14, sets.HELDOUT15, sets.HELDOUT16,
            sets.HELDOUT17)


@pytest.mark.parametrize("folder", list(LABELLED_FOLDERS.values()), ids=list(LABELLED_FOLDERS))
def test_every_article_is_labelled_and_gives_no_answer_in_its_metadata(folder):
    labels = tomllib.loads((folder / "labels.toml").read_text(encoding="utf-8"))
    files = {p.name for p in folder.glob("*.md") if p.name != "README.md"}
    assert set(labels) == files
    for name, label in labels.items():
        source = read_source(folder / name)
        # The analysis must find these from the text: no metadata may give them away.
        assert not {"district", "topics", "tags", "authors", "author", "correspondents"} & set(source.meta), name
        spellings = {s for musthave in label["musthave"] for s in musthave.split("|")}
        # three must-haves an article; the brief of sets 11 to 14 (BRIEF.txt) allowed two or three
        # (sets 15 to 17's: see BRIEF_11)
        assert len(label["musthave"]) == 3 or (folder in BRIEF_11 and len(label["musthave"]) == 2), name
        # The must-haves are among the acceptable keywords by definition; set 6's writer E
        # (and three of writer F's articles) listed only the others, and the labels were
        # copied in unchanged: the scorer reads them by the definition (analysis_sets).
        # An acceptable entry written A|B is one tag in either spelling (set 11's writers wrote
        # their must-haves so in the acceptable lists too), as the scorer reads it.
        acceptable = {s for entry in label["acceptable"] for s in entry.split("|")}
        assert folder == sets.HELDOUT6 or spellings <= acceptable, name
        assert set(label["topics"]) <= set(sets.TOPIC_IDS), name
        near_miss = label.get("near_miss", "")  # one topic, or a list of them (set 4)
        assert not set([near_miss] if isinstance(near_miss, str) else near_miss) & set(label["topics"]), name
        assert label["district"], name
    near = [label for label in labels.values() if label.get("near_miss")]
    # a quarter of the articles are near misses; the brief of sets 11 to 13 asked for six
    # "near misses and other union news" of twenty, and its writers labelled 4 to 6 as near misses
    share = 5 if folder in BRIEF_11 else 4
    assert len(near) * share >= len(labels)


def test_the_set_is_other_newsrooms_writing():
    """Not the paper's own 本报讯 alone: wires, news sites, accounts and releases."""
    first = ("新华社", "中新网", "人民网", "千龙网", "本网讯", "中工网讯", "京工网讯", "来源", "法院", "检察院")
    heldout = ("新华社", "中新网", "千龙网", "新华网", "北京青年报", "新京报讯", "北京日报客户端", "来源", "供稿", "法院", "本报讯")
    sets3 = (*sets.heldout_articles(sets.HELDOUT2), *sets.heldout_articles(sets.HELDOUT3))
    for articles, leads in ((sets.unseen_articles(), first), (sets3, heldout)):
        texts = [a.text for a in articles]
        for lead in leads:
            assert sum(lead in text for text in texts) >= 2, lead
        years = {read_source(_path(a)).get("date")[:4] for a in articles}
        assert len(years) >= 6


def _path(article):
    folder, _, name = article.name.rpartition("/")
    return sets.FIXTURES / (folder or "analysis") / name


def test_the_test_set_is_apart_from_the_development_sets():
    """No held-out article repeats a development article's lead or text. A headline may
    recur when the story is written anew: set 7's g09 and set 6's f04, by two writers who
    worked apart, both headed the city federation's 2026 winter campaign
    北京市总工会启动2026年“两节”送温暖活动 (their texts share little: difflib ratio 0.36)."""
    heldout = sets.test_articles()
    if not heldout:
        pytest.skip("set 17, the test set, is not in tests/fixtures/analysis_heldout17/ yet: "
                    "the lead copies it in after session 15's second freeze")
    development = (*sets.development_articles(), *sets.dev_form_articles(), *sets.keyword_gold(),
                   *sets.topic_set(), *sets.district_set())
    by_title = {a.title: a for a in development}
    leads = {a.text.strip()[:40] for a in development}
    assert len(heldout) >= 30
    shared_titles = 0
    for article in heldout:
        assert article.text.strip()[:40] not in leads, article.name
        if article.title in by_title:
            shared_titles += 1
            ratio = difflib.SequenceMatcher(None, by_title[article.title].text, article.text).ratio()
            assert ratio < 0.5, (article.name, ratio)
    assert shared_titles <= 1


# What the test set in code measures (docs/keywords.md, docs/topics.md,
# docs/districts-and-bylines.md): set 5's one run, and set 2 re-measured. Set 4's one test
# run (session 8: keywords 0.765 / 0.783, bylines 0.825, arts P 0.875) is recorded in the
# docs; it is development data since, guarded below. Where a
# target of the issue is missed the assertion holds the measured figure, so that it cannot
# get worse unseen. Targets: precision@5 >= 0.80, must-have recall@8 >= 0.80, topics P and R
# >= 0.90, districts >= 0.95, bylines exact 1.00.
# Since session 13 the development sets' floors sit one keyword and one must-have below the
# freeze's figures (written in each entry): when the test set's texts join the catalogue for
# its one run, a development set moves by about that much (set 9 did, one keyword, when set
# 10's texts joined), and that run must not fail on it.
MEASURED = {
    # Set 17's one run (session 15's second freeze, 5f5a259: set 16's byline miss read, a unit
    # before a credit; the plan committed before any result, 8eaba7c): keywords P@5 0.870 (met;
    # writer AA 0.860, writer AB 0.880) and must-have R@8 0.908 (met; AA 0.917, AB 0.900); the
    # same ranking with jieba's IDF in place of the catalogue 0.875 / 0.900; session 14's final
    # code (d0220c5, measured after the run, a baseline) 0.870 / 0.908, bylines 0.975; plain
    # jieba 0.230 / 0.125; topics 1.00 / 1.00 each (10, 8, 10 articles); districts 0.975 (39 of
    # 40: met; a city industry union's legal contest read as 通州区); bylines 1.00 (40 of 40: met).
    "set 17": dict(precision=0.870, recall=0.9083, districts=0.975, bylines=1.0,
                   topics={"relief": (1.0, 1.0), "arts": (1.0, 1.0), "dispute": (1.0, 1.0)}),
    # Set 16's one run (session 15's freeze, 18d8be5: set 15 in the fit and the tag history,
    # its winter-goods relief cues, a standing tag inside a standing tag no rival; the plan
    # committed before any result, 8eaba7c): keywords P@5 0.905 (met; writer Y 0.900, writer Z
    # 0.910) and must-have R@8 0.900 (met; Y 0.917, Z 0.883); the same ranking with jieba's IDF
    # in place of the catalogue 0.900 / 0.900; session 14's final code (d0220c5, measured after
    # the run, a baseline) 0.895 / 0.892; plain jieba 0.225 / 0.167; topics 1.00 / 1.00 each
    # (10, 8, 10 articles); districts 1.00 (40 of 40: met); bylines 0.975 (39 of 40: the target
    # 1.00 not met: a unit's closing credit with the writer's name before /文, （集团工会 X/文 Y/图）).
    # Development since session 15's second round (that miss read: a unit before a credit the
    # grammar reads): these are its floors, bylines 1.00 since (40 of 40), the keywords one
    # keyword and one must-have below the run (0.900 / 0.892: set 17's texts join the catalogue
    # for its run). Not yet in the keyword fit (FIT_PENDING).
    "set 16": dict(precision=0.900, recall=0.8917, districts=1.0, bylines=1.0,
                   topics={"relief": (1.0, 1.0), "arts": (1.0, 1.0), "dispute": (1.0, 1.0)}),
    # Set 15's one run (session 14's second freeze, dff8ad0: set 14 in the fit and the tag
    # history, three district rules and rarer surnames from set 14's misses; the plan
    # committed before any result, cbac164): keywords P@5 0.890 (met; writer W 0.880, writer X
    # 0.900) and must-have R@8 0.900 (met; W 0.908, X 0.892); the same ranking with jieba's
    # IDF in place of the catalogue 0.890 / 0.900; session 13's final code (095f3b5, measured
    # after the run, a baseline) 0.830 / 0.900; plain jieba 0.205 / 0.163; topics: relief P
    # 1.00 R 0.80 (8 of 10: the target 0.90 not met; two stories of goods and services for
    # outdoor workers found no relief cue), arts and dispute 1.00 / 1.00 (8, 10 articles);
    # districts 1.00 (40 of 40: met); bylines 1.00 (40 of 40: met).
    # Development since session 14's third round (its two relief misses read; winter goods named
    # by their kind, 防寒物资, 发放*防寒, 寒潮: docs/topics.md): these are its floors, relief 1.00 /
    # 1.00 since that round's cues (10 of 10). In the keyword fit since session 15's refit
    # (in sample since: 0.920 / 0.900).
    "set 15": dict(precision=0.890, recall=0.900, districts=1.0, bylines=1.0,
                   topics={"relief": (1.0, 1.0), "arts": (1.0, 1.0), "dispute": (1.0, 1.0)}),
    # Set 14's one run (session 14's first freeze, 865fe07: set 13 in the fit, the tag
    # history): keywords P@5 0.850 (met; writer U 0.900, writer V 0.800) and must-have R@8
    # 0.863 (met; U 0.900, V 0.825); the same ranking with jieba's IDF in place of the
    # catalogue 0.850 / 0.863; session 13's final code (095f3b5, measured after the run, a
    # baseline) 0.790 / 0.863; plain jieba 0.215 / 0.192; topics 1.00 / 1.00 each (10, 8, 10
    # articles); districts 0.925 (37 of 40: the target 0.95 not met); bylines 0.975 (39 of 40:
    # the target 1.00 not met). Development since (its misses read in session 14's second
    # round): these are its floors, districts and bylines 1.00 since that round's rules (40 of
    # 40 each; after the refit with set 14 in the fit 0.885 / 0.863).
    "set 14": dict(precision=0.850, recall=0.8625, districts=1.0, bylines=1.0,
                   topics={"relief": (1.0, 1.0), "arts": (1.0, 1.0), "dispute": (1.0, 1.0)}),
    # Set 13's one run (session 13's third freeze, 91c8624: set 12 in the fit, a numbered
    # event owned by a company found whole): keywords P@5 0.780 (target 0.80 not met; writer
    # S 0.810, writer T 0.750) and must-have R@8 0.904 (met; S 0.975, T 0.833); the same
    # ranking with jieba's IDF in place of the catalogue 0.780 / 0.904; the second freeze's
    # code (e471ae3, measured after the run, a baseline) 0.770 / 0.904; plain jieba 0.175 /
    # 0.142; topics 1.00 / 1.00 each (10, 8, 10 articles); districts 1.00 (40 of 40: met);
    # bylines 1.00 (40 of 40: met).
    # Development since session 14 (the ranking and the tag history fitted on it): its one
    # run's figures stay as the floor; at session 14's freeze 0.870 / 0.917 (left out of the
    # fit and of the history: 0.840 / 0.917; without the history 0.780 / 0.904).
    "set 13": dict(precision=0.780, recall=0.904, districts=1.0, bylines=1.0,
                   topics={"relief": (1.0, 1.0), "arts": (1.0, 1.0), "dispute": (1.0, 1.0)}),
    # Set 12's one run (session 13's second freeze, e471ae3: set 11 in the fit, bylines in
    # closing brackets, city industry unions' venues): keywords P@5 0.795 (target 0.80 not met,
    # by one top-five keyword of 200; writer Q 0.800, writer R 0.790) and must-have R@8 0.854
    # (met; Q 0.775, R 0.933); the same ranking with jieba's IDF in place of the catalogue
    # 0.785 / 0.846; the first freeze's code (f83034a, measured after the run, a baseline)
    # 0.795 / 0.854; session 12's final code (37bb42c) 0.780 / 0.846; plain jieba 0.185 /
    # 0.108; topics 1.00 / 1.00 each (10, 8, 10 articles); districts 1.00 (40 of 40: met);
    # bylines 1.00 (40 of 40: met).
    # Development since session 13's third round (its misses read, the ranking fitted on it):
    # a floor now, at the third freeze 0.800 / 0.854 (left out of the fit: 0.795 / 0.854).
    "set 12": dict(precision=0.795, recall=0.850, districts=1.0, bylines=1.0,
                   topics={"relief": (1.0, 1.0), "arts": (1.0, 1.0), "dispute": (1.0, 1.0)}),
    # Set 11's one run (session 13's freeze, f83034a: set 10 in the fit, wages owed said by the
    # verb, companies' whole names, documents without their edition, a batch of landmarks):
    # keywords P@5 0.820 (met; writer O 0.800, writer P 0.840) and must-have R@8 0.896 (met;
    # O 0.908, P 0.883); the same ranking with jieba's IDF in place of the catalogue 0.825 /
    # 0.904; session 12's final code (37bb42c, measured after the run, a baseline) 0.820 /
    # 0.887; plain jieba 0.250 / 0.154; topics 1.00 / 1.00 each (10, 8, 10 articles);
    # districts 0.975 (39 of 40: met; a city-level industry union's festival at a venue on
    # 金融街 read as 西城区, a landmark of the session's batch; session 12's code 1.00);
    # bylines 0.950 (38 of 40: the target 1.00 not met; credits closing the text in brackets
    # after a unit's name, （平谷区人民法院 通讯员 X Y）, （…宣传部供稿 通讯员 X）).
    # Development since session 13's second round (its misses read, the ranking fitted on it;
    # credits in brackets closing the text and a city industry union's event at a venue read
    # since): a floor now, at the second freeze 0.820 / 0.904 (left out of the fit: 0.815 /
    # 0.896), districts and bylines 1.00.
    "set 11": dict(precision=0.815, recall=0.895, districts=1.0, bylines=1.0,
                   topics={"relief": (1.0, 1.0), "arts": (1.0, 1.0), "dispute": (1.0, 1.0)}),
    # Set 10's one run (session 12's second freeze, da1c7b7: set 9 in the fit, quoted sentences
    # no names): keywords P@5 0.850 (met; writer M 0.850, writer N 0.850) and must-have R@8
    # 0.775 (target 0.80 not met; M 0.733, N 0.817); the same ranking with jieba's IDF in
    # place of the catalogue 0.830 / 0.775; session 12's first-round ranking (measured after
    # the run, a baseline) 0.845 / 0.783; plain jieba 0.125 / 0.142; topics 1.00 / 1.00 each
    # (5, 4, 6 articles); districts 1.00 (40 of 40); bylines 0.975 (39 of 40: the target 1.00
    # not met; a closing credit line 记者：X 通讯员：Y after the outlet's name).
    # Development since session 13 (its misses read; the ranking fitted on it): a floor of the
    # current code now. Session 13's refit with set 10 in: 0.850 / 0.775 (left out of the fit:
    # 0.850 / 0.775). Session 13's freeze (its candidate rules, refitted): 0.875 / 0.833 (left out
    # of the fit: 0.875 / 0.825).
    # Session 14's freeze (set 13 in the fit, the tag history): 0.930 / 0.817, one must-have of
    # its 120 lost in-sample (left out of the fit and the history: 0.900 / 0.833).
    "set 10": dict(precision=0.870, recall=0.815, districts=1.0, bylines=1.0,  # bylines 1.00 since session 13 (credits glued to the text)
                   topics={"relief": (1.0, 1.0), "arts": (1.0, 1.0), "dispute": (1.0, 1.0)}),
    # Set 9's one run (session 12's freeze, 0e06c14: the learned ranking): keywords P@5 0.760
    # and must-have R@8 0.783 (both targets 0.80 not met; writer K 0.750 / 0.800, writer L
    # 0.770 / 0.767); the same ranking with jieba's IDF in place of the catalogue 0.765 /
    # 0.783, plain jieba 0.125 / 0.167; session 11's rules (measured after the run, a
    # baseline) 0.710 / 0.767; topics 1.00 / 1.00 each (6, 4, 5 articles); districts 1.00
    # (40 of 40); bylines 1.00 (40 of 40).
    # Development since session 12's second round (its misses read, the ranking fitted on it):
    # a floor now, at the second freeze: 0.800 / 0.783 (left out of the fit: 0.775 / 0.783);
    # 0.790 / 0.783 once set 10's texts joined the catalogue for its run (one keyword).
    # Session 13's refit with set 10 in the fit: 0.785 / 0.783 (left out: 0.770 / 0.783).
    # Session 13's freeze: 0.805 / 0.792 (left out: 0.780 / 0.775); 0.795 / 0.783 once set
    # 11's texts joined the catalogue for its run (two keywords, one must-have).
    # Session 13's second freeze (set 11 in the fit): 0.785 / 0.792 (left out: 0.785 / 0.783).
    "set 9": dict(precision=0.780, recall=0.783, districts=1.0, bylines=1.0,
                  topics={"relief": (1.0, 1.0), "arts": (1.0, 1.0), "dispute": (1.0, 1.0)}),
    # Set 8's one run (session 11's freeze, 3eff7fd; bylines and districts as on main then,
    # 587b2d7): keywords P@5 0.745 (target 0.80 not met; writer I 0.740, J 0.750) and
    # must-have R@8 0.817 (met; I 0.783, J 0.850); jieba's IDF alone 0.740 / 0.833, plain
    # jieba 0.115 / 0.083; topics 1.00 / 1.00 each (5, 4, 6); districts 0.975 (39 of 40:
    # met); bylines 1.00 (40 of 40: met). Without the own-district decision it would read
    # 0.665 / 0.800 (its writers accepted the district in none of 35 district articles).
    # Development since session 12 (its misses were read; the learned ranking is fitted on
    # it with the other development sets): a floor now. Session 12's freeze: 0.815 / 0.842
    # (left out of the fit, leave-one-set-out: 0.815 / 0.833).
    # Session 12's second freeze (set 9 joined the fit): 0.810 / 0.833 (left out: 0.810 / 0.833).
    # Session 13's refit with set 10 in the fit: 0.815 / 0.833 (left out: 0.810 / 0.833).
    # Session 13's freeze: 0.810 / 0.858 (left out: 0.815 / 0.850).
    # Session 13's second freeze: 0.805 / 0.858 (left out: 0.810 / 0.858).
    "set 8": dict(precision=0.800, recall=0.850, districts=0.975, bylines=1.0,
                  topics={"relief": (1.0, 1.0), "arts": (1.0, 1.0), "dispute": (1.0, 1.0)}),
    # Set 7's one run (session 10's freeze, 07e69cd; bylines and districts as on main then):
    # keywords P@5 0.665 and must-have R@8 0.775 (both targets 0.80 not met; jieba's IDF
    # alone 0.660 / 0.783, plain jieba 0.105 / 0.158), topics 1.00 / 1.00 each, districts
    # 1.00 (40 of 40), bylines 0.95 (38 of 40: the target 1.00 not met).
    # Development since session 11 (its misses read): a floor now, at session 11's freeze
    # (the article's own district no keyword, then the session's rules): 0.785 / 0.825.
    # Session 12's freeze (the learned ranking): 0.800 / 0.850.
    # Session 12's second freeze: 0.790 / 0.850 (left out of the fit: 0.800 / 0.850).
    # Session 13's freeze: 0.795 / 0.875 (left out: 0.810 / 0.867).
    "set 7": dict(precision=0.790, recall=0.867, districts=1.0, bylines=1.0,  # bylines 1.00 since 8a3f78a
                  topics={"relief": (1.0, 1.0), "arts": (1.0, 1.0), "dispute": (1.0, 1.0)}),
    # Set 6's one run (session 9's second freeze, 90119d8): keywords P@5 0.655 with the
    # must-haves counted as acceptable, as the labels' definition says (0.535 as its writer
    # E's lists read literally: they leave the must-haves out), R@8 0.817: the precision
    # target 0.80 not met; topics 1.00 / 1.00; districts 0.975 (39 of 40); bylines 0.875
    # (35 of 40: the target 1.00 not met).
    # Development since session 10 (its misses were read): these are floors now. With the
    # labels' A|B spellings read in the acceptable lists too (session 10's scorer; writers E
    # and F wrote 丰台区人民法院|丰台法院 there) its one run reads 0.700 / 0.817; session 10's
    # rules 0.730 / 0.842 (docs/keywords.md).
    # Session 11's freeze (own district no keyword, then the session's rules): 0.830 / 0.858,
    # districts and bylines 1.00.
    # Session 12's freeze (the learned ranking): 0.865 / 0.875.
    # Session 12's second freeze: 0.855 / 0.875 (left out of the fit: 0.855 / 0.875).
    # Session 13's freeze: 0.875 / 0.875 (left out: 0.875 / 0.875).
    "set 6": dict(precision=0.870, recall=0.867, districts=1.0, bylines=1.0,
                  topics={"relief": (1.0, 1.0), "arts": (1.0, 1.0), "dispute": (1.0, 1.0)}),
    # Set 5's one run (session 9, rules frozen at 9bc03eb): keywords 0.800 / 0.825, relief
    # R 0.909 (10 of 11), bylines 0.875 (35 of 40: the target 1.00 not met). Development
    # since (its misses were read), so these are floors now, not a clean figure.
    # Session 11: its writers accepted the article's district, no keyword since the product
    # decision: 0.845 / 0.850 -> 0.795 / 0.858 with the decision alone, 0.795 / 0.867 at the
    # freeze; bylines 1.00 since session 10.
    # (0.790 / 0.867 once set 8's texts joined the catalogue: one keyword)
    # Session 12's freeze (the learned ranking): 0.820 / 0.892.
    # Session 12's second freeze: 0.825 / 0.900.
    # Session 13's refit with set 10 in the fit: 0.815 / 0.900 (left out: 0.815 / 0.900).
    # Session 13's freeze: 0.815 / 0.900 (left out: 0.810 / 0.900).
    # Session 13's second freeze: 0.810 / 0.900 (left out: 0.810 / 0.900).
    # Session 14's freeze (set 13 in the fit, the tag history): 0.860 / 0.883, one must-have of
    # its 120 lost to the history (left out: 0.835 / 0.883; without the history 0.810 / 0.892).
    "set 5": dict(precision=0.805, recall=0.883, districts=1.0, bylines=1.0,
                  topics={"relief": (1.0, 0.909), "arts": (1.0, 1.0), "dispute": (1.0, 1.0)}),
    # Set 2, re-measured (a guard; its clean run was in session 3). 0.900 before 农民工工资 and
    # 拖欠工资 became words (from set 5's misses, development): one top-five keyword of its
    # 150 lost; its articles were not read. Bylines 29 -> 30 of 30 with set 5's byline forms.
    # 0.913 after session 10's rules (kinds weighed by the development sets' acceptance),
    # measured, not read.
    # Session 11: 0.860 / 0.811 with the article's own district no keyword (its labels accept
    # it), 0.873 / 0.811 at the freeze; measured, not read.
    # Session 12: the learned ranking 0.913 / 0.789 (precision up 0.040, recall down two
    # must-haves of its 90); measured, not read.
    # Session 13's freeze: 0.927 / 0.811; measured, not read.
    # Session 13's second freeze: 0.920 / 0.811; measured, not read.
    "set 2": dict(precision=0.915, recall=0.800, districts=0.966, bylines=1.0,
                  topics={"relief": (1.0, 1.0), "arts": (1.0, 1.0), "dispute": (1.0, 1.0)}),
}
FOLDERS = {"set 17": sets.HELDOUT17, "set 16": sets.HELDOUT16, "set 15": sets.HELDOUT15, "set 14": sets.HELDOUT14, "set 13": sets.HELDOUT13, "set 12": sets.HELDOUT12, "set 11": sets.HELDOUT11, "set 10": sets.HELDOUT10, "set 9": sets.HELDOUT9, "set 8": sets.HELDOUT8, "set 7": sets.HELDOUT7, "set 6": sets.HELDOUT6, "set 5": sets.HELDOUT5, "set 2": sets.HELDOUT2}


@pytest.mark.parametrize("name", MEASURED)
def test_the_test_sets_figures(name):
    articles, want = sets.heldout_articles(FOLDERS[name]), MEASURED[name]
    precision, recall, _ = sets.keyword_scores(articles)
    topics, _ = sets.topic_scores(articles)
    districts, bylines = sets.district_scores(articles)[0], sets.byline_scores(articles)[0]
    print(f"\n{name}: keywords P@5 {precision:.3f} R@8 {recall:.3f}, districts {districts:.3f}, bylines {bylines:.3f}, "
          + ", ".join(f"{t} P {p:.2f} R {r:.2f}" for t, (p, r, *_) in topics.items()))
    assert precision >= want["precision"] - 0.0005 and recall >= want["recall"] - 0.0005
    assert districts >= want["districts"] and bylines >= want["bylines"]
    for topic_id, (p, r, *_) in topics.items():
        floor_p, floor_r = want["topics"][topic_id]
        assert p >= floor_p - 0.005 and r >= floor_r - 0.005, topic_id


def test_the_first_set_stays_where_the_development_work_left_it():
    """Development figures of the 96-article set (both halves), guarded against regressions."""
    articles = sets.unseen_articles()
    precision, recall, _ = sets.keyword_scores(articles)
    # 0.946 / 0.868 after session 10; 0.917 / 0.819 at session 11's freeze: its labels accept
    # the article's own district, no keyword since the product decision (0.915 / 0.819 with it alone)
    # session 13's freeze (set 10 in the fit, its candidate rules): 0.927 / 0.8125 (half A 0.930 / 0.819,
    # half B 0.924 / 0.807): one must-have of 288 lost to the refit; the floors of these sets
    # sit about one keyword below the freeze's figures since (MEASURED's comment)
    assert precision >= 0.92 and recall >= 0.805  # 0.917 / 0.816 with set 8's texts in the catalogue; 0.927 / 0.819 with session 12's learned ranking
    result, _ = sets.topic_scores(articles)
    assert all(p == 1.0 and r == 1.0 for p, r, *_ in result.values()), result
    assert sets.district_scores(articles)[0] >= 0.97
    assert sets.byline_scores(articles)[0] == 1.0
    # Set 1 (development since session 7) and the byline and district forms written then.
    set1 = sets.heldout_articles(sets.HELDOUT)
    precision, recall, _ = sets.keyword_scores(set1)
    assert precision >= 0.94 and recall >= 0.875  # session 13's freeze 0.945 / 0.883; session 12's second fit 0.935 / 0.875; its learned ranking 0.940 / 0.883; 0.930 / 0.875 at session 11's freeze, 0.930 / 0.867 with set 8's texts in the catalogue (0.950 / 0.875 after session 10)
    # Set 3 (a test set in session 7: 0.743 / 0.752, bylines 0.914; development since session 8).
    set3 = sets.heldout_articles(sets.HELDOUT3)
    precision, recall, _ = sets.keyword_scores(set3)
    assert precision >= 0.85 and recall >= 0.86  # session 13 0.857 / 0.867; session 12 0.851 / 0.867; 0.834 / 0.867 at session 11's freeze (0.880 / 0.876 after session 10)
    result, _ = sets.topic_scores(set3)
    assert all(p == 1.0 and r == 1.0 for p, r, *_ in result.values()), result
    # Set 4 (the test set of session 8: 0.765 / 0.783, bylines 0.825, arts P 0.875 at its
    # one run; development since, after its misses were read).
    set4 = sets.heldout_articles(sets.HELDOUT4)
    precision, recall, _ = sets.keyword_scores(set4)
    assert precision >= 0.84 and recall >= 0.895  # session 12 0.845 / 0.900; 0.840 / 0.917 at session 11's freeze (0.870 / 0.908 after session 10)
    result, _ = sets.topic_scores(set4)
    assert all(p == 1.0 and r == 1.0 for p, r, *_ in result.values()), result
    # Set 5 (the test set of session 9's first freeze: 0.800 / 0.825, bylines 0.875, relief R
    # 0.909 at its one run; development since, after its misses were read).
    set5 = sets.heldout_articles(sets.HELDOUT5)
    precision, recall, _ = sets.keyword_scores(set5)
    assert precision >= 0.81 and recall >= 0.88  # session 14 (the tag history) 0.860 / 0.883; session 13 0.815 / 0.900; session 12 0.820 / 0.892; 0.795 / 0.867 at session 11's freeze, 0.790 / 0.867 with set 8's texts in the catalogue (0.845 / 0.850 after session 10)
    result, _ = sets.topic_scores(set5)
    assert all(p == 1.0 for p, *_ in result.values()) and result["relief"][1] >= 0.9, result
    for articles in (set1, set3, set4, set5, sets.dev_form_articles()):
        assert sets.district_scores(articles)[0] == 1.0
        assert sets.byline_scores(articles)[0] == 1.0


def test_keywords_are_never_an_outlet_or_a_reporter():
    """What the issue saw on other newsrooms' text, checked on every labelled article: no
    outlet and no reporter from the credits becomes a keyword."""
    credits = re.compile(r"(新华社|中新网|人民网|千龙网|中工网|京工网|北青网|光明网|央广网|网讯|日报|晚报|客户端)$")
    for article in (*sets.development_articles(), *sets.test_articles()):
        top = sets.extracted_keywords(article)
        people = set(article.reporters) | set(article.correspondents)
        assert not people & set(top), (article.name, top)
        assert not [t for t in top if credits.search(t)], (article.name, top)
