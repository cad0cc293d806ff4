"""topics: the paper's standing topics (专题) on the site.

Every published article gets ``article.topics``: the :class:`TopicPage` objects (with
``id``, ``name``, ``url``) of the topics ``newsroom.paper.analysis.topics_of`` finds for it —
the same function ``python -m newsroom analyze`` uses, so the site and the command line
agree. An id in an article's ``Topics:`` metadata that is not configured stops the
build with :class:`newsroom.text.topics.UnknownTopic`, naming the file and the line.

The generator writes ``/topics/`` (all topics), ``/topics/<id>/`` (paginated, newest
first, with bar charts of the articles per year and per district drawn as inline SVG
at build time) and an Atom feed per topic at ``/feeds/topics/<id>.atom.xml``.

Settings (defaults below): ``TOPICS`` (list of topic tables, as in
``newsroom/data/topics.toml``; pelicanconf loads that file), ``TOPIC_URL``,
``TOPIC_SAVE_AS``, ``TOPICS_URL``, ``TOPICS_SAVE_AS``, ``TOPIC_FEED_ATOM``.
"""

import hashlib
import json
import logging
from pathlib import Path

from pelican import signals
from pelican.generators import Generator
from pelican.utils import order_content

from newsroom import messages
from newsroom.build import renderdeps, result_cache
from newsroom.build.uptodate import held_stamp, read_content_stamps
from newsroom.paper import charts
from newsroom.text import topics as newsroom_topics
from newsroom.paper.analysis import topics_of
from newsroom.paper.content import decode_utf8, parse_text, split_list

logger = logging.getLogger(__name__)

DEFAULTS = {
    "TOPIC_URL": "topics/{id}/",
    "TOPIC_SAVE_AS": "topics/{id}/index.html",
    "TOPICS_URL": "topics/",
    "TOPICS_SAVE_AS": "topics/index.html",
    "TOPIC_FEED_ATOM": "feeds/topics/{id}.atom.xml",
}
NO_DISTRICT = "未注明"
CACHE_FOLDER = "topics"
FILE_KEY = "file:"  # a key of ClassifiedCache by the source file's SHA-256 (text keys are SHA-1 hex)


class TopicPage:
    """One topic as the templates see it; ``str()`` is its Chinese name."""

    def __init__(self, topic, settings):
        self.id = topic.id
        self.name = topic.name
        self.description = topic.description
        self.url = settings["TOPIC_URL"].format(id=topic.id)
        self.save_as = settings["TOPIC_SAVE_AS"].format(id=topic.id)
        feed = settings["TOPIC_FEED_ATOM"]
        self.feed_url = feed.format(id=topic.id) if feed else ""
        self.articles = []

    def __str__(self):
        return self.name

    def __repr__(self):
        return f"<TopicPage {self.id}>"

    @property
    def year_chart(self):
        years = charts.count_rows(f"{article.date.year}年" for article in self.articles)
        return charts.bar_chart("按年份", years)

    @property
    def district_chart(self):
        places = (getattr(article, "district", "") or NO_DISTRICT for article in self.articles)
        return charts.bar_chart("按地区", charts.count_rows(places, by_count=True))


# A topic holds all its articles: tracked, a page that shows its name does not depend on
# them (newsroom.build.renderdeps).
renderdeps.track(TopicPage, lambda page: f"topic:{page.id}")


def set_defaults(pelican):
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    # Topic pages paginate like tag pages (DEFAULT_PAGINATION per page).
    pelican.settings.setdefault("PAGINATED_TEMPLATES", {}).setdefault("topic", None)


def configured_topics(settings):
    """The compiled topics of ``settings["TOPICS"]`` (the project file when unset)."""
    config = settings.get("TOPICS")
    if config is None:
        return newsroom_topics.default_topics()
    if not isinstance(config, (list, tuple)):
        raise newsroom_topics.TopicConfigError(
            f"TOPICS setting: expected a list of topics, got {type(config).__name__}; "
            "load it with newsroom.text.topics.load_topics()"
        )
    return newsroom_topics.compile_topics(config, origin="TOPICS setting")


def article_topic_ids(article, compiled, classify=newsroom_topics.classify, cache=None, stamps=None):
    """Topic ids of one article; unknown ids in its ``Topics:`` metadata stop the build.

    With a ``cache`` (:class:`ClassifiedCache`), the ids are kept by the SHA-256 of the
    source file's bytes, and ``stamps`` (``newsroom build``'s table of those digests,
    :func:`newsroom.build.uptodate.read_content_stamps`) spares reading the file while its stat is the one the digest
    was taken at: the ids are a function of the bytes (the editor's ``Topics:``, the
    headline and the body), the topic table and the code, which name the cache file."""
    path = article.source_path
    if cache is not None and stamps:
        digest = held_stamp(stamps, path)
        found = cache.by_file(digest) if digest is not None else None
        if found is not None:
            return found
    raw = Path(path).read_bytes()
    source = parse_text(decode_utf8(raw, Path(path)), Path(path))  # read_source, with the bytes kept
    given = split_list(source.get("topics"))
    newsroom_topics.check_topic_ids(given, compiled, path, source.line_of("topics"))
    ids = topics_of(source, compiled, classify)
    if cache is not None:
        cache.keep_file(hashlib.sha256(raw).hexdigest(), ids)
    return ids


class ClassifiedCache:
    """The topics detected in each article's text, kept from one build to the next.

    Detection is a pure function of the headline, the body, the topic table and the
    code: the cache file is named by a digest of the table (``TOPICS``) and of the code
    and data (``NEWSROOM_CODE_DIGEST``, which ``newsroom build`` sets; without it nothing
    is kept), its entries by a hash of the text. A build keeps only the entries it used.
    """

    def __init__(self, settings):
        self.path, self.stored, self.used = None, {}, {}
        code, cache = settings.get("NEWSROOM_CODE_DIGEST"), settings.get("CACHE_PATH")
        if not code or not cache:
            return
        table = json.dumps(settings.get("TOPICS"), ensure_ascii=False, sort_keys=True, default=repr)
        digest = hashlib.sha256(f"{code}\0{table}".encode("utf-8", "surrogatepass")).hexdigest()[:24]
        self.path = Path(cache) / CACHE_FOLDER / f"classified-{digest}.json"
        self.stored = {key: ids for key, ids in result_cache.read(self.path).items()
                       if isinstance(ids, list) and all(isinstance(i, str) for i in ids)}

    def classify(self, title, body, compiled):
        key = hashlib.sha1(f"{title}\0{body}".encode("utf-8", "surrogatepass")).hexdigest()
        found = self.used.get(key)
        if found is None:
            found = self.stored.get(key)
            if found is None:
                found = list(newsroom_topics.classify(title, body, compiled))
            self.used[key] = found
        return list(found)

    def by_file(self, digest):
        """The ids kept for a source file of this SHA-256 (:func:`article_topic_ids`), or None."""
        key = FILE_KEY + digest
        found = self.used.get(key) or self.stored.get(key)
        if found is None:
            return None
        self.used[key] = found
        return list(found)

    def keep_file(self, digest, ids):
        self.used[FILE_KEY + digest] = list(ids)

    def save(self):
        if self.path is None or self.used == self.stored:
            return
        result_cache.write(self.path, self.used, "classified-*.json")


class TopicsGenerator(Generator):
    """Assigns ``article.topics`` and writes the topic index, topic pages and feeds."""

    def generate_context(self):
        compiled = configured_topics(self.settings)
        self.topic_pages = [TopicPage(topic, self.settings) for topic in compiled]
        by_id = {page.id: page for page in self.topic_pages}
        published = self.context.get("articles", [])
        cache = ClassifiedCache(self.settings)
        stamps = (read_content_stamps(self.settings.get("NEWSROOM_CONTENT_STAMPS"))
                  if cache.path is not None else None)
        for article in published + self.context.get("hidden_articles", []):
            article.topics = [by_id[topic_id]
                              for topic_id in article_topic_ids(article, compiled, cache.classify, cache, stamps)]
        cache.save()
        for article in published:
            for page in article.topics:
                page.articles.append(article)
        for page in self.topic_pages:
            # The site's own list order (ARTICLE_ORDER_BY: newest day first, then the paper's
            # reading order), as on every other list.
            order_content(page.articles, self.settings["ARTICLE_ORDER_BY"])
        self.context["topic_pages"] = self.topic_pages
        logger.info(
            "topics: %s",
            ", ".join(f"{page.id} {len(page.articles)}" for page in self.topic_pages) or "none configured",
        )

    def generate_output(self, writer):
        writer.write_file(
            self.settings["TOPICS_SAVE_AS"],
            self.get_template("topics"),
            self.context,
            url=self.settings["TOPICS_URL"],
            topics=self.topic_pages,
        )
        template = self.get_template("topic")
        for page in self.topic_pages:
            writer.write_file(
                page.save_as,
                template,
                self.context,
                paginated={"articles": page.articles},
                template_name="topic",
                url=page.url,
                topic=page,
                articles=page.articles,
            )
            if page.feed_url:
                writer.write_feed(
                    page.articles,
                    self.context,
                    page.feed_url,
                    page.feed_url,
                    feed_title=f"专题：{page.name}",  # Pelican prefixes SITENAME
                )


def get_generators(pelican):
    return TopicsGenerator


def register():
    signals.initialized.connect(set_defaults)
    signals.get_generators.connect(get_generators)
