"""Who is asking: local accounts, sign-in, server-side sessions, and their ends.

A session is a random token in a cookie; the database keeps only its SHA-256, the
member and two times (started, last seen). Every request looks it up, so signing
out, "sign out everywhere" and an admin disabling a member end sessions at once in
every worker process. The CSRF token of a session is an HMAC of its token under the
site's secret key: bound to the session, nothing stored.

Registration policy: there is no self-registration. The first admin is created on
the command line (`incubator admin create`); admins add further local accounts; the
organisation's identity provider (OpenID Connect) is the usual way in.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from domain.member import COMMAND_LINE, Member, Role
from domain.text import CONTROL_MESSAGE, has_control_characters
from incubator import passwords
from incubator.application import Written
from incubator.rate_limits import SIGN_IN_ACCOUNT, RateLimiter, Verdict, account_key
from projections import sessions
from projections.member_views import SignedInMember
from projections.schema import save_member_profile

if TYPE_CHECKING:
    from incubator.bootstrap import Services

LOCAL_ISSUER = "local"
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Writing "last seen" on every request would make every page a database write;
# a minute's precision is plenty for an idle timeout counted in hours.
TOUCH_AFTER = timedelta(minutes=1)


class AccountError(ValueError):
    """A refused account: `problems` maps form fields to what to change."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


class SignInError(Exception):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


class SignInThrottled(SignInError):
    """Too many failed sign-ins to this account lately; `verdict.retry_after` says
    for how long (seconds). No password was checked."""

    def __init__(self, verdict: Verdict) -> None:
        super().__init__("Too many failed sign-ins to this account.")
        self.verdict = verdict


@contextmanager
def throttle_sign_in(limiter: RateLimiter, email: str) -> Iterator[None]:
    """THE place where password sign-ins are throttled per account: refuse before any
    password is checked while the account is over its limit; count the attempt only
    when it fails (SignInError in the block), and forget the count when it succeeds.

    Only failures count, so a person signing in often is never refused, and a
    stranger guessing a password stops after a few tries for everyone alike. Each
    guess still counts against the per-address limit, applied by the web layer to
    every sign-in request (password and demo) before it gets here."""
    key = account_key(email)
    verdict = limiter.check(SIGN_IN_ACCOUNT, key)
    if not verdict.allowed:
        raise SignInThrottled(verdict)
    try:
        yield
    except SignInError:
        limiter.hit(SIGN_IN_ACCOUNT, key)
        raise
    limiter.reset(SIGN_IN_ACCOUNT, key)


@dataclass
class Identity:
    services: Services

    def create_local_account(
        self, email: str, password: str, display_name: str,
        roles: tuple[Role, ...] = (), granted_by: UUID = COMMAND_LINE,
    ) -> Written:
        """A member with a local account; the e-mail and hash stay out of the log."""
        email = normalise_email(email)
        self._check_account(email, password, display_name)
        subject = secrets.token_urlsafe(18)  # random: says nothing about the person
        member_id = Member.id_for(LOCAL_ISSUER, subject)
        # The account row claims the e-mail address first (unique key), so two
        # admins adding the same person at once end with one account.
        if not sessions.add_account(self.services.writer, member_id, email,
                                    passwords.hash_password(password), _now()):
            raise AccountError({"email": "There is already an account with this e-mail."})
        save_member_profile(self.services.writer, member_id, display_name.strip())
        written = self.services.app.register_member(LOCAL_ISSUER, subject)
        for role in roles:
            written = self.services.app.grant_role(member_id, role, None, granted_by)
        self.services.runner.wait_for(written.position)
        return Written(member_id, written.position)

    def register_external(self, issuer: str, subject: str, display_name: str) -> UUID:
        """A member known to an identity provider (e.g. OpenID Connect: issuer + sub),
        registered once however often and however concurrently they arrive; their
        name is refreshed each time. Returns once the read model knows them."""
        written = self.services.app.register_member(issuer, subject)
        # Position 0: registered before (maybe just now by another process): wait for
        # the log's head so the session lookup finds the member.
        position = written.position or self.services.app.recorder.max_notification_id() or 0
        self.services.runner.wait_for(position)
        status = sessions.member_status(self.services.writer, written.id)
        if status is None:  # not in the read model yet (e.g. it is being rebuilt)
            raise SignInError("Your account is being set up. Please sign in again in a minute.")
        if status != "active":
            raise SignInError("This account is disabled. Ask an admin if you need it back.")
        if display_name.strip() and not has_control_characters(display_name):
            save_member_profile(self.services.writer, written.id, display_name.strip()[:120])
        return written.id

    def _check_account(self, email: str, password: str, display_name: str) -> None:
        problems = {}
        if not EMAIL_PATTERN.match(email) or len(email) > 320 or has_control_characters(email):
            problems["email"] = "Enter an e-mail address such as name@example.org."
        elif sessions.account_by_email(self.services.writer, email) is not None:
            problems["email"] = "There is already an account with this e-mail."
        if has_control_characters(display_name):
            problems["name"] = CONTROL_MESSAGE
        elif not display_name.strip() or len(display_name.strip()) > 120:
            problems["name"] = "Enter the name people will see, up to 120 characters."
        if problem := passwords.problem_with(password, email):
            problems["password"] = problem
        if problems:
            raise AccountError(problems)

    def authenticate(self, email: str, password: str) -> UUID:
        """The member whose local account this is; SignInError otherwise, and
        SignInThrottled (without checking the password) after too many failures."""
        with throttle_sign_in(self.services.rate_limits, email):
            return self._verify_password(email, password)

    def _verify_password(self, email: str, password: str) -> UUID:
        email = normalise_email(email)
        usable = len(email) <= 320 and not has_control_characters(email)
        found = sessions.account_by_email(self.services.writer, email) if usable else None
        if found is None:
            passwords.verify(passwords.dummy_hash(), password)
            raise SignInError("That e-mail address and password don't match an account.")
        member_id, password_hash = found
        if not passwords.verify(password_hash, password):
            raise SignInError("That e-mail address and password don't match an account.")
        if passwords.needs_rehash(password_hash):
            sessions.set_password_hash(self.services.writer, member_id,
                                       passwords.hash_password(password))
        if sessions.member_status(self.services.writer, member_id) != "active":
            raise SignInError("This account is disabled. Ask an admin if you need it back.")
        return member_id

    def change_password(self, member_id: UUID, current: str, new: str,
                        session_token: str) -> None:
        """A local account's new password; every other session of the member ends."""
        account = sessions.account_of(self.services.writer, member_id)
        if account is None:
            raise AccountError({"current": "You sign in without a password here."})
        email, password_hash = account
        if not passwords.verify(password_hash, current):
            raise AccountError({"current": "That is not your current password."})
        if problem := passwords.problem_with(new, email):
            raise AccountError({"new": problem})
        sessions.set_password_hash(self.services.writer, member_id, passwords.hash_password(new))
        sessions.end_other_sessions(self.services.writer, member_id, _digest(session_token))

    def has_password(self, member_id: UUID) -> bool:
        return sessions.account_of(self.services.writer, member_id) is not None

    def start_session(self, member_id: UUID) -> str:
        now, settings = _now(), self.services.settings
        # Sign-ins are rare enough to sweep out the sessions that have run out meanwhile.
        sessions.delete_expired_sessions(
            self.services.writer, now - timedelta(hours=settings.session_idle_hours),
            now - timedelta(hours=settings.session_absolute_hours))
        token = secrets.token_urlsafe(32)
        sessions.add_session(self.services.writer, _digest(token), member_id, now)
        return token

    def session_member(self, token: str) -> SignedInMember | None:
        """The member behind a session token, if the session is still open."""
        if not token or len(token) > 100:
            return None
        digest = _digest(token)
        member = sessions.session_member(self.services.read_model.engine, digest)
        if member is None or member.session_started_at is None or member.session_seen_at is None:
            return None
        now, settings = _now(), self.services.settings
        if (now - member.session_started_at > timedelta(hours=settings.session_absolute_hours)
                or now - member.session_seen_at > timedelta(hours=settings.session_idle_hours)):
            sessions.delete_session(self.services.writer, digest)
            return None
        if now - member.session_seen_at > TOUCH_AFTER:
            sessions.touch_session(self.services.writer, digest, now)
        return member

    def end_session(self, token: str) -> None:
        sessions.delete_session(self.services.writer, _digest(token))

    def end_all_sessions(self, member_id: UUID) -> int:
        return sessions.delete_member_sessions(self.services.writer, member_id)

    def disable_member(self, member_id: UUID, disabled_by: UUID) -> Written:
        written = self.services.app.disable_member(member_id, disabled_by)
        self.end_all_sessions(member_id)
        return written

    def forget_member(self, member_id: UUID, forgotten_by: UUID) -> Written:
        """Erase what is personal (profile, account, sessions); the member's ideas,
        votes and comments stay, shown as a former member's."""
        written = self.services.app.forget_member(member_id, forgotten_by)
        sessions.erase_personal_data(self.services.writer, member_id)
        return written

    def csrf_token(self, session_token: str) -> str:
        return hmac.new(self.services.secret_key.encode(), b"csrf:" + session_token.encode(),
                        hashlib.sha256).hexdigest()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
