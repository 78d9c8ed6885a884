"""Reading and identifying returned workbooks, by every route, from files real programs wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from ihanoi_report import form
from ihanoi_report.identify import identify
from ihanoi_report.reader import ReadFailure, read_form, round_in_text


def _read(path: Path):
    return read_form(path, path.read_bytes())


def test_metadata_identifies_a_renamed_file(filled_form, tmp_path, campaign, registry):
    path = filled_form(tmp_path / "bao cao moi nhat.xlsx", "XA-09694", 2)
    sub = _read(path)
    ident = identify(sub, registry, campaign, None)
    assert (ident.unit.code, ident.round, ident.unit_by, ident.round_by) == ("XA-09694", 2, "metadata", "metadata")
    assert sub.rows[0].cells["residents"] == 12000 and sub.letters["residents"] == "E"


def _hand_typed(path: Path, title: str, unit_line: str, row_name: str, *, insert: int = 0) -> Path:
    wb = Workbook()
    ws = wb.active
    for _ in range(insert):
        ws.append([])
    ws.append([title])
    if unit_line:
        ws.append([unit_line])
    ws.append([])
    ws.append(["STT", "Tên đơn vị", "Tổng số", "Đã cài đặt iHanoi", "Tổng số người dân trên địa bàn",
               "Số người dân có điện thoại thông minh", "Số người dân đã cài đặt iHanoi"])
    ws.append([1, row_name, 30, 30, 9000, 7000, 5000])
    wb.save(path)
    return path


def test_visible_unit_and_round_identify_a_form_typed_by_hand(tmp_path, campaign, registry):
    path = _hand_typed(tmp_path / "x.xlsx", "BIỂU TỔNG HỢP TIẾN ĐỘ CÀI ĐẶT iHANOI (LẦN 3)", "", "UBND xã Vân Hòa",
                       insert=4)
    ident = identify(_read(path), registry, campaign, None)
    assert (ident.unit.code, ident.round, ident.unit_by, ident.round_by) == ("XA-09706", 3, "visible", "visible")
    assert not ident.findings


def test_the_unit_line_and_its_code_identify(tmp_path, campaign, registry):
    path = _hand_typed(tmp_path / "x.xlsx", "BÁO CÁO iHanoi lần thứ 2", "Đơn vị báo cáo: Xã Ba Vì (mã: XA-09703)",
                       "Xã Ba Vì")
    ident = identify(_read(path), registry, campaign, None)
    assert (ident.unit.code, ident.round) == ("XA-09703", 2)


def test_the_file_name_is_the_last_resort(tmp_path, campaign, registry):
    path = _hand_typed(tmp_path / "bao cao xa Tan Linh lan 4.xlsx", "Số liệu iHanoi", "", "")
    ident = identify(_read(path), registry, campaign, None)
    assert (ident.unit.code, ident.round, ident.unit_by, ident.round_by) == ("XA-09694", 4, "file-name", "file-name")


def test_an_unknown_and_an_ambiguous_unit_are_errors(tmp_path, campaign, registry):
    unknown = identify(_read(_hand_typed(tmp_path / "a.xlsx", "iHanoi LẦN 1", "", "Xã Không Có")), registry,
                       campaign, None)
    assert [f.code for f in unknown.findings] == ["unit-unknown"] and unknown.unit is None
    both = _hand_typed(tmp_path / "bao cao Phu Son va Tan Linh.xlsx", "iHanoi LẦN 1", "", "")
    ambiguous = identify(_read(both), registry, campaign, None)
    assert [f.code for f in ambiguous.findings] == ["unit-ambiguous"]
    assert "Xã Phú Sơn (XA-09658)" in ambiguous.findings[0].message
    assert "Xã Tản Lĩnh (XA-09694)" in ambiguous.findings[0].message


def test_a_round_that_differs_from_the_folder_is_an_error_naming_both(filled_form, tmp_path, campaign, registry):
    path = filled_form(tmp_path / "a.xlsx", "PB-NV", 2)
    ident = identify(_read(path), registry, campaign, 3)
    assert [f.code for f in ident.findings] == ["round-mismatch"]
    assert "lần 2" in ident.findings[0].message and "lần 3" in ident.findings[0].message


def test_no_round_anywhere_needs_the_command_line(tmp_path, campaign, registry):
    path = _hand_typed(tmp_path / "a.xlsx", "Báo cáo", "", "Phòng Nội vụ")
    assert [f.code for f in identify(_read(path), registry, campaign, None).findings] == ["round-unknown"]
    assert identify(_read(path), registry, campaign, 2).round == 2


@pytest.mark.parametrize(("text", "number"), [("LẦN 3", 3), ("lan-2", 2), ("iHanoi-lan-4_XA", 4), ("LẦN II", 2),
                                               ("lần thứ 1", 1), ("Lan", None)])
def test_round_in_text(text, number):
    assert round_in_text(text) == number


def test_what_is_not_a_form_fails_with_its_reason(tmp_path):
    cases = {
        "empty.xlsx": (b"", "file-unreadable"),
        "photo.xlsx": (b"\xff\xd8\xff\xe0" + bytes(100), "not-a-spreadsheet"),
        "page.xls": (b"<html><body>bao cao</body></html>", "not-a-spreadsheet"),
        "cut.xlsx": (b"PK\x03\x04" + bytes(100), "file-unreadable"),
    }
    for name, (data, code) in cases.items():
        with pytest.raises(ReadFailure) as failure:
            read_form(tmp_path / name, data)
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
        read_form(tmp_path / "x.xls", data)
    assert failure.value.code == code
