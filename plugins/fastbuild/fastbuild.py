"""fastbuild: build a large back catalogue on every core, and preview it in seconds.

Eight levers, none of which changes a byte of the published site:

* **Parallel reading.** When the articles generator starts, every article file that
  Pelican's content cache does not hold yet is read through the same reader class
  (the newsroom reader) in ``FASTBUILD_WORKERS`` processes (``fork``: the children
  share the parent's settings and readers); the results prefill the reader cache, so
  Pelican's own loop then finds them there. A file whose reading fails or logs a
  warning is left out, so that Pelican reads it again itself and reports it as usual.
* **Parallel rendering.** The writer (``get_writer``) queues every page instead of
  rendering it at once; just before the static files are copied (the last generator,
  so before any ``finalized`` handler such as the search index reads the pages) the
  queue is rendered by all workers, the calling process included, in fixed shares
  balanced by page count. ``content_written`` is then sent for each page in queue
  order, as if Pelican had written them one by one (the sitemap relies on it).
* **Write only changed bytes.** A page or feed whose bytes equal the file already on
  disk is not rewritten, so unchanged pages keep their modification time (cheap
  uploads with rsync, no churn for the preview's reload). ``newsroom build`` writes
  into a staging folder (new, or the site the build before last replaced) and names
  the site it will replace in ``FASTBUILD_PREVIOUS_OUTPUT``: a page whose bytes equal
  that site's copy is given that copy's modification time, so there too only changed
  pages look changed, and every page kept is re-stamped so that the build's sweep of
  the staging folder knows it (:func:`save_staged`).
* **Linear lists.** Pelican orders each tag's (author's) articles by scanning the whole
  catalogue once per tag with a list membership test — quadratic, and the keywords
  plugin adds thousands of tags; it does the same for each year, month and day of the
  date indexes and when it separates translations. The same lists come from a position
  map or one grouping pass instead.
* **Article URLs computed once** while the pages are written, with one worker too (Pelican formats them anew
  on every access; a memo on each object, valid for this build only).
* **Only the pages an edit changes are rendered** (``FASTBUILD_INCREMENTAL``, on by
  default; :mod:`.incremental`, :mod:`newsroom.build.renderdeps`). While a page renders,
  everything it reads is recorded: context names, each attribute of each article, page,
  issue or topic, templates, files, environment variables. The next build computes a
  digest of the current values of those reads; a page whose digest is unchanged is
  taken from the published site instead of rendered. A change to the settings, the code
  or the installed packages, or a record that is missing or of another version, renders
  every page. Correctness is shown by tests/test_incremental.py: random edits, then the
  incremental site must equal a clean build byte for byte.
* **Compiled templates kept.** Jinja's bytecode cache in ``<CACHE_PATH>/jinja`` (keyed
  on each template's source, so an edited template is compiled again).
* **Preview scope.** With ``FASTBUILD_PREVIEW`` (or the environment variable
  ``FASTBUILD_PREVIEW=1``, which ``make serve`` sets) only the articles of the latest
  ``FASTBUILD_PREVIEW_ISSUES`` publication dates, plus every article file modified in
  the last ``FASTBUILD_PREVIEW_HOURS`` hours, are built, and the search index is
  skipped (``SEARCH_INDEX``) unless ``FASTBUILD_PREVIEW_SEARCH`` is True. The preview
  keeps its own cache in ``<CACHE_PATH>/preview``, so that it does not load the full
  catalogue's. Published builds (``make html``, ``make publish``) never set it and
  stay complete.

Settings (defaults in :data:`DEFAULTS`): ``FASTBUILD_WORKERS`` (0 = one per core, 1 =
plain Pelican), ``FASTBUILD_PARALLEL_MIN`` (fewer files or pages than this are done
in one process: a fork costs more than it saves), ``FASTBUILD_PREVIEW``,
``FASTBUILD_PREVIEW_ISSUES``, ``FASTBUILD_PREVIEW_HOURS``, ``FASTBUILD_PREVIEW_SEARCH``,
``FASTBUILD_PREVIOUS_OUTPUT`` (a folder, or empty), ``FASTBUILD_INCREMENTAL``,
``FASTBUILD_FORK_MEMORY_MB`` (the pages are rendered on every core only while twice
this process's resident memory stays below it: a worker forked for the render ends up
with its own copy of nearly everything the parent holds, since reading an object
writes its reference count, so a fork doubles the build's memory; 0 = no limit). Each
build leaves its counts in ``<CACHE_PATH>/fastbuild-stats.json``.
"""

import calendar
import io
import logging
import os
import re
import shutil
import time
from collections import ChainMap
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache, partial
from itertools import groupby
from operator import attrgetter

from pelican import generators as pelican_generators
from pelican import utils as pelican_utils
from pelican import signals
from pelican.contents import Content
from pelican.generators import ArticlesGenerator, StaticGenerator
from pelican.readers import _filter_discardable_metadata
from pelican.utils import file_suffix, get_original_items
from pelican.writers import FileOverwriteFailedError, Writer

from newsroom import messages
from newsroom.build import build_stats
from newsroom.build import renderdeps
from newsroom.build.parallel import WorkerFailed, available_workers, fork_map
from newsroom.build.preview_scope import preview_scope
from newsroom.build.searchindex import page_facts
from newsroom.build.staging import make_room, relative_to
from newsroom.build.template_cache import TemplateCache
from newsroom.build.uptodate import held_stamp, read_content_stamps
from newsroom.text import slugs

from .incremental import (Hooks, RecordingTemplate, Replayed, ReplayTemplate, Session, check_versions, code_digest,
                          register_content)

logger = logging.getLogger(__name__)

DEFAULTS = {
    "FASTBUILD_WORKERS": 0,
    "FASTBUILD_PARALLEL_MIN": 200,
    "FASTBUILD_PREVIEW": False,
    "FASTBUILD_PREVIEW_ISSUES": 8,
    "FASTBUILD_PREVIEW_HOURS": 12.0,
    "FASTBUILD_PREVIEW_SEARCH": False,
    "FASTBUILD_PREVIOUS_OUTPUT": "",
    "FASTBUILD_INCREMENTAL": True,
    "FASTBUILD_FORK_MEMORY_MB": 3000,
}
ENV_PREVIEW = "FASTBUILD_PREVIEW"
STATS_FILE = "fastbuild-stats.json"
PREVIEW_CACHE = "preview"  # the preview's cache folder, inside CACHE_PATH

STATS = {}
SHARED = {}  # this build's shared template context, for the writer made after the generators
_ABSENT = object()


def setting(settings, name):
    """A fastbuild setting, checked: a bad value stops the build with a clear message."""
    value = settings.get(name, DEFAULTS[name])
    default = DEFAULTS[name]
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ValueError(f"fastbuild: {name} must be True or False, not {value!r}")
    elif isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"fastbuild: {name} must be a whole number ≥ 0, not {value!r}")
    elif isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ValueError(f"fastbuild: {name} must be a number ≥ 0, not {value!r}")
        value = float(value)
    return value


def workers(settings):
    return available_workers(setting(settings, "FASTBUILD_WORKERS") or None)


def incremental_on(settings):
    """Pages whose inputs did not change are taken from the published site, not rendered
    (``FASTBUILD_INCREMENTAL``); never with ``FASTBUILD_WORKERS = 1``, plain Pelican."""
    return setting(settings, "FASTBUILD_INCREMENTAL") and setting(settings, "FASTBUILD_WORKERS") != 1


def preview_on(settings):
    env = os.environ.get(ENV_PREVIEW, "").strip().lower()
    return setting(settings, "FASTBUILD_PREVIEW") or env in ("1", "true", "yes", "on")


# --- start of a build ------------------------------------------------------------------
def start_build(pelican):
    """Reset the counts; in preview, skip the search index unless asked for."""
    check_versions()
    renderdeps.reset()
    SHARED.clear()
    STATS.clear()
    STATS.update(files_written=0, files_unchanged=0, pages_rendered_by_workers=0,
                 articles_read_in_parallel=0, articles_in_preview_scope=None, pages_rendered=0, pages_kept=0,
                 pages_always_rendered=0, incremental=None)
    # Wall-clock marks (time.time()) of the build's phases, for the benchmark's breakdown,
    # and this process's CPU time at each (a loaded machine stretches the first only).
    STATS["clock"], STATS["cpu_clock"] = {}, {}
    mark("initialized")
    settings = pelican.settings
    for name in DEFAULTS:
        setting(settings, name)  # report a bad value before any work
    # Process-wide: Pelican's generators call the module's function by name.
    plain = setting(settings, "FASTBUILD_WORKERS") == 1
    pelican_generators.process_translations = PELICAN_PROCESS_TRANSLATIONS if plain else linear_process_translations
    pelican_utils.strftime = PELICAN_STRFTIME if plain else planned_strftime
    if not preview_on(settings):
        # The code and data the pages are made by, once per build: the render record's
        # global digest, and the name of the caches plugins keep between builds (topics).
        settings["NEWSROOM_CODE_DIGEST"] = code_digest(settings)
        drop_compressed_content_cache(settings)
        return
    # A cache of its own: the full build's cache holds the whole catalogue, and loading
    # it would cost the preview seconds for articles it does not build.
    if os.path.basename(os.path.normpath(settings["CACHE_PATH"])) != PREVIEW_CACHE:
        settings["CACHE_PATH"] = os.path.join(settings["CACHE_PATH"], PREVIEW_CACHE)
    drop_compressed_content_cache(settings)
    if not setting(settings, "FASTBUILD_PREVIEW_SEARCH"):
        settings["SEARCH_INDEX"] = False
        logger.info("fastbuild: preview build: the latest %d issues plus files edited in the last %g h; "
                    "no search index", setting(settings, "FASTBUILD_PREVIEW_ISSUES"),
                    setting(settings, "FASTBUILD_PREVIEW_HOURS"))


GZIP_MAGIC = b"\x1f\x8b"


def drop_compressed_content_cache(settings):
    """With ``GZIP_CACHE = False`` (pelicanconf.py: the content cache is loaded and saved
    whole on every build, and gzip was most of that), a cache an earlier build left
    compressed would make Pelican warn that it cannot unpickle it. It is only a cache: it
    goes, and this build reads the catalogue afresh."""
    if settings.get("GZIP_CACHE", True):
        return
    try:
        entries = list(os.scandir(settings["CACHE_PATH"]))
    except OSError:
        return
    for entry in entries:
        if not (entry.is_file(follow_symlinks=False) and entry.name.endswith("-Readers")):
            continue
        with open(entry.path, "rb") as handle:
            compressed = handle.read(2) == GZIP_MAGIC
        if compressed:
            logger.info("fastbuild: %s was saved compressed (GZIP_CACHE was on): reading the content afresh",
                        entry.path)
            os.unlink(entry.path)


# --- tag, author and category pages --------------------------------------------------------
def in_date_order(articles, position):
    """``[a for a in dates if a in articles]`` without scanning ``articles`` for each date.

    Pelican's own list comprehension costs tags × articles × articles-per-tag: with the
    thousands of keyword tags of a large catalogue that is minutes. Articles compare by
    identity (Content defines no ``__eq__``), so positions by ``id`` give the same list.
    """
    unique = {id(a): a for a in articles if id(a) in position}
    return [unique[key] for key in sorted(unique, key=position.__getitem__)]


def list_pages(generator, kind, template_name, groups):
    """Write the pages of ``groups`` ((tag, articles) pairs) as Pelican does."""

    def generate(write):
        position = {id(a): i for i, a in enumerate(generator.dates)}
        template = generator.get_template(template_name)
        for item, articles in (groups() if callable(groups) else groups):
            try:
                write(item.save_as, template, generator.context, url=item.url, articles=articles,
                      dates=in_date_order(articles, position), template_name=template_name, blog=True,
                      page_name=item.page_name, all_articles=generator.articles, **{kind: item})
            except FileOverwriteFailedError:
                if not item.slug:
                    logger.info('%s "%s" has an invalid slug; skipping writing its page...', kind.title(), item,
                                extra={"limit_msg": f"Further {kind}s with invalid slugs."})
                    continue
                logger.error('Failed to write %s page for "%s".', kind.title(), item)
                raise

    return generate


def linear_period_archives(generator):
    """Pelican's ``_build_period_archives`` with each period's ``articles`` found in one
    pass: Pelican scans the whole catalogue with a list membership test once per period
    (``[a for a in articles if a in dates]``), quadratic with thousands of day pages.
    The same archives: the periods in the same order, their articles in the same order."""
    original = generator._build_period_archives

    def build(sorted_articles, articles, settings):
        archives = original([], [], settings)  # nothing to group: only checks the settings
        keys = {"year": attrgetter("date.year"), "month": attrgetter("date.year", "date.month"),
                "day": attrgetter("date.year", "date.month", "date.day")}
        formats = {"year": ("YEAR_ARCHIVE_SAVE_AS", "YEAR_ARCHIVE_URL"),
                   "month": ("MONTH_ARCHIVE_SAVE_AS", "MONTH_ARCHIVE_URL"),
                   "day": ("DAY_ARCHIVE_SAVE_AS", "DAY_ARCHIVE_URL")}
        for granularity in ("year", "month", "day"):
            save_as_format, url_format = (settings[name] for name in formats[granularity])
            if not save_as_format:
                continue
            key = keys[granularity]
            members = {}
            for article in articles:  # articles of a period, in the order of ``articles``
                members.setdefault(key(article), []).append(article)
            for period, group in groupby(sorted_articles, key=key):
                dates = list(group)
                # Pelican keeps an article of ``articles`` that is in ``dates`` (by identity).
                in_dates = {id(article) for article in dates}
                archive = {"dates": dates,
                           "articles": [a for a in members.get(period, []) if id(a) in in_dates]}
                first = dates[0].date
                archive["save_as"] = save_as_format.format(date=first)
                archive["url"] = url_format.format(date=first)
                if granularity == "year":
                    archive["period"] = archive["period_num"] = (period,)
                else:
                    month_name = calendar.month_name[period[1]]
                    archive["period"] = (period[0], month_name) + ((period[2],) if granularity == "day" else ())
                    archive["period_num"] = tuple(period)
                archives[granularity].append(archive)
        return archives

    return build


def linear_process_translations(content_list, translation_id=None):
    """``pelican.utils.process_translations`` with the translations found through a set:
    Pelican tests every item against the list of originals (``x not in index``), which
    took 2.5 s at 20,000 articles. The same lists in the same order, the same
    ``translations`` attributes and warnings (Pelican's own ``get_original_items``);
    anything unusual (a bad ``translation_id``) goes to Pelican's function itself."""
    if not translation_id:
        return content_list, []
    keys = {translation_id} if isinstance(translation_id, str) else translation_id
    try:
        content_list.sort(key=attrgetter(*keys))
    except (TypeError, AttributeError):
        return PELICAN_PROCESS_TRANSLATIONS(content_list, translation_id)  # raises Pelican's message
    index = []
    for id_vals, items in groupby(content_list, attrgetter(*keys)):
        id_vals = (id_vals,) if len(keys) == 1 else id_vals
        with_str = "with" + ", ".join([' {} "{{}}"'] * len(keys)).format(*keys).format(*id_vals)
        items = list(items)
        index.extend(get_original_items(items, with_str))
        for item in items:
            item.translations = [other for other in items if other != item]
    # Content defines no __eq__: Pelican's ``not in`` compares identities, as this does.
    originals = {id(item) for item in index}
    return index, [item for item in content_list if id(item) not in originals]


# Pelican's own function, from the module that defines it: only pelican.generators' name
# for it is replaced, so this stays Pelican's even if this plugin is loaded twice.
PELICAN_PROCESS_TRANSLATIONS = pelican_utils.process_translations


# --- dates ---------------------------------------------------------------------------------
# Pelican's strftime (every ``{date:%Y}`` of an article's URL, its ``locale_date``, a feed
# entry's id) finds the format's directives with two regular expressions on every call:
# ~60 % of its time, ~0.25 CPU-s of a 2,000-article rebuild. The directives of a format
# are a function of the format string alone, so they are found once per format; the date
# is still formatted on every call, directive by directive, exactly as Pelican does.
STRFTIME_CANDIDATE = "%[-]?."  # pelican.utils.strftime's own pattern
STRFTIME_C89 = "aAbBcdfGHIjmMpSUuVwWxXyYzZ%"


@lru_cache(maxsize=256)
def strftime_plan(date_format):
    """``(template, [(directive, strip zeros) or (literal, None)])`` of a date format, as
    ``pelican.utils.strftime`` parses it."""
    parts = []
    for candidate in re.findall(STRFTIME_CANDIDATE, date_format):
        if candidate[-1] in STRFTIME_C89:
            parts.append((f"%{candidate[-1]}", True) if len(candidate) == 3 else (candidate, False))
        else:
            parts.append((candidate, None))
    return re.sub(STRFTIME_CANDIDATE, "%s", date_format), tuple(parts)


def planned_strftime(date, date_format):
    """``pelican.utils.strftime`` with the format parsed once (:func:`strftime_plan`)."""
    if type(date_format) is not str:
        return PELICAN_STRFTIME(date, date_format)
    template, parts = strftime_plan(date_format)
    if type(date).strftime is SAFE_DATETIME_STRFTIME:  # its safe=False is datetime's own
        format_one = DATETIME_STRFTIME.__get__(date)
    elif isinstance(date, pelican_utils.SafeDatetime):
        format_one = partial(date.strftime, safe=False)
    else:
        format_one = date.strftime
    formatted = []
    for directive, strip in parts:
        if strip is None:
            formatted.append(directive)
            continue
        text = format_one(directive)
        formatted.append((text.lstrip("0") or "0") if strip else text)
    return template % tuple(formatted)


# Pelican's own, even when this module is loaded again after a build replaced it.
PELICAN_STRFTIME = getattr(pelican_utils.strftime, "pelicans", pelican_utils.strftime)
planned_strftime.pelicans = PELICAN_STRFTIME
SAFE_DATETIME_STRFTIME = pelican_utils.SafeDatetime.strftime
DATETIME_STRFTIME = datetime.strftime


def fast_list_pages(generators):
    """Swap the articles generator's tag, category and author page writers for ones that
    order each list by a position map (same pages, linear instead of quadratic)."""
    for generator in generators:
        if isinstance(generator, ArticlesGenerator) and setting(generator.settings, "FASTBUILD_WORKERS") != 1:
            # The lists are read when the pages are written (default arguments bind this generator).
            generator.generate_tags = list_pages(generator, "tag", "tag", lambda g=generator: g.tags.items())
            generator.generate_categories = list_pages(generator, "category", "category",
                                                       lambda g=generator: g.categories)
            generator.generate_authors = list_pages(generator, "author", "author", lambda g=generator: g.authors)


# --- article URLs ----------------------------------------------------------------------
class _UrlMemo:
    """While pages are written, each content object's ``url``/``save_as`` is computed once.

    Pelican formats them anew on every access (a copy of the metadata, the relative
    source path, the date formatted): with related articles and issue navigation on
    every page that was a third of the rendering time. Nothing changes an article's URL
    once the pages are being written; the memo lives on the object with this build's
    token, so a memo left from another build (or pickled into a cache) is never used.
    """

    token = None
    original = None

    @classmethod
    def install(cls):
        if cls.original is None:
            cls.original = Content.get_url_setting
            Content.get_url_setting = _memoized_url_setting

    @classmethod
    def start(cls):
        cls.install()
        cls.token = object()

    @classmethod
    def stop(cls):
        cls.token = None


def _memoized_url_setting(self, key):
    token = _UrlMemo.token
    if token is None:
        return _UrlMemo.original(self, key)
    # Not through ``self.__dict__``: the render record would count that as reading every field.
    fields = object.__getattribute__(self, "__dict__")
    memo = fields.get("_fastbuild_urls")
    if memo is None or memo[0] is not token:
        memo = fields["_fastbuild_urls"] = (token, {})
    try:
        return memo[1][key]
    except KeyError:
        value = memo[1][key] = _UrlMemo.original(self, key)
        return value


# --- templates -------------------------------------------------------------------------
def cache_templates(generator):
    """Keep compiled templates between builds (Jinja's bytecode cache, keyed on each
    template's source): compiling the theme's templates costs every build ~2 s.

    Within a build a template is read once: Jinja's ``auto_reload`` would stat its file
    every time it is looked up (each page, each ``include`` of each list item), 4.6 s of
    CPU in a 20,000-article build. Each build makes its generators' environments anew,
    so an edited template is still seen by the next build.

    ``TEMPLATE_CACHE_PATH`` (default ``<CACHE_PATH>/jinja``) may be a folder shared by
    many sites' builds (the test suite's): the key holds the environment's compile-time
    settings too (:mod:`newsroom.build.template_cache`).
    """
    env = getattr(generator, "env", None)
    if env is None:
        return
    env.auto_reload = False
    if env.bytecode_cache is not None:
        return
    folder = generator.settings.get("TEMPLATE_CACHE_PATH") or os.path.join(generator.settings["CACHE_PATH"], "jinja")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as error:
        logger.warning("%s", messages.text("build.cache_unwritable", path=folder, reason=messages.os_error(error)))
        return
    env.bytecode_cache = TemplateCache(folder)


# --- reading ---------------------------------------------------------------------------
class _Collector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


@contextmanager
def quiet_logs():
    """Route every log record to a counter for the duration (nothing is printed)."""
    root = logging.getLogger()
    saved = root.handlers[:]
    collector = _Collector()
    root.handlers[:] = [collector]
    try:
        yield collector
    finally:
        root.handlers[:] = saved


def _reader_for(readers, path):
    return readers.readers.get(file_suffix(path))


def read_quietly(readers, path):
    """(content, metadata) as the reader gives them, or None if reading failed or logged."""
    reader = _reader_for(readers, path)
    if reader is None:
        return None
    with quiet_logs() as logged:
        try:
            content, metadata = reader.read(path)
        except Exception:  # noqa: BLE001 — Pelican reads it again and reports it
            return None
    if logged.count:
        return None
    return content, _filter_discardable_metadata(metadata)


def content_stamps(generator):
    """Pelican's content cache asks each source's stamp (``CHECK_MODIFIED_METHOD``: its
    md5, so every source is read and hashed on every build): give it the SHA-256 that
    ``newsroom build`` computed of the same bytes before starting Pelican
    (``NEWSROOM_CONTENT_STAMPS``, :func:`newsroom.build.uptodate.write_content_stamps`),
    while the file's stat is still the one that hash was recorded with
    (:func:`newsroom.build.uptodate.stamp_holds`): a file saved during the build gets its
    stamp from Pelican's own hash of the bytes it finds, as before. (Pelican asks a file's
    stamp for the cache *after* reading it: a stamp taken from the table regardless would
    file the text saved midway under the hash of the bytes from before, and a file saved
    back to them would be built from the midway text next time.) A stamp is a string,
    never equal to an md5 digest (bytes), so a cache written with md5 is read again once.
    A file the table does not hold is hashed as before."""
    path = generator.settings.get("NEWSROOM_CONTENT_STAMPS")
    # The content cache is the readers' (CONTENT_CACHING_LAYER = "reader", Pelican's
    # default) or the generator's ("generator"): both ask stamps the same way.
    cachers = [cacher for cacher in (getattr(generator, "readers", None), generator)
               if getattr(cacher, "_filestamp_func", None) is not None]
    if not cachers:
        return
    stamps = read_content_stamps(path)
    if stamps is None:  # no table: every source hashed by Pelican, as before
        return
    for cacher in cachers:
        if not hasattr(cacher._filestamp_func, "stamps"):
            cacher._filestamp_func = stamped(cacher._filestamp_func, stamps)


def stamped(original, stamps):
    """A stamp function for Pelican's content cache: ``"sha256:<hex>"`` from ``stamps``
    (path -> ``[stat key, sha]``) while the file's stat holds, else ``original(filename)``."""
    def stamp(filename):
        sha = held_stamp(stamps, filename)
        return "sha256:" + sha if sha is not None else original(filename)

    stamp.stamps = stamps
    return stamp


def scope_and_prefill(generator):
    """Articles generator start: the preview scope, then the parallel read."""
    if not isinstance(generator, ArticlesGenerator):
        return
    content_stamps(generator)
    settings = generator.settings
    if setting(settings, "FASTBUILD_WORKERS") != 1:
        generator._build_period_archives = linear_period_archives(generator)
    original = generator.get_files
    memo = {}

    def get_files(paths, exclude=None, extensions=None):
        key = (_frozen(paths), _frozen(exclude), _frozen(extensions))
        if key not in memo:
            files = original(paths, exclude=exclude, extensions=extensions)
            if preview_on(settings):
                files = limit_to_preview(generator, files)
            memo[key] = files
        return set(memo[key])

    generator.get_files = get_files
    prefill_reader_cache(generator)


def _frozen(value):
    if value is None or value is False or isinstance(value, str):
        return value
    return tuple(sorted(str(v) for v in value))


def limit_to_preview(generator, files):
    settings = generator.settings
    ordered = sorted(files)
    absolute = [os.path.join(generator.path, f) for f in ordered]
    since = time.time() - setting(settings, "FASTBUILD_PREVIEW_HOURS") * 3600
    kept = set(preview_scope(absolute, setting(settings, "FASTBUILD_PREVIEW_ISSUES"), since))
    scoped = {f for f, a in zip(ordered, absolute) if a in kept}
    STATS["articles_in_preview_scope"] = (STATS.get("articles_in_preview_scope") or 0) + len(scoped)
    logger.info("fastbuild: preview scope: %d of %d files", len(scoped), len(files))
    return scoped


def prefill_reader_cache(generator):
    settings = generator.settings
    readers = generator.readers
    count = workers(settings)
    if count <= 1 or not getattr(readers, "_cache_data_policy", False):
        return
    files = generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
    pending = []
    for relative in sorted(files):
        path = os.path.abspath(os.path.join(generator.path, relative))
        if _reader_for(readers, path) is not None and readers.get_cached_data(path, None) is None:
            pending.append(path)
    if len(pending) < setting(settings, "FASTBUILD_PARALLEL_MIN"):
        return
    started = time.monotonic()
    try:
        results = fork_map(lambda path: read_quietly(readers, path), pending, count)
    except WorkerFailed as error:  # Pelican reads whatever is missing itself
        logger.warning("%s", messages.text("build.parallel_reading_stopped", reason=error))
        return
    done = 0
    for path, result in zip(pending, results):
        if result is not None:
            readers.cache_data(path, result)
            done += 1
    STATS["articles_read_in_parallel"] = done
    logger.info("fastbuild: read %d article files on %d cores in %.1f s", done, count, time.monotonic() - started)


# --- writing ---------------------------------------------------------------------------
class ChangedOnlyFile(io.StringIO):
    """A text file opened for writing that touches the disk only if its bytes change."""

    def __init__(self, path, encoding, writer):
        super().__init__()
        self.path, self.target_encoding, self.writer = path, encoding, writer
        self.replayed = None

    def write(self, text):
        if isinstance(text, Replayed):  # an unchanged page: taken from the published site
            self.replayed = text
            return 0
        return super().write(text)

    def close(self):
        if not self.closed:
            if self.replayed is not None:
                self.writer.save_replayed(self.path, self.replayed)
            else:
                self.writer.save(self.path, self.getvalue().encode(self.target_encoding))
        super().close()


class FastWriter(Writer):
    """Pelican's writer, with queued pages rendered on every core, unchanged files kept
    and, with the render record, unchanged pages not rendered at all (:mod:`.incremental`)."""

    current = None

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.workers = workers(self.settings)
        self.minimum = setting(self.settings, "FASTBUILD_PARALLEL_MIN")
        self.queue = []
        self._snapshots = {}  # id(context) -> (context, its last shallow copy)
        self.incremental = incremental_on(self.settings)
        self.deferring = self.workers > 1 or self.incremental
        self.session = None  # the render record's view of this build
        self._in_place = None
        self._relative = None  # (output folder, its relative_to)
        self._record = None
        self._outputs = None
        self.previous = setting(self.settings, "FASTBUILD_PREVIOUS_OUTPUT")
        FastWriter.current = self
        _UrlMemo.start()  # the pages are about to be written: URLs are final
        context = SHARED.get("context")
        if self.incremental and context is not None:
            # The writing phase begins and the context is final: the last build's record.
            self.session = Session(self.settings, context, self.output_path, self.previous)
            STATS["incremental"] = "full" if self.session.build.full else "incremental"
            Hooks.install()

    # Pages are queued with a snapshot of the shared context; rendering comes later.
    def write_file(self, name, template, context, *args, **kwargs):
        if not name:
            return super().write_file(name, template, context, *args, **kwargs)
        # With relative URLs Pelican's writer stores the page's ``localsiteurl`` in the
        # context it is given: such a page gets a copy of its own.
        relative = args[0] if args else kwargs.get("relative_urls")
        job = (name, template, context.copy() if relative else self._snapshot(context), args, kwargs)
        if self.deferring:
            self.queue.append(job)
            return None
        if self.session is not None:  # after the queue: one page, here and now
            record = self.session.unchanged(job)
            if record is not None:
                self._replay(job, record)
                return None
        self._take(job, self._render(job))
        return None

    def _snapshot(self, context):
        """A shallow copy of ``context`` as it is now, shared by the queued pages that see
        it in the same state. Pelican hands every page the generators' one shared context
        (~60 names), so one copy per page was ~2.2 KB of dict each, 35 MB at 2,000
        articles (15,606 queued calls) and ~1.7 GB at 100,000; a copy is taken again only
        when a name was added, removed or rebound since the last one. Values changed in
        place were never protected by the shallow copy either, so pages see exactly what
        their own copy would hold."""
        memo = self._snapshots.get(id(context))
        if memo is not None:
            source, copy = memo
            if source is context and len(copy) == len(context) and all(
                    copy.get(key, _ABSENT) is value for key, value in context.items()):
                return copy
        copy = context.copy()
        self._snapshots[id(context)] = (context, copy)
        return copy

    def flush(self):
        """Render and write every queued page; from now on pages are written at once."""
        jobs, self.queue, self.deferring = self.queue, [], False
        if not jobs:
            return
        self._check_names(jobs)
        started = time.monotonic()
        if self.session is not None:
            pending = []
            for job in jobs:
                record = self.session.unchanged(job)
                if record is None:
                    pending.append(job)
                else:
                    self._replay(job, record)
            logger.info("fastbuild: %d of %d queued pages unchanged since the last build (%.1f s)",
                        len(jobs) - len(pending), len(jobs), time.monotonic() - started)
            jobs = pending
        if len(jobs) < self.minimum or self.workers <= 1 or not fork_fits(self.settings):
            for job in jobs:
                self._take(job, self._render(job))
            return
        started = time.monotonic()
        parent_pid = os.getpid()

        def render(job):
            return self._render(job, worker=os.getpid() != parent_pid)

        results = fork_map(render, jobs, self.workers, cost=self._cost)
        for job, result in zip(jobs, results):
            self._take(job, result)
        logger.info("fastbuild: rendered %d queued pages on %d cores in %.1f s", len(jobs), self.workers,
                    time.monotonic() - started)

    def _take(self, job, result):
        """Account for a rendered job: signals for pages a worker wrote, reads and files
        for the render record."""
        written, reads, outputs = result
        if written is not None:  # rendered by a worker: send what Pelican would have sent here
            name, template, context, args, kwargs = job
            local = dict(context)
            local.update(kwargs)
            for path, changed in written:
                self._written_files.add(path)
                STATS["files_written" if changed else "files_unchanged"] += 1
                STATS["pages_rendered_by_workers"] += 1
                signals.content_written.send(path, context=local)
        if self.session is not None:
            for relative, entry in outputs:
                self.session.saved(relative, entry)
            self.session.rendered(job, reads, [relative for relative, _ in outputs])

    def _render(self, job, worker=False):
        """Render one queued job; ``(written in a worker or None, reads, outputs)``."""
        name, template, context, args, kwargs = job
        recorder = renderdeps.Recorder() if self.session is not None else None
        self._record = [] if worker else None
        self._outputs = []
        try:
            used = template if recorder is None else RecordingTemplate(template, recorder)
            Writer.write_file(self, name, used, context, *args, **kwargs)
            reads = None if recorder is None else recorder.frozen(renderdeps.key_of)
            return self._record, reads, self._outputs
        finally:
            self._record = None
            self._outputs = None

    def _replay(self, job, record):
        """A job whose inputs are unchanged: its recorded pages put in place from the
        published site (:meth:`_take_over`), or, where that shortcut does not apply,
        Pelican's own writing steps with the published pages instead of renders."""
        if self._take_over(job, record):
            return
        self._replay_through_pelican(job, record)

    def _take_over(self, job, record):
        """Put an unchanged job's recorded pages in place without Pelican's write path.

        What Pelican's ``write_file`` does for a page, per page: a copy of the ~60-name
        context, the paginator, ``makedirs``, the overwrite rules, a render, the write and
        ``content_written`` — about half of the pages phase of a rebuild that takes ~50,000
        pages over. The record already holds the pages' names (the signature, which holds
        the page's name, template, pagination and the paginated lists, is unchanged, so
        Pelican would make the same pages); only the overwrite rules and the signal remain.
        ``content_written`` is sent with the page's context and keyword arguments (a
        ``ChainMap``), as Pelican's local context holds them, without the names it derives
        per page (``output_file``, ``localsiteurl``, the paginator's): the site's one
        listener, the sitemap, reads ``article``, ``page`` or ``issue``. A job with
        ``override_output``, or whose page another job already wrote, goes Pelican's way
        (False), so that its rules and errors stay Pelican's own."""
        name, template, context, args, kwargs = job
        if kwargs.get("override_output") or (len(args) > 3 and args[3]):
            return False
        paths = [os.path.abspath(os.path.join(self.output_path, relative)) for relative in record.outputs]
        if any(path in self._written_files or path in self._overridden_files for path in paths):
            return False
        local = None
        self._outputs = []
        try:
            for relative, path in zip(record.outputs, paths):
                entry = self.session.published_entry(relative)
                self._written_files.add(path)
                self.save_replayed(path, Replayed(relative, entry), relative)
                if local is None:
                    local = ChainMap(kwargs, context)
                signals.content_written.send(path, context=local)
            outputs = self._outputs
        finally:
            self._outputs = None
        for relative, entry in outputs:
            self.session.saved(relative, entry)
        self.session.kept(job, record)
        STATS["pages_taken_over_directly"] = STATS.get("pages_taken_over_directly", 0) + len(paths)
        return True

    def _replay_through_pelican(self, job, record):
        """Pelican's own writing steps (names, overwrite rules, pagination,
        ``content_written``) with the published pages instead of renders."""
        name, template, context, args, kwargs = job
        recorder = renderdeps.Recorder()
        self._outputs = []
        try:
            replay = ReplayTemplate(template, self.session, record, recorder, self.output_path)
            Writer.write_file(self, name, replay, context, *args, **kwargs)
            outputs = self._outputs
        finally:
            self._outputs = None
        for relative, entry in outputs:
            self.session.saved(relative, entry)
        relatives = [relative for relative, _ in outputs]
        if recorder.objects or recorder.names or recorder.templates or recorder.opaque:
            # Some page of it was rendered after all: its reads join the recorded ones.
            reads = recorder.frozen(renderdeps.key_of)
            objects = {key: set(attributes) for key, attributes in record.objects}
            for key, attributes in reads.objects:
                objects.setdefault(key, set()).update(attributes)
            merged = renderdeps.Reads(tuple(sorted(set(reads.names) | set(record.names))),
                                      tuple((key, tuple(sorted(objects[key]))) for key in sorted(objects)),
                                      tuple(sorted(set(reads.templates) | set(record.templates))),
                                      tuple(sorted(set(reads.files) | set(record.files))), reads.opaque)
            self.session.rendered(job, merged, relatives)
        else:
            self.session.kept(job, record)

    def _cost(self, job):
        """About how many pages a queued call writes (long lists are paginated)."""
        name, template, context, args, kwargs = job
        paginated = kwargs.get("paginated") or {k: v for k, v in kwargs.items() if k in ("articles", "dates")}
        if not paginated:
            return 1
        per_page = self.settings.get("DEFAULT_PAGINATION") or 20
        return 1 + max(len(v) for v in paginated.values()) / per_page

    def _check_names(self, jobs):
        """Two queued pages with one file name: fail as Pelican would have."""
        seen = set()
        for name, template, context, args, kwargs in jobs:
            if kwargs.get("override_output"):
                continue
            if name in seen:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{name}" as Pelican has already written to it previously '
                    "(fastbuild: two pages have the same output file)")
            seen.add(name)

    # Files: Pelican's overwrite rules, then bytes compared with the file on disk.
    def _open_w(self, filename, encoding, override=False):
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time (was previously overwritten)')
            logger.info('Skipping "%s", not overwriting', filename)
            return open(os.devnull, "w", encoding=encoding)
        if filename in self._written_files:
            if override:
                logger.info('Overwriting "%s"', filename)
            else:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" as Pelican has already written to it previously '
                    "(set `override=True` if intended)")
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return ChangedOnlyFile(filename, encoding, self)

    def save(self, path, data):
        if self.previous:
            changed = save_staged(path, data, self.output_path, self.previous)
        else:
            changed = write_if_changed(path, data)
        if self._record is not None:
            self._record.append((path, changed))
        else:
            STATS["files_written" if changed else "files_unchanged"] = (
                STATS.get("files_written" if changed else "files_unchanged", 0) + 1)
        if self.session is not None:
            entry = renderdeps.stat_entry(os.stat(path), renderdeps.digest_of(data),
                                          page_facts(data) if path.endswith(".html") else "")
            self._note_output(path, entry)

    def save_replayed(self, path, token, relative_path=None):
        """Put an unchanged page in place: the staging folder's copy when it already holds
        the published bytes, else a copy of the published file; either way with the
        published copy's modification time (and so a new change time, which tells the
        build's sweep that this build made it). ``relative_path``: ``path`` relative to
        the output folder when the caller knows it (a recorded output, whose ``path`` was
        joined from it), else it is computed."""
        relative, published = token.relative, token.entry
        digest, mtime = published[4], published[2]
        source = os.path.join(self.session.source, relative)
        if self._in_place is None:  # the published site is the folder written to (make serve's output)
            self._in_place = os.path.realpath(self.session.source) == os.path.realpath(self.output_path)
        if not self._in_place:
            staged = self.session.staged_entry(relative)
            try:
                st = os.lstat(path)
                ready = renderdeps.same_file(staged, st) and staged[4] == digest
            except OSError:
                ready = False
            if not ready:
                make_room(path, self.output_path)
                shutil.copyfile(source, path)
                STATS["pages_copied_from_published"] = STATS.get("pages_copied_from_published", 0) + 1
        os.utime(path, ns=(mtime, mtime))
        if self._record is not None:
            self._record.append((path, False))
        else:
            STATS["files_unchanged"] = STATS.get("files_unchanged", 0) + 1
        self._note_output(path, renderdeps.stat_entry(os.stat(path), digest, published[5]), relative_path)

    def _note_output(self, path, entry, relative=None):
        if relative is None:
            if self._relative is None or self._relative[0] != self.output_path:
                self._relative = (self.output_path, relative_to(self.output_path))
            relative = self._relative[1](path).replace(os.sep, "/")
        if self._outputs is not None:
            self._outputs.append((relative, entry))
        else:
            self.session.saved(relative, entry)


def resident_mb():
    """This process's resident memory in MB (0 where /proc is not there)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0


def fork_fits(settings):
    """Whether forking render workers keeps the build within ``FASTBUILD_FORK_MEMORY_MB``.

    A forked worker shares the parent's memory only until it touches it, and rendering a
    page touches every object the page reads (CPython writes reference counts): at
    100,000 articles the parent held 2.1 GB when the render forked, and parent and worker
    grew to ~2.9 and ~2.7 GB (PSS). Above the limit the pages are rendered here alone,
    slower but within memory."""
    limit = setting(settings, "FASTBUILD_FORK_MEMORY_MB")
    held = resident_mb()
    STATS["render_resident_mb"] = round(held)
    if limit and 2 * held > limit:
        STATS["render_forked"] = False
        logger.info("fastbuild: rendering in one process: %.0f MB held, and a worker would copy most of it "
                    "(FASTBUILD_FORK_MEMORY_MB = %d)", held, limit)
        return False
    STATS["render_forked"] = True
    return True


def write_if_changed(path, data):
    """Write ``data`` to ``path`` unless the file already holds exactly it; True if written."""
    try:
        if os.path.getsize(path) == len(data):
            with open(path, "rb") as handle:
                if handle.read() == data:
                    return False
    except OSError:
        pass
    with open(path, "wb") as handle:
        handle.write(data)
    return True


def save_staged(path, data, output_root, previous_root):
    """Save a page into ``newsroom build``'s staging folder; True if it differs from the
    published site ``previous_root``.

    The staging folder is new, or the site the build before last replaced (recycled,
    ``newsroom.build.staging.prepare_staging``): the file is written only if it
    does not already hold ``data``. A page equal to the published copy gets that copy's
    modification time; one that differs from it but was found unchanged in the recycled
    folder gets the current time, as a written one would. Either way the file's ctime
    is now at least the build's start, which tells the build's sweep that this build
    made it.
    """
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)  # a recycled folder where this build has a page
    written = write_if_changed(path, data)
    if keep_time_of_previous(path, data, output_root, previous_root):
        return False
    if not written:
        os.utime(path)
    return True


def keep_time_of_previous(path, data, output_root, previous_root):
    """Give the file ``path`` just written with ``data`` the modification time of the
    same file in the site ``previous_root`` when that holds exactly ``data``; True if so."""
    try:
        old = os.path.join(previous_root, os.path.relpath(path, output_root))
        info = os.stat(old)
        if info.st_size != len(data):
            return False
        with open(old, "rb") as handle:
            if handle.read() != data:
                return False
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
        return True
    except (OSError, ValueError):
        return False


def mark(name):
    """Note the wall-clock and CPU time (this process, since it started) and the resident
    memory of a phase's end."""
    STATS.setdefault("clock", {})[name] = time.time()
    STATS.setdefault("cpu_clock", {})[name] = round(time.process_time(), 3)
    STATS.setdefault("resident_mb", {})[name] = round(resident_mb())


def get_writer(pelican):
    return FastWriter


def flush_before_static(generators):
    """Render the queue when the static generator starts: after every page generator,
    before ``finalized`` (the search index reads the written pages)."""
    mark("context_done")
    fast_list_pages(generators)
    # The writer is made after this signal: it finds the shared context here.
    SHARED["context"] = generators[0].context if generators else None
    for generator in generators:
        if isinstance(generator, StaticGenerator):
            original = generator.generate_output

            def generate_output(writer, original=original):
                if isinstance(writer, FastWriter):
                    writer.flush()
                mark("pages_done")
                return original(writer)

            generator.generate_output = generate_output
            return


def finish_build(pelican):
    mark("finalized")
    _UrlMemo.stop()
    writer = FastWriter.current
    if writer is not None and writer.queue:  # no static generator ran: flush late
        logger.warning("%s", messages.text("build.pages_written_late"))
        writer.flush()
    if writer is not None and writer.session is not None:
        writer.session.finish()
        STATS.update(writer.session.counts)
        STATS["always_rendered"] = dict(sorted(writer.session.always.items())[:20])
    Hooks.uninstall()
    FastWriter.current = None
    slugs.save_pinyin_memo()  # names first slugged late in the build (reporters' pages)
    mark("recorded")
    build_stats.write(pelican.settings["CACHE_PATH"], STATS_FILE, STATS)


def register():
    signals.initialized.connect(start_build)
    signals.generator_init.connect(cache_templates)
    # After the generator's content cache is made (generator_init comes before it); the
    # articles generator's, from scope_and_prefill, before the parallel read asks stamps.
    signals.page_generator_init.connect(content_stamps)
    signals.article_generator_init.connect(scope_and_prefill)
    signals.get_writer.connect(get_writer)
    signals.all_generators_finalized.connect(flush_before_static)
    signals.finalized.connect(finish_build)
    signals.content_object_init.connect(register_content)
