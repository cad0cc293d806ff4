"""The checks over the whole tree: what no single file shows.

A daily is read issue by issue, so ``check`` also looks at each issue as a whole:

* two published articles with one address (an error on each, naming the others);
* the same headline twice in one issue (an error on each: 上一篇/下一篇 would show the same
  title twice, and readers cannot tell the two apart in any list);
* per issue, pages without articles (a gap in the page numbers), articles of one date
  with different issue numbers or one page with different page names, a page without its
  lead (``PageOrder: 1``) or with two: warnings;
* dates against the clock: a ``Date`` more than a few days ahead (it would wait that long
  before it is published) or before the paper was founded: warnings.

These work on :class:`Facts`, the few metadata values each file contributes, so that the
build's check cache (:mod:`newsroom.desk.check_cache`) keeps them with each file's
per-file result and runs exactly the same tree checks as ``python -m newsroom check``.
"""

import re
from dataclasses import asdict, dataclass, field
from datetime import date as Date

from newsroom import messages
from newsroom.desk.problems import ERROR, WARNING, say
from newsroom.paper import epaper, release
from newsroom.paper.dates import DateProblem, parse_date

# The metadata lines a tree problem may point at.
FACT_LINES = ("title", "date", "slug", "page", "pageorder", "issue", "pagename")
OTHERS_SHOWN = 3


@dataclass(frozen=True)
class Facts:
    """What the tree checks need from one readable file."""

    path: str
    is_page: bool = False
    draft: bool = False
    title: str = ""
    date: str = ""  # as written
    url: str | None = None  # the address the site gives it (None: a page, a draft, no date)
    page: int | None = None
    pageorder: int | None = None
    issue: str = ""
    pagename: str = ""
    lines: dict = field(default_factory=dict, compare=False)

    def line_of(self, key):
        return self.lines.get(key, 1)

    @property
    def day(self):
        """The issue's date, or None (no usable Date)."""
        try:
            return parse_date(self.date).date()
        except DateProblem:
            return None

    @property
    def in_issue(self):
        """True for an article the issue of its date shows (not a page, not a draft)."""
        return not self.is_page and not self.draft and self.day is not None

    def as_json(self):
        return asdict(self)

    @classmethod
    def from_json(cls, data):
        """The facts as :meth:`as_json` wrote them, or None when they are not in that form."""
        if not isinstance(data, dict) or not isinstance(data.get("path"), str):
            return None
        try:
            facts = cls(**data)
        except TypeError:
            return None
        text_fields = (facts.title, facts.date, facts.issue, facts.pagename)
        if not (all(isinstance(value, str) for value in text_fields) and isinstance(facts.lines, dict)
                and all(value is None or type(value) is int for value in (facts.page, facts.pageorder))
                and (facts.url is None or isinstance(facts.url, str))):
            return None
        return facts


def check_tree(facts, now=None, whole_issues=True):
    """Every tree check over ``facts`` (one per readable file); ``now`` defaults to
    :func:`newsroom.paper.release.now`. ``whole_issues``: the facts hold every article of
    their issues (a folder was checked, not a few files), so a page that none of them is
    on is missing, not merely unchecked."""
    now = now or release.now()
    return [*check_duplicate_urls(facts), *check_duplicate_headlines(facts), *check_issues(facts, whole_issues),
            *check_dates_against_clock(facts, now)]


def _others(group, facts):
    others = [other.path for other in group if other is not facts]
    if len(others) > OTHERS_SHOWN:
        others = others[:OTHERS_SHOWN] + [messages.text("check.and_more", count=len(others) - OTHERS_SHOWN)]
    return ", ".join(others)


def check_duplicate_urls(facts):
    """Two published articles with one URL: an error on each, naming the others."""
    by_url = {}
    for item in facts:
        if item.url:
            by_url.setdefault(item.url, []).append(item)
    problems = []
    for url, group in by_url.items():
        if len(group) > 1:
            for item in group:
                key = "slug" if "slug" in item.lines else "title"
                problems.append(say(item.path, item.line_of(key), ERROR, "check.duplicate_url", url=url,
                                    others=_others(group, item)))
    return problems


def headline_key(title):
    """Headlines that read the same: spaces (half- or full-width) do not count."""
    return re.sub(r"[\s\u3000]+", "", title)


def check_duplicate_headlines(facts):
    """The same headline twice in one issue: an error on each, naming the others. A pair
    that also shares its address is reported once, as the address."""
    by_issue = {}
    for item in facts:
        if item.in_issue and item.title:
            by_issue.setdefault((item.day, headline_key(item.title)), []).append(item)
    problems = []
    for (day, _), group in sorted(by_issue.items(), key=lambda entry: str(entry[0])):
        for item in group:
            others = [other for other in group if other.url != item.url]  # same address: said once, above
            if others:
                problems.append(say(item.path, item.line_of("title"), ERROR, "check.duplicate_headline",
                                    day=day.isoformat(), title=item.title, others=_others([item, *others], item)))
    return problems


def issues_of(facts):
    """The e-paper's issues (:func:`newsroom.paper.epaper.build_issues`) of the articles in
    ``facts``, each record's item its :class:`Facts`: ``(issues, problems)``."""
    records = [epaper.Record(date=item.day, page=item.page, pagename=item.pagename, pageorder=item.pageorder,
                             source=item.path, issue=item.issue, item=item)
               for item in facts if item.in_issue]
    return epaper.build_issues(records)


# Which line an e-paper problem is about.
EPAPER_LINES = {"content.page_name_differs": "pagename", "content.issue_differs": "issue",
                "content.page_below_one": "page"}


def check_issues(facts, whole_issues=True):
    """Per issue: disagreeing issue numbers and page names and, when the facts hold whole
    issues, pages without articles and pages without their lead or with two: warnings at
    the article that shows it."""
    issues, found = issues_of(facts)
    by_path = {item.path: item for item in facts}
    problems = []
    for problem in found:
        item = by_path[problem.source]
        problems.append(say(item.path, item.line_of(EPAPER_LINES.get(problem.code, "date")), WARNING,
                            problem.code, **dict(problem.params)))
    for issue in issues if whole_issues else ():
        problems.extend(_page_gaps(issue))
        for page in issue.pages:
            problems.extend(_leads(issue, page))
    return problems


def _page_gaps(issue):
    numbers = [page.number for page in issue.pages]
    if not numbers:
        return []
    missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
    if not missing:
        return []
    # Said at the first article after the first gap (the page an editor would look at).
    after = next(page for page in issue.pages if page.number > missing[0])
    item = after.records[0].item
    return [say(item.path, item.line_of("page"), WARNING, "check.issue_page_empty", day=issue.date.isoformat(),
                pages="、".join(map(str, missing)), present="、".join(map(str, numbers)))]


def _leads(issue, page):
    leads = [record.item for record in page.records if record.pageorder == 1]
    day = issue.date.isoformat()
    if not leads:
        first = page.records[0].item
        return [say(first.path, first.line_of("page"), WARNING, "check.page_without_lead", day=day,
                    page=page.number, first=first.title)]
    if len(leads) > 1:
        return [say(item.path, item.line_of("pageorder"), WARNING, "check.page_two_leads", day=day,
                    page=page.number, count=len(leads), others=_others(leads, item)) for item in leads]
    return []


def check_dates_against_clock(facts, now):
    """A Date far ahead would wait that long to be published; one before the paper's
    founding is a slip of the year. Warnings: both can be meant."""
    founded, far_ahead = release.calendar()
    problems = []
    for item in facts:
        if item.is_page:
            continue
        due = release.release_time(item.date)
        if due is None:
            continue
        if due > now + far_ahead:
            problems.append(say(item.path, item.line_of("date"), WARNING, "check.date_far_ahead", date=item.date,
                                limit=far_ahead.days))
        elif due < founded:
            problems.append(say(item.path, item.line_of("date"), WARNING, "check.date_before_paper",
                                date=item.date, founded=founded.date().isoformat()))
    return problems


# --- the summary per issue ------------------------------------------------------------


def issue_label(issue):
    if issue.number:
        return messages.text("check.issue_label", date=issue.date.isoformat(), number=issue.number)
    return messages.text("check.issue_label_no_number", date=issue.date.isoformat())


def page_label(page):
    return messages.text("check.page_label", number=page.number, name=page.name).rstrip()


def issue_summaries(facts, days=None, now=None):
    """Lines that sum up each issue: its pages, the articles on each and the lead. ``days``
    (dates) chooses the issues; None: today's and later ones (those being prepared)."""
    now = now or release.now()
    issues, _ = issues_of(facts)
    chosen = [issue for issue in issues
              if (issue.date in days if days is not None else issue.date >= now.date())]
    lines = []
    for issue in chosen:
        items = issue.items
        head = messages.text("check.issue_summary", label=issue_label(issue), pages=len(issue.pages),
                             articles=len(items))
        due = [release.release_time(item.date) for item in items]
        due = [when for when in due if when is not None and when > now]
        if due:
            head += messages.text("check.issue_summary_waiting", due=release.beijing_text(min(due)))
        lines.append(head)
        for page in issue.pages:
            leads = [record.item for record in page.records if record.pageorder == 1]
            if leads:
                lines.append(messages.text("check.issue_summary_page", label=page_label(page), count=len(page.records),
                                           lead=leads[0].title))
            else:
                lines.append(messages.text("check.issue_summary_page_no_lead", label=page_label(page),
                                           count=len(page.records)))
        if issue.online:
            lines.append(messages.text("check.issue_summary_online", count=len(issue.online)))
    return lines


def parse_day(text):
    """``--issue 2024-01-02`` -> a date; ValueError otherwise."""
    return Date.fromisoformat(text.strip())
