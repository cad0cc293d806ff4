"""Live preview for editors: build, serve, rebuild on save, reload the browser.

``python -m newsroom.desk.preview [--port 8000]`` (what ``make serve`` runs) builds the site
into ``output.preview/`` (never ``output/``, which only ``newsroom build`` writes, so a
preview can never be published by mistake), serves it on http://localhost:8000/ and
watches ``content/``, the
theme, the plugins, the newsroom package and ``pelicanconf.py``. When a file is saved
it checks the changed articles (``file:line: problem — fix``, as ``newsroom check``),
rebuilds, and every open page reloads itself. The search index is written by the first
build only (``--search`` refreshes it on every save, a third slower; under ``make serve``
the fastbuild plugin's preview scope skips it altogether unless ``--search`` is given). Drafts
(``Status: draft``), which the site never writes, are written here at
``/drafts/<slug>/`` so an editor can read one before publishing it, and articles whose
``Date`` is still ahead (which the public site leaves out until then,
``plugins/release``) are built as they will be published: the editor reads tomorrow's
paper tonight. Each such page carries a banner saying so (its time, or that it is a
draft), and every page says how many articles of the preview readers cannot see yet.

The reload works without any browser extension or outside service: each HTML page
served (never the files in ``output/``) gets one ``<script src="/__preview/reload.js">``
that asks ``/__preview/version?after=N``; the server holds that request until the build
number differs from N (or ~25 s pass), so the page reloads as soon as a build ends
rather than at its next poll. The script is a same-origin file, so the site's
Content-Security-Policy (``script-src 'self'``) allows it.

Builds run in a warm build server (``newsroom.build.pelican_run --serve``): one
long-lived process that has imported Pelican, every plugin and the newsroom modules and
loaded jieba's and pypinyin's dictionaries, and that forks a child for each build, so a
save costs the build, not 1–3 s of start-up. Every build still starts from fresh plugin
state, and an error (or a crash) in a plugin ends only that child. When a file that the
server has imported changes (``plugins/``, ``newsroom/``, the settings file; templates
are read by each build anyway) the server is restarted, so every rebuild sees the
current code and settings (the check of saved articles runs in this process, with the
code it loaded at start: restart the preview after changing ``newsroom/desk/checks.py``).
This package never imports Pelican itself.
"""

import argparse
import http.server
from http import HTTPStatus
import json
import logging
import os
import re
import subprocess
import sys
import threading
from functools import partial
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from newsroom import messages
from newsroom.build import lifeline
from newsroom.paper import release
from newsroom.paper.content import MARKDOWN_SUFFIXES

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
RELOAD_SCRIPT_PATH = "/__preview/reload.js"
VERSION_PATH = "/__preview/version"
STATUS_PATH = "/__preview/status"
RELOAD_TAG = f'<script src="{RELOAD_SCRIPT_PATH}" defer></script>'
RETRY_MS = 1000  # the preview is not answering (stopped, restarting): ask again after this
VERSION_WAIT_S = 25  # how long a request for a newer build is held (below browsers' time-outs)
RELOAD_JS = """\
// newsroom preview: reload this page when the site has been rebuilt, and show what the
// check found in the saved articles (the page itself may still be the last good build).
(function () {
  var seen = null;
  // Every text comes from the server, in the editor's language, and is set as text, never
  // HTML: the lines quote the editor's own input.
  function box(id, edge, colour) {
    var element = document.createElement("div");
    element.setAttribute("role", edge === "bottom" ? "alert" : "status");
    element.id = id;
    var s = element.style;
    s.position = "fixed"; s.left = "0"; s.right = "0"; s[edge] = "0"; s.zIndex = "2147483647";
    s.maxHeight = "40vh"; s.overflow = "auto"; s.padding = "0.75em 1em";
    s.background = "#fff4e5"; s.color = "#1a1a1a";
    s[edge === "bottom" ? "borderTop" : "borderBottom"] = "3px solid " + colour;
    s.font = "14px/1.6 sans-serif"; s.whiteSpace = "pre-wrap";
    return element;
  }
  function closer(element, label) {
    var close = document.createElement("button");
    close.type = "button"; close.textContent = label;
    close.addEventListener("click", function () { element.remove(); });
    element.appendChild(close);
  }
  function banner(status) {
    var here = status.release.pages[location.pathname] || status.release.note;
    if (here) {
      var top = box("newsroom-preview-release", "top", "#1f5fae");
      var line = document.createElement("strong");
      line.textContent = here;
      top.appendChild(line);
      closer(top, status.texts.close);
      document.body.appendChild(top);
      // Below the banner, not under it: the masthead stays in sight.
      var padding = document.body.style.paddingTop;
      document.body.style.paddingTop = top.offsetHeight + "px";
      top.querySelector("button").addEventListener("click", function () {
        document.body.style.paddingTop = padding;
      });
    }
    if (!status.problems.length && status.ok) { return; }
    var bottom = box("newsroom-preview-problems", "bottom", "#b3261e");
    var title = document.createElement("strong");
    title.textContent = !status.ok ? status.texts.failed : status.errors ? status.texts.errors : status.texts.warnings;
    bottom.appendChild(title);
    status.problems.forEach(function (line) {
      var item = document.createElement("div");
      item.textContent = line;
      bottom.appendChild(item);
    });
    closer(bottom, status.texts.close);
    document.body.appendChild(bottom);
  }
  fetch("%s", {cache: "no-store"})
    .then(function (response) { return response.json(); })
    .then(banner)
    .catch(function () {});
  function poll() {
    // The server answers when the build number differs from ours (or after a while).
    fetch("%s" + (seen === null ? "" : "?after=" + encodeURIComponent(seen)), {cache: "no-store"})
      .then(function (response) { return response.text(); })
      .then(function (version) {
        if (seen !== null && version !== seen) { location.reload(); return; }
        seen = version;
        setTimeout(poll, 50);
      })
      .catch(function () { setTimeout(poll, %d); });
  }
  poll();
})();
""" % (STATUS_PATH, VERSION_PATH, RETRY_MS)
# The names a request may give as its Host (PreviewHandler.host_allowed).
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
HOST = re.compile(r"(?:\[(?P<v6>[0-9a-f:.]+)\]|(?P<name>[^:\[\]]+))(?::[0-9]{1,5})?")
# Where the preview writes drafts (DRAFT_URL in pelicanconf.py is drafts/{slug}/).
DRAFT_SAVE_AS = "drafts/{slug}/index.html"


class BuildServer:
    """The preview's warm build server (``python -m newsroom.build.pelican_run --serve``).

    ``build(argv)`` runs ``pelican ARGV`` in a child forked from the warm process and
    returns its exit code, or None when the server itself is gone (then the caller
    builds in a fresh process). The build's own output goes to this process's stdout and
    stderr, as a ``pelican`` subprocess's did; requests go over the server's stdin,
    replies come back on a pipe of their own.
    """

    def __init__(self, settings, content):
        self.settings, self.content = str(settings), str(content)
        self.process = None
        self.replies = None
        self.warm_up = None  # the server's ready line: seconds spent, steps that failed
        self.closed = False  # closed for good: no build, no new server (see close)

    def start(self):
        """Start the server (its warm-up runs while this process goes on)."""
        self.stop()
        read_end, write_end = os.pipe()
        command = [sys.executable, "-m", "newsroom.build.pelican_run", "--serve", self.settings,
                   self.content, str(write_end)]
        try:
            # The server dies with the preview, even a killed one (its builds die with it).
            self.process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, pass_fds=(write_end,),
                                            **lifeline.child_options(own_group=False))
        finally:
            os.close(write_end)
        self.replies = os.fdopen(read_end, "r", encoding="utf-8")
        self.warm_up = None

    def running(self):
        return self.process is not None and self.process.poll() is None

    def build(self, argv):
        if self.closed:
            return None
        if not self.running():
            self.start()
        try:
            self.process.stdin.write((json.dumps({"pelican": [str(a) for a in argv]}) + "\n").encode("utf-8"))
            self.process.stdin.flush()
            while True:
                line = self.replies.readline()
                if not line:
                    raise EOFError("the build server stopped")
                reply = json.loads(line)
                if "status" in reply:
                    return reply["status"]
                self.warm_up = reply  # the ready line comes first
                for failure in reply.get("failed", ()):
                    log.debug("preview: build server warm-up: %s", failure)
        except (OSError, ValueError, EOFError) as error:
            log.warning("%s", messages.text("preview.server_stopped", reason=error))
            self.stop()
            return None

    def close(self):
        """Stop for good: a build asked for afterwards (the watcher's, in flight while the
        desk stops) starts no new server."""
        self.closed = True
        self.stop()

    def stop(self):
        """End the server now (it is idle between builds, or still warming up)."""
        process, self.process = self.process, None
        if process is not None:
            try:
                process.stdin.close()  # the server also ends by itself when its requests end
            except OSError:
                pass
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self.replies is not None:
            self.replies.close()
            self.replies = None


def inject_reload(html):
    """``html`` with the reload script before its last ``</body>`` (or at the end)."""
    at = html.lower().rfind("</body>")
    if at < 0:
        return html + RELOAD_TAG
    return html[:at] + RELOAD_TAG + "\n" + html[at:]


class Preview:
    """The build number the pages poll, and the rebuild that raises it."""

    def __init__(self, content, output, settings, out=sys.stdout, watch_paths=None, cache=None,
                 search_every_build=False, drafts=True, code_paths=None, warm=True, unreleased=True):
        self.content = Path(content).resolve()
        self.output = Path(output).resolve()
        self.settings = Path(settings).resolve()
        self.cache = Path(cache).resolve() if cache else None  # None: the settings' CACHE_PATH
        self.watch_paths = watch_paths  # None: content, theme, plugins, newsroom, settings
        # Files the build server has imported: a change there restarts it (None: plugins,
        # newsroom, the settings file and every *conf.py at the root: publishconf imports
        # pelicanconf).
        self.code_paths = [Path(p).resolve() for p in (code_paths or (ROOT / "plugins", ROOT / "newsroom",
                                                                      self.settings, *ROOT.glob("*conf.py")))]
        # warm=False: a new Pelican process per build (slower; the old way, for comparison).
        self.server = BuildServer(self.settings, self.content) if warm else None
        # The search index takes about a third of a rebuild; an editor checking a page does not
        # need it refreshed on every save, so only the first build writes it (unless asked).
        self.search_every_build = search_every_build
        self.drafts = drafts  # write drafts at /drafts/<slug>/ (the site never does)
        # Build articles not yet due (with a banner): tomorrow's paper tonight. Off when the
        # preview is served to other machines (see main), which then get what readers get.
        self.unreleased = unreleased
        self.out = out
        self.problems = {}  # article path -> [(is error, problem line)] until it checks clean
        self.addresses = None  # article path -> its address in the preview (read at the first build)
        self.release = {"pages": {}, "note": ""}  # the banners of drafts and articles not yet due
        self.ok = True  # the last build finished without error
        self.version = 0
        self._lock = threading.Lock()
        self._built = threading.Condition()  # notified when the version changes
        # Once closed, nothing builds: a save being built when Ctrl+C came must not start a
        # Pelican process of its own that goes on writing the preview after "已停止".
        self.closed = False
        self._fresh = None  # the Pelican process of a build without the server, while it runs
        self._fresh_lock = threading.Lock()

    def start(self):
        """Start the build server and load the checker, so that neither waits for the first save."""
        if self.server is not None and not self.server.running():
            self.server.start()
        self.warm_check()

    def warm_check(self):
        """Run the check once on one article: its first run loads dictionaries (~1 s)."""
        try:
            from newsroom.desk.checks import check_paths

            for path in self.content.rglob("*"):
                if path.suffix.lower() in MARKDOWN_SUFFIXES and path.is_file():
                    check_paths([path])
                    return
        except Exception as error:  # noqa: BLE001 — the check of a saved file reports it
            log.debug("preview: check warm-up failed: %s", error)

    def close(self):
        """Stop the build server and any build running without it; build nothing after."""
        with self._fresh_lock:
            self.closed = True
            fresh = self._fresh
        if self.server is not None:
            self.server.close()
        if fresh is not None:
            lifeline.end_group(fresh)

    def code_changed(self, paths):
        """True when one of ``paths`` is code or data the build server has imported."""
        for path in paths:
            path = Path(path).resolve()
            if any(path == root or root in path.parents for root in self.code_paths):
                return True
        return False

    def scan_addresses(self):
        """``{article path: its address}`` for every published article under the content folder."""
        from newsroom.desk.checks import article_url, content_files, read_checked

        found = {}
        for path, is_page in content_files([self.content]):
            checked, _ = read_checked(path, is_page)
            url = article_url(checked) if checked.source is not None else None
            if url:
                found[str(path.resolve())] = url
        return found

    def withdraw_moved_pages(self, saved):
        """Remove from the preview the old page of each saved article that was deleted, made
        a draft, or given another address: the preview folder is only ever added to, and an
        editor reading the old page would think the change had not worked. An article whose
        address cannot be worked out now (a date with an error) keeps its old page until it
        is fixed: the check's banner says what is wrong."""
        from newsroom.desk.checks import article_url, is_draft, read_checked

        for path in map(Path, saved):
            if path.suffix.lower() not in MARKDOWN_SUFFIXES or self.content not in path.resolve().parents:
                continue  # a template, a plugin, a file outside the content folder
            key = str(path.resolve())
            old = self.addresses.get(key)
            new = gone = None
            if path.exists():
                checked, _ = read_checked(path)
                if checked.source is not None:
                    new = article_url(checked)
                    gone = new is None and is_draft(checked.source)
            else:
                gone = True
            if old and (gone or (new and new != old)):
                self._remove_page(old)
            if new:
                self.addresses[key] = new
            elif gone:
                self.addresses.pop(key, None)

    def _remove_page(self, address):
        page = self.output / address / "index.html"
        if page.is_file():
            page.unlink()
            folder = page.parent
            while folder != self.output and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
            print(messages.text("preview.removed_old_page", address=address), file=self.out, flush=True)

    def check(self, paths):
        """Print the check's problems for ``paths`` (warnings included); never stops the preview."""
        from newsroom.desk.checks import check_paths
        from newsroom.desk.commands.check_cmd import report

        saved = [Path(p) for p in paths if Path(p).suffix.lower() in MARKDOWN_SUFFIXES]
        # A new dict, swapped in at once: the server's threads read the old one meanwhile.
        current = {path: found for path, found in self.problems.items() if Path(path) not in saved}
        articles = [p for p in saved if p.exists()]  # a deleted file's problems are gone
        if articles:
            problems, files = check_paths(articles)
            report(problems, files, self.out)
            for problem in problems:
                current.setdefault(problem.path, []).append((problem.is_error, str(problem)))
        self.problems = current

    def status(self):
        """What the pages show in their banner: the last build's result and the problems of
        every saved article that has not checked clean since."""
        problems = self.problems  # one reference: the watcher replaces the dict, never changes it
        found = [problem for path in sorted(problems) for problem in problems[path]]
        texts = {name: messages.text(f"preview.banner_{name}") for name in ("failed", "errors", "warnings", "close")}
        return {"version": self.version, "ok": self.ok, "errors": sum(is_error for is_error, _ in found),
                "problems": [line for _, line in found], "texts": texts, "release": self.release}

    def release_notices(self, now=None):
        """The banners of the pages readers cannot see yet: ``{"pages": {"/address/": text},
        "note": text for every other page}``. Drafts are at ``/drafts/<slug>/``; an article
        not yet due at its own address. Read from the few held-back files alone."""
        from newsroom.desk.checks import article_url, read_checked, slug_of

        now = now or release.now()
        held = release.held_back(release.article_files(self.content), now)
        pages, waiting = {}, []
        for path, item in sorted(held.items()):
            checked, _ = read_checked(path)
            if checked.source is None:
                continue
            if item.draft:
                pages[f"/drafts/{slug_of(checked.source)}/"] = messages.text("preview.banner_draft")
                continue
            address = article_url(checked)
            waiting.append(item.due)
            if address:
                pages[f"/{address}"] = messages.text("preview.banner_waiting", due=release.beijing_text(item.due))
        note = messages.text("preview.banner_waiting_others", count=len(waiting),
                             due=release.beijing_text(min(waiting))) if waiting else ""
        return {"pages": pages, "note": note}

    def build(self):
        """Run Pelican once; True when it finished without error."""
        arguments = [str(self.content), "-s", str(self.settings), "-o", str(self.output)]
        overrides = []  # one -e for all: Pelican keeps only the last -e given
        if self.cache:
            overrides.append(f"CACHE_PATH={json.dumps(str(self.cache))}")
        if self.search_every_build:
            # fastbuild's preview scope (make serve) skips the index unless asked for.
            overrides.append("FASTBUILD_PREVIEW_SEARCH=true")
        elif self.version:
            overrides.append("SEARCH_INDEX=false")
        if self.drafts:
            overrides.append(f"DRAFT_SAVE_AS={json.dumps(DRAFT_SAVE_AS)}")
        if self.unreleased:  # tomorrow's paper tonight: articles not yet due are built (with a banner)
            overrides.append("RELEASE_EMBARGO=false")
        if overrides:
            arguments += ["-e", *overrides]
        status = self.server.build(arguments) if self.server is not None else None
        if status is None:  # no server (or it died): a Pelican process of its own
            status = self.build_fresh(arguments)
        return status == 0

    def build_fresh(self, arguments):
        """``pelican ARGUMENTS`` in a process of its own (ended by :meth:`close`); its exit code,
        or None when the preview is closed."""
        with self._fresh_lock:
            if self.closed:
                return None
            self._fresh = subprocess.Popen([sys.executable, "-m", "pelican", *arguments], cwd=ROOT,
                                           **lifeline.child_options())
        try:
            return self._fresh.wait()
        finally:
            with self._fresh_lock:
                self._fresh = None

    def rebuild(self, changed=()):
        """Check the changed articles, build, and bump the version pages poll (even on failure,
        so that a page shows the latest state, e.g. the article that now builds)."""
        with self._lock:
            if self.closed:  # stopped while this batch waited for the lock
                return False
            scan = None
            if self.addresses is None:
                # Every article's address (~3 s at 20,000 articles), read while the first
                # build runs in the build server; a save waits for it.
                found = {}
                scan = threading.Thread(target=lambda: found.update(self.scan_addresses()), daemon=True)
                scan.start()
                if changed:
                    scan.join()
                    self.addresses, scan = found, None
            self.check(changed)
            self.withdraw_moved_pages(changed)
            # The banners of drafts and articles not yet due: the heads of every article are
            # stat-ed (read when changed) while the build runs, not before it.
            notices = {}
            release_thread = threading.Thread(
                target=lambda: notices.update(self.release_notices() if self.unreleased or self.drafts else {}),
                daemon=True)
            release_thread.start()
            ok = self.ok = self.build()
            release_thread.join()
            self.release = notices or self.release
            if scan is not None:
                scan.join()
                self.addresses = found
            with self._built:
                self.version += 1
                self._built.notify_all()
            print(messages.text("preview.build_done" if ok else "preview.build_failed", number=self.version),
                  file=self.out, flush=True)
            return ok

    @property
    def building(self):
        """True while a check and build run (a page may be about to appear or change)."""
        return self._lock.locked()

    def version_after(self, seen, timeout=VERSION_WAIT_S):
        """The build number once it differs from ``seen`` (a string), or after ``timeout`` s."""
        with self._built:
            self._built.wait_for(lambda: str(self.version) != seen, timeout)
            return self.version

    def watched(self):
        paths = self.watch_paths or (self.content, ROOT / "theme", ROOT / "plugins", ROOT / "newsroom", self.settings)
        return [Path(p) for p in paths if Path(p).exists()]

    def watch(self, stop_event=None):
        """Rebuild after every batch of saved files until ``stop_event`` is set."""
        from watchfiles import watch  # installed with Pelican (its --autoreload uses it)

        for changes in watch(*self.watched(), stop_event=stop_event, debounce=300):
            self.saved(sorted({path for _, path in changes}))

    def saved(self, changed):
        """One batch of saved files: a new build server if code changed, then check and rebuild."""
        names = ", ".join(Path(p).name for p in changed)
        print(messages.text("preview.changed", names=names), file=self.out, flush=True)
        if self.server is not None and self.code_changed(changed):
            # The warm process holds the old code: a new one warms up while the check runs.
            print(messages.text("preview.code_changed"), file=self.out, flush=True)
            self.server.start()
        return self.rebuild(changed)


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Serves ``output/``; HTML pages get the reload script; two preview endpoints."""

    def __init__(self, *args, preview, **kwargs):
        self.preview = preview
        super().__init__(*args, directory=str(preview.output), **kwargs)

    def _send(self, body, content_type):
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _html_file(self):
        """The HTML file this request names, or None (then the standard handler answers)."""
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return None  # the standard handler redirects /x to /x/
            path = path / "index.html"
        return path if path.suffix == ".html" and path.is_file() else None

    def host_allowed(self):
        """True when the request names this machine: ``localhost``, ``127.0.0.1`` or
        ``[::1]`` (with any port), or the address given to ``--bind``. A page of another
        site whose name an attacker points at 127.0.0.1 (DNS rebinding) sends its own
        name and so cannot read the drafts; a request with no Host (HTTP/1.0 tools, never
        a browser) is answered."""
        host = self.headers.get("Host")
        if host is None:
            return True
        match = HOST.fullmatch(host.strip().lower())  # localhost:8000, [::1]:8000
        name = match and (match["v6"] or match["name"])
        return bool(name) and name in getattr(self.server, "allowed_hosts", LOCAL_HOSTS)

    def do_GET(self):
        if not self.host_allowed():
            return self.send_error(HTTPStatus.FORBIDDEN, explain=messages.text("security.preview_host"))
        try:
            return self.answer()
        except ConnectionError:
            raise  # the page went away: the server says nothing (PreviewServer.handle_error)
        except (ValueError, UnicodeError):  # a NUL byte, a broken %-escape in the path
            return self.send_error(HTTPStatus.BAD_REQUEST)
        except OSError:  # a name too long, a file that vanished
            return self.send_error(HTTPStatus.NOT_FOUND)

    def list_directory(self, path):
        """Never a listing (``/drafts/`` would list the drafts' slugs): a folder without
        ``index.html`` is not found."""
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def answer(self):
        route = self.path.split("?", 1)[0]
        if route == VERSION_PATH:
            seen = parse_qs(urlsplit(self.path).query).get("after")
            version = self.preview.version_after(seen[0]) if seen else self.preview.version
            return self._send(str(version), "text/plain; charset=utf-8")
        if route == STATUS_PATH:
            return self._send(json.dumps(self.preview.status(), ensure_ascii=False), "application/json; charset=utf-8")
        if route == RELOAD_SCRIPT_PATH:
            return self._send(RELOAD_JS, "text/javascript; charset=utf-8")
        page = self._html_file()
        if page is not None:
            return self._send(inject_reload(page.read_text(encoding="utf-8")), "text/html; charset=utf-8")
        return super().do_GET()

    do_HEAD = do_GET

    def log_message(self, format, *args):  # noqa: A002 - the standard handler's signature
        log.debug("preview: " + format, *args)


class PreviewServer(http.server.ThreadingHTTPServer):
    allowed_hosts = LOCAL_HOSTS

    def handle_error(self, request, client_address):
        # A page closed (or reloaded) while its request for a newer build was held: the
        # answer finds the connection gone. Nothing went wrong; say nothing.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def served_here_only(bind):
    """True when the preview listens on a loopback address alone: no other machine can
    reach it. ``0.0.0.0`` or a network address serves others (whatever Host they send)."""
    import ipaddress

    name = bind.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def make_server(preview, bind="127.0.0.1", port=8000, handler=None):
    """The preview's HTTP server (``handler``: a :class:`PreviewHandler` with its arguments
    bound, e.g. the desk's, which serves ``/desk/`` beside the site)."""
    server = PreviewServer((bind, port), handler or partial(PreviewHandler, preview=preview))
    if bind not in ("0.0.0.0", "::", ""):
        server.allowed_hosts = LOCAL_HOSTS | {bind.strip("[]").lower()}
    return server


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m newsroom.desk.preview",
                                     description=messages.text("help.preview_description"))
    parser.add_argument("--port", type=int, default=8000, help=messages.text("help.preview_port"))
    parser.add_argument("--bind", default="127.0.0.1", help=messages.text("help.preview_bind"))
    parser.add_argument("--content", default=str(ROOT / "content"), help=messages.text("help.content"))
    parser.add_argument("--output", default=str(ROOT / "output.preview"),
                        help=messages.text("help.preview_output"))
    parser.add_argument("--settings", default=str(ROOT / "pelicanconf.py"), help=messages.text("help.preview_settings"))
    parser.add_argument("--search", action="store_true",
                        help=messages.text("help.preview_search"))
    parser.add_argument("--cold", action="store_true",
                        help=messages.text("help.preview_cold"))
    return parser


def main(argv=None):
    from newsroom.desk import cli  # noqa: F401 — argparse's messages in the editor's language

    args = build_parser().parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    from newsroom.build.editor_log import EditorLogHandler

    logging.basicConfig(level=logging.WARNING, handlers=[EditorLogHandler()])

    output = Path(args.output)
    # Drafts and articles not yet due are for this machine's editor: a preview other
    # machines can reach builds what readers may see now, no more (docs/scheduling.md).
    local = served_here_only(args.bind)
    if not local:
        # A folder of its own: pages a local preview wrote there (tomorrow's, drafts) stay out of reach.
        output = output.with_name(output.name + "-shared")
        print(messages.text("preview.shared", bind=args.bind), flush=True)
    # Its own content cache beside it, as newsroom build keeps output.cache/ for output/.
    preview = Preview(args.content, output, args.settings, search_every_build=args.search,
                      cache=output.with_name(output.name + ".cache"), warm=not args.cold, drafts=local,
                      unreleased=local)
    from newsroom.desk.commands.check_cmd import check_tree

    try:  # bind first: a busy port is reported before a long build
        server = make_server(preview, args.bind, args.port)
    except OSError as error:
        print(messages.text("preview.cannot_listen", bind=args.bind, port=args.port, reason=messages.os_error(error)),
              file=sys.stderr)
        return 1
    try:
        preview.start()  # the build server warms up while the content is checked
        check_tree(preview.content)
        preview.rebuild()
        threading.Thread(target=server.serve_forever, daemon=True).start()
        host = "localhost" if args.bind in ("127.0.0.1", "0.0.0.0") else args.bind
        print(messages.text("preview.ready", url=f"http://{host}:{server.server_address[1]}/"), flush=True)
        preview.watch()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        preview.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
