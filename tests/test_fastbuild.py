"""fastbuild: parallel reading and rendering change no byte; unchanged files are kept;
the preview scope builds the latest issues plus edited files."""

import json
import os
import time

import pytest

from newsroom.build.fingerprint import Fingerprints
from newsroom.build.parallel import WorkerFailed, fork_map, fork_queue, in_child, split
from newsroom.build.preview_scope import preview_scope
from cache_damage import damaged_versions
from sitebuild import build_site, copy_content, write_article


def files_of(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_fork_map_keeps_order_and_uses_other_processes():
    parent = os.getpid()
    results = fork_map(lambda n: (n * n, os.getpid()), list(range(50)), workers=2)
    assert [square for square, _ in results] == [n * n for n in range(50)]
    assert {pid for _, pid in results} - {parent}, "no item was computed in a forked worker"


def test_fork_map_reports_a_failing_worker():
    def fail_on_odd(n):
        if n % 2:
            raise ValueError(n)
        return n

    with pytest.raises(WorkerFailed):
        fork_map(fail_on_odd, list(range(6)), workers=2)


def test_fork_queue_keeps_order_and_hands_out_items_one_at_a_time():
    def work(n):
        if n == 0:
            time.sleep(2.5)  # while one process is busy with this, the other takes the rest
        return n * n, os.getpid()

    # Fixed shares (fork_map's, here every other item) would give the slow process more.
    results = fork_queue(work, list(range(12)), workers=2)
    assert [square for square, _ in results] == [n * n for n in range(12)]
    slow_pid = results[0][1]
    assert all(pid != slow_pid for _, pid in results[1:]), "the process with the long item also took others"
    assert {pid for _, pid in results} == {slow_pid, results[1][1]} and len({pid for _, pid in results}) == 2


def test_fork_queue_stops_handing_out_items_when_this_process_fails(tmp_path):
    parent = os.getpid()
    done = tmp_path / "done"

    def work(n):
        if os.getpid() == parent:
            raise ValueError("this process's first item fails")
        time.sleep(0.2)
        with open(done, "a") as handle:
            handle.write(f"{n}\n")
        return n

    with pytest.raises(ValueError):
        fork_queue(work, list(range(20)), workers=2)
    finished = done.read_text().split() if done.exists() else []
    # Without the queue drained the child would go on through all 19 other items.
    assert len(finished) <= 3, finished


def test_fork_queue_reports_a_failing_worker():
    def fail_on_odd(n):
        if n % 2:
            raise ValueError(n)
        return n

    with pytest.raises((WorkerFailed, ValueError)):
        fork_queue(fail_on_odd, list(range(6)), workers=2)


def test_split_balances_costs():
    costs = [50, 1, 1, 1, 1, 50, 1, 1]
    shares = split(costs, 2, cost=lambda c: c)
    loads = sorted(sum(costs[i] for i in share) for share in shares)
    assert loads == [53, 53]
    assert sorted(i for share in shares for i in share) == list(range(len(costs)))


def test_in_child_returns_the_result_or_raises_the_error_and_keeps_nothing_here():
    parent = os.getpid()
    held = []
    assert in_child(lambda: (held.append(1), os.getpid())[1]) != parent
    assert held == []  # what the function did stayed in the child

    def fail():
        raise ValueError("bad input")

    with pytest.raises(ValueError, match="bad input"):
        in_child(fail)


def test_fingerprints_within_transient_are_the_same_and_their_memo_is_bounded(monkeypatch):
    from newsroom.build import fingerprint

    monkeypatch.setattr(fingerprint, "TRANSIENT_MEMO", 10)
    values = [[i, {"a": [i, "x"]}] for i in range(100)]
    shared = {"tag": ["kept"]}
    plain = Fingerprints(shared_types=(dict,))
    expected = [plain.token(value) for value in values] + [plain.token(shared)]
    bounded = Fingerprints(shared_types=(dict,))
    with bounded.transient():
        got = [bounded.token(value) for value in values] + [bounded.token(shared)]
        assert len(bounded._transient) <= 10
    assert got == expected
    # Values of shared_types (and what they hold is transient) are kept for the build.
    assert id(shared) in bounded._memo and id(values[0]) not in bounded._memo


def test_parallel_build_is_byte_identical_to_one_process(sample_site, tmp_path):
    """Every file read and every page rendered on both cores gives the bytes of the run's
    sample site (default settings); test_quality's reproducibility test builds the sample
    in one process (plain Pelican) and compares it with the same sample site, so the two
    together say parallel = default = one process, with one full build fewer than building
    the one-process site here too (run test_quality.py beside this file for all three)."""
    default, _ = sample_site
    many, log = build_site(tmp_path / "many", settings={"FASTBUILD_WORKERS": 2, "FASTBUILD_PARALLEL_MIN": 1})
    stats = json.loads((tmp_path / "many" / "cache" / "fastbuild-stats.json").read_text(encoding="utf-8"))
    assert stats["articles_read_in_parallel"] > 0
    assert stats["pages_rendered_by_workers"] > 0
    assert files_of(default) == files_of(many)
    # Above FASTBUILD_FORK_MEMORY_MB the pages are rendered in one process (a forked
    # worker would copy the parent's memory), the files read on both cores as before.
    capped, _ = build_site(tmp_path / "capped", settings={"FASTBUILD_WORKERS": 2, "FASTBUILD_PARALLEL_MIN": 1,
                                                          "FASTBUILD_FORK_MEMORY_MB": 1})
    stats_capped = json.loads((tmp_path / "capped" / "cache" / "fastbuild-stats.json").read_text(encoding="utf-8"))
    assert stats_capped["render_forked"] is False and stats_capped["pages_rendered_by_workers"] == 0
    assert stats_capped["articles_read_in_parallel"] > 0
    assert stats["render_forked"] is True and stats_capped["resident_mb"]["recorded"] > 0
    assert files_of(capped) == files_of(many)
    # The sitemap lists the pages the workers wrote, too.
    sitemap = (many / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<url>") >= len(list(many.glob("20*/*/*/*/index.html")))

    # A second build writes nothing: every file keeps its bytes and its time.
    page = next(many.glob("20*/*/*/*/index.html"))
    before = page.stat().st_mtime_ns
    time.sleep(0.05)
    build_site(tmp_path / "many", settings={"FASTBUILD_WORKERS": 2, "FASTBUILD_PARALLEL_MIN": 1})
    stats = json.loads((tmp_path / "many" / "cache" / "fastbuild-stats.json").read_text(encoding="utf-8"))
    assert page.stat().st_mtime_ns == before
    assert stats["files_written"] <= 2, stats  # at most what other plugins write themselves
    assert stats["files_unchanged"] > 100


def test_a_reading_problem_is_still_reported_by_pelican(tmp_path):
    content = copy_content(tmp_path)
    write_article(content / "2024" / "05", "bad-page.md",
                  "Title: 页码写错的稿件\nDate: 2024-05-14\nPage: 一\n\n本报讯（记者 罗佳）正文。\n")
    _, log = build_site(tmp_path, content_dir=content,
                        settings={"FASTBUILD_WORKERS": 2, "FASTBUILD_PARALLEL_MIN": 1})
    assert any("bad-page.md" in message for message in log.messages(40))


def test_preview_scope_keeps_recent_dates_and_edited_files(tmp_path):
    def article(name, day):
        path = tmp_path / name
        path.write_text(f"Title: {name}\nDate: {day}\n\n正文。\n", encoding="utf-8")
        return str(path)

    old = article("old.md", "2019-03-05")
    older = article("older.md", "2018-01-02 08:00")
    new = article("new.md", "2024-05-14")
    newer = article("newer.md", "2024-05-21")
    undated = article("undated.md", "")
    past = time.time() - 3600
    for path in (old, older, new, newer, undated):
        os.utime(path, (past, past))
    assert preview_scope([old, older, new, newer, undated], issues=2) == [new, newer, undated]
    os.utime(older, None)  # the editor saved it just now
    assert preview_scope([old, older, new, newer], issues=1, since=time.time() - 60) == [older, newer]


def test_preview_build_has_the_latest_issue_and_the_edited_article(tmp_path):
    content = copy_content(tmp_path)
    past = time.time() - 48 * 3600
    for path in content.rglob("*.md"):
        os.utime(path, (past, past))
    edited = content / "2023" / "06" / "xiasongqingliang-qidong.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n预览时补充的一句话。\n", encoding="utf-8")
    output, log = build_site(tmp_path, content_dir=content,
                             settings={"FASTBUILD_PREVIEW": True, "FASTBUILD_PREVIEW_ISSUES": 1})
    pages = [p.read_text(encoding="utf-8") for p in output.glob("20*/*/*/*/index.html")]
    dates = {p.relative_to(output).parts[:3] for p in output.glob("20*/*/*/*/index.html")}
    assert any("预览时补充的一句话" in page for page in pages)
    assert dates == {("2024", "05", "14"), ("2023", "06", "13")}
    assert not (output / "pagefind").exists()  # no search index in a preview
    assert (tmp_path / "cache" / "preview" / "fastbuild-stats.json").exists()  # its own cache
    assert not log.messages(40)


@pytest.mark.parametrize("name, value", [("FASTBUILD_WORKERS", -1), ("FASTBUILD_PREVIEW", "yes"),
                                         ("FASTBUILD_PREVIEW_HOURS", "12")])
def test_a_bad_setting_is_reported(tmp_path, name, value):
    from plugins.fastbuild.fastbuild import setting

    with pytest.raises(ValueError, match=f"fastbuild: {name}"):
        setting({name: value}, name)


def test_linear_period_archives_are_pelicans(tmp_path):
    """fastbuild's one-pass grouping gives exactly Pelican's year, month and day archives."""
    from pelican.generators import ArticlesGenerator

    from plugins.fastbuild.fastbuild import linear_period_archives

    from pelican import signals

    built = []

    def keep(generator):
        built.append(generator)

    signals.article_generator_finalized.connect(keep)
    try:
        build_site(tmp_path)
    finally:
        signals.article_generator_finalized.disconnect(keep)
    (generator,) = built
    settings = generator.settings
    mine = linear_period_archives(generator)(generator.dates, generator.articles, settings)
    pelicans = ArticlesGenerator._build_period_archives(generator, generator.dates, generator.articles, settings)
    assert set(mine) == set(pelicans) == {"year", "month", "day"}
    for granularity in pelicans:
        assert len(mine[granularity]) == len(pelicans[granularity]) > 0
        for a, b in zip(mine[granularity], pelicans[granularity]):
            assert a.keys() == b.keys()
            for key in a:
                if key in ("dates", "articles"):
                    assert [id(x) for x in a[key]] == [id(x) for x in b[key]]
                else:
                    assert a[key] == b[key]


def test_planned_strftime_is_pelicans():
    """Pelican's strftime with each format parsed once: the same text, or the same error,
    for every format (directives with and without ``-``, unknown ones, stray ``%``), for
    Pelican's dates, plain ones, aware ones and a subclass with its own ``strftime``."""
    import datetime
    import random

    from pelican.utils import SafeDatetime

    from plugins.fastbuild.fastbuild import PELICAN_STRFTIME, planned_strftime

    class Shouting(SafeDatetime):
        def strftime(self, fmt, safe=True):
            return super().strftime(fmt, safe).upper()

    def outcome(function, date, fmt):
        try:
            return function(date, fmt)
        except Exception as error:  # noqa: BLE001 — the same error is part of being the same
            return type(error), str(error)

    rng = random.Random(5)
    formats = ["%Y-%m-%d", "{date:%Y}", "%-d %b %Y %%", "%Y%q %-m x%-", "", "%", "a%-%b", "%a %A %-H:%M", "%-%",
               "%%-d", "%-Y", "%s", "%Z%z", "年%m月%-d日"]
    formats += ["".join(rng.choice("%%%--YmdbBaHMSqzjé年 ") for _ in range(rng.randint(0, 9))) for _ in range(2000)]
    dates = [SafeDatetime(2006, 2, 5, 8, 3), datetime.datetime(2024, 1, 9), datetime.date(2024, 10, 1),
             SafeDatetime(5, 1, 9), Shouting(2006, 2, 5, 8, 3),
             SafeDatetime(2024, 1, 9, 0, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))]
    for date in dates:
        for fmt in formats:
            assert outcome(planned_strftime, date, fmt) == outcome(PELICAN_STRFTIME, date, fmt), (date, fmt)
    assert outcome(planned_strftime, dates[0], None) == outcome(PELICAN_STRFTIME, dates[0], None)


def test_relative_to_is_relpath(tmp_path, monkeypatch):
    """The writer's and the sitemap's ``relpath`` for many paths: the same for paths inside
    the folder, outside it, with ``..`` and ``.`` and doubled separators, and for the root."""
    import os
    import random

    from newsroom.build.staging import relative_to

    monkeypatch.chdir(tmp_path)
    rng = random.Random(3)
    parts = ["a", "b", "..", ".", "", "out", "x.html", "/", "//", "tmp"]
    for folder in ["out", str(tmp_path / "out"), str(tmp_path / "out") + "/", "/", "out/../out", ".", "//tmp/out", "//"]:
        relative = relative_to(folder)
        for _ in range(3000):
            path = "/".join(rng.choice(parts) for _ in range(rng.randint(1, 6)))
            path = os.path.join(folder, path) if rng.random() < 0.5 else path
            if not path:
                with pytest.raises(ValueError):
                    relative(path)
                continue
            assert relative(path) == os.path.relpath(path, folder), (folder, path)


def test_linear_process_translations_is_pelicans():
    """Same originals and translations, same order and ``translations`` attributes."""
    from types import SimpleNamespace

    from pelican.utils import process_translations

    from plugins.fastbuild.fastbuild import linear_process_translations

    def items():
        made = []
        for number, (slug, lang, translation) in enumerate([
                ("b", "zh", "false"), ("a", "zh", "false"), ("a", "en", "false"), ("c", "en", "false"),
                ("c", "zh", "true"), ("d", "zh", "false"), ("b", "en", "true"), ("e", "zh", "true")]):
            made.append(SimpleNamespace(slug=slug, lang=lang, in_default_lang=(lang == "zh"), source_path=f"{number}.md",
                                        metadata={"translation": translation}, number=number))
        return made

    def numbers(result):
        index, translations = result
        return [x.number for x in index], [x.number for x in translations], \
            sorted((x.number, [t.number for t in x.translations]) for x in index + translations)

    assert numbers(linear_process_translations(items(), "slug")) == numbers(process_translations(items(), "slug"))
    assert numbers(linear_process_translations(items(), ["slug", "lang"])) == \
        numbers(process_translations(items(), ["slug", "lang"]))
    assert linear_process_translations(items(), None)[1] == []
    with pytest.raises(AttributeError, match="Cannot use"):
        linear_process_translations(items(), "missing")


def test_a_content_cache_left_compressed_is_dropped_without_a_warning(tmp_path):
    """GZIP_CACHE is off (pelicanconf.py); a cache an earlier build saved with gzip would
    make Pelican warn that it cannot unpickle it, and is read afresh instead."""
    content = tmp_path / "content"
    for day in (12, 13):
        write_article(content / "2024" / "03", f"{day}.md",
                      f"Title: 区总工会为职工书屋新添图书{day}\nDate: 2024-03-{day}\n\n本报讯（记者 罗佳）正文。\n")
    gzipped, _ = build_site(tmp_path / "site", content_dir=content, settings={"GZIP_CACHE": True})
    cache = tmp_path / "site" / "cache" / "ArticlesGenerator-Readers"
    assert cache.read_bytes()[:2] == b"\x1f\x8b"
    reference = files_of(gzipped)
    output, log = build_site(tmp_path / "site", content_dir=content)
    assert not log.messages(), log.messages()
    assert cache.read_bytes()[:2] != b"\x1f\x8b"  # saved plain this time
    assert files_of(output) == reference


def test_a_content_stamp_holds_only_while_the_file_keeps_its_recorded_stat(tmp_path):
    """Pelican's content cache stamps a source *after* reading it. newsroom build's hash of a
    file (NEWSROOM_CONTENT_STAMPS) is its stamp only while the file keeps the stat recorded
    with that hash: an article saved during the build, even saved back to its old bytes, is
    stamped by Pelican's own hash of what it finds, never filed under the hash from before
    (which would make the next build take the text Pelican read midway from its cache)."""
    import hashlib

    from newsroom.build.uptodate import _stat_key, wait_for_clock_tick
    from plugins.fastbuild.fastbuild import stamped

    article = tmp_path / "a.md"
    article.write_bytes(b"Title: one\n\nbefore\n")
    before = article.read_bytes()
    table = {str(article): [_stat_key(os.stat(article)), hashlib.sha256(before).hexdigest()]}

    def md5(filename):
        return hashlib.md5(open(filename, "rb").read()).digest()

    stamp = stamped(md5, table)
    assert stamp(str(article)) == "sha256:" + hashlib.sha256(before).hexdigest()
    (tmp_path / "other.md").write_bytes(b"x")
    assert stamp(str(tmp_path / "other.md")) == hashlib.md5(b"x").digest()
    wait_for_clock_tick(tmp_path)  # as the build's trust in a recorded stat requires (RACY_NS)
    article.write_bytes(b"Title: one\n\nmidway\n")  # saved during the build
    assert stamp(str(article)) == hashlib.md5(b"Title: one\n\nmidway\n").digest()
    article.write_bytes(before)  # and saved back: the same bytes, another change time
    assert stamp(str(article)) == hashlib.md5(before).digest()


def test_a_damaged_or_old_content_stamps_file_stamps_nothing(tmp_path):
    """The table of content stamps newsroom build hands Pelican's child is framed by its
    SHA-256 (newsroom.build.marshal_file): a file with a byte changed (a hash that is no
    longer the file's), cut short or of the format before the digest is no table, and
    Pelican hashes every source itself, as without one. Read regardless, a changed byte
    filed an article under a hash that was never its bytes'."""
    import hashlib
    from types import SimpleNamespace

    from newsroom.build import uptodate
    from plugins.fastbuild.fastbuild import content_stamps

    content, cache = tmp_path / "content", tmp_path / "cache"
    article = content / "a.md"
    content.mkdir()
    article.write_bytes(b"Title: one\n\nbody\n")
    sha = hashlib.sha256(article.read_bytes()).hexdigest()
    state = SimpleNamespace(trusted={"content:a.md": uptodate._stat_key(os.stat(article)) + [sha]})
    path = uptodate.write_content_stamps(state, content, cache)

    def md5(filename):
        return hashlib.md5(open(filename, "rb").read()).digest()

    def stamp_function():
        generator = SimpleNamespace(settings={"NEWSROOM_CONTENT_STAMPS": str(path)}, _filestamp_func=md5)
        content_stamps(generator)
        return generator._filestamp_func

    assert stamp_function()(str(article)) == "sha256:" + sha  # the file as written
    good = path.read_bytes()
    for how, raw in damaged_versions(good, sha.encode()).items():
        path.write_bytes(raw)
        assert stamp_function() is md5, how
        assert stamp_function()(str(article)) == hashlib.md5(article.read_bytes()).digest(), how
    path.unlink()
    assert stamp_function() is md5


def test_a_damaged_or_old_render_explanation_explains_nothing(tmp_path):
    """FASTBUILD_EXPLAIN keeps what each page read (render-explain) framed by its SHA-256
    (newsroom.build.marshal_file): a file with a byte changed, cut short or of the format
    before the digest is none, and that build names no changed input. Read regardless, a
    changed byte named an input that did not change."""
    from types import SimpleNamespace

    from plugins.fastbuild.incremental import Session

    session = SimpleNamespace(cache=str(tmp_path), build=SimpleNamespace(explained={}))
    report = tmp_path / "render-explain.txt"
    Session.explain(session, {"page.html": ["a=1", "b=1"]})
    good = (tmp_path / "render-explain").read_bytes()
    Session.explain(session, {"page.html": ["a=1", "b=2"]})
    assert report.read_text(encoding="utf-8") == "page.html: b\n"
    for how, raw in damaged_versions(good, b"a=1").items():
        (tmp_path / "render-explain").write_bytes(raw)
        Session.explain(session, {"page.html": ["a=1", "b=2"]})
        assert report.read_text(encoding="utf-8") == "", how


def test_the_code_digest_newsroom_build_hands_over_is_the_one_the_child_would_compute(tmp_path):
    """``newsroom build`` passes the render record's code digest from its own fingerprint
    (NEWSROOM_BUILD_CODE_DIGEST): it must be exactly what fastbuild computes without it."""
    from newsroom.build import uptodate
    from newsroom.desk.commands import build_cmd
    from plugins.fastbuild import incremental

    content = tmp_path / "content"
    content.mkdir()
    (content / "a.md").write_text("Title: t\n\nx\n", encoding="utf-8")
    state = uptodate.fingerprint_inputs(*build_cmd.build_inputs(content, tmp_path / "out", False))
    handed = state.code_digest(uptodate.code_groups())
    assert handed == incremental.code_digest({})  # computed by the child itself
    assert incremental.code_digest({"NEWSROOM_BUILD_CODE_DIGEST": handed}) == handed
    assert handed != state.code_digest()  # the theme and settings are not in it: recorded page by page
    assert "NEWSROOM_BUILD_CODE_DIGEST" in incremental.PLUMBING


def test_the_installed_distributions_are_listed_again_when_a_package_changes(tmp_path, monkeypatch):
    """The listing of installed packages is kept with the trusted hashes while what
    importlib.metadata reads keeps its stat; a package installed, upgraded or edited in
    place lists them again."""
    import importlib.metadata

    from newsroom.build import uptodate

    monkeypatch.setattr(uptodate, "RACY_NS", 0)
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))

    def write(version):
        for old in site.glob("demo_pkg-*.dist-info"):
            for f in old.iterdir():
                f.unlink()
            old.rmdir()
        info = site / f"demo_pkg-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: demo-pkg\nVersion: {version}\n")

    def listing(memo):
        time.sleep(0.01)
        return uptodate.installed_distributions(memo)

    write("1.0")
    first, memo = listing(None)
    assert "demo-pkg==1.0" in first.splitlines()
    truth = "\n".join(sorted({f"{(d.metadata['Name'] or '').lower()}=={d.version}"
                              for d in importlib.metadata.distributions()}))
    assert first == truth
    again, memo_again = listing(memo)
    assert again == first and memo_again == memo
    write("2.0")  # an upgrade: another folder
    upgraded, memo = listing(memo)
    assert "demo-pkg==2.0" in upgraded.splitlines() and "demo-pkg==1.0" not in upgraded.splitlines()
    # the same folder, its metadata edited in place
    (site / "demo_pkg-2.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: demo-pkg\nVersion: 3.0\n")
    edited, _ = listing(memo)
    assert "demo-pkg==3.0" in edited.splitlines()
    # a stale memo with the same signature would be believed: a forged one is not
    assert uptodate.installed_distributions(["not the signature", "x==1"])[0] == edited


def test_a_package_added_then_removed_never_brings_back_an_old_signature(tmp_path, monkeypatch):
    """Each sys.path folder's own stat is in the signature: a dist-info added and removed
    again leaves a signature of its own (an old memo listing the package is not believed),
    and a package installed while the listing is read leaves no memo."""
    from newsroom.build import uptodate

    monkeypatch.setattr(uptodate, "RACY_NS", 0)
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    time.sleep(0.01)
    before, _ = uptodate._distribution_sources(time.time_ns())
    info = site / "ghost_pkg-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: ghost-pkg\nVersion: 1.0\n")
    time.sleep(0.01)
    listed, memo = uptodate.installed_distributions(None, time.time_ns())
    assert "ghost-pkg==1.0" in listed.splitlines() and memo is not None
    (info / "METADATA").unlink()
    info.rmdir()
    time.sleep(0.01)
    after, _ = uptodate._distribution_sources(time.time_ns())
    assert after != before and after != memo[0]
    assert "ghost-pkg==1.0" not in uptodate.installed_distributions(memo)[0].splitlines()

    # installed between the signature and the listing: the listing holds it, no memo kept
    import importlib.metadata

    real = importlib.metadata.distributions

    def installing(*args, **kwargs):
        late = site / "late_pkg-1.0.dist-info"
        late.mkdir()
        (late / "METADATA").write_text("Metadata-Version: 2.1\nName: late-pkg\nVersion: 1.0\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(importlib.metadata, "distributions", installing)
    time.sleep(0.01)
    listed, memo = uptodate.installed_distributions(None, time.time_ns())
    assert "late-pkg==1.0" in listed.splitlines()
    assert memo is None


def test_the_platform_is_asked_once_while_the_kernel_and_interpreter_stay(monkeypatch):
    """platform.platform() runs ``uname -p`` in a child on Linux: its answer is kept with the
    trusted hashes, and asked again when the kernel's uname or the interpreter differ."""
    import platform

    from newsroom.build import uptodate

    text, memo = uptodate.platform_text(None)
    assert text == platform.platform()
    calls = []
    monkeypatch.setattr(platform, "platform", lambda: calls.append(1) or "other")
    assert uptodate.platform_text(memo) == (text, memo) and not calls
    assert uptodate.platform_text(["another kernel", text])[0] == "other" and calls
