"""相关报道: the articles most related to each article, by shared keywords.

Pelican-free. Candidates come from an inverted index (keyword -> articles), never from
comparing all pairs, so a 20,000-article catalogue costs about as much per article as a
small one. A shared keyword counts by how rare it is in the catalogue; the sum is then
weighted toward the same district and nearby dates. Keywords carried by more than
``max_posting`` articles (a district's name in a big catalogue) are too common to say
two articles belong together and are not used to find candidates.

The order is deterministic: score, then the newer article, then the key.
"""

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


def related_articles(entries, limit=DEFAULT_LIMIT, max_posting=MAX_POSTING):
    """``{key: [related keys, best first]}`` for every entry that is not a draft.

    Drafts are neither given related articles nor offered as one. Keys must be unique.
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

    result = {}
    for index, entry in enumerate(published):
        shared = defaultdict(float)
        for keyword in dict.fromkeys(entry.keywords):
            posting = postings[keyword]
            if len(posting) > max_posting:
                continue
            w = weight[keyword]
            for other in posting:
                if other != index:
                    shared[other] += w
        scored = []
        for other, score in shared.items():
            candidate = published[other]
            if entry.district and entry.district != CITYWIDE and candidate.district == entry.district:
                score *= 1.0 + SAME_DISTRICT_BONUS
            apart = None if days[index] is None or days[other] is None else days[index] - days[other]
            score *= date_weight(apart)
            scored.append((-score, -(days[other] or 0), candidate.key))
        scored.sort()
        result[entry.key] = [key for _, _, key in scored[:limit]]
    return result
