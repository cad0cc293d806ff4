"""Hostile articles, built into a real site and opened in Chromium: nothing acts.

The articles of tests/fixtures/hostile/ are built as ``make html`` builds them (the
check reports them, the build goes on: what an editor previews), then every page, the
feed and the search results are read: no script, event handler, ``javascript:`` address,
frame, form, meta refresh or address of another host that came from the content. In
Chromium each article's page, a feed reader's view of the Atom feed (feed readers show
entries as HTML with no Content-Security-Policy) and the search page must open no
dialog, stay where they are and ask no other host for anything.
"""

import html
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import pytest

from sitebuild import ROOT, build_site
from search_support import WAIT_MS, serve, wait_until_searched
from test_sanitize import assert_only_allowed

HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
ATOM = "{http://www.w3.org/2005/Atom}"
# The site's own scripts: the theme's, and the search bundle's.
OWN_SCRIPT = re.compile(r"^/(theme|pagefind)/")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    content = folder / "content"
    shutil.copytree(HOSTILE, content)
    output, _log = build_site(folder, content)
    articles = sorted(output.glob("2024/05/14/*/index.html"))
    assert len(articles) == len(list(HOSTILE.rglob("*.md")))
    return output, articles


def pages_of(output):
    return [p for p in output.rglob("*.html")]


def test_no_page_carries_anything_that_acts_or_loads_from_another_host(site):
    output, articles = site
    for path in pages_of(output):
        page = lxml.html.fromstring(path.read_bytes())
        where = path.relative_to(output)
        for script in page.iter("script"):
            assert script.get("type") == "application/ld+json" or OWN_SCRIPT.match(script.get("src", "")), where
        for element in page.iter():
            if not isinstance(element.tag, str):
                continue
            assert not [name for name in element.attrib if name.lower().startswith("on")], (where, element.tag)
            assert element.tag not in ("iframe", "frame", "object", "embed", "base"), where  # charts are svg
            if element.tag == "meta":
                assert (element.get("http-equiv") or "").lower() != "refresh", where
            if element.tag == "form":
                assert urlsplit(element.get("action", "")).netloc == "", where  # the site's own search form
            for name in ("src", "srcset", "poster", "data", "action", "formaction", "background"):
                value = element.get(name)
                if value is not None:
                    assert not urlsplit(value.strip()).netloc and "\\" not in value, (where, element.tag, value)
            href = (element.get("href") or "").strip().lower()
            assert not href.startswith(("javascript:", "data:", "vbscript:")), (where, href)
            if element.tag == "link":
                assert not urlsplit(href).netloc or element.get("rel") in ("canonical", "alternate"), (where, href)
    for path in articles:
        body = lxml.html.fromstring(path.read_bytes()).find_class("story-body")[0]
        inner = "".join(lxml.html.tostring(child, encoding="unicode") for child in body)
        assert_only_allowed((body.text or "") + inner)


def test_the_feed_entries_and_the_json_ld_are_sanitized_too(site):
    output, articles = site
    feed = lxml.etree.parse(str(output / "feeds" / "all.atom.xml"))
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(articles)
    for entry in entries:
        for part in (f"{ATOM}content", f"{ATOM}summary"):
            element = entry.find(part)
            if element is not None and element.text:
                assert_only_allowed(element.text)  # the XML text is the entry's HTML
                assert "evil.example" not in element.text and "javascript:" not in element.text.lower()
    for path in articles:
        page = lxml.html.fromstring(path.read_bytes())
        for block in page.xpath("//script[@type='application/ld+json']"):
            assert "</script" not in block.text.lower() and "<" not in block.text  # tojson escapes <
            json.loads(block.text)


@pytest.fixture(scope="module")
def served(site, tmp_path_factory):
    output, articles = site
    # What a feed reader shows: every entry's HTML (summary and content) as it is, in a
    # page with no Content-Security-Policy.
    reader = output / "feed-reader"
    reader.mkdir()
    feed = lxml.etree.parse(str(output / "feeds" / "all.atom.xml"))
    entries = []
    for entry in feed.findall(f"{ATOM}entry"):
        parts = [entry.findtext(f"{ATOM}summary") or "", entry.findtext(f"{ATOM}content") or ""]
        entries.append(f"<article><h1>{html.escape(entry.findtext(f'{ATOM}title') or '')}</h1>"
                       + "<hr>".join(parts) + "</article>")
    (reader / "index.html").write_text("<!doctype html><meta charset=utf-8><title>feed</title>" + "".join(entries),
                                       encoding="utf-8")
    with serve(output) as base:
        yield base, [p.relative_to(output).parent.as_posix() + "/" for p in articles], reader


@pytest.fixture(scope="module")
def watched(browser, served):
    """A browser context that answers only the local site (every other address is
    recorded and refused) and records every dialog; yields ``open(paths, then) ->
    {path: (dialogs, foreign requests, final URL)}``. The pages are opened one after
    the other and kept open, then each is given time to act (no request for half a
    second: a refresh, an image's onerror, a focus handler would have happened)."""
    base = served[0]
    context = browser.new_context()
    foreign = {}

    def route(request_route):
        request = request_route.request
        url = request.url
        if url.startswith(base) or url.startswith(("data:", "about:", "blob:")):
            request_route.continue_()
        else:
            frame = request.frame
            foreign.setdefault(frame.page if frame else None, []).append(url)
            request_route.abort()

    context.route("**/*", route)

    def open_pages(paths, then=None):
        opened = []
        try:
            for path in paths:
                page = context.new_page()
                page.set_default_timeout(WAIT_MS)
                dialogs = []
                page.on("dialog", lambda dialog, seen=dialogs: (seen.append(dialog.message), dialog.dismiss()))
                opened.append((path, page, dialogs))
                page.goto(base + path, wait_until="load")
                if then:
                    then(page)
            results = {}
            for path, page, dialogs in opened:
                page.wait_for_load_state("networkidle")
                results[path] = (dialogs, foreign.pop(page, []), page.url)
            return results
        finally:
            for _, page, _ in opened:
                page.close()

    yield open_pages
    context.close()


def test_each_hostile_page_opens_no_dialog_stays_and_asks_no_other_host(watched, served):
    base, addresses, _ = served

    def nothing_from_content_in_the_dom(page):
        assert page.eval_on_selector_all(".story-body :is(script, iframe, object, embed, form, svg, style), "
                                         ".story-body [style]", "nodes => nodes.length") == 0, page.url

    results = watched(["/" + address for address in addresses], then=nothing_from_content_in_the_dom)
    assert len(results) == len(addresses) >= 20
    for path, (dialogs, foreign, final) in results.items():
        assert (dialogs, foreign, final) == ([], [], base + path)


def test_a_feed_reader_showing_the_entries_without_a_csp_runs_nothing(watched, served):
    _, _, reader = served
    (dialogs, foreign, final), = watched(["/feed-reader/"]).values()
    assert (dialogs, foreign) == ([], [])
    assert final.endswith("/feed-reader/")


def test_search_results_for_the_hostile_articles_run_nothing(watched):
    def results(page):
        wait_until_searched(page)
        assert page.locator(".search-result").count() >= 10

    (dialogs, foreign, final), = watched(["/search/?q=%E8%AF%BB%E4%B9%A6"], then=results).values()
    assert (dialogs, foreign) == ([], [])
    assert "/search/" in final
