"""Import a printed page from its PDF or its scan: article files, the page image, the sidecar.

``read_page_file`` reads the page (the PDF's text layer, or OCR of the scan), finds its
layout (:mod:`newsroom.archive.layout`) and turns it into the text importer's
:class:`~newsroom.desk.importer.ParsedPage`, so that the article files are written by
the one importer (slugs, file names, metadata, bylines and districts, "never
overwrite"). ``plan_pages`` decides every file the import would write; an article that
already exists (same date, same headline) is attached to the page, never overwritten.
``write_pages`` writes nothing unless it can write everything.

Under the content root (``--out``), per page (docs/page-images.md, the sidecar contract)::

    YYYY/MM/<date>-<page>-<order>-<slug>.md     the articles (as the text importer writes them)
    epaper/YYYY-MM-DD/NN.pdf|.jpg|.png|.tif     the original, as given
    epaper/YYYY-MM-DD/NN.png (PDF) / NN.jpg     the page image the boxes refer to
    epaper/YYYY-MM-DD/NN.page.json              the sidecar
"""

import logging
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from newsroom import messages
from newsroom.archive import layout as page_layout
from newsroom.archive import pagefile, pdf_reader
from newsroom.desk import importer
from newsroom.errors import ContentError
from newsroom.paper.content import MARKDOWN_SUFFIXES, read_source

log = logging.getLogger(__name__)

PDF_SUFFIXES = {".pdf"}
SCAN_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff"}
PAGE_SUFFIXES = PDF_SUFFIXES | SCAN_SUFFIXES
RENDER_DPI = 200  # a PDF page's image: enough to read 9-point body text when zoomed
SCAN_PDF_DPI = 300  # a PDF without a text layer is rendered this sharp for OCR
# A headline on the page this similar to an existing article's (same date) is that article.
SAME_TITLE_SIMILARITY = 0.85


def is_page_file(path):
    return Path(path).suffix.lower() in PAGE_SUFFIXES


# Batch file names, as for the text import: 2024-01-02_01_要闻.pdf or 2024-01-02_01.jpg
BATCH_NAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})_(?P<page>\d{1,3})(?:_(?P<name>[^_]+))?\.[A-Za-z]+$")
STATE_FILE = ".newsroom-import.json"


def batch_page_files(folder):
    """The PDFs and scans of ``folder`` named ``YYYY-MM-DD_NN[_版名].ext`` → ``[(path, PageInfo)]``
    in name order; a page file named otherwise is an error (nothing is skipped unseen)."""
    from datetime import date as Date

    folder = Path(folder)
    if not folder.is_dir():
        raise ContentError(folder, 0, *messages.problem("pages.batch_not_a_folder"))
    found = []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and is_page_file(p) and not p.name.startswith(".")):
        match = BATCH_NAME.match(path.name)
        if not match:
            raise ContentError(path, 0, *messages.problem("pages.batch_bad_name"))
        try:
            day = Date.fromisoformat(match.group("date"))
        except ValueError:
            raise ContentError(path, 0, *messages.problem("pages.batch_bad_date", date=match.group("date"))) from None
        page = int(match.group("page"))
        if page < 1:
            raise ContentError(path, 0, *messages.problem("pages.batch_bad_name"))
        found.append((path, importer.PageInfo(day, page, match.group("name") or "")))
    return found


@dataclass
class ReadPage:
    """One page read and laid out, not yet planned."""

    path: Path
    info: importer.PageInfo
    kind: str  # "pdf" or "scan"
    text: object  # PageText
    layout: object  # PageLayout
    parsed: importer.ParsedPage
    image: bytes
    image_suffix: str  # ".png" or ".jpg"
    timings: dict = field(default_factory=dict)


@dataclass
class Attached:
    """An article of the page that already exists: the sidecar points at it, nothing is written."""

    path: Path
    article: importer.ImportedArticle
    existing_title: str
    notes: list = field(default_factory=list)


@dataclass
class PageFile:
    path: Path
    data: bytes
    action: str = "new"  # new | unchanged | conflict | replace


@dataclass
class PagePlan:
    page: ReadPage
    articles: list  # per layout article: PlannedFile or Attached
    files: list  # PageFile


# --- reading -----------------------------------------------------------------------------


def read_page_file(path, info, dpi=RENDER_DPI):
    """Read one page file → :class:`ReadPage` (raises :class:`ContentError`)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in PAGE_SUFFIXES:
        raise ContentError(path, 0, *messages.problem("pages.unknown_kind", suffix=suffix or path.name))
    if not path.is_file():
        raise ContentError(path, 0, *messages.problem("pages.image_unreadable", error="文件不存在 (no such file)"))
    started, started_cpu = time.perf_counter(), time.process_time()
    if suffix in PDF_SUFFIXES and pdf_reader.has_text_layer(path):
        text = pdf_reader.read_pdf(path, dpi)
        image, text.width, text.height = pdf_reader.render_page(path, dpi)  # MuPDF rounds the size up
        kind, image_suffix = "pdf", ".png"
    else:
        from newsroom.archive import ocr_reader

        if suffix in PDF_SUFFIXES:  # a scanned PDF: its page is an image
            rendered, _, _ = pdf_reader.render_page(path, SCAN_PDF_DPI)
            text, image = ocr_reader.read_scan_bytes(rendered, path, dpi=SCAN_PDF_DPI)
        else:
            text, image = ocr_reader.read_scan(path)
        kind, image_suffix = "scan", ".jpg"
    if not text.lines:
        raise ContentError(path, 0, *messages.problem("pages.no_text_found"))
    laid_started, laid_cpu = time.perf_counter(), time.process_time()
    laid = page_layout.analyse(text)
    timings = dict(text.timings)
    timings["layout"] = time.perf_counter() - laid_started
    timings["layout_cpu"] = time.process_time() - laid_cpu
    timings["total"] = time.perf_counter() - started
    # CPU seconds of the whole process (all its threads: ONNX Runtime runs OCR on both
    # cores): the figure a machine shared with others cannot inflate as it does wall time.
    timings["total_cpu"] = time.process_time() - started_cpu
    if not laid.articles:
        raise ContentError(path, 0, *messages.problem("pages.no_article_found", lines=len(text.lines)))
    parsed = to_parsed_page(laid, path)
    return ReadPage(path, info, kind, text, laid, parsed, image, image_suffix, timings)


def to_parsed_page(laid, path):
    """The layout → the text importer's page: its spaces rules, its paragraphs."""
    parsed = importer.ParsedPage(path=str(path), banner=importer.clean_spaces(laid.banner))
    for order, article in enumerate(laid.articles, start=1):
        paragraphs = [importer.Paragraph(importer.clean_spaces(p.text), number, p.crosshead)
                      for number, p in enumerate(article.paragraphs, start=1) if importer.clean_spaces(p.text)]
        imported = importer.ImportedArticle(title=importer.clean_spaces(article.title), line=order,
                                            kicker=importer.clean_spaces(article.kicker),
                                            subtitle=importer.clean_spaces(article.subtitle),
                                            paragraphs=paragraphs, order=order)
        parsed.articles.append(imported)
    return parsed


# --- planning ----------------------------------------------------------------------------


def page_folder(out_dir, info):
    return Path(out_dir) / "epaper" / info.date.isoformat()


def plan_pages(pages, out_dir):
    """``[ReadPage]`` → ``[PagePlan]``: every file the import would write, and what it would do."""
    out_dir = Path(out_dir)
    attached_by_page = []
    to_write = []
    for page in pages:
        existing = existing_articles(out_dir, page.info.date)
        attached, fresh = {}, importer.ParsedPage(path=page.parsed.path, banner=page.parsed.banner)
        for number, article in enumerate(page.parsed.articles):
            match = match_existing(article.title, existing)
            if match:
                attached[number] = _attached(match, article, page, number)
            else:
                fresh.articles.append(article)
        attached_by_page.append(attached)
        to_write.append((fresh, page.info))
    planned = importer.plan_import(to_write, out_dir)
    by_article = {id(item.article): item for item in planned}
    plans = []
    for page, attached in zip(pages, attached_by_page):
        entries = [attached.get(number) or by_article[id(article)]
                   for number, article in enumerate(page.parsed.articles)]
        plans.append(PagePlan(page, entries, _page_files(page, entries, out_dir)))
    return plans


def existing_articles(out_dir, day):
    """``[(path, title)]`` of the articles dated ``day`` in ``out_dir/YYYY/MM/``."""
    folder = Path(out_dir) / f"{day:%Y}" / f"{day:%m}"
    found = []
    if not folder.is_dir():
        return found
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in MARKDOWN_SUFFIXES or not path.is_file():
            continue
        try:
            source = read_source(path)
        except (ContentError, OSError):
            continue
        if source.get("date", "")[:10] == day.isoformat():
            found.append((path, source))
    return found


def _title_key(title):
    return re.sub(r"\s+", "", title or "")


def edit_distance(a, b):
    """Levenshtein distance (insert, delete, substitute: one each)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def similarity(a, b):
    """1 − edit distance / the longer length (1.0: the same)."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return 1.0 - edit_distance(a, b) / max(len(a), len(b))


def match_existing(title, existing):
    """The existing article with this headline (exactly, or nearly: an OCR slip), or None."""
    key = _title_key(title)
    best, best_score = None, 0.0
    for path, source in existing:
        score = similarity(key, _title_key(source.title))
        if score > best_score:
            best, best_score = (path, source), score
    return best if best and best_score >= SAME_TITLE_SIMILARITY else None


def _attached(match, article, page, number):
    path, source = match
    item = Attached(path, article, source.title)
    laid = page.layout.articles[number]
    if _title_key(source.title) != _title_key(article.title):
        laid.review.append(page_layout.Review("pages.review_title_differs",
                                              {"found": article.title, "existing": source.title},
                                              laid.regions[0] if laid.regions else (0, 0, 0, 0)))
    existing_page = (source.get("page") or "").strip()
    if existing_page and existing_page != str(page.info.page):
        item.notes.append(messages.text("pages.review_existing_page", existing=existing_page, page=page.info.page))
    return item


def _page_files(page, entries, out_dir):
    info = page.info
    folder = page_folder(out_dir, info)
    stem = f"{info.page:02d}"
    original_name, image_name = file_names(info, page.kind, page.path.suffix)
    files = [PageFile(folder / original_name, page.path.read_bytes()), PageFile(folder / image_name, page.image)]
    article_files = [_relative(entry.path, out_dir) for entry in entries]
    width, height = page.text.width, page.text.height
    path = folder / (stem + pagefile.SUFFIX)
    sidecar = pagefile.from_layout(path, date=info.date, page=info.page, page_name=info.page_name,
                                   original=original_name, image=image_name, width=width, height=height,
                                   dpi=page.text.dpi, source_kind=page.kind, layout=page.layout,
                                   article_files=article_files, issue=info.issue, notes=page.text.notes)
    files.append(PageFile(path, pagefile.dumps(sidecar).encode("utf-8")))
    for item in files:
        item.action = _action(item.path, item.data)
    return files


def file_names(info, kind, suffix):
    """``(original, image)`` file names of a page: ``01.pdf`` and ``01.png`` for a PDF,
    ``01.scan.<ext>`` and ``01.jpg`` (straightened) for a scan."""
    stem = f"{info.page:02d}"
    suffix = suffix.lower().replace(".jpeg", ".jpg").replace(".tiff", ".tif")
    if kind == "pdf" or suffix == ".pdf":
        return stem + suffix, stem + (".png" if kind == "pdf" else ".jpg")
    return f"{stem}.scan{suffix}", f"{stem}.jpg"


def _relative(path, out_dir):
    try:
        return Path(path).resolve().relative_to(Path(out_dir).resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def _action(path, data):
    if not path.exists():
        return "new"
    return "unchanged" if path.read_bytes() == data else "conflict"


# --- writing -----------------------------------------------------------------------------


def conflicts(plans):
    """Paths that exist with other content (article files and page files)."""
    found = []
    for plan in plans:
        for entry in plan.articles:
            if isinstance(entry, importer.PlannedFile) and entry.action == "conflict":
                found += entry.replaces or [entry.path]
        found += [item.path for item in plan.files if item.action == "conflict"]
    return found


def write_pages(plans, force=False):
    """Write every planned file, or nothing: a conflict stops the whole import unless ``force``."""
    clashes = conflicts(plans)
    if clashes and not force:
        raise ContentError(clashes[0], 0, *messages.problem("pages.page_file_conflict",
                                                            path=", ".join(str(p) for p in clashes)))
    planned = [entry for plan in plans for entry in plan.articles if isinstance(entry, importer.PlannedFile)]
    importer.write_plan(planned, force=force)
    for plan in plans:
        for item in plan.files:
            if item.action == "unchanged":
                continue
            if item.action == "conflict":
                item.action = "replace"
            _write_atomically(item.path, item.data)
            log.info("wrote %s", item.path)
    return plans


def _write_atomically(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
