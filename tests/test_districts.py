"""Districts: the gazetteer, normalising District: metadata, detecting it from text."""

import time
import tomllib
from pathlib import Path

import pytest

from newsroom.paper import analysis
from newsroom.text import districts
from newsroom.paper.content import ContentError, parse_text, read_source
from newsroom.text.districts import (
    CITYWIDE,
    GazetteerError,
    UnknownDistrict,
    district_of,
    district_slug,
    gazetteer,
    load_gazetteer,
    normalize_district,
)
from reference_page import REFERENCE_PAGE, reference_articles

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "districts"
EXPECTED = tomllib.loads((FIXTURES / "expected.toml").read_text(encoding="utf-8"))

SIXTEEN = "东城区 西城区 朝阳区 海淀区 丰台区 石景山区 门头沟区 房山区 通州区 顺义区 昌平区 大兴区 怀柔区 平谷区 密云区 延庆区".split()


# --- the gazetteer -------------------------------------------------------------------


def test_gazetteer_lists_the_sixteen_districts_in_official_order():
    assert districts.district_names() == tuple(SIXTEEN)


def test_gazetteer_has_every_township_level_unit():
    units = gazetteer().units
    assert sum(len(u) for u in units.values()) == 343
    all_units = [u for us in units.values() for u in us]
    # Only 八里庄街道 exists in two districts (朝阳区 and 海淀区).
    assert {u for u in all_units if all_units.count(u) > 1} == {"八里庄街道"}
    # Spot checks across kinds: a town, a street office, an ethnic township.
    assert "长阳镇" in units["房山区"]
    assert "东高村镇" in units["平谷区"]
    assert "回龙观街道" in units["昌平区"]
    assert "常营回族乡" in units["朝阳区"]
    assert len(units["门头沟区"]) == 13 and len(units["东城区"]) == 17


def test_gazetteer_says_where_it_comes_from_and_as_of_when():
    text = districts.GAZETTEER_PATH.read_text(encoding="utf-8")
    assert "Source:" in text
    assert gazetteer().as_of.startswith("20")


@pytest.mark.parametrize(
    "unit, district",
    [("长阳镇", "房山区"), ("东高村镇", "平谷区"), ("回龙观街道", "昌平区"), ("什刹海街道", "西城区"),
     ("大兴庄镇", "平谷区"), ("常营回族乡", "朝阳区"), ("于家务回族乡", "通州区"), ("杨镇", "顺义区")],
)
def test_a_town_or_street_maps_to_its_district(unit, district):
    assert district_of("工会举办职工沟通会", f"本报讯（记者 白莹）近日，{unit}总工会举办职工沟通会。") == district


def test_a_bad_gazetteer_is_reported_with_its_file(tmp_path):
    bad = tmp_path / "gazetteer.toml"
    bad.write_text('[[district]]\nname = "测试区"\nstreets = ["长阳镇"]\n', encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"gazetteer\.toml: 测试区: '长阳镇' is listed under streets"):
        load_gazetteer(bad)


# --- normalising District: metadata --------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [("门头沟", "门头沟区"), ("门头沟区", "门头沟区"), (" 朝阳 ", "朝阳区"), ("朝阳区", "朝阳区"),
     ("石景山", "石景山区"), ("密云县", "密云区"), ("全市", CITYWIDE), ("北京市", CITYWIDE),
     ("mentougou", "门头沟区"), ("ChaoYang", "朝阳区")],
)
def test_normalize_district(value, expected):
    assert normalize_district(value) == expected


def test_every_district_normalises_to_itself():
    for name in SIXTEEN:
        assert normalize_district(name) == name
        assert normalize_district(name[:-1]) == name


def test_unknown_district_offers_the_nearest_names():
    with pytest.raises(UnknownDistrict) as caught:
        normalize_district("门头钩")
    assert caught.value.value == "门头钩"
    assert caught.value.suggestions[0] == "门头沟区"
    assert "did you mean 门头沟区" in str(caught.value)


def test_a_town_given_as_district_suggests_its_district():
    with pytest.raises(UnknownDistrict) as caught:
        normalize_district("长阳镇")
    assert caught.value.suggestions == ["房山区"]


def test_nonsense_district_has_no_suggestion():
    with pytest.raises(UnknownDistrict) as caught:
        normalize_district("火星")
    assert caught.value.suggestions == []


@pytest.mark.parametrize(
    "name, slug",
    [("门头沟区", "mentougou"), ("全市", "quanshi"), ("朝阳区", "chaoyang"), ("长阳镇", None),
     ("石景山区", "shijingshan"), ("门头沟", "mentougou")],
)
def test_district_slug(name, slug):
    if slug is None:
        with pytest.raises(UnknownDistrict):
            district_slug(name)
    else:
        assert district_slug(name) == slug


def test_district_slugs_are_distinct_ascii():
    slugs = [district_slug(d) for d in SIXTEEN + [CITYWIDE]]
    assert len(set(slugs)) == 17
    assert all(s.isascii() and s.isalpha() and s.islower() for s in slugs)


# --- detection rules ------------------------------------------------------------------


def test_a_place_in_the_headline_outweighs_places_in_passing():
    body = "本报讯（记者 白莹）近日，工会干部来到房山区、房山区琉璃河镇和门头沟区，看望受灾职工。"
    assert district_of("延庆区工会干部赴灾区慰问", body) == "延庆区"


def test_two_districts_in_a_headline_the_first_named_wins():
    body = "海淀区一家养老院里，志愿者为老人理发。海淀区有关负责人出席。"
    assert district_of("石景山区职工志愿者走进海淀区养老院", body) == "石景山区"


def test_the_district_most_mentioned_wins_without_a_headline_place():
    body = "本报讯（记者 白莹）近日，顺义区总工会走访企业。按照市总工会部署，顺义区各级工会……顺义区……"
    assert district_of("送清凉", body) == "顺义区"


def test_citywide_campaign_of_the_municipal_federation():
    body = "本报讯（记者 刘畅）北京市总工会日前启动送温暖活动，全市各级工会将走访慰问困难职工。东城区总工会等单位获奖。"
    assert district_of("送温暖活动启动", body) == CITYWIDE
    assert district_of("市总工会启动送温暖活动", "活动将覆盖朝阳区、海淀区。") == CITYWIDE


def test_a_roundup_of_many_districts_is_citywide():
    body = "东城区、西城区、海淀区、丰台区、顺义区的服务站延长开放时间。东城区……"
    assert district_of("各区服务站延长开放时间", body) == CITYWIDE


def test_no_place_no_district():
    assert district_of("职工书屋上新", "书架上整齐摆放着三千余册图书。") is None


@pytest.mark.parametrize(
    "title, body, expected",
    [
        # An event of the city federation at a venue is the city's news ...
        ("市总工会在首钢园举办职工冰雪运动会", "由北京市总工会主办的职工冰雪运动会在首钢园开幕。", CITYWIDE),
        ("北京市职工技能大赛决赛在大兴机场举行", "来自各区的选手参赛。", CITYWIDE),
        # ... unless the story is about the venue's district, which it then names.
        ("市总工会在首钢园举办职工冰雪运动会", "石景山区总工会承办，石景山区职工代表参加。", "石景山区"),
        # A landmark with no citywide cue is its district's news.
        ("首钢园冰雪季迎来职工专场", "工会组织职工和家属参加冰雪嘉年华专场。", "石景山区"),
        # A district in the headline is the district's news, even of the city's leaders.
        ("市总工会领导赴门头沟慰问困难职工", "市总工会慰问团走访门头沟区困难职工家庭。", "门头沟区"),
        # The capital airport is a place (in 顺义区), not the 首都 of a citywide headline.
        ("首都机场货运区建起司机之家", "顺义区总工会建成货车司机之家。", "顺义区"),
        # The city's own offices, and no place at all in a Beijing story: the city's news.
        ("本市开展根治欠薪冬季专项行动", "记者从市人力社保局获悉，专项行动即日起开展。", CITYWIDE),
        ("公交集团职工艺术节闭幕", "北京公交集团第六届职工艺术节闭幕式举行。", CITYWIDE),
    ],
)
def test_venues_city_offices_and_stories_with_no_place(title, body, expected):
    assert district_of(title, body) == expected


def test_landmark_aliases_stand_for_the_landmark(tmp_path):
    gaz = districts.gazetteer()
    assert gaz.aliases["大兴机场"] == "北京大兴国际机场" and gaz.aliases["北京经开区"] == "北京经济技术开发区"
    assert "北京大兴国际机场" in gaz.landmarks and "大兴机场" in gaz.landmarks
    assert district_of("大兴机场地勤职工技能比武", "") == "大兴区"
    bad = districts.GAZETTEER_PATH.read_text(encoding="utf-8").replace(
        '"大兴机场" = "北京大兴国际机场"', '"大兴机场" = "首钢园"')
    path = tmp_path / "gazetteer.toml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(districts.GazetteerError, match="alias '大兴机场' stands for '首钢园'"):
        districts.load_gazetteer(path)


def test_phrases_that_are_not_places():
    assert district_of("调研月活动", "为大兴调查研究之风，机关干部走进企业。") is None
    assert district_of("朝阳产业", "朝阳产业吸引青年。") is None
    # 广东城市 and 陕西城乡 contain 东城 and 西城, the short forms of two districts.
    assert district_of("务工人员返乡", "来自广东城市、山东城乡和陕西城镇的务工人员陆续返乡。") is None
    assert district_of("西城区职工返乡", "来自江西城乡的职工在西城区过年。") == "西城区"
    # The morning sun and a political phrase, not 朝阳区 and 大兴区.
    assert district_of("职工晨练", "清晨，迎着朝阳，职工们在厂区跑步。") is None
    assert district_of("工会干部下基层", "机关大兴学习之风，干部走进企业。") is None


def test_a_name_shared_by_two_districts_places_in_neither():
    assert district_of("八里庄街道开展活动", "八里庄街道总工会开展活动。") is None
    assert district_of("八里庄街道开展活动", "朝阳区八里庄街道总工会开展活动。") == "朝阳区"


def test_the_longest_name_wins():
    # 大兴庄镇 (平谷区) contains 大兴 (大兴区).
    assert district_of("大兴庄镇举办培训", "") == "平谷区"


def test_detection_is_fast():
    articles = [read_source(path) for path in sorted(FIXTURES.glob("*.md"))]
    count = 0
    start = time.perf_counter()
    while count < 5000:
        for source in articles:
            district_of(source.title, source.body)
            count += 1
    elapsed = time.perf_counter() - start
    # 20,000 articles must cost seconds, not minutes (measured ~0.05 ms each).
    assert elapsed / count < 0.002, f"{elapsed / count * 1000:.3f} ms per article"


# --- measured on original articles and the reference page ----------------------------


def test_district_accuracy_on_fixture_articles():
    assert len(EXPECTED) >= 40
    wrong = []
    for name, expected in EXPECTED.items():
        source = read_source(FIXTURES / name)
        if source.get("district"):
            got = normalize_district(source.get("district"))
        else:
            got = district_of(source.title, source.body)
        if got != expected["district"]:
            wrong.append(f"{name}: got {got}, expected {expected['district']}")
    accuracy = 1 - len(wrong) / len(EXPECTED)
    assert accuracy >= 0.95, "\n".join(wrong)


def test_analyze_fills_district_from_text_or_metadata():
    detected = analysis.analyze_source(read_source(FIXTURES / "11-daxingzhuang-town.md"))
    assert detected["district"] == "平谷区"
    given = analysis.analyze_source(read_source(FIXTURES / "42-chaoyang-metadata.md"))
    assert given["district"] == "朝阳区"


def test_analyze_rejects_an_unknown_district():
    source = parse_text("Title: 测试\nDate: 2024-01-01\nDistrict: 门头钩\n\n正文。", "content/x.md")
    with pytest.raises(ContentError) as raised:
        analysis.analyze_source(source)
    error = raised.value
    assert (error.path, error.line) == ("content/x.md", 3)
    assert "门头钩" in error.problem and "门头沟区" in error.fix


@pytest.mark.skipif(not REFERENCE_PAGE.exists(), reason="the shared reference page is not beside the repo")
def test_reference_page_districts():
    found = [district_of(headline, body) for headline, body in reference_articles()]
    assert found == ["门头沟区", CITYWIDE, "昌平区", "房山区", "平谷区", "朝阳区"]


# Session 10 (set 6's one district miss: a company's event at its 上地 headquarters fell to
# 全市): two-character unit stems count bare only when the gazetteer lists them
# ([detection] bare_short_stems); inside words (跟上地方, 带上地图) they are no place.
@pytest.mark.parametrize(
    "title, body, district",
    [
        ("某集团职工书画展开展", "10月27日，北京某城市服务集团职工书画展在集团上地总部展厅开展。", "海淀区"),
        ("社区职工之家开放", "近日，方庄一带的快递员有了歇脚的地方。", "丰台区"),
        ("画家村里的工会", "宋庄的职工艺术家们举办了画展。", "通州区"),
        # near misses: the stem inside words, and unlisted generic stems
        ("北京某集团职工技能赛举行", "职工们带上地图，坐上地铁，跟上地方发展步伐。", "全市"),
        ("北京某集团职工技能赛举行", "城南一带的职工和新村的职工参加了比赛。", "全市"),
    ],
)
def test_bare_two_character_stems_only_when_listed(title, body, district):
    assert district_of(title, body) == district


def test_a_bare_short_stem_must_be_a_units_stem(tmp_path):
    bad = tmp_path / "gazetteer.toml"
    bad.write_text('[detection]\nbare_short_stems = ["上天"]\n[[district]]\nname = "测试区"\n'
                   'streets = ["上地街道"]\n', encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"bare_short_stems lists \['上天'\]"):
        load_gazetteer(bad)


def test_session13_landmarks_place_a_story_in_their_district():
    """Well-known landmarks and development areas added in session 13 (general knowledge, a
    batch per district: docs/districts-and-bylines.md) place a story; near misses: a word
    that merely holds one (金融街街道 is the street office, still 西城区) and a story naming
    none stays citywide."""
    from newsroom.text import districts, gazetteer

    gaz = gazetteer.plain_gazetteer()
    for landmark in ("金融街", "三里屯", "望京SOHO", "百里山水画廊", "琉璃河遗址", "马坊物流基地", "运河商务区"):
        assert landmark in gaz.landmarks, landmark
    assert districts.district_of("职工午间课堂开课", "本报讯 三里屯商圈的外卖骑手有了歇脚的地方。") == "朝阳区"
    assert districts.district_of("疗休养活动启动", "本报讯 劳模们走进百里山水画廊，感受延庆风光。") == "延庆区"
    assert districts.district_of("职工心理驿站开放", "本报讯 金融街街道总工会的职工心理驿站开放。") == "西城区"
    assert districts.district_of("市总工会发布新规", "本报讯 北京市总工会发布职工互助保障新规。") == "全市"


@pytest.mark.parametrize(
    "title, body, expected",
    [
        # Session 13, set 11's one district miss (the kind, invented text): a city industry
        # union's event at a venue is the city's news, as the city federation's is ...
        ("金融职工书画展亮相金融街", "本报讯 11月8日，北京市金融系统职工书画展在金融街开展，由北京市金融工会主办。", CITYWIDE),
        ("职工冰雪运动会在首钢园开幕", "本报讯 由市商贸工会主办的职工冰雪运动会在首钢园开幕。", CITYWIDE),
        ("交通运输职工技能大赛在首钢园举行", "本报讯 北京市交通运输行业职工技能大赛决赛日前举行。", CITYWIDE),
        ("教育职工合唱节在金融街举办", "本报讯 北京市教育工会主办的合唱节举行，各校职工参加。", CITYWIDE),
        # ... unless the story is about the venue's district, which it then names ...
        ("职工书画展亮相金融街", "本报讯 西城区总工会和北京市金融工会联合主办的书画展开展，西城区职工参加。", "西城区"),
        # ... or about a workplace there (the district's own workers).
        ("市建设工会到首钢园工地慰问建设者", "本报讯 北京市建设工会慰问队来到首钢园一处施工现场。", "石景山区"),
        ("送清凉到金融街", "本报讯 北京市金融工会走进金融街一家银行的车间式后台中心送清凉。", "西城区"),
        # A district union's story naming a city industry union in passing stays in its district.
        ("朝阳区教育系统职工运动会举行", "本报讯 朝阳区教工委工会主办的运动会举行，北京市教育工会有关负责人到场。", "朝阳区"),
        ("三里屯商圈职工驿站开放", "本报讯 朝阳区总工会在三里屯建成职工驿站。", "朝阳区"),
        # A city union's visit to a district's workplace, with no venue in the headline, stays
        # there (set 4: 寒冬送暖到工地 市建设工会慰问丽泽一线建设者, 丰台区).
        ("寒冬送暖到工地 市建设工会慰问一线建设者", "本报讯 市建设工会慰问队来到丰台区一处施工现场，看望建筑工人。", "丰台区"),
        # 市 glued to a word is no prefix: 城市, 超市 (a landmark with no citywide cue: its district)
        ("城市运行系统职工走进首钢园", "本报讯 城市运行系统的职工和超市行业工会会员参观首钢园。", "石景山区"),
    ],
)
def test_a_city_industry_unions_event_at_a_venue_and_its_near_misses(title, body, expected):
    assert district_of(title, body) == expected


@pytest.mark.parametrize(
    "text, found",
    [
        ("由北京市金融工会主办", ["北京市金融工会"]),
        ("由市建设工会主办", ["市建设工会"]),
        ("北京市邮政快递行业工会", ["北京市邮政快递行业"]),
        ("北京市卫生健康系统", ["北京市卫生健康系统"]),
        ("北京市总工会、市总工会", []),
        ("北京市丰台区总工会", []),
        ("北京市各级工会", []),
        ("北京市职工互助保障是工会的品牌", []),
        ("城市交通系统、超市行业工会、全市商贸系统", []),
        ("北京市朝阳工会", []),
    ],
)
def test_city_industry_unions_are_read_by_their_form(text, found):
    assert [name for name, _ in districts.industry_unions(text)] == found


@pytest.mark.parametrize(
    "title, body, expected",
    [
        # Session 13, the reviewer's cases: the workplace exception counts only when a city
        # industry union alone makes the event the city's; a citywide headline or the city
        # federation's cue keeps it the city's even with a workplace word ...
        ("全市班组长技能大赛在首钢园举行", "本报讯 市总工会主办的全市班组长技能大赛日前在首钢园举行。", CITYWIDE),
        ("首钢园举行职工技能大赛", "本报讯 市总工会在首钢园举行职工技能大赛，选手来自各企业生产线。", CITYWIDE),
        ("首钢园举行职工技能大赛", "本报讯 北京市总工会在首钢园工地举行技能比武。", CITYWIDE),
        # ... and a workplace word glued into a person's post is no workplace ...
        ("首钢园车间主任座谈会举行", "本报讯 北京市金融工会在首钢园举办座谈会，车间主任参加。", CITYWIDE),
        ("金融班组长培训在金融街举行", "本报讯 北京市金融工会组织班组长培训。", CITYWIDE),
        # ... near misses: an industry union alone at a workplace there is the district's news
        ("市建设工会到首钢园工地慰问建设者", "本报讯 北京市建设工会慰问队来到首钢园一处施工现场。", "石景山区"),
        ("市建设工会走进首钢园", "本报讯 北京市建设工会来到首钢园一处车间，慰问一线班组。", "石景山区"),
        # The reviewer's E: 北京市民 is no prefix, so no industry union makes 三里屯's story citywide.
        ("三里屯商圈快递小哥驿站启用", "本报讯 北京市民对快递行业的服务有了新期待，商圈的驿站日前启用。", "朝阳区"),
    ],
)
def test_the_workplace_exception_and_its_near_misses(title, body, expected):
    assert district_of(title, body) == expected


@pytest.mark.parametrize(
    "text, found",
    [
        # Session 13, the reviewer's cases: 市 glued to the word after it, a preposition or a
        # verb is no industry union's name ...
        ("北京市民对快递行业", []),
        ("今年市场监管系统", []),
        ("据市场调查行业", []),
        ("和市场主体系统", []),
        ("北京市区快递行业", []),
        ("北京市属国企系统", []),
        # ... near misses: the names still read
        ("今年市商贸工会", ["市商贸工会"]),
        ("据北京市交通运输行业统计", ["北京市交通运输行业"]),
        ("北京市市场监管系统", ["北京市市场监管系统"]),
    ],
)
def test_industry_unions_stop_at_glued_words_and_prepositions(text, found):
    assert [name for name, _ in districts.industry_unions(text)] == found


# Session 14, second round: set 14's three district misses, the kind in invented text.
@pytest.mark.parametrize(
    "title, body, expected",
    [
        # u18: a citywide cue as a reference to the city's standard is not the story's actor; a
        # company's agreement whose only place is a street office is that street's district's ...
        ("某公司签订工资专项集体合同", "本网讯 公司召开工资集体协商会议。\n\n公司最低工资不低于本市最低工资标准的1.8倍，"
         "并邀请金融街街道总工会的指导员培训协商代表。", "西城区"),
        ("某企业职工工资增长", "本网讯 企业一线职工工资增幅高于全市平均水平。\n\n展览路街道总工会到企业指导。", "西城区"),
        # ... but alone, with no place named, it still says the story is Beijing's ...
        ("某公司签订工资专项集体合同", "本网讯 公司最低工资不低于本市最低工资标准的1.5倍。", CITYWIDE),
        # ... and the city as the actor still counts (本市启动, 市总工会).
        ("工资集体协商要约行动启动", "本网讯 本市启动工资集体协商要约行动。\n\n金融街街道总工会参加。", CITYWIDE),
        # street offices' names used as common words (东风街道, 光明街道, 前进街道) claim nothing:
        # only the reference is left
        ("借东风 公司工资稳步增长", "本网讯 公司前进一步，光明正大地协商，工资不低于本市最低工资标准。", CITYWIDE),
        # v11: a venue's own union's event there is the district's news; winners going on to the
        # city's contest do not make it the city's ...
        ("首钢园里比手艺", "本报讯 首钢园区工会联合会主办的职工技能大赛在首钢园开赛。\n\n"
         "成绩优异的选手将被推荐参加全市职工职业技能大赛。", "石景山区"),
        ("首钢园里比手艺", "本报讯 首钢园工会主办的职工技能大赛开赛，全市职工关注。", "石景山区"),
        # ... while the city's contest held at the venue stays the city's
        ("全市职工职业技能大赛在首钢园开赛", "本报讯 市总工会主办的大赛在首钢园开赛。", CITYWIDE),
        ("职工技能大赛在首钢园开赛", "本报讯 市总工会主办的全市职工技能大赛在首钢园开赛。", CITYWIDE),
        # v20: a city industry union's story spread over three districts is the city's, though
        # one of them is named more often ...
        ("建设工会为建筑工人备好年货", "本报讯 北京市建设工会慰问组分赴城市副中心、大兴机场周边、丰台丽泽金融商务区等地的"
         "工地慰问。\n\n在丽泽的一处工地生活区，工人们领到了年货。", CITYWIDE),
        # ... but at one district's worksite it stays that district's (set 4), and a district
        # named in passing beside it does not spread it
        ("寒冬送暖 市建设工会慰问一线建设者", "本报讯 市建设工会慰问队来到丰台区丽泽一处施工现场。\n\n"
         "工人中有不少来自大兴区。", "丰台区"),
        # a district union's story over three districts without a city body: as before (most named)
        ("职工驿站连成片", "本报讯 丰台区总工会在丽泽、卢沟桥建成职工驿站，通州区、大兴区职工也来参观。", "丰台区"),
    ],
)
def test_session14_second_round_district_rules_and_their_near_misses(title, body, expected):
    assert district_of(title, body) == expected
