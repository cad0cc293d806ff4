"""``python -m newsroom.desk.preview``: serves the built site, rebuilds on save, pages reload themselves.

The builds are real: the preview's warm build server forks a Pelican build per save.
"""

import io
import json
import shutil
import textwrap
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from newsroom.desk.preview import RELOAD_TAG, Preview, build_parser, inject_reload, make_server
from newsroom.text.slugs import slugify_headline
from sitebuild import ROOT, write_article

TITLE = "朝阳区职工书屋新添三千册图书"
DRAFT_TITLE = "海淀区职工书屋开展读书月活动"
TEXT = ("Title: {title}\nDate: 2024-03-12\nDistrict: 朝阳区\n\n"
        "本报讯（记者 林晓）{lead}\n\n区总工会有关负责人介绍，今年将推动职工书屋进园区、进楼宇。\n")


def test_reload_script_goes_before_the_end_of_the_body():
    assert inject_reload("<html><body><p>正文</p></body></html>") == (
        f"<html><body><p>正文</p>{RELOAD_TAG}\n</body></html>")
    assert inject_reload("<p>片段</p>") == f"<p>片段</p>{RELOAD_TAG}"


def get(server, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{server.server_address[1]}{path}", timeout=10) as response:
        return response.read().decode("utf-8"), response.headers


def start_preview(tmp_path, start_from=None):
    """A preview of two articles (one a draft), built once and served. ``start_from``: a
    built preview of the same two articles whose output and search-index caches this one
    starts from (copied, times kept), as an editor's preview starts on the output.preview/
    and cache of an earlier session. Its own first build still runs in full (every page
    rendered, the search index written) but reuses the indexed shards, which are keyed on
    their pages' bytes and the code, never trusted otherwise (newsroom/build/searchindex.py):
    ~0.4 instead of ~0.9 CPU-s. The rest of the cache names the content's paths (this
    test's own are elsewhere) or the output folder's identity, so it starts empty."""
    if start_from is not None:
        shutil.copytree(start_from.output, tmp_path / "output", symlinks=True)
        for name in ("search-blocks", "search-shards"):
            shutil.copytree(start_from.cache / name, tmp_path / "cache" / name, symlinks=True)
    content = tmp_path / "content"
    article = write_article(content, "2024/03/shuwu.md", TEXT.format(title=TITLE, lead="近日，朝阳区职工书屋新添图书三千册。"))
    write_article(content, "2024/03/draft.md", TEXT.format(title=DRAFT_TITLE, lead="近日，海淀区职工书屋开展读书月。")
                  .replace("Date:", "Status: draft\nDate:"))
    # Only the content is watched here: others editing the code must not trigger this test's rebuilds.
    preview = Preview(content, tmp_path / "output", ROOT / "pelicanconf.py", out=open(tmp_path / "log.txt", "w"),
                      watch_paths=[content], cache=tmp_path / "cache")
    assert preview.rebuild()
    # A private cache: parallel builds do not share one (its render record is never copied).
    assert (tmp_path / "cache" / "render-record").is_file()
    server = make_server(preview, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return preview, server, article


def stop_preview(preview, server):
    server.shutdown()
    preview.close()
    preview.out.close()


@pytest.fixture
def running(tmp_path, serving):
    """A preview of its own, built and served, for a test that saves, rebuilds or closes it.
    It starts from a copy of the module's first build (``serving``'s, never changed; see
    start_preview): its own first build and warm server are still its own."""
    preview, server, article = start_preview(tmp_path, start_from=serving[0])
    yield preview, server, article
    stop_preview(preview, server)


@pytest.fixture(scope="module")
def serving(tmp_path_factory):
    """One preview, built once and served, for the tests that only read from it (no save,
    no rebuild, no close): its first build and warm server are the costly part of each
    test (~8-12 s at load 7), the same for every reader."""
    preview, server, article = start_preview(tmp_path_factory.mktemp("serving"))
    yield preview, server, article
    stop_preview(preview, server)


@pytest.fixture
def new_page(browser):
    """``new_page(**context options)``: a page in a browser context of this test's own."""
    contexts = []

    def new_page(**options):
        contexts.append(browser.new_context(**options))
        return contexts[-1].new_page()

    yield new_page
    for context in contexts:
        context.close()


def test_pages_are_served_with_the_reload_script_and_files_untouched(serving):
    preview, server, _ = serving
    url = f"/2024/03/12/{slugify_headline(TITLE)}/"
    html, headers = get(server, url)
    assert TITLE in html and RELOAD_TAG in html
    assert headers["Cache-Control"] == "no-store"
    assert RELOAD_TAG not in (preview.output / url.strip("/") / "index.html").read_text(encoding="utf-8")
    css, _ = get(server, "/theme/css/site.css")
    assert css == (preview.output / "theme" / "css" / "site.css").read_text(encoding="utf-8")
    script, headers = get(server, "/__preview/reload.js")
    assert "/__preview/version" in script and headers["Content-Type"].startswith("text/javascript")
    assert get(server, "/__preview/version")[0] == "1"


def test_saving_an_article_rebuilds_and_bumps_the_version(running):
    preview, server, article = running
    index = preview.output / "pagefind"
    indexed = {p: p.stat().st_mtime_ns for p in index.rglob("*") if p.is_file()}
    assert indexed  # the first build wrote the search index
    stop = threading.Event()
    watcher = threading.Thread(target=preview.watch, kwargs={"stop_event": stop}, daemon=True)
    watcher.start()
    time.sleep(1)  # the watcher sets itself up asynchronously
    try:
        deadline = time.monotonic() + 90
        while get(server, "/__preview/version")[0] == "1" and time.monotonic() < deadline:
            # Saved again if the watcher (which starts asynchronously) missed it.
            article.write_text(TEXT.format(title=TITLE, lead="近日，朝阳区职工书屋又新添图书五百册。"), encoding="utf-8")
            saved = time.monotonic()
            while get(server, "/__preview/version")[0] == "1" and time.monotonic() - saved < 15:
                time.sleep(0.2)
        while preview._lock.locked() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert int(get(server, "/__preview/version")[0]) >= 2
        html, _ = get(server, f"/2024/03/12/{slugify_headline(TITLE)}/")
        assert "又新添图书五百册" in html
        # Saves rebuild without re-indexing (a third of the time); the first index stays served.
        assert {p: p.stat().st_mtime_ns for p in index.rglob("*") if p.is_file()} == indexed
    finally:
        stop.set()
        watcher.join(timeout=10)


def test_a_page_waiting_for_a_newer_build_is_answered_when_it_ends(running):
    preview, server, article = running
    answers = []
    waiting = threading.Thread(target=lambda: answers.append(get(server, "/__preview/version?after=1")[0]))
    waiting.start()
    time.sleep(1)
    assert waiting.is_alive() and not answers  # held while nothing was rebuilt
    assert preview.rebuild()
    waiting.join(timeout=10)
    assert answers == ["2"]
    assert get(server, "/__preview/version?after=1")[0] == "2"  # already newer: answered at once
    assert preview.version_after("2", timeout=0.1) == 2  # nothing newer: answered after the wait


def test_an_open_page_reloads_itself_after_a_save(running, new_page):
    preview, server, article = running
    url = f"http://127.0.0.1:{server.server_address[1]}/2024/03/12/{slugify_headline(TITLE)}/"
    # bypass_csp: Playwright's polling wait_for_function evaluates its predicate with eval,
    # which the page's CSP (rightly) forbids; when the reload came late, the wait failed.
    page = new_page(bypass_csp=True)
    page.goto(url)
    page.wait_for_timeout(500)  # the script has asked for the build number and now waits
    assert "又新添图书五百册" not in page.content()
    article.write_text(TEXT.format(title=TITLE, lead="近日，朝阳区职工书屋又新添图书五百册。"), encoding="utf-8")
    saved = time.monotonic()
    assert preview.saved([str(article)])
    page.wait_for_function("document.body.innerText.includes('又新添图书五百册')", timeout=30_000)
    assert time.monotonic() - saved < 30


def test_an_open_page_shows_the_problems_of_a_saved_article_until_it_is_fixed(running, new_page):
    # The page itself may still be the last good build: the editor must see, in the
    # browser, that the save did not work, and the banner's lines are text, never HTML.
    preview, server, article = running
    url = f"http://127.0.0.1:{server.server_address[1]}/2024/03/12/{slugify_headline(TITLE)}/"
    good = article.read_text(encoding="utf-8")
    page = new_page()
    page.goto(url)
    page.wait_for_timeout(500)
    assert page.locator("#newsroom-preview-problems").count() == 0
    article.write_text(good.replace("District: 朝阳区", "District: <b>朝杨区</b>"), encoding="utf-8")
    preview.saved([str(article)])
    banner = page.locator("#newsroom-preview-problems")
    banner.wait_for(timeout=30_000)
    assert f"{article}:3: 错误：所属区（District）'<b>朝杨区</b>' 不是北京的区名" in banner.inner_text()
    assert "保存的稿件有错误" in banner.inner_text()
    assert banner.locator("b").count() == 0
    status = json.loads(get(server, "/__preview/status")[0])
    errors = [line.split(": 错误：")[0] for line in status["problems"] if ": 错误：" in line]
    assert errors == [f"{article}:3"]
    article.write_text(good.replace("Date:", f"Slug: {slugify_headline(TITLE)}\nDate:"), encoding="utf-8")
    preview.saved([str(article)])
    page.wait_for_timeout(1500)
    assert page.locator("#newsroom-preview-problems").count() == 0  # clean: no banner
    status = json.loads(get(server, "/__preview/status")[0])
    assert {key: status[key] for key in ("version", "ok", "errors", "problems")} == {
        "version": preview.version, "ok": True, "errors": 0, "problems": []}


def test_a_moved_or_withdrawn_article_leaves_no_old_page_in_the_preview(running):
    preview, server, article = running
    good = article.read_text(encoding="utf-8")
    old = preview.output / "2024" / "03" / "12" / slugify_headline(TITLE) / "index.html"
    assert old.is_file()
    # A date with an error: its address cannot be worked out, so the old page stays.
    article.write_text(good.replace("Date: 2024-03-12", "Date: 2024年3月12日"), encoding="utf-8")
    preview.saved([str(article)])
    assert old.is_file()
    # A new address: the old page goes, the new one is written.
    article.write_text(good.replace("Date:", "Slug: shuwu-xin\nDate:"), encoding="utf-8")
    preview.saved([str(article)])
    moved = preview.output / "2024" / "03" / "12" / "shuwu-xin" / "index.html"
    assert moved.is_file() and not old.exists() and not old.parent.exists()
    # A draft: its public page goes (the preview shows it at /drafts/ only).
    article.write_text(good.replace("Date:", "Slug: shuwu-xin\nStatus: draft\nDate:"), encoding="utf-8")
    preview.saved([str(article)])
    assert not moved.exists()
    assert (preview.output / "drafts" / "shuwu-xin" / "index.html").is_file()
    # Deleted: nothing of it is left, and the other articles are untouched.
    article.write_text(good, encoding="utf-8")
    preview.saved([str(article)])
    assert old.is_file()
    article.unlink()
    preview.saved([str(article)])
    assert not old.exists()
    assert (preview.output / "index.html").is_file()


def test_a_page_closed_while_waiting_is_no_error(running, capfd):
    import socket

    preview, server, _ = running
    with socket.create_connection(("127.0.0.1", server.server_address[1])) as client:
        client.sendall(b"GET /__preview/version?after=1 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        time.sleep(0.5)
        # Closed with a reset, as a browser tab that goes away.
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    capfd.readouterr()
    assert preview.rebuild()  # the held request is answered into a closed connection
    time.sleep(0.5)
    out = "".join(capfd.readouterr())
    assert "Traceback" not in out and "Exception occurred" not in out
    assert get(server, "/__preview/version")[0] == "2"


def test_drafts_can_be_read_in_the_preview_only(serving):
    preview, server, _ = serving
    html, _ = get(server, f"/drafts/{slugify_headline(DRAFT_TITLE)}/")
    assert DRAFT_TITLE in html and RELOAD_TAG in html
    # Not in the lists: a reader of the preview sees the site as it will be published.
    assert DRAFT_TITLE not in get(server, "/")[0]
    assert DRAFT_TITLE not in (preview.output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")


def test_the_preview_never_writes_the_published_output():
    # output/ is what `make publish` leaves in place on an error; a preview must not replace it.
    args = build_parser().parse_args([])
    assert Path(args.output).resolve() == (ROOT / "output.preview").resolve()


def log_of(preview):
    preview.out.flush()
    return Path(preview.out.name).read_text(encoding="utf-8")


def test_saves_are_built_by_one_warm_server(running):
    preview, server, article = running
    warm = preview.server.process.pid
    article.write_text(TEXT.format(title=TITLE, lead="近日，朝阳区职工书屋第二次新添图书。"), encoding="utf-8")
    assert preview.saved([str(article)])
    html, _ = get(server, f"/2024/03/12/{slugify_headline(TITLE)}/")
    assert "第二次新添图书" in html
    assert preview.server.process.pid == warm  # the same warm process, not a new Pelican start-up
    assert preview.server.warm_up["failed"] == []  # it really loaded Pelican, the plugins, the dictionaries

    preview.server.process.kill()  # a server that went away is replaced at the next save
    preview.server.process.wait()
    assert preview.saved([str(article)])
    assert preview.server.running() and preview.server.process.pid != warm


def test_a_saved_article_with_an_error_is_reported_as_file_line(running, capfd):
    preview, server, article = running
    article.write_text(TEXT.format(title=TITLE, lead="近日，朝阳区职工书屋新添图书。").replace("District: 朝阳区", "District: 朝杨区"),
                       encoding="utf-8")
    preview.saved([str(article)])
    out = log_of(preview) + "".join(capfd.readouterr())
    assert f"{article}:3: 错误：" in out  # file:line: problem — fix, from the check
    assert preview.server.running()


# A plugin of the test's own: it writes how many builds its module has seen (plugins
# keep per-build state at module level, so each build must start from a fresh module).
PLUGIN = """\
import os
from pelican import signals

BUILDS = []
MARK = "{mark}"


def finished(pelican):
    BUILDS.append(1)
    {extra}
    with open(os.path.join(pelican.output_path, "mark.txt"), "w", encoding="utf-8") as handle:
        handle.write(f"{{MARK}} {{len(BUILDS)}}")


def register():
    signals.finalized.connect(finished)
"""


@pytest.fixture
def with_plugin(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # Pelican's log lines unwrapped
    content = tmp_path / "content"
    write_article(content, "2024/03/shuwu.md", TEXT.format(title=TITLE, lead="近日，朝阳区职工书屋新添图书三千册。"))
    plugins = tmp_path / "plugins" / "mark"
    plugins.mkdir(parents=True)
    (plugins / "__init__.py").write_text("from .mark import register  # noqa: F401\n", encoding="utf-8")
    plugin = plugins / "mark.py"
    plugin.write_text(PLUGIN.format(mark="一", extra=""), encoding="utf-8")
    settings = tmp_path / "settings.py"
    settings.write_text(textwrap.dedent(f"""\
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from pelicanconf import *  # noqa: F401,F403
        THEME = {str(ROOT / "theme")!r}
        PLUGIN_PATHS = [{str(ROOT / "plugins")!r}, {str(plugins.parent)!r}]
        PLUGINS = [*PLUGINS, "mark"]
        """), encoding="utf-8")
    preview = Preview(content, tmp_path / "output", settings, out=open(tmp_path / "log.txt", "w"),
                      watch_paths=[content, plugins.parent], code_paths=[plugins.parent, settings],
                      cache=tmp_path / "cache")
    yield preview, plugin
    preview.close()
    preview.out.close()


def test_an_edited_plugin_is_used_and_its_errors_do_not_stop_the_server(with_plugin, capfd):
    preview, plugin = with_plugin
    mark = preview.output / "mark.txt"
    assert preview.rebuild()
    assert mark.read_text(encoding="utf-8") == "一 1"
    assert preview.rebuild()
    assert mark.read_text(encoding="utf-8") == "一 1"  # a fresh module for every build
    first = preview.server.process.pid

    plugin.write_text(PLUGIN.format(mark="二", extra="").replace("def register():", "def register(:"),
                      encoding="utf-8")
    capfd.readouterr()
    assert not preview.saved([str(plugin)])
    out = "".join(capfd.readouterr())
    line = PLUGIN.splitlines().index("def register():") + 1
    assert f"SyntaxError: invalid syntax (mark.py, line {line})" in out  # what and where
    assert "预览：第 3 次生成失败" in log_of(preview)
    assert preview.server.running() and preview.server.process.pid != first  # restarted for the new code

    # A plugin that kills its build process: the build fails, the server stays up.
    plugin.write_text(PLUGIN.format(mark="三", extra="os.kill(os.getpid(), 9)"), encoding="utf-8")
    assert not preview.saved([str(plugin)])
    assert preview.server.running()
    assert mark.read_text(encoding="utf-8") == "一 1"

    plugin.write_text(PLUGIN.format(mark="四", extra=""), encoding="utf-8")
    assert preview.saved([str(plugin)])
    assert mark.read_text(encoding="utf-8") == "四 1"


def test_without_a_build_server_each_build_is_a_new_process(tmp_path):
    content = tmp_path / "content"
    write_article(content, "2024/03/shuwu.md", TEXT.format(title=TITLE, lead="近日，朝阳区职工书屋新添图书三千册。"))
    preview = Preview(content, tmp_path / "output", ROOT / "pelicanconf.py", out=open(tmp_path / "log.txt", "w"),
                      watch_paths=[content], cache=tmp_path / "cache", warm=False)
    try:
        assert preview.rebuild()
        assert preview.server is None
        assert (tmp_path / "output" / "2024" / "03" / "12" / slugify_headline(TITLE) / "index.html").is_file()
    finally:
        preview.out.close()



# --- stopping: nothing builds after close (the desk's Ctrl+C during a save's build) ----------

def recording_popen(monkeypatch):
    """Every process the preview starts from now on, recorded (and still started)."""
    import subprocess

    import newsroom.desk.preview as preview_module

    started, real = [], subprocess.Popen

    def popen(command, *args, **kwargs):
        started.append(list(command))
        return real(command, *args, **kwargs)

    monkeypatch.setattr(preview_module.subprocess, "Popen", popen)
    return started


def test_a_save_being_built_when_the_preview_closes_starts_no_pelican_of_its_own(running, monkeypatch):
    """Ctrl+C while a save is built: the server is stopped under the build, which must then
    end, not fall back to a Pelican process of its own (that went on writing the preview
    after the desk said it had stopped, and held its terminal open for minutes under load)."""
    preview, _, article = running
    started = recording_popen(monkeypatch)
    article.write_text(article.read_text("utf-8").replace(TITLE, TITLE + "（续）"), "utf-8")
    result = {}
    saving = threading.Thread(target=lambda: result.update(ok=preview.saved([str(article)])))
    saving.start()
    deadline = time.monotonic() + 30
    while not preview.building and saving.is_alive() and time.monotonic() < deadline:
        time.sleep(0.005)
    preview.close()
    saving.join(60)
    assert not saving.is_alive()
    assert started == []  # neither a fresh Pelican nor a new build server
    assert preview.rebuild([str(article)]) is False and started == []  # and nothing after


def test_closing_ends_a_build_running_without_the_server(tmp_path, monkeypatch):
    content = tmp_path / "content"
    write_article(content, "2024/03/shuwu.md", TEXT.format(title=TITLE, lead="近日，朝阳区职工书屋新添图书三千册。"))
    preview = Preview(content, tmp_path / "output", ROOT / "pelicanconf.py", out=open(tmp_path / "log.txt", "w"),
                      watch_paths=[content], cache=tmp_path / "cache", warm=False)
    started = recording_popen(monkeypatch)
    result = {}
    building = threading.Thread(target=lambda: result.update(ok=preview.rebuild()))
    try:
        building.start()
        deadline = time.monotonic() + 60
        while preview._fresh is None and building.is_alive() and time.monotonic() < deadline:
            time.sleep(0.005)
        process = preview._fresh
        assert process is not None and started and started[0][1:3] == ["-m", "pelican"]
        preview.close()
        building.join(30)
        assert not building.is_alive() and result == {"ok": False}
        assert process.poll() is not None  # ended, not left writing the preview
    finally:
        preview.close()
        building.join(60)
        preview.out.close()


# --- the server answers this machine only, lists nothing and never fails with a traceback ------

def raw_get(server, path, host=None):
    """``(status, body)`` of one request sent as bytes (urllib would quote a bad path)."""
    import socket

    port = server.server_address[1]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        host_line = b"" if host is False else b"Host: " + (host or f"127.0.0.1:{port}").encode() + b"\r\n"
        sock.sendall(b"GET " + path + b" HTTP/1.1\r\n" + host_line + b"Connection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode("utf-8", "replace")


def test_the_preview_answers_only_requests_for_this_machine(serving):
    _, server, _ = serving
    port = server.server_address[1]
    page = f"/2024/03/12/{slugify_headline(TITLE)}/".encode()
    for host in ("localhost", f"localhost:{port}", "127.0.0.1", f"127.0.0.1:{port}", "[::1]", f"[::1]:{port}",
                 "LOCALHOST"):
        assert raw_get(server, page, host)[0] == 200, host
    # A page of another site whose name points at 127.0.0.1 (DNS rebinding) sends its own name.
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example", "localhost.evil.example:80",
                 "[::1].evil.example", "0.0.0.0"):
        status, body = raw_get(server, page, host)
        assert status == 403 and TITLE not in body, host
    assert raw_get(server, b"/drafts/", "evil.example")[0] == 403


def test_no_folder_is_listed_and_bad_paths_are_400_or_404_without_a_traceback(serving, capfd):
    _, server, _ = serving
    assert raw_get(server, b"/drafts/")[0] == 404  # the drafts' slugs are not listed
    assert DRAFT_TITLE in raw_get(server, f"/drafts/{slugify_headline(DRAFT_TITLE)}/".encode())[1]  # one is shown
    assert raw_get(server, b"/2024/")[0] == 200  # a folder with its index.html
    assert raw_get(server, b"/theme/css/")[0] == 404
    for path, status in ((b"/%00", 400), (b"/index.html%00.txt", 400), (b"/%ff%fe", 404), (b"/" + b"a" * 5000, 404),
                         (b"/../../../../etc/passwd", 404), (b"/%2e%2e/%2e%2e/etc/passwd", 404),
                         (b"/theme/../../pelicanconf.py", 404), (b"/no-such-page/", 404)):
        got, body = raw_get(server, path)
        assert got == status, (path, got)
        assert "root:" not in body and "Traceback" not in body
    err = capfd.readouterr().err
    assert "Traceback" not in err


def test_tomorrows_article_and_a_draft_are_previewed_with_a_banner_saying_so(running, new_page, monkeypatch, tmp_path):
    # The public site leaves out an article until its Date (plugins/release); the preview
    # builds it, so that the editor reads tomorrow's issue tonight, and says it is not out yet.
    preview, server, _ = running
    monkeypatch.setenv("NEWSROOM_NOW", "2026-12-06 20:00")
    tomorrow = write_article(preview.content, "2026/12/tomorrow.md",
                             TEXT.format(title="市总工会启动冬季送温暖活动", lead="近日，市总工会启动冬季送温暖活动。")
                             .replace("2024-03-12", "2026-12-07 06:00").replace("Date:", "Slug: songwennuan\nDate:"))
    assert preview.saved([str(tomorrow)])
    address = "/2026/12/07/songwennuan/"
    assert "市总工会启动冬季送温暖活动" in get(server, address)[0]
    release = json.loads(get(server, "/__preview/status")[0])["release"]
    assert release["pages"][address] == "定时发布：这篇稿件 2026-12-07 06:00 才发布，现在读者看不到，只在预览里能看到"
    draft_address = f"/drafts/{slugify_headline(DRAFT_TITLE)}/"
    assert release["pages"][draft_address].startswith("草稿：这篇稿件不会发布")
    assert release["note"] == "预览里有 1 篇稿件还没到发布时间（最早 2026-12-07 06:00），读者现在看不到它们"
    # Such a site is never deployed, whatever folder it is given as.
    from newsroom.desk.commands.deploy_cmd import deploy_published_site

    refused = io.StringIO()
    assert deploy_published_site(preview.output, ROOT / "publishconf.py", out=refused, target="s3://union-daily",
                                 endpoint="http://127.0.0.1:9", addressing="path") == 1
    assert "是预览用的网站，里面有草稿或还没到发布时间的稿件，不能上传" in refused.getvalue()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    for width in (390, 1280):
        page = new_page(viewport={"width": width, "height": 800})
        page.goto(base + address)
        banner = page.locator("#newsroom-preview-release")
        banner.wait_for(timeout=30_000)
        assert "2026-12-07 06:00 才发布" in banner.inner_text()
        page.screenshot(path=str(tmp_path / f"preview-waiting-{width}.png"))
        page.goto(base + "/")  # any other page: how many readers cannot see yet
        page.locator("#newsroom-preview-release").wait_for(timeout=30_000)
        assert "预览里有 1 篇稿件还没到发布时间" in page.locator("#newsroom-preview-release").inner_text()
        page.close()


def test_a_preview_served_to_other_machines_shows_only_what_readers_may_see(tmp_path, monkeypatch):
    # Tomorrow's paper and the drafts are for the editor at this machine. A preview bound to
    # an address others reach (0.0.0.0, the office network) builds what readers may see now.
    from newsroom.desk.preview import served_here_only

    assert all(served_here_only(bind) for bind in ("127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"))
    assert not any(served_here_only(bind) for bind in ("0.0.0.0", "::", "", "192.168.1.20", "10.0.0.5", "preview.lan"))
    monkeypatch.setenv("NEWSROOM_NOW", "2026-12-06 20:00")
    content = tmp_path / "content"
    write_article(content, "2026/12/today.md", TEXT.format(title=TITLE, lead="近日，朝阳区职工书屋新添图书三千册。")
                  .replace("2024-03-12", "2026-12-06 06:00").replace("Date:", "Slug: shuwu\nDate:"))
    tomorrow = "市总工会启动冬季送温暖活动"
    write_article(content, "2026/12/tomorrow.md", TEXT.format(title=tomorrow, lead="近日，市总工会启动冬季送温暖活动。")
                  .replace("2024-03-12", "2026-12-07 06:00").replace("Date:", "Slug: songwennuan\nDate:"))
    write_article(content, "2026/12/draft.md", TEXT.format(title=DRAFT_TITLE, lead="近日，海淀区职工书屋开展读书月。")
                  .replace("Date:", "Status: draft\nDate:"))
    output = tmp_path / "output"
    preview = Preview(content, output, ROOT / "pelicanconf.py", out=open(tmp_path / "log.txt", "w"),
                      watch_paths=[content], cache=tmp_path / "cache", warm=False, drafts=False, unreleased=False)
    try:
        assert preview.rebuild()
    finally:
        preview.close()
    assert (output / "2026" / "12" / "06" / "shuwu" / "index.html").is_file()
    site = " ".join(path.read_text(encoding="utf-8", errors="replace") for path in output.rglob("*")
                    if path.is_file() and path.suffix in (".html", ".xml", ".json", ".csv"))
    assert tomorrow not in site and "songwennuan" not in site and DRAFT_TITLE not in site
    assert not (output / "drafts").exists() and not (output / "2026" / "12" / "07").exists()
    assert preview.release == {"pages": {}, "note": ""}
    assert not (output / ".newsroom-unreleased").exists()  # what readers may see: deployable
