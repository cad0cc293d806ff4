"""``python -m newsroom import``: OCR'd back-catalogue pages → article files.

    python -m newsroom import PAGE.txt [PAGE2.txt …] --date 2024-01-02 --page 1 [--page-name 要闻]
    python -m newsroom import PAGE.pdf|.jpg|.png|.tif --date 2024-01-02 --page 1 [--page-name 要闻]
    python -m newsroom import --batch DIR          # files named 2024-01-02_01_要闻.txt

See docs/importer.md for the text format and docs/page-images.md for PDFs and scans
(``import_pages`` handles those: the layout, the page image and its sidecar).
"""

import sys
from datetime import date as Date
from pathlib import Path

from newsroom import messages
from newsroom.desk import importer, page_import
from newsroom.desk.commands import import_pages
from newsroom.desk.commands.options import issue_number, one_line, page_number
from newsroom.paper.content import ContentError

ACTION_WORDS = {"new": "import.wrote", "replace": "import.replaced", "unchanged": "import.unchanged"}
PLAN_WORDS = {"new": "import.plan_would_write", "replace": "import.plan_would_replace",
              "conflict": "import.plan_conflict", "unchanged": "import.plan_unchanged"}


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "import",
        help=messages.text("help.import"),
        description=messages.text("help.import_description"),
    )
    parser.add_argument("pages", nargs="*", metavar="PAGE",
                        help=messages.text("help.import_pages"))
    parser.add_argument("--batch", metavar="DIR",
                        help=messages.text("help.import_batch"))
    parser.add_argument("--date", help=messages.text("help.import_date"))
    parser.add_argument("--page", type=page_number, action="append", default=[],
                        help=messages.text("help.import_page"))
    parser.add_argument("--page-name", action="append", default=[], type=one_line,
                        help=messages.text("help.import_page_name"))
    parser.add_argument("--issue", default="", type=issue_number, help=messages.text("help.import_issue"))
    parser.add_argument("--out", default="content", help=messages.text("help.import_out"))
    parser.add_argument("--force", action="store_true", help=messages.text("help.import_force"))
    parser.add_argument("--dry-run", action="store_true", help=messages.text("help.import_dry_run"))
    parser.add_argument("--dpi", type=int, default=page_import.RENDER_DPI,
                        help=messages.text("help.import_dpi", dpi=page_import.RENDER_DPI))
    parser.set_defaults(func=run)


def run(args):
    try:
        sources = _sources(args)
    except ContentError as error:
        print(messages.text("import.error_line", error=error), file=sys.stderr)
        return 1
    page_sources = [(path, info) for path, info in sources if page_import.is_page_file(path)]
    text_sources = [(path, info) for path, info in sources if not page_import.is_page_file(path)]
    if args.batch:
        # A folder's scans and PDFs go one by one, with progress and a state file to resume by.
        status = import_pages.run_batch(page_sources, Path(args.batch), args) if page_sources else 0
    else:
        status = import_pages.run_pages(page_sources, args) if page_sources else 0
    if text_sources:
        status = max(status, _run_text(text_sources, args))
    return status


def _run_text(sources, args):
    try:
        pages = [(importer.read_page(path), info) for path, info in sources]
        plan = importer.plan_import(pages, args.out)
    except ContentError as error:
        print(messages.text("import.error_line", error=error), file=sys.stderr)
        return 1

    for page, info in pages:
        for article in page.articles:
            for warning in article.warnings:
                print(messages.text("import.warning_on_page", page=page.path, warning=warning), file=sys.stderr)
    for warning in importer.page_neighbours(pages, args.out) + importer.same_text_elsewhere(plan, args.out):
        print(messages.text("import.warning_line", warning=warning), file=sys.stderr)

    if args.dry_run:
        _print_plan(pages, plan)
        return 1 if any(item.action == "conflict" for item in plan) and not args.force else 0

    try:
        importer.write_plan(plan, force=args.force)
    except (ContentError, OSError) as error:
        print(messages.text("import.error_line", error=error), file=sys.stderr)
        return 1
    for item in plan:
        print(messages.text(ACTION_WORDS[item.action], path=item.path, summary=_summary(item)))
        for other in item.replaces:
            print(messages.text("import.removed", path=other))
    return 0


def _sources(args):
    """``[(path, PageInfo)]`` from the command line."""
    if args.batch:
        if args.pages or args.date or args.page or args.page_name:
            raise ContentError.of(args.batch, 0, "import.batch_with_pages")
        scans = page_import.batch_page_files(args.batch)
        found = importer.batch_pages(args.batch) if importer.page_files(args.batch) or not scans else []
        for other in importer.other_files(args.batch):
            if not page_import.is_page_file(other):
                print(messages.text("import.skipped_file", path=other), file=sys.stderr)
        found += scans
        if args.issue and len({info.date for _, info in found}) > 1:
            raise ContentError.of(args.batch, 0, "import.issue_with_dates")
        return [(path, _with_issue(info, args.issue)) for path, info in found]

    if not args.pages:
        raise ContentError.of("import", 0, "import.no_pages")
    if not args.date:
        raise ContentError.of(args.pages[0], 0, "import.no_date")
    try:
        day = Date.fromisoformat(args.date)
    except ValueError:
        raise ContentError.of(args.pages[0], 0, "import.bad_date", value=repr(args.date)) from None
    count = len(args.pages)
    if len(args.page) == 1:
        numbers = [args.page[0] + i for i in range(count)]
    elif len(args.page) == count:
        numbers = list(args.page)
    else:
        raise ContentError.of(args.pages[0], 0, "import.page_count", given=len(args.page), count=count)
    if any(number < 1 for number in numbers):
        raise ContentError.of(args.pages[0], 0, "import.page_from_one")
    if args.page_name and len(args.page_name) != count:
        raise ContentError.of(args.pages[0], 0, "import.page_name_count", given=len(args.page_name), count=count)
    names = args.page_name or [""] * count
    return [(Path(path), importer.PageInfo(day, number, name.strip(), str(args.issue).strip()))
            for path, number, name in zip(args.pages, numbers, names)]


def _with_issue(info, issue):
    return importer.PageInfo(info.date, info.page, info.page_name, str(issue).strip())


def _summary(item):
    article = item.article
    byline = importer.byline_summary(article)
    district = dict(importer.article_metadata(article, item.page, item.info, item.slug)).get("District")
    return messages.text("import.summary", page=item.info.page, order=article.order, title=article.title,
                         byline=messages.text("import.summary_part", text=byline) if byline else "",
                         district=messages.text("import.summary_part", text=district) if district else "",
                         mends=len(article.mends))


def _print_plan(pages, plan):
    by_page = {}
    for item in plan:
        by_page.setdefault(id(item.page), []).append(item)
    for page, info in pages:
        print(messages.text("import.plan_page", path=page.path, date=info.date, page=info.page,
                            name=f" {info.page_name}" if info.page_name else "",
                            issue=messages.text("import.plan_issue", issue=info.issue) if info.issue else "",
                            banner=messages.text("import.plan_banner", banner=page.banner) if page.banner
                            else messages.text("import.plan_no_banner")))
        for item in by_page.get(id(page), []):
            article = item.article
            print(messages.text(PLAN_WORDS[item.action], path=item.path))
            for other in item.replaces:
                print(messages.text("import.plan_replaces", other=other))
            if article.kicker:
                print(messages.text("import.plan_kicker", text=article.kicker))
            print(messages.text("import.plan_title", text=article.title))
            if article.subtitle:
                print(messages.text("import.plan_subtitle", text=article.subtitle))
            print(f"    {_summary(item)}")
            for mend in article.mends:
                print(messages.text("import.plan_mended", mend=mend))
