"""The archive catalogue (/catalogue/): CSV and JSON of every published article."""

import csv
import io
import json
import logging

import pytest

from newsroom import catalogue
from newsroom.catalogue import Record
from sitebuild import build_site, soup, write_article

BASE = "https://news.example.org/"


def records_of_csv(data):
    assert data.startswith("\ufeff".encode("utf-8")), "spreadsheets need the byte-order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# --- newsroom.catalogue ------------------------------------------------------------------

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
    assert b"\r\n" in data
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


def test_order_is_by_date_then_print_order_then_online_news():
    def record(url, date, page=None, order=None):
        return Record(url=url, date=date, title=url, page=page, page_order=order)

    shuffled = [record("online", "2024-01-02"), record("p2", "2024-01-02", 2, 1),
                record("p1-second", "2024-01-02", 1, 2), record("p1-lead", "2024-01-02", 1, 1),
                record("older", "2024-01-01", 3, 1)]
    assert [r.url for r in catalogue.catalogue_order(shuffled)] == ["older", "p1-lead", "p1-second", "p2", "online"]


def test_counts_by_year_and_size_labels():
    records = [Record(url=str(n), date=date, title="t") for n, date in enumerate(["2023-05-01", "2024-01-02",
                                                                                  "2024-03-04"])]
    assert catalogue.counts_by_year(records) == [("2024", 2), ("2023", 1)]
    assert [catalogue.size_label(n) for n in (980, 12_500, 3_400_000)] == ["980 B", "12.5 KB", "3.4 MB"]


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
        assert row["摘要"] and "&" not in row["摘要"]  # text, not the templates' escaped HTML


def test_the_json_file_says_the_same_as_the_csv(sample_site):
    output, _ = sample_site
    rows = records_of_csv((output / "catalogue" / "catalogue.csv").read_bytes())
    data = json.loads((output / "catalogue" / "catalogue.json").read_text(encoding="utf-8"))
    assert data["count"] == len(data["articles"]) == len(rows)
    columns = {key: column for key, column, _ in catalogue.FIELDS}
    for row, record in zip(rows, data["articles"]):
        assert {columns[key]: catalogue.csv_cell(value) for key, value in record.items()} == row
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
