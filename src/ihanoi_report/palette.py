"""The font, colours and number formats of every document we write, free of any library.

styles.py turns them into openpyxl objects (forms, feedback copies); report.py into XlsxWriter
formats (the consolidated workbook), so both look alike and neither imports the other's library.
"""

from __future__ import annotations

FONT_NAME = "Times New Roman"

INPUT_COLOR = "FFF2CC"  # pale yellow: type here
DISABLED_COLOR = "D9D9D9"  # grey: not for this unit
HEADER_COLOR = "DDEBF7"  # pale blue: column headers
TOTAL_COLOR = "F2F2F2"
ERROR_COLOR = "FFC7CE"  # pale red: a cell with a problem
MET_COLOR = "C6EFCE"  # pale green: target met
WARNING_COLOR = "FFEB9C"

COUNT_FORMAT = "#,##0"
SHARE_FORMAT = "0.00%"
