"""The editor's preview scope: the latest issues plus whatever the editor touched.

A full build of a 20,000-article back catalogue takes minutes; an editor checking an
article needs seconds. The preview (``make serve``) therefore builds only the articles
of the ``issues`` most recent publication dates, plus every file modified at or after
``since`` (by default the last few hours): an old article that the editor opens and
saves is in the next preview build. Published builds never use this; they are complete.

Dates are read from the ``Date:`` line of each file's header and remembered per file
(size, modification time), so a long-running preview only stats the files again.
"""

import os
import re

DATE_LINE = re.compile(rb"^[ ]{0,3}Date:[ \t]*(\d{4}-\d{2}-\d{2})", re.M | re.I)
HEAD_BYTES = 4096

_dates = {}  # path -> ((size, mtime_ns), date or None)


def article_date(path):
    """``YYYY-MM-DD`` from the file's ``Date:`` line, or None."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    stamp = (stat.st_size, stat.st_mtime_ns)
    known = _dates.get(path)
    if known and known[0] == stamp:
        return known[1]
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES).split(b"\n\n", 1)[0]
    match = DATE_LINE.search(head)
    value = match.group(1).decode("ascii") if match else None
    _dates[path] = (stamp, value)
    return value


def preview_scope(paths, issues=10, since=None):
    """The subset of ``paths`` (in their order) that the preview builds.

    ``issues``: how many of the most recent publication dates to keep; ``since``: a
    POSIX time, files modified at or after it are kept whatever their date. A file
    whose date cannot be read is kept, so that the build reports its problem.
    """
    dated = [(path, article_date(path)) for path in paths]
    recent = set(sorted({day for _, day in dated if day}, reverse=True)[: max(0, issues)])
    kept = []
    for path, day in dated:
        if day is None or day in recent:
            kept.append(path)
        elif since is not None and _mtime(path) >= since:
            kept.append(path)
    return kept


def _mtime(path):
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0
