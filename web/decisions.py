"""Owners' and admins' decisions on an idea's page: status with a public answer, merge
a duplicate into a canonical idea, undo a merge.

The access table lets owners and admins in; each route then checks the finer rule
(owners decide for the categories they own) and answers 403 otherwise. A refusal by
the domain shows next to its field with what was typed (422); success goes back to
the idea page (303, or HX-Redirect for htmx).
"""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from domain.proposal import InvalidStatusChangeError, MergeError, Proposal, Status
from incubator.application import ProposalNotFoundError
from projections.views import ProposalDetail
from web.idea_panels import may_decide
from web.ideas import detail_context, find_proposal
from web.identity import current_member
from web.requests import command, path_id, see_other, services
from web.templating import render
from web.urls import url_for

UUID_IN_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
FORM_MAX = 10_000  # longer than any field allows: the domain says what is too long


async def proposal_status(request: Request) -> Response:
    proposal, decider = await _decidable(request)
    form = await _form(request, "status", "answer")
    try:
        status = Status(form["status"])
    except ValueError:
        return await _panel(request, proposal, status_form=form, status_field="status",
                            status_error="Choose the new status.")
    try:
        Proposal.check_answer(status, form["answer"])  # to show the error at the answer
    except InvalidStatusChangeError as refused:
        return await _panel(request, proposal, status_form=form, status_field="answer",
                            status_error=str(refused))
    try:
        await command(request, services(request).app.change_status, proposal.id, status,
                      decider, form["answer"])
    except InvalidStatusChangeError as refused:
        return await _panel(request, proposal, status_form=form, status_field="status",
                            status_error=str(refused))
    return _back(request, proposal.id)


async def proposal_merge(request: Request) -> Response:
    proposal, decider = await _decidable(request)
    form = await _form(request, "canonical", "reason")
    canonical = canonical_id(form["canonical"])
    if canonical is None:
        return await _panel(request, proposal, merge_form=form, merge_error=(
            "Choose the idea to merge into, or paste its link or id."))
    try:
        await command(request, services(request).app.merge_proposals, proposal.id,
                      canonical, decider, form["reason"])
    except ProposalNotFoundError:
        return await _panel(request, proposal, merge_form=form,
                            merge_error="There is no idea with that link or id.")
    except MergeError as refused:
        return await _panel(request, proposal, merge_form=form, merge_error=str(refused))
    return _back(request, proposal.id)


async def proposal_unmerge(request: Request) -> Response:
    proposal, decider = await _decidable(request)
    form = await _form(request, "reason")
    try:
        await command(request, services(request).app.undo_merge, proposal.id, decider,
                      form["reason"])
    except MergeError as refused:
        return await _panel(request, proposal, unmerge_reason=form["reason"],
                            unmerge_error=str(refused))
    return _back(request, proposal.id)


def canonical_id(typed: str) -> UUID | None:
    """The idea id in what was chosen or pasted: an id, or a link to the idea's page."""
    found = UUID_IN_TEXT.search(typed)
    return UUID(found.group()) if found else None


async def _decidable(request: Request) -> tuple[ProposalDetail, UUID]:
    """The idea (404 if unknown) and the member, who must decide for its category."""
    proposal = await find_proposal(request, path_id(request, "proposal_id"))
    member = current_member(request)
    if member is None or not may_decide(member, proposal):
        raise HTTPException(403, "Only the owners of this idea's category and admins "
                                 "can decide about it.")
    return proposal, member.id


async def _form(request: Request, *names: str) -> dict[str, str]:
    """The named fields; of a name sent twice (a chosen idea, or a pasted link), the
    first one filled in."""
    form = await request.form()
    return {name: next((str(v) for v in form.getlist(name) if str(v).strip()), "")[:FORM_MAX]
            for name in names}


async def _panel(request: Request, proposal: ProposalDetail, **errors: Any) -> Response:
    context = await detail_context(request, proposal.id, **errors)
    return render(request, "ideas/detail.html", context, block="owner_panel",
                  status_code=422)


def _back(request: Request, proposal_id: UUID) -> Response:
    return see_other(request, str(url_for(request, "proposal_detail", proposal_id=proposal_id)))
