"""Plan files: one joint contingency plan (one version of it) as a human-editable YAML text file.

What the rest of the app imports; the parts live in plan_file_model.py (the dataclasses, the limits and the
error), plan_file_reader.py and plan_file_writer.py.

The format is described in docs/plan-format.md (JSON Schema: docs/plan-format.schema.json). This module
is plain Python (no Qt, no database):

- `read_plan_file(path)` / `parse_plan_text(text, source)` parse and validate a file into a `PlanFile`
  (frozen dataclasses). Every problem raises `PlanFileError` naming the file, the line (1-based) and the
  field path (``actions[3].target_minutes``; list indexes count from 0). The YAML is composed into nodes
  (PyYAML's SafeLoader) and read node by node, so each value keeps its line, and a key given twice in
  one mapping is an error rather than silently the last one.
- `dump_plan_file(plan)` writes a `PlanFile` back as YAML text: stable key order, block style, Chinese
  as it is, multi-line texts as literal blocks (``|``). `plan_file_from_doc(doc)` turns a stored plan
  version (a `PlanDoc`) into a `PlanFile`, so an export is `dump_plan_file(plan_file_from_doc(doc))`.

Texts lose their surrounding whitespace on reading (and are written stripped), nothing else changes:
parsing what `dump_plan_file` wrote gives back an equal `PlanFile`.

A plan file may come from anywhere, so reading it is bounded: the file's size, the number of sections,
levels, actions, matrix entries, contacts and resources, every text's length, and the dates are capped
(`MAX_*`, `FIRST_DAY`..`LAST_DAY`); YAML anchors, aliases and deep nesting are refused while composing
(drillapp/io/yaml_guard.py); text the database cannot store (a lone surrogate, NUL) is refused by field.
"""


from drillapp.io.plan_file_model import (
    APPROVED_STATES,
    COLOUR,
    FIRST_DAY,
    LAST_DAY,
    LINEAGE,
    MAX_ACTIONS,
    MAX_CODE,
    MAX_CONTACTS,
    MAX_FILE_BYTES,
    MAX_KIND,
    MAX_LEVEL_NAME,
    MAX_LEVELS,
    MAX_LOCATION,
    MAX_LONG_TEXT,
    MAX_MATRIX,
    MAX_MINUTES,
    MAX_NAME,
    MAX_PHONE,
    MAX_POST,
    MAX_RESOURCES,
    MAX_SECTION_DEPTH,
    MAX_SECTIONS,
    MAX_TITLE,
    ROMAN,
    WRITTEN_ZONE,
    ActionFile,
    ContactFile,
    E,
    LevelFile,
    MatrixFile,
    PlanFile,
    PlanFileError,
    ResourceFile,
    SectionFile,
    VersionFile,
)
from drillapp.io.plan_file_reader import parse_plan_text, read_plan_file
from drillapp.io.plan_file_writer import dump_plan_file, export_text, plan_file_data, plan_file_from_doc

__all__ = [
    "APPROVED_STATES",
    "ActionFile",
    "COLOUR",
    "ContactFile",
    "E",
    "FIRST_DAY",
    "LAST_DAY",
    "LINEAGE",
    "LevelFile",
    "MAX_ACTIONS",
    "MAX_CODE",
    "MAX_CONTACTS",
    "MAX_FILE_BYTES",
    "MAX_KIND",
    "MAX_LEVELS",
    "MAX_LEVEL_NAME",
    "MAX_LOCATION",
    "MAX_LONG_TEXT",
    "MAX_MATRIX",
    "MAX_MINUTES",
    "MAX_NAME",
    "MAX_PHONE",
    "MAX_POST",
    "MAX_RESOURCES",
    "MAX_SECTIONS",
    "MAX_SECTION_DEPTH",
    "MAX_TITLE",
    "MatrixFile",
    "PlanFile",
    "PlanFileError",
    "ROMAN",
    "ResourceFile",
    "SectionFile",
    "VersionFile",
    "WRITTEN_ZONE",
    "dump_plan_file",
    "export_text",
    "parse_plan_text",
    "plan_file_data",
    "plan_file_from_doc",
    "read_plan_file",
]
