"""The run console: the screen a duty officer works in during a drill (and, later, an incident).

Split by feature: `window` composes the live console from the clock header, the checklist, the log panel, the
inject panel and the side panels (reports, contacts); `tabletop` and `projector` are the tabletop mode's
facilitator and second-screen views; `hot_wash` is the capture screen right after the end; `launch` starts or
reopens a run from the Drills area and the dashboard. The widgets that do not depend on the run being a drill
(checklist, log panel, contacts) take their words from their caller, so the incident console can reuse them.
"""
