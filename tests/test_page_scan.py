"""Importing a page from its scan: generated pages rasterised as 200-dpi scans (±1° skew,
blur, grain, specks, JPEG) and read by RapidOCR.

OCR is slow, so CI reads two test-set pages, once per session (the module's fixture), and
asserts the issue's bars on them; ``python -m bench.page_bench`` runs every page of both
sets and writes the figures into bench/page_results.json (docs/page-images.md).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from bench import pagegen, pagemetrics, pagescan
from newsroom.archive import pagefile
from newsroom.desk import importer, page_import
from newsroom.desk.cli import main

ROOT = Path(__file__).resolve().parents[1]
CI_PAGES = (1, 5)  # test-set pages: masthead, banner and a kicker; five articles, kickers and subtitles


@pytest.fixture(scope="module")
def scans(tmp_path_factory):
    """Two test-set pages as scans, each imported once: ``[(comp, scan, ReadPage, truth)]``."""
    folder = tmp_path_factory.mktemp("scans")
    comps = [comp for comp in pagegen.test_pages() if comp.spec.page in CI_PAGES]
    chars = pagegen.charsets(comps)
    found = []
    for comp in comps:
        pdf = pagegen.write_pdf(comp, folder / f"test-{comp.spec.page:02d}.pdf", chars)
        settings = pagescan.settings_for(comp.spec.page + 100, dpi=200)
        scan = pagescan.scan(pdf, folder / f"{comp.spec.date}_{comp.spec.page:02d}_{comp.spec.page_name}.jpg",
                             settings, seed=comp.spec.page)
        info = importer.PageInfo(comp.spec.date, comp.spec.page, comp.spec.page_name)
        found.append((comp, scan, page_import.read_page_file(scan, info), pagegen.truth(comp)))
    return found


def articles_of(page):
    return [{"title": a.title, "kicker": a.kicker, "subtitle": a.subtitle,
             "paragraphs": [[p.text, p.crosshead] for p in a.paragraphs],
             "regions": [[b[0], b[1], b[2] - b[0], b[3] - b[1]] for b in laid.regions]}
            for a, laid in zip(page.parsed.articles, page.layout.articles)]


def test_scan_import_meets_the_bars(scans):
    """Split exact, ≥ 97 % of the body text right by character, every region IoU ≥ 0.8."""
    chars = errors = 0
    for comp, scan, page, truth in scans:
        assert page.kind == "scan"
        score = pagemetrics.score_page(articles_of(page), truth, page.text.dpi / 72)
        assert score["split_exact"], (comp.spec.page, [a.title for a in page.parsed.articles])
        assert min(score["ious"]) >= 0.8, (comp.spec.page, score["ious"])
        assert page.parsed.banner.replace(" ", "") == truth["banner"].replace(" ", "")
        chars += score["chars"]
        errors += score["char_errors"]
    accuracy = 1 - errors / chars
    assert accuracy >= 0.97, accuracy


def test_the_scan_is_straightened_and_every_box_fits_its_image(scans, tmp_path):
    # The page laid most crooked (a skew under ~0.3° moves a 320-pixel line by less than a
    # pixel end to end: the detector's boxes cannot show it, and it does not matter).
    comp, scan, page, truth = max(scans, key=lambda s: abs(pagescan.settings_for(s[0].spec.page + 100).skew))
    settings = pagescan.settings_for(comp.spec.page + 100, dpi=200)
    assert abs(settings.skew) >= 0.3
    deskew = [note for note in page.text.notes if note.startswith("deskew")]
    assert deskew and abs(abs(float(deskew[0].split()[1].rstrip("°"))) - abs(settings.skew)) < 0.15, (deskew, settings)
    plan = page_import.plan_pages([page], tmp_path / "content")[0]
    page_import.write_pages([plan])
    folder = tmp_path / "content" / "epaper" / comp.spec.date.isoformat()
    data = pagefile.load(folder / f"{comp.spec.page:02d}.page.json")
    assert data.source_kind == "scan" and data.dpi == 200 and any(note.startswith("deskew") for note in data.notes)
    assert data.original.endswith(".scan.jpg") and data.original_path.read_bytes() == scan.read_bytes()
    with Image.open(data.image_path) as image:
        assert image.size == (data.width, data.height) and not image.getexif()
    assert all(0 < line.confidence <= 1 for line in data.lines)


def test_ocr_runs_with_the_network_cut(tmp_path):
    """The models are in the wheel: OCR works in a network namespace with no interface up."""
    if not shutil.which("unshare"):
        pytest.skip("unshare(1) is not installed")
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a network namespace here: {probe.stderr.decode()[:80]}")
    comp = pagegen.test_pages()[6]
    pdf = pagegen.write_pdf(comp, tmp_path / "page.pdf")
    scan = pagescan.scan(pdf, tmp_path / "page.jpg", pagescan.ScanSettings(dpi=200))
    with Image.open(scan) as image:  # the top of the page: the header and a headline
        image.crop((0, 0, image.width, image.height // 5)).save(tmp_path / "part.jpg", dpi=(200, 200))
    code = ("import socket, sys\n"
            "try:\n    socket.create_connection(('pypi.org', 443), timeout=3)\n    sys.exit('network is reachable')\n"
            "except OSError:\n    pass\n"
            "from newsroom.archive import ocr_reader\n"
            f"text, image = ocr_reader.read_scan({str(tmp_path / 'part.jpg')!r})\n"
            "print(len(text.lines), ''.join(line.text for line in text.lines))\n")
    result = subprocess.run(["unshare", "-n", sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert int(result.stdout.split()[0]) >= 3 and comp.spec.page_name in result.stdout
