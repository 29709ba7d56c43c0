"""The e-mail sender against a real SMTP server (aiosmtpd, STARTTLS and a login):
what arrives, once, even across restarts and refusals; digests; no address, no mail."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select

from domain.proposal import Status
from incubator import mailer as mailer_module
from incubator.bootstrap import Services, bootstrap
from incubator.mailer import Mailer, now_utc
from incubator.settings import Settings
from projections import outbox, sessions
from projections.tables import email_outbox
from tests.helpers import category, submit
from tests.smtp_server import PASSWORD, USER, Received, run_server

OWNER = uuid4()


@pytest.fixture
def smtp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Received, int]]:
    for received, port, cert in run_server(tmp_path):
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust the test server's certificate
        yield received, port


@pytest.fixture
def world(backend: Settings, smtp: tuple[Received, int]) -> Iterator[Services]:
    settings = dataclasses.replace(
        backend, smtp_host="localhost", smtp_port=smtp[1], smtp_user=USER,
        smtp_password=PASSWORD, smtp_tls="starttls",
        smtp_from="Incubator <ideas@example.org>", public_url="https://ideas.example.org")
    services = bootstrap(settings, follow=False)  # the tests run the sender's rounds
    yield services
    services.close()


def member_with_email(services: Services, email: str) -> UUID:
    member = uuid4()
    assert sessions.add_account(services.writer, member, email, "hash", now_utc())
    return member


def answered_idea(services: Services, *voters: UUID, answer: str = "From March.") -> UUID:
    idea = submit(services, category(services), OWNER, title="Open the service desk at 8")
    for voter in voters:
        services.app.cast_vote(idea, voter)
    services.app.change_status(idea, Status.PLANNED, OWNER, answer)
    services.runner.catch_up()
    return idea


def states(services: Services) -> dict[str, str]:
    with services.writer.connect() as conn:
        return dict(conn.execute(select(email_outbox.c.key, email_outbox.c.state)).all())


def test_a_notice_arrives_by_email_over_starttls_with_a_stable_message_id(
        world: Services, smtp: tuple[Received, int]) -> None:
    received = smtp[0]
    ann = member_with_email(world, "ann@example.org")
    idea = answered_idea(world, ann)

    assert Mailer(world.settings, world.writer).run_once() == 1

    ((sender, to, mail),) = received.messages
    assert (sender, to) == ("ideas@example.org", ["ann@example.org"])
    assert mail["Subject"] == "News on “Open the service desk at 8”"
    body = mail.get_content()
    assert "Planned. From March." in body
    assert f"https://ideas.example.org/ideas/{idea}" in body
    assert mail["Message-ID"].endswith("@example.org>")
    assert set(states(world).values()) == {"sent"}


def test_a_restart_sends_nothing_twice_even_after_a_crash_mid_send(
        world: Services, smtp: tuple[Received, int], monkeypatch: pytest.MonkeyPatch) -> None:
    received = smtp[0]
    people = [member_with_email(world, f"p{n}@example.org") for n in range(3)]
    answered_idea(world, *people)
    real_mark = outbox.mark

    def crash_after_the_first_send(engine: object, key: str, state: str, *a: object,
                                   **k: object) -> None:
        if state == outbox.SENT:
            raise KeyboardInterrupt("killed between sending and marking it sent")
        real_mark(engine, key, state, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(mailer_module.outbox, "mark", crash_after_the_first_send)
    with pytest.raises(KeyboardInterrupt):
        Mailer(world.settings, world.writer).run_once()
    monkeypatch.setattr(mailer_module.outbox, "mark", real_mark)
    assert len(received.messages) == 1  # it went out; the process died before marking

    restarted = Mailer(world.settings, world.writer, poll_s=0.05)
    restarted.start()  # finds the interrupted message: uncertain, not resent
    try:
        deadline = datetime.now() + timedelta(seconds=10)
        while len(received.messages) < 3 and datetime.now() < deadline:
            restarted._stopping.wait(0.05)
    finally:
        restarted.stop()
    again = Mailer(world.settings, world.writer)
    again.start()
    again.stop()
    assert again.run_once() == 0

    to = sorted(rcpt for _, (rcpt,), _ in received.messages)
    assert to == sorted(f"p{n}@example.org" for n in range(3))  # each exactly once
    assert len(set(received.message_ids())) == 3
    assert sorted(states(world).values()) == ["sent", "sent", "uncertain"]
    world.runner.catch_up()  # a replay of the log adds no message either
    assert len(states(world)) == 3


def test_an_uncertain_message_sent_again_by_an_admin_keeps_its_message_id(
        world: Services, smtp: tuple[Received, int]) -> None:
    received = smtp[0]
    ann = member_with_email(world, "ann@example.org")
    answered_idea(world, ann)
    (key,) = states(world)
    assert outbox.claim(world.writer, key)  # a sender claimed it, then died
    assert outbox.abandon_interrupted(world.writer) == 1
    sender = Mailer(world.settings, world.writer)
    assert sender.run_once() == 0

    assert outbox.send_again(world.writer, key, now_utc())
    assert sender.run_once() == 1
    assert received.message_ids() == [str(sender.compose(outbox.latest(world.writer)[0])
                                          ["Message-ID"])]


def test_a_refused_recipient_is_retried_after_a_back_off_and_arrives_once(
        world: Services, smtp: tuple[Received, int]) -> None:
    received = smtp[0]
    ann = member_with_email(world, "ann@example.org")
    answered_idea(world, ann)
    received.refuse_rcpt.append("451 4.3.0 Mailbox busy, try later")
    sender, now = Mailer(world.settings, world.writer), now_utc()

    assert sender.run_once(now) == 0
    ((_, message),) = [(m.key, m) for m in outbox.latest(world.writer)]
    assert (message.state, message.attempts) == ("pending", 1)
    assert "451" in message.last_error
    assert sender.run_once(now + timedelta(seconds=30)) == 0  # not due yet
    assert sender.run_once(now + timedelta(minutes=1, seconds=1)) == 1
    assert len(received.messages) == 1


def test_a_permanent_refusal_fails_the_message_without_retrying(
        world: Services, smtp: tuple[Received, int]) -> None:
    received = smtp[0]
    ann = member_with_email(world, "ann@example.org")
    answered_idea(world, ann)
    received.refuse_rcpt.append("550 5.1.1 No such mailbox")
    sender, now = Mailer(world.settings, world.writer), now_utc()

    sender.run_once(now)
    assert sender.run_once(now + timedelta(days=1)) == 0
    assert list(states(world).values()) == ["failed"] and received.messages == []


def test_digest_members_get_one_email_a_day_with_every_notice(
        world: Services, smtp: tuple[Received, int]) -> None:
    received = smtp[0]
    ann = member_with_email(world, "ann@example.org")
    world.app.choose_notifications(ann, {"reply": "email"}, digest=True)
    idea = answered_idea(world, ann)
    world.app.post_comment(idea, uuid4(), "When exactly?")
    world.runner.catch_up()
    sender = Mailer(world.settings, world.writer)
    newest = max(m.event_at for m in outbox.latest(world.writer))

    assert sender.run_once(newest + timedelta(minutes=1)) == 0  # before the digest hour
    next_morning = (newest + timedelta(days=1)).replace(hour=7, minute=5)
    assert sender.run_once(next_morning) == 1
    assert sender.run_once(next_morning + timedelta(hours=1)) == 0

    ((_, to, mail),) = received.messages
    assert to == ["ann@example.org"]
    assert mail["Subject"] == "Incubator: 2 notices since yesterday"
    body = mail.get_content()
    assert "Planned. From March." in body and "New comment: When exactly?" in body


def test_no_address_or_old_news_is_not_emailed(world: Services,
                                               smtp: tuple[Received, int]) -> None:
    received = smtp[0]
    oidc_member, ann = uuid4(), member_with_email(world, "ann@example.org")
    answered_idea(world, oidc_member, ann)
    sender = Mailer(world.settings, world.writer)

    assert sender.run_once(now_utc() + timedelta(hours=73)) == 0

    assert sorted(states(world).values()) == ["expired", "no_address"]
    assert received.messages == []


def test_the_worker_process_sends_and_a_restarted_worker_sends_nothing_twice(
        tmp_path: Path, smtp: tuple[Received, int]) -> None:
    """`incubator worker` (a real process, SQLite) projects the log and e-mails; killed
    and started again, it sends only what is new."""
    received, port = smtp
    settings = Settings(data_dir=tmp_path / "data", smtp_host="localhost", smtp_port=port,
                        smtp_user=USER, smtp_password=PASSWORD)
    services = bootstrap(settings, follow=False)
    env = {**os.environ, **settings.to_env()}
    try:
        ann, bob = (member_with_email(services, f"{n}@example.org") for n in ("ann", "bob"))
        idea = answered_idea(services, ann)

        def worker_until(count: int) -> None:
            worker = subprocess.Popen([sys.executable, "-m", "incubator.cli", "worker"],
                                      env=env, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)
            try:
                deadline = time.monotonic() + 30
                while len(received.messages) < count:
                    assert time.monotonic() < deadline, "the worker sent nothing"
                    time.sleep(0.1)
            finally:
                worker.kill()  # no clean stop: as after a crash
                worker.wait(timeout=15)

        worker_until(1)
        services.app.cast_vote(idea, bob)
        services.app.change_status(idea, Status.IN_PROGRESS, OWNER, "Started.")
        worker_until(3)
        time.sleep(0.5)
    finally:
        services.close()

    to = sorted(rcpt for _, (rcpt,), _ in received.messages)
    assert to == ["ann@example.org", "ann@example.org", "bob@example.org"]
    assert len(set(received.message_ids())) == 3


def test_serve_runs_the_sender_in_process_under_its_lease(
        tmp_path: Path, smtp: tuple[Received, int]) -> None:
    received, port = smtp
    settings = Settings(data_dir=tmp_path / "data", smtp_host="localhost", smtp_port=port,
                        smtp_user=USER, smtp_password=PASSWORD)
    services = bootstrap(settings)  # as `incubator serve` does on SQLite
    try:
        answered_idea(services, member_with_email(services, "ann@example.org"))
        deadline = time.monotonic() + 20
        while not received.messages:
            assert time.monotonic() < deadline, "nothing was sent"
            time.sleep(0.1)
        assert (tmp_path / "data" / "email.lease").exists()
    finally:
        services.close()
    assert len(received.messages) == 1


def test_implicit_tls_and_a_wrong_password_or_certificate_send_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for received, port, cert in run_server(tmp_path, implicit_tls=True):
        settings = Settings(data_dir=tmp_path / "data", smtp_host="localhost", smtp_port=port,
                            smtp_user=USER, smtp_password=PASSWORD, smtp_tls="ssl")
        services = bootstrap(settings, follow=False)
        try:
            answered_idea(services, member_with_email(services, "ann@example.org"))
            untrusted = Mailer(settings, services.writer)
            assert untrusted.run_once() == 0  # the test CA is not trusted yet
            monkeypatch.setenv("SSL_CERT_FILE", str(cert))
            wrong = dataclasses.replace(settings, smtp_password="not it")
            assert Mailer(wrong, services.writer).run_once(now_utc() + timedelta(hours=1)) == 0
            (message,) = outbox.latest(services.writer)
            assert message.state == "pending"
            assert "could not connect or sign in" in message.last_error.lower()
            later = now_utc() + timedelta(hours=2)
            sent = Mailer(settings, services.writer).run_once(later)
            assert sent == 1, outbox.latest(services.writer)
        finally:
            services.close()
        assert [to for _, to, _ in received.messages] == [["ann@example.org"]]
