"""``python -m newsroom new`` (not built yet)."""

import sys


def add_parser(subparsers):
    parser = subparsers.add_parser("new", help="(not built yet)")
    parser.set_defaults(func=run)


def run(args):
    print("newsroom new: not built yet", file=sys.stderr)
    return 2
