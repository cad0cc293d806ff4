"""``newsroom new``: a new article file with its metadata, never overwriting, ready to check and preview."""

import re

import pytest

from newsroom.desk.checks import ERROR, WARNING, check_paths
from newsroom.desk.cli import build_parser
from newsroom.paper.content import read_source
from newsroom.text.slugs import slugify_headline
from sitebuild import build_site, soup

TITLE = "门头沟区职工书屋新添三千册图书"
SLUG = slugify_headline(TITLE)


def new(content, *options):
    args = build_parser().parse_args(["new", "--content", str(content), *options])
    return args.func(args)


def test_new_writes_the_metadata_and_prints_path_and_preview_url(tmp_path, capsys):
    status = new(tmp_path, "--title", TITLE, "--kicker", "全民阅读", "--district", "门头沟",
                 "--date", "2024-03-12 09:30", "--page", "3", "--page-name", "基层", "--authors", "白莹，马超")
    out = capsys.readouterr().out
    path = tmp_path / "2024" / "03" / f"{SLUG}.md"
    assert status == 0
    assert path.is_file()
    assert f"已新建 {path}（草稿：写完后删掉 `Status: draft` 这一行才会发布）" in out
    assert f"预览：http://localhost:8000/drafts/{SLUG}/" in out  # a draft's page in the preview
    source = read_source(path)
    assert source.title == TITLE
    assert source.get("kicker") == "全民阅读"
    assert source.get("date") == "2024-03-12 09:30"
    assert source.get("district") == "门头沟区"  # normalised
    assert source.get("page") == "3" and source.get("pagename") == "基层"
    assert source.get("authors") == "白莹, 马超"
    assert source.get("slug") == SLUG  # explicit: editing the headline later keeps the URL
    # The optional fields are there as commented placeholders, outside the metadata block.
    text = path.read_text(encoding="utf-8")
    for field in ("Subtitle:", "Correspondents:", "Tags:", "Topics:", "Correction:"):
        assert re.search(rf"<!--[^>]*{field}", text), field
    # A new article is a draft: never published, its problems never block a publish.
    assert source.get("tags") is None and source.get("status") == "draft"


def test_new_refuses_to_overwrite(tmp_path, capsys):
    assert new(tmp_path, "--title", TITLE, "--date", "2024-03-12") == 0
    path = tmp_path / "2024" / "03" / f"{SLUG}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n编辑已经写的文字。\n", encoding="utf-8")
    before = path.read_bytes()
    assert new(tmp_path, "--title", TITLE, "--date", "2024-03-12", "--kicker", "另一篇") == 1
    assert f"{path} 已经存在，什么都没写" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_new_refuses_a_url_an_imported_article_already_has(tmp_path, capsys):
    # The importer names files by date, page and position: the path differs, the URL does not.
    imported = tmp_path / "2024" / "03" / f"2024-03-12-03-02-{SLUG}.md"
    imported.parent.mkdir(parents=True)
    imported.write_text(f"Title: {TITLE}\nDate: 2024-03-12\nPage: 3\n\n本报讯（记者 白莹）近日……\n", encoding="utf-8")
    assert new(tmp_path, "--title", TITLE, "--date", "2024-03-12") == 1
    err = capsys.readouterr().err
    assert f"{imported} 已经用了网址 /2024/03/12/{SLUG}/，什么都没写" in err
    assert f"--slug {SLUG}-2" in err
    assert sorted(p.name for p in imported.parent.iterdir()) == [imported.name]
    # Another day is another URL.
    assert new(tmp_path, "--title", TITLE, "--date", "2024-03-13") == 0


@pytest.mark.parametrize("options, message", [
    (["--district", "门头钩"], "是不是 门头沟区？"),
    (["--date", "2024年3月12日"], "`2024-03-12`"),
    (["--date", "2024-13-01"], "月份 13"),
    (["--slug", "书屋"], "--slug 只能有小写字母、数字和连字符"),
])
def test_new_refuses_bad_options_and_writes_nothing(tmp_path, capsys, options, message):
    assert new(tmp_path, "--title", TITLE, *options) == 1
    assert message in capsys.readouterr().err
    assert list(tmp_path.rglob("*.md")) == []


def test_a_new_article_is_a_draft_that_blocks_nothing_until_written_then_builds(tmp_path, capsys):
    content = tmp_path / "content"
    assert new(content, "--title", TITLE, "--district", "门头沟", "--date", "2024-03-12", "--authors", "白莹") == 0
    path = content / "2024" / "03" / f"{SLUG}.md"
    problems, _ = check_paths([path])
    assert [p.severity for p in problems] == [WARNING, WARNING]  # a draft's problems never stop a publish
    assert [p.code for p in problems] == ["check.no_text", "check.leftover_note"]
    assert problems[0].message.startswith("（草稿）")
    # The editor finishes it: deletes `Status: draft` ...
    path.write_text(path.read_text(encoding="utf-8").replace("Status: draft\n", ""), encoding="utf-8")
    problems, _ = check_paths([path])
    assert [p.code for p in problems if p.severity == ERROR] == ["check.no_text"]

    # The editor writes the text after the byline the template started.
    text = path.read_text(encoding="utf-8").replace(
        "本报讯（记者 白莹）",
        "本报讯（记者 白莹）近日，门头沟区总工会为辖区内10家职工书屋配送新书三千余册，涵盖文学、历史和技能培训等类别。\n\n"
        "区总工会有关负责人介绍，今年将推动职工书屋进园区、进楼宇，方便一线职工就近借阅。", 1)
    path.write_text(text, encoding="utf-8")
    problems, _ = check_paths([path])
    note_line = next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith("<!--"))
    assert [(p.line, p.severity) for p in problems] == [(note_line, WARNING)]
    assert problems[0].code == "check.leftover_note"

    # ... and deletes the instructions, as the warning says.
    path.write_text(re.sub(r"\n<!--.*?-->\n", "\n", text, flags=re.S), encoding="utf-8")
    problems, _ = check_paths([path])
    assert [str(p) for p in problems] == []

    output, log = build_site(tmp_path, content_dir=content)
    page = soup(output / "2024" / "03" / "12" / SLUG / "index.html")
    assert page.select_one("h1.headline").get_text() == TITLE
    assert "可选字段" not in page.decode()


def test_a_page_given_as_words_is_refused_with_what_to_write(tmp_path):
    import subprocess
    import sys

    from sitebuild import ROOT

    result = subprocess.run([sys.executable, "-m", "newsroom", "new", "--title", "朝阳区职工书屋新添图书",
                             "--page", "第三版", "--content", str(tmp_path)], cwd=ROOT, capture_output=True,
                            text=True, encoding="utf-8", timeout=60)
    assert result.returncode == 2
    assert "选项 --page：'第三版' 不是版次：只写数字，如 --page 3" in result.stderr
    assert "Traceback" not in result.stderr and "usage:" not in result.stderr
    assert not any(tmp_path.rglob("*.md"))


def test_a_value_with_a_line_break_is_refused_before_it_splits_the_metadata(tmp_path):
    # A two-line subtitle pasted from a proof would end the metadata block at its second
    # line and push Date, District and Slug into the text.
    import subprocess
    import sys

    from sitebuild import ROOT

    result = subprocess.run([sys.executable, "-m", "newsroom", "new", "--title", "朝阳区职工书屋新添图书",
                             "--subtitle", "三千册新书\n上架", "--content", str(tmp_path)], cwd=ROOT,
                            capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert result.returncode == 2
    assert "里有换行：信息块的内容只能占一行，请写成一行，如 '三千册新书上架'" in result.stderr
    assert not any(tmp_path.rglob("*.md"))
