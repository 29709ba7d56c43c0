"""The handler for an event class, looked up once per class.

Calling a `singledispatchmethod` builds a bound wrapper on every call (with
`functools.update_wrapper`), and its registry's cache is a WeakKeyDictionary: for the
projections that skip most events (members, outcomes) that cost 8 % of a rebuild.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import singledispatchmethod
from typing import Any

Handler = Callable[..., None]


class Handlers:
    def __init__(self, owner: type, name: str = "process_event") -> None:
        method = vars(owner)[name]
        assert isinstance(method, singledispatchmethod)
        self._dispatch = method.dispatcher.dispatch
        self._cache: dict[type, Handler | None] = {}

    def of(self, kind: type) -> Handler | None:
        """The function registered for `kind` (call it with the projection as its first
        argument), or None when the projection skips such events."""
        try:
            return self._cache[kind]
        except KeyError:
            # Looked up at first use, after every module registered its handlers.
            found = self._dispatch(kind)
            handler = None if found is self._dispatch(object) else found
            self._cache[kind] = handler
            return handler

    def applicable(
        self, events: Sequence[tuple[Any, int]]
    ) -> list[tuple[Handler, Any, int]]:
        """(handler, event, position) for the events of a page that have a handler, in
        order. Looked up once per event class of the page, not once per event: the
        projections of rare events (members, outcomes, campaigns) skip a page of votes
        without a call per event (300,000 calls in a rebuild of 100,000 events)."""
        kinds = {kind: self.of(kind) for kind in {type(event) for event, _ in events}}
        if not any(kinds.values()):
            return []
        return [(handler, event, position) for event, position in events
                if (handler := kinds[type(event)]) is not None]
