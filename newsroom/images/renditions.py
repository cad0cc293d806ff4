"""From one source, every image a spec asks for: :class:`Rendition` in, :class:`Variant` out.

A spec is a sequence of :class:`Rendition` (a width, a format, optionally a crop: an
aspect ratio centred on a focus point, or a box in the source's pixels). :func:`render`
decodes the source once (a JPEG at the smallest 1/2, 1/4 or 1/8 scale that still covers
the largest output) and derives every rendition from those pixels:

* the region is the box, or the whole picture; an aspect ratio crops the largest part
  of the region with that ratio, placed on the focus (default: the centre);
* the width is the rendition's, but never more than the region's own: nothing is ever
  upscaled (a 1,000-pixel source asked for 480, 800, 1200 and 1600 gives 480, 800 and
  1000, the last one once);
* renditions that come out the same (same region, size, format and quality) are made
  once; :func:`render` returns one :class:`Variant` per rendition, in the spec's order,
  so a caller finds each rendition's result at its own index.
"""

import math
from dataclasses import asdict, dataclass

from PIL import Image

from newsroom.images.encode import FORMATS, QUALITY, encode, extension, mime_type
from newsroom.images.source import MAX_PIXELS, inspect, load
from newsroom.images.source import FORMATS as SOURCE_FORMATS

RESAMPLE = Image.Resampling.LANCZOS
# Pillow first shrinks by whole factors (fast, box filter) down to 3× the target, then
# filters with Lanczos: a visual match for a full Lanczos at a fraction of the time.
REDUCING_GAP = 3.0


@dataclass(frozen=True)
class Rendition:
    """One image to make from a source.

    ``width``: the wanted width in pixels (None: the region's own width); never upscaled.
    ``format``: ``avif``, ``webp``, ``jpeg`` or ``png``. ``aspect``: ``(w, h)`` to crop
    the region to that ratio first, placed on ``focus`` (fractions of the region, default
    the centre). ``box``: ``(x, y, w, h)`` in the upright source's pixels, the region to
    start from (a page tile, an article's area). ``quality``: the encoder's quality, else
    the format's default. ``name``: the file name without extension (may hold ``/`` for
    sub-folders); default from the size and crop, e.g. ``800x533`` or ``16x9-1200x675``.
    """

    width: int | None
    format: str = "jpeg"
    aspect: tuple | None = None
    box: tuple | None = None
    focus: tuple = (0.5, 0.5)
    quality: int | None = None
    name: str | None = None

    def __post_init__(self):
        if self.format not in FORMATS:
            raise ValueError(f"images: unknown format {self.format!r}; expected one of {', '.join(FORMATS)}")
        if self.width is not None and (not isinstance(self.width, int) or self.width < 1):
            raise ValueError(f"images: width must be a whole number ≥ 1 or None, not {self.width!r}")
        if self.aspect is not None and (len(self.aspect) != 2 or min(self.aspect) <= 0):
            raise ValueError(f"images: aspect must be (width, height) > 0, not {self.aspect!r}")
        if self.box is not None and (len(self.box) != 4 or min(self.box[2:]) <= 0 or min(self.box[:2]) < 0):
            raise ValueError(f"images: box must be (x, y, width, height) inside the image, not {self.box!r}")
        if self.name is not None and (not self.name or self.name.startswith("/") or ".." in self.name.split("/")):
            raise ValueError(f"images: name must be a relative file name, not {self.name!r}")
        # Tuples, so that a rendition given lists hashes and compares the same.
        for field in ("aspect", "box", "focus"):
            value = getattr(self, field)
            if value is not None:
                object.__setattr__(self, field, tuple(value))

    def canonical(self):
        """The rendition as plain data, for the cache key (defaults filled in)."""
        data = asdict(self)
        data["quality"] = QUALITY[self.format] if self.quality is None else self.quality
        return data


@dataclass(frozen=True)
class Variant:
    """One image written for a rendition: its file name in the set's folder, size, format."""

    file: str
    width: int
    height: int
    format: str
    byte_size: int

    @property
    def mime_type(self):
        return mime_type(self.format)

    def url(self, base):
        """The address of this file when the set's folder is published at ``base``."""
        return f"{base.rstrip('/')}/{self.file}"

    def srcset_entry(self, base):
        return f"{self.url(base)} {self.width}w"


def region_of(rendition, width, height):
    """``(left, top, right, bottom)`` of the part of a ``width`` × ``height`` upright picture
    that ``rendition`` shows (floats; the box clipped to the picture)."""
    if rendition.box is not None:
        x, y, w, h = rendition.box
        left, top = min(x, width - 1), min(y, height - 1)
        right, bottom = min(x + w, width), min(y + h, height)
    else:
        left, top, right, bottom = 0, 0, width, height
    if rendition.aspect is not None:
        rw, rh = right - left, bottom - top
        ratio = rendition.aspect[0] / rendition.aspect[1]
        cw, ch = (rh * ratio, rh) if rw / rh > ratio else (rw, rw / ratio)
        fx, fy = rendition.focus
        left = left + min(max(fx * rw - cw / 2, 0), rw - cw)
        top = top + min(max(fy * rh - ch / 2, 0), rh - ch)
        right, bottom = left + cw, top + ch
    return left, top, right, bottom


def output_size(rendition, region):
    """``(width, height)`` of the rendition's image: never wider than its region."""
    left, top, right, bottom = region
    rw, rh = right - left, bottom - top
    full = max(1, math.floor(rw + 1e-6))
    target = full if rendition.width is None else min(rendition.width, full)
    if rendition.aspect is not None:
        height = round(target * rendition.aspect[1] / rendition.aspect[0])
    else:
        height = round(target * rh / rw)
    return target, max(1, height)


def file_name(rendition, size):
    if rendition.name:
        return f"{rendition.name}.{extension(rendition.format)}"
    crop = f"{rendition.aspect[0]}x{rendition.aspect[1]}-" if rendition.aspect else ""
    if rendition.box is not None:
        crop = "box{}-{}-{}-{}-".format(*rendition.box) + crop
    return f"{crop}{size[0]}x{size[1]}.{extension(rendition.format)}"


def plan(spec, width, height):
    """``[(region, size, file name)]`` for each rendition of a ``width`` × ``height`` source."""
    planned = []
    for rendition in spec:
        region = region_of(rendition, width, height)
        size = output_size(rendition, region)
        planned.append((region, size, file_name(rendition, size)))
    return planned


def render(data, spec, *, max_pixels=MAX_PIXELS, formats=SOURCE_FORMATS):
    """``(SourceInfo, [(Variant, bytes) or the index of an earlier equal entry])`` for ``data``.

    The list has one entry per rendition of ``spec``; an entry that is an ``int`` is a
    rendition that came out the same as the one at that index (made once).
    """
    spec = list(spec)
    info = inspect(data, max_pixels=max_pixels, formats=formats)
    planned = plan(spec, info.width, info.height)
    # The smallest decode that still has at least as many pixels as every output needs.
    needed = max((size[0] / (region[2] - region[0]) for region, size, _ in planned), default=1.0)
    image, info, factor = load(data, scale=min(1.0, needed), max_pixels=max_pixels, formats=formats)
    results, made, names = [], {}, {}
    for rendition, (region, size, name) in zip(spec, planned):
        key = (region, size, rendition.format, rendition.canonical()["quality"])
        if key in made:
            results.append(made[key])
            continue
        if name in names:
            raise ValueError(f"images: two different renditions would be written to {name!r}; give them names")
        box = tuple(value * factor for value in region)
        pixels = image.resize(size, RESAMPLE, box=box, reducing_gap=REDUCING_GAP)
        encoded = encode(pixels, rendition.format, rendition.quality)
        made[key] = len(results)
        names[name] = True
        results.append((Variant(name, size[0], size[1], rendition.format, len(encoded)), encoded))
    return info, results
