"""Summaries of Chinese news text for lists and feeds.

Pelican's default summary counts words separated by spaces, which Chinese does not
have, so it cuts mid-sentence or even inside a quotation and appends " …". Here the
text is cut after a whole sentence (。！？ and any closing quotes that follow), never
while a quotation or bracket is open. Only a first sentence too long to show whole is
cut inside, at a clause mark (，；：), and then ends in "……" with no space.
"""

import re

SUMMARY_LENGTH = 120

OPENERS = "“‘「『（《【(\""
CLOSERS = "”’」』）》】)\""
SENTENCE_ENDS = "。！？!?…"
CLAUSE_ENDS = "，；：、,;:"
ELLIPSIS = "……"


def _cut_points(text):
    """Positions after which ``text`` may be cut: (index, is_sentence_end)."""
    depth = 0
    points = []
    for index, char in enumerate(text):
        if char == '"':
            # A straight quote opens or closes depending on what is open.
            depth = depth - 1 if depth > 0 else depth + 1
        elif char in OPENERS:
            depth += 1
        elif char in CLOSERS:
            depth = max(depth - 1, 0)
        if depth:
            continue
        following = text[index + 1 : index + 2]
        if following and following in SENTENCE_ENDS + CLOSERS:
            continue  # cut after the whole run, e.g. after ！” not between them
        if char in SENTENCE_ENDS or (char in CLOSERS and text[index - 1 : index] in SENTENCE_ENDS):
            points.append((index + 1, True))
        elif char in CLAUSE_ENDS:
            points.append((index + 1, False))
    return points


_PARAGRAPH_GAP = re.compile(r"\s*\n\s*")


def _flatten(text):
    """One line of text: paragraphs run on with nothing between them, as Chinese prose
    does (乐趣。开幕式后, not 乐趣。 开幕式后); a space only between two Latin words."""
    text = text.strip()

    def gap(match):
        before, after = text[match.start() - 1 : match.start()], text[match.end() : match.end() + 1]
        return " " if before.isascii() and after.isascii() and before.isalnum() and after.isalnum() else ""

    text = _PARAGRAPH_GAP.sub(gap, text)
    return " ".join(text.split())


def summarize(text, length=SUMMARY_LENGTH):
    """About ``length`` characters of ``text`` cut at a sentence end."""
    text = _flatten(text)
    if len(text) <= length:
        return text
    # No cut point past length * 1.5 is ever used, so the scan stops there (two
    # characters later: a point's test looks at the next character); a whole article
    # used to be scanned character by character for a 120-character summary.
    limit = int(length * 1.5)
    points = [(i, whole) for i, whole in _cut_points(text[: limit + 2]) if i <= limit]
    sentence_ends = [i for i, whole in points if whole and i <= length]
    if sentence_ends:
        return text[: sentence_ends[-1]]
    # The first sentence is longer than ``length``: allow it up to half as long
    # again before cutting inside it.
    first_end = next((i for i, whole in points if whole), None)
    if first_end is not None and first_end <= length * 1.5:
        return text[:first_end]
    clauses = [i for i, whole in points if not whole and i <= length]
    cut = clauses[-1] - 1 if clauses else length
    return text[:cut] + ELLIPSIS
