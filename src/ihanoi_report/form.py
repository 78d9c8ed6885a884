"""THE form layout: columns, labels, header rows, metadata keys, version.

The template writer, the reader and the feedback writer all take cell addresses from here;
no address of the form is written anywhere else.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from ihanoi_report.config import Round
from ihanoi_report.units import Registry, Unit, fold, slug

FORM_VERSION = "2024.1"
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
# The two shares the campaign measures, each a count out of its whole, and the target judged on each.
SHARES = {
    "staff_share": (STAFF_INSTALLED.key, STAFF_TOTAL.key),
    "resident_share": (RESIDENTS_INSTALLED.key, SMARTPHONES.key),
}
TARGET_SHARES = {"staff": "staff_share", "residents": "resident_share"}


def share_of(counts: Mapping[str, int], measure: str) -> float | None:
    """A share ("staff_share", "resident_share") of one row's counts; None without both of its counts."""
    part, whole = SHARES[measure]
    return counts[part] / counts[whole] if counts.get(whole) and part in counts else None


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
# Words that say whose count a header is about, and what count it is (folded, matched as whole words).
_STAFF_WORDS = ("cbccvc", "cbcc", "cbcnv", "cbnv", "can bo", "cong chuc", "vien chuc", "nguoi lao dong", "nhan vien")
_RESIDENT_WORDS = ("nguoi dan", "dan so", "so dan", "dan", "cu dan", "nhan dan", "cong dan", "ho dan")
_PHONE_WORDS = ("dien thoai thong minh", "dttm", "smartphone", "smart phone", "dien thoai")
_INSTALLED_WORDS = ("da cai", "da cai dat", "da tai", "da kich hoat", "da dang ky", "da su dung")
_TOTAL_WORDS = ("tong so", "tong", "so luong")
_NOT_A_COUNT = ("ty le", "phan tram", "ghi chu", "stt", "danh gia", "xep loai", "so thu tu", "cai dat cho",
                "chi tieu")


def _has(text: str, words: tuple[str, ...]) -> bool:
    padded = f" {text} "
    return any(f" {word} " in padded for word in words)


@functools.lru_cache(maxsize=4096)  # the same labels come back in every file of a run
def column_for_header(label: object, group: object = "") -> Column | None:
    """The count column a header cell stands for: ``label`` is the cell's own text, ``group`` the
    header spanning it (the form's "Cài đặt cho CBCCVC của cơ quan" over "Tổng số" / "Đã cài đặt iHanoi").

    "Tổng số CBCCVC", "Số CBCCVC đã cài", "Dân số", "Số dân có ĐTTM", "Số người dân đã cài đặt iHanoi"
    and the official labels all find their column; "Tỷ lệ (%)", "Ghi chú" and unknown words find none.
    """
    if not isinstance(label, str) or not (text := fold(label)) or text.isdigit() or _has(text, _NOT_A_COUNT):
        return None
    if "%" in label:
        return None
    own_staff, own_residents = _has(text, _STAFF_WORDS), _has(text, _RESIDENT_WORDS + _PHONE_WORDS)
    if own_staff == own_residents:  # the cell itself does not say whose count it is: its group does
        context = fold(group) if isinstance(group, str) else ""
        own_staff, own_residents = _has(context, _STAFF_WORDS), _has(context, _RESIDENT_WORDS + _PHONE_WORDS)
        if own_staff == own_residents:
            return None
    installed = _has(text, _INSTALLED_WORDS)
    if own_staff:
        return STAFF_INSTALLED if installed else STAFF_TOTAL if _has(text, _TOTAL_WORDS + _STAFF_WORDS) else None
    if installed:
        return RESIDENTS_INSTALLED
    if _has(text, _PHONE_WORDS):
        return SMARTPHONES
    return RESIDENTS if _has(text, _TOTAL_WORDS + _RESIDENT_WORDS) else None


def inputs(unit: Unit) -> tuple[Column, ...]:
    """The count columns a unit fills: staff always, residents when it has residents."""
    return COUNT_COLUMNS if unit.has_residents else STAFF_COLUMNS


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
    """One data row of a unit's form: the unit it counts, where it is, which cells are input."""

    unit: Unit
    row: int
    residents: bool

    def input_columns(self) -> tuple[Column, ...]:
        return inputs(self.unit)


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


def form_file_name(unit: Unit, rnd: Round) -> str:
    """ASCII file name carrying the round and the unit code, e.g. iHanoi-lan-1_XA-09694_tan-linh.xlsx."""
    return f"iHanoi-lan-{rnd.number}_{code_in_file_name(unit.code)}_{slug(unit.name, 40)}.xlsx"
