"""Settings for the published site: the preview settings plus the public address."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("NEWSROOM_SITEURL", "")
SITE_PERMALINK_BASE = os.environ.get("NEWSROOM_PERMALINK_BASE", "https://news.example.org")
FEED_DOMAIN = SITE_PERMALINK_BASE
RELATIVE_URLS = False
# A published build starts from nothing cached, so it is a clean full build.
LOAD_CONTENT_CACHE = False
