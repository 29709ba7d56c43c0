"""The triage inbox (owners and admins): the model's themes ranked by people and votes,
with the decisions that make them the owners' own: confirm, rename, and move an idea
out of its theme or into another. Every decision is an event (domain/theme.py) and
outlives later clustering runs.

Moving an idea is decided by the owners of its category (and admins), like every
other decision about an idea; a theme spans categories, so any owner may confirm or
rename it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from domain.clustering import InvalidClusteringError
from domain.theme import ThemeDecisionError
from incubator.theme_job import GRANULARITY, NAME, request_rerun
from projections.job_progress import progress_of
from projections.triage_queries import theme_ideas
from projections.views import ThemeView, VoteTally
from web.idea_panels import may_decide
from web.identity import current_member
from web.requests import command, path_id, query, see_other, services
from web.templating import is_htmx, render
from web.urls import url_for

FORM_MAX = 10_000  # longer than the domain allows: it says what is too long
NO_THEME = "none"
PAGE = 10  # themes per page of the inbox


@dataclass(frozen=True)
class InboxTheme:
    theme: ThemeView
    ideas: tuple[VoteTally, ...]


async def triage_inbox(request: Request) -> Response:
    return await _inbox(request)


async def triage_rerun(request: Request) -> Response:
    """"Re-run now" (as before, coarser or finer): recorded as an event, which the
    theme job reads in whichever process runs it; the widget then shows its stage."""
    member = current_member(request)
    assert member is not None  # the access table lets owners and admins only
    choice = str((await request.form()).get("granularity") or "")
    if choice not in GRANULARITY:
        return await _inbox(request, error_field="rerun", values={"granularity": choice},
                            error="Choose to re-run as before, coarser or finer.")
    try:
        await command(request, request_rerun, services(request).app,
                      services(request).writer, member.id, choice)
    except InvalidClusteringError as refused:
        return await _inbox(request, error_field="rerun", error=str(refused))
    return see_other(request, f"{url_for(request, 'triage_inbox').path}#rerun")


async def triage_progress(request: Request) -> Response:
    """The re-run widget alone, which htmx polls every second while a run goes on;
    without JavaScript, the whole inbox."""
    if not is_htmx(request):
        return await _inbox(request)
    return render(request, "themes/triage.html", await _widget(request), block="rerun")


async def _widget(request: Request) -> dict[str, Any]:
    progress = await query(progress_of, services(request).read_model.engine, NAME)
    return {"progress": progress,
            "every_hours": services(request).settings.themes_every_hours}


async def triage_theme_confirm(request: Request) -> Response:
    theme, member_id, form = await _theme_form(request, "label")
    ideas = list(await query(services(request).read_model.theme_members, theme.id))
    return await _decide(request, theme.id, form, "label",
                         services(request).app.confirm_theme, theme.id, member_id,
                         form["label"], ideas)


async def triage_theme_rename(request: Request) -> Response:
    theme, member_id, form = await _theme_form(request, "label")
    return await _decide(request, theme.id, form, "label",
                         services(request).app.rename_theme, theme.id, member_id,
                         form["label"])


async def triage_theme_move(request: Request) -> Response:
    """Move one idea of this theme out of it (to no theme) or into another theme."""
    theme, member_id, form = await _theme_form(request, "proposal", "to", "note")
    read_model = services(request).read_model
    try:
        idea_id = UUID(form["proposal"])
    except ValueError:
        idea_id = None
    if idea_id is None or idea_id not in await query(read_model.theme_members, theme.id):
        return await _inbox(request, error_theme=theme.id, error_field="move",
                            error="That idea is not in this theme (any more).", values=form)
    proposal = await query(read_model.proposal, idea_id)
    if proposal is None or not may_decide(current_member(request), proposal):
        raise HTTPException(403, "Only the owners of the idea's category and admins "
                                 "can move it.")
    ranked = await query(read_model.themes)
    targets = {str(other.id): other.id for other in ranked} | {NO_THEME: None}
    if form["to"] not in targets:
        return await _inbox(request, error_theme=theme.id, error_field="move",
                            error="Choose the theme it moves to, or no theme.", values=form)
    target = targets[form["to"]]
    return await _decide(request, theme.id, form, "move",
                         services(request).app.move_suggestion, idea_id, theme.id, target,
                         member_id, form["note"])


async def _theme_form(request: Request, *names: str) -> tuple[ThemeView, UUID, dict[str, str]]:
    theme_id = path_id(request, "theme_id")
    ranked = await query(services(request).read_model.themes)
    theme = next((theme for theme in ranked if theme.id == theme_id), None)
    if theme is None:
        raise HTTPException(404, "There is no theme at this address.")
    member = current_member(request)
    assert member is not None  # the access table lets owners and admins only
    form = await request.form()
    return theme, member.id, {name: str(form.get(name) or "")[:FORM_MAX] for name in names}


async def _decide(request: Request, theme_id: UUID, form: dict[str, str], field: str,
                  decide: Any, *args: Any) -> Response:
    try:
        await command(request, decide, *args)
    except ThemeDecisionError as refused:
        return await _inbox(request, error_theme=theme_id, error_field=field,
                            error=str(refused), values=form)
    page = _page_of(await query(services(request).read_model.themes), theme_id) or 1
    where = f"?page={page}" if page > 1 else ""
    return see_other(request, f"{url_for(request, 'triage_inbox').path}{where}#theme-{theme_id}")


async def _inbox(request: Request, **error: Any) -> Response:
    """One page of PAGE themes (the whole inbox weighed 630 KB with the demo's 53
    themes), the one a refused decision is about if any."""
    read_model = services(request).read_model
    ranked = await query(read_model.themes)
    ideas = await query(theme_ideas, read_model.engine)
    pages = max(1, -(-len(ranked) // PAGE))
    page = _page_of(ranked, error.get("error_theme")) or _asked_page(request, pages)
    shown = ranked[(page - 1) * PAGE:page * PAGE]
    inbox = [InboxTheme(theme, ideas.get(theme.id, ())) for theme in shown]
    context = {"inbox": inbox, "all_themes": ranked, "page": page, "pages": pages,
               "first": (page - 1) * PAGE + 1, "last": (page - 1) * PAGE + len(shown),
               "no_theme": NO_THEME, "error_theme": None,
               "error_field": "", "error": "", "values": {}, **await _widget(request),
               **error}
    return render(request, "themes/triage.html", context,
                  status_code=422 if error else 200)


def _page_of(ranked: tuple[ThemeView, ...], theme_id: UUID | None) -> int | None:
    index = next((n for n, theme in enumerate(ranked) if theme.id == theme_id), None)
    return None if index is None else index // PAGE + 1


def _asked_page(request: Request, pages: int) -> int:
    try:
        return min(max(1, int(request.query_params.get("page") or 1)), pages)
    except ValueError:
        return 1
