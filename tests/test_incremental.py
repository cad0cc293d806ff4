"""Incremental builds equal clean builds, byte for byte, whatever the editors change.

A seeded random sequence of edits — text, headline, date, district, tags, topics,
status, an article embargoed (dated in the future) or released, added or deleted, a photo (its caption, its pixels, the photo
removed), a printed page's layout (the page sidecar), pasted markup the sanitizer
handles, a template, a setting, a data file of the code, a rollback of the served site —
is applied to a copy of the
sample site and of the project; after each step ``newsroom build`` brings the site up to
date from the last build (rendering only the pages whose recorded inputs changed) and a
clean build of the same tree into a new folder must give the same files with the same
bytes. No edit kind is special-cased by the build: it re-renders whatever read something
that changed, so a new kind of input only needs a new edit here.

The clean build starts without the output, the render record, the recycled site, the
keyword, topic, check and search caches (a search shard kept because its pages changed
only where Pagefind reads nothing is compared here with one indexed from nothing); it
shares the run's content-hash image caches (photos, page tiles, downloads: conftest.py,
sitebuild.KEPT_FOR_BUILDS) with the incremental builds, which are keyed by the bytes they
are made from and tested on their own (tests/test_images.py, test_page_images.py):
encoding every photo again each step would cost most of the test's time.

The seed is printed with every failure: ``INCREMENTAL_SEED=<seed>`` replays it;
``INCREMENTAL_STEPS`` sets the number of steps (CI runs a few with a new seed each time;
``INCREMENTAL_STEPS=40`` is the long run).
"""

import filecmp
import hashlib
import json
import os
import pickle
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cache_damage import damaged_versions
from sitebuild import ROOT, copy_project, plain_build_environment

STEPS = int(os.environ.get("INCREMENTAL_STEPS", "3"))
DISTRICTS = ["东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区", "门头沟区", "房山区", "通州区", "顺义区",
             "昌平区", "大兴区", "怀柔区", "平谷区", "密云区", "延庆区", "全市"]
TAGS = ["送温暖", "职工书屋", "劳模", "安全生产", "职工体育", "法律援助", "技能培训", "困难帮扶"]
TOPICS = ["relief", "arts", "dispute", "none"]
SENTENCES = ["区总工会还将增设夜间服务窗口。", "活动现场，职工们纷纷表示受益匪浅。", "据统计，今年已有三千余名职工参加。",
             "下一步，工会将继续做好职工服务工作。"]


# --- the tree being edited --------------------------------------------------------------------
def articles(content):
    return sorted(p for p in content.rglob("*.md") if "pages" not in p.relative_to(content).parts)


def read(path):
    text = path.read_text(encoding="utf-8")
    head, _, body = text.partition("\n\n")
    fields = [line.split(":", 1) for line in head.splitlines()]
    return [(name.strip(), value.strip()) for name, value in fields], body


def write(path, fields, body):
    head = "\n".join(f"{name}: {value}" for name, value in fields)
    path.write_text(f"{head}\n\n{body}", encoding="utf-8")


def set_field(path, name, value):
    fields, body = read(path)
    fields = [(n, v) for n, v in fields if n.lower() != name.lower()]
    if value is not None:
        fields.insert(1, (name, value))
    write(path, fields, body)


def field(path, name):
    return next((v for n, v in read(path)[0] if n.lower() == name.lower()), None)


def published(content):
    return [p for p in articles(content) if (field(p, "Status") or "").lower() != "draft"]


# --- the edits ---------------------------------------------------------------------------------
def edit_text(rng, content, repo):
    path = rng.choice(published(content))
    fields, body = read(path)
    paragraphs = body.rstrip("\n").split("\n\n")
    index = rng.randrange(1, len(paragraphs)) if len(paragraphs) > 1 else 0
    if rng.random() < 0.3:
        paragraphs[0] = paragraphs[0].rstrip() + rng.choice(SENTENCES)  # the summary changes too
    else:
        paragraphs.insert(index + 1, rng.choice(SENTENCES))
    write(path, fields, "\n\n".join(paragraphs) + "\n")
    return f"text of {path.name}"


def edit_headline(rng, content, repo):
    path = rng.choice(published(content))
    set_field(path, "Title", field(path, "Title") + rng.choice(["（修订）", "：新进展", "纪实"]))
    return f"headline of {path.name}"


def edit_date(rng, content, repo):
    path = rng.choice(published(content))
    dates = sorted({field(p, "Date")[:10] for p in published(content)})
    target = rng.choice(dates)
    set_field(path, "Date", target)
    for name in ("Page", "PageName", "PageOrder", "Issue"):  # moved to another day: online-only there
        set_field(path, name, None)
    return f"date of {path.name} -> {target}"


def edit_embargo(rng, content, repo):
    """An article scheduled for later (a Date in the future: embargoed until then), or
    one released again (its Date set back to today's issue)."""
    path = rng.choice(published(content))
    if rng.random() < 0.5:
        set_field(path, "Date", "2099-01-01 08:00")
        return f"{path.name} embargoed until 2099"
    waiting = [p for p in articles(content) if (field(p, "Date") or "").startswith("2099")]
    if not waiting:
        set_field(path, "Date", "2099-01-01 08:00")
        return f"{path.name} embargoed until 2099"
    latest = max(field(p, "Date")[:10] for p in published(content) if not field(p, "Date").startswith("2099"))
    target = rng.choice(waiting)
    set_field(target, "Date", latest)
    return f"{target.name} released on {latest}"


def edit_district(rng, content, repo):
    path = rng.choice(published(content))
    district = rng.choice(DISTRICTS)
    set_field(path, "District", district)
    return f"district of {path.name} -> {district}"


def edit_tags(rng, content, repo):
    path = rng.choice(published(content))
    tags = rng.sample(TAGS, rng.randint(0, 2))
    set_field(path, "Tags", "，".join(tags) if tags else None)
    return f"tags of {path.name} -> {tags}"


def edit_topics(rng, content, repo):
    path = rng.choice(published(content))
    topic = rng.choice(TOPICS)
    set_field(path, "Topics", topic)
    return f"topics of {path.name} -> {topic}"


def edit_status(rng, content, repo):
    path = rng.choice(articles(content))
    draft = (field(path, "Status") or "").lower() == "draft"
    set_field(path, "Status", None if draft else "draft")
    return f"{path.name} {'published' if draft else 'made a draft'}"


def add_article(rng, content, repo):
    source = rng.choice(published(content))
    fields, body = read(source)
    number = len(articles(content)) + rng.randrange(1000)
    title = f"{field(source, 'Title')}（第{number}号）"
    fields = [(n, title if n == "Title" else f"added-{number}" if n == "Slug" else v) for n, v in fields]
    if field(source, "Slug") is None:
        fields.append(("Slug", f"added-{number}"))
    fields = [(n, v) for n, v in fields if n not in ("Page", "PageName", "PageOrder", "Issue")]
    target = source.with_name(f"added-{number}.md")
    write(target, fields, body)
    return f"added {target.name} (a copy of {source.name})"


def delete_article(rng, content, repo):
    candidates = published(content)
    if len(candidates) < 30:
        return add_article(rng, content, repo)
    path = rng.choice(candidates)
    path.unlink()
    return f"deleted {path.name}"


PHOTO = re.compile(r'!\[([^\]]*)\]\(([^ )]+) "([^"]*)"\)')


def with_photos(content):
    return [p for p in published(content) if PHOTO.search(p.read_text(encoding="utf-8"))]


def edit_photo(rng, content, repo):
    """A photo's caption, its pixels (another photo's bytes under its name) or the photo gone."""
    candidates = with_photos(content)
    if not candidates:
        return edit_text(rng, content, repo)
    path = rng.choice(candidates)
    text = path.read_text(encoding="utf-8")
    match = rng.choice(list(PHOTO.finditer(text)))
    kind = rng.choice(["caption", "pixels", "removed"])
    if kind == "caption":
        text = text.replace(match.group(0), f'![{match.group(1)}]({match.group(2)} "{match.group(3)}（{rng.randrange(100)}）")')
        path.write_text(text, encoding="utf-8")
    elif kind == "pixels":
        photo = path.parent / match.group(2)
        others = [p for p in content.rglob(f"*{photo.suffix}") if p != photo and "epaper" not in p.parts]
        if not others:
            return edit_text(rng, content, repo)
        shutil.copyfile(rng.choice(others), photo)
    else:
        path.write_text(text.replace(match.group(0) + "\n", "").replace(match.group(0), ""), encoding="utf-8")
    return f"photo {match.group(2)} of {path.name}: {kind}"


def edit_page_layout(rng, content, repo):
    """A printed page's sidecar: an article's area moves, a line of its text changes."""
    sidecars = sorted(content.glob("epaper/*/*.page.json"))
    if not sidecars:
        return edit_text(rng, content, repo)
    path = rng.choice(sidecars)
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("articles") and rng.random() < 0.5:
        region = rng.choice(data["articles"])["regions"][0]
        region[0] = max(0, region[0] + rng.choice([-6, 6]))
    else:
        line = rng.choice(data["lines"])
        line["text"] = line["text"] + "。"
        line.pop("chars", None)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return f"page layout {path.relative_to(content)}"


MARKUP = ["这是<strong>加粗</strong>的一句话。", "详见[市总工会网站](https://www.bjzgh.org/)。",
          "一段<em>强调</em>的文字。", "<mark>重点</mark>内容。"]


def edit_markup(rng, content, repo):
    """Pasted markup: the sanitizer keeps what its allowlist allows."""
    path = rng.choice(published(content))
    fields, body = read(path)
    write(path, fields, body.rstrip("\n") + "\n\n" + rng.choice(MARKUP) + "\n")
    return f"markup in {path.name}"


def edit_data(rng, content, repo):
    """A data file of the code: a stopword more changes keywords across the catalogue."""
    path = repo / "newsroom" / "data" / "stopwords.txt"
    text = path.read_text(encoding="utf-8")
    word = rng.choice(["职工", "工会", "活动", "服务", "工作"])
    lines = text.splitlines()
    lines = [line for line in lines if line != word] if word in lines else lines + [word]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f"stopword {word}"


TEMPLATE_EDITS = [
    ("partials/article_item.html", '<article class="item">', '<article class="item" data-edit="{n}">'),
    ("article.html", "</article>", "</article><!-- edit {n} -->"),
    ("base.html", "</main>", "</main><!-- edit {n} -->"),
    ("partials/footer.html", "</footer>", "<!-- edit {n} --></footer>"),
    ("epaper_issue.html", "{% endblock %}", "<!-- edit {n} -->{{% endblock %}}"),
]


def edit_template(rng, content, repo):
    name, old, new = rng.choice(TEMPLATE_EDITS)
    path = repo / "theme" / "templates" / name
    text = re.sub(r' data-edit="\d+"|<!-- edit \d+ -->', "", path.read_text(encoding="utf-8"))
    if old not in text:
        pytest.fail(f"the template edit needs {old!r} in {name}; update TEMPLATE_EDITS")
    path.write_text(text.replace(old, new.format(n=rng.randrange(1000)), 1), encoding="utf-8")
    return f"template {name}"


SETTING_EDITS = [
    ("SITE_DESCRIPTION", lambda rng: repr(f"北京市总工会主办的职工日报（{rng.randrange(100)}）。")),
    ("DEFAULT_PAGINATION", lambda rng: str(rng.choice([3, 5, 20]))),
    ("FEED_MAX_ITEMS", lambda rng: str(rng.choice([10, 50]))),
]


def edit_setting(rng, content, repo):
    name, value = rng.choice(SETTING_EDITS)
    path = repo / "pelicanconf.py"
    text = path.read_text(encoding="utf-8")
    new = f"{name} = {value(rng)}"
    text, count = re.subn(rf"^{name} = .*$", new, text, count=1, flags=re.M)
    if not count:
        pytest.fail(f"pelicanconf.py has no {name} line; update SETTING_EDITS")
    path.write_text(text, encoding="utf-8")
    return f"setting {new}"


def rollback_site(rng, content, repo, output):
    """The editor serves the previous site again (`newsroom rollback`): the next build starts
    from a site made from other inputs than the render record's."""
    result = subprocess.run([sys.executable, "-m", "newsroom", "rollback", "--output", str(output)], cwd=repo,
                            capture_output=True, text=True, encoding="utf-8", timeout=120, env=build_env())
    if result.returncode != 0:  # no previous site yet
        return edit_text(rng, content, repo)
    return "rollback"


EDITS = [edit_text, edit_headline, edit_date, edit_embargo, edit_district, edit_tags, edit_topics, edit_status, add_article,
         delete_article, edit_photo, edit_page_layout, edit_markup, edit_template, edit_setting, edit_data,
         rollback_site]
GLOBAL_EDITS = {edit_template, edit_setting, edit_data, rollback_site}  # edits every page may depend on


# --- building and comparing ------------------------------------------------------------------
def build_env():
    environment = plain_build_environment()
    environment["NEWSROOM_LANG"] = "zh"
    return environment


def build(repo, content, output):
    result = subprocess.run([sys.executable, "-m", "newsroom", "build", "--content", str(content), "--output",
                             str(output)], cwd=repo, capture_output=True, text=True, encoding="utf-8",
                            timeout=600, env=build_env())
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads((output.with_name(output.name + ".cache") / "fastbuild-stats.json").read_text("utf-8"))


def differences(left, right):
    """The files only one tree has, and those whose bytes differ (relative paths)."""
    files = {}
    for side, root in (("left", left), ("right", right)):
        files[side] = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
    only = sorted(files["left"] ^ files["right"])
    common = sorted(files["left"] & files["right"])
    _, mismatch, errors = filecmp.cmpfiles(left, right, common, shallow=False)
    return only + sorted(mismatch + errors)


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    folder = tmp_path_factory.mktemp("incremental")
    repo = copy_project(folder)
    content = folder / "content"
    shutil.copytree(ROOT / "content", content)
    return folder, repo, content


def test_incremental_builds_equal_clean_builds(tree):
    folder, repo, content = tree
    seed = int(os.environ.get("INCREMENTAL_SEED") or random.SystemRandom().randrange(1 << 30))
    rng = random.Random(seed)
    output = folder / "site" / "output"
    first = build(repo, content, output)
    assert first["incremental"] == "full"
    cache = output.with_name("output.cache")
    history = []
    for step in range(STEPS):
        kinds = rng.sample(EDITS, rng.choice([1, 1, 2]))
        if step == 1 and rollback_site not in kinds:  # every run covers a rollback once
            kinds.insert(0, rollback_site)
        history.extend(f"step {step + 1}: " + (rollback_site(rng, content, repo, output) if kind is rollback_site
                                                 else kind(rng, content, repo)) for kind in kinds)
        stats = build(repo, content, output)
        if not set(kinds) & GLOBAL_EDITS:  # content only: pages are taken over, not all rendered
            assert stats["incremental"] == "incremental" and stats["pages_kept"] > 0, (
                f"INCREMENTAL_SEED={seed}: after {history}: {stats}")
            # Taken over without Pelican's write path (fastbuild's _take_over), and so
            # compared byte for byte below, sitemap.xml included (content_written).
            assert stats.get("pages_taken_over_directly", 0) > 0, f"INCREMENTAL_SEED={seed}: {stats}"
        clean = folder / f"clean-{step}" / "output"
        build(repo, content, clean)
        different = differences(output, clean)
        assert not different, (f"INCREMENTAL_SEED={seed}: after {history}, the incremental build differs from a "
                               f"clean one in {len(different)} files: {different[:8]} "
                               f"(rendered {stats['pages_rendered']}, kept {stats['pages_kept']})")
        shutil.rmtree(clean.parent)
    # Pelican's content cache knows each source by the SHA-256 newsroom build computed of it
    # (NEWSROOM_CONTENT_STAMPS), not by reading and hashing every source again itself; a
    # file changed within seconds of the build (not trusted by its stat) by its md5, as before.
    with open(cache / "ArticlesGenerator-Readers", "rb") as handle:  # the readers' cache: Pelican's default layer
        cached = pickle.load(handle)
    assert cached, "Pelican's article cache is empty"
    stamped = 0
    # A draft or an article not yet due is left out before Pelican reads a file (plugins/release):
    # its entry keeps the stamp of the text it was last read with, compared again on its release.
    held = {p.resolve() for p in articles(content)
            if (field(p, "Status") or "").lower() == "draft" or (field(p, "Date") or "").startswith("2099")}
    for name, (stamp, _) in cached.items():
        if not (content / name).exists():
            continue  # a deleted article: Pelican never drops an entry
        if (content / name).resolve() in held:
            continue
        data = (content / name).read_bytes()
        assert stamp in ("sha256:" + hashlib.sha256(data).hexdigest(), hashlib.md5(data).digest()), name
        stamped += isinstance(stamp, str)
    assert stamped, "no source of Pelican's content cache was stamped with newsroom build's hash"
    print(f"INCREMENTAL_SEED={seed}: {history}")


def test_every_template_and_setting_edit_still_applies():
    """The random test picks its template and setting edits by chance: check each one's
    anchor here, so that a theme or settings change fails at once, not in some later run."""
    for name, old, new in TEMPLATE_EDITS:
        text = (ROOT / "theme" / "templates" / name).read_text(encoding="utf-8")
        assert old in text, f"{name} no longer has {old!r}: update TEMPLATE_EDITS"
        new.format(n=1)  # braces in the replacement are escaped
    settings = (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
    for name, _ in SETTING_EDITS:
        assert re.search(rf"^{name} = ", settings, flags=re.M), f"pelicanconf.py has no {name} line"
    assert (ROOT / "newsroom" / "data" / "stopwords.txt").is_file()


def test_a_pages_reads_keep_one_shared_pair_per_object_and_attributes():
    """Every rendered page's reads are held until the build ends (240,778 pages at 100,000
    articles): a page keeps a tuple of references to (key, attributes) pairs shared by
    every page that read the same attributes of the same object, not a dict of its own."""
    from newsroom.build import renderdeps

    class Article:
        def __init__(self, key):
            self.key, self.title, self.url = key, key.upper(), f"/{key}/"

    saved = Article.__dict__.get("__getattribute__")
    Article.__getattribute__ = renderdeps.tracking_getattribute(object.__getattribute__)
    renderdeps.reset()
    try:
        articles = [Article(key) for key in ("b", "a", "c")]

        def page(read):
            recorder = renderdeps.Recorder()
            with renderdeps.recording(recorder):
                for article in read:
                    article.title, article.url  # noqa: B018 — a template reading them
            with renderdeps.paused():
                return recorder.frozen(lambda obj: obj.key)

        first, second, other = page(articles), page(reversed(articles)), page(articles[:1])
        assert first.objects == (("a", ("title", "url")), ("b", ("title", "url")), ("c", ("title", "url")))
        assert isinstance(first.objects, tuple) and first == second
        assert all(one is two for one, two in zip(first.objects, second.objects))
        assert other.objects[0] is first.objects[1]
    finally:
        renderdeps.reset()
        if saved is None:
            del Article.__getattribute__
        else:
            Article.__getattribute__ = saved


# Runs `newsroom build` with one code file of the copy changed after the fingerprint,
# before the Pelican child starts (the content check's window).
CODE_CHANGE_DRIVER = r"""
import sys
from newsroom.build import uptodate
from newsroom.desk import cli
from newsroom.desk.commands import build_cmd

run_pelican = build_cmd.run_pelican
def changed_first(command, lock=None, **options):
    path = uptodate.ROOT / "plugins" / "fastbuild" / "incremental.py"
    path.write_text(path.read_text(encoding="utf-8") + "\n# changed during the check\n", encoding="utf-8")
    return run_pelican(command, lock, **options)
build_cmd.run_pelican = changed_first
sys.exit(cli.main(["build", "--content", sys.argv[1], "--output", sys.argv[2]]))
"""


def write_two_articles(content):
    """Two short articles of one day (the check's good fixture and a retitled copy)."""
    fixture = (ROOT / "tests" / "fixtures" / "check" / "good.md").read_text(encoding="utf-8")
    (content / "2024" / "03").mkdir(parents=True)
    (content / "2024" / "03" / "good.md").write_text(fixture, encoding="utf-8")
    (content / "2024" / "03" / "other.md").write_text(
        fixture.replace("朝阳区职工书屋新添三千册图书", "朝阳区职工书屋再添新书").replace(
            "Slug: chaoyangqu-zhigong-shuwu-xintian-sanqian-ce-tushu", "Slug: chaoyangqu-zhigong-shuwu-zaitian"),
        encoding="utf-8")


def test_code_changed_during_the_check_leaves_no_render_record(tmp_path):
    """The render record is named by the code digest of the fingerprint taken before the
    content check: code changed after it renders pages the record would file under the old
    code. The record and the caches named by the code are dropped, and when the code goes
    back the next build renders every page rather than replay those."""
    repo = copy_project(tmp_path)
    content, output = tmp_path / "content", tmp_path / "output"
    cache = output.with_name(output.name + ".cache")
    write_two_articles(content)
    build(repo, content, output)
    assert (cache / "render-record").exists()

    code_file = repo / "plugins" / "fastbuild" / "incremental.py"
    original = code_file.read_bytes()
    (content / "2024" / "03" / "other.md").write_text(
        (content / "2024" / "03" / "other.md").read_text(encoding="utf-8") + "\n区总工会还将增设夜间服务窗口。\n",
        encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", CODE_CHANGE_DRIVER, str(content), str(output)], cwd=repo,
                            capture_output=True, text=True, encoding="utf-8", timeout=600, env=build_env())
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert code_file.read_bytes() != original  # the change did happen
    assert not (cache / "render-record").exists()
    assert not list((cache / "topics").glob("classified-*.json"))
    assert not list((cache / "keywords").glob("ranking-*"))

    code_file.write_bytes(original)  # the code goes back: the old digest again
    stats = build(repo, content, output)
    assert stats["incremental"] == "full"
    assert (cache / "render-record").exists()


def test_a_damaged_or_old_render_record_or_site_manifest_is_none_and_the_site_is_still_right(tmp_path):
    """The render record and the site manifests are framed by their SHA-256
    (newsroom.build.marshal_file): a file with a byte changed, cut short or of the format
    before the digest is no file. Without the record every page is rendered; without the
    published site's manifest no page is taken over from it (its stat and digest unknown);
    either way the site is the one a clean build makes. Read regardless, a changed byte
    (here in a page's path) left the rest of the file in use."""
    repo = copy_project(tmp_path)
    content, output, clean = tmp_path / "content", tmp_path / "site" / "output", tmp_path / "clean" / "output"
    cache = output.with_name(output.name + ".cache")
    write_two_articles(content)
    build(repo, content, clean)
    assert build(repo, content, output)["incremental"] == "full"

    def forced():
        result = subprocess.run([sys.executable, "-m", "newsroom", "build", "--force", "--content", str(content),
                                 "--output", str(output)], cwd=repo, capture_output=True, text=True,
                                encoding="utf-8", timeout=600, env=build_env())
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        assert not differences(output, clean)
        return json.loads((cache / "fastbuild-stats.json").read_text("utf-8"))

    again = forced()
    assert again["incremental"] == "incremental" and again["pages_kept"] > 0  # the files as written are used
    marker = b"chaoyangqu-zhigong-shuwu-xintian"  # in a page's path, in the record and in the manifests
    record = cache / "render-record"
    for how, raw in damaged_versions(record.read_bytes(), marker).items():
        record.write_bytes(raw)
        stats = forced()
        assert stats["incremental"] == "full" and stats["pages_kept"] == 0, (how, stats)
    written = {path: path.read_bytes() for path in (cache / "site-manifests").iterdir()}  # one per site folder
    assert written
    for how in damaged_versions(record.read_bytes(), marker):
        for manifest in (cache / "site-manifests").iterdir():
            manifest.write_bytes(damaged_versions(written.get(manifest) or manifest.read_bytes(), marker)[how])
        stats = forced()
        assert stats["incremental"] == "incremental" and stats["pages_kept"] == 0, (how, stats)
    assert forced()["pages_kept"] > 0  # recorded afresh
