"""The districts plugin on a real (small) site: index, district pages, feeds, reporters."""

from pathlib import Path

import feedparser
import pytest

from newsroom.paper import charts

from sitebuild import build_site, soup, write_article

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "districts"
# Nine articles: three in 平谷区 (detected from towns), citywide news, a District: given
# as a short form, reporters whose names read alike (马超, 马潮), a correspondent.
CHOSEN = [
    "11-daxingzhuang-town.md", "22-donggaocun-body-only.md", "36-pinggu-body-district.md",
    "05-citywide-campaign.md", "42-chaoyang-metadata.md", "07-chaoyang-helps-fangshan.md",
    "02-tongzhou-short.md", "24-haidian-town-headline.md", "19-mentougou-short.md",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("districts_site")
    content = tmp / "content"
    for name in CHOSEN:
        write_article(content, name, (FIXTURES / name).read_text(encoding="utf-8"))
    write_article(content, "homophone.md", "Title: 门头沟区职工冬季长跑\nDate: 2024-12-01\n\n"
                  "本报讯（记者 马潮）近日，门头沟区总工会举办职工冬季长跑。\n")
    # Authors: given by the editor wins over the byline's names.
    write_article(content, "explicit.md", "Title: 怀柔区职工书画展开幕\nDate: 2024-11-05\nAuthors: 范琳琳\n\n"
                  "本报讯（记者 钟其瑞）近日，怀柔区职工书画展在雁栖湖畔开幕。\n")
    output, log = build_site(tmp, content_dir=content, settings={"DEFAULT_PAGINATION": 2})
    # The one warning: 马超 and 马潮 read alike and reporters.txt does not pin them.
    (warning,) = log.messages()
    assert "记者 马超（/reporters/machao/" in warning and "马潮（/reporters/machao-2/" in warning
    assert "reporters.txt 里固定各人的网址：`马超 machao`、`马潮 machao-2`" in warning
    return output


def test_district_index_lists_counts_and_draws_a_chart(site):
    page = soup(site / "districts" / "index.html")
    cards = {card.h2.a.get_text(): card for card in page.select(".district-card")}
    assert len(cards) == 17  # 16 districts and 全市
    count = lambda name: cards[name].select_one(".count").get_text()
    assert count("平谷区") == "3 篇"
    assert count("全市") == "1 篇"
    assert count("朝阳区") == "2 篇"
    assert count("门头沟区") == "2 篇"
    assert count("延庆区") == "0 篇"
    assert cards["平谷区"].h2.a["href"] == "/districts/pinggu/"
    # Drawn by the shared partials/bar_chart.html (as on topic pages).
    svg = page.select_one(".district-chart figure.bar-chart svg")
    bars = svg.select("g.bar")
    assert len(bars) == 17
    assert "各区报道数量" in svg.title.get_text() and "平谷区 3 篇" in svg.title.get_text()
    # Largest first; the largest bar is the full width, an empty district has none.
    assert bars[0].text.split()[0] == "平谷区"
    widths = {bar.text.split()[0]: int(bar.rect["width"]) for bar in bars}
    assert widths["平谷区"] == charts.BAR_AREA and widths["延庆区"] == 0
    assert 0 < widths["全市"] < widths["朝阳区"] < widths["平谷区"]


def test_district_page_is_paginated_newest_first(site):
    first = soup(site / "districts" / "pinggu" / "index.html")
    assert first.h1.get_text(strip=True) == "平谷区"
    titles = [a.get_text() for a in first.select(".item-title a")]
    assert titles == ["一筐大桃里的“工会账”", "乐器厂里的“工会开放日”"]  # 2024-08-15, 2024-04-02
    second = soup(site / "districts" / "pinggu" / "page" / "2" / "index.html")
    assert [a.get_text() for a in second.select(".item-title a")] == ["大兴庄镇总工会举办果农技能培训"]
    assert first.select_one('link[type="application/atom+xml"][href="/feeds/districts/pinggu.atom.xml"]')
    citywide = soup(site / "districts" / "quanshi" / "index.html")
    assert citywide.h1.get_text(strip=True) == "全市新闻"


def test_district_feed(site):
    feed = feedparser.parse((site / "feeds" / "districts" / "chaoyang.atom.xml").read_bytes())
    assert not feed.bozo
    assert feed.feed.title.endswith("朝阳区")
    assert [entry.title for entry in feed.entries] == ["社区里的“工会驿站”", "朝阳区职工捐赠物资助力房山灾后重建"]
    empty = feedparser.parse((site / "feeds" / "districts" / "yanqing.atom.xml").read_bytes())
    assert not empty.bozo and empty.entries == []


def test_article_links_its_district_and_lists_correspondents(site):
    [path] = [p for p in (site / "2024").glob("*/*/*/index.html") if "“骑手友好”" in p.read_text(encoding="utf-8")]
    page = soup(path)
    district = page.select_one(".story-meta .story-district a")
    assert district.get_text() == "通州区" and district["href"] == "/districts/tongzhou/"
    assert page.select_one(".story-correspondents").get_text(" ", strip=True) == "通讯员 郭嘉怡"
    # The byline stays in the body as printed.
    assert page.select_one(".story-body p").get_text().startswith("本报讯（记者 李明远 通讯员 郭嘉怡）")


def test_reporter_pages_are_at_pinyin_urls(site):
    page = soup(site / "reporters" / "zhoumeiyu" / "index.html")
    assert "周美玉" in page.h1.get_text()
    assert [a.get_text() for a in page.select(".item-title a")] == ["西北旺镇总工会为园区职工办集体婚礼"]
    # 马超 (three articles, first 2024-03-22) and 马潮 (2024-12-01) read alike: two pages.
    machao = soup(site / "reporters" / "machao" / "index.html")
    assert "马超" in machao.h1.get_text()
    assert soup(site / "reporters" / "machao-2" / "index.html").h1.get_text().count("马潮") == 1
    assert (site / "reporters" / "machao" / "page" / "2" / "index.html").exists()  # 4 articles, 2 per page
    article = [p for p in (site / "2024").glob("*/*/*/index.html") if "西北旺镇" in p.read_text(encoding="utf-8")][0]
    links = [a["href"] for a in soup(article).select(".story-byline a")]
    assert links == ["/reporters/zhoumeiyu/", "/reporters/machao/"]


@pytest.mark.parametrize(
    "setting, value, message",
    [("DISTRICT_URL", "districts/", r"DISTRICT_URL = 'districts/' must be a string containing \{slug\}"),
     ("DISTRICT_FEED_ATOM", "feeds/districts.xml", r"DISTRICT_FEED_ATOM .* must contain \{slug\}")],
)
def test_bad_settings_are_reported(setting, value, message):
    from types import SimpleNamespace

    from plugins.districts import districts as plugin

    pelican = SimpleNamespace(settings={setting: value})
    with pytest.raises(plugin.DistrictsSettingError, match=message):
        plugin.set_defaults(pelican)
    # No feeds at all is a valid choice.
    pelican = SimpleNamespace(settings={"DISTRICT_FEED_ATOM": None})
    plugin.set_defaults(pelican)
    assert pelican.settings["PAGINATED_TEMPLATES"] == {"district": None}


def test_explicit_authors_win_over_the_byline(site):
    [path] = [p for p in (site / "2024").glob("*/*/*/index.html") if "职工书画展" in p.read_text(encoding="utf-8")]
    links = [(a.get_text(), a["href"]) for a in soup(path).select(".story-byline a")]
    assert links == [("范琳琳", "/reporters/fanlinlin/")]
    assert (site / "reporters" / "fanlinlin" / "index.html").exists()
    assert not (site / "reporters" / "zhongqirui").exists()


def reporter_article(title, date, reporter):
    return f"Title: {title}\nDate: {date}\n\n本报讯（记者 {reporter}）近日，门头沟区总工会举办职工冬季长跑。\n"


def test_pinned_reporter_addresses_stay_when_an_older_namesake_is_imported(tmp_path):
    content = tmp_path / "content"
    write_article(content, "2024/05/a.md", reporter_article("门头沟区职工冬季长跑开跑", "2024-05-02", "马超"))
    first, log = build_site(tmp_path / "one", content_dir=content)
    assert "马超" in soup(first / "reporters" / "machao" / "index.html").h1.get_text()
    assert log.messages() == []

    # A back issue by 马潮, older than anything by 马超: unpinned, the address would move.
    write_article(content, "2023/02/b.md", reporter_article("门头沟区职工迎春长跑", "2023-02-10", "马潮"))
    moved, log = build_site(tmp_path / "two", content_dir=content)
    assert "马潮" in soup(moved / "reporters" / "machao" / "index.html").h1.get_text()
    assert len(log.messages()) == 1 and "固定各人的网址" in log.messages()[0]

    (content / "reporters.txt").write_text("# published first\n马超 machao\n马潮 machao-2  # back issues\n",
                                           encoding="utf-8")
    pinned, log = build_site(tmp_path / "three", content_dir=content)
    assert log.messages() == []
    assert "马超" in soup(pinned / "reporters" / "machao" / "index.html").h1.get_text()
    assert "马潮" in soup(pinned / "reporters" / "machao-2" / "index.html").h1.get_text()


@pytest.mark.parametrize("registry, problem", [
    ("马超\n", "reporters.txt:1: 读不懂这一行：'马超' — 改法：每行写姓名和网址"),
    ("马超 machao\n马潮 Ma_Chao\n", "reporters.txt:2: 'Ma_Chao' 不能用作网址"),
    ("马超 machao\n马潮 machao\n", "reporters.txt:2: 网址 machao 也固定给了 马超"),
    ("马超 machao\n马超 machao-2\n", "reporters.txt:2: 马超 固定了两次"),
])
def test_a_bad_reporters_file_is_an_error_naming_its_line(tmp_path, registry, problem):
    content = tmp_path / "content"
    write_article(content, "2024/05/a.md", reporter_article("门头沟区职工冬季长跑开跑", "2024-05-02", "马超"))
    (content / "reporters.txt").write_text(registry, encoding="utf-8")
    _, log = build_site(tmp_path, content_dir=content)
    import logging

    assert any(problem in message for message in log.messages(logging.ERROR)), log.messages()
