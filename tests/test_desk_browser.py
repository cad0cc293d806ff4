"""The web desk in Chromium: Decap CMS on a small newsroom in git, beside a real preview build.

One desk for the module (the preview builds the site once and rebuilds after each save);
an editor signs in, creates an article with every field, edits another, sees check's
messages beside the fields, saves, and sees the real page in the preview pane. The files
are then read back: the canonical form, `newsroom check` clean, one git commit per save
carrying the editor's name. Every wait is on a condition, never a fixed sleep.
"""

import contextlib
import re
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from desk_support import MovableClock, desk_server, git, make_newsroom, photo_bytes
from newsroom.desk.checks import check_paths
from newsroom.paper.content import canonical_text, read_source
from newsroom.desk.schedule import last_built_for
from newsroom.paper.release import BEIJING
from search_support import WAIT_MS

ROOT = Path(__file__).resolve().parents[1]
# A save, its check and the preview's rebuild wait on the server, which shares two cores with
# the rest of the suite: generous, and still a condition, not a sleep.
SERVER_MS = 180_000
EDITED = "content/2024/05/miyun-zhigong-lanqiu-liansai.md"


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    folder = tmp_path_factory.mktemp("deskbrowser")
    repo = make_newsroom(folder)
    clock = MovableClock()  # the desk's scheduler's clock: a test moves it to tomorrow morning
    with desk_server(folder, repo, build=True, schedule_clock=clock) as (base, desk):
        yield base, desk, repo, folder, clock


@pytest.fixture
def problems():
    """This test's console errors, page errors and outside requests (one test's, never the
    module's: an error after a test's last assert is not blamed on the next test)."""
    return []


@pytest.fixture(autouse=True)
def scheduler_clock_back(desk):
    """A test that moves the scheduler's clock to tomorrow leaves it at today for the next."""
    yield
    desk[4].offset = timedelta(0)


@pytest.fixture
def page(browser, desk, problems):
    base = desk[0]
    context = browser.new_context(base_url=base, locale="zh-CN", timezone_id="Asia/Shanghai",
                                  viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    def on_console(message):
        # The desk's own errors; the page shown in the preview pane is the site's, checked by
        # the site's quality gates (its photos appear there once the photo pipeline builds them).
        where = (message.location or {}).get("url", "")
        if message.type == "error" and (not where or where.startswith(base + "/desk/")):
            problems.append(f"console: {message.text} ({where})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("request", lambda request: request.url.startswith((base, "data:", "blob:"))
            or problems.append(f"outside request: {request.url}"))
    yield page
    context.close()


def caret_at_end(page, editor):
    """Click into the text and put the caret after its last character, as an editor does
    before writing on (the editor takes the click and the key a moment later under load)."""
    editor.click()
    at_end = """element => { const s = getSelection();
        return Boolean(s.focusNode) && element.contains(s.focusNode) && s.focusOffset === s.focusNode.textContent.length
            && element.textContent.endsWith(s.focusNode.textContent); }"""
    for _ in range(20):
        page.keyboard.press("Control+End")
        if editor.evaluate(at_end):
            return
        page.wait_for_timeout(250)
    raise AssertionError("the caret did not reach the end of the text")


def sign_in(page, name):
    page.goto("/desk/")
    page.fill("#nr-signin-name", name)
    page.click("#nr-signin-form button")
    page.wait_for_selector("a[href$='/collections/articles/new']")


def control(page, key):
    """The block of one field of the form: its label, its control and its messages."""
    return page.locator(f"label[for^='{key}-field-']").locator("xpath=ancestor::div[contains(@class,'ControlContainer')][1]")


def field(page, key, tag="input"):
    return page.locator(f"{tag}[id^='{key}-field-']")


def choose(page, key, text):
    control(page, key).locator("input").first.click()
    page.keyboard.type(text)
    page.locator("[class*='-option']", has_text=text).first.click()


def save(page):
    page.get_by_role("button", name="保存", exact=True).first.click()
    page.get_by_role("menuitem", name="保存", exact=True).click()
    page.wait_for_selector("text=已保存", timeout=SERVER_MS)
    page.wait_for_function("window.newsroomChecks.state === 'saved'", timeout=SERVER_MS)


def test_the_desk_loads_in_chinese_with_no_console_error_or_outside_request(page, desk, problems):
    sign_in(page, "白莹")
    page.wait_for_selector("text=密云区职工篮球联赛开赛")
    assert page.locator("text=稿件").first.is_visible()
    assert "CMS_MANUAL_INIT" not in page.content()
    assert not page.locator("header a").filter(has_text=re.compile(r"^\s*/\s*$")).count()  # no bare "/" link
    # The lists group by issue and page, and filter by date, district and status.
    page.get_by_role("button", name="分组").click()
    assert page.get_by_role("menuitem", name="期和版").is_visible()
    page.get_by_role("menuitem", name="期和版").click()
    page.wait_for_selector("text=2024-05-14 第2版 基层")
    page.get_by_role("button", name="筛选").click()
    for label in ("状态：草稿", "日期：2024年5月", "区：密云区"):
        assert page.get_by_text(label, exact=True).is_visible()
    assert not problems, problems


def test_the_format_in_the_browser_writes_what_python_writes_for_every_sample_article(page, problems):
    sign_in(page, "白莹")
    page.wait_for_function("window.newsroomFormat !== undefined")
    texts = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in sorted((ROOT / "content").rglob("*.md"))}
    written = page.evaluate("""async texts => {
        const body = await import("/desk/static/widgets.js");
        return Object.fromEntries(Object.entries(texts).map(([path, text]) => {
            const data = window.newsroomFormat.fromFile(text);
            const byline = body.findByline(data.body).text;
            // The byline builder rewrites the byline it reads: the text must not change.
            const parsed = body.parseByline(byline);
            const rebuilt = parsed ? body.withByline(data.body, body.buildByline(parsed)) : data.body;
            return [path, [window.newsroomFormat.toFile(data), byline, data.title, rebuilt === data.body]]; })); }""",
        texts)
    for path, text in texts.items():
        assert written[path][0] == canonical_text(text), path
        assert written[path][2] == read_source(ROOT / path).title
        assert written[path][3], path
    assert sum(1 for w in written.values() if w[1].startswith("本报讯（记者")) >= 40
    # A district written short shows as the picker's official name; the file keeps its word
    # until the editor picks another district.
    shown, kept, changed = page.evaluate("""() => { const f = window.newsroomFormat;
        const data = f.fromFile("Title: t\\nDistrict: 密云\\nDate: 2024-05-14\\n\\nx\\n");
        return [data.district, f.toFile(data), f.toFile({ ...data, district: "怀柔区" })]; }""")
    assert shown == "密云区" and "District: 密云\n" in kept and "District: 怀柔区\n" in changed
    assert not problems, problems


def test_create_an_article_with_every_field(page, desk, problems):
    base, _, repo, _, _ = desk
    sign_in(page, "马超")
    page.locator("a[href$='/collections/articles/new']").first.click()
    field(page, "title").fill("朝阳区职工书屋新添三千册图书")
    field(page, "kicker").fill("全民阅读进园区")
    field(page, "subtitle").fill("今年将推动职工书屋进楼宇")
    field(page, "date").fill("2024-05-14")
    control(page, "date").locator("input[type=time]").fill("08:30")
    # The address follows the headline (pinyin from the server) until the editor types one.
    page.wait_for_function("document.querySelector(\"input[id^='slug-field-']\").value.startsWith('chaoyang')")
    body = control(page, "body")
    body.locator("input[id$='-reporters']").fill("林晓")
    body.locator("input[id$='-correspondents']").fill("王磊")
    editor = body.locator(".cms-editor-raw [contenteditable=true]")
    editor.filter(has_text="本报讯（记者 林晓 通讯员 王磊）").wait_for()
    caret_at_end(page, editor)
    page.keyboard.type("近日，朝阳区职工书屋新添图书三千册。")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("区总工会有关负责人介绍，今年将推动职工书屋进园区、进楼宇。")
    # A photo, uploaded beside the article, with alt text, caption and credit.
    body.get_by_role("button", name="插入照片").click()
    body.locator("input[type=file]").set_input_files({"name": "IMG_0001.jpg", "mimeType": "image/jpeg",
                                                      "buffer": photo_bytes()})
    body.get_by_label("替代文字（图上是什么，必填）").fill("职工在书屋里挑选新到的图书")
    body.get_by_label("图注").fill("朝阳区一家职工书屋。")
    body.get_by_label("摄影者姓名").fill("林晓")
    body.get_by_role("button", name="上传并插入正文").click()
    body.locator("text=已上传").wait_for(timeout=SERVER_MS)
    choose(page, "district", "朝阳区")
    choose(page, "status", "发布")
    field(page, "authors").fill("林晓")
    field(page, "correspondents").fill("王磊")
    field(page, "page").fill("3")
    field(page, "pagename").fill("基层")
    field(page, "pageorder").fill("2")
    field(page, "issue").fill("7949")
    field(page, "tags").fill("职工书屋，全民阅读")
    choose(page, "topics", "arts")
    field(page, "summary", "textarea").fill("朝阳区职工书屋新添图书三千册。")
    field(page, "modified").fill("2024-05-15")
    field(page, "banner").fill("基层动态")
    control(page, "correction").get_by_role("button", name=re.compile("新增")).click()
    control(page, "correction").locator("input").last.fill("2024-05-15 第二段中的“三千册”应为“三千余册”。")
    control(page, "photo").locator("select").select_option(index=1)  # the lead photo: the one just inserted
    save(page)
    path = next((repo / "content" / "2024" / "05").glob("chaoyang*.md"))
    text = path.read_text(encoding="utf-8")
    slug = read_source(path).get("slug")
    assert text == canonical_text(text)
    assert text == (
        "Title: 朝阳区职工书屋新添三千册图书\nKicker: 全民阅读进园区\nSubtitle: 今年将推动职工书屋进楼宇\n"
        "Date: 2024-05-14 08:30\nModified: 2024-05-15\nDistrict: 朝阳区\nStatus: published\nAuthors: 林晓\n"
        "Correspondents: 王磊\nPage: 3\nPageName: 基层\nPageOrder: 2\nIssue: 7949\nBanner: 基层动态\n"
        "Tags: 职工书屋, 全民阅读\nTopics: arts\nSummary: 朝阳区职工书屋新添图书三千册。\n"
        "Correction: 2024-05-15 第二段中的“三千册”应为“三千余册”。\n"
        f"Slug: {slug}\nPhoto: {slug}-1.jpg\n\n![职工在书屋里挑选新到的图书]({slug}-1.jpg \"朝阳区一家职工书屋。 本报记者 林晓 摄\")\n\n"
        "本报讯（记者 林晓 通讯员 王磊）近日，朝阳区职工书屋新添图书三千册。\n\n"
        "区总工会有关负责人介绍，今年将推动职工书屋进园区、进楼宇。\n")
    assert (path.parent / f"{slug}-1.jpg").read_bytes() == photo_bytes()
    found, _ = check_paths([repo / "content"])
    assert not [p for p in found if p.is_error], found
    assert git(repo, "log", "-1", "--format=%an", "--", str(path.relative_to(repo))).strip() == "马超"
    # The preview pane shows the page the site builds from the saved file.
    frame = page.frame_locator("iframe").first.frame_locator("iframe[title='网页预览']")
    frame.locator("h1", has_text="朝阳区职工书屋新添三千册图书").wait_for(timeout=SERVER_MS)
    assert frame.locator("link[rel=stylesheet][href*='theme/css']").count() >= 1
    # The correction notice (the preview may show the first build, from before the correction
    # was added, for a moment: wait for the next one).
    expect(frame.locator("text=三千余册").first).to_be_attached(timeout=SERVER_MS)
    assert not problems, problems


def test_edit_an_article_and_see_the_check_beside_the_field(page, desk, problems):
    base, _, repo, _, _ = desk
    before = (repo / EDITED).read_text(encoding="utf-8")
    sign_in(page, "白莹")
    # Another article is open when the editor looks for this one (Decap keeps an open form
    # when the address changes to another entry: the finder leaves it for the list first).
    page.goto("/desk/#/collections/articles/entries/2024/01/mentougou-songwennuan-ruhu-zoufang")
    page.wait_for_function("(document.querySelector(\"input[id^='title-field-']\") || {}).value === '门头沟区总工会入户走访困难职工家庭'")
    # Found by two characters of its headline (Decap's own search needs three or more).
    page.click("#nr-find-open")
    page.fill("#nr-find-q", "篮球")
    page.keyboard.press("Enter")
    page.locator(".nr-find-hits a", has_text="密云区职工篮球联赛开赛").click()
    page.wait_for_function("(document.querySelector(\"input[id^='title-field-']\") || {}).value === '密云区职工篮球联赛开赛'")
    # A wrong address: the check's message appears under the Slug field before saving.
    slug = field(page, "slug")
    good = slug.input_value()
    slug.fill("Bad Slug")
    message = control(page, "slug").locator(".nr-problem.nr-error")
    message.wait_for()
    # The form's name for the field and the value to type, not the file's line (网址（Slug）, `Slug: …`).
    assert "网址" in message.inner_text() and "Slug:" not in message.inner_text() and "（Slug）" not in message.inner_text()
    assert "写成 “bad-slug”" in message.inner_text()
    assert "个错误" in page.locator(".nr-check-summary").inner_text()
    slug.fill(good)
    message.wait_for(state="detached")
    field(page, "kicker").fill("职工运动会系列报道")
    save(page)
    after = (repo / EDITED).read_text(encoding="utf-8")
    # One line added; the fields in the canonical order (this sample file had Date after District).
    assert after == canonical_text(before.replace("Title: 密云区职工篮球联赛开赛\n",
                                                  "Title: 密云区职工篮球联赛开赛\nKicker: 职工运动会系列报道\n"))
    assert after != canonical_text(before)
    assert git(repo, "log", "-1", "--format=%an|%s", "--", EDITED).startswith("白莹|编辑台：白莹 保存")
    # The history at the foot of the form lists the save, newest first (it reloads after the
    # save answers: until then it still shows the version the form was opened on).
    expect(page.locator(".nr-history li").first).to_contain_text("白莹", timeout=WAIT_MS)
    # The sample's own commit was not made at the desk: its technician's words are not shown.
    expect(page.locator(".nr-history li").last).to_contain_text("不是在编辑台里改的")
    assert "检查了已保存的稿件" in page.locator(".nr-check-summary").inner_text()
    assert not problems, problems


def write_tomorrows_article(page, title, when, order):
    """A new article for tomorrow's front page, ready (状态：发布), as an editor writes it."""
    page.goto("/desk/#/collections/articles")
    page.locator("a[href$='/collections/articles/new']").first.click()
    field(page, "title").fill(title)
    field(page, "date").fill(when.strftime("%Y-%m-%d"))
    control(page, "date").locator("input[type=time]").fill(when.strftime("%H:%M"))
    page.wait_for_function("document.querySelector(\"input[id^='slug-field-']\").value.length > 3")
    body = control(page, "body")
    body.locator("input[id$='-reporters']").fill("林晓")
    editor = body.locator(".cms-editor-raw [contenteditable=true]")
    editor.filter(has_text="本报讯（记者 林晓）").wait_for()
    caret_at_end(page, editor)
    page.keyboard.type(f"近日，{title}。")
    # A new article is a draft: the note under the date says it will not go out at its time.
    control(page, "date").locator(".nr-warning", has_text="但它现在是草稿：到时间也不会发布").wait_for()
    choose(page, "status", "发布")
    field(page, "page").fill("1")
    field(page, "pagename").fill("要闻")
    field(page, "pageorder").fill(str(order))
    # Under the date: when it goes out, and who releases it then (this desk).
    note = control(page, "date").locator(".nr-embargo")
    note.wait_for()
    assert f"定时发布：北京时间 {when:%Y-%m-%d %H:%M}" in note.inner_text()
    assert "编辑台会自动发布它" in note.inner_text()
    save(page)


@contextlib.contextmanager
def status_answered_late(desk):
    """The publish dialog's first status request (asked when it opens) is answered only once a
    publish has started and a moment after: its "nothing running" (no publish yet, or the
    scheduler's last one) then arrives after the start's reply."""
    publisher = desk.publisher
    status, late = publisher.status, threading.Event()
    job = lambda answer: (answer["state"], answer.get("started"), answer.get("finished"))  # noqa: E731

    def status_late():
        answer = status()
        if answer["state"] != "running" and not late.is_set():
            late.set()
            deadline = time.monotonic() + SERVER_MS / 1000
            while job(status()) == job(answer) and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(1)  # the start's reply reaches the page first
        return answer

    publisher.status = status_late
    try:
        yield
    finally:
        del publisher.status
    assert late.is_set()  # the opening's answer was the late one


def test_an_embargoed_issue_is_held_by_a_publish_and_goes_out_at_its_time(page, desk, problems):
    base, _, repo, folder, clock = desk
    published = folder / "published"
    tomorrow = (datetime.now(BEIJING) + timedelta(days=1)).replace(hour=6, minute=0, second=0, microsecond=0)
    titles = ["市总工会启动冬季送温暖活动", "全市职工冰雪运动季明日开幕"]
    sign_in(page, "林晓")
    for order, title in enumerate(titles, 1):
        write_tomorrows_article(page, title, tomorrow, order)
    saved = {read_source(path).title: path for path in (repo / "content" / f"{tomorrow:%Y/%m}").glob("*.md")}
    addresses = [f"{tomorrow:%Y/%m/%d}/{read_source(saved[title]).get('slug')}/index.html" for title in titles]
    # The desk lists what is held and when it goes out; each line opens the article.
    page.click("#nr-schedule-open")
    schedule = page.locator("#nr-schedule")
    for title in titles:
        schedule.locator("li", has_text=f"{tomorrow:%Y-%m-%d %H:%M}　《{title}》").wait_for()
    assert "编辑台开着时，定时发布的稿件到时间会自动发布" in schedule.inner_text()
    assert "docs/" not in schedule.inner_text()  # the Chinese guide's section instead of a docs path
    assert schedule.get_by_role("link", name="使用说明：定时发布").get_attribute("href") == "/desk/guide#十二定时发布"
    assert page.locator("#nr-schedule-open").inner_text() == "定时发布（2）"
    schedule.get_by_role("link", name=re.compile(titles[1])).click()
    page.wait_for_function(f"(document.querySelector(\"input[id^='title-field-']\") || {{}}).value === '{titles[1]}'")
    # Tonight's publish leaves them out, and says so. The status the dialog asks for on opening
    # ("nothing running") is answered after the start's reply ("running"), as on a loaded
    # machine: the older answer must not stop the dialog following the publish.
    with status_answered_late(desk[1]):
        page.click("#nr-publish-open")
        page.click("#nr-publish-start")
        page.wait_for_selector(".nr-publish-result .nr-ok, .nr-publish-result .nr-error", timeout=2 * SERVER_MS)
    result = page.locator(".nr-publish-result").inner_text()
    assert "发布成功" in result and "定时发布：2 篇稿件还没到发布时间" in result, result
    assert all(title in result for title in titles)
    expect(page.locator("#nr-publish-start")).to_be_hidden()  # published: nothing more to start here
    page.keyboard.press("Escape")
    page.click("#nr-publish-open")  # opened again later: a publish can be started again
    expect(page.locator("#nr-publish-start")).to_be_visible()
    page.keyboard.press("Escape")
    assert (published / "index.html").is_file()
    feed = (published / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert not any((published / address).exists() for address in addresses)
    assert not any(title in feed for title in titles)
    # What a desk started later would catch up from: the moment this site was built for.
    assert abs((last_built_for(published) - datetime.now(BEIJING)).total_seconds()) < SERVER_MS / 1000
    # Tomorrow, 06:01: the desk's scheduler publishes them, with nobody at the keyboard.
    clock.offset = tomorrow + timedelta(minutes=1) - datetime.now(BEIJING)
    deadline = time.monotonic() + SERVER_MS / 1000
    while not all((published / address).is_file() for address in addresses) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert all((published / address).is_file() for address in addresses), desk[1].schedule.status()["log"]
    feed = (published / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert all(title in feed for title in titles)
    deadline = time.monotonic() + SERVER_MS / 1000  # the publish job ends a moment after the site is in place
    while "的发布完成" not in "\n".join(desk[1].schedule.status()["log"]) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert "的发布完成" in "\n".join(desk[1].schedule.status()["log"]), desk[1].schedule.status()["log"]
    page.click("#nr-schedule-open")
    schedule.locator("text=没有等待定时发布的稿件").wait_for(timeout=SERVER_MS)
    # The list may show a refresh made while the release still ran: its log follows by the next one.
    expect(schedule.locator("pre")).to_contain_text("的发布完成", timeout=SERVER_MS)
    # The release's line carries the moment the scheduler woke up: 06:01 or, on a machine
    # slow enough that its next poll came a minute later, after it (never before 06:01).
    log = schedule.locator("pre").text_content()
    done = re.search(rf"定时发布：({tomorrow:%Y-%m-%d} \d\d:\d\d)(?::\d\d)? 的发布完成，时间到了的稿件已经上线", log)
    assert done, log
    released = datetime.strptime(done.group(1), "%Y-%m-%d %H:%M").replace(tzinfo=BEIJING)
    assert tomorrow + timedelta(minutes=1) <= released <= datetime.now(BEIJING) + clock.offset, log
    assert not problems, problems


def test_back_and_forward_show_each_article_as_it_is(page, desk, problems):
    """Decap keeps an open form when the address goes straight to another entry: the browser's
    back and forward buttons (or a link) would show one article under another's address."""
    sign_in(page, "白莹")
    first = "/desk/#/collections/articles/entries/2024/01/mentougou-songwennuan-ruhu-zoufang"
    page.goto(first)
    title = "(document.querySelector(\"input[id^='title-field-']\") || {}).value"
    page.wait_for_function(f"{title} === '门头沟区总工会入户走访困难职工家庭'")
    field(page, "kicker").fill("冬日送温暖")
    save(page)
    page.evaluate("location.hash = '#/collections/articles/entries/2024/05/miyun-zhigong-lanqiu-liansai'")
    page.wait_for_function(f"{title} === '密云区职工篮球联赛开赛'")
    for step, expected, kicker in ((page.go_back, "门头沟区总工会入户走访困难职工家庭", "冬日送温暖"),
                                   (page.go_forward, "密云区职工篮球联赛开赛", None)):
        step()
        page.wait_for_function(f"{title} === '{expected}'")
        if kicker:
            page.wait_for_function(f"document.querySelector(\"input[id^='kicker-field-']\").value === '{kicker}'")
        assert page.evaluate("window.newsroomChecks.entryId").endswith(
            "mentougou-songwennuan-ruhu-zoufang.md" if kicker else "miyun-zhigong-lanqiu-liansai.md")
    assert "/entries/2024/05/miyun-zhigong-lanqiu-liansai" in page.evaluate("location.hash")
    # Changes not saved yet are not lost on the way without the editor's word.
    field(page, "kicker").fill("还没保存的引题")
    page.locator("text=修改未保存").first.wait_for()
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.go_back()
    page.wait_for_function("location.hash.includes('/entries/2024/05/miyun-zhigong-lanqiu-liansai')")
    assert asked and "还没保存的修改" in asked[0]
    assert field(page, "kicker").input_value() == "还没保存的引题"
    assert not problems, problems


def open_article(page, path, title):
    page.goto(f"/desk/#/collections/articles/entries/{path}")
    page.wait_for_function(f"(document.querySelector(\"input[id^='title-field-']\") || {{}}).value === '{title}'")


def test_one_editor_in_two_tabs_cannot_overwrite_the_newer_save_and_keeps_the_text(browser, desk, page, problems):
    """Each load of the desk's page is a tab of its own: the second tab, opened on the version
    the first then replaced, is refused in Chinese (no API_ERROR), and its text stays in the form."""
    base, _, repo, _, _ = desk
    path, title = "2024/05/miaofengshan-zhigongzhijia-xiufu-kaifang", "门头沟区受灾职工之家完成修复重新开放"
    sign_in(page, "王磊")
    second = page.context.new_page()  # the same browser, the same editor: another tab
    second.set_default_timeout(WAIT_MS)
    second.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    for tab in (page, second):
        open_article(tab, path, title)
    expect(second.locator(".nr-others")).to_contain_text("另一个标签页", timeout=SERVER_MS)
    field(page, "kicker").fill("第一个标签页的引题")
    save(page)
    field(second, "kicker").fill("第二个标签页的引题")
    second.get_by_role("button", name="保存", exact=True).first.click()
    second.get_by_role("menuitem", name="保存", exact=True).click()
    notice = second.get_by_text(re.compile("已经在另一个标签页（或窗口）里保存过")).first
    expect(notice).to_be_visible(timeout=SERVER_MS)
    assert "API_ERROR" not in notice.inner_text() and notice.inner_text().startswith("没有保存：")
    expect(field(second, "kicker")).to_have_value("第二个标签页的引题")  # nothing lost
    expect(second.locator("text=修改未保存").first).to_be_visible()
    saved = (repo / "content" / f"{path}.md").read_text(encoding="utf-8")
    assert "Kicker: 第一个标签页的引题" in saved and "第二个标签页" not in saved
    # A tab that goes (reload, restore, closing) leaves the article: the first tab is alone again.
    first_tab, second_tab = page.evaluate("window.newsroomTab"), second.evaluate("window.newsroomTab")
    assert [o["same_editor"] for o in desk[1].presence.here(f"content/{path}.md", "王磊", first_tab)] == [True]
    second.once("dialog", lambda dialog: dialog.accept())  # its unsaved text: the desk asks first
    second.goto("about:blank")
    for _ in range(WAIT_MS // 100):
        if not desk[1].presence.here(f"content/{path}.md", "王磊", first_tab):
            break
        page.wait_for_timeout(100)
    assert not desk[1].presence.here(f"content/{path}.md", "王磊", first_tab), second_tab
    second.close()
    assert not problems, problems


def test_signing_out_sends_no_check_after_it(page, desk, problems):
    """The form is checked 600 ms after the last keystroke; an editor who signs out within
    them sends no check after the sign-out (it was refused, 401, and showed as an error)."""
    path, title = "2024/01/mentougou-songwennuan-ruhu-zoufang", "门头沟区总工会入户走访困难职工家庭"
    sign_in(page, "白莹")
    open_article(page, path, title)
    calls = []

    def on_request(request):
        if "/desk/api/" in request.url:
            calls.append(request.url.split("/desk/api/")[1].split("?")[0])

    def slow_sign_out(route):
        time.sleep(1.5)  # the sign-out's answer is slow (a loaded desk): the form's check is due meanwhile
        route.continue_()

    page.on("request", on_request)
    page.route("**/desk/api/signout", slow_sign_out)
    page.on("dialog", lambda dialog: dialog.accept())  # 确定: leave the unsaved change
    field(page, "kicker").fill("没保存的引题（换人）")
    page.locator(".nr-deskbar").get_by_role("button", name="换人").click()
    expect(page.locator("#nr-signin-name")).to_be_visible()
    page.wait_for_timeout(1000)
    assert "signout" in calls, calls
    assert "check" not in calls[calls.index("signout"):], calls
    assert not problems, problems


def test_leaving_unsaved_changes_asks_the_desks_question_once_on_every_way_out(page, desk, problems):
    """Decap's own link (the back arrow) and the desk's sign-out ask the desk's question, once:
    no second one from Decap or the browser after it (back and forward: the test above)."""
    path, title = "2024/01/mentougou-songwennuan-ruhu-zoufang", "门头沟区总工会入户走访困难职工家庭"
    sign_in(page, "白莹")
    asked, stay = [], [True]

    def answer(dialog):
        asked.append(dialog.message)
        dialog.dismiss() if stay[0] else dialog.accept()

    page.on("dialog", answer)
    for way in ("back arrow", "sign out"):
        open_article(page, path, title)
        field(page, "kicker").fill(f"没保存的引题（{way}）")
        expect(page.locator("text=修改未保存").first).to_be_visible()
        asked.clear()
        stay[0] = True  # 取消: the article and its change stay
        leave = (page.locator("a[class*='ToolbarSectionBackLink']") if way == "back arrow"
                 else page.locator(".nr-deskbar").get_by_role("button", name="换人"))
        leave.click()
        expect(field(page, "kicker")).to_have_value(f"没保存的引题（{way}）")
        stay[0] = False  # 确定: leave
        leave.click()
        if way == "back arrow":
            expect(page.locator("a[href$='/collections/articles/new']").first).to_be_visible()
        else:
            expect(page.locator("#nr-signin-name")).to_be_visible()
            sign_in(page, "白莹")
        page.wait_for_timeout(500)  # a second question (Decap's, the browser's) would come now
        assert len(asked) == 2 and all("还没保存的修改" in message for message in asked), (way, asked)
    page.remove_listener("dialog", answer)
    assert not problems, problems


def test_a_photo_for_an_article_never_saved_does_not_stay(page, desk, problems):
    base, _, repo, _, _ = desk
    sign_in(page, "林晓")
    page.locator("a[href$='/collections/articles/new']").first.click()
    field(page, "title").fill("一篇写了一半又放弃的稿件")
    field(page, "date").fill("2024-05-14")
    page.wait_for_function("document.querySelector(\"input[id^='slug-field-']\").value.length > 3")
    body = control(page, "body")
    body.get_by_role("button", name="插入照片").click()
    body.locator("input[type=file]").set_input_files({"name": "IMG_0002.jpg", "mimeType": "image/jpeg",
                                                      "buffer": photo_bytes()})
    body.get_by_label("替代文字（图上是什么，必填）").fill("放弃的照片")
    body.get_by_role("button", name="上传并插入正文").click()
    body.locator("text=已上传").wait_for(timeout=SERVER_MS)
    slug = field(page, "slug").input_value()
    photo = repo / "content" / "2024" / "05" / f"{slug}-1.jpg"
    assert photo.is_file() and git(repo, "status", "--porcelain", "--", str(photo)).startswith("??")
    page.once("dialog", lambda dialog: dialog.accept())  # leave without saving
    page.locator("a[class*='ToolbarSectionBackLink']").click()
    expect(page.locator("a[href$='/collections/articles/new']").first).to_be_visible()
    for _ in range(SERVER_MS // 250):
        if not photo.exists():
            break
        page.wait_for_timeout(250)
    assert not photo.exists() and not (repo / "content" / "2024" / "05" / f"{slug}.md").exists()
    assert not git(repo, "log", "--all", "--format=%H", "--", str(photo.relative_to(repo))).strip()
    assert not problems, problems


@pytest.mark.parametrize("width", [390, 1280])
def test_the_bar_covers_nothing_and_the_toolbar_fits(browser, desk, problems, width):
    base = desk[0]
    context = browser.new_context(base_url=base, locale="zh-CN", timezone_id="Asia/Shanghai",
                                  viewport={"width": width, "height": 844})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    try:
        sign_in(page, "白莹")
        open_article(page, "2024/05/miyun-zhigong-lanqiu-liansai", "密云区职工篮球联赛开赛")
        bar = page.locator(".nr-deskbar").bounding_box()
        assert bar["y"] + bar["height"] <= 844 + 1 and bar["x"] >= 0 and bar["x"] + bar["width"] <= width + 1
        for name in ("保存", "删除稿件"):  # Decap's toolbar: whole, inside the window
            button = page.get_by_role("button", name=re.compile(name)).first.bounding_box()
            assert button and button["x"] >= 0 and button["x"] + button["width"] <= width, (name, button)
        # Scrolled to the end, the form (the body box too) ends above the bar.
        page.evaluate("document.querySelectorAll('[class*=PreviewPaneContainer]').forEach(e => e.scrollTop = 1e6)")
        editor = page.locator("[class*='-EditorContainer']").bounding_box()
        assert editor["y"] + editor["height"] <= bar["y"] + 1, (editor, bar)
        # The form's labels are Chinese names only (no Title, no correction).
        labels = page.locator("label[for*='-field-']").all_inner_texts()
        assert labels and not [label for label in labels if re.search(r"[A-Za-z]", label)], labels
    finally:
        context.close()
    assert not problems, problems
