"""``python -m newsroom check`` (not built yet)."""

import sys


def add_parser(subparsers):
    parser = subparsers.add_parser("check", help="(not built yet)")
    parser.set_defaults(func=run)


def run(args):
    print("newsroom check: not built yet", file=sys.stderr)
    return 2
