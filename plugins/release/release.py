"""release: the site shows only what is released now (newsroom/paper/release.py).

An article whose ``Date`` lies in the future (Beijing time) is waiting, and a draft is
never published: the public build leaves both out *before Pelican reads a file*, by
filtering the article generator's list of files. Nothing downstream can then show them:
no page, list, tag/district/reporter/topic page, feed, sitemap entry, search index entry,
catalogue row, e-paper page, related-article link or 上一篇/下一篇.

Settings:

* ``RELEASE_EMBARGO`` (default True): hold back articles not yet due. The preview sets it
  to False, so that editors read tomorrow's paper tonight (with a banner);
* ``RELEASE_NOW``: the moment the site is built for (``2026-12-07 06:00``, Beijing time);
  ``newsroom build`` passes the one it decided on, so that what it reports as waiting is
  exactly what the build leaves out. Unset: ``NEWSROOM_NOW``, else the clock;
* ``RELEASE_HELD_FILE``: the files to leave out, as ``newsroom build`` found them for that
  moment (it has just read the head of every article to list them for the editor); unset,
  unreadable, or with the embargo off: the heads are read here;
* drafts are left out whenever they are written nowhere (``DRAFT_SAVE_AS`` empty, as in
  the public settings); the preview writes them at ``/drafts/<slug>/`` and so reads them.

A site built with either (the preview's) gets a hidden marker file, which ``newsroom
deploy`` refuses to upload (:func:`mark_output`).

Connected to ``generator_init``, which the article generator sends before
``article_generator_init`` (where fastbuild wraps the same method): fastbuild's parallel
reading and preview scope see the filtered list.
"""

import logging
import os

from pelican import signals
from pelican.generators import ArticlesGenerator

from newsroom.paper import release

logger = logging.getLogger(__name__)


def hold_back(generator):
    if not isinstance(generator, ArticlesGenerator):
        return
    settings = generator.settings
    embargo = release.embargo_on(settings)
    drafts = not settings.get("DRAFT_SAVE_AS")
    if not embargo and not drafts:
        return
    when = release.build_moment(settings)
    given = settings.get("RELEASE_HELD_FILE")
    recorded = release.Recorded(given, generator.path) if given and embargo and drafts else None
    original = generator.get_files

    def get_files(paths, exclude=None, extensions=None):
        files = original(paths, exclude=exclude, extensions=extensions)
        absolute = {name: os.path.normpath(os.path.join(generator.path, name)) for name in files}
        held, unknown = set(), []
        for path in absolute.values():
            decided = recorded.held(path) if recorded is not None else None
            if decided is None:
                unknown.append(path)  # not recorded, or changed since: its head is read here
            elif decided:
                held.add(path)
        held |= set(release.held_back(unknown, when, drafts=drafts, embargo=embargo))
        if held:
            logger.info("release: %d file(s) held back (drafts, or not due before %s)", len(held), when)
        return type(files)(name for name in files if absolute[name] not in held)

    generator.get_files = get_files


def mark_output(pelican):
    """Leave :data:`~newsroom.paper.release.UNRELEASED_MARKER` in a site that shows drafts or
    articles not yet due (the preview), so that no deploy takes it; remove it from any other."""
    settings = pelican.settings
    marker = os.path.join(settings["OUTPUT_PATH"], release.UNRELEASED_MARKER)
    if not release.embargo_on(settings) or settings.get("DRAFT_SAVE_AS"):
        with open(marker, "w", encoding="utf-8") as handle:
            handle.write("This site shows drafts or articles not yet due; it is not deployed.\n")
    elif os.path.exists(marker):
        os.remove(marker)


def register():
    signals.generator_init.connect(hold_back)
    signals.finalized.connect(mark_output)
