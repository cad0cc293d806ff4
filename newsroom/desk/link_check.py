"""``check``'s view of Pelican's internal links in an article: ``{static}``, ``{attach}``
and ``{filename}`` (an editor used to Pelican writes them).

Pelican replaces such a link with the address of the file it names and copies a
``{static}``/``{attach}`` target into the site even outside ``STATIC_PATHS``. Here a link
is an error unless what it names exists and is published: a static target only from the
static folders (``content/images/``), of a published type (:mod:`newsroom.paper.content_tree`);
a ``{filename}`` target only an article or page (a Markdown file). Otherwise the reader
would get a dead ``{static}evil.html`` link, or a file the rules would not publish.
Photos (``<img>``) are the photo checks' (:mod:`newsroom.desk.photo_checks`).
"""

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from newsroom.paper import content_tree, markup
from newsroom.paper.content import MARKDOWN_SUFFIXES

PREFIXES = ("{static}", "{attach}", "{filename}", "|static|", "|attach|", "|filename|")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith(PREFIXES):
                self.found.append(href)


def internal_links(text):
    """The ``{static}``/``{attach}``/``{filename}`` link targets of an article's text, in order."""
    html, _meta = markup.render(text)
    parser = _Links()
    parser.feed(html or "")
    return list(dict.fromkeys(parser.found))


def problems(text, article_path, content_root):
    """``[(link, message id, params)]`` for each internal link that names nothing published."""
    found = []
    root = Path(content_root).resolve()
    for link in internal_links(text):
        prefix = next(p for p in PREFIXES if link.startswith(p))
        target = unquote(urlsplit(link[len(prefix):]).path)
        params = {"link": link, "target": target}
        if target.startswith("/"):
            relative = posixpath.normpath(target.lstrip("/"))
        else:
            folder = Path(article_path).resolve().parent.relative_to(root).as_posix() \
                if root in Path(article_path).resolve().parents else ""
            relative = posixpath.normpath(posixpath.join(folder, target))
        path = root / relative
        if relative.startswith("..") or not target or not path.is_file():
            found.append((link, "check.link_missing", params))
        elif "filename" in prefix:
            if path.suffix.lower() not in MARKDOWN_SUFFIXES:
                found.append((link, "check.link_not_article", params))
        elif not content_tree.is_static(relative):
            found.append((link, "check.link_not_static", {**params, "folders": content_tree.static_folders_text()}))
        elif problem := content_tree.static_problem(path):
            message_id, more = problem
            found.append((link, message_id, {**params, **more}))
    return found
