"""Where an article's photos are: the images of its HTML, where each sits in its source
file, and which one is the lead photo.

An editor writes a photo as a Markdown image beside the article file::

    ![替代文字](文件名.jpg "图注。本报记者 白莹 摄")

which Markdown (and the sanitizer after it) turns into ``<img alt src title>``.
:func:`find_images` reads the HTML with a real parser (``html.parser``), never with a
pattern, and says for each image where it starts and ends and whether it stands alone
in its paragraph (then the site shows it as a figure with its caption, replacing the
whole ``<p>``) or inside a line of text (a picture without a caption).
:func:`markdown_images` does the same for a Markdown source, as ``check`` needs it, by
rendering the body the way the site does.

The **lead photo** is the first photo, unless the ``Photo:`` field names another file
(one of the body's photos, or a file beside the article used only for lists and shares)
or says ``none``/``无`` (no lead photo: no thumbnail, no share image).
"""

import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Pelican's link syntaxes: an editor used to Pelican may write {static}photo.jpg. The
# photo is still the file beside the article, and never a static file Pelican copies.
PELICAN_PREFIXES = ("{static}", "{attach}", "{filename}")
NO_LEAD = frozenset({"none", "无", "no", "false"})


@dataclass(frozen=True)
class ImageRef:
    """One ``<img>`` of an article's HTML."""

    src: str
    alt: str | None  # None: no alt attribute at all
    title: str
    start: int  # what a figure replaces: the <p>…</p> when alone, else the <img> tag
    end: int
    alone: bool  # alone in its paragraph


class _Images(HTMLParser):
    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.text = text
        self.line_starts = [0]
        for index, char in enumerate(text):
            if char == "\n":
                self.line_starts.append(index + 1)
        self.found = []
        self.paragraph = None  # [start offset, images, other content]

    def _at(self):
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        start = self._at()
        raw = self.get_starttag_text() or ""
        if tag == "p":
            self.paragraph = [start, [], False]
            return
        if tag != "img":
            if self.paragraph is not None:
                self.paragraph[2] = True
            return
        values = dict(attrs)
        image = {"src": values.get("src") or "", "alt": values.get("alt"), "title": values.get("title") or "",
                 "start": start, "end": start + len(raw)}
        self.found.append(image)
        if self.paragraph is not None:
            self.paragraph[1].append(image)

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "p" and self.paragraph is not None:
            start, images, other = self.paragraph
            end = self.text.find(">", self._at()) + 1
            if len(images) == 1 and not other:
                images[0].update(start=start, end=end, alone=True)
            self.paragraph = None
        elif self.paragraph is not None and tag != "img":
            self.paragraph[2] = True

    def handle_data(self, data):
        if self.paragraph is not None and data.strip():
            self.paragraph[2] = True


def find_images(html):
    """Every ``<img>`` of ``html``, in order, as :class:`ImageRef`."""
    parser = _Images(html)
    parser.feed(html)
    parser.close()
    return [ImageRef(i["src"], i["alt"], i["title"], i["start"], i["end"], i.get("alone", False))
            for i in parser.found]


def replace_images(html, refs, markups):
    """``html`` with each of ``refs`` replaced by the markup at the same index (None keeps it)."""
    pieces, position = [], 0
    for ref, markup in sorted(zip(refs, markups), key=lambda pair: pair[0].start):
        if markup is None:
            continue
        pieces.append(html[position:ref.start])
        pieces.append(markup)
        position = ref.end
    pieces.append(html[position:])
    return "".join(pieces)


def local_name(src):
    """The relative file name a photo ``src`` names (``{static}``, ``./`` and %-escapes
    undone), or None for an address that is no file beside the article: a scheme
    (``https:``, ``data:``), a host, or a path from the site's root (``/images/x.jpg``)."""
    src = (src or "").strip()
    for prefix in PELICAN_PREFIXES:
        if src.startswith(prefix):
            src = src[len(prefix):]
            break
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    return unquote(parts.path)


def is_remote(src):
    """True for an address with a scheme or a host (``https://…``, ``//host/…``, ``data:…``)."""
    parts = urlsplit((src or "").strip())
    return bool(parts.scheme or parts.netloc)


def resolve(name, article_path, content_root):
    """The photo file ``name`` (from :func:`local_name`) of the article at
    ``article_path``, or None when it would leave the content folder."""
    folder = Path(article_path).parent
    target = Path(posixpath.normpath((folder / name).as_posix()))
    try:
        target.resolve().relative_to(Path(content_root).resolve())
    except ValueError:
        return None
    return target


def lead_choice(field_value):
    """What ``Photo:`` says: ``None`` (not given: the first photo), ``False`` (none), or a
    file name."""
    if field_value is None or not str(field_value).strip():
        return None
    value = str(field_value).strip()
    if value.lower() in NO_LEAD:
        return False
    return local_name(value) or value


def source_lines(lines, body_line, src):
    """The line numbers (1-based) of the body lines that write the image ``src``, in order."""
    needles = {src, src.replace(" ", "%20")}
    found = []
    for number in range(body_line, len(lines) + 1):
        text = lines[number - 1]
        if "](" in text and any(needle and needle in text for needle in needles):
            found.append(number)
    return found


def markdown_html(body):
    """The body rendered as the site renders it (Python-Markdown with ``extra``)."""
    import markdown

    return markdown.markdown(body, extensions=["markdown.extensions.extra"], output_format="html5")
