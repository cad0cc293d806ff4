"""The checks a daily needs: an issue as a whole, drafts that never block, dates against the clock.

Each test writes a small issue of original articles into a temp folder and checks it the
way ``python -m newsroom check content`` does (a folder: its issues are whole).
"""

import os
import subprocess
import sys

import pytest

from newsroom.desk.checks import ERROR, WARNING, check_paths
from newsroom.paper.release import parse_now
from sitebuild import ROOT, has_chinese, language, write_article

NOW = parse_now("2026-12-06 18:00")


def article(title, date="2026-12-07 06:00", page=None, order=None, issue=None, slug=None, extra="",
            body="近日，门头沟区总工会为辖区内职工书屋配送新书三千余册，涵盖文学和技能培训。"):
    fields = [f"Title: {title}", f"Date: {date}"]
    fields += [f"Page: {page}", "PageName: 要闻"] if page else []
    fields += [f"PageOrder: {order}"] if order else []
    fields += [f"Issue: {issue}"] if issue else []
    fields += [f"Slug: {slug}"] if slug else []
    fields += [extra] if extra else []
    return "\n".join(fields) + f"\n\n本报讯（记者 白莹）{body}\n"


def check(folder, now=NOW):
    problems, _ = check_paths([folder]) if now is None else _check_at(folder, now)
    return problems


def _check_at(folder, now):
    from newsroom.desk.checks import check_files

    problems, files, _ = check_files([folder], now=now)
    return problems, files


def codes(problems):
    return sorted((p.code, p.severity) for p in problems)


def test_the_same_headline_twice_in_one_issue_is_an_error_naming_both_files(tmp_path):
    first = write_article(tmp_path, "2026/12/a.md", article("门头沟区职工书屋新添图书", page=1, order=1, slug="shuwu-a"))
    second = write_article(tmp_path, "2026/12/b.md", article("门头沟区职工书屋新添图书", page=1, order=2, slug="shuwu-b"))
    write_article(tmp_path, "2026/12/c.md", article("门头沟区职工书屋新添图书", date="2026-12-08", page=1, order=1,
                                                    slug="shuwu-c"))  # another issue: no clash
    problems = [p for p in check(tmp_path) if p.code == "check.duplicate_headline"]
    assert [(p.path, p.line, p.severity) for p in problems] == [(str(first), 1, ERROR), (str(second), 1, ERROR)]
    assert str(second) in problems[0].message and str(first) in problems[1].message
    assert "同一期（2026-12-07）里有两篇标题都是《门头沟区职工书屋新添图书》的稿件" in problems[0].message
    with language("en"):
        english = [p for p in check(tmp_path) if p.code == "check.duplicate_headline"]
    assert english[0].message.startswith("the headline 门头沟区职工书屋新添图书 is used twice in the issue of 2026-12-07")


def test_a_headline_that_also_shares_the_address_is_reported_once(tmp_path):
    write_article(tmp_path, "2026/12/a.md", article("门头沟区职工书屋新添图书", page=1, order=1))
    write_article(tmp_path, "2026/12/b.md", article("门头沟区职工书屋新添图书", page=1, order=2))
    found = [p.code for p in check(tmp_path) if p.is_error]
    assert found == ["check.duplicate_url", "check.duplicate_url"]


def test_an_issue_with_a_missing_page_a_page_without_its_lead_and_disagreeing_numbers(tmp_path):
    write_article(tmp_path, "2026/12/a.md", article("市总工会启动冬季送温暖活动", page=1, order=1, issue=8124, slug="a"))
    no_lead = write_article(tmp_path, "2026/12/b.md", article("朝阳区职工书屋新添图书", page=2, order=2, issue=8124,
                                                              slug="b"))
    odd = write_article(tmp_path, "2026/12/c.md", article("丰台区举办职工篮球赛", page=4, order=1, issue=8123, slug="c"))
    problems = [p for p in check(tmp_path) if not p.code.startswith(("check.no_", "check.date_"))]
    assert codes(problems) == [("check.issue_page_empty", WARNING), ("check.page_without_lead", WARNING),
                               ("content.issue_differs", WARNING)]
    by_code = {p.code: p for p in problems}
    gap = by_code["check.issue_page_empty"]
    assert (gap.path, gap.message) == (str(odd), "2026-12-07 这一期第 3 版没有稿件（本期有第 1、2、4 版）")
    lead = by_code["check.page_without_lead"]
    assert lead.path == str(no_lead) and "《朝阳区职工书屋新添图书》当作头条" in lead.message
    number = by_code["content.issue_differs"]
    assert number.path == str(odd) and number.line == 6  # its Issue: line
    # Two leads on one page are said at each of them.
    write_article(tmp_path, "2026/12/d.md", article("房山区职工冬季长跑开跑", page=1, order=1, issue=8124, slug="d"))
    assert sum(p.code == "check.page_two_leads" for p in check(tmp_path)) == 2


def test_one_file_checked_on_its_own_is_not_an_issue_missing_its_pages(tmp_path):
    path = write_article(tmp_path, "2026/12/b.md", article("朝阳区职工书屋新添图书", page=3, order=2, slug="b"))
    problems, _ = _check_at(path, NOW)
    assert [p.code for p in problems] == []


def test_the_issue_summary_names_pages_articles_and_leads(tmp_path):
    write_article(tmp_path, "2026/12/a.md", article("市总工会启动冬季送温暖活动", page=1, order=1, issue=8124, slug="a"))
    write_article(tmp_path, "2026/12/b.md", article("朝阳区职工书屋新添图书", page=1, order=2, issue=8124, slug="b"))
    write_article(tmp_path, "2026/12/c.md", article("丰台区举办职工篮球赛", page=2, order=1, issue=8124, slug="c"))
    write_article(tmp_path, "2026/12/d.md", article("网络专稿：职工健身指南", slug="d"))
    write_article(tmp_path, "2024/01/e.md", article("旧稿", date="2024-01-02", page=1, order=1, slug="e"))
    env = {**os.environ, "NEWSROOM_NOW": "2026-12-06 18:00"}
    result = subprocess.run([sys.executable, "-m", "newsroom", "check", str(tmp_path)], cwd=ROOT, env=env,
                            capture_output=True, text=True, encoding="utf-8", timeout=120)
    lines = result.stdout.splitlines()
    start = lines.index("2026-12-07 第8124期：2 个版，4 篇稿件，定时发布（2026-12-07 06:00 起）")
    assert lines[start + 1:start + 4] == ["  第01版 要闻：2 篇，头条《市总工会启动冬季送温暖活动》",
                                          "  第02版 要闻：1 篇，头条《丰台区举办职工篮球赛》",
                                          "  网络专稿：1 篇"]
    assert not any(line.startswith("2024-01-02") for line in lines)  # a past issue: only when asked
    asked = subprocess.run([sys.executable, "-m", "newsroom", "--lang", "en", "check", "--issue", "2024-01-02",
                            str(tmp_path)], cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8")
    assert "2024-01-02 (no issue number): 1 page(s), 1 article(s)" in asked.stdout.splitlines()


def test_a_drafts_problems_are_warnings_and_never_block(tmp_path):
    draft = write_article(tmp_path, "2026/12/draft.md", "Title: 写了一半的稿件\nDate: 2026-12-07\nStatus: draft\n"
                                                         "Page: 三\n\n本报讯（记者 ）\n")
    problems = check(tmp_path)
    assert {p.severity for p in problems} == {WARNING}
    assert {"check.byline_unreadable", "check.page_not_number"} <= {p.code for p in problems}
    assert all(p.path == str(draft) and p.message.startswith("（草稿）") for p in problems)
    # Without `Status: draft` the same problems are errors.
    draft.write_text(draft.read_text(encoding="utf-8").replace("Status: draft\n", ""), encoding="utf-8")
    assert {p.severity for p in check(tmp_path) if p.code in ("check.byline_unreadable", "check.page_not_number")} \
        == {ERROR}


def test_a_status_line_lost_below_a_broken_line_is_no_draft(tmp_path):
    # Python-Markdown stops reading at the broken line: the article would be published.
    write_article(tmp_path, "2026/12/x.md", "Title: 写了一半的稿件\nDate: 2026-12-07\n断开的一行\nStatus: draft\n\n正文\n")
    assert [(p.code, p.severity) for p in check(tmp_path)] == [("check.metadata_ends_early", ERROR)]


@pytest.mark.parametrize("date, code", [("2026-12-07 06:00", None), ("2026-12-09 18:00", None),
                                        ("2026-12-09 18:01", "check.date_far_ahead"),
                                        ("2027-12-07", "check.date_far_ahead"),
                                        ("1948-05-01", "check.date_before_paper"), ("1999-05-01", None)])
def test_dates_far_ahead_or_before_the_paper_are_warnings(tmp_path, date, code):
    write_article(tmp_path, "x/a.md", article("门头沟区职工书屋新添图书", date=date, slug="a"))
    found = [p for p in check(tmp_path) if p.code.startswith("check.date_")]
    assert [p.code for p in found] == ([code] if code else [])
    if code:
        assert found[0].severity == WARNING and found[0].line == 2 and has_chinese(found[0].message)


def test_a_correction_before_the_release_gets_the_right_advice(tmp_path):
    # Prepared the evening before, corrected the same evening: the text itself is corrected.
    write_article(tmp_path, "2026/12/a.md", article("门头沟区职工书屋新添图书", slug="a",
                                                    extra="Correction: 2026-12-06 标题有误。"))
    (problem,) = [p for p in check(tmp_path) if p.is_error]
    assert problem.code == "check.correction_before_release"
    assert "稿件还没发布，不需要更正" in problem.message and "直接改正文" in problem.fix
    assert "2026-12-07" in problem.fix  # the first day a correction may carry
    # On the release day, or later, a correction is what it should be.
    for day in ("2026-12-07", "2026-12-09"):
        write_article(tmp_path, "2026/12/a.md", article("门头沟区职工书屋新添图书", slug="a",
                                                        extra=f"Correction: {day} 标题有误。"))
        assert [p for p in check(tmp_path) if p.is_error] == []
