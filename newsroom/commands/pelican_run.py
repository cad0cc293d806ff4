"""Run one Pelican build in this process with every logged error fatal, and report a
failure as one readable line instead of a traceback.

``python -m newsroom.commands.pelican_run SETTINGS CONTENT OUTPUT CACHE`` — used by
``newsroom build``, which runs it in a child process so that Pelican's logging is set
up before any plugin or newsroom module creates its logger.
"""

import logging
import sys


def main(argv):
    settings_file, content, output, cache = argv
    from pelican import Pelican
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

    init_logging(level=logging.WARNING, fatal="errors")
    settings = read_settings(settings_file, override={
        "PATH": content, "OUTPUT_PATH": output, "CACHE_PATH": cache,
    })
    try:
        Pelican(settings).run()
    except Exception as error:  # noqa: BLE001 — any failure: say what it was, publish nothing
        message = str(error).strip() or error.__class__.__name__
        print(f"newsroom build: {message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
