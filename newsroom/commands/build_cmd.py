"""``python -m newsroom build [--publish]``: build the site, all or nothing.

Pelican writes into a fresh staging folder beside the output folder, with every
logged error made fatal; only a build that finished cleanly replaces ``output/``,
so a failed build never leaves readers a half-made site. ``--publish`` uses
``publishconf.py`` and first runs the same checks as ``python -m newsroom check``:
any error stops it before anything is built.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "build",
        help="build the site into output/ (atomically); --publish checks first",
        description="Build the site into a staging folder and swap it into place only on success.",
    )
    parser.add_argument("--publish", action="store_true", help="use publishconf.py and refuse to build on check errors")
    parser.add_argument("--content", default=str(ROOT / "content"), help="content folder (default: content/)")
    parser.add_argument("--output", default=str(ROOT / "output"), help="output folder (default: output/)")
    parser.set_defaults(func=run)


def run_checks(content):
    """Run ``newsroom check`` on ``content`` and print its report; True when there is no error."""
    from newsroom.commands import check_cmd

    return check_cmd.check_tree(content) == 0


def run(args):
    content = Path(args.content).resolve()
    output = Path(args.output).resolve()
    # Editors see the same report either way; only publishing refuses to go on.
    if not run_checks(content) and args.publish:
        print("newsroom build: check found errors; nothing was built or published.", file=sys.stderr)
        return 1
    staging = output.with_name(output.name + ".staging")
    if staging.exists():
        shutil.rmtree(staging)
    settings = ROOT / ("publishconf.py" if args.publish else "pelicanconf.py")
    # Each output folder keeps its own content cache beside it (output/ -> output.cache/).
    cache = output.with_name(output.name + ".cache")
    command = [sys.executable, "-m", "newsroom.commands.pelican_run", str(settings), str(content),
               str(staging), str(cache)]
    result = subprocess.run(command, cwd=ROOT)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"newsroom build: the build failed; {output} is unchanged.", file=sys.stderr)
        return result.returncode
    swap_into_place(staging, output)
    print(f"newsroom build: site written to {output}")
    return 0


def swap_into_place(staging, output):
    """Replace ``output`` by ``staging`` with two renames (the old site is removed last)."""
    old = output.with_name(output.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if output.exists():
        os.rename(output, old)
    os.rename(staging, output)
    if old.exists():
        shutil.rmtree(old)
