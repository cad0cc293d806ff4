"""Readable, stable URL slugs from Chinese headlines.

A slug is the headline in toneless pinyin, one word per hyphen-separated part:
齐静赴门头沟慰问… -> qi-jing-fu-mentougou-weiwen-…. Readings come from pypinyin's
phrase dictionary (plus ``data/pinyin_phrases.txt``) over each whole run of Han
characters, so that 朝阳 reads chaoyang, 重建 chongjian and 长阳 changyang (a
per-character transliteration such as unidecode gives zhao-yang). Words are cut with
jieba's own dictionary, never the project's user dictionary, which editors' keyword
work changes: a slug must not move when that does. ASCII letters and digits are kept,
lower-cased; everything else separates words. The result is cut at a word boundary to
at most ``max_length`` characters.

The same headline always gives the same slug with the pinned pypinyin and jieba;
``newsroom new`` and ``newsroom import`` also write the slug into the file (``Slug:``),
so a published URL never moves even across library upgrades.
"""

import importlib.util
import re
from functools import lru_cache
from pathlib import Path

from newsroom import DATA_DIR

MAX_SLUG_LENGTH = 60
PHRASES = DATA_DIR / "pinyin_phrases.txt"

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@lru_cache(maxsize=None)
def _pinyin():
    """pypinyin's ``lazy_pinyin`` and ``Style``, with the project's phrases loaded: on first
    use, not on import (its phrase dictionary costs ~0.4 s, which a build that checks one
    file with a ``Slug:`` line, or an up-to-date build, need not pay)."""
    from pypinyin import Style, lazy_pinyin

    _load_phrases()
    return lazy_pinyin, Style


def _load_phrases(path=PHRASES):
    from pypinyin import load_phrases_dict

    phrases = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        phrase, *readings = line.split()
        if len(readings) != len(phrase):
            raise ValueError(f"{path}: {phrase!r} needs one syllable per character")
        phrases[phrase] = [[reading] for reading in readings]
    load_phrases_dict(phrases)


_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+")


def _han_words(run):
    """Pinyin of each word of a run of Han characters, read as one run for context.

    Words come from jieba's own dictionary only (``segment.plain_tokenizer``, the
    tables shared with the keyword analysis, loaded once per process)."""
    from newsroom.text import segment

    lazy_pinyin, Style = _pinyin()
    syllables = lazy_pinyin(run, style=Style.NORMAL)
    words, start = [], 0
    for word in segment.cut_words(segment.plain_tokenizer(), run, hmm=False):
        words.append("".join(syllables[start : start + len(word)]))
        start += len(word)
    return words


def _words(text):
    """Pinyin words and ASCII words of ``text``, in order, lower-case."""
    words = []
    for match in _TOKEN.finditer(text):
        chunk = match.group(0)
        words.extend(_han_words(chunk) if _HAN.fullmatch(chunk) else [chunk])
    return [w.lower().replace("ü", "v") for w in words if w]


def _syllables(text):
    """Pinyin syllables and ASCII words of ``text``, in order."""
    lazy_pinyin, Style = _pinyin()
    parts = []
    for match in _TOKEN.finditer(text):
        chunk = match.group(0)
        parts.extend(lazy_pinyin(chunk, style=Style.NORMAL) if _HAN.fullmatch(chunk) else [chunk])
    return [p.lower().replace("ü", "v") for p in parts if p]


@lru_cache(maxsize=65536)  # the check asks for the same headline's slug more than once
def slugify_headline(headline, max_length=MAX_SLUG_LENGTH):
    """``齐静赴门头沟慰问…`` -> ``qi-jing-fu-mentougou-weiwen-…`` (at most ``max_length``)."""
    slug = ""
    for word in _words(headline):
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            if not slug:  # one very long first word: cut it, at a syllable where it has them
                slug = _cut_word(word, headline, max_length)
            break
        slug = candidate
    return slug or "article"


def _cut_word(word, headline, max_length):
    cut = ""
    for syllable in _syllables(headline):
        if len(cut) + len(syllable) > max_length or not word.startswith(cut + syllable):
            break
        cut += syllable
    return cut or word[:max_length]


def pinyin_slug(name):
    """A short slug for a name or place: syllables joined without hyphens (门头沟区 -> mentougouqu).

    Kept between processes (:func:`save_pinyin_memo`): the gazetteer's ~1,000 places and
    the tag index's pinyin order ask for the same names in every build, and answering
    them without pypinyin spares each process its ~0.2 s of loading it."""
    memo = _pinyin_memo()
    found = memo["table"].get(name)
    if found is None:
        found = "".join(_syllables(name)) or "x"
        if len(memo["table"]) < MEMO_MAX_ENTRIES:
            memo["table"][name] = found
            memo["dirty"] = True
    return found


# --- pinyin_slug's answers, kept in the dictionary cache folder -----------------------
# A pure function of the name, pypinyin's data, the project's phrases and this module, so
# the memo is keyed (as segment.cached_table keys its tables) on the paths, sizes and
# modification times of those files: pypinyin's own modules are found without importing
# it, and an upgrade or an edited phrase list starts a new memo.
MEMO_NAME = "pinyin-slugs"
MEMO_MAX_ENTRIES = 500_000  # beyond this new names are computed, not kept
_memo = {}


def _memo_sources():
    files = [Path(__file__).resolve(), PHRASES]
    spec = importlib.util.find_spec("pypinyin")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        files += sorted(Path(folder).rglob("*.py"))
    return files


def _pinyin_memo():
    if not _memo:
        from newsroom.text import segment

        path, table = segment.load_kept_table(MEMO_NAME, _memo_sources())
        valid = isinstance(table, dict) and all(
            type(key) is str and type(value) is str for key, value in table.items())
        _memo.update(path=path, table=table if valid else {}, dirty=False)
    return _memo


def save_pinyin_memo():
    """Keep the names :func:`pinyin_slug` answered anew for the next process (atomically:
    two processes writing at once lose at most each other's new names, computed again)."""
    if _memo.get("dirty"):
        from newsroom.text import segment

        segment.keep_table(_memo["path"], MEMO_NAME, _memo["table"])
        _memo["dirty"] = False
