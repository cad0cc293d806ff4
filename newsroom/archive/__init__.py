"""The printed page for archives: the page layout sidecar, IIIF (static level-0 image tiles and
Presentation 3 manifests) and ALTO XML.

Pure processing, no Pelican: the ``pageimages`` plugin reads each page's sidecar with
:mod:`.pagefile`, cuts its tiles with :mod:`.tiles`, and writes what :mod:`.iiif`,
:mod:`.alto` and :mod:`.downloads` return.
"""
