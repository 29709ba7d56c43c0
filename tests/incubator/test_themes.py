"""The theme job: every idea lands in exactly one theme; a new run replaces the last."""

from __future__ import annotations

from uuid import uuid4

import pytest
from sqlalchemy import func, select

from incubator.bootstrap import Services
from incubator.demo import seed_demo
from incubator.demo_data import IDEAS
from incubator.themes import NotEnoughIdeasError, run_clustering
from projections.tables import theme_members, themes
from tests.helpers import category, event_names, settle

HOURS = ["Service desk should stay open until 6pm", "Extend helpdesk hours into the evening",
         "can IT support be reachable after 5?", "Later opening hours for IT support, please"]


def seed(services: Services) -> dict[str, object]:
    desk = category(services)
    titles = HOURS + [title for _, title, _ in IDEAS[:56]]
    ids = {t: services.app.submit_proposal(t, "", desk, uuid4()).id for t in dict.fromkeys(titles)}
    return ids


def test_a_run_groups_every_idea_once_and_is_recorded(services: Services) -> None:
    ids = seed(services)
    written = run_clustering(services.app)
    settle(services)
    assert event_names(services)[-1] == "ClusteringRun.Completed"
    ranked = services.read_model.themes()
    assert 3 <= len(ranked) < len(ids)
    assert sum(theme.ideas for theme in ranked) == len(ids)
    with services.writer.connect() as conn:
        members = {row.proposal_id: row.theme_id for row in conn.execute(
            select(theme_members.c.proposal_id, theme_members.c.theme_id))}
        runs = set(conn.execute(select(themes.c.run_id)).scalars())
    assert runs == {written.id}
    # Worded alike, grouped alike (the model splits "service desk" from "IT support").
    assert members[ids[HOURS[0]]] == members[ids[HOURS[1]]]
    assert members[ids[HOURS[2]]] == members[ids[HOURS[3]]]
    assert all(theme.label and theme.quotes for theme in ranked)


def test_a_new_run_replaces_the_themes_of_the_last(services: Services) -> None:
    seed(services)
    run_clustering(services.app, granularity=2.0)
    second = run_clustering(services.app)
    settle(services)
    with services.writer.connect() as conn:
        assert set(conn.execute(select(themes.c.run_id)).scalars()) == {second.id}
        count = conn.execute(select(func.count()).select_from(themes)).scalar_one()
    assert count == len(services.read_model.themes())


def test_too_few_ideas_make_no_themes(services: Services) -> None:
    desk = category(services)
    services.app.submit_proposal("Only one idea so far", "", desk, uuid4())
    with pytest.raises(NotEnoughIdeasError, match="at least 10 ideas"):
        run_clustering(services.app)


def test_themes_keep_their_ids_across_runs(services: Services) -> None:
    ids = seed(services)
    first = run_clustering(services.app)
    settle(services)
    before = theme_of_each_idea(services)
    second = run_clustering(services.app)
    settle(services)
    assert first.id != second.id
    assert theme_of_each_idea(services) == before
    assert len(before) == len(ids)


def test_a_few_new_ideas_keep_the_grain_and_most_ids(services: Services) -> None:
    seed_demo(services)  # 239 ideas; its seeding ends with a clustering run
    settle(services)
    before, count = theme_of_each_idea(services), len(services.read_model.themes())
    desk = category(services, "suggestions")
    for title in ("Keep the service desk open until 7pm", "Guest wifi code lasts one day"):
        services.app.submit_proposal(title, "", desk, uuid4())
    run_clustering(services.app)
    settle(services)
    after = theme_of_each_idea(services)
    assert len(services.read_model.themes()) == count
    kept = sum(after[idea] == theme for idea, theme in before.items())
    # Measured: 174 of 239 (73 %); 125 (52 %) when k was chosen afresh every run.
    assert kept >= 0.7 * len(before), f"only {kept} of {len(before)} ideas kept their theme"


def test_finer_themes_on_request(services: Services) -> None:
    seed(services)
    run_clustering(services.app)
    settle(services)
    count = len(services.read_model.themes())
    run_clustering(services.app, granularity=2.0)
    settle(services)
    assert len(services.read_model.themes()) == 2 * count


def theme_of_each_idea(services: Services) -> dict[object, object]:
    with services.writer.connect() as conn:
        return {row.proposal_id: row.theme_id for row in conn.execute(
            select(theme_members.c.proposal_id, theme_members.c.theme_id))}


def test_people_s_decisions_survive_the_model_s_next_run(services: Services) -> None:
    """Confirm and rename a theme, move an idea into it: a finer re-run reshuffles the
    model's themes, but the name and every decided idea stay where people put them."""
    seed(services)
    run_clustering(services.app)
    settle(services)
    read, owner = services.read_model, uuid4()
    ranked = read.themes()
    chosen, other = ranked[0], ranked[1]
    confirmed = list(read.theme_members(chosen.id))
    moved = read.theme_members(other.id)[0]
    services.app.confirm_theme(chosen.id, owner, chosen.label, confirmed)
    services.app.rename_theme(chosen.id, owner, "Renamed by the owner")
    services.app.move_suggestion(moved, other.id, chosen.id, owner, "Belongs here.")

    run_clustering(services.app, granularity=2.0)
    settle(services)

    labels = {theme.id: theme.label for theme in read.themes()}
    assert labels[chosen.id] == "Renamed by the owner"
    assert set(read.theme_members(chosen.id)) >= {*confirmed, moved}
    assert theme_of_each_idea(services)[moved] == chosen.id
