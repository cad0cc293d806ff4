"""content_guard: publish from content/ only what may be published as it is.

Pelican copies every file of ``STATIC_PATHS`` into the site. Here, once it has listed
them, every file that :mod:`newsroom.paper.content_tree` refuses is taken off the list
(and out of the ``{static}`` link targets): a symbolic link, a type that is not an
image or PDF, bytes that are not what the suffix says, an SVG, a photo with camera
metadata. Each is logged as a warning naming the file: ``newsroom check`` reports the
same file as an error, so ``make publish`` never gets here with one, and ``make html``
builds the site without it.
"""

import logging
import os

from pelican import signals

from newsroom import messages
from newsroom.paper import content_tree

logger = logging.getLogger(__name__)


def refuse_static_files(generator):
    root = generator.path
    kept = []
    static_content = generator.context.get("static_content", {})
    for static in generator.staticfiles:
        problem = published_as_is(static.source_path, root)
        if problem is None:
            kept.append(static)
            continue
        message_id, params = problem
        logger.warning("%s: %s — %s", static.source_path, *messages.problem(message_id, **params))
        static_content.pop(static.relative_source_path, None)
        static_content.pop(os.path.relpath(static.source_path, root), None)
    # In place: Pelican copies from the same list, which its context also holds.
    generator.staticfiles[:] = kept
    generator.context["staticfiles"] = generator.staticfiles


def published_as_is(path, root):
    """None when the static file ``path`` may be copied into the site, else ``(message id, params)``."""
    link = content_tree.symlink_in(path, root)
    if link is not None:
        return content_tree.symlink_problem(link, root)
    # Pelican also copies what a {static} or {attach} link names, wherever it is: only the
    # static folders publish files as they are (check's link_not_static says it first).
    if not content_tree.is_static(os.path.relpath(path, root)):
        return "security.static_outside", {"name": os.path.basename(path), "path": str(path),
                                           "folders": content_tree.static_folders_text()}
    return content_tree.static_problem(path)


def register():
    signals.static_generator_finalized.connect(refuse_static_files)
