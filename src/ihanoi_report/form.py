"""THE form layout: columns, labels, header rows, metadata keys, version.

The template writer, the reader and the feedback writer all take cell addresses from here;
no address of the form is written anywhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ihanoi_report.config import Round
from ihanoi_report.units import Registry, Unit, fold, slug

FORM_VERSION = "2024.1"
SHEET_NAME = "Báo cáo"
META_SHEET = "_ihanoi"
META_KEYS = ("campaign_id", "unit_code", "round", "form_version")

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
STAFF_GROUP_LABEL = "Cài đặt cho CBCCVC của cơ quan"
RESIDENT_GROUP_LABEL = "Cài đặt cho người dân"
TOTAL_LABEL = "Tổng cộng"
REPORT_DATE_LABEL = "Ngày báo cáo:"
PREPARER_LABEL = "Người lập biểu:"
PHONE_LABEL = "Số điện thoại:"


@dataclass(frozen=True)
class Column:
    key: str
    letter: str
    label: str
    number: int
    residents: bool  # filled only by units that have residents


STT = Column("stt", "A", STT_LABEL, 1, False)
NAME = Column("name", "B", NAME_LABEL, 2, False)
STAFF_TOTAL = Column("staff_total", "C", "Tổng số", 3, False)
STAFF_INSTALLED = Column("staff_installed", "D", "Đã cài đặt iHanoi", 4, False)
RESIDENTS = Column("residents", "E", "Tổng số người dân trên địa bàn", 5, True)
SMARTPHONES = Column("smartphones", "F", "Số người dân có điện thoại thông minh", 6, True)
RESIDENTS_INSTALLED = Column("residents_installed", "G", "Số người dân đã cài đặt iHanoi", 7, True)

COLUMNS = (STT, NAME, STAFF_TOTAL, STAFF_INSTALLED, RESIDENTS, SMARTPHONES, RESIDENTS_INSTALLED)
COUNT_COLUMNS = (STAFF_TOTAL, STAFF_INSTALLED, RESIDENTS, SMARTPHONES, RESIDENTS_INSTALLED)
STAFF_COLUMNS = (STAFF_TOTAL, STAFF_INSTALLED)
RESIDENT_COLUMNS = (RESIDENTS, SMARTPHONES, RESIDENTS_INSTALLED)
COUNT_KEYS = tuple(c.key for c in COUNT_COLUMNS)
LAST_LETTER = COLUMNS[-1].letter
BY_KEY = {c.key: c for c in COLUMNS}


_BY_FOLDED_LABEL = {fold(c.label): c for c in COUNT_COLUMNS}


def column_for_label(label: object) -> Column | None:
    """The count column whose second-level header reads ``label`` (any case, accents, spacing)."""
    if not isinstance(label, str):
        return None
    return _BY_FOLDED_LABEL.get(fold(label))


@dataclass(frozen=True)
class RowSpec:
    """One data row of a unit's form: the unit it counts, where it is, which cells are input."""

    unit: Unit
    row: int
    residents: bool

    def input_columns(self) -> tuple[Column, ...]:
        return COUNT_COLUMNS if self.residents else STAFF_COLUMNS


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
    rows = tuple(RowSpec(member, FIRST_DATA_ROW + i, member.has_residents) for i, member in enumerate(members))
    total = FIRST_DATA_ROW + len(rows) if len(rows) > 1 else None
    return FormLayout(unit, rows, total)


def code_in_file_name(code: str) -> str:
    """A unit code as it goes into a file name: letters, digits and dashes only."""
    return re.sub(r"[^A-Za-z0-9-]+", "-", code).strip("-")[:40] or "x"


def form_file_name(unit: Unit, rnd: Round) -> str:
    """ASCII file name carrying the round and the unit code, e.g. iHanoi-lan-1_XA-09694_tan-linh.xlsx."""
    return f"iHanoi-lan-{rnd.number}_{code_in_file_name(unit.code)}_{slug(unit.name, 40)}.xlsx"
