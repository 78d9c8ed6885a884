"""Closing a round (chốt số liệu) once its report is sent: a later file is stored and shown, but no output of
the round changes until it is reopened; the figures of the closing are checked every time they are read."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from ihanoi_report.errors import ExitCode


def _numbers(path: Path) -> list[object]:
    """Every figure of the consolidated workbook's units sheet, in order (the words around them aside)."""
    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name(book.sheet_names[0]).to_python()
    return [cell for row in rows for cell in row if isinstance(cell, int | float)]


def _said(*streams: str) -> str:
    return " ".join(" ".join(streams).split())  # the terminal wraps long notices


@pytest.fixture
def closed_demo(run_cli, workspace, tmp_path):
    from ihanoi_report.office import demo

    demo(workspace.root)
    assert run_cli("consolidate", "--round", "3", "--out", str(tmp_path / "sent.xlsx"))[0] == ExitCode.OK
    code, out, err = run_cli("close", "--round", "3")
    assert code == ExitCode.OK, err
    assert "Đã chốt số liệu lần 3" in _said(out) and "59/65 đơn vị" in _said(out)
    return tmp_path / "sent.xlsx"


def test_a_late_file_of_a_closed_round_is_kept_shown_and_changes_nothing_until_reopened(
        closed_demo, run_cli, tmp_path, filled_form, libreoffice):
    sent = _numbers(closed_demo)
    typed = filled_form(tmp_path / "typed" / "tong-bat.xlsx", "XA-09670", 3, report_date="22/8/2024")
    libreoffice.resave_many([typed], tmp_path / "late")
    code, out, err = run_cli("ingest", str(tmp_path / "late"), "--round", "3")
    assert code == ExitCode.OK, err
    assert "1 tệp nhận sau khi chốt được lưu nhưng chưa được tính" in _said(out, err)
    assert run_cli("consolidate", "--round", "3", "--out", str(tmp_path / "again.xlsx"))[0] == ExitCode.OK
    assert _numbers(tmp_path / "again.xlsx") == sent  # the figures sent, to the cell
    book = CalamineWorkbook.from_path(str(tmp_path / "again.xlsx"))
    words = " ".join(str(c) for row in book.get_sheet_by_name(book.sheet_names[0]).to_python() for c in row)
    assert "số liệu chốt ngày" in words
    code, out, err = run_cli("status", "--round", "3", "--json")
    assert "tong-bat.xlsx" in _said(err) and '"code": "XA-09670", "name": "Xã Tòng Bạt"' in out
    code, out, err = run_cli("summary", "--round", "3", "--out", str(tmp_path / "pack"))
    assert code == ExitCode.OK, err
    import docx

    text = "\n".join(p.text for p in docx.Document(str(next((tmp_path / "pack").glob("*.docx")))).paragraphs)
    assert "Số liệu chốt ngày" in text and "59/65" in text
    code, out, _ = run_cli("reopen", "--round", "3")
    assert code == ExitCode.OK and "Đã mở lại lần 3" in _said(out)
    assert run_cli("consolidate", "--round", "3", "--out", str(tmp_path / "open.xlsx"))[0] == ExitCode.OK
    assert _numbers(tmp_path / "open.xlsx") != sent  # the late file counts now
    code, out, _ = run_cli("close", "--round", "3")  # and it may be closed again, with the late file
    assert code == ExitCode.OK and "60/65 đơn vị" in _said(out)


def test_closing_twice_says_so_and_changes_nothing(closed_demo, run_cli, workspace):
    db = sqlite3.connect(workspace.root / "ihanoi.sqlite")
    before = db.execute("SELECT count(*) FROM closures").fetchone()
    db.close()
    code, _out, err = run_cli("close", "--round", "3")
    assert code == ExitCode.OK and "đã chốt số liệu từ" in _said(err)
    db = sqlite3.connect(workspace.root / "ihanoi.sqlite")
    assert db.execute("SELECT count(*) FROM closures").fetchone() == before
    db.close()
    code, _out, err = run_cli("reopen", "--round", "2")
    assert code == ExitCode.OK and "Lần 2 chưa chốt số liệu" in _said(err)


def test_figures_of_a_closed_round_that_no_longer_read_back_are_the_tools_fault_and_no_report_is_written(
        closed_demo, run_cli, workspace, tmp_path):
    db = sqlite3.connect(workspace.root / "ihanoi.sqlite")
    db.execute("DELETE FROM closure_reports WHERE rowid = (SELECT min(rowid) FROM closure_reports)")
    db.commit()
    db.close()
    code, _out, err = run_cli("consolidate", "--round", "3", "--out", str(tmp_path / "wrong.xlsx"))
    assert code == ExitCode.FAILED and "không còn cho đúng số liệu đã chốt" in _said(err)
    assert "lỗi của công cụ" in _said(err) and not (tmp_path / "wrong.xlsx").exists()
