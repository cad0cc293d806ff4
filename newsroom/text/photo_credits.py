"""A photo caption and the credit at its end: ``图为……。本报记者 白莹 摄``.

A photo credit is not a byline (:mod:`newsroom.text.bylines` reads those): it ends the
caption, names who took or gave the picture, and is shown apart from the description.
The forms are data (``newsroom/data/photo_credits.toml``): roles followed by names and a
verb (本报记者 白莹 通讯员 李明 摄), a bare name with a verb after a space or full stop
(…。 白莹 摄), a source alone (资料图片, 新华社发, 受访者供图, XX区总工会供图, 图片由……提供),
or a source with people in brackets (新华社发（张伟 摄）); the whole credit may stand in
brackets itself (……（本报记者 白莹 摄）).

:func:`split_caption` returns the description and a :class:`PhotoCredit` whose ``parts``
mark each name with its role, so that a page can link a credited reporter to their page.
A caption that ends in none of these forms is all description (no credit is guessed).
"""

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from newsroom import DATA_DIR

NAME = r"[\u4e00-\u9fff][\u4e00-\u9fff·]{1,5}"
GAP = r"[ \t\u3000]*"
SEPARATOR = r"[ \t\u3000、，,]+"


@dataclass(frozen=True)
class PhotoCredit:
    """``text`` as written; ``parts`` splits it into ``(kind, text)`` pairs, ``kind`` one
    of ``text``, ``reporter``, ``correspondent``, ``other`` (a name of another
    organisation's staff or a bare name)."""

    text: str
    parts: tuple

    def names(self, kind):
        return [text for part_kind, text in self.parts if part_kind == kind]


@dataclass(frozen=True)
class Caption:
    """A caption split: the description and the credit (None when it ends in none)."""

    text: str
    credit: PhotoCredit | None


@lru_cache(maxsize=1)
def _forms():
    with (DATA_DIR / "photo_credits.toml").open("rb") as handle:
        data = tomllib.load(handle)
    role_of = {word: kind for kind, words in data["roles"].items() for word in words}
    roles = "|".join(re.escape(w) for w in sorted(role_of, key=len, reverse=True))
    verbs = "|".join(re.escape(w) for w in sorted(data["verbs"]["taken"], key=len, reverse=True))
    names = rf"{NAME}(?:{SEPARATOR}{NAME})*"
    group = rf"(?:{roles}){GAP}{names}"
    people = rf"{group}(?:{SEPARATOR}{group})*{GAP}(?:{verbs})"
    # A bare name needs a space (or a slash) before its verb: 正在拍摄 is no credit.
    bare = rf"{names}(?:[ \t\u3000]+(?:{verbs})|{GAP}[/／]摄)"
    alone = "|".join(re.escape(w) for w in sorted(data["sources"]["alone"], key=len, reverse=True))
    limit = data["sources"]["given_by_max_chars"]
    given = "|".join(re.escape(w) for w in data["sources"]["given_by"])
    phrases = "|".join(rf"{re.escape(a)}[^，。,；;（）()]{{1,{limit}}}?{re.escape(b)}"
                       for a, b in data["sources"]["given_by_phrases"])
    source = rf"(?:{alone}|{phrases}|[^，。,；;：:（）()\s]{{1,{limit}}}?(?:{given}))"
    # One credit, by its form: people, a source with people in brackets, a source alone.
    credit = (rf"(?P<people>{people})|(?P<source>{source}){GAP}[（(]{GAP}(?P<inner>{people}|{bare}){GAP}[）)]"
              rf"|(?P<alone>{source})")
    # At the very end of the caption, in brackets or not; a bare name (白莹 摄) needs a
    # space or a full stop before it, so that 正在拍摄 is no credit.
    end = (rf"(?:[（(]{GAP}(?P<bracketed>{credit.replace('?P<', '?P<b_')}|(?P<b_bare>{bare})){GAP}[）)]"
           rf"|(?P<plain>{credit})|(?:(?<=[\s\u3000。！？；;.!?])|^)(?P<bare>{bare}))[\s\u3000]*$")
    return {
        "role_of": role_of,
        "end": re.compile(end),
        "split": re.compile(rf"({roles}|{SEPARATOR})"),
        "verb_end": re.compile(rf"{GAP}(?:{verbs})$"),
    }


def split_caption(caption):
    """:class:`Caption` for ``caption`` (the Markdown image's title)."""
    caption = (caption or "").strip()
    forms = _forms()
    match = forms["end"].search(caption)
    if not match:
        return Caption(caption, None)
    found = {k.removeprefix("b_"): v for k, v in match.groupdict().items() if v is not None}
    description = caption[: match.start()].rstrip(" \t\u3000")
    if "people" in found:
        text, parts = found["people"], _people(found["people"], forms)
    elif "bare" in found:
        text, parts = found["bare"], _people(found["bare"], forms)
    elif "inner" in found:
        whole = match.group("bracketed") or match.group("plain")
        start = whole.index(found["inner"], len(found["source"]))
        text = whole
        parts = (("text", whole[:start]),) + _people(found["inner"], forms) + (("text", whole[start + len(found["inner"]):]),)
    else:
        text, parts = found["alone"], (("text", found["alone"]),)
    return Caption(description, PhotoCredit(text.strip(), _merged(parts)))


def _people(text, forms):
    """``(kind, text)`` parts of ``本报记者 白莹 通讯员 李明 摄``: each name with its role
    (a name before any role word is ``other``), the rest as text."""
    verb = forms["verb_end"].search(text)
    body, tail = text[: verb.start()], text[verb.start():]
    parts, role = [], "other"
    for piece in forms["split"].split(body):
        if not piece:
            continue
        if piece in forms["role_of"]:
            role = forms["role_of"][piece]
            parts.append(("text", piece))
        elif re.fullmatch(NAME, piece):
            parts.append((role, piece))
        else:
            parts.append(("text", piece))
    return tuple(parts) + (("text", tail),)


def _merged(parts):
    merged = []
    for kind, text in parts:
        if not text:
            continue
        if merged and kind == "text" and merged[-1][0] == "text":
            merged[-1] = ("text", merged[-1][1] + text)
        else:
            merged.append((kind, text))
    return tuple(merged)
