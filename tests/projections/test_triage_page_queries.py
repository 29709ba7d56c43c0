"""The two queries the owners' and admins' pages added, on each backend: every theme's
visible ideas for the triage inbox, and the header's count of items waiting."""

from __future__ import annotations

from uuid import uuid4

from domain.proposal import Status
from incubator.bootstrap import Services
from projections.triage_queries import open_report_count, theme_ideas
from tests.helpers import category, submit

ADMIN, STAFF = uuid4(), uuid4()


def test_theme_ideas_are_listed_most_voted_first_without_hidden_ones(
        services: Services) -> None:
    app, desk = services.app, category(services)
    quiet, loud, spam = (submit(services, desk, title=t) for t in (
        "Quiet idea about printers", "Loud idea about printers", "Cheap watches for sale"))
    app.cast_vote(loud, uuid4())
    theme = uuid4()
    app.record_clustering("test", {}, [{
        "theme_id": str(theme), "label": "printers", "terms": ["printer"],
        "proposal_ids": [str(quiet), str(loud), str(spam)], "representatives": [str(loud)]}])
    app.hide_content(spam, ADMIN, "Spam")
    services.runner.catch_up()
    ideas = theme_ideas(services.read_model.engine)[theme]
    assert [(idea.id, idea.votes, idea.status) for idea in ideas] == [
        (loud, 1, Status.OPEN), (quiet, 0, Status.OPEN)]


def test_the_count_of_items_waiting_follows_reports_and_decisions(services: Services) -> None:
    app, desk = services.app, category(services)
    first, second = submit(services, desk), submit(services, desk, title="Another idea here")
    engine = services.read_model.engine
    assert open_report_count(engine) == 0
    app.report_content(first, STAFF, "Spam")
    app.report_content(first, uuid4(), "Spam too")
    app.report_content(second, STAFF, "Rude")
    services.runner.catch_up()
    assert open_report_count(engine) == 2  # items, not reports
    app.dismiss_reports(first, ADMIN, "Fine")
    app.hide_content(second, ADMIN, "Rude")
    services.runner.catch_up()
    assert open_report_count(engine) == 0
    app.report_content(first, STAFF, "Still spam")
    services.runner.catch_up()
    assert open_report_count(engine) == 1
