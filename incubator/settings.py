"""Settings, read from the environment (or given explicitly by the CLI and tests)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA_DIR = "./incubator-data"


@dataclass(frozen=True)
class Settings:
    """`database_url` empty means the embedded default: SQLite files in `data_dir`."""

    data_dir: Path = Path(DEFAULT_DATA_DIR)
    database_url: str = ""
    secret_key: str = ""
    demo: bool = False
    projection_poll_s: float = 0.1
    # Operations: /readyz fails when a projection is more events behind the log than
    # this; /metrics answers only with this bearer token (none set: no endpoint).
    ready_max_lag: int = 1000
    metrics_token: str = ""
    # Behind a reverse proxy: X-Forwarded-For/-Proto are believed only from these
    # addresses (comma-separated; "*" trusts everyone, only for a private network).
    forwarded_allow_ips: str = "127.0.0.1"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        return cls(
            data_dir=Path(environ.get("INCUBATOR_DATA_DIR", DEFAULT_DATA_DIR)),
            database_url=environ.get("INCUBATOR_DATABASE_URL", ""),
            secret_key=environ.get("INCUBATOR_SECRET_KEY", ""),
            demo=environ.get("INCUBATOR_DEMO", "") in {"1", "true", "yes"},
            ready_max_lag=int(environ.get("INCUBATOR_READY_MAX_LAG", "1000")),
            metrics_token=environ.get("INCUBATOR_METRICS_TOKEN", ""),
            forwarded_allow_ips=environ.get("INCUBATOR_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        )

    def to_env(self) -> dict[str, str]:
        """The inverse of `from_env`, for handing settings to worker processes."""
        env = {"INCUBATOR_DATA_DIR": str(self.data_dir),
               "INCUBATOR_DATABASE_URL": self.database_url,
               "INCUBATOR_DEMO": "1" if self.demo else ""}
        if self.secret_key:
            env["INCUBATOR_SECRET_KEY"] = self.secret_key
        return env

    @property
    def uses_postgres(self) -> bool:
        return self.database_url.startswith(("postgresql://", "postgres://"))
