"""Pelican's side of dependency-tracked rendering: only the pages an edit changes.

The logic lives in :mod:`newsroom.build.renderdeps` (what a page read, the record kept
between builds) and :mod:`newsroom.build.fingerprint` (comparing values); this module
connects them to Pelican 4.12 and Jinja 3.1, whose internals it hooks, while pages are
written:

* ``Content.__getattribute__`` (and that of every class a plugin tracks) records which
  attributes of which article or page a render reads;
* ``jinja2.runtime.Context.resolve_or_missing`` records the context names a template
  reads; ``jinja2.Environment._load_template`` the templates it loads;
* ``open`` records the files opened while a template renders (a file opened for
  writing makes the page one that is always rendered);
* ``os.environ`` records the environment variables read while a page renders.

The writer (``FastWriter`` in fastbuild.py) asks :class:`Session` for each queued page
whether the last build's record of it still holds; such a page is not rendered but
taken over from the published site (:class:`ReplayTemplate`, ``FastWriter.save_replayed``),
everything else is rendered with its reads recorded, and the new record is kept in
``CACHE_PATH/render-record`` with, per site folder, the digest and stat of every page
(``CACHE_PATH/site-manifests/``).

The versions are pinned: with another Pelican or Jinja the build stops with a message
(:func:`check_versions`) rather than skip pages on hooks that no longer see every read.
"""

import builtins
import hashlib
import importlib.metadata
import io
import logging
import os
import time
from pathlib import Path

from jinja2 import Environment
from jinja2.runtime import Context
from pelican.contents import Content
from pelican.urlwrappers import Author, Category, Tag, URLWrapper
from pelican.utils import memoized

from newsroom import messages
from newsroom.build import marshal_file, renderdeps
from newsroom.build.fingerprint import Fingerprints, Opaque, combine

logger = logging.getLogger(__name__)

PINNED = {"pelican": "4.12.0", "Jinja2": "3.1.6"}
# Settings that say where this build writes, not what: left out of the global digest
# (the staging folder has another name each build).
# RELEASE_NOW (the moment newsroom build is for) and RELEASE_HELD_FILE (where it listed the
# files held back) change every build; what they decide reaches pages through the articles
# read (plugins/release filters the files), which the render record tracks.
PLUMBING = ("OUTPUT_PATH", "SEARCH_JOB_FILE", "FASTBUILD_PREVIOUS_OUTPUT", "NEWSROOM_STAGING_RECYCLED",
            "NEWSROOM_CODE_DIGEST", "NEWSROOM_BUILD_CODE_DIGEST", "CACHE_PATH", "RELEASE_NOW", "RELEASE_HELD_FILE",
            "NEWSROOM_CONTENT_STAMPS")
# The writer's own names for the pages of a paginated list: derived from the list, the
# page's name and address and the settings, all part of the page's signature.
PAGINATION_NAMES = ("_paginator", "_page", "_previous_page", "_next_page")
DERIVED = "derived"
# An environment variable read while a page renders is recorded as a name with this prefix.
ENV_PREFIX = "$env:"
WRITE_FILE_PARAMETERS = ("relative_urls", "paginated", "template_name", "override_output", "url")


def check_versions():
    """Stop when Pelican or Jinja is not the version whose internals this plugin hooks."""
    for name, wanted in PINNED.items():
        try:
            found = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found = "not installed"
        if found != wanted:
            raise RuntimeError(
                f"fastbuild: this plugin replaces and hooks internals of {name} {wanted} (the writer, content "
                f"objects, template lookups), but {name} {found} is installed; install the pinned version "
                f"(make html installs requirements.txt) or port plugins/fastbuild to {name} {found}")


# --- tracked objects ------------------------------------------------------------------------
def content_key(obj):
    get = object.__getattribute__
    try:
        path = get(obj, "relative_source_path") or get(obj, "source_path")
    except AttributeError:
        return None
    return f"{type(obj).__name__}:{path}" if path else None


renderdeps.track_registered(Content, content_key)


def register_content(content):
    """``content_object_init``: every article, page and static file of the build by its key."""
    renderdeps.register(content)


def substitute(value):
    """A tag, author or category is its name, slug and addresses (URLWrapper keeps the
    settings and a lazily made slug in its fields); Pelican's memoised method is the
    function it wraps (its cache is no part of what it returns)."""
    if isinstance(value, memoized):
        return ("memoized", value.func)
    if isinstance(value, URLWrapper):
        with renderdeps.paused():
            extra = {k: v for k, v in vars(value).items()
                     if k not in ("settings", "_name", "_slug", "_slug_from_name", "name", "slug")}
            return (value.name, value.slug, value.url, value.save_as, extra)
    return None


def canonical(value):
    """The first Tag (Author, Category) of this build with the same class, settings object
    and fields as ``value``, which therefore has its substitute (``Fingerprints``'
    ``canonical``).

    Pelican makes a tag object of its own for every article that names it: ~5,000 at
    2,000 articles, each substituted by its name, slug and addresses (its URL formatted
    from the settings: ~18 µs a tag, and as much again to token it). Pelican's own
    classes make those from the object's fields and settings alone, so one object
    stands for all the equal ones (a plugin's subclass, which may compute its address
    otherwise, is substituted object by object). The memo keeps the first object, and so
    its settings, alive: the settings' identity in a state is not reused meanwhile."""
    kind = type(value)
    if kind not in CANONICAL:
        return None
    fields = vars(value)
    # The fields in their order; the lazily made slug included (a tag whose slug is not
    # made yet only misses the memo).
    state = (kind, id(fields.get("settings")), *[item for item in fields.items() if item[0] != "settings"])
    try:
        return _CANONICAL.setdefault(state, value)
    except TypeError:  # a field that is not hashable: substituted on its own
        return None


CANONICAL = (Tag, Author, Category)
_CANONICAL = {}  # (class, id(settings), (field, value)...) -> the first such object; emptied by each Session


SUBSTITUTED = (memoized, URLWrapper)  # the only types substitute() returns a value for


# --- hooks ------------------------------------------------------------------------------------
class Hooks:
    """The hooks of the writing phase, installed once per process (forked workers inherit them)."""

    installed = False
    saved = {}

    @classmethod
    def install(cls):
        if cls.installed:
            return
        cls.installed = True
        for klass in renderdeps.tracked_classes():
            original = klass.__dict__.get("__getattribute__")
            cls.saved[klass] = original
            klass.__getattribute__ = renderdeps.tracking_getattribute(klass.__getattribute__)
        resolve = Context.resolve_or_missing
        load_template = Environment._load_template
        cls.saved[Context] = resolve
        cls.saved[Environment] = load_template

        def resolve_or_missing(self, key):
            renderdeps.note_name(key)
            return resolve(self, key)

        # Every way to a template (get_template, select_template, extends, include, import)
        # ends in _load_template; a name select_template tried and did not find is recorded
        # too (its digest is "missing" until it exists).
        def load_template_recorded(self, name, globals):
            renderdeps.note_template(getattr(name, "name", name))
            with renderdeps.paused():  # loading it (source, bytecode cache) is the template's own business
                return load_template(self, name, globals)

        Context.resolve_or_missing = resolve_or_missing
        Environment._load_template = load_template_recorded
        cls.saved["open"] = builtins.open
        builtins.open = io.open = _recorded_open(builtins.open)
        environ_getitem = os._Environ.__getitem__
        cls.saved["environ"] = environ_getitem

        def environ_recorded(self, key):
            if renderdeps.current() is not None and isinstance(key, str):
                renderdeps.note_name(ENV_PREFIX + key)
            return environ_getitem(self, key)

        os._Environ.__getitem__ = environ_recorded

    @classmethod
    def uninstall(cls):
        if not cls.installed:
            return
        cls.installed = False
        for klass in renderdeps.tracked_classes():
            if klass in cls.saved:
                original = cls.saved.pop(klass)
                if original is None:
                    del klass.__getattribute__
                else:
                    klass.__getattribute__ = original
        Context.resolve_or_missing = cls.saved.pop(Context)
        Environment._load_template = cls.saved.pop(Environment)
        builtins.open = io.open = cls.saved.pop("open")
        os._Environ.__getitem__ = cls.saved.pop("environ")


def _recorded_open(original):
    def open(file, mode="r", *args, **kwargs):  # noqa: A001 — stands in for the builtin
        if renderdeps.current() is not None and isinstance(file, (str, bytes, os.PathLike)):
            path = os.fsdecode(file)
            if any(flag in mode for flag in "wax+"):
                renderdeps.refuse(f"writes {path} while rendering")
            else:
                renderdeps.note_file(path)
        return original(file, mode, *args, **kwargs)

    return open


# --- one build ----------------------------------------------------------------------------------
def code_digest(settings):
    """The code and installed packages the pages are made by (without the templates, which
    each page records): from ``newsroom build`` (``NEWSROOM_CODE_DIGEST``, or
    ``NEWSROOM_BUILD_CODE_DIGEST``: its fingerprint's digest of the same files and packages,
    :func:`newsroom.build.uptodate.code_groups`), else computed."""
    given = settings.get("NEWSROOM_CODE_DIGEST") or settings.get("NEWSROOM_BUILD_CODE_DIGEST")
    if given:
        return given
    from newsroom.build import uptodate  # noqa: PLC0415 — only for a build not run by newsroom build

    state = uptodate.fingerprint_inputs(uptodate.code_groups(), {})
    return state.code_digest()


def global_digest(settings, fingerprints):
    kept = {name: value for name, value in settings.items() if name not in PLUMBING}
    parts = [renderdeps.VERSION, code_digest(settings), fingerprints.safe_token(kept)]
    return combine(parts).hex()


class Session:
    """Which queued pages can be taken from the published site, and the record to keep."""

    def __init__(self, settings, context, output_path, previous):
        self.settings = settings
        self.cache = settings["CACHE_PATH"]
        self.output_path = output_path
        self.source = previous or output_path  # where an unchanged page's bytes are
        _CANONICAL.clear()
        # A tag (author, category) is read through thousands of articles: its digest is
        # kept for the build even where an article's attribute values are not.
        self.fingerprints = Fingerprints(key_of=renderdeps.key_of, substitute=substitute,
                                         excluded={id(settings): "settings", id(context): "context"},
                                         shared_types=(URLWrapper,), substitute_types=SUBSTITUTED,
                                         canonical=canonical, canonical_types=CANONICAL)
        try:
            digest = global_digest(settings, self.fingerprints)
        except Opaque as error:
            logger.warning("%s", messages.text("build.settings_not_comparable", reason=error))
            digest = os.urandom(8).hex()
        record = renderdeps.Record.load(self.cache)
        try:
            source_id = renderdeps.folder_id(self.source)
        except OSError:  # no site yet
            source_id = "none"
        self.build = renderdeps.Build(record, self.fingerprints, renderdeps.OBJECTS, template_source, digest,
                                      source_id, method_wrappers=(memoized,))
        renderdeps.Record.forget(self.cache)  # a build that stops halfway leaves no record behind
        self.published = renderdeps.load_manifest(self.cache, self.source) if os.path.isdir(self.source) else {}
        self.staged = {}
        if os.path.isdir(output_path) and os.path.realpath(output_path) != os.path.realpath(self.source):
            self.staged = renderdeps.load_manifest(self.cache, output_path)
        self.manifest = {}  # this build's pages: relative path -> entry
        self.jobs = {}  # name -> (signature, lookup, environment, reads or JobRecord, outputs)
        self.counts = {"pages_rendered": 0, "pages_kept": 0, "pages_always_rendered": 0}
        self.always = {}  # why pages are rendered every time: reason -> a page
        if EXPLAIN:
            self.build.explained = {}
        if self.build.full:
            logger.info("fastbuild: no usable render record (first build, settings or code changed, or another site published since): "
                        "every page is rendered")

    # The page's identity, and how its context names are looked up.
    def describe(self, job):
        name, template, context, args, kwargs = job
        options = dict(zip(WRITE_FILE_PARAMETERS, args))
        for parameter in WRITE_FILE_PARAMETERS:
            if parameter in kwargs:
                options[parameter] = kwargs[parameter]
        paginated = options.get("paginated")
        if paginated is None:
            paginated = {key: value for key, value in kwargs.items() if key in ("articles", "dates")}
        template_name = options.get("template_name")
        paged = bool(paginated) and template_name in self.settings["PAGINATED_TEMPLATES"]
        derived = {"output_file"}
        if paged:
            derived.update(f"{key}{suffix}" for key in paginated for suffix in PAGINATION_NAMES)
        token = self.fingerprints.safe_token
        signature = combine([name, getattr(template, "name", "") or "", repr(options.get("relative_urls", False)),
                             repr(template_name), repr(options.get("override_output", False)),
                             repr(options.get("url")), repr(paged),
                             *(f"{key}={token(value)}" for key, value in sorted(paginated.items()) if paged)]).hex()
        environment = template.environment

        def lookup(key):
            if key.startswith(ENV_PREFIX):
                return os.environ.get(key[len(ENV_PREFIX):], renderdeps.MISSING)
            if key in derived:
                return DERIVED
            if key in kwargs:
                return kwargs[key]
            if key in context:
                return context[key]
            if key in environment.globals:
                return f"global:{key}"
            return renderdeps.MISSING

        return signature, lookup, environment, bool(options.get("relative_urls"))

    def unchanged(self, job):
        """The last build's record of ``job`` when the page can be taken over, else None."""
        if self.build.full:
            return None
        try:
            signature, lookup, environment, relative = self.describe(job)
        except Opaque:
            return None
        if relative:
            return None
        with renderdeps.paused():
            record = self.build.unchanged(job[0], signature, lookup, environment)
        if record is None:
            return None
        for output in record.outputs:  # each page still as recorded in the published site
            entry = self.published.get(output)
            try:
                st = os.stat(os.path.join(self.source, output))
            except OSError:
                return None
            if not renderdeps.same_file(entry, st):
                return None
        return record

    def published_entry(self, relative):
        return self.published.get(relative)

    def staged_entry(self, relative):
        return self.staged.get(relative)

    # What the build made.
    def rendered(self, job, reads, outputs):
        self.jobs[job[0]] = (job, reads, tuple(outputs))
        self.counts["pages_rendered"] += len(outputs)
        if reads.opaque:
            self.counts["pages_always_rendered"] += len(outputs)
            for reason in set(reads.opaque):
                self.always.setdefault(reason, job[0])
            logger.debug("fastbuild: %s is rendered every time: %s", job[0], "; ".join(sorted(set(reads.opaque))))

    def kept(self, job, record):
        self.jobs[job[0]] = (job, record, record.outputs)
        self.counts["pages_kept"] += len(record.outputs)

    def saved(self, relative, entry):
        self.manifest[relative] = entry

    def finish(self):
        """Keep the record of every page and this folder's manifest."""
        build = self.build
        jobs = {}
        explained = {}
        attribute_sets = {}  # one tuple per distinct set of attributes: stored once by marshal
        rendered = []  # the objects read by each page rendered now
        pairs, object_lists = {}, {}
        started = time.monotonic()
        with renderdeps.paused():
            # First the reads of every page rendered now as shared tuples: one tuple per
            # distinct (object, attributes) pair and per distinct list of them (an article
            # is read the same way by the ~15 pages listing it, and ~50,000 pages' records
            # are held here at once: at 20,000 articles the record took ~500 MB of the
            # build's peak with a tuple per page). A page rendered here holds shared pairs
            # already (Recorder.frozen); a worker's come in the pickle of its share.
            for name, (job, reads, outputs) in self.jobs.items():
                if isinstance(reads, renderdeps.Reads) and not reads.opaque:
                    objects = tuple(pairs.setdefault(pair, pair) for pair in (
                        (key, attribute_sets.setdefault(attributes, attributes))
                        for key, attributes in reads.objects))
                    objects = object_lists.setdefault(objects, objects)
                    self.jobs[name] = (job, reads._replace(objects=objects), outputs)
                    rendered.append(objects)
            pairs = object_lists = attribute_sets = None
            # Then the digests of every attribute read of every object, object by object
            # (each object's values held only while its digests are made), and each page's
            # local key.
            object_union, object_digests = build.object_record(rendered)
            rendered = None
            for name in list(self.jobs):
                # Each page's reads go as its record is made (the build ends after this).
                job, reads, outputs = self.jobs.pop(name)
                objects, names, templates, files = reads.objects, reads.names, reads.templates, reads.files
                if isinstance(reads, renderdeps.Reads):
                    if reads.opaque:
                        continue  # rendered again next time: no record
                    try:
                        signature, lookup, environment, _ = self.describe(job)
                        local = build.local_key(signature, names, templates, files, lookup, environment)
                        reason = build.unreadable_reason(objects)
                        if reason is not None:
                            raise Opaque(reason)
                    except Opaque as error:
                        self.always.setdefault(str(error), name)
                        logger.debug("fastbuild: %s is rendered every time: %s", name, error)
                        continue
                else:  # taken over: its record holds as it is
                    local = reads.local
                jobs[name] = renderdeps.JobRecord(outputs, names, objects, templates, files, local)
                if EXPLAIN:
                    signature, lookup, environment, _ = self.describe(job)
                    try:
                        explained[name] = build.key_parts(signature, names, objects, templates, files, lookup,
                                                          environment)
                    except Opaque:
                        pass
        self.counts["record_seconds"] = round(time.monotonic() - started, 2)
        renderdeps.Record(build.global_digest, jobs, renderdeps.folder_id(self.output_path), object_union,
                          object_digests).save(self.cache)
        if EXPLAIN:
            self.explain(explained)
        renderdeps.save_manifest(self.cache, self.output_path, self.manifest)

    def explain(self, explained):
        """``FASTBUILD_EXPLAIN=1``: log, for each page rendered again, which of its inputs
        changed since the last build (kept in ``CACHE_PATH/render-explain``, framed by its
        SHA-256: a damaged or older file is none, and nothing is explained this time, rather
        than a change that never was)."""
        path = Path(self.cache) / "render-explain"
        try:
            before = marshal_file.loads(path.read_bytes())  # None: damaged, cut short or older
        except OSError:
            before = None
        if not isinstance(before, dict):
            before = {}
        lines = []
        old_objects = before.pop("<objects>", {})
        for key, tokens in sorted(self.build.explained.items()):
            old = old_objects.get(key)
            if old is not None and old != tokens:
                changed = sorted(set(t.split(":", 1)[0] for t in set(tokens) ^ set(old)))
                lines.append(f"object {key}: {', '.join(changed)}\n")
        for name, parts in explained.items():
            old = before.get(name)
            if old is None or old == parts:
                continue
            changed = sorted(set(p.split("=", 1)[0] for p in set(parts) ^ set(old)))
            lines.append(f"{name}: {', '.join(changed)}\n")
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(marshal_file.dumps({**explained, "<objects>": self.build.explained}))
        os.replace(temporary, path)
        path.with_suffix(".txt").write_text("".join(lines), encoding="utf-8")


EXPLAIN = os.environ.get("FASTBUILD_EXPLAIN", "") not in ("", "0")


def template_source(environment, name):
    source, filename, _ = environment.loader.get_source(environment, name)
    return source, filename


def file_digest(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


class RecordingTemplate:
    """A template whose renders are recorded into ``recorder``."""

    def __init__(self, template, recorder):
        self.template = template
        self.recorder = recorder
        self.name = template.name
        self.environment = template.environment
        recorder.templates.add(template.name)

    def render(self, *args, **kwargs):
        with renderdeps.recording(self.recorder):
            return self.template.render(*args, **kwargs)


class Replayed:
    """What :class:`ReplayTemplate` renders: a token naming the page to take over (the
    writer's file object hands it to ``FastWriter.save_replayed``)."""

    __slots__ = ("relative", "entry")

    def __init__(self, relative, entry):
        self.relative = relative
        self.entry = entry


class ReplayTemplate:
    """A page whose inputs are unchanged: its "render" names the published copy to take
    over. A page of it that cannot be taken over after all (its published copy is not
    the recorded one) is rendered for real, its reads recorded into ``recorder``."""

    def __init__(self, template, session, record, recorder, output_path):
        self.template = template
        self.session = session
        self.record = record
        self.recorder = recorder
        self.output_path = output_path
        self.name = template.name
        self.environment = template.environment

    def render(self, localcontext):
        relative = localcontext["output_file"]
        entry = self.session.published_entry(relative)
        if relative in self.record.outputs and entry is not None:
            return Replayed(relative, entry)
        self.recorder.templates.add(self.template.name)
        with renderdeps.recording(self.recorder):
            return self.template.render(localcontext)
