"""Corrections (更正): parsing, the notice on the article, its JSON-LD, and /corrections/."""

import json
import logging

import pytest

from newsroom.paper.corrections import Correction, parse_correction
from newsroom.paper.dates import DateProblem
from sitebuild import build_site, soup, write_article, language

BODY = ("本报讯（记者 林晓）近日，{place}总工会为辖区内职工书屋配送新书三千余册，涵盖文学、历史和技能培训等类别。\n\n"
        "区总工会有关负责人介绍，今年将推动职工书屋进园区、进楼宇，方便一线职工就近借阅。\n")


def article(title, date, place, *extra):
    meta = [f"Title: {title}", f"Date: {date}", *extra]
    return "\n".join(meta) + "\n\n" + BODY.format(place=place)


@pytest.mark.parametrize("value, expected", [
    ("2024-01-05 正文第二段中的“12家”应为“10家”。", Correction("2024-01-05", "正文第二段中的“12家”应为“10家”。")),
    ("2024-01-05：标题中的“朝阳”应为“海淀”。", Correction("2024-01-05", "标题中的“朝阳”应为“海淀”。")),
    ("2024-01-05 — 记者姓名有误。", Correction("2024-01-05", "记者姓名有误。")),
])
def test_correction_lines_parse(value, expected):
    assert parse_correction(value) == expected


@pytest.mark.parametrize("value, hint, chinese", [("2024-01-35 正文有误", "not a real date", "不存在"),
                                                  ("2024年1月5日 正文有误", "`2024-01-05`", "`2024-01-05`"),
                                                  ("2024-01-05", "no text", "只有日期，没有内容")])
def test_bad_correction_lines_are_refused(value, hint, chinese):
    for lang, expected in (("en", hint), ("zh", chinese)):
        with language(lang), pytest.raises(DateProblem) as caught:
            parse_correction(value)
        assert expected in str(caught.value), lang


@pytest.fixture(scope="module")
def corrected_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("corrections")
    content = tmp / "content"
    write_article(content, "2024/03/twice.md", article(
        "朝阳区职工书屋新添三千册图书", "2024-03-12", "朝阳区",
        "Correction: 2024-03-14 正文第一段中的“三千余册”应为“两千余册”。",
        "Correction: 2024-03-20 记者姓名有误，已更正。"))
    write_article(content, "2024/03/once.md", article(
        "海淀区职工书屋开展读书月活动", "2024-03-15", "海淀区",
        "Correction: 2024-03-16 标题中的“读书周”应为“读书月”。"))
    write_article(content, "2024/03/never.md", article("西城区职工书屋延长开放时间", "2024-03-18", "西城区"))
    write_article(content, "2024/03/draft.md", article(
        "东城区职工书屋草稿稿件", "2024-03-19", "东城区", "Status: draft",
        "Correction: 2024-03-25 草稿里的更正。"))
    return build_site(tmp, content_dir=content)


def article_page(output, day, slug_start):
    pages = list((output / "2024" / "03" / day).glob(f"{slug_start}*/index.html"))
    assert len(pages) == 1, pages
    return soup(pages[0])


def test_notices_show_at_the_top_of_the_article_newest_first(corrected_site):
    output, log = corrected_site
    assert log.messages(logging.ERROR) == []
    page = article_page(output, "12", "chaoyangqu-")
    header = page.select_one(".story-header")
    notices = header.select(".story-corrections .correction-notice")
    assert [n.time["datetime"] for n in notices] == ["2024-03-20", "2024-03-14"]
    assert notices[0].time.get_text() == "2024年3月20日"
    assert notices[1].select_one(".correction-text").get_text() == "正文第一段中的“三千余册”应为“两千余册”。"
    # Above the headline, so a reader sees it before the story.
    assert header.find(class_="story-corrections").find_next("h1", class_="headline") is not None
    assert article_page(output, "18", "xichengqu-").select(".correction-notice") == []


def test_notices_go_into_the_json_ld(corrected_site):
    output, _ = corrected_site
    page = article_page(output, "12", "chaoyangqu-")
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["correction"] == [
        {"@type": "CorrectionComment", "datePublished": "2024-03-20", "text": "记者姓名有误，已更正。"},
        {"@type": "CorrectionComment", "datePublished": "2024-03-14",
         "text": "正文第一段中的“三千余册”应为“两千余册”。"},
    ]
    never = json.loads(article_page(output, "18", "xichengqu-").find("script", type="application/ld+json").string)
    assert "correction" not in never


def test_corrections_page_lists_corrected_articles_newest_first(corrected_site):
    output, _ = corrected_site
    page = soup(output / "corrections" / "index.html")
    assert page.title.get_text().startswith("更正")
    entries = page.select(".corrections-entry")
    titles = [entry.select_one(".item-title a").get_text() for entry in entries]
    # twice.md's latest correction (03-20) is newer than once.md's (03-16); never.md and the draft are absent.
    assert titles == ["朝阳区职工书屋新添三千册图书", "海淀区职工书屋开展读书月活动"]
    link = entries[1].select_one(".item-title a")["href"]
    assert link.startswith("/2024/03/15/") and (output / link.strip("/") / "index.html").exists()
    assert "草稿" not in page.get_text()


def test_a_bad_correction_date_is_a_build_error_naming_the_file_and_line(tmp_path):
    content = tmp_path / "content"
    path = write_article(content, "2024/03/bad.md", article(
        "朝阳区职工书屋新添三千册图书", "2024-03-12", "朝阳区",
        "Correction: 2024-03-14 第一处更正。", "Correction: 2024-14-03 第二处更正。"))
    _, log = build_site(tmp_path, content_dir=content)
    errors = log.messages(logging.ERROR)
    assert len(errors) == 1
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "2024-14-03" in text)
    assert line == 4  # the second Correction line, not the first
    assert errors[0].startswith(f"{path}:{line}: 更正的日期：'2024-14-03' 的月份 14 不存在 — 改法：")
