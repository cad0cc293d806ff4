"""The keyword rankings kept between builds (newsroom/build/ranking_cache.py) equal a fresh
ranking under the same statistics, and only the articles whose terms changed frequency
are ranked again."""

import random
from collections import Counter

from newsroom.build.ranking_cache import RankingCache
from newsroom.text import keywords as kw

TERMS = ["职工", "工会", "劳模", "疗休养", "门头沟区", "欠薪", "调解", "书屋", "职工书屋", "民宿", "民宿管家",
         "技能", "竞赛", "服务", "慰问", "长阳镇", "长阳镇总工会", "艺术节", "摄影", "快递员"]


def catalogue(seed, size=40):
    rng = random.Random(seed)
    articles = {}
    for number in range(size):
        terms = rng.sample(TERMS, rng.randint(3, 9))
        articles[f"a{number}.md"] = Counter({term: round(rng.uniform(0.2, 6.0), 2) for term in terms})
    return articles


def build(cache_path, articles, editor, top_k=5, district=None):
    """One build's keywords, through the cache, and the same ranked afresh; ``district``:
    the district each article is filed under (its own names are no keywords)."""
    district = district or {}
    corpus = kw.Corpus.from_candidates(articles.values())
    rankings = RankingCache.open(cache_path, "code")
    ranked = rankings.ranker(corpus, kw.rank_keywords)
    through_cache = {name: ranked(name, repr(sorted(found.items())), found, top_k, editor.get(name, []),
                                  district.get(name, ""))
                     for name, found in articles.items()}
    rankings.save()
    fresh = {name: [term for term, _ in kw.rank_keywords(found, corpus, top_k, exclude=editor.get(name, []),
                                                         district=district.get(name, ""))]
             for name, found in articles.items()}
    return through_cache, fresh, rankings


def test_rankings_equal_fresh_ones_through_a_sequence_of_edits(tmp_path):
    rng = random.Random(7)
    articles = catalogue(1)
    editor, district = {}, {}
    through_cache, fresh, rankings = build(tmp_path, articles, editor, district=district)
    assert through_cache == fresh and rankings.reranked == len(articles)
    through_cache, fresh, rankings = build(tmp_path, articles, editor, district=district)  # nothing changed
    assert through_cache == fresh and rankings.reranked == 0
    for step in range(30):
        kind = rng.choice(["text", "text", "tags", "district", "add", "delete"])
        name = rng.choice(sorted(articles))
        if kind == "text":
            term = rng.choice(TERMS)
            articles[name] = Counter(articles[name])
            articles[name][term] = round(rng.uniform(0.2, 6.0), 2)
        elif kind == "tags":
            editor[name] = [rng.choice(TERMS)]
        elif kind == "district":  # District: set or changed, text the same: 门头沟区 in or out
            district[name] = rng.choice(["门头沟区", "房山区", "全市", ""])
        elif kind == "add":
            articles[f"new{step}.md"] = catalogue(100 + step, 1)["a0.md"]
        elif len(articles) > 5:
            del articles[name]
        through_cache, fresh, rankings = build(tmp_path, articles, editor, district=district)
        assert through_cache == fresh, (step, kind)


def test_an_edit_that_changes_no_frequency_ranks_one_article(tmp_path):
    articles = catalogue(2)
    build(tmp_path, articles, {})
    name = "a3.md"
    articles[name] = Counter({term: weight + 0.5 for term, weight in articles[name].items()})  # same terms
    through_cache, fresh, rankings = build(tmp_path, articles, {})
    assert through_cache == fresh
    assert (rankings.reranked, rankings.kept) == (1, len(articles) - 1)


def test_an_added_article_ranks_everything_again(tmp_path):
    """Every IDF depends on the number of articles: the statistics are never frozen."""
    articles = catalogue(3)
    build(tmp_path, articles, {})
    articles["added.md"] = Counter({"快递员": 3.0})
    through_cache, fresh, rankings = build(tmp_path, articles, {})
    assert through_cache == fresh and rankings.reranked == len(articles)


def test_an_unreadable_cache_ranks_everything(tmp_path):
    articles = catalogue(4)
    build(tmp_path, articles, {})
    for path in (tmp_path / "keywords").glob("ranking-*"):
        path.write_bytes(b"not marshal")
    through_cache, fresh, rankings = build(tmp_path, articles, {})
    assert through_cache == fresh and rankings.reranked == len(articles)


def test_a_changed_district_ranks_that_article_again(tmp_path):
    """The district an article is filed under is part of its ranking (its own names are no
    keywords): a changed ``District:`` with the same text is no kept ranking."""
    articles = {"a.md": Counter({"门头沟区": 6.0, "欠薪": 2.0, "调解": 1.0}), "b.md": Counter({"民宿": 3.0})}
    through_cache, _, _ = build(tmp_path, articles, {})
    assert "门头沟区" in through_cache["a.md"]
    through_cache, fresh, rankings = build(tmp_path, articles, {}, district={"a.md": "门头沟区"})
    assert through_cache == fresh and "门头沟区" not in through_cache["a.md"]
    assert (rankings.reranked, rankings.kept) == (1, 1)
