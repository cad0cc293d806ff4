"""Colour: every image leaves the pipeline as 8-bit sRGB (RGB, or RGBA when it has real
transparency), with no colour profile attached.

An embedded ICC profile (Display P3 from a phone, Adobe RGB from a camera, a CMYK press
profile) is applied with LittleCMS (``ImageCms``) into sRGB, the colour space a browser
assumes for an image without a profile; the profile itself is then dropped, like every
other metadata block. A CMYK file without a profile is converted with Pillow's plain
formula (there is no profile to do better with); Adobe's inverted CMYK JPEGs are
already read the right way round by Pillow's decoder. A damaged profile is ignored (the
pixels are then taken as sRGB): it is metadata, and the picture itself is intact.
"""

import io
import logging
from functools import lru_cache

from PIL import Image, ImageCms

log = logging.getLogger(__name__)

INTENT = ImageCms.Intent.PERCEPTUAL


@lru_cache(maxsize=1)
def _srgb():
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _profile(icc_bytes):
    try:
        return ImageCms.ImageCmsProfile(io.BytesIO(icc_bytes))
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError) as error:
        log.debug("images: ignoring an unreadable colour profile (%s)", error)
        return None


def _eight_bit(image):
    """Grey images of 16 or 32 bits (I;16 PNGs, I, F TIFFs) as 8-bit L."""
    if image.mode in ("I;16", "I;16L", "I;16B", "I;16N"):
        image = image.convert("I")
    if image.mode == "I":
        return image.point(lambda value: value * (1 / 256)).convert("L")
    if image.mode == "F":
        return image.convert("L")
    return image


def _drop_opaque_alpha(image):
    if image.mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
        return image.convert("RGB")
    return image


def to_srgb(image, icc_bytes=None):
    """``image`` in sRGB, mode RGB or RGBA, without a profile (``icc_bytes``: the source's)."""
    image = _eight_bit(image)
    if image.mode in ("P", "PA"):
        has_alpha = image.mode == "PA" or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    elif image.mode in ("1", "YCbCr", "HSV"):
        image = image.convert("RGB")
    elif image.mode == "LA":
        image = image.convert("RGBA")
    profile = _profile(icc_bytes) if icc_bytes else None
    if image.mode == "LAB":
        profile = profile or ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB"))
    if profile is not None:
        output_mode = "RGBA" if image.mode in ("RGBA", "LA") else "RGB"
        try:
            image = ImageCms.profileToProfile(image, profile, _srgb(), renderingIntent=INTENT,
                                              outputMode=output_mode)
        except (ImageCms.PyCMSError, OSError, ValueError) as error:
            # A profile for another colour space than the pixels' (a grey profile on an
            # RGB image): LittleCMS refuses it; the pixels are taken as they are.
            log.debug("images: colour profile not applied (%s)", error)
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGB")  # L, CMYK without a profile
    return _drop_opaque_alpha(image)
