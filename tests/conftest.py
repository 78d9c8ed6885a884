"""Shared fixtures: the shipped config, a workspace, forms, the real clients (LibreOffice, Gnumeric).

Nothing here is imported by the tests: they ask for fixtures by name, so that `pytest` and
`python -m pytest` both run them. Tests that need a real client carry a marker (soffice, lo_fill,
gnumeric) and are skipped where it is missing (CI installs them).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ihanoi_report.config import Campaign, Workspace, load_campaign, shipped_dir
from ihanoi_report.units import Registry, load_registry

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
LO_FILL = SHARED / "tools" / "lo_fill.py"
FIGURES = {"staff_total": 30, "staff_installed": 28, "residents": 12000, "smartphones": 9000,
           "residents_installed": 6000}


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = {
        "soffice": None if _soffice() else "LibreOffice (soffice) is not installed",
        "lo_fill": None if _soffice() and LO_FILL.exists() else "LibreOffice or ../shared/tools/lo_fill.py is missing",
        "gnumeric": None if shutil.which("ssconvert") else "Gnumeric (ssconvert) is not installed",
    }
    for item in items:
        for marker, reason in missing.items():
            if reason and item.get_closest_marker(marker):
                item.add_marker(pytest.mark.skip(reason=reason))


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


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared: the corpus of foreign spreadsheets and the tools (read in place, never copied)."""
    return SHARED


class LibreOffice:
    """LibreOffice as a real client: convert a workbook, or type into it as a clerk would (lo_fill.py)."""

    @staticmethod
    def convert(source: Path, fmt: str, out_dir: Path) -> Path:
        """Convert with a headless LibreOffice that has its own profile, as a clerk's program would."""
        exe = _soffice()
        assert exe is not None
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

    @staticmethod
    def resave_many(sources: list[Path], out_dir: Path) -> list[Path]:
        """Open and save many workbooks as .xlsx with one headless LibreOffice, as an office that opens its
        files and saves them again would."""
        exe = _soffice()
        assert exe is not None
        out_dir.mkdir(parents=True, exist_ok=True)
        profile = f"file:///tmp/ihanoi-lo-{uuid.uuid4().hex}"
        subprocess.run(
            [exe, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
             "--outdir", str(out_dir), *(str(s) for s in sources)],
            check=True, capture_output=True, timeout=600,
        )
        shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
        written = [out_dir / (s.stem + ".xlsx") for s in sources]
        assert all(p.exists() for p in written), "LibreOffice did not write every file"
        return written

    @staticmethod
    def fill(source: Path, target: Path, *args: str) -> Path:
        """Type values into a workbook through a real LibreOffice (../shared/tools/lo_fill.py)."""
        command = [sys.executable, str(LO_FILL), str(source), str(target), "--quiet", *args]
        for attempt in (1, 2):  # a headless LibreOffice start can fail on a loaded machine: once more, then say why
            done = subprocess.run(command, capture_output=True, text=True, timeout=300)
            if done.returncode == 0:
                break
            assert attempt == 1, f"lo_fill failed twice: {done.stderr[-2000:]}"
        assert target.exists()
        return target

    def fill_many(self, jobs: list[tuple[Path, Path, list[str]]], workers: int = 2) -> None:
        """Several fills at once (each has its own LibreOffice profile): (source, target, arguments)."""
        with ThreadPoolExecutor(workers) as pool:
            for target in pool.map(lambda job: self.fill(job[0], job[1], *job[2]), jobs):
                assert target.exists()

    @staticmethod
    def typed(cells: dict[str, object]) -> list[str]:
        """fill() arguments that type ``cells`` ({"C13": 30, "C15": "22/7/2024"}) as a clerk would."""
        return [arg for cell, value in cells.items() for arg in ("--set", f"{cell}={value}")]


@pytest.fixture(scope="session")
def libreoffice() -> LibreOffice:
    return LibreOffice()


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Iterator[Callable[..., tuple[int, str, str]]]:
    """Run the CLI in-process as a user would; returns (exit code, stdout, stderr)."""
    from ihanoi_report.__main__ import split_global_options
    from ihanoi_report.cli.app import run

    def _run(*args: str) -> tuple[int, str, str]:
        rest, _language, debug = split_global_options(args)
        code = run(rest, debug=debug)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    yield _run


@pytest.fixture(scope="session")
def blank_form(campaign: Campaign, registry: Registry) -> Callable[[Path, str, int], Path]:
    """Write the tool's own blank form of a unit for a round at a path."""
    from ihanoi_report.xlsx.forms import write_form

    def _blank(path: Path, code: str, rnd: int) -> Path:
        unit = registry.get(code)
        assert unit is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        return write_form(path, campaign, registry, unit, campaign.round(rnd))

    return _blank


@pytest.fixture(scope="session")
def filled_form(
    blank_form: Callable[[Path, str, int], Path], campaign: Campaign, registry: Registry
) -> Callable[..., Path]:
    """A form filled with openpyxl (the quick way; tests that need a real client use libreoffice.fill).

    ``filled_form(path, code, rnd, figures=None, report_date="")``: each row gets FIGURES (staff only
    for a unit without residents) unless ``figures`` gives a unit's own.
    """
    import openpyxl

    from ihanoi_report import form

    def _filled(path: Path, code: str, rnd: int, figures: dict[str, dict[str, object]] | None = None,
                report_date: str = "") -> Path:
        blank_form(path, code, rnd)
        wb = openpyxl.load_workbook(path)
        ws = wb[form.SHEET_NAME]
        unit = registry.get(code)
        assert unit is not None
        layout = form.layout_for(unit, registry)
        for spec in layout.rows:
            values = (figures or {}).get(spec.unit.code)
            if values is None:
                values = {k: v for k, v in FIGURES.items()
                          if spec.unit.has_residents or k in ("staff_total", "staff_installed")}
            for key, value in values.items():
                ws[f"{form.BY_KEY[key].letter}{spec.row}"] = value
        due = campaign.round(rnd).due
        ws[f"{form.FOOTER_VALUE_COLUMN}{layout.report_date_row}"] = report_date or f"{due.day}/{due.month}/{due.year}"
        wb.save(path)
        return path

    return _filled


@pytest.fixture(scope="session")
def hashes() -> Callable[[Path], dict[str, str]]:
    """SHA-256 of every file under a folder: inputs must be the same after a run."""
    def _hashes(folder: Path) -> dict[str, str]:
        return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}

    return _hashes


@pytest.fixture(scope="session")
def ingested(tmp_path_factory, campaign, registry, hashes):
    """A workspace holding the shipped samples of rounds 1-4, ingested in order."""
    from ihanoi_report.ingest import ingest_folder

    samples = shipped_dir("samples")
    workspace = Workspace(tmp_path_factory.mktemp("ws"))
    before = hashes(samples)
    reports = {rnd: ingest_folder(samples / f"round-{rnd}", workspace, campaign, registry, rnd) for rnd in (1, 2, 3, 4)}
    assert hashes(samples) == before, "ingest must never modify its input files"
    return workspace, reports
