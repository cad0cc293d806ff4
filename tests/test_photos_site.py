"""Photos on the built site: figures, lists, shares, feeds, the catalogue; nothing of an
original published; the cache answering a rebuild; errors that name file and line."""

import csv
import io
import json
import logging
import re
from pathlib import Path

import feedparser
from PIL import Image

from image_support import metadata_blocks, scene
from newsroom.paper.content import read_source
from sitebuild import ROOT, build_site, soup

CONTENT = ROOT / "content"
SOURCES = sorted(p for p in CONTENT.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
IMAGE_SUFFIXES = (".avif", ".webp", ".jpg", ".png")


def page(output, url):
    return soup(output / url.strip("/") / "index.html")


def url_of(relative):
    """The address of the sample article ``content/<relative>``."""
    source = read_source(CONTENT / relative)
    return f"{source.get('date')[:10].replace('-', '/')}/{source.get('slug')}/"


def articles_with_photos():
    """``{article url: source}`` for the sample articles that show photos."""
    found = {}
    for path in CONTENT.rglob("*.md"):
        source = read_source(path)
        if "![" in source.body and source.get("date") and source.get("status") != "draft":
            found[f"{source.get('date')[:10].replace('-', '/')}/{source.get('slug')}/"] = source
    return found


def published_images(output):
    return [p for p in (output / "photos").rglob("*") if p.suffix in IMAGE_SUFFIXES]


def test_at_least_fifteen_sample_articles_show_figures_with_captions_and_credits(sample_site):
    output, log = sample_site
    with_photos = articles_with_photos()
    assert len(with_photos) >= 15
    credited_links = 0
    for url in with_photos:
        html = page(output, url)
        figures = html.select(".story-body figure.photo")
        assert figures, url
        for figure in figures:
            img = figure.select_one("picture img")
            assert img["width"].isdigit() and img["height"].isdigit() and img["alt"].strip(), url
            assert figure.select_one("picture source[type='image/avif']")["srcset"].count("w,") >= 1
            assert img["srcset"] and img["sizes"]
            credit = figure.select_one("figcaption .photo-credit")
            assert credit is not None and credit.get_text(strip=True), url
            for link in credit.select("a"):
                assert (output / link["href"].strip("/") / "index.html").exists(), link["href"]
                credited_links += 1
        # The lead photo first, at once; every other one when scrolled near.
        images = html.select(".story-body figure.photo img")
        lead = [img for img in images if img.get("fetchpriority") == "high"]
        assert len(lead) <= 1
        for img in images:
            assert (img.get("loading") == "lazy") != (img.get("fetchpriority") == "high")
    assert credited_links >= 12  # 本报记者 … 摄 links the reporter's page
    assert not [m for m in log.messages() if "photo" in m.lower() or "图片" in m]


def test_no_original_and_no_metadata_is_published(sample_site):
    output, _ = sample_site
    originals = {p.read_bytes() for p in SOURCES}
    names = {p.name for p in SOURCES}
    for path in output.rglob("*"):
        if path.is_file():
            assert path.name not in names, path
            if path.suffix in IMAGE_SUFFIXES:
                data = path.read_bytes()
                assert data not in originals, path
    images = published_images(output)
    assert len(images) > 200
    for path in images:
        data = path.read_bytes()
        assert metadata_blocks(data) == [], path
        # Long strings only: a short one (b"GPS") turns up by chance in compressed data.
        for secret in (b"SamplePhone", b"Exif\x00\x00", b"2024:03:12 18:42:07"):
            assert secret not in data, (path, secret)


def test_the_phone_photo_is_upright_the_cmyk_photo_rgb_the_chart_avif(sample_site):
    output, _ = sample_site
    phone = page(output, url_of("2024/03/haidian-waimai-qishou-shoushang-huopei.md"))
    img = phone.select_one("figure.photo-portrait img")
    assert int(img["height"]) > int(img["width"])  # stored on its side, shown upright
    files = [output / src.split()[0].lstrip("/") for src in img["srcset"].split(", ")]
    assert all(Image.open(f).height > Image.open(f).width for f in files)
    cmyk = page(output, url_of("2023/09/jinqiu-zhuxue-2023.md"))
    for source in (cmyk.select_one("figure img")["src"], cmyk.select_one("figure source")["srcset"].split()[0]):
        assert Image.open(output / source.lstrip("/")).mode == "RGB"
    chart = page(output, url_of("2023/12/12351-rexian-niandi-qianxin-tixing.md"))
    assert chart.select_one("figure source")["type"] == "image/avif"


def test_shares_json_ld_feeds_and_catalogue_carry_the_lead_photo(sample_site):
    output, _ = sample_site
    with_photos = articles_with_photos()
    catalogue = {row["网址"]: row for row in csv.DictReader(
        io.StringIO((output / "catalogue" / "catalogue.csv").read_text(encoding="utf-8-sig")))}
    records = {r["url"]: r for r in json.loads((output / "catalogue" / "catalogue.json").read_text())["articles"]}
    feed = feedparser.parse((output / "feeds" / "all.atom.xml").read_bytes())
    enclosures = {e.link: [l for l in e.links if l.rel == "enclosure"] for e in feed.entries}
    base = "https://news.example.org/"
    for url in with_photos:
        html = page(output, url)
        meta = {m.get("property") or m.get("name"): m["content"] for m in html.select("meta[content]")}
        assert meta["og:image"].startswith(base + "photos/") and meta["og:image:type"] == "image/jpeg"
        og = Image.open(output / meta["og:image"][len(base):])
        assert og.size == (int(meta["og:image:width"]), int(meta["og:image:height"]))
        assert meta["twitter:card"] == ("summary_large_image" if og.width >= 1200 else "summary")
        data = json.loads(html.select_one("script[type='application/ld+json']").string)
        ratios = []
        for image in data["image"]:
            file = Image.open(output / image["url"][len(base):])
            assert file.size == (image["width"], image["height"])
            ratios.append(round(file.width / file.height, 2))
        assert ratios == [1.78, 1.33, 1.0]
        record = records[base + url]
        assert record["photo"].startswith(base + "photos/") and (output / record["photo"][len(base):]).exists()
        assert record["photo_credit"] and catalogue[base + url]["题图"] == record["photo"]
        if base + url in enclosures:
            [enclosure] = enclosures[base + url]
            assert enclosure.type == "image/jpeg" and enclosure.href == record["photo"]
    assert sum(bool(e) for e in enclosures.values()) >= 10
    # An article without a photo: no image anywhere, a small card.
    plain = page(output, url_of("2024/05/pinggu-tiaojieyuan-sanci-shangmen.md"))
    assert not plain.select("meta[property='og:image']") and not plain.select("figure.photo")
    assert plain.select_one("meta[name='twitter:card']")["content"] == "summary"


def test_lead_photos_are_thumbnails_in_every_list(sample_site):
    output, _ = sample_site
    lists = {
        "home": "", "day": "2024/05/14", "topic": "topics/arts", "district": "districts/daxing",
        "reporter": "reporters/tanglixin", "e-paper issue": "epaper/2024-05-14",
    }
    for name, url in lists.items():
        html = page(output, url)
        thumbs = html.select("a picture.item-photo img")
        assert thumbs, name
        for img in thumbs:
            assert img["alt"] == "" and img["loading"] == "lazy" and img["width"] and img["height"]
            assert (output / img["src"].lstrip("/")).exists()
            # Inside the headline's link: one link per article, named by its headline.
            assert img.find_parent("a").get_text(strip=True), name
    home = page(output, "")
    lead = home.select_one(".home-lead-photo img")
    assert lead["fetchpriority"] == "high" and "loading" not in lead.attrs and lead["alt"]


def write_article(folder, name, body, meta=""):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(f"Title: 职工书屋新添图书{name}\nDate: 2024-03-12\nSlug: shuwu-{Path(name).stem}\n"
                               f"{meta}\n本报讯（记者 白莹）职工书屋新添图书。\n\n{body}\n", encoding="utf-8")


def jpeg(seed, width=1200, height=800):
    buffer = io.BytesIO()
    scene(width, height, seed).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def stats(site):
    return json.loads((site / "cache" / "photos-stats.json").read_text())["articles"]


def test_a_rebuild_processes_only_new_photos_and_the_bytes_are_the_same(tmp_path):
    content = tmp_path / "content"
    folder = content / "2024" / "03"
    for index in range(3):
        (folder / f"p{index}.jpg").parent.mkdir(parents=True, exist_ok=True)
        (folder / f"p{index}.jpg").write_bytes(jpeg(index))
        write_article(folder, f"a{index}.md", f'![书屋{index}](p{index}.jpg "书屋一角。本报记者 白莹 摄")')
    settings = {"SEARCH_INDEX": False, "PHOTOS_CACHE_PATH": str(tmp_path / "photos-cache")}
    first, _ = build_site(tmp_path / "one", content, settings)
    assert (stats(tmp_path / "one")["made"], stats(tmp_path / "one")["hits"]) == (3, 0)
    second, _ = build_site(tmp_path / "two", content, settings)
    assert (stats(tmp_path / "two")["made"], stats(tmp_path / "two")["hits"]) == (0, 3)
    (folder / "p3.jpg").write_bytes(jpeg(3))
    write_article(folder, "a0.md", '![书屋0](p0.jpg "书屋一角。本报记者 白莹 摄")\n\n![新书](p3.jpg "新书。本报记者 白莹 摄")')
    build_site(tmp_path / "three", content, settings)
    assert (stats(tmp_path / "three")["made"], stats(tmp_path / "three")["hits"]) == (1, 3)
    # A build with a cold cache of its own makes the same bytes.
    cold, _ = build_site(tmp_path / "cold", content, {"SEARCH_INDEX": False,
                                                      "PHOTOS_CACHE_PATH": str(tmp_path / "cold-cache")})
    made = sorted(p.relative_to(second) for p in published_images(second))
    assert made and all((cold / p).read_bytes() == (second / p).read_bytes() for p in made)


def test_a_missing_photo_stops_the_build_naming_file_and_line(tmp_path):
    content = tmp_path / "content"
    write_article(content / "2024" / "03", "a.md", '![书屋](gone.jpg "本报记者 白莹 摄")')
    _, log = build_site(tmp_path / "site", content, {"SEARCH_INDEX": False})
    errors = log.messages(logging.ERROR)  # an error: `newsroom build` (fatal errors) stops there
    assert len(errors) == 1 and re.search(r"a\.md:7: 找不到图片 gone\.jpg — (改法：)?把图片放在文章文件所在的文件夹里", errors[0])


def test_photo_field_names_a_lead_used_only_for_lists_and_shares(tmp_path):
    content = tmp_path / "content"
    folder = content / "2024" / "03"
    folder.mkdir(parents=True)
    (folder / "chart.png").write_bytes(png_of(scene(1200, 800, 5)))
    (folder / "share.jpg").write_bytes(jpeg(6, 1600, 1000))
    write_article(folder, "a.md", '![柱状图：三年来的服务站数量](chart.png "服务站数量。本报记者 白莹 制图")',
                  meta="Photo: share.jpg\n")
    output, log = build_site(tmp_path / "site", content, {"SEARCH_INDEX": False,
                                                          "PHOTOS_CACHE_PATH": str(tmp_path / "cache-photos")})
    assert not log.messages()
    html = soup(output / "2024" / "03" / "12" / "shuwu-a" / "index.html")
    [figure] = html.select("figure.photo")  # the chart only: share.jpg is not shown in the text
    img = figure.select_one("img")
    assert img["loading"] == "lazy" and "fetchpriority" not in img.attrs  # not the lead
    og = html.select_one("meta[property='og:image']")["content"]
    assert og.endswith("40x21-1200x630.jpg")
    assert Image.open(output / og.split("example.org/")[1]).size == (1200, 630)
    assert figure.select_one("source")["srcset"].split("/")[2] != og.split("/")[4]  # another photo's folder
    day = soup(output / "2024" / "03" / "12" / "index.html")
    thumb = day.select_one("picture.item-photo img")["src"]
    assert thumb.split("/")[2] == og.split("/")[4]  # the list shows the Photo: one


def png_of(image):
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
