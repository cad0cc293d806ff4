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

After the build, each page's record is the list of those reads and one key: a digest of
the values they had (:meth:`Build.job_key`). The next build computes the key again from
the same reads with the values it has now; a page whose key is unchanged is not
rendered but taken from the published site. Values are compared by
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

VERSION = "renderdeps-4"
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
# ``key``: the digest of everything the page read; ``local``: the digest of all of it but
# the tracked objects (signature, context names, templates, files), so that a page whose
# objects are all unchanged (:attr:`Record.object_digests`) is known unchanged from that
# digest alone, without the values of the objects' attributes it read.
JobRecord = namedtuple("JobRecord", "key outputs names objects templates files local")


class Record:
    """The last build's pages: ``jobs`` (name -> :class:`JobRecord`), the ``global_digest``
    it was made under and the ``site`` folder (:func:`folder_id`) its pages were written to.

    ``objects``: tracked object key -> every attribute any page read of it (the union);
    ``object_digests``: key -> the digest of those attributes' values in that build. An
    object whose digest is the same now was read unchanged by every page, whichever of its
    attributes each one read; only the pages reading an object whose digest changed need
    their whole key computed (:meth:`Build.unchanged`).

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


LONG_TOKEN = 96  # an attribute's token longer than this is kept as its digest


class Build:
    """One build's view of the values pages were rendered from.

    ``record``: the last build's :class:`Record`; ``fingerprints``: a
    :class:`~newsroom.build.fingerprint.Fingerprints` for this build; ``objects``: key ->
    tracked object of this build (:data:`AMBIGUOUS` where two objects share a key);
    ``template_source(environment, name)``: a template's source and file name;
    ``global_digest``: settings, code and versions; ``site``: the :func:`folder_id` of the
    site unchanged pages are taken from (the record must be that site's).
    """

    def __init__(self, record, fingerprints, objects, template_source, global_digest, site=""):
        usable = record.global_digest == global_digest and record.site == site
        self.record = record if usable else Record()
        self.full = not self.record.jobs
        self.fingerprints = fingerprints
        self.objects = objects
        self.template_source = template_source
        self.global_digest = global_digest
        self._object_digests = {}
        # The tokens of one object's attributes at a time (the object of ``_tokens_of``):
        # digests are asked for object by object (:meth:`prepare`, :meth:`changed_objects`),
        # and a memo of every attribute of every object was ~200 bytes an attribute read,
        # ~0.7 GB at 100,000 articles.
        self._tokens_of = None
        self._attribute_tokens = {}
        self._template_digests = {}
        self._file_digests = {}
        self._changed_objects = None  # keys of the record's objects whose digest differs now
        self.explained = None  # key -> attribute tokens, when a developer asks why pages render

    # Digests of what a page read.
    def object_digest(self, key, attributes):
        """A digest of the values of ``attributes`` of the tracked object ``key`` now."""
        memo_key = (key, attributes)
        found = self._object_digests.get(memo_key)
        if found is not None:
            return found
        obj = self.objects.get(key)
        if obj is None:
            found = MISSING
        elif obj is AMBIGUOUS:
            raise Opaque(f"two objects have the key {key}")
        else:
            tokens = [self._attribute_token(key, obj, attribute) for attribute in attributes]
            found = combine(tokens).hex()
            if self.explained is not None:
                self.explained.setdefault(key, set()).update(tokens)
        self._object_digests[memo_key] = found
        return found

    def _attribute_token(self, key, obj, attribute):
        if key != self._tokens_of:
            self._tokens_of = key
            self._attribute_tokens = {}
        token = self._attribute_tokens.get(attribute)
        if token is None:
            method = _own_method(obj, attribute)
            if method is not None:
                token = f"{attribute}:m{method}"
                self._attribute_tokens[attribute] = token
                return token
            with paused(), self.fingerprints.transient():
                try:
                    value = getattr(obj, attribute)
                except AttributeError:
                    token = f"{attribute}:{MISSING}"
                except Exception as error:  # noqa: BLE001 — a property that fails: no reliable value
                    raise Opaque(f"{key}.{attribute} raised {error.__class__.__name__}") from None
                else:
                    token = f"{attribute}:{self.fingerprints.safe_token(value)}"
                    if len(token) > LONG_TOKEN:
                        # A string's token is the string itself: kept in this memo for
                        # every article, its body and summary were a second copy of the
                        # catalogue's text (~0.15 GB at 20,000 articles).
                        token = f"{attribute}:#{combine((token,)).hex()}"
            self._attribute_tokens[attribute] = token
        return token

    def prepare(self, pairs):
        """Compute, object by object, the digests of ``pairs`` (``(key, attributes)`` of
        the objects the pages rendered now read) and of each object's union of attributes
        (:meth:`object_record`), so that each attribute's value is fingerprinted once and
        only one object's tokens are held at a time; :meth:`object_digest` and
        :meth:`object_record` then find them memoised."""
        by_key = {key: [attributes] for key, attributes in self.record.objects.items()}
        for key, attributes in pairs:
            by_key.setdefault(key, []).append(attributes)
        for key in sorted(by_key):
            union = set()
            for attributes in by_key[key]:
                union.update(attributes)
                try:
                    self.object_digest(key, attributes)
                except Opaque:
                    pass  # raised again, for its page, when the page's key is computed
            self.union_digest(key, tuple(sorted(union)))
        self._tokens_of, self._attribute_tokens = None, {}

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

    def job_key(self, signature, names, objects, templates, files, lookup, environment):
        """The key of a page: its signature and the current values of what it read.
        ``lookup(name)``: the value of a context name (:data:`MISSING` if none);
        ``objects``: ``(key, attributes)`` of each tracked object the page read."""
        return combine(self.key_parts(signature, names, objects, templates, files, lookup, environment))

    def local_key(self, signature, names, templates, files, lookup, environment):
        """The digest of what a page read besides tracked objects (:class:`JobRecord`'s ``local``)."""
        return combine(self.key_parts(signature, names, (), templates, files, lookup, environment))

    def key_parts(self, signature, names, objects, templates, files, lookup, environment):
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

    def union_digest(self, key, attributes):
        """The digest of an object over every attribute any page read of it (``attributes``,
        sorted); a value that is never equal to a recorded one when it cannot be compared."""
        try:
            return self.object_digest(key, attributes)
        except Opaque:
            return "opaque:" + os.urandom(8).hex()

    def changed_objects(self):
        """The keys of the record's tracked objects whose values differ now (computed once:
        the values of every attribute some page read, each fingerprinted once)."""
        if self._changed_objects is None:
            recorded = self.record.object_digests
            self._changed_objects = {key for key, attributes in self.record.objects.items()
                                     if self.union_digest(key, attributes) != recorded.get(key)}
        return self._changed_objects

    def unchanged(self, name, signature, lookup, environment):
        """The last build's record of the page ``name`` when nothing it read has changed, else None.

        Its context names, templates and files are compared through ``local``; its tracked
        objects through :meth:`changed_objects`, and only a page that read a changed object
        has its whole key computed (it may have read only attributes that did not change)."""
        job = self.record.jobs.get(name)
        if job is None:
            return None
        try:
            if self.local_key(signature, job.names, job.templates, job.files, lookup, environment) != job.local:
                return None
            changed = self.changed_objects()
            if changed and any(key in changed for key, _ in job.objects):
                key = self.job_key(signature, job.names, job.objects, job.templates, job.files, lookup,
                                   environment)
                return job if key == job.key else None
        except Opaque:
            return None
        return job

    def object_record(self, rendered):
        """``(objects, object_digests)`` for this build's record: the union of the attributes
        read of each object — the last record's (which holds what every page taken over
        read), grown by what the pages rendered now read (``rendered``: their ``objects``;
        an attribute no page reads any more only makes a page's full key computed
        needlessly) — and their digests now."""
        union = {key: set(attributes) for key, attributes in self.record.objects.items()}
        for objects in rendered:
            for key, attributes in objects:
                found = union.get(key)
                if found is None:
                    union[key] = set(attributes)
                elif not found.issuperset(attributes):
                    found.update(attributes)
        objects = {key: tuple(sorted(attributes)) for key, attributes in union.items()}
        digests = {key: self.union_digest(key, attributes) for key, attributes in objects.items()}
        return objects, digests


def _own_method(obj, attribute):
    """The qualified name of ``attribute`` when it is a plain function of the object's class
    that the instance does not shadow, else None. Its value, a method bound to the object
    itself, is the same in every build of the same code (which is in the global digest)
    for the same key; what the method reads of the object when a page calls it goes
    through the object's ``__getattribute__`` and is recorded as reads of their own. So
    such a read needs no value: an article's ``get_content``, ``get_summary`` and five
    more were ~20 % of fingerprinting every object of a rebuild."""
    function = getattr(type(obj), attribute, None)
    if type(function) is not types.FunctionType:
        return None
    try:
        state = object.__getattribute__(obj, "__dict__")
    except AttributeError:
        state = {}
    if attribute in state:
        return None
    return function.__qualname__


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
