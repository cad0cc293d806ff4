"""The deploy manifest: what the bucket holds, as the deploys that put it there recorded it.

Kept in the bucket itself, beside the site, under ``<prefix>/.newsroom-deploy/``, so that
any machine deploying the site compares with the same record. For every object a deploy
stored it keeps the SHA-256 of the site file, the size and ETag of the stored bytes, the
headers and whether the file is immutable (fingerprinted) and, once the site dropped it,
since when it is *retired* (kept one more deploy for pages still open).

It is a base and a journal, so that what a deploy writes is in proportion to what it
changed (a 20,000-article site's full record is megabytes; one edit changes a few hundred
records):

- ``manifest.json.gz``: every record, and the number of the last journal entry it includes;
- ``journal/<n>.json.gz``: the records a deploy set or dropped since the entry before, and
  whether it finished. A deploy writes one after each upload group, every
  ``checkpoint_seconds`` within one, and at its end; when the journal since the base has
  grown past a tenth of the records (or 50 entries) the end writes a new base instead and
  deletes the entries it includes. Reading applies the entries after the base's number in
  order, so an entry left by a deletion cut short is never applied twice.

An interrupted deploy so leaves a record of only what the store confirmed; the next deploy
does the rest (and a record is dropped whenever the bucket's own listing lacks its
object). ``deploys`` counts the deploys that finished; one that resumes an interrupted
deploy keeps its number.
"""

import gzip
import json
import re
from dataclasses import dataclass, field, replace

from newsroom.build.deploy_files import Headers

FORMAT = "newsroom-deploy-manifest"
VERSION = 2
STATE_FOLDER = ".newsroom-deploy/"
MANIFEST_NAME = STATE_FOLDER + "manifest.json.gz"
JOURNAL_FOLDER = STATE_FOLDER + "journal/"
JOURNAL_NAME = re.compile(r"journal/([0-9]{10})\.json\.gz$")
COMPACT_ENTRIES = 50
COMPACT_SHARE = 0.1
COMPACT_MIN_RECORDS = 2000


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


def journal_name(number):
    return f"{JOURNAL_FOLDER}{number:010d}.json.gz"


def journal_number(key):
    """The entry number of a journal object's key, or None for any other key."""
    match = JOURNAL_NAME.search(key)
    return int(match.group(1)) if match and STATE_FOLDER in key else None


def _pack(data):
    return gzip.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
                         compresslevel=6, mtime=0)


def _unpack(blob, kind):
    try:
        data = json.loads(gzip.decompress(blob).decode("utf-8"))
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"not a deploy {kind} ({error})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("kind") != kind:
        raise ValueError(f"not a deploy {kind}")
    if data.get("version") != VERSION:
        raise ValueError(f"deploy {kind} version {data.get('version')!r}, this code reads {VERSION}")
    return data


def _rows(records):
    """``(header profiles, rows)``: the records as compact lists, headers written once each."""
    profiles, rows = {}, {}
    for path in sorted(records):
        record = records[path]
        index = profiles.setdefault(tuple(record.headers.as_list()), len(profiles))
        rows[path] = [record.sha256, record.size, record.stored_size, record.etag, index, int(record.immutable),
                      record.retired_in, record.retired_at]
    return [list(key) for key in profiles], rows


def _records(data):
    profiles = [Headers(*entry) for entry in data["headers"]]
    files = {}
    for path, row in data["files"].items():
        sha, size, stored_size, etag, index, immutable, retired_in, retired_at = row
        files[path] = Record(sha, int(size), int(stored_size), etag, profiles[index], bool(immutable),
                             int(retired_in), float(retired_at))
    return files


@dataclass
class Manifest:
    deploys: int = 0  # deploys that finished
    finished: bool = True  # False while a deploy runs (and after one was interrupted)
    files: dict = field(default_factory=dict)  # path in the site -> Record
    journal: int = 0  # the number of the last journal entry applied
    journaled: int = 0  # records set or dropped by the entries applied after the base
    entries: int = 0  # journal entries applied after the base

    @property
    def current(self):
        """The number of the deploy that runs now (or resumes)."""
        return self.deploys + 1

    def to_bytes(self):
        headers, rows = _rows(self.files)
        return _pack({"format": FORMAT, "kind": "manifest", "version": VERSION, "deploys": self.deploys,
                      "finished": self.finished, "journal": self.journal, "headers": headers, "files": rows})

    @classmethod
    def from_bytes(cls, blob):
        """The manifest in ``blob``; ``ValueError`` when it is not one this code can read."""
        data = _unpack(blob, "manifest")
        try:
            return cls(int(data["deploys"]), bool(data["finished"]), _records(data), int(data["journal"]))
        except (KeyError, TypeError, ValueError, IndexError) as error:
            raise ValueError(f"damaged deploy manifest ({error})") from None

    def apply(self, number, blob):
        """Apply the journal entry ``number`` (its bytes ``blob``)."""
        data = _unpack(blob, "journal")
        try:
            changed = _records(data)
            dropped = [str(path) for path in data["dropped"]]
            self.deploys, self.finished = int(data["deploys"]), bool(data["finished"])
        except (KeyError, TypeError, ValueError, IndexError) as error:
            raise ValueError(f"damaged deploy journal entry {number} ({error})") from None
        self.files.update(changed)
        for path in dropped:
            self.files.pop(path, None)
        self.journal = number
        self.note_entry(len(changed) + len(dropped))

    def note_entry(self, records):
        self.journaled += records
        self.entries += 1

    def should_compact(self):
        """Whether the journal since the base is long enough to fold into a new base."""
        limit = max(COMPACT_MIN_RECORDS, COMPACT_SHARE * len(self.files))
        return self.journaled > limit or self.entries > COMPACT_ENTRIES


def journal_entry(deploys, finished, changed, dropped):
    """The bytes of a journal entry: ``changed`` records (path -> Record) set, ``dropped`` paths removed."""
    headers, rows = _rows(changed)
    return _pack({"format": FORMAT, "kind": "journal", "version": VERSION, "deploys": deploys,
                  "finished": finished, "headers": headers, "files": rows, "dropped": sorted(dropped)})
