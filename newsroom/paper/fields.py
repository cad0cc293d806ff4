"""The content model as data: every metadata field, its Chinese name, help and control.

Read from ``newsroom/data/content_model.toml`` (the editor's fields, in the canonical
order) and ``newsroom/data/field_names.toml`` (every field the site reads, and the Chinese
names editors type). ``newsroom new``, the importer and the web desk write fields in
:func:`canonical_order`; the desk builds its form from :func:`desk_fields`.

``known`` fields are the content model's (docs/content-model.md): the site reads them.
``overrides`` are Pelican fields that would change an article's address, template,
language or category; they are not part of the content model, so ``check`` and the build
refuse them. Any other field is read by nobody: ``check`` warns (a typo such as
``Subtitel:``) and the reader plugin drops it before Pelican could act on it (Pelican
sets every field as an attribute of the article: ``_content:`` would replace its
sanitized body, ``date_format:`` its date formats).
"""

import tomllib
from dataclasses import dataclass
from functools import lru_cache

from newsroom import DATA_DIR

MODEL_PATH = DATA_DIR / "content_model.toml"
FIELD_NAMES = DATA_DIR / "field_names.toml"
CONTROLS = ("line", "text", "date", "district", "status", "number", "list", "topics", "lines", "slug", "photo")
# Fields whose value is a list written comma-separated (one canonical spelling: ", ").
LIST_CONTROLS = ("list", "topics")


class ModelError(ValueError):
    """The content model's data file itself is wrong (names the file and what to fix)."""


@dataclass(frozen=True)
class Field:
    name: str  # as written in a file: PageName
    zh: str  # the Chinese name: 版名
    control: str = "line"
    required: bool = False
    help: str = ""
    repeatable: bool = False  # written once per value (Correction)
    modelled: bool = True  # False: a field the site reads that the model does not describe
    shown: bool = True  # False: Pelican's own fields, kept in files but not in the desk's form

    @property
    def key(self):
        """The name in lower case, as :class:`newsroom.paper.content.Source` keys it."""
        return self.name.lower()

    @property
    def is_list(self):
        return self.control in LIST_CONTROLS


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


@lru_cache(maxsize=1)
def _model():
    with MODEL_PATH.open("rb") as handle:
        return tomllib.load(handle)


@lru_cache(maxsize=1)
def model_fields():
    """The content model's fields, in the canonical order."""
    entries = _model().get("field", [])
    repeatable = set(field_names()["known"].get("repeatable", ()))
    fields = []
    for number, entry in enumerate(entries, 1):
        name, control = entry.get("name"), entry.get("control", "line")
        if not name or not entry.get("zh"):
            raise ModelError(f"{MODEL_PATH}: field {number} needs a name and a zh label")
        if control not in CONTROLS:
            raise ModelError(f"{MODEL_PATH}: {name}: control {control!r} is none of {', '.join(CONTROLS)}")
        fields.append(Field(name, entry["zh"], control, bool(entry.get("required")), entry.get("help", ""),
                            name in repeatable or control == "lines"))
    names = [field.name.lower() for field in fields]
    if len(set(names)) != len(names):
        raise ModelError(f"{MODEL_PATH}: a field is listed twice")
    return tuple(fields)


def _chinese_name(name):
    """The Chinese name field_names.toml gives ``name`` in messages, else the first one editors
    may type for it (None when it gives none)."""
    chinese = field_names().get("chinese", {}).get(name)
    return chinese or next((zh for zh, english in field_names()["fields"].items() if english == name), None)


@lru_cache(maxsize=1)
def desk_fields():
    """Every field an editor may meet: the model's, then the other fields the site reads
    (as one line of text, labelled with their Chinese name where field_names.toml has one)."""
    modelled = model_fields()
    known = {field.key for field in modelled}
    repeatable = set(field_names()["known"].get("repeatable", ()))
    pelican = {name.lower() for name in _model().get("pelican", {}).get("fields", ())}
    others = []
    for name in field_names()["known"]["fields"]:
        if name.lower() not in known:
            known.add(name.lower())
            others.append(Field(name, _chinese_name(name) or name, "lines" if name in repeatable else "line",
                                repeatable=name in repeatable, modelled=False, shown=name.lower() not in pelican))
    return modelled + tuple(others)


@lru_cache(maxsize=1)
def canonical_order():
    """``{lower-case name: (rank, name as written)}`` for every known field."""
    return {field.key: (rank, field.name) for rank, field in enumerate(desk_fields())}


def field(name):
    """The :class:`Field` called ``name`` (any case), or None for a field the site does not read."""
    return next((f for f in desk_fields() if f.key == name.lower()), None)
