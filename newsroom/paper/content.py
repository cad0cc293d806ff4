"""Read an article's Markdown source without Pelican.

The metadata block is parsed the way Python-Markdown's ``meta`` extension (and so
Pelican) reads it, but every value keeps the line it came from, so that checks can
say ``file:line: problem``.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from newsroom.errors import ContentError  # noqa: F401 (raised here; callers import it from here too)

# Python-Markdown's meta extension: a key line, or a continuation indented 4+ spaces.
META_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
META_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)")
# The Markdown extensions Pelican reads (pelican.readers.MarkdownReader.file_extensions):
# what check, the preview and its build server take for an article file.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown")
HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)


@dataclass
class Source:
    """One article file: metadata (lower-case keys), where each key was, and the body."""

    path: Path
    meta: dict = field(default_factory=dict)  # key -> list of values (keys may repeat)
    lines: dict = field(default_factory=dict)  # key -> line number of its first value
    body: str = ""
    body_line: int = 1  # line number where the body starts

    def get(self, key, default=None):
        values = self.meta.get(key.lower())
        return values[0] if values else default

    def get_all(self, key):
        return list(self.meta.get(key.lower(), []))

    def line_of(self, key):
        return self.lines.get(key.lower(), 1)

    @property
    def title(self):
        return self.get("title", "")

    @property
    def text(self):
        """The body as readers see it: HTML comments (editor's notes) removed."""
        return HTML_COMMENT.sub("", self.body)

    def body_paragraphs(self):
        return [p.strip() for p in re.split(r"\n\s*\n", self.text) if p.strip()]


def decode_utf8(data, path):
    """Decode UTF-8 (a BOM is dropped); anything else is refused, never half-read."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        damaged = _damaged_utf8(data, error)
        if damaged:
            raise ContentError.of(path, damaged["line"], "content.damaged_utf8", **damaged) from None
        encoding = _likely_encoding(data)
        message_id = {"UTF-16": "content.not_utf8_utf16", "GB18030": "content.not_utf8_gbk"}.get(
            encoding, "content.not_utf8_unknown")
        raise ContentError.of(path, line, message_id, encoding=encoding or "GB18030", name=Path(path).name) from None


def _damaged_utf8(data, error):
    """The message's values (line, column, bytes) for UTF-8 text with a few stray bytes
    (a bad copy, a cut-off character), or None. Converting such a file from GBK, as for a GBK file, would garble
    the whole of it; GBK or UTF-16 text has bad sequences everywhere instead."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for c in text if ord(c) > 0x7F) - bad
    # A few bad sequences among many good characters (one in fifty), or one or two in
    # plain ASCII text: damaged UTF-8. GBK text decodes to bad sequences almost only.
    if bad > max(3, good // 50) or (good == 0 and bad > 2):
        return None
    start = data.rfind(b"\n", 0, error.start) + 1
    column = len(data[start:error.start].decode("utf-8", errors="replace")) + 1
    line = data[:error.start].count(b"\n") + 1
    return {"line": line, "column": column, "bytes": data[error.start:error.end].hex(" ")}


def _likely_encoding(data):
    """A guess for the error message only: nothing is ever decoded with it."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:200].count(b"\x00") > len(data[:200]) // 4:
        return "UTF-16"
    try:
        data.decode("gb18030")
        return "GB18030"
    except UnicodeDecodeError:
        return None


def split_text(text):
    """``([(key as written, value, line number)], body, body line)``: the metadata block
    read as Python-Markdown's ``meta`` extension (and so Pelican) reads it, a continuation
    line (indented 4+ spaces) joined to its field's value with a space."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    items = []
    index = 0
    for index, line in enumerate(lines):
        if not line.strip():
            index += 1
            break
        match = META_LINE.match(line)
        if match:
            items.append([match.group("key"), match.group("value").strip(), index + 1])
            continue
        more = META_MORE.match(line)
        if more and items:
            items[-1][1] = (items[-1][1] + " " + more.group("value").strip()).strip()
            continue
        # Not metadata: the body starts here (a file without a metadata block).
        break
    else:
        index = len(lines)
    return [tuple(item) for item in items], "\n".join(lines[index:]).strip("\n"), index + 1


def parse_text(text, path="<text>"):
    """Split ``text`` into metadata and body."""
    items, body, body_line = split_text(text)
    source = Source(path=Path(path), body=body, body_line=body_line)
    for key, value, line in items:
        source.meta.setdefault(key.lower(), []).append(value)
        source.lines.setdefault(key.lower(), line)
    return source


def format_article(fields, body):
    """An article file's text in the canonical form, from ``fields`` (``(name, value)``
    pairs, a repeatable field once per value) and ``body``.

    The canonical form: one ``Name: value`` line per field with a value, known fields in
    the content model's order (:func:`newsroom.paper.fields.canonical_order`) with their
    names spelled as there, other fields after them as given; list fields joined with
    ``, ``; a blank line; the body without leading or trailing blank lines; one final
    newline. ``newsroom new``, the importer and the web desk write every file this way,
    so a file the desk saves is byte-identical to one written by hand in this order.
    """
    from newsroom.paper import fields as model  # the model reads data files: only when writing

    order = model.canonical_order()
    ranked = []
    for position, (name, value) in enumerate(fields):
        value = " ".join(str(value if value is not None else "").split("\n")).strip()
        known = model.field(name)
        if known is not None and known.is_list:
            value = ", ".join(split_list(value))
        if not value:
            continue
        rank, spelled = order.get(name.lower(), (len(order), name))
        ranked.append((rank, position, spelled, value))
    head = "".join(f"{name}: {value}\n" for _, _, name, value in sorted(ranked))
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    return head + "\n" + (body + "\n" if body else "")


def canonical_text(text):
    """``text`` (an article file) rewritten in the canonical form of :func:`format_article`."""
    items, body, _ = split_text(text)
    return format_article([(key, value) for key, value, _ in items], body)


def read_source(path):
    """Read a content file. Raises :class:`ContentError` for text that is not UTF-8."""
    path = Path(path)
    return parse_text(decode_utf8(path.read_bytes(), path), path)


def split_list(value):
    """``白莹, 马超`` / ``白莹，马超`` / ``白莹、马超`` -> ``['白莹', '马超']``."""
    if not value:
        return []
    return [part.strip() for part in re.split(r"[,，、;；]", value) if part.strip()]
