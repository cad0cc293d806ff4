"""相关报道: the articles most related to each article, by shared keywords.

Pelican-free. Candidates come from an inverted index (keyword -> articles), never from
comparing all pairs, so a 20,000-article catalogue costs about as much per article as a
small one. A shared keyword counts by how rare it is in the catalogue; the sum is then
weighted toward the same district and nearby dates. Keywords carried by more than
``max_posting`` articles (a district's name in a big catalogue) are too common to say
two articles belong together and are not used to find candidates.

The order is deterministic: score, then the newer article, then the key.
"""

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

CITYWIDE = "全市"  # not a district: two citywide stories are not neighbours for that

DEFAULT_LIMIT = 5
MAX_POSTING = 200  # keywords on more articles than this are not used to find candidates
SAME_DISTRICT_BONUS = 0.5  # same district: score x 1.5
DATE_HALF_LIFE_DAYS = 180  # an article half a year away weighs half as much


@dataclass(frozen=True)
class Entry:
    """What relatedness needs to know about one article."""

    key: str  # unique and stable (the article's URL or source path)
    keywords: tuple = ()
    district: str = ""
    date: object = None  # date or datetime
    draft: bool = False


def _day(value):
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().toordinal()
    if isinstance(value, date):
        return value.toordinal()
    raise TypeError(f"date must be a date or datetime, not {type(value).__name__}")


def date_weight(days_apart):
    """1 for the same day, 1/2 at DATE_HALF_LIFE_DAYS, 1/3 at twice that ..."""
    if days_apart is None:
        return 0.5
    return 1.0 / (1.0 + abs(days_apart) / DATE_HALF_LIFE_DAYS)


def related_articles(entries, limit=DEFAULT_LIMIT, max_posting=MAX_POSTING, only=None):
    """``{key: [related keys, best first]}`` for every entry that is not a draft.

    Drafts are neither given related articles nor offered as one. Keys must be unique.
    ``only`` (a set of keys): compute the lists of those entries alone, against the whole
    catalogue (what a build that kept the other lists needs: newsroom/build/related_cache.py).
    """
    published = [entry for entry in entries if not entry.draft]
    keys = [entry.key for entry in published]
    if len(set(keys)) != len(keys):
        seen, dupes = set(), set()
        for key in keys:
            (dupes if key in seen else seen).add(key)
        raise ValueError(f"related_articles: duplicate keys {sorted(dupes)[:3]}")

    postings = defaultdict(list)
    for index, entry in enumerate(published):
        for keyword in dict.fromkeys(entry.keywords):  # each keyword once, order kept
            postings[keyword].append(index)
    total = len(published)
    weight = {kw: math.log(1.0 + total / len(post)) for kw, post in postings.items()}
    days = [_day(entry.date) for entry in published]

    # The hot loop (every article x every candidate): the same arithmetic as
    # date_weight() and the same order of additions, so the scores are identical to
    # the plain formulation; only the best ``limit`` are sorted (heapq.nsmallest is
    # sorted(...)[:limit]).
    districts = [entry.district for entry in published]
    half_life = DATE_HALF_LIFE_DAYS
    bonus = 1.0 + SAME_DISTRICT_BONUS
    result = {}
    for index, entry in enumerate(published):
        if only is not None and entry.key not in only:
            continue
        shared = {}
        for keyword in dict.fromkeys(entry.keywords):
            posting = postings[keyword]
            if len(posting) > max_posting:
                continue
            w = weight[keyword]
            if not shared:
                shared = dict.fromkeys(posting, w)  # 0.0 + w is w
                continue
            get = shared.get
            for other in posting:
                shared[other] = get(other, 0.0) + w
        shared.pop(index, None)  # never its own related article
        district = entry.district if entry.district and entry.district != CITYWIDE else None
        day = days[index]
        scored = []
        append = scored.append
        for other, score in shared.items():
            if district is not None and districts[other] == district:
                score *= bonus
            other_day = days[other]
            if day is None or other_day is None:
                score *= 0.5
            else:
                score *= 1.0 / (1.0 + abs(day - other_day) / half_life)
            append((-score, -(other_day or 0), keys[other]))
        result[entry.key] = [key for _, _, key in heapq.nsmallest(limit, scored)]
    return result
