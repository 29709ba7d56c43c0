"""The handler for an event class, looked up once per class.

Calling a `singledispatchmethod` builds a bound wrapper on every call (with
`functools.update_wrapper`), and its registry's cache is a WeakKeyDictionary: for the
projections that skip most events (members, outcomes) that cost 8 % of a rebuild.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import singledispatchmethod

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
