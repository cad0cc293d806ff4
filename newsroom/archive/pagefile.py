"""The page sidecar ``epaper/YYYY-MM-DD/NN.page.json``: the one model, its writer and its reader.

The contract between the page import and the page on the site (``docs/page-images.md``
owns the specification). Both sides use this module and nothing else for it:

- the import (:mod:`newsroom.desk.page_import`) makes a :class:`SidecarPage` from its
  layout with :func:`from_layout` and writes it with :func:`dumps`, in the one canonical
  form (UTF-8, sorted keys, two-space indent, a box or any list of numbers on one line,
  a final newline: the same page always gives the same bytes);
- the site (``plugins/pageimages``, :mod:`.alto`, :mod:`.iiif`) reads it with :func:`load`,
  which returns it typed (boxes as :class:`Box`, articles, lines) or raises
  :class:`~newsroom.errors.ContentError` naming the file, the line where it can tell, and
  the fix, in the editor's language (``newsroom/data/messages/pages_site.toml``).

``load(path)`` of what ``dumps`` wrote gives the page back, field for field. Fields the
reader does not know are kept in ``extra`` (and written back by :func:`dumps`), never
refused: adding an optional field needs no new format name.

Only what makes the file unusable is an error here (bad JSON, a wrong format, a missing
field, a box that is not four numbers). What the site can live with is left to the
caller: a region reaching past the image is clipped by :func:`clip` and reported, an
article file that does not exist is reported by the plugin.
"""

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path, PurePosixPath

from newsroom import messages
from newsroom.errors import ContentError

FORMAT = "newsroom-page/1"
SUFFIX = ".page.json"
FOLDER = "epaper"  # under the content root: epaper/YYYY-MM-DD/NN.page.json
SOURCE_KINDS = ("pdf", "scan")
# The fields this module reads; any other is kept in SidecarPage.extra.
KNOWN_FIELDS = frozenset({"format", "date", "page", "page_name", "original", "image", "width", "height", "dpi",
                          "source_kind", "articles", "lines", "banner", "issue", "review", "notes"})
NAME = re.compile(r"^(?P<page>[0-9]{2,3})\.page\.json$")
DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
MAX_COORDINATE = 10 ** 6  # pixels; a page scanned at 1,200 dpi is about 20,000 across
# What XML 1.0 cannot carry (ALTO; IIIF's labels go to XML tools too), tab and line breaks aside.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Box:
    """A rectangle in image pixels: left, top, width, height."""

    x: int
    y: int
    w: int
    h: int

    def as_list(self):
        return [self.x, self.y, self.w, self.h]

    @property
    def xywh(self):
        """``x,y,w,h``: the IIIF region and media-fragment form."""
        return f"{self.x},{self.y},{self.w},{self.h}"

    @property
    def right(self):
        return self.x + self.w

    @property
    def bottom(self):
        return self.y + self.h


@dataclass(frozen=True)
class Review:
    """A doubt the import left for the editor: what, and where on the page."""

    problem: str
    box: Box | None = None
    code: str = ""  # the message id (``pages.review_…``), for tools that sort doubts by kind


@dataclass(frozen=True)
class ArticleRegions:
    """One article on the page: its file (relative to the content root) and its blocks."""

    file: str
    regions: tuple
    review: tuple = ()
    title: str = ""  # the headline as found on the page

    @property
    def bounds(self):
        """The smallest box holding every region (None without regions)."""
        return union(self.regions)


@dataclass(frozen=True)
class Line:
    """One text line of the page in reading order; ``article`` indexes ``SidecarPage.articles``."""

    text: str
    box: Box
    confidence: float = 1.0
    article: int | None = None
    chars: tuple | None = None  # one Box per character of ``text``, when the import knows them


@dataclass(frozen=True)
class SidecarPage:
    """A page's sidecar, checked. ``path`` is the sidecar file; names are relative to its folder."""

    path: Path
    date: Date
    page: int
    page_name: str
    original: str
    image: str
    width: int
    height: int
    dpi: float | None
    source_kind: str
    articles: tuple
    lines: tuple = ()
    banner: str = ""  # the banner headline (通栏标题), empty when the page has none
    issue: str = ""  # the issue number, when the import was given one
    review: tuple = ()  # doubts about the page as a whole (text under no headline …)
    notes: tuple = ()  # what the reader did (deskew angle, dpi estimate), for people
    extra: dict = field(default_factory=dict, compare=False)  # fields this reader does not know

    @property
    def folder(self):
        return self.path.parent

    @property
    def image_path(self):
        return self.folder / self.image

    @property
    def original_path(self):
        return self.folder / self.original if self.original else None


def union(boxes):
    boxes = list(boxes)
    if not boxes:
        return None
    left = min(b.x for b in boxes)
    top = min(b.y for b in boxes)
    return Box(left, top, max(b.right for b in boxes) - left, max(b.bottom for b in boxes) - top)


def clip(box, width, height):
    """``box`` cut to the image (None when nothing of it is on the image)."""
    left, top = max(0, box.x), max(0, box.y)
    right, bottom = min(width, box.right), min(height, box.bottom)
    if right <= left or bottom <= top:
        return None
    return Box(left, top, right - left, bottom - top)


def find(content_root):
    """Every sidecar under ``content_root/epaper/``, in date and page order."""
    folder = Path(content_root) / FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"*/*{SUFFIX}") if p.is_file() and DAY.match(p.parent.name))


# --- reading ---------------------------------------------------------------------------------
class _Reader:
    """Checks one decoded sidecar, raising ContentError at the first fault."""

    def __init__(self, path, text):
        self.path, self.text = Path(path), text

    def fail(self, message_id, key=None, **params):
        problem, fix = messages.problem(f"pages_site.{message_id}", **params)
        raise ContentError(self.path, self.line_of(key), problem, fix)

    def bad(self, name, detail, key=None):
        self.fail("bad_field", key or name.split(".")[0].split("[")[0], field=name, detail=detail)

    def line_of(self, key):
        """The line where ``"key":`` first appears (None if it does not)."""
        if not key:
            return None
        found = re.search(rf'"{re.escape(key)}"\s*:', self.text)
        return self.text.count("\n", 0, found.start()) + 1 if found else None

    def plain_text(self, value, name, key):
        """``value`` when it holds no control character (the ALTO and IIIF files, both XML or
        JSON read by XML tools, cannot carry one; an OCR engine or a pasted PDF text can)."""
        found = CONTROL.search(value)
        if found:
            self.bad(name, messages.text("pages_site.detail_control_character",
                                         code=f"U+{ord(found.group()):04X}", at=found.start() + 1), key)
        return value

    def need(self, data, key, kind, name=None):
        name = name or key
        if key not in data:
            self.bad(name, messages.text("pages_site.detail_missing"), key)
        value = data[key]
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            self.bad(name, messages.text("pages_site.detail_not_integer", value=json.dumps(value)), key)
        if kind is str and not isinstance(value, str):
            self.bad(name, messages.text("pages_site.detail_not_text", value=json.dumps(value, ensure_ascii=False)),
                     key)
        return value

    def box(self, value, name):
        # Finite and within any page's reach: JSON as Python reads it allows Infinity and NaN.
        ok = (isinstance(value, list) and len(value) == 4
              and all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                      and abs(v) < MAX_COORDINATE for v in value))
        if not ok or value[2] < 0 or value[3] < 0:
            self.bad(name, messages.text("pages_site.detail_not_box", value=json.dumps(value)), name.split("[")[0])
        x, y, w, h = (round(v) for v in value)
        return Box(x, y, w, h)

    def file_name(self, value, name):
        """A file beside the sidecar: a plain name, no folder, no way out of it."""
        if not isinstance(value, str) or not value or "/" in value or "\\" in value or value.startswith("."):
            self.bad(name, messages.text("pages_site.detail_not_file_name",
                                         value=json.dumps(value, ensure_ascii=False)), name)
        return value

    def read(self, data):
        if not isinstance(data, dict):
            self.fail("bad_json", detail=messages.text("pages_site.detail_not_object"))
        found = data.get("format")
        if found != FORMAT:
            self.fail("bad_format", "format", found=json.dumps(found, ensure_ascii=False))
        day = self.need(data, "date", str)
        try:
            when = Date.fromisoformat(day)
        except ValueError:
            self.bad("date", messages.text("pages_site.detail_not_date", value=day))
        page = self.need(data, "page", int)
        if page < 1:
            self.bad("page", messages.text("pages_site.detail_not_positive", value=page))
        width, height = self.need(data, "width", int), self.need(data, "height", int)
        for name, value in (("width", width), ("height", height)):
            if value < 1:
                self.bad(name, messages.text("pages_site.detail_not_positive", value=value))
        dpi = data.get("dpi")
        if dpi is not None and (isinstance(dpi, bool) or not isinstance(dpi, (int, float)) or dpi <= 0):
            self.bad("dpi", messages.text("pages_site.detail_not_positive", value=json.dumps(dpi)))
        kind = data.get("source_kind", "")
        if kind not in SOURCE_KINDS:
            self.bad("source_kind", messages.text("pages_site.detail_one_of", value=json.dumps(kind, ensure_ascii=False),
                                                  allowed="、".join(SOURCE_KINDS)))
        page_name = data.get("page_name") or ""
        if not isinstance(page_name, str):
            self.bad("page_name", messages.text("pages_site.detail_not_text", value=json.dumps(page_name)))
        self.plain_text(page_name, "page_name", "page_name")
        image = self.file_name(self.need(data, "image", str), "image")
        original = data.get("original") or ""
        if original:
            original = self.file_name(original, "original")
        articles = self.need(data, "articles", list)
        if not isinstance(articles, list):
            self.bad("articles", messages.text("pages_site.detail_not_list"))
        read_articles = tuple(self.article(entry, i) for i, entry in enumerate(articles))
        lines = data.get("lines") or []
        if not isinstance(lines, list):
            self.bad("lines", messages.text("pages_site.detail_not_list"))
        read_lines = tuple(self.line(entry, i, len(read_articles)) for i, entry in enumerate(lines))
        banner = self.optional_text(data, "banner")
        issue = data.get("issue", "")
        if isinstance(issue, int) and not isinstance(issue, bool):
            issue = str(issue)
        issue = self.optional_text({"issue": issue}, "issue")
        notes = data.get("notes") or []
        if not isinstance(notes, list) or not all(isinstance(note, str) for note in notes):
            self.bad("notes", messages.text("pages_site.detail_not_list"))
        return SidecarPage(path=self.path, date=when, page=page, page_name=page_name.strip(), original=original,
                           image=image, width=width, height=height, dpi=dpi, source_kind=kind,
                           articles=read_articles, lines=read_lines, banner=banner, issue=issue,
                           review=self.reviews(data.get("review"), "review"), notes=tuple(notes),
                           extra={k: v for k, v in data.items() if k not in KNOWN_FIELDS})

    def optional_text(self, data, key):
        value = data.get(key) or ""
        if not isinstance(value, str):
            self.bad(key, messages.text("pages_site.detail_not_text", value=json.dumps(value, ensure_ascii=False)), key)
        return value

    def reviews(self, entries, name):
        if entries is None:
            return ()
        if not isinstance(entries, list):
            self.bad(name, messages.text("pages_site.detail_not_list"), "review")
        found = []
        for i, doubt in enumerate(entries):
            if not isinstance(doubt, dict) or not isinstance(doubt.get("problem"), str):
                self.bad(f"{name}[{i}]", messages.text("pages_site.detail_not_object"), "review")
            self.plain_text(doubt["problem"], f"{name}[{i}].problem", "problem")
            box = doubt.get("box")
            code = doubt.get("code") or ""
            found.append(Review(doubt["problem"], self.box(box, f"{name}[{i}].box") if box else None,
                                code if isinstance(code, str) else ""))
        return tuple(found)

    def article(self, entry, index):
        name = f"articles[{index}]"
        if not isinstance(entry, dict):
            self.bad(name, messages.text("pages_site.detail_not_object"), "articles")
        file = self.need(entry, "file", str, f"{name}.file")
        pure = PurePosixPath(file)
        if not file or pure.is_absolute() or ".." in pure.parts or "\\" in file:
            self.bad(f"{name}.file", messages.text("pages_site.detail_not_content_path",
                                                   value=json.dumps(file, ensure_ascii=False)), "file")
        regions = entry.get("regions") or []
        if not isinstance(regions, list):
            self.bad(f"{name}.regions", messages.text("pages_site.detail_not_list"), "regions")
        boxes = tuple(self.box(r, f"{name}.regions[{i}]") for i, r in enumerate(regions))
        title = entry.get("title") or ""
        return ArticleRegions(file=file, regions=boxes, review=self.reviews(entry.get("review"), f"{name}.review"),
                              title=title if isinstance(title, str) else "")

    def line(self, entry, index, article_count):
        name = f"lines[{index}]"
        if not isinstance(entry, dict):
            self.bad(name, messages.text("pages_site.detail_not_object"), "lines")
        text = self.plain_text(self.need(entry, "text", str, f"{name}.text"), f"{name}.text", "text")
        box = self.box(entry.get("box"), f"{name}.box")
        confidence = entry.get("confidence", 1.0)
        if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0 <= confidence <= 1:
            self.bad(f"{name}.confidence", messages.text("pages_site.detail_not_confidence",
                                                         value=json.dumps(confidence)), "confidence")
        article = entry.get("article")
        if article is not None and (isinstance(article, bool) or not isinstance(article, int)
                                    or not 0 <= article < article_count):
            self.bad(f"{name}.article", messages.text("pages_site.detail_not_article_index",
                                                      value=json.dumps(article), count=article_count), "article")
        chars = entry.get("chars")
        if chars is not None:
            if not isinstance(chars, list):
                self.bad(f"{name}.chars", messages.text("pages_site.detail_not_list"), "chars")
            chars = tuple(self.box(c, f"{name}.chars[{i}]") for i, c in enumerate(chars))
            if len(chars) != len(text):
                chars = None  # boxes that do not match the text one to one are no use; the line box stays
        return Line(text=text, box=box, confidence=float(confidence), article=article, chars=chars)


class _NotJson(ValueError):
    pass


def _no_constant(name):
    """Python's json reads NaN and Infinity, which JSON has not: refused as bad JSON."""
    raise _NotJson(name)


def load(path):
    """The checked :class:`SidecarPage` of the sidecar ``path``; ContentError if it is unusable.

    Also checks that the file sits where its date and page say (``epaper/<date>/<NN>.page.json``),
    so that two sidecars can never claim one page.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        problem, fix = messages.problem("pages_site.bad_json", detail=str(error))
        raise ContentError(path, None, problem, fix) from None
    reader = _Reader(path, text)
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        problem, fix = messages.problem("pages_site.bad_json", detail=error.msg)
        raise ContentError(path, error.lineno, problem, fix) from None
    except _NotJson as error:
        problem, fix = messages.problem("pages_site.bad_json", detail=f"{error} (JSON)")
        found = re.search(rf"\b{error}\b", text)
        raise ContentError(path, text.count("\n", 0, found.start()) + 1 if found else None, problem, fix) from None
    layout = reader.read(data)
    expected = NAME.match(path.name)
    if path.parent.name != layout.date.isoformat() or not expected or int(expected["page"]) != layout.page:
        reader.fail("wrong_place", "date", date=layout.date.isoformat(), page=layout.page,
                    folder=path.parent.name, name=path.name)
    return layout


# --- writing ---------------------------------------------------------------------------------
_NUMBER_LIST = re.compile(r"\[\s*(-?[\d.]+(?:\s*,\s*-?[\d.]+)*)\s*\]")


def box_in_image(corners, width, height):
    """``(x0, y0, x1, y1)`` in (fractional) pixels → the :class:`Box` of whole pixels inside the image."""
    x0, y0 = min(max(corners[0], 0), width), min(max(corners[1], 0), height)
    x1, y1 = min(max(corners[2], x0), width), min(max(corners[3], y0), height)
    left, top = int(round(x0)), int(round(y0))
    return Box(left, top, int(round(x1)) - left, int(round(y1)) - top)


def from_layout(path, *, date, page, page_name, original, image, width, height, dpi, source_kind, layout,
                article_files, issue="", notes=()):
    """The :class:`SidecarPage` the import writes at ``path`` for ``layout`` (a
    :class:`~newsroom.archive.layout.PageLayout`; its boxes are ``(x0, y0, x1, y1)``).

    ``article_files`` gives each article's file relative to the content root, in the
    layout's article order. Review texts are written in Chinese (the editors' language).
    """
    def box(corners):
        return box_in_image(corners, width, height)

    def reviews(items):
        return tuple(Review(item.text(lang="zh"), box(item.box), item.message) for item in items)

    articles = tuple(ArticleRegions(file=file, regions=tuple(box(b) for b in article.regions),
                                    review=reviews(article.review), title=article.title)
                     for article, file in zip(layout.articles, article_files))
    # A control character an OCR engine or a PDF's text layer carries is no text (the reader refuses it).
    lines = tuple(Line(text=CONTROL.sub("", layout.lines[index].text).strip(), box=box(layout.lines[index].box),
                       confidence=round(layout.lines[index].confidence, 3), article=number)
                  for index, number in layout.reading_order())
    return SidecarPage(path=Path(path), date=Date.fromisoformat(str(date)), page=page, page_name=page_name,
                       original=original, image=image, width=width, height=height, dpi=round(dpi, 1),
                       source_kind=source_kind, articles=articles, lines=lines, banner=layout.banner,
                       issue=str(issue) if issue else "", review=reviews(layout.review), notes=tuple(notes))


def to_data(page):
    """The JSON object of a :class:`SidecarPage` (docs/page-images.md gives every field)."""
    def review(items):
        return [{"problem": item.problem, "code": item.code, **({"box": item.box.as_list()} if item.box else {})}
                for item in items]

    def line(item):
        data = {"text": item.text, "box": item.box.as_list(), "confidence": item.confidence, "article": item.article}
        if item.chars is not None:
            data["chars"] = [char.as_list() for char in item.chars]
        return data

    data = dict(page.extra)
    data.update({
        "format": FORMAT,
        "date": page.date.isoformat(),
        "page": page.page,
        "page_name": page.page_name,
        "original": page.original,
        "image": page.image,
        "width": page.width,
        "height": page.height,
        "dpi": page.dpi,
        "source_kind": page.source_kind,
        "banner": page.banner,
        "articles": [{"file": a.file, "title": a.title, "regions": [b.as_list() for b in a.regions],
                      "review": review(a.review)} for a in page.articles],
        "lines": [line(item) for item in page.lines],
        "review": review(page.review),
    })
    if page.issue:
        data["issue"] = page.issue
    if page.notes:
        data["notes"] = list(page.notes)
    return data


def dumps(page):
    """The canonical text of a sidecar: the same page always gives the same bytes."""
    text = json.dumps(to_data(page), ensure_ascii=False, sort_keys=True, indent=2)
    text = _NUMBER_LIST.sub(lambda m: "[" + ", ".join(part.strip() for part in m.group(1).split(",")) + "]", text)
    return text + "\n"


def file_digest(path, salt=""):
    """SHA-256 of a page file's bytes and ``salt`` (what else a result made from it depends on), hex:
    the batch import's record of what it imported, the tile cache's key."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    digest.update(salt.encode())
    return digest.hexdigest()
