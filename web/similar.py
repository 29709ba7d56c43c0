"""Similar ideas while typing: the submit form asks, debounced, as the title and then
the description change."""

from __future__ import annotations

from uuid import UUID

from starlette.requests import Request
from starlette.responses import Response

from incubator.similar import Lookup, SimilarIdeasIndex
from web.identity import current_member
from web.requests import local_url, query, services
from web.templating import templates

MIN_QUERY = 4
# Matches scoring below this share little more than common words: not worth showing.
MIN_SHOWN = 0.25
# A description adds words the title left out; its first lines say the most.
DESCRIPTION_USED = 600
MIN_DESCRIPTION = 20


def lookup_title_and_description(index: SimilarIdeasIndex, title: str,
                                 description: str) -> Lookup:
    """The title alone, and with the description: an idea counts by its better score,
    so a description can bring up an idea the title missed but never push one down."""
    lookups = [index.similar(title)] if len(title) >= MIN_QUERY else []
    if len(description) >= MIN_DESCRIPTION:
        lookups.append(index.similar(f"{title}\n{description[:DESCRIPTION_USED]}"))
    best: dict[UUID, float] = {}
    for found in lookups:
        for idea, score in found.matches:
            best[idea] = max(score, best.get(idea, 0.0))
    ranked = sorted(best.items(), key=lambda match: -match[1])[:5]
    return Lookup(ranked, all(found.looks_new for found in lookups))


async def proposal_similar(request: Request) -> Response:
    title = (request.query_params.get("title") or "").strip()
    description = (request.query_params.get("description") or "").strip()
    # Where a vote given from the list returns without JavaScript: the page of the form.
    next_url = local_url(request.query_params.get("next"), "")
    context: dict[str, object] = {"ideas": [], "looks_new": False, "asked": False,
                                  "next_url": next_url}
    if len(title) >= MIN_QUERY or len(description) >= MIN_DESCRIPTION:
        lookup = await query(lookup_title_and_description, services(request).similar,
                             title, description)
        ids = [idea for idea, score in lookup.matches if score >= MIN_SHOWN]
        tallies = await query(services(request).read_model.vote_tallies, ids) if ids else {}
        member = current_member(request)
        voted = (await query(services(request).read_model.voted_among, member.id, ids)
                 if member and ids else frozenset())
        context = {"ideas": [tallies[i] for i in ids if i in tallies], "voted_ids": voted,
                   "looks_new": lookup.looks_new, "asked": True, "next_url": next_url}
    return templates.TemplateResponse(request, "ideas/_similar.html", context)
