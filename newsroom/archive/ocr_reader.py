"""A scanned page → :class:`~newsroom.archive.textlines.PageText` through RapidOCR, straightened.

The engine is ``rapidocr-onnxruntime`` (pinned in requirements.txt): PP-OCRv4 detection
and recognition models for Chinese, shipped inside the wheel (``rapidocr_onnxruntime/
models/``) and run by ONNX Runtime on the CPU. Nothing is downloaded: the package's code
path only opens those files (``tests/test_page_scan.py`` runs it with the network
namespace cut to prove it).

Steps: open the scan safely (a size limit, one frame, EXIF orientation, grey); bring it
to about 200 dpi for OCR (a 600-dpi scan is four times the work for no gain; the boxes
are scaled back); OCR once; measure the skew from the detected text lines (their top
and bottom edges, weighted by length) and, if it is more than 0.05°, rotate the scan
by it and the boxes with it, so that columns are vertical and indents measurable; the
straightened scan is the page image every box refers to. Line sizes (ems) are the smaller
of what a line's width per character and the height of its ink say (see :func:`_em`).
"""

import logging
import math
import re
import time
import warnings
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from newsroom import messages
from newsroom.archive.textlines import PageText, TextLine, union, weighted_median
from newsroom.errors import ContentError

log = logging.getLogger(__name__)

MAX_PIXELS = 200_000_000  # a 600-dpi broadsheet is ~140 million
WORK_DPI = 200  # OCR resolution: 9-point body text is ~25 pixels high
DEFAULT_DPI_RANGE = (100, 1200)  # a dpi in the file outside this is not believed
A3_HEIGHT_INCHES = 16.54  # used to estimate the dpi of a scan that does not say it
MIN_SKEW = 0.05  # degrees: below this the scan is left as it is
TEXT_SCORE = 0.3  # lines the engine is less sure of are dropped (below: noise); 0.3–0.85 go to review
JPEG_QUALITY = 90

_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_CJK_CONTEXT = re.compile(rf"[{_HAN}\u3000-\u303f\uff00-\uffef“”‘’…—]")
# Half-width marks the engine sometimes gives inside Chinese text, and what print has there.
_FULL_WIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}


@lru_cache(maxsize=1)
def engine():
    """The RapidOCR engine (loaded once per process: ~0.5 s)."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as error:  # the requirements are not installed
        raise ContentError("rapidocr", 0, *messages.problem("pages.ocr_unavailable", error=str(error))) from None
    # max_side_len: never shrink the page before detection (body text would be too small
    # to read); text_score: keep doubtful lines, they go on the review list.
    return RapidOCR(max_side_len=20000, text_score=TEXT_SCORE)


def engine_version():
    from importlib.metadata import version

    return f"rapidocr-onnxruntime {version('rapidocr-onnxruntime')}"


def open_scan(path):
    """The scan as a grey Pillow image and its dpi (from the file, or estimated), with notes."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    path = Path(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ContentError(path, 0, *messages.problem("pages.image_too_large", pixels=width * height // 10000,
                                                              limit=MAX_PIXELS // 10000))
            frames = getattr(image, "n_frames", 1)
            if frames > 1:
                raise ContentError(path, 0, *messages.problem("pages.image_several_frames", count=frames))
            image.load()
    except ContentError:
        raise
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning,
            ValueError) as error:
        raise ContentError(path, 0, *messages.problem("pages.image_unreadable", error=str(error)[:200])) from None
    notes = []
    dpi = _dpi_of(image)
    image = ImageOps.exif_transpose(image).convert("L")
    if dpi is None:
        dpi = max(image.size) / A3_HEIGHT_INCHES
        notes.append(f"dpi estimated as {dpi:.0f} (the file does not say; an A3 page assumed)")
    return image, dpi, notes


def _dpi_of(image):
    value = image.info.get("dpi")
    if not value:
        return None
    try:
        dpi = float(value[0])
    except (TypeError, ValueError, IndexError):
        return None
    low, high = DEFAULT_DPI_RANGE
    return dpi if low <= dpi <= high else None


def read_scan(path):
    """``(PageText, page image as JPEG bytes)`` for the scan at ``path``."""
    started = time.perf_counter()
    image, dpi, notes = open_scan(path)
    return _read(image, dpi, notes, started)


def read_scan_bytes(data, path, dpi):
    """The same for an image given as bytes (a scanned PDF's page rendered at ``dpi``)."""
    from PIL import Image

    started = time.perf_counter()
    try:
        image = Image.open(BytesIO(data)).convert("L")
    except OSError as error:
        raise ContentError(path, 0, *messages.problem("pages.image_unreadable", error=str(error)[:200])) from None
    return _read(image, dpi, [], started)


def _read(image, dpi, notes, started):
    import cv2
    import numpy as np

    grey = np.asarray(image)
    scale = 1.0
    if dpi > WORK_DPI * 1.3:
        scale = WORK_DPI / dpi
        work = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    else:
        work = grey
    timings = {"read": time.perf_counter() - started}
    ocr_started, ocr_cpu = time.perf_counter(), time.process_time()
    result, _ = engine()(work, return_word_box=True)
    timings["ocr"] = time.perf_counter() - ocr_started
    timings["ocr_cpu"] = time.process_time() - ocr_cpu  # both cores' CPU seconds: the figure a busy machine cannot skew
    deskew_started = time.perf_counter()
    found = []
    for item in result or []:
        quad = [(x / scale, y / scale) for x, y in item[0]]
        words = item[3] if len(item) > 3 else None
        chars = [[(x / scale, y / scale) for x, y in word] for word in words] if words else None
        found.append((quad, item[1], float(item[2]), chars))
    angle = skew_angle([quad for quad, *_ in found])
    height, width = grey.shape
    if abs(angle) >= MIN_SKEW:
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
        paper = int(np.median(grey[:: max(1, height // 200), :: max(1, width // 200)]))
        grey = cv2.warpAffine(grey, matrix, (width, height), flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=paper)
        found = [([_apply(matrix, p) for p in quad], text, score,
                  [[_apply(matrix, p) for p in char] for char in chars] if chars else None)
                 for quad, text, score, chars in found]
        notes.append(f"deskew {angle:.2f}°")
    timings["deskew"] = time.perf_counter() - deskew_started
    threshold = ink_threshold(grey)

    def size_of(text, box):
        return _em(text, box, ink_height(grey, box, threshold))

    lines = []
    for quad, text, score, chars in found:
        text = normalise(text)
        if not text.strip():
            continue
        box = union([(p[0], p[1], p[0], p[1]) for p in quad])
        char_boxes = None
        if chars and len(chars) == len(text):
            char_boxes = [union([(p[0], p[1], p[0], p[1]) for p in char]) for char in chars]
        lines.append(TextLine(text=text, box=box, size=size_of(text, box), confidence=score, chars=char_boxes))
    lines = split_wide_lines(lines, size_of)
    encode_started = time.perf_counter()
    buffer = BytesIO()
    from PIL import Image

    Image.fromarray(grey).save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, dpi=(round(dpi), round(dpi)))
    notes.append(engine_version())
    timings["read"] += time.perf_counter() - encode_started
    page = PageText(width=width, height=height, dpi=dpi, source_kind="scan", lines=lines, notes=notes,
                    timings=timings)
    return page, buffer.getvalue()


# Two characters whose centres are this many times the line's usual step apart are in two
# columns: the detector sometimes takes two columns' lines across a narrow gutter as one.
GUTTER_STEPS = 2.4


def split_wide_lines(lines, size_of):
    """Split the lines much wider than a column (the usual width of the page's long lines)
    where their characters jump a gutter. Only those: a line of one column where the
    engine missed a character or two (……) has a jump too, and must stay whole."""
    widths = sorted(line.width for line in lines if len(line.text) >= 8)
    if not widths:
        return lines
    column = widths[len(widths) // 2]
    result = []
    for line in lines:
        result += split_at_gutters(line, size_of) if line.width > 1.4 * column else [line]
    return result


def split_at_gutters(line, size_of):
    """One detected line → the printed lines it holds (split where the characters jump a gutter)."""
    if not line.chars or len(line.chars) < 4:
        return [line]
    centres = [(box[0] + box[2]) / 2 for box in line.chars]
    steps = [b - a for a, b in zip(centres, centres[1:])]
    usual = sorted(steps)[len(steps) // 2]
    cuts = [i + 1 for i, step in enumerate(steps) if usual > 0 and step > GUTTER_STEPS * usual]
    if not cuts:
        return [line]
    pieces = []
    for start, end in zip([0, *cuts], [*cuts, len(line.text)]):
        text, chars = line.text[start:end], line.chars[start:end]
        if not text.strip():
            continue
        box = (chars[0][0], line.box[1], chars[-1][2], line.box[3])
        pieces.append(TextLine(text=text, box=box, size=size_of(text, box), confidence=line.confidence, chars=chars))
    return pieces


def _apply(matrix, point):
    x, y = point
    return (matrix[0][0] * x + matrix[0][1] * y + matrix[0][2], matrix[1][0] * x + matrix[1][1] * y + matrix[1][2])


def skew_angle(quads):
    """The page's skew in degrees (as ``cv2.getRotationMatrix2D`` takes it to undo it):
    the length-weighted median slope of the long text lines' top and bottom edges."""
    slopes = []
    for quad in quads:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = quad[:4]
        length = math.hypot(x1 - x0, y1 - y0)
        height = math.hypot(x3 - x0, y3 - y0)
        if length < 4 * height or length <= 0:
            continue
        for ax, ay, bx, by in ((x0, y0, x1, y1), (x3, y3, x2, y2)):
            slopes.append((math.degrees(math.atan2(by - ay, bx - ax)), length))
    return weighted_median(slopes)


# The ink of Chinese characters fills about this share of their em from top to bottom
# (Song and Hei faces alike), so a line's ink height / INK_SHARE is its em by height.
INK_SHARE = 0.85
# A pixel row of a line is inked when it holds at least this share of the busiest row's
# ink: the few thin strokes of brackets and quotation marks above and below the
# characters do not make a line taller.
INK_ROW_SHARE = 0.2


def ink_threshold(grey):
    """The grey level halfway between the page's paper and its ink."""
    import numpy as np

    height, width = grey.shape
    sample = grey[:: max(1, height // 400), :: max(1, width // 400)]
    return (float(np.median(sample)) + float(np.percentile(sample, 1))) / 2


def ink_height(grey, box, threshold):
    """The height in pixels of the characters' ink inside ``box`` (0 when there is none)."""
    import numpy as np

    x0, y0 = max(0, int(round(box[0]))), max(0, int(round(box[1])))
    x1, y1 = int(round(box[2])), int(round(box[3]))
    crop = grey[y0:y1, x0:x1]
    if crop.size == 0:
        return 0
    rows = (crop < threshold).sum(axis=1)
    busiest = rows.max()
    if busiest == 0:
        return 0
    inked = np.nonzero(rows >= INK_ROW_SHARE * busiest)[0]
    return int(inked[-1] - inked[0] + 1)


def _em(text, box, ink=0):
    """A line's em in pixels: the smaller of what its width per character and its ink say.

    Each measure errs only one way, so the smaller is the better: justification spreads a
    line's characters (a short line with a space, 本报讯（记者 杜一, is a fifth wider per
    character than its type) but never draws them closer; the ink height of the
    characters is their size whatever their spacing (the detector's box is not: brackets
    and quotation marks stretch it, and its margin is wider around small text than
    large). Latin letters and digits count as half a character. A line of under four
    characters, or one whose characters are too narrow for its height (the engine read
    more characters than the box holds), is measured by its ink alone; without ink
    (``ink`` 0), by its box's height."""
    units = sum(0.55 if ch.isascii() else 1.0 for ch in text if not ch.isspace())
    by_height = ink / INK_SHARE if ink else (box[3] - box[1]) / 1.2
    if units >= 4:
        by_width = (box[2] - box[0]) / units
        if 0.7 * by_height <= by_width:
            return min(by_width, by_height)
    return by_height


def normalise(text):
    """The engine's half-width marks inside Chinese text → the full-width marks print has."""
    chars = list(text)
    for i, ch in enumerate(chars):
        if ch in _FULL_WIDTH:
            before = chars[i - 1] if i else ""
            after = chars[i + 1] if i + 1 < len(chars) else ""
            if _CJK_CONTEXT.match(before or " ") or _CJK_CONTEXT.match(after or " "):
                chars[i] = _FULL_WIDTH[ch]
    return "".join(chars)
