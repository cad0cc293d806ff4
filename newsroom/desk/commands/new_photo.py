"""``new --photo FILE [--caption …] [--alt …]``: check a photo, copy it beside the new article
and write its Markdown line (messages in ``newsroom/data/messages/photos.toml``).

The photo is opened as the build opens it (:func:`newsroom.images.inspect`, every byte
decoded), so a file the site could not show is refused before anything is written. It is
copied as ``<slug>-1.<ext>`` (the extension of what the file *is*: a PNG saved as
``.jpg`` becomes ``.png``), never over an existing file.
"""

from dataclasses import dataclass
from pathlib import Path

from newsroom.images import ImageProblem, inspect
from newsroom.messages import problem, text
from newsroom.text.photo_credits import split_caption

EXTENSIONS = {"JPEG": ".jpg", "MPO": ".jpg", "PNG": ".png", "WEBP": ".webp", "TIFF": ".tif", "AVIF": ".avif"}


@dataclass
class NewPhoto:
    source: Path
    target: Path
    data: bytes
    line: str  # the Markdown line
    alt_missing: bool


def _say(message_id, **params):
    message, fix = problem(message_id, **params)
    return f"{message} — {fix}" if fix else message


def prepare(source, article_path, caption, alt):
    """A :class:`NewPhoto` for ``source`` beside ``article_path``, or a message (str) saying
    why not; nothing is written here."""
    source = Path(source)
    try:
        data = source.read_bytes()
    except FileNotFoundError:
        return _say("photos.new_no_file", path=source)
    except OSError as error:
        return _say("photos.unreadable", name=source, detail=error.strerror or str(error))
    try:
        info = inspect(data, verify=True)
    except ImageProblem as error:
        message, fix = error.problem(str(source))
        return f"{message} — {fix}"
    caption = (caption or "").strip()
    alt = (alt or "").strip()
    for value, option in ((caption, "--caption"), (alt, "--alt")):
        if any(mark in value for mark in '"[]'):
            return _say("photos.new_markup_in_text", option=option)
    if not alt and caption:
        alt = split_caption(caption).text.rstrip("。. ")
    name = f"{Path(article_path).stem}-1{EXTENSIONS.get(info.format, source.suffix.lower())}"
    target = Path(article_path).with_name(name)
    if target.exists():
        return _say("photos.new_photo_exists", path=target)
    title = f' "{caption}"' if caption else ""
    return NewPhoto(source, target, data, f"![{alt}]({name}{title})", alt_missing=not alt)


def copy(photo):
    """Copy the photo into place (never over a file); a message (str) on failure, else None."""
    photo.target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(photo.target, "xb") as handle:
            handle.write(photo.data)
    except FileExistsError:
        return _say("photos.new_photo_exists", path=photo.target)
    return None


def report(photo):
    print(text("photos.new_photo_copied", source=photo.source, target=photo.target))
    if photo.alt_missing:
        print(text("photos.new_alt_missing", name=photo.target.name))
