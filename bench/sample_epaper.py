"""Page images for the sample site: two issues laid out by the generator and imported.

    python -m bench.sample_epaper [--content content] [--dates 2024-01-02 2024-01-09] [--dpi 100]

For each date, the sample articles of each printed page (``Page``, in ``PageOrder``)
are laid out as a PDF page by ``bench/pagegen.py`` and then imported by the page import,
exactly as an editor would import the layout system's PDF: the articles exist already,
so they are attached (never rewritten) and the import writes ``content/epaper/
YYYY-MM-DD/NN.pdf``, ``NN.png`` and ``NN.page.json``. The page images are rendered at
``--dpi`` (100 by default, to keep the repository small; the originals are the PDFs).
Running it again with nothing changed changes nothing; after a change of the generator,
``--force`` replaces the page files (never the articles).
"""

import argparse
import sys
from datetime import date as Date
from pathlib import Path

from bench import pagegen
from newsroom.desk import importer, page_import
from newsroom.desk.commands import import_pages
from newsroom.paper.content import read_source

ROOT = Path(__file__).resolve().parents[1]
DATES = ["2024-01-02", "2024-01-09"]


def issue_pages(content, day):
    """``{page: (page name, issue, [(PageOrder, Story)])}`` for the articles printed on ``day``."""
    pages = {}
    for path in sorted((content / f"{day:%Y}" / f"{day:%m}").glob("*.md")):
        source = read_source(path)
        if source.get("date", "")[:10] != day.isoformat() or not (source.get("page") or "").strip():
            continue
        story = pagegen.stories_from_content([path])[0]
        number = int(source.get("page"))
        name, issue, stories = pages.setdefault(number, (source.get("pagename") or "", source.get("issue") or "", []))
        stories.append((int(source.get("pageorder") or 99), story))
    return pages


def make_pages(content, dates, work):
    """Lay the issues out as PDFs under ``work`` → ``[(pdf, PageInfo)]``."""
    made = []
    for text in dates:
        day = Date.fromisoformat(text)
        for number, (name, issue, stories) in sorted(issue_pages(content, day).items()):
            stories = [story for _, story in sorted(stories, key=lambda item: item[0])]
            spec = pagegen.PageSpec(date=day, page=number, page_name=name, stories=stories,
                                    issue=int(issue or 0), seed=day.toordinal() + number, footer=number == 1)
            comp = pagegen.compose(spec)
            if comp.left_over:
                raise SystemExit(f"{day} page {number}: {len(comp.left_over)} article(s) do not fit on one page")
            pdf = pagegen.write_pdf(comp, work / f"{day.isoformat()}_{number:02d}.pdf")
            made.append((pdf, importer.PageInfo(day, number, name, str(issue))))
    return made


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--dates", nargs="+", default=DATES)
    parser.add_argument("--dpi", type=int, default=100)
    parser.add_argument("--work", type=Path, default=ROOT / "output.cache" / "sample-epaper")
    parser.add_argument("--force", action="store_true", help="replace page files made by an earlier run")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    made = make_pages(args.content, args.dates, args.work)
    pages = [page_import.read_page_file(pdf, info, dpi=args.dpi) for pdf, info in made]
    plans = page_import.plan_pages(pages, args.content)
    new = [entry for plan in plans for entry in plan.articles if isinstance(entry, importer.PlannedFile)]
    if new:
        sys.exit("these articles were not found in the content and would be written anew: "
                 + ", ".join(entry.article.title for entry in new))
    page_import.write_pages(plans, force=args.force)
    import_pages.report(plans, args.content)
    return 0


if __name__ == "__main__":
    sys.exit(main())
