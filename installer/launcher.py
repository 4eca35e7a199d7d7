"""Entry point of the frozen client (PyInstaller runs a script, not a console_scripts entry)."""

import sys

from windowdesk.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
