"""What the page images take from the project's image pipeline (``newsroom/images/``).

Opening (formats by magic bytes, a pixel limit read from the header, EXIF orientation,
sRGB, no metadata left) and encoding (deterministic bytes, no metadata) are the
pipeline's; only what is particular to a IIIF pyramid stays here: scaling by whole
factors with the API's rounding, and the pixel limit of a page (a 600-dpi A3 scan is
~70 megapixels, above the ~50 the pipeline allows a photo).
"""

import math

from PIL import Image

from newsroom.images import encode, source

JPEG_QUALITY = 82  # newsprint: text stays crisp at 1:1, a 512-px tile weighs ~30-60 KB
PAGE_MAX_PIXELS = 120_000_000  # A3 at 600 dpi is 70 MP; Pillow itself refuses above 179 MP


class BadImage(ValueError):
    """The file is not a page image the pipeline opens; ``str`` is the editor's message."""


def _problem_text(problem, path):
    text, fix = problem.problem(getattr(path, "name", str(path)))
    return f"{text}（{fix}）" if fix else text


def open_page(path):
    """The page image at ``path``, upright, sRGB (``L`` for grey scans, else ``RGB``), no metadata."""
    try:
        image, _info, _factor = source.load(open(path, "rb").read(), max_pixels=PAGE_MAX_PIXELS)
    except source.ImageProblem as problem:
        raise BadImage(_problem_text(problem, path)) from None
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    return image


def image_size(path):
    """``(width, height)`` of the image at ``path`` as :func:`open_page` will see it (upright),
    from its header."""
    try:
        info = source.inspect(open(path, "rb").read(), max_pixels=PAGE_MAX_PIXELS)
    except source.ImageProblem as problem:
        raise BadImage(_problem_text(problem, path)) from None
    return info.width, info.height


def scaled(image, factor):
    """``image`` divided by the whole ``factor`` (1, 2, 4 …): each side is ``ceil(side / factor)``,
    as the IIIF Image API sizes tiles. Never upscales."""
    if factor <= 1:
        return image
    size = (math.ceil(image.width / factor), math.ceil(image.height / factor))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def jpeg_bytes(image, quality=JPEG_QUALITY):
    """The pipeline's JPEG (no metadata, the same pixels always give the same bytes)."""
    return encode.encode(image, "jpeg", quality=quality)
