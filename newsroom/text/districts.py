"""Beijing's districts: normalising ``District:`` metadata and detecting it from text.

Every article belongs to one of Beijing's 16 districts or is citywide news by the
municipal federation (:data:`CITYWIDE`). The names come from the gazetteer data file
``newsroom/data/gazetteer.toml`` (districts, short forms, the 343 township-level units,
landmarks, citywide cues).

Detection reads the text once with a single regular expression built as a trie over
every name in the gazetteer (about 900 names), so it costs one linear scan per article
rather than one ``in`` test per name; at each position the longest name wins
(大兴庄镇 is a town of 平谷区, not 大兴区).
"""

import difflib
import logging
import re
from collections import Counter
from functools import lru_cache

# The gazetteer's names are re-exported: callers ask districts for them.
from newsroom.text.gazetteer import (CITYWIDE, CUE, GAZETTEER_PATH, NOT_PLACE, PLACE, TITLE_CUE,  # noqa: F401
                                     GazetteerError, trie_regex)
from newsroom.text.gazetteer import load_gazetteer as load_places
from newsroom.text.slugs import pinyin_slug, save_pinyin_memo

log = logging.getLogger(__name__)

# How much one mention counts, by where it is. A place in the headline is decisive on
# its own (see district_of); the lead paragraph, which carries the byline and says who
# did what where, counts double a mention further down.
LEAD_WEIGHT = 2
BODY_WEIGHT = 1
# With this many districts named and none holding half the mentions, the article is a
# round-up of the whole city (e.g. a list of every district federation's results).
ROUNDUP_DISTRICTS = 4
# A city-level body (a city industry union: 北京市建设工会) whose story names this many districts,
# none holding more than half the mentions, is the city's news, not the most named district's
# (session 14, second round: set 14's v20, worksites in 通州, 大兴 and 丰台).
SPREAD_DISTRICTS = 3


class UnknownDistrict(ValueError):
    """A ``District:`` value that names no district; ``suggestions`` are the nearest names."""

    def __init__(self, value, suggestions=()):
        self.value = value
        self.suggestions = list(suggestions)
        hint = f"; did you mean {'、'.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(
            f"unknown district {value!r}{hint} (District: takes one of Beijing's 16 districts, "
            f"a short form such as 门头沟, or {CITYWIDE})"
        )


def load_gazetteer(path=GAZETTEER_PATH):
    """The gazetteer with every district's pinyin slug (which ``District:`` also accepts)."""
    places = load_places(path, slugify=pinyin_slug)
    save_pinyin_memo()
    return places


@lru_cache(maxsize=1)
def gazetteer():
    """The project's gazetteer, read once."""
    return load_gazetteer()


def district_names():
    """The 16 districts' official names, in the gazetteer's (official) order."""
    return gazetteer().districts


def suggest(value, limit=3):
    """The districts nearest to a mistyped ``value`` (门头钩 -> 门头沟区)."""
    gaz = gazetteer()
    found = []
    kind, owner = gaz.names.get(value, (None, None))
    if kind == PLACE and owner:  # a town or landmark: suggest its district
        found.append(owner)
    for close in difflib.get_close_matches(value, list(gaz.accepted), n=limit * 2, cutoff=0.5):
        found.append(gaz.accepted[close])
    return list(dict.fromkeys(found))[:limit]


def normalize_district(value):
    """``门头沟`` -> ``门头沟区``, ``全市`` -> ``全市``; anything else raises :class:`UnknownDistrict`."""
    key = re.sub(r"\s+", "", str(value or ""))
    gaz = gazetteer()
    if key in gaz.accepted:
        return gaz.accepted[key]
    if key.lower() in gaz.accepted:  # pinyin in any case: MenTouGou
        return gaz.accepted[key.lower()]
    raise UnknownDistrict(value, suggest(key))


def district_slug(name):
    """The pinyin URL part of a district: 门头沟区 -> mentougou, 全市 -> quanshi."""
    return gazetteer().slugs[normalize_district(name)]


def mentions(text):
    """Every gazetteer name in ``text``, in order: ``(kind, district, name, position)``."""
    names = gazetteer().names
    found = []
    for match in gazetteer().pattern.finditer(text or ""):
        kind, district = names[match.group(0)]
        found.append((kind, district, match.group(0), match.start()))
    return found


def industry_unions(text):
    """The city's industry unions and systems named in ``text`` (北京市金融工会, 市教育工会,
    北京市金融系统; the form is the gazetteer's [citywide] industry_*), whose news is the
    city's as the city federation's is: ``(name, position)``. An industry that names a
    place (北京市朝阳工会) is a place's, not the city's."""
    found = []
    for match in gazetteer().industry_unions.finditer(text or ""):
        if not any(kind == PLACE for kind, *_ in mentions(match.group("industry"))):
            found.append((match.group(0), match.start()))
    return found


def _is_reference(text, position):
    """Whether the citywide cue at ``position`` follows a word that makes it a reference to the
    city's standard or a later city event (不低于本市…, 推荐参加全市…: [citywide] reference_before)."""
    return bool(gazetteer().reference_before.search(text, max(0, position - 8), position))


def _own_union_of_a_landmark(text):
    """Whether a landmark is named as the name of its own union (首钢园区工会联合会: [citywide]
    own_union_endings), the venue's district's own body."""
    gaz = gazetteer()
    for kind, _, name, position in mentions(text):
        if kind == PLACE and name in gaz.landmarks and gaz.own_union_endings.match(text, position + len(name)):
            return True
    return False


def _lead_and_rest(body):
    """The first paragraph with text (it carries the byline) and the rest of the body."""
    parts = re.split(r"\n\s*\n", (body or "").strip(), maxsplit=1)
    return parts[0], (parts[1] if len(parts) > 1 else "")


def _held_at_a_venue(title, body, in_title, citywide, industry_only=False):
    """Whether a headline names only venues (首钢园, 北京大兴国际机场) of citywide news: an
    event of the city federation or of a city industry union held there is the city's news,
    unless the story is about the venue's district, which it then names (石景山区,
    石景山区总工会) or one of its towns and streets, or, when a city industry union alone
    (``industry_only``: no citywide cue anywhere) makes it the city's, about a workplace
    there, which the headline or the lead names (工地, 车间: the district's own workers)."""
    if not citywide:
        return False
    gaz = gazetteer()
    lead, _ = _lead_and_rest(body)
    # Only a city industry union's visit is a workplace's (the city federation's, or a citywide
    # headline's, event there stays the city's: 全市班组长技能大赛在首钢园举行), and only a
    # workplace word of its own counts (班组长, 车间主任 are people, not a workplace).
    if industry_only and (gaz.workplace.search(title) or gaz.workplace.search(lead)):
        return False
    # the venue's own union (首钢园区工会联合会) holding the event: the district's news
    if _own_union_of_a_landmark(title + "\n" + body):
        return False
    title_places = [name for kind, district, name, _ in mentions(title) if kind == PLACE and district]
    if not title_places or not all(name in gaz.landmarks for name in title_places):
        return False
    named = {district for kind, district, name, _ in mentions(title + "\n" + body)
             if kind == PLACE and district and name not in gaz.landmarks}
    return not (named & set(in_title))


def district_of(title, body):
    """The district an article is about, :data:`CITYWIDE`, or ``None`` with no evidence.

    A district (or one of its towns and streets) in the headline decides; without one,
    a citywide cue in the headline (北京市…, 市总工会…) makes it citywide news.
    Otherwise mentions are weighed, the lead paragraph double, and the municipal
    federation's cues (市总工会, 全市) count against the best district.
    """
    in_title = Counter()
    first_in_title = {}
    title_citywide = False
    for kind, district, _, position in mentions(title):
        if kind == PLACE and district:
            in_title[district] += 1
            first_in_title.setdefault(district, position)
        elif kind in (CUE, TITLE_CUE):
            title_citywide = True

    scores = Counter()
    first_seen = {}
    citywide = 0
    referenced = False  # a citywide cue only as a reference (不低于本市最低工资标准)
    lead, rest = _lead_and_rest(body)
    for text, weight, offset in ((lead, LEAD_WEIGHT, 0), (rest, BODY_WEIGHT, len(lead))):
        for kind, district, _, position in mentions(text):
            if kind == PLACE and district:
                scores[district] += weight
                first_seen.setdefault(district, offset + position)
            elif kind == CUE and _is_reference(text, position):
                referenced = True
            elif kind == CUE:
                citywide += weight

    if in_title:
        # the city's news at a venue: a citywide cue, or a city industry union (北京市金融工会),
        # which is no cue elsewhere: its visit to a district's workplace is the district's news
        cued = title_citywide or citywide > 0
        industry = not cued and bool(industry_unions(title + "\n" + body))
        if _held_at_a_venue(title, body, in_title, cued or industry, industry_only=industry):
            return CITYWIDE
        # Two districts in a headline: the more often named, then the first named (the
        # headline's subject: 石景山区职工走进海淀区养老院 is 石景山区 news).
        return max(in_title, key=lambda d: (in_title[d], -first_in_title[d]))
    if title_citywide:
        return CITYWIDE
    if not scores:
        if citywide or referenced:
            return CITYWIDE
        gaz = gazetteer()
        return CITYWIDE if any(cue in title or cue in body for cue in gaz.fallback_cues) else None
    best = max(scores, key=lambda d: (scores[d], -first_seen[d]))
    if citywide >= scores[best]:
        return CITYWIDE
    if len(scores) >= ROUNDUP_DISTRICTS and 2 * scores[best] < sum(scores.values()):
        return CITYWIDE
    # a city industry union's story spread over several districts (one named more often does
    # not make it local; at one district's workplace it stays that district's: set 4)
    if (len(scores) >= SPREAD_DISTRICTS and 2 * scores[best] <= sum(scores.values())
            and industry_unions(title + "\n" + body)):
        return CITYWIDE
    return best
