"""Contract tests of the BoardProjection, run against each backend.

The runner does not follow in the background here: each test applies the log
itself with `catch_up()`, so what the projection sees is deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select

from domain.member import Role
from domain.proposal import Status
from incubator.bootstrap import Services, bootstrap
from incubator.runner import ProjectionRunner
from incubator.settings import Settings
from projections import bulk
from projections.board import HOT_EPOCH, HOT_TENFOLD_S, BoardProjection, hot_score
from projections.queries import FORMER_MEMBER, PAGE_SIZE
from projections.schema import empty_projected_tables, save_member_profile
from projections.tables import PROJECTED_TABLES, proposals
from projections.tracking import TrackingConflictError, advance, position_of
from tests.campaign_scenario import campaign_history
from tests.helpers import category, submit
from tests.outcome_scenario import outcome_history
from tests.triage_scenario import triage_decisions


@pytest.fixture
def board(backend: Settings) -> Iterator[Services]:
    services = bootstrap(backend, follow=False)
    yield services
    services.close()


def ids(services: Services, **query: Any) -> list[UUID]:
    services.runner.catch_up()
    return [card.id for card in services.read_model.board(**query).cards]


def vote(services: Services, idea_id: UUID, times: int) -> None:
    for _ in range(times):
        services.app.cast_vote(idea_id, uuid4())


def test_rows_are_built_from_events(board: Services) -> None:
    category_id, author_id = category(board, "network"), uuid4()
    save_member_profile(board.writer, author_id, "Ada Lovelace")
    idea_id = board.app.submit_proposal("Faster guest wifi", "It is slow.", category_id,
                                        author_id).id
    vote(board, idea_id, 2)
    board.app.post_comment(idea_id, uuid4(), "Agreed.")

    assert board.runner.catch_up() == 5
    detail = board.read_model.proposal(idea_id)
    assert detail is not None
    assert (detail.title, detail.description, detail.author_name) == (
        "Faster guest wifi", "It is slow.", "Ada Lovelace")
    assert (detail.category_slug, detail.category_name) == ("network", "Network")
    assert (detail.status, detail.status_answer, detail.votes, detail.comments) == (
        Status.OPEN, "", 2, 1)
    assert [c.slug for c in board.read_model.categories()] == ["network"]
    assert board.read_model.position("board") == 5


def test_hot_score_formula() -> None:
    moment = HOT_EPOCH + timedelta(days=300)
    assert hot_score(1, HOT_EPOCH) == 0
    assert hot_score(0, moment) == hot_score(1, moment)
    a_week_later = moment + timedelta(seconds=HOT_TENFOLD_S)
    assert hot_score(10, moment) == pytest.approx(hot_score(1, a_week_later))
    assert hot_score(100, moment) == pytest.approx(hot_score(10, moment) + 1)


def stored_hot(services: Services) -> dict[UUID, float]:
    services.runner.catch_up()
    with services.writer.connect() as conn:
        rows = conn.execute(select(proposals)).all()
    for row in rows:
        assert row.hot == hot_score(row.votes, row.created_at)
    return {row.id: row.hot for row in rows}


def test_hot_ranks_more_votes_higher_at_about_the_same_age(board: Services) -> None:
    category_id = category(board)
    older, newer = submit(board, category_id), submit(board, category_id)
    hot = stored_hot(board)
    assert hot[newer] >= hot[older]  # equal when submitted within ~4.5 ms (7 decimals)

    vote(board, older, 2)

    hot = stored_hot(board)
    assert hot[older] == pytest.approx(hot[newer] + math.log10(2), abs=1e-3)
    assert ids(board, sort="hot") == [older, newer]


def test_top_and_new_sorts(board: Services) -> None:
    category_id = category(board)
    first, second, third, fourth = (submit(board, category_id) for _ in range(4))
    vote(board, second, 2)
    vote(board, third, 1)

    assert ids(board, sort="top") == [second, third, fourth, first]  # ties: newer first
    assert ids(board, sort="new") == [fourth, third, second, first]


def test_status_and_category_filters(board: Services) -> None:
    desk, network = category(board, "service-desk"), category(board, "network")
    open_desk, planned_desk, planned_network = (
        submit(board, desk), submit(board, desk), submit(board, network))
    for idea_id in (planned_desk, planned_network):
        board.app.change_status(idea_id, Status.PLANNED, uuid4(), "Next quarter.")

    assert ids(board, status=Status.OPEN) == [open_desk]
    assert set(ids(board, status=Status.PLANNED)) == {planned_desk, planned_network}
    assert set(ids(board, category_slug="service-desk")) == {open_desk, planned_desk}
    assert ids(board, status=Status.PLANNED, category_slug="network") == [planned_network]
    assert ids(board, status=Status.DONE) == []


def test_pagination(board: Services) -> None:
    category_id = category(board)
    submitted = {submit(board, category_id) for _ in range(2 * PAGE_SIZE + 5)}
    board.runner.catch_up()

    pages = [board.read_model.board(sort="new", page=n) for n in (1, 2, 3)]

    assert [(p.page, p.pages, p.total, len(p.cards)) for p in pages] == [
        (1, 3, 45, 20), (2, 3, 45, 20), (3, 3, 45, 5)]
    assert {card.id for p in pages for card in p.cards} == submitted
    assert board.read_model.board(page=9).page == 3  # out-of-range pages are clamped
    assert board.read_model.board(page=0).page == 1


def test_history_has_every_event_with_actor_names(board: Services) -> None:
    author, voter, admin, gone = uuid4(), uuid4(), uuid4(), uuid4()
    for member_id, name in [(author, "Ada"), (voter, "Grace"), (admin, "Linus")]:
        save_member_profile(board.writer, member_id, name)
    app = board.app
    idea_id = app.submit_proposal("Printers that work", "", category(board), author).id
    app.cast_vote(idea_id, voter)
    app.withdraw_vote(idea_id, voter)
    app.cast_vote(idea_id, voter)
    comment_id = app.post_comment(idea_id, gone, "Me too.").id
    app.edit_comment(comment_id, gone, "Me too, please.")
    app.change_status(idea_id, Status.DONE, admin, "Replaced them.")
    board.runner.catch_up()

    entries = board.read_model.history(idea_id)

    assert [(e.kind, e.actor_name, e.detail) for e in entries] == [
        ("submitted", "Ada", ""),
        ("voted", "Grace", ""),
        ("vote_withdrawn", "Grace", ""),
        ("voted", "Grace", ""),
        ("commented", FORMER_MEMBER, "Me too."),
        ("comment_edited", FORMER_MEMBER, "Me too, please."),
        ("status_changed", "Linus", "Done. Replaced them."),
    ]
    assert [e.position for e in entries] == sorted(e.position for e in entries)
    (comment,) = board.read_model.comments(idea_id)
    assert comment.author_name == FORMER_MEMBER


def test_a_member_without_profile_shows_as_former_member(board: Services) -> None:
    idea_id = submit(board, category(board))
    board.runner.catch_up()
    (card,) = board.read_model.board().cards
    assert card.author_name == FORMER_MEMBER
    detail = board.read_model.proposal(idea_id)
    assert detail is not None and detail.author_name == FORMER_MEMBER


def test_advancing_from_a_stale_position_is_refused(board: Services) -> None:
    submit(board, category(board))
    board.runner.catch_up()

    with pytest.raises(TrackingConflictError), board.writer.begin() as conn:
        advance(conn, "board", 0, 1)
    with board.writer.connect() as conn:
        assert position_of(conn, "board") == 2


class RacingApp:
    """The app as seen by a runner that loses a race: between its read of the log
    and its write, a rival runner applies the same page."""

    def __init__(self, services: Services, rival: ProjectionRunner) -> None:
        self.app, self.rival = services.app, rival
        self.mapper, self.recorder = services.app.mapper, self

    def select_notifications(self, **kwargs: Any) -> Any:
        page = self.app.recorder.select_notifications(**kwargs)
        self.rival.process_batch()
        return page


def test_a_page_applied_by_two_runners_counts_once(board: Services) -> None:
    idea_id = submit(board, category(board))
    board.runner.catch_up()
    vote(board, idea_id, 3)
    loser = ProjectionRunner(RacingApp(board, board.runner), board.writer,  # type: ignore[arg-type]
                             BoardProjection())

    with pytest.raises(TrackingConflictError):
        loser.process_batch()

    assert loser.catch_up() == 0
    detail = board.read_model.proposal(idea_id)
    assert detail is not None and detail.votes == 3
    assert len(board.read_model.history(idea_id)) == 4


def test_interleaved_runners_apply_each_event_once(board: Services) -> None:
    idea_id = submit(board, category(board))
    vote(board, idea_id, 10)
    runners = [ProjectionRunner(board.app, board.writer, BoardProjection(), batch_size=3)
               for _ in range(2)]

    processed = [runner.process_batch() for _ in range(5) for runner in runners]

    assert sum(processed) == 12
    detail = board.read_model.proposal(idea_id)
    assert detail is not None and detail.votes == 10
    assert len(board.read_model.history(idea_id)) == 11


def snapshot(services: Services) -> dict[str, list[tuple[Any, ...]]]:
    with services.writer.connect() as conn:
        return {
            table.name: [tuple(row) for row in conn.execute(
                select(table).order_by(*table.primary_key.columns))]
            for table in PROJECTED_TABLES
        }


def busy_history(services: Services) -> None:
    app, admin = services.app, uuid4()
    categories = [category(services, slug) for slug in ("service-desk", "network", "email")]
    ideas = [submit(services, categories[n % 3]) for n in range(6)]
    members = [uuid4() for _ in range(5)]
    for n, idea_id in enumerate(ideas):
        for member_id in members[: n + 1 if n < 5 else 2]:
            app.cast_vote(idea_id, member_id)
    app.withdraw_vote(ideas[4], members[0])
    app.withdraw_vote(ideas[4], members[1])
    app.cast_vote(ideas[4], members[0])
    posted = []
    for n, idea_id in enumerate(ideas[:4]):
        comment_id = app.post_comment(idea_id, members[n], f"Comment {n}").id
        posted.append(str(comment_id))
        if n % 2:
            app.edit_comment(comment_id, members[n], f"Comment {n}, edited")
    app.change_status(ideas[0], Status.UNDER_REVIEW, admin, "Looking.")
    app.change_status(ideas[0], Status.PLANNED, admin, "Next month.")
    app.change_status(ideas[1], Status.DECLINED, admin, "No budget.")
    app.cast_vote(ideas[2], uuid4())
    # Two clustering runs: the themes tables hold the second one only.
    for split in (3, 2):
        groups = [ideas[:split], ideas[split:]]
        app.record_clustering("test", {"split": split}, [
            {"theme_id": str(uuid4()), "label": f"theme {n}", "terms": ["a", "b"],
             "proposal_ids": [str(i) for i in g],
             "representatives": [str(g[0])]} for n, g in enumerate(groups)])
    triage_decisions(services, ideas)  # merges, moderation, theme decisions
    owner = app.register_member("local", "owner").id
    app.grant_role(owner, Role.OWNER, categories[0], admin)
    app.change_category(categories[1], "Wi-Fi and network", "Renamed by an admin", admin)
    app.grant_role(owner, Role.ADMIN, None, admin)
    app.revoke_role(owner, Role.ADMIN, None, admin)
    fresh = [submit(services, categories[1]) for _ in range(3)]
    outcome_history(services, fresh[:2], fresh[2], ideas[1])  # drafted ... withdrawn
    campaign_history(services, categories[0], owner)
    # Following and notification choices (projections/notifications.py).
    app.choose_notifications(members[0], {"reply": "email"}, digest=True)
    app.follow("idea", fresh[0], members[4])
    app.follow("idea", ideas[0], members[1], following=False)
    app.post_comment(fresh[0], members[0], "Followed and told.")
    # A last run, whose themes hold comments that propose something too.
    app.record_clustering("test", {"split": 4}, [
        {"theme_id": str(uuid4()), "label": "with comments", "terms": ["c"],
         "proposal_ids": [str(i) for i in ideas[:4]], "comment_ids": posted,
         "representatives": [str(ideas[0])]}])


def test_a_rebuild_gives_back_identical_rows(
        board: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    busy_history(board)
    board.runner.catch_up()
    before = snapshot(board)
    assert all(before.values()), "every projected table should have rows"

    # The last pass writes every insert the way a rebuild's big pages are written on
    # PostgreSQL (COPY, and through a temporary table where taken keys are skipped).
    for batch_size, copy_from_rows in ((1_000, bulk.COPY_FROM_ROWS), (7, bulk.COPY_FROM_ROWS),
                                       (7, 1)):
        monkeypatch.setattr(bulk, "COPY_FROM_ROWS", copy_from_rows)
        empty_projected_tables(board.writer, "board")
        assert not any(snapshot(board).values())
        runner = ProjectionRunner(board.app, board.writer, board.runner.projection,
                                  batch_size=batch_size)
        runner.catch_up()
        assert snapshot(board) == before, f"rebuild with pages of {batch_size}, " \
            f"COPY from {copy_from_rows} rows"
        assert board.read_model.position("board") == board.app.recorder.max_notification_id()


def test_emptying_for_a_rebuild_leaves_the_connections_settings_as_they_were(
        board: Services) -> None:
    """SQLite: the rebuild's mass delete skips zeroing freed pages (projections/schema.py);
    every later delete on a pooled connection zeroes them again, as it did before."""
    if board.settings.uses_postgres:
        pytest.skip("a SQLite setting")
    with board.writer.connect() as conn:
        before = conn.exec_driver_sql("PRAGMA secure_delete").scalar()
    empty_projected_tables(board.writer, "board")
    # The pool hands back the connection that emptied the tables.
    with board.writer.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == before
