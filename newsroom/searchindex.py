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

import asyncio
import logging
import re
from pathlib import Path

from bs4 import BeautifulSoup

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


def indexed_text(soup):
    """The text Pagefind indexes: every ``data-pagefind-body`` element minus ignored parts."""
    parts = []
    for element in soup.find_all(attrs={BODY_ATTRIBUTE: True}):
        for ignored in element.find_all(attrs={"data-pagefind-ignore": True}):
            ignored.decompose()
        parts.append(element.get_text())
    return "\n".join(parts)


def with_bigrams(html):
    """``html`` plus the hidden bigram block, or None when the page has no indexed body."""
    if BODY_ATTRIBUTE not in html:
        return None
    soup = BeautifulSoup(html, "lxml")
    if soup.find(attrs={BODY_ATTRIBUTE: True}) is None:
        return None
    tokens = bigram_tokens(indexed_text(soup))
    block = f'<div {BODY_ATTRIBUTE} hidden>{BIGRAM_MARKER} {" ".join(tokens)}</div>'
    position = html.rfind("</body>")
    if position < 0:
        return html + block
    return html[:position] + block + html[position:]


def article_pages(site):
    """Relative paths (sorted, so the index is built in a fixed order) of pages to index."""
    site = Path(site)
    pages = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site)
        if relative.parts[0] == "pagefind":
            continue
        pages.append(relative)
    return pages


async def _build(site, output_subdir, config):
    from pagefind.index import PagefindIndex

    site = Path(site)
    indexed = 0
    async with PagefindIndex(config=config) as index:
        for relative in article_pages(site):
            html = with_bigrams((site / relative).read_text(encoding="utf-8"))
            if html is None:
                continue
            await index.add_html_file(content=html, url="/" + _url_of(relative))
            indexed += 1
        await index.write_files(output_path=str(site / output_subdir))
    return indexed


def _url_of(relative):
    url = relative.as_posix()
    return url[: -len("index.html")] if url.endswith("index.html") else url


def build_index(site, output_subdir="pagefind"):
    """Index the built ``site`` folder into ``site/<output_subdir>``; returns the page count.

    The search bundle is then made byte-reproducible by :mod:`newsroom.pagefind_files`.
    """
    config = {"output_path": output_subdir}
    count = asyncio.run(_build(site, output_subdir, config))
    log.info("searchindex: indexed %d pages of %s", count, site)
    return count
