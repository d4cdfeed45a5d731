"""The after-action review in the window: the review editor (editor.py: header, objectives rated P/S/M/U,
findings with their corrective actions, sign-off, the AAR print-out, undo/redo of text and rating edits) and
the corrective-action tracker of the Reviews area (tracker.py). Every write goes through the operation runner."""
