"""The Plans area: the plan editor (with undo/redo), the version comparison, printing."""
