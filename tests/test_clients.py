"""A second real client: returns filled in LibreOffice, then saved again by Gnumeric (ssconvert) as .xlsx,
.xls and .ods, give the same verdicts and figures as the LibreOffice originals."""

from __future__ import annotations

import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ihanoi_report import form
from ihanoi_report.config import Workspace, load_campaign, shipped_dir
from ihanoi_report.ingest import ingest_folder
from ihanoi_report.reader import read_form
from ihanoi_report.store import Store

SPEC = load_campaign(shipped_dir("templates") / "campaign.toml").declared

FORMATS = ("xlsx", "xls", "ods")


def ssconvert(source: Path, target: Path) -> Path:
    """Save ``source`` as ``target`` with Gnumeric; the format comes from the extension."""
    subprocess.run(["ssconvert", str(source), str(target)], check=True, capture_output=True, timeout=120)
    assert target.exists()
    return target


@pytest.fixture(scope="module")
def inboxes(libreoffice, blank_form, tmp_path_factory, campaign, registry) -> dict[str, Path]:
    """One inbox per client and format, each holding the same two returns (a commune, the Education Office)."""
    base = tmp_path_factory.mktemp("clients")
    originals = base / "libreoffice"
    originals.mkdir()
    jobs = []
    commune, office = registry.get("XA-09697"), registry.get("PB-GDDT")
    blank_form(base / "commune.xlsx", commune.code, 2)
    blank_form(base / "office.xlsx", office.code, 2)
    # A Vietnamese number typed as text ("'9.000"), and the date typed into the date cell.
    jobs.append((base / "commune.xlsx", originals / "Ba Trai.xlsx", ["--locale", "vi-VN", *libreoffice.typed(
        {"C13": 28, "D13": 28, "E13": 12000, "F13": "'9.000", "G13": 4000, "C15": "24/7/2024"})]))
    layout = form.layout_for(office, registry)
    cells: dict[str, object] = {f"C{layout.report_date_row}": "25/7/2024"}
    for i, spec in enumerate(layout.rows):
        cells |= {f"C{spec.row}": 20 + i % 7, f"D{spec.row}": 20 + i % 7}
    # A school of 1.024 staff, typed the Vietnamese way as text: the total's SUM skips it, the tool reads it.
    cells[f"C{layout.rows[3].row}"] = cells[f"D{layout.rows[3].row}"] = "'1.024"
    jobs.append((base / "office.xlsx", originals / "Phong GDDT.xlsx", ["--locale", "vi-VN", *libreoffice.typed(cells)]))
    libreoffice.fill_many(jobs)
    made = {"libreoffice": originals}
    conversions = []
    for fmt in FORMATS:
        made[fmt] = base / f"gnumeric-{fmt}"
        made[fmt].mkdir()
        conversions += [(path, made[fmt] / f"{path.stem}.{fmt}") for path in sorted(originals.iterdir())]
    if shutil.which("ssconvert") is not None:
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda pair: ssconvert(*pair), conversions))
    return made


def outcome(folder: Path, tmp_path: Path, campaign, registry) -> dict[str, object]:
    """What ingest makes of a folder: each unit's verdict and finding codes, and the figures in use."""
    workspace = Workspace(tmp_path / folder.name)
    report = ingest_folder(folder, workspace, campaign, registry, 2)
    verdicts = {f.unit: (f.verdict.value, sorted(x.code for x in f.findings)) for f in report.files}
    with Store(workspace.store_path, readonly=True) as store:
        figures = {a.unit: {r.unit: r.counts for r in a.rows} for a in store.accepted(2)}
    return {"verdicts": verdicts, "figures": figures}


@pytest.mark.gnumeric
@pytest.mark.parametrize("fmt", FORMATS)
def test_gnumeric_saves_give_the_same_verdicts_and_figures(inboxes, tmp_path, campaign, registry, fmt):
    original = outcome(inboxes["libreoffice"], tmp_path, campaign, registry)
    assert original["verdicts"] == {"XA-09697": ("accepted", []), "PB-GDDT": ("accepted", [])}
    assert original["figures"]["XA-09697"]["XA-09697"]["smartphones"] == 9000
    school = registry.children("PB-GDDT")[2].code
    assert original["figures"]["PB-GDDT"][school] == {"staff_total": 1024, "staff_installed": 1024}
    assert outcome(inboxes[fmt], tmp_path, campaign, registry) == original


@pytest.mark.gnumeric
def test_a_gnumeric_ods_is_read_cell_for_cell_like_the_original(inboxes):
    ods = inboxes["ods"] / "Ba Trai.ods"
    original = inboxes["libreoffice"] / "Ba Trai.xlsx"
    a, b = (read_form(p, p.read_bytes(), SPEC) for p in (original, ods))
    assert [(r.row, r.name, r.cells) for r in a.rows] == [(r.row, r.name, r.cells) for r in b.rows]
    assert (a.meta, a.report_date, a.report_date_cell) == (b.meta, b.report_date, b.report_date_cell)
