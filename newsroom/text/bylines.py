"""Bylines: who wrote an article, read from the byline the paper prints.

Forms the paper uses (brackets and spaces may be full- or half-width, and the space
between the role and the first name may be missing)::

    本报讯（记者 白莹）“天气寒冷……          reporters 白莹
    本报讯（记者 周美玉 马超）……              reporters 周美玉, 马超
    本报讯（记者 白莹 通讯员 李明）……          reporters 白莹; correspondents 李明
    本报讯（通讯员 王磊 赵晨）……              correspondents 王磊, 赵晨
    （记者 白莹）……                          reporters 白莹
    本报记者 白莹                            a line of its own, on features
    本报讯（特约记者 孙雯）……                  reporters 孙雯

The byline stays in the article body; this module only reads it. The role words,
credit words (摄, 文/图) and surname readings live in ``newsroom/data/bylines.toml``.
"""

import logging
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from newsroom import DATA_DIR
from newsroom.text.slugs import pinyin_slug

log = logging.getLogger(__name__)

BYLINES_PATH = DATA_DIR / "bylines.toml"

REPORTER, CORRESPONDENT = "reporter", "correspondent"
SPACES = " \t\u3000\u00a0"
# Names are separated by spaces or 、; inside brackets also by ，/, and ；. A slash before a
# credit (白莹/文, 文/图) separates too, and inside brackets a colon after a role
# (记者：白莹). Not on a line of its own: 记者：谢谢 opens an interview's question.
LINE_SEPARATORS = re.compile(r"[\s\u3000\u00a0、/／]+")
BRACKET_SEPARATORS = re.compile(r"[\s\u3000\u00a0、，,；;:：/／]+")
# A Chinese name: two to four Han characters, or a transliterated name with a middle dot
# (阿依古丽·买买提).
NAME = re.compile(r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,8}(?:[·•・][\u4e00-\u9fff]{1,8}){1,3}")
# What may stand before the bracket: 本报讯, 本报北京1月2日讯, a bullet.
BRACKET_PREFIX = r"[■●◆▲★]?[\s\u3000]*(?:本报[^（()\n]{0,16}?讯)?[\s\u3000]*"
# A feature's credit before its byline line: 文/本报记者 白莹, 图文／特约记者 孙雯.
LINE_PREFIX = r"[■●◆▲★]?[\s\u3000]*(?:(?:文|图|文图|图文|摄影)[\s\u3000]*[/／:：][\s\u3000]*)?"
SPACE = r"[\s\u3000]*"


@dataclass(frozen=True)
class Byline:
    reporters: tuple = ()
    correspondents: tuple = ()
    text: str = ""  # the byline as printed, e.g. 本报讯（记者 白莹）

    def __bool__(self):
        return bool(self.reporters or self.correspondents)


@dataclass(frozen=True)
class _Vocabulary:
    roles: tuple  # (role word, REPORTER|CORRESPONDENT), longest word first
    credits: frozenset
    surnames: dict
    bracket: re.Pattern  # 本报讯（记者 …） at the head of a paragraph
    trailing: re.Pattern  # （记者 …） closing a paragraph
    line: re.Pattern  # 本报记者 … as a line of its own


@lru_cache(maxsize=1)
def _vocabulary(path=BYLINES_PATH):
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"{path}: cannot read the byline vocabulary: {error}") from None
    roles = [(w, REPORTER) for w in data["roles"]["reporter"]]
    roles += [(w, CORRESPONDENT) for w in data["roles"]["correspondent"]]
    roles.sort(key=lambda role: -len(role[0]))
    role_words = "|".join(re.escape(word) for word, _ in roles)
    inner = rf"(?:{role_words})[^（）()\n]{{0,80}}?"
    return _Vocabulary(
        roles=tuple(roles),
        credits=frozenset(data.get("credits", {}).get("words", [])),
        surnames=dict(data.get("surnames", {})),
        bracket=re.compile(rf"^{BRACKET_PREFIX}[（(]{SPACE}(?P<inner>{inner})[）)]"),
        trailing=re.compile(rf"[（(]{SPACE}(?P<inner>{inner})[）)][\s\u3000。]*$"),
        line=re.compile(rf"^{LINE_PREFIX}(?P<inner>(?:{role_words})[^\n]{{0,60}}?)[\s\u3000]*$"),
    )


def _names(inner, separators, strict):
    """Split ``记者 白莹 通讯员 李明`` into (reporters, correspondents).

    ``strict`` (a byline line of its own): every token must be a role, a credit word
    or a name, otherwise the line is ordinary text and None is returned.
    """
    vocabulary = _vocabulary()
    found = {REPORTER: [], CORRESPONDENT: []}
    role = None
    for token in separators.split(inner.strip(SPACES)):
        if not token:
            continue
        # A role glued to its name (记者白莹) or to another role.
        matched = True
        while matched and token:
            matched = False
            for word, kind in vocabulary.roles:
                if token.startswith(word):
                    role, token, matched = kind, token[len(word):], True
                    break
        if not token or token in vocabulary.credits:
            continue
        if role is None or not NAME.fullmatch(token):
            if strict:
                return None
            log.debug("bylines: %r in %r is not a name, skipped", token, inner)
            continue
        if token not in found[role]:
            found[role].append(token)
    return tuple(found[REPORTER]), tuple(found[CORRESPONDENT])


def parse_byline(paragraph):
    """The byline at the head of ``paragraph`` (the body's first paragraph).

    Returns an empty :class:`Byline` (false) when the paragraph does not open with one.
    """
    text = (paragraph or "").strip()
    vocabulary = _vocabulary()
    match = vocabulary.bracket.match(text)
    if match:
        names = _names(match.group("inner"), BRACKET_SEPARATORS, strict=False)
        if names and any(names):
            return Byline(*names, text=match.group(0).strip(SPACES))
    first_line = text.split("\n", 1)[0].strip()
    match = vocabulary.line.match(first_line)
    if match:
        names = _names(match.group("inner"), LINE_SEPARATORS, strict=True)
        if names and any(names):
            return Byline(*names, text=first_line)
    return Byline()


def _paragraphs(body):
    return [p.strip() for p in re.split(r"\n[\s\u3000]*\n", body or "") if p.strip()]


def byline_of(body, look_ahead=3):
    """The byline of an article body.

    Looks at the opening paragraphs (skipping headings and images, at most
    ``look_ahead`` of them), then at a bracketed byline closing the last paragraph
    (……（记者 白莹）), which some pages print at the end instead.
    """
    paragraphs = _paragraphs(body)
    checked = 0
    for paragraph in paragraphs:
        if paragraph.startswith(("#", "![", "<")):
            continue
        byline = parse_byline(paragraph)
        if byline:
            return byline
        checked += 1
        if checked >= look_ahead:
            break
    if paragraphs:
        match = _vocabulary().trailing.search(paragraphs[-1])
        if match:
            names = _names(match.group("inner"), BRACKET_SEPARATORS, strict=False)
            if any(names):
                return Byline(*names, text=match.group(0).strip(SPACES + "。"))
    return Byline()


def reporter_slug(name):
    """The pinyin URL part of a reporter's page: 白莹 -> baiying, 曾强 -> zengqiang.

    A surname is read as a surname (曾 zeng, 单 shan), the given name as text.
    """
    name = name.strip()
    surnames = _vocabulary().surnames
    for length in (2, 1):
        surname = name[:length]
        if len(name) > length and surname in surnames:
            return surnames[surname] + pinyin_slug(name[length:])
    return pinyin_slug(name)
