"""The back-catalogue importer on the real reference page and on original fixture pages.

Fixture pages (tests/fixtures/pages/, named like batch input) are original writing in
the reference page's format; each exercises other column-break patterns, and they come
in three encodings/line-end styles (UTF-8; GBK; UTF-8 with BOM and CRLF).
"""

import re
from datetime import date
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from newsroom.text import bylines, slugs
from newsroom.desk import importer
from newsroom.desk.cli import main
from newsroom.paper.content import ContentError, read_source
from sitebuild import has_chinese, language

ROOT = Path(__file__).resolve().parents[1]
SEED_PAGE = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "000_332a3af2ca99ee77.txt"
PAGES = ROOT / "tests" / "fixtures" / "pages"
PAGE_A = PAGES / "2024-03-05_01_要闻.txt"  # UTF-8, LF
PAGE_B = PAGES / "2024-03-05_02_基层.txt"  # GBK
PAGE_C = PAGES / "2024-03-06_01_要闻.txt"  # UTF-8 with BOM, CRLF, no final newline

# What a reader of each page sees on it. `mends` lists every column break as
# (end of the text before the break, start of the text after it); `paragraphs` is the
# number of real paragraphs, so a break that was wrongly joined or wrongly kept shows.
EXPECTED = {
    SEED_PAGE: {
        "banner": "深入学习贯彻党的二十大精神 奋力开拓首都工会工作新局面",
        "articles": [
            dict(kicker="北京工会2024年“两节”送温暖活动启动", title="齐静赴门头沟慰问恢复重建一线职工和困难职工",
                 subtitle="", reporters=("白莹",), correspondents=(), district="门头沟区", paragraphs=6,
                 mends=[("仔细询问职工", "的所需所盼"), ("保持积极的心态和良好的", "精神状态"),
                        ("在政策允许的范围", "内给予"), ("做好维权服务工作，提升", "职工生活品质"),
                        ("同时，将重点", "聚焦灵活就业")]),
            dict(kicker="奋进新时代 劳动创未来", title="北京市第十四届职工文化艺术节迎新年展演活动举办",
                 subtitle="", reporters=("宗晓畅",), correspondents=(), district="全市", paragraphs=5,
                 mends=[("建功立业，北京市", "总工会联合"), ("在一首", "激情澎湃")]),
            dict(kicker="", title="昌平“工会+仲裁”成功化解劳动争议案件", subtitle="", reporters=("周美玉",),
                 correspondents=(), district="昌平区", paragraphs=3, mends=[("昌平区总工会劳动", "争议调解中心")]),
            dict(kicker="", title="房山长阳镇总工会举办“迎新年”职工沟通会", subtitle="", reporters=("余翠平",),
                 correspondents=(), district="房山区", paragraphs=3, mends=[("“二次报", "销需要")]),
            dict(kicker="", title="平谷区东高村镇总工会多措并举吸引职工入会", subtitle="", reporters=("马超",),
                 correspondents=(), district="平谷区", paragraphs=2, mends=[("宣传材料、与职", "工面对面")]),
            dict(kicker="", title="朝阳区重点企业工会联谊会召开工作总结会",
                 subtitle="向10家优秀理事单位颁发奖牌 为25家参与防汛救灾单位颁发证书", reporters=("刘欣欣",),
                 correspondents=(), district="朝阳区", paragraphs=6, mends=[("政策解读，为企业", "“造血增能”")]),
        ],
    },
    PAGE_A: {
        "banner": "弘扬劳模精神 争创一流业绩",
        "articles": [
            dict(kicker="首都职工技能提升行动全面推进", title="海淀区总工会启动“技能强企”专项培训",
                 subtitle="首批覆盖30家企业 千余名职工参训", reporters=("孙立平",), correspondents=("赵晓雯",),
                 district="海淀区", paragraphs=4,
                 mends=[("（记者 孙立平 通讯员 赵晓雯）", "近日"),  # right after the byline
                        ("生物医药等重点产业，", "组织企业"),  # after a comma
                        ("专项资金18", "6.5万元"),  # inside a number
                        ("参考依据", "）。")]),  # before a closing bracket
            dict(kicker="劳动者港湾 温暖你我他", title="石景山区新建20家“暖心驿站”", subtitle="",
                 reporters=("钱芳",), correspondents=(), district="石景山区", paragraphs=4,
                 mends=[("进来喝口热水，", "浑身都暖和了"),  # inside a quotation, after a comma
                        ("就有地方歇脚了。", "这样的驿站")]),  # inside a quotation, after a full stop
        ],
    },
    PAGE_B: {
        "banner": "扎根基层办实事服务职工暖人心",  # the full-width space of the banner is OCR's
        "articles": [
            dict(kicker="职工法律服务进园区", title="大兴区总工会律师团走进生物医药基地", subtitle="",
                 reporters=("刘洋", "陈晨"), correspondents=(), district="大兴区", paragraphs=8,
                 mends=[("和原来不一样，", "我应该怎么办"),  # a line wrap inside a paragraph
                        ("共计4", "7万余元")]),  # inside a number
            dict(kicker="", title="通州区潞城镇“小巷管家”工会小组成立", subtitle="", reporters=(),
                 correspondents=("王丽萍",), district="通州区", paragraphs=3,
                 mends=[("尽管找我们。", "”话音刚落"),  # before a closing quote
                        ("开展", "业务培训")]),
        ],
    },
    PAGE_C: {
        "banner": "新春送温暖 真情暖人心",
        "articles": [
            dict(kicker="市总工会领导班子成员分赴各区 看望慰问节日坚守岗位职工",  # a two-line kicker
                 title="新春佳节前夕 市总工会开展走访慰问", subtitle="", reporters=("钱芳",), correspondents=(),
                 district="全市", paragraphs=4,  # the byline on its own line stays a paragraph
                 mends=[("排班、", "伙食"), ("“京工惠”APP", "发放")]),
            dict(kicker="", title="顺义区总工会为坚守岗位职工送去“年夜饭”", subtitle="500份饺子送到30个班组",
                 reporters=("张一鸣",), correspondents=("李海涛",), district="顺义区", paragraphs=3,
                 mends=[("吃上团圆饭了！", "工会想得真周到")]),  # a quotation left open by ！
        ],
    },
}
ALL_PAGES = list(EXPECTED)
# The reference page lives beside the repository (../shared/seeds/), never in it: a
# newcomer's clone has nothing there, so its tests are skipped with this reason, and what
# they assert is asserted on the fixture pages too.
SEED_MISSING = not SEED_PAGE.exists()
needs_seed = pytest.mark.skipif(SEED_MISSING, reason=f"the reference page {SEED_PAGE} is not beside the repository")
PAGE_PARAMS = [pytest.param(path, id=path.name, marks=needs_seed if path == SEED_PAGE else ()) for path in ALL_PAGES]
# An import run on the reference page (when there) and on a fixture page: (page, articles,
# the first file's name prefix, a headline and its position on the page).
IMPORTS = [
    pytest.param(SEED_PAGE, 6, "2024-01-02-01-01-qi-jing-fu-mentougou", "昌平“工会+仲裁”成功化解劳动争议案件", 3,
                 id="reference", marks=needs_seed),
    pytest.param(PAGE_A, 2, "2024-01-02-01-01-haidianqu-zonggonghui", "石景山区新建20家“暖心驿站”", 2, id="fixture"),
]


def non_space(text):
    """The test's own definition of what the invariant counts (independent of the importer)."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in "\u200b\ufeff")


def source_characters(path):
    """Non-whitespace characters of the page with the `#` heading marks taken off."""
    text = importer.decode_page(path.read_bytes(), path)
    return non_space("".join(re.sub(r"^\s*#+[ \t]", "", line) for line in text.split("\n")))


@pytest.fixture(scope="module")
def parsed():
    return {path: importer.read_page(path) for path in ALL_PAGES if path.exists()}


# --- structure ------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGE_PARAMS)
def test_banner_kickers_titles_subtitles(parsed, path):
    page, expected = parsed[path], EXPECTED[path]
    assert page.banner == expected["banner"]
    got = [(a.order, a.kicker, a.title, a.subtitle) for a in page.articles]
    want = [(i, e["kicker"], e["title"], e["subtitle"]) for i, e in enumerate(expected["articles"], start=1)]
    assert got == want


@needs_seed
def test_reference_page_has_exactly_six_articles(parsed):
    assert len(parsed[SEED_PAGE].articles) == 6


@pytest.mark.parametrize("path", PAGE_PARAMS)
def test_bylines_open_the_body_and_name_the_reporters(parsed, path):
    for article, expected in zip(parsed[path].articles, EXPECTED[path]["articles"]):
        byline = bylines.byline_of(article.body)
        assert (byline.reporters, byline.correspondents) == (expected["reporters"], expected["correspondents"])
        assert byline.text and article.body.startswith(byline.text), article.title


@pytest.mark.parametrize("path", PAGE_PARAMS)
def test_every_column_break_is_mended_and_no_real_break_is(parsed, path):
    raw = importer.decode_page(path.read_bytes(), path)
    for article, expected in zip(parsed[path].articles, EXPECTED[path]["articles"]):
        assert len(article.paragraphs) == expected["paragraphs"], article.title
        assert len(article.mends) == len(expected["mends"]), [str(m) for m in article.mends]
        for (before, after), mend in zip(expected["mends"], article.mends):
            # split in the source, one paragraph in the output, nothing put between
            assert re.search(re.escape(before) + r"\s*\n\s*" + re.escape(after), raw), (before, after)
            assert before + after in article.body, (before, after)
            assert mend.before.endswith(before) or before.endswith(mend.before)
            assert mend.after.startswith(after) or after.startswith(mend.after)
        for paragraph in article.paragraphs:
            if not paragraph.crosshead and not importer.is_credit_line(paragraph.text):
                assert importer.ends_sentence(paragraph.text), paragraph.text[-10:]


@pytest.mark.parametrize("path", PAGE_PARAMS)
def test_every_character_ends_up_in_exactly_one_place(parsed, path):
    """Non-whitespace source characters minus `#` marks == banner + each article's
    kicker, title, subtitle and body, in order: nothing lost, doubled, moved or altered."""
    page = parsed[path]
    rebuilt = [page.banner]
    for article in page.articles:
        rebuilt += [article.kicker, article.title, article.subtitle] + [p.text for p in article.paragraphs]
    assert non_space("".join(rebuilt)) == source_characters(path)


@pytest.mark.parametrize("path", PAGE_PARAMS)
def test_written_files_hold_every_character(tmp_path, path):
    """The same invariant on the files as written: metadata plus the body as Markdown renders it."""
    page = importer.read_page(path)
    info = importer.PageInfo(date(2024, 1, 2), 1, "要闻", "8123")
    importer.write_plan(importer.plan_import([(page, info)], tmp_path))
    files = sorted((tmp_path / "2024" / "01").glob("*.md"))
    assert len(files) == len(page.articles)
    rebuilt = [read_source(files[0]).get("banner", "")]
    md = markdown.Markdown(extensions=["markdown.extensions.extra", "markdown.extensions.meta"])
    for file in files:
        source = read_source(file)
        html = md.reset().convert(file.read_text(encoding="utf-8"))
        blocks = BeautifulSoup(html, "lxml").find_all(["p", "h3"])
        rebuilt += [source.get("kicker", ""), source.get("title"), source.get("subtitle", "")]
        rebuilt += [block.get_text() for block in blocks]
        assert source.get("banner") == page.banner
    assert non_space("".join(rebuilt)) == source_characters(path)


@pytest.mark.parametrize("path", PAGE_PARAMS)
def test_districts_are_written_only_when_detected(tmp_path, path):
    page = importer.read_page(path)
    plan = importer.plan_import([(page, importer.PageInfo(date(2024, 1, 2), 3))], tmp_path)
    for item, expected in zip(plan, EXPECTED[path]["articles"]):
        meta = dict(importer.article_metadata(item.article, page, item.info, item.slug))
        assert meta.get("District") == expected["district"]
        assert meta["Page"] == "3" and meta["PageOrder"] == str(item.article.order)
        assert "Issue" not in meta and "PageName" not in meta  # not given, not written
        assert "Authors" not in meta  # the site derives reporters from the byline


# --- cleaning and the break rules ---------------------------------------------------------


def test_only_stray_spaces_are_removed(parsed):
    b = parsed[PAGE_B].articles
    assert b[0].paragraphs[0].text.startswith("本报讯（记者 刘洋 陈晨）近日")  # full-width indent gone
    assert "怎么办？”律师" in b[0].body and "合同条款。" in b[0].body  # spaces by punctuation gone
    assert "北京市总工会颁发" in b[1].body  # letter-spaced OCR joined
    c = parsed[PAGE_C].articles
    assert c[0].title == "新春佳节前夕 市总工会开展走访慰问"  # a typeset separator stays
    assert parsed[PAGE_A].articles[0].kicker == "首都职工技能提升行动全面推进"
    assert importer.clean_spaces("记者 白 莹") == "记者 白 莹"


@needs_seed
def test_only_stray_spaces_are_removed_on_the_reference_page(parsed):
    seed = parsed[SEED_PAGE].articles
    assert seed[1].kicker == "奋进新时代 劳动创未来"  # a typeset separator stays
    assert "“凝心聚力 勇毅前行”" in seed[1].body and seed[0].body.startswith("本报讯（记者 白莹）")


def test_multi_paragraph_quotation_and_crosshead_stay_apart(parsed):
    paragraphs = parsed[PAGE_B].articles[0].paragraphs
    texts = [p.text for p in paragraphs]
    assert [p.crosshead for p in paragraphs].count(True) == 1
    assert paragraphs[2].crosshead and paragraphs[2].text == "建立“三个一”服务机制"
    assert texts[4].startswith("“第一") and texts[5].startswith("“第二") and texts[6].startswith("“第三")
    assert texts[3].endswith("他说：")  # a colon ends a paragraph that introduces a list


def test_a_byline_on_its_own_line_stays_its_own_paragraph(parsed):
    assert parsed[PAGE_C].articles[0].paragraphs[0].text == "本报记者 钱芳"
    # whereas a dateline byline runs into its first sentence
    assert parsed[PAGE_A].articles[0].paragraphs[0].text.startswith("本报讯（记者 孙立平 通讯员 赵晓雯）近日")


@pytest.mark.parametrize("paragraph, following, reason", [
    ("他说：“我们一定做好。", "”随后他又回到岗位。", "next starts with closing mark"),
    ("这是手册（电子版同步上线。", "我们……", "bracket left open"),
    ("“第一，要学习。", "“第二，要实践。”", ""),  # a long quotation: each paragraph opens with “
    ("他说：“以后就好了。”", "据介绍，……", ""),  # a real break after a closing quote
    ("答题内容包括：", "一是……", ""),
    ("资金共计52.", "15万元。", "no sentence end"),  # an ASCII point is not a full stop
])
def test_break_rules(paragraph, following, reason):
    assert importer.continues(paragraph, following) == reason


def test_latin_words_split_by_a_break_get_a_space_back():
    page = importer.parse_page("# 标题\n\n正文提到Beijing\n\nDaily等媒体。\n")
    assert page.articles[0].body == "正文提到Beijing Daily等媒体。"
    assert page.banner == ""


def test_an_article_ending_mid_sentence_is_kept_and_warned_about():
    page = importer.parse_page("# 标题\n\n本报讯（记者 张三）某某单位举办了（下转第二版\n")
    assert page.articles[0].warnings and "稿件在句子中间结束" in page.articles[0].warnings[0]


# --- encodings and line ends ---------------------------------------------------------------


def test_gbk_page_is_detected_and_decoded(parsed):
    data = PAGE_B.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the fixture really is GBK
    utf8 = importer.parse_page(data.decode("gbk"), PAGE_B)
    assert [(a.title, a.body) for a in parsed[PAGE_B].articles] == [(a.title, a.body) for a in utf8.articles]


def test_bom_and_crlf_change_nothing(parsed):
    data = PAGE_C.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data  # the fixture really has both
    plain = importer.parse_page(data[3:].decode("utf-8").replace("\r\n", "\n"), PAGE_C)
    assert parsed[PAGE_C] == plain


def test_undecodable_bytes_are_refused_naming_file_and_offset(tmp_path):
    page = tmp_path / "bad.txt"
    page.write_bytes("# 标题\n\n正文。\n".encode("gbk") + b"\x81\xff\n")
    with pytest.raises(ContentError) as error:
        importer.read_page(page)
    message = str(error.value)
    assert "bad.txt:4" in message and "字节的 0x" in message and "GB18030" in message


def test_damaged_utf8_is_refused_not_read_as_gbk(tmp_path):
    page = tmp_path / "damaged.txt"
    page.write_bytes("# 齐心协力\n\n本报讯（记者 张三）职工们都很满意。".encode("utf-8") + b"\xe4\xb8\n")
    with pytest.raises(ContentError, match=r"damaged\.txt:3: 文字稿不是有效的 UTF-8"):
        importer.read_page(page)


def test_big5_is_refused_not_read_as_gbk_mojibake(tmp_path):
    """Big5 bytes nearly always decode as GB18030, into rare characters: refuse them."""
    page = tmp_path / "big5.txt"
    page.write_bytes(PAGE_A.read_text(encoding="utf-8").encode("big5", errors="replace"))
    with pytest.raises(ContentError, match=r"big5\.txt:1: .*多半是别的编码（Big5"):
        importer.read_page(page)


@pytest.mark.parametrize("data, code, problem", [
    (b"", "import.empty_page", "the page is empty"),
    (b"\xef\xbb\xbf \r\n\r\n", "import.empty_page", "the page is empty"),
    ("本报讯（记者 张三）只有正文。\n".encode("utf-8"), "import.no_headline", "no `# ` headline"),
    ("## 引题\n正文。\n".encode("utf-8"), "import.no_headline", "no `# ` headline"),
    ("本报讯 开头。\n\n# 标题\n\n正文。\n".encode("utf-8"), "import.text_before_headline",
     "text before the first headline"),
    ("# 标题一\n\n正文。\n\n# 标题二\n\n# 标题三\n\n正文。\n".encode("utf-8"), "import.headline_without_text",
     "`标题二` has no text"),
    ("# 报眉\n".encode("utf-8"), "import.banner_only", "banner but no article"),
    ("# 标题\n\n正文。\n\n## 没有标题的引题\n".encode("utf-8"), "import.page_ends_with_kicker", "ends the page"),
    (b"# \x00\x01", "import.not_text", "not a text file"),
])
def test_bad_pages_are_clear_errors_in_both_languages(tmp_path, data, code, problem):
    page = tmp_path / "page.txt"
    page.write_bytes(data)
    for lang in ("zh", "en"):
        with language(lang), pytest.raises(ContentError) as error:
            importer.read_page(page)
        assert error.value.code == code and "page.txt" in str(error.value) and error.value.fix
        assert (problem in str(error.value)) if lang == "en" else has_chinese(error.value.problem + error.value.fix)


# --- Markdown output ------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "1. 不是列表", "- 不是列表", "# 不是标题", "> 不是引用", "*不是强调*与_下划线_", "a<b>c</b>&amp;d",
    "[不是链接](http://x)", "`不是代码`", "反斜杠\\在此", ": 不是定义", "{: .klass}", "=== 不是标题",
    "---", "-----", "+++", "-- 破折号",
])
def test_markdown_escaping_renders_back_the_exact_text(text):
    # In a body, after the metadata, as the file has it (a first-line "---" would be read as metadata).
    document = f"Title: 标题\n\n正文。\n\n{importer.escape_markdown(text)}\n"
    html = markdown.markdown(document, extensions=["markdown.extensions.extra", "markdown.extensions.meta"])
    assert BeautifulSoup(html, "lxml").get_text().replace("\n", "") == "正文。" + text


# --- the command -----------------------------------------------------------------------------


def run_import(*args):
    return main(["import", *map(str, args)])


@pytest.mark.parametrize("page, count, first_name, headline, position", IMPORTS)
def test_import_writes_once_never_overwrites_and_is_repeatable(tmp_path, capsys, page, count, first_name, headline,
                                                               position):
    out = tmp_path / "content"
    args = (page, "--date", "2024-01-02", "--page", "1", "--page-name", "要闻", "--issue", "8123", "--out", out)
    assert run_import(*args, "--dry-run") == 0
    assert "将写入" in capsys.readouterr().out and not out.exists()

    assert run_import(*args) == 0
    printed = capsys.readouterr().out
    files = sorted((out / "2024" / "01").glob("*.md"))
    assert len(files) == count and printed.count("已写入 ") == count
    assert all(str(file) in printed for file in files)
    assert files[0].name.startswith(first_name)
    first = read_source(files[0])
    assert (first.get("pageorder"), first.get("pagename"), first.get("issue"), first.get("date")) == (
        "1", "要闻", "8123", "2024-01-02")
    assert first.get("slug") == slugs.slugify_headline(first.title)  # the URL is frozen in the file
    before = {file: file.read_bytes() for file in files}

    assert run_import(*args) == 0  # again: the same files, untouched
    assert capsys.readouterr().out.count("没有变化 ") == count
    assert {file: file.read_bytes() for file in files} == before

    edited_file = files[-1]
    edited_file.write_text(edited_file.read_text(encoding="utf-8") + "\n编辑加的一段。\n", encoding="utf-8")
    edited = edited_file.read_bytes()
    assert run_import(*args, "--dry-run") == 1
    assert f"冲突：{edited_file} 已存在，内容不同" in capsys.readouterr().out
    assert run_import(*args) == 1  # refused: nothing is written
    assert "--force" in capsys.readouterr().err
    assert edited_file.read_bytes() == edited

    assert run_import(*args, "--force") == 0
    assert "已替换 " in capsys.readouterr().out and edited_file.read_bytes() == before[edited_file]


@pytest.mark.parametrize("page, count, first_name, headline, position", IMPORTS)
def test_slugs_stay_unique_against_existing_content(tmp_path, capsys, page, count, first_name, headline, position):
    out = tmp_path / "content"
    (out / "2024" / "01").mkdir(parents=True)
    (out / "2024" / "01" / "hand-written.md").write_text(
        f"Title: {headline}\nDate: 2024-01-02\n\n本报讯（记者 周美玉）正文。\n", encoding="utf-8")
    assert run_import(page, "--date", "2024-01-02", "--page", "1", "--out", out) == 0
    slug = slugs.slugify_headline(headline)
    written = read_source(next((out / "2024" / "01").glob(f"2024-01-02-01-{position:02d}-*.md")))
    assert written.get("slug") == f"{slug}-2"
    assert run_import(page, "--date", "2024-01-02", "--page", "1", "--out", out) == 0  # stable on re-run
    assert capsys.readouterr().out.count("没有变化 ") == count


@pytest.mark.parametrize("page, count, first_name, headline, position", IMPORTS)
def test_a_page_position_under_an_older_name_is_replaced_only_with_force(tmp_path, capsys, page, count, first_name,
                                                                         headline, position):
    out = tmp_path / "content"
    args = (page, "--date", "2024-01-02", "--page", "1", "--out", out)
    assert run_import(*args) == 0
    current = next((out / "2024" / "01").glob(f"2024-01-02-01-{count:02d}-*.md"))
    older = current.with_name(f"2024-01-02-01-{count:02d}-old-headline.md")
    current.rename(older)  # as if the headline had been OCR'd differently last time
    assert run_import(*args) == 1 and older.exists() and not current.exists()
    assert str(older) in capsys.readouterr().err
    assert run_import(*args, "--force") == 0
    assert current.exists() and not older.exists()
    assert f"已删除 {older}" in capsys.readouterr().out


@pytest.mark.parametrize("page", [pytest.param(SEED_PAGE, id="reference", marks=needs_seed),
                                  pytest.param(PAGE_A, id="fixture")])
def test_articles_already_on_the_page_or_under_another_issue_are_warned_about(tmp_path, capsys, page):
    out = tmp_path / "content"
    (out / "2024" / "01").mkdir(parents=True)
    hand = out / "2024" / "01" / "hand-written.md"
    hand.write_text("Title: 职工书屋揭牌\nDate: 2024-01-02\nPage: 1\nIssue: 7930\n\n本报讯（记者 白莹）正文。\n",
                    encoding="utf-8")
    args = (page, "--date", "2024-01-02", "--page", "1", "--issue", "8123", "--out", out)
    assert run_import(*args) == 0  # a warning, not an error
    err = capsys.readouterr().err
    assert f"{hand}：2024-01-02 第 1 版已经有这篇稿件（职工书屋揭牌）" in err
    assert f"{hand}：2024-01-02 在那里是第 7930 期" in err and "不是第 8123 期" in err
    assert run_import(*args) == 0  # the imported files themselves are not "already on the page"
    err = capsys.readouterr().err
    assert err.count("版已经有这篇稿件") == 1
    hand.unlink()
    assert run_import(*args) == 0 and "提示" not in capsys.readouterr().err


def test_batch_import_takes_date_and_page_from_file_names(tmp_path, capsys):
    out = tmp_path / "content"
    assert run_import("--batch", PAGES, "--out", out) == 0
    files = sorted(out.rglob("*.md"))
    assert len(files) == 6
    metas = [(read_source(f).get("date"), read_source(f).get("page"), read_source(f).get("pagename")) for f in files]
    assert metas == [("2024-03-05", "1", "要闻")] * 2 + [("2024-03-05", "2", "基层")] * 2 + [("2024-03-06", "1", "要闻")] * 2
    assert all(f.parent == out / "2024" / "03" for f in files)


def test_batch_refuses_unnamed_pages_and_mixed_arguments(tmp_path, capsys):
    (tmp_path / "scan.txt").write_text("# 标题\n\n正文。\n", encoding="utf-8")
    assert run_import("--batch", tmp_path, "--out", tmp_path / "out") == 1
    assert "2024-01-02_01_要闻.txt" in capsys.readouterr().err
    assert run_import("--batch", PAGES, "--date", "2024-01-02") == 1
    assert run_import(PAGE_A, "--page", "1") == 1 and "--date" in capsys.readouterr().err


def test_several_files_number_their_pages_from_the_first(tmp_path, capsys):
    out = tmp_path / "content"
    assert run_import(PAGE_A, PAGE_C, "--date", "2024-02-01", "--page", "4", "--out", out) == 0
    pages = sorted(read_source(f).get("page") for f in out.rglob("*.md"))
    assert pages == ["4", "4", "5", "5"]


# --- the site ---------------------------------------------------------------------------------


def test_imported_pages_build_into_the_site_without_warnings(tmp_path, capsys):
    """The reference page (and the fixture pages) imported into an empty content folder
    build with the project's settings: one page per article, text exactly as imported."""
    from sitebuild import build_site, soup

    content = tmp_path / "content"
    if not SEED_MISSING:
        assert run_import(SEED_PAGE, "--date", "2024-01-02", "--page", "1", "--page-name", "要闻", "--out",
                          content) == 0
    assert run_import("--batch", PAGES, "--out", content) == 0
    output, log = build_site(tmp_path, content)
    assert log.messages() == []

    seed_pages = sorted((output / "2024" / "01" / "02").glob("*/index.html"))
    assert len(seed_pages) == (0 if SEED_MISSING else 6)
    files = sorted(content.rglob("*.md"))
    assert len(files) == (6 if SEED_MISSING else 12)
    for file in files:
        source = read_source(file)
        article = next(a for p in ALL_PAGES if p.exists() for a in importer.read_page(p).articles
                       if a.title == source.title)
        day = source.get("date").replace("-", "/")
        html = soup(output / day / source.get("slug") / "index.html")
        assert html.select_one("h1.headline").get_text() == article.title
        kicker, subtitle = html.select_one(".kicker"), html.select_one(".subtitle")
        assert (kicker.get_text() if kicker else "") == article.kicker
        assert (subtitle.get_text() if subtitle else "") == article.subtitle
        body = [block.get_text() for block in html.select(".story-body > p, .story-body > h3")]
        assert body == [p.text for p in article.paragraphs]
        reporters = bylines.byline_of(article.body).reporters
        assert all(name in html.select_one(".story-byline").get_text() for name in reporters)


@pytest.mark.parametrize("page, count, first_name, headline, position", IMPORTS)
def test_a_page_imported_again_under_another_page_or_date_is_warned_about(tmp_path, capsys, page, count, first_name,
                                                                          headline, position):
    # The -2 that keeps URLs unique would hide it: the site would print every story twice.
    out = tmp_path / "content"
    assert run_import(page, "--date", "2024-01-02", "--page", "1", "--out", out) == 0
    capsys.readouterr()
    assert run_import(page, "--date", "2024-01-02", "--page", "1", "--out", out) == 0
    assert "正文和已有的" not in capsys.readouterr().err  # the same import again: its own files
    assert run_import(page, "--date", "2024-01-02", "--page", "2", "--out", out, "--dry-run") == 0
    err = capsys.readouterr().err
    first = sorted(out.rglob("2024-01-02-01-*.md"))
    assert len(first) == count
    assert err.count("：正文和已有的 ") == count
    assert all(f"：正文和已有的 {path}" in err for path in first)

    scans = tmp_path / "scans"
    scans.mkdir()
    for name in ("2024-01-02_01_要闻.txt", "2024-01-09_01_要闻.TXT"):  # .TXT as Windows OCR tools write it
        (scans / name).write_bytes(page.read_bytes())
    (scans / "2024-01-02_01.doc").write_bytes(b"\xd0\xcf")  # not a page: PDFs and scans are (test_page_import)
    assert run_import("--batch", scans, "--out", tmp_path / "other", "--dry-run") == 0
    err = capsys.readouterr().err
    assert err.count("正文相同；是不是把同一个版面用另一个 --date 或 --page 导入了两次？") == count
    assert f"跳过了 {scans / '2024-01-02_01.doc'}（不是 .txt、.pdf 或扫描图片的版面文件）" in err
