"""People's theme decisions laid over the latest clustering run's suggestion.

`rm_themes` / `rm_theme_members` hold the latest run as the model suggested it
(projections/board.py). After every batch with a run or a theme decision, the
decisions are laid on top again: each idea's latest move wins over the run, a
confirmed theme keeps its ideas and its label even if the run no longer has it,
and a confirmed or renamed label replaces the model's.
"""

from __future__ import annotations

from functools import singledispatch
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from domain.theme import Theme
from projections.board import utc_naive
from projections.tables import theme_decisions, theme_members, theme_pins, themes

NO_RUN = UUID(int=0)


@singledispatch
def apply_theme_decision(event: Any, conn: Connection, position: int) -> None:
    raise TypeError(f"No theme decision handler for {type(event).__name__}")


@apply_theme_decision.register
def _(event: Theme.Adopted, conn: Connection, position: int) -> None:
    conn.execute(insert(theme_decisions).values(
        theme_id=event.originator_id, label=None, confirmed=False, decided_by=None,
        decided_at=None))


@apply_theme_decision.register
def _(event: Theme.Confirmed, conn: Connection, position: int) -> None:
    _decided(conn, event, event.confirmed_by, label=event.label, confirmed=True)
    for proposal_id in event.proposal_ids:
        _pin(conn, proposal_id, event.originator_id, event.confirmed_by, position)


@apply_theme_decision.register
def _(event: Theme.Renamed, conn: Connection, position: int) -> None:
    _decided(conn, event, event.renamed_by, label=event.label)


@apply_theme_decision.register
def _(event: Theme.SuggestionMovedIn, conn: Connection, position: int) -> None:
    _pin(conn, event.proposal_id, event.originator_id, event.moved_by, position)


@apply_theme_decision.register
def _(event: Theme.SuggestionMovedOut, conn: Connection, position: int) -> None:
    _pin(conn, event.proposal_id, None, event.moved_by, position)


def _decided(conn: Connection, event: Any, by: UUID, **values: Any) -> None:
    conn.execute(update(theme_decisions).where(theme_decisions.c.theme_id == event.originator_id)
                 .values(decided_by=by, decided_at=utc_naive(event.timestamp), **values))


def _pin(conn: Connection, proposal_id: UUID, theme_id: UUID | None, by: UUID,
         position: int) -> None:
    conn.execute(delete(theme_pins).where(theme_pins.c.proposal_id == proposal_id))
    conn.execute(insert(theme_pins).values(proposal_id=proposal_id, theme_id=theme_id,
                                           pinned_by=by, position=position))


def apply_suggestion(event: Any, conn: Connection) -> None:
    """A new idea placed by the latest run's model (domain/clustering.py
    `ThemeAssignment`): shown in its theme unless a person decided about the idea, or
    the run it extends was replaced meanwhile (the next run places the idea itself)."""
    if event.theme_id is None:
        return  # nothing close: the idea stays new, unthemed
    theme = conn.execute(select(themes.c.run_id).where(themes.c.id == event.theme_id)).first()
    pinned = conn.execute(select(theme_pins.c.proposal_id)
                          .where(theme_pins.c.proposal_id == event.proposal_id)).first()
    if theme is None or theme.run_id != event.run_id or pinned is not None:
        return
    conn.execute(delete(theme_members).where(theme_members.c.proposal_id == event.proposal_id))
    conn.execute(insert(theme_members).values(proposal_id=event.proposal_id,
                                              theme_id=event.theme_id))


def reapply_theme_decisions(conn: Connection) -> None:
    pins = conn.execute(select(theme_pins.c.proposal_id, theme_pins.c.theme_id)).all()
    if pins:
        conn.execute(delete(theme_members).where(theme_members.c.proposal_id == bindparam("b_id")),
                     [{"b_id": pin.proposal_id} for pin in pins])
        placed = [{"proposal_id": pin.proposal_id, "theme_id": pin.theme_id}
                  for pin in pins if pin.theme_id is not None]
        if placed:
            conn.execute(insert(theme_members), placed)
    _keep_confirmed_themes(conn, {pin.theme_id: pin.proposal_id for pin in pins})
    labelled = conn.execute(select(theme_decisions.c.theme_id, theme_decisions.c.label)
                            .where(theme_decisions.c.label.is_not(None))).all()
    if labelled:
        conn.execute(update(themes).where(themes.c.id == bindparam("b_id"))
                     .values(label=bindparam("b_label")),
                     [{"b_id": row.theme_id, "b_label": row.label} for row in labelled])


def _keep_confirmed_themes(conn: Connection, a_pinned_idea: dict[UUID | None, UUID]) -> None:
    """A confirmed theme that the latest run did not continue stays, with its ideas."""
    present = {row.id: row.run_id for row in conn.execute(select(themes.c.id, themes.c.run_id))}
    run_id = next(iter(present.values()), NO_RUN)
    missing = conn.execute(
        select(theme_decisions.c.theme_id, theme_decisions.c.label)
        .where(theme_decisions.c.confirmed, theme_decisions.c.theme_id.not_in(list(present)))
    ).all()
    rows = [{"id": row.theme_id, "run_id": run_id, "label": row.label, "terms": "",
             "representatives": str(a_pinned_idea.get(row.theme_id, ""))} for row in missing]
    if rows:
        conn.execute(insert(themes), rows)
