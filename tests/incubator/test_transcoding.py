"""The faster decoder gives back exactly what the library's own decoder gives back."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import JSONTranscoder, Mapper

from incubator.bootstrap import bootstrap
from incubator.settings import Settings
from incubator.transcoding import uuid_from_hex


def test_uuids_are_the_ones_the_uuid_class_makes() -> None:
    for made in (uuid4(), UUID(int=0), UUID(int=2**128 - 1)):
        fast = uuid_from_hex(made.hex)
        assert fast == made and hash(fast) == hash(made) and str(fast) == str(made)
        assert fast.is_safe == made.is_safe and fast.version == made.version
        assert pickle.loads(pickle.dumps(fast)) == made
    text = str(uuid4())
    assert uuid_from_hex(text.upper()) == UUID(text)
    assert uuid_from_hex(text) == UUID(text)  # 36 characters: the UUID class decides
    for bad in ("", "xyz", "g" * 32):
        with pytest.raises(ValueError):
            uuid_from_hex(bad)


def test_every_demo_event_decodes_as_the_library_decodes_it(tmp_path: Path) -> None:
    services = bootstrap(Settings(data_dir=tmp_path / "data", demo=True), follow=True)
    try:
        stock = JSONTranscoder()
        services.app.register_transcodings(stock)
        library = Mapper(transcoder=stock)
        notifications = services.app.recorder.select_notifications(start=1, limit=100_000)
        kinds = set()
        for notification in notifications:
            ours = services.app.mapper.to_domain_event(notification)
            theirs = library.to_domain_event(notification)
            assert type(ours) is type(theirs)
            assert _typed(vars(ours)) == _typed(vars(theirs))
            kinds.add(type(ours).__qualname__)
        assert {"Vote.Cast", "Proposal.Submitted", "Comment.Posted",
                "ClusteringRun.Completed", "Outcome.Published"} <= kinds
    finally:
        services.close()


def _typed(value: Any) -> Any:
    """The value with the type of every part next to it (1 == 1.0 == True otherwise)."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_typed(item) for item in value]
    return (type(value), value)
