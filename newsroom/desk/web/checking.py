"""``check`` for the desk: the same checks, on the text being edited or on the saved file,
each problem placed at the field (or the body line) it concerns.

The text need not be saved: it is checked as the file it would become, with the same
functions as ``python -m newsroom check`` (:func:`newsroom.desk.checks.check_source`),
and its address is compared with the other articles' (a clash is an error in ``check``
too). A problem's line says where it is: a line of the metadata block names a field, a
line after it a line of the body. A problem of the whole file (line 1, e.g. a missing
date) goes to the field its message names (the messages name the field, 缺少日期（Date）).
"""

import re
from pathlib import Path

from newsroom import messages
from newsroom.desk import checks, tree_checks
from newsroom.paper.content import parse_text, split_text
from newsroom.paper.fields import desk_fields


def _field_named(text):
    """The key of the first field ``text`` names (``Date``, `Date:`), or None."""
    for field in desk_fields():
        if re.search(rf"(?<![A-Za-z]){re.escape(field.name)}(?![A-Za-z])", text):
            return field.key
    return None


def locate(problem, items, body_line):
    """``{"field", "line", "body_line"}`` for one problem of a text split by ``split_text``."""
    line = problem.line
    if line >= body_line:
        return {"field": "body", "line": line, "body_line": line - body_line + 1}
    at = None
    for key, _, first in items:
        if first <= line:
            at = key.lower()  # a continuation line belongs to the field above it
    # "no Date" is reported at line 1, the Title's line: the field the problem (not its
    # fix, which may name another field to move words into) names.
    named = _field_named(problem.message)
    if line == 1 and named and named != at:
        at = named
    known = {field.key for field in desk_fields()}
    return {"field": at if at in known else None, "line": line, "body_line": None}


def _fix_in_the_form(fix, field):
    """``check``'s fix as the desk's editor can follow it: a fix that says to write a line
    into the file's metadata block ("信息块") is, in the form, "fill in this field"."""
    if not field or not fix or not any(word in fix for word in ("信息块", "metadata block")):
        return fix
    label = next((f.zh for f in desk_fields() if f.key == field), None)
    return messages.text("desk.fix_in_field", field=label) if label else fix


def _field_names_in_brackets():
    names = "|".join(re.escape(field.name) for field in desk_fields())
    return re.compile(rf"[（(](?:{names})[）)]", re.IGNORECASE)


def _field_lines():
    names = "|".join(re.escape(field.name) for field in desk_fields())
    return re.compile(rf"`(?:{names}):[ \t]*([^`]*)`", re.IGNORECASE)


def in_desk_words(text):
    """``check``'s words as the desk's editor, who sees the form's Chinese labels and never
    types a field name, can follow them: 标题（Title） is 标题, 写成 `Slug: a-b` is 写成“a-b”,
    and a line of the file to delete (删掉这一行) is the field to empty (清空这一栏)."""
    if not text or messages.language() != "zh":
        return text
    text = _field_names_in_brackets().sub("", text)
    text = _field_lines().sub(lambda match: f"“{match.group(1).strip()}”", text)
    return text.replace("删掉这一行", "清空这一栏")


def as_dicts(problems, text):
    items, _, body_line = split_text(text)
    found = []
    for problem in problems:
        where = locate(problem, items, body_line)
        found.append({"severity": problem.severity, "message": in_desk_words(problem.message),
                      "fix": in_desk_words(_fix_in_the_form(problem.fix, where["field"])), **where})
    return found


def check_text(path, text, is_page=False, others=None):
    """The problems of ``text`` as the file ``path`` (absolute). ``others`` (``{absolute
    path: Facts}`` of the other files, :func:`newsroom.desk.checks.facts_of`) adds the
    checks over the tree that concern this file: an address taken twice, a headline twice
    in one issue, its issue's pages and numbers, its date against the clock."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    checked = checks.Checked(Path(path), parse_text(normalised, path), tuple(normalised.split("\n")), is_page)
    problems = checks.check_source(checked)
    if others is not None:
        mine = checks.facts_of(checked)
        here = str(Path(path).resolve())
        # Only the files that can meet this one in a tree check: its address, its issue.
        near = [facts for other, facts in others.items() if other != here
                and ((mine.url and facts.url == mine.url) or (mine.day and facts.day == mine.day))]
        problems += [problem for problem in tree_checks.check_tree([mine, *near]) if problem.path == str(path)]
    return as_dicts(sorted(set(problems)), normalised)
