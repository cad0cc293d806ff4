"""A deploy's plan: what to upload, in which order, what to update and what to delete.

Pure, like ``hugo deploy``'s diff: :func:`make_plan` compares the site's files
(:mod:`newsroom.build.deploy_files`) with the bucket's listing and the deploy manifest
(:mod:`newsroom.build.deploy_manifest`) and returns a :class:`Plan`; ``--dry-run`` prints
it, a deploy carries it out (:mod:`newsroom.build.deploy`), and the tests assert on it.

A file is *unchanged* when the manifest records the same SHA-256 and headers and the
listing shows the object with the recorded size and ETag. Otherwise it is:

- uploaded: new, changed, missing from the bucket, not recorded (an earlier deploy was
  cut off before recording it) or altered in the bucket by someone else;
- copied inside the bucket instead, when an object this deploy leaves alone already has
  the same bytes (a search shard that moved to a new folder keeps most of its files);
- given new headers only (a server-side copy onto itself) when only the headers differ
  (a change of Content-Encoding changes the stored bytes: that is an upload).

Actions fall into the upload groups of the rules (assets, articles, lists, front), each
finished before the next starts. Deletes come after every group: a recorded object the
site no longer has is deleted, unless it is immutable (a fingerprinted file such as a
search shard), which is *retired* instead: kept through this deploy and deleted by the
first later deploy at least ``retire_after`` seconds on, so that a page a reader opened
before still finds the old search index. Objects the manifest does not know (put there
by hand: a verification file, an old site) are never deleted, only counted.
"""

from dataclasses import dataclass, field

from newsroom.build.deploy_files import GZIP, DeployError
from newsroom.build.deploy_manifest import STATE_FOLDER, Manifest

UPLOAD, COPY, HEADERS = "upload", "copy", "headers"
GONE, EXPIRED = "gone", "expired"


@dataclass(frozen=True)
class Remote:
    """An object as the bucket's listing shows it."""

    size: int
    etag: str


@dataclass(frozen=True)
class Action:
    kind: str  # UPLOAD, COPY or HEADERS
    local: object  # the LocalFile
    key: str
    reason: str  # new, changed, missing, unrecorded, altered, encoding, headers
    source_key: str = ""  # COPY: the object holding the same bytes
    source_etag: str = ""

    @property
    def path(self):
        return self.local.path

    @property
    def bytes_to_send(self):
        return self.local.size if self.kind == UPLOAD else 0


@dataclass(frozen=True)
class Delete:
    path: str
    key: str
    reason: str  # GONE (the site dropped it) or EXPIRED (a retired immutable file)


@dataclass
class Plan:
    groups: list  # [(group name, [Action])] in upload order, empty groups included
    deletes: list  # [Delete], sorted by key
    retiring: list  # paths retired by this deploy (kept for now)
    waiting: list  # paths retired earlier and still kept
    unknown: list  # keys in the bucket the manifest does not know: left alone
    unchanged: int
    manifest: Manifest  # what is true of the bucket before the deploy, retirements applied
    local_files: int = 0
    local_bytes: int = 0
    prefix: str = ""
    manifest_changed: bool = False  # records dropped, restored or retired, or a deploy to finish

    @property
    def actions(self):
        return [action for _, actions in self.groups for action in actions]

    def count(self, kind):
        return sum(action.kind == kind for action in self.actions)

    @property
    def bytes_to_send(self):
        return sum(action.bytes_to_send for action in self.actions)

    @property
    def counted_deletes(self):
        """The deletes ``--max-deletes`` caps: files the site dropped (retired files whose
        time is up were already dropped by an earlier deploy, which counted them)."""
        return [delete for delete in self.deletes if delete.reason == GONE]

    @property
    def changes_anything(self):
        return bool(self.actions or self.deletes or self.retiring or self.manifest_changed)

    def check_deletes(self, max_deletes, force):
        """:class:`DeployError` when the plan deletes more than ``max_deletes`` files the
        site dropped and ``force`` is not given: checked before anything is changed, since
        so many deletes usually mean a wrong folder or target (an empty build, a prefix
        left out), not a wish."""
        counted = len(self.counted_deletes)
        if max_deletes is not None and max_deletes >= 0 and counted > max_deletes and not force:
            raise DeployError("deploy.too_many_deletes", count=counted, limit=max_deletes)


def object_key(prefix, path):
    return f"{prefix}/{path}" if prefix else path


def is_state_key(prefix, key):
    """Whether ``key`` is part of the deploy manifest (``<prefix>/.newsroom-deploy/…``), not of the site."""
    return key.startswith(object_key(prefix, STATE_FOLDER))


def make_plan(local_files, listing, manifest, prefix, rules_groups, now, retire_after):
    """The :class:`Plan` for putting ``local_files`` into a bucket whose objects under
    ``prefix`` are ``listing`` (``{key: Remote}``) and whose manifest is ``manifest``
    (an empty :class:`Manifest` for a first deploy). The manifest's own objects are not
    part of the site: leave them out of ``listing`` (:func:`is_state_key`).

    ``rules_groups`` is the upload order (group names); ``now`` (seconds since the epoch)
    and ``retire_after`` (seconds) decide which retired files may go.
    """
    current = manifest.current
    records = {}
    changed_manifest = not manifest.finished
    # Only what the bucket really holds is taken from the manifest.
    for path, record in manifest.files.items():
        remote = listing.get(object_key(prefix, path))
        if remote is None:
            changed_manifest = True
            continue
        records[path] = record
    local_by_path = {local.path: local for local in local_files}

    def trusted(path):
        """The record of ``path`` when the listing agrees with it (same size and ETag)."""
        record = records.get(path)
        remote = listing.get(object_key(prefix, path))
        if record is None or remote is None:
            return None
        if remote.size != record.stored_size or remote.etag != record.etag:
            return None
        return record

    pending = []  # (local, reason, kind)
    unchanged = 0
    for local in local_files:
        key = object_key(prefix, local.path)
        record = records.get(local.path)
        if key not in listing:
            pending.append((local, "new" if record is None and local.path not in manifest.files else "missing"))
            continue
        if record is None:
            pending.append((local, "unrecorded"))
            continue
        if trusted(local.path) is None:
            pending.append((local, "altered"))
            continue
        if record.sha256 != local.sha256:
            pending.append((local, "changed"))
            continue
        if record.retired_in:
            records[local.path] = record.restored()  # the site has it again: no longer retired
            changed_manifest = True
        if record.headers.content_encoding != local.headers.content_encoding:
            pending.append((local, "encoding"))  # other stored bytes (gzip'd or not): sent again
            continue
        if record.headers != local.headers:
            pending.append((local, "headers"))
            continue
        unchanged += 1

    # Objects this deploy leaves as they are may serve as sources of server-side copies.
    targets = {local.path for local, _ in pending if _ != "headers"}
    sources = {}
    for path in sorted(records):
        record = trusted(path)
        if record is None or path in targets:
            continue
        stored_as_gzip = record.headers.content_encoding == GZIP
        sources.setdefault((record.sha256, stored_as_gzip), (object_key(prefix, path), record.etag))

    groups = {name: [] for name in rules_groups}
    for local, reason in pending:
        key = object_key(prefix, local.path)
        if reason == "headers":
            action = Action(HEADERS, local, key, reason)
        else:
            source = sources.get((local.sha256, local.headers.content_encoding == GZIP))
            if source and source[0] != key:
                action = Action(COPY, local, key, reason, source[0], source[1])
            else:
                action = Action(UPLOAD, local, key, reason)
        groups[local.group].append(action)

    deletes, retiring, waiting = [], [], []
    for path in sorted(records):
        if path in local_by_path:
            continue
        record = records[path]
        key = object_key(prefix, path)
        if record.retired_in:
            if record.retired_in < current and now - record.retired_at >= retire_after:
                deletes.append(Delete(path, key, EXPIRED))
            else:
                waiting.append(path)
        elif record.immutable:
            records[path] = record.retired(current, now)
            retiring.append(path)
        else:
            deletes.append(Delete(path, key, GONE))

    known = {object_key(prefix, path) for path in manifest.files} | {object_key(prefix, p) for p in local_by_path}
    unknown = sorted(key for key in listing if key not in known)

    start = Manifest(manifest.deploys, manifest.finished, records)
    plan = Plan([(name, groups[name]) for name in rules_groups], sorted(deletes, key=lambda d: d.key), retiring,
                waiting, unknown, unchanged, start, len(local_files), sum(local.size for local in local_files),
                prefix)
    plan.manifest_changed = changed_manifest
    return plan
