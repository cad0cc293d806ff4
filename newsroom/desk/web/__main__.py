"""``python -m newsroom.desk.web``: what ``make desk`` runs."""

import sys

from newsroom.desk.web.server import main, stop_on_signals

stop_on_signals()
sys.exit(main())
