"""``python -m newsroom build [--publish] [--force]``: build the site, all or nothing.

Pelican writes into a staging folder of this build's own, with every logged error made
fatal; only a build that finished cleanly goes live, and in one rename: ``output`` is a
link to the current version of the site (:mod:`newsroom.build.versions`), so a failed or
killed build never leaves readers a half-made site, and ``newsroom rollback`` serves the
previous version again at once. The staging folder is a spare older version, recycled
(:mod:`newsroom.build.staging`): only pages whose bytes changed are written again, and
what the new site no longer has is swept out before it goes live. The Pelican child and
everything it starts die with the build (:mod:`newsroom.build.lifeline`).

``--publish`` uses ``publishconf.py`` and first runs the same checks as ``python -m
newsroom check``, in full (the check cache below is a plain writable file, so publishing
never trusts it): any error stops it before anything is built.

The search index is built last, by this command rather than inside Pelican: the search
plugin leaves a description of it (:func:`build_search_index`), so that Pagefind does
not run beside Pelican's build state in memory.

Like make's "nothing to be done": when every input of the build and every file of the
output folder are what they were after the last successful build
(:mod:`newsroom.build.uptodate`), the site is up to date and Pelican is not run; ``--force``
builds anyway. This applies to ``--publish`` too (its options are part of the inputs).
For other builds the checks keep each file's result by the hash of its bytes
(:mod:`newsroom.desk.check_cache`), so an unchanged article is not checked twice. Both live
in the output's cache folder (``output.cache/``), with a lock file that keeps two
builds of the same output from running at once.

A build is recorded as up to date only when what it built is a function of its
inputs: not when fastbuild's preview scope was on (``FASTBUILD_PREVIEW``, the
environment variable or the setting: what is built then depends on the clock, files
edited in the last hours), which fastbuild's ``fastbuild-stats.json`` tells, and not
when an input changed while Pelican ran (the inputs are fingerprinted again after the
build and must match the fingerprint taken before it).
"""

import contextlib
import fcntl
import io
import json
import logging
import os
import re
import sys
import time
from pathlib import Path

from newsroom import messages
from newsroom.build import lifeline, marshal_file, renderdeps, uptodate
from newsroom.paper import release

ROOT = Path(__file__).resolve().parents[3]
STAMP = "newsroom-build-stamp"
LOCK = ".build.lock"
SEARCH_JOB = "search-job.json"  # the search index left to us by the search plugin
RELEASE_HELD = "release-held.json"  # the article files this build leaves out (plugins/release)
# fastbuild's counts of the last build, in CACHE_PATH (CACHE_PATH/preview when scoped).
FASTBUILD_STATS = "fastbuild-stats.json"
FASTBUILD_PREVIEW_CACHE = "preview"
log = logging.getLogger(__name__)


class BuildLocked(Exception):
    """Another ``newsroom build`` holds the lock of this output."""


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "build",
        help=messages.text("help.build"),
        description=messages.text("help.build_description"),
    )
    parser.add_argument("--publish", action="store_true", help=messages.text("help.build_publish"))
    parser.add_argument("--content", default=str(ROOT / "content"), help=messages.text("help.content"))
    parser.add_argument("--output", default=str(ROOT / "output"), help=messages.text("help.output"))
    parser.add_argument("--force", action="store_true", help=messages.text("help.build_force"))
    parser.add_argument("--then-deploy", action="store_true",
                        help=messages.text("help.build_then_deploy"))
    parser.set_defaults(func=run)


def run_checks(content, cache=None, inputs=None, out=None):
    """Run ``newsroom check`` on ``content`` and print its report (to ``out``, default
    stdout); True when there is no error.

    With ``cache`` (a folder) and ``inputs`` (the build's :class:`~newsroom.build.uptodate.InputState`)
    each file's result is kept by the hash of its bytes, so unchanged files are not checked again."""
    # Imported here, not at the top: the checks load jieba, pypinyin and the gazetteer
    # (~0.4 s), which a build found up to date never needs.
    from newsroom.desk import check_cache, tree_checks
    from newsroom.desk.commands import check_cmd

    out = out or sys.stdout
    if cache is None or inputs is None:
        return check_cmd.check_tree(content, out=out) == 0
    prefix = "content:"
    hashes = {key[len(prefix):]: sha for key, sha in inputs.files.items() if key.startswith(prefix)}
    problems, files, fresh, facts = check_cache.check_content(content, cache, inputs.code_digest(), hashes)
    log.debug("newsroom build: %d of %d files checked afresh", fresh, files)
    return check_cmd.report(problems, files, out, summaries=tree_checks.issue_summaries(facts)) == 0


def _checked(content, cache, inputs):
    """(passed, report) of :func:`run_checks`."""
    report = io.StringIO()
    passed = run_checks(content, cache, inputs, out=report)
    return passed, report.getvalue()


def preview_scope_on():
    """``FASTBUILD_PREVIEW`` set in the environment (as ``make serve`` does): the build
    then follows the clock. The setting of that name is seen only after the build, in
    fastbuild's stats (:func:`build_was_scoped`)."""
    return os.environ.get("FASTBUILD_PREVIEW", "").strip().lower() not in ("", "0", "false", "no", "off")


def stats_paths(cache):
    """Where fastbuild leaves its stats: ``CACHE_PATH`` and, for a scoped build, the
    preview cache inside it."""
    return cache / FASTBUILD_STATS, cache / FASTBUILD_PREVIEW_CACHE / FASTBUILD_STATS


def forget_stats(cache):
    """Remove earlier builds' stats, so that what is read after the build is this build's."""
    for path in stats_paths(cache):
        uptodate.forget(path)


def build_was_scoped(cache):
    """``(scoped, why)`` from the stats fastbuild wrote for the build that just ran:
    scoped (True) when fastbuild's preview scope was on, None when that cannot be told
    (no stats, unreadable stats), False for a full build."""
    full, preview = stats_paths(cache)
    if preview.exists():  # the preview scope moves CACHE_PATH to CACHE_PATH/preview
        return True, f"fastbuild's preview scope was on (stats in {preview})"
    try:
        stats = json.loads(full.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, f"fastbuild wrote no {full}"
    except (OSError, ValueError) as error:
        return None, f"cannot read {full} ({error})"
    if not isinstance(stats, dict) or "articles_in_preview_scope" not in stats:
        return None, f"{full} does not say whether the build was scoped"
    if stats["articles_in_preview_scope"] is not None:
        return True, "fastbuild's preview scope was on"
    return False, ""


@contextlib.contextmanager
def build_lock(cache):
    """Hold ``<cache>/.build.lock`` for the whole build; :class:`BuildLocked` when another
    process holds it. The kernel drops the lock when its holder ends, even killed."""
    cache.mkdir(parents=True, exist_ok=True)
    handle = open(cache / LOCK, "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked() from None
        yield handle
    finally:
        handle.close()


def run(args):
    # Not resolved: output is a link to the current version, and the link is what a build replaces.
    output = Path(args.output).absolute().parent.resolve() / Path(args.output).name
    # Each output folder keeps its own content cache beside it (output/ -> output.cache/).
    cache = output.with_name(output.name + ".cache")
    lifeline.terminate_as_exit()  # SIGTERM/SIGHUP: end the Pelican child too, publish nothing
    try:
        with build_lock(cache) as lock:
            return build(args, output, cache, lock)
    except BuildLocked:
        print(messages.text("build.locked", output=output), file=sys.stderr)
        return 1


def settings_file(publish):
    return ROOT / ("publishconf.py" if publish else "pelicanconf.py")


def build_inputs(content, output, publish):
    """``(groups, options)`` for :func:`newsroom.build.uptodate.fingerprint_inputs`: what a
    build of ``content`` into ``output`` reads and how it is run."""
    groups = uptodate.input_groups(content, sorted(ROOT.glob("*conf.py")))  # publishconf imports pelicanconf
    options = {"publish": bool(publish), "settings": settings_file(publish).name, "content": str(content),
               "output": str(output)}
    return groups, options


def build(args, output, cache, lock=None):
    with contextlib.ExitStack() as cleanup:
        return _build(args, output, cache, lock, cleanup)


def _build(args, output, cache, lock, cleanup):
    content = Path(args.content).resolve()
    settings = settings_file(args.publish)
    stamp_path = cache / STAMP
    started = time.perf_counter()
    # The moment this site is built for: what is due by then is published, the rest
    # waits (plugins/release). The build's Pelican child is handed the same moment.
    now = release.now()
    # The inputs are fingerprinted before anything is built and again after: a file
    # edited during the build (even edited back) keeps the build from being recorded.
    stamp = uptodate.Stamp.load(stamp_path)
    groups, options = build_inputs(content, output, args.publish)
    inputs = uptodate.fingerprint_inputs(groups, options, stamp.trusted)
    clock_bound = preview_scope_on()
    if (not args.force and not clock_bound and stamp.inputs == inputs.digest() and stamp.current_at(now)
            and uptodate.output_unchanged(output, stamp.output)):
        # Same content, same checks, no article fell due: the reports are those of last time.
        sys.stdout.write(stamp.report + stamp.release_report)
        print(messages.text("build.up_to_date", output=output, seconds=f"{time.perf_counter() - started:.2f}"))
        print_next_step(args)
        return 0
    # Not needed by a build found up to date (imported here: ~15 ms of its ~0.2 CPU-s).
    from newsroom.build import parallel
    from newsroom.build.staging import build_mark, discard, empty_trash, go_live, prepare_staging, sweep

    # Editors see the same report either way; only publishing refuses to go on, and it
    # checks every file afresh rather than trust a writable cache of earlier results.
    # In a child process: the checks load jieba, pypinyin and the gazetteer and keep each
    # file's result (~370 MB at 100,000 articles), which this process would otherwise
    # hold beside Pelican's child for the whole build.
    check = None
    if check_beside_pelican(args, inputs):
        check = CheckBeside(lambda: _checked(content, cache, inputs))
        cleanup.callback(check.cancel)  # a build that ends before Pelican does: no check left running
    else:
        passed, report_text = parallel.in_child(
            lambda: _checked(content, None if args.publish else cache, inputs))
        sys.stdout.write(report_text)
        if not passed and args.publish:
            print(messages.text("build.check_failed"), file=sys.stderr)
            return 1
        if inputs.special_files():  # Pelican would wait on a named pipe for ever
            print(messages.text("security.special_files_stop_build"), file=sys.stderr)
            return 1
    held_file = cache / RELEASE_HELD
    release_report, valid_until = release_listing(content, now, held_file, inputs, cache)
    uptodate.forget(stamp_path)
    forget_stats(cache)
    empty_trash(cache)
    staging, recycled = prepare_staging(output, cache)
    since = build_mark(cache)
    search_job = cache / SEARCH_JOB
    uptodate.forget(search_job)
    stamps = uptodate.write_content_stamps(inputs, content, cache)
    command = [sys.executable, "-m", "newsroom.build.pelican_run", str(settings), str(content),
               str(staging), str(cache), f"SEARCH_JOB_FILE={search_job}", f"NEWSROOM_CONTENT_STAMPS={stamps}",
               f"FASTBUILD_PREVIOUS_OUTPUT={output if output.is_dir() else ''}",
               f"NEWSROOM_STAGING_RECYCLED={'1' if recycled else ''}", f"RELEASE_NOW={now.isoformat()}",
               f"RELEASE_HELD_FILE={held_file}",
               # the code digest of the render record and the plugins' caches, from this
               # build's fingerprint (the child would hash the same files again)
               f"NEWSROOM_BUILD_CODE_DIGEST={inputs.code_digest(uptodate.code_groups())}"]
    sys.stdout.flush()  # the check's report before Pelican's messages, on a pipe too
    if check is None:
        code = run_pelican(command, lock)
    else:
        code = run_pelican(command, lock, report=check.report)
        report_text = check.report()
    forget_if_code_moved(inputs, cache)
    linked = linked_folders(search_job)
    pages = None  # the site's pages as the sweep leaves them: the search index's listing
    if code == 0 and recycled:  # before the search index, which reads every page there
        until = build_mark(cache)
        if until < since:
            print(messages.text("build.clock_went_back"), file=sys.stderr)
            code = 1
        else:
            pages = {}
            removed = sweep(staging, since, until, pages)
            log.info("newsroom build: removed %d files of the recycled staging folder that this build did "
                     "not write", removed)
    if code == 0:
        code = build_search_index(search_job, pages)
    if code != 0:
        if staging.exists():
            discard(staging, cache)  # not recycled: whatever made it fail may be in it
        print(messages.text("build.failed", output=output), file=sys.stderr)
        return code
    go_live(staging, output, cache, linked)
    window = (now, valid_until)
    manifest = record(output, cache, stamp_path, groups, options, inputs, report_text, clock_bound,
                      window, release_report)
    if manifest:  # a complete site (not a preview scope), recorded as what its inputs give
        warn_gone_articles(cache / PUBLISHED_ARTICLES, manifest)
    sys.stdout.write(release_report)
    articles = len(article_addresses(manifest)) if manifest else count_article_pages(output)
    print(messages.text("build.written", output=output, articles=articles,
                        seconds=f"{time.perf_counter() - started:.1f}"))
    print_next_step(args)
    return 0


def run_pelican(command, lock=None, report=None):
    """Run the Pelican child; its exit code. The child dies with this process, even
    killed (:mod:`newsroom.build.lifeline`), its process group is ended on any other way
    out, and it holds the build lock too (``lock``, inherited), so that no other build
    could start beside a child that survived all the same.

    ``report``: called once the child has started (the content check's report, printed
    when the check running beside the child is done: :class:`CheckBeside`); the child's
    output is held in its pipes until then and passed on as it comes after, so that
    editors read the report before Pelican's messages, as when the check ran first."""
    import subprocess  # noqa: PLC0415 — not for a build found up to date

    fds = (lock.fileno(),) if lock is not None else ()
    if report is None:
        process = subprocess.Popen(command, cwd=ROOT, pass_fds=fds, **lifeline.child_options())
        try:
            return process.wait()
        finally:
            lifeline.end_group(process)
    process = subprocess.Popen(command, cwd=ROOT, pass_fds=fds, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               **lifeline.child_options())
    passing = []
    try:
        report()
        passing = [_pass_on(process.stdout, sys.stdout), _pass_on(process.stderr, sys.stderr)]
        return process.wait()
    finally:
        lifeline.end_group(process)  # also ends whatever of the group still holds a pipe
        for thread in passing:
            thread.join(timeout=30)
        process.stdout.close()
        process.stderr.close()


def _pass_on(pipe, stream):
    """A thread writing what comes out of ``pipe`` to ``stream`` as it comes, until the pipe ends."""
    import codecs  # noqa: PLC0415 — not for a build found up to date
    import threading  # noqa: PLC0415

    def copy():
        target = getattr(stream, "buffer", None)
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        for chunk in iter(lambda: os.read(pipe.fileno(), 1 << 16), b""):
            if target is not None:
                stream.flush()
                target.write(chunk)
                target.flush()
            else:  # a text stream without bytes underneath (a test's capture)
                stream.write(decoder.decode(chunk))
                stream.flush()

    thread = threading.Thread(target=copy, name="pelican-output", daemon=True)
    thread.start()
    return thread


# The content check runs beside the Pelican child (on the other core) when the build's
# inputs show that only a few content files changed since the last recorded build (the
# check then checks those, its cache holds the others): only publishing waits for the
# check's verdict before building. More files (a first build, a big import) or any other
# input (the code: the check cache is keyed by it, every file is checked again) and it runs
# first as before, on both cores itself, without its memory beside Pelican's.
CHECK_BESIDE_MAX_FILES = 200


def check_beside_pelican(args, inputs):
    """True when the content check may run beside the Pelican child rather than before it:
    not when publishing (its errors stop the build before anything is built), nor when
    more than a few files or anything but content changed, nor when the content holds
    special files (the build stops)."""
    return (not args.publish and len(inputs.fresh) <= CHECK_BESIDE_MAX_FILES
            and all(key.startswith("content:") for key in inputs.fresh) and not inputs.special_files())


class CheckBeside:
    """The content check (``compute()``: ``(passed, report)``) started in a child now;
    :meth:`report` prints its report once it is done and returns the report's text."""

    def __init__(self, compute):
        from newsroom.build import parallel  # noqa: PLC0415 — not for a build found up to date

        self._child = parallel.started_in_child(compute)
        self._text = None

    def report(self):
        if self._text is None:
            _, self._text = self._child.result()
            sys.stdout.write(self._text)
            sys.stdout.flush()
        return self._text

    def cancel(self):
        self._child.cancel()


LISTED = 20  # articles named per list (waiting, drafts); the rest are counted


def shown_path(path):
    """``path`` relative to the working folder when it lies inside it (content/2024/…)."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def release_listing(content, now, held_file=None, inputs=None, cache=None):
    """``(text, valid until)``: what the build leaves out at ``now`` (articles not yet
    due, with their times; drafts), in the editor's words, and the moment the site built
    now stops being current: the next due time, or the next midnight in Beijing (the
    check's report sums up today's and later issues), whichever comes first. With
    ``held_file`` the files left out are written there for the build's Pelican child
    (``RELEASE_HELD_FILE``), which then need not read the head of every article again.
    With ``inputs`` (the build's fingerprint of ``content``) and ``cache`` the heads of
    unchanged files come from the last build (:func:`kept_release_heads`)."""
    files = release.article_files(content)
    kept = kept_release_heads(content, files, inputs, cache) if inputs is not None and cache else None
    held = release.held_back(files, now)
    if kept is not None:
        keep_release_heads(files, cache, inputs, *kept)
    if held_file is not None:
        release.write_held(held_file, content, files, held)
    waiting, drafts = release.split(held)
    lines = []
    if waiting:
        lines.append(messages.text("build.waiting", count=len(waiting)))
        lines += [messages.text("build.waiting_item", due=release.beijing_text(item.due), path=shown_path(item.path),
                                title=item.title) for item in waiting[:LISTED]]
        if len(waiting) > LISTED:
            lines.append(messages.text("build.more", count=len(waiting) - LISTED))
        lines.append(messages.text("build.waiting_scheduler"))
    if drafts:
        lines.append(messages.text("build.drafts", count=len(drafts)))
        lines += [messages.text("build.drafts_item", path=shown_path(item.path), title=item.title)
                  for item in drafts[:LISTED]]
        if len(drafts) > LISTED:
            lines.append(messages.text("build.more", count=len(drafts) - LISTED))
    midnight = release.next_midnight(now)
    until = min(waiting[0].due, midnight) if waiting else midnight
    return "".join(line + "\n" for line in lines), until


RELEASE_HEADS = "release-heads.marshal"
RELEASE_HEADS_FORMAT = 1


def _trusted_of(content, files, inputs):
    """``{path: [dev, ino, size, mtime_ns, ctime_ns, sha]}``: the fingerprint's trusted
    stat and hash of each article file of ``files`` (paths under ``content``)."""
    prefix = os.path.join(str(content), "")
    trusted = inputs.trusted
    found = {}
    for path in files:
        relative = path[len(prefix):] if path.startswith(prefix) else os.path.relpath(path, content)
        entry = trusted.get("content:" + relative.replace(os.sep, "/"))
        if entry and isinstance(entry[5], str) and not entry[5].startswith("special:"):
            found[path] = entry
    return found


def _still(path, entry):
    """True when ``path`` still has the stat of its trusted ``entry`` (so those bytes)."""
    try:
        return uptodate._stat_key(os.stat(path)) == entry[:5]
    except OSError:
        return False


def kept_release_heads(content, files, inputs, cache):
    """Hand :mod:`newsroom.paper.release` the heads (title, date, draft) the last build read
    of the article files whose bytes it knows by their SHA-256 (the fingerprint trusts the
    file's stat, which it still has), so that only new and changed files are read: reading
    every article's head cost ~0.05 CPU-s at 2,000 articles, ~0.5 at 20,000. The heads are
    kept by content hash under the code's digest (the reading is code). Returns
    ``(kept, trusted)``: ``{sha: [title, date, draft]}`` as kept, and :func:`_trusted_of`
    (for :func:`keep_release_heads`). The file is framed by its SHA-256
    (:mod:`newsroom.build.marshal_file`): damaged, cut short or of the format before the
    digest, it is none (every head is read), never a title, date or draft flag read wrong."""
    code = inputs.code_digest()
    try:
        data = marshal_file.loads((Path(cache) / RELEASE_HEADS).read_bytes())  # None: damaged or older
    except OSError:
        data = None
    if not (isinstance(data, dict) and data.get("format") == RELEASE_HEADS_FORMAT and data.get("code") == code
            and isinstance(data.get("heads"), dict)):
        data = {}
    kept = data.get("heads", {})
    trusted = _trusted_of(content, files, inputs)
    due_of = {}
    Head, remember = release.Head, release.remember_head
    for path in files:
        entry = trusted.get(path)
        fields = kept.get(entry[5]) if entry else None
        if not (isinstance(fields, (list, tuple)) and len(fields) == 3 and _still(path, entry)):
            # Read afresh by this build (not from a memo of this process, which keys on size
            # and mtime only): what it reads may be kept for the next one.
            release.forget_head(path)
            continue
        title, date, draft = fields
        due = due_of.get(date)
        if due is None and date not in due_of:
            due = due_of[date] = release.release_time(date)
        remember(path, (entry[2], entry[3]), Head(title=title, date=date, draft=bool(draft), due=due))
    return kept, trusted


def keep_release_heads(files, cache, inputs, kept, trusted):
    """Write the heads of ``files`` whose bytes the fingerprint knows (trusted stat, still
    the file's) for the next build, when they differ from ``kept``."""
    heads = {}
    for path in files:
        entry = trusted.get(path)
        if entry is None:
            continue
        sha = entry[5]
        if sha in kept:
            heads[sha] = kept[sha]
            continue
        head = release.remembered_head(path)
        # Read after the fingerprint: kept only if the file still has the stat it was hashed at.
        if head is not None and _still(path, entry):
            heads[sha] = [head.title, head.date, head.draft]
    if heads == kept:
        return
    path = Path(cache) / RELEASE_HEADS
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(marshal_file.dumps({"format": RELEASE_HEADS_FORMAT, "code": inputs.code_digest(),
                                                  "heads": heads}))
        os.replace(temporary, path)
    except OSError as error:
        log.debug("newsroom build: release heads not kept: %s", error)


def print_next_step(args):
    """After publishing: where the site goes next (unless the caller deploys it now)."""
    if args.publish and not args.then_deploy:
        print(messages.text("build.next_deploy"))


def count_article_pages(output):
    return sum(1 for path in Path(output).glob("[0-9][0-9][0-9][0-9]/*/*/*/index.html"))


# The article addresses of the last complete build, for warn_gone_articles.
PUBLISHED_ARTICLES = "published-articles.txt"
# An article's page: YYYY/MM/DD/<slug>/index.html (pelicanconf.ARTICLE_SAVE_AS).
ARTICLE_PAGE = re.compile(r"^[0-9]{4}/[0-9]{2}/[0-9]{2}/[^/]+/index\.html$")
GONE_SHOWN = 5


def article_addresses(manifest):
    """The article addresses (``/2024/05/14/<slug>/``) of an output manifest."""
    return [f"/{path[: -len('index.html')]}" for path in manifest[0] if ARTICLE_PAGE.match(path)]


def warn_gone_articles(record_path, manifest):
    """Say which article addresses of the last complete build this one dropped, and
    record this build's: readers' links and archivists' citations to them now fail. An
    article deleted on purpose is one; a headline corrected in an article without
    `Slug:`, or a changed `Date:`, is the other. The record is kept apart from the
    up-to-date stamp, which every build removes first: after a failed build the next
    complete one still compares with the last complete site."""
    now = article_addresses(manifest)
    try:
        before = Path(record_path).read_text(encoding="utf-8").split()
    except OSError:
        before = None  # the first build: nothing to compare with
    temporary = Path(record_path).with_name(Path(record_path).name + ".tmp")
    temporary.write_text("\n".join(now) + "\n", encoding="utf-8")
    os.replace(temporary, record_path)
    kept = set(now)
    gone = [address for address in before or () if address not in kept]
    if not gone:
        return
    shown = ", ".join(gone[:GONE_SHOWN])
    if len(gone) > GONE_SHOWN:
        shown = messages.text("build.and_more", shown=shown, count=len(gone) - GONE_SHOWN)
    problem, fix = messages.problem("build.gone_articles", count=len(gone), shown=shown)
    print(problem + messages.text("common.with_fix", fix=fix), file=sys.stderr)


def build_search_index(job, pages=None):
    """Build the search index the search plugin left to us in ``job`` (when it did);
    0 on success. ``pages``: the site's ``.html`` files with their stats, as the sweep of a
    recycled staging folder just listed them (None: the index lists the site itself).

    Pelican has exited by now: the shards' Pagefind runs (~0.45 GB for a shard of 1,000
    articles, two at a time) no longer sit beside its ~0.75 GB of build state (20,000
    articles), and rewriting the shards does not make the garbage collector walk that
    state again and again.
    """
    if not job.exists():
        return 0
    from newsroom.build import searchindex# lxml and cbor2: only when there is an index to build

    # As in the Pelican build (``fatal="errors"``), an error logged while indexing fails
    # the build, not only an exception (logged in this process: a shard worker that
    # fails raises, and that reaches here as WorkerFailed).
    errors = _ErrorCounter()
    logging.getLogger().addHandler(errors)
    try:
        if searchindex.run_job(job, pages) == 0:
            log.warning("%s", messages.text("build.search_empty"))
    except Exception as error:  # noqa: BLE001 — any failure: say what it was, publish nothing
        print(messages.text("build.search_failed", reason=str(error).strip() or error.__class__.__name__),
              file=sys.stderr)
        return 1
    finally:
        logging.getLogger().removeHandler(errors)
        uptodate.forget(job)
    if errors.count:
        print(messages.text("build.search_errors", count=errors.count), file=sys.stderr)
        return 1
    return 0


class _ErrorCounter(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.count = 0

    def emit(self, record):
        self.count += 1


def record(output, cache, stamp_path, groups, options, inputs, report, clock_bound, window=None, release_report=""):
    """Write the up-to-date stamp, unless this build's output may not be what its
    inputs give (then the next build runs again; the reason is logged). ``window``:
    ``(built for, valid until)``, the moments between which no article falls due (and
    the day does not change), so that the site stays current only that long."""
    if clock_bound:
        return
    scoped, why = build_was_scoped(cache)
    if scoped is None:
        log.warning("%s", messages.text("build.not_recorded", reason=messages.text("build.no_stats", detail=why)))
        return
    if scoped:
        log.info("newsroom build: %s; a scoped build is never recorded as up to date", why)
        return
    manifest = uptodate.output_manifest(output, probe_dir=cache)
    # Cheap: hashes are reused for every file whose stat did not change.
    after = uptodate.fingerprint_inputs(groups, options, inputs.trusted)
    if not inputs.unchanged_in(after):
        log.warning("%s", messages.text("build.not_recorded", reason=input_changes(groups, inputs, after)))
        return
    if manifest:
        built_for, valid_until = window or (None, None)
        uptodate.Stamp(inputs.digest(), manifest, after.trusted, report,
                       built_for.isoformat() if built_for else "", valid_until.isoformat() if valid_until else "",
                       release_report).save(stamp_path)
    return manifest


# The caches the plugins name by the code digest (NEWSROOM_CODE_DIGEST): topics'
# detections, keywords' rankings. (folder under the cache, glob)
CODE_KEYED_CACHES = (("topics", "classified-*.json"), ("keywords", "ranking-*"))


def forget_if_code_moved(inputs, cache):
    """After the Pelican child: when the code the render record is named by
    (``NEWSROOM_BUILD_CODE_DIGEST``, from the fingerprint taken before the content check)
    changed since, the child may have rendered with other code than the digest says; its
    render record and the caches named by that digest are dropped, so that the next build
    renders every page (and the code going back replays nothing made by the other code).
    True when they were. Costs a stat of the ~200 code files (their hashes are trusted)."""
    groups = uptodate.code_groups()
    now = uptodate.fingerprint_inputs(groups, {}, inputs.trusted)
    if now.code_digest(groups) == inputs.code_digest(groups):
        return False
    renderdeps.Record.forget(cache)
    for folder, pattern in CODE_KEYED_CACHES:
        for old in (Path(cache) / folder).glob(pattern):
            with contextlib.suppress(FileNotFoundError):
                old.unlink()
    log.info("newsroom build: the code changed during the build; its render record and the caches named "
             "by the code are dropped, the next build renders every page")
    return True


CHANGES_SHOWN = 5


def input_changes(groups, before, after):
    """Why ``before`` and ``after`` (fingerprints taken before and after a build) differ,
    in the editor's words, naming the files (and the environment's parts) that changed."""
    files, parts = before.changes_in(after)
    named = []
    for key in files:
        group, _, name = key.partition(":")
        root = groups.get(group)
        if root is None:
            named.append(key)
        else:
            named.append(shown_path(Path(root) / name if name else Path(root)))
    named += parts
    if not named:
        return messages.text("build.input_changed")
    shown = ", ".join(named[:CHANGES_SHOWN])
    if len(named) > CHANGES_SHOWN:
        shown = messages.text("build.and_more", shown=shown, count=len(named) - CHANGES_SHOWN)
    return messages.text("build.input_changed_named", changed=shown)


def linked_folders(job):
    """The output's folders whose files are hard links into the cache: the search
    bundle, when the search plugin left its index to us in ``job`` (else none)."""
    try:
        subdir = json.loads(job.read_text(encoding="utf-8")).get("output_subdir")
    except (OSError, ValueError, AttributeError):
        return []
    return [subdir] if isinstance(subdir, str) and subdir else []
