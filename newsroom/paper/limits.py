"""What the site can be built from, beyond the content model's own rules: the inputs that
once passed ``check`` and then stopped the build without naming the file.

* **control characters** (a vertical tab, a NUL, a form feed: Word pastes carry them);
  XML 1.0, and so the Atom feeds and the sitemap, cannot hold them;
* **dates outside the paper's life** (``newsroom/data/paper_limits.toml``);
* **tags that make no address**: ``Tags: ???`` gives the tag the empty slug, whose page
  would be the tag index itself.

``check`` reports each at its line (:mod:`newsroom.desk.limits_check`); the reader plugin
raises the same :class:`~newsroom.errors.ContentError`.
"""

import datetime
import re
import tomllib
import unicodedata
from functools import lru_cache

from markupsafe import Markup

from newsroom import DATA_DIR

# C0 controls but tab, line feed and carriage return; DEL; the C1 controls; and the two
# noncharacters XML 1.0 forbids.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Pelican's defaults for TAG_REGEX_SUBSTITUTIONS (= SLUG_REGEX_SUBSTITUTIONS), with
# SLUGIFY_USE_UNICODE = True as pelicanconf.py sets it; tests/test_limits.py checks this
# against pelican.utils.slugify.
TAG_SUBSTITUTIONS = ((r"[^\w\s-]", ""), (r"(?u)\A\s*", ""), (r"(?u)\s*\Z", ""), (r"[-\s]+", "-"))


@lru_cache(maxsize=1)
def paper_life():
    """``(first day, last day)`` of the paper, as dates."""
    with (DATA_DIR / "paper_limits.toml").open("rb") as handle:
        data = tomllib.load(handle)
    return data["first_day"], data["last_day"]


def in_paper_life(value):
    """True when the date (or datetime) ``value`` falls within :func:`paper_life`."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    first, last = paper_life()
    return first <= day <= last


def control_characters(text):
    """``[(line, column, character)]`` of every control character in ``text``."""
    found = []
    for number, line in enumerate(text.split("\n"), 1):
        for match in CONTROL.finditer(line):
            found.append((number, match.start() + 1, match.group()))
    return found


# The C0 controls' short names (Unicode gives them none).
C0_NAMES = ("NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB "
            "ESC FS GS RS US").split()


def character_name(character):
    """``U+000B (VT)``: the code point and its short name, where it has one."""
    code = ord(character)
    name = C0_NAMES[code] if code < 0x20 else "DEL" if code == 0x7F else ""
    return f"U+{code:04X}" + (f" ({name})" if name else "")


def tag_slug(tag):
    """The last part of a tag page's address, as Pelican makes it (``tags/<slug>/``)."""
    value = unicodedata.normalize("NFKC", Markup(tag).striptags())
    for source, target in TAG_SUBSTITUTIONS:
        value = re.sub(source, target, value, flags=re.IGNORECASE)
    return value.lower().strip()


def problems(source, text):
    """``[(line, message id, params)]`` for an article: its ``text`` (the whole file, as
    read) and its :class:`~newsroom.paper.content.Source`. Values the content model's own
    checks refuse (a date that does not parse) are left to them."""
    from newsroom.paper.content import split_list
    from newsroom.paper.corrections import parse_correction
    from newsroom.paper.dates import DateProblem, parse_date

    found = [(line, "security.control_character", {"column": column, "character": character_name(character)})
             for line, column, character in control_characters(text)]
    first, last = paper_life()
    dated = [(key.capitalize(), source.line_of(key), source.get(key)) for key in ("date", "modified") if source.get(key)]
    correction_lines = [n for n, line in enumerate(text.split("\n")[: source.body_line - 1], 1)
                        if re.match(r"^[ ]{0,3}correction\s*:", line, re.I)]
    for index, value in enumerate(source.get_all("correction")):
        line = correction_lines[index] if index < len(correction_lines) else source.line_of("correction")
        try:
            dated.append(("Correction", line, parse_correction(value).date))
        except DateProblem:
            continue
    for field, line, value in dated:
        try:
            when = parse_date(value)
        except DateProblem:
            continue
        if not in_paper_life(when):
            found.append((line, "security.date_out_of_range",
                          {"field": field, "value": when.date().isoformat(), "first": first, "last": last}))
    for tag in split_list(source.get("tags")):
        if not tag_slug(tag):
            found.append((source.line_of("tags"), "security.tag_without_address", {"tag": tag}))
    return found
