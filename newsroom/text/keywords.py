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
from collections import Counter
from functools import lru_cache
from pathlib import Path

from newsroom.text import bylines, gazetteer, segment

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parents[1] / "data"
STOPWORDS = DATA / "stopwords.txt"
GAZETTEER = DATA / "gazetteer.toml"  # its places are in the segmenter and the variant map

# Bump when the way candidates are computed changes, so cached candidates are redone.
CANDIDATE_VERSION = "4"

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
LONGER_FORM_SHARE = 0.6  # see rank_keywords: when 民宿管家 stands for 民宿
PHRASE_MIN_COUNT = 2  # two adjacent candidates seen together this often form a phrase (民宿+管家)
PHRASE_MAX_LENGTH = 5  # ... of at most five characters: longer chains are mostly a term plus
# a qualifier (哺乳期女职工)
PASSING_MENTION = 1.0  # a general word weighing no more than one body mention is dropped (candidate_terms)

# How many catalogue articles weigh as much as jieba's general IDF in the blend.
PRIOR_DOCS = 200

ALL_HAN = re.compile(r"[\u4e00-\u9fff]+")

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
NAME_PART_TAGS = frozenset({"n", "ns", "nz", "nt", "nr", "nrt", "nrfg", "nw", "j", "ng"})
NAME_PARTS_MAX = 4  # how many words before the legal form a name may have


def without_legal_names(tokens):
    """``[(word, tag)]`` with each company's registered name blanked (``("", "x")``, which
    also breaks phrases): the legal form and up to ``NAME_PARTS_MAX`` name-like words
    before it."""
    out = list(tokens)
    for index, (word, _) in enumerate(out):
        if word in LEGAL_FORMS:
            start = index
        elif word == "公司" and index and out[index - 1][0] in LEGAL_FORM_STARTS:
            start = index - 1
        else:
            continue
        while (start > 0 and index - start < NAME_PARTS_MAX and out[start - 1][1] in NAME_PART_TAGS
               and ALL_HAN.fullmatch(out[start - 1][0])):
            start -= 1
        out[start:index + 1] = [("", "x")] * (index + 1 - start)
    return out


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
def place_variants():
    """``{variant: canonical place name}`` from the gazetteer.

    门头沟 -> 门头沟区 (a district's short forms), 长阳 / 长阳地区 -> 长阳镇 (a town's
    stem and its 地区 name). Streets keep their bare names apart (望京 is an area, 望京街道
    an office), and a stem shared by two units is left alone.
    """
    variants = {}
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
        if stems[stem] == 1 and stem not in gaz.accepted:
            variants.setdefault(stem, unit)
            variants.setdefault(stem + AREA_SUFFIX, unit)
    return variants


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


def candidate_terms(title, body):
    """``Counter`` of keyword candidates of one article, weighted by where they occur.

    Person names count only when the headline names them: a name that appears only in
    the body is usually an official listed among those present, not the subject.
    A general word (from jieba's dictionary, not a place nor one of the project's
    words) mentioned only once in passing — once in the body, or a noun-like verb once
    in the lead — is not what the article is about (工资条, 保温杯, 评委, 电子版); without
    this a short article fills its eight keywords with such words.
    Two two-character candidates that stand side by side at least ``PHRASE_MIN_COUNT``
    times also count as one phrase (民宿管家, 免费体检), so a topic jieba cuts in two
    can still come out whole; two words with the same last character (比赛 复赛) do not.
    """
    title = clean_text(title or "")
    body = clean_text(without_byline(body or ""))
    user_words = segment.user_words()
    stop = stopwords()
    counts = Counter()
    pairs = Counter()  # phrase -> weight
    pair_seen = Counter()  # phrase -> occurrences
    title_names = {word for word, tag in segment.pos_cut(title) if tag in NAME_TAGS}
    places = set()

    variants = place_variants()
    keep = KEEP_TAGS
    verb_noun_weight = VERB_NOUN_WEIGHT

    def add(text, weight, hmm=True):
        # The hot loop (every word of every article): cheap tests first.
        previous = None
        tokens = segment.pos_cut(text, hmm)
        if "公司" in text:  # most articles name no company: spare them the extra pass
            tokens = without_legal_names(tokens)
        for word, tag in tokens:
            if len(word) < 2 or word in stop:
                previous = None
                continue
            place = variants.get(word)
            if place is None and tag == "ns":
                place = place_name(word, tag)
            if place is not None:
                counts[place] += weight
                places.add(place)
                previous = None  # places do not start or end phrases (助力房山)
                continue
            if tag not in keep or (word not in user_words and not ALL_HAN.fullmatch(word)):
                previous = None
                continue
            if tag in NAME_TAGS:
                if word in title_names:
                    counts[word] += weight
                previous = None
                continue
            counts[word] += weight * verb_noun_weight if tag == "vn" else weight
            # Two words with one head (比赛 复赛, 初赛 决赛) name two things side by side,
            # not one thing and its modifier: no phrase.
            if (previous is not None and len(previous) + len(word) <= PHRASE_MAX_LENGTH
                    and previous[-1] != word[-1]):
                pairs[previous + word] += weight
                pair_seen[previous + word] += 1
            previous = word if word.isalpha() else None

    add(title, TITLE_WEIGHT)
    paragraphs = re.split(r"\n\s*\n", body.strip(), maxsplit=1)
    add(paragraphs[0], LEAD_WEIGHT)
    if len(paragraphs) > 1:
        # The rest of the body without jieba's HMM (20% faster): the HMM's new words are
        # mostly names, which count only from the headline, and a new term that matters
        # (护水员) is already found in the headline or the lead.
        add(paragraphs[1], 1.0, False)
    for term in [t for t, w in counts.items() if w <= PASSING_MENTION]:
        if term not in user_words and term not in places:
            del counts[term]
    for phrase, weight in pairs.items():
        if pair_seen[phrase] >= PHRASE_MIN_COUNT and phrase not in stop:
            counts[phrase] += weight
    return counts


JIEBA_IDF = segment.JIEBA_DICT.parent / "analyse" / "idf.txt"  # not via jieba.analyse: importing it
# imports jieba.posseg, which reads jieba's whole dictionary for a tokenizer of its own


def _read_jieba_idf():
    table = {}
    with open(JIEBA_IDF, encoding="utf-8") as handle:
        for line in handle:
            word, _, value = line.strip().partition(" ")
            if value:
                table[word] = float(value)
    values = sorted(table.values())
    return table, values[len(values) // 2]


@lru_cache(maxsize=1)
def _jieba_idf():
    """jieba's general-language IDF table and its median (for unknown words), parsed once
    and kept beside jieba's other tables (``segment.cached_table``)."""
    return segment.cached_table("jieba-idf", [JIEBA_IDF], _read_jieba_idf)


class Corpus:
    """Document frequencies of candidate terms over a catalogue of articles."""

    def __init__(self, df=None, n_docs=0, prior_docs=PRIOR_DOCS):
        self.df = Counter(df or {})
        self.n_docs = n_docs
        self.prior_docs = prior_docs
        self._idf = {}  # term -> idf while the counts do not change (a term is in many articles)
        self._idf_state = None

    def add(self, terms):
        """Count one article, given its candidate terms (any iterable; duplicates ignored)."""
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


def _blended_idf(term, corpus):
    table, median = _jieba_idf()
    general = min(table.get(term, median), median) / median
    weight = corpus.catalogue_weight() if corpus is not None else 0.0
    if weight == 0.0:
        return general
    n = corpus.n_docs
    own = math.log((n + 1) / (corpus.df.get(term, 0) + 1)) / math.log(n + 1)
    return (1 - weight) * general + weight * own


def rank_keywords(candidates, corpus=None, top_k=8, exclude=()):
    """``[(term, score)]``, best first; ties broken by the term so the order is stable.

    ``exclude`` (the editor's own tags) are never returned, nor is a term inside or
    around one of them (送清凉 when the editor wrote 夏送清凉).
    """
    excluded = [term for term in exclude if term]
    scored = []
    for term, weight in candidates.items():
        if weight <= 0 or any(term in given or given in term for given in excluded):
            continue
        score = weight * (corpus.idf(term) if corpus is not None else _blended_idf(term, None))
        if score > 0:
            scored.append((term, score))
    scored.sort(key=lambda item: (-item[1], item[0]))
    chosen = []
    for term, score in scored:
        if len(chosen) >= top_k:
            break
        # One tag per idea. A term inside a better one is dropped (书屋 after 职工书屋); a
        # longer term that holds most of its part's occurrences takes the part's place
        # (民宿 -> 民宿管家); otherwise it is dropped too (中关村地区 after 中关村).
        overlapping = [i for i, (better, _) in enumerate(chosen) if term in better or better in term]
        if not overlapping:
            chosen.append((term, score))
            continue
        first = overlapping[0]
        better, better_score = chosen[first]
        if (
            len(overlapping) == 1
            and better in term
            and candidates[term] >= LONGER_FORM_SHARE * candidates[better]
            and segment.user_tag(term) not in PLACE_TAGS  # 望京 stays 望京, not 望京街道
        ):
            chosen[first] = (term, better_score)
    return chosen


def extract_keywords(title, body, top_k=8, corpus=None, exclude=()):
    """The ``top_k`` keywords of one article (list of str), best first.

    ``exclude``: the editor's own tags, which the site puts first and does not repeat
    (nor terms inside or around them); pass them to get exactly the site's extra terms.
    """
    return [term for term, _ in rank_keywords(candidate_terms(title, body), corpus, top_k, exclude)]


def fingerprint():
    """Changes whenever cached candidates would differ: code version and data files."""
    digest = hashlib.sha1(CANDIDATE_VERSION.encode())
    for path in (segment.USERDICT, segment.SURNAMES, segment.NOUN_SUFFIXES, STOPWORDS, GAZETTEER,
                 bylines.BYLINES_PATH):
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
