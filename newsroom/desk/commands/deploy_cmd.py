"""``python -m newsroom deploy``: put the built site on S3-compatible object storage.

    python -m newsroom deploy [--to s3://BUCKET[/PREFIX]] [--endpoint URL] [--region R]
        [--addressing virtual|path] [--dry-run] [--max-deletes N] [--force] [--no-gzip]

Deploys ``output/`` as the last build left it (``make deploy`` runs ``make publish``
first). Every option defaults to its ``DEPLOY_*`` setting in ``publishconf.py``;
credentials come from the standard AWS environment variables or profile only. The work
is :func:`newsroom.build.deploy.deploy`; this module reads the settings, prints the plan,
the progress and the summary in the editor's language, and turns every failure into one
clear message (exit 1), never a traceback. :func:`deploy_published_site` is the same for
other tools (the scheduler): the settings of ``publishconf.py``, messages to ``out``, an
exit code back.
"""

import runpy
import sys
import time
from pathlib import Path

from newsroom import messages
from newsroom.build.deploy import DeployOptions, deploy, options_from_settings
from newsroom.build.deploy_files import DeployError
from newsroom.build.deploy_plan import COPY, HEADERS

ROOT = Path(__file__).resolve().parents[3]
SETTINGS_FILE = ROOT / "publishconf.py"
KB, MB = 1024, 1024 * 1024


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "deploy",
        help=messages.text("help.deploy"),
        description=messages.text("help.deploy_description"),
    )
    parser.add_argument("--to", dest="target", metavar="s3://BUCKET[/PREFIX]", help=messages.text("help.deploy_to"))
    parser.add_argument("--endpoint", help=messages.text("help.deploy_endpoint"))
    parser.add_argument("--region", help=messages.text("help.deploy_region"))
    parser.add_argument("--addressing", choices=("virtual", "path"), help=messages.text("help.deploy_addressing"))
    parser.add_argument("--output", default=str(ROOT / "output"), help=messages.text("help.deploy_output"))
    parser.add_argument("--dry-run", action="store_true", help=messages.text("help.deploy_dry_run"))
    parser.add_argument("--max-deletes", type=int, default=None, help=messages.text("help.deploy_max_deletes"))
    parser.add_argument("--force", action="store_true", help=messages.text("help.deploy_force"))
    parser.add_argument("--no-gzip", dest="gzip", action="store_false", default=None,
                        help=messages.text("help.deploy_no_gzip"))
    parser.add_argument("--settings", default=str(SETTINGS_FILE), help=messages.text("help.deploy_settings"))
    parser.set_defaults(func=run)


def load_settings(path):
    """The upper-case names a settings file defines (it runs as Pelican would run it:
    from the project folder, which ``publishconf.py`` imports ``pelicanconf`` from)."""
    path = Path(path).resolve()
    if not path.is_file():
        raise DeployError("deploy.no_settings", path=path)
    added = str(path.parent) not in sys.path
    if added:
        sys.path.insert(0, str(path.parent))
    try:
        names = runpy.run_path(str(path))
    finally:
        if added:
            sys.path.remove(str(path.parent))
    return {name: value for name, value in names.items() if name.isupper()}


def run(args):
    overrides = {"target": args.target, "endpoint": args.endpoint, "region": args.region,
                 "addressing": args.addressing, "max_deletes": args.max_deletes, "gzip": args.gzip,
                 "dry_run": args.dry_run, "force": args.force or None}
    return deploy_published_site(args.output, args.settings, out=sys.stdout, **overrides)


def deploy_published_site(output=ROOT / "output", settings=SETTINGS_FILE, out=None, **overrides):
    """Deploy ``output`` with the ``DEPLOY_*`` settings of ``settings`` (and ``overrides``:
    target, endpoint, region, addressing, max_deletes, gzip, dry_run, force, ...),
    printing in the editor's language to ``out`` (default stdout); the exit code (0, or
    1 with the reason printed)."""
    out = out or sys.stdout
    printer = Printer(out)
    try:
        options = options_from_settings(load_settings(settings), **overrides)
        deploy(output, options, report=printer)
    except DeployError as error:
        print(messages.text("deploy.failed", reason=str(error)), file=out)
        return 1
    except KeyboardInterrupt:
        print(messages.text("deploy.interrupted"), file=out)
        return 1
    except BrokenPipeError:  # the plan piped into `head` or a pager that was closed
        return 1
    return 0


def size(count):
    if count >= MB:
        return f"{count / MB:.1f} MB"
    if count >= KB:
        return f"{count / KB:.1f} KB"
    return f"{count} B"


class Printer:
    """Prints a deploy's events (:func:`newsroom.build.deploy.deploy`'s ``report``)."""

    def __init__(self, out):
        self.out = out
        self.tty = hasattr(out, "isatty") and out.isatty()
        self.last = 0.0
        self.last_tenth = -1
        self.options = None

    def say(self, message_id, **params):
        print(messages.text(message_id, **params), file=self.out, flush=True)

    def __call__(self, event, **data):
        getattr(self, f"on_{event}")(**data)

    def on_plan(self, plan, result):
        self.say("deploy.plan_target", target=result.target, site=result.site, files=plan.local_files,
                 size=size(plan.local_bytes))
        if result.skipped:
            shown = "、".join(result.skipped[:5]) + ("…" if len(result.skipped) > 5 else "")
            self.say("deploy.skipped", count=len(result.skipped), files=shown)
        uploads = [a for a in plan.actions if a.kind not in (COPY, HEADERS)]
        self.say("deploy.plan_summary", uploads=len(uploads), size=size(plan.bytes_to_send),
                 copies=plan.count(COPY), headers=plan.count(HEADERS), deletes=len(plan.deletes),
                 unchanged=plan.unchanged)
        if plan.retiring or plan.waiting:
            self.say("deploy.retired", count=len(plan.retiring) + len(plan.waiting))
        if plan.unknown:
            self.say("deploy.unknown_objects", count=len(plan.unknown), example=plan.unknown[0])
        if result.dry_run:
            self.print_actions(plan)

    def print_actions(self, plan):
        for name, actions in plan.groups:
            if not actions:
                continue
            self.say("deploy.dry_group", group=messages.text(f"deploy.group_{name}"), files=len(actions))
            for action in actions:
                headers = action.local.headers
                details = "；".join(part for part in (headers.content_type, headers.cache_control,
                                                      headers.content_encoding) if part)
                if action.kind == COPY:
                    self.say("deploy.dry_copy", path=action.path, source=action.source_key, details=details)
                elif action.kind == HEADERS:
                    self.say("deploy.dry_headers", path=action.path, details=details)
                else:
                    self.say("deploy.dry_upload", path=action.path, size=size(action.local.size),
                             reason=messages.text(f"deploy.reason_{action.reason}"), details=details)
        for delete in plan.deletes:
            self.say("deploy.dry_delete", path=delete.path, reason=messages.text(f"deploy.delete_{delete.reason}"))
        if not plan.actions and not plan.deletes:
            self.say("deploy.nothing_to_do")
        self.say("deploy.dry_end")

    def on_group(self, name, files, bytes):
        self.say("deploy.group", group=messages.text(f"deploy.group_{name}"), files=files, size=size(bytes))

    def on_progress(self, files, total_files, bytes, total_bytes):
        now = time.monotonic()
        tenth = files * 10 // max(total_files, 1)
        if self.tty:
            if now - self.last < 0.2 and files < total_files:
                return
            end = "\n" if files == total_files else ""
            print("\r" + messages.text("deploy.progress", files=files, total=total_files, size=size(bytes),
                                        total_size=size(total_bytes)), end=end, file=self.out, flush=True)
        else:
            if tenth == self.last_tenth and now - self.last < 15 and files < total_files:
                return
            self.say("deploy.progress", files=files, total=total_files, size=size(bytes), total_size=size(total_bytes))
        self.last, self.last_tenth = now, tenth

    def on_deletes(self, files):
        self.say("deploy.deleting", files=files)

    def on_website(self, status):
        self.say(f"deploy.website_{status}")

    def on_done(self, result):
        if result.dry_run:
            return
        plan = result.plan
        if not plan.changes_anything:
            self.say("deploy.up_to_date", target=result.target, seconds=f"{result.seconds:.1f}")
            return
        self.say("deploy.done", target=result.target, uploaded=result.uploaded, size=size(result.bytes_sent),
                 stored=size(result.stored_bytes), copied=result.copied, headers=result.headers_updated,
                 deleted=result.deleted, unchanged=plan.unchanged, seconds=f"{result.seconds:.1f}")


__all__ = ["DeployOptions", "deploy_published_site", "load_settings"]
