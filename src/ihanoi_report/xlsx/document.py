"""The parts every official workbook shares, written once: the administrative header, the two-level table
header with its row of column numbers, a titled list, and the A4 print setup."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ihanoi_report import form
from ihanoi_report.config import Campaign
from ihanoi_report.form import column_letter as letter
from ihanoi_report.messages import vi
from ihanoi_report.xlsx.styles import HEADER_COLOR, LINE_HEIGHT, Formats, box_blanks, merged, write_row


@dataclass(frozen=True)
class HeaderColumn:
    """A table column: the label over it (shared by neighbours with a sub-label), its own label, its width."""

    top: str
    sub: str
    width: float


def official_header(
    ws: Worksheet,
    fmts: Formats,
    campaign: Campaign,
    *,
    issuer: str,
    authority: str = "",
    right: str,
    last: str,
    title: str,
    subtitle: str,
    title_row: int,
    date_line: str = "",
    left: str = "C",
) -> None:
    """The administrative header (Nghị định 30/2020): authority and issuer top left (columns A to ``left``),
    national name and motto top right from column ``right``, the place-and-date line under them, then the title
    and subtitle. ``authority``: the body over the issuer, where it is not the campaign's (a unit's own
    letterhead)."""
    merged(ws, fmts, f"A1:{left}1", authority or campaign.authority)
    merged(ws, fmts, f"A2:{left}2", issuer.upper(), bold=True)
    merged(ws, fmts, f"{right}1:{last}1", campaign.form.national_name, bold=True)
    merged(ws, fmts, f"{right}2:{last}2", campaign.form.national_motto, bold=True, underline=True)
    if date_line:
        merged(ws, fmts, f"{right}3:{last}3", date_line, italic=True)
    merged(ws, fmts, f"A{title_row}:{last}{title_row}", title, size=14, bold=True)
    merged(ws, fmts, f"A{title_row + 1}:{last}{title_row + 1}", subtitle, italic=True)
    ws.set_row(title_row - 1, 36)


def signatures(ws: Worksheet, fmts: Formats, campaign: Campaign, sig: int, *, left: str, right: str, last: str,
               year: int) -> None:
    """The place-and-date line, the preparer (columns A to ``left``) and the signer (``right`` to ``last``),
    from 1-based row ``sig``."""
    merged(ws, fmts, f"{right}{sig}:{last}{sig}", vi("book-place-date", place=campaign.place, year=str(year)),
           italic=True)
    merged(ws, fmts, f"A{sig + 1}:{left}{sig + 1}", campaign.report.preparer_title, bold=True)
    merged(ws, fmts, f"{right}{sig + 1}:{last}{sig + 1}", campaign.report.signer_title, bold=True)
    merged(ws, fmts, f"{right}{sig + 2}:{last}{sig + 2}", campaign.report.signer_note, italic=True)


def table_header(
    ws: Worksheet, fmts: Formats, columns: Sequence[HeaderColumn], top_row: int, heights: tuple[float, float]
) -> None:
    """Two header rows from ``top_row`` (1-based) and a row of column numbers (1) (2)… under them.

    Neighbouring columns with the same top label and a sub-label share a merged top cell; a column
    without a sub-label is one cell over both rows.
    """
    top, sub, numbers = top_row - 1, top_row, top_row + 1  # 0-based
    header = fmts.get(size=11, bold=True, align="center", border=True, fill=HEADER_COLOR)
    col = 0
    while col < len(columns):
        column = columns[col]
        span = 1
        while col + span < len(columns) and columns[col + span].top == column.top and column.sub:
            span += 1
        if not column.sub:
            ws.merge_range(top, col, sub, col, column.top, header)
        elif span > 1:
            ws.merge_range(top, col, top, col + span - 1, column.top, header)
        else:
            ws.write_string(top, col, column.top, header)
        for offset in range(span if column.sub else 0):
            ws.write_string(sub, col + offset, columns[col + offset].sub, header)
        col += span
    number_format = fmts.get(size=11, italic=True, align="center", border=True)
    for index, column in enumerate(columns):
        ws.set_column(index, index, column.width)
        ws.write_string(numbers, index, f"({index + 1})", number_format)
    ws.set_row(top, heights[0])
    ws.set_row(sub, heights[1])


def list_table(
    ws: Worksheet,
    fmts: Formats,
    title: str,
    headers: Sequence[tuple[str, float]],
    rows: Sequence[Sequence[Any]],
    kinds: Sequence[str] | None = None,
    empty: str = "",
) -> None:
    """A titled list: the title on row 1, the header on row 3 (frozen, filtered), the rows below; a row of
    wrapped text gets the height of its lines (LibreOffice keeps an .xlsx row's default height). ``empty``: what
    row 2 says when there is no row (a bare header reads as if something were missing)."""
    last = letter(len(headers) - 1)
    merged(ws, fmts, f"A1:{last}1", title, size=14, bold=True, align="left")
    if empty and not rows:
        merged(ws, fmts, f"A2:{last}2", empty, italic=True, align="left")
    header = fmts.get(size=11, bold=True, align="center", border=True, fill=HEADER_COLOR)
    for col, (text, width) in enumerate(headers):
        ws.write_string(2, col, text, header)
        ws.set_column(col, col, max(width, _widest_count(rows, col)))
    ws.freeze_panes(3, 0)
    kinds = kinds or ["text"] * len(headers)
    column_formats = [fmts.cell(kinds[c], first=c == 0) for c in range(len(headers))]
    wrapped = [(c, width) for c, (_, width) in enumerate(headers) if kinds[c] == "text"]
    for r, values in enumerate(rows, start=3):
        write_row(ws, r, values, column_formats, table=True)
        lines = max((math.ceil(len(text) / width) for c, width in wrapped if isinstance(text := values[c], str)),
                    default=1)
        if lines > 1:
            ws.set_row(r, LINE_HEIGHT * lines + 2)
    if rows:
        box_blanks(ws, fmts, 3, 0, 2 + len(rows), len(headers) - 1)
        ws.autofilter(f"A3:{last}{3 + len(rows)}")
    print_setup(ws, (2, 2))


def _widest_count(rows: Sequence[Sequence[Any]], col: int) -> float:
    """The width the column's longest whole number needs: a number wider than its cell shows as "###" in
    Excel and LibreOffice (the ten-thousandth line of a list's number column)."""
    lengths = [len(f"{value:,}") for row in rows if type(value := row[col]) is int]
    return max(lengths, default=0) + 2  # the cell's padding


def write_metadata(book: Workbook, values: dict[str, str | int]) -> None:
    """The hidden identity the reader trusts first: a very hidden, protected sheet of keys and values."""
    meta = book.add_worksheet(form.META_SHEET)
    for row, (key, value) in enumerate(values.items()):
        meta.write_string(row, 0, key)
        if isinstance(value, int):
            meta.write_number(row, 1, value)
        else:
            meta.write_string(row, 1, value)
    meta.very_hidden()
    meta.protect()


def print_setup(ws: Worksheet, title_rows: tuple[int, int] | None = None, margin: float = 0.4) -> None:
    """A4 landscape, one page wide, centred; ``title_rows`` (0-based) repeated on every page."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=margin, right=margin)
    if title_rows:
        ws.repeat_rows(*title_rows)
