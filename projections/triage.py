"""Owners' and admins' decisions in the board's read model: merges, moderation, themes.

The handlers register on `BoardProjection.process_event`. What an event changes in
one row goes through the batch's `RowChanges` like every other event (statuses,
moderation rows, reports, history). What depends on rows already written (merge
trees, theme pins over the latest run) is deferred: `settle` applies it after the
batch's flush, in log order, then recounts the ideas whose merge tree changed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import singledispatch
from typing import Any, cast
from uuid import UUID

from sqlalchemy import Connection, delete, insert

from domain.clustering import ThemeAssignment
from domain.moderation import Moderation
from domain.proposal import Proposal, Status
from domain.theme import Theme
from projections import merges as merge_trees
from projections import theme_decisions
from projections.board import BoardProjection, _record, utc_naive
from projections.changes import RowChanges
from projections.tables import merges, moderation, proposals, reports, themes

Handler = Callable[..., None]


def _on(kind: type) -> Callable[[Handler], Handler]:
    """Register a handler of `kind` events on the board projection."""
    register: Any = BoardProjection.process_event.register  # type: ignore[attr-defined]
    decorator: Callable[[Handler], Handler] = register(kind)
    return decorator


# ---- Merges -------------------------------------------------------------------------

@_on(Proposal.MergedInto)
def _(self: BoardProjection, event: Proposal.MergedInto, position: int,
      changes: RowChanges) -> None:
    changes.update(proposals, event.originator_id, status=Status.MERGED.value,
                   updated_at=utc_naive(event.timestamp))
    _record(changes, position, event, event.originator_id, event.merged_by, "merged_into",
            event.reason)
    changes.defer(event, position)


@_on(Proposal.DuplicateMerged)
def _(self: BoardProjection, event: Proposal.DuplicateMerged, position: int,
      changes: RowChanges) -> None:
    _record(changes, position, event, event.originator_id, event.merged_by,
            "duplicate_merged", event.reason)


@_on(Proposal.MergeUndone)
def _(self: BoardProjection, event: Proposal.MergeUndone, position: int,
      changes: RowChanges) -> None:
    changes.update(proposals, event.originator_id, status=event.restored_status,
                   updated_at=utc_naive(event.timestamp))
    _record(changes, position, event, event.originator_id, event.undone_by, "merge_undone",
            event.reason)
    changes.defer(event, position)


@_on(Proposal.DuplicateUnmerged)
def _(self: BoardProjection, event: Proposal.DuplicateUnmerged, position: int,
      changes: RowChanges) -> None:
    _record(changes, position, event, event.originator_id, event.undone_by,
            "duplicate_unmerged", event.reason)


# ---- Moderation ---------------------------------------------------------------------

@_on(Moderation.Opened)
def _(self: BoardProjection, event: Moderation.Opened, position: int,
      changes: RowChanges) -> None:
    changes.insert(moderation, {
        "target_id": event.target_id, "kind": event.kind, "proposal_id": event.proposal_id,
        "author_id": event.author_id, "hidden": False, "decided_position": 0,
        "decided_by": None, "decided_at": None, "reason": ""})


@_on(Moderation.Reported)
def _(self: BoardProjection, event: Moderation.Reported, position: int,
      changes: RowChanges) -> None:
    # Not in the idea's public history: who reported what stays with the admins.
    changes.insert(reports, {"position": position, "target_id": event.target_id,
                             "reporter_id": event.reporter_id, "reason": event.reason,
                             "at": utc_naive(event.timestamp)})


@_on(Moderation.Hidden)
def _(self: BoardProjection, event: Moderation.Hidden, position: int,
      changes: RowChanges) -> None:
    _decide(event, position, changes, hidden=True)
    _record(changes, position, event, event.proposal_id, event.decided_by,
            f"{_kind(event)}_hidden", event.reason)


@_on(Moderation.Restored)
def _(self: BoardProjection, event: Moderation.Restored, position: int,
      changes: RowChanges) -> None:
    _decide(event, position, changes, hidden=False)
    _record(changes, position, event, event.proposal_id, event.decided_by,
            f"{_kind(event)}_restored", event.reason)


@_on(Moderation.Dismissed)
def _(self: BoardProjection, event: Moderation.Dismissed, position: int,
      changes: RowChanges) -> None:
    _decide(event, position, changes, hidden=False)


def _decide(event: Any, position: int, changes: RowChanges, hidden: bool) -> None:
    changes.update(moderation, event.target_id, hidden=hidden, decided_position=position,
                   decided_by=event.decided_by, decided_at=utc_naive(event.timestamp),
                   reason=event.reason)
    if event.target_id != event.proposal_id:
        changes.defer(event, position)  # the idea's comment count changes


def _kind(event: Any) -> str:
    return "idea" if event.target_id == event.proposal_id else "comment"


# ---- Themes ---------------------------------------------------------------------------

@_on(Theme.Event)
def _(self: BoardProjection, event: Theme.Event, position: int, changes: RowChanges) -> None:
    changes.defer(event, position)


@_on(Theme.SuggestionMovedIn)
def _(self: BoardProjection, event: Theme.SuggestionMovedIn, position: int,
      changes: RowChanges) -> None:
    changes.defer(event, position)
    _record(changes, position, event, event.proposal_id, event.moved_by, "theme_joined",
            event.note)


@_on(Theme.SuggestionMovedOut)
def _(self: BoardProjection, event: Theme.SuggestionMovedOut, position: int,
      changes: RowChanges) -> None:
    changes.defer(event, position)
    _record(changes, position, event, event.proposal_id, event.moved_by, "theme_left",
            event.note)


@_on(ThemeAssignment.Suggested)
def _(self: BoardProjection, event: ThemeAssignment.Suggested, position: int,
      changes: RowChanges) -> None:
    changes.defer(event, position)  # needs the run's rows, and people's pins


# ---- After the flush --------------------------------------------------------------------

def settle(conn: Connection, changes: RowChanges) -> None:
    """Apply the deferred decisions in log order, then recount what they touched."""
    affected: set[UUID] = set()
    theme_decided = themes in changes.cleared  # a new run: decisions go on top again
    placed = []
    for event, position in changes.deferred:
        if isinstance(event, Theme.Event):
            theme_decisions.apply_theme_decision(event, conn, position)
            theme_decided = True
        elif isinstance(event, ThemeAssignment.Suggested):
            placed.append(event)
        else:
            affected |= _apply(event, conn)
    if theme_decided:
        theme_decisions.reapply_theme_decisions(conn)
    # Last, over the batch's latest run and every theme it keeps, and only where no
    # person decided: the same rows whether the log is applied in one page or many.
    for event in placed:
        theme_decisions.apply_suggestion(event, conn)
    merge_trees.recount(conn, cast(set[UUID], changes.touched(proposals)) | affected, affected)


@singledispatch
def _apply(event: Any, conn: Connection) -> set[UUID]:
    """Moderation of a comment: its idea's comment count is recounted."""
    return {event.proposal_id}


@_apply.register
def _(event: Proposal.MergedInto, conn: Connection) -> set[UUID]:
    conn.execute(insert(merges).values(
        duplicate_id=event.originator_id, canonical_id=event.canonical_id,
        root_id=event.canonical_id, merged_by=event.merged_by,
        merged_at=utc_naive(event.timestamp), reason=event.reason))
    return {event.originator_id, event.canonical_id}


@_apply.register
def _(event: Proposal.MergeUndone, conn: Connection) -> set[UUID]:
    conn.execute(delete(merges).where(merges.c.duplicate_id == event.originator_id))
    return {event.originator_id, event.canonical_id}

