import sys

from drillapp.cli import main

sys.exit(main())
