"""Members and roles through the application into the read model, on both databases."""

from __future__ import annotations

import threading
from uuid import uuid4

import pytest

from domain.member import COMMAND_LINE, MemberError, Role
from incubator.bootstrap import Services
from projections.member_queries import admins, member_page, member_summaries, member_summary
from projections.schema import save_member_profile
from tests.helpers import category, event_names, settle


def test_registering_twice_from_many_threads_makes_one_member(services: Services) -> None:
    results = []

    def register() -> None:
        results.append(services.app.register_member("https://idp.example/", "sub-1"))

    threads = [threading.Thread(target=register) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({written.id for written in results}) == 1
    assert event_names(services).count("Member.Registered") == 1
    settle(services)
    (summary,) = member_summaries(services.read_model.engine)
    assert summary.status == "active" and summary.issuer == "https://idp.example/"
    assert [g.role for g in summary.grants] == [Role.STAFF]


def test_roles_and_standing_are_projected(services: Services) -> None:
    wifi = category(services, "wifi")
    ann = services.app.register_member("local", "ann").id
    save_member_profile(services.writer, ann, "Ann Archer")
    services.app.grant_role(ann, Role.OWNER, wifi, COMMAND_LINE)
    services.app.grant_role(ann, Role.ADMIN, None, COMMAND_LINE)
    settle(services)
    summary = member_summary(services.read_model.engine, ann)
    assert summary is not None and summary.display_name == "Ann Archer"
    assert {(g.role, g.category_name) for g in summary.grants} == {
        (Role.STAFF, ""), (Role.OWNER, "Wifi"), (Role.ADMIN, "")}
    assert admins(services.read_model.engine) == (ann,)

    bob = services.app.register_member("local", "bob").id
    services.app.revoke_role(ann, Role.OWNER, wifi, bob)
    services.app.disable_member(ann, bob)
    settle(services)
    summary = member_summary(services.read_model.engine, ann)
    assert summary is not None and summary.status == "disabled"
    assert not summary.has(Role.OWNER)
    assert admins(services.read_model.engine) == ()


def test_admins_cannot_lock_themselves_out(services: Services) -> None:
    ann = services.app.register_member("local", "ann").id
    with pytest.raises(MemberError, match="own admin role"):
        services.app.revoke_role(ann, Role.ADMIN, None, ann)
    with pytest.raises(MemberError, match="disable yourself"):
        services.app.disable_member(ann, ann)
    with pytest.raises(MemberError, match="categories"):
        services.app.grant_role(ann, Role.OWNER, uuid4(), COMMAND_LINE)


def test_the_member_page_searches_names_and_e_mails(services: Services) -> None:
    from incubator.identity import Identity

    Identity(services).create_local_account("zoe_z@example.org", "a long pass phrase here",
                                            "Zoë Zimmer")
    for n in range(3):
        member = services.app.register_member("local", f"m{n}").id
        save_member_profile(services.writer, member, f"Member 100% {n}")
    settle(services)
    engine = services.read_model.engine
    assert [m.display_name for m in member_page(engine, "ZOË").members] == ["Zoë Zimmer"]
    assert member_page(engine, "zoe_z@").total == 1
    assert member_page(engine, "_").total == 1  # no wildcards: only the e-mail has one
    assert member_page(engine, "100%").total == 3
    assert member_page(engine).total == 4
