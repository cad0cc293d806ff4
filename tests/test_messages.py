"""The message table: both languages for every entry, the same placeholders, and every id the code uses exists."""

import ast
import re
import string
from pathlib import Path

import pytest

from newsroom import messages

ROOT = Path(__file__).resolve().parents[1]
CODE = [*(ROOT / "newsroom").rglob("*.py"), *(ROOT / "plugins").rglob("*.py")]
FUNCTIONS = {"text", "fix", "problem", "say", "warn", "fail", "DeployError", "of"}


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
        # A piece (a line's frame around other messages) may be placeholders and punctuation alone.
        assert entry.get("piece") or any("\u4e00" <= ch <= "\u9fff" for ch in entry["zh"]), \
            f"{message_id}: zh text has no Chinese"


def looks_like_id(value):
    return isinstance(value, str) and value.count(".") == 1 and all(part.isidentifier() for part in value.split("."))


def used_ids():
    """Message ids named as a string literal argument of messages.text/fix/problem or a
    wrapper (``say``, ``ContentError.of``…), at any position."""
    found = {}
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name not in FUNCTIONS:
                    continue
                for argument in node.args:
                    if isinstance(argument, ast.Constant) and looks_like_id(argument.value):
                        found.setdefault(argument.value, path.relative_to(ROOT))
    return found


def named_strings():
    """Every string literal in the code that reads like a message id (an id may be kept in
    a table, e.g. the unsafe-HTML patterns, or built as f"check.{key}_not_number")."""
    found = set()
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and looks_like_id(node.value):
                found.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                found.add(node.values[0].value + "*")  # the constant head of an f-string id
    return found


DESK_PAGE = ROOT / "newsroom" / "desk" / "web" / "static"
DESK_PAGE_TEXT = re.compile(r"""\bt\(\s*["']([a-z0-9_]+)["']|\{\{([a-z0-9_]+)\}\}""")


def desk_page_ids():
    """The texts the web desk's page names (``t("name")`` in its scripts, ``{{name}}`` in its
    HTML): ``deskpage.<name>`` (newsroom/desk/web/static/text.js)."""
    found = set()
    for path in [*DESK_PAGE.glob("*.js"), *DESK_PAGE.glob("*.html")]:
        for match in DESK_PAGE_TEXT.finditer(path.read_text(encoding="utf-8")):
            found.add("deskpage." + (match.group(1) or match.group(2)))
    return found


def test_every_text_the_desk_page_names_is_in_the_table():
    missing = desk_page_ids() - set(messages.catalogue())
    assert not missing, missing


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


# The areas whose messages this suite knows every use of (ids built with an f-string are
# matched by their constant head).
def test_every_message_is_used_by_the_code():
    named = named_strings() | desk_page_ids()
    heads = {name[:-1] for name in named if name.endswith("*")}
    unused = [message_id for message_id in messages.catalogue()
              if message_id not in named and not any(message_id.startswith(head) for head in heads if "." in head)]
    assert not unused, f"messages no code uses (delete them, or use them): {unused}"


# The areas whose every message says why it appears (the others' entries show in the
# guide's table too, with their fix; their engineers add `why` as they go).
EXPLAINED_AREAS = {"check", "content", "common", "build", "schedule", "new", "import", "analyze", "preview", "options"}


def test_every_message_is_explained_for_the_guide():
    """A message editors can see has `why` (its cause, for the guide's table); a part of
    other messages says `piece = true`."""
    unexplained = [message_id for message_id, entry in messages.catalogue().items()
                   if message_id.split(".")[0] in EXPLAINED_AREAS and not entry.get("piece") and not entry.get("why")]
    assert not unexplained, f"give these a `why` (or `piece = true`): {unexplained}"


def test_field_names_read_as_editors_say_them():
    assert messages.field("Title", lang="zh") == "标题（Title）"
    assert messages.field("title", lang="en") == "Title"
    assert messages.field("PageOrder", lang="zh") == "版内顺序（PageOrder）"
    assert messages.field("Nonsense", lang="zh") == "Nonsense"


def test_a_message_is_found_in_its_own_area_file_as_in_the_whole_table():
    """``text`` parses only the area file of the id it is asked for: every id gives the
    entry the whole table has, and an unknown area or name is an UnknownMessage."""
    for message_id, entry in messages.catalogue().items():
        assert messages._entry(message_id) is entry
    for bad in ("nosucharea.x", "build.no_such_message", "build", "", "../build.up_to_date"):
        with pytest.raises(messages.UnknownMessage):
            messages._entry(bad)
