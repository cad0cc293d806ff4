import sys

from newsroom.cli import main

sys.exit(main())
