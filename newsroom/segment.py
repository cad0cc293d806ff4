"""The project's one jieba adapter: Chinese word segmentation with part-of-speech tags.

Everything that cuts Chinese text (keywords, search) goes through here so that the
project user dictionary (``newsroom/data/userdict.txt``) and the gazetteer's place
names (districts, streets, towns, landmarks: ``newsroom.districts``) apply everywhere,
and the jieba dictionary is loaded once per process, lazily, on first use.

Why not ``jieba.posseg.cut`` with HMM: its character-level POS model runs on every run
of single characters and cuts only ~0.3 MB/s. We cut with the tokenizer's HMM instead
(~2 MB/s, still finds unknown names), take tags from the dictionary (jieba's plus
ours), and guess a tag only for the few words the HMM invents: a Han word of 2-3
characters starting with a common surname is a person's name (``nr``), one ending in
a noun suffix (护水员) is a noun (``n``), anything else unknown is ``x``.
"""

import logging
import re
import threading
from functools import lru_cache
from pathlib import Path

import jieba
import jieba.posseg

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent / "data"
USERDICT = DATA / "userdict.txt"
SURNAMES = DATA / "surnames.txt"
NOUN_SUFFIXES = DATA / "noun_suffixes.txt"

AGENT_STEM_TAGS = frozenset({"n", "vn", "v"})  # 检修 + 工, 护理 + 员
HAN_WORD = re.compile(r"[\u4e00-\u9fff]+")

_lock = threading.Lock()
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

    Empty, with a warning, when the gazetteer cannot be read: segmentation still works,
    only places the user dictionary lacks may be cut in pieces.
    """
    try:
        from newsroom import districts

        gaz = districts.gazetteer()
        return sorted(name for name, (kind, _) in gaz.names.items() if kind == districts.PLACE)
    except (ImportError, AttributeError, ValueError, OSError) as error:
        log.warning("segment: gazetteer unavailable, place names not added: %s", error)
        return []


def _load():
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    entries = read_userdict()
    places = [name for name in gazetteer_places() if re.fullmatch(r"[\u4e00-\u9fff]{2,}", name)]
    listed = {word for word, _, _ in entries}
    entries += [(name, PLACE_FREQ, "ns") for name in places if name not in listed]
    for word, freq, tag in entries:
        tokenizer.add_word(word, freq, tag)
    pos = jieba.posseg.POSTokenizer(tokenizer)
    # POSTokenizer merges the user tags lazily on its first cut; do it now so that
    # word_tag() below sees them too.
    pos.makesure_userdict_loaded()
    log.info("segment: jieba loaded with %d project words (%d gazetteer places)", len(entries), len(places))
    return {
        "tokenizer": tokenizer,
        "pos": pos,
        "tags": pos.word_tag_tab,
        "user_words": frozenset(word for word, _, _ in entries),
        "user_tags": {word: tag for word, _, tag in entries},
        "surnames": frozenset(read_word_list(SURNAMES)),
        "noun_suffixes": frozenset(read_word_list(NOUN_SUFFIXES)),
        "agent_suffixes": frozenset(_first_line_words(NOUN_SUFFIXES)),
    }


def _first_line_words(path):
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        words = raw.split("#", 1)[0].split()
        if words:
            return words
    return []


def agent_suffixes():
    """Single characters that name a person by trade when they follow a word (检修 + 工)."""
    return _get()["agent_suffixes"]


def _get():
    state = _state.get("loaded")
    if state is None:
        with _lock:
            state = _state.get("loaded")
            if state is None:
                state = _state["loaded"] = _load()
    return state


def tokenizer():
    """The project's ``jieba.Tokenizer`` (user dictionary loaded), created once."""
    return _get()["tokenizer"]


def pos_tokenizer():
    """A ``jieba.posseg.POSTokenizer`` over :func:`tokenizer`."""
    return _get()["pos"]


def user_words():
    """The project's own words: the user dictionary and the gazetteer's places."""
    return _get()["user_words"]


def user_tag(word):
    """The tag the project gives ``word`` (``ns`` for gazetteer places), or None."""
    return _get()["user_tags"].get(word)


def cut(text, hmm=True):
    """Words of ``text`` (as ``jieba.cut``), with the project dictionary."""
    return list(tokenizer().cut(text, HMM=hmm))


def cut_for_search(text):
    """Words and their in-dictionary sub-words, for a search index."""
    return list(tokenizer().cut_for_search(text))


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
    out = []
    for word in state["tokenizer"].cut(text, HMM=hmm):
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
