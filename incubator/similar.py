"""The similar-ideas lookup, kept in step with the event log.

It follows `Proposal.Submitted` events by log position in memory, and catches up
before every lookup, so an idea is findable the moment it is saved, whichever
process saved it. The first lookup (or `warm_up`) fits the vocabulary on every
idea so far; later ideas are added one by one, with a refit when the index has
doubled since the last fit.
"""

from __future__ import annotations

import threading
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.application import Application

from incubator.ideas_log import submissions
from ml.lookup import SemanticSimilarIdeas, SimilarIdeas, similar_ideas


class Lookup(NamedTuple):
    matches: list[tuple[UUID, float]]
    looks_new: bool


class SimilarIdeasIndex:
    def __init__(self, app: Application[Any], backend: str = "tfidf") -> None:
        self.app = app
        self.backend = backend
        self.position = 0
        self.texts: dict[UUID, str] = {}
        self.model: SimilarIdeas | SemanticSimilarIdeas | None = None
        self._lock = threading.Lock()
        self._warming: threading.Thread | None = None

    def similar(self, text: str, k: int = 5) -> Lookup:
        with self._lock:
            self._catch_up()
            if self.model is None:
                return Lookup([], True)
            matches = [(UUID(str(idea)), score) for idea, score in self.model.query(text, k)]
            return Lookup(matches, self.model.looks_new(matches))

    def warm_up(self) -> None:
        """Fit in the background, so the first person typing doesn't wait for it."""
        self._warming = threading.Thread(target=self._catch_up_locked, daemon=True)
        self._warming.start()

    def close(self) -> None:
        if self._warming is not None:
            self._warming.join()

    def _catch_up_locked(self) -> None:
        with self._lock:
            self._catch_up()

    def _catch_up(self) -> None:
        head = self.app.recorder.max_notification_id() or 0
        new = {event.originator_id: event.title
               for event in submissions(self.app, self.position, head)}
        self.position = head
        self.texts.update(new)
        if self.model is None or self.model.needs_refit():
            if self.texts:
                self.model = similar_ideas(self.backend).fit(list(self.texts.values()),
                                                             list(self.texts))
        else:
            for idea, text in new.items():
                self.model.add(text, idea)
