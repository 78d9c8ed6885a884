"""Fonts, borders and fills of an official Vietnamese document, as openpyxl objects (forms, feedback copies)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

from ihanoi_report.palette import (
    DISABLED_COLOR,
    ERROR_COLOR,
    FONT_NAME,
    HEADER_COLOR,
    INPUT_COLOR,
    MET_COLOR,
    TOTAL_COLOR,
    WARNING_COLOR,
)


def font(
    size: int = 12, *, bold: bool = False, italic: bool = False, underline: bool = False, color: str | None = None
) -> Font:
    return Font(
        name=FONT_NAME, size=size, bold=bold, italic=italic, underline="single" if underline else None, color=color
    )


BODY = font()
BOLD = font(bold=True)
ITALIC = font(italic=True)
TITLE = font(14, bold=True)
HEADER = font(11, bold=True)
SMALL_ITALIC = font(11, italic=True)

_THIN = Side(style="thin", color="000000")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

INPUT_FILL = PatternFill("solid", fgColor=INPUT_COLOR)
DISABLED_FILL = PatternFill("solid", fgColor=DISABLED_COLOR)
HEADER_FILL = PatternFill("solid", fgColor=HEADER_COLOR)
TOTAL_FILL = PatternFill("solid", fgColor=TOTAL_COLOR)
ERROR_FILL = PatternFill("solid", fgColor=ERROR_COLOR)
MET_FILL = PatternFill("solid", fgColor=MET_COLOR)
WARNING_FILL = PatternFill("solid", fgColor=WARNING_COLOR)

CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
LEFT_TOP = Alignment(horizontal="left", vertical="top", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")

UNLOCKED = Protection(locked=False)



def set_text(cell: Any, value: object) -> None:
    """Write ``value``; a string is always stored as text, so "=1+1" from a workbook never becomes a formula."""
    cell.value = value
    if isinstance(value, str) and value:
        cell.data_type = "s"


def header_row(ws: Any, headers: Sequence[str], widths: Sequence[float], row: int = 1) -> None:
    """The header row of a list sheet: bold, tinted, boxed, columns sized, the rows below frozen."""
    for col, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = ws.cell(row=row, column=col)
        set_text(cell, header)
        cell.font, cell.fill, cell.border, cell.alignment = HEADER, HEADER_FILL, BOX, CENTER
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = f"A{row + 1}"
