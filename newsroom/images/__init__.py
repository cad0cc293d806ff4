"""The image pipeline: pure processing with Pillow, no Pelican, nothing else of newsroom.

Shaped like Eleventy Image: one call takes a source and a spec and returns the metadata
of every image it wrote; a content-hash cache sits in front; templates only render
that metadata. ::

    from newsroom.images import ImageCache, Rendition, process

    spec = [Rendition(800, "avif"), Rendition(800, "jpeg"), Rendition(1200, "jpeg", aspect=(16, 9))]
    image_set = process(path.read_bytes(), spec, ImageCache("output.cache/images"))
    image_set[spec[0]]   # Variant(file='800x533.avif', width=800, height=533, format='avif', byte_size=…)
    image_set.path(image_set[spec[0]])   # the file, in the cache

Modules: :mod:`~newsroom.images.source` (open safely: formats by magic bytes, ~50-MP
limit, broken files as :class:`ImageProblem`; EXIF orientation), :mod:`~newsroom.images.color`
(everything to sRGB, profiles applied then dropped), :mod:`~newsroom.images.renditions`
(renditions: widths never upscaled, aspect crops, boxes), :mod:`~newsroom.images.encode`
(AVIF/WebP/JPEG/PNG, deterministic, no metadata), :mod:`~newsroom.images.cache` (sets by
content hash), :mod:`~newsroom.images.source_hashes` (sources' hashes kept by stat),
:mod:`~newsroom.images.batch` (many sources, misses on the caller's workers),
:mod:`~newsroom.images.site_files` (hard links into a site being built).
docs/photos.md has the design and the figures.
"""

from newsroom.images.batch import BatchStats, process_all
from newsroom.images.cache import PIPELINE_VERSION, ImageCache, ImageSet, cache_key, process
from newsroom.images.encode import avif_available, modern_format
from newsroom.images.site_files import place, publish
from newsroom.images.source_hashes import SourceHashes
from newsroom.images.renditions import Rendition, Variant, render
from newsroom.images.source import MAX_PIXELS, ImageProblem, SourceInfo, inspect

__all__ = [
    "BatchStats", "ImageCache", "ImageProblem", "ImageSet", "MAX_PIXELS", "PIPELINE_VERSION", "Rendition",
    "SourceHashes",
    "SourceInfo", "Variant", "avif_available", "cache_key", "inspect", "modern_format", "place", "process",
    "process_all", "publish", "render",
]
