"""Bylines: who wrote an article (STUB — the districts/bylines work fills this in)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Byline:
    reporters: tuple = ()
    correspondents: tuple = ()
    text: str = ""  # the byline as printed, e.g. 本报讯（记者 白莹）


def parse_byline(paragraph):
    """The byline at the head of ``paragraph`` (the body's first paragraph)."""
    return Byline()


def byline_of(body):
    """The byline of an article body (looks at its opening paragraph)."""
    return Byline()
