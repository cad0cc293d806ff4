"""newsroom.text.segment's own cutter and shared dictionary give exactly what jieba gives.

The keyword analysis, the slugs and the search all cut through ``segment.cut_words``
(jieba's algorithm re-written as one loop) and tokenizers built from one cached
(``marshal``) copy of jieba's tables; these tests compare both with jieba itself on real
text, and check the cache: written, used, rebuilt when damaged or foreign, never pruned
while another key still uses it; and the lookup file (the same tables, looked up word by
word by a process that cuts little) gives what the whole tables give.
"""

import marshal
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import jieba
import jieba.posseg
import pytest

from newsroom.text import segment
from newsroom.paper.content import read_source

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "seeds" / "000_332a3af2ca99ee77.txt"

ODD_TEXTS = [
    "",
    "abc def 12.5% 3.14 a-b c++ C# x_y",
    "\r\n\t 职工 \n\n",
    "工会ABC工会，2024年12月，12351热线",
    "１２３全角ＡＢＣ，“引号”（括号）——破折号……",
    "一" * 40,
    "齐静赴门头沟慰问一线职工护水员检修工",
]


def texts():
    found = list(ODD_TEXTS)
    if REFERENCE.exists():
        found.append(REFERENCE.read_text(encoding="utf-8"))
    for folder in (ROOT / "tests" / "fixtures" / "keywords", ROOT / "content"):
        for path in sorted(folder.rglob("*.md")):
            if path.name == "README.md":
                continue
            source = read_source(path)
            found += [source.title or "", source.text]
    return found


@pytest.fixture(scope="module", autouse=True)
def whole_tables():
    """These tests compare the tables themselves: loaded whole (a process that has cut
    little looks words up in the lookup file instead; the tests at the end compare that)."""
    segment.load_whole()


@pytest.fixture(scope="module")
def reference_tokenizer():
    """The project tokenizer built the way jieba documents it (initialize, add_word)."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word, freq, tag in segment.project_entries():
        tokenizer.add_word(word, freq, tag)
    return tokenizer


def test_project_tables_equal_jiebas(reference_tokenizer):
    ours = segment.tokenizer()
    assert ours.FREQ == reference_tokenizer.FREQ
    assert ours.total == reference_tokenizer.total
    pos = jieba.posseg.POSTokenizer(reference_tokenizer)
    pos.makesure_userdict_loaded()
    assert segment.pos_tokenizer().word_tag_tab == pos.word_tag_tab
    assert segment.pos_tokenizer().tokenizer is ours


@pytest.mark.parametrize("hmm", [True, False])
def test_cut_words_equals_jieba_cut(reference_tokenizer, hmm):
    corpus = texts()
    assert len(corpus) > 100
    for text in corpus:
        assert segment.cut(text, hmm) == list(reference_tokenizer.cut(text, HMM=hmm)), text[:40]


def test_cut_for_search_equals_jiebas(reference_tokenizer):
    for text in texts():
        assert segment.cut_for_search(text) == list(reference_tokenizer.cut_for_search(text)), text[:40]


def test_plain_tokenizer_is_jiebas_own_dictionary():
    plain = jieba.Tokenizer()
    plain.initialize()
    ours = segment.plain_tokenizer()
    assert ours.FREQ == plain.FREQ and ours.total == plain.total
    assert ours.FREQ is not segment.tokenizer().FREQ  # the project's words never leak into it
    for text in texts()[:60]:
        assert segment.cut_words(ours, text, hmm=False) == list(plain.cut(text, HMM=False))


LOAD = """
import sys, time
sys.path.insert(0, {root!r})
from newsroom.text import segment
segment.tokenizer()
print(sorted(p.name for p in segment.dictionary_cache_dir().glob("*.marshal")))
print(segment.cut("东高村镇困难职工走进职工之家"))
"""


def test_dictionary_tables_are_written_then_used_and_a_damaged_one_rebuilt(tmp_path):
    env = {**os.environ, segment.CACHE_ENV: str(tmp_path / "dicts")}
    script = LOAD.format(root=str(ROOT))

    def run():
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
        return done.stdout.splitlines()

    first = run()
    stored = list((tmp_path / "dicts").glob("jieba-tables-*.marshal"))
    assert len(stored) == 1 and first[0] == str([stored[0].name])
    assert oct(os.stat(tmp_path / "dicts").st_mode & 0o777) == "0o700"
    freq, total, tags = marshal.loads(stored[0].read_bytes())
    assert freq["职工"] > 0 and total > 1_000_000 and tags["职工"] == "n"
    assert run() == first  # loaded from the file: the same words
    stored[0].write_bytes(b"not marshal data")
    assert run() == first  # damaged: rebuilt, same words
    assert stored[0].stat().st_size > 1_000_000


def _tiny_table():
    return {"职工": 12, "工会": 7}, 19, ("n", {"x": None})


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(segment.CACHE_ENV, str(tmp_path))
    built = []

    def get():
        return segment.cached_table("tiny", [REFERENCE if REFERENCE.exists() else __file__],
                                    lambda: built.append(1) or _tiny_table())

    return tmp_path, get, built


def test_cached_table_rebuilds_code_objects_and_files_others_may_write(cache):
    folder, get, built = cache
    assert get() == _tiny_table() and get() == _tiny_table() and len(built) == 1
    (stored,) = folder.glob("tiny-*.marshal")
    stored.write_bytes(marshal.dumps(compile("1 / 0", "x", "eval")))  # marshal can carry code
    assert get() == _tiny_table() and len(built) == 2
    stored.chmod(0o666)
    assert get() == _tiny_table() and len(built) == 3
    assert stored.stat().st_mode & 0o777 == 0o600  # replaced by a file only we may write
    assert get() == _tiny_table() and len(built) == 3


def test_cached_table_keeps_other_keys_and_prunes_only_unused_ones(cache):
    folder, get, built = cache
    month_ago = time.time() - segment.CACHE_MAX_AGE - 3600
    other_venv = folder / "tiny-0123456789abcdef.marshal"
    unused = folder / "tiny-fedcba9876543210.marshal"
    old_pickle = folder / "tiny-fedcba9876543210.pickle"
    for path in (other_venv, unused, old_pickle):
        path.write_bytes(marshal.dumps(_tiny_table()))
    for path in (unused, old_pickle):
        os.utime(path, (month_ago, month_ago))
    get()
    names = sorted(path.name for path in folder.iterdir())
    assert other_venv.name in names and unused.name not in names and old_pickle.name not in names
    assert len(names) == 2 and len(built) == 1


def test_tables_that_are_not_plain_data_are_not_cached(cache, tmp_path):
    assert not segment.is_plain_data({"a": tmp_path}) and segment.is_plain_data(_tiny_table())
    assert segment.cached_table("odd", [__file__], lambda: {"a": tmp_path}) == {"a": tmp_path}
    assert not list(tmp_path.glob("odd-*"))


# A process that cuts little looks words up in the lookup file (segment.LookupTable); what
# it cuts, tags and weighs must be what the whole tables give, and when its budget is
# spent, or the file is missing, damaged or foreign, it loads the tables whole.
LOOKUP_RUN = """
import hashlib, sys
sys.path.insert(0, {root!r})
from newsroom.text import keywords, segment, slugs
from newsroom.paper.analysis import analyze_source
from newsroom.paper.content import read_source
mode, budget, paths = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
segment._budget[0] = budget
if mode == "whole":
    segment.load_whole()
out = []
for path in paths:
    source = read_source(path)
    out.append(repr(analyze_source(source)))
    out.append(repr(segment.pos_cut(source.text)))
    out.append(repr(segment.cut(source.text, hmm=False)))
    out.append(repr(segment.cut_for_search(source.title or "")))
    out.append(slugs.slugify_headline(source.title or ""))
    out.append(repr(list(segment.plain_tokenizer().cut(source.text, HMM=False))))
out.append(repr([keywords._general_idf(word) for word in ("职工", "工会", "之家", "不存在的词", "\\ud800")]))
out.append(repr([segment.word_tag(word) for word in ("职工", "门头沟区", "检修", "不存在的词")]))
out.append(repr(segment.tokenizer().total))
looked_up = segment._state["loaded"][0]
print(("lookup" if looked_up else "whole"), hashlib.sha256("\\n".join(out).encode()).hexdigest())
"""


def _articles(count):
    found = sorted(path for path in (ROOT / "content").rglob("*.md") if path.name != "README.md")
    assert len(found) >= count
    return [str(path) for path in found[:count]]


def _run_lookup(env, mode, budget, paths):
    done = subprocess.run([sys.executable, "-c", LOOKUP_RUN.format(root=str(ROOT)), mode, str(budget), *paths],
                          env=env, capture_output=True, text=True, check=True)
    return done.stdout.split()


@pytest.fixture(scope="module")
def first_cache(tmp_path_factory):
    """A cache folder as the first process to cut fills it: ``(folder, paths, first)``.

    An empty folder, three articles analysed in lookup mode: no lookup file yet, so the
    tables are built and loaded whole (``first`` is ``["whole", <digest>]``: the whole
    tables' results) and the lookup file is written for later. Building and writing them
    costs ~7 CPU-s; each test used to pay it in a folder of its own. Now it is paid once
    per module, and the tests work on copies (:func:`_copy_of`) that they may damage;
    the folder itself is never changed."""
    folder = tmp_path_factory.mktemp("first-cache") / "dicts"
    paths = _articles(3)
    first = _run_lookup({**os.environ, segment.CACHE_ENV: str(folder)}, "lookup", segment.LOOKUP_BUDGET, paths)
    return folder, paths, first


def _copy_of(first_cache, tmp_path):
    """The environment of a process using a copy of ``first_cache``'s folder (files,
    modes and times kept)."""
    copy = tmp_path / "dicts"
    shutil.copytree(first_cache[0], copy)
    return {**os.environ, segment.CACHE_ENV: str(copy)}


def test_the_lookup_file_gives_what_the_whole_tables_give(first_cache, tmp_path):
    folder, paths, first = first_cache
    # No lookup file yet (the shared folder's first process): the tables are loaded whole,
    # and the file is written for later.
    assert first[0] == "whole"
    assert len(list(folder.glob("jieba-lookup-*.sqlite"))) == 1
    env = _copy_of(first_cache, tmp_path)
    looked_up = _run_lookup(env, "lookup", 10**9, paths)
    assert looked_up == ["lookup", first[1]]
    assert _run_lookup(env, "whole", 0, paths) == ["whole", first[1]]
    # The budget spent half-way: the rest is cut with the whole tables, the same words.
    assert _run_lookup(env, "lookup", 3000, paths) == ["whole", first[1]]


def test_a_damaged_or_foreign_lookup_file_is_not_used(first_cache, tmp_path):
    env = _copy_of(first_cache, tmp_path)
    _, paths, expected = first_cache  # the whole tables' results: ["whole", <digest>]
    assert expected[0] == "whole"
    (stored,) = (tmp_path / "dicts").glob("jieba-lookup-*.sqlite")
    assert _run_lookup(env, "lookup", 10**9, paths) == ["lookup", expected[1]]
    stored.chmod(0o666)
    assert _run_lookup(env, "lookup", 10**9, paths) == expected
    stored.chmod(0o600)
    assert _run_lookup(env, "lookup", 10**9, paths) == ["lookup", expected[1]]  # replaced by one of ours
    stored.write_bytes(b"not an SQLite file" * 100)
    assert _run_lookup(env, "lookup", 10**9, paths) == expected
    assert _run_lookup(env, "lookup", 10**9, paths) == ["lookup", expected[1]]  # written again


# The project's words added to a looked-up tokenizer, as kept in the cache folder
# (segment._add_project_words): the same state as adding them one by one.
ADDED_RUN = """
import hashlib, sys
sys.path.insert(0, {root!r})
import jieba
from newsroom.text import segment
segment._budget[0] = 10**9
tokenizer = segment.tokenizer()
state = (list(tokenizer.FREQ._added.items()), tokenizer.total, list(tokenizer.user_word_tag_tab.items()),
         sorted(jieba.finalseg.Force_Split_Words), list(segment._get()["tags"]._added.items()))
print(10**9 - segment._budget[0], hashlib.sha256(repr(state).encode()).hexdigest())
"""


def test_the_project_words_kept_for_a_looked_up_tokenizer_give_the_same_tokenizer(first_cache, tmp_path):
    env = _copy_of(first_cache, tmp_path)  # the lookup file, written by a process that loaded the tables whole
    _, paths, expected = first_cache
    assert not list((tmp_path / "dicts").glob(f"{segment.PROJECT_WORDS_NAME}-*"))  # not kept yet
    run = lambda: subprocess.run([sys.executable, "-c", ADDED_RUN.format(root=str(ROOT))], env=env,  # noqa: E731
                                 capture_output=True, text=True, check=True).stdout.split()
    lookups, added = run()  # adds them word by word (~3,300 lookups) and keeps the result
    assert int(lookups) > 1000
    (kept,) = (tmp_path / "dicts").glob(f"{segment.PROJECT_WORDS_NAME}-*.marshal")
    assert run() == ["0", added]  # from the file: no lookup, the same tokenizer
    assert _run_lookup(env, "lookup", 10**9, paths) == ["lookup", expected[1]]
    for damaged in (b"not marshal", marshal.dumps({"format": segment.PROJECT_WORDS_FORMAT}),
                    marshal.dumps([1, 2])):
        kept.write_bytes(damaged)
        assert run() == [lookups, added]  # added again, and kept again
        assert run() == ["0", added]
    kept.chmod(0o666)  # writable by others: not read
    assert run() == [lookups, added]


FORKED_ANALYSIS = """
import os, sys
sys.path.insert(0, {root!r})
from newsroom.text import segment
loads = {log!r}
original = segment._load_jieba_tables
def counted():
    with open(loads, "a") as log:
        log.write(str(os.getpid()) + "\\n")
    return original()
segment._load_jieba_tables = counted
segment.load_whole_to_cut(10)  # a headline's worth: left to the lookup file
print(segment._budget[0] == segment.LOOKUP_BUDGET)
from plugins.keywords.keywords import CandidateCache
cache = CandidateCache({cache!r})
body = "本报讯 区总工会开展送温暖活动，为困难职工送去米面油和慰问金。" * 200
cache.analyse_missing([("标题" + str(n), body + str(n), "") for n in range(4)])
print(len(cache.stored))
"""


def test_an_analysis_on_two_cores_loads_the_tables_once_before_the_fork(tmp_path):
    """A cold build analyses on every core; the parent used to warm the tokenizers with a
    lookup, so the parent's share and the forked worker's each loaded jieba's tables whole
    (~1.5 CPU-s each). Now the parent loads them before the fork, once, and the worker
    shares them: one load, in the parent."""
    log = tmp_path / "loads.txt"
    script = FORKED_ANALYSIS.format(root=str(ROOT), log=str(log), cache=str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "4"], done.stdout + done.stderr
    pids = log.read_text().split()
    assert len(pids) == 1, pids
