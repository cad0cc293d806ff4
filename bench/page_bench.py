"""The page import measured on generated pages: accuracy (development and test sets apart) and speed.

    python -m bench.page_bench [--sets dev test dev2 test2 test3] [--kinds pdf scan] [--pages N …]
                               [--out bench/page_results.json] [--ocr-cache DIR]

For every page of the sets: the PDF is imported (text layer) and the page's 200-dpi "scan"
(bench/pagescan.py: ±1° skew, blur, grain, specks, JPEG) is imported through OCR. Per set
and kind: how many pages were split exactly (the same articles, in order), character
accuracy over all body text (bench/pagemetrics.py defines it), region IoU (min and mean),
and seconds per page: reading (PDF) or OCR, deskew and layout apart, wall time and the
process's CPU seconds (all threads; on a shared machine the steadier figure). The machine's
load and niceness are recorded with the figures: compare within one run.
"""

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from bench import pagegen, pagemetrics, pagescan
from newsroom.desk import importer, page_import
from newsroom.errors import ContentError

SCAN_DPI = 200
# Each set's scans get settings of their own (skew, blur, grain …): page N of a set uses seed N + offset.
SCAN_SEED_OFFSET = {"dev": 0, "test": 100, "test2": 200, "dev2": 300, "test3": 400, "dev3": 500, "test4": 600}


def found_articles(page):
    return [{"title": a.title, "kicker": a.kicker, "subtitle": a.subtitle,
             "paragraphs": [[p.text, p.crosshead] for p in a.paragraphs],
             "regions": [[b[0], b[1], b[2] - b[0], b[3] - b[1]] for b in laid.regions]}
            for a, laid in zip(page.parsed.articles, page.layout.articles)]


def measure(sets, kinds, folder, only=None):
    results = {}
    comps = {name: [c for c in pagegen.pages_of(name) if not only or c.spec.page in only] for name in sets}
    chars = pagegen.charsets([c for cs in comps.values() for c in cs])
    for name, pages in comps.items():
        for kind in kinds:
            rows = []
            for comp in pages:
                pdf = pagegen.write_pdf(comp, folder / f"{name}-{comp.spec.page:02d}.pdf", chars)
                info = importer.PageInfo(comp.spec.date, comp.spec.page, comp.spec.page_name)
                if kind == "pdf":
                    source, dpi = pdf, page_import.RENDER_DPI
                else:
                    settings = pagescan.settings_for(comp.spec.page + SCAN_SEED_OFFSET[name], dpi=SCAN_DPI)
                    source = pagescan.scan(pdf, folder / f"{name}-{comp.spec.page:02d}.jpg", settings,
                                           seed=comp.spec.page)
                    dpi = SCAN_DPI
                started = time.perf_counter()
                try:
                    page = page_import.read_page_file(source, info, dpi=dpi)
                except ContentError as error:  # no article found: a page wholly missed, measured as such
                    page, problem = None, error.problem
                seconds = time.perf_counter() - started
                found = found_articles(page) if page else []
                score = pagemetrics.score_page(found, pagegen.truth(comp), dpi / 72)
                score.update({"page": comp.spec.page, "seconds": round(seconds, 2),
                              "timings": {k: round(v, 2) for k, v in page.timings.items()} if page else {},
                              "size": [page.text.width, page.text.height] if page else None})
                if page:
                    score["field_misses"] = pagemetrics.field_misses(page.parsed, pagegen.truth(comp))
                    score["fields_exact"] = not score["field_misses"]
                else:
                    score["error"] = problem
                    score["fields_exact"] = False
                rows.append(score)
                print(f"{name} {kind} page {comp.spec.page}: split {'exact' if score['split_exact'] else 'WRONG'}, "
                      f"accuracy {1 - score['char_errors'] / score['chars']:.4f}, "
                      f"IoU min {min(score['ious']):.2f}, fields {'exact' if score['fields_exact'] else 'NOT exact'}, "
                      f"{seconds:.1f} s {score['timings']}"
                      f"{''.join(chr(10) + '    ' + m for m in score.get('field_misses', []) if kind == 'pdf')}"
                      f"{''.join(chr(10) + '    ' + m for m in score['paragraph_misses'])}"
                      f"{' ' + score['error'] if not page else ''}", flush=True)
            results[f"{name}-{kind}"] = summarise(rows)
            results[f"{name}-{kind}"]["pages"] = rows
    return results


def summarise(rows):
    chars = sum(r["chars"] for r in rows)
    errors = sum(r["char_errors"] for r in rows)
    ious = [i for r in rows for i in r["ious"]]
    seconds = [r["seconds"] for r in rows]
    ocr = [r["timings"].get("ocr", 0) for r in rows]
    ocr_cpu = [r["timings"].get("ocr_cpu", 0) for r in rows]
    layout = [r["timings"].get("layout", 0) for r in rows]
    cpu = [r["timings"].get("total_cpu", 0) for r in rows]
    return {
        "page_count": len(rows),
        "articles": sum(r["articles"] for r in rows),
        "split_exact_pages": sum(r["split_exact"] for r in rows),
        "fields_exact_pages": sum(r.get("fields_exact", False) for r in rows),
        "paragraph_misses": sum(len(r["paragraph_misses"]) for r in rows),
        "char_accuracy": round(1 - errors / chars, 4) if chars else None,
        "chars": chars,
        "iou_min": round(min(ious), 3) if ious else None,
        "iou_mean": round(statistics.mean(ious), 3) if ious else None,
        "seconds_median": round(statistics.median(seconds), 2),
        "seconds_max": round(max(seconds), 2),
        "ocr_median": round(statistics.median(ocr), 2),
        "ocr_cpu_median": round(statistics.median(ocr_cpu), 2),
        "layout_median": round(statistics.median(layout), 3),
        "cpu_median": round(statistics.median(cpu), 2),
        "cpu_max": round(max(cpu), 2),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=["dev", "test", "dev2", "dev3", "test2", "test3", "test4"], choices=sorted(pagegen.SETS))
    parser.add_argument("--kinds", nargs="+", default=["pdf", "scan"])
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("page_results.json"))
    parser.add_argument("--pages", nargs="+", type=int, help="only these page numbers of each set (a speed run)")
    parser.add_argument("--ocr-cache", type=Path, help="reuse the OCR engine's output kept here (accuracy only: "
                        "the OCR timings are then meaningless)")
    args = parser.parse_args(argv)
    if args.ocr_cache:
        from bench import ocr_cache

        ocr_cache.install(args.ocr_cache)
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        results = measure(args.sets, args.kinds, Path(folder), set(args.pages or ()))
    results["machine"] = {"cores": os.cpu_count(), "load_average_at_start": round(load, 1),
                          "load_average_at_end": round(os.getloadavg()[0], 1), "ocr_cache": bool(args.ocr_cache),
                          "nice": os.nice(0)}
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    for key, value in results.items():
        if key != "machine":
            print(key, {k: v for k, v in value.items() if k != "pages"})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
