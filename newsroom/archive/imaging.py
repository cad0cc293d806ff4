"""What the page images need from an image pipeline: open safely, scale, encode to fixed bytes.

A deliberately small interface (three functions). ``newsroom/images/`` (the photos
pipeline: safe opening, metadata stripping, deterministic encoding, a content-hash cache)
is the project's one image pipeline; until it is on main this module does the same few
things with Pillow directly, and it is the only place that changes when the tiles switch
over to it.
"""

import io
import math

from PIL import Image, ImageOps

JPEG_QUALITY = 82  # newsprint: text stays crisp at 1:1, a 512-px tile weighs ~30-60 KB


class BadImage(ValueError):
    """The file is not an image Pillow can open (or is a decompression bomb)."""


def open_page(path):
    """The page image at ``path``, loaded, turned upright by its EXIF orientation, as ``L``
    (grey scans stay grey) or ``RGB``; nothing of the file's metadata is kept."""
    try:
        with Image.open(path) as source:
            source.load()
            image = ImageOps.exif_transpose(source)
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError) as error:
        raise BadImage(str(error)) from None
    if image.mode not in ("L", "RGB"):
        image = image.convert("L" if image.mode in ("1", "I;16", "I", "F", "LA") else "RGB")
    image.info.clear()
    return image


def scaled(image, factor):
    """``image`` divided by the whole ``factor`` (1, 2, 4 …): each side is ``ceil(side / factor)``,
    as the IIIF Image API sizes tiles. Never upscales."""
    if factor <= 1:
        return image
    size = (math.ceil(image.width / factor), math.ceil(image.height / factor))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def to_width(image, width):
    """``image`` at ``width`` pixels wide (height in proportion); never upscales."""
    if width >= image.width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def jpeg_bytes(image, quality=JPEG_QUALITY):
    """Baseline JPEG with no metadata; the same pixels always give the same bytes."""
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=False, subsampling="4:2:0")
    return buffer.getvalue()


def image_size(path):
    """``(width, height)`` of the image at ``path`` as :func:`open_page` will see it (upright),
    read from its header alone."""
    try:
        with Image.open(path) as source:
            width, height = source.size
            orientation = source.getexif().get(0x0112, 1)
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError) as error:
        raise BadImage(str(error)) from None
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)
