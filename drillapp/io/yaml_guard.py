"""Composing YAML from an untrusted file without letting it blow up.

PyYAML's composer shares one node for every alias of an anchor, so a file of a few hundred bytes can describe
millions of sections once read (an "alias bomb"), and it recurses once per nesting level, so ``[[[[…]]]]``
ends in a RecursionError; and each value costs some hundred bytes of nodes and marks, so a 2 MB list of
a million tiny values takes over half a gigabyte. Plan files need none of that: `compose` refuses anchors,
aliases, deep nesting and more than `MAX_NODES` values, with the line where it happens, as it reads.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import Node

#: Deeper than any plan file needs (sections nest at most 6 deep: about 15 levels of YAML).
MAX_NESTING = 40
#: More values (keys included) than a plan at every limit of drillapp/io/plan_files.py holds (about 35,000).
MAX_NODES = 60_000


class YamlRefused(Exception):
    """A YAML construct plan files do not allow: `line` (1-based) and `kind` ("alias", "nesting", "size")."""

    def __init__(self, line: int, kind: str) -> None:
        super().__init__(f"line {line}: {kind}")
        self.line, self.kind = line, kind


class _GuardedLoader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            raise YamlRefused(event.start_mark.line + 1, "alias")
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise YamlRefused(event.start_mark.line + 1, "size")
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:
                raise YamlRefused(event.start_mark.line + 1, "nesting")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def compose(text: str) -> Node | None:
    """The node tree of one YAML document (None when empty); YamlRefused, or PyYAML's own errors."""
    loader = _GuardedLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()
