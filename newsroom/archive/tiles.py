"""Static IIIF Image API 3.0 level-0 tiles and sizes for one page image, cached by content hash.

Level 0 means no image server: every tile and size a client may ask for is a file,
named as the API's canonical URL would name it, and ``info.json`` lists exactly those
(``sizes`` and one ``tiles`` entry). For a page ``W``×``H`` with tiles of ``TILE`` px:

* scale factors 1, 2, 4 … up to the first one at which the whole page fits one tile;
* at scale factor ``s`` the page is ``ceil(W/s)``×``ceil(H/s)``; tile ``(x, y)`` covers the
  region ``x·TILE·s, y·TILE·s`` (cut at the edges) and is stored as
  ``{region}/{w},{h}/0/default.jpg`` (``full`` when the region is the whole page, ``max``
  when the size is the page's own), which is the URL OpenSeadragon and other IIIF clients
  request (:func:`tile_name` follows the API's rules and OpenSeadragon's 6.x code);
* every scaled page is also a size: ``full/{w},{h}/0/default.jpg`` (``full/max/…`` for the
  full page), which the site's ``<img srcset>`` and thumbnails use as they are.

The files depend only on the image's bytes, ``TILE``, the JPEG settings, the image
pipeline's version and :data:`VERSION`; :func:`cut` keeps them in ``cache/<key>/`` and an unchanged page image
is never processed twice. ``info.json`` is not cached: its ``id`` is the page's address.
"""

import json
import math
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from newsroom.archive import imaging
from newsroom.archive.pagefile import file_digest
from newsroom.images import PIPELINE_VERSION

TILE = 512
VERSION = 1  # bump when the files change for the same input (naming, resampling, encoding)
INDEX = "tiles.json"


@dataclass(frozen=True)
class Pyramid:
    """What was cut: the page's size, scale factors, sizes and every file (relative paths)."""

    width: int
    height: int
    tile: int
    scale_factors: tuple
    sizes: tuple  # ((w, h), …) smallest first
    files: tuple
    key: str = ""

    def size_path(self, width):
        """The stored size closest to ``width`` without going under it (else the largest)."""
        for w, h in self.sizes:
            if w >= width:
                return size_name(self.width, self.height, w, h)
        return size_name(self.width, self.height, *self.sizes[-1])

    def size_of(self, width):
        for w, h in self.sizes:
            if w >= width:
                return w, h
        return self.sizes[-1]


def scale_factors(width, height, tile=TILE):
    factors = [1]
    while math.ceil(width / factors[-1]) > tile or math.ceil(height / factors[-1]) > tile:
        factors.append(factors[-1] * 2)
    return tuple(factors)


def size_name(width, height, w, h):
    """The file of the whole page at ``w``×``h``."""
    size = "max" if (w, h) == (width, height) else f"{w},{h}"
    return f"full/{size}/0/default.jpg"


def tile_name(width, height, tile, factor, x, y):
    """``(file name, (left, top, w, h) in the scaled image)`` of tile ``x, y`` at ``factor``."""
    level_w, level_h = math.ceil(width / factor), math.ceil(height / factor)
    if level_w < tile and level_h < tile:
        return size_name(width, height, level_w, level_h), (0, 0, level_w, level_h)
    span = tile * factor
    rx, ry = x * span, y * span
    rw, rh = min(span, width - rx), min(span, height - ry)
    region = "full" if (rx, ry, rw, rh) == (0, 0, width, height) else f"{rx},{ry},{rw},{rh}"
    sw, sh = min(tile, level_w - x * tile), min(tile, level_h - y * tile)
    size = "max" if (sw, sh) == (width, height) else f"{sw},{sh}"
    return f"{region}/{size}/0/default.jpg", (x * tile, y * tile, sw, sh)


def plan(width, height, tile=TILE):
    """``{file name: (factor, crop box in the scaled image)}`` for every tile and size."""
    files = {}
    for factor in scale_factors(width, height, tile):
        level_w, level_h = math.ceil(width / factor), math.ceil(height / factor)
        files[size_name(width, height, level_w, level_h)] = (factor, (0, 0, level_w, level_h))
        for y in range(math.ceil(level_h / tile)):
            for x in range(math.ceil(level_w / tile)):
                name, box = tile_name(width, height, tile, factor, x, y)
                files.setdefault(name, (factor, box))
    return files


def cache_key(image_path, tile=TILE):
    return file_digest(image_path, f"|tile={tile}|v={VERSION}|q={imaging.JPEG_QUALITY}"
                                   f"|pipeline={PIPELINE_VERSION}")


def _pyramid(data, key):
    return Pyramid(width=data["width"], height=data["height"], tile=data["tile"],
                   scale_factors=tuple(data["scale_factors"]), sizes=tuple(tuple(s) for s in data["sizes"]),
                   files=tuple(data["files"]), key=key)


def cached(cache_dir, key):
    """The :class:`Pyramid` kept under ``cache_dir/key`` (None if there is none, or it is incomplete)."""
    folder = Path(cache_dir) / key
    try:
        data = json.loads((folder / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("version") != VERSION:
        return None
    return _pyramid(data, key)


def cut(image_path, cache_dir, tile=TILE, key=None):
    """The tiles of ``image_path`` in ``cache_dir/<key>/`` (made now unless already there): a :class:`Pyramid`.

    Written into a temporary folder renamed into place, so that a build stopped halfway
    never leaves a pyramid that looks complete.
    """
    key = key or cache_key(image_path, tile)
    found = cached(cache_dir, key)
    if found:
        return found
    image = imaging.open_page(image_path)
    width, height = image.size
    files = plan(width, height, tile)
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{key[:12]}-", dir=cache_dir))
    try:
        by_factor = {}
        for name, (factor, _) in files.items():
            by_factor.setdefault(factor, []).append(name)
        for factor in sorted(by_factor):
            level = imaging.scaled(image, factor)
            for name in by_factor[factor]:
                left, top, w, h = files[name][1]
                target = building / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(imaging.jpeg_bytes(level.crop((left, top, left + w, top + h))))
        factors = scale_factors(width, height, tile)
        sizes = sorted({(math.ceil(width / f), math.ceil(height / f)) for f in factors})
        index = {"version": VERSION, "width": width, "height": height, "tile": tile,
                 "scale_factors": list(factors), "sizes": [list(s) for s in sizes], "files": sorted(files)}
        (building / INDEX).write_text(json.dumps(index), encoding="utf-8")
        final = cache_dir / key
        if cached(cache_dir, key) is None:  # none there, or a damaged one
            if final.exists():
                shutil.rmtree(final)
            try:
                os.rename(building, final)
            except OSError:
                # Another process sharing the cache (the test suite's builds share one)
                # put the same pyramid there first: same image content, same code.
                if cached(cache_dir, key) is None:
                    raise
                shutil.rmtree(building, ignore_errors=True)
        else:  # made meanwhile by another process: keep that one, readers may be on it
            shutil.rmtree(building, ignore_errors=True)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return _pyramid(index, key)


def info(pyramid, service_id):
    """The ``info.json`` of a level-0 IIIF Image API 3.0 service at ``service_id`` (no trailing slash)."""
    return {
        "@context": "http://iiif.io/api/image/3/context.json",
        "id": service_id,
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": "level0",
        "width": pyramid.width,
        "height": pyramid.height,
        "sizes": [{"width": w, "height": h} for w, h in pyramid.sizes],
        "tiles": [{"width": pyramid.tile, "height": pyramid.tile, "scaleFactors": list(pyramid.scale_factors)}],
    }


def folder_of(cache_dir, pyramid):
    return Path(cache_dir) / pyramid.key
