"""Permanent, absolute addresses of the site's pages (for citations, feeds, JSON-LD and
the catalogue), from the public base address the settings give (SITE_PERMALINK_BASE)."""


def permalink(base, url):
    """``("https://news.example.org/", "2024/01/02/x/")`` -> ``https://news.example.org/2024/01/02/x/``"""
    return f"{base.rstrip('/')}/{url}"
