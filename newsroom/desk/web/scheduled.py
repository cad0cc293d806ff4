"""The desk's scheduler: articles held for a later time go out at that time while the desk runs.

``make desk`` starts :class:`DeskSchedule` beside the desk (``--no-schedule`` does not): the
scheduler of :mod:`newsroom.desk.schedule` in a thread, in its desk mode (``since``): it
publishes when an article falls due, through the desk's publish job (so one publish at a
time, the publish dialog shows it, and ``make deploy`` runs when a deploy target is set),
and not at start nor for an article saved with a time already past (that is the publish
button's). An article that fell due while the desk was closed goes out as soon as the
desk starts again (``since`` is the moment the published site was built for).

One scheduler per site: when another one holds the site's lock (the systemd service of
docs/scheduling.md, or a second desk), the desk leaves the releases to it and says so.
The desk shows which of the three ways holds (``status``), in the editor's language:
the desk releases them while it is open; a service releases them; nothing does, and a
publish after their time is needed.
"""

import collections
import sys
import threading
from pathlib import Path

from newsroom import messages
from newsroom.desk.schedule import POLL_SECONDS, Clock, Scheduler, last_built_for, schedule_lock
from newsroom.paper import release

KEEP_LINES = 40
DESK, ELSEWHERE, OFF = "desk", "elsewhere", "off"


class LineLog:
    """The scheduler's output: kept (the last lines, for the desk) and echoed to the terminal."""

    def __init__(self, echo=None):
        self.lines = collections.deque(maxlen=KEEP_LINES)
        self.echo = echo
        self._partial = ""

    def write(self, text):
        if self.echo is not None:
            self.echo.write(text)
        self._partial += text
        *done, self._partial = self._partial.split("\n")
        self.lines.extend(line for line in done if line.strip())

    def flush(self):
        if self.echo is not None:
            self.echo.flush()


class DeskSchedule:
    """Publishes ``content``'s held articles at their time through ``publisher`` (the desk's
    publish job), which publishes into ``output``."""

    def __init__(self, content, output, publisher, clock=None, poll=POLL_SECONDS, echo=sys.stdout):
        self.content, self.output = Path(content), Path(output)
        self.publisher = publisher
        self.clock = clock or Clock()
        self.poll = poll
        self.log = LineLog(echo)
        self.mode = OFF
        self._lock_file = None
        self._stop = threading.Event()
        self._thread = None
        self.scheduler = None

    def start(self):
        """Start releasing, unless another scheduler works for this site; the mode."""
        self._lock_file = schedule_lock(self.output)
        if self._lock_file is None:
            self.mode = ELSEWHERE
            return self.mode
        since = last_built_for(self.output) or self.clock.now()
        name = messages.text("desk.schedule_editor")
        self.scheduler = Scheduler(self.content, self.output, self.clock, poll=self.poll, out=self.log, since=since,
                                   publish=lambda when: self._publish(name, when))
        self._thread = threading.Thread(target=self.scheduler.run, args=(self._stop,), daemon=True)
        self._thread.start()
        self.mode = DESK
        return self.mode

    def _publish(self, name, when):
        status = self.publisher.publish_for(name, when)
        message = "desk.schedule_published" if status == 0 else "desk.schedule_refused"
        print(messages.text(message, when=release.beijing_text(when)), file=self.log, flush=True)
        return status

    def stop(self):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    def status(self):
        """What the desk shows: how held articles are released (``mode``, and ``how``, a
        sentence), what waits (:func:`held_articles`), and the scheduler's last lines."""
        return status_of(self.mode, self.content, self.clock.now(), list(self.log.lines))


def status_of(mode, content, now, log=(), limit=50):
    """The desk's 定时发布 for ``mode`` (:data:`DESK`, :data:`ELSEWHERE`, :data:`OFF`) at
    ``now``: ``{"mode", "how", "note", "waiting", "more", "drafts_ahead", "log"}``."""
    return {"mode": mode, "how": messages.text(f"desk.schedule_how_{mode}"),
            "note": messages.text(f"desk.schedule_note_{mode}"), **held_articles(content, now, limit), "log": list(log)}


def held_articles(content, now, limit=50):
    """The articles under ``content`` held at ``now``, as the desk lists them (time, headline,
    address in the desk): ``waiting`` (soonest first, at most ``limit``; ``more`` beyond),
    and ``drafts_ahead``, drafts with a time ahead (an editor who forgot to set 发布 would
    wait for nothing)."""
    content = Path(content)
    waiting = release.waiting(content, now)
    drafts = [(item, release.head_of(item.path).due) for item in release.drafts(content)]
    drafts = sorted(((item, due) for item, due in drafts if due is not None and due > now), key=lambda pair: pair[1])

    def listed(item, due):
        try:
            slug = item.path.resolve().relative_to(content.resolve()).with_suffix("").as_posix()
        except ValueError:
            slug = None
        return {"due": release.beijing_text(due), "title": item.title or item.path.name, "slug": slug}

    return {"waiting": [listed(item, item.due) for item in waiting[:limit]], "more": max(0, len(waiting) - limit),
            "drafts_ahead": [listed(item, due) for item, due in drafts[:limit]]}
