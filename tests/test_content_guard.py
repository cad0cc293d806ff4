"""What content/ may hold besides articles, and the fields an article may carry.

No symbolic link anywhere below content/; static files (content/images/) only of the
published types, with the bytes their suffix says and no camera metadata; no field that
overrides an address, a template, a language or a category. ``check`` reports each as an
error naming the path (and line); the build publishes none of them.
"""

import os
import re
import subprocess
import sys

import pytest

from newsroom import messages
from newsroom.desk.checks import ERROR, WARNING, check_paths
from newsroom.paper import content_tree, fields
from sitebuild import ROOT, build_site, write_article

GOOD = (ROOT / "tests" / "fixtures" / "check" / "good.md").read_text(encoding="utf-8")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
JPEG_WITH_EXIF = b"\xff\xd8\xff\xe1\x00\x16Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x00\x00\x00\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + b"\x00" * 17
PNG_WITH_XMP = PNG + b"\x00\x00\x00\x05iTXtXML:c" + b"\x00" * 4
FILES = {
    "images/ok.jpg": JPEG, "images/ok.png": PNG, "images/ok.gif": b"GIF89a\x01\x00", "images/ok.pdf": b"%PDF-1.7\n",
    "images/ok.webp": b"RIFF\x0c\x00\x00\x00WEBPVP8 ", "images/UPPER.JPG": JPEG,
    "images/x.js": b"alert(document.cookie)", "images/page.html": b"<script>alert(1)</script>",
    "images/a.svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "images/style.css": b"body{}",
    "images/noext": JPEG, "images/fake.png": b"<html><script>alert(1)</script>", "images/fake.pdf": b"MZ\x90\x00",
    "images/gps.jpg": JPEG_WITH_EXIF, "images/xmp.png": PNG_WITH_XMP,
}
REFUSED = {
    "images/x.js": "security.static_type", "images/page.html": "security.static_type",
    "images/style.css": "security.static_type", "images/noext": "security.static_type",
    "images/a.svg": "security.static_svg", "images/fake.png": "security.static_mismatch",
    "images/fake.pdf": "security.static_mismatch", "images/gps.jpg": "security.static_metadata",
    "images/xmp.png": "security.static_metadata",
}


@pytest.fixture(autouse=True)
def chinese():
    messages.set_language("zh")
    yield
    messages.set_language(None)


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """A content folder with one article, every kind of static file and three links."""
    root = tmp_path_factory.mktemp("guard")
    content = root / "content"
    write_article(content, "2024/03/good.md", GOOD)
    for name, data in FILES.items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_bytes(data)
    secret = root / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (content / "images" / "photo.jpg").symlink_to(secret)
    outside = root / "elsewhere" / "2024" / "04"
    write_article(outside, "linked.md", GOOD.replace("Date: 2024-03-12", "Date: 2024-04-01"))
    links = {"images/photo.jpg": "security.symlink_outside",
             "2024/04": "security.symlink_outside", "images/again.jpg": "security.symlink_inside"}
    (content / "2024" / "04").symlink_to(outside)
    (content / "images" / "again.jpg").symlink_to(content / "images" / "ok.jpg")
    return root, content, links


def messages_by_path(content):
    problems, _ = check_paths([content])
    found = {}
    for problem in problems:
        found.setdefault(os.path.relpath(problem.path, content), []).append(problem)
    return found


def test_check_names_every_link_and_every_refused_static_file(tree):
    _, content, links = tree
    found = messages_by_path(content)
    for name, message_id in {**REFUSED, **links}.items():
        problems = found.get(name)
        assert problems and all(p.severity == ERROR for p in problems), (name, sorted(found))
        path = content / name
        kind, params = (content_tree.symlink_problem(path, content) if path.is_symlink()
                        else content_tree.static_problem(path))
        assert kind == message_id, name
        assert [p.message for p in problems] == [messages.text(kind, **params)], name
    allowed = [name for name in FILES if name not in REFUSED]
    assert not [name for name in allowed if name in found], found
    # The article reached only through the linked folder is never checked as content.
    assert not any(name.startswith("2024/04/") for name in found)


def test_the_build_copies_only_the_allowed_files_and_reads_nothing_through_a_link(tree, tmp_path):
    root, content, links = tree
    # The linked folder stops the build (it would be read): first without it.
    (content / "2024" / "04").unlink()
    try:
        output, log = build_site(tmp_path, content)
    finally:
        (content / "2024" / "04").symlink_to(root / "elsewhere" / "2024" / "04")
    published = {p.relative_to(output).as_posix() for p in (output / "images").rglob("*")}
    assert published == {name for name in FILES if name not in REFUSED}
    assert not (output / "images" / "photo.jpg").exists() and not (output / "images" / "again.jpg").exists()
    warned = "\n".join(log.messages())
    for name in [*REFUSED, "images/photo.jpg", "images/again.jpg"]:
        assert str(content / name) in warned, name
    assert "root:x:0" not in "".join(p.read_text(errors="replace") for p in output.rglob("*") if p.is_file())


def test_a_linked_folder_of_articles_stops_the_build_naming_the_link(tree, tmp_path):
    _, content, _ = tree
    result = subprocess.run([sys.executable, "-m", "newsroom", "build", "--content", str(content),
                             "--output", str(tmp_path / "output")], cwd=ROOT, capture_output=True, text=True,
                            encoding="utf-8", timeout=300, env={**os.environ, "NEWSROOM_LANG": "zh"})
    assert result.returncode != 0
    said = result.stdout + result.stderr
    assert any(line.startswith(f"{content / '2024' / '04'}:") and "这是一个符号链接" in line for line in said.splitlines())
    assert "2024/04/linked.md" in said  # and the build names the article it refused
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "output").exists()


def test_publishing_refuses_the_tree(tree, tmp_path):
    _, content, _ = tree
    result = subprocess.run([sys.executable, "-m", "newsroom", "build", "--publish", "--content", str(content),
                             "--output", str(tmp_path / "output")], cwd=ROOT, capture_output=True, text=True,
                            encoding="utf-8", timeout=300)
    assert result.returncode != 0 and "什么都没有生成，也没有发布" in result.stderr
    assert f"{content / 'images' / 'x.js'}:" in result.stdout


# --- fields ----------------------------------------------------------------------------------

OVERRIDES = ["URL: //other.host/x/", "Save_as: index.html", "Template: page", "Lang: en", "Translation: true",
             "Category: 体育"]


def test_a_field_that_overrides_the_address_is_an_error_in_check_and_build(tmp_path):
    content = tmp_path / "content"
    for number, line in enumerate(OVERRIDES):
        text = GOOD.replace("Slug: ", f"{line}\nSlug: a{number}-").replace("2024-03-12", f"2024-03-0{number + 1}")
        path = write_article(content / "2024" / "03", f"a{number}.md", text)
        problems, _ = check_paths([path])
        name = line.split(":")[0]
        assert [(p.line, p.severity, p.message) for p in problems] == [
            (10, ERROR, messages.text("security.override_field", name=name))]  # the line before Slug
    output, log = build_site(tmp_path, content)
    said = "\n".join(log.messages())
    for line in OVERRIDES:
        name = fields.override_fields()[line.split(":")[0].lower()]
        assert messages.text("security.override_field", name=name) in said, name
    assert not list(output.glob("2024/03/*/*/index.html"))  # no article of them is published
    assert "other.host" not in "".join(p.read_text(encoding="utf-8") for p in output.rglob("*.html"))


def test_an_unknown_field_is_never_read_by_the_build(tmp_path):
    # Pelican makes every field an attribute of the article: _content would replace the
    # sanitized body. The reader drops every field the content model does not have.
    text = GOOD.replace("Slug:", "_content: <script>alert(1)</script>\nIn_default_lang: no\nSlug:")
    path = write_article(tmp_path / "content" / "2024" / "03", "a.md", text)
    problems, _ = check_paths([path])
    assert [(p.severity, p.line) for p in problems] == [(WARNING, 10), (WARNING, 11)]  # unknown fields
    assert [p for p in problems if "_content" in p.message]
    output, _ = build_site(tmp_path, tmp_path / "content")
    page = next(output.glob("2024/03/12/*/index.html")).read_text(encoding="utf-8")
    assert "alert(1)" not in page and "本报讯" in page and "2024年3月12日" in page


def test_the_documented_fields_are_the_known_ones_and_no_override_is_documented():
    table = (ROOT / "docs" / "content-model.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([A-Za-z_]+)` \|", table, flags=re.M))
    assert documented == set(fields.known_fields().values())
    assert not documented & set(fields.override_fields().values())
    # Every Pelican field that addresses or templates an article is among the overrides.
    assert {"url", "save_as", "template", "lang", "translation", "category"} <= set(fields.override_fields())


# --- suffixes ---------------------------------------------------------------------------------

def test_an_upper_case_suffix_is_checked_and_built(tmp_path):
    content = tmp_path / "content"
    write_article(content, "2024/03/UPPER.MD", GOOD)
    write_article(content, "2024/03/mixed.Markdown",
                  GOOD.replace("Date: 2024-03-12", "Date: 2024-03-13").replace("Slug: ", "Slug: mixed-"))
    problems, files = check_paths([content])
    assert files == 2 and not [p for p in problems if p.is_error]
    output, _ = build_site(tmp_path, content)
    assert len(list(output.glob("2024/03/1[23]/*/index.html"))) == 2


def test_static_rules_read_the_bytes_not_the_name(tmp_path):
    for name, data in FILES.items():
        path = tmp_path / name.replace("/", "_")
        path.write_bytes(data)
        problem = content_tree.static_problem(path)
        assert (problem[0] if problem else None) == REFUSED.get(name), name
