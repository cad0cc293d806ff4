"""The archive catalogue (/catalogue/): CSV and JSON of every published article."""

import csv
import io
import json
import logging

import pytest

from newsroom.paper import catalogue
from newsroom.paper.catalogue import Record
from sitebuild import build_site, soup, write_article

BASE = "https://news.example.org/"


def records_of_csv(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    assert data.startswith("\ufeff".encode("utf-8")), "spreadsheets need the byte-order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# --- newsroom.paper.catalogue ------------------------------------------------------------------

@pytest.mark.parametrize("value, cell", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+86 电话", "'+86 电话"),
    ("-1", "'-1"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("职工=劳动者", "职工=劳动者"),
    (("白莹", "李明"), "白莹、李明"),
    ((), ""),
    (None, ""),
    (3, "3"),
])
def test_csv_cells_join_lists_and_defuse_formulas(value, cell):
    assert catalogue.csv_cell(value) == cell


def test_csv_round_trips_commas_quotes_and_line_breaks():
    record = Record(url=BASE + "2024/01/02/x/", date="2024-01-02", title="他说：“好，很好”, \"引号\"",
                    summary="第一行\n第二行", reporters=("白莹", "李明"), page=1)
    data = catalogue.to_csv([record])
    assert "\r\n" in data
    assert data.splitlines()[1].startswith('"https://'), "every cell is quoted"
    (row,) = records_of_csv(data)
    assert list(row) == [column for _, column, _ in catalogue.FIELDS]
    assert row["主题"] == record.title
    assert row["摘要"] == "第一行\n第二行"
    assert row["记者"] == "白莹、李明"
    assert row["版次"] == "1" and row["副题"] == ""


def test_json_holds_the_same_records_with_lists():
    records = [Record(url=BASE + "a/", date="2024-01-02", title="甲", topics=("送温暖·帮扶",)),
               Record(url=BASE + "b/", date="2024-01-03", title="=乙")]
    data = json.loads(catalogue.to_json(records, "报名"))
    assert data["count"] == 2 and data["site"] == "报名"
    assert data["fields"] == [key for key, _, _ in catalogue.FIELDS]
    assert data["articles"] == [record.as_dict() for record in records]
    assert data["articles"][0]["topics"] == ["送温暖·帮扶"]
    assert data["articles"][1]["title"] == "=乙"  # JSON is not a spreadsheet: no apostrophe
    assert json.loads(catalogue.to_json([]))["articles"] == []


def test_order_is_by_date_then_reading_order_then_unplaced_by_url():
    def record(url, date, position=None):
        return Record(url=url, date=date, title=url, position=position)

    shuffled = [record("unplaced-b", "2024-01-02"), record("third", "2024-01-02", 3), record("unplaced-a", "2024-01-02"),
                record("first", "2024-01-02", 1), record("second", "2024-01-02", 2), record("older", "2024-01-01", 9)]
    assert [r.url for r in catalogue.catalogue_order(shuffled)] == [
        "older", "first", "second", "third", "unplaced-a", "unplaced-b"]


def test_text_of_html_and_corrections_cells():
    assert catalogue.text_of_html("<p>职工 &amp; 家属 <em>看</em> 书</p>") == "职工 & 家属 看 书"
    assert catalogue.text_of_html("“好”&amp;") == "“好”&"
    assert catalogue.text_of_html("") == ""
    row = catalogue.csv_row(Record(url="u", date="2024-01-02", title="t",
                                   corrections=("2024-01-05 “张三、李四”应为“张三”", "2024-01-04 错字")).as_dict())
    assert row[[key for key, _, _ in catalogue.FIELDS].index("corrections")] == \
        "2024-01-05 “张三、李四”应为“张三”\n2024-01-04 错字"


def test_counts_by_year_and_size_labels():
    records = [Record(url=str(n), date=date, title="t") for n, date in enumerate(["2023-05-01", "2024-01-02",
                                                                                  "2024-03-04"])]
    assert catalogue.counts_by_year(records) == [("2024", 2), ("2023", 1)]
    assert [catalogue.size_label(n) for n in (980, 12_500, 3_400_000)] == ["980 B", "12.5 KB", "3.4 MB"]


def reference_csv(records):
    """The CSV as one writer wrote it before rows were kept between builds."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow([column for _, column, _ in catalogue.FIELDS])
    for record in records:
        writer.writerow(catalogue.csv_row(record.as_dict()))
    return "\ufeff" + buffer.getvalue()


# Records that differ in one field each, some only in a value's type (True == 1, 1.0 == 1).
MEMO_RECORDS = [
    Record(url=BASE + "a/", date="2024-01-02", title="甲", page=1, summary="第一行\n“第二行”",
           reporters=("白莹", "李明"), corrections=("2024-01-05 错字",)),
    Record(url=BASE + "a/", date="2024-01-02", title="甲", page=True, summary="第一行\n“第二行”",
           reporters=("白莹", "李明"), corrections=("2024-01-05 错字",)),
    Record(url=BASE + "a/", date="2024-01-02", title="甲", page=1.0, summary="第一行\n“第二行”",
           reporters=("白莹", "李明"), corrections=("2024-01-05 错字",)),
    Record(url=BASE + "a/", date="2024-01-02", title="甲", page=1, summary="第一行\n“第二行”",
           reporters=("李明", "白莹"), corrections=("2024-01-05 错字",)),
    Record(url=BASE + "a/", date="2024-01-02", title="=甲", page=None, keywords=("职工",), photo="p.jpg"),
    Record(url=BASE + "b/", date="2024-01-03", title="乙", position=2),
]


def test_kept_rows_and_texts_give_the_catalogue_made_afresh(tmp_path):
    """The catalogue plugin keeps each record's CSV row and JSON line, and each summary's
    text, for the next build: what it gives back must be what the record makes now, never
    the row of a record that merely compares equal (a page number 1, True or 1.0)."""
    from plugins.catalogue.catalogue import RowMemo

    settings = {"CACHE_PATH": str(tmp_path), "NEWSROOM_CODE_DIGEST": "code1"}
    for order in (MEMO_RECORDS, MEMO_RECORDS[::-1], MEMO_RECORDS[2:] + MEMO_RECORDS[:2]):
        memo = RowMemo(settings)
        csv_line, json_line = memo.lines(order)
        memo.save()
        assert catalogue.to_csv(order, csv_line) == catalogue.to_csv(order) == reference_csv(order)
        assert catalogue.to_json(order, "报名", json_line) == catalogue.to_json(order, "报名")
    assert list(tmp_path.glob("catalogue/rows-code1")), "the rows were kept"
    memo = RowMemo(settings)
    assert len(memo.stored_rows) == 4, "rows of records with a float or bool are not kept"
    memo.lines([Record(**{**vars(record)}) for record in MEMO_RECORDS])  # equal records, new objects
    assert memo.made == 2, "only the two records that cannot be kept are made afresh"
    markup = "<p>职工 &amp; 家属 <em>看</em> 书</p>"
    assert memo.text_of_html(markup) == catalogue.text_of_html(markup)
    memo.save()
    # A kept text is given back for the same markup only; another code digest keeps nothing.
    memo = RowMemo(settings)
    assert memo.stored_texts == {markup: "职工 & 家属 看 书"}
    assert memo.text_of_html(markup + "<p>又</p>") == "职工 & 家属 看 书又"
    assert not RowMemo({"CACHE_PATH": str(tmp_path), "NEWSROOM_CODE_DIGEST": "code2"}).stored_rows


def test_a_damaged_kept_row_is_made_afresh(tmp_path):
    from newsroom.build import marshal_file
    from plugins.catalogue.catalogue import MEMO_VERSION, RowMemo, memo_key

    settings = {"CACHE_PATH": str(tmp_path), "NEWSROOM_CODE_DIGEST": "code1"}
    record = MEMO_RECORDS[0]
    marshal_file.save(RowMemo(settings).path, {"version": MEMO_VERSION, "texts": {"<p>x</p>": 3},
                                               "rows": {memo_key(record): ("only one",)}})
    memo = RowMemo(settings)
    csv_line, json_line = memo.lines([record])
    assert (csv_line(record), json_line(record)) == (catalogue.csv_line(record), catalogue.json_line(record))
    assert memo.text_of_html("<p>x</p>") == "x"


# --- the built site ----------------------------------------------------------------------

def published_article_pages(output):
    return sorted(path for path in output.glob("[12][0-9][0-9][0-9]/[01][0-9]/[0-3][0-9]/*/index.html"))


def page_of(output, url):
    assert url.startswith(BASE), url
    return output / url[len(BASE):] / "index.html"


def test_the_sample_catalogue_lists_every_published_article_as_its_page_shows_it(sample_site):
    output, _ = sample_site
    rows = records_of_csv((output / "catalogue" / "catalogue.csv").read_bytes())
    pages = published_article_pages(output)
    assert len(rows) == len(pages) == 51  # the 52 sample articles minus the draft
    assert sorted(page_of(output, row["网址"]) for row in rows) == pages
    dates = [row["日期"] for row in rows]
    assert dates == sorted(dates)
    for row in rows:
        page = soup(page_of(output, row["网址"]))
        assert page.select_one("h1.headline").get_text(strip=True) == row["主题"]
        kicker = page.select_one(".story-header .kicker")
        assert (kicker.get_text(strip=True) if kicker else "") == row["引题"]
        data = json.loads(page.find("script", type="application/ld+json").string)
        assert data["url"] == row["网址"]
        assert data["datePublished"][:10] == row["日期"]
        assert "、".join(data.get("keywords", [])) == row["关键词"]
        assert "、".join(a["name"] for a in data.get("author", [])) == row["记者"]
        citation = page.select_one(".citation-text")
        assert citation is not None and citation.get_text(strip=True) == row["引用格式"]
        subtitle = page.select_one(".story-header .subtitle")
        assert (subtitle.get_text(strip=True) if subtitle else "") == row["副题"]
        place = data.get("contentLocation", {}).get("name", "")
        assert row["区"] == ("全市" if place == "北京市" else place.removeprefix("北京市"))
        assert data.get("printPage", "") == row["版次"] and data.get("printSection", "") == row["版名"]
        assert [f"{c['datePublished']} {c['text']}" for c in data.get("correction", [])] == \
            (row["更正"].split("\n") if row["更正"] else [])
        assert row["摘要"] and "&" not in row["摘要"]  # text, not the templates' escaped HTML


def test_the_json_file_says_the_same_as_the_csv(sample_site):
    output, _ = sample_site
    rows = records_of_csv((output / "catalogue" / "catalogue.csv").read_bytes())
    data = json.loads((output / "catalogue" / "catalogue.json").read_text(encoding="utf-8"))
    assert data["count"] == len(data["articles"]) == len(rows)
    for row, record in zip(rows, data["articles"]):
        assert catalogue.csv_row(record) == list(row.values())
    assert any(record["topics"] for record in data["articles"])
    assert any(record["page"] is None for record in data["articles"])  # online-only news is listed too


def test_the_catalogue_page_offers_both_files_and_counts_by_year(sample_site):
    output, _ = sample_site
    page = soup(output / "catalogue" / "index.html")
    links = {a.get_text(strip=True): a["href"] for a in page.select(".catalogue-files a")}
    assert links == {"CSV 文件": "/catalogue/catalogue.csv", "JSON 文件": "/catalogue/catalogue.json"}
    for href in links.values():
        assert (output / href.lstrip("/")).is_file()
    years = {row.th.get_text(strip=True): int(row.td.get_text()) for row in page.select(".catalogue-years tbody tr")}
    rows = records_of_csv((output / "catalogue" / "catalogue.csv").read_bytes())
    assert sum(years.values()) == len(rows)
    assert years == {f"{y}年": sum(r["日期"].startswith(y) for r in rows) for y in {r["日期"][:4] for r in rows}}
    columns = [th.get_text(strip=True) for th in page.select(".catalogue-table:not(.catalogue-years) tbody th")]
    assert columns == [column for _, column, _ in catalogue.FIELDS]
    footer_links = [a["href"] for a in soup(output / "index.html").select(".site-footer a")]
    assert "/catalogue/" in footer_links


HOSTILE = """Title: =HYPERLINK("http://evil.example/","点此")
Kicker: <script>alert(1)</script>
Date: 2024-03-12
District: 朝阳区
Tags: -减, @加

本报讯（记者 林晓）近日，朝阳区总工会为辖区内职工书屋配送新书三千余册，涵盖文学、历史和技能培训等类别。
"""
DRAFT = """Title: 东城区职工书屋草稿稿件
Date: 2024-03-19
Status: draft

本报讯（记者 林晓）草稿正文。
"""


def test_hostile_metadata_is_defused_in_the_csv_and_kept_as_text_in_the_json(tmp_path):
    content = tmp_path / "content"
    write_article(content, "2024/03/hostile.md", HOSTILE)
    write_article(content, "2024/03/draft.md", DRAFT)
    output, log = build_site(tmp_path, content_dir=content)
    assert log.messages(logging.ERROR) == []
    (row,) = records_of_csv((output / "catalogue" / "catalogue.csv").read_bytes())
    assert row["主题"] == "'=HYPERLINK(\"http://evil.example/\",\"点此\")"
    assert row["引题"] == "<script>alert(1)</script>"  # a CSV cell is text; nothing renders it
    assert row["关键词"].startswith("'-减、@加")
    (record,) = json.loads((output / "catalogue" / "catalogue.json").read_text(encoding="utf-8"))["articles"]
    assert record["title"] == "=HYPERLINK(\"http://evil.example/\",\"点此\")"
    assert record["keywords"][:2] == ["-减", "@加"]
    assert "草稿" not in (output / "catalogue" / "catalogue.json").read_text(encoding="utf-8")


def test_settings_turn_the_files_and_the_page_off(tmp_path):
    content = tmp_path / "content"
    write_article(content, "2024/03/hostile.md", HOSTILE)
    output, _ = build_site(tmp_path, content_dir=content,
                           settings={"CATALOGUE_CSV": "", "CATALOGUE_SAVE_AS": "", "CATALOGUE_JSON": "data/all.json"})
    assert not (output / "catalogue").exists()
    assert json.loads((output / "data" / "all.json").read_text(encoding="utf-8"))["count"] == 1
    assert "/catalogue/" not in [a["href"] for a in soup(output / "index.html").select(".site-footer a")]


def day_article(title, *extra, body="本报讯（记者 林晓 通讯员 王芳）近日，海淀区总工会为辖区内职工书屋配送新书三千余册。"):
    return "\n".join([f"Title: {title}", "Date: 2024-03-12", "Issue: 8123", *extra]) + "\n\n" + body + "\n"


def test_every_column_comes_from_the_article_and_the_order_is_the_epapers(tmp_path):
    content = tmp_path / "content"
    # Two articles on page 2 without PageOrder: the e-paper orders them by file name
    # (b.md before z.md), not by URL.
    write_article(content, "2024/03/z.md", day_article("甲职工书屋开展读书月活动", "Page: 2", "PageName: 基层"))
    write_article(content, "2024/03/b.md", day_article(
        "乙区总工会为职工书屋配送新书", "Page: 2", "PageName: 基层", "Subtitle: 三千余册图书进楼宇",
        "Kicker: 书香满京城", "District: 海淀", "Summary: 职工 & 家属 *爱* 看书",
        "Correction: 2024-03-14 原文“张三、李四”应为“张三”。", "Correction: 2024-03-13 错字已改。"))
    write_article(content, "2024/03/a.md", day_article("丙区职工书屋延长开放时间", "Page: 1", "PageName: 要闻"))
    write_article(content, "2024/03/online.md", day_article("丁区职工书屋新添电子阅览室"))
    output, log = build_site(tmp_path, content_dir=content)
    assert log.messages(logging.ERROR) == []
    rows = records_of_csv((output / "catalogue" / "catalogue.csv").read_bytes())

    issue = soup(output / "epaper" / "2024-03-12" / "index.html")
    reading = [BASE.rstrip("/") + a["href"] for a in issue.select(".epaper-list a[href]")]
    reading = list(dict.fromkeys(reading))  # a headline may link twice
    assert [row["网址"] for row in rows] == reading
    assert [row["主题"][0] for row in rows] == ["丙", "乙", "甲", "丁"]

    second = rows[1]
    assert (second["引题"], second["副题"], second["区"]) == ("书香满京城", "三千余册图书进楼宇", "海淀区")
    assert (second["期号"], second["版次"], second["版名"]) == ("8123", "2", "基层")
    assert (second["记者"], second["通讯员"]) == ("林晓", "王芳")
    assert second["摘要"] == "职工 & 家属 爱 看书"  # the editor's Markdown summary as text
    assert second["更正"].split("\n") == ["2024-03-14 原文“张三、李四”应为“张三”。", "2024-03-13 错字已改。"]
    assert rows[3]["版次"] == "" and rows[3]["引用格式"].startswith("《北京工会日报》网络版")
    (record,) = [r for r in json.loads((output / "catalogue" / "catalogue.json").read_text(encoding="utf-8"))
                 ["articles"] if r["title"].startswith("乙")]
    assert record["corrections"] == second["更正"].split("\n") and record["page"] == 2


@pytest.mark.parametrize("settings, message", [
    ({"CATALOGUE_CSV": "catalogue/index.html"}, "both"),
    ({"CATALOGUE_JSON": "catalogue/catalogue.csv"}, "both"),
    ({"CATALOGUE_CSV": "../escaped.csv"}, "inside the output folder"),
    ({"CATALOGUE_JSON": "/tmp/all.json"}, "inside the output folder"),
])
def test_settings_that_would_clash_or_escape_are_refused(tmp_path, settings, message):
    content = tmp_path / "content"
    write_article(content, "2024/03/hostile.md", HOSTILE)
    with pytest.raises(ValueError, match=message) as caught:
        build_site(tmp_path, content_dir=content, settings=settings)
    # Pelican loads the plugin from PLUGIN_PATHS, as its own module: compare by name.
    assert type(caught.value).__name__ == "CatalogueSettingError"
    assert not (tmp_path / "escaped.csv").exists()


def test_an_unchanged_catalogue_keeps_its_time_under_newsroom_build(tmp_path):
    """The files go through the writer, so fastbuild leaves unchanged bytes alone."""
    import subprocess
    import sys

    from sitebuild import ROOT

    content, output = tmp_path / "content", tmp_path / "output"
    write_article(content, "2024/03/hostile.md", HOSTILE)

    def build(*options):
        result = subprocess.run([sys.executable, "-m", "newsroom", "build", "--content", str(content), "--output",
                                 str(output), *options], cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr

    build()
    before = {name: (output / "catalogue" / name).stat().st_mtime_ns for name in ("catalogue.csv", "catalogue.json")}
    build("--force")
    assert {name: (output / "catalogue" / name).stat().st_mtime_ns for name in before} == before
