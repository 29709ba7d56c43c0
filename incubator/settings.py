"""Settings, read from the environment (or given explicitly by the CLI and tests)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from incubator.oidc_providers import OidcProvider, providers_from_env, providers_to_env

DEFAULT_DATA_DIR = "./incubator-data"

# Rate limits ("hits/period", see incubator/rate_limits.py) and their variables.
# The defaults are far above what a person does by hand; they stop scripts.
RATE_LIMIT_ENV = {
    "rate_limit_ideas": "INCUBATOR_RATE_LIMIT_IDEAS",  # per member
    "rate_limit_comments": "INCUBATOR_RATE_LIMIT_COMMENTS",  # per member
    "rate_limit_votes": "INCUBATOR_RATE_LIMIT_VOTES",  # per member, votes and withdrawals
    "rate_limit_sign_in": "INCUBATOR_RATE_LIMIT_SIGN_IN",  # per client IP
    "rate_limit_sign_in_account": "INCUBATOR_RATE_LIMIT_SIGN_IN_ACCOUNT",  # per account
}


@dataclass(frozen=True)
class Settings:
    """`database_url` empty means the embedded default: SQLite files in `data_dir`."""

    data_dir: Path = Path(DEFAULT_DATA_DIR)
    database_url: str = ""
    secret_key: str = ""
    demo: bool = False
    projection_poll_s: float = 0.1
    oidc_providers: tuple[OidcProvider, ...] = ()
    rate_limit_ideas: str = "20/hour"
    rate_limit_comments: str = "60/hour"
    rate_limit_votes: str = "600/hour"
    # Generous: a whole office may reach us through one proxy address.
    rate_limit_sign_in: str = "100/minute"
    rate_limit_sign_in_account: str = "10/15 minutes"
    # A session ends after this long without a request, and this long after sign-in
    # whatever happens (NIST SP 800-63B AAL1 allows up to 30 days).
    session_idle_hours: float = 72.0
    session_absolute_hours: float = 720.0
    # Operations: /readyz fails when a projection is more events behind the log than
    # this; /metrics answers only with this bearer token (none set: no endpoint).
    ready_max_lag: int = 1000
    metrics_token: str = ""
    # Where `incubator worker` serves its own /metrics (with the same token).
    worker_metrics_address: str = "127.0.0.1:9464"
    # Behind a reverse proxy: X-Forwarded-For/-Proto are believed only from these
    # addresses (comma-separated; "*" trusts everyone, only for a private network).
    forwarded_allow_ips: str = "127.0.0.1"
    # Running at scale: the projections (and other background jobs) run in
    # `incubator worker`, not in the web processes (`serve --workers N` sets it).
    external_jobs: bool = False
    # Events per read-model transaction: smaller pages hold locks for less time.
    projection_batch: int = 20_000
    # A live-update stream ends after this long and the browser reconnects (it
    # says where it was, so nothing is missed): connections move between workers.
    live_stream_s: float = 600.0
    # E-mail (incubator/mailer.py). No host: nothing is sent, the messages wait in the
    # outbox that admins see at /admin/outbox. TLS: "starttls", "ssl" (implicit TLS,
    # usually port 465) or "none" (only for a relay on localhost).
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_tls: str = "starttls"
    smtp_from: str = "Incubator <incubator@localhost>"
    # Links in e-mails start with this (the address people open Incubator at).
    public_url: str = "http://localhost:8000"
    # Daily digests go out from this hour (UTC); news older than this is not e-mailed.
    digest_hour: int = 7
    email_max_age_hours: float = 72.0
    # The theme job re-clusters every idea this often (when ideas came since the last
    # run); 0 = only when an owner asks. New ideas join themes as they arrive anyway.
    themes_every_hours: float = 24.0
    # Similar ideas and themes: "tfidf", or "semantic" with the optional extra installed.
    ml_backend: str = "tfidf"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        return cls(
            data_dir=Path(environ.get("INCUBATOR_DATA_DIR", DEFAULT_DATA_DIR)),
            database_url=environ.get("INCUBATOR_DATABASE_URL", ""),
            secret_key=environ.get("INCUBATOR_SECRET_KEY", ""),
            demo=environ.get("INCUBATOR_DEMO", "") in {"1", "true", "yes"},
            oidc_providers=providers_from_env(environ),
            session_idle_hours=float(environ.get("INCUBATOR_SESSION_IDLE_HOURS") or 72),
            session_absolute_hours=float(environ.get("INCUBATOR_SESSION_ABSOLUTE_HOURS") or 720),
            ready_max_lag=int(environ.get("INCUBATOR_READY_MAX_LAG", "1000")),
            metrics_token=environ.get("INCUBATOR_METRICS_TOKEN", ""),
            worker_metrics_address=environ.get("INCUBATOR_WORKER_METRICS_ADDRESS")
            or "127.0.0.1:9464",
            external_jobs=environ.get("INCUBATOR_EXTERNAL_JOBS", "") in {"1", "true", "yes"},
            projection_batch=int(environ.get("INCUBATOR_PROJECTION_BATCH") or 20_000),
            themes_every_hours=float(environ.get("INCUBATOR_THEMES_EVERY_HOURS") or 24),
            ml_backend=environ.get("INCUBATOR_ML_BACKEND") or "tfidf",
            **_rate_limits_from(environ),
            forwarded_allow_ips=environ.get("INCUBATOR_FORWARDED_ALLOW_IPS", "127.0.0.1"),
            smtp_host=environ.get("INCUBATOR_SMTP_HOST", ""),
            smtp_port=int(environ.get("INCUBATOR_SMTP_PORT") or 587),
            smtp_user=environ.get("INCUBATOR_SMTP_USER", ""),
            smtp_password=environ.get("INCUBATOR_SMTP_PASSWORD", ""),
            smtp_tls=environ.get("INCUBATOR_SMTP_TLS") or "starttls",
            smtp_from=environ.get("INCUBATOR_SMTP_FROM") or "Incubator <incubator@localhost>",
            public_url=environ.get("INCUBATOR_PUBLIC_URL") or "http://localhost:8000",
            digest_hour=int(environ.get("INCUBATOR_DIGEST_HOUR") or 7),
            email_max_age_hours=float(environ.get("INCUBATOR_EMAIL_MAX_AGE_HOURS") or 72),
        )

    def to_env(self) -> dict[str, str]:
        """The inverse of `from_env`, for handing settings to worker processes."""
        env = {"INCUBATOR_DATA_DIR": str(self.data_dir),
               "INCUBATOR_DATABASE_URL": self.database_url,
               "INCUBATOR_DEMO": "1" if self.demo else "",
               "INCUBATOR_SESSION_IDLE_HOURS": str(self.session_idle_hours),
               "INCUBATOR_SESSION_ABSOLUTE_HOURS": str(self.session_absolute_hours)}
        if self.secret_key:
            env["INCUBATOR_SECRET_KEY"] = self.secret_key
        env.update(providers_to_env(self.oidc_providers))
        env["INCUBATOR_EXTERNAL_JOBS"] = "1" if self.external_jobs else ""
        env["INCUBATOR_PROJECTION_BATCH"] = str(self.projection_batch)
        env["INCUBATOR_THEMES_EVERY_HOURS"] = str(self.themes_every_hours)
        env["INCUBATOR_ML_BACKEND"] = self.ml_backend
        env.update({var: getattr(self, name) for name, var in RATE_LIMIT_ENV.items()})
        env.update({"INCUBATOR_SMTP_HOST": self.smtp_host,
                    "INCUBATOR_SMTP_PORT": str(self.smtp_port),
                    "INCUBATOR_SMTP_USER": self.smtp_user,
                    "INCUBATOR_SMTP_PASSWORD": self.smtp_password,
                    "INCUBATOR_SMTP_TLS": self.smtp_tls, "INCUBATOR_SMTP_FROM": self.smtp_from,
                    "INCUBATOR_PUBLIC_URL": self.public_url,
                    "INCUBATOR_DIGEST_HOUR": str(self.digest_hour),
                    "INCUBATOR_EMAIL_MAX_AGE_HOURS": str(self.email_max_age_hours)})
        return env

    @property
    def uses_postgres(self) -> bool:
        return self.database_url.startswith(("postgresql://", "postgres://"))


def _rate_limits_from(environ: Mapping[str, str]) -> dict[str, Any]:
    return {name: environ[var] for name, var in RATE_LIMIT_ENV.items() if var in environ}
