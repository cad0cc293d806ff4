"""The project's one jieba adapter: Chinese word segmentation with part-of-speech tags.

Everything that cuts Chinese text (keywords, search) goes through here so that the
project user dictionary (``newsroom/data/userdict.txt``) and the gazetteer's place
names (districts, streets, towns, landmarks: ``newsroom.text.districts``) apply everywhere,
and the jieba dictionary is loaded once per process, lazily, on first use.

Why not ``jieba.posseg.cut`` with HMM: its character-level POS model runs on every run
of single characters and cuts only ~0.3 MB/s. We cut with the tokenizer's HMM instead
(~2 MB/s, still finds unknown names), take tags from the dictionary (jieba's plus
ours), and guess a tag only for the few words the HMM invents: a Han word of 2-3
characters starting with a common surname is a person's name (``nr``), one ending in
a noun suffix (护水员) is a noun (``n``), anything else unknown is ``x``.

Speed (the whole cold build waits on this module):

* The cutting is :func:`cut_words`, jieba 0.42.1's own algorithm (the word graph, the
  best route by word frequencies, the HMM for runs of single characters) written as
  one loop that builds a list: the same words, about 1.5x jieba's speed
  (``tests/test_keywords_segment.py`` compares it with ``jieba.Tokenizer.cut`` on real
  text).
* jieba's dictionary is loaded once per process and shared: the word frequencies, the
  part-of-speech table (``jieba.posseg`` would read ``dict.txt`` again, twice) and
  the plain tokenizer the slugs use come from one ``marshal`` file in the user's cache
  folder (:func:`dictionary_cache_dir`, :func:`cached_table`), keyed on jieba's version
  and its dictionary file; ~0.3 s instead of ~1.8 s. The project tokenizer is a copy
  with our words added.
* A process that cuts little (a rebuild after one edit analyses one article) looks the
  words up in an SQLite file of the same tables instead (:class:`LookupTable`): the same
  values, one indexed lookup each, without loading ~600,000 entries (~1 CPU-s). After
  :data:`LOOKUP_BUDGET` lookups the process loads the tables whole, as before.
"""

import hashlib
import logging
import marshal
import os
import re
import sqlite3
import sys
import tempfile
import threading
import time
from functools import lru_cache
from math import log as natural_log
from pathlib import Path


def _import_jieba():
    """``import jieba`` without ``pkg_resources``. jieba 0.42.1's ``_compat`` imports
    ``pkg_resources`` only to open its own data files; importing it scans every installed
    distribution (~0.1 s of CPU, more under load), in every process that cuts Chinese: a
    one-edit build's content check and its Pelican child each paid it. Without it jieba
    opens the same files by path (its own fallback, ``open(<jieba's folder>/<name>)``):
    the same bytes. ``pkg_resources`` is kept out only while jieba is imported (no other
    thread of ours imports then); a process that already has it keeps it."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba
        return jieba
    sys.modules["pkg_resources"] = None  # makes ``import pkg_resources`` raise ImportError
    try:
        import jieba
    finally:
        if sys.modules.get("pkg_resources", False) is None:
            del sys.modules["pkg_resources"]
    return jieba


jieba = _import_jieba()
from jieba import finalseg  # noqa: E402 — after jieba, imported as above

from newsroom.text import gazetteer  # noqa: E402
from newsroom import messages

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parents[1] / "data"
USERDICT = DATA / "userdict.txt"
SURNAMES = DATA / "surnames.txt"
NOUN_SUFFIXES = DATA / "noun_suffixes.txt"
RETAG = DATA / "retag.txt"  # general words jieba cuts or tags wrongly: no project words

AGENT_STEM_TAGS = frozenset({"n", "vn", "v"})  # 检修 + 工, 护理 + 员
HAN_WORD = re.compile(r"[\u4e00-\u9fff]+")
HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")

_lock = threading.RLock()
_state = {}

# jieba logs "Building prefix dict ..." at DEBUG/INFO to its own handler; keep it quiet.
jieba.setLogLevel(logging.WARNING)


class DictionaryError(ValueError):
    """A bad line in one of the project's dictionary files."""

    def __init__(self, path, line, problem, fix):
        self.path, self.line = str(path), line
        super().__init__(f"{path}:{line}: {problem} — {fix}")


def read_userdict(path=USERDICT):
    """``[(word, freq or None, tag or None)]`` from a user dictionary; ``#`` starts a comment."""
    entries = []
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) > 3:
            raise DictionaryError(path, number, f"{len(parts)} fields in {line!r}",
                                  "write `word [frequency] [tag]`; words cannot contain spaces")
        word = parts[0]
        freq = tag = None
        for part in parts[1:]:
            if part.isdigit():
                freq = int(part)
            elif re.fullmatch(r"[a-z]{1,5}", part):
                tag = part
            else:
                raise DictionaryError(path, number, f"{part!r} is neither a frequency nor a tag",
                                      "write `word [frequency] [tag]`, e.g. `送温暖 3000 n`")
        entries.append((word, freq, tag))
    return entries


def read_word_list(path):
    """Words separated by spaces or new lines; ``#`` starts a comment."""
    words = []
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        words.extend(raw.split("#", 1)[0].split())
    return words


PLACE_FREQ = 2000  # high enough that 东高村镇 is cut whole, as the user dictionary's places


def gazetteer_places():
    """Every place name the gazetteer scans for (门头沟区, 门头沟, 长阳镇, 回龙观 ...).

    A gazetteer that cannot be read is an error (:class:`~newsroom.text.gazetteer.GazetteerError`),
    never a silent change of the keywords.
    """
    return list(gazetteer.place_names())


# --- jieba's dictionary, loaded once ------------------------------------------------------
CACHE_ENV = "NEWSROOM_CACHE_DIR"  # where the dictionary tables live (default: ~/.cache/newsroom)
JIEBA_DICT = Path(jieba.__file__).resolve().parent / "dict.txt"
CACHE_MAX_AGE = 30 * 24 * 3600  # seconds a table may go unused before a later write removes it
PLAIN_SCALARS = frozenset({str, bytes, int, float, bool, type(None)})
PLAIN_CONTAINERS = frozenset({dict, tuple, list, set, frozenset})


def dictionary_cache_dir():
    """The folder for derived dictionary tables: ``$NEWSROOM_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/newsroom``, else ``~/.cache/newsroom``. Nothing checks who owns or
    can write the folder; :func:`cached_table` is safe without that (see there)."""
    given = os.environ.get(CACHE_ENV)
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "newsroom"


def is_plain_data(value):
    """True when ``value`` holds only dicts, tuples, lists, sets, strings, bytes, numbers,
    booleans and None: what a dictionary table may be made of (no code objects)."""
    kind = type(value)
    if kind in PLAIN_SCALARS:
        return True
    if kind is dict:
        return _all_plain_data(value.keys()) and _all_plain_data(value.values())
    return kind in PLAIN_CONTAINERS and _all_plain_data(value)


def _all_plain_data(items):
    if set(map(type, items)) <= PLAIN_SCALARS:  # the usual flat table: checked at C speed
        return True
    return all(is_plain_data(item) for item in items)


def _written_only_by_us(handle):
    """The open file is ours and nobody else may write it (always true where there are no
    POSIX owners)."""
    stat = os.fstat(handle.fileno())
    uid = getattr(os, "geteuid", None)
    return uid is None or (stat.st_uid == uid() and not stat.st_mode & 0o022)


def _remove_unused(folder, name):
    """Remove ``name``'s tables (and the older pickles, and temporary files a killed run
    left) unused for :data:`CACHE_MAX_AGE`. Other keys are kept: another virtualenv, or
    another jieba, sharing the folder has its own table and still uses it."""
    oldest = time.time() - CACHE_MAX_AGE
    for pattern in (f"{name}-*.marshal", f"{name}-*.sqlite", f"{name}-*.pickle", f".{name}-*.tmp"):
        for old in folder.glob(pattern):
            try:
                if old.stat().st_mtime < oldest:
                    old.unlink()
            except OSError:
                pass  # gone already, or not ours to remove


def cached_table(name, sources, build):
    """``build()``'s result, kept in the cache folder keyed on ``name``, the ``sources``
    files' paths, sizes and modification times, jieba's version and Python's: a changed
    file, or a new jieba, builds it again.

    The table is stored with ``marshal``, not ``pickle``: loading builds plain data and
    calls no code. marshal is not promised to be hardened against crafted bytes, so a
    file owned by another user or writable by others is not read at all. That, a file
    that cannot be read, or one that is not plain data (:func:`is_plain_data`) is a
    miss: rebuilt and replaced (temporary file + ``os.replace``, so a reader never sees
    half a table). A cache that cannot be written is only skipped. A loaded table's time
    is renewed; tables of other keys unused for 30 days are removed when one is written."""
    path, table = load_kept_table(name, sources)
    if table is not None:
        return table
    table = build()
    if not is_plain_data(table):
        log.warning("%s", messages.text("build.cache_unwritable", path=name, reason="not plain data"))
        return table
    keep_table(path, name, table)
    return table


def kept_path(name, sources, suffix=".marshal"):
    """Where the cache folder keeps ``name``'s table for these ``sources``: keyed on their
    paths, sizes and modification times, jieba's version and Python's."""
    digest = hashlib.sha1(f"{name}\x00{jieba.__version__}\x00{sys.version_info[:2]}\x00{marshal.version}".encode())
    for source in sources:
        stat = os.stat(source)
        digest.update(f"\x00{source}\x00{stat.st_size}\x00{stat.st_mtime_ns}".encode())
    return dictionary_cache_dir() / f"{name}-{digest.hexdigest()[:16]}{suffix}"


def load_kept_table(name, sources):
    """``(path, table)``: where :func:`cached_table` keeps ``name``'s table for these
    ``sources``, and the table found there (None when there is none usable)."""
    path = kept_path(name, sources)
    return path, read_kept_table(path)


def read_kept_table(path):
    """The table :func:`keep_table` wrote at ``path``, or None when there is none usable
    (missing, owned by another user or writable by others, unreadable, not plain data)."""
    try:
        with open(path, "rb") as handle:
            if not _written_only_by_us(handle):
                raise ValueError("owned by another user or writable by others")
            table = marshal.loads(handle.read())  # marshal.load(handle) reads in small pieces: ~3x slower
        if not is_plain_data(table):
            raise ValueError(f"holds {type(table).__name__}, not plain data")
        try:
            os.utime(path)  # in use: not for _remove_unused
        except OSError:
            pass
        return table
    except FileNotFoundError:
        pass
    except Exception as error:  # noqa: BLE001 — a damaged or foreign cache is rebuilt
        log.warning("%s", messages.text("build.cache_unreadable", path=path, reason=error))
    return None


def keep_table(path, name, table):
    """Write ``table`` (plain data) to ``path`` for :func:`load_kept_table`, atomically;
    a cache that cannot be written is only skipped."""
    folder = path.parent
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        _remove_unused(folder, name)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                marshal.dump(table, out)
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    except OSError as error:
        log.info("segment: could not keep %s in %s: %s", name, folder, error)


def _build_jieba_tables():
    """jieba's word frequencies (with its prefix entries), their total and its
    part-of-speech table, exactly as ``Tokenizer.initialize`` and ``posseg`` make them."""
    plain = jieba.Tokenizer()
    plain.initialize()
    freq = plain.FREQ
    words = {word: word for word in freq}  # one str object per word: marshal stores it once
    tags = {}
    with open(JIEBA_DICT, "rb") as handle:
        for line in handle:  # as jieba.posseg.POSTokenizer.load_word_tag reads it
            line = line.strip().decode("utf-8")
            if not line:
                continue
            word, _, tag = line.split(" ")
            tags[words.get(word, word)] = tag
    return freq, plain.total, tags


def _once(key, build):
    """``_state[key]``, made by ``build()`` on first use, once even with threads (the
    lock is re-entrant: one table's ``build`` may ask for another)."""
    state = _state.get(key)
    if state is None:
        with _lock:
            state = _state.get(key)
            if state is None:
                state = _state[key] = build()
    return state


def _jieba_tables():
    return _once("jieba", _load_jieba_tables)


def _load_jieba_tables():
    tables = cached_table("jieba-tables", [JIEBA_DICT], _build_jieba_tables)
    _keep_lookup_once(tables, _state.get("idf-whole"))
    return tables


def _keep_lookup_once(tables, idf):
    """Write the lookup file when this process holds both of jieba's tables whole and the
    file is missing (or was found unusable): once per jieba and cache folder (~2 s), then
    later processes that cut little look their words up."""
    if tables is not None and idf is not None and (_state.get("lookup-unusable") or not lookup_path().exists()):
        keep_lookup(tables, idf)
        _state.pop("lookup-unusable", None)


JIEBA_IDF = JIEBA_DICT.parent / "analyse" / "idf.txt"  # not via jieba.analyse: importing it
# imports jieba.posseg, which reads jieba's whole dictionary for a tokenizer of its own


def _read_jieba_idf():
    table = {}
    with open(JIEBA_IDF, encoding="utf-8") as handle:
        for line in handle:
            word, _, value = line.strip().partition(" ")
            if value:
                table[word] = float(value)
    values = sorted(table.values())
    return table, values[len(values) // 2]


def _jieba_idf_whole():
    return _once("idf-whole", _load_jieba_idf)


def _load_jieba_idf():
    idf = cached_table("jieba-idf", [JIEBA_IDF], _read_jieba_idf)
    _keep_lookup_once(_state.get("jieba"), idf)
    return idf


# --- the same tables, looked up word by word ------------------------------------------
# A rebuild after one edit analyses one article: ~5,000 lookups, where loading the tables
# whole costs ~1 CPU-s (~600,000 word frequencies, ~350,000 tags, ~260,000 IDF values). An
# SQLite file of the same tables (made once, when a process loads them whole and finds it
# missing) answers a lookup in ~15-40 µs; after LOOKUP_BUDGET lookups in a process (~0.3 s)
# the next use loads the tables whole and the process goes on with them: a cold build pays
# at most that, and gets the same values either way. The project's words took ~3,300
# lookups (now kept added: _add_project_words), an article takes ~3 a character: an edited
# article of up to ~3,300 characters is analysed without loading the tables.
LOOKUP_NAME = "jieba-lookup"
LOOKUP_BUDGET = 10_000
LOOKUP_FORMAT = "1"
_ABSENT = object()
_budget = [LOOKUP_BUDGET]  # lookups left before the tables are loaded whole (this process)


def lookup_path():
    return kept_path(LOOKUP_NAME, [JIEBA_DICT, JIEBA_IDF], suffix=".sqlite")


def keep_lookup(tables, idf):
    """Write the lookup file of jieba's ``tables`` (:func:`_build_jieba_tables`) and ``idf``
    (``(table, median)``), atomically; a cache that cannot be written is only skipped."""
    freq, total, tags = tables
    path = lookup_path()
    folder = path.parent
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        _remove_unused(folder, LOOKUP_NAME)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{LOOKUP_NAME}-", suffix=".tmp")
        os.close(handle)
        try:
            db = sqlite3.connect(temporary)
            try:
                db.execute("CREATE TABLE freq (word TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID")
                db.execute("CREATE TABLE tags (word TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
                db.execute("CREATE TABLE idf (word TEXT PRIMARY KEY, value REAL NOT NULL) WITHOUT ROWID")
                db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value) WITHOUT ROWID")
                db.executemany("INSERT INTO freq VALUES (?, ?)", freq.items())
                db.executemany("INSERT INTO tags VALUES (?, ?)", tags.items())
                db.executemany("INSERT INTO idf VALUES (?, ?)", idf[0].items())
                db.executemany("INSERT INTO meta VALUES (?, ?)",
                               [("format", LOOKUP_FORMAT), ("total", total), ("median", idf[1])])
                db.commit()
            finally:
                db.close()
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    except (OSError, sqlite3.Error, UnicodeEncodeError, OverflowError) as error:
        log.info("segment: could not keep %s in %s: %s", LOOKUP_NAME, folder, error)


def _read_only(path):
    return sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True, check_same_thread=False)


class _Lookup:
    """The open lookup file: one connection per process (a forked child opens its own)."""

    def __init__(self, path, total, median):
        self.path, self.total, self.median = path, total, median
        self._pid, self._db = None, None
        self._inherited = []  # a parent's connections: never closed (nor used) in a child
        self._lookup_lock = threading.Lock()  # one connection, any thread (the desk's server)

    @classmethod
    def open(cls, path):
        """The lookup file at ``path``, or None when there is none usable (then the
        tables are loaded whole): missing, of another format, foreign or unreadable."""
        try:
            with open(path, "rb") as handle:
                if not _written_only_by_us(handle):
                    raise ValueError("owned by another user or writable by others")
            db = _read_only(path)
            try:
                meta = dict(db.execute("SELECT name, value FROM meta"))
            finally:
                db.close()
            if meta.get("format") != LOOKUP_FORMAT or type(meta.get("total")) is not int:
                raise ValueError("another format")
            return cls(path, meta["total"], float(meta["median"]))
        except FileNotFoundError:
            return None
        except Exception as error:  # noqa: BLE001 — a damaged or foreign file: loaded whole, then replaced
            log.info("segment: not looking words up in %s (%s)", path, error)
            _state["lookup-unusable"] = True
            return None

    def value(self, table, word):
        with self._lookup_lock:
            if self._pid != os.getpid():
                if self._db is not None:
                    self._inherited.append(self._db)
                self._db = _read_only(self.path)
                self._pid = os.getpid()
            _budget[0] -= 1
            try:
                row = self._db.execute(f"SELECT value FROM {table} WHERE word = ?", (word,)).fetchone()
            except UnicodeEncodeError:  # a lone surrogate: no word of jieba's files
                return None
        return None if row is None else row[0]


class LookupTable:
    """One of jieba's tables (``freq``, ``tags``, ``idf``) as a dict is read — ``get``,
    ``in``, ``[]`` — answered from the lookup file, with the words this process adds
    (``[]=``, ``update``: the project's words) in front. Nothing iterates these tables."""

    __slots__ = ("_lookup", "_table", "_added")

    def __init__(self, lookup, table):
        self._lookup, self._table, self._added = lookup, table, {}

    def get(self, word, default=None):
        found = self._added.get(word, _ABSENT)
        if found is _ABSENT:
            found = self._lookup.value(self._table, word)
            if found is None:
                return default
        return found

    def __contains__(self, word):
        return self.get(word, _ABSENT) is not _ABSENT

    def __getitem__(self, word):
        found = self.get(word, _ABSENT)
        if found is _ABSENT:
            raise KeyError(word)
        return found

    def __setitem__(self, word, value):
        self._added[word] = value

    def update(self, other):
        self._added.update(other)


def _lookup():
    """The lookup file of this process while its budget lasts, else None (load whole)."""
    if _budget[0] <= 0:
        return None
    found = _state.get("lookup", _ABSENT)
    if found is _ABSENT:
        with _lock:
            found = _state.get("lookup", _ABSENT)
            if found is _ABSENT:
                found = _state["lookup"] = _Lookup.open(lookup_path())
    return found


def _current(key, looked_up, whole):
    """``_state[key]``: made by ``looked_up(lookup)`` while the lookup file and its budget
    last, else (and from then on) by ``whole()``."""
    state = _state.get(key)
    if state is not None and not (state[0] and _budget[0] <= 0):
        return state[1]
    with _lock:
        state = _state.get(key)
        if state is None or (state[0] and _budget[0] <= 0):
            lookup = _lookup()
            state = _state[key] = (True, looked_up(lookup)) if lookup is not None else (False, whole())
    return state[1]


def load_whole():
    """Load jieba's tables whole now (a process that will cut much, or forks children that
    will: the preview's warm build server)."""
    _budget[0] = 0
    _get()
    plain_tokenizer()
    idf_table()


LOOKUPS_PER_CHARACTER = 3  # what an article's analysis asks of the tables (the comment above)


def load_whole_to_cut(characters):
    """Before cutting ``characters`` characters of text here or in children forked after
    this call: load the tables whole now if the lookups would run out on the way (and each
    forked child would then load its own copy: a cold build analysing on two cores loaded
    them twice, ~1.5 CPU-s each). Fewer characters are left to the lookup file."""
    if characters * LOOKUPS_PER_CHARACTER >= _budget[0]:
        load_whole()


def idf_table():
    """jieba's general-language IDF table and its median (for unknown words)."""
    return _current("idf", lambda lookup: (LookupTable(lookup, "idf"), lookup.median), _jieba_idf_whole)


def _tokenizer_with(freq, total):
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total = freq, total
    tokenizer.initialized = True  # initialize() would read the dictionary again
    return tokenizer


def plain_tokenizer():
    """A ``jieba.Tokenizer`` with jieba's own dictionary only (the slugs: a URL must
    not move when the project dictionary does); shares the loaded tables, never changed."""
    return _current("plain", lambda lookup: _tokenizer_with(LookupTable(lookup, "freq"), lookup.total),
                    lambda: _tokenizer_with(*_jieba_tables()[:2]))


def _project_words():
    """The project's words and tags (user dictionary, gazetteer places, name and noun
    cues), without jieba's tables: a rebuild whose articles are all cached asks only
    these (``user_tag``) and need not load jieba at all."""
    return _once("words", _read_project_words)


PLACE_WORD = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]{2,}")  # 798艺术区 too: jieba cuts digits and letters with Han
def project_entries():
    """``[(word, freq or None, tag)]``: the user dictionary and the gazetteer's places, as
    the project tokenizer adds them to jieba's."""
    return _project_words()["entries"]


def _read_project_words():
    entries = read_userdict()
    places = [name for name in gazetteer_places()
              if PLACE_WORD.fullmatch(name) and len(HAN_CHAR.findall(name)) >= 2]
    listed = {word for word, _, _ in entries}
    entries += [(name, PLACE_FREQ, "ns") for name in places if name not in listed]
    user_words = frozenset(word for word, _, _ in entries)
    entries += [entry for entry in read_userdict(RETAG) if entry[0] not in user_words]
    return {
        "entries": entries,
        "places": places,
        "user_words": user_words,
        "user_tags": {word: tag for word, _, tag in entries},
        "surnames": frozenset(read_word_list(SURNAMES)),
        "noun_suffixes": frozenset(read_word_list(NOUN_SUFFIXES)),
        "agent_suffixes": frozenset(_first_line_words(NOUN_SUFFIXES)),
    }


def _load(lookup=None):
    """The project tokenizer and tags: jieba's tables (loaded whole, or looked up in
    ``lookup``) with the project's words added."""
    words = _project_words()
    if lookup is None:
        freq, total, jieba_tags = _jieba_tables()
        tokenizer = _tokenizer_with(dict(freq), total)
        tags = dict(jieba_tags)
        for word, freq, tag in words["entries"]:
            tokenizer.add_word(word, freq, tag)
    else:
        tokenizer = _tokenizer_with(LookupTable(lookup, "freq"), lookup.total)
        tags = LookupTable(lookup, "tags")
        _add_project_words(tokenizer, words["entries"])
    # As jieba.posseg.POSTokenizer(tokenizer).makesure_userdict_loaded() would make it.
    tags.update(tokenizer.user_word_tag_tab)
    log.info("segment: jieba loaded with %d project words (%d gazetteer places)",
             len(words["entries"]), len(words["places"]))
    return {**words, "tokenizer": tokenizer, "tags": tags}


# What adding the project's words (``Tokenizer.add_word`` for each entry, in order) does to a
# looked-up tokenizer: ~3,300 lookups (each word and its prefixes) and a cut for every word
# without a frequency (``suggest_freq``), ~0.07-0.10 CPU-s and a third of LOOKUP_BUDGET in
# every process that analyses an article. The result depends only on the entries and
# jieba's tables, so it is kept in the cache folder by their digest (and the lookup file's
# key, which names jieba's files and version): the words it added or changed with their
# frequencies, the total, the tags and the words forced apart (frequency 0).
PROJECT_WORDS_NAME = "jieba-project-words"
PROJECT_WORDS_FORMAT = 1


def project_words_path(entries):
    digest = hashlib.sha1(f"{PROJECT_WORDS_FORMAT}\x00{lookup_path().name}\x00{entries!r}".encode())
    return dictionary_cache_dir() / f"{PROJECT_WORDS_NAME}-{digest.hexdigest()[:16]}.marshal"


def _usable_additions(kept, total):
    return (type(kept) is dict and kept.get("format") == PROJECT_WORDS_FORMAT and kept.get("before") == total
            and type(kept.get("total")) is int and type(kept.get("added")) is dict
            and all(type(word) is str and type(freq) is int for word, freq in kept["added"].items())
            and type(kept.get("tags")) is dict
            and all(type(word) is str and type(tag) is str for word, tag in kept["tags"].items())
            and type(kept.get("split")) is list and all(type(word) is str for word in kept["split"]))


def _add_project_words(tokenizer, entries):
    """``tokenizer.add_word`` for each of ``entries`` on a looked-up tokenizer (its ``FREQ``
    a :class:`LookupTable` with nothing added yet), or the same result kept from an earlier
    process (see above)."""
    path = project_words_path(entries)
    before = tokenizer.total
    kept = read_kept_table(path)
    if _usable_additions(kept, before):
        tokenizer.FREQ.update(kept["added"])
        tokenizer.total = kept["total"]
        tokenizer.user_word_tag_tab.update(kept["tags"])
        for word in kept["split"]:
            jieba.finalseg.add_force_split(word)
        return
    for word, freq, tag in entries:
        tokenizer.add_word(word, freq, tag)
    keep_table(path, PROJECT_WORDS_NAME, {
        "format": PROJECT_WORDS_FORMAT, "before": before, "total": tokenizer.total,
        "added": dict(tokenizer.FREQ._added), "tags": dict(tokenizer.user_word_tag_tab),
        # add_word forces a word apart when its frequency is 0 (suggest_freq never gives 0).
        "split": [word for word, freq, _ in entries if freq is not None and int(freq) == 0]})


def _first_line_words(path):
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        words = raw.split("#", 1)[0].split()
        if words:
            return words
    return []


def agent_suffixes():
    """Single characters that name a person by trade when they follow a word (检修 + 工)."""
    return _project_words()["agent_suffixes"]


def _get():
    return _current("loaded", _load, _load)


def tokenizer():
    """The project's ``jieba.Tokenizer`` (user dictionary loaded), created once."""
    return _get()["tokenizer"]


def pos_tokenizer():
    """A ``jieba.posseg.POSTokenizer`` over :func:`tokenizer` (made on first use:
    importing ``jieba.posseg`` alone reads jieba's dictionary for its own tokenizer)."""
    state = _get()
    if "pos" not in state:
        with _lock:
            if "pos" not in state:
                import jieba.posseg

                pos = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
                pos.tokenizer = state["tokenizer"]
                pos.word_tag_tab = state["tags"]  # jieba's tags and ours, already merged
                state["pos"] = pos
    return state["pos"]


def surnames():
    """Common single-character surnames (``newsroom/data/surnames.txt``)."""
    return _project_words()["surnames"]


def user_words():
    """The project's own words: the user dictionary and the gazetteer's places."""
    return _project_words()["user_words"]


def user_tag(word):
    """The tag the project gives ``word`` (``ns`` for gazetteer places), or None."""
    return _project_words()["user_tags"].get(word)


def cut(text, hmm=True):
    """Words of ``text`` (as ``jieba.cut``), with the project dictionary."""
    return cut_words(tokenizer(), text, hmm)


def cut_for_search(text):
    """Words and their in-dictionary sub-words, for a search index (as
    ``jieba.Tokenizer.cut_for_search``)."""
    freq = tokenizer().FREQ
    out = []
    for word in cut(text):
        if len(word) > 2:
            out.extend(gram for gram in (word[i:i + 2] for i in range(len(word) - 1)) if freq.get(gram))
        if len(word) > 3:
            out.extend(gram for gram in (word[i:i + 3] for i in range(len(word) - 2)) if freq.get(gram))
        out.append(word)
    return out


# --- cutting: jieba 0.42.1's algorithm, one loop, a list --------------------------------
# jieba's own patterns: the runs it cuts, the separators it keeps, Latin letters and digits.
RE_BLOCK = jieba.re_han_default
RE_SKIP = jieba.re_skip_default
RE_LATIN = jieba.re_eng


def _best_route(block, freq, logtotal):
    """``end[k]``: the last index of the word that starts at ``k`` on the most probable
    cut of ``block`` — jieba's ``get_DAG`` and ``calc`` in one backward pass, with the
    same floating-point sums and the same tie-break (the longer word)."""
    n = len(block)
    score = [0.0] * (n + 1)
    end = list(range(n))
    get = freq.get
    for k in range(n - 1, -1, -1):
        i = k
        count = get(block[k])
        best = None
        while count is not None:  # every dictionary word (count > 0) starting at k
            if count:
                value = natural_log(count) - logtotal + score[i + 1]
                if best is None or value >= best:
                    best = value
                    end[k] = i
            i += 1
            if i >= n:
                break
            count = get(block[k:i + 1])
        score[k] = -logtotal + score[k + 1] if best is None else best
    return end


def _add_single_run(out, run, freq):
    """A run of single characters, as jieba's ``__cut_DAG`` adds it: one character as
    it is, a run the dictionary lacks through the HMM, a dictionary word (which the route
    did not take) character by character."""
    if len(run) == 1:
        out.append(run)
    elif not freq.get(run):
        out.extend(finalseg.cut(run))
    else:
        out.extend(run)


# A clause (a run of Han characters, letters and digits between punctuation) cut once is cut
# the same way again: pos_cut remembers the words of up to MEMO_BLOCKS clauses of at most
# MEMO_BLOCK_CHARS characters per loaded tokenizer and hmm setting, forgotten all at once when
# full (0.7-1 KB a clause measured with tracemalloc: at most ~10 MB each, ~20 MB a process).
# Stock clauses recur across a paper's articles (本报讯, 记者了解到, 据介绍): in the labelled sets
# ~10% of the clauses' characters are in clauses seen before; in the benchmark's generated
# catalogue ~80% (its sentences come from templates), so the gain there overstates real text's.
MEMO_BLOCKS = 10_000
MEMO_BLOCK_CHARS = 40


def cut_words(tokenizer, text, hmm=True, memo=None):
    """``list(tokenizer.cut(text, HMM=hmm))`` (jieba's accurate mode), computed faster.

    ``memo``: a dict of clauses already cut by this tokenizer with this ``hmm`` (pos_cut's),
    read and filled here; None: every clause is cut."""
    freq = tokenizer.FREQ
    logtotal = natural_log(tokenizer.total)
    out = []
    append = out.append
    for block in RE_BLOCK.split(text):
        if not block:
            continue
        if not RE_BLOCK.match(block):
            for part in RE_SKIP.split(block):
                if RE_SKIP.match(part):
                    append(part)
                else:
                    out.extend(part)
            continue
        if memo is not None:
            words = memo.get(block)
            if words is not None:
                out.extend(words)
                continue
            first = len(out)
        end = _best_route(block, freq, logtotal)
        n = len(block)
        x = 0
        buf = ""
        if hmm:
            # Runs of single characters go to jieba's HMM unless the run is a word itself.
            while x < n:
                y = end[x] + 1
                if y - x == 1:
                    buf += block[x]
                else:
                    if buf:
                        _add_single_run(out, buf, freq)
                        buf = ""
                    append(block[x:y])
                x = y
            if buf:
                _add_single_run(out, buf, freq)
        else:
            # Single Latin letters and digits are joined (jieba's __cut_DAG_NO_HMM).
            while x < n:
                y = end[x] + 1
                word = block[x:y]
                if y - x == 1 and RE_LATIN.match(word):
                    buf += word
                else:
                    if buf:
                        append(buf)
                        buf = ""
                    append(word)
                x = y
            if buf:
                append(buf)
        if memo is not None and len(block) <= MEMO_BLOCK_CHARS:
            if len(memo) >= MEMO_BLOCKS:
                memo.clear()
            memo[block] = tuple(out[first:])
    return out


def word_tag(word):
    """The part-of-speech tag of one word: from the dictionaries, else a guess."""
    state = _get()
    tag = state["tags"].get(word)
    if tag is not None:
        return tag
    return _guess_tag(word, state["surnames"], state["noun_suffixes"])


@lru_cache(maxsize=65536)
def _guess_tag(word, surnames, noun_suffixes):
    if word.isdigit():
        return "m"
    if word.isascii() and word.isalnum():
        return "eng"
    if HAN_WORD.fullmatch(word) and len(word) >= 2:
        if len(word) <= 3 and word[0] in surnames:
            return "nr"
        if len(word) >= 3 and word[-1] in noun_suffixes:  # 2-character guesses are mostly debris (以赛)
            return "n"
    return "x"


def pos_cut(text, hmm=True):
    """``[(word, tag)]`` for ``text``; see the module docstring for how tags are found.

    ``hmm=False`` skips jieba's new-word model: faster, but unknown words fall apart
    into single characters.
    """
    state = _get()
    tags = state["tags"]
    surnames = state["surnames"]
    suffixes = state["noun_suffixes"]
    agents = state["agent_suffixes"]
    memo = state.get(("clauses", hmm))
    if memo is None:  # this tokenizer's clauses already cut (see MEMO_BLOCKS)
        memo = state[("clauses", hmm)] = {}
    out = []
    for word in cut_words(state["tokenizer"], text, hmm, memo):
        tag = tags.get(word)
        if tag is None:
            tag = _guess_tag(word, surnames, suffixes)
        elif (
            len(word) == 1
            and word in agents
            and out
            and len(out[-1][0]) == 2
            and out[-1][1] in AGENT_STEM_TAGS
            and HAN_WORD.fullmatch(out[-1][0])
        ):
            # A trade suffix jieba leaves alone joins the word before it: 检修/vn 工/n -> 检修工/n.
            out[-1] = (out[-1][0] + word, "n")
            continue
        out.append((word, tag))
    return out
