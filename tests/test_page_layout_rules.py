"""The page import's layout rules on hand-made lines and images (no OCR engine, no PDF):
each rule of session 7 (docs/page-images.md, "Layout rules") against the mistake it
prevents. The generated pages' tests (test_page_import, test_page_scan) cover the rules
together; these pin each one down where a change of another would hide its loss."""

import numpy as np
import pytest

from newsroom.archive import layout, ocr_reader
from newsroom.archive.textlines import PageText, TextLine

EM = 26.0  # body size in pixels, as at 200 dpi


def body_line(text, x, y, width=12 * EM, chars=None):
    return TextLine(text, (x, y, x + width, y + EM), EM, chars=chars)


def column(x, top, count, first="本报讯", filler="职工之家开展活动丰富多彩深受欢迎。"):
    """A column of justified body lines, 12 ems wide, 1.55 ems apart."""
    lines = [body_line(first + filler[:12 - len(first)], x, top)]
    for i in range(1, count):
        lines.append(body_line((filler * 2)[i % 5:i % 5 + 12], x, top + i * 1.55 * EM))
    return lines


def headline(text, x, y, size=2.4 * EM, chars=None):
    return TextLine(text, (x, y, x + size * len(text), y + size), size, chars=chars)


def page(lines, height=3300):
    return PageText(width=2339, height=height, dpi=200, source_kind="scan", lines=lines)


def test_a_body_line_naming_the_paper_near_the_top_is_text_not_the_header():
    """Only lines above the first strip of paper across the page are looked at as the header:
    the lead article's line that names the paper and a date (top 16 % of the page) is text."""
    folio = [TextLine("2024年9月10日 星期二", (100, 95, 360, 130), 0.95 * EM),
             TextLine("第17版", (1000, 95, 1080, 130), 0.95 * EM),
             TextLine("责任编辑：张维", (1930, 95, 2110, 130), 0.95 * EM)]
    head = headline("北京工会日报开展读者评报活动", 182, 180)  # centred over three columns
    text = column(100, 300, 8, first="本报讯　2024年5月6日起，北京工会日报")
    text += column(100 + 13.8 * EM, 300, 8, first="第8版") + column(100 + 27.6 * EM, 300, 7, first="星期二")
    laid = layout.analyse(page(folio + [head] + text))
    assert [laid.lines[i].text for i in laid.header_lines] == [line.text for line in sorted(
        folio, key=lambda l: (l.y0, l.x0))]
    assert len(laid.articles) == 1
    assert laid.articles[0].title == "北京工会日报开展读者评报活动"
    assert laid.articles[0].paragraphs[0].text.startswith("本报讯　2024年5月6日起")


def test_a_headline_the_engine_read_as_two_overlapping_pieces_is_one_line():
    """The detector's boxes of a headline's two pieces overlap at a quotation mark, the
    right piece reaches higher and measures smaller (narrow quotation marks): still one
    line, and the character read twice where they meet (领 read again as 页) is dropped."""
    size = 2.4 * EM
    left = headline("怀柔山区护林员喜领", 160, 512, chars=[(160 + i * size, 512, 160 + (i + 1) * size, 512 + size)
                                                        for i in range(9)])
    right_x = left.x1 - 0.5 * size
    right = TextLine("页“温暖包”", (right_x, 508, right_x + 4.2 * size, 508 + 0.96 * size), 1.85 * EM,
                     chars=[(right_x + i * 0.7 * size, 508, right_x + (i + 1) * 0.7 * size, 508 + size)
                            for i in range(6)])
    joined = layout.join_fragments(column(100, 700, 12) + [right, left])
    heads = [line for line in joined if line.size > 1.2 * EM]
    assert [line.text for line in heads] == ["怀柔山区护林员喜领“温暖包”"]


def test_two_headlines_of_one_row_stay_apart():
    """Two headlines side by side, each centred over its own columns: never one line."""
    size = 2.2 * EM
    a = headline("朝阳区推动女职工权益", 290, 553, size)
    b = headline("王府井商圈技能大赛举行", a.x1 + 1.7 * size, 553, size)
    joined = layout.join_fragments(column(100, 700, 12) + [a, b])
    assert sorted(line.text for line in joined if line.size > 1.2 * EM) == ["朝阳区推动女职工权益", "王府井商圈技能大赛举行"]


def test_body_pieces_are_never_joined_wider_than_a_column():
    """Two columns' lines across a narrow gutter (under half an em here, as an OCR box
    reaching into it leaves) stay two lines: justified text never runs past its column."""
    left = column(100, 300, 12)
    right = column(100 + 12 * EM + 0.4 * EM, 300, 12, first="据了解")
    joined = layout.join_fragments(left + right)
    assert max(line.width for line in joined) <= 12 * EM + 1


def test_a_column_opening_with_a_loosely_boxed_short_line_still_belongs_to_its_headline():
    """A three-column article whose second column opens with a paragraph's short last line
    (its box reaching back over the gutter) and whose first column opens with a byline:
    every column is the headline's."""
    head = headline("顺义劳动监察为农民工追回工资", 320, 555)
    first = column(100, 730, 10, first="法治日报记者")
    stray = TextLine("实。", (100 + 12 * EM - 0.7 * EM, 720, 100 + 12 * EM + 3.2 * EM, 752), EM)
    second = column(100 + 13.8 * EM, 767, 9, first="　　专案组")
    third = column(100 + 27.6 * EM, 726, 10, first="工资保证金")
    laid = layout.analyse(page([head, stray] + first + second + third))
    assert len(laid.articles) == 1 and not laid.orphan_lines
    assert len(laid.articles[0].body_lines) == 30


def scan_line(ink_spans, height=40, width=900):
    """A grey strip (paper 235) with ink (30) in the given x spans, as a straightened scan's line."""
    grey = np.full((height, width), 235, dtype=np.uint8)
    for x0, x1 in ink_spans:
        grey[8:32, x0:x1] = 30
    return grey


def test_blank_stripes_ignore_specks_and_the_widest_cut_is_taken_only_where_needed():
    grey = scan_line([(10, 300), (330, 640)])
    grey[20, 315] = 0  # a speck in the gutter is not ink
    stripes = ocr_reader.blank_stripes(grey, (10, 0, 640, 40), threshold=130)
    assert (300, 330) in stripes
    line = TextLine("x" * 20, (10, 0, 640, 40), 26)
    assert ocr_reader._widest_cuts(line, [(120, 140), (300, 330)], longest=330) == [(300, 330)]
    assert ocr_reader._widest_cuts(TextLine("x", (10, 0, 300, 40), 26), [(120, 140)], longest=330) == []


def test_a_line_across_a_narrow_gutter_is_split_there_and_each_piece_read_again():
    """Seven-column pages: the detector boxes two columns' lines as one across a gutter of
    about an em; the line is cut where the scan is blank over one of the page's gutters
    (not at a wider word space inside a column) and each piece is read again."""
    step = 25.0
    col = 11 * step
    lines = []
    for row in range(6):  # one-column lines that show the page's gutter: 100..375 | 410..685
        y = 100 + row * 40
        lines.append(TextLine("字" * 11, (100, y, 100 + col, y + 30), step))
        lines.append(TextLine("字" * 11, (410, y, 410 + col, y + 30), step))
    merged = TextLine("本报讯（记者 林报活动，请读者", (100, 400, 685, 430), step)
    stripes = [(180, 205), (377, 408)]  # a justified byline's word space, then the gutter
    read = []

    def recognise(box):
        read.append(box)
        return ("本报讯（记者 林", 0.97) if box[0] < 300 else ("报活动，请读者", 0.96)

    result = ocr_reader.split_wide_lines(lines + [merged], lambda text, box: step, recognise,
                                         lambda box: stripes if box[1] == 400 else [])
    pieces = [line for line in result if line.y0 == 400]
    assert [(p.text, p.box[0], p.box[2]) for p in pieces] == [("本报讯（记者 林", 100, 377), ("报活动，请读者", 408, 685)]
    assert len(read) == 2


def test_a_detector_box_reaching_past_its_ink_is_narrowed_to_it():
    grey = scan_line([(462, 514)], width=700)
    assert ocr_reader.ink_extent(grey, (403, 0, 520, 40), threshold=130) == (462.0, 0, 514.0, 40)


# --- session 8: the byline and paragraph kinds of the third test set, made on dev3 ---------

FILLER = "职工之家开展活动丰富多彩深受欢迎大家纷纷点赞表示收获很大"


def typeset(x, top, rows):
    """One column's lines, 1.55 ems apart: ``rows`` of (text, indent in ems, width in ems)."""
    return [TextLine(text, (x + indent * EM, top + i * 1.55 * EM, x + (indent + width) * EM, top + i * 1.55 * EM + EM), EM)
            for i, (text, indent, width) in enumerate(rows)]


def paragraph(count, first="", last_width=6):
    """Rows of a paragraph of ``count`` lines: the first indented two characters, the last short."""
    rows = [(first + FILLER[:10 - len(first)], 2, 10)]
    rows += [(FILLER[i % 9:i % 9 + 12], 0, 12) for i in range(1, count - 1)]
    return rows + [(FILLER[:last_width - 1] + "。", 0, last_width)] if count > 1 else rows


def article_page(head, columns, top=700, more=()):
    lines = [headline(head, 320, top - 4 * EM)]
    for number, rows in enumerate(columns):
        lines += typeset(100 + number * 13.8 * EM, top, rows)
    return layout.analyse(page(lines + list(more)))


@pytest.mark.parametrize("byline", [("本报记者 孙宇 实习生 王", "一涵", 1.95), ("本报首席记者 宗晓畅 报", "道", 1.0)])
def test_a_byline_whose_short_second_line_sits_left_of_its_indented_first_line_is_one_paragraph(byline):
    """本报记者 孙宇 实习生 王 / 一涵, …… 报 / 道: the first line starts two characters in,
    the second ends before that (an em before, if it is one character); the two are one
    run (the byline is not left under no headline) and the article's region covers both."""
    text, rest, width = byline
    first = [(text, 2, 10), (rest, 0, width)] + paragraph(7, "5月13日")
    laid = article_page("丰台职工在丽泽商务区比拼职业技能", [first, paragraph(9), paragraph(8)])
    assert not laid.orphan_lines and len(laid.articles) == 1
    article = laid.articles[0]
    assert article.paragraphs[0].text == text + rest
    assert len(article.paragraphs) == 4
    assert min(box[0] for box in article.regions) <= 100 and min(box[1] for box in article.regions) <= 700 - 4 * EM


def test_a_line_broken_at_a_full_width_space_continues_its_paragraph():
    """记者　贾晨 / 　通讯员　杨光）……: the second line begins with the space, which has no
    ink, so it looks indented by an em; the paragraph's indent is two."""
    first = [("本报讯（记者　贾晨", 2, 9), ("通讯员　杨光）1月8", 1.08, 10.9)] + paragraph(6)[1:]
    laid = article_page("大兴区总工会为困难农民工购买返乡车票", [first, paragraph(8), paragraph(7)])
    paragraphs = laid.articles[0].paragraphs
    assert len(paragraphs) == 3
    assert paragraphs[0].text.startswith("本报讯（记者　贾晨通讯员　杨光）1月8")


def test_a_flush_line_opening_with_a_bracket_whose_ink_starts_late_continues_its_paragraph():
    """《工会劳动法律监督提示函》，要: on a scan the bracket's ink starts 1.4 ems into the
    column; it continues the paragraph, while a paragraph opening with “ still opens one."""
    second = [("《工会劳动法律监督提示函》，要", 1.38, 10.6)] + paragraph(5)[1:] + [("“往年都是坐十几个", 2.45, 9.55)] \
        + paragraph(3)[1:]
    laid = article_page("工会劳动法律监督“提示函”督促企业补缴社保", [paragraph(9), second, paragraph(7)])
    texts = [p.text for p in laid.articles[0].paragraphs]
    assert len(texts) == 3 and "《工会劳动法律监督提示函》" in texts[0] and texts[1].startswith("“往年")


def test_a_last_column_holding_one_indented_line_is_its_articles_last_paragraph():
    """来源：大兴区总工会, alone at the top of the article's last column, two characters in:
    it stands in the row (a gutter and an indent from its neighbour) and opens a paragraph;
    the page's other articles show where that column starts."""
    below = [headline("另一篇稿件的标题", 320, 1400)] + typeset(100, 1500, paragraph(6)) \
        + typeset(100 + 13.8 * EM, 1500, paragraph(6)) + typeset(100 + 27.6 * EM, 1500, paragraph(5))
    laid = article_page("大兴区魏善庄镇工会组织职工观看红色电影",
                        [paragraph(8), paragraph(8)[1:] + [("来源", 0, 2)], [("来源：大兴区总工会", 2, 9)]], more=below)
    article = laid.articles[0]
    assert not laid.orphan_lines
    assert [p.text for p in article.paragraphs][-1] == "来源：大兴区总工会"


def test_a_column_whose_first_box_reaches_into_the_gutter_keeps_its_flush_lines_flush():
    """The detector's box of a column's first line took in the edge of the left column's
    last character: it starts 1.8 ems left of the column. The column's other lines start
    where most of them start, so they are not read as paragraphs of their own."""
    second = [("会共组织各类活动2600", -1.8, 13.8)] + paragraph(9)[1:]
    laid = article_page("北京市职工文化艺术节闭幕", [paragraph(9), second, paragraph(6)])
    assert len(laid.articles[0].paragraphs) == 2


def test_a_sliver_of_the_left_columns_ink_is_cut_off_a_box_that_reaches_over_the_gutter():
    """A box wider than a column that starts with the edge of the left column's last
    character (under half a character) before a blank stripe over the gutter is cut there
    and read again; the stray mark read as ： goes with it."""
    step = 25.0
    col = 11 * step
    lines = []
    for row in range(6):
        y = 100 + row * 40
        lines.append(TextLine("字" * 11, (100, y, 100 + col, y + 30), step))
        lines.append(TextLine("字" * 11, (410, y, 410 + col, y + 30), step))
    wide = TextLine("：大队，监察员调取了考勤", (371, 400, 685, 430), step)
    stripes = [(376, 409)]

    def recognise(box):
        assert box[0] == 409
        return "大队，监察员调取了考勤", 0.98

    result = ocr_reader.split_wide_lines(lines + [wide], lambda text, box: step, recognise,
                                         lambda box: stripes if box[1] == 400 else [])
    piece = next(line for line in result if line.y0 == 400)
    assert (piece.text, piece.x0, piece.x1) == ("大队，监察员调取了考勤", 409, 685)
