"""Corrections (更正): ``Correction: 2024-01-05 正文第二段中的……应为……``.

An article may carry several ``Correction`` lines. Each is a date and the text of
the notice; the date may be followed by a space, a colon or a dash. The site shows
the notices at the top of the article, puts them in its JSON-LD and lists the
article on ``/corrections/``.
"""

import re
from dataclasses import dataclass

from newsroom.paper.dates import DateProblem, parse_date

CORRECTION = re.compile(r"^(?P<date>[^\s:：—–|｜]+)[\s:：—–|｜]*(?P<text>.*)$", re.S)
EXAMPLE = "`Correction: 2024-01-05 正文第二段中的“12家”应为“10家”。`"


@dataclass(frozen=True)
class Correction:
    date: str  # YYYY-MM-DD
    text: str

    def as_dict(self):
        return {"date": self.date, "text": self.text}


def parse_correction(value):
    """``'2024-01-05 …'`` -> :class:`Correction`; raises :class:`DateProblem` when unusable."""
    text = (value or "").strip()
    match = CORRECTION.match(text)
    if not match:
        raise DateProblem.of("content.correction_needs_date_and_text", value=repr(text), example=EXAMPLE)
    try:
        when = parse_date(match["date"])
    except DateProblem as error:
        raise DateProblem.of("content.correction_bad_date", problem=error.problem, fix=error.fix) from None
    notice = match["text"].strip()
    if not notice:
        raise DateProblem.of("content.correction_no_text", value=repr(text), example=EXAMPLE)
    return Correction(when.date().isoformat(), notice)


def newest_first(corrections):
    """Corrections sorted newest first (stable for the same day)."""
    return sorted(corrections, key=lambda c: c.date, reverse=True)
