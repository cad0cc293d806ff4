"""Publishing at each article's time, with nobody at the keyboard.

A daily is prepared the evening before: its articles carry tomorrow's ``Date`` (06:00,
say) and the public build leaves them out until then (:mod:`newsroom.paper.release`).
:class:`Scheduler` is what makes them appear on time: it publishes (``newsroom build
--publish``, a complete check first) at each due time and then deploys the site
(``newsroom deploy``), and sleeps in between.

* **Catching up.** It publishes once as soon as it starts: whatever fell due while it was
  not running (the machine was off at 06:00) goes out then. The build is cheap when
  nothing is due (the site is "up to date" for the moment it was built for), and the
  deploy sends nothing when nothing changed.
* **Waking.** It sleeps until the next due time, but at most ``poll`` seconds, so that an
  article added or re-dated tonight is seen in time; it reads only the heads of files that
  changed since it last looked. It publishes whenever the set of articles released (neither
  drafts nor due later) has grown since its last publish: an article whose time came while
  a publish was running goes out right after it, not at the next poll, and one added with a
  time already past goes out at the next poll.
* **Failing.** A publish refused by ``check`` (an article with an error) publishes nothing
  and is said in the log; the scheduler tries again as soon as a content file changes (the
  editor fixed it), and at the next due time. A deploy that fails (the network, the store)
  is tried again at each wake-up until it succeeds.
* **Time** comes from a :class:`Clock`. tests/test_schedule.py runs the command itself on
  the real clock against a real store; its decisions (what a night's clock does) are also
  tested on a :class:`FakeClock`, whose sleep moves its time on, each build being told the
  moment it is for (``NEWSROOM_NOW``).

``python -m newsroom schedule`` runs it (``--once``: one catch-up, for a systemd timer or
cron); docs/scheduling.md has the systemd service and timer.
"""

import fcntl
import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from newsroom import messages
from newsroom.paper import release

ROOT = Path(__file__).resolve().parents[2]
POLL_SECONDS = 60
LOCK = ".schedule.lock"


def schedule_lock(output):
    """Hold the scheduler's lock of ``output`` (``<output>.cache/.schedule.lock``, beside the
    build's lock): an open file, or None when another scheduler holds it (the systemd
    service, or a desk). One scheduler per site: two would publish every due time twice.
    The kernel drops the lock when its holder ends, even killed."""
    output = Path(output)
    cache = output.absolute().parent / (output.name + ".cache")
    cache.mkdir(parents=True, exist_ok=True)
    handle = open(cache / LOCK, "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def last_built_for(output):
    """The moment the site in ``output`` was last built for (its up-to-date stamp), or None."""
    from newsroom.build.uptodate import Stamp
    from newsroom.desk.commands.build_cmd import STAMP

    output = Path(output)
    try:
        stamp = Stamp.load(output.absolute().parent / (output.name + ".cache") / STAMP)
        return datetime.fromisoformat(stamp.built_for).astimezone(release.BEIJING) if stamp.built_for else None
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


class Clock:
    """The real clock (Beijing time); ``sleep`` returns early when ``stop`` is set."""

    def now(self):
        return datetime.now(release.BEIJING)

    def sleep(self, seconds, stop):
        stop.wait(max(0.0, seconds))


@dataclass
class FakeClock:
    """A clock for tests: it starts at ``start`` and its sleep moves it on at once."""

    start: datetime
    slept: list = field(default_factory=list)

    def __post_init__(self):
        self.current = self.start

    def now(self):
        return self.current

    def sleep(self, seconds, stop):
        self.slept.append(seconds)
        self.current += timedelta(seconds=max(0.0, seconds))


def publish_build(content, output, when, out=None):
    """``newsroom build --publish`` of ``content`` into ``output`` for the moment ``when``,
    in a process of its own (its messages go to ``out``, default this process's stdout);
    its exit code."""
    environment = {**os.environ, release.NOW_VARIABLE: when.isoformat()}
    command = [sys.executable, "-m", "newsroom", "build", "--publish", "--then-deploy", "--content", str(content),
               "--output", str(output)]
    stream = out or sys.stdout
    stream.flush()
    result = subprocess.run(command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, encoding="utf-8")
    stream.write(result.stdout)
    stream.flush()
    return result.returncode


def site_version(output):
    """What changes whenever a build replaces the site (the folder is swapped into place)."""
    try:
        stat = os.stat(output)
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns


def content_signature(content):
    """The article files' paths, sizes and modification times: changes with any edit."""
    signature = []
    for path in release.article_files(content):
        try:
            stat = os.stat(path)
        except OSError:
            continue
        signature.append((path, stat.st_size, stat.st_mtime_ns))
    return tuple(signature)


def released(content, when):
    """The article files under ``content`` the public site shows at ``when`` (not drafts,
    not waiting), as a set of path strings."""
    files = release.article_files(content)
    held = release.held_back(files, when)
    return {path for path in files if path not in held}


class Scheduler:
    """Publishes ``content`` into ``output`` whenever an article is released, then deploys it.

    ``publish(when)`` builds the site for the moment ``when`` (default: :func:`publish_build`)
    and returns an exit code; ``deploy(output)`` (None: no deploy) returns one too.

    What it compares is *the set of articles released*: the files the public site shows at
    a moment (neither drafts nor due later). A publish records the set for its moment; at
    every wake-up, an article released now that was not then (its time came, even while a
    publish was running or the scheduler slept for ``poll`` seconds; it was added or
    re-dated to a time already past; a draft of a past time was made ready) is published.
    Other edits go out with the next publish (or ``make publish``).

    ``since`` (a moment) makes it the desk's scheduler (``make desk``), which publishes only
    at due times: when an article falls due after ``since`` (then after its last publish),
    and not at start, nor for an article saved with a time already past (the desk's
    publish button is for that). An article that fell due while the desk was closed goes
    out as soon as it starts, when ``since`` is the moment of the last publish."""

    def __init__(self, content, output, clock=None, publish=None, deploy=None, poll=POLL_SECONDS, out=None,
                 since=None):
        self.content, self.output = Path(content), Path(output)
        self.clock = clock or Clock()
        self.publish = publish or (lambda when: publish_build(self.content, self.output, when, self.out))
        self.deploy = deploy
        self.poll = poll
        self.out = out or sys.stdout
        self.published = []  # the moments it published for (successfully)
        self.released_then = set()  # the articles released at the last publish's moment
        self.failed_signature = None  # the content of the last refused publish
        self.deploy_owed = False  # the site changed but its deploy failed: try again
        self.announced = None  # the next due time last said (said again only when it changes)
        self.since = since  # the desk's scheduler: due times after this moment only
        self.failed_due = set()  # the articles due at the last publish (the desk's retry)
        self.failed_at = None  # when the last publish was refused

    def say(self, message_id, **params):
        print(messages.text(message_id, **params), file=self.out, flush=True)

    def publish_and_deploy(self, now, force_deploy=False):
        """One publish for ``now``, then a deploy when the site changed (or ``force_deploy``,
        or an earlier deploy failed). True when the site is published."""
        before = site_version(self.output)
        self.released_then = released(self.content, now)
        code = self.publish(now)
        if code != 0:
            self.failed_signature = content_signature(self.content)
            self.failed_at = self.clock.now()
            self.say("schedule.publish_failed", now=release.beijing_text(now))
            return False
        self.failed_signature = None
        self.published.append(now)
        if self.since is not None:
            self.since = now
        if force_deploy or site_version(self.output) != before:
            self.deploy_owed = self.deploy is not None
        self.deploy_if_owed()
        return True

    def deploy_if_owed(self):
        if not self.deploy_owed:
            return
        if self.deploy(self.output) == 0:
            self.deploy_owed = False
        else:
            self.say("schedule.deploy_failed", seconds=self.poll)

    def fell_due(self, now):
        """The articles released at ``now`` that were not at the last publish, as
        :class:`~newsroom.paper.release.Held` (their titles and times), soonest first."""
        if self.since is not None:  # the desk's: what fell due after `since`, nothing else
            return [item for item in release.waiting(self.content, self.since) if item.due <= now]
        new = sorted(released(self.content, now) - self.released_then)
        items = [release.Held(Path(path), head.title, head.due) for path, head in
                 ((path, release.head_of(path)) for path in new)]
        return sorted(items, key=lambda item: (item.due or now, str(item.path)))

    def refused_as_it_is(self, due, now):
        """The last publish, less than ``poll`` seconds ago, was refused with these
        articles due and the content as it is now (the desk's scheduler, whose due articles
        stay due until a publish succeeds). After ``poll`` seconds it is tried again all the
        same: a publish can also be refused because another build held the lock."""
        return (self.failed_signature is not None and content_signature(self.content) == self.failed_signature
                and {str(item.path) for item in due} == self.failed_due
                and self.failed_at is not None and (now - self.failed_at).total_seconds() < self.poll)

    def publish_what_is_due(self, stop, retry_deploy=True):
        """Publish until nothing more is due: an article whose time came while the last
        publish ran is published right after it, not at the next poll. ``retry_deploy``: a
        deploy that failed before is tried again (after a sleep, not right after it failed)."""
        while not stop.is_set():
            now = self.clock.now()
            due = self.fell_due(now)
            if due and self.since is not None and self.refused_as_it_is(due, now):
                return  # the desk's: refused with these articles as they are; wait for a change
            if due:
                for item in due:
                    self.say("schedule.due", due=release.beijing_text(item.due or now), title=item.title)
                self.failed_due = {str(item.path) for item in due}
                self.publish_and_deploy(now)
            elif (self.since is None and self.failed_signature is not None
                  and content_signature(self.content) != self.failed_signature):
                self.say("schedule.retry")
                self.publish_and_deploy(now)
            else:
                if retry_deploy:
                    self.deploy_if_owed()
                return

    def run(self, stop=None, rounds=None):
        """Catch up, then publish at each due time until ``stop`` (a threading.Event) is set
        or ``rounds`` wake-ups have passed (tests)."""
        stop = stop or threading.Event()
        now = self.clock.now()
        if self.since is None:
            self.say("schedule.started", now=release.beijing_text(now), content=self.content, output=self.output)
        else:
            self.say("schedule.started_desk", now=release.beijing_text(now), since=release.beijing_text(self.since),
                     output=self.output)
        # Whatever fell due while nobody ran the scheduler; the deploy too, in case the
        # last run stopped between its publish and its deploy. (The desk's publishes what
        # fell due since `since` in its first round, and nothing else.)
        if self.since is None:
            self.publish_and_deploy(now, force_deploy=True)
        woken = 0
        while True:
            self.publish_what_is_due(stop, retry_deploy=woken > 0)
            if stop.is_set() or (rounds is not None and woken >= rounds):
                break
            now = self.clock.now()
            waiting = release.waiting(self.content, now)
            due = waiting[0].due if waiting else None
            if due is not None and due != self.announced:
                self.say("schedule.next", due=release.beijing_text(due), count=sum(w.due == due for w in waiting))
            self.announced = due
            wake = min(due, now + timedelta(seconds=self.poll)) if due else now + timedelta(seconds=self.poll)
            self.clock.sleep((wake - now).total_seconds(), stop)
            woken += 1
        self.say("schedule.stopped")
