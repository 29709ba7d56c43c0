"""Posting to an idea's thread, and correcting one's own comment for a while."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from domain.comment import EDIT_WINDOW, CommentEditError, InvalidCommentError
from domain.proposal import ProposalClosedError
from incubator.rate_limits import COMMENTS
from projections.views import CommentView
from web import rate_limiting
from web.ideas import detail_context
from web.requests import command, path_id, query, require_member, see_other, services
from web.templating import is_htmx, render
from web.urls import url_for


async def comment_post(request: Request) -> Response:
    proposal_id = path_id(request, "proposal_id")
    member = require_member(request)
    if isinstance(member, Response):
        return member
    text = str((await request.form()).get("text") or "")
    verdict = await rate_limiting.hit(request, COMMENTS, str(member.id))
    if not verdict.allowed:
        context = await detail_context(request, proposal_id, comment_text=text,
                                       comment_error=rate_limiting.message(COMMENTS, verdict))
        return rate_limiting.refused(
            render(request, "ideas/detail.html", context, block="comments"), verdict)
    try:
        await command(request, services(request).app.post_comment, proposal_id, member.id, text)
    except (InvalidCommentError, ProposalClosedError) as invalid:
        context = await detail_context(
            request, proposal_id, comment_text=text, comment_error=str(invalid)
        )
        closed = isinstance(invalid, ProposalClosedError)  # merged: the thread moved
        return render(request, "ideas/detail.html", context, block="comments",
                      status_code=409 if closed else 422)
    context = await detail_context(request, proposal_id, comment_posted=True)
    if is_htmx(request):
        return render(request, "ideas/detail.html", context, block="comments")
    page = url_for(request, "proposal_detail", proposal_id=proposal_id)
    return see_other(request, f"{page}#comments")


async def comment_edit(request: Request) -> Response:
    comment = await _own_comment(request)
    if isinstance(comment, Response):
        return comment
    return _edit_form(request, comment, comment.text, "")


async def comment_update(request: Request) -> Response:
    comment = await _own_comment(request)
    if isinstance(comment, Response):
        return comment
    text = str((await request.form()).get("text") or "")
    try:
        await command(request, services(request).app.edit_comment, comment.id,
                      comment.author_id, text)  # _own_comment checked it is the member's
    except (InvalidCommentError, CommentEditError) as refused:
        return _edit_form(request, comment, text, str(refused), status_code=422)
    page = url_for(request, "proposal_detail", proposal_id=comment.proposal_id)
    return see_other(request, f"{page}#comment-{comment.id}")


async def _own_comment(request: Request) -> CommentView | Response:
    member = require_member(request)
    if isinstance(member, Response):
        return member
    comment_id = path_id(request, "comment_id")
    comment = await query(services(request).read_model.comment, comment_id)
    if comment is None:
        raise HTTPException(404, "There is no comment at this address.")
    if comment.author_id != member.id:
        raise HTTPException(403, "Only the author can edit a comment.")
    return comment


def _edit_form(
    request: Request, comment: CommentView, text: str, error: str, status_code: int = 200
) -> Response:
    now = datetime.now(UTC).replace(tzinfo=None)
    context = {"comment": comment, "text": text, "error": error,
               "open": now <= comment.posted_at + EDIT_WINDOW}
    return render(request, "comments/edit.html", context, status_code=status_code)

