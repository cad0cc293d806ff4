"""Encode a picture into published bytes: AVIF, WebP, JPEG or PNG, deterministically.

The same pixels and options always give the same bytes with the same libraries (the
cache key carries their versions, :func:`library_versions`):

* AVIF: Pillow's own AVIF support (libavif with the AOM encoder, in Pillow's wheels
  since 11.3) with ``max_threads=1``, so that the result never depends on how many
  threads the encoder happened to get (the pipeline runs one process per core instead);
* JPEG: libjpeg-turbo, progressive with optimised Huffman tables, 4:2:0 subsampling;
* WebP: libwebp ``method=4``; PNG: zlib at level 9.

Nothing but the pixels goes in: the image's ``info`` (where Pillow keeps EXIF, XMP, ICC
profiles, comments and PNG text) is emptied before saving, and no encoder option that
writes metadata is passed. A JPEG cannot hold transparency: transparent pixels are laid
on white.
"""

import io
from functools import lru_cache

from PIL import Image, features

# format -> (Pillow's name, MIME type, file extension)
FORMATS = {
    "avif": ("AVIF", "image/avif", "avif"),
    "webp": ("WEBP", "image/webp", "webp"),
    "jpeg": ("JPEG", "image/jpeg", "jpg"),
    "png": ("PNG", "image/png", "png"),
}
# Default qualities on each encoder's own scale, chosen by eye and by size on the
# sample photos (docs/photos.md has the figures).
QUALITY = {"avif": 50, "webp": 76, "jpeg": 80, "png": None}
# libaom's speed (0 slowest/smallest ... 10): 6 is libavif's default; each step faster
# costs a few percent of size. docs/photos.md has the trade-off measured.
AVIF_SPEED = 8
WEBP_METHOD = 4
BACKGROUND = (255, 255, 255)


def mime_type(fmt):
    return FORMATS[fmt][1]


def extension(fmt):
    return FORMATS[fmt][2]


@lru_cache(maxsize=1)
def avif_available():
    """True when this Pillow can *write* AVIF (some builds only read it)."""
    if not features.check("avif"):
        return False
    try:
        encode(Image.new("RGB", (16, 16), (128, 64, 32)), "avif")
    except (OSError, ValueError, KeyError):
        return False
    return True


def modern_format():
    """The small format for browsers that take it: AVIF where it can be written, else WebP."""
    return "avif" if avif_available() else "webp"


def library_versions():
    """The encoders' and colour library's versions and this module's settings: the
    bytes may change with any of them (the cache key carries them)."""
    import PIL

    names = ("jpg", "avif", "webp", "littlecms2", "zlib", "libjpeg_turbo")
    return {"pillow": PIL.__version__, **{name: features.version(name) for name in names},
            "settings": [AVIF_SPEED, WEBP_METHOD, QUALITY, BACKGROUND]}


def encode(image, fmt, quality=None):
    """The bytes of ``image`` (RGB or RGBA) in ``fmt``, with no metadata."""
    if fmt not in FORMATS:
        raise ValueError(f"images: unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    quality = QUALITY[fmt] if quality is None else quality
    if fmt == "jpeg" and image.mode != "RGB":
        flat = Image.new("RGB", image.size, BACKGROUND)
        flat.paste(image, mask=image.getchannel("A") if image.mode == "RGBA" else None)
        image = flat
    image = image.copy()
    image.info = {}
    buffer = io.BytesIO()
    if fmt == "avif":
        image.save(buffer, "AVIF", quality=quality, speed=AVIF_SPEED, max_threads=1, subsampling="4:2:0")
    elif fmt == "webp":
        image.save(buffer, "WEBP", quality=quality, method=WEBP_METHOD)
    elif fmt == "jpeg":
        image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True, subsampling="4:2:0")
    else:
        image.save(buffer, "PNG", optimize=False, compress_level=9)
    return buffer.getvalue()
