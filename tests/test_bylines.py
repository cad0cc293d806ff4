"""Bylines: every form the paper prints gives exactly the names it prints."""

import re
import tomllib
from pathlib import Path

import pytest

from newsroom.paper import analysis
from newsroom.text.bylines import Byline, byline_of, parse_byline, reporter_slug
from newsroom.paper.content import parse_text, read_source
from reference_page import REFERENCE_PAGE, reference_articles

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "districts"
EXPECTED = tomllib.loads((FIXTURES / "expected.toml").read_text(encoding="utf-8"))

FORMS = [
    # (opening paragraph, reporters, correspondents, printed byline)
    ("本报讯（记者 白莹）“天气寒冷，大家辛苦了！”", ["白莹"], [], "本报讯（记者 白莹）"),
    ("本报讯（记者 周美玉 马超）近日，", ["周美玉", "马超"], [], "本报讯（记者 周美玉 马超）"),
    ("本报讯（记者 白莹 通讯员 李明）近日，", ["白莹"], ["李明"], "本报讯（记者 白莹 通讯员 李明）"),
    ("本报讯（记者 白莹 马超 通讯员 李明 张华）近日，", ["白莹", "马超"], ["李明", "张华"],
     "本报讯（记者 白莹 马超 通讯员 李明 张华）"),
    ("本报讯（通讯员 王磊 赵晨）近日，", [], ["王磊", "赵晨"], "本报讯（通讯员 王磊 赵晨）"),
    ("（记者 白莹）近日，", ["白莹"], [], "（记者 白莹）"),
    ("(记者 白莹)近日，", ["白莹"], [], "(记者 白莹)"),
    ("本报记者 白莹", ["白莹"], [], "本报记者 白莹"),
    ("本报记者　周美玉　马超", ["周美玉", "马超"], [], "本报记者　周美玉　马超"),
    ("本报记者 陈思雨 通讯员 罗佳", ["陈思雨"], ["罗佳"], "本报记者 陈思雨 通讯员 罗佳"),
    ("本报讯（特约记者 孙雯）近日，", ["孙雯"], [], "本报讯（特约记者 孙雯）"),
    ("特约记者 孙雯", ["孙雯"], [], "特约记者 孙雯"),
    ("本报讯(记者 白莹 通讯员 李明)近日，", ["白莹"], ["李明"], "本报讯(记者 白莹 通讯员 李明)"),
    ("本报讯　（记者　白莹　通讯员　李明）近日，", ["白莹"], ["李明"], "本报讯　（记者　白莹　通讯员　李明）"),
    ("本报讯（记者白莹）近日，", ["白莹"], [], "本报讯（记者白莹）"),
    ("本报讯（记者 白莹、马超）近日，", ["白莹", "马超"], [], "本报讯（记者 白莹、马超）"),
    ("本报讯（实习记者 贺雨桐）近日，", ["贺雨桐"], [], "本报讯（实习记者 贺雨桐）"),
    ("本报北京1月2日讯（记者 白莹）", ["白莹"], [], "本报北京1月2日讯（记者 白莹）"),
    ("本报讯（记者 欧阳晓峰 摄）", ["欧阳晓峰"], [], "本报讯（记者 欧阳晓峰 摄）"),
    ("本报讯（记者 阿依古丽·买买提）", ["阿依古丽·买买提"], [], "本报讯（记者 阿依古丽·买买提）"),
    # Spaces inside the brackets, a colon after the role, credits glued with a slash.
    ("本报讯（ 记者 秦朗 ）近日，", ["秦朗"], [], "本报讯（ 记者 秦朗 ）"),
    ("本报讯（记者：秦朗 通讯员：苗青）近日，", ["秦朗"], ["苗青"], "本报讯（记者：秦朗 通讯员：苗青）"),
    ("本报讯（记者 秦朗/文 通讯员 苗青/图）近日，", ["秦朗"], ["苗青"], "本报讯（记者 秦朗/文 通讯员 苗青/图）"),
    ("本报讯（记者 秦朗 实习生 冯可欣）近日，", ["秦朗", "冯可欣"], [], "本报讯（记者 秦朗 实习生 冯可欣）"),
    ("本报特约记者　孙雯", ["孙雯"], [], "本报特约记者　孙雯"),
    ("文/本报记者 秦朗", ["秦朗"], [], "文/本报记者 秦朗"),
    ("本报记者　秦朗　宋佳怡　通讯员　苗青　韩旭", ["秦朗", "宋佳怡"], ["苗青", "韩旭"],
     "本报记者　秦朗　宋佳怡　通讯员　苗青　韩旭"),
]


@pytest.mark.parametrize("paragraph, reporters, correspondents, text", FORMS)
def test_every_byline_form(paragraph, reporters, correspondents, text):
    byline = parse_byline(paragraph)
    assert list(byline.reporters) == reporters
    assert list(byline.correspondents) == correspondents
    assert byline.text == text


@pytest.mark.parametrize(
    "paragraph",
    [
        "记者了解到，今年全市新建服务站300个。",  # 记者 opening ordinary text
        "记者从市总工会获悉，活动将持续一个月。",
        "本报记者 白莹 近日，顶着寒风来到门头沟。",  # not a line of its own
        "记者：谢谢您接受采访。",  # an interview's question, not a byline
        "记者：您好",
        "近日，顶着寒风，齐静带队赶赴门头沟区。",
        "（本版图片由区总工会提供）",
        "",
    ],
)
def test_text_that_is_not_a_byline(paragraph):
    byline = parse_byline(paragraph)
    assert byline == Byline() and not byline


def test_byline_of_looks_past_headings_and_images():
    body = "## 小标题\n\n![现场](images/a.jpg)\n\n本报讯（记者 白莹）近日，……"
    assert byline_of(body).reporters == ("白莹",)


def test_byline_printed_at_the_end():
    body = "日前，王府井商圈举办技能大赛。\n\n大赛将评出技术能手。（记者 郑可）"
    assert byline_of(body) == Byline(("郑可",), (), "（记者 郑可）")


def test_no_byline():
    assert byline_of("近日，工会走访企业。\n\n职工们很高兴。") == Byline()


def test_the_byline_stays_in_the_body():
    body = "本报讯（记者 白莹）近日，……"
    byline_of(body)
    assert body.startswith("本报讯（记者 白莹）")


@pytest.mark.parametrize(
    "name, slug",
    [("白莹", "baiying"), ("周美玉", "zhoumeiyu"), ("曾强", "zengqiang"), ("单雪", "shanxue"),
     ("欧阳晓峰", "ouyangxiaofeng"), ("长孙明", "zhangsunming")],
)
def test_reporter_slug(name, slug):
    assert reporter_slug(name) == slug


def test_byline_names_on_fixture_articles():
    assert len(EXPECTED) >= 40
    for name, expected in EXPECTED.items():
        byline = byline_of(read_source(FIXTURES / name).body)
        assert list(byline.reporters) == expected["reporters"], name
        assert list(byline.correspondents) == expected["correspondents"], name


def test_explicit_authors_metadata_wins_in_analyze():
    source = parse_text(
        "Title: 测试\nDate: 2024-01-01\nAuthors: 张三, 李四\n\n本报讯（记者 白莹 通讯员 李明）近日，……", "x.md"
    )
    result = analysis.analyze_source(source)
    assert result["reporters"] == ["张三", "李四"]
    assert result["correspondents"] == ["李明"]


@pytest.mark.skipif(not REFERENCE_PAGE.exists(), reason="the shared reference page is not beside the repo")
def test_reference_page_reporters():
    found = [list(byline_of(body).reporters) for _, body in reference_articles()]
    assert found == [["白莹"], ["宗晓畅"], ["周美玉"], ["余翠平"], ["马超"], ["刘欣欣"]]
    assert all(not byline_of(body).correspondents for _, body in reference_articles())


GUIDE = Path(__file__).resolve().parents[1] / "docs" / "editor-guide.zh.md"


def guide_byline_rows():
    """``(example, reporters, correspondents)`` from the editors' guide's byline table."""
    text = GUIDE.read_text(encoding="utf-8")
    table = text.split("## 三、电头的写法", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in table.splitlines():
        cells = line.split("|")
        if len(cells) < 4 or "`" not in cells[1]:
            continue
        result = re.sub(r"（[^）]*）", "", cells[2]).strip()
        names = {role: [] for role in ("记者", "通讯员")}
        for part in result.split("；"):
            role, _, listed = part.partition("：")
            names[role.strip()] = listed.split("、")
        for example in re.findall(r"`([^`]+)`", cells[1]):
            rows.append((example, names["记者"], names["通讯员"]))
    return rows


def test_every_byline_in_the_editors_guide_reads_as_the_guide_says():
    rows = guide_byline_rows()
    assert len(rows) >= 15
    for example, reporters, correspondents in rows:
        # The guide's …… stands for the story's text.
        byline = byline_of(example.replace("……", "近日，职工们很高兴。"))
        assert (list(byline.reporters), list(byline.correspondents)) == (reporters, correspondents), example
