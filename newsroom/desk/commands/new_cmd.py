"""``python -m newsroom new --title 标题 …``: start a new article file.

Writes ``content/YYYY/MM/<slug>.md`` with the metadata block filled from the options
(and an explicit ``Slug:`` so the URL never moves if the headline is edited), a
byline to complete where the text starts, and the optional fields commented out.
With ``--photo FILE`` (and ``--caption``, ``--alt``) the photo is checked, copied beside
the article as ``<slug>-1.jpg`` and written into the text as
``![替代文字](<slug>-1.jpg "图注")``. It never overwrites a file. It prints the path
and the preview URL that ``make serve`` will show.
"""

import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from newsroom.text import districts, topics
from newsroom.desk.checks import NEW_ARTICLE_NOTE, article_url, content_files, read_checked
from newsroom.desk.commands import new_photo
from newsroom.desk.commands.options import one_line, page_number
from newsroom.paper.content import format_article, split_list
from newsroom.paper.dates import DateProblem, parse_date
from newsroom.text.slugs import slugify_headline

ROOT = Path(__file__).resolve().parents[3]
PREVIEW = "http://localhost:8000/"
BEIJING = ZoneInfo("Asia/Shanghai")

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
  Status: draft（草稿：不发布）
  Correction: 2024-01-05 更正内容
  Summary: 摘要（不写则自动截取）
写完后删除本说明，再运行 python -m newsroom check {path} 检查。
-->
"""


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "new",
        help="start a new article: content/YYYY/MM/<slug>.md with its metadata filled",
        description="Create a new article file with the metadata block filled in. Never overwrites.",
    )
    parser.add_argument("--title", required=True, type=one_line, help="headline (主题)")
    parser.add_argument("--kicker", type=one_line, help="line above the headline (引题)")
    parser.add_argument("--subtitle", type=one_line, help="line below the headline (副题)")
    parser.add_argument("--district", type=one_line, help="district, e.g. 门头沟 or 门头沟区, or 全市")
    parser.add_argument("--date", type=one_line, help="2024-01-02 or '2024-01-02 08:00' (default: now, Beijing time)")
    parser.add_argument("--page", type=page_number, help="print page number (版次)")
    parser.add_argument("--page-name", type=one_line, help="print page name (版名), e.g. 要闻")
    parser.add_argument("--authors", type=one_line, help="reporters, comma-separated (default: read from the byline)")
    parser.add_argument("--slug", type=one_line, help="URL part (default: the headline in pinyin)")
    parser.add_argument("--photo", type=Path, help="a photo to copy beside the article and show in it (JPEG, PNG)")
    parser.add_argument("--caption", type=one_line, help="the photo's caption (图注), ending with its credit, "
                                                         "e.g. '图为……。本报记者 白莹 摄'")
    parser.add_argument("--alt", type=one_line, help="what the photo shows, for screen readers (替代文字); "
                                                     "default: the caption without its credit")
    parser.add_argument("--content", default=str(ROOT / "content"), help="content folder (default: content/)")
    parser.set_defaults(func=run)


def fail(message):
    print(f"newsroom new: {message}", file=sys.stderr)
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
        return fail("--title is empty; give the headline, e.g. --title 门头沟区职工书屋新添图书")
    if "\n" in title:
        return fail("--title must be one line")
    try:
        when = parse_date(args.date) if args.date else datetime.now(BEIJING).replace(second=0, microsecond=0,
                                                                                     tzinfo=None)
    except DateProblem as error:
        return fail(f"--date {error.problem} — {error.fix}")
    district = None
    if args.district:
        try:
            district = districts.normalize_district(args.district)
        except districts.UnknownDistrict as error:
            hint = f"did you mean {'、'.join(error.suggestions)}?" if error.suggestions else \
                "use one of Beijing's 16 districts or 全市"
            return fail(f"unknown --district {args.district!r} — {hint}")
    if args.page is not None and args.page < 1:
        return fail("--page must be a page number from 1")
    slug = args.slug or slugify_headline(title)
    if slugify_headline(slug) != slug:
        return fail(f"--slug may hold only lower-case letters, digits and hyphens, e.g. {slugify_headline(slug)}")

    path = Path(args.content) / f"{when:%Y}" / f"{when:%m}" / f"{slug}.md"
    if path.exists():
        return fail(f"{path} already exists; nothing was written — edit that file, or choose another --slug")
    other = same_url(path.parent, f"{when:%Y/%m/%d}/{slug}/")
    if other:
        return fail(f"{other} already has the URL /{when:%Y/%m/%d}/{slug}/; nothing was written — edit that "
                    f"file, or choose another --slug (e.g. --slug {slug}-2)")
    photo = None
    if args.photo is not None:
        photo = new_photo.prepare(args.photo, path, args.caption, args.alt)
        if isinstance(photo, str):
            return fail(photo)
    path.parent.mkdir(parents=True, exist_ok=True)
    authors = " ".join(split_list(args.authors)) if args.authors else ""
    topic_ids = [topic.id for topic in topics.default_topics()]
    body = BODY_TEMPLATE.format(
        note=NEW_ARTICLE_NOTE, authors=authors, path=path, topic=topic_ids[0], topic_ids=", ".join(topic_ids))
    if photo is not None:
        body = body.replace("\n\n", f"\n\n{photo.line}\n\n", 1)  # after the byline
        problem = new_photo.copy(photo)
        if problem:
            return fail(problem)
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
    print(f"created {path}")
    print(f"preview: {PREVIEW}{when:%Y/%m/%d}/{slug}/  (run `make serve` first)")
    return 0
