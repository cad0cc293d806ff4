"""site_extras: Chinese date filters, schema.org JSON-LD and a reproducible sitemap.

The PyPI sitemap plugin stamps index pages with the build time, which would make two
builds of the same content differ; here every ``lastmod`` comes from the content.
"""

import logging
import os
from datetime import datetime, timezone
from urllib.parse import urlparse
from xml.sax.saxutils import escape

from pelican import contents, signals

logger = logging.getLogger(__name__)

WEEKDAYS = "一二三四五六日"


def cn_date(value):
    """2024-01-02 -> 2024年1月2日"""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def cn_weekday(value):
    return f"星期{WEEKDAYS[value.weekday()]}" if value else ""


def page_label(page, page_name=""):
    """(1, 要闻) -> 第01版 要闻"""
    if page is None or page == "":
        return page_name or ""
    label = f"第{int(page):02d}版"
    return f"{label} {page_name}" if page_name else label


def most_first(groups):
    """(name, articles) pairs, most articles first; equal counts by slug, so the order is stable."""
    return sorted(groups, key=lambda pair: (-len(pair[1]), getattr(pair[0], "slug", str(pair[0]))))


def permalink(settings, url):
    return f"{settings.get('SITE_PERMALINK_BASE', '').rstrip('/')}/{url}"


def news_article_jsonld(article):
    """schema.org NewsArticle for an article page (rendered with ``|tojson``)."""
    settings = article.settings
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": str(article.title),
        "datePublished": article.date.isoformat(),
        "url": permalink(settings, article.url),
        "inLanguage": "zh-CN",
        "publisher": {"@type": "Organization", "name": settings.get("SITENAME", "")},
    }
    alternative = [t for t in (getattr(article, "kicker", ""), getattr(article, "subtitle", "")) if t]
    if alternative:
        data["alternativeHeadline"] = " ".join(alternative)
    modified = getattr(article, "modified", None)
    if modified and modified != article.date:
        data["dateModified"] = modified.isoformat()
    authors = getattr(article, "authors", None) or []
    if authors:
        data["author"] = [
            {"@type": "Person", "name": str(a), "url": permalink(settings, a.url)} for a in authors
        ]
    district = getattr(article, "district", "")
    if district:
        data["contentLocation"] = {"@type": "Place", "name": f"北京市{district}" if district != "全市" else "北京市"}
    keywords = getattr(article, "keywords", None)
    if keywords:
        data["keywords"] = [str(k) for k in keywords]
    corrections = getattr(article, "correction_notices", None)
    if corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "datePublished": c["date"], "text": c["text"]} for c in corrections
        ]
    page = getattr(article, "page", None)
    if page:
        data["printPage"] = str(page)
        if getattr(article, "pagename", ""):
            data["printSection"] = article.pagename
    return data


def absolute_feed_links(context, feed):
    """Feeds need absolute addresses: the pages use root-relative links (SITEURL is empty
    so that the site works on any host), so Pelican would write ``<link href="/">``,
    ``<id>/</id>`` and entry ids ``tag:None,…``. Use the site's public address instead."""
    base = context.get("SITE_PERMALINK_BASE", "").rstrip("/")
    if not base:
        return
    host = urlparse(base).netloc

    def absolute(link):
        return link if urlparse(link).netloc else f"{base}/{link.lstrip('/')}"

    # Pelican strips tags from titles for feeds, so a headline that mentions <script> as
    # text would lose words; feedgenerator escapes text, so the headline can go in whole.
    titles = {a.url: str(a.title) for a in context.get("articles", ())}
    for item in feed.items:
        path = urlparse(item["link"]).path.lstrip("/")
        if path in titles:
            item["title"] = titles[path]
    feed.feed["link"] = absolute(feed.feed["link"])
    feed.feed["id"] = feed.feed.get("feed_url") or feed.feed["link"]
    for item in feed.items:
        item["link"] = absolute(item["link"])
        if item.get("unique_id"):
            item["unique_id"] = item["unique_id"].replace("tag:None,", f"tag:{host},")


def stable_empty_feed(context, feed):
    """An empty feed (a topic with no articles yet) would be stamped with the build time;
    date it by the newest article on the site instead, so two builds stay identical."""
    if feed.items:
        return
    dates = [a.date for a in context.get("articles", ()) if getattr(a, "date", None)]
    newest = max(dates) if dates else datetime(1970, 1, 1, tzinfo=timezone.utc)
    feed.latest_post_date = lambda: newest


def add_filters(generator):
    generator.env.filters.update(cn_date=cn_date, cn_weekday=cn_weekday, page_label=page_label,
                                 most_first=most_first)
    generator.env.globals.update(news_article_jsonld=news_article_jsonld)


class Sitemap:
    """Collects every page written in this build, then writes sitemap.xml."""

    def __init__(self):
        self.pages = {}

    def queue(self, path, context):
        # An article or page has its date; an e-paper issue page has the issue's.
        content = context.get("article") or context.get("page") or context.get("issue")
        date = getattr(content, "date", None)
        # Keep calendar dates only: a plugin may pass a datetime or a plain date.
        self.pages[path] = date.date() if hasattr(date, "hour") else date

    def write(self, pelican):
        output = pelican.output_path
        base = pelican.settings.get("SITE_PERMALINK_BASE", "").rstrip("/")
        dated = [d for d in self.pages.values() if d]
        newest = max(dated) if dated else None
        entries = []
        for path, date in self.pages.items():
            if not path.endswith(".html"):
                continue
            url = os.path.relpath(path, output).replace(os.sep, "/")
            url = url[: -len("index.html")] if url.endswith("index.html") else url
            lastmod = (date or newest)
            entries.append((url, lastmod.isoformat() if lastmod else ""))
        entries.sort()
        lines = ['<?xml version="1.0" encoding="utf-8"?>',
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
        for url, lastmod in entries:
            lines.append(f"<url><loc>{escape(base + '/' + url)}</loc>"
                         + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>")
        lines.append("</urlset>\n")
        with open(os.path.join(output, "sitemap.xml"), "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines))
        logger.info("site_extras: sitemap.xml lists %d pages", len(entries))
        self.pages = {}


SITEMAP = Sitemap()


def queue_page(path, context):
    SITEMAP.queue(path, context)


def write_sitemap(pelican):
    SITEMAP.write(pelican)


def register():
    signals.generator_init.connect(add_filters)
    signals.feed_generated.connect(absolute_feed_links)
    signals.feed_generated.connect(stable_empty_feed)
    signals.content_written.connect(queue_page)
    signals.finalized.connect(write_sitemap)
