"""The "why" of an owner's or admin's decision: a short public text, checked alike everywhere."""

from __future__ import annotations

from domain.text import CONTROL_MESSAGE, has_control_characters

REASON_MAX = 2_000


def check_reason(text: str, what: str, minimum: int = 1, maximum: int = REASON_MAX) -> str:
    """Return `text` stripped, or raise `InvalidDecisionError` saying what is wrong.

    `what` names the text in the message ("An answer", "A reason")."""
    text = text.strip()
    if has_control_characters(text):
        raise InvalidDecisionError(CONTROL_MESSAGE)
    if not text:
        raise InvalidDecisionError(f"{what} is required.")
    if len(text) < minimum:
        raise InvalidDecisionError(
            f"{what} needs at least {minimum} characters (it has {len(text)}).")
    if len(text) > maximum:
        raise InvalidDecisionError(
            f"{what} can have at most {maximum:,} characters (it has {len(text):,}).")
    return text


class InvalidDecisionError(ValueError):
    pass
