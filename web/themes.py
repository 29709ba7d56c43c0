"""The themes the model suggests, ranked by how many people they concern.

Read-only for now: confirming, renaming, moving and merging come with the owners'
triage inbox (and its roles).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from web.outcomes import theme_outcomes
from web.requests import query, services
from web.templating import render


async def theme_list(request: Request) -> Response:
    themes = await query(services(request).read_model.themes)
    return render(request, "themes/index.html",
                  {"themes": themes, **await theme_outcomes(request)})
