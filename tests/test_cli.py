from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ihanoi_report.errors import ExitCode


def _cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ihanoi_report", *args], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, "IHANOI_WIDTH": "200", **(env or {})}, timeout=300)


def test_help_is_vietnamese_and_imports_no_heavy_library(tmp_path):
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "ihanoi_report", "--help"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0
    assert "Tạo biểu mẫu trắng" in result.stdout
    imported = {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines() if "|" in line}
    assert imported.isdisjoint({"pandas", "openpyxl", "xlsxwriter", "matplotlib", "docx", "python_calamine",
                                "starlette", "uvicorn", "jinja2", "python_multipart"})
    assert "typer" in imported  # the check above would be empty if importtime printed nothing
    modules = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert modules.isdisjoint({"typer.rich_utils", "rich.markdown", "markdown_it", "pygments"})  # help_text draws it


@pytest.mark.parametrize("command", ["", "init", "template", "ingest", "consolidate", "status", "summary", "demo"])
def test_help_names_values_in_vietnamese_not_in_typer_type_names(tmp_path, command):
    result = _cli(*([command] if command else []), "--help", cwd=tmp_path)
    assert result.returncode == 0 and "Cách dùng:" in result.stdout
    for english in ("<bool>", "<path>", "<int", "<str>", "<file>", "<dir>", "[OPTIONS]", "COMMAND", "x>="):
        assert english not in result.stdout, (command, english)


def test_help_in_english_on_request(tmp_path):
    result = _cli("--lang", "en", "template", "--help", cwd=tmp_path)
    assert result.returncode == 0 and "Write the blank form" in result.stdout


def test_template_writes_one_form_per_reporting_unit(run_cli, workspace, registry, tmp_path):
    code, out, err = run_cli("template", "--round", "1", "--out", str(tmp_path / "forms"))
    assert code == ExitCode.OK
    files = sorted((tmp_path / "forms").glob("*.xlsx"))
    assert len(files) == len(registry.reporting_units())
    assert f"Đã tạo {len(files)} biểu mẫu lần 1" in out
    assert "cấu hình mặc định" in err
    code, out, err = run_cli("template", "--round", "1", "--out", str(tmp_path / "forms"), "--unit", "XA-09694")
    assert code == 0 and "Giữ nguyên 1 tệp" in err


def test_unknown_unit_round_and_group_are_usage_errors(run_cli, workspace):
    for args, text in ((("--unit", "NOPE"), 'mã "NOPE"'), (("--round", "9"), "lần báo cáo 9"),
                       (("--group", "chua-co"), 'nhóm đơn vị "chua-co"')):
        code, _out, err = run_cli("template", *args)
        assert code == ExitCode.USAGE and text in err and "Traceback" not in err


def test_without_round_after_the_campaign_the_last_round_is_used_and_said(run_cli, workspace, tmp_path):
    code, _out, err = run_cli("template", "--unit", "PB-NV", "--out", str(tmp_path))  # today: after 10/9/2024
    assert code == 0 and "đã qua hạn của lần báo cáo cuối nên dùng lần 4 (hạn 10/9/2024)" in err
    assert (tmp_path / "iHanoi-lan-4_PB-NV_phong-noi-vu.xlsx").exists()


@pytest.mark.parametrize(("day", "number", "how"), [("2024-07-01", 1, "before"), ("2024-07-20", 2, "today"),
                                                    ("2024-08-20", 3, "today"), ("2025-01-01", 4, "after")])
def test_without_round_the_round_of_the_day(workspace, day, number, how):
    from datetime import date

    from ihanoi_report.office import Office

    choice = Office.open(workspace.root).pick_round(None, date.fromisoformat(day))
    assert (choice.round.number, choice.how) == (number, how)


def test_init_copies_the_defaults_and_commands_then_use_them(run_cli, workspace, tmp_path):
    code, _out, err = run_cli("init", str(workspace.root))
    assert code == 0 and (workspace.root / "campaign.toml").exists() and (workspace.root / "units.csv").exists()
    units = workspace.root / "units.csv"
    units.write_text(units.read_text(encoding="utf-8-sig").replace("Phòng Nội vụ", "Phòng Nội vụ huyện"),
                     encoding="utf-8-sig")
    code, _out, err = run_cli("template", "--round", "2", "--unit", "PB-NV", "--out", str(tmp_path / "f"))
    assert code == 0 and "thư mục làm việc" in err
    assert (tmp_path / "f" / "iHanoi-lan-2_PB-NV_phong-noi-vu-huyen.xlsx").exists()
    code, _out, err = run_cli("init", str(workspace.root))
    assert "giữ nguyên" in err


def test_a_broken_config_is_one_line_exit_3_and_no_traceback(tmp_path):
    (tmp_path / "campaign.toml").write_text("[campaign\n", encoding="utf-8")
    result = _cli("template", "--round", "1", cwd=tmp_path)
    assert result.returncode == ExitCode.FAILED
    assert "campaign.toml, dòng 1" in result.stderr and "Traceback" not in result.stderr
    debug = _cli("--debug", "template", "--round", "1", cwd=tmp_path)
    assert "Traceback" in debug.stderr


def test_english_messages_with_lang_en(tmp_path):
    result = _cli("template", "--round", "7", "--lang", "en", cwd=tmp_path)
    assert result.returncode == ExitCode.USAGE and "There is no round 7" in result.stderr


@pytest.mark.slow
def test_a_wheel_installed_elsewhere_finds_its_templates_and_samples(tmp_path):
    repo = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"),
                    str(repo)], check=True, capture_output=True, timeout=600)
    wheel = next((tmp_path / "dist").glob("*.whl"))
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=600)
    code = ("import json, ihanoi_report, ihanoi_report.config as c; "
            "print(json.dumps([ihanoi_report.__file__, str(c.shipped_dir('templates')), "
            "sorted(p.name for p in c.shipped_dir('templates').iterdir()), c.shipped_dir('samples').is_dir()]))")
    empty = tmp_path / "empty"
    empty.mkdir()
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=empty,
                            env={**os.environ, "PYTHONPATH": str(target)}, check=True)
    module, templates, names, has_samples = json.loads(result.stdout)
    assert module.startswith(str(target)) and templates.startswith(str(target))
    assert {"campaign.toml", "units.csv"} <= set(names) and has_samples


def test_ingest_then_consolidate_and_status_in_the_current_workspace(run_cli, workspace, tmp_path):
    from ihanoi_report.config import shipped_dir

    samples = shipped_dir("samples")
    code, out, err = run_cli("ingest", str(samples / "round-3"), "--round", "3", "--report",
                             str(tmp_path / "loi.xlsx"), "--feedback", str(tmp_path / "phan-hoi"))
    assert code == ExitCode.INPUT_ERRORS and "Traceback" not in err
    assert "Bị trả lại" in out and "F13" in out and "5.000 người" in out
    assert (tmp_path / "loi.xlsx").exists() and any((tmp_path / "phan-hoi").glob("*_can-sua.xlsx"))
    first = {f["path"]: f for f in json.loads(run_cli("ingest", str(samples / "round-3"), "--json")[1])["files"]}
    code, out, err = run_cli("ingest", str(samples / "round-3"), "--round", "3", "--json")
    data = json.loads(out)
    # Run again: what was taken is "already received"; what was sent back is sent back again, with its errors.
    assert code == ExitCode.INPUT_ERRORS
    assert {f["verdict"] for f in data["files"]} == {"already-received", "skipped", "rejected"}
    for again in data["files"]:
        if again["verdict"] == "rejected":
            assert again["errors"] and [x["code"] for x in again["findings"]] == [
                x["code"] for x in first[again["path"]]["findings"]]
    out_file = tmp_path / "th.xlsx"
    code, out, err = run_cli("consolidate", "--round", "3", "--out", str(out_file))
    assert code == 0 and out_file.exists() and "Toàn huyện" in out
    code, out, err = run_cli("consolidate", "--round", "3", "--out", str(out_file))
    assert code == ExitCode.FAILED and "--force" in err
    code, out, err = run_cli("status", "--round", "3", "--json")
    status = json.loads(out)
    missing = {u["code"] for u in status["units"] if u["status"] in ("missing", "rejected")}
    assert missing == {r["code"] for r in status["reminders"]} and "XA-09670" in missing
    # The originals of the reports in use come back byte for byte, one per reporting unit.
    code, out, err = run_cli("status", "--round", "3", "--originals", str(tmp_path / "goc"))
    copies = sorted((tmp_path / "goc").iterdir())
    in_use = [u for u in status["units"] if u["status"] not in ("missing", "rejected")]
    assert code == 0 and len(copies) == len(in_use) and f"{len(copies)} bản gốc" in out
    assert all(p.name.isascii() and p.name.split("_")[0] in {u["code"] for u in in_use} for p in copies)
    sent = {p.read_bytes() for p in (samples / "round-3").iterdir() if p.is_file()}
    assert all(p.read_bytes() in sent for p in copies)
    code, out, err = run_cli("status", "--round", "3", "--originals", str(tmp_path / "goc"))
    assert code == ExitCode.FAILED and "--force" in err


def test_the_district_totals_are_never_cut_at_the_terminals_edge(run_cli, workspace, tmp_path, monkeypatch):
    """A terminal too narrow for every share's columns gets a table per share: rich would crop the last columns,
    and a figure with them ("242.674/3" for 242.674/339.100)."""
    from ihanoi_report.config import shipped_dir
    from ihanoi_report.model import count_text
    from ihanoi_report.office import Office

    run_cli("ingest", str(shipped_dir("samples") / "round-3"), "--round", "3")
    office = Office.open(workspace.root)
    result = office.round_view(office.campaign.round(3)).result
    shown = [share for share in result.spec.shares if share.shown]
    pairs = [f"{count_text(int(result.district[s.part]))}/{count_text(int(result.district[s.whole]))}" for s in shown]
    assert len(shown) == 2 and all(len(pair) > 10 for pair in pairs)
    for width, tables in (("200", 1), ("70", 2)):
        monkeypatch.setenv("IHANOI_WIDTH", width)
        code, out, err = run_cli("consolidate", "--round", "3", "--out", str(tmp_path / f"th-{width}.xlsx"))
        assert code == ExitCode.OK, err
        totals = out.split("đơn vị xa chỉ tiêu nhất")[0].splitlines()  # the totals, before the furthest units
        assert max(len(line) for line in totals) <= int(width)
        assert out.count(" Nhóm ") == tables and out.count("Tổng hợp lần 3") == 1
        total = next(line for line in totals[::-1] if line.lstrip().startswith("Toàn huyện"))
        assert all(pair in out for pair in pairs) and pairs[-1] in total


def test_ingest_json_is_encoded_as_files_settle_and_a_run_that_fails_prints_none(run_cli, workspace, monkeypatch):
    from ihanoi_report.config import shipped_dir
    from ihanoi_report.errors import StoreError
    from ihanoi_report.office import Office
    from ihanoi_report.store import Store

    samples = shipped_dir("samples") / "round-3"
    settled: list[object] = []
    office = Office.open(workspace.root)
    result = office.ingest(samples, 3, on_file=settled.append)  # each report once, in the result's order
    assert len(settled) == len(result.files) and all(a is b for a, b in zip(settled, result.files, strict=True))

    fresh = workspace.root / "lan-sau"
    fresh.mkdir()
    recorded = Store.record

    def fails_on_the_tenth(self: Store, report: object, **kwargs: object) -> object:
        if len(self._digests or ()) >= 9:
            raise StoreError("ổ đĩa đầy", "giải phóng chỗ trống rồi chạy lại")
        return recorded(self, report, **kwargs)

    monkeypatch.setattr(Store, "record", fails_on_the_tenth)
    code, out, err = run_cli("ingest", str(samples), "--round", "3", "--json", "--workspace", str(fresh))
    assert code == ExitCode.FAILED and "ổ đĩa đầy" in err and out == ""  # never half a document


def test_ingest_of_a_missing_folder_is_a_usage_error(run_cli, workspace, tmp_path):
    code, _out, err = run_cli("ingest", str(tmp_path / "khong-co"))
    assert code == ExitCode.USAGE and "Không có thư mục" in err


def test_ingest_of_an_empty_folder_says_so_and_makes_no_store(run_cli, workspace, tmp_path):
    (tmp_path / "trong").mkdir()
    code, out, err = run_cli("ingest", str(tmp_path / "trong"), "--round", "3")
    assert code == ExitCode.OK and "không có tệp nào" in out + err
    assert not workspace.store_path.exists()
    code, out, err = run_cli("ingest", str(tmp_path / "trong"), "--json")
    assert code == ExitCode.OK and json.loads(out)["files"] == [] and not workspace.store_path.exists()


def test_demo_runs_the_whole_cycle_from_an_empty_folder(tmp_path, oracle):
    result = _cli("demo", str(tmp_path / "demo"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "demo" / "Tong-hop-iHanoi-lan-3.xlsx").exists()
    assert f"Lần 3: {len(oracle.files(3))} tệp" in result.stdout and "Toàn huyện" in result.stdout


def test_a_store_that_is_not_a_database_is_one_clear_error(tmp_path):
    (tmp_path / "ihanoi.sqlite").write_bytes(b"this is not a database" * 100)
    (tmp_path / "in").mkdir()
    result = _cli("ingest", str(tmp_path / "in"), cwd=tmp_path)
    assert result.returncode == ExitCode.FAILED and "Traceback" not in result.stderr
    assert "Không mở được kho dữ liệu" in result.stderr and "--workspace" in result.stderr


def test_the_demo_never_writes_into_a_folder_that_holds_something_else(tmp_path, oracle):
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "ihanoi.sqlite").write_bytes(b"real data")
    result = _cli("demo", str(tmp_path / "ws"), cwd=tmp_path)
    assert result.returncode == ExitCode.USAGE and "đã có dữ liệu" in result.stderr
    assert (tmp_path / "ws" / "ihanoi.sqlite").read_bytes() == b"real data"
    assert _cli("demo", str(tmp_path / "d"), cwd=tmp_path).returncode == 0
    again = _cli("demo", str(tmp_path / "d"), cwd=tmp_path)  # an old demo is replaced, not doubled
    plan = oracle.verdicts(3)
    assert again.returncode == 0
    line = (f"Lần 3: {len(oracle.files(3))} tệp: {plan['accepted']} đã nhận, {plan['accepted-with-warnings']} đã "
            f"nhận có cảnh báo, {plan['rejected']} bị trả lại, {plan['already-received']} đã nhận trước đó, "
            f"{plan['skipped']} bỏ qua.")
    assert line in again.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [(("templat",), "Không có lệnh 'templat'. Có phải ý bạn là 'template'?"),
     (("ingest",), "Thiếu tham số"),
     (("template", "--round", "x"), "'x' không phải số nguyên."),
     (("template", "--unit"), "cần một giá trị")],
)
def test_typos_on_the_command_line_are_answered_in_vietnamese(tmp_path, args, expected):
    result = _cli(*args, cwd=tmp_path)
    assert result.returncode == ExitCode.USAGE
    assert expected in result.stderr and "Traceback" not in result.stderr


def test_names_with_square_brackets_are_shown_as_they_are(run_cli, workspace, tmp_path):
    from ihanoi_report.config import shipped_dir

    inbox = tmp_path / "Báo cáo [lần 3]"
    inbox.mkdir()
    sample = next(p for p in sorted((shipped_dir("samples") / "round-3").glob("*.xlsx")))
    shutil.copy(sample, inbox / "BC [xa Tan Linh].xlsx")  # rich would read "[xa Tan Linh]" as a style
    (inbox / "ghi chú [b].txt").write_text("x", encoding="utf-8")
    code, out, err = run_cli("ingest", str(inbox), "--round", "3", "--report", str(inbox / "lỗi [1].xlsx"))
    assert code in (ExitCode.OK, ExitCode.INPUT_ERRORS) and "Traceback" not in err
    assert "BC [xa Tan Linh].xlsx" in out and "ghi chú [b].txt" in out
    assert str(inbox / "lỗi [1].xlsx") in err.replace("\n", "")


def test_vietnamese_reaches_a_pipe_whose_encoding_cannot_write_it(tmp_path):
    # As on Windows, where a redirected stream gets the ANSI code page: the output is UTF-8 all the same.
    result = _cli("rules", cwd=tmp_path, env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == ExitCode.OK and "Traceback" not in result.stderr
    assert "Các quy tắc kiểm tra" in result.stdout


def test_rules_lists_the_checks_a_workspace_s_campaign_declares(run_cli, tmp_path, monkeypatch):
    from ihanoi_report.office import write_config

    monkeypatch.setenv("IHANOI_WIDTH", "200")  # a code on one line
    commune = tmp_path / "xa"
    write_config(commune, force=False, campaign="binh-dan-hoc-vu-so")
    code, out, err = run_cli("rules", "--workspace", str(commune))
    assert code == ExitCode.OK and "completed-gt-enrolled" in out and "staff-installed-gt-total" not in out
    (tmp_path / "trong").mkdir()
    shipped = run_cli("rules", "--workspace", str(tmp_path / "trong"))[1]  # no campaign.toml there: iHaNoi's
    assert "completed-gt-enrolled" not in shipped and "staff-installed-gt-total" in shipped
    assert "value-not-integer" in out and "value-not-integer" in shipped  # what every campaign's form is checked for
    config = commune / "campaign.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[campaign]", "[campaign", 1), encoding="utf-8")
    code, out, err = run_cli("rules", "--workspace", str(commune))  # a mistake is said, never the shipped rules
    assert code == ExitCode.FAILED and "campaign.toml" in err and "staff-installed-gt-total" not in out


def test_a_received_day_that_is_no_date_is_said_so(run_cli, workspace, tmp_path):
    (tmp_path / "in").mkdir()
    code, _out, err = run_cli("ingest", str(tmp_path / "in"), "--received", "31/2/2024")
    assert code == ExitCode.USAGE and "không phải là một ngày (--received)" in err and "đã qua" not in err
    code, _out, err = run_cli("ingest", str(tmp_path / "in"), "--received", "1/1/2099")
    assert code == ExitCode.USAGE and "không phải là một ngày đã qua" in err


def test_every_command_s_help_boxes_each_of_its_options_and_arguments(tmp_path):
    from ihanoi_report.cli.app import app
    from ihanoi_report.messages import t

    for command in app.registered_commands:
        result = _cli(command.name, "--help", cwd=tmp_path)
        assert result.returncode == 0, command.name
        lines = result.stdout.splitlines()
        assert lines[1].startswith(" Cách dùng: ihanoi-report " + command.name)
        assert f"╭─ {t('help-panel-options')} " in result.stdout
        boxed = [line for line in lines if line.startswith("│")]
        assert all(len(line) == len(boxed[0]) and line.endswith("│") for line in boxed), command.name
        import typer.main

        click_command = typer.main.get_command(app).commands[command.name]  # type: ignore[attr-defined]
        for param in click_command.params:
            shown = param.opts[0] if param.param_type_name == "option" else param.metavar
            assert any(shown in line for line in boxed), (command.name, shown)
