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
import logging
import re
from functools import lru_cache
from pathlib import Path

from newsroom import DATA_DIR

log = logging.getLogger(__name__)

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
    """Pinyin syllables and ASCII words of ``text``, in order: pypinyin's readings, from
    its tables as :func:`_readings` keeps them (pypinyin itself when they cannot be had)."""
    table = _readings()
    if table is None:
        lazy_pinyin, Style = _pinyin()
        read = lambda chunk: lazy_pinyin(chunk, style=Style.NORMAL)  # noqa: E731
    else:
        read = lambda chunk: _read_run(chunk, table)  # noqa: E731
    parts = []
    for match in _TOKEN.finditer(text):
        chunk = match.group(0)
        parts.extend(read(chunk) if _HAN.fullmatch(chunk) else [chunk])
    return [p.lower().replace("ü", "v") for p in parts if p]


# --- pypinyin's readings without loading pypinyin ---------------------------------------
# A name pinyin_slug has not seen cost the process pypinyin's import (its phrase
# dictionary and the prefix set of its cutter: ~0.45 CPU-s) to read a few characters. For
# a run of Han characters (every character in _HAN, all of which pypinyin counts as Han)
# pypinyin's lazy_pinyin cuts the run by forward maximum matching over its phrases
# (pypinyin.seg.mmseg.Seg.cut with no_non_phrases) and reads each word on its own: a
# phrase by its dictionary entry, a single character by its first reading. So the
# reading of a run needs only: which strings are phrases or prefixes of phrases, and
# pypinyin's own reading of each phrase and of each character. Those are kept in the
# dictionary cache folder, made by pypinyin itself once per version of pypinyin, of the
# project's phrases and of this module (the sources of the memo below).
READINGS_NAME = "pinyin-readings"
_READINGS = {}


def _readings():
    """``(phrases, prefixes, characters)``: pypinyin's reading (its syllables joined by spaces) of
    each phrase and of each character of _HAN's ranges, and the other prefixes of its
    phrases; None when the table can be neither read nor made."""
    if "table" not in _READINGS:
        from newsroom.text import segment

        try:
            table = segment.cached_table(READINGS_NAME, _readings_sources(), _make_readings)
            phrases, prefixes, characters = table
            if not (type(phrases) is dict and type(prefixes) is frozenset and type(characters) is dict):
                raise ValueError(f"{READINGS_NAME}: not the table this module makes")
        except Exception as error:  # noqa: BLE001 — without the table, pypinyin itself reads
            log.info("slugs: reading pinyin through pypinyin (%s)", error)
            table = None
        _READINGS["table"] = table
    return _READINGS["table"]


def _readings_sources():
    files = _memo_sources()
    spec = importlib.util.find_spec("pypinyin")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        files += sorted(Path(folder).rglob("*.json"))  # its dictionaries
    return files


_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))  # _HAN's


# The cut below copies pypinyin's (mmseg.Seg.cut) and reads its prefix set, a private
# attribute: the table is made only by the pypinyin version pinned in requirements.txt,
# whose cut it was checked against (tests/test_slugs.py compares it with the pin); with
# another version pypinyin itself reads every name, as before the table existed.
PYPINYIN_CHECKED = "0.55.0"


def _make_readings():
    import pypinyin

    if pypinyin.__version__ != PYPINYIN_CHECKED:
        raise ValueError(f"pypinyin {pypinyin.__version__} is not {PYPINYIN_CHECKED}, whose cut slugs copies")
    lazy_pinyin, Style = _pinyin()
    from pypinyin.constants import PHRASES_DICT
    from pypinyin.seg import mmseg

    def read(words):
        """Each word's reading as ``lazy_pinyin`` gives it for the word alone. Given a list,
        lazy_pinyin reads each Han item as one word (no cut) and gives one syllable per
        character, so one call reads them all; each is one string, its syllables joined
        by spaces (plain strings load fastest)."""
        syllables = lazy_pinyin(words, style=Style.NORMAL)
        if len(syllables) != sum(map(len, words)) or any(" " in syllable for syllable in syllables):
            raise ValueError("pypinyin does not read one syllable per character")
        readings, start = [], 0
        for word in words:
            readings.append(" ".join(syllables[start : start + len(word)]))
            start += len(word)
        return dict(zip(words, readings))

    # Only strings of _HAN characters can be cut from a run of them.
    phrases = read([phrase for phrase in PHRASES_DICT if _HAN.fullmatch(phrase)])
    prefixes = frozenset(prefix for prefix in mmseg.seg._prefix_set._set
                         if prefix not in phrases and _HAN.fullmatch(prefix))
    characters = read([chr(code) for first, last in _HAN_RANGES for code in range(first, last + 1)])
    return phrases, prefixes, characters


def _cut_run(run, phrases, prefixes):
    """pypinyin's cut of a run of Han characters (``mmseg.Seg.cut``, ``no_non_phrases``),
    step for step, with its prefix set as ``phrases`` plus ``prefixes``."""
    remain = run
    while remain:
        last_valid_word, last_valid_index = "", 0
        for index in range(len(remain)):
            word = remain[: index + 1]
            if word in phrases or word in prefixes:
                if word in phrases:
                    last_valid_word, last_valid_index = word, index + 1
            else:
                if last_valid_word:
                    yield last_valid_word
                    remain = remain[last_valid_index:]
                else:
                    yield remain[0]
                    remain = remain[1:]
                break
        else:  # every prefix of what remains is a prefix of a phrase
            if last_valid_word:
                yield last_valid_word
                remain = remain[last_valid_index:]
            else:
                yield from remain  # not a phrase: one character at a time
                break


def _read_run(run, table):
    """``lazy_pinyin(run, style=Style.NORMAL)`` from the kept table."""
    phrases, prefixes, characters = table
    syllables = []
    try:
        for word in _cut_run(run, phrases, prefixes):
            syllables.extend((phrases[word] if word in phrases else characters[word]).split(" "))
    except KeyError:  # a table that lacks a character: pypinyin reads the run
        lazy_pinyin, Style = _pinyin()
        return lazy_pinyin(run, style=Style.NORMAL)
    return syllables


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
