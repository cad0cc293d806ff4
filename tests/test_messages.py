"""The message table: both languages for every entry, the same placeholders, and every id the code uses exists."""

import ast
import string
from pathlib import Path

import pytest

from newsroom import messages

ROOT = Path(__file__).resolve().parents[1]
CODE = [*(ROOT / "newsroom").rglob("*.py"), *(ROOT / "plugins").rglob("*.py")]
FUNCTIONS = {"text", "fix", "problem", "say", "warn", "fail", "DeployError"}


def placeholders(template):
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_entry_has_both_languages_with_the_same_placeholders():
    table = messages.catalogue()
    assert table, "no message files under newsroom/data/messages/"
    for message_id, entry in table.items():
        assert entry.get("zh") and entry.get("en"), f"{message_id}: needs zh and en"
        assert placeholders(entry["zh"]) == placeholders(entry["en"]), message_id
        if "fix_zh" in entry or "fix_en" in entry:
            assert entry.get("fix_zh") and entry.get("fix_en"), f"{message_id}: a fix needs both languages"
            assert placeholders(entry["fix_zh"]) == placeholders(entry["fix_en"]), message_id
        assert any("\u4e00" <= ch <= "\u9fff" for ch in entry["zh"]), f"{message_id}: zh text has no Chinese"


def used_ids():
    """Message ids named as a string literal first argument of messages.text/fix/problem (or a wrapper)."""
    found = {}
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                value = node.args[0].value
                if name in FUNCTIONS and isinstance(value, str) and value.count(".") == 1 \
                        and value.split(".")[0].isidentifier() and value.split(".")[1].isidentifier():
                    found.setdefault(value, path.relative_to(ROOT))
    return found


def test_every_id_the_code_names_is_in_the_table():
    table = messages.catalogue()
    missing = {i: str(p) for i, p in used_ids().items() if i.split(".")[0] in
               {f.stem for f in messages.MESSAGES_DIR.glob("*.toml")} and i not in table}
    assert not missing, missing


def test_language_follows_the_option_then_the_environment(monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "NEWSROOM_LANG"):
        monkeypatch.delenv(name, raising=False)
    messages.set_language(None)
    assert messages.language() == "zh"
    assert messages.text("common.error") == "错误"
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert messages.text("common.error") == "error"
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")  # LC_ALL wins over LANG
    assert messages.language() == "zh"
    monkeypatch.setenv("NEWSROOM_LANG", "en")
    assert messages.language() == "en"
    messages.set_language("zh")
    try:
        assert messages.text("common.warning") == "提示"
    finally:
        messages.set_language(None)
    with pytest.raises(messages.UnknownMessage):
        messages.text("common.no_such_message")
