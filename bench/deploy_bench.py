"""Deploy figures: the generated back catalogue, built, deployed to a local SeaweedFS.

    python -m bench.deploy_bench --n 20000        # or: make bench-deploy

Generates N articles (``bench/generate.py``), builds them as ``make html`` does
(``python -m newsroom build``), starts SeaweedFS on loopback (the tests' launcher,
``tests/deploy_support.py``) and measures, with ``newsroom.build.deploy``:

1. the full deploy into an empty bucket (objects, site bytes, stored bytes, seconds);
2. the same site again (nothing to send: the cost of scanning, hashing and listing);
3. one article edited (``bench.generate.edit_article``), the site rebuilt (not timed
   here), and the redeploy (files sent, copied, deleted, bytes, seconds).

The figures go into ``bench/deploy_results.json`` and the table between the
``bench:deploy`` markers of ``docs/deploy.md``. The store is on the same machine, so the
seconds are this code's and boto3's cost plus SeaweedFS's, not a network's.
"""

import argparse
import json
import logging
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.generate import edit_article, generate_catalogue
from newsroom.build.deploy import DeployOptions, deploy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from deploy_support import credentials_env, seaweed  # noqa: E402 (the tests' launcher)

RESULTS = ROOT / "bench" / "deploy_results.json"
DOC = ROOT / "docs" / "deploy.md"
BEGIN, END = "<!-- bench:deploy -->", "<!-- /bench:deploy -->"
MB = 1e6
log = logging.getLogger("bench.deploy")


def build(content, output):
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "newsroom", "build", "--content", str(content), "--output", str(output)],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def measured(site, options):
    started, cpu = time.perf_counter(), time.process_time()
    result = deploy(site, options)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    plan = result.plan
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),  # this process's (not SeaweedFS's): less sensitive to a shared machine
        "site_files": plan.local_files,
        "site_mb": round(plan.local_bytes / MB, 1),
        "uploaded": result.uploaded,
        "uploaded_mb": round(result.bytes_sent / MB, 2),
        "stored_mb": round(result.stored_bytes / MB, 2),
        "copied": result.copied,
        "headers": result.headers_updated,
        "deleted": result.deleted,
        "retired": len(plan.retiring),
        "unchanged": plan.unchanged,
        "pages_sent": sum(a.path.endswith(".html") for a in plan.actions),
    }


def run(n, work, workers, reuse=False):
    work = Path(work)
    content, output = work / "content", work / "output"
    if reuse and (output / "index.html").is_file():
        # The site an earlier run built (``--reuse-build``), brought up to date with this code.
        paths = sorted(content.rglob("*.md"))
        build_seconds = build(content, output)
    else:
        started = time.perf_counter()
        paths = generate_catalogue(n, content)
        log.info("deploy bench: %d articles generated in %.0f s", n, time.perf_counter() - started)
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(output.with_name("output.cache"), ignore_errors=True)
        build_seconds = build(content, output)
    log.info("deploy bench: built in %.0f s (0: the earlier run's site)", build_seconds)
    os.environ.update(credentials_env({}))
    store_folder = work / "seaweed"
    shutil.rmtree(store_folder, ignore_errors=True)
    store_folder.mkdir(parents=True)
    with seaweed(store_folder) as server:
        bucket = server.bucket("bench")
        options = DeployOptions(target=f"s3://{bucket}", endpoint=server.endpoint, addressing="path",
                                workers=workers, website=False)
        full = measured(output, options)
        log.info("deploy bench: full deploy %s", full)
        again = measured(output, options)
        log.info("deploy bench: unchanged %s", again)
        edited = sorted(paths)[len(paths) // 2]
        edit_article(edited, time.strftime("%H%M%S"))
        rebuild_seconds = build(content, output)
        one_edit = measured(output, options)
        log.info("deploy bench: one edit %s (rebuilt in %.0f s)", one_edit, rebuild_seconds)
    return {"n": n, "workers": workers, "build_seconds": round(build_seconds, 1),
            "rebuild_seconds": round(rebuild_seconds, 1), "edited": str(Path(edited).relative_to(content)),
            "full": full, "unchanged": again, "one_edit": one_edit,
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "date": time.strftime("%Y-%m-%d")}


def table(result):
    full, again, edit = result["full"], result["unchanged"], result["one_edit"]
    rows = [
        "| deploy | objects sent | site MB sent | stored MB | copied in the store | deleted | seconds | "
        "CPU seconds (deploy process) |",
        "|---|---|---|---|---|---|---|---|",
        f"| full, empty bucket | {full['uploaded']:,} | {full['uploaded_mb']} | {full['stored_mb']} | "
        f"{full['copied']} | {full['deleted']} | {full['seconds']} | {full['cpu_seconds']} |",
        f"| same site again | {again['uploaded']} | {again['uploaded_mb']} | {again['stored_mb']} | "
        f"{again['copied']} | {again['deleted']} | {again['seconds']} | {again['cpu_seconds']} |",
        f"| after one edit | {edit['uploaded']} | {edit['uploaded_mb']} | {edit['stored_mb']} | "
        f"{edit['copied']} | {edit['deleted']} (+{edit['retired']} retired) | {edit['seconds']} | "
        f"{edit['cpu_seconds']} |",
    ]
    return "\n".join([
        f"N = {result['n']:,} generated articles, {full['site_files']:,} files, {full['site_mb']} MB; "
        f"{result['workers']} uploads at once to SeaweedFS on the same machine "
        f"({result['machine']}, {result['date']}); the site rebuilt after the edit in "
        f"{result['rebuild_seconds']} s (not part of the deploy figures).",
        "",
        *rows,
        "",
        f"After the edit ({result['edited']}) {edit['pages_sent']} page(s) were sent; the other objects sent or "
        "copied are the files of the search shard that holds the article, moved to a new folder (the old "
        "folder's files are retired, deleted by a deploy a day later).",
    ])


def write_doc(result):
    text = DOC.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{table(result)}\n{END}"
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/newsroom-deploy-bench"))
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/deploy.md")
    parser.add_argument("--reuse-build", action="store_true",
                        help="deploy the site an earlier run built in --work (brought up to date) instead of generating a new one")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("botocore").setLevel(logging.WARNING)
    result = run(args.n, args.work, args.workers, args.reuse_build)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if not args.no_doc:
        write_doc(result)
    print(table(result))


if __name__ == "__main__":
    main()
