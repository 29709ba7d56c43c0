"""Owners' decisions about a theme the model suggested.

A clustering run only suggests themes (domain/clustering.py); a `Theme` aggregate,
with the same id as the suggested theme (ids continue across runs), records what
people decided about it, and those decisions win over every later run:

- confirming pins the ideas the owner saw in the theme and freezes its label;
- renaming replaces the label;
- moving an idea into this theme (from another, or from none) or out of it pins
  the idea there, or to no theme at all.

The read model applies the latest decision per idea over the latest run's
suggestion (projections/themes_triage.py), so a re-run can add ideas to a theme
but never undo what a person decided.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.decision import InvalidDecisionError, check_reason

LABEL_MAX = 200
NOTE_MAX = 1_000


class Theme(Aggregate):
    class Adopted(Aggregate.Created):
        """The first human decision about a suggested theme opens its record."""

        theme_id: UUID

    class Confirmed(Aggregate.Event):
        confirmed_by: UUID
        label: str
        proposal_ids: list[UUID]

    class Renamed(Aggregate.Event):
        renamed_by: UUID
        label: str

    class SuggestionMovedIn(Aggregate.Event):
        proposal_id: UUID
        from_theme_id: UUID | None
        moved_by: UUID
        note: str

    class SuggestionMovedOut(Aggregate.Event):
        """Out of this theme into none: the idea stays unthemed until moved again."""

        proposal_id: UUID
        moved_by: UUID
        note: str

    @event(Adopted)
    def __init__(self, theme_id: UUID) -> None:
        self.label = ""  # the model's label until someone confirms or renames
        self.confirmed = False

    @staticmethod
    def create_id(theme_id: UUID, **_: Any) -> UUID:
        # The aggregate continues the suggested theme, so it takes its id.
        return theme_id

    @classmethod
    def adopt(cls, theme_id: UUID) -> Theme:
        return cls(theme_id=theme_id)

    def confirm(self, confirmed_by: UUID, label: str, proposal_ids: list[UUID]) -> None:
        """`label` and `proposal_ids`: what the owner saw and confirms."""
        if self.confirmed:
            raise ThemeDecisionError("This theme is already confirmed.")
        if not proposal_ids:
            raise ThemeDecisionError("A theme is confirmed with the ideas it holds; it has none.")
        label = _label(label)
        self._confirm(confirmed_by, label, list(dict.fromkeys(proposal_ids)))

    def rename(self, renamed_by: UUID, label: str) -> None:
        label = _label(label)
        if label == self.label:
            raise ThemeDecisionError("The theme already has this name.")
        self._rename(renamed_by, label)

    def move_in(self, proposal_id: UUID, from_theme_id: UUID | None, moved_by: UUID,
                note: str = "") -> None:
        if from_theme_id == self.id:
            raise ThemeDecisionError("The idea is already in this theme.")
        self._move_in(proposal_id, from_theme_id, moved_by, _note(note))

    def move_out(self, proposal_id: UUID, moved_by: UUID, note: str = "") -> None:
        self._move_out(proposal_id, moved_by, _note(note))

    @event(Confirmed)
    def _confirm(self, confirmed_by: UUID, label: str, proposal_ids: list[UUID]) -> None:
        self.confirmed, self.label = True, label

    @event(Renamed)
    def _rename(self, renamed_by: UUID, label: str) -> None:
        self.label = label

    @event(SuggestionMovedIn)
    def _move_in(self, proposal_id: UUID, from_theme_id: UUID | None, moved_by: UUID,
                 note: str) -> None:
        pass

    @event(SuggestionMovedOut)
    def _move_out(self, proposal_id: UUID, moved_by: UUID, note: str) -> None:
        pass


def _label(text: str) -> str:
    try:
        return check_reason(text, "A theme name", maximum=LABEL_MAX)
    except InvalidDecisionError as invalid:
        raise ThemeDecisionError(str(invalid)) from None


def _note(text: str) -> str:
    if not text.strip():
        return ""  # a move explains itself; a note is optional
    try:
        return check_reason(text, "A note", maximum=NOTE_MAX)
    except InvalidDecisionError as invalid:
        raise ThemeDecisionError(str(invalid)) from None


class ThemeDecisionError(ValueError):
    pass
