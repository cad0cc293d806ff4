"""The page text model both readers produce: lines of text with boxes, in image pixels.

A box is ``(x0, y0, x1, y1)`` with the origin at the page image's top left corner.
``size`` is the line's em (the advance of one Chinese character) in pixels: the font
size for a PDF, measured from the character boxes for a scan. The layout rules compare
sizes and distances in ems, so they hold at any resolution.
"""

from dataclasses import dataclass, field


@dataclass
class TextLine:
    text: str
    box: tuple  # (x0, y0, x1, y1)
    size: float  # em in pixels
    confidence: float = 1.0  # 1.0 for a PDF text layer
    chars: list = None  # one box per character of ``text``, or None
    bold: bool = False
    font: str = ""

    @property
    def x0(self):
        return self.box[0]

    @property
    def y0(self):
        return self.box[1]

    @property
    def x1(self):
        return self.box[2]

    @property
    def y1(self):
        return self.box[3]

    @property
    def width(self):
        return self.box[2] - self.box[0]

    @property
    def height(self):
        return self.box[3] - self.box[1]

    @property
    def center_x(self):
        return (self.box[0] + self.box[2]) / 2

    @property
    def center_y(self):
        return (self.box[1] + self.box[3]) / 2


@dataclass
class PageText:
    """Everything a reader found on one page."""

    width: int  # of the page image, pixels
    height: int
    dpi: float
    source_kind: str  # "pdf" or "scan"
    lines: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # what the reader did: deskew angle, dpi estimate …
    timings: dict = field(default_factory=dict)  # seconds per step (reading, OCR …)


def union(boxes):
    boxes = list(boxes)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def area(box):
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


def intersection(a, b):
    return area((max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])))


def weighted_median(pairs):
    """The value at half the total weight of ``[(value, weight)]`` (0.0 when there are none)."""
    pairs = sorted(pairs)
    total = sum(weight for _, weight in pairs)
    seen = 0
    for value, weight in pairs:
        seen += weight
        if seen * 2 >= total:
            return value
    return 0.0
