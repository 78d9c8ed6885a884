"""XlsxWriter's workbook, with the rows of each sheet written to its XML faster and to the same bytes.

A city's consolidated workbook holds some 300,000 cells; XlsxWriter writes each one through a few generic
element builders (a list of attributes, each escaped), which was a fifth of ``consolidate``. Here the cells
the tool writes (a number, a string, a blank, each with its format) are written as one formatted string each;
a cell or a row of any other kind goes through XlsxWriter's own code, so what the file says never depends on
which path wrote it (tests compare the two byte for byte).
"""

from __future__ import annotations

from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import CellBlankTuple, CellNumberTuple, CellStringTuple
from xlsxwriter.worksheet import Worksheet as _Worksheet


class Worksheet(_Worksheet):  # type: ignore[misc]  # XlsxWriter ships no types here
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
