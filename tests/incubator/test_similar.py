"""Similar ideas while typing: found at once, whichever process saved them."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

from incubator.bootstrap import bootstrap
from incubator.settings import Settings
from tests.helpers import category


def test_similar_ideas_are_found_best_first_and_new_ones_at_once(tmp_path: Path) -> None:
    services = bootstrap(Settings(data_dir=tmp_path), follow=False)
    app, desk = services.app, category(services)
    titles = ["Service desk should stay open until 6pm", "Guest Wi-Fi password changes too often",
              "Printer on the third floor always jams", "New starters wait a week for a laptop"]
    ids = {title: app.submit_proposal(title, "", desk, uuid4()).id for title in titles}
    assert services.similar.similar("keep the service desk open later").matches[0][0] == \
        ids["Service desk should stay open until 6pm"]

    other_process = bootstrap(Settings(data_dir=tmp_path), follow=False)
    added = other_process.app.submit_proposal("Dark mode for the intranet", "", desk, uuid4())
    lookup = services.similar.similar("intranet dark mode please")
    assert lookup.matches[0][0] == added.id
    assert not services.similar.similar("guest wifi password").looks_new
    assert services.similar.similar("quantum pizza telescope").looks_new
    other_process.close()
    services.close()


def test_an_empty_idea_box_makes_every_idea_look_new(tmp_path: Path) -> None:
    services = bootstrap(Settings(data_dir=tmp_path), follow=False)
    assert services.similar.similar("anything at all") == ([], True)
    services.close()
