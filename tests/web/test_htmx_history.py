"""htmx keeps no history cache, so Back refetches a page: it must get the whole page."""

from __future__ import annotations

from tests.web.conftest import World


def test_a_history_restore_gets_the_whole_page_and_a_fragment_request_the_fragment(
        world: World) -> None:
    fragment = world.client.get("/?sort=new", headers={"HX-Request": "true"})
    restore = world.client.get("/?sort=new", headers={
        "HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert fragment.text.lstrip().startswith('<section id="board"')
    assert restore.text.lstrip().lower().startswith("<!doctype html>")
    for response in (fragment, restore, world.client.get("/?sort=new")):
        assert "HX-Request" in response.headers["vary"]
