"""Category rules, checked on the aggregate alone: no I/O."""

from __future__ import annotations

import pytest

from domain.category import Category, InvalidCategoryError


def test_creating_records_slug_name_and_description() -> None:
    category = Category("service-desk", "Service desk", "Tickets and phone support.")

    (created,) = category.collect_events()
    assert isinstance(created, Category.Created)
    assert (created.slug, created.name, created.description) == (
        "service-desk", "Service desk", "Tickets and phone support.")


def test_the_id_is_derived_from_the_slug() -> None:
    category = Category("email", "E-mail", "")

    assert category.id == Category.id_for("email")
    assert Category("email", "Mail", "").id == category.id
    assert Category.id_for("e-mail") != category.id


@pytest.mark.parametrize("slug", ["email", "service-desk", "wifi-5g", "a1"])
def test_lowercase_words_joined_by_dashes_are_valid_slugs(slug: str) -> None:
    Category.check_definition(slug, "A name")


@pytest.mark.parametrize(
    "slug", ["", "Email", "service desk", "service_desk", "-desk", "desk-", "service--desk"]
)
def test_other_slugs_are_refused(slug: str) -> None:
    with pytest.raises(InvalidCategoryError, match="Slug"):
        Category.check_definition(slug, "A name")


@pytest.mark.parametrize("name", ["", "   "])
def test_a_category_needs_a_name(name: str) -> None:
    with pytest.raises(InvalidCategoryError, match="needs a name"):
        Category.check_definition("email", name)
