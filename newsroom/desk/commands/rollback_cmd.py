"""``python -m newsroom rollback [--output output]``: serve the previous site again, at once.

``newsroom build`` keeps the version of the site it replaced whole
(:mod:`newsroom.build.versions`); this points ``output`` back at it in one rename, under
the build lock, so no build is running meanwhile. The version served until now is kept:
a second rollback goes forward again. The next build builds from the content as usual
(the output changed, so it is never "up to date" after a rollback).
"""

import sys
from pathlib import Path

from newsroom import messages
from newsroom.build import versions
from newsroom.desk.commands.build_cmd import ROOT, BuildLocked, build_lock


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "rollback",
        help=messages.text("help.rollback"),
        description=messages.text("help.rollback_description"),
    )
    parser.add_argument("--output", default=str(ROOT / "output"), help=messages.text("help.output"))
    parser.set_defaults(func=run)


def run(args):
    output = Path(args.output).absolute().parent.resolve() / Path(args.output).name
    cache = output.with_name(output.name + ".cache")
    try:
        with build_lock(cache):
            now, before = versions.rollback(output)
    except BuildLocked:
        problem, fix = messages.problem("security.rollback_locked", output=output)
        print(f"newsroom rollback: {problem} — {fix}", file=sys.stderr)
        return 1
    except versions.NoPreviousVersion:
        problem, fix = messages.problem("security.rollback_nothing", output=output)
        print(f"newsroom rollback: {problem} — {fix}", file=sys.stderr)
        return 1
    print(f"newsroom rollback: {messages.text('security.rollback_done', output=output, now=now, before=before)}")
    return 0
