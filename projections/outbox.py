"""The e-mail outbox: claiming, marking and listing messages (a mutable table).

The notification projection fills it (one row per message, unique key); the sender
in `incubator/mailer.py` claims a row (pending -> sending), sends it, and marks it
sent. A row found in "sending" when a sender starts was claimed by a process that
died mid-send: whether the server got it is unknown, so it becomes "uncertain" and
is not sent again by itself (at most once); an admin may send it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import Engine, func, insert, select, update

from projections.tables import email_outbox, member_accounts

PENDING, SENDING, SENT, DIGESTED = "pending", "sending", "sent", "digested"
UNCERTAIN, FAILED, NO_ADDRESS, EXPIRED = "uncertain", "failed", "no_address", "expired"


@dataclass(frozen=True)
class Message:
    key: str
    member_id: UUID
    kind: str
    subject: str
    body: str
    event_at: datetime
    state: str
    attempts: int
    last_error: str
    sent_at: datetime | None
    email: str | None  # None: no local account, or forgotten


def _message(row: object) -> Message:
    r = row._mapping  # type: ignore[attr-defined]
    return Message(r["key"], r["member_id"], r["kind"], r["subject"], r["body"], r["event_at"],
                   r["state"], r["attempts"], r["last_error"], r["sent_at"], r["email"])


def _with_address() -> object:
    return (select(email_outbox, member_accounts.c.email)
            .outerjoin(member_accounts, member_accounts.c.member_id == email_outbox.c.member_id))


def due(engine: Engine, now: datetime, limit: int = 100) -> list[Message]:
    """Pending messages (not waiting for a digest) whose next attempt is due."""
    query = (_with_address()  # type: ignore[attr-defined]
             .where(email_outbox.c.state == PENDING, email_outbox.c.digest.is_(False),
                    email_outbox.c.next_attempt_at <= now)
             .order_by(email_outbox.c.next_attempt_at, email_outbox.c.key).limit(limit))
    with engine.connect() as conn:
        return [_message(row) for row in conn.execute(query)]


def latest(engine: Engine, limit: int = 100) -> list[Message]:
    """The newest messages first, for the admins' outbox page."""
    query = (_with_address()  # type: ignore[attr-defined]
             .order_by(email_outbox.c.event_at.desc(), email_outbox.c.key).limit(limit))
    with engine.connect() as conn:
        return [_message(row) for row in conn.execute(query)]


def counts(engine: Engine) -> dict[str, int]:
    query = select(email_outbox.c.state, func.count()).group_by(email_outbox.c.state)
    with engine.connect() as conn:
        return {state: int(n) for state, n in conn.execute(query)}


def claim(engine: Engine, key: str) -> bool:
    """pending -> sending, committed before the message goes out; False if taken."""
    with engine.begin() as conn:
        claimed = conn.execute(update(email_outbox).where(
            email_outbox.c.key == key, email_outbox.c.state == PENDING)
            .values(state=SENDING, attempts=email_outbox.c.attempts + 1))
    return claimed.rowcount == 1


def mark(engine: Engine, key: str, state: str, error: str = "",
         sent_at: datetime | None = None) -> None:
    with engine.begin() as conn:
        conn.execute(update(email_outbox).where(email_outbox.c.key == key)
                     .values(state=state, last_error=error[:1000], sent_at=sent_at))


def retry_later(engine: Engine, key: str, error: str, at: datetime) -> None:
    with engine.begin() as conn:
        conn.execute(update(email_outbox).where(email_outbox.c.key == key)
                     .values(state=PENDING, last_error=error[:1000], next_attempt_at=at))


def abandon_interrupted(engine: Engine) -> int:
    """Rows a dead sender left in "sending" become "uncertain" (never resent by itself)."""
    with engine.begin() as conn:
        found = conn.execute(update(email_outbox).where(email_outbox.c.state == SENDING)
                             .values(state=UNCERTAIN,
                                     last_error="The sender stopped while sending this: "
                                                "it may or may not have gone out."))
    return int(found.rowcount)


def send_again(engine: Engine, key: str, now: datetime) -> bool:
    """An admin's decision: an uncertain or failed message goes out once more."""
    with engine.begin() as conn:
        found = conn.execute(update(email_outbox).where(
            email_outbox.c.key == key, email_outbox.c.state.in_((UNCERTAIN, FAILED)))
            .values(state=PENDING, attempts=0, next_attempt_at=now))
    return found.rowcount == 1


def collect_digests(engine: Engine, cutoff: datetime, now: datetime) -> int:
    """Gather each member's pending digest messages from before `cutoff` into one
    message keyed by member and day; returns how many digests were made. A day's
    digest is made once: messages that arrive after it wait for the next day's."""
    waiting = (select(email_outbox).where(
        email_outbox.c.state == PENDING, email_outbox.c.digest.is_(True),
        email_outbox.c.event_at < cutoff).order_by(email_outbox.c.event_at, email_outbox.c.key))
    made = 0
    with engine.begin() as conn:
        by_member: dict[UUID, list[object]] = {}
        for row in conn.execute(waiting):
            by_member.setdefault(row.member_id, []).append(row)
        for member_id, rows in by_member.items():
            key = f"digest:{member_id}:{cutoff.date().isoformat()}"
            if conn.execute(select(email_outbox.c.key).where(email_outbox.c.key == key)).first():
                continue
            conn.execute(insert(email_outbox).values(
                key=key, member_id=member_id, kind="digest", subject=_digest_subject(rows),
                body=_digest_body(rows), event_at=now, digest=False, state=PENDING,
                attempts=0, next_attempt_at=now, last_error="", digest_key=None, sent_at=None))
            conn.execute(update(email_outbox).where(
                email_outbox.c.key.in_([r.key for r in rows]))  # type: ignore[attr-defined]
                .values(state=DIGESTED, digest_key=key))
            made += 1
    return made


def _digest_subject(rows: list[object]) -> str:
    n = len(rows)
    return f"Incubator: {n} notice{'' if n == 1 else 's'} since yesterday"


def _digest_body(rows: list[object]) -> str:
    parts = [f"{r.subject}\n{r.body.strip()}" for r in rows]  # type: ignore[attr-defined]
    return "\n\n---\n\n".join(parts) + "\n"
