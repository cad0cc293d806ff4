"""``newsroom new --photo FILE --caption …``: the photo is checked, copied beside the article
and written into its text; nothing is written for a photo the site could not show."""

import io

from newsroom import messages
from newsroom.desk.checks import check_paths
from newsroom.desk.cli import build_parser
from newsroom.paper.photo_refs import find_images, markdown_html
from newsroom.paper.content import read_source
from newsroom.text.slugs import slugify_headline
from image_support import phone_jpeg, scene
from sitebuild import build_site, soup

TITLE = "门头沟区职工书屋新添三千册图书"
SLUG = slugify_headline(TITLE)


def new(content, *options):
    args = build_parser().parse_args(["new", "--content", str(content), "--title", TITLE, "--date", "2024-03-12",
                                      *options])
    messages.set_language("zh")
    try:
        return args.func(args)
    finally:
        messages.set_language(None)


def test_the_photo_is_copied_and_written_into_the_text(tmp_path, capsys):
    photo = tmp_path / "IMG_2041.JPG"
    photo.write_bytes(phone_jpeg(1600, 1200))
    content = tmp_path / "content"
    status = new(content, "--photo", str(photo), "--caption", "职工在书屋挑选图书。本报记者 白莹 摄")
    out = capsys.readouterr().out
    assert status == 0
    article = content / "2024" / "03" / f"{SLUG}.md"
    copied = content / "2024" / "03" / f"{SLUG}-1.jpg"
    assert copied.read_bytes() == photo.read_bytes()  # the original stays as given: the build re-encodes it
    assert f"已复制图片 {photo} → {copied}" in out
    [image] = find_images(markdown_html(read_source(article).text))
    assert (image.src, image.alt, image.title) == (copied.name, "职工在书屋挑选图书", "职工在书屋挑选图书。本报记者 白莹 摄")
    assert image.alone
    # Once the editor writes the text, check passes the photo and the site shows it.
    text = article.read_text(encoding="utf-8").replace("本报讯（记者 ）", "本报讯（记者 白莹）职工书屋新添图书三千册。")
    article.write_text(text.split("<!--")[0].replace("Status: draft\n", ""), encoding="utf-8")  # written: no draft
    problems, _ = check_paths([article])
    assert [str(p) for p in problems if "图片" in p.message] == []
    output, _ = build_site(tmp_path / "site", content, {"SEARCH_INDEX": False})
    figure = soup(output / "2024" / "03" / "12" / SLUG / "index.html").select_one("figure.photo")
    assert figure.select_one("figcaption").get_text(" ", strip=True).endswith("本报记者 白莹 摄")


def test_a_png_keeps_its_kind_and_no_alt_is_asked_for(tmp_path, capsys):
    photo = tmp_path / "chart.jpg"  # a PNG, misnamed
    buffer = io.BytesIO()
    scene(1200, 800).save(buffer, "PNG")
    photo.write_bytes(buffer.getvalue())
    assert new(tmp_path / "content", "--photo", str(photo)) == 0
    assert (tmp_path / "content" / "2024" / "03" / f"{SLUG}-1.png").exists()
    assert "请在文中" in capsys.readouterr().out  # no caption, no --alt: the editor is told to write one


def test_nothing_is_written_for_a_bad_photo_or_a_taken_name(tmp_path, capsys):
    content = tmp_path / "content"
    broken = tmp_path / "broken.jpg"
    good = io.BytesIO()
    scene(800, 600).save(good, "JPEG")
    broken.write_bytes(good.getvalue()[:1500])
    assert new(content, "--photo", str(broken)) == 1
    assert "已损坏或不完整" in capsys.readouterr().err
    assert not content.exists()
    assert new(content, "--photo", str(tmp_path / "nowhere.jpg")) == 1
    assert "找不到要放入的图片" in capsys.readouterr().err
    whole = tmp_path / "whole.jpg"
    whole.write_bytes(good.getvalue())
    assert new(content, "--photo", str(whole), "--caption", '他说"好"') == 1
    assert "英文引号" in capsys.readouterr().err
    # A photo already where the copy would go: refused, nothing overwritten or half-written.
    folder = content / "2024" / "03"
    folder.mkdir(parents=True)
    (folder / f"{SLUG}-1.jpg").write_bytes(b"kept")
    assert new(content, "--photo", str(whole)) == 1
    assert (folder / f"{SLUG}-1.jpg").read_bytes() == b"kept" and not (folder / f"{SLUG}.md").exists()
