"""What the clerk sees is what counts (DESIGN §4): every shape of a returned workbook that holds more than the
one table the tool reads, built as a clerk would (the tool's form, changed, then opened and saved by a real
LibreOffice), gets the decision written in docs/robustness.md ("Những gì đơn vị nhìn thấy").

Each figure in a workbook is counted, or named in a finding (sheet and cell) that says why it is not, or the
file is sent back; none is left out in silence.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from ihanoi_report import form
from ihanoi_report.config import Workspace
from ihanoi_report.ingest import ingest_folder
from ihanoi_report.model import Report

pytestmark = pytest.mark.lo_fill

Edit = Callable[[openpyxl.Workbook], None]
SCHOOLS = "PB-GDDT"  # the Education Office's form: a hundred school rows and a total


def _fill(book: openpyxl.Workbook, registry, code: str, rnd: int, shift: int = 0) -> None:
    """The figures of every row (staff only), and the report date, typed into the form sheet."""
    sheet = book[form.SHEET_NAME]
    unit = registry.get(code)
    layout = form.layout_for(unit, registry)
    for i, spec in enumerate(layout.rows):
        sheet[f"C{spec.row}"] = 20 + i + shift
        sheet[f"D{spec.row}"] = 20 + i + shift
    if layout.total_row:
        total = sum(20 + i + shift for i in range(len(layout.rows)))
        sheet[f"C{layout.total_row}"] = total
        sheet[f"D{layout.total_row}"] = total
    sheet[f"{form.FOOTER_VALUE_COLUMN}{layout.report_date_row}"] = "18/8/2024"


def _hide_rows(*rows: int) -> Edit:
    def edit(book: openpyxl.Workbook) -> None:
        for row in rows:
            book[form.SHEET_NAME].row_dimensions[row].hidden = True
    return edit


def _group_rows(first: int, last: int) -> Edit:
    def edit(book: openpyxl.Workbook) -> None:
        book[form.SHEET_NAME].row_dimensions.group(first, last, outline_level=1, hidden=True)
    return edit


def _filter_rows(first: int, last: int) -> Edit:
    def edit(book: openpyxl.Workbook) -> None:
        sheet = book[form.SHEET_NAME]
        sheet.auto_filter.ref = f"A11:G{last + 5}"
        for row in range(first, last + 1):
            sheet.row_dimensions[row].hidden = True
    return edit


def _hide_column(letter: str) -> Edit:
    def edit(book: openpyxl.Workbook) -> None:
        from openpyxl.utils import column_index_from_string

        sheet, index = book[form.SHEET_NAME], column_index_from_string(letter)
        for dimension in sheet.column_dimensions.values():  # the form sets C:D as one range: split it first
            if dimension.min is not None and dimension.min < index <= (dimension.max or 0):
                dimension.max = index - 1
        sheet.column_dimensions[letter].hidden = True
    return edit


def _copy_sheet(title: str, *, hidden: bool = False, change: dict[str, object] | None = None) -> Edit:
    def edit(book: openpyxl.Workbook) -> None:
        copy = book.copy_worksheet(book[form.SHEET_NAME])
        copy.title = title
        for cell, value in (change or {}).items():
            copy[cell] = value
        if hidden:
            copy.sheet_state = "hidden"
    return edit


def _draft_sheet(book: openpyxl.Workbook) -> None:
    draft = book.create_sheet("Nháp")
    draft["A1"], draft["B1"], draft["A2"], draft["B2"] = "Số cán bộ theo phòng", 12, "Tổ 2", 9


def _form_on_hidden_sheet(book: openpyxl.Workbook) -> None:
    book.create_sheet("Ghi chú", 0)["A1"] = "Báo cáo ở trang sau"
    book[form.SHEET_NAME].sheet_state = "hidden"
    book.active = 0


def _repeat_row(row: int, into: int, figures: tuple[int, int] | None = None) -> Edit:
    def edit(book: openpyxl.Workbook) -> None:
        sheet = book[form.SHEET_NAME]
        sheet.protection.sheet = False
        sheet[f"B{into}"] = sheet[f"B{row}"].value
        sheet[f"C{into}"], sheet[f"D{into}"] = figures or (sheet[f"C{row}"].value, sheet[f"D{row}"].value)
    return edit


def _typed_beside(book: openpyxl.Workbook) -> None:
    sheet = book[form.SHEET_NAME]
    sheet["J3"] = 7  # above the table, beside its title
    sheet["J11"] = 8  # in the table's header
    for column in "ABCDEFG":  # the row numbering the columns, (1) (2)… typed as numbers: the form's, not figures
        sheet[f"{column}12"] = "ABCDEFG".index(column) + 1
    sheet["J13"] = 45  # beside the unit's row, in a column with no header
    sheet["C22"] = 12  # under the footer, above the signatures' space
    sheet["H11"], sheet["H13"] = "Tỷ lệ (%)", 95  # a column of the unit's own, with its header: never counted
    sheet["C17"] = 912345678  # the phone, typed as a number


# name: (unit, edit, the file format LibreOffice saves)
SHAPES: dict[str, tuple[str, Edit | None, str]] = {
    "hidden-rows": (SCHOOLS, _hide_rows(20, 21), "xlsx"),
    "hidden-rows-ods": (SCHOOLS, _hide_rows(20, 21), "ods"),
    "grouped-rows": (SCHOOLS, _group_rows(30, 34), "xlsx"),
    "filtered-rows": (SCHOOLS, _filter_rows(40, 41), "xlsx"),
    "hidden-column": ("PB-NV", _hide_column("D"), "xlsx"),
    "hidden-sheet": ("PB-NV", _form_on_hidden_sheet, "xlsx"),
    "copy-same": ("PB-NV", _copy_sheet("Bản sao"), "xlsx"),
    "copy-other-figures": ("PB-NV", _copy_sheet("Lần 2 (cũ)", hidden=True, change={"C13": 15, "D13": 11}), "xlsx"),
    "other-units-form": ("PB-NV", _copy_sheet("Phòng Tư pháp", change={"B13": "Phòng Tư pháp", "C13": 9}), "xlsx"),
    "draft-sheet": ("PB-NV", _draft_sheet, "ods"),
    "row-repeated": ("PB-NV", _repeat_row(13, 14), "xlsx"),
    "row-repeated-differs": ("PB-NV", _repeat_row(13, 14, (25, 24)), "xlsx"),
    "typed-beside": ("PB-NV", _typed_beside, "xlsx"),
}


@pytest.fixture(scope="module")
def returned(libreoffice, blank_form, registry, campaign, tmp_path_factory) -> dict[str, Report]:
    """Every shape, written by LibreOffice, ingested in one run."""
    base = tmp_path_factory.mktemp("shapes")
    jobs = []
    for name, (code, edit, fmt) in SHAPES.items():
        source = blank_form(base / "src" / f"{name}.xlsx", code, 3)
        book = openpyxl.load_workbook(source)
        _fill(book, registry, code, 3)
        if edit is not None:
            edit(book)
        book.save(source)
        jobs.append((source, base / "inbox" / f"{name}.{fmt}", ["--locale", "vi-VN", "--unprotect", form.SHEET_NAME]))
    (base / "inbox").mkdir()
    libreoffice.fill_many(jobs)
    result = ingest_folder(base / "inbox", Workspace(base / "ws"), campaign, registry, 3)
    return {Path(f.path).stem: f for f in result.files}


def _codes(report: Report) -> list[str]:
    return [f.code for f in report.findings]


def _counted(report: Report, code: str) -> dict[str, int]:
    return {r.unit: r.counts for r in report.rows}[code]


@pytest.mark.parametrize("shape", ["hidden-rows", "hidden-rows-ods"])
def test_hidden_rows_with_figures_are_counted_and_named(returned, shape, registry):
    report = returned[shape]
    (said,) = [f for f in report.findings if f.code == "rows-hidden"]
    assert report.verdict.value == "accepted-with-warnings" and said.args["rows"] == "20, 21"
    assert len(report.rows) == len(form.layout_for(registry.get(SCHOOLS), registry).rows)  # every school counted


def test_rows_folded_in_a_group_are_named(returned):
    (said,) = [f for f in returned["grouped-rows"].findings if f.code == "rows-hidden"]
    assert said.args["rows"] == "30, 31, 32, 33, 34"


def test_rows_filtered_out_are_named(returned):
    (said,) = [f for f in returned["filtered-rows"].findings if f.code == "rows-hidden"]
    assert said.args["rows"] == "40, 41"


def test_a_hidden_count_column_is_named(returned):
    report = returned["hidden-column"]
    (said,) = [f for f in report.findings if f.code == "columns-hidden"]
    assert said.cell == "D10" and "Đã cài đặt iHanoi" in said.message
    assert _counted(report, "PB-NV") == {"staff_total": 20, "staff_installed": 20}


def test_a_form_on_a_hidden_sheet_is_counted_and_named(returned):
    report = returned["hidden-sheet"]
    assert "form-sheet-hidden" in _codes(report) and report.verdict.value == "accepted-with-warnings"


def test_a_second_copy_with_the_same_figures_is_counted_once(returned):
    report = returned["copy-same"]
    assert "form-copy-ignored" in _codes(report) and report.verdict.value == "accepted"
    assert len(report.rows) == 1


@pytest.mark.parametrize("shape", ["copy-other-figures", "other-units-form"])
def test_a_second_form_that_says_something_else_is_sent_back(returned, shape):
    report = returned[shape]
    (said,) = [f for f in report.findings if f.code == "form-on-two-sheets"]
    assert report.verdict.value == "rejected" and said.args["other_sheet"] == {
        "copy-other-figures": "Lần 2 (cũ)", "other-units-form": "Phòng Tư pháp"}[shape]


def test_figures_on_a_draft_sheet_are_named_not_counted(returned):
    report = returned["draft-sheet"]
    (said,) = [f for f in report.findings if f.code == "figures-elsewhere"]
    assert said.args["sheet_name"] == "Nháp" and said.args["cells"] == "B1, B2"
    assert _counted(report, "PB-NV") == {"staff_total": 20, "staff_installed": 20}


def test_a_row_repeating_the_unit_is_counted_once_or_asked_about(returned):
    same, other = returned["row-repeated"], returned["row-repeated-differs"]
    assert "row-repeated" in _codes(same) and same.verdict.value == "accepted"
    assert _counted(same, "PB-NV") == {"staff_total": 20, "staff_installed": 20}
    assert "row-repeated-differs" in _codes(other) and other.verdict.value == "rejected"


def test_figures_typed_around_the_table_are_named_not_counted(returned):
    """A number above the table, in its header (not a row numbering the columns), in a column with no header, or
    under it (not the footer's phone), is no cell of the form: named with its cells; a column the unit added
    under its own header is read as the unit's."""
    report = returned["typed-beside"]
    (said,) = [f for f in report.findings if f.code == "figures-elsewhere"]
    assert said.args == {"sheet_name": form.SHEET_NAME, "cells": "J3, J11, J13 (+1)"} and said.cell == "J3"
    assert report.verdict.value == "accepted-with-warnings" and report.phone == "912345678"
    assert _counted(report, "PB-NV") == {"staff_total": 20, "staff_installed": 20}
