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
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from newsroom import DATA_DIR
from newsroom.text.slugs import pinyin_slug

log = logging.getLogger(__name__)

CITYWIDE = "全市"
GAZETTEER_PATH = DATA_DIR / "gazetteer.toml"

# How much one mention counts, by where it is. A place in the headline is decisive on
# its own (see district_of); the lead paragraph, which carries the byline and says who
# did what where, counts double a mention further down.
LEAD_WEIGHT = 2
BODY_WEIGHT = 1
# With this many districts named and none holding half the mentions, the article is a
# round-up of the whole city (e.g. a list of every district federation's results).
ROUNDUP_DISTRICTS = 4

# Kinds of name the scan can find.
PLACE, CUE, TITLE_CUE, NOT_PLACE = "place", "cue", "title_cue", "not_place"

UNIT_SUFFIXES = {
    "streets": ("街道",),
    "towns": ("镇",),
    "townships": ("乡",),
}
# Stripped to find a unit's stem (常营回族乡 -> 常营); longest first.
STEM_SUFFIXES = ("满族蒙古族乡", "回族乡", "满族乡", "街道", "镇", "乡")


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


class GazetteerError(ValueError):
    """The gazetteer data file itself is wrong (names the file and what to fix)."""


@dataclass(frozen=True)
class Gazetteer:
    districts: tuple  # official names, in the file's order
    units: dict  # district -> tuple of its township-level units
    accepted: dict  # what District: may say -> official name (or CITYWIDE)
    slugs: dict  # official name (and CITYWIDE) -> pinyin slug
    names: dict  # every scanned name -> (kind, district or None)
    pattern: re.Pattern  # the one trie regex over every scanned name
    as_of: str = ""


def _stem(unit):
    for suffix in STEM_SUFFIXES:
        if unit.endswith(suffix) and len(unit) > len(suffix):
            return unit[: -len(suffix)]
    return unit


def trie_regex(words):
    """One regex matching any of ``words``, longest first at each position.

    The alternation is nested by shared prefix, so the engine does one step per
    character instead of trying every word in turn.
    """
    trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node):
        terminal = "" in node
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        if len(branches) == 1 and not terminal:
            return branches[0]
        group = "(?:" + "|".join(branches) + ")"
        return group + "?" if terminal else group  # greedy: the longer word is tried first

    return re.compile(emit(trie))


def load_gazetteer(path=GAZETTEER_PATH):
    """Read and check the gazetteer; raises :class:`GazetteerError` naming the problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise GazetteerError(f"{path}: cannot read the gazetteer: {error}") from None

    def fail(problem):
        raise GazetteerError(f"{path}: {problem}")

    entries = data.get("district") or fail("no [[district]] tables")
    citywide = data.get("citywide", {})
    detection = data.get("detection", {})
    no_bare = set(detection.get("no_bare", []))

    districts, units, accepted, slugs = [], {}, {}, {}
    owners = {}  # scanned place name -> set of districts
    for entry in entries:
        name = entry.get("name") or fail("a [[district]] without name")
        if not name.endswith("区"):
            fail(f"district {name!r} should end with 区")
        districts.append(name)
        own = []
        for kind, suffixes in UNIT_SUFFIXES.items():
            for unit in entry.get(kind, []):
                if not unit.endswith(suffixes):
                    fail(f"{name}: {unit!r} is listed under {kind} but does not end with {suffixes[0]}")
                own.append(unit)
        if len(set(own)) != len(own):
            fail(f"{name}: a unit is listed twice")
        units[name] = tuple(own)

        places = {name, *entry.get("short", []), *own, *entry.get("landmarks", [])}
        for unit in own:
            stem = _stem(unit)
            if not unit.endswith("街道") and len(stem) >= 2:
                places.add(stem + "地区")  # 长阳地区: the name of a town's 地区办事处
            if len(stem) >= 3 and stem not in no_bare:
                places.add(stem)  # 回龙观, 东高村
            if unit.endswith(("回族乡", "满族乡", "满族蒙古族乡")):
                places.add(stem + "乡")  # 常营乡
        for place in places:
            owners.setdefault(place, set()).add(name)

        for form in (name, *entry.get("short", [])):
            if accepted.get(form, name) != name:
                fail(f"{form!r} names both {accepted[form]} and {name}")
            accepted[form] = name
        slug = pinyin_slug(name[:-1])  # 门头沟区 -> mentougou
        if slug in slugs.values():
            fail(f"{name}: its pinyin slug {slug!r} is already taken")
        slugs[name] = slug
        accepted[slug] = name

    citywide_name = citywide.get("name", CITYWIDE)
    if citywide_name != CITYWIDE:
        fail(f"[citywide] name must be {CITYWIDE!r}")
    slugs[CITYWIDE] = pinyin_slug(CITYWIDE)
    for alias in (CITYWIDE, *citywide.get("aliases", []), slugs[CITYWIDE]):
        accepted[alias] = CITYWIDE

    names = {}
    for place, its in owners.items():
        # A name shared by two districts (八里庄街道) places an article in neither.
        names[place] = (PLACE, next(iter(its)) if len(its) == 1 else None)
    for cue in citywide.get("cues", []):
        names[cue] = (CUE, CITYWIDE)
    for cue in citywide.get("title_cues", []):
        names.setdefault(cue, (TITLE_CUE, CITYWIDE))
    for phrase in detection.get("not_places", []):
        names[phrase] = (NOT_PLACE, None)

    total = sum(len(u) for u in units.values())
    expected = data.get("meta", {}).get("units")
    if expected is not None and total != expected:
        fail(f"[meta] units says {expected} but the districts list {total} units")
    log.debug("gazetteer %s: %d districts, %d units, %d names", path, len(districts), total, len(names))
    return Gazetteer(
        districts=tuple(districts),
        units=units,
        accepted=accepted,
        slugs=slugs,
        names=names,
        pattern=trie_regex(names),
        as_of=str(data.get("meta", {}).get("as_of", "")),
    )


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


def _lead_and_rest(body):
    """The first paragraph with text (it carries the byline) and the rest of the body."""
    parts = re.split(r"\n\s*\n", (body or "").strip(), maxsplit=1)
    return parts[0], (parts[1] if len(parts) > 1 else "")


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
    lead, rest = _lead_and_rest(body)
    for text, weight, offset in ((lead, LEAD_WEIGHT, 0), (rest, BODY_WEIGHT, len(lead))):
        for kind, district, _, position in mentions(text):
            if kind == PLACE and district:
                scores[district] += weight
                first_seen.setdefault(district, offset + position)
            elif kind == CUE:
                citywide += weight

    if in_title:
        # Two districts in a headline: the more often named, then the first named (the
        # headline's subject: 石景山区职工走进海淀区养老院 is 石景山区 news).
        return max(in_title, key=lambda d: (in_title[d], -first_in_title[d]))
    if title_citywide:
        return CITYWIDE
    if not scores:
        return CITYWIDE if citywide else None
    best = max(scores, key=lambda d: (scores[d], -first_seen[d]))
    if citywide >= scores[best]:
        return CITYWIDE
    if len(scores) >= ROUNDUP_DISTRICTS and 2 * scores[best] < sum(scores.values()):
        return CITYWIDE
    return best
