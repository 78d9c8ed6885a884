"""Which unit and which round a returned workbook is: from FormData alone (the pure rules), then from
workbooks read by every route a clerk's file can take."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from ihanoi_report.config import load_campaign, shipped_dir
from ihanoi_report.form import round_in_text
from ihanoi_report.identify import identify
from ihanoi_report.model import FormData, RawRow, Severity
from ihanoi_report.reader import read_form

SPEC = load_campaign(shipped_dir("templates") / "campaign.toml").declared


def _read(path: Path) -> FormData:
    return read_form(path, path.read_bytes(), SPEC)


def _form(name: str = "x.xlsx", *, meta: dict[str, str] | None = None, title: str = "", unit_line: str = "",
          rows: tuple[str, ...] = (), head: tuple[str, ...] = ()) -> FormData:
    """What the reader would hand over for a form with these words on it."""
    round_in_title = round_in_text(title)
    return FormData(Path(name), "Báo cáo", meta or {}, title, round_in_title, unit_line, "",
                    tuple(RawRow(11 + i, text, {}) for i, text in enumerate(rows)), None, {}, head_texts=head)


def _meta(unit: str, rnd: int, **more: str) -> dict[str, str]:
    return {"unit_code": unit, "round": str(rnd), "campaign_id": "ba-vi-ihanoi-2024", "form_version": SPEC.version,
            **more}


def test_the_hidden_metadata_outranks_the_file_name(campaign, registry):
    ident = identify(_form("BC xa Phu Son lan 4.xlsx", meta=_meta("XA-09694", 2)), registry, campaign, None)
    assert (ident.unit.code, ident.round, ident.unit_by, ident.round_by, ident.findings) == (
        "XA-09694", 2, "metadata", "metadata", ())


def test_metadata_that_the_visible_form_contradicts_is_never_trusted_quietly(campaign, registry):
    """A form borrowed from another unit: the hidden code says Tản Lĩnh, the form the clerk typed says Phú Sơn."""
    borrowed = _form(meta=_meta("XA-09694", 2), title="BÁO CÁO iHANOI LẦN 3", unit_line="Xã Phú Sơn",
                     rows=("Xã Phú Sơn",))
    ident = identify(borrowed, registry, campaign, None)
    assert sorted(f.code for f in ident.findings) == ["round-conflict", "unit-conflict"]
    assert all(f.severity is Severity.ERROR for f in ident.findings)
    conflict = next(f for f in ident.findings if f.code == "unit-conflict")
    assert "Xã Tản Lĩnh (XA-09694)" in conflict.message and "Xã Phú Sơn (XA-09658)" in conflict.message


def test_a_form_of_another_campaign_is_refused_and_another_form_version_noted(campaign, registry):
    other = identify(_form(meta=_meta("XA-09694", 1, campaign_id="hoai-duc-2024")), registry, campaign, None)
    assert [(f.code, f.severity) for f in other.findings] == [("campaign-mismatch", Severity.ERROR)]
    older = identify(_form(meta=_meta("XA-09694", 1, form_version="0")), registry, campaign, None)
    assert [(f.code, f.severity) for f in older.findings] == [("form-version-unknown", Severity.INFO)]


def test_a_unit_code_in_the_file_name_identifies_when_the_form_says_nothing(campaign, registry):
    ident = identify(_form("iHanoi_XA-09625_lan-3.xlsx"), registry, campaign, None)
    assert (ident.unit.code, ident.round, ident.unit_by, ident.round_by) == ("XA-09625", 3, "file-name", "file-name")


def test_a_school_that_sends_its_own_form_is_told_to_send_it_through_its_office(campaign, registry):
    """Schools are reported on the Education Office's form: a school's own file is taken, with a warning."""
    school = registry.get("MN-TAYDANG")
    ident = identify(_form(title="LẦN 2", unit_line=f"Đơn vị: {school.name}", rows=(school.name,)), registry,
                     campaign, None)
    assert ident.unit == school
    assert [(f.code, f.severity) for f in ident.findings] == [("unit-reports-through", Severity.WARNING)]
    assert "Phòng Giáo dục và Đào tạo (PB-GDDT)" in ident.findings[0].message


def test_a_round_outside_the_campaign_is_an_error(campaign, registry):
    ident = identify(_form(meta=_meta("XA-09694", 7)), registry, campaign, None)
    assert [f.code for f in ident.findings] == ["round-mismatch"] and ident.round is None


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


