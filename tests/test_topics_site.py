"""Topic pages on a real build: /topics/, a topic page with its SVG charts, an empty
topic, the per-topic feed, badges, and the build error for an unknown topic id."""

import feedparser
import pytest

from newsroom.text.topics import TopicConfigError, UnknownTopic, load_topics
from sitebuild import build_site, soup, write_article

from test_topics import FIXTURES, SPORTS


def fixture_article(name, date, district, topics_line=None):
    """A labelled-set article re-dated and re-placed; ``topics_line`` adds ``Topics:``."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    head, body = text.split("\n\n", 1)
    meta = [line for line in head.split("\n") if not line.startswith(("Date:", "District:"))]
    meta += [f"Date: {date}", f"District: {district}"]
    if topics_line:
        meta.append(f"Topics: {topics_line}")
    return "\n".join(meta) + "\n\n" + body


ARTICLES = {
    "relief-a.md": ("relief_04.md", "2023-09-12", "房山区", None),
    "relief-b.md": ("relief_06.md", "2024-06-20", "通州区", None),
    "relief-c.md": ("relief_02.md", "2025-09-03", "房山区", None),
    "arts-a.md": ("arts_01.md", "2025-04-25", "全市", None),
    "arts-suppressed.md": ("arts_03.md", "2025-08-14", "东城区", "none"),
    "sports-added.md": ("near_arts_01.md", "2024-09-25", "通州区", "arts"),
}


@pytest.fixture(scope="module")
def topic_site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("topics")
    content = tmp_path / "content"
    for target, (name, date, district, topics_line) in ARTICLES.items():
        write_article(content / date[:4], target, fixture_article(name, date, district, topics_line))
    settings = {"TOPICS": load_topics() + [SPORTS], "DEFAULT_PAGINATION": 2}
    output, log = build_site(tmp_path, content, settings=settings)
    return output, log


def article_page(output, date, title_start):
    pages = (output / date[:4] / date[5:7] / date[8:10]).glob("*/index.html")
    matches = [p for p in pages if soup(p).select_one("h1.headline").get_text().startswith(title_start)]
    assert len(matches) == 1
    return soup(matches[0])


def badge_ids(node):
    return [a["data-topic"] for a in node.select("a.topic-badge")]


def test_topics_index_lists_every_topic_with_its_count(topic_site):
    output, log = topic_site
    assert log.messages() == []
    page = soup(output / "topics" / "index.html")
    cards = {a.get_text(): a["href"] for a in page.select(".topic-card h2 a")}
    assert cards == {
        "送温暖·帮扶救助": "/topics/relief/",
        "职工文化艺术节": "/topics/arts/",
        "劳动争议与维权": "/topics/dispute/",
        "职工体育": "/topics/sports/",
    }
    counts = [c.get_text() for c in page.select(".topic-card .count")]
    assert counts == ["3 篇", "2 篇", "0 篇", "1 篇"]


def test_topic_page_lists_newest_first_paginated_with_svg_charts(topic_site):
    output, _ = topic_site
    page = soup(output / "topics" / "relief" / "index.html")
    assert page.select_one(".list-header h1").get_text() == "专题：送温暖·帮扶救助"
    assert "金秋助学" in page.select_one(".list-description").get_text()
    titles = [a.get_text() for a in page.select(".item-title a")]
    assert titles == ["金秋助学金发放到位 126名职工子女圆了大学梦", "身患重病有工会兜底 通州为42名大病职工发放救助金"]
    assert page.find("script", src=True) is None and not page.select("script:not([type])")
    years, districts = page.select("figure.bar-chart svg")
    assert [t.get_text() for t in years.select("g.bar text[text-anchor=end]")] == ["2023年", "2024年", "2025年"]
    assert [t.get_text() for t in districts.select("g.bar text[text-anchor=end]")] == ["房山区", "通州区"]
    district_bars = [int(r["width"]) for r in districts.select("rect")]
    assert district_bars[0] == 2 * district_bars[1] > 0  # 房山 2 articles, 通州 1
    assert "房山区 2 篇" in districts.find("title").get_text()
    second = soup(output / "topics" / "relief" / "page" / "2" / "index.html")
    assert [a.get_text() for a in second.select(".item-title a")] == ["房山区总工会为受灾职工发放帮扶资金"]
    assert page.select_one('a[rel="next"]')["href"] == "/topics/relief/page/2/"


def test_a_topic_without_articles_has_a_page_that_says_so(topic_site):
    output, _ = topic_site
    page = soup(output / "topics" / "dispute" / "index.html")
    assert page.select_one(".list-header h1").get_text() == "专题：劳动争议与维权"
    assert page.select_one("p.empty").get_text() == "本专题暂无报道。"
    assert not page.select(".item") and not page.select("figure.bar-chart")


def test_each_topic_has_an_atom_feed_newest_first(topic_site):
    output, _ = topic_site
    feed = feedparser.parse((output / "feeds" / "topics" / "relief.atom.xml").read_bytes())
    assert not feed.bozo
    assert feed.feed.title == "北京工会日报 - 专题：送温暖·帮扶救助"
    assert [e.title for e in feed.entries] == [
        "金秋助学金发放到位 126名职工子女圆了大学梦",
        "身患重病有工会兜底 通州为42名大病职工发放救助金",
        "房山区总工会为受灾职工发放帮扶资金",
    ]
    empty = feedparser.parse((output / "feeds" / "topics" / "dispute.atom.xml").read_bytes())
    assert not empty.bozo and empty.entries == []
    page = soup(output / "topics" / "relief" / "index.html")
    assert page.find("link", type="application/atom+xml", href="/feeds/topics/relief.atom.xml")


def test_badges_on_article_pages_and_in_lists(topic_site):
    output, _ = topic_site
    relief = article_page(output, "2024-06-20", "身患重病")
    assert badge_ids(relief.select_one(".story-header")) == ["relief"]
    assert relief.select_one(".story-header .topic-badges a")["href"] == "/topics/relief/"
    assert relief.select_one(".story-header .badges-label").get_text() == "专题："
    # `Topics: none` suppresses detection; `Topics: arts` adds to what is detected.
    assert badge_ids(article_page(output, "2025-08-14", "“墨笔生花”")) == []
    assert badge_ids(article_page(output, "2024-09-25", "通州区职工趣味运动会")) == ["sports", "arts"]
    front = soup(output / "index.html")
    items = {i.select_one(".item-title a").get_text(): badge_ids(i) for i in front.select(".item")}
    assert items["金秋助学金发放到位 126名职工子女圆了大学梦"] == ["relief"]
    assert not front.select(".item .badges-label")
    assert items["“墨笔生花”职工书画作品展在劳动文化宫开展"] == []


def test_unknown_topic_id_in_metadata_stops_the_build_naming_the_file(tmp_path):
    content = tmp_path / "content"
    name, date, district, _ = ARTICLES["arts-a.md"]
    write_article(content / "2025", "typo.md", fixture_article(name, date, district, "arts, sport"))
    with pytest.raises(UnknownTopic) as caught:
        build_site(tmp_path, content)
    message = str(caught.value)
    assert "typo.md:4: 专题（Topics）里的 sport 不存在" in message
    assert "relief (送温暖·帮扶救助), arts (职工文化艺术节), dispute (劳动争议与维权)" in message


def test_the_site_and_the_command_line_agree_on_the_sample_content(sample_site):
    from newsroom.paper.analysis import topics_of
    from newsroom.paper.content import read_source
    from sitebuild import ROOT

    output, _ = sample_site
    headers = {}  # headline -> the article page's header
    for page in output.glob("[0-9][0-9][0-9][0-9]/*/*/*/index.html"):
        header = soup(page).select_one("article.story .story-header")
        headers[header.select_one("h1.headline").get_text()] = header
    checked = 0
    for path in sorted((ROOT / "content").rglob("*.md")):
        source = read_source(path)
        if "pages" in path.parts or source.get("status") == "draft":
            continue
        assert badge_ids(headers[source.title]) == topics_of(source), path
        checked += 1
    assert checked >= 40
    index = soup(output / "topics" / "index.html")
    assert len(index.select(".topic-card")) == len(load_topics())



def test_a_bad_topics_setting_stops_the_build_saying_what_is_wrong(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    with pytest.raises(TopicConfigError, match=r"^TOPICS setting: topic 'sports': threshold must be"):
        build_site(tmp_path, content, settings={"TOPICS": [{**SPORTS, "threshold": "high"}]})


def test_topic_ids_kept_by_the_source_digest_only_while_its_stamp_holds(tmp_path):
    """The topics plugin keeps each article's ids by the SHA-256 of its file and, with
    ``newsroom build``'s stamps, does not read a file whose stat is the stamped one. A
    file changed since (another stat) is read and classified again; so is one that no
    stamp names; ids are never taken from another file's entry or by path."""
    import os
    from types import SimpleNamespace

    from newsroom.build import marshal_file
    from newsroom.build.uptodate import _stat_key
    from plugins.topics.topics import ClassifiedCache, article_topic_ids, configured_topics
    from newsroom.build.uptodate import read_content_stamps

    compiled = configured_topics({"TOPICS": load_topics() + [SPORTS]})
    settings = {"CACHE_PATH": str(tmp_path / "cache"), "NEWSROOM_CODE_DIGEST": "code1",
                "TOPICS": load_topics() + [SPORTS], "NEWSROOM_CONTENT_STAMPS": str(tmp_path / "stamps")}
    relief, arts = (fixture_article(*ARTICLES[name]) for name in ("relief-a.md", "arts-a.md"))
    source = tmp_path / "a.md"
    source.write_text(relief, encoding="utf-8")
    article = SimpleNamespace(source_path=str(source))

    def stamp():
        import hashlib

        table = {os.path.abspath(source): [_stat_key(os.stat(source)), hashlib.sha256(source.read_bytes()).hexdigest()]}
        (tmp_path / "stamps").write_bytes(marshal_file.dumps(table))

    def ids(classify=None):
        cache = ClassifiedCache(settings)
        found = article_topic_ids(article, compiled, classify or cache.classify, cache, read_content_stamps(settings.get("NEWSROOM_CONTENT_STAMPS")))
        cache.save()
        return found

    def unused(*_):
        raise AssertionError("classified although its ids were kept")

    stamp()
    assert ids() == ["relief"]
    assert ids(unused) == ["relief"], "kept by the file's digest while its stamp holds"
    old_stamps = (tmp_path / "stamps").read_bytes()
    source.write_text(arts, encoding="utf-8")  # a new stat: the old stamp no longer holds
    assert ids() == ["arts"]
    (tmp_path / "stamps").write_bytes(old_stamps)
    assert ids() == ["arts"]
    source.write_text(arts.replace("Date:", "Topics: sports\nDate:", 1), encoding="utf-8")
    (tmp_path / "stamps").write_bytes(marshal_file.dumps({}))  # no stamp for the file: read
    assert ids() == ["arts", "sports"]
    stamp()
    assert ids(unused) == ["arts", "sports"]
