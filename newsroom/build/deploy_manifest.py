"""The deploy manifest: what the bucket holds, as the deploys that put it there recorded it.

Kept in the bucket itself, beside the site (``<prefix>/.newsroom-deploy/manifest.json.gz``),
so that any machine deploying the site compares with the same record. For every object a
deploy stored it keeps the SHA-256 of the site file, the size and ETag of the stored
bytes, the headers and whether the file is immutable (fingerprinted) and, once the site
dropped it, since when it is *retired* (kept one more deploy for pages still open).

It is written after each upload group and every half minute within one, and last at the
end with ``finished`` set: an interrupted deploy leaves a manifest that records only what
was really stored, so the next deploy does the rest (and a record is dropped whenever
the bucket's own listing no longer has the object). ``deploys`` counts the deploys that
finished; a deploy that resumes an interrupted one keeps its number.
"""

import gzip
import json
from dataclasses import dataclass, field, replace

from newsroom.build.deploy_files import Headers

FORMAT = "newsroom-deploy-manifest"
VERSION = 1
MANIFEST_NAME = ".newsroom-deploy/manifest.json.gz"


@dataclass(frozen=True)
class Record:
    """One stored object."""

    sha256: str  # of the site file (before compression)
    size: int  # of the site file
    stored_size: int  # of the stored bytes
    etag: str  # as the store answered, without quotes
    headers: Headers
    immutable: bool = False
    retired_in: int = 0  # the deploy that retired it (0: the site still has it)
    retired_at: float = 0.0  # when (seconds since the epoch)

    def retired(self, deploy, at):
        return replace(self, retired_in=deploy, retired_at=at)

    def restored(self):
        return replace(self, retired_in=0, retired_at=0.0)


@dataclass
class Manifest:
    deploys: int = 0  # deploys that finished
    finished: bool = True  # False while a deploy runs (and after one was interrupted)
    files: dict = field(default_factory=dict)  # path in the site -> Record

    @property
    def current(self):
        """The number of the deploy that runs now (or resumes)."""
        return self.deploys + 1

    def to_bytes(self):
        profiles, rows = {}, {}
        for path in sorted(self.files):
            record = self.files[path]
            key = tuple(record.headers.as_list())
            index = profiles.setdefault(key, len(profiles))
            rows[path] = [record.sha256, record.size, record.stored_size, record.etag, index,
                          int(record.immutable), record.retired_in, record.retired_at]
        data = {"format": FORMAT, "version": VERSION, "deploys": self.deploys, "finished": self.finished,
                "headers": [list(key) for key in profiles], "files": rows}
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)

    @classmethod
    def from_bytes(cls, blob):
        """The manifest in ``blob``; ``ValueError`` when it is not one this code can read."""
        try:
            data = json.loads(gzip.decompress(blob).decode("utf-8"))
        except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValueError(f"not a deploy manifest ({error})") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a deploy manifest")
        if data.get("version") != VERSION:
            raise ValueError(f"manifest version {data.get('version')!r}, this code reads {VERSION}")
        try:
            profiles = [Headers(*entry) for entry in data["headers"]]
            files = {}
            for path, row in data["files"].items():
                sha, size, stored_size, etag, index, immutable, retired_in, retired_at = row
                files[path] = Record(sha, int(size), int(stored_size), etag, profiles[index], bool(immutable),
                                     int(retired_in), float(retired_at))
            return cls(int(data["deploys"]), bool(data["finished"]), files)
        except (KeyError, TypeError, ValueError, IndexError) as error:
            raise ValueError(f"damaged deploy manifest ({error})") from None
