"""Standing topics (专题): multi-label classification by weighted cue phrases.

Each topic is configured in ``newsroom/data/topics.toml`` (the one place both the
command line and the site read): an id, a Chinese name and description, weighted
cue phrases counted in the title, others counted in the body, negative cues, and a
threshold. An article belongs to every topic whose score reaches its threshold, so
it may have none, one or several topics.

Scoring, per topic:

* each title cue adds its weight once if it occurs in the title;
* each body cue adds its weight per occurrence in the body, at most
  ``BODY_OCCURRENCE_CAP`` times (a long report that repeats a phrase is not more
  on-topic than a short one that says it three times);
* each negative cue subtracts its weight the same way, counting in the title
  (once, doubled: a headline about 劳模 says what the story is) and in the body;
* a topic may list ``required`` phrases: unless one of them is in the title or the
  body, the article is not in the topic whatever its score (the arts topic is the
  workers' arts festival: no 艺术节, no arts, however cultural the story);
* ``required_in_lead = N`` asks for the required phrase in the title or the lead: the
  body's first N paragraphs, at least ``LEAD_MIN_CHARS`` characters of it (OCR'd text
  breaks paragraphs inside sentences). A story run as part of the festival says so up
  front; a talent contest whose last paragraph says its winners hope to enter the
  festival next year merely names it.

A cue is a literal phrase; ``*`` inside it stands for a gap of up to ``GAP_CHARS``
characters within one sentence (``慰问*困难职工`` matches ``慰问门头沟区困难职工``).
Where two cues start at the same character the longer one counts.

Text is matched with whitespace removed, because OCR'd and hand-wrapped Chinese
breaks lines inside words (``劳动\\n\\n争议``).
"""

import functools
import logging
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from newsroom import messages
from newsroom.errors import ContentError

logger = logging.getLogger(__name__)

DEFAULT_TOPICS_FILE = Path(__file__).resolve().parents[1] / "data" / "topics.toml"
TOPIC_ID = re.compile(r"^[a-z][a-z0-9-]*$")
BODY_OCCURRENCE_CAP = 3
TITLE_NEGATIVE_FACTOR = 2
GAP_CHARS = 12
GAP = f"[^。！？；\\n]{{0,{GAP_CHARS}}}"
WHITESPACE = re.compile(r"\s+")
PARAGRAPH_BREAK = re.compile(r"\n[ \t\u3000]*\n")
LEAD_MIN_CHARS = 200
CUE_KINDS = ("title_cues", "body_cues", "negative_cues")


class TopicConfigError(ValueError):
    """A topic configuration that cannot be used: says where and how to fix it."""


class UnknownTopic(ContentError):
    """An article's ``Topics:`` metadata names a topic that is not configured."""


@dataclass(frozen=True)
class Cue:
    phrase: str
    title: float = 0
    body: float = 0
    negative: float = 0


@dataclass(frozen=True)
class Topic:
    """One configured topic with its cues compiled into a single regular expression."""

    id: str
    name: str
    description: str
    threshold: float
    cues: tuple
    pattern: re.Pattern
    required: tuple = ()  # one of these phrases must be in the title or the body
    required_in_lead: int = 0  # ... or in the title or the body's first N paragraphs (0: anywhere)

    def required_met(self, title, body, raw_body=None):
        """``title`` and ``body`` squeezed; ``raw_body`` (with its paragraph breaks) for
        ``required_in_lead``."""
        where = lead(raw_body, self.required_in_lead) if self.required_in_lead and raw_body is not None else body
        return not self.required or any(p in title or p in where for p in self.required)

    def selected(self, title, body, raw_body=None):
        return self.required_met(title, body, raw_body) and self.score(title, body)[0] >= self.threshold

    def cue_counts(self, text):
        """``{cue index: occurrences}`` in ``text`` (whitespace already removed)."""
        counts = {}
        for match in self.pattern.finditer(text):
            index = int(match.lastgroup[1:])
            counts[index] = counts.get(index, 0) + 1
        return counts

    def score(self, title, body):
        """``(score, matched)`` where ``matched`` lists ``(where, phrase, count, points)``."""
        matched = []
        for index, count in sorted(self.cue_counts(title).items()):
            cue = self.cues[index]
            if cue.title:
                matched.append(("title", cue.phrase, count, cue.title))
            if cue.negative:
                matched.append(("title", cue.phrase, count, -cue.negative * TITLE_NEGATIVE_FACTOR))
        for index, count in sorted(self.cue_counts(body).items()):
            cue = self.cues[index]
            capped = min(count, BODY_OCCURRENCE_CAP)
            if cue.body:
                matched.append(("body", cue.phrase, count, cue.body * capped))
            if cue.negative:
                matched.append(("body", cue.phrase, count, -cue.negative * capped))
        # The headline first, then what weighed most: the order an editor reads --explain in.
        matched.sort(key=lambda item: (item[0] != "title", -abs(item[3])))
        return sum(points for *_, points in matched), matched


def cue_regex(phrase):
    """The regular expression for one cue phrase (``*`` = a short gap in one sentence)."""
    return GAP.join(re.escape(part) for part in phrase.split("*"))


def compile_topic(entry, origin="TOPICS"):
    """A :class:`Topic` from one configuration mapping; raises :class:`TopicConfigError`."""
    if not isinstance(entry, dict):
        raise TopicConfigError(f"{origin}: each topic must be a table/dict, got {entry!r}")
    topic_id = entry.get("id")
    where = f"{origin}: topic {topic_id!r}"
    if not isinstance(topic_id, str) or not TOPIC_ID.match(topic_id):
        raise TopicConfigError(f"{where}: id must be lower-case ASCII letters, digits or '-' (it is the URL)")
    for key in ("name", "description"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise TopicConfigError(f"{where}: {key} is missing; give it a Chinese {key}")
    threshold = entry.get("threshold")
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or threshold <= 0:
        raise TopicConfigError(f"{where}: threshold must be a positive number")
    allowed = ("id", "name", "description", "threshold", "required", "required_in_lead", *CUE_KINDS)
    unknown = set(entry) - set(allowed)
    if unknown:
        raise TopicConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(allowed)}")
    weights = {}
    for kind in CUE_KINDS:
        table = entry.get(kind, {})
        if not isinstance(table, dict):
            raise TopicConfigError(f"{where}: {kind} must map phrase -> weight")
        for phrase, weight in table.items():
            if not phrase or phrase[0] == "*" or phrase[-1] == "*" or WHITESPACE.search(phrase):
                raise TopicConfigError(
                    f"{where}: {kind} phrase {phrase!r} is empty, has spaces or starts or ends with *"
                )
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
                raise TopicConfigError(f"{where}: {kind}[{phrase!r}] must be a positive number")
            weights.setdefault(phrase, {})[kind] = weight
    required = entry.get("required", [])
    required_in_lead = entry.get("required_in_lead", 0)
    if isinstance(required_in_lead, bool) or not isinstance(required_in_lead, int) or required_in_lead < 0:
        raise TopicConfigError(f"{where}: required_in_lead must be a whole number of paragraphs (0: anywhere)")
    if not isinstance(required, list) or not all(isinstance(p, str) and p and not WHITESPACE.search(p)
                                                  for p in required):
        raise TopicConfigError(f"{where}: required must be a list of phrases without spaces")
    if not any("title_cues" in w or "body_cues" in w for w in weights.values()):
        raise TopicConfigError(f"{where}: needs at least one title or body cue")
    clash = [p for p, w in weights.items() if "negative_cues" in w and len(w) > 1]
    if clash:
        raise TopicConfigError(f"{where}: {', '.join(clash)} is both a cue and a negative cue")
    # Longest phrases first so that, at one position, the more specific cue wins.
    phrases = sorted(weights, key=lambda p: (-len(p.replace("*", "")), p))
    cues = tuple(
        Cue(
            phrase,
            title=weights[phrase].get("title_cues", 0),
            body=weights[phrase].get("body_cues", 0),
            negative=weights[phrase].get("negative_cues", 0),
        )
        for phrase in phrases
    )
    # One pattern per topic; the lookahead lets cues overlap (慰问*困难职工 and 困难职工).
    # The leading class of first characters lets the regex engine skip most positions
    # quickly: about 30 times faster than trying every alternative everywhere.
    alternatives = "|".join(f"(?P<c{index}>{cue_regex(cue.phrase)})" for index, cue in enumerate(cues))
    first_characters = "".join(sorted({re.escape(cue.phrase[0]) for cue in cues}))
    return Topic(
        id=topic_id,
        name=entry["name"].strip(),
        description=entry["description"].strip(),
        threshold=threshold,
        cues=cues,
        pattern=re.compile(f"(?=[{first_characters}])(?=(?:{alternatives}))"),
        required=tuple(required),
        required_in_lead=required_in_lead,
    )


def compile_topics(config, origin="TOPICS"):
    """Compiled topics from a list of mappings (or compiled topics, returned as they are)."""
    topics = [entry if isinstance(entry, Topic) else compile_topic(entry, origin) for entry in config]
    ids = [topic.id for topic in topics]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise TopicConfigError(f"{origin}: topic id(s) {', '.join(duplicates)} defined twice")
    return tuple(topics)


def load_topics(path=DEFAULT_TOPICS_FILE):
    """The topic configuration (a list of plain dicts) from a TOML file's ``[[topic]]`` tables."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise TopicConfigError(f"{path}: not valid TOML: {error}") from None
    topics = data.get("topic")
    if not isinstance(topics, list) or not topics:
        raise TopicConfigError(f"{path}: no [[topic]] tables found")
    compile_topics(topics, origin=str(path))  # fail early, naming the file
    return topics


@functools.lru_cache(maxsize=1)
def default_topics():
    """The project's topics, compiled once."""
    return compile_topics(load_topics(), origin=str(DEFAULT_TOPICS_FILE))


def resolve(topics=None):
    """``topics`` (None = project defaults; a list of dicts or of :class:`Topic`) compiled."""
    if topics is None:
        return default_topics()
    if isinstance(topics, tuple) and all(isinstance(t, Topic) for t in topics):
        return topics
    return compile_topics(topics)


def squeeze(text):
    return WHITESPACE.sub("", text or "")


def lead(body, paragraphs):
    """The squeezed lead of ``body``: its first ``paragraphs`` paragraphs (headings and
    images skipped), extended to at least ``LEAD_MIN_CHARS`` characters."""
    parts = [p for p in PARAGRAPH_BREAK.split(body or "") if p.strip() and not p.strip().startswith(("#", "![", "<"))]
    text = squeeze("".join(parts[:paragraphs]))
    if len(text) < LEAD_MIN_CHARS:
        text = squeeze("".join(parts))[:LEAD_MIN_CHARS]
    return text


def explain(title, body, topics=None):
    """Per topic id: ``score``, ``threshold``, ``selected`` and the ``matched`` cues
    (and ``required``, ``required_met`` for a topic that requires a phrase).

    Each matched cue is ``{"where": "title"|"body", "cue": phrase, "count": n,
    "points": signed contribution}``.
    """
    raw_body = body
    title, body = squeeze(title), squeeze(body)
    result = {}
    for topic in resolve(topics):
        score, matched = topic.score(title, body)
        met = topic.required_met(title, body, raw_body)
        result[topic.id] = {
            "score": score,
            "threshold": topic.threshold,
            "selected": met and score >= topic.threshold,
            "matched": [
                {"where": where, "cue": phrase, "count": count, "points": points}
                for where, phrase, count, points in matched
            ],
        }
        if topic.required:
            result[topic.id].update(required=list(topic.required), required_met=met)
    return result


def classify(title, body, topics=None):
    """Topic ids of an article, in the order of ``topics``."""
    raw_body = body
    title, body = squeeze(title), squeeze(body)
    return [topic.id for topic in resolve(topics) if topic.selected(title, body, raw_body)]


def check_topic_ids(given, topics=None, path="<article>", line=None):
    """Raise :class:`UnknownTopic` if an editor's ``Topics:`` names an unconfigured id."""
    if [topic_id.lower() for topic_id in given] == ["none"]:
        return
    configured = resolve(topics)
    known = [topic.id for topic in configured]
    unknown = [topic_id for topic_id in given if topic_id not in known]
    if unknown:
        # Editors write the topic's Chinese name, or a word of it (送温暖), as often as its id.
        meant = [topic.id for name in unknown for topic in configured
                 if name in topic.name or name in {cue.phrase for cue in topic.cues}]
        hint = messages.text("content.topic_did_you_mean", ids=", ".join(dict.fromkeys(meant))) if meant else ""
        raise UnknownTopic.of(path, line, "content.unknown_topic", unknown=", ".join(unknown), hint=hint,
                              known=", ".join(f"{topic.id} ({topic.name})" for topic in configured))
