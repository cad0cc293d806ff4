"""The foundation: the sample site builds, every article has its page, nothing leaks."""

import json
import logging
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from jinja2 import pass_context

from newsroom.paper.content import read_source
from newsroom.text.slugs import slugify_headline
from sitebuild import ROOT, build_site, soup, write_article


def content_sources():
    return [read_source(p) for p in sorted((ROOT / "content").rglob("*.md")) if "pages" not in p.parts]


def expected_path(source):
    date = source.get("date")[:10]
    year, month, day = date.split("-")
    slug = source.get("slug") or slugify_headline(source.title)
    return Path(year, month, day, slug, "index.html")


def test_sample_content_is_big_enough():
    sources = content_sources()
    assert len(sources) >= 46
    assert len({s.get("date")[:10] for s in sources}) >= 6


def test_every_published_article_has_exactly_one_page(sample_site):
    output, log = sample_site
    sources = [s for s in content_sources() if s.get("status") != "draft"]
    pages = [p for p in output.rglob("index.html") if soup(p).select_one("article.story h1.headline")]
    assert len(pages) == len(sources)
    for source in sources:
        page = output / expected_path(source)
        assert page.exists(), f"{source.path}: no page at {page}"
        assert soup(page).select_one("h1.headline").get_text() == source.title


def test_drafts_appear_nowhere(sample_site):
    output, _ = sample_site
    drafts = [s for s in content_sources() if s.get("status") == "draft"]
    assert drafts, "the sample content keeps one draft to prove this"
    for draft in drafts:
        assert not (output / expected_path(draft)).exists()
        for path in output.rglob("*"):
            if path.is_file() and path.suffix in {".html", ".xml", ".json"}:
                assert draft.title not in path.read_text(encoding="utf-8"), f"draft leaked into {path}"


def test_build_logs_no_errors(sample_site):
    _, log = sample_site
    import logging

    assert log.messages(logging.ERROR) == []


def test_kicker_subtitle_and_byline_render(sample_site):
    output, _ = sample_site
    with_kicker = [s for s in content_sources() if s.get("kicker") and s.get("status") != "draft"]
    with_subtitle = [s for s in content_sources() if s.get("subtitle") and s.get("status") != "draft"]
    assert with_kicker and with_subtitle
    for source in with_kicker:
        page = soup(output / expected_path(source))
        assert page.select_one(".story-header .kicker").get_text() == source.get("kicker")
    for source in with_subtitle:
        page = soup(output / expected_path(source))
        assert page.select_one(".story-header .subtitle").get_text() == source.get("subtitle")
    reporters = 0
    for source in content_sources():
        if source.get("status") == "draft":
            continue
        page = soup(output / expected_path(source))
        byline = page.select_one(".story-byline")
        if byline:
            reporters += 1
            assert byline.find("a")["href"].startswith("/reporters/")
    assert reporters >= len(content_sources()) // 2


def test_article_page_has_metadata_for_sharing_and_search_engines(sample_site):
    import json

    output, _ = sample_site
    source = next(s for s in content_sources() if s.get("kicker") and s.get("status") != "draft")
    page = soup(output / expected_path(source))
    assert page.html["lang"] == "zh-CN"
    assert source.title in page.title.get_text()
    assert page.find("meta", attrs={"name": "description"})["content"]
    assert page.find("meta", property="og:title")["content"] == source.title
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == source.title
    assert source.get("kicker") in data["alternativeHeadline"]
    assert data["datePublished"].startswith(source.get("date")[:10])
    assert page.find("time")["datetime"].startswith(source.get("date")[:10])


def test_sitemap_and_feed_exist(sample_site):
    output, _ = sample_site
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<url>") > 46
    assert (output / "feeds" / "all.atom.xml").exists()
    # Addresses are percent-encoded (tag pages have Chinese names), and a corrected article
    # was last changed on its correction's day.
    locs = dict(re.findall(r"<loc>([^<]*)</loc>(?:<lastmod>([^<]*)</lastmod>)?", sitemap))
    assert all(loc.isascii() for loc in locs) and any("/tags/%E" in loc for loc in locs)
    corrected = read_source(ROOT / "content" / "2024" / "01" / "huairou-gonghui-tiaojie-qianxin-jiufen.md")
    address = [loc for loc in locs if loc.endswith(f"/{corrected.get('slug')}/")]
    assert [locs[loc] for loc in address] == ["2024-01-10"]
    assert corrected.get("date")[:10] == "2024-01-09"
    # Search engines find the sitemap through robots.txt (no reader is sent to the XML).
    robots = (output / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://news.example.org/sitemap.xml" in robots.splitlines()
    assert "sitemap.xml" not in (output / "index.html").read_text(encoding="utf-8")


def test_no_links_to_outside_hosts(sample_site):
    """No request leaves the site: every absolute address in a page or stylesheet is the
    site's own (canonical, og:url, feed ids); an article's own text may link out."""
    import re

    output, _ = sample_site
    own = "https://news.example.org/"
    for path in output.rglob("*.html"):
        page = soup(path)
        for body in page.select(".story-body"):
            body.decompose()
        for tag in page.find_all(True):
            values = [tag.get(a) for a in ("href", "src", "action", "poster", "data", "formaction")]
            values += (tag.get("srcset") or "").split()
            if tag.name == "meta":
                values.append(tag.get("content"))
            for value in filter(None, values):
                if urlparse(value).netloc or value.startswith("//"):
                    assert value.startswith(own), f"{path}: {tag.name} → {value}"
        for style in page.find_all("style"):
            assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", style.get_text()), path
    for css in output.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"@import\s+(url\()?['\"]?(https?:)?//|url\(\s*['\"]?(https?:)?//", text), css


INJECTION = """Title: 职工之家揭牌<script>alert("t")</script>
Kicker: 引题<script>alert("k")</script>
Subtitle: 副题<img src=x onerror=alert(1)>
Date: 2024-01-02
Tags: <script>alert("tag")</script>
Summary: 摘要<script>alert("s")</script>

本报讯（记者 白莹）职工之家正式揭牌。
"""


def test_metadata_is_escaped_everywhere(tmp_path):
    import json

    content = tmp_path / "content"
    write_article(content / "2024" / "01", "inject.md", INJECTION)
    output, _ = build_site(tmp_path, content)
    for path in output.rglob("*.html"):
        page = soup(path)
        for script in page.find_all("script"):
            assert "alert" not in (script.get("src") or "")
            if script.get("type") != "application/ld+json":
                assert "alert" not in (script.string or ""), f"{path}: metadata became a script"
        assert not page.find("img", onerror=True), f"{path}: metadata became an element"
    feed = (output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert "<script" not in feed and "&lt;script&gt;alert" in feed
    assert '<title>职工之家揭牌&lt;script&gt;alert("t")&lt;/script&gt;</title>' in feed
    article = next(output.glob("2024/01/02/*/index.html"))  # the article, not the day index
    page = soup(article)
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["headline"] == '职工之家揭牌<script>alert("t")</script>'
    assert "</script>" not in page.find("script", type="application/ld+json").string
    assert page.select_one("h1.headline").get_text() == '职工之家揭牌<script>alert("t")</script>'
    assert page.select_one(".kicker").get_text() == '引题<script>alert("k")</script>'
    # An editor's Summary is plain text in lists: no markup of its own, no <p> inside <p>;
    # the sanitizer removed its script with what was inside (and check reports it).
    listed = soup(output / "archives" / "index.html").select_one(".item .summary")
    assert listed.get_text() == "摘要" and not listed.find(True)


def test_every_page_has_its_own_title(sample_site):
    """Paginated lists say which page they are, so no two pages share a <title>."""
    output, _ = sample_site
    seen = {}
    for path in sorted(output.rglob("index.html")):
        title = soup(path).title.get_text()
        assert title not in seen, f"{path} and {seen.get(title)} are both titled {title!r}"
        seen[title] = path
    assert "第2页" in soup(output / "page" / "2" / "index.html").title.get_text()


def test_every_page_has_open_graph_tags_and_its_own_address(sample_site):
    output, _ = sample_site
    for path in sorted(output.rglob("index.html")):
        page = soup(path)
        folder = path.parent.relative_to(output).as_posix()
        address = "https://news.example.org/" + ("" if folder == "." else folder + "/")
        for name in ("og:title", "og:description", "og:type"):
            assert page.find_all("meta", property=name)[0]["content"], f"{path}: {name}"
        urls = page.find_all("meta", property="og:url")
        assert [u["content"] for u in urls] == [address], path


def test_reporters_and_tags_split_on_chinese_separators(tmp_path):
    content = tmp_path / "content"
    write_article(content / "2024" / "01", "two.md", "Title: 两位记者的报道\nDate: 2024-01-02\n"
                  "Authors: 白莹、马超\nTags: 灾后重建，慰问金\n\n职工之家正式揭牌。\n")
    output, _ = build_site(tmp_path, content)
    page = soup(next(output.glob("2024/01/02/*/index.html")))
    assert [a.get_text() for a in page.select(".story-byline a")] == ["白莹", "马超"]
    tags = [a.get_text() for a in page.select(".story-tags a")]
    assert tags[:2] == ["灾后重建", "慰问金"]
    assert (output / "reporters" / "baiying" / "index.html").exists()


def test_not_found_page_leads_back_to_the_paper(sample_site):
    output, _ = sample_site
    page = soup(output / "404.html")
    links = {a["href"] for a in page.select("main a")}
    assert {"/", "/epaper/", "/search/"} <= links


def test_reporter_index_lists_the_busiest_first(sample_site):
    output, _ = sample_site
    counts = [int(span.get_text().split()[0]) for span in soup(output / "reporters" / "index.html").select(".name-list .count")]
    assert counts and counts == sorted(counts, reverse=True)


def test_an_empty_feed_is_dated_by_the_content_not_the_clock(tmp_path):
    import time

    content = tmp_path / "content"
    write_article(content / "2024" / "01", "one.md", "Title: 职工书屋开放\nDate: 2024-01-02\n\n本报讯（记者 白莹）职工书屋开放。\n")
    first, _ = build_site(tmp_path / "a", content)
    time.sleep(1.1)
    second, _ = build_site(tmp_path / "b", content)
    empty = first / "feeds" / "topics" / "dispute.atom.xml"  # no article is about a dispute
    assert "<entry>" not in empty.read_text(encoding="utf-8")
    assert "2024-01-02T00:00:00+08:00" in empty.read_text(encoding="utf-8")
    assert empty.read_bytes() == (second / "feeds" / "topics" / "dispute.atom.xml").read_bytes()


def _poison_reader_cache(cache, slug):
    import pickle

    path = cache / "ArticlesGenerator-Readers"  # a plain pickle: GZIP_CACHE is off (pelicanconf.py)
    data = pickle.loads(path.read_bytes())
    for stamp, (content, metadata) in data.values():
        metadata["slug"] = slug
    path.write_bytes(pickle.dumps(data))


def test_a_code_change_invalidates_the_content_cache(tmp_path):
    """Pelican's cache is keyed on file checksums; our stamp makes it follow code changes too."""
    content = tmp_path / "content"
    write_article(content / "2024" / "01", "one.md", "Title: 职工书屋开放\nDate: 2024-01-02\n\n本报讯（记者 白莹）职工书屋开放。\n")
    settings = {"LOAD_CONTENT_CACHE": True, "CACHE_CONTENT": True}
    build_site(tmp_path / "a", content, settings={**settings, "CACHE_PATH": str(tmp_path / "cache")})
    cache = tmp_path / "cache"
    stamp = cache / "ArticlesGenerator-Readers.newsroom-stamp"
    assert stamp.exists()

    # Same code: the cache is trusted (so a poisoned entry shows: the test can tell).
    _poison_reader_cache(cache, "stale-slug")
    output, _ = build_site(tmp_path / "b", content, settings={**settings, "CACHE_PATH": str(cache)})
    assert (output / "2024/01/02/stale-slug/index.html").exists()

    # "Changed code": another stamp, and the poisoned entry is read afresh.
    _poison_reader_cache(cache, "stale-slug")
    stamp.write_text("older code", encoding="utf-8")
    output, _ = build_site(tmp_path / "c", content, settings={**settings, "CACHE_PATH": str(cache)})
    assert not (output / "2024/01/02/stale-slug").exists()
    assert (output / "2024/01/02/zhigong-shuwu-kaifang/index.html").exists()


def _theme_with(tmp_path, name, edit):
    theme = tmp_path / name
    shutil.copytree(ROOT / "theme", theme)
    for template in (theme / "templates").rglob("*.html"):
        template.write_text(edit(template.read_text(encoding="utf-8")), encoding="utf-8")
    return theme


def test_list_items_rendered_once_equal_the_included_template(sample_site, tmp_path):
    """``article_item()`` keeps each article's list item for the build; the site it gives
    is byte for byte the one the plain ``{% include %}`` of the item template gives.

    The kept side is the run's sample site (the project's theme and settings): one full
    build fewer than building it here. The plain side skips the search index
    (``SEARCH_INDEX`` only adds the ``pagefind/`` bundle), so that folder is left out."""
    def included(text):
        return re.sub(r"\{\{ article_item\(article\) \}\}", '{% include "partials/article_item.html" %}', text)

    plain = _theme_with(tmp_path, "plain-theme", included)
    assert "{{ article_item(" not in "".join(p.read_text(encoding="utf-8") for p in plain.rglob("*.html"))
    kept, log = sample_site
    assert not log.messages(logging.ERROR)
    reference, log = build_site(tmp_path / "plain", settings={"SEARCH_INDEX": False, "THEME": str(plain)})
    assert not log.messages(logging.ERROR)
    files = sorted(p.relative_to(kept) for p in kept.rglob("*")
                   if p.is_file() and "pagefind" not in p.relative_to(kept).parts)
    assert files == sorted(p.relative_to(reference) for p in reference.rglob("*") if p.is_file())
    assert len(files) > 100
    assert [f for f in files if (kept / f).read_bytes() != (reference / f).read_bytes()] == []


def test_an_item_template_reading_what_it_is_not_given_stops_the_build(tmp_path):
    theme = _theme_with(tmp_path, "theme", lambda text: text.replace(
        '<article class="item">', '<article class="item" data-page="{{ output_file }}">'))
    with pytest.raises(Exception, match="article_item.html reads output_file"):
        build_site(tmp_path / "site", settings={"SEARCH_INDEX": False, "THEME": str(theme),
                                                "FASTBUILD_WORKERS": 1})
    # The next build in this process (pelican --autoreload goes on) lists only its own
    # pages in its sitemap, none of the failed build's.
    content = tmp_path / "content"
    write_article(content / "2024" / "03", "one.md", "Title: 职工书屋开放\nDate: 2024-03-02\n\n本报讯（记者 白莹）职工书屋开放。\n")
    output, _ = build_site(tmp_path / "next", content_dir=content, settings={"SEARCH_INDEX": False})
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    listed = {unquote(urlparse(loc).path) for loc in re.findall(r"<loc>([^<]*)</loc>", sitemap)}
    pages = {"/" + p.relative_to(output).as_posix().removesuffix("index.html") for p in output.rglob("*.html")}
    assert listed and listed <= pages, sorted(listed - pages)[:5]


def site_extras_module():
    """The plugin's module, as Pelican loads it (``PLUGIN_PATHS``), for a test run alone too."""
    import sys

    if str(ROOT / "plugins") not in sys.path:
        sys.path.append(str(ROOT / "plugins"))
    from site_extras import site_extras

    return site_extras


def test_kept_list_items_last_one_build():
    from jinja2 import DictLoader, Environment

    site_extras = site_extras_module()
    ITEM_TEMPLATE, ItemRenderer = site_extras.ITEM_TEMPLATE, site_extras.ItemRenderer

    renderer = ItemRenderer()
    env = Environment(loader=DictLoader({ITEM_TEMPLATE: "<p>{{ article.title }}</p>"}), autoescape=True)
    env.globals["article_item"] = pass_context(renderer)
    page = env.from_string("{% for article in items %}{{ article_item(article) }}{% endfor %}")

    class Item:
        title = "<旧>"

    item = Item()
    assert page.render(items=[item, item]) == "<p>&lt;旧&gt;</p>" * 2
    item.title = "新"
    assert page.render(items=[item]) == "<p>&lt;旧&gt;</p>"  # within one build: kept
    renderer.reset()  # a new build (signals.initialized)
    assert page.render(items=[item]) == "<p>新</p>"


class TrackedItem:
    """An article as the render record sees it: each attribute read is recorded."""

    def __init__(self, title):
        self.title = title


def item_pages(renderer, environments):
    """A list page in each of ``environments``, showing ``article_item`` of its items."""
    from jinja2 import DictLoader, Environment

    pages = []
    for shout in environments:
        env = Environment(loader=DictLoader({site_extras_module().ITEM_TEMPLATE: "<p>{{ article.title|shout }}</p>"}),
                          autoescape=True)
        env.filters["shout"] = (lambda text: text + "！") if shout else (lambda text: text)
        env.globals["article_item"] = pass_context(renderer)
        pages.append(env.from_string("{% for article in items %}{{ article_item(article) }}{% endfor %}"))
    return pages


def rendered_with_reads(page, items):
    from newsroom.build import renderdeps

    recorder = renderdeps.Recorder()
    with renderdeps.recording(recorder):
        html = page.render(items=items)
    return html, {id(obj): (obj, attributes) for obj, attributes in recorder.objects.values()}


def test_a_kept_list_item_is_one_per_article_whatever_the_pages_and_environments():
    """The memo of list items lasts the whole render: it must hold one small item per
    article, not one per page or per Jinja environment (each page generator has its own),
    nor a live recorder (five hash tables); and every page must still get the item's
    HTML and reads exactly as a render of its own would give them."""
    from newsroom.build import renderdeps

    site_extras = site_extras_module()
    saved = TrackedItem.__dict__.get("__getattribute__")
    TrackedItem.__getattribute__ = renderdeps.tracking_getattribute(object.__getattribute__)
    try:
        items = [TrackedItem(f"标题{i}") for i in range(10)]
        renderer = site_extras.ItemRenderer()
        pages = item_pages(renderer, [False, False, False])
        fresh = item_pages(site_extras.ItemRenderer(), [False])[0]
        for _ in range(20):  # twenty list pages in each environment
            for page in pages:
                html, reads = rendered_with_reads(page, items)
                assert html == "".join(f"<p>标题{i}</p>" for i in range(10))
                assert reads == rendered_with_reads(fresh, items)[1]
        assert len(renderer.items) == len(items) and not renderer.variants
        for kept in renderer.items.values():
            assert len(kept.environments) == 3
            assert isinstance(kept.reads, renderdeps.Captured)
            assert kept.reads.objects == ((kept.article, ("title",)),)
        # Equal reads share their tuples: one tuple of attribute names for all ten items.
        assert len({id(kept.reads.objects[0][1]) for kept in renderer.items.values()}) == 1

        # An environment whose render differs (a filter of its own) gets its own item.
        renderer = site_extras.ItemRenderer()
        plain, shouting = item_pages(renderer, [False, True])
        for _ in range(3):
            assert plain.render(items=items[:2]) == "<p>标题0</p><p>标题1</p>"
            assert shouting.render(items=items[:2]) == "<p>标题0！</p><p>标题1！</p>"
        assert len(renderer.items) == 2 and len(renderer.variants) == 2
    finally:
        if saved is None:
            del TrackedItem.__getattribute__
        else:
            TrackedItem.__getattribute__ = saved


def test_the_sitemap_leaves_out_the_404_page(sample_site):
    output, _ = sample_site
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert "404" not in sitemap and "/about/" in sitemap


def test_feed_entries_name_every_reporter_of_the_byline(sample_site):
    import feedparser

    output, _ = sample_site
    feed = feedparser.parse((output / "feeds" / "all.atom.xml").read_text(encoding="utf-8"))
    several = 0
    for entry in feed.entries:
        path = output / entry.link.split("/", 3)[3] / "index.html"
        data = json.loads(soup(path).find("script", type="application/ld+json").string)
        names = [author["name"] for author in data.get("author", [])]
        assert entry.get("author", "") == "、".join(names)
        several += len(names) > 1
    assert several, "the sample's feed should hold an article by two reporters"


def test_the_menu_marks_the_section_of_the_page(sample_site):
    output, _ = sample_site

    def current(path):
        return [(a.get_text(), a["aria-current"]) for a in soup(output / path).select(".site-nav a[aria-current]")]

    assert current("index.html") == [("首页", "page")]
    assert current("epaper/index.html") == [("往期回顾", "page")]
    assert current(next((output / "epaper").glob("20*-*-*/index.html")).relative_to(output)) == [("往期回顾", "true")]
    assert current(next((output / "reporters").glob("*/index.html")).relative_to(output)) == [("记者", "true")]
    assert current("tags/index.html") == [("关键词", "page")]
    assert current("search/index.html") == [("检索", "page")]
    assert current("404.html") == []
    article = next(output.glob("2024/*/*/*/index.html"))
    assert current(article.relative_to(output)) == []


def test_an_article_address_cut_back_lands_on_its_day_month_and_year(sample_site):
    output, _ = sample_site
    articles = sorted(output.glob("20[0-9][0-9]/[01][0-9]/[0-3][0-9]/*/index.html"))
    assert len(articles) == 51
    by_day = {}
    for page in articles:
        year, month, day = page.relative_to(output).parts[:3]
        by_day.setdefault((year, month, day), []).append("/" + page.parent.relative_to(output).as_posix() + "/")
    for (year, month, day), urls in by_day.items():
        day_page = soup(output / year / month / day / "index.html")
        listed = [a["href"] for a in day_page.select(".item-list .item-title a")]
        assert sorted(listed) == sorted(urls)
        assert day_page.h1.get_text().startswith(f"{year}年{int(month)}月{int(day)}日")
        assert day_page.select_one(f'a[href="/epaper/{year}-{month}-{day}/"]') is not None
        month_page = soup(output / year / month / "index.html")
        assert set(urls) <= {a["href"] for a in month_page.select(".compact-list a")}
    for year in {key[0] for key in by_day}:
        year_page = soup(output / year / "index.html")
        counts = {a["href"]: int(a.select_one(".date-count").get_text().rstrip("篇")) for a in year_page.select(".date-months a")}
        expected = {}
        for (y, m, _), urls in by_day.items():
            if y == year:
                expected[f"/{y}/{m}/"] = expected.get(f"/{y}/{m}/", 0) + len(urls)
        assert counts == expected
    years = [a["href"] for a in soup(output / "archives" / "index.html").select(".date-years a")]
    assert years == ["/2024/", "/2023/"]


def test_the_checks_know_every_section_of_the_site(sample_site):
    # `check` refuses a page whose address is a section's (SITE_SECTIONS); a section added
    # to the site must be added there too, or a page could take its address.
    from newsroom.desk.checks import SITE_SECTIONS

    output, _ = sample_site
    pages = {read_source(p).get("slug") for p in (ROOT / "content" / "pages").glob("*.md")}
    folders = {p.name for p in output.iterdir() if p.is_dir()}
    years = {name for name in folders if re.fullmatch(r"[0-9]{4}", name)}
    assert folders - years - pages <= SITE_SECTIONS
    assert "search" in folders and "epaper" in folders


def test_lists_give_each_day_in_the_papers_reading_order(sample_site):
    # Newest day first; within a day printed pages in page order, online-only news last,
    # as the e-paper, the date indexes and the catalogue have it.
    output, _ = sample_site
    for list_page in ("archives/index.html", "districts/chaoyang/index.html", "topics/relief/index.html"):
        keys = []
        for item in soup(output / list_page).select("article.item"):
            when = item.select_one("time")["datetime"][:10]
            label = re.search(r"第(\d+)版", item.select_one(".item-meta").get_text())
            keys.append((when, label is None, int(label.group(1)) if label else 0))
        assert len(keys) >= 3, list_page
        days = [when for when, *_ in keys]
        assert days == sorted(days, reverse=True), list_page
        for day in set(days):
            places = [place for when, *place in keys if when == day]
            assert places == sorted(places), (list_page, day)


def test_every_list_and_feed_gives_a_mixed_day_in_reading_order(tmp_path):
    # One day with page 1, page 2 and online-only news at 15:00 (a later time than the
    # printed articles' midnight): the online piece comes last everywhere.
    content = tmp_path / "content"
    body = "本报讯（记者 白莹）近日，朝阳区总工会走访慰问困难职工家庭，为困难职工送去慰问金和慰问品，开展送温暖活动。\n"
    for name, title, extra in (("c.md", "朝阳区网络专稿送温暖", "Date: 2024-03-12 15:00\n"),
                               ("a.md", "朝阳区头版送温暖", "Date: 2024-03-12\nPage: 1\nPageName: 要闻\n"),
                               ("b.md", "朝阳区二版送温暖", "Date: 2024-03-12\nPage: 2\nPageName: 基层\n")):
        write_article(content / "2024" / "03", name, f"Title: {title}\n{extra}District: 朝阳区\nTopics: relief\n"
                      f"Slug: {name[0]}-songwennuan\n\n{body}")
    output, _ = build_site(tmp_path, content_dir=content, settings={"SEARCH_INDEX": False})
    expected = ["朝阳区头版送温暖", "朝阳区二版送温暖", "朝阳区网络专稿送温暖"]
    for page in ("archives/index.html", "districts/chaoyang/index.html", "topics/relief/index.html",
                 "reporters/baiying/index.html"):
        titles = [a.get_text(strip=True) for a in soup(output / page).select("article.item .item-title a")]
        assert [t for t in titles if t in expected] == expected, page
    for feed in ("feeds/all.atom.xml", "feeds/districts/chaoyang.atom.xml"):
        text = (output / feed).read_text(encoding="utf-8")
        assert sorted(expected, key=text.index) == expected, feed
