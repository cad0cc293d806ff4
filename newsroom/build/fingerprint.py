"""Deterministic fingerprints of the values a page is rendered from (no Pelican here).

:class:`Fingerprints` turns any value a template can reach — strings, numbers, dates,
lists, dicts, sets, dataclasses and other plain objects — into a 16-byte digest that is
the same in every build for the same value and differs (up to BLAKE2 collisions) for
different ones. The render record (:mod:`newsroom.build.renderdeps`) compares them from
one build to the next to decide which pages must be rendered again.

Three kinds of value are not taken apart:

* **tracked objects** (``key_of(value)`` returns a key: Pelican's articles and pages,
  a plugin's topic pages): they stand for their key only. What a page reads of them is
  recorded attribute by attribute while it renders, and compared separately; so a tag
  page that lists an article depends on the article's title and address, not on its
  whole text and everything that points to it;
* **excluded objects** (``excluded``, by identity: the settings dict, the shared
  template context): a token. The settings are compared as a whole for every build,
  and whatever a page reads from the context is recorded by name;
* values that cannot be told apart reliably (an open file, a generator, a lock, an
  object whose fields are not visible): :class:`Opaque` is raised, and the caller
  renders that page every time rather than guess.

Digests of containers and objects are memoised by identity for the life of the
:class:`Fingerprints` (one build's writing phase, when values no longer change); the
values are kept alive with their digests, so an identity is never reused meanwhile.
Within :meth:`Fingerprints.transient` (the values of one object's attributes, most of
them made afresh on each read or read by that object alone) they are memoised in a
bounded memo instead, emptied when it fills: at 100,000 articles the memo had held ~47
values an article (bound methods, dates, lists) with their digests, ~1 GB.
"""

import dataclasses
import datetime
import decimal
import enum
import functools
import hashlib
import pathlib
import types

DIGEST_SIZE = 16
LEAF_TOKEN = 120  # a leaf value's description up to this length is its token, a longer one is hashed
TRANSIENT_MEMO = 50_000  # values memoised within Fingerprints.transient() before the memo is emptied


_UNSEEN = object()


class Opaque(Exception):
    """A value whose fingerprint would not be reliable (the page is rendered every time)."""


# Types whose value is their text (the type's name is kept: Markup and str render apart).
_SIMPLE = (str, int, float, complex, bool, type(None), bytes, decimal.Decimal, pathlib.PurePath, range)
_FUNCTIONS = (types.FunctionType, types.BuiltinFunctionType, types.MethodDescriptorType,
              types.WrapperDescriptorType, types.BuiltinMethodType, type)


def _blake(data):
    return hashlib.blake2b(data, digest_size=DIGEST_SIZE).digest()


def combine(parts):
    """One digest of an ordered sequence of digests (or strings)."""
    digest = hashlib.blake2b(digest_size=DIGEST_SIZE)
    for part in parts:
        digest.update(part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\x1f")
    return digest.digest()


class _Transient:
    """:meth:`Fingerprints.transient`: the outermost one makes and drops the bounded memo."""

    __slots__ = ("fingerprints", "outermost")

    def __init__(self, fingerprints):
        self.fingerprints = fingerprints
        self.outermost = False

    def __enter__(self):
        self.outermost = self.fingerprints._transient is None
        if self.outermost:
            self.fingerprints._transient = {}

    def __exit__(self, *exc_info):
        if self.outermost:
            self.fingerprints._transient = None
        return False


class Fingerprints:
    """Fingerprints of values for one build (see the module's docstring).

    ``key_of(value)``: the key (a string) of a tracked object, else None.
    ``substitute(value)``: a plain value to fingerprint in place of ``value`` (e.g. a
    tag as its name, slug and address), or None to take the value apart as usual.
    ``excluded``: ``{id(object): token}`` for objects that stand for a token.
    ``shared_types``: classes whose values are memoised for the whole build even within
    :meth:`transient` (values read through many objects).
    ``substitute_types``: the only types ``substitute`` can return a value for (a tuple),
    or None for every type: it is then not asked about the others, the most common values.
    ``canonical(value)``: for a value whose type is exactly one of ``canonical_types``, one
    object that has the value's token and stands for every value equal to it (or None):
    the value's token is that object's, described once and memoised.
    """

    def __init__(self, key_of=None, substitute=None, excluded=None, shared_types=(), substitute_types=None,
                 canonical=None, canonical_types=()):
        self.key_of = key_of or (lambda value: None)
        self.canonical = canonical
        self._canonical_types = frozenset(canonical_types)
        self.substitute = substitute or (lambda value: None)
        self.substitute_types = substitute_types
        self._kinds = {}  # type -> (its qualified name, how its values are described)
        self._leaves = {}  # type -> its values' token for a type whose values hold no other value, else None
        self._fields = {}  # type -> (dataclass field names, slot names) of _object
        self.excluded = dict(excluded or {})
        self._memo = {}  # id -> (value, digest): the value kept alive, so its id stays its own
        self._transient = None  # within transient(): the bounded memo of what is not kept
        self._active = set()  # ids being taken apart (a cycle refers back instead)
        self.shared_types = tuple(shared_types)

    def transient(self):
        """Digests computed for the duration are memoised in a memo of at most
        :data:`TRANSIENT_MEMO` values, emptied when full, except those of tracked objects
        and of ``shared_types`` (a tag, read by thousands of articles), which are kept.
        (A plain context manager: it is entered once per attribute value fingerprinted.)"""
        return _Transient(self)

    def digest(self, value):
        """The 16-byte digest of ``value``; :class:`Opaque` when it has none."""
        return _blake(self.token(value).encode("utf-8", "surrogatepass"))

    def safe_token(self, value):
        """:meth:`token`, with a structure too deep to take apart reported as :class:`Opaque`."""
        try:
            return self.token(value)
        except RecursionError:
            raise Opaque(f"a {type(value).__qualname__} nested too deeply to compare") from None

    def token(self, value):
        """A string that identifies ``value`` (short for simple values, a digest otherwise)."""
        kind = type(value)
        if kind is str:
            return f"s{len(value)}:{value}"
        if kind is int or kind is bool or kind is float or value is None:
            return f"{kind.__name__[0]}{value!r}"
        leaf = self._leaves.get(kind, _UNSEEN)
        if leaf is _UNSEEN:
            self._kind(kind)
            leaf = self._leaves[kind]
        if leaf is not None and self.key_of(value) is None:
            return leaf(value)
        if kind in self._canonical_types:
            same = self.canonical(value)
            if same is not None:
                value = same  # its token stands for this value's (not asked again: no chain)
        ident = id(value)
        token = self.excluded.get(ident)
        if token is not None:
            return f"x{token}"
        kept = self._memo.get(ident)
        if kept is not None:
            return kept[1]
        transient = self._transient
        if transient is not None:
            kept = transient.get(ident)
            if kept is not None:
                return kept[1]
        if ident in self._active:
            return "cycle"
        self._active.add(ident)
        try:
            description = self._describe(value)
            token = "h" + _blake(description.encode("utf-8", "surrogatepass")).hex()
        finally:
            self._active.discard(ident)
        if transient is None or description[0] == "K" or isinstance(value, self.shared_types):
            self._memo[ident] = (value, token)
        else:
            if len(transient) >= TRANSIENT_MEMO:
                transient.clear()
            transient[ident] = (value, token)
        return token

    def _describe(self, value):
        kind = type(value)
        entry = self._kinds.get(kind)
        if entry is None:
            entry = self._kind(kind)
        name, handler = entry
        key = self.key_of(value)
        if key is not None:
            return f"K{key}"
        return handler(value, name)

    def _kind(self, kind):
        """The qualified name of ``kind`` and how its values are described; and, for a type
        whose values hold no other value (strings and numbers of subclasses such as
        Markup, dates and times, time zones, enums) and that ``substitute`` is not asked
        about, its entry in ``_leaves``: such a value's token is made from its description
        at once, without the memo by identity (most are made afresh on each read: an
        article's date) or the walk's cycle check."""
        name = f"{kind.__module__}.{kind.__qualname__}"
        handler = self._handler(kind)
        self._kinds[kind] = (name, handler)
        leaf = self._leaf_handler(kind)
        self._leaves[kind] = None
        if leaf is not None and self.substitute_types is not None and not issubclass(kind, self.substitute_types):
            def token(value):
                description = leaf(value, name)
                if len(description) <= LEAF_TOKEN:
                    return "l" + description
                return "h" + _blake(description.encode("utf-8", "surrogatepass")).hex()

            self._leaves[kind] = token
        return self._kinds[kind]

    @staticmethod
    def _leaf_handler(kind):
        """How values of a type that holds no other value are described, else None."""
        if issubclass(kind, _SIMPLE):  # subclasses of str (Markup), int (enum-like), bytes, paths
            return lambda value, name: f"{name}={value!r}"
        if issubclass(kind, (datetime.datetime, datetime.time)):
            return lambda value, name: f"{name}={value.isoformat()}|{_tz_name(value.tzinfo)}"
        if issubclass(kind, (datetime.date, datetime.timedelta)):
            return lambda value, name: f"{name}={value!r}"
        if issubclass(kind, datetime.tzinfo):
            return lambda value, name: f"{name}={_tz_name(value)}"
        if issubclass(kind, enum.Enum):
            return lambda value, name: f"{name}.{value.name}"
        return None

    def _handler(self, kind):
        """How values of ``kind`` are described, chosen once per type (in this order: a
        subclass of two kinds goes by the first; tracked objects were handled before)."""
        def sequence(value, name):
            token = self.token
            return f"{name}[" + ",".join([token(item) for item in value]) + "]"

        def mapping(value, name):
            token = self.token
            return f"{name}{{" + ",".join([f"{token(k)}:{token(v)}" for k, v in value.items()]) + "}"

        def unordered(value, name):
            token = self.token
            return f"{name}(" + ",".join(sorted([token(item) for item in value])) + ")"

        def substituted(value, name, otherwise):
            substitute = self.substitute(value)
            if substitute is not None:
                return f"{name}~{self.token(substitute)}"
            return otherwise(value, name)

        leaf = self._leaf_handler(kind)
        if leaf is not None:
            return leaf
        if issubclass(kind, (list, tuple)):
            rest = sequence
        elif issubclass(kind, dict):
            rest = mapping
        elif issubclass(kind, (set, frozenset)):
            rest = unordered
        elif issubclass(kind, types.MethodType):
            rest = lambda value, name: f"{name}:{self.token(value.__self__)}.{value.__func__.__qualname__}"  # noqa: E731
        elif issubclass(kind, _FUNCTIONS):
            rest = lambda value, name: self._function(value)  # noqa: E731
        elif issubclass(kind, functools.partial):
            rest = lambda value, name: (f"{name}:{self.token(value.func)}({self.token(list(value.args))},"  # noqa: E731
                                        f"{self.token(dict(value.keywords))})")
        else:
            rest = self._object
        if self.substitute_types is None or issubclass(kind, self.substitute_types):
            return lambda value, name: substituted(value, name, rest)
        return rest

    def _function(self, value):
        module = getattr(value, "__module__", None) or ""
        qualname = getattr(value, "__qualname__", None) or getattr(value, "__name__", "")
        if "<lambda>" in qualname or "<locals>" in qualname:
            # Two closures of one function differ by what they hold: take that apart too.
            cells = tuple(cell.cell_contents for cell in (getattr(value, "__closure__", None) or ()))
            defaults = getattr(value, "__defaults__", None) or ()
            return f"fn:{module}.{qualname}|{self.token(cells)}|{self.token(defaults)}"
        return f"fn:{module}.{qualname}"

    def _object(self, value, name):
        kind = type(value)
        names = self._fields.get(kind)
        if names is None:  # a class's dataclass fields and slots are the same for all its values
            dataclass = dataclasses.is_dataclass(kind)
            names = self._fields[kind] = (
                tuple(item.name for item in dataclasses.fields(kind)) if dataclass else (),
                tuple(slot for klass in kind.__mro__ for slot in (_slots(klass))
                      if isinstance(slot, str) and slot not in ("__dict__", "__weakref__")))
        dataclass_fields, slots = names
        fields = {}
        for field in dataclass_fields:
            fields[field] = getattr(value, field)
        state = getattr(value, "__dict__", None)
        if isinstance(state, dict):
            fields.update(state)
        for slot in slots:
            if hasattr(value, slot):
                fields[slot] = getattr(value, slot)
        if not fields and state is None:
            raise Opaque(f"{name} has no visible state")
        _refuse(value, name)
        return f"{name}<" + ",".join(f"{k}={self.token(fields[k])}" for k in sorted(fields)) + ">"


def _slots(klass):
    slots = getattr(klass, "__slots__", ()) or ()
    return (slots,) if isinstance(slots, str) else slots


_REFUSED = ("_io.", "io.", "threading.", "_thread.", "socket.", "generator", "coroutine", "sqlite3.")


def _refuse(value, name):
    if name.startswith(_REFUSED) or isinstance(value, (types.GeneratorType, types.CoroutineType)):
        raise Opaque(f"{name} cannot be compared between builds")


def _tz_name(tzinfo):
    if tzinfo is None:
        return ""
    for attribute in ("key", "zone"):  # zoneinfo.ZoneInfo, pytz
        name = getattr(tzinfo, attribute, None)
        if isinstance(name, str):
            return name
    return f"{type(tzinfo).__qualname__}:{tzinfo!r}"
