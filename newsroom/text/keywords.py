"""Keywords a careful editor would pick, for Chinese news articles.

Three steps, so that a site can cache the expensive one per article and share the
catalogue-wide one:

1. :func:`candidate_terms` ``(title, body) -> Counter`` — per article, depends only on
   that article's text (and the data files). It cuts the text with the project's
   jieba adapter (:mod:`newsroom.text.segment`), keeps nouns, places, organisations, other
   proper nouns and noun-like verbs, drops stopwords, numbers, dates, Latin fragments
   and Markdown, normalises place variants (门头沟 -> 门头沟区) and weights each
   occurrence (title and first paragraph count more).
2. :class:`Corpus` — document frequencies over the site's own catalogue, built from
   every article's candidate terms. Its :meth:`Corpus.idf` blends jieba's general IDF
   with the catalogue's own, moving toward the catalogue as it grows, so that words
   common in this paper (慰问, 服务, 会员 ...) rank low.
3. :func:`rank_keywords` — candidates x IDF, best first, deterministic.

:func:`extract_keywords` does all three for one article (the CLI's entry point).
"""

import hashlib
import logging
import math
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from newsroom.text import bylines, districts, gazetteer, keyword_ranker, names, segment

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parents[1] / "data"
STOPWORDS = DATA / "stopwords.txt"
COMPOUND_TAILS = DATA / "compound_tails.txt"  # a stage or ceremony never ends a compound (决赛)
COMPOUND_BREAKS = DATA / "compound_breaks.txt"  # never in a compound (今年, 全市)
COMPOUND_HEADS = DATA / "compound_heads.txt"  # one-character heads after a noun (读书月, 摄影展)
GAZETTEER = DATA / "gazetteer.toml"  # its places are in the segmenter and the variant map
CLASSES = DATA / "classes.toml"  # 新就业形态劳动者 and its members (快递员, 外卖骑手 ...)
CLASS_SHARE = 0.5  # a class named in the text takes this share of its most-said member's weight

# Bump when the way candidates are computed changes, so cached candidates are redone.
CANDIDATE_VERSION = "15"  # 15: a numbered event owned by a company found whole (session 13); 14: without_credits drops a unit's bracketed closing credit

# Part-of-speech tags that can be keywords: nouns, person names, places, organisations,
# other proper nouns, noun-like verbs (维权, 调解 used as nouns).
KEEP_TAGS = frozenset({"n", "nr", "nrfg", "nrt", "ns", "nt", "nz", "nw", "vn"})
NAME_TAGS = frozenset({"nr", "nrfg", "nrt"})
PLACE_TAGS = frozenset({"ns"})
TOWN_SUFFIXES = ("镇", "乡")  # towns and townships answer to their stem: 长阳 -> 长阳镇
ETHNIC_INFIXES = ("满族蒙古族", "回族", "满族")
AREA_SUFFIX = "地区"  # 中关村地区, 望京地区 -> 中关村, 望京

TITLE_WEIGHT = 3.0  # an occurrence in the headline counts as three in the body
LEAD_WEIGHT = 1.5  # ... in the first paragraph, one and a half
VERB_NOUN_WEIGHT = 0.6  # 体验, 竞赛, 培训: noun-like verbs are kept but are seldom the topic
LONGER_FORM_SHARE = 0.5  # see rank_keywords: when 民宿管家 stands for 民宿
PHRASE_MIN_COUNT = 2  # two adjacent candidates seen together this often form a phrase (民宿+管家)
PHRASE_MAX_LENGTH = 5  # ... of at most five characters: longer chains are mostly a term plus
# a qualifier (哺乳期女职工)
PASSING_MENTION = LEAD_WEIGHT  # a general word weighing no more than one mention in the lead is passing
PASSING_CEILING = 0.1  # no passing mention weighs this much, every other candidate more

# How many catalogue articles weigh as much as jieba's general IDF in the blend.
PRIOR_DOCS = 200

ALL_HAN = re.compile(r"[\u4e00-\u9fff]+")
HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")

# Markdown and print furniture that must not reach the segmenter.
MARKDOWN_NOISE = [
    (re.compile(r"```.*?```", re.S), " "),  # fenced code
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images -> alt text
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links -> link text
    (re.compile(r"<[^>\n]+>"), " "),  # inline HTML
    (re.compile(r"https?://\S+|www\.\S+"), " "),  # bare URLs
    (re.compile(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+", re.M), ""),  # headings, quotes, list marks
    (re.compile(r"[*_`|~]+"), " "),  # emphasis, code, tables
]
# 本报讯（记者 白莹 通讯员 马超）: the byline names reporters, not the subject.
BYLINE = re.compile(r"(本报讯|本报记者)?[（(]\s*(本报|特约|实习)?(记者|通讯员)[^）)]{0,60}[）)]")


def clean_text(text):
    """Article text without Markdown marks, URLs and the byline."""
    for pattern, replacement in MARKDOWN_NOISE:
        text = pattern.sub(replacement, text)
    return BYLINE.sub(" ", text)


# A company's registered name ends in its legal form: 北京/华东/乐器/有限公司. Its parts
# (华东, 乐器) are not what the story is about, and the whole name is too specific for a tag.
LEGAL_FORMS = frozenset({"有限公司", "有限责任公司", "股份有限公司"})
LEGAL_FORM_STARTS = frozenset({"有限", "有限责任", "股份有限"})  # before a separate 公司
NAME_PART_TAGS = frozenset({"n", "vn", "ns", "nz", "nt", "nr", "nrt", "nrfg", "nw", "j", "ng"})
NAME_PARTS_MAX = 4  # how many words before the legal form a name may have
# ... and a brand jieba does not know, cut into at most so many characters, of these tags too
# (冷/a, 能/v), right after a place: 北京/鑫/程/冷/链/物流, 北京/京/能/电力 (see _brand_start)
NAME_SINGLES_MAX, NAME_SINGLE_TAGS = 4, frozenset({"a", "v", "ng", "t"})


def _brand_start(tokens, end):
    """Where a company's brand name cut into single characters starts, place included
    (北京/鑫/程/冷/链 → the index of 北京), when the characters before ``end`` are such a
    run: at most :data:`NAME_SINGLES_MAX` characters of name-like or :data:`NAME_SINGLE_TAGS`
    tags, right after a place. ``None`` otherwise (总工会/到/北京华东乐器: no run)."""
    start = end
    while (start > 0 and end - start < NAME_SINGLES_MAX and len(tokens[start - 1][0]) == 1
           and HAN_CHAR.match(tokens[start - 1][0])
           and (tokens[start - 1][1] in NAME_PART_TAGS or tokens[start - 1][1] in NAME_SINGLE_TAGS)):
        start -= 1
    if end - start >= 2 and start > 0 and tokens[start - 1][1] == "ns" and len(tokens[start - 1][0]) >= 2:
        start -= 1
        while start > 0 and tokens[start - 1][1] == "ns" and len(tokens[start - 1][0]) >= 2:
            start -= 1  # 北京 + 中科/衡/准: the city before the place
        return start
    return None


def without_legal_names(tokens, found=None):
    """``[(word, tag)]`` with each company's registered name blanked (``("", "x")``, which
    also breaks phrases): the legal form and up to ``NAME_PARTS_MAX`` name-like words
    before it. The whole names (at least two characters before the legal form) are
    appended to ``found`` when it is given: the company is named, its words are not."""
    out = list(tokens)
    for index, (word, _) in enumerate(out):
        if word in LEGAL_FORMS:
            start = index
        elif word == "公司" and index and out[index - 1][0] in LEGAL_FORM_STARTS:
            start = index - 1
        else:
            continue
        words = 0
        while start > 0 and ALL_HAN.fullmatch(out[start - 1][0]):
            brand = _brand_start(out, start)
            if brand is not None:  # 北京/鑫/程/冷/链/物流: a brand jieba does not know, in characters
                start = brand
                break
            if out[start - 1][1] not in NAME_PART_TAGS or words >= NAME_PARTS_MAX:
                start = _place_opening(out, start)
                break
            words += 1
            start -= 1
        end = index + 1
        name = "".join(word for word, _ in out[start:end])
        union = out[end][0] if end < len(out) and out[end][0] in COMPANY_UNIONS else ""
        if union:  # 北京鑫程冷链物流有限公司 + 工会: the company's union is the organisation named
            end += 1
        anonymous = start > 0 and out[start - 1][0] in ANONYMOUS_MARKS  # 北京某装饰工程有限公司: nobody's name
        if found is not None and not anonymous and len(name) - len(word) - (word == "公司") * len(out[index - 1][0]) >= 2:
            found.append(name + union)
        out[start:end] = [("", "x")] * (end - start)
    return out


COMPANY_UNIONS = frozenset({"工会", "工会委员会", "联合工会"})  # after a company's name: its union
ANONYMOUS_MARKS = frozenset({"某", "某某"})  # a company a case leaves unnamed (北京某装饰工程有限公司)
OPENING_PLACE_GAP = 4  # words of other tags a company's name may hold after its place; a brand jieba
# cuts into single characters counts as one word (北京/速/邮/达/快递/服务有限公司: 速邮达 and 快递)
NOT_IN_NAMES = frozenset({"p", "c", "u", "uj", "ul", "uz", "ug", "uv", "r", "m", "q", "f", "y", "e"})


def _place_opening(tokens, start):
    """Where a company's registered name opens when the walk back from its legal form met a
    word jieba tags as no name part (准/v of 北京中科衡准仪器有限公司, 永定/d of 北京西山永定
    建设集团有限公司): the place the name opens with, at most :data:`OPENING_PLACE_GAP` such
    words before, none a function word, number or pronoun (的, 在, 一家: 在北京的一家科技有限公司
    opens at 科技). ``start`` itself when there is none, or when the name opens with its
    place already (总工会/到/北京/华东/乐器有限公司 opens at 北京, never at 平谷区 before it)."""
    if start < len(tokens) and tokens[start][1] == "ns" and len(tokens[start][0]) >= 2:
        return start
    back, gap = start - 1, 0
    while back >= 0 and gap < OPENING_PLACE_GAP and ALL_HAN.fullmatch(tokens[back][0]) and tokens[back][1] not in NOT_IN_NAMES:
        if tokens[back][1] == "ns" and len(tokens[back][0]) >= 2:
            while back > 0 and tokens[back - 1][1] == "ns" and len(tokens[back - 1][0]) >= 2:
                back -= 1  # 北京 + 西山: the city before the place
            return back
        single_run = len(tokens[back][0]) == 1 and back + 1 < start and len(tokens[back + 1][0]) == 1
        back, gap = back - 1, gap + (0 if single_run else 1)  # 速/邮/达: one word of a brand
    return start


def without_byline(body):
    """``body`` without the byline the site reads (``newsroom.text.bylines``).

    BYLINE above catches the bracketed forms anywhere; this also removes a byline on a
    line of its own (本报记者 郭宁宁), which would otherwise give a reporter's given name
    as a keyword and take the lead paragraph's extra weight.
    """
    byline = bylines.byline_of(body)
    return body.replace(byline.text, " ", 1) if byline.text else body


@lru_cache(maxsize=1)
def stopwords():
    """The union paper's generic vocabulary (``newsroom/data/stopwords.txt``)."""
    return frozenset(segment.read_word_list(STOPWORDS))


@lru_cache(maxsize=1)
def compound_breaks():
    """Words never part of a noun compound (``newsroom/data/compound_breaks.txt``)."""
    return frozenset(segment.read_word_list(COMPOUND_BREAKS))


@lru_cache(maxsize=1)
def compound_heads():
    """One-character heads of a noun compound (``newsroom/data/compound_heads.txt``)."""
    return frozenset(segment.read_word_list(COMPOUND_HEADS))


def _compound_tags(tokens):
    """``tokens`` with the tags compounds need: a word of :func:`compound_breaks` tagged
    apart (``x``: it neither opens nor joins a compound), a one-character head of
    :func:`compound_heads` after a noun tagged as a noun (职工/读书/月 -> 职工读书月)."""
    breaks, heads = compound_breaks(), compound_heads()
    out = []
    for word, tag in tokens:
        if word in breaks:
            tag = "x"
        elif word in heads and out and out[-1][1] in COMPOUND_HEAD_TAGS and len(out[-1][0]) >= 2:
            tag = "n"
        out.append((word, tag))
    return out


@lru_cache(maxsize=1)
def compound_tails():
    """Words that never end a noun compound (``newsroom/data/compound_tails.txt``)."""
    return frozenset(segment.read_word_list(COMPOUND_TAILS))


@lru_cache(maxsize=1)
def place_variants():
    """``{variant: canonical place name}`` from the gazetteer.

    门头沟 -> 门头沟区 (a district's short forms), 长阳 / 长阳地区 -> 长阳镇 (a town's
    stem and its 地区 name). Streets keep their bare names apart (望京 is an area, 望京街道
    an office), and a stem shared by two units is left alone.
    """
    variants = dict(gazetteer.plain_gazetteer().aliases)
    gaz = gazetteer.plain_gazetteer()
    for form, name in gaz.accepted.items():
        if name in gaz.districts and form != name and ALL_HAN.fullmatch(form):
            variants[form] = name
    stems = Counter()
    town_of = {}
    for units in gaz.units.values():
        for unit in units:
            if unit.endswith(TOWN_SUFFIXES):
                stem = unit[:-1]
                for ethnic in ETHNIC_INFIXES:  # 长哨营满族乡 -> 长哨营
                    stem = stem.removesuffix(ethnic)
                if len(stem) >= 2:
                    stems[stem] += 1
                    town_of[stem] = unit
    for stem, unit in town_of.items():
        # A stem that is a landmark's name of its own names the landmark: 亦庄 is the
        # development zone everybody calls so, not 亦庄镇.
        if stems[stem] == 1 and stem not in gaz.accepted and stem not in gaz.landmarks:
            variants.setdefault(stem + AREA_SUFFIX, unit)
            if len(stem) > 2 or not _common_elsewhere(stem):
                variants.setdefault(stem, unit)
    return variants


COMMON_STEM_FREQ = 1000  # a two-character stem this frequent in jieba's dictionary is a word of its own
COMMON_WORD_FREQ = 100  # ... or this frequent and not a place (平房 a bungalow, 王平 a name)


def _common_elsewhere(stem):
    """Whether a town's two-character stem is a word of the language or a place elsewhere
    (河北 the province, 平房 a bungalow), so that alone it does not name the town."""
    freq = segment.plain_tokenizer().FREQ.get(stem) or 0
    return freq >= COMMON_STEM_FREQ or (freq >= COMMON_WORD_FREQ and segment.word_tag(stem) != "ns")


@lru_cache(maxsize=65536)
def place_name(word, tag):
    """The canonical place name when ``word`` is a place or a variant of one, else None.

    jieba tags some places as names (马驹桥/nr); a known variant is a place whatever
    the tag. 中关村地区 is 中关村 when 中关村 is itself a place.
    """
    variants = place_variants()
    if word in variants:
        return variants[word]
    if tag in PLACE_TAGS or segment.user_tag(word) in PLACE_TAGS:
        if word.endswith(AREA_SUFFIX) and len(word) > len(AREA_SUFFIX) + 1:
            stem = word[: -len(AREA_SUFFIX)]
            if stem in variants or segment.user_tag(stem) in PLACE_TAGS or segment.word_tag(stem) in PLACE_TAGS:
                return variants.get(stem, stem)
        return word
    return None


def normalize_term(word, tag):
    """One spelling per place (门头沟 -> 门头沟区); other words unchanged."""
    return place_name(word, tag) or word


# --- candidates ---------------------------------------------------------------------------

# Kinds of candidate, in the order of precedence when one term is found as two kinds (a
# quoted name that is also a word keeps the name's kind). Until session 11 these were the
# kinds' hand-set weights; since session 12 the learned ranking weighs each kind
# (newsroom/text/keyword_ranker.py, newsroom/data/keyword_ranker.json).
QUOTED_KIND, TITLE_MARKED_KIND = names.QUOTED, names.TITLE_MARKED
ORGANISATION_KIND, PERSON_KIND, OFFENCE_KIND, EVENT_KIND = names.ORGANISATION, names.PERSON, names.OFFENCE, names.EVENT
PLACE_KIND, COMPOUND_KIND, PROJECT_KIND, WORD_KIND = "place", "compound", "project word", "word"
KIND_PRIOR = {
    QUOTED_KIND: 1.5,
    TITLE_MARKED_KIND: 1.3,
    OFFENCE_KIND: 1.5,
    ORGANISATION_KIND: 1.4,
    EVENT_KIND: 0.9,  # as a compound: chosen on the development sets (0.6-1.8 tried)
    PERSON_KIND: 1.2,
    PLACE_KIND: 1.0,
    COMPOUND_KIND: 0.9,
    PROJECT_KIND: 1.2,
    WORD_KIND: 0.3,
}
COMPOUND_TAGS = frozenset({"n", "nz", "vn", "j", "b", "nt", "ng", "t"})  # words a noun compound is made of
WHOLE_TERM_CHARS = 5  # see _compound_word
MODIFIER_TAGS = frozenset({"a", "an"})  # may open a compound, never end one
COMPOUND_MIN_CHARS, COMPOUND_MAX_CHARS = 4, 10
LIST_MARKS = frozenset({"、", "和", "及", "与", "等"})  # around a place named in a list
COMPOUND_MAX_WORDS = 4
COMPOUND_MIN_COUNT = 2  # a compound must occur this often (the headline's counts): one seen once
# is mostly a phrase of that sentence (征文活动结果, 职工合唱比赛唱响)
COMPOUND_HEAD_TAGS = frozenset({"n", "nz", "ng", "vn"})  # its last word: a noun or an event (比赛, 监督)


@dataclass
class Candidate:
    """One candidate term of an article and where it was seen."""

    kind: str
    title: int = 0
    lead: int = 0
    body: int = 0
    weight: float = 0.0  # occurrences weighted by where they are
    parts: tuple = ()  # a compound's words (its specificity is its most specific word's)
    named_alone: bool = False  # a place named once at least outside a list (延庆、怀柔等地)
    spread: set = field(default_factory=set)  # the parts (headline, paragraphs) it is seen in
    alone: int = 0  # a word: how often it stands as a noun of its own, not inside a run of nouns

    def seen(self, where, weight, part=None):
        setattr(self, where, getattr(self, where) + 1)
        self.weight += weight
        self.spread.add(part if part is not None else where)


@dataclass
class Analysis:
    """What :func:`analyse` found in one article: ``{term: Candidate}`` and the dropped."""

    candidates: dict = field(default_factory=dict)
    fragments: set = field(default_factory=set)  # words seen only inside names
    part: int = 0  # which part (0 the headline, then the paragraphs) is being read

    def add(self, term, kind, where, weight, parts=()):
        found = self.candidates.get(term)
        if found is None:
            found = self.candidates[term] = Candidate(kind, parts=parts)
        elif KIND_PRIOR[kind] > KIND_PRIOR[found.kind]:
            found.kind = kind
        found.seen(where, weight, self.part)


@lru_cache(maxsize=65536)
def _is_place(word):
    # a pure function of the word and the data files, asked for every token by the organisations
    # and the numbered events: remembered (bounded: a few MB at most)
    return word in place_variants() or segment.user_tag(word) in PLACE_TAGS


def _token_spans(tokens):
    """The start and end of every token in the text it was cut from."""
    spans, position = [], 0
    for word, _ in tokens:
        spans.append((position, position + len(word)))
        position += len(word)
    return spans


def _parts(title, body):
    """``[(where, weight, text, hmm)]``: the headline, the lead and every later paragraph."""
    parts = [("title", TITLE_WEIGHT, title, True)]
    paragraphs = [p for p in re.split(r"\n\s*\n", body.strip()) if p.strip()]
    for index, paragraph in enumerate(paragraphs):
        # jieba's HMM (new words) on the headline only: people are found by their role
        # words (names.py), and the HMM on the lead gave the same keywords, slower.
        parts.append(("lead", LEAD_WEIGHT, paragraph, False) if index == 0 else ("body", 1.0, paragraph, False))
    return parts


def analyse(title, body, district=None):
    """The :class:`Analysis` of one article: every candidate term with its kind and where
    it was seen. :func:`candidate_terms` turns it into weights; ``--explain`` prints it.

    ``district``: the district the article is filed under, as the build knows it (its
    ``District:`` or the one detected in its text); None: detected here from the text. A
    bare 区总工会 is that district's federation (:func:`_count_back_references`)."""
    title = clean_text(title or "")
    body = clean_text(bylines.without_credits(body or ""))
    whole = title + "\n\n" + body
    stop = stopwords()
    result = Analysis()
    people = [(name, spans) for name, central, spans in names.people(whole, title) if central]
    person_names = {name for name, _ in people}
    parts = _parts(title, body)
    cut = [segment.pos_cut(text, hmm) for _, _, text, hmm in parts]
    title_names = {w for w, tag in cut[0] if tag in NAME_TAGS and w in body and names.looks_like_a_name(w)}
    title_names |= _split_names(cut, whole)

    # A name found once (in quotation marks, after a role word) is the same name wherever
    # it stands: “职工书法公益课堂” in the lead is 职工书法公益课堂 in the headline too.
    known, catchwords = {}, set()
    breaks = compound_breaks()
    for index, (_, _, text, _) in enumerate(parts):
        for name in names.marked_names(text) + names.offences(text):
            kind = name.kind
            if kind == QUOTED_KIND and _is_plain_word(name.text):
                kind = WORD_KIND  # scare quotes around a word of the language (“一站式”): no name
            if index == 0 and kind == QUOTED_KIND and name.text not in body:
                catchwords.add(name.text)  # a headline's catchword the story never says: no name,
                continue  # nor are its words (键入 of “一键入会”) words of the story
            known.setdefault(name.text, kind)
    known.update((name, PERSON_KIND) for name in person_names | title_names)
    ordered = sorted(known, key=len, reverse=True)
    parsed = []  # (where, weight, tokens, inside) of every part, for the compounds
    surnames = segment.surnames()
    for part, (where, weight, text, hmm) in enumerate(parts):
        result.part = part
        tokens = [(word, "n") if tag in NAME_TAGS and word[0] not in surnames else (word, tag)
                  for word, tag in cut[part]]  # 楼宇/nr, 诗歌朗诵/nr: nouns in jieba's dictionary
        spans = _token_spans(tokens) if ordered or catchwords else None
        companies = []
        if "公司" in text:  # most articles name no company: spare them the extra pass
            tokens = without_legal_names(tokens, companies)
            for company in companies:  # 京轨地铁运营有限公司: the company is the story's organisation
                result.add(company, ORGANISATION_KIND, where, weight)
        # An event under its numbered name is a name of its own beside its words, which
        # stay candidates: 西城区第六届职工文化艺术节 is a 职工文化艺术节 of 西城区.
        for event in names.numbered_events(text, _is_place, breaks):
            result.add(_owned_by_whole_company(event, text, companies), EVENT_KIND, where, weight)
        covered = []  # (start, end) of the names found in this text
        for catchword in catchwords if part == 0 else ():
            start = text.find(catchword)
            if start >= 0:
                covered.append((start, start + len(catchword)))
        for name in ordered:  # longest first: a name inside a longer one is the longer one
            start = text.find(name)
            while start >= 0:
                end = start + len(name)
                if not any(s < end and start < e for s, e in covered):
                    result.add(name, known[name], where, weight)
                    covered.append((start, end))
                start = text.find(name, end)
        inside = ([any(s < end and start < e for s, e in covered) for start, end in spans] if covered
                  else [False] * len(tokens))
        for organisation, first, last in names.organisations(tokens, _is_place):
            if any(inside[first:last + 1]):
                continue
            organisation = _organisation_name(organisation, tokens[first][0])
            if organisation in stop:
                continue
            result.add(organisation, ORGANISATION_KIND, where, weight)
            for index in range(first, last + 1):
                if _place_of(*tokens[index]) is None:  # the place in a name is still a place mentioned
                    inside[index] = True
        tokens = _compound_tags(tokens)  # after the organisations: 全市各级工会 names nobody
        runs = [(first, last, list(_chains(tokens, first, last))) for first, last in _runs(tokens, inside)]
        parsed.append((where, weight, tokens, inside, runs))
    _count_verb_forms(result, parts)
    compounds = _recurring_compounds(parsed)
    # each part's verb terms found once: counted across the article, then added part by part
    verb_spans = [_verb_term_spans(tokens, inside, stop) for _, _, tokens, inside, _ in parsed]
    verb_terms = _recurring_verb_terms(verb_spans)
    verbs = _recurring_verbs(parsed, stop)
    events = _headline_events(cut[0], parsed)
    for part, (where, weight, tokens, inside, runs) in enumerate(parsed):
        result.part = part
        _count_words(result, tokens, inside, runs, where, weight, stop, compounds, verbs, events)
        for term, words in verb_spans[part]:
            if term in verb_terms:
                result.add(term, COMPOUND_KIND, where, weight, parts=words)
    for event in events:  # the headline's verb (闭幕) is a mention of its event (闭幕式)
        if event in result.candidates:
            result.part = 0
            result.candidates[event].seen("title", TITLE_WEIGHT, 0)
    _merge_organisations(result)
    if district is None:
        district = districts.district_of(*_headline_and_body(parts))
    _count_back_references(result, parts, set(known), district)
    return result


SPLIT_NAME_MIN_COUNT = 2  # 周/海峰 said this often is the person 周海峰, never the fragment 海峰


def _split_names(cut, whole):
    """People jieba cuts apart: a surname standing as a name of one character (周/nr) before
    a word of two characters that is no common word (海峰), together a name that is said
    at least twice (:data:`SPLIT_NAME_MIN_COUNT`: a story about them). Whole, the given name
    alone is no keyword (海峰 was a fragment of 周海峰)."""
    found = set()
    surnames = segment.surnames()
    for tokens in cut:
        for (first, tag), (second, second_tag) in zip(tokens, tokens[1:]):
            if (len(first) == 1 and first in surnames and tag in NAME_TAGS and len(second) == 2
                    and ALL_HAN.fullmatch(second) and second_tag in ("n", "nr", "nz", "x") and names.looks_like_a_name(first + second)
                    and whole.count(first + second) >= SPLIT_NAME_MIN_COUNT):
                found.add(first + second)
    return found


EVENT_ENDINGS = ("式", "大会", "典礼")  # 闭幕式, 表彰大会, 颁奖典礼: a ceremony or meeting


def _headline_events(title_tokens, parsed):
    """The ceremonies the headline reports by their verb: 职工文化艺术节闭幕 is a story of its
    闭幕式, 北京表彰劳动模范 of the 表彰大会. A noun of the text that opens with a verb of the
    headline and ends as a ceremony or a meeting does (:data:`EVENT_ENDINGS`) is that event,
    though a ceremony is otherwise news furniture (stopwords.txt) or no end of a compound."""
    verbs = {word for word, tag in title_tokens if tag == "v" and len(word) == 2}
    if not verbs:
        return frozenset()
    return frozenset(word for _, _, tokens, inside, _ in parsed for index, (word, tag) in enumerate(tokens)
                     if tag == "n" and len(word) >= 3 and word[:2] in verbs and word.endswith(EVENT_ENDINGS)
                     and not inside[index])


DISTRICT_LEVEL = "区"  # 区总工会: the district's, of the district the story is about
DISTRICT_UNION = DISTRICT_LEVEL + "总工会"
BACK_REFERENCE_LEVELS = ("区", "镇", "乡", "街道", "市")  # 区总工会 for 房山区总工会
BACK_REFERENCE_NEVER = frozenset({"工会"})  # said of unions in general, never of one of them
BACK_REFERENCE_MIN_SUFFIX = 4  # 工会联合会, 联合工会 alone for the one named earlier; 总工会, 工会 never
BACK_REFERENCE_BEFORE = "由据经同和与及的是在向为对将从被把"  # a short form after these stands alone


def _headline_and_body(parts):
    """``(headline, body)`` of :func:`_parts`' parts, for districts.district_of."""
    return parts[0][2], "\n\n".join(text for _, _, text, _ in parts[1:])


def _count_back_references(result, parts, known, home):
    """A story names an organisation once in full and then by its short form: 房山区总工会,
    then 区总工会; 怀柔科学城工会联合会, then 工会联合会. Each short form counts as a mention
    of the one organisation of the article it can stand for (the level of its place + its
    suffix, or a suffix of four characters or more alone); a short form two organisations
    could answer to counts for neither."""
    found = result.candidates
    organisations = sorted((t for t, c in found.items() if c.kind == ORGANISATION_KIND), key=len, reverse=True)
    owners = {}
    for name in organisations:
        suffix = names.organisation_suffix(name)
        if suffix is None:
            continue
        place = name[: -len(suffix)]
        # 人民法院 is also 法院, 人民检察院 检察院: the shorter suffixes it ends in (工会, which
        # every union story says of unions in general, never stands for one of them)
        shorter = [other for other in names.vocabulary().suffixes
                   if suffix.endswith(other) and other != suffix and other not in BACK_REFERENCE_NEVER]
        levels = [level for level in BACK_REFERENCE_LEVELS if place.endswith(level) and len(place) > len(level)]
        forms = {level + form for level in levels for form in (suffix, *shorter)}
        if len(suffix) >= BACK_REFERENCE_MIN_SUFFIX:
            forms.add(suffix)
            forms.update(shorter)
        for form in forms:
            owners.setdefault(form, []).append(name)
    forms = {form: owner[0] for form, owner in owners.items() if len(owner) == 1}
    # A story of one district says 区总工会 of that district's federation even where it
    # never names it in full: the union of the district the text is about
    # (``home``: the one it is filed under), when no organisation of the article has that
    # form already (it is said of that one then). Only the union: the paper's own subject
    # (区人社局, 区法院 so read were tags the development sets' editors refused).
    if home in gazetteer.plain_gazetteer().districts and DISTRICT_UNION not in owners:
        forms[DISTRICT_UNION] = home + DISTRICT_UNION[len(DISTRICT_LEVEL):]
    if not forms:
        return
    whole = sorted(set(organisations) | known, key=len, reverse=True)
    for part, (where, weight, text, _) in enumerate(parts):
        if not any(form in text for form in forms):
            continue
        for name in whole:  # the full names (and every other name) are not short forms
            text = text.replace(name, "\0")
        result.part = part
        for form, name in forms.items():
            start = text.find(form)
            while start >= 0:
                before = text[start - 1] if start else ""
                if not HAN_CHAR.match(before) or before in BACK_REFERENCE_BEFORE:
                    if name in found:
                        found[name].seen(where, weight)
                    else:
                        result.add(name, ORGANISATION_KIND, where, weight)
                start = text.find(form, start + len(form))


VERB_TERM_MIN_COUNT = 2  # a verb and its noun said together this often are one term


def _verb_term_spans(tokens, inside, stop):
    """``[(term, parts)]``: a two-character verb and the noun it governs, glued, three to
    five characters: 留守+儿童, 返乡+车票, 受灾+职工, 示范+文本, 托管+班. Jieba tags the
    first word a verb, so they are no noun compound; said together again and again they
    are the story's term, not a phrase of one sentence (:func:`_recurring_verb_terms`)."""
    found = []
    tails = compound_tails()  # once per text, not per token pair
    for index in range(len(tokens) - 1):
        (verb, tag), (noun, noun_tag) = tokens[index], tokens[index + 1]
        if (tag == "v" and len(verb) == 2 and noun_tag in COMPOUND_HEAD_TAGS and not inside[index]
                and not inside[index + 1] and ALL_HAN.fullmatch(verb) and ALL_HAN.fullmatch(noun)
                and verb not in stop and 3 <= len(verb) + len(noun) <= 5 and noun not in tails
                and not (index + 2 < len(tokens) and tokens[index + 2][1] in COMPOUND_HEAD_TAGS)):
            # (a noun after it: the verb takes the whole phrase, 启动+作品征集, and the noun is no head)
            found.append((verb + noun, (verb, noun)))
    return found


VERB_TERM_IDF = 0.65  # ... and the verb is no common verb of the language (jieba's IDF)


def _recurring_verb_terms(spans):
    """Of the parts' verb terms (``spans``: :func:`_verb_term_spans` of each part), those
    said at least :data:`VERB_TERM_MIN_COUNT` times whose verb is rare enough in general Chinese to name a kind of thing (留守, 返乡, 受灾, 示范, 托管: general
    specificity at least :data:`VERB_TERM_IDF`) rather than an action that takes any object
    (支付, 提供, 成立, 处理: 支付违约金 is paying the 违约金). A project word keeps its own
    tag: 追回欠薪 is no term beside 欠薪."""
    counts = Counter()
    for found in spans:
        counts.update(found)
    user_words = segment.user_words()
    return {term for (term, (verb, noun)), count in counts.items()
            if count >= VERB_TERM_MIN_COUNT and _general_idf(verb) >= VERB_TERM_IDF and noun not in user_words}


@lru_cache(maxsize=65536)
def _place_of(word, tag):
    place = place_variants().get(word)
    if place is None and tag == "ns" and segment.user_tag(word) in PLACE_TAGS:
        place = place_name(word, tag)
    return place


@lru_cache(maxsize=65536)
def _compound_word(word, tag):
    """A word that may be part of a noun compound. A project word of five characters or
    more is a whole term already (职工文化艺术节, 职工互助保障): compounds stop at it."""
    return (bool(word) and tag in COMPOUND_TAGS and ALL_HAN.fullmatch(word) is not None
            and not (len(word) >= WHOLE_TERM_CHARS and word in segment.user_words()))


def _runs(tokens, inside):
    """``[(first, last)]``: stretches of noun-like words outside names and places; an
    adjective may open one (困难 + 农民工)."""
    runs, first = [], None
    for index, (word, tag) in enumerate(tokens):
        if (tag in COMPOUND_TAGS or tag in MODIFIER_TAGS) and not inside[index] and _place_of(word, tag) is None and (
                _compound_word(word, tag)
                or (tag in MODIFIER_TAGS and len(word) >= 2 and index + 1 < len(tokens)
                    and _compound_word(*tokens[index + 1]) and ALL_HAN.fullmatch(word))):
            if first is None or tag in MODIFIER_TAGS:
                if first is not None and index - first >= 2:
                    runs.append((first, index - 1))
                first = index
            continue
        if first is not None and index - first >= 2:
            runs.append((first, index - 1))
        first = None
    if first is not None and len(tokens) - first >= 2:
        runs.append((first, len(tokens) - 1))
    return runs


def _chains(tokens, first, last):
    """Every stretch of two to four words of one run that can be a noun: its first word
    is not a single character and its last word is a noun or an event (比赛), not the
    event's stage or ceremony (决赛, 开幕式: :func:`compound_tails`)."""
    tails = compound_tails()
    for end in range(last, first, -1):
        if tokens[end][1] not in COMPOUND_HEAD_TAGS or tokens[end][0] in tails:
            continue
        for start in range(max(first, end - COMPOUND_MAX_WORDS + 1), end):
            if len(tokens[start][0]) < 2:
                continue
            term = "".join(w for w, _ in tokens[start:end + 1])
            if COMPOUND_MIN_CHARS <= len(term) <= COMPOUND_MAX_CHARS:
                yield start, end, term


def _recurring_compounds(parsed):
    """Noun compounds that occur at least :data:`COMPOUND_MIN_COUNT` times in the article
    (the headline's occurrence counts): 职工+冰雪+运动会, 单身+青年+职工. Seen once, a
    compound is mostly a phrase of that sentence (征文活动结果, 职工合唱比赛唱响)."""
    counts = Counter()
    for _, _, _, _, runs in parsed:
        for _, _, chains in runs:
            counts.update(term for _, _, term in chains)
    return {term for term, count in counts.items() if count >= COMPOUND_MIN_COUNT}


VERB_MIN_COUNT = 4  # a specific verb said this often is what the story is about (调解, 加班, 捐款)


def _recurring_verbs(parsed, stop):
    """Verbs of two characters or more said at least :data:`VERB_MIN_COUNT` times (the
    headline's counts) that are no common verb of the language (:data:`VERB_TERM_IDF`):
    a case of 加班 or 调解, a drive of 捐款 or 入会 is tagged by its action."""
    counts = Counter()
    for _, _, tokens, inside, _ in parsed:
        counts.update(word for index, (word, tag) in enumerate(tokens)
                      if tag == "v" and len(word) >= 2 and not inside[index])
    return {word for word, count in counts.items()
            if count >= VERB_MIN_COUNT and word not in stop and ALL_HAN.fullmatch(word)
            and _general_idf(word) >= VERB_TERM_IDF}


def _count_words(result, tokens, inside, runs, where, weight, stop, compounds, verbs=frozenset(), events=frozenset()):
    """Places, recurring compounds and single words among the tokens outside names.

    Each run of noun-like words is read from its end, where a Chinese noun has its head:
    the longest recurring compound ending there first (职工冰雪运动会 before 冰雪运动会,
    仲裁十大典型案例), then what is left before it. A general word inside a compound is not
    counted again (冰雪 in 职工冰雪运动会), a project word is."""
    user_words = segment.user_words()
    in_compound = [False] * len(tokens)
    for first, last, chains in runs:
        if not any(term in compounds for _, _, term in chains):
            continue
        end = last
        while end > first:
            best = None
            for start, chain_end, term in chains:  # ends from the run's end backwards
                if chain_end != end or start < first:
                    continue
                if term in compounds and (best is None or len(term) > len(best[1])):
                    best = (start, term)
            if best is None:
                end -= 1
                continue
            start, term = best
            result.add(term, COMPOUND_KIND, where, weight, parts=tuple(w for w, _ in tokens[start:end + 1]))
            for covered in range(start, end + 1):
                in_compound[covered] = tokens[covered][0] not in user_words
            end = start - 1
    in_run = [False] * len(tokens)  # marked once per text, not searched for every word kept
    for first, last, _ in runs:
        in_run[first:last + 1] = [True] * (last + 1 - first)
    for index, (word, tag) in enumerate(tokens):
        if len(word) < 2:  # most tokens: punctuation and single characters
            continue
        if inside[index]:
            if word not in stop:
                result.fragments.add(word)
            continue
        place = _place_of(word, tag)
        if place is not None:
            listed = (index and tokens[index - 1][0] in LIST_MARKS) or (
                index + 1 < len(tokens) and tokens[index + 1][0] in LIST_MARKS)
            result.add(place, PLACE_KIND, where, weight)
            if not listed:
                result.candidates[place].named_alone = True
            continue
        if word in events:
            result.add(word, WORD_KIND, where, weight)
            result.candidates[word].alone += 1  # the event itself, not a piece of a phrase
            continue
        if in_compound[index]:
            if word not in stop:
                result.fragments.add(word)
            continue
        if tag == "v" and word in verbs:
            result.add(word, WORD_KIND, where, weight * VERB_NOUN_WEIGHT)
            continue
        if tag not in KEEP_TAGS or tag in NAME_TAGS or word in stop:
            continue
        if (word not in user_words and not ALL_HAN.fullmatch(word)) or _unnamed(word):
            continue
        kind = PROJECT_KIND if word in user_words else WORD_KIND
        result.add(word, kind, where, weight * VERB_NOUN_WEIGHT if tag == "vn" else weight)
        if not in_run[index]:
            result.candidates[word].alone += 1


DISTRICT_OFFICIAL_NAMES = {"法院": "人民法院", "检察院": "人民检察院"}  # a district's court is its 人民法院


def _organisation_name(name, first_word):
    """One spelling per organisation (:func:`_organisation_spelling`), and a district's
    court and procuratorate under their official names (丰台区法院 -> 丰台区人民法院)."""
    name = _organisation_spelling(name, first_word)
    districts = gazetteer.plain_gazetteer().districts
    for short, official in DISTRICT_OFFICIAL_NAMES.items():
        if name.endswith(short) and not name.endswith(official) and name[: -len(short)] in districts:
            return name[: -len(short)] + official
    return name


def _organisation_spelling(name, first_word):
    """One spelling per organisation's district: 门头沟检察院 -> 门头沟区检察院 (a district's
    short form only: 天竺地区总工会 and 首都机场集团 keep their names)."""
    district = gazetteer.plain_gazetteer().accepted.get(first_word)
    if district in gazetteer.plain_gazetteer().districts and district != first_word and name.startswith(first_word) and ALL_HAN.fullmatch(first_word):
        return district + name[len(first_word):]
    districts = gazetteer.plain_gazetteer().districts
    if name.endswith("工会") and not name.endswith("总工会") and name[:-2] in districts:
        return name[:-2] + "总工会"  # a district's union is its 总工会: 丰台区工会 -> 丰台区总工会
    if first_word == name:  # cut as one word: 海淀法院 -> 海淀区法院 (an office, not 朝阳医院)
        for length in (3, 2):
            district = gazetteer.plain_gazetteer().accepted.get(name[:length])
            if (district in gazetteer.plain_gazetteer().districts and district != name[:length]
                    and name[length:] in names.vocabulary().district_offices):
                return district + name[length:]
    return name


def _merge_into(found, term, into):
    other = found.pop(term)
    target = found[into]
    for where in ("title", "lead", "body"):
        setattr(target, where, getattr(target, where) + getattr(other, where))
    target.weight += other.weight


def _merge_organisations(result):
    """门头沟区检察院 and 门头沟区人民检察院, 八达岭镇工会 and 八达岭镇总工会 in one article are
    one organisation each: the fuller name (the same place, a suffix ending in the other's)
    takes the other's occurrences. So does a short form that ends the name (监察大队 for
    劳动保障监察大队, 仲裁院 for 通州区劳动人事争议仲裁院)."""
    found = result.candidates
    organisations = [t for t, c in found.items() if c.kind == ORGANISATION_KIND]
    for term in [t for t, c in found.items() if c.kind != ORGANISATION_KIND and c.kind != PLACE_KIND]:
        longer = [o for o in organisations if o != term and o.endswith(term)]
        if len(term) >= 3 and len(longer) == 1:
            _merge_into(found, term, longer[0])
    organisations = sorted((t for t, c in found.items() if c.kind == ORGANISATION_KIND), key=len)
    for term in organisations:
        suffix = names.organisation_suffix(term)
        if suffix is None:  # a company's registered name: 华东乐器有限公司 for 北京华东乐器有限公司
            fuller = [other for other in organisations if other != term and other in found and other.endswith(term)]
            if len(fuller) == 1 and term in found:
                _merge_into(found, term, fuller[0])
            continue
        place = term[: -len(suffix)]
        fuller = [other for other in organisations if other != term and other in found
                  and other.startswith(place) and other.endswith(suffix)
                  and (names.organisation_suffix(other) or "").endswith(suffix)
                  and len(other) > len(term) and other[len(place):].endswith(suffix)
                  and names.organisation_suffix(other[len(place):]) is not None
                  and other[len(place):] in names.vocabulary().suffixes]
        if fuller and term in found:
            _merge_into(found, term, fuller[0])


@lru_cache(maxsize=65536)
def _unnamed(word):
    """A word that names nobody and nothing in particular: an organisation's suffix alone
    or after 区/市 (法院, 区法院, 总工会), a nickname (小张, 老王). Remembered per word (a pure
    function of it and the data files, asked for every word kept)."""
    suffix = names.organisation_suffix(word)
    if suffix is not None and (word == suffix or word[: -len(suffix)] in names.vocabulary().generic_places):
        return True
    return len(word) == 2 and word[0] in "小老" and word[1] in segment.surnames()


def candidate_features(analysis):
    """``{term: (features, passing)}`` of the candidates of one :class:`Analysis` worth
    ranking (:data:`keyword_ranker.FEATURES`; ``passing``: a general word said once in
    passing, which only fills a short list). A noun compound seen once is a phrase of its
    sentence, a place named only in a list (延庆、怀柔、门头沟等地的滑雪场) no candidate."""
    user_words = segment.user_words()
    result = {}
    for term, found in analysis.candidates.items():
        if found.kind == COMPOUND_KIND and found.title + found.lead + found.body < COMPOUND_MIN_COUNT:
            continue
        if found.kind == PLACE_KIND and not found.title and not found.named_alone:
            continue
        passing = found.kind == WORD_KIND and found.weight <= PASSING_MENTION
        inside = found.kind == WORD_KIND and not found.alone and not passing
        # A compound unknown to jieba as a whole is as specific as its most specific word.
        general = max(_general_idf(part) for part in found.parts) if found.parts else _general_idf(term)
        features = keyword_ranker.article_features(
            found.kind, found.title, found.lead, found.body, len(found.spread), general, len(term),
            passing, inside, _is_generic(term), term in user_words)
        result[term] = (features, passing)
    return result


SCORE_OFFSET = 10.0  # see candidate_terms: exp(score + this) of every candidate the article is about


def _cached_value(score, passing):
    """One float per candidate for the build's cache: ``exp(score + SCORE_OFFSET)`` (at
    least :data:`PASSING_CEILING`) for what the article is about, below the ceiling for a
    word said in passing; :func:`_article_part` reads the score back."""
    if passing:
        return max(round(PASSING_CEILING / (1 + math.exp(-score)), 9), 1e-9)
    return max(round(math.exp(score + SCORE_OFFSET), 6), PASSING_CEILING)


def _article_part(value):
    """The article's part of a candidate's score, from its cached value (:func:`_cached_value`)."""
    if value >= PASSING_CEILING:
        return math.log(value) - SCORE_OFFSET
    share = min(value / PASSING_CEILING, 1 - 1e-9)
    return math.log(share / (1 - share))


def candidate_terms(title, body, district=None):
    """``Counter`` of keyword candidates of one article: each candidate's learned score from
    the article alone (:mod:`newsroom.text.keyword_ranker`), as a positive number that
    orders as the score does (:func:`_cached_value`); the catalogue's part is added when
    ranking (:func:`rank_keywords`).

    Names come whole (:mod:`newsroom.text.names`): a word seen only inside a name (桂兰 in
    邱桂兰, 人民法院 in 丰台区人民法院) is no candidate. A noun compound counts when the
    headline has it or it occurs twice. A general word (from jieba's dictionary, not a
    place nor one of the project's words) mentioned only once in passing — once in the
    body, or a noun-like verb once in the lead — is not what the article is about: its
    value stays below :data:`PASSING_CEILING`.
    """
    return _candidate_values(candidate_features(analyse(title, body, district)))


def _candidate_values(features):
    """:func:`candidate_terms` from the candidates' features (:func:`candidate_features`)."""
    counts = Counter()
    for term, (vector, passing) in features.items():
        counts[term] = _cached_value(keyword_ranker.article_score(vector), passing)
    for term, members in worker_classes().items():
        if term in counts and counts[term] >= PASSING_CEILING:
            # named at least once: the class of the people the story is about (新就业形态劳动者
            # beside 快递员) takes a share of its most-said member's strength
            counts[term] = round(counts[term] + CLASS_SHARE * max((counts.get(m, 0.0) for m in members)), 6)
    return counts


def _count_verb_forms(result, parts):
    """A topic said by its verb (拖欠农民工工资, 拖欠的劳动报酬) is a mention of its noun (欠薪)
    where it stands: classes.toml ``[verb_forms]``, general forms of the labour vocabulary."""
    forms = verb_forms()
    if not forms:
        return
    user_words = segment.user_words()
    for part, (where, weight, text, _) in enumerate(parts):
        for noun, pattern in forms.items():
            for _ in pattern.finditer(text):
                result.part = part
                result.add(noun, PROJECT_KIND if noun in user_words else WORD_KIND, where, weight)
                result.candidates[noun].alone += 1  # the topic itself, not a piece of a phrase


@lru_cache(maxsize=1)
def verb_forms():
    """``{noun: pattern}`` from ``newsroom/data/classes.toml`` ``[verb_forms]``."""
    data = tomllib.loads(CLASSES.read_text(encoding="utf-8")) if CLASSES.exists() else {}
    return {noun: re.compile("|".join(f"(?:{form})" for form in forms))
            for noun, forms in data.get("verb_forms", {}).items()}


@lru_cache(maxsize=1)
def worker_classes():
    """``{class: (members)}`` from ``newsroom/data/classes.toml``."""
    data = tomllib.loads(CLASSES.read_text(encoding="utf-8")) if CLASSES.exists() else {}
    return {term: tuple(members) for term, members in data.get("classes", {}).items()}


JIEBA_IDF = segment.JIEBA_IDF


def _jieba_idf():
    """jieba's general-language IDF table and its median (for unknown words): loaded once
    and kept beside jieba's other tables, or looked up word by word in a process that
    analyses little (``segment.idf_table``)."""
    return segment.idf_table()


class Corpus:
    """Document frequencies of candidate terms over a catalogue of articles."""

    def __init__(self, df=None, n_docs=0, prior_docs=PRIOR_DOCS):
        self.df = Counter(df or {})
        self.n_docs = n_docs
        self.prior_docs = prior_docs
        self._idf = {}  # term -> idf while the counts do not change (a term is in many articles)
        self._idf_state = None

    def add(self, terms):
        """Count one article, given its candidate terms (any iterable; duplicates ignored).
        Given the weights (:func:`candidate_terms`), the words said only in passing are not
        counted: the article is not about them."""
        if hasattr(terms, "items"):
            terms = [term for term, weight in terms.items() if weight >= PASSING_CEILING]
        self.df.update(set(terms))
        self.n_docs += 1

    @classmethod
    def from_candidates(cls, candidates, prior_docs=PRIOR_DOCS):
        corpus = cls(prior_docs=prior_docs)
        for terms in candidates:
            corpus.add(terms)
        return corpus

    def catalogue_weight(self):
        """How far the blend has moved from jieba's IDF toward the catalogue's (0..1)."""
        return self.n_docs / (self.n_docs + self.prior_docs) if self.n_docs else 0.0

    def idf(self, term):
        """Specificity of ``term``, about 0..1: jieba's IDF blended with the catalogue's."""
        state = (self.n_docs, self.prior_docs, len(self.df))
        if state != self._idf_state:  # counted more since: forget the remembered values
            self._idf.clear()
            self._idf_state = state
        value = self._idf.get(term)
        if value is None:
            value = self._idf[term] = _blended_idf(term, self)
        return value

    def to_dict(self):
        return {"n_docs": self.n_docs, "df": dict(self.df), "prior_docs": self.prior_docs}

    @classmethod
    def from_dict(cls, data):
        return cls(data.get("df"), data.get("n_docs", 0), data.get("prior_docs", PRIOR_DOCS))


@lru_cache(maxsize=65536)
def _general_idf(term):
    """jieba's general-language IDF of ``term`` scaled to 0..1 (unknown words: 1).

    Remembered per word (bounded): asked several times for every candidate of every article,
    and the same value whether the table is looked up or loaded whole (segment.idf_table)."""
    table, median = _jieba_idf()
    return min(table.get(term, median), median) / median


def _blended_idf(term, corpus):
    general = _general_idf(term)
    weight = corpus.catalogue_weight() if corpus is not None else 0.0
    if weight == 0.0:
        return general
    n = corpus.n_docs
    own = math.log((n + 1) / (corpus.df.get(term, 0) + 1)) / math.log(n + 1)
    return (1 - weight) * general + weight * own


def own_district_forms(district):
    """The names of the district an article is filed under (``海淀区`` -> 海淀区, 海淀), which
    are no keyword of it: the district has its own index (the district pages) and stands in
    the article's header, so a tag repeating it adds nothing for a reader (docs/keywords.md,
    "The article's own district"). Only the district's own names, matched whole: its towns,
    streets and landmarks, other districts and organisations holding its name (海淀区总工会)
    stay candidates. ``全市``, empty or unknown: nothing.

    The one rule the build (``plugins/keywords``), ``analyze`` (with ``--explain``) and the
    measurement (``tests/analysis_sets.py``) share, through :func:`rank_keywords`.
    """
    gaz = gazetteer.plain_gazetteer()
    if district not in gaz.districts:
        return frozenset()
    return frozenset(form for form, name in gaz.accepted.items() if name == district)


def ranking_score(value, idf, *, term):
    """A candidate's score: the article's part (its cached value) plus the catalogue's
    (its blended specificity) and, since session 14, the tag history's (how often editors
    took ``term`` when it reached the top eight), by the learned weights
    (:mod:`newsroom.text.keyword_ranker`). The history's part is added here, at ranking
    time, not cached with the article. ``term`` is required: a score without it would
    silently leave the history out."""
    return round(_article_part(value) + keyword_ranker.catalogue_score(idf) + keyword_ranker.history_score(term), 6)


def rank_keywords(candidates, corpus=None, top_k=8, exclude=(), district=""):
    """``[(term, score)]``, best first; ties broken by the term so the order is stable.

    ``exclude`` (the editor's own tags) are never returned, nor is a term inside or
    around one of them (送清凉 when the editor wrote 夏送清凉). ``district``: the district
    the article is filed under (its ``District:`` or the detected one); its own names
    (:func:`own_district_forms`, matched whole) are never returned either.
    """
    excluded = [term for term in exclude if term]
    own_district = own_district_forms(district)
    scored = []
    for term, weight in candidates.items():
        if weight <= 0 or term in own_district or _covered_by_tags(term, excluded):
            continue
        scored.append((term, ranking_score(weight, corpus.idf(term) if corpus is not None
                                           else _blended_idf(term, None), term=term)))
    # A word of the language as common in general news text as 工资, 工人, 案件, 职业
    # (jieba's IDF, built on a large body of Chinese text) is a poor tag however often the
    # article says it: it ranks after every more specific candidate, so it may fill the
    # list but never pushes a name or a specific term out (no stopword list decides it).
    # A word said only in passing comes after all of them, to fill a short list.
    scored.sort(key=lambda item: (candidates[item[0]] < PASSING_CEILING, _is_generic(item[0]),
                                  -item[1], item[0]))
    chosen = []
    for term, score in scored:
        if len(chosen) >= top_k:
            break
        # One tag per idea. A term inside a better one is dropped (书屋 after 职工书屋); a
        # longer term that holds most of its part's occurrences takes the part's place
        # (民宿 -> 民宿管家); otherwise it is dropped too (中关村地区 after 中关村).
        # A place and a name holding it are two ideas (长阳镇, 长阳镇总工会), and so are a
        # project word and the longer term built on it (劳动争议, 劳动争议案件; 根治欠薪,
        # 根治欠薪冬季专项行动): the project word is a standing tag of the paper, which an
        # editor gives every such story.
        overlapping = [i for i, (better, _) in enumerate(chosen)
                       if (term in better or better in term) and _is_place(term) == _is_place(better)
                       and not _is_numbered_event(term) and not _is_numbered_event(better)]
        user_words = segment.user_words()
        if term in user_words:
            # Two standing tags of the paper, one inside the other, are two tags whatever
            # their lengths (户外劳动者 and 户外劳动者服务站, 根治欠薪 and 欠薪): the one inside
            # is no rival. What is left to settle is a word of the language inside this tag
            # that ranked before it (服务站), which gives way below.
            overlapping = [i for i in overlapping if not (chosen[i][0] in term and chosen[i][0] in user_words)]
        if not overlapping:
            chosen.append((term, score))
            continue
        first = overlapping[0]
        better, better_score = chosen[first]
        if term in user_words and all(term in chosen[i][0] for i in overlapping):
            # A project word ranked after longer terms built on it (根治欠薪冬季专项行动, 欠薪问题,
            # then 欠薪) is a standing tag of the paper beside them, as it is when it ranks
            # first (below): the same two ideas whichever the learned ranking puts first.
            chosen.append((term, score))
            continue
        if len(overlapping) == 1 and better in term and _owned_standing_tag(term, better):
            # A standing tag and one of them named by its person or place are two tags
            # (劳模创新工作室 and 褚国栋劳模创新工作室, 房山区劳模创新工作室); two standing tags
            # one inside the other never reach here (above).
            chosen.append((term, score))
            continue
        if len(overlapping) == 1 and better in term and _replaceable(better) and not _is_place(term):
            # 望京 stays 望京, not 望京街道.
            if candidates[term] >= LONGER_FORM_SHARE * candidates[better]:
                if better in user_words:
                    chosen.append((term, score))
                else:
                    chosen[first] = (term, better_score)
            elif _is_plain_word(better):
                # A name is not dropped for a word of the language in it (a standing tag beside
                # a shorter one in it, 困难职工家庭 beside 困难职工, was kept above).
                chosen.append((term, score))
    return chosen


NUMBERED = re.compile(r"第[一二三四五六七八九十百零〇两0-9]{1,4}届")


def _owned_by_whole_company(event, text, companies):
    """The numbered event's name with its owner whole: the owner's walk back from 第N届
    stops inside a brand cut into single characters (北京/澄/源/新能/科技有限公司), leaving a
    fragment of the company's name (科技有限公司第二届职工文化艺术节); the company found whole
    in the same text, ending where that fragment ends, owns the event instead. Never a
    fragment of a longer name (issue 24)."""
    owner = event.text[:NUMBERED.search(event.text).start()]
    if not owner:
        return event.text
    for company in companies:
        start = event.start - (len(company) - len(owner))
        if len(company) > len(owner) and company.endswith(owner) and start >= 0 and text.startswith(company, start):
            return company + event.text[len(owner):]
    return event.text


def _is_numbered_event(term):
    """西城区第六届职工文化艺术节: an event under its numbered name, a tag beside the event
    it is one of (职工文化艺术节) and its owner (西城区卫生计生系统工会): two ideas."""
    return NUMBERED.search(term) is not None


def _owned_standing_tag(term, tag):
    """Whether ``term`` is the standing tag ``tag`` (a project word) of a person or a place
    opening it: 褚国栋 + 劳模创新工作室, 房山区 + 劳模创新工作室."""
    owner = term[:-len(tag)] if term.endswith(tag) and len(term) > len(tag) else ""
    return bool(owner) and tag in segment.user_words() and (
        names.looks_like_a_name(owner) or _place_of(owner, "ns") is not None)


def _covered_by_tags(term, tags):
    """Whether ``term`` is one of the editor's ``tags`` or inside or around one (送清凉 and
    夏送清凉). A place and a name holding it are two ideas: the editor's 丰台区 does not cover
    丰台区总工会."""
    return any(term in tag or (tag in term and not (_is_place(tag) and not _is_place(term))) for tag in tags)


GENERIC_IDF = 0.75  # a plain word below this general specificity (0..1) is generic


@lru_cache(maxsize=65536)
def _is_generic(term):
    """A plain word of the language (not a project word, name, place or compound) whose
    general specificity is below :data:`GENERIC_IDF`. Remembered per word (bounded): asked
    for every candidate of every article and again when ranking."""
    return _is_plain_word(term) and _general_idf(term) < GENERIC_IDF and _place_of(term, "n") is None


@lru_cache(maxsize=65536)
def _is_plain_word(term):
    """A word of the language (in jieba's IDF table), not one of the project's words."""
    return term in _jieba_idf()[0] and term not in segment.user_words()


def _replaceable(term):
    """Whether a longer term may stand for ``term`` (民宿 -> 民宿管家, 疗休养 -> 劳模疗休养):
    not a project word of five characters or more (职工文化艺术节 is a whole name)."""
    return not (len(term) >= WHOLE_TERM_CHARS and term in segment.user_words())


OWN_DISTRICT_REASON = "the article's own district: it has its own index and stands in the article's header"
EDITOR_TAG_REASON = "one of the editor's Tags, or inside or around one"


def explain_keywords(title, body, top_k=8, corpus=None, exclude=(), district=""):
    """How the keywords of one article were chosen (``python -m newsroom analyze --explain``):
    every candidate, best first, with its kind, where it was seen, its weight, its
    specificity (IDF) and score, whether it was chosen and, if it was left out by rule,
    why (``excluded``: the article's own district, or the editor's tags); words seen only
    inside names are listed apart as ``inside_names``."""
    analysis = analyse(title, body, district)
    features = candidate_features(analysis)
    weights = _candidate_values(features)  # candidate_terms, from the analysis made here once
    chosen = {term for term, _ in rank_keywords(weights, corpus, top_k, exclude, district)}
    own_district = own_district_forms(district)
    given = [term for term in exclude if term]
    rows = []
    for term, weight in weights.items():
        found = analysis.candidates[term]
        idf = corpus.idf(term) if corpus is not None else _blended_idf(term, None)
        row = {
            "term": term, "kind": found.kind, "chosen": term in chosen,
            "title": found.title, "lead": found.lead, "body": found.body,
            "weight": round(weight, 3), "idf": round(idf, 3), "score": round(ranking_score(weight, idf, term=term), 3),
            "passing": weight < PASSING_CEILING,
            "features": [{"feature": name, "value": value, "contribution": part}
                         for name, value, part in keyword_ranker.contributions(features[term][0], idf, term)],
        }
        if term in own_district:
            row["excluded"] = f"{OWN_DISTRICT_REASON} ({district})"
        elif _covered_by_tags(term, given):
            row["excluded"] = EDITOR_TAG_REASON
        rows.append(row)
    rows.sort(key=lambda row: (-row["score"], row["term"]))
    return {"candidates": rows, "inside_names": sorted(analysis.fragments - set(weights)),
            "own_district": {"district": district or "", "excluded": sorted(own_district),
                             "why": OWN_DISTRICT_REASON if own_district else ""}}


def extract_keywords(title, body, top_k=8, corpus=None, exclude=(), district=""):
    """The ``top_k`` keywords of one article (list of str), best first.

    ``exclude``: the editor's own tags, which the site puts first and does not repeat
    (nor terms inside or around them); pass them to get exactly the site's extra terms.
    ``district``: the district the article is filed under, whose own names are no
    keywords (:func:`own_district_forms`).
    """
    return [term for term, _ in rank_keywords(candidate_terms(title, body, district), corpus, top_k, exclude,
                                               district)]


def fingerprint():
    """Changes whenever cached candidates would differ: code version and data files."""
    digest = hashlib.sha1(CANDIDATE_VERSION.encode())
    for path in (segment.USERDICT, segment.RETAG, segment.SURNAMES, segment.NOUN_SUFFIXES, STOPWORDS, COMPOUND_TAILS,
                 COMPOUND_BREAKS, COMPOUND_HEADS, GAZETTEER, CLASSES, keyword_ranker.WEIGHTS, keyword_ranker.HISTORY,
                 bylines.BYLINES_PATH, bylines.CREDIT_ROLES_PATH, names.NAMES_PATH):
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def corpus_from_sources(sources):
    """The catalogue's :class:`Corpus` from :class:`~newsroom.paper.content.Source` objects.

    Drafts do not count, as on the site; so ``analyze`` given the whole content folder
    ranks keywords as the site does. The text is ``Source.text`` (no editors' notes).
    """
    corpus = Corpus()
    for source in sources:
        if (source.get("status") or "").strip().lower() != "draft":
            corpus.add(candidate_terms(source.title, source.text))
    return corpus
