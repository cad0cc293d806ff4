from newsroom.summary import ELLIPSIS, summarize

LONG = (
    "近日，区总工会组织二十余名劳模走进社区，为居民义务理发、维修家电。"
    "活动现场，老劳模王师傅说：“能为大家做点事，心里踏实。你们有什么困难，尽管找工会！”"
    "据介绍，这项活动已经坚持了十二年，累计服务居民三万余人次。"
    "下一步，区总工会将把志愿服务延伸到更多街道乡镇。"
)


def test_short_text_is_kept_whole():
    assert summarize("职工之家正式揭牌。") == "职工之家正式揭牌。"


def test_cut_at_a_sentence_end_without_ellipsis_or_space():
    result = summarize(LONG, 120)
    assert len(result) <= 120
    assert result[-1] in "。！？”"
    assert not result.endswith(" …")
    assert LONG.startswith(result)


def test_never_cut_inside_a_quotation():
    result = summarize(LONG, 60)
    assert result.count("“") == result.count("”")
    # The sentence with the quotation ends after the closing quote, not at the ！ inside it.
    assert not result.endswith("！")


def test_one_long_sentence_is_cut_at_a_clause_with_a_chinese_ellipsis():
    sentence = "，".join(["区总工会为一线职工送去米面油和防寒用品"] * 12) + "。"
    result = summarize(sentence, 120)
    assert result.endswith(ELLIPSIS)
    assert " " not in result
    assert len(result) <= 120 + len(ELLIPSIS)


def test_paragraphs_run_on_without_a_space_between_chinese_sentences():
    text = "\n  第一段讲活动。\n第二段讲反响。\n\n  Beijing\nDaily 报道。"
    assert summarize(text) == "第一段讲活动。第二段讲反响。Beijing Daily 报道。"
    assert summarize("记者 白莹 报道。") == "记者 白莹 报道。"  # a space inside a paragraph stays
