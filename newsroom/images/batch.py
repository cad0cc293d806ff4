"""Many sources at once: cache hits answered here, misses shared out over the cores.

:func:`process_all` takes ``(path, spec)`` jobs. Each source is read and hashed in this
process (that alone decides a cache hit); only the misses are handed to ``map_fn``, the
caller's choice of how to run them: ``map`` (one process) or a fork helper such as
``functools.partial(newsroom.build.parallel.fork_map, workers=2)`` (this package runs
no processes of its own). A source that cannot be used comes back as its
:class:`~newsroom.images.source.ImageProblem` in place of a set, so that the caller can
say which file and line named it; nothing is raised for it.
"""

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from newsroom.images.cache import cache_key, process
from newsroom.images.source import FORMATS, MAX_PIXELS, ImageProblem


@dataclass
class BatchStats:
    """What one :func:`process_all` did: jobs answered from the cache, sets made (one
    per distinct source and spec), jobs refused (a missing or broken file); seconds."""

    hits: int = 0
    made: int = 0
    failed: int = 0
    seconds: float = 0.0

    @property
    def hit_rate(self):
        total = self.hits + self.made
        return self.hits / total if total else 1.0

    def as_dict(self):
        return {"hits": self.hits, "made": self.made, "failed": self.failed,
                "hit_rate": round(self.hit_rate, 4), "seconds": round(self.seconds, 3)}


def _read(path):
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise ImageProblem("missing", name=Path(path).name) from None
    except IsADirectoryError:
        raise ImageProblem("is_folder", name=Path(path).name) from None
    except OSError as error:
        raise ImageProblem("unreadable", name=Path(path).name, detail=error.strerror or str(error)) from None


def _sha256(path, hashes):
    if hashes is None:
        return hashlib.sha256(_read(path)).hexdigest()
    try:
        return hashes.sha256(path)
    except FileNotFoundError:
        raise ImageProblem("missing", name=Path(path).name) from None
    except IsADirectoryError:
        raise ImageProblem("is_folder", name=Path(path).name) from None
    except OSError as error:
        raise ImageProblem("unreadable", name=Path(path).name, detail=error.strerror or str(error)) from None


def process_all(jobs, cache, map_fn=map, *, hashes=None, max_pixels=MAX_PIXELS, formats=FORMATS):
    """``(results, BatchStats)``: for each ``(path, spec)`` of ``jobs`` its
    :class:`~newsroom.images.cache.ImageSet` or :class:`ImageProblem`, in order.

    ``hashes`` (a :class:`~newsroom.images.source_hashes.SourceHashes`) answers the
    sources' hashes from their stat, so that sources the cache holds are not even read."""
    started = time.perf_counter()
    stats = BatchStats()
    results = [None] * len(jobs)
    misses = []
    for index, (path, spec) in enumerate(jobs):
        spec = tuple(spec)
        try:
            sha = _sha256(path, hashes)
        except ImageProblem as problem:
            results[index] = problem
            continue
        key = cache_key(sha, spec, max_pixels, formats)
        found = cache.load(key, spec)
        if found is not None:
            results[index] = found
            stats.hits += 1
        else:
            misses.append((index, str(path), spec))
    # The same source and spec named twice (one photo in two articles) is made once.
    first_of = {}
    unique = []
    for index, path, spec in misses:
        results[index] = first_of.setdefault((path, spec), len(unique))
        if results[index] == len(unique):
            unique.append((path, spec))

    def make(job):
        path, spec = job
        try:
            return process(_read(path), spec, cache, max_pixels=max_pixels, formats=formats)
        except ImageProblem as problem:
            return problem

    made = list(map_fn(make, unique))
    for index, _, _ in misses:
        results[index] = made[results[index]]
    stats.made = sum(not isinstance(result, ImageProblem) for result in made)
    stats.failed = sum(isinstance(result, ImageProblem) for result in results)
    stats.seconds = time.perf_counter() - started
    return results, stats
