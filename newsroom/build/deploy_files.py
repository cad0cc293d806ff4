"""The local side of a deploy: every file of the built site, what it is sent as, and in which group.

Pure: it reads the site folder and the rules (``newsroom/data/deploy.toml`` plus the
settings' own), never the network. :func:`scan_site` walks the site once and gives each
file a :class:`LocalFile`: its path in the site, the SHA-256 of its bytes, the headers it
is stored with (Content-Type, Cache-Control, Content-Encoding) and its upload group.
:func:`upload_body` gives the bytes to send, compressed when the headers say gzip, and
checks on the way that the file is still what was hashed (a build that swapped the site
meanwhile stops the deploy rather than mixing two sites).

The site folder may be a symlink (``output/`` pointing at a versioned folder): it is
resolved once, so the whole deploy reads one version.
"""

import gzip
import hashlib
import os
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from newsroom import DATA_DIR, messages
from newsroom.build import marshal_file

RULES_FILE = DATA_DIR / "deploy.toml"
GZIP = "gzip"
FALLBACK_TYPE = "application/octet-stream"
# gzip level 9 and no timestamp: the same file always gives the same bytes (and MD5).
GZIP_LEVEL = 9
CHUNK = 1 << 20
HASH_CACHE = "deploy-hashes"


class DeployError(Exception):
    """A deploy cannot go on; ``message_id`` and ``params`` name the message (deploy.toml)."""

    def __init__(self, message_id, **params):
        self.message_id = message_id
        self.params = params
        super().__init__(message_id)

    def __str__(self):
        text = messages.text(self.message_id, **self.params)
        fix = messages.fix(self.message_id, **self.params)
        return f"{text} — {fix}" if fix else text


@dataclass(frozen=True)
class Headers:
    """What an object is stored with, besides its bytes."""

    content_type: str
    cache_control: str
    content_encoding: str = ""

    def as_list(self):
        return [self.content_type, self.cache_control, self.content_encoding]


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern
    group: str
    cache: str
    immutable: bool = False


@dataclass(frozen=True)
class Rules:
    """How files are sent: the cache classes, types, gzip and the ordered rules."""

    cache: dict
    types: dict
    gzip_min_size: int
    groups: tuple
    rules: tuple
    gzip: bool = True

    def rule_for(self, path):
        for rule in self.rules:
            if rule.pattern.search(path):
                return rule
        raise DeployError("deploy.no_rule", path=path)

    def content_type(self, path):
        """The type by the longest listed ending of the file name (``all.atom.xml``:
        ``atom.xml`` before ``xml``)."""
        name = path.rsplit("/", 1)[-1].lower()
        parts = name.split(".")
        for start in range(1, len(parts)):
            found = self.types.get(".".join(parts[start:]))
            if found:
                return found
        return FALLBACK_TYPE

    def headers_for(self, path, size):
        rule = self.rule_for(path)
        content_type = self.content_type(path)
        compress = self.gzip and "charset=" in content_type and size >= self.gzip_min_size
        return Headers(content_type, self.cache[rule.cache], GZIP if compress else ""), rule


@lru_cache(maxsize=1)
def _default_table():
    with RULES_FILE.open("rb") as handle:
        return tomllib.load(handle)


def load_rules(gzip_on=True, cache_control=None, extra_rules=()):
    """The rules of ``deploy.toml``, with the settings' changes: ``cache_control``
    replaces cache classes by name (``{"page": "no-cache"}``) and ``extra_rules`` (dicts
    with ``match``, ``group``, ``cache``, optional ``immutable``) come before the file's."""
    table = _default_table()
    cache = dict(table["cache"])
    for name, value in (cache_control or {}).items():
        if name not in cache:
            raise DeployError("deploy.bad_cache_class", name=name, known=", ".join(sorted(cache)))
        cache[name] = str(value)
    groups = tuple(table["groups"]["order"])
    rules = []
    for entry in [*extra_rules, *table["rules"]]:
        if entry.get("group") not in groups:
            raise DeployError("deploy.bad_rule", match=entry.get("match", ""), field="group",
                              known=", ".join(groups))
        if entry.get("cache") not in cache:
            raise DeployError("deploy.bad_rule", match=entry.get("match", ""), field="cache",
                              known=", ".join(sorted(cache)))
        try:
            pattern = re.compile(entry.get("match", ""))
        except re.error:
            raise DeployError("deploy.bad_rule", match=entry.get("match", ""), field="match",
                              known="a Python regular expression") from None
        rules.append(Rule(pattern, entry["group"], entry["cache"], bool(entry.get("immutable", False))))
    return Rules(cache, dict(table["types"]), int(table["gzip"]["min_size"]), groups, tuple(rules), bool(gzip_on))


@dataclass(frozen=True)
class LocalFile:
    """One file of the site as it will be stored."""

    path: str  # in the site, with slashes: "2024/05/14/slug/index.html"
    source: str  # the file's path on disk (a str: 75,000 Path objects cost seconds)
    size: int
    sha256: str
    headers: Headers
    group: str
    immutable: bool


def site_folder(output):
    """The folder the deploy reads: ``output`` resolved (it may be a symlink to a
    versioned folder), which must exist and hold the home page."""
    output = Path(output)
    try:
        site = output.resolve(strict=True)
    except (FileNotFoundError, RuntimeError):
        raise DeployError("deploy.no_site", path=output) from None
    if not site.is_dir() or not (site / "index.html").is_file():
        raise DeployError("deploy.no_site", path=output)
    return site


def file_digest(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def hash_cache_path(output):
    """Where a deploy of ``output`` keeps its file hashes: the output's cache folder
    (``output/`` -> ``output.cache/``), beside the build's own caches."""
    output = Path(output)
    return output.with_name(output.name + ".cache") / HASH_CACHE


def _load_hashes(path):
    """``{(path, size, mtime_ns): sha256}`` of the last two scans, and of the last one.
    The file is framed by its SHA-256 (:mod:`newsroom.build.marshal_file`): damaged, cut
    short or of the format before the digest, it is none (every file is hashed again),
    never a file's hash read wrong."""
    try:
        data = marshal_file.loads(Path(path).read_bytes())  # None: damaged, cut short or older
        return {**data["previous"], **data["current"]}, data["current"]
    except (OSError, TypeError, KeyError):
        return {}, {}


def _save_hashes(path, current, previous):
    try:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(marshal_file.dumps({"current": current, "previous": previous}))
        os.replace(temporary, path)
    except OSError:
        pass  # a cache only: the next deploy hashes again


def scan_site(site, rules, hash_cache=None):
    """``(files, skipped)``: a :class:`LocalFile` for every regular file under ``site``
    (sorted by path), and the paths left out: hidden names (``.something``, as Hugo and
    every web server treat them) and symlinks (a site's files are its own).

    ``hash_cache`` (a file) keeps each file's SHA-256 by its path, size and modification
    time, so that a file unchanged since the last deploy is not read again: at 20,000
    articles the site is ~75,000 files and 770 MB. This relies on what the build does: a
    changed page is written anew (a new modification time), an unchanged one is left
    alone or hard-linked (the same time); two builds alternate between two folders (the
    recycled staging folder), so the last two scans are kept. A file's bytes are checked
    against its hash again when it is uploaded."""
    site = str(site)
    known, last = _load_hashes(hash_cache) if hash_cache else ({}, {})
    seen = {}
    files, skipped = [], []
    stack = [("", site)]
    while stack:
        relative, folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                path = f"{relative}/{entry.name}" if relative else entry.name
                if entry.name.startswith(".") or entry.is_symlink():
                    skipped.append(path + ("/" if entry.is_dir() else ""))
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append((path, entry.path))
                    continue
                if not entry.is_file(follow_symlinks=False):
                    skipped.append(path)
                    continue
                info = entry.stat(follow_symlinks=False)
                key = (path, info.st_size, info.st_mtime_ns)
                sha = known.get(key) or file_digest(entry.path)
                seen[key] = sha
                headers, rule = rules.headers_for(path, info.st_size)
                files.append(LocalFile(path, entry.path, info.st_size, sha, headers, rule.group, rule.immutable))
    if hash_cache:
        _save_hashes(hash_cache, seen, {key: sha for key, sha in last.items() if key not in seen})
    files.sort(key=lambda local: local.path)
    skipped.sort()
    return files, skipped


def upload_body(local):
    """The bytes to store for ``local``: the file's, gzip'd when its headers say so.
    :class:`DeployError` when the file is no longer what :func:`scan_site` hashed."""
    try:
        with open(local.source, "rb") as handle:
            data = handle.read()
    except OSError:
        raise DeployError("deploy.site_changed", path=local.path) from None
    if hashlib.sha256(data).hexdigest() != local.sha256:
        raise DeployError("deploy.site_changed", path=local.path)
    if local.headers.content_encoding == GZIP:
        return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)
    return data
