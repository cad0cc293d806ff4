"""Names in a news text, whole: what an editor tags before anything else.

* names in quotation marks and book-title marks: programmes, campaigns, works and laws
  (“暖心包”, “工会妈妈”, 《工会法》);
* organisations and venues, with the place or name that makes them one
  (长阳镇总工会, 丰台区人民法院, 北京公交集团, 长安大戏院), never the place cut out of them;
* people introduced by what they do (全国劳动模范张卫东, 女工委员邱桂兰, 安检员王萌);
* offences named in a case (拒不支付劳动报酬罪).

Each finder returns :class:`Name` spans on the text it was given, so that the keyword
extractor can keep the words inside a name from becoming keywords of their own (邱桂兰,
never 桂兰). The word lists are in ``newsroom/data/names.toml``; the surnames are the
segmenter's (``newsroom/data/surnames.txt``).
"""

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from newsroom import DATA_DIR
from newsroom.text import segment

NAMES_PATH = DATA_DIR / "names.toml"

QUOTED, TITLE_MARKED, ORGANISATION, PERSON, OFFENCE = "quoted", "title-marked", "organisation", "person", "offence"
EVENT = "event"

HAN = re.compile(r"[\u4e00-\u9fff]")
SENTENCE_PUNCTUATION = re.compile(r"[，。！？；：,!?;:\s、…]")
QUOTED_SPAN = re.compile(r"[“「]([^“”「」\n]{1,40})[”」]")
TITLE_SPAN = re.compile(r"《([^《》\n]{2,40})》")
EDITION = re.compile(r"[（(](?:[0-9]{4}年?)?(?:版|修订版?|修正|试行|修订稿|征求意见稿|草案)[）)]$|[（(][0-9]{4}年?版[）)]$")


@dataclass(frozen=True)
class Name:
    text: str  # the name as it becomes a keyword
    kind: str
    start: int  # where it stands in the text
    end: int


@dataclass(frozen=True)
class _Vocabulary:
    suffixes: frozenset
    suffix_list: tuple  # longest first
    suffix_lengths: tuple  # the suffixes' lengths, longest first
    suffix_last_chars: frozenset  # the characters the suffixes end in
    generic_places: frozenset
    city: str
    city_short: str
    max_name_words: int
    max_words_to_place: int  # 西城区 + 卫生/计生/系统 + 工会
    city_unions: frozenset  # 市 + 建设 + 工会: the city's industry unions
    industry_endings: tuple  # 影视行业 + 联合工会: an industry names its union
    not_industries: tuple  # 企业, 就业: end in 业 but name no industry
    district_offices: frozenset  # 海淀法院 is the district's court; 朝阳医院 a hospital's own name
    person: re.Pattern  # a role word followed by a surname and one or two characters
    central_roles: frozenset
    after_name: frozenset
    anonymous_marks: tuple
    anonymous_prefixes: tuple
    quote_min: int
    quote_max: int
    speech_before: str
    speech_endings: str
    speech_openings: str
    questions: tuple  # 如何, 能否: a quoted question is the story's question, not a name
    question_form: re.Pattern  # 能不能, 算不算: a question too
    grounds_after: tuple  # 为由: 以“资金周转困难”为由 is a party's claim
    speech_words: tuple  # 我们, 了: a long quotation with these is somebody's words
    speech_min_length: int
    clause_words: frozenset  # 未, 须, 非 as words: a quoted claim or rule, not a name
    offence: re.Pattern
    numbered_event: re.Pattern  # 第六届 + 职工文化艺术节
    event_owner_endings: tuple


@lru_cache(maxsize=1)
def vocabulary():
    data = tomllib.loads(NAMES_PATH.read_text(encoding="utf-8"))
    organisations, people, quotes = data["organisations"], data["people"], data["quotes"]
    roles = sorted(people["roles"], key=len, reverse=True)
    surnames = "".join(sorted(set(segment.read_word_list(segment.SURNAMES))))
    openers = "|".join(re.escape(w) for w in sorted(data["offences"]["openers"], key=len, reverse=True))
    return _Vocabulary(
        suffixes=frozenset(organisations["suffixes"]),
        suffix_list=tuple(sorted(organisations["suffixes"], key=len, reverse=True)),
        suffix_lengths=tuple(sorted({len(s) for s in organisations["suffixes"]}, reverse=True)),
        suffix_last_chars=frozenset(s[-1] for s in organisations["suffixes"]),
        generic_places=frozenset(organisations["generic_places"]),
        city=organisations["city"],
        city_short=organisations["city_short"],
        max_name_words=int(organisations["max_name_words"]),
        max_words_to_place=int(organisations.get("max_words_to_place", organisations["max_name_words"])),
        city_unions=frozenset(organisations.get("city_unions", [])),
        industry_endings=tuple(organisations.get("industry_endings", [])),
        not_industries=tuple(organisations.get("not_industries", [])),
        district_offices=frozenset(organisations.get("district_offices", [])),
        person=re.compile(rf"(?P<role>{'|'.join(map(re.escape, roles))})(?P<name>[{surnames}][\u4e00-\u9fff]{{1,2}})"),
        central_roles=frozenset(people["central_roles"]),
        after_name=frozenset(people["after_name"]),
        anonymous_marks=tuple(people["anonymous_marks"]),
        anonymous_prefixes=tuple(people["anonymous_prefixes"]),
        quote_min=int(quotes["min_length"]),
        quote_max=int(quotes["max_length"]),
        speech_before=quotes["speech_before"],
        speech_endings=quotes["speech_endings"],
        speech_openings=quotes.get("speech_openings", ""),
        questions=tuple(quotes.get("questions", [])),
        question_form=re.compile(quotes.get("question_form", "(?!)")),
        grounds_after=tuple(quotes.get("grounds_after", [])),
        speech_words=tuple(quotes.get("speech_words", [])),
        speech_min_length=int(quotes.get("speech_min_length", 8)),
        clause_words=frozenset(quotes.get("clause_words", [])),
        offence=re.compile(rf"(?:{openers})(?P<name>[\u4e00-\u9fff]{{2,12}}?罪)"),
        numbered_event=re.compile(
            r"第[一二三四五六七八九十百零〇两0-9]{1,4}届(?P<event>[\u4e00-\u9fff]{0,12}?(?:"
            + "|".join(re.escape(w) for w in sorted(data["events"]["heads"], key=len, reverse=True)) + "))"),
        event_owner_endings=tuple(data["events"]["owner_endings"]),
    )


def _opens_a_clause(inner):
    """A quotation whose first word is a copula or an adverb of one character (是, 就, 都):
    “是对所有人的肯定” is speech; “就业援助月” opens with the word 就业 and is a name."""
    if inner[0] not in vocabulary().speech_openings:
        return False
    first = segment.cut(inner[:4])
    return bool(first) and first[0] == inner[0]


def _is_a_clause(inner):
    """A quotation that negates or obliges (未, 须, 非 as words of their own) is a claim or a
    rule quoted in a case, not a name."""
    clause_words = vocabulary().clause_words
    # A word of the cut is a substring: most quotations hold none, and are not cut.
    return any(word in inner for word in clause_words) and bool(clause_words.intersection(segment.cut(inner)))


def marked_names(text):
    """Names in quotation marks and book-title marks; quoted speech is not a name."""
    words = vocabulary()
    found = []
    for match in QUOTED_SPAN.finditer(text):
        inner = match.group(1).strip()
        before = text[max(0, match.start() - 1):match.start()]
        if (not words.quote_min <= len(inner) <= words.quote_max or SENTENCE_PUNCTUATION.search(inner)
                or len(HAN.findall(inner)) < 2 or (before and before in words.speech_before)
                or inner[-1] in words.speech_endings or _opens_a_clause(inner)
                or any(word in inner for word in words.questions) or words.question_form.search(inner)
                or text.startswith(words.grounds_after, match.end())
                or (len(inner) >= words.speech_min_length and any(word in inner[:-1] for word in words.speech_words))
                or _is_a_clause(inner)):
            continue
        found.append(Name(inner, QUOTED, match.start(), match.end()))
    for match in TITLE_SPAN.finditer(text):
        # 《…劳动合同示范文本（2026年版）》: the document is tagged without its edition (a year's
        # version, 试行, 修订); other brackets are part of the title (（示范文本）)
        inner = EDITION.sub("", match.group(1).strip())
        if len(HAN.findall(inner)) >= 2 and not re.search(r"[。！？]", inner):
            found.append(Name(inner, TITLE_MARKED, match.start(), match.end()))
    return found


COMMON_WORD_FREQ = 100  # a jieba word this frequent and not a name is no given name (文化, 张贴)


@lru_cache(maxsize=65536)
def _is_common_word(word):
    # a pure function of the word and the dictionaries, asked at every role word and name
    # candidate of every article: remembered (bounded)
    tokenizer_freq = segment.tokenizer().FREQ.get(word) or 0
    return tokenizer_freq >= COMMON_WORD_FREQ and segment.word_tag(word) not in ("nr", "nrfg", "nrt")


def _person_end(text, start):
    """The end of the name that starts at ``start`` (a surname): two characters when
    the third is one that follows names (邱桂兰说, 王萌获得) or starts a word (刘鹏成为),
    else three."""
    words = vocabulary()
    third = start + 2
    if (third >= len(text) or not HAN.match(text[third]) or text[third] in words.after_name
            or _is_common_word(text[third:third + 2])):
        return third
    return third + 1


@lru_cache(maxsize=65536)
def looks_like_a_name(word):
    """A word the segmenter tags as a name that reads as one: a common surname and one or
    two characters, not a common word (比武, 祝福 are tagged as names in jieba's dictionary)."""
    return (2 <= len(word) <= 3 and word[0] in segment.surnames() and not _is_common_word(word)
            and not any(mark in word for mark in vocabulary().anonymous_marks))


def people(text, title=""):
    """People named after a role word (律师李明, 安检员王萌); each of them with every
    place the name stands in ``text``. ``central`` names are those a story is about:
    named in the headline, twice or more, or after a central role (劳模, 快递员)."""
    words = vocabulary()
    roles = {}
    for match in words.person.finditer(text):
        start = match.start("name")
        name = text[start:_person_end(text, start)]
        if len(name) == 2 and _is_common_word(text[start + 1:start + 3]):
            continue  # 职工方代表: 方 + 代表, no person 方代
        if (any(mark in name for mark in words.anonymous_marks) or name[0] in words.anonymous_prefixes
                or any(char in words.after_name for char in name[1:])
                or _is_common_word(name[:2]) or _is_common_word(name)):
            continue  # 王某, 刘师傅; 职工文化艺术节 is no 文化艺
        roles.setdefault(name, set()).add(match.group("role"))
    found = []
    for name, its_roles in roles.items():
        spans = [(m.start(), m.end()) for m in re.finditer(re.escape(name), text)]
        central = name in title or len(spans) >= 2 or bool(its_roles & words.central_roles)
        found.append((name, central, spans))
    return found


def offences(text):
    """Offences named in a case: 以拒不支付劳动报酬罪提起公诉 -> 拒不支付劳动报酬罪."""
    found = []
    for match in vocabulary().offence.finditer(text):
        name = match.group("name")
        for opener in ("涉嫌", "被判", "判处", "判"):  # 以涉嫌拒不支付…罪: the opener came twice
            name = name.removeprefix(opener)
        if len(name) >= 4:
            found.append(Name(name, OFFENCE, match.end() - len(name), match.end()))
    return found


EVENT_OWNER_CONTEXT = 20  # characters before 第N届 read for its owner
EVENT_OWNER_WORDS = 5  # ... at most this many words (西城区 + 卫生/计生/系统, 西山/永定/建设/集团/有限公司)


def numbered_events(text, is_place, breaks=frozenset()):
    """Events under their numbered names, whole: ``[Name]`` of 西城区第六届职工文化艺术节,
    交通运输行业第二届职工文化艺术节, 第五届北京市职工冰雪运动会 (第N届 and the words up to
    the first event head of names.toml ``[events]``, with its owner: the place or the
    organisation or industry right before it, :func:`_event_owner`). ``breaks``: words that
    are no part of a name (今年, 全市)."""
    found = []
    for match in vocabulary().numbered_event.finditer(text):
        owner = _event_owner(text[max(0, match.start() - EVENT_OWNER_CONTEXT):match.start()], is_place, breaks)
        event = match.group("event")
        if not owner and not (event.startswith(PROPER_OPENINGS + (vocabulary().city,))
                              or any(is_place(event[:length]) for length in range(2, min(len(event), 8)))):
            continue  # 第三届职工文化艺术节 alone: whose third festival? no name
        found.append(Name(owner + match.group(0), EVENT, match.start() - len(owner), match.end()))
    return found


def _event_owner(before, is_place, breaks):
    """The owner of a numbered event, from the text just before 第N届: the nouns and places
    ending there (at most :data:`EVENT_OWNER_WORDS`), when they end in a place (延庆区,
    北京市, 首都) or an owner ending (首钢集团, 交通运输行业); the city before a place is
    dropped (北京市西城区 -> 西城区). Otherwise no owner ("" : 是/的 before 第N届)."""
    words = vocabulary()
    tokens = segment.pos_cut(before, False)
    owner = []
    for word, tag in reversed(tokens[1:] if len(before) == EVENT_OWNER_CONTEXT else tokens):
        if (len(owner) >= EVENT_OWNER_WORDS or word in breaks or not HAN.match(word) or len(HAN.findall(word)) != len(word)
                or not (is_place(word) or word.startswith(PROPER_OPENINGS) or tag in ORG_WORD_TAGS)):
            break
        owner.insert(0, word)
    while owner:
        last = owner[-1]
        if is_place(last) or last in (words.city, "首都") or "".join(owner).endswith(words.event_owner_endings):
            break
        owner.pop()  # 职工 + 第三届 ...: no owner ends there
    while len(owner) >= 2 and owner[0] == words.city and is_place(owner[1]):
        owner.pop(0)
    if len(owner) == 1 and owner[0] in words.event_owner_endings:
        return ""  # 系统 or 行业 alone names nobody's event
    return "".join(owner)


# --- organisations, from the segmenter's words ------------------------------------------

SUB_UNIT_CHARS = 6  # an organisation word this long names a unit alone (劳动保障监察大队)
PROPER_OPENINGS = ("北京", "首都", "中国", "全国")  # 北京公交 + 集团: a name of its own
ORG_NAME_TAGS = frozenset({"ns", "nz", "nt", "j", "nrt", "x"})  # proper words that make a name alone
ORG_WORD_TAGS = frozenset({"n", "vn", "an", "nz", "nt", "j", "ns", "nrt", "x", "b"})  # words inside a name
LATIN_ACRONYM = re.compile(r"[A-Z]{2,6}")  # an area or a company known by its letters (CBD, BOE)


@lru_cache(maxsize=65536)
def organisation_suffix(word):
    """The organisation suffix ``word`` ends in (人民法院 in 区人民法院), or None."""
    words = vocabulary()
    for length in words.suffix_lengths:  # longest first
        if len(word) >= length and word[-length:] in words.suffixes:
            return word[-length:]
    return None


def _full_name(word, tag):
    """A person's full name (three characters or more, a name in jieba's dictionary, even
    where the keywords retag it as a noun): 梅兰芳 + 大剧院 is a venue named after him."""
    return len(word) >= 3 and (tag == "nr" or segment.word_tag(word) == "nr")


def organisations(tokens, is_place):
    """``[(name, first token, last token)]`` of the organisations in ``[(word, tag)]``.

    A name is a place (``is_place(word)``) or one or two proper words, any words between
    them, and a suffix from names.toml: 长阳镇 总工会, 北京市 教育 工会, 北京公交 集团. The
    city before a district or town is dropped (北京市丰台区人民法院 -> 丰台区人民法院), and
    so is a district before one of its towns or streets.
    """
    words = vocabulary()
    found = []
    index = 0
    last_chars = words.suffix_last_chars
    while index < len(tokens):
        word, _ = tokens[index]
        if not word or word[-1] not in last_chars:  # most words: a set look-up
            index += 1
            continue
        suffix = organisation_suffix(word)
        if suffix is None:
            index += 1
            continue
        head = word[: -len(suffix)]  # 区法院 -> 区, 总工会 -> ""
        start = index
        place_at = None
        if head:
            if head in words.generic_places:
                index += 1
                continue
            if is_place(head) or head == words.city:
                place_at = index
        else:
            # Walk back over name words to the nearest place (at most max_words_to_place
            # words: 西城区 + 卫生/计生/系统 + 工会); with no place, a name has at most
            # max_name_words words before its suffix.
            back = index - 1
            between = 0
            while back >= 0 and between <= words.max_words_to_place:
                prev, tag = tokens[back]
                if between == 0 and organisation_suffix(prev) is not None and len(word) >= SUB_UNIT_CHARS:
                    break  # a unit of the organisation before it: 人社局 + 劳动保障监察大队
                if is_place(prev) or prev == words.city or (prev == words.city_short and (
                        between == 0 or (suffix in words.city_unions and between <= words.max_name_words))):
                    place_at = start = back  # 市 + 建设 + 工会: the city's industry union
                    break
                if between == 0 and len(prev) == 2 and prev.endswith(words.city_short):
                    # jieba glues 市 to the word before (从市人力社保局 -> 从市/人力社保局)
                    tokens = list(tokens)
                    tokens[back] = (words.city_short, "n")
                    place_at = start = back
                    break
                person_named = _full_name(prev, tag) and between == 0  # 梅兰芳 + 大剧院
                acronym = LATIN_ACRONYM.fullmatch(prev) is not None  # CBD + 楼宇联合工会
                if acronym and between < words.max_name_words:
                    start = back
                    break  # a Latin acronym opens a name; nothing before it belongs to the name
                if ((tag not in ORG_WORD_TAGS and not prev.startswith(PROPER_OPENINGS) and not person_named)
                        or not HAN.match(prev) or len(prev) < 2):
                    break  # 首都 (tagged as an adverb) opens 首都职工摄影协会
                between += 1
                if between <= words.max_name_words + 1:  # the last may open it: 首都 + 职工/摄影 + 协会
                    start = back
                back -= 1
            if place_at is None and start == index and len(word) >= SUB_UNIT_CHARS:
                found.append((word, index, index))  # a unit named whole: 劳动保障监察大队
                index += 1
                continue
            if place_at is None:
                # No place: the words before must be proper names (北京公交 集团, 长安 大戏院).
                proper = [w for w, t in tokens[start:index]
                          if t in ORG_NAME_TAGS or segment.user_tag(w) in ORG_NAME_TAGS
                          or LATIN_ACRONYM.fullmatch(w)
                          or (_full_name(w, t) and start == index - 1  # 梅兰芳 + 大剧院, not 张卫东 + 工会
                              and suffix not in words.district_offices)
                          or w.startswith(PROPER_OPENINGS)
                          or (w.endswith(words.industry_endings) and not w.endswith(words.not_industries)
                              and (len(w) > 2 or index - start >= 2))]
                if not proper or start == index:
                    index += 1
                    continue
        # Drop the city before a place, and a district before its town or street.
        while start < index and tokens[start][0] == words.city and start + 1 <= index and (
                is_place(tokens[start + 1][0]) or tokens[start + 1][0] == word):
            if start + 1 == index and not head:
                break  # 北京市 总工会: the city's federation keeps its city
            start += 1
        while start + 1 < index and is_place(tokens[start][0]) and is_place(tokens[start + 1][0]):
            start += 1
        name = "".join(w for w, _ in tokens[start:index + 1])
        if len(HAN.findall(name)) > len(suffix) and name != suffix:
            found.append((name, start, index))
        index += 1
    return found
