"""The metadata fields an article may carry (``newsroom/data/field_names.toml``).

``known`` fields are the content model's (docs/content-model.md): the site reads them.
``overrides`` are Pelican fields that would change an article's address, template,
language or category; they are not part of the content model, so ``check`` and the build
refuse them. Any other field is read by nobody: ``check`` warns (a typo such as
``Subtitel:``) and the reader plugin drops it before Pelican could act on it (Pelican
sets every field as an attribute of the article: ``_content:`` would replace its
sanitized body, ``date_format:`` its date formats).
"""

import tomllib
from functools import lru_cache

from newsroom import DATA_DIR

FIELD_NAMES = DATA_DIR / "field_names.toml"


@lru_cache(maxsize=1)
def field_names():
    """The whole table: ``fields`` (Chinese name → field), ``known``, ``overrides``."""
    with FIELD_NAMES.open("rb") as handle:
        return tomllib.load(handle)


@lru_cache(maxsize=1)
def known_fields():
    """``{lower-case name: name as written in docs/content-model.md}``."""
    return {name.lower(): name for name in field_names()["known"]["fields"]}


@lru_cache(maxsize=1)
def override_fields():
    """``{lower-case name: name as written}`` of the fields that are refused."""
    return {name.lower(): name for name in field_names()["overrides"]["fields"]}
