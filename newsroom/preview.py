"""Live preview for editors: build, serve, rebuild on save, reload the browser.

``python -m newsroom.preview [--port 8000]`` (what ``make serve`` runs) builds the site
into ``output.preview/`` (never ``output/``, which only ``newsroom build`` writes, so a
preview can never be published by mistake), serves it on http://localhost:8000/ and
watches ``content/``, the
theme, the plugins, the newsroom package and ``pelicanconf.py``. When a file is saved
it checks the changed articles (``file:line: problem — fix``, as ``newsroom check``),
rebuilds, and every open page reloads itself. The search index is written by the first
build only (``--search`` refreshes it on every save, a third slower; under ``make serve``
the fastbuild plugin's preview scope skips it altogether unless ``--search`` is given). Drafts
(``Status: draft``), which the site never writes, are written here at
``/drafts/<slug>/`` so an editor can read one before publishing it.

The reload works without any browser extension or outside service: each HTML page
served (never the files in ``output/``) gets one ``<script src="/__preview/reload.js">``
that asks ``/__preview/version`` once a second and reloads when the build number
changes. The script is a same-origin file, so the site's Content-Security-Policy
(``script-src 'self'``) allows it.

Pelican runs in a subprocess (as in ``newsroom build``): this package never imports it,
and every rebuild sees the current code and settings.
"""

import argparse
import http.server
import json
import logging
import subprocess
import sys
import threading
from functools import partial
from pathlib import Path

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
RELOAD_SCRIPT_PATH = "/__preview/reload.js"
VERSION_PATH = "/__preview/version"
RELOAD_TAG = f'<script src="{RELOAD_SCRIPT_PATH}" defer></script>'
POLL_MS = 1000
RELOAD_JS = """\
// newsroom preview: reload this page when the site has been rebuilt.
(function () {
  var seen = null;
  function poll() {
    fetch("%s", {cache: "no-store"})
      .then(function (response) { return response.text(); })
      .then(function (version) {
        if (seen !== null && version !== seen) { location.reload(); }
        seen = version;
      })
      .catch(function () {})
      .then(function () { setTimeout(poll, %d); });
  }
  poll();
})();
""" % (VERSION_PATH, POLL_MS)
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown")
# Where the preview writes drafts (DRAFT_URL in pelicanconf.py is drafts/{slug}/).
DRAFT_SAVE_AS = "drafts/{slug}/index.html"


def inject_reload(html):
    """``html`` with the reload script before its last ``</body>`` (or at the end)."""
    at = html.lower().rfind("</body>")
    if at < 0:
        return html + RELOAD_TAG
    return html[:at] + RELOAD_TAG + "\n" + html[at:]


class Preview:
    """The build number the pages poll, and the rebuild that raises it."""

    def __init__(self, content, output, settings, out=sys.stdout, watch_paths=None, cache=None,
                 search_every_build=False, drafts=True):
        self.content = Path(content).resolve()
        self.output = Path(output).resolve()
        self.settings = Path(settings).resolve()
        self.cache = Path(cache).resolve() if cache else None  # None: the settings' CACHE_PATH
        self.watch_paths = watch_paths  # None: content, theme, plugins, newsroom, settings
        # The search index takes about a third of a rebuild; an editor checking a page does not
        # need it refreshed on every save, so only the first build writes it (unless asked).
        self.search_every_build = search_every_build
        self.drafts = drafts  # write drafts at /drafts/<slug>/ (the site never does)
        self.out = out
        self.version = 0
        self._lock = threading.Lock()

    def check(self, paths):
        """Print the check's problems for ``paths`` (warnings included); never stops the preview."""
        from newsroom.checks import check_paths
        from newsroom.commands.check_cmd import report

        articles = [p for p in paths if Path(p).suffix.lower() in MARKDOWN_SUFFIXES and Path(p).exists()]
        if articles:
            problems, files = check_paths(articles)
            report(problems, files, self.out)

    def build(self):
        """Run Pelican once; True when it finished without error."""
        command = [sys.executable, "-m", "pelican", str(self.content), "-s", str(self.settings),
                   "-o", str(self.output)]
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
        if overrides:
            command += ["-e", *overrides]
        return subprocess.run(command, cwd=ROOT).returncode == 0

    def rebuild(self, changed=()):
        """Check the changed articles, build, and bump the version pages poll (even on failure,
        so that a page shows the latest state, e.g. the article that now builds)."""
        with self._lock:
            self.check(changed)
            ok = self.build()
            self.version += 1
            print(f"preview: build {self.version} {'done' if ok else 'FAILED (see the errors above)'}",
                  file=self.out, flush=True)
            return ok

    def watched(self):
        paths = self.watch_paths or (self.content, ROOT / "theme", ROOT / "plugins", ROOT / "newsroom", self.settings)
        return [Path(p) for p in paths if Path(p).exists()]

    def watch(self, stop_event=None):
        """Rebuild after every batch of saved files until ``stop_event`` is set."""
        from watchfiles import watch  # installed with Pelican (its --autoreload uses it)

        for changes in watch(*self.watched(), stop_event=stop_event, debounce=300):
            changed = sorted({path for _, path in changes})
            print(f"preview: changed {', '.join(Path(p).name for p in changed)}", file=self.out, flush=True)
            self.rebuild(changed)


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

    def do_GET(self):
        route = self.path.split("?", 1)[0]
        if route == VERSION_PATH:
            return self._send(str(self.preview.version), "text/plain; charset=utf-8")
        if route == RELOAD_SCRIPT_PATH:
            return self._send(RELOAD_JS, "text/javascript; charset=utf-8")
        page = self._html_file()
        if page is not None:
            return self._send(inject_reload(page.read_text(encoding="utf-8")), "text/html; charset=utf-8")
        return super().do_GET()

    do_HEAD = do_GET

    def log_message(self, format, *args):  # noqa: A002 - the standard handler's signature
        log.debug("preview: " + format, *args)


def make_server(preview, bind="127.0.0.1", port=8000):
    return http.server.ThreadingHTTPServer((bind, port), partial(PreviewHandler, preview=preview))


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m newsroom.preview",
                                     description="Build, serve and live-reload the site while you edit.")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--content", default=str(ROOT / "content"))
    parser.add_argument("--output", default=str(ROOT / "output.preview"),
                        help="folder the preview writes (default: output.preview/; output/ is left to newsroom build)")
    parser.add_argument("--settings", default=str(ROOT / "pelicanconf.py"))
    parser.add_argument("--search", action="store_true",
                        help="rebuild the search index on every save (default: only at start, faster saves)")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")

    output = Path(args.output)
    # Its own content cache beside it, as newsroom build keeps output.cache/ for output/.
    preview = Preview(args.content, output, args.settings, search_every_build=args.search,
                      cache=output.with_name(output.name + ".cache"))
    from newsroom.commands.check_cmd import check_tree

    try:  # bind first: a busy port is reported before a long build
        server = make_server(preview, args.bind, args.port)
    except OSError as error:
        print(f"preview: cannot listen on {args.bind}:{args.port} ({error.strerror}); "
              "is another preview running? Try --port 8001", file=sys.stderr)
        return 1
    check_tree(preview.content)
    preview.rebuild()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host = "localhost" if args.bind in ("127.0.0.1", "0.0.0.0") else args.bind
    print(f"preview: http://{host}:{server.server_address[1]}/ — pages reload after each save; Ctrl+C stops",
          flush=True)
    try:
        preview.watch()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
