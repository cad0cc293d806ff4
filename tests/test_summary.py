from newsroom.text.summary import ELLIPSIS, summarize

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


def test_long_text_cut_as_if_all_of_it_were_scanned():
    """summarize scans only the first 1.5 x length characters for cut points; a
    sentence end, a clause mark or a quotation just past that edge changes nothing."""
    from newsroom.text.summary import _cut_points, _flatten

    def whole_scan(text, length):
        text = _flatten(text)
        if len(text) <= length:
            return text
        points = _cut_points(text)
        ends = [i for i, whole in points if whole and i <= length]
        if ends:
            return text[: ends[-1]]
        first = next((i for i, whole in points if whole), None)
        if first is not None and first <= length * 1.5:
            return text[:first]
        clauses = [i for i, whole in points if not whole and i <= length]
        return text[: clauses[-1] - 1 if clauses else length] + ELLIPSIS

    import random

    rng = random.Random(3)
    pieces = ["工会", "职工", "，", "。", "！”", "“", "”", "（", "）", "……", "\n\n", "ab", " "]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(20, 160)))
        for length in (10, 40, 120):
            assert summarize(text, length) == whole_scan(text, length), (text, length)
