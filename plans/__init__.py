"""The joint contingency plans shipped with drillapp, one YAML file per plan (docs/plan-format.md).

Installed as the package `drillapp_plans` so an installed app finds them with importlib.resources
(drillapp.paths.bundled_plan_files); `drillapp demo` imports them all into the demo port.
"""
