"""``python -m newsroom schedule``: publish (and deploy) each article at its ``Date``.

Runs until stopped (Ctrl+C, or the service manager): publishes at once whatever is due
(catching up after a stop), then at each due time. ``--once`` publishes what is due now
and exits, for a systemd timer or cron entry (docs/scheduling.md). ``--no-deploy`` only
builds ``output/``. See :mod:`newsroom.desk.schedule`.
"""

import argparse
import signal
import sys
import threading
from pathlib import Path

from newsroom import messages
from newsroom.desk.schedule import POLL_SECONDS, Clock, Scheduler, schedule_lock

ROOT = Path(__file__).resolve().parents[3]


def seconds(text):
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(messages.text("schedule.bad_poll", value=repr(text)))
    return int(text)


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "schedule",
        help=messages.text("help.schedule"),
        description=messages.text("help.schedule_description"),
    )
    parser.add_argument("--content", default=str(ROOT / "content"), help=messages.text("help.content"))
    parser.add_argument("--output", default=str(ROOT / "output"), help=messages.text("help.output"))
    parser.add_argument("--once", action="store_true", help=messages.text("help.schedule_once"))
    parser.add_argument("--no-deploy", dest="deploy", action="store_false",
                        help=messages.text("help.schedule_no_deploy"))
    parser.add_argument("--poll", type=seconds, default=POLL_SECONDS,
                        help=messages.text("help.schedule_poll", seconds=POLL_SECONDS))
    parser.set_defaults(func=run)


def deployer(enabled, out=None):
    """The deploy that follows a publish: :func:`~newsroom.desk.commands.deploy_cmd.deploy_published_site`
    with publishconf.py's ``DEPLOY_*`` settings; None (only ``output/`` is built) with
    ``--no-deploy`` or when no ``DEPLOY_TARGET`` is set, which is said once."""
    if not enabled:
        return None
    from newsroom.build.deploy_files import DeployError
    from newsroom.desk.commands.deploy_cmd import SETTINGS_FILE, deploy_published_site, load_settings

    out = out or sys.stdout
    try:
        target = load_settings(SETTINGS_FILE).get("DEPLOY_TARGET")
    except DeployError as error:
        print(messages.text("deploy.failed", reason=str(error)), file=out, flush=True)
        return None
    if not target:
        print(messages.text("schedule.no_deploy_target", settings=SETTINGS_FILE), file=out, flush=True)
        return None
    return lambda output: deploy_published_site(output, SETTINGS_FILE, out=out)


def run(args):
    lock = schedule_lock(args.output)  # held until this process ends
    if lock is None:
        print(messages.text("schedule.already_running", output=args.output), file=sys.stderr, flush=True)
        return 1
    scheduler = Scheduler(args.content, args.output, Clock(), deploy=deployer(args.deploy), poll=args.poll)
    if args.once:
        now = scheduler.clock.now()
        return 0 if scheduler.publish_and_deploy(now, force_deploy=True) else 1
    stop = threading.Event()

    def stop_now(signum, frame):  # the service manager stops it with SIGTERM
        stop.set()

    signal.signal(signal.SIGTERM, stop_now)
    try:
        scheduler.run(stop)
    except KeyboardInterrupt:
        scheduler.say("schedule.stopped")
    return 0
