"""What the content folder may hold besides articles: no symbolic links, and static files
only of the published types, checked by their bytes.

* **No symbolic link** anywhere below ``content/``: a link to ``/etc/passwd`` named
  ``photo.jpg`` would publish the machine's password file, a linked folder of articles
  would be built from files nobody checked, a link inside the folder would publish one
  file twice. ``check`` reports each link; the build refuses an article read through one
  (``newsroom_reader``) and never copies a static file that is one (``content_guard``).
* **Static files** (the folders of ``newsroom/data/static_files.toml``, Pelican's
  ``STATIC_PATHS``) are published as they are, so only images and PDF whose first bytes
  are what the suffix says, and images without camera metadata (EXIF, XMP: a phone's
  photo carries where it was taken). Nothing else: no script, page, stylesheet or SVG (an
  SVG opened on its own runs its scripts with the site's origin).

Every function returns ``(message id, params)`` for :mod:`newsroom.messages` or None, so
that ``check`` and the build say the same thing.
"""

import os
import tomllib
from functools import lru_cache
from pathlib import Path

from newsroom import DATA_DIR

RULES = DATA_DIR / "static_files.toml"
HEAD_BYTES = 64 * 1024  # how much of a file is read to find its type and metadata blocks


@lru_cache(maxsize=1)
def rules():
    with RULES.open("rb") as handle:
        data = tomllib.load(handle)
    types = {}
    for suffix, entry in data["types"].items():
        signatures = [[(offset, bytes.fromhex(hexbytes)) for offset, hexbytes in signature]
                      for signature in entry["signatures"]]
        types["." + suffix] = {"name": entry["name"], "signatures": signatures, "metadata": entry.get("metadata")}
    return {"folders": tuple(data["folders"]), "types": types}


def static_folders():
    """The folders under ``content/`` whose files are published as they are (``STATIC_PATHS``)."""
    return list(rules()["folders"])


def static_folders_text():
    """The static folders as an editor's message names them: ``content/images/``."""
    return "、".join(f"content/{name}/" for name in static_folders())


def is_static(relative):
    """True for a path (relative to the content folder) inside a static folder."""
    parts = Path(relative).parts
    return bool(parts) and parts[0] in rules()["folders"] and len(parts) > 1


def symlink_in(path, root):
    """The first symbolic link on the way from ``root`` (excluded: it may be a link) down to
    ``path`` (included), or None."""
    path, root = Path(os.path.abspath(path)), Path(os.path.abspath(root))
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return None
    current = root
    for part in parts:
        current = current / part
        if current.is_symlink():
            return current
    return None


def symlink_problem(link, root):
    """``(message id, params)`` for a symbolic link under ``root``."""
    try:
        target = os.readlink(link)
    except OSError:
        target = "?"
    resolved = Path(os.path.realpath(link))
    inside = Path(os.path.realpath(root)) in resolved.parents
    return ("security.symlink_inside" if inside else "security.symlink_outside",
            {"path": str(link), "target": target})


def special_problem(path):
    """``(message id, params)`` when ``path`` exists but is no regular file (a named pipe,
    a socket, a device): reading one blocks or never ends, so check and the build refuse it
    by its name before anything opens it."""
    import stat

    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode):
        return None
    return "security.special_file", {"path": str(path), "name": Path(path).name}


def odd_files(root):
    """``(links, specials)`` below the folder ``root``, each sorted: every symbolic link (not
    followed: os.walk does not enter linked folders) and every named pipe, socket or device.
    One walk for both, as check asks for both."""
    links, specials = [], []
    for folder, subfolders, files in os.walk(root):
        for name in subfolders:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                links.append(Path(path))
        for name in files:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                links.append(Path(path))
            elif special_problem(path):
                specials.append(Path(path))
    return sorted(links), sorted(specials)


def static_problem(path):
    """``(message id, params)`` when the static file ``path`` may not be published as it is."""
    path = Path(path)
    special = special_problem(path)
    if special:
        return special
    kind = rules()["types"].get(path.suffix.lower())
    params = {"name": path.name, "path": str(path)}
    if path.suffix.lower() in (".svg", ".svgz"):
        return "security.static_svg", params
    if kind is None:
        return "security.static_type", params
    try:
        with open(path, "rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError as error:
        return "security.static_unreadable", {**params, "reason": error.strerror or str(error)}
    if not any(all(head[offset:offset + len(magic)] == magic for offset, magic in signature)
               for signature in kind["signatures"]):
        return "security.static_mismatch", {**params, "kind": kind["name"], "head": head[:8].hex(" ") or "（空）"}
    if kind["metadata"] and _has_camera_metadata(kind["metadata"], path):
        return "security.static_metadata", params
    return None


def _has_camera_metadata(kind, path):
    """True when an image file carries EXIF or XMP (a phone's photo: place, camera, time)."""
    data = Path(path).read_bytes()
    if kind == "jpeg":
        return _jpeg_metadata(data)
    if kind == "png":  # eXIf, and XMP (an iTXt chunk); a tEXt "Software" line is harmless
        return _chunks(data, 8, png=True, wanted={b"eXIf", b"iTXt"})
    if kind == "webp":
        return _chunks(data, 12, png=False, wanted={b"EXIF", b"XMP "})
    return False


def _jpeg_metadata(data):
    """An APP1 segment (EXIF or XMP) or APP13 (IPTC) before the image data."""
    index = 2
    while index + 4 <= len(data):
        if data[index] != 0xFF:
            return False  # not a marker: damaged; the type check already passed
        marker = data[index + 1]
        if marker == 0xFF:  # fill byte
            index += 1
            continue
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no more metadata segments
            return False
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            index += 2
            continue
        length = int.from_bytes(data[index + 2:index + 4], "big")
        if marker in (0xE1, 0xED):
            return True
        index += 2 + length
    return False


def _chunks(data, start, png, wanted):
    """PNG (length, type, data, CRC) or RIFF (type, length, data, pad) chunks from
    ``start``: True when one of a type in ``wanted`` is present."""
    index = start
    while index + 8 <= len(data):
        if png:
            length = int.from_bytes(data[index:index + 4], "big")
            kind = data[index + 4:index + 8]
            step = 12 + length
        else:
            kind = data[index:index + 4]
            length = int.from_bytes(data[index + 4:index + 8], "little")
            step = 8 + length + (length & 1)
        if kind in wanted:
            return True
        index += step
    return False
