"""What a person reads at the end of a run: a few lines whatever the number of files, the things to do
first, each kind of warning once; reminders that paste into Zalo whole."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from ihanoi_report.cli import console
from ihanoi_report.errors import ExitCode
from ihanoi_report.model import Finding, IngestResult, Report, Severity, Verdict


def _sample_inbox(tmp_path: Path, names: list[str]) -> Path:
    from ihanoi_report.config import shipped_dir

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in names:
        shutil.copy(shipped_dir("samples") / "round-3" / name, inbox / name)
    return inbox


def test_five_files_show_the_counts_the_table_the_errors_and_the_warnings_by_kind(run_cli, workspace, tmp_path,
                                                                                 oracle, registry):
    names = [
        "iHanoi-lan-3_XA-09625_xa-phu-cuong.xlsx",  # installed > smartphone owners: sent back
        "iHanoi-lan-3_XA-09640_xa-phong-van.xlsx",  # "5.000 người": sent back
        "iHanoi-lan-3_PB-GDDT_phong-giao-duc-va-dao-tao.xlsx",  # two schools under target: warnings
        "iHanoi-lan-3_XA-09631_xa-tan-hong.xlsx",
        "iHanoi-lan-3_PB-NV_phong-noi-vu.xlsx",
    ]
    inbox = _sample_inbox(tmp_path, names)
    code, out, err = run_cli("ingest", str(inbox), "--round", "3")
    assert code == ExitCode.INPUT_ERRORS and "Traceback" not in err
    lines = out.splitlines()
    plan = oracle.verdicts(3, names)
    plan["accepted"] += plan.pop("already-received", 0)  # received before only when the store had it: it has not
    assert lines[0] == (f"5 tệp: {plan['accepted']} đã nhận, {plan['accepted-with-warnings']} đã nhận có cảnh báo, "
                        f"{plan['rejected']} bị trả lại, 0 đã nhận trước đó, 0 bỏ qua.")
    communes = {u.code for u in registry.units if u.group == "xa"}
    reported = oracle.reporting_units(3, names) & communes
    assert f"  Các xã, thị trấn: {len(reported)}/{len(communes)} ({oracle.share(len(reported), len(communes))})" \
        in lines
    schools = [u for u in registry.units if u.parent == "PB-GDDT"]
    assert f"  Các trường học (Phòng Giáo dục và Đào tạo tổng hợp): {len(schools)}/{len(schools)} (100,0%)" in lines
    assert sum("iHanoi-lan-3_" in line for line in lines) == 5 + 2  # the table, then the two sent back
    rejected = lines.index("Bị trả lại (2 tệp) — báo đơn vị sửa rồi gửi lại:")
    assert "16.230" in lines[rejected + 2] and "(installed-gt-smartphones)" in lines[rejected + 2]
    assert "5.000 người" in lines[rejected + 4]
    (target,) = [line for line in lines if "(staff-target-missed)" in line]
    assert target.startswith("  [Cảnh báo] Chưa đạt 100% CBCCVC: 2 — Trường Mầm non Vân Hòa, Trường THCS Khánh")
    assert len(lines) < 40


def _report(i: int, verdict: Verdict, *codes: str) -> Report:
    unit = f"XA-{i:05d}"
    findings = [Finding(code, Severity.ERROR if verdict is Verdict.REJECTED else Severity.WARNING, unit=unit,
                        cell="D13", round=3, value="22/8/2024",
                        args={"limit": "20/8/2024", "date_source": "typed"}) for code in codes]
    return Report(f"/inbox/iHanoi-lan-3_{unit}.xlsx", verdict, unit, f"Xã Thử Nghiệm {i}", 3, findings=findings)


def test_a_file_sent_back_beside_a_received_one_of_its_unit_says_which_to_look_at(capsys):
    """Two new files of one unit in one run, one sent back: the tool cannot tell which the clerk sent last, so
    the action line names the other; a file sent back at an earlier run and answered since is no action at all."""
    wrong = _report(1, Verdict.REJECTED, "staff-installed-gt-total")
    right = replace(_report(1, Verdict.ACCEPTED), path="/inbox/iHanoi-lan-3_XA-00001_sua.xlsx")
    old = replace(_report(2, Verdict.REJECTED, "staff-installed-gt-total"), earlier="/inbox/a.xlsx",
                  answered_by="/inbox/b.xlsx")
    result = IngestResult([wrong, right, old])
    console.render_ingest(result, Path("/inbox"), [], lambda code: f"Xã {code}")
    lines = capsys.readouterr().out.splitlines()
    title = lines.index("Bị trả lại (1 tệp) — báo đơn vị sửa rồi gửi lại:")
    assert lines[title + 1] == "  iHanoi-lan-3_XA-00001.xlsx — Xã Thử Nghiệm 1 (XA-00001)"
    assert lines[title + 2] == ("    lượt này cũng nhận tệp iHanoi-lan-3_XA-00001_sua.xlsx của đơn vị; nếu đó là bản "
                                "đã sửa thì không cần báo lại")
    assert not any("XA-00002 (XA" in line or "Xã Thử Nghiệm 2 (" in line for line in lines[title:])
    assert result.rejected == 2 and result.to_send_back == 1


def test_a_thousand_files_fit_on_two_screens(capsys):
    files = [_report(i, Verdict.ACCEPTED_WITH_WARNINGS, "late-report", "report-date-missing") for i in range(820)]
    files += [_report(i, Verdict.REJECTED, "staff-installed-gt-total") for i in range(820, 900)]
    files += [_report(i, Verdict.ACCEPTED) for i in range(900, 1000)]
    result = IngestResult(files)
    console.render_ingest(result, Path("/inbox"), [], lambda code: f"Xã {code}")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) <= 80
    assert lines[0].startswith("1.000 tệp: 100 đã nhận, 820 đã nhận có cảnh báo, 80 bị trả lại")
    assert "Bảng từng tệp (1.000 tệp) không in vì dài; thêm --all để in." in lines
    assert sum("(late-report)" in line for line in lines) == 1
    (late,) = [line for line in lines if "(late-report)" in line]
    assert "Báo cáo muộn: 820 — Xã XA-00000, Xã XA-00001, Xã XA-00002 và 817 đơn vị khác" in late
    listed = [line for line in lines if line.startswith("  iHanoi-lan-3_")]
    assert len(listed) == console.LISTED_ACTIONS and listed[0].endswith(": CBCCVC đã cài lớn hơn tổng số")
    assert "  … và 20 tệp khác bị trả lại (danh sách đầy đủ: thêm --report TỆP.xlsx)." in lines


def test_counts_from_a_thousand_on_have_the_readers_thousands_mark_and_years_none():
    from ihanoi_report import messages

    assert messages.t("ingest-summary", files=12000, accepted=11500, warned=0, rejected=500, already=0,
                      skipped=0).startswith("12.000 tệp: 11.500 đã nhận")
    assert messages.vi("book-place-date", place="Ba Vì", year=2024).endswith("2024")
    messages.set_language("en")
    try:
        assert messages.t("ingest-summary", files=12000, accepted=11500, warned=0, rejected=500, already=0,
                          skipped=0).startswith("12,000 files: 11,500 accepted")
        assert "12.000 tệp khác" in messages.vi("more-rejected", count=12000)  # vi(): Vietnamese, whatever the language
    finally:
        messages.set_language("vi")


def test_a_long_run_says_why_files_were_skipped_without_the_table(capsys):
    files = [_report(i, Verdict.SKIPPED) for i in range(70)] + [_report(70, Verdict.ACCEPTED)]
    for f in files[:70]:
        f.reason = "blank-form"
    console.render_ingest(IngestResult(files), Path("/inbox"), [], str)
    lines = capsys.readouterr().out.splitlines()
    assert "Bỏ qua 70 tệp: biểu mẫu trắng, chưa điền gì — đơn vị vẫn là chưa báo cáo." in lines


def test_every_file_and_finding_with_all(capsys):
    files = [_report(i, Verdict.ACCEPTED_WITH_WARNINGS, "late-report") for i in range(70)]
    console.render_ingest(IngestResult(files), Path("/inbox"), [], str, every_file=True)
    out = capsys.readouterr().out
    assert out.count("iHanoi-lan-3_XA-") == 70 * 2  # a table row and a findings heading each
    assert "không in vì dài" not in out


def test_the_terminal_view_draws_with_rich(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    files = [_report(i, Verdict.REJECTED, "staff-installed-gt-total") for i in range(3)]
    console.render_ingest(IngestResult(files), Path("/inbox"), [], str)
    raw = capsys.readouterr().out
    out = re.sub(r"\x1b\[[0-9;]*m", "", raw)
    assert "\x1b[1m" in raw  # styled: bold headings
    assert "Kết quả nhận báo cáo" in out and "┃ Tệp" in out and "Bị trả lại (3 tệp)" in out


@pytest.mark.parametrize("json_output", [False, True])
def test_reminders_are_never_cut_into_lines_in_a_pipe(run_cli, workspace, tmp_path, json_output):
    inbox = _sample_inbox(tmp_path, ["iHanoi-lan-3_XA-09631_xa-tan-hong.xlsx"])
    run_cli("ingest", str(inbox), "--round", "3")
    code, out, _err = run_cli("status", "--round", "3", *(["--json"] if json_output else []))
    assert code == ExitCode.OK
    sentence = ("Phòng Văn hóa và Thông tin đề nghị đơn vị gửi báo cáo tiến độ cài đặt, sử dụng ứng dụng iHanoi "
                "lần 3 (chậm nhất ngày 20/8/2024) theo biểu mẫu iHanoi-lan-3_XA-09670_xa-tong-bat.xlsx.")
    assert "Kính gửi UBND xã Tòng Bạt," in out  # the commune group's addressee
    assert sentence in out  # one line, however wide the terminal is not
    if not json_output:
        assert any(line.startswith("│ Các xã, thị trấn") and "3,2%" in line for line in out.splitlines())
        assert any(line.startswith("│ Các trường học") and "0,0%" in line for line in out.splitlines())


def test_a_long_address_in_a_narrow_table_is_folded_never_cut():
    from rich.console import Console

    from ihanoi_report.cli.console import table

    address = "hoi-lien-hiep-phu-nu-huyen@bavi.hanoi.gov.vn"
    narrow = Console(width=40, record=True, color_system=None)
    narrow.print(table(None, ["Mã", "Liên hệ"], [["DT-PHUNU", address]]))
    cells = "".join(line.split("│")[2].strip() for line in narrow.export_text().splitlines() if line.count("│") == 3)
    assert address in cells and "…" not in narrow.export_text()


def test_status_json_carries_the_group_shares_the_terminal_shows(run_cli, workspace):
    from ihanoi_report.office import demo

    demo(workspace.root)
    _code, terminal, _err = run_cli("status", "--round", "3")
    code, out, _err = run_cli("status", "--round", "3", "--json")
    groups = {g["code"]: g for g in json.loads(out)["groups"]}
    assert code == ExitCode.OK and groups["xa"]["units"] == 31
    communes = groups["xa"]
    line = next(line for line in terminal.splitlines() if "Các xã, thị trấn" in line)
    cells = [c.strip() for c in line.split("│") if c.strip()]
    assert cells[1:] == [str(communes["on_time"]), str(communes["late"]), str(communes["missing"]), "31",
                         f"{communes['reported_share'] * 100:.1f}%".replace(".", ","),
                         f"{communes['on_time_share'] * 100:.1f}%".replace(".", ",")]
    assert groups["truong"]["on_time"] is None and groups["truong"]["reported_share"] == 1.0


@pytest.mark.parametrize("rnd", [1, 3])
def test_ingest_json_written_a_file_at_a_time_is_the_whole_document_to_the_byte(ingested, capsys, rnd):
    _, reports = ingested
    result = reports[rnd]
    console.print_ingest_json(result)
    assert capsys.readouterr().out == json.dumps(result.to_dict(), ensure_ascii=False) + "\n"
    console.print_ingest_json(IngestResult())
    assert json.loads(capsys.readouterr().out) == IngestResult().to_dict()
    stream = console.IngestJson()  # encoded a file at a time as the run settles them: the same bytes
    for report in result.files:
        stream.add(report)
    stream.write(result)
    stream.close()
    assert capsys.readouterr().out == json.dumps(result.to_dict(), ensure_ascii=False) + "\n"
    empty = console.IngestJson()
    empty.write(IngestResult())
    empty.close()
    assert capsys.readouterr().out == json.dumps(IngestResult().to_dict(), ensure_ascii=False) + "\n"


def test_ingest_json_without_room_for_its_temporary_file_is_encoded_at_the_end(ingested, capsys, monkeypatch):
    import tempfile

    result = ingested[1][3]

    def no_room(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", no_room)
    stream = console.IngestJson()
    for report in result.files:
        stream.add(report)
    stream.write(result)
    stream.close()
    assert capsys.readouterr().out == json.dumps(result.to_dict(), ensure_ascii=False) + "\n"


def test_ingest_json_lets_a_files_findings_go_once_written_and_writes_an_answered_one_again(ingested, capsys):
    """With nothing else to write (no --report, no --feedback) a run's memory does not grow with its files: each
    file's findings and figures go once its object is in the spool. A file sent back before keeps them: the end
    of the run may find it answered, and its object is written again. The document is the whole one all the
    same, and so is it when the spool runs out of room half-way."""
    import copy

    original = ingested[1][3]
    for room in (None, 3):  # the temporary file takes every object / only the first three
        result = copy.deepcopy(original)
        again = next(r for r in result.files if r.verdict is Verdict.REJECTED)
        again.earlier = "/inbox/earlier.xlsx"
        stream = console.IngestJson(slim=True)
        for i, report in enumerate(result.files):
            if i == room:
                stream._at_the_end = True  # what an OSError of the spool leaves
            stream.add(report)
        again.answered_by = "/inbox/fixed.xlsx"  # told at the end of the run
        stream.write(result)
        stream.close()
        expected = json.loads(json.dumps(original.to_dict(), ensure_ascii=False))
        kept = next(f for f in expected["files"] if f["path"] == again.path)
        kept["earlier"], kept["answered_by"] = again.earlier, again.answered_by
        assert json.loads(capsys.readouterr().out) == expected
        spooled = result.files[: room or len(result.files)]
        assert again.findings and not any(r.findings or r.rows for r in spooled if r is not again)
        unspooled = result.files[room:] if room else []  # encoded at the end, from what they still hold
        assert [r.findings for r in unspooled] == [r.findings for r in original.files[room:]] if room else True
