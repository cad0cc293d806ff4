"""The layout of ``newsroom/``: arrows point one way and no module imports itself round a circle.

Read from the source with :mod:`ast`, so an import inside a function counts as much as
one at the top (a lazy import is still a dependency).

- ``text`` (the Chinese analysis) uses nothing else of ``newsroom`` but its data and errors;
- ``paper`` (the newspaper's model) uses ``text``;
- ``build`` (building the site) uses ``text`` and ``paper``;
- ``desk`` (the editor's tools) may use all of them;
- ``images`` (the image pipeline: pure processing with Pillow) uses nothing else of
  ``newsroom`` but the message table; ``build`` and ``desk`` may use it;
- ``archive`` (the printed page for archives: sidecar, IIIF, ALTO) uses ``text`` and
  ``images``; ``desk`` may use it.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "newsroom"
SHARED = {"newsroom", "newsroom.errors", "newsroom.messages"}  # DATA_DIR, ContentError, the message table: every layer
ALLOWED = {
    "text": {"text"},
    "paper": {"text", "paper"},
    "build": {"text", "paper", "build", "images"},
    "desk": {"text", "paper", "build", "desk", "images", "archive"},
    "images": {"images"},
    "archive": {"text", "images", "archive"},
}


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules():
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(path, known):
    """The ``newsroom`` modules ``path`` imports (``from newsroom.x import y`` names
    ``newsroom.x.y`` when that is a module, else ``newsroom.x``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("newsroom"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("newsroom"):
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add(child if child in known else node.module)
    return found


def layer(name):
    parts = name.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in ALLOWED) else None


def graph():
    known = modules()
    return {name: {m for m in imports_of(path, known) if m in known and m != name}
            for name, path in known.items()}


def test_the_tree_shows_the_four_jobs():
    for job in ALLOWED:
        assert (PACKAGE / job / "__init__.py").is_file(), job
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py", "errors.py", "messages.py"], loose


def test_arrows_point_one_way():
    wrong = []
    for name, targets in graph().items():
        source = layer(name)
        if source is None:
            continue
        for target in targets:
            if target in SHARED or target.startswith("newsroom.data"):
                continue
            if layer(target) not in ALLOWED[source]:
                wrong.append(f"{name} -> {target}")
    assert not wrong, "imports against the layering:\n" + "\n".join(sorted(wrong))


def test_no_import_circle():
    edges = graph()
    circles = []
    state = {}

    def visit(node, trail):
        state[node] = "open"
        for target in sorted(edges.get(node, ())):
            if target.startswith(node + ".") or node.startswith(target + "."):
                continue  # a package and its own modules
            if state.get(target) == "open":
                circles.append(" -> ".join(trail[trail.index(target):] + [target]))
            elif target not in state:
                visit(target, trail + [target])
        state[node] = "done"

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])
    assert not circles, "import circles:\n" + "\n".join(circles)


def test_the_check_sees_a_circle_and_a_wrong_arrow(tmp_path, monkeypatch):
    """The checks above can fail: a fake tree with a circle and a text -> desk import."""
    fake = tmp_path / "newsroom"
    for job in ALLOWED:
        (fake / job).mkdir(parents=True)
        (fake / job / "__init__.py").write_text("")
    (fake / "__init__.py").write_text("")
    (fake / "text" / "a.py").write_text("from newsroom.text import b\n")
    (fake / "text" / "b.py").write_text("def f():\n    from newsroom.desk import c\n")
    (fake / "desk" / "c.py").write_text("import newsroom.text.a\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    edges = graph()
    assert edges["newsroom.text.b"] == {"newsroom.desk.c"}
    import pytest

    with pytest.raises(AssertionError, match="text.b -> newsroom.desk.c"):
        test_arrows_point_one_way()
    with pytest.raises(AssertionError, match="import circles"):
        test_no_import_circle()
