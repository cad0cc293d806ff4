"""``python -m newsroom build`` (not built yet)."""

import sys


def add_parser(subparsers):
    parser = subparsers.add_parser("build", help="(not built yet)")
    parser.set_defaults(func=run)


def run(args):
    print("newsroom build: not built yet", file=sys.stderr)
    return 2
