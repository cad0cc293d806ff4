"""What each page was rendered from, kept from one build to the next (no Pelican here).

A build writes every page again only if something it was made from changed. While a
page's templates render, a :class:`Recorder` notes everything they read:

* **names** of the template context (``articles``, ``SITENAME``, ``article``…), through
  Jinja's context lookup;
* **attributes of tracked objects** (articles, pages, a plugin's topic pages), through
  their class's ``__getattribute__`` (:func:`tracking_getattribute`), whoever reads them:
  a template, a filter, a property, a plugin's function;
* **templates** loaded (the page's own, what it extends, includes and imports);
* **files** opened while rendering.

After the build, each page's record is the list of those reads, a digest of the values
of all of them but the tracked objects' attributes (:meth:`Build.local_key`), and, once
for the build, a digest of the value of every attribute some page read of each tracked
object. The next build computes them again with the values it has now; a page whose
digest is unchanged and none of whose attributes read changed value is not rendered but
taken from the published site. Values are compared by
:class:`newsroom.build.fingerprint.Fingerprints`; a tracked object by the values of the
attributes *this page* read of it, so one article's page depends on what it shows of
its related articles, and a page with a topic's badge on its name and address, not on
the topic's article list.

Whatever the build depends on but no page reads by name — the settings, the code, the
Python and package versions — is the record's *global digest*: when it differs, or the
record is missing or of another :data:`VERSION`, every page is rendered (a full build).

A render that keeps a memo across pages (a list item rendered once and reused) must
carry its reads to every page that uses the memo: :func:`capture` and :func:`replay`.
"""

import contextlib
import hashlib
import logging
import os
import types
from collections import namedtuple
from pathlib import Path

from newsroom.build import marshal_file
from newsroom.build.fingerprint import Opaque, combine

log = logging.getLogger(__name__)

VERSION = "renderdeps-5"
RECORD_FILE = "render-record"
MANIFEST_FOLDER = "site-manifests"
MANIFESTS_KEPT = 4  # the published site, the one being built, and older recycled ones
MISSING = "missing"
# Attributes whose reads are not recorded: the settings (compared as a whole in the
# global digest), the shared context (what is found through it is recorded when read),
# the class (part of the key).
NOT_RECORDED = frozenset({"settings", "_context", "__class__"})

_STATE = [None]  # the Recorder of the render in progress, or None


class Recorder:
    """The reads of one page (or one memoised part of a page) while it renders."""

    __slots__ = ("names", "objects", "templates", "files", "opaque")

    def __init__(self):
        self.names = set()
        self.objects = {}  # id(object) -> (object, set of attribute names)
        self.templates = set()
        self.files = set()
        self.opaque = []

    def read(self, obj, attribute):
        entry = self.objects.get(id(obj))
        if entry is None:
            self.objects[id(obj)] = entry = (obj, set())
        entry[1].add(attribute)

    def merge(self, other):
        """Add the reads of ``other``: a :class:`Recorder` or its :meth:`captured` form."""
        self.names.update(other.names)
        for obj, attributes in (other.objects.values() if isinstance(other, Recorder) else other.objects):
            entry = self.objects.get(id(obj))
            if entry is None:
                self.objects[id(obj)] = (obj, set(attributes))
            else:
                entry[1].update(attributes)
        self.templates.update(other.templates)
        self.files.update(other.files)
        self.opaque.extend(other.opaque)

    def captured(self):
        """The reads as an immutable :class:`Captured`, objects still as objects, to keep
        with a memo for the rest of the build (:func:`replay` merges it into a page).

        A Recorder is five hash tables plus a set per object read: ~4 KB for a list item
        (three objects, ~50 attributes), and a build keeps one per article per Jinja
        environment listing it (~370,000 at 100,000 articles). Here each tuple of names
        is shared with every equal one, so a kept item costs its objects' pairs alone."""
        return Captured(_shared(tuple(sorted(self.names))),
                        tuple((obj, _shared(tuple(sorted(attributes)))) for obj, attributes in self.objects.values()),
                        _shared(tuple(sorted(self.templates))), _shared(tuple(sorted(self.files))),
                        tuple(self.opaque))

    def frozen(self, key_of):
        """The reads as plain data (:class:`Reads`): ``objects`` a tuple of ``(key,
        attributes)`` pairs sorted by key."""
        objects = {}
        opaque = list(self.opaque)
        for obj, attributes in self.objects.values():
            key = key_of(obj)
            if key is None:
                opaque.append(f"an object of {type(obj).__qualname__} without a key")
                continue
            objects.setdefault(key, set()).update(attributes)
        # Interned: most pages read the same names, templates and attributes of the same
        # articles, and every page's reads are kept until the build ends (240,778 pages at
        # 100,000 articles; one copy each was ~20 KB an article at 2,000 articles; a
        # worker's pickle keeps the sharing). Each (key, attributes) pair is one shared
        # tuple too, so a page keeps a tuple of references: a dict of its own was ~500
        # bytes a page at 2,000 articles, ~4 times the tuple.
        return Reads(_shared(tuple(sorted(self.names))),
                     tuple(_shared((_shared(key), _shared(tuple(sorted(objects[key]))))) for key in sorted(objects)),
                     _shared(tuple(sorted(self.templates))), _shared(tuple(sorted(self.files))), tuple(opaque))


_SHARED = {}  # one copy of each equal key or tuple in this build's reads


def _shared(value):
    return _SHARED.setdefault(value, value)


Reads = namedtuple("Reads", "names objects templates files opaque")
# A memoised render's reads (Recorder.captured): ``objects`` is a tuple of
# (object, attribute names) pairs, in the order they were first read.
Captured = namedtuple("Captured", "names objects templates files opaque")


def same_reads(one, other):
    """Whether two :class:`Captured` hold the same reads of the same objects (identity)."""
    return (one.names == other.names and one.templates == other.templates and one.files == other.files
            and one.opaque == other.opaque and len(one.objects) == len(other.objects)
            and all(a is b and x == y for (a, x), (b, y) in zip(one.objects, other.objects)))


def current():
    return _STATE[0]


@contextlib.contextmanager
def recording(recorder):
    """Record into ``recorder`` for the duration (the previous recorder is restored)."""
    saved = _STATE[0]
    _STATE[0] = recorder
    try:
        yield recorder
    finally:
        _STATE[0] = saved


class _Paused:
    """Nothing is recorded for the duration (the build's own bookkeeping). A class rather
    than a ``contextlib`` generator: the check of a rebuild pauses once per attribute
    value and per tracked object it fingerprints (~8 % of that phase went to the
    generator's machinery)."""

    __slots__ = ("saved",)

    def __enter__(self):
        self.saved = _STATE[0]
        _STATE[0] = None

    def __exit__(self, *exc_info):
        _STATE[0] = self.saved
        return False


def paused():
    return _Paused()


@contextlib.contextmanager
def capture():
    """Record a memoised render apart, to :func:`replay` it wherever the memo is used
    (keep ``recorder.captured()``, not the recorder); what it reads also counts for the
    page that renders it first."""
    outer = _STATE[0]
    recorder = Recorder()
    _STATE[0] = recorder
    try:
        yield recorder
    finally:
        _STATE[0] = outer
        if outer is not None:
            outer.merge(recorder)


def replay(captured):
    """Add the reads of a memoised render (from :func:`capture`, as a Recorder or as
    :class:`Captured`) to the page being rendered."""
    recorder = _STATE[0]
    if recorder is not None and captured is not None:
        recorder.merge(captured)


def note_name(name):
    recorder = _STATE[0]
    if recorder is not None:
        recorder.names.add(name)


def note_template(name):
    recorder = _STATE[0]
    if recorder is not None:
        recorder.templates.add(name)


def note_file(path):
    recorder = _STATE[0]
    if recorder is not None:
        recorder.files.add(os.path.abspath(path))


def refuse(why):
    """The page being rendered read something that cannot be compared: render it every time."""
    recorder = _STATE[0]
    if recorder is not None:
        recorder.opaque.append(why)


def tracking_getattribute(original):
    """A ``__getattribute__`` that records, while a page renders, each attribute read."""
    state = _STATE
    skipped = NOT_RECORDED

    def __getattribute__(self, name):
        recorder = state[0]
        if recorder is not None and name not in skipped:
            entry = recorder.objects.get(id(self))
            if entry is None:
                recorder.objects[id(self)] = entry = (self, set())
            entry[1].add(name)
        return original(self, name)

    __getattribute__.tracking = True
    return __getattribute__


# --- the record kept between builds -----------------------------------------------------
# ``local``: the digest of what the page read besides tracked objects (signature, context
# names, templates, files); what it read of tracked objects is ``objects``, ``(key,
# attributes)`` pairs compared through :attr:`Record.object_digests`, attribute by
# attribute (a page is unchanged when ``local`` is and none of the attributes it read of
# any object has another value).
JobRecord = namedtuple("JobRecord", "outputs names objects templates files local")


class Record:
    """The last build's pages: ``jobs`` (name -> :class:`JobRecord`), the ``global_digest``
    it was made under and the ``site`` folder (:func:`folder_id`) its pages were written to.

    ``objects``: tracked object key -> every attribute any page read of it (the union, a
    sorted tuple); ``object_digests``: key -> the digests of those attributes' values in
    that build, :data:`ATTRIBUTE_DIGEST` bytes each in the same order (:data:`MISSING` for
    a key no object had). Comparing them now tells which attributes of which objects
    changed (:meth:`Build.changed_attributes`); a page that read none of them is unchanged
    in what it read of objects, whatever else it read of them.

    A record holds only for the site it describes: a build that was stopped after Pelican
    (its staging folder discarded) or a rollback leaves another site published, whose
    pages were made from other inputs, so a record of another site is no record.

    The file is framed by its SHA-256 (:mod:`newsroom.build.marshal_file`): one damaged,
    cut short or of the format before the digest is no record (every page is rendered),
    never a page's key or outputs read wrong."""

    def __init__(self, global_digest="", jobs=None, site="", objects=None, object_digests=None):
        self.global_digest = global_digest
        self.jobs = jobs or {}
        self.site = site
        self.objects = objects or {}
        self.object_digests = object_digests or {}

    @classmethod
    def load(cls, cache):
        path = Path(cache) / RECORD_FILE
        try:
            data = marshal_file.loads(path.read_bytes())
            if data is None:  # damaged, cut short, or the format before the digest (once, after an update)
                log.info("renderdeps: %s is damaged or of an older format: every page is rendered", path)
                return cls()
            if not isinstance(data, dict) or data.get("version") != VERSION:
                return cls()
            jobs = {name: JobRecord(*fields) for name, fields in data["jobs"].items()}
            return cls(data["global"], jobs, data["site"], data["objects"], data["object_digests"])
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError, KeyError, TypeError) as error:
            log.warning("renderdeps: ignoring an unreadable %s (%s): every page is rendered", path, error)
            return cls()

    def save(self, cache):
        path = Path(cache) / RECORD_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": VERSION, "global": self.global_digest, "site": self.site,
                "jobs": {name: tuple(job) for name, job in self.jobs.items()},
                "objects": self.objects, "object_digests": self.object_digests}
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(marshal_file.dumps(data))
        os.replace(temporary, path)

    @staticmethod
    def forget(cache):
        with contextlib.suppress(FileNotFoundError):
            (Path(cache) / RECORD_FILE).unlink()


ATTRIBUTE_DIGEST = 16  # bytes of one attribute value's digest in Record.object_digests
LOCAL_PARTS_MEMO = 50_000  # context-name parts memoised by Build.local_key before the memo is emptied


class _Every:
    """:meth:`Build.changed_attributes` of an object gone, or whose digests cannot be
    compared attribute by attribute: every attribute a page read of it changed."""

    def isdisjoint(self, attributes):
        return False

    def __repr__(self):
        return "EVERY"


EVERY = _Every()


class Build:
    """One build's view of the values pages were rendered from.

    ``record``: the last build's :class:`Record`; ``fingerprints``: a
    :class:`~newsroom.build.fingerprint.Fingerprints` for this build; ``objects``: key ->
    tracked object of this build (:data:`AMBIGUOUS` where two objects share a key);
    ``template_source(environment, name)``: a template's source and file name;
    ``global_digest``: settings, code and versions; ``site``: the :func:`folder_id` of the
    site unchanged pages are taken from (the record must be that site's);
    ``method_wrappers``: descriptor types that make methods of functions (``func``).
    """

    def __init__(self, record, fingerprints, objects, template_source, global_digest, site="", method_wrappers=()):
        usable = record.global_digest == global_digest and record.site == site
        self.record = record if usable else Record()
        self.full = not self.record.jobs
        self.fingerprints = fingerprints
        self.objects = objects
        self.template_source = template_source
        self.global_digest = global_digest
        # key -> (attributes, their digests now): one entry per object, the union of what
        # pages read of it (a memo per (object, attributes) pair, or of every attribute's
        # token, was ~200 bytes an attribute read, ~0.7 GB at 100,000 articles).
        self._object_digests = {}
        self.unreadable = {}  # key -> {attribute: why its value cannot be compared}, or why for the whole key
        self._template_digests = {}
        self._file_digests = {}
        self._changed = None  # key -> changed attributes (EVERY) of the record's objects
        self._verdicts = {}  # id(a record's objects tuple) -> (the tuple, whether it read a changed attribute)
        # Encoded parts of local keys: (name, id(value)) -> (value, part); the value kept
        # alive, so its id stays its own. Thousands of pages read the same ~15 names of one
        # shared context: each part is made once, not once a page.
        self._local_parts = {}
        self._template_parts = {}  # (id(environment), names) -> their encoded parts
        self._global_part = global_digest.encode("utf-8", "surrogatepass") + b"\x1f"
        self.explained = None  # key -> attribute tokens, when a developer asks why pages render
        self.method_wrappers = tuple(method_wrappers)
        self._class_methods = {}  # (class, attribute) -> the method's qualified name or None

    # Digests of what a page read.
    def attribute_digests(self, key, attributes):
        """The digests of the values of ``attributes`` (a sorted tuple) of the tracked
        object ``key`` now, :data:`ATTRIBUTE_DIGEST` bytes each in that order;
        :data:`MISSING` when no object of this build has the key. An attribute whose value
        cannot be compared (and every attribute of a key two objects share) has random
        bytes, never equal to a recorded digest, and is noted in :attr:`unreadable`."""
        found = self._object_digests.get(key)
        if found is not None and found[0] == attributes:
            return found[1]
        obj = self.objects.get(key)
        if obj is None:
            digests = MISSING
        elif obj is AMBIGUOUS:
            self.unreadable[key] = f"two objects have the key {key}"
            digests = os.urandom(ATTRIBUTE_DIGEST * len(attributes))
        else:
            known = {}
            if found is not None and isinstance(found[1], bytes):  # the union grew: keep what is known
                size = ATTRIBUTE_DIGEST
                known = {attribute: found[1][i * size:(i + 1) * size] for i, attribute in enumerate(found[0])}
            with paused(), self.fingerprints.transient():
                digests = b"".join([known.get(attribute) or self._attribute_digest(key, obj, attribute)
                                    for attribute in attributes])
        self._object_digests[key] = (attributes, digests)
        return digests

    def _attribute_digest(self, key, obj, attribute):
        try:
            token = self._attribute_token(key, obj, attribute)
        except Opaque as error:
            self.unreadable.setdefault(key, {})
            if isinstance(self.unreadable[key], dict):
                self.unreadable[key][attribute] = str(error)
            return os.urandom(ATTRIBUTE_DIGEST)
        if self.explained is not None:
            self.explained.setdefault(key, set()).add(token)
        return hashlib.blake2b(token.encode("utf-8", "surrogatepass"), digest_size=ATTRIBUTE_DIGEST).digest()

    def _attribute_token(self, key, obj, attribute):
        """The token of one attribute's value (within :func:`paused` and the fingerprints'
        ``transient``, entered once per object by :meth:`attribute_digests`).

        An attribute that is a method of the object's class the instance does not shadow
        stands for the method's qualified name: its value, a method bound to the object
        itself, is the same in every build of the same code (which is in the global
        digest) for the same key, and what the method reads of the object when a page
        calls it goes through the object's ``__getattribute__`` and is recorded as reads of
        their own. An article's ``get_content``, ``get_summary`` (Pelican's ``memoized``,
        ``method_wrappers``) and five more were ~20 % of fingerprinting every object."""
        kind = type(obj)
        memo_key = (kind, attribute)
        method = self._class_methods.get(memo_key, _UNKNOWN)
        if method is _UNKNOWN:
            method = self._class_methods[memo_key] = _class_method(kind, attribute, self.method_wrappers)
        if method is not None and not _shadowed(obj, attribute):
            return f"{attribute}:m{method}"
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            return f"{attribute}:{MISSING}"
        except Exception as error:  # noqa: BLE001 — a property that fails: no reliable value
            raise Opaque(f"{key}.{attribute} raised {error.__class__.__name__}") from None
        return f"{attribute}:{self.fingerprints.safe_token(value)}"

    def object_digest(self, key, attributes):
        """One digest of the values of ``attributes`` of the object ``key`` now (for
        :meth:`key_parts`, which explains a page's inputs)."""
        digests = self.attribute_digests(key, attributes)
        reason = self.unreadable.get(key)
        if isinstance(reason, str) or (reason and not reason.keys().isdisjoint(attributes)):
            raise Opaque(reason if isinstance(reason, str) else next(iter(reason.values())))
        return digests if digests is MISSING else combine((digests,)).hex()

    def unreadable_reason(self, objects):
        """Why a page that read ``objects`` (``(key, attributes)`` pairs, their digests
        computed) read a value that cannot be compared, else None."""
        if not self.unreadable:
            return None
        for key, attributes in objects:
            reason = self.unreadable.get(key)
            if isinstance(reason, str):
                return reason
            if reason:
                for attribute in attributes:
                    if attribute in reason:
                        return reason[attribute]
        return None

    def template_digest(self, environment, name):
        memo_key = (id(environment), name)
        found = self._template_digests.get(memo_key)
        if found is None:
            try:
                source, filename = self.template_source(environment, name)
                found = combine([filename or "", source]).hex()
            except Exception:  # noqa: BLE001 — a template that is gone: the page must render (and fail)
                found = MISSING
            self._template_digests[memo_key] = found
        return found

    def file_digest(self, path):
        found = self._file_digests.get(path)
        if found is None:
            try:
                found = hashlib.sha256(Path(path).read_bytes()).hexdigest()
            except OSError:
                found = MISSING
            self._file_digests[path] = found
        return found

    def local_key(self, signature, names, templates, files, lookup, environment):
        """The digest of what a page read besides tracked objects (:class:`JobRecord`'s
        ``local``): :func:`combine` of :meth:`key_parts` without objects, each part made
        once for every page that reads the same name with the same value."""
        parts = [self._global_part, signature.encode("utf-8", "surrogatepass"), b"\x1f"]
        memo = self._local_parts
        token = self.fingerprints.safe_token
        for name in names:
            value = lookup(name)
            memo_key = (name, id(value))
            found = memo.get(memo_key)
            if found is None or found[0] is not value:
                part = f"n{name}=" + (MISSING if value is MISSING else token(value))
                if len(memo) >= LOCAL_PARTS_MEMO:
                    memo.clear()
                found = memo[memo_key] = (value, part.encode("utf-8", "surrogatepass") + b"\x1f")
            parts.append(found[1])
        template_key = (id(environment), templates)
        found = self._template_parts.get(template_key)
        if found is None or found[0] is not environment:
            encoded = b"".join([f"t{name}={self.template_digest(environment, name)}".encode("utf-8", "surrogatepass")
                                + b"\x1f" for name in templates])
            found = self._template_parts[template_key] = (environment, encoded)
        parts.append(found[1])
        for path in files:
            parts.append(f"f{path}={self.file_digest(path)}".encode("utf-8", "surrogatepass") + b"\x1f")
        return _blake(b"".join(parts))

    def job_key(self, signature, names, objects, templates, files, lookup, environment):
        """A digest of everything a page read (for a developer's explanation)."""
        return combine(self.key_parts(signature, names, objects, templates, files, lookup, environment))

    def key_parts(self, signature, names, objects, templates, files, lookup, environment):
        """What a page read and the values it has now, one string each: its signature, its
        context names (``lookup(name)``: the value, :data:`MISSING` if none), the tracked
        objects (``(key, attributes)`` pairs), templates and files."""
        token = self.fingerprints.safe_token
        parts = [self.global_digest, signature]
        for name in names:
            value = lookup(name)
            parts.append(f"n{name}=" + (MISSING if value is MISSING else token(value)))
        for key, attributes in objects:
            parts.append(f"o{key}=" + self.object_digest(key, attributes))
        for name in templates:
            parts.append(f"t{name}=" + self.template_digest(environment, name))
        for path in files:
            parts.append(f"f{path}=" + self.file_digest(path))
        return parts

    def changed_attributes(self):
        """key -> the attributes of the record's tracked object ``key`` whose values differ
        now (:data:`EVERY` for an object gone, or whose digests cannot be compared); objects
        without a change are left out. Computed once: each attribute some page read of each
        object is fingerprinted once."""
        if self._changed is None:
            recorded = self.record.object_digests
            size = ATTRIBUTE_DIGEST
            changed = {}
            for key, attributes in self.record.objects.items():
                now = self.attribute_digests(key, attributes)
                before = recorded.get(key)
                if now == before:
                    continue
                if (isinstance(now, bytes) and isinstance(before, bytes)
                        and len(now) == len(before) == size * len(attributes)):
                    changed[key] = frozenset(attribute for i, attribute in enumerate(attributes)
                                             if now[i * size:(i + 1) * size] != before[i * size:(i + 1) * size])
                else:
                    changed[key] = EVERY
            self._changed = changed
        return self._changed

    def unchanged(self, name, signature, lookup, environment):
        """The last build's record of the page ``name`` when nothing it read has changed, else None.

        Its context names, templates and files are compared through ``local``; what it
        read of tracked objects through :meth:`changed_attributes`."""
        job = self.record.jobs.get(name)
        if job is None:
            return None
        try:
            if self.local_key(signature, job.names, job.templates, job.files, lookup, environment) != job.local:
                return None
        except Opaque:
            return None
        changed = self.changed_attributes()
        if changed:
            # Most pages share their tuple of reads with others (the record keeps one copy of
            # each equal tuple), so each is looked at once.
            verdict = self._verdicts.get(id(job.objects))
            if verdict is None or verdict[0] is not job.objects:
                touched = False
                for key, attributes in job.objects:
                    found = changed.get(key)
                    if found is not None and not found.isdisjoint(attributes):
                        touched = True
                        break
                verdict = self._verdicts[id(job.objects)] = (job.objects, touched)
            if verdict[1]:
                return None
        return job

    def object_record(self, rendered):
        """``(objects, object_digests)`` for this build's record: the union of the attributes
        read of each object — the last record's (which holds what every page taken over
        read), grown by what the pages rendered now read (``rendered``: their ``objects``;
        an attribute no page reads any more is only fingerprinted needlessly) — and their
        digests now. Object by object, so that only one object's values are held at a time."""
        union = {key: set(attributes) for key, attributes in self.record.objects.items()}
        for objects in rendered:
            for key, attributes in objects:
                found = union.get(key)
                if found is None:
                    union[key] = set(attributes)
                elif not found.issuperset(attributes):
                    found.update(attributes)
        recorded = self.record.objects
        objects = {}
        for key, attributes in union.items():
            attributes = tuple(sorted(attributes))
            before = recorded.get(key)
            objects[key] = before if before == attributes else attributes  # the loaded tuple, shared
        digests = {key: self.attribute_digests(key, attributes) for key, attributes in sorted(objects.items())}
        return objects, digests


def _blake(data):
    return hashlib.blake2b(data, digest_size=16).digest()


def _class_method(kind, attribute, wrappers=()):
    """The qualified name of ``attribute`` when it is a plain function of the class
    ``kind`` (or one wrapped by a descriptor of ``wrappers``, which keeps the function as
    ``func`` and binds it to the instance: Pelican's ``memoized``), else None."""
    function = getattr(kind, attribute, None)
    if type(function) is types.FunctionType:
        return function.__qualname__
    if wrappers:
        function = next((value for klass in kind.__mro__ if attribute in vars(klass)
                         for value in (vars(klass)[attribute],)), None)
        if isinstance(function, wrappers) and type(getattr(function, "func", None)) is types.FunctionType:
            return function.func.__qualname__
    return None


def _shadowed(obj, attribute):
    """Whether the instance holds ``attribute`` itself."""
    try:
        state = object.__getattribute__(obj, "__dict__")
    except AttributeError:
        return False
    return attribute in state


_UNKNOWN = object()


class _Ambiguous:
    def __repr__(self):
        return "AMBIGUOUS"


AMBIGUOUS = _Ambiguous()


# --- what each site folder holds ---------------------------------------------------------
# A site folder's pages: relative path -> (inode, ctime_ns, mtime_ns, size, digest, facts).
# A file whose stat still matches was not touched since, so its digest is known without
# reading it (the change time cannot be set back).
def stat_entry(st, digest, facts=""):
    return (st.st_ino, st.st_ctime_ns, st.st_mtime_ns, st.st_size, digest, facts)


def same_file(entry, st):
    return (entry is not None and entry[0] == st.st_ino and entry[1] == st.st_ctime_ns
            and entry[2] == st.st_mtime_ns and entry[3] == st.st_size)


def folder_id(folder):
    st = os.stat(folder)
    return f"{st.st_dev}-{st.st_ino}"


def manifest_path(cache, folder):
    return Path(cache) / MANIFEST_FOLDER / folder_id(folder)


def load_manifest(cache, folder):
    """The pages recorded for the site folder ``folder`` (``{}`` if none, or if its file is
    damaged, cut short or of the format before :mod:`newsroom.build.marshal_file`'s digest)."""
    try:
        data = marshal_file.loads(manifest_path(cache, folder).read_bytes())
    except OSError:
        return {}
    return data if isinstance(data, dict) else {}


def save_manifest(cache, folder, entries):
    """Record ``entries`` for ``folder``; older manifests beyond :data:`MANIFESTS_KEPT` go."""
    path = manifest_path(cache, folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(marshal_file.dumps(entries))
    os.replace(temporary, path)
    kept = sorted(path.parent.iterdir(), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in kept[MANIFESTS_KEPT:]:
        with contextlib.suppress(OSError):
            old.unlink()


def digest_of(data):
    return hashlib.blake2b(data, digest_size=16).hexdigest()


# --- tracked objects ----------------------------------------------------------------------
# Classes whose instances stand for a key (their reads are recorded attribute by
# attribute), and this build's instances by key. Pelican's content classes are tracked
# by the fastbuild plugin; a plugin tracks its own shared objects (a topic's page, which
# holds every article of the topic) with :func:`track`, so that a page showing a topic's
# name does not depend on the topic's whole article list. A class nobody tracks is
# compared by value, field by field: always correct, sometimes more than needed.
_TRACKED = {}  # class -> key function
_KEY_OF_TYPE = {}  # type -> key function or None (resolved along the MRO, once)
OBJECTS = {}  # key -> object, or AMBIGUOUS where two objects of this build share a key


def track(cls, key):
    """Track instances of ``cls`` by ``key(instance)`` (a string, stable between builds);
    each instance is registered when it is made."""
    if cls in _TRACKED:
        _TRACKED[cls] = key
        return cls
    _TRACKED[cls] = key
    _KEY_OF_TYPE.clear()
    original = cls.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        register(self)

    __init__.__wrapped__ = original
    cls.__init__ = __init__
    return cls


def track_registered(cls, key):
    """Track ``cls`` whose instances the caller registers itself (:func:`register`)."""
    _TRACKED[cls] = key
    _KEY_OF_TYPE.clear()


def tracked_classes():
    return list(_TRACKED)


def key_of(obj):
    kind = type(obj)
    try:
        function = _KEY_OF_TYPE[kind]
    except KeyError:
        function = next((_TRACKED[base] for base in kind.__mro__ if base in _TRACKED), None)
        _KEY_OF_TYPE[kind] = function
    if function is None:
        return None
    if _STATE[0] is None:  # nothing is being recorded
        key = function(obj)
    else:
        with paused():
            key = function(obj)
    return key if isinstance(key, str) and key else None


def register(obj):
    key = key_of(obj)
    if key is None:
        return
    found = OBJECTS.get(key)
    if found is None:
        OBJECTS[key] = obj
    elif found is not obj:
        OBJECTS[key] = AMBIGUOUS


def reset():
    """A new build: forget the last build's objects."""
    OBJECTS.clear()
    _SHARED.clear()
