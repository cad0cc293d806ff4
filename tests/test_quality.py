"""Quality gates on the built sample site (issue: valid HTML, accessibility, links, feeds, reproducible)."""

import filecmp
import subprocess
import sys
import time

import feedparser
from newsroom.paper.content import read_source
from sitebuild import ROOT, build_site
from sitecheck import a11y, feeds, html, links, security


def test_site_checks_pass_on_the_sample_site(sample_site):
    """`python -m sitecheck` (make check-site): links, feeds, CSP, vnu.jar, axe-core + keyboard."""
    output, _ = sample_site
    result = subprocess.run([sys.executable, "-m", "sitecheck", str(output)], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_main_feed_has_the_latest_articles(sample_site):
    output, _ = sample_site
    published = [read_source(p) for p in (ROOT / "content").rglob("*.md") if "pages" not in p.parts]
    published = [s for s in published if s.get("status") != "draft"]
    feed = feedparser.parse((output / "feeds" / "all.atom.xml").read_bytes())
    assert len(feed.entries) == min(50, len(published))


BAD_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>坏页面</title></head>
<body><main><img src="/missing.png"><p class="x" style="color:#eee;background:#fff">浅色文字</p>
<a href="https://cdn.example.com/lib.js">外链</a><a href="/index.html" tabindex="-1">跳不到的链接</a><script>alert(1)</script><div><p></span></div></main></body></html>"""


def test_the_checks_catch_a_bad_page(tmp_path, browser):
    (tmp_path / "index.html").write_text(BAD_PAGE, encoding="utf-8")
    assert any("dead link" in f.message for f in links.check(tmp_path))
    assert any("another host" in f.message for f in links.check(tmp_path))
    found = {f.message for f in security.check(tmp_path)}
    assert any("no Content-Security-Policy" in m for m in found)
    assert any("inline <script>" in m for m in found)
    assert html.check(tmp_path), "vnu.jar must report the stray </span>"
    found = a11y.check(tmp_path, pages=["/"], browser=browser)
    assert "image-alt" in " ".join(f.message for f in found)
    assert any(f.check == "keyboard" and "跳不到的链接" in f.message for f in found)


def test_the_one_pass_of_python_m_sitecheck_finds_what_links_and_security_find(tmp_path):
    """`python -m sitecheck` parses each page once for links and security (check_page): it
    must print every failure their own check() finds."""
    (tmp_path / "index.html").write_text(BAD_PAGE, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "index.html").write_text(BAD_PAGE.replace("<main>", '<main onclick="go()"><a href="../gone/">x</a>'),
                                                 encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "sitecheck", str(tmp_path), "--only", "links,security"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    expected = links.check(tmp_path) + security.check(tmp_path)
    assert len(expected) > 8 and {"links", "csp"} == {f.check for f in expected}
    printed = result.stdout.splitlines()
    for failure in expected:
        assert f"    [{failure.check}] {failure.message}" in printed, failure
    assert f"sitecheck: {len(expected)} problem(s) on 2 page(s)" in printed


LATE_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>后画的按钮</title></head>
<body><main><h1>后画的按钮</h1><a id="first" href="/">首页</a><span id="slot"></span><a href="/">最后的链接</a>
<script>
document.getElementById("first").addEventListener("focus", () => {
  const button = document.createElement("button");
  button.textContent = "后来画的";
  document.getElementById("slot").append(button);
}, {once: true});
</script></main></body></html>"""


def test_the_keyboard_walk_goes_past_an_element_a_script_drew_after_the_probe(tmp_path, browser):
    """On a loaded CI machine the search page drew its facet boxes after the probe had
    numbered the page; the walk took focus on them for the end of the cycle and reported
    everything after them unreachable."""
    (tmp_path / "index.html").write_text(LATE_PAGE, encoding="utf-8")
    assert a11y.check(tmp_path, pages=["/"], browser=browser) == []


ENDLESS_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>没完没了</title></head>
<body><main><h1>没完没了</h1><span id="slot"><a href="/">首页</a></span><a href="/">最后的链接</a>
<script>
let made = 0;
document.getElementById("slot").addEventListener("focusin", (event) => {
  const button = document.createElement("button");
  button.textContent = "又一个" + (made += 1);
  event.target.after(button);
});
</script></main></body></html>"""


def test_the_keyboard_walk_ends_on_a_page_that_draws_an_element_on_every_focus(tmp_path, browser):
    """Each focus draws the next element: the walk stops at its bound (small here, to keep
    the test short) and says so, with what it never reached, instead of pressing Tab for ever."""
    (tmp_path / "index.html").write_text(ENDLESS_PAGE, encoding="utf-8")
    found = [f.message for f in a11y.check(tmp_path, pages=["/"], max_presses=40, browser=browser) if f.check == "keyboard"]
    assert "Tab never left the page in 40 presses" in found, found
    assert any("最后的链接" in message for message in found), found


TRAP_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>陷阱</title></head>
<body><main><h1>陷阱</h1><a href="/">一</a><a id="two" href="/">二</a><a id="three" href="/">三</a>
<script>
document.getElementById("three").addEventListener("keydown", (event) => {
  if (event.key === "Tab") { event.preventDefault(); document.getElementById("two").focus(); }
});
</script></main></body></html>"""

LATE_UNOUTLINED_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>看不见的焦点</title>
<style>.bare:focus { outline: none; }</style></head>
<body><main><h1>看不见的焦点</h1><a id="first" href="/">首页</a><span id="slot"></span>
<script>
document.getElementById("first").addEventListener("focus", () => {
  const button = document.createElement("button");
  button.className = "bare";
  button.textContent = "后来画的";
  document.getElementById("slot").append(button);
}, {once: true});
</script></main></body></html>"""


def test_the_keyboard_walk_reports_a_focus_trap_and_a_late_element_without_outline(tmp_path, browser):
    """Tab held between two links is a trap, not the end of the cycle; an element drawn
    after the probe is checked for its focus outline like any other."""
    (tmp_path / "trap.html").write_text(TRAP_PAGE, encoding="utf-8")
    (tmp_path / "late.html").write_text(LATE_UNOUTLINED_PAGE, encoding="utf-8")
    found = [(f.page, f.message) for f in a11y.check(tmp_path, pages=["/trap.html", "/late.html"], browser=browser)
             if f.check == "keyboard"]
    assert any(page.startswith("/trap.html") and "focus trap: Tab came back to" in message and ">二<" in message
               for page, message in found), found
    assert any(page.startswith("/late.html") and "no visible focus outline" in message and "后来画的" in message
               for page, message in found), found
    assert not [message for page, message in found if "not reachable" in message], found


def test_a_broken_feed_is_reported(tmp_path):
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "bad.atom.xml").write_text("<feed><entry></feed>", encoding="utf-8")
    assert feeds.check(tmp_path)


def test_two_builds_are_byte_identical(sample_site, tmp_path):
    """Same content, different times and folders: the same bytes, search index included.
    The first build is the run's sample site (built earlier, in another folder, by
    whichever worker asked first): one full build fewer than building both here. The
    second is built in one process, as plain Pelican writes (FASTBUILD_WORKERS = 1):
    test_fastbuild compares the sample site with a build done on every core."""
    first, _ = sample_site
    time.sleep(1.1)  # the clock moves on between the builds, whenever the first was made
    second, _ = build_site(tmp_path / "two", settings={"FASTBUILD_WORKERS": 1})
    # dircmp compares files whose size or mtime differ byte by byte (they all differ in mtime).
    comparison = filecmp.dircmp(first, second)
    differences = []

    def walk(cmp, prefix=""):
        differences.extend(prefix + name for name in cmp.left_only + cmp.right_only + cmp.diff_files)
        for name, sub in cmp.subdirs.items():
            walk(sub, prefix + name + "/")

    walk(comparison)
    assert differences == [], ("the sample site (default settings, built earlier elsewhere) and a one-process "
                               "build (FASTBUILD_WORKERS = 1) differ: the build depends on time or folder, or "
                               f"one process writes other bytes than the default: {differences[:8]}")


def test_district_and_topic_feeds_hold_exactly_their_articles(sample_site):
    """Each feed's entries are the articles `analyze` puts in that district or topic."""
    import json
    from collections import Counter

    from newsroom.text.districts import district_slug

    output, _ = sample_site
    published = sorted(p for p in (ROOT / "content").rglob("*.md")
                       if "pages" not in p.parts and read_source(p).get("status") != "draft")
    result = subprocess.run([sys.executable, "-m", "newsroom", "analyze", *map(str, published)], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    by_district = Counter(row["district"] for row in rows)
    by_topic = Counter(topic for row in rows for topic in row["topics"])
    for district, count in by_district.items():
        feed = feedparser.parse((output / "feeds" / "districts" / f"{district_slug(district)}.atom.xml").read_bytes())
        assert len(feed.entries) == min(count, 50), district
    for topic in ("relief", "arts", "dispute"):
        feed = feedparser.parse((output / "feeds" / "topics" / f"{topic}.atom.xml").read_bytes())
        assert len(feed.entries) == min(by_topic[topic], 50), topic
