"""Finish a Pagefind 1.5 search bundle: byte-reproducible and small to download.

Reproducible: Pagefind writes its word index and fragments deterministically, but it
keeps filters in hash maps: the order of the values inside each ``filter/*.pf_filter``
file and the order of the filters listed in the ``pagefind.*.pf_meta`` file change from
run to run, and with them the files' hash-based names and ``pagefind-entry.json``.
:func:`normalize_bundle` rewrites those files with values and filters sorted and names
them after a hash of their new content; Pagefind reads filters as maps, so search
results are unaffected.

Small: the meta file, which every first search downloads, lists every page's fragment
file by a 13-character hash name; at 20,000 articles that list alone is ~220 KB. The
fragments are renamed ``<n>`` in base 36 (the meta file's own name still changes with
any content change). Each fragment's text also loses what only the word index needs:
the hidden bigram block (:mod:`newsroom.searchindex`) and the zero-width spaces Pagefind
puts between the words it segmented, so the page script sees the article's own text.

The files are gzip'd CBOR after a ``pagefind_dcd`` signature. Only the CBOR subset that
Pagefind writes is handled (integers, strings, arrays, maps, null, booleans); a file
that does not re-encode to its own bytes is left alone with a warning, so a future
Pagefind format change cannot silently corrupt the bundle.
"""

import gzip
import hashlib
import json
import logging
import struct
from pathlib import Path

log = logging.getLogger(__name__)

SIGNATURE = b"pagefind_dcd"


class UnsupportedCbor(ValueError):
    pass


def _decode(data, pos):
    initial = data[pos]
    major, info = initial >> 5, initial & 0x1F
    pos += 1
    if info < 24:
        value = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        value = int.from_bytes(data[pos:pos + size], "big")
        pos += size
    else:
        raise UnsupportedCbor(f"indefinite length or reserved item 0x{initial:02x}")
    if major == 0:
        return value, pos
    if major == 1:
        return -1 - value, pos
    if major == 2:
        return bytes(data[pos:pos + value]), pos + value
    if major == 3:
        return data[pos:pos + value].decode("utf-8"), pos + value
    if major == 4:
        items = []
        for _ in range(value):
            item, pos = _decode(data, pos)
            items.append(item)
        return items, pos
    if major == 5:
        pairs = []
        for _ in range(value):
            key, pos = _decode(data, pos)
            item, pos = _decode(data, pos)
            pairs.append((key, item))
        return {"__map__": pairs}, pos
    if major == 7 and info in (20, 21, 22):
        return {20: False, 21: True, 22: None}[info], pos
    raise UnsupportedCbor(f"CBOR item 0x{initial:02x}")


def decode(data):
    value, end = _decode(data, 0)
    if end != len(data):
        raise UnsupportedCbor("trailing bytes")
    return value


def _head(major, value):
    if value < 24:
        return bytes([major << 5 | value])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | info]) + value.to_bytes(size, "big")
    raise UnsupportedCbor("integer too large")


def encode(value):
    if value is None or isinstance(value, bool):
        return bytes([0xF6 if value is None else (0xF5 if value else 0xF4)])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(encode(item) for item in value)
    if isinstance(value, dict) and "__map__" in value:
        pairs = value["__map__"]
        return _head(5, len(pairs)) + b"".join(encode(k) + encode(v) for k, v in pairs)
    raise UnsupportedCbor(f"cannot encode {type(value).__name__}")


def read_file(path):
    data = gzip.decompress(Path(path).read_bytes())
    if not data.startswith(SIGNATURE):
        raise UnsupportedCbor(f"{path}: no pagefind signature")
    body = data[len(SIGNATURE):]
    value = decode(body)
    if encode(value) != body:
        raise UnsupportedCbor(f"{path}: does not re-encode to the same bytes")
    return value


def file_bytes(value):
    # mtime=0 and a fixed level: the same value always gives the same bytes.
    return gzip.compress(SIGNATURE + encode(value), compresslevel=9, mtime=0)


def _short_hash(content, length):
    return hashlib.sha256(content).hexdigest()[:length]


def normalize_bundle(bundle, marker=None):
    """Finish the Pagefind bundle folder ``bundle`` in place (see above); True if done.

    ``marker`` starts the hidden block cut from each fragment's text.
    """
    bundle = Path(bundle)
    entry_path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        for language, info in sorted(entry["languages"].items()):
            info["hash"] = _normalize_language(bundle, info["hash"], marker)
    except (UnsupportedCbor, KeyError, ValueError, OSError, struct.error) as error:
        log.warning("pagefind_files: bundle left as Pagefind wrote it (%s); it may differ between builds", error)
        return False
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True


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


def _rename_fragments(bundle, meta, marker):
    pages = meta[1]  # [[fragment hash, word count], ...]
    folder = bundle / "fragment"
    written = {}
    for number, page in enumerate(pages):
        old = folder / f"{page[0]}.pf_fragment"
        fragment = _slim_fragment(read_fragment(old), marker)
        name = _base36(number)
        written[name] = gzip.compress(
            SIGNATURE + json.dumps(fragment, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
            compresslevel=9, mtime=0)
        old.unlink()
        page[0] = name
    for name, content in written.items():
        (folder / f"{name}.pf_fragment").write_bytes(content)


def _normalize_language(bundle, meta_hash, marker):
    language = meta_hash.rsplit("_", 1)[0]
    meta_path = bundle / f"pagefind.{meta_hash}.pf_meta"
    # Read (and so check) every file before changing any: a failure leaves the bundle whole.
    meta = read_file(meta_path)
    filters = meta[3]  # [version, pages, index chunks, filters [[name, hash]], sorts, meta fields]
    values = {name: read_file(bundle / "filter" / f"{old_hash}.pf_filter") for name, old_hash in filters}
    for page in meta[1]:
        read_fragment(bundle / "fragment" / f"{page[0]}.pf_fragment")
    _rename_fragments(bundle, meta, marker)
    renamed = []
    for name, old_hash in filters:
        value = values[name]  # [name, [[value, [page, ...]], ...]]
        value[1].sort(key=lambda pair: pair[0])
        content = file_bytes(value)
        new_hash = f"{language}_{_short_hash(content, len(old_hash.rsplit('_', 1)[1]))}"
        (bundle / "filter" / f"{old_hash}.pf_filter").unlink()
        (bundle / "filter" / f"{new_hash}.pf_filter").write_bytes(content)
        renamed.append([name, new_hash])
    meta[3] = sorted(renamed)
    content = file_bytes(meta)
    new_meta_hash = f"{language}_{_short_hash(content, len(meta_hash.rsplit('_', 1)[1]))}"
    meta_path.unlink()
    (bundle / f"pagefind.{new_meta_hash}.pf_meta").write_bytes(content)
    return new_meta_hash
