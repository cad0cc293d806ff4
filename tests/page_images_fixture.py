"""A small content folder with page images and sidecars, made here (Pillow, PyMuPDF), for the
page-image tests: until the import's generator writes real pages, and beside it afterwards
(these pages have problems on purpose).

Issue 2024-03-05: page 1 has a page image (PNG, rendered from a PDF original that carries
author metadata) with three articles, one of them over two blocks; page 2 has a scan
(JPEG with EXIF and GPS) and one article; page 3 has no image (the list view stays).
The page-1 sidecar also names a draft and a file that does not exist.
"""

import io
import json
from pathlib import Path

from PIL import Image, ImageDraw

DATE = "2024-03-05"
WIDTH, HEIGHT = 1240, 1754  # A4 at 150 dpi

ARTICLES = {
    "2024/03/lead.md": ("要闻", 1, 1, "全市职工技能大赛开幕", "北京市总工会主办的全市职工职业技能大赛今天开幕，共有来自各区的两千余名职工参赛。"),
    "2024/03/second.md": ("要闻", 1, 2, "门头沟区工会慰问一线环卫职工", "门头沟区总工会走访慰问坚守岗位的环卫职工，送去防寒物资。"),
    "2024/03/third.md": ("要闻", 1, 3, "朝阳区开展劳动争议调解培训", "朝阳区总工会举办劳动争议调解员培训班，八十名调解员参加。"),
    "2024/03/draft.md": ("要闻", 1, 4, "尚未发布的稿件", "这篇稿件还是草稿。"),
    "2024/03/scan.md": ("基层", 2, 1, "海淀区职工书屋添新书", "海淀区总工会为二十家职工书屋配送新书三千册。"),
    "2024/03/listonly.md": ("文化", 3, 1, "职工文化艺术节征稿启事", "第十届职工文化艺术节即日起征集书法、摄影作品。"),
}

# Regions (image pixels) in reading order; the second article spans two blocks.
REGIONS = {
    "2024/03/lead.md": [[60, 160, 1120, 560]],
    "2024/03/second.md": [[60, 760, 540, 520], [640, 760, 540, 260]],
    "2024/03/third.md": [[640, 1060, 540, 460]],
}


def article_text(name):
    page_name, page, order, title, body = ARTICLES[name]
    status = "Status: draft\n" if "draft" in name else ""
    slug = Path(name).stem
    return (f"Title: {title}\nDate: {DATE} 06:00\nSlug: {slug}\nPage: {page}\nPageName: {page_name}\n"
            f"PageOrder: {order}\nIssue: 8123\n{status}\n{body}\n")


def draw_page(regions, title_rows=2):
    """A grey page with a masthead rule and dark bars for text lines inside each region."""
    image = Image.new("L", (WIDTH, HEIGHT), 236)
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, WIDTH - 60, 120), fill=60)  # the page's header line
    for boxes in regions:
        for x, y, w, h in boxes:
            draw.rectangle((x, y, x + w, y + h), outline=150, width=2)
            top = y + 16
            for row in range(title_rows):
                draw.rectangle((x + 20, top, x + w - 40, top + 28), fill=30)
                top += 40
            while top + 12 < y + h - 10:
                draw.rectangle((x + 20, top, x + w - 20, top + 10), fill=90)
                top += 22
    return image


def lines_for(names, regions):
    lines = []
    for index, name in enumerate(names):
        title = ARTICLES[name][3]
        for x, y, w, h in regions[index]:
            lines.append({"text": title, "box": [x + 20, y + 16, w - 60, 28], "confidence": 1.0, "article": index})
    lines.append({"text": "第01版 要闻 责任编辑：王明", "box": [60, 1700, 600, 24], "confidence": 0.96, "article": None})
    return lines


def sidecar(page, page_name, original, image, kind, articles, lines):
    return json.dumps({
        "format": "newsroom-page/1", "date": DATE, "page": page, "page_name": page_name, "original": original,
        "image": image, "width": WIDTH, "height": HEIGHT, "dpi": 150, "source_kind": kind,
        "articles": articles, "lines": lines,
    }, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def pdf_with_metadata():
    import pymupdf

    document = pymupdf.open()
    page = document.new_page(width=595, height=842)
    page.insert_text((72, 72), "Page 1", fontsize=20)
    document.set_metadata({"author": "排版员张三", "creator": "LayoutSystem 9 C:\\Users\\zhangsan\\page01.indd",
                           "title": "secret working title"})
    return document.tobytes()


def jpeg_with_exif(image):
    exif = Image.Exif()
    exif[0x010F] = "ScannerMaker"  # Make
    exif[0x0131] = "ScanSoft 1.0 zhangsan"  # Software
    gps = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)}
    exif[0x8825] = gps
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=90, exif=exif.tobytes(), comment=b"scanned by zhangsan")
    return buffer.getvalue()


def make_content(root):
    """Write the fixture content under ``root`` (the content folder); returns it."""
    root = Path(root)
    for name in ARTICLES:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article_text(name), encoding="utf-8")
    pages = root / "pages"
    pages.mkdir(exist_ok=True)
    (pages / "about.md").write_text("Title: 关于本报\nSlug: about\n\n本报是北京市总工会主办的职工日报。\n", encoding="utf-8")
    folder = root / "epaper" / DATE
    folder.mkdir(parents=True, exist_ok=True)

    names = list(REGIONS)
    regions = [REGIONS[n] for n in names]
    draw_page(regions).save(folder / "01.png")
    (folder / "01.pdf").write_bytes(pdf_with_metadata())
    articles = [{"file": n, "regions": REGIONS[n], "review": []} for n in names]
    articles.append({"file": "2024/03/draft.md", "regions": [[60, 1540, 500, 100]], "review": []})
    articles.append({"file": "2024/03/gone.md", "regions": [[600, 1540, 500, 100]], "review": []})
    (folder / "01.page.json").write_text(
        sidecar(1, "要闻", "01.pdf", "01.png", "pdf", articles, lines_for(names, regions)), encoding="utf-8")

    scan_regions = [[[80, 200, 1080, 900]]]
    (folder / "02.jpg").write_bytes(jpeg_with_exif(draw_page(scan_regions)))
    (folder / "02.page.json").write_text(sidecar(
        2, "基层", "02.jpg", "02.jpg", "scan",
        [{"file": "2024/03/scan.md", "regions": scan_regions[0],
          "review": [{"problem": "这一行识别把握不大", "box": [100, 216, 500, 28]}]}],
        [{"text": ARTICLES["2024/03/scan.md"][3], "box": [100, 216, 1020, 28], "confidence": 0.88, "article": 0,
          "chars": [[100 + i * 60, 216, 56, 28] for i in range(len(ARTICLES["2024/03/scan.md"][3]))]}]),
        encoding="utf-8")
    return root
