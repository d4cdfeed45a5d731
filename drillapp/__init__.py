"""drillapp: joint contingency plans, drills and the rapid-response team of a land border port.

The package root holds no Qt: `drillapp.ui` is the only layer that imports PySide6.
"""

__version__ = "0.1.0"
APP_NAME = "drillapp"
ORG_NAME = "drillapp"
