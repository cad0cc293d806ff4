"""catalogue: the archive catalogue for download, ``/catalogue/``.

Writes every published article's record (:mod:`newsroom.paper.catalogue`) as
``catalogue.csv`` (for spreadsheets) and ``catalogue.json`` (for scripts), and a page
that links both, says what each column holds and counts the articles by year. The
records are made in ``generate_output``, after every plugin has given the articles
their district, keywords, topics, e-paper place and corrections.

Settings (defaults below): ``CATALOGUE_URL``, ``CATALOGUE_SAVE_AS`` (empty: no page),
``CATALOGUE_CSV`` and ``CATALOGUE_JSON`` (where the files go; empty: not written).
"""

import hashlib
import logging
import marshal
import os
import posixpath
from operator import attrgetter

from pelican import signals
from pelican.generators import Generator
from pelican.utils import sanitised_join

from newsroom.build import marshal_file
from newsroom.paper import catalogue
from newsroom.paper.permalinks import permalink

logger = logging.getLogger(__name__)

DEFAULTS = {
    "CATALOGUE_URL": "catalogue/",
    "CATALOGUE_SAVE_AS": "catalogue/index.html",
    "CATALOGUE_CSV": "catalogue/catalogue.csv",
    "CATALOGUE_JSON": "catalogue/catalogue.json",
}


class CatalogueSettingError(ValueError):
    """A CATALOGUE_* setting that cannot work."""


def set_defaults(pelican):
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
        if not isinstance(settings[key], str):
            raise CatalogueSettingError(
                f"catalogue: {key} = {settings[key]!r} must be a string (default {value!r}; empty turns it off)")
    written = {}
    for key in ("CATALOGUE_SAVE_AS", "CATALOGUE_CSV", "CATALOGUE_JSON"):
        path = settings[key]
        if not path:
            continue
        normal = posixpath.normpath(path)
        if path.startswith("/") or normal == ".." or normal.startswith("../"):
            raise CatalogueSettingError(f"catalogue: {key} = {path!r} must be a path inside the output folder, "
                                        f"e.g. {DEFAULTS[key]!r}")
        if normal in written:
            raise CatalogueSettingError(f"catalogue: {key} and {written[normal]} are both {path!r}; "
                                        "give each its own file")
        written[normal] = key


def record_of(article, base, text_of_html=catalogue.text_of_html):
    """The catalogue's record of one published Pelican article (``text_of_html``: the
    build passes :meth:`RowMemo.text_of_html`)."""
    epaper = getattr(article, "epaper", None)
    return catalogue.Record(
        url=permalink(base, article.url),
        date=article.date.strftime("%Y-%m-%d"),
        title=str(article.title),
        kicker=getattr(article, "kicker", "") or "",
        subtitle=getattr(article, "subtitle", "") or "",
        issue=str(getattr(article, "issue", "") or ""),
        page=getattr(article, "page", None),
        page_name=getattr(article, "pagename", "") or "",
        position=epaper.position if epaper is not None else None,
        district=getattr(article, "district", "") or "",
        reporters=tuple(str(author) for author in getattr(article, "authors", None) or ()),
        correspondents=tuple(getattr(article, "correspondents", None) or ()),
        topics=tuple(topic.name for topic in getattr(article, "topics", None) or ()),
        keywords=tuple(str(keyword) for keyword in getattr(article, "keywords", None) or ()),
        # The reader keeps the summary HTML-escaped for the templates, and an editor's
        # ``Summary:`` is rendered Markdown; the files hold text.
        summary=text_of_html(getattr(article, "summary", "") or ""),
        citation=epaper.citation if epaper is not None else "",
        citation_gbt7714=epaper.citation_gbt7714 if epaper is not None else "",
        corrections=tuple(f"{notice['date']} {notice['text']}"
                          for notice in getattr(article, "correction_notices", None) or ()),
        **photo_fields(getattr(article, "lead_photo", None), base),
    )


def photo_fields(photo, base):
    """The lead photo's address and credit (plugins/photos), empty when there is none."""
    image = getattr(photo, "feed_image", None)
    if image is None:
        return {}
    return {"photo": permalink(base, image.url), "photo_credit": photo.credit}


MEMO_FOLDER = "catalogue"
MEMO_VERSION = 2  # 2: rows keyed by the digest of their fields


def memo_key(record):
    """The digest of a record's written fields, to look its lines up by; None (no memo) for
    a field of another type than str, int, None or a tuple of str: a key must not match
    another value that compares equal but is written differently (``True == 1``,
    ``1.0 == 1``, a ``str`` subclass). marshal's bytes name each value's type; version 0
    writes no references and no interning mark, so equal values give equal bytes."""
    values = RECORD_FIELDS(record)
    if not set(map(type, values)) <= KEY_TYPES:
        return None
    for value in values:
        if type(value) is tuple and not set(map(type, value)) <= {str}:
            return None
    return hashlib.blake2b(marshal.dumps(values, 0), digest_size=16).digest()


RECORD_FIELDS = attrgetter(*(key for key, _, _ in catalogue.FIELDS))
KEY_TYPES = frozenset({str, int, tuple, type(None)})


class RowMemo:
    """Each record's CSV row and JSON line, and each summary's text, kept from one build
    to the next: a one-edit rebuild made all 2,000 records' texts afresh (lxml parses
    each summary; ``csv`` and ``json`` write each record), ~0.25 CPU-s.

    Both are pure functions of their input and the code (lxml included): the file is
    named by ``NEWSROOM_CODE_DIGEST`` (without it nothing is kept), rows are keyed by the
    digest of every written field of the record (:func:`memo_key`), texts by the
    summary's markup.
    A build keeps only what it used. The site is the same with and without the file."""

    def __init__(self, settings):
        self.path = marshal_file.path_for(settings.get("CACHE_PATH"), MEMO_FOLDER, "rows",
                                          settings.get("NEWSROOM_CODE_DIGEST"))
        stored = marshal_file.load(self.path, MEMO_VERSION) or {}
        self.stored_texts = stored.get("texts") if isinstance(stored.get("texts"), dict) else {}
        self.stored_rows = stored.get("rows") if isinstance(stored.get("rows"), dict) else {}
        self.texts, self.rows = {}, {}
        self._lines = {}  # id(record) -> its (CSV row, JSON line), for this build's two files
        self.made = 0

    def text_of_html(self, markup):
        if not isinstance(markup, str):
            return catalogue.text_of_html(markup)
        markup = str(markup)  # a Markup's characters: what lxml reads, and what marshal keeps
        found = self.texts.get(markup)
        if found is None:
            found = self.stored_texts.get(markup)
            if type(found) is not str:
                found = catalogue.text_of_html(markup)
            self.texts[markup] = found
        return found

    def lines(self, records):
        """``(csv_line, json_line)``: the functions :func:`catalogue.to_csv` and
        :func:`catalogue.to_json` call for these ``records``."""
        for record in records:
            key = memo_key(record)
            found = self.stored_rows.get(key) if key is not None else None
            if not (type(found) is tuple and len(found) == 2 and all(type(text) is str for text in found)):
                found = (catalogue.csv_line(record), catalogue.json_line(record))
                self.made += 1
            if key is not None:
                self.rows[key] = found
            self._lines[id(record)] = found
        return (lambda record: self._lines[id(record)][0]), (lambda record: self._lines[id(record)][1])

    def save(self):
        if self.texts == self.stored_texts and self.rows == self.stored_rows:
            return
        marshal_file.save(self.path, {"version": MEMO_VERSION, "texts": self.texts, "rows": self.rows})


class CatalogueGenerator(Generator):
    """Writes the catalogue files and the page that offers them."""

    def generate_output(self, writer):
        base = self.settings.get("SITE_PERMALINK_BASE", "")
        memo = RowMemo(self.settings)
        records = catalogue.catalogue_order(record_of(a, base, memo.text_of_html)
                                            for a in self.context.get("articles", []))
        if self.settings["CATALOGUE_CSV"] or self.settings["CATALOGUE_JSON"]:
            csv_line, json_line = memo.lines(records)
        memo.save()
        files = []
        for key, label, data in (
            ("CATALOGUE_CSV", "CSV", lambda: catalogue.to_csv(records, csv_line)),
            ("CATALOGUE_JSON", "JSON",
             lambda: catalogue.to_json(records, self.settings.get("SITENAME", ""), json_line)),
        ):
            save_as = self.settings[key]
            if not save_as:
                continue
            text = data()
            path = sanitised_join(self.output_path, save_as)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            # Through the writer's own file opener, as Pelican's feeds are: Pelican refuses
            # a second write to one file, and fastbuild rewrites only changed bytes and
            # keeps the published file's time otherwise.
            with writer._open_w(path, "utf-8") as handle:
                handle.write(text)
            files.append({"format": label, "url": save_as, "size": catalogue.size_label(len(text.encode("utf-8")))})
        logger.info("catalogue: %d articles in %s (%d rows made afresh)", len(records),
                    ", ".join(f["url"] for f in files) or "no file", memo.made)
        save_as = self.settings["CATALOGUE_SAVE_AS"]
        if save_as:
            writer.write_file(save_as, self.get_template("catalogue"), self.context,
                              url=self.settings["CATALOGUE_URL"], catalogue_files=files,
                              catalogue_fields=catalogue.FIELDS, catalogue_count=len(records),
                              catalogue_years=catalogue.counts_by_year(records),
                              list_title="报道目录下载",
                              list_description="本报已发表报道的目录，可下载后用电子表格或程序查阅、筛选和引用。")


def get_generators(pelican):
    return CatalogueGenerator


def register():
    signals.initialized.connect(set_defaults)
    signals.get_generators.connect(get_generators)
