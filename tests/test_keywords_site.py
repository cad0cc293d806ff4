"""The keywords plugin in real builds: tag pages, tag index, 相关报道, meta keywords, cache."""

import json
import shutil
from pathlib import Path

import pytest

from newsroom.build import marshal_file
from newsroom.text import keywords as kw
from newsroom.text.slugs import pinyin_slug
from sitebuild import build_site, soup, write_article

GOLD = Path(__file__).resolve().parent / "fixtures" / "keywords"
# Articles that share keywords (新就业形态劳动者, 快递员, 外卖骑手, 法律援助 ...).
PICKED = [
    "01-songzhuang-outdoor-station.md",
    "02-haidian-couriers-join.md",
    "05-fengtai-wage-arrears.md",
    "12-wangjing-drivers-station.md",
    "20-summer-childcare.md",
    "24-tongzhou-sports-meet.md",
    "26-work-injury-case.md",
    "32-food-delivery-insurance.md",
]
DRAFT_TITLE = "草稿：外卖骑手专属意外保险将扩大到快递员"
# An editor's note (an HTML comment over two lines, so no one-line HTML rule removes it):
# readers never see it, so it must not give keywords.
EDITOR_NOTE = "<!-- 编辑注：核实数字。\n蓝莓蛋糕、蓝莓蛋糕、蓝莓蛋糕要不要写进去？ -->"


def make_content(folder):
    for name in PICKED:
        shutil.copy(GOLD / name, folder / name)
    # The editor's own Tags come first in keywords.
    text = (GOLD / "02-haidian-couriers-join.md").read_text(encoding="utf-8")
    (folder / "02-haidian-couriers-join.md").write_text(
        text.replace("District: 海淀区\n", "District: 海淀区\nTags: 扫码入会, 快递行业\n"), encoding="utf-8"
    )
    # An editor's tag naming the article's own district stays (the extracted ones never do).
    text = (GOLD / "05-fengtai-wage-arrears.md").read_text(encoding="utf-8")
    (folder / "05-fengtai-wage-arrears.md").write_text(
        text.replace("District: 丰台区\n", "District: 丰台区\nTags: 丰台区\n"), encoding="utf-8"
    )
    text = (GOLD / "01-songzhuang-outdoor-station.md").read_text(encoding="utf-8")
    head, body = text.split("\n\n", 1)
    (folder / "01-songzhuang-outdoor-station.md").write_text(f"{head}\n\n{EDITOR_NOTE}\n\n{body}", encoding="utf-8")
    body = (GOLD / "32-food-delivery-insurance.md").read_text(encoding="utf-8").split("\n\n", 1)[1]
    write_article(
        folder,
        "99-draft.md",
        f"Title: {DRAFT_TITLE}\nDate: 2024-06-21\nStatus: draft\nSlug: draft-insurance\n\n{body}",
    )


def article_pages(output):
    return sorted(output.glob("20*/*/*/*/index.html"))


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("kwsite")
    content = tmp / "content"
    content.mkdir()
    make_content(content)
    output, log = build_site(tmp, content_dir=content)
    return tmp, content, output, log


def test_every_article_has_meta_keywords_and_jsonld(small_site):
    _, _, output, log = small_site
    pages = article_pages(output)
    assert len(pages) == len(PICKED)
    for page in pages:
        html = soup(page)
        meta = html.find("meta", attrs={"name": "keywords"})
        assert meta is not None, page
        terms = meta["content"].split(",")
        assert 5 <= len(terms) <= 2 + 8 and len(set(terms)) == len(terms)
        jsonld = [json.loads(s.string) for s in html.find_all("script", type="application/ld+json")]
        assert any(data.get("keywords") == terms for data in jsonld), page
        # Every keyword is merged into the article's tags, each linking to its tag page.
        tags = html.select(".story-tags a")
        assert [a.get_text() for a in tags] == terms
        for a in tags:
            assert (output / a["href"].strip("/") / "index.html").exists(), a["href"]
    messages = [m for m in log.messages() if m.startswith("keywords")]
    assert not messages


def test_editors_notes_in_comments_give_no_keywords(small_site):
    _, content, output, _ = small_site
    assert "蓝莓蛋糕" in (content / "01-songzhuang-outdoor-station.md").read_text(encoding="utf-8")
    for page in article_pages(output):
        meta = soup(page).find("meta", attrs={"name": "keywords"})["content"]
        assert "蓝莓" not in meta and "核实" not in meta and "编辑" not in meta, (page, meta)
    assert not list(output.glob("tags/*蓝莓*")) and "蓝莓" not in (output / "tags" / "index.html").read_text(encoding="utf-8")


def test_editor_tags_come_first(small_site):
    _, _, output, _ = small_site
    (page,) = [p for p in article_pages(output) if "快递员集中入会" in soup(p).h1.get_text()]
    terms = soup(page).find("meta", attrs={"name": "keywords"})["content"].split(",")
    assert terms[:2] == ["扫码入会", "快递行业"]
    assert "快递员" in terms


def test_the_articles_own_district_is_no_extracted_keyword(small_site):
    """Each article is filed under its district (its header links the district page); its
    keywords do not repeat it, its district union stays, an editor's tag naming it stays."""
    _, content, output, _ = small_site
    districts = {}
    for path in content.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        if "District: " in text and "Status: draft" not in text:
            title = text.split("Title: ", 1)[1].split("\n", 1)[0]
            districts[title] = (text.split("District: ", 1)[1].split("\n", 1)[0], "Tags: 丰台区\n" in text)
    seen = 0
    for page in article_pages(output):
        html = soup(page)
        title = html.h1.get_text(strip=True)
        district, tagged = next((d for t, d in districts.items() if t in title or title in t), (None, False))
        if district is None:
            continue
        seen += 1
        terms = html.find("meta", attrs={"name": "keywords"})["content"].split(",")
        short = district[:-1]
        if tagged:  # the editor tagged it: first, once; 丰台区总工会 still extracted
            assert terms[0] == "丰台区" and terms.count("丰台区") == 1 and "丰台区总工会" in terms, terms
        else:
            assert district not in terms and short not in terms, (page, terms)
    assert seen >= 5
    (page,) = [p for p in article_pages(output) if "快递员集中入会" in soup(p).h1.get_text()]
    assert "海淀区总工会" in soup(page).find("meta", attrs={"name": "keywords"})["content"].split(",")


def test_shared_keywords_have_tag_pages_listing_their_articles(small_site):
    _, _, output, _ = small_site
    index = soup(output / "tags" / "index.html")
    rows = index.select(".tag-ranking li")
    counts = [int(row.select_one(".count").get_text().rstrip("篇")) for row in rows]
    assert rows and counts == sorted(counts, reverse=True)
    names = [row.a.get_text() for row in rows]
    assert "新就业形态劳动者" in names and "扫码入会" in names
    link = index.find("a", string="新就业形态劳动者")
    tag_page = output / link["href"].strip("/") / "index.html"
    listed = {a.get_text(strip=True) for a in soup(tag_page).select(".item-list .item-title a")}
    expected = {soup(p).h1.get_text() for p in article_pages(output)
                if "新就业形态劳动者" in soup(p).find("meta", attrs={"name": "keywords"})["content"]}
    assert len(expected) >= 2
    assert listed == expected


def test_tag_index_ranks_shared_keywords_and_lists_the_rest_in_pinyin_order(small_site):
    _, _, output, _ = small_site
    index = soup(output / "tags" / "index.html")
    shared = [(li.a.get_text(), li.select_one(".count").get_text()) for li in index.select("ol.tag-ranking li")]
    single = [(li.a.get_text(), li.select_one(".count").get_text()) for li in index.select("ul.tag-flow li")]
    assert shared and single
    assert all(count != "1篇" for _, count in shared) and all(count == "1篇" for _, count in single)
    names = [name for name, _ in shared + single]
    assert len(names) == len(set(names)) == len(list((output / "tags").glob("*/index.html")))
    assert f"共 {len(names)} 个关键词" in index.get_text()
    keys = [pinyin_slug(name) for name, _ in single]
    assert keys == sorted(keys)


def test_related_articles_never_itself_never_a_draft(small_site):
    _, _, output, _ = small_site
    assert not (output / "drafts").exists()
    titles = {soup(p).h1.get_text() for p in article_pages(output)}
    assert DRAFT_TITLE not in titles
    some = 0
    for page in article_pages(output):
        html = soup(page)
        links = html.select(".related-list a")
        assert len(links) <= 5
        own = "/" + str(page.parent.relative_to(output)) + "/"
        for link in links:
            assert not link["href"].endswith(own)
            assert link.get_text() != html.h1.get_text()
            assert link.get_text() in titles
        some += bool(links)
    assert some >= len(titles) // 2


def test_unchanged_articles_are_not_analysed_again(small_site, monkeypatch):
    tmp, content, first_output, _ = small_site
    before = {p.relative_to(first_output): soup(p).find("meta", attrs={"name": "keywords"})["content"]
              for p in article_pages(first_output)}
    cache_files = list((tmp / "cache" / "keywords").glob("candidates-*"))
    assert len(cache_files) == 1
    # The draft is not read at all: the public build leaves drafts out (plugins/release).
    assert len(marshal_file.loads(cache_files[0].read_bytes())["entries"]) == len(PICKED)
    analysed = []
    real = kw.candidate_terms
    monkeypatch.setattr(kw, "candidate_terms", lambda t, b, d=None: analysed.append(t) or real(t, b, d))
    # The reader leaves each article's text key in the metadata Pelican's content cache
    # keeps: the plugin reads only the changed source, to analyse it (it read every one).
    import sys

    plugin = sys.modules["keywords.keywords"]
    read = []
    real_read = plugin.read_source
    monkeypatch.setattr(plugin, "read_source", lambda path: read.append(Path(path).name) or real_read(path))
    changed = content / "05-fengtai-wage-arrears.md"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\n区总工会将继续开展欠薪专项治理。\n", encoding="utf-8")
    output, _ = build_site(tmp, content_dir=content, settings={"OUTPUT_PATH": str(tmp / "output2")})
    assert analysed == ["丰台工会法律援助帮23名农民工讨回欠薪"]
    assert read == ["05-fengtai-wage-arrears.md"]
    after = {p.relative_to(output): soup(p).find("meta", attrs={"name": "keywords"})["content"]
             for p in article_pages(output)}
    # Articles that come back from Pelican's content cache keep the editor's Tags first
    # and do not pile up last build's keywords.
    assert after.keys() == before.keys()
    changed_page = [k for k in after if soup(output / k).h1.get_text().startswith("丰台工会")]
    assert all(after[k] == before[k] for k in after if k not in changed_page)


def test_tag_min_articles_keeps_one_article_keywords_out_of_tags(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    for name in PICKED[:3]:
        shutil.copy(GOLD / name, content / name)
    output, _ = build_site(tmp_path, content_dir=content, settings={"KEYWORDS_TAG_MIN_ARTICLES": 2})
    metas = {p: soup(p).find("meta", attrs={"name": "keywords"})["content"].split(",") for p in article_pages(output)}
    counts = {}
    for terms in metas.values():
        for term in terms:
            counts[term] = counts.get(term, 0) + 1
    assert 1 in counts.values() and any(n >= 2 for n in counts.values())
    for page, terms in metas.items():
        tags = [a.get_text() for a in soup(page).select(".story-tags a")]
        assert tags == [t for t in terms if counts[t] >= 2]


def test_bad_setting_is_reported(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(GOLD / PICKED[0], content / PICKED[0])
    output, log = build_site(tmp_path, content_dir=content, settings={"KEYWORDS_TOP_K": "eight"})
    assert any("KEYWORDS_TOP_K" in m and m.startswith("keywords") for m in log.messages())
    meta = soup(article_pages(output)[0]).find("meta", attrs={"name": "keywords"})
    assert len(meta["content"].split(",")) == 8  # the default


def test_sample_site_articles_all_have_keywords_and_sane_related(sample_site):
    output, _ = sample_site
    pages = article_pages(output)
    assert pages
    for page in pages:
        html = soup(page)
        assert html.find("meta", attrs={"name": "keywords"})["content"], page
        for link in html.select(".related-list a"):
            assert link.get_text() != html.h1.get_text()
