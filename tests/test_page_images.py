"""The printed page on the site and for archives (issue 21, the site's half).

One small site is built per module from tests/page_images_fixture.py (page images made
here, sidecars written by hand, problems on purpose); its pages, tiles, IIIF manifests,
ALTO files and downloads are read back and validated against the published schemas.
The browser tests are in tests/test_page_images_browser.py.
"""

import io
import json
import math
from pathlib import Path

import pytest
from archive_schemas import alto_errors, iiif_errors
from lxml import etree
from page_images_fixture import DATE, HEIGHT, REGIONS, WIDTH, make_content
from PIL import Image
from sitebuild import build_site, soup

from newsroom.archive import imaging, pagefile, tiles
from newsroom.errors import ContentError


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pageimages")
    content = make_content(folder / "content")
    output, log = build_site(folder, content)
    return output, log, content, folder


# --- the sidecar --------------------------------------------------------------------------
def write_sidecar(tmp_path, data, name="01.page.json", day=DATE):
    folder = tmp_path / "epaper" / day
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = {"format": "newsroom-page/1", "date": DATE, "page": 1, "page_name": "要闻", "original": "01.pdf",
        "image": "01.png", "width": 100, "height": 150, "dpi": 150, "source_kind": "pdf",
        "articles": [{"file": "2024/03/a.md", "regions": [[1, 2, 30, 40]], "review": []}],
        "lines": [{"text": "标题", "box": [1, 2, 30, 10], "confidence": 1.0, "article": 0}]}


def test_a_sidecar_is_read_typed_and_unknown_fields_are_kept(tmp_path):
    path = write_sidecar(tmp_path, {**GOOD, "dpi": 99.5, "banner": "通栏", "issue": "8123", "scanner": "A3 flatbed"})
    layout = pagefile.load(path)
    assert (layout.page, layout.width, layout.height, layout.source_kind, layout.dpi) == (1, 100, 150, "pdf", 99.5)
    assert layout.articles[0].regions == (pagefile.Box(1, 2, 30, 40),)
    assert layout.lines[0].article == 0 and layout.lines[0].confidence == 1.0
    assert layout.image_path == path.parent / "01.png"
    assert (layout.banner, layout.issue, layout.review, layout.notes) == ("通栏", "8123", (), ())
    assert layout.extra == {"scanner": "A3 flatbed"}
    # Written again by the same module: what it does not know is kept.
    assert json.loads(pagefile.dumps(layout))["scanner"] == "A3 flatbed"


@pytest.mark.parametrize("change, words, line", [
    (lambda d: "{\n  \"format\": \"newsroom-page/1\",\n  oops\n}", "不是有效的 JSON", 3),
    (lambda d: {**d, "format": "other/2"}, "只认 newsroom-page/1", None),
    (lambda d: {**d, "width": "wide"}, "width 有误", None),
    (lambda d: {**d, "image": "../secret.png"}, "image 有误", None),
    (lambda d: {**d, "articles": [{"file": "/etc/passwd", "regions": []}]}, "articles[0].file 有误", None),
    (lambda d: {**d, "articles": [{"file": "a.md", "regions": [[1, 2, 3]]}]}, "regions[0] 有误", None),
    (lambda d: {**d, "lines": [{"text": "x", "box": [0, 0, 1, 1], "article": 5}]}, "lines[0].article 有误", None),
    (lambda d: {**d, "page": 2}, "放在", None),
    # Python's json reads what JSON has not; the ALTO file cannot carry a control character
    (lambda d: json.dumps({**d, "lines": [{"text": "x", "box": [0, 0, float("inf"), 1]}]}, indent=2),
     "不是有效的 JSON", None),
    (lambda d: {**d, "lines": [{"text": "x", "box": [0, 0, 1e300, 1]}]}, "lines[0].box 有误", None),
    (lambda d: {**d, "lines": [{"text": "2024年\u0001星期二", "box": [0, 0, 1, 1]}]}, "控制字符 U+0001", None),
])
def test_an_unusable_sidecar_is_a_chinese_error_with_its_fix(tmp_path, change, words, line):
    data = change(dict(GOOD))
    path = write_sidecar(tmp_path, data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, indent=2))
    with pytest.raises(ContentError) as caught:
        pagefile.load(path)
    error = caught.value
    assert words in error.problem and error.fix and error.path == str(path)
    if line:
        assert error.line == line
    elif words.endswith("有误"):
        assert error.line is not None  # the line the field is on


# --- tiles ----------------------------------------------------------------------------------
def osd_tile_urls(info):
    """Every URL OpenSeadragon 6 asks a level-0 IIIF 3 service for (its getTileUrl, in Python)."""
    width, height = info["width"], info["height"]
    tile = info["tiles"][0]["width"]
    max_level = round(math.log2(max(info["tiles"][0]["scaleFactors"])))
    urls = set()
    for level in range(max_level + 1):
        scale = 0.5 ** (max_level - level)
        level_w, level_h = math.ceil(width * scale), math.ceil(height * scale)
        for y in range(math.ceil(level_h / tile)):
            for x in range(math.ceil(level_w / tile)):
                if level_w < tile and level_h < tile:
                    size = "max" if (level_w, level_h) == (width, height) else f"{level_w},{level_h}"
                    urls.add(f"full/{size}/0/default.jpg")
                    continue
                span = round(tile / scale)
                rx, ry = x * span, y * span
                rw, rh = min(span, width - rx), min(span, height - ry)
                region = "full" if (rx, ry, rw, rh) == (0, 0, width, height) else f"{rx},{ry},{rw},{rh}"
                sw, sh = min(tile, level_w - x * tile), min(tile, level_h - y * tile)
                size = "max" if (sw, sh) == (width, height) else f"{sw},{sh}"
                urls.add(f"{region}/{size}/0/default.jpg")
    return urls


def test_every_tile_and_size_a_client_asks_for_is_a_file(site):
    output, *_ = site
    folder = output / "epaper" / DATE / "01" / "iiif"
    info = json.loads((folder / "info.json").read_text(encoding="utf-8"))
    assert info["profile"] == "level0" and info["type"] == "ImageService3"
    assert (info["width"], info["height"]) == (WIDTH, HEIGHT)
    assert info["id"] == f"https://news.example.org/epaper/{DATE}/01/iiif"
    sizes = {tiles.size_name(WIDTH, HEIGHT, s["width"], s["height"]) for s in info["sizes"]}
    wanted = osd_tile_urls(info) | sizes
    missing = sorted(name for name in wanted if not (folder / name).is_file())
    assert not missing
    written = {p.relative_to(folder).as_posix() for p in folder.rglob("*.jpg")}
    assert written == wanted  # and nothing else
    for name in sorted(wanted)[:5]:
        with Image.open(folder / name) as image:
            assert image.format == "JPEG" and not image.getexif()
            w, h = name.split("/")[1].split(",") if "," in name.split("/")[1] else (WIDTH, HEIGHT)
            assert image.size == (int(w), int(h))


def test_tiles_are_cut_once_per_image_content_and_are_deterministic(tmp_path, monkeypatch):
    image = tmp_path / "page.png"
    Image.new("L", (1100, 1500), 200).save(image)
    first = tiles.cut(image, tmp_path / "one")
    again = tiles.cut(image, tmp_path / "two")
    for name in first.files:
        assert (tiles.folder_of(tmp_path / "one", first) / name).read_bytes() == \
            (tiles.folder_of(tmp_path / "two", again) / name).read_bytes()
    assert first.scale_factors == (1, 2, 4) and first.sizes[-1] == (1100, 1500)

    def never(path):
        raise AssertionError("an unchanged page image was opened again")

    monkeypatch.setattr(imaging, "open_page", never)
    assert tiles.cut(image, tmp_path / "one") == first  # from the cache
    Image.new("L", (1100, 1500), 100).save(image)  # new content: a new key, cut again
    with pytest.raises(AssertionError, match="opened again"):
        tiles.cut(image, tmp_path / "one")


def test_a_pyramid_another_build_finished_meanwhile_in_a_shared_cache_is_kept(tmp_path, monkeypatch):
    """Builds may share one tile cache (the test suite's do): a build that finds, once its
    own cut is done, the same pyramid put there by another keeps that one in place (its
    reader may be copying from it) and leaves no folder of its own behind."""
    image = tmp_path / "page.png"
    Image.new("L", (1100, 1500), 200).save(image)
    cache = tmp_path / "shared"
    real_jpeg_bytes = imaging.jpeg_bytes
    other = []

    def meanwhile(picture):  # the other build cuts the same image while this one is cutting
        if not other:
            monkeypatch.setattr(imaging, "jpeg_bytes", real_jpeg_bytes)
            pyramid = tiles.cut(image, cache)
            other.append((pyramid, (tiles.folder_of(cache, pyramid) / tiles.INDEX).stat().st_ino))
            monkeypatch.setattr(imaging, "jpeg_bytes", meanwhile)
        return real_jpeg_bytes(picture)

    monkeypatch.setattr(imaging, "jpeg_bytes", meanwhile)
    found = tiles.cut(image, cache)
    (theirs, their_index), = other
    assert found == theirs
    kept = tiles.folder_of(cache, found)
    assert (kept / tiles.INDEX).stat().st_ino == their_index  # theirs, not replaced by ours
    assert [p.name for p in cache.iterdir()] == [kept.name]  # no half-made folder left
    assert all((kept / name).is_file() for name in found.files)


# --- the page view ----------------------------------------------------------------------------
def test_the_page_shows_its_image_with_an_area_link_per_article_in_reading_order(site):
    output, *_ = site
    page = soup(output / "epaper" / DATE / "01" / "index.html")
    image = page.select_one(".page-image img.page-img")
    assert image["width"] == str(WIDTH) and image["height"] == str(HEIGHT) and image["alt"]
    assert all((output / src.split()[0].lstrip("/")).is_file() for src in image["srcset"].split(", "))
    svg = page.select_one("svg.page-areas")
    assert svg["viewbox"] == f"0 0 {WIDTH} {HEIGHT}"
    links = svg.select("a")
    assert [a["aria-label"] for a in links] == ["全市职工技能大赛开幕", "门头沟区工会慰问一线环卫职工", "朝阳区开展劳动争议调解培训"]
    assert [a["href"] for a in links] == ["/2024/03/05/lead/", "/2024/03/05/second/", "/2024/03/05/third/"]
    assert [a.title.string for a in links] == [a["aria-label"] for a in links]
    second = links[1].select("rect")
    assert [[int(r[k]) for k in ("x", "y", "width", "height")] for r in second] == REGIONS["2024/03/second.md"]
    # the draft and the missing file have no area; the article list stays under the image
    assert "尚未发布" not in str(svg)
    assert len(page.select(".epaper-sheet .item")) == 3
    scripts = [s["src"] for s in page.select("script[src]")]
    assert "/theme/vendor/openseadragon/openseadragon.min.js" in scripts and "/theme/js/page-viewer.js" in scripts
    assert (output / "theme" / "vendor" / "openseadragon" / "openseadragon.min.js").is_file()
    assert (output / "theme" / "vendor" / "openseadragon" / "LICENSE.txt").is_file()


def test_the_issue_page_shows_each_page_image_small(site):
    output, *_ = site
    page = soup(output / "epaper" / DATE / "index.html")
    thumbs = page.select(".epaper-block-thumb")
    assert [a["href"] for a in thumbs] == [f"/epaper/{DATE}/01/", f"/epaper/{DATE}/02/"]  # page 3 has none
    assert thumbs[0].img["alt"] == "第01版 要闻版面图" and (output / thumbs[0].img["src"].lstrip("/")).is_file()


def test_a_page_without_an_image_keeps_the_list_view(site):
    output, *_ = site
    page = soup(output / "epaper" / DATE / "03" / "index.html")
    assert page.select_one(".page-image") is None and not page.select("script[src*=openseadragon]")
    assert page.select_one(".epaper-sheet .item-title a").get_text(strip=True) == "职工文化艺术节征稿启事"


def test_sidecar_problems_are_warnings_naming_the_file_and_the_fix(site):
    output, log, content, _ = site
    warnings = log.messages()
    gone = [m for m in warnings if "2024/03/gone.md" in m]
    assert len(gone) == 1 and "01.page.json" in gone[0] and "不存在" in gone[0] and "—" in gone[0]
    assert not any("draft.md" in m for m in warnings)  # a draft is expected, not a problem
    assert not [m for m in log.messages() if "epaper" in m and m not in gone], log.messages()


def test_the_article_page_shows_its_area_on_a_thumbnail_linking_back(site):
    output, *_ = site
    page = soup(output / "2024" / "03" / "05" / "second" / "index.html")
    link = page.select_one(".page-thumb a")
    assert link["href"] == f"/epaper/{DATE}/01/#area-second"
    assert "在版面上看本文" in link.get_text()
    thumb = link.select_one("img")
    assert (output / thumb["src"].lstrip("/")).is_file() and thumb["alt"] == ""
    rects = link.select("svg rect")
    assert [[int(r[k]) for k in ("x", "y", "width", "height")] for r in rects] == REGIONS["2024/03/second.md"]
    assert page.select_one("[data-pagefind-meta=pagearea]").get_text() == f"/epaper/{DATE}/01/#area-second"
    target = soup(output / "epaper" / DATE / "01" / "index.html").select_one("#area-second")
    assert target is not None and target.name == "a"
    # an article on a page without an image has no thumbnail
    assert soup(output / "2024" / "03" / "05" / "listonly" / "index.html").select_one(".page-thumb") is None


# --- IIIF ---------------------------------------------------------------------------------
def test_the_issue_manifest_follows_the_newspaper_recipe_and_validates(site):
    output, *_ = site
    manifest = json.loads((output / "epaper" / DATE / "manifest.json").read_text(encoding="utf-8"))
    assert iiif_errors(manifest) == []
    base = "https://news.example.org"
    assert manifest["id"] == f"{base}/epaper/{DATE}/manifest.json" and manifest["type"] == "Manifest"
    assert manifest["navDate"] == f"{DATE}T00:00:00+08:00"
    assert manifest["partOf"] == [{"id": f"{base}/epaper/collection.json", "type": "Collection"}]
    canvases = manifest["items"]
    assert [c["label"]["zh"][0] for c in canvases] == ["第01版 要闻", "第02版 基层"]  # page 3 has no image
    first = canvases[0]
    assert (first["width"], first["height"]) == (WIDTH, HEIGHT)
    body = first["items"][0]["items"][0]["body"]
    assert body["service"][0] == {"id": f"{base}/epaper/{DATE}/01/iiif", "type": "ImageService3", "profile": "level0"}
    assert (output / body["id"][len(base) + 1:]).is_file()
    alto = [r for r in first["rendering"] if r["format"] == "application/xml"][0]
    assert alto["id"] == f"{base}/epaper/{DATE}/01/alto.xml" and "alto" in alto["profile"]
    assert first["seeAlso"][0]["id"] == alto["id"]
    pdf = [r for r in first["rendering"] if r["format"] == "application/pdf"][0]
    assert (output / pdf["id"][len(base) + 1:]).is_file()
    links = first["annotations"][0]["items"]
    assert all(a["motivation"] == "linking" for a in links)
    targets = [(a["body"]["id"], a["target"]) for a in links]
    assert (f"{base}/2024/03/05/second/", f"{first['id']}#xywh=640,760,540,260") in targets
    assert len(targets) == 4  # three articles, one of them in two blocks
    section = manifest["structures"][0]
    assert section["label"]["zh"] == ["第01版 要闻"]
    articles = section["items"]
    assert [r["label"]["zh"][0] for r in articles] == ["全市职工技能大赛开幕", "门头沟区工会慰问一线环卫职工",
                                                        "朝阳区开展劳动争议调解培训"]
    assert articles[1]["items"] == [{"id": f"{first['id']}#xywh=60,760,540,520", "type": "Canvas"},
                                    {"id": f"{first['id']}#xywh=640,760,540,260", "type": "Canvas"}]


def test_the_paper_is_a_collection_of_its_issues(site):
    output, *_ = site
    collection = json.loads((output / "epaper" / "collection.json").read_text(encoding="utf-8"))
    assert iiif_errors(collection) == []
    assert [(i["id"], i["navDate"]) for i in collection["items"]] == [
        (f"https://news.example.org/epaper/{DATE}/manifest.json", f"{DATE}T00:00:00+08:00")]


def test_the_link_check_reads_iiif_sizes_in_srcset_whole():
    from sitecheck.links import srcset_urls

    assert srcset_urls("/p/iiif/full/620,877/0/default.jpg 620w, /p/iiif/full/max/0/default.jpg 1240w") == [
        "/p/iiif/full/620,877/0/default.jpg", "/p/iiif/full/max/0/default.jpg"]
    assert srcset_urls("a.jpg 1x,b.jpg 2x") == ["a.jpg", "b.jpg"]


def test_the_schema_check_can_fail():
    assert iiif_errors({"type": "Manifest", "id": "not a url", "label": "x", "items": []})
    assert alto_errors(b'<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout/></alto>')


# --- ALTO -----------------------------------------------------------------------------------
def test_alto_per_page_validates_and_places_the_words(site):
    output, *_ = site
    data = (output / "epaper" / DATE / "02" / "alto.xml").read_bytes()
    assert alto_errors(data) == []
    ns = {"a": "http://www.loc.gov/standards/alto/ns-v4#"}
    tree = etree.fromstring(data)
    page = tree.find(".//a:Page", ns)
    assert (page.get("WIDTH"), page.get("HEIGHT")) == (str(WIDTH), str(HEIGHT))
    strings = tree.findall(".//a:TextLine/a:String", ns)
    assert "".join(s.get("CONTENT") for s in strings) == "海淀区职工书屋添新书"
    assert all(s.get("WC") == "0.88" for s in strings)
    # the sidecar gives each character's box (60 px apart): a word spans its characters
    first = strings[0]
    assert int(first.get("HPOS")) == 100 and int(first.get("WIDTH")) == 60 * (len(first.get("CONTENT")) - 1) + 56
    tag = tree.find(".//a:StructureTag", ns)
    assert tag.get("LABEL") == "海淀区职工书屋添新书" and tag.get("URI").endswith("/2024/03/05/scan/")
    assert tree.find(".//a:TextBlock", ns).get("TAGREFS") == tag.get("ID")
    page_one = etree.fromstring((output / "epaper" / DATE / "01" / "alto.xml").read_bytes())
    assert alto_errors(etree.tostring(page_one)) == []
    blocks = page_one.findall(".//a:TextBlock", ns)
    assert blocks[-1].get("TAGREFS") is None  # the footer line belongs to no article


# --- downloads ------------------------------------------------------------------------------
def test_the_original_is_offered_without_its_metadata(site):
    import pymupdf

    output, _, content, _ = site
    pdf = output / "epaper" / DATE / "01" / f"{DATE}-01.pdf"
    original = (content / "epaper" / DATE / "01.pdf").read_bytes()
    assert "排版员张三".encode("utf-16-be") in original or b"zhangsan" in original
    data = pdf.read_bytes()
    assert b"zhangsan" not in data and b"secret working title" not in data
    document = pymupdf.open(stream=data)
    assert not any(document.metadata.get(k) for k in ("author", "creator", "title", "producer"))
    assert document.page_count == 1 and "Page 1" in document[0].get_text()
    scan = output / "epaper" / DATE / "02" / f"{DATE}-02.jpg"
    raw = scan.read_bytes()
    assert b"zhangsan" not in raw and b"ScannerMaker" not in raw
    with Image.open(io.BytesIO(raw)) as image:
        assert not image.getexif() and "comment" not in image.info and image.size == (WIDTH, HEIGHT)
    page = soup(output / "epaper" / DATE / "01" / "index.html")
    link = page.select_one(".page-files a[download]")
    assert link["href"] == f"/epaper/{DATE}/01/{DATE}-01.pdf" and "原版PDF" in link.get_text()


def test_a_page_whose_articles_are_not_built_is_no_warning(tmp_path):
    """A preview limited to recent issues (or a page of drafts) leaves a sidecar without its page."""
    content = make_content(tmp_path / "content")
    scan = content / "2024" / "03" / "scan.md"
    scan.write_text(scan.read_text(encoding="utf-8").replace("Issue: 8123\n", "Issue: 8123\nStatus: draft\n"),
                    encoding="utf-8")
    output, log = build_site(tmp_path, content)
    assert not any("02.page.json" in m for m in log.messages()), log.messages()
    assert not (output / "epaper" / DATE / "02").exists()
    (content / "2024" / "03" / "scan.md").unlink()  # the file itself gone: the editor must hear of it
    output, log = build_site(tmp_path / "again", content)
    assert any("02.page.json" in m and "没有已发布的文章" in m for m in log.messages()), log.messages()


def test_a_page_image_that_does_not_match_its_sidecar_falls_back_to_the_list(tmp_path):
    content = make_content(tmp_path / "content")
    Image.new("L", (300, 300), 255).save(content / "epaper" / DATE / "01.png")  # replaced by hand
    (content / "epaper" / DATE / "02.jpg").unlink()
    output, log = build_site(tmp_path, content)
    warnings = "\n".join(log.messages())
    assert "01.page.json" in warnings and "300×300" in warnings and "重新导入" in warnings
    assert "02.jpg 不存在" in warnings
    assert soup(output / "epaper" / DATE / "01" / "index.html").select_one(".page-image") is None
    assert not (output / "epaper" / DATE / "manifest.json").exists()
    assert not (output / "epaper" / DATE / "01" / "iiif").exists()


def test_the_site_checks_pass_on_the_page_views(site, browser):
    """vnu, axe-core and the keyboard (at 390 and 1280 px), links, CSP; in the module's browser
    (two Playwright sessions cannot share a thread, and a launch is ~1.7 CPU-s)."""
    from sitecheck import a11y, feeds, html, links, security

    output, *_ = site
    pages = [PAGE_URL, "/2024/03/05/second/"]
    assert a11y.check(output, pages=pages, browser=browser) == []
    assert html.check(output) == []
    assert security.check(output) == []
    assert links.check(output) == []
    # the ALTO files are XML, not feeds (the fixture's empty district feeds are its own affair)
    assert feeds.feed_files(output) and not any(p.name == "alto.xml" for p in feeds.feed_files(output))


# --- in the browser (Debian's Chromium) ---------------------------------------------------------
PAGE_URL = f"/epaper/{DATE}/01/"


@pytest.fixture(scope="module")
def served(site):
    from search_support import serve

    output, *_ = site
    with serve(Path(output)) as base:
        yield base


def open_page(browser, served, width, path=PAGE_URL, touch=False):
    """A new page at ``width`` px with console errors and outside requests collected."""
    context = browser.new_context(base_url=served, viewport={"width": width, "height": 860}, has_touch=touch,
                                  is_mobile=touch, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.problems = []
    page.on("console", lambda m: m.type in ("error", "warning") and page.problems.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"pageerror: {e}"))
    page.on("request", lambda r: r.url.startswith(served) or page.problems.append(f"outside request: {r.url}"))
    page.on("response", lambda r: r.status >= 400 and page.problems.append(f"HTTP {r.status}: {r.url}"))
    page.goto(path, wait_until="networkidle")
    page.wait_for_selector(".page-viewer.is-zoomable .openseadragon-canvas canvas")
    return page


def overlay_width(page):
    return page.evaluate("() => document.querySelector('.page-areas').getBoundingClientRect().width")


def wait_for_width(page, test, timeout_s=20):
    """Wait until ``test(width of the area overlay)`` holds (polled: the CSP forbids the
    string predicates of ``wait_for_function``)."""
    import time

    deadline = time.monotonic() + timeout_s
    while True:
        width = overlay_width(page)
        if test(width):
            return width
        if time.monotonic() > deadline:
            raise AssertionError(f"the page's overlay stayed {width:.0f} px wide")
        page.wait_for_timeout(50)


def pinch_out(page, centre_x, centre_y):
    """Two fingers moving apart over the page (CDP touch events: pointer events for OpenSeadragon)."""
    session = page.context.new_cdp_session(page)

    def points(gap):
        return [{"x": centre_x - gap, "y": centre_y, "id": 1}, {"x": centre_x + gap, "y": centre_y, "id": 2}]

    session.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": points(20)})
    for gap in range(30, 150, 10):
        session.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": points(gap)})
        page.wait_for_timeout(16)
    session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


@pytest.mark.parametrize("width", [390, 1280])
def test_the_page_zooms_and_its_areas_are_links_in_reading_order(browser, served, width, tmp_path):
    page = open_page(browser, served, width, touch=width < 600)
    stage = page.locator(".page-stage").bounding_box()
    start = overlay_width(page)
    assert 0.5 * stage["width"] < start <= stage["width"] + 1  # the whole page in view
    page.screenshot(path=str(tmp_path / f"page-{width}.png"))

    page.click("[data-zoom=in]")
    wait_for_width(page, lambda w: w > start * 1.4)
    page.click("[data-zoom=home]")
    wait_for_width(page, lambda w: abs(w - start) < 2)
    if width < 600:
        pinch_out(page, stage["x"] + stage["width"] / 2, stage["y"] + stage["height"] / 3)
    else:
        page.mouse.move(stage["x"] + stage["width"] / 2, stage["y"] + stage["height"] / 3)
        for _ in range(3):  # OpenSeadragon zooms 1.2× per wheel event
            page.mouse.wheel(0, -200)
            page.wait_for_timeout(50)
    wait_for_width(page, lambda w: w > start * 1.3)
    page.screenshot(path=str(tmp_path / f"page-{width}-zoomed.png"))
    page.click("[data-zoom=home]")
    wait_for_width(page, lambda w: abs(w - start) < 2)

    # Keyboard: the zoomable page, then each article in reading order, named by its headline, outlined.
    page.focus("[data-zoom=full]")
    order = []
    for _ in range(5):
        page.keyboard.press("Tab")
        order.append(page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
            return [e.getAttribute('aria-label'), s.outlineStyle !== 'none' && s.outlineWidth !== '0px'
                    || s.boxShadow !== 'none']; }"""))
    assert [name for name, _ in order] == [
        "版面图：加号放大，减号缩小，方向键移动，0 键看整版", "全市职工技能大赛开幕", "门头沟区工会慰问一线环卫职工",
        "朝阳区开展劳动争议调解培训", None]
    assert all(outlined for _, outlined in order[:4])
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/2024/03/05/third/")
    assert page.problems == []
    page.context.close()


def test_a_link_to_an_area_zooms_to_it_and_a_click_opens_the_article(browser, served, tmp_path):
    page = open_page(browser, served, 1280, f"{PAGE_URL}#area-second")
    stage = page.locator(".page-stage").bounding_box()
    whole = min(stage["width"], stage["height"] * WIDTH / HEIGHT)  # the page's width in the home view
    wait_for_width(page, lambda w: w > whole * 1.3)  # zoomed in on the article
    box = page.locator("#area-second rect").first.bounding_box()
    assert stage["y"] - 1 <= box["y"] and box["y"] + 10 < stage["y"] + stage["height"]  # in view
    assert page.evaluate("() => getComputedStyle(document.querySelector('#area-second rect')).stroke") != "none"
    page.screenshot(path=str(tmp_path / "target.png"))
    page.goto(PAGE_URL, wait_until="networkidle")
    page.wait_for_selector(".page-viewer.is-zoomable")
    page.locator("#area-lead rect").click()
    page.wait_for_url("**/2024/03/05/lead/")
    assert page.problems == []
    page.context.close()


def test_without_script_the_page_is_an_image_with_area_links(browser, served):
    context = browser.new_context(base_url=served, viewport={"width": 390, "height": 860}, java_script_enabled=False)
    page = context.new_page()
    page.goto(PAGE_URL)
    assert page.locator(".page-zoom-tools").is_hidden()
    image = page.locator(".page-img").bounding_box()
    areas = page.locator(".page-areas").bounding_box()
    assert abs(image["width"] - areas["width"]) < 1 and abs(image["height"] - areas["height"]) < 1
    page.locator("#area-second rect").first.click()
    page.wait_for_url("**/2024/03/05/second/")
    context.close()


def test_a_search_result_links_to_the_article_on_its_page(browser, served):
    from search_support import wait_until_searched

    context = browser.new_context(base_url=served)
    page = context.new_page()
    page.goto("/search/?q=" + "环卫职工")
    wait_until_searched(page)
    link = page.locator(".search-result-page")
    assert link.count() == 1
    assert link.get_attribute("href").endswith(f"/epaper/{DATE}/01/#area-second")
    assert link.inner_text() == "在版面上看（第01版 要闻）"
    context.close()


MANIFEST_IN_VIEWER = """
async (manifestPath) => {
  // A IIIF client's walk: the issue's manifest -> each canvas's image service -> its
  // info.json -> tiles, drawn by OpenSeadragon (the copy the site ships).
  const manifest = await (await fetch(manifestPath)).json();
  const results = [];
  for (const canvas of manifest.items) {
    const service = canvas.items[0].items[0].body.service[0].id;
    const local = new URL(new URL(service).pathname, location.href).href;  // the public host is not this one
    const info = await (await fetch(local + "/info.json")).json();
    info.id = local;
    const box = document.createElement("div");
    box.style.width = "400px";
    box.style.height = "560px";
    document.body.append(box);
    const drawn = await new Promise((resolve, reject) => {
      const viewer = OpenSeadragon({ element: box, tileSources: info, drawer: "canvas", showNavigationControl: false });
      let tiles = 0;
      viewer.addHandler("tile-loaded", () => { tiles += 1; });
      viewer.addHandler("open-failed", (event) => reject(new Error(event.message)));
      viewer.addHandler("tile-load-failed", (event) => reject(new Error("tile " + event.message)));
      viewer.addHandler("open", () => {
        viewer.world.getItemAt(0).addOnceHandler("fully-loaded-change", () => {
          const size = viewer.world.getItemAt(0).getContentSize();
          resolve([canvas.width, canvas.height, size.x, size.y, tiles]);
        });
      });
    });
    results.push(drawn);
  }
  return results;
}
"""


def test_a_iiif_viewer_opens_the_issue_manifest(browser, served):
    page = open_page(browser, served, 1280)
    drawn = page.evaluate(MANIFEST_IN_VIEWER, f"/epaper/{DATE}/manifest.json")
    assert len(drawn) == 2  # the two pages with an image
    for canvas_w, canvas_h, image_w, image_h, tiles_loaded in drawn:
        assert (canvas_w, canvas_h) == (image_w, image_h) == (WIDTH, HEIGHT) and tiles_loaded >= 1
    assert page.problems == []
    page.context.close()
