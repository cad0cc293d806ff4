"""``python -m newsroom check [PATH…]``: validate articles before they reach readers.

Prints one line per problem, ``file:line: error|warning: problem — how to fix``,
then a summary, and exits 1 when there is any error (warnings alone exit 0).
``make publish`` runs the same checks through :func:`check_tree` and builds nothing
when it reports an error. Duplicate URLs are found among the files checked, so run
it on the whole ``content/`` folder (the default) before publishing.
"""

import sys
from pathlib import Path

from newsroom.desk.checks import check_paths

ROOT = Path(__file__).resolve().parents[3]


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "check",
        help="validate content files: file:line: problem — fix; exit 1 on any error",
        description="Check every Markdown article under the given files or folders (default: content/).",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: content/)")
    parser.add_argument("--errors-only", action="store_true", help="do not print warnings")
    parser.set_defaults(func=run)


def report(problems, files, out=sys.stdout, errors_only=False):
    """Print the problems and a summary; returns the number of errors."""
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    for problem in problems:
        if problem.is_error or not errors_only:
            print(problem, file=out)
    noun = "file" if files == 1 else "files"
    summary = f"newsroom check: {files} {noun} checked, {errors} error{'s' * (errors != 1)}, " \
              f"{warnings} warning{'s' * (warnings != 1)}"
    if errors:
        summary += " — fix the errors above (docs/editor-guide.zh.md explains each one)"
    print(summary, file=out)
    return errors


def check_tree(path, out=None, errors_only=False):
    """Check every file under ``path`` (a folder or file), print the report; returns the error count."""
    problems, files = check_paths([path])
    return report(problems, files, out or sys.stdout, errors_only)


def run(args):
    paths = args.paths or [str(ROOT / "content")]
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        print(f"newsroom check: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    problems, files = check_paths(paths)
    if files == 0:
        # A mistyped folder (or one of OCR text not yet imported) must not look clean.
        print(f"newsroom check: no Markdown article (.md) under {', '.join(paths)} — check the path; "
              "OCR'd .txt pages become articles with `python -m newsroom import`", file=sys.stderr)
        return 2
    return 1 if report(problems, files, sys.stdout, args.errors_only) else 0
