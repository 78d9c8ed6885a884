"""What goes back to the people: the officer's list of findings, and for each file with findings
a copy of the unit's workbook with the offending cells highlighted and explained.

Originals are never touched: copies are made from the bytes the store kept, and only of files that
passed the reader's safety checks and were read as a form (openpyxl has no limits of its own: a zip
bomb that the reader refused must not reach it here). A .xls or .ods cannot be marked by openpyxl:
its feedback lists the cells without claiming to have marked them.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from ihanoi_report import form
from ihanoi_report.checks import feedback_kind, for_the_unit
from ihanoi_report.files import atomic_path, bundle, feedback_names
from ihanoi_report.messages import vi
from ihanoi_report.model import KIND_FEEDBACK, Finding, Report, Severity, Verdict
from ihanoi_report.reader import ReadFailure, check_container
from ihanoi_report.safe_text import for_document
from ihanoi_report.sheet_xml import ZIP_MAGIC
from ihanoi_report.xlsx.styles import ERROR_COLOR, FONT_NAME, HEADER_COLOR, WARNING_COLOR

# What openpyxl needs of the house style to mark a copy (XlsxWriter cannot edit an existing workbook).
_BODY, _BOLD = Font(name=FONT_NAME, size=12), Font(name=FONT_NAME, size=12, bold=True)
_TITLE, _ITALIC = Font(name=FONT_NAME, size=14, bold=True), Font(name=FONT_NAME, size=12, italic=True)
_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_FILL = {
    Severity.ERROR: PatternFill("solid", fgColor=ERROR_COLOR),
    Severity.WARNING: PatternFill("solid", fgColor=WARNING_COLOR),
    Severity.INFO: PatternFill("solid", fgColor=WARNING_COLOR),
}
_HEADER_FILL = PatternFill("solid", fgColor=HEADER_COLOR)

# A form is a few tens of kilobytes unpacked; openpyxl builds every cell in memory, so more is refused.
MARKABLE_BYTES = 10 * 1024 * 1024

PROBLEMS_SHEET = vi("book-sheet-to-fix")
LINE_HEIGHT = 16.5  # points: one line of 12-pt Times New Roman
TEXT_CHARS_PER_LINE = 100  # what the 110-wide text column holds on a line (wrapped, the row grows to fit)


def _text_cell(ws: Worksheet, row: int, col: int, value: object, font: Font = _BODY) -> None:
    """A string is always stored as text: "=1+1" from a clerk's workbook never becomes a formula here."""
    cell = ws.cell(row=row, column=col)
    cell.value = for_document(value) if isinstance(value, str) else value
    if isinstance(value, str) and value:
        cell.data_type = "s"
    cell.font, cell.border, cell.alignment = font, _BOX, _LEFT


def _problems_sheet(wb: Workbook, report: Report, how: str, findings: list[Finding]) -> None:
    """The first sheet: every problem in words; ``how`` says whether the cells were marked on the form, and
    whether the unit is to correct and send again or only to check."""
    ws = wb.create_sheet(PROBLEMS_SHEET, 0)
    check = "" if report.has_errors else "check-"
    unit = (report.unit_name or Path(report.path).name).upper()
    ws["A1"].value = for_document(vi(f"feedback-{check}title", unit=unit))
    ws["A1"].data_type, ws["A1"].font = "s", _TITLE
    ws["A2"].value = vi(f"feedback-{check}{how}", suffix=Path(report.path).suffix.lower() or "?")
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A2:D2")
    ws.row_dimensions[2].height = LINE_HEIGHT * 2
    ws["A2"].font = _ITALIC
    keys = ("stt", "cell", "severity", "to-fix" if report.has_errors else "to-check")
    headers = zip((vi(f"book-col-{key}") for key in keys), (6, 8, 11, 110), strict=True)
    for col, (header, width) in enumerate(headers, start=1):
        _text_cell(ws, 4, col, header, _BOLD)
        cell = ws.cell(row=4, column=col)
        cell.fill, cell.alignment = _HEADER_FILL, _CENTER
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = "A5"
    for i, finding in enumerate(findings, start=1):
        text = finding.message_vi
        for col, value in enumerate((i, finding.cell, vi(f"severity-{finding.severity.value}"), text), start=1):
            _text_cell(ws, 4 + i, col, value)
        ws.row_dimensions[4 + i].height = LINE_HEIGHT * max(1, math.ceil(len(text) / TEXT_CHARS_PER_LINE))
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _mark_cells(wb: Workbook, findings: list[Finding]) -> None:
    for finding in findings:
        if not finding.cell or finding.sheet not in wb.sheetnames:
            continue
        cell = wb[finding.sheet][finding.cell]
        cell.fill = _FILL[finding.severity]
        text = finding.message_vi
        if cell.comment is not None:
            text = cell.comment.text + "\n" + text
        comment = Comment(for_document(text), "ihanoi-report")
        comment.width, comment.height = 320, 140
        cell.comment = comment


def _mark_as_copy(wb: Workbook, report: Report) -> None:
    """The hidden mark that says "a copy ihanoi-report made of this file": ingest never takes it for a return
    while it is as the tool wrote it (docs/robustness.md says how an edited copy counts)."""
    ws = wb[form.META_SHEET] if form.META_SHEET in wb.sheetnames else wb.create_sheet(form.META_SHEET)
    rows = {str(row[0].value): row[0].row for row in ws.iter_rows(min_col=1, max_col=1) if row[0].value}
    for key, value in (("kind", KIND_FEEDBACK), ("copy_of", report.sha256)):
        at = rows.get(key, ws.max_row + 1 if rows else 1)
        ws.cell(row=at, column=1).value, ws.cell(row=at, column=2).value = key, value
        rows[key] = at
    ws.sheet_state = "veryHidden"


def _markable(report: Report, data: bytes) -> bool:
    """Only a form the reader read (so it passed the safety checks), an .xlsx/.xlsm, small when unpacked."""
    if not report.sheet or not data.startswith(ZIP_MAGIC):
        return False
    try:
        check_container(data)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "[Content_Types].xml" in archive.namelist() and sum(
                i.file_size for i in archive.infolist()
            ) <= MARKABLE_BYTES
    except (ReadFailure, OSError, ValueError, RuntimeError, EOFError):
        return False


def write_feedback(report: Report, data: bytes | None, path: Path, office: frozenset[str]) -> Path:
    """A copy of the unit's workbook at ``path``: first a sheet of problems, then the form with marked cells.

    A file that cannot be marked (not read as a form, .xls, .ods, gone from the store) gets the sheet
    of problems alone, which says why.
    """
    wb: Workbook | None = None
    how = "unread" if not report.sheet else "listed"
    findings = for_the_unit(report, office)
    if data is not None and _markable(report, data):
        try:
            # keep_vba stays off: macros of an .xlsm are never copied into what we send back.
            wb = load_workbook(io.BytesIO(data), keep_vba=False, keep_links=False)
            _mark_cells(wb, findings)
            how = "marked"
        except Exception:  # openpyxl cannot open every valid file; the list of problems still goes back
            wb = None
    if wb is None:
        wb = Workbook()
        wb.remove(wb.active)
    _problems_sheet(wb, report, how, findings)
    _mark_as_copy(wb, report)
    wb.active = 0
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def write_feedback_files(
    reports: Sequence[Report], stems: Sequence[str], out_dir: Path, originals: Callable[[str], bytes | None], *,
    force: bool, office: frozenset[str],
) -> list[Path]:
    """A copy for every report with something for its unit to do (checks.feedback_kind; ``office``: the codes
    for the officer alone, checks.office_codes): ``…_can-sua.xlsx`` for a file sent back, ``…_luu-y.xlsx`` for
    one received with cells to check; none for a file with nothing the unit can change (late, a resubmission,
    below a target). Made from the bytes the store kept (``originals(sha256)``), never from the inbox again;
    ``stems[i]`` names reports[i]'s copy. Every name the folder could hold for these files is owned: written
    together, or an old copy removed when its file has nothing to say now. A failure of the tool is not the
    clerk's: no copy."""
    written = []
    with bundle(out_dir, feedback_names(stems), force=force) as staging:
        for report, stem in zip(reports, stems, strict=True):
            kind = feedback_kind(report, office)
            if kind is None or report.verdict is Verdict.INTERNAL_ERROR:
                continue
            data = originals(report.sha256) if report.sha256 else None
            write_feedback(report, data, staging / f"{stem}_{kind}.xlsx", office)
            written.append(out_dir / f"{stem}_{kind}.xlsx")
    return written
