"""On PostgreSQL, reads go without a transaction; writes keep theirs.

A read in a transaction costs two round trips more (psycopg's BEGIN before the first
query, the pool's ROLLBACK after): half of PostgreSQL's CPU per page view under load.
So the read model's engine runs in autocommit there, and writing through it would
commit statement by statement; writes go through `services.writer`.
"""

from __future__ import annotations

from datetime import datetime
from uuid import uuid4

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import Connection, select

from incubator.bootstrap import Services
from projections.tables import member_sessions, proposals
from tests.helpers import category, submit


def transaction_status(conn: Connection) -> TransactionStatus:
    return conn.connection.driver_connection.info.transaction_status  # type: ignore[union-attr]


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_a_read_leaves_no_transaction_open_and_a_write_is_one_transaction(
        services: Services) -> None:
    idea = submit(services, category(services, "network"))
    assert services.runner.wait_for(services.app.recorder.max_notification_id() or 0)
    with services.read_model.engine.connect() as conn:
        assert conn.execute(select(proposals.c.title).where(proposals.c.id == idea)).scalar()
        assert transaction_status(conn) is TransactionStatus.IDLE

    token = uuid4().hex
    now = datetime(2026, 11, 27, 9, 0)
    with pytest.raises(RuntimeError), services.writer.begin() as conn:
        conn.execute(member_sessions.insert().values(
            token_hash=token, member_id=uuid4(), created_at=now, last_seen_at=now))
        assert transaction_status(conn) is TransactionStatus.INTRANS
        raise RuntimeError("the second half of the write failed")
    with services.read_model.engine.connect() as conn:
        stored = conn.execute(select(member_sessions).where(member_sessions.c.token_hash == token))
        assert stored.first() is None, "the failed write left nothing behind"

