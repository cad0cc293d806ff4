"""corrections: 更正 notices on articles and the ``/corrections/`` page.

The newsroom_reader plugin keeps each ``Correction:`` line of an article, as written,
in ``article.corrections``. This plugin parses them with
:func:`newsroom.paper.corrections.parse_correction` into ``article.correction_notices``
(``[{"date": "2024-01-05", "text": "…"}]``, newest first), which the article
template shows at the top of the story and site_extras puts into the JSON-LD. A
correction whose date cannot be read is logged as an error naming the file and line,
so ``make html``/``make publish`` (``--fatal errors``) stop.

It then writes ``/corrections/``: every published article with a correction, the
most recently corrected first.

Settings (defaults below): ``CORRECTIONS_URL``, ``CORRECTIONS_SAVE_AS`` (empty: the
page is not written).
"""

import logging
import re

from pelican import signals
from pelican.generators import Generator

from newsroom.errors import ContentError
from newsroom.paper.content import read_source
from newsroom.paper.corrections import newest_first, parse_correction
from newsroom.paper.dates import DateProblem

logger = logging.getLogger(__name__)

DEFAULTS = {
    "CORRECTIONS_URL": "corrections/",
    "CORRECTIONS_SAVE_AS": "corrections/index.html",
}


class CorrectionsSettingError(ValueError):
    """A CORRECTIONS_* setting that cannot work."""


def set_defaults(pelican):
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
        if not isinstance(settings[key], str):
            raise CorrectionsSettingError(
                f"corrections: {key} = {settings[key]!r} must be a string (default {value!r})")


def _line_of(path, index):
    """The line of the ``index``-th ``Correction:`` line in ``path`` (for error messages)."""
    try:
        source = read_source(path)
    except Exception:  # the reader already read it; this is only for a better message
        return None
    with open(path, encoding="utf-8-sig") as handle:
        header = handle.read().splitlines()[: source.body_line - 1]
    lines = [n for n, text in enumerate(header, 1) if re.match(r"^[ ]{0,3}correction\s*:", text, re.I)]
    return lines[index] if index < len(lines) else source.line_of("correction")


def notices_of(article):
    """Parse ``article.corrections``; a bad one is logged as an error and left out."""
    raw = getattr(article, "corrections", None) or []
    if isinstance(raw, str):
        raw = [raw]
    parsed = []
    for index, value in enumerate(raw):
        try:
            parsed.append(parse_correction(value))
        except DateProblem as error:
            line = _line_of(article.source_path, index)
            logger.error("%s", ContentError(article.source_path, line, error.problem, error.fix, error.code))
    return [correction.as_dict() for correction in newest_first(parsed)]


def add_notices(generator):
    """Give every article (drafts and hidden ones too) ``correction_notices``."""
    everything = list(generator.articles) + list(getattr(generator, "translations", []))
    everything += list(getattr(generator, "drafts", [])) + list(getattr(generator, "hidden_articles", []))
    for article in everything:
        article.correction_notices = notices_of(article)


class CorrectionsGenerator(Generator):
    """Writes ``/corrections/``: corrected articles, most recently corrected first."""

    def generate_context(self):
        corrected = [a for a in self.context.get("articles", []) if getattr(a, "correction_notices", None)]
        # Newest correction first; for the same day, the newer article first.
        corrected.sort(key=lambda a: (a.correction_notices[0]["date"], a.date), reverse=True)
        self.corrected_articles = corrected
        self.context["corrected_articles"] = corrected

    def generate_output(self, writer):
        save_as = self.settings["CORRECTIONS_SAVE_AS"]
        if not save_as:
            return
        writer.write_file(
            save_as,
            self.get_template("corrections"),
            self.context,
            url=self.settings["CORRECTIONS_URL"],
            corrected_articles=self.corrected_articles,
            list_title="更正",
            list_description="本报对已发表报道的更正，最近的更正在前。",
        )
        logger.info("corrections: %s lists %d corrected articles", save_as, len(self.corrected_articles))


def get_generators(pelican):
    return CorrectionsGenerator


def register():
    signals.initialized.connect(set_defaults)
    signals.article_generator_finalized.connect(add_notices)
    signals.get_generators.connect(get_generators)
