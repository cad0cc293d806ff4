"""epaper: the newspaper by issue and page (电子版), and the calendar archive (往期回顾).

A Generator (from ``get_generators``) that, once the articles are read, groups them
with :mod:`newsroom.paper.epaper` and writes

* ``epaper/`` — the index of years and a link to the latest issue;
* ``epaper/YYYY/`` — a year's calendar, twelve month grids, days with an issue linked;
* ``epaper/YYYY-MM-DD/`` — an issue: its pages in order with their articles, then
  online-only news;
* ``epaper/YYYY-MM-DD/NN/`` — one page with 上一版/下一版 and the neighbouring issues.

It attaches ``article.epaper`` (an :class:`ArticleEpaper`) to every published article
and puts ``epaper_issues`` and ``epaper_front`` (the latest printed issue) into the
shared template context, so the home page can show the latest front page.

Settings: ``EPAPER_PAPER_NAME`` — the paper's name in citations (default: SITENAME).
"""

import logging
import os
from dataclasses import dataclass

from pelican import signals
from pelican.generators import Generator

from newsroom.build import renderdeps
from newsroom.paper import epaper
from newsroom.paper.permalinks import permalink

logger = logging.getLogger(__name__)

# Issues link to their neighbours and pages to their articles: compared by value, one
# issue would stand for the whole chain of issues. Tracked, a page depends on what it
# reads of an issue (newsroom.build.renderdeps).
renderdeps.track(epaper.Issue, lambda issue: f"epaper-issue:{issue.date.isoformat()}")
renderdeps.track(epaper.PrintPage, lambda page: f"epaper-page:{page.date.isoformat()}:{page.number}")


@dataclass(frozen=True)
class ArticleEpaper:
    """What an article page shows about the print edition (``article.epaper``)."""

    issue: epaper.Issue
    page: epaper.PrintPage | None  # None: online-only
    previous: object  # the previous Article in the issue's reading order, or None
    next: object
    position: int
    total: int
    citation: str
    citation_gbt7714: str = ""  # the same as a GB/T 7714-2015 reference

    @property
    def issue_url(self):
        return self.issue.url

    @property
    def page_url(self):
        return self.page.url if self.page else None

    @property
    def page_label(self):
        return self.page.label if self.page else "网络专稿"


def paper_name(settings):
    name = settings.get("EPAPER_PAPER_NAME") or settings.get("SITENAME", "")
    if not isinstance(name, str) or not name.strip():
        raise ValueError("epaper: EPAPER_PAPER_NAME (or SITENAME) must be the paper's name, e.g. '北京工会日报'")
    return name.strip()


def record_of(article):
    """The e-paper's view of one Pelican article."""
    return epaper.Record(
        date=article.date.date(),
        page=getattr(article, "page", None),
        pagename=getattr(article, "pagename", "") or "",
        pageorder=getattr(article, "pageorder", None),
        source=article.relative_source_path or os.path.basename(article.source_path),
        issue=str(getattr(article, "issue", "") or ""),
        item=article,
    )


class EpaperGenerator(Generator):
    """Builds the issues from the published articles and writes the e-paper pages."""

    def generate_context(self):
        articles = self.context.get("articles") or []
        name = paper_name(self.settings)
        self.issues, problems = epaper.build_issues([record_of(a) for a in articles])
        for problem in problems:
            logger.warning("epaper: %s", problem)
        for issue in self.issues:
            for place in epaper.placements(issue):
                article = place.record.item
                url = permalink(self.settings.get("SITE_PERMALINK_BASE", ""), article.url)
                article.epaper = ArticleEpaper(
                    issue=issue,
                    page=place.page,
                    previous=place.previous.item if place.previous else None,
                    next=place.next.item if place.next else None,
                    position=place.position,
                    total=place.total,
                    citation=epaper.citation(name, issue.date, place.record.page if place.page else None,
                                             str(article.title), url),
                    citation_gbt7714=epaper.citation_gbt7714(
                        name, issue.date, place.record.page if place.page else None, str(article.title), url,
                        # The byline's people, reporters first: a story by correspondents
                        # alone is theirs.
                        [str(name) for name in (*(getattr(article, "authors", None) or ()),
                                                *(getattr(article, "correspondents", None) or ()))]),
                )
        self.context["epaper_issues"] = self.issues
        self.context["epaper_front"] = epaper.latest_print_issue(self.issues)
        # For the date index pages (period_archives.html): each year's calendar.
        self.context["epaper_year_urls"] = {year: epaper.YEAR_URL.format(year=year)
                                            for year, _ in epaper.years(self.issues)}
        logger.info("epaper: %d issues, %d printed pages", len(self.issues),
                    sum(len(i.pages) for i in self.issues))

    def _write(self, writer, url, template, **local):
        writer.write_file(url + "index.html", self.get_template(template), self.context,
                          relative_urls=self.settings.get("RELATIVE_URLS", False), url=url, **local)

    def generate_output(self, writer):
        if not self.issues:
            logger.info("epaper: no articles, no e-paper pages")
            return
        year_list = epaper.years(self.issues)
        self._write(writer, epaper.EPAPER_URL, "epaper_index", epaper_years=year_list,
                    epaper_latest=self.issues[-1], epaper_recent=self.issues[::-1][:12])
        known = [year for year, _ in sorted(year_list)]
        for index, year in enumerate(known):
            self._write(writer, epaper.YEAR_URL.format(year=year), "epaper_year",
                        year=year, months=epaper.year_calendar(year, self.issues),
                        year_urls={y: epaper.YEAR_URL.format(year=y) for y in known},
                        previous_year=known[index - 1] if index > 0 else None,
                        next_year=known[index + 1] if index + 1 < len(known) else None,
                        weekday_headers=epaper.WEEKDAY_HEADERS)
        for issue in self.issues:
            self._write(writer, issue.url, "epaper_issue", issue=issue,
                        year_url=epaper.YEAR_URL.format(year=issue.date.year))
            for page in issue.pages:
                previous_page, next_page = issue.neighbours(page)
                self._write(writer, page.url, "epaper_page", issue=issue, print_page=page,
                            previous_page=previous_page, next_page=next_page)


def get_generators(pelican):
    return EpaperGenerator


def register():
    signals.get_generators.connect(get_generators)
