"""Sign-in with an OpenID Connect provider: the real flow against a real provider
(oidc-provider-mock, a Flask + authlib server the test runs on a local port)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import oidc_provider_mock
import pytest
from starlette.testclient import TestClient

from domain.member import COMMAND_LINE, Member, Role
from incubator.bootstrap import bootstrap
from incubator.identity import Identity
from incubator.oidc_providers import ProviderSettingsError, providers_from_env
from incubator.settings import Settings
from projections import member_queries
from web.app import create_app


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    with oidc_provider_mock.run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def client(tmp_path: Path, issuer: str) -> Iterator[TestClient]:
    env = {"INCUBATOR_OIDC_PROVIDERS": "corp", "INCUBATOR_OIDC_CORP_ISSUER": issuer,
           "INCUBATOR_OIDC_CORP_CLIENT_ID": "incubator",
           "INCUBATOR_OIDC_CORP_CLIENT_SECRET": "s3cret",
           "INCUBATOR_OIDC_CORP_LABEL": "Example Corp account"}
    settings = Settings(data_dir=tmp_path, secret_key="test",
                        oidc_providers=providers_from_env(env))
    services = bootstrap(settings)
    with TestClient(create_app(services=services)) as test_client:
        test_client.app_state = services  # type: ignore[attr-defined]
        yield test_client
    services.close()


def authorize(client: TestClient, issuer: str, subject: str, next_url: str = "/") -> str:
    """Start at our sign-in link, sign in at the provider: our callback URL."""
    start = client.get(f"/auth/oidc/corp?next={next_url}", follow_redirects=False)
    assert start.status_code in {302, 303}
    at_provider = start.headers["location"]
    query = parse_qs(urlsplit(at_provider).query)
    assert at_provider.startswith(issuer)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0]
    granted = httpx.post(at_provider, data={"sub": subject})
    assert granted.status_code == 302
    return granted.headers["location"]


def test_the_sign_in_page_offers_the_provider(client: TestClient) -> None:
    page = client.get("/sign-in")

    assert "Sign in with" in page.text and "Example Corp account" in page.text


def test_a_person_signs_in_with_the_provider_and_becomes_staff(
        client: TestClient, issuer: str) -> None:
    httpx.put(f"{issuer}/users/alice-0001",
              json={"name": "Alice Anders", "email": "alice@example.org"})

    back = client.get(authorize(client, issuer, "alice-0001", "/ideas/new"),
                      follow_redirects=False)

    assert back.status_code == 303 and back.headers["location"] == "/ideas/new"
    page = client.get("/ideas/new")
    assert page.status_code == 200 and "Alice Anders" in page.text
    services = client.app_state  # type: ignore[attr-defined]
    member_id = Member.id_for(issuer, "alice-0001")
    member = member_queries.member_summary(services.read_model.engine, member_id)
    assert member is not None and member.issuer == issuer and member.has(Role.STAFF)
    assert member.email is None  # the provider's e-mail is not kept


def test_signing_in_again_is_the_same_member_with_a_fresh_name(
        client: TestClient, issuer: str) -> None:
    httpx.put(f"{issuer}/users/bob-0002", json={"name": "Bob B."})
    client.get(authorize(client, issuer, "bob-0002"))
    client.cookies.clear()
    httpx.put(f"{issuer}/users/bob-0002", json={"name": "Robert Baker"})

    client.get(authorize(client, issuer, "bob-0002"))

    services = client.app_state  # type: ignore[attr-defined]
    member = services.read_model.member(Member.id_for(issuer, "bob-0002"))
    assert member is not None and member.display_name == "Robert Baker"
    assert "Robert Baker" in client.get("/").text


def test_a_forged_state_is_refused(client: TestClient, issuer: str) -> None:
    callback = authorize(client, issuer, "mallory-0003")
    forged = callback.replace("state=", "state=x")

    refused = client.get(forged)

    assert refused.status_code == 400 and "Try again" in refused.text
    assert "Sign in" in client.get("/").text  # still signed out


def test_a_callback_replayed_in_another_browser_is_refused(
        client: TestClient, issuer: str) -> None:
    callback = authorize(client, issuer, "mallory-0004")
    client.cookies.clear()  # the attacker's browser has no transaction cookie

    assert client.get(callback).status_code == 400


def test_a_denied_sign_in_explains_itself(client: TestClient, issuer: str) -> None:
    start = client.get("/auth/oidc/corp", follow_redirects=False)
    denied = httpx.post(start.headers["location"], data={"action": "deny"})

    page = client.get(denied.headers["location"])

    assert page.status_code == 400 and "did not sign you in" in page.text


def test_an_unknown_provider_is_not_found(client: TestClient) -> None:
    assert client.get("/auth/oidc/nobody").status_code == 404


def test_a_half_configured_provider_stops_start_up() -> None:
    with pytest.raises(ProviderSettingsError, match="CLIENT_SECRET"):
        providers_from_env({"INCUBATOR_OIDC_PROVIDERS": "corp",
                            "INCUBATOR_OIDC_CORP_ISSUER": "https://login.example.org",
                            "INCUBATOR_OIDC_CORP_CLIENT_ID": "incubator"})


def test_a_disabled_member_cannot_sign_in_with_the_provider(
        client: TestClient, issuer: str) -> None:
    client.get(authorize(client, issuer, "dora-0005"))
    services = client.app_state  # type: ignore[attr-defined]
    member_id = Member.id_for(issuer, "dora-0005")
    services.runner.wait_for(Identity(services).disable_member(member_id, COMMAND_LINE).position)
    client.cookies.clear()

    refused = client.get(authorize(client, issuer, "dora-0005"))

    assert refused.status_code == 403 and "disabled" in refused.text


def test_a_provider_that_does_not_answer_gets_a_clear_503(tmp_path: Path) -> None:
    env = {"INCUBATOR_OIDC_PROVIDERS": "corp",
           "INCUBATOR_OIDC_CORP_ISSUER": "http://127.0.0.1:9",  # nothing listens there
           "INCUBATOR_OIDC_CORP_CLIENT_ID": "incubator",
           "INCUBATOR_OIDC_CORP_CLIENT_SECRET": "s3cret"}
    services = bootstrap(Settings(data_dir=tmp_path, secret_key="test",
                                  oidc_providers=providers_from_env(env)))
    with TestClient(create_app(services=services)) as test_client:
        page = test_client.get("/auth/oidc/corp")
    services.close()

    assert page.status_code == 503 and "does not answer" in page.text
