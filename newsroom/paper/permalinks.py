"""Permanent, absolute addresses of the site's pages (for citations, feeds, JSON-LD and
the catalogue), from the public base address the settings give (SITE_PERMALINK_BASE)."""


def permalink(base, url):
    """``("https://news.example.org/", "2024/01/02/x/")`` -> ``https://news.example.org/2024/01/02/x/``"""
    return f"{base.rstrip('/')}/{url}"


_BY_URL = []  # [(the articles list, its length, {url: article})]: one build's, made once


def articles_by_url(articles):
    """``{article.url: article}`` of the catalogue (the last of equal URLs), made once for
    all of a build's feeds and their handlers (the site's own, the photos' enclosures)
    rather than once per feed and handler (a district's, a topic's, ...: ~1 CPU-s of URL
    formatting at 20,000 articles). The feeds are written after the catalogue is
    complete; a list that is not the one seen (another object, another length) is read
    afresh."""
    if _BY_URL and _BY_URL[0][0] is articles and _BY_URL[0][1] == len(articles):
        return _BY_URL[0][2]
    by_url = {a.url: a for a in articles}
    _BY_URL[:] = [(articles, len(articles), by_url)]
    return by_url
