from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from ihanoi_report import form
from ihanoi_report.config import load_campaign, shipped_dir
from ihanoi_report.form import form_file_name
from ihanoi_report.units import load_registry
from ihanoi_report.xlsx.forms import FormStamper, write_form, write_forms

SPEC = load_campaign(shipped_dir("templates") / "campaign.toml").declared


def _meta(book: CalamineWorkbook) -> dict[str, object]:
    rows = book.get_sheet_by_name(form.META_SHEET).to_python(skip_empty_area=False)
    return {str(r[0]): r[1] for r in rows if r and r[0]}


def _sheet_text(book: CalamineWorkbook) -> str:
    rows = book.get_sheet_by_name(form.SHEET_NAME).to_python(skip_empty_area=False)
    return "\n".join(" | ".join(str(c) for c in row) for row in rows)


@pytest.fixture(scope="module")
def round1_forms(tmp_path_factory, campaign, registry) -> list[Path]:
    out = tmp_path_factory.mktemp("forms")
    result = write_forms(campaign, registry, registry.reporting_units(), campaign.round(1), out)
    assert not result.kept
    return list(result.written)


def test_every_registry_unit_is_on_exactly_one_form(round1_forms, registry):
    seen: list[str] = []
    for path in round1_forms:
        book = CalamineWorkbook.from_path(str(path))
        meta = _meta(book)
        rows = book.get_sheet_by_name(form.SHEET_NAME).to_python(skip_empty_area=False)
        names = [r[1] for r in rows[form.FIRST_DATA_ROW - 1 :] if r[1] and r[1] != form.TOTAL_LABEL][: 1 + len(
            registry.children(str(meta["unit_code"])))]
        seen.extend(u.code for name in names for u in registry.by_name(str(name)))
    assert sorted(seen) == sorted(u.code for u in registry)


def test_each_form_shows_title_round_unit_and_metadata(round1_forms, registry, campaign):
    for path in round1_forms:
        book = CalamineWorkbook.from_path(str(path))
        meta = _meta(book)
        unit = registry.get(str(meta["unit_code"]))
        assert unit is not None
        assert meta["campaign_id"] == campaign.id and int(meta["round"]) == 1
        assert meta["form_version"] == campaign.declared.version
        text = _sheet_text(book)
        assert "BIỂU TỔNG HỢP TIẾN ĐỘ CÀI ĐẶT, SỬ DỤNG ỨNG DỤNG iHANOI (LẦN 1)" in text
        assert f"Đơn vị báo cáo: {unit.name} (mã: {unit.code})" in text
        assert "19/7/2024" in text
        assert path.name == form_file_name(unit, campaign.round(1), campaign.short_name) and path.name.isascii()


def _sheet(blank_form, tmp_path, code: str, rnd: int):
    """The form's sheet as openpyxl reads the file back."""
    return openpyxl.load_workbook(blank_form(tmp_path / f"{code}.xlsx", code, rnd))[form.SHEET_NAME]


def test_a_commune_form_has_inputs_validations_and_protection(blank_form, tmp_path):
    ws = _sheet(blank_form, tmp_path, "XA-09694", 2)
    row = form.FIRST_DATA_ROW
    assert ws[f"B{row}"].value == "Xã Tản Lĩnh"
    for column in form.count_columns(SPEC):
        assert ws[f"{column.letter}{row}"].protection.locked is False
    assert ws[f"B{row}"].protection.locked is True
    assert ws.protection.sheet is True and not ws.protection.password
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert rules[f"D{row}"].formula2 == f"C{row}" and rules[f"D{row}"].type == "whole"
    assert rules[f"F{row}"].formula2 == f"E{row}"
    assert rules[f"G{row}"].formula2 == f"F{row}"
    assert rules[f"C{row}"].operator == "greaterThanOrEqual"
    assert all(dv.error and dv.prompt for dv in rules.values())
    # One page wide: fitToWidth 1 is the default OOXML leaves out; fitToHeight 0 is "as many as needed".
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth in (None, 1)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == f"${form.HEADER_ROW}:${form.NUMBER_ROW}"


def test_a_department_form_greys_and_locks_the_resident_cells(blank_form, tmp_path):
    ws = _sheet(blank_form, tmp_path, "PB-NV", 1)
    row = form.FIRST_DATA_ROW
    for column in (c for c in form.count_columns(SPEC) if c.heading == "Cài đặt cho người dân"):
        assert ws[f"{column.letter}{row}"].protection.locked is True
    assert ws[f"C{row}"].protection.locked is False


def test_the_education_office_form_has_a_row_per_school_and_a_total(blank_form, tmp_path, registry):
    layout = form.layout_for(registry.get("PB-GDDT"), registry)
    ws = _sheet(blank_form, tmp_path, "PB-GDDT", 1)
    assert len(layout.rows) == 1 + len(registry.children("PB-GDDT"))
    assert ws[f"B{layout.total_row}"].value == form.TOTAL_LABEL
    last = layout.rows[-1].row
    assert ws[f"C{layout.total_row}"].value == f"=SUM(C{form.FIRST_DATA_ROW}:C{last})"


def test_existing_forms_are_kept_without_force(tmp_path, campaign, registry):
    unit = registry.get("PB-NV")
    first = write_forms(campaign, registry, [unit], campaign.round(1), tmp_path)
    path = first.written[0]
    path.write_bytes(b"clerk's copy")
    again = write_forms(campaign, registry, [unit], campaign.round(1), tmp_path)
    assert again.kept == (path,) and path.read_bytes() == b"clerk's copy"
    forced = write_forms(campaign, registry, [unit], campaign.round(1), tmp_path, force=True)
    assert forced.written == (path,) and openpyxl.load_workbook(path)


@pytest.mark.soffice
@pytest.mark.parametrize("fmt", ["xls", "ods", "xlsx"])
def test_layout_and_metadata_survive_libreoffice(libreoffice, tmp_path, campaign, registry, fmt):
    unit = registry.get("PB-GDDT")
    written = write_forms(campaign, registry, [unit], campaign.round(3), tmp_path / "src").written[0]
    converted = libreoffice.convert(written, fmt, tmp_path / "out")
    book = CalamineWorkbook.from_path(str(converted))
    assert _meta(book)["unit_code"] == "PB-GDDT" and int(_meta(book)["round"]) == 3
    text = _sheet_text(book)
    assert "(LẦN 3)" in text and "Trường Mầm non Tản Lĩnh" in text and form.TOTAL_LABEL in text
    rows = book.get_sheet_by_name(form.SHEET_NAME).to_python(skip_empty_area=False)
    assert rows[form.SUBHEADER_ROW - 1][2:7] == [c.label for c in form.count_columns(SPEC)]
    if fmt != "xls":
        wb = openpyxl.load_workbook(converted) if fmt == "xlsx" else None
        if wb is not None:
            ws = wb[form.SHEET_NAME]
            assert ws.protection.sheet and len(ws.data_validations.dataValidation) >= 2


@pytest.mark.soffice
def test_a_form_prints_on_one_page_wide(libreoffice, tmp_path, campaign, registry):
    written = write_forms(campaign, registry, [registry.get("XA-09694")], campaign.round(1), tmp_path).written[0]
    pdf = libreoffice.convert(written, "pdf", tmp_path / "pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    assert int(fields["Pages"]) == 1
    width, height = (float(x) for x in fields["Page size"].split()[0:3:2])
    assert width > height  # landscape
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "BIỂU TỔNG HỢP TIẾN ĐỘ CÀI ĐẶT" in text and "Xã Tản Lĩnh" in text


def test_forms_written_by_several_processes_match_those_written_by_one(tmp_path, round1_forms, campaign, registry):
    units = registry.reporting_units()
    alone = write_forms(campaign, registry, units, campaign.round(1), tmp_path / "one", workers=1)
    assert len(units) >= 40  # round1_forms took the several-process path
    assert [p.name for p in round1_forms] == [p.name for p in alone.written]
    for mine, theirs in zip(round1_forms, alone.written, strict=True):
        a, b = CalamineWorkbook.from_path(str(mine)), CalamineWorkbook.from_path(str(theirs))
        assert _sheet_text(a) == _sheet_text(b) and _meta(a) == _meta(b), mine.name


def test_template_says_when_the_official_letter_is_still_a_blank(run_cli, workspace, tmp_path):
    code, _out, err = run_cli("template", "--round", "1", "--unit", "PB-NV", "--out", str(tmp_path / "a"))
    assert code == 0 and "subtitle" in err and "công văn số …/UBND-VHTT" in err
    source = (workspace.root / "campaign.toml")
    from ihanoi_report.config import shipped_dir

    text = (shipped_dir("templates") / "campaign.toml").read_text(encoding="utf-8")
    filled = text.replace("công văn số …/UBND-VHTT, ngày …/7/2024", "công văn số 1234/UBND-VHTT, ngày 08/7/2024")
    source.write_text(filled, encoding="utf-8")
    code, _out, err = run_cli("template", "--round", "1", "--unit", "PB-NV", "--out", str(tmp_path / "b"))
    assert code == 0 and "chỗ chưa điền" not in err


@pytest.mark.parametrize(("code", "top", "place"), [
    ("XA-09694", ("ỦY BAN NHÂN DÂN", "XÃ TẢN LĨNH"), "Tản Lĩnh"),
    ("DT-MTTQ", ("ỦY BAN MTTQ VIỆT NAM THÀNH PHỐ HÀ NỘI", "ỦY BAN MTTQ VIỆT NAM HUYỆN"), "Ba Vì"),
    ("HQ-KBNN", ("KHO BẠC NHÀ NƯỚC HÀ NỘI", "KHO BẠC NHÀ NƯỚC BA VÌ"), "Ba Vì"),
    ("PB-NV", ("ỦY BAN NHÂN DÂN HUYỆN BA VÌ", "PHÒNG NỘI VỤ"), "Ba Vì"),
])
def test_each_form_is_headed_by_the_units_own_governing_body_and_place(round1_forms, code, top, place):
    path = next(p for p in round1_forms if f"_{code}_" in p.name)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(form.SHEET_NAME).to_python(skip_empty_area=False)
    assert (rows[0][0], rows[1][0]) == top
    assert str(rows[2][3]).startswith(f"{place}, ngày")


@pytest.mark.parametrize(("folder", "number", "example", "example_us"), [
    ("", 3, "20/8/2024", "8/20/2024"),
    ("campaigns/binh-dan-hoc-vu-so", 2, "14/11/2025", "11/14/2025"),
])
def test_the_report_dates_prompt_shows_a_date_of_the_round(tmp_path, folder, number, example, example_us):
    """The clerk who copies the example types a date the validation takes: the round's, not another campaign's."""
    root = shipped_dir("templates") / folder
    campaign = load_campaign(root / "campaign.toml")
    registry = load_registry(root / "units.csv", campaign.groups)
    unit, rnd = registry.reporting_units()[0], campaign.round(number)
    path = write_form(tmp_path / "form.xlsx", campaign, registry, unit, rnd)
    ws = openpyxl.load_workbook(path)[form.SHEET_NAME]
    layout = form.layout_for(unit, registry)
    rule = next(dv for dv in ws.data_validations.dataValidation
                if str(dv.sqref) == f"{form.FOOTER_VALUE_COLUMN}{layout.report_date_row}")
    assert f"ví dụ {example}." in rule.prompt and "2024" not in rule.prompt.replace(example, "")
    assert f"ví dụ {example}." in rule.error and f"ví dụ {example_us}." in rule.error


def test_every_validation_title_fits_excels_limit_whole():
    from ihanoi_report.messages import vi
    from ihanoi_report.xlsx.forms import VALIDATION_TITLE_LIMIT, _prompt

    titles = [_prompt(SPEC, key)[0] for key in SPEC.keys] + [vi("form-date-prompt-title")]
    assert [t for t in titles if len(t) > VALIDATION_TITLE_LIMIT] == []


CREATED = datetime(2024, 7, 10, 8, 30, tzinfo=UTC)


@pytest.mark.parametrize("folder", ["", "campaigns/binh-dan-hoc-vu-so", "city"])
def test_a_stamped_form_is_the_form_xlsxwriter_writes_byte_for_byte(tmp_path, folder):
    root = shipped_dir("templates") / folder
    campaign = load_campaign(root / "campaign.toml")
    registry = load_registry(root / "units.csv", campaign.groups)
    units = registry.reporting_units()
    for rnd in (campaign.rounds[0], campaign.rounds[-1]):
        stamper = FormStamper(campaign, registry, rnd, CREATED)
        for unit in units:
            rendered = write_form(tmp_path / "rendered.xlsx", campaign, registry, unit, rnd, CREATED).read_bytes()
            assert stamper.write(tmp_path / "stamped.xlsx", unit).read_bytes() == rendered, (rnd.number, unit.code)
        assert stamper.stamped == len(units)  # every shipped unit's words are stamped, none rendered again


def test_words_a_stencil_cannot_take_are_rendered_and_the_form_is_the_same(tmp_path, campaign):
    """A name with XML's own characters is stamped escaped; a name the form already holds elsewhere (XlsxWriter
    stores a string once), and a school named as its parent, are rendered: the bytes never differ."""
    national = campaign.form.national_name
    (tmp_path / "units.csv").write_text(
        "code,name,group,has_residents,parent,contact\n"
        'PB-A,"Phòng A & B <Ban> ""C""",phong-ban,0,,\n'
        f"PB-N,{national},phong-ban,0,,\n"
        "XA-1,Xã Một,xa,1,,\n"
        "PB-GD,Phòng Giáo dục,phong-ban,0,,\n"
        "TH-1,Trường Tiểu học Một,truong,0,PB-GD,\n"
        "TH-2,Phòng Giáo dục,truong,0,PB-GD,\n",
        encoding="utf-8",
    )
    registry = load_registry(tmp_path / "units.csv", campaign.groups)
    stamper = FormStamper(campaign, registry, campaign.round(2), CREATED)
    stamped = {}
    for unit in registry.reporting_units():
        before = stamper.stamped
        rendered = write_form(tmp_path / "rendered.xlsx", campaign, registry, unit, campaign.round(2), CREATED)
        assert stamper.write(tmp_path / "stamped.xlsx", unit).read_bytes() == rendered.read_bytes(), unit.code
        stamped[unit.code] = stamper.stamped > before
    assert stamped == {"PB-A": True, "PB-N": False, "XA-1": True, "PB-GD": False}
