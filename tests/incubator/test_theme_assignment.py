"""New ideas join the nearest theme of the latest run as they arrive; people win."""

from __future__ import annotations

from uuid import UUID, uuid4

from incubator.bootstrap import Services
from incubator.theme_assignment import NewIdeaAssigner
from incubator.themes import run_clustering
from projections.schema import empty_projected_tables
from tests.helpers import category, event_names, settle
from tests.incubator.test_themes import HOURS, seed, theme_of_each_idea

NEAR_DUPLICATE = "Service desk should stay open until 7pm"
UNRELATED = "Vegan sushi on Fridays"


def themed_run(services: Services) -> tuple[dict[str, UUID], NewIdeaAssigner]:
    ids: dict[str, UUID] = seed(services)  # type: ignore[assignment]
    run_clustering(services.app)
    settle(services)
    return ids, NewIdeaAssigner(services.app, services.read_model)


def test_a_near_duplicate_joins_its_theme_and_an_unrelated_idea_stays_new(
        services: Services) -> None:
    ids, assigner = themed_run(services)
    desk = category(services, "more")
    near = services.app.submit_proposal(NEAR_DUPLICATE, "", desk, uuid4()).id
    new = services.app.submit_proposal(UNRELATED, "", desk, uuid4()).id
    assert assigner.assign_new() == 2
    settle(services)
    themes = theme_of_each_idea(services)
    assert themes[near] == themes[ids[HOURS[0]]]
    assert new not in themes  # "new": no theme until the next run or a person
    assert event_names(services)[-2:] == ["ThemeAssignment.Suggested"] * 2
    assert assigner.assign_new() == 0  # each idea once


def test_a_second_process_places_nothing_twice(services: Services) -> None:
    _, assigner = themed_run(services)
    desk = category(services, "more")
    services.app.submit_proposal(NEAR_DUPLICATE, "", desk, uuid4())
    assigner.assign_new()
    again = NewIdeaAssigner(services.app, services.read_model)  # e.g. after a restart
    again.assign_new()
    assert event_names(services).count("ThemeAssignment.Suggested") == 1


def test_a_person_s_decision_wins_over_the_model_s_placement(services: Services) -> None:
    ids, assigner = themed_run(services)
    desk, owner = category(services, "more"), uuid4()
    near = services.app.submit_proposal(NEAR_DUPLICATE, "", desk, uuid4()).id
    themes = theme_of_each_idea(services)
    hours = themes[ids[HOURS[0]]]
    other = next(theme for theme in themes.values() if theme != hours)
    services.app.move_suggestion(near, None, other, owner, "Belongs with support.")
    assigner.assign_new()  # the model would say "hours"
    settle(services)
    assert theme_of_each_idea(services)[near] == other


def test_a_rebuild_shows_the_same_placements(services: Services) -> None:
    _, assigner = themed_run(services)
    services.app.submit_proposal(NEAR_DUPLICATE, "", category(services, "more"), uuid4())
    assigner.assign_new()
    settle(services)
    before = theme_of_each_idea(services)
    empty_projected_tables(services.writer, services.runner.projection.name)
    services.runner.catch_up()
    assert theme_of_each_idea(services) == before


def test_the_next_run_places_new_ideas_itself(services: Services) -> None:
    _, assigner = themed_run(services)
    near = services.app.submit_proposal(NEAR_DUPLICATE, "", category(services, "more"),
                                        uuid4()).id
    run_clustering(services.app)
    settle(services)
    assert assigner.assign_new() == 0  # the new run holds it already
    assert near in theme_of_each_idea(services)


def test_a_placement_into_a_kept_confirmed_theme_survives_a_rebuild(
        services: Services) -> None:
    """A confirmed theme that the latest run dropped is still a theme: a new idea
    placed there shows the same whether the log is applied event by event or in one
    page (the placements are laid on after the decisions)."""
    from projections.theme_queries import theme_membership
    from tests.triage_scenario import record_run

    desk_category = category(services)
    ideas = [services.app.submit_proposal(f"Idea number {n} here", "", desk_category,
                                          uuid4()).id for n in range(6)]
    desk, wifi = uuid4(), uuid4()
    record_run(services, {desk: ("desk", ideas[:3]), wifi: ("wifi", ideas[3:])})
    services.app.confirm_theme(desk, uuid4(), "Desk hours", ideas[:3])
    record_run(services, {wifi: ("wifi", ideas)})
    settle(services)
    run_id, _ = theme_membership(services.read_model.engine)
    assert run_id is not None
    new = services.app.submit_proposal("Desk hours again", "", desk_category, uuid4()).id
    services.app.suggest_theme(run_id, new, desk, 0.9, "test")
    settle(services)
    assert theme_of_each_idea(services)[new] == desk
    empty_projected_tables(services.writer, services.runner.projection.name)
    services.runner.catch_up()
    assert theme_of_each_idea(services)[new] == desk
