"""Rules shared by every text people type: no invisible control characters.

Tabs and line breaks are fine; NUL and the other C0 controls are not (PostgreSQL
refuses NUL in text, and nobody means to type them).
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_MESSAGE = "Remove the invisible control characters (pasted from elsewhere?)."


def has_control_characters(text: str) -> bool:
    return _CONTROL.search(text) is not None
