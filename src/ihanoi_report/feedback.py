"""What goes back to the people: the officer's list of findings, and for each file with findings
a copy of the unit's workbook with the offending cells highlighted and explained.

Originals are never touched: copies are made from the bytes in memory or the archive.
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.worksheet.worksheet import Worksheet

from ihanoi_report import styles
from ihanoi_report.files import atomic_path, check_writable
from ihanoi_report.findings import BatchReport, FileReport, Severity
from ihanoi_report.messages import vi
from ihanoi_report.units import slug

FINDINGS_HEADERS = ("STT", "Tệp", "Đơn vị", "Lần", "Ô", "Mức", "Mã lỗi", "Nội dung")
PROBLEMS_SHEET = "Cần sửa"


def _text_cell(ws: Worksheet, row: int, col: int, value: object) -> None:
    cell = ws.cell(row=row, column=col)
    styles.set_text(cell, value)
    cell.font, cell.border, cell.alignment = styles.BODY, styles.BOX, styles.LEFT


def write_findings_workbook(report: BatchReport, path: Path, *, force: bool) -> Path:
    """One sheet listing every finding of the run (file, unit, cell, rule, sentence)."""
    check_writable(path, force)
    wb = Workbook()
    ws = wb.active
    ws.title = "Lỗi và cảnh báo"
    styles.header_row(ws, FINDINGS_HEADERS, (6, 40, 34, 6, 8, 11, 26, 90))
    row = 2
    for file in report.files:
        for finding in file.findings:
            values = (
                row - 1,
                Path(file.path).name,
                file.unit_name or file.unit,
                file.round or "",
                finding.cell,
                vi(f"severity-{finding.severity.value}"),
                finding.code,
                finding.message_vi,
            )
            for col, value in enumerate(values, start=1):
                _text_cell(ws, row, col, value)
            row += 1
    ws.auto_filter.ref = f"A1:H{max(row - 1, 1)}"
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def _problems_sheet(wb: Workbook, report: FileReport) -> None:
    ws = wb.create_sheet(PROBLEMS_SHEET, 0)
    styles.set_text(
        ws["A1"], f"CÁC ĐIỂM CẦN SỬA TRONG BÁO CÁO CỦA {(report.unit_name or Path(report.path).name).upper()}"
    )
    ws["A1"].font = styles.TITLE
    ws["A2"] = (
        "Các ô có vấn đề được tô màu trong trang tính báo cáo và có ghi chú. "
        "Đề nghị đơn vị sửa trực tiếp trên biểu mẫu rồi gửi lại."
    )
    ws["A2"].font = styles.ITALIC
    styles.header_row(ws, ("STT", "Ô", "Mức", "Nội dung cần sửa"), (6, 8, 11, 110), row=4)
    for i, finding in enumerate(report.findings, start=1):
        for col, value in enumerate(
            (i, finding.cell, vi(f"severity-{finding.severity.value}"), finding.message_vi), start=1
        ):
            _text_cell(ws, 4 + i, col, value)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _mark_cells(wb: Workbook, report: FileReport) -> None:
    for finding in report.findings:
        if not finding.cell or finding.sheet not in wb.sheetnames:
            continue
        cell = wb[finding.sheet][finding.cell]
        cell.fill = styles.ERROR_FILL if finding.severity is Severity.ERROR else styles.WARNING_FILL
        text = finding.message_vi
        if cell.comment is not None:
            text = cell.comment.text + "\n" + text
        comment = Comment(text, "ihanoi-report")
        comment.width, comment.height = 320, 140
        cell.comment = comment


def feedback_name(report: FileReport) -> str:
    stem = slug(Path(report.path).stem, 60)
    return f"{stem}_can-sua.xlsx"


def write_feedback(report: FileReport, data: bytes, out_dir: Path, *, force: bool) -> Path:
    """A copy of the unit's workbook: first a sheet of problems, then the form with marked cells."""
    path = out_dir / feedback_name(report)
    check_writable(path, force)
    wb: Workbook
    try:
        # keep_vba stays off: macros of an .xlsm are never copied into what we send back.
        wb = load_workbook(io.BytesIO(data), keep_vba=False, keep_links=False)
        _mark_cells(wb, report)
    except Exception:
        wb = Workbook()
        wb.remove(wb.active)
    _problems_sheet(wb, report)
    wb.active = 0
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def write_feedback_files(report: BatchReport, out_dir: Path, *, force: bool) -> list[Path]:
    """A feedback copy for every file of the run that has findings (read again, never modified)."""
    written = []
    for file in report.files:
        if not file.findings:
            continue
        try:
            data = (file.source or Path(file.path)).read_bytes()
        except OSError:
            data = b""
        written.append(write_feedback(file, data, out_dir, force=force))
    return written
