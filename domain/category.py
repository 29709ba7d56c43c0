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

    @staticmethod
    def create_id(slug: str, **_: Any) -> UUID:
        # One category per slug, guaranteed by the event store's unique key.
        return Category.id_for(slug)

    @staticmethod
    def id_for(slug: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"/categories/{slug}")

    @classmethod
    def check_definition(cls, slug: str, name: str) -> None:
        if not SLUG_PATTERN.match(slug):
            raise InvalidCategoryError(f"Slug {slug!r} must be lowercase words joined by '-'.")
        if has_control_characters(name):
            raise InvalidCategoryError(CONTROL_MESSAGE)
        if not name.strip():
            raise InvalidCategoryError("A category needs a name.")


class InvalidCategoryError(ValueError):
    pass
