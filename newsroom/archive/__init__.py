"""The printed page for archives: the page layout sidecar, IIIF (static level-0 image tiles and
Presentation 3 manifests) and ALTO XML.

Pure processing, no Pelican: the ``pageimages`` plugin reads each page's sidecar with
:mod:`.sidecar`, cuts its tiles with :mod:`.tiles`, and writes what :mod:`.iiif` and
:mod:`.alto` return.
"""
