"""The editor's guide explains every message: its table is generated from the message table."""

import subprocess
import sys

from newsroom import messages
from newsroom.desk import guide
from sitebuild import ROOT


def test_the_guides_table_is_generated_from_the_messages():
    text = guide.GUIDE.read_text(encoding="utf-8")
    messages.set_language("zh")
    try:
        assert guide.with_table(text) == text, "docs/editor-guide.zh.md is out of date: run `make guide`"
    finally:
        messages.set_language(None)


def test_every_message_editors_see_is_in_the_guide_with_its_cause():
    text = guide.GUIDE.read_text(encoding="utf-8")
    for message_id, entry in messages.catalogue().items():
        if entry.get("piece"):
            continue
        row = next((line for line in text.splitlines() if line.endswith(f"| `{message_id}` |")), None)
        assert row, f"{message_id} is not in the guide"
        assert guide.cell(entry.get("why", "")) in row


def test_the_check_option_fails_on_a_stale_guide(tmp_path):
    stale = tmp_path / "guide.md"
    stale.write_text(f"# 指南\n\n{guide.BEGIN}\n| old |\n{guide.END}\n", encoding="utf-8")
    command = [sys.executable, "-m", "newsroom.desk.guide", "--check", str(stale)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1 and "make guide" in result.stderr
    subprocess.run(command[:3] + [str(stale)], cwd=ROOT, check=True, capture_output=True)
    assert subprocess.run(command, cwd=ROOT, capture_output=True).returncode == 0
    assert "`check.missing_title`" in stale.read_text(encoding="utf-8")
