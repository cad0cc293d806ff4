"""How well a page import matches the truth of a generated page.

- **split**: the same articles in the same order (matched by headline, or for OCR by
  the most similar headline and body), and the banner;
- **character accuracy**: over all body text of the page, 1 − (edit distance between
  the imported and the true text) / (length of the true text), whitespace removed from
  both (spaces are layout, not letters). Per article the texts are compared as wholes,
  so a character missing, added or changed each costs one;
- **region IoU**: per article, the area of the intersection of the imported regions and
  the true region divided by the area of their union (rectangles rasterised on a grid of
  ``grid`` pixels; regions in page-image pixels).
"""

import re

from newsroom.desk.page_import import edit_distance  # the import matches headlines with the same measure


def squeeze(text):
    return re.sub(r"\s+", "", text or "")


def body_text(paragraphs):
    return "".join(squeeze(text) for text, _ in paragraphs)


def region_iou(found, truth, grid=4):
    """IoU of two sets of ``[x, y, w, h]`` rectangles."""
    import numpy as np

    boxes = list(found) + list(truth)
    if not boxes:
        return 1.0
    width = int(max(b[0] + b[2] for b in boxes) / grid) + 2
    height = int(max(b[1] + b[3] for b in boxes) / grid) + 2

    def mask(rects):
        m = np.zeros((height, width), dtype=bool)
        for x, y, w, h in rects:
            m[int(y / grid):int((y + h) / grid) + 1, int(x / grid):int((x + w) / grid) + 1] = True
        return m

    a, b = mask(found), mask(truth)
    union = np.logical_or(a, b).sum()
    return float(np.logical_and(a, b).sum() / union) if union else 1.0


def truth_regions(truth_article, scale):
    """The true region of an article in page-image pixels (``scale`` = dpi / 72)."""
    x, y, w, h = truth_article["region"]
    return [[x * scale, y * scale, w * scale, h * scale]]


def match_articles(found, truth):
    """Pair each true article with the imported one it is (most similar headline + text),
    keeping order → ``[(truth, found or None)]``. ``found`` items have title and body."""
    pairs, free = [], list(range(len(found)))
    for t in truth:
        key = squeeze(t["title"]) + body_text(t["paragraphs"])[:60]
        best, best_score = None, 0.0
        for i in free:
            f = found[i]
            other = squeeze(f["title"]) + body_text(f["paragraphs"])[:60]
            score = 1 - edit_distance(key, other) / max(len(key), len(other), 1)
            if score > best_score:
                best, best_score = i, score
        if best is not None and best_score >= 0.5:
            free.remove(best)
            pairs.append((t, found[best]))
        else:
            pairs.append((t, None))
    return pairs


def field_misses(parsed, truth):
    """Where an import differs from the truth as the text importer would write it (its space
    rules applied): ``[]`` when the page is exact in every field (banner, and each article's
    headline, kicker, subtitle and paragraphs, in order). ``parsed`` is the import's
    ``importer.ParsedPage``."""
    from newsroom.desk.importer import clean_spaces

    misses = []
    if parsed.banner != clean_spaces(truth["banner"]):
        misses.append(f"banner {parsed.banner!r}")
    titles = [a.title for a in parsed.articles]
    if titles != [clean_spaces(t["title"]) for t in truth["articles"]]:
        return misses + [f"articles {titles}"]
    for article, true in zip(parsed.articles, truth["articles"]):
        for name in ("kicker", "subtitle"):
            if getattr(article, name) != clean_spaces(true[name]):
                misses.append(f"{true['title']}: {name} {getattr(article, name)!r}")
        got = [(p.text, p.crosshead) for p in article.paragraphs]
        want = [(clean_spaces(text), bool(crosshead)) for text, crosshead in true["paragraphs"]]
        if got != want:
            first = next((i for i, (g, w) in enumerate(zip(got, want)) if g != w), min(len(got), len(want)))
            misses.append(f"{true['title']}: paragraph {first + 1} of {len(want)} "
                          f"{got[first][0][:24] if first < len(got) else None!r} "
                          f"(truth {want[first][0][:24] if first < len(want) else None!r})")
    return misses


def score_page(found, truth, scale):
    """Compare an import with the truth → a dict of figures for one page.

    ``found``: ``[{"title", "kicker", "subtitle", "paragraphs": [[text, crosshead]], "regions": [[x,y,w,h]]}]``
    in the import's order."""
    pairs = match_articles(found, truth["articles"])
    split_exact = (len(found) == len(truth["articles"]) and all(f is not None for _, f in pairs)
                   and [f["title"] for _, f in pairs] == [f["title"] for f in found])
    errors = length = 0
    ious, paragraph_misses = [], []
    for t, f in pairs:
        true_text = body_text(t["paragraphs"])
        length += len(true_text)
        if f is None:
            errors += len(true_text)
            ious.append(0.0)
            continue
        errors += edit_distance(body_text(f["paragraphs"]), true_text)
        ious.append(region_iou(f["regions"], truth_regions(t, scale)))
        if len(f["paragraphs"]) != len(t["paragraphs"]):
            paragraph_misses.append(f"{t['title']}: {len(f['paragraphs'])} paragraphs (truth {len(t['paragraphs'])})")
    return {"articles": len(truth["articles"]), "found": len(found), "split_exact": split_exact,
            "chars": length, "char_errors": errors, "ious": ious, "paragraph_misses": paragraph_misses}
