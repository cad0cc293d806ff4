"""``make publish`` (``python -m newsroom build --publish``): checks first, builds nothing on an error.

Also: drafts (``Status: draft``) never reach the published output, its feeds or sitemap.
"""

import hashlib
import subprocess
import sys

import pytest

from newsroom.slugs import slugify_headline
from sitebuild import ROOT, soup, write_article

FIXTURES = ROOT / "tests" / "fixtures" / "check"
DRAFT_TITLE = "东城区职工书屋草稿稿件"
GOOD_TITLE = "朝阳区职工书屋新添三千册图书"


def publish(content, output):
    """What ``make publish`` runs, on a private content tree and output folder."""
    return subprocess.run(
        [sys.executable, "-m", "newsroom", "build", "--publish", "--content", str(content), "--output", str(output)],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=300,
    )


def snapshot(folder):
    """Every file under ``folder`` with the hash of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A good tree (one article, one draft) published once: ``(content, output, result)``."""
    tmp = tmp_path_factory.mktemp("publish")
    content = tmp / "content"
    write_article(content, "2024/03/good.md", (FIXTURES / "good.md").read_text(encoding="utf-8"))
    draft = (FIXTURES / "draft.md").read_text(encoding="utf-8").replace(f"Title: {GOOD_TITLE}",
                                                                        f"Title: {DRAFT_TITLE}")
    write_article(content, "2024/03/draft.md", draft)
    output = tmp / "output"
    return content, output, publish(content, output)


def test_a_good_tree_publishes(published):
    _, output, result = published
    assert result.returncode == 0, result.stdout + result.stderr
    assert "newsroom check: 2 files checked, 0 errors" in result.stdout
    page = output / "2024" / "03" / "12" / slugify_headline(GOOD_TITLE) / "index.html"
    assert soup(page).select_one("h1.headline").get_text() == GOOD_TITLE
    assert not output.with_name("output.staging").exists()


def test_drafts_reach_no_page_feed_or_sitemap(published):
    _, output, result = published
    assert result.returncode == 0
    assert not (output / "2024" / "03" / "12" / slugify_headline(DRAFT_TITLE)).exists()
    assert not (output / "drafts").exists()
    feed = (output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert GOOD_TITLE in feed and DRAFT_TITLE not in feed
    assert slugify_headline(GOOD_TITLE) in sitemap and slugify_headline(DRAFT_TITLE) not in sitemap
    leaks = [str(p.relative_to(output)) for p in output.rglob("*")
             if p.is_file() and p.suffix in {".html", ".xml", ".json"}
             and DRAFT_TITLE in p.read_text(encoding="utf-8")]
    assert leaks == []


@pytest.mark.parametrize("bad", ["script_tag.md", "gbk.md", "unknown_district.md"])
def test_one_bad_article_stops_publishing_and_leaves_the_output_untouched(published, tmp_path, bad):
    content, output, first = published
    assert first.returncode == 0
    before = snapshot(output)
    assert before
    tree = tmp_path / "content"
    for path in content.rglob("*.md"):
        write_article(tree, str(path.relative_to(content)), path.read_text(encoding="utf-8"))
    # The bad article under another headline, so that its one problem is the only one.
    data = (FIXTURES / bad).read_bytes().replace(GOOD_TITLE.encode(), "朝阳区职工书屋迎来新读者".encode())
    target = tree / "2024" / "03" / bad
    target.write_bytes(data)

    result = publish(tree, output)
    assert result.returncode != 0
    assert f"{target}:" in result.stdout  # the check names the file (and line)
    assert "nothing was built or published" in result.stderr
    assert snapshot(output) == before
    assert not output.with_name("output.staging").exists()
