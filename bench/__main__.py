"""`python -m bench [NAME ...] [--repeat N]`: run benchmarks, print a table, save JSON results."""

import sys

from bench.runner import main

sys.exit(main())
