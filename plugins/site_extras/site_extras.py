"""site_extras: Chinese date filters, schema.org JSON-LD and a reproducible sitemap.

The PyPI sitemap plugin stamps index pages with the build time, which would make two
builds of the same content differ; here every ``lastmod`` comes from the content.
"""

import logging
import os
from datetime import date as calendar_date, datetime, timezone
from urllib.parse import quote, urlparse
from xml.sax.saxutils import escape

from jinja2 import pass_context
from markupsafe import Markup
from pelican import contents, signals

from newsroom.build import renderdeps
from newsroom.build.staging import relative_to
from newsroom.paper.permalinks import articles_by_url, permalink

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


def news_article_jsonld(article):
    """schema.org NewsArticle for an article page (rendered with ``|tojson``)."""
    settings = article.settings
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": str(article.title),
        "datePublished": article.date.isoformat(),
        "url": permalink(settings.get("SITE_PERMALINK_BASE", ""), article.url),
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
            {"@type": "Person", "name": str(a), "url": permalink(settings.get("SITE_PERMALINK_BASE", ""), a.url)} for a in authors
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
    photo = getattr(article, "lead_photo", None)
    if photo is not None and getattr(photo, "shares", None):
        # Google's Article rich results: the lead photo in 16:9, 4:3 and 1:1 (plugins/photos).
        base = settings.get("SITE_PERMALINK_BASE", "")
        data["image"] = [{"@type": "ImageObject", "url": permalink(base, image.url), "width": image.width,
                          "height": image.height} for image in photo.shares]
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
    # Pelican names only an article's first author; a byline of two reporters names both.
    articles = articles_by_url(context.get("articles", ()))
    for item in feed.items:
        article = articles.get(urlparse(item["link"]).path.lstrip("/"))
        if article is not None:
            item["title"] = str(article.title)
            authors = [str(author) for author in getattr(article, "authors", None) or ()]
            if len(authors) > 1:
                item["author_name"] = "、".join(authors)
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


ITEM_TEMPLATE = "partials/article_item.html"
# What article_item() hands the item template; the template may read nothing else from
# the page it is shown on (checked: ItemRenderer.check).
ITEM_INPUTS = frozenset({"article", "item_level", "badges_label", "SITEURL"})


class ItemRenderer:
    """``article_item(article)``: an article's list item, rendered once per build.

    An article is listed on ~15 pages (its keywords' tag pages, its district, reporter,
    topic and e-paper pages, the front page); rendering the same item each time was a
    quarter of all page rendering at 20,000 articles. The item template is a function of
    the article, ``item_level``, ``badges_label`` (both arguments here: a page that wants
    other values passes them) and ``SITEURL`` alone, which :meth:`check` verifies from
    the template's source (and the templates it includes) before the first use, so the
    kept copy is exactly what an ``{% include %}`` would give. The copies are dropped at
    the start of every build (``pelican --autoreload`` builds several in one process).
    What an item read while it was rendered is kept with it and added to the render
    record of every page that shows it (:func:`newsroom.build.renderdeps.replay`), so an
    edited headline renders again every list it is on.

    The kept items last the whole render, so they are kept small (at 100,000 articles
    they were most of the ~2.3 GB the render grew by): the reads as immutable shared
    tuples (:meth:`~newsroom.build.renderdeps.Recorder.captured`), not a live recorder,
    and one item per article and arguments, not one per Jinja environment. Each page
    generator has its own environment (articles, e-paper, topics…), and an environment
    may have filters and globals of its own, so an item is still rendered once in each
    environment that lists the article; a render equal to the kept one (the same HTML and
    the same reads) only adds its environment to the kept item (:class:`KeptItem`), and
    only one that differs is kept apart (``variants``).
    """

    def __init__(self):
        self.items = {}  # (id(article), item_level, badges_label, SITEURL) -> KeptItem
        self.variants = {}  # (id(environment), *that key) -> KeptItem, where a render differs
        self.checked = set()

    def reset(self, *_):
        self.items.clear()
        self.variants.clear()
        self.checked.clear()

    def check(self, env):
        from jinja2 import meta

        read, pending, seen = set(), [ITEM_TEMPLATE], set()
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            source = env.loader.get_source(env, name)[0]
            tree = env.parse(source)
            read |= meta.find_undeclared_variables(tree)
            pending.extend(n for n in meta.find_referenced_templates(tree) if n)
        extra = read - ITEM_INPUTS - set(env.globals)
        if extra:
            raise ValueError(f"site_extras: {ITEM_TEMPLATE} reads {', '.join(sorted(extra))}, which article_item() "
                             "does not pass; pass it in site_extras.ItemRenderer or list the item with "
                             "{% include %} instead")
        self.checked.add(id(env))

    def __call__(self, context, article, item_level="h2", badges_label=None):
        env = context.environment
        if id(env) not in self.checked:
            self.check(env)
        siteurl = context.get("SITEURL")
        key = (id(article), item_level, badges_label, siteurl)
        kept = self.items.get(key)
        if kept is not None and kept.article is article:  # the article kept alive: its id stays its own
            if env in kept.environments:
                renderdeps.replay(kept.reads)  # what the item read counts for every page that shows it
                return kept.html
            variant = self.variants.get((id(env), *key))
            if variant is not None and variant.article is article:
                renderdeps.replay(variant.reads)
                return variant.html
        with renderdeps.capture() as recorder:
            html = Markup(env.get_template(ITEM_TEMPLATE).render(article=article, item_level=item_level,
                                                                 badges_label=badges_label, SITEURL=siteurl))
        reads = recorder.captured()
        if kept is None or kept.article is not article:
            self.items[key] = KeptItem(article, html, reads, (env,))
        elif html == kept.html and renderdeps.same_reads(reads, kept.reads):
            kept.environments += (env,)
            return kept.html
        else:
            self.variants[(id(env), *key)] = KeptItem(article, html, reads, (env,))
        return html


class KeptItem:
    """One rendered list item: its HTML, what it read, the environments that render it so."""

    __slots__ = ("article", "html", "reads", "environments")

    def __init__(self, article, html, reads, environments):
        self.article, self.html, self.reads, self.environments = article, html, reads, environments


ARTICLE_ITEM = ItemRenderer()


def add_filters(generator):
    generator.env.filters.update(cn_date=cn_date, cn_weekday=cn_weekday, page_label=page_label,
                                 most_first=most_first)
    generator.env.globals.update(news_article_jsonld=news_article_jsonld,
                                 article_item=pass_context(ARTICLE_ITEM))


class Sitemap:
    """Collects every page written in this build, then writes sitemap.xml."""

    def __init__(self):
        self.pages = {}

    def reset(self, *_):
        """Forget what an earlier build in this process queued: one that failed before
        ``finalized`` (``pelican --autoreload`` goes on after it) would otherwise leave
        its pages in the next build's sitemap."""
        self.pages = {}

    def queue(self, path, context):
        # An article or page has its date; an e-paper issue page has the issue's.
        content = context.get("article") or context.get("page") or context.get("issue")
        # Keep calendar dates only: a plugin may pass a datetime or a plain date. A page
        # changes again when it is modified or corrected (the newest notice comes first).
        dates = [getattr(content, "date", None), getattr(content, "modified", None)]
        notices = getattr(content, "correction_notices", None)
        if notices:
            dates.append(calendar_date.fromisoformat(notices[0]["date"]))
        dates = [d.date() if hasattr(d, "hour") else d for d in dates if d]
        self.pages[path] = max(dates) if dates else None

    def write(self, pelican):
        output = pelican.output_path
        base = pelican.settings.get("SITE_PERMALINK_BASE", "").rstrip("/")
        dated = [d for d in self.pages.values() if d]
        newest = max(dated) if dated else None
        entries = []
        relative = relative_to(output)
        for path, date in self.pages.items():
            if not path.endswith(".html"):
                continue
            url = relative(path)
            # The 404 page is what a server shows for a missing address, not a page to index.
            if url == "404.html":
                continue
            url = url.replace(os.sep, "/")
            url = url[: -len("index.html")] if url.endswith("index.html") else url
            lastmod = (date or newest)
            entries.append((url, lastmod.isoformat() if lastmod else ""))
        entries.sort()
        lines = ['<?xml version="1.0" encoding="utf-8"?>',
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
        for url, lastmod in entries:
            # A URL in a sitemap is percent-encoded (RFC 3986): /tags/12351热线/ is not.
            lines.append(f"<url><loc>{escape(base + '/' + quote(url, safe='/'))}</loc>"
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
    signals.initialized.connect(ARTICLE_ITEM.reset)
    signals.initialized.connect(SITEMAP.reset)
    signals.generator_init.connect(add_filters)
    signals.feed_generated.connect(absolute_feed_links)
    signals.feed_generated.connect(stable_empty_feed)
    signals.content_written.connect(queue_page)
    signals.finalized.connect(write_sitemap)
