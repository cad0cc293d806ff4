"""Importing a page from its scan: a generated page rasterised as a 200-dpi scan (skew,
blur, grain, specks, JPEG) and read by RapidOCR.

OCR is the slow part (about 20 CPU seconds for a full A3 page of the test sets), so CI
reads ONE page, once per module: a page made for this test that holds everything the
assertions need (page 1's masthead, header line and banner, a footer line, three articles
of the first test set with kickers, a subtitle and wrapped headlines, laid 0.51° crooked)
and about half the text of a full page. The read runs in a network namespace with no
interface up when the machine allows one, which is what the offline test asserts. The
figures over every page of every set come from ``python -m bench.page_bench``
(bench/page_results.json, docs/page-images.md).
"""

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from bench import pagegen, pagemetrics, pagescan
from newsroom.archive import pagefile
from newsroom.desk import importer, page_import

ROOT = Path(__file__).resolve().parents[1]
SCAN = pagescan.settings_for(107, dpi=200)  # the first test set's page 7 settings: skew -0.51°
READ_PAGE = """
import pickle, socket, sys
from pathlib import Path
try:
    socket.create_connection(("pypi.org", 443), timeout=3)
    offline = False
except OSError:
    offline = True
from newsroom.desk import importer, page_import
scan, out, date, page, name = sys.argv[1:6]
from datetime import date as Date
read = page_import.read_page_file(Path(scan), importer.PageInfo(Date.fromisoformat(date), int(page), name))
Path(out).write_bytes(pickle.dumps((offline, read)))
"""


def ci_page():
    """Page 1 with the masthead, a banner, a footer and the first test set's page-7 stories."""
    test = pagegen.test_pages()
    first, seventh = test[0].spec, test[6]
    spec = pagegen.PageSpec(date=first.date, page=1, page_name=first.page_name, stories=list(seventh.placed),
                            banner=first.banner, issue=first.issue, seed=seventh.spec.seed, footer=True)
    comp = pagegen.compose(spec)
    assert not comp.left_over
    return comp


def network_namespace():
    """``unshare -n`` when this machine can make a network namespace (else None, and why)."""
    if not shutil.which("unshare"):
        return None, "unshare(1) is not installed"
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        return None, f"cannot make a network namespace here: {probe.stderr.decode()[:80]}"
    return ["unshare", "-n"], ""


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    """The CI page as a scan, read once: ``(comp, scan, ReadPage, truth, offline, why)``;
    ``offline`` is None when no network namespace could be made (``why`` says why)."""
    folder = tmp_path_factory.mktemp("scans")
    comp = ci_page()
    pdf = pagegen.write_pdf(comp, folder / "page.pdf")
    scan = pagescan.scan(pdf, folder / f"{comp.spec.date}_01_{comp.spec.page_name}.jpg", SCAN, seed=7)
    prefix, why = network_namespace()
    if prefix is None:
        read = page_import.read_page_file(scan, importer.PageInfo(comp.spec.date, 1, comp.spec.page_name))
        return comp, scan, read, pagegen.truth(comp), None, why
    out = folder / "read.pickle"
    result = subprocess.run([*prefix, sys.executable, "-c", READ_PAGE, str(scan), str(out), comp.spec.date.isoformat(),
                             "1", comp.spec.page_name], capture_output=True, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    offline, read = pickle.loads(out.read_bytes())
    return comp, scan, read, pagegen.truth(comp), offline, ""


def articles_of(page):
    return [{"title": a.title, "kicker": a.kicker, "subtitle": a.subtitle,
             "paragraphs": [[p.text, p.crosshead] for p in a.paragraphs],
             "regions": [[b[0], b[1], b[2] - b[0], b[3] - b[1]] for b in laid.regions]}
            for a, laid in zip(page.parsed.articles, page.layout.articles)]


def test_scan_import_meets_the_bars(scanned):
    """Split exact (kickers and subtitles too), ≥ 97 % of the body text right by character,
    every region IoU ≥ 0.8, the banner found and the masthead and footer left out."""
    comp, scan, page, truth, *_ = scanned
    assert page.kind == "scan"
    score = pagemetrics.score_page(articles_of(page), truth, page.text.dpi / 72)
    assert score["split_exact"], [a.title for a in page.parsed.articles]
    assert min(score["ious"]) >= 0.8, score["ious"]
    assert 1 - score["char_errors"] / score["chars"] >= 0.97, score
    assert page.parsed.banner.replace(" ", "") == truth["banner"].replace(" ", "")
    for found, true in zip(page.parsed.articles, truth["articles"]):
        assert pagemetrics.squeeze(found.kicker) == pagemetrics.squeeze(true["kicker"])
        assert pagemetrics.squeeze(found.subtitle) == pagemetrics.squeeze(true["subtitle"])
    assert sum(bool(t["kicker"]) for t in truth["articles"]) >= 2 and any(t["subtitle"] for t in truth["articles"])
    layout = page.layout
    assert layout.header_lines and layout.footer_lines
    body = "".join(layout.lines[i].text for a in layout.articles for i in a.lines)
    assert "北京工会日报" not in body and "邮编" not in body


def test_the_scan_is_straightened_and_every_box_fits_its_image(scanned, tmp_path):
    # Laid 0.51° crooked (a skew under ~0.3° moves a 320-pixel line by less than a pixel
    # end to end: the detector's boxes cannot show it, and it does not matter).
    comp, scan, page, *_ = scanned
    deskew = [note for note in page.text.notes if note.startswith("deskew")]
    assert deskew and abs(abs(float(deskew[0].split()[1].rstrip("°"))) - abs(SCAN.skew)) < 0.15, (deskew, SCAN)
    plan = page_import.plan_pages([page], tmp_path / "content")[0]
    page_import.write_pages([plan])
    folder = tmp_path / "content" / "epaper" / comp.spec.date.isoformat()
    data = pagefile.load(folder / "01.page.json")
    assert data.source_kind == "scan" and data.dpi == 200 and any(note.startswith("deskew") for note in data.notes)
    assert data.original.endswith(".scan.jpg") and data.original_path.read_bytes() == scan.read_bytes()
    with Image.open(data.image_path) as image:
        assert image.size == (data.width, data.height) and not image.getexif()
    assert all(0 < line.confidence <= 1 for line in data.lines)


def test_ocr_runs_with_the_network_cut(scanned):
    """The models are in the wheel: the page above was read in a network namespace with no
    interface up, where connecting to the package index failed."""
    comp, scan, page, truth, offline, why = scanned
    if offline is None:
        pytest.skip(why)
    assert offline, "the package index was reachable from inside the network namespace"
    assert len(page.text.lines) > 50 and comp.spec.page_name in "".join(line.text for line in page.text.lines)
