"""The one style module: the font, colours and number formats of every document the tool writes, and
the XlsxWriter formats made from them. (The feedback copies, edited with openpyxl, take the colours.)"""

from __future__ import annotations

from collections.abc import Sequence
from math import isfinite
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ihanoi_report.model import share_shown
from ihanoi_report.safe_text import for_document
from ihanoi_report.values import plain
from ihanoi_report.xlsx.sheet_rows import Worksheet as SheetRows

FONT_NAME = "Times New Roman"

INPUT_COLOR = "FFF2CC"  # pale yellow: type here
DISABLED_COLOR = "D9D9D9"  # grey: not for this unit
HEADER_COLOR = "DDEBF7"  # pale blue: column headers
TOTAL_COLOR = "F2F2F2"
ERROR_COLOR = "FFC7CE"  # pale red: a cell with a problem
MET_COLOR = "C6EFCE"  # pale green: target met
WARNING_COLOR = "FFEB9C"

COUNT_FORMAT = "#,##0"
SHARE_FORMAT = "0.0%"  # the number policy's tenth of a percent; the cell holds the value shown (model.share_shown)
DATE_FORMAT = "dd/mm/yyyy"
TEXT_FORMAT = "@"  # a phone number keeps its leading 0
LINE_HEIGHT = 15.75  # points per line of 12-point text

# How every workbook is made: text stays text (never a formula, never a link); the sheets are built in
# memory, not in temporary files (a form is written in half the time).
BOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "nan_inf_to_errors": True, "in_memory": True}


class Formats:
    """The XlsxWriter formats of one workbook, made once per combination (XlsxWriter wants them shared)."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self._made: dict[tuple[object, ...], Format] = {}
        self._box: Format | None = None

    @property
    def box(self) -> Format:
        """A cell's thin box alone, for the blank cells of a table (box_blanks)."""
        if self._box is None:
            self._box = self.book.add_format({"border": 1})
        return self._box

    def get(
        self,
        *,
        size: int = 12,
        bold: bool = False,
        italic: bool = False,
        underline: bool = False,
        align: str = "left",
        valign: str = "vcenter",
        wrap: bool = True,
        border: bool = False,
        fill: str | None = None,
        num_format: str | None = None,
        locked: bool = True,
    ) -> Format:
        key = (size, bold, italic, underline, align, valign, wrap, border, fill, num_format, locked)
        made = self._made.get(key)
        if made is None:
            props: dict[str, Any] = {"font_name": FONT_NAME, "font_size": size, "align": align, "valign": valign}
            flags = {"bold": bold, "italic": italic, "underline": underline, "text_wrap": wrap, "border": border}
            props |= {name: 1 for name, on in flags.items() if on}
            if fill:
                props |= {"bg_color": f"#{fill}", "pattern": 1}
            if num_format:
                props["num_format"] = num_format
            if not locked:
                props["locked"] = False
            made = self._made[key] = self.book.add_format(props)
        return made

    def cell(self, kind: str, *, bold: bool = False, fill: str | None = None, first: bool = False) -> Format:
        """A table cell, boxed: counts and shares right-aligned in their number format, text wrapped,
        a "line" of text (a file name, a digest) kept on one line."""
        if kind == "count":
            return self.get(bold=bold, fill=fill, border=True, align="right", wrap=False, num_format=COUNT_FORMAT)
        if kind == "share":
            return self.get(bold=bold, fill=fill, border=True, align="right", wrap=False, num_format=SHARE_FORMAT)
        if kind == "line":
            return self.get(bold=bold, fill=fill, border=True, wrap=False)
        return self.get(bold=bold, fill=fill, border=True, align="center" if first else "left")


def write(ws: Worksheet, row: int, col: int, value: Any, fmt: Format, *, table: bool = False) -> None:
    """One value at a 0-based (row, col): numbers as numbers, text always as text (never a formula), nothing
    as a blank that keeps the cell's format. ``table``: the cell lies in a table whose blank cells are boxed by
    one rule (box_blanks), so a blank without a fill of its own is not written at all. The tool's own sheets
    (sheet_rows) keep a number or a text through their put_* methods, to the same bytes."""
    kind, lean = type(value), isinstance(ws, SheetRows)  # the tool's own sheets keep a cell for less
    if kind is int or kind is float:  # the common case first: about 200,000 cells for a city
        if value == value:  # not NaN
            number = _shown(value, fmt) if kind is float else value
            ws.put_number(row, col, number, fmt) if lean else ws.write_number(row, col, number, fmt)
            return
        value = None
    elif kind is not str:
        value = plain(value)
    if value is None or value == "":
        if not table or fmt.pattern:  # in a table, only a blank with a fill of its own is written
            ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):  # a numpy number from a pandas table
        ws.write_number(row, col, _shown(value, fmt) if isinstance(value, float) else value, fmt)
    else:
        text = for_document(str(value))
        ws.put_string(row, col, text, fmt) if lean else ws.write_string(row, col, text, fmt)


def write_row(ws: Worksheet, row: int, values: Sequence[Any], formats: Sequence[Format], *,
              table: bool = False) -> None:
    """write() of each value of a row from its first column, ``formats[c]`` for ``values[c]``: in the tool's own
    sheets, the numbers and texts of the row are kept in one call (a city's workbook has 30,000 such rows)."""
    if not (isinstance(ws, SheetRows) and ws.can_put_row(row, len(values))):
        for col, value in enumerate(values):
            write(ws, row, col, value, formats[col], table=table)
        return
    half = ws.xls_strmax // 2
    kept: list[tuple[int, Any, Format]] = []
    for col, value in enumerate(values):
        kind, fmt = type(value), formats[col]
        if kind is int or (kind is float and isfinite(value)):
            kept.append((col, share_shown(value) if kind is float and fmt.num_format == SHARE_FORMAT else value, fmt))
        elif kind is str and value and len(value) <= half:
            kept.append((col, for_document(value), fmt))
        else:  # anything else as write() has it, after the cells before it (the shared strings keep their order)
            if kept:
                ws.put_row(row, kept)
                kept = []
            write(ws, row, col, value, fmt, table=table)
    if kept:
        ws.put_row(row, kept)


def box_blanks(ws: Worksheet, fmts: Formats, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
    """The blank cells of a table (0-based, inclusive) boxed like its other cells by one conditional format,
    rather than a cell written for its border alone: a tenth of a city's consolidated workbook was such cells."""
    if last_row >= first_row:
        ws.conditional_format(first_row, first_col, last_row, last_col, {"type": "blanks", "format": fmts.box})


def _shown(value: float, fmt: Format) -> float:
    """A share is written as the number policy shows it, so that what Excel shows agrees with every other
    output (model.share_shown); any other number as it is."""
    return share_shown(value) if fmt.num_format == SHARE_FORMAT else value


def merged(ws: Worksheet, fmts: Formats, cells: str, value: str, **style: Any) -> None:
    """Merge an A1-style range and write text in it (centred unless told otherwise)."""
    style.setdefault("align", "center")
    ws.merge_range(cells, for_document(value), fmts.get(**style))
