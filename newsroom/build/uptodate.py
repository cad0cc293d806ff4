"""Is the built site up to date? Fingerprints of a build's inputs and of its output folder.

``newsroom build`` skips Pelican, like make's "nothing to be done", only when both of
these are what they were right after the last successful build:

* the **inputs**: every file under the content folder, the settings files, ``theme/``,
  ``plugins/`` and the ``newsroom`` package (its data included), each by path and
  SHA-256 of its bytes; the installed distributions and their versions, the Python
  version, the environment variables that change a build (:data:`BUILD_ENV_PREFIXES`)
  and the build's own options (publish or not, content and output folders);
* the **output folder**: every folder's and file's relative path, size, modification
  and change time (ns), inode and mode, so a deleted, added, edited or replaced output
  file is noticed (an added or removed entry changes its folder's times);
* the **time**: an article is published at its ``Date`` (newsroom/paper/release.py), so
  the site built for one moment is current only until the next article falls due (or
  the day changes: the check's report sums up today's issues). The stamp keeps that
  window (:meth:`Stamp.current_at`); the clock itself (``NEWSROOM_NOW``) is no input.

Hashing 20,000 articles on every build would cost a third of a second, so a file's
hash is reused when its ``stat`` (device, inode, size, mtime_ns, ctime_ns) is exactly
the one recorded with the hash, as git's index does. The change time cannot be set
back by any tool (``touch -d``, ``cp -p``, ``rsync -t`` and ``tar`` set the mtime, not
the ctime), so a file with new bytes never passes for the old one. A file changed in the
same clock tick as it was recorded could keep its stat; so a hash is trusted only for
files whose ctime is at least :data:`RACY_NS` older than the moment the fingerprint
started (git's "racily clean" entries), and is recomputed every time otherwise.

The input fingerprint is taken *before* the build starts and again after it, and the
build is recorded only when the two agree, file by file in bytes and in stat
(:meth:`InputState.unchanged_in`): a file edited while Pelican runs, even edited back
to its old bytes (its change time moved), keeps the build from being recorded, so the
next build runs again.
"""

import array
import hashlib
import json
import logging
import os
import stat
import platform
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from newsroom import messages
from newsroom.build import marshal_file

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
# Environment variables read by the settings, the plugins, Pelican, Python or the C
# library while building (FASTBUILD_PREVIEW scopes the build, NEWSROOM_SITEURL sets the
# address, LANG/LC_*/TZ can change date formatting, PYTHONPATH what is imported).
BUILD_ENV_PREFIXES = ("FASTBUILD_", "NEWSROOM_", "PELICAN", "PAGEFIND", "JIEBA", "LANG", "LC_", "TZ",
                      "PYTHON", "SOURCE_DATE_EPOCH")
# ... but not these: the moment a build is for is kept as the stamp's window instead (a
# fingerprint of the clock would never match again).
NOT_BUILD_ENV = frozenset({"NEWSROOM_NOW"})
# Hashes are trusted from stat only for files whose ctime is older than this before the
# fingerprint began (covers coarse file-system clocks and a skew against time.time_ns).
RACY_NS = 2_000_000_000
# output_manifest waits at most this long for the file-system clock to move (a clock
# coarser than this, e.g. FAT's 2 s, is only logged).
CLOCK_WAIT_S = 3.0
SKIPPED_DIRS = {"__pycache__", ".pytest_cache", ".git"}
FORMAT = 1
STAMP_FORMAT = 2  # 2: the window of time the site is current for, the release report


def _stat_key(st):
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def _files_under(root):
    """Relative POSIX paths of every file under ``root`` (symlinks followed as Pelican does)."""
    found = []
    root = str(root)
    for folder, dirs, files in os.walk(root, followlinks=True):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        relative = os.path.relpath(folder, root)
        for name in files:
            if name.endswith((".pyc", ".pyo")):
                continue
            found.append(name if relative == "." else f"{relative}/{name}".replace(os.sep, "/"))
    return sorted(found)


@dataclass
class InputState:
    """What a build reads: ``files`` maps ``group:relative path`` to its SHA-256."""

    files: dict = field(default_factory=dict)
    # group:path -> [dev, ino, size, mtime_ns, ctime_ns] for the hashes that may be reused.
    trusted: dict = field(default_factory=dict)
    environment: dict = field(default_factory=dict)
    hashed: int = 0  # files read this time (the rest came from their stat)
    fresh: list = field(default_factory=list)  # their group:path keys
    # group:path -> stat key seen when hashed, for every file (trusted or not), and whether
    # some file changed while it was read (then its hash may not match any one version).
    stats: dict = field(default_factory=dict)
    unsteady: bool = False

    def digest(self):
        text = json.dumps([FORMAT, sorted(self.files.items()), sorted(self.environment.items())],
                          ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def code_digest(self, groups=None):
        """The code and data a check or build runs, without the content: for caches of results.
        With ``groups`` (names of :func:`input_groups`' groups), only their files: the digest
        ``fingerprint_inputs`` of those groups alone would give (:func:`code_groups`)."""
        if groups is None:
            code = sorted((k, v) for k, v in self.files.items() if not k.startswith("content:"))
        else:
            prefixes = tuple(f"{group}:" for group in groups)
            code = sorted((k, v) for k, v in self.files.items() if k.startswith(prefixes))
        env = {k: v for k, v in self.environment.items() if k in ("python", "distributions")}
        text = json.dumps([FORMAT, code, sorted(env.items())], ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def content_hash(self, relative):
        return self.files.get(f"content:{relative}")

    def special_files(self, group="content"):
        """The named pipes, sockets and devices the fingerprint met in ``group`` (their
        "hash" says what they are: :func:`_hash_file` never opens one)."""
        prefix = f"{group}:"
        return sorted(key[len(prefix):] for key, sha in self.files.items()
                      if key.startswith(prefix) and sha and sha.startswith("special:"))

    def unchanged_in(self, later):
        """True when ``later`` (a fingerprint taken after the build) finds every file with
        the same bytes *and* the same stat: a file saved and then saved back between the
        two has the old bytes but a new change time."""
        return (not self.unsteady and not later.unsteady and self.digest() == later.digest()
                and self.stats == later.stats)

    def changes_in(self, later):
        """What differs in ``later``: the ``group:path`` keys of the files added, removed,
        changed in bytes or in stat, or read while they changed (then ``unchanged_in`` is
        False), and the names of the environment's parts that differ (``distributions``,
        ``variables``...). A build that is not recorded says which, so that whoever
        changed an input during a build can be found (an ``npm ci`` in a shared
        ``node_modules``, an editor's save)."""
        files = sorted(key for key in self.files.keys() | later.files.keys()
                       if self.files.get(key) != later.files.get(key)
                       or self.stats.get(key) != later.stats.get(key)
                       or self.stats.get(key) is None or later.stats.get(key) is None)
        parts = sorted(name for name in self.environment.keys() | later.environment.keys()
                       if self.environment.get(name) != later.environment.get(name))
        return files, parts


def _hash_file(path, known, started_ns):
    """``(sha256, stat key, trusted)``; ``known`` is a recorded ``(stat key, sha)``; the
    stat key is None when the file changed while it was read."""
    try:
        before = os.stat(path)
    except OSError:
        return None, None, False
    key = _stat_key(before)
    if not stat.S_ISREG(before.st_mode):  # a named pipe: opening it would wait for ever
        return f"special:{stat.S_IFMT(before.st_mode):o}", key, True
    if known and known[0] == key:
        return known[1], key, True
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        after = os.stat(path)
    except OSError:
        return None, None, False
    sha = digest.hexdigest()
    if _stat_key(after) != key:
        return sha, None, False
    # Changed so recently that one more change could keep its stat: hashed every time.
    return sha, key, before.st_ctime_ns < started_ns - RACY_NS


def input_groups(content, settings_files):
    """``{group: folder or file}``: what a build reads besides the installed packages."""
    groups = {"content": Path(content), "theme": ROOT / "theme", "plugins": ROOT / "plugins",
              "newsroom": ROOT / "newsroom",
              # the page-image viewer the build copies into the site (plugins/pageimages)
              "viewer": ROOT / "node_modules" / "openseadragon" / "package.json"}
    for settings in settings_files:
        groups[f"settings/{Path(settings).name}"] = Path(settings)
    return groups


def _distribution_sources(started_ns):
    """``(signature, steady)``: what :func:`importlib.metadata.distributions` reads to list
    the installed distributions and their versions — each ``sys.path`` entry, and in each
    folder every ``*.dist-info``/``*.egg-info`` with the stat of its metadata file — as one
    digest; ``steady`` when every stat is older than :data:`RACY_NS` before ``started_ns``.

    Installing, upgrading or removing a package adds or removes such a folder (its name
    carries the version), and editing a metadata file in place changes its change time,
    which cannot be set back: the same signature lists the same distributions. Listing
    them parses ~140 metadata files with the email parser (~50 ms, a quarter of an
    up-to-date build's CPU); the signature costs a listing and a stat each."""
    parts = []
    steady = True
    for entry in sys.path:
        folder = entry or os.getcwd()
        try:
            st = os.stat(folder)
        except OSError:
            parts.append((entry, None))
            continue
        if not stat.S_ISDIR(st.st_mode):  # a zip or an egg on the path
            parts.append((entry, _stat_key(st)))
            steady = steady and st.st_ctime_ns < started_ns - RACY_NS
            continue
        # The folder's own stat: adding or removing an entry moves its times, which never
        # go back, so a package installed and removed again never brings back an old
        # signature (and an old memo listing it).
        parts.append((entry, "folder", st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
        steady = steady and st.st_ctime_ns < started_ns - RACY_NS
        found = []
        try:
            with os.scandir(folder) as scan:
                names = sorted(e.name for e in scan if e.name.endswith((".dist-info", ".egg-info")))
        except OSError:
            names = None
        for name in names or ():
            path = os.path.join(folder, name)
            try:
                st = os.stat(path)
                if stat.S_ISDIR(st.st_mode):
                    metadata = os.path.join(path, "METADATA" if name.endswith(".dist-info") else "PKG-INFO")
                    st = os.stat(metadata)
            except OSError:
                found.append((name, None))
                continue
            found.append((name, _stat_key(st)))
            steady = steady and st.st_ctime_ns < started_ns - RACY_NS
        parts.append((entry, names is not None, found))
    signature = hashlib.sha256(repr(parts).encode("utf-8", "surrogateescape")).hexdigest()
    return signature, steady


DISTRIBUTIONS_MEMO = "environment:distributions"  # its key among InputState.trusted's (no group has it)


def installed_distributions(memo=None, started_ns=None):
    """``(listing, memo)``: every installed distribution as ``name==version``, one a line,
    sorted; ``memo`` (``[signature, listing]``, kept with the trusted hashes) gives the
    listing without reading the metadata while :func:`_distribution_sources` gives the
    same signature; the memo returned is None when the sources changed too recently."""
    started_ns = time.time_ns() if started_ns is None else started_ns
    signature, steady = _distribution_sources(started_ns)
    if (isinstance(memo, (list, tuple)) and len(memo) == 2 and memo[0] == signature
            and isinstance(memo[1], str)):
        return memo[1], [signature, memo[1]]
    import importlib.metadata  # noqa: PLC0415 — with email's parser, only when the packages changed

    listing = "\n".join(sorted({f"{(d.metadata['Name'] or '').lower()}=={d.version}"
                                for d in importlib.metadata.distributions()}))
    # A package installed or removed while it was listed: the listing may hold what the
    # signature taken before does not describe; kept only when the sources stayed.
    after, steady_after = _distribution_sources(started_ns)
    if after != signature:
        return listing, None
    return listing, [signature, listing] if steady and steady_after else None


def code_groups(root=None):
    """The groups of the code pages are made by (``plugins/`` and the ``newsroom``
    package with its data; templates are recorded page by page): the render record's
    code digest (fastbuild's ``NEWSROOM_CODE_DIGEST``), which ``newsroom build`` takes from
    its own fingerprint (``InputState.code_digest(code_groups())``) rather than have the
    Pelican child hash those ~200 files and list the packages again (~0.14 CPU-s a build)."""
    root = Path(root or ROOT)
    return {"plugins": root / "plugins", "newsroom": root / "newsroom"}


PLATFORM_MEMO = "environment:platform"  # its key among InputState.trusted's


def platform_text(memo=None):
    """``(platform.platform(), memo)``. On Linux that function runs ``uname -p`` in a child
    process (~20 ms of an up-to-date build's ~0.2 CPU-s); the memo (``[key, text]``) gives
    its answer while the kernel's ``uname``, the C library's version and the interpreter are
    the ones it was computed for."""
    try:
        libc = os.confstr("CS_GNU_LIBC_VERSION")
    except (AttributeError, ValueError, OSError):
        libc = None
    key = repr((tuple(os.uname()), libc, sys.version, sys.executable))
    if isinstance(memo, (list, tuple)) and len(memo) == 2 and memo[0] == key and isinstance(memo[1], str):
        return memo[1], [key, memo[1]]
    text = platform.platform()
    return text, [key, text]


def build_environment(options, memo=None, started_ns=None, platform_memo=None):
    """Everything outside the files that changes what a build writes; with ``memo`` (see
    :func:`installed_distributions`) ``(environment, memo)``; with ``platform_memo`` too
    (:func:`platform_text`) ``(environment, memo, platform memo)``."""
    distributions, new_memo = installed_distributions(memo, started_ns)
    system, new_platform_memo = platform_text(platform_memo)
    env = {name: value for name, value in os.environ.items()
           if name.startswith(BUILD_ENV_PREFIXES) and name not in NOT_BUILD_ENV}
    environment = {"python": f"{sys.version} {sys.executable} {system}",
                   "distributions": distributions, "variables": json.dumps(sorted(env.items())),
                   "options": json.dumps(options, sort_keys=True)}
    if platform_memo is not None:
        return environment, new_memo, new_platform_memo
    return environment if memo is None else (environment, new_memo)


def fingerprint_inputs(groups, options, previous=None):
    """The :class:`InputState` of ``groups`` (see :func:`input_groups`) and ``options``;
    hashes of files whose stat matches ``previous`` (an earlier state's ``trusted``) are reused,
    and so is its listing of the installed distributions while their metadata keep their stat."""
    started_ns = time.time_ns()
    previous = previous or {}
    environment, memo, platform_memo = build_environment(options, previous.get(DISTRIBUTIONS_MEMO, False),
                                                         started_ns, previous.get(PLATFORM_MEMO, False))
    state = InputState(environment=environment)
    if memo is not None:
        state.trusted[DISTRIBUTIONS_MEMO] = memo
    state.trusted[PLATFORM_MEMO] = platform_memo
    for group, root in groups.items():
        root = Path(root)
        names = [""] if root.is_file() else _files_under(root) if root.is_dir() else []
        for name in names:
            key = f"{group}:{name}"
            path = root / name if name else root
            known = previous.get(key)
            sha, stat_key, trusted = _hash_file(path, (known[:5], known[5]) if known else None, started_ns)
            if sha is None:
                continue  # vanished while listed: the next build sees it gone
            if not (known and known[:5] == stat_key):
                state.hashed += 1
                state.fresh.append(key)
            state.files[key] = sha
            state.stats[key] = stat_key
            if stat_key is None:
                state.unsteady = True
            elif trusted:
                state.trusted[key] = stat_key + [sha]
    return state


CONTENT_STAMPS = "content-stamps.marshal"


def write_content_stamps(state, content, cache):
    """Write, for the build's Pelican child (``NEWSROOM_CONTENT_STAMPS``), the SHA-256 of
    each content file ``state`` (:func:`fingerprint_inputs`) trusts, with the stat it was
    trusted at, by absolute path; the file's path.

    Pelican otherwise reads and hashes every source again to decide which articles its
    content cache still holds (``CHECK_MODIFIED_METHOD = "md5"``: ~0.8 CPU-s at 20,000
    articles), where the fingerprint has just hashed the changed files and knows the others
    by their stat. A hash holds for a file only while its stat is still the recorded one
    (:func:`stamp_holds`): Pelican asks a file's stamp after reading it, and a file saved
    during the build (even saved back) has another change time, so its stamp is then
    Pelican's own hash of the bytes it finds. Files hashed this time but not trusted (changed
    within :data:`RACY_NS` of the fingerprint, or while read) are left out, like pipes.
    Framed by :func:`newsroom.build.marshal_file.dumps` (read with its ``loads``)."""
    prefix = "content:"
    stamps = {str(Path(content) / key[len(prefix):]): [list(value[:5]), value[5]]
              for key, value in state.trusted.items()
              if key.startswith(prefix) and isinstance(value[5], str) and not value[5].startswith("special:")}
    path = Path(cache) / CONTENT_STAMPS
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(marshal_file.dumps(stamps))
    os.replace(temporary, path)
    return path


_READ_STAMPS = {}  # path -> (its stat, the table): one read per process for all readers


def read_content_stamps(path):
    """The table :func:`write_content_stamps` wrote at ``path`` (absolute source path ->
    ``[stat key, sha]``), or None: no path, unreadable, damaged or of an older format. Read
    once per process while the file's stat holds (Pelican's content cache and the topics
    plugin both ask)."""
    if not path:
        return None
    try:
        st = os.stat(path)
        key = (st.st_ino, st.st_size, st.st_mtime_ns)
        kept = _READ_STAMPS.get(path)
        if kept is not None and kept[0] == key:
            return kept[1]
        stamps = marshal_file.loads(Path(path).read_bytes())  # None: damaged, cut short or older
    except OSError:
        return None
    stamps = stamps if isinstance(stamps, dict) else None
    _READ_STAMPS[path] = (key, stamps)
    return stamps


def held_stamp(stamps, path):
    """The SHA-256 ``stamps`` (:func:`read_content_stamps`) holds for the source ``path``
    while its stat is the recorded one (:func:`stamp_holds`), else None."""
    recorded = stamps.get(os.path.abspath(path))
    return stamp_holds(path, recorded) if recorded is not None else None


def stamp_holds(path, recorded):
    """The SHA-256 of ``recorded`` (``[stat key, sha]`` of :func:`write_content_stamps`)
    when ``path``'s stat is still that stat key, else None. The change time cannot be set
    back and the recorded one is older than :data:`RACY_NS`, so a file with that stat has
    the recorded bytes."""
    try:
        stat_key, sha = recorded
        return sha if _stat_key(os.stat(path)) == stat_key else None
    except (OSError, TypeError, ValueError):
        return None


def wait_for_clock_tick(folder):
    """Return once the file-system clock has moved on: a probe file in ``folder`` (on
    the output's file system) is changed until its change time exceeds the one its first
    change got. Every change made before the call then has an older ctime than any change
    made after it returns. Costs one tick of the clock (a few milliseconds on Linux)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    probe = folder / ".clock-probe"
    deadline = time.monotonic() + CLOCK_WAIT_S
    with open(probe, "wb") as handle:
        handle.write(b"0")
        handle.flush()
        first = os.fstat(handle.fileno()).st_ctime_ns
        while True:
            time.sleep(0.001)
            os.fchmod(handle.fileno(), 0o644 if os.fstat(handle.fileno()).st_mode & 0o100 else 0o744)
            if os.fstat(handle.fileno()).st_ctime_ns > first:
                return True
            if time.monotonic() > deadline:
                log.warning("%s", messages.text("build.clock_stuck", folder=folder, seconds=f"{CLOCK_WAIT_S:.0f}"))
                return False


def output_manifest(output, probe_dir=None):
    """Every folder and file under ``output`` with its stat: ``(relative paths, numbers)``,
    the numbers five per entry (size, mtime_ns, ctime_ns, inode, mode) in an ``array``
    (150,000 entries at 20,000 articles load in milliseconds); ``None`` without the folder.

    First waits until the file-system clock has moved past every change made so far
    (:func:`wait_for_clock_tick`, probing in ``probe_dir``, which must be on the output's
    file system and outside it; default: the output's parent folder), so that a file
    changed after it is recorded gets a newer ctime than the one recorded."""
    root = str(output)
    if not os.path.isdir(root):
        return None
    wait_for_clock_tick(probe_dir if probe_dir is not None else Path(output).resolve().parent)
    entries = []
    stack = [("", root)]
    while stack:
        relative, folder = stack.pop()
        st = os.stat(folder, follow_symlinks=False)
        # A folder's size is its file system's bookkeeping: its times say enough (-1: not compared).
        entries.append((relative, -1, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_mode))
        with os.scandir(folder) as scan:
            for entry in scan:
                name = f"{relative}/{entry.name}" if relative else entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((name, entry.path))
                else:
                    st = entry.stat(follow_symlinks=False)
                    entries.append((name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_mode))
    entries.sort()
    numbers = array.array("q")
    for entry in entries:
        numbers.extend(entry[1:])
    return [entry[0] for entry in entries], numbers.tobytes()


def output_unchanged(output, manifest):
    """True when every folder and file recorded in ``manifest`` has the same stat.

    A folder's mtime and ctime change whenever an entry is added to it, removed or
    renamed, and a file's whenever its bytes or mode change, so stat-ing what was
    recorded (without listing folders again, which costs more than the stats) finds
    every deleted, added, edited or replaced file."""
    if not manifest:
        return False
    names, packed = manifest
    numbers = array.array("q")
    numbers.frombytes(packed)
    if len(numbers) != 5 * len(names):
        return False
    root = str(output)
    join, stat_of = os.path.join, os.stat
    column = iter(numbers)
    for relative, size, mtime_ns, ctime_ns, inode, mode in zip(names, column, column, column, column, column):
        try:
            st = stat_of(join(root, relative) if relative else root, follow_symlinks=False)
        except OSError:
            return False
        if (st.st_mtime_ns != mtime_ns or st.st_ctime_ns != ctime_ns or st.st_ino != inode
                or st.st_mode != mode or (size >= 0 and st.st_size != size)):
            return False
    return True


@dataclass
class Stamp:
    """What the last successful build recorded (``newsroom-build-stamp`` in the output's
    cache folder): the input digest, the trusted stats of the inputs, the output manifest,
    the check report printed before the build, the window of time the site is current
    for (``built_for`` .. ``valid_until``, ISO moments) and what the build left out then
    (the release report). Stored with marshal: the 150,000 entries of a 20,000-article
    site load in milliseconds (JSON: a quarter of a second), behind its SHA-256
    (:mod:`newsroom.build.marshal_file`): a damaged file, or one of the format before the
    digest, is no stamp (the site is built), never a report or a window read wrong."""

    inputs: str = ""
    output: list = None
    trusted: dict = field(default_factory=dict)
    report: str = ""
    built_for: str = ""
    valid_until: str = ""
    release_report: str = ""

    def current_at(self, now):
        """True when the site built for ``built_for`` is still the one due at ``now`` (an
        aware datetime): no article fell due since, and the clock did not go back before it."""
        try:
            built_for = datetime.fromisoformat(self.built_for)
            valid_until = datetime.fromisoformat(self.valid_until)
        except (TypeError, ValueError):
            return False
        return built_for <= now < valid_until

    @classmethod
    def load(cls, path):
        try:
            data = marshal_file.loads(Path(path).read_bytes())  # None: damaged, cut short or older
            if not isinstance(data, dict) or data.get("format") != STAMP_FORMAT:
                return cls()
            return cls(data["inputs"], data["output"], data["trusted"], data["report"], data["built_for"],
                       data["valid_until"], data["release_report"])
        except (OSError, KeyError):
            return cls()

    def save(self, path):
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(marshal_file.dumps({
            "format": STAMP_FORMAT, "inputs": self.inputs, "output": self.output, "trusted": self.trusted,
            "report": self.report, "built_for": self.built_for, "valid_until": self.valid_until,
            "release_report": self.release_report}))
        os.replace(temporary, path)


def forget(path):
    """Remove a stamp (before a build starts, so an interrupted build never looks up to date)."""
    try:
        Path(path).unlink()
    except FileNotFoundError:
        pass
