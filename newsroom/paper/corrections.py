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
        raise DateProblem(f"correction {text!r} needs a date and a text", f"write {EXAMPLE}")
    try:
        when = parse_date(match["date"])
    except DateProblem as error:
        raise DateProblem(f"correction date: {error.problem}", error.fix) from None
    notice = match["text"].strip()
    if not notice:
        raise DateProblem(f"correction {text!r} has a date but no text", f"write {EXAMPLE}")
    return Correction(when.date().isoformat(), notice)


def newest_first(corrections):
    """Corrections sorted newest first (stable for the same day)."""
    return sorted(corrections, key=lambda c: c.date, reverse=True)
