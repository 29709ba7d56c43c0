"""Links to routes by name: Starlette's `url_for`, without its search.

Starlette's `Router.url_path_for` tries each route in turn and raises an exception
for every one that is not it: with 60 routes and dozens of links a page, that was a
quarter of the server's time under load. Pages and handlers link through here.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import URL
from starlette.requests import Request
from starlette.routing import BaseRoute, Mount


def url_for(request: Request, name: str, /, **path_params: Any) -> URL:
    """The same URL as `request.url_for(name, **path_params)`."""
    router: Any = request.scope.get("router")
    if router is None:
        return request.url_for(name, **path_params)
    route = _routes_by_name(router).get(name)
    if route is None or (isinstance(route, Mount) and "path" not in path_params):
        return request.url_for(name, **path_params)
    path = route.url_path_for(name, **path_params)
    if path.host:  # a route on another host: Starlette builds it
        absolute: URL = path.make_absolute_url(request.base_url)
        return absolute
    # The same text as `make_absolute_url`, which parses and rebuilds the base URL for
    # every link (5 % of the server's time under load): the base is built once a request.
    base = request.scope.get("incubator.base_url")
    if base is None:
        base = request.scope["incubator.base_url"] = str(request.base_url).rstrip("/")
    return URL(base + path)


def _routes_by_name(router: Any) -> dict[str, BaseRoute]:
    try:
        routes: dict[str, BaseRoute] = router.incubator_routes_by_name
    except AttributeError:  # the first link made by this app
        routes = router.incubator_routes_by_name = {
            route.name: route for route in reversed(router.routes)  # the first one wins
            if getattr(route, "name", None)}
    return routes
