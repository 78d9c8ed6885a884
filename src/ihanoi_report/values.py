"""Cell value -> whole number, the way Vietnamese clerks type numbers.

"1.234", "1,234" and "1 234" are 1234 (a thousands separator, never a decimal mark, since
counts of people are whole); 12.0 is 12; "1,5", "abc" and -3 are problems naming what was found.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum

# Grouped digits: 1.234 / 1,234 / 1 234 / 1.234.567 (a non-breaking space counts as a space).
_GROUPED = re.compile(r"^\d{1,3}(?:([.,  ])\d{3})(?:\1\d{3})*$")
_PLAIN = re.compile(r"^\d+$")
_DECIMAL_ZERO = re.compile(r"^(\d+)[.,]0+$")
_EMPTY_MARKS = {"", "-", "–", "—", "x", "không", "khong"}


class Problem(Enum):
    MISSING = "value-missing"
    NOT_INTEGER = "value-not-integer"
    NEGATIVE = "value-negative"


@dataclass(frozen=True)
class Parsed:
    """Either a count, or a problem with the text that was found; ``empty`` when nothing was typed."""

    count: int | None
    problem: Problem | None = None
    found: str = ""
    empty: bool = False


def shown(raw: object) -> str:
    """What the clerk sees in the cell, for messages."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip().lower() in _EMPTY_MARKS)


def parse_count(raw: object, *, required: bool = True) -> Parsed:
    """Read one count. An empty cell (or "-") is a problem only when the cell is ``required``."""
    if is_blank(raw):
        return Parsed(None, Problem.MISSING if required else None, shown(raw or ""), empty=True)
    if isinstance(raw, bool | date | datetime | time | timedelta):
        return Parsed(None, Problem.NOT_INTEGER, shown(raw))
    if isinstance(raw, int):
        return _whole(raw, shown(raw))
    if isinstance(raw, float):
        if math.isnan(raw) or math.isinf(raw):
            return Parsed(None, Problem.NOT_INTEGER, shown(raw))
        if not raw.is_integer():
            return Parsed(None, Problem.NEGATIVE if raw < 0 else Problem.NOT_INTEGER, shown(raw))
        return _whole(int(raw), shown(raw))
    text = str(raw).strip().replace(" ", " ")
    negative = text.startswith(("-", "−"))
    digits = text.lstrip("-−").strip()
    value: int | None = None
    if _PLAIN.match(digits):
        value = int(digits)
    elif _GROUPED.match(digits):
        value = int(re.sub(r"\D", "", digits))
    elif match := _DECIMAL_ZERO.match(digits):
        value = int(match.group(1))
    if value is None:
        return Parsed(None, Problem.NOT_INTEGER, text)
    return _whole(-value if negative else value, text)


def _whole(value: int, found: str) -> Parsed:
    if value < 0:
        return Parsed(None, Problem.NEGATIVE, found)
    return Parsed(value, None, found)
