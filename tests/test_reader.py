"""Reading and identifying returned workbooks, by every route, from files real programs wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from ihanoi_report import form
from ihanoi_report.config import load_campaign, shipped_dir
from ihanoi_report.identify import identify
from ihanoi_report.reader import ReadFailure, read_form

SPEC = load_campaign(shipped_dir("templates") / "campaign.toml").declared


def _read(path: Path):
    return read_form(path, path.read_bytes(), SPEC)


def test_what_is_not_a_form_fails_with_its_reason(tmp_path):
    cases = {
        "empty.xlsx": (b"", "file-unreadable"),
        "photo.xlsx": (b"\xff\xd8\xff\xe0" + bytes(100), "not-a-spreadsheet"),
        "page.xls": (b"<html><body>bao cao</body></html>", "not-a-spreadsheet"),
        "cut.xlsx": (b"PK\x03\x04" + bytes(100), "file-unreadable"),
    }
    for name, (data, code) in cases.items():
        with pytest.raises(ReadFailure) as failure:
            read_form(tmp_path / name, data, SPEC)
        assert failure.value.code == code, name
    wb = Workbook()
    wb.active["A1"] = "Danh sách cán bộ"
    wb.save(tmp_path / "other.xlsx")
    with pytest.raises(ReadFailure, match="form-not-found"):
        _read(tmp_path / "other.xlsx")


def test_a_formula_without_saved_result_is_seen(filled_form, tmp_path, campaign, registry):
    path = filled_form(tmp_path / "gd.xlsx", "PB-GDDT", 1)
    sub = _read(path)
    layout = form.layout_for(registry.get("PB-GDDT"), registry)
    assert sub.total is not None and sub.total.row == layout.total_row
    assert f"C{layout.total_row}" in sub.formula_cells


@pytest.mark.soffice
@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_libreoffice_round_trips_read_exactly_like_the_original(filled_form, libreoffice, tmp_path, registry, fmt):
    original = filled_form(tmp_path / "src" / "gd.xlsx", "PB-GDDT", 3)
    converted = libreoffice.convert(original, fmt, tmp_path / fmt)
    a, b = _read(original), _read(converted)
    assert [(r.row, r.name, r.cells) for r in a.rows] == [(r.row, r.name, r.cells) for r in b.rows]
    assert a.meta == b.meta and a.title == b.title and a.report_date == b.report_date
    # LibreOffice computed the totals openpyxl could not.
    children = len(registry.children("PB-GDDT")) + 1
    assert b.total is not None and b.total.cells["staff_total"] == 30 * children  # filled_form's 30 staff in every row
    assert not b.formula_cells


@pytest.mark.soffice
def test_a_form_filled_in_libreoffice_with_an_inserted_row_and_renamed_sheet(
    blank_form, libreoffice, tmp_path, campaign, registry
):
    blank = tmp_path / "blank.xlsx"
    blank_form(blank, "XA-09694", 3)
    r = form.FIRST_DATA_ROW + 2
    filled = libreoffice.fill(blank, tmp_path / "filled.xls", "--locale", "vi-VN", "--unprotect", "-",
                              "--insert-row", "3", "--insert-row", "3", "--set", f"C{r}=35", "--set", f"D{r}=35",
                              "--set", f"E{r}=12.345", "--set", f"F{r}='9.100", "--set", f"G{r}=8000",
                              "--rename-sheet", "Bao cao Tan Linh")
    sub = _read(filled)
    assert sub.sheet == "Bao cao Tan Linh" and sub.rows[0].row == r
    assert sub.rows[0].cells["residents"] == 12345 and sub.rows[0].cells["smartphones"] == "9.100"
    assert identify(sub, registry, campaign, 3).unit.code == "XA-09694"


def _with_meta(path: Path, **changes: str) -> Path:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    meta = wb[form.META_SHEET]
    for row in meta.iter_rows():
        if row[0].value in changes:
            row[1].value = changes[row[0].value]
    wb.save(path)
    return path


def test_a_form_of_another_campaign_is_an_error_and_an_old_version_a_note(filled_form, tmp_path, campaign, registry):
    other = _with_meta(filled_form(tmp_path / "a.xlsx", "PB-NV", 1), campaign_id="ha-dong-2025")
    codes = [f.code for f in identify(_read(other), registry, campaign, 1).findings]
    assert codes == ["campaign-mismatch"]
    old = _with_meta(filled_form(tmp_path / "b.xlsx", "PB-NV", 1), form_version="2023.9")
    (finding,) = identify(_read(old), registry, campaign, 1).findings
    assert (finding.code, finding.severity.value, finding.value) == ("form-version-unknown", "info", "2023.9")
    same = filled_form(tmp_path / "c.xlsx", "PB-NV", 1)
    assert identify(_read(same), registry, campaign, 1).findings == ()


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"\x09\x00\x04\x00\x00\x00\x10\x00" + bytes(64), "file-format-unsupported"),  # Excel 2.x worksheet
     (b'<?xml version="1.0"?><office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">',
      "file-format-unsupported"),  # flat ODS
     (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512) + "EncryptionInfo".encode("utf-16-le") + bytes(512),
      "file-encrypted"),  # an encrypted .xlsx is an OLE2 file holding EncryptionInfo
     (b"%PDF-1.7\n" + bytes(64), "not-a-spreadsheet")],
)
def test_containers_are_told_apart_before_reading(tmp_path, data, code):
    with pytest.raises(ReadFailure) as failure:
        read_form(tmp_path / "x.xls", data, SPEC)
    assert failure.value.code == code


@pytest.mark.parametrize("cells", [((1, 1), (1, 3000)), ((1, 3000),)], ids=["too-wide", "beyond-the-area"])
def test_another_sheet_that_cannot_be_read_is_said_never_skipped(filled_form, tmp_path, campaign, registry, cells):
    import openpyxl

    from ihanoi_report.config import Workspace
    from ihanoi_report.ingest import ingest_folder

    path = filled_form(tmp_path / "in" / "phong-noi-vu.xlsx", "PB-NV", 3, report_date="18/8/2024")
    book = openpyxl.load_workbook(path)
    other = book.create_sheet("Số liệu khác")
    for row, column in cells:  # wider than any sheet the tool reads, or figures only far beyond its area
        other.cell(row=row, column=column, value=7)
    book.save(path)
    result = ingest_folder(tmp_path / "in", Workspace(tmp_path / "ws"), campaign, registry, 3)
    (report,) = result.files
    (said,) = [f for f in report.findings if f.code == "sheet-unreadable"]
    assert said.args["sheet_name"] == "Số liệu khác" and report.verdict.value == "accepted-with-warnings"


def test_one_spec_reads_each_header_as_it_stands_not_as_the_last_one_read(filled_form, tmp_path):
    """A run reads every file with one spec, which keeps the table it found under each header it met: a form
    whose two columns were swapped (labels and figures) is read by its own header, before and after the
    template's."""
    import openpyxl

    path = filled_form(tmp_path / "a.xlsx", "PB-GDDT", 1)
    first = _read(path)
    total, installed = first.letters["staff_total"], first.letters["staff_installed"]
    wb = openpyxl.load_workbook(path)
    ws = wb[form.SHEET_NAME]
    for row in [first.header_row + 1] + [r.row for r in first.rows]:
        a, b = ws[f"{total}{row}"], ws[f"{installed}{row}"]
        a.value, b.value = b.value, a.value
    wb.save(tmp_path / "swapped.xlsx")
    swapped = _read(tmp_path / "swapped.xlsx")
    assert (swapped.letters["staff_total"], swapped.letters["staff_installed"]) == (installed, total)
    assert [r.cells for r in swapped.rows] == [r.cells for r in first.rows]
    again = _read(path)
    assert again.letters == first.letters and [r.cells for r in again.rows] == [r.cells for r in first.rows]
