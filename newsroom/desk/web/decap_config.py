"""Decap CMS's ``config.yml``, generated from the content model.

Nothing here names a field: the form is :func:`newsroom.paper.fields.desk_fields` (the
content model's fields with their Chinese labels, help and controls, then any other
field the site reads), so a field added to the model, or to field_names.toml's known
list, appears in the desk without a change here. The lists' filters and groups are
generated from the content too (the months and districts that occur).

The config is served as JSON, which is YAML too (Decap parses it with a YAML parser).
Entry data keys are the field names in lower case, as
:class:`newsroom.paper.content.Source` keys them; keys starting with ``desk_`` are
computed by the format in ``desk.js`` for the lists and never written to a file.
"""

from newsroom.paper.fields import desk_fields
from newsroom.text import districts
from newsroom.text.gazetteer import CITYWIDE

API_PATH = "/desk/api/v1"
ARTICLES, PAGES = "articles", "pages"
FORMAT = "newsroom"  # the custom format desk.js registers (CMS.registerCustomFormat)
STATUS_LABELS = {"published": "发布", "draft": "草稿（不上网）", "hidden": "隐藏（有网址，不进列表）"}
NO_TOPICS = "none"


def topic_options():
    from newsroom.text import topics

    return [{"label": f"{topic.name}（{topic.id}）", "value": topic.id} for topic in topics.default_topics()] + [
        {"label": "不归入专题（none）", "value": NO_TOPICS}]


def district_options():
    return [{"label": name, "value": name} for name in (*districts.district_names(), CITYWIDE)]


def widget_for(field):
    """Decap's widget settings for one content-model field."""
    control = field.control
    if control == "text":
        return {"widget": "text"}
    if control == "date":
        # widgets.js: a date and an optional time (Beijing), the embargo shown; the
        # article's date is today's for a new article.
        return {"widget": "newsdate", **({"today": True} if field.required else {})}
    if control == "district":
        return {"widget": "select", "options": district_options()}
    if control == "status":
        return {"widget": "select", "options": [{"label": label, "value": value}
                                                for value, label in STATUS_LABELS.items()], "default": "draft"}
    if control == "number":
        return {"widget": "number", "value_type": "int", "min": 1}
    if control == "list":
        return {"widget": "list"}
    if control == "topics":
        return {"widget": "select", "multiple": True, "options": topic_options()}
    if control == "lines":
        return {"widget": "list", "field": {"name": field.key, "label": field.zh, "widget": "string"}}
    if control == "slug":
        return {"widget": "slug"}  # widgets.js: the headline's pinyin, from the server
    if control == "photo":
        return {"widget": "leadphoto"}  # widgets.js: one of the photos in the body, or none
    return {"widget": "string"}


def form_field(field):
    if not field.shown:
        # Kept as the file has it (Decap's hidden widget keeps the value), not offered.
        return {"name": field.key, "label": field.zh, "widget": "hidden", "required": False}
    entry = {"name": field.key, "label": field.zh if field.zh == field.name else f"{field.zh}（{field.name}）",
             "required": field.required, **widget_for(field)}
    if field.help:
        entry["hint"] = field.help
    return entry


# widgets.js: Decap's Markdown editor (plain text, so the text stays as typed) with the
# byline builder above it (本报讯（记者 … 通讯员 …）, written into the text) and the photo
# inserter below it (uploaded beside the article, with alt text, caption and credit).
BODY = {"name": "body", "label": "正文", "widget": "newsbody", "modes": ["raw"], "required": True,
        "hint": "段与段之间空一行。第一段以电头开头，用上面的“电头”填写记者和通讯员。"}


PANEL = {"name": "desk_panel", "label": "检查和提醒", "widget": "deskpanel", "required": False}
HISTORY = {"name": "desk_history", "label": "修改记录", "widget": "deskhistory", "required": False,
           "hint": "每次保存都记下时间和修改人；可以与现在的版本比较，或恢复到某个版本。"}


def article_fields():
    fields = [form_field(f) for f in desk_fields()]
    # The body comes after the headline block and the date, where the paper prints it;
    # the other fields follow.
    at = next(i for i, f in enumerate(fields) if f["name"] == "date") + 1
    return [PANEL] + fields[:at] + [BODY] + fields[at:] + [HISTORY]


def page_fields():
    wanted = {"title", "slug", "summary"}
    return [PANEL] + [form_field(f) for f in desk_fields() if f.key in wanted] + [
        {**BODY, "widget": "markdown", "hint": "段与段之间空一行。"}, HISTORY]


def view_filters(months):
    filters = [{"label": f"状态：{label.split('（')[0]}", "field": "desk_status", "pattern": f"^{value}$"}
               for value, label in STATUS_LABELS.items()]
    filters += [{"label": f"定时发布（未到时间）", "field": "desk_embargo", "pattern": "^yes$"}]
    filters += [{"label": f"日期：{month[:4]}年{int(month[5:7])}月", "field": "desk_month", "pattern": f"^{month}$"}
                for month in months]
    filters += [{"label": f"区：{name}", "field": "desk_district", "pattern": f"^{name}$"}
                for name in (*districts.district_names(), CITYWIDE, "未填")]
    return filters


VIEW_GROUPS = [
    {"label": "期和版", "field": "desk_issue"},
    {"label": "日期", "field": "desk_date"},
    {"label": "区", "field": "desk_district"},
    {"label": "状态", "field": "desk_status"},
]


def decap_config(content_folder="content", months=(), branch="main"):
    """The config, as a dict. ``months`` (``YYYY-MM``, newest first) become date filters."""
    articles = {
        "name": ARTICLES, "label": "稿件", "label_singular": "稿件",
        "description": "每篇稿件一个文件（content/年/月/网址.md）。保存时检查、记录修改人；发布网站后上线。",
        # The folder comes from the article's own date (desk.js sets desk_yyyy and desk_mm
        # before each save), not from the browser's clock or time zone.
        "folder": content_folder, "path": "{{desk_yyyy}}/{{desk_mm}}/{{slug}}", "slug": "{{fields.slug}}",
        "extension": "md", "format": FORMAT, "create": True, "delete": True,
        "identifier_field": "title",
        "summary": "{{fields.desk_summary}}",
        "media_folder": "", "public_folder": "",
        "sortable_fields": [{"field": "desk_sort", "label": "期、版、版内顺序", "default_sort": "desc"},
                            {"field": "title", "label": "标题"}],
        "view_filters": view_filters(months),
        "view_groups": VIEW_GROUPS,
        "fields": article_fields(),
    }
    pages = {
        "name": PAGES, "label": "栏目页", "label_singular": "栏目页",
        "description": "网站的固定页面，如“关于本报”。",
        "folder": f"{content_folder}/pages", "extension": "md", "format": FORMAT, "create": True,
        "slug": "{{fields.slug}}", "identifier_field": "title", "media_folder": "", "public_folder": "",
        "fields": page_fields(),
    }
    return {
        "backend": {"name": "proxy", "proxy_url": API_PATH, "branch": branch},
        "publish_mode": "simple",
        "locale": "zh_Hans",
        # No display_url: Decap would show it ("/") as a bare link in its header; the desk's
        # bar has 网站预览.
        "site_url": "/",
        "show_preview_links": False,
        "media_folder": f"{content_folder}/photos",
        "public_folder": "",
        "slug": {"encoding": "ascii", "clean_accents": True},
        "collections": [articles, pages],
    }


def desk_model():
    """What desk.js needs to read and write our files: the canonical field order and
    each field's control (its list fields, its repeated fields)."""
    return {"fields": [{"key": f.key, "name": f.name, "zh": f.zh, "control": f.control, "required": f.required,
                        "repeatable": f.repeatable} for f in desk_fields()],
            "statuses": STATUS_LABELS, "citywide": CITYWIDE}
