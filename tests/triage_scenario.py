"""A history of owners' and admins' decisions, shared by the rebuild tests."""

from __future__ import annotations

from uuid import UUID, uuid4

from domain.proposal import Status
from incubator.bootstrap import Services


def record_run(services: Services, groups: dict[UUID, tuple[str, list[UUID]]]) -> None:
    """A clustering run as the model would record it: theme id -> (label, ideas)."""
    services.app.record_clustering("test", {}, [
        {"theme_id": str(theme_id), "label": label, "terms": label.split(),
         "proposal_ids": [str(i) for i in ideas], "representatives": [str(ideas[0])]}
        for theme_id, (label, ideas) in groups.items()])


def triage_decisions(services: Services, ideas: list[UUID]) -> None:
    """Merges (one undone, one chained), moderation (hidden, restored, dismissed),
    theme decisions and a re-run over six `ideas`."""
    app, owner, admin = services.app, uuid4(), uuid4()
    members = [uuid4() for _ in range(3)]
    desk, wifi = uuid4(), uuid4()
    record_run(services, {desk: ("desk hours", ideas[:3]), wifi: ("wifi", ideas[3:6])})
    app.confirm_theme(desk, owner, "Service desk hours", ideas[:3])
    app.rename_theme(wifi, owner, "Guest wifi")
    app.move_suggestion(ideas[2], desk, wifi, owner, "About wifi really.")
    app.move_suggestion(ideas[5], wifi, None, owner)
    record_run(services, {wifi: ("wireless", ideas[:4]), uuid4(): ("other", ideas[4:6])})

    app.change_status(ideas[3], Status.UNDER_REVIEW, owner, "Looking at it.")
    app.merge_proposals(ideas[3], ideas[2], owner, "Same request.")
    app.cast_vote(ideas[2], members[0])
    app.merge_proposals(ideas[5], ideas[4], owner, "Same request.")
    app.merge_proposals(ideas[4], ideas[2], owner, "Same fix.")
    app.undo_merge(ideas[4], owner, "Different after all.")
    app.merge_proposals(ideas[4], ideas[0], owner, "Same as the first.")
    comment_id = app.post_comment(ideas[0], members[1], "Rude words.").id
    app.report_content(comment_id, members[2], "Insulting.")
    app.hide_content(comment_id, admin, "Code of conduct.")
    app.report_content(ideas[1], members[2], "Spam?")
    app.hide_content(ideas[1], admin, "Spam.")
    app.restore_content(ideas[1], admin, "Not spam after all.")
    app.report_content(ideas[0], members[0], "Off topic?")
    app.dismiss_reports(ideas[0], admin, "On topic.")
    app.report_content(ideas[0], members[1], "Still off topic.")
