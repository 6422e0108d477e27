"""`python -m bargaincheck ...` runs the command line (same as the `bargaincheck` script)."""

import sys

from .checkers.cli import main

sys.exit(main())
