"""Local accounts, sign-in and server-side sessions, on both databases."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update

from domain.member import Role
from incubator import passwords
from incubator.bootstrap import Services, bootstrap
from incubator.identity import AccountError, Identity, SignInError
from incubator.settings import Settings
from projections.tables import member_accounts, member_sessions

PASSWORD = "a long pass phrase with spaces"


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def test_an_account_signs_in_with_its_password_and_nothing_else(services: Services) -> None:
    identity = Identity(services)
    ann = identity.create_local_account(" Ann@Example.org ", PASSWORD, "Ann Archer").id
    assert identity.authenticate("ann@example.ORG", PASSWORD) == ann
    for email, password in (("ann@example.org", PASSWORD + "!"), ("bob@example.org", PASSWORD)):
        with pytest.raises(SignInError, match="don't match an account"):
            identity.authenticate(email, password)
    with services.writer.connect() as conn:
        stored = conn.execute(select(member_accounts)).one()
    assert stored.email == "ann@example.org"
    assert stored.password_hash.startswith("$argon2id$") and PASSWORD not in stored.password_hash


def test_an_e_mail_address_has_one_account(services: Services) -> None:
    identity = Identity(services)
    identity.create_local_account("ann@example.org", PASSWORD, "Ann Archer")
    with pytest.raises(AccountError) as refused:
        identity.create_local_account("ANN@example.org", PASSWORD, "Another Ann")
    assert refused.value.problems == {"email": "There is already an account with this e-mail."}


@pytest.mark.parametrize(("password", "problem"), [
    ("short pass", "at least 15 characters"),
    ("passwordpassword", "most common"),
    ("aaaaaaaaaaaaaaaaaaaa", "most common"),
    ("ann.archer is my password", "e-mail address"),
    ("x" * 1_025, "at most 1,024"),
])
def test_passwords_follow_nist_length_rules(password: str, problem: str) -> None:
    found = passwords.problem_with(password, "ann.archer@example.org")
    assert found is not None and problem in found


def test_long_unicode_pass_phrases_with_spaces_are_welcome() -> None:
    for password in ("Ünïcödé pass phrase ✓ 日本語", "no digits or symbols needed here",
                     "a sentence of well over sixty-four characters, spaces and all, is fine"):
        assert passwords.problem_with(password, "ann@example.org") is None
    # NFKC: the same phrase typed with a full-width letter still matches.
    stored = passwords.hash_password("ﬁne pass phrase for me")
    assert passwords.verify(stored, "fine pass phrase for me")


def test_a_hash_made_with_old_parameters_is_replaced_at_sign_in(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    identity = Identity(services)
    monkeypatch.setattr(passwords, "hasher", PasswordHasher(time_cost=1, memory_cost=8192))
    ann = identity.create_local_account("ann@example.org", PASSWORD, "Ann Archer").id
    monkeypatch.undo()
    assert identity.authenticate("ann@example.org", PASSWORD) == ann
    with services.writer.connect() as conn:
        rehashed = conn.execute(select(member_accounts.c.password_hash)).scalar_one()
    assert "m=65536,t=3" in rehashed
    assert identity.authenticate("ann@example.org", PASSWORD) == ann


def test_sessions_are_stored_hashed_and_end_when_asked(services: Services) -> None:
    identity = Identity(services)
    ann = identity.create_local_account("ann@example.org", PASSWORD, "Ann Archer",
                                        roles=(Role.ADMIN,)).id
    first, second = identity.start_session(ann), identity.start_session(ann)
    member = identity.session_member(first)
    assert member is not None and member.id == ann and member.display_name == "Ann Archer"
    assert member.roles == {Role.STAFF, Role.ADMIN}
    with services.writer.connect() as conn:
        stored = set(conn.execute(select(member_sessions.c.token_hash)).scalars())
    assert first not in stored and len(stored) == 2
    identity.end_session(first)
    assert identity.session_member(first) is None
    assert identity.session_member(second) is not None
    assert identity.end_all_sessions(ann) == 1
    assert identity.session_member(second) is None


def test_disabling_a_member_ends_their_sessions_and_refuses_sign_in(services: Services) -> None:
    identity = Identity(services)
    admin = identity.create_local_account("admin@example.org", PASSWORD, "Ada Admin",
                                          roles=(Role.ADMIN,)).id
    bob = identity.create_local_account("bob@example.org", PASSWORD, "Bob Baker").id
    token = identity.start_session(bob)
    services.runner.wait_for(identity.disable_member(bob, admin).position)
    assert identity.session_member(token) is None
    with pytest.raises(SignInError, match="disabled"):
        identity.authenticate("bob@example.org", PASSWORD)


def test_idle_and_absolute_timeouts(services: Services) -> None:
    identity = Identity(services)
    ann = identity.create_local_account("ann@example.org", PASSWORD, "Ann Archer").id
    idle, old = identity.start_session(ann), identity.start_session(ann)
    with services.writer.begin() as conn:
        conn.execute(update(member_sessions).values(
            last_seen_at=utc_now() - timedelta(hours=73)))
    assert identity.session_member(idle) is None
    services.settings = dataclasses.replace(services.settings, session_idle_hours=100)
    assert identity.session_member(old) is not None  # seen 73 h ago: touched now
    with services.writer.begin() as conn:
        conn.execute(update(member_sessions).values(
            created_at=utc_now() - timedelta(days=31)))
    assert identity.session_member(old) is None
    with services.writer.connect() as conn:
        assert conn.execute(select(member_sessions)).all() == []


def test_a_sign_in_sweeps_out_sessions_that_ran_out(services: Services) -> None:
    identity = Identity(services)
    ann = identity.create_local_account("ann@example.org", PASSWORD, "Ann Archer").id
    for _ in range(3):
        identity.start_session(ann)
    with services.writer.begin() as conn:
        conn.execute(update(member_sessions).values(created_at=utc_now() - timedelta(days=31)))
    identity.start_session(ann)
    with services.writer.connect() as conn:
        assert len(conn.execute(select(member_sessions)).all()) == 1


def test_ending_sessions_in_one_process_ends_them_in_another(backend: Settings) -> None:
    """Two workers on one database: a disable in one signs the member out in the other."""
    first, second = bootstrap(backend), bootstrap(backend)
    try:
        admin = Identity(first).create_local_account("ada@example.org", PASSWORD, "Ada Admin",
                                                     roles=(Role.ADMIN,)).id
        bob = Identity(first).create_local_account("bob@example.org", PASSWORD, "Bob Baker").id
        token = Identity(first).start_session(bob)
        second.runner.wait_for(first.app.recorder.max_notification_id() or 0)
        assert Identity(second).session_member(token) is not None
        Identity(first).disable_member(bob, admin)
        assert Identity(second).session_member(token) is None
    finally:
        second.close()
        first.close()


def test_invisible_characters_are_refused_not_stored(services: Services) -> None:
    """PostgreSQL refuses NUL in text: a clear refusal, never a database error."""
    identity = Identity(services)
    with pytest.raises(AccountError) as refused:
        identity.create_local_account("ann\x00@example.org", PASSWORD, "Ann\x00Archer")
    assert set(refused.value.problems) == {"email", "name"}
    with pytest.raises(SignInError, match="don't match an account"):
        identity.authenticate("ann\x00@example.org", PASSWORD)
    with pytest.raises(SignInError, match="don't match an account"):
        identity.authenticate("a" * 5_000 + "@example.org", PASSWORD)


def test_a_member_from_an_identity_provider_is_registered_once_and_can_have_sessions(
    services: Services,
) -> None:
    identity = Identity(services)
    first = identity.register_external("https://idp.example/", "248289761001", "Jane Doe")
    again = identity.register_external("https://idp.example/", "248289761001", "Jane Q. Doe")
    assert first == again
    member = identity.session_member(identity.start_session(first))
    assert member is not None and member.display_name == "Jane Q. Doe"
    assert member.roles == {Role.STAFF}
