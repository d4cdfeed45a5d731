"""Plain read models: frozen dataclasses the services fill and io, reports and the UI read.

They sit below services, io and reports (docs/architecture.md, "Layers"): they import only models' enums,
errors, i18n and clock, never a service, a session or Qt.
"""
