"""The printed page for archives: the page sidecar, IIIF (static level-0 image tiles and
Presentation 3 manifests) and ALTO XML, and the page import's reading and layout analysis.

Pure processing, no Pelican. :mod:`.pagefile` is the page sidecar
(``epaper/YYYY-MM-DD/NN.page.json``, docs/page-images.md): its one model, written by the
import and read by the site. The ``pageimages`` plugin reads each page's sidecar with it, cuts its tiles with :mod:`.tiles`, and writes what :mod:`.iiif`,
:mod:`.alto` and :mod:`.downloads` return.

The page import's half: :mod:`.textlines` is the one model of a page's text both readers
produce, :mod:`.pdf_reader` (a PDF's text layer, through PyMuPDF) and :mod:`.ocr_reader`
(a scan, through RapidOCR, straightened first); :mod:`.layout` finds the header and
footer, the banner, each article's kicker, headline, subtitle and body, and its regions,
from that geometry alone. None of it imports the desk.
"""
