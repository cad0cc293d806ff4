"""The page sidecar ``epaper/YYYY-MM-DD/NN.page.json``: what the page import found on a page.

The contract between the page import and the page on the site (docs/page-images.md
owns the specification): the page image's size, each article's file, regions and
doubts, and every text line in reading order. ``build`` makes the dictionary,
``dumps`` writes it in the one canonical form (UTF-8, sorted keys, two-space indent,
a box or any other list of numbers on one line, a final newline), ``load`` reads and
checks one.
"""

import json
import re
from pathlib import Path

from newsroom.archive.textlines import xywh
from newsroom import messages
from newsroom.errors import ContentError

FORMAT = "newsroom-page/1"
SUFFIX = ".page.json"
REQUIRED = ("format", "date", "page", "page_name", "original", "image", "width", "height", "dpi", "source_kind",
            "articles", "lines")
SOURCE_KINDS = ("pdf", "scan")
_NUMBER_LIST = re.compile(r"\[\s*(-?[\d.]+(?:\s*,\s*-?[\d.]+)*)\s*\]")


def build(*, date, page, page_name, original, image, width, height, dpi, source_kind, layout, article_files,
          issue="", notes=()):
    """The sidecar for ``layout`` (a :class:`~newsroom.archive.layout.PageLayout`).

    ``article_files`` gives each article's file relative to the content root, in the
    layout's article order. Review texts are written in Chinese (the editors' language).
    """
    def box(b):
        x0, y0 = min(max(b[0], 0), width), min(max(b[1], 0), height)
        return xywh((x0, y0, min(max(b[2], x0), width), min(max(b[3], y0), height)))

    articles = []
    for article, file in zip(layout.articles, article_files):
        articles.append({
            "file": file,
            "title": article.title,
            "regions": [box(b) for b in article.regions],
            "review": [{"problem": item.text(lang="zh"), "code": item.message, "box": box(item.box)}
                       for item in article.review],
        })
    lines = []
    for index, number in layout.reading_order():
        line = layout.lines[index]
        lines.append({"text": line.text.strip(), "box": box(line.box), "confidence": round(line.confidence, 3),
                      "article": number})
    data = {
        "format": FORMAT,
        "date": date,
        "page": page,
        "page_name": page_name,
        "original": original,
        "image": image,
        "width": width,
        "height": height,
        "dpi": round(dpi, 1),
        "source_kind": source_kind,
        "banner": layout.banner,
        "articles": articles,
        "lines": lines,
        "review": [{"problem": item.text(lang="zh"), "code": item.message, "box": box(item.box)}
                   for item in layout.review],
    }
    if issue:
        data["issue"] = str(issue)
    if notes:
        data["notes"] = list(notes)
    return data


def dumps(data):
    """The canonical text of a sidecar: the same data always gives the same bytes."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)
    text = _NUMBER_LIST.sub(lambda m: "[" + ", ".join(part.strip() for part in m.group(1).split(",")) + "]", text)
    return text + "\n"


def load(path):
    """Read and check a sidecar; a broken one is a :class:`ContentError` naming the file."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ContentError(path, 0, *messages.problem("pages.sidecar_broken", problems=str(error))) from None
    problems = check(data)
    if problems:
        raise ContentError(path, 0, *messages.problem("pages.sidecar_broken", problems="; ".join(problems)))
    return data


def check(data):
    """What is wrong with a sidecar's data (empty when nothing is)."""
    if not isinstance(data, dict):
        return ["not a JSON object"]
    problems = [f"no {key}" for key in REQUIRED if key not in data]
    if problems:
        return problems
    if data["format"] != FORMAT:
        problems.append(f"format {data['format']!r} is not {FORMAT!r}")
    if data["source_kind"] not in SOURCE_KINDS:
        problems.append(f"source_kind {data['source_kind']!r}")
    width, height = data["width"], data["height"]
    if not (isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0):
        problems.append("width and height must be positive integers")
        return problems

    def inside(box):
        return (isinstance(box, list) and len(box) == 4 and all(isinstance(v, int) for v in box)
                and box[0] >= 0 and box[1] >= 0 and box[2] >= 0 and box[3] >= 0
                and box[0] + box[2] <= width and box[1] + box[3] <= height)

    for number, article in enumerate(data["articles"]):
        if not isinstance(article.get("file"), str) or not article["file"]:
            problems.append(f"article {number}: no file")
        if not article.get("regions") or not all(inside(box) for box in article["regions"]):
            problems.append(f"article {number}: regions missing or outside the image")
        for item in article.get("review", []):
            if not inside(item.get("box")) or not item.get("problem"):
                problems.append(f"article {number}: a review item without problem or box")
    for number, line in enumerate(data["lines"]):
        if not inside(line.get("box")):
            problems.append(f"line {number}: box outside the image")
        owner = line.get("article")
        if owner is not None and not (isinstance(owner, int) and 0 <= owner < len(data["articles"])):
            problems.append(f"line {number}: article {owner!r} does not exist")
    return problems[:10]
