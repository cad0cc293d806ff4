"""Importing a page from its PDF: generated pages whose truth is known (bench/pagegen.py).

The development pages (2023 sample articles, one fixture page) are the ones the layout
rules were tuned on; the test pages (2024 sample articles, the other fixture pages) were
only ever measured. Both must import exactly: every article, field and paragraph.
"""

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from bench import pagegen, pagemetrics
from newsroom.archive import pagefile
from newsroom.desk import importer, page_import
from newsroom.desk.cli import main

ROOT = Path(__file__).resolve().parents[1]


DEV2_PAGES = {2, 3, 11, 17, 18, 19}
# dev3 (session 8): bylines whose short second line sits left of the indented first (2, 8), an
# article whose last column holds one indented line (5); dev2's page 11 a line broken at a full-width space.
DEV3_PAGES = {2, 5, 8}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Every dev and test page as a PDF, with its truth: ``[(set, comp, pdf, truth)]``; of the
    second development set, a page of seven columns, one of A4 in four, the pages whose
    lead article's opening lines carry the header's words (the paper's name, a date, 第N版)
    and page 11 (a line broken at a full-width space); of the third, the pages of DEV3_PAGES."""
    folder = tmp_path_factory.mktemp("pages")
    sets = {"dev": pagegen.dev_pages(), "test": pagegen.test_pages(),
            "dev2": [comp for comp in pagegen.pages_of("dev2") if comp.spec.page in DEV2_PAGES],
            "dev3": [comp for comp in pagegen.pages_of("dev3") if comp.spec.page in DEV3_PAGES]}
    chars = pagegen.charsets([comp for comps in sets.values() for comp in comps])
    pages = []
    for name, comps in sets.items():
        for comp in comps:
            pdf = pagegen.write_pdf(comp, folder / f"{name}-{comp.spec.page:02d}.pdf", chars)
            pages.append((name, comp, pdf, pagegen.truth(comp)))
    return pages


def info_of(comp):
    return importer.PageInfo(comp.spec.date, comp.spec.page, comp.spec.page_name)


def expected(truth_article):
    """The truth as the text importer would write it (its space rules applied)."""
    return {
        "title": importer.clean_spaces(truth_article["title"]),
        "kicker": importer.clean_spaces(truth_article["kicker"]),
        "subtitle": importer.clean_spaces(truth_article["subtitle"]),
        "paragraphs": [(importer.clean_spaces(text), crosshead) for text, crosshead in truth_article["paragraphs"]],
    }


def test_pdf_import_is_exact_on_every_generated_page(generated):
    counts = {"dev": 0, "test": 0, "dev2": 0, "dev3": 0}
    for name, comp, pdf, truth in generated:
        page = page_import.read_page_file(pdf, info_of(comp), dpi=100)
        where = f"{name} page {comp.spec.page}"
        assert page.kind == "pdf"
        assert page.parsed.banner == truth["banner"], where
        found = page.parsed.articles
        assert [a.title for a in found] == [expected(t)["title"] for t in truth["articles"]], where
        for article, true in zip(found, truth["articles"]):
            want = expected(true)
            got = {"title": article.title, "kicker": article.kicker, "subtitle": article.subtitle,
                   "paragraphs": [(p.text, p.crosshead) for p in article.paragraphs]}
            assert got == want, f"{where}: {article.title}"
        for laid, true in zip(page.layout.articles, truth["articles"]):
            regions = [[b[0], b[1], b[2] - b[0], b[3] - b[1]] for b in laid.regions]
            iou = pagemetrics.region_iou(regions, pagemetrics.truth_regions(true, 100 / 72))
            assert iou >= 0.9, f"{where}: {true['title']}: region IoU {iou:.2f}"
        counts[name] += len(found)
    # The sets are what the docs say they are.
    assert counts["dev"] >= 25 and counts["test"] >= 30 and counts["dev2"] >= 15 and counts["dev3"] >= 15, counts


def run_import(*args):
    return main(["--lang", "zh", "import", *map(str, args)])


def first_dev_page(generated):
    return next((comp, pdf, truth) for name, comp, pdf, truth in generated if name == "dev" and comp.spec.page == 1)


def test_import_writes_articles_page_files_and_sidecar_once(generated, tmp_path, capsys):
    comp, pdf, truth = first_dev_page(generated)
    out = tmp_path / "content"
    args = (pdf, "--date", comp.spec.date, "--page", 1, "--page-name", "要闻", "--out", out, "--dpi", 100)
    assert run_import(*args, "--dry-run") == 0
    assert "将新建" in capsys.readouterr().out and not out.exists()

    assert run_import(*args) == 0
    printed = capsys.readouterr().out
    folder = out / "epaper" / comp.spec.date.isoformat()
    assert sorted(p.name for p in folder.iterdir()) == ["01.page.json", "01.pdf", "01.png"]
    assert (folder / "01.pdf").read_bytes() == pdf.read_bytes()
    # The sidecar is read back by the site's reader (one module writes and reads it):
    # the same page, and written again, the same bytes.
    side = folder / "01.page.json"
    data = pagefile.load(side)
    assert pagefile.dumps(data) == side.read_text(encoding="utf-8")
    assert data.source_kind == "pdf" and data.dpi == 100 and data.page == 1 and data.page_name == "要闻"
    assert data.original == "01.pdf" and data.image == "01.png" and data.extra == {}
    with Image.open(folder / "01.png") as image:
        assert image.size == (data.width, data.height)
    assert data.banner == truth["banner"] and data.issue == ""  # no --issue given
    articles = sorted((out / "2023" / "06").glob("*.md"))
    assert len(articles) == len(truth["articles"]) == len(data.articles)
    assert printed.count("  新建 ") == len(articles) and "合计：1 个版面，新建 5 篇" in printed
    for entry, true in zip(data.articles, truth["articles"]):
        text = (out / entry.file).read_text(encoding="utf-8")
        assert f"Title: {true['title']}" in text and "Page: 1" in text and "PageName: 要闻" in text
        assert entry.title == true["title"] and entry.regions and entry.review == ()
    # Every line is in reading order; the header lines belong to no article, and the
    # lines of each article carry exactly its text.
    owners = [line.article for line in data.lines]
    assert owners[0] is None and set(owners) - {None} == set(range(len(data.articles)))
    for number, true in enumerate(truth["articles"]):
        text = "".join(line.text for line in data.lines if line.article == number)
        assert pagemetrics.squeeze(text) == pagemetrics.squeeze(true["kicker"] + true["title"]) + \
            pagemetrics.squeeze("——" + true["subtitle"] if true["subtitle"] else "") + \
            pagemetrics.body_text(true["paragraphs"])
    # The articles pass the desk's check as they are.
    assert main(["check", str(out / "2023")]) == 0
    capsys.readouterr()

    # Again: nothing changes, and the articles are the existing ones now.
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert run_import(*args) == 0
    assert "已有，关联到版面" in capsys.readouterr().out
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_existing_articles_are_attached_not_overwritten(generated, tmp_path, capsys):
    """The sample site's case: the articles were typed before the page was imported."""
    comp, pdf, truth = first_dev_page(generated)
    out = tmp_path / "content"
    month = out / "2023" / "06"
    month.mkdir(parents=True)
    typed = month / "typed-earlier.md"
    first = truth["articles"][0]
    typed.write_text(f"Title: {first['title']}\nDate: {comp.spec.date}\nPage: 3\nSlug: typed-earlier\n\n编辑改过的正文。\n",
                     encoding="utf-8")
    before = typed.read_bytes()
    assert run_import(pdf, "--date", comp.spec.date, "--page", 1, "--out", out, "--dpi", 72) == 0
    printed = capsys.readouterr().out
    assert typed.read_bytes() == before
    assert "已有，关联到版面（文章未改动）" in printed and "已有文章在第 3 版" in printed
    data = json.loads((out / "epaper" / str(comp.spec.date) / "01.page.json").read_text(encoding="utf-8"))
    assert data["articles"][0]["file"] == "2023/06/typed-earlier.md"
    assert len(list(month.glob("*.md"))) == len(truth["articles"])


def test_a_changed_page_file_stops_the_whole_import(generated, tmp_path, capsys):
    comp, pdf, _ = first_dev_page(generated)
    out = tmp_path / "content"
    args = (pdf, "--date", comp.spec.date, "--page", 1, "--out", out, "--dpi", 72)
    assert run_import(*args) == 0
    side = out / "epaper" / str(comp.spec.date) / "01.page.json"
    side.write_text(side.read_text(encoding="utf-8").replace('"page": 1', '"page": 1 '), encoding="utf-8")
    shutil.rmtree(out / "2023")
    capsys.readouterr()
    assert run_import(*args) == 1
    error = capsys.readouterr().err
    assert "已存在且内容不同，没有写入任何文件" in error and "--force" in error
    assert not (out / "2023").exists()
    assert run_import(*args, "--force") == 0
    assert pagefile.load(side).page == 1 and (out / "2023").exists()


def test_bad_page_files_get_a_chinese_error_naming_the_file(tmp_path, capsys):
    import fitz

    two = tmp_path / "two.pdf"
    doc = fitz.open()
    doc.new_page()
    doc.new_page()
    doc.save(two)
    assert run_import(two, "--date", "2024-01-02", "--page", 1, "--out", tmp_path / "c") == 1
    error = capsys.readouterr().err
    assert str(two) in error and "PDF 有 2 页" in error and "每版导出一个 PDF" in error
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 not really")
    assert run_import(broken, "--date", "2024-01-02", "--page", 1, "--out", tmp_path / "c") == 1
    assert "无法打开这个 PDF" in capsys.readouterr().err
    assert not (tmp_path / "c").exists()


def test_batch_imports_page_by_page_resumes_and_sums_up(generated, tmp_path, capsys):
    folder = tmp_path / "scans"
    folder.mkdir()
    dev = [(comp, pdf) for name, comp, pdf, _ in generated if name == "dev"][:2]
    for comp, pdf in dev:
        shutil.copy(pdf, folder / f"{comp.spec.date}_{comp.spec.page:02d}_{comp.spec.page_name}.pdf")
    broken = folder / f"{dev[0][0].spec.date}_09_文化.pdf"
    broken.write_bytes(b"%PDF-1.7 cut off")
    (folder / "notes.doc").write_text("x")
    out = tmp_path / "content"
    args = ("--batch", folder, "--out", out, "--dpi", 72)
    assert run_import(*args) == 1
    captured = capsys.readouterr()
    assert "[1/3] 正在导入" in captured.out and "[3/3]" in captured.out
    assert "批量导入：3 个版面，本次导入 2 个，跳过（此前已导入）0 个，失败 1 个" in captured.out
    assert "失败的版面" in captured.out and broken.name in captured.out
    assert "跳过了" in captured.err and "notes.doc" in captured.err
    assert (folder / page_import.STATE_FILE).is_file()
    assert len(list((out / "epaper" / str(dev[0][0].spec.date)).glob("*.page.json"))) == 2

    # Fixed and run again: what was done is skipped, the failed page is imported.
    shutil.copy(dev[0][1], broken)
    assert run_import(*args) == 0
    printed = capsys.readouterr().out
    assert printed.count("上次已导入，跳过") == 2
    assert "本次导入 1 个，跳过（此前已导入）2 个，失败 0 个" in printed
    data = pagefile.load(out / "epaper" / str(dev[0][0].spec.date) / "09.page.json")
    assert data.page == 9 and data.page_name == "文化"
    # Page 9 is page 1's PDF again: its articles exist (page 1), so they are attached.
    day = dev[0][0].spec.date
    assert not list((out / f"{day:%Y}" / f"{day:%m}").glob("*-09-*.md"))


def test_batch_names_a_badly_named_page_file(tmp_path, capsys):
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "page one.pdf").write_bytes(b"%PDF-1.7")
    assert run_import("--batch", folder, "--out", tmp_path / "c") == 1
    error = capsys.readouterr().err
    assert "page one.pdf" in error and "2024-01-02_01_要闻.pdf" in error


def test_generated_pages_are_reproducible(tmp_path):
    comp = pagegen.test_pages()[-1]
    first = pagegen.write_pdf(comp, tmp_path / "a.pdf").read_bytes()
    assert pagegen.write_pdf(comp, tmp_path / "b.pdf").read_bytes() == first
