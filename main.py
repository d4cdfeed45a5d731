"""Start the desktop app, the same as the `drillapp` command with no arguments."""

import sys

from drillapp.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
