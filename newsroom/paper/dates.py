"""Dates as editors write them in metadata: ``2024-01-02`` or ``2024-01-02 08:00``.

Stricter than Pelican (which accepts nearly anything dateutil can guess): one form
for every file keeps the archive consistent, and a mistyped date is caught by
``newsroom check`` with a hint showing the right spelling instead of silently
becoming another day.
"""

import re
from datetime import datetime

from newsroom import messages

ISO = re.compile(
    r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:[ T](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?$"
)
# Forms editors type that are not the metadata form: 2024年1月2日, 2024/1/2, 2024.01.02.
CHINESE = re.compile(r"^(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号]?(?P<rest>.*)$")
OTHER_SEPARATORS = re.compile(r"^(?P<year>\d{4})[/.](?P<month>\d{1,2})[/.](?P<day>\d{1,2})(?P<rest>.*)$")


class DateProblem(ValueError):
    """A date that cannot be used: ``problem`` says what is wrong, ``fix`` how to write it
    (in the editor's language), ``code`` which message of the table it is."""

    def __init__(self, problem, fix, code=""):
        self.problem = problem
        self.fix = fix
        self.code = code
        super().__init__(f"{problem} — {fix}")

    @classmethod
    def of(cls, message_id, **params):
        return cls(*messages.problem(message_id, **params), code=message_id)


def _iso(year, month, day):
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def parse_date(value):
    """``2024-01-02`` / ``2024-01-02 08:00`` -> ``datetime``; raises :class:`DateProblem`."""
    text = (value or "").strip()
    if not text:
        raise DateProblem.of("content.date_empty")
    match = ISO.match(text)
    if not match:
        other = CHINESE.match(text) or OTHER_SEPARATORS.match(text)
        if other:
            suggestion = _iso(other["year"], other["month"], other["day"])
            raise DateProblem.of("content.date_not_metadata_form", value=repr(text), suggestion=suggestion)
        raise DateProblem.of("content.date_not_a_date", value=repr(text))
    parts = {k: int(v) for k, v in match.groupdict().items() if v is not None}
    if not 1 <= parts["month"] <= 12:
        raise DateProblem.of("content.date_bad_month", value=repr(text), month=parts["month"])
    try:
        when = datetime(parts["year"], parts["month"], parts["day"], parts.get("hour", 0),
                        parts.get("minute", 0), parts.get("second", 0))
    except ValueError:
        raise DateProblem.of("content.date_not_real", value=repr(text)) from None
    if len(match["month"]) == 1 or len(match["day"]) == 1:
        raise DateProblem.of("content.date_two_digits", value=repr(text),
                             suggestion=_iso(parts["year"], parts["month"], parts["day"]) + text[match.end("day"):])
    return when
