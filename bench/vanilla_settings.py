"""Vanilla Pelican for the benchmark: no plugins, Pelican's ``simple`` theme.

Only what the same content needs to build without URL clashes is set (dated article
URLs, as in pelicanconf.py, since many headlines recur across the years). Pelican's
content cache is on, as it is for our build, so the rebuild figures compare like with like.
"""

SITENAME = "Vanilla Pelican"
SITEURL = ""
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh-CN"
PATH = "content"
ARTICLE_PATHS = [""]
ARTICLE_EXCLUDES = ["pages"]
PAGE_PATHS = ["pages"]
ARTICLE_URL = "{date:%Y}/{date:%m}/{date:%d}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
DEFAULT_PAGINATION = 20
PLUGINS = []
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CHECK_MODIFIED_METHOD = "md5"
DRAFT_SAVE_AS = ""  # as in pelicanconf.py: drafts are never written

# Pelican's own `simple` theme (the benchmark also passes it with -t): set here too, so
# that `pelican --autoreload` with this file alone previews with the same theme.
import os as _os  # noqa: E402

import pelican as _pelican  # noqa: E402

THEME = _os.path.join(_os.path.dirname(_pelican.__file__), "themes", "simple")
