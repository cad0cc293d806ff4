"""Run Pelican builds: one build with every logged error fatal (``newsroom build``), or
the preview's warm build server.

``python -m newsroom.build.pelican_run SETTINGS CONTENT OUTPUT CACHE [NAME=VALUE ...]``
— used by ``newsroom build``, which runs it in a child process so that Pelican's logging
is set up before any plugin or newsroom module creates its logger. A failure is reported
as one readable line instead of a traceback. ``NAME=VALUE`` sets one of
:data:`BUILD_OVERRIDES` (``SEARCH_JOB_FILE``, ``FASTBUILD_PREVIOUS_OUTPUT``,
``NEWSROOM_STAGING_RECYCLED``).

``python -m newsroom.build.pelican_run --serve SETTINGS CONTENT REPLY_FD`` — the warm
build server of the live preview (``newsroom.desk.preview`` starts it and talks to it). A
preview build spends 1–3 s importing Pelican, Markdown, every plugin and the newsroom
modules and loading jieba's and pypinyin's dictionaries before any work; the server
does all of that once, then for each build request (one JSON line on stdin:
``{"pelican": [argv of the pelican command]}``) FORKS a child that runs exactly what
``python -m pelican ARGV`` would run, and answers ``{"status": exit code}`` on
``REPLY_FD``. Forking keeps two properties of a fresh process per build: the plugins'
module-level per-build state starts clean every time (the server never builds), and
a crash or an error in a plugin ends the child, never the server. The server does not
watch code: the preview restarts it when a file it has imported changes.
"""

import gc
import json
import logging
import os
import shutil
import sys
import time

# An original sample for the warm-up: it takes every analysis path a real article takes
# (byline, district, keywords, topics, summary, slug), so every dictionary is loaded.
WARM_UP_ARTICLE = """\
Title: 朝阳区职工书屋新添三千册图书
Date: 2024-03-12

本报讯（记者 林晓 通讯员 高远）近日，朝阳区总工会为望京街道的职工书屋新添图书三千册，\
涵盖技能培训、法律维权和文学阅读等类别。

区总工会有关负责人介绍，今年将推动职工书屋进园区、进楼宇，让一线职工在家门口读好书。
"""

log = logging.getLogger(__name__)
# Settings newsroom build sets: where the search plugin leaves the index for it to build
# (plugins/search), the site this build replaces (plugins/fastbuild), whether the
# output folder is a recycled site (prepare_recycled_output), and the moment the site is
# built for (plugins/release: which articles are due), the one the build decided on.
BUILD_OVERRIDES = ("SEARCH_JOB_FILE", "FASTBUILD_PREVIOUS_OUTPUT", "NEWSROOM_STAGING_RECYCLED", "RELEASE_NOW",
                   "RELEASE_HELD_FILE", "NEWSROOM_CONTENT_STAMPS", "NEWSROOM_BUILD_CODE_DIGEST")
# What Pelican raises once an error was logged with fatal errors on: the error itself was
# already shown.
FATAL_LOGGED = "Warning or error encountered"


# --- newsroom build: one build, errors fatal ------------------------------------------
def main(argv):
    settings_file, content, output, cache, *extra = argv
    from pelican import Pelican
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

    from newsroom.build.editor_log import EditorLogHandler

    # The log as editors read it (no times, no source lines, no tracebacks, their language).
    init_logging(level=logging.WARNING, fatal="errors", handler=EditorLogHandler())
    quiet_console()
    override = {"PATH": content, "OUTPUT_PATH": output, "CACHE_PATH": cache}
    for item in extra:  # NAME=value, for the settings newsroom build hands over
        name, _, value = item.partition("=")
        if name not in BUILD_OVERRIDES:  # a programming error: newsroom build passes these
            raise SystemExit(f"pelican_run: unknown setting {name!r}; expected one of {', '.join(BUILD_OVERRIDES)}")
        override[name] = value
    settings = read_settings(settings_file, override=override)
    if settings.get("NEWSROOM_STAGING_RECYCLED"):
        prepare_recycled_output(settings)
    # No full garbage collections in the build child (NEWSROOM_BUILD_GC = "young", the
    # default). Its heap only grows (the catalogue, its pages' contexts and records), so
    # each full collection walked everything again for little garbage: at 20,000 articles
    # the collector took 12 of 52 s of a cold build. Switching it off altogether (False,
    # the fourth to eighth sessions' choice) also kept every cycle a page's rendering or an
    # article's reading left behind: the child's heap at the end of the context phase was
    # ~1,060 MB at 20,000 articles against ~650 MB with the young generations still
    # collected (ninth session), and the catalogue's peak grows with it. True: every
    # generation, as plain Python. The child ends with os._exit once the site is written.
    collect = settings.get("NEWSROOM_BUILD_GC", "young")
    if collect == "young":
        young_collections_only()
    elif not collect:
        gc.disable()
    try:
        Pelican(settings).run()
    except Exception as error:  # noqa: BLE001 — any failure: say what it was, publish nothing
        if not (isinstance(error, RuntimeError) and str(error) == FATAL_LOGGED):
            print(stopped_line(error), file=sys.stderr)
        return 1
    return 0


def young_collections_only():
    """The collector keeps collecting young objects (the cycles a page's rendering or an
    article's reading leaves behind) but never walks the whole heap again."""
    gc.enable()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 1 << 30)


def stopped_line(error):
    """The one line an editor reads for an exception that stopped a build."""
    from newsroom import messages
    from newsroom.build.editor_log import exception_text, problem_line
    from newsroom.errors import ContentError, DataFileError

    # an article's problem names the article; a broken data file of the project names that file
    if isinstance(error, (ContentError, DataFileError)):
        return problem_line(error)
    return messages.text("build.log_line", severity=messages.text("common.error"),
                         message=messages.text("build.stopped", reason=exception_text(error)))


def quiet_console():
    """Pelican's console prints its summary ("Done: Processed 51 articles, 1 draft …") and a
    progress spinner in English; the build says what it did in the editor's words."""
    from pelican.log import console

    console.quiet = True


def editor_log_for_pelican_main():
    """``python -m pelican``'s default log handler (rich) replaced by the editor's one."""
    import pelican

    from newsroom.build.editor_log import EditorLogHandler

    pelican.LOG_HANDLERS["rich"] = EditorLogHandler()
    quiet_console()


def prepare_recycled_output(settings):
    """Pelican is about to build into a recycled staging folder (the site the build before
    last replaced; ``newsroom.build.staging.prepare_staging``), from which
    ``newsroom.build.staging.sweep`` will then remove every file this build did not write. So
    every file the build makes must be written anew or re-stamped (fastbuild does that
    for pages and feeds):

    * Pelican's static copier leaves a file alone when ``STATIC_CHECK_IF_MODIFIED`` finds
      it newer than its source, or ``STATIC_CREATE_LINKS`` finds the link in place; with
      either on, the folder is emptied first;
    * otherwise every static copy first removes what the recycled site has at its place
      (a link to the source left by ``STATIC_CREATE_LINKS``, on which Pelican's copy fails
      as "the same file"; a folder where there is now a file, or a file where a folder is
      needed), and a copy that fails is an error, not Pelican's warning: the sweep would
      otherwise delete the old copy and publish the site without it.
    """
    from pelican import utils

    from newsroom.build import staging

    output = settings["OUTPUT_PATH"]
    if settings.get("STATIC_CHECK_IF_MODIFIED") or settings.get("STATIC_CREATE_LINKS"):
        logging.getLogger(__name__).info("newsroom build: STATIC_CHECK_IF_MODIFIED or STATIC_CREATE_LINKS is on: "
                                         "emptying the recycled %s first", output)
        for entry in os.scandir(output):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        return

    def copy_file(source, destination):
        try:
            staging.make_room(destination, output)
            shutil.copyfile(source, destination)
        except OSError as error:
            logging.getLogger(__name__).error("newsroom build: cannot copy %s to %s (%s)", source, destination, error)

    utils.copy_file = copy_file


# --- the preview's warm build server --------------------------------------------------
def warm_up(settings_file):
    """Import and load now what every build needs; returns the steps that failed.

    Nothing here may stop the server: a step that fails (a plugin with a syntax error,
    a bad dictionary line) is simply left to the build, which meets the same error in
    its child and reports it as Pelican always does.
    """
    failed = []

    def step(name, action):
        try:
            action()
        except Exception as error:  # noqa: BLE001 — reported by the build itself
            failed.append(f"{name}: {error.__class__.__name__}: {error}")

    def pelican_modules():
        import pelican.generators  # noqa: F401
        import pelican.paginator  # noqa: F401
        import pelican.readers  # noqa: F401
        import pelican.writers  # noqa: F401

        from newsroom.paper import markup, sanitize

        sanitize.clean(markup.render(WARM_UP_ARTICLE)[0])

    def plugins():
        from pelican.plugins._utils import load_legacy_plugin
        from pelican.settings import read_settings

        settings = read_settings(settings_file)  # also runs pelicanconf.py's own imports
        for plugin in settings.get("PLUGINS") or ():
            if isinstance(plugin, str):  # imported only: register() runs in each build
                step(f"plugin {plugin}", lambda p=plugin: load_legacy_plugin(p, settings.get("PLUGIN_PATHS", [])))

    def dictionaries():
        # Through the project's own entry points, so that exactly what a build uses is
        # loaded (jieba's tables, the project's words and places, the IDF table, pypinyin).
        from newsroom.text import segment
        from newsroom.paper.analysis import analyze_source
        from newsroom.paper.content import parse_text
        from newsroom.text.slugs import slugify_headline
        from newsroom.text.summary import summarize

        # Whole, not looked up word by word: the server's children share what it loads.
        segment.load_whole()
        source = parse_text(WARM_UP_ARTICLE, "warm-up.md")
        analyze_source(source)
        summarize(source.body)
        slugify_headline(source.title)
        segment.cut_for_search(source.title)  # the search index's cut (preview --search)

    logging.disable(logging.CRITICAL)  # the builds report whatever goes wrong here
    try:
        step("Pelican", pelican_modules)
        step("plugins", plugins)
        step("dictionaries", dictionaries)
    finally:
        logging.disable(logging.NOTSET)
    return failed


def warm_scope(content):
    """Read the ``Date:`` of every article now, between builds, so that the preview
    scope of the next build (computed in its child) only has to stat the files."""
    try:
        from newsroom.paper.content import MARKDOWN_SUFFIXES
        from newsroom.build.preview_scope import article_date
    except Exception:  # noqa: BLE001 — the build reports a broken module
        return
    for folder, _, names in os.walk(content):
        for name in names:
            if name.lower().endswith(MARKDOWN_SUFFIXES):
                article_date(os.path.join(folder, name))


def exit_code(error):
    code = error.code
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


def run_pelican(argv):
    """What ``python -m pelican ARGV`` does (same options, logging and messages); the exit code."""
    from pelican import main as pelican_main

    editor_log_for_pelican_main()
    try:
        pelican_main(argv)
    except SystemExit as error:
        return exit_code(error)
    return 0


def build_in_child(argv):
    """Fork, run one Pelican build in the child, and return its exit code (negative:
    the child was killed by that signal)."""
    from newsroom.build.parallel import fork_child  # not at the top: see the end of this file

    def build():  # a build never outlives the preview's server (fork_child)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)  # the requests are the server's, not the build's
        return run_pelican(argv)

    def stopped(error):
        print(stopped_line(error), file=sys.stderr)  # the editor reads what, not where
        return 1

    pid = fork_child(build, on_error=stopped)
    while True:
        try:
            _, wait_status = os.waitpid(pid, 0)
            return os.waitstatus_to_exitcode(wait_status)
        except InterruptedError:
            continue


def serve(settings_file, content, reply_fd):
    """Warm up, then build on request until stdin closes (the preview stopped)."""
    import pelican  # noqa: F401 — first: pelican.log gives every later logger Pelican's class

    reply = os.fdopen(reply_fd, "w", encoding="utf-8", buffering=1)
    started = time.monotonic()
    failed = warm_up(settings_file)
    warm_scope(content)
    gc.collect()
    gc.freeze()  # the children never scan (or copy) the warm objects
    reply.write(json.dumps({"ready": round(time.monotonic() - started, 3), "failed": failed}) + "\n")
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        status = build_in_child(request["pelican"])
        reply.write(json.dumps({"status": status}) + "\n")
        warm_scope(content)  # while the editor reads the page
        gc.freeze()
    return 0


def serve_main(argv):
    settings_file, content, reply_fd = argv
    try:
        return serve(settings_file, content, int(reply_fd))
    except (KeyboardInterrupt, BrokenPipeError):  # Ctrl+C, or the preview went away
        return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        sys.exit(serve_main(sys.argv[2:]))
    status = main(sys.argv[1:])
    # Imported only now: a newsroom module imported before Pelican would create its
    # logger before Pelican's logging gives loggers the class that makes errors fatal.
    from newsroom.build.parallel import exit_now

    # After a build of 20,000 articles the heap holds ~1 GB of Python objects; freeing
    # them one by one at exit took 6-7 s, after every byte was written. Pelican writes
    # its caches during the build and nothing here registers an exit handler.
    exit_now(status)
