"""``python -m newsroom import PAGE.pdf|.jpg|.png|.tif``: the page import's part of the import command.

``import_cmd`` hands the page files (PDFs and scans) here and keeps ``.txt`` pages for
the text import. Everything printed comes from ``newsroom/data/messages/pages.toml``.
"""

import sys
from pathlib import Path

from newsroom import messages
from newsroom.archive import pagefile
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


def report(plans, out_dir, dry_run=False, summary=True):
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
                    box=pagefile.box_in_image(item.box, page.text.width, page.text.height).xywh)
        totals["review"] += len(items)
        say("pages.report_files", files="、".join(str(item.path) for item in plan.files))
    if summary:
        say("pages.report_total", pages=len(plans), new=totals["new"], attached=totals["attached"],
            review=totals["review"])
    if dry_run and summary:
        say("pages.report_dry_run")
    return totals



# --- batch -------------------------------------------------------------------------------------


def run_batch(sources, folder, args):
    """Import a folder's PDFs and scans one page at a time → exit status.

    Progress goes to the terminal page by page; each page imported is recorded (with its
    file's SHA-256) in ``DIR/.newsroom-import.json``, so running the same command again
    after an interruption or a failure skips what is done and goes on. A page that fails
    does not stop the others; the summary lists it, and what needs review, at the end.
    """
    state_path = folder / page_import.STATE_FILE
    state = _load_state(state_path)
    out_key = str(Path(args.out).resolve())
    total = len(sources)
    counts = {"done": 0, "skipped": 0, "failed": 0, "new": 0, "attached": 0}
    reviews, failures = [], []
    for number, (path, info) in enumerate(sources, start=1):
        if args.issue:
            info = importer.PageInfo(info.date, info.page, info.page_name, str(args.issue))
        digest = pagefile.file_digest(path)
        record = state["files"].get(path.name)
        if record and record.get("sha256") == digest and record.get("out") == out_key and \
                record.get("status") == "done" and not args.force:
            counts["skipped"] += 1
            say("pages.batch_skip_done", done=number, total=total, name=path.name)
            if record.get("review"):
                reviews.append((path.name, record["review"], record.get("sidecar", "")))
            continue
        print(messages.text("pages.batch_progress", done=number, total=total, name=path.name), flush=True)
        try:
            page = page_import.read_page_file(path, info, dpi=args.dpi)
            plans = page_import.plan_pages([page], args.out)
            if not args.dry_run:
                page_import.write_pages(plans, force=args.force)
        except (ContentError, OSError) as error:
            counts["failed"] += 1
            failures.append((path.name, str(error)))
            say("pages.batch_failed", done=number, total=total, name=path.name, error=error)
            if not args.dry_run:
                state["files"][path.name] = {"sha256": digest, "out": out_key, "status": "failed", "error": str(error)}
                _save_state(state_path, state)
            continue
        totals = report(plans, args.out, dry_run=args.dry_run, summary=False)
        counts["done"] += 1
        counts["new"] += totals["new"]
        counts["attached"] += totals["attached"]
        sidecar_path = str(plans[0].files[-1].path)
        if totals["review"]:
            reviews.append((path.name, totals["review"], sidecar_path))
        if not args.dry_run:
            state["files"][path.name] = {"sha256": digest, "out": out_key, "status": "done",
                                         "articles": len(plans[0].articles), "review": totals["review"],
                                         "sidecar": sidecar_path, "seconds": round(page.timings.get("total", 0), 1)}
            _save_state(state_path, state)
    say("pages.batch_summary", total=total, **counts)
    if reviews:
        say("pages.batch_review_head", count=sum(count for _, count, _ in reviews))
        for name, count, sidecar_path in reviews:
            say("pages.batch_review_page", name=name, count=count, sidecar=sidecar_path)
    if failures:
        say("pages.batch_failed_head")
        for name, error in failures:
            say("pages.batch_failed_item", name=name, error=error)
    if not args.dry_run:
        say("pages.batch_state", path=state_path)
    return 1 if failures else 0


def _load_state(path):
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("files"), dict):
            return data
    except (OSError, ValueError):
        pass
    return {"format": "newsroom-import-state/1", "files": {}}


def _save_state(path, state):
    import json
    import os

    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(temporary, path)
