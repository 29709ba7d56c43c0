"""A category groups ideas by the IT service they are about."""

from __future__ import annotations

import re
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.text import CONTROL_MESSAGE, has_control_characters

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Category(Aggregate):
    class Created(Aggregate.Created):
        slug: str
        name: str
        description: str

    @event(Created)
    def __init__(self, slug: str, name: str, description: str) -> None:
        self.slug = slug
        self.name = name
        self.description = description

    class Changed(Aggregate.Event):
        name: str
        description: str
        changed_by: UUID

    @event(Changed)
    def change(self, name: str, description: str, changed_by: UUID) -> None:
        """An admin renames or re-describes a category; its slug (and id) stay."""
        self.name = name
        self.description = description

    @staticmethod
    def create_id(slug: str, **_: Any) -> UUID:
        # One category per slug, guaranteed by the event store's unique key.
        return Category.id_for(slug)

    @staticmethod
    def id_for(slug: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"/categories/{slug}")

    @classmethod
    def check_definition(cls, slug: str, name: str, description: str = "") -> None:
        if not SLUG_PATTERN.match(slug) or len(slug) > 60:
            raise InvalidCategoryError(
                f"Slug {slug[:60]!r} must be lowercase words joined by '-' (at most 60).")
        cls.check_naming(name, description)

    @staticmethod
    def check_naming(name: str, description: str) -> None:
        if has_control_characters(name) or has_control_characters(description):
            raise InvalidCategoryError(CONTROL_MESSAGE)
        if not name.strip() or len(name.strip()) > 80:
            raise InvalidCategoryError("A category needs a name of at most 80 characters.")
        if len(description) > 500:
            raise InvalidCategoryError("Keep the description to 500 characters.")


class InvalidCategoryError(ValueError):
    pass
