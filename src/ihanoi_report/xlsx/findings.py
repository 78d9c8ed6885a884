"""The officer's list of every finding of an ingest run (ingest --report): file, unit, cell, rule, sentence."""

from __future__ import annotations

from pathlib import Path, PurePath

import xlsxwriter

from ihanoi_report.files import atomic_path, check_writable
from ihanoi_report.messages import vi
from ihanoi_report.model import IngestResult
from ihanoi_report.xlsx.document import list_table
from ihanoi_report.xlsx.styles import Formats

SHEET = "Lỗi và cảnh báo"
HEADERS = (
    ("STT", 6),
    ("Tệp", 40),
    ("Đơn vị", 34),
    ("Lần", 6),
    ("Ô", 8),
    ("Mức", 11),
    ("Mã lỗi", 26),
    ("Nội dung", 90),
)


def write_findings_workbook(result: IngestResult, path: Path, *, force: bool) -> Path:
    """One sheet listing every finding of the run, in Vietnamese, written whole or not at all."""
    check_writable(path, force)
    rows = [
        (
            number,
            PurePath(file.path).name,
            file.unit_name or file.unit,
            file.round or "",
            finding.cell,
            vi(f"severity-{finding.severity.value}"),
            finding.code,
            finding.message_vi,
        )
        for number, (file, finding) in enumerate(
            ((file, finding) for file in result.files for finding in file.findings), start=1
        )
    ]
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        list_table(book.add_worksheet(SHEET), Formats(book), vi("findings-title"), HEADERS, rows)
        book.close()
    return path
