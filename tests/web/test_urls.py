"""Links made by name are the ones Starlette makes, for every route of the app."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from starlette.requests import Request
from starlette.routing import Mount, NoMatchFound

from tests.web.conftest import World
from web.urls import url_for

SAMPLE = {"uuid": UUID(int=7), "integer": 3, "string": "wi-fi", "path": "css/style.css"}


def _request(world: World, root_path: str = "") -> Request:
    app: Any = world.client.app
    return Request({
        "type": "http", "scheme": "https", "server": ("ideas.example.org", 443),
        "root_path": root_path, "path": f"{root_path}/", "query_string": b"",
        "headers": [(b"host", b"ideas.example.org")], "app": app, "router": app.router,
    })


@pytest.mark.parametrize("root_path", ["", "/incubator"])
def test_every_named_route_links_as_starlette_links_it(world: World, root_path: str) -> None:
    request = _request(world, root_path)
    named = [route for route in request.scope["router"].routes if getattr(route, "name", None)]
    assert len(named) > 40
    for route in named:
        params = {name: SAMPLE[type(convertor).__name__.removesuffix("Convertor").lower()]
                  for name, convertor in route.param_convertors.items()}
        if isinstance(route, Mount):
            params["path"] = SAMPLE["path"]
        expected = str(request.url_for(route.name, **params))
        assert str(url_for(request, route.name, **params)) == expected
        assert expected.startswith(f"https://ideas.example.org{root_path}/")


def test_an_unknown_name_or_missing_parameter_is_refused_as_starlette_refuses_it(
    world: World,
) -> None:
    request = _request(world)
    with pytest.raises(NoMatchFound):
        url_for(request, "no_such_route")
    with pytest.raises(NoMatchFound):
        url_for(request, "proposal_detail")
