"""THE form layout: columns, labels, header rows, metadata keys, version.

The template writer, the reader and the feedback writer all take cell addresses from here;
no address of the form is written anywhere else.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ihanoi_report.config import Round
from ihanoi_report.form_spec import FormSpec
from ihanoi_report.units import Registry, Unit, slug
from ihanoi_report.words import fold

SHEET_NAME = "Báo cáo"
META_SHEET = "_ihanoi"
META_KEYS = ("campaign_id", "unit_code", "round", "form_version", "kind", "report_date", "copy_of")

# Fixed rows of the blank form (a clerk may insert rows; the reader searches by labels).
AUTHORITY_ROW = 1
UNIT_HEAD_ROW = 2
DATE_ROW = 3
TITLE_ROW = 5
SUBTITLE_ROW = 6
UNIT_LINE_ROW = 7
DUE_ROW = 8
HEADER_ROW = 10
SUBHEADER_ROW = 11
NUMBER_ROW = 12
FIRST_DATA_ROW = 13

STT_LABEL = "STT"
NAME_LABEL = "Tên đơn vị"
TOTAL_LABEL = "Tổng cộng"
REPORT_DATE_LABEL = "Ngày báo cáo:"
PREPARER_LABEL = "Người lập biểu:"
PHONE_LABEL = "Số điện thoại:"


@dataclass(frozen=True)
class Column:
    """A column of the sheet: the two fixed ones (STT, the unit's name), then the campaign's count columns."""

    key: str
    letter: str
    label: str
    number: int
    heading: str = ""  # the label of the heading over it ("" for none)


STT = Column("stt", "A", STT_LABEL, 1)
NAME = Column("name", "B", NAME_LABEL, 2)
FIRST_COUNT = 2  # the index of the first count column (C)


@functools.lru_cache(maxsize=16)
def columns(spec: FormSpec) -> tuple[Column, ...]:
    """Every column of the campaign's form, in order, with its letter: STT, the name, the declared counts."""
    counts = tuple(
        Column(c.key, column_letter(FIRST_COUNT + i), c.label, FIRST_COUNT + i + 1,
               heading.label if (heading := spec.heading_of(c)) else "")
        for i, c in enumerate(spec.columns)
    )  # fmt: skip
    return (STT, NAME, *counts)


def count_columns(spec: FormSpec) -> tuple[Column, ...]:
    return columns(spec)[FIRST_COUNT:]


@functools.lru_cache(maxsize=16)
def by_key(spec: FormSpec) -> dict[str, Column]:
    return {c.key: c for c in columns(spec)}


def last_letter(spec: FormSpec) -> str:
    return columns(spec)[-1].letter


def inputs(unit: Unit, spec: FormSpec) -> tuple[Column, ...]:
    """The count columns a unit fills, as the form declares who fills each."""
    return _inputs(spec, unit.group, unit.flags)


@functools.lru_cache(maxsize=256)
def _inputs(spec: FormSpec, group: str, flags: frozenset[str]) -> tuple[Column, ...]:
    """Asked for every row of every file read: one answer per kind of unit."""
    keys = {c.key for c in spec.fills(group, flags)}
    return tuple(c for c in count_columns(spec) if c.key in keys)


# --- reading a header by its words ------------------------------------------------------
# Clerks retype the form, shorten labels, reorder columns and add their own ("Tỷ lệ (%)", "Ghi chú").
# A column is known by what its header says, never by where it stands.

# What the name column's header says, folded (the official label first).
NAME_HEADERS = frozenset(
    fold(text)
    for text in (
        NAME_LABEL,
        "Đơn vị",
        "Tên cơ quan, đơn vị",
        "Cơ quan, đơn vị",
        "Tên cơ quan",
        "Cơ quan",
        "Tên đơn vị báo cáo",
        "Đơn vị báo cáo",
        "Tên trường",
        "Trường",
        "Tên xã, thị trấn",
        "Xã, thị trấn",
    )
)
def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class RowSpec:
    """One data row of a unit's form: the unit it counts and where it is."""

    unit: Unit
    row: int


@dataclass(frozen=True)
class FormLayout:
    """Where everything sits in one unit's blank form."""

    unit: Unit
    rows: tuple[RowSpec, ...]
    total_row: int | None  # a row that sums the others, for units with sub-units

    @property
    def last_table_row(self) -> int:
        return self.total_row or self.rows[-1].row

    @property
    def report_date_row(self) -> int:
        return self.last_table_row + 2

    @property
    def preparer_row(self) -> int:
        return self.report_date_row + 1

    @property
    def phone_row(self) -> int:
        return self.report_date_row + 2

    @property
    def signature_row(self) -> int:
        return self.report_date_row + 4

    @property
    def instruction_row(self) -> int:
        return self.signature_row + 6


FOOTER_VALUE_COLUMN = "C"  # the footer's input cells (date, preparer, phone) start here


def layout_for(unit: Unit, registry: Registry) -> FormLayout:
    """The unit's own row, then a row per sub-unit and a total row when it has sub-units."""
    members = (unit, *registry.children(unit.code))
    rows = tuple(RowSpec(member, FIRST_DATA_ROW + i) for i, member in enumerate(members))
    total = FIRST_DATA_ROW + len(rows) if len(rows) > 1 else None
    return FormLayout(unit, rows, total)


_ROUND = re.compile(r"\blan\s*(?:thu\s*)?(\d{1,2}|iv|iii|ii|i)\b")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def round_in_text(text: str) -> int | None:
    """The N of "LẦN N" (or "lần thứ 2", "LẦN II") in a title or a file name."""
    match = _ROUND.search(fold(text).replace("-", " ").replace("_", " "))
    if not match:
        return None
    token = match.group(1)
    return int(token) if token.isdigit() else _ROMAN[token]


def code_in_file_name(code: str) -> str:
    """A unit code as it goes into a file name: letters, digits and dashes only."""
    return re.sub(r"[^A-Za-z0-9-]+", "-", code).strip("-")[:40] or "x"


def form_file_name(unit: Unit, rnd: Round, short_name: str) -> str:
    """ASCII file name carrying the campaign, the round and the unit code: iHanoi-lan-1_XA-09694_tan-linh.xlsx."""
    return f"{short_name}-lan-{rnd.number}_{code_in_file_name(unit.code)}_{slug(unit.name, 40)}.xlsx"
