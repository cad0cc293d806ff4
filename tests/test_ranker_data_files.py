"""The keyword ranking's data files (newsroom/data/tag_history.json, keyword_ranker.json),
missing or broken: an error that names the file, says what is wrong and the fix, in the
editor's language; `analyze` and `build` report it as the data's problem, never as the
article's (session 14's review of the tag history)."""

import json
import os
import subprocess
import sys

import pytest

from newsroom.errors import DataFileError
from newsroom.text import keyword_ranker, keywords
from sitebuild import copy_project, language, plain_build_environment, write_article

FIX = "tests/keyword_ranker_fit.py --write"
SHIPPED = keyword_ranker.HISTORY  # the project's own file (the tests point the ranking elsewhere)
TITLE = "区总工会为职工子女开办暑期托管班"
ARTICLE = (f"Title: {TITLE}\nDate: 2024-03-12\nSlug: shuqi-tuoguanban\n\n"
           "本报讯（记者 林晓）暑假到来，区总工会开办职工子女暑期托管班，为双职工家庭解难题。\n\n"
           "托管班设在职工服务中心，职工子女在托管班里读书、画画、学游泳。\n")


def shipped():
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


def without_prior(data):
    del data["prior"]


def prior_one(data):
    data["prior"] = 1.0


def accepted_above_seen(data):
    data["words"]["12351"] = [22, 21]


def other_fit(data):
    data["fitted_on"] = data["fitted_on"][:-1]


# (how the file is broken, what the error says of it)
BROKEN = [
    (without_prior, "缺少 prior"),
    (prior_one, "prior 是 1.0，应当大于 0、小于 1"),
    (accepted_above_seen, "“12351”的计数是 [22, 21]"),
    (other_fit, "fitted_on 和 newsroom/data/keyword_ranker.json 的不一样"),
]


@pytest.fixture
def history_at(tmp_path, monkeypatch):
    """Point the ranking at a tag history file in ``tmp_path`` (written by the test), the
    cached history forgotten before and after."""
    path = tmp_path / "tag_history.json"
    monkeypatch.setattr(keyword_ranker, "HISTORY", path)
    keyword_ranker.history.cache_clear()
    yield path
    keyword_ranker.history.cache_clear()


def ranking_error():
    candidates = keywords.candidate_terms(TITLE, "本报讯 区总工会开办职工子女暑期托管班。")
    with language("zh"), pytest.raises(DataFileError) as caught:
        keywords.rank_keywords(candidates, None, 8)
    return str(caught.value)


def said_plainly(error, problem):
    # the file, what is wrong, that the articles are fine, and the fix
    assert error.split(": ", 1)[0].endswith("tag_history.json"), error
    assert problem in error and "这不是稿件的问题" in error and FIX in error and "git checkout --" in error, error


def test_a_missing_history_is_the_data_files_problem_not_an_os_error(history_at):
    said_plainly(ranking_error(), "文件读不了（没有这个文件或文件夹）")


def test_a_history_that_is_no_json(history_at):
    history_at.write_text('{"words": {\n', encoding="utf-8")
    said_plainly(ranking_error(), "不是有效的 JSON（第 2 行")
    history_at.write_bytes(b'{"words": {"\xff": [1, 2]}}')
    said_plainly(ranking_error(), "不是有效的 JSON（第 1 行")
    history_at.write_text("[1, 2]", encoding="utf-8")
    said_plainly(ranking_error(), "缺少 fitted_on, strength, prior, words")


@pytest.mark.parametrize("breaking, problem", BROKEN, ids=[b.__name__ for b, _ in BROKEN])
def test_a_broken_history_says_what_is_wrong(history_at, breaking, problem):
    data = shipped()
    breaking(data)
    history_at.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    said_plainly(ranking_error(), problem)


def test_every_value_the_log_odds_need_is_checked():
    fitted_on = shipped()["fitted_on"]
    good = {"fitted_on": fitted_on, "strength": 20.0, "prior": 0.75, "words": {"工会": [1, 2]}}
    assert keyword_ranker.checked_history(good, fitted_on) is good
    for change in ({"prior": 0}, {"prior": -0.5}, {"prior": "0.7"}, {"prior": float("nan")}, {"strength": 0},
                   {"strength": -1}, {"strength": True}, {"words": []}, {"words": {"工会": [-1, 2]}},
                   {"words": {"工会": [1.5, 2]}}, {"words": {"工会": [1, 2, 3]}}):
        with pytest.raises(DataFileError):
            keyword_ranker.checked_history({**good, **change}, fitted_on)


def test_the_shipped_files_pass_their_checks():
    keyword_ranker.history.cache_clear()
    keyword_ranker.history()
    assert keyword_ranker.weights()[2] > 0


def clean_env(env):
    return plain_build_environment() | env


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A private copy of the project whose tag history a test may break, and one article."""
    tmp = tmp_path_factory.mktemp("broken_history")
    copy = copy_project(tmp)
    article = write_article(tmp / "content", "2024/03/tuoguanban.md", ARTICLE)
    return copy, tmp, article


def break_history(copy, breaking):
    path = copy / "newsroom" / "data" / "tag_history.json"
    data = shipped()
    breaking(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_analyze_names_the_missing_data_file_not_the_article(project):
    copy, tmp, article = project
    history = copy / "newsroom" / "data" / "tag_history.json"
    history.unlink(missing_ok=True)
    result = subprocess.run([sys.executable, "-m", "newsroom", "analyze", str(article), "--catalogue", str(tmp / "content")],
                            cwd=copy, capture_output=True, text=True, encoding="utf-8", timeout=300,
                            env=clean_env({"NEWSROOM_LANG": "zh"}))
    assert result.returncode == 1 and not result.stdout, result.stdout + result.stderr
    error = result.stderr.strip()
    assert error.startswith("newsroom/data/tag_history.json: "), error
    assert "文件读不了（没有这个文件或文件夹）" in error and FIX in error, error
    assert str(article) not in error and "读不了：" not in error and "内部错误" not in error, error


def test_the_build_names_the_broken_data_file_and_the_fix(project):
    copy, tmp, _ = project
    break_history(copy, prior_one)
    result = subprocess.run([sys.executable, "-m", "newsroom", "build", "--content", str(tmp / "content"),
                             "--output", str(tmp / "output")], cwd=copy, capture_output=True, text=True,
                            encoding="utf-8", timeout=300, env=clean_env({"NEWSROOM_LANG": "zh"}))
    assert result.returncode != 0, result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if "tag_history.json" in line]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("newsroom/data/tag_history.json: 错误："), lines
    assert "prior 是 1.0，应当大于 0、小于 1" in lines[0] and FIX in lines[0], lines
    assert "ZeroDivisionError" not in result.stderr and "tuoguanban" not in result.stderr, result.stderr
