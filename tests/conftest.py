"""Shared fixtures: the shipped config, a workspace, forms, the real clients (LibreOffice, Gnumeric).

Nothing here is imported by the tests: they ask for fixtures by name, so that `pytest` and
`python -m pytest` both run them. Tests that need a real client carry a marker (soffice, lo_fill,
gnumeric) and are skipped where it is missing (CI installs them).
"""

from __future__ import annotations

import functools
import hashlib
import shutil
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
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


@functools.cache
def _opens(kind: str) -> bool:
    """Whether this LibreOffice really converts a file of ``kind`` ("xlsx": Calc, "docx": Writer) to PDF.

    A program that exists is not enough: Debian installs Calc and Writer as separate packages."""
    program = _soffice()
    if program is None:
        return False
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / f"probe.{kind}"
        if kind == "docx":
            from docx import Document

            document = Document()
            document.add_paragraph("Thử")
            document.save(str(source))
        else:
            import xlsxwriter

            book = xlsxwriter.Workbook(str(source))
            book.add_worksheet().write(0, 0, "Thử")
            book.close()
        profile = (Path(folder) / "profile").as_uri()
        try:
            subprocess.run([program, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                            "--outdir", folder, str(source)], capture_output=True, timeout=180, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return False
        return (Path(folder) / "probe.pdf").is_file()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    checks: dict[str, Callable[[], str | None]] = {
        "soffice": lambda: None if _opens("xlsx") else "LibreOffice Calc cannot convert a workbook here",
        "writer": lambda: None if _opens("docx") else "LibreOffice Writer cannot open a .docx here",
        "lo_fill": lambda: None if _soffice() and LO_FILL.exists() else "LibreOffice or ../shared/tools/lo_fill.py "
                                                                        "is missing",
        "gnumeric": lambda: None if shutil.which("ssconvert") else "Gnumeric (ssconvert) is not installed",
        "browser": lambda: None if shutil.which("chromium") and shutil.which("chromedriver")
        else "Chromium and its driver are not installed (apt-get install chromium chromium-driver)",
    }
    reasons: dict[str, str | None] = {}  # each probe runs once, and only when a collected test needs it
    for item in items:
        for marker, check in checks.items():
            if item.get_closest_marker(marker):
                if marker not in reasons:
                    reasons[marker] = check()
                if reasons[marker]:
                    item.add_marker(pytest.mark.skip(reason=reasons[marker]))


class SampleOracle:
    """What the shipped samples must give, from the generator's plan (samples/EXPECTED.json), never from a run.

    Tests take their counts from here, so regenerating the samples cannot make a copied number lie.
    """

    WARNINGS = frozenset({"staff-target-missed", "resident-target-missed", "count-fell", "residents-changed-sharply",
                          "smartphone-share-outlier", "late-report"})

    def __init__(self) -> None:
        import json

        self.plan = json.loads((shipped_dir("samples") / "EXPECTED.json").read_text(encoding="utf-8"))

    def files(self, rnd: int) -> dict[str, dict]:
        return self.plan["files"][str(rnd)]

    def codes(self, rnd: int, entry: dict) -> Counter[str]:
        """Planted codes, plus the target warnings the figures imply (computed here, not by rules.py)."""
        codes = Counter(entry.get("planted", []))
        if entry.get("verdict") in ("rejected", "skipped", "already-received"):
            return codes
        for figures in entry["rows"].values():
            if rnd >= 2 and figures["staff_installed"] < figures["staff_total"]:
                codes["staff-target-missed"] += 1
            if rnd == 4 and "smartphones" in figures and figures["residents_installed"] < figures["smartphones"]:
                codes["resident-target-missed"] += 1
        return codes

    def verdict(self, rnd: int, entry: dict) -> str:
        if "verdict" in entry:
            return entry["verdict"]
        return "accepted-with-warnings" if set(self.codes(rnd, entry)) & self.WARNINGS else "accepted"

    def verdicts(self, rnd: int, names: Iterable[str] | None = None) -> Counter[str]:
        files = self.files(rnd)
        return Counter(self.verdict(rnd, files[name]) for name in (files if names is None else names))

    def reporting_units(self, rnd: int, names: Iterable[str] | None = None) -> set[str]:
        """The units whose report of the round counts (accepted, with or without warnings)."""
        files = self.files(rnd)
        return {files[n]["unit"] for n in (files if names is None else names)
                if self.verdict(rnd, files[n]) in ("accepted", "accepted-with-warnings")}

    @staticmethod
    def share(part: int, whole: int) -> str:
        """A share as a person reads it: half-up to one decimal, a comma for the decimal point."""
        from decimal import ROUND_HALF_UP, Decimal

        value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return f"{value}%".replace(".", ",")


@pytest.fixture(scope="session")
def oracle() -> SampleOracle:
    return SampleOracle()


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
        if not LO_FILL.exists():  # a checkout outside its sibling shared/ (CI has it): as the lo_fill marker does
            pytest.skip(f"{LO_FILL} is missing")
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
    """The real client; every test that needs it is skipped where Calc cannot convert a workbook (the README's
    test command passes on a machine without LibreOffice, and CI installs it)."""
    if not _opens("xlsx"):
        pytest.skip("LibreOffice Calc cannot convert a workbook here")
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
                ws[f"{form.by_key(campaign.declared)[key].letter}{spec.row}"] = value
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
