"""Settings for the published site: the preview settings plus the public address."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("NEWSROOM_SITEURL", "")
SITE_PERMALINK_BASE = os.environ.get("NEWSROOM_PERMALINK_BASE", "https://news.example.org")
FEED_DOMAIN = SITE_PERMALINK_BASE
RELATIVE_URLS = False
# A published build does not load Pelican's content cache: every article is read and
# parsed again. It is not a build from nothing: `newsroom build --publish` still skips
# Pelican when the site is up to date (same inputs, same output files as after the last
# --publish build), and the keyword, search-shard and template caches in output.cache/
# still apply (each keyed by what it was computed from). Only the check is always run
# in full for publishing. `make clean` first for a build from nothing.
LOAD_CONTENT_CACHE = False
