"""``make publish`` (``python -m newsroom build --publish``): checks first, builds nothing on an error.

Also: drafts (``Status: draft``) never reach the published output, its feeds or sitemap.
"""

import fcntl
import hashlib
import json
import marshal
import os
import subprocess
import sys
import time

import pytest

from newsroom.build import marshal_file, versions
from newsroom.desk import check_cache

from cache_damage import damaged_versions
from newsroom.text.slugs import slugify_headline
from sitebuild import ROOT, copy_project, plain_build_environment, soup, write_article

FIXTURES = ROOT / "tests" / "fixtures" / "check"
DRAFT_TITLE = "东城区职工书屋草稿稿件"
GOOD_TITLE = "朝阳区职工书屋新添三千册图书"


def publish(content, output):
    """What ``make publish`` runs, on a private content tree and output folder."""
    return subprocess.run(
        [sys.executable, "-m", "newsroom", "build", "--publish", "--content", str(content), "--output", str(output)],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=300,
    )


def snapshot(folder):
    """Every file under ``folder`` with the hash of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A good tree (one article, one draft) published once: ``(content, output, result)``."""
    tmp = tmp_path_factory.mktemp("publish")
    content = tmp / "content"
    write_article(content, "2024/03/good.md", (FIXTURES / "good.md").read_text(encoding="utf-8"))
    draft = (FIXTURES / "draft.md").read_text(encoding="utf-8").replace(f"Title: {GOOD_TITLE}",
                                                                        f"Title: {DRAFT_TITLE}")
    write_article(content, "2024/03/draft.md", draft)
    output = tmp / "output"
    return content, output, publish(content, output)


def test_a_good_tree_publishes(published):
    _, output, result = published
    assert result.returncode == 0, result.stdout + result.stderr
    assert "newsroom check：检查了 2 个文件，0 个错误" in result.stdout
    page = output / "2024" / "03" / "12" / slugify_headline(GOOD_TITLE) / "index.html"
    assert soup(page).select_one("h1.headline").get_text() == GOOD_TITLE
    assert not versions.leftover_staging(output)


def test_drafts_reach_no_page_feed_or_sitemap(published):
    _, output, result = published
    assert result.returncode == 0
    assert not (output / "2024" / "03" / "12" / slugify_headline(DRAFT_TITLE)).exists()
    assert not (output / "drafts").exists()
    feed = (output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert GOOD_TITLE in feed and DRAFT_TITLE not in feed
    assert slugify_headline(GOOD_TITLE) in sitemap and slugify_headline(DRAFT_TITLE) not in sitemap
    leaks = [str(p.relative_to(output)) for p in output.rglob("*")
             if p.is_file() and p.suffix in {".html", ".xml", ".json"}
             and DRAFT_TITLE in p.read_text(encoding="utf-8")]
    assert leaks == []


@pytest.mark.parametrize("bad", ["script_tag.md", "gbk.md", "unknown_district.md"])
def test_one_bad_article_stops_publishing_and_leaves_the_output_untouched(published, tmp_path, bad):
    content, output, first = published
    assert first.returncode == 0
    before = snapshot(output)
    assert before
    tree = tmp_path / "content"
    for path in content.rglob("*.md"):
        write_article(tree, str(path.relative_to(content)), path.read_text(encoding="utf-8"))
    # The bad article under another headline, so that its one problem is the only one.
    data = (FIXTURES / bad).read_bytes().replace(GOOD_TITLE.encode(), "朝阳区职工书屋迎来新读者".encode())
    target = tree / "2024" / "03" / bad
    target.write_bytes(data)

    result = publish(tree, output)
    assert result.returncode != 0
    assert f"{target}:" in result.stdout  # the check names the file (and line)
    assert "什么都没有生成，也没有发布" in result.stderr
    assert snapshot(output) == before
    assert not versions.leftover_staging(output)


# --- the up-to-date fast path: `newsroom build` skips Pelican when nothing changed ---------

EDIT = "区总工会还将为职工书屋增设夜间借阅服务。"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A private copy of what a build reads from the repository (settings, theme, plugins,
    the newsroom package), so that a test may change a template without touching the tree
    others work in; ``newsroom build`` is run from it. ``(copy, content, output)``."""
    tmp = tmp_path_factory.mktemp("uptodate")
    copy = copy_project(tmp)
    content = tmp / "content"
    write_article(content, "2024/03/good.md", (FIXTURES / "good.md").read_text(encoding="utf-8"))
    return copy, content, tmp / "output"


def build(project, *options, env=None):
    copy, content, output = project
    environment = plain_build_environment()
    result = subprocess.run(
        [sys.executable, "-m", "newsroom", "build", "--content", str(content), "--output", str(output), *options],
        cwd=copy, capture_output=True, text=True, encoding="utf-8", timeout=300, env={**environment, **(env or {})})
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def built(stdout):
    """True when Pelican ran (the site was written), False when it was skipped as up to date."""
    assert ("已是最新" in stdout) != ("网站已生成到" in stdout), stdout
    return "网站已生成到" in stdout


def stat_snapshot(folder):
    """Every output file with its bytes' hash, modification time and inode: 'untouched' means all three."""
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns,
                                         p.stat().st_ino)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def good_page(output):
    return output / "2024" / "03" / "12" / slugify_headline(GOOD_TITLE) / "index.html"


def up_to_date(project):
    """Build until the site is up to date (a first build, or one after another test's change)."""
    build(project)
    assert not built(build(project))


def test_nothing_changed_skips_pelican_and_leaves_the_output_untouched(project):
    _, _, output = project
    up_to_date(project)
    before = stat_snapshot(output)
    stdout = build(project)
    assert not built(stdout)
    assert "newsroom check：检查了 1 个文件，0 个错误" in stdout  # editors still see the check
    assert stat_snapshot(output) == before
    assert not versions.leftover_staging(output)


def test_a_damaged_or_old_build_stamp_is_no_stamp_and_the_site_is_built_again(project):
    """The up-to-date stamp is framed by its SHA-256 (newsroom.build.marshal_file): one with
    a byte changed, cut short or of the format before the digest is no stamp: the site is
    built (and recorded afresh), and the scheduler knows no last build. Read regardless, a
    changed byte of the kept check report was printed to editors as this build's report,
    with Pelican skipped; one in the window's end would keep a site current past it."""
    from newsroom.desk.schedule import last_built_for

    _, _, output = project
    up_to_date(project)
    stamp = output.with_name("output.cache") / "newsroom-build-stamp"
    for how, raw in damaged_versions(stamp.read_bytes(), "检查了 1".encode()).items():
        stamp.write_bytes(raw)
        assert last_built_for(output) is None, how
        stdout = build(project)
        assert built(stdout), how
        assert "newsroom check：检查了 1 个文件，0 个错误" in stdout, how
        assert GOOD_TITLE in good_page(output).read_text(encoding="utf-8")
    assert last_built_for(output) is not None
    assert not built(build(project))  # recorded afresh


def test_an_edited_article_is_rebuilt(project):
    _, content, output = project
    up_to_date(project)
    article = content / "2024" / "03" / "good.md"
    article.write_text(article.read_text(encoding="utf-8") + f"\n{EDIT}\n", encoding="utf-8")
    assert built(build(project))
    assert EDIT in good_page(output).read_text(encoding="utf-8")
    assert not built(build(project))


def test_a_deleted_output_file_is_rebuilt(project):
    _, _, output = project
    up_to_date(project)
    page = good_page(output)
    expected = page.read_bytes()
    page.unlink()
    assert built(build(project))
    assert page.read_bytes() == expected


def test_an_output_file_changed_by_hand_is_rebuilt(project):
    _, _, output = project
    up_to_date(project)
    page = good_page(output)
    expected = page.read_bytes()
    stamp = page.stat()
    page.write_bytes(expected.replace("朝阳".encode(), "海淀".encode()))
    os.utime(page, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # same mtime, same size: the ctime tells
    assert built(build(project))
    assert page.read_bytes() == expected


def test_a_changed_theme_template_is_rebuilt(project):
    copy, _, output = project
    up_to_date(project)
    template = copy / "theme" / "templates" / "partials" / "footer.html"
    text = template.read_text(encoding="utf-8")
    assert text.count("</footer>") == 1
    template.write_text(text.replace("</footer>", "<p>版式已更新</p></footer>"), encoding="utf-8")
    assert built(build(project))
    assert "版式已更新" in good_page(output).read_text(encoding="utf-8")


def test_changed_code_is_rebuilt(project):
    copy, _, _ = project
    up_to_date(project)
    module = copy / "newsroom" / "text" / "summary.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# a comment is a change too\n", encoding="utf-8")
    assert built(build(project))


def test_publish_after_a_plain_build_and_a_new_address_are_rebuilt(project):
    _, _, output = project
    up_to_date(project)
    address = {"NEWSROOM_SITEURL": "https://gonghui.example.cn"}
    assert built(build(project, "--publish", env=address))
    assert not built(build(project, "--publish", env=address))
    assert "https://gonghui.example.cn/" in (output / "index.html").read_text(encoding="utf-8")
    assert built(build(project, "--publish", env={"NEWSROOM_SITEURL": "https://news.example.cn"}))
    assert "https://news.example.cn/" in (output / "index.html").read_text(encoding="utf-8")
    assert built(build(project))  # and back to a plain build


def test_force_builds_and_gives_the_same_bytes(project):
    """Nothing in the output depends on the clock (else skipping would keep stale bytes)."""
    _, _, output = project
    up_to_date(project)
    before = {name: digest for name, (digest, _, _) in stat_snapshot(output).items()}
    assert built(build(project, "--force"))
    assert {name: digest for name, (digest, _, _) in stat_snapshot(output).items()} == before


def test_a_rebuild_keeps_the_modification_time_of_every_page_it_did_not_change(project):
    """Pages are written into a fresh staging folder, yet a page with the bytes of the
    published one keeps its modification time (rsync's quick check then skips it), and
    an edited page gets a new one."""
    _, content, output = project
    up_to_date(project)
    before = stat_snapshot(output)
    time.sleep(0.05)  # a rewritten file would get another mtime
    assert built(build(project, "--force"))
    after = stat_snapshot(output)
    assert after.keys() == before.keys()
    # Pages and feeds; sitemap.xml is written by site_extras itself at the end, always anew.
    pages = [name for name in after if name.endswith((".html", ".xml")) and name != "sitemap.xml"]
    assert len(pages) > 20
    moved = [name for name in pages if after[name][1] != before[name][1]]
    assert moved == [], f"unchanged pages got a new modification time: {moved}"
    assert all(after[name][2] != before[name][2] for name in pages)  # new files, not the old ones

    article = content / "2024" / "03" / "good.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n又补充了一句。\n", encoding="utf-8")
    assert built(build(project))
    page = str(good_page(output).relative_to(output))
    assert stat_snapshot(output)[page][1] != after[page][1]


def test_the_cached_check_reports_what_newsroom_check_reports(project, tmp_path):
    """Per-file results kept by content hash, the URL clash check on the whole tree."""
    copy, content, _ = project
    tree = tmp_path / "content"
    write_article(tree, "2024/03/good.md", (FIXTURES / "good.md").read_text(encoding="utf-8"))
    for name in ("long_headline.md", "unknown_topic.md", "no_byline.md"):
        write_article(tree, f"2024/03/{name}", (FIXTURES / name).read_text(encoding="utf-8"))
    write_article(tree, "2024/03/again.md", (FIXTURES / "good.md").read_text(encoding="utf-8"))  # one URL twice

    def check_output(*command):
        return subprocess.run([sys.executable, *command], cwd=copy, capture_output=True, text=True,
                              encoding="utf-8", timeout=120).stdout

    expected = check_output("-m", "newsroom", "check", str(tree))
    assert "网址 /2024/03/12/" in expected and "提示：" in expected
    script = ("import sys; from pathlib import Path; from newsroom.desk.commands import build_cmd; "
              "from newsroom.build import uptodate; c = Path(sys.argv[1]); "
              "i = uptodate.fingerprint_inputs(uptodate.input_groups(c, []), {}); "
              "build_cmd.run_checks(c, Path(sys.argv[2]), i)")
    cache = tmp_path / "cache"
    first = check_output("-c", script, str(tree), str(cache))
    second = check_output("-c", script, str(tree), str(cache))  # every result from the cache
    assert first == second == expected
    (tree / "2024" / "03" / "again.md").unlink()
    assert check_output("-c", script, str(tree), str(cache)) == check_output("-m", "newsroom", "check", str(tree))


def test_a_large_cold_check_on_both_cores_reports_what_newsroom_check_reports(tmp_path):
    """Over ``check_cache.PARALLEL_MIN`` files to check afresh: they are checked in forked
    workers, and the problems are still exactly those of the plain check."""
    from bench.generate import generate_catalogue
    from newsroom.desk import check_cache, checks

    tree = tmp_path / "content"
    generate_catalogue(check_cache.PARALLEL_MIN + 40, tree)
    for name in ("long_headline.md", "unknown_topic.md", "no_byline.md"):
        write_article(tree, f"2024/03/{name}", (FIXTURES / name).read_text(encoding="utf-8"))
    expected, _ = checks.check_paths([tree])
    assert expected, "the fixtures must give problems to compare"
    problems, files, fresh, _ = check_cache.check_content(tree, tmp_path / "cache", "code")
    assert fresh == files > check_cache.PARALLEL_MIN
    assert problems == sorted(set(expected))
    again, _, fresh, _ = check_cache.check_content(tree, tmp_path / "cache", "code")
    assert (again, fresh) == (problems, 0)


def test_the_check_cache_gives_back_what_it_kept_and_a_damaged_file_is_checked_afresh(tmp_path):
    tree, cache = tmp_path / "content", tmp_path / "cache"
    for name in ("good.md", "long_headline.md", "no_byline.md"):
        write_article(tree, f"2024/03/{name}", (FIXTURES / name).read_text(encoding="utf-8"))
    (cache).mkdir()
    (cache / "check-cache.json").write_text("{}", encoding="utf-8")  # an older build's file
    from newsroom import messages

    cold = check_cache.check_content(tree, cache, "code")
    assert cold[0] and cold[2] == 3
    assert not (cache / "check-cache.json").exists()
    assert check_cache.check_content(tree, cache, "code") == (*cold[:2], 0, cold[3])  # facts too
    kept = (cache / check_cache.FILE_NAME).read_bytes()
    flipped = bytearray(kept)
    flipped[len(kept) // 2] ^= 0xFF  # one damaged byte inside the entries
    entries_not_a_dict = marshal_file.dumps({"format": check_cache.FORMAT, "code": f"code {messages.language()}",
                                             "files": ["x"]})
    for damaged in (b"{not marshal", marshal.dumps(["format"]), entries_not_a_dict, b"",
                    bytes(flipped), kept[:-7], kept[32:]):
        (cache / check_cache.FILE_NAME).write_bytes(damaged)
        assert check_cache.check_content(tree, cache, "code") == cold


def test_the_check_cache_lists_the_files_newsroom_check_lists(tmp_path):
    from newsroom.desk.check_cache import markdown_files
    from newsroom.desk.checks import content_files

    tree = tmp_path / "content"
    for name in ("2024/03/a.md", "2024/03/B.MD", "2024/03/.#a.md", "2024/03/notes.txt", "2024/03/.md",
                 "pages/about.md", "2024/pages/x.markdown", "images/pages.md"):
        write_article(tree, name, "Title: 标题\n\n正文\n")
    assert markdown_files(tree) == content_files([tree])
    (tree / "linked").symlink_to(tree / "2024")  # links: content_files' own listing
    assert markdown_files(tree) == content_files([tree])


# --- builds that must not be recorded as up to date; publishing and the check cache; the lock

EDIT_MIDWAY = "区总工会还将开设周末亲子阅读课。"
# Runs `newsroom build ARGS` from the project copy with Pelican's run wrapped (a test
# hook): "saved-and-reverted" saves the article with EDIT_MIDWAY while Pelican runs and
# saves its old bytes back afterwards; "template-rewritten" writes a template's own bytes
# again while Pelican runs (as a checkout or `npm ci` rewrites files it does not change);
# "no-stats" removes fastbuild's stats after it; "trust-at-once" (with a comma after another
# mode, or alone) trusts a file's recorded hash by its stat however recently it changed
# (uptodate.RACY_NS = 0), so that a file saved a moment ago is stamped with the build's hash.
DRIVER = """
import subprocess, sys, time, types
from pathlib import Path
from newsroom.build import uptodate
from newsroom.desk import cli
from newsroom.desk.commands import build_cmd

modes, article, cache, edit = sys.argv[1].split(","), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
mode = modes[0]
if "trust-at-once" in modes:
    uptodate.RACY_NS = 0
original = article.read_bytes()
started = cache / "pelican-started"
started.unlink(missing_ok=True)
if "check-waits-for-pelican" in modes:  # the check goes on only once the Pelican child has started
    checked = build_cmd._checked
    def waiting(*arguments):
        deadline = time.monotonic() + 120
        while not started.exists():
            if time.monotonic() > deadline:
                raise RuntimeError("the content check ran before the Pelican child, not beside it")
            time.sleep(0.05)
        return checked(*arguments)
    build_cmd._checked = waiting
# The Pelican child says a word and marks that it started, then runs as usual.
SAY = ("import pathlib, runpy, sys; print('PELICAN-SAYS', flush=True); "
       f"pathlib.Path({str(started)!r}).touch(); "
       "runpy.run_module('newsroom.build.pelican_run', run_name='__main__', alter_sys=True)")

run_pelican = build_cmd.run_pelican

def pelican(command, lock=None, **options):
    if "check-waits-for-pelican" in modes:
        command = [command[0], "-c", SAY, *command[3:]]
    if mode == "saved-and-reverted":
        article.write_bytes(original + edit.encode("utf-8"))
    if mode == "template-rewritten":
        template = Path("theme/templates/article.html")
        template.write_bytes(template.read_bytes())
    code = run_pelican(command, lock, **options)
    if mode == "saved-and-reverted":
        article.write_bytes(original)
    if mode == "no-stats":
        for stats in cache.rglob("fastbuild-stats.json"):
            stats.unlink()
    return code

build_cmd.run_pelican = pelican
sys.exit(cli.main(sys.argv[5:]))
"""


def clean_environment():
    return plain_build_environment()


def build_with_hook(project, mode, force=True):
    copy, content, output = project
    article = content / "2024" / "03" / "good.md"
    result = subprocess.run(
        [sys.executable, "-c", DRIVER, mode, str(article), str(output.with_name("output.cache")), f"\n{EDIT_MIDWAY}\n",
         "build", *(["--force"] if force else []), "--content", str(content), "--output", str(output)],
        cwd=copy, capture_output=True, text=True, encoding="utf-8", timeout=300, env=clean_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    if force:
        assert built(result.stdout)
    return result


def test_an_article_saved_during_the_build_and_saved_back_is_built_again(project):
    _, content, output = project
    article = content / "2024" / "03" / "good.md"
    before = article.read_bytes()
    result = build_with_hook(project, "saved-and-reverted")
    assert article.read_bytes() == before
    # Pelican read the text saved midway; the article now has its old bytes again.
    assert EDIT_MIDWAY in good_page(output).read_text(encoding="utf-8")
    # The warning names the file, so that whoever changed it during the build can be found.
    assert f"生成期间有文件被改动：{article}；这次生成不记为最新" in result.stderr
    assert built(build(project))
    assert EDIT_MIDWAY not in good_page(output).read_text(encoding="utf-8")
    assert not built(build(project))


def test_an_article_saved_during_the_build_and_saved_back_is_built_again_when_its_stat_is_trusted(project):
    """The same, with the article's hash trusted by its stat (as it is for every file not
    changed within seconds of a build): Pelican's content cache is then stamped with
    newsroom build's hash (NEWSROOM_CONTENT_STAMPS), which holds only while the file keeps
    the stat it was hashed at. Stamped regardless, the text read midway was filed under the
    old bytes' hash, and the next build took it from the cache."""
    _, content, output = project
    article = content / "2024" / "03" / "good.md"
    before = article.read_bytes()
    build_with_hook(project, "trust-at-once")  # the cache's stamp of the article: the build's hash
    stamps = marshal_file.loads((output.with_name("output.cache") / "content-stamps.marshal").read_bytes())
    assert str(article) in stamps, "the article's hash was not handed to Pelican"
    build_with_hook(project, "saved-and-reverted,trust-at-once")
    assert article.read_bytes() == before
    assert EDIT_MIDWAY in good_page(output).read_text(encoding="utf-8")
    assert built(build_with_hook(project, "trust-at-once", force=False).stdout)
    assert EDIT_MIDWAY not in good_page(output).read_text(encoding="utf-8")


def test_after_a_small_change_the_check_runs_beside_pelican_and_its_report_comes_first(project):
    """A build after a few content files changed checks them beside the Pelican child (on the
    other core), not before it: here the check waits until the child has started (the old
    order times out). Pelican's output is held until the report is out, so editors read
    the report first, as before."""
    up_to_date(project)  # recorded: only what changes next is hashed and checked afresh
    result = build_with_hook(project, "check-waits-for-pelican")
    assert "newsroom check：" in result.stdout and "PELICAN-SAYS" in result.stdout, result.stdout + result.stderr
    assert result.stdout.index("newsroom check：") < result.stdout.index("PELICAN-SAYS"), result.stdout
    assert not built(build(project))  # and the build was recorded as up to date


def test_an_input_rewritten_with_its_own_bytes_during_the_build_is_named_and_built_again(project):
    """What kept the 20,000-article benchmark's 'nothing changed' step from being skipped:
    its tree shared node_modules with a worktree where `make` ran `npm ci` during the
    hour-long cold build, so the viewer's package.json got a new change time (same bytes),
    the build was rightly not recorded, and nobody could tell why."""
    up_to_date(project)
    result = build_with_hook(project, "template-rewritten")
    assert "生成期间有文件被改动：theme/templates/article.html；这次生成不记为最新" in result.stderr
    assert built(build(project))
    assert not built(build(project))


def test_a_build_without_fastbuild_stats_is_not_recorded(project):
    result = build_with_hook(project, "no-stats")
    assert "fastbuild wrote no" in result.stderr and "这次生成不记为最新" in result.stderr
    assert built(build(project))


def test_a_build_scoped_by_the_preview_setting_is_never_recorded(project):
    """FASTBUILD_PREVIEW as a setting (not in the environment): what is built depends on
    the clock, so every build runs."""
    copy, _, output = project
    settings = copy / "pelicanconf.py"
    text = settings.read_text(encoding="utf-8")
    try:
        settings.write_text(text + "\nFASTBUILD_PREVIEW = True\n", encoding="utf-8")
        assert built(build(project))
        assert (output.with_name("output.cache") / "preview" / "fastbuild-stats.json").exists()  # it was scoped
        assert built(build(project))
    finally:
        settings.write_text(text, encoding="utf-8")


def test_publishing_checks_every_file_afresh_and_a_malformed_cache_entry_is_a_miss(project, tmp_path):
    copy = project[0]
    tree, output = tmp_path / "content", tmp_path / "output"
    cache_file = tmp_path / "output.cache" / check_cache.FILE_NAME
    write_article(tree, "2024/03/good.md", (FIXTURES / "good.md").read_text(encoding="utf-8"))

    def run_in_copy(*command):
        return subprocess.run([sys.executable, *command], cwd=copy, capture_output=True, text=True,
                              encoding="utf-8", timeout=120, env=clean_environment())

    # The check of a plain build of this tree into this output, with its cache.
    script = ("import sys; from pathlib import Path; from newsroom.desk.commands import build_cmd; "
              "from newsroom.build import uptodate; c, o = Path(sys.argv[1]), Path(sys.argv[2]); "
              "i = uptodate.fingerprint_inputs(*build_cmd.build_inputs(c, o, False)); "
              "build_cmd.run_checks(c, o.with_name(o.name + '.cache'), i)")
    assert "检查了 1 个文件，0 个错误" in run_in_copy("-c", script, str(tree), str(output)).stdout
    # A bad article, recorded in the cache as clean under the hash of its bytes.
    bad = tree / "2024" / "03" / "script_tag.md"
    bad.write_bytes((FIXTURES / "script_tag.md").read_bytes().replace(GOOD_TITLE.encode(),
                                                                       "朝阳区职工书屋迎来新读者".encode()))
    data = marshal_file.loads(cache_file.read_bytes())  # its SHA-256, then the entries
    data["files"]["2024/03/script_tag.md"] = {"sha": hashlib.sha256(bad.read_bytes()).hexdigest(),
                                              "page": False, "facts": None, "problems": []}
    cache_file.write_bytes(marshal_file.dumps(data))
    assert "检查了 2 个文件，0 个错误" in run_in_copy("-c", script, str(tree), str(output)).stdout  # trusted here

    result = run_in_copy("-m", "newsroom", "build", "--publish", "--content", str(tree), "--output", str(output))
    assert result.returncode == 1
    assert f"{bad}:" in result.stdout and "什么都没有生成，也没有发布" in result.stderr
    assert not output.exists()

    # Entries not in the form the cache writes are checked afresh, not a crash.
    data["files"] = {"2024/03/good.md": {"page": False, "problems": []}, "2024/03/script_tag.md": ["x"]}
    cache_file.write_bytes(marshal_file.dumps(data))
    expected = run_in_copy("-m", "newsroom", "check", str(tree)).stdout
    assert f"{bad}:" in expected
    checked = run_in_copy("-c", script, str(tree), str(output))
    assert checked.stdout == expected, checked.stderr


def test_a_second_build_of_the_same_output_is_refused_while_one_runs(project):
    copy, content, output = project
    up_to_date(project)
    before = stat_snapshot(output)
    with open(output.with_name("output.cache") / ".build.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # what a running build holds
        result = subprocess.run(
            [sys.executable, "-m", "newsroom", "build", "--force", "--content", str(content), "--output", str(output)],
            cwd=copy, capture_output=True, text=True, encoding="utf-8", timeout=120, env=clean_environment())
    assert result.returncode == 1
    assert result.stderr.strip() == f"newsroom build：另一个生成过程正在写 {output}；等它结束，或者停掉它，再生成一次"
    assert stat_snapshot(output) == before
    assert not built(build(project))  # the lock is released with its holder


def test_the_search_index_is_built_after_pelican_and_the_old_site_is_kept_for_recycling(project):
    """``newsroom build`` builds the search index itself once Pelican has exited (the
    search plugin only describes it) and keeps the replaced site, without its search
    bundle, as the next build's staging folder."""
    copy, content, output = project
    up_to_date(project)
    cache = output.with_name("output.cache")
    article = content / "2024" / "03" / "good.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n再补一句，检验搜索索引。\n", encoding="utf-8")
    assert built(build(project))
    manifest = json.loads((output / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    assert manifest["pages"] == 1
    shard = manifest["shards"][0]["path"]
    assert any((output / "pagefind" / shard / "fragment").iterdir())
    assert not (cache / "search-job.json").exists()
    assert not versions.leftover_staging(output)
    # The replaced site is kept whole (search bundle too) as the previous version, for
    # rollback; after the next build it is the spare the build after recycles, without
    # its search bundle.
    previous = versions.sites_folder(output) / versions.previous(output)
    assert (previous / "index.html").is_file() and (previous / "pagefind").is_dir()
    article.write_text(article.read_text(encoding="utf-8") + "\n又补一句。\n", encoding="utf-8")
    assert built(build(project))
    assert versions.spares(output)[-1] == previous.name
    assert (previous / "index.html").is_file() and not (previous / "pagefind").exists()
    deadline = time.monotonic() + 60
    while (cache / "trash").is_dir() and any((cache / "trash").iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not (cache / "trash").is_dir() or not any((cache / "trash").iterdir()), "a discarded folder stayed"
    assert not built(build(project))


def test_a_search_index_that_cannot_be_built_fails_the_build(tmp_path, capsys):
    from newsroom.desk.commands import build_cmd

    job = tmp_path / "search-job.json"
    job.write_text(json.dumps({"version": 0}), encoding="utf-8")
    assert build_cmd.build_search_index(job) == 1
    assert "newsroom build：建立站内搜索的索引时出错：searchindex:" in capsys.readouterr().err
    assert not job.exists()
    assert build_cmd.build_search_index(job) == 0  # no job: the search plugin indexed, or was off


def test_the_replaced_sites_linked_search_files_are_unlinked_before_the_stamp(tmp_path, monkeypatch):
    """The versions of the site hard-link the same cached search files; a version set
    aside (neither current nor previous) loses its links at once (a removed link changes
    the shared file's ctime, which the stamp records), the newest one is kept as the
    next build's spare and older ones are discarded in the background."""
    from newsroom.build import staging as staging_folders

    started = []
    monkeypatch.setattr(staging_folders, "delete_detached", started.append)
    cache, output = tmp_path / "output.cache", tmp_path / "output"
    shared = cache / "search-shards" / "2024" / "index.pf"
    shared.parent.mkdir(parents=True)
    shared.write_bytes(b"index")
    for name in ("first", "second", "third"):
        staging = versions.staging_folder(output)
        (staging / "pagefind").mkdir(parents=True)
        os.link(shared, staging / "pagefind" / "index.pf")
        (staging / "index.html").write_text(name, encoding="utf-8")
        staging_folders.go_live(staging, output, cache, ["pagefind"])
    assert (output / "index.html").read_text(encoding="utf-8") == "third"
    assert shared.stat().st_nlink == 3  # the cache's, the current and the previous version's
    spare = versions.sites_folder(output) / versions.spares(output)[-1]
    assert (spare / "index.html").read_text(encoding="utf-8") == "first" and not (spare / "pagefind").exists()
    assert started == []
    staging = versions.staging_folder(output)
    staging.mkdir()
    (staging / "index.html").write_text("fourth", encoding="utf-8")
    staging_folders.go_live(staging, output, cache, ["pagefind"])
    assert shared.stat().st_nlink == 2  # the third is now the previous version; the second a spare
    assert len(started) == 1 and not spare.exists()  # the first, discarded in the background


def test_an_error_logged_while_indexing_fails_the_build(tmp_path, monkeypatch, capsys):
    import logging

    from newsroom.build import searchindex
    from newsroom.desk.commands import build_cmd

    def run_job(path, listed=None):
        logging.getLogger("newsroom.build.searchindex").error("searchindex: something went wrong")
        return 3

    monkeypatch.setattr(searchindex, "run_job", run_job)
    job = tmp_path / "search-job.json"
    job.write_text("{}", encoding="utf-8")
    assert build_cmd.build_search_index(job) == 1
    assert "建立站内搜索的索引时出了 1 个错误" in capsys.readouterr().err


def test_a_build_names_the_article_addresses_it_no_longer_publishes(tmp_path):
    # A corrected headline in an article without Slug moves its address: links and
    # citations to the old one fail, so the build says which addresses are gone, even
    # when a failed build came in between.
    copy = copy_project(tmp_path)
    content, output = tmp_path / "content", tmp_path / "output"
    article = write_article(content, "2024/03/shuwu.md", "Title: 朝阳区职工书屋新添图书\nDate: 2024-03-12\n\n"
                            "本报讯（记者 林晓）近日，朝阳区职工书屋新添图书三千册。\n")
    kept = write_article(content, "2024/03/other.md", "Title: 海淀区职工书屋开放\nDate: 2024-03-12\nSlug: haidian-shuwu\n\n"
                         "本报讯（记者 林晓）近日，海淀区职工书屋开放。\n")

    def run(*options, code=0):
        result = subprocess.run([sys.executable, "-m", "newsroom", "build", "--content", str(content),
                                 "--output", str(output), *options], cwd=copy, capture_output=True, text=True,
                                encoding="utf-8", timeout=300)
        assert result.returncode == code, result.stdout + result.stderr
        return result.stderr

    assert "这次没有了" not in run()
    old = f"/2024/03/12/{slugify_headline('朝阳区职工书屋新添图书')}/"
    article.write_text(article.read_text(encoding="utf-8").replace("新添图书\n", "新添三千册图书\n", 1),
                       encoding="utf-8")
    kept.write_text(kept.read_text(encoding="utf-8").replace("District", "X"), encoding="utf-8")
    broken = write_article(content, "2024/03/broken.md", "Title: 坏稿\nDate: 2024-03-12\nDistrict: 火星区\n\n正文。\n")
    run(code=1)  # Pelican refuses the district: the build fails after the stamp was removed
    broken.unlink()
    err = run()
    assert f"上次发布的 1 篇稿件的网址这次没有了：{old}。" in err
    kept.write_text(kept.read_text(encoding="utf-8").replace("书屋开放\n", "书屋正式开放\n", 1), encoding="utf-8")
    assert "这次没有了" not in run()  # said once: the next build compares with this one
