"""The scheduler publishes and deploys each issue at its time, with nobody at the keyboard.

The first test is the real thing on the real clock: ``python -m newsroom schedule`` runs
as its own process (as the systemd service runs it), with ``DEPLOY_*`` pointing at a
SeaweedFS bucket; an article is given a ``Date`` a few seconds ahead, and the bucket is
read anonymously, as a reader's browser reads it, before and after that moment. Then the
scheduler is stopped, an article falls due while nothing runs, and the timer's
``schedule --once`` catches up. Nothing in it is faked: every publish is a real ``newsroom
build --publish`` and every deploy a real one.

The others drive :class:`Scheduler` on a clock whose sleep moves it on (a night in
seconds), to pin down its decisions: a refused publish is tried again once the article is
fixed (real builds), and an article that falls due while a publish runs goes out right
after it.
"""

import gzip
import io
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta

import pytest

from deploy_support import anonymous_get, credentials_env, seaweed
from newsroom.desk.schedule import FakeClock, Scheduler
from newsroom.paper.release import BEIJING, beijing_text
from sitebuild import ROOT, write_article

ISSUE_DUE = datetime(2026, 12, 7, 6, 0, tzinfo=BEIJING)
TOMORROW_PAGE = "2026/12/07/dongji-songwennuan-qidong/index.html"
FEED = "feeds/all.atom.xml"
# How long a publish and its deploy may take on the shared 2-core machine under load.
PUBLISH_SECONDS = 240


def article(title, slug, date, order=1):
    return (f"Title: {title}\nDate: {date}\nPage: 1\nPageName: 要闻\nPageOrder: {order}\nSlug: {slug}\n\n"
            f"本报讯（记者 林晓）近日，{title}，工会干部走访慰问困难职工，送去慰问金和过冬物资。\n")


def tonights_paper(folder):
    content = folder / "content"
    write_article(content, "2026/12/today.md", article("门头沟区职工书屋新添三千册图书", "mentougou-shuwu", "2026-12-06 06:00"))
    write_article(content, "2026/12/tomorrow.md", article("市总工会启动冬季送温暖活动", "dongji-songwennuan-qidong",
                                                          "2026-12-07 06:00"))
    return content


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        for name, value in credentials_env({}).items():
            patch.setenv(name, value)
        with seaweed(tmp_path_factory.mktemp("seaweed")) as running:
            yield running


# --- the real scheduler on the real clock ----------------------------------------------

def stamp(when):
    return when.strftime("%Y-%m-%d %H:%M:%S")


def page_of(when, slug):
    return f"{when:%Y/%m/%d}/{slug}/index.html"


def read(server, bucket, key):
    """``(status, text)`` of an object as a reader gets it (gzip undone, as browsers do)."""
    status, headers, body = anonymous_get(server, bucket, key)
    if headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return status, body.decode("utf-8", "replace")


class Running:
    """A scheduler process; its output collected line by line as it comes."""

    def __init__(self, command, env):
        self.lines = []
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, encoding="utf-8", start_new_session=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def text(self):
        return "".join(self.lines)

    def wait_for(self, words, timeout=PUBLISH_SECONDS, after=0):
        """The index of the first line from ``after`` on that holds ``words``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for index, line in enumerate(self.lines[after:], after):
                if words in line:
                    return index
            assert self.process.poll() is None, self.text
            time.sleep(0.2)
        raise AssertionError(f"no line with {words!r} in {timeout} s:\n{self.text}")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # as the service manager stops it
        code = self.process.wait(timeout=PUBLISH_SECONDS)
        self.reader.join(timeout=10)
        return code


def test_an_issue_goes_out_at_its_time_and_after_a_stop_is_caught_up(server, tmp_path):
    bucket = server.bucket("night")
    content, output = tmp_path / "content", tmp_path / "output"
    env = {**credentials_env(), "NEWSROOM_LANG": "zh", "NEWSROOM_DEPLOY_TARGET": f"s3://{bucket}",
           "NEWSROOM_DEPLOY_ENDPOINT": server.endpoint, "NEWSROOM_DEPLOY_ADDRESSING": "path"}
    env = {name: value for name, value in env.items() if name not in ("NEWSROOM_NOW", "FASTBUILD_PREVIEW")}
    started = datetime.now(BEIJING)
    earlier = started - timedelta(hours=1)  # the day before, when the test runs in Beijing's first hour
    write_article(content, "2026/12/today.md", article("门头沟区职工书屋新添三千册图书", "mentougou-shuwu",
                                               stamp(earlier)))
    later = started + timedelta(days=1)  # prepared tonight for tomorrow: out of reach all through the test
    write_article(content, "2026/12/later.md", article("丰台区职工运动会明日开幕", "fengtai-yundonghui", stamp(later), 2))
    schedule = [sys.executable, "-m", "newsroom", "schedule", "--content", str(content), "--output", str(output)]
    running = Running([*schedule, "--poll", "2"], env)
    try:
        # At start: what is due (today's article) is published and deployed; tomorrow's waits.
        running.wait_for("发布完成")
        assert read(server, bucket, page_of(earlier, "mentougou-shuwu"))[0] == 200, running.text
        assert running.wait_for(f"定时发布：下一次在 {beijing_text(later.replace(microsecond=0))}（1 篇稿件）") is not None
        # Tonight an editor adds an article due a few seconds from now; the scheduler sees it.
        due = datetime.now(BEIJING).replace(microsecond=0) + timedelta(seconds=12)
        title, slug = "市总工会启动冬季送温暖活动", "songwennuan-qidong"
        write_article(content, "2026/12/due.md", article(title, slug, stamp(due), 3))
        seen = running.wait_for(f"定时发布：下一次在 {beijing_text(due)}（1 篇稿件）", timeout=30)
        checked_before = 0
        while datetime.now(BEIJING) < due - timedelta(seconds=1):  # not a moment early
            assert read(server, bucket, page_of(due, slug))[0] == 404
            assert title not in read(server, bucket, FEED)[1]
            assert not (output / page_of(due, slug)).exists()
            checked_before += 1
            time.sleep(0.5)
        assert checked_before, "the article fell due before the test could look: raise its seconds ahead"
        running.wait_for(f"定时发布：到时间了：{beijing_text(due)}《{title}》", after=seen)
        done = running.wait_for("发布完成", after=seen)
        published_after = (datetime.now(BEIJING) - due).total_seconds()
        status, page = read(server, bucket, page_of(due, slug))
        assert status == 200 and title in page, running.text
        assert title in read(server, bucket, FEED)[1]
        assert read(server, bucket, page_of(later, "fengtai-yundonghui"))[0] == 404  # still waiting
        assert "Traceback" not in running.text and "发布没有成功" not in running.text, running.text
        print(f"published and deployed {published_after:.1f} s after its time (line {done})")
    finally:
        code = running.stop()
    assert code == 0 and "定时发布：已停止" in running.text

    # The machine is off when the next article falls due; the timer's run catches up.
    missed = datetime.now(BEIJING).replace(microsecond=0) + timedelta(seconds=2)
    write_article(content, "2026/12/missed.md", article("延庆区职工冰雪季启动", "yanqing-bingxue", stamp(missed), 4))
    while datetime.now(BEIJING) <= missed:
        time.sleep(0.2)
    assert read(server, bucket, page_of(missed, "yanqing-bingxue"))[0] == 404
    once = subprocess.run([*schedule, "--once"], cwd=ROOT, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=PUBLISH_SECONDS * 2)
    assert once.returncode == 0, once.stdout + once.stderr
    assert read(server, bucket, page_of(missed, "yanqing-bingxue"))[0] == 200, once.stdout
    assert read(server, bucket, page_of(later, "fengtai-yundonghui"))[0] == 404


def test_without_a_deploy_target_it_says_so_once_and_builds_only(tmp_path):
    from newsroom.desk.commands.schedule_cmd import deployer

    out = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("NEWSROOM_DEPLOY_TARGET", raising=False)
        assert deployer(True, out) is None
        patch.setenv("NEWSROOM_DEPLOY_TARGET", "s3://union-daily")
        assert deployer(True, io.StringIO()) is not None
    assert out.getvalue().count("没有设置上传目标（DEPLOY_TARGET），发布后只生成 output/，不上传") == 1
    assert deployer(False, out) is None


# --- its decisions, on a clock whose sleep moves it on -----------------------------------

def test_a_refused_publish_is_tried_again_once_the_article_is_fixed(tmp_path):
    content, output = tonights_paper(tmp_path), tmp_path / "output"
    broken = write_article(content, "2026/12/broken.md", "Title: 缺日期的稿件\n\n本报讯（记者 林晓）正文。\n")

    class EditorAtNight(FakeClock):
        def sleep(self, seconds, stop):  # while the scheduler waits, the editor makes it a draft
            broken.write_text(broken.read_text(encoding="utf-8").replace("\n\n", "\nStatus: draft\n\n", 1),
                              encoding="utf-8")
            super().sleep(seconds, stop)

    log = io.StringIO()
    clock = EditorAtNight(datetime(2026, 12, 7, 5, 0, tzinfo=BEIJING))
    scheduler = Scheduler(content, output, clock, poll=1800, out=log)
    scheduler.run(rounds=2)
    text = log.getvalue()
    assert "定时发布：2026-12-07 05:00 的发布没有成功" in text and "缺少日期（Date）" in text
    assert "定时发布：稿件有改动，再试一次发布" in text
    assert "定时发布：下一次在 2026-12-07 06:00（1 篇稿件）" in text
    assert "定时发布：到时间了：2026-12-07 06:00《市总工会启动冬季送温暖活动》" in text
    assert scheduler.published == [datetime(2026, 12, 7, 5, 30, tzinfo=BEIJING), ISSUE_DUE], text
    assert clock.slept == [1800, 1800]
    assert (output / TOMORROW_PAGE).is_file()


def test_an_article_due_while_a_publish_runs_goes_out_right_after_it(tmp_path):
    # The catch-up publish at 05:59 takes two minutes; the 06:00 article must not wait for
    # a poll (nor be missed: when the scheduler looks again, it is no longer "waiting").
    content = tonights_paper(tmp_path)
    clock = FakeClock(datetime(2026, 12, 7, 5, 59, tzinfo=BEIJING))
    publishes, deploys = [], []

    def publish(when):  # the build: two minutes pass
        publishes.append(when)
        clock.current += timedelta(minutes=2)
        (tmp_path / "output").mkdir(exist_ok=True)
        os.utime(tmp_path / "output", ns=(len(publishes), len(publishes)))  # the site changed
        return 0

    def deploy(site):
        deploys.append(clock.now())
        return 1 if len(deploys) == 2 else 0  # the second deploy fails once (a network hiccup)

    log = io.StringIO()
    scheduler = Scheduler(content, tmp_path / "output", clock, publish=publish, deploy=deploy, poll=3600, out=log)
    scheduler.run(rounds=1)
    assert publishes == [datetime(2026, 12, 7, 5, 59, tzinfo=BEIJING), datetime(2026, 12, 7, 6, 1, tzinfo=BEIJING)]
    assert clock.slept == [3600]  # no article left: the poll
    # The failed deploy is said, and tried again after the sleep, not at once.
    assert deploys == [datetime(2026, 12, 7, 6, 1, tzinfo=BEIJING), datetime(2026, 12, 7, 6, 3, tzinfo=BEIJING),
                       datetime(2026, 12, 7, 7, 3, tzinfo=BEIJING)], log.getvalue()
    assert "上传没有成功（原因见上面）；3600 秒后再试" in log.getvalue()
