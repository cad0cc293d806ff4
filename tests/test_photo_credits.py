"""Captions and their credits (newsroom/text/photo_credits.py, forms in newsroom/data/photo_credits.toml)."""

import pytest

from newsroom.text.photo_credits import split_caption

CASES = [
    # caption, description, credit, names by role
    ("图为活动现场。本报记者 白莹 摄", "图为活动现场。", "本报记者 白莹 摄", {"reporter": ["白莹"]}),
    ("本报记者 白莹 摄", "", "本报记者 白莹 摄", {"reporter": ["白莹"]}),
    ("图为职工在书屋阅读。通讯员 李明 摄", "图为职工在书屋阅读。", "通讯员 李明 摄", {"correspondent": ["李明"]}),
    ("职工们在赛场上。本报记者 白莹 通讯员 李明 摄", "职工们在赛场上。", "本报记者 白莹 通讯员 李明 摄",
     {"reporter": ["白莹"], "correspondent": ["李明"]}),
    ("赛场上。本报记者 白莹 马超 摄", "赛场上。", "本报记者 白莹 马超 摄", {"reporter": ["白莹", "马超"]}),
    ("篮球比赛现场（本报记者 唐立新 摄）", "篮球比赛现场", "本报记者 唐立新 摄", {"reporter": ["唐立新"]}),
    ("本报记者白莹摄", "", "本报记者白莹摄", {"reporter": ["白莹"]}),
    ("图为比赛现场。本报记者 白莹/摄", "图为比赛现场。", "本报记者 白莹/摄", {"reporter": ["白莹"]}),
    ("图为现场。新华社记者 张伟 摄", "图为现场。", "新华社记者 张伟 摄", {"other": ["张伟"]}),
    ("新场馆外景。新华社发（张伟 摄）", "新场馆外景。", "新华社发（张伟 摄）", {"other": ["张伟"]}),
    ("图为选手比赛。 白莹 摄", "图为选手比赛。", "白莹 摄", {"other": ["白莹"]}),
    ("数量逐年增加。本报记者 唐立新 制图", "数量逐年增加。", "本报记者 唐立新 制图", {"reporter": ["唐立新"]}),
    ("老照片。资料图片", "老照片。", "资料图片", {}),
    ("老照片。本报资料图片", "老照片。", "本报资料图片", {}),
    ("大会现场。新华社发", "大会现场。", "新华社发", {}),
    ("骑手在送餐途中。受访者供图", "骑手在送餐途中。", "受访者供图", {}),
    ("比赛现场。怀柔区总工会供图", "比赛现场。", "怀柔区总工会供图", {}),
    ("图为夜景。图片由顺义区总工会提供", "图为夜景。", "图片由顺义区总工会提供", {}),
]
NO_CREDIT = ["工人正在拍摄", "图为工会为职工提供服务", "图为选手。白莹摄", "职工书屋里的图书", ""]


@pytest.mark.parametrize("caption, description, credit, names", CASES, ids=[c[0] for c in CASES])
def test_the_credit_is_read_at_the_end(caption, description, credit, names):
    result = split_caption(caption)
    assert result.text == description
    assert result.credit is not None and result.credit.text == credit
    assert "".join(text for _, text in result.credit.parts) == credit  # the parts rebuild it
    for kind in ("reporter", "correspondent", "other"):
        assert result.credit.names(kind) == names.get(kind, []), kind


@pytest.mark.parametrize("caption", NO_CREDIT)
def test_a_caption_without_a_credit_is_all_description(caption):
    result = split_caption(caption)
    assert result.credit is None and result.text == caption
