"""The build's log as an editor reads it: one line per message, in the editor's language.

Pelican's own handler (rich) prints a time, the level in English and the Python file
and line that logged (``ERROR Could not process 2024/01/bad.md generators.py:721``), and
Pelican reports a file it could not read without saying why. :class:`EditorLogHandler`
replaces it for ``newsroom build`` and the preview: a problem of an article file
(a :class:`~newsroom.errors.ContentError`, whether logged as the record's argument or
being handled when Pelican logs "Could not process") reads exactly as ``check`` prints it
(``content/2024/01/bad.md:3: 错误：… — 改法：…``); any other message is
``错误：…``/``提示：…``; a traceback is never shown, only the exception's own message.
Pelican's few messages about content are said in the editor's language (:data:`KNOWN`).
"""

import logging
import sys

from newsroom import messages
from newsroom.errors import ContentError

# Pelican's messages an editor can meet, by their template, with the message of ours
# that says the same (and how its arguments are named).
KNOWN = {
    "Could not process %s": ("build.could_not_read", ("path",)),
    "Unable to find '%s', skipping url replacement.": ("build.link_not_found", ("target",)),
    "Unknown status '%s' for file %s, skipping it. (Not in %s)": ("build.unknown_status", ("status", "path", "allowed")),
    "Duplicate definition of `%s` for %s. Using first one.": ("build.field_twice", ("name", "path")),
    "Empty alt attribute for image %s in %s": ("build.empty_alt", ("image", "path")),
    "{filename} used for linking to static content %s in %s. Use {static} instead": (
        "build.filename_for_static", ("target", "path")),
}


def problem_line(error, severity="error"):
    """A :class:`ContentError` as ``check`` prints a problem."""
    where = f"{error.path}:{error.line}" if error.line else error.path
    line = messages.text("check.problem_line", where=where, severity=messages.text(f"common.{severity}"),
                         problem=error.problem)
    return line + (messages.text("common.with_fix", fix=error.fix) if error.fix else "")


def exception_text(error):
    """What an exception says, without its traceback."""
    return str(error).strip() or error.__class__.__name__


def editor_text(record):
    """The line an editor reads for one log record."""
    severity = "error" if record.levelno >= logging.ERROR else "warning"
    handled = record.exc_info[1] if record.exc_info else sys.exc_info()[1]
    args = record.args if isinstance(record.args, tuple) else ()
    if len(args) == 1 and isinstance(args[0], ContentError) and record.msg == "%s":
        return problem_line(args[0], severity)
    known = KNOWN.get(record.msg) if isinstance(record.msg, str) else None
    if known and record.msg == "Could not process %s" and isinstance(handled, ContentError):
        return problem_line(handled, severity)
    if known and len(args) == len(known[1]):
        params = dict(zip(known[1], map(str, args)))
        if known[0] == "build.could_not_read":
            params["reason"] = exception_text(handled) if handled else "?"
        text = messages.text(known[0], **params)
    else:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += f" ({exception_text(record.exc_info[1])})"
    return messages.text("build.log_line", severity=messages.text(f"common.{severity}"), message=text)


class EditorLogHandler(logging.Handler):
    """Writes each record as :func:`editor_text` to ``stream`` (default: stderr at the
    time of writing, so that a test's captured stream gets it)."""

    def __init__(self, stream=None, level=logging.WARNING):
        super().__init__(level)
        self.stream = stream

    def emit(self, record):
        try:
            text = editor_text(record)
            stream = self.stream or sys.stderr
            stream.write(text + "\n")
            stream.flush()
        except Exception:  # noqa: BLE001 — logging must never stop the build
            self.handleError(record)
