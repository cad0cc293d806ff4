"""E-paper: issues, pages (版面), reading order, calendar archive, citations.

Three layers: the pure grouping in ``newsroom.paper.epaper``; a tiny fixture site whose
edge cases (two years, online-only dates, missing PageOrder, a draft) are known; and
the real sample site, whose expectations are derived from the content files.
"""

import calendar
import logging
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from newsroom.paper import epaper
from newsroom.paper.content import read_source
from newsroom.text.slugs import slugify_headline
from sitebuild import ROOT, build_site, soup, write_article

PERMALINK_BASE = "https://news.example.org"


# --- the pure part -------------------------------------------------------------------

def rec(day, page=None, order=None, source="", name="", issue=""):
    return epaper.Record(date=day, page=page, pagename=name, pageorder=order, source=source,
                         issue=issue, item=source)


D1, D2, D3 = date(2024, 1, 2), date(2024, 1, 3), date(2024, 1, 9)


def test_issues_group_by_date_and_order_pages_and_articles():
    records = [
        rec(D1, 2, 1, "b.md", "基层", "8123"),
        rec(D1, 1, 2, "a.md", "要闻", "8123"),
        rec(D1, 1, 1, "z.md", "要闻", "8123"),
        rec(D1, 1, None, "c.md", "要闻", "8123"),  # no PageOrder: after the ordered ones
        rec(D1, 1, 2, "0.md", "要闻", "8123"),  # PageOrder tie: file name decides
        rec(D3, 1, 1, "x.md", "要闻", "8124"),
    ]
    issues, problems = epaper.build_issues(records)
    assert problems == []
    assert [i.date for i in issues] == [D1, D3]
    first = issues[0]
    assert first.number == "8123"
    assert [p.number for p in first.pages] == [1, 2]
    assert [p.label for p in first.pages] == ["第01版 要闻", "第02版 基层"]
    assert first.pages[0].items == ["z.md", "0.md", "a.md", "c.md"]
    assert first.items == ["z.md", "0.md", "a.md", "c.md", "b.md"]
    assert first.previous is None and first.next is issues[1] and issues[1].previous is first
    assert first.url == "epaper/2024-01-02/" and first.pages[1].url == "epaper/2024-01-02/02/"


def test_online_only_articles_are_kept_after_the_printed_pages():
    records = [rec(D1, None, None, "web2.md"), rec(D1, 1, 1, "lead.md", "要闻", "8123"),
               rec(D1, None, None, "web1.md"), rec(D2, None, None, "only-web.md")]
    issues, _ = epaper.build_issues(records)
    first, second = issues
    assert first.online_items == ["web1.md", "web2.md"]
    assert first.items == ["lead.md", "web1.md", "web2.md"]
    assert not second.in_print and second.items == ["only-web.md"]
    assert second.label == "2024年1月3日 网络版"
    assert epaper.latest_print_issue(issues) is first


def test_placements_chain_every_article_of_an_issue_once():
    records = [rec(D1, p, o, f"{p}-{o}.md", "版", "1") for p in (3, 1, 2) for o in (2, 1)]
    records.append(rec(D1, None, None, "web.md"))
    (issue,), _ = epaper.build_issues(records)
    places = epaper.placements(issue)
    assert [p.position for p in places] == list(range(1, len(records) + 1))
    walked, place = [], places[0]
    by_source = {p.record.source: p for p in places}
    while place:
        walked.append(place.record.source)
        place = by_source[place.next.source] if place.next else None
    assert walked == issue.items and len(set(walked)) == len(records)
    assert places[-1].page is None and places[0].page is issue.pages[0]
    assert all(b.previous is a.record for a, b in zip(places, places[1:]))


def test_inconsistent_metadata_is_reported_with_the_file():
    records = [rec(D1, 1, 1, "a.md", "要闻", "8123"), rec(D1, 1, 2, "b.md", "头版", "8123"),
               rec(D1, 2, 1, "c.md", "基层", "8122"), rec(D1, 0, 1, "d.md", "", "8123")]
    issues, problems = epaper.build_issues(records)
    text = [str(p) for p in problems]
    assert any(t.startswith("b.md:") and "版名（PageName）'头版'" in t for t in text)
    assert any(t.startswith("c.md:") and "期号（Issue）'8122'" in t for t in text)
    assert any(t.startswith("d.md:") and "版次（Page）0" in t for t in text)
    assert [p.code for p in problems] == ["content.page_below_one", "content.page_name_differs", "content.issue_differs"]
    assert issues[0].number == "8123" and issues[0].pages[0].name == "要闻"
    assert "d.md" in issues[0].online_items  # reported, not dropped


@pytest.mark.parametrize("year", [2023, 2024])
def test_year_calendar_is_monday_first_and_marks_issue_days(year):
    issues, _ = epaper.build_issues([rec(date(year, 2, 28), 1, 1, "a.md"), rec(date(year, 12, 31), 1, 1, "b.md"),
                                     rec(date(year + 1, 1, 1), 1, 1, "c.md")])
    months = epaper.year_calendar(year, issues)
    assert [m.month for m in months] == list(range(1, 13))
    for month in months:
        days = [d for week in month.weeks for d in week if d]
        assert [d.date.day for d in days] == list(range(1, calendar.monthrange(year, month.month)[1] + 1))
        assert all(len(week) == 7 for week in month.weeks)
        first_week = month.weeks[0]
        assert first_week.index(days[0]) == days[0].date.weekday()  # column 0 is Monday
    linked = [d.date for m in months for w in m.weeks for d in w if d and d.issue]
    assert linked == [date(year, 2, 28), date(year, 12, 31)]
    assert epaper.years(issues) == [(year + 1, 1), (year, 2)]


def test_citation_lines():
    url = f"{PERMALINK_BASE}/2024/01/02/qi-jing/"
    assert epaper.citation("北京工会日报", D1, 1, "齐静赴门头沟慰问职工", url) == (
        f"《北京工会日报》2024年1月2日 第1版：齐静赴门头沟慰问职工。{url}")
    assert epaper.citation("北京工会日报", D1, None, "年底遇欠薪怎么办？", url) == (
        f"《北京工会日报》网络版 2024年1月2日：年底遇欠薪怎么办？{url}")


# --- a fixture site with known edge cases ---------------------------------------------

FIXTURE = {
    "2022/12/front.md": ("迎新年职工长跑在奥森开跑", "2022-12-30", 1, "要闻", 1, "7800", "冬日长跑", "三千名职工参加"),
    "2022/12/second.md": ("区工会开展年终走访", "2022-12-30", 2, "基层", 1, "7800", "", ""),
    "2023/01/a-lead.md": ("新春送温暖活动全面展开", "2023-01-03", 1, "要闻", 1, "7801", "情暖职工", "首批慰问金发放到户"),
    "2023/01/b-second.md": ("职工书屋添新书", "2023-01-03", 1, "要闻", 2, "7801", "", ""),
    "2023/01/c-unordered.md": ("快递小哥的暖心驿站", "2023-01-03", 1, "要闻", None, "7801", "", ""),
    "2023/01/d-page3.md": ("工会律师答疑年终奖", "2023-01-03", 3, "维权", 1, "7801", "", ""),
    "2023/01/e-online.md": ("网上答疑：春节加班工资怎么算", "2023-01-03 20:00", None, "", None, "", "", ""),
    "2023/01/f-webonly.md": ("网络版：冬季安全生产提示", "2023-01-04", None, "", None, "", "", ""),
}


def fixture_text(title, day, page, name, order, issue, kicker, subtitle, status=""):
    lines = [f"Title: {title}", f"Date: {day}"]
    for key, value in (("Kicker", kicker), ("Subtitle", subtitle), ("Page", page), ("PageName", name),
                       ("PageOrder", order), ("Issue", issue), ("Status", status)):
        if value not in (None, ""):
            lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n\n本报讯（记者 王晓明）这是一篇用于检验电子版的测试稿件，内容为原创。\n"


PAPER = "测试职工报"  # EPAPER_PAPER_NAME overrides SITENAME in citations
BANNER = "新春走基层 温暖送万家"  # page 1 of 2023-01-03 carries a banner headline (通栏标题)
BANNERED = {"2023/01/a-lead.md", "2023/01/b-second.md"}


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("epaper")
    content = tmp / "content"
    for name, fields in FIXTURE.items():
        text = fixture_text(*fields)
        if name in BANNERED:
            text = text.replace("\n\n", f"\nBanner: {BANNER}\n\n", 1)
        write_article(content, name, text)
    write_article(content, "2023/01/draft.md",
                  fixture_text("未定稿：不应出现", "2023-01-05", 1, "要闻", 1, "7802", "", "", status="draft"))
    output, log = build_site(tmp, content, settings={"EPAPER_PAPER_NAME": PAPER})
    return output, log


def links(node):
    return [a["href"] for a in node.select("a[href]")]


def test_fixture_issue_pages_and_online_only_dates(fixture_site):
    output, log = fixture_site
    assert log.messages(logging.ERROR) == []
    assert sorted(p.name for p in (output / "epaper").iterdir() if p.is_dir()) == [
        "2022", "2022-12-30", "2023", "2023-01-03", "2023-01-04"]
    issue = soup(output / "epaper/2023-01-03/index.html")
    blocks = issue.select("section.epaper-block")
    assert [b.h2.get_text(strip=True) for b in blocks] == ["第01版 要闻", "第03版 维权", "网络专稿"]
    titles = [a.get_text() for a in issue.select("section.epaper-block .epaper-title a")]
    assert titles == ["新春送温暖活动全面展开", "职工书屋添新书", "快递小哥的暖心驿站", "工会律师答疑年终奖",
                      "网上答疑：春节加班工资怎么算"]
    web_only = soup(output / "epaper/2023-01-04/index.html")
    assert "本日无印刷版" in web_only.select_one(".epaper-sub").get_text()
    assert [a.get_text() for a in web_only.select("#online .epaper-title a")] == ["网络版：冬季安全生产提示"]
    assert not (output / "epaper/2023-01-05").exists()  # the draft's date has no issue


def test_fixture_home_shows_latest_printed_front_page(fixture_site):
    output, _ = fixture_site
    home = soup(output / "index.html")
    lead = home.select_one(".home-lead")
    assert lead.select_one(".kicker").get_text() == "情暖职工"
    assert lead.select_one(".home-lead-title").get_text(strip=True) == "新春送温暖活动全面展开"
    assert lead.select_one(".subtitle").get_text() == "首批慰问金发放到户"
    assert [h.get_text(strip=True) for h in home.select(".home-story-title")] == ["职工书屋添新书", "快递小哥的暖心驿站"]
    assert [h.get_text(strip=True) for h in home.select(".home-page-title")] == ["第03版 维权"]
    assert home.select_one(".home-issue-title a")["href"] == "/epaper/2023-01-03/01/"


def test_fixture_year_navigation_and_article_print_block(fixture_site):
    output, _ = fixture_site
    year = soup(output / "epaper/2022/index.html")
    assert year.select_one(".epaper-years-nav a[rel=next]")["href"] == "/epaper/2023/"
    assert year.select_one(".epaper-years-nav a[rel=prev]") is None
    online = soup(output / "2023/01/03" / slugify_headline("网上答疑：春节加班工资怎么算") / "index.html")
    info = online.select_one(".epaper-info")
    assert info.select_one(".epaper-where .label").get_text() == "网络专稿"
    assert info.select_one("a[rel=prev]").get_text(" ", strip=True).endswith("工会律师答疑年终奖")
    assert info.select_one("a[rel=next]") is None
    assert info.select_one(".citation-text").get_text().startswith(f"《{PAPER}》网络版 2023年1月3日：网上答疑")


def test_fixture_banner_heads_its_page_the_issue_and_the_home_page(fixture_site):
    output, _ = fixture_site
    page_view = soup(output / "epaper/2023-01-03/01/index.html")
    assert page_view.select_one(".epaper-banner").get_text() == BANNER
    assert soup(output / "epaper/2023-01-03/03/index.html").select_one(".epaper-banner") is None
    issue = soup(output / "epaper/2023-01-03/index.html")
    assert issue.select_one("#page-01 .epaper-banner").get_text() == BANNER
    assert issue.select_one("#page-03 .epaper-banner") is None
    assert soup(output / "index.html").select_one(".home-front .epaper-banner").get_text() == BANNER


@pytest.mark.parametrize("bad", ["", "  ", 42])
def test_bad_paper_name_is_reported(bad):
    from plugins.epaper.epaper import paper_name

    with pytest.raises(ValueError, match="EPAPER_PAPER_NAME"):
        paper_name({"EPAPER_PAPER_NAME": bad, "SITENAME": ""})


# --- the sample site -----------------------------------------------------------------

def published_sources():
    paths = sorted(p for p in (ROOT / "content").rglob("*.md") if "pages" not in p.relative_to(ROOT / "content").parts)
    return [s for s in map(read_source, paths) if (s.get("status") or "").lower() != "draft"]


def article_url(source):
    year, month, day = source.get("date")[:10].split("-")
    return f"/{year}/{month}/{day}/{source.get('slug') or slugify_headline(source.title)}/"


def by_date():
    dates = defaultdict(list)
    for source in published_sources():
        dates[date.fromisoformat(source.get("date")[:10])].append(source)
    return dates


def page_at(output, url):
    path = output / url.strip("/") / "index.html"
    assert path.exists(), f"dead link {url}"
    return soup(path)


def test_sample_has_the_structure_the_epaper_needs():
    dates = by_date()
    assert len(dates) >= 7
    assert any(s.get("page") is None for s in published_sources()), "online-only news is part of the sample"
    assert max(int(s.get("page")) for s in published_sources() if s.get("page")) >= 4


def test_every_issue_page_lists_every_article_of_its_date_once(sample_site):
    output, _ = sample_site
    for day, sources in by_date().items():
        page = page_at(output, f"/epaper/{day:%Y-%m-%d}/")
        listed = links(page.select_one("main"))
        article_links = [href for href in listed if not href.startswith("/epaper/")]
        assert sorted(article_links) == sorted(article_url(s) for s in sources), day
        online = [s for s in sources if s.get("page") is None]
        if online:
            assert sorted(links(page.select_one("#online"))) == sorted(article_url(s) for s in online)


def test_page_chain_visits_every_page_in_order(sample_site):
    output, _ = sample_site
    for day, sources in by_date().items():
        numbers = sorted({int(s.get("page")) for s in sources if s.get("page")})
        if not numbers:
            continue
        expected = [f"/epaper/{day:%Y-%m-%d}/{n:02d}/" for n in numbers]
        walked, url = [], expected[0]
        while url:
            page = page_at(output, url)
            walked.append(url)
            names = {s.get("pagename") for s in sources if s.get("page") and int(s.get("page")) == int(url[-3:-1])}
            assert page.h1.get_text(" ", strip=True) == epaper.page_label(int(url[-3:-1]), names.pop())
            pager = page.select_one("nav.epaper-pager")
            prev = pager.select_one("a[rel=prev]")
            assert (prev["href"] if prev else None) == (walked[-2] if len(walked) > 1 else None)
            nxt = pager.select_one("a[rel=next]")
            url = nxt["href"] if nxt else None
            assert len(walked) <= len(expected)
        assert walked == expected
        for url in expected:  # each page lists exactly its own articles
            number = int(url[-3:-1])
            own = [article_url(s) for s in sources if s.get("page") and int(s.get("page")) == number]
            shown = [a["href"] for a in page_at(output, url).select(".epaper-sheet .item-title a")]
            assert sorted(shown) == sorted(own)


def reading_order(sources):
    def key(s):
        order = s.get("pageorder")
        return (s.get("page") is None, int(s.get("page") or 0), order is None, int(order or 0), s.path.relative_to(ROOT / "content").as_posix())
    return [article_url(s) for s in sorted(sources, key=key)]


def test_article_chain_visits_every_article_of_an_issue_in_order(sample_site):
    output, _ = sample_site
    for day, sources in by_date().items():
        expected = reading_order(sources)
        walked, url = [], expected[0]
        while url:
            page = page_at(output, url)
            walked.append(url)
            nav = page.select_one("nav.epaper-sequence")
            if nav is None:
                break
            prev = nav.select_one("a[rel=prev]")
            assert (prev["href"] if prev else None) == (walked[-2] if len(walked) > 1 else None)
            nxt = nav.select_one("a[rel=next]")
            url = nxt["href"] if nxt else None
            assert len(walked) <= len(expected)
        assert walked == expected, day
        # The issue page lists them in the same order.
        issue = page_at(output, f"/epaper/{day:%Y-%m-%d}/")
        assert [a["href"] for a in issue.select(".epaper-block .epaper-title a")] == expected


def test_article_pages_link_their_page_and_give_a_citation(sample_site):
    output, _ = sample_site
    for source in published_sources():
        page = page_at(output, article_url(source))
        info = page.select_one("section.epaper-info")
        day = date.fromisoformat(source.get("date")[:10])
        where = [a["href"] for a in info.select(".epaper-where a")]
        citation = info.select_one("blockquote .citation-text").get_text()
        permalink = PERMALINK_BASE + article_url(source)
        assert citation.endswith(permalink)
        assert source.title in citation
        if source.get("page"):
            number = int(source.get("page"))
            assert where == [f"/epaper/{day:%Y-%m-%d}/", f"/epaper/{day:%Y-%m-%d}/{number:02d}/"]
            assert citation.startswith(f"《北京工会日报》{day.year}年{day.month}月{day.day}日 第{number}版：")
        else:
            assert where == [f"/epaper/{day:%Y-%m-%d}/"]
            assert citation.startswith(f"《北京工会日报》网络版 {day.year}年{day.month}月{day.day}日：")
        for href in where:
            page_at(output, href)


def test_calendar_links_exactly_the_issue_dates(sample_site):
    output, _ = sample_site
    dates = set(by_date())
    years = sorted({d.year for d in dates})
    index = page_at(output, "/epaper/")
    assert sorted(a["href"] for a in index.select(".epaper-year-list a")) == [f"/epaper/{y}/" for y in years]
    assert index.select_one(".epaper-latest-link a")["href"] == f"/epaper/{max(dates):%Y-%m-%d}/"
    linked = set()
    for year in years:
        page = page_at(output, f"/epaper/{year}/")
        tables = page.select("table.epaper-month")
        assert len(tables) == 12
        for number, table in enumerate(tables, start=1):
            assert table.caption.get_text(strip=True).startswith(f"{number}月")
            heads = table.select("thead th[scope=col]")
            assert [th.get_text() for th in heads] == list("一二三四五六日")
            cells = [td.get_text() for td in table.select("tbody td") if td.get_text()]
            assert cells == [str(d) for d in range(1, calendar.monthrange(year, number)[1] + 1)]
        for a in page.select("table.epaper-month a"):
            day = date.fromisoformat(a["href"].split("/")[2])
            assert a.get_text() == str(day.day) and day.year == year
            assert a["aria-label"].startswith(f"{day.year}年{day.month}月{day.day}日")
            issue_numbers = {s.get("issue") for s in by_date()[day] if s.get("issue")}
            if issue_numbers:
                assert a["aria-label"].endswith(f"第{issue_numbers.pop()}期")
            page_at(output, a["href"])
            linked.add(day)
    assert linked == dates


def test_home_page_shows_the_latest_front_page(sample_site):
    output, _ = sample_site
    printed = [s for s in published_sources() if s.get("page")]
    latest = max(date.fromisoformat(s.get("date")[:10]) for s in printed)
    front = [s for s in printed if date.fromisoformat(s.get("date")[:10]) == latest and int(s.get("page")) == 1]
    ordered = reading_order(front)
    home = soup(output / "index.html")
    lead = home.select_one(".home-lead")
    assert lead.select_one(".home-lead-title a")["href"] == ordered[0]
    lead_source = next(s for s in front if article_url(s) == ordered[0])
    if lead_source.get("kicker"):
        assert lead.select_one(".kicker").get_text() == lead_source.get("kicker")
    if lead_source.get("subtitle"):
        assert lead.select_one(".subtitle").get_text() == lead_source.get("subtitle")
    assert [a["href"] for a in home.select(".home-story-title a")] == ordered[1:]
    other_pages = sorted({int(s.get("page")) for s in printed if date.fromisoformat(s.get("date")[:10]) == latest} - {1})
    assert [a["href"] for a in home.select(".home-page-title a")] == [
        f"/epaper/{latest:%Y-%m-%d}/{n:02d}/" for n in other_pages]
    assert home.select(".home-latest .compact-list li")


def test_gbt7714_references():
    url = "https://news.example.org/2024/01/02/x/"
    assert epaper.citation_gbt7714("北京工会日报", D1, 1, "齐静赴门头沟慰问职工", url, ["白莹", "马超"]) == (
        f"白莹, 马超. 齐静赴门头沟慰问职工[N]. 北京工会日报, {D1.isoformat()}(1).")
    assert epaper.citation_gbt7714("北京工会日报", D1, 3, "标题", url, ["甲", "乙", "丙", "丁"]).startswith(
        "甲, 乙, 丙, 等. 标题[N].")
    assert epaper.citation_gbt7714("北京工会日报", D1, None, "年底遇欠薪怎么办？", url, []) == (
        f"年底遇欠薪怎么办？[N/OL]. 北京工会日报, {D1.isoformat()}[引用日期]. {url}")


def test_article_pages_give_a_gbt7714_reference_with_their_reporters(sample_site):
    # Its authors are the byline's people, reporters first: a story by correspondents alone
    # is theirs (four sample articles), and a story without a byline starts with its title.
    output, _ = sample_site
    checked = by_correspondents = 0
    for path in sorted(output.glob("20*/*/*/*/index.html")):
        page = soup(path)
        reference = page.select_one(".citation-gbt-text").get_text()
        title = page.select_one("h1.headline").get_text(strip=True)
        names = [a.get_text(strip=True) for a in page.select(".story-byline a")]
        correspondents = page.select_one(".story-correspondents")
        if correspondents:
            by_correspondents += not names
            names += correspondents.get_text(" ", strip=True).removeprefix("通讯员").split()
        lead = ", ".join(names[:3]) + (", 等" if len(names) > 3 else "") + ". " if names else ""
        assert reference.startswith(lead + title), (path, reference)
        printed = page.select_one(".story-page") is not None
        assert reference.endswith(").") if printed else reference.endswith("/") and "[N/OL]" in reference
        checked += 1
    assert checked == 51 and by_correspondents >= 3


def test_list_items_credit_correspondents_when_no_reporter_wrote_the_story(sample_site):
    output, _ = sample_site
    items = [item for path in output.glob("epaper/*/*/index.html") for item in soup(path).select("article.item")]
    metas = [item.select_one(".item-meta").get_text(" ", strip=True) for item in items]
    assert any("记者" in meta for meta in metas)
    by_correspondents = [meta for meta in metas if "通讯员" in meta]
    assert by_correspondents and not any("记者" in meta for meta in by_correspondents)
