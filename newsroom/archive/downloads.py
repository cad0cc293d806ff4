"""The downloadable copy of a page's original (the PDF or the scan): the same page, no metadata.

Originals are inputs, never published as they are (they may carry the layout system's
author and file paths, a scanner's EXIF and GPS, XMP packets). The reader gets:

* a **PDF** through PyMuPDF: ``scrub`` (document information, XMP, JavaScript, embedded and
  attached files, thumbnails, links, form data) keeping hidden text (a scanned PDF's OCR
  layer), then saved with unused objects dropped and the file's own ID kept, so the same
  input always gives the same bytes;
* a **JPEG** scan re-encoded by Pillow with the scan's own quantisation tables and
  subsampling (``quality="keep"``: no visible loss) and nothing else;
* a **PNG or TIFF** scan as PNG (lossless), without text chunks, ICC profile or EXIF.

:func:`clean_copy` returns ``(bytes, suffix, media type)``; :class:`NoCopy` says why none can be made.
"""

import io
from pathlib import Path

from PIL import Image, ImageOps

VERSION = 1  # bump when the copy changes for the same original
MEDIA_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".png": "image/png"}
PDF_SUFFIXES = {".pdf"}
JPEG_SUFFIXES = {".jpg", ".jpeg"}
LOSSLESS_SUFFIXES = {".png", ".tif", ".tiff"}


class NoCopy(ValueError):
    """The original cannot be turned into a clean copy (damaged, or of a kind not offered)."""


def clean_copy(path):
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        return clean_pdf(path.read_bytes()), ".pdf", "application/pdf"
    if suffix in JPEG_SUFFIXES | LOSSLESS_SUFFIXES:
        return clean_scan(path)
    raise NoCopy(f"{suffix or path.name}: not a PDF, JPEG, PNG or TIFF")


def clean_pdf(data):
    import pymupdf  # the PDF library the page import uses too; loaded only for PDFs

    try:
        document = pymupdf.open(stream=data, filetype="pdf")
    except (RuntimeError, ValueError) as error:
        raise NoCopy(str(error)) from None
    try:
        if document.needs_pass:
            raise NoCopy("the PDF is encrypted")
        document.scrub(hidden_text=False)
        document.set_metadata({})
        document.del_xml_metadata()
        return document.tobytes(garbage=4, deflate=True, no_new_id=True)
    finally:
        document.close()


def clean_scan(path):
    from newsroom.archive.imaging import BadImage, image_size

    try:
        image_size(path)  # the pipeline's checks first: format by its bytes, pixel limit
    except BadImage as error:
        raise NoCopy(str(error)) from None
    try:
        with Image.open(path) as source:
            source.load()
            kind = source.format
            if kind == "JPEG":
                buffer = io.BytesIO()
                orientation = source.getexif().get(0x0112, 1)
                source.info.clear()  # Pillow writes a kept JPEG comment from here
                if orientation in (None, 1):
                    source.save(buffer, "JPEG", quality="keep", optimize=True)
                else:  # turned upright: the scan's own tables no longer fit, re-encode finely
                    ImageOps.exif_transpose(source).save(buffer, "JPEG", quality=95, optimize=True)
                return buffer.getvalue(), ".jpg", "image/jpeg"
            image = ImageOps.exif_transpose(source)
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError) as error:
        raise NoCopy(str(error)) from None
    if image.mode not in ("1", "L", "RGB", "RGBA", "I;16"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue(), ".png", "image/png"
