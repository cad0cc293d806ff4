"""Write the sample site's photos beside their articles: ``python -m bench.sample_photos``.

Every picture is drawn by :mod:`bench.photo_scenes` (nothing is downloaded) and saved as an
editor would receive it: JPEG from a camera, a phone photo stored on its side with an EXIF
orientation and a GPS position, a PNG chart, a CMYK JPEG from the print archive. The
articles' Markdown lines (``![…](….jpg "图注")``) are written by hand in the articles.
Existing files are left alone unless ``--force``: the repository keeps the files it has.
"""

import argparse
import io
from pathlib import Path

from PIL import Image

from bench.photo_scenes import bar_chart, photo

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
QUALITY = 80
# Where a phone says it was (Haidian, near Zhongguancun): the pipeline must never publish it.
PHONE_GPS = {1: "N", 2: (39.0, 58.0, 54.0), 3: "E", 4: (116.0, 18.0, 36.0), 5: 0, 6: 52.0}

# file (under content/) -> how to make it
PHOTOS = {
    "2024/05/2024-zhigong-zhiye-jineng-dasai-qidong-1.jpg": ("stage", 1600, 1000, 1, "2024年北京市职工职业技能大赛", ""),
    "2024/05/daxing-laomo-gongjiang-jin-qiye-1.jpg": ("workshop", 1200, 800, 2, "", ""),
    "2024/05/miyun-zhigong-lanqiu-liansai-1.jpg": ("court", 1200, 800, 3, "", ""),
    "2024/05/changping-zhigong-wudao-bisai-1.jpg": ("stage", 1200, 750, 4, "昌平区职工舞蹈比赛", ""),
    "2024/05/fangshan-zhigong-xinli-jiankang-fuwuzhan-1.jpg": ("room", 1200, 800, 5, "", ""),
    "2023/11/donggaocun-quyu-zhigongzhijia-1.jpg": ("village", 1200, 800, 6, "", ""),
    "2024/03/haidian-waimai-qishou-shoushang-huopei-1.jpg": ("portrait", 1200, 1600, 7, "", "phone"),
    "2024/03/tongzhou-huwai-laodongzhe-fuwuzhan-xinjian-1.png": (
        "chart", 1200, 800, 0, "通州区户外劳动者服务站数量（个）",
        (("2020年", "2021年", "2022年", "2023年", "2024年（计划）"), (46, 58, 71, 83, 123))),
    "2024/03/tongzhou-huwai-laodongzhe-fuwuzhan-xinjian-2.jpg": ("station", 1200, 800, 8, "", ""),
    "2024/03/dongsi-zhigong-dushuhui-xinji-1.jpg": ("reading", 1200, 800, 9, "", ""),
    "2024/01/changping-zhigong-bingxue-yundongji-1.jpg": ("snow", 1200, 800, 10, "昌平区职工冰雪运动季", ""),
    "2024/01/fengtai-huanwei-gongren-xinchun-weiwen-1.jpg": ("street", 1200, 800, 11, "", ""),
    "2024/01/shijingshan-qingnian-hangong-jineng-biwu-1.jpg": ("welding", 1200, 800, 12, "", ""),
    "2023/11/daxing-kuaidiyuan-jizhong-ruhui-1.jpg": ("delivery", 1200, 800, 13, "", ""),
    "2023/11/zhigong-sheying-zuopinzhan-shougangyuan-1.jpg": ("industrial", 1200, 800, 14, "", ""),
    "2023/11/zhigong-sheying-zuopinzhan-shougangyuan-2.jpg": ("gallery", 960, 640, 15, "", ""),
    "2023/09/huairou-zhigong-yundonghui-1.jpg": ("sports", 1200, 800, 16, "怀柔区第九届职工运动会", ""),
    "2023/09/zhigong-shuhua-zuopinzhan-1.jpg": ("gallery", 1200, 800, 17, "", ""),
    "2023/09/jinqiu-zhuxue-2023-1.jpg": ("room", 1200, 800, 18, "金秋助学", "cmyk"),
    "2023/12/12351-rexian-niandi-qianxin-tixing-1.png": (
        "chart", 1200, 800, 0, "12351热线欠薪咨询来电（件）",
        (("7月", "8月", "9月", "10月", "11月", "12月"), (820, 760, 910, 1040, 1380, 2150))),
    "2023/06/xiasongqingliang-qidong-1.jpg": ("street", 1200, 800, 19, "夏送清凉", ""),
}


def phone_jpeg(image, quality=QUALITY):
    """``image`` as a phone stores an upright portrait: turned on its side, with
    orientation 6 (turn 90° clockwise to show), the phone's GPS position and make."""
    stored = image.rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "SamplePhone"
    exif[0x0110] = "SP-1"
    exif[0x0132] = "2024:03:12 18:42:07"
    exif[0x8825] = dict(PHONE_GPS)
    buffer = io.BytesIO()
    stored.save(buffer, "JPEG", quality=quality, exif=exif)
    return buffer.getvalue()


def make(name, recipe):
    kind, width, height, seed, text, special = recipe
    if kind == "chart":
        labels, values = special
        buffer = io.BytesIO()
        bar_chart(text, labels, values, width, height).convert("P", palette=Image.Palette.ADAPTIVE, colors=64).save(
            buffer, "PNG", optimize=True)
        return buffer.getvalue()
    image = photo(kind, width, height, seed=seed, banner=text)
    if special == "phone":
        return phone_jpeg(image)
    buffer = io.BytesIO()
    if special == "cmyk":  # as the print archive keeps its pictures
        image.convert("CMYK").save(buffer, "JPEG", quality=70)  # four full channels: a lower quality
    else:
        image.save(buffer, "JPEG", quality=QUALITY)
    return buffer.getvalue()


def main(argv=None):
    parser = argparse.ArgumentParser(description="Draw the sample site's photos beside their articles.")
    parser.add_argument("--force", action="store_true", help="write files that exist already")
    args = parser.parse_args(argv)
    for name, recipe in PHOTOS.items():
        path = CONTENT / name
        if path.exists() and not args.force:
            continue
        path.write_bytes(make(name, recipe))
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
