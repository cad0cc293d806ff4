"""``python -m newsroom import PAGE.pdf|.jpg|.png|.tif``: the page import's part of the import command.

``import_cmd`` hands the page files (PDFs and scans) here and keeps ``.txt`` pages for
the text import. Everything printed comes from ``newsroom/data/messages/pages.toml``.
"""

import sys

from newsroom import messages
from newsroom.desk import importer, page_import
from newsroom.errors import ContentError


def say(message_id, **params):
    print(messages.text(message_id, **params))


def run_pages(sources, args, out=sys.stdout):
    """Read, plan and write the page files ``[(path, PageInfo)]`` → exit status."""
    try:
        pages = []
        for path, info in sources:
            print(messages.text("pages.report_reading", path=path), file=sys.stderr)
            pages.append(page_import.read_page_file(path, info, dpi=args.dpi))
        plans = page_import.plan_pages(pages, args.out)
    except ContentError as error:
        print(f"{messages.text('common.error')}: {error}", file=sys.stderr)
        return 1
    planned = [entry for plan in plans for entry in plan.articles if isinstance(entry, importer.PlannedFile)]
    parsed = [(plan.page.parsed, plan.page.info) for plan in plans]
    for warning in importer.page_neighbours(parsed, args.out) + importer.same_text_elsewhere(planned, args.out):
        if not _about_attached(warning, plans):
            print(f"{messages.text('common.warning')}: {warning}", file=sys.stderr)
    if not args.dry_run:
        try:
            page_import.write_pages(plans, force=args.force)
        except (ContentError, OSError) as error:
            print(f"{messages.text('common.error')}: {error}", file=sys.stderr)
            return 1
    report(plans, args.out, dry_run=args.dry_run)
    if args.dry_run and page_import.conflicts(plans) and not args.force:
        return 1
    return 0


def _about_attached(warning, plans):
    """The neighbour warning names the existing articles the page attaches: not news."""
    attached = [str(entry.path) for plan in plans for entry in plan.articles
                if isinstance(entry, page_import.Attached)]
    return any(warning.startswith(path) for path in attached)


def report(plans, out_dir, dry_run=False):
    totals = {"new": 0, "attached": 0, "review": 0}
    for plan in plans:
        page, info = plan.page, plan.page.info
        steps = [messages.text(f"pages.step_{name}", seconds=f"{page.timings[name]:.1f}")
                 for name in ("read", "deskew", "ocr", "layout") if name in page.timings]
        say("pages.report_page", date=info.date.isoformat(), page=info.page,
            name=f" {info.page_name}" if info.page_name else "", kind=messages.text(f"pages.kind_{page.kind}"),
            count=len(plan.articles), total=f"{page.timings.get('total', 0):.1f}", steps="，".join(steps)
            if messages.language() == "zh" else ", ".join(steps))
        if page.parsed.banner:
            say("pages.report_banner", banner=page.parsed.banner)
        for entry, laid in zip(plan.articles, page.layout.articles):
            article = entry.article
            if isinstance(entry, page_import.Attached):
                action = messages.text("pages.action_attached")
                totals["attached"] += 1
                details = "".join(f"；{note}" for note in entry.notes)
            else:
                key = "would_write" if dry_run and entry.action == "new" else entry.action
                action = messages.text(f"pages.action_{key}")
                totals["new"] += entry.action in ("new", "replace")
                byline = importer.byline_summary(article)
                details = f"；{byline}" if byline else ""
            say("pages.report_article", action=action, path=entry.path, order=article.order, title=article.title,
                details=details)
        items = [(f"#{n} {a.title}", r) for n, a in enumerate(page.layout.articles, start=1) for r in a.review]
        items += [(messages.text("pages.report_review_page"), r) for r in page.layout.review]
        if items:
            say("pages.report_review_head", count=len(items))
            for where, item in items:
                say("pages.report_review_item", where=where, problem=item.text(),
                    box=",".join(str(v) for v in _xywh(item.box)))
        totals["review"] += len(items)
        say("pages.report_files", files="、".join(str(item.path) for item in plan.files))
    say("pages.report_total", pages=len(plans), new=totals["new"], attached=totals["attached"],
        review=totals["review"])
    if dry_run:
        say("pages.report_dry_run")
    return totals


def _xywh(box):
    from newsroom.archive.textlines import xywh

    return xywh(box)
