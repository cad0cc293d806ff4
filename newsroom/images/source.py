"""Open an untrusted image safely: what it is (:func:`inspect`) and its pixels (:func:`load`).

Everything here treats the bytes as hostile: a photo from a reporter's phone, a file
renamed to ``.jpg``, a truncated upload, a decompression bomb. The rules:

* only the formats in :data:`FORMATS` are opened (by their magic bytes, never by the
  file name), and only still images (an animated GIF/WebP/PNG would lose its motion);
* the pixel count is read from the header and refused above ``max_pixels`` before a
  single pixel is decoded (:data:`MAX_PIXELS`, about 50 megapixels: a 9,000 × 5,500
  camera file passes, a bomb does not); Pillow's own bomb warning is an error too;
* every failure of the decoder (truncated data, a broken header, a bad chunk) is an
  :class:`ImageProblem`, never an exception the caller did not ask for.

:func:`load` then applies the EXIF orientation (``ImageOps.exif_transpose``: a phone
photo taken upright is stored on its side) and converts the colours to sRGB
(:mod:`newsroom.images.color`). The image it returns carries no metadata at all: its
``info`` is empty, so no encoder can copy EXIF, XMP, ICC or comments into an output.
"""

import hashlib
import io
import re
import warnings
from dataclasses import dataclass

from PIL import Image, ImageFile, ImageOps

from newsroom import messages
from newsroom.images.color import to_srgb

# About 50 megapixels (the limit). A 45-MP full-frame camera file (8,256 ×
# 5,504) passes; Pillow's own default warns only at 89 MP and stops at 179 MP.
MAX_PIXELS = 50_000_000
# Still-image formats the pipeline opens, by Pillow's format name (read from the bytes).
# Pillow's JPEG opener also gives MPO: the JPEG with a second preview frame that many
# phones and cameras write.
FORMATS = frozenset({"JPEG", "PNG", "WEBP", "TIFF", "AVIF"})
# Formats whose first frame *is* the picture (MPO's other frames are previews or the
# second eye of a stereo pair); any other format with several frames is an animation.
FIRST_FRAME_IS_THE_PICTURE = frozenset({"MPO"})
# EXIF orientations that turn the picture by 90 degrees (width and height swap).
QUARTER_TURNS = frozenset({5, 6, 7, 8})
ORIENTATION_TAG = 0x0112


class ImageProblem(Exception):
    """The image cannot be used; ``reason`` names the message ``photos.<reason>``.

    ``problem(name)`` gives ``(problem, fix)`` in the editor's language, as
    :class:`newsroom.errors.ContentError` takes them, for the file the caller calls
    ``name`` (this module sees bytes, not files).
    """

    def __init__(self, reason, **params):
        self.reason = reason
        self.params = params
        super().__init__(f"{reason}: {params}")

    def __reduce__(self):  # pickled by parameters (results of forked workers)
        return (_problem, (self.reason, self.params))

    @property
    def message_id(self):
        return f"photos.{self.reason}"

    def problem(self, name=None):
        params = {**self.params, "name": name or self.params.get("name", "?")}
        return messages.problem(self.message_id, **params)


def _problem(reason, params):
    return ImageProblem(reason, **params)


@dataclass(frozen=True)
class SourceInfo:
    """What a source image is, read from its bytes.

    ``width`` and ``height`` are the picture as shown, after the EXIF orientation
    (a portrait phone photo stored as 4032 × 3024 with orientation 6 is 3024 × 4032).
    """

    sha256: str
    format: str  # Pillow's name: JPEG, PNG, WEBP...
    width: int
    height: int
    orientation: int  # the EXIF orientation (1 = as stored)
    mode: str  # as stored: RGB, CMYK, L, P, RGBA...
    icc_profile: bool  # an embedded colour profile (converted to sRGB on load)
    byte_size: int

    @property
    def megapixels(self):
        return self.width * self.height / 1_000_000


def _open(data, max_pixels, formats):
    """Pillow's lazy image (header read, no pixels decoded) after the format and size checks."""
    if not data:
        raise ImageProblem("empty")
    Image.init()  # every format plugin registered (AVIF, WebP, TIFF are not among Pillow's first five)
    try:
        with warnings.catch_warnings():
            # Pillow warns between its own limit and twice it (the size is checked
            # below against ours, which is lower) and raises above that.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=sorted(formats))
    except Image.UnidentifiedImageError:
        kind = _kind_of(data)
        raise (ImageProblem("unsupported", kind=kind) if kind else ImageProblem("not_an_image")) from None
    except Image.DecompressionBombError as error:
        pixels = re.search(r"\((\d+) pixels\)", str(error))
        megapixels = f"{int(pixels.group(1)) / 1_000_000:.0f}" if pixels else "?"
        raise ImageProblem("too_large", megapixels=megapixels, limit=round(max_pixels / 1_000_000)) from None
    except Exception as error:  # noqa: BLE001 — a header a decoder chokes on: a broken file
        raise ImageProblem("corrupt", detail=_detail(error)) from None
    width, height = image.size
    if width < 1 or height < 1:
        raise ImageProblem("corrupt", detail=f"{width}×{height}")
    if width * height > max_pixels:
        raise ImageProblem("too_large", megapixels=f"{width * height / 1_000_000:.0f}",
                           limit=round(max_pixels / 1_000_000))
    if getattr(image, "n_frames", 1) > 1 and image.format not in FIRST_FRAME_IS_THE_PICTURE:
        raise ImageProblem("animated", kind=image.format)
    return image


def _orientation(image):
    try:
        value = int(image.getexif().get(ORIENTATION_TAG, 1))
    except Exception:  # noqa: BLE001 — an unreadable EXIF block: as stored
        return 1
    return value if 1 <= value <= 8 else 1


def inspect(data, *, verify=False, max_pixels=MAX_PIXELS, formats=FORMATS):
    """:class:`SourceInfo` for ``data`` (bytes); :class:`ImageProblem` if it cannot be used.

    Only the header is read, unless ``verify``: then the pixels are decoded too (JPEG at
    1/8 scale, which still reads every byte of the compressed data), so that a
    truncated or damaged file is found here rather than by the build.
    """
    image = _open(data, max_pixels, formats)
    orientation = _orientation(image)
    width, height = image.size
    if orientation in QUARTER_TURNS:
        width, height = height, width
    info = SourceInfo(
        sha256=hashlib.sha256(data).hexdigest(), format=image.format, width=width, height=height,
        orientation=orientation, mode=image.mode, icc_profile=bool(image.info.get("icc_profile")),
        byte_size=len(data))
    if verify:
        if image.format in ("JPEG", "MPO"):
            image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
        _decode(image)
    return info


def _decode(image):
    # Never accept a truncated file (a global Pillow switch other code might have set).
    saved = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image.load()
    except Exception as error:  # noqa: BLE001 — truncated, damaged: a broken file
        raise ImageProblem("corrupt", detail=_detail(error)) from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = saved


def load(data, *, scale=1.0, max_pixels=MAX_PIXELS, formats=FORMATS):
    """``(image, info, factor)``: the picture upright, in sRGB (mode RGB or RGBA), with no
    metadata; ``factor`` is its size over the full size (1.0, or less when ``scale`` < 1
    let a JPEG be decoded at 1/2, 1/4 or 1/8 of its size: the image is then at least
    ``scale`` times the full size, never smaller)."""
    info = inspect(data, max_pixels=max_pixels, formats=formats)
    image = _open(data, max_pixels, formats)
    full_width = image.width
    if scale < 1 and image.format in ("JPEG", "MPO"):
        wanted = (max(1, -(-image.width * scale // 1)), max(1, -(-image.height * scale // 1)))
        image.draft(image.mode, (int(wanted[0]), int(wanted[1])))
    _decode(image)
    factor = image.width / full_width
    try:
        upright = ImageOps.exif_transpose(image)
    except Exception as error:  # noqa: BLE001 — a damaged EXIF block
        raise ImageProblem("corrupt", detail=_detail(error)) from None
    pixels = to_srgb(upright if upright is not None else image, image.info.get("icc_profile"))
    pixels.info = {}
    return pixels, info, factor


def _detail(error):
    text = str(error).strip() or error.__class__.__name__
    return text[:120]


# Magic bytes of formats editors send that the pipeline does not open, for the message.
_KINDS = (
    (b"\x00\x00\x00", b"ftypheic", "HEIC"), (b"\x00\x00\x00", b"ftypheix", "HEIC"),
    (b"\x00\x00\x00", b"ftypmif1", "HEIF"), (b"GIF8", None, "GIF"), (b"%PDF", None, "PDF"),
    (b"BM", None, "BMP"), (b"<svg", None, "SVG"), (b"<?xml", None, "SVG/XML"),
    (b"II*\x00", None, "TIFF"), (b"MM\x00*", None, "TIFF"),
)


def _kind_of(data):
    """A name for what ``data`` seems to be, or None."""
    head = data[:32]
    for start, inner, name in _KINDS:
        if head.startswith(start) and (inner is None or inner in head):
            return name
    return None
