"""Finish a Pagefind 1.5 search bundle: byte-reproducible and small to download.

Reproducible: Pagefind writes its word index and fragments deterministically, but it
keeps filters in hash maps: the order of the values inside each ``filter/*.pf_filter``
file and the order of the filters listed in the ``pagefind.*.pf_meta`` file change from
run to run, and with them the files' hash-based names and ``pagefind-entry.json``.
:func:`normalize_bundle` rewrites those files with values and filters sorted and names
them after a hash of their new content; Pagefind reads filters as maps, so search
results are unaffected.

Pages are numbered in the order Pagefind met them, which is the order the file system
lists the folder in: on another machine (or file system) the same site would be
numbered differently. The pages are renumbered by their sort key (the article date),
then URL, through the word index, the filters, the sort list and the meta file. As a
side effect the date sort list would be 0, 1, 2, …; it is dropped, and the page script
orders results by page number (the fragment's name) instead.

Small: the meta file, which every first search downloads, lists every page's fragment
file by a 13-character hash name; at 20,000 articles that list alone is ~220 KB. The
fragments are renamed ``<n>`` in base 36 (the meta file's own name still changes with
any content change). Each fragment's text also loses what only the word index needs:
the hidden bigram block (:mod:`newsroom.build.searchindex`) and the zero-width spaces Pagefind
puts between the words it segmented, so the page script sees the article's own text.

The files are gzip'd CBOR after a ``pagefind_dcd`` signature, decoded and re-encoded with
``cbor2`` (its C extension: the pure-Python codec used before took 80 % of the rewrite);
a bundle with a file that does not re-encode to its own bytes is left alone with a
warning, so a future Pagefind format change cannot silently corrupt the bundle. When
Pagefind already numbered the pages in date order (:func:`newsroom.build.searchindex.stage_shard`
writes them so where the file system lists a folder in the order its entries were made),
the word index is regrouped from its stored bytes instead of re-encoded: the same bytes.
"""

import contextlib
import gc
import gzip
import hashlib
import io
import json
import logging
import struct
from operator import itemgetter
from pathlib import Path

import cbor2

from newsroom import messages

log = logging.getLogger(__name__)

SIGNATURE = b"pagefind_dcd"


class UnsupportedCbor(ValueError):
    pass


def decode(data):
    try:
        return cbor2.loads(data)
    except cbor2.CBORDecodeError as error:
        raise UnsupportedCbor(str(error)) from error


def encode(value):
    # cbor2 writes definite lengths and the shortest integer heads, as Pagefind's minicbor
    # does; read_file checks that every file re-encodes to its own bytes.
    return cbor2.dumps(value)


def read_file(path, check=True):
    """The decoded CBOR of one bundle file; ``check``: it must re-encode to the same bytes."""
    data = gzip.decompress(Path(path).read_bytes())
    if not data.startswith(SIGNATURE):
        raise UnsupportedCbor(f"{path}: no pagefind signature")
    body = data[len(SIGNATURE):]
    value = decode(body)
    if check and encode(value) != body:
        raise UnsupportedCbor(f"{path}: does not re-encode to the same bytes")
    return value


def _raw_words(path, check):
    """The words of one word index chunk file, each as ``(word, its bytes as stored)``.

    For a bundle whose pages keep their numbers (:func:`_normalize_language`) the words
    are copied as Pagefind wrote them instead of re-encoded: the same bytes, since
    Pagefind's CBOR is what ``cbor2`` writes (``check``: verified for this file word by
    word, which also proves the decoder reads no further than each word it returns).
    """
    data = gzip.decompress(Path(path).read_bytes())
    if not data.startswith(SIGNATURE):
        raise UnsupportedCbor(f"{path}: no pagefind signature")
    body = memoryview(data)[len(SIGNATURE):]
    # [[word, ...]]: an array of one array, whose head says how many words follow.
    if len(body) < 2 or body[0] != 0x81 or not 0x80 <= body[1] <= 0x9B:
        raise UnsupportedCbor(f"{path}: unexpected word index layout")
    start = 2 + (0, 1, 2, 4, 8)[max(0, body[1] - 0x97)]
    count = int.from_bytes(body[2:start], "big") if body[1] >= 0x98 else body[1] - 0x80
    stream = io.BytesIO(body)
    stream.seek(start)
    decoder = cbor2.CBORDecoder(stream)
    words = []
    try:
        for _ in range(count):
            word = decoder.decode()
            end = stream.tell()
            words.append((word, body[start:end]))
            start = end
    except cbor2.CBORDecodeError as error:
        raise UnsupportedCbor(f"{path}: {error}") from error
    if start != len(body):
        raise UnsupportedCbor(f"{path}: unexpected word index layout")
    if check and any(encode(word) != raw for word, raw in words):
        raise UnsupportedCbor(f"{path}: does not re-encode to the same bytes")
    return words


def _array_head(length):
    """The CBOR head of an array of ``length`` items, as cbor2 writes it (shortest form)."""
    if length < 24:
        return bytes([0x80 + length])
    for head, size in ((0x98, 1), (0x99, 2), (0x9A, 4), (0x9B, 8)):
        if length < 1 << (8 * size):
            return bytes([head]) + length.to_bytes(size, "big")
    raise ValueError(f"array of {length} items")


def file_bytes(value, level=9):
    # mtime=0 and a fixed level: the same value always gives the same bytes.
    return gzip.compress(SIGNATURE + encode(value), compresslevel=level, mtime=0)


def _short_hash(content, length):
    return hashlib.sha256(content).hexdigest()[:length]


def normalize_bundle(bundle, marker=None, sort_keys=None, keep_word_counts=True, fragment_prefix="",
                     chunk_units=None):
    """Finish the Pagefind bundle folder ``bundle`` in place (see above); True if done.

    ``marker`` starts the hidden block cut from each fragment's text; ``sort_keys`` maps
    page URLs to their sort value (the one sort the site uses), which orders the pages.
    ``keep_word_counts=False`` gives every page the average word count in the meta file:
    Pagefind uses them only to rank by relevance, and they cost ~1.6 bytes per page.
    ``fragment_prefix`` goes in front of every fragment name (``2024_1a``): the search
    page merges several bundles (shards) and orders their results by these names.
    ``chunk_units``: regroup the word index into chunks of about this many units (a unit
    per page and per location of a word, Pagefind's own measure; it makes chunks of
    20,000), or keep Pagefind's chunks (None). A query loads one chunk per word from
    every shard it searches: smaller chunks cost less per query, more in the meta file.
    """
    bundle = Path(bundle)
    entry_path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        with _collector_paused():
            for language, info in sorted(entry["languages"].items()):
                info["hash"] = _normalize_language(bundle, info["hash"], marker, sort_keys or {}, keep_word_counts,
                                                   fragment_prefix, chunk_units)
    except (UnsupportedCbor, KeyError, ValueError, OSError, struct.error) as error:
        log.warning("%s", messages.text("build.search_bundle_as_written", reason=error))
        return False
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True


@contextlib.contextmanager
def _collector_paused():
    """The cyclic garbage collector off while a bundle is rewritten: decoding the word
    index creates millions of lists (no cycles among them), and the collections they
    set off took a fifth of the rewrite (1,000 pages: 2.2 s with, 1.8 s without)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _base36(number):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text


def read_fragment(path):
    data = gzip.decompress(Path(path).read_bytes())
    if not data.startswith(SIGNATURE):
        raise UnsupportedCbor(f"{path}: no pagefind signature")
    return json.loads(data[len(SIGNATURE):])


def _slim_fragment(fragment, marker):
    content = fragment.get("content", "")
    at = content.find(marker) if marker else -1
    if at >= 0:
        content = content[:at].rstrip(" .\u200b")
    fragment["content"] = content.replace("\u200b", "")
    return fragment


class _Changes:
    """New files are written beside the old ones; the old go only once all is written."""

    def __init__(self):
        self.created, self.obsolete = [], []
        self.created_set = set()

    def write(self, path, content):
        path.write_bytes(content)
        self.created.append(path)
        self.created_set.add(path)

    def replace(self, old, new, content):
        self.write(new, content)
        if old != new:
            self.obsolete.append(old)

    def undo(self):
        for path in self.created:
            path.unlink(missing_ok=True)

    def commit(self):
        for path in self.obsolete:
            if path not in self.created_set:
                path.unlink(missing_ok=True)


def _page_order(bundle, pages, sort_keys):
    """Old page numbers in the new order: by sort key, then URL (no filesystem order);
    the sort keys; and the pages' fragments (read here for their URLs, kept for the rewrite)."""
    fragments = [read_fragment(bundle / "fragment" / f"{page[0]}.pf_fragment") for page in pages]
    keys = [(sort_keys.get(fragment["url"], ""), fragment["url"]) for fragment in fragments]
    return sorted(range(len(pages)), key=keys.__getitem__), keys, fragments


def _normalize_language(bundle, meta_hash, marker, sort_keys, keep_word_counts, fragment_prefix, chunk_units):
    language = meta_hash.rsplit("_", 1)[0]
    meta_path = bundle / f"pagefind.{meta_hash}.pf_meta"
    # [version, pages [[fragment, words]], index chunks [[from, to, hash]], filters [[name, hash]],
    #  sorts [[name, [page, ...]]], meta fields]
    meta = read_file(meta_path)
    pages, chunks, filters, sorts = meta[1], meta[2], meta[3], meta[4]
    order, keys, fragments = _page_order(bundle, pages, sort_keys)
    average_words = round(sum(page[1] for page in pages) / len(pages)) if pages else 0
    new_number = [0] * len(order)
    for new, old in enumerate(order):
        new_number[old] = new
    changes = _Changes()
    try:
        # Fragments: slimmed, named by their new page number.
        new_pages = []
        for new, old in enumerate(order):
            path = bundle / "fragment" / f"{pages[old][0]}.pf_fragment"
            fragment = _slim_fragment(fragments[old], marker)
            name = fragment_prefix + _base36(new)
            changes.replace(path, bundle / "fragment" / f"{name}.pf_fragment", gzip.compress(
                SIGNATURE + json.dumps(fragment, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
                compresslevel=9, mtime=0))
            new_pages.append([name, pages[old][1] if keep_word_counts else average_words])
        # Word index chunks: [[[word, [[page step, locations, meta locations], ...], ...], ...]];
        # each word's pages are in ascending order, each stored as the step from the one before.
        # Words are sorted across chunks, so they can be regrouped as they stream by.
        # Pages Pagefind already numbered in this order (it numbers them in the order it
        # lists the staged folder, which searchindex.stage_shard arranges where it can)
        # keep every entry as it is: the words are copied as stored, not re-encoded (the
        # encoding and the renumbering were ~half of the rewrite).
        same_numbers = all(new == old for new, old in enumerate(order))
        new_chunks, pending, raws, units = [], [], [], 0
        for number, chunk in enumerate(chunks):
            path = bundle / "index" / f"{chunk[2]}.pf_index"
            # All chunks share one layout: checking the first one shows a format change.
            if same_numbers:
                words = _raw_words(path, check=number == 0)
            else:
                value = read_file(path, check=number == 0)
                if len(value) != 1:
                    raise UnsupportedCbor(f"{path}: unexpected word index layout")
                words = [(_renumbered(word, new_number), None) for word in value[0]]
            for word, raw in words:
                pending.append(word)
                raws.append(raw)
                if chunk_units:
                    # Pagefind's measure of a chunk: a unit per page and per location.
                    entries = word[1]
                    units += len(entries) + sum(map(len, map(_second, entries)))
                    if units >= chunk_units:
                        new_chunks.append(_write_chunk(changes, bundle, language, pending, raws=raws))
                        pending, raws, units = [], [], 0
            if not chunk_units and pending:
                new_chunks.append(_write_chunk(changes, bundle, language, pending, chunk[0], chunk[1], raws=raws))
                pending, raws = [], []
            changes.obsolete.append(path)
        if pending:
            new_chunks.append(_write_chunk(changes, bundle, language, pending, raws=raws))
        if chunk_units:
            _chunk_bounds(new_chunks)
        meta[2] = new_chunks
        # Filters: [name, [[value, [page, ...]], ...]], values and pages sorted.
        renamed = []
        for name, old_hash in filters:
            path = bundle / "filter" / f"{old_hash}.pf_filter"
            value = read_file(path)
            for pair in value[1]:
                pair[1] = sorted(new_number[page] for page in pair[1])
            value[1].sort(key=lambda pair: pair[0])
            renamed.append([name, _renamed(changes, path, value, language, old_hash)])
        if len(sorts) == 1 and sort_keys and all(key[0] for key in keys):
            # Pages are now numbered in this sort's order (ties broken by URL): the list
            # would be 0, 1, 2, ... (42 KB at 20,000 pages), so it is left out and the page
            # script orders results by page number, which is the fragment's name.
            meta[4] = []
        else:
            for sort in sorts:
                sort[1] = [new_number[page] for page in sort[1]]
        meta[1], meta[3] = new_pages, sorted(renamed)
        content = file_bytes(meta)
        new_meta_hash = f"{language}_{_short_hash(content, len(meta_hash.rsplit('_', 1)[1]))}"
        changes.replace(meta_path, bundle / f"pagefind.{new_meta_hash}.pf_meta", content)
    except Exception:
        changes.undo()
        raise
    changes.commit()
    return new_meta_hash


_first = itemgetter(0)
_second = itemgetter(1)


def _renumbered(word, new_number):
    """``[word, entries]`` with its pages renumbered: each entry stores its page as the
    step from the one before, and the entries stay in ascending page order."""
    entries = word[1]
    page = 0
    for entry in entries:
        page += entry[0]
        entry[0] = new_number[page]
    entries.sort(key=_first)
    previous = 0
    for entry in entries:
        entry[0], previous = entry[0] - previous, entry[0]
    return word


def _write_chunk(changes, bundle, language, words, first=None, last=None, raws=None):
    """Write one word index chunk (named after its content); returns its meta entry.
    ``raws``: each word's encoding when known (None for one to encode)."""
    # Level 6: the word index is most of the bundle, and level 9 took six times as long
    # for 2 % smaller files.
    if raws is not None and all(raw is not None for raw in raws):
        # What file_bytes([words]) gives: the array of one array of the words.
        content = gzip.compress(b"".join((SIGNATURE, b"\x81", _array_head(len(words)), *raws)), compresslevel=6,
                                mtime=0)
    else:
        content = file_bytes([words], level=6)
    digest = hashlib.sha256(content).hexdigest()
    length = 7
    while True:  # a longer name if two chunks' short hashes collide, as Pagefind does
        path = bundle / "index" / f"{language}_{digest[:length]}.pf_index"
        if path not in changes.created_set or path.read_bytes() == content:
            break
        length += 1
    if path not in changes.created_set:
        changes.write(path, content)
    return [words[0][0] if first is None else first, words[-1][0] if last is None else last,
            f"{language}_{digest[:length]}"]


def _chunk_bounds(chunks):
    """Each chunk's first and last word cut to the shortest prefixes that tell neighbours
    apart, as Pagefind's ``chunk_meta`` does: the search script picks chunks by them."""
    for left, right in zip(chunks, chunks[1:]):
        a, b = left[1], right[0]
        common = 0
        for x, y in zip(b, a):
            if x != y:
                break
            common += 1
        left[1], right[0] = a[:common + 1], b[:common + 1]


def _renamed(changes, path, value, language, old_hash, level=9):
    content = file_bytes(value, level)
    new_hash = f"{language}_{_short_hash(content, len(old_hash.rsplit('_', 1)[1]))}"
    changes.replace(path, path.with_name(f"{new_hash}{path.suffix}"), content)
    return new_hash
