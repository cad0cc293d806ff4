import re

import pytest

from newsroom.slugs import MAX_SLUG_LENGTH, pinyin_slug, slugify_headline
from sitebuild import SEED_PAGE

# The six headlines of the reference page, as pypinyin's phrase readings give them
# (checked by hand: 重建 chong-jian, 长阳 chang-yang, 朝阳 chao-yang).
REFERENCE_SLUGS = {
    "齐静赴门头沟慰问恢复重建一线职工和困难职工": "qi-jing-fu-men-tou-gou-wei-wen-hui-fu-chong-jian-yi-xian-zhi",
    "北京市第十四届职工文化艺术节迎新年展演活动举办": "bei-jing-shi-di-shi-si-jie-zhi-gong-wen-hua-yi-shu-jie-ying",
    "昌平“工会+仲裁”成功化解劳动争议案件": "chang-ping-gong-hui-zhong-cai-cheng-gong-hua-jie-lao-dong",
    "房山长阳镇总工会举办“迎新年”职工沟通会": "fang-shan-chang-yang-zhen-zong-gong-hui-ju-ban-ying-xin-nian",
    "平谷区东高村镇总工会多措并举吸引职工入会": "ping-gu-qu-dong-gao-cun-zhen-zong-gong-hui-duo-cuo-bing-ju",
    "朝阳区重点企业工会联谊会召开工作总结会": "chao-yang-qu-zhong-dian-qi-ye-gong-hui-lian-yi-hui-zhao-kai",
}


def reference_headlines():
    lines = SEED_PAGE.read_text(encoding="utf-8").splitlines()
    headlines = [line[2:].strip() for line in lines if line.startswith("# ")]
    return headlines[1:]  # the first is the page banner


def test_reference_page_headlines_are_the_six_we_expect():
    assert reference_headlines() == list(REFERENCE_SLUGS)


@pytest.mark.parametrize("headline, slug", REFERENCE_SLUGS.items())
def test_reference_slugs_use_phrase_readings(headline, slug):
    assert slugify_headline(headline) == slug


def test_polyphonic_place_names_read_as_places():
    assert slugify_headline("朝阳").startswith("chao-yang")
    assert "chong-jian" in slugify_headline("灾后重建")
    assert "chang-yang" in slugify_headline("长阳镇")
    assert "zhao-yang" not in slugify_headline("朝阳区重点企业")


def test_slug_is_ascii_lowercase_bounded_and_cut_at_a_syllable():
    headline = "北京市总工会开展“两节”送温暖活动慰问新就业形态劳动者和生产一线职工及困难职工家庭"
    slug = slugify_headline(headline)
    assert len(slug) <= MAX_SLUG_LENGTH
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
    full = slugify_headline(headline, max_length=1000)
    assert full.startswith(slug + "-")  # cut at a hyphen, never inside a syllable


def test_latin_and_digits_are_kept():
    assert slugify_headline("12351职工服务热线APP上线") == "12351-zhi-gong-fu-wu-re-xian-app-shang-xian"


def test_same_input_same_slug_and_empty_fallback():
    assert slugify_headline("职工之家") == slugify_headline("职工之家")
    assert slugify_headline("“”——！") == "article"


def test_pinyin_slug_for_names():
    assert pinyin_slug("门头沟区") == "mentougouqu"
    assert pinyin_slug("朝阳") == "chaoyang"
