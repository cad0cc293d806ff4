"""The gazetteer: Beijing's districts, their township-level units, landmarks and cues.

Read from ``newsroom/data/gazetteer.toml`` and checked. This module needs nothing else
of ``newsroom``, so both the segmenter (which adds the place names to its dictionary)
and :mod:`newsroom.text.districts` (which adds the pinyin slugs) can build on it
without an import circle.
"""

import logging
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from newsroom import DATA_DIR

log = logging.getLogger(__name__)

CITYWIDE = "全市"
GAZETTEER_PATH = DATA_DIR / "gazetteer.toml"

# Kinds of name the scan can find.
PLACE, CUE, TITLE_CUE, NOT_PLACE = "place", "cue", "title_cue", "not_place"

UNIT_SUFFIXES = {
    "streets": ("街道",),
    "towns": ("镇",),
    "townships": ("乡",),
}
# Stripped to find a unit's stem (常营回族乡 -> 常营); longest first.
STEM_SUFFIXES = ("满族蒙古族乡", "回族乡", "满族乡", "街道", "镇", "乡")


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
    aliases: dict = None  # other name -> the place's name (大兴机场 -> 北京大兴国际机场)
    landmarks: frozenset = frozenset()  # landmark names and their aliases (venues, areas, zones)
    fallback_cues: tuple = ()  # with no place named at all, these make an article citywide (北京)
    bare_short_stems: frozenset = frozenset()  # 上地, 方庄: places for detection, not segmenter words
    workplaces: tuple = ()  # 工地, 车间: a story at a workplace at a venue is the venue's district's
    workplace: re.Pattern = re.compile("(?!)")  # a workplace word of its own (车间, not 车间主任)
    industry_unions: re.Pattern = re.compile("(?!)")  # 北京市金融工会, 市教育工会: the city's, as a cue
    reference_before: re.Pattern = re.compile("(?!)")  # 不低于(本市…), 推荐参加(全市…): a cue as a reference
    own_union_endings: re.Pattern = re.compile("(?!)")  # (首钢园区)工会联合会: a landmark's own union


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


def load_gazetteer(path=GAZETTEER_PATH, slugify=None):
    """Read and check the gazetteer; raises :class:`GazetteerError` naming the problem.

    ``slugify`` (the pinyin slug function) fills ``slugs`` and lets ``District:`` take a
    district's slug; without it (the segmenter needs only the names) ``slugs`` is empty.
    """
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
    # 上地, 方庄, 双井: two-character stems that stories use bare as an area's name (shorter
    # stems count bare only when listed: most, 新村, 城南, 向阳, name places anywhere)
    bare_short = set(detection.get("bare_short_stems", []))
    short_used = set()

    districts, units, accepted, slugs = [], {}, {}, {}
    aliases = {}
    landmarks = set()
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
        landmarks.update(entry.get("landmarks", []))
        for alias, meant in (entry.get("aliases") or {}).items():
            if meant not in places:
                fail(f"{name}: alias {alias!r} stands for {meant!r}, which is not one of its landmarks or units")
            aliases[alias] = meant
            places.add(alias)
            if meant in landmarks:
                landmarks.add(alias)
        for unit in own:
            stem = _stem(unit)
            if not unit.endswith("街道") and len(stem) >= 2:
                places.add(stem + "地区")  # 长阳地区: the name of a town's 地区办事处
            if len(stem) >= 3 and stem not in no_bare:
                places.add(stem)  # 回龙观, 东高村
            if stem in bare_short:
                places.add(stem)
                short_used.add(stem)
            if unit.endswith(("回族乡", "满族乡", "满族蒙古族乡")):
                places.add(stem + "乡")  # 常营乡
        for place in places:
            owners.setdefault(place, set()).add(name)

        for form in (name, *entry.get("short", [])):
            if accepted.get(form, name) != name:
                fail(f"{form!r} names both {accepted[form]} and {name}")
            accepted[form] = name
        if slugify:
            slug = slugify(name[:-1])  # 门头沟区 -> mentougou
            if slug in slugs.values():
                fail(f"{name}: its pinyin slug {slug!r} is already taken")
            slugs[name] = slug
            accepted[slug] = name

    if bare_short - short_used:
        fail(f"[detection] bare_short_stems lists {sorted(bare_short - short_used)}, which is no unit's stem")

    citywide_name = citywide.get("name", CITYWIDE)
    if citywide_name != CITYWIDE:
        fail(f"[citywide] name must be {CITYWIDE!r}")
    if slugify:
        slugs[CITYWIDE] = slugify(CITYWIDE)
    for alias in (CITYWIDE, *citywide.get("aliases", []), *([slugs[CITYWIDE]] if slugify else [])):
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
        aliases=aliases,
        landmarks=frozenset(landmarks),
        fallback_cues=tuple(citywide.get("fallback_cues", [])),
        workplaces=tuple(citywide.get("workplaces", [])),
        workplace=_workplace_pattern(citywide),
        bare_short_stems=frozenset(bare_short),
        industry_unions=_industry_unions(citywide),
        reference_before=_words_pattern(citywide.get("reference_before", []), r"\Z"),
        own_union_endings=_words_pattern(citywide.get("own_union_endings", []), ""),
    )


def _words_pattern(words, tail):
    """Any of ``words`` (longest first) followed by ``tail``; never matches without words."""
    if not words:
        return re.compile("(?!)")
    return re.compile("(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")" + tail)


def _workplace_pattern(citywide):
    """A workplace word of its own ([citywide] workplaces), not glued to a word after it that
    makes it a person (班组长, 车间主任: [citywide] workplace_not_before)."""
    words = "|".join(re.escape(word) for word in sorted(citywide.get("workplaces", []), key=len, reverse=True))
    if not words:
        return re.compile("(?!)")
    after = "|".join(re.escape(word) for word in citywide.get("workplace_not_before", []))
    return re.compile(rf"(?:{words})(?!{after})" if after else rf"(?:{words})")


def _industry_unions(citywide):
    """The pattern of a city-level industry union or system ([citywide] industry_*):
    北京市金融工会, 市教育工会 (after a character that cannot glue 市 into a word), 北京市金融系统.
    Its ``industry`` group is checked against the gazetteer's places by the caller."""
    prefixes, endings = citywide.get("industry_prefixes", []), citywide.get("industry_endings", [])
    if not prefixes or not endings:
        return re.compile("(?!)")
    after = re.escape(citywide.get("industry_after", ""))
    # 市场, 市民, 市区 …: 市 glued to the word after it is no prefix (北京市民对快递行业, 今年市场监管系统)
    words = [word[1:] for word in citywide.get("industry_not_words", []) if word.startswith("市") and len(word) > 1]
    glued = rf"(?!{'|'.join(re.escape(word) for word in words)})" if words else ""
    heads = []
    for prefix in sorted(prefixes, key=len, reverse=True):
        if len(prefix) == 1:  # 市: glued to the word before it (城市, 超市, 全市) it is no prefix
            heads.append(rf"(?:(?<![\u4e00-\u9fff])|(?<=[{after}]))市" if after else r"(?<![\u4e00-\u9fff])市")
        else:
            heads.append(re.escape(prefix))
        heads[-1] += glued if prefix.endswith("市") else ""
    banned = re.escape(citywide.get("industry_not", ""))
    industry = rf"(?:(?![{banned}])[\u4e00-\u9fff]){{2,6}}?" if banned else r"[\u4e00-\u9fff]{2,6}?"
    ending = "|".join(re.escape(word) for word in sorted(endings, key=len, reverse=True))
    return re.compile(rf"(?:{'|'.join(heads)})(?P<industry>{industry})(?:{ending})")


@lru_cache(maxsize=1)
def plain_gazetteer():
    """The project's gazetteer without pinyin slugs, read once (for the segmenter and keywords)."""
    return load_gazetteer()


def place_names():
    """Every place name the gazetteer scans for (门头沟区, 门头沟, 长阳镇, 回龙观 ...), sorted."""
    names = plain_gazetteer().names
    # The bare two-character stems (上地, 方庄) place an article but are left to the segmenter's
    # own reading: as words of their own they would cut 跟上地方 and turn up as keywords.
    short = plain_gazetteer().bare_short_stems
    return tuple(sorted(name for name, (kind, _) in names.items() if kind == PLACE and name not in short))
