"""`python -m nudger` runs the command line."""

import sys

from nudger.cli import main

sys.exit(main())
