"""Decap CMS's proxy-backend protocol, answered over the content folder.

Decap's ``proxy`` backend (decap-cms-backend-proxy) sends every request as one JSON
object, ``{"action": …, "params": {…}}``, to one URL; ``decap-server`` answers it in Node
(packages/decap-server/src/middlewares/localFs). This module answers the same actions,
with the same shapes, and adds what the newsroom needs:

- only the content folder is reachable (:mod:`.files`);
- an article is written in the canonical form (:func:`newsroom.paper.content.canonical_text`);
- every save, upload and deletion is one git commit whose author is the editor (:mod:`.history`);
  a photo the desk's inserter uploaded is committed with the article that names it
  (:mod:`.uploads`);
- a save is refused when another editor saved the article after this editor opened it
  (:mod:`.presence`), and a new article never replaces a file that exists.

Errors are :class:`ProtocolError` with a message for the editor (Decap shows it in its
notification) and an HTTP status, as ``decap-server`` answers ``{"error": …}``.
"""

import base64
import binascii
import logging
import os
import threading
from pathlib import Path, PurePosixPath
from types import SimpleNamespace

from newsroom import messages
from newsroom.desk.web.files import ContentFiles, PathRefused, sha256
from newsroom.paper.content import MARKDOWN_SUFFIXES, canonical_text, parse_text
from newsroom.paper.dates import DateProblem, parse_date
from newsroom.paper.epaper import newest_first

log = logging.getLogger(__name__)


# Decap's actions that write into content/ (and commit): one at a time (DeskBackend.writing).
WRITING_ACTIONS = frozenset({"persistEntry", "persistMedia", "deleteFile", "deleteFiles"})


def reading_order(entry):
    """Sort key of one entry: the site's list order (:func:`newsroom.paper.epaper.newest_first`);
    an entry without a usable date last."""
    source = parse_text(entry["data"] or "")
    try:
        when = parse_date(source.get("date") or "")
    except DateProblem:
        return (1, (), entry["file"]["path"])
    numbers = {key: int(source.get(key)) if (source.get(key) or "").strip().isdigit() else None
               for key in ("page", "pageorder")}
    return (0, newest_first(SimpleNamespace(date=when, source_path=entry["file"]["path"], **numbers)), "")


class ProtocolError(Exception):
    def __init__(self, status, message):
        self.status = status
        self.message = message
        super().__init__(message)


def refused(error):
    """The :class:`ProtocolError` of a :class:`PathRefused`: its message with the fix, if any."""
    message_id = f"desk.{error.reason}"
    problem, fix = messages.problem(message_id, path=error.path, **error.params)
    return ProtocolError(403 if error.reason == "path_refused" else 422,
                         problem + messages.text("common.with_fix", fix=fix) if fix else problem)


class DeskBackend:
    """The actions of Decap's proxy backend over ``content``.

    ``history`` (a :class:`~.history.History`) records saves; ``presence`` (a
    :class:`~.presence.Presence`) knows which version each editor opened; ``after_save``
    is called with the absolute paths of each save (the server re-checks them)."""

    def __init__(self, content, history, presence, after_save=None, collections=None, uploads=None):
        self.files = ContentFiles(content)
        self.history = history
        self.presence = presence
        self.uploads = uploads  # :class:`~.uploads.PendingUploads`: photos waiting for their article
        self.after_save = after_save or (lambda paths: None)
        # Decap collection name -> its folder (for getDeployPreview, which names a slug).
        self.collections = collections or {}
        # One write at a time, from the check for a newer version through the commit: two
        # saves of one article a moment apart (two tabs, two editors) would otherwise both
        # pass the check, and the second would write over the first unseen.
        self.writing = threading.RLock()

    def handle(self, request, editor, tab=None):
        """Answer one request (the decoded JSON body) for ``editor`` from the page ``tab``
        (its tab id, :mod:`.presence`); returns the JSON answer."""
        if not isinstance(request, dict) or not isinstance(request.get("action"), str):
            raise ProtocolError(422, messages.text("desk.bad_request"))
        action = request["action"]
        params = request.get("params") or {}
        if not isinstance(params, dict):
            raise ProtocolError(422, messages.text("desk.bad_request"))
        method = getattr(self, f"action_{action}", None)
        if method is None:
            raise ProtocolError(422, messages.text("desk.unknown_action", action=action[:40]))
        try:
            if action in WRITING_ACTIONS:
                with self.writing:
                    return method(params, editor, tab)
            return method(params, editor, tab)
        except PathRefused as error:
            raise refused(error) from None

    # --- reading ---------------------------------------------------------------------

    def action_info(self, params, editor, tab=None):
        return {"repo": self.files.root.name, "publish_modes": ["simple"], "type": "local_git"}

    def action_entriesByFolder(self, params, editor, tab=None):
        folder, extension = params.get("folder"), params.get("extension") or "md"
        depth = params.get("depth") or 1
        if not isinstance(depth, int) or not 1 <= depth <= 8 or not isinstance(extension, str):
            raise ProtocolError(422, messages.text("desk.bad_request"))
        paths = self.files.list_folder(folder, extension, depth)
        if self.files.resolve_folder(folder) == self.files.content:
            # The articles' collection: content/YYYY/MM/*.md only (pages have their own).
            paths = [p for p in paths if self.files.is_article_path(p)]
        # In the paper's reading order, newest day first: Decap groups the list in the
        # order the entries come (so the issues and their pages read in order).
        return sorted((self.files.read_entry(path, for_list=True) for path in paths), key=reading_order)

    def action_entriesByFiles(self, params, editor, tab=None):
        files = params.get("files")
        if not isinstance(files, list):
            raise ProtocolError(422, messages.text("desk.bad_request"))
        return [self.files.read_entry(item.get("path")) for item in files if isinstance(item, dict)]

    def action_getEntry(self, params, editor, tab=None):
        entry = self.files.read_entry(params.get("path"))
        self.presence.loaded(entry["file"]["path"], editor, entry["file"]["id"], tab)
        return entry

    def action_getMedia(self, params, editor, tab=None):
        """The photos of a folder, named but without their bytes: Decap asks for the article's
        folder whenever one is opened, and a month of full-size photos would be hundreds of
        megabytes for a list nobody looks at (the desk inserts photos itself)."""
        folder = self.files.resolve_folder(params.get("mediaFolder") or "")
        if not folder.is_dir():
            return []
        found = []
        for path in sorted(folder.iterdir()):
            if path.is_file() and not path.is_symlink() and path.suffix.lower() in self._photo_suffixes():
                found.append({"id": None, "content": "", "encoding": "base64", "path": self.files.relative(path),
                              "name": path.name})
        return found

    def action_getMediaFile(self, params, editor, tab=None):
        return self._media(params.get("path"))

    def _media(self, path):
        full = self.files.resolve(path, self._photo_suffixes())
        data = full.read_bytes()
        return {"id": sha256(data), "content": base64.b64encode(data).decode("ascii"), "encoding": "base64",
                "path": path, "name": full.name}

    @staticmethod
    def _photo_suffixes():
        from newsroom.desk.web.files import PHOTO_SUFFIXES

        return PHOTO_SUFFIXES

    def action_getDeployPreview(self, params, editor, tab=None):
        return None  # the preview pane shows the page itself (desk.js)

    # --- writing ---------------------------------------------------------------------

    def action_persistEntry(self, params, editor, tab=None):
        data_files = params.get("dataFiles") or ([params["entry"]] if isinstance(params.get("entry"), dict) else [])
        assets = params.get("assets") or []
        options = params.get("options") or {}
        if not data_files or not isinstance(assets, list) or not all(isinstance(f, dict) for f in data_files):
            raise ProtocolError(422, messages.text("desk.bad_request"))
        writes = []  # (absolute path, bytes, Decap path)
        moves = []
        for data_file in data_files:
            path = data_file.get("path")
            full = self.files.resolve(path, MARKDOWN_SUFFIXES)
            for where in (path, data_file.get("newPath")):
                if where and not (self.files.is_article_path(where) or self.files.is_page_path(where)):
                    raise ProtocolError(422, messages.text("desk.no_folder", path=where))
            raw = data_file.get("raw")
            if not isinstance(raw, str):
                raise ProtocolError(422, messages.text("desk.bad_request"))
            text = self.files.check_text(path, raw.encode("utf-8"))
            data = canonical_text(text).encode("utf-8")
            self._refuse_stale(path, full, editor, tab)
            target = full
            if data_file.get("newPath"):
                target = self.files.resolve(data_file["newPath"], MARKDOWN_SUFFIXES)
                if target.exists():
                    raise ProtocolError(409, messages.text("desk.exists", path=data_file["newPath"]))
                moves.append(full)
            writes.append((target, data, self.files.relative(target)))
        for asset in assets:
            writes.append(self._asset(asset))
        for full, data, _ in writes:
            full.parent.mkdir(parents=True, exist_ok=True)
            temporary = full.with_name(f".{full.name}.{os.getpid()}-{threading.get_ident()}.desk-tmp")
            temporary.write_bytes(data)
            temporary.replace(full)  # a reader never sees half a file
        for old in moves:
            old.unlink(missing_ok=True)
        touched = [full for full, _, _ in writes] + moves
        if self.uploads is not None:  # the photos inserted for it go into the same commit
            for full, data, path in writes:
                if Path(path).suffix.lower() in MARKDOWN_SUFFIXES:
                    touched += self.uploads.saved(full, data.decode("utf-8"))
        title = self._title_of(writes)
        self._commit(touched, editor, "desk.commit_save", title=title, path=writes[0][2])
        for full, data, path in writes:
            if Path(path).suffix.lower() in MARKDOWN_SUFFIXES:
                self.presence.loaded(path, editor, sha256(data), tab)
        self.after_save(touched)
        return {"message": "entry persisted"}

    def _refuse_stale(self, path, full, editor, tab=None):
        """Refuse to write over a version this page has not seen: a save made after this
        page opened the article (another editor's, or this editor's in another tab), or a
        file made after Decap found the name free (Decap asks for a new article's path
        before saving it, so its page's starting version is "none")."""
        current = sha256(full.read_bytes()) if full.exists() else None
        base = self.presence.base(path, editor, tab)
        if base is False or base == current:
            return
        if base is None:  # the editor saw no such file (a new article), and now there is one
            raise ProtocolError(409, messages.text("desk.exists", path=path))
        _, who = self.history.last_editor(full) if self.history else (None, None)
        if who == editor:  # the same editor, in another tab (or window) of the desk
            raise ProtocolError(409, messages.text("desk.stale_self", path=path))
        raise ProtocolError(409, messages.text("desk.stale", path=path, editor=who or messages.text("desk.someone")))

    def _asset(self, asset):
        if not isinstance(asset, dict) or asset.get("encoding") != "base64":
            raise ProtocolError(422, messages.text("desk.bad_request"))
        path = asset.get("path")
        full = self.files.resolve(path, self._photo_suffixes())
        try:
            data = base64.b64decode(asset.get("content") or "", validate=True)
        except (binascii.Error, ValueError):
            raise ProtocolError(422, messages.text("desk.bad_request")) from None
        return full, self.files.check_photo(path, data), path

    def action_persistMedia(self, params, editor, tab=None):
        full, data, path = self._asset(params.get("asset"))
        full.parent.mkdir(parents=True, exist_ok=True)
        full.write_bytes(data)
        self._commit([full], editor, "desk.commit_upload", path=path)
        return self._media(path)

    def action_deleteFile(self, params, editor, tab=None):
        return self._delete([params.get("path")], editor)

    def action_deleteFiles(self, params, editor, tab=None):
        paths = params.get("paths")
        if not isinstance(paths, list) or not paths:
            raise ProtocolError(422, messages.text("desk.bad_request"))
        return self._delete(paths, editor)

    def _delete(self, paths, editor):
        fulls = [self.files.resolve(path) for path in paths]
        for full in fulls:
            full.unlink(missing_ok=True)
        self._commit(fulls, editor, "desk.commit_delete", path=", ".join(paths))
        self.after_save(fulls)
        return {"message": f"deleted files {', '.join(paths)}"}

    # --- helpers ---------------------------------------------------------------------

    def _commit(self, paths, editor, message_id, **params):
        if self.history is None:
            return None
        message = messages.text(message_id, editor=editor, **{"title": "", **params})
        return self.history.commit(paths, editor, message)

    @staticmethod
    def _title_of(writes):
        for full, data, path in writes:
            if PurePosixPath(path).suffix.lower() in MARKDOWN_SUFFIXES:
                return parse_text(data.decode("utf-8")).title or PurePosixPath(path).stem
        return ""
