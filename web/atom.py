"""The outcome board as an Atom feed (RFC 4287), built with the standard library's
ElementTree, which escapes every text and attribute it writes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from uuid import NAMESPACE_URL, uuid5
from xml.etree import ElementTree as ET  # -- builds the feed, never parses  # nosec B405

from starlette.requests import Request

from projections.outcome_views import OutcomeView
from web.urls import url_for

ATOM = "http://www.w3.org/2005/Atom"
TITLE = "Incubator · you said, we did"


def atom_feed(request: Request, outcomes: Sequence[OutcomeView]) -> bytes:
    ET.register_namespace("", ATOM)
    board = str(url_for(request, "outcome_board"))
    feed = ET.Element(_q("feed"))
    # A stable id per site: the same feed URL always gives the same URN.
    _text(feed, "id", f"urn:uuid:{uuid5(NAMESPACE_URL, board)}")
    _text(feed, "title", TITLE)
    newest = max((o.updated_at for o in outcomes), default=None)
    _text(feed, "updated", _stamp(newest or datetime.now(UTC).replace(tzinfo=None)))
    author = ET.SubElement(feed, _q("author"))
    _text(author, "name", "Incubator")
    ET.SubElement(feed, _q("link"), rel="self", href=str(url_for(request, "outcome_feed")),
                  type="application/atom+xml")
    ET.SubElement(feed, _q("link"), rel="alternate", href=board, type="text/html")
    for outcome in outcomes:
        _entry(request, feed, outcome)
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return body


def _entry(request: Request, feed: ET.Element, outcome: OutcomeView) -> None:
    entry = ET.SubElement(feed, _q("entry"))
    _text(entry, "id", f"urn:uuid:{outcome.id}")
    _text(entry, "title", outcome.title)
    _text(entry, "updated", _stamp(outcome.updated_at))
    if outcome.published_at is not None:
        _text(entry, "published", _stamp(outcome.published_at))
    href = str(url_for(request, "outcome_detail", outcome_id=outcome.id))
    ET.SubElement(entry, _q("link"), rel="alternate", href=href, type="text/html")
    for name in filter(None, (c.strip() for c in outcome.categories.split(","))):
        ET.SubElement(entry, _q("category"), term=name)
    _text(entry, "summary", _summary(outcome))
    content = _text(entry, "content", _content(outcome))
    content.set("type", "text")


def _summary(outcome: OutcomeView) -> str:
    people = f"{outcome.people} {'person' if outcome.people == 1 else 'people'} asked"
    days = outcome.days_to_done
    return people if days is None else f"{people}; done in {days} day{'' if days == 1 else 's'}"


def _content(outcome: OutcomeView) -> str:
    parts = [f"You said: {outcome.you_said}", f"We did: {outcome.we_did}"]
    if outcome.done_on is not None:
        parts.append(f"Done on {outcome.done_on.isoformat()}.")
    parts += [f"Link: {link}" for link in outcome.links]
    parts += [f"Corrected {fix.at.date().isoformat()}: {fix.note}"
              for fix in outcome.corrections]
    return "\n\n".join(parts)


def _text(parent: ET.Element, name: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, _q(name))
    element.text = text
    return element


def _q(name: str) -> str:
    return f"{{{ATOM}}}{name}"


def _stamp(moment: datetime) -> str:
    """RFC 3339, in UTC (the read model stores naive UTC)."""
    return moment.replace(microsecond=0).isoformat() + "Z"
