"""Campaigns on the web: opening one, the poll, ideas under it, closing and results."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from uuid import UUID

import pytest

from domain.member import COMMAND_LINE, Role
from tests.web.conftest import World

HTMX = {"HX-Request": "true"}


@pytest.fixture
def owner(world: World) -> UUID:
    """Bob owns Wi-Fi."""
    world.services.app.grant_role(world.bob, Role.OWNER, world.wifi, COMMAND_LINE)
    world.settle()
    return world.bob


def open_form(world: World, **values: str) -> dict[str, str]:
    return {"question": "Which service desk hours would work for you?",
            "description": "We are thinking of changing them.", "category": str(world.wifi),
            "deadline": "", "poll_question": "Which hours?",
            "poll_options": "7:00-19:00\n8:00-18:00\n9:00-17:00", **values}


def opened(world: World, owner: UUID, **values: str) -> str:
    world.sign_in(owner)
    response = world.client.post("/campaigns", data=open_form(world, **values),
                                 follow_redirects=False)
    assert response.status_code == 303, response.text
    return urlsplit(response.headers["location"]).path


def test_an_owner_opens_a_campaign_and_people_find_it_on_the_list(
        world: World, owner: UUID) -> None:
    deadline = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    page_url = opened(world, owner, deadline=deadline)
    world.sign_out()
    page = world.client.get(page_url)
    assert page.status_code == 200
    assert "Which service desk hours would work for you?" in page.text
    assert re.search(r"closes <time[^>]*>in [23] days?</time>", page.text)
    assert "Sign in</a> to answer" in page.text
    listed = world.client.get("/campaigns").text
    assert "Which service desk hours would work for you?" in listed and "Open" in listed
    assert '/campaigns">Campaigns</a>' in world.client.get("/").text  # in the navigation


def test_a_refused_campaign_comes_back_with_messages_and_what_was_typed(
        world: World, owner: UUID) -> None:
    world.sign_in(owner)
    typed = open_form(world, question="Hours?", deadline="2020-01-01T10:00",
                      poll_options="Only one option")
    response = world.client.post("/campaigns", data=typed)
    assert response.status_code == 422
    assert "A question needs 8 to 200 characters" in response.text
    assert "The deadline must be in the future." in response.text
    assert "A poll needs 2 to 10 options" in response.text
    assert 'value="2020-01-01T10:00"' in response.text and "Only one option" in response.text
    garbled = world.client.post("/campaigns", data=open_form(world, deadline="next week"))
    assert garbled.status_code == 422 and 'value="next week"' in garbled.text


def test_an_owner_opens_campaigns_only_in_categories_they_own(
        world: World, owner: UUID) -> None:
    world.sign_in(owner)
    form = world.client.get("/campaigns/new").text
    assert str(world.wifi) in form and str(world.printing) not in form
    response = world.client.post("/campaigns",
                                 data=open_form(world, category=str(world.printing)))
    assert response.status_code == 422 and "Only an owner of" in response.text


def test_staff_answer_the_poll_once_and_may_change_their_answer(
        world: World, owner: UUID) -> None:
    page_url = opened(world, owner)
    world.sign_in(world.ann)
    page = world.client.get(page_url).text
    assert "<fieldset>" in page and "<legend hx-disable>Which hours?</legend>" in page
    answered = world.client.post(f"{page_url}/poll", data={"option": "1"},
                                 follow_redirects=False)
    assert answered.status_code == 303 and "answered=1" in answered.headers["location"]
    page = world.client.get(answered.headers["location"]).text
    assert 'value="1" required checked' in page and "Your answer is saved" in page
    changed = world.client.post(f"{page_url}/poll", data={"option": "2"}, headers=HTMX)
    assert changed.status_code == 200 and 'value="2" required checked' in changed.text
    assert "Change my answer" in changed.text
    wrong = world.client.post(f"{page_url}/poll", data={"option": "7"}, headers=HTMX)
    assert wrong.status_code == 422 and "Choose one of the poll" in wrong.text
    world.settle()
    names = [n.topic.rsplit(":", 1)[-1] for n in
             world.services.app.recorder.select_notifications(start=1, limit=1000)]
    assert names.count("PollAnswer.Given") == 1 and names.count("PollAnswer.Changed") == 1


def test_staff_submit_ideas_under_the_campaign_with_similar_ideas_help(
        world: World, owner: UUID) -> None:
    existing = world.idea("Open the service desk at 7:30")
    page_url = opened(world, owner)
    world.sign_in(world.ann)
    page = world.client.get(page_url).text
    assert "/ideas/similar?next=" in page  # the title asks for similar ideas as you type
    similar = world.client.get(f"/ideas/similar?title=service+desk+7:30&next={page_url}").text
    assert str(existing) in similar and f'name="next" value="{page_url}"' in similar
    refused = world.client.post(f"{page_url}/ideas", data={"title": "Hm", "description": ""})
    assert refused.status_code == 422 and 'value="Hm"' in refused.text
    response = world.client.post(f"{page_url}/ideas", data={
        "title": "Open the desk at 7:30 on Mondays", "description": "Early shifts."},
        follow_redirects=False)
    assert response.status_code == 303
    idea_page = world.client.get(response.headers["location"]).text
    assert "Submitted to the campaign" in idea_page and page_url in idea_page
    assert "Open the desk at 7:30 on Mondays" in world.client.get(page_url).text


def test_a_closed_campaign_refuses_votes_and_shows_owners_its_results(
        world: World, owner: UUID) -> None:
    page_url = opened(world, owner)
    campaign = UUID(page_url.rsplit("/", 1)[1])
    app = world.services.app
    idea = app.submit_proposal("Open the desk at 7:30 on Mondays", "", None, world.ann,
                               campaign).id
    app.answer_poll(campaign, world.ann, 0)
    app.answer_poll(campaign, world.cleo, 0)
    app.answer_poll(campaign, world.bob, 2)
    world.settle()
    world.sign_in(owner)
    closed = world.client.post(f"{page_url}/close", data={"note": "Enough answers."},
                               follow_redirects=False)
    assert closed.status_code == 303
    page = world.client.get(page_url).text
    assert "Closed by Bob Baker" in page and "Enough answers." in page
    assert re.search(r"7:00-19:00 <span[^>]*>most chosen</span></th>\s*<td>2</td>\s*<td>67%", page)
    assert "Start the outcome" in page and "Close the campaign" not in page
    world.sign_in(world.ann)
    assert "Start the outcome" not in world.client.get(page_url).text
    vote = world.client.post(f"/ideas/{idea}/vote", headers=HTMX)
    assert vote.status_code == 409 and "This campaign is closed" in vote.text
    answer = world.client.post(f"{page_url}/poll", data={"option": "1"}, headers=HTMX)
    assert answer.status_code == 409 and "This campaign is closed" in answer.text
    late = world.client.post(f"{page_url}/ideas", data={"title": "One more idea, too late"})
    assert late.status_code == 422 and "This campaign is closed" in late.text
    world.sign_in(owner)
    draft = world.client.post(f"{page_url}/outcome", follow_redirects=False)
    assert draft.status_code == 303
    edit = world.client.get(draft.headers["location"]).text
    assert "a campaign with 1 ideas" in edit and "Which hours? 7:00-19:00: 2" in edit


def test_a_passed_deadline_closes_the_page_before_the_job_records_it(
        world: World, owner: UUID) -> None:
    app = world.services.app
    campaign = app.open_campaign("Which printers do you use most?", "", world.wifi,
                                 datetime.now(UTC) + timedelta(seconds=1), "", [], owner).id
    world.settle()
    world.sign_in(world.ann)
    assert "Submit an idea" in world.client.get(f"/campaigns/{campaign}").text
    closes = datetime.now(UTC) + timedelta(seconds=1.2)
    while datetime.now(UTC) < closes:
        pass
    page = world.client.get(f"/campaigns/{campaign}").text
    assert "Submit an idea</h2>" not in page and ("has passed" in page or "Closed" in page)


def test_a_member_follows_a_campaign_to_hear_its_results(world: World, owner: UUID) -> None:
    page = opened(world, owner)
    world.sign_in(world.ann)
    assert 'aria-pressed="false">Follow</button>' in world.client.get(page).text
    response = world.client.post(f"{page}/follow", headers=HTMX)
    assert response.status_code == 200 and 'aria-pressed="true">Following' in response.text
    assert "You follow this campaign" in response.text
    world.settle()
    assert 'aria-pressed="true">Following</button>' in world.client.get(page).text
    world.client.post(f"{page}/unfollow", follow_redirects=False)  # no JavaScript
    world.settle()
    assert 'aria-pressed="false">Follow</button>' in world.client.get(page).text
    missing = world.client.post("/campaigns/00000000-0000-0000-0000-000000000000/follow")
    assert missing.status_code == 404
