"""The files the desk may touch: article and page sources and the photos beside them.

Decap names a file by its path from the repository root (``content/2024/01/x.md``).
Every path it sends is resolved here, and refused unless it stays inside the content
folder, passes through no symbolic link, no hidden or cache folder, and has a suffix
the desk writes: a Markdown source or a photo (whose first bytes must say it is one).
Nothing else of the repository (settings, code, the built site) can be read or written
through the desk, whatever a request says.
"""

import hashlib
import os
import re
from pathlib import Path, PurePosixPath

from newsroom.images import ImageProblem, inspect
from newsroom.paper.content import MARKDOWN_SUFFIXES

# Photos an editor may upload beside an article: the image pipeline's inputs.
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
PHOTO_MAGIC = {
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".webp": (b"RIFF",),
}
MAX_TEXT_BYTES = 2 * 1024 * 1024  # an article is tens of kilobytes; more is a paste accident
MAX_PHOTO_BYTES = 40 * 1024 * 1024  # a camera's full-size JPEG is 5-25 MB
LIST_BODY_CHARS = 120  # of each article's body in a list (the byline and the lead's start)
MONTH_FOLDER = re.compile(r"^[0-9]{4}/[0-9]{2}$")


class PathRefused(ValueError):
    """A path or file the desk will not touch; ``reason`` is a message id of the desk area,
    ``params`` more of its parameters."""

    def __init__(self, reason, path, **params):
        self.reason = reason
        self.path = path
        self.params = params
        super().__init__(f"{reason}: {path}")


def sha256(data):
    return hashlib.sha256(data).hexdigest()


class ContentFiles:
    """The content folder as the desk sees it. ``root`` is the folder Decap's paths start
    from (the repository root); ``content`` the one folder under it the desk may touch."""

    def __init__(self, content):
        self.content = Path(content).resolve()
        self.root = self.content.parent
        self.folder = self.content.name  # Decap's collection folder: "content"

    # --- paths -------------------------------------------------------------------------

    def resolve(self, path, kinds=MARKDOWN_SUFFIXES + PHOTO_SUFFIXES):
        """The absolute path of Decap's ``path``; raises :class:`PathRefused`."""
        if not isinstance(path, str) or not path or "\\" in path or "\x00" in path:
            raise PathRefused("path_refused", str(path))
        posix = PurePosixPath(path)
        parts = posix.parts
        if posix.is_absolute() or len(parts) < 2 or parts[0] != self.folder:
            raise PathRefused("path_refused", path)
        if any(part in ("", ".", "..") or part.startswith(".") or part.startswith("_") for part in parts[1:]):
            raise PathRefused("path_refused", path)
        if posix.suffix.lower() not in kinds:
            raise PathRefused("type_refused", path)
        full = self.content.joinpath(*parts[1:])
        # No symbolic link anywhere between the content folder and the file.
        current = self.content
        for part in parts[1:]:
            current = current / part
            if current.is_symlink():
                raise PathRefused("path_refused", path)
        if full.resolve() != full or self.content not in full.parents:
            raise PathRefused("path_refused", path)
        return full

    def relative(self, full):
        """Decap's name for the absolute path ``full``."""
        return PurePosixPath(self.folder, *Path(full).relative_to(self.content).parts).as_posix()

    def is_article_path(self, path):
        """``content/YYYY/MM/name.md``: where articles live (pages are under content/pages/)."""
        parts = PurePosixPath(path).parts
        return len(parts) == 4 and MONTH_FOLDER.match("/".join(parts[1:3])) is not None

    def is_page_path(self, path):
        """``content/pages/name.md``: a page of the site (about, contact)."""
        parts = PurePosixPath(path).parts
        return len(parts) == 3 and parts[1] == "pages"

    # --- reading -----------------------------------------------------------------------

    def list_folder(self, folder, extension, depth):
        """Decap's ``entriesByFolder``: the paths of files ending in ``extension`` under
        ``folder``, at most ``depth`` levels down, sorted. Hidden files and folders, links,
        and files the desk does not edit are left out."""
        base = self.resolve_folder(folder)
        found = []
        for dirpath, dirnames, filenames in os.walk(base):
            here = Path(dirpath)
            level = len(here.relative_to(base).parts)
            dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_"))
                                 and not (here / d).is_symlink() and level + 1 < depth)
            for name in sorted(filenames):
                full = here / name
                if name.startswith(".") or full.is_symlink() or not name.endswith(extension):
                    continue
                if Path(name).suffix.lower() not in MARKDOWN_SUFFIXES:
                    continue
                found.append(self.relative(full))
        return sorted(found)

    def resolve_folder(self, folder):
        if not isinstance(folder, str):
            raise PathRefused("path_refused", str(folder))
        parts = PurePosixPath(folder.strip("/")).parts
        if not parts or parts[0] != self.folder or any(p in (".", "..") or p.startswith(".") for p in parts[1:]):
            raise PathRefused("path_refused", folder)
        full = self.content.joinpath(*parts[1:])
        if full.is_symlink() or (full != self.content and self.content not in full.resolve().parents):
            raise PathRefused("path_refused", folder)
        return full

    def read_entry(self, path, for_list=False):
        """Decap's entry: ``{"data": text or None, "file": {"path", "id"}}``.

        ``for_list``: the metadata block and the start of the body only. Decap shows, sorts,
        groups and searches its lists by these, and reads the whole file again
        (``getEntry``) when one is opened, so a list of 20,000 articles is a quarter of
        the bytes it would be."""
        full = self.resolve(path, MARKDOWN_SUFFIXES)
        try:
            data = full.read_bytes()
        except OSError:
            return {"data": None, "file": {"path": path, "id": None}}
        text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
        if for_list:
            head, blank, body = text.partition("\n\n")
            text = head + blank + body[:LIST_BODY_CHARS]
        return {"data": text, "file": {"path": path, "id": sha256(data)}}

    def version(self, path):
        """The SHA-256 of the file's bytes now, or None when it does not exist."""
        full = self.resolve(path)
        try:
            return sha256(full.read_bytes())
        except OSError:
            return None

    # --- checking what is written ------------------------------------------------------

    @staticmethod
    def check_text(path, data):
        if len(data) > MAX_TEXT_BYTES:
            raise PathRefused("too_large", path)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise PathRefused("not_utf8", path) from None

    @staticmethod
    def check_photo(path, data):
        suffix = PurePosixPath(path).suffix.lower()
        if len(data) > MAX_PHOTO_BYTES:
            raise PathRefused("too_large", path)
        magic = PHOTO_MAGIC.get(suffix, ())
        if not any(data.startswith(m) for m in magic) or (suffix == ".webp" and data[8:12] != b"WEBP"):
            raise PathRefused("not_a_photo", path)
        # The photos' own check (check and the build open it so): decoded whole, under the
        # pixel limit, not animated. What the desk accepts, check and the build accept.
        try:
            inspect(data, verify=True)
        except ImageProblem as error:
            problem, fix = error.problem(PurePosixPath(path).name)
            raise PathRefused("photo_unusable", path, problem=problem, fix=fix) from None
        return data
