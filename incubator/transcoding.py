"""Decoding stored events faster, into the very objects the library's decoder makes.

A rebuild spent a third of its time decoding events, mostly making UUIDs: the
`UUID(hex)` constructor normalises its text in Python (~3 us), and the same few
thousand ideas and members come back in every page. Encoding is the library's own,
so the log stays readable by the stock `JSONTranscoder` (no migration).
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID, SafeUUID

from eventsourcing.persistence import JSONTranscoder

_new, _set, _UNKNOWN = object.__new__, object.__setattr__, SafeUUID.unknown
_known: dict[str, UUID] = {}
_KNOWN_AT_MOST = 100_000  # then the cache starts again: it only saves time


def uuid_from_hex(text: str) -> UUID:
    """`UUID(text)` for the 32 hex digits that `UUID.hex` writes (UUIDs are immutable,
    so equal ones can be shared); anything else goes to `UUID` itself."""
    found = _known.get(text)
    if found is not None:
        return found
    if len(text) != 32:
        return UUID(text)
    made = _new(UUID)
    _set(made, "int", int(text, 16))  # what UUID.__init__ sets, after the same int()
    _set(made, "is_safe", _UNKNOWN)
    if len(_known) >= _KNOWN_AT_MOST:
        _known.clear()
    _known[text] = made
    return made


class EventTranscoder(JSONTranscoder):
    """The library's JSON transcoder with a faster decoder for the same objects."""

    def __init__(self) -> None:
        super().__init__()
        self.decoder = json.JSONDecoder(object_hook=self._decode_fast)

    def _decode_fast(self, d: dict[str, Any]) -> Any:
        if len(d) == 2 and d.get("_type_") == "uuid_hex" and "_data_" in d:
            data = d["_data_"]
            assert isinstance(data, str)  # as the library's UUIDAsHex.decode checks
            return uuid_from_hex(data)
        return self._decode_obj(d)
