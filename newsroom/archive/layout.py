"""A printed page's layout from the geometry of its text lines.

Input: :class:`~newsroom.archive.textlines.PageText` (from a PDF's text layer or from
OCR; the rules do not care which). Output: :class:`PageLayout`: the banner, each
article's kicker, headline, subtitle and paragraphs (crossheads marked), its regions
on the page, and what is doubtful about it, in reading order. The rules, in order
(docs/page-images.md explains each; the numbers live in ``newsroom/data/page_layout.toml``):

1. Fragments of one printed line (OCR splits a headline at a quotation mark) are joined.
2. The body size is the size most characters have; text 1.2× larger is display text.
3. The header (the line with date, page and 责任编辑, and everything above it: the
   masthead) and the footer are set apart, looked for only above the first strip of
   paper across the whole page (below the last, for the footer).
4. Body lines stacked closely in one column form runs; a run that starts just below
   another in the same column with no heading between continues it (after a crosshead).
5. Display lines stacked closely and centred on one another form headings.
6. Runs whose tops align side by side form a row; the headings just above a row share
   its runs between them, each taking a contiguous set centred under it.
7. A run with no heading above continues the article of the run above it.
8. A heading with no text is the banner if it is the first on the page (the text
   importer's rule); any other is reported.
9. In each heading, the largest lines are the headline, those above it the kicker,
   those below it the subtitle (its leading —— dropped).
10. Each article's runs are read column by column, left to right; a line indented by
    two characters starts a paragraph, so a column that starts flush continues the
    paragraph of the column before; a centred line after a blank line is a crosshead.

Nothing here reads files other than the rule data, imports Pelican or the desk.
"""

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

from newsroom import DATA_DIR, messages
from newsroom.archive.textlines import TextLine, area, intersection, union, weighted_median

RULES_PATH = DATA_DIR / "page_layout.toml"
BREAKS_PATH = DATA_DIR / "column_breaks.toml"


@dataclass(frozen=True)
class Rules:
    header_band: float
    band_gap_ems: float
    header_patterns: tuple
    footer_band: float
    footer_patterns: tuple
    display_ratio: float
    headline_share: float
    heading_gap: float
    indent_ems: float
    line_gap_ems: float
    continuation_gap_ems: float
    heading_to_body_ems: float
    subtitle_dash: re.Pattern
    low_confidence: float
    sentence_end: frozenset
    closers: frozenset


@lru_cache(maxsize=1)
def rules():
    with RULES_PATH.open("rb") as handle:
        data = tomllib.load(handle)
    with BREAKS_PATH.open("rb") as handle:
        breaks = tomllib.load(handle)
    return Rules(
        header_band=data["header_band"],
        band_gap_ems=data["band_gap_ems"],
        header_patterns=tuple(re.compile(p) for p in data["header_patterns"]),
        footer_band=data["footer_band"],
        footer_patterns=tuple(re.compile(p) for p in data["footer_patterns"]),
        display_ratio=data["display_ratio"],
        headline_share=data["headline_share"],
        heading_gap=data["heading_gap"],
        indent_ems=data["indent_ems"],
        line_gap_ems=data["line_gap_ems"],
        continuation_gap_ems=data["continuation_gap_ems"],
        heading_to_body_ems=data["heading_to_body_ems"],
        subtitle_dash=re.compile(data["subtitle_dash"]),
        low_confidence=data["low_confidence"],
        sentence_end=frozenset(breaks["sentence_end"]),
        closers=frozenset(breaks["closers"]),
    )


# --- the result ---------------------------------------------------------------------------


@dataclass
class Review:
    """A doubt for the editor: a message id of ``pages.toml``, its parameters, a box."""

    message: str
    params: dict
    box: tuple

    def text(self, lang=None):
        return messages.text(self.message, lang=lang, **self.params)


@dataclass
class LaidParagraph:
    text: str
    lines: list  # indices into PageLayout.lines
    crosshead: bool = False


@dataclass
class LaidArticle:
    title: str = ""
    kicker: str = ""
    subtitle: str = ""
    paragraphs: list = field(default_factory=list)
    heading_lines: list = field(default_factory=list)  # indices, kicker → subtitle
    body_lines: list = field(default_factory=list)  # indices, reading order
    regions: list = field(default_factory=list)  # boxes (x0, y0, x1, y1)
    review: list = field(default_factory=list)

    @property
    def lines(self):
        return self.heading_lines + self.body_lines


@dataclass
class PageLayout:
    lines: list  # the TextLines after joining fragments (indices refer to this list)
    body_size: float
    banner: str = ""
    banner_lines: list = field(default_factory=list)
    header_lines: list = field(default_factory=list)
    footer_lines: list = field(default_factory=list)
    articles: list = field(default_factory=list)
    orphan_lines: list = field(default_factory=list)  # text that belongs to no article
    review: list = field(default_factory=list)  # doubts about the page as a whole

    def reading_order(self):
        """``[(line index, article index or None)]``: header, banner, articles, footer, the rest."""
        order = [(i, None) for i in self.header_lines + self.banner_lines]
        for number, article in enumerate(self.articles):
            order += [(i, number) for i in article.lines]
        order += [(i, None) for i in self.footer_lines + self.orphan_lines]
        return order


# --- geometry helpers ------------------------------------------------------------------------


def _overlap(a0, a1, b0, b1):
    return max(0.0, min(a1, b1) - max(a0, b0))


def _join(left, right):
    """Two pieces of one paragraph or headline: a space only where the page had one, or
    between two Latin words (as the text importer joins)."""
    if not left:
        return right.lstrip()
    if left[-1].isspace():
        return left + right.lstrip()
    if left[-1].isascii() and left[-1].isalnum() and right[:1].isascii() and right[:1].isalnum():
        return f"{left} {right}"
    return left + right


def _median(values):
    values = sorted(values)
    return values[len(values) // 2] if values else 0.0


# --- step 1: fragments -----------------------------------------------------------------------


def join_fragments(lines, display_ratio=1.2):
    """Join pieces of one printed line: same row, similar size, under half an em apart
    between pieces of body text (a word space at most: wider is a gutter, even where an
    OCR box reaches into it). Pieces of display text (a headline OCR split at a quotation
    mark or at the space between its phrases) are compared by the height of their boxes,
    not by their ems: a short piece whose quotation marks are narrow measures small by
    its width. They are one line when they stand side by side less than
    ``DISPLAY_JOIN_GAP`` of their size apart (two headlines of one row stand further
    apart: each is centred over its own columns, at least half a size in from each side,
    with a gutter between), or overlap: the detector's boxes of the two pieces often reach
    into each other at a quotation mark, and a character read twice there is dropped."""
    # Left to right, so that each printed line is built from its leftmost piece on (a piece
    # whose box reaches higher, a quotation mark, may stand right of the line's start).
    lines = sorted(lines, key=lambda l: (l.x0, l.y0))
    body = _body_size(lines)
    column = _column_width(lines, body, display_ratio)
    used = [False] * len(lines)
    result = []
    for i, line in enumerate(lines):
        if used[i]:
            continue
        used[i] = True
        current = line
        while True:
            best = None
            for j in range(len(lines)):
                other = lines[j]
                if used[j] or other.x0 < current.x0:
                    continue
                size = max(current.size, other.size)
                display = size >= display_ratio * body
                similar = abs(current.size - other.size) <= 0.12 * size
                if display and not similar:
                    high = max(current.height, other.height)
                    similar = (abs(current.height - other.height) <= DISPLAY_HEIGHT_DIFFERENCE * high
                               and min(current.size, other.size) >= display_ratio * body)
                if not similar:
                    continue
                if _overlap(current.y0, current.y1, other.y0, other.y1) < 0.6 * min(current.height, other.height):
                    continue
                gap = other.x0 - current.x1
                if display:
                    fits = -DISPLAY_JOIN_OVERLAP * size <= gap < DISPLAY_JOIN_GAP * size
                else:
                    # ... and never wider than a column together: justified text does not
                    # run past its column, so a wider line would have jumped a gutter.
                    fits = (-0.3 * size <= gap < 0.5 * size
                            and (not column or max(current.x1, other.x1) - current.x0 <= COLUMN_SLACK * column))
                if fits and other.x1 > current.x1 and (best is None or other.x0 < lines[best].x0):
                    best = j
            if best is None:
                break
            used[best] = True
            other = _without_repeat(current, lines[best])
            chars = current.chars + other.chars if current.chars and other.chars else None
            current = TextLine(_join(current.text, other.text) if not chars else current.text + other.text,
                               union([current.box, other.box]),
                               (current.size * len(current.text) + other.size * len(other.text))
                               / max(1, len(current.text) + len(other.text)),
                               min(current.confidence, other.confidence), chars, current.bold and other.bold,
                               current.font)
        result.append(current)
    return result


# Display pieces side by side: one line when closer than this (in their size), or
# overlapping by up to this much; their box heights may differ by this share.
DISPLAY_JOIN_GAP = 1.3
DISPLAY_JOIN_OVERLAP = 1.0
DISPLAY_HEIGHT_DIFFERENCE = 0.2


# A line of body text is at most this share wider than the page's usual long body line.
COLUMN_SLACK = 1.05


def _column_width(lines, body, display_ratio):
    """The usual width of a long line of body text (the page's column), or 0 if it has too few."""
    widths = sorted(l.width for l in lines if l.size < display_ratio * body and len(l.text.strip()) >= 8)
    return widths[len(widths) // 2] if len(widths) >= 10 else 0.0


def _without_repeat(left, right):
    """``right`` without the characters at its start that the engine read twice: those
    whose box lies mostly inside the last character's box of ``left`` (a piece of 领 read
    again as 页 where the two pieces' boxes meet)."""
    if not left.chars or not right.chars or right.x0 >= left.x1:
        return right
    last = left.chars[-1]
    drop = 0
    for box in right.chars[:-1]:
        width = box[2] - box[0]
        if width > 0 and _overlap(box[0], box[2], last[0], last[2]) >= 0.6 * width:
            drop += 1
        else:
            break
    if not drop:
        return right
    chars = right.chars[drop:]
    return TextLine(right.text[drop:], (chars[0][0], right.y0, right.x1, right.y1), right.size, right.confidence,
                    chars, right.bold, right.font)


# --- the analysis ------------------------------------------------------------------------------


@dataclass
class _Run:
    """Body lines stacked in one column (a column of one article, or part of one)."""

    lines: list  # indices
    box: tuple
    article: int = None
    continues: "_Run" = None


@dataclass
class _Heading:
    lines: list  # indices, top to bottom
    box: tuple
    runs: list = field(default_factory=list)


def analyse(page_text, rule_set=None):
    """:class:`PageText` → :class:`PageLayout`."""
    r = rule_set or rules()
    lines = join_fragments([l for l in page_text.lines if l.text.strip()], r.display_ratio)
    lines.sort(key=lambda l: (l.y0, l.x0))
    layout = PageLayout(lines=lines, body_size=_body_size(lines))
    if not lines:
        return layout
    em = layout.body_size
    header, footer = _header_footer(lines, page_text.height, em, r)
    layout.header_lines, layout.footer_lines = header, footer
    taken = set(header) | set(footer)
    rest = [i for i in range(len(lines)) if i not in taken]
    display = [i for i in rest if lines[i].size >= r.display_ratio * em]
    body = [i for i in rest if i not in set(display)]

    runs = _runs(lines, body, em, r)
    headings = _headings(lines, display, em, r)
    runs = _merge_continuations(lines, runs, headings, em, r)
    _assign(lines, runs, headings, em, r)

    # Headings without text: the first is the banner, any other is reported.
    with_text = [h for h in headings if h.runs]
    empty = [h for h in headings if not h.runs]
    for heading in empty:
        if not layout.banner and all(heading.box[1] <= h.box[1] for h in headings):
            layout.banner = _heading_text(lines, heading.lines)
            layout.banner_lines = heading.lines
        else:
            layout.orphan_lines += heading.lines
            layout.review.append(Review("pages.review_heading_without_text",
                                        {"text": _heading_text(lines, heading.lines)}, heading.box))
    # Articles in reading order: by the top of their heading, then left to right among
    # headings whose tops are within half an em of the first of them (READING_LEVEL_EMS).
    with_text = _reading_order(with_text, em)
    for number, heading in enumerate(with_text):
        for run in heading.runs:
            run.article = number
    _attach_continuations(lines, runs, with_text, em)
    edges = _column_edges(lines, runs, em)
    for number, heading in enumerate(with_text):
        article = _article(lines, heading, [run for run in runs if run.article == number], em, r, edges)
        layout.articles.append(article)
    for run in runs:
        if run.article is None:
            layout.orphan_lines += run.lines
            layout.review.append(Review("pages.review_orphan_text",
                                        {"text": lines[run.lines[0]].text[:16]}, run.box))
    _regions(layout)
    _review_lines(layout, r)
    return layout


# Headings whose tops differ by less than this (in ems of body text) stand at one level and
# are read left to right: the tops of a kicker and of a headline set from the same line
# differ by a fraction of an em in their ink; an article set a line lower is read after.
READING_LEVEL_EMS = 0.5


def _reading_order(headings, em):
    ordered, rest = [], sorted(headings, key=lambda h: h.box[1])
    while rest:
        level = [h for h in rest if h.box[1] - rest[0].box[1] <= READING_LEVEL_EMS * em]
        ordered += sorted(level, key=lambda h: h.box[0])
        rest = [h for h in rest if h not in level]
    return ordered


def _body_size(lines):
    """The size most characters have (the median size, each line weighted by its characters)."""
    return weighted_median((line.size, len(line.text.strip())) for line in lines)


def _header_footer(lines, page_height, em, r):
    """Indices of header lines (the header line and all above it) and footer lines.

    The header is looked for only in the page's own header band: the lines above the
    first strip of paper, across the whole page, at least ``band_gap_ems`` high (the
    space under the folio line and its rule, which the page's text never bridges); the
    footer likewise below the last such strip. A line of an article that happens to name
    the paper or a date near the top of the page lies below that strip, so it is text."""
    header_band = _top_band(lines, em * r.band_gap_ems)
    footer_band = _bottom_band(lines, em * r.band_gap_ems)
    header_limit = None
    for index in header_band:
        line = lines[index]
        if line.y1 <= r.header_band * page_height and any(p.search(line.text) for p in r.header_patterns):
            header_limit = max(header_limit or 0, line.y1)
    footer_limit = None
    for index in footer_band:
        line = lines[index]
        if line.y0 >= (1 - r.footer_band) * page_height and any(
                p.search(line.text) for p in r.footer_patterns + r.header_patterns):
            footer_limit = min(footer_limit or page_height, line.y0)
    header = [i for i, l in enumerate(lines) if header_limit is not None and l.center_y <= header_limit]
    footer = [i for i, l in enumerate(lines) if footer_limit is not None and l.center_y >= footer_limit]
    return header, footer


def _top_band(lines, gap):
    """Indices of the lines above the first horizontal strip of paper ``gap`` high."""
    order = sorted(range(len(lines)), key=lambda i: lines[i].y0)
    band, bottom = [], None
    for index in order:
        if bottom is not None and lines[index].y0 - bottom >= gap:
            break
        band.append(index)
        bottom = max(bottom if bottom is not None else lines[index].y1, lines[index].y1)
    return band


def _bottom_band(lines, gap):
    """Indices of the lines below the last horizontal strip of paper ``gap`` high."""
    order = sorted(range(len(lines)), key=lambda i: -lines[i].y1)
    band, top = [], None
    for index in order:
        if top is not None and top - lines[index].y1 >= gap:
            break
        band.append(index)
        top = min(top if top is not None else lines[index].y0, lines[index].y0)
    return band


def _runs(lines, body, em, r):
    """Body lines → runs: each line joins the run whose last line is just above it in the same column."""
    runs = []
    for index in sorted(body, key=lambda i: (lines[i].y0, lines[i].x0)):
        line = lines[index]
        best, best_gap = None, None
        for run in runs:
            last = lines[run.lines[-1]]
            gap = line.y0 - last.y1
            if gap < -0.3 * em or gap > r.line_gap_ems * em:
                continue
            if not _same_column(line.box, run.box, em):
                continue
            if best is None or gap < best_gap:
                best, best_gap = run, gap
        if best is None:
            runs.append(_Run([index], line.box))
        else:
            best.lines.append(index)
            best.box = union([best.box, line.box])
    return runs


def _same_column(box, run_box, em):
    """Whether a line (or run) lies in the column of a run: text is set flush left, so
    the left edges agree within an indent, or the right edges agree, or one covers most
    of the other."""
    overlap = _overlap(box[0], box[2], run_box[0], run_box[2])
    if overlap <= 0:
        # A short line under an indented one (a byline's or a paragraph's second line of
        # a character or two, 王 / 一涵, 报 / 道): it starts at the column's edge, up to an
        # indent left of the first line, and ends before the first line starts.
        return 0 < run_box[0] - box[0] <= INDENT_SLACK_EMS * em
    narrower = min(box[2] - box[0], run_box[2] - run_box[0])
    return (abs(box[0] - run_box[0]) <= INDENT_SLACK_EMS * em or abs(box[2] - run_box[2]) <= 0.8 * em
            or overlap >= 0.8 * narrower)


# A paragraph's first line starts two characters in (this many ems allow for a full-width
# space or bracket at its start, or a box narrowed to a character's ink).
INDENT_SLACK_EMS = 2.8


def _headings(lines, display, em, r):
    """Display lines → headings: stacked closely and centred on (or overlapping) each other."""
    headings = []
    for index in sorted(display, key=lambda i: (lines[i].y0, lines[i].x0)):
        line = lines[index]
        placed = False
        for heading in headings:
            last = lines[heading.lines[-1]]
            gap = line.y0 - last.y1
            small = min(line.size, last.size)
            if gap > r.heading_gap * small or gap < -0.5 * small:
                continue
            if small >= 1.6 * em and gap > 0.6 * small:
                continue  # two headline-size lines apart: a banner over a headline, not a wrapped headline
            hx0, hx1 = heading.box[0], heading.box[2]
            centred = abs(line.center_x - (hx0 + hx1) / 2) <= 0.3 * max(line.width, hx1 - hx0) + last.size
            overlapping = _overlap(line.x0, line.x1, hx0, hx1) >= 0.5 * min(line.width, hx1 - hx0)
            if centred or overlapping:
                heading.lines.append(index)
                heading.box = union([heading.box, line.box])
                placed = True
                break
        if not placed:
            headings.append(_Heading([index], line.box))
    return headings


def _between(box_above, box_below, obstacle):
    """Whether ``obstacle`` lies between two boxes stacked in one column."""
    return (obstacle[1] >= box_above[3] - 1 and obstacle[3] <= box_below[1] + 1
            and _overlap(obstacle[0], obstacle[2], box_below[0], box_below[2]) > 0)


def _merge_continuations(lines, runs, headings, em, r):
    """A run that starts just below another in its column, with no heading between,
    continues it (one column of one article, broken by a crosshead or a gap)."""
    runs = sorted(runs, key=lambda run: (run.box[1], run.box[0]))
    merged = []
    for run in runs:
        target = None
        for other in merged:
            gap = run.box[1] - other.box[3]
            if gap < -0.3 * em or gap > r.continuation_gap_ems * em:
                continue
            width = min(run.box[2] - run.box[0], other.box[2] - other.box[0])
            if _overlap(run.box[0], run.box[2], other.box[0], other.box[2]) < 0.6 * width:
                continue
            if abs(run.box[0] - other.box[0]) > 3 * em and abs(run.box[2] - other.box[2]) > 3 * em:
                continue
            if any(_between(other.box, run.box, h.box) for h in headings):
                continue
            if target is None or other.box[3] > target.box[3]:
                target = other
        if target is None:
            merged.append(run)
        else:
            target.lines += run.lines
            target.box = union([target.box, run.box])
    return merged


def _assign(lines, runs, headings, em, r):
    """Share the runs out to the headings just above them (rule 6)."""
    # Rows: runs whose tops align, side by side. Tops within two ems: a column may open
    # with a byline, or with a short last line of a paragraph the detector boxed loosely,
    # that does not stack with the rest; an OCR box may reach into the gutter, so
    # neighbours may overlap by up to an em.
    rows = []
    for run in sorted(runs, key=lambda run: run.box[0]):
        for row in rows:
            last = row[-1]
            if abs(run.box[1] - row[0].box[1]) <= 2.0 * em and -1.0 * em <= run.box[0] - last.box[2] <= ROW_GAP_EMS * em:
                row.append(run)
                break
        else:
            rows.append([run])
    for row in rows:
        x0, x1 = row[0].box[0], row[-1].box[2]
        above = [h for h in headings
                 if any(-0.5 * em <= run.box[1] - h.box[3] <= r.heading_to_body_ems * em for run in row)
                 and (x0 - em <= (h.box[0] + h.box[2]) / 2 <= x1 + em)]
        # Only the lowest heading over each part of the row counts (a heading may sit
        # above another one's kicker when the gap is small).
        above = [h for h in above if not any(o is not h and o.box[1] > h.box[3] - 1
                                             and _overlap(o.box[0], o.box[2], h.box[0], h.box[2]) > 0
                                             for o in above)]
        if not above:
            continue
        above.sort(key=lambda h: h.box[0])
        for heading, part in zip(above, _share(row, above)):
            heading.runs += part


# Runs side by side in a row stand at most this far apart (in ems): a gutter (up to 2.4 ems
# on the generated formats) with room for boxes narrowed to their ink, plus a paragraph's
# indent of two characters, since a column may hold only one indented line (an article's
# last paragraph, 来源：……, alone at the top of its last column).
ROW_GAP_EMS = 5.5


def _share(row, headings):
    """Split the row's runs (left to right) into contiguous parts, one per heading, each
    part centred under its heading (or starting under it, for a left-aligned one)."""
    k = len(headings)
    if k == 1:
        return [row]
    if k >= len(row):
        # More headings than runs: each run goes to the heading nearest its centre.
        parts = [[] for _ in headings]
        for run in row:
            centre = (run.box[0] + run.box[2]) / 2
            best = min(range(k), key=lambda i: abs((headings[i].box[0] + headings[i].box[2]) / 2 - centre))
            parts[best].append(run)
        return parts
    best, best_score = None, None
    for cuts in combinations(range(1, len(row)), k - 1):
        bounds = (0, *cuts, len(row))
        parts = [row[bounds[i]:bounds[i + 1]] for i in range(k)]
        score = 0.0
        for heading, part in zip(headings, parts):
            px0, px1 = part[0].box[0], part[-1].box[2]
            hx0, hx1 = heading.box[0], heading.box[2]
            score += min(abs((px0 + px1) / 2 - (hx0 + hx1) / 2), abs(px0 - hx0))
        if best_score is None or score < best_score:
            best, best_score = parts, score
    return best


def _attach_continuations(lines, runs, headings, em):
    """Runs no heading claimed continue the article of the run just above them in their column."""
    for run in sorted(runs, key=lambda run: run.box[1]):
        if run.article is not None:
            continue
        above = [o for o in runs if o.article is not None and o.box[3] <= run.box[1] + em
                 and _overlap(o.box[0], o.box[2], run.box[0], run.box[2]) >= 0.5 * (run.box[2] - run.box[0])]
        above = [o for o in above if not any(_between(o.box, run.box, h.box) for h in headings)]
        if above:
            run.article = max(above, key=lambda o: o.box[3]).article


def _heading_text(lines, indices):
    text = ""
    for index in indices:
        text = _join(text, lines[index].text)
    return text.strip()


def _article(lines, heading, runs, em, r, edges=()):
    article = LaidArticle(heading_lines=list(heading.lines))
    sizes = [lines[i].size for i in heading.lines]
    biggest = max(sizes)
    title = [i for i in heading.lines if lines[i].size >= r.headline_share * biggest]
    first, last = heading.lines.index(title[0]), heading.lines.index(title[-1])
    article.kicker = _heading_text(lines, heading.lines[:first])
    article.title = _heading_text(lines, heading.lines[first:last + 1])
    article.subtitle = r.subtitle_dash.sub("", _heading_text(lines, heading.lines[last + 1:])).strip()
    # Columns left to right; within a column top to bottom.
    runs.sort(key=lambda run: (round(run.box[0] / (2 * em)), run.box[1]))
    paragraphs = []
    column_breaks = []
    for run in runs:
        run_lines = sorted(run.lines, key=lambda i: lines[i].y0)
        left = _column_left(lines, run_lines, em, edges)
        right = max(lines[i].x1 for i in run_lines)
        previous_bottom = None
        for position, index in enumerate(run_lines):
            line = lines[index]
            article.body_lines.append(index)
            indent = line.x0 - left
            if line.text.lstrip()[:1] in OPENING_MARKS:
                indent -= OPENING_MARK_INK_EMS * em
            right_gap = right - line.x1
            gap_above = line.y0 - previous_bottom if previous_bottom is not None else None
            previous_bottom = line.y1
            centred = indent >= 1.5 * em and right_gap >= 1.5 * em and abs(indent - right_gap) <= 1.5 * em
            if position == 0:
                tops = [o.box[1] for o in runs if o is not run and -3 * em < line.y0 - o.box[1] < 0]
                gap_above = line.y0 - min(tops) if tops else None
            marked = centred or line.size >= 1.06 * em or line.bold and not _mostly_bold(lines, run_lines)
            if marked and gap_above is not None and gap_above > 1.2 * em and position + 1 < len(run_lines):
                paragraphs.append(LaidParagraph(line.text.strip(), [index], crosshead=True))
                continue
            starts = indent >= r.indent_ems * em or not paragraphs or paragraphs[-1].crosshead
            if position == 0 and paragraphs and not paragraphs[-1].crosshead:
                column_breaks.append((len(paragraphs) - 1, starts, line.box))
            if starts:
                paragraphs.append(LaidParagraph(line.text.lstrip(), [index]))
            else:
                paragraph = paragraphs[-1]
                paragraph.text = _join(paragraph.text, line.text)
                paragraph.lines.append(index)
    for paragraph in paragraphs:
        paragraph.text = paragraph.text.strip()
    article.paragraphs = [p for p in paragraphs if p.text]
    # Doubts: a column that opens a paragraph while the one before ends mid-sentence.
    for number, starts, box in column_breaks:
        if starts and number < len(paragraphs) and not _ends_sentence(paragraphs[number].text, r):
            article.review.append(Review("pages.review_column_break",
                                         {"before": paragraphs[number].text[-8:]}, box))
    body = [p for p in article.paragraphs if not p.crosshead]
    if body and not _ends_sentence(body[-1].text, r):
        last_line = lines[body[-1].lines[-1]]
        article.review.append(Review("pages.review_ends_mid_sentence", {"tail": body[-1].text[-8:]},
                                     last_line.box))
    if not body:
        article.review.append(Review("pages.review_no_body", {}, heading.box))
    return article


# An opening bracket or quotation mark's ink lies in the right half of its em, so on a scan
# (boxes narrowed to ink) a flush line that opens with one starts up to 1.4 ems in (《工会…,
# a thin stroke the ink measure may miss): it counts half an em less. A paragraph that opens
# with one still starts 1.5 ems in or more (a PDF's boxes are the characters' em boxes).
OPENING_MARKS = frozenset("（《「『“‘〈【(")
OPENING_MARK_INK_EMS = 0.5


def _mostly_bold(lines, indices):
    return sum(lines[i].bold for i in indices) * 2 > len(indices)


def _column_left(lines, run_lines, em, edges=()):
    """The left edge of a run's column: where its flush lines start (an indented first
    line or a crosshead says nothing about it). A column of one line says nothing either
    (the 来源：…… that ends an article, alone at the top of its last column): its column
    starts at the page's column edge up to an indent left of it, if there is one."""
    starts = sorted(lines[i].x0 for i in run_lines)
    if len(run_lines) >= 2:
        return _median(_flush_starts(starts, em, edges))
    near = [edge for edge, count in edges if starts[0] - INDENT_SLACK_EMS * em <= edge <= starts[0] - 0.5 * em]
    return max(near, key=lambda edge: dict(edges)[edge]) if near else starts[0]


def _flush_starts(starts, em, edges=()):
    """Of a column's line starts (sorted), those of its flush lines: the leftmost starts
    (within half an em) that at least half as many lines share as the most shared start,
    counting the lines of the page's other columns that start there too (``edges``). Not
    simply the leftmost: an OCR box that reaches into the gutter (a stray mark read as ：,
    or a short line's box taking in the gutter) would make every other line of the column
    look indented."""
    support = [sum(abs(x - other) <= 0.5 * em for other in starts)
               + sum(count for edge, count in edges if abs(x - edge) <= 0.5 * em) for x in starts]
    enough = max(support) / 2
    first = next(x for x, count in zip(starts, support) if count >= enough)
    return [x for x in starts if first <= x <= first + 0.5 * em]


def _column_edges(lines, runs, em):
    """Where the page's columns start: ``[(x, how many lines start there)]``, from the
    flush lines of runs of three lines or more (starts within half an em are one edge)."""
    starts = []
    for run in runs:
        if len(run.lines) >= 3:
            starts += _flush_starts(sorted(lines[i].x0 for i in run.lines), em)
    groups = []
    for x in sorted(starts):
        if groups and x - groups[-1][-1] <= 0.5 * em:
            groups[-1].append(x)
        else:
            groups.append([x])
    return [(_median(group), len(group)) for group in groups]


def _ends_sentence(text, r):
    stripped = text.rstrip()
    while stripped and stripped[-1] in r.closers:
        stripped = stripped[:-1]
    return bool(stripped) and stripped[-1] in r.sentence_end


def _regions(layout):
    """Each article's regions: as few rectangles as cover its lines and no other text."""
    lines = layout.lines
    owner = {}
    for number, article in enumerate(layout.articles):
        for index in article.lines:
            owner[index] = number
    for number, article in enumerate(layout.articles):
        if not article.lines:
            continue
        foreign = [lines[i].box for i in range(len(lines)) if owner.get(i) != number]
        pieces = [union([lines[i].box for i in group]) for group in _blocks_of(lines, article)]
        article.regions = _merge_rectangles(pieces, foreign)


def _blocks_of(lines, article):
    """The article's heading, then each stretch of its body lines in one column."""
    groups = [list(article.heading_lines)] if article.heading_lines else []
    current = []
    for index in article.body_lines:
        if current and lines[index].y0 < lines[current[-1]].y0:  # a new column
            groups.append(current)
            current = []
        current.append(index)
    if current:
        groups.append(current)
    return groups


def _merge_rectangles(pieces, foreign):
    def clean(box):
        return all(intersection(box, other) <= 0.2 * area(other) for other in foreign)

    pieces = list(pieces)
    changed = True
    while changed and len(pieces) > 1:
        changed = False
        best = None
        for i in range(len(pieces)):
            for j in range(i + 1, len(pieces)):
                joined = union([pieces[i], pieces[j]])
                if clean(joined):
                    waste = area(joined) - area(pieces[i]) - area(pieces[j])
                    if best is None or waste < best[0]:
                        best = (waste, i, j, joined)
        if best:
            _, i, j, joined = best
            pieces = [p for k, p in enumerate(pieces) if k not in (i, j)] + [joined]
            changed = True
    return sorted(pieces, key=lambda b: (b[1], b[0]))


def _review_lines(layout, r):
    """Lines the OCR engine was unsure of, on the article they belong to."""
    for article in layout.articles:
        for index in article.lines:
            line = layout.lines[index]
            if line.confidence < r.low_confidence:
                article.review.append(Review("pages.review_low_confidence",
                                             {"confidence": f"{line.confidence:.0%}", "text": line.text.strip()},
                                             line.box))
