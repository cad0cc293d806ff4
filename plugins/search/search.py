"""search: build the Pagefind archive index when Pelican has written the site.

Runs on ``finalized``, indexes the article pages of the output folder (only what the
templates mark ``data-pagefind-body``: headline block and story body) and writes the
search bundle to ``<output>/<SEARCH_BUNDLE_DIR>/``. The logic, including the Chinese
bigram tokens that make recall exact, lives in :mod:`newsroom.build.searchindex`.

Settings: ``SEARCH_INDEX`` (bool, default True: set False to skip indexing, e.g. in
quick previews), ``SEARCH_BUNDLE_DIR`` (default ``pagefind``), ``SEARCH_CACHE`` (bool,
default True: keep each shard's finished bundle in ``CACHE_PATH/search-shards/`` and
reuse it while that shard's pages do not change), ``SEARCH_SHARD`` (``"year"``, the
default, or ``"month"``: the period of articles each index bundle holds) and
``SEARCH_SHARD_MAX_PAGES`` (int, default 300, 0 for no limit: a year with more
articles is cut into runs of whole months) and ``SEARCH_SHARD_MIN_PAGES`` (int, default
200, 0 to keep every period alone: older periods are joined into shards of at least
that many articles, since each shard adds to what a complete search downloads; the
newest period always stays alone). See docs/search.md.

``SEARCH_JOB_FILE`` (a path; ``newsroom build`` sets it): the index is not built here
but described in that file, and ``newsroom build`` builds it once Pelican has exited,
so that the Pagefind runs do not share the machine's memory with Pelican's build state.
"""

import logging
import time

from pelican import signals

from newsroom import messages
from newsroom.build import searchindex

logger = logging.getLogger(__name__)

DEFAULTS = {"SEARCH_INDEX": True, "SEARCH_BUNDLE_DIR": "pagefind", "SEARCH_CACHE": True,
            "SEARCH_SHARD": "year", "SEARCH_SHARD_MAX_PAGES": searchindex.DEFAULT_MAX_PAGES,
            "SEARCH_SHARD_MIN_PAGES": searchindex.DEFAULT_MIN_PAGES}


def setting(settings, name):
    value = settings.get(name, DEFAULTS[name])
    expected = type(DEFAULTS[name])
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise ValueError(f"search: {name} must be a {expected.__name__}, not {value!r}")
    if name == "SEARCH_BUNDLE_DIR" and (not value or "/" in value.strip("/") or value.startswith(".")):
        raise ValueError(f"search: SEARCH_BUNDLE_DIR must be one folder name such as 'pagefind', not {value!r}")
    if name == "SEARCH_SHARD" and value not in searchindex.SHARD_PERIODS:
        raise ValueError(f"search: SEARCH_SHARD must be one of {', '.join(searchindex.SHARD_PERIODS)}, not {value!r}")
    if name in ("SEARCH_SHARD_MAX_PAGES", "SEARCH_SHARD_MIN_PAGES") and value < 0:
        raise ValueError(f"search: {name} must be 0 (no limit) or a number of pages, not {value!r}")
    return value


def add_months(generator):
    """``SEARCH_MONTHS``: ``[("2024-01", "2024年1月"), ...]`` for the search page's date range.

    Written into the page so that the range can be drawn without downloading Pagefind's
    filter files (they grow with the archive; a first query should not need them).
    """
    months = sorted({article.date.strftime("%Y-%m") for article in generator.articles})
    generator.context["SEARCH_MONTHS"] = [(m, f"{int(m[:4])}年{int(m[5:])}月") for m in months]


def index_site(pelican):
    settings = pelican.settings
    if not setting(settings, "SEARCH_INDEX"):
        logger.info("search: SEARCH_INDEX is False; no search index written")
        return
    started = time.monotonic()
    cache = settings.get("CACHE_PATH") if setting(settings, "SEARCH_CACHE") else None
    job_file = settings.get("SEARCH_JOB_FILE")
    if job_file:
        searchindex.write_job(job_file, pelican.output_path, setting(settings, "SEARCH_BUNDLE_DIR").strip("/"), cache,
                              period=setting(settings, "SEARCH_SHARD"),
                              max_pages=setting(settings, "SEARCH_SHARD_MAX_PAGES"),
                              min_pages=setting(settings, "SEARCH_SHARD_MIN_PAGES"))
        logger.info("search: the index is left to the caller (%s)", job_file)
        return
    count = searchindex.build_index(pelican.output_path, setting(settings, "SEARCH_BUNDLE_DIR").strip("/"), cache,
                                    period=setting(settings, "SEARCH_SHARD"),
                                    max_pages=setting(settings, "SEARCH_SHARD_MAX_PAGES"),
                                    min_pages=setting(settings, "SEARCH_SHARD_MIN_PAGES"))
    if count == 0:
        logger.warning("%s", messages.text("build.search_empty"))
    logger.info("search: indexed %d articles in %.1f s", count, time.monotonic() - started)


def register():
    signals.article_generator_finalized.connect(add_months)
    signals.finalized.connect(index_site)
