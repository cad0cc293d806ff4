"""Addresses of reporters' pages (``/reporters/<pinyin>/``) that do not move.

A reporter's page is at the pinyin of the name (:func:`newsroom.text.bylines.reporter_slug`).
Two names that read alike (马超, 马潮) cannot share it: the one whose first article is
older keeps the plain form and the other gets ``-2``. That order changes when an older
article by the second name is imported later, so the paper pins such addresses in a
file of the content folder, ``reporters.txt``, one ``name slug`` per line::

    # 马超 published first; 马潮 came with the 2023 back issues.
    马超 machao
    马潮 machao-2

A pinned name always gets its slug; the others are numbered around the pinned ones.
"""

import re
from collections import defaultdict

from newsroom.text.bylines import reporter_slug
from newsroom.paper.content import ContentError, decode_utf8

REGISTRY_NAME = "reporters.txt"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def read_pinned(path):
    """``{name: slug}`` from a ``reporters.txt``; :class:`ContentError` naming the line
    of anything that cannot be used."""
    pinned, owner = {}, {}
    # Read as the articles are: a GBK save is an error naming the file, never a traceback.
    with open(path, "rb") as handle:
        lines = decode_utf8(handle.read(), path).splitlines()
    for number, line in enumerate(lines, 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        parts = text.split()
        if len(parts) != 2:
            raise ContentError.of(path, number, "content.pin_unreadable", line=repr(line.strip()))
        name, slug = parts
        if not SLUG.fullmatch(slug):
            raise ContentError.of(path, number, "content.pin_bad_slug", slug=repr(slug))
        if name in pinned:
            raise ContentError.of(path, number, "content.pin_twice", name=name)
        if slug in owner:
            raise ContentError.of(path, number, "content.pin_taken", slug=slug, owner=owner[slug])
        pinned[name], owner[slug] = slug, name
    return pinned


def assign(names, pinned=None):
    """``(slug_of, unpinned)`` for reporters ``names``, given oldest first article first.

    ``slug_of`` maps each name to its slug. ``unpinned`` lists ``(base, [names])`` for
    every group of two or more names that read alike (one base slug) and are not all
    pinned: their addresses would depend on the order of their first articles.
    """
    pinned = dict(pinned or {})
    slug_of = {name: slug for name, slug in pinned.items()}
    taken = set(pinned.values())
    readers = defaultdict(list)  # base slug -> names, in order
    for name in dict.fromkeys(names):
        base = reporter_slug(name) or "reporter"
        readers[base].append(name)
        if name in slug_of:
            continue
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        slug_of[name] = slug
        taken.add(slug)
    unpinned = [(base, group) for base, group in readers.items()
                if len(group) > 1 and any(name not in pinned for name in group)]
    return slug_of, unpinned
