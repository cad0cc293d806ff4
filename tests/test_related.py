"""相关报道: related articles by shared keywords, via an inverted index."""

import itertools
import random
import time
from datetime import date, timedelta

import pytest

from newsroom.text import keywords
from newsroom.text.related import Entry, related_articles
from tests.test_keywords import gold_articles


def entry(key, kws, district="", day=1, draft=False):
    return Entry(key=key, keywords=tuple(kws), district=district, date=date(2024, 1, day), draft=draft)


def test_never_itself_never_a_draft_at_most_five():
    entries = [entry(f"a{i}", ["困难职工", "送温暖"], day=i + 1) for i in range(8)]
    entries.append(entry("draft", ["困难职工", "送温暖"], day=3, draft=True))
    related = related_articles(entries)
    assert "draft" not in related
    for key, others in related.items():
        assert key not in others
        assert "draft" not in others
        assert len(others) == 5


def test_rare_shared_keyword_beats_common_one():
    entries = [entry(f"filler{i}", ["门头沟区"]) for i in range(20)]
    entries += [
        entry("subject", ["门头沟区", "劳动争议"]),
        entry("rare", ["劳动争议"]),
        entry("common", ["门头沟区"]),
    ]
    assert related_articles(entries)["subject"][0] == "rare"


def test_same_district_and_nearby_date_win_ties():
    entries = [
        entry("subject", ["送温暖"], district="房山区", day=10),
        entry("elsewhere", ["送温暖"], district="平谷区", day=10),
        entry("same_district", ["送温暖"], district="房山区", day=10),
    ]
    assert related_articles(entries)["subject"][:2] == ["same_district", "elsewhere"]
    entries = [
        Entry("subject", ("送温暖",), "", date(2024, 1, 10)),
        Entry("old", ("送温暖",), "", date(2022, 1, 10)),
        Entry("near", ("送温暖",), "", date(2024, 1, 12)),
    ]
    assert related_articles(entries)["subject"] == ["near", "old"]


def test_citywide_is_not_a_shared_district():
    entries = [
        entry("subject", ["送温暖"], district="全市", day=10),
        entry("citywide", ["送温暖"], district="全市", day=11),
        entry("district", ["送温暖"], district="房山区", day=9),
    ]
    # Equal date distance: with no district bonus, the newer one comes first.
    assert related_articles(entries)["subject"] == ["citywide", "district"]


def test_nothing_shared_nothing_related():
    related = related_articles([entry("a", ["焊工"]), entry("b", ["大桃"])])
    assert related == {"a": [], "b": []}


def test_deterministic_whatever_the_input_order():
    rng = random.Random(7)
    vocab = [f"词{i}" for i in range(40)]
    entries = [entry(f"k{i}", rng.sample(vocab, 4), rng.choice(["房山区", "平谷区", ""]), rng.randint(1, 28)) for i in range(60)]
    first = related_articles(entries)
    rng.shuffle(entries)
    assert related_articles(entries) == first


def test_duplicate_keys_are_refused():
    with pytest.raises(ValueError, match="duplicate"):
        related_articles([entry("a", ["x"]), entry("a", ["y"])])


def test_gold_set_related_articles_share_keywords():
    articles = gold_articles()
    extracted = {a["name"]: keywords.extract_keywords(a["title"], a["body"]) for a in articles}
    entries = [Entry(name, tuple(kws), "", None) for name, kws in extracted.items()]
    related = related_articles(entries)
    assert any(related.values())
    for key, others in related.items():
        for other in others:
            assert set(extracted[key]) & set(extracted[other])


def test_scales_to_twenty_thousand_articles():
    rng = random.Random(1)
    vocab = [f"词{i}" for i in range(30_000)]
    # Zipf: a few words on thousands of articles, most on a handful.
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocab))))
    districts = ["东城区", "西城区", "朝阳区", "海淀区", "房山区", "平谷区", "全市"]
    start = date(2020, 1, 1)
    entries = [
        Entry(
            f"/a/{i}/",
            tuple(rng.choices(vocab, cum_weights=cumulative, k=8)),
            rng.choice(districts),
            start + timedelta(days=rng.randrange(1500)),
        )
        for i in range(20_000)
    ]
    began = time.process_time()
    related = related_articles(entries)
    elapsed = time.process_time() - began
    print(f"\nrelated articles for 20,000 articles: {elapsed:.1f} s CPU")
    assert len(related) == 20_000
    assert elapsed < 30


def plain_related(entries, limit=5, max_posting=200):
    """The definition, written plainly (every candidate scored, all sorted): the fast
    version must give exactly these lists."""
    import math

    from newsroom.text.related import CITYWIDE, SAME_DISTRICT_BONUS, date_weight

    published = [e for e in entries if not e.draft]
    postings = {}
    for index, e in enumerate(published):
        for keyword in dict.fromkeys(e.keywords):
            postings.setdefault(keyword, []).append(index)
    weight = {kw: math.log(1.0 + len(published) / len(p)) for kw, p in postings.items()}
    days = [e.date.toordinal() if e.date else None for e in published]
    result = {}
    for index, e in enumerate(published):
        shared = {}
        for keyword in dict.fromkeys(e.keywords):
            if len(postings[keyword]) <= max_posting:
                for other in postings[keyword]:
                    if other != index:
                        shared[other] = shared.get(other, 0.0) + weight[keyword]
        scored = []
        for other, score in shared.items():
            if e.district and e.district != CITYWIDE and published[other].district == e.district:
                score *= 1.0 + SAME_DISTRICT_BONUS
            apart = None if days[index] is None or days[other] is None else days[index] - days[other]
            scored.append((-score * date_weight(apart), -(days[other] or 0), published[other].key))
        result[e.key] = [key for _, _, key in sorted(scored)[:limit]]
    return result


def test_fast_scoring_equals_the_plain_definition():
    rng = random.Random(11)
    vocab = [f"词{i}" for i in range(400)]
    zipf = [1 / (i + 1) for i in range(len(vocab))]
    entries = [
        Entry(key=f"k{i}", keywords=tuple(rng.choices(vocab, zipf, k=rng.randint(0, 10))),
              district=rng.choice(["", "全市", "朝阳区", "海淀区"]),
              date=rng.choice([None, date(2020, 1, 1) + timedelta(days=rng.randint(0, 1500))]),
              draft=rng.random() < 0.03)
        for i in range(1500)
    ]
    assert related_articles(entries) == plain_related(entries)
    assert related_articles(entries, limit=2, max_posting=30) == plain_related(entries, limit=2, max_posting=30)
