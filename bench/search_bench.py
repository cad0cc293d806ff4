"""Search at scale: index a generated back catalogue and measure what a reader downloads.

    python -m bench.search_bench [--articles 20000] [--seed 0] [--work /tmp/search-bench]
                                 [--query 职工] [--json results.json]

Steps: write the catalogue (``bench.generate.generate_catalogue``), build it with the
project's settings trimmed to article pages and /search/ (no indexing yet), time ``newsroom.build.searchindex.build_index``
on the built site (the step ``make html`` runs on ``finalized``): cold with an empty
shard cache, again with nothing changed, and after one article page changed (checked
byte-identical to a clean build without cache); sum the bundle's size on disk, then open ``/search/?q=<query>`` in headless Chromium against the site served on
localhost and count the bytes of every response until the results are drawn (a first
visit: empty cache). Target: the search bundle files of a first query stay under 300 KB.
"""

import argparse
import filecmp
import json
import logging
import resource
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import generate_catalogue  # noqa: E402
from newsroom.build import searchindex# noqa: E402

log = logging.getLogger(__name__)

TARGET_FIRST_QUERY_BYTES = 300 * 1024
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


# What the search needs of the site: article pages (with their topics) and /search/.
# Lists, feeds, tag and reporter pages and the other plugins only cost build time here.
SITE_FOR_SEARCH = {
    "PLUGINS": ["newsroom_reader", "site_extras", "topics", "search"],
    "DIRECT_TEMPLATES": ["search"],
    "TAG_SAVE_AS": "", "TAGS_SAVE_AS": "", "AUTHOR_SAVE_AS": "", "AUTHORS_SAVE_AS": "",
    "ARCHIVES_SAVE_AS": "", "FEED_ALL_ATOM": None, "SEARCH_INDEX": False,
}
BATCH = 10000  # bench.generate runs out of distinct headlines at ~15,000 articles


def build_site(content, output, cache):
    """Build ``content`` with pelicanconf.py, trimmed to what search needs (see above)."""
    from pelican import Pelican
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "pelicanconf.py"), override={
        "PATH": str(content), "OUTPUT_PATH": str(output), "CACHE_PATH": str(cache),
        "THEME": str(ROOT / "theme"), "PLUGIN_PATHS": [str(ROOT / "plugins")], **SITE_FOR_SEARCH,
    })
    Pelican(settings).run()


def write_catalogue(articles, content, seed):
    """``articles`` generated articles in ``content``, in batches of at most :data:`BATCH`.

    Batches use seeds ``seed``, ``seed + 1``, ...; the articles of later batches get an
    explicit ``Slug:`` with a batch suffix, since their headlines repeat earlier ones.
    """
    from newsroom.text.slugs import slugify_headline

    if content.exists():
        shutil.rmtree(content)
    content.mkdir(parents=True)
    batches = [min(BATCH, articles - start) for start in range(0, articles, BATCH)]
    for number, size in enumerate(batches):
        folder = content / f"batch-{number}"
        paths = generate_catalogue(size, folder, seed + number)
        # The sample's static pages (about) would be read as dateless articles here.
        shutil.rmtree(folder / "pages", ignore_errors=True)
        if number == 0:
            continue
        for path in paths:
            text = path.read_text(encoding="utf-8")
            head, body = text.split("\n\n", 1)
            lines = [line for line in head.splitlines() if not line.startswith("Slug:")]
            title = next(line[len("Title:"):].strip() for line in lines if line.startswith("Title:"))
            lines.append(f"Slug: {slugify_headline(title)}-{number}")
            path.write_text("\n".join(lines) + "\n\n" + body, encoding="utf-8")
    (content / STAMP).write_text(f"n={articles} seed={seed}\n", encoding="utf-8")


STAMP = ".search-bench"


def bundle_sizes(bundle):
    """Bytes on disk of the search bundle, in total and by kind of file."""
    kinds = {"index": 0, "fragment": 0, "filter": 0, "other": 0}
    counts = dict.fromkeys(kinds, 0)
    for path in bundle.rglob("*"):
        if path.is_file():
            kind = path.parent.name if path.parent.name in kinds else "other"
            kinds[kind] += path.stat().st_size
            counts[kind] += 1
    return {"total": sum(kinds.values()), "bytes": kinds, "files": counts}


def edit_one_article(site):
    """Change one article page's body, as an editor's fix would; returns its path."""
    pages = [p for p in sorted(site.glob("*/*/*/*/index.html")) if b"data-pagefind-body" in p.read_bytes()]
    page = pages[len(pages) // 3]
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</p>", "补记：本文数据经核实后更正。</p>", 1), encoding="utf-8")
    return str(page.relative_to(site))


def same_tree(first, second):
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    if files != sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file()):
        return False
    _, mismatch, errors = filecmp.cmpfiles(first, second, [str(f) for f in files], shallow=False)
    return not mismatch and not errors


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def first_query_bytes(site, query):
    """Bytes downloaded by a first visit to /search/?q=<query> until results are drawn."""
    from urllib.parse import quote

    from playwright.sync_api import sync_playwright

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(port)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/search/?q={quote(query)}")
            page.wait_for_selector("#search-app[data-state=done]", state="attached", timeout=300_000)
            status = page.inner_text("#search-status")
            shown = page.locator(".search-result").count()
            page.wait_for_selector("#search-app[data-facets=done]", state="attached", timeout=300_000)
            # Resource Timing: body bytes of every request, and whether it ended before the
            # page marked the results drawn (data-drawn-at).
            entries = page.evaluate("""() => {
                const app = document.getElementById("search-app");
                const drawn = Number(app.dataset.drawnAt);
                const firstDrawn = Number(app.dataset.firstDrawnAt || app.dataset.drawnAt);
                return performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource"))
                  .map(e => [new URL(e.name).pathname + new URL(e.name).search, e.encodedBodySize,
                             e.responseEnd <= drawn, e.responseEnd <= firstDrawn]);
            }""")
            browser.close()
    finally:
        server.terminate()
        server.wait()
    files = [tuple(entry[:3]) for entry in entries]
    first = [(url, size) for url, size, before in files if before]
    # Bytes until the first results were on screen (the newest shard's, drawn before the
    # older shards answered), then until the whole result (total, all shards) was drawn.
    on_screen = [(url, size) for url, size, _, before in (tuple(entry) for entry in entries) if before]
    return {
        "query": query,
        "status": status,
        "results_shown": shown,
        "all_bytes": sum(size for _, size in first),
        "search_bytes": sum(size for url, size in first if url.startswith("/pagefind/")),
        "first_results_search_bytes": sum(size for url, size in on_screen if url.startswith("/pagefind/")),
        "with_facets_search_bytes": sum(size for url, size, _ in files if url.startswith("/pagefind/")),
        "files": sorted(first, key=lambda item: -item[1]),
        "facet_files": sorted(((url, size) for url, size, before in files if not before), key=lambda i: -i[1]),
    }


def _wait_for_port(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"http.server did not start on port {port}")


def run(articles, seed, work, query, reuse=False):
    work = Path(work)
    content, output, cache = work / "content", work / "output", work / "cache"
    started = time.monotonic()
    marker = content / STAMP
    reuse = reuse and output.is_dir() and marker.exists() and marker.read_text().split() == [f"n={articles}", f"seed={seed}"]
    if not reuse:
        write_catalogue(articles, content, seed)
    generated = time.monotonic()
    if not reuse:
        if output.exists():
            shutil.rmtree(output)
        build_site(content, output, cache)
    else:  # the theme's scripts and styles may have changed since
        shutil.copytree(ROOT / "theme" / "static", output / "theme", dirs_exist_ok=True)
    built = time.monotonic()
    index_cache = work / "index-cache"
    shutil.rmtree(index_cache, ignore_errors=True)
    indexed_pages = searchindex.build_index(output, cache_dir=index_cache)
    indexed = time.monotonic()
    bundle = bundle_sizes(output / "pagefind")
    searchindex.build_index(output, cache_dir=index_cache)
    unchanged = time.monotonic()
    edited = edit_one_article(output)
    before_edit = time.monotonic()
    searchindex.build_index(output, cache_dir=index_cache)
    one_edit = time.monotonic()
    incremental = work / "incremental-bundle"
    shutil.rmtree(incremental, ignore_errors=True)
    shutil.copytree(output / "pagefind", incremental)
    clean_started = time.monotonic()
    searchindex.build_index(output)  # no cache: the clean build the incremental one must equal
    clean = time.monotonic()
    manifest = json.loads((output / "pagefind" / searchindex.MANIFEST).read_text(encoding="utf-8"))
    report = {
        "articles": articles,
        "seed": seed,
        "indexed_pages": indexed_pages,
        "shards": len(manifest["shards"]),
        "reused_site": reuse,
        "generate_seconds": round(generated - started, 1),
        "pelican_build_seconds": round(built - generated, 1),
        "index_seconds": round(indexed - built, 1),
        "unchanged_index_seconds": round(unchanged - indexed, 1),
        "one_edit_index_seconds": round(one_edit - before_edit, 1),
        "edited_page": edited,
        "clean_index_seconds_no_cache": round(clean - clean_started, 1),
        "incremental_equals_clean": same_tree(incremental, output / "pagefind"),
        # ru_maxrss is in KB on Linux; children: the forked indexing workers and Pagefind.
        "peak_rss_mb": {"this_process": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                        "largest_child": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)},
        "bundle": bundle,
        "first_query": first_query_bytes(output, query),
    }
    report["first_query"]["target_bytes"] = TARGET_FIRST_QUERY_BYTES
    # The first results on screen are what a reader waits for; the rest of the result
    # (total, later pages) follows from the older shards, reported beside it.
    report["first_query"]["within_target"] = report["first_query"]["first_results_search_bytes"] < TARGET_FIRST_QUERY_BYTES
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", default="/tmp/search-bench", help="scratch folder (catalogue, site, cache)")
    parser.add_argument("--query", default="职工", help="a common word (default: 职工)")
    parser.add_argument("--json", help="also write the report to this file")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the catalogue and built site of an earlier run with the same --articles and --seed")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    report = run(args.articles, args.seed, args.work, args.query, args.reuse)
    query = report["first_query"]
    kb = 1024
    print(f"articles indexed        {report['indexed_pages']} (of {report['articles']} generated)")
    print(f"pelican build           {report['pelican_build_seconds']} s (not part of search"
          f"{'; site reused' if report['reused_site'] else ''})")
    print(f"search indexing         {report['index_seconds']} s cold ({report['shards']} shards), "
          f"{report['unchanged_index_seconds']} s unchanged, {report['one_edit_index_seconds']} s after one edit "
          f"(identical to a clean build: {report['incremental_equals_clean']}; clean without cache "
          f"{report['clean_index_seconds_no_cache']} s)")
    print(f"peak memory             {report['peak_rss_mb']['this_process']} MB this process, "
          f"{report['peak_rss_mb']['largest_child']} MB largest child (worker or Pagefind)")
    bundle = report["bundle"]
    print(f"index size on disk      {bundle['total'] / kb:.0f} KB "
          + ", ".join(f"{k} {v / kb:.0f} KB in {bundle['files'][k]} files" for k, v in bundle["bytes"].items()))
    print(f"first query {query['query']!r}: {query['status']} ({query['results_shown']} shown)")
    print(f"  first results drawn   {query['first_results_search_bytes'] / kb:.0f} KB of search files "
          f"({'within' if query['within_target'] else 'OVER'} the {TARGET_FIRST_QUERY_BYTES // kb} KB target)")
    print(f"  whole result drawn    {query['search_bytes'] / kb:.0f} KB of search files (total and every shard)")
    print(f"  whole page bytes      {query['all_bytes'] / kb:.0f} KB (page, CSS, scripts and search bundle)")
    print(f"  then facet counts     {(query['with_facets_search_bytes'] - query['search_bytes']) / kb:.0f} KB more "
          f"({len(query['facet_files'])} filter files, loaded after the results are shown)")
    for url, size in query["files"][:12]:
        print(f"    {size / kb:7.1f} KB  {url}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if query["within_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
