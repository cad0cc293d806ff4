"""The archive catalogue: one record per published article, as CSV and as JSON.

Archivists download it from the site's ``/catalogue/`` page to sort, count and cite the
back catalogue in a spreadsheet or a script. This module knows nothing of Pelican: the
catalogue plugin turns each article into a :class:`Record` and writes the text that
:func:`to_csv` and :func:`to_json` return, as UTF-8.

Both files are reproducible (the same articles give the same bytes: no build time in
them) and list the articles oldest first, in the e-paper's reading order within a day.
"""

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field

CATALOGUE_VERSION = 1

# (key, CSV column, what it holds). JSON uses the keys; the CSV, opened by archivists in a
# spreadsheet, has the Chinese column names; /catalogue/ shows the third item to readers.
FIELDS = (
    ("url", "网址", "报道的永久网址，可直接引用"),
    ("date", "日期", "刊发日期（北京时间），格式为 年-月-日"),
    ("kicker", "引题", "主标题上方的引题"),
    ("title", "主题", "主标题"),
    ("subtitle", "副题", "主标题下方的副题"),
    ("issue", "期号", "报纸期号"),
    ("page", "版次", "见报版次；仅在网站发表的报道为空"),
    ("page_name", "版名", "见报版面的名称"),
    ("district", "区", "报道所涉的区，或“全市”"),
    ("reporters", "记者", "记者姓名"),
    ("correspondents", "通讯员", "通讯员姓名"),
    ("topics", "专题", "报道所属的专题"),
    ("keywords", "关键词", "关键词，编辑所加的在前"),
    ("summary", "摘要", "列表中显示的摘要"),
    ("citation", "引用格式", "引用本文时可直接复制的一行"),
    ("citation_gbt7714", "GB/T 7714 著录", "按 GB/T 7714—2015 著录的一行；仅在网站发表的报道须把“引用日期”换成查阅当天的日期"),
    ("corrections", "更正", "对本文的更正，最近的在前"),
    ("photo", "题图", "报道题图的永久网址（宽度不超过1200像素的JPEG，已去除拍摄位置等全部元数据）"),
    ("photo_credit", "题图署名", "题图的署名，如“本报记者 白莹 摄”“资料图片”"),
)
LIST_FIELDS = frozenset({"reporters", "correspondents", "topics", "keywords", "corrections"})
# Joins a list in one CSV cell: the Chinese enumeration comma, which names, topic names
# and keywords do not contain (split_list splits them on it); a correction is free text
# that may, so corrections go one per line within their cell.
CSV_LIST_SEPARATOR = "、"
CSV_LIST_SEPARATORS = {"corrections": "\n"}
# A cell starting with one of these is read as a formula by spreadsheets (CSV injection);
# metadata is untrusted text, so such a cell gets a leading apostrophe and every cell is
# quoted (OWASP's advice).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Record:
    """One published article in the catalogue; lists are tuples of strings."""

    url: str
    date: str
    title: str
    kicker: str = ""
    subtitle: str = ""
    issue: str = ""
    page: int | None = None
    page_name: str = ""
    district: str = ""
    reporters: tuple = ()
    correspondents: tuple = ()
    topics: tuple = ()
    keywords: tuple = ()
    summary: str = ""
    citation: str = ""
    citation_gbt7714: str = ""
    corrections: tuple = ()
    photo: str = ""
    photo_credit: str = ""
    # Place in the e-paper's reading order of its day's issue (1 = the front page's lead).
    position: int | None = field(default=None, compare=False)

    def as_dict(self):
        """The record as JSON gives it: every field in :data:`FIELDS`, lists as lists."""
        return {key: list(getattr(self, key)) if key in LIST_FIELDS else getattr(self, key) for key, _, _ in FIELDS}


def catalogue_order(records):
    """Oldest first; within a day, the e-paper's reading order (printed pages in page
    order, then online-only news); records without a place last, by URL."""
    def key(record):
        placed = record.position is not None
        return (record.date, not placed, record.position if placed else 0, record.url)

    return sorted(records, key=key)


def csv_cell(value, separator=CSV_LIST_SEPARATOR):
    """The text of one CSV cell: lists joined, empty for None, formulas defused."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = separator.join(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_row(values):
    """``{key: value}`` (a record's :meth:`Record.as_dict`) as the CSV's cells, in column order."""
    return [csv_cell(values[key], CSV_LIST_SEPARATORS.get(key, CSV_LIST_SEPARATOR)) for key, _, _ in FIELDS]


def csv_text(cells):
    """One CSV row of ``cells``: every cell quoted, CRLF at the end (RFC 4180). A CSV
    writer keeps nothing from one row to the next, so a file is its rows' texts joined."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL).writerow(cells)
    return buffer.getvalue()


def csv_line(record):
    """A record's row of the CSV file (:func:`to_csv`)."""
    return csv_text(csv_row(record.as_dict()))


def json_line(record):
    """A record's line of the JSON file (:func:`to_json`), without the comma."""
    return json.dumps(record.as_dict(), ensure_ascii=False, separators=(",", ":"))


def to_csv(records, line=csv_line):
    """The catalogue as CSV text, to be saved as UTF-8: it starts with a byte-order mark
    (so that spreadsheets read the Chinese right), has CRLF line ends (RFC 4180), one
    header row, and every cell quoted. ``line(record)``: a record's row (the build passes
    one that remembers the rows of the last build; it must equal :func:`csv_line`)."""
    return "\ufeff" + csv_text([column for _, column, _ in FIELDS]) + "".join(map(line, records))


def to_json(records, site_name="", line=json_line):
    """The catalogue as JSON text: an object with ``articles``, one per line.
    ``line(record)``: a record's line (as for :func:`to_csv`, it must equal :func:`json_line`)."""
    head = json.dumps({"version": CATALOGUE_VERSION, "site": site_name, "count": len(records),
                       "fields": [key for key, _, _ in FIELDS]}, ensure_ascii=False, separators=(",", ":"))
    lines = [line(record) for record in records]
    body = ",\n".join(lines)
    return f'{head[:-1]},"articles":[\n{body}\n]}}\n'


def counts_by_year(records):
    """``[(year, number of articles)]``, newest year first."""
    counts = Counter(record.date[:4] for record in records)
    return sorted(counts.items(), reverse=True)


def size_label(size):
    """A file size as readers read it: 980 B, 12.5 KB, 3.4 MB."""
    if size < 1000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{size / 1000:.1f} KB"
    return f"{size / 1_000_000:.1f} MB"


def text_of_html(markup):
    """The text of an HTML fragment (a summary: the reader's is escaped text, an editor's
    ``Summary:`` is rendered Markdown), entities decoded."""
    import lxml.html

    if not markup or not markup.strip():
        return ""
    return lxml.html.fragment_fromstring(markup, create_parent="div").text_content().strip()
