"""What a database that is away (stopped, restarting, failing over, unreachable) raises.

Pages answer 503 "try again in a moment" for these instead of a 500 (web/app.py), the
projection runner waits them out, and the connection pools reconnect by themselves on
the next request once the database is back. Connections give up after
`CONNECT_TIMEOUT_S`, so a database host that does not answer at all costs a request
seconds, not the minutes of a TCP timeout.
"""

from __future__ import annotations

import psycopg
from eventsourcing import persistence
from sqlalchemy import exc

CONNECT_TIMEOUT_S = 3

# Raised through SQLAlchemy (read models, sessions, rate limits) or the event store.
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (
    exc.OperationalError, exc.InterfaceError,
    persistence.OperationalError, persistence.InterfaceError,
)
# ... and by the few places that talk to PostgreSQL with psycopg directly.
DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (*TRANSIENT_ERRORS,
                                                     psycopg.OperationalError)
