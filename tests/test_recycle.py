"""``newsroom build`` recycles a spare version of the site (neither the current nor the
previous one, which rollback needs whole) as its staging folder.

Pelican then rewrites only the pages whose bytes changed, and the sweep removes what the
new build no longer has; the result must be exactly a clean build's.
"""

import hashlib
import os
import subprocess
import sys
import time

from newsroom.build import searchindex
from newsroom.build import staging as staging_folders
from newsroom.build import versions
from plugins.fastbuild.fastbuild import save_staged
from sitebuild import ROOT, copy_project, plain_build_environment, write_article

FIXTURE = (ROOT / "tests" / "fixtures" / "check" / "good.md").read_text(encoding="utf-8")
GOOD_TITLE = "朝阳区职工书屋新添三千册图书"


def variant(title, date="2024-03-12"):
    text = FIXTURE.replace(f"Title: {GOOD_TITLE}", f"Title: {title}")
    return text.replace("Date: 2024-03-12", f"Date: {date}")


def build(content, output, *options):
    environment = plain_build_environment()
    result = subprocess.run(
        [sys.executable, "-m", "newsroom", "build", "--content", str(content), "--output", str(output), *options],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=300, env=environment)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def snapshot(folder):
    """Relative path -> (sha256, mtime_ns) of every file; the set of folders."""
    files, folders = {}, set()
    for path in sorted(folder.rglob("*")):
        relative = str(path.relative_to(folder))
        if path.is_dir():
            folders.add(relative)
        else:
            files[relative] = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    return files, folders


def test_a_recycled_staging_folder_ends_as_a_clean_build(tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    cache = tmp_path / "output.cache"
    write_article(content, "2024/03/good.md", FIXTURE)
    write_article(content, "2024/03/second.md", variant("海淀区职工书屋开展读书月活动", "2024-03-15"))
    write_article(content, "2024/03/third.md", variant("西城区职工书屋延长开放时间", "2024-03-18"))
    build(content, output)
    good = content / "2024" / "03" / "good.md"
    good.write_text(good.read_text(encoding="utf-8") + "\n区总工会还将增设夜间借阅服务。\n", encoding="utf-8")
    build(content, output)
    assert not versions.spares(output)  # the first site is kept whole, as the previous version (rollback)
    good.write_text(good.read_text(encoding="utf-8") + "\n周末照常开放。\n", encoding="utf-8")
    build(content, output)
    kept = versions.sites_folder(output) / versions.spares(output)[-1]
    assert (kept / "index.html").is_file()  # the first build's site, the next build's staging folder
    assert not (kept / "pagefind").exists()  # without the search bundle (hard links into the cache)
    published, _ = snapshot(output)

    # What the recycled folder holds that the next site must not: a file no build made,
    # a folder of them, and the pages of an article that is then deleted.
    (kept / "stale.html").write_text("stale", encoding="utf-8")
    (kept / "old" / "deep").mkdir(parents=True)
    (kept / "old" / "deep" / "index.html").write_text("stale", encoding="utf-8")
    (content / "2024" / "03" / "third.md").unlink()
    write_article(content, "2024/04/fourth.md", variant("东城区职工书屋新添电子阅览室", "2024-04-02"))
    time.sleep(0.05)
    stdout = build(content, output)
    assert "网站已生成到" in stdout
    assert not kept.exists() or not (kept / "stale.html").exists()

    clean = tmp_path / "clean" / "output"
    build(content, clean)
    files, folders = snapshot(output)
    clean_files, clean_folders = snapshot(clean)
    assert {name: digest for name, (digest, _) in files.items()} == \
           {name: digest for name, (digest, _) in clean_files.items()}
    assert folders == clean_folders  # no folder left empty by the sweep
    assert "stale.html" not in files and "old" not in folders

    # A page with the published bytes keeps the published time; any other page has a new one.
    same = [name for name in files if name in published and published[name][0] == files[name][0]]
    changed = [name for name in files if name not in published or published[name][0] != files[name][0]]
    assert same and changed
    pages = [name for name in same if name.endswith((".html", ".xml")) and name != "sitemap.xml"]
    assert len(pages) > 10
    assert [name for name in pages if files[name][1] != published[name][1]] == []
    assert [name for name in changed if name in published and files[name][1] == published[name][1]] == []

    # The recycling leaves nothing that makes the next build think the site changed.
    assert "已是最新" in build(content, output)


def test_the_sweep_removes_only_what_this_build_did_not_write(tmp_path):
    staging, cache = tmp_path / "staging", tmp_path / "cache"
    cache.mkdir()
    (staging / "kept" / "old").mkdir(parents=True)
    (staging / "gone" / "deeper").mkdir(parents=True)
    (staging / "kept" / "old" / "page.html").write_text("old", encoding="utf-8")
    (staging / "kept" / "rewritten.html").write_text("old", encoding="utf-8")
    (staging / "kept" / "restamped.html").write_text("same", encoding="utf-8")
    (staging / "gone" / "deeper" / "page.html").write_text("old", encoding="utf-8")
    os.symlink(staging / "kept", staging / "old-link")
    time.sleep(0.05)
    since = staging_folders.build_mark(cache)
    (staging / "kept" / "rewritten.html").write_text("new", encoding="utf-8")
    os.utime(staging / "kept" / "restamped.html", ns=(0, 0))  # a kept page given the published time
    (staging / "new" / "empty").mkdir(parents=True)  # made by this build: stays, as in a clean build
    (staging / "new" / "page.html").write_text("new", encoding="utf-8")
    time.sleep(0.05)
    until = staging_folders.build_mark(cache)
    # A ctime after the build's end: the file was made while the clock ran ahead, not by this build.
    time.sleep(0.05)
    (staging / "kept" / "from-the-future.html").write_text("old", encoding="utf-8")

    pages = {}
    assert staging_folders.sweep(staging, since, until, pages) == 4
    left = sorted(str(p.relative_to(staging)) for p in staging.rglob("*"))
    assert left == ["kept", "kept/restamped.html", "kept/rewritten.html", "new", "new/empty", "new/page.html"]
    # What stays is the search index's listing of the site, with each page's stat: the
    # index then finds the same pages as by walking the site itself.
    assert sorted(pages) == ["kept/restamped.html", "kept/rewritten.html", "new/page.html"]
    assert all(pages[name].st_ino == os.stat(staging / name).st_ino for name in pages)
    assert searchindex.listed_pages(pages) == searchindex.article_pages(staging)


def test_the_search_index_lists_a_swept_site_as_it_walks_it(tmp_path):
    """The pages the sweep leaves (with their stats) are what the search index would find
    and how it would read them: same pages, same order, same digests and facts, with the
    writer's manifest trusted or not, a page rewritten since, a link, the bundle left out."""
    site, cache = tmp_path / "site", tmp_path / "cache"
    cache.mkdir()
    since = staging_folders.build_mark(cache)
    bodies = {"2024/03/12/a/index.html": "甲", "2024/03/13/b/index.html": "乙", "index.html": "首页",
              "2024/03/14/c/index.html": "丙", "pagefind/x.html": "不算", "about/index.html": None}
    for name, text in bodies.items():
        page = site / name
        page.parent.mkdir(parents=True, exist_ok=True)
        body = "<p>无索引</p>" if text is None else (
            f'<main data-pagefind-body><h1 data-pagefind-sort="date:20240312">{text}</h1></main>')
        page.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    os.symlink(site / "index.html", site / "link.html")
    known = {}
    for name in ("2024/03/12/a/index.html", "index.html"):  # the writer's manifest of two pages
        data, st = (site / name).read_bytes(), os.stat(site / name)
        known[name] = [st.st_ino, st.st_ctime_ns, st.st_mtime_ns, st.st_size, "recorded-digest",
                       searchindex.page_facts(data)]
    until = staging_folders.build_mark(cache)
    pages = {}
    assert staging_folders.sweep(site, since, until, pages) == 0
    walked = searchindex.indexed_pages(site, "pagefind", known)
    assert [page.relative.as_posix() for page in walked][:2] == ["2024/03/12/a/index.html", "2024/03/13/b/index.html"]
    assert any(page.digest == "recorded-digest" for page in walked)  # the manifest was trusted
    assert searchindex.indexed_pages(site, "pagefind", known, listed=pages) == walked


def test_a_page_saved_into_a_recycled_folder_gets_the_right_time(tmp_path):
    staging, published = tmp_path / "staging", tmp_path / "output"
    for site in (staging, published):
        (site / "a").mkdir(parents=True)
    # Equal to the published copy: the published copy's time, written or not.
    (published / "a" / "same.html").write_bytes(b"same")
    os.utime(published / "a" / "same.html", ns=(1_000_000_000, 1_000_000_000))
    (staging / "a" / "same.html").write_bytes(b"same")
    assert save_staged(str(staging / "a" / "same.html"), b"same", str(staging), str(published)) is False
    assert (staging / "a" / "same.html").stat().st_mtime_ns == 1_000_000_000

    # Unchanged since the recycled site but not equal to the published one: a new time.
    (published / "a" / "changed.html").write_bytes(b"published")
    (staging / "a" / "changed.html").write_bytes(b"recycled")
    os.utime(published / "a" / "changed.html", ns=(2_000_000_000, 2_000_000_000))
    os.utime(staging / "a" / "changed.html", ns=(2_000_000_000, 2_000_000_000))
    before = time.time_ns()
    assert save_staged(str(staging / "a" / "changed.html"), b"recycled", str(staging), str(published)) is True
    assert (staging / "a" / "changed.html").stat().st_mtime_ns >= before - 10_000_000

    # A recycled folder where this build has a page: replaced by the page.
    (staging / "a" / "was-a-folder.html").mkdir()
    (staging / "a" / "was-a-folder.html" / "x").write_bytes(b"x")
    assert save_staged(str(staging / "a" / "was-a-folder.html"), b"page", str(staging), str(published)) is True
    assert (staging / "a" / "was-a-folder.html").read_bytes() == b"page"


def build_in(copy, content, output):
    environment = plain_build_environment()
    result = subprocess.run([sys.executable, "-m", "newsroom", "build", "--content", str(content), "--output",
                             str(output)], cwd=copy, capture_output=True, text=True, encoding="utf-8",
                            timeout=300, env=environment)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def same_as_a_clean_build(copy, content, output, tmp_path):
    clean = tmp_path / "clean" / "output"
    build_in(copy, content, clean)
    return {k: v for k, (v, _) in snapshot(output)[0].items()} == {k: v for k, (v, _) in snapshot(clean)[0].items()}


def test_static_files_survive_links_turned_off_and_a_folder_become_a_file(tmp_path):
    copy, content, output = copy_project(tmp_path), tmp_path / "content", tmp_path / "output"
    write_article(content, "2024/03/good.md", FIXTURE)
    # Static files are published only when their bytes are what the suffix says
    # (newsroom/paper/content_tree.py): the signatures, then anything.
    (content / "images" / "logo.gif").mkdir(parents=True)
    (content / "images" / "photo.jpg").write_bytes(b"\xff\xd8\xff a photo")
    (content / "images" / "logo.gif" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n a logo")
    settings = copy / "pelicanconf.py"
    plain = settings.read_text(encoding="utf-8")
    settings.write_text(plain + "\nSTATIC_CREATE_LINKS = True\n", encoding="utf-8")
    build_in(copy, content, output)
    (content / "images" / "photo2.jpg").write_bytes(b"\xff\xd8\xff another")
    build_in(copy, content, output)  # the first site, with links to the sources, is now kept
    assert (output / "images" / "photo.jpg").stat().st_nlink > 1

    settings.write_text(plain, encoding="utf-8")  # links off: the kept site still holds them
    build_in(copy, content, output)
    build_in(copy, content, output)
    assert (output / "images" / "photo.jpg").read_bytes() == b"\xff\xd8\xff a photo"
    assert same_as_a_clean_build(copy, content, output, tmp_path / "one")

    # A static folder becomes a file of that name: the kept sites hold the folder.
    (content / "images" / "logo.gif" / "a.png").unlink()
    (content / "images" / "logo.gif").rmdir()
    (content / "images" / "logo.gif").write_bytes(b"GIF89a now a file")
    build_in(copy, content, output)
    build_in(copy, content, output)
    assert (output / "images" / "logo.gif").read_bytes() == b"GIF89a now a file"
    assert same_as_a_clean_build(copy, content, output, tmp_path / "two")
