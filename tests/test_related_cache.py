"""相关报道 kept between builds (newsroom/build/related_cache.py) equal the lists computed
afresh over the same catalogue, and only the articles sharing a changed keyword are
scored again."""

import dataclasses
import random
from datetime import date, timedelta

from newsroom.build.related_cache import RelatedCache
from newsroom.text.related import Entry, related_articles

KEYWORDS = ["职工书屋", "劳模", "疗休养", "欠薪", "调解", "技能竞赛", "快递员", "艺术节", "摄影", "民宿管家",
            "门头沟区", "长阳镇", "农民工", "安全生产", "读书月"]
DISTRICTS = ["门头沟区", "房山区", "海淀区", "全市", ""]


def entry(rng, key):
    return Entry(key=key, keywords=tuple(rng.sample(KEYWORDS, rng.randint(1, 6))), district=rng.choice(DISTRICTS),
                 date=date(2024, 1, 1) + timedelta(days=rng.randint(0, 700)), draft=rng.random() < 0.05)


def build(cache_path, entries, limit=3, max_posting=12):
    cache = RelatedCache.open(cache_path, "code")
    kept = cache.related(entries, limit, max_posting, related_articles)
    cache.save()
    return kept, related_articles(entries, limit=limit, max_posting=max_posting), cache


def test_lists_equal_fresh_ones_through_a_sequence_of_edits(tmp_path):
    rng = random.Random(11)
    entries = [entry(rng, f"a{number}.md") for number in range(60)]
    kept, fresh, cache = build(tmp_path, entries)
    assert kept == fresh and cache.computed == len(fresh)
    kept, fresh, cache = build(tmp_path, entries)
    assert kept == fresh and cache.computed == 0
    for step in range(40):
        kind = rng.choice(["keywords", "district", "date", "draft", "add", "delete"])
        index = rng.randrange(len(entries))
        if kind == "keywords":
            entries[index] = dataclasses.replace(entries[index], keywords=tuple(rng.sample(KEYWORDS, 3)))
        elif kind == "district":
            entries[index] = dataclasses.replace(entries[index], district=rng.choice(DISTRICTS))
        elif kind == "date":
            entries[index] = dataclasses.replace(entries[index], date=entries[index].date + timedelta(days=30))
        elif kind == "draft":
            entries[index] = dataclasses.replace(entries[index], draft=not entries[index].draft)
        elif kind == "add":
            entries.insert(index, entry(rng, f"new{step}.md"))
        elif len(entries) > 10:
            del entries[index]
        kept, fresh, cache = build(tmp_path, entries)
        assert kept == fresh, (step, kind)


def test_an_edit_scores_only_the_articles_sharing_its_keywords(tmp_path):
    rng = random.Random(12)
    entries = [entry(rng, f"a{number}.md") for number in range(60)]
    entries = [dataclasses.replace(e, draft=False) for e in entries]
    build(tmp_path, entries)
    entries[0] = dataclasses.replace(entries[0], district="房山区" if entries[0].district != "房山区" else "海淀区")
    kept, fresh, cache = build(tmp_path, entries)
    assert kept == fresh
    sharing = {e.key for e in entries if set(e.keywords) & set(entries[0].keywords)}
    assert cache.computed == len(sharing) < len(entries)


def test_an_unreadable_cache_computes_everything(tmp_path):
    rng = random.Random(13)
    entries = [entry(rng, f"a{number}.md") for number in range(30)]
    build(tmp_path, entries)
    for path in (tmp_path / "keywords").glob("related-*"):
        path.write_bytes(b"\x00broken")
    kept, fresh, cache = build(tmp_path, entries)
    assert kept == fresh and cache.computed == len(fresh)
