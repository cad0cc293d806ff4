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

import hashlib
import itertools
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html

from newsroom.build import lifeline, marshal_file, pagefind_files, parallel, renderdeps

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
FINGERPRINT_FILE = ".shard.json"  # in each cached shard: fingerprint of its inputs, page count
# Pagefind's ready-made search UIs (the site has its own page, theme/static/js/search.js)
# and its web worker (the page runs Pagefind without one: search-core.js).
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js", "pagefind-worker.js",
)


def bigram_token(first, second):
    """The token of the two Han characters ``first`` and ``second`` (e.g. 送温 -> ccvazun)."""
    value = (ord(first) - HAN_FIRST) * HAN_SPAN + (ord(second) - HAN_FIRST)
    letters = []
    for _ in range(TOKEN_LETTERS):
        value, rest = divmod(value, 26)
        letters.append(chr(97 + rest))
    return "".join(reversed(letters))


# Every three-letter string in order, for the pairs' tokens in bulk (bigram_tokens).
_THREE_LETTERS = ["".join(letters) for letters in itertools.product("abcdefghijklmnopqrstuvwxyz", repeat=3)]


def bigram_tokens(text):
    """The sorted distinct bigram tokens of every run of two or more Han characters.

    The same tokens as :func:`bigram_token` gives pair by pair, written from each
    distinct pair's number in three table lookups instead of seven divisions (a page
    has ~1,600 pairs; this was a fifth of staging a shard for Pagefind).
    """
    values = set()
    for run in HAN_RUN.findall(text):
        codes = [ord(character) - HAN_FIRST for character in run]
        values.update(map(lambda first, second: first * HAN_SPAN + second, codes, codes[1:]))
    table = _THREE_LETTERS
    # 7 letters: one for value // 26**6, then two groups of three (26**3 = 17,576 each).
    return sorted(chr(97 + value // 308915776) + table[value // 17576 % 17576] + table[value % 17576]
                  for value in values)


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
    staged = staged_page(html)
    return None if staged is None else staged[0]


def staged_page(html):
    """``(html plus the hidden bigram block, its index view)``, or None when the page has no
    indexed body. The view (:func:`index_view`) is a digest of what Pagefind reads of it."""
    found = page_block(html)
    return None if found is None else (with_block(html, found[0]), found[1])


def page_block(html):
    """``(the hidden bigram block of the page html, its index view)``, or None when the
    page has no indexed body: what :func:`staged_page` adds to a page, a function of its bytes."""
    if BODY_ATTRIBUTE not in html:
        return None
    tree = lxml.html.document_fromstring(html)
    bodies = tree.xpath(f"//*[@{BODY_ATTRIBUTE}]")
    if not bodies:
        return None
    marked = _marked_elements(tree)  # before indexed_text drops the ignored parts
    tokens = bigram_tokens(indexed_text(tree))
    block = f'<div {BODY_ATTRIBUTE} hidden>{BIGRAM_MARKER} {" ".join(tokens)}</div>'
    return block, index_view(marked, bodies)


def with_block(html, block):
    """``html`` with ``block`` put before its ``</body>`` (at the end when it has none)."""
    position = html.rfind("</body>")
    return html + block if position < 0 else html[:position] + block + html[position:]


# What Pagefind reads of a page besides its indexed bodies: every element carrying one of
# its attributes (filters, metadata, sort keys, weights; the text of a filter or meta
# element is its value), and the elements its default metadata comes from (the first
# <h1> for the title, the first <img> for the image) and the page's language.
MARKED = ("//*[@*[starts-with(name(), 'data-pagefind')]] | //h1 | //img | //title | /html")
IGNORE_ATTRIBUTE = "data-pagefind-ignore"
NO_VIEW = "-"  # the index view of a page that has no indexed body after all


def _marked_elements(tree):
    """``(tag, attributes, text)`` of each element Pagefind reads apart from the bodies.

    An element marked only ``data-pagefind-ignore`` (the 相关报道 box) and the page's
    ``<html>`` count by their attributes alone: their text is not indexed (what Pagefind
    takes from inside them, a filter or meta element, is listed on its own).
    """
    marked = []
    for element in tree.xpath(MARKED):
        attributes = sorted(element.attrib.items())
        valued = element.tag in ("h1", "title") or any(
            name.startswith("data-pagefind") and name not in (IGNORE_ATTRIBUTE, BODY_ATTRIBUTE)
            for name, _ in attributes)
        marked.append((element.tag, attributes, element.text_content() if valued else None))
    return marked


def index_view(marked, bodies):
    """A digest of what Pagefind indexes of a staged page: its marked elements
    (:func:`_marked_elements`) and its indexed bodies as HTML once the ignored parts are
    dropped (:func:`indexed_text` drops them). Two pages with one URL and one view give
    Pagefind the same input, so a shard whose pages' views are unchanged keeps its bundle
    even when their bytes changed elsewhere (the 相关报道 box of an older article after an
    article is added, a list in the page's margin)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(json.dumps(marked, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    for body in bodies:
        digest.update(b"\0" + lxml.html.tostring(body, encoding="unicode", with_tail=False).encode(
            "utf-8", "surrogatepass"))
    return digest.hexdigest()


def article_pages(site, bundle_dir="pagefind"):
    """Relative paths (sorted, so the index is built in a fixed order) of pages to index."""
    # os.walk rather than Path.rglob: listing a 20,000-article site took 1.1 s with rglob.
    found = []
    for folder, subfolders, files in os.walk(site):
        relative = os.path.relpath(folder, site)
        parts = () if relative == os.curdir else tuple(relative.split(os.sep))
        if not parts and bundle_dir in subfolders:
            subfolders.remove(bundle_dir)
        found.extend(parts + (name,) for name in files if name.endswith(".html"))
    # Sorted by path components, as Path objects sort.
    return [Path(*parts) for parts in sorted(found)]


def _url_of(url):
    """The page's URL as Pagefind gives it: ``2024/01/02/x/index.html`` -> ``/2024/01/02/x/``."""
    return "/" + (url[: -len("index.html")] if url.endswith("index.html") else url)


SORT_KEY = re.compile(rb'data-pagefind-sort="date:([^"]*)"')
SHARD_PERIODS = ("year", "month")
# Word index chunk size (pagefind_files.normalize_bundle; Pagefind's own is 20,000): a query
# loads one chunk per word from every shard, so smaller chunks keep it cheap; each chunk
# costs ~20 bytes in the meta file that a first query also loads. Measured in docs/search.md.
INDEX_CHUNK_UNITS = 5000
# Shard sizes (the search plugin's SEARCH_SHARD_MAX_PAGES and SEARCH_SHARD_MIN_PAGES).
# Pagefind holds a shard's whole index in memory, ~0.5 MB a page with the bigram tokens,
# and two shards are indexed at once: shards of 5,000 pages took the cold build at 20,000
# articles to 5.6 GB, so a period with more pages is cut at DEFAULT_MAX_PAGES (which also
# bounds what one edit re-indexes). Small periods are joined up to DEFAULT_MIN_PAGES: each
# shard adds a meta file and a chunk per word to a complete search (the page draws the
# newest shard's results before the others arrive, search.js). 200-300 pages (400-600
# until the fifteenth session): one edit re-indexes its whole shard, and Pagefind and the
# bundle's rewrite were ~5.5-6 of a one-edit rebuild's ~18.5 CPU-s at 2,000 articles; a
# shard of ~290 pages instead of ~500 costs ~3 CPU-s less per edit, for ~6-8 KB more per
# shard and word in a complete search's download (the first results do not change).
# Measured in docs/search.md ("Shard size").
DEFAULT_MAX_PAGES = 300
DEFAULT_MIN_PAGES = 200
UNDATED_SHARD = "0000"  # pages without a date sort key: sorted before every dated shard
MANIFEST = "shards.json"
CACHE_FOLDER = "search-shards"
# Shared by every shard (Pagefind writes the same copy into each): one copy at the root.
SHARED_FILE = "pagefind.js"
# Pagefind's WebAssembly, loaded only by the first (newest) shard's instance: the search
# page merges the others into it (search-core.js), so their copies are left out.
WASM_FILE = re.compile(r"wasm\.[^/]*\.pagefind")
# Hex digits of the content hash in a shard folder's name (shard_folder_name).
SHARD_HASH_LENGTH = 10


@dataclass(frozen=True)
class IndexedPage:
    """A page that is indexed: where it is, its URL, date sort key and content hash."""

    relative: Path
    url: str
    key: str  # YYYYMMDDHHMM (the template's data-pagefind-sort), or "" if missing
    digest: str

    @property
    def month(self):
        return f"{self.key[:4]}-{self.key[4:6]}" if _dated(self.key) else ""


@dataclass
class Shard:
    """One bundle of the index: the pages of one period, in date (then URL) order."""

    id: str
    pages: list = field(default_factory=list)

    @property
    def months(self):
        months = [page.month for page in self.pages if page.month]
        return (months[0], months[-1]) if months else ("", "")


def _dated(key):
    return len(key) >= 6 and key[:6].isdigit()


def page_facts(data):
    """What the index needs to know of a page (bytes), kept in the site's manifest so that
    an unchanged page is not read again: ``""`` when it has no indexed body, else ``i``
    and its date sort key."""
    if BODY_ATTRIBUTE.encode() not in data:
        return ""
    key = SORT_KEY.search(data)
    return "i" + (key.group(1).decode() if key else "")


def listed_pages(listed, bundle_dir="pagefind"):
    """:func:`article_pages` from a listing of the site's ``.html`` files already made
    (``{relative POSIX path: stat}``, :func:`newsroom.build.staging.sweep`), in the same order."""
    return [Path(name) for name in _listed_names(listed, bundle_dir)]


def _listed_names(listed, bundle_dir):
    """The relative POSIX paths of :func:`listed_pages`, in its order."""
    skipped = bundle_dir + "/"
    found = [tuple(name.split("/")) for name in listed if not name.startswith(skipped)]
    return ["/".join(parts) for parts in sorted(found)]


def indexed_pages(site, bundle_dir="pagefind", known=None, listed=None):
    """Every page with an indexed body (``data-pagefind-body``), with its date sort key and
    digest. ``known``: the site folder's manifest (:func:`newsroom.build.renderdeps.load_manifest`,
    relative path -> stat, digest and :func:`page_facts`, kept by the writer): a page whose
    stat is still the recorded one is not read again (its change time cannot be set back);
    any other page is read and hashed. ``listed``: the site's ``.html`` files with their
    stats (None: stat it here), when the caller has just listed them (the sweep of a
    recycled staging folder); else the site is walked."""
    site = os.fspath(site)
    known = known or {}
    pages = []
    # Names, not Paths, for the ~3 of 4 site pages that are not indexed (lists, tags):
    # pathlib was most of this step's ~0.16 CPU-s at 2,000 articles.
    names = ([relative.as_posix() for relative in article_pages(site, bundle_dir)] if listed is None
             else _listed_names(listed, bundle_dir))
    for name in names:
        path = os.path.join(site, name)
        entry = known.get(name)
        st = None if entry is None else listed.get(name) if listed is not None else None
        if entry is not None and renderdeps.same_file(entry, st or os.stat(path)):
            digest, facts = entry[4], entry[5]
        else:
            with open(path, "rb") as file:
                data = file.read()
            digest, facts = renderdeps.digest_of(data), page_facts(data)
        if facts:
            pages.append(IndexedPage(Path(name), _url_of(name), facts[1:], digest))
    return pages


def plan_shards(pages, period="year", max_pages=0, min_pages=0):
    """The shards of ``pages``, oldest first: one per ``period`` ("year" or "month").

    With ``max_pages``, a year with more pages is cut into runs of whole months of at
    most that many pages each (a month is never cut), named after their first month
    (``2024-01``, ``2024-07``); shard names sort in date order either way. With
    ``min_pages``, consecutive older periods are then joined (:func:`_joined`).
    """
    if period not in SHARD_PERIODS:
        raise ValueError(f"searchindex: the shard period must be one of {SHARD_PERIODS}, not {period!r}")
    groups = {}
    for page in pages:
        if not _dated(page.key):
            name = UNDATED_SHARD
        else:
            name = page.key[:4] if period == "year" else f"{page.key[:4]}-{page.key[4:6]}"
        groups.setdefault(name, []).append(page)
    shards = []
    for name in sorted(groups):
        members = sorted(groups[name], key=lambda page: (page.key, page.url))
        if period == "year" and name != UNDATED_SHARD and max_pages and len(members) > max_pages:
            shards.extend(_split_by_month(name, members, max_pages))
        else:
            shards.append(Shard(name, members))
    # No page at all (a new paper whose first issue is not due yet): no shard.
    return _joined(shards, min_pages, max_pages) if min_pages and shards else shards


def _joined(shards, min_pages, max_pages):
    """Consecutive shards, oldest first, joined until each holds ``min_pages`` pages (and
    never more than ``max_pages``), named after the oldest one they hold.

    The newest shard stays alone: new articles go there, so the daily edit re-indexes
    only it. Older groups are cut from the oldest end, so they keep their pages as the
    archive grows; only a page added to an old period can move a boundary after it.
    """
    if not shards:  # a site with no article to index
        return shards
    *older, newest = shards
    joined, current = [], None
    for shard in older:
        if shard.id == UNDATED_SHARD:
            joined.append(shard)
            continue
        if current is not None and max_pages and len(current.pages) + len(shard.pages) > max_pages:
            joined.append(current)
            current = None
        if current is None:
            current = Shard(shard.id, list(shard.pages))
        else:
            current.pages.extend(shard.pages)
        if len(current.pages) >= min_pages:
            joined.append(current)
            current = None
    if current is not None:
        joined.append(current)
    return joined + [newest]


def _split_by_month(year, members, max_pages):
    parts, current = [], []
    for _, group in itertools.groupby(members, key=lambda page: page.key[4:6]):
        group = list(group)
        if current and len(current) + len(group) > max_pages:
            parts.append(current)
            current = []
        current.extend(group)
    parts.append(current)
    return [Shard(f"{year}-{part[0].key[4:6]}", part) for part in parts]


def stage_shard(site, shard, staging, views=None, blocks=None):
    """Copy the shard's pages into ``staging`` with their bigram blocks.

    Returns ``{url: date sort key}`` of the staged pages; ``views`` (a dict), when given,
    gets each page's index view (:func:`index_view`; :data:`NO_VIEW` for a page not staged).
    ``blocks`` (a dict ``{url: [digest of the page's bytes, block or None, view]}``), when
    given, holds the blocks of the last staging of this shard: a page whose bytes have that
    digest takes its block and view from there instead of being parsed again (its bigram
    block and view are functions of its bytes); the dict is left holding this staging's.

    Pagefind's CLI indexes a folder ~50 times faster than its Python API, which sends
    the pages one by one over a pipe; the copies exist only for the length of the run.
    Pagefind numbers the pages in the order it lists the folder; where the file system
    lists entries by when they were made (tmpfs: newest first), the pages are written so
    that it meets them in the shard's order, and the bundle's rewrite need not renumber
    them (:func:`pagefind_files.normalize_bundle` checks; any other order gives the same bundle).
    """
    site, staging = Path(site), Path(staging)
    staging.mkdir(parents=True, exist_ok=True)
    keys = {}
    known, made, found_views = blocks or {}, {}, {}
    listing = _listing_order(staging)
    for page in (reversed(shard.pages) if listing == "newest first" else shard.pages):
        data = (site / page.relative).read_bytes()
        html = _text(data)
        found = None
        if blocks is not None:
            digest = renderdeps.digest_of(data)
            kept = known.get(page.url)
            if _usable_block(kept, digest):
                found = None if kept[1] is None else (kept[1], kept[2])
            else:
                found = page_block(html)
            made[page.url] = [digest, None, NO_VIEW] if found is None else [digest, found[0], found[1]]
        else:
            found = page_block(html)
        found_views[page.url] = NO_VIEW if found is None else found[1]
        if found is None:
            continue
        target = staging / page.relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(with_block(html, found[0]), encoding="utf-8")
        keys[page.url] = page.key
    # The results in the shard's order, whatever order the pages were written in.
    if views is not None:
        views.update((page.url, found_views[page.url]) for page in shard.pages)
    if blocks is not None:
        blocks.clear()
        blocks.update((page.url, made[page.url]) for page in shard.pages)
    return {page.url: keys[page.url] for page in shard.pages if page.url in keys}


def _listing_order(folder):
    """How the file system lists the entries of a new folder made in ``folder``: in the
    order they were made (``"oldest first"``), the reverse (``"newest first"``: tmpfs,
    where the pages are staged), or neither (None: ext4 lists them by a hash of the name)."""
    probe = Path(tempfile.mkdtemp(prefix=".listing-", dir=folder))
    try:
        for name in ("b", "a", "c"):  # neither sorted nor reversed
            (probe / name).mkdir()
        listed = os.listdir(probe)
    finally:
        shutil.rmtree(probe, ignore_errors=True)
    return {("b", "a", "c"): "oldest first", ("c", "a", "b"): "newest first"}.get(tuple(listed))


def _text(data):
    """``data`` as ``Path.read_text(encoding="utf-8")`` reads it (universal newlines)."""
    text = data.decode("utf-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _usable_block(kept, digest):
    """``kept`` is a block entry as :func:`stage_shard` leaves it, for bytes of ``digest``
    (the file is a cache anyone can edit: anything else is parsed again, never trusted)."""
    return (type(kept) is list and len(kept) == 3 and kept[0] == digest and type(kept[2]) is str
            and (kept[1] is None) == (kept[2] == NO_VIEW) and (kept[1] is None or type(kept[1]) is str))


# The bigram blocks and views of each shard's pages at its last staging, by the digest of
# each page's bytes (cache/search-blocks/<shard>.marshal, under the code stamp): re-indexing
# the shard of one edited article parses that article again, not its ~500 neighbours (lxml,
# the bigram tokens and the view were ~1.1-1.5 CPU-s of a one-edit rebuild at 2,000
# articles). ~8-13 KB a page on disk.
BLOCKS_FOLDER = "search-blocks"
BLOCKS_VERSION = 1


def _blocks_path(folder, shard_id):
    return None if folder is None else Path(folder) / f"{shard_id}.marshal"


def load_blocks(folder, shard_id, stamp_code):
    """The blocks kept for the shard (:func:`stage_shard`'s ``blocks``); {} when none usable."""
    path = _blocks_path(folder, shard_id)
    if path is None:
        return {}
    try:
        data = marshal_file.loads(path.read_bytes())  # None: damaged, cut short or older
    except OSError:
        return {}
    if (type(data) is not dict or data.get("version") != BLOCKS_VERSION or data.get("code") != stamp_code
            or type(data.get("pages")) is not dict):
        return {}
    return data["pages"]


def save_blocks(folder, shard_id, stamp_code, blocks):
    """Keep ``blocks`` for the shard's next staging (atomically; a cache that cannot be
    written is only skipped: the next staging parses every page)."""
    path = _blocks_path(folder, shard_id)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(marshal_file.dumps({"version": BLOCKS_VERSION, "code": stamp_code, "pages": blocks}))
        os.replace(temporary, path)
    except (OSError, ValueError) as error:
        log.info("searchindex: could not keep the bigram blocks of shard %s (%s)", shard_id, error)


def run_pagefind(staging, bundle, label=""):
    """Run the Pagefind binary (from the ``pagefind[extended]`` package) on ``staging``.

    Pagefind also reads ``PAGEFIND_*`` environment variables and a ``pagefind.yml`` (or
    .json, .toml) in its working folder; neither is part of a shard's fingerprint, so it
    runs in the staging folder's parent (:func:`index_shard` makes it a fresh, empty one)
    without them: the bundle depends on its pages only.
    """
    command = [*_pagefind_command(), "--site", str(Path(staging).resolve()), "--output-path",
               str(Path(bundle).resolve()), "--quiet"]
    environment = {name: value for name, value in os.environ.items() if not name.upper().startswith("PAGEFIND")}
    # Pagefind dies with the process that runs it (a build killed meanwhile leaves no run behind).
    result = subprocess.run(command, capture_output=True, text=True, cwd=Path(staging).parent, env=environment,
                            **lifeline.child_options(own_group=False))
    for line in (result.stdout + result.stderr).splitlines():
        # Pagefind warns that Chinese has no stemmer; the bigram tokens make stems moot.
        if line.strip() and "stemming" not in line and "root words" not in line:
            log.info("searchindex: pagefind: %s", line.strip())
    if result.returncode != 0:
        raise RuntimeError(f"searchindex: pagefind failed on {label or staging} ({result.returncode}): "
                           f"{result.stderr.strip()[-500:]} — run `make clean` and build again; if it fails "
                           "again, check that the pagefind_bin_extended package is installed (make html)")


def _pagefind_command():
    # The binary itself: ``python -m pagefind`` only finds and starts it, and cost 0.15 s
    # of Python start-up per shard.
    from pagefind_bin_extended import get_executable  # pinned in requirements.txt

    return [str(get_executable())]


# The staged copies live for one Pagefind run: in memory (tmpfs) when the machine has it,
# where creating ~600 folders and files and removing them again costs a fraction of what
# it costs on disk (at 2,000 articles ~2.4 of the search step's ~11 CPU-s were mkdir and
# writes). A shard's copies are ~10-30 MB; two are staged at a time. A container's
# /dev/shm is often 64 MB (Docker's default): below SCRATCH_MIN_FREE free, staging there
# could fail a build with "no space left", so the disk is used instead.
MEMORY_SCRATCH = "/dev/shm"
SCRATCH_MIN_FREE = 512 * 1024 * 1024


def scratch_folder():
    """Where a shard's pages are staged: ``/dev/shm`` when it is a writable folder with
    room to spare, else the system's temporary folder (None)."""
    folder = os.environ.get("NEWSROOM_SEARCH_SCRATCH", MEMORY_SCRATCH)
    if not (folder and os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK)):
        return None
    stats = os.statvfs(folder)
    if stats.f_bavail * stats.f_frsize < SCRATCH_MIN_FREE:
        return None
    return folder


SCRATCH_PREFIX = "search-pages-"


def _scratch_prefix():
    """The name a staging folder starts with: its maker's process id in it, so that a
    later build can tell the folders of a build that was killed (a SIGKILL skips every
    clean-up) from those of one still running (:func:`sweep_abandoned_scratch`)."""
    return f"{SCRATCH_PREFIX}{os.getpid()}-"


def sweep_abandoned_scratch(folder=None):
    """Remove the staging folders in ``folder`` (default: :func:`scratch_folder`) whose
    maker is no longer running: on tmpfs they hold memory (10-30 MB a shard at 20,000
    articles) until the machine restarts. A folder of a live process, of another user's
    or with a name this code does not make is left alone; returns how many were removed."""
    folder = folder or scratch_folder() or tempfile.gettempdir()
    removed = 0
    try:
        entries = os.listdir(folder)
    except OSError:
        return 0
    for name in entries:
        pid = name[len(SCRATCH_PREFIX):].split("-", 1)[0] if name.startswith(SCRATCH_PREFIX) else ""
        if not pid.isdigit() or _running(int(pid)):
            continue
        shutil.rmtree(Path(folder) / name, ignore_errors=True)
        removed += not os.path.exists(Path(folder) / name)
    if removed:
        log.info("searchindex: removed %d staging folders of builds that were stopped, in %s", removed, folder)
    return removed


def _running(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # another user's process, or not a process id we can ask about: keep
    return True


def index_shard(site, shard, bundle, views=None, blocks=None):
    """Index ``shard`` into the folder ``bundle``; returns ``(pages indexed, finished)``.

    ``finished``: the bundle was made reproducible (:func:`pagefind_files.normalize_bundle`),
    so it may be kept in the cache. ``views``, ``blocks``: as :func:`stage_shard` takes them.
    """
    with tempfile.TemporaryDirectory(prefix=_scratch_prefix(), dir=scratch_folder()) as work:
        staging = Path(work) / "site"  # Pagefind runs in ``work``, where nothing else is
        sort_keys = stage_shard(site, shard, staging, views, blocks)
        if not sort_keys:
            return 0, False
        run_pagefind(staging, bundle, label=f"shard {shard.id}")
    # The site always sorts by date, never by relevance: the word counts that only
    # weigh relevance are left out of the meta file every first query downloads.
    finished = pagefind_files.normalize_bundle(bundle, BIGRAM_MARKER, sort_keys, keep_word_counts=False,
                                               fragment_prefix=f"{shard.id}_", chunk_units=INDEX_CHUNK_UNITS)
    for name in UNUSED_BUNDLE_FILES:
        (bundle / name).unlink(missing_ok=True)
    return len(sort_keys), finished


def code_stamp():
    """What decides a bundle besides its pages: this code, and the versions of Pagefind,
    lxml (which extracts the indexed text) and cbor2 (which rewrites the bundle)."""
    digest = hashlib.sha256()
    for module in (Path(__file__), Path(pagefind_files.__file__)):
        digest.update(module.read_bytes())
    for package in ("pagefind_bin_extended", "lxml", "cbor2"):
        digest.update(f"\0{package}={_version(package)}".encode())
    return digest.hexdigest()


def shard_fingerprint(shard, stamp):
    """SHA-256 of a shard's inputs: the code stamp, its name, its pages' URLs and bytes."""
    digest = hashlib.sha256(f"{stamp}\0{shard.id}\n".encode())
    for page in shard.pages:
        digest.update(f"{page.url}\0{page.digest}\n".encode())
    return digest.hexdigest()


def view_fingerprint(shard, views, stamp):
    """SHA-256 of what Pagefind reads of a shard: the code stamp, its name, its pages' URLs
    and index views (:func:`index_view`). Equal view fingerprints give equal bundles."""
    digest = hashlib.sha256(f"{stamp}\0{shard.id}\0views\n".encode())
    for page in shard.pages:
        digest.update(f"{page.url}\0{views[page.url]}\n".encode())
    return digest.hexdigest()


def _version(package):
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


def _pagefind_version():
    return _version("pagefind_bin_extended")


def _file_stats(folder):
    """``{relative path: [size, mtime_ns]}`` of every file of a cached shard."""
    stats = {}
    for directory, _, files in os.walk(folder):
        relative = Path(directory).relative_to(folder)
        for name in files:
            if name != FINGERPRINT_FILE:
                info = os.stat(os.path.join(directory, name))
                stats[(relative / name).as_posix()] = [info.st_size, info.st_mtime_ns]
    return stats


def _file_hashes(folder):
    """``{relative path: sha256}`` of every file of a shard folder but its stamp."""
    hashes = {}
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file() and path.name != FINGERPRINT_FILE:
            hashes[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def shard_folder_name(shard_id, folder, keep_wasm):
    """The name of a shard's folder in the output: its id and a hash of the files it
    will hold (``2024-5f0c9a1b2e``).

    Fingerprinted, so that a shard's files never change under a name a reader's browser
    or a CDN may have cached: Pagefind names its meta, index and filter files by their
    content, but the fragments are named by page number (:mod:`newsroom.build.pagefind_files`),
    and page 3 of a shard holds another article once an article is added before it. A
    changed shard gets a new folder; ``shards.json``, the one file that names the
    folders, is the only file of the index that changes in place, so a deploy can put
    every new folder up first and switch to them by uploading ``shards.json`` last
    (docs/deploy.md). The hashes come from the shard's stamp (written when it was
    indexed), so an unchanged shard is not read again."""
    hashes = _read_stamp(folder).get("hashes")
    if not isinstance(hashes, dict):
        hashes = _file_hashes(folder)
    digest = hashlib.sha256()
    for relative, sha in sorted(hashes.items()):
        if relative == SHARED_FILE or relative.startswith(".") or (not keep_wasm and WASM_FILE.fullmatch(relative)):
            continue
        digest.update(f"{relative}\0{sha}\n".encode())
    return f"{shard_id}-{digest.hexdigest()[:SHARD_HASH_LENGTH]}"


def _reusable(folder, fingerprint):
    """The cached shard in ``folder`` was made from these inputs and no file of it has
    changed since (the output holds hard links to these files: a tool that rewrote a
    published file in place would change the cached one too, and this notices it)."""
    stamp = _read_stamp(folder)
    if stamp.get("fingerprint") != fingerprint or not isinstance(stamp.get("files"), dict):
        return False
    try:
        return _file_stats(folder) == stamp["files"]
    except OSError:
        return False


def _read_stamp(folder):
    try:
        return json.loads((folder / FINGERPRINT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _index_into_store(site, shard, store, fingerprint, stamp_code, blocks_folder=None):
    """Index ``shard`` into ``store/<id>`` (replacing what was there); returns the page count.
    ``blocks_folder``: where the shard's bigram blocks are kept between stagings (None: not kept)."""
    building = store / f"{shard.id}.new"
    shutil.rmtree(building, ignore_errors=True)
    views = {}
    blocks = load_blocks(blocks_folder, shard.id, stamp_code) if blocks_folder is not None else None
    count, finished = index_shard(site, shard, building, views, blocks)
    if blocks is not None:
        save_blocks(blocks_folder, shard.id, stamp_code, blocks)
    final = store / shard.id
    # The stamp goes first: a removal cut short must not leave a partial shard that a
    # later build with the same pages would take for a finished one.
    (final / FINGERPRINT_FILE).unlink(missing_ok=True)
    shutil.rmtree(final, ignore_errors=True)
    if count:
        building.rename(final)
        # An unfinished bundle (Pagefind's own, not reproducible) is used but not kept.
        stamp = {"fingerprint": fingerprint if finished else "", "pages": count, "files": _file_stats(final),
                 "hashes": _file_hashes(final), **_views_stamp(shard, views, stamp_code, finished)}
        (final / FINGERPRINT_FILE).write_text(json.dumps(stamp), encoding="utf-8")
    else:
        shutil.rmtree(building, ignore_errors=True)
    return count


def _views_stamp(shard, views, stamp_code, finished):
    """The stamp's record of what Pagefind read: each page's digest and index view, and
    the shard's :func:`view_fingerprint` (none for an unfinished bundle)."""
    return {"view_fingerprint": view_fingerprint(shard, views, stamp_code) if finished else "",
            "views": {page.url: [page.digest, views[page.url]] for page in shard.pages}}


def _same_views(site, shard, folder, stamp_code):
    """The shard's current index views when the cached bundle in ``folder`` was made from
    the same ones (its pages' bytes changed, but not what Pagefind reads of them), else None.

    A page whose digest is the one recorded keeps its recorded view; any other page is
    read and its view computed again (:func:`staged_page`)."""
    stamp = _read_stamp(folder)
    recorded, wanted = stamp.get("views"), stamp.get("view_fingerprint")
    if not isinstance(recorded, dict) or not wanted or not isinstance(stamp.get("files"), dict):
        return None
    views = {}
    for page in shard.pages:
        known = recorded.get(page.url)
        if isinstance(known, list) and len(known) == 2 and known[0] == page.digest:
            views[page.url] = known[1]
        else:
            staged = staged_page((Path(site) / page.relative).read_text(encoding="utf-8"))
            views[page.url] = NO_VIEW if staged is None else staged[1]
    if view_fingerprint(shard, views, stamp_code) != wanted:
        return None
    try:
        if _file_stats(folder) != stamp["files"]:
            return None
    except OSError:
        return None
    return views


def _restamp(folder, shard, fingerprint, views, stamp_code):
    """Record the cached bundle in ``folder`` as made from the shard's current pages."""
    stamp = _read_stamp(folder)
    stamp.update(fingerprint=fingerprint, **_views_stamp(shard, views, stamp_code, True))
    temporary = folder / (FINGERPRINT_FILE + ".tmp")
    temporary.write_text(json.dumps(stamp), encoding="utf-8")
    os.replace(temporary, folder / FINGERPRINT_FILE)


def _install(source, target, keep_wasm):
    """Hard-link the folder ``source`` into ``target`` (copies where links fail).

    Links, since creating ~26,000 files by copying took 15 s of every build at 20,000
    articles; a published file rewritten in place changes the cached one too, which
    :func:`_reusable` notices (size and modification time), so it is re-indexed.
    Names starting with a dot (the stamp) are left out; so are the shared script and,
    unless ``keep_wasm``, the WebAssembly, at the top. Walked with strings, one ``mkdir``
    a folder: with a ``Path`` and a ``mkdir`` a file this was ~0.25 CPU-s of every build
    at 2,000 articles (~2,800 files).
    """
    source, target = os.fspath(source), os.fspath(target)
    for folder, subfolders, files in os.walk(source):
        relative = os.path.relpath(folder, source)
        top = relative == os.curdir
        destination = target if top else os.path.join(target, relative)
        names = [name for name in files if not name.startswith(".") and not (top and (
            name == SHARED_FILE or (not keep_wasm and WASM_FILE.fullmatch(name))))]
        # A folder is made when it is not hidden itself or holds a file that is linked.
        if top or names or not os.path.basename(folder).startswith("."):
            os.makedirs(destination, exist_ok=True)
        for name in names:
            path, linked = os.path.join(folder, name), os.path.join(destination, name)
            try:
                os.link(path, linked)
            except OSError:
                shutil.copyfile(path, linked)


def build_index(site, output_subdir="pagefind", cache_dir=None, period="year", max_pages=DEFAULT_MAX_PAGES,
                min_pages=DEFAULT_MIN_PAGES, workers=None, listed=None):
    """Index the built ``site`` into ``site/<output_subdir>``, one bundle per shard; returns the page count.

    Pages are grouped into shards by date (:func:`plan_shards`); each shard is its own
    Pagefind bundle, ``site/<output_subdir>/<shard>-<hash>/`` (:func:`shard_folder_name`), made
    byte-reproducible by :func:`newsroom.build.pagefind_files.normalize_bundle`, and ``shards.json`` beside them lists
    the shards newest first for the search page. With ``cache_dir``, every shard bundle is
    kept in ``cache_dir/search-shards/<shard>/`` with the fingerprint of its inputs (its
    pages' bytes, this code, the Pagefind version); a later build indexes only the shards
    whose inputs changed and links the others. Shards to index are shared out over
    ``workers`` processes (default: one per core). ``listed``: the site's ``.html`` files
    with their stats, when the caller has just listed them (:func:`indexed_pages`).
    """
    site = Path(site)
    bundle = site / output_subdir
    # A bundle left by an earlier build (``make serve`` reuses output/) would keep stale files.
    shutil.rmtree(bundle, ignore_errors=True)
    known = renderdeps.load_manifest(cache_dir, site) if cache_dir else {}
    shards = plan_shards(indexed_pages(site, output_subdir, known, listed), period, max_pages, min_pages)
    if not shards:
        log.info("searchindex: no page to index in %s", site)
        return 0
    if cache_dir:
        store = Path(cache_dir) / CACHE_FOLDER
        blocks_folder = Path(cache_dir) / BLOCKS_FOLDER
        shutil.rmtree(Path(cache_dir) / "search-bundle", ignore_errors=True)  # the unsharded cache of old
        scratch = None
    else:
        store = scratch = Path(tempfile.mkdtemp(prefix="search-shards-"))
        blocks_folder = None
    store.mkdir(parents=True, exist_ok=True)
    try:
        stamp = code_stamp()
        fingerprints = {shard.id: shard_fingerprint(shard, stamp) for shard in shards}
        todo, kept = [], 0
        for shard in shards:
            if _reusable(store / shard.id, fingerprints[shard.id]):
                continue
            views = _same_views(site, shard, store / shard.id, stamp)
            if views is None:
                todo.append(shard)
            else:  # new page bytes, but Pagefind would read the same: the bundle holds
                _restamp(store / shard.id, shard, fingerprints[shard.id], views, stamp)
                kept += 1
        if kept:
            log.info("searchindex: %d shards kept: their pages changed, not what Pagefind reads of them", kept)
        started = time.monotonic()
        if todo:
            sweep_abandoned_scratch()
            parallel.fork_queue(lambda shard: _index_into_store(site, shard, store, fingerprints[shard.id], stamp,
                                                                blocks_folder),
                                todo, parallel.available_workers(workers), cost=lambda shard: len(shard.pages))
        log.info("searchindex: %d of %d shards indexed (%d pages) in %.1f s; the others reused from %s",
                 len(todo), len(shards), sum(len(shard.pages) for shard in todo), time.monotonic() - started, store)
        listed, total = [], 0
        for shard in reversed(shards):  # newest first
            count = _read_stamp(store / shard.id).get("pages", 0)
            if not count:
                continue
            keep_wasm = not listed
            folder = shard_folder_name(shard.id, store / shard.id, keep_wasm)
            _install(store / shard.id, bundle / folder, keep_wasm=keep_wasm)
            first, last = shard.months
            listed.append({"id": shard.id, "path": f"{folder}/", "from": first, "to": last, "pages": count})
            total += count
        if listed:
            shutil.copyfile(store / listed[0]["id"] / SHARED_FILE, bundle / SHARED_FILE)
            manifest = {"version": 1, "pagefind": _pagefind_version(), "pages": total, "shards": listed}
            (bundle / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, separators=(",", ":")),
                                           encoding="utf-8")
        # Shards of periods that no longer exist (or of another SEARCH_SHARD) would pile up.
        wanted = {shard.id for shard in shards}
        for folder in store.iterdir():
            if folder.name not in wanted:
                shutil.rmtree(folder, ignore_errors=True)
        if blocks_folder is not None and blocks_folder.is_dir():
            for kept in blocks_folder.iterdir():
                if kept.name.removesuffix(".marshal") not in wanted:
                    kept.unlink(missing_ok=True)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    log.info("searchindex: indexed %d pages of %s in %d shards", total, site, len(listed))
    return total


# --- Building the index after Pelican has exited ----------------------------------------
JOB_VERSION = 1


def write_job(path, site, output_subdir, cache_dir, period, max_pages, min_pages):
    """Write what :func:`build_index` is to do into the JSON file ``path``, for
    :func:`run_job` to do it in another process (``newsroom build``, once Pelican's
    ~0.75 GB of build state at 20,000 articles is gone: the shards' Pagefind runs then
    have the memory)."""
    job = {"version": JOB_VERSION, "site": str(site), "output_subdir": output_subdir,
           "cache_dir": str(cache_dir) if cache_dir else None, "period": period, "max_pages": max_pages,
           "min_pages": min_pages}
    Path(path).write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")


def run_job(path, listed=None):
    """Build the index a job file written by :func:`write_job` describes; the page count.
    ``listed``: as :func:`build_index` takes it."""
    job = json.loads(Path(path).read_text(encoding="utf-8"))
    if job.get("version") != JOB_VERSION:
        raise ValueError(f"searchindex: {path} is a job of another version ({job.get('version')!r}); build again")
    return build_index(job["site"], job["output_subdir"], job["cache_dir"], period=job["period"],
                       max_pages=job["max_pages"], min_pages=job["min_pages"], listed=listed)
