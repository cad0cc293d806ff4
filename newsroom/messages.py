"""Every message an editor can see, in Simplified Chinese (or English when asked), from one table.

The table is data: ``newsroom/data/messages/<area>.toml``, one file per area (``check``,
``build``, ``import``...), so that each part of the system keeps its own messages. A
message's id is ``<area>.<name>``; its entry gives the text in both languages and, for a
problem, the fix::

    [missing_title]
    zh = "缺少标题（Title）"
    en = "no Title"
    fix_zh = "在第一行写 `Title: 标题`"
    fix_en = "write `Title: …` on the first line"

Texts are ``str.format`` templates; both languages must use the same placeholders
(``tests/test_messages.py`` checks every file, and that every id the code names exists).

Chinese is the default: editors read Chinese. English is chosen by ``--lang en`` (the
command line calls :func:`set_language`), ``NEWSROOM_LANG=en``, or a locale variable
(``LC_ALL``, ``LC_MESSAGES``, ``LANG``, in the C library's order) that starts with ``en``.
"""

import os
import tomllib
from functools import lru_cache

from newsroom import DATA_DIR

MESSAGES_DIR = DATA_DIR / "messages"
LANGUAGES = ("zh", "en")
_chosen = {}


class UnknownMessage(KeyError):
    """Code asked for a message id the table does not have (a programming error)."""


def set_language(language):
    """Use ``language`` (``zh`` or ``en``) for every message from now on; ``None`` goes back to the environment."""
    if language is None:
        _chosen.pop("language", None)
        return
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    _chosen["language"] = language


def language():
    """``zh`` or ``en``: :func:`set_language`, else ``NEWSROOM_LANG``, else the locale; default ``zh``."""
    if "language" in _chosen:
        return _chosen["language"]
    given = os.environ.get("NEWSROOM_LANG", "").strip().lower()
    if given in LANGUAGES:
        return given
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:  # the first one set decides, as in the C library
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"


@lru_cache(maxsize=1)
def catalogue():
    """``{id: entry}`` for every message of every area file."""
    table = {}
    for path in sorted(MESSAGES_DIR.glob("*.toml")):
        for name, entry in _area(path.stem).items():
            table[f"{path.stem}.{name}"] = entry
    return table


@lru_cache(maxsize=None)
def _area(area):
    """``{name: entry}`` of one area file (``{}`` when there is none). A message is looked up
    in its own area's file only: a command that prints a few messages (an up-to-date
    ``build`` returns in a fifth of a second) should not parse all 18 files (~30 ms)."""
    if not area or "/" in area or area.startswith("."):
        return {}
    try:
        with (MESSAGES_DIR / f"{area}.toml").open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}


def _entry(message_id):
    area, _, name = str(message_id).partition(".")
    try:
        return _area(area)[name]
    except KeyError:
        raise UnknownMessage(f"no message {message_id!r} in {MESSAGES_DIR}") from None


def text(message_id, lang=None, **params):
    """The message ``message_id`` in the current language, its placeholders filled from ``params``."""
    entry = _entry(message_id)
    return entry[lang or language()].format(**params)


def template(message_id, lang=None):
    """The message ``message_id`` unfilled, in the current language (for a page that fills
    its placeholders itself: the web desk's scripts)."""
    return _entry(message_id)[lang or language()]


def fix(message_id, lang=None, **params):
    """The fix that goes with ``message_id`` (empty when the message has none)."""
    entry = _entry(message_id)
    template = entry.get(f"fix_{lang or language()}", "")
    return template.format(**params)


def problem(message_id, **params):
    """``(problem, fix)`` in the current language: what :class:`~newsroom.errors.ContentError` takes."""
    return text(message_id, **params), fix(message_id, **params)


@lru_cache(maxsize=1)
def _chinese_field_names():
    with (DATA_DIR / "field_names.toml").open("rb") as handle:
        return tomllib.load(handle).get("chinese", {})


def field(name, lang=None):
    """A metadata field as a message names it: ``标题（Title）`` in Chinese (the name editors
    use, then the one they write), ``Title`` in English. ``name`` is the English field name
    (any case); a field without a Chinese name is given as it is."""
    names = _chinese_field_names()
    written = next((known for known in names if known.lower() == str(name).lower()), str(name))
    if (lang or language()) == "en" or written not in names:
        return written
    return f"{names[written]}（{written}）"


# What the operating system says about a file, by errno (its own text is English).
OS_ERRORS = {2: "common.os_no_such_file", 13: "common.os_no_permission", 21: "common.os_is_a_folder",
             20: "common.os_not_a_folder", 28: "common.os_disk_full", 98: "common.os_address_in_use"}


def os_error(error):
    """Why a file could not be read or written (an ``OSError``), in the editor's language."""
    message_id = OS_ERRORS.get(getattr(error, "errno", None))
    return text(message_id) if message_id else (getattr(error, "strerror", None) or str(error))


def export_language():
    """Put the language chosen by :func:`set_language` into the environment
    (``NEWSROOM_LANG``), so that the processes a command starts (the Pelican build, the
    scheduler's publish) speak it too."""
    if "language" in _chosen:
        os.environ["NEWSROOM_LANG"] = _chosen["language"]
