"""The web desk's server (``make desk``) without a browser: Decap's proxy protocol over a real
git repository, the canonical file form, the generated config, check in place, history,
publishing, and the rules that keep it to this machine. tests/test_desk_browser.py drives
the same server through Decap CMS in Chromium."""

import base64
import io
import os
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urljoin
from zoneinfo import ZoneInfo

import pytest

from desk_support import ROOT, Client, desk_server, git, make_newsroom, photo_bytes
from newsroom.desk.checks import check_paths
from newsroom.desk.web import decap_config
from newsroom.desk.web.server import GUIDE_SCHEDULING
from newsroom.desk.web.server import main as desk_main
from newsroom.desk.web.uploads import TAB_GONE_S
from newsroom.paper import fields
from newsroom.paper.content import canonical_text, format_article, parse_text, read_source, split_list

ARTICLE = "content/2024/05/miyun-zhigong-lanqiu-liansai.md"
JPEG = photo_bytes()


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory):
    folder = tmp_path_factory.mktemp("desk")
    repo = make_newsroom(folder)
    with desk_server(folder, repo) as (base, desk):
        yield base, desk, repo


@pytest.fixture
def editor(newsroom):
    return Client(newsroom[0], "白莹")


# --- the file format -------------------------------------------------------------------


def test_format_article_writes_the_canonical_order_and_spelling():
    text = format_article([("tags", "工会，职工书屋"), ("Title", " 标题 "), ("Foo", "x"), ("date", "2024-01-02"),
                           ("Correction", "2024-01-03 甲"), ("pagename", "要闻"), ("Correction", "2024-01-04 乙"),
                           ("Kicker", ""), ("Summary", "一行\n两行")], "\n\n本报讯（记者 白莹）正文。\n\n\n")
    assert text == ("Title: 标题\nDate: 2024-01-02\nPageName: 要闻\nTags: 工会, 职工书屋\nSummary: 一行 两行\n"
                    "Correction: 2024-01-03 甲\nCorrection: 2024-01-04 乙\nFoo: x\n\n本报讯（记者 白莹）正文。\n")


def test_every_sample_article_has_one_canonical_form_that_reads_the_same():
    paths = sorted((ROOT / "content").rglob("*.md"))
    unchanged = 0
    for path in paths:
        text = path.read_text(encoding="utf-8")
        canonical = canonical_text(text)
        assert canonical_text(canonical) == canonical, path
        before, after = parse_text(text, path), parse_text(canonical, path)
        assert after.body == before.body, path
        lists = {field.key for field in fields.desk_fields() if field.is_list}
        assert after.meta == {key: [", ".join(split_list(v)) if key in lists else v for v in values]
                              for key, values in before.meta.items()}, path
        unchanged += canonical == text
    # The sample was written by hand in (nearly) this order: the canonical form is its own.
    assert unchanged >= len(paths) - 3


def test_new_writes_the_canonical_form(tmp_path):
    from newsroom.desk.cli import build_parser

    args = build_parser().parse_args(["new", "--content", str(tmp_path), "--title", "延庆区职工冰雪运动会开幕",
                                      "--district", "延庆", "--date", "2024-01-20", "--page", "2",
                                      "--page-name", "基层", "--authors", "白莹", "--kicker", "冬日运动"])
    assert args.func(args) == 0
    path = next(tmp_path.rglob("*.md"))
    text = path.read_text(encoding="utf-8")
    assert text == canonical_text(text)
    assert text.startswith("Title: 延庆区职工冰雪运动会开幕\nKicker: 冬日运动\nDate: 2024-01-20\nDistrict: 延庆区\n"
                           "Status: draft\nAuthors: 白莹\nPage: 2\nPageName: 基层\nSlug: ")  # new writes a draft


# --- the content model and the config ---------------------------------------------------


def test_content_model_matches_field_names_and_the_docs():
    known = {name.lower() for name in fields.field_names()["known"]["fields"]}
    model = fields.model_fields()
    assert all(field.key in known for field in model)
    table = re.findall(r"^\| `(\w+)` \| (\S+) \|", (ROOT / "docs" / "content-model.md").read_text(encoding="utf-8"),
                       re.M)
    assert table == [(field.name, field.zh) for field in fields.desk_fields()]


def test_the_form_has_a_control_for_every_field_with_chinese_labels():
    config = decap_config.decap_config("content", ["2024-05", "2024-01"])
    articles = next(c for c in config["collections"] if c["name"] == "articles")
    form = {field["name"]: field for field in articles["fields"]}
    for field in fields.desk_fields():
        assert field.key in form, field.name
        assert form[field.key]["label"].startswith(field.zh)
        assert form[field.key]["required"] == field.required
    assert form["district"]["widget"] == "select" and len(form["district"]["options"]) == 17
    assert form["date"]["widget"] == "newsdate" and form["slug"]["widget"] == "slug"
    assert form["correction"]["widget"] == "list" and form["topics"]["multiple"] is True
    assert {o["value"] for o in form["topics"]["options"]} >= {"relief", "arts", "dispute", "none"}
    shown = [f for f in articles["fields"] if f["widget"] != "hidden"]
    assert form["title"]["hint"] and all(re.search(r"[\u4e00-\u9fff]", f["label"]) for f in shown)
    assert form["author"]["widget"] == "hidden"  # another spelling of Authors: kept in the file, not offered
    names = [f["name"] for f in articles["fields"]]
    assert names.index("date") < names.index("body") < names.index("district")
    assert form["body"]["widget"] == "newsbody" and form["body"]["modes"] == ["raw"]
    assert {"desk_issue", "desk_district", "desk_status", "desk_date"} == {g["field"] for g in articles["view_groups"]}
    filters = {f["label"] for f in articles["view_filters"]}
    assert {"日期：2024年5月", "区：门头沟区", "状态：草稿"} <= filters
    assert config["locale"] == "zh_Hans" and config["backend"]["proxy_url"] == "/desk/api/v1"


def test_a_field_the_site_learns_appears_in_the_form_without_code(monkeypatch):
    names = {**fields.field_names(), "known": {**fields.field_names()["known"],
                                         "fields": [*fields.field_names()["known"]["fields"], "Place"]},
             "fields": {**fields.field_names()["fields"], "地点": "Place"}}
    for cached in (fields.field_names, fields.desk_fields, fields.canonical_order):
        cached.cache_clear()
    monkeypatch.setattr(fields, "field_names", lambda: names)
    try:
        form = {f["name"]: f for f in decap_config.article_fields()}
        assert form["place"]["label"] == "地点" and form["place"]["widget"] == "string"
        assert format_article([("Place", "首钢园"), ("Title", "t")], "x") == "Title: t\nPlace: 首钢园\n\nx\n"
    finally:
        monkeypatch.undo()
        for cached in (fields.desk_fields, fields.canonical_order):
            cached.cache_clear()


# --- loopback only ----------------------------------------------------------------------


def test_a_foreign_host_or_origin_is_refused_and_no_folder_is_listed(newsroom):
    base, desk, repo = newsroom
    client = Client(base, "白莹")
    for path in ("/desk/", "/desk/config.yml", "/"):
        status, _, body = client.request("GET", path, headers={"Host": "attacker.example:80"})
        assert status == 421 and "localhost" in body.decode("utf-8")
    assert client.request("GET", "/desk/", headers={"Host": "127.0.0.1:" + base.rsplit(":", 1)[1]})[0] == 200
    status, body = client.json("POST", "/desk/api/v1", {"action": "info"}, headers={"Origin": "http://evil.example"})
    assert status == 403 and "其他网站" in body["error"]
    assert client.json("POST", "/desk/api/v1", {"action": "info"}, headers={"Origin": None})[0] == 403
    assert client.request("POST", "/desk/api/v1", raw=b"action=info",
                          headers={"Content-Type": "text/plain"})[0] == 415
    assert Client(base).json("POST", "/desk/api/v1", {"action": "info"})[0] == 401
    # A photo too large is refused before it is read, with a reason an editor can act on
    # (not "refresh the page", which would lose the unsaved article).
    status, body = client.json("POST", "/desk/api/v1", {"action": "info"},
                               headers={"Content-Length": str(70 * 1024 * 1024)})
    assert status == 413 and "40 MB" in body["error"] and "不要刷新" in body["error"]
    (desk.preview.output / "2024" / "05").mkdir(parents=True, exist_ok=True)
    status, _, body = client.request("GET", "/2024/05/")
    assert status == 404 and b"<a href" not in body
    status, _, body = client.request("GET", "/desk/decap/../../package.json")
    assert status == 404


def test_desk_will_not_listen_beyond_this_machine(capsys):
    assert desk_main(["--bind", "0.0.0.0", "--port", "0"]) == 2
    assert "127.0.0.1" in capsys.readouterr().err


def test_the_desks_help_is_chinese_and_english_on_lang_en(capsys):
    from newsroom import messages

    try:
        for argv, words in ((["--help"], ("用法", "网页编辑台", "编辑台和预览用的端口")),
                            (["--help", "--lang", "en"], ("usage", "The web desk", "the port of the desk"))):
            with pytest.raises(SystemExit):
                desk_main(argv)
            out = capsys.readouterr().out
            assert all(word in out for word in words), out
    finally:
        messages.set_language(None)


def test_signing_in_sets_the_editor_and_refuses_odd_names(newsroom):
    base = newsroom[0]
    status, headers, _ = Client(base).request("POST", "/desk/api/signin", {"name": "马超"})
    cookie = headers["Set-Cookie"]
    assert status == 200 and "SameSite=Strict" in cookie and "HttpOnly" in cookie
    assert Client(base).json("POST", "/desk/api/signin", {"name": "<b>x</b>"})[0] == 422
    assert Client(base, "马超").json("GET", "/desk/api/whoami") == (200, {"editor": "马超"})
    status, headers, _ = Client(base, "马超").request("POST", "/desk/api/signout", {})
    assert status == 200 and "Max-Age=0" in headers["Set-Cookie"]


# --- Decap's protocol --------------------------------------------------------------------


def test_lists_and_reads_only_the_content_folder(newsroom, editor):
    base, desk, repo = newsroom
    status, entries = editor.action("entriesByFolder", folder="content", extension="md", depth=3)
    assert status == 200
    paths = [entry["file"]["path"] for entry in entries]
    # The paper's reading order, newest day first (Decap groups the list in this order).
    assert paths == [ARTICLE, "content/2024/05/miaofengshan-zhigongzhijia-xiufu-kaifang.md",
                     "content/2024/01/mentougou-songwennuan-ruhu-zoufang.md"]
    status, pages = editor.action("entriesByFolder", folder="content/pages", extension="md", depth=1)
    assert [p["file"]["path"] for p in pages] == ["content/pages/about.md"]
    (repo / "secret.md").write_text("Title: x\n", encoding="utf-8")
    (repo / "content" / "2024" / "05" / "link.md").symlink_to(repo / "secret.md")
    for path in ("content/../secret.md", "content/2024/05/link.md", "/etc/passwd", "content/.git/config.md",
                 "secret.md", "content/2024/05/../../../secret.md"):
        status, answer = editor.action("getEntry", path=path)
        assert status == 403 and "content" in answer["error"], path
    status, answer = editor.action("getEntry", path="pelicanconf.py")
    assert status == 403


def test_a_save_is_written_in_the_canonical_form_and_committed_by_its_editor(newsroom, editor):
    base, desk, repo = newsroom
    path = repo / ARTICLE
    original = path.read_text(encoding="utf-8")
    editor.action("getEntry", path=ARTICLE)
    # Decap sends the whole file; this one has its fields out of order and a list in Chinese commas.
    raw = original.replace("Title: 密云区职工篮球联赛开赛\n", "") + ""
    raw = "Subtitle: 十二支队伍参赛\n" + raw.replace("Date:", "Title: 密云区职工篮球联赛开赛\nDate:", 1)
    status, answer = editor.action("persistEntry", dataFiles=[{"path": ARTICLE, "slug": "x", "raw": raw}], assets=[],
                                   options={"commitMessage": "ignored", "useWorkflow": False, "status": ""})
    assert status == 200, answer
    saved = path.read_text(encoding="utf-8")
    assert saved == canonical_text(raw)
    assert saved.splitlines()[:2] == ["Title: 密云区职工篮球联赛开赛", "Subtitle: 十二支队伍参赛"]
    log = git(repo, "log", "-1", "--format=%an|%s", "--", ARTICLE)
    assert log.startswith("白莹|编辑台：白莹 保存《密云区职工篮球联赛开赛》")
    assert git(repo, "status", "--porcelain", "--", ARTICLE) == ""


def test_a_save_over_another_editors_newer_save_is_refused(newsroom):
    base, desk, repo = newsroom
    first, second = Client(base, "林晓"), Client(base, "王磊")
    path = "content/2024/01/mentougou-songwennuan-ruhu-zoufang.md"
    text = first.action("getEntry", path=path)[1]["data"]
    second.action("getEntry", path=path)
    save = dict(assets=[], options={"commitMessage": "x", "useWorkflow": False, "status": ""})
    assert second.action("persistEntry", dataFiles=[{"path": path, "slug": "x", "raw": text + "\n王磊补充的一段。\n"}],
                         **save)[0] == 200
    status, answer = first.action("persistEntry", dataFiles=[{"path": path, "slug": "x", "raw": text}], **save)
    assert status == 409 and "王磊" in answer["error"]
    assert "王磊补充的一段" in (repo / path).read_text(encoding="utf-8")
    # Who has the article open is told to the others.
    assert first.json("POST", "/desk/api/presence", {"path": path})[1] == {"others": []}
    assert [o["editor"] for o in second.json("POST", "/desk/api/presence", {"path": path})[1]["others"]] == ["林晓"]
    assert [o["editor"] for o in first.json("POST", "/desk/api/presence", {"path": path})[1]["others"]] == ["王磊"]


def test_a_new_article_never_replaces_a_file(newsroom, editor):
    base, desk, repo = newsroom
    path = "content/2024/05/xin-gao.md"
    assert editor.action("getEntry", path=path)[1]["data"] is None  # Decap asks whether the name is free
    (repo / path).write_text("Title: 别人的稿件\nDate: 2024-05-14\n\n正文。\n", encoding="utf-8")
    status, answer = editor.action("persistEntry", dataFiles=[{"path": path, "slug": "x", "raw": "Title: 新稿\n"}],
                                   assets=[], options={"commitMessage": "x", "useWorkflow": False, "status": ""})
    assert status == 409 and "已经存在" in answer["error"]
    assert (repo / path).read_text(encoding="utf-8").startswith("Title: 别人的稿件")
    status, answer = editor.action("persistEntry", dataFiles=[{"path": "content/xin.md", "slug": "x", "raw": "T"}],
                                   assets=[], options={"commitMessage": "x", "useWorkflow": False, "status": ""})
    assert status == 422 and "日期" in answer["error"]


def test_a_photo_is_saved_beside_its_article_in_the_same_commit(newsroom, editor):
    base, desk, repo = newsroom
    text = editor.action("getEntry", path=ARTICLE)[1]["data"]
    raw = text.rstrip("\n") + "\n\n![队员在比赛中](lanqiu.jpg \"密云区职工篮球联赛现场 本报记者 白莹 摄\")\n"
    asset = {"path": "content/2024/05/lanqiu.jpg", "content": base64.b64encode(JPEG).decode(), "encoding": "base64"}
    save = dict(options={"commitMessage": "x", "useWorkflow": False, "status": ""})
    fake = {**asset, "content": base64.b64encode(b"<html>not a photo</html>").decode()}
    status, answer = editor.action("persistEntry", dataFiles=[{"path": ARTICLE, "slug": "x", "raw": raw}],
                                   assets=[fake], **save)
    assert status == 422 and "不是" in answer["error"]
    assert not (repo / "content/2024/05/lanqiu.jpg").exists()
    status, answer = editor.action("persistEntry", dataFiles=[{"path": ARTICLE, "slug": "x", "raw": raw}],
                                   assets=[asset], **save)
    assert status == 200, answer
    assert (repo / "content/2024/05/lanqiu.jpg").read_bytes() == JPEG
    changed = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(changed) == ["content/2024/05/lanqiu.jpg", ARTICLE]
    status, media = editor.action("getMedia", mediaFolder="content/2024/05")
    assert [m["name"] for m in media] == ["lanqiu.jpg", "miyun-zhigong-lanqiu-liansai-1.jpg"]
    assert {m["content"] for m in media} == {""}  # names, not megabytes
    status, answer = editor.action("persistMedia", asset={**asset, "path": "content/2024/05/x.svg"},
                                   options={"commitMessage": "x"})
    assert status == 422


def test_the_photo_inserter_puts_each_photo_beside_its_article_under_a_new_name(newsroom, editor):
    base, desk, repo = newsroom
    article = "content/2024/01/mentougou-songwennuan-ruhu-zoufang.md"
    upload = {"article": article, "name": "IMG_2041.JPEG", "content": base64.b64encode(JPEG).decode()}
    status, answer = editor.json("POST", "/desk/api/photo", upload)
    assert (status, answer["name"]) == (200, "mentougou-songwennuan-ruhu-zoufang-1.jpg")
    assert editor.json("POST", "/desk/api/photo", upload)[1]["name"] == "mentougou-songwennuan-ruhu-zoufang-2.jpg"
    assert (repo / "content/2024/01/mentougou-songwennuan-ruhu-zoufang-1.jpg").read_bytes() == JPEG
    for bad in ({**upload, "content": base64.b64encode(b"GIF89a...").decode()}, {**upload, "name": "x.gif"},
                {**upload, "article": "content/pages/about.md"}, {**upload, "article": "content/../x.md"}):
        assert editor.json("POST", "/desk/api/photo", bad)[0] in (403, 422), bad
    # A JPEG cut short (magic bytes right, pixels missing) fails the photos' own check, in Chinese.
    torn = {**upload, "content": base64.b64encode(JPEG[: len(JPEG) // 2]).decode()}
    status, answer = editor.json("POST", "/desk/api/photo", torn)
    assert status == 422 and "没有保存图片" in answer["error"] and "改法" in answer["error"], answer
    assert not (repo / "content/2024/01/mentougou-songwennuan-ruhu-zoufang-3.jpg").exists()
    # Not committed yet: each photo waits for the article. The save that names photo 1 commits
    # it with the article; photo 2, never named by a save, goes when the form is closed.
    first, second = (repo / f"content/2024/01/mentougou-songwennuan-ruhu-zoufang-{n}.jpg" for n in (1, 2))
    assert git(repo, "status", "--porcelain", "--", str(first.parent)).count("??") == 2
    text = editor.action("getEntry", path=article)[1]["data"]
    raw = text.rstrip("\n") + "\n\n![送温暖](mentougou-songwennuan-ruhu-zoufang-1.jpg \"入户走访 本报记者 白莹 摄\")\n"
    status, answer = editor.action("persistEntry", dataFiles=[{"path": article, "slug": "x", "raw": raw}], assets=[],
                                   options={"commitMessage": "x", "useWorkflow": False, "status": ""})
    assert status == 200, answer
    assert sorted(git(repo, "show", "--name-only", "--format=", "HEAD").split()) == sorted([article, str(first.relative_to(repo))])
    assert editor.json("POST", "/desk/api/photo/leave", {"article": article}) == (200, {"removed": [second.name]})
    assert first.is_file() and not second.exists()
    # Another tab's upload for a new article that is never saved: gone once that tab is.
    upload = {"article": "content/2024/01/xin-gao.md", "name": "a.jpg", "content": base64.b64encode(JPEG).decode()}
    tab = {"X-Desk-Tab": "tab-photo-never-saved"}
    status, answer = editor.json("POST", "/desk/api/photo", upload, headers=tab)
    assert status == 200 and (first.parent / answer["name"]).is_file()
    assert editor.json("POST", "/desk/api/photo/leave", {"article": upload["article"]})[1] == {"removed": []}  # another tab
    desk.uploads.gone_s = 0
    try:
        editor.json("POST", "/desk/api/presence", {"path": article})  # any request sweeps
    finally:
        desk.uploads.gone_s = TAB_GONE_S
    assert not (first.parent / answer["name"]).exists() and first.is_file()


def test_history_comparison_and_undo_come_from_git(newsroom, editor):
    base, desk, repo = newsroom
    path = "content/2024/05/miaofengshan-zhigongzhijia-xiufu-kaifang.md"
    first = editor.action("getEntry", path=path)[1]["data"]
    save = dict(assets=[], options={"commitMessage": "x", "useWorkflow": False, "status": ""})
    changed = first.replace("Title: 门头沟区受灾职工之家完成修复重新开放", "Title: 门头沟区受灾职工之家重新开放")
    assert editor.action("persistEntry", dataFiles=[{"path": path, "slug": "x", "raw": changed}], **save)[0] == 200
    status, history = editor.json("GET", "/desk/api/history?path=" + path)
    assert [(e["editor"], e["desk"]) for e in history["entries"]] == [("白莹", True), ("sample", False)]
    old = history["entries"][1]["commit"]
    status, diff = editor.json("GET", f"/desk/api/diff?path={path}&commit={old}")
    assert {"op": "-", "text": "Title: 门头沟区受灾职工之家完成修复重新开放"} in diff["lines"]
    assert {"op": "+", "text": "Title: 门头沟区受灾职工之家重新开放"} in diff["lines"]
    assert editor.json("POST", "/desk/api/restore", {"path": path, "commit": old})[0] == 200
    assert (repo / path).read_text(encoding="utf-8") == first
    entries = editor.json("GET", "/desk/api/history?path=" + path)[1]["entries"]
    assert len(entries) == 3 and "恢复" in entries[0]["message"]
    assert editor.json("GET", f"/desk/api/diff?path={path}&commit=nothex")[0] == 404


# --- check in place ---------------------------------------------------------------------


def test_check_places_each_problem_at_its_field_or_body_line(newsroom, editor):
    path = "content/2024/05/new-one.md"
    text = ("Title: 一篇新稿\nPage: 第二版\nSlug: Bad Slug\n\n本报讯（记者 白莹）近日……\n\n<script>x</script>\n")
    status, answer = editor.json("POST", "/desk/api/check", {"path": path, "text": text})
    assert status == 200
    where = {(p["field"], p["severity"]) for p in answer["problems"]}
    assert ("date", "error") in where  # "no Date" is reported at line 1, the headline's
    # In the form, the fix is the field to fill in, not a line to add to the file.
    date_fix = next(p["fix"] for p in answer["problems"] if p["field"] == "date")
    assert "“日期”一栏" in date_fix and "信息块" not in date_fix
    assert ("slug", "error") in where and ("page", "error") in where
    body = [p for p in answer["problems"] if p["field"] == "body"]
    assert body and body[0]["body_line"] == 3
    # A long headline's warning stays at the headline, although its fix names Kicker:.
    long = text.replace("一篇新稿", "海淀区职工篮球赛开幕，来自全区机关、企业和镇街的三十二支队伍参加比赛")
    status, answer = editor.json("POST", "/desk/api/check", {"path": path, "text": long})
    assert [p["field"] for p in answer["problems"] if "标题有" in p["message"]] == ["title"]
    # The address of another article is an error before saving, as in `newsroom check`.
    other = (newsroom[2] / ARTICLE).read_text(encoding="utf-8")
    status, answer = editor.json("POST", "/desk/api/check", {"path": path, "text": other})
    assert any("URL" in p["message"] or "网址" in p["message"] for p in answer["problems"] if p["severity"] == "error")
    status, answer = editor.json("GET", "/desk/api/check?path=" + ARTICLE)
    assert status == 200 and not [p for p in answer["problems"] if p["severity"] == "error"]


def test_search_finds_two_characters_in_headlines_and_text(newsroom, editor):
    status, answer = editor.json("GET", "/desk/api/search?q=" + quote("篮球"))
    assert [hit["slug"] for hit in answer["hits"]] == ["2024/05/" + Path(ARTICLE).stem]
    assert answer["hits"][0]["collection"] == "articles" and answer["hits"][0]["page"] == "2"
    assert editor.json("GET", "/desk/api/search?q=" + quote("送温暖"))[1]["hits"]  # in the text, not the headline
    assert editor.json("GET", "/desk/api/search?q=")[1] == {"hits": []}


def test_the_preview_address_of_an_article_a_draft_and_a_page(newsroom, editor):
    assert editor.json("GET", "/desk/api/page?path=" + ARTICLE)[1]["url"] == "/2024/05/14/" + read_source(ROOT / ARTICLE).get("slug") + "/"
    draft = editor.json("GET", "/desk/api/page?path=content/2024/05/miaofengshan-zhigongzhijia-xiufu-kaifang.md")[1]
    assert draft["url"].startswith("/drafts/") and draft["draft"] is True
    assert editor.json("GET", "/desk/api/page?path=content/pages/about.md")[1]["url"] == "/about/"


# --- publishing ---------------------------------------------------------------------------


def test_publish_runs_the_commands_one_at_a_time_and_reports_in_chinese(tmp_path, monkeypatch):
    from newsroom.desk.web.publish import Publisher, default_commands

    failing = Publisher([[sys.executable, "-c", "import time, sys; time.sleep(0.5); "
                          "print('content/2024/05/x.md:3: error: no Date — add a line'); sys.exit(1)"]], tmp_path)
    assert failing.start("白莹") is None
    assert "白莹" in failing.start("马超")  # one publish at a time
    failing.wait(30)
    status = failing.status()
    assert status["state"] == "failed" and "网站保持原样" in status["summary"]
    assert status["problems"] == ["content/2024/05/x.md:3: error: no Date — add a line"]
    fine = Publisher([[sys.executable, "-c", "print('ok')"], [sys.executable, "-c", "print('deployed')"]], tmp_path)
    fine.start("白莹")
    fine.wait(30)
    assert fine.status()["state"] == "ok" and "deployed" in fine.status()["log"]
    monkeypatch.delenv("NEWSROOM_DEPLOY_TARGET", raising=False)
    assert default_commands(ROOT) == [["make", "publish"]]
    monkeypatch.setenv("NEWSROOM_DEPLOY_TARGET", "s3://union-daily")  # once deploy is set up: it publishes first
    assert default_commands(ROOT) == [["make", "deploy"]]


def test_publish_button_over_http(tmp_path):
    repo = make_newsroom(tmp_path, ["pages/about.md"])
    command = [[sys.executable, "-c", "print('newsroom build: site written')"]]
    with desk_server(tmp_path, repo, publish_commands=command) as (base, desk):
        client = Client(base, "白莹")
        status, answer = client.json("POST", "/desk/api/publish", {})
        assert status == 202 and answer["state"] == "running"
        desk.publisher.wait(30)
        status, answer = client.json("GET", "/desk/api/publish")
        assert answer["state"] == "ok" and answer["summary"].startswith("发布成功")
        assert "newsroom build: site written" in answer["log"]
        assert answer["held"]["waiting"] == [] and answer["held"]["drafts"] == ""
        # Tomorrow's issue, prepared tonight: the dialog lists what this publish leaves out.
        tomorrow = datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(days=1)
        article = repo / "content" / f"{tomorrow:%Y/%m}" / "mingtian.md"
        article.parent.mkdir(parents=True)
        article.write_text(f"Title: 明天见报的稿件\nDate: {tomorrow:%Y-%m-%d} 06:00\n\n正文。\n", encoding="utf-8")
        (article.parent / "caogao.md").write_text(f"Title: 草稿\nDate: {tomorrow:%Y-%m-%d}\nStatus: draft\n\n正文。\n",
                                                  encoding="utf-8")
        # 定时发布 (no scheduler here, as with make desk SCHEDULE=0): what waits, the future
        # draft that will not go out, and that a publish after their time is needed.
        schedule = client.json("GET", "/desk/api/schedule")[1]
        assert schedule["mode"] == "off" and "要有人点“发布网站”" in schedule["how"]
        assert schedule["drafts_ahead"] == [{"due": f"{tomorrow:%Y-%m-%d} 00:00", "title": "草稿",
                                             "slug": f"{tomorrow:%Y/%m}/caogao"}]
        assert [item["title"] for item in schedule["waiting"]] == ["明天见报的稿件"]
        held = client.json("GET", "/desk/api/publish")[1]["held"]
        assert held["drafts"].startswith("另有 1 篇草稿不会上线")
        if (ROOT / "plugins" / "release").is_dir():  # the build's embargo (issue 22)
            assert held["waiting_head"].startswith("定时发布：1 篇稿件还没到发布时间")
            assert held["waiting"] == [f"{tomorrow:%Y-%m-%d} 06:00　《明天见报的稿件》"]
        else:
            assert held["waiting"] == []


# --- the guide, the page's texts ------------------------------------------------------------


def test_the_guide_loads_in_chinese_and_every_link_on_it_works(newsroom):
    from bs4 import BeautifulSoup

    base = newsroom[0]
    client = Client(base)  # no sign-in needed to read the guide
    status, headers, data = client.request("GET", "/desk/guide")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    page = BeautifulSoup(data.decode("utf-8"), "html.parser")
    assert page.html["lang"] == "zh-CN" and page.title.string == "编辑指南" and page.h1.get_text() == "编辑指南"
    text = page.get_text()
    assert len(re.findall(r"[\u4e00-\u9fff]", text)) > 0.5 * len(re.sub(r"\s", "", text))  # Chinese through and through
    assert "make desk" in text and page.find("h2", string=re.compile("编辑台"))  # it starts with the desk
    ids = {tag["id"] for tag in page.find_all(id=True)}
    assert GUIDE_SCHEDULING.split("#")[1] in ids  # the 定时发布 dialog links this section
    links = [(tag.name, tag.get("href") or tag.get("src")) for tag in page.find_all(["a", "img", "link"])]
    assert len([1 for name, _ in links if name == "img"]) >= 9  # the desk's screenshots
    checked = 0
    for name, target in links:
        assert target and not target.startswith(("http:", "https:", "//")), target  # nothing from elsewhere
        if target.startswith("#"):
            assert target[1:] in ids, target
            continue
        address = urljoin("/desk/guide", target)
        status, headers, body = client.request("GET", address)
        assert status == 200 and body, (name, target, address, status)
        if name == "img":
            assert headers["Content-Type"] == "image/png", target
        checked += 1
    assert checked >= 12


def test_the_pages_texts_come_from_the_message_table_in_the_editors_language(newsroom, monkeypatch):
    client = Client(newsroom[0])
    page = client.request("GET", "/desk/")[2].decode("utf-8")
    assert "{{" not in page and "<title>编辑台 · 北京工会日报</title>" in page and "进入编辑台" in page
    texts = client.json("GET", "/desk/messages.json")[1]["texts"]
    assert texts["publish_title"] == "发布网站" and texts["find_found"] == "找到 {count} 篇（最多列出 50 篇，最新的在前）："
    monkeypatch.setenv("NEWSROOM_LANG", "en")
    english = client.json("GET", "/desk/messages.json")[1]["texts"]
    assert english["publish_title"] == "Publish the site" and set(english) == set(texts)
    assert "Open the desk" in client.request("GET", "/desk/")[2].decode("utf-8")
    assert decap_config.decap_config("content", ["2024-05"])["locale"] == "en"
    # Every placeholder is a plain {name}, which static/text.js fills.
    for template in [*texts.values(), *english.values()]:
        assert not re.search(r"\{[^}]*[^A-Za-z0-9_}][^}]*\}", template.replace("%{details}", "")), template


# --- the desk's scheduler ------------------------------------------------------------------


def test_the_desks_scheduler_publishes_at_due_times_only(tmp_path):
    from newsroom.desk.schedule import FakeClock, Scheduler

    beijing = ZoneInfo("Asia/Shanghai")
    content = tmp_path / "content" / "2026" / "12"
    content.mkdir(parents=True)
    (content / "today.md").write_text("Title: 今天的稿件\nDate: 2026-12-06 09:00\n\n正文。\n", encoding="utf-8")
    (content / "tomorrow.md").write_text("Title: 明天的稿件\nDate: 2026-12-07 06:00\n\n正文。\n", encoding="utf-8")
    clock = FakeClock(datetime(2026, 12, 6, 22, 0, tzinfo=beijing))
    published, answers = [], [1, 1]  # refused at 06:00 and 07:00 (an article with an error), then published

    def publish(when):
        published.append(when)
        return answers.pop(0) if answers else 0

    log = io.StringIO()
    # The site was last published at 21:00: nothing fell due since, so nothing is published at
    # start, nor today's article saved with a time already past (that is the publish button's).
    scheduler = Scheduler(tmp_path / "content", tmp_path / "output", clock, publish=publish, poll=3600, out=log,
                          since=datetime(2026, 12, 6, 21, 0, tzinfo=beijing))
    scheduler.run(rounds=9)  # 22:00 to 07:00, an hour a round
    six, seven = datetime(2026, 12, 7, 6, 0, tzinfo=beijing), datetime(2026, 12, 7, 7, 0, tzinfo=beijing)
    assert published == [six, seven], log.getvalue()  # a refused publish is tried again a poll later, not at once
    (content / "tomorrow.md").write_text("Title: 明天的稿件\nDate: 2026-12-07 06:00\n\n改好的正文。\n", encoding="utf-8")
    scheduler.run(rounds=1)  # the editor fixed it: at once
    assert published == [six, seven, seven] and scheduler.since == seven
    assert "定时发布：到时间了：2026-12-07 06:00《明天的稿件》" in log.getvalue()


def test_one_scheduler_per_site(tmp_path):
    import subprocess

    from newsroom.desk.schedule import schedule_lock

    held = schedule_lock(tmp_path / "output")
    try:
        assert held is not None and schedule_lock(tmp_path / "output") is None
        run = subprocess.run([sys.executable, "-m", "newsroom", "schedule", "--once", "--content", str(tmp_path),
                              "--output", str(tmp_path / "output")], cwd=ROOT, capture_output=True, text=True,
                             encoding="utf-8", timeout=120, env={**os.environ, "NEWSROOM_LANG": "zh"})
        assert run.returncode == 1 and "另一个定时发布程序已经在为" in run.stderr, run.stderr
    finally:
        held.close()
    assert schedule_lock(tmp_path / "output") is not None


def test_two_saves_of_one_article_at_the_same_moment_never_both_write(newsroom, monkeypatch):
    """Two editors press save together while a save's steps take a while (a loaded machine,
    photos to check): one save is written, the other is refused and told whose save it was,
    never both written."""
    import threading
    import time

    base, desk, repo = newsroom
    path = "content/2024/01/mentougou-songwennuan-ruhu-zoufang.md"
    clients = {"林晓": Client(base, "林晓"), "王磊": Client(base, "王磊")}
    text = {name: client.action("getEntry", path=path)[1]["data"] for name, client in clients.items()}
    refuse_stale = desk.backend._refuse_stale

    def slow_after_the_check(*args, **kwargs):  # the save's later steps take a while
        refuse_stale(*args, **kwargs)
        time.sleep(0.5)

    monkeypatch.setattr(desk.backend, "_refuse_stale", slow_after_the_check)
    save = dict(assets=[], options={"commitMessage": "x", "useWorkflow": False, "status": ""})
    answers = {}

    def press_save(name):
        raw = text[name] + f"\n{name}同时补充的一段。\n"
        answers[name] = clients[name].action("persistEntry", dataFiles=[{"path": path, "slug": "x", "raw": raw}], **save)

    threads = [threading.Thread(target=press_save, args=(name,)) for name in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = {name: answer[0] for name, answer in answers.items()}
    assert sorted(statuses.values()) == [200, 409], answers
    written = next(name for name, status in statuses.items() if status == 200)
    refused = next(name for name, status in statuses.items() if status == 409)
    assert written in answers[refused][1]["error"]
    saved = (repo / path).read_text(encoding="utf-8")
    assert f"{written}同时补充的一段" in saved and f"{refused}同时补充的一段" not in saved
    assert not list((repo / path).parent.glob("*.desk-tmp"))


def test_one_editor_in_two_tabs_cannot_overwrite_a_newer_save_from_the_other(newsroom):
    """The starting version is the tab's (each load of the desk's page), not the editor's."""
    base, desk, repo = newsroom
    editor = Client(base, "林晓")
    path = "content/2024/05/miaofengshan-zhigongzhijia-xiufu-kaifang.md"
    tabs = [{"X-Desk-Tab": f"tab-{name}-0001"} for name in ("first", "second")]

    def action(tab, action, **params):
        return editor.json("POST", "/desk/api/v1", {"action": action, "params": {"branch": "main", **params}},
                           headers=tab)

    text = action(tabs[0], "getEntry", path=path)[1]["data"]
    action(tabs[1], "getEntry", path=path)
    save = dict(assets=[], options={"commitMessage": "x", "useWorkflow": False, "status": ""})
    assert action(tabs[0], "persistEntry", dataFiles=[{"path": path, "slug": "x", "raw": text + "\n第一个标签页。\n"}],
                  **save)[0] == 200
    status, answer = action(tabs[1], "persistEntry", dataFiles=[{"path": path, "slug": "x", "raw": text + "\n第二个。\n"}],
                            **save)
    assert status == 409 and "另一个标签页" in answer["error"], answer
    assert "第一个标签页" in (repo / path).read_text(encoding="utf-8")
    # The first tab goes on saving over its own save; each tab is told of the other.
    assert action(tabs[0], "persistEntry", dataFiles=[{"path": path, "slug": "x", "raw": text + "\n再改。\n"}],
                  **save)[0] == 200
    editor.json("POST", "/desk/api/presence", {"path": path}, headers=tabs[0])
    others = editor.json("POST", "/desk/api/presence", {"path": path}, headers=tabs[1])[1]["others"]
    assert [(o["editor"], o["same_editor"]) for o in others] == [("林晓", True)]


def ignore_and_block_ctrl_c():
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


def test_make_desk_builds_what_is_saved_during_its_first_build(tmp_path):
    """`python -m newsroom.desk.web` (what make desk runs) answers while its first preview build
    runs (minutes in a fresh clone): a save then is built right after it, not lost to the
    preview until the next save. Ctrl+C stops it with its Chinese line, even when it was
    started with SIGINT ignored and blocked (a script's background job ignores it; a mask is
    inherited across exec: under a test runner's worker the desk once did not stop on Ctrl+C)."""
    import signal
    import socket
    import subprocess
    import time

    repo = make_newsroom(tmp_path)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    output = tmp_path / "preview"
    desk = subprocess.Popen([sys.executable, "-m", "newsroom.desk.web", "--port", str(port), "--no-schedule",
                             "--content", str(repo / "content"), "--output", str(output)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "NEWSROOM_LANG": "zh"}, preexec_fn=ignore_and_block_ctrl_c)
    lines = []
    try:
        for line in desk.stdout:  # the desk answers from this line on
            lines.append(line)
            if line.startswith("编辑台：http://localhost"):
                break
        editor = Client(f"http://localhost:{port}", "白莹")
        text = editor.action("getEntry", path=ARTICLE)[1]["data"]
        # Saved once the first build writes pages: it has read the content already.
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not any(output.glob("*.html")):
            time.sleep(0.02)
        raw = text.replace("Title: 密云区职工篮球联赛开赛\n", "Title: 密云区职工篮球联赛开赛\nKicker: 首次生成时保存的引题\n")
        status, answer = editor.action("persistEntry", dataFiles=[{"path": ARTICLE, "slug": "x", "raw": raw}],
                                       assets=[], options={"commitMessage": "x", "useWorkflow": False, "status": ""})
        assert status == 200, answer
        page = output / "2024" / "05" / "14" / read_source(repo / ARTICLE).get("slug") / "index.html"
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not (page.is_file() and "首次生成时保存的引题" in page.read_text("utf-8")):
            time.sleep(0.5)
        assert page.is_file() and "首次生成时保存的引题" in page.read_text("utf-8"), "".join(lines)
    finally:
        desk.send_signal(signal.SIGINT)
        try:
            rest, _ = desk.communicate(timeout=60)
        except subprocess.TimeoutExpired:  # say where it is stuck, and leave nothing running
            desk.send_signal(signal.SIGUSR1)
            time.sleep(2)
            desk.kill()
            rest, _ = desk.communicate()
            raise AssertionError("the desk did not stop within 60 s of Ctrl+C:\n" + "".join(lines) + rest) from None
    assert desk.returncode == 0 and "编辑台已停止" in rest, "".join(lines) + rest
