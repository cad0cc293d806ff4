"""One problem of one file at one line, as ``check`` prints it: ``file:line: 错误：问题 — 改法：…``.

Its own module so that the per-file checks (:mod:`newsroom.desk.checks`) and the checks
over the whole tree (:mod:`newsroom.desk.tree_checks`) make problems the same way.
"""

from dataclasses import dataclass

from newsroom import messages

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, at one line, in the editor's language; ``code`` is
    the id of its message in the table (:mod:`newsroom.messages`), when it has one."""

    path: str
    line: int
    severity: str  # ERROR or WARNING
    message: str
    fix: str = ""
    code: str = ""

    @property
    def is_error(self):
        return self.severity == ERROR

    def __str__(self):
        text = messages.text("check.problem_line", where=f"{self.path}:{self.line}",
                             severity=messages.text(f"common.{self.severity}"), problem=self.message)
        return text + (messages.text("common.with_fix", fix=self.fix) if self.fix else "")


def make(path, line, severity, message, fix="", code=""):
    """A :class:`Problem` from texts already in the editor's language."""
    return Problem(str(path), int(line or 1), severity, message, fix, code)


def say(path, line, severity, message_id, /, **params):
    """The :class:`Problem` of message ``message_id`` of the table, in the editor's language."""
    message, fix = messages.problem(message_id, **params)
    return Problem(str(path), int(line or 1), severity, message, fix, message_id)


def from_error(error, severity=ERROR):
    """A :class:`~newsroom.errors.ContentError` as a :class:`Problem`."""
    return make(error.path, error.line, severity, error.problem, error.fix, getattr(error, "code", ""))


def as_draft(problem):
    """An error of a draft (``Status: draft``) as a warning: a draft is never published, so
    its problems never stop a publish; they are still shown, marked as the draft's."""
    if not problem.is_error:
        return problem
    return Problem(problem.path, problem.line, WARNING, messages.text("check.draft_problem", problem=problem.message),
                   problem.fix, problem.code)
