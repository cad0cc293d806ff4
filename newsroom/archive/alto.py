"""A page's text as ALTO 4 XML (the Library of Congress standard newspaper archives exchange).

Built from the sidecar's lines (``lines`` in reading order, each with its box, its OCR
confidence and its article), never from the article files: ALTO records what is printed
where. The tree:

``alto`` → ``Description`` (pixels, the image's file name, how the text was got) →
``Tags`` (one ``StructureTag`` per article: its headline and address) → ``Layout`` →
``Page`` (image size, mean confidence) → ``PrintSpace`` → ``TextBlock`` (consecutive lines
of one article; the header and footer lines are blocks of their own) → ``TextLine`` →
``String`` (a word, ``HPOS``/``VPOS``/``WIDTH``/``HEIGHT`` in image pixels, ``WC`` the line's
confidence) with ``SP`` between words a space separates.

Words are cut with jieba's own dictionary (as the slugs are: the file must not change
when the project's dictionary does). A word's box is the union of its characters' boxes
when the sidecar has them, else its share of the line by character count.
"""

from lxml import etree

from newsroom.archive.pagefile import Box, union
from newsroom.text.segment import plain_tokenizer

NS = "http://www.loc.gov/standards/alto/ns-v4#"
XLINK = "http://www.w3.org/1999/xlink"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} http://www.loc.gov/standards/alto/v4/alto-4-4.xsd"
PROFILE = "http://www.loc.gov/standards/alto/v4/alto.xsd"  # how IIIF names the format
HOW = {"pdf": "text and positions from the PDF's text layer (no OCR)",
       "scan": "optical character recognition of the scanned page"}


def _element(parent, name, **attributes):
    return etree.SubElement(parent, f"{{{NS}}}{name}", {k: str(v) for k, v in attributes.items() if v is not None})


def _box_attributes(box):
    return {"HPOS": box.x, "VPOS": box.y, "WIDTH": box.w, "HEIGHT": box.h}


def _confidence(value):
    return f"{max(0.0, min(1.0, value)):.3f}".rstrip("0").rstrip(".") if value < 1 else "1"


def words(text):
    """``[(start, end)]`` of each word of ``text`` (spaces are not words)."""
    spans, position = [], 0
    for piece in plain_tokenizer().cut(text, HMM=False):
        start, position = position, position + len(piece)
        if piece.strip():
            # jieba keeps runs of spaces as pieces of their own; a word never has one inside
            spans.append((start, position))
    return spans


def word_box(line, start, end):
    """The box of ``line.text[start:end]``."""
    if line.chars:
        return union(line.chars[start:end])
    count = max(1, len(line.text))
    left = line.box.x + round(line.box.w * start / count)
    right = line.box.x + round(line.box.w * end / count)
    return Box(left, line.box.y, max(1, right - left), line.box.h)


def blocks(lines):
    """Consecutive lines of one article (or of none) grouped: ``[(article index or None, [lines])]``."""
    grouped = []
    for line in lines:
        if grouped and grouped[-1][0] == line.article:
            grouped[-1][1].append(line)
        else:
            grouped.append((line.article, [line]))
    return grouped


def alto(layout, articles=(), software="newsroom"):
    """The ALTO 4 document of ``layout`` (a :class:`~newsroom.archive.pagefile.SidecarPage`) as bytes.

    ``articles`` gives, per entry of ``layout.articles``, ``(headline, url)`` or None for an
    article the site does not publish; published ones get a ``StructureTag`` their blocks
    refer to.
    """
    root = etree.Element(f"{{{NS}}}alto", nsmap={None: NS, "xlink": XLINK, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    description = _element(root, "Description")
    _element(description, "MeasurementUnit").text = "pixel"
    source = _element(description, "sourceImageInformation")
    _element(source, "fileName").text = layout.image
    processing = _element(description, "OCRProcessing", ID="OCR1")
    step = _element(processing, "ocrProcessingStep")
    _element(step, "processingStepDescription").text = HOW.get(layout.source_kind, layout.source_kind)
    program = _element(step, "processingSoftware")
    _element(program, "softwareName").text = software

    tags = {}
    published = list(articles) + [None] * (len(layout.articles) - len(articles))
    if any(published):
        tag_list = _element(root, "Tags")
        for index, entry in enumerate(published):
            if entry:
                headline, url = entry
                tags[index] = f"ART{index + 1}"
                _element(tag_list, "StructureTag", ID=tags[index], TYPE="article", LABEL=headline, URI=url)

    layout_element = _element(root, "Layout")
    confidences = [line.confidence for line in layout.lines]
    page_id = f"P{layout.page}"
    page = _element(layout_element, "Page", ID=page_id, PHYSICAL_IMG_NR=layout.page, PRINTED_IMG_NR=str(layout.page),
                    WIDTH=layout.width, HEIGHT=layout.height,
                    PC=_confidence(sum(confidences) / len(confidences)) if confidences else None)
    space = _element(page, "PrintSpace", HPOS=0, VPOS=0, WIDTH=layout.width, HEIGHT=layout.height)
    line_number = string_number = 0
    for block_number, (article, lines) in enumerate(blocks(layout.lines), start=1):
        bounds = union(line.box for line in lines)
        block = _element(space, "TextBlock", ID=f"{page_id}_TB{block_number:04d}", **_box_attributes(bounds),
                         LANG="zh", TAGREFS=tags.get(article))
        for line in lines:
            line_number += 1
            text_line = _element(block, "TextLine", ID=f"{page_id}_TL{line_number:05d}", **_box_attributes(line.box))
            spans = words(line.text)
            for index, (start, end) in enumerate(spans):
                if index and line.text[spans[index - 1][1]:start].strip() == "" and spans[index - 1][1] < start:
                    _element(text_line, "SP")
                string_number += 1
                _element(text_line, "String", ID=f"{page_id}_S{string_number:06d}", CONTENT=line.text[start:end],
                         **_box_attributes(word_box(line, start, end)), WC=_confidence(line.confidence))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
