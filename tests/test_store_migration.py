"""A store made by the previous release (figures in five fixed columns) is carried over to figures by
column, figure for figure: every round's consolidation is what that release gave, a round it closed reads back
with the same fingerprint, and its files are still known."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ihanoi_report.config import shipped_dir
from ihanoi_report.store import SCHEMA_VERSION, Store

DATA = Path(__file__).parent / "data" / "store-2024.12"
SAMPLES = shipped_dir("samples")


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("IHANOI_WORKSPACE", None)
    return subprocess.run([sys.executable, "-m", "ihanoi_report", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=300)


def _workspace(tmp_path: Path, store: str, config: Path | None = None) -> Path:
    root = tmp_path / store
    root.mkdir()
    shutil.copy(DATA / f"{store}.sqlite", root / "ihanoi.sqlite")
    for name in ("campaign.toml", "units.csv") if config else ():
        shutil.copy(config / name, root / name)  # type: ignore[operator]
    return root


def test_the_fixture_is_a_store_of_the_previous_release():
    db = sqlite3.connect(DATA / "huyen.sqlite")
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION - 1
    columns = [row[1] for row in db.execute("PRAGMA table_info(rows)")]
    assert "residents_installed" in columns


@pytest.mark.parametrize(("store", "config", "rounds"), [("huyen", None, (2, 3)),
                                                         ("thanhpho", shipped_dir("templates") / "city", (3,))])
def test_every_figure_of_a_previous_release_store_reads_the_same(tmp_path, store, config, rounds):
    root = _workspace(tmp_path, store, config)
    for number in rounds:
        done = _cli("consolidate", "--round", str(number), "--format", "json", "-o", f"lan-{number}.json", cwd=root)
        assert done.returncode == 0, done.stderr
        now = json.loads((root / f"lan-{number}.json").read_text(encoding="utf-8"))
        before = json.loads((DATA / f"{store}-lan-{number}.json").read_text(encoding="utf-8"))
        assert now == before
    with Store(root / "ihanoi.sqlite", readonly=True) as migrated:
        assert migrated.form_columns() == ("staff_total", "staff_installed", "residents", "smartphones",
                                           "residents_installed")
    # read-only commands read an upgraded copy in memory: the store itself is as the previous release left it
    assert (root / "ihanoi.sqlite").read_bytes() == (DATA / f"{store}.sqlite").read_bytes()


def test_a_migrated_store_knows_its_files_and_takes_new_ones(tmp_path):
    root = _workspace(tmp_path, "huyen")
    again = _cli("ingest", str(SAMPLES / "round-3"), "--round", "3", "--json", cwd=root)
    assert again.returncode in (0, 1), again.stderr
    verdicts = {f["verdict"] for f in json.loads(again.stdout)["files"]}
    assert "accepted" not in verdicts  # every file was recorded by the previous release already
    fresh = _cli("ingest", str(SAMPLES / "round-4"), "--round", "4", cwd=root)
    assert fresh.returncode in (0, 1), fresh.stderr
    assert _cli("consolidate", "--round", "4", "--format", "json", "-o", "lan-4.json", cwd=root).returncode == 0
    rows = json.loads((root / "lan-4.json").read_text(encoding="utf-8"))["units"]
    assert any(row["reported"] for row in rows)
    assert sqlite3.connect(root / "ihanoi.sqlite").execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_the_group_subtotals_of_a_lower_level_are_carried_over(tmp_path):
    keys = ("staff_total", "staff_installed", "residents", "smartphones", "residents_installed")
    old = sqlite3.connect(DATA / "thanhpho.sqlite")
    before = {(label, row): {k: v for k, v in zip(keys, values, strict=True) if v is not None}
              for label, row, *values in old.execute(f"SELECT label, sheet_row, {', '.join(keys)} FROM subtotals")}
    assert before
    with Store(_workspace(tmp_path, "thanhpho") / "ihanoi.sqlite", readonly=True) as migrated:
        after = {(r.unit, r.sheet_row): r.counts for rows in migrated.subtotals(3).values() for r in rows}
    assert after == before
