"""The publish button: ``make publish``, or ``make deploy`` (which publishes first) once a
deploy target is set (``DEPLOY_TARGET``, docs/deploy.md), as one background job whose
progress and result the desk shows.

One publish at a time: a second press while one runs is told who started it. The
commands' output is kept (the last :data:`KEEP_LINES` lines) and the lines that name a
problem in an article are picked out, so the editor sees what to fix first. The
commands are what an editor would run in a terminal: the desk adds no way of its own
to publish, and ``make publish`` builds nothing when any article has an error.
"""

import collections
import logging
import os
import re
import subprocess
import threading
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from newsroom import messages
from newsroom.paper import release

log = logging.getLogger(__name__)
KEEP_LINES = 400
BEIJING = ZoneInfo("Asia/Shanghai")
# A check problem as `check` prints it: file:line: severity: problem — fix.
PROBLEM_LINE = re.compile(r"^\S+\.(?:md|markdown|mkd|mdown|txt):\d+: ")


def make_targets(makefile):
    """The targets a Makefile defines (``name:`` at the start of a line)."""
    try:
        text = Path(makefile).read_text(encoding="utf-8")
    except OSError:
        return set()
    return set(re.findall(r"^([A-Za-z][\w-]*)\s*:(?!=)", text, re.M))


def deploy_configured(settings):
    """True when ``settings`` (publishconf.py) names a deploy target (DEPLOY_TARGET there,
    or NEWSROOM_DEPLOY_TARGET in the environment)."""
    from newsroom.build.deploy import DeployError, options_from_settings
    from newsroom.desk.commands.deploy_cmd import load_settings

    try:
        return bool(options_from_settings(load_settings(settings)).target)
    except (DeployError, OSError, SyntaxError, ImportError) as error:
        log.warning("desk: cannot read the deploy settings of %s: %s", settings, error)
        return False


def default_commands(root):
    """``make deploy`` (its first step is ``make publish``) when the Makefile has it and a
    deploy target is set; else ``make publish``, which builds the site into output/."""
    root = Path(root)
    if "deploy" in make_targets(root / "Makefile") and deploy_configured(root / "publishconf.py"):
        return [["make", "deploy"]]
    return [["make", "publish"]]


class Publisher:
    def __init__(self, commands, cwd, env=None, clock=time.time):
        self.commands = [list(command) for command in commands]
        self.cwd = str(cwd)
        self.env = env
        self.clock = clock
        self._lock = threading.Lock()
        self._state = {"state": "idle"}
        self._lines = collections.deque(maxlen=KEEP_LINES)
        self._thread = None

    def _now(self):
        return datetime.fromtimestamp(self.clock(), BEIJING).strftime("%Y-%m-%d %H:%M:%S")

    def start(self, editor, moment=None):
        """Start a publish for ``editor``; ``None`` when started, else the message why not.
        ``moment`` (an aware datetime): the publish is for that moment (``NEWSROOM_NOW``),
        as the scheduler's are (each is for its due time)."""
        return self._start(editor, moment)[0]

    def _start(self, editor, moment):
        """(why not, None) when a publish runs, else (None, the started job's state)."""
        with self._lock:
            if self._state["state"] == "running":
                busy = messages.text("desk.publish_busy", editor=self._state["editor"], since=self._state["started"])
                return busy, None
            self._lines.clear()
            self._state = job = {"state": "running", "editor": editor, "started": self._now()}
            env = dict(self.env if self.env is not None else os.environ)
            if moment is not None:
                env[release.NOW_VARIABLE] = moment.isoformat()
            self._thread = threading.Thread(target=self._run, args=(env,), daemon=True)
            self._thread.start()
        return None, job

    def publish_for(self, editor, moment):
        """A publish for ``moment`` as ``editor`` (the desk's scheduler), after the one
        running, if any; its exit status (0: published)."""
        while True:
            busy, job = self._start(editor, moment)
            self.wait()  # ours, or the one that was running
            if busy is None:
                return job.get("status", 1)

    def _run(self, env):
        status = 0
        for command in self.commands:
            self._lines.append("$ " + " ".join(command))
            try:
                process = subprocess.Popen(command, cwd=self.cwd, env=env, stdout=subprocess.PIPE,
                                           stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            except OSError as error:
                self._lines.append(str(error))
                status = 127
                break
            for raw in process.stdout:
                self._lines.append(raw.decode("utf-8", errors="replace").rstrip("\n"))
            status = process.wait()
            if status:
                break
        with self._lock:
            self._state.update(state="ok" if status == 0 else "failed", finished=self._now(), status=status)

    def wait(self, timeout=None):
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def status(self):
        with self._lock:
            state = dict(self._state)
        lines = list(self._lines)
        state["log"] = lines
        state["problems"] = [line for line in lines if PROBLEM_LINE.match(line)]
        if state["state"] == "ok":
            state["summary"] = messages.text("desk.publish_ok")
        elif state["state"] == "failed":
            state["summary"] = messages.text("desk.publish_failed")
        return state
