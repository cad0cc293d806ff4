"""Every internal link and asset resolves to a file; no page reaches another host.

Links inside an article's own text (``.story-body``) may point anywhere: that is the
content speaking. The canonical address (``<link rel=canonical>``, ``og:url``) names
the site's public host and is not fetched.
"""

from urllib.parse import urlparse

from sitecheck import Failure
from sitecheck.pages import parsed_pages, target_file

ATTRIBUTES = ("href", "src", "action", "poster", "data")


def urls_of(tag):
    for attribute in ATTRIBUTES:
        value = tag.get(attribute)
        if value:
            yield attribute, value.strip()
    srcset = tag.get("srcset")
    if srcset:
        for url in srcset_urls(srcset):
            yield "srcset", url


def srcset_urls(srcset):
    """The URLs of a ``srcset``, parsed as the HTML standard does: a URL may hold commas
    (IIIF sizes: ``…/full/620,877/0/default.jpg 620w``); a comma ends a candidate only
    after the URL's descriptors or right at the URL's end."""
    urls, position, length = [], 0, len(srcset)
    while position < length:
        while position < length and (srcset[position].isspace() or srcset[position] == ","):
            position += 1
        start = position
        while position < length and not srcset[position].isspace():
            position += 1
        url = srcset[start:position]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            while position < length and srcset[position] != ",":  # descriptors (w, x)
                position += 1
        if url:
            urls.append(url)
    return urls


def check(output, **_):
    output = output.resolve()
    return [failure for name, soup in parsed_pages(output) for failure in check_page(output, name, soup)]


def check_page(output, name, soup):
    """The failures of one parsed page (``name`` relative to the resolved ``output``)."""
    failures = []
    page = output / name
    content_links = {id(t) for body in soup.select(".story-body") for t in body.find_all(True)}
    for tag in soup.find_all(True):
        if tag.name == "link" and "canonical" in (tag.get("rel") or []):
            continue
        if tag.name == "meta":
            continue
        for attribute, url in urls_of(tag):
            parsed = urlparse(url)
            if parsed.scheme in ("mailto", "tel", "data"):
                continue
            if parsed.netloc or parsed.scheme:
                if id(tag) not in content_links:
                    failures.append(Failure(name, "links", f"<{tag.name} {attribute}> points at another host: {url}"))
                continue
            target = target_file(output, page, url)
            if target is not None and not target.exists():
                failures.append(Failure(name, "links", f"<{tag.name} {attribute}={url}> is a dead link"))
    return failures
