"""The site's photos: what is made of each photo (the specs) and what templates get (views).

Every photo gets the body renditions: :data:`WIDTHS` in the modern format (AVIF, else
WebP) and in JPEG for browsers without it. The **lead photo** also gets what lists and
shares need: 4:3 thumbnails, the 1200 × 630 JPEG of ``og:image`` and the 16:9, 4:3 and
1:1 JPEG crops of the NewsArticle JSON-LD (Google's Article rich results ask for all
three, at least 1200 pixels wide when the photo has them); crops are placed a little
above the centre (:data:`FOCUS`), where faces are. A PNG (a chart) keeps sharper text
with a higher AVIF quality (:data:`GRAPHIC_QUALITY`).

:class:`Photo` is the data the templates render (``partials/photo_figure.html``,
``partials/photo_thumb.html``, the share tags, the feeds, the catalogue): addresses,
``srcset`` strings, sizes, caption and credit. Nothing here reads a file or runs
Pelican; the photos plugin hands in the :class:`~newsroom.images.ImageSet`.
"""

from dataclasses import dataclass
from pathlib import PurePosixPath

from newsroom.images import Rendition, modern_format
from newsroom.text.photo_credits import split_caption

LEAD_MIN_WIDTH = 1200  # narrower lead photos get no large share card (a check warning)
WIDTHS = (480, 800, 1200, 1600)
# The JPEG fallback is for browsers without AVIF (old ones, rarely on wide 2x screens): it
# stops at 1200 px, which saves its largest file (~290 KB of a photo's ~1.5 MB).
FALLBACK_MAX_WIDTH = 1200
THUMB_WIDTHS = (240, 400)
THUMB_ASPECT = (4, 3)
OG_WIDTH, OG_ASPECT = 1200, (40, 21)  # 1200 × 630, what Facebook, X and WeChat show large
SHARE_WIDTH, SHARE_ASPECTS = 1200, ((16, 9), (4, 3), (1, 1))
# Share cards and search engines' crops are seen small: JPEG quality 72 instead of 80
# takes a quarter off their four files (~640 KB of a lead photo).
SHARE_QUALITY = 72
FOCUS = (0.5, 0.4)
GRAPHIC_SUFFIXES = (".png",)
GRAPHIC_QUALITY = {"avif": 72, "webp": 88}
# The width the fallback <img src> takes: what a browser without srcset shows.
FALLBACK_WIDTH = 800
# CSS widths of a body photo (theme/static/css/photos.css and site.css: the story
# column is 694 px wide from 824 px of viewport; on phones the viewport less 60 px).
BODY_SIZES = "(min-width: 824px) 694px, (min-width: 641px) calc(100vw - 98px), calc(100vw - 60px)"
PORTRAIT_SIZES = "(min-width: 541px) 480px, calc(100vw - 60px)"
# The home page's lead photo (epaper.css: a 756 px column beside the 300 px one from
# 1152 px of viewport, the whole width less 32 px below 861 px).
HOME_SIZES = "(min-width: 1152px) 756px, (min-width: 861px) calc(100vw - 364px), calc(100vw - 32px)"
PORTRAIT_HOME_SIZES = "(min-width: 513px) 480px, calc(100vw - 32px)"
THUMB_SIZES = "(min-width: 641px) 160px, 112px"


@dataclass(frozen=True)
class Specs:
    """The renditions of a body photo and of a lead photo, in a fixed order."""

    widths: tuple = WIDTHS
    thumb_widths: tuple = THUMB_WIDTHS
    modern: str = ""

    def __post_init__(self):
        if not self.modern:
            object.__setattr__(self, "modern", modern_format())

    def _quality(self, fmt, graphic):
        return GRAPHIC_QUALITY.get(fmt) if graphic else None

    def body(self, graphic=False):
        modern = tuple(Rendition(w, self.modern, quality=self._quality(self.modern, graphic)) for w in self.widths)
        fallback = [w for w in self.widths if w < FALLBACK_MAX_WIDTH] + [FALLBACK_MAX_WIDTH]
        return modern + tuple(Rendition(w, "jpeg") for w in sorted(set(fallback)))

    def thumbs(self, graphic=False):
        return tuple(Rendition(w, fmt, aspect=THUMB_ASPECT, focus=FOCUS, quality=self._quality(fmt, graphic))
                     for fmt in (self.modern, "jpeg") for w in self.thumb_widths)

    def og(self):
        return Rendition(OG_WIDTH, "jpeg", aspect=OG_ASPECT, focus=FOCUS, quality=SHARE_QUALITY)

    def shares(self):
        return tuple(Rendition(SHARE_WIDTH, "jpeg", aspect=aspect, focus=FOCUS, quality=SHARE_QUALITY)
                     for aspect in SHARE_ASPECTS)

    def lead(self, graphic=False):
        return self.body(graphic) + self.thumbs(graphic) + (self.og(),) + self.shares()

    def for_photo(self, name, lead):
        graphic = PurePosixPath(name).suffix.lower() in GRAPHIC_SUFFIXES
        return self.lead(graphic) if lead else self.body(graphic)


@dataclass(frozen=True)
class Picture:
    """One ``<picture>``: its ``<source>`` elements, the ``<img>``'s src, srcset and size."""

    sources: tuple  # ((mime type, srcset), ...)
    src: str
    srcset: str
    width: int
    height: int


@dataclass(frozen=True)
class Share:
    """A single image file for a share card, a feed or JSON-LD."""

    url: str  # site-relative: photos/…/x.jpg
    width: int
    height: int
    mime_type: str
    byte_size: int


@dataclass
class Photo:
    """One photo of an article as the templates see it."""

    file: str  # as the article names it
    alt: str
    caption: str  # the description, without the credit
    credit: str  # the credit as written, or ""
    credit_parts: tuple  # ((kind, text, url or None), ...): names of reporters with a page linked
    picture: Picture
    sizes: str
    lead: bool = False
    portrait: bool = False
    in_body: bool = True
    thumb: Picture | None = None
    og: Share | None = None
    shares: tuple = ()
    feed_image: Share | None = None  # what a feed entry carries: the uncropped JPEG, ≤ 1200 wide
    original_width: int = 0
    original_height: int = 0
    thumb_sizes: str = THUMB_SIZES

    @property
    def home_sizes(self):
        return PORTRAIT_HOME_SIZES if self.portrait else HOME_SIZES

    @property
    def large(self):
        """Wide enough for a large share card (og:image, twitter:card)."""
        return self.original_width >= LEAD_MIN_WIDTH


def _url(base, variant):
    return f"{base}/{variant.file}"


def picture(image_set, renditions, base, siteurl):
    """The :class:`Picture` of ``renditions`` (the spec's, in several formats) from ``image_set``."""
    by_format = {}
    for rendition in renditions:
        variant = image_set[rendition]
        chosen = by_format.setdefault(variant.mime_type, {})
        chosen.setdefault(variant.width, variant)
    prefix = f"{siteurl}/{base}"
    sources, fallback = [], None
    for mime, variants in by_format.items():
        ordered = [variants[w] for w in sorted(variants)]
        srcset = ", ".join(f"{_url(prefix, v)} {v.width}w" for v in ordered)
        if mime == "image/jpeg":
            fallback = (ordered, srcset)
        else:
            sources.append((mime, srcset))
    ordered, srcset = fallback
    middle = min(ordered, key=lambda v: (abs(v.width - FALLBACK_WIDTH), v.width))
    largest = ordered[-1]
    return Picture(tuple(sources), _url(prefix, middle), srcset, largest.width, largest.height)


def share(image_set, rendition, base):
    variant = image_set[rendition]
    return Share(f"{base}/{variant.file}", variant.width, variant.height, variant.mime_type, variant.byte_size)


def credit_parts(credit, reporter_url):
    """The credit's parts with a reporter's page address where ``reporter_url(name)`` has one."""
    if credit is None:
        return ()
    return tuple((kind, text, reporter_url(text) if kind == "reporter" else None) for kind, text in credit.parts)


def make_photo(ref_alt, ref_title, file, image_set, specs, base, siteurl, lead, in_body=True,
               reporter_url=lambda name: None):
    """The :class:`Photo` for one image of an article (``base``: its folder's address)."""
    caption = split_caption(ref_title)
    spec = specs.for_photo(file, lead)
    graphic = spec[0].quality is not None
    body = specs.body(graphic)
    source = image_set.source
    portrait = source.height > source.width
    photo = Photo(
        file=file, alt=(ref_alt or "").strip(), caption=caption.text,
        credit=caption.credit.text if caption.credit else "",
        credit_parts=credit_parts(caption.credit, reporter_url),
        picture=picture(image_set, body, base, siteurl),
        sizes=PORTRAIT_SIZES if portrait else BODY_SIZES,
        lead=lead, portrait=portrait, in_body=in_body,
        original_width=source.width, original_height=source.height,
    )
    if lead:
        photo.thumb = picture(image_set, specs.thumbs(graphic), base, siteurl)
        photo.og = share(image_set, specs.og(), base)
        photo.shares = tuple(share(image_set, r, base) for r in specs.shares())
        jpegs = [image_set[r] for r in body if r.format == "jpeg"]
        widest = max((v for v in jpegs if v.width <= SHARE_WIDTH), key=lambda v: v.width, default=jpegs[0])
        photo.feed_image = Share(f"{base}/{widest.file}", widest.width, widest.height, widest.mime_type,
                                 widest.byte_size)
    return photo
