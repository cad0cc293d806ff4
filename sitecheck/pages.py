"""Walking the built site."""

from pathlib import Path
from urllib.parse import unquote, urlparse

from bs4 import BeautifulSoup


def html_pages(output):
    output = Path(output)
    return sorted(p for p in output.rglob("*.html") if "pagefind" not in p.relative_to(output).parts)


def parse(path):
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "lxml")


def parsed_pages(output):
    """``(name relative to output, parsed page)`` for every HTML page of the built site."""
    output = Path(output).resolve()
    for page in html_pages(output):
        yield relative(output, page), parse(page)


def relative(output, path):
    return Path(path).relative_to(output).as_posix()


def target_file(output, page, url):
    """The file an internal ``url`` on ``page`` points at (None for other hosts)."""
    parsed = urlparse(url)
    if parsed.scheme not in ("", "http", "https") or parsed.netloc:
        return None
    path = unquote(parsed.path)
    if not path:
        return page  # a fragment or query on the same page
    base = Path(output) if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve()
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target
