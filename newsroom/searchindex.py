"""The archive search index: Pagefind plus Chinese character bigrams.

Pagefind 1.5 cuts a Chinese page with jieba when it indexes it, but the browser cuts
the query with ``Intl.Segmenter``; when the two cut a phrase differently (送温暖,
门头沟区总工会) the query's words are not the index's words and articles that contain
the phrase are missed. Archivists cannot miss an article, so every indexed page also
gets, in the copy handed to Pagefind only (the HTML on disk is unchanged), one hidden
block listing each distinct pair of neighbouring Han characters of its indexed text,
written as a seven-letter token (:func:`bigram_token`). ``theme/static/js/search-core.js``
turns a query into the same tokens; Pagefind returns the pages holding all of them,
a superset of the pages containing the exact string, and the page script keeps only
those whose text really contains it. A query of two or more Han characters therefore
finds every article whose headline or body contains it.

Tokens are lower-case ASCII letters because Pagefind keeps such words whole in a
Chinese page (no segmentation, no stemming), and all have the same length so that
Pagefind's prefix match on the last query word cannot widen one token into another.
"""

import logging
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import lxml.html

from newsroom import pagefind_files

log = logging.getLogger(__name__)

# Han characters covered by the bigram tokens: CJK Unified Ideographs and Extension A.
HAN_FIRST, HAN_LAST = 0x3400, 0x9FFF
HAN_SPAN = HAN_LAST - HAN_FIRST + 1
HAN_RUN = re.compile(r"[\u3400-\u9fff]{2,}")
TOKEN_LETTERS = 7  # 26**7 > HAN_SPAN**2: every pair has its own token
# Marks where the bigram block starts in a page's indexed text, so the page script can
# cut it off before showing an excerpt.
BIGRAM_MARKER = "zzbigramszz"
BODY_ATTRIBUTE = "data-pagefind-body"
FINGERPRINT_FILE = ".inputs-sha256"
# Pagefind's ready-made search UIs: the site has its own page (theme/static/js/search.js).
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)


def bigram_token(first, second):
    """The token of the two Han characters ``first`` and ``second`` (e.g. 送温 -> ccvazun)."""
    value = (ord(first) - HAN_FIRST) * HAN_SPAN + (ord(second) - HAN_FIRST)
    letters = []
    for _ in range(TOKEN_LETTERS):
        value, rest = divmod(value, 26)
        letters.append(chr(97 + rest))
    return "".join(reversed(letters))


def bigram_tokens(text):
    """The sorted distinct bigram tokens of every run of two or more Han characters."""
    tokens = set()
    for run in HAN_RUN.findall(text):
        for index in range(len(run) - 1):
            tokens.add(bigram_token(run[index], run[index + 1]))
    return sorted(tokens)


def indexed_text(tree):
    """The text Pagefind indexes: every ``data-pagefind-body`` element minus ignored parts."""
    parts = []
    for element in tree.xpath(f"//*[@{BODY_ATTRIBUTE}]"):
        for ignored in element.xpath(".//*[@data-pagefind-ignore]"):
            ignored.drop_tree()  # keeps the text that follows it
        parts.append(element.text_content())
    return "\n".join(parts)


def with_bigrams(html):
    """``html`` plus the hidden bigram block, or None when the page has no indexed body."""
    if BODY_ATTRIBUTE not in html:
        return None
    tree = lxml.html.document_fromstring(html)
    if not tree.xpath(f"//*[@{BODY_ATTRIBUTE}]"):
        return None
    tokens = bigram_tokens(indexed_text(tree))
    block = f'<div {BODY_ATTRIBUTE} hidden>{BIGRAM_MARKER} {" ".join(tokens)}</div>'
    position = html.rfind("</body>")
    if position < 0:
        return html + block
    return html[:position] + block + html[position:]


def article_pages(site, bundle_dir="pagefind"):
    """Relative paths (sorted, so the index is built in a fixed order) of pages to index."""
    site = Path(site)
    pages = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site)
        if relative.parts[0] == bundle_dir:
            continue
        pages.append(relative)
    return pages


def _url_of(relative):
    """The page's URL as Pagefind gives it: ``2024/01/02/x/index.html`` -> ``/2024/01/02/x/``."""
    url = relative.as_posix()
    return "/" + (url[: -len("index.html")] if url.endswith("index.html") else url)


SORT_KEY = re.compile(r'data-pagefind-sort="date:([^"]*)"')


def stage_pages(site, staging, bundle_dir="pagefind"):
    """Copy the pages to index into ``staging`` with their bigram blocks.

    Returns ``{url: date sort key}`` of the staged pages.

    Pagefind's CLI indexes a folder ~50 times faster than its Python API, which sends
    the pages one by one over a pipe; the copies exist only for the length of the run.
    """
    site, staging = Path(site), Path(staging)
    keys = {}
    for relative in article_pages(site, bundle_dir):
        html = with_bigrams((site / relative).read_text(encoding="utf-8"))
        if html is None:
            continue
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        key = SORT_KEY.search(html)
        keys[_url_of(relative)] = key.group(1) if key else ""
    return keys


def run_pagefind(staging, bundle):
    """Run the Pagefind binary (from the ``pagefind[extended]`` package) on ``staging``."""
    command = [sys.executable, "-m", "pagefind", "--site", str(staging), "--output-path", str(bundle), "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True)
    for line in (result.stdout + result.stderr).splitlines():
        # Pagefind warns that Chinese has no stemmer; the bigram tokens make stems moot.
        if line.strip() and "stemming" not in line and "root words" not in line:
            log.info("searchindex: pagefind: %s", line.strip())
    if result.returncode != 0:
        raise RuntimeError(f"searchindex: pagefind failed ({result.returncode}): {result.stderr.strip()[-500:]}")


def inputs_fingerprint(site, output_subdir="pagefind"):
    """``(fingerprint, page count)`` of what decides the bundle: the pages and this code."""
    digest = hashlib.sha256()
    for module in (Path(__file__), Path(pagefind_files.__file__)):
        digest.update(module.read_bytes())
    digest.update(_pagefind_version().encode())
    count = 0
    for relative in article_pages(site, output_subdir):
        data = (Path(site) / relative).read_bytes()
        if BODY_ATTRIBUTE.encode() in data:
            digest.update(relative.as_posix().encode() + b"\0" + hashlib.sha256(data).digest())
            count += 1
    return digest.hexdigest(), count


def _pagefind_version():
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind_bin_extended")
    except PackageNotFoundError:
        return "unknown"


def build_index(site, output_subdir="pagefind", cache_dir=None):
    """Index the built ``site`` folder into ``site/<output_subdir>``; returns the page count.

    The bundle is then made byte-reproducible by :func:`newsroom.pagefind_files.normalize_bundle`.
    With ``cache_dir``, the finished bundle is kept there with the fingerprint of its
    inputs (the indexed pages and this code); when a later build's pages are the same it
    is copied from there instead of being made again.
    """
    site = Path(site)
    bundle = site / output_subdir
    # A bundle left by an earlier build (``make serve`` reuses output/) would keep stale files.
    shutil.rmtree(bundle, ignore_errors=True)
    cached = Path(cache_dir) / "search-bundle" if cache_dir else None
    if cached is not None:
        fingerprint, count = inputs_fingerprint(site, output_subdir)
        stamp = cached / FINGERPRINT_FILE
        if count and stamp.is_file() and stamp.read_text(encoding="utf-8") == fingerprint:
            shutil.copytree(cached, bundle, ignore=shutil.ignore_patterns(FINGERPRINT_FILE))
            log.info("searchindex: %d pages unchanged; bundle copied from %s", count, cached)
            return count
    with tempfile.TemporaryDirectory(prefix="search-pages-") as staging:
        sort_keys = stage_pages(site, staging, output_subdir)
        if sort_keys:
            run_pagefind(staging, bundle)
    count = len(sort_keys)
    if count:
        # The site always sorts by date, never by relevance: the word counts that only
        # weigh relevance are left out of the meta file every first query downloads.
        finished = pagefind_files.normalize_bundle(bundle, BIGRAM_MARKER, sort_keys, keep_word_counts=False)
        for name in UNUSED_BUNDLE_FILES:
            (bundle / name).unlink(missing_ok=True)
        if cached is not None and finished:
            shutil.rmtree(cached, ignore_errors=True)
            shutil.copytree(bundle, cached)
            (cached / FINGERPRINT_FILE).write_text(fingerprint, encoding="utf-8")
    log.info("searchindex: indexed %d pages of %s", count, site)
    return count
