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
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from newsroom import messages
from newsroom.text import bylines, districts
from newsroom.paper.content import MARKDOWN_SUFFIXES, META_LINE, ContentError, decode_utf8, parse_text, split_list
from newsroom.paper import content_tree, fields
from newsroom.paper.corrections import parse_correction
from newsroom.paper.dates import DateProblem, parse_date
from newsroom.text.slugs import slugify_headline
from newsroom.desk import tree_checks
# Problem, ERROR and WARNING are imported from here by the commands and the tests too.
from newsroom.desk.problems import ERROR, WARNING, Problem, as_draft, from_error, make, say  # noqa: F401

log = logging.getLogger(__name__)

# Headlines in the paper run 12-25 characters; past 30 a headline wraps on phones
# and is cut in search results.
HEADLINE_MAX_CHARS = 30
STATUSES = ("published", "draft", "hidden")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# The first words of the instructions `newsroom new` leaves in a new file (shared with it).
NEW_ARTICLE_NOTE = "编辑说明（发布前删除）"
FENCE = re.compile(r"^\s{0,3}(```|~~~)")
CODE_SPAN = re.compile(r"(`+).+?\1")


@dataclass
class Checked:
    """A file that was read: its source (None when unreadable) and raw lines."""

    path: Path
    source: object = None
    lines: tuple = ()
    is_page: bool = False


_problem = make  # (path, line, severity, message, fix="", code=""): texts already in the editor's language


def is_draft(source):
    """True for ``Status: draft``: the site never writes the article."""
    return (source.get("status") or "").strip().lower() == "draft"


def _slug_of(source):
    """The address's last part, as the site makes it: ``Slug:``, else the headline's pinyin."""
    return source.get("slug") or slugify_headline(source.title or "")


slug_of = _slug_of  # public: the preview names a draft's page by it


# --- reading ----------------------------------------------------------------


def read_checked(path, is_page=False):
    """Read one file; ``(Checked, problems)``. A file that is not UTF-8 is never half-read."""
    path = Path(path)
    special = content_tree.special_problem(path)
    if special:  # a named pipe called x.md: reading it would wait for ever
        return Checked(path, is_page=is_page), [say(path, 1, ERROR, special[0], **special[1])]
    try:
        text = decode_utf8(path.read_bytes(), path)
    except ContentError as error:
        return Checked(path, is_page=is_page), [from_error(error)]
    except OSError as error:
        problem = say(path, 1, ERROR, "check.unreadable", reason=messages.os_error(error))
        return Checked(path, is_page=is_page), [problem]
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


def _field_names():
    return fields.field_names()


def _english_field_names():
    return _field_names()["fields"]


def _known_fields():
    """``{lower-case name: name as written in docs/content-model.md}``."""
    return fields.known_fields()


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
        return [say(checked.path, line, ERROR, "check.chinese_field_name", key=key, colon=chinese.group("colon"),
                    english=_english_field_names()[key])]
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
            return [say(checked.path, line, ERROR, "check.metadata_ends_early", line=line, fields=", ".join(lost))]
        return [say(checked.path, line, WARNING, "check.text_after_metadata", line=line)]
    message_id = "check.fullwidth_colon" if match.group("colon") != ":" else "check.space_before_colon"
    return [say(checked.path, line, ERROR, message_id, key=match.group("key"), colon=match.group("colon"))]


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
            problems.append(say(path, numbers[1], ERROR, "check.repeated_field", field=messages.field(name),
                                count=len(numbers), lines=", ".join(map(str, numbers))))
        if key in fields.override_fields():
            written = checked.lines[numbers[0] - 1].split(":", 1)[0].strip()
            problems.append(say(path, numbers[0], ERROR, "security.override_field", name=written))
        elif key not in known:
            written = checked.lines[numbers[0] - 1].split(":", 1)[0].strip()
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            if close:
                problems.append(say(path, numbers[0], WARNING, "check.unknown_field", written=written,
                                    suggestion=known[close[0]]))
            else:
                problems.append(say(path, numbers[0], WARNING, "check.unknown_field_unlike_any", written=written))
    blank = source.body_line - 1  # the blank line that ended the block
    for number, line in body_lines(checked):
        if not line.strip():
            continue
        match = META_LINE.match(line)
        if not (match and match.group("key").lower() in known):
            break  # the text has begun
        problems.append(say(path, number, ERROR, "check.field_below_blank_line", key=match.group("key"), blank=blank))
    return problems


def check_required(checked):
    source, path = checked.source, checked.path
    problems = []
    required = ("title",) if checked.is_page else ("title", "date")
    for key in required:
        value = source.get(key)
        if value is None:
            problems.append(say(path, 1, ERROR, f"check.missing_{key}"))
        elif not value.strip():
            problems.append(say(path, source.line_of(key), ERROR, f"check.empty_{key}"))
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
            problems.append(say(path, source.line_of(key), ERROR, "check.bad_date", field=messages.field(key),
                                problem=error.problem, fix=error.fix))
    if len(parsed) < 2:
        return problems
    # A date without a time is that whole day: Modified 2024-03-12 is not before
    # Date 2024-03-12 08:00.
    timed = all(re.search(r"\d[T ]\d", source.get(key)) for key in parsed)
    date, modified = (parsed[key] if timed else parsed[key].date() for key in ("date", "modified"))
    if modified < date:
        problems.append(say(path, source.line_of("modified"), ERROR, "check.modified_before_date",
                            modified=source.get("modified"), date=source.get("date")))
    return problems


def check_corrections(checked):
    source, path = checked.source, checked.path
    values = source.get_all("correction")
    if not values:
        return []
    # Correction lines may repeat; find the line of each value in order.
    lines = [n for n, text in enumerate(checked.lines[: source.body_line - 1], 1)
             if re.match(r"^[ ]{0,3}correction\s*:", text, re.I)]
    # A correction is made once the article is out: on the day of its release (its Date,
    # which may be a time later that day) or after. One dated earlier is either a slip of
    # the year or month, or a correction of an article not yet released, whose text can
    # simply be corrected: the message says both.
    try:
        released = parse_date(source.get("date") or "").date()
    except DateProblem:
        released = None
    problems = []
    for index, value in enumerate(values):
        line = lines[index] if index < len(lines) else source.line_of("correction")
        try:
            correction = parse_correction(value)
        except DateProblem as error:
            problems.append(_problem(path, line, ERROR, error.problem, error.fix, error.code))
            continue
        if released and correction.date < released.isoformat():
            problems.append(say(path, line, ERROR, "check.correction_before_release", correction=correction.date,
                                released=source.get("date").strip(), released_day=released.isoformat()))
    return problems


def check_status(checked):
    source = checked.source
    value = source.get("status")
    if value is None or value.strip().lower() in STATUSES:
        return []
    return [say(checked.path, source.line_of("status"), ERROR, "check.unknown_status", value=repr(value))]


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
    line = source.line_of("district")
    if len(named) > 1:
        return [say(checked.path, line, ERROR, "check.several_districts", value=repr(value), count=len(named),
                    first=named[0], citywide=districts.CITYWIDE)]
    try:
        districts.normalize_district(value)
    except districts.UnknownDistrict as error:
        if error.suggestions:
            return [say(checked.path, line, ERROR, "check.unknown_district", value=repr(value),
                        suggestions=messages.text("common.or").join(error.suggestions))]
        return [say(checked.path, line, ERROR, "check.unknown_district_unlike_any", value=repr(value),
                    citywide=districts.CITYWIDE)]
    return []


# Fields that hold a whole number from 1 (each message says what to write instead).
INTEGER_FIELDS = ("page", "pageorder", "issue")


def check_integers(checked):
    source = checked.source
    problems = []
    for key in INTEGER_FIELDS:
        value = source.get(key)
        if value is None or value == "":
            continue
        number = int(value) if re.fullmatch(r"[0-9]+", value.strip()) else None
        if number is None or number < 1:
            problems.append(say(checked.path, source.line_of(key), ERROR, f"check.{key}_not_number",
                                value=repr(value)))
    return problems


def check_page_name(checked):
    """A page name is a word or two as printed (要闻, 基层); markup characters in it are a
    paste accident, and the search page's filter by 版名 cannot match them."""
    source = checked.source
    value = source.get("pagename") or ""
    if not re.search(r"[<>&\"'`\\]", value):
        return []
    plain = re.sub(r"<[^>]*>|[<>&\"'`\\]", "", value).strip() or "要闻"
    return [say(checked.path, source.line_of("pagename"), ERROR, "check.page_name_markup", value=repr(value),
                plain=plain)]


def check_slug(checked):
    source = checked.source
    value = source.get("slug")
    if value is None:
        if is_draft(source) or not (source.title or "").strip():
            return []
        # Without a Slug the address is the headline's pinyin: correcting the headline
        # after publication would move the article, and every link, citation and
        # catalogue row naming the old address would break. `new` and `import` write one.
        return [say(checked.path, source.line_of("title"), WARNING, "check.no_slug",
                    slug=slugify_headline(source.title))]
    if SLUG.match(value):
        return []
    suggestion = slugify_headline(value) if value.strip() else slugify_headline(source.title or "")
    return [say(checked.path, source.line_of("slug"), ERROR, "check.bad_slug", value=repr(value),
                suggestion=suggestion)]


def check_topics(checked):
    source = checked.source
    value = source.get("topics")
    if not value:
        return []
    from newsroom.text import topics# imported here: reading the topic configuration costs time

    try:
        topics.check_topic_ids(split_list(value), path=str(checked.path), line=source.line_of("topics"))
    except ContentError as error:
        return [from_error(error)]
    return []


@lru_cache(maxsize=1)
def _byline_cue():
    """A paragraph opening that announces a byline: 本报讯（记者 …, （通讯员 …, 本报记者 …."""
    reporter, correspondent = bylines.person_roles()  # the role table, data/credit_roles.toml
    words = sorted({*reporter, *correspondent}, key=len, reverse=True)
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
        problems.append(say(path, line, ERROR, "check.byline_unreadable", start=repr(lead[:24])))
    for key, name, found in (("authors", "Authors", byline.reporters),
                             ("correspondents", "Correspondents", byline.correspondents)):
        given = split_list(source.get(key) or (source.get("author") if key == "authors" else None))
        if given and byline and set(given) != set(found):
            printed = "、".join(found) if found else messages.text("check.nobody")
            line_of = source.line_of(key if source.get(key) else "author")
            problems.append(say(path, line_of, ERROR, "check.byline_disagrees", field=messages.field(name),
                                given="、".join(given), byline=repr(byline.text), printed=printed, name=name))
    unreadable = bool(problems)
    credited = source.get("authors") or source.get("author") or source.get("correspondents")
    if not byline and not credited and not unreadable and lead:
        problems.append(say(path, line or source.body_line, WARNING, "check.no_byline"))
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
        return [say(path, source.body_line, ERROR, "check.no_text")]
    return []


def check_limits(checked):
    """What the build could not take though the content model allows it: control
    characters, dates outside the paper's life, tags that make no address
    (:mod:`newsroom.paper.limits`; the reader refuses the same)."""
    from newsroom.paper import limits

    return [_problem(checked.path, line, ERROR, *messages.problem(message_id, **params))
            for line, message_id, params in limits.problems(checked.source, "\n".join(checked.lines))]


def check_html(checked):
    """What the sanitizer would remove from the body's HTML or the ``Summary:``: the build
    renders and sanitizes the same way (:mod:`newsroom.desk.html_check`)."""
    from newsroom.desk.html_check import html_reports

    source = checked.source
    reports = html_reports("\n".join(checked.lines), source.body_line, source.line_of("summary"))
    return [_problem(checked.path, report.line, ERROR, *report.problem(), code=report.message_id) for report in reports]


def _content_root(path):
    """The content folder an article sits in: the nearest folder named ``content`` above
    it (as the site is laid out), else the article's own folder."""
    path = Path(path).resolve()
    return next((folder for folder in path.parents if folder.name == "content"), path.parent)


def check_links(checked):
    """Pelican's internal links ({static}, {attach}, {filename}) name something published
    (:mod:`newsroom.desk.link_check`)."""
    if "{" not in checked.source.text and "|" not in checked.source.text:
        return []
    from newsroom.desk import link_check

    text = "\n".join(checked.lines)
    problems = []
    for link, message_id, params in link_check.problems(text, checked.path, _content_root(checked.path)):
        line = next((n for n, line in enumerate(checked.lines, 1) if link in line), checked.source.body_line)
        problems.append(say(checked.path, line, ERROR, message_id, **params))
    return problems


def check_leftover_note(checked):
    """The instructions of ``newsroom new`` would be sent to readers (in the HTML) and searched."""
    for number, line in body_lines(checked):
        if NEW_ARTICLE_NOTE in line:
            end = next((n for n, text in body_lines(checked) if n >= number and "-->" in text), number)
            return [say(checked.path, number, WARNING, "check.leftover_note", first=number, last=end,
                        note=NEW_ARTICLE_NOTE)]
    return []


def check_headline(checked):
    source = checked.source
    title = (source.title or "").strip()
    if len(title) > HEADLINE_MAX_CHARS:
        return [say(checked.path, source.line_of("title"), WARNING, "check.long_headline", length=len(title),
                    limit=HEADLINE_MAX_CHARS)]
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
            problems.append(say(checked.path, source.line_of(key), WARNING,
                                "check.generic_keyword" if len(given) == 1 else "check.generic_keywords",
                                field=messages.field(name), given="、".join(given)))
    return problems


# The site's own top-level folders (pelicanconf.py's *_URL settings and the plugins'
# outputs; a test keeps this in step with a built site): a page there would collide with
# a section and fail the build. Years (/2024/) are the date indexes.
SITE_SECTIONS = frozenset({
    "archives", "catalogue", "corrections", "districts", "drafts", "epaper", "feeds", "page",
    "pagefind", "photos", "reporters", "search", "tags", "theme", "topics",
})


def check_page_slug(checked):
    """A page's address (``/<slug>/``) is one plain name (a Slug like ``2024/05/14/x`` or
    ``.`` would take an article's or the home page's address and stop the build), and not
    one of the site's sections."""
    source = checked.source
    value = source.get("slug")
    if value is not None and not SLUG.match(value):
        suggestion = slugify_headline(value) if value.strip() else slugify_headline(source.title or "")
        return [say(checked.path, source.line_of("slug"), ERROR, "check.bad_slug", value=repr(value),
                    suggestion=suggestion or "about")]
    slug = _slug_of(source)
    if slug not in SITE_SECTIONS and not re.fullmatch(r"[0-9]{4}", slug):
        return []
    key = "slug" if source.get("slug") else "title"
    return [say(checked.path, source.line_of(key), ERROR, "check.page_address_taken", slug=slug)]


def check_photos(checked):
    """The article's photos: files, alt text, captions, the lead photo (newsroom.desk.photo_checks)."""
    from newsroom.desk import photo_checks  # imported here: it loads Pillow

    return photo_checks.check_photos(checked)


ARTICLE_CHECKS = (check_fields, check_required, check_dates, check_corrections, check_status, check_district,
                  check_integers, check_page_name, check_slug, check_topics, check_byline, check_body, check_links,
                  check_html, check_limits, check_leftover_note, check_headline, check_keywords, check_photos)
PAGE_CHECKS = (check_fields, check_required, check_page_slug, check_body, check_html, check_limits, check_photos,
               check_links)


def check_source(checked):
    """Every per-file check on one readable file. A draft's errors are warnings: it is
    never published, so one editor's unfinished article never stops the paper."""
    problems = _check_source(checked)
    if not checked.is_page and is_draft(checked.source):
        problems = [as_draft(problem) for problem in problems]
    return problems


def _check_source(checked):
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


def _whole_number(value):
    value = (value or "").strip()
    return int(value) if re.fullmatch(r"[0-9]+", value) and int(value) >= 1 else None


def facts_of(checked):
    """The :class:`~newsroom.desk.tree_checks.Facts` of a file read by :func:`read_checked`."""
    source = checked.source
    return tree_checks.Facts(
        path=str(checked.path), is_page=checked.is_page, draft=is_draft(source),
        title=(source.title or "").strip(), date=(source.get("date") or "").strip(), url=article_url(checked),
        page=_whole_number(source.get("page")), pageorder=_whole_number(source.get("pageorder")),
        issue=(source.get("issue") or "").strip(), pagename=(source.get("pagename") or "").strip(),
        lines={key: source.line_of(key) for key in tree_checks.FACT_LINES if source.get(key) is not None},
    )


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
    return check_files(paths)[:2]


def check_files(paths, now=None):
    """``(problems, number of files, facts)``: :func:`check_paths` with the
    :class:`~newsroom.desk.tree_checks.Facts` of each readable file (for the issue summary)."""
    problems = []
    facts = []
    files = content_files(paths)
    for path, is_page in files:
        checked, read_problems = read_checked(path, is_page)
        problems.extend(read_problems)
        if checked.source is None:
            continue
        facts.append(facts_of(checked))
        problems.extend(check_source(checked))
    whole = any(Path(path).is_dir() for path in paths)  # single files: their issues are not all there
    problems.extend(tree_checks.check_tree(facts, now, whole))
    problems.extend(check_reporter_pins(paths))
    problems.extend(check_tree_files(paths))
    problems.extend(check_page_sidecars(paths))
    log.debug("checked %d files: %d problems", len(facts), len(problems))
    return sorted(set(problems)), len(files), facts


def check_tree_files(paths):
    """Symbolic links, and static files the site would not publish (:mod:`newsroom.desk.files_check`)."""
    from newsroom.desk.files_check import problems_as_text, tree_problems

    return [_problem(path, None, ERROR, problem, fix) for path, problem, fix in problems_as_text(tree_problems(paths))]


def check_page_sidecars(paths):
    """The page sidecars (``epaper/<date>/NN.page.json``) of every folder checked: one the
    build cannot use is a warning here as there (its page falls back to the list view)."""
    from newsroom.archive import pagefile

    problems = []
    for path in paths:
        for sidecar in pagefile.find(path) if Path(path).is_dir() else ():
            try:
                pagefile.load(sidecar)
            except ContentError as error:
                problems.append(from_error(error, WARNING))
    return problems


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
                problems.append(from_error(error))
    return problems
