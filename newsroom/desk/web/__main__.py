"""``python -m newsroom.desk.web``: what ``make desk`` runs."""

import sys

from newsroom.desk.web.server import main

sys.exit(main())
