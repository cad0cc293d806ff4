"""``newsroom check``: one fixture file per error and warning, asserting file, line and message.

Each fixture under tests/fixtures/check/ is a small original article that is correct
except for one thing; the check must report exactly that one problem, at the line
where the editor has to fix it.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsroom import messages
from newsroom.desk.checks import ERROR, WARNING, check_paths
from newsroom.paper.dates import DateProblem, parse_date
from sitebuild import ROOT, has_chinese, language

FIXTURES = ROOT / "tests" / "fixtures" / "check"


def line_containing(path, text):
    """The 1-based line of ``path`` holding ``text`` (so the expected line is read, not typed)."""
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def problems_of(name):
    problems, files = check_paths([FIXTURES / name])
    assert files == 1
    return problems


# (fixture, text on the offending line or None for line 1, severity, message id, Chinese message part,
#  English message part, English fix part): each problem is asserted in both languages.
# The HTML the sanitizer removes (script_tag.md, iframe.md, …) is tested in test_sanitize.py.
CASES = [
    ("missing_title.md", None, ERROR, "check.missing_title", "缺少标题（Title）", "no Title", "Title: 标题"),
    ("missing_date.md", None, ERROR, "check.missing_date", "缺少日期（Date）", "no Date", "Date: 2024-01-02"),
    ("bad_month.md", "Date:", ERROR, "check.bad_date", "日期（Date）写错了：'2024-13-01' 的月份 13 不存在",
     "'2024-13-01' has month 13, which does not exist", "YYYY-MM-DD"),
    ("chinese_date.md", "Date:", ERROR, "check.bad_date", "'2024年3月12日' 不是信息块的日期写法",
     "'2024年3月12日' is not in the metadata form", "`2024-03-12`"),
    ("unknown_district.md", "District:", ERROR, "check.unknown_district", "所属区（District）'朝杨' 不是北京的区名",
     "unknown District '朝杨'", "did you mean 朝阳区"),
    ("two_districts.md", "District:", ERROR, "check.several_districts", "'门头沟区、房山区' 写了 2 个区",
     "District '门头沟区、房山区' names 2 districts; an article has one", "`District: 门头沟区`"),
    ("authors_disagree.md", "Authors:", ERROR, "check.byline_disagrees", "记者（Authors）马超 与电头 '本报讯（记者 林晓）' 不一致",
     "Authors: 马超 does not match the byline '本报讯（记者 林晓）'", "delete the Authors line"),
    ("byline_unreadable.md", "本报讯（记者）", ERROR, "check.byline_unreadable", "电头读不出来",
     "the byline cannot be read", "本报讯（记者 白莹）"),
    ("unknown_topic.md", "Topics:", ERROR, "content.unknown_topic", "专题（Topics）里的 sports 不存在",
     "unknown topic sports", "relief"),
    ("page_not_integer.md", "Page:", ERROR, "check.page_not_number", "版次（Page）要写从 1 开始的整数，不能写 '三'",
     "Page must be a whole number from 1, not '三'", "Page: 1"),
    ("issue_not_integer.md", "Issue:", ERROR, "check.issue_not_number", "期号（Issue）要写从 1 开始的整数，不能写 '第8123期'",
     "Issue must be a whole number from 1, not '第8123期'", "Issue: 8123"),
    ("gbk.md", None, ERROR, "content.not_utf8_gbk", "不是 UTF-8：文件像是 GBK/GB18030 编码",
     "not UTF-8: the file looks like GBK/GB18030", "save it as UTF-8"),
    ("damaged_utf8.md", "近日", ERROR, "content.damaged_utf8", "第 4 行第 25 列不是 UTF-8：字节 e4 b8 组不成一个字",
     "not UTF-8 at line 4, column 25: the byte(s) e4 b8 do not form a character",
     "delete or retype that character on line 4"),
    ("empty_body.md", "<!--", ERROR, "check.no_text", "稿件没有正文", "the article has no text", "below the metadata block"),
    ("bad_correction.md", "2024-14-03", ERROR, "content.correction_bad_date", "更正的日期：'2024-14-03' 的月份 14 不存在",
     "correction date: '2024-14-03' has month 14", "YYYY-MM-DD"),
    ("bad_status.md", "Status:", ERROR, "check.unknown_status", "状态（Status）'草稿' 不存在", "unknown Status '草稿'",
     "Status: draft"),
    ("bad_slug.md", "Slug:", ERROR, "check.bad_slug", "网址（Slug）'职工书屋' 只能有小写字母、数字和连字符",
     "Slug '职工书屋' may hold only lower-case letters", "Slug: zhigong-shuwu"),
    ("empty_title.md", "Title:", ERROR, "check.empty_title", "标题（Title）是空的", "Title is empty", "Title: 标题"),
    ("bad_modified.md", "Modified:", ERROR, "check.bad_date", "修改日期（Modified）写错了：'2024-3-15' 的月和日要写两位数",
     "Modified: '2024-3-15' needs two digits for month and day", "`2024-03-15`"),
    ("correspondents_disagree.md", "Correspondents:", ERROR, "check.byline_disagrees",
     "通讯员（Correspondents）王磊 与电头 '本报讯（记者 林晓 通讯员 赵晨）' 不一致（电头读出的是：赵晨）",
     "Correspondents: 王磊 does not match the byline '本报讯（记者 林晓 通讯员 赵晨）' (赵晨)", "delete the Correspondents"),
    ("byline_only.md", "本报讯（记者 林晓）", ERROR, "check.no_text", "稿件没有正文", "the article has no text",
     "opening with the byline"),
    ("correction_before_article.md", "Correction:", ERROR, "check.correction_before_release",
     "更正的日期 2024-02-14 早于稿件的发布时间（2024-03-12）",
     "correction dated 2024-02-14, before the article is released (2024-03-12)", "correct the text itself"),
    ("fullwidth_colon.md", "District：", ERROR, "check.fullwidth_colon", "District： 读不出来（用了全角冒号 ：）",
     "the metadata line District： is not read (a full-width colon ：)", "`District: …` with a half-width colon"),
    ("chinese_field_names.md", "标题：", ERROR, "check.chinese_field_name", "标题： 读不出来：字段名要用英文",
     "the metadata line 标题： is not read (field names are written in English)", "write `Title: …` (标题 is `Title`"),
    ("wrapped_metadata.md", "喜迎读书月", ERROR, "check.metadata_ends_early", "第 4 行不是“字段名: 内容”的格式",
     "line 4 is not a `Field: value` line, so the metadata block ends there", "join it to the line above"),
    ("wrapped_last_field.md", "喜迎读书月", WARNING, "check.text_after_metadata", "第 5 行紧接在信息块下面",
     "line 5 follows the metadata without a blank line, so it is the text's first line", "join it to that line"),
    ("field_below_blank.md", "Status:", ERROR, "check.field_below_blank_line", "`Status:` 写在了第 4 行",
     "is below the blank line 4 that ends the metadata block", "move it above line 4"),
    ("repeated_field.md", "Subtitle: 涵盖", ERROR, "check.repeated_field", "副题（Subtitle）写了 2 次（第 3, 4 行）",
     "`Subtitle:` is given 2 times (lines 3, 4)", "keep one line and delete the others"),
    ("unknown_field.md", "Subtitel:", WARNING, "check.unknown_field", "网站不认识字段 `Subtitel:`",
     "unknown field `Subtitel:`: the site does not read it", "did you mean `Subtitle:`?"),
    ("pages/search_slug.md", "Slug:", ERROR, "check.page_address_taken", "/search/ 和网站自带的 search 栏目重名",
     "the page's address /search/ is taken by the site's own search section", "`Slug: search-help`"),
    # a page's Slug with slashes would take an article's address (or '.', the home page's) and stop the build
    ("pages/article_address_slug.md", "Slug:", ERROR, "check.bad_slug", "网址（Slug）'2024/05/14/daxingqu-laomo' 只能有",
     "Slug '2024/05/14/daxingqu-laomo' may hold only lower-case letters", "Slug: 2024-05-14-daxingqu-laomo"),
    ("page_name_markup.md", "PageName:", ERROR, "check.page_name_markup", "版名（PageName）'维权<i>x</i>&' 里有",
     "PageName '维权<i>x</i>&' holds markup characters", "`PageName: 维权x`"),
    ("modified_before_date.md", "Modified:", ERROR, "check.modified_before_date",
     "修改日期（Modified）2023-03-15 早于日期（Date）2024-03-12", "Modified (2023-03-15) is before Date (2024-03-12)",
     "on or after its Date"),
    ("no_slug.md", "Title:", WARNING, "check.no_slug", "没有网址（Slug）", "no Slug: the article's address follows its headline",
     "add `Slug: xichengqu-zhigong-shuwu-xintian-tushu-liu`"),
    ("no_byline.md", "近日，", WARNING, "check.no_byline", "没有署名", "no byline", "本报讯（记者 姓名）"),
    ("long_headline.md", "Title:", WARNING, "check.long_headline", "标题有 43 个字（超过 30 个）",
     "the headline is 43 characters long (more than 30)", "Kicker:"),
    ("generic_keywords.md", "Tags:", WARNING, "check.generic_keywords", "关键词（Tags）工会、职工、活动 全是",
     "Tags: 工会、职工、活动 are all generic words", "欠薪"),
]


@pytest.mark.parametrize("name, marker, severity, code, chinese, english, fix", CASES, ids=[c[0] for c in CASES])
def test_each_problem_is_reported_once_at_its_line_in_both_languages(name, marker, severity, code, chinese, english,
                                                                     fix):
    path = FIXTURES / name
    for lang, message in (("zh", chinese), ("en", english)):
        with language(lang):
            problems = problems_of(name)
        assert len(problems) == 1, "\n".join(map(str, problems))
        problem = problems[0]
        assert problem.path == str(path)
        assert problem.line == (line_containing(path, marker) if marker else 1)
        assert problem.severity == severity
        assert problem.code == code
        assert message in problem.message, lang
        if lang == "en":
            assert fix in problem.fix
        else:
            assert has_chinese(problem.fix), problem.fix


def test_the_editors_guide_explains_every_message():
    guide = (ROOT / "docs" / "editor-guide.zh.md").read_text(encoding="utf-8")
    missing = [code for _, _, _, code, *_ in CASES if f"| `{code}` |" not in guide]
    assert missing == []


@pytest.mark.parametrize("name", ["good.md", "script_in_code.md", "draft.md", "reporter_in_text.md"])
def test_correct_files_pass(name):
    # good.md uses every optional field; script_in_code.md shows <script> as code, which is harmless;
    # reporter_in_text.md opens with the sentence 本报记者近日走访……, which is text, not a broken byline.
    assert problems_of(name) == []


def test_gbk_file_is_named_and_never_half_read():
    problems = problems_of("gbk.md")
    assert [p.message for p in problems] == ["不是 UTF-8：文件像是 GBK/GB18030 编码（旧版 Windows 编辑器的保存方式）"]
    assert "iconv -f GB18030 -t UTF-8 gbk.md" in problems[0].fix


def test_duplicate_urls_are_errors_on_both_files_naming_the_other():
    folder = FIXTURES / "duplicates"
    problems, files = check_paths([folder])
    assert files == 4
    first, second = folder / "first.md", folder / "second.md"
    assert [(p.path, p.code) for p in problems if not p.is_error] == [(str(first), "check.no_slug")]
    problems = [p for p in problems if p.is_error]
    assert [(p.path, p.line, p.severity) for p in problems] == [
        (str(first), line_containing(first, "Title:"), ERROR),  # its slug comes from the headline
        (str(second), line_containing(second, "Slug:"), ERROR),  # its explicit slug is the clash
    ]
    url = "/2024/03/12/chaoyangqu-zhigong-shuwu-xintian-sanqian-ce-tushu/"
    assert problems[0].message == f"网址 {url} 与 {second} 相同"
    assert problems[1].message == f"网址 {url} 与 {first} 相同"
    with language("en"):
        problems, _ = check_paths([folder])
    assert [p.message for p in problems if p.is_error] == [f"the URL {url} is also used by {second}",
                                                          f"the URL {url} is also used by {first}"]
    # other_day.md (same headline, another day) and draft_twin.md (a draft is never written) are fine.


def test_two_files_without_a_headline_are_not_called_duplicates():
    problems, files = check_paths([FIXTURES / "missing_title.md", FIXTURES / "empty_title.md"])
    assert files == 2
    assert [p.code for p in problems] == ["check.empty_title", "check.missing_title"]


@pytest.mark.parametrize("value", ["2024-01-02", "2024-01-02 08:00"])
def test_documented_date_forms_parse(value):
    assert parse_date(value).strftime("%Y-%m-%d") == "2024-01-02"


@pytest.mark.parametrize("value, hint, chinese", [("2024-13-01", "month 13", "月份 13"),
                                                  ("2024年1月2日", "`2024-01-02`", "`2024-01-02`"),
                                                  ("2024-02-30", "not a real date", "不存在"),
                                                  ("2024/1/2", "`2024-01-02`", "`2024-01-02`")])
def test_bad_dates_are_rejected_with_a_hint(value, hint, chinese):
    for lang, expected in (("en", hint), ("zh", chinese)):
        with language(lang), pytest.raises(DateProblem) as caught:
            parse_date(value)
        assert expected in str(caught.value), lang


def test_sample_content_has_no_errors():
    problems, files = check_paths([ROOT / "content"])
    assert files >= 40
    assert [str(p) for p in problems if p.severity == ERROR] == []


def run_check(*arguments, env=None):
    return subprocess.run([sys.executable, "-m", "newsroom", *map(str, arguments)], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8", timeout=120,
                          env={**os.environ, **(env or {})})


def test_cli_prints_file_line_problem_fix_and_exits_1_on_errors():
    path = FIXTURES / "unknown_district.md"
    result = run_check("check", path, FIXTURES / "long_headline.md")  # two headlines: no duplicate URL
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    line = line_containing(path, "District:")
    assert f"{path}:{line}: 错误：所属区（District）'朝杨' 不是北京的区名 — 改法：是不是 朝阳区？" in lines
    assert any(l.startswith(f"{FIXTURES / 'long_headline.md'}:1: 提示：标题有 43 个字") for l in lines)
    assert lines[-1].startswith("newsroom check：检查了 2 个文件，1 个错误，1 个提示")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("how", [["--lang", "en"], "NEWSROOM_LANG", "LANG"])
def test_cli_speaks_english_when_asked(how):
    path = FIXTURES / "unknown_district.md"
    if how == "NEWSROOM_LANG":
        result = run_check("check", path, env={"NEWSROOM_LANG": "en"})
    elif how == "LANG":
        result = run_check("check", path, env={"NEWSROOM_LANG": "", "LC_ALL": "", "LANG": "en_US.UTF-8"})
    else:
        result = run_check(*how, "check", path)
    lines = result.stdout.splitlines()
    line = line_containing(path, "District:")
    assert f"{path}:{line}: error: unknown District '朝杨' — did you mean 朝阳区?" in lines, result.stdout
    assert lines[-1].startswith("newsroom check: 1 file(s) checked, 1 error(s), 0 warning(s)")


def test_cli_exits_0_with_warnings_only():
    result = run_check("check", FIXTURES / "long_headline.md")
    assert result.returncode == 0
    assert "提示：标题有 43 个字（超过 30 个）" in result.stdout
    assert result.stdout.splitlines()[-1] == "newsroom check：检查了 1 个文件，0 个错误，1 个提示"


def test_cli_refuses_a_folder_without_articles(tmp_path):
    (tmp_path / "page.txt").write_text("## 引题\n# 标题\n", encoding="utf-8")
    result = run_check("check", tmp_path)
    assert result.returncode == 2
    assert f"{tmp_path} 里没有 Markdown 稿件（.md）" in result.stderr and "newsroom import" in result.stderr


def test_a_bad_reporters_file_is_reported_by_check(tmp_path):
    (tmp_path / "good.md").write_text((FIXTURES / "good.md").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "reporters.txt").write_text("# pins\n马超 machao\n马潮 Ma_Chao\n", encoding="utf-8")
    problems, files = check_paths([tmp_path])
    assert files == 1
    (problem,) = [p for p in problems if p.is_error]  # good.md alone is an issue without pages 1-2: warnings
    assert (problem.path, problem.line, problem.severity) == (str(tmp_path / "reporters.txt"), 3, ERROR)
    assert problem.code == "content.pin_bad_slug" and "'Ma_Chao' 不能用作网址" in problem.message


def test_a_reporters_file_saved_as_gbk_is_an_error_not_a_traceback(tmp_path):
    (tmp_path / "good.md").write_text((FIXTURES / "good.md").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "reporters.txt").write_bytes("# 注释\n白莹 baiying\n".encode("gbk"))
    problems, _ = check_paths([tmp_path])
    (problem,) = [p for p in problems if p.is_error]
    assert problem.path == str(tmp_path / "reporters.txt") and problem.code == "content.not_utf8_gbk"
    assert "GBK" in problem.message


def test_a_named_pipe_called_md_is_an_error_and_nothing_waits_on_it(tmp_path):
    (tmp_path / "good.md").write_text((FIXTURES / "good.md").read_text(encoding="utf-8"), encoding="utf-8")
    os.mkfifo(tmp_path / "x.md")
    for named in ([tmp_path], [tmp_path / "x.md"]):
        result = run_check("check", *named)
        assert result.returncode == 1, result.stderr
        out = result.stdout + result.stderr
        assert out.count("x.md 不是普通文件") == 1 and "rm " in out


def test_a_page_sidecar_the_build_cannot_use_is_a_warning_of_check(tmp_path):
    import json

    (tmp_path / "good.md").write_text((FIXTURES / "good.md").read_text(encoding="utf-8"), encoding="utf-8")
    sample = ROOT / "content" / "epaper" / "2024-01-02" / "01.page.json"
    data = json.loads(sample.read_text(encoding="utf-8"))
    data["lines"][0]["text"] = "2024年1月2日\u0001星期二"  # an OCR engine's stray control character
    sidecar = tmp_path / "epaper" / "2024-01-02" / "01.page.json"
    sidecar.parent.mkdir(parents=True)
    sidecar.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    problems, _ = check_paths([tmp_path])
    (problem,) = [p for p in problems if p.path == str(sidecar)]
    assert problem.severity == WARNING and "控制字符 U+0001" in problem.message and problem.line > 1


def test_pelican_links_must_name_a_published_file(tmp_path):
    content = tmp_path / "content"
    folder = content / "2024" / "06"
    (content / "images").mkdir(parents=True)
    folder.mkdir(parents=True)
    gif = b"GIF89a" + bytes(20)
    (content / "images" / "ok.gif").write_bytes(gif)
    (folder / "evil.gif").write_bytes(gif)
    (folder / "evil.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (folder / "other.md").write_text((FIXTURES / "long_headline.md").read_text(encoding="utf-8"), encoding="utf-8")
    article = (FIXTURES / "good.md").read_text(encoding="utf-8").rstrip() + (
        "\n\n[一]({static}evil.html) [二]({attach}evil.gif) [三]({static}/images/ok.gif) "
        "[四]({filename}other.md) [五]({static}/images/gone.png) [六]({filename}evil.gif)\n")
    (folder / "links.md").write_text(article, encoding="utf-8")
    problems, _ = check_paths([content])
    found = sorted((p.code, p.message.split(" ")[1]) for p in problems if p.path.endswith("links.md") and p.is_error)
    assert found == [("check.link_missing", "{static}/images/gone.png"), ("check.link_not_article", "{filename}evil.gif"),
                     ("check.link_not_static", "{attach}evil.gif"), ("check.link_not_static", "{static}evil.html")]
    line = article.count("\n", 0, article.index("[一]")) + 1
    assert all(p.line == line for p in problems if p.code.startswith("check.link_"))
    # and the build's guard never copies a linked file from outside content/images/
    from plugins.content_guard.content_guard import published_as_is

    assert published_as_is(str(folder / "evil.gif"), str(content))[0] == "security.static_outside"
    assert published_as_is(str(content / "images" / "ok.gif"), str(content)) is None


def test_a_build_stops_before_pelican_on_a_named_pipe(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "good.md").write_text((FIXTURES / "good.md").read_text(encoding="utf-8"), encoding="utf-8")
    os.mkfifo(content / "x.md")
    result = run_check("build", "--content", content, "--output", tmp_path / "output")
    assert result.returncode == 1 and "不是普通文件" in result.stderr and "网站没有生成" in result.stderr
    assert not (tmp_path / "output").exists()


def test_the_pages_folder_checked_on_its_own_holds_pages(tmp_path, monkeypatch):
    # A page needs no Date and no byline, whether its folder or the content folder is named.
    pages = tmp_path / "content" / "pages"
    pages.mkdir(parents=True)
    (pages / "about.md").write_text("Title: 关于本报\nSlug: about\n\n北京工会日报是……\n", encoding="utf-8")
    from newsroom.desk.check_cache import markdown_files
    from newsroom.desk.checks import content_files

    for folder in (tmp_path / "content", pages, Path(".")):
        monkeypatch.chdir(pages)  # `check .` from inside the pages folder
        problems, count = check_paths([folder])
        assert (count, [str(p) for p in problems]) == (1, [])
        assert [page for _, page in markdown_files(folder)] == [page for _, page in content_files([folder])] == [True]


def test_modified_on_the_day_of_a_timed_date_is_not_before_it(tmp_path):
    body = "\n\n本报讯（记者 林晓）近日，西城区职工书屋新添图书三百册，涵盖文学和技能培训。\n"
    for dates, errors in (("Date: 2024-03-12 08:00\nModified: 2024-03-12", []),
                          ("Date: 2024-03-12\nModified: 2024-03-12 07:00", []),
                          ("Date: 2024-03-12 08:00\nModified: 2024-03-12 07:00",
                           ["修改日期（Modified）2024-03-12 07:00 早于日期（Date）2024-03-12 08:00"]),
                          ("Date: 2024-03-12\nModified: 2024-03-11", ["修改日期（Modified）2024-03-11 早于日期（Date）2024-03-12"])):
        path = tmp_path / "a.md"
        path.write_text(f"Title: 西城区职工书屋新添图书\n{dates}\nSlug: xicheng-shuwu{body}", encoding="utf-8")
        problems, _ = check_paths([path])
        assert [p.message for p in problems] == errors, dates


def test_a_note_right_after_the_fields_is_no_problem_and_hides_no_other(tmp_path):
    # Python-Markdown reads every field above it; the comment starts the (hidden) text.
    path = tmp_path / "note.md"
    path.write_text("Title: 西城区职工书屋新添图书\nDate: 2024-03-12\nSlug: xicheng-shuwu\n<!-- 待核实 -->\n\n"
                    "本报讯（记者 林晓）近日，西城区职工书屋新添图书三百册。<script>x</script>\n", encoding="utf-8")
    problems, _ = check_paths([path])
    assert [p.code for p in problems] == ["security.html_code"]


@pytest.mark.parametrize("value, message", [
    ("门头沟区和房山区", "写了 2 个区"), ("门头沟区 房山区", "写了 2 个区"),
    ("门头沟区/房山区", "写了 2 个区"), ("门头沟、房山区、门头沟区", "写了 2 个区"),
    ("朝阳区，朝阳", "所属区（District）'朝阳区，朝阳' 不是北京的区名 — 改法：是不是 朝阳区？"),
])
def test_a_district_field_naming_several_districts(tmp_path, value, message):
    path = tmp_path / "d.md"
    path.write_text(f"Title: 两区工会联合慰问\nDate: 2024-03-12\nSlug: liangqu\nDistrict: {value}\n\n"
                    "本报讯（记者 林晓）近日，两区工会联合开展慰问。\n", encoding="utf-8")
    problems, _ = check_paths([path])
    assert len(problems) == 1 and message in str(problems[0])


@pytest.mark.parametrize("name, data, damaged", [
    ("five stray bytes in a long article", b"".join("书屋新添图书三百册。".encode() * 20 + b"\xff" for _ in range(5)), True),
    ("one stray byte in ASCII text", b"Title: abc\nDate: 2024-03-12\n\nhello \xb8 world\n", True),
    ("a GBK article", ("Title: 书屋\n\n" + "书屋新添图书三百册。" * 20).encode("gbk"), False),
])
def test_damaged_utf8_is_told_from_another_encoding(tmp_path, name, data, damaged):
    # Converting damaged UTF-8 "from GBK" would garble all of it: only a GBK file gets that advice.
    path = tmp_path / "a.md"
    path.write_bytes(data)
    problems, _ = check_paths([path])
    assert (problems[0].code == "content.damaged_utf8") is damaged, name
    assert ("iconv" in problems[0].fix) is not damaged, name
