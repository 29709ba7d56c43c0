"""Sign-in with the organisation's identity provider over OpenID Connect.

authlib does the protocol: the authorization code flow with PKCE (S256), `state`
and `nonce` kept in a short-lived signed cookie between the redirect and the
callback and checked there, the ID token's signature checked against the issuer's
published keys, and its issuer, audience and expiry. Accounts are keyed by issuer +
subject, never by e-mail: an address can move between people, a subject cannot.
"""

from __future__ import annotations

from authlib.integrations.starlette_client import OAuth, OAuthError, StarletteOAuth2App
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from incubator.identity import Identity, SignInError
from incubator.oidc_providers import OidcProvider
from projections.views import MemberView
from web.identity import sign_in
from web.requests import local_url, services
from web.urls import url_for

try:  # the HTTP client authlib uses: httpx2 when it is installed, else httpx
    import httpx2 as http
except ImportError:  # pragma: no cover - the default install
    import httpx as http  # type: ignore[no-redef]

PATH = "/auth/oidc"
#: Where authlib keeps state, nonce and code verifier between redirect and callback.
TRANSACTION_COOKIE = "incubator_oidc"
TRANSACTION_SECONDS = 600
NEXT_KEY = "incubator_next"


class OidcTransactions:
    """Starlette's signed-cookie session, for the OpenID Connect paths only: authlib
    keeps a sign-in's state, nonce and PKCE verifier there for ten minutes. It is
    made at the first such request, because the key lives in the services."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.sessions: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PATH + "/"):
            await self.app(scope, receive, send)
            return
        if self.sessions is None:
            key = scope["state"]["services"].secret_key
            self.sessions = SessionMiddleware(
                self.app, secret_key=key, session_cookie=TRANSACTION_COOKIE,
                max_age=TRANSACTION_SECONDS, path=PATH, same_site="lax")
        await self.sessions(scope, receive, send)


def providers(request: Request) -> tuple[OidcProvider, ...]:
    return services(request).settings.oidc_providers


async def oidc_start(request: Request) -> Response:
    client = _client(request)
    request.session[NEXT_KEY] = local_url(request.query_params.get("next"), "/")
    callback = str(url_for(request, "oidc_callback", provider=request.path_params["provider"]))
    try:
        response: Response = await client.authorize_redirect(request, callback)
    except http.HTTPError as error:  # its discovery document did not come
        raise _unreachable(request) from error
    return response


async def oidc_callback(request: Request) -> Response:
    client, provider = _client(request), _provider(request)
    if "error" in request.query_params:
        raise HTTPException(400, f"{provider.label} did not sign you in "
                                 f"({request.query_params['error'][:60]}). Try again.")
    try:
        token = await client.authorize_access_token(request)
    except http.HTTPError as error:  # the token or key request did not get through
        raise _unreachable(request) from error
    except OAuthError as error:
        # A stale or replayed callback, a forged state, a bad token: start again.
        raise HTTPException(400, f"Signing in with {provider.label} failed: "
                                 f"{error.description or error.error}. Try again.") from error
    claims = token["userinfo"]
    try:
        member_id = await run_in_threadpool(
            Identity(services(request)).register_external, claims["iss"], claims["sub"],
            _display_name(claims))
    except SignInError as refused:
        raise HTTPException(403, str(refused)) from refused
    member = MemberView(member_id, _display_name(claims))
    response = RedirectResponse(local_url(request.session.pop(NEXT_KEY, "/"), "/"), 303)
    await run_in_threadpool(sign_in, request, response, member)
    return response


def _unreachable(request: Request) -> HTTPException:
    return HTTPException(503, f"{_provider(request).label} does not answer just now. "
                              "Try again in a minute, or sign in with a local account.")


def _display_name(claims: dict[str, object]) -> str:
    for key in ("name", "preferred_username", "given_name", "email"):
        value = claims.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:120]
    return "Member"


def _provider(request: Request) -> OidcProvider:
    name = request.path_params["provider"]
    for provider in providers(request):
        if provider.name == name:
            return provider
    raise HTTPException(404, "There is no such sign-in provider.")


def _client(request: Request) -> StarletteOAuth2App:
    provider = _provider(request)
    registry: OAuth = _registry(request)
    client = registry.create_client(provider.name)
    assert client is not None
    return client


def _registry(request: Request) -> OAuth:
    """One authlib registry per app: it caches each issuer's discovery document."""
    state = request.app.state
    if getattr(state, "oidc", None) is None:
        registry = OAuth()
        for provider in providers(request):
            registry.register(
                provider.name, client_id=provider.client_id,
                client_secret=provider.client_secret,
                server_metadata_url=provider.metadata_url,
                client_kwargs={"scope": "openid profile email",
                               "code_challenge_method": "S256"})
        state.oidc = registry
    registry_: OAuth = state.oidc
    return registry_
