"""Write the returned workbooks of the second shipped campaign (templates/campaigns/binh-dan-hoc-vu-so) as its
units would send them: the tool's own blank forms, typed into by a real headless LibreOffice in the Vietnamese
locale (../shared/tools/lo_fill.py), as a clerk would, mistakes included.

Deterministic (seeded). samples/binh-dan-hoc-vu-so/EXPECTED.json records, for every file, its unit, the figures
typed and the finding codes planted: the tests' oracle.

Run from the repository root:  python scripts/make_campaign_samples.py   (needs soffice and lo_fill.py)
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from ihanoi_report import form
from ihanoi_report.config import format_date, load_campaign
from ihanoi_report.units import load_registry
from ihanoi_report.xlsx.forms import write_form

REPO = Path(__file__).resolve().parents[1]
NAME = "binh-dan-hoc-vu-so"
SOURCE = REPO / "templates" / "campaigns" / NAME
OUT = REPO / "samples" / NAME
LO_FILL = REPO.parent / "shared" / "tools" / "lo_fill.py"
SEED = 20250915
COMPLETED = {1: (0.2, 0.4), 2: (0.45, 0.72), 3: (0.65, 0.9)}  # the share of people who completed, by round
MISSING = {1: ["CQ-CAX"], 2: ["TH-06"], 3: []}  # units that send nothing that round


def main() -> None:
    if shutil.which("soffice") is None or not LO_FILL.exists():
        raise SystemExit("needs LibreOffice (soffice) and ../shared/tools/lo_fill.py")
    campaign = load_campaign(SOURCE / "campaign.toml")
    registry = load_registry(SOURCE / "units.csv", campaign.groups)
    spec = campaign.declared
    letters = {c.key: c.letter for c in form.count_columns(spec)}
    rng = random.Random(SEED)
    people = {u.code: rng.randint(900, 2600) if u.has_residents else rng.randint(18, 60) for u in registry}
    figures: dict[int, dict[str, dict[str, int]]] = {}
    expected: dict[str, dict[str, dict[str, object]]] = {}
    shutil.rmtree(OUT, ignore_errors=True)
    with tempfile.TemporaryDirectory() as scratch:
        for rnd in campaign.rounds:
            n, folder = rnd.number, OUT / f"round-{rnd.number}"
            folder.mkdir(parents=True)
            figures[n], files = {}, {}
            for unit in registry:
                before = figures.get(n - 1, {}).get(unit.code, {})
                total = people[unit.code] + n * 3
                low, high = COMPLETED[n]
                done = max(round(total * rng.uniform(low, high)), before.get("completed", 0))
                enrolled = min(total, max(done + rng.randint(0, total // 8), before.get("enrolled", 0)))
                figures[n][unit.code] = {"people": total, "enrolled": enrolled, "completed": done}
            for unit in registry:
                if unit.code in MISSING[n]:
                    continue
                values, planted = dict(figures[n][unit.code]), []
                if n == 2 and unit.code == "TH-03":  # typed the completed figure above the enrolled one
                    values["completed"] = values["enrolled"] + 12
                    planted.append("completed-gt-enrolled")
                day = rnd.due - timedelta(days=rng.randint(0, 5))
                if n == 3 and unit.code == "CQ-YTE":  # sent three days late
                    day = rnd.due + timedelta(days=3)
                    planted.append("late-report")
                blank = Path(scratch) / f"{unit.code}-{n}.xlsx"
                write_form(blank, campaign, registry, unit, rnd)
                name = form.form_file_name(unit, rnd, campaign.short_name)
                row = form.FIRST_DATA_ROW
                layout = form.layout_for(unit, registry)
                # thousands typed with a dot, as Vietnamese clerks do: Calc in vi-VN takes "1.234" for 1234
                cells = {f"{letters[k]}{row}": f"{v:,}".replace(",", ".") for k, v in values.items()}
                cells[f"{form.FOOTER_VALUE_COLUMN}{layout.report_date_row}"] = format_date(day)
                cells[f"{form.FOOTER_VALUE_COLUMN}{layout.preparer_row}"] = "Lê Thị Thu"
                args = [a for cell, value in cells.items() for a in ("--set", f"{cell}={value}")]
                subprocess.run([sys.executable, str(LO_FILL), str(blank), str(folder / name), "--locale", "vi-VN",
                                "--quiet", *args], check=True, timeout=300)
                files[name] = {"unit": unit.code, "figures": values, "report_date": day.isoformat(),
                               "planted": planted}
            expected[str(n)] = files
    (OUT / "EXPECTED.json").write_text(json.dumps({"campaign": NAME, "files": expected}, ensure_ascii=False,
                                                  indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
