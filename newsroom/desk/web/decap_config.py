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

from newsroom import messages
from newsroom.paper.fields import desk_fields
from newsroom.text import districts
from newsroom.text.gazetteer import CITYWIDE

API_PATH = "/desk/api/v1"
ARTICLES, PAGES = "articles", "pages"
FORMAT = "newsroom"  # the custom format desk.js registers (CMS.registerCustomFormat)
# Every label and note is a text of newsroom/data/messages/deskpage.toml, in the editor's language.
STATUSES = {"published": "deskpage.status_published", "draft": "deskpage.status_draft_long",
            "hidden": "deskpage.status_hidden_long"}
NO_TOPICS = "none"


def status_labels():
    return {value: messages.text(message_id) for value, message_id in STATUSES.items()}


def topic_options():
    from newsroom.text import topics

    return [{"label": messages.text("deskpage.topic_option", name=topic.name, id=topic.id), "value": topic.id}
            for topic in topics.default_topics()] + [{"label": messages.text("deskpage.topic_none"), "value": NO_TOPICS}]


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
                                                for value, label in status_labels().items()], "default": "draft"}
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
    # The Chinese name alone: the desk's editor never types the file's field name.
    entry = {"name": field.key, "label": field.zh, "required": field.required, **widget_for(field)}
    if field.help:
        entry["hint"] = field.help
    return entry


# widgets.js: Decap's Markdown editor (plain text, so the text stays as typed) with the
# byline builder above it (本报讯（记者 … 通讯员 …）, written into the text) and the photo
# inserter below it (uploaded beside the article, with alt text, caption and credit).
def body_field():
    return {"name": "body", "label": messages.text("deskpage.body_label"), "widget": "newsbody", "modes": ["raw"],
            "required": True, "hint": messages.text("deskpage.body_hint")}


def panel_field():
    return {"name": "desk_panel", "label": messages.text("deskpage.panel_label"), "widget": "deskpanel", "required": False}


def history_field():
    return {"name": "desk_history", "label": messages.text("deskpage.history_label"), "widget": "deskhistory",
            "required": False, "hint": messages.text("deskpage.history_hint")}


def article_fields():
    fields = [form_field(f) for f in desk_fields()]
    # The body comes after the headline block and the date, where the paper prints it;
    # the other fields follow.
    at = next(i for i, f in enumerate(fields) if f["name"] == "date") + 1
    return [panel_field()] + fields[:at] + [body_field()] + fields[at:] + [history_field()]


def page_fields():
    wanted = {"title", "slug", "summary"}
    return [panel_field()] + [form_field(f) for f in desk_fields() if f.key in wanted] + [
        {**body_field(), "widget": "markdown", "hint": messages.text("deskpage.page_body_hint")}, history_field()]


def view_filters(months):
    short = {"published": "deskpage.status_published", "draft": "deskpage.status_draft", "hidden": "deskpage.status_hidden"}
    filters = [{"label": messages.text("deskpage.filter_status", label=messages.text(short[value])),
                "field": "desk_status", "pattern": f"^{value}$"} for value in STATUSES]
    filters += [{"label": messages.text("deskpage.filter_embargo"), "field": "desk_embargo", "pattern": "^yes$"}]
    filters += [{"label": messages.text("deskpage.filter_month", year=int(month[:4]), month=int(month[5:7])),
                 "field": "desk_month", "pattern": f"^{month}$"} for month in months]
    # format.js files an article without a district under deskpage.district_none.
    filters += [{"label": messages.text("deskpage.filter_district", name=name), "field": "desk_district",
                 "pattern": f"^{name}$"}
                for name in (*districts.district_names(), CITYWIDE, messages.text("deskpage.district_none"))]
    return filters


def view_groups():
    return [{"label": messages.text(f"deskpage.group_{name}"), "field": f"desk_{name}"}
            for name in ("issue", "date", "district", "status")]


def decap_config(content_folder="content", months=(), branch="main"):
    """The config, as a dict. ``months`` (``YYYY-MM``, newest first) become date filters."""
    articles = {
        "name": ARTICLES, "label": messages.text("deskpage.collection_articles"),
        "label_singular": messages.text("deskpage.collection_articles"),
        "description": messages.text("deskpage.collection_articles_about"),
        # The folder comes from the article's own date (desk.js sets desk_yyyy and desk_mm
        # before each save), not from the browser's clock or time zone.
        "folder": content_folder, "path": "{{desk_yyyy}}/{{desk_mm}}/{{slug}}", "slug": "{{fields.slug}}",
        "extension": "md", "format": FORMAT, "create": True, "delete": True,
        "identifier_field": "title",
        "summary": "{{fields.desk_summary}}",
        "media_folder": "", "public_folder": "",
        "sortable_fields": [{"field": "desk_sort", "label": messages.text("deskpage.sort_reading_order"),
                             "default_sort": "desc"},
                            {"field": "title", "label": messages.text("deskpage.sort_title")}],
        "view_filters": view_filters(months),
        "view_groups": view_groups(),
        "fields": article_fields(),
    }
    pages = {
        "name": PAGES, "label": messages.text("deskpage.collection_pages"),
        "label_singular": messages.text("deskpage.collection_pages"),
        "description": messages.text("deskpage.collection_pages_about"),
        "folder": f"{content_folder}/pages", "extension": "md", "format": FORMAT, "create": True,
        "slug": "{{fields.slug}}", "identifier_field": "title", "media_folder": "", "public_folder": "",
        "fields": page_fields(),
    }
    return {
        "backend": {"name": "proxy", "proxy_url": API_PATH, "branch": branch},
        "publish_mode": "simple",
        "locale": "en" if messages.language() == "en" else "zh_Hans",
        # No site_url nor display_url: Decap would show it ("/") as a bare link in its
        # header (it is only for preview links, which are off); the desk's bar has 网站预览.
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
            "statuses": status_labels(), "citywide": CITYWIDE,
            # Every way a file may name a district (密云, miyun) -> the name the picker offers (密云区).
            "districts": dict(districts.gazetteer().accepted)}
