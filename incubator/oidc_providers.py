"""OpenID Connect identity providers, configured by environment variables.

    INCUBATOR_OIDC_PROVIDERS=corp,partner          names, in the order of the buttons
    INCUBATOR_OIDC_CORP_ISSUER=https://login.example.org/realms/staff
    INCUBATOR_OIDC_CORP_CLIENT_ID=incubator
    INCUBATOR_OIDC_CORP_CLIENT_SECRET=...
    INCUBATOR_OIDC_CORP_LABEL=Example staff account  (optional; the button's text)

The issuer's discovery document (`/.well-known/openid-configuration`) supplies the
endpoints and keys, so nothing else needs configuring.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")


class ProviderSettingsError(ValueError):
    """A provider is named but not fully configured: refuse to start rather than
    show a sign-in button that cannot work."""


@dataclass(frozen=True)
class OidcProvider:
    name: str
    issuer: str
    client_id: str
    client_secret: str
    label: str

    @property
    def metadata_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"

    def to_env(self) -> dict[str, str]:
        prefix = _prefix(self.name)
        return {prefix + "ISSUER": self.issuer, prefix + "CLIENT_ID": self.client_id,
                prefix + "CLIENT_SECRET": self.client_secret, prefix + "LABEL": self.label}


def providers_from_env(environ: Mapping[str, str]) -> tuple[OidcProvider, ...]:
    names = [name.strip().lower() for name in environ.get("INCUBATOR_OIDC_PROVIDERS", "")
             .split(",") if name.strip()]
    return tuple(_provider(name, environ) for name in names)


def providers_to_env(providers: tuple[OidcProvider, ...]) -> dict[str, str]:
    env = {"INCUBATOR_OIDC_PROVIDERS": ",".join(p.name for p in providers)}
    for provider in providers:
        env.update(provider.to_env())
    return env


def _provider(name: str, environ: Mapping[str, str]) -> OidcProvider:
    if not NAME.fullmatch(name):
        raise ProviderSettingsError(f"OIDC provider name {name!r}: use a-z, 0-9 and _")
    prefix = _prefix(name)
    missing = [prefix + key for key in ("ISSUER", "CLIENT_ID", "CLIENT_SECRET")
               if not environ.get(prefix + key)]
    if missing:
        raise ProviderSettingsError(f"OIDC provider {name!r} needs {', '.join(missing)}")
    issuer = environ[prefix + "ISSUER"]
    if not issuer.startswith(("https://", "http://localhost", "http://127.0.0.1")):
        raise ProviderSettingsError(f"{prefix}ISSUER must be an https:// URL")
    return OidcProvider(name=name, issuer=issuer, client_id=environ[prefix + "CLIENT_ID"],
                        client_secret=environ[prefix + "CLIENT_SECRET"],
                        label=environ.get(prefix + "LABEL") or name.capitalize())


def _prefix(name: str) -> str:
    return f"INCUBATOR_OIDC_{name.upper()}_"
