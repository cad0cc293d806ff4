"""Reuse the OCR engine's raw output between runs of the page benchmark (development only).

OCR is the slow part of a scan import (tens of CPU seconds a page); the layout rules run
on its output in under a second. ``cached_engine(folder)`` is a stand-in for
:func:`newsroom.archive.ocr_reader.engine` that runs the real engine once per distinct
image (the SHA-256 of its pixels, shape and the engine's version) and keeps the result
in ``folder``; every later call with the same pixels gets the same result. Nothing of
the import changes: everything after the engine (deskew, ems, layout) runs as always.

Accuracy runs may use it (``python -m bench.page_bench --ocr-cache DIR``); the timings of
such a run say nothing (the results record ``"ocr_cache": true``), speed figures come from
runs without it.
"""

import hashlib
import pickle
from pathlib import Path

from newsroom.archive import ocr_reader


class CachedEngine:
    def __init__(self, folder, real_engine):
        self.folder = Path(folder)
        self.real_engine = real_engine
        self.folder.mkdir(parents=True, exist_ok=True)
        self.hits = self.misses = 0

    def key(self, image, kwargs):
        digest = hashlib.sha256()
        digest.update(repr((image.shape, str(image.dtype), sorted(kwargs.items()),
                            ocr_reader.engine_version())).encode())
        digest.update(image.tobytes())
        return digest.hexdigest()

    def __call__(self, image, **kwargs):
        path = self.folder / f"{self.key(image, kwargs)}.pickle"
        if path.exists():
            self.hits += 1
            return pickle.loads(path.read_bytes())
        self.misses += 1
        result = self.real_engine()(image, **kwargs)
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(pickle.dumps(result))
        temporary.replace(path)
        return result


def install(folder):
    """Route the page import's OCR through a cache in ``folder``; returns the cache (for its counts)."""
    cache = CachedEngine(folder, ocr_reader.engine)
    ocr_reader.engine = lambda: cache
    return cache
