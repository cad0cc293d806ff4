"""Embargo: an issue prepared the evening before stays unpublished until its time.

One small paper: two articles out on 2026-12-06 and a late one due at 23:30 on the same
printed page, whose page image the import left (a sidecar, a PNG), tomorrow's issue (two
articles dated 2026-12-07 06:00) written tonight, and a draft. ``newsroom build --publish`` is run as
``make publish`` runs it, for three moments (``NEWSROOM_NOW``): 22:00 the evening before,
23:00 (nothing fell due: up to date) and 06:00 (due). Before its time, tomorrow's title
and address appear in no file of the site (pages, lists, feeds, sitemap, search index,
catalogue, e-paper, tags, reporters, districts, topics, related articles); the page the
late article is printed on is listed without its image, tiles, ALTO text or IIIF canvas
(they show every article on it); at 06:00 they are everywhere an article goes.
"""

import gzip
import os
import subprocess
import sys
import time

import pytest

from cache_damage import damaged_versions
from sitebuild import ROOT, soup, write_article

TOMORROW = [("市总工会启动冬季送温暖帮扶行动", "dongji-songwennuan-bangfu-xingdong", 1, 1),
            ("朝阳区困难职工收到冬季慰问金", "chaoyang-kunnan-zhigong-weiwenjin", 1, 2)]
TODAY = [("门头沟区职工书屋新添三千册图书", "mentougou-shuwu-xintian", 1, 1),
         ("丰台区职工冬季长跑比赛开跑", "fengtai-zhigong-changpao", 2, 1)]
DRAFT = ("写了一半的稿件", "xie-le-yiban")
LATE = ("西城区职工夜校今晚开课", "xicheng-zhigong-yexiao", 1, 2)  # 2026-12-06 23:30, on today's page 1
EVENING, LATER, DUE = "2026-12-06 22:00", "2026-12-06 23:00", "2026-12-07 06:00"


def article(title, slug, date, page, order, issue, extra=""):
    return (f"Title: {title}\nDate: {date}\nDistrict: 朝阳区\nPage: {page}\nPageName: 要闻\nPageOrder: {order}\n"
            f"Issue: {issue}\nTags: 送温暖\nTopics: relief\nSlug: {slug}\n{extra}\n"
            f"本报讯(记者 林晓)近日，{title}，市总工会和区总工会走访慰问困难职工，送去慰问金和过冬物资。"
            "工会干部详细了解职工家庭的生活情况，帮助解决实际困难。\n")


@pytest.fixture(scope="module")
def paper(tmp_path_factory):
    folder = tmp_path_factory.mktemp("release")
    content = folder / "content"
    for title, slug, page, order in TODAY:
        write_article(content, f"2026/12/{slug}.md", article(title, slug, "2026-12-06 06:00", page, order, 8123))
    for title, slug, page, order in TOMORROW:
        write_article(content, f"2026/12/{slug}.md", article(title, slug, "2026-12-07 06:00", page, order, 8124))
    write_article(content, f"2026/12/{DRAFT[1]}.md",
                  article(DRAFT[0], DRAFT[1], "2026-12-07 06:00", 2, 1, 8124, extra="Status: draft\n"))
    write_article(content, f"2026/12/{LATE[1]}.md", article(LATE[0], LATE[1], "2026-12-06 23:30", 1, 2, 8123))
    page_image(content)
    return content, folder / "output"


def page_image(content):
    """Today's page 1 as the page import leaves it: its image and its sidecar, naming the
    article out this morning and the late one (tests/page_images_fixture.py draws it)."""
    import json

    from page_images_fixture import HEIGHT, WIDTH, draw_page

    folder = content / "epaper" / "2026-12-06"
    folder.mkdir(parents=True)
    regions = [[[60, 160, 1120, 560]], [[60, 760, 1120, 520]]]
    draw_page(regions).save(folder / "01.png")
    names = [f"2026/12/{TODAY[0][1]}.md", f"2026/12/{LATE[1]}.md"]
    lines = [{"text": title, "box": [box[0][0] + 20, box[0][1] + 16, 1000, 28], "confidence": 0.99, "article": index}
             for index, (title, box) in enumerate(zip((TODAY[0][0], LATE[0]), regions))]
    (folder / "01.page.json").write_text(json.dumps({
        "format": "newsroom-page/1", "date": "2026-12-06", "page": 1, "page_name": "要闻", "original": "01.png",
        "image": "01.png", "width": WIDTH, "height": HEIGHT, "dpi": 150, "source_kind": "scan",
        "articles": [{"file": name, "regions": box, "review": []} for name, box in zip(names, regions)],
        "lines": lines}, ensure_ascii=False), encoding="utf-8")


def publish_at(paper, now):
    content, output = paper
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("FASTBUILD_")}, "NEWSROOM_NOW": now}
    return subprocess.run([sys.executable, "-m", "newsroom", "build", "--publish", "--content", str(content),
                           "--output", str(output)], cwd=ROOT, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=600)


def files_mentioning(output, words):
    """``{word: [files of the site holding it]}``; compressed files (the search index) are read
    uncompressed."""
    found = {word: [] for word in words}
    for path in sorted(output.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            try:
                data = gzip.decompress(data)
            except OSError:
                pass
        for word in words:
            if word.encode("utf-8") in data:
                found[word].append(str(path.relative_to(output)))
    return found


@pytest.fixture(scope="module")
def evening(paper):
    result = publish_at(paper, EVENING)
    assert result.returncode == 0, result.stdout + result.stderr
    return result, files_mentioning(paper[1], [t for t, *_ in TOMORROW + TODAY] + [s for _, s, *_ in TOMORROW]
                                    + list(DRAFT) + list(LATE[:2]))


def test_tomorrows_issue_is_nowhere_on_the_site_the_evening_before(paper, evening):
    _, found = evening
    for title, slug, *_ in TOMORROW:
        assert found[title] == [] and found[slug] == [], (title, found[title] + found[slug])
    assert found[DRAFT[0]] == [] and found[DRAFT[1]] == []
    assert found[LATE[0]] == [] and found[LATE[1]] == [], found[LATE[0]] + found[LATE[1]]
    # Its printed page shows it: no page image, tile, ALTO text or IIIF manifest yet.
    page_folder = paper[1] / "epaper" / "2026-12-06" / "01"
    assert not (page_folder / "iiif").exists() and not (page_folder / "alto.xml").exists()
    assert not list(paper[1].glob("epaper/**/*.json")) and not list(paper[1].glob("epaper/**/*.png"))
    # ... while today's articles are there: page, home, feed, sitemap, search, catalogue, e-paper.
    places = found[TODAY[0][0]]
    for expected in ("2026/12/06/mentougou-shuwu-xintian/index.html", "index.html", "feeds/all.atom.xml",
                     "catalogue/catalogue.json", "epaper/2026-12-06/01/index.html"):
        assert expected in places, (expected, places)
    assert any(place.startswith("pagefind/") for place in places), "not in the search index"
    # The e-paper and the date index know only today's issue; no 2026-12-07 page anywhere.
    output = paper[1]
    assert not (output / "2026" / "12" / "07").exists() and not (output / "epaper" / "2026-12-07").exists()
    page = soup(output / "2026" / "12" / "06" / "fengtai-zhigong-changpao" / "index.html")
    assert "送温暖帮扶行动" not in page.get_text()  # no related article, no 下一篇 to it


def test_publish_says_what_waits_and_when_and_which_drafts_stay_behind(evening):
    result, _ = evening
    lines = result.stdout.splitlines()
    start = lines.index("定时发布：3 篇稿件还没到发布时间，这次不发布（到时间才出现在网站上）：")
    assert lines[start + 1].startswith("  2026-12-06 23:30  ") and lines[start + 1].endswith(f"《{LATE[0]}》")
    listed = lines[start + 2:start + 4]
    assert all(line.startswith("  2026-12-07 06:00  ") for line in listed)
    assert sorted(line.rsplit("《", 1)[1] for line in listed) == sorted(f"{title}》" for title, *_ in TOMORROW)
    assert "python -m newsroom schedule" in lines[start + 4]
    assert "草稿：1 篇稿件是草稿（Status: draft），这次不发布：" in lines
    assert any(line.startswith("newsroom build：网站已生成到 ") for line in lines)
    assert "下一步：运行 make deploy" in result.stdout
    assert "Traceback" not in result.stderr and "ERROR" not in result.stderr


def test_nothing_due_is_up_to_date_and_the_due_time_publishes_everywhere(paper, evening):
    later = publish_at(paper, LATER)
    assert later.returncode == 0 and "已是最新" in later.stdout, later.stdout + later.stderr
    assert "定时发布：3 篇稿件还没到发布时间" in later.stdout  # said again, from the record
    due = publish_at(paper, DUE)
    assert due.returncode == 0, due.stdout + due.stderr
    assert "已是最新" not in due.stdout and "定时发布：" not in due.stdout
    output = paper[1]
    found = files_mentioning(output, [TOMORROW[0][0], TOMORROW[0][1], DRAFT[0], LATE[0]])
    # The page the late article is printed on is shown whole now: image, tiles, ALTO, manifest.
    page_folder = output / "epaper" / "2026-12-06" / "01"
    assert (page_folder / "iiif" / "info.json").is_file() and "epaper/2026-12-06/01/alto.xml" in found[LATE[0]]
    assert (output / "epaper" / "2026-12-06" / "manifest.json").is_file()
    assert "sitemap.xml" in found[TOMORROW[0][1]]  # its address
    places = found[TOMORROW[0][0]]
    for expected in ("2026/12/07/dongji-songwennuan-bangfu-xingdong/index.html", "index.html", "feeds/all.atom.xml",
                     "catalogue/catalogue.json", "catalogue/catalogue.csv", "epaper/2026-12-07/01/index.html",
                     "tags/送温暖/index.html", "reporters/linxiao/index.html", "2026/12/07/index.html"):
        assert expected in places, (expected, places)
    assert any(place.startswith("pagefind/") for place in places), "not in the search index"
    assert any(place.startswith("districts/") for place in places) and any(place.startswith("topics/") for place in places)
    assert found[DRAFT[0]] == []  # a draft stays behind, whatever its Date
    # The byline typed with half-width brackets is printed as the paper prints it.
    page = soup(output / "2026" / "12" / "07" / "dongji-songwennuan-bangfu-xingdong" / "index.html")
    assert "本报讯（记者 林晓）" in page.get_text() and "本报讯(记者" not in page.get_text()


@pytest.mark.parametrize("text", [
    "Title: 标题\nDate: 2024-01-02\n\n正文", "Title: 标题\nDate: 2024-01-02\n    08:00\nStatus: draft\n",
    "Title: 标题\nDate: 2024-01-02\nDate: 2025-01-01\n    07:00\n", "Title: 标题\n断开的一行\nStatus: draft\n",
    "  date: 2024-01-02\nSTATUS:   Draft  \n", "Title：标题\nDate: 2024-01-02\n", "\nDate: 2024-01-02\n"])
def test_the_head_is_read_as_the_site_reads_the_metadata(text):
    from newsroom.paper.content import parse_text
    from newsroom.paper.release import metadata_fields

    source = parse_text(text)
    fields = metadata_fields(text.split("\n\n", 1)[0] if not text.startswith("\n") else "")
    assert {key: (source.get(key) or "").strip() for key in ("title", "date", "status")} == \
        {key: fields.get(key, "") for key in ("title", "date", "status")}


def test_a_file_changed_after_the_build_listed_it_is_read_again_by_the_build(tmp_path):
    # newsroom build records what it left out for its Pelican child; a file saved in between
    # (re-dated to tomorrow) must not be published on the strength of the old record.
    from newsroom.paper import release

    content = tmp_path / "content"
    today = write_article(content, "a.md", article("今天的稿件", "a", "2026-12-06 06:00", 1, 1, 1))
    now = release.parse_now(EVENING)
    files = release.article_files(content)
    release.write_held(tmp_path / "held.json", content, files, release.held_back(files, now))
    recorded = release.Recorded(tmp_path / "held.json", content)
    assert recorded.held(str(today)) is False
    today.write_text(today.read_text(encoding="utf-8").replace("2026-12-06 06:00", "2026-12-08 06:00") + "\n",
                     encoding="utf-8")
    assert recorded.held(str(today)) is None  # changed since: its head is read again
    assert str(today) in release.held_back([str(today)], now)


def counted_listing(monkeypatch, content, cache, now):
    """``(listing, read)``: ``listing()`` is newsroom build's release listing of ``content``
    with its heads kept in ``cache``; ``read`` the heads it read from files that time."""
    from newsroom.build import uptodate
    from newsroom.desk.commands import build_cmd
    from newsroom.paper import release

    read = []
    original = release.metadata_fields
    monkeypatch.setattr(release, "metadata_fields", lambda text: read.append(text) or original(text))

    def listing():
        time.sleep(0.01)  # the file-system clock moves on
        release._heads.clear()
        read.clear()
        inputs = uptodate.fingerprint_inputs(uptodate.input_groups(content, []), {})
        return build_cmd.release_listing(content, now, None, inputs, cache)

    return listing, read


def test_newsroom_build_reads_only_the_heads_of_new_and_changed_files(tmp_path, monkeypatch):
    """The release listing of newsroom build takes the heads of files whose bytes its
    fingerprint knows (by their stat) from the last build; a changed file is read again and
    the listing is the one reading every head gives."""
    from newsroom.build import uptodate
    from newsroom.desk.commands import build_cmd
    from newsroom.paper import release

    monkeypatch.setattr(uptodate, "RACY_NS", 0)  # trust stats at once
    content, cache = tmp_path / "content", tmp_path / "cache"
    write_article(content, "2026/12/a.md", article("今天的稿件", "a", "2026-12-06 06:00", 1, 1, 1))
    later = write_article(content, "2026/12/b.md", article("明天的稿件", "b", "2026-12-07 06:00", 1, 2, 2))
    draft = write_article(content, "2026/12/c.md", article("草稿", "c", "2026-12-05 06:00", 1, 3, 1,
                                                            "Status: draft\n"))
    now = release.parse_now(EVENING)
    listing, read = counted_listing(monkeypatch, content, cache, now)

    def plain():
        release._heads.clear()
        return build_cmd.release_listing(content, now)

    first = listing()
    assert len(read) == 3 and first == plain()
    assert "明天的稿件" in first[0] and "草稿" in first[0]
    second = listing()
    assert read == [] and second == first  # every head from the last build
    later.write_text(later.read_text(encoding="utf-8").replace("2026-12-07 06:00", "2026-12-06 07:00"),
                     encoding="utf-8")
    third = listing()
    assert len(read) == 1 and third == plain() and "明天的稿件" not in third[0]
    draft.write_text(draft.read_text(encoding="utf-8").replace("Status: draft\n", ""), encoding="utf-8")
    fourth = listing()
    assert len(read) == 1 and fourth == plain() and "草稿" not in fourth[0]
    assert listing() == fourth and read == []


def test_a_damaged_or_old_release_heads_file_is_none_and_every_head_is_read(tmp_path, monkeypatch):
    """The heads newsroom build keeps for the release listing are framed by their SHA-256
    (newsroom.build.marshal_file): a file with a byte changed, cut short or of the format
    before the digest is none, and every head is read again. Read regardless, one changed
    byte of a date (tomorrow's 07 read as today's 06) published an article a day early."""
    from newsroom.build import uptodate
    from newsroom.desk.commands import build_cmd
    from newsroom.paper import release

    monkeypatch.setattr(uptodate, "RACY_NS", 0)  # trust stats at once
    content, cache = tmp_path / "content", tmp_path / "cache"
    write_article(content, "2026/12/a.md", article("今天的稿件", "a", "2026-12-06 06:00", 1, 1, 1))
    write_article(content, "2026/12/b.md", article("明天的稿件", "b", DUE, 1, 2, 2))
    now = release.parse_now(EVENING)
    listing, read = counted_listing(monkeypatch, content, cache, now)

    first = listing()
    assert "明天的稿件" in first[0] and len(read) == 2
    assert listing() == first and read == []  # the file as written: every head from it
    path = cache / build_cmd.RELEASE_HEADS
    for how, raw in damaged_versions(path.read_bytes(), DUE[:10].encode()).items():
        path.write_bytes(raw)
        assert listing() == first and len(read) == 2, how
    assert listing() == first and read == []  # kept afresh
