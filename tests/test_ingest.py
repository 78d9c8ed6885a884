"""End to end on the shipped samples: the verdicts the generator planted, and nothing else."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from ihanoi_report.config import shipped_dir
from ihanoi_report.errors import ExitCode
from ihanoi_report.ingest import ingest_folder
from ihanoi_report.model import Severity
from ihanoi_report.store import Store

SAMPLES = shipped_dir("samples")
EXPECTED = json.loads((SAMPLES / "EXPECTED.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("rnd", [1, 2, 3, 4])
def test_samples_get_exactly_the_planted_verdicts_and_findings(ingested, oracle, rnd):
    _, reports = ingested
    report = reports[rnd]
    got = {Path(f.path).name: (f.verdict.value, Counter(x.code for x in f.findings)) for f in report.files}
    want = {name: (oracle.verdict(rnd, entry), oracle.codes(rnd, entry)) for name, entry in oracle.files(rnd).items()}
    assert got == want


def test_the_rejections_name_the_cell_and_what_was_found(ingested):
    _, reports = ingested
    rows = reports[3].flatten("file", "cell", "code", "value")
    assert ["iHanoi-lan-3_XA-09640_xa-phong-van.xlsx", "F13", "value-not-integer", "5.000 người"] in rows
    assert ["iHanoi-lan-3_DT-PHUNU_hoi-lien-hiep-phu-nu-huyen.xlsx", "D13", "value-missing", ""] in rows
    sentences = [f.message for r in reports[3].files for f in r.findings if f.code == "value-not-integer"]
    assert sentences == ['Ô F13 (cột 6 - Số người dân có điện thoại thông minh) ghi "5.000 người", không phải số '
                         'nguyên; đề nghị ghi một số nguyên, ví dụ 1234.']


def test_identification_routes_on_the_samples(ingested):
    _, reports = ingested
    by_name = {Path(f.path).name: f for f in reports[3].files}
    assert by_name["bao cao xa Tan Linh (1).xlsx"].unit == "XA-09694"
    assert by_name["bao cao xa Tan Linh (1).xlsx"].identified_by == "metadata"
    assert by_name["Bao cao iHanoi - Van Hoa.xlsx"].unit == "XA-09706"
    assert by_name["Bao cao iHanoi - Van Hoa.xlsx"].identified_by == "visible"
    assert by_name["iHanoi-lan-3_XA-09634_xa-van-thang.xls"].verdict.value == "accepted"


def test_the_store_holds_the_accepted_figures_and_the_resubmission_superseded(ingested):
    workspace, _ = ingested
    with Store(workspace.store_path) as store:
        accepted = {a.unit: a for a in store.accepted(3)}
        history = store.submissions(3)
    want: dict[str, dict] = {}
    for _name, entry in sorted(EXPECTED["files"]["3"].items()):
        if entry.get("verdict") in ("rejected", "skipped", "already-received") or entry.get("superseded"):
            continue
        want[entry["unit"]] = entry["rows"]
    assert set(accepted) == set(want)
    for code, rows in want.items():
        assert {r.unit: r.counts for r in accepted[code].rows} == rows, code
    superseded = [h for h in history if h["status"] == "superseded"]
    assert [Path(h["source_path"]).name for h in superseded] == ["iHanoi-lan-3_PB-YT_phong-y-te.xlsx"]
    assert superseded[0]["superseded_by"] == accepted["PB-YT"].id


def test_every_ingested_file_is_kept_byte_for_byte(ingested):
    workspace, _ = ingested
    with Store(workspace.store_path) as store:
        for path in (SAMPLES / "round-3").iterdir():
            if path.suffix in (".xlsx", ".xls") and not path.name.startswith("~$"):
                data = path.read_bytes()
                assert store.original(hashlib.sha256(data).hexdigest()) == data, path.name
        assert store.original("0" * 64) is None


def test_a_second_run_changes_nothing(ingested, campaign, registry):
    workspace, _ = ingested
    db_before = Store(workspace.store_path).submissions()
    again = ingest_folder(SAMPLES / "round-3", workspace, campaign, registry, 3)
    verdicts = {f.verdict.value for f in again.files}
    assert verdicts == {"already-received", "skipped", "rejected"}  # what was sent back is sent back again
    rejected = {Path(f.path).name for f in again.files if f.verdict.value == "rejected"}
    assert rejected == {name for name, e in EXPECTED["files"]["3"].items() if e.get("verdict") == "rejected"}
    assert all(f.errors for f in again.files if f.verdict.value == "rejected")
    assert Store(workspace.store_path).submissions() == db_before


def test_a_newer_accepted_report_supersedes_and_says_so(filled_form, tmp_path, workspace, campaign, registry):
    inbox = tmp_path / "inbox"
    filled_form(inbox / "a.xlsx", "PB-NV", 2, {"PB-NV": {"staff_total": 30, "staff_installed": 30}},
                report_date="20/7/2024")
    first = ingest_folder(inbox, workspace, campaign, registry, 2)
    assert first.files[0].verdict.value == "accepted"
    shutil.rmtree(inbox)
    filled_form(inbox / "b.xlsx", "PB-NV", 2,
                {"PB-NV": {"staff_total": 31, "staff_installed": 31}})
    second = ingest_folder(inbox, workspace, campaign, registry, 2)
    assert [f.code for f in second.files[0].findings] == ["resubmission"]
    assert second.files[0].findings[0].severity is Severity.INFO
    with Store(workspace.store_path) as store:
        assert [a.rows[0].counts["staff_installed"] for a in store.accepted(2)] == [31]


def test_skipped_files_and_a_file_that_cannot_be_read_do_not_stop_the_run(
    filled_form, tmp_path, workspace, campaign, registry
):
    inbox = tmp_path / "inbox"
    filled_form(inbox / "sub" / "ok.xlsx", "PB-NV", 1)
    (inbox / "~$ok.xlsx").write_bytes(b"lock")
    (inbox / ".hidden.xlsx").write_bytes(b"x")
    (inbox / "notes.docx").write_bytes(b"x")
    (inbox / "broken.xlsx").write_bytes(b"PK\x03\x04broken")
    (inbox / "loop").symlink_to(inbox, target_is_directory=True)
    report = ingest_folder(inbox, workspace, campaign, registry, 1)
    assert report.verdicts() == {"broken.xlsx": "rejected", "loop": "skipped", "notes.docx": "skipped",
                                 "ok.xlsx": "accepted", "~$ok.xlsx": "skipped", ".hidden.xlsx": "skipped"}


def test_feedback_copy_marks_the_cells_and_lists_the_problems(tmp_path, ingested, campaign):
    from ihanoi_report.checks import FOR_THE_OFFICE
    from ihanoi_report.files import feedback_stems
    from ihanoi_report.xlsx.feedback import write_feedback_files
    from ihanoi_report.xlsx.findings import write_findings_workbook

    _, reports = ingested
    workspace, _ = ingested
    report = reports[3]
    out = tmp_path / "feedback"
    with Store(workspace.store_path, readonly=True) as store:
        names = feedback_stems([f.path for f in report.files])
        written = write_feedback_files(report.files, names, out, store.original, force=False,
                                         office=FOR_THE_OFFICE)
    # Sent back: "correct and send again"; received with cells to check: "check"; only late, resubmitted or
    # below a target (nothing the unit can change by editing its form): no copy at all.
    nothing_to_do = {"late-report", "resubmission", "staff-target-missed", "resident-target-missed"}
    want = {(Path(f.path).name, "can-sua" if f.errors else "luu-y") for f in report.files
            if f.errors or {x.code for x in f.findings} - nothing_to_do}
    assert {(Path(f.path).name, p.stem.rsplit("_", 1)[1]) for f, p in zip(
        [f for f in report.files if (Path(f.path).name, "can-sua") in want or (Path(f.path).name, "luu-y") in want],
        written, strict=True)} == want
    check = openpyxl.load_workbook(out / "ihanoi-lan-3-xa-09712-xa-khanh-thuong_luu-y.xlsx")["Cần sửa"]
    assert check["A1"].value.startswith("CÁC ĐIỂM CẦN KIỂM TRA") and "không cần gửi lại" in check["A2"].value
    wb = openpyxl.load_workbook(out / "ihanoi-lan-3-xa-09625-xa-phu-cuong_can-sua.xlsx")
    assert wb["Cần sửa"].page_setup.paperSize == 9  # A4
    assert wb.sheetnames[0] == "Cần sửa"
    assert "G13" in [c.value for c in wb["Cần sửa"]["B"]]
    cell = wb["Báo cáo"]["G13"]
    assert cell.comment is not None and "lớn hơn số người dân có điện thoại thông minh" in cell.comment.text
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    listing = write_findings_workbook(report.files, tmp_path / "loi.xlsx", force=False)
    rows = list(openpyxl.load_workbook(listing).active.iter_rows(values_only=True))
    assert rows[0][0] == "Các lỗi và cảnh báo" and rows[2][:2] == ("STT", "Tệp")  # a title, then the header
    assert len(rows) - 3 == sum(len(f.findings) for f in report.files)
    from ihanoi_report.errors import OutputError

    with pytest.raises(OutputError):
        write_findings_workbook(report.files, listing, force=False)


def test_a_file_the_store_already_holds_is_not_examined_again(filled_form, tmp_path, campaign, registry):
    from dataclasses import replace
    from datetime import date

    from ihanoi_report.ingest import Setup, examine_file
    from ihanoi_report.sandbox import Job

    path = filled_form(tmp_path / "f.xlsx", "XA-09694", 1)
    setup = Setup(registry, campaign, 1, date(2024, 9, 30))
    fresh = examine_file(Job(0, path, None), setup)
    assert fresh.unit == "XA-09694" and fresh.rows and fresh.data == path.read_bytes()
    held = examine_file(Job(0, path, None), replace(setup, settled=frozenset({fresh.sha256})))
    assert (held.sha256, held.size) == (fresh.sha256, fresh.size)
    assert not held.unit and not held.rows and not held.findings and held.data == b""


@pytest.mark.lo_fill
def test_the_blank_form_itself_is_skipped_and_its_unit_is_still_awaited(
    blank_form, libreoffice, tmp_path, workspace, run_cli
):
    """The officer who ingests the folder `template` wrote, or a clerk who sends the blank back (opened and saved
    in LibreOffice, nothing typed): no report, so not "sent back" either; one figure typed is a report to fix."""
    inbox = tmp_path / "inbox"
    blank_form(inbox / "as-written.xlsx", "PB-NV", 1)
    blank_form(tmp_path / "blank" / "saved.xlsx", "PB-TP", 1)
    libreoffice.fill(tmp_path / "blank" / "saved.xlsx", inbox / "saved.xlsx", "--locale", "vi-VN")
    blank_form(tmp_path / "blank" / "typed.xlsx", "PB-KT", 1)
    libreoffice.fill(tmp_path / "blank" / "typed.xlsx", inbox / "typed.xlsx", "--locale", "vi-VN",
                     "--set", "'Báo cáo'!C13=30")
    blank_form(tmp_path / "blank" / "beside.xlsx", "PB-TCKH", 1)  # typed beside the table: never "nothing filled"
    libreoffice.fill(tmp_path / "blank" / "beside.xlsx", inbox / "beside.xlsx", "--locale", "vi-VN",
                     "--unprotect", "Báo cáo", "--set", "'Báo cáo'!J13=45")  # a protected cell, unprotected
    code, out, _ = run_cli("ingest", str(inbox), "--round", "1", "--json")
    files = {Path(f["path"]).name: f for f in json.loads(out)["files"]}
    assert code == ExitCode.INPUT_ERRORS  # the typed one is sent back
    assert [(files[n]["verdict"], files[n]["reason"]) for n in ("as-written.xlsx", "saved.xlsx")] == [
        ("skipped", "blank-form")] * 2
    assert files["typed.xlsx"]["verdict"] == files["beside.xlsx"]["verdict"] == "rejected"
    code, out, _ = run_cli("status", "--round", "1", "--json")
    units = {u["code"]: u["status"] for u in json.loads(out)["units"]}
    assert [units[c] for c in ("PB-NV", "PB-TP", "PB-KT", "PB-TCKH")] == ["missing", "missing", "rejected", "rejected"]
    code, _, err = run_cli("ingest", str(inbox), "--round", "1")
    assert "biểu mẫu trắng, chưa điền gì" in err + _


@pytest.mark.lo_fill
def test_a_file_sent_back_and_answered_since_is_nothing_to_tell_its_unit_again(
    blank_form, libreoffice, tmp_path, workspace, run_cli
):
    """The officer keeps every file in one folder and runs ingest on it again and again. A file sent back at an
    earlier run whose unit has since sent a file that was received stays sent back (its errors stand), but is
    no longer one to tell the unit of: no action line, no copy, exit 0. A unit whose later file was sent back
    (its earlier figures in use) is still to be told."""
    inbox, blank = tmp_path / "inbox", tmp_path / "blank"
    blank_form(blank / "kt.xlsx", "PB-KT", 1)
    blank_form(blank / "tp.xlsx", "PB-TP", 1)
    dated = ("--set", "'Báo cáo'!C15=19/7/2024")
    wrong = ("--locale", "vi-VN", "--set", "'Báo cáo'!C13=30", "--set", "'Báo cáo'!D13=35", *dated)  # 35 of 30
    right = ("--locale", "vi-VN", "--set", "'Báo cáo'!C13=30", "--set", "'Báo cáo'!D13=25", *dated)
    libreoffice.fill(blank / "kt.xlsx", inbox / "kt-lan-dau.xlsx", *wrong)
    libreoffice.fill(blank / "tp.xlsx", inbox / "tp.xlsx", *right)
    code, _, _ = run_cli("ingest", str(inbox), "--round", "1")
    assert code == ExitCode.INPUT_ERRORS
    time.sleep(1.1)  # a later run takes files in at a later moment (the store keeps it to the second)
    libreoffice.fill(blank / "kt.xlsx", inbox / "kt-da-sua.xlsx", *right)
    libreoffice.fill(blank / "tp.xlsx", inbox / "tp-sua-lai.xlsx", *wrong)  # PB-TP's update is wrong
    code, out, _ = run_cli("ingest", str(inbox), "--round", "1", "--feedback", str(tmp_path / "fb"))
    assert code == ExitCode.INPUT_ERRORS  # PB-TP is still to be told
    assert "tp-sua-lai.xlsx — " in out and "kt-lan-dau.xlsx — " not in out  # the action lines
    assert "đơn vị đã gửi kt-da-sua.xlsx sau đó và đã được nhận — không cần báo lại" in out
    assert sorted(p.name for p in (tmp_path / "fb").iterdir()) == ["tp-sua-lai_can-sua.xlsx"]
    code, out, _ = run_cli("ingest", str(inbox), "--round", "1", "--json")
    files = {Path(f["path"]).name: f for f in json.loads(out)["files"]}
    assert files["kt-lan-dau.xlsx"]["verdict"] == "rejected" and files["kt-lan-dau.xlsx"]["errors"] == 1
    assert Path(files["kt-lan-dau.xlsx"]["answered_by"]).name == "kt-da-sua.xlsx"
    assert files["tp-sua-lai.xlsx"]["answered_by"] == ""
    code, _, _ = run_cli("feedback", "--round", "1", "--out", str(tmp_path / "fb2"))
    assert sorted(p.name for p in (tmp_path / "fb2").iterdir()) == ["tp-sua-lai_can-sua.xlsx"]
    (inbox / "tp-sua-lai.xlsx").unlink()
    code, _, _ = run_cli("ingest", str(inbox), "--round", "1")
    assert code == ExitCode.OK  # what is left sent back has been answered
