"""The editor command line: ``python -m newsroom <command>``.

Each command lives in ``newsroom/desk/commands/<name>_cmd.py`` and exposes
``add_parser(subparsers)`` (which sets ``func``) and nothing else the CLI needs.
"""

import argparse
import importlib
import logging
import os
import sys

from newsroom import messages
from newsroom.errors import DataFileError

COMMANDS = ("new", "check", "analyze", "import", "build", "rollback", "deploy", "schedule")

# argparse's messages an editor meets (a missing or mistyped option), in the editor's
# language: argparse looks each template up through its module's gettext function ``_``.
ARGPARSE_TEMPLATES = {
    "%(prog)s: error: %(message)s\n": "options.argparse_error",
    "argument %(argument_name)s: %(message)s": "options.argparse_argument",
    "the following arguments are required: %s": "options.argparse_required",
    "unrecognized arguments: %s": "options.argparse_unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "options.argparse_choice",
    "expected one argument": "options.argparse_one_value",
    "invalid %(type)s value: %(value)r": "options.argparse_invalid_value",
    "ambiguous option: %(option)s could match %(matches)s": "options.argparse_ambiguous",
    "usage: ": "options.argparse_usage",
    "options": "options.argparse_options",
    "positional arguments": "options.argparse_positionals",
    "show this help message and exit": "options.argparse_help",
}


def argparse_text(template):
    """argparse's ``_``: its template in the editor's language (any other as it is)."""
    message_id = ARGPARSE_TEMPLATES.get(template)
    return messages.text(message_id) if message_id else template


argparse._ = argparse_text


def language_asked(argv):
    """The value of ``--lang`` in ``argv`` (before the options are parsed, so that the
    messages about them are in that language), or None."""
    for index, word in enumerate(argv):
        if word == "--lang" and index + 1 < len(argv) and argv[index + 1] in messages.LANGUAGES:
            return argv[index + 1]
        if word.startswith("--lang=") and word.split("=", 1)[1] in messages.LANGUAGES:
            return word.split("=", 1)[1]
    return None


def build_parser(command=None):
    """The parser with every command, or with ``command`` alone when it is one of them:
    some commands load jieba and pypinyin when imported, which the others (an
    up-to-date ``build`` returns in about a second) should not pay for."""
    parser = argparse.ArgumentParser(
        prog="python -m newsroom",
        description=messages.text("help.cli_description"),
        epilog=messages.text("help.cli_epilog"),
    )
    parser.add_argument("--lang", choices=messages.LANGUAGES, default=None,
                        help=messages.text("help.cli_lang"))
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
    from newsroom.build.editor_log import EditorLogHandler

    # Warnings and errors as editors read them: 提示：…/错误：…, never a traceback.
    logging.basicConfig(level=logging.WARNING, handlers=[EditorLogHandler()])
    argv = sys.argv[1:] if argv is None else list(argv)
    command = next((word for i, word in enumerate(argv) if not word.startswith("-")
                    and (i == 0 or argv[i - 1] != "--lang")), None)
    messages.set_language(language_asked(argv))
    args = build_parser(command).parse_args(argv)
    messages.set_language(args.lang)
    messages.export_language()  # the build's Pelican child and the scheduler's builds too
    try:
        return args.func(args) or 0
    except KeyboardInterrupt:  # Ctrl+C: said in a word, not with a traceback
        print(messages.text("common.interrupted"), file=sys.stderr)
        return 130
    except DataFileError as error:  # a data file of the project is broken: its name, the problem, the fix
        print(error, file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 — a bug: one line for the editor, the details for us
        if os.environ.get("NEWSROOM_DEBUG"):
            raise
        print(messages.text("common.internal_error", error=f"{error.__class__.__name__}: {error}"), file=sys.stderr)
        return 70
