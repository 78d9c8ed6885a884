"""Shared fixtures: the shipped config, a workspace, and LibreOffice as a real client."""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from ihanoi_report.config import Campaign, Workspace, load_campaign, shipped_dir
from ihanoi_report.units import Registry, load_registry

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
LO_FILL = SHARED / "tools" / "lo_fill.py"


@pytest.fixture(scope="session")
def campaign() -> Campaign:
    return load_campaign(shipped_dir("templates") / "campaign.toml")


@pytest.fixture(scope="session")
def registry(campaign: Campaign) -> Registry:
    return load_registry(shipped_dir("templates") / "units.csv", campaign.groups)


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    root = tmp_path / "ws"
    root.mkdir()
    monkeypatch.setenv("IHANOI_WORKSPACE", str(root))
    monkeypatch.setenv("IHANOI_WIDTH", "200")
    return Workspace(root)


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


needs_soffice = pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) is not installed")


def convert(source: Path, fmt: str, out_dir: Path) -> Path:
    """Convert with a headless LibreOffice that has its own profile, as a clerk's program would."""
    exe = soffice_path()
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = f"file:///tmp/ihanoi-lo-{uuid.uuid4().hex}"
    filters = {"xls": "xls:MS Excel 97", "ods": "ods", "xlsx": "xlsx:Calc MS Excel 2007 XML", "pdf": "pdf"}
    subprocess.run(
        [exe, f"-env:UserInstallation={profile}", "--headless", "--convert-to", filters[fmt],
         "--outdir", str(out_dir), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
    result = out_dir / (source.stem + "." + fmt)
    assert result.exists(), f"LibreOffice wrote no {result.name}"
    return result


def lo_fill(source: Path, target: Path, *args: str) -> Path:
    """Type values into a workbook through a real LibreOffice (../shared/tools/lo_fill.py)."""
    if soffice_path() is None or not LO_FILL.exists():
        pytest.skip("LibreOffice or ../shared/tools/lo_fill.py is not available")
    command = [sys.executable, str(LO_FILL), str(source), str(target), "--quiet", *args]
    for attempt in (1, 2):  # a headless LibreOffice start can fail on a loaded machine: once more, then say why
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        if done.returncode == 0:
            break
        assert attempt == 1, f"lo_fill failed twice: {done.stderr[-2000:]}"
    assert target.exists()
    return target


def lo_fill_many(jobs: list[tuple[Path, Path, list[str]]], workers: int = 2) -> None:
    """Several lo_fill runs at once (each has its own LibreOffice profile): (source, target, arguments)."""
    from concurrent.futures import ThreadPoolExecutor

    if soffice_path() is None or not LO_FILL.exists():
        pytest.skip("LibreOffice or ../shared/tools/lo_fill.py is not available")
    with ThreadPoolExecutor(workers) as pool:
        for target in pool.map(lambda job: lo_fill(job[0], job[1], *job[2]), jobs):
            assert target.exists()


def typed(cells: dict[str, object]) -> list[str]:
    """lo_fill arguments that type ``cells`` ({"C13": 30, "C15": "22/7/2024"}) as a clerk would."""
    return [arg for cell, value in cells.items() for arg in ("--set", f"{cell}={value}")]


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Iterator[object]:
    """Run the CLI in-process as a user would; returns (exit code, stdout, stderr)."""
    from ihanoi_report.cli import run

    def _run(*args: str) -> tuple[int, str, str]:
        from ihanoi_report.__main__ import split_global_options

        rest, _language, debug = split_global_options(args)
        code = run(rest, debug=debug)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    yield _run


FIGURES = {"staff_total": 30, "staff_installed": 28, "residents": 12000, "smartphones": 9000,
           "residents_installed": 6000}


def filled_form(path: Path, campaign: Campaign, registry: Registry, code: str, rnd: int,
                figures: dict[str, dict[str, object]] | None = None, report_date: str = "") -> Path:
    """A form filled with openpyxl (the quick way; tests that need a real client use lo_fill)."""
    from ihanoi_report import form
    from ihanoi_report.template import build_form

    unit = registry.get(code)
    assert unit is not None
    wb = build_form(campaign, registry, unit, campaign.round(rnd))
    ws = wb[form.SHEET_NAME]
    layout = form.layout_for(unit, registry)
    for spec in layout.rows:
        values = (figures or {}).get(spec.unit.code)
        if values is None:
            values = {k: v for k, v in FIGURES.items() if spec.unit.has_residents or (not k.startswith("resid")
                      and k != "smartphones")}
        for key, value in values.items():
            ws[f"{form.BY_KEY[key].letter}{spec.row}"] = value
    due = campaign.round(rnd).due
    ws[f"{form.FOOTER_VALUE_COLUMN}{layout.report_date_row}"] = report_date or f"{due.day}/{due.month}/{due.year}"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def file_hashes(folder: Path) -> dict[str, str]:
    import hashlib

    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def ingested(tmp_path_factory, campaign, registry):
    """A workspace holding the shipped samples of rounds 1-4, ingested in order."""
    from ihanoi_report.ingest import ingest_folder

    samples = shipped_dir("samples")
    workspace = Workspace(tmp_path_factory.mktemp("ws"))
    before = file_hashes(samples)
    reports = {rnd: ingest_folder(samples / f"round-{rnd}", workspace, campaign, registry, rnd) for rnd in (1, 2, 3, 4)}
    assert file_hashes(samples) == before, "ingest must never modify its input files"
    return workspace, reports
