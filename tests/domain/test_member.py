"""Member rules, on the aggregate alone: ids, roles, standing."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.member import Member, MemberError, Role


def registered() -> Member:
    member = Member.register("local", "a1b2c3")
    member.collect_events()
    return member


def test_the_id_comes_from_issuer_and_subject_and_nothing_else_is_recorded() -> None:
    member = Member.register("https://idp.example/", "248289761001")
    (event,) = member.collect_events()
    assert member.id == Member.id_for("https://idp.example/", "248289761001")
    assert member.id != Member.id_for("local", "248289761001")
    assert member.id != Member.id_for("https://idp.example", "/248289761001")
    assert "248289761001" not in repr(event.__dict__)  # the subject stays out of the log
    assert member.has_role(Role.STAFF)


def test_a_grant_records_who_granted_it_and_granting_again_changes_nothing() -> None:
    member, admin, category = registered(), uuid4(), uuid4()
    assert member.grant(Role.OWNER, category, admin)
    assert not member.grant(Role.OWNER, category, admin)
    (granted,) = member.collect_events()
    assert isinstance(granted, Member.RoleGranted)
    assert (granted.role, granted.category_id, granted.granted_by) == ("owner", category, admin)
    assert member.has_role(Role.OWNER, category)
    assert not member.has_role(Role.OWNER, uuid4())


def test_owners_own_a_category_and_admins_do_not() -> None:
    member = registered()
    with pytest.raises(MemberError, match="choose which one"):
        member.grant(Role.OWNER, None, uuid4())
    with pytest.raises(MemberError, match="not given per category"):
        member.grant(Role.ADMIN, uuid4(), uuid4())


def test_revoking_removes_only_that_grant() -> None:
    member, admin = registered(), uuid4()
    member.grant(Role.ADMIN, None, admin)
    assert member.revoke(Role.STAFF, None, admin)
    assert not member.revoke(Role.STAFF, None, admin)
    assert member.has_role(Role.ADMIN) and not member.has_role(Role.STAFF)
    assert [type(e).__name__ for e in member.collect_events()] == ["RoleGranted", "RoleRevoked"]


def test_disable_enable_and_forget() -> None:
    member, admin = registered(), uuid4()
    assert member.disable(admin) and not member.disable(admin)
    assert member.enable(admin) and not member.disabled
    assert member.forget(admin)
    assert member.disabled and member.grants == []
    with pytest.raises(MemberError, match="forgotten"):
        member.enable(admin)
    with pytest.raises(MemberError, match="forgotten"):
        member.grant(Role.STAFF, None, admin)
