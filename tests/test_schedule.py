"""The scheduler publishes and deploys each issue at its time, with nobody at the keyboard.

A night of the desk in seconds: the scheduler runs on a fake clock (its sleep moves the
clock on) from 22:00 the evening before; every publish is a real ``newsroom build
--publish`` for the clock's moment, and every deploy a real ``newsroom deploy`` into a
SeaweedFS bucket, which the test reads anonymously, as a reader's browser would.
"""

import io
from datetime import datetime

import pytest

from deploy_support import anonymous_get, credentials_env, seaweed
from newsroom.desk.commands.deploy_cmd import deploy_published_site
from newsroom.desk.schedule import FakeClock, Scheduler
from newsroom.paper.release import BEIJING
from sitebuild import ROOT, write_article

ISSUE_DUE = datetime(2026, 12, 7, 6, 0, tzinfo=BEIJING)
TOMORROW_PAGE = "2026/12/07/dongji-songwennuan-qidong/index.html"


def article(title, slug, date, order):
    return (f"Title: {title}\nDate: {date}\nPage: 1\nPageName: 要闻\nPageOrder: {order}\nSlug: {slug}\n\n"
            f"本报讯（记者 林晓）近日，{title}，工会干部走访慰问困难职工，送去慰问金和过冬物资。\n")


def tonights_paper(folder):
    content = folder / "content"
    write_article(content, "2026/12/today.md", article("门头沟区职工书屋新添三千册图书", "mentougou-shuwu", "2026-12-06 06:00", 1))
    write_article(content, "2026/12/tomorrow.md", article("市总工会启动冬季送温暖活动", "dongji-songwennuan-qidong",
                                                          "2026-12-07 06:00", 1))
    return content


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        for name, value in credentials_env({}).items():
            patch.setenv(name, value)
        with seaweed(tmp_path_factory.mktemp("seaweed")) as running:
            yield running


def test_the_issue_goes_out_at_its_time_and_is_deployed(server, tmp_path):
    content, output = tonights_paper(tmp_path), tmp_path / "output"
    bucket = server.bucket("night")
    deployed = []  # what a reader gets from the bucket after each deploy

    def deploy(site):
        code = deploy_published_site(site, ROOT / "publishconf.py", out=log, target=f"s3://{bucket}",
                                     endpoint=server.endpoint, addressing="path")
        deployed.append(anonymous_get(server, bucket, TOMORROW_PAGE)[0])
        return code

    log = io.StringIO()
    clock = FakeClock(datetime(2026, 12, 6, 22, 0, tzinfo=BEIJING))
    scheduler = Scheduler(content, output, clock, deploy=deploy, poll=6 * 3600, out=log)
    scheduler.run(rounds=2)
    # 22:00: catch up (nothing due), deploy; sleep to 04:00 (the poll), then to 06:00: publish, deploy.
    assert scheduler.published == [datetime(2026, 12, 6, 22, 0, tzinfo=BEIJING), ISSUE_DUE], log.getvalue()
    assert clock.slept == [6 * 3600, 2 * 3600]
    assert deployed == [404, 200], log.getvalue()
    text = log.getvalue()
    assert "定时发布：下一次在 2026-12-07 06:00（1 篇稿件）" in text
    assert "定时发布：到时间了：2026-12-07 06:00《市总工会启动冬季送温暖活动》" in text
    assert "Traceback" not in text


def test_after_a_restart_it_catches_up_on_what_it_missed(tmp_path):
    content, output = tonights_paper(tmp_path), tmp_path / "output"
    log = io.StringIO()
    evening = Scheduler(content, output, FakeClock(datetime(2026, 12, 6, 22, 0, tzinfo=BEIJING)), out=log)
    evening.run(rounds=0)  # stopped before the night was over (a power cut at 23:00)
    assert not (output / TOMORROW_PAGE).exists()
    morning = Scheduler(content, output, FakeClock(datetime(2026, 12, 7, 7, 30, tzinfo=BEIJING)), out=log)
    morning.run(rounds=0)  # started again at 07:30: publishes at once what fell due at 06:00
    assert (output / TOMORROW_PAGE).is_file(), log.getvalue()
    assert morning.published == [datetime(2026, 12, 7, 7, 30, tzinfo=BEIJING)]


def test_a_refused_publish_is_tried_again_once_the_article_is_fixed(tmp_path):
    content, output = tonights_paper(tmp_path), tmp_path / "output"
    broken = write_article(content, "2026/12/broken.md", "Title: 缺日期的稿件\n\n本报讯（记者 林晓）正文。\n")

    class EditorAtNight(FakeClock):
        def sleep(self, seconds, stop):  # while the scheduler waits, the editor makes it a draft
            broken.write_text(broken.read_text(encoding="utf-8").replace("\n\n", "\nStatus: draft\n\n", 1),
                              encoding="utf-8")
            super().sleep(seconds, stop)

    log = io.StringIO()
    scheduler = Scheduler(content, output, EditorAtNight(datetime(2026, 12, 7, 5, 0, tzinfo=BEIJING)), poll=1800,
                          out=log)
    scheduler.run(rounds=2)
    text = log.getvalue()
    assert "定时发布：2026-12-07 05:00 的发布没有成功" in text and "缺少日期（Date）" in text
    assert "定时发布：稿件有改动，再试一次发布" in text
    assert scheduler.published == [datetime(2026, 12, 7, 5, 30, tzinfo=BEIJING), ISSUE_DUE], text
    assert (output / TOMORROW_PAGE).is_file()
