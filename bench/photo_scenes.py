"""Pictures the project draws itself: news-photo-like scenes and bar charts (Pillow only).

Nothing is downloaded: the sample site's photos (``python -m bench.sample_photos``) and the
benchmark's thousands of photos (:mod:`bench.generate`) are drawn here from a seed. A scene
is a background (sky and ground, or wall and floor), props for its kind (a workshop's
machines, a court's lines, a gallery's frames...), a crowd of people, a banner, and then
what a camera adds: a slight blur, sensor noise and a vignette, so that encoders get the
kind of texture a real photo has and the measured sizes mean something.

The same ``(kind, width, height, seed)`` gives the same pixels with the same Pillow; the
banner's Chinese text needs the Noto CJK fonts (Debian ``fonts-noto-cjk``), and is left
out where they are missing.
"""

import math
import random
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

FONT_FILES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
              "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SKIN = [(233, 196, 160), (222, 180, 140), (205, 160, 120), (240, 205, 175)]
HAIR = [(25, 22, 20), (40, 32, 28), (60, 50, 45), (90, 90, 90)]
# kind -> (outdoor, sky or wall colour, ground or floor colour, clothes palette)
KINDS = {
    "workshop": (False, (176, 182, 186), (92, 98, 102), [(20, 60, 140), (30, 70, 150), (200, 120, 30)]),
    "stage": (False, (40, 24, 60), (120, 40, 40), [(220, 40, 60), (240, 200, 40), (250, 250, 250)]),
    "court": (False, (200, 190, 170), (196, 140, 80), [(200, 30, 40), (30, 80, 180), (250, 250, 250)]),
    "room": (False, (226, 220, 205), (170, 140, 110), [(90, 120, 160), (160, 90, 90), (80, 80, 80)]),
    "gallery": (False, (236, 232, 224), (150, 120, 95), [(60, 60, 70), (120, 50, 50), (50, 90, 120)]),
    "reading": (False, (214, 200, 170), (140, 100, 70), [(70, 90, 130), (140, 60, 60), (60, 110, 80)]),
    "welding": (False, (70, 74, 80), (60, 62, 66), [(30, 50, 110), (40, 60, 120)]),
    "sports": (True, (120, 170, 225), (70, 140, 70), [(220, 40, 40), (250, 250, 250), (30, 90, 200)]),
    "snow": (True, (160, 190, 225), (238, 242, 248), [(200, 30, 40), (30, 60, 150), (240, 160, 20)]),
    "street": (True, (150, 175, 205), (120, 120, 125), [(250, 120, 20), (250, 130, 30), (40, 40, 60)]),
    "delivery": (True, (140, 180, 220), (125, 125, 130), [(240, 190, 20), (30, 110, 200), (220, 50, 40)]),
    "station": (True, (130, 175, 230), (150, 150, 150), [(230, 100, 20), (30, 80, 160), (60, 60, 60)]),
    "industrial": (True, (170, 190, 210), (110, 105, 100), [(60, 60, 70), (150, 50, 50)]),
    "village": (True, (125, 170, 220), (110, 130, 80), [(150, 40, 40), (40, 80, 140), (90, 90, 90)]),
    "portrait": (True, (150, 185, 220), (120, 120, 120), [(240, 190, 20)]),
}


@lru_cache(maxsize=8)
def font(size):
    for name in FONT_FILES:
        if Path(name).exists():
            return ImageFont.truetype(name, size)
    return None


def photo(kind, width, height, seed=0, banner=""):
    """A news-photo-like scene of ``kind`` (one of :data:`KINDS`), ``width`` × ``height``."""
    outdoor, top, bottom, clothes = KINDS[kind]
    rng = random.Random(f"{kind}-{width}-{height}-{seed}")
    image = Image.new("RGB", (width, height), top)
    draw = ImageDraw.Draw(image)
    horizon = int(height * (0.55 if outdoor else 0.62) + rng.uniform(-0.05, 0.05) * height)
    _gradient(draw, 0, horizon, width, top, _shade(top, 0.75 if outdoor else 0.9))
    _gradient(draw, horizon, height, width, bottom, _shade(bottom, 0.7))
    props = globals()[f"_props_{kind}"] if f"_props_{kind}" in globals() else _props_room
    props(draw, rng, width, height, horizon)
    if banner and font(int(height * 0.05)):
        _banner(draw, rng, width, height, horizon, banner)
    if kind == "portrait":
        _person(draw, rng, width // 2, int(height * 1.02), int(height * 0.95), clothes[0])
    else:
        crowd = sorted(rng.uniform(0.0, 1.0) for _ in range(rng.randint(4, 9)))
        for depth in crowd:  # the far ones first, so the near ones stand in front
            feet = int(horizon + depth * (height - horizon) * 0.9 + height * 0.04)
            tall = int(height * (0.22 + 0.38 * depth))
            _person(draw, rng, rng.randint(0, width), feet, tall, rng.choice(clothes))
    return _camera(image, rng)


def _shade(colour, factor):
    return tuple(max(0, min(255, int(c * factor))) for c in colour)


def _gradient(draw, y0, y1, width, start, end):
    span = max(1, y1 - y0)
    for y in range(y0, y1):
        t = (y - y0) / span
        draw.line([(0, y), (width, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(start, end)))


def _person(draw, rng, x, feet, tall, shirt):
    head = tall * 0.13
    body_top = feet - tall + head * 1.9
    waist = feet - tall * 0.46
    half = tall * 0.13
    trousers = rng.choice([(40, 45, 60), (30, 30, 35), (70, 70, 80), (50, 60, 90)])
    draw.rectangle((x - half * 0.8, waist, x - half * 0.1, feet), fill=trousers)
    draw.rectangle((x + half * 0.1, waist, x + half * 0.8, feet), fill=trousers)
    draw.rounded_rectangle((x - half, body_top, x + half, waist + tall * 0.03), radius=half * 0.4, fill=shirt)
    arm = tall * 0.36
    for side in (-1, 1):
        lift = rng.uniform(-0.2, 0.5) * arm
        draw.line((x + side * half * 0.9, body_top + head * 0.3, x + side * (half * 1.3), body_top + arm - lift),
                  fill=_shade(shirt, 0.85), width=max(2, int(half * 0.45)))
    skin = rng.choice(SKIN)
    draw.ellipse((x - head * 0.75, body_top - head * 1.9, x + head * 0.75, body_top - head * 0.1), fill=skin)
    draw.chord((x - head * 0.8, body_top - head * 2.0, x + head * 0.8, body_top - head * 0.6), 180, 360,
               fill=rng.choice(HAIR))


def _banner(draw, rng, width, height, horizon, text):
    size = int(height * 0.05)
    top = int(horizon * rng.uniform(0.12, 0.25))
    left, right = int(width * 0.12), int(width * 0.88)
    draw.rectangle((left, top, right, top + size * 1.7), fill=(190, 20, 30))
    face = font(size)
    box = draw.textbbox((0, 0), text, font=face)
    draw.text(((left + right - (box[2] - box[0])) / 2, top + size * 0.3), text, fill=(255, 230, 120), font=face)


def _props_workshop(draw, rng, width, height, horizon):
    for i in range(rng.randint(3, 5)):
        x = rng.randint(0, width)
        w, h = rng.randint(width // 10, width // 5), rng.randint(height // 6, height // 3)
        draw.rectangle((x, horizon - h, x + w, horizon + h // 4), fill=rng.choice([(60, 120, 90), (200, 200, 205)]))
        draw.rectangle((x + w * 0.1, horizon - h * 0.8, x + w * 0.5, horizon - h * 0.5), fill=(30, 40, 50))
    for i in range(0, width, width // 8):
        draw.line((i, 0, i + width // 16, horizon // 3), fill=(120, 125, 130), width=max(2, width // 300))


def _props_stage(draw, rng, width, height, horizon):
    for i in range(5):
        cx = rng.randint(0, width)
        draw.polygon([(cx, 0), (cx - width // 8, horizon), (cx + width // 8, horizon)], fill=(90, 60, 110))
    draw.rectangle((0, horizon - height // 40, width, horizon), fill=(160, 30, 30))


def _props_court(draw, rng, width, height, horizon):
    line = max(2, width // 250)
    draw.line((0, horizon + (height - horizon) // 2, width, horizon + (height - horizon) // 2), fill=(250, 250, 250),
              width=line)
    draw.arc((width * 0.3, horizon + 20, width * 0.7, height * 1.3), 180, 360, fill=(250, 250, 250), width=line)
    x = rng.randint(width // 5, width - width // 5)
    draw.rectangle((x - 4, horizon - height * 0.35, x + 4, horizon), fill=(90, 90, 90))
    draw.rectangle((x - width * 0.06, horizon - height * 0.42, x + width * 0.06, horizon - height * 0.32),
                   fill=(250, 250, 250), outline=(200, 30, 30), width=line)


def _props_room(draw, rng, width, height, horizon):
    for _ in range(rng.randint(2, 4)):
        x, w = rng.randint(0, width), rng.randint(width // 8, width // 4)
        draw.rectangle((x, horizon - height // 8, x + w, horizon + height // 20), fill=(180, 150, 110))
    draw.rectangle((width * 0.6, height * 0.1, width * 0.9, height * 0.35), fill=(150, 190, 220), outline=(250, 250, 250),
                   width=max(2, width // 200))


def _props_gallery(draw, rng, width, height, horizon):
    x = width // 20
    while x < width:
        w, h = rng.randint(width // 10, width // 6), rng.randint(height // 6, height // 3)
        top = int(horizon * 0.25)
        draw.rectangle((x, top, x + w, top + h), fill=(60, 40, 30))
        inner = (x + w * 0.08, top + h * 0.08, x + w * 0.92, top + h * 0.92)
        draw.rectangle(inner, fill=(240, 235, 220))
        for _ in range(6):
            sx, sy = rng.uniform(inner[0], inner[2]), rng.uniform(inner[1], inner[3])
            draw.line((sx, sy, sx + rng.uniform(-w / 3, w / 3), sy + rng.uniform(-h / 4, h / 4)), fill=(30, 30, 30),
                      width=max(2, w // 40))
        x += w + rng.randint(width // 30, width // 12)


def _props_reading(draw, rng, width, height, horizon):
    for shelf in range(4):
        y = int(horizon * (0.15 + shelf * 0.2))
        draw.rectangle((0, y + horizon * 0.15, width, y + horizon * 0.17), fill=(110, 75, 45))
        x = 0
        while x < width:
            w = rng.randint(width // 120 + 2, width // 50 + 3)
            draw.rectangle((x, y + rng.randint(0, int(horizon * 0.04)), x + w, y + horizon * 0.15),
                           fill=(rng.randint(40, 220), rng.randint(40, 200), rng.randint(40, 200)))
            x += w + 1


def _props_welding(draw, rng, width, height, horizon):
    cx, cy = width * rng.uniform(0.35, 0.65), horizon + (height - horizon) * 0.2
    for _ in range(120):
        length = rng.uniform(0.02, 0.2) * width
        angle = rng.uniform(3.3, 6.1)
        draw.line((cx, cy, cx + math.cos(angle) * length, cy + math.sin(angle) * length),
                  fill=(255, rng.randint(180, 240), rng.randint(60, 140)), width=max(1, width // 600))
    draw.ellipse((cx - width * 0.02, cy - width * 0.02, cx + width * 0.02, cy + width * 0.02), fill=(255, 255, 230))


def _props_sports(draw, rng, width, height, horizon):
    for lane in range(6):
        y = horizon + (height - horizon) * (0.2 + lane * 0.13)
        draw.rectangle((0, y, width, y + (height - horizon) * 0.1), fill=(190, 80, 60))
        draw.line((0, y, width, y), fill=(250, 250, 250), width=max(2, width // 400))
    for i in range(0, width, max(8, width // 60)):
        draw.ellipse((i, horizon - height * 0.06, i + width // 70, horizon - height * 0.04),
                     fill=(rng.randint(100, 255), rng.randint(60, 200), rng.randint(60, 200)))


def _props_snow(draw, rng, width, height, horizon):
    for _ in range(4):
        x = rng.randint(-width // 4, width)
        draw.polygon([(x, horizon), (x + width // 4, horizon - height * rng.uniform(0.15, 0.35)),
                      (x + width // 2, horizon)], fill=(225, 232, 242))
    draw.ellipse((width * 0.1, horizon + 10, width * 0.9, height * 0.95), fill=(200, 225, 240))


def _props_street(draw, rng, width, height, horizon):
    for _ in range(6):
        x, w = rng.randint(0, width), rng.randint(width // 10, width // 5)
        h = rng.randint(height // 5, height // 2)
        draw.rectangle((x, horizon - h, x + w, horizon), fill=rng.choice([(180, 170, 160), (150, 150, 160), (200, 180, 150)]))
        for wy in range(horizon - h + 10, horizon - 10, max(12, h // 8)):
            for wx in range(x + 6, x + w - 10, max(14, w // 5)):
                draw.rectangle((wx, wy, wx + max(6, w // 12), wy + max(6, h // 14)), fill=(90, 110, 140))
    for i in range(0, width, width // 7):
        draw.rectangle((i, horizon - height * 0.3, i + 6, horizon), fill=(60, 90, 50))
        draw.ellipse((i - width // 30, horizon - height * 0.38, i + width // 30, horizon - height * 0.25), fill=(70, 120, 60))


def _props_delivery(draw, rng, width, height, horizon):
    _props_street(draw, rng, width, height, horizon)
    for _ in range(rng.randint(3, 6)):
        x = rng.randint(0, width)
        y = horizon + rng.randint(height // 20, (height - horizon) // 2)
        draw.ellipse((x, y, x + width // 25, y + width // 25), fill=(30, 30, 30))
        draw.ellipse((x + width // 12, y, x + width // 12 + width // 25, y + width // 25), fill=(30, 30, 30))
        draw.rectangle((x + width // 50, y - width // 25, x + width // 10, y + width // 100), fill=(240, 190, 20))


def _props_station(draw, rng, width, height, horizon):
    _props_street(draw, rng, width, height, horizon)
    x = int(width * rng.uniform(0.25, 0.45))
    draw.rectangle((x, horizon - height * 0.32, x + width * 0.3, horizon), fill=(245, 245, 240))
    draw.rectangle((x, horizon - height * 0.36, x + width * 0.3, horizon - height * 0.3), fill=(200, 30, 40))
    draw.rectangle((x + width * 0.05, horizon - height * 0.22, x + width * 0.13, horizon), fill=(120, 150, 180))


def _props_industrial(draw, rng, width, height, horizon):
    for _ in range(3):
        x = rng.randint(0, width)
        w = rng.randint(width // 12, width // 7)
        draw.rectangle((x, horizon - height * 0.45, x + w, horizon), fill=(90, 70, 60))
        draw.rectangle((x + w * 0.3, horizon - height * 0.55, x + w * 0.7, horizon - height * 0.45), fill=(70, 55, 50))
        for y in range(int(horizon - height * 0.4), horizon, max(10, height // 25)):
            draw.line((x, y, x + w, y), fill=(120, 90, 70), width=max(1, width // 500))
    draw.line((0, horizon - height * 0.2, width, horizon - height * 0.25), fill=(80, 60, 50), width=max(3, width // 150))


def _props_village(draw, rng, width, height, horizon):
    for _ in range(3):
        x = rng.randint(-width // 4, width)
        draw.polygon([(x, horizon), (x + width // 3, horizon - height * rng.uniform(0.15, 0.3)),
                      (x + width // 1.5, horizon)], fill=(80, 110, 80))
    x = int(width * 0.35)
    draw.rectangle((x, horizon - height * 0.22, x + width * 0.35, horizon), fill=(200, 190, 175))
    draw.polygon([(x - 10, horizon - height * 0.22), (x + width * 0.175, horizon - height * 0.34),
                  (x + width * 0.35 + 10, horizon - height * 0.22)], fill=(130, 60, 50))


def _props_portrait(draw, rng, width, height, horizon):
    _props_street(draw, rng, width, height, horizon)


def _noise(size, rng, amplitude):
    """Uniform grey noise around 128 of ±``amplitude`` from ``rng`` (Pillow's own
    ``effect_noise`` draws from the C library's unseeded generator: not reproducible)."""
    raw = Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))
    return raw.point(lambda v: int(128 + (v - 128) * amplitude / 128))


def _texture(size, rng, strength):
    """Noise at three scales (2, 6 and 24 pixels): the fine detail of cloth, walls and
    ground that a photo has and a drawing lacks, and that an encoder cannot smooth away."""
    width, height = size
    layers = [_noise((max(1, width // s), max(1, height // s)), rng, 128).resize(size, Image.Resampling.BICUBIC)
              for s in (2, 6, 24)]
    mixed = Image.blend(Image.blend(layers[0], layers[1], 0.5), layers[2], 0.34)
    return mixed.point(lambda v: max(0, min(255, int(128 + (v - 128) * strength))))


def _camera(image, rng, texture=0.35, grain=6):
    """What a camera adds: a little softness, texture, sensor grain and a vignette."""
    width, height = image.size
    image = image.filter(ImageFilter.GaussianBlur(max(0.6, width / 1600)))
    for layer in (_texture(image.size, rng, texture), _noise(image.size, rng, grain)):
        image = Image.merge("RGB", [ImageChops.add(band, layer, 1.0, -128) for band in image.split()])
    vignette = Image.radial_gradient("L").resize((width, height)).point(lambda v: 255 - v // 3)
    return ImageChops.multiply(image, Image.merge("RGB", [vignette] * 3))


def _nice_ceiling(value):
    """The axis's top: the next of 1, 2, 2.5, 5 × 10^n at or above ``value``."""
    scale = 10 ** math.floor(math.log10(value))
    return next(step * scale for step in (1, 2, 2.5, 4, 5, 10) if step * scale >= value)


def bar_chart(title, labels, values, width=1200, height=800, unit=""):
    """A bar chart as a newspaper prints it: title, horizontal grid, labelled bars (PNG-friendly:
    flat colours, few of them)."""
    image = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    face, small = font(int(height * 0.055)), font(int(height * 0.038))
    left, right, top, bottom = width * 0.1, width * 0.96, height * 0.2, height * 0.86
    if face:
        draw.text((left, height * 0.06), title, fill=(29, 29, 31), font=face)
    peak = _nice_ceiling(max(values) * 1.1)
    for step in range(5):
        y = bottom - (bottom - top) * step / 4
        draw.line((left, y, right, y), fill=(220, 220, 224), width=2)
        if small:
            draw.text((width * 0.02, y - height * 0.025), f"{peak * step / 4:.0f}", fill=(90, 90, 95), font=small)
    slot = (right - left) / len(values)
    for index, (label, value) in enumerate(zip(labels, values)):
        x = left + slot * index + slot * 0.18
        y = bottom - (bottom - top) * value / peak
        draw.rectangle((x, y, x + slot * 0.64, bottom), fill=(176, 20, 28))
        if small:
            draw.text((x, y - height * 0.05), f"{value}{unit}", fill=(29, 29, 31), font=small)
            draw.text((x, bottom + height * 0.02), label, fill=(60, 60, 65), font=small)
    draw.line((left, bottom, right, bottom), fill=(29, 29, 31), width=3)
    return image
