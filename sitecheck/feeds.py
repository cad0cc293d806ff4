"""Every Atom/RSS feed parses cleanly, and every entry links to a page that exists."""

import feedparser

from sitecheck import Failure
from sitecheck.pages import target_file


FEED_ROOTS = (b"<feed", b"<rss", b"<rdf:RDF")


def feed_files(output):
    """The XML files that are feeds (Atom, RSS): not the sitemap, nor other XML the site
    publishes (a page's ALTO text)."""
    found = []
    for path in sorted(output.rglob("*.xml")):
        if path.name == "sitemap.xml":
            continue
        with open(path, "rb") as handle:
            head = handle.read(2048)
        if any(root in head for root in FEED_ROOTS):
            found.append(path)
    return found


def check(output, permalink_base="https://news.example.org", **_):
    failures = []
    output = output.resolve()
    for path in feed_files(output):
        name = path.relative_to(output).as_posix()
        feed = feedparser.parse(path.read_bytes())
        if feed.bozo:
            failures.append(Failure(name, "feeds", f"does not parse: {feed.bozo_exception}"))
            continue
        if not feed.entries:
            failures.append(Failure(name, "feeds", "has no entries"))
        feed_id = feed.feed.get("id", "")
        if not feed_id.startswith(("http://", "https://", "tag:", "urn:")):
            failures.append(Failure(name, "feeds", f"feed id is not an absolute IRI: {feed_id!r}"))
        ids = [entry.get("id") for entry in feed.entries]
        if any(not i or "tag:None," in i for i in ids):
            failures.append(Failure(name, "feeds", "an entry id has no host (tag:None)"))
        if len(set(ids)) != len(ids):
            failures.append(Failure(name, "feeds", "has duplicate entry ids"))
        for entry in feed.entries:
            link = entry.get("link", "")
            if not link.startswith(permalink_base):
                failures.append(Failure(name, "feeds", f"entry link is not the article's permanent address: {link}"))
            else:
                local = link[len(permalink_base):] or "/"
                target = target_file(output, output / "index.html", local)
                if not target.exists():
                    failures.append(Failure(name, "feeds", f"entry links to a missing page: {link}"))
    return failures
