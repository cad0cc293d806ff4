"""Option types the commands share: a bad value gets a message that says what to write."""

import argparse
import re

from newsroom import messages


def page_number(text):
    """``--page``: a print page number from 1."""
    if not re.fullmatch(r"[0-9]+", text.strip()) or int(text) < 1:
        raise argparse.ArgumentTypeError(messages.text("options.not_a_page_number", value=repr(text)))
    return int(text)


def issue_number(text):
    """``--issue``: an issue number, written as digits (the site adds 第…期)."""
    if text and not re.fullmatch(r"[0-9]+", text.strip()):
        raise argparse.ArgumentTypeError(messages.text("options.not_an_issue_number", value=repr(text)))
    return text.strip()


def one_line(text):
    """A metadata value (``--title``, ``--kicker`` …): one line, as the metadata block
    holds it; a line break pasted from a proof would end the block and push the fields
    after it into the text."""
    if re.search(r"[\r\n\u2028\u2029]", text):
        lines = [part.strip() for part in re.split(r"[\r\n\u2028\u2029]+", text) if part.strip()]
        raise argparse.ArgumentTypeError(messages.text("options.line_break", value=repr(text),
                                                       joined=repr("".join(lines))))
    return text
