"""Similar ideas while typing: the submit form asks, debounced, as the title changes."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from web.identity import current_member
from web.requests import local_url, query, services
from web.templating import templates

MIN_QUERY = 4
# Matches scoring below this share little more than common words: not worth showing.
MIN_SHOWN = 0.25


async def proposal_similar(request: Request) -> Response:
    text = (request.query_params.get("title") or "").strip()
    # Where a vote given from the list returns without JavaScript: the page of the form.
    next_url = local_url(request.query_params.get("next"), "")
    context: dict[str, object] = {"ideas": [], "looks_new": False, "asked": False,
                                  "next_url": next_url}
    if len(text) >= MIN_QUERY:
        lookup = await query(services(request).similar.similar, text)
        ids = [idea for idea, score in lookup.matches if score >= MIN_SHOWN]
        tallies = await query(services(request).read_model.vote_tallies, ids) if ids else {}
        member = current_member(request)
        voted = (await query(services(request).read_model.voted_among, member.id, ids)
                 if member and ids else frozenset())
        context = {"ideas": [tallies[i] for i in ids if i in tallies], "voted_ids": voted,
                   "looks_new": lookup.looks_new, "asked": True, "next_url": next_url}
    return templates.TemplateResponse(request, "ideas/_similar.html", context)
