"""``python -m newsroom new --title 标题 …``: start a new article file.

Writes ``content/YYYY/MM/<slug>.md`` with the metadata block filled from the options
(and an explicit ``Slug:`` so the URL never moves if the headline is edited), a
byline to complete where the text starts, and the optional fields commented out.
With ``--photo FILE`` (and ``--caption``, ``--alt``) the photo is checked, copied beside
the article as ``<slug>-1.jpg`` and written into the text as
``![替代文字](<slug>-1.jpg "图注")``.
The article starts as a draft (``Status: draft``): it is never published, and its
problems are warnings, so an unfinished article never stops anyone's ``make publish``;
the editor deletes that line when it is ready. It never overwrites a file. It prints
the path and the preview URL that ``make serve`` will show (drafts are at
``/drafts/<slug>/`` in the preview).
"""

import sys
from pathlib import Path

from newsroom import messages
from newsroom.text import districts, topics
from newsroom.desk.checks import NEW_ARTICLE_NOTE, article_url, content_files, read_checked
from newsroom.desk.commands import new_photo
from newsroom.desk.commands.options import one_line, page_number
from newsroom.paper import release
from newsroom.paper.content import format_article, split_list
from newsroom.paper.dates import DateProblem, parse_date
from newsroom.text.slugs import slugify_headline

ROOT = Path(__file__).resolve().parents[3]
PREVIEW = "http://localhost:8000/"

# The body starts with the byline to complete; the optional fields (docs/content-model.md)
# follow, commented out, at the end of the file, so that the text the editor writes
# above them stays the article's first paragraph (its summary and byline).
BODY_TEMPLATE = """\
本报讯（记者 {authors}）

<!-- {note}
以上写正文：第一段以电头开头，如“本报讯（记者 白莹 通讯员 李明）近日，……”；段与段之间空一行。
可选字段：需要时把相应的行移到文件开头的信息块里（第一个空行之前），删去行首空格和括号里的说明。
  Subtitle: 副题
  Authors: 记者姓名（不写则从电头读出）
  Correspondents: 通讯员姓名
  PageOrder: 1（版内顺序，1 为头条）
  Issue: 期号
  Tags: 关键词1, 关键词2
  Topics: {topic}（专题 id：{topic_ids}；写 none 表示不归入任何专题）
  Correction: 2024-01-05 更正内容
  Summary: 摘要（不写则自动截取）
本稿现在是草稿（信息块里的 Status: draft），不会发布；写完后删除本说明和 Status: draft 这一行，
再运行 python -m newsroom check {path} 检查。日期（Date）在将来的稿件到那个时间才发布。
-->
"""


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "new",
        help=messages.text("help.new"),
        description=messages.text("help.new_description"),
    )
    parser.add_argument("--title", required=True, type=one_line, help=messages.text("help.new_title"))
    parser.add_argument("--kicker", type=one_line, help=messages.text("help.new_kicker"))
    parser.add_argument("--subtitle", type=one_line, help=messages.text("help.new_subtitle"))
    parser.add_argument("--district", type=one_line, help=messages.text("help.new_district"))
    parser.add_argument("--date", type=one_line, help=messages.text("help.new_date"))
    parser.add_argument("--page", type=page_number, help=messages.text("help.new_page"))
    parser.add_argument("--page-name", type=one_line, help=messages.text("help.new_page_name"))
    parser.add_argument("--authors", type=one_line, help=messages.text("help.new_authors"))
    parser.add_argument("--slug", type=one_line, help=messages.text("help.new_slug"))
    parser.add_argument("--photo", type=Path, help=messages.text("help.new_photo"))
    parser.add_argument("--caption", type=one_line, help=messages.text("help.new_caption"))
    parser.add_argument("--alt", type=one_line, help=messages.text("help.new_alt"))
    parser.add_argument("--content", default=str(ROOT / "content"), help=messages.text("help.content"))
    parser.set_defaults(func=run)


def fail(message_id, **params):
    return refuse(messages.text(message_id, **params))


def refuse(text):
    """Say why nothing was written (a message already in the editor's language); exit 1."""
    print(text, file=sys.stderr)
    return 1


def metadata_fields(args, when, district, slug):
    """The fields the options fill in (the file writes them in the canonical order)."""
    date_text = when.strftime("%Y-%m-%d %H:%M") if (when.hour or when.minute) else when.strftime("%Y-%m-%d")
    return [
        ("Title", args.title.strip()),
        ("Kicker", args.kicker),
        ("Subtitle", args.subtitle),
        ("Date", date_text),
        ("District", district),
        ("Authors", ", ".join(split_list(args.authors))),
        ("Page", str(args.page) if args.page is not None else None),
        ("PageName", args.page_name),
        ("Slug", slug),
        ("Status", "draft"),  # unfinished: never published, never blocks a publish
    ]


def same_url(folder, url):
    """A published article in ``folder`` (one month of content) whose URL is ``url``, or None.

    Imported pages are named ``YYYY-MM-DD-PP-NN-<slug>.md``, so the file name alone does not
    show that a story of the same day already has this headline's URL.
    """
    if not folder.is_dir():
        return None
    for path, _ in content_files([folder]):
        checked, _ = read_checked(path)
        if checked.source is not None and article_url(checked) == url:
            return path
    return None


def run(args):
    title = (args.title or "").strip()
    if not title:
        return fail("new.empty_title")
    try:
        when = parse_date(args.date) if args.date else release.now().replace(second=0, microsecond=0,
                                                                             tzinfo=None)
    except DateProblem as error:
        return fail("new.bad_date", problem=error.problem, fix=error.fix)
    district = None
    if args.district:
        try:
            district = districts.normalize_district(args.district)
        except districts.UnknownDistrict as error:
            if error.suggestions:
                return fail("new.unknown_district", value=repr(args.district),
                            suggestions=messages.text("common.or").join(error.suggestions))
            return fail("new.unknown_district_unlike_any", value=repr(args.district))
    slug = args.slug or slugify_headline(title)
    if slugify_headline(slug) != slug:
        return fail("new.bad_slug", suggestion=slugify_headline(slug))

    path = Path(args.content) / f"{when:%Y}" / f"{when:%m}" / f"{slug}.md"
    if path.exists():
        return fail("new.exists", path=path)
    url = f"{when:%Y/%m/%d}/{slug}/"
    other = same_url(path.parent, url)
    if other:
        return fail("new.same_url", other=other, url=url, slug=slug)
    photo = None
    if args.photo is not None:
        photo = new_photo.prepare(args.photo, path, args.caption, args.alt)
        if isinstance(photo, str):
            return refuse(photo)
    path.parent.mkdir(parents=True, exist_ok=True)
    authors = " ".join(split_list(args.authors)) if args.authors else ""
    topic_ids = [topic.id for topic in topics.default_topics()]
    body = BODY_TEMPLATE.format(
        note=NEW_ARTICLE_NOTE, authors=authors, path=path, topic=topic_ids[0], topic_ids=", ".join(topic_ids))
    if photo is not None:
        body = body.replace("\n\n", f"\n\n{photo.line}\n\n", 1)  # after the byline
        problem = new_photo.copy(photo)
        if problem:
            return refuse(problem)
    text = format_article(metadata_fields(args, when, district, slug), body)
    try:
        with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
            handle.write(text)
    except OSError:
        if photo is not None:
            photo.target.unlink(missing_ok=True)  # nothing half-made
        raise
    if photo is not None:
        new_photo.report(photo)
    print(messages.text("new.created", path=path))
    # A draft's page is at /drafts/<slug>/ in the preview (pelicanconf.DRAFT_URL); once
    # `Status: draft` is deleted, at its address.
    print(messages.text("new.preview_url", url=f"{PREVIEW}drafts/{slug}/"))
    return 0
