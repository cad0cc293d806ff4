"""Geometry for small static bar charts, drawn as SVG by a template at build time.

Only numbers and positions are computed here; the template
(``theme/templates/partials/bar_chart.html``) writes the SVG, so labels that come from
article metadata are escaped by Jinja like any other text.
"""

from dataclasses import dataclass

from newsroom.text.slugs import pinyin_slug, save_pinyin_memo

FONT_SIZE = 14  # px; one CJK character is about one em wide
ROW_HEIGHT = 26
BAR_HEIGHT = 18
BAR_AREA = 300  # px for the longest bar
GAP = 8
VALUE_WIDTH = 40  # room for the number after the longest bar


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int  # top of the bar
    width: int
    text_y: int  # baseline of the label and the value


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: tuple
    width: int
    height: int
    label_width: int  # bars start here
    bar_height: int = BAR_HEIGHT

    @property
    def total(self):
        return sum(bar.value for bar in self.bars)


def label_width(label):
    """Approximate rendered width: wide (CJK) characters one em, others half."""
    return sum(FONT_SIZE if ord(char) > 0x2E7F else FONT_SIZE // 2 + 1 for char in str(label))


def bar_chart(title, rows):
    """A horizontal bar chart of ``rows`` (``(label, count)`` pairs, drawn in that order)."""
    rows = [(str(label), int(count)) for label, count in rows]
    labels = max((label_width(label) for label, _ in rows), default=0) + GAP
    largest = max((count for _, count in rows), default=0)
    bars = []
    for index, (label, count) in enumerate(rows):
        top = index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2
        width = round(BAR_AREA * count / largest) if largest else 0
        bars.append(Bar(label, count, top, max(width, 1 if count else 0), top + BAR_HEIGHT - 4))
    return BarChart(
        title=title,
        bars=tuple(bars),
        width=labels + BAR_AREA + GAP + VALUE_WIDTH,
        height=max(len(rows), 1) * ROW_HEIGHT,
        label_width=labels,
    )


def count_rows(values, by_count=False):
    """``[(value, how many)]`` sorted by value, or by count (largest first) then value.

    Ties by count are in pinyin order (昌平区, 朝阳区, 丰台区 ...), as a Chinese reader
    expects a list of places, not in code-point order (丰台区 before 全市 before 平谷区).
    """
    counts = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    if by_count:
        rows = sorted(counts.items(), key=lambda item: (-item[1], pinyin_slug(str(item[0])), item[0]))
        save_pinyin_memo()
        return rows
    return sorted(counts.items())
