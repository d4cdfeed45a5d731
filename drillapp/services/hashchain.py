"""Hash chains: a record's canonical bytes and the SHA-256 link that ties it to everything before it.

Shared by the sealed audit trail (services/audit_seal.py) and, later, the drill and incident logs. A chain
starts from a genesis hash named after what it chains, so two chains never share a link; each link is
SHA-256 over the previous link and the record's canonical form. Changing, removing or reordering any
record changes every link after it.

The canonical form is JSON with sorted keys, no spaces, ASCII only (non-ASCII escaped: the bytes do not
depend on the database's encoding, and text that is not valid UTF-8 still serialises), datetimes as ISO
8601 with microseconds. Keep it stable: a change here breaks every chain already stored.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any

HASH_LENGTH = 64  # hex digits of SHA-256


def genesis(label: str) -> str:
    """The hash a chain starts from (the 'previous link' of its first record)."""
    return hashlib.sha256(f"drillapp hash chain: {label}".encode()).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"cannot chain a value of type {type(value).__name__}")


def canonical(record: Mapping[str, Any]) -> bytes:
    """The record's bytes as hashed: the same for the same values, whichever database they came from."""
    return json.dumps(
        _plain(record), sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    ).encode("ascii")


def link(previous: str, payload: bytes) -> str:
    """The link after `previous` for a record whose canonical bytes are `payload`."""
    digest = hashlib.sha256(previous.encode("ascii"))
    digest.update(b"\n")
    digest.update(payload)
    return digest.hexdigest()


def chain(previous: str, payloads: Iterable[bytes]) -> Iterator[str]:
    """The links of several records in order, starting after `previous`."""
    for payload in payloads:
        previous = link(previous, payload)
        yield previous


def first_break(previous: str, records: Iterable[tuple[Any, bytes | None, str]]) -> tuple[Any, str, int]:
    """Walk stored links: `records` are (key, canonical bytes or None when the record is gone, stored link).

    Returns (the key of the first record whose stored link does not follow, or None when all do; the last
    link that did follow; how many did). Feed the returned link back in to go on with the next batch.
    """
    good = 0
    for key, payload, stored in records:
        if payload is None or link(previous, payload) != stored:
            return key, previous, good
        previous = stored
        good += 1
    return None, previous, good
