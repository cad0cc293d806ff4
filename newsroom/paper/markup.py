"""How an article's Markdown becomes HTML: the one Markdown configuration.

``pelicanconf.py`` hands :func:`pelican_settings` to Pelican (its ``MARKDOWN`` setting)
and ``newsroom check`` renders with :func:`render`, so that the check judges exactly
the HTML the build makes: both go through Python-Markdown with the same extensions,
and both then through :mod:`newsroom.paper.sanitize`.

This module is also a Python-Markdown extension (:func:`makeExtension`, named in the
settings by its dotted path): a table column's alignment (``|:---:|``) becomes a class
(``align-center``) instead of Markdown's ``style="text-align: center;"``, which the
site's Content-Security-Policy (``style-src 'self'``) would block and the sanitizer
removes (no ``style`` reaches a reader).
"""

import copy
import re

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

# Pelican adds markdown.extensions.meta itself (its MarkdownReader), and reads the
# metadata with it; render() does the same.
SETTINGS = {
    "extension_configs": {
        "markdown.extensions.extra": {
            # The footnote's way back to the text, read aloud by screen readers.
            "footnotes": {"BACKLINK_TITLE": "回到正文第 %d 处注释"},
        },
        "markdown.extensions.meta": {},
        "newsroom.paper.markup": {},
    },
    "output_format": "html5",
}
TEXT_ALIGN = re.compile(r"^\s*text-align:\s*(left|center|right)\s*;?\s*$")


def pelican_settings():
    """A fresh copy of :data:`SETTINGS` for ``pelicanconf.MARKDOWN`` (Pelican changes it)."""
    return copy.deepcopy(SETTINGS)


def _markdown(meta):
    settings = pelican_settings()
    settings["extensions"] = list(settings["extension_configs"])
    md = Markdown(**settings)
    if not meta:  # as Pelican renders a formatted field: no metadata read from it
        md.preprocessors.deregister("meta")
    return md


_instances = {}


def _instance(meta):
    md = _instances.get(meta)
    if md is None:
        md = _instances[meta] = _markdown(meta)
    md.reset()
    return md


def render(text):
    """``(html, metadata)`` of a whole article file's text, as Pelican's Markdown reader
    renders it (the metadata block read and left out by the meta extension)."""
    md = _instance(meta=True)
    html = md.convert(text)
    return html, getattr(md, "Meta", {})


def render_fragment(text):
    """The HTML of a formatted metadata value (``Summary:``), as Pelican renders it: the
    same Markdown, without reading metadata from it."""
    return _instance(meta=False).convert(text)


class AlignmentClasses(Treeprocessor):
    """``<td style="text-align: center;">`` (Markdown's tables) → ``<td class="align-center">``."""

    def run(self, root):
        for element in (e for e in root.iter() if e.tag in ("th", "td")):
            match = TEXT_ALIGN.match(element.get("style", ""))
            if match:
                del element.attrib["style"]
                element.set("class", f"align-{match.group(1)}")


class NewsroomMarkup(Extension):
    def extendMarkdown(self, md):
        # After the tables are made (the block parser), before the HTML is serialized.
        md.treeprocessors.register(AlignmentClasses(md), "newsroom_alignment", 5)


def makeExtension(**kwargs):  # noqa: N802 — Python-Markdown's name
    return NewsroomMarkup(**kwargs)
