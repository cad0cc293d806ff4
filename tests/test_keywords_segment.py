"""newsroom.segment's own cutter and shared dictionary give exactly what jieba gives.

The keyword analysis, the slugs and the search all cut through ``segment.cut_words``
(jieba's algorithm re-written as one loop) and tokenizers built from one pickled copy
of jieba's tables; these tests compare both with jieba itself on real text.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import jieba
import jieba.posseg
import pytest

from newsroom import segment
from newsroom.content import read_source

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


@pytest.fixture(scope="module")
def reference_tokenizer():
    """The project tokenizer built the way jieba documents it (initialize, add_word)."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    entries = segment.read_userdict()
    places = [name for name in segment.gazetteer_places() if re.fullmatch(r"[\u4e00-\u9fff]{2,}", name)]
    listed = {word for word, _, _ in entries}
    entries += [(name, segment.PLACE_FREQ, "ns") for name in places if name not in listed]
    for word, freq, tag in entries:
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
from newsroom import segment
segment.tokenizer()
print(sorted(p.name for p in segment.dictionary_cache_dir().glob("*.pickle")))
print(segment.cut("东高村镇困难职工走进职工之家"))
"""


def test_dictionary_pickle_is_written_then_used_and_a_damaged_one_rebuilt(tmp_path):
    env = {**os.environ, segment.CACHE_ENV: str(tmp_path / "dicts")}
    script = LOAD.format(root=str(ROOT))

    def run():
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
        return done.stdout.splitlines()

    first = run()
    pickles = list((tmp_path / "dicts").glob("jieba-tables-*.pickle"))
    assert len(pickles) == 1 and first[0] == str([pickles[0].name])
    assert oct(os.stat(tmp_path / "dicts").st_mode & 0o777) == "0o700"
    assert run() == first  # loaded from the pickle: the same words
    pickles[0].write_bytes(b"not a pickle")
    assert run() == first  # damaged: rebuilt, same words
    assert pickles[0].stat().st_size > 1_000_000
