"""Readable, stable URL slugs from Chinese headlines.

A slug is the headline in toneless pinyin, one hyphen between syllables, using
pypinyin's phrase dictionary so that 朝阳 reads chaoyang, 重建 chongjian and 长阳
changyang (a per-character transliteration such as unidecode gives zhao-yang).
ASCII letters and digits are kept, lower-cased; everything else separates words.
The result is cut at a syllable boundary to at most ``max_length`` characters.

The same headline always gives the same slug as long as pypinyin's pinned version
does not change; ``newsroom new`` and ``newsroom import`` therefore write the slug
into the file (``Slug:``) so that a published URL never moves.
"""

import re

from pypinyin import Style, lazy_pinyin, load_phrases_dict

from newsroom import DATA_DIR

MAX_SLUG_LENGTH = 60

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")


def _load_phrases(path=DATA_DIR / "pinyin_phrases.txt"):
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


_load_phrases()


def _syllables(text):
    """Pinyin syllables and ASCII words of ``text``, in order."""
    parts = []
    for match in re.finditer(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+", text):
        chunk = match.group(0)
        if _HAN.fullmatch(chunk):
            # A whole run of Han characters at once, so phrases are read as phrases.
            parts.extend(lazy_pinyin(chunk, style=Style.NORMAL, v_to_u=False, neutral_tone_with_five=False))
        else:
            parts.append(chunk)
    return [p.lower().replace("ü", "v") for p in parts if p]


def slugify_headline(headline, max_length=MAX_SLUG_LENGTH):
    """``齐静赴门头沟慰问…`` -> ``qi-jing-fu-men-tou-gou-wei-wen-…`` (at most ``max_length``)."""
    slug = ""
    for syllable in _syllables(headline):
        candidate = f"{slug}-{syllable}" if slug else syllable
        if len(candidate) > max_length:
            if not slug:  # a single very long ASCII word: cut it, there is no boundary
                slug = syllable[:max_length]
            break
        slug = candidate
    return slug or "article"


def pinyin_slug(name):
    """A short slug for a name or place: syllables joined without hyphens (门头沟区 -> mentougouqu)."""
    return "".join(_syllables(name)) or "x"
