"""`check` on an article's photos: every error and warning at its file and line, in Chinese
(English on request), and the check cache following the photo's bytes."""

import io

import pytest
from PIL import Image

from image_support import png_header_only, scene
from newsroom import messages
from newsroom.desk import check_cache, checks

HEAD = "Title: 职工书屋新添图书\nDate: 2024-03-12\nSlug: zhigong-shuwu\n{meta}\n"
LEAD = "本报讯（记者 白莹）近日，朝阳区总工会为职工书屋新添图书三千册。\n\n"


def jpeg(width=1200, height=800, seed=0):
    buffer = io.BytesIO()
    scene(width, height, seed).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def animated_png():
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (64, 48), (40 * i, 90, 120)) for i in range(3)]
    frames[0].save(buffer, "PNG", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def write(folder, body, meta="", files=None):
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in (files or {}).items():
        (folder / name).write_bytes(data)
    path = folder / "article.md"
    path.write_text(HEAD.format(meta=meta) + "\n" + LEAD + body + "\n", encoding="utf-8")
    return path


def problems(path):
    found, _ = checks.check_paths([path])
    return [(p.line, p.severity, p.message, p.fix) for p in found]


def only(path):
    found = problems(path)
    assert len(found) == 1, found
    return found[0]


@pytest.fixture(autouse=True)
def chinese():
    messages.set_language("zh")
    yield
    messages.set_language(None)


def test_a_good_photo_passes(tmp_path):
    path = write(tmp_path, '![职工在书屋里挑选图书](shuwu.jpg "职工在书屋里挑选图书。本报记者 白莹 摄")',
                 files={"shuwu.jpg": jpeg()})
    assert problems(path) == []


# name, body line, files, severity, words the message must hold
ERRORS = [
    ("missing", '![职工在书屋里挑选图书](nowhere.jpg "本报记者 白莹 摄")', {}, "找不到图片 nowhere.jpg"),
    ("no alt", '![](shuwu.jpg "本报记者 白莹 摄")', {"shuwu.jpg": jpeg()}, "没有替代文字"),
    ("alt is the file", '![shuwu.jpg](shuwu.jpg "本报记者 白莹 摄")', {"shuwu.jpg": jpeg()}, "只是文件名"),
    ("alt says nothing", '![图片](shuwu.jpg "本报记者 白莹 摄")', {"shuwu.jpg": jpeg()}, "只写了“图片”"),
    ("empty", '![职工在书屋](shuwu.jpg "本报记者 白莹 摄")', {"shuwu.jpg": b""}, "是空文件"),
    ("animated", '![职工在书屋](shuwu.png "本报记者 白莹 摄")', {"shuwu.png": animated_png()}, "是动图或多页文件"),
    ("damaged", '![职工在书屋](shuwu.jpg "本报记者 白莹 摄")', {"shuwu.jpg": jpeg()[:3000]}, "已损坏或不完整"),
    ("a GIF", '![职工在书屋](shuwu.gif "本报记者 白莹 摄")', {"shuwu.gif": b"GIF89a" + b"\0" * 40}, "格式不受支持"),
    ("a document", '![职工在书屋](shuwu.jpg "本报记者 白莹 摄")', {"shuwu.jpg": b"%PDF-1.7 not a photo" * 5},
     "格式不受支持"),
    ("no image", '![职工在书屋](shuwu.jpg "本报记者 白莹 摄")', {"shuwu.jpg": "不是图片".encode() * 20}, "不是图片文件"),
    ("a bomb", '![职工在书屋](shuwu.png "本报记者 白莹 摄")', {"shuwu.png": png_header_only(9000, 9000)},
     "约 81 百万像素，超过上限 50 百万像素"),
    ("the site's root", '![职工在书屋](/images/shuwu.jpg "本报记者 白莹 摄")', {}, "不是文章旁边的文件"),
    # Reported once, by the sanitizer's check (images load only from this site).
    ("another site", '![职工在书屋](https://example.com/shuwu.jpg "本报记者 白莹 摄")', {}, "图片只能来自本站"),
    ("another folder", '![职工在书屋](../shuwu.jpg "本报记者 白莹 摄")', {}, "在内容文件夹之外"),
]


@pytest.mark.parametrize("name, body, files, words", ERRORS, ids=[e[0] for e in ERRORS])
def test_each_error_at_the_photo_line(tmp_path, name, body, files, words):
    path = write(tmp_path / "2024" / "03", body, files=files)
    line, severity, message, fix = only(path)
    assert (line, severity) == (8, "error"), (line, severity, message)
    assert words in message and fix
    assert any("\u4e00" <= c <= "\u9fff" for c in fix)


def test_a_folder_named_as_a_photo(tmp_path):
    folder = tmp_path / "2024" / "03"
    (folder / "shuwu.jpg").mkdir(parents=True)
    line, severity, message, fix = only(write(folder, '![职工在书屋](shuwu.jpg "本报记者 白莹 摄")'))
    assert (line, severity) == (8, "error") and "shuwu.jpg 是一个文件夹" in message and "照片.jpg" in fix


WARNINGS = [
    ("inside a line", '文中有图 ![职工在书屋里挑选图书](shuwu.jpg "本报记者 白莹 摄") 一张。', "夹在一行文字中间"),
    ("no credit", '![职工在书屋里挑选图书](shuwu.jpg "职工在书屋里挑选图书")', "末尾没有署名"),
]


@pytest.mark.parametrize("name, body, words", WARNINGS, ids=[w[0] for w in WARNINGS])
def test_each_warning_at_the_photo_line(tmp_path, name, body, words):
    path = write(tmp_path, body, files={"shuwu.jpg": jpeg()})
    line, severity, message, _ = only(path)
    assert (line, severity) == (8, "warning") and words in message


def test_a_narrow_lead_photo_is_a_warning_and_photo_chooses_the_lead(tmp_path):
    files = {"small.jpg": jpeg(800, 533), "large.jpg": jpeg(1600, 1067, 1)}
    body = ('![职工在书屋里挑选图书](small.jpg "本报记者 白莹 摄")\n\n'
            '![书屋外景](large.jpg "本报记者 白莹 摄")')
    line, severity, message, fix = only(write(tmp_path / "a", body, files=files))
    assert (line, severity) == (8, "warning") and "800 像素宽" in message and "Photo:" in fix
    # Photo: names the large one: it is the lead, and no warning.
    assert problems(write(tmp_path / "b", body, meta="Photo: large.jpg", files=files)) == []
    # Photo: none: no lead photo at all.
    assert problems(write(tmp_path / "c", body, meta="Photo: none", files=files)) == []
    # Photo: a file that is not there: an error on the Photo line.
    line, severity, message, _ = only(write(tmp_path / "d", body, meta="Photo: gone.jpg", files=files))
    assert (line, severity) == (4, "error") and "gone.jpg" in message


def test_messages_in_english_when_asked(tmp_path):
    messages.set_language("en")
    path = write(tmp_path, '![](nowhere.jpg "本报记者 白莹 摄")')
    found = problems(path)
    assert sorted(m for _, _, m, _ in found) == ["no photo nowhere.jpg", "the photo nowhere.jpg has no alt text"]


def test_an_image_in_code_is_no_photo(tmp_path):
    path = write(tmp_path, "```\n![示例](nowhere.jpg)\n```")
    assert problems(path) == []


def test_the_check_cache_follows_the_photo(tmp_path):
    content = tmp_path / "content"
    folder = content / "2024" / "03"
    write(folder, '![职工在书屋里挑选图书](shuwu.jpg "职工在书屋里挑选图书。本报记者 白莹 摄")',
          files={"shuwu.jpg": jpeg()})
    cache = tmp_path / "cache"
    found, files, fresh, _ = check_cache.check_content(content, cache, "code")
    assert (found, files, fresh) == ([], 1, 1)
    assert check_cache.check_content(content, cache, "code")[2] == 0  # nothing changed: nothing checked
    (folder / "shuwu.jpg").write_bytes(jpeg()[:2000])  # the photo breaks; the article is the same
    found, _, fresh, _ = check_cache.check_content(content, cache, "code")
    assert fresh == 1 and len(found) == 1 and "已损坏" in found[0].message
    (folder / "shuwu.jpg").unlink()
    found, _, fresh, _ = check_cache.check_content(content, cache, "code")
    assert fresh == 1 and "找不到图片" in found[0].message
    (folder / "shuwu.jpg").write_bytes(jpeg())  # back again
    assert check_cache.check_content(content, cache, "code")[:1] == ([],)
