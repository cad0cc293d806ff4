"""districts: Beijing's districts and the paper's reporters on the site.

The newsroom_reader plugin has already given every article ``district`` (an official
district name, ``全市`` or empty; see ``newsroom.text.districts``) and, from its byline,
``authors`` and ``correspondents``. This plugin

- gives every article ``district_page`` (the :class:`DistrictPage` it links to),
- writes ``/districts/`` (every district with its article count and a bar chart drawn
  as inline SVG at build time by the shared ``newsroom.paper.charts`` and
  ``partials/bar_chart.html``, as on topic pages), ``/districts/<pinyin>/`` (paginated like tag pages,
  newest first) and an Atom feed per district at ``/feeds/districts/<pinyin>.atom.xml``,
- gives every reporter (Pelican's Author) a pinyin slug (``newsroom.text.bylines.reporter_slug``:
  白莹 -> baiying, 曾强 -> zengqiang), so Pelican's own author pages land at
  ``/reporters/<pinyin>/`` through ``AUTHOR_URL``/``AUTHOR_SAVE_AS``. Two names that read
  the same get ``-2``, ``-3`` … in the order of their first article, so their pages
  never merge; the content folder's ``reporters.txt`` pins them
  (:mod:`newsroom.paper.reporter_pages`), and an unpinned pair is a warning.

Settings (defaults below): ``DISTRICT_URL``, ``DISTRICT_SAVE_AS``, ``DISTRICTS_URL``,
``DISTRICTS_SAVE_AS``, ``DISTRICT_FEED_ATOM`` (``None`` or empty: no feeds),
``DISTRICTS_REPORTER_PINYIN`` (``False`` keeps Pelican's own author slugs),
``DISTRICTS_REPORTER_SLUGS`` (the pins' file in the content folder, ``reporters.txt``).
"""

import logging
import os

from pelican import signals
from pelican.generators import Generator
from pelican.utils import order_content

from newsroom.build import renderdeps
from newsroom.paper import charts, reporter_pages
from newsroom.text import districts as newsroom_districts
from newsroom import messages
from newsroom.paper.content import ContentError

logger = logging.getLogger(__name__)

DEFAULTS = {
    "DISTRICT_URL": "districts/{slug}/",
    "DISTRICT_SAVE_AS": "districts/{slug}/index.html",
    "DISTRICTS_URL": "districts/",
    "DISTRICTS_SAVE_AS": "districts/index.html",
    "DISTRICT_FEED_ATOM": "feeds/districts/{slug}.atom.xml",
    "DISTRICTS_REPORTER_PINYIN": True,
}
TEMPLATE_SETTINGS = ("DISTRICT_URL", "DISTRICT_SAVE_AS", "DISTRICTS_URL", "DISTRICTS_SAVE_AS")


class DistrictsSettingError(ValueError):
    """A DISTRICT* setting that cannot work (names the setting and the fix)."""


class DistrictPage:
    """One district (or 全市) as the templates see it; ``str()`` is its Chinese name."""

    def __init__(self, name, settings):
        self.name = name
        self.slug = newsroom_districts.district_slug(name)
        self.citywide = name == newsroom_districts.CITYWIDE
        self.url = settings["DISTRICT_URL"].format(slug=self.slug)
        self.save_as = settings["DISTRICT_SAVE_AS"].format(slug=self.slug)
        feed = settings.get("DISTRICT_FEED_ATOM")
        self.feed_url = feed.format(slug=self.slug) if feed else ""
        self.articles = []

    @property
    def count(self):
        return len(self.articles)

    def __str__(self):
        return self.name

    def __repr__(self):
        return f"<DistrictPage {self.slug}>"


# A district holds all its articles: tracked, a page that shows its name does not depend
# on them (newsroom.build.renderdeps).
renderdeps.track(DistrictPage, lambda page: f"district:{page.slug}")


def set_defaults(pelican):
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    for key in TEMPLATE_SETTINGS:
        value = settings[key]
        if not isinstance(value, str) or (key != "DISTRICTS_URL" and key != "DISTRICTS_SAVE_AS"
                                          and "{slug}" not in value):
            raise DistrictsSettingError(
                f"districts: {key} = {value!r} must be a string"
                + ("" if key.startswith("DISTRICTS_") else " containing {slug}")
                + f", e.g. {DEFAULTS[key]!r}"
            )
    feed = settings["DISTRICT_FEED_ATOM"]
    if feed and (not isinstance(feed, str) or "{slug}" not in feed):
        raise DistrictsSettingError(
            f"districts: DISTRICT_FEED_ATOM = {feed!r} must contain {{slug}} "
            f"(e.g. {DEFAULTS['DISTRICT_FEED_ATOM']!r}) or be None for no feeds"
        )
    # District pages paginate like tag pages (DEFAULT_PAGINATION per page).
    settings.setdefault("PAGINATED_TEMPLATES", {}).setdefault("district", None)


def assign_reporter_slugs(generator):
    """Pinyin slugs for every Author before Pelican groups articles by author
    (:mod:`newsroom.paper.reporter_pages`: the content folder's ``reporters.txt`` pins them)."""
    settings = generator.settings
    if not settings.get("DISTRICTS_REPORTER_PINYIN", True):
        return
    everything = [
        *generator.articles, *generator.translations,
        *getattr(generator, "hidden_articles", []), *getattr(generator, "hidden_translations", []),
        *generator.drafts, *generator.drafts_translations,
    ]
    pinned = {}
    registry = os.path.join(generator.path, settings.get("DISTRICTS_REPORTER_SLUGS", reporter_pages.REGISTRY_NAME))
    if os.path.isfile(registry):
        try:
            pinned = reporter_pages.read_pinned(registry)
        except ContentError as error:
            logger.error("%s", error)  # read as check prints it (newsroom/build/editor_log.py)
    first_article = {}  # reporter name -> source of their oldest article
    # Oldest first, so an existing reporter keeps a slug when a namesake in sound joins.
    for article in sorted(everything, key=lambda a: (a.date, a.source_path)):
        for author in getattr(article, "authors", []) or []:
            first_article.setdefault(author.name, article.source_path)
    slug_of, unpinned = reporter_pages.assign(list(first_article), pinned)
    for base, names in unpinned:
        listed = "、".join(messages.text("build.reporter_first", name=name, slug=slug_of[name],
                                       first=first_article[name]) for name in names)
        example = "、".join(f"`{name} {slug_of[name]}`" for name in names)
        logger.warning("%s", messages.text("build.reporters_read_alike", listed=listed, base=base, registry=registry,
                                           example=example))
    for article in everything:
        for author in getattr(article, "authors", []) or []:
            author.slug = slug_of[author.name]


class DistrictsGenerator(Generator):
    """Sets ``article.district_page``; writes the district index, pages and feeds."""

    def generate_context(self):
        names = list(newsroom_districts.district_names()) + [newsroom_districts.CITYWIDE]
        self.district_pages = [DistrictPage(name, self.settings) for name in names]
        by_name = {page.name: page for page in self.district_pages}
        published = self.context.get("articles", [])
        others = self.context.get("hidden_articles", []) + self.context.get("drafts", [])
        for article in published + others:
            name = getattr(article, "district", "") or ""
            article.district_page = by_name.get(name)
            if name and article.district_page is None:
                # The reader normalises District:, so this is a bug, not an editor's error.
                logger.warning("%s", messages.text("build.district_not_in_gazetteer", path=article.source_path,
                                                   district=repr(name)))
        for article in published:
            if article.district_page is not None:
                article.district_page.articles.append(article)
        for page in self.district_pages:
            # The site's own list order (ARTICLE_ORDER_BY: newest day first, then the paper's
            # reading order), as on every other list.
            order_content(page.articles, self.settings["ARTICLE_ORDER_BY"])
        self.unplaced = [a for a in published if a.district_page is None]
        self.context["district_pages"] = self.district_pages
        logger.info(
            "districts: %d articles placed, %d without a district",
            len(published) - len(self.unplaced), len(self.unplaced),
        )

    def generate_output(self, writer):
        # Largest first; districts with as many articles keep the official order.
        by_count = sorted(self.district_pages, key=lambda page: -page.count)
        chart = charts.bar_chart("各区报道数量", [(page.name, page.count) for page in by_count])
        writer.write_file(
            self.settings["DISTRICTS_SAVE_AS"],
            self.get_template("districts"),
            self.context,
            url=self.settings["DISTRICTS_URL"],
            districts=self.district_pages,
            chart=chart,
            unplaced_count=len(self.unplaced),
        )
        template = self.get_template("district")
        for page in self.district_pages:
            writer.write_file(
                page.save_as,
                template,
                self.context,
                paginated={"articles": page.articles},
                template_name="district",
                url=page.url,
                district=page,
                articles=page.articles,
            )
            if page.feed_url:
                writer.write_feed(
                    page.articles,
                    self.context,
                    page.feed_url,
                    page.feed_url,
                    feed_title=page.name,  # Pelican prefixes SITENAME
                )


def get_generators(pelican):
    return DistrictsGenerator


def register():
    signals.initialized.connect(set_defaults)
    signals.article_generator_pretaxonomy.connect(assign_reporter_slugs)
    signals.get_generators.connect(get_generators)
