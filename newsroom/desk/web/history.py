"""History from git: every desk save is a commit whose author is the editor.

The desk commits only the files of one save (``git commit --only -- paths``), so changes
someone else has staged or left in the working tree are never swept into an editor's
commit. History, comparison and undo read the same commits back: undo writes an old
version as a new save (a new commit), so nothing is ever rewritten or lost.
"""

import logging
import os
import subprocess
import threading
from pathlib import Path

log = logging.getLogger(__name__)

# The committer of desk commits (the author is the editor who saved).
COMMITTER = ("newsroom desk", "desk@localhost")
AUTHOR_EMAIL = "desk@localhost"
FIELD = "\x1f"  # separates the fields of one log line
RECORD = "\x1e"


class GitError(RuntimeError):
    """git refused (the message is git's own, for the log)."""


class History:
    """The git repository holding ``folder``; ``None`` from :meth:`find` when there is none."""

    def __init__(self, top):
        self.top = Path(top)
        self._lock = threading.Lock()  # one git command that writes at a time

    @classmethod
    def find(cls, folder):
        try:
            top = subprocess.run(["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
                                 capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return None
        return cls(top)

    def _git(self, *args, env=None, check=True):
        environment = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C.UTF-8", **(env or {})}
        result = subprocess.run(["git", "-C", str(self.top), *args], capture_output=True, env=environment)
        if check and result.returncode:
            raise GitError(result.stderr.decode("utf-8", errors="replace").strip() or f"git {args[0]} failed")
        return result

    def _rel(self, path):
        return Path(path).resolve().relative_to(self.top.resolve()).as_posix()

    def commit(self, paths, editor, message):
        """Commit ``paths`` (absolute; written or deleted) as ``editor``; the new commit's
        id, or None when nothing changed."""
        names = [self._rel(p) for p in paths]
        env = {"GIT_AUTHOR_NAME": editor, "GIT_AUTHOR_EMAIL": AUTHOR_EMAIL,
               "GIT_COMMITTER_NAME": COMMITTER[0], "GIT_COMMITTER_EMAIL": COMMITTER[1]}
        with self._lock:
            present = [n for n, p in zip(names, paths) if Path(p).exists()]
            gone = [n for n in names if n not in present]
            tracked = set(self._git("ls-files", "--", *names).stdout.decode("utf-8").split("\n"))
            if present:
                self._git("add", "--", *present)
            if gone:
                self._git("rm", "--cached", "--quiet", "--ignore-unmatch", "--", *gone)
            known = [n for n in names if n in present or n in tracked]
            if not known:
                return None
            changed = self._git("diff", "--cached", "--quiet", "HEAD", "--", *known, check=False)
            if changed.returncode == 0 and self._has_head():
                return None  # the save wrote what was committed already
            self._git("commit", "--quiet", "--only", "-m", message, "--", *known, env=env)
            return self._git("rev-parse", "HEAD").stdout.decode().strip()

    def _has_head(self):
        return self._git("rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode == 0

    def log(self, path, limit=30):
        """The commits that changed ``path``, newest first: ``[{commit, editor, when, message, desk}]``
        (``desk``: the desk made it; other commits' subjects are a technician's words)."""
        if not self._has_head():
            return []
        result = self._git("log", f"-n{int(limit)}", "--follow",
                           f"--format=%H{FIELD}%an{FIELD}%aI{FIELD}%s{FIELD}%ae{RECORD}", "--", self._rel(path))
        entries = []
        for record in result.stdout.decode("utf-8", errors="replace").split(RECORD):
            fields = record.strip("\n").split(FIELD)
            if len(fields) == 5:
                commit, editor, when, message, email = fields
                entries.append({"commit": commit, "editor": editor, "when": when, "message": message,
                                "desk": email == AUTHOR_EMAIL})
        return entries

    def last_editor(self, path):
        """``(commit, editor)`` of the newest commit that changed ``path``, or ``(None, None)``."""
        entries = self.log(path, limit=1)
        return (entries[0]["commit"], entries[0]["editor"]) if entries else (None, None)

    def show(self, commit, path):
        """The bytes ``path`` had in ``commit`` (None when it did not exist there)."""
        if not commit or not all(c in "0123456789abcdef" for c in commit.lower()):
            return None
        # The path as it was named in that commit (--follow: it may have moved since).
        result = self._git("show", f"{commit}:{self._rel(path)}", check=False)
        return result.stdout if result.returncode == 0 else None
