"""The editor command line: ``python -m newsroom <command>``.

Each command lives in ``newsroom/desk/commands/<name>_cmd.py`` and exposes
``add_parser(subparsers)`` (which sets ``func``) and nothing else the CLI needs.
"""

import argparse
import importlib
import logging
import sys

from newsroom import messages

COMMANDS = ("new", "check", "analyze", "import", "build", "rollback", "deploy")


def build_parser(command=None):
    """The parser with every command, or with ``command`` alone when it is one of them:
    some commands load jieba and pypinyin when imported, which the others (an
    up-to-date ``build`` returns in about a second) should not pay for."""
    parser = argparse.ArgumentParser(
        prog="python -m newsroom",
        description="Editor tools for the union daily: write, check, analyse, import, build, deploy.",
        epilog="The live preview is `make serve` (python -m newsroom.desk.preview); docs/editor-guide.zh.md is the "
               "editors' guide.",
    )
    parser.add_argument("--lang", choices=messages.LANGUAGES, default=None,
                        help="language of the messages: zh (default) or en; also NEWSROOM_LANG or LANG=en_…")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in (command,) if command in COMMANDS else COMMANDS:
        module = importlib.import_module(f"newsroom.desk.commands.{name}_cmd")
        module.add_parser(subparsers)
    return parser


def main(argv=None):
    # Chinese output must survive a terminal or pipe whose locale is not UTF-8.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    argv = sys.argv[1:] if argv is None else list(argv)
    command = next((word for i, word in enumerate(argv) if not word.startswith("-")
                    and (i == 0 or argv[i - 1] != "--lang")), None)
    args = build_parser(command).parse_args(argv)
    messages.set_language(args.lang)
    messages.export_language()  # the build's Pelican child and the scheduler's builds too
    return args.func(args) or 0
