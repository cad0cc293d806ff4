"""A day's work at the web desk, as an editor does it, in Chromium; screenshots on the way.

Not a test (pytest does not collect it): run it against a desk started with ``make desk``
in a clone of the project, e.g.::

    git clone . /tmp/trial && (cd /tmp/trial && make desk PORT=8791 &)
    .venv/bin/python tests/desk_tour.py http://localhost:8791 docs/images/desk

It uses only what an editor sees (labels, buttons, the desk's bar): three new articles with
photos for tomorrow's issue (embargoed until 06:00), the list of what is held (定时发布), one
correction, a look at the history (comparison, undo and redo), and a publish; it takes the guide's screenshots at 1280 and 390 px wide and prints what it
did and how long each step took.
"""

import os
import re
import sys
import time
from datetime import datetime, timedelta
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parent)]

from search_support import chromium  # noqa: E402

BEIJING = ZoneInfo("Asia/Shanghai")
WAIT_MS = int(os.environ.get("DESK_TOUR_WAIT_MS", "180000"))  # a loaded machine builds slowly
ARTICLES = [
    {"title": "丰台区总工会为快递员送清凉", "kicker": "夏送清凉·关爱户外劳动者", "page": "1", "pagename": "要闻", "order": "1",
     "reporters": "白莹", "correspondents": "李明", "district": "丰台区", "tags": "夏送清凉，快递员",
     "text": ["近日，丰台区总工会走进辖区快递网点，为一线快递员送去防暑药品和清凉饮品。",
              "区总工会有关负责人介绍，今年夏季将为全区户外劳动者送去慰问品两万余份。"],
     "photo": ("快递员在网点领取防暑慰问品", "丰台区一处快递网点。", "白莹")},
    {"title": "海淀区职工篮球赛开幕", "page": "2", "pagename": "基层", "order": "1",
     "reporters": "马超", "correspondents": "", "district": "海淀区", "tags": "职工体育",
     "text": ["海淀区第十届职工篮球赛日前开幕，来自全区机关、企业的32支队伍参赛。",
              "比赛将持续到下月中旬。"],
     "photo": ("篮球场上队员在篮下拼抢", "开幕式后的首场比赛。", "马超")},
    {"title": "通州区新建十座户外劳动者服务站", "page": "2", "pagename": "基层", "order": "2",
     "reporters": "林晓", "correspondents": "王磊", "district": "通州区", "tags": "户外劳动者服务站",
     "text": ["通州区总工会今年新建的十座户外劳动者服务站日前全部投入使用。",
              "服务站提供饮水、休息、充电等服务，方便环卫工人、快递员等户外劳动者。"],
     "photo": ("环卫工人在服务站里休息", "新建的户外劳动者服务站。", "林晓")},
]
CORRECTED = "密云区职工篮球联赛开赛"


def photo(seed):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1600, 1067), (40 + seed * 60, 90, 140))
    draw = ImageDraw.Draw(image)
    for x in range(0, 1600, 80):
        draw.line([(x, 0), (1600 - x, 1067)], fill=(230, 220 - seed * 30, 120), width=6)
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


class Tour:
    def __init__(self, page, shots):
        self.page = page
        self.shots = Path(shots)
        self.shots.mkdir(parents=True, exist_ok=True)
        self.started = time.monotonic()

    def say(self, text):
        print(f"[{time.monotonic() - self.started:6.1f} s] {text}", flush=True)

    def shot(self, name):
        self.page.wait_for_timeout(600)  # let animations and the check settle
        self.page.screenshot(path=str(self.shots / f"{name}.png"))
        self.say(f"screenshot {name}.png")

    def control(self, key):
        return self.page.locator(f"label[for^='{key}-field-']").locator(
            "xpath=ancestor::div[contains(@class,'ControlContainer')][1]")

    def field(self, key, tag="input"):
        return self.page.locator(f"{tag}[id^='{key}-field-']")

    def choose(self, key, text):
        self.control(key).locator("input").first.click()
        self.page.keyboard.type(text)
        self.page.locator("[class*='-option']", has_text=text).first.click()

    def save(self):
        self.page.get_by_role("button", name="保存", exact=True).first.click()
        self.page.get_by_role("menuitem", name="保存", exact=True).click()
        self.page.wait_for_selector("text=已保存", timeout=WAIT_MS)
        self.page.wait_for_function("window.newsroomChecks.state === 'saved'", timeout=WAIT_MS)


def write_article(tour, article, when, number):
    page = tour.page
    page.goto("/desk/#/collections/articles")
    page.locator("a[href$='/collections/articles/new']").first.click()
    tour.field("title").fill(article["title"])
    if article.get("kicker"):
        tour.field("kicker").fill(article["kicker"])
    tour.field("date").fill(when.strftime("%Y-%m-%d"))
    tour.control("date").locator("input[type=time]").fill(when.strftime("%H:%M"))
    page.wait_for_function("document.querySelector(\"input[id^='slug-field-']\").value.length > 3")
    body = tour.control("body")
    body.locator("input[id$='-reporters']").fill(article["reporters"])
    if article["correspondents"]:
        body.locator("input[id$='-correspondents']").fill(article["correspondents"])
    editor = body.locator(".cms-editor-raw [contenteditable=true]")
    editor.filter(has_text="本报讯").wait_for()
    editor.click()
    page.keyboard.press("Control+End")
    page.wait_for_timeout(300)
    for index, paragraph in enumerate(article["text"]):
        if index:
            page.keyboard.press("Enter")
            page.keyboard.press("Enter")
        page.keyboard.type(paragraph)
    alt, caption, credit = article["photo"]
    body.get_by_role("button", name="插入照片").click()
    body.locator("input[type=file]").set_input_files(
        {"name": f"DSC_{number:04d}.JPG", "mimeType": "image/jpeg", "buffer": photo(number)})
    body.get_by_label("替代文字（图上是什么，必填）").fill(alt)
    body.get_by_label("图注").fill(caption)
    body.get_by_label("摄影者姓名").fill(credit)
    if number == 1:
        body.locator(".nr-photo").scroll_into_view_if_needed()
        tour.shot("desk-photo-1280")
    body.get_by_role("button", name="上传并插入正文").click()
    body.locator("text=已上传").wait_for(timeout=WAIT_MS)
    tour.choose("district", article["district"])
    tour.choose("status", "发布")
    tour.field("page").fill(article["page"])
    tour.field("pagename").fill(article["pagename"])
    tour.field("pageorder").fill(article["order"])
    tour.field("tags").fill(article["tags"])
    if number == 2:
        # A headline that is too long: the check's warning appears under it before saving.
        tour.field("title").fill(article["title"] + "，来自全区机关、企业和镇街的三十二支队伍参加比赛")
        tour.control("title").locator(".nr-problem").wait_for(timeout=WAIT_MS)
        tour.field("title").scroll_into_view_if_needed()
        tour.shot("desk-check-1280")
        tour.field("title").fill(article["title"])
        tour.control("title").locator(".nr-problem").wait_for(state="detached", timeout=WAIT_MS)
    tour.field("date").scroll_into_view_if_needed()
    page.locator(".nr-embargo").wait_for()
    tour.save()
    tour.say(f"saved 《{article['title']}》 ({page.locator('.nr-check-summary').inner_text()})")
    if number == 1:
        frame = page.frame_locator("iframe").first.frame_locator("iframe[title='网页预览']")
        frame.locator("h1", has_text=article["title"]).wait_for(timeout=WAIT_MS)
        tour.field("title").scroll_into_view_if_needed()
        tour.shot("desk-edit-1280")


def correct(tour, when):
    page = tour.page
    page.click("#nr-find-open")
    page.fill("#nr-find-q", "篮球联赛")
    page.keyboard.press("Enter")
    page.locator(".nr-find-hits a", has_text=CORRECTED).click()
    tour.field("kicker").wait_for()
    tour.control("correction").get_by_role("button", name=re.compile("新增")).click()
    tour.control("correction").locator("input").last.fill(
        f"{when:%Y-%m-%d} 正文第一段中的“24支男子篮球队”应为“26支男子篮球队”。")
    tour.save()
    tour.say(f"corrected 《{CORRECTED}》")
    history = page.locator(".nr-history")
    history.locator("li").nth(1).wait_for(timeout=WAIT_MS)
    history.get_by_role("button", name="与现在比较").first.click()
    page.locator(".nr-diff ins").first.wait_for()
    page.locator(".nr-diff").scroll_into_view_if_needed()
    tour.shot("desk-history-1280")
    # Undo: back to the version before the correction (a new save), then forward again.
    for restore, present in ((1, False), (1, True)):
        page.once("dialog", lambda dialog: dialog.accept())
        with page.expect_navigation(timeout=WAIT_MS):  # the desk reloads the restored article
            history.locator("li").nth(restore).get_by_role("button", name="恢复到这个版本").click()
        tour.field("kicker").wait_for()
        history.locator("li").nth(1).wait_for(timeout=WAIT_MS)
        counted = re.search(r"(\d+)\s*更正", tour.control("correction").first.inner_text())  # Decap's "1 更正"
        lines = int(counted.group(1)) if counted else 0
        tour.say(f"restored the version {'with' if present else 'without'} the correction: {lines} correction line(s)")
        if bool(lines) != present:
            raise AssertionError("the restored version is not the one chosen")


def scheduled(tour, when):
    """定时发布: tomorrow's three articles with their time, and who will release them."""
    page = tour.page
    page.click("#nr-schedule-open")
    for article in ARTICLES:
        page.locator("#nr-schedule li", has_text=article["title"]).wait_for()
    tour.say("scheduled: " + page.locator("#nr-schedule").inner_text().replace("\n", " "))
    tour.shot("desk-schedule-1280")
    page.keyboard.press("Escape")


def publish(tour):
    page = tour.page
    page.click("#nr-publish-open")
    page.click("#nr-publish-start")
    page.wait_for_selector(".nr-publish-result .nr-ok, .nr-publish-result .nr-error", timeout=600_000)
    tour.say("publish: " + page.locator(".nr-publish-result").inner_text().replace("\n", " "))
    tour.shot("desk-publish-1280")
    page.keyboard.press("Escape")


def main(base, shots):
    tomorrow = (datetime.now(BEIJING) + timedelta(days=1)).replace(hour=6, minute=0, second=0, microsecond=0)
    with chromium() as browser:
        context = browser.new_context(base_url=base, locale="zh-CN", timezone_id="Asia/Shanghai",
                                      viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        tour = Tour(page, shots)
        page.goto("/desk/")
        page.locator("#nr-signin-name").wait_for()
        tour.shot("desk-signin-1280")
        page.fill("#nr-signin-name", "白莹")
        page.click("#nr-signin-form button")
        page.locator("a[href$='/collections/articles/new']").first.wait_for()
        page.get_by_role("button", name="分组").click()
        page.get_by_role("menuitem", name="期和版").click()
        page.wait_for_timeout(500)
        tour.shot("desk-list-1280")
        for number, article in enumerate(ARTICLES, 1):
            write_article(tour, article, tomorrow, number)
        scheduled(tour, tomorrow)
        correct(tour, datetime.now(BEIJING))
        publish(tour)
        context.close()

        phone = browser.new_context(base_url=base, locale="zh-CN", timezone_id="Asia/Shanghai",
                                    viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                    is_mobile=True, has_touch=True)
        page = phone.new_page()
        page.set_default_timeout(WAIT_MS)
        tour.page = page
        page.goto("/desk/")
        page.fill("#nr-signin-name", "马超")
        page.click("#nr-signin-form button")
        page.locator("text=" + ARTICLES[0]["title"]).first.wait_for()
        tour.shot("desk-list-390")
        page.locator("text=" + ARTICLES[0]["title"]).first.click()
        tour.field("title").wait_for()
        tour.shot("desk-edit-390")
        phone.close()
        tour.say(f"done; page errors: {errors or 'none'}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "docs/images/desk"))
