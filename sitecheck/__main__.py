"""``python -m sitecheck OUTPUT [--only html,links,feeds,csp,a11y]``: print what failed, page by page."""

import argparse
import importlib
import sys
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path

CHECKS = ("links", "feeds", "security", "html", "a11y", "budgets")
# Checks of each parsed page (``check_page(output, name, soup)``): one parse of each page
# for all of them (a BeautifulSoup parse of the sample's 488 pages is ~4 CPU-s).
PER_PAGE = ("links", "security")
# Checks that run in Chromium: they share one browser (starting Playwright and Chromium and closing them is ~1.7 CPU-s).
IN_THE_BROWSER = {"a11y", "budgets"}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m sitecheck", description=__doc__)
    parser.add_argument("output", type=Path, help="the built site (e.g. output/)")
    parser.add_argument("--only", default=",".join(CHECKS), help=f"comma-separated subset of {', '.join(CHECKS)}")
    args = parser.parse_args(argv)
    if not (args.output / "index.html").exists():
        print(f"sitecheck: {args.output} has no index.html — build the site first (make html)", file=sys.stderr)
        return 2
    by_page = defaultdict(list)
    names = [name.strip() for name in args.only.split(",")]
    per_page = [name for name in names if name in PER_PAGE]
    found = {}  # the per-page checks' failures, all found in the pass made for the first of them
    with ExitStack() as stack:
        browser = None
        for name in names:
            if name in per_page and name not in found:
                found = per_page_failures(args.output, per_page)
            if name in found:
                failures = found[name]
                print(f"sitecheck: {name}: {f'{len(failures)} problem(s)' if failures else 'ok'}", flush=True)
                for failure in failures:
                    by_page[failure.page].append(failure)
                continue
            module = importlib.import_module(f"sitecheck.{name}")
            options = {}
            if name in IN_THE_BROWSER:
                if browser is None:  # started when the first browser check comes, kept for the others
                    from sitecheck.browser import chromium

                    browser = stack.enter_context(chromium())
                options["browser"] = browser
            failures = module.check(args.output, **options)
            for failure in failures:
                by_page[failure.page].append(failure)
            print(f"sitecheck: {name}: {f'{len(failures)} problem(s)' if failures else 'ok'}", flush=True)
    for page in sorted(by_page):
        print(page)
        for failure in by_page[page]:
            print(f"    [{failure.check}] {failure.message}")
    total = sum(len(f) for f in by_page.values())
    print(f"sitecheck: {total} problem(s) on {len(by_page)} page(s)")
    return 1 if total else 0


def per_page_failures(output, names):
    """``{name: failures}`` of the per-page checks ``names``, each page parsed once for all."""
    from sitecheck.pages import parsed_pages

    output = output.resolve()
    modules = {name: importlib.import_module(f"sitecheck.{name}") for name in names}
    found = {name: [] for name in names}
    for page, soup in parsed_pages(output):
        for name, module in modules.items():
            found[name].extend(module.check_page(output, page, soup))
    return found


if __name__ == "__main__":
    sys.exit(main())
