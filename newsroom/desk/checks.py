"""Checks on article files, before Pelican sees them: ``file:line: problem — fix``.

Every check is a plain function over a :class:`newsroom.paper.content.Source` (or, for
duplicate URLs, over all of them) returning :class:`Problem` records, so that
``python -m newsroom check``, ``make publish`` and the tests share one definition of
"a correct article". Errors stop a publish; warnings are shown and let it through.

The checks use the same newsroom functions as the site (bylines, districts, topics,
keywords, slugs), so a file that passes here reads the same way in the build.
"""

import difflib
import fnmatch
import html
import logging
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from newsroom import DATA_DIR
from newsroom.text import bylines, districts
from newsroom.paper.content import MARKDOWN_SUFFIXES, META_LINE, ContentError, decode_utf8, parse_text, split_list
from newsroom.paper.corrections import parse_correction
from newsroom.paper.dates import DateProblem, parse_date
from newsroom.text.slugs import slugify_headline

log = logging.getLogger(__name__)

ERROR, WARNING = "error", "warning"
# Headlines in the paper run 12-25 characters; past 30 a headline wraps on phones
# and is cut in search results.
HEADLINE_MAX_CHARS = 30
STATUSES = ("published", "draft", "hidden")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Raw HTML that would run code in a reader's browser. Article bodies render raw, so
# this is the one place it is stopped.
UNSAFE_HTML = (
    (re.compile(r"<\s*script\b", re.I), "a <script> tag",
     "remove it: articles may not run scripts (embed media as an image or a link)"),
    (re.compile(r"<\s*iframe\b", re.I), "an <iframe>",
     "remove it and link to the page instead: `[标题](https://…)`"),
    (re.compile(r"<\s*(?:object|embed)\b", re.I), "an <object>/<embed> tag",
     "remove it and link to the file instead"),
    (re.compile(r"<[a-z][^>]*?\son[a-z]+\s*=", re.I), "an inline event handler (on…=)",
     "remove the on…= attribute: articles may not run scripts"),
    (re.compile(r"""(?:href|src|action|formaction|data)=["']?javascript:|\]\(<?javascript:""", re.I),
     "a javascript: link", "link to an https:// address instead"),
)
# Browsers decode character references in attribute values and drop tabs and line breaks
# inside a URL, so &#106;avascript: and java<TAB>script: are javascript: links too. The
# javascript: pattern is matched on the line so decoded and squeezed (its other spaces go too).
DECODED_CHECKS = frozenset({"a javascript: link"})
# The first words of the instructions `newsroom new` leaves in a new file (shared with it).
NEW_ARTICLE_NOTE = "编辑说明（发布前删除）"
FENCE = re.compile(r"^\s{0,3}(```|~~~)")
CODE_SPAN = re.compile(r"(`+).+?\1")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, at one line."""

    path: str
    line: int
    severity: str  # ERROR or WARNING
    message: str
    fix: str = ""

    @property
    def is_error(self):
        return self.severity == ERROR

    def __str__(self):
        text = f"{self.path}:{self.line}: {self.severity}: {self.message}"
        return text + (f" — {self.fix}" if self.fix else "")


@dataclass
class Checked:
    """A file that was read: its source (None when unreadable) and raw lines."""

    path: Path
    source: object = None
    lines: tuple = ()
    is_page: bool = False


def _problem(path, line, severity, message, fix=""):
    return Problem(str(path), int(line or 1), severity, message, fix)


def is_draft(source):
    """True for ``Status: draft``: the site never writes the article."""
    return (source.get("status") or "").strip().lower() == "draft"


def _slug_of(source):
    """The address's last part, as the site makes it: ``Slug:``, else the headline's pinyin."""
    return source.get("slug") or slugify_headline(source.title or "")


# --- reading ----------------------------------------------------------------


def read_checked(path, is_page=False):
    """Read one file; ``(Checked, problems)``. A file that is not UTF-8 is never half-read."""
    path = Path(path)
    try:
        text = decode_utf8(path.read_bytes(), path)
    except ContentError as error:
        return Checked(path, is_page=is_page), [_problem(path, error.line, ERROR, error.problem, error.fix)]
    except OSError as error:
        return Checked(path, is_page=is_page), [_problem(path, 1, ERROR, f"cannot read the file: {error.strerror}")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Checked(path, parse_text(text, path), tuple(text.split("\n")), is_page), []


def body_lines(checked, comments=True):
    """``(line number, text)`` for each body line, with code (fences, code spans) blanked out.

    Markdown shows code as text, so ``<script>`` inside backticks is harmless. With
    ``comments=False`` HTML comments are blanked out too (what readers see).
    """
    source = checked.source
    in_fence = in_comment = False
    numbered = []
    for number in range(source.body_line, len(checked.lines) + 1):
        line = checked.lines[number - 1]
        if not in_comment and FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            line = ""
        elif not comments:
            line, in_comment = _without_comments(line, in_comment)
        numbered.append((number, CODE_SPAN.sub("", line)))
    return numbered


def _without_comments(line, in_comment):
    """``line`` without HTML comment text; ``in_comment`` carries an open comment across lines."""
    kept = []
    while line:
        if in_comment:
            end = line.find("-->")
            if end < 0:
                return "".join(kept), True
            line, in_comment = line[end + 3:], False
        else:
            start = line.find("<!--")
            if start < 0:
                kept.append(line)
                break
            kept.append(line[:start])
            line, in_comment = line[start + 4:], True
    return "".join(kept), in_comment


# --- one file -----------------------------------------------------------------


# A metadata line the reader cannot take: a full-width colon (Title：), or a space before
# the colon (Title :). Reading stops there, so the line and every line after it would
# be printed as the article's text.
MISREAD_META = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z][A-Za-z0-9_-]*)\s*(?P<colon>[：:﹕])")
# The same with a field's Chinese name (标题：…): field names are English.
CHINESE_META = re.compile(r"^[ ]{0,3}(?P<key>[\u4e00-\u9fff]{1,5})\s*(?P<colon>[：:﹕])")


@lru_cache(maxsize=1)
def _field_names():
    with (DATA_DIR / "field_names.toml").open("rb") as handle:
        return tomllib.load(handle)


def _english_field_names():
    return _field_names()["fields"]


@lru_cache(maxsize=1)
def _known_fields():
    """``{lower-case name: name as written in docs/content-model.md}``."""
    return {name.lower(): name for name in _field_names()["known"]["fields"]}


def _metadata_key_lines(checked):
    """``[(line number, lower-case key)]`` of the metadata block's field lines."""
    found = []
    for number in range(1, checked.source.body_line):
        match = META_LINE.match(checked.lines[number - 1])
        if match:
            found.append((number, match.group("key").lower()))
    return found


def check_metadata_lines(checked):
    """The metadata block must end at its first blank line, not at a misread line."""
    source = checked.source
    line = source.body_line
    if line > len(checked.lines) or (line > 1 and not checked.lines[line - 2].strip()):
        return []  # the block ended at a blank line, as it should
    match = MISREAD_META.match(checked.lines[line - 1])
    chinese = CHINESE_META.match(checked.lines[line - 1])
    if chinese and chinese.group("key") in _english_field_names():
        key = chinese.group("key")
        english = _english_field_names()[key]
        return [_problem(
            checked.path, line, ERROR,
            f"the metadata line {key}{chinese.group('colon')} is not read (field names are written in English)",
            f"write `{english}: …` ({key} is `{english}`; docs/content-model.md lists every field), with a "
            "half-width colon")]
    if not match:
        if line == 1:
            return []
        # A line that is no field (a value wrapped onto a second line, a continuation
        # indented less than 4 spaces): Markdown ends the metadata there. The fields above
        # it are read; a field below it, `Status: draft` too, is printed as text.
        known = _known_fields()
        lost = []
        for text in checked.lines[line:]:
            if not text.strip():
                break
            field = META_LINE.match(text)
            if field and field.group("key").lower() in known:
                lost.append(field.group("key"))
        if not lost and checked.lines[line - 1].lstrip().startswith("<!--"):
            return []  # an editor's note (HTML comment) right after the fields: never shown
        if lost:
            return [_problem(
                checked.path, line, ERROR,
                f"line {line} is not a `Field: value` line, so the metadata block ends there: it and every "
                f"line after it would be printed as text, and the fields below it ({', '.join(lost)}) would "
                "not be read",
                "join it to the line above (a field's value stays on one line), or put a blank line "
                "before it if the article's text starts here")]
        return [_problem(
            checked.path, line, WARNING,
            f"line {line} follows the metadata without a blank line, so it is the text's first line",
            "if it belongs to the field above, join it to that line; if the text starts here, put a blank "
            "line before it")]
    key = match.group("key")
    why = "a full-width colon ：" if match.group("colon") != ":" else "a space before the colon"
    return [_problem(
        checked.path, line, ERROR,
        f"the metadata line {key}{match.group('colon')} is not read ({why}); it and the lines after it "
        "would be printed as text",
        f"write `{key}: …` with a half-width colon right after the field name (switch the input method to "
        "English for the field names)")]


def check_fields(checked):
    """Each field once (but ``Correction``), every field one the site reads, and no field
    below the blank line that ends the metadata block (there it is text, not read)."""
    source, path = checked.source, checked.path
    known = _known_fields()
    repeatable = {name.lower() for name in _field_names()["known"]["repeatable"]}
    problems = []
    lines_of = {}
    for number, key in _metadata_key_lines(checked):
        lines_of.setdefault(key, []).append(number)
    for key, numbers in lines_of.items():
        name = known.get(key, key)
        if len(numbers) > 1 and key not in repeatable:
            where = ", ".join(map(str, numbers))
            problems.append(_problem(
                path, numbers[1], ERROR, f"`{name}:` is given {len(numbers)} times (lines {where}); "
                "the site would read only one of them, or garble them",
                "keep one line and delete the others"))
        if key not in known:
            written = checked.lines[numbers[0] - 1].split(":", 1)[0].strip()
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            fix = (f"did you mean `{known[close[0]]}:`? (docs/content-model.md lists every field)" if close
                   else "check the spelling against docs/content-model.md, or delete the line")
            problems.append(_problem(path, numbers[0], WARNING,
                                     f"unknown field `{written}:`: the site does not read it", fix))
    blank = source.body_line - 1  # the blank line that ended the block
    for number, line in body_lines(checked):
        if not line.strip():
            continue
        match = META_LINE.match(line)
        if not (match and match.group("key").lower() in known):
            break  # the text has begun
        problems.append(_problem(
            path, number, ERROR,
            f"`{match.group('key')}:` is below the blank line {blank} that ends the metadata block, so it "
            "is printed as text and not read",
            f"move it above line {blank} (the metadata block is every line before the first blank line)"))
    return problems


def check_required(checked):
    source, path = checked.source, checked.path
    problems = []
    required = ("title",) if checked.is_page else ("title", "date")
    examples = {"title": "`Title: 标题`", "date": "`Date: 2024-01-02`"}
    for key in required:
        value = source.get(key)
        if value is None:
            problems.append(_problem(
                path, 1, ERROR, f"no {key.capitalize()}",
                f"add a line {examples[key]} to the metadata block at the top (before the first blank line)"))
        elif not value.strip():
            problems.append(_problem(path, source.line_of(key), ERROR, f"{key.capitalize()} is empty",
                                     f"fill it in, e.g. {examples[key]}"))
    return problems


def check_dates(checked):
    source, path = checked.source, checked.path
    problems = []
    parsed = {}
    for key in ("date", "modified"):
        value = source.get(key)
        if not value:
            continue
        try:
            parsed[key] = parse_date(value)
        except DateProblem as error:
            problems.append(_problem(path, source.line_of(key), ERROR,
                                     f"{key.capitalize()}: {error.problem}", error.fix))
    if len(parsed) < 2:
        return problems
    # A date without a time is that whole day: Modified 2024-03-12 is not before
    # Date 2024-03-12 08:00.
    timed = all(re.search(r"\d[T ]\d", source.get(key)) for key in parsed)
    date, modified = (parsed[key] if timed else parsed[key].date() for key in ("date", "modified"))
    if modified < date:
        problems.append(_problem(
            path, source.line_of("modified"), ERROR,
            f"Modified ({source.get('modified')}) is before Date ({source.get('date')})",
            "Modified is when the article was last changed, on or after its Date; check the year and month"))
    return problems


def check_corrections(checked):
    source, path = checked.source, checked.path
    values = source.get_all("correction")
    if not values:
        return []
    # Correction lines may repeat; find the line of each value in order.
    lines = [n for n, text in enumerate(checked.lines[: source.body_line - 1], 1)
             if re.match(r"^[ ]{0,3}correction\s*:", text, re.I)]
    try:
        published = parse_date(source.get("date") or "").date()
    except DateProblem:
        published = None
    problems = []
    for index, value in enumerate(values):
        line = lines[index] if index < len(lines) else source.line_of("correction")
        try:
            correction = parse_correction(value)
        except DateProblem as error:
            problems.append(_problem(path, line, ERROR, error.problem, error.fix))
            continue
        if published and correction.date < published.isoformat():
            problems.append(_problem(
                path, line, ERROR, f"correction dated {correction.date}, before the article ({published})",
                "a correction is dated the day it is made; check the year and month"))
    return problems


def check_status(checked):
    source = checked.source
    value = source.get("status")
    if value is None or value.strip().lower() in STATUSES:
        return []
    return [_problem(checked.path, source.line_of("status"), ERROR, f"unknown Status {value!r}",
                     "write `Status: draft` to keep the article unpublished, or delete the line to publish it")]


def check_district(checked):
    source = checked.source
    value = source.get("district")
    if not value:
        return []
    named = []
    for part in re.split(r"[,，、;；/／\s]+|和", value):
        try:
            district = districts.normalize_district(part) if part else None
        except districts.UnknownDistrict:
            continue
        if district and district not in named:
            named.append(district)
    if len(named) > 1:
        return [_problem(checked.path, source.line_of("district"), ERROR,
                         f"District {value!r} names {len(named)} districts; an article has one",
                         f"write the one the story is about, e.g. `District: {named[0]}`, or `District: "
                         f"{districts.CITYWIDE}` for news across the city; delete the line to have it detected")]
    try:
        districts.normalize_district(value)
    except districts.UnknownDistrict as error:
        fix = (f"did you mean {' or '.join(error.suggestions)}?" if error.suggestions
               else f"use one of Beijing's 16 districts (e.g. 门头沟区), or {districts.CITYWIDE} for citywide news")
        return [_problem(checked.path, source.line_of("district"), ERROR, f"unknown District {value!r}", fix)]
    return []


# Fields that hold a whole number from 1, with what to write instead of a bad value.
INTEGER_FIELDS = (
    ("page", "Page", "write e.g. `Page: 1` (the page name goes in `PageName:`)"),
    ("pageorder", "PageOrder", "write the article's place on its page, e.g. `PageOrder: 1` for the lead"),
    ("issue", "Issue", "write the issue number alone, e.g. `Issue: 8123` (the site adds 第…期)"),
)


def check_integers(checked):
    source = checked.source
    problems = []
    for key, name, fix in INTEGER_FIELDS:
        value = source.get(key)
        if value is None or value == "":
            continue
        number = int(value) if re.fullmatch(r"[0-9]+", value.strip()) else None
        if number is None or number < 1:
            problems.append(_problem(checked.path, source.line_of(key), ERROR,
                                     f"{name} must be a whole number from 1, not {value!r}", fix))
    return problems


def check_page_name(checked):
    """A page name is a word or two as printed (要闻, 基层); markup characters in it are a
    paste accident, and the search page's filter by 版名 cannot match them."""
    source = checked.source
    value = source.get("pagename") or ""
    if not re.search(r"[<>&\"'`\\]", value):
        return []
    plain = re.sub(r"<[^>]*>|[<>&\"'`\\]", "", value).strip() or "要闻"
    return [_problem(checked.path, source.line_of("pagename"), ERROR,
                     f"PageName {value!r} holds markup characters (< > & quotes)",
                     f"write the page's name as printed, e.g. `PageName: {plain}`")]


def check_slug(checked):
    source = checked.source
    value = source.get("slug")
    if value is None:
        if is_draft(source) or not (source.title or "").strip():
            return []
        # Without a Slug the address is the headline's pinyin: correcting the headline
        # after publication would move the article, and every link, citation and
        # catalogue row naming the old address would break. `new` and `import` write one.
        return [_problem(checked.path, source.line_of("title"), WARNING,
                         "no Slug: the article's address follows its headline and would move if the headline "
                         "is corrected after publication",
                         f"add `Slug: {slugify_headline(source.title)}` (its address now) to the metadata block")]
    if SLUG.match(value):
        return []
    suggestion = slugify_headline(value) if value.strip() else slugify_headline(source.title or "")
    return [_problem(checked.path, source.line_of("slug"), ERROR,
                     f"Slug {value!r} may hold only lower-case letters, digits and hyphens",
                     f"write `Slug: {suggestion}` or delete the line (the headline's pinyin is used)")]


def check_topics(checked):
    source = checked.source
    value = source.get("topics")
    if not value:
        return []
    from newsroom.text import topics# imported here: reading the topic configuration costs time

    try:
        topics.check_topic_ids(split_list(value), path=str(checked.path), line=source.line_of("topics"))
    except ContentError as error:
        return [_problem(checked.path, error.line, ERROR, error.problem, error.fix)]
    return []


@lru_cache(maxsize=1)
def _byline_cue():
    """A paragraph opening that announces a byline: 本报讯（记者 …, （通讯员 …, 本报记者 …."""
    with (DATA_DIR / "bylines.toml").open("rb") as handle:
        roles = tomllib.load(handle)["roles"]
    words = sorted({*roles["reporter"], *roles["correspondent"]}, key=len, reverse=True)
    role = "|".join(re.escape(w) for w in words)
    # 本报记者 is a byline when a space (and names) follow, or when it ends a short line;
    # 本报记者近日走访了…… is a sentence of the text, not a byline.
    return re.compile(rf"^[■●◆▲★]?[\s\u3000]*(?:本报[^（(\n]{{0,16}}?讯[\s\u3000]*)?[（(][\s\u3000]*(?:{role})"
                      rf"|^[■●◆▲★]?[\s\u3000]*本报记者(?:[\s\u3000]|[^，。！？；,.!?;\n]{{0,12}}(?=\n|$))")


def _lead_paragraph(checked):
    """``(line, text)`` of the first text paragraph (not a heading, image or HTML)."""
    start, collected = None, []
    for number, line in body_lines(checked, comments=False):
        if not line.strip():
            if collected:
                break
            continue
        if not collected and line.lstrip().startswith(("#", "![", "<")):
            continue
        start = start or number
        collected.append(line.strip())
    return start, "\n".join(collected)


def check_byline(checked):
    """The byline must read, and agree with Authors/Correspondents when both are given."""
    source, path = checked.source, checked.path
    byline = bylines.byline_of(source.text)
    problems = []
    line, lead = _lead_paragraph(checked)
    if not byline and lead and _byline_cue().match(lead):
        problems.append(_problem(
            path, line, ERROR, f"the byline cannot be read: {lead[:24]!r}",
            "write it as 本报讯（记者 白莹）or 本报讯（记者 白莹 通讯员 李明）: "
            "full-width brackets closed, a space after 记者, names in Chinese characters; "
            "or put 本报记者 白莹 on a line of its own"))
    for key, name, found in (("authors", "Authors", byline.reporters),
                             ("correspondents", "Correspondents", byline.correspondents)):
        given = split_list(source.get(key) or (source.get("author") if key == "authors" else None))
        if given and byline and set(given) != set(found):
            printed = "、".join(found) if found else "nobody"
            line_of = source.line_of(key if source.get(key) else "author")
            problems.append(_problem(
                path, line_of, ERROR,
                f"{name}: {'、'.join(given)} does not match the byline {byline.text!r} ({printed})",
                f"correct one of them, or delete the {name} line: the byline is read automatically"))
    unreadable = bool(problems)
    credited = source.get("authors") or source.get("author") or source.get("correspondents")
    if not byline and not credited and not unreadable and lead:
        problems.append(_problem(
            path, line or source.body_line, WARNING, "no byline: the article credits no reporter",
            "open the first paragraph with 本报讯（记者 姓名）, or add `Authors: 姓名` to the metadata"))
    return problems


def check_body(checked):
    source, path = checked.source, checked.path
    text = source.text.strip()
    # A byline alone (本报讯（记者 白莹）, or the unfinished one `newsroom new` writes) is no text.
    byline = bylines.byline_of(text)
    opening = re.match(r"(?:%s)[^）)\n]*[）)]?" % _byline_cue().pattern, text)
    if byline.text and text.startswith(byline.text):
        text = text[len(byline.text):].strip()
    elif opening:
        text = text[opening.end():].strip()
    if not text:
        return [_problem(path, source.body_line, ERROR, "the article has no text",
                         "write the text below the metadata block (after one blank line), opening with the byline")]
    problems = []
    for number, line in body_lines(checked):
        # HTML comments are scanned too: they are still sent to readers' browsers.
        squeezed = None
        for pattern, what, fix in UNSAFE_HTML:
            if what in DECODED_CHECKS:
                squeezed = squeezed if squeezed is not None else re.sub(r"[\x00-\x20]+", "", html.unescape(line))
                found = pattern.search(squeezed)
            else:
                found = pattern.search(line)
            if found:
                problems.append(_problem(path, number, ERROR, f"{what} in the text", fix))
    return problems


def check_leftover_note(checked):
    """The instructions of ``newsroom new`` would be sent to readers (in the HTML) and searched."""
    for number, line in body_lines(checked):
        if NEW_ARTICLE_NOTE in line:
            end = next((n for n, text in body_lines(checked) if n >= number and "-->" in text), number)
            return [_problem(checked.path, number, WARNING,
                             f"the instructions from `newsroom new` are still in the file (lines {number}-{end})",
                             f"delete lines {number}-{end}, from <!-- {NEW_ARTICLE_NOTE} to -->, once the article "
                             "is written")]
    return []


def check_headline(checked):
    source = checked.source
    title = (source.title or "").strip()
    if len(title) > HEADLINE_MAX_CHARS:
        return [_problem(checked.path, source.line_of("title"), WARNING,
                         f"the headline is {len(title)} characters long (more than {HEADLINE_MAX_CHARS})",
                         "shorten it; move detail into `Kicker:` (引题) or `Subtitle:` (副题)")]
    return []


def check_keywords(checked):
    """Editors' keywords that every article could carry (工会, 职工) help no reader."""
    from newsroom.text import keywords# imported here: it loads the segmenter's word lists

    source = checked.source
    problems = []
    generic = keywords.stopwords()
    for key, name in (("tags", "Tags"), ("keywords", "Keywords")):
        given = split_list(source.get(key))
        if given and all(word in generic for word in given):
            problems.append(_problem(
                checked.path, source.line_of(key), WARNING,
                f"{name}: {'、'.join(given)} {'is a generic word' if len(given) == 1 else 'are all generic words'}"
                " that nearly every article has",
                "name what this story is about: a programme, a problem, a group (e.g. 欠薪, 金秋助学, 快递员); "
                "or delete the line and let the site pick keywords"))
    return problems


# The site's own top-level folders (pelicanconf.py's *_URL settings and the plugins'
# outputs; a test keeps this in step with a built site): a page there would collide with
# a section and fail the build. Years (/2024/) are the date indexes.
SITE_SECTIONS = frozenset({
    "archives", "catalogue", "corrections", "districts", "drafts", "epaper", "feeds", "page",
    "pagefind", "reporters", "search", "tags", "theme", "topics",
})


def check_page_slug(checked):
    """A page's address (``/<slug>/``) must not be one of the site's sections."""
    source = checked.source
    slug = _slug_of(source)
    if slug not in SITE_SECTIONS and not re.fullmatch(r"[0-9]{4}", slug):
        return []
    key = "slug" if source.get("slug") else "title"
    return [_problem(checked.path, source.line_of(key), ERROR,
                     f"the page's address /{slug}/ is taken by the site's own {slug} section",
                     f"give the page another address, e.g. `Slug: {slug}-help`")]


ARTICLE_CHECKS = (check_fields, check_required, check_dates, check_corrections, check_status, check_district,
                  check_integers, check_page_name, check_slug, check_topics, check_byline, check_body,
                  check_leftover_note, check_headline, check_keywords)
PAGE_CHECKS = (check_fields, check_required, check_page_slug, check_body)


def check_source(checked):
    """Every per-file check on one readable file."""
    misread = check_metadata_lines(checked)
    if any(problem.is_error for problem in misread):
        return misread  # the other checks would read metadata as text and mislead
    problems = list(misread)
    for check in PAGE_CHECKS if checked.is_page else ARTICLE_CHECKS:
        problems.extend(check(checked))
    return problems


# --- the whole tree ---------------------------------------------------------------


def article_url(checked):
    """``YYYY/MM/DD/<slug>/`` as the site will write it, or None (a draft, a page, no date)."""
    source = checked.source
    if checked.is_page or source is None or is_draft(source):
        return None
    try:
        when = parse_date(source.get("date") or "")
    except DateProblem:
        return None
    if not source.get("slug") and not (source.title or "").strip():
        return None  # no headline: `no Title` says so; its fallback slug would clash with any other
    slug = _slug_of(source)
    return f"{when:%Y/%m/%d}/{slug}/"


def check_duplicates(checked_files):
    """Two published articles with one URL: an error on each, naming the other."""
    by_url = {}
    for checked in checked_files:
        url = article_url(checked)
        if url:
            by_url.setdefault(url, []).append(checked)
    problems = []
    for url, clashing in by_url.items():
        if len(clashing) < 2:
            continue
        for checked in clashing:
            others = [str(other.path) for other in clashing if other is not checked]
            if len(others) > 3:
                others = others[:3] + [f"{len(others) - 3} more"]
            others = ", ".join(others)
            key = "slug" if checked.source.get("slug") else "title"
            problems.append(_problem(
                checked.path, checked.source.line_of(key), ERROR,
                f"the URL /{url} is also used by {others}",
                "give one of them a different `Slug:` (or headline), e.g. add -2 to the slug"))
    return problems


def content_files(paths):
    """``[(path, is_page)]`` for the Markdown files at or under ``paths``, each once, in order.

    Like Pelican (``IGNORE_FILES``), editors' lock files ``.#name.md`` are skipped.
    """
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                if (file.is_file() and file.suffix.lower() in MARKDOWN_SUFFIXES
                        and not fnmatch.fnmatch(file.name, ".#*")):
                    # The folder named counts too: `check content/pages` checks pages as pages.
                    found.append((file, "pages" in (path.resolve().name, *file.relative_to(path).parts)))
        else:
            found.append((path, "pages" in path.parts))
    seen = set()
    unique = []
    for path, is_page in found:
        if path.resolve() not in seen:  # the same file named twice is not a duplicate URL
            seen.add(path.resolve())
            unique.append((path, is_page))
    return unique


def check_paths(paths):
    """``(problems, number of files)`` for the files at or under ``paths``, sorted by file and line."""
    problems = []
    checked_files = []
    files = content_files(paths)
    for path, is_page in files:
        checked, read_problems = read_checked(path, is_page)
        problems.extend(read_problems)
        if checked.source is None:
            continue
        checked_files.append(checked)
        problems.extend(check_source(checked))
    problems.extend(check_duplicates(checked_files))
    problems.extend(check_reporter_pins(paths))
    log.debug("checked %d files: %d problems", len(checked_files), len(problems))
    return sorted(set(problems)), len(files)


def check_reporter_pins(paths):
    """The ``reporters.txt`` of every folder checked (it pins reporters' page addresses,
    :mod:`newsroom.paper.reporter_pages`): a line the build could not use is an error here too."""
    from newsroom.paper import reporter_pages

    problems = []
    for path in paths:
        registry = Path(path) / reporter_pages.REGISTRY_NAME
        if Path(path).is_dir() and registry.is_file():
            try:
                reporter_pages.read_pinned(registry)
            except ContentError as error:
                problems.append(_problem(error.path, error.line, ERROR, error.problem, error.fix))
    return problems
