"""The editor's guide's table of messages, generated from the message table.

``python -m newsroom.desk.guide [GUIDE]`` (``make guide``) rewrites the part of
``docs/editor-guide.zh.md`` between :data:`BEGIN` and :data:`END` with one table per area
of ``newsroom/data/messages/`` (in the order of ``newsroom/data/guide.toml``): each
message as an editor sees it in Chinese (placeholders shown as …), what causes it (the
entry's ``why``), the fix, and its id. ``--check`` only says whether the guide is up to
date (exit 1 when not); the test suite asserts it, so the guide cannot drift from what
the commands print.

An entry without ``why`` must say ``piece = true``: it is part of other messages (a
label, a word between items), never shown alone.
"""

import argparse
import re
import sys
import tomllib
from pathlib import Path

from newsroom import DATA_DIR, messages

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "editor-guide.zh.md"
BEGIN = "<!-- 以下各表由 `make guide` 根据 newsroom/data/messages/ 生成，请勿手改 -->"
END = "<!-- 生成的表到此为止 -->"
KINDS = {"error": "错误", "warning": "提示", "info": "说明"}
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:![rsa])?(?::[^{}]*)?\}")


def areas():
    """``[(area id, title)]`` in the guide's order, every area of the message table included."""
    with (DATA_DIR / "guide.toml").open("rb") as handle:
        listed = [(area["id"], area["title"]) for area in tomllib.load(handle).get("area", [])]
    present = sorted({message_id.split(".", 1)[0] for message_id in messages.catalogue()})
    known = {area for area, _ in listed}
    return [(area, title) for area, title in listed if area in present] + \
        [(area, area) for area in present if area not in known]


def shown(template):
    """A message template as the guide shows it: each placeholder as …, in a code span."""
    text = PLACEHOLDER.sub("…", template).replace("{{", "{").replace("}}", "}").strip()
    text = text.replace("|", "\\|")
    return f"`` {text} ``" if text else ""


def cell(text):
    return " ".join(str(text).split()).replace("|", "\\|")


def table():
    """The generated part of the guide (between :data:`BEGIN` and :data:`END`)."""
    catalogue = messages.catalogue()
    parts = [BEGIN, ""]
    for area, title in areas():
        rows = [(message_id, entry) for message_id, entry in catalogue.items()
                if message_id.split(".", 1)[0] == area and not entry.get("piece")]
        if not rows:
            continue
        parts += [f"### {title}", "", "| 类别 | 信息 | 原因 | 改法 | 编号 |", "|---|---|---|---|---|"]
        for message_id, entry in rows:
            parts.append(f"| {KINDS.get(entry.get('kind'), '')} | {shown(entry['zh'])} | {cell(entry.get('why', ''))} "
                         f"| {shown(entry.get('fix_zh', ''))} | `{message_id}` |")
        parts.append("")
    parts.append(END)
    return "\n".join(parts)


def with_table(guide_text):
    """``guide_text`` with its generated part replaced; ValueError when the markers are missing."""
    start, end = guide_text.find(BEGIN), guide_text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the guide has no {BEGIN!r} … {END!r} section")
    return guide_text[:start] + table() + guide_text[end + len(END):]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m newsroom.desk.guide",
                                      description="Write the guide's table of messages from the message table.")
    parser.add_argument("guide", nargs="?", default=str(GUIDE))
    parser.add_argument("--check", action="store_true", help="exit 1 if the guide's table is not up to date")
    args = parser.parse_args(argv)
    messages.set_language("zh")
    path = Path(args.guide)
    text = path.read_text(encoding="utf-8")
    updated = with_table(text)
    if args.check:
        if updated != text:
            print(f"{path}: the table of messages is out of date; run `make guide`", file=sys.stderr)
            return 1
        return 0
    if updated != text:
        path.write_text(updated, encoding="utf-8")
        print(f"{path}: table of messages written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
