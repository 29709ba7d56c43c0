"""What the idea page shows beyond the idea: its merge, reports, and the owner panel.

The owner panel (status with a public answer, merge, undo merge) shows to admins and
to owners of the idea's category only; the routes check the same rule (web/decisions.py).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from domain.member import Role
from domain.proposal import Status, allowed_transitions
from projections.member_views import SignedInMember
from projections.views import ProposalDetail, VoteTally
from web.identity import current_member
from web.requests import services

#: The order statuses are offered in: the idea's life, then the ways it ends early.
LIFECYCLE = (Status.OPEN, Status.UNDER_REVIEW, Status.PLANNED, Status.IN_PROGRESS,
             Status.DONE, Status.DECLINED, Status.ALREADY_POSSIBLE)
MERGE_CANDIDATES = 5


def may_decide(member: SignedInMember | None, proposal: ProposalDetail) -> bool:
    """Owners decide for the categories they own; admins for every category."""
    if member is None or not ({Role.OWNER, Role.ADMIN} & member.roles):
        return False
    return member.owns(proposal.category_id)


def panel_context(request: Request, proposal: ProposalDetail) -> dict[str, Any]:
    """Defaults for the idea page's decision and report forms; routes override them.
    Blocking: call it from a worker thread (see `web.ideas.detail_context`)."""
    read_model = services(request).read_model
    decides = may_decide(current_member(request), proposal)
    merged = proposal.status is Status.MERGED
    return {
        "merge": read_model.merge_of(proposal.id) if merged else None,
        "duplicates": read_model.duplicates_of(proposal.id),
        "decides": decides,
        "statuses": [s for s in LIFECYCLE if s in allowed_transitions(proposal.status)],
        "merge_candidates": _candidates(request, proposal) if decides and not merged else [],
        "status_form": {"status": "", "answer": ""}, "status_error": "", "status_field": "",
        "merge_form": {"canonical": "", "reason": ""}, "merge_error": "",
        "unmerge_reason": "", "unmerge_error": "",
        "report_target": None, "report_reason": "", "report_error": "",
        "reported": request.query_params.get("reported") == "1",
    }


def _candidates(request: Request, proposal: ProposalDetail) -> list[VoteTally]:
    """Ideas this one may duplicate: the most similar ones that are not merged."""
    found = services(request)
    lookup = found.similar.similar(f"{proposal.title}\n{proposal.description}",
                                   MERGE_CANDIDATES + 1)
    ids = [idea for idea, _ in lookup.matches if idea != proposal.id]
    tallies = found.read_model.vote_tallies(ids) if ids else {}
    return [tallies[i] for i in ids if i in tallies
            and tallies[i].status is not Status.MERGED][:MERGE_CANDIDATES]
