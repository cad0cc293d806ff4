"""`python -m newsroom analyze`: the contract, and agreement with what the site shows."""

import json
import subprocess
import sys

from newsroom.paper.analysis import ANALYZE_KEYS
from sitebuild import ROOT, soup
from test_site import content_sources, expected_path


def run_analyze(*args):
    result = subprocess.run([sys.executable, "-m", "newsroom", "analyze", *map(str, args)], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    return result, [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_one_json_object_per_article_with_exactly_the_contract_keys():
    files = sorted((ROOT / "content" / "2024" / "01").glob("*.md"))
    result, rows = run_analyze(*files)
    assert result.returncode == 0, result.stderr
    assert len(rows) == len(files)
    for row, path in zip(rows, files):
        assert tuple(row) == ANALYZE_KEYS
        assert row["file"] == str(path)
        for plural in ("keywords", "topics", "reporters", "correspondents"):
            assert isinstance(row[plural], list)
        assert row["keywords"] and row["district"] and row["title"]


def test_analyze_says_what_the_site_shows(sample_site):
    """Keywords, district and reporters of every published sample article match its page."""
    output, _ = sample_site
    sources = [s for s in content_sources() if s.get("status") != "draft"]
    _, rows = run_analyze(*(s.path for s in sources))
    assert len(rows) == len(sources)
    for source, row in zip(sources, rows):
        page = soup(output / expected_path(source))
        meta = page.find("meta", attrs={"name": "keywords"})
        assert row["keywords"] == meta["content"].split(","), source.path
        district = page.select_one(".story-district")
        assert row["district"] == (district.get_text(strip=True) if district else ""), source.path
        byline = page.select_one(".story-byline")
        names = [a.get_text() for a in byline.find_all("a")] if byline else []
        assert row["reporters"] == names, source.path


def test_bad_input_names_the_file_and_line(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("Title: 测试\nDate: 2024-01-02\nDistrict: 门头钩\n\n本报讯（记者 白莹）测试。\n", encoding="utf-8")
    gbk = tmp_path / "gbk.md"
    gbk.write_bytes("Title: 测试\nDate: 2024-01-02\n\n本报讯（记者 白莹）职工之家。\n".encode("gb18030"))
    result, rows = run_analyze(bad, gbk)
    assert result.returncode == 1 and rows == []
    assert f"{bad}:3: 所属区（District）'门头钩' 不是北京的区名 — 改法：是不是 门头沟区？" in result.stderr
    assert f"{gbk}:" in result.stderr and "UTF-8" in result.stderr
