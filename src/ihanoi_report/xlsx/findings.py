"""The officer's list of every finding of an ingest run (ingest --report): file, unit, cell, rule, sentence."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePath

from ihanoi_report.files import atomic_path, check_writable
from ihanoi_report.messages import vi
from ihanoi_report.model import KIND_FINDINGS, Report
from ihanoi_report.xlsx.document import list_table, write_metadata
from ihanoi_report.xlsx.sheet_rows import Workbook
from ihanoi_report.xlsx.styles import BOOK_OPTIONS, Formats

SHEET = vi("book-sheet-findings")
HEADERS = tuple(
    (vi(f"book-col-{key}"), width)
    for key, width in (("stt", 6), ("file", 40), ("unit", 34), ("round", 6), ("cell", 8), ("severity", 11),
                       ("finding-code", 26), ("text", 90))
)


def write_findings_workbook(reports: Sequence[Report], path: Path, *, force: bool) -> Path:
    """One sheet listing every finding of the files, in Vietnamese, written whole or not at all."""
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
            ((file, finding) for file in reports for finding in file.findings), start=1
        )
    ]
    with atomic_path(path) as tmp:
        book = Workbook(str(tmp), BOOK_OPTIONS)
        list_table(book.add_worksheet(SHEET), Formats(book), vi("findings-title"), HEADERS, rows)
        write_metadata(book, {"kind": KIND_FINDINGS})  # never read as a return, even dropped into the inbox
        book.close()
    return path
