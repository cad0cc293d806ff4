"""newsroom_reader: read articles with the newspaper's content model.

A Markdown reader that adds what the newsroom package knows about one article to
its metadata: the pinyin slug, a Chinese summary, reporters and correspondents from
the byline, the normalised or detected district, and the print fields (kicker,
subtitle, page, page name, order on the page, issue). Because this happens in the
reader, Pelican's content cache keeps the result: an unchanged file is not analysed
again on the next build.

The article's HTML (its body, and a ``Summary:``, which Pelican renders as Markdown
too) passes through :func:`newsroom.paper.sanitize.clean` here, before Pelican's cache,
any plugin, template, feed or index sees it: this is the one place where article HTML
is made, so everything a reader can be sent from it is sanitized (docs/security.md).

Bad metadata raises :class:`newsroom.paper.content.ContentError` naming the file and line;
Pelican logs it as an error and ``--fatal errors`` (used by ``make``) stops the build.
"""

import functools
import hashlib
import html
import itertools
import logging
from importlib.metadata import version
from pathlib import Path

from pelican import signals
from pelican.readers import MarkdownReader

from newsroom import messages
from newsroom.paper import analysis, content_tree, fields, limits
from newsroom.text import bylines
from newsroom.paper.analysis import district_of_source
from newsroom.paper.content import ContentError, parse_text, decode_utf8, split_list
from newsroom.paper.sanitize import clean, text_blocks
from newsroom.text.slugs import slugify_headline
from newsroom.text.summary import summarize

logger = logging.getLogger(__name__)

INTEGER_FIELDS = ("page", "pageorder")
TEXT_FIELDS = ("kicker", "subtitle", "pagename", "issue", "banner")


UNREADABLE = object()  # a draft's date Pelican could not read (NewsMarkdownReader.process_metadata)


class NewsMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader plus the newspaper's metadata."""

    def process_metadata(self, name, value):
        try:
            return super().process_metadata(name, value)
        except (ValueError, OverflowError):
            if getattr(self, "_draft", False) and name in ("date", "modified"):
                return UNREADABLE
            raise

    def read(self, source_path):
        try:
            return self._read(source_path)
        except ContentError as error:
            # Pelican logs only "Could not process <file>" (the reason only in its debug
            # mode): say what is wrong and how to fix it first.
            logger.error("%s", error)
            raise

    def _read(self, source_path):
        self._draft = self._drop_dates = False
        link = content_tree.symlink_in(source_path, self.settings["PATH"])
        if link is not None:  # a linked file or folder: nothing checked it (docs/security.md)
            message_id, params = content_tree.symlink_problem(link, self.settings["PATH"])
            raise ContentError(link, None, *messages.problem(message_id, **params))
        special = content_tree.special_problem(source_path)
        if special:  # a named pipe called x.md: opening it would wait for ever
            raise ContentError(source_path, None, *messages.problem(special[0], **special[1]))
        with open(source_path, "rb") as handle:
            text = decode_utf8(handle.read(), source_path).replace("\r\n", "\n").replace("\r", "\n")
        source = parse_text(text, source_path)
        # What Pelican, the feeds or the tag pages could not take, said as check says it
        # (before Pelican reads the file: a date such as 0001-01-01 stops it with no file named).
        draft = (source.get("status") or "").strip().lower() == "draft"
        for line, message_id, params in limits.problems(source, text):
            if not draft:  # a draft's problems are check's warnings: it is never published
                raise ContentError(source_path, line, *messages.problem(message_id, **params))
            if message_id == "security.date_out_of_range":
                self._drop_dates = True
        # A draft is never published and its problems are warnings in check (drafts never
        # block), so a date Pelican cannot read is left out, not fatal: Pelican dates an
        # undated draft itself (the preview shows it; the site never does).
        self._draft = draft
        content, metadata = super().read(source_path)
        metadata = {key: value for key, value in metadata.items() if value is not UNREADABLE
                    and not (self._drop_dates and key in ("date", "modified"))}
        metadata = only_model_fields(source, metadata)
        if metadata.get("title") is None:
            raise ContentError.of(source_path, 1, "content.missing_title")
        content = clean(content)
        add_news_metadata(source, metadata, self.process_metadata, text_blocks(content))
        metadata["summary"] = clean(metadata["summary"])
        if source.title:  # the keywords plugin's key of this text (kept with the reader's cache)
            metadata[analysis.TEXT_KEY_FIELD] = analysis.text_key(*analysis.analysed_text(source))
        # A byline typed with half-width brackets is printed as the paper prints it (the
        # sanitized HTML: the swap of two brackets for their full-width forms adds no markup).
        return bylines.with_byline_as_printed(content, bylines.byline_of(source.text).text), metadata


def only_model_fields(source, metadata):
    """``metadata`` with only the content model's fields. A field that would override the
    article's address, template, language or category is an error; any other field is
    dropped: Pelican makes every field an attribute of the article, so ``_content:`` would
    replace the sanitized body and ``date_format:`` the date formats (``check`` warns
    about such a field)."""
    for key in metadata:
        if key in fields.override_fields():
            raise ContentError(source.path, source.line_of(key),
                               *messages.problem("security.override_field", name=fields.override_fields()[key]))
    known = fields.known_fields()
    return {key: value for key, value in metadata.items() if key in known}


def add_news_metadata(source, metadata, process, paragraphs=None):
    """Fill ``metadata`` (Pelican's, already processed) from ``source``; ``paragraphs``:
    the text of the body's sanitized HTML, block by block, which the automatic summary
    is cut from (what readers see, not the Markdown or HTML source)."""
    path = source.path
    for key in TEXT_FIELDS:
        value = metadata.get(key)
        metadata[key] = value.strip() if isinstance(value, str) else ""
    for key in INTEGER_FIELDS:
        metadata[key] = _integer(source, key)

    # Editors separate names and tags with 、 or ， as often as with a comma; Pelican
    # splits on commas only, so rebuild both lists the way analyze reads them.
    for key in ("authors", "tags"):
        if source.get(key):
            metadata[key] = process(key, ",".join(split_list(source.get(key))))

    if "slug" not in metadata:
        metadata["slug"] = slugify_headline(str(metadata["title"]))

    byline = bylines.byline_of(source.text)
    if "authors" not in metadata and "author" not in metadata and byline.reporters:
        metadata["authors"] = process("authors", ",".join(byline.reporters))
    metadata["correspondents"] = split_list(source.get("correspondents")) or list(byline.correspondents)

    metadata["district"] = district_of_source(source)

    if "summary" not in metadata:
        # The text readers see (a photo, an image alone in its paragraph, has none).
        blocks = paragraphs if paragraphs is not None else \
            [p for p in source.body_paragraphs() if not p.startswith("![")]
        text = "\n".join(blocks)
        if byline.text and text.startswith(byline.text):
            text = text[len(byline.text):]
        metadata["summary"] = html.escape(summarize(text), quote=False)

    corrections = source.get_all("correction")
    metadata["corrections"] = corrections


def _integer(source, key):
    value = source.get(key)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        name = "Page" if key == "page" else "PageOrder"
        raise ContentError.of(source.path, source.line_of(key), "content.not_whole_number",
                              field=messages.field(name), value=repr(value), name=name) from None


@functools.lru_cache(maxsize=1)
def reader_fingerprint():
    """Changes whenever what the reader computes could change: the newsroom package and its
    data, this plugin, and the libraries that make slugs and summaries."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[2] / "newsroom"
    for path in sorted([*package.rglob("*.py"), *(package / "data").rglob("*"), Path(__file__)]):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    for library in ("pelican", "markdown", "pypinyin", "jieba", "nh3"):
        digest.update(version(library).encode())
    return digest.hexdigest()


def drop_stale_reader_cache(generator):
    """Pelican's content cache is keyed on each file's checksum only, so after a change in
    our code it would serve metadata (slugs, districts, summaries) the new code would not
    give. Keep a stamp of the code beside each generator's cache and start that cache
    afresh when the stamp differs. The stamp is written only once the new cache is saved
    (:func:`stamp_reader_cache`), so a failed build never pairs an old cache with it."""
    stamp = _stamp_path(generator)
    if stamp is None:
        return
    try:
        stale = stamp.read_text(encoding="utf-8") != reader_fingerprint()
    except OSError:
        stale = True
    if stale and generator.readers._cache:
        logger.info("newsroom_reader: the reader's code changed; reading every file again")
        generator.readers._cache.clear()


def stamp_reader_cache(generator):
    stamp = _stamp_path(generator)
    if stamp is not None and stamp.parent.is_dir():
        stamp.write_text(reader_fingerprint(), encoding="utf-8")


def _stamp_path(generator):
    readers = getattr(generator, "readers", None)
    cache_path = getattr(readers, "_cache_path", None)
    if getattr(readers, "_cache", None) is None or not cache_path:
        return None
    return Path(cache_path + ".newsroom-stamp")


def add_reader(readers):
    # Every spelling of the suffixes: Pelican matches them case-sensitively, so UPPER.MD
    # would be left out of the site without a word while `check` checks it (as every
    # editor's tool reads .MD as Markdown). 300 spellings, each a small reader object.
    for extension in NewsMarkdownReader.file_extensions:
        for spelling in itertools.product(*((c.lower(), c.upper()) for c in extension)):
            readers.reader_classes["".join(spelling)] = NewsMarkdownReader


def register():
    signals.readers_init.connect(add_reader)
    signals.generator_init.connect(drop_stale_reader_cache)
    # Pelican saves the reader cache at the end of generate_context, just before these.
    signals.article_generator_finalized.connect(stamp_reader_cache)
    signals.page_generator_finalized.connect(stamp_reader_cache)
