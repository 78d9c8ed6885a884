"""XlsxWriter's workbook, with the cells of each sheet kept and written to its XML faster, to the same bytes.

A city's consolidated workbook holds some 300,000 cells; XlsxWriter writes each one through a few generic
element builders (a list of attributes, each escaped), which was a fifth of ``consolidate``. Here the cells
the tool writes (a number, a string, a blank, each with its format) are written as one formatted string each;
a cell or a row of any other kind goes through XlsxWriter's own code, so what the file says never depends on
which path wrote it (tests compare the two byte for byte). Keeping a cell costs less too: ``put_number`` and
``put_string`` store what ``write_number`` and ``write_string`` store, without their two layers of argument
checks for the common case (a finite number, a short text, inside the sheet), which was a tenth of the run.
"""

from __future__ import annotations

from math import isfinite
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import CellBlankTuple, CellNumberTuple, CellStringTuple
from xlsxwriter.worksheet import Worksheet as _Worksheet

_new_tuple = tuple.__new__  # a cell tuple made without the Python frame of its namedtuple's __new__


class Worksheet(_Worksheet):  # type: ignore[misc]  # XlsxWriter ships no types here
    dim_rowmin: Any  # the used range XlsxWriter keeps, None until a cell is written (set in its __init__)
    dim_rowmax: Any
    dim_colmin: Any
    dim_colmax: Any

    def put_number(self, row: int, col: int, number: int | float, cell_format: Any) -> None:
        """write_number(row, col, number, cell_format), as XlsxWriter keeps it; anything but a finite number inside
        the sheet, or a sheet written row by row (constant_memory), goes through write_number itself."""
        if self.constant_memory or not (0 <= row < self.xls_rowmax and 0 <= col < self.xls_colmax
                                        and isfinite(number)):
            self.write_number(row, col, number, cell_format)
            return
        self._extend(row, col)
        self.table[row][col] = _new_tuple(CellNumberTuple, (number, cell_format))

    def put_string(self, row: int, col: int, string: str, cell_format: Any) -> None:
        """write_string(row, col, string, cell_format), as XlsxWriter keeps it (its index in the shared strings); a
        text that may be over the longest a cell holds goes through write_string, which shortens it."""
        if self.constant_memory or len(string) > self.xls_strmax // 2 or not (
                0 <= row < self.xls_rowmax and 0 <= col < self.xls_colmax):
            self.write_string(row, col, string, cell_format)
            return
        self._extend(row, col)
        self.table[row][col] = _new_tuple(CellStringTuple, (self.str_table._get_shared_string_index(string),
                                                             cell_format))

    def can_put_row(self, row: int, width: int) -> bool:
        """Whether put_row may keep cells of ``row`` in its first ``width`` columns."""
        return not self.constant_memory and 0 <= row < self.xls_rowmax and width <= self.xls_colmax

    def put_row(self, row: int, cells: list[tuple[int, Any, Any]]) -> None:
        """put_number or put_string for each (column, value, format) of a row where can_put_row, in column order:
        a finite number, or a text not over half the longest a cell holds (one call for a row's cells)."""
        kept, index = self.table[row], self.str_table._get_shared_string_index
        for col, value, cell_format in cells:
            if value.__class__ is str:
                kept[col] = _new_tuple(CellStringTuple, (index(value), cell_format))
            else:
                kept[col] = _new_tuple(CellNumberTuple, (value, cell_format))
        self._extend(row, cells[0][0])
        self._extend(row, cells[-1][0])

    def _extend(self, row: int, col: int) -> None:
        """The sheet's used range grown to the cell (what _check_dimensions records of a cell inside the sheet)."""
        if self.dim_rowmin is None:
            self.dim_rowmin, self.dim_rowmax = row, row
        elif row < self.dim_rowmin:
            self.dim_rowmin = row
        elif row > self.dim_rowmax:
            self.dim_rowmax = row
        if self.dim_colmin is None:
            self.dim_colmin, self.dim_colmax = col, col
        elif col < self.dim_colmin:
            self.dim_colmin = col
        elif col > self.dim_colmax:
            self.dim_colmax = col

    def _write_rows(self) -> None:
        if self.comments or self.constant_memory or self.excel_version == 2010 or (
                self.default_row_height != self.original_row_height):
            super()._write_rows()  # what the tool never writes: XlsxWriter's own loop
            return
        write, table, row_info, spans = self.fh.write, self.table, self.row_info, self._spans()
        letters = {col: xl_col_to_name(col) for col in range(self.dim_colmin, self.dim_colmax + 1)}
        indexes: dict[int, int] = {}  # id(format) -> its index in the styles
        for row_num in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = table.get(row_num)
            if not cells and row_num not in row_info:
                continue
            span = spans.get(row_num // 16)
            if row_num in row_info or not cells:
                self._write_row(row_num, span, row_info.get(row_num), empty_row=not cells)
                if not cells:
                    continue
            else:
                write(f'<row r="{row_num + 1}" spans="{span}">' if span else f'<row r="{row_num + 1}">')
            number = str(row_num + 1)
            for col_num in sorted(cells):
                cell = cells[col_num]
                kind, fmt = cell.__class__, cell.format
                if fmt is None or kind not in _FAST_KINDS:
                    self._write_cell(row_num, col_num, cell)
                    continue
                style = indexes.get(id(fmt))
                if style is None:
                    style = indexes[id(fmt)] = fmt._get_xf_index()
                # What XlsxWriter writes for these cells (a string is its index in the shared strings), to the byte.
                if kind is CellNumberTuple:
                    write(f'<c r="{letters[col_num]}{number}" s="{style}"><v>{cell[0]:.16G}</v></c>')
                elif kind is CellStringTuple:
                    write(f'<c r="{letters[col_num]}{number}" s="{style}" t="s"><v>{cell[0]}</v></c>')
                else:
                    write(f'<c r="{letters[col_num]}{number}" s="{style}"/>')
            write("</row>")

    def _spans(self) -> dict[int, str]:
        """XlsxWriter's "spans" of each block of 16 rows (the first and last column with a cell, 1-based), as its
        _calculate_spans finds them for a sheet without comments, from each row's cells instead of every column."""
        spans: dict[int, tuple[int, int]] = {}
        for row_num, cells in self.table.items():
            if cells and self.dim_rowmin <= row_num <= self.dim_rowmax:
                low, high = min(cells), max(cells)
                block = spans.get(row_num // 16)
                spans[row_num // 16] = (low, high) if block is None else (min(block[0], low), max(block[1], high))
        self.row_spans = {block: f"{low + 1}:{high + 1}" for block, (low, high) in spans.items()}
        return self.row_spans


_FAST_KINDS = frozenset({CellNumberTuple, CellStringTuple, CellBlankTuple})


class Workbook(xlsxwriter.Workbook):  # type: ignore[misc]
    """xlsxwriter.Workbook whose sheets write their rows with ``Worksheet`` above."""

    worksheet_class: Any = Worksheet
