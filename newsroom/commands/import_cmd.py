"""``python -m newsroom import`` (not built yet)."""

import sys


def add_parser(subparsers):
    parser = subparsers.add_parser("import", help="(not built yet)")
    parser.set_defaults(func=run)


def run(args):
    print("newsroom import: not built yet", file=sys.stderr)
    return 2
