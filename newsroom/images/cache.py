"""The content-hash cache in front of :func:`~newsroom.images.renditions.render`.

An image set is kept under a key made of everything its bytes depend on: the SHA-256
of the source's bytes, the spec (every rendition with its defaults filled in), the
opening limits, :data:`PIPELINE_VERSION` and the versions of the encoders
(:func:`~newsroom.images.encode.library_versions`). The same source with the same spec
is therefore never processed twice, however it is named or moved, and a change of code
or library makes new sets rather than serving old bytes.

On disk: ``<root>/<key[:2]>/<key>/`` holds the set's files and ``set.json`` (what each
rendition became). A set is written into a temporary folder and renamed into place
whole, so a set that is there is complete, and two processes making the same set at
once both end with one good copy.
"""

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from newsroom.images.encode import library_versions
from newsroom.images.renditions import Variant, render
from newsroom.images.source import FORMATS, MAX_PIXELS, SourceInfo

# Bump when a change of this package changes any output byte or file name.
PIPELINE_VERSION = 1
SET_FILE = "set.json"
SET_FORMAT = 1


@dataclass
class ImageSet:
    """Every image made from one source for one spec.

    ``variants[i]`` is what ``spec[i]`` became (two renditions that came out the same
    share one variant); ``folder`` holds the files; ``cached`` says whether this set was
    found in the cache rather than made now.
    """

    key: str
    source: SourceInfo
    spec: tuple
    variants: tuple
    folder: Path
    cached: bool = False
    _by_rendition: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        self._by_rendition = dict(zip(self.spec, self.variants))

    def __getitem__(self, rendition):
        """The variant ``rendition`` (one of the spec's) became."""
        return self._by_rendition[rendition]

    def path(self, variant):
        return self.folder / variant.file

    def unique(self):
        """Each distinct variant once, in spec order."""
        seen, found = set(), []
        for variant in self.variants:
            if variant.file not in seen:
                seen.add(variant.file)
                found.append(variant)
        return found


def cache_key(source_sha256, spec, max_pixels=MAX_PIXELS, formats=FORMATS):
    data = [PIPELINE_VERSION, library_versions(), source_sha256, [r.canonical() for r in spec],
            max_pixels, sorted(formats)]
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode("utf-8")).hexdigest()


class ImageCache:
    """Image sets by key under ``root``."""

    def __init__(self, root):
        self.root = Path(root)

    def folder(self, key):
        return self.root / key[:2] / key

    def load(self, key, spec):
        """The set kept under ``key``, or None (never made, or incomplete, or unreadable)."""
        folder = self.folder(key)
        try:
            data = json.loads((folder / SET_FILE).read_text(encoding="utf-8"))
            if data.get("format") != SET_FORMAT or data.get("key") != key:
                return None
            unique = [Variant(**item) for item in data["variants"]]
            variants = tuple(unique[index] for index in data["index"])
            source = SourceInfo(**data["source"])
            for variant in unique:
                if os.stat(folder / variant.file).st_size != variant.byte_size:
                    return None
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None
        if len(variants) != len(spec):
            return None
        return ImageSet(key, source, tuple(spec), variants, folder, cached=True)

    def store(self, key, spec, info, results):
        """Write the output of :func:`render` under ``key``; the :class:`ImageSet`."""
        folder = self.folder(key)
        folder.parent.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix=".new-", dir=folder.parent))
        unique, index = [], []
        try:
            for entry in results:
                if isinstance(entry, int):  # the same as an earlier rendition
                    index.append(index[entry])
                    continue
                variant, data = entry
                path = temporary / variant.file
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                index.append(len(unique))
                unique.append(variant)
            record = {"format": SET_FORMAT, "key": key, "source": asdict(info),
                      "variants": [asdict(v) for v in unique], "index": index}
            (temporary / SET_FILE).write_text(json.dumps(record, ensure_ascii=False, sort_keys=True),
                                              encoding="utf-8")
            try:
                os.rename(temporary, folder)
            except OSError:
                # Made meanwhile by another process (or an incomplete leftover: replace it).
                if self.load(key, spec) is None:
                    shutil.rmtree(folder, ignore_errors=True)
                    os.rename(temporary, folder)
        finally:
            if temporary.exists():
                shutil.rmtree(temporary, ignore_errors=True)
        return ImageSet(key, info, tuple(spec), tuple(unique[i] for i in index), folder, cached=False)


def process(data, spec, cache, *, max_pixels=MAX_PIXELS, formats=FORMATS):
    """The :class:`ImageSet` of ``data`` (a source's bytes) for ``spec`` (renditions), from
    ``cache`` (an :class:`ImageCache`) when it has it, else made and kept there.

    Raises :class:`~newsroom.images.source.ImageProblem` for a source that cannot be used.
    """
    spec = tuple(spec)
    key = cache_key(hashlib.sha256(data).hexdigest(), spec, max_pixels, formats)
    found = cache.load(key, spec)
    if found is not None:
        return found
    info, results = render(data, spec, max_pixels=max_pixels, formats=formats)
    return cache.store(key, spec, info, results)
