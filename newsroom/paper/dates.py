"""Dates as editors write them in metadata: ``2024-01-02`` or ``2024-01-02 08:00``.

Stricter than Pelican (which accepts nearly anything dateutil can guess): one form
for every file keeps the archive consistent, and a mistyped date is caught by
``newsroom check`` with a hint showing the right spelling instead of silently
becoming another day.
"""

import re
from datetime import datetime

ISO = re.compile(
    r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:[ T](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?$"
)
# Forms editors type that are not the metadata form: 2024年1月2日, 2024/1/2, 2024.01.02.
CHINESE = re.compile(r"^(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号]?(?P<rest>.*)$")
OTHER_SEPARATORS = re.compile(r"^(?P<year>\d{4})[/.](?P<month>\d{1,2})[/.](?P<day>\d{1,2})(?P<rest>.*)$")


class DateProblem(ValueError):
    """A date that cannot be used: ``problem`` says what is wrong, ``fix`` how to write it."""

    def __init__(self, problem, fix):
        self.problem = problem
        self.fix = fix
        super().__init__(f"{problem} — {fix}")


def _iso(year, month, day):
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def parse_date(value):
    """``2024-01-02`` / ``2024-01-02 08:00`` -> ``datetime``; raises :class:`DateProblem`."""
    text = (value or "").strip()
    if not text:
        raise DateProblem("the date is empty", "write the date as `2024-01-02` (or `2024-01-02 08:00`)")
    match = ISO.match(text)
    if not match:
        other = CHINESE.match(text) or OTHER_SEPARATORS.match(text)
        if other:
            suggestion = _iso(other["year"], other["month"], other["day"])
            raise DateProblem(
                f"{text!r} is not in the metadata form",
                f"write `{suggestion}` (year-month-day, with hyphens)",
            )
        raise DateProblem(f"{text!r} is not a date", "write the date as `2024-01-02` (or `2024-01-02 08:00`)")
    parts = {k: int(v) for k, v in match.groupdict().items() if v is not None}
    if not 1 <= parts["month"] <= 12:
        raise DateProblem(
            f"{text!r} has month {parts['month']}, which does not exist",
            "dates are year-month-day (YYYY-MM-DD); check that month and day are not swapped",
        )
    try:
        when = datetime(parts["year"], parts["month"], parts["day"], parts.get("hour", 0),
                        parts.get("minute", 0), parts.get("second", 0))
    except ValueError as error:
        raise DateProblem(f"{text!r} is not a real date ({error})", "check the day and the time") from None
    if len(match["month"]) == 1 or len(match["day"]) == 1:
        raise DateProblem(
            f"{text!r} needs two digits for month and day",
            f"write `{_iso(parts['year'], parts['month'], parts['day'])}{text[match.end('day'):]}`",
        )
    return when
