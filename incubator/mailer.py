"""The e-mail sender: a background `Job` that sends what the outbox holds, over SMTP.

Runs in exactly one process (its lease: `incubator worker`, or inside `serve` on
SQLite and single-process PostgreSQL), and only when `INCUBATOR_SMTP_HOST` is set.
Each message is claimed (committed), sent, then marked sent:

- a refusal or lost connection *before* the message's data was handed over means it
  was not sent: it is retried later with exponential back-off (1 min, 2, 4 ... 1 h),
  up to `MAX_ATTEMPTS` times, then marked failed;
- once the data is handed over, the server's answer decides; if the connection (or
  this process) dies before that answer, nobody knows whether it went out, so the
  message becomes "uncertain" and is NOT sent again by itself. We chose at most once:
  a duplicate notice is worse than a missed one, which the inbox still shows. An
  admin can send an uncertain message again from /admin/outbox; its Message-ID is
  derived from the outbox key, so a repeat is recognisable as the same message.

News older than `email_max_age_hours` is not e-mailed ("expired"): a sender that was
down for days, or a first start on an old event log, does not flood anyone.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
import ssl
import threading
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from sqlalchemy import Engine

from incubator.settings import Settings
from projections import outbox
from projections.outbox import Message

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
TIMEOUT_S = 30.0


def backoff(attempts: int) -> timedelta:
    """Wait before the next try after `attempts` tries: 1 min, doubling, at most 1 h."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def now_utc() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class NotSentError(Exception):
    """The server refused, or the connection failed, before the data was handed over."""

    def __init__(self, reason: str, permanent: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent


class UncertainError(Exception):
    """The connection was lost after the data was handed over."""


class Mailer:
    """The `email` job: `run_once` sends what is due; `start` runs it every `poll_s`."""

    name = "email"

    def __init__(self, settings: Settings, engine: Engine, poll_s: float = 5.0) -> None:
        self.settings, self.engine, self.poll_s = settings, engine, poll_s
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.error: BaseException | None = None

    # ---- the Job protocol ----

    def start(self) -> None:
        self._stopping.clear()
        if found := outbox.abandon_interrupted(self.engine):
            log.warning("E-mail: %d message(s) were being sent when a sender stopped; "
                        "marked uncertain, not resent", found)
        self._thread = threading.Thread(target=self._loop, name="email", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=TIMEOUT_S + 5)

    def failure(self) -> BaseException | None:
        return None  # every error is waited out and retried

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                self.run_once()
            except Exception:  # the database away, a bug in one message: try again later
                log.exception("E-mail: a sending round failed; trying again")
            self._stopping.wait(self.poll_s)

    # ---- the work ----

    def run_once(self, now: datetime | None = None) -> int:
        """Make the day's digests when due, then send every due message; returns how
        many went out."""
        now = now or now_utc()
        cutoff = now.replace(hour=self.settings.digest_hour, minute=0, second=0,
                             microsecond=0)
        if now >= cutoff:
            outbox.collect_digests(self.engine, cutoff, now)
        messages = outbox.due(self.engine, now)
        if not messages:
            return 0
        sent = 0
        connection: smtplib.SMTP | None = None
        try:
            for message in messages:
                if self._stopping.is_set():
                    break
                if connection is None and self._deliverable(message, now):
                    connection = self._connect_or_wait(messages, now)
                    if connection is None:
                        return sent
                try:
                    sent += self._send_one(connection, message, now)
                except UncertainError as lost:
                    log.warning("E-mail: %s (%s marked uncertain)", lost, message.key)
                    break  # the connection is gone: the rest wait for the next round
        finally:
            if connection is not None:
                _quit(connection)
        return sent

    def _deliverable(self, message: Message, now: datetime) -> bool:
        return message.email is not None and not self._expired(message, now)

    def _expired(self, message: Message, now: datetime) -> bool:
        return now - message.event_at > timedelta(hours=self.settings.email_max_age_hours)

    def _connect_or_wait(self, messages: list[Message], now: datetime) -> smtplib.SMTP | None:
        try:
            return self.connect()
        except (OSError, smtplib.SMTPException) as error:
            log.warning("E-mail: cannot reach %s:%s: %s", self.settings.smtp_host,
                        self.settings.smtp_port, error)
            for message in messages:  # nothing was claimed: all wait their back-off
                if message.attempts < MAX_ATTEMPTS:
                    outbox.retry_later(
                        self.engine, message.key,
                        f"Could not connect or sign in to the SMTP server: {error}",
                        now + backoff(message.attempts + 1))
            return None

    def _send_one(self, connection: smtplib.SMTP | None, message: Message,
                  now: datetime) -> int:
        if not outbox.claim(self.engine, message.key):
            return 0  # someone else's now (an admin action, another sender)
        if message.email is None:
            outbox.mark(self.engine, message.key, outbox.NO_ADDRESS,
                        "No e-mail address is kept for this member.")
            return 0
        if self._expired(message, now):
            outbox.mark(self.engine, message.key, outbox.EXPIRED, "Too old to send.")
            return 0
        assert connection is not None
        try:
            deliver(connection, self.compose(message), self.settings.smtp_from,
                    message.email)
        except NotSentError as refused:
            if refused.permanent or message.attempts + 1 >= MAX_ATTEMPTS:
                outbox.mark(self.engine, message.key, outbox.FAILED, str(refused))
            else:
                outbox.retry_later(self.engine, message.key, str(refused),
                                   now + backoff(message.attempts + 1))
            return 0
        except UncertainError as lost:
            outbox.mark(self.engine, message.key, outbox.UNCERTAIN, str(lost))
            raise
        outbox.mark(self.engine, message.key, outbox.SENT, sent_at=now_utc())
        return 1

    def connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()
        connection: smtplib.SMTP
        if s.smtp_tls == "ssl":
            connection = smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=TIMEOUT_S,
                                          context=context)
        else:
            connection = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=TIMEOUT_S)
        try:
            if s.smtp_tls == "starttls":
                connection.starttls(context=context)
            if s.smtp_user:
                connection.login(s.smtp_user, s.smtp_password)
        except BaseException:
            connection.close()  # a refused login or certificate leaves no socket open
            raise
        return connection

    def compose(self, message: Message) -> EmailMessage:
        assert message.email is not None
        mail = EmailMessage()
        mail["From"] = self.settings.smtp_from
        mail["To"] = message.email
        mail["Subject"] = message.subject
        mail["Date"] = format_datetime(message.event_at.replace(tzinfo=UTC))
        mail["Message-ID"] = message_id(message.key, self.settings.smtp_from)
        mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
        base = self.settings.public_url.rstrip("/")
        footer = f"\n--\nChoose what Incubator tells you: {base}/account#notifications\n"
        mail.set_content(message.body.replace("{base_url}", base) + footer)
        return mail


def message_id(key: str, sender: str) -> str:
    """Derived from the outbox key: the same message always has the same Message-ID."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "incubator.invalid"
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"<{digest}@{domain}>"


def deliver(connection: smtplib.SMTP, mail: EmailMessage, sender: str, to: str) -> None:
    """MAIL, RCPT, then DATA; which step failed says whether it may have gone out."""
    envelope_from = parseaddr(sender)[1]
    try:
        code, reply = connection.mail(envelope_from)
        if code != 250:
            raise NotSentError(f"Sender refused: {code} {reply!r}", permanent=code >= 500)
        code, reply = connection.rcpt(to)
        if code not in (250, 251):
            connection.rset()
            raise NotSentError(f"Recipient refused: {code} {reply!r}", permanent=code >= 500)
    except (OSError, smtplib.SMTPServerDisconnected) as error:
        raise NotSentError(f"Connection lost before sending: {error}") from error
    try:
        connection.data(mail.as_bytes())
    except smtplib.SMTPDataError as refused:  # the server answered: it did not take it
        raise NotSentError(f"Message refused: {refused.smtp_code} {refused.smtp_error!r}",
                           permanent=refused.smtp_code >= 500) from refused
    except (OSError, smtplib.SMTPException) as lost:
        raise UncertainError(f"Connection lost while sending: {lost}") from lost


def _quit(connection: smtplib.SMTP) -> None:
    try:
        connection.quit()
    except (OSError, smtplib.SMTPException):
        connection.close()
