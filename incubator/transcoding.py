"""Decoding stored events faster, into the very objects the library's decoder makes.

A rebuild spent a third of its time decoding events, mostly making UUIDs: the
`UUID(hex)` constructor normalises its text in Python (~3 us), and the same few
thousand ideas and members come back in every page. Encoding is the library's own,
so the log stays readable by the stock `JSONTranscoder` (no migration).
"""

from __future__ import annotations

import json
from typing import Any

from eventsourcing.persistence import JSONTranscoder

from projections.bulk import uuid_of

# `UUID(hex)` without its text handling, equal ones shared: the read model reads ids
# back the same way (projections/bulk.py), so both use one function and one cache.
uuid_from_hex = uuid_of


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
