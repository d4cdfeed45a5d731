"""How long a password must be: asked by the first-start and password dialogs before the services are imported."""

MIN_PASSWORD = 8
