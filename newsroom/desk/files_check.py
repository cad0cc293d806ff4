"""``check``'s view of the content folder's other files: symbolic links, and the static
files Pelican would publish as they are (:mod:`newsroom.paper.content_tree`).

The build refuses the same things (the reader for a linked article, the
``content_guard`` plugin for a static file), so a tree that checks clean builds clean.
"""

from pathlib import Path

from newsroom import messages
from newsroom.paper import content_tree
from newsroom.paper.content import MARKDOWN_SUFFIXES


def _static_files(folder):
    """The files of ``folder`` (a folder checked) that the site would publish as they are:
    those under its static folders (``content/images/``), or all of it when it is one."""
    folder = Path(folder)
    names = content_tree.static_folders()
    roots = [folder] if folder.resolve().name in names else [folder / name for name in names]
    found = []
    for root in roots:
        if root.is_dir() and not root.is_symlink():
            found.extend(path for path in sorted(root.rglob("*")) if path.is_file() and not path.is_symlink())
    return found


def tree_problems(paths):
    """``[(path, message id, params)]`` for the files at or under ``paths``: every symbolic
    link, and every static file that would not be published."""
    found = []
    for path in map(Path, paths):
        if path.is_symlink():
            found.append((path, *content_tree.symlink_problem(path, path.parent)))
            continue
        special = content_tree.special_problem(path)
        if special and path.suffix.lower() not in MARKDOWN_SUFFIXES:  # an article's: read_checked says it
            found.append((path, *special))
            continue
        if not path.is_dir():
            if path.suffix.lower() not in (".md", ".markdown", ".mkd", ".mdown") and \
                    any(part in content_tree.static_folders() for part in path.parts[:-1]):
                problem = content_tree.static_problem(path)
                if problem:
                    found.append((path, *problem))
            continue
        links, specials = content_tree.odd_files(path)
        found.extend((link, *content_tree.symlink_problem(link, path)) for link in links)
        found.extend((special, *content_tree.special_problem(special)) for special in specials)
        for static in _static_files(path):
            problem = content_tree.static_problem(static)
            if problem:
                found.append((static, *problem))
    return found


def problems_as_text(found):
    """``[(path, problem, fix)]`` in the editor's language."""
    return [(path, *messages.problem(message_id, **params)) for path, message_id, params in found]
