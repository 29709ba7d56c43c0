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
