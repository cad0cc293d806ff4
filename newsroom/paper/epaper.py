"""The printed newspaper's structure: issues, pages (版面), reading order, calendar.

Pure functions over simple records, no Pelican: the ``epaper`` plugin turns articles
into :class:`Record` objects, calls :func:`build_issues`, and renders what comes back.

Rules (documented for editors in ``docs/epaper.md``):

* one issue per publication date; its number is the ``Issue`` field its printed
  articles carry (the most common one if they disagree, which is reported);
* a page is every article of that date with the same ``Page`` number; its name is the
  first non-empty ``PageName`` in reading order (disagreements are reported);
* reading order on a page: ``PageOrder`` ascending (articles without one come after
  those with one), then the source file name;
* articles without ``Page`` are online-only (网络专稿): they belong to the date's issue,
  after the printed pages, in the same order rule;
* the article chain of an issue (上一篇/下一篇) runs through page 1, page 2, … and then
  the online-only articles.
"""

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date as Date

from newsroom import messages

WEEKDAY_HEADERS = "一二三四五六日"  # Monday first, as Chinese calendars print it
CLOSING_PUNCTUATION = "。！？…”’」』）)!?."

# The URL scheme (fixed by the site architecture); relative to SITEURL, no leading slash.
EPAPER_URL = "epaper/"
YEAR_URL = "epaper/{year}/"
ISSUE_URL = "epaper/{date:%Y-%m-%d}/"
PAGE_URL = "epaper/{date:%Y-%m-%d}/{page:02d}/"


@dataclass(frozen=True)
class Record:
    """One article as the e-paper sees it. ``item`` is the caller's object, handed back."""

    date: Date
    page: int | None = None
    pagename: str = ""
    pageorder: int | None = None
    source: str = ""
    issue: str = ""
    item: object = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Problem:
    """Something an editor should fix; ``source`` names the article file."""

    source: str
    message: str
    fix: str = ""
    code: str = ""  # the message's id in the table, and its values (pairs)
    params: tuple = ()

    @classmethod
    def of(cls, source, message_id, /, **params):
        return cls(source, *messages.problem(message_id, **params), code=message_id, params=tuple(params.items()))

    def __str__(self):
        return f"{self.source}: {self.message}" + (f" — {self.fix}" if self.fix else "")


@dataclass(eq=False)
class PrintPage:
    """One printed page (版面) of an issue."""

    date: Date
    number: int
    name: str
    records: list

    @property
    def label(self):
        """第01版 要闻"""
        return page_label(self.number, self.name)

    @property
    def url(self):
        return PAGE_URL.format(date=self.date, page=self.number)

    @property
    def items(self):
        return [r.item for r in self.records]


@dataclass(eq=False)
class Issue:
    """Everything published on one date: printed pages in order, then online-only news."""

    date: Date
    number: str
    pages: list
    online: list
    previous: "Issue | None" = field(default=None, repr=False)
    next: "Issue | None" = field(default=None, repr=False)

    @property
    def url(self):
        return ISSUE_URL.format(date=self.date)

    @property
    def in_print(self):
        return bool(self.pages)

    @property
    def label(self):
        """2024年1月2日 第8123期 (or 网络版 when nothing was printed that day)."""
        if self.number:
            return f"{cn_date(self.date)} 第{self.number}期"
        return f"{cn_date(self.date)} {'' if self.in_print else '网络版'}".strip()

    @property
    def records(self):
        """The issue's reading order: page 1, page 2, …, then online-only articles."""
        return [r for page in self.pages for r in page.records] + list(self.online)

    @property
    def items(self):
        return [r.item for r in self.records]

    @property
    def online_items(self):
        return [r.item for r in self.online]

    def page(self, number):
        return next((p for p in self.pages if p.number == number), None)

    def neighbours(self, page):
        """(previous page, next page) of ``page`` within this issue."""
        return adjacent(self.pages, page)


@dataclass(frozen=True)
class Placement:
    """Where one article sits: its issue, its page (None online), its neighbours."""

    record: Record
    issue: Issue
    page: PrintPage | None
    previous: Record | None
    next: Record | None
    position: int  # 1-based within the issue's reading order
    total: int


@dataclass(frozen=True)
class Day:
    """A calendar cell: a day of the month and the issue published on it, if any."""

    date: Date
    issue: Issue | None = None


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    weeks: list  # lists of 7 cells, Monday first; a cell is a Day or None outside the month

    @property
    def issue_count(self):
        return sum(1 for week in self.weeks for day in week if day and day.issue)

    @property
    def caption(self):
        return f"{self.year}年{self.month}月"


def cn_date(value):
    """2024-01-02 -> 2024年1月2日"""
    return f"{value.year}年{value.month}月{value.day}日"


def page_label(number, name=""):
    """(1, 要闻) -> 第01版 要闻"""
    label = f"第{int(number):02d}版"
    return f"{label} {name}" if name else label


def reading_key(record):
    """Order on a page: PageOrder first (missing ones last), then the source file name."""
    return (record.pageorder is None, record.pageorder or 0, record.source)


def newest_first(article):
    """Sort key for the site's lists (``ARTICLE_ORDER_BY``): the newest day first, and
    within a day the e-paper's reading order: printed pages in page order, each by
    ``PageOrder`` (missing ones last), then online-only news, the latest first. Works on
    anything with ``date`` and, optionally, ``page``, ``pageorder`` and ``source_path``."""
    page = getattr(article, "page", None)
    printed = isinstance(page, int) and page >= 1
    order = getattr(article, "pageorder", None)
    when = article.date
    seconds = when.hour * 3600 + when.minute * 60 + when.second
    return (-when.toordinal(), not printed, page if printed else 0, order is None, order or 0,
            0 if printed else -seconds, getattr(article, "source_path", "") or "")


def adjacent(sequence, item):
    """(previous, next) of ``item`` in ``sequence`` by identity; None at the ends."""
    for index, candidate in enumerate(sequence):
        if candidate is item:
            before = sequence[index - 1] if index > 0 else None
            after = sequence[index + 1] if index + 1 < len(sequence) else None
            return before, after
    raise ValueError("item is not in the sequence")


def build_issues(records):
    """Group records into issues, oldest first. Returns ``(issues, problems)``.

    A record with a page number below 1 is reported and listed with the online-only
    news, so that nothing is dropped from the e-paper.
    """
    problems = []
    by_date = {}
    for record in records:
        by_date.setdefault(record.date, []).append(record)

    issues = []
    for day in sorted(by_date):
        printed, online = {}, []
        for record in sorted(by_date[day], key=reading_key):
            if record.page is not None and record.page < 1:
                problems.append(Problem.of(record.source, "content.page_below_one", page=record.page))
                online.append(record)
            elif record.page is None:
                online.append(record)
            else:
                printed.setdefault(record.page, []).append(record)
        pages = [_print_page(day, number, printed[number], problems) for number in sorted(printed)]
        issue = Issue(date=day, number=_issue_number(day, pages, online, problems), pages=pages, online=online)
        issues.append(issue)

    for before, after in zip(issues, issues[1:]):
        before.next, after.previous = after, before
    return issues, problems


def _print_page(day, number, records, problems):
    names = [r.pagename for r in records if r.pagename]
    name = names[0] if names else ""
    for record in records:
        if record.pagename and record.pagename != name:
            problems.append(Problem.of(record.source, "content.page_name_differs", name=repr(record.pagename),
                                       expected=name, page=number, day=day.isoformat()))
    return PrintPage(date=day, number=number, name=name, records=records)


def _issue_number(day, pages, online, problems):
    """The number most printed articles carry; online-only ones count when none do."""
    printed = [r for page in pages for r in page.records if r.issue]
    given = printed or [r for r in online if r.issue]
    if not given:
        return ""
    counts = Counter(r.issue for r in given)
    best = max(counts.values())
    number = next(r.issue for r in given if counts[r.issue] == best)  # ties: reading order
    for record in given:
        if record.issue != number:
            problems.append(Problem.of(record.source, "content.issue_differs", issue=repr(record.issue),
                                       expected=number, day=day.isoformat()))
    return number


def placements(issue):
    """A :class:`Placement` for every record of ``issue``, in reading order."""
    page_of = {id(r): page for page in issue.pages for r in page.records}
    sequence = issue.records
    result = []
    for index, record in enumerate(sequence):
        result.append(Placement(
            record=record,
            issue=issue,
            page=page_of.get(id(record)),
            previous=sequence[index - 1] if index > 0 else None,
            next=sequence[index + 1] if index + 1 < len(sequence) else None,
            position=index + 1,
            total=len(sequence),
        ))
    return result


def latest_print_issue(issues):
    """The newest issue that has printed pages (the home page shows its front page)."""
    return next((issue for issue in reversed(issues) if issue.in_print), None)


def years(issues):
    """[(year, number of issues)], newest year first."""
    counts = Counter(issue.date.year for issue in issues)
    return sorted(counts.items(), reverse=True)


def year_calendar(year, issues):
    """Twelve :class:`Month` grids for ``year``; days with an issue carry it."""
    by_date = {issue.date: issue for issue in issues if issue.date.year == year}
    weeks_of = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar
    months = []
    for month in range(1, 13):
        weeks = [
            [Day(d, by_date.get(d)) if d.month == month else None for d in week]
            for week in weeks_of(year, month)
        ]
        months.append(Month(year=year, month=month, weeks=weeks))
    return months


def citation(paper, day, page, headline, url):
    """The line archivists copy.

    ``《北京工会日报》2024年1月2日 第1版：标题。https://…/``; online-only news reads
    ``《北京工会日报》网络版 2024年1月2日：标题。https://…/``. No full stop is added
    after a headline that already ends in closing punctuation (？！…).
    """
    where = f"{cn_date(day)} 第{int(page)}版" if page else f"网络版 {cn_date(day)}"
    headline = headline.strip()
    stop = "" if headline.endswith(tuple(CLOSING_PUNCTUATION)) else "。"
    return f"《{paper}》{where}：{headline}{stop}{url}"


GBT_ACCESS_DATE = "[引用日期]"  # GB/T 7714 wants the date the reader consulted an online source


def citation_gbt7714(paper, day, page, headline, url, authors=()):
    """The same article as a GB/T 7714-2015 reference (报纸析出文献).

    ``白莹, 马超. 标题[N]. 北京工会日报, 2024-01-02(1).``; online-only news is an electronic
    resource, ``标题[N/OL]. 北京工会日报, 2024-01-02[引用日期]. https://…/``, where the
    reader puts the date they consulted it in place of 引用日期. Up to three authors,
    then 等; no author, the headline first.
    """
    names = [name.strip() for name in authors if name.strip()]
    who = ", ".join(names[:3]) + (", 等" if len(names) > 3 else "")
    lead = f"{who}. " if who else ""
    headline = headline.strip()
    if page:
        return f"{lead}{headline}[N]. {paper}, {day.isoformat()}({int(page)})."
    return f"{lead}{headline}[N/OL]. {paper}, {day.isoformat()}{GBT_ACCESS_DATE}. {url}"
