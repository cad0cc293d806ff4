"""One build at a time, no orphans, an atomic swap, an instant rollback.

``newsroom build`` is killed with SIGKILL at several moments: while Pelican writes pages,
while Pagefind indexes, just before the new site's link replaces ``output`` and just
after. Each time the Pelican child, its workers and Pagefind must die with it, the
served site must be the old one or the new one and complete (never half, never none),
and the next build must publish exactly what a clean build does. The moments are made
exact by a driver (the build run from a ``python -c`` script that pauses at the named
moment and tells the test its process ids); nothing here waits on a clock but for those
markers.
"""

import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from newsroom.build import versions
from sitebuild import ROOT, plain_build_environment, write_article

GOOD = (ROOT / "tests" / "fixtures" / "check" / "good.md").read_text(encoding="utf-8")
EDIT = "区总工会还将为职工书屋增设夜间借阅服务。"
WAIT_S = 180  # for a marker: generous, the machine is shared

# Runs `newsroom build` as an editor would, with one pause: ``mode`` names the moment.
DRIVER = r"""
import os, sys, time
from pathlib import Path

markers = Path(os.environ["KILLTEST_MARKERS"])
CHILD = os.environ["KILLTEST_CHILD"]  # the Pelican child's script, for mode "pelican"
mode, content, output = sys.argv[1:4]

def pause(name, pid=None):
    (markers / (name + ".tmp")).write_text(str(pid or os.getpid()))
    os.rename(markers / (name + ".tmp"), markers / name)
    time.sleep(600)

from newsroom.desk import cli
from newsroom.desk.commands import build_cmd
from newsroom.build import versions

if mode == "pelican":  # the Pelican child pauses once its first pages are written
    run_pelican = build_cmd.run_pelican
    def paused_pelican(command, lock=None, **options):
        return run_pelican([command[0], "-c", CHILD, *command[3:]], lock, **options)
    build_cmd.run_pelican = paused_pelican
elif mode == "index":  # Pagefind's run pauses (a stand-in that sleeps)
    from newsroom.build import searchindex
    searchindex._pagefind_command = lambda: ["sh", "-c", 'echo $$ > "$KILLTEST_MARKERS/index.tmp"; '
                                             'mv "$KILLTEST_MARKERS/index.tmp" "$KILLTEST_MARKERS/index"; '
                                             'exec sleep 600', "pagefind"]
elif mode == "swap-before":  # the new version is in place, the link not yet renamed over output
    point = versions._point
    def paused_point(link, target):
        if Path(link).name == Path(output).name:
            pause("swap-before")
        return point(link, target)
    versions._point = paused_point
elif mode == "swap-after":  # output is the new site; the old versions not yet set aside
    set_aside = versions.set_aside
    def paused_set_aside(*args, **kwargs):
        pause("swap-after")
        return set_aside(*args, **kwargs)
    versions.set_aside = paused_set_aside

sys.exit(cli.main(["build", "--content", content, "--output", output]))
"""
CHILD = r"""
import os, sys, time
from pathlib import Path
from pelican import signals

markers = Path(os.environ["KILLTEST_MARKERS"])

def pause(*args, **kwargs):
    if not (markers / "pelican").exists():
        (markers / "pelican.tmp").write_text(str(os.getpid()))
        os.rename(markers / "pelican.tmp", markers / "pelican")
        time.sleep(600)

signals.content_written.connect(pause)
from newsroom.build import pelican_run
status = pelican_run.main(sys.argv[1:])
from newsroom.build.parallel import exit_now
exit_now(status)
"""


def environment(markers):
    return {**plain_build_environment(), "KILLTEST_MARKERS": str(markers)}


def build(content, output):
    result = subprocess.run([sys.executable, "-m", "newsroom", "build", "--content", str(content),
                             "--output", str(output)], cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
                            timeout=600, env=environment(output.parent))
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def site(output):
    """``{relative path: sha256}`` of every file the site serves at ``output``."""
    root = Path(output)
    assert (root / "index.html").is_file(), f"{output} is not a complete site"
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def alive(pid):
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as handle:
            return "\nState:\tZ" not in handle.read()
    except FileNotFoundError:
        return False


def abandoned_search_staging():
    """Search staging folders whose maker is dead (a build killed while Pagefind ran)."""
    from newsroom.build import searchindex

    folder = Path(searchindex.scratch_folder() or tempfile.gettempdir())
    prefix = searchindex.SCRATCH_PREFIX
    return [p.name for p in folder.glob(prefix + "*-*")
            if p.name[len(prefix):].split("-", 1)[0].isdigit() and not alive(int(p.name[len(prefix):].split("-", 1)[0]))]


def wait_dead(pids):
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in pids):
        assert time.monotonic() < deadline, f"still running after the build was killed: {pids}"
        time.sleep(0.05)


def kill_build_at(mode, content, output, tmp_path):
    """Start a build, SIGKILL it at ``mode``; returns the process ids the moment named."""
    markers = tmp_path / f"markers-{mode}"
    markers.mkdir()
    driver = subprocess.Popen([sys.executable, "-c", DRIVER, mode, str(content), str(output)], cwd=ROOT,
                              env={**environment(markers), "KILLTEST_CHILD": CHILD}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    marker = markers / mode
    deadline = time.monotonic() + WAIT_S
    while not marker.exists():
        if driver.poll() is not None or time.monotonic() > deadline:
            driver.kill()
            raise AssertionError(f"the build never reached {mode}: {driver.stderr.read().decode()[-2000:]}")
        time.sleep(0.02)
    os.kill(driver.pid, signal.SIGKILL)
    driver.wait()
    driver.stderr.close()
    return [int(marker.read_text())]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A small content folder, its edited state and a clean build of that."""
    root = tmp_path_factory.mktemp("reliability")
    content = root / "content"
    write_article(content, "2024/03/good.md", GOOD)
    write_article(content, "2024/03/second.md", GOOD.replace("朝阳区职工书屋新添三千册图书", "海淀区职工书屋开展读书月活动")
                  .replace("2024-03-12", "2024-03-15").replace("Slug: ", "Slug: haidian-"))
    edited = GOOD + f"\n{EDIT}\n"
    write_article(content, "2024/03/good.md", edited)
    clean = root / "clean" / "output"
    clean.parent.mkdir()
    build(content, clean)
    return content, {"before": GOOD, "after": edited}, site(clean)


def test_a_killed_build_leaves_no_process_the_old_site_served_and_the_next_build_clean(project, tmp_path):
    content, texts, edited_site = project
    good = content / "2024" / "03" / "good.md"
    output = tmp_path / "output"
    good.write_text(texts["before"], encoding="utf-8")
    build(content, output)  # the first build of an output is a clean one
    sites = {"before": site(output), "after": edited_site}
    assert output.is_symlink() and versions.current(output)

    # Each moment: the build is killed; what it started dies; the site served is whole,
    # the old one or the new one; the next build (started at once, as an editor would)
    # publishes exactly what a clean build does.
    state = "before"
    for mode, served_after_kill in (("pelican", "old"), ("index", "old"), ("swap-before", "old"),
                                    ("swap-after", "new")):
        old, state = state, "after" if state == "before" else "before"
        good.write_text(texts[state], encoding="utf-8")
        pids = kill_build_at(mode, content, output, tmp_path)
        wait_dead(pids)
        assert site(output) == sites[old if served_after_kill == "old" else state], mode
        result = build(content, output)
        assert "up to date" not in result.stdout, mode
        assert site(output) == sites[state], mode
        assert not versions.leftover_staging(output), mode
        if mode == "index":  # the pages the killed build staged for Pagefind are swept too
            assert not abandoned_search_staging(), mode

    # Rollback: the previous version again, at once and whole (search bundle too); a
    # second rollback goes forward; a build afterwards builds (the site served changed).
    previous, state = state, "after" if state == "before" else "before"
    good.write_text(texts[state], encoding="utf-8")
    build(content, output)
    cli = [sys.executable, "-m", "newsroom", "--lang", "zh", "rollback", "--output", str(output)]
    result = subprocess.run(cli, cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0 and "已换回上一版网站" in result.stdout, result.stderr
    assert site(output) == sites[previous] and (output / "pagefind").is_dir()
    again = subprocess.run(cli, cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert again.returncode == 0 and site(output) == sites[state]
    subprocess.run(cli, cwd=ROOT, check=True, capture_output=True, timeout=120)  # back to `previous`
    result = build(content, output)
    assert "up to date" not in result.stdout and site(output) == sites[state]


def test_rollback_with_nothing_to_go_back_to_says_so(tmp_path):
    result = subprocess.run([sys.executable, "-m", "newsroom", "--lang", "zh", "rollback", "--output",
                             str(tmp_path / "output")], cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
                            timeout=120)
    assert result.returncode == 1 and "没有可以换回的上一版网站" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_plain_output_folder_is_exchanged_for_the_link_atomically(project, tmp_path):
    from newsroom.build import staging

    output, cache = tmp_path / "output", tmp_path / "output.cache"
    output.mkdir()
    (output / "index.html").write_text("old", encoding="utf-8")
    new = versions.staging_folder(output)
    new.mkdir()
    (new / "index.html").write_text("new", encoding="utf-8")
    staging.go_live(new, output, cache)
    assert output.is_symlink() and (output / "index.html").read_text(encoding="utf-8") == "new"
    assert versions.previous(output) and versions.rollback(output)
    assert (output / "index.html").read_text(encoding="utf-8") == "old"
