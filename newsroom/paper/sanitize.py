"""The article HTML a reader may receive: an allowlist sanitizer (nh3, the binding of
Rust's ammonia) over the Markdown rendering, and what it removed.

Every piece of an article's HTML that reaches a reader (its page, the lists' summaries,
the feeds, the JSON-LD, the search index, the catalogue) comes from :func:`clean`,
applied in one place: the ``newsroom_reader`` plugin, where Pelican reads the article.
The allowlist is data (``newsroom/data/allowed_html.toml``): what a news article needs
(paragraphs, emphasis, lists, tables, quotations, headings below the headline, links,
images on this site) and nothing that can act in a browser (no script, event handler,
``style``, frame, form, meta, base, object, embed or inline SVG; links only to
http/https/mailto or relative addresses; images only from this site).

``newsroom check`` runs the same renderer and :func:`removals`, so the editor learns what
a paste from Word, WeChat or a web page would lose, with the line it is on
(:func:`locate`), and ``make publish`` refuses it. Nothing is matched by pattern in the
source: what counts is what the sanitizer does to the HTML the build makes.
"""

import html
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

import nh3

from newsroom import DATA_DIR

ALLOWLIST = DATA_DIR / "allowed_html.toml"
# Attributes whose value is an address (ammonia checks their scheme).
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "action", "formaction", "data", "poster", "background",
                            "longdesc", "usemap", "xlink:href", "srcset", "ping", "manifest", "codebase"})
SAME_SITE = "same-site"
WEB_ADDRESS = "web-address"
WEB_URL = re.compile(r"https?://[^/\\\s]", re.IGNORECASE)
# A tag's name as it may be written (over-collected: a name too many costs nothing).
TAG_NAME = re.compile(r"<\s*/?\s*([A-Za-z][^\s/>]*)")
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


@dataclass(frozen=True)
class Removal:
    """One thing the sanitizer takes out of an article's HTML.

    ``kind`` is ``element`` (``tag`` goes, its text stays), ``element_with_content``,
    ``handler`` (an ``on…`` attribute), ``style``, ``attribute``, ``url`` (an address
    with a scheme or host not allowed) or ``value`` (an allowed attribute with a value
    that is not)."""

    kind: str
    tag: str
    attribute: str = ""
    value: str = ""

    def describe(self):
        """Short English text for logs and tests (the check's messages are in the table)."""
        if self.kind.startswith("element"):
            return f"<{self.tag}>"
        return f'{self.attribute}="{self.value}" on <{self.tag}>'


@lru_cache(maxsize=1)
def allowlist():
    with ALLOWLIST.open("rb") as handle:
        data = tomllib.load(handle)
    values = {}
    for key, rule in data.get("values", {}).items():
        tag, _, attribute = key.partition(".")
        values[(tag, attribute)] = rule if rule in (SAME_SITE, WEB_ADDRESS) else re.compile(rf"(?:{rule})\Z")
    return {
        "tags": frozenset(data["tags"]),
        "remove_with_content": frozenset(data["remove_with_content"]),
        "url_schemes": frozenset(data["url_schemes"]),
        "attributes": {tag: frozenset(names) for tag, names in data["attributes"].items()},
        "values": values,
    }


def is_same_site(url):
    """True for a relative address on this site (``images/x.jpg``, ``/2024/…``,
    ``{static}/images/x.jpg``): no scheme, no host (``//other.host``), no backslash
    (browsers read ``/\\other.host`` as ``//other.host``)."""
    # Browsers drop tabs and line breaks inside an address and trim control characters
    # and spaces around it; judge what they would load.
    url = re.sub(r"[\t\n\r]", "", url).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12"
                                               "\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
    if not url or "\\" in url or url.startswith("//"):
        return False
    head = re.split(r"[/?#]", url, maxsplit=1)[0]
    return ":" not in head


def _keep_value(tag, attribute, value):
    """nh3's attribute filter: the value kept (a class list may lose some names), or None."""
    rule = allowlist()["values"].get((tag, attribute))
    if rule is None:
        return value
    if rule == SAME_SITE:
        return value if is_same_site(value) else None
    if rule == WEB_ADDRESS:
        return value if is_same_site(value) or WEB_URL.match(value) else None
    if attribute == "class":
        kept = [name for name in value.split() if rule.match(name)]
        return " ".join(kept) or None
    return value if rule.match(value.strip()) else None


@lru_cache(maxsize=1)
def _cleaner():
    rules = allowlist()
    return nh3.Cleaner(
        tags=set(rules["tags"]),
        clean_content_tags=set(rules["remove_with_content"]),
        attributes={tag: set(names) for tag, names in rules["attributes"].items()},
        attribute_filter=_keep_value,
        url_schemes=set(rules["url_schemes"]),
        strip_comments=True,  # editors' notes (<!-- -->) never reach readers
        # No rel is added: no target= is allowed, so a linked page never gets a handle on
        # this one, and browsers send another site only our origin as the referrer.
        link_rel=None,
    )


def clean(fragment):
    """``fragment`` (HTML) with everything outside the allowlist removed."""
    if not fragment:
        return fragment
    return _cleaner().clean(fragment)


def text_blocks(fragment):
    """The text readers see in ``fragment`` (sanitized HTML), one string per top-level
    block (paragraph, heading, list…), blank ones left out: what a summary is cut from."""
    if not fragment or not fragment.strip():
        return []
    import lxml.html  # here: only the reader needs it

    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    blocks = [root.text or ""] + [child.text_content() + (child.tail or "") for child in root]
    return [block.strip() for block in blocks if block.strip()]


def _normalized(fragment):
    """``fragment`` as nh3 parses and writes it, with nothing removed but comments: what
    :func:`clean` output is compared with. Every tag name and every URL scheme written
    in the fragment is allowed here (collected generously: one too many is harmless)."""
    tags = {name.lower() for name in TAG_NAME.findall(fragment)} - {"html", "body"}
    decoded = re.sub(r"[\t\n\r]", "", html.unescape(fragment))
    schemes = {scheme.lower() for scheme in SCHEME.findall(decoded)} | set(allowlist()["url_schemes"])
    return nh3.clean(fragment, tags=tags, clean_content_tags=set(), attributes={},
                     generic_attribute_prefixes={""}, url_schemes=schemes, strip_comments=True, link_rel=None)


class _Events(HTMLParser):
    """Start and end tags, in order, of HTML that nh3 wrote (well-formed, quoted)."""

    # html5ever writes the inside of these raw (not escaped): it is text, not tags.
    CDATA_CONTENT_ELEMENTS = ("script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.events = []

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.events.append(("start", tag, dict(attrs)))

    def handle_endtag(self, tag):
        self.events.append(("end", tag, None))


def _events(fragment):
    parser = _Events()
    parser.feed(fragment)
    parser.close()
    return parser.events


def removals(fragment):
    """``[Removal]``: what :func:`clean` takes out of ``fragment``, in document order
    (an element removed with its content is one removal, whatever it held)."""
    if not fragment or not fragment.strip():
        return []
    kept, whole = clean(fragment), _normalized(fragment)
    if kept == whole:  # the usual case: nothing to explain
        return []
    kept, whole = _events(kept), _events(whole)
    rules = allowlist()
    found = []
    j = 0
    skip_depth, skip_tag = 0, None
    for kind, tag, attributes in whole:
        if skip_tag is not None:  # inside an element removed with its content
            if tag == skip_tag:
                skip_depth += 1 if kind == "start" else -1
                if skip_depth == 0:
                    skip_tag = None
            continue
        if j < len(kept) and kept[j][:2] == (kind, tag):
            if kind == "start":
                found.extend(_attribute_removals(tag, attributes, kept[j][2], rules))
            j += 1
            continue
        if kind != "start":
            continue  # the end of an element already counted
        if tag in rules["remove_with_content"]:
            found.append(Removal("element_with_content", tag))
            skip_tag, skip_depth = tag, 1
        else:
            found.append(Removal("element", tag))  # its attributes go with it
    return found


def _attribute_removals(tag, before, after, rules):
    """The attributes of one kept element that :func:`clean` dropped or changed."""
    found = []
    for name, value in before.items():
        value = value or ""
        if after.get(name) == value:
            continue
        if name.startswith("on"):
            found.append(Removal("handler", tag, name, value))
        elif name == "style":
            found.append(Removal("style", tag, name, value))
        elif name in rules["attributes"].get(tag, ()):
            found.append(Removal("url" if name in URL_ATTRIBUTES else "value", tag, name, value))
        else:
            found.append(Removal("attribute", tag, name, value))
    return found


def locate(text, body_start, found, render):
    """The line of ``text`` (a whole article file) on which each removal of ``found``
    (:func:`removals` of its rendering) comes from: ``[line, …]`` in the same order.

    The line is found by rendering growing beginnings of the file: the *n*-th removal of
    one kind (same element, attribute and value) is on the first line whose beginning,
    rendered and sanitized, already shows *n* of them (a binary search). So a tag split
    over lines is found on the line that completes it, an entity-encoded ``javascript:``
    where it is written, a script after an unclosed code fence on its own line, a
    reference link's address on the line that defines it. ``render(text) -> html`` is
    the build's renderer; this costs a few renderings per removal, and only for a file
    with something to report.
    """
    lines = text.split("\n")
    memo = {}

    def removed_up_to(count):
        if count not in memo:
            memo[count] = removals(render("\n".join(lines[:count])))
        return memo[count]

    located = []
    seen = {}
    for removal in found:
        nth = seen[removal] = seen.get(removal, 0) + 1
        low, high = body_start, len(lines)
        while low < high:
            middle = (low + high) // 2
            if removed_up_to(middle).count(removal) >= nth:
                high = middle
            else:
                low = middle + 1
        located.append(max(min(high, len(lines)), 1))
    return located
