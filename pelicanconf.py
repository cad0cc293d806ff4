"""Pelican settings for the sample site and for editors' previews.

``publishconf.py`` starts from these and changes only what publishing needs.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# The plugins import the shared newsroom package from the repository root.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from newsroom.paper.epaper import newest_first  # noqa: E402 (needs the path above)

SITENAME = "北京工会日报"
SITE_SHORT_NAME = "工会日报"
SITE_DESCRIPTION = "北京市总工会主办的职工日报：首都工会新闻、职工维权、帮扶送温暖与职工文化。"
SITEURL = ""
# The absolute address used in citations, feeds and the sitemap; publishconf sets the real one.
SITE_PERMALINK_BASE = "https://news.example.org"

PATH = "content"
ARTICLE_PATHS = [""]
ARTICLE_EXCLUDES = ["pages"]
PAGE_PATHS = ["pages"]
# Published as they are, after newsroom/paper/content_tree.py's rules (the content_guard plugin).
from newsroom.paper.content_tree import static_folders  # noqa: E402

STATIC_PATHS = static_folders()
THEME = "theme"
OUTPUT_PATH = "output"

TIMEZONE = "Asia/Shanghai"
# An article is published at its Date (Beijing time): until then the site leaves it out
# (plugins/release; the preview shows it with a banner).
RELEASE_EMBARGO = True
DEFAULT_LANG = "zh-CN"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
DEFAULT_CATEGORY = "新闻"
DEFAULT_PAGINATION = 20
# Lists (home page, tags, reporters, districts, topics, feeds): newest day first, and within
# a day the e-paper's reading order, as the date indexes and the catalogue have it.
ARTICLE_ORDER_BY = newest_first
SUMMARY_MAX_LENGTH = None  # summaries come from newsroom.text.summary (the reader sets them)

# Citable URLs: /YYYY/MM/DD/<pinyin-slug>/ (the slug is set by the newsroom_reader plugin).
ARTICLE_URL = "{date:%Y}/{date:%m}/{date:%d}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = ""  # drafts are never written (nor read: plugins/release): they must not reach readers
DRAFT_PAGE_SAVE_AS = ""
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = TAGS_URL + "index.html"
# Chinese tags keep their characters in the URL: pinyin would merge homophones.
SLUGIFY_USE_UNICODE = True
CATEGORY_SAVE_AS = ""  # one paper, one category: no category pages
# Every article still needs a category object (Pelican's draft writer reads it).
DEFAULT_METADATA = {"category": "新闻"}
USE_FOLDER_AS_CATEGORY = False
CATEGORIES_SAVE_AS = ""
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = ARCHIVES_URL + "index.html"
AUTHORS_URL = "reporters/"
AUTHORS_SAVE_AS = AUTHORS_URL + "index.html"
AUTHOR_URL = "reporters/{slug}/"
AUTHOR_SAVE_AS = AUTHOR_URL + "index.html"
# Date indexes under the articles' own addresses, so that cutting an article's URL back
# (/2024/05/14/<slug>/ -> /2024/05/14/, /2024/05/, /2024/) always lands on a page.
YEAR_ARCHIVE_URL = "{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = YEAR_ARCHIVE_URL + "index.html"
MONTH_ARCHIVE_URL = "{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_URL + "index.html"
DAY_ARCHIVE_URL = "{date:%Y}/{date:%m}/{date:%d}/"
DAY_ARCHIVE_SAVE_AS = DAY_ARCHIVE_URL + "index.html"
INDEX_SAVE_AS = "index.html"
DIRECT_TEMPLATES = ["index", "tags", "authors", "archives", "404"]  # 404 -> /404.html
# robots.txt names the sitemap for search engines (readers get /archives/ instead).
TEMPLATE_PAGES = {"robots.txt": "robots.txt"}
PAGINATED_TEMPLATES = {"index": None, "tag": None, "author": None, "archives": 100}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

FEED_DOMAIN = SITE_PERMALINK_BASE
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_MAX_ITEMS = 50
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
RSS_FEED_SUMMARY_ONLY = True

RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = False
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
CHECK_MODIFIED_METHOD = "md5"
# Pelican loads and saves its whole content cache on every build that runs it: gzip was
# most of that (at 2,000 articles 0.14 of 0.16 CPU-s to load, 0.10 to compress 4.6 MB; ten
# times that at 20,000), for a cache of tens of MB on disk (docs/performance.md).
GZIP_CACHE = False

# One Markdown configuration for the build and `newsroom check` (newsroom/paper/markup.py);
# the reader then sanitizes the HTML (newsroom/paper/sanitize.py).
from newsroom.paper import markup  # noqa: E402

MARKDOWN = markup.pelican_settings()

# Articles are Markdown only, read by the newsroom_reader plugin, which sanitizes their HTML:
# Pelican's own HTML and reStructuredText readers would publish an .html file's scripts (or
# an .rst file's `raw` HTML) unsanitized, so they are switched off (docs/security.md).
READERS = {"html": None, "htm": None, "rst": None}

PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "release",  # drafts and articles not yet due (Date in the future) are left out: embargo
    "newsroom_reader",
    "content_guard",  # only allowed, real static files are copied (docs/security.md)
    "site_extras",
    "districts",
    "keywords",
    "topics",
    "epaper",
    "pageimages",  # page images with article areas, IIIF and ALTO (after epaper: it reads the issues)
    "search",
    "corrections",
    "catalogue",  # /catalogue/: every article as CSV and JSON for archivists
    "photos",  # photos beside articles: made by newsroom/images, figures, thumbnails, shares
    "fastbuild",  # parallel reading and rendering, unchanged files kept, preview scope
]

MENU_LINKS = (
    ("首页", "/"),
    ("往期回顾", "/epaper/"),
    ("专题", "/topics/"),
    ("各区", "/districts/"),
    ("记者", "/reporters/"),
    ("关键词", "/tags/"),
    ("检索", "/search/"),
)

# Metadata is untrusted text: templates escape everything but article HTML.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "extensions": [], "autoescape": True}

# --- topics ---
# The standing topics (专题): newsroom/data/topics.toml is the one place to edit them;
# `python -m newsroom analyze` reads the same file.
from newsroom.text.topics import load_topics  # noqa: E402

TOPICS = load_topics()

# --- photos ---
# The image pipeline's cache (default <CACHE_PATH>/photos); the test suite shares one
# between its builds through the environment, as a warm machine would.
PHOTOS_CACHE_PATH = os.environ.get("NEWSROOM_PHOTOS_CACHE", "")

# --- page images ---
# Where the page images' tiles and clean downloads are kept (plugins/pageimages; default
# <CACHE_PATH>, as page-tiles/ and page-downloads/); shared by the test suite's builds.
PAGEIMAGES_CACHE_PATH = os.environ.get("NEWSROOM_PAGEIMAGES_CACHE", "")

# --- templates ---
# Where compiled templates are kept (plugins/fastbuild; default <CACHE_PATH>/jinja); the
# test suite shares one folder between its builds, as a warm machine would.
TEMPLATE_CACHE_PATH = os.environ.get("NEWSROOM_TEMPLATE_CACHE", "")

# --- search ---
DIRECT_TEMPLATES = [*DIRECT_TEMPLATES, "search"]
SEARCH_SAVE_AS = "search/index.html"
SEARCH_URL = "search/"
