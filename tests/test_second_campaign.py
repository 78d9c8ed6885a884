"""The second shipped campaign, "Bình dân học vụ số" of a commune (three columns of its own, two checks, one
target): started from `init --campaign`, run through its LibreOffice-written samples, consolidated, reported and
ranked, every figure checked against the sample generator's oracle (samples/binh-dan-hoc-vu-so/EXPECTED.json)."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

from ihanoi_report.config import shipped_dir
from ihanoi_report.errors import ExitCode

NAME = "binh-dan-hoc-vu-so"
SAMPLES = shipped_dir("samples") / NAME
ORACLE = json.loads((SAMPLES / "EXPECTED.json").read_text(encoding="utf-8"))
KEYS = ("people", "enrolled", "completed")


def _started(run_cli, workspace) -> None:
    code, _out, err = run_cli("init", str(workspace.root), "--campaign", NAME)
    assert code == ExitCode.OK, err
    assert (workspace.root / "campaign.toml").read_text(encoding="utf-8").find("Bình dân học vụ số") > 0


def _in_use(rnd: int) -> dict[str, dict[str, int]]:
    """The oracle's figures of each unit that has a file of the round without a planted error, latest round."""
    return {f["unit"]: f["figures"] for f in ORACLE["files"][str(rnd)].values()
            if not any(code.endswith("-gt-enrolled") for code in f["planted"])}


def test_init_lists_the_shipped_campaigns_and_starts_one(run_cli, workspace):
    code, out, _ = run_cli("init", "--list")
    assert code == ExitCode.OK and NAME in out and "ihanoi-2024" in out
    _started(run_cli, workspace)
    code, _, err = run_cli("init", str(workspace.root), "--campaign", "khong-co")
    assert code == ExitCode.USAGE and "khong-co" in err and NAME in err


def test_the_second_campaign_runs_its_whole_cycle_on_libreoffice_written_returns(run_cli, workspace, tmp_path):
    _started(run_cli, workspace)
    for rnd in (1, 2, 3):
        code, out, err = run_cli("ingest", str(SAMPLES / f"round-{rnd}"), "--round", str(rnd), "--json")
        files = {Path(f["path"]).name: f for f in json.loads(out)["files"]}
        assert set(files) == set(ORACLE["files"][str(rnd)])
        for name, planned in ORACLE["files"][str(rnd)].items():
            found = files[name]
            codes = {f["code"] for f in found["findings"]}
            assert set(planned["planted"]) <= codes, name
            rejected = any(c.endswith("-gt-enrolled") for c in planned["planted"])
            assert found["verdict"].startswith("rejected" if rejected else "accepted"), (name, found["findings"])
            assert (found["unit"], found["report_date"]) == (planned["unit"], planned["report_date"])
        assert code == (ExitCode.INPUT_ERRORS if rnd == 2 else ExitCode.OK), err
        # every figure counted is the one the clerk typed, in every round
        run_cli("consolidate", "--round", str(rnd), "--format", "json", "-o", str(tmp_path / f"lan-{rnd}.json"))
        data = json.loads((tmp_path / f"lan-{rnd}.json").read_text(encoding="utf-8"))
        oracle = _in_use(rnd)
        assert {u["code"]: {k: u[k] for k in KEYS} for u in data["units"] if u["reported"]} == oracle
    sums = {k: sum(f[k] for f in oracle.values()) for k in KEYS}
    assert {k: data["district"][k] for k in KEYS} == sums
    assert data["district"]["completed_share"] == pytest.approx(sums["completed"] / sums["people"])
    below = {code for code, f in oracle.items() if f["completed"] < 0.7 * f["people"]}
    assert {u["code"] for u in data["units"] if u["assessment_digital"] == "Chưa đạt"} == below
    # the report for the leaders, its pictures and the Zalo message, in the campaign's own words and names
    code, out, err = run_cli("summary", "--round", "3", "--out", str(tmp_path / "pack"))
    assert code == ExitCode.OK, err
    names = sorted(p.name for p in (tmp_path / "pack").iterdir())
    assert names == ["Bao-cao-BDHVS-lan-3.docx", "Tong-hop-BDHVS-lan-3.xlsx", "tien-do-den-lan-3.png",
                     "tin-nhan-Zalo-lan-3.txt", "ty-le-hoan-thanh-lan-3.png"]
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "pack" / "Bao-cao-BDHVS-lan-3.docx")).paragraphs)
    done = f"{sums['completed']:,}".replace(",", ".") + "/" + f"{sums['people']:,}".replace(",", ".")
    assert f"Toàn xã có {done} người từ 15 tuổi trở lên" in text and "iHanoi" not in text
    assert f"Còn {len(below)} đơn vị chưa đạt chỉ tiêu 70%" in text
    # every unit reported: those under the target are asked to reach it, none to send its report
    assert "chỉ đạo các đơn vị sau khẩn trương hoàn thành chỉ tiêu: " in text and "gửi báo cáo:" not in text
    message = (tmp_path / "pack" / "tin-nhan-Zalo-lan-3.txt").read_text(encoding="utf-8")
    assert f"({done})" in message and "{" not in message
    assert "Đề nghị các đơn vị khẩn trương hoàn thành chỉ tiêu: " in message
    # the ranking: every unit of every group, the target criterion met as the oracle says
    code, out, err = run_cli("rank", "--format", "json", "-o", str(tmp_path / "xep-hang.json"))
    assert code == ExitCode.OK, err
    ranked = json.loads((tmp_path / "xep-hang.json").read_text(encoding="utf-8"))
    rows = {row["code"]: row for row in ranked["units"]}
    assert len(rows) == 15 and set(oracle) == set(rows)  # every unit reported the round the target is judged at
    assert {code for code, row in rows.items() if row["digital_target"] == 0} == below


@pytest.mark.lo_fill
def test_a_form_of_the_second_campaign_typed_in_libreoffice_is_read_as_typed(run_cli, workspace, tmp_path,
                                                                              libreoffice):
    _started(run_cli, workspace)
    code, _, err = run_cli("template", "--round", "1", "--unit", "TR-MN", "--out", str(tmp_path / "forms"))
    assert code == ExitCode.OK, err
    (blank,) = (tmp_path / "forms").glob("*.xlsx")
    typed = tmp_path / "in" / blank.name
    typed.parent.mkdir()
    libreoffice.fill(blank, typed, "--locale", "vi-VN",
                     *libreoffice.typed({"C13": "1.046", "D13": 800, "E13": 801, "C15": "14/10/2025"}))
    code, out, _ = run_cli("ingest", str(typed.parent), "--round", "1", "--json")
    (found,) = json.loads(out)["files"]
    assert found["verdict"] == "rejected" and [f["cell"] for f in found["findings"]
                                               if f["code"] == "completed-gt-enrolled"] == ["E13"]
    message = next(f["message"] for f in found["findings"] if f["code"] == "completed-gt-enrolled")
    assert message == ("Ô E13: số người đã hoàn thành chương trình (801) lớn hơn số người đã tham gia học (800); "
                       "đề nghị kiểm tra lại.")


def test_the_demo_runs_the_second_campaign_from_an_empty_folder(run_cli, tmp_path):
    code, _out, err = run_cli("demo", str(tmp_path / "demo"), "--campaign", NAME)
    assert code == ExitCode.OK, err
    made = {p.name for p in (tmp_path / "demo").iterdir()}
    assert {"campaign.toml", "units.csv", "Tong-hop-BDHVS-lan-3.xlsx", "Bao-cao-BDHVS-lan-3",
            "Xep-hang-thi-dua-den-lan-3.xlsx"} <= made
    # every unit reported round 3: its sheet of units not reported says so above its empty table
    from python_calamine import CalamineWorkbook

    missing = CalamineWorkbook.from_path(str(tmp_path / "demo" / "Tong-hop-BDHVS-lan-3.xlsx"))
    rows = missing.get_sheet_by_name("Chưa báo cáo").to_python(skip_empty_area=False)
    assert rows[1][0] == "Tất cả đơn vị đã báo cáo lần 3." and len(rows) == 3
