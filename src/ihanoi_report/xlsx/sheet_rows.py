"""XlsxWriter's workbook, with the rows of each sheet written to its XML faster and to the same bytes.

A city's consolidated workbook holds some 200,000 cells; XlsxWriter writes each one through a few generic
element builders (a list of attributes, each escaped), which was a third of ``consolidate``. Here the cells
the tool writes (a number, a string, a blank, each with its format) are written as one formatted string each;
a cell or a row of any other kind goes through XlsxWriter's own code, so what the file says never depends on
which path wrote it (tests compare the two byte for byte).
"""

from __future__ import annotations

from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet as _Worksheet


class Worksheet(_Worksheet):  # type: ignore[misc]  # XlsxWriter ships no types here
    def _write_rows(self) -> None:
        if self.comments or self.constant_memory or self.excel_version == 2010 or (
                self.default_row_height != self.original_row_height):
            super()._write_rows()  # what the tool never writes: XlsxWriter's own loop
            return
        self._calculate_spans()
        write, table, row_info, spans = self.fh.write, self.table, self.row_info, self.row_spans
        letters: dict[int, str] = {}
        for row_num in range(self.dim_rowmin, self.dim_rowmax + 1) if self.dim_rowmin is not None else ():
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
                kind, fmt = cell.__class__.__name__, cell.format
                if fmt is None or kind not in _FAST_KINDS:
                    self._write_cell(row_num, col_num, cell)
                    continue
                letter = letters.get(col_num) or letters.setdefault(col_num, xl_col_to_name(col_num))
                write(_FAST_KINDS[kind].format(letter, number, fmt._get_xf_index(), cell[0]))
            write("</row>")


# What XlsxWriter writes for these cells (a string is its index in the shared strings), to the byte.
_FAST_KINDS = {
    "Number": '<c r="{0}{1}" s="{2}"><v>{3:.16G}</v></c>',
    "String": '<c r="{0}{1}" s="{2}" t="s"><v>{3}</v></c>',
    "Blank": '<c r="{0}{1}" s="{2}"/>',
}


class Workbook(xlsxwriter.Workbook):  # type: ignore[misc]
    """xlsxwriter.Workbook whose sheets write their rows with ``Worksheet`` above."""

    worksheet_class: Any = Worksheet
