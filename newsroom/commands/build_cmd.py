"""``python -m newsroom build [--publish] [--force]``: build the site, all or nothing.

Pelican writes into a fresh staging folder beside the output folder, with every
logged error made fatal; only a build that finished cleanly replaces ``output/``,
so a failed build never leaves readers a half-made site. ``--publish`` uses
``publishconf.py`` and first runs the same checks as ``python -m newsroom check``:
any error stops it before anything is built.

Like make's "nothing to be done": when every input of the build and every file of the
output folder are what they were after the last successful build
(:mod:`newsroom.uptodate`), the site is up to date and Pelican is not run; ``--force``
builds anyway. The checks keep each file's result by the hash of its bytes
(:mod:`newsroom.check_cache`), so an unchanged article is not checked twice. Both live
in the output's cache folder (``output.cache/``). With ``FASTBUILD_PREVIEW`` on, what
is built depends on the clock (files edited in the last hours), so it always builds.
"""

import io
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from newsroom import uptodate

ROOT = Path(__file__).resolve().parents[2]
STAMP = "newsroom-build-stamp"
log = logging.getLogger(__name__)


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "build",
        help="build the site into output/ (atomically); --publish checks first",
        description="Build the site into a staging folder and swap it into place only on success.",
    )
    parser.add_argument("--publish", action="store_true", help="use publishconf.py and refuse to build on check errors")
    parser.add_argument("--content", default=str(ROOT / "content"), help="content folder (default: content/)")
    parser.add_argument("--output", default=str(ROOT / "output"), help="output folder (default: output/)")
    parser.add_argument("--force", action="store_true", help="build even when the site is up to date")
    parser.set_defaults(func=run)


def run_checks(content, cache=None, inputs=None, out=None):
    """Run ``newsroom check`` on ``content`` and print its report (to ``out``, default
    stdout); True when there is no error.

    With ``cache`` (a folder) and ``inputs`` (the build's :class:`~newsroom.uptodate.InputState`)
    each file's result is kept by the hash of its bytes, so unchanged files are not checked again."""
    # Imported here, not at the top: the checks load jieba, pypinyin and the gazetteer
    # (~0.4 s), which a build found up to date never needs.
    from newsroom import check_cache
    from newsroom.commands import check_cmd

    out = out or sys.stdout
    if cache is None or inputs is None:
        return check_cmd.check_tree(content, out=out) == 0
    prefix = "content:"
    hashes = {key[len(prefix):]: sha for key, sha in inputs.files.items() if key.startswith(prefix)}
    problems, files, fresh = check_cache.check_content(content, cache, inputs.code_digest(), hashes)
    log.debug("newsroom build: %d of %d files checked afresh", fresh, files)
    return check_cmd.report(problems, files, out) == 0


def preview_scope_on():
    """``FASTBUILD_PREVIEW`` set (as ``make serve`` does): the build then follows the clock."""
    return os.environ.get("FASTBUILD_PREVIEW", "").strip().lower() not in ("", "0", "false", "no", "off")


def run(args):
    content = Path(args.content).resolve()
    output = Path(args.output).resolve()
    settings = ROOT / ("publishconf.py" if args.publish else "pelicanconf.py")
    # Each output folder keeps its own content cache beside it (output/ -> output.cache/).
    cache = output.with_name(output.name + ".cache")
    stamp_path = cache / STAMP
    started = time.perf_counter()
    # The inputs are fingerprinted before anything is built: a file edited during the
    # build then differs from what is recorded, and the next build runs again.
    stamp = uptodate.Stamp.load(stamp_path)
    settings_files = sorted(ROOT.glob("*conf.py"))  # publishconf imports pelicanconf
    inputs = uptodate.fingerprint_inputs(
        uptodate.input_groups(content, settings_files),
        {"publish": bool(args.publish), "settings": settings.name, "content": str(content), "output": str(output)},
        stamp.trusted)
    clock_bound = preview_scope_on()
    if (not args.force and not clock_bound and stamp.inputs == inputs.digest()
            and uptodate.output_unchanged(output, stamp.output)):
        # Same content, same checks: the check's report is the one printed last time.
        sys.stdout.write(stamp.report)
        print(f"newsroom build: {output} is up to date (no input or output file changed since the last build; "
              f"checked in {time.perf_counter() - started:.2f} s); --force builds anyway")
        return 0
    # Editors see the same report either way; only publishing refuses to go on.
    report = io.StringIO()
    passed = run_checks(content, cache, inputs, out=report)
    sys.stdout.write(report.getvalue())
    if not passed and args.publish:
        print("newsroom build: check found errors; nothing was built or published.", file=sys.stderr)
        return 1
    uptodate.forget(stamp_path)
    staging = output.with_name(output.name + ".staging")
    if staging.exists():
        shutil.rmtree(staging)
    command = [sys.executable, "-m", "newsroom.commands.pelican_run", str(settings), str(content),
               str(staging), str(cache)]
    sys.stdout.flush()  # the check's report before Pelican's messages, on a pipe too
    result = subprocess.run(command, cwd=ROOT)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"newsroom build: the build failed; {output} is unchanged.", file=sys.stderr)
        return result.returncode
    swap_into_place(staging, output)
    if not clock_bound:
        manifest = uptodate.output_manifest(output)
        if manifest:
            uptodate.Stamp(inputs.digest(), manifest, inputs.trusted, report.getvalue()).save(stamp_path)
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
