"""The benchmark's synthetic catalogue and a smoke run of the benchmark (no timing asserted)."""

import json
import os
import re
from pathlib import Path

from bench.generate import edit_article, generate_catalogue
from newsroom.paper.content import read_source
from newsroom.text.districts import gazetteer, normalize_district

ROOT = Path(__file__).resolve().parents[1]


def test_catalogue_is_deterministic(tmp_path):
    first = generate_catalogue(120, tmp_path / "a", seed=3)
    second = generate_catalogue(120, tmp_path / "b", seed=3)
    other = generate_catalogue(120, tmp_path / "c", seed=4)
    assert len(first) == 120
    assert [p.relative_to(tmp_path / "a") for p in first] == [p.relative_to(tmp_path / "b") for p in second]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in other]


def test_catalogue_uses_the_whole_content_model(tmp_path):
    paths = generate_catalogue(600, tmp_path / "catalogue")
    sources = [read_source(p) for p in paths]
    keys = {key for s in sources for key in s.meta}
    assert {"title", "kicker", "subtitle", "date", "authors", "correspondents", "district", "page", "pagename",
            "pageorder", "issue", "tags", "topics", "status", "correction", "summary"} <= keys
    years = {s.get("date")[:4] for s in sources}
    assert len(years) >= 10, years
    districts = [s.get("district") for s in sources if s.get("district")]
    assert any(d.endswith("区") for d in districts) and any(not d.endswith("区") for d in districts)
    for district in districts:
        normalize_district(district)  # every form is one the site accepts
    openings = {re.match(r"(本报讯[（(](?:记者|通讯员|特约记者)|本报记者|（记者)", s.body).group(1) for s in sources}
    assert len(openings) >= 5, openings
    # An issue is one date with several pages, each page ordered from 1.
    issues = {}
    for s in sources:
        if s.get("issue"):
            issues.setdefault(s.get("issue"), set()).add((s.get("date")[:10], int(s.get("page"))))
    assert all(len({day for day, _ in pages}) == 1 for pages in issues.values())
    assert sum(len({page for _, page in pages}) > 1 for pages in issues.values()) > len(issues) / 2
    # Text recombined from the sample articles: real sentences, no placeholder text.
    # (figures and district names vary, so both are blanked before comparing sentences).
    names = sorted((n for n in gazetteer().accepted if re.fullmatch(r"[\u4e00-\u9fff]+", n)), key=len, reverse=True)
    blank = re.compile(r"\d+|" + "|".join(names))
    sample_text = blank.sub("", "".join(read_source(p).body for p in (ROOT / "content").rglob("*.md")))
    sentences = [re.split(r"(?<=[。！？])", s.body_paragraphs()[-1])[0] for s in sources[:40]]
    found = sum(blank.sub("", sentence) in sample_text for sentence in sentences)
    assert found >= 0.8 * len(sentences), (found, sentences[:3])
    assert "lorem" not in "".join(s.body for s in sources).lower()
    assert len({s.title for s in sources}) == len(sources)
    # What an editor would publish: `newsroom check` finds nothing wrong (the benchmark
    # builds through `newsroom build`, whose check step reports every error).
    from newsroom.desk.checks import check_paths

    problems, checked = check_paths([tmp_path / "catalogue"])
    assert checked == len(paths) + len(list((tmp_path / "catalogue" / "pages").rglob("*.md")))
    assert [str(p) for p in problems if p.is_error] == []


def test_a_large_catalogue_has_one_slug_per_article_and_plausible_headlines(tmp_path):
    """Pelican takes articles with one slug for translations: every slug must be unique.

    The sample has ~50 headlines; 4,000 articles need their places and rests recombined
    (the 20,000-article catalogue works the same way, only slower to test)."""
    from newsroom.text.slugs import slugify_headline

    paths = generate_catalogue(4000, tmp_path / "catalogue")
    titles = [read_source(p).title for p in paths]
    slugs = [slugify_headline(title) for title in titles]  # as the newsroom_reader plugin makes them
    assert len(set(slugs)) == len(paths) == 4000
    # Recombined, not stacked: no "place：headline" and no place twice in a row.
    assert not [t for t in titles if "：" in t]
    units = sorted({u for names in gazetteer().units.values() for u in names}, key=len, reverse=True)
    doubled = re.compile("(" + "|".join(units) + ")(" + "|".join(units) + ")")
    assert not [t for t in titles if doubled.match(t)]
    assert len({t[-6:] for t in titles}) >= 40  # the rests of many sample headlines, not a few


def test_edit_article_changes_the_body(tmp_path):
    path = generate_catalogue(5, tmp_path / "catalogue")[0]
    before = path.read_text(encoding="utf-8")
    added = edit_article(path, "9")
    assert path.read_text(encoding="utf-8") == before.rstrip("\n") + "\n\n" + added + "\n"


def test_benchmark_smoke_run_writes_the_table(tmp_path):
    """N = 30 by default (fast); CI may set BENCH_SMOKE_N=1000 for the issue's smoke size."""
    from bench import run

    n = int(os.environ.get("BENCH_SMOKE_N", "30"))
    report = tmp_path / "performance.md"
    report.write_text("# Performance\n\nText kept around the table.\n", encoding="utf-8")
    results = tmp_path / "results.json"
    # --no-verify: the byte-identity of rebuilds is tests/test_quality.py's and test_fastbuild's.
    code = run.main(["--n", str(n), "--work", str(tmp_path / "work"), "--report", str(report),
                     "--results", str(results), "--no-verify", "--keep"])
    assert code == 0
    text = report.read_text(encoding="utf-8")
    assert "Text kept around the table." in text
    for step in ("cold build", "rebuild, nothing changed |", "rebuild, nothing changed, `--force`",
                 "rebuild, one article edited", "preview delay after one edit"):
        row = next(line for line in text.splitlines() if line.startswith(f"| {n:,} |") and step in line)
        cells = [c.strip() for c in row.strip("|").split("|")]
        float(cells[3])  # ours in seconds
        if "--force" not in step:  # a step of ours only
            float(cells[4])  # vanilla in seconds
    saved = json.loads(results.read_text(encoding="utf-8"))
    assert saved[0]["n"] == n
    # Every article but the edited one from the cache; the generator's drafts (1 in 100) are
    # not read at all (the public build leaves drafts out: plugins/release).
    hits, read = map(int, saved[0]["ours"]["edited"]["keyword_cache_hits"].split("/"))
    content = tmp_path / "work" / f"n{n}" / "content"  # kept (--keep) to count the live articles
    live = [p for p in content.rglob("*.md")
            if "pages" not in p.relative_to(content).parts and "Status: draft" not in p.read_text("utf-8")]
    # The last step added one article to today's issue: read once more, all live articles.
    added = int(saved[0]["ours"]["added"]["keyword_cache_hits"].split("/")[1])
    assert hits == read - 1 and added == read + 1 == len(live) and n - n // 20 <= read <= n
    # Ours is built as `make html` builds: `newsroom build`, which finds nothing changed
    # and skips Pelican; with --force Pelican runs (and its cache answers every article).
    assert saved[0]["ours"]["unchanged"].get("skipped") is True
    assert "skipped" not in saved[0]["ours"]["unchanged_forced"]
    assert saved[0]["ours"]["unchanged_forced"]["keyword_cache_hits"] == f"{read}/{read}"
    assert saved[0]["ours"]["check"]["seconds"] > 0
    assert set(saved[0]["ours"]["cold"]["phases"]) == {"startup", "context", "pages", "finish"}
