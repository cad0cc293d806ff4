"""Generated pages → "scans": what a flatbed or a microfilm scanner makes of a printed page.

``scan(pdf, out, dpi=200, seed=…)`` renders the page in grey at ``dpi``, then does to it
what paper and scanner do: a paper tone and ink that is not quite black, a slight
blur, a rotation of up to ±1° (the page laid crooked on the glass), grain and specks,
and JPEG compression. The result records its dpi in the file (JFIF density), as a
scanner does. The truth of the page is that of its PDF, scaled to the scan's pixels:
the importer straightens the scan before it measures anything.
"""

import random
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ScanSettings:
    dpi: int = 200
    skew: float = 0.0  # degrees, counter-clockwise
    blur: float = 0.7  # Gaussian sigma in pixels
    noise: float = 9.0  # grain: Gaussian sigma in grey levels
    specks: float = 0.0004  # share of pixels turned into dark specks
    quality: int = 80  # JPEG quality
    paper: int = 236  # grey level of the paper
    ink: int = 28  # grey level of the ink


def settings_for(seed, dpi=200):
    """Random but reproducible settings for page ``seed``: skew within ±1°."""
    rng = random.Random(seed)
    return ScanSettings(dpi=dpi, skew=round(rng.uniform(-1.0, 1.0), 2), blur=round(rng.uniform(0.5, 0.9), 2),
                        noise=round(rng.uniform(6, 12), 1), quality=rng.choice([75, 80, 85]),
                        paper=rng.randint(228, 242), ink=rng.randint(15, 40))


def scan(pdf_path, out_path, settings=ScanSettings(), seed=0):
    """Rasterise the first page of ``pdf_path`` into a noisy, skewed grey JPEG at ``out_path``."""
    import cv2
    import fitz
    import numpy as np
    from PIL import Image

    with fitz.open(pdf_path) as doc:
        pixmap = doc[0].get_pixmap(dpi=settings.dpi, colorspace=fitz.csGRAY, alpha=False)
        grey = np.frombuffer(pixmap.samples, dtype=np.uint8).reshape(pixmap.height, pixmap.width).astype(np.float32)
    # Paper and ink: white → paper tone, black → ink tone.
    image = settings.ink + grey * ((settings.paper - settings.ink) / 255.0)
    if settings.blur:
        image = cv2.GaussianBlur(image, (0, 0), settings.blur)
    height, width = image.shape
    if settings.skew:
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), settings.skew, 1.0)
        image = cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=float(settings.paper))
    rng = np.random.default_rng(seed)
    image = image + rng.normal(0.0, settings.noise, image.shape)
    if settings.specks:
        count = int(settings.specks * width * height)
        ys, xs = rng.integers(0, height, count), rng.integers(0, width, count)
        image[ys, xs] = settings.ink + rng.uniform(0, 60, count)
    out = np.clip(image, 0, 255).astype(np.uint8)
    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(out, mode="L").save(out_path, "JPEG", quality=settings.quality, dpi=(settings.dpi, settings.dpi))
    return Path(out_path)
