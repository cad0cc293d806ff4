"""The back-catalogue importer: OCR'd page text → one Markdown article file per story.

A page is plain text in a Markdown-like form (see docs/importer.md)::

    # banner — a headline with no text of its own
    ## kicker
    # headline
    ## subtitle
    本报讯（记者 白莹）first paragraph…
    a paragraph cut where a column ends

Parsing and mending are pure functions (``decode_page``, ``parse_page``,
``mend_paragraphs``, ``render_article``); ``plan_import`` decides file names and what
would happen to each file, and ``write_plan`` is the only code that touches the disk.
Nothing here imports Pelican.

The invariant the tests hold this module to: the non-whitespace characters of a page,
without the ``#`` heading marks, are exactly the non-whitespace characters of the
banner followed by each article's kicker, title, subtitle and body paragraphs in page
order. Only whitespace is ever removed or added; nothing else of the text changes.
"""

import logging
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path

from newsroom import DATA_DIR, messages
from newsroom.text import bylines, districts, slugs
from newsroom.paper.content import MARKDOWN_SUFFIXES, ContentError, decode_utf8, format_article, read_source

log = logging.getLogger(__name__)

DATA = DATA_DIR / "column_breaks.toml"
with DATA.open("rb") as _file:
    _PUNCT = tomllib.load(_file)

SENTENCE_END = frozenset(_PUNCT["sentence_end"])
CLOSERS = frozenset(_PUNCT["closers"])
NOT_PARAGRAPH_START = frozenset(_PUNCT["not_paragraph_start"])
BRACKETS = {open_: close for open_, close in _PUNCT["brackets"]}
QUOTES = {open_: close for open_, close in _PUNCT["quotes"]}
OCR_SPACES = _PUNCT["ocr_spaces"]

HEADING = re.compile(r"^(?P<marks>#+)[ \t](?P<text>.*)$")

# Han ideographs (BMP blocks and the supplementary planes) and CJK/full-width punctuation.
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_PUNCT = r"\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018-\u201f\u2026\u2014\u2015\u00b7"
_OCR_SPACE_RUN = re.compile("[" + re.escape(OCR_SPACES) + "]+")
# A space run touching CJK punctuation: never meant (“ 天气 / 职工 ，).
_SPACE_BY_PUNCT = re.compile(rf"[ \t]+(?=[{_CJK_PUNCT}])|(?<=[{_CJK_PUNCT}])[ \t]+")
# Two or more spaces between ideographs: OCR noise (a typeset separator is one space).
_WIDE_GAP = re.compile(rf"(?<=[{_HAN}])[ \t]{{2,}}(?=[{_HAN}])")
# Letter-spaced OCR: four or more ideographs each separated by one space (北 京 市 总 工 会).
# Four, so that a spaced-out two-character name after a word (记者 白 莹) is left alone.
_LETTER_SPACED = re.compile(rf"[{_HAN}](?: [{_HAN}]){{3,}}")
_ASCII_WORD_END = re.compile(r"[A-Za-z]$")
_ASCII_WORD_START = re.compile(r"^[A-Za-z]")

# Batch file names: 2024-01-02_01_要闻.txt or 2024-01-02_01.txt
BATCH_NAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})_(?P<page>\d{1,3})(?:_(?P<name>[^_]+))?\.txt$", re.I)


@dataclass(frozen=True)
class Mend:
    """One break that was joined: the text either side of it and why."""

    line: int  # source line where the continuing text starts
    before: str  # the last characters before the break
    after: str  # the first characters after it
    reason: str

    def __str__(self):
        return messages.text("import.mend", line=self.line, before=self.before, after=self.after,
                             reason=messages.text(MEND_REASONS[self.reason]))


# Why a break was joined (Mend.reason, as the tests and continues() name it) -> its words.
MEND_REASONS = {
    "no sentence end": "import.reason_no_sentence_end",
    "next starts with closing mark": "import.reason_closing_mark",
    "bracket left open": "import.reason_bracket_open",
    "quotation left open": "import.reason_quotation_open",
    "line wrap": "import.reason_line_wrap",
}


@dataclass
class Paragraph:
    text: str
    line: int
    crosshead: bool = False  # a `##` line inside the body (小标题)


@dataclass
class ImportedArticle:
    title: str
    line: int  # line of the headline in the page
    kicker: str = ""
    subtitle: str = ""
    paragraphs: list = field(default_factory=list)
    mends: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    order: int = 0  # position on the page, 1 = lead

    @property
    def body(self):
        """The body as plain text, paragraphs separated by a blank line."""
        return "\n\n".join(p.text for p in self.paragraphs)


@dataclass
class ParsedPage:
    path: str
    banner: str = ""
    articles: list = field(default_factory=list)


@dataclass(frozen=True)
class PageInfo:
    """What the page text does not say: when and where it was printed."""

    date: Date
    page: int
    page_name: str = ""
    issue: str = ""


@dataclass
class PlannedFile:
    path: Path
    text: str
    article: ImportedArticle
    page: ParsedPage
    info: PageInfo
    slug: str
    action: str = "new"  # new | unchanged | conflict | replace
    replaces: list = field(default_factory=list)  # same page position, older file name


# --- decoding -------------------------------------------------------------------------


def decode_page(data, path):
    """Bytes of an OCR'd page → text with ``\\n`` line ends.

    UTF-8 (with or without BOM) first, UTF-16 when it has a BOM, then GB18030 strictly
    (GBK is a subset). A file that is mostly valid UTF-8 but damaged is refused rather
    than read as GB18030 mojibake. Anything undecodable is refused, naming the byte.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        text = _decode_utf8(data[3:], path, offset=3)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise _undecodable(data, path, error.start, "UTF-16") from None
    elif b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ContentError.of(path, line, "import.not_text")
    else:
        text = _decode_utf8(data, path)
    text = text.lstrip("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_utf8(data, path, offset=0):
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        valid = data[: error.start].decode("utf-8")
        if sum(1 for ch in valid if ord(ch) > 127) >= 4:
            # Plenty of Chinese decoded fine before the bad byte: a damaged UTF-8 file.
            raise _undecodable(data, path, error.start, "UTF-8", offset) from None
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise _undecodable(data, path, error.start, "UTF-8 nor GB18030", offset) from None
    _refuse_mojibake(text, path)
    log.info("%s: decoded as GB18030/GBK", path)
    return text


# Almost any byte string decodes as GB18030, so Big5 or Shift-JIS text "succeeds" as
# mojibake. Real GBK newspaper text is nearly all GB2312 characters (a rare name or two
# is not); mojibake is mostly characters outside it. Measured: the reference page in GBK
# has 0.1 % outside GB2312, the same page in Big5 read as GB18030 has 71 %.
_MOJIBAKE_SHARE = 0.2
_MOJIBAKE_MIN_CHARS = 20


def _refuse_mojibake(text, path):
    wide = [ch for ch in text if ord(ch) > 127]
    if len(wide) < _MOJIBAKE_MIN_CHARS:
        return
    rare = 0
    for ch in wide:
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            rare += 1
    if rare / len(wide) > _MOJIBAKE_SHARE:
        raise ContentError.of(path, 1, "import.other_encoding", rare=rare, count=len(wide), name=Path(path).name)


def _undecodable(data, path, position, encoding, offset=0):
    line = data[:position].count(b"\n") + 1
    byte = data[position : position + 1].hex()
    return ContentError.of(path, line, "import.undecodable", encoding=encoding, byte=byte, offset=position + offset,
                           name=Path(path).name)


# --- cleaning and mending --------------------------------------------------------------


def clean_spaces(text):
    """Remove the whitespace OCR strews into Chinese text; keep every other character.

    Removed: full-width/no-break/zero-width spaces anywhere, spaces at either end, spaces
    touching CJK punctuation, runs of 2+ spaces between ideographs, and the spaces of
    letter-spaced runs (北 京 市). Kept: a single space between ideographs, which print
    uses as a separator (记者 白莹, 奋进新时代 劳动创未来), and spaces around Latin
    letters and digits.
    """
    text = _OCR_SPACE_RUN.sub("", text).strip()
    text = _SPACE_BY_PUNCT.sub("", text)
    text = _WIDE_GAP.sub("", text)
    return _LETTER_SPACED.sub(lambda m: m.group(0).replace(" ", ""), text)


def ends_sentence(text):
    """Whether a paragraph ends a sentence: its last mark, behind closing quotes/brackets."""
    stripped = text.rstrip()
    while stripped and stripped[-1] in CLOSERS:
        stripped = stripped[:-1]
    return bool(stripped) and stripped[-1] in SENTENCE_END


def _left_open(text, pairs):
    """Whether ``text`` leaves one of the ``pairs`` (opening → closing mark) open."""
    closing = {close: open_ for open_, close in pairs.items()}
    depth = dict.fromkeys(pairs, 0)
    for ch in text:
        if ch in pairs:
            depth[ch] += 1
        elif ch in closing and depth[closing[ch]] > 0:
            depth[closing[ch]] -= 1
    return any(depth.values())


def continues(paragraph, following):
    """Why ``following`` continues ``paragraph`` across a column break, or ``""``.

    The rules, in order: the paragraph does not end a sentence; the next one begins with
    a mark no paragraph can begin with (”，。）…); the paragraph leaves a bracket open;
    the paragraph leaves a quotation open and the next does not open a new one (a long
    quotation opens each of its paragraphs with “).
    """
    if not ends_sentence(paragraph):
        return "no sentence end"
    if following[:1] in NOT_PARAGRAPH_START:
        return "next starts with closing mark"
    if _left_open(paragraph, BRACKETS):
        return "bracket left open"
    if _left_open(paragraph, QUOTES) and following[:1] not in QUOTES:
        return "quotation left open"
    return ""


def join_text(left, right):
    """Join two pieces of one paragraph: directly, or with a space between Latin words."""
    if _ASCII_WORD_END.search(left) and _ASCII_WORD_START.search(right):
        return f"{left} {right}"
    return left + right


def is_credit_line(paragraph):
    """Whether ``paragraph`` is nothing but a byline printed on its own line (本报记者 钱芳).

    Such a line stands apart from the text in print. A dateline byline in brackets
    (本报讯（记者 白莹）) is different: it always runs into the first sentence, so a
    break after it is a column break. Who is named is for newsroom.text.bylines to say.
    """
    byline = bylines.parse_byline(paragraph)
    text = _non_space(paragraph)
    return bool(byline.text) and _non_space(byline.text) == text and text[-1] not in CLOSERS


def mend_paragraphs(paragraphs):
    """Join body paragraphs split by column breaks → (paragraphs, mends).

    Crossheads are never joined, nor is a byline that stands on its own line as the
    first paragraph. The result keeps each paragraph's first line.
    """
    mended, mends = [], []
    for paragraph in paragraphs:
        previous = mended[-1] if mended else None
        reason = ""
        if previous and not previous.crosshead and not paragraph.crosshead:
            if not (len(mended) == 1 and is_credit_line(previous.text)):
                reason = continues(previous.text, paragraph.text)
        if reason:
            mends.append(Mend(paragraph.line, previous.text[-8:], paragraph.text[:8], reason))
            previous.text = join_text(previous.text, paragraph.text)
        else:
            mended.append(Paragraph(paragraph.text, paragraph.line, paragraph.crosshead))
    return mended, mends


# --- parsing ---------------------------------------------------------------------------


@dataclass
class _Block:
    kind: str  # "h1" | "h2" | "p"
    text: str
    line: int


def _blocks(text, path):
    """Lines → headings and paragraphs; a paragraph is a run of non-blank text lines."""
    blocks, wraps = [], []
    in_paragraph = False
    for number, raw in enumerate(text.split("\n"), start=1):
        line = _OCR_SPACE_RUN.sub("", raw).strip()
        if not line:
            in_paragraph = False
            continue
        heading = HEADING.match(line)
        if heading:
            words = clean_spaces(heading.group("text"))
            if not words:
                raise ContentError.of(path, number, "import.empty_heading")
            kind = "h1" if len(heading.group("marks")) == 1 else "h2"
            blocks.append(_Block(kind, words, number))
            in_paragraph = False
            continue
        words = clean_spaces(line)
        if in_paragraph:
            previous = blocks[-1]
            wraps.append(Mend(number, previous.text[-8:], words[:8], "line wrap"))
            previous.text = join_text(previous.text, words)
        else:
            blocks.append(_Block("p", words, number))
            in_paragraph = True
    return blocks, wraps


def parse_page(text, path="<page>"):
    """Page text → :class:`ParsedPage` (banner and articles, column breaks mended).

    Who a `##` line belongs to, decided in this order:

    1. a run of `##` lines directly before a `#` headline is that headline's kicker;
    2. otherwise a run of `##` lines directly after a `#` headline is its subtitle;
    3. otherwise a `##` line inside a body is a crosshead (小标题) of that body.

    The first headline is the banner when it has no text of its own (nothing but the
    next kicker or headline follows it). Any other headline without text is an error,
    as is text before the first headline, a kicker at the end of the page, and a page
    with no article.
    """
    blocks, wraps = _blocks(text, path)
    if not blocks:
        raise ContentError.of(path, 1, "import.empty_page")
    headlines = [i for i, block in enumerate(blocks) if block.kind == "h1"]
    if not headlines:
        raise ContentError.of(path, blocks[0].line, "import.no_headline")
    first = headlines[0]
    stray = [block for block in blocks[:first] if block.kind == "p"]
    if stray:
        raise ContentError.of(path, stray[0].line, "import.text_before_headline")
    if blocks[-1].kind == "h2":
        raise ContentError.of(path, blocks[-1].line, "import.page_ends_with_kicker", text=blocks[-1].text)

    # Split into sections: each headline with the blocks up to the next kicker/headline.
    role = ["" for _ in blocks]
    for i, block in enumerate(blocks):
        if block.kind == "h1":
            role[i] = "title"
            j = i - 1
            while j >= 0 and blocks[j].kind == "h2":
                role[j] = "kicker"
                j -= 1
    for i, block in enumerate(blocks):
        if block.kind == "h2" and not role[i]:
            previous = i - 1
            while previous >= 0 and role[previous] == "subtitle":
                previous -= 1
            role[i] = "subtitle" if blocks[previous].kind == "h1" else "crosshead"
        elif block.kind == "p":
            role[i] = "body"

    page = ParsedPage(path=str(path))
    sections = []
    kicker = []
    for block, block_role in zip(blocks, role):
        if block_role == "kicker":
            kicker.append(block.text)
        elif block_role == "title":
            sections.append(ImportedArticle(title=block.text, line=block.line, kicker=" ".join(kicker)))
            kicker = []
        elif block_role == "subtitle":
            article = sections[-1]
            article.subtitle = f"{article.subtitle} {block.text}".strip()
        else:
            sections[-1].paragraphs.append(Paragraph(block.text, block.line, block_role == "crosshead"))

    lead = sections[0]
    if not lead.paragraphs and not lead.kicker and not lead.subtitle:
        page.banner = lead.title
        sections = sections[1:]
    if not sections:
        raise ContentError.of(path, lead.line, "import.banner_only")
    for order, article in enumerate(sections, start=1):
        if not any(not p.crosshead for p in article.paragraphs):
            raise ContentError.of(path, article.line, "import.headline_without_text", title=article.title)
        article.order = order
        article.mends = [w for w in wraps if _owned_by(w, article, sections)]
        article.paragraphs, mends = mend_paragraphs(article.paragraphs)
        article.mends = sorted(article.mends + mends, key=lambda m: m.line)
        last = article.paragraphs[-1]
        if not last.crosshead and not ends_sentence(last.text):
            article.warnings.append(messages.text("import.ends_mid_sentence", line=last.line, end=last.text[-8:]))
    page.articles = sections
    return page


def _owned_by(mend, article, sections):
    """Whether a line-wrap mend lies within ``article`` (between its headline and the next)."""
    following = [a.line for a in sections if a.line > article.line]
    return article.line < mend.line < (following[0] if following else float("inf"))


def page_characters(text):
    """The characters the invariant counts: non-whitespace, without the heading marks."""
    lines = []
    for line in text.split("\n"):
        stripped = _OCR_SPACE_RUN.sub("", line).strip()
        heading = HEADING.match(stripped)
        lines.append(heading.group("text") if heading else stripped)
    return _non_space("".join(lines))


def article_characters(page):
    """The same characters, rebuilt from the parsed page (banner, then each article)."""
    parts = [page.banner]
    for article in page.articles:
        parts += [article.kicker, article.title, article.subtitle]
        parts += [p.text for p in article.paragraphs]
    return _non_space("".join(parts))


def _non_space(text):
    return "".join(ch for ch in text if not ch.isspace() and ch not in OCR_SPACES)


# --- Markdown output -------------------------------------------------------------------

_INLINE_ESCAPES = str.maketrans({"\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[",
                                 "]": "\\]", "{": "\\{", "}": "\\}", "&": "&amp;", "<": "&lt;"})
# A leading - or + is always escaped: "- x" is a list item, and "---" (OCR of a printed rule) a <hr>.
_BLOCK_START = re.compile(r"^(#|>|[-+]|\d+(?=[.)](?:\s|$))|=|:|~|\|)")


def escape_markdown(text):
    """Text → Markdown that renders back to exactly ``text`` (Python-Markdown + extra)."""
    text = text.translate(_INLINE_ESCAPES)
    match = _BLOCK_START.match(text)
    if match:
        mark = match.group(0)
        if mark[0].isdigit():  # 1. → 1\. (an ordered list otherwise)
            return mark + "\\" + text[len(mark):]
        if mark in ":~|=":  # not backslash-escapable in Python-Markdown
            return f"&#{ord(mark)};" + text[1:]
        return "\\" + text
    return text


def markdown_body(article):
    parts = []
    for paragraph in article.paragraphs:
        text = escape_markdown(paragraph.text)
        parts.append(f"### {text}" if paragraph.crosshead else text)
    return "\n\n".join(parts) + "\n"


def article_metadata(article, page, info, slug):
    """The metadata fields of the content model; empty fields left out (written in the canonical order)."""
    district = districts.district_of(article.title, article.body)
    fields = [
        ("Title", article.title),
        ("Kicker", article.kicker),
        ("Subtitle", article.subtitle),
        ("Date", info.date.isoformat()),
        ("Page", str(info.page)),
        ("PageName", info.page_name),
        ("PageOrder", str(article.order)),
        ("Issue", str(info.issue or "")),
        ("Banner", page.banner),
        ("District", district or ""),
        ("Slug", slug),
    ]
    return [(key, value) for key, value in fields if value]


def render_article(article, page, info, slug):
    body = bylines.with_byline_as_printed(markdown_body(article))  # 本报讯(记者 …) as printed: （）
    return format_article(article_metadata(article, page, info, slug), body)


def file_name(info, article, slug):
    """``2024-01-02-01-03-chang-ping-gong-hui-zhong-cai.md``: sorts by date, page, order."""
    short = slug
    if len(short) > 48:
        short = short[:48].rsplit("-", 1)[0] or short[:48]
    return f"{info.date.isoformat()}-{info.page:02d}-{article.order:02d}-{short}.md"


# --- planning and writing --------------------------------------------------------------


def plan_import(pages, out_dir):
    """``[(ParsedPage, PageInfo), …]`` → the files to write under ``out_dir/YYYY/MM/``.

    An article's slug is its headline in pinyin; when another article of the same day
    already has that slug (in this import or in the content folder), ``-2``, ``-3`` …
    is added so that URLs stay unique. Each file's ``action`` says what writing would do;
    ``replaces`` lists files of an earlier import of the same page position under
    another name (the headline was corrected since), which only ``--force`` removes.
    """
    out_dir = Path(out_dir)
    own_slots = {(info.date, info.page) for _, info in pages}
    taken = {}  # date -> set of slugs in use
    for folder in {out_dir / f"{info.date:%Y}" / f"{info.date:%m}" for _, info in pages}:
        for day, slug in _slugs_in(folder, own_slots):
            taken.setdefault(day, set()).add(slug)
    plan = []
    for page, info in pages:
        folder = out_dir / f"{info.date:%Y}" / f"{info.date:%m}"
        for article in page.articles:
            base = slugs.slugify_headline(article.title)
            used = taken.setdefault(info.date, set())
            slug, number = base, 1
            while slug in used:
                number += 1
                slug = f"{base}-{number}"
            used.add(slug)
            path = folder / file_name(info, article, slug)
            text = render_article(article, page, info, slug)
            item = PlannedFile(path, text, article, page, info, slug, _action(path, text))
            item.replaces = sorted(other for other in folder.glob(f"{_slot_prefix(info, article.order)}*.md")
                                   if other != path)
            if item.replaces:
                item.action = "conflict"
            plan.append(item)
    paths = [item.path for item in plan]
    for item in plan:
        if paths.count(item.path) > 1:
            raise ContentError.of(item.page.path, item.article.line, "import.same_target", path=item.path)
    return plan


def page_neighbours(pages, out_dir):
    """Warnings about articles already in ``out_dir`` that the imported pages would meet.

    An article not written by an import of the same page, with the same date and ``Page``,
    would be listed on that printed page next to the imported ones; one of the same date
    with another ``Issue`` gives the date two issue numbers. Both are usually a wrong
    ``--date``/``--page``/``--issue``, so they are shown, though nothing stops the import.
    """
    warnings, others = [], {}
    wanted = {(info.date, info.page): info for _, info in pages}
    issues = {info.date: info.issue for _, info in pages if info.issue}
    folders = {Path(out_dir) / f"{day:%Y}" / f"{day:%m}" for day, _ in wanted}
    for folder in sorted(folders):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.md")):
            try:
                source = read_source(path)
                day = Date.fromisoformat(source.get("date", "")[:10])
                page = int(source.get("page") or 0)
            except (ContentError, ValueError, OSError):
                continue
            info = wanted.get((day, page))
            if info and not path.name.startswith(f"{day.isoformat()}-{page:02d}-"):
                warnings.append(messages.text("import.already_on_page", path=path, day=day, page=page,
                                              title=source.title))
            issue = (source.get("issue") or "").strip()
            if day in issues and issue and issue != issues[day]:
                others.setdefault((day, issue), []).append(path)
    for (day, issue), paths in others.items():
        warnings.append(messages.text("import.other_issue_number", path=paths[0], day=day, issue=issue,
                                      count=len(paths), folder=paths[0].parent, given=issues[day]))
    return warnings


def same_text_elsewhere(plan, out_dir):
    """Warnings for planned articles whose text is already in another file of the month
    folders the import writes into (``out_dir/YYYY/MM/``), or twice in the plan.

    The ``-2`` that keeps URLs unique would otherwise hide a page imported twice under
    another ``--date`` or ``--page`` (the site would print every story twice). The file
    the plan writes itself, and the files it replaces, do not count. Only those month
    folders are read, as for the slugs: reading a 20,000-article catalogue on every import
    would double its time, and a wrong date is nearly always within the month.
    """
    wanted = {}
    for item in plan:
        key = _text_key(markdown_body(item.article))
        if key:
            wanted.setdefault(key, []).append(item)
    warnings = []
    for items in wanted.values():
        for item in items[1:]:  # one import holding the same page twice (a batch folder)
            warnings.append(messages.text("import.same_text_in_import", path=item.path, other=items[0].path))
    folders = sorted({item.path.parent for item in plan})
    for path in [p for folder in folders if folder.is_dir() for p in sorted(folder.iterdir())
                 if p.suffix.lower() in MARKDOWN_SUFFIXES and p.is_file()]:
        try:
            source = read_source(path)
        except (ContentError, OSError):
            continue
        for item in wanted.get(_text_key(source.body), []):
            if path != item.path and path not in item.replaces:
                warnings.append(messages.text("import.same_text_elsewhere", path=item.path, other=path,
                                              title=source.title))
    return warnings


def _text_key(body):
    """An article's text without its layout (spaces, line breaks), to compare two files."""
    return re.sub(r"\s+", "", body)


def _slot_prefix(info, order):
    return f"{info.date.isoformat()}-{info.page:02d}-{order:02d}-"


def _slugs_in(folder, own_slots):
    """``(date, slug)`` of the articles already in ``folder``, except the pages being imported."""
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.md")):
        match = re.match(r"(\d{4}-\d{2}-\d{2})-(\d{2,3})-\d{2,3}-", path.name)
        if match and (Date.fromisoformat(match.group(1)), int(match.group(2))) in own_slots:
            continue  # an earlier import of a page imported now: its slugs are ours to reuse
        try:
            source = read_source(path)
            day = Date.fromisoformat(source.get("date", "")[:10])
        except (ContentError, ValueError, OSError):
            continue  # `newsroom check` reports broken files; they cannot hold a slug here
        yield day, source.get("slug") or slugs.slugify_headline(source.title)


def _action(path, text):
    """``new``, ``unchanged`` or ``conflict`` for writing ``text`` at ``path``. An existing
    file is read as ``check`` reads it (UTF-8, a BOM dropped, any line ends); one that is
    not UTF-8 (a GBK file) cannot be the same text: a conflict, refused like any other
    unless ``--force`` replaces it."""
    if not path.exists():
        return "new"
    try:
        existing = decode_utf8(path.read_bytes(), path)
    except (ContentError, OSError):
        return "conflict"
    return "unchanged" if existing.replace("\r\n", "\n").replace("\r", "\n") == text else "conflict"


def write_plan(plan, force=False):
    """Write the planned files; refuse (writing nothing) if one would overwrite another.

    With ``force`` differing files are replaced, and files of the same page position
    under an older name are removed. Identical files are left alone, so an import run
    twice gives the same files.
    """
    conflicts = [item for item in plan if item.action == "conflict"]
    if conflicts and not force:
        names = ", ".join(str(other) for item in conflicts for other in (item.replaces or [item.path]))
        raise ContentError.of(conflicts[0].path, 0, "import.would_replace", count=len(conflicts), names=names)
    for item in plan:
        if item.action == "unchanged":
            continue
        if item.action == "conflict":
            item.action = "replace"
        item.path.parent.mkdir(parents=True, exist_ok=True)
        item.path.write_text(item.text, encoding="utf-8", newline="\n")
        for other in item.replaces:
            other.unlink()
            log.info("removed %s (replaced by %s)", other, item.path)
        log.info("wrote %s", item.path)
    return plan


# --- inputs ----------------------------------------------------------------------------


def read_page(path):
    """Read and parse one page file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ContentError.of(path, 0, "import.cannot_read_page", reason=messages.os_error(error)) from None
    if not data.strip():
        raise ContentError.of(path, 1, "import.empty_page")
    return parse_page(decode_page(data, path), path)


def page_files(folder):
    """The ``.txt`` files of ``folder``, whatever the suffix's case (Windows OCR tools
    write ``.TXT``), in name order."""
    return sorted(p for p in Path(folder).iterdir() if p.is_file() and p.suffix.lower() == ".txt")


def other_files(folder):
    """The files of ``folder`` that ``--batch`` does not import (scans, notes): the
    command names them, so that nothing is skipped unseen. Hidden files are left out."""
    pages = set(page_files(folder))
    return sorted(p for p in Path(folder).iterdir()
                  if p.is_file() and p not in pages and not p.name.startswith("."))


def batch_pages(folder):
    """``*.txt`` in ``folder`` named ``YYYY-MM-DD_NN[_版名].txt`` → ``[(path, PageInfo)]``."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ContentError.of(folder, 0, "import.not_a_folder")
    found = []
    for path in page_files(folder):
        match = BATCH_NAME.match(path.name)
        if not match:
            raise ContentError.of(path, 0, "import.batch_name")
        try:
            day = Date.fromisoformat(match.group("date"))
        except ValueError:
            raise ContentError.of(path, 0, "import.batch_bad_date", date=match.group("date")) from None
        found.append((path, PageInfo(day, int(match.group("page")), match.group("name") or "")))
    if not found:
        raise ContentError.of(folder, 0, "import.batch_empty")
    return found


def byline_summary(article):
    """``记者 白莹; 通讯员 …`` for the plan printout (from newsroom.text.bylines)."""
    byline = bylines.byline_of(article.body)
    parts = []
    if byline.reporters:
        parts.append(messages.text("import.byline_summary", names="、".join(byline.reporters)))
    if byline.correspondents:
        parts.append(messages.text("import.correspondents_summary", names="、".join(byline.correspondents)))
    return "; ".join(parts)
