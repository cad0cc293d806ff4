import sys

from newsroom.desk.cli import main

sys.exit(main())
