"""``python -m bench.page_images_bench``: what a page image costs the build (docs/page-images.md).

Draws newspaper-like pages (Noto Serif CJK text in columns, headlines, a masthead, grey
paper with a little noise, as a scan looks; bars where the font is missing) at A4 and A3
and 200 and 300 dpi, then measures per page: the tiles and sizes (count, bytes), the time
to cut them cold and to find them cached, and the ALTO and manifest time. Prints a
Markdown table; nothing is written into the repository.
"""

import argparse
import random
import tempfile
import time
from datetime import date
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from newsroom.archive import alto, iiif, pagefile, tiles

FONT = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
TEXT = "北京市总工会今天召开全市职工技能大赛动员会各区工会负责人参加会议职工代表发言表示将以赛促学提升技能水平"
SIZES = {"A4": (210, 297), "A3": (297, 420)}


def draw_page(paper, dpi, seed=1):
    random.seed(seed)
    width, height = (round(mm / 25.4 * dpi) for mm in SIZES[paper])
    image = Image.new("L", (width, height), 238)
    draw = ImageDraw.Draw(image)
    unit = dpi / 200
    body = ImageFont.truetype(str(FONT), round(22 * unit)) if FONT.exists() else None
    head = ImageFont.truetype(str(FONT), round(60 * unit)) if FONT.exists() else None
    margin = round(90 * unit)
    columns = 5 if paper == "A3" else 4
    gap = round(24 * unit)
    column_width = (width - 2 * margin - (columns - 1) * gap) // columns
    draw.rectangle((margin, margin, width - margin, margin + round(90 * unit)), fill=40)
    y0 = margin + round(140 * unit)
    lines = []
    for column in range(columns):
        x = margin + column * (column_width + gap)
        y = y0
        while y < height - margin:
            if random.random() < 0.06:  # a headline
                text = TEXT[random.randrange(10):][: max(4, column_width // round(60 * unit))]
                if head:
                    draw.text((x, y), text, font=head, fill=20)
                else:
                    draw.rectangle((x, y, x + column_width, y + round(60 * unit)), fill=20)
                lines.append((text, (x, y, column_width, round(64 * unit))))
                y += round(90 * unit)
                continue
            count = column_width // round(23 * unit)
            start = random.randrange(len(TEXT) - 1)
            text = (TEXT * 3)[start:start + count]
            if body:
                draw.text((x, y), text, font=body, fill=35)
            else:
                draw.rectangle((x, y + 4, x + column_width, y + round(18 * unit)), fill=70)
            lines.append((text, (x, y, column_width, round(24 * unit))))
            y += round(34 * unit)
    noise = Image.effect_noise((width, height), 6).point(lambda v: v - 128 + 0)
    image = Image.blend(image, noise.convert("L"), 0.04).filter(ImageFilter.GaussianBlur(0.4))
    return image, lines


def measure(paper, dpi, folder):
    image, lines = draw_page(paper, dpi)
    page_folder = folder / "epaper" / "2024-03-05"
    page_folder.mkdir(parents=True, exist_ok=True)
    path = page_folder / "01.jpg"
    image.save(path, "JPEG", quality=88)
    cache = folder / f"cache-{paper}-{dpi}"
    started, cpu = time.perf_counter(), time.process_time()
    pyramid = tiles.cut(path, cache)
    cold, cold_cpu = time.perf_counter() - started, time.process_time() - cpu
    started = time.perf_counter()
    again = tiles.cut(path, cache)
    cached = time.perf_counter() - started
    assert again == pyramid
    stored = tiles.folder_of(cache, pyramid)
    sizes = {name for name in pyramid.files if name.startswith("full/")}
    tile_bytes = sum((stored / n).stat().st_size for n in pyramid.files if n not in sizes)
    size_bytes = sum((stored / n).stat().st_size for n in sizes)
    layout = pagefile.SidecarPage(
        path=page_folder / "01.page.json", date=date(2024, 3, 5), page=1, page_name="要闻", original="",
        image="01.jpg", width=pyramid.width, height=pyramid.height, dpi=dpi, source_kind="scan",
        articles=(pagefile.ArticleRegions("2024/03/a.md", (pagefile.Box(0, 0, 10, 10),)),),
        lines=tuple(pagefile.Line(text, pagefile.Box(*box), 0.95, 0) for text, box in lines))
    started = time.perf_counter()
    alto_bytes = alto.alto(layout, [("标题", "https://news.example.org/a/")])
    alto_time = time.perf_counter() - started
    return {"page": f"{paper} {dpi} dpi", "pixels": f"{pyramid.width}×{pyramid.height}",
            "tiles": len(pyramid.files) - len(sizes), "sizes": len(sizes),
            "tile_kb": tile_bytes / 1024, "size_kb": size_bytes / 1024, "cold": cold, "cold_cpu": cold_cpu, "cached": cached,
            "lines": len(lines), "alto_kb": len(alto_bytes) / 1024, "alto_s": alto_time}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.page_images_bench", description=__doc__)
    parser.add_argument("--dpi", type=int, action="append", default=[])
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for paper in ("A4", "A3"):
            for dpi in args.dpi or [200, 300]:
                rows.append(measure(paper, dpi, Path(folder)))
    print("| page | pixels | tiles (512 px) | sizes | tiles, KB | sizes, KB | cut cold, s (CPU s) | cached, s |"
          " text lines | ALTO, KB | ALTO, s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['page']} | {r['pixels']} | {r['tiles']} | {r['sizes']} | {r['tile_kb']:,.0f} | "
              f"{r['size_kb']:,.0f} | {r['cold']:.2f} ({r['cold_cpu']:.2f}) | {r['cached']:.3f} | {r['lines']} | {r['alto_kb']:,.0f} | "
              f"{r['alto_s']:.2f} |")


if __name__ == "__main__":
    main()
