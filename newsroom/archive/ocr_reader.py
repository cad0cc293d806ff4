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
import os
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
    return RapidOCR(max_side_len=20000, text_score=TEXT_SCORE, **_thread_settings())


THREADS_ENV = "NEWSROOM_OCR_THREADS"  # onnxruntime's threads per model; unset: one per core


def _thread_settings():
    """``$NEWSROOM_OCR_THREADS`` (a whole number) as RapidOCR's thread settings, else none
    (onnxruntime's default: one thread per core). The test suite sets 1: its two workers
    already keep both cores busy, and onnxruntime's threads then spin waiting for each
    other — the CI page's read took ~44 CPU-s with them and ~32 with one (2026-12-07,
    load 5-12), the same lines, boxes and confidences."""
    given = os.environ.get(THREADS_ENV, "").strip()
    if not given.isdigit() or int(given) < 1:
        return {}
    return {"intra_op_num_threads": int(given), "inter_op_num_threads": int(given)}


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
        box = ink_extent(grey, union([(p[0], p[1], p[0], p[1]) for p in quad]), threshold)
        char_boxes = None
        if chars and len(chars) == len(text):
            char_boxes = [union([(p[0], p[1], p[0], p[1]) for p in char]) for char in chars]
        lines.append(TextLine(text=text, box=box, size=size_of(text, box), confidence=score, chars=char_boxes))
    split_started, split_cpu = time.perf_counter(), time.process_time()
    lines = split_wide_lines(lines, size_of, lambda box: _recognise(grey, box), lambda box: blank_stripes(
        grey, box, threshold))
    timings["ocr"] += time.perf_counter() - split_started  # the recognition of split lines is OCR
    timings["ocr_cpu"] += time.process_time() - split_cpu
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
# A line of body text wider than a column (by this share) holds a gutter, however narrow:
# it is split at its widest jump, if that is this many usual steps (a gutter of about an
# em, as pages of seven or eight columns have, jumps about 2.3).
COLUMN_SLACK = 1.05
NARROW_GUTTER_STEPS = 1.6


def split_wide_lines(lines, size_of, recognise=None, stripes=None):
    """Split the lines wider than a column (the usual width of the page's long lines)
    where they jump a gutter. A line much wider than a column is split at every jump of
    ``GUTTER_STEPS`` between its characters. A line of body text that is wider than a
    column at all must hold a gutter too (justified text never runs past its column):
    it is split where the scan shows a blank stripe across it (``stripes``) over one of
    the page's gutters (``column_gutters``: a justified line's word spaces can be wider
    than a narrow gutter, but lie inside a column), and each piece is read again
    (``recognise``: the characters' boxes the engine gives are spread evenly over the
    detected box, so they do not show a narrow gutter); without such a stripe, at its
    widest jump between characters. Lines of one column are left whole: where the engine
    missed a character or two (……) they have a jump too."""
    widths = sorted(line.width for line in lines if len(line.text) >= 8)
    if not widths:
        return lines
    column = widths[len(widths) // 2]
    step = sorted(line.width / len(line.text) for line in lines if len(line.text) >= 8)[len(widths) // 2]
    gutters = column_gutters([line for line in lines if line.width <= COLUMN_SLACK * column and len(line.text) >= 4],
                             step)
    result = []
    for line in lines:
        pieces = split_at_gutters(line, size_of) if line.width > 1.4 * column else [line]
        for piece in pieces:
            if piece.width <= COLUMN_SLACK * column or piece.size > 1.2 * step:
                result.append(piece)
                continue
            found = stripes(piece.box) if stripes and recognise else []
            found = [(a, b) for a, b in found if b - a >= BLANK_STRIPE_STEPS * step
                     and any(a < left + 0.3 * step and b > right - 0.3 * step for right, left in gutters)]
            trimmed = _without_slivers(piece, found, step, size_of, recognise)
            if trimmed is not piece:
                piece = trimmed
                if piece.width <= COLUMN_SLACK * column:
                    result.append(piece)
                    continue
                found = [(a, b) for a, b in found if piece.x0 < a and b < piece.x1]
            found = [(a, b) for a, b in found if a - piece.x0 >= step and piece.x1 - b >= step]
            cuts = _widest_cuts(piece, found, COLUMN_SLACK * column)
            if cuts:
                result += _read_pieces(piece, cuts, size_of, recognise)
            else:
                result += _split_body_line(piece, size_of, column, step)
    return result


# A blank stripe this many characters wide across a line wider than a column is a gutter.
BLANK_STRIPE_STEPS = 0.7


# A column's edge: where at least this many of the page's one-column lines start (or end),
# within half a character of one another.
EDGE_LINES = 3


def column_gutters(lines, step):
    """The page's gutters ``[(right edge of a column, left edge of the next)]``, from where
    its one-column lines end and start (justified lines end at their column's right edge)."""
    rights = _clusters(sorted(line.x1 for line in lines), 0.5 * step)
    lefts = _clusters(sorted(line.x0 for line in lines), 0.5 * step)
    gutters = []
    for right in rights:
        following = [left for left in lefts if 0 < left - right < 3 * step]
        if following:
            gutters.append((right, min(following)))
    return gutters


def _clusters(values, reach):
    """The middle of each run of at least ``EDGE_LINES`` sorted values within ``reach`` of its first."""
    found, run = [], []
    for value in values + [float("inf")]:
        if run and value - run[0] > reach:
            if len(run) >= EDGE_LINES:
                found.append(run[len(run) // 2])
            run = []
        run.append(value)
    return found


def _widest_cuts(line, stripes, longest):
    """The fewest of ``stripes``, widest first, that leave no piece of ``line`` longer than
    ``longest`` (a piece of one column needs no cut)."""
    cuts = []
    for stripe in sorted(stripes, key=lambda s: s[0] - s[1]):
        bounds = [line.x0] + [x for cut in sorted(cuts) for x in cut] + [line.x1]
        pieces = list(zip(bounds[::2], bounds[1::2]))
        if all(x1 - x0 <= longest for x0, x1 in pieces):
            break
        if any(x0 < stripe[0] and stripe[1] < x1 and x1 - x0 > longest for x0, x1 in pieces):
            cuts.append(stripe)
    return sorted(cuts)


def blank_stripes(grey, box, threshold):
    """The x ranges ``[(x0, x1)]`` inside ``box`` where the scan has no ink from top to bottom."""
    import numpy as np

    x0, y0 = max(0, int(round(box[0]))), max(0, int(round(box[1])))
    x1, y1 = int(round(box[2])), int(round(box[3]))
    crop = grey[y0:y1, x0:x1]
    if crop.size == 0:
        return []
    inked = (crop < threshold).sum(axis=0) > max(1, 0.04 * crop.shape[0])  # a speck is not ink
    stripes, start = [], None
    for i, ink in enumerate(inked):
        if not ink and start is None:
            start = i
        elif ink and start is not None:
            stripes.append((x0 + start, x0 + i))
            start = None
    return stripes  # a stripe reaching the box's right edge is not between two pieces


# A box that starts with less ink than this share of a character before a blank stripe
# over a gutter starts in the column on its left (the edge of that column's last character).
SLIVER_STEPS = 0.5


def _without_slivers(line, stripes, step, size_of, recognise):
    """``line`` without the sliver of the left neighbour column's ink (the edge of its last
    character) that the detector's box took in across a gutter: the box is cut at the
    blank stripe over the gutter and read again. Such a box starts in the other column,
    so the line would look indented by the gutter's width (every other line of its column
    too, if it is the leftmost) and the stray ink may be read as a character (：). Only on
    the left: a short piece at a box's right end may be a narrow character (。) of the line."""
    left = [b for a, b in stripes if a - line.x0 < SLIVER_STEPS * step]
    if not left:
        return line
    box = (max(left), line.y0, line.x1, line.y1)
    if box[2] - box[0] < step:
        return line
    # The text read again is taken only where it is the first reading less a character or
    # two at the cut end (the sliver read as ：): a crop of one line reads a little worse
    # than the page, so the first reading is kept otherwise (the box is cut all the same).
    text, score = recognise(box)
    text = normalise(text).strip()
    kept = line.text.strip()
    shorter = 0 < len(kept) - len(text) <= 2
    if shorter and kept.endswith(text):
        kept, confidence = text, score
    else:
        confidence = line.confidence
    return TextLine(text=kept, box=box, size=size_of(kept, box), confidence=confidence)


def _read_pieces(line, stripes, size_of, recognise):
    """A line cut at blank stripes → its pieces, each read again."""
    bounds = [line.x0] + [edge for stripe in stripes for edge in stripe] + [line.x1]
    pieces = []
    for x0, x1 in zip(bounds[::2], bounds[1::2]):
        box = (x0, line.y0, x1, line.y1)
        text, score = recognise(box)
        text = normalise(text)
        if text.strip():
            pieces.append(TextLine(text=text, box=box, size=size_of(text, box), confidence=score))
    return pieces or [line]


def _recognise(grey, box):
    """The text of one line's box on the straightened scan: (text, confidence)."""
    x0, y0 = max(0, int(round(box[0])) - 2), max(0, int(round(box[1])) - 2)
    x1, y1 = int(round(box[2])) + 2, int(round(box[3])) + 2
    result, _ = engine()(grey[y0:y1, x0:x1], use_det=False, use_cls=False, use_rec=True)
    if not result:
        return "", 0.0
    return result[0][0], float(result[0][1])


def _split_body_line(line, size_of, column, step):
    """A line of body text wider than a column → its pieces, cut at the widest jumps."""
    if line.width <= COLUMN_SLACK * column or line.size > 1.2 * step or not line.chars or len(line.chars) < 4:
        return [line]
    centres = [(box[0] + box[2]) / 2 for box in line.chars]
    steps = [b - a for a, b in zip(centres, centres[1:])]
    usual = sorted(steps)[len(steps) // 2]
    widest = max(range(len(steps)), key=lambda i: steps[i])
    if usual <= 0 or steps[widest] <= NARROW_GUTTER_STEPS * usual:
        return [line]
    pieces = _pieces(line, [widest + 1], size_of)
    if len(pieces) < 2:
        return [line]
    return [part for piece in pieces for part in _split_body_line(piece, size_of, column, step)]


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
    return _pieces(line, cuts, size_of)


def _pieces(line, cuts, size_of):
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


def ink_extent(grey, box, threshold):
    """``box`` narrowed to where its ink is, left and right: the detector's box of a short
    line often reaches a character or more past it (into the gutter or the next column),
    which would put the line in the wrong column. Kept as it is when the ink found is
    narrower than half the box's height (a faint line: less than a character)."""
    import numpy as np

    x0, y0 = max(0, int(round(box[0]))), max(0, int(round(box[1])))
    x1, y1 = int(round(box[2])), int(round(box[3]))
    crop = grey[y0:y1, x0:x1]
    if crop.size == 0:
        return box
    inked = np.nonzero((crop < threshold).sum(axis=0) > max(1, 0.04 * crop.shape[0]))[0]
    if not len(inked) or inked[-1] - inked[0] + 1 < 0.5 * (y1 - y0):
        return box
    return (float(x0 + inked[0]), box[1], float(x0 + inked[-1] + 1), box[3])


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
