"""drillapp: joint contingency plans, drills and the rapid-response team of a land border port.

The package root holds no Qt: `drillapp.ui` is the only layer that imports PySide6.
"""

from drillapp import proc_clock as _proc_clock  # noqa: F401  (first: the start-up clock)

__version__ = "0.1.0"
APP_NAME = "drillapp"
ORG_NAME = "drillapp"
