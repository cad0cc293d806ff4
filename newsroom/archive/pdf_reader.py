"""A page PDF's text layer → :class:`~newsroom.archive.textlines.PageText` (PyMuPDF, no OCR).

The layout system exports each page as a PDF whose text is real text: every character
with its position, font and size. ``read_pdf`` takes those characters and rebuilds the
printed lines from them: MuPDF's own lines are split where a gap wider than an em
opens (two columns on one baseline) or the size changes (a kicker run into a
headline). Coordinates are scaled from points to the pixels of the page image
``render_page`` makes at the same dpi, so the sidecar's boxes fit that image.

Only MuPDF's real characters are used: spaces that MuPDF would make up from gaps are
suppressed (``TEXT_INHIBIT_SPACES``), spaces the layout system set are kept.
"""

import logging
import time

from newsroom.archive.textlines import PageText, TextLine, union
from newsroom.errors import ContentError
from newsroom import messages

log = logging.getLogger(__name__)

# A gap wider than this (in ems of the text) between two characters on one baseline
# starts a new line: the gutter between two columns is one and a half ems or more.
SPLIT_GAP_EMS = 1.0
# A size change of more than this share starts a new line.
SPLIT_SIZE_CHANGE = 0.15


def open_pdf(path):
    import fitz

    try:
        doc = fitz.open(str(path))
    except Exception as error:  # MuPDF raises its own error types for damaged files
        raise ContentError(path, 0, *messages.problem("pages.pdf_unreadable", error=str(error)[:200])) from None
    if doc.needs_pass:
        raise ContentError(path, 0, *messages.problem("pages.pdf_encrypted"))
    if doc.page_count != 1:
        raise ContentError(path, 0, *messages.problem("pages.pdf_page_count", count=doc.page_count))
    return doc


def has_text_layer(path):
    """Whether the PDF's page carries text (a scanned PDF is only an image)."""
    with open_pdf(path) as doc:
        return bool(doc[0].get_text("text").strip())


def read_pdf(path, dpi):
    """The page's text lines, in pixels of the page rendered at ``dpi``."""
    import fitz

    started = time.perf_counter()
    scale = dpi / 72.0
    with open_pdf(path) as doc:
        page = doc[0]
        rect = page.rect
        flags = fitz.TEXT_PRESERVE_WHITESPACE | fitz.TEXT_INHIBIT_SPACES | fitz.TEXT_MEDIABOX_CLIP
        raw = page.get_text("rawdict", flags=flags)
    lines = []
    for block in raw["blocks"]:
        for line in block.get("lines", []):
            direction = line.get("dir", (1, 0))
            if abs(direction[1]) > 0.01:
                log.info("%s: vertical text left out: %s", path, _line_text(line)[:20])
                continue
            chars = []
            for span in line["spans"]:
                bold = bool(span["flags"] & 16) or "bold" in span["font"].lower()
                for char in span["chars"]:
                    chars.append((char["c"], char["bbox"], span["size"], bold, span["font"]))
            lines += _split(chars, scale)
    width, height = int(round(rect.width * scale)), int(round(rect.height * scale))
    text = PageText(width=width, height=height, dpi=dpi, source_kind="pdf", lines=lines)
    text.timings["read"] = time.perf_counter() - started
    return text


def _line_text(line):
    return "".join(char["c"] for span in line["spans"] for char in span["chars"])


def _split(chars, scale):
    """One MuPDF line's characters → printed lines (split at wide gaps and size changes)."""
    pieces, current = [], []
    for char in chars:
        if current:
            last = current[-1]
            gap = char[1][0] - last[1][2]
            size = max(char[2], last[2])
            if gap > SPLIT_GAP_EMS * size or abs(char[2] - last[2]) > SPLIT_SIZE_CHANGE * size:
                pieces.append(current)
                current = []
        current.append(char)
    if current:
        pieces.append(current)
    lines = []
    for piece in pieces:
        # Leading spaces carry no position worth keeping; trailing ones are kept (a
        # headline broken at the space between its two phrases keeps it there).
        while piece and piece[0][0].isspace():
            piece = piece[1:]
        if not piece or not "".join(c[0] for c in piece).strip():
            continue
        boxes = [tuple(v * scale for v in c[1]) for c in piece]
        visible = [box for c, box in zip(piece, boxes) if not c[0].isspace()]
        sizes = sorted(c[2] for c in piece if not c[0].isspace())
        bold = sum(c[3] for c in piece) * 2 > len(piece)
        lines.append(TextLine(
            text="".join(c[0] for c in piece),
            box=union(visible),
            size=sizes[len(sizes) // 2] * scale,
            confidence=1.0,
            chars=boxes,
            bold=bold,
            font=piece[0][4],
        ))
    return lines


def render_page(path, dpi):
    """The page as PNG bytes at ``dpi`` → ``(bytes, width, height)`` (RGB: banners and
    mastheads are often red)."""
    import fitz

    with open_pdf(path) as doc:
        pixmap = doc[0].get_pixmap(dpi=dpi, colorspace=fitz.csRGB, alpha=False)
        return pixmap.tobytes("png"), pixmap.width, pixmap.height
