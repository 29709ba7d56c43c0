"""The themes page: the latest run's themes with people, votes and quotes."""

from __future__ import annotations

from incubator.themes import run_clustering
from tests.web.conftest import World


def test_the_themes_page_ranks_themes_with_quotes(world: World) -> None:
    titles = ["Service desk should stay open until 6pm", "Extend helpdesk hours into the evening",
              "Later opening hours for IT support", "Guest Wi-Fi password changes too often",
              "Daily guest wifi code is a pain", "Guest wifi password expires every day",
              "Printer on the third floor always jams", "Third floor printer jammed again",
              "Printer jams on floor three", "Dark mode for the intranet",
              "Intranet search never finds policies", "Book meeting rooms from the calendar"]
    for title in titles:
        world.idea(title)
    written = run_clustering(world.services.app)
    world.services.runner.wait_for(written.position)
    page = world.client.get("/themes")
    assert page.status_code == 200
    ranked = world.services.read_model.themes()
    assert page.text.count('class="theme"') == len(ranked) >= 3
    assert sum(theme.ideas for theme in ranked) == len(titles)
    for theme in ranked:
        assert f"<h2>{theme.label}</h2>" in page.text
        assert f"“{theme.quotes[0]}”".replace("'", "&#39;") in page.text


def test_before_any_run_the_page_says_how_themes_appear(world: World) -> None:
    page = world.client.get("/themes")
    assert "No themes yet" in page.text


def test_comments_that_propose_something_are_quoted_in_their_theme(world: World) -> None:
    """A comment proposing something is clustered like an idea and quoted in its
    theme with a link to the comment; a comment that only agrees is not; a hidden
    comment is quoted nowhere."""
    app = world.services.app
    titles = ["Guest Wi-Fi password changes too often", "Daily guest wifi code is a pain",
              "Guest wifi password expires every day", "Printer on the third floor always jams",
              "Third floor printer jammed again", "Printer jams on floor three",
              "Dark mode for the intranet", "Intranet search never finds policies",
              "Book meeting rooms from the calendar", "Service desk should stay open until 6pm",
              "Extend helpdesk hours into the evening", "Later opening hours for IT support"]
    ideas = [world.idea(title) for title in titles]
    proposing = app.post_comment(ideas[4], world.bob,
                                 "Agreed. Could we have a spare printer on the third floor?").id
    agreeing = app.post_comment(ideas[4], world.cleo, "Same here, every single week.").id
    written = run_clustering(app)
    world.services.runner.wait_for(written.position)
    printers = next(theme for theme in world.services.read_model.themes()
                    if ideas[4] in world.services.read_model.theme_members(theme.id))
    assert [quote.comment_id for quote in printers.comment_quotes] == [proposing]
    page = world.client.get("/themes").text
    assert "“Agreed. Could we have a spare printer on the third floor?”" in page
    assert f'/ideas/{ideas[4]}#comment-{proposing}">from a comment</a>' in page
    assert "every single week" not in page and str(agreeing) not in page
    app.hide_content(proposing, world.cleo, "Testing moderation.")
    world.settle()
    assert "spare printer" not in world.client.get("/themes").text
