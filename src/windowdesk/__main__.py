"""``python -m windowdesk``: the same command line as ``windowdesk`` (windowdesk/cli)."""

import sys

from windowdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
