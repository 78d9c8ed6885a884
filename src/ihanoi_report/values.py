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
from typing import Any

from ihanoi_report.words import fold

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


# --- report dates --------------------------------------------------------------------------
# Vietnamese dates are day first: 18/8/2024, 18-08-2024, 18.8.24, "ngày 18 tháng 8 năm 2024".
# An en-US "8/18/2024" has no 18th month: it is unreadable, never silently turned around.
_DAY_FIRST = re.compile(r"(?<!\d)(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?!\d)")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_WORDS_DATE = re.compile(r"(?:ngay\s+)?(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIALS = range(36526, 73051)  # Excel day numbers of 2000-01-01 .. 2099-12-31


@dataclass(frozen=True)
class ParsedDate:
    """A report date as read from its cell: the date, or why there is none (``found``: the text seen)."""

    day: date | None
    found: str = ""

    @property
    def missing(self) -> bool:
        return self.day is None and not self.found


def parse_date(raw: object) -> ParsedDate:
    """A date cell, a date typed as text the Vietnamese way, or an Excel day number; nothing else."""
    if isinstance(raw, datetime):
        return ParsedDate(raw.date(), raw.date().isoformat())
    if isinstance(raw, date):
        return ParsedDate(raw, raw.isoformat())
    if is_blank(raw) or (isinstance(raw, str) and not raw.strip(" .…_/-")):
        return ParsedDate(None)
    found = shown(raw)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        whole = int(raw) if float(raw).is_integer() else -1
        return ParsedDate(_EXCEL_EPOCH + timedelta(days=whole) if whole in _SERIALS else None, found)
    text = str(raw)
    for pattern, order, source in (
        (_DAY_FIRST, (2, 1, 0), text),
        (_ISO_DATE, (0, 1, 2), text),
        (_WORDS_DATE, (2, 1, 0), fold(text)),
    ):
        match = pattern.search(source)
        if match is None:
            continue
        parts = [g for g in match.groups() if g not in ("/", ".", "-")]
        year, month, day = (int(parts[i]) for i in order)
        try:
            return ParsedDate(date(year + 2000 if year < 100 else year, month, day), found)
        except ValueError:
            return ParsedDate(None, found)
    return ParsedDate(None, found)


def plain(value: Any) -> Any:
    """pandas' missing values and numpy scalars as plain Python values."""
    if value is None or value.__class__.__name__ == "NAType":
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value
