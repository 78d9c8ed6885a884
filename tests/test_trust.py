"""Figures the district can sign: every case where a real inbox could put a wrong figure into the official
report without a word. Each return here is written by a real LibreOffice (../shared/tools/lo_fill.py),
typed the way a clerk types, in the Vietnamese locale unless said otherwise."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl import Workbook

from ihanoi_report import form
from ihanoi_report.config import Workspace
from ihanoi_report.errors import ExitCode
from ihanoi_report.ingest import ingest_folder
from ihanoi_report.office import Office
from ihanoi_report.store import Store
from ihanoi_report.xlsx.consolidated import SOURCES_SHEET, SUMMARY_SHEET

VI = ["--locale", "vi-VN"]
ZALO_TODAY = datetime(2026, 12, 1, 9, 30).timestamp()  # a file saved from Zalo today, long after the round


def figures(staff: tuple[int, int], residents: tuple[int, int, int] | None = None, row: int = 13) -> dict[str, object]:
    cells: dict[str, object] = {f"C{row}": staff[0], f"D{row}": staff[1]}
    if residents is not None:
        cells |= {f"E{row}": residents[0], f"F{row}": residents[1], f"G{row}": residents[2]}
    return cells


def hand_made(path: Path, header: list[str], row: list[object], title: str = "BÁO CÁO iHANOI LẦN 2",
              date_text: str = "24/7/2024") -> Path:
    """A form a clerk typed themselves: a title, one header row in their own words, one row, the date."""
    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.append([])
    ws.append(header)
    ws.append(row)
    ws.append([])
    ws.append(["", "Ngày báo cáo:", date_text])
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def returns(libreoffice, blank_form, tmp_path_factory, campaign, registry) -> dict[str, Path]:
    """Every return of this module, made in one go (two LibreOffice runs at a time)."""
    base = tmp_path_factory.mktemp("returns")
    blanks = base / "blank"
    blanks.mkdir()

    def blank(code: str, rnd: int) -> Path:
        path = blanks / f"{code}-{rnd}.xlsx"
        if not path.exists():
            blank_form(path, code, rnd)
        return path

    jobs: list[tuple[Path, Path, list[str]]] = []
    made: dict[str, Path] = {}

    def add(name: str, code: str, rnd: int, target: str, cells: dict[str, object], *extra: str,
            after: tuple[str, ...] = ()) -> None:
        made[name] = base / target
        made[name].parent.mkdir(parents=True, exist_ok=True)
        jobs.append((blank(code, rnd), made[name], [*VI, *extra, *libreoffice.typed(cells), *after]))

    # 1. Two valid reports of one unit for one round; the "(1)" copy is the newer one and sorts first.
    add("older", "XA-09619", 2, "order/bao cao Tay Dang.xlsx", figures((30, 25), (21000, 15000, 5000)) | {
        "C15": "22/7/2024"})
    add("newer", "XA-09619", 2, "order/bao cao Tay Dang (1).xlsx", figures((30, 30), (21000, 15000, 6200)) | {
        "C15": "24/7/2024"})
    # Two reports of the same day with different figures: which is newer cannot be told.
    add("same-a", "XA-09625", 2, "same-day/Phu Cuong sang.xlsx", figures((25, 25), (9000, 7000, 3000)) | {
        "C15": "25/7/2024"})
    add("same-b", "XA-09625", 2, "same-day/Phu Cuong chieu.xlsx", figures((25, 25), (9000, 7000, 3100)) | {
        "C15": "25/7/2024"})
    # 2. A commune fills its neighbour's form, writes its own name, sends it.
    add("ba-trai", "XA-09697", 2, "borrowed/first/Ba Trai.xlsx", figures((28, 28), (12000, 9000, 4000)) | {
        "C15": "24/7/2024"})
    add("borrowed", "XA-09697", 2, "borrowed/then/Tan Linh.xlsx", figures((31, 31), (15000, 11000, 7000)) | {
        "A2": "XÃ TẢN LĨNH", "A7": "Đơn vị báo cáo: Xã Tản Lĩnh", "B13": "Xã Tản Lĩnh", "C15": "25/7/2024"},
        "--unprotect", "-")
    # A round-1 form saved again with new numbers in August; and one whose title was changed to round 3.
    add("r1", "PB-NV", 1, "round1/first/Noi vu.xlsx", figures((20, 15)) | {"C15": "18/7/2024"})
    add("r1-again", "PB-NV", 1, "round1/then/Noi vu moi.xlsx", figures((20, 20)) | {"C15": "18/8/2024"})
    add("r1-title", "PB-NV", 1, "round1/title/Noi vu lan 3.xlsx", figures((20, 20)) | {
        "A5": "BIỂU TỔNG HỢP TIẾN ĐỘ CÀI ĐẶT, SỬ DỤNG ỨNG DỤNG iHANOI (LẦN 3)", "C15": "18/8/2024"},
        "--unprotect", "-")
    # 3. Report dates as clerks type them into the date cell (round 2: 20/7 to 26/7/2024).
    dates = {"blank": ("PB-KT", ""), "number": ("PB-TP", "26"), "en-us": ("PB-YT", "7/24/2024"),
             "short-year": ("PB-DT", "24/7/24"), "words": ("PB-TCKH", "ngày 24 tháng 7 năm 2024"),
             "no-such-day": ("PB-TNMT", "31/02/2024")}
    for name, (code, text) in dates.items():
        add(f"date-{name}", code, 2, f"dates/{name}.xlsx", figures((12, 12)) | {"C15": text})
    made["date-en-us-real"] = base / "dates-en/en-us-real.xlsx"
    made["date-en-us-real"].parent.mkdir()
    en_us = libreoffice.typed(figures((9, 9)) | {"C15": "7/24/2024"})  # typed with LibreOffice's en-US locale
    jobs.append((blank("PB-QLDT", 2), made["date-en-us-real"], en_us))
    # 5. A rejected return, and the same bytes sent again under another name (made below by copying).
    add("wrong", "PB-VP", 2, "resent/Van phong.xlsx", figures((40, 44)) | {"C15": "24/7/2024"})
    # 6. The Education Office: a blank row among its schools, and a school the registry does not know.
    gddt = form.layout_for(registry.get("PB-GDDT"), registry)
    school_cells: dict[str, object] = {f"C{gddt.report_date_row}": "24/7/2024"}
    for spec in gddt.rows:
        school_cells |= figures((20, 20), row=spec.row)
    middle = str(gddt.rows[50].row)
    # Filled, then a row inserted among the schools (below it, everything moves down one, the total's SUM grows).
    add("gddt-blank-row", "PB-GDDT", 2, "gddt/blank-row.xlsx", school_cells, "--unprotect", "-",
        after=("--insert-row", middle))
    # A school the registry does not know, typed into such a row, as a clerk adds one.
    add("gddt-unknown", "PB-GDDT", 2, "gddt-unknown/unknown-school.xlsx", school_cells, "--unprotect", "-",
        after=("--insert-row", middle, *libreoffice.typed({f"B{middle}": "Trường Mầm non Hoa Sen", f"C{middle}": 15,
                                                f"D{middle}": 15})))
    # 4. Hand-made forms: columns in another order, "Đơn vị" for the name header, an extra "Tỷ lệ (%)".
    hand = base / "hand"
    hand.mkdir()
    made["reordered-src"] = hand_made(
        hand / "src-reordered.xlsx",
        ["STT", "Tên đơn vị", "Tổng số dân", "Số dân có điện thoại thông minh", "Số dân đã cài đặt",
         "Tổng số CBCCVC", "Số CBCCVC đã cài đặt"], [1, "Xã Vân Hòa", 15000, 11000, 9000, 30, 30])
    made["short-header-src"] = hand_made(
        hand / "src-short-header.xlsx",
        ["STT", "Đơn vị", "Tổng số CBCCVC", "CBCCVC đã cài", "Tỷ lệ (%)", "Tổng số dân", "Số dân có ĐTTM",
         "Số dân đã cài"], [1, "Xã Cổ Đô", 26, 20, 0.77, 9000, 7000, "7.500"])
    made["legacy-tcvn3-src"] = hand_made(
        hand / "src-tcvn3.xlsx",
        ["STT", "Tªn ®¬n vÞ", "Tæng sè CBCCVC", "CBCCVC ®· cµi ®Æt", "Tæng sè d©n", "Sè d©n cã ®iÖn tho¹i th«ng minh",
         "Sè d©n ®· cµi ®Æt"], [1, "X· T¶n LÜnh", 33, 33, 14000, 10000, 8000], title="B¸O C¸O iHANOI LÇN 2")
    made["legacy-vni-src"] = hand_made(
        hand / "src-vni.xlsx",
        ["STT", "Teân ñôn vò", "Toång soá CBCCVC", "CBCCVC ñaõ caøi ñaët", "Toång soá daân",
         "Soá daân coù ñieän thoaïi thoâng minh", "Soá daân ñaõ caøi ñaët"],
        [1, "Xaõ Minh Chaâu", 21, 21, 8000, 6000, 5000])
    for name in ("reordered", "short-header", "legacy-tcvn3", "legacy-vni"):
        made[name] = base / name / made[f"{name}-src"].name.removeprefix("src-")
        made[name].parent.mkdir()
        jobs.append((made[f"{name}-src"], made[name], VI))
    # 8. A return saved as .xls, with a mistake, for the feedback copy.
    add("xls", "PB-TTRA", 2, "xls/Thanh tra.xls", figures((10, 12)) | {"C15": "24/7/2024"})
    libreoffice.fill_many(jobs)
    shutil.copyfile(made["wrong"], made["wrong"].with_name("Van phong - Copy.xlsx"))
    for name in made:
        if name.startswith("date-"):
            os.utime(made[name], (ZALO_TODAY, ZALO_TODAY))
    return made


def ingest(folder: Path, workspace: Workspace, campaign, registry, rnd: int | None = 2, **options):
    return ingest_folder(folder, workspace, campaign, registry, rnd, **options)


def current(workspace: Workspace, rnd: int) -> dict[str, dict[str, dict[str, int]]]:
    """The figures in use for the round, by unit and row."""
    with Store(workspace.store_path, readonly=True) as store:
        return {a.unit: {r.unit: r.counts for r in a.rows} for a in store.accepted(rnd)}


def codes(report) -> dict[str, list[str]]:
    return {Path(f.path).name: [x.code for x in f.findings] for f in report.files}


# --- 1. which report counts ------------------------------------------------------------------

def test_the_latest_report_date_counts_whatever_the_file_names(returns, tmp_path, campaign, registry):
    workspace = Workspace(tmp_path / "ws")
    report = ingest(returns["older"].parent, workspace, campaign, registry)
    assert [Path(f.path).name for f in report.files] == ["bao cao Tay Dang (1).xlsx", "bao cao Tay Dang.xlsx"]
    assert codes(report)["bao cao Tay Dang.xlsx"] == ["staff-target-missed", "report-not-latest"]
    assert codes(report)["bao cao Tay Dang (1).xlsx"] == []
    assert current(workspace, 2)["XA-09619"]["XA-09619"]["residents_installed"] == 6200
    with Store(workspace.store_path, readonly=True) as store:
        statuses = {Path(s["source_path"]).name: s["status"] for s in store.submissions(2)}
    assert statuses == {"bao cao Tay Dang (1).xlsx": "accepted", "bao cao Tay Dang.xlsx": "superseded"}


def test_the_choice_is_the_same_in_any_order_and_across_runs(returns, tmp_path, campaign, registry):
    for order in (("older", "newer"), ("newer", "older")):
        workspace = Workspace(tmp_path / "-".join(order))
        for name in order:
            inbox = tmp_path / f"inbox-{'-'.join(order)}-{name}"
            inbox.mkdir()
            shutil.copy2(returns[name], inbox)
            ingest(inbox, workspace, campaign, registry)
        assert current(workspace, 2)["XA-09619"]["XA-09619"]["residents_installed"] == 6200, order


def test_two_reports_of_one_day_that_disagree_are_a_warning_naming_both(returns, tmp_path, campaign, registry):
    workspace = Workspace(tmp_path / "ws")
    report = ingest(returns["same-a"].parent, workspace, campaign, registry)
    (warning,) = [x for f in report.files for x in f.findings if x.code == "report-order-unclear"]
    used = current(workspace, 2)["XA-09625"]["XA-09625"]["residents_installed"]
    used_name = "Phu Cuong chieu.xlsx" if used == 3100 else "Phu Cuong sang.xlsx"
    assert "Phu Cuong sang.xlsx" in warning.message and "Phu Cuong chieu.xlsx" in warning.message
    assert f'đang dùng số liệu của "{used_name}"' in warning.message
    office = Office(workspace, campaign, registry)
    view = office.round_view(campaign.round(2))
    assert [f.code for _, _, f in view.warnings if f.unit == "XA-09625"] == ["report-order-unclear"]
    book = office.write_consolidation(view, tmp_path / "th.xlsx", "xlsx", force=False)
    summary = pd.read_excel(book, sheet_name=SUMMARY_SHEET, header=None, engine="calamine")
    note = summary[summary[1] == "Xã Phú Cường"][11].iloc[0]
    assert "không rõ báo cáo nào mới hơn" in note


# --- 2. identity conflicts --------------------------------------------------------------------

def test_a_borrowed_form_replaces_nobody(returns, tmp_path, campaign, registry):
    workspace = Workspace(tmp_path / "ws")
    ingest(returns["ba-trai"].parent, workspace, campaign, registry)
    before = current(workspace, 2)
    report = ingest(returns["borrowed"].parent, workspace, campaign, registry)
    (file,) = report.files
    assert file.verdict.value == "rejected" and "unit-conflict" in codes(report)["Tan Linh.xlsx"]
    conflict = next(x for x in file.findings if x.code == "unit-conflict")
    assert "Xã Ba Trại (XA-09697)" in conflict.message and "Xã Tản Lĩnh (XA-09694)" in conflict.message
    assert current(workspace, 2) == before


def test_an_old_round_form_saved_again_in_a_later_round_is_not_taken_for_the_old_round(
    returns, tmp_path, campaign, registry
):
    workspace = Workspace(tmp_path / "ws")
    ingest(returns["r1"].parent, workspace, campaign, registry, None)
    before = current(workspace, 1)
    assert before["PB-NV"]["PB-NV"]["staff_installed"] == 15
    report = ingest(returns["r1-again"].parent, workspace, campaign, registry, None)
    assert report.files[0].verdict.value == "rejected"
    (conflict,) = [x for x in report.files[0].findings if x.code == "round-date-conflict"]
    assert conflict.cell == "C15" and "lần 3" in conflict.message and "--round 1" in conflict.message
    assert current(workspace, 1) == before
    # The officer says it is round 1 after all: the file is examined again and taken, as a late report.
    confirmed = ingest(returns["r1-again"].parent, workspace, campaign, registry, 1)
    assert confirmed.files[0].verdict.value == "accepted-with-warnings"
    assert "late-report" in codes(confirmed)["Noi vu moi.xlsx"]
    assert current(workspace, 1)["PB-NV"]["PB-NV"]["staff_installed"] == 20


def test_a_title_that_names_another_round_than_the_form_is_an_error(returns, tmp_path, campaign, registry):
    report = ingest(returns["r1-title"].parent, Workspace(tmp_path / "ws"), campaign, registry, None)
    assert report.files[0].verdict.value == "rejected"
    (conflict,) = [x for x in report.files[0].findings if x.code == "round-conflict"]
    assert "lần 3" in conflict.message and "lần 1" in conflict.message


# --- 3. report dates -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("name", "code", "shown"),
    [("blank", "report-date-missing", ""), ("number", "report-date-invalid", ""),
     ("en-us", "report-date-invalid", "7/24/2024"), ("no-such-day", "report-date-invalid", "31/02/2024")],
)
def test_a_date_that_cannot_be_used_is_said_and_the_file_date_says_where_it_came_from(
    returns, tmp_path, campaign, registry, name, code, shown
):
    workspace = Workspace(tmp_path / "ws")
    (file,) = _one(returns[f"date-{name}"], tmp_path, workspace, campaign, registry).files
    found = {x.code: x for x in file.findings}
    assert found[code].cell == "C15" and shown in found[code].value
    assert found[code].message.endswith("ví dụ 26/7/2024.")  # round 2's due date: a date the form takes
    late = found["late-report"]
    assert late.value == "1/12/2026" and "theo ngày sửa đổi của tệp" in late.message
    assert file.date_source == "file" and file.effective_date == date(2026, 12, 1)
    office = Office(workspace, campaign, registry)
    view = office.round_view(campaign.round(2))
    book = office.write_consolidation(view, tmp_path / "th.xlsx", "xlsx", force=False)
    summary = pd.read_excel(book, sheet_name=SUMMARY_SHEET, header=None, engine="calamine")
    notes = [n for n in summary[11].tolist() if isinstance(n, str) and "1/12/2026" in n]
    assert notes == ["Báo cáo muộn (nhận 1/12/2026, theo ngày của tệp vì không có ngày báo cáo hợp lệ)"]


def _one(path: Path, tmp_path: Path, workspace: Workspace, campaign, registry, **options):
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    shutil.copy2(path, inbox)
    return ingest(inbox, workspace, campaign, registry, **options)


@pytest.mark.parametrize("name", ["short-year", "words", "en-us-real"])
def test_dates_typed_the_vietnamese_way_or_as_real_dates_are_read(returns, tmp_path, campaign, registry, name):
    (file,) = _one(returns[f"date-{name}"], tmp_path, Workspace(tmp_path / "ws"), campaign, registry).files
    assert file.verdict.value == "accepted" and file.findings == []
    assert (file.report_date, file.date_source) == (date(2024, 7, 24), "typed")


def test_the_officer_states_when_a_batch_arrived(returns, tmp_path, campaign, registry):
    workspace = Workspace(tmp_path / "ws")
    (file,) = _one(returns["date-blank"], tmp_path, workspace, campaign, registry, received=date(2024, 7, 25)).files
    assert [x.code for x in file.findings] == ["report-date-missing"]
    assert (file.effective_date, file.date_source) == (date(2024, 7, 25), "stated")
    office = Office(workspace, campaign, registry)
    view = office.round_view(campaign.round(2))
    assert view.status.set_index("code").loc["PB-KT", "status"] == "on-time"


def test_the_form_date_cell_is_a_date_cell_with_a_vietnamese_prompt(blank_form, tmp_path):
    ws = openpyxl.load_workbook(blank_form(tmp_path / "f.xlsx", "PB-KT", 2))[form.SHEET_NAME]
    assert ws["C15"].number_format == "dd/mm/yyyy"
    (dv,) = [dv for dv in ws.data_validations.dataValidation if "C15" in str(dv.sqref)]
    assert dv.type == "date" and dv.errorStyle in (None, "stop") and "ngày/tháng/năm" in dv.prompt  # stop: the default


# --- 4. columns by their labels --------------------------------------------------------------------

def test_a_hand_made_form_is_read_by_its_column_labels_in_any_order(returns, tmp_path, campaign, registry):
    workspace = Workspace(tmp_path / "ws")
    (file,) = ingest(returns["reordered"].parent, workspace, campaign, registry).files
    assert file.verdict.value == "accepted" and file.unit == "XA-09706"
    assert current(workspace, 2)["XA-09706"]["XA-09706"] == {
        "staff_total": 30, "staff_installed": 30, "residents": 15000, "smartphones": 11000,
        "residents_installed": 9000}


def test_a_short_name_header_and_an_extra_column_name_the_right_cell(returns, tmp_path, campaign, registry):
    (file,) = ingest(returns["short-header"].parent, Workspace(tmp_path / "ws"), campaign, registry).files
    assert file.unit == "XA-09628"
    (error,) = [x for x in file.findings if x.severity.value == "error"]
    # Installed (7.500) is more than smartphone owners (7.000): in column H, not G, since "Tỷ lệ" was added.
    assert (error.code, error.cell) == ("installed-gt-smartphones", "H4")


def test_a_missing_or_doubled_column_is_an_error_naming_the_header_row(libreoffice, tmp_path, campaign, registry):
    missing = hand_made(tmp_path / "src-missing.xlsx", ["STT", "Tên đơn vị", "Tổng số CBCCVC"], [1, "Phòng Nội vụ", 20])
    doubled = hand_made(tmp_path / "src-doubled.xlsx",
                        ["STT", "Tên đơn vị", "Tổng số CBCCVC", "CBCCVC đã cài", "Số CBCCVC đã cài đặt"],
                        [1, "Phòng Nội vụ", 20, 18, 19])
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for source in (missing, doubled):
        libreoffice.fill(source, inbox / source.name.removeprefix("src-"), *VI)
    report = ingest(inbox, Workspace(tmp_path / "ws"), campaign, registry)
    found = {Path(f.path).name: {x.code: x for x in f.findings} for f in report.files}
    gap = found["missing.xlsx"]["column-missing"]
    assert gap.cell == "B3" and "dòng 3" in gap.message and "cột 4 - Số CBCCVC đã cài đặt iHanoi" in gap.message
    twice = found["doubled.xlsx"]["column-duplicate"]
    assert "cột D, E" in twice.message and report.rejected == 2


# --- 5. a rejected file sent again --------------------------------------------------------------

def test_a_rejected_file_sent_again_under_another_name_is_rejected_again(returns, tmp_path, run_cli, workspace):
    folder = returns["wrong"].parent
    code, out, _ = run_cli("ingest", str(folder), "--round", "2", "--json")
    files = {Path(f["path"]).name: f for f in json.loads(out)["files"]}
    assert code == ExitCode.INPUT_ERRORS
    assert files["Van phong - Copy.xlsx"]["verdict"] == "rejected" and files["Van phong.xlsx"]["verdict"] == "rejected"
    assert files["Van phong - Copy.xlsx"]["errors"] == 1
    code, out, _ = run_cli("ingest", str(folder), "--round", "2")
    assert code == ExitCode.INPUT_ERRORS and "staff-installed-gt-total" in out
    code, out, _ = run_cli("status", "--round", "2", "--json")
    status = {u["code"]: u["status"] for u in json.loads(out)["units"]}
    assert status["PB-VP"] == "rejected"


# --- 6. the Education Office's table of schools ------------------------------------------------------

def test_a_blank_row_among_the_schools_is_skipped(returns, tmp_path, campaign, registry):
    workspace = Workspace(tmp_path / "ws")
    (file,) = ingest(returns["gddt-blank-row"].parent, workspace, campaign, registry).files
    assert file.verdict.value == "accepted", [x.code for x in file.findings]
    assert len(current(workspace, 2)["PB-GDDT"]) == 101


def test_a_school_the_registry_does_not_know_is_a_warning_and_the_others_count(returns, tmp_path, campaign, registry):
    workspace = Workspace(tmp_path / "ws")
    (file,) = ingest(returns["gddt-unknown"].parent, workspace, campaign, registry).files
    assert file.verdict.value == "accepted-with-warnings"
    (unknown,) = [x for x in file.findings if x.code == "row-unknown"]
    assert unknown.severity.value == "warning" and "Trường Mầm non Hoa Sen" in unknown.message
    assert "units.csv" in unknown.message and unknown.cell.startswith("B")
    rows = current(workspace, 2)["PB-GDDT"]
    assert len(rows) == 101 and sum(r["staff_total"] for r in rows.values()) == 101 * 20


# --- 7. our faults are ours -------------------------------------------------------------------------------

def test_a_bug_of_ours_is_an_internal_error_not_the_clerks_damaged_file(
    returns, tmp_path, run_cli, workspace, monkeypatch
):
    import ihanoi_report.checks.form
    from ihanoi_report.sandbox import default_start_method

    if default_start_method() != "fork":
        pytest.skip("the broken rule reaches the workers only when they are forked")

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a rule of ours divided by zero")

    monkeypatch.setattr(ihanoi_report.checks.form, "check_consistency", broken)  # the workers are forked: they have it
    code, out, err = run_cli("ingest", str(returns["ba-trai"].parent), "--round", "2")
    assert code == ExitCode.INTERNAL
    assert "Lỗi của công cụ" in out and "Tệp bị hỏng" not in out
    log = workspace.root / "ihanoi-report-loi.log"
    assert str(log) in err and "ZeroDivisionError: a rule of ours divided by zero" in log.read_text(encoding="utf-8")
    assert "Traceback" in log.read_text(encoding="utf-8") and "Traceback" not in out + err
    with sqlite3.connect(workspace.store_path) as db:  # nothing recorded against the unit
        assert db.execute("SELECT count(*) FROM submissions").fetchone() == (0,)
    monkeypatch.undo()
    code, out, err = run_cli("ingest", str(returns["ba-trai"].parent), "--round", "2")
    assert code == ExitCode.OK  # fixed, the file is taken as if it were new


# --- 8. feedback --------------------------------------------------------------------------------------

def test_feedback_never_opens_a_file_the_reader_refused(tmp_path, run_cli, workspace):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    # A zip bomb: a valid .xlsx whose sheet unpacks to 60 MB, which the reader refuses before reading.
    row = b'<row r="1"><c r="A1"><v>1</v></c></row>'
    with zipfile.ZipFile(inbox / "bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        rows = row * (60 * 2**20 // len(row))
        bomb.writestr("xl/worksheets/sheet1.xml", b"<worksheet><sheetData>" + rows + b"</sheetData></worksheet>")
    import time

    start = time.monotonic()
    code, _, _ = run_cli("ingest", str(inbox), "--round", "2", "--feedback", str(tmp_path / "fb"))
    assert code == ExitCode.INPUT_ERRORS and time.monotonic() - start < 20
    (copy,) = (tmp_path / "fb").iterdir()
    book = openpyxl.load_workbook(copy)
    assert book.sheetnames == ["Cần sửa", "_ihanoi"] and book["_ihanoi"].sheet_state == "veryHidden"  # its mark
    assert "không đọc được như biểu mẫu" in book["Cần sửa"]["A2"].value


def test_an_xls_return_gets_feedback_that_does_not_claim_marked_cells(returns, tmp_path, run_cli, workspace):
    code, _, _ = run_cli("ingest", str(returns["xls"].parent), "--round", "2", "--feedback", str(tmp_path / "fb"))
    assert code == ExitCode.INPUT_ERRORS
    (copy,) = (tmp_path / "fb").iterdir()
    sheet = openpyxl.load_workbook(copy)["Cần sửa"]
    assert "không đánh dấu trực tiếp được" in sheet["A2"].value and "tô màu" not in sheet["A2"].value
    assert "D13" in [c.value for c in sheet["B"]]


# --- 9. read commands only read -----------------------------------------------------------------------

def test_status_and_consolidate_without_a_store_say_so_and_create_none(run_cli, workspace):
    code, _, err = run_cli("consolidate", "--round", "3")
    assert code == ExitCode.INPUT_ERRORS and "Chưa có kho dữ liệu" in err and "ingest" in err
    code, _, err = run_cli("status", "--round", "3")
    assert code == ExitCode.INPUT_ERRORS and "Chưa có kho dữ liệu" in err
    assert list(workspace.root.iterdir()) == []


def test_consolidating_a_round_with_no_report_writes_nothing(returns, tmp_path, run_cli, workspace):
    run_cli("ingest", str(returns["ba-trai"].parent), "--round", "2")
    code, _, err = run_cli("consolidate", "--round", "3", "--out", str(tmp_path / "th.xlsx"))
    assert code == ExitCode.INPUT_ERRORS and "lần 3" in err and not (tmp_path / "th.xlsx").exists()
    code, _, err = run_cli("status", "--round", "3")
    assert code == ExitCode.INPUT_ERRORS and "Chưa nhận được báo cáo hợp lệ nào của lần 3" in err


def test_read_commands_change_nothing_in_the_store(returns, tmp_path, run_cli, workspace):
    run_cli("ingest", str(returns["ba-trai"].parent), "--round", "2")
    before = {p.name: p.read_bytes() for p in workspace.root.iterdir()}
    assert run_cli("consolidate", "--round", "2", "--out", str(tmp_path / "th.xlsx"))[0] == ExitCode.OK
    assert run_cli("status", "--round", "2")[0] == ExitCode.OK
    assert {p.name: p.read_bytes() for p in workspace.root.iterdir()} == before


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root to drop to nobody")
def test_a_read_only_store_serves_status_and_consolidate(shared, returns, tmp_path, campaign, registry):
    import subprocess
    import sys

    shared = Path(f"/tmp/ihanoi-ro-{os.getpid()}")
    shutil.rmtree(shared, ignore_errors=True)
    ingest(returns["ba-trai"].parent, Workspace(shared / "ws"), campaign, registry)
    out = shared / "out"
    out.mkdir()
    for path in (shared, shared / "ws"):
        path.chmod(0o755)
    (shared / "ws" / "ihanoi.sqlite").chmod(0o444)
    out.chmod(0o777)
    env = {**os.environ, "IHANOI_WORKSPACE": str(shared / "ws"), "HOME": str(out)}
    base = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m", "ihanoi_report"]
    if subprocess.run([*base, "--version"], env=env, capture_output=True, timeout=60).returncode != 0:
        shutil.rmtree(shared, ignore_errors=True)
        pytest.skip("the unprivileged user cannot run this checkout's python")
    try:
        done = subprocess.run([*base, "consolidate", "--round", "2", "--out", str(out / "th.xlsx")], env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        done = subprocess.run([*base, "status", "--round", "2", "--json"], env=env, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == ExitCode.OK and json.loads(done.stdout)["units"], done.stderr
        assert sorted(p.name for p in (shared / "ws").iterdir()) == ["ihanoi.sqlite"]
    finally:
        shutil.rmtree(shared, ignore_errors=True)


# --- lineage ------------------------------------------------------------------------------------------

def test_every_counted_figure_traces_to_its_file(returns, tmp_path, campaign, registry):
    import hashlib

    workspace = Workspace(tmp_path / "ws")
    ingest(returns["older"].parent, workspace, campaign, registry)
    office = Office(workspace, campaign, registry)
    view = office.round_view(campaign.round(2))
    book = office.write_consolidation(view, tmp_path / "th.xlsx", "xlsx", force=False)
    sources = pd.read_excel(book, sheet_name=SOURCES_SHEET, header=2, engine="calamine")
    (row,) = sources[sources["Mã đơn vị"] == "XA-09619"].to_dict("records")
    digest = hashlib.sha256(returns["newer"].read_bytes()).hexdigest()
    assert row["Tệp đang dùng"] == "bao cao Tay Dang (1).xlsx" and row["SHA-256 (12 ký tự đầu)"] == digest[:12]
    assert row["Ngày báo cáo"] == "24/7/2024" and row["Nguồn của ngày"] == "ghi trên biểu mẫu"
    assert row["Nhận diện theo"] == "dữ liệu ẩn của biểu mẫu" and row["Tệp đã bị thay thế"] == "bao cao Tay Dang.xlsx"


# --- legacy encodings ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "unit", "encoding"), [("legacy-tcvn3", "XA-09694", "TCVN3"),
                                                         ("legacy-vni", "XA-09661", "VNI")])
def test_a_form_typed_in_a_legacy_font_is_read(returns, tmp_path, campaign, registry, name, unit, encoding):
    workspace = Workspace(tmp_path / "ws")
    (file,) = ingest(returns[name].parent, workspace, campaign, registry).files
    assert file.unit == unit and file.verdict.value == "accepted"
    assert [(x.code, x.value) for x in file.findings] == [("legacy-encoding", encoding)]
    assert current(workspace, 2)[unit][unit]["staff_total"] in (33, 21)


def test_status_asks_the_officer_to_confirm_reports_that_disagree(returns, run_cli, workspace):
    run_cli("ingest", str(returns["same-a"].parent), "--round", "2")
    code, out, _ = run_cli("status", "--round", "2", "--json")
    (finding,) = json.loads(out)["to_confirm"]
    assert code == ExitCode.OK and finding["code"] == "report-order-unclear" and finding["unit"] == "XA-09625"
    assert finding["args"]["reason"] == "same-date"  # the details are data, not only prose
    code, out, _ = run_cli("status", "--round", "2")
    assert "Cần hỏi lại đơn vị" in out and "Phu Cuong sang.xlsx" in out


def test_status_says_when_a_date_came_from_the_file(returns, tmp_path, run_cli, workspace):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy2(returns["date-blank"], inbox)
    run_cli("ingest", str(inbox), "--round", "2")
    code, out, _ = run_cli("status", "--round", "2")
    assert code == ExitCode.OK and "1/12/2026 (ngày sửa đổi của tệp)" in out
