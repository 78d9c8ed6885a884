"""Write the returned workbooks in samples/ as the units would send them, mistakes included.

Deterministic (seeded). Forms come from the tool's own templates; figures are filled in with
openpyxl and every file then goes through a real headless LibreOffice, which computes the
totals and saves the file as a clerk's program would. The clerk-typed mistakes are typed
through ../shared/tools/lo_fill.py. samples/EXPECTED.json records, for every file, the
verdict and finding codes planted and the figures of each row: the tests' oracle.

Run from the repository root:  python scripts/make_samples.py   (needs soffice and lo_fill.py)

    python scripts/make_samples.py --chain   writes only samples/phong-gddt/round-3: the forms of the
    Education Office and its 100 schools, for its own workspace (init --for PB-GDDT), with the figures of
    the office's round-3 sample form, so that its consolidated workbook must give the district the same.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import tempfile
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from ihanoi_report import form
from ihanoi_report.config import Campaign, Round, format_date, load_campaign
from ihanoi_report.form import form_file_name
from ihanoi_report.units import Registry, Unit, load_registry
from ihanoi_report.xlsx.forms import write_form

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
LO_FILL = REPO.parent / "shared" / "tools" / "lo_fill.py"
SEED = 20240705

MISSING = {1: ["PB-QLDA", "DT-LDLD", "HQ-THA", "HQ-VKS", "XA-09682", "XA-09700"],
           2: ["HQ-THA", "DT-LDLD", "XA-09700", "HQ-VKS"],
           3: ["HQ-TOAAN", "DT-CCB", "XA-09670"],
           4: ["HQ-TOAAN", "XA-09685"]}
STAFF_SHARE = {1: (0.55, 0.85), 2: (0.9, 1.0), 3: (0.97, 1.0), 4: (1.0, 1.0)}
RESIDENT_SHARE = {1: (0.15, 0.35), 2: (0.3, 0.5), 3: (0.6, 0.85), 4: (0.93, 1.0)}
DUE_SLACK = 6  # reports arrive 0..6 days before the due date


def file_name(unit: Unit, rnd: Round) -> str:
    """The name the shipped campaign gives a unit's form (its short_name, iHanoi)."""
    return form_file_name(unit, rnd, "iHanoi")


class Plan:
    """Figures of every unit for every round, growing from round to round."""

    def __init__(self, registry: Registry) -> None:
        rng = random.Random(SEED)
        self.base: dict[str, dict[str, int]] = {}
        for unit in registry:
            if unit.group == "xa":
                residents = rng.randint(5000, 25000) if unit.code != "XA-09619" else 21000
                self.base[unit.code] = {"staff_total": rng.randint(22, 36), "residents": residents,
                                        "smartphones": round(residents * rng.uniform(0.6, 0.85))}
            else:
                span = {"phong-ban": (8, 60), "doan-the": (5, 14), "hiep-quan": (12, 90), "truong": (18, 75)}
                self.base[unit.code] = {"staff_total": rng.randint(*span[unit.group])}
        self.rng = rng
        self.figures: dict[int, dict[str, dict[str, int]]] = {}
        for rnd in (1, 2, 3, 4):
            self.figures[rnd] = {}
            for unit in registry:
                self.figures[rnd][unit.code] = self._grow(unit, rnd)

    def _grow(self, unit: Unit, rnd: int) -> dict[str, int]:
        base = self.base[unit.code]
        prev = self.figures.get(rnd - 1, {}).get(unit.code, {})
        lo, hi = STAFF_SHARE[rnd]
        staff = base["staff_total"]
        installed = max(round(staff * self.rng.uniform(lo, hi)), prev.get("staff_installed", 0))
        if rnd == 2 and self.rng.random() < 0.7:
            installed = staff
        if rnd >= 3 and self.rng.random() < 0.92:
            installed = staff
        figures = {"staff_total": staff, "staff_installed": min(installed, staff)}
        if unit.has_residents:
            lo, hi = RESIDENT_SHARE[rnd]
            phones = base["smartphones"] + rnd * 7
            done = max(round(phones * self.rng.uniform(lo, hi)), prev.get("residents_installed", 0))
            if rnd == 4 and self.rng.random() < 0.5:
                done = phones
            figures |= {"residents": base["residents"] + rnd * 11, "smartphones": phones,
                        "residents_installed": min(done, phones)}
        return figures


def fill(campaign: Campaign, registry: Registry, unit: Unit, rnd: int, figures: dict[str, dict[str, int]],
         report_day: date, path: Path) -> None:
    write_form(path, campaign, registry, unit, campaign.round(rnd))
    wb = load_workbook(path)
    ws = wb[form.SHEET_NAME]
    layout = form.layout_for(unit, registry)
    for spec in layout.rows:
        for key, value in figures[spec.unit.code].items():
            ws[f"{form.by_key(campaign.declared)[key].letter}{spec.row}"] = value
    ws[f"{form.FOOTER_VALUE_COLUMN}{layout.report_date_row}"] = format_date(report_day)
    ws[f"{form.FOOTER_VALUE_COLUMN}{layout.preparer_row}"] = "Nguyễn Thị Hoa"
    ws[f"{form.FOOTER_VALUE_COLUMN}{layout.phone_row}"] = "0912345678"
    wb.save(path)


def libreoffice_resave(files: list[Path], out_dir: Path) -> None:
    """Open and save every file with LibreOffice, in small batches, checking each output exists."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for start in range(0, len(files), 20):
        batch = files[start:start + 20]
        profile = Path(tempfile.gettempdir()) / f"samples-lo-{uuid.uuid4().hex}"
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                        "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out_dir), *map(str, batch)],
                       check=True, capture_output=True, timeout=600)
        shutil.rmtree(profile, ignore_errors=True)
        for source in batch:
            if not (out_dir / source.name).exists():
                raise SystemExit(f"LibreOffice did not write {source.name}")


def lo_fill(source: Path, target: Path, *args: str) -> None:
    subprocess.run([sys.executable, str(LO_FILL), str(source), str(target), "--locale", "vi-VN", "--quiet",
                    *args], check=True, timeout=300)


def hand_typed(unit: Unit, rnd: int, figures: dict[str, int], report_day: date, path: Path) -> None:
    """A clerk who lost the form and typed a copy: no metadata, one header row, other labels."""
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "UBND " + unit.name.upper()
    ws["A3"] = f"BÁO CÁO TIẾN ĐỘ CÀI ĐẶT ỨNG DỤNG IHANOI LẦN {rnd}"
    ws.append([])
    ws.append(["STT", "Tên đơn vị", "Tổng số CBCCVC", "CBCCVC đã cài", "Tổng số dân", "Số dân có smartphone",
               "Số dân đã cài"])
    ws.append([1, f"UBND {unit.name}", *figures.values()])
    ws.append([])
    ws.append(["", "Ngày báo cáo:", format_date(report_day)])
    ws.append(["", "Người lập biểu:", "Đinh Văn Nam"])
    wb.save(path)


def main() -> None:
    if shutil.which("soffice") is None or not LO_FILL.exists():
        raise SystemExit("needs LibreOffice (soffice) and ../shared/tools/lo_fill.py")
    campaign = load_campaign(REPO / "templates" / "campaign.toml")
    registry = load_registry(REPO / "templates" / "units.csv", campaign.groups)
    plan = Plan(registry)
    rng = random.Random(SEED + 1)
    # Planted figures that the rules must notice (on top of the clerks' mistakes below).
    plan.figures[3]["XA-09712"]["smartphones"] = 1900  # typo: share far from the other communes
    plan.figures[3]["XA-09712"]["residents_installed"] = 1500
    plan.figures[4]["XA-09661"]["residents_installed"] = plan.figures[3]["XA-09661"]["residents_installed"] - 120
    plan.figures[4]["XA-09664"]["residents"] = round(plan.figures[3]["XA-09664"]["residents"] * 1.3)
    late = {2: {"HQ-DIENLUC": date(2024, 7, 29)}, 3: {"PB-KT": date(2024, 8, 22)}}

    for old in SAMPLES.glob("round-*"):
        shutil.rmtree(old)
    expected: dict[str, Any] = {"missing": MISSING, "files": {}}
    work = Path(tempfile.mkdtemp(prefix="samples-"))
    for rnd in (1, 2, 3, 4):
        rnd_cfg = campaign.round(rnd)
        folder = SAMPLES / f"round-{rnd}"
        raw = work / f"raw-{rnd}"
        raw.mkdir()
        figures = plan.figures[rnd]
        units = [u for u in registry.reporting_units() if u.code not in MISSING[rnd]]
        days: dict[str, date] = {}
        for unit in units:
            day = late.get(rnd, {}).get(unit.code) or rnd_cfg.due - timedelta(days=rng.randint(0, DUE_SLACK))
            days[unit.code] = day
            fill(campaign, registry, unit, rnd, figures, day, raw / file_name(unit, rnd_cfg))
        libreoffice_resave(sorted(raw.glob("*.xlsx")), folder)
        files: dict[str, dict[str, Any]] = {}
        for unit in units:
            members = [s.unit.code for s in form.layout_for(unit, registry).rows]
            files[file_name(unit, rnd_cfg)] = {"unit": unit.code, "rows": {c: figures[c] for c in members},
                                                    "report_date": days[unit.code].isoformat(), "planted": []}
        expected["files"][str(rnd)] = files
        if rnd == 3:
            plant_round_3(campaign, registry, plan, folder, files, work, rnd_cfg)
        if rnd == 4:
            files[file_name(registry.get("XA-09661"), rnd_cfg)]["planted"].append("count-fell")
            files[file_name(registry.get("XA-09664"), rnd_cfg)]["planted"].append("residents-changed-sharply")
        for code in late.get(rnd, {}):
            files[file_name(registry.get(code), rnd_cfg)]["planted"].append("late-report")
    (SAMPLES / "EXPECTED.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                           encoding="utf-8")
    shutil.rmtree(work)
    print(f"wrote {sum(len(f) for f in expected['files'].values())} sample files into {SAMPLES}")
    make_chain()  # the Education Office's own samples follow its round-3 form


def plant_round_3(campaign: Campaign, registry: Registry, plan: Plan, folder: Path, files: dict[str, Any],
                  work: Path, rnd_cfg: Any) -> None:
    """The mistakes real clerks make, all in round 3 (the round the demo consolidates)."""
    r = form.FIRST_DATA_ROW
    fig = plan.figures[3]

    def name(code: str) -> str:
        return file_name(registry.get(code), rnd_cfg)

    def blank(code: str) -> Path:
        path = work / f"blank-{code}.xlsx"
        write_form(path, campaign, registry, registry.get(code), rnd_cfg)
        return path

    def typed(code: str, overrides: dict[str, str] | None = None, row: int = r) -> list[str]:
        values = {k: str(v) for k, v in fig[code].items()} | (overrides or {})
        layout = form.layout_for(registry.get(code), registry)
        sets = [f"{form.by_key(campaign.declared)[k].letter}{row}={v}" for k, v in values.items()]
        sets.append(f"{form.FOOTER_VALUE_COLUMN}{layout.report_date_row + row - r}=18/8/2024")
        return [arg for s in sets for arg in ("--set", s)]

    def plant(file: str, codes: list[str], **changes: Any) -> None:
        entry = files.setdefault(file, {})
        entry.setdefault("planted", []).extend(codes)
        entry.update(changes)

    # Installed > smartphone owners: rejected.
    code = "XA-09625"
    too_many = str(fig[code]["smartphones"] + 350)
    lo_fill(blank(code), folder / name(code), *typed(code, {"residents_installed": too_many}))
    plant(name(code), ["installed-gt-smartphones"], verdict="rejected", report_date="2024-08-18")
    # "12.345" typed as text (forced with an apostrophe): read as 12345, accepted.
    code = "XA-09628"
    residents = fig[code]["residents"]
    as_text = f"'{residents // 1000}.{residents % 1000:03d}"
    lo_fill(blank(code), folder / name(code), *typed(code, {"residents": as_text}))
    plant(name(code), [], report_date="2024-08-18")
    # A row inserted above the table (sheet unprotected first, as a clerk must): accepted.
    code = "XA-09631"
    lo_fill(blank(code), folder / name(code), "--unprotect", "-", "--insert-row", "4", *typed(code, row=r + 1))
    plant(name(code), [], report_date="2024-08-18")
    # Saved as .xls: accepted.
    code = "XA-09634"
    (folder / name(code)).unlink()
    xls = name(code).replace(".xlsx", ".xls")
    lo_fill(blank(code), folder / xls, *typed(code))
    files[xls] = files.pop(name(code))
    plant(xls, [], report_date="2024-08-18")
    # Renamed by the clerk: identified by its hidden metadata, accepted.
    code = "XA-09694"
    renamed = "bao cao xa Tan Linh (1).xlsx"
    (folder / name(code)).rename(folder / renamed)
    files[renamed] = files.pop(name(code))
    # The same report sent twice: the second copy is "already received".
    code = "PB-NV"
    copy = name(code).replace(".xlsx", " (2).xlsx")
    shutil.copyfile(folder / name(code), folder / copy)
    second = sorted([name(code), copy])[1]
    files[copy] = dict(files[name(code)])
    plant(second, [], verdict="already-received")
    # A report with staff installed > staff, then its correction: rejected, then accepted.
    code = "PB-TP"
    lo_fill(blank(code), folder / name(code), *typed(code, {"staff_installed": str(fig[code]["staff_total"] + 3)}))
    plant(name(code), ["staff-installed-gt-total"], verdict="rejected", report_date="2024-08-18")
    corrected = name(code).replace(".xlsx", "_sua-lai.xlsx")
    lo_fill(blank(code), folder / corrected, *typed(code))
    files[corrected] = {"unit": code, "rows": {code: fig[code]}, "report_date": "2024-08-18", "planted": []}
    # An accepted report, then an update the same week: the update supersedes it.
    code = "PB-YT"
    update = name(code).replace(".xlsx", "_bo-sung.xlsx")
    newer = dict(fig[code]) | {"staff_installed": fig[code]["staff_total"]}
    lo_fill(blank(code), folder / update, *typed(code, {k: str(v) for k, v in newer.items()}))
    files[update] = {"unit": code, "rows": {code: newer}, "report_date": "2024-08-18", "planted": ["resubmission"]}
    plant(name(code), [], superseded=True)
    # A copy of the form typed by hand, without the hidden metadata: identified by its visible name.
    code = "XA-09706"
    (folder / name(code)).unlink()
    typed_copy = work / "Bao cao iHanoi - Van Hoa.xlsx"
    hand_typed(registry.get(code), 3, fig[code], date(2024, 8, 19), typed_copy)
    libreoffice_resave([typed_copy], folder)
    files[typed_copy.name] = files.pop(name(code)) | {"report_date": "2024-08-19"}
    # "5.000 người" typed into a count: rejected, naming the cell.
    code = "XA-09640"
    lo_fill(blank(code), folder / name(code), *typed(code, {"smartphones": "5.000 người"}))
    plant(name(code), ["value-not-integer"], verdict="rejected", report_date="2024-08-18")
    # A count left empty: rejected.
    code = "DT-PHUNU"
    lo_fill(blank(code), folder / name(code), *typed(code, {"staff_installed": ""}))
    plant(name(code), ["value-missing"], verdict="rejected", report_date="2024-08-18")
    # The smartphone share typed wrong (planted in the figures): its installed count, bounded by it, fell too.
    plant(name("XA-09712"), ["smartphone-share-outlier", "count-fell"])
    # A damaged file, an Excel lock file and a photo of the paper form.
    (folder / "bao-cao-bi-loi.xlsx").write_bytes((folder / name("PB-VP")).read_bytes()[:1500])
    files["bao-cao-bi-loi.xlsx"] = {"unit": None, "rows": {}, "planted": ["file-unreadable"], "verdict": "rejected"}
    (folder / f"~${name('XA-09697')}").write_bytes(b"\x00" * 165)
    files[f"~${name('XA-09697')}"] = {"unit": None, "rows": {}, "planted": [], "verdict": "skipped"}
    (folder / "anh-chup-bao-cao.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(64))
    files["anh-chup-bao-cao.jpg"] = {"unit": None, "rows": {}, "planted": [], "verdict": "skipped"}


def make_chain() -> None:
    """samples/phong-gddt/round-3: the schools' (and the office's own) forms of round 3, LibreOffice-saved."""
    from ihanoi_report.office import Office, write_config, write_sub_workspace

    expected = json.loads((SAMPLES / "EXPECTED.json").read_text(encoding="utf-8"))["files"]["3"]
    rows = next(entry["rows"] for entry in expected.values() if entry.get("unit") == "PB-GDDT")
    work = Path(tempfile.mkdtemp(prefix="samples-chain-"))
    write_config(work / "huyen", force=False)
    sub = write_sub_workspace(Office.open(work / "huyen"), "PB-GDDT", work / "phong-gddt")[0].parent
    office = Office.open(sub)
    rnd = office.campaign.round(3)
    rng = random.Random(SEED + 3)
    raw = work / "raw"
    raw.mkdir()
    for unit in office.registry.reporting_units():
        day = rnd.due - timedelta(days=rng.randint(0, DUE_SLACK))
        fill(office.campaign, office.registry, unit, 3, rows, day, raw / file_name(unit, rnd))
    folder = SAMPLES / "phong-gddt" / "round-3"
    shutil.rmtree(folder, ignore_errors=True)
    libreoffice_resave(sorted(raw.glob("*.xlsx")), folder)
    shutil.rmtree(work)
    print(f"wrote {len(list(folder.iterdir()))} files into {folder}")


if __name__ == "__main__":
    make_chain() if "--chain" in sys.argv[1:] else main()
