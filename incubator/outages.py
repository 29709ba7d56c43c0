"""What a database that is away (stopped, restarting, failing over, unreachable) raises.

Pages answer 503 "try again in a moment" for these instead of a 500 (web/app.py), the
projection runner waits them out, and the connection pools reconnect by themselves on
the next request once the database is back. Connections give up after
`CONNECT_TIMEOUT_S`, so a database host that does not answer at all costs a request
seconds, not the minutes of a TCP timeout.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TypeVar

import psycopg
from eventsourcing import persistence
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import retry
from sqlalchemy import exc

T = TypeVar("T")

# Not lower: on a busy host PostgreSQL can take seconds to start a backend, and a
# connection refused (the usual outage) fails at once whatever this is.
CONNECT_TIMEOUT_S = 5

# Raised through SQLAlchemy (read models, sessions, rate limits) or the event store.
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (
    exc.OperationalError, exc.InterfaceError,
    persistence.OperationalError, persistence.InterfaceError,
)
# ... and by the few places that talk to PostgreSQL with psycopg directly.
DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (*TRANSIENT_ERRORS,
                                                     psycopg.OperationalError)

# The event store's pool gives up reconnecting in the background after this long and
# then makes a fresh attempt as soon as a request needs a connection; its default
# (5 minutes of doubling back-off) left commands failing for up to the length of the
# outage after the database was back.
RECONNECT_GIVE_UP_S = 5.0
# The event store's library tries a lost connection 10 times, each try waiting up to
# the connect timeout: a command in flight when the database went away hung for 30 s.
TRIES = 2


def _fewer_tries(method: Callable[..., T]) -> Callable[..., T]:
    tries: Callable[..., T] = retry((persistence.InterfaceError, persistence.OperationalError),
                                    max_attempts=TRIES, wait=0.2)(inspect.unwrap(method))
    return tries


class FailFastPostgresRecorder(PostgresApplicationRecorder):
    """eventsourcing's PostgreSQL recorder, trying a lost connection `TRIES` times.
    Chosen with the event store's APPLICATION_RECORDER_TOPIC (incubator/bootstrap.py)."""

    insert_events = _fewer_tries(PostgresApplicationRecorder.insert_events)
    max_notification_id = _fewer_tries(PostgresApplicationRecorder.max_notification_id)
    select_events = _fewer_tries(PostgresApplicationRecorder.select_events)
    select_notifications = _fewer_tries(PostgresApplicationRecorder.select_notifications)
