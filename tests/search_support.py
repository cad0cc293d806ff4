"""Shared by the search tests: serve a built site, drive Chromium, exact-substring truth."""

import contextlib
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import markdown
from bs4 import BeautifulSoup

from newsroom.paper.content import read_source
from newsroom.text.slugs import slugify_headline
from sitecheck.browser import chromium  # noqa: F401 — the one Chromium launcher, the tests' too

ROOT = Path(__file__).resolve().parents[1]
# Generous: the machine has two cores shared by everyone.
WAIT_MS = 30_000


@contextlib.contextmanager
def serve(site):
    """``python -m http.server`` on a free localhost port; yields the base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(f"http.server did not start on port {port}")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def wait_until_searched(page):
    """Wait until the search page has drawn its results (not only started)."""
    page.wait_for_selector("#search-app[data-state=done]", state="attached", timeout=WAIT_MS)


class SourceArticle:
    """One Markdown source as search sees it: its URL and the text that is indexed."""

    def __init__(self, source):
        self.source = source
        self.title = source.title
        self.draft = (source.get("status") or "").strip().lower() == "draft"
        date = source.get("date")[:10]
        slug = source.get("slug") or slugify_headline(source.title)
        self.url = "/{}/{}/{}/{}/".format(*date.split("-"), slug)
        tree = BeautifulSoup(markdown.markdown(source.text, extensions=["extra"]), "lxml")
        # A photo's caption (the image's title) is shown, and indexed, as the figure's caption.
        for image in tree.find_all("img"):
            image.replace_with(f" {image.get('title') or ''} ")
        body = tree.get_text()
        # Headline block (引题, 主题, 副题) and body: what the templates mark data-pagefind-body.
        self.text = "\n".join([source.get("kicker") or "", self.title, source.get("subtitle") or "", body])

    def contains(self, query):
        return all(term in self.text for term in query.split())


def source_articles(content=ROOT / "content"):
    return [SourceArticle(read_source(path)) for path in sorted(Path(content).rglob("*.md"))
            if "pages" not in path.relative_to(content).parts]


def expected_urls(articles, query):
    """Ground truth: the published articles whose indexed text contains ``query`` exactly."""
    return sorted(a.url for a in articles if not a.draft and a.contains(query))


HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
