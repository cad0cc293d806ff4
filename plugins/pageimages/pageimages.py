"""pageimages: the printed page on the site and for archives (issue 21, the site's half).

For every page the import left a sidecar for (``content/epaper/YYYY-MM-DD/NN.page.json``,
read with :mod:`newsroom.archive.sidecar`; OCR is never run here), this generator

* puts a :class:`PageView` into ``epaper_page_views`` (keyed by the page's URL), which
  ``epaper_page.html`` shows as the page image with one link per article area, zoomable
  with OpenSeadragon over the page's IIIF tiles; a page without one keeps the list view;
* gives each article on such a page ``article.page_area`` (an :class:`ArticleArea`): the
  article page's thumbnail with its area marked, and the search result's link to it;
* writes, under the page's folder ``epaper/YYYY-MM-DD/NN/``: ``iiif/`` (a static IIIF
  Image API 3.0 level-0 service: ``info.json``, tiles and sizes, cut once per image
  content and kept in ``<cache>/page-tiles/``), ``alto.xml`` (ALTO 4), and the
  original's metadata-free copy for download;
* writes ``epaper/YYYY-MM-DD/manifest.json`` per issue with page images (IIIF
  Presentation 3.0) and ``epaper/collection.json``, the paper as a IIIF Collection;
* copies OpenSeadragon from the pinned npm package (``node_modules/openseadragon``) into
  ``theme/vendor/openseadragon/``: nothing is fetched when a reader opens a page.

A page whose articles are not all due yet (tomorrow's issue, imported tonight) is left out
of the public build whole, image, tiles, ALTO and manifest canvas alike, until the last of
them is (:func:`newsroom.paper.release.page_release`; docs/scheduling.md); its articles
that are out are listed on the e-paper page. The preview (``RELEASE_EMBARGO`` off) shows it.

Whatever is wrong with a sidecar is a warning naming the file and the fix
(``newsroom/data/messages/pages_site.toml``), and the page falls back to the list view:
a build never fails for it, as ``check`` does not read sidecars.

Settings: ``PAGEIMAGES_TILE_WORKERS`` (processes cutting tiles; default one per core);
``PAGEIMAGES_CACHE_PATH``, the ``<cache>`` of the tiles and downloads (default
``CACHE_PATH``): both are keyed by the image's content and the code's version, so one
folder may serve several sites (the test suite shares one between its builds).
"""

import json
import logging
import math
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from newsroom import messages
from newsroom.archive import alto, downloads, iiif, imaging, pagefile, tiles
from newsroom.build import parallel
from newsroom.errors import ContentError
from newsroom.paper import release
from newsroom.paper.epaper import ISSUE_URL, page_label

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
VIEWER_PACKAGE = ROOT / "node_modules" / "openseadragon"
VIEWER_FILES = ("build/openseadragon/openseadragon.min.js", "LICENSE.txt")
VIEWER_OUTPUT = "theme/vendor/openseadragon/"
TILE_CACHE = "page-tiles"
DOWNLOAD_CACHE = "page-downloads"
COLLECTION_URL = "epaper/collection.json"
MANIFEST_NAME = "manifest.json"
SRCSET_MIN = 400  # sizes narrower than this are for thumbnails only
THUMB_WIDTH = 260  # the article page's thumbnail is shown ~130 px wide (sharp on 2x screens)


def warn(message_id, path, **params):
    problem, fix = messages.problem(f"pages_site.{message_id}", **params)
    logger.warning("%s", ContentError(path, None, problem, fix))


@dataclass(eq=False)
class Area:
    """One article's place on the page image: a link in reading order."""

    article: object
    anchor: str  # the element id on the page view: area-<slug>
    regions: tuple  # pagefile.Box, image pixels
    number: int  # 1-based position in the page's reading order

    @property
    def title(self):
        return str(self.article.title)

    @property
    def url(self):
        return self.article.url

    @property
    def bounds(self):
        return pagefile.union(self.regions)


@dataclass(eq=False)
class PageView:
    """A printed page that has an image: what the templates and the archive files need."""

    layout: object  # pagefile.SidecarPage
    print_page: object  # newsroom.paper.epaper.PrintPage
    areas: list = field(default_factory=list)
    download: dict | None = None  # {"url", "label", "size", "media_type"} once written
    pyramid_sizes: tuple = ()

    @property
    def url(self):
        return self.print_page.url

    @property
    def width(self):
        return self.layout.width

    @property
    def height(self):
        return self.layout.height

    @property
    def iiif_url(self):
        return f"{self.url}iiif"

    @property
    def info_url(self):
        return f"{self.iiif_url}/info.json"

    @property
    def alto_url(self):
        return f"{self.url}alto.xml"

    @property
    def manifest_url(self):
        return ISSUE_URL.format(date=self.print_page.date) + MANIFEST_NAME

    @property
    def label(self):
        return self.print_page.label

    def size_url(self, width, height):
        return f"{self.iiif_url}/{tiles.size_name(self.width, self.height, width, height)}"

    @property
    def srcset(self):
        """``[(url, width)]`` of the page at the sizes worth a reader's screen."""
        chosen = [(w, h) for w, h in self.pyramid_sizes if w >= SRCSET_MIN] or list(self.pyramid_sizes[-1:])
        return [(self.size_url(w, h), w) for w, h in chosen]

    @property
    def src(self):
        """The size shown without ``srcset`` support: about a desktop column's width."""
        candidates = [entry for entry in self.srcset if entry[1] >= 900]
        return (candidates[0] if candidates else self.srcset[-1])[0]

    @property
    def thumbnail(self):
        """``(url, width, height)`` of the smallest size at least THUMB_WIDTH wide."""
        for w, h in self.pyramid_sizes:
            if w >= THUMB_WIDTH:
                return self.size_url(w, h), w, h
        w, h = self.pyramid_sizes[-1]
        return self.size_url(w, h), w, h

    @property
    def full_image_url(self):
        return self.size_url(self.width, self.height)

    def area_of(self, article):
        return next((area for area in self.areas if area.article is article), None)


@dataclass(eq=False)
class ArticleArea:
    """``article.page_area``: the article's page view and its area on it."""

    view: PageView
    area: Area

    @property
    def link(self):
        """The page view at this article's area (highlighted there by ``:target``)."""
        return f"{self.view.url}#{self.area.anchor}"


def pyramid_sizes(width, height):
    return tuple(sorted({(math.ceil(width / f), math.ceil(height / f))
                         for f in tiles.scale_factors(width, height)}))


def anchor_of(article, used):
    base = "area-" + "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in str(getattr(article, "slug", "")))
    anchor, number = base, 2
    while anchor in used:
        anchor, number = f"{base}-{number}", number + 1
    used.add(anchor)
    return anchor


class _ByResolvedPath:
    """``{resolved source path: article}`` of the published articles, made on first use:
    resolving every article's path cost ~0.75 CPU-s a build at 20,000 articles, and a
    catalogue without page sidecars never asks."""

    def __init__(self, articles):
        self._articles = articles
        self._map = None

    def _built(self):
        if self._map is None:
            self._map = {Path(article.source_path).resolve(): article for article in self._articles}
        return self._map

    def get(self, path, default=None):
        return self._built().get(path, default)

    def __contains__(self, path):
        return path in self._built()


class PageImagesGenerator(Generator):
    """Reads the sidecars after the e-paper is built; writes the page images' files."""

    def generate_context(self):
        self.views = []
        content = Path(self.settings["PATH"])
        issues = self.context.get("epaper_issues") or []
        pages = {(page.date, page.number): page for issue in issues for page in issue.pages}
        published = _ByResolvedPath(self.context.get("articles") or [])
        embargo = release.embargo_on(self.settings)
        when = release.build_moment(self.settings) if embargo else None
        for path in pagefile.find(content):
            try:
                layout = pagefile.load(path)
            except ContentError as error:
                logger.warning("%s", error)
                continue
            if embargo and self._waiting(layout, content, when):
                continue
            page = pages.get((layout.date, layout.page))
            if page is None:
                if self._outside_this_build(layout, content, published):
                    logger.info("pageimages: %s: its articles are not in this build (drafts, or outside the "
                                "preview's scope)", path)
                else:
                    warn("no_page", path, date=layout.date.isoformat(), page=layout.page)
                continue
            if not self._image_usable(layout):
                continue
            view = self._view(layout, page, content, published)
            self._prepare_download(view)
            self.views.append(view)
        self.context["epaper_page_views"] = {view.url: view for view in self.views}
        for view in self.views:
            for area in view.areas:
                area.article.page_area = ArticleArea(view, area)
        if self.views:
            logger.info("pageimages: %d printed pages with a page image", len(self.views))

    @staticmethod
    def _waiting(layout, content, when):
        """True when the page may not be shown yet (:func:`newsroom.paper.release.page_release`):
        its image and ALTO text show the articles printed on it, one of which is not due
        (the issue prepared tonight for tomorrow). Its articles that are out are listed on
        the e-paper page as on a page without an image."""
        files = [str((content / entry.file).resolve()) for entry in layout.articles]
        due = release.page_release(layout.date, [name for name in files if os.path.isfile(name)], when)
        if due is None:
            return False
        logger.info("pageimages: %s: shown from %s, when all its articles are out", layout.path,
                    release.beijing_text(due))
        return True

    @staticmethod
    def _outside_this_build(layout, content, published):
        """True when the sidecar's articles exist but none is built this time (all drafts,
        or a preview limited to recent issues): nothing for the editor to fix."""
        files = [(content / entry.file).resolve() for entry in layout.articles]
        return bool(files) and all(f.is_file() and f not in published for f in files)

    def _image_usable(self, layout):
        image = layout.image_path
        if not image.is_file():
            warn("missing_image", layout.path, image=layout.image)
            return False
        try:
            size = imaging.image_size(image)
        except imaging.BadImage as error:
            warn("bad_image", layout.path, image=layout.image, detail=str(error))
            return False
        if size != (layout.width, layout.height):
            warn("image_size", layout.path, image=layout.image, actual=f"{size[0]}×{size[1]}",
                 declared=f"{layout.width}×{layout.height}")
            return False
        return True

    def _view(self, layout, page, content, published):
        on_page = {id(article) for article in page.items}
        regions_of = {}
        for entry in layout.articles:
            source = (content / entry.file).resolve()
            article = published.get(source)
            if article is None:
                if source.is_file():
                    logger.info("%s", ContentError(layout.path, None, *messages.problem(
                        "pages_site.unpublished_article", file=entry.file)))
                else:
                    warn("missing_article", layout.path, file=entry.file)
                continue
            if id(article) not in on_page:
                warn("other_page", layout.path, file=entry.file, article_date=article.date.date().isoformat(),
                     article_page=getattr(article, "page", None) or "—", date=layout.date.isoformat(),
                     page=layout.page)
                continue
            boxes = []
            for box in entry.regions:
                clipped = pagefile.clip(box, layout.width, layout.height)
                if clipped != box:
                    warn("region_outside", layout.path, file=entry.file, box=box.as_list(), width=layout.width,
                         height=layout.height)
                if clipped:
                    boxes.append(clipped)
            if boxes:
                regions_of.setdefault(id(article), []).extend(boxes)
        view = PageView(layout=layout, print_page=page, pyramid_sizes=pyramid_sizes(layout.width, layout.height))
        used = set()
        for article in page.items:  # the page's reading order, as the list view has it
            if id(article) in regions_of:
                view.areas.append(Area(article, anchor_of(article, used), tuple(regions_of[id(article)]),
                                       len(view.areas) + 1))
            else:
                warn("not_on_image", layout.path, file=article.relative_source_path, page_label=page.label)
        return view

    # --- output ------------------------------------------------------------------------------
    def generate_output(self, writer):
        if not self.views:
            return
        self._copy_viewer(writer)
        cache = self._cache_root() / TILE_CACHE
        pyramids = self._cut_tiles(cache)
        base = self.settings.get("SITE_PERMALINK_BASE", "").rstrip("/")
        for view in self.views:
            pyramid = pyramids[view.layout.image_path]
            self._write_tiles(writer, view, pyramid, cache, base)
            if view.download:
                self._save(writer, view.download["url"], Path(view.download["cached"]).read_bytes())
            self._save(writer, view.alto_url, alto.alto(view.layout, self._alto_articles(view, base)))
        self._write_manifests(writer, base)

    def _alto_articles(self, view, base):
        """Per sidecar article: (headline, address) when it is one of the page's areas."""
        by_file = {str(Path(area.article.source_path).resolve()): area for area in view.areas}
        content = Path(self.settings["PATH"])
        result = []
        for entry in view.layout.articles:
            area = by_file.get(str((content / entry.file).resolve()))
            result.append((area.title, f"{base}/{area.url}") if area else None)
        return result

    def _save(self, writer, relative, data):
        path = os.path.join(self.output_path, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        save = getattr(writer, "save", None)
        if save is not None:  # fastbuild: only changed bytes written, the staging folder's rules kept
            save(path, data)
            return
        try:
            with open(path, "rb") as handle:
                if handle.read() == data:
                    return
        except OSError:
            pass
        with open(path, "wb") as handle:
            handle.write(data)

    def _copy_viewer(self, writer):
        for name in VIEWER_FILES:
            source = VIEWER_PACKAGE / name
            if not source.is_file():
                problem, fix = messages.problem("pages_site.no_viewer", path=source)
                logger.error("pageimages: %s — %s", problem, fix)
                return
            self._save(writer, VIEWER_OUTPUT + Path(name).name, source.read_bytes())

    def _cache_root(self):
        return Path(self.settings.get("PAGEIMAGES_CACHE_PATH") or self.settings.get("CACHE_PATH") or "cache")

    def _cut_tiles(self, cache):
        """Every page image's pyramid, cutting on all cores only those not cached yet."""
        images = sorted({view.layout.image_path for view in self.views})
        keys = {image: tiles.cache_key(image) for image in images}
        todo = [image for image in images if tiles.cached(cache, keys[image]) is None]
        if todo:
            workers = parallel.available_workers(self.settings.get("PAGEIMAGES_TILE_WORKERS"))
            parallel.fork_map(lambda image: tiles.cut(image, cache, key=keys[image]) and None, todo, workers)
            logger.info("pageimages: cut the tiles of %d page images (%d more from the cache)", len(todo),
                        len(images) - len(todo))
        return {image: tiles.cached(cache, keys[image]) for image in images}

    def _write_tiles(self, writer, view, pyramid, cache, base):
        folder = tiles.folder_of(cache, pyramid)
        for name in pyramid.files:
            self._save(writer, f"{view.iiif_url}/{name}", (folder / name).read_bytes())
        info = tiles.info(pyramid, f"{base}/{view.iiif_url}")
        self._save(writer, view.info_url, (json.dumps(info, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))

    def _prepare_download(self, view):
        """The original's clean copy (made once per original's content, kept in the cache)."""
        original = view.layout.original_path
        if original is None or not original.is_file():
            return
        cache = self._cache_root() / DOWNLOAD_CACHE
        key = pagefile.file_digest(original, f"|download|v={downloads.VERSION}")
        found = sorted(cache.glob(f"{key}.*")) if cache.is_dir() else []
        if found:
            kept = found[0]
        else:
            try:
                data, suffix, _ = downloads.clean_copy(original)
            except (downloads.NoCopy, ImportError) as error:
                warn("download_failed", view.layout.path, original=view.layout.original, detail=str(error))
                return
            cache.mkdir(parents=True, exist_ok=True)
            kept = cache / f"{key}{suffix}"
            # A temporary name of its own: another build sharing the cache may be writing
            # the same copy at the same moment.
            handle, temporary = tempfile.mkstemp(prefix=f".{kept.name}.", suffix=".tmp", dir=cache)
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, kept)
        suffix = kept.suffix
        name = f"{view.print_page.date.isoformat()}-{view.print_page.number:02d}{suffix}"
        view.download = {"url": view.url + name, "name": name, "media_type": downloads.MEDIA_TYPES[suffix],
                         "label": "原版PDF" if suffix == ".pdf" else "原版扫描图",
                         "size": size_label(kept.stat().st_size), "cached": str(kept)}

    def _write_manifests(self, writer, base):
        by_issue = {}
        for view in self.views:
            by_issue.setdefault(view.print_page.date, []).append(view)
        issues = {issue.date: issue for issue in self.context.get("epaper_issues") or []}
        paper = self.settings.get("EPAPER_PAPER_NAME") or self.settings.get("SITENAME", "")
        records = []
        for day in sorted(by_issue):
            issue = issues[day]
            views = sorted(by_issue[day], key=lambda v: v.print_page.number)
            record = iiif.IssueRecord(
                date=day, label=issue.label, paper=paper, url=f"{base}/{issue.url}", base=f"{base}/{issue.url}",
                collection=f"{base}/{COLLECTION_URL}", issue_number=issue.number, printed_pages=len(issue.pages),
                pages=tuple(self._page_record(view, base) for view in views))
            records.append(record)
            data = iiif.manifest(record)
            self._save(writer, issue.url + MANIFEST_NAME, json_bytes(data))
        collection = iiif.collection(f"{base}/{COLLECTION_URL}", paper, records, homepage=f"{base}/epaper/")
        self._save(writer, COLLECTION_URL, json_bytes(collection))

    def _page_record(self, view, base):
        thumb_url, thumb_w, thumb_h = view.thumbnail
        original = ()
        if view.download:
            original = (f"{base}/{view.download['url']}", view.download["media_type"],
                        f"{view.download['label']}（{view.download['size']}）")
        return iiif.PageRecord(
            number=view.print_page.number, label=view.label, width=view.width, height=view.height,
            url=f"{base}/{view.url}", service=f"{base}/{view.iiif_url}", full_image=f"{base}/{view.full_image_url}",
            thumbnail=(f"{base}/{thumb_url}", thumb_w, thumb_h), alto=f"{base}/{view.alto_url}", original=original,
            articles=tuple(iiif.ArticleRecord(area.title, f"{base}/{area.url}", area.regions) for area in view.areas))


def json_bytes(data):
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def size_label(count):
    if count >= 1024 * 1024:
        return f"{count / 1024 / 1024:.1f} MB"
    return f"{max(1, round(count / 1024))} KB"


def get_generators(pelican):
    return PageImagesGenerator


def register():
    signals.get_generators.connect(get_generators)
