"""The Drills area's views: the calendar (month, week, agenda, year), the drill designer, the coverage matrix,
the proposed programme and the print-outs. Every write goes through the runner (ui/operations.py)."""
