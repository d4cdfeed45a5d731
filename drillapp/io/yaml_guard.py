"""Composing YAML from an untrusted file without letting it blow up.

PyYAML's composer shares one node for every alias of an anchor, so a file of a few hundred bytes can describe
millions of sections once read (an "alias bomb"), and it recurses once per nesting level, so ``[[[[…]]]]``
ends in a RecursionError. Plan files need neither anchors nor deep nesting: `compose` refuses both, with the
line where they start, before anything is expanded.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import Node

#: Deeper than any plan file needs (sections nest at most 6 deep: about 15 levels of YAML).
MAX_NESTING = 40


class YamlRefused(Exception):
    """A YAML construct plan files do not allow: `line` (1-based) and `kind` ("alias" or "nesting")."""

    def __init__(self, line: int, kind: str) -> None:
        super().__init__(f"line {line}: {kind}")
        self.line, self.kind = line, kind


class _GuardedLoader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            raise YamlRefused(event.start_mark.line + 1, "alias")
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
