"""When an article is released: its ``Date:``, in Beijing time, is the moment it goes out.

A daily prepares tomorrow's issue tonight. An article whose ``Date`` lies in the future is
*waiting* (embargoed): the public build leaves it out altogether, as if its file were not
there, so no page, list, feed, sitemap, search index, catalogue row, e-paper page or
related-article link can show it before its time. A draft (``Status: draft``) is never
released. The preview shows both (with a banner), so that editors can read tomorrow's
paper tonight.

"Now" is an input of the build: :func:`now` reads ``NEWSROOM_NOW`` when it is set (tests,
and a build that must agree with the process that started it, pass the instant there),
else the clock.

Only the head of each file is read (the metadata block, at most :data:`HEAD_BYTES`), and
what was read is kept per file by its size and modification time, so a long-running
process (the scheduler, the preview's build server) only stats the files again.
"""

import json
import os
import re
import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from newsroom import DATA_DIR
from newsroom.errors import ContentError
from newsroom.paper.content import MARKDOWN_SUFFIXES, META_LINE, META_MORE, decode_utf8
from newsroom.paper.dates import DateProblem, parse_date

BEIJING = ZoneInfo("Asia/Shanghai")
NOW_VARIABLE = "NEWSROOM_NOW"
HEAD_BYTES = 8192
# Left in the output folder of a build that showed what readers may not see yet (the
# preview's), so that no deploy uploads it (newsroom.build.deploy); hidden, never uploaded.
UNRELEASED_MARKER = ".newsroom-unreleased"
PAGES_FOLDER = "pages"  # pelicanconf.ARTICLE_EXCLUDES: pages have no release time

_heads = {}  # path -> ((size, mtime_ns), Head)


@dataclass(frozen=True)
class Head:
    """What the release needs from one article file's metadata; ``due`` is the moment the
    article is released (Beijing time), None without a usable Date."""

    title: str = ""
    date: str = ""  # as written
    draft: bool = False
    due: datetime | None = None


@dataclass(frozen=True)
class Held:
    """An article file the public site does not show now: a draft, or one not yet due."""

    path: Path
    title: str
    due: datetime | None  # None for a draft

    @property
    def draft(self):
        return self.due is None


def parse_now(text):
    """``2026-12-06 18:00`` (Beijing time), ``2026-12-06T18:00:00+08:00`` or a POSIX
    timestamp -> an aware datetime; ValueError for anything else."""
    text = str(text).strip()
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", text):
        return datetime.fromtimestamp(float(text), BEIJING)
    when = datetime.fromisoformat(text)
    return when.replace(tzinfo=BEIJING) if when.tzinfo is None else when.astimezone(BEIJING)


def now():
    """The current moment in Beijing: ``NEWSROOM_NOW`` when set, else the clock."""
    given = os.environ.get(NOW_VARIABLE, "").strip()
    if given:
        return parse_now(given)
    return datetime.now(BEIJING)


def release_time(value):
    """The moment an article with ``Date: value`` goes out (Beijing time), or None when
    the value is no date (``check`` reports it). A date without a time is its midnight."""
    try:
        return parse_date(value or "").replace(tzinfo=BEIJING)
    except DateProblem:
        return None


def head_of(path):
    """The :class:`Head` of one file (empty when it cannot be read), remembered by stat."""
    path = str(path)
    try:
        stat = os.stat(path)
    except OSError:
        return Head()
    stamp = (stat.st_size, stat.st_mtime_ns)
    known = _heads.get(path)
    if known and known[0] == stamp:
        return known[1]
    try:
        with open(path, "rb") as handle:
            data = handle.read(HEAD_BYTES)
        # Only the metadata block: a character cut at HEAD_BYTES is in the body.
        block = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n\n", 1)[0]
        fields = metadata_fields(decode_utf8(block, path))
    except (OSError, ContentError):  # unreadable, not UTF-8: `check` reports it
        head = Head()
    else:
        date = fields.get("date", "")
        head = Head(title=fields.get("title", ""), date=date, draft=fields.get("status", "").lower() == "draft",
                    due=release_time(date))
    _heads[path] = (stamp, head)
    return head


def remember_head(path, stamp, head):
    """Take ``head`` as the head of ``path`` while its (size, mtime_ns) is ``stamp``: what
    a caller that knows the file's bytes (``newsroom build``'s fingerprint) read before."""
    _heads[str(path)] = (stamp, head)


def forget_head(path):
    """Read ``path``'s head again next time :func:`head_of` is asked."""
    _heads.pop(str(path), None)


def remembered_head(path):
    """The :class:`Head` :func:`head_of` last gave for ``path`` (None if none)."""
    known = _heads.get(str(path))
    return known[1] if known else None


WANTED = frozenset({"title", "date", "status"})


def metadata_fields(text):
    """``{key: first value}`` of the fields the release needs, read as
    :func:`newsroom.paper.content.parse_text` (and so Python-Markdown) reads the metadata
    block: up to the first blank line or the first line that is no field, continuation
    lines (indented 4 spaces) joined. Leaner than ``parse_text``: the release reads the
    head of every article file of the catalogue on every build."""
    fields, key, first = {}, None, False
    for line in text.split("\n"):
        if not line.strip():
            break
        match = META_LINE.match(line)
        if match:
            key = match.group("key").lower()
            first = key in WANTED and key not in fields  # a repeat's value (and its continuation) is not read
            if first:
                fields[key] = match.group("value").strip()
            continue
        more = META_MORE.match(line)
        if more and key is not None:
            if first:
                fields[key] = (fields[key] + " " + more.group("value").strip()).strip()
            continue
        break
    return fields


def article_files(content):
    """Every article file under ``content`` (Markdown, not under ``pages/``), sorted, as
    path strings (20,000 Path objects cost more than reading the heads)."""
    content = str(content)
    found = []
    for folder, subfolders, names in os.walk(content, followlinks=True):
        if folder == content and PAGES_FOLDER in subfolders:
            subfolders.remove(PAGES_FOLDER)
        found.extend(os.path.join(folder, name) for name in names
                     if name.lower().endswith(MARKDOWN_SUFFIXES) and not name.startswith(".#"))
    return sorted(found)


def held_back(paths, when, drafts=True, embargo=True):
    """``{path: Held}`` for the files of ``paths`` the public site does not show at
    ``when``: drafts (when ``drafts``) and articles due after ``when`` (when ``embargo``)."""
    held = {}
    for path in paths:
        head = head_of(path)
        if head.draft:
            if drafts:
                held[path] = Held(Path(path), head.title, None)
        elif embargo and head.due is not None and head.due > when:
            held[path] = Held(Path(path), head.title, head.due)
    return held


def embargo_on(settings):
    """The ``RELEASE_EMBARGO`` setting (default True; ``false``/``0``/``no``/``off`` as
    text, from the command line, is False): the preview turns it off."""
    embargo = settings.get("RELEASE_EMBARGO", True)
    if isinstance(embargo, str):  # `-e RELEASE_EMBARGO=false` on the command line
        return embargo.strip().lower() not in ("", "0", "false", "no", "off")
    return bool(embargo)


def build_moment(settings):
    """The moment a build is for: its ``RELEASE_NOW`` setting, else :func:`now`."""
    given = settings.get("RELEASE_NOW")
    return parse_now(given) if given else now()


def page_release(issue_date, paths, when):
    """When a printed page may be shown whole (its image, tiles, ALTO text, manifest), or
    None when it may be now: a page image shows every article printed on it, so it waits
    for the last of its articles (``paths``) still due after ``when``, and for its issue's
    day. Drafts do not hold a page (a printed page is out once its issue is)."""
    dues = [head.due for head in map(head_of, paths) if not head.draft and head.due is not None and head.due > when]
    day = datetime(issue_date.year, issue_date.month, issue_date.day, tzinfo=BEIJING)
    if day > when:
        dues.append(day)
    return max(dues) if dues else None


def waiting(content, when=None):
    """The articles under ``content`` not yet due at ``when`` (default :func:`now`),
    soonest first: ``[Held]``."""
    return split(held_back(article_files(content), when or now(), drafts=False))[0]


def drafts(content):
    """The drafts under ``content``: ``[Held]`` by path."""
    return split(held_back(article_files(content), now(), embargo=False))[1]


def split(held):
    """``(waiting soonest first, drafts by path)`` of a :func:`held_back` result."""
    items = sorted(held.values(), key=lambda item: str(item.path))
    return sorted((item for item in items if not item.draft), key=lambda item: item.due), \
        [item for item in items if item.draft]


def next_due(content, when=None):
    """The soonest moment after ``when`` at which an article under ``content`` is due, or None."""
    items = waiting(content, when)
    return items[0].due if items else None


def write_held(path, content, paths, held):
    """Record, in ``path`` (JSON), every article file of ``paths`` as it was read (size and
    modification time) and whether it is held back (``held``), for the build that must
    leave out exactly these (:class:`Recorded`)."""
    content = os.path.abspath(content)
    files = {}
    for name in paths:
        known = _heads.get(str(name))
        if known:
            files[os.path.relpath(os.path.abspath(name), content)] = [*known[0], name in held]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps({"format": 2, "files": files}, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


class Recorded:
    """What :func:`write_held` recorded: ``held(path)`` is True or False for a file whose
    size and modification time are still the recorded ones, None for any other (changed
    since, or new: the caller reads its head itself)."""

    def __init__(self, path, content):
        self.files = {}
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("format") == 2 and isinstance(data.get("files"), dict):
            content = os.path.abspath(content)
            self.files = {os.path.normpath(os.path.join(content, name)): entry
                          for name, entry in data["files"].items() if isinstance(entry, list) and len(entry) == 3}

    def held(self, path):
        entry = self.files.get(path)
        if entry is None:
            return None
        try:
            stat = os.stat(path)
        except OSError:
            return None
        return bool(entry[2]) if [stat.st_size, stat.st_mtime_ns] == entry[:2] else None


@lru_cache(maxsize=1)
def calendar():
    """``(founded, far_ahead)``: the first issue's date and how far ahead a Date may be
    before it is worth a warning (``newsroom/data/paper.toml``)."""
    with (DATA_DIR / "paper.toml").open("rb") as handle:
        dates = tomllib.load(handle)["dates"]
    return datetime.fromisoformat(dates["founded"]).replace(tzinfo=BEIJING), timedelta(days=dates["far_ahead_days"])


def next_midnight(when):
    """The first midnight in Beijing after ``when``."""
    day = when.astimezone(BEIJING).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, tzinfo=BEIJING)


def beijing_text(when):
    """``2026-12-07 06:00`` for a moment (minutes; seconds only when it has them)."""
    when = when.astimezone(BEIJING)
    return when.strftime("%Y-%m-%d %H:%M:%S" if when.second else "%Y-%m-%d %H:%M")
