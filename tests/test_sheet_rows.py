"""The sheets the tool's workbooks write their rows with (xlsx/sheet_rows.py) give XlsxWriter's own bytes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy
import xlsxwriter
from xlsxwriter.worksheet import Worksheet as StockWorksheet

from ihanoi_report.office import Office
from ihanoi_report.xlsx import sheet_rows
from ihanoi_report.xlsx.styles import BOOK_OPTIONS, SHARE_FORMAT, write, write_row


def _parts(data: bytes) -> dict[str, bytes]:
    """Every part of a workbook but its creation time."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return {name: book.read(name) for name in book.namelist() if name != "docProps/core.xml"}


def _written(book_class: Any, fill: Callable[[Any], None]) -> dict[str, bytes]:
    out = io.BytesIO()
    book = book_class(out, BOOK_OPTIONS)
    fill(book)
    book.close()
    return _parts(out.getvalue())


def _every_kind(book: Any) -> None:
    boxed = book.add_format({"border": 1, "num_format": "#,##0"})
    tinted = book.add_format({"bg_color": "#DDEBF7", "pattern": 1, "bold": True})
    ws = book.add_worksheet("Tổng hợp")
    ws.write_string(0, 0, "Tiêu đề & <nhóm> \"một\"", tinted)
    for row in range(2, 60):  # across several blocks of 16 rows, whose spans differ
        ws.write_number(row, 0, row, boxed)
        ws.write_number(row, 1, row / 7, boxed)
        ws.write_number(row, 2, 1e-20 * row, boxed)
        ws.write_number(row, 3, -123456789012345678, boxed)
        ws.write_string(row, 4, f"Xã {row % 5}", boxed)  # shared strings, repeated
        if row % 3:
            ws.write_blank(row, 5, None, tinted)
        if row > 40:
            ws.write_number(row, 9, 0.5, boxed)
    ws.write_number(60, 0, float("nan"), boxed)  # XlsxWriter's own: an error formula
    ws.write_number(60, 1, float("inf"), boxed)
    ws.write_number(60, 2, numpy.int64(7), boxed)
    ws.write_string(60, 3, "dài " * 5000, boxed)  # over half the longest string a cell holds
    ws.write_blank(60, 4, None)  # no format: not stored at all
    ws.write_string(10, 6, "no format")  # a cell without a format: XlsxWriter's own path
    ws.write_boolean(11, 6, True, boxed)
    ws.write_formula(12, 6, "=A3+B3", boxed, 5)
    ws.write_rich_string(13, 6, "a ", tinted, "b", boxed)
    ws.set_row(20, 32)
    ws.set_row(21, None, tinted)
    ws.set_row(22, None, None, {"hidden": True})
    ws.set_row(70, 30)  # a row of attributes only, beyond the cells
    ws.set_column(7, 7, 12, boxed)
    ws.write_blank(14, 7, None, boxed)
    ws.merge_range("H30:I31", "gộp", tinted)
    noted = book.add_worksheet("Ghi chú")
    noted.write_number(0, 0, 1, boxed)
    noted.write_comment(0, 0, "a comment: XlsxWriter's own loop")
    taller = book.add_worksheet("Cao")
    taller.set_default_row(24)
    taller.write_number(3, 1, 2, boxed)
    book.add_worksheet("Trống")


def test_every_kind_of_row_and_cell_is_written_to_xlsxwriters_bytes(monkeypatch):
    stock = _written(xlsxwriter.Workbook, _every_kind)
    by_xlsxwriter: list[tuple[int, int]] = []
    own = StockWorksheet._write_cell
    monkeypatch.setattr(StockWorksheet, "_write_cell",
                        lambda self, row, col, cell: by_xlsxwriter.append((row, col)) or own(self, row, col, cell))
    ours = _written(sheet_rows.Workbook, _every_kind)
    assert ours.keys() == stock.keys()
    for name in stock:
        assert ours[name] == stock[name], name
    # The fast path wrote every cell but these: no format, a boolean, a formula, rich text (G11:G14), NaN and
    # infinity (A61:B61, error formulas), and the cells
    # of the sheets with a comment (A1) or another default row height (B4), which XlsxWriter writes whole.
    assert sorted(by_xlsxwriter) == [(0, 0), (3, 1), (10, 6), (11, 6), (12, 6), (13, 6), (60, 0), (60, 1)]


def _through_write(book: Any) -> None:
    """Cells written as the tool writes them (styles.write): the tool's sheets keep them with put_number and
    put_string, XlsxWriter's with write_number and write_string."""
    count = book.add_format({"border": 1, "num_format": "#,##0"})
    share = book.add_format({"border": 1, "num_format": SHARE_FORMAT})
    ws = book.add_worksheet("Số liệu")
    write(ws, 5, 3, 12, count)  # the first cell is not the top left one: the used range grows both ways
    write(ws, 2, 1, "Xã Ba Trại", count)
    write(ws, 9, 8, 0.95449, share)  # a share, as the number policy shows it
    write(ws, 7, 0, "Xã Ba Trại", count)  # a shared string again
    write(ws, 8, 2, -3.5, count)
    write(ws, 3, 5, float("nan"), count)  # a blank that keeps its format
    write(ws, 4, 5, float("inf"), count)  # XlsxWriter's own: an error formula
    write(ws, 4, 6, "dài " * 5000, count)  # over half the longest text a cell holds
    write(ws, 4, 7, "x" * 40000, count)  # over the longest: XlsxWriter shortens it
    write(ws, 1_048_576, 0, 1, count)  # beyond the last row: XlsxWriter stores nothing
    write(ws, 0, 16_384, "beyond the last column", count)
    write(ws, 6, 4, numpy.int64(7), count)
    write(ws, 6, 5, True, count)
    write(ws, 6, 6, date(2024, 7, 25), count)
    book.add_worksheet("Trống").set_column(2, 2, 30)  # a sheet with no cell: no used range at all
    rows = book.add_worksheet("Hàng")  # whole rows at once, as the tables are written
    text = book.add_format({"border": 1})
    tinted = book.add_format({"border": 1, "bg_color": "#F2F2F2", "pattern": 1})
    formats = [text, text, count, share, text, tinted, count]
    write_row(rows, 3, [1, "Thôn Đoài", 250, 0.83333, "ghi chú", "", 4.5], formats, table=True)
    # a new text, then a date that write() makes a text of: the shared strings in the order of the cells
    write_row(rows, 4, ["Thôn Bắc", date(2024, 8, 31), "Thôn Đông", float("nan"), None, "", True], formats, table=True)
    write_row(rows, 5, [3, "Thôn Đoài", float("-inf"), numpy.int64(9), "dài " * 5000, "Mới", 0], formats)
    write_row(rows, 6, ["", None, "", None, "", None, ""], formats, table=True)  # nothing kept but the fill
    write_row(rows, 1_048_576, [1, "beyond the last row"], formats)
    late = book.add_worksheet("Cột trước")
    late.set_column(4, 4, 20)
    late.set_row(12, 30)  # a row's height first, a cell after it
    write(late, 3, 2, "sau", count)


def test_cells_written_through_write_are_kept_as_xlsxwriter_keeps_them(monkeypatch):
    stock = _written(xlsxwriter.Workbook, _through_write)
    calls: list[tuple[int, int]] = []
    for name in ("write_number", "write_string"):
        own = getattr(StockWorksheet, name)
        monkeypatch.setattr(sheet_rows.Worksheet, name, lambda self, row, col, *rest, own=own: (
            calls.append((row, col)) or own(self, row, col, *rest)))
    ours = _written(sheet_rows.Workbook, _through_write)
    assert ours.keys() == stock.keys()
    for name in stock:
        assert ours[name] == stock[name], name
    # Only what XlsxWriter must judge went through its write_*: infinity, the long texts, the cells outside the
    # sheet and the numpy numbers (a row's other cells are kept in one call).
    assert sorted(calls) == [(0, 16_384), (4, 5), (4, 6), (4, 7), (5, 2), (5, 3), (5, 4), (6, 4),
                             (1_048_576, 0), (1_048_576, 0), (1_048_576, 1)]


def test_the_consolidated_workbook_is_xlsxwriters_to_the_byte(ingested, campaign, registry, tmp_path, monkeypatch):
    workspace, _ = ingested
    office = Office(workspace, campaign, registry)
    view = office.round_view(campaign.round(3))

    def written(name: str) -> dict[str, bytes]:
        path = office.write_consolidation(view, tmp_path / name, "xlsx", force=False)
        return _parts(Path(path).read_bytes())

    ours = written("ours.xlsx")
    monkeypatch.setattr(sheet_rows.Workbook, "worksheet_class", StockWorksheet)
    stock = written("stock.xlsx")
    assert ours == stock and len(ours) > 10

