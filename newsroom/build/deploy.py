"""Deploy the built site to S3-compatible object storage: plan, then act.

:func:`deploy` is the one entry point (``python -m newsroom deploy``, ``make deploy``
and the scheduler call it): it reads the site (:mod:`~newsroom.build.deploy_files`),
the bucket's listing and manifest (:mod:`~newsroom.build.deploy_s3`,
:mod:`~newsroom.build.deploy_manifest`), makes the plan (:mod:`~newsroom.build.deploy_plan`)
and, unless it is a dry run, carries it out:

1. the upload groups in order (assets, articles, lists, front), files of a group in
   parallel, each group finished before the next starts;
2. the manifest kept current (a journal entry after each group and every
   ``checkpoint_seconds`` within one, :class:`Recorder`), recording only what was
   stored, so an interrupted deploy resumes where it stopped;
3. deletes, only once every upload succeeded (the ``--max-deletes`` cap is checked
   before anything is changed);
4. the manifest, finished; then the bucket's website documents (index.html, 404.html).

Progress goes to ``report(event, **data)``: ``plan``, ``group``, ``progress``,
``deletes``, ``website``, ``done`` (the desk command prints them in Chinese).
"""

import contextlib
import fcntl
import hashlib
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path

from newsroom.build.deploy_files import (DeployError, hash_cache_path, load_rules, scan_site, site_folder,
                                         upload_body)
from newsroom.build.deploy_manifest import (MANIFEST_NAME, STATE_FOLDER, Manifest, Record, journal_entry,
                                            journal_name, journal_number)
from newsroom.build.deploy_plan import COPY, HEADERS, UPLOAD, is_state_key, make_plan, object_key
from newsroom.build.deploy_s3 import S3Store, Target
from newsroom.paper import release

HOUR = 3600


@dataclass(frozen=True)
class DeployOptions:
    """Where and how to deploy; :func:`options_from_settings` reads them from publishconf."""

    target: str
    endpoint: str = ""
    region: str = ""
    addressing: str = "virtual"
    gzip: bool = True
    cache_control: dict = field(default_factory=dict)
    rules: tuple = ()
    max_deletes: int = 256
    force: bool = False
    dry_run: bool = False
    website: bool = True
    retire_hours: float = 24.0
    workers: int = 8
    checkpoint_seconds: float = 30.0
    hash_cache: bool = True  # keep file hashes in <output>.cache/ between deploys


SETTINGS = {  # option: (setting, default)
    "target": ("DEPLOY_TARGET", ""),
    "endpoint": ("DEPLOY_ENDPOINT", ""),
    "region": ("DEPLOY_REGION", ""),
    "addressing": ("DEPLOY_ADDRESSING", "virtual"),
    "gzip": ("DEPLOY_GZIP", True),
    "cache_control": ("DEPLOY_CACHE_CONTROL", {}),
    "rules": ("DEPLOY_RULES", ()),
    "max_deletes": ("DEPLOY_MAX_DELETES", 256),
    "website": ("DEPLOY_WEBSITE", True),
    "retire_hours": ("DEPLOY_RETIRE_HOURS", 24.0),
    "workers": ("DEPLOY_WORKERS", 8),
    "checkpoint_seconds": ("DEPLOY_CHECKPOINT_SECONDS", 30.0),
}


def options_from_settings(settings, **overrides):
    """:class:`DeployOptions` from a settings dict (publishconf.py's names), with
    ``overrides`` (the command line's, None meaning "not given") on top."""
    values = {option: settings.get(name, default) for option, (name, default) in SETTINGS.items()}
    values["rules"] = tuple(values["rules"] or ())
    values["cache_control"] = dict(values["cache_control"] or {})
    values.update({name: value for name, value in overrides.items() if value is not None})
    return DeployOptions(**values)


@dataclass
class DeployResult:
    plan: object
    target: Target
    site: Path
    dry_run: bool
    uploaded: int = 0
    copied: int = 0
    headers_updated: int = 0
    deleted: int = 0
    bytes_sent: int = 0  # site bytes of the files uploaded
    stored_bytes: int = 0  # bytes sent to the store (after gzip)
    seconds: float = 0.0
    website: str = ""
    skipped: list = field(default_factory=list)


def _ignore(event, **data):
    pass


@contextlib.contextmanager
def target_lock(target, endpoint):
    """One deploy at a time to the same target from this machine (the kernel drops the
    lock when its holder ends, even killed)."""
    name = hashlib.sha256(f"{endpoint}\0{target}".encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"newsroom-deploy-{name}.lock"
    handle = open(path, "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DeployError("deploy.locked", target=target) from None
        yield
    finally:
        handle.close()


def deploy(output, options, report=_ignore, store=None):
    """Deploy the site in ``output`` as ``options`` say; a :class:`DeployResult`.
    :class:`DeployError` for anything that stops it (nothing half-deleted: deletes come
    only after every upload). ``store``: an :class:`S3Store` to use instead of a new one."""
    started = time.monotonic()
    target = Target.parse(options.target) if options.target else None
    if target is None:
        raise DeployError("deploy.no_target")
    site = site_folder(output)
    if (site / release.UNRELEASED_MARKER).exists():  # the preview's site: drafts, tomorrow's paper
        raise DeployError("deploy.unreleased_site", site=site)
    rules = load_rules(options.gzip, options.cache_control, options.rules)
    local_files, skipped = scan_site(site, rules, hash_cache_path(output) if options.hash_cache else None)
    store = store or S3Store(target, options.endpoint, options.region, options.addressing, options.workers)
    with target_lock(str(target), options.endpoint):
        listing = store.list_objects()
        manifest, journal_keys = read_manifest(store, listing, target)
        base_exists = object_key(target.prefix, MANIFEST_NAME) in listing
        listing = {key: remote for key, remote in listing.items() if not is_state_key(target.prefix, key)}
        plan = make_plan(local_files, listing, manifest, target.prefix, rules.groups, time.time(),
                         options.retire_hours * HOUR)
        result = DeployResult(plan, target, site, options.dry_run, skipped=skipped)
        report("plan", plan=plan, result=result)
        plan.check_deletes(options.max_deletes, options.force)
        if not options.dry_run and plan.changes_anything:
            recorder = Recorder(store, target.prefix, manifest, plan.manifest, journal_keys, base_exists)
            execute(plan, recorder, store, options, report, result)
            # The website documents, once the pages are up; an unchanged site was set before.
            if options.website and any(local.path == "404.html" for local in local_files):
                result.website = store.configure_website("index.html", object_key(target.prefix, "404.html"))
                report("website", status=result.website)
    result.seconds = time.monotonic() - started
    report("done", result=result)
    return result


def read_manifest(store, listing, target):
    """``(manifest, journal keys)``: the base manifest and every journal entry after it
    (:mod:`newsroom.build.deploy_manifest`), from the objects ``listing`` shows."""
    base_key = object_key(target.prefix, MANIFEST_NAME)
    state = object_key(target.prefix, STATE_FOLDER)
    entries = sorted((number, key) for key in listing
                     if key.startswith(state) and (number := journal_number(key)) is not None)
    try:
        blob = store.get(base_key) if base_key in listing else None
        manifest = Manifest.from_bytes(blob) if blob is not None else Manifest()
        for number, key in entries:
            if number > manifest.journal:
                blob = store.get(key)
                if blob is not None:
                    manifest.apply(number, blob)
    except ValueError as error:
        raise DeployError("deploy.bad_manifest", target=str(target), detail=str(error)) from None
    return manifest, [key for _, key in entries]


class Recorder:
    """Keeps the bucket's manifest current while a deploy runs: the records it changed go
    into a journal entry at each checkpoint, and the end either adds a last entry or, when
    the journal has grown long, writes a new base and deletes the entries it holds."""

    def __init__(self, store, prefix, loaded, start, journal_keys, base_exists=True):
        self.store, self.prefix, self.base_exists = store, prefix, base_exists
        self.manifest = Manifest(start.deploys, False, dict(start.files), loaded.journal, loaded.journaled,
                                 loaded.entries)
        self.journal_keys = list(journal_keys)
        self.next_number = max([loaded.journal, *(journal_number(k) or 0 for k in journal_keys)]) + 1
        # What the plan changed before anything is sent: records dropped, retired or restored.
        self.changed = {path: record for path, record in start.files.items() if loaded.files.get(path) != record}
        self.dropped = set(loaded.files) - set(start.files)
        self.written_state = (loaded.deploys, loaded.finished)
        self.last = time.monotonic()

    @property
    def files(self):
        return self.manifest.files

    def set(self, path, record):
        self.manifest.files[path] = record
        self.changed[path] = record
        self.dropped.discard(path)

    def drop(self, path):
        self.manifest.files.pop(path, None)
        self.changed.pop(path, None)
        self.dropped.add(path)

    def due(self, seconds):
        return time.monotonic() - self.last >= seconds

    def checkpoint(self):
        """Write a journal entry with what changed since the last one (if anything did)."""
        state = (self.manifest.deploys, self.manifest.finished)
        if self.changed or self.dropped or state != self.written_state:
            key = object_key(self.prefix, journal_name(self.next_number))
            self.store.put_record(key, journal_entry(*state, self.changed, self.dropped))
            self.manifest.journal = self.next_number
            self.manifest.note_entry(len(self.changed) + len(self.dropped))
            self.journal_keys.append(key)
            self.next_number += 1
            self.changed, self.dropped, self.written_state = {}, set(), state
        self.last = time.monotonic()

    def finish(self):
        """The deploy is complete: record it, compacting the journal when it is long."""
        self.manifest.finished = True
        self.manifest.deploys += 1
        if self.base_exists and not self.manifest.should_compact():
            self.checkpoint()
            return
        # The base says which entries it holds, so entries whose deletion is cut short
        # below are skipped by every later read.
        self.manifest.journal = self.next_number - 1
        self.store.put_record(object_key(self.prefix, MANIFEST_NAME), self.manifest.to_bytes())
        self.changed, self.dropped = {}, set()
        for key in self.journal_keys:
            with contextlib.suppress(DeployError):
                self.store.delete(key)


def execute(plan, recorder, store, options, report, result):
    """Carry out ``plan``: groups in order, then deletes, the manifest kept current."""
    total_files, total_bytes = len(plan.actions), plan.bytes_to_send
    done = {"files": 0, "bytes": 0}
    with ThreadPoolExecutor(max_workers=max(1, options.workers)) as pool:
        for name, actions in plan.groups:
            if not actions:
                continue
            report("group", name=name, files=len(actions), bytes=sum(a.bytes_to_send for a in actions))
            failures = []
            futures = {pool.submit(_perform, store, action, recorder.files.get(_source_path(plan, action))): action
                       for action in actions}
            try:
                for future in as_completed(futures):
                    action = futures[future]
                    try:
                        record, stored, kind = future.result()
                    except DeployError as error:
                        failures.append((action, error))
                        continue
                    recorder.set(action.path, record)
                    _count(result, kind, action.local.size, stored)
                    done["files"] += 1
                    done["bytes"] += action.bytes_to_send
                    report("progress", files=done["files"], total_files=total_files, bytes=done["bytes"],
                           total_bytes=total_bytes)
                    if recorder.due(options.checkpoint_seconds):
                        recorder.checkpoint()
            except BaseException:
                for future in futures:
                    future.cancel()
                with contextlib.suppress(DeployError):
                    recorder.checkpoint()  # what was stored so far, for the deploy that resumes this one
                raise
            recorder.checkpoint()
            if failures:
                action, error = failures[0]
                raise DeployError("deploy.uploads_failed", count=len(failures), path=action.path, error=str(error))
        if plan.deletes:
            report("deletes", files=len(plan.deletes))
            futures = {pool.submit(store.delete, delete.key): delete for delete in plan.deletes}
            failures = []
            for future in as_completed(futures):
                delete = futures[future]
                try:
                    future.result()
                except DeployError as error:
                    failures.append((delete, error))
                    continue
                recorder.drop(delete.path)
                result.deleted += 1
            if failures:
                recorder.checkpoint()
                delete, error = failures[0]
                raise DeployError("deploy.deletes_failed", count=len(failures), path=delete.path, error=str(error))
    recorder.finish()


def _source_path(plan, action):
    """The path in the site of a copy's source object (to read its stored size)."""
    if action.kind != COPY:
        return action.path
    prefix = f"{plan.prefix}/" if plan.prefix else ""
    return action.source_key[len(prefix):]


def _perform(store, action, source_record):
    """Do one action; ``(Record, stored bytes sent, kind of action done)``."""
    local = action.local
    record = Record(local.sha256, local.size, 0, "", local.headers, local.immutable)
    if action.kind == UPLOAD:
        body = upload_body(local)
        etag = store.put(action.key, body, local.headers, local.sha256)
        return replace(record, stored_size=len(body), etag=etag), len(body), UPLOAD
    if action.kind in (COPY, HEADERS):
        source = action.source_key if action.kind == COPY else action.key
        try:
            etag = store.copy(source, action.key, local.headers, local.sha256, action.source_etag)
        except DeployError:
            if action.kind == HEADERS:
                raise
            # The source changed or went since the listing (or the store copies badly): send the bytes.
            return _perform(store, replace(action, kind=UPLOAD, source_key="", source_etag=""), None)
        stored_size = source_record.stored_size if source_record else 0
        return replace(record, stored_size=stored_size, etag=etag), 0, action.kind
    raise ValueError(f"unknown action {action.kind}")


def _count(result, kind, size, stored):
    if kind == UPLOAD:
        result.uploaded += 1
        result.bytes_sent += size
        result.stored_bytes += stored
    elif kind == COPY:
        result.copied += 1
    else:
        result.headers_updated += 1
