import re
from pathlib import Path

import pytest

from newsroom.text.slugs import MAX_SLUG_LENGTH, pinyin_slug, slugify_headline
from sitebuild import SEED_PAGE

# The six headlines of the reference page: pypinyin's phrase readings, one word per part
# (checked by hand: 重建 chongjian, 长阳 changyang, 朝阳 chaoyang — not zhaoyang).
REFERENCE_SLUGS = {
    "齐静赴门头沟慰问恢复重建一线职工和困难职工": "qi-jing-fu-mentougou-weiwen-huifu-chongjian-yixian-zhigong",
    "北京市第十四届职工文化艺术节迎新年展演活动举办": "beijingshi-dishisijie-zhigong-wenhua-yishujie-yingxinnian",
    "昌平“工会+仲裁”成功化解劳动争议案件": "changping-gonghui-zhongcai-chenggong-huajie-laodong-zhengyi",
    "房山长阳镇总工会举办“迎新年”职工沟通会": "fangshan-changyang-zhen-zonggonghui-juban-yingxinnian",
    "平谷区东高村镇总工会多措并举吸引职工入会": "pingguqu-dong-gao-cunzhen-zonggonghui-duo-cuo-bingju-xiyin",
    "朝阳区重点企业工会联谊会召开工作总结会": "chaoyangqu-zhongdian-qiye-gonghui-lianyihui-zhaokai-gongzuo",
}


PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"


def page_headlines(path):
    """The ``# `` headlines of an OCR'd page, the banner (the first) left out."""
    from newsroom.desk.importer import decode_page

    lines = decode_page(path.read_bytes(), path).splitlines()
    headlines = [line[2:].strip() for line in lines if line.startswith("# ")]
    return headlines[1:]


@pytest.mark.skipif(not SEED_PAGE.exists(), reason=f"the reference page {SEED_PAGE} is not beside the repository")
def test_reference_page_headlines_are_the_six_we_expect():
    assert page_headlines(SEED_PAGE) == list(REFERENCE_SLUGS)


def test_fixture_page_headlines_read_as_the_importer_reads_them():
    # What the reference test checks of the real page, on the project's own pages: the
    # headlines this file's readings are about are the ones the importer finds.
    from newsroom.desk.importer import read_page

    for path in sorted(PAGES.glob("*.txt")):
        assert page_headlines(path) == [article.title for article in read_page(path).articles], path.name
        for headline in page_headlines(path):
            slug = slugify_headline(headline)
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) and len(slug) <= MAX_SLUG_LENGTH


@pytest.mark.parametrize("headline, slug", REFERENCE_SLUGS.items())
def test_reference_slugs_use_phrase_readings(headline, slug):
    assert slugify_headline(headline) == slug


def test_polyphonic_place_names_read_as_places():
    assert slugify_headline("朝阳") == "chaoyang"
    assert "chongjian" in slugify_headline("灾后重建")
    assert "changyang" in slugify_headline("房山长阳镇")
    assert "zhaoyang" not in slugify_headline("朝阳区重点企业")


def test_slug_is_ascii_lowercase_bounded_and_cut_at_a_syllable():
    headline = "北京市总工会开展“两节”送温暖活动慰问新就业形态劳动者和生产一线职工及困难职工家庭"
    slug = slugify_headline(headline)
    assert len(slug) <= MAX_SLUG_LENGTH
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
    full = slugify_headline(headline, max_length=1000)
    assert full.startswith(slug + "-")  # cut at a hyphen, never inside a word


def test_latin_and_digits_are_kept():
    assert slugify_headline("12351职工服务热线APP上线") == "12351-zhigong-fuwu-rexian-app-shangxian"


def test_same_input_same_slug_and_empty_fallback():
    assert slugify_headline("职工之家") == slugify_headline("职工之家")
    assert slugify_headline("“”——！") == "article"


def test_pinyin_slug_for_names():
    assert pinyin_slug("门头沟区") == "mentougouqu"
    assert pinyin_slug("朝阳") == "chaoyang"


def test_a_slug_does_not_depend_on_the_project_dictionary():
    """Keyword work edits newsroom/data/userdict.txt; URLs must not move when it does."""
    from newsroom.text import segment

    before = slugify_headline("平谷区东高村镇总工会多措并举吸引职工入会")
    segment.tokenizer()  # the project's jieba, with its user dictionary, loaded in this process
    assert slugify_headline("平谷区东高村镇总工会多措并举吸引职工入会") == before


def test_one_very_long_word_is_cut_at_a_syllable():
    slug = slugify_headline("中华人民共和国全国人民代表大会常务委员会", max_length=10)
    assert slug == "zhonghua"


# --- pinyin_slug's answers kept between processes (issue 26: a one-edit build's check and
# Pelican child each loaded pypinyin, ~0.2 s, to slug the same places and tags again) ---
MEMO_RUN = """
import sys
sys.path.insert(0, {root!r})
from newsroom.text import districts, slugs
names = {names!r}
places = districts.gazetteer()
print(repr(([slugs.pinyin_slug(name) for name in names], sorted(places.slugs.items()) if hasattr(places, "slugs") else None,
            "pypinyin" in sys.modules, "pkg_resources" in sys.modules)))
slugs.save_pinyin_memo()
"""


def test_pinyin_slugs_are_kept_between_processes_and_equal_a_fresh_reading(tmp_path):
    import ast
    import os
    import subprocess
    import sys

    names = ["门头沟区", "长阳镇", "朝阳区", "重庆", "银行", "王萌", "798艺术区", "CBD", "", "〇"]
    env = {**os.environ, "NEWSROOM_CACHE_DIR": str(tmp_path / "dicts")}
    script = MEMO_RUN.format(root=str(Path(__file__).resolve().parents[1]), names=names)

    def run():
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
        return ast.literal_eval(done.stdout.strip().splitlines()[-1])

    first = run()
    assert first[2] is True  # nothing kept yet: pypinyin read them
    assert first[3] is False  # jieba was imported without pkg_resources (newsroom.text.segment)
    second = run()
    assert second[:2] == first[:2] and second[2] is False  # the same answers, pypinyin never loaded
    assert first[0] == ["".join(p for p in _fresh_syllables(name)) or "x" for name in names]


def _fresh_syllables(name):
    from newsroom.text import slugs

    return slugs._syllables(name)


def test_a_changed_phrase_list_starts_a_new_pinyin_memo(tmp_path, monkeypatch):
    from newsroom.text import slugs

    monkeypatch.setenv("NEWSROOM_CACHE_DIR", str(tmp_path / "dicts"))
    phrases = tmp_path / "pinyin_phrases.txt"
    phrases.write_bytes(slugs.PHRASES.read_bytes())
    monkeypatch.setattr(slugs, "PHRASES", phrases)
    monkeypatch.setattr(slugs, "_memo", {})
    assert slugs.pinyin_slug("门头沟区") == "mentougouqu"
    slugs.save_pinyin_memo()
    kept = list((tmp_path / "dicts").glob("pinyin-slugs-*.marshal"))
    assert len(kept) == 1
    # A forged answer in the kept memo is what the next process would read...
    table = {"门头沟区": "forged"}
    from newsroom.text import segment

    segment.keep_table(kept[0], slugs.MEMO_NAME, table)
    monkeypatch.setattr(slugs, "_memo", {})
    assert slugs.pinyin_slug("门头沟区") == "forged"
    # ...until the phrase list changes: another memo, read afresh.
    phrases.write_text(phrases.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    monkeypatch.setattr(slugs, "_memo", {})
    assert slugs.pinyin_slug("门头沟区") == "mentougouqu"


# --- pypinyin's readings from a kept table (issue 26: a new tag name cost a build
# pypinyin's import, ~0.5 CPU-s, to read a few characters) --------------------------------
HARD_NAMES = ["重庆", "重建", "重新", "长阳镇", "行长", "银行", "还款", "朝阳区", "朝阳", "门头沟区", "长安街", "长城",
              "乐亭", "音乐", "快乐", "单县", "单位", "解放", "解家", "曾经", "曾", "调查", "协调", "传说", "大夫", "都市",
              "首都", "着落", "看着", "和平", "暖和", "12351热线", "G20峰会", "A股", "798艺术区", "CBD", "5G基站",
              "第3届", "〇", "亍", "𠀀字", "女职工", "绿色", "略", "·", "ü", "Ⅱ期", "", "一", "不", "一二三"]


def _pypinyin_syllables(name):
    """``slugs._syllables`` as it read every run before the kept table: pypinyin itself."""
    from newsroom.text import slugs

    lazy_pinyin, Style = slugs._pinyin()
    parts = []
    for match in slugs._TOKEN.finditer(name):
        chunk = match.group(0)
        parts.extend(lazy_pinyin(chunk, style=Style.NORMAL) if slugs._HAN.fullmatch(chunk) else [chunk])
    return [p.lower().replace("ü", "v") for p in parts if p]


def _names_to_read():
    import random

    from pypinyin.constants import PHRASES_DICT

    from newsroom import DATA_DIR
    from newsroom.text import gazetteer, slugs

    names = set(HARD_NAMES) | set(gazetteer.place_names())
    for line in (DATA_DIR / "userdict.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            names.add(line.split()[0])
    for line in slugs.PHRASES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            names.add(line.split()[0])
    root = Path(__file__).resolve().parents[1]
    for path in (root / "content").rglob("*.md"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith(("Tags:", "Keywords:", "Title:")):
                names.update(part.strip() for part in re.split(r"[,，、]", line.split(":", 1)[1]))
    # Runs made of pieces of pypinyin's phrases, where its cutter's choices are hard.
    phrases = sorted(p for p in PHRASES_DICT if slugs._HAN.fullmatch(p))
    rng = random.Random(26)
    for _ in range(4000):
        pieces = []
        for _ in range(rng.randint(1, 4)):
            word = rng.choice(phrases)
            roll = rng.random()
            if roll < 0.3:
                word = word[: rng.randint(1, len(word))]
            elif roll < 0.5:
                word = word[rng.randint(0, len(word) - 1):]
            elif roll < 0.6:
                word = chr(rng.randint(0x4E00, 0x9FFF))
            elif roll < 0.65:
                word = rng.choice(["A1", "x", " ", "·", "3号", "〇", "㐀"])
            pieces.append(word)
        names.add("".join(pieces))
    return sorted(names)


def test_kept_readings_give_pypinyins_syllables():
    """The kept table reads every name as pypinyin does: polyphonic characters in and out
    of phrases, the project's phrases, places, tags and titles of the sample content,
    Latin letters and digits, characters pypinyin has no reading for, and runs cut across
    pieces of its phrases. (A table of readings by character alone fails here.)"""
    from newsroom.text import slugs

    assert slugs._readings() is not None
    names = _names_to_read()
    assert len(names) > 4000
    assert [slugs._syllables(name) for name in names] == [_pypinyin_syllables(name) for name in names]


def test_without_a_usable_table_pypinyin_reads(monkeypatch):
    from newsroom.text import slugs

    names = HARD_NAMES
    expected = [_pypinyin_syllables(name) for name in names]
    monkeypatch.setattr(slugs, "_READINGS", {"table": None})  # the table could not be had
    assert [slugs._syllables(name) for name in names] == expected
    phrases, prefixes, characters = slugs._make_readings()
    lacking = {char: reading for char, reading in characters.items() if char not in "长重"}
    monkeypatch.setattr(slugs, "_READINGS", {"table": (phrases, prefixes, lacking)})  # lacks a character
    assert [slugs._syllables(name) for name in names] == expected
    from newsroom.text import segment

    monkeypatch.setattr(slugs, "_READINGS", {})
    monkeypatch.setattr(segment, "cached_table", lambda *_: ("not", "the", "table"))  # not this module's table
    assert slugs._readings() is None
    assert [slugs._syllables(name) for name in names] == expected


def test_the_copied_cut_is_made_only_by_the_pinned_pypinyin(monkeypatch):
    """slugs copies pypinyin's cut and reads a private attribute of it: the version it was
    checked against is the one requirements.txt pins, and another one is not used for it."""
    import pypinyin

    from newsroom.text import slugs

    pinned = [line.split("==")[1].strip() for line in (Path(slugs.__file__).parents[2] / "requirements.txt").read_text().splitlines()
              if line.startswith("pypinyin==")]
    assert pinned == [slugs.PYPINYIN_CHECKED] == [pypinyin.__version__]
    monkeypatch.setattr(pypinyin, "__version__", "0.0.1")
    with pytest.raises(ValueError, match="0.0.1"):
        slugs._make_readings()
