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


# Other newsrooms and wires (issue 24): their leads, an outlet's credit inside the brackets
# or on the line, photo credits that name no reporter.
OTHER_NEWSROOMS = [
    ("千龙网讯（记者 韩冬）近日，", ["韩冬"], []),
    ("京工网讯（通讯员 苗青）近日，", [], ["苗青"]),
    ("北京日报讯（记者 秦朗 通讯员 苗青）近日，", ["秦朗"], ["苗青"]),
    ("本网讯（记者 秦朗 实习生 冯可欣）近日，", ["秦朗", "冯可欣"], []),
    ("新华社北京5月3日电（记者 秦朗、宋佳怡）3日，", ["秦朗", "宋佳怡"], []),
    ("新华社北京5月3日电（记者秦朗）3日，", ["秦朗"], []),
    ("中新网北京5月3日电 （记者 秦朗）3日，", ["秦朗"], []),
    ("央广网北京5月3日消息（记者 秦朗）3日，", ["秦朗"], []),
    ("本报讯（北京日报记者 秦朗 通讯员 苗青）近日，", ["秦朗"], ["苗青"]),
    ("本报讯（工人日报-中工网记者 秦朗）近日，", ["秦朗"], []),
    ("本报讯（首席记者 秦朗 见习记者 宋佳怡）近日，", ["秦朗", "宋佳怡"], []),
    ("本报讯（通讯员 苗青 记者 秦朗）近日，", ["秦朗"], ["苗青"]),
    ("本报讯（记者 秦朗 宋佳怡 韩冬）近日，", ["秦朗", "宋佳怡", "韩冬"], []),
    ("本报讯（记者 秦朗 摄影 苗青）近日，", ["秦朗"], []),
    ("北京日报客户端｜记者 秦朗", ["秦朗"], []),
    ("北京青年报记者 秦朗", ["秦朗"], []),
    ("法治日报全媒体记者 秦朗 通讯员 苗青", ["秦朗"], ["苗青"]),
    ("工人日报-中工网记者 秦朗 通讯员 苗青", ["秦朗"], ["苗青"]),
    ("■本报记者 秦朗", ["秦朗"], []),
    ("文/本报记者 秦朗 图/本报记者 苗青", ["秦朗"], []),
    # No name: a lead without brackets, a photo caption's credit, a sentence.
    ("本网讯 近日，东城区总工会启动读书月。", [], []),
    ("人民网北京11月24日电 北京市劳动模范表彰大会24日举行。", [], []),
    ("本报记者 秦朗 摄", [], []),
    ("新华社记者 秦朗 摄", [], []),
    ("记者昨天从市人力社保局获悉，本市启动专项行动。", [], []),
]


# Forms without brackets (session 7): the names end at a space, and each opens with a
# common surname (bylines.toml [names]); WeChat credits; bullets.
UNBRACKETED = [
    ("本报记者 白莹 近日，顶着寒风来到门头沟。", ["白莹"], [], "本报记者 白莹"),
    ("千龙网讯 记者 韩冬 2月19日，招聘会举行。", ["韩冬"], [], "千龙网讯 记者 韩冬"),
    ("本报讯 记者陈曦 通讯员王爽 3月17日，", ["陈曦"], ["王爽"], "本报讯 记者陈曦 通讯员王爽"),
    ("本报讯 记者 秦朗、宋佳怡 3日，", ["秦朗", "宋佳怡"], [], "本报讯 记者 秦朗、宋佳怡"),
    ("记者 余翠平 报道 4月22日，书屋开放。", ["余翠平"], [], "记者 余翠平 报道"),
    ("新华社北京5月3日电 记者欧阳晓峰 3日，", ["欧阳晓峰"], [], "新华社北京5月3日电 记者欧阳晓峰"),
    ("文/图 本报记者 马超", ["马超"], [], "文/图 本报记者 马超"),
    ("文｜记者 李博 图｜记者 王晨", ["李博"], [], "文｜记者 李博 图｜记者 王晨"),
    ("□本报记者 余翠平", ["余翠平"], [], "□本报记者 余翠平"),
    ("本报首席记者 宗晓畅 报道", ["宗晓畅"], [], "本报首席记者 宗晓畅 报道"),
    ("记者：刘冕", ["刘冕"], [], "记者：刘冕"),
    ("通讯员：张立新 孙艳", [], ["张立新", "孙艳"], "通讯员：张立新 孙艳"),
]


@pytest.mark.parametrize("paragraph, reporters, correspondents, text", UNBRACKETED)
def test_bylines_without_brackets(paragraph, reporters, correspondents, text):
    byline = parse_byline(paragraph)
    assert (list(byline.reporters), list(byline.correspondents), byline.text) == (reporters, correspondents, text)


@pytest.mark.parametrize(
    "body, reporters, correspondents",
    [
        ("工会举办培训。\n\n学员获得证书。（吴文辉）", ["吴文辉"], []),
        ("工会走访职工。\n\n慰问全覆盖。（李建华 张萌）\n\n来源：怀柔区总工会", ["李建华", "张萌"], []),
        ("工会送清凉。\n\n通讯员：张立新 孙艳\n\n编辑：刘洋", [], ["张立新", "孙艳"]),
        ("展览将持续至10月底。\n\n本报记者 陈曦", ["陈曦"], []),
        # Not names: a serial's marks, a place, a photo credit.
        ("工会举办培训。\n\n学员获得证书。（完）", [], []),
        ("工会举办培训。\n\n学员获得证书。（待续）", [], []),
        ("商户员工入会。\n\n活动在王府井举行。（王府井）", [], []),
        ("工会举办培训。\n\n学员们合影。（王冬梅 摄）", [], []),
    ],
)
def test_bylines_closing_the_text(body, reporters, correspondents):
    byline = byline_of(body)
    assert (list(byline.reporters), list(byline.correspondents)) == (reporters, correspondents)


# Session 8 (from set 3's misses, development since): credit lines naming the writer's
# organisation before the name, a bare name in a wire's brackets, credits closing the text.
CREDIT_LINES = [
    ("文｜丰台区总工会 王晓宇　图｜丰台区总工会 李航", ["王晓宇"], [], "文｜丰台区总工会 王晓宇　图｜丰台区总工会 李航"),
    ("文/海淀区总工会 宁静", ["宁静"], [], "文/海淀区总工会 宁静"),
    ("文/朝阳区总工会宣传部 刘畅", ["刘畅"], [], "文/朝阳区总工会宣传部 刘畅"),
    ("文、图/石景山区总工会 孙静", ["孙静"], [], "文、图/石景山区总工会 孙静"),
    ("文/张三 图/李四", ["张三"], [], "文/张三 图/李四"),
    ("文 / 王强　摄影 / 李航", ["王强"], [], "文 / 王强　摄影 / 李航"),
    ("文｜张三 李四", ["张三", "李四"], [], "文｜张三 李四"),
    ("撰文：张明", ["张明"], [], "撰文：张明"),
    ("文/本报通讯员 李想", [], ["李想"], "文/本报通讯员 李想"),
    ("新华网北京10月14日电（刘娟）在怀柔区的中国影都", ["刘娟"], [], "新华网北京10月14日电（刘娟）"),
    ("中新网北京3月4日电（杜燕 孙宏）北京市", ["杜燕", "孙宏"], [], "中新网北京3月4日电（杜燕 孙宏）"),
    ("本报讯（记者 张三/文 李四/摄）近日", ["张三"], [], "本报讯（记者 张三/文 李四/摄）"),
    # Labelled credits on one line; a writer's unit in brackets; credits after the name.
    ("记者：张三 通讯员：李四", ["张三"], ["李四"], "记者：张三 通讯员：李四"),
    ("来源：北京日报客户端 记者：孙颖", ["孙颖"], [], "来源：北京日报客户端 记者：孙颖"),
    ("作者：张明（单位：北京市总工会）", ["张明"], [], "作者：张明"),
    ("北京青年报记者 张鑫 文并摄", ["张鑫"], [], "北京青年报记者 张鑫 文并摄"),
]


@pytest.mark.parametrize("paragraph, reporters, correspondents, text", CREDIT_LINES)
def test_credit_lines_and_bare_names_after_a_lead(paragraph, reporters, correspondents, text):
    byline = parse_byline(paragraph)
    assert (list(byline.reporters), list(byline.correspondents), byline.text) == (reporters, correspondents, text)


@pytest.mark.parametrize(
    "paragraph",
    [
        "图｜丰台区总工会 李航",  # a photo credit alone
        "图：职工在比赛现场",  # a caption
        "文：工会组织职工参观",  # text after the mark, no name
        "文/海淀区总工会",  # an organisation and nobody
        "新华网北京10月14日电（王府井）",  # a place in the brackets, not a name
        "本网讯（完）",
        "文字：区总工会宣传部",  # a unit and nobody (文字：李丽 names the writer since session 10)
        "记者：为什么选择这一行？ 张师傅：因为喜欢。",  # an interview
        "时间：5月1日 地点：劳动人民文化宫",  # labels that credit nobody
        "来源：北京日报 编辑：王五",  # credit lines only
    ],
)
def test_credit_like_lines_that_name_no_writer(paragraph):
    assert not parse_byline(paragraph)


@pytest.mark.parametrize(
    "body, reporters, correspondents",
    [
        ("工会走访企业。\n\n职工们很高兴。\n\n文/张三\n\n编辑：李四", ["张三"], []),
        ("工会走访企业。\n\n职工们很高兴。（文/张三）", ["张三"], []),
        ("工会走访企业。\n\n职工们很高兴。\n\n（文/朝阳区总工会 刘畅）", ["刘畅"], []),
        ("工会走访企业。\n\n职工们很高兴。\n\n文｜东城区总工会 王敏\n\n编辑｜李想\n\n审核｜赵四", ["王敏"], []),
        ("工会走访企业。\n\n职工们很高兴。\n\n作者：张明", ["张明"], []),
        ("工会走访企业。\n\n职工们很高兴。\n\n（图/张明）", [], []),
        # session 15 (set 16's one miss, development since): the writer's unit before a name
        # credited with 文 and a photographer credited with 图, closing the text
        ("工会走访企业。\n\n职工们很高兴。\n\n（集团工会 吕晓晴/文 秦川/图）", ["吕晓晴"], []),
        ("工会走访企业。\n\n职工们很高兴。（公司工会 何思远/文）", ["何思远"], []),
        ("工会走访企业。\n\n职工们很高兴。（区总工会 文/何思远 图/秦川）", ["何思远"], []),
        # near misses: the unit and the pictures' credit only, a unit's sentence in brackets
        ("工会走访企业。\n\n职工们很高兴。\n\n（集团工会 秦川/图）", [], []),
        ("工会走访企业。\n\n职工们很高兴。（集团工会 将于明年继续举办）", [], []),
        # a department or a plain word after the unit is no name (a review's inputs)
        ("工会走访企业。\n\n职工们很高兴。（市总工会 宣传部/文）", [], []),
        ("工会走访企业。\n\n职工们很高兴。（市总工会 全体职工/文）", [], []),
        ("工会走访企业。\n\n职工们很高兴。（集团工会 安全 文）", [], []),
        ("工会走访企业。\n\n职工们很高兴。（区总工会 文/区总工会）", [], []),
    ],
)
def test_credit_lines_closing_the_text(body, reporters, correspondents):
    byline = byline_of(body)
    assert (list(byline.reporters), list(byline.correspondents)) == (reporters, correspondents)


@pytest.mark.parametrize("paragraph, reporters, correspondents", OTHER_NEWSROOMS)
def test_other_newsrooms_bylines(paragraph, reporters, correspondents):
    byline = parse_byline(paragraph)
    assert (list(byline.reporters), list(byline.correspondents)) == (reporters, correspondents)


@pytest.mark.parametrize(
    "body, reporters, correspondents",
    [
        ("工会走访企业。\n\n职工们很高兴。\n\n（记者 秦朗 通讯员 苗青）", ["秦朗"], ["苗青"]),
        ("工会走访企业。\n\n职工们很高兴。（记者 秦朗）\n\n来源：某区总工会\n编辑：李丽", ["秦朗"], []),
        # Source, editor and picture credits name no reporter.
        ("工会走访企业。\n\n职工们很高兴。\n\n来源：某区总工会\n编辑：李丽\n审核：张强", [], []),
        # 文字 credits the writer like 文, 撰稿 and 作者 (session 10: set 6's writer, who never
        # saw the rules, labelled 文字：X ｜ 图片：Y ｜ 编辑：Z so; the earlier reading as a
        # production credit is dropped), 图片 the pictures.
        ("工会走访企业。\n\n职工们很高兴。\n\n文字：李丽\n图片：某区总工会", ["李丽"], []),
        ("工会走访企业。\n\n职工们很高兴。\n\n文字：某区总工会\n图片：李丽", [], []),
        ("编者按：今天选登两例。\n\n本网讯（记者 秦朗）近日，工会走访企业。", ["秦朗"], []),
        ("工会走访企业。\n\n![图](a.jpg)\n\n▲ 职工出发 秦朗 摄\n\n职工们很高兴。", [], []),
        ("工会走访企业。\n\n![图](a.jpg)\n\n本报记者 秦朗 摄\n\n职工们很高兴。", [], []),
    ],
)
def test_credits_around_the_text(body, reporters, correspondents):
    byline = byline_of(body)
    assert (list(byline.reporters), list(byline.correspondents)) == (reporters, correspondents)


# Session 8: forms from set 4's misses (read after its one test run), in sentences written
# for these tests, each beside its near miss.
@pytest.mark.parametrize(
    "body, reporters, correspondents",
    [
        # A lead in square brackets, the outlet's lead inside them.
        ("【环球网报道 记者 秦朗】6月14日，工会走访企业。", ["秦朗"], []),
        ("【编者按】记者秦朗近日走访了几家企业。", [], []),  # square brackets holding no byline
        ("本报讯【记者 秦朗 通讯员 苗青】工会走访企业。", ["秦朗"], ["苗青"]),
        # A name glued to 报道 and a colon.
        ("密云融媒讯 记者秦朗报道：8月26日，工会走访企业。", ["秦朗"], []),
        ("记者秦朗报道：近日，工会走访企业。", ["秦朗"], []),
        ("记者秦朗摄：近日，工会走访企业。", [], []),  # a picture's credit
        ("记者报道：近日，工会走访企业。", [], []),  # nobody named
        # An outlet ending in 广播.
        ("北京交通广播记者 秦朗\n\n工会走访企业。", ["秦朗"], []),
        ("北京交通广播记者 秦朗 摄\n\n工会走访企业。", [], []),  # a photo credit
        # A reprint's source line crediting another paper's reporter.
        ("工会走访企业。\n\n职工们很高兴。\n\n来源：北京晚报　记者 秦朗", ["秦朗"], []),
        ("工会走访企业。\n\n职工们很高兴。\n\n来源：北京晚报", [], []),
        ("工会走访企业。\n\n职工们很高兴。\n\n来源：新京报 记者 秦朗 摄", [], []),
        ("工会走访企业。\n\n职工们很高兴。\n\n来源：房山区总工会 权益保障部", [], []),
        # Credits in one closing paragraph with the source, the pictures and the editors.
        ("工会走访企业。\n\n职工们很高兴。\n\n撰稿：秦朗\n图片由某项目工会提供", ["秦朗"], []),
        ("工会走访企业。\n\n职工们很高兴。\n\n撰稿：某区总工会\n图片由某项目工会提供", [], []),
        ("工会走访企业。\n\n职工们很高兴。\n\n通讯员：苗青\n来源：某区总工会 权益保障部", [], ["苗青"]),
        ("工会走访企业。\n\n职工们很高兴。\n\n新京报记者 秦朗\n编辑 苗青 校对 卢湘", ["秦朗"], []),
        # A photo credit naming a reporter is still no byline, among editors' lines too.
        ("工会走访企业。\n\n职工们很高兴。\n\n新京报记者 秦朗 摄\n编辑 苗青 校对 卢湘", [], []),
        ("工会走访企业。\n\n职工们很高兴。\n\n图片由某项目工会提供\n编辑：苗青", [], []),
        # A sentence among credit lines makes the paragraph text.
        ("工会走访企业。\n\n职工们很高兴。\n\n活动持续一天。\n\n新京报记者 秦朗\n职工们纷纷点赞。", [], []),
    ],
)
def test_session8_byline_forms_and_their_near_misses(body, reporters, correspondents):
    byline = byline_of(body)
    assert (list(byline.reporters), list(byline.correspondents)) == (reporters, correspondents), body


@pytest.mark.parametrize(
    "paragraph",
    [
        "记者了解到，今年全市新建服务站300个。",  # 记者 opening ordinary text
        "记者从市总工会获悉，活动将持续一个月。",
        "本报讯 记者获悉，本市启动专项行动。",  # no name after the role word
        "本报讯 记者 近日从市总工会获悉，",
        "本报讯 记者 王冬梅 摄 职工们在排练。",  # a caption's credit
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


@pytest.mark.parametrize(
    "body, reporters, correspondents",
    [
        # A byline of two lines: the reporter's, then the correspondents'.
        ("本报记者 秦朗\n本报通讯员 苗青 卢湘\n\n工会走访企业。", ["秦朗"], ["苗青", "卢湘"]),
        ("本报记者 秦朗\n工会走访企业，职工们很高兴。", ["秦朗"], []),  # the next line is text
        # The national broadcaster's radio credit after a 消息 dateline.
        ("央广网北京8月10日消息（总台央广记者 秦朗）连日来，工会走访企业。", ["秦朗"], []),
        # A unit before the correspondents' role, closing the text.
        ("工会走访企业。\n\n职工们很高兴。（顺义区总工会通讯员 苗青、卢湘）", [], ["苗青", "卢湘"]),
        # A bracketed byline over the photographer's line, closing the text.
        ("工会走访企业。\n\n职工们很高兴。\n\n（通讯员 苗青 卢湘）\n陶然 摄", [], ["苗青", "卢湘"]),
        ("工会走访企业。\n\n职工们很高兴。\n\n陶然 摄\n编辑：苗青", [], []),  # only the photographer
        # A writer's unit and name alone in closing brackets.
        ("工会走访企业。\n\n职工们很高兴。（儒林街道 秦朗）", ["秦朗"], []),
        ("工会走访企业。\n\n职工们很高兴。（儒林街道）", [], []),  # a unit names nobody
        ("工会走访企业。\n\n职工们很高兴。（北京市总工会 供稿）", [], []),
    ],
)
def test_session9_byline_forms_and_their_near_misses(body, reporters, correspondents):
    byline = byline_of(body)
    assert (list(byline.reporters), list(byline.correspondents)) == (reporters, correspondents), body


# Session 10: the credit-line grammar (data/credit_roles.toml). Lines invented for these tests
# from how papers, wires and WeChat accounts print credits (none from a labelled set), each
# part of the grammar beside its near miss.
GRAMMAR_LINES = [
    # an outlet glued before the role, any outlet: a district media centre, a TV station
    ("顺义融媒记者 程远", ["程远"], []),
    ("延庆区融媒体中心记者 赵一鸣　通讯员 高雅", ["赵一鸣"], ["高雅"]),
    ("北京广播电视台记者 孟凡", ["孟凡"], []),
    # a unit after the role, before the names
    ("撰稿：立案庭 冯涛", ["冯涛"], []),
    ("通讯员：朝阳区总工会 齐磊 范悦", [], ["齐磊", "范悦"]),
    # labelled credits on one line, separated by ｜ or spaces
    ("文字：郝静 ｜ 图片：吕川 ｜ 编辑：区总工会", ["郝静"], []),
    ("采写：蔡琳　摄影：葛东　责任编辑：邵华", ["蔡琳"], []),
    ("记者：邹悦　摄像：石磊", ["邹悦"], []),
    ("作者：傅晓 洪亮", ["傅晓", "洪亮"], []),
    # names joined by 和
    ("本报记者 秦朗和宋佳怡", ["秦朗", "宋佳怡"], []),
    # a source line naming another paper's reporter among other credits
    ("来源：劳动午报 记者 叶青　编辑：孔维", ["叶青"], []),
    # names credited after them: 报道 (wrote), 摄 (photographed)
    ("记者 钟楠 报道　通讯员 江蓝 摄", ["钟楠"], []),
    ("文/图 特约记者 阎明", ["阎明"], []),
    # names printed before their credit: 张三/文 李四/图
    ("程远/文　韦东/摄", ["程远"], []),
    ("程远 文 韦东 图", ["程远"], []),
    ("口述：韦东 整理：程远", ["程远"], []),  # the teller is no writer; who wrote it down is
    ("特约撰稿人 程远", ["程远"], []),
    # a photojournalist took the pictures: the longer role word wins over 记者
    ("视频记者 韦东　记者 程远", ["程远"], []),
]


@pytest.mark.parametrize("line, reporters, correspondents", GRAMMAR_LINES)
def test_the_credit_line_grammar(line, reporters, correspondents):
    byline = parse_byline(line)
    assert (list(byline.reporters), list(byline.correspondents)) == (reporters, correspondents), line


@pytest.mark.parametrize(
    "line",
    [
        "图片：吕川 ｜ 视频：石磊",  # a photo and a video credit: no byline
        "编辑：郝静　审核：蔡琳　校对：葛东",  # editors name nobody
        "出品：区总工会 监制：邵华",
        "摄像：石磊",
        "融媒记者 程远 摄",  # a photo credit with an outlet
        "记者：郝师傅，您干这行多少年了？",  # an interview's question
        "记者近日走访了多家企业",  # body text mentioning 记者
        "顺义融媒记者",  # an outlet and a role, nobody
        "撰稿：立案庭",  # a unit, nobody
        "文字：新村一带的职工",  # text after the label
        "2024年5月1日 记者节",  # a date
        "本报摄影记者 韦东",  # a photojournalist's credit
        "程远 韦东",  # names with no credit
        "韦东/摄",
    ],
)
def test_lines_the_grammar_reads_as_no_byline(line):
    assert not parse_byline(line), line


@pytest.mark.parametrize(
    "body, reporters, correspondents",
    [
        # credits at the head, a line of their own, above the lead
        ("平谷融媒记者 沈清　通讯员 韦东\n\n5月1日，工会走访企业。", ["沈清"], ["韦东"]),
        # credits closing the text among editors' lines
        ("工会走访企业。\n\n职工们很高兴。\n\n撰稿：民二庭　田野\n编辑：戴欣\n审核：庞博", ["田野"], []),
        ("工会走访企业。\n\n职工们很高兴。\n\n记者：薛梅　摄像：雷鸣\n编辑：谭一", ["薛梅"], []),
        # only editors and photographers at the end: nobody
        ("工会走访企业。\n\n职工们很高兴。\n\n摄影：雷鸣\n编辑：谭一\n审核：庞博", [], []),
        # a sentence with 记者 in the body is never a credit
        ("工会走访企业。\n\n“谢谢记者 薛梅！”职工们说。\n\n活动持续一天。", [], []),
    ],
)
def test_the_grammar_at_the_head_and_the_end_of_a_text(body, reporters, correspondents):
    byline = byline_of(body)
    assert (list(byline.reporters), list(byline.correspondents)) == (reporters, correspondents), body


@pytest.mark.parametrize(
    "body, reporters, correspondents",
    [
        # every bracket a credit is printed in: （）, (), 【】 and half-width []
        ("本报讯[记者 程远 通讯员 韦东]5月1日，工会走访企业。", ["程远"], ["韦东"]),
        ("[记者 程远]5月1日，工会走访企业。", ["程远"], []),
        ("工会走访企业。\n\n职工们很高兴。\n\n[程远]", ["程远"], []),
        ("工会走访企业。\n\n职工们很高兴。\n\n[完]", [], []),  # a serial's mark, no name
        ("[编者按]工会走访企业，记者程远近日随行。", [], []),  # square brackets holding no credit
    ],
)
def test_every_bracket_a_credit_stands_in(body, reporters, correspondents):
    byline = byline_of(body)
    assert (list(byline.reporters), list(byline.correspondents)) == (reporters, correspondents), body


# Session 11: credits the grammar read but byline_of did not look for, or read wrongly.
# Invented lines (no labelled set's); each kind with its near misses.
TEXT = "5月1日，区总工会举办职工技能比赛。\n\n比赛设三个项目。\n\n选手们认真比拼。\n\n职工们交流了经验。"


@pytest.mark.parametrize(
    "body, reporters, correspondents",
    [
        # credit lines standing alone at the end, one paragraph of credit lines ...
        (TEXT + "\n\n记者：郑立航\n摄像：韩雨桐\n编辑：谭一", ["郑立航"], []),
        (TEXT + "\n\n文｜郑立航\n图｜韩雨桐\n编辑｜谭一", ["郑立航"], []),
        (TEXT + "\n\n文|郑立航\n图|韩雨桐\n编辑|谭一", ["郑立航"], []),
        (TEXT + "\n\n记者:郑立航\n摄影:韩雨桐", ["郑立航"], []),
        (TEXT + "\n\n记者：郑立航\n通讯员：韩雨桐\n编辑：谭一", ["郑立航"], ["韩雨桐"]),
        (TEXT + "\n\n记者 郑立航\n摄影 韩雨桐", ["郑立航"], []),
        (TEXT + "\n\n来源 | 工人日报\n记者 | 郑立航", ["郑立航"], []),
        # ... or a paragraph each, after blank lines, in any order, however many
        (TEXT + "\n\n记者：郑立航\n\n摄像：韩雨桐\n\n编辑：谭一\n\n校对：庞博\n\n审核：朱莉", ["郑立航"], []),
        (TEXT + "\n\n撰稿：郑立航\n\n图片：韩雨桐\n\n编辑：谭一", ["郑立航"], []),
        (TEXT + "\n\n文｜郑立航\n\n图｜韩雨桐", ["郑立航"], []),
        (TEXT + "\n\n编辑：谭一\n\n记者：郑立航", ["郑立航"], []),
        (TEXT + "\n\n通讯员 韩雨桐\n\n编辑：谭一", [], ["韩雨桐"]),
        (TEXT + "（记者 郑立航）\n\n编辑：谭一\n\n审核：庞博", ["郑立航"], []),
        # ... and the pictures', the editors' and the source's lines alone: nobody
        (TEXT + "\n\n图/郑立航", [], []),
        (TEXT + "\n\n图/本报记者 韩雨桐", [], []),
        (TEXT + "\n\n图/韩雨桐\n编辑/谭一", [], []),
        (TEXT + "\n\n视频：韩雨桐\n剪辑：朱莉", [], []),
        (TEXT + "\n\n责任编辑：谭一\n审核：庞博\n校对：朱莉", [], []),
        (TEXT + "\n\n编辑 郑立航 校对 韩雨桐", [], []),
        (TEXT + "\n\n来源：工人日报\n编辑：谭一", [], []),
        (TEXT + "\n\n转自：北京日报客户端", [], []),
        (TEXT + "\n\n本文来源：工人日报", [], []),
        (TEXT + "\n\n记者 郑立航 摄", [], []),
        (TEXT + "\n\n记者郑立航摄", [], []),  # the 摄 glued to the name is no part of it
        (TEXT + "\n\n本报记者 郑立航 摄\n编辑：谭一", [], []),
        ("图/本报记者 韩雨桐\n\n" + TEXT, [], []),  # a photo credit above the text
        # two bracketed credits in a row, at the head and at the end
        ("本报讯（记者 郑立航）（通讯员 韩雨桐）" + TEXT, ["郑立航"], ["韩雨桐"]),
        ("本报讯（记者 郑立航）（本报记者 韩雨桐 摄）" + TEXT, ["郑立航"], []),
        ("本报讯（记者 郑立航）（图为职工在比赛中）" + TEXT, ["郑立航"], []),
        (TEXT + "（记者 郑立航）（通讯员 韩雨桐）", ["郑立航"], ["韩雨桐"]),
        (TEXT + "\n\n（记者 郑立航）（通讯员 韩雨桐）", ["郑立航"], ["韩雨桐"]),
        (TEXT + "\n\n（文/郑立航）（图/韩雨桐）", ["郑立航"], []),
        (TEXT + "\n\n（记者 郑立航）（本报记者 韩雨桐 摄）", ["郑立航"], []),
        # a closing （本报记者 X 摄） is a picture's credit (in the lead X wrote and photographed)
        (TEXT + "\n\n（本报记者 郑立航 摄）", [], []),
        (TEXT + "（记者 郑立航 摄）", [], []),
        (TEXT + "\n\n（本报记者 韩雨桐 摄）\n\n（记者 郑立航）", ["郑立航"], []),
        (TEXT + "\n\n（记者 郑立航 通讯员 韩雨桐 摄）", ["郑立航"], []),
        ("本报讯（记者 郑立航 摄）" + TEXT, ["郑立航"], []),
        # a name glued to its role must read as a name: （记者手记） names nobody
        (TEXT + "\n\n（记者手记）", [], []),
        ("（记者手记）" + TEXT, [], []),
        (TEXT + "\n\n记者郑立航", ["郑立航"], []),
        # a writer's unit before the name in a lead's brackets
        ("本报讯（朝阳区总工会 韩雨桐）" + TEXT, ["韩雨桐"], []),
        ("本报讯（朝阳区总工会）" + TEXT, [], []),
        # Markdown around the credits: bold or italic credit lines; an image, a heading or a
        # rule after the closing credits (as before the credits at the head)
        ("**本报记者 郑立航**\n\n" + TEXT, ["郑立航"], []),
        ("*文/郑立航*\n\n" + TEXT, ["郑立航"], []),
        (TEXT + "\n\n**记者：郑立航**\n编辑：谭一", ["郑立航"], []),
        (TEXT + "（记者 郑立航）\n\n![职工比赛](photo.jpg)", ["郑立航"], []),
        (TEXT + "\n\n记者：郑立航\n\n![职工比赛](photo.jpg \"职工们在比赛中。韩雨桐 摄\")", ["郑立航"], []),
        (TEXT + "\n\n文｜郑立航\n\n---", ["郑立航"], []),
        ("**记者手记**\n\n" + TEXT, [], []),
        (TEXT + "\n\n**记者郑立航在现场看到，职工们排起了长队。**", [], []),
        (TEXT + "\n\n![职工比赛](photo.jpg \"韩雨桐 摄\")", [], []),
        (TEXT + "\n\n*郑立航*", [], []),
        # the reporter list is never guessed from the body text
        (TEXT + "\n\n据记者郑立航介绍，活动很成功。", [], []),
        (TEXT + "\n\n记者 郑立航在现场看到，职工们排起了长队。", [], []),
        ("近日，记者郑立航走访了工地。\n\n" + TEXT, [], []),
        ("本网讯 近日，记者郑立航走访了工地。\n\n" + TEXT, [], []),
        (TEXT + "\n\n记者 郑立航\n\n职工们说，活动很好。", [], []),
        (TEXT + "\n\n记者：你们几点下班？\n郑立航：六点。", [], []),
        (TEXT + "\n\n郑立航 韩雨桐", [], []),
        (TEXT + "\n\n记者 郑立航 2024年3月5日", [], []),
        (TEXT + "\n\nReporter: 郑立航", [], []),  # no English role word
        (TEXT + "\n\nReporter: Zheng Lihang", [], []),
    ],
)
def test_session11_credits_at_the_end_and_in_a_row_and_their_near_misses(body, reporters, correspondents):
    byline = byline_of(body)
    assert (list(byline.reporters), list(byline.correspondents)) == (reporters, correspondents), body


# Other newsrooms' and wires' forms (issue 24's list), with invented names: these were read
# already; they are held here so that a change of the grammar keeps them.
@pytest.mark.parametrize(
    "body, reporters, correspondents",
    [
        ("本网讯（记者 郑立航）" + TEXT, ["郑立航"], []),
        ("本网讯（记者郑立航）" + TEXT, ["郑立航"], []),
        ("本网讯 记者 郑立航 " + TEXT, ["郑立航"], []),
        ("本网讯 记者郑立航报道：" + TEXT, ["郑立航"], []),
        ("本网讯 " + TEXT, [], []),
        ("工人日报网讯（记者 郑立航）" + TEXT, ["郑立航"], []),
        ("京工网讯 记者郑立航 通讯员韩雨桐 3月5日，" + TEXT, ["郑立航"], ["韩雨桐"]),
        ("新华社北京3月5日电（记者郑立航、韩雨桐）" + TEXT, ["郑立航", "韩雨桐"], []),
        ("中新社北京3月5日电 （记者 郑立航）" + TEXT, ["郑立航"], []),
        ("光明日报北京3月5日电（记者郑立航 通讯员韩雨桐）" + TEXT, ["郑立航"], ["韩雨桐"]),
        ("央视网消息（记者 郑立航）" + TEXT, ["郑立航"], []),
        ("本报讯（特约记者 郑立航 实习生 韩雨桐）" + TEXT, ["郑立航", "韩雨桐"], []),
        ("本报讯（记者 郑立航 通讯员 朝阳区总工会 韩雨桐）" + TEXT, ["郑立航"], ["韩雨桐"]),
        ("记者　郑立航　韩雨桐\n\n" + TEXT, ["郑立航", "韩雨桐"], []),
        ("记者 郑立航 韩雨桐\n通讯员 朱莉\n\n" + TEXT, ["郑立航", "韩雨桐"], ["朱莉"]),
        ("通讯员 韩雨桐 记者 郑立航\n\n" + TEXT, ["郑立航"], ["韩雨桐"]),
        ("实习生 韩雨桐 记者 郑立航\n\n" + TEXT, ["韩雨桐", "郑立航"], []),
        ("记者：郑立航；通讯员：韩雨桐\n\n" + TEXT, ["郑立航"], ["韩雨桐"]),
        ("文 | 郑立航\n\n" + TEXT, ["郑立航"], []),
        ("文 ｜ 本报记者 郑立航\n\n" + TEXT, ["郑立航"], []),
        ("记者/郑立航\n\n" + TEXT, ["郑立航"], []),
        ("新华社记者 郑立航\n\n" + TEXT, ["郑立航"], []),
        (TEXT + "\n\n记者：郑立航", ["郑立航"], []),
        (TEXT + "\n\n文｜郑立航", ["郑立航"], []),
        (TEXT + "\n\n文/郑立航", ["郑立航"], []),
        (TEXT + "\n\n撰稿：郑立航", ["郑立航"], []),
        (TEXT + "\n\n记者 郑立航", ["郑立航"], []),
        (TEXT + "\n\n记者：郑立航、韩雨桐", ["郑立航", "韩雨桐"], []),
        (TEXT + "\n\n特约记者 郑立航", ["郑立航"], []),
        (TEXT + "\n\n记者 郑立航 实习生 韩雨桐", ["郑立航", "韩雨桐"], []),
        (TEXT + "\n\n朝阳区总工会通讯员 韩雨桐", [], ["韩雨桐"]),
        (TEXT + "\n\n通讯员 朝阳区总工会 韩雨桐", [], ["韩雨桐"]),
        (TEXT + "\n\n文字｜郑立航  图片｜韩雨桐  编辑｜谭一", ["郑立航"], []),
        (TEXT + "\n\n来源：北京日报 记者 郑立航", ["郑立航"], []),
        (TEXT + "\n\n转自：北京日报 记者 郑立航", ["郑立航"], []),
        (TEXT + "\n\n编辑：郑立航", [], []),
        (TEXT + "\n\n（郑立航 摄）", [], []),
        (TEXT + "（完）\n\n编辑：谭一", [], []),
    ],
)
def test_other_newsrooms_forms_with_invented_names(body, reporters, correspondents):
    byline = byline_of(body)
    assert (list(byline.reporters), list(byline.correspondents)) == (reporters, correspondents), body


def test_a_byline_of_bracketed_credits_in_a_row_is_the_text_as_printed():
    body = "本报讯（记者 郑立航）（通讯员 韩雨桐）5月1日，……\n\n职工们交流了经验。"
    assert byline_of(body).text == "本报讯（记者 郑立航）（通讯员 韩雨桐）"
    assert byline_of(TEXT + "（记者 郑立航）（通讯员 韩雨桐）").text == "（记者 郑立航）（通讯员 韩雨桐）"


def test_the_development_sets_bylines_are_exact():
    """Sets 6 and 7 (each run once as a test set, development since) read every byline as
    labelled (set 7's clean run: 38 of 40; its two misses, closing credit lines beside a
    picture's credit, are read since session 11)."""
    import analysis_sets as sets

    # set 10 (run once in session 12: 39 of 40, credits glued to the text by single line
    # breaks; read in session 13, development since)
    for folder in (sets.HELDOUT6, sets.HELDOUT7, sets.HELDOUT10):
        exact, rows = sets.byline_scores(sets.heldout_articles(folder))
        assert exact == 1.0, [(a.name, got) for a, got in rows if got != (a.reporters, a.correspondents)]


def test_the_desks_check_reads_closing_credits_with_the_same_reader(tmp_path):
    """``newsroom check`` reads the byline by byline_of: credits closing the text are a
    byline (no 没有署名 warning; Authors must agree with them), a picture's credit is none."""
    head = "Title: 职工技能比赛举行\nDate: 2024-05-02\nSlug: zhigong-jineng-bisai\n"
    cases = {
        "credits.md": (head + "\n" + TEXT + "\n\n记者：郑立航\n摄像：韩雨桐\n\n编辑：谭一\n", set()),
        "disagree.md": (head + "Authors: 韩雨桐\n\n" + TEXT + "\n\n文｜郑立航\n图｜韩雨桐\n", {"check.byline_disagrees"}),
        "photo.md": (head + "\n" + TEXT + "\n\n（本报记者 郑立航 摄）\n", {"check.no_byline"}),
    }
    _assert_check_codes(tmp_path, cases)


# Session 13 (set 10's one miss, read after its run; the form in general, invented names):
# credits closing the text glued to it by single line breaks, an outlet's name alone above
# them. The kind: a closing credits paragraph whose first line is the outlet signing it
# (区融媒体中心, 客户端), or credit lines right under the text's last sentence.
@pytest.mark.parametrize(
    "body, reporters, correspondents",
    [
        (TEXT + "\n\n朝阳区融媒体中心\n记者：郑立航 通讯员：韩雨桐\n编辑：谭一\n审核：朱莉", ["郑立航"], ["韩雨桐"]),
        (TEXT + "\n朝阳区融媒体中心\n记者：郑立航 通讯员：韩雨桐\n编辑：谭一", ["郑立航"], ["韩雨桐"]),
        (TEXT + "\n记者：郑立航 通讯员：韩雨桐", ["郑立航"], ["韩雨桐"]),
        (TEXT + "\n记者 郑立航\n编辑 谭一", ["郑立航"], []),
        (TEXT + "\n北京日报客户端\n记者 郑立航", ["郑立航"], []),
        (TEXT + "\n文/郑立航\n图/韩雨桐", ["郑立航"], []),
        # near misses: a role word inside a line of the text, an interview's question, an
        # outlet or a unit alone at the end, credits not on lines of their own, a line that
        # ends no sentence before them, a picture's credit
        (TEXT + "\n记者：你们几点下班？\n郑立航：六点。", [], []),
        (TEXT + "\n记者 郑立航在现场看到，职工们排起了长队。", [], []),
        (TEXT + "\n据通讯员韩雨桐介绍，活动还将继续。", [], []),
        ("活动现场，区总工会负责人告诉记者\n郑立航 韩雨桐都参加了比赛。", [], []),
        (TEXT + "\n\n朝阳区融媒体中心", [], []),
        (TEXT + "\n\n朝阳区总工会\n2024年5月1日", [], []),
        (TEXT + "\n朝阳区总工会\n编辑：谭一", [], []),
        (TEXT + "记者：郑立航 通讯员：韩雨桐", [], []),
        (TEXT + "\n职工们告诉记者\n记者 郑立航", [], []),
        (TEXT + "\n本报记者 郑立航 摄", [], []),
        (TEXT + "\n记者：郑立航\n\n职工们说，活动很好。", [], []),
    ],
)
def test_credits_glued_to_the_last_paragraph_and_their_near_misses(body, reporters, correspondents):
    byline = byline_of(body)
    assert (list(byline.reporters), list(byline.correspondents)) == (reporters, correspondents), body


def test_the_desks_check_reads_credits_glued_to_the_last_paragraph(tmp_path):
    """``newsroom check`` shares the reader: credits glued to the text are its byline
    (Authors must agree with them; no 没有署名 warning)."""
    head = "Title: 职工技能比赛举行\nDate: 2024-05-02\nSlug: zhigong-jineng-bisai\n"
    cases = {
        "glued.md": (head + "\n" + TEXT + "\n朝阳区融媒体中心\n记者：郑立航 通讯员：韩雨桐\n编辑：谭一\n", set()),
        "disagree.md": (head + "Authors: 韩雨桐\n\n" + TEXT + "\n记者：郑立航\n", {"check.byline_disagrees"}),
    }
    _assert_check_codes(tmp_path, cases)


LAST = "春节前，法院将对追索劳动报酬等涉民生案件优先立案、优先执行。"


@pytest.mark.parametrize(
    "body, reporters, correspondents",
    [
        # Session 13, set 11's two misses (the kind, invented names): a unit's or an outlet's
        # name closing the text in brackets, 供稿 after it or not, then roles with names.
        (LAST + "\n\n（石景山区人民法院 通讯员 郑立航 韩雨桐）", [], ["郑立航", "韩雨桐"]),
        (LAST + "\n\n（北京市商贸工会宣传部供稿 通讯员 郑立航）", [], ["郑立航"]),
        (LAST + "\n\n（北京市商贸工会宣传部 供稿 通讯员 郑立航、韩雨桐）", [], ["郑立航", "韩雨桐"]),
        (LAST + "\n\n（北京市商贸工会提供 通讯员 郑立航）", [], ["郑立航"]),
        (LAST + "\n\n（来源：北京市商贸工会 通讯员 郑立航）", [], ["郑立航"]),
        (LAST + "\n\n（北京日报 记者 郑立航 通讯员 韩雨桐）", ["郑立航"], ["韩雨桐"]),
        (LAST + "（石景山区人民法院 通讯员 郑立航 韩雨桐）", [], ["郑立航", "韩雨桐"]),
        (LAST + "\n\n（石景山区人民法院 通讯员 郑立航）（完）", [], ["郑立航"]),
        # near misses: a sentence or a note in brackets, a unit or 供稿 with no role, a photo
        # credit, a bracket in the middle of the body mentioning 通讯员 in a sentence
        (LAST + "\n\n（完）", [], []),
        (LAST + "\n\n（据新华社报道）", [], []),
        (LAST + "\n\n（本文来源：北京市商贸工会）", [], []),
        (LAST + "\n\n（文中人物均为化名）", [], []),
        (LAST + "\n\n（北京市商贸工会宣传部供稿）", [], []),
        (LAST + "\n\n（石景山区人民法院）", [], []),
        (LAST + "\n\n（郑立航 摄）", [], []),
        (LAST + "\n\n（石景山区人民法院 郑立航 摄）", [], []),
        (LAST + "\n\n（石景山区人民法院 通讯员 郑立航 摄）", [], []),
        (LAST + "\n\n（据通讯员郑立航介绍，案件已执行完毕）", [], []),
        (LAST + "\n\n（石景山区人民法院 通讯员告诉记者）", [], []),
        ("近日，石景山区人民法院（通讯员 郑立航 韩雨桐 参与报道的那起案件）审结。\n\n" + LAST, [], []),
        ("近日，区法院（据通讯员郑立航介绍）审结一起欠薪案。\n\n" + LAST + "\n\n执行法官说，钱已到账。", [], []),
    ],
)
def test_a_units_bracketed_credit_closing_the_text_and_its_near_misses(body, reporters, correspondents):
    byline = byline_of(body)
    assert (list(byline.reporters), list(byline.correspondents)) == (reporters, correspondents), body


def test_the_desks_check_reads_a_units_bracketed_closing_credit(tmp_path):
    """``newsroom check`` shares the reader: （单位 通讯员 X）closing the text is its byline."""
    head = "Title: 法院为农民工兑现工资款\nDate: 2024-05-02\nSlug: fayuan-gongzikuan\n"
    cases = {
        "unit.md": (head + "\n" + LAST + "\n\n（石景山区人民法院 通讯员 郑立航 韩雨桐）\n", set()),
        "disagree.md": (head + "Authors: 韩雨桐\n\n" + LAST + "\n\n（北京市商贸工会宣传部供稿 通讯员 郑立航）\n",
                        {"check.byline_disagrees"}),
    }
    _assert_check_codes(tmp_path, cases)


# Session 13, the reviewer's cases: the two paths that read credits among text (a bracket
# closing the text with no role word first, lines glued after the last sentence) read an
# award's list of winners as a byline. A word before the first role word must read as a unit
# or an outlet (its ending, or 供稿/提供/来源), a role word must open its word (先进工作者 is
# no 作者), an award's words (优秀, 先进) make no outlet, and a lone line whose only role word
# is also a plain noun (实习生) is no credit; real credits still read (near misses).
@pytest.mark.parametrize(
    "body, reporters, correspondents",
    [
        ("市总工会表彰了一批优秀通讯员。（优秀通讯员 王强 李明 张华）", [], []),
        (LAST + "\n\n…表彰2026年度优秀通讯员。\n优秀通讯员：王强、李明、张华", [], []),
        ("会上宣读了表彰决定。（先进工作者 王强 李明）", [], []),
        (LAST + "\n\n评选结果揭晓。\n先进工作者：王强 李明", [], []),
        ("会上表彰了一批先进。（优秀记者 王强、李明）", [], []),
        (LAST + "\n\n会上表彰了一批先进。（年度十佳 记者 王强）", [], []),
        (LAST + "\n\n会上表彰了一批先进。（北京市总工会优秀通讯员 王强）", [], []),
        (LAST + "\n\n大家收获满满。\n实习生 王强 李明", [], []),
        (LAST + "\n\n评选结果揭晓。\n社区工作者 王强 李明", [], []),
        # near misses: real credits
        (LAST + "\n\n（平谷区人民法院 通讯员 刘佳雯 岳铭）", [], ["刘佳雯", "岳铭"]),
        (LAST + "（平谷区人民法院 通讯员 刘佳雯 岳铭）", [], ["刘佳雯", "岳铭"]),
        (LAST + "\n\n（北京市建设工会宣传部供稿 通讯员 薛宇航）", [], ["薛宇航"]),
        (LAST + "\n\n（区总工会提供 通讯员 薛宇航）", [], ["薛宇航"]),
        ("活动在京举行。\n\n……让职工少跑腿。\n记者：王强 通讯员：李明\n编辑：张华", ["王强"], ["李明"]),
        ("活动在京举行。\n\n……让职工少跑腿。\n门头沟区融媒体中心\n记者：王强 通讯员：李明", ["王强"], ["李明"]),
        ("活动在京举行。\n\n大家收获满满。\n记者 王强\n实习生 李明", ["王强", "李明"], []),
        ("活动在京举行。\n\n大家收获满满。\n实习生 王强 李明\n编辑：张华", ["王强", "李明"], []),
        ("活动在京举行。\n\n大家收获满满。\n北京日报客户端｜记者 王强", ["王强"], []),
    ],
)
def test_credits_among_text_name_no_award_winners_and_their_near_misses(body, reporters, correspondents):
    byline = byline_of(body)
    assert (list(byline.reporters), list(byline.correspondents)) == (reporters, correspondents), body


def _assert_check_codes(tmp_path, cases):
    """The desk's check over each ``{file name: (text, expected problem codes)}``."""
    from newsroom.desk.checks import check_paths

    for name, (text, codes) in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        problems, _ = check_paths([tmp_path / name])
        assert {problem.code for problem in problems} == codes, (name, problems)


# Session 14, second round (set 14's one byline miss, v11: 文/本报记者 鄂佳宁 通讯员 隋文涛 read as
# nobody): the credit line was read all along; 鄂 was no surname of bylines.toml [names]. Lines
# invented for these tests.
@pytest.mark.parametrize(
    "paragraph, reporters, correspondents",
    [
        ("文/本报记者 鄂佳宁 通讯员 隋文涛", ["鄂佳宁"], ["隋文涛"]),
        ("文/记者 綦晓东", ["綦晓东"], []),
        ("本报记者 申屠晓峰 通讯员 郇雨", ["申屠晓峰"], ["郇雨"]),
        ("文/鄂佳宁", ["鄂佳宁"], []),  # 文/ and a name alone: the writer
        # near misses: a picture's credit names nobody, nor an ordinary word after a role word
        ("图/鄂佳宁", [], []),
        ("摄影 鄂佳宁", [], []),
        ("图/本报记者 鄂佳宁", [], []),
        ("文/本报记者 鄂佳宁 图/卢雨桐", ["鄂佳宁"], []),
        ("记者 续写新篇", [], []),
    ],
)
def test_rarer_surnames_after_a_credit_and_their_near_misses(paragraph, reporters, correspondents):
    byline = byline_of(paragraph + "\n\n曾经炉火通红的老厂区，如今成了年轻人打卡的热门地。")
    assert (list(byline.reporters), list(byline.correspondents)) == (reporters, correspondents)
