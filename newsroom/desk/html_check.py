"""``check``'s view of an article's HTML: what the sanitizer would remove, line by line.

The build renders each article with :mod:`newsroom.paper.markup` and passes the HTML
through :mod:`newsroom.paper.sanitize`; here the same two steps run on the file, and
every removal becomes an error at the line it comes from (so ``make publish`` refuses
a paste that would lose something, and the editor knows what and where). Removals of
one kind on one line are one problem.
"""

from dataclasses import dataclass

from newsroom import messages
from newsroom.paper import markup, sanitize

# Which message tells the editor about a removed element (by its tag).
EMBEDS = frozenset({"iframe", "frame", "frameset", "noframes", "object", "embed", "applet", "noembed", "video",
                    "audio", "canvas"})
FORM_PARTS = frozenset({"form", "input", "button", "label", "fieldset", "legend", "select", "option", "optgroup",
                        "datalist", "output", "textarea", "keygen", "progress", "meter"})
PAGE_SETTINGS = frozenset({"meta", "base", "link", "title", "head", "html", "body"})
CODE = frozenset({"script", "noscript", "template", "style", "svg", "math", "xmp", "plaintext"})
VALUE_SHOWN = 60  # characters of a removed address shown in a message


def message_for(removal):
    """``(message id, grouping key)`` for one :class:`~newsroom.paper.sanitize.Removal`."""
    tag = removal.tag
    if removal.kind in ("element", "element_with_content"):
        if tag == "h1":
            return "security.html_h1", None
        if tag in EMBEDS:
            return "security.html_embed", None
        if tag in FORM_PARTS:
            return "security.html_form", None
        if tag in PAGE_SETTINGS:
            return "security.html_page_setting", None
        if tag in CODE or removal.kind == "element_with_content":
            return "security.html_code", None
        return "security.html_tags", None
    if removal.kind == "handler":
        return "security.html_handler", None
    if removal.kind == "style":
        return "security.html_style", None
    if removal.kind == "attribute":
        return "security.html_attributes", tag
    if removal.kind == "url":
        return ("security.html_image" if tag == "img" else "security.html_link"), removal.value
    return "security.html_value", (tag, removal.attribute, removal.value)


def _shown(value):
    value = " ".join(value.split())
    return value if len(value) <= VALUE_SHOWN else value[: VALUE_SHOWN - 1] + "…"


def _joined(names):
    return "、".join(dict.fromkeys(names))


@dataclass(frozen=True)
class Report:
    """Removals of one kind on one line: one problem for the editor."""

    line: int
    message_id: str
    params: tuple  # (name, value) pairs for the message's placeholders
    in_summary: bool = False

    def problem(self):
        """``(problem, fix)`` in the editor's language."""
        problem, fix = messages.problem(self.message_id, **dict(self.params))
        if self.in_summary:
            problem = messages.text("security.in_summary", problem=problem)
        return problem, fix


def group(found, lines, in_summary=False):
    """``[Report]`` for the removals ``found``, each at its line of ``lines``."""
    groups = {}
    for removal, line in zip(found, lines):
        message_id, key = message_for(removal)
        groups.setdefault((line, message_id, key), []).append(removal)
    reports = []
    for (line, message_id, _), removals in groups.items():
        first = removals[0]
        params = (
            ("tags", _joined(f"<{r.tag}>" for r in removals)),
            ("attributes", _joined(r.attribute for r in removals)),
            ("tag", first.tag),
            ("attribute", first.attribute),
            ("value", _shown(first.value)),
        )
        reports.append(Report(line, message_id, params, in_summary))
    return reports


def _render_html(text):
    return markup.render(text)[0]


def html_reports(text, body_line, summary_line=None):
    """``[Report]`` for an article file's whole ``text``: what the sanitizer would remove
    from its body (at the lines they come from) and from its ``Summary:`` (at
    ``summary_line``)."""
    html, meta = markup.render(text)
    found = sanitize.removals(html)
    reports = group(found, sanitize.locate(text, body_line, found, _render_html)) if found else []
    summary = meta.get("summary")
    if summary:
        # Pelican joins a field's lines with line breaks and renders them as Markdown.
        removed = sanitize.removals(markup.render_fragment("\n".join(summary)))
        reports.extend(group(removed, [summary_line or 1] * len(removed), in_summary=True))
    return reports
