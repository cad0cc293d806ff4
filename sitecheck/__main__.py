"""``python -m sitecheck OUTPUT [--only html,links,feeds,csp,a11y]``: print what failed, page by page."""

import argparse
import importlib
import sys
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path

CHECKS = ("links", "feeds", "security", "html", "a11y", "budgets")
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
    with ExitStack() as stack:
        browser = None
        for name in (name.strip() for name in args.only.split(",")):
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


if __name__ == "__main__":
    sys.exit(main())
