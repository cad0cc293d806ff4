"""``python -m newsroom deploy`` against a real S3 server: SeaweedFS, started once for this module.

The sample site (built once per run) and an edited copy of it (one article's text
changed, another deleted) are deployed to buckets of a local SeaweedFS; the tests read
the bucket back (listing, anonymous GETs as a browser or CDN makes them) and assert on
the plan. Every test uses its own bucket.
"""

import gzip
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from newsroom import messages
from newsroom.build import deploy_files
from newsroom.build.deploy import DeployOptions, deploy, read_manifest
from newsroom.build.deploy_files import DeployError, Headers, LocalFile, load_rules, scan_site, upload_body
from newsroom.build.deploy_manifest import (MANIFEST_NAME, STATE_FOLDER, Manifest, Record, journal_entry,
                                            journal_name)
from newsroom.build.deploy_plan import COPY, EXPIRED, GONE, HEADERS, UPLOAD, Remote, make_plan
from newsroom.build.deploy_s3 import S3Store, Target
from newsroom.desk.commands.deploy_cmd import deploy_published_site

from cache_damage import damaged_versions
from deploy_support import anonymous_get, credentials_env, listing, seaweed, site_files, website
from search_support import WAIT_MS, chromium, wait_until_searched
from sitebuild import build_site, copy_content

ROOT = Path(__file__).resolve().parents[1]
ARTICLE_PAGE = re.compile(r"^[0-9]{4}/[0-9]{2}/[0-9]{2}/[^/]+/index\.html$")
SHARD_FILE = re.compile(r"^pagefind/[^/]+-[0-9a-f]{10}/")
# Files that never change under their name, kept one more deploy after the site drops
# them: the search shards and the photos (folders named by the cache key, plugins/photos).
IMMUTABLE_FILE = re.compile(r"^(pagefind/[^/]+-[0-9a-f]{10}/|photos/[0-9a-f]{16}/)")
EDITED = "2024/05/changping-zhigong-wudao-bisai.md"
DELETED = "2023/12"  # the first article of this month is deleted


# --- fixtures -------------------------------------------------------------------------
@pytest.fixture(scope="module", autouse=True)
def aws_environment():
    """The test keys, and nothing of the machine's own AWS setup; Chinese messages."""
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("AWS_"):
                patch.delenv(name)
        for name, value in credentials_env({}).items():
            patch.setenv(name, value)
        patch.setenv("NEWSROOM_LANG", "zh")
        yield


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with seaweed(tmp_path_factory.mktemp("seaweed")) as running:
        yield running


@pytest.fixture(scope="module")
def sites(sample_site, tmp_path_factory):
    """``(first, second)``: the sample site, and the site after one article's text was
    edited and another article deleted."""
    first = Path(sample_site[0])
    folder = tmp_path_factory.mktemp("edited")
    content = copy_content(folder)
    article = content / EDITED
    article.write_text(article.read_text(encoding="utf-8") + "\n记者补记：比赛结束后，选手们合影留念。\n",
                       encoding="utf-8")
    sorted((content / DELETED).glob("*.md"))[0].unlink()
    second, _log = build_site(folder, content_dir=content)
    return first, Path(second)


class RecordingStore(S3Store):
    """The real store, noting the order in which objects are written."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.written = []

    def put(self, key, *args, **kwargs):
        self.written.append(key)
        return super().put(key, *args, **kwargs)

    def copy(self, source_key, key, *args, **kwargs):
        self.written.append(key)
        return super().copy(source_key, key, *args, **kwargs)


def options(server, bucket, **changes):
    values = {"target": f"s3://{bucket}", "endpoint": server.endpoint, "addressing": "path", "workers": 4}
    values.update(changes)
    return DeployOptions(**values)


def run(server, site, bucket, store=None, **changes):
    opts = options(server, bucket, **changes)
    return deploy(site, opts, store=store)


def stored_bytes(server, bucket, key):
    status, headers, body = anonymous_get(server, bucket, key)
    assert status == 200, (key, status)
    return gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body


def manifest_of(server, bucket):
    """The bucket's deploy manifest (base and journal) as a deploy reads it."""
    store = S3Store(Target(bucket), server.endpoint, addressing="path")
    return read_manifest(store, store.list_objects(), Target(bucket))[0]


def site_objects(server, bucket):
    """The keys of the bucket's objects that are the site's (not the deploy manifest's)."""
    return {key for key in listing(server, bucket) if not key.startswith(STATE_FOLDER)}


# --- the plan alone (no server) -----------------------------------------------------------
def local(path, sha="a" * 64, size=2000, rules=None):
    rules = rules or load_rules()
    headers, rule = rules.headers_for(path, size)
    return LocalFile(path, f"/nonexistent/{path}", size, sha, headers, rule.group, rule.immutable)


def test_rules_give_types_caches_groups_and_compression():
    rules = load_rules()
    article = local("2024/05/14/slug/index.html", rules=rules)
    assert article.headers == Headers("text/html; charset=utf-8", rules.cache["page"], "gzip")
    assert article.group == "articles"
    feed = local("feeds/all.atom.xml", rules=rules)
    assert feed.headers.content_type == "application/atom+xml; charset=utf-8" and feed.group == "front"
    assert local("sitemap.xml", rules=rules).headers.content_type == "application/xml; charset=utf-8"
    shard = local("pagefind/2024-0123456789/fragment/2024_1.pf_fragment", rules=rules)
    assert shard.headers == Headers("application/octet-stream", rules.cache["immutable"], "")
    assert shard.group == "assets" and shard.immutable
    assert local("pagefind/shards.json", rules=rules).group == "lists"
    assert local("theme/css/site.css", rules=rules).headers.cache_control == rules.cache["page"]
    assert local("theme/css/site.css", rules=rules).group == "assets"
    assert local("tags/送温暖/index.html", rules=rules).group == "lists"
    assert local("2024/05/14/index.html", rules=rules).group == "lists"  # a day's list, not an article
    assert local("robots.txt", size=60, rules=rules).headers.content_encoding == ""  # too small to gain
    assert local("data.bin", rules=rules).headers.content_type == "application/octet-stream"
    plain = load_rules(gzip_on=False, cache_control={"page": "no-cache"})
    assert local("index.html", rules=plain).headers == Headers("text/html; charset=utf-8", "no-cache", "")
    with pytest.raises(DeployError, match="DEPLOY_CACHE_CONTROL"):
        load_rules(cache_control={"pages": "no-cache"})


def test_plan_retires_fingerprinted_files_and_deletes_them_a_deploy_later():
    rules = load_rules()
    old_shard = "pagefind/2024-aaaaaaaaaa/fragment/2024_0.pf_fragment"
    new_shard = "pagefind/2024-bbbbbbbbbb/fragment/2024_0.pf_fragment"
    page, gone = local("2024/05/14/a/index.html", "1" * 64), local("2024/05/14/b/index.html", "2" * 64)
    shard = local(old_shard, "3" * 64)
    manifest = Manifest(deploys=3)
    listing = {}
    for item in (page, gone, shard):
        manifest.files[item.path] = Record(item.sha256, item.size, 900, f"etag-{item.path}", item.headers,
                                           item.immutable)
        listing[item.path] = Remote(900, f"etag-{item.path}")
    now = 1_000_000.0
    plan = make_plan([page, local(new_shard, "3" * 64)], listing, manifest, "", rules.groups, now, 3600)
    assert [(d.path, d.reason) for d in plan.deletes] == [(gone.path, GONE)]
    assert plan.retiring == [old_shard] and plan.unchanged == 1
    # The new shard folder's file has the old one's bytes: copied inside the bucket.
    [action] = plan.actions
    assert (action.kind, action.path, action.source_key) == (COPY, new_shard, old_shard)
    plan.check_deletes(1, force=False)
    with pytest.raises(DeployError):
        plan.check_deletes(0, force=False)
    plan.check_deletes(0, force=True)
    # The next deploy (the first finished): too early, then late enough.
    later = Manifest(4, True, {**plan.manifest.files})
    later.files.pop(gone.path)
    del listing[gone.path]
    soon = make_plan([page], listing, later, "", rules.groups, now + 60, 3600)
    assert soon.deletes == [] and soon.waiting == [old_shard]
    late = make_plan([page], listing, later, "", rules.groups, now + 7200, 3600)
    assert [(d.path, d.reason) for d in late.deletes] == [(old_shard, EXPIRED)]
    late.check_deletes(0, force=False)  # expired files were counted when the site dropped them


def test_plan_updates_headers_only_when_only_headers_changed_and_resends_on_another_encoding():
    rules, other = load_rules(), load_rules(cache_control={"page": "no-cache"})
    item = local("index.html", "4" * 64, rules=rules)
    record = Record(item.sha256, item.size, 700, "e1", item.headers)
    listing = {"site/index.html": Remote(700, "e1")}
    manifest = Manifest(1, True, {"index.html": record})
    plan = make_plan([local("index.html", "4" * 64, rules=other)], listing, manifest, "site", rules.groups, 0, 0)
    assert [(a.kind, a.key) for a in plan.actions] == [(HEADERS, "site/index.html")]
    plain = load_rules(gzip_on=False)
    plan = make_plan([local("index.html", "4" * 64, rules=plain)], listing, manifest, "site", rules.groups, 0, 0)
    assert [(a.kind, a.reason) for a in plan.actions] == [(UPLOAD, "encoding")]
    # Altered in the bucket (another ETag): sent again; not in the bucket: sent again.
    plan = make_plan([item], {"site/index.html": Remote(700, "other")}, manifest, "site", rules.groups, 0, 0)
    assert [(a.kind, a.reason) for a in plan.actions] == [(UPLOAD, "altered")]
    plan = make_plan([item], {}, manifest, "site", rules.groups, 0, 0)
    assert [(a.kind, a.reason) for a in plan.actions] == [(UPLOAD, "missing")]
    # Objects the manifest does not know are never deleted.
    plan = make_plan([item], {**listing, "site/baidu_verify_x.html": Remote(10, "v")}, manifest, "site",
                     rules.groups, 0, 0)
    assert plan.deletes == [] and plan.unknown == ["site/baidu_verify_x.html"]


def test_a_file_changed_after_the_scan_stops_the_upload(tmp_path):
    (tmp_path / "index.html").write_text("<p>一</p>" * 300, encoding="utf-8")
    [item], skipped = scan_site(tmp_path, load_rules())
    assert gzip.decompress(upload_body(item)) == (tmp_path / "index.html").read_bytes()
    (tmp_path / "index.html").write_text("<p>二</p>" * 300, encoding="utf-8")
    with pytest.raises(DeployError) as caught:
        upload_body(item)
    assert caught.value.message_id == "deploy.site_changed"


def test_the_hash_cache_reads_only_files_changed_since_the_last_scan(tmp_path, monkeypatch):
    site = tmp_path / "output"
    site.mkdir()
    for name in ("index.html", "a.css", "b.css"):
        (site / name).write_text(f"{name} " * 200, encoding="utf-8")
    cache = deploy_files.hash_cache_path(site)
    read = []
    digest = deploy_files.file_digest
    monkeypatch.setattr(deploy_files, "file_digest", lambda path: read.append(Path(path).name) or digest(path))
    first, _ = scan_site(site, load_rules(), cache)
    assert sorted(read) == ["a.css", "b.css", "index.html"] and cache.is_file()
    read.clear()
    assert scan_site(site, load_rules(), cache)[0] == first and read == []
    (site / "a.css").write_text("changed " * 200, encoding="utf-8")
    again, _ = scan_site(site, load_rules(), cache)
    assert read == ["a.css"] and again[0].sha256 != first[0].sha256 and again[1:] == first[1:]


def test_a_damaged_or_old_hash_cache_is_none_and_every_file_is_hashed_again(tmp_path, monkeypatch):
    """The deploy's hash cache is framed by its SHA-256 (newsroom.build.marshal_file): a
    file with a byte changed, cut short or of the format before the digest is none, and
    every file is hashed again. Read regardless, a changed byte of a kept hash was taken as
    the file's: planned for upload as changed, and stopped as 'site changed' when sent."""
    site = tmp_path / "output"
    site.mkdir()
    for name in ("index.html", "a.css"):
        (site / name).write_text(f"{name} " * 200, encoding="utf-8")
    cache = deploy_files.hash_cache_path(site)
    first, _ = scan_site(site, load_rules(), cache)
    good = cache.read_bytes()
    read = []
    digest = deploy_files.file_digest
    monkeypatch.setattr(deploy_files, "file_digest", lambda path: read.append(Path(path).name) or digest(path))
    index = next(local for local in first if local.path == "index.html")
    for how, raw in damaged_versions(good, index.sha256.encode()).items():
        cache.write_bytes(raw)
        read.clear()
        assert scan_site(site, load_rules(), cache)[0] == first, how
        assert sorted(read) == ["a.css", "index.html"], how
    read.clear()
    assert scan_site(site, load_rules(), cache)[0] == first and read == []  # kept afresh


def test_targets_are_checked():
    assert Target.parse("s3://news-1250000000/site/") == Target("news-1250000000", "site")
    for bad in ("news", "s3://", "s3://Bad_Bucket", "s3://news/../x", "oss://news"):
        with pytest.raises(DeployError):
            Target.parse(bad)


# --- against SeaweedFS ----------------------------------------------------------------------
def test_a_dry_run_prints_the_plan_and_writes_nothing(server, sample_site):
    bucket = server.bucket("dry-run")
    out = io.StringIO()
    code = deploy_published_site(sample_site[0], out=out, target=f"s3://{bucket}", endpoint=server.endpoint,
                                 addressing="path", dry_run=True)
    text = out.getvalue()
    assert code == 0, text
    assert listing(server, bucket) == {}
    files = site_files(sample_site[0])
    uploads = [line for line in text.splitlines() if line.startswith("[预演] 上传 ")]
    assert len(uploads) == len(files) and "预演结束：存储里什么都没有改动。" in text
    assert all(path in text for path in files)


@pytest.fixture(scope="module")
def full_deploy(server, sample_site, tmp_path_factory):
    """The sample site deployed once, whole, to a bucket of its own: ``(bucket, output, result,
    store)``. The full deploy's test asserts on it, the browser test reads the bucket; neither
    changes it (the second deploy of the same site is asserted to write nothing), so one
    upload of the ~1,000 files serves both."""
    link = tmp_path_factory.mktemp("full") / "output"
    link.symlink_to(Path(sample_site[0]), target_is_directory=True)  # output/ as a symlink to a versioned folder
    bucket = server.bucket("full")
    store = RecordingStore(Target(bucket), server.endpoint, addressing="path", workers=4)
    result = deploy(link, options(server, bucket), store=store)
    return bucket, link, result, store


def test_a_full_deploy_stores_every_file_with_its_bytes_and_headers_in_order(server, sample_site, full_deploy):
    site = Path(sample_site[0])
    bucket, link, result, store = full_deploy
    files = site_files(site)
    assert result.uploaded == len(files) and result.deleted == 0
    assert site_objects(server, bucket) == set(files)
    assert MANIFEST_NAME in listing(server, bucket)  # a first deploy writes the manifest's base
    rules = load_rules()
    for path, data in files.items():
        status, headers, body = anonymous_get(server, bucket, path)
        assert status == 200
        stored = gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body
        assert stored == data, path
        assert headers["Content-Type"] == rules.content_type(path)
        if path.endswith(".html"):
            assert headers["Content-Type"] == "text/html; charset=utf-8"
            assert headers["Cache-Control"] == rules.cache["page"]
            assert headers.get("Content-Encoding") == ("gzip" if len(data) >= rules.gzip_min_size else None)
        if IMMUTABLE_FILE.match(path):
            assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
            assert "Content-Encoding" not in headers  # Pagefind unpacks its files itself
    assert anonymous_get(server, bucket, "pagefind/shards.json")[1]["Cache-Control"] == rules.cache["page"]
    # Groups in order: every asset before any article page, articles before lists, the
    # home page, feeds and sitemap last.
    order = {name: index for index, name in enumerate(rules.groups)}
    group_of = {action.key: action.local.group for action in result.plan.actions}
    ranks = [order[group_of[key]] for key in store.written]
    assert ranks == sorted(ranks)
    assert group_of["index.html"] == "front" and group_of["sitemap.xml"] == "front"
    assert {group_of[p] for p in files if ARTICLE_PAGE.match(p)} == {"articles"}
    assert {group_of[p] for p in files if SHARD_FILE.match(p)} == {"assets"}
    # The same site again: nothing to do.
    again = run(server, link, bucket)
    assert not again.plan.actions and not again.plan.deletes and again.plan.unchanged == len(files)
    assert manifest_of(server, bucket).deploys == 1  # a deploy that changed nothing wrote nothing


def test_an_edit_sends_only_the_changed_files_and_a_deleted_article_disappears(server, sites):
    first, second = sites
    before, after = site_files(first), site_files(second)
    bucket = server.bucket("edits")
    run(server, first, bucket)
    stored_before = listing(server, bucket)
    # The guard: more deletes than allowed stops the deploy before it changes anything.
    with pytest.raises(DeployError) as refused:
        run(server, second, bucket, max_deletes=0)
    assert refused.value.message_id == "deploy.too_many_deletes"
    assert listing(server, bucket) == stored_before
    result = run(server, second, bucket)
    plan = result.plan
    changed = {path for path, data in after.items() if before.get(path) != data}
    gone = {path for path in before if path not in after}
    assert {action.path for action in plan.actions} == changed
    assert {delete.path for delete in plan.deletes} == {path for path in gone if not IMMUTABLE_FILE.match(path)}
    assert set(plan.retiring) == {path for path in gone if IMMUTABLE_FILE.match(path)}
    pages = sorted(path for path in changed if path.endswith(".html"))
    articles = [path for path in pages if ARTICLE_PAGE.match(path)]
    print(f"one edit and one deleted article: {len(changed)} files changed, {len(pages)} of them pages "
          f"({len(articles)} article pages), {len(plan.deletes)} deleted, {plan.count(COPY)} copied in the store")
    assert len(articles) >= 1 and len(pages) < sum(p.endswith(".html") for p in after) / 4
    assert plan.count(COPY) > 0  # the moved search shard's unchanged files are copied, not sent
    deleted_pages = [path for path in gone if ARTICLE_PAGE.match(path)]
    assert len(deleted_pages) == 1
    assert anonymous_get(server, bucket, deleted_pages[0])[0] == 404
    for path in changed:
        assert stored_bytes(server, bucket, path) == after[path], path
    # The old search shard stays (retired) for pages still open; shards.json names the new one.
    stored = listing(server, bucket)
    assert set(plan.retiring) <= set(stored)
    shards = json.loads(stored_bytes(server, bucket, "pagefind/shards.json"))
    assert all(f"pagefind/{shard['path']}pagefind-entry.json" in stored for shard in shards["shards"])
    # A deploy after the retirement time removes it, without counting against --max-deletes.
    third = run(server, second, bucket, retire_hours=0, max_deletes=0)
    assert {d.reason for d in third.plan.deletes} == {EXPIRED} and not third.plan.actions
    assert site_objects(server, bucket) == set(after)


def test_a_cache_rule_change_updates_headers_without_sending_the_files(server, sample_site):
    site = Path(sample_site[0])
    bucket = server.bucket("headers")
    run(server, site, bucket)
    etags = listing(server, bucket)
    rules = load_rules()
    new_rule = "public, max-age=120, must-revalidate"
    result = run(server, site, bucket, cache_control={"page": new_rule})
    pages = [local for local in scan_site(site, rules)[0] if rules.rule_for(local.path).cache == "page"]
    assert result.plan.count(HEADERS) == len(pages) == result.headers_updated
    assert result.uploaded == 0 and result.bytes_sent == 0
    status, headers, _ = anonymous_get(server, bucket, "index.html")
    assert headers["Cache-Control"] == new_rule and headers["Content-Encoding"] == "gzip"
    after = listing(server, bucket)
    assert {key: after[key] for key in etags if not key.startswith(STATE_FOLDER)} == \
        {key: etags[key] for key in etags if not key.startswith(STATE_FOLDER)}
    assert not run(server, site, bucket, cache_control={"page": new_rule}).plan.actions


def test_a_killed_deploy_leaves_a_consistent_site_and_resumes(server, sample_site, tmp_path):
    site = Path(sample_site[0])
    bucket = server.bucket("killed")
    settings = tmp_path / "deployconf.py"
    # One upload at a time, and a journal entry after each file: the kill lands mid-group
    # and the resume can be counted exactly.
    settings.write_text(f'DEPLOY_TARGET = "s3://{bucket}"\nDEPLOY_ENDPOINT = "{server.endpoint}"\n'
                        'DEPLOY_ADDRESSING = "path"\nDEPLOY_WORKERS = 1\nDEPLOY_CHECKPOINT_SECONDS = 0\n',
                        encoding="utf-8")
    env = credentials_env()
    env["NEWSROOM_LANG"] = "zh"
    process = subprocess.Popen([sys.executable, "-m", "newsroom", "deploy", "--settings", str(settings),
                                "--output", str(site)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, encoding="utf-8")
    articles_started = messages.text("deploy.group", group=messages.text("deploy.group_articles"), files=0,
                                     size="").split("：")[0]
    seen = []
    for line in process.stdout:
        seen.append(line)
        if line.startswith(articles_started):
            process.send_signal(signal.SIGKILL)  # mid-upload: the article pages are going up
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, "".join(seen)
    rules = load_rules()
    files, _ = scan_site(site, rules)
    stored = listing(server, bucket)
    manifest = manifest_of(server, bucket)
    assert not manifest.finished and manifest.deploys == 0
    # Consistent: groups went up in order, so whatever is online has what it needs.
    order = {name: index for index, name in enumerate(rules.groups)}
    present = {order[f.group] for f in files if f.path in stored}
    first_incomplete = min(order[f.group] for f in files if f.path not in stored)
    assert max(present) <= first_incomplete  # nothing of a later group before an earlier one is whole
    assert all(f.path in stored for f in files if f.group == "assets")
    assert "index.html" not in stored  # the old front page (here: none) until the end
    assert set(manifest.files) <= set(stored)
    # Resumed: only what was not recorded is sent.
    result = run(server, site, bucket)
    assert result.uploaded == len(files) - len(manifest.files)
    assert result.uploaded < len(files)
    assert not {a.path for a in result.plan.actions} & set(manifest.files)
    assert site_objects(server, bucket) == {f.path for f in files}
    assert manifest_of(server, bucket).finished


def test_the_manifest_is_its_base_and_the_journal_entries_after_it(server):
    """Entries the base already holds (their deletion after a compaction was cut short)
    are not applied again; later ones are, in order."""
    bucket = server.bucket("journal")
    store = S3Store(Target(bucket, "site"), server.endpoint, addressing="path")
    headers = Headers("text/html; charset=utf-8", "no-cache", "")
    old, new, other = (Record(sha * 64, 10, 10, sha, headers) for sha in "abc")
    base = Manifest(deploys=2, files={"a.html": old, "b.html": other}, journal=2)
    store.put_record(f"site/{MANIFEST_NAME}", base.to_bytes())
    store.put_record(f"site/{journal_name(1)}", journal_entry(1, True, {}, ["b.html"]))  # stale
    store.put_record(f"site/{journal_name(2)}", journal_entry(2, True, {}, ["b.html"]))  # stale
    store.put_record(f"site/{journal_name(3)}", journal_entry(2, False, {"a.html": new}, []))
    manifest, keys = read_manifest(store, store.list_objects(), Target(bucket, "site"))
    assert manifest.files == {"a.html": new, "b.html": other}
    assert (manifest.deploys, manifest.finished, manifest.journal) == (2, False, 3) and len(keys) == 3


def test_virtual_hosted_addressing(server, tmp_path, monkeypatch):
    """COS refuses path-style requests: with ``--addressing virtual`` the bucket is in the
    host name (``<bucket>.localhost``, which this test resolves to loopback)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>首页</title><p>你好</p>", encoding="utf-8")
    (site / "404.html").write_text("<!doctype html><title>找不到</title>", encoding="utf-8")
    bucket = server.bucket("virtual-site")
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        return real("127.0.0.1" if isinstance(host, str) and host.endswith(".localhost") else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    port = server.endpoint.rsplit(":", 1)[1]
    store = S3Store(Target(bucket, "edition"), f"http://localhost:{port}", addressing="virtual")
    hosts = []
    store.client.meta.events.register("before-send.s3", lambda request, **_: hosts.append(request.url.split("/")[2]))
    opts = options(server, bucket, target=f"s3://{bucket}/edition", endpoint=f"http://localhost:{port}",
                   addressing="virtual")
    result = deploy(site, opts, store=store)
    assert result.uploaded == 2
    assert set(hosts) == {f"{bucket}.localhost:{port}"}
    # Under a prefix: the site and its manifest in edition/, nothing outside it.
    assert {key for key in listing(server, bucket) if ".newsroom-deploy" not in key} == \
        {"edition/index.html", "edition/404.html"}
    assert f"edition/{MANIFEST_NAME}" in listing(server, bucket)
    assert not deploy(site, opts, store=store).plan.actions


def test_failures_are_one_chinese_message_each(server, sample_site, monkeypatch):
    site = sample_site[0]
    bucket = server.bucket("errors")

    def attempt(**overrides):
        out = io.StringIO()
        values = {"target": f"s3://{bucket}", "endpoint": server.endpoint, "addressing": "path"}
        values.update(overrides)
        code = deploy_published_site(site, out=out, **values)
        assert code == 1 and "Traceback" not in out.getvalue()
        return out.getvalue()

    assert "发布没有完成" in attempt(target="s3://no-such-bucket") and "没有存储桶" in attempt(target="s3://nothere")
    assert "不是有效的存储桶名" in attempt(target="s3://Bad_Name")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    assert "连不上对象存储" in attempt(endpoint=f"http://127.0.0.1:{closed}")
    assert "没有指定发布到哪里" in attempt(target="")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wrong-secret")
    assert "拒绝" in attempt()
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    assert "找不到对象存储的访问密钥" in attempt()


def test_the_deployed_site_works_through_a_website_endpoint(server, full_deploy, tmp_path):
    """A reader's browser on the bucket behind OSS/COS-style website hosting: the home
    page, every link on it, an article with its stylesheet, search, and the 404 page."""
    bucket = full_deploy[0]  # the sample site, deployed whole
    with website(server, bucket) as base, chromium() as browser:
        context = browser.new_context(base_url=base)
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        response = page.goto("/")
        assert response.status == 200 and "工会日报" in page.title()
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(251, 250, 246)"
        links = page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
        internal = sorted({link.split("#")[0] for link in links if link.startswith(base)})
        assert len(internal) > 20
        for link in internal:
            assert page.request.get(link).status == 200, link
        article = next(link for link in internal if ARTICLE_PAGE.match(link[len(base) + 1:] + "index.html"))
        page.goto(article)
        assert page.locator("h1").first.inner_text().strip()
        page.screenshot(path=str(tmp_path / "article-1280.png"))
        page.goto("/search/?q=" + "职工")
        wait_until_searched(page)
        found = page.eval_on_selector_all(".search-result h2 a", "as => as.map(a => a.href)")
        assert found and all(page.request.get(url).status == 200 for url in found[:5])
        assert not errors, errors
        missing = page.goto("/no/such/page/")
        assert missing.status == 404 and "404" in page.content()
        context.close()
