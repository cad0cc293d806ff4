"""``python -m bench.photos_bench [--n 1000] [--ratio 4]``: photos at catalogue scale.

The synthetic catalogue of :mod:`bench.generate` (``n`` articles) gets a photo beside one
article in ``ratio`` (5,000 photos at 20,000 articles), drawn by :mod:`bench.photo_scenes`
(a different picture for each: the cache cannot answer one photo with another), written
into the article as an editor writes it, after the first paragraph, with a credited
caption. Then, with ``newsroom build`` as ``make html`` runs it (its own output and cache
folders):

1. **cold**: the whole build from nothing; ``photos-stats.json`` (plugins/photos) gives the
   image processing on its own (reading, hashing, the pipeline on both cores, the
   cache), and the photos made;
2. **nothing changed**: ``newsroom build`` finds the site up to date (Pelican does not
   run, no photo is looked at); ``--force`` runs Pelican again: every photo is answered
   by the cache (photos made: 0, hit rate);
3. **one edited article with one new photo**: photos made: 1.

Also **the pipeline alone**: :func:`newsroom.images.process_all` over every source into
an empty cache on both cores, in this process (no Pelican): seconds, photos per second,
bytes written per photo.

``--phase-only`` runs, on the same catalogue, the build's image phase without Pelican
(where the whole-site build at that size takes longer than the machine can give): the
calls the photos plugin makes (:func:`newsroom.images.process_all` with the sources'
hashes kept by stat, the content-hash cache, both cores, then
:func:`newsroom.images.publish` into an output folder), each article's photo as its lead
photo: **cold** (empty cache), **nothing changed** (the same phase again), **one new
photo** (the phase with one more article's photo). Its rows go into a table of their own.

The table goes into ``docs/photos.md`` between the ``bench:photos`` markers; the raw
figures into ``bench/photos_results.json`` (one entry per N and mode, kept across runs).
"""

import argparse
import datetime
import functools
import io
import json
import logging
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.generate import generate_catalogue
from bench.photo_scenes import KINDS, photo
from bench.run import machine, measure
from newsroom.build.parallel import available_workers, fork_map
from newsroom.paper.content import read_source

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "photos_results.json"
REPORT = ROOT / "docs" / "photos.md"
START, END = "<!-- bench:photos:start -->", "<!-- bench:photos:end -->"
SIZES = ((1200, 800), (1200, 800), (1600, 1067), (1280, 960), (1200, 1600))
SCENES = sorted(k for k in KINDS if k != "portrait")
STATS = "photos-stats.json"


def photo_jpeg(task):
    """Draw one bench photo and save it as a camera would (JPEG, quality 85)."""
    path, kind, width, height, seed = task
    buffer = io.BytesIO()
    photo(kind, width, height, seed=seed).save(buffer, "JPEG", quality=85)
    Path(path).write_bytes(buffer.getvalue())
    return len(buffer.getvalue())


def add_photo_line(article, name, seed):
    """Write ``name`` into ``article`` after its first paragraph, with a credited caption."""
    text = article.read_text(encoding="utf-8")
    head, _, body = text.partition("\n\n")
    paragraphs = body.rstrip("\n").split("\n\n")
    reporters = (read_source(article).get("authors") or "").replace("，", ",").split(",")
    credit = f"本报记者 {reporters[0].strip()} 摄" if reporters[0].strip() else "通讯员 李明 摄"
    line = f'![活动现场，职工们在参加活动（第{seed}张）]({name} "活动现场。{credit}")'
    paragraphs.insert(1, line)
    article.write_text(head + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")


def add_photos(paths, ratio, seed=0, workers=None):
    """Give one article in ``ratio`` a photo; the photo files (drawn on every core)."""
    rng = random.Random(f"bench-photos:{seed}")
    chosen = [p for p in paths if "Status: draft" not in p.read_text(encoding="utf-8")]
    chosen = sorted(rng.sample(chosen, min(len(chosen), len(paths) // ratio)))
    tasks = []
    for index, article in enumerate(chosen):
        width, height = rng.choice(SIZES)
        name = f"{article.stem}-1.jpg"
        tasks.append((article.with_name(name), rng.choice(SCENES), width, height, seed * 100_000 + index))
        add_photo_line(article, name, index)
    started = time.perf_counter()
    sizes = fork_map(photo_jpeg, tasks, available_workers(workers))
    log.info("bench: drew %d photos (%.0f MB) in %.1f s", len(tasks), sum(sizes) / 1e6, time.perf_counter() - started)
    return [task[0] for task in tasks], sum(sizes)


def build(content, output, label, extra=()):
    command = [sys.executable, "-m", "newsroom", "build", "--content", str(content), "--output", str(output), *extra]
    cache = output.with_name(output.name + ".cache")
    (cache / STATS).unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = measure(command, label=label)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU seconds of the whole build (its Pelican child and their forked workers): on a
    # machine shared with other work this moves less than the wall clock.
    result["cpu_seconds"] = round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 2)
    try:
        stats = json.loads((cache / STATS).read_text(encoding="utf-8")).get("articles", {})
    except FileNotFoundError:
        stats = {}  # Pelican did not run: the site was up to date
    result["photos"] = stats
    return result


def pipeline_alone(sources, work):
    """process_all over ``sources`` into an empty cache, on every core, in this process."""
    from newsroom.build.photos import Specs
    from newsroom.images import ImageCache, process_all

    specs = Specs()
    jobs = [(path, specs.for_photo(path.name, True)) for path in sources]
    cache_dir = work / "pipeline-cache"
    shutil.rmtree(cache_dir, ignore_errors=True)
    workers = available_workers()
    started_cpu = time.process_time()
    times = os.times()
    results, stats = process_all(jobs, ImageCache(cache_dir), functools.partial(fork_map, workers=workers))
    after = os.times()
    cpu = sum(after[:4]) - sum(times[:4])  # this process and its forked workers
    written = sum(v.byte_size for r in results for v in r.unique())
    files = sum(len(r.unique()) for r in results)
    return {"photos": len(jobs), "seconds": round(stats.seconds, 2), "workers": workers,
            "photos_per_second": round(len(jobs) / stats.seconds, 2), "files": files,
            "kb_per_photo": round(written / len(jobs) / 1024, 1), "cpu_seconds": round(cpu, 2),
            "cpu_seconds_per_photo": round(cpu / len(jobs), 3),
            "parent_cpu_seconds": round(time.process_time() - started_cpu, 2)}


def image_phase(jobs, work, label, chunk=None, until=None):
    """The build's image phase for ``jobs`` as plugins/photos runs it (no Pelican, no markup).

    With ``chunk``, the jobs go through in batches of that many (one record of the sources'
    hashes for all), each logged with the running totals, and no batch is started after
    ``until`` (seconds since the epoch): on a machine too busy to finish, what was done is
    measured and said, and the steps after it work on those photos."""
    from newsroom.images import BatchStats, ImageCache, SourceHashes, process_all, publish

    workers = available_workers()
    cache_dir, output = work / "output.cache" / "photos", work / "output"
    cache = ImageCache(cache_dir)
    mapper = functools.partial(fork_map, workers=workers)
    before = os.times()
    started = time.perf_counter()
    hashes = SourceHashes(cache_dir / "source-hashes.json")
    total, linked, done = BatchStats(), 0, 0
    size = chunk or len(jobs) or 1
    for start in range(0, len(jobs), size):
        if until is not None and start and time.time() > until:
            log.info("bench: %s: stopped at the deadline after %d of %d photos", label, done, len(jobs))
            break
        results, stats = process_all(jobs[start:start + size], cache, mapper, hashes=hashes)
        hashes.save()
        linked += sum(publish(result, output, f"photos/{result.key[:16]}/") for result in results)
        total.hits, total.made, total.failed = total.hits + stats.hits, total.made + stats.made, total.failed + stats.failed
        done = start + len(results)
        if chunk:
            cpu = sum(os.times()[:4]) - sum(before[:4])
            log.info("bench: %s: %d/%d photos, %d made, %.1f s, %.1f CPU s", label, done, len(jobs), total.made,
                     time.perf_counter() - started, cpu)
    seconds = time.perf_counter() - started
    total.seconds = seconds
    after = os.times()
    cpu = sum(after[:4]) - sum(before[:4])  # this process and its forked workers
    log.info("bench: %s: %d photos, %d made, %.1f s, %.1f CPU s", label, done, total.made, seconds, cpu)
    return {"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "workers": workers,
            "photos": {**total.as_dict(), "cpu_seconds": round(cpu, 2), "photos": done,
                       "sources_read_for_hashing": hashes.hashed, "files_linked": linked}}


def _whole_jpeg(path):
    with open(path, "rb") as handle:
        handle.seek(-2, os.SEEK_END)
        return handle.read(2) == b"\xff\xd9"  # a JPEG cut short by a stopped run ends otherwise


def run_phase_only(n, ratio, work, seed=0, chunk=250, until=None, reuse=False):
    """The image phase at ``n`` articles (one photo in ``ratio``): cold, unchanged, one new photo."""
    from newsroom.build.photos import Specs

    work = Path(work)
    content = work / "content"
    if reuse and content.is_dir():
        # The catalogue of an earlier run (stopped while it drew the photos): its articles
        # as they are, its photos that were drawn whole; nothing processed yet.
        shutil.rmtree(work / "output.cache", ignore_errors=True)
        shutil.rmtree(work / "output", ignore_errors=True)
        paths = sorted(content.rglob("*.md"))
        sources = sorted(p for p in content.rglob("*-1.jpg") if p.stat().st_size and _whole_jpeg(p))
        source_bytes = sum(p.stat().st_size for p in sources)
        log.info("bench: reusing %d articles and %d photos of %s", len(paths), len(sources), content)
    else:
        shutil.rmtree(work, ignore_errors=True)
        paths = generate_catalogue(n, content, seed=seed)
        sources, source_bytes = add_photos(paths, ratio, seed)
    specs = Specs()
    jobs = [(path, specs.for_photo(path.name, True)) for path in sources]
    result = {"n": n, "mode": "phase-only", "photos": len(sources), "source_mb": round(source_bytes / 1e6, 1),
              "machine": machine(), "chunk": chunk, "reused": bool(reuse)}
    result["cold"] = image_phase(jobs, work, "image phase, cold", chunk, until)
    done = result["cold"]["photos"]["photos"]
    result["processed"] = done  # fewer than the photos when the deadline came first
    jobs = jobs[:done]
    result["unchanged"] = image_phase(jobs, work, "image phase, nothing changed")
    article = next(p for p in sorted(paths) if "![" not in p.read_text("utf-8")
                   and "Status: draft" not in p.read_text("utf-8"))
    name = f"{article.stem}-1.jpg"
    photo_jpeg((article.with_name(name), "sports", 1200, 800, 999_999))
    add_photo_line(article, name, 999_999)
    jobs.append((article.with_name(name), specs.for_photo(name, True)))
    result["edited"] = image_phase(jobs, work, "image phase, one new photo")
    cold = result["cold"]
    result["pipeline"] = {"photos": done, "seconds": cold["seconds"], "workers": cold["workers"],
                          "photos_per_second": round(done / cold["seconds"], 2),
                          "cpu_seconds": cold["cpu_seconds"],
                          "cpu_seconds_per_photo": round(cold["cpu_seconds"] / done, 3)}
    return result


def run_one(n, ratio, work, seed=0):
    work = Path(work)
    shutil.rmtree(work, ignore_errors=True)
    content = work / "content"
    paths = generate_catalogue(n, content, seed=seed)
    sources, source_bytes = add_photos(paths, ratio, seed)
    output = work / "output"
    result = {"n": n, "photos": len(sources), "source_mb": round(source_bytes / 1e6, 1), "machine": machine()}
    result["cold"] = build(content, output, "photos cold build")
    result["unchanged"] = build(content, output, "photos rebuild, nothing changed")
    result["unchanged_forced"] = build(content, output, "photos rebuild --force", ["--force"])
    # One article edited: a new photo added to an article that had none.
    with_photo = {p.with_name(p.name[: -len("-1.jpg")] + ".md") for p in sources}
    article = next(p for p in sorted(paths) if p not in with_photo and "Status: draft" not in p.read_text("utf-8"))
    name = f"{article.stem}-1.jpg"
    photo_jpeg((article.with_name(name), "sports", 1200, 800, 999_999))
    add_photo_line(article, name, 999_999)
    result["edited"] = build(content, output, "photos rebuild, one new photo")
    result["pipeline"] = pipeline_alone(sources, work)
    return result


def _s(value):
    return f"{value:.1f}" if isinstance(value, (int, float)) else "–"


def table(runs):
    lines = ["| articles | photos | step | build: wall s / CPU s | image processing: wall s / CPU s | photos made | "
             "cache hits | hit rate | sources read |",
             "|---:|---:|---|---:|---:|---:|---:|---:|---:|"]
    full = [run for run in runs if run.get("mode") != "phase-only"]
    phase = [run for run in runs if run.get("mode") == "phase-only"]
    for run in full:
        for key, label in (("cold", "cold build"), ("unchanged", "rebuild, nothing changed"),
                           ("unchanged_forced", "rebuild, nothing changed, `--force`"),
                           ("edited", "rebuild, one article edited with one new photo")):
            step = run[key]
            stats = step.get("photos") or {}
            made = stats.get("made", 0)
            processing = (f"{_s(stats.get('seconds'))} / {_s(stats.get('cpu_seconds'))}" if stats
                          else "– (Pelican not run)")
            lines.append(f"| {run['n']:,} | {run['photos']:,} | {label} | {_s(step['seconds'])} / "
                         f"{_s(step.get('cpu_seconds'))} | {processing} | {made:,} | {stats.get('hits', 0):,} | "
                         f"{stats.get('hit_rate', '–') if stats else '–'} | "
                         f"{stats.get('sources_read_for_hashing', '–') if stats else 0} |")
    lines += ["", "| articles | photos | the pipeline alone: wall s on "
              f"{runs[0]['pipeline']['workers']} cores | CPU s | CPU s per photo | photos/s | files per photo | "
              "KB written per photo |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for run in full:
        p = run["pipeline"]
        lines.append(f"| {run['n']:,} | {p['photos']:,} | {p['seconds']:.1f} | {_s(p.get('cpu_seconds'))} | "
                     f"{p.get('cpu_seconds_per_photo', '–')} | {p['photos_per_second']:.2f} | "
                     f"{p['files'] / p['photos']:.1f} | {p['kb_per_photo']:.0f} |")
    if phase:
        lines += ["", "The build's image phase alone (`--phase-only`: no Pelican; the plugin's calls):", "",
                  "| articles | photos | step | wall s | CPU s (2 cores) | photos made | cache hits | hit rate | "
                  "sources read | files linked |",
                  "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
        for run in phase:
            for key, label in (("cold", "cold (empty cache)"), ("unchanged", "again, nothing changed"),
                               ("edited", "one article edited with one new photo")):
                step = run[key]
                stats = step["photos"]
                lines.append(f"| {run['n']:,} | {stats['photos']:,} | {label} | {_s(step['seconds'])} | "
                             f"{_s(step['cpu_seconds'])} | {stats['made']:,} | {stats['hits']:,} | "
                             f"{stats['hit_rate']} | {stats['sources_read_for_hashing']:,} | "
                             f"{stats['files_linked']:,} |")
        for run in phase:
            if run.get("processed", run["photos"]) < run["photos"]:
                lines += ["", f"At {run['n']:,} articles the cold step was stopped at its deadline after "
                          f"{run['processed']:,} of the {run['photos']:,} photos (batches of {run['chunk']}); the "
                          "later steps worked on those."]
    return "\n".join(lines)


def write_report(runs, report=REPORT):
    text = report.read_text(encoding="utf-8")
    block = f"{START}\n{table(runs)}\n{END}"
    if START in text:
        head, rest = text.split(START, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    report.write_text(text, encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="articles (repeatable; default 1000)")
    parser.add_argument("--ratio", type=int, default=4, help="one photo per this many articles (default 4)")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "work-photos", help="scratch folder")
    parser.add_argument("--report", type=Path, default=REPORT)
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument("--phase-only", action="store_true",
                        help="the build's image phase without Pelican (cold, unchanged, one new photo)")
    parser.add_argument("--chunk", type=int, default=250, help="--phase-only: photos per batch of the cold step")
    parser.add_argument("--until", help="--phase-only: start no cold batch after this UTC time (HH:MM)")
    parser.add_argument("--reuse", action="store_true",
                        help="--phase-only: take the catalogue and the whole photos an earlier run left in --work")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        kept = json.loads(args.results.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = []
    for n in args.n or [1000]:
        if args.phase_only:
            until = None
            if args.until:
                now = datetime.datetime.now(datetime.timezone.utc)
                hour, minute = map(int, args.until.split(":"))
                until = now.replace(hour=hour, minute=minute, second=0, microsecond=0).timestamp()
            result = run_phase_only(n, args.ratio, args.work / str(n), chunk=args.chunk, until=until,
                                    reuse=args.reuse)
        else:
            result = run_one(n, args.ratio, args.work / str(n))
        kept = [r for r in kept if (r["n"], r.get("mode")) != (n, result.get("mode"))] + [result]
        if not args.keep:
            shutil.rmtree(args.work / str(n), ignore_errors=True)
    kept.sort(key=lambda r: (r.get("mode") or "", r["n"]))
    args.results.write_text(json.dumps(kept, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    write_report(kept, args.report)
    print(table(kept))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
