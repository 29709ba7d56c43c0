"""The triage inbox: ranked themes; confirm, rename, move an idea out or into another."""

from __future__ import annotations

from uuid import UUID, uuid4

from domain.member import COMMAND_LINE, Role
from incubator.themes import run_clustering
from tests.web.conftest import World

HTMX = {"HX-Request": "true"}
TITLES = ["Service desk should stay open until 6pm", "Extend helpdesk hours into the evening",
          "Later opening hours for IT support", "Guest Wi-Fi password changes too often",
          "Daily guest wifi code is a pain", "Guest wifi password expires every day",
          "Printer on the third floor always jams", "Third floor printer jammed again",
          "Printer jams on floor three", "Dark mode for the intranet",
          "Intranet search never finds policies", "Book meeting rooms from the calendar"]


def themed(world: World) -> list[UUID]:
    """Bob owns Wi-Fi (every idea here), Cleo is an admin; the ideas are clustered."""
    app = world.services.app
    app.grant_role(world.bob, Role.OWNER, world.wifi, COMMAND_LINE)
    app.grant_role(world.cleo, Role.ADMIN, None, COMMAND_LINE)
    ideas = [world.idea(title) for title in TITLES]
    world.services.runner.wait_for(run_clustering(app).position)
    return ideas


def test_the_inbox_ranks_themes_for_owners(world: World) -> None:
    themed(world)
    ranked = world.services.read_model.themes()
    world.sign_in(world.bob)
    page = world.client.get("/triage")
    assert page.status_code == 200
    positions = [page.text.index(f'id="theme-{theme.id}"') for theme in ranked]
    assert positions == sorted(positions) and len(ranked) >= 3
    assert page.text.count("Suggested</span>") == len(ranked)
    assert '/triage">Open the triage inbox' in world.client.get("/themes").text
    world.sign_in(world.ann)
    assert world.client.get("/triage").status_code == 403


def test_confirm_and_rename_a_theme(world: World) -> None:
    themed(world)
    theme = world.services.read_model.themes()[0]
    world.sign_in(world.bob)
    confirmed = world.client.post(f"/triage/themes/{theme.id}/confirm", follow_redirects=False,
                                  data={"label": theme.label})
    assert confirmed.status_code == 303
    assert confirmed.headers["location"] == f"/triage#theme-{theme.id}"
    assert world.services.read_model.themes()[0].confirmed
    again = world.client.post(f"/triage/themes/{theme.id}/confirm", data={"label": "x"})
    assert again.status_code == 422 and "already confirmed" in again.text
    renamed = world.client.post(f"/triage/themes/{theme.id}/rename", headers=HTMX,
                                data={"label": "Service desk opening hours"})
    assert renamed.status_code == 204
    assert "<h2>Service desk opening hours</h2>" in world.client.get("/themes").text


def test_a_bad_name_comes_back_next_to_the_field(world: World) -> None:
    themed(world)
    theme = world.services.read_model.themes()[0]
    world.sign_in(world.bob)
    long_name = "n" * 201
    response = world.client.post(f"/triage/themes/{theme.id}/rename",
                                 data={"label": long_name})
    assert response.status_code == 422
    assert f'id="label-error-{theme.id}"' in response.text and "at most 200" in response.text
    assert f'value="{long_name}"' in response.text


def test_move_an_idea_out_and_into_another_theme(world: World) -> None:
    themed(world)
    read_model = world.services.read_model
    first, second = read_model.themes()[:2]
    idea = read_model.theme_members(first.id)[0]
    world.sign_in(world.bob)
    moved = world.client.post(f"/triage/themes/{first.id}/move", follow_redirects=False,
                              data={"proposal": str(idea), "to": str(second.id), "note": ""})
    assert moved.status_code == 303
    assert idea in read_model.theme_members(second.id)
    assert idea not in read_model.theme_members(first.id)
    out = world.client.post(f"/triage/themes/{second.id}/move", headers=HTMX,
                            data={"proposal": str(idea), "to": "none", "note": "Not a theme"})
    assert out.status_code == 204
    assert idea not in read_model.theme_members(second.id)
    history = world.client.get(f"/ideas/{idea}/history").text
    assert "Moved it into a theme" in history and "Moved it out of its theme" in history


def test_move_refusals(world: World) -> None:
    ideas = themed(world)
    read_model = world.services.read_model
    first, second = read_model.themes()[:2]
    inside = read_model.theme_members(first.id)[0]
    outside = next(i for i in ideas if i not in read_model.theme_members(first.id))
    world.sign_in(world.bob)
    for data, message in [
        ({"proposal": str(outside), "to": "none"}, "not in this theme"),
        ({"proposal": "junk", "to": "none"}, "not in this theme"),
        ({"proposal": str(inside), "to": str(uuid4())}, "Choose the theme it moves to"),
        ({"proposal": str(inside), "to": str(second.id), "note": "\x00"}, "control"),
    ]:
        response = world.client.post(f"/triage/themes/{first.id}/move", data=data)
        assert response.status_code == 422, data
        assert message in response.text
    assert inside in read_model.theme_members(first.id)


def test_an_owner_of_another_category_cannot_move_the_idea(world: World) -> None:
    themed(world)
    app = world.services.app
    app.revoke_role(world.bob, Role.OWNER, world.wifi, COMMAND_LINE)
    app.grant_role(world.bob, Role.OWNER, world.printing, COMMAND_LINE)
    world.settle()
    theme = world.services.read_model.themes()[0]
    idea = world.services.read_model.theme_members(theme.id)[0]
    world.sign_in(world.bob)
    response = world.client.post(f"/triage/themes/{theme.id}/move",
                                 data={"proposal": str(idea), "to": "none"})
    assert response.status_code == 403
    assert idea in world.services.read_model.theme_members(theme.id)


def test_unknown_themes_answer_404(world: World) -> None:
    themed(world)
    world.sign_in(world.cleo)
    for action in ("confirm", "rename", "move"):
        response = world.client.post(f"/triage/themes/{uuid4()}/{action}", data={"label": "x"})
        assert response.status_code == 404, action


def test_hidden_ideas_leave_the_inbox(world: World) -> None:
    ideas = themed(world)
    world.services.app.hide_content(ideas[0], world.cleo, "Spam")
    world.settle()
    world.sign_in(world.bob)
    page = world.client.get("/triage").text
    assert TITLES[0] not in page and TITLES[1] in page


def test_a_new_near_duplicate_joins_its_theme_on_the_inbox_and_themes_page(
        world: World) -> None:
    """Between two runs: the theme job places a new idea in the nearest theme, and the
    owner sees it there; an idea like no other stays out of every theme."""
    from incubator.theme_assignment import NewIdeaAssigner

    ideas = themed(world)
    read = world.services.read_model
    wifi = next(theme for theme in read.themes() if ideas[4] in read.theme_members(theme.id))
    before = wifi.ideas
    near = world.idea("Guest wifi password expires every single day")
    new = world.idea("Vegan sushi on Fridays")
    assert NewIdeaAssigner(world.services.app, read).assign_new() == 2
    world.settle()
    assert near in read.theme_members(wifi.id)
    assert all(new not in read.theme_members(theme.id) for theme in read.themes())
    world.sign_in(world.bob)
    inbox = world.client.get("/triage").text
    section = inbox.split(f'id="theme-{wifi.id}"')[1].split('<li class="theme"')[0]
    assert "Guest wifi password expires every single day" in section
    assert f"Ideas in this theme ({before + 1})" in section
    shown = world.client.get("/themes").text.split(f"<h2>{wifi.label}</h2>")[1]
    assert f"{before + 1} ideas" in shown.split('<li class="theme"')[0]
    assert sum(theme.ideas for theme in read.themes()) == len(TITLES) + 1


def test_re_run_now_shows_a_progress_widget_until_the_job_is_done(world: World) -> None:
    from incubator.theme_job import ThemesJob

    themed(world)
    world.sign_in(world.bob)
    idle = world.client.get("/triage").text
    assert 'id="rerun"' in idle and 'hx-trigger="every 1s"' not in idle
    asked = world.client.post("/triage/rerun", data={"granularity": "finer"},
                              follow_redirects=False)
    assert asked.status_code == 303 and asked.headers["location"] == "/triage#rerun"
    assert "ClusteringRequest.Requested" in [
        n.topic.rsplit(":", 1)[-1]
        for n in world.services.app.recorder.select_notifications(start=1, limit=10_000)]
    page = world.client.get("/triage").text
    widget = page.split('id="rerun"')[1].split("</section>")[0]
    assert '/triage/progress" hx-trigger="every 1s"' in widget
    assert '<label for="rerun-progress">' in widget and '<progress id="rerun-progress"' in widget
    assert '/triage/progress#rerun">Reload</a>' in widget  # without JavaScript
    polled = world.client.get("/triage/progress", headers=HTMX).text
    assert polled.lstrip().startswith('<section id="rerun"') and "<html" not in polled
    job = ThemesJob(world.services.app, world.services.read_model, world.services.writer, 0)
    assert job.tick()
    world.settle()
    done = world.client.get("/triage/progress", headers=HTMX).text
    assert "every 1s" not in done and "Show the themes it made" in done
    assert "themes in " in done


def test_a_re_run_needs_a_known_grain(world: World) -> None:
    themed(world)
    world.sign_in(world.bob)
    refused = world.client.post("/triage/rerun", data={"granularity": "x" * 50})
    assert refused.status_code == 422
    assert "Choose to re-run as before, coarser or finer." in refused.text
    world.sign_in(world.ann)
    assert world.client.post("/triage/rerun", data={"granularity": "same"}).status_code == 403


def test_the_inbox_comes_in_pages_of_ten_themes(world: World) -> None:
    from tests.triage_scenario import record_run

    app = world.services.app
    app.grant_role(world.bob, Role.OWNER, world.wifi, COMMAND_LINE)
    ideas = [world.idea(f"Idea number {n} about something") for n in range(23)]
    record_run(world.services, {uuid4(): (f"theme {n}", [idea]) for n, idea in enumerate(ideas)})
    world.settle()
    ranked = world.services.read_model.themes()
    world.sign_in(world.bob)
    first = world.client.get("/triage").text
    assert first.count('<li class="theme"') == 10 and "Themes 1–10 of 23" in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    # Moving an idea may go to a theme on any page.
    assert f'<option value="{ranked[-1].id}"' in first
    last = world.client.get("/triage?page=3").text
    assert last.count('<li class="theme"') == 3 and "Themes 21–23 of 23" in last
    assert world.client.get("/triage?page=junk").text.count('<li class="theme"') == 10
    refused = world.client.post(f"/triage/themes/{ranked[-1].id}/rename", data={"label": ""})
    assert refused.status_code == 422 and f'id="theme-{ranked[-1].id}"' in refused.text
    renamed = world.client.post(f"/triage/themes/{ranked[-1].id}/rename",
                                data={"label": "zz, still the last"}, follow_redirects=False)
    assert renamed.headers["location"] == f"/triage?page=3#theme-{ranked[-1].id}"
