"""photos: the articles' photos on the site, made by the image pipeline (``newsroom.images``).

When the articles (and pages) have been read, every ``<img>`` of their HTML (the
Markdown image ``![替代文字](文件名.jpg "图注")`` after the sanitizer) is a photo that
sits beside its article file. This plugin

- finds them with a real HTML parser (:mod:`newsroom.paper.photo_refs`) and picks each
  article's lead photo (the first, or the one ``Photo:`` names, or none);
- has the pipeline make every rendition (:mod:`newsroom.build.photos` says which), on
  every core, answered from the content-hash cache when the photo was made before, and
  links the files into ``/photos/<key>/`` of the site: the original file is never
  published, and nothing of its metadata is;
- replaces each image by the markup of ``partials/photo_figure.html`` (a ``<figure>``
  with a ``<picture>``, width and height, the caption and its credit) or, inside a line
  of text, ``partials/photo_inline.html``; the markup is made from data, after the
  sanitizer, with every value escaped by the template;
- gives each article ``photos`` and ``lead_photo`` (:class:`newsroom.build.photos.Photo`)
  for the lists' thumbnails, the share tags, the JSON-LD and the catalogue, and adds the
  lead photo to each Atom entry as an enclosure.

A photo that is missing, unreadable, broken or too large is an error naming the article
file and line (``python -m newsroom check`` says the same before any build).

Settings (defaults in :data:`DEFAULTS`): ``PHOTOS_URL`` (the site's folder of photos),
``PHOTOS_CACHE_PATH`` (default ``<CACHE_PATH>/photos``), ``PHOTOS_WORKERS`` (0 = one per
core), ``PHOTOS_WIDTHS``, ``PHOTOS_THUMB_WIDTHS``, ``PHOTOS_MODERN_FORMAT`` (``avif``,
``webp``, or empty for AVIF where this Pillow writes it). Each build leaves its counts in
``<CACHE_PATH>/photos-stats.json``.
"""

import functools
import logging
import os
import time
from pathlib import Path

from feedgenerator import Enclosure
from pelican import signals

from newsroom.build import build_stats
from newsroom.build import photos as site_photos
from newsroom.build.parallel import available_workers, fork_map
from newsroom.errors import ContentError
from newsroom.images import ImageCache, ImageProblem, SourceHashes, process_all, publish
from newsroom.messages import problem as message
from newsroom.paper import photo_refs
from newsroom.paper.content import read_source
from newsroom.paper.permalinks import articles_by_url, permalink
from newsroom import messages

logger = logging.getLogger(__name__)

DEFAULTS = {
    "PHOTOS_URL": "photos/",
    "PHOTOS_CACHE_PATH": "",
    "PHOTOS_WORKERS": 0,
    "PHOTOS_WIDTHS": site_photos.WIDTHS,
    "PHOTOS_THUMB_WIDTHS": site_photos.THUMB_WIDTHS,
    "PHOTOS_MODERN_FORMAT": "",
}
STATS_FILE = "photos-stats.json"
SOURCE_HASHES = "source-hashes.json"  # in PHOTOS_CACHE_PATH (newsroom.images.source_hashes)
FIGURE_TEMPLATE = "partials/photo_figure.html"
INLINE_TEMPLATE = "partials/photo_inline.html"
KEY_CHARS = 16  # of the cache key, in the photo's folder name


class PhotosSettingError(ValueError):
    """A PHOTOS_* setting that cannot work."""


def set_defaults(pelican):
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    url = settings["PHOTOS_URL"]
    if not isinstance(url, str) or not url.endswith("/") or url.startswith("/") or ".." in url.split("/"):
        raise PhotosSettingError(f"photos: PHOTOS_URL = {url!r} must be a folder inside the site ending in /, "
                                 f"e.g. {DEFAULTS['PHOTOS_URL']!r}")
    for key in ("PHOTOS_WIDTHS", "PHOTOS_THUMB_WIDTHS"):
        widths = settings[key]
        if not widths or not all(isinstance(w, int) and w > 0 for w in widths):
            raise PhotosSettingError(f"photos: {key} = {widths!r} must be a list of widths in pixels")
    if settings["PHOTOS_MODERN_FORMAT"] not in ("", "avif", "webp"):
        raise PhotosSettingError("photos: PHOTOS_MODERN_FORMAT must be 'avif', 'webp' or '' (AVIF where it works)")
    # Fixed now, before fastbuild's preview moves CACHE_PATH into a folder of its own:
    # a photo made once serves the preview and the full build alike.
    if not settings["PHOTOS_CACHE_PATH"]:
        settings["PHOTOS_CACHE_PATH"] = os.path.join(settings["CACHE_PATH"], "photos")


def specs_of(settings):
    return site_photos.Specs(tuple(settings["PHOTOS_WIDTHS"]), tuple(settings["PHOTOS_THUMB_WIDTHS"]),
                             settings["PHOTOS_MODERN_FORMAT"])


class _Article:
    """One article's (or page's) photos while they are made: each image with its file."""

    def __init__(self, content, refs, names, lead_index, extra_lead):
        self.content = content
        self.refs = refs
        self.names = names
        self.lead_index = lead_index  # index into refs, or None
        self.extra_lead = extra_lead  # a Photo: file not in the body, or None
        self.jobs = []  # (index into refs or "lead", job number)


def _line_of(content, src):
    """The article file's line that writes the image ``src`` (1 when it cannot be told)."""
    try:
        source = read_source(content.source_path)
        lines = Path(content.source_path).read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("\n")
    except (OSError, ContentError, UnicodeDecodeError):
        return 1
    found = photo_refs.source_lines(lines, source.body_line, src)
    return found[0] if found else source.line_of("photo") if source.get("photo") else source.body_line


def _fail(content, where, message_id, **params):
    """Log the error ``message_id`` at the line of the article that holds ``where``."""
    problem, fix = message(message_id, **params)
    logger.error("%s", ContentError(content.source_path, _line_of(content, where), problem, fix))


def plan(contents, settings, specs):
    """``(articles, jobs)``: the photos of ``contents`` and the pipeline's jobs for them.
    ``specs()`` gives the renditions' specs (called at the first photo only)."""
    root = settings["PATH"]
    articles, jobs = [], []
    for content in contents:
        html = getattr(content, "_content", "") or ""
        choice = photo_refs.lead_choice(content.metadata.get("photo"))
        refs = photo_refs.find_images(html) if "<img" in html else []
        if not refs and not choice:
            continue
        names = [photo_refs.local_name(ref.src) for ref in refs]
        lead_index, extra_lead = None, None
        if choice is None and refs:
            lead_index = 0
        elif choice:
            if choice in names:
                lead_index = names.index(choice)
            else:
                extra_lead = choice
        article = _Article(content, refs, names, lead_index, extra_lead)
        for index, (ref, name) in enumerate(zip(refs, names)):
            if name is None:
                _fail(content, ref.src, "photos.not_beside", src=ref.src)
                continue
            path = photo_refs.resolve(name, content.source_path, root)
            if path is None:
                _fail(content, ref.src, "photos.outside", src=ref.src)
                continue
            article.jobs.append((index, len(jobs)))
            jobs.append((path, specs().for_photo(name, index == lead_index)))
        if extra_lead:
            path = photo_refs.resolve(extra_lead, content.source_path, root)
            if path is None:
                _fail(content, extra_lead, "photos.outside", src=extra_lead)
            else:
                article.jobs.append(("lead", len(jobs)))
                jobs.append((path, specs().for_photo(extra_lead, True)))
        articles.append(article)
    return articles, jobs


def make_photos(generator, contents, reporter_url=lambda name: None):
    """Make, publish and mark up the photos of ``contents``; the stats of the batch."""
    settings = generator.settings
    # Made at the first photo: the specs ask Pillow whether it can write AVIF by encoding
    # a test image (~0.07 CPU-s, every Pillow format plugin imported), which a build
    # without photos never needs.
    specs = functools.cache(lambda: specs_of(settings))
    articles, jobs = plan(contents, settings, specs)
    if not jobs:
        return None
    specs = specs()
    workers = available_workers(settings["PHOTOS_WORKERS"] or None)
    mapper = functools.partial(fork_map, workers=workers) if workers > 1 else map
    cpu_before = _cpu_seconds()
    hashes = SourceHashes(os.path.join(settings["PHOTOS_CACHE_PATH"], SOURCE_HASHES))
    results, stats = process_all(jobs, ImageCache(settings["PHOTOS_CACHE_PATH"]), mapper, hashes=hashes)
    hashes.save()
    cpu = _cpu_seconds() - cpu_before
    started = time.perf_counter()
    published, linked = set(), 0
    for result in results:
        if not isinstance(result, ImageProblem) and result.key not in published:
            published.add(result.key)
            linked += publish(result, generator.output_path, folder_of(settings, result.key))
    siteurl = settings.get("SITEURL", "")
    env = generator.env
    for article in articles:
        markups = [None] * len(article.refs)
        photos, lead = [], None
        for index, number in article.jobs:
            result = results[number]
            name = article.extra_lead if index == "lead" else article.names[index]
            ref = None if index == "lead" else article.refs[index]
            if isinstance(result, ImageProblem):
                text, fix = result.problem(name)
                logger.error("%s", ContentError(article.content.source_path, _line_of(article.content, ref.src if ref
                                                                                       else name), text, fix))
                continue
            is_lead = index == "lead" or index == article.lead_index
            photo = site_photos.make_photo(ref.alt if ref else "", ref.title if ref else "", name, result, specs,
                                           folder_of(settings, result.key).rstrip("/"), siteurl, is_lead,
                                           in_body=ref is not None, reporter_url=reporter_url)
            if is_lead:
                lead = photo
            if ref is not None:
                photos.append(photo)
                template = FIGURE_TEMPLATE if ref.alone else INLINE_TEMPLATE
                markups[index] = env.get_template(template).render(photo=photo, SITEURL=siteurl).strip()
        if any(markup is not None for markup in markups):
            article.content._content = photo_refs.replace_images(article.content._content, article.refs, markups)
        article.content.photos = photos
        article.content.lead_photo = lead
    stats_data = {**stats.as_dict(), "cpu_seconds": round(cpu, 3), "photos": len(jobs),
                  "sources_read_for_hashing": hashes.hashed,
                  "sets_published": len(published),
                  "files_linked": linked, "publish_seconds": round(time.perf_counter() - started, 3)}
    return stats_data


def _cpu_seconds():
    """CPU time of this process and of its finished children (the forked workers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def folder_of(settings, key):
    return f"{settings['PHOTOS_URL']}{key[:KEY_CHARS]}/"


# --- signals ------------------------------------------------------------------------
STATS = {}


def start_build(pelican):
    STATS.clear()


def articles_finalized(generator):
    contents = [*generator.articles, *generator.translations, *generator.hidden_articles,
                *generator.hidden_translations]
    pages = {str(author): author.url for author, _ in getattr(generator, "authors", ())}
    for content in contents:
        content.photos, content.lead_photo = [], None
    started = time.perf_counter()
    stats = make_photos(generator, contents, pages.get)
    if stats:
        STATS["articles"] = {**stats, "seconds_total": round(time.perf_counter() - started, 3)}


def pages_finalized(generator):
    contents = [*generator.pages, *generator.hidden_pages, *generator.translations, *generator.hidden_translations]
    for content in contents:
        content.photos, content.lead_photo = [], None
    stats = make_photos(generator, contents)
    if stats:
        STATS["pages"] = stats


def add_enclosures(context, feed):
    """Each Atom entry of an article with a lead photo carries it as an enclosure."""
    base = context.get("SITE_PERMALINK_BASE", "")
    articles = articles_by_url(context.get("articles", ()))  # made once for all feeds
    for item in feed.items:
        link = item.get("link", "")
        path = link.split("://", 1)[-1].split("/", 1)[-1] if "://" in link else link.lstrip("/")
        article = articles.get(path)
        photo = getattr(article, "lead_photo", None) if article is not None else None
        if photo is not None and photo.feed_image is not None:
            image = photo.feed_image
            item["enclosures"] = [Enclosure(permalink(base, image.url), str(image.byte_size), image.mime_type)]


def write_stats(pelican):
    build_stats.write(pelican.settings["CACHE_PATH"], STATS_FILE, STATS)


def register():
    signals.initialized.connect(set_defaults)
    signals.initialized.connect(start_build)
    signals.article_generator_finalized.connect(articles_finalized)
    signals.page_generator_finalized.connect(pages_finalized)
    signals.feed_generated.connect(add_enclosures)
    signals.finalized.connect(write_stats)
