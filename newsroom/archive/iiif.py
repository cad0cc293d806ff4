"""IIIF Presentation 3.0 for the e-paper, as data: one Manifest per issue, one Collection for the paper.

Follows the IIIF cookbook's newspaper recipe (0068) and the newspaper community's
mapping of a paper onto IIIF:

| newspaper | IIIF |
|---|---|
| the paper (title) | Collection (``/epaper/collection.json``), issues as items with ``navDate`` |
| an issue | Manifest (``/epaper/YYYY-MM-DD/manifest.json``) with ``navDate``, ``partOf`` the Collection |
| a page (版) | Canvas, ``width``/``height`` in the page image's pixels, painted by the image with its level-0 image service |
| a page's text | ALTO XML, linked from the Canvas by ``rendering`` (as the recipe does) and ``seeAlso`` |
| the original PDF or scan | ``rendering`` of the Canvas (the metadata-free copy the site offers) |
| a page as a section | Range (``structures``), holding its articles |
| an article | Range whose items are ``<canvas>#xywh=`` parts of its page, and an Annotation (motivation ``linking``) targeting each part, whose body is the article's web page |

The functions take plain records (:class:`IssueRecord`, :class:`PageRecord`,
:class:`ArticleRecord`) with absolute addresses, so that this module knows nothing of
Pelican or of where files are written; the ``pageimages`` plugin fills them.
"""

from dataclasses import dataclass, field

PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
ALTO_PROFILE = "http://www.loc.gov/standards/alto/v4/alto.xsd"
LANGUAGE = "zh"
TIMEZONE = "+08:00"  # the paper's dates are Beijing dates


@dataclass(frozen=True)
class ArticleRecord:
    title: str
    url: str  # the article's web page
    boxes: tuple  # newsroom.archive.pagefile.Box, image pixels


@dataclass(frozen=True)
class PageRecord:
    number: int
    label: str  # 第01版 要闻
    width: int
    height: int
    url: str  # the page's web page
    service: str  # the image service id (no trailing slash)
    full_image: str  # the whole page at full size (a level-0 size)
    thumbnail: tuple  # (url, width, height)
    alto: str = ""
    original: tuple = ()  # (url, media type, label) of the downloadable original
    articles: tuple = ()


@dataclass(frozen=True)
class IssueRecord:
    date: object  # datetime.date
    label: str  # 2024年3月5日 第8123期
    paper: str
    url: str  # the issue's web page
    base: str  # the issue's folder, ends in "/": manifest.json and the ids live under it
    collection: str = ""
    issue_number: str = ""
    pages: tuple = field(default_factory=tuple)  # the pages that have an image
    printed_pages: int = 0  # all the issue's printed pages (some may have no image)

    @property
    def manifest_id(self):
        return self.base + "manifest.json"


def text(value, language=LANGUAGE):
    return {language: [value]}


def both(zh, en):
    return {"zh": [zh], "en": [en]}


def nav_date(day):
    return f"{day.isoformat()}T00:00:00{TIMEZONE}"


def canvas_id(issue, page):
    return f"{issue.base}canvas/p{page.number:02d}"


def fragment(canvas, box):
    return f"{canvas}#xywh={box.xywh}"


def _image_service(page):
    return [{"id": page.service, "type": "ImageService3", "profile": "level0"}]


def _thumbnail(page):
    url, width, height = page.thumbnail
    return [{"id": url, "type": "Image", "format": "image/jpeg", "width": width, "height": height,
             "service": _image_service(page)}]


def _links(page):
    """The page's alternative forms: its ALTO text and its original."""
    rendering, see_also = [], []
    if page.alto:
        rendering.append({"id": page.alto, "type": "Text", "format": "application/xml",
                          "profile": ALTO_PROFILE, "label": both("版面文字（ALTO XML）", "ALTO XML")})
        see_also.append({"id": page.alto, "type": "Dataset", "format": "application/xml",
                         "profile": ALTO_PROFILE, "label": both("版面文字（ALTO XML）", "ALTO XML")})
    if page.original:
        url, media_type, label = page.original
        rendering.append({"id": url, "type": "Image" if media_type.startswith("image/") else "Text",
                          "format": media_type, "label": text(label)})
    return rendering, see_also


def canvas(issue, page):
    cid = canvas_id(issue, page)
    result = {
        "id": cid,
        "type": "Canvas",
        "label": text(page.label),
        "width": page.width,
        "height": page.height,
        "thumbnail": _thumbnail(page),
        "homepage": [{"id": page.url, "type": "Text", "format": "text/html", "label": text(page.label),
                      "language": [LANGUAGE]}],
        "items": [{
            "id": f"{cid}/page/painting",
            "type": "AnnotationPage",
            "items": [{
                "id": f"{cid}/annotation/image",
                "type": "Annotation",
                "motivation": "painting",
                "body": {"id": page.full_image, "type": "Image", "format": "image/jpeg",
                         "width": page.width, "height": page.height, "service": _image_service(page)},
                "target": cid,
            }],
        }],
    }
    rendering, see_also = _links(page)
    if rendering:
        result["rendering"] = rendering
    if see_also:
        result["seeAlso"] = see_also
    links = []
    for number, article in enumerate(page.articles, start=1):
        for part, box in enumerate(article.boxes, start=1):
            links.append({
                "id": f"{cid}/annotation/a{number:02d}-{part}",
                "type": "Annotation",
                "motivation": "linking",
                "label": text(article.title),
                # an annotation body's language is a string (the W3C model), unlike a homepage's list
                "body": {"id": article.url, "type": "Text", "format": "text/html", "label": text(article.title),
                         "language": LANGUAGE},
                "target": fragment(cid, box),
            })
    if links:
        result["annotations"] = [{"id": f"{cid}/page/articles", "type": "AnnotationPage", "items": links}]
    return result


def structures(issue):
    """A Range per page (a section) holding a Range per article, in reading order."""
    ranges = []
    for page in issue.pages:
        cid = canvas_id(issue, page)
        articles = [{
            "id": f"{issue.base}range/p{page.number:02d}-a{number:02d}",
            "type": "Range",
            "label": text(article.title),
            "items": [{"id": fragment(cid, box), "type": "Canvas"} for box in article.boxes],
        } for number, article in enumerate(page.articles, start=1) if article.boxes]
        ranges.append({
            "id": f"{issue.base}range/p{page.number:02d}",
            "type": "Range",
            "label": text(page.label),
            "items": articles or [{"id": cid, "type": "Canvas"}],
        })
    return ranges


def manifest(issue):
    """The issue's Manifest (a dict ready for ``json.dumps``)."""
    metadata = [
        {"label": both("报纸", "Newspaper"), "value": text(issue.paper)},
        {"label": both("出版日期", "Date of publication"), "value": {"none": [issue.date.isoformat()]}},
        {"label": both("版数", "Pages"), "value": {"none": [str(max(issue.printed_pages, len(issue.pages)))]}},
    ]
    if issue.printed_pages > len(issue.pages):
        metadata.append({"label": both("有版面图的版", "Pages with an image"),
                         "value": {"none": [", ".join(str(page.number) for page in issue.pages)]}})
    if issue.issue_number:
        metadata.insert(2, {"label": both("期号", "Issue"), "value": {"none": [issue.issue_number]}})
    result = {
        "@context": PRESENTATION_CONTEXT,
        "id": issue.manifest_id,
        "type": "Manifest",
        "label": text(f"《{issue.paper}》{issue.label}"),
        "metadata": metadata,
        "requiredStatement": {"label": both("出处", "Attribution"), "value": text(f"《{issue.paper}》{issue.label}")},
        "navDate": nav_date(issue.date),
        "homepage": [{"id": issue.url, "type": "Text", "format": "text/html", "label": text(issue.label),
                      "language": [LANGUAGE]}],
        "items": [canvas(issue, page) for page in issue.pages],
        "structures": structures(issue),
    }
    if issue.pages:
        result["thumbnail"] = _thumbnail(issue.pages[0])
    if issue.collection:
        result["partOf"] = [{"id": issue.collection, "type": "Collection"}]
    return result


def collection(collection_id, paper, issues, homepage=""):
    """The paper as a Collection of its issues' Manifests, oldest first, each with ``navDate``."""
    result = {
        "@context": PRESENTATION_CONTEXT,
        "id": collection_id,
        "type": "Collection",
        "label": text(f"《{paper}》电子版"),
        "items": [{
            "id": issue.manifest_id,
            "type": "Manifest",
            "label": text(f"《{issue.paper}》{issue.label}"),
            "navDate": nav_date(issue.date),
            **({"thumbnail": _thumbnail(issue.pages[0])} if issue.pages else {}),
        } for issue in issues],
    }
    if homepage:
        result["homepage"] = [{"id": homepage, "type": "Text", "format": "text/html", "label": text(f"《{paper}》电子版"),
                               "language": [LANGUAGE]}]
    return result
