"""``python -m newsroom check [PATH…] [--issue DATE]``: validate articles before they reach readers.

Prints one line per problem, ``file:line: 错误|提示：problem — 改法：how to fix`` (in
English with ``--lang en``), then a summary of each issue being prepared (today's and
later ones, or those named by ``--issue``: pages, articles per page, lead), then the
count, and exits 1 when there is any error (warnings alone exit 0; a draft's problems
are warnings). ``make publish`` runs the same checks through :func:`check_tree` and
builds nothing when it reports an error. Duplicate URLs and headlines are found among
the files checked, so run it on the whole ``content/`` folder (the default) before
publishing.
"""

import argparse
import sys
from pathlib import Path

from newsroom import messages
from newsroom.desk import tree_checks
from newsroom.desk.checks import check_files

ROOT = Path(__file__).resolve().parents[3]


def issue_day(text):
    try:
        return tree_checks.parse_day(text)
    except ValueError:
        raise argparse.ArgumentTypeError(messages.text("check.bad_issue_option", value=repr(text))) from None


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "check",
        help=messages.text("help.check"),
        description=messages.text("help.check_description"),
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help=messages.text("help.check_paths"))
    parser.add_argument("--errors-only", action="store_true", help=messages.text("help.check_errors_only"))
    parser.add_argument("--issue", action="append", type=issue_day, metavar="YYYY-MM-DD",
                        help=messages.text("help.check_issue"))
    parser.set_defaults(func=run)


def report(problems, files, out=sys.stdout, errors_only=False, summaries=()):
    """Print the problems, the issues' summaries and the count; returns the number of errors."""
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    for problem in problems:
        if problem.is_error or not errors_only:
            print(problem, file=out)
    for line in summaries:
        print(line, file=out)
    summary = messages.text("check.summary", files=files, errors=errors, warnings=warnings)
    if errors:
        summary += messages.text("check.summary_fix_errors")
    print(summary, file=out)
    return errors


def check_tree(path, out=None, errors_only=False):
    """Check every file under ``path`` (a folder or file), print the report; returns the error count."""
    problems, files, facts = check_files([path])
    return report(problems, files, out or sys.stdout, errors_only, tree_checks.issue_summaries(facts))


def run(args):
    paths = args.paths or [str(ROOT / "content")]
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        print(messages.text("check.no_such_path", paths=", ".join(missing)), file=sys.stderr)
        return 2
    problems, files, facts = check_files(paths)
    if files == 0:
        # A mistyped folder (or one of OCR text not yet imported) must not look clean.
        print(messages.text("check.no_articles", paths=", ".join(paths)), file=sys.stderr)
        return 2
    summaries = tree_checks.issue_summaries(facts, set(args.issue) if args.issue else None)
    return 1 if report(problems, files, sys.stdout, args.errors_only, summaries) else 0
