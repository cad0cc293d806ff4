"""``make desk``: the web desk at http://localhost:8000/desk/, beside the live preview.

One server on one port: the preview (:mod:`newsroom.desk.preview`) serves the site it
rebuilds on every save, and this handler adds ``/desk/``: the desk's page (Decap CMS,
served from ``node_modules/decap-cms/dist``, nothing from a CDN), its generated config,
Decap's proxy protocol (:mod:`.protocol`) and the desk's own calls (check, history,
presence, publish). A save through the desk writes into ``content/``, where the preview's
watcher sees it and rebuilds, so the preview pane shows the real page.

The desk edits files and runs ``make publish``, so it is for this machine only:

- it listens on a loopback address, and refuses a request whose ``Host`` is not
  ``localhost``, ``127.0.0.1`` or ``[::1]`` (a web page cannot reach it by DNS rebinding);
- a request that changes anything must come from the desk's own page (``Origin``) as
  JSON, so another site open in the same browser cannot forge one;
- the editor signs in with a name (a cookie, ``SameSite=Strict``), which becomes the
  author of each git commit: there are no passwords, since everyone who can reach
  loopback can already edit the files;
- no folder is listed, and only the files the desk serves by name can be read.
"""

import argparse
import base64
import binascii
import difflib
import faulthandler
import html
import http.server
import json
import logging
import re
import signal
import sys
import threading
from functools import partial
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qs, quote, unquote, urlsplit

from newsroom import messages
from newsroom.desk import checks
from newsroom.desk.preview import Preview, PreviewHandler, make_server
from newsroom.desk.web import checking, decap_config
from newsroom.desk.web.files import PHOTO_SUFFIXES, ContentFiles, PathRefused
from newsroom.desk.web.history import History
from newsroom.desk.web.presence import TAB_HEADER, Presence, tab_key
from newsroom.desk.web.protocol import DeskBackend, ProtocolError, reading_order, refused
from newsroom.desk.web.publish import Publisher, default_commands
from newsroom.desk.web.scheduled import OFF, DeskSchedule, status_of
from newsroom.desk.web.uploads import PendingUploads, remove_abandoned
from newsroom.paper import release
from newsroom.paper.content import MARKDOWN_SUFFIXES, canonical_text, parse_text
from newsroom.text.slugs import slugify_headline

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[3]
STATIC_DIR = Path(__file__).resolve().parent / "static"
DECAP_DIR = ROOT / "node_modules" / "decap-cms" / "dist"
DOCS = ROOT / "docs"
GUIDE = DOCS / "editor-guide.zh.md"
EMBARGO_PLUGIN = ROOT / "plugins" / "release"
GUIDE_IMAGES = ROOT / "docs" / "images" / "desk"
GUIDE_SCHEDULING = "/desk/guide#十二定时发布"  # the guide's section on releases at their time
GUIDE_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
COOKIE = "newsroom_desk_editor"
SEARCH_LIMIT = 50
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]", "::1")
MAX_BODY = 64 * 1024 * 1024  # a photo of 40 MB, base64-encoded, in one save
NAME = re.compile(r"^[^\x00-\x1f<>\"\\;,]{1,20}$")
CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                 ".css": "text/css; charset=utf-8", ".json": "application/json; charset=utf-8",
                 ".wasm": "application/wasm", ".txt": "text/plain; charset=utf-8", ".svg": "image/svg+xml",
                 ".png": "image/png"}
# The desk's page: its own scripts and Decap's, nothing from elsewhere. Decap compiles
# its config schema (ajv) and styles with emotion at run time, hence 'unsafe-eval' and
# inline styles; blob: and data: are the photos being uploaded.
DESK_CSP = ("default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' blob: data:; media-src 'self' blob:; font-src 'self' data:; "
            "connect-src 'self' blob: data:; frame-src 'self' blob:; worker-src 'self' blob:; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'")


PAGE_AREA = "deskpage"  # newsroom/data/messages/deskpage.toml: the desk's page texts
PAGE_TEXT = re.compile(r"\{\{([a-z0-9_]+)\}\}")


def page_texts(lang=None):
    """``{name: template}`` of every text of the desk's page (``deskpage.<name>``), in the
    editor's language: what ``/desk/messages.json`` sends to the scripts (static/text.js)."""
    prefix = PAGE_AREA + "."
    return {message_id[len(prefix):]: messages.template(message_id, lang)
            for message_id in messages.catalogue() if message_id.startswith(prefix)}


def page_html(path):
    """The desk's HTML page with its ``{{name}}`` texts filled in (escaped) from the table."""
    texts = page_texts()
    return PAGE_TEXT.sub(lambda match: html.escape(texts[match.group(1)]), path.read_text(encoding="utf-8"))


def doc_page(path=GUIDE):
    """A page of docs/ as a page of the desk: the editor's guide (docs/editor-guide.zh.md) is
    its "使用说明" (``/desk/guide``); the docs it links (``importer.md``, which from
    ``/desk/guide`` is ``/desk/importer.md``) are served the same way, and their
    screenshots from docs/images/desk/ (``images/desk/…`` is ``/desk/images/desk/…``).
    The docs are the project's own text."""
    import markdown

    text = path.read_text(encoding="utf-8")
    from markdown.extensions.toc import slugify_unicode

    # Chinese headings keep their words in their ids (/desk/guide#十二定时发布), so the desk can link a section.
    body = markdown.markdown(text, extensions=["tables", "fenced_code", "toc"], output_format="html",
                             extension_configs={"toc": {"slugify": slugify_unicode}})
    title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), path.stem)
    lang = "zh-CN" if path.name.endswith(".zh.md") else "en"
    return (f"<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{html.escape(title)}</title><link rel=\"stylesheet\" href=\"/desk/static/guide.css\"></head>"
            f"<body><main class=\"nr-guide-page\">{body}</main></body></html>\n")


def doc_of(route):
    """The file of docs/ a ``/desk/<name>.md`` address names, or None."""
    match = re.fullmatch(r"/desk/([a-z0-9][a-z0-9-]*(?:\.zh)?\.md)", route)
    path = DOCS / match.group(1) if match else None
    return path if path is not None and path.is_file() and not path.is_symlink() else None


class Desk:
    """What the desk's routes work on: the content folder, its history, the preview."""

    def __init__(self, content, preview, history, publisher=None, decap_dir=DECAP_DIR, static_dir=STATIC_DIR,
                 schedule=None):
        self.content = Path(content).resolve()
        self.schedule = schedule  # scheduled.DeskSchedule: held articles released at their time
        self.files = ContentFiles(self.content)
        self.preview = preview
        self.history = history
        self.presence = Presence()
        self.uploads = PendingUploads()
        self.publisher = publisher
        self.decap_dir = Path(decap_dir)
        self.static_dir = Path(static_dir)
        self._facts = None
        self._facts_lock = threading.Lock()
        self.backend = DeskBackend(self.content, history, self.presence, after_save=self.saved,
                                   collections={decap_config.ARTICLES: self.files.folder,
                                                decap_config.PAGES: f"{self.files.folder}/pages"},
                                   uploads=self.uploads)

    def heard_from(self, key):
        """A request from the tab ``key``: it is open; photos of tabs long gone are removed."""
        self.uploads.seen(key)
        self.drop_photos(self.uploads.gone())

    def drop_photos(self, photos):
        """Remove abandoned uploads (:func:`.uploads.remove_abandoned`); the paths removed."""
        removed = remove_abandoned(photos)
        for photo in removed:
            log.info("desk: removed %s, uploaded for an article that was not saved with it", photo)
        return removed

    def saved(self, paths):
        """Files written or deleted through the desk: their facts for the next check."""
        with self._facts_lock:
            if self._facts is None:
                return
            for path in map(Path, paths):
                if path.suffix.lower() in MARKDOWN_SUFFIXES:
                    self._facts.pop(str(path.resolve()), None)
                    if path.is_file():
                        self._facts[str(path.resolve())] = self._facts_of(path)

    def _facts_of(self, path):
        checked, _ = checks.read_checked(path, not self.files.is_article_path(self.files.relative(path)))
        return checks.facts_of(checked) if checked.source is not None else None

    def facts(self):
        """``{absolute path: Facts}`` of every file under the content folder, for the checks
        over the tree (read once, ~3 s at 20,000 articles, then kept current by saves; a
        file changed outside the desk is read again when it is saved)."""
        with self._facts_lock:
            if self._facts is None:
                found = {}
                for path, is_page in checks.content_files([self.content]):
                    checked, _ = checks.read_checked(path, is_page)
                    if checked.source is not None:
                        found[str(Path(path).resolve())] = checks.facts_of(checked)
                self._facts = found
            return {path: facts for path, facts in self._facts.items() if facts is not None}

    def search(self, query, limit=SEARCH_LIMIT):
        """Articles and pages whose text contains ``query`` (any length: Decap's own search
        scores a match of two Chinese characters below its threshold), in the paper's
        reading order: ``[{"collection", "slug", "title", "date", "page", "status"}]``."""
        query = (query or "").strip().casefold()
        if not query:
            return []
        found = []
        for folder, collection in ((self.files.folder, decap_config.ARTICLES),
                                   (f"{self.files.folder}/pages", decap_config.PAGES)):
            depth = 3 if collection == decap_config.ARTICLES else 1
            for path in self.files.list_folder(folder, "md", depth):
                if collection == decap_config.ARTICLES and not self.files.is_article_path(path):
                    continue
                entry = self.files.read_entry(path)
                if query not in (entry["data"] or "").casefold():
                    continue
                source = parse_text(entry["data"])
                found.append((reading_order(entry), {
                    "collection": collection, "slug": PurePosixPath(path).relative_to(folder).with_suffix("").as_posix(),
                    "title": source.title, "date": (source.get("date") or "")[:16], "page": source.get("page") or "",
                    "status": source.get("status") or ""}))
        found.sort(key=lambda item: item[0])
        return [hit for _, hit in found[:limit]]

    def held(self, limit=20):
        """What a publish now leaves out, in the editor's words: ``{"waiting": [lines], "more":
        n, "drafts": text}`` (articles due later, soonest first; the drafts' count)."""
        # Articles due later are left out only by a build with the embargo (the release
        # plugin, docs/scheduling.md); without it they would go out, so none is listed.
        now = self.schedule.clock.now() if self.schedule else release.now()
        waiting = release.waiting(self.content, now) if EMBARGO_PLUGIN.is_dir() else []
        drafts = release.drafts(self.content)
        return {
            "waiting_head": messages.text("desk.publish_waiting", count=len(waiting)) if waiting else "",
            "waiting": [messages.text("desk.publish_waiting_item", due=release.beijing_text(item.due),
                                      title=item.title or item.path.name) for item in waiting[:limit]],
            "more": messages.text("desk.publish_waiting_more", count=len(waiting) - limit) if len(waiting) > limit else "",
            "drafts": messages.text("desk.publish_drafts", count=len(drafts)) if drafts else "",
            "how": self.schedule_status()["how"] if waiting else "",
        }

    def schedule_status(self):
        """How held articles go out, and which wait (:meth:`.scheduled.DeskSchedule.status`)."""
        if self.schedule is None:
            return status_of(OFF, self.content, release.now())
        return self.schedule.status()

    def months(self):
        """``YYYY-MM`` of every month folder, newest first (the lists' date filters)."""
        found = []
        for year in self.content.glob("[0-9][0-9][0-9][0-9]"):
            found += [f"{year.name}-{month.name}" for month in year.glob("[0-9][0-9]") if month.is_dir()]
        return sorted(found, reverse=True)

    def config(self):
        branch = "main"
        return decap_config.decap_config(self.files.folder, self.months(), branch)

    def page_of(self, path):
        """Where the preview shows the file ``path`` (Decap's name): ``{"url", "draft", "built",
        "building"}`` (the page exists; a build is running)."""
        full = self.files.resolve(path, MARKDOWN_SUFFIXES)
        is_page = not self.files.is_article_path(path)
        checked, _ = checks.read_checked(full, is_page)
        if checked.source is None:
            return {"url": None}
        slug = checked.source.get("slug") or slugify_headline(checked.source.title or "")
        if is_page:
            url, draft = f"/{slug}/", False
        elif checks.is_draft(checked.source):
            url, draft = f"/drafts/{slug}/", True
        else:
            address = checks.article_url(checked)
            url, draft = (f"/{address}" if address else None), False
        built = bool(url) and self.preview is not None and (self.preview.output / url.strip("/") / "index.html").is_file()
        building = self.preview is not None and self.preview.building
        return {"url": url, "draft": draft, "built": built, "building": building}


class DeskHandler(PreviewHandler):
    """The preview's handler with ``/desk/`` added, on loopback only."""

    def __init__(self, *args, desk, **kwargs):
        self.desk = desk
        super().__init__(*args, preview=desk.preview, **kwargs)

    # --- the rules for every request ------------------------------------------------

    def _hosts(self):
        port = self.server.server_address[1]
        return {f"{name}:{port}" for name in LOOPBACK_NAMES} | set(LOOPBACK_NAMES)

    def _host_ok(self):
        host = (self.headers.get("Host") or "").strip().lower()
        if host in self._hosts():
            return True
        self._error(421, messages.text("desk.foreign_host"))
        return False

    def _origin_ok(self):
        origin = (self.headers.get("Origin") or "").strip().lower()
        if origin.startswith("http://") and origin[7:] in self._hosts():
            return True
        self._error(403, messages.text("desk.foreign_origin"))
        return False

    def list_directory(self, path):  # noqa: D102 - the standard handler's hook
        self._error(404, messages.text("desk.not_found"))
        return None

    def _refused(self, error):
        """The answer to a request the protocol or the content folder's rules refused."""
        problem = refused(error) if isinstance(error, PathRefused) else error
        return self._error(problem.status, problem.message)

    def _error(self, status, message):
        self._reply(status, {"error": message})

    def _reply(self, status, payload, headers=()):
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _file(self, path, cache="no-store", data=None):
        data = path.read_bytes() if data is None else data
        self.send_response(200)
        self.send_header("Content-Type", CONTENT_TYPES.get(path.suffix, "application/octet-stream"))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        if path.suffix == ".html":
            self.send_header("Content-Security-Policy", DESK_CSP)
            self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _html(self, text):
        data = text.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", GUIDE_CSP)
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def tab(self):
        """The page's tab id (``X-Desk-Tab``, made by each load of the desk's page), or None."""
        return (self.headers.get(TAB_HEADER) or "").strip() or None

    def editor(self):
        for part in (self.headers.get("Cookie") or "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == COOKIE and value:
                editor = unquote(value)
                if NAME.match(editor):
                    return editor
        return None

    def tab(self):
        """The page's tab id (``X-Desk-Tab``, made by each load of the desk's page), or None."""
        return (self.headers.get(TAB_HEADER) or "").strip() or None

    # --- routes ----------------------------------------------------------------------

    def do_GET(self):
        if not self._host_ok():
            return None
        url = urlsplit(self.path)
        route, query = url.path, parse_qs(url.query)
        if route == "/desk":
            self.send_response(301)
            self.send_header("Location", "/desk/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if not route.startswith("/desk/"):
            return super().do_GET()
        if route in ("/desk/", "/desk/index.html"):
            page = self.desk.static_dir / "index.html"
            return self._file(page, data=page_html(page).encode("utf-8"))
        if route == "/desk/messages.json":
            return self._reply(200, {"language": messages.language(), "texts": page_texts()})
        if route.startswith("/desk/static/"):
            return self._named_file(self.desk.static_dir, route[len("/desk/static/"):])
        if route.startswith("/desk/decap/"):
            return self._named_file(self.desk.decap_dir, route[len("/desk/decap/"):], cache="max-age=3600")
        if route == "/desk/guide":
            return self._html(doc_page(GUIDE))
        if doc_of(route) is not None:
            return self._html(doc_page(doc_of(route)))
        if route.startswith("/desk/images/desk/"):
            return self._named_file(GUIDE_IMAGES, route[len("/desk/images/desk/"):], cache="max-age=3600")
        if route == "/desk/config.yml":
            return self._reply(200, self.desk.config())
        if route == "/desk/model.json":
            return self._reply(200, decap_config.desk_model())
        if route == "/desk/api/whoami":
            return self._reply(200, {"editor": self.editor()})
        editor = self.editor()
        if editor is None:
            return self._error(401, messages.text("desk.sign_in_first"))
        self.desk.heard_from(tab_key(editor, self.tab()))
        one = {key: values[0] for key, values in query.items()}
        try:
            if route == "/desk/api/search":
                return self._reply(200, {"hits": self.desk.search(one.get("q", ""))})
            if route == "/desk/api/slug":
                return self._reply(200, {"slug": slugify_headline(one.get("title", "")[:200])})
            if route == "/desk/api/check":
                return self._reply(200, self._check_saved(one.get("path")))
            if route == "/desk/api/page":
                return self._reply(200, {**self.desk.page_of(one.get("path")), "build": self.desk.preview.version})
            if route == "/desk/api/history":
                return self._reply(200, self._history(one.get("path")))
            if route == "/desk/api/diff":
                return self._reply(200, self._diff(one.get("path"), one.get("commit")))
            if route == "/desk/api/schedule":
                return self._reply(200, {**self.desk.schedule_status(), "guide": GUIDE_SCHEDULING})
            if route == "/desk/api/publish":
                held = self.desk.held()  # the slow part first: the job's state as late as it can be
                status = self.desk.publisher.status() if self.desk.publisher else {"state": "idle"}
                return self._reply(200, {**status, "held": held})
        except (ProtocolError, PathRefused) as error:
            return self._refused(error)
        return self._error(404, messages.text("desk.not_found"))

    do_HEAD = do_GET

    def do_POST(self):
        if not self._host_ok() or not self._origin_ok():
            return None
        route = urlsplit(self.path).path
        if not route.startswith("/desk/api/"):
            return self._error(404, messages.text("desk.not_found"))
        if (self.headers.get("Content-Type") or "").split(";")[0].strip().lower() != "application/json":
            return self._error(415, messages.text("desk.bad_request"))
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length > MAX_BODY:  # a photo too large: the editor's text is still in the form
            return self._error(413, messages.text("desk.upload_too_large"))
        if length < 0:
            return self._error(400, messages.text("desk.bad_request"))
        try:
            request = json.loads(self.rfile.read(length).decode("utf-8")) if length else {}
        except (UnicodeDecodeError, ValueError):
            return self._error(400, messages.text("desk.bad_request"))
        if route == "/desk/api/signin":
            return self._sign_in(request)
        if route == "/desk/api/signout":
            cookie = f"{COOKIE}=; Path=/desk; SameSite=Strict; HttpOnly; Max-Age=0"
            return self._reply(200, {"editor": None}, headers=[("Set-Cookie", cookie)])
        editor = self.editor()
        if editor is None:
            return self._error(401, messages.text("desk.sign_in_first"))
        self.desk.heard_from(tab_key(editor, self.tab()))
        try:
            if route == "/desk/api/v1":
                return self._reply(200, self.desk.backend.handle(request, editor, self.tab()))
            if not isinstance(request, dict):
                return self._error(400, messages.text("desk.bad_request"))
            if route == "/desk/api/check":
                return self._reply(200, self._check_unsaved(request.get("path"), request.get("text")))
            if route == "/desk/api/presence":
                return self._reply(200, self._presence(request, editor))
            if route == "/desk/api/photo":
                return self._reply(200, self._photo(request.get("article"), request.get("name"),
                                                    request.get("content"), editor))
            if route == "/desk/api/photo/leave":
                return self._reply(200, self._photos_left(request.get("article"), editor))
            if route == "/desk/api/restore":
                return self._reply(200, self._restore(request.get("path"), request.get("commit"), editor))
            if route == "/desk/api/publish":
                busy = self.desk.publisher.start(editor)
                return self._reply(409 if busy else 202, {"error": busy} if busy else self.desk.publisher.status())
        except (ProtocolError, PathRefused) as error:
            return self._refused(error)
        return self._error(404, messages.text("desk.not_found"))

    # --- the desk's own calls ----------------------------------------------------------

    def _named_file(self, folder, name, cache="no-store"):
        # One file of the folder, by a plain name: no sub-folders, no hidden files.
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name) or ".." in name:
            return self._error(404, messages.text("desk.not_found"))
        path = folder / name
        if path.suffix not in CONTENT_TYPES or not path.is_file() or path.is_symlink():
            return self._error(404, messages.text("desk.not_found"))
        return self._file(path, cache)

    def _sign_in(self, request):
        name = (request.get("name") if isinstance(request, dict) else "") or ""
        name = name.strip() if isinstance(name, str) else ""
        if not NAME.match(name):
            return self._error(422, messages.text("desk.bad_name"))
        cookie = f"{COOKIE}={quote(name)}; Path=/desk; SameSite=Strict; HttpOnly; Max-Age=31536000"
        return self._reply(200, {"editor": name}, headers=[("Set-Cookie", cookie)])

    def _check_unsaved(self, path, text):
        if not isinstance(text, str):
            raise ProtocolError(422, messages.text("desk.bad_request"))
        full = self.desk.files.resolve(path, MARKDOWN_SUFFIXES)
        is_page = not self.desk.files.is_article_path(path)
        return {"problems": checking.check_text(full, canonical_text(text), is_page, self.desk.facts())}

    def _check_saved(self, path):
        full = self.desk.files.resolve(path, MARKDOWN_SUFFIXES)
        if not full.is_file():
            return {"problems": []}
        is_page = not self.desk.files.is_article_path(path)
        checked, problems = checks.read_checked(full, is_page)
        if checked.source is None:
            return {"problems": checking.as_dicts(problems, "")}
        text = "\n".join(checked.lines)
        return {"problems": checking.check_text(full, text, is_page, self.desk.facts())}

    def _presence(self, request, editor):
        path = request.get("path")
        self.desk.files.resolve(path, MARKDOWN_SUFFIXES)
        if request.get("leave"):
            self.desk.presence.left(path, editor, self.tab())
            return {"others": []}
        return {"others": self.desk.presence.here(path, editor, self.tab())}

    def _history(self, path):
        full = self.desk.files.resolve(path, MARKDOWN_SUFFIXES)
        entries = self.desk.history.log(full) if self.desk.history else []
        return {"entries": entries, "empty": messages.text("desk.history_unknown")}

    def _diff(self, path, commit):
        """The version of ``commit`` against the file now: ``[{"op": " "|"-"|"+", "text"}]``."""
        full = self.desk.files.resolve(path, MARKDOWN_SUFFIXES)
        old = self.desk.history.show(commit, full) if self.desk.history else None
        if old is None:
            raise ProtocolError(404, messages.text("desk.restore_missing"))
        now = full.read_text(encoding="utf-8") if full.is_file() else ""
        lines = []
        for line in difflib.ndiff(old.decode("utf-8", errors="replace").splitlines(), now.splitlines()):
            if line[:1] in " -+":
                lines.append({"op": line[:1], "text": line[2:]})
        return {"lines": lines}

    def _photo(self, article, name, content, editor):
        """A photo uploaded for ``article``: written beside it as ``<article's name>-N.<ext>``
        (the next free N), pending until the article is saved with it (:mod:`.uploads`);
        the file's name for the Markdown."""
        full = self.desk.files.resolve(article, MARKDOWN_SUFFIXES)
        if not self.desk.files.is_article_path(article) or not isinstance(name, str):
            raise ProtocolError(422, messages.text("desk.no_folder", path=article))
        suffix = PurePosixPath(name.lower()).suffix
        suffix = ".jpg" if suffix == ".jpeg" else suffix
        if suffix not in PHOTO_SUFFIXES:
            raise ProtocolError(422, messages.text("desk.type_refused", path=name[:80]))
        try:
            data = base64.b64decode(content or "", validate=True)
        except (binascii.Error, ValueError):
            raise ProtocolError(422, messages.text("desk.bad_request")) from None
        number = 1
        while (full.parent / f"{full.stem}-{number}{suffix}").exists():
            number += 1
        self.desk.files.check_photo(self.desk.files.relative(full.parent / f"{full.stem}-{number}{suffix}"), data)
        full.parent.mkdir(parents=True, exist_ok=True)
        while True:  # taken meanwhile (two photos inserted at once): the next number
            target = full.parent / f"{full.stem}-{number}{suffix}"
            try:
                with open(target, "xb") as handle:  # never over another photo
                    handle.write(data)
                break
            except FileExistsError:
                number += 1
        path = self.desk.files.relative(target)
        # Committed with the article that names it, when that is saved; removed if it never is.
        self.desk.uploads.add(target, tab_key(editor, self.tab()), full)
        return {"name": target.name, "path": path}

    def _photos_left(self, article, editor):
        """This tab closed ``article``'s form: the photos it uploaded for it and did not save
        with it are removed."""
        full = self.desk.files.resolve(article, MARKDOWN_SUFFIXES)
        removed = self.desk.drop_photos(self.desk.uploads.left(tab_key(editor, self.tab()), full))
        return {"removed": [photo.name for photo in removed]}

    def _restore(self, path, commit, editor):
        """Undo: save the version of ``commit`` as a new version (a new commit); one write at
        a time with the editors' saves."""
        with self.desk.backend.writing:
            return self._restore_now(path, commit, editor)

    def _restore_now(self, path, commit, editor):
        full = self.desk.files.resolve(path, MARKDOWN_SUFFIXES)
        old = self.desk.history.show(commit, full) if self.desk.history else None
        if old is None:
            raise ProtocolError(404, messages.text("desk.restore_missing"))
        entry = next((e for e in self.desk.history.log(full, limit=200) if e["commit"] == commit), {})
        text = old.decode("utf-8", errors="replace")
        full.write_text(text, encoding="utf-8")
        title = parse_text(text).title or PurePosixPath(path).stem
        self.desk.history.commit([full], editor, messages.text(
            "desk.commit_restore", editor=editor, title=title, when=entry.get("when", commit[:8]), path=path))
        self.desk.presence.loaded(path, editor, self.desk.files.version(path), self.tab())
        self.desk.saved([full])
        return {"restored": commit}


# --- running it ----------------------------------------------------------------------------


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m newsroom.desk.web", description=messages.text("desk.help_description"))
    parser.add_argument("--port", type=int, default=8000, help=messages.text("desk.help_port"))
    parser.add_argument("--bind", default="127.0.0.1", help=messages.text("desk.help_bind"))
    parser.add_argument("--content", default=str(ROOT / "content"), help=messages.text("desk.help_content"))
    parser.add_argument("--output", default=str(ROOT / "output.preview"), help=messages.text("desk.help_output"))
    parser.add_argument("--settings", default=str(ROOT / "pelicanconf.py"), help=messages.text("desk.help_settings"))
    parser.add_argument("--no-schedule", dest="schedule", action="store_false", help=messages.text("desk.help_no_schedule"))
    parser.add_argument("--lang", choices=messages.LANGUAGES, default=None, help=messages.text("help.cli_lang"))
    return parser


def is_loopback(bind):
    return bind in ("127.0.0.1", "::1", "localhost") or bind.startswith("127.")


def stop_on_signals():
    """Ctrl+C (SIGINT) and SIGTERM stop the desk, whatever its parent left behind: a shell
    script's background job starts with SIGINT ignored, and a signal mask is inherited
    across exec (a desk started by a test runner's worker once did not stop on Ctrl+C).
    Called by ``python -m newsroom.desk.web`` before any thread starts, so that every thread
    inherits the unblocked mask (not by ``main``, which tests call in their own process).
    `kill -USR1 <pid>` prints where every thread is (for whoever maintains a desk that seems
    stuck; an editor never needs it)."""
    from newsroom.build.lifeline import terminate_as_exit

    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
    signal.signal(signal.SIGINT, signal.default_int_handler)
    terminate_as_exit()
    faulthandler.register(signal.SIGUSR1, all_threads=True)


def main(argv=None):
    from newsroom.desk import cli  # argparse's own words (usage, options) in the editor's language

    argv = sys.argv[1:] if argv is None else list(argv)
    messages.set_language(cli.language_asked(argv))
    args = build_parser().parse_args(argv)
    messages.set_language(args.lang)
    messages.export_language()  # the preview's builds and the publish button's commands too
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    if not is_loopback(args.bind):
        problem, fix = messages.problem("desk.not_loopback", bind=args.bind)
        print(f"desk: {problem}{messages.text('common.with_fix', fix=fix)}", file=sys.stderr)
        return 2
    if not (DECAP_DIR / "decap-cms.js").is_file():
        problem, fix = messages.problem("desk.no_decap", path=DECAP_DIR / "decap-cms.js")
        print(f"desk: {problem}{messages.text('common.with_fix', fix=fix)}", file=sys.stderr)
        return 2
    history = History.find(args.content)
    if history is None:
        problem, fix = messages.problem("desk.no_git", folder=args.content)
        print(f"desk: {problem}{messages.text('common.with_fix', fix=fix)}", file=sys.stderr)
        return 2
    output = Path(args.output)
    preview = Preview(args.content, output, args.settings, cache=output.with_name(output.name + ".cache"))
    publisher = Publisher(default_commands(ROOT), ROOT)
    # make publish / make deploy publish into ROOT/output: the scheduler's site.
    schedule = DeskSchedule(args.content, ROOT / "output", publisher) if args.schedule else None
    desk = Desk(args.content, preview, history, publisher, schedule=schedule)
    try:
        server = make_server(preview, args.bind, args.port, handler=partial(DeskHandler, desk=desk))
    except OSError as error:
        problem, fix = messages.problem("desk.port_taken", bind=args.bind, port=args.port,
                                        detail=error.strerror or error)
        print(f"desk: {problem}{messages.text('common.with_fix', fix=fix)}", file=sys.stderr)
        return 1
    from newsroom.desk.commands.check_cmd import check_tree

    stop = threading.Event()
    try:
        preview.start()
        check_tree(preview.content)
        if schedule is not None:  # before the first page: its mode is what the page says
            schedule.start()
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(messages.text("desk.started", host="localhost", port=server.server_address[1]), flush=True)
        print(desk.schedule_status()["how"], flush=True)
        # The desk answers during the first build (minutes in a fresh clone): what an editor
        # saves meanwhile is watched already, and built right after it.
        watcher = threading.Thread(target=preview.watch, kwargs={"stop_event": stop}, daemon=True)
        watcher.start()
        preview.rebuild()
        while watcher.is_alive():
            watcher.join(0.5)
    except (KeyboardInterrupt, SystemExit):  # Ctrl+C, or SIGTERM/SIGHUP (stop_on_signals)
        pass
    finally:
        stop.set()
        server.shutdown()
        if schedule is not None:
            schedule.stop()
        desk.drop_photos(desk.uploads.everything())  # uploads no article was saved with
        preview.close()
    print(messages.text("desk.stopped"), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
