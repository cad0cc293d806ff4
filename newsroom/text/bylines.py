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

and those of other newsrooms and wires::

    千龙网讯（记者 韩旭阳）……                  another site's lead
    新华社北京12月17日电（记者 孙蔚、赵旭）……  a wire's dateline
    本报讯（北京日报记者 李博 通讯员 赵阳）……  another paper's credit inside the brackets
    北京日报客户端｜记者 孙颖                  an outlet's credit line
    法治日报全媒体记者 黄洁 通讯员 周明        ditto

A photo credit names no reporter: 本报讯（记者 孟鑫 摄影 周良）gives 孟鑫 only, and a
line 本报记者 王冬梅 摄 (a caption's credit) is no byline. Names are never taken from the
body text. The byline stays in the article body; this module only reads it. The role
words, credit words, leads and surname readings live in ``newsroom/data/bylines.toml``.
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
LINE_SEPARATORS = re.compile(r"[\s\u3000\u00a0、/／｜|丨]+")
BRACKET_SEPARATORS = re.compile(r"[\s\u3000\u00a0、，,；;:：/／]+")
# A Chinese name: two to four Han characters, or a transliterated name with a middle dot
# (阿依古丽·买买提).
NAME = re.compile(r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,8}(?:[·•・][\u4e00-\u9fff]{1,8}){1,3}")
# What may stand before the bracket: 本报讯, 本报北京1月2日讯, 千龙网讯, 新华社北京1月2日电,
# 央广网北京1月2日消息, a bullet (the endings come from bylines.toml's [leads]).
BULLET = "■●◆▲★□◇○◎"
# One to four names alone in brackets: （刘娟）, （李建华 张萌）.
BARE_NAME_LIST = r"[\u4e00-\u9fff·]{2,8}(?:[\s\u3000、，,]+[\u4e00-\u9fff·]{2,8}){0,3}"
BRACKET_LEAD = r"[{bullets}]?[\s\u3000]*(?:[^（()\n。，、！？；;：:“”]{{0,30}}?(?:{endings}))?[\s\u3000]*"
# An outlet before a role word: 北京日报记者, 工人日报-中工网记者, 北京日报客户端｜记者.
OUTLET = r"[^\s\u3000（）()\n、，,。：:；;“”]{{1,16}}?(?:{outlet_endings})[\s\u3000｜|丨]*"
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
    photo: frozenset  # credits whose names took the pictures (摄影 周良, 图/本报记者 邓伟)
    photo_marks: frozenset  # every photo word, also after the name (白莹 摄)
    surnames: dict
    bracket: re.Pattern  # 本报讯（记者 …） at the head of a paragraph
    next_bracket: re.Pattern  # （通讯员 …） right after it: 本报讯（记者 X）（通讯员 Y）
    trailing: re.Pattern  # （记者 …） closing a paragraph
    outlet: re.Pattern  # an outlet's name glued before a role word (北京日报记者)
    furniture: re.Pattern  # a credit line: 来源：…, 编辑：…, （…供稿）
    lead: re.Pattern  # another newsroom's lead as a word of its own: 千龙网讯, 新华社北京1月2日电
    common_surnames: frozenset
    double_surnames: frozenset
    trailing_credit: re.Pattern  # （文/张三） closing the text
    closing_bracket: re.Pattern  # （平谷区人民法院 通讯员 X）: any bracket closing the text, for the credit grammar
    end_mark: re.Pattern  # （完）, （待续） closing the text, after its credit
    bare_names: re.Pattern  # ……获得证书。（吴文辉）: names alone in brackets closing the text
    bare_bracket: re.Pattern  # 新华网北京10月14日电（刘娟）: a lead and names alone in brackets
    writer_credits: frozenset
    organisation_endings: tuple
    glued_credit: re.Pattern  # 记者周雪晴报道：8月26日，… (a name glued to its credit and a colon)


def _read_toml(path, what):
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"{path}: cannot read {what}: {error}") from None


@lru_cache(maxsize=1)
def _vocabulary_data(path=BYLINES_PATH):
    return _read_toml(path, "the byline vocabulary")


@lru_cache(maxsize=1)
def _vocabulary(path=BYLINES_PATH):
    data = _vocabulary_data(path)
    table = _role_table_data()  # one role table for every place a credit stands (credit_roles.toml)
    roles = [(w, REPORTER) for w in table["reporter"]]
    roles += [(w, CORRESPONDENT) for w in table["correspondent"]]
    roles.sort(key=lambda role: -len(role[0]))
    role_words = "|".join(re.escape(word) for word, _ in roles)
    leads = data.get("leads", {})
    endings = "|".join(re.escape(word) for word in leads.get("endings", ["讯"]))
    outlet = OUTLET.format(outlet_endings="|".join(
        re.escape(w) for w in [*leads.get("outlet_endings", []), *leads.get("unit_endings", [])]) or "报")
    opens = re.escape(leads.get("open_brackets", "（("))
    closes = re.escape(leads.get("close_brackets", "）)"))
    # 【环球网报道 记者 X】: the lead may stand inside the brackets, before the role.
    inner_lead = rf"(?:[^（）(){opens}{closes}\n。，、！？；;：:“”\s\u3000]{{1,30}}?(?:{endings})[\s\u3000]*)?"
    inner = rf"{inner_lead}(?:{outlet})?(?:{role_words})[^（）(){opens}{closes}\n]{{0,80}}?"
    furniture = data.get("furniture", {})
    given_by = "|".join(re.escape(w) for w in furniture.get("given_by", [])) or "(?!)"
    given_by_openers = "|".join(re.escape(w) for w in furniture.get("given_by_openers", [])) or "(?!)"
    glued_credits = "|".join(re.escape(w) for w in sorted(data.get("credits", {}).get("words", []), key=len,
                                                          reverse=True)) or "(?!)"
    labels = "|".join(re.escape(w) for w in sorted(data.get("furniture", {}).get("labels", []), key=len, reverse=True))
    names = data.get("names", {})
    credits = data.get("credits", {})
    end_marks = "|".join(re.escape(w) for w in furniture.get("end_marks", [])) or "(?!)"
    credit_words = "|".join(re.escape(w) for w in sorted(
        [*table["writer"], *table["photo"]], key=len, reverse=True)) or "(?!)"
    return _Vocabulary(
        roles=tuple(roles),
        credits=frozenset(data.get("credits", {}).get("words", [])),
        photo=frozenset(data.get("credits", {}).get("photo", [])),
        photo_marks=frozenset(data.get("credits", {}).get("photo", [])) | {"摄"},
        surnames=dict(data.get("surnames", {})),
        bracket=re.compile(rf"^{BRACKET_LEAD.format(endings=endings, bullets=BULLET)}[{opens}]{SPACE}(?P<inner>{inner})"
                           rf"[{closes}]"),
        next_bracket=re.compile(rf"{SPACE}[{opens}]{SPACE}(?P<inner>{inner})[{closes}]"),
        trailing=re.compile(rf"[{opens}]{SPACE}(?P<inner>{inner})[{closes}][\s\u3000。]*$"),
        outlet=re.compile(rf"^{outlet}(?=(?:{role_words}))"),
        furniture=re.compile(rf"^[（(]?[^（）()\n]{{0,24}}?(?:{labels})[^（）()\n]{{0,4}}[）)]?$|"
                             rf"^(?:{labels})[\s\u3000]*[：:｜|丨/／]|"
                             rf"^[（(]?(?:本文|文中|本版)?(?:{given_by_openers})均?由[^（）()\n]{{1,30}}?(?:{given_by})[。.]?[）)]?$")
        if labels else re.compile(r"(?!)"),
        lead=re.compile(rf"[{BULLET}]?[^（()\n。，、！？；;：:“”]{{0,30}}?(?:{endings})"),
        common_surnames=frozenset("".join(names.get("surnames", "").split())),
        double_surnames=frozenset(names.get("double_surnames", [])),
        trailing_credit=re.compile(rf"[（(]{SPACE}(?P<inner>(?:{credit_words}){SPACE}[/／｜|丨:：][^（）()\n]{{1,40}}?)"
                                   r"[\s\u3000]*[）)][\s\u3000。]*$"),
        closing_bracket=re.compile(rf"[{opens}]{SPACE}(?P<inner>[^（）(){opens}{closes}\n]{{1,80}}?)[\s\u3000]*[{closes}]"
                                   r"[\s\u3000。]*$"),
        end_mark=re.compile(rf"[{opens}]{SPACE}(?:{end_marks}){SPACE}[{closes}][\s\u3000。]*$"),
        bare_bracket=re.compile(rf"^[{BULLET}]?[\s\u3000]*[^（()\n。，、！？；;：:“”]{{1,30}}?(?:{endings})[\s\u3000]*"
                                rf"[{opens}][\s\u3000]*(?P<names>{BARE_NAME_LIST})[\s\u3000]*[{closes}]"),
        bare_names=re.compile(rf"[{opens}][\s\u3000]*(?P<names>{BARE_NAME_LIST})[\s\u3000]*[{closes}][\s\u3000。]*$"),
        writer_credits=frozenset(table["writer"]),
        organisation_endings=tuple(credits.get("organisation_endings", [])),
        glued_credit=re.compile(rf"^(?P<head>[^\s\u3000：:]+?)(?P<credit>{glued_credits})[：:]"),
    )


def _names(inner, separators, strict):
    """Split ``记者 白莹 通讯员 李明`` into (reporters, correspondents).

    ``strict`` (a byline line of its own): every token must be a role, a credit word
    or a name, otherwise the line is ordinary text and None is returned. The names
    after a photo credit (摄影 周良, 图/本报记者 邓伟) took the pictures and are skipped
    until a role word of their own opens the next list.
    """
    vocabulary = _vocabulary()
    found = {REPORTER: [], CORRESPONDENT: []}
    role = None
    photo = False  # reading a photo credit's names
    just_credited = False  # the token before was a photo credit (图/本报记者 邓伟)
    inner = vocabulary.outlet.sub("", inner.strip(SPACES), count=1)  # 北京日报客户端｜记者 …
    credited = {}  # name -> the credit printed after it (白莹/文, 李航/摄)
    last = None
    for token in separators.split(inner):
        if not token:
            continue
        if token in vocabulary.photo:
            photo = just_credited = True
            continue
        # An outlet glued to its role (北京日报记者), a role glued to its name (记者白莹)
        # or to another role.
        token = vocabulary.outlet.sub("", token, count=1)
        had_role = False
        matched = True
        while matched and token:
            matched = False
            for word, kind in vocabulary.roles:
                if token.startswith(word):
                    role, token, matched, had_role = kind, token[len(word):], True, True
                    break
        if had_role and not just_credited:
            photo = False
        just_credited = False
        if not token:
            continue
        if token in vocabulary.credits:
            photo = photo and token in vocabulary.photo_marks  # 文: the writer's credit ends a photo credit
            if last is not None:
                credited.setdefault(last, token)
            last = None
            continue
        last = token
        # 记者王君璐: a name glued to its role has no boundary of its own, so it must read as
        # a name (a common surname, no place): （记者手记） names nobody.
        if role is None or not NAME.fullmatch(token) or (had_role and not _is_common_name(token)):
            if strict:
                return None
            log.debug("bylines: %r in %r is not a name, skipped", token, inner)
            continue
        if not photo and token not in found[role]:
            found[role].append(token)
    if any(credit in vocabulary.writer_credits for credit in credited.values()):
        # 记者 张三/文 李四/摄: when the writer is credited, a name credited with the pictures
        # only took them (a lone 记者 白莹 摄 wrote and photographed).
        for kind in found:
            found[kind] = [n for n in found[kind] if credited.get(n) not in vocabulary.photo_marks]
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
            byline, end = Byline(*names), match.end()
            # 本报讯（记者 X）（通讯员 Y）: each credit in brackets of its own
            # (the second is read by the credit grammar: （本报记者 Y 摄） credits a picture)
            while (more := vocabulary.next_bracket.match(text, end)) is not None:
                byline, end = _joined(byline, _bracketed_credit(more.group("inner"))), more.end()
            return Byline(byline.reporters, byline.correspondents, text=text[:end].strip(SPACES))
    bare = vocabulary.bare_bracket.match(text)
    if bare:
        tokens = [t for t in BRACKET_SEPARATORS.split(bare.group("names")) if t]
        tokens = _without_unit(tokens)  # 本报讯（朝阳区总工会 韩立）: the writer's unit before the name
        if tokens and all(_is_common_name(t) for t in tokens):
            return Byline(tuple(dict.fromkeys(tokens)), (), text=bare.group(0).strip(SPACES))
    lines = text.split("\n")
    first_line = lines[0].strip()
    byline = _byline_line(first_line)
    if byline:
        # 本报记者 温家梁 over 本报通讯员 马晓芸 丁宏远: a byline of several lines
        for line in lines[1:]:
            more = _byline_line(line.strip()) if line.strip() else Byline()
            if not more:
                break
            byline = _joined(byline, more, text=byline.text + "\n" + more.text)
        return byline
    if read_credit_line(first_line) is not None:
        return Byline()  # 图/本报记者 X, 编辑：Y: a credit line that names no writer
    return _inline_byline(first_line)


def _joined(first, second, text=""):
    """The names of two credits, in order, each once."""
    return Byline(tuple(dict.fromkeys(first.reporters + second.reporters)),
                  tuple(dict.fromkeys(first.correspondents + second.correspondents)), text=text)


def _without_unit(tokens):
    """``tokens`` without a writer's unit before the names (儒林街道 冉青, 朝阳区总工会 韩立)."""
    while len(tokens) > 1 and len(tokens[0]) >= 3 and tokens[0].endswith(_vocabulary().organisation_endings):
        tokens = tokens[1:]
    return tokens


ASIDE = re.compile(r"[（(][^（）()]*[）)]")  # 张三（单位：北京市总工会）: the writer's unit


def _byline_line(line):
    """A byline that is a line of its own: 本报记者 白莹, 文/图 本报记者 马超, 文｜记者 李博,
    通讯员：李想, 来源：北京晚报 记者 X, read by the credit-line grammar (:func:`read_credit_line`)."""
    return read_credit_line(line) or Byline()


TOKEN = re.compile(r"[^\s\u3000\u00a0]+")


def _is_common_name(token):
    """A name as bylines print it without brackets: two to four Han characters opening
    with a common surname, and no place of the gazetteer (（海淀） is no reporter)."""
    vocabulary = _vocabulary()
    if not NAME.fullmatch(token):
        return False
    if token[:2] not in vocabulary.double_surnames and token[0] not in vocabulary.common_surnames:
        return False
    from newsroom.text import districts  # the gazetteer; imported late: districts is heavier

    return not districts.mentions(token)


def _inline_byline(line):
    """A byline opening the lead without brackets, its names ended by a space:
    千龙网讯 记者 张鑫 2月19日，…, 本报讯 记者陈曦 通讯员王爽 3月17日，…, 记者 余翠平 报道 4月22日，….
    Every name must open with a common surname (本报讯 记者获悉 …, 记者 近日 … name nobody);
    a photo credit (记者 王冬梅 摄) is a caption's, not a byline."""
    vocabulary = _vocabulary()
    tokens = list(TOKEN.finditer(line))
    if tokens and vocabulary.lead.fullmatch(tokens[0].group()):
        tokens = tokens[1:]
    found = {REPORTER: [], CORRESPONDENT: []}
    role, end = None, None
    for match in tokens:
        consumed = True
        text, last = match.group(), False
        glued = vocabulary.glued_credit.match(text)
        if glued:  # 记者周雪晴报道：8月26日，…: the credit and its colon end the byline
            if glued.group("credit") in vocabulary.photo_marks:
                return Byline()
            text, last = glued.group("head"), True
        for part in (p for p in re.split(r"[、，,]", text) if p):
            part = vocabulary.outlet.sub("", part, count=1)
            stripped = True
            while stripped and part:
                stripped = False
                for word, kind in vocabulary.roles:
                    if part.startswith(word):
                        role, part, stripped = kind, part[len(word):], True
                        break
            if not part:
                continue
            if part in vocabulary.photo_marks:
                return Byline()
            if part in vocabulary.credits:
                continue
            if role is None or not _is_common_name(part):
                consumed = False
                break
            if part not in found[role]:
                found[role].append(part)
        if not consumed:
            break
        end = match.start() + glued.end() if glued else match.end()
        if last:
            break
    if end is None or not (found[REPORTER] or found[CORRESPONDENT]):
        return Byline()
    return Byline(tuple(found[REPORTER]), tuple(found[CORRESPONDENT]), text=line[:end].strip(SPACES))


def _paragraphs(body):
    return [p.strip() for p in re.split(r"\n[\s\u3000]*\n", body or "") if p.strip()]


def is_furniture(paragraph):
    """Whether ``paragraph`` only credits the source, the editors or the pictures
    (来源：怀柔区总工会, 编辑：孙悦, （区总工会宣传部供稿）), line by line."""
    lines = [line.strip(SPACES) for line in paragraph.split("\n") if line.strip(SPACES)]
    return bool(lines) and all(_vocabulary().furniture.match(line) for line in lines)


def byline_of(body, look_ahead=3):
    """The byline of an article body.

    Looks at the opening paragraphs (skipping headings and images, at most
    ``look_ahead`` of them), then at a bracketed byline closing the last paragraph
    (……（记者 白莹）), which some pages print at the end instead, before the credit
    lines of the source and the editors (来源：…, 编辑：…).
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
    # The end: the last text paragraph and the credit paragraphs after it (来源：…, 编辑：…,
    # 摄像：…, （本报记者 X 摄）), however many: a credit at the end may stand after blank lines.
    for paragraph in reversed(paragraphs[-CLOSING_PARAGRAPHS:]):
        # ……（记者 X）（完）: the credit before the mark that ends the text; （完） alone names nobody
        paragraph = _vocabulary().end_mark.sub("", paragraph).rstrip()
        if not paragraph or paragraph.startswith(("#", "![", "<")) or THEMATIC_BREAK.fullmatch(paragraph):
            continue  # an image, a heading or a rule after the credits, as before them at the head
        byline = _closing_brackets(paragraph)
        if byline is not None:
            if byline:
                return byline
            continue  # （本报记者 王冬梅 摄）: a picture's credit closing the text names no writer
        if "\n" in paragraph:
            # credit lines of their own, the whole paragraph or its last lines (glued to the
            # text's last sentence by a single line break)
            byline = _byline_among_furniture(paragraph) or _credits_closing_a_paragraph(paragraph)
            if byline:
                return byline
        if "\n" not in paragraph:  # 本报记者 陈曦, 通讯员：李想 as the last line
            byline = _byline_line(paragraph)
            if byline:
                return byline
        match = _vocabulary().bare_names.search(paragraph)
        if match:
            tokens = [t for t in BRACKET_SEPARATORS.split(match.group("names")) if t]
            # （儒林街道 冉青）: the writer's unit before the name, as credit lines print it
            tokens = _without_unit(tokens)
            if tokens and len(tokens) <= 4 and all(_is_common_name(t) for t in tokens):
                return Byline(tuple(dict.fromkeys(tokens)), (), text=match.group(0).strip(SPACES + "。"))
        if not _credits_nobody(paragraph):
            break
    return Byline()


THEMATIC_BREAK = re.compile(r"(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}")
# How many paragraphs from the end a closing credit is looked for in (the last text paragraph
# and the credit paragraphs after it: 记者：X, 摄像：Y, 编辑：Z, 校对：W, 审核：V, each alone).
CLOSING_PARAGRAPHS = 8


def _closing_brackets(paragraph):
    """The credits in brackets closing ``paragraph``: ……（记者 白莹）, （文/张三）, and several
    in a row (（记者 X）（通讯员 Y）). None when it does not end in one; an empty Byline when
    they credit no writer: （本报记者 王冬梅 摄）, closing the text, is a picture's credit (in
    the lead, 本报讯（记者 白莹 摄）, the reporter wrote and photographed)."""
    vocabulary = _vocabulary()
    found, start, end = [], None, len(paragraph)
    credits_end = end
    while True:
        head = paragraph[:end]
        match = vocabulary.trailing.search(head)
        if match:
            byline = _bracketed_credit(match.group("inner"))
        else:
            match = vocabulary.trailing_credit.search(head)
            if match:
                byline = read_credit_line(match.group("inner"))
                if byline is None:
                    break
            else:
                # （平谷区人民法院 通讯员 X Y）, （北京市建设工会宣传部供稿 通讯员 X）: a unit's or an
                # outlet's name (供稿 after it or not) before the roles, read by the credit grammar;
                # only when it names a writer (（完）, （据新华社报道）, （X 摄）, （区总工会供稿）
                # and a sentence in brackets are no such credit)
                # Text may stand in such a bracket (（优秀通讯员 王强 李明）): read among text.
                # A unit opening the bracket before a credit the grammar reads (（集团工会
                # 吕晓晴/文）): when the credit after it names a writer, that is the reading (the
                # grammar alone misses it, or takes 公司工会 in （公司工会 何思远/文） for a name).
                match = vocabulary.closing_bracket.search(head)
                byline = read_credit_line(match.group("inner"), among_text=True) if match else None
                after_unit = _credit_after_unit(match.group("inner")) if match else None
                if after_unit:
                    byline = after_unit
                if not byline:
                    break
        found.insert(0, byline)
        start, end = match.start(), match.start()
    if start is None:
        return None
    byline = Byline()
    for credit in found:
        byline = _joined(byline, credit)
    if not byline:
        return Byline()
    return Byline(byline.reporters, byline.correspondents, text=paragraph[start:credits_end].strip(SPACES + "。"))


def _credit_after_unit(inner):
    """（集团工会 吕晓晴/文 秦川/图）: the writer's unit before a credit the credit grammar reads
    (吕晓晴/文 秦川/图), as （朝阳区总工会 韩立） prints it before a bare name. None when no unit
    opens ``inner`` or the rest is no credit naming a writer (（集团工会 秦川/图） names nobody).
    Every name must read as a name and as no word (:func:`_reads_as_a_person`): （市总工会
    宣传部/文） and （集团工会 安全 文） name nobody."""
    tokens = [token for token in WHITESPACE.split(inner.strip(SPACES)) if token]
    rest = _without_unit(tokens)
    if len(rest) == len(tokens):
        return None
    credit = read_credit_line(" ".join(rest), among_text=True)
    if credit and not all(_reads_as_a_person(name) for name in credit.reporters + credit.correspondents):
        return Byline()
    return credit


def _reads_as_a_person(token):
    """A name after a unit, where nothing but the credit says it is one: a common surname
    (:func:`_is_common_name`), no word of the language (安全, 计划, 金秋助学: jieba's words not
    tagged as names; 宣传部), no organisation (区总工会), and four characters only with a double
    surname (全体职工). Refuses a few real names that are also words (高原, 苗苗: 6 of the 881
    names of the labelled sets), which only this reading misses."""
    from newsroom.text import segment  # jieba's tables; imported late, as districts

    if not _is_common_name(token) or token.endswith(_vocabulary().organisation_endings):
        return False
    if len(token) == 4 and token[:2] not in _vocabulary().double_surnames:
        return False
    in_dictionary = (segment.tokenizer().FREQ.get(token) or 0) > 0  # names._is_common_word's test, any frequency
    return not (in_dictionary and segment.word_tag(token) not in ("nr", "nrfg", "nrt"))


WHITESPACE = re.compile(r"[\s\u3000]+")


def _names_nobody(credit):
    """Whether a credit line read by :func:`read_credit_line` credits no writer (not None: a credit line)."""
    return credit is not None and not credit


def _bracketed_credit(inner):
    """The names of a credit in brackets that is not the lead's first: read by the credit
    grammar where it reads it, so that 摄 after names makes them the photographers
    (（本报记者 王冬梅 摄） names no writer, （记者 X 通讯员 Y 摄） names X); else as a
    bracketed lead is read (any two to four characters after a role word)."""
    credit = read_credit_line(inner)
    if credit is not None:
        return Byline(credit.reporters, credit.correspondents)
    return Byline(*_names(inner, BRACKET_SEPARATORS, strict=False))


def _credits_nobody(paragraph):
    """Whether ``paragraph`` is made of credit lines that name no writer: the source's and
    the editors' (来源：…, 编辑：…) and the pictures' (摄像：X, 图｜X, 王冬梅 摄)."""
    lines = [line.strip(SPACES) for line in paragraph.split("\n") if line.strip(SPACES)]
    return bool(lines) and all(_vocabulary().furniture.match(line) or PHOTO_LINE.fullmatch(line)
                               or _names_nobody(read_credit_line(line)) for line in lines)


def _byline_among_furniture(paragraph, among_text=False):
    """A byline line among the credit lines of one closing paragraph: 新京报记者 X above
    编辑 Y 校对 Z, 通讯员：X above 来源：…, 撰稿：X above 图片由…提供, 记者：X over 摄像：Y
    and 编辑：Z. Every line must be a credit line (of the editors, the source or the pictures:
    新京报记者 X 摄 credits a picture and names nobody) or a byline line; the byline lines
    together are the byline (记者：X over 通讯员：Y). ``among_text``: the lines close a
    paragraph of text, read by :func:`read_credit_line` as among text."""
    found = Byline()
    lines = [line.strip(SPACES) for line in paragraph.split("\n") if line.strip(SPACES)]
    for index, line in enumerate(lines):
        credit = read_credit_line(line, among_text=among_text)
        if credit is None and _signs_the_credits(line, lines[index + 1:], among_text):
            continue  # 门头沟区融媒体中心 above 记者：X 通讯员：Y: the outlet whose credits follow
        byline = credit or _bracketed_line(line)
        if byline:  # 记者：X over 通讯员：Y: one byline
            found = _joined(found, byline, text=f"{found.text}\n{byline.text}" if found else byline.text)
        elif credit is not None:
            continue  # 摄像：刘立, 图｜邱立, 新京报记者 X 摄: a credit naming no writer
        elif PHOTO_LINE.fullmatch(line):
            continue  # 陶然 摄 below （通讯员 鲁慧 邱子航）: the photographer's credit, no byline
        elif not _vocabulary().furniture.match(line):
            return Byline()
    return found


def _signs_the_credits(line, after, among_text=False):
    """Whether ``line`` is an outlet's or a unit's name alone (门头沟区融媒体中心, 北京日报客户端)
    standing right above a credit line that names a writer by a role word: the outlet those
    credits are of. Nothing else on the line (a date, a sentence) and nothing else below
    (an organisation named alone at the end of a notice signs it, it credits nobody)."""
    if not after or not OUTLET_TOKEN.fullmatch(line) or _is_common_name(line):
        return False
    return len(line) >= 3 and line.endswith(_outlet_endings()) and bool(read_credit_line(after[0], among_text=among_text))


@lru_cache(maxsize=1)
def _outlet_endings():
    """How an organisation's or an outlet's name ends (区总工会, 融媒体中心, 客户端): bylines.toml."""
    return (*_vocabulary().organisation_endings, *_vocabulary_data().get("leads", {}).get("outlet_endings", []))


@lru_cache(maxsize=1)
def _credit_unit_endings():
    """How a credit's unit or outlet ends where text may stand: an organisation, an outlet, a
    unit (bylines.toml) or a giving word (供稿, 提供: credit_roles.toml)."""
    leads = _vocabulary_data().get("leads", {})
    return (*_outlet_endings(), *leads.get("unit_endings", []), *_role_table_data().get("credit_unit_endings", []))


# The end of a sentence of the text: credit lines glued to it by a single line break follow it.
SENTENCE_END = "。！？!?…”」』）)"


def _credits_closing_a_paragraph(paragraph):
    """The credit lines closing the last text paragraph, glued to its last sentence by a
    single line break (……让职工少跑腿。\n记者：X 通讯员：Y\n编辑：Z): the longest run of
    lines at its end that reads as a closing credits paragraph (:func:`_byline_among_furniture`)
    and names a writer, right after a line that ends a sentence. A role word inside a line of
    the text (告诉记者, 通讯员李明说) is never read: only lines made of credits alone are, read
    as among text (优秀通讯员：王强 lists an award's winners), and a line alone whose only role
    word is also a plain noun (实习生 王强 李明) is no credit: in a run of credit lines it is."""
    lines = paragraph.split("\n")
    for start in range(1, len(lines)):
        before = lines[start - 1].rstrip(SPACES)
        if not before or before[-1] not in SENTENCE_END:
            continue
        run = [line for line in lines[start:] if line.strip(SPACES)]
        byline = _byline_among_furniture("\n".join(run), among_text=True)
        if byline and not (len(run) == 1 and _plain_noun_roles_only(run[0])):
            return byline
    return Byline()


# A photographer's credit on a line of its own: 陶然 摄, 陶然/摄 (no role word: a role word
# makes it 新京报记者 X 摄, a reporter's photo, which the paragraph's rule reads as no byline).
PHOTO_LINE = re.compile(r"[\u4e00-\u9fff·]{2,8}(?:[\s\u3000、]+[\u4e00-\u9fff·]{2,8}){0,2}[\s\u3000/／]*(?:摄影|摄)")


def _bracketed_line(line):
    """A bracketed byline that is the whole line: （通讯员 鲁慧 邱子航）."""
    match = _vocabulary().trailing.search(line)
    if not match or match.start() != 0:
        return Byline()
    names = _names(match.group("inner"), BRACKET_SEPARATORS, strict=False)
    return Byline(*names, text=match.group(0).strip(SPACES + "。")) if any(names) else Byline()


FURNITURE_MAX_CHARS = 120  # credit lines are short: longer paragraphs are text
# A lead with no byline after it: 本网讯 4月21日，…; 人民网北京11月24日电 北京市…
BARE_LEAD = r"^[{bullets}]?[\s\u3000]*[^\n（()。，、！？；;：:“”]{{0,30}}?(?:{endings})(?=[\s\u3000])"
# A photo caption's credit at the end of a line: ▲ 职工出发 王冬梅 摄
PHOTO_CREDIT = re.compile(r"[\s\u3000]+[\u4e00-\u9fff·]{2,8}[\s\u3000]*(?:摄影|摄)[）)]?[\s\u3000]*$", re.M)


@lru_cache(maxsize=1)
def _bare_lead():
    endings = _vocabulary_data().get("leads", {}).get("endings", ["讯"])
    return re.compile(BARE_LEAD.format(bullets=BULLET, endings="|".join(re.escape(word) for word in endings)))


def without_credits(body):
    """``body`` without what credits rather than tells: the byline (with another newsroom's
    lead before it, 新华社北京…电), a lead with no byline (本网讯, 人民网北京…电), photo
    credits (王冬梅 摄) and the credit lines of the source and the editors (来源：…,
    编辑：…). Their names and outlets are not what the article is about."""
    byline = byline_of(body)
    if byline.text:
        body = body.replace(byline.text, " ", 1)
    paragraphs = re.split(r"(\n[\s\u3000]*\n)", body)
    kept = []
    lead_done = False
    for piece in paragraphs:
        if not piece.strip() or piece.startswith("\n"):
            kept.append(piece)
            continue
        if len(piece) <= FURNITURE_MAX_CHARS and is_furniture(piece.strip()):
            continue
        if not lead_done and not piece.lstrip().startswith(("#", "![", "<")):
            piece = _bare_lead().sub(" ", piece.lstrip(), count=1)
            lead_done = True
        kept.append(PHOTO_CREDIT.sub("", piece) if "摄" in piece else piece)
    return "".join(kept)


# The paper prints a byline's brackets full-width: 本报讯（记者 白莹）.
FULL_WIDTH_BRACKETS = str.maketrans("()", "（）")


def as_printed(text):
    """A byline as the paper prints it, whatever brackets were typed:
    ``本报讯(记者 白莹)`` -> ``本报讯（记者 白莹）``."""
    return text.translate(FULL_WIDTH_BRACKETS)


def with_byline_as_printed(body, byline=None):
    """``body`` with its byline as printed; unchanged when the byline is already so, or is
    not found there as written. ``byline``: the byline's text, when ``body`` is the HTML
    rendered from the Markdown it was read in (default: :func:`byline_of` ``body``)."""
    byline = byline_of(body).text if byline is None else byline
    printed = as_printed(byline)
    if not byline or printed == byline or byline not in body:
        return body
    return body.replace(byline, printed, 1)


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


# --- the credit-line grammar -----------------------------------------------------------
# A line of credits is read token by token against one role table (data/credit_roles.toml)
# rather than matched against a list of printed forms; see that file for the grammar.

CREDIT_ROLES_PATH = DATA_DIR / "credit_roles.toml"
ROLE_KINDS = (REPORTER, CORRESPONDENT, "photo", "nobody")
# What separates a line's tokens: spaces, 、，, ｜, a slash, a colon (文/张三, 记者：张三).
CREDIT_SEPARATORS = re.compile(r"[\s\u3000\u00a0、，,；;｜|丨/／:：]+")
CREDIT_TOKEN = re.compile(r"(?P<token>[^\s\u3000\u00a0、，,；;｜|丨/／:：]+)(?P<separator>[\s\u3000\u00a0、，,；;｜|丨/／:：]*)")
LABEL_MARK = re.compile(r"[｜|丨/／:：]")
EMPHASIS = re.compile(r"(?P<mark>\*\*|__|\*|_)(?P<inner>[^*_\n]+)(?P=mark)")
LAST_TOKEN = re.compile(r"[^\s\u3000\u00a0、，,；;｜|丨/／:：]+$")
OUTLET_TOKEN = re.compile(r"[\u4e00-\u9fffA-Za-z0-9\-·]{1,16}")


@dataclass(frozen=True)
class _RoleTable:
    kind_of: dict  # role word -> one of ROLE_KINDS
    compound: re.Pattern  # a role word printed with a mark inside (文/图, 文、图), read whole
    words: tuple  # role words, longest first
    after_writer: frozenset
    after_photo: frozenset
    joiners: frozenset


@lru_cache(maxsize=1)
def _role_table_data(path=CREDIT_ROLES_PATH):
    return _read_toml(path, "the credit roles")


def person_roles():
    """``(reporter role words, correspondent role words)`` of the role table: 记者, 本报记者 …;
    通讯员 … (the desk's check reads them to tell a byline's opening from text)."""
    data = _role_table_data()
    return tuple(data["reporter"]), tuple(data["correspondent"])


@lru_cache(maxsize=1)
def _role_table(path=CREDIT_ROLES_PATH):
    data = _role_table_data(path)
    kind_of = {}
    for kind, key in ((REPORTER, "reporter"), (REPORTER, "writer"), (CORRESPONDENT, "correspondent"),
                      ("photo", "photo"), ("nobody", "nobody")):
        for word in data[key]:
            if word in kind_of:
                raise ValueError(f"{path}: the role word {word!r} is listed twice")
            kind_of[word] = kind
    # 文/图, 文、图, 图 / 文: the marks inside a role word also separate names, so the word is
    # joined (文图) before the line is cut into tokens.
    compound = [word for word in kind_of if CREDIT_SEPARATORS.search(word)]
    for word in compound:
        kind_of.setdefault(CREDIT_SEPARATORS.sub("", word), kind_of[word])
    pattern = "|".join(r"[\s\u3000]*[、/／][\s\u3000]*".join(re.escape(part) for part in CREDIT_SEPARATORS.split(word))
                       for word in sorted(compound, key=len, reverse=True))
    return _RoleTable(kind_of=kind_of, compound=re.compile(pattern or "(?!)"),
                      words=tuple(sorted(kind_of, key=len, reverse=True)),
                      after_writer=frozenset(data.get("after_writer", [])),
                      after_photo=frozenset(data.get("after_photo", [])),
                      joiners=frozenset(data.get("joiners", [])))


def _is_unit(token):
    """A writer's or an outlet's organisation before the names (丰台区总工会, 民一庭, 北京晚报)."""
    vocabulary = _vocabulary()
    endings = (*vocabulary.organisation_endings, *_vocabulary_data().get("leads", {}).get("outlet_endings", []))
    return (len(token) >= 3 and OUTLET_TOKEN.fullmatch(token) is not None and token.endswith(endings)
            and not _is_common_name(token))


def _split_role(token, table, among_text=False):
    """``(outlet, role word, rest)`` when ``token`` holds a role word: 记者 (whole),
    石景山融媒记者 (an outlet glued before it), 记者白莹 (a name glued after it); else None.
    ``among_text``: what is glued before the role word must read as a unit or an outlet
    (:func:`_is_credit_unit`): 先进工作者 holds no 作者, 优秀记者 no 记者."""
    for word in table.words:
        index = token.find(word)
        if index < 0:
            continue
        outlet, rest = token[:index], token[index + len(word):]
        if outlet and not OUTLET_TOKEN.fullmatch(outlet):
            continue
        if outlet and among_text and not _is_credit_unit(outlet):
            continue
        if rest and not (_is_common_name(rest) or rest in table.after_writer or rest in table.after_photo):
            continue
        return outlet, word, rest
    return None


def read_credit_line(line, among_text=False):
    """The byline of a credit line of its own, by the grammar of data/credit_roles.toml.

    Returns a :class:`Byline` (empty when the line credits no writer, e.g. 编辑：X or a
    photo credit), or None when the line is not made of credits only (a sentence, an
    interview's question 记者：您好, a date). ``among_text``: the line is read where text may
    stand (a bracket closing the text, a line glued after its last sentence), so a word
    before a role word must read as a unit or an outlet (:func:`_is_credit_unit`), never as
    an award's (优秀通讯员, 先进工作者: a list of winners)."""
    table = _role_table()
    # 作者：张明（单位：北京市总工会）: a writer's unit in brackets after the name is not read
    line = ASIDE.sub(lambda aside: aside.group(0) if aside.start() == 0 else "", line.strip(SPACES))
    text = line.strip(SPACES).lstrip(BULLET).strip(SPACES)
    emphasised = EMPHASIS.fullmatch(text)  # **本报记者 白莹**: a credit line set in bold in Markdown
    if emphasised:
        text = emphasised.group("inner").strip(SPACES)
    text = table.compound.sub(lambda word: CREDIT_SEPARATORS.sub("", word.group(0)), text)
    # 记者王冬梅摄: a photographer's 摄 glued to the name closing the line is a word of its own
    text = _photo_mark_apart(text, table)
    if not text or len(text) > 80:
        return None
    tokens, labelled, slashed = [], [], []  # labelled: a label's mark follows (图｜, 文/); slashed: a slash
    for match in CREDIT_TOKEN.finditer(text):
        tokens.append(match.group("token"))
        labelled.append(bool(LABEL_MARK.search(match.group("separator"))))
        slashed.append(bool(re.search(r"[/／]", match.group("separator"))))
    found = {REPORTER: [], CORRESPONDENT: []}
    kind = None  # the role the names now read belong to
    listed = []  # the names read since the last role word, (kind, name)
    photographed = set()
    uncredited = []  # names before any role word, waiting for the credit after them (张三/文)
    pending_outlet = False  # a token before a role word: 北京日报客户端｜记者 X
    unit_allowed = False  # right after a role word a unit may stand before the names
    role_just_read = False  # the token before was a role word (文/本报记者, 图｜记者)
    kinds_read = set()  # the kinds of the role words read
    for position, token in enumerate(tokens):
        after_role, role_just_read = role_just_read, False
        if token in table.joiners and listed:
            continue
        if (token in table.after_photo or token in table.after_writer) and listed and not labelled[position] and (
                uncredited or (position and slashed[position - 1]) or position + 1 == len(tokens)
                or _starts_credit(tokens[position + 1], table)):
            if token in table.after_photo:  # 王冬梅 摄: the names before took the pictures
                photographed.update(name for _, name in listed)
            else:  # 张三/文: names printed before their credit wrote the text
                found[REPORTER].extend(name for name in uncredited if name not in found[REPORTER])
            listed, uncredited = [], []
            continue
        split = None if _is_common_name(token) and token not in table.kind_of else _split_role(token, table,
                                                                                              among_text)
        if split is not None:
            if uncredited:
                return None  # names with no credit of their own
            outlet, word, rest = split
            new_kind = table.kind_of[word]
            if after_role and kind in ("photo", "nobody"):
                new_kind = kind  # 图｜记者 王晨: a reporter credited with the pictures took them
            # A role word after a unit's name (北京市建设工会宣传部供稿, 平谷区人民法院 供稿) is
            # that unit's credit, whole: a role word after it opens a list of its own
            # (……供稿 通讯员 薛宇航 credits 薛宇航), as after 来源：北京晚报.
            role_just_read = not (outlet or pending_outlet)
            kind, listed, unit_allowed, pending_outlet = new_kind, [], True, False
            kinds_read.add(kind)
            if not rest:
                continue
            token = rest
            if token in table.after_writer or token in table.after_photo:
                continue
        if kind == "nobody":
            continue  # an editor's, a source's value: not read
        if kind is None:
            names = None if pending_outlet else _names_in_token(token, table)
            if names:
                uncredited += names
                listed += [(None, name) for name in names]
                continue
            if pending_outlet or not OUTLET_TOKEN.fullmatch(token) or position + 1 >= len(tokens) or (
                    among_text and not _is_credit_unit(token)):
                return None
            pending_outlet = True  # must be followed by a role word
            continue
        names = _names_in_token(token, table)
        if names is None:
            if unit_allowed and _is_unit(token):
                unit_allowed = False
                continue
            return None
        unit_allowed = False
        for name in names:
            listed.append((kind, name))
            if kind in found and name not in found[kind]:
                found[kind].append(name)
    if pending_outlet or uncredited:
        return None
    if kinds_read and kinds_read <= {REPORTER, CORRESPONDENT} and not (found[REPORTER] or found[CORRESPONDENT]) \
            and not photographed:
        return None  # 职工们告诉记者: a role word that credits nobody is a sentence's, no credit line
    if photographed:
        # 本报记者 王冬梅 摄: a picture's credit; 记者 张三 报道 通讯员 李四 摄 keeps 张三
        for role in found:
            found[role] = [name for name in found[role] if name not in photographed]
    return Byline(tuple(found[REPORTER]), tuple(found[CORRESPONDENT]), text=line.strip(SPACES))


def _is_credit_unit(text):
    """Whether ``text``, before a credit's first role word where text may stand, reads as the
    credit's unit or outlet: it ends like one (平谷区人民法院, 门头沟区融媒体中心, 北京日报客户端)
    or in a giving word (北京市建设工会宣传部供稿), and opens with no award's word (优秀, 先进:
    优秀通讯员 names winners). Data: credit_roles.toml, bylines.toml."""
    return (text.endswith(_credit_unit_endings()) and not text.startswith(_award_words())
            and not _is_common_name(text))


@lru_cache(maxsize=1)
def _award_words():
    """Words that open an award's name (优秀, 先进): credit_roles.toml."""
    return tuple(_role_table_data().get("award_words", []))


def _plain_noun_roles_only(line):
    """Whether the only role words of credit ``line`` are also plain nouns (实习生 王强 李明)."""
    table = _role_table()
    plain = set(_role_table_data().get("plain_noun_roles", []))
    words = [split[1] for token in CREDIT_SEPARATORS.split(line.strip(SPACES)) if token
             and (split := _split_role(token, table, among_text=True)) is not None]
    return bool(words) and all(word in plain for word in words)


def _photo_mark_apart(text, table):
    """``text`` with a 摄 glued to the name closing it set apart: 记者王冬梅摄 -> 记者王冬梅 摄
    (a photographer's credit); 文并摄, or a token not ending in a name, unchanged."""
    last = LAST_TOKEN.search(text)
    token = last.group(0) if last else ""
    if not token.endswith("摄") or token in table.after_writer or token in table.after_photo:
        return text
    for length in (4, 3, 2):
        name = token[-1 - length:-1]
        if len(name) == length and _is_common_name(name):
            return text[:-1] + " 摄"
    return text


def _starts_credit(token, table):
    """Whether ``token`` opens a credit of its own (a role word, or an outlet glued to one)."""
    if token in table.kind_of:
        return True
    return not _is_common_name(token) and _split_role(token, table) is not None


def _names_in_token(token, table):
    """The names a token holds: one name, or names joined by 和/及/与 (张三和李四); None
    when it holds something else."""
    if _is_common_name(token):
        return [token]
    for joiner in table.joiners:
        parts = token.split(joiner)
        if len(parts) > 1 and all(_is_common_name(part) for part in parts):
            return parts
    return None
