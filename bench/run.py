"""Benchmarks (not tests): ihanoi-report against the loops a district's IT helper would write.

    python bench/run.py [--files 1000] [--units 10000] [--seed 7] [--keep DIR] [--against PYTHON]

Everything is measured in ONE run on this machine, so the ratios compare like with like:
  ingest       ihanoi-report ingest, end to end (read, identify, validate, store with the originals), fresh workspace
  naive        pandas.read_excel(engine="openpyxl") per file + the same three inequality checks
  examine      ingest's examination of each file (read, identify, check) alone, without the store or any output:
               in the sandbox's workers as ingest runs it, and one file after another in one process; for
               information, to show how much of ingest's per-file cost the examination leaves to the rest
  floor        python-calamine reading every sheet of each file into lists, nothing else (a form has two: the
               clerk's and the tool's hidden one, which identification reads)
  template     ihanoi-report template for N units   vs  a plain loop writing one form after another
  consolidate  ihanoi-report consolidate, N units   vs  pandas sums + DataFrame.to_excel
  city         ihanoi-report ingest at the city: 30 districts' consolidated workbooks (target: under 1 s)
  --help       ihanoi-report --help                 vs  python -c "import typer"
  again        ihanoi-report ingest on the same folder once more (every file already received), for information
  --against    the same ingest and template runs with another installation's python (say, the previous
               version in its own venv), taking turns with ours: what a change cost or saved
Each command runs in its own process; peak memory is that process tree's maximum resident size. The runs
of one comparison take turns. Run it where ihanoi-report is installed as a user has it (`pip install .`,
as the README's test command does), not editable: an editable install slows every start.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

PY = sys.executable
REPO = Path(__file__).resolve().parents[1]

# Runs a snippet in a fresh interpreter and reports wall time and peak memory of it and its children.
# Its own peak is VmHWM, the peak of its memory since exec: Linux's ru_maxrss also keeps the size of the process
# it was forked from (this script, 60 MB once it has built the city's inbox), which hid any growth below that.
MEASURE = textwrap.dedent("""
    import json, resource, sys, time
    start = time.perf_counter()
    exec(compile(sys.argv[1], "<bench>", "exec"))
    elapsed = time.perf_counter() - start
    try:
        with open("/proc/self/status") as status:
            own = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"seconds": elapsed, "peak_mb": max(own, kids) / 1024}))
""")


def clean_env() -> dict[str, str]:
    """The environment a user has: bytecode caches on (pip writes them), nothing of ours preset."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "IHANOI_WORKSPACE")}


def measure(code: str, cwd: Path | None = None, python: str = PY) -> dict[str, float]:
    out = subprocess.run([python, "-c", MEASURE, code], capture_output=True, text=True, check=True,
                         env=clean_env(), cwd=cwd)
    return json.loads(out.stdout.strip().splitlines()[-1])


def write_registry(root: Path, units: int, seed: int, campaign: Path) -> list[dict[str, str]]:
    """A city's worth of units: 40 % communes with residents, the rest agencies; ``campaign``: the campaign.toml
    both installations compared can read (the older one's, which ours reads as a workspace's older copy)."""
    rng = random.Random(seed)
    rows = []
    for i in range(units):
        commune = rng.random() < 0.4
        rows.append({"code": f"{'XA' if commune else 'PB'}-{i:05d}", "name": f"{'Xã' if commune else 'Phòng'} "
                     f"Thử Nghiệm Số {i:05d}", "group": "xa" if commune else "phong-ban",
                     "has_residents": "1" if commune else "0", "parent": "", "contact": ""})
    with (root / "units.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    shutil.copy(campaign, root / "campaign.toml")
    return rows


def make_inbox(root: Path, files: int, seed: int) -> Path:
    """N returned workbooks from the tool's own template, realistic figures, ~3 % with mistakes."""
    from openpyxl import load_workbook

    from ihanoi_report import form
    from ihanoi_report.config import load_campaign
    from ihanoi_report.form import form_file_name
    from ihanoi_report.units import load_registry
    from ihanoi_report.xlsx.forms import write_form

    campaign = load_campaign(root / "campaign.toml")
    registry = load_registry(root / "units.csv", campaign.groups)
    rng = random.Random(seed)
    inbox = root / "inbox"
    inbox.mkdir()
    rnd = campaign.round(3)
    for unit in list(registry)[:files]:
        path = inbox / form_file_name(unit, rnd, campaign.short_name)
        write_form(path, campaign, registry, unit, rnd)
        wb = load_workbook(path)
        ws = wb[form.SHEET_NAME]
        row = form.FIRST_DATA_ROW
        staff = rng.randint(10, 80)
        values = {"staff_total": staff, "staff_installed": rng.randint(staff * 9 // 10, staff)}
        if unit.has_residents:
            residents = rng.randint(5000, 25000)
            phones = int(residents * rng.uniform(0.6, 0.85))
            values |= {"residents": residents, "smartphones": phones,
                       "residents_installed": int(phones * rng.uniform(0.6, 0.95))}
        if rng.random() < 0.03:  # a clerk's mistake
            values["staff_installed"] = staff + rng.randint(1, 5)
        for key, value in values.items():
            ws[f"{form.by_key(campaign.declared)[key].letter}{row}"] = value
        ws[f"C{row + 2}"] = "15/8/2024"
        wb.save(path)
    return inbox


NAIVE = """
import glob, pandas as pd
bad = 0
for path in sorted(glob.glob(INBOX + "/*.xlsx")):
    frame = pd.read_excel(path, sheet_name=0, engine="openpyxl", header=None, skiprows=12, nrows=1, usecols="C:G")
    st, si, re, sp, ri = [frame.iat[0, i] for i in range(5)]
    bad += (si > st) or (pd.notna(sp) and (ri > sp or sp > re))
"""

FLOOR = """
import glob
from python_calamine import CalamineWorkbook
for path in sorted(glob.glob(INBOX + "/*.xlsx")):
    book = CalamineWorkbook.from_path(path)
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()
"""

INGEST = """
import shutil
from datetime import date
from pathlib import Path
Path(WS).mkdir()
for name in ("units.csv", "campaign.toml"):
    shutil.copy(Path(REG) / name, Path(WS) / name)
from ihanoi_report.__main__ import main
try:
    main(["ingest", INBOX, "--round", "3", "--workspace", WS, "--json"])
except SystemExit as done:
    assert done.code in (0, 1), done.code
"""

# What ingest's workers do, and nothing else: each file read, identified and checked, the reports dropped.
# SERIAL: one file after another in this process; else the sandbox's workers, as many as ingest starts.
EXAMINE = """
import functools
from pathlib import Path
from ihanoi_report.config import load_campaign
from ihanoi_report.ingest import Setup, _failed, examine_file
from ihanoi_report.sandbox import Job, default_workers, run_all
from ihanoi_report.units import load_registry
from datetime import date
campaign = load_campaign(Path(REG) / "campaign.toml")
registry = load_registry(Path(REG) / "units.csv", campaign.groups)
setup = Setup(registry, campaign, 3, date.today(), None, frozenset())
jobs = (Job(i, path, None) for i, path in enumerate(sorted(Path(INBOX).iterdir())))
work = functools.partial(examine_file, setup=setup)
if SERIAL:
    for job in jobs:
        work(job)
else:
    for _ in run_all(jobs, work, _failed, workers=default_workers()):
        pass
"""

# The same run as a person sees it: stdout and stderr on a terminal (a pseudo-terminal 100 columns wide,
# read by `cat` in another process, so that ingest still forks its workers), the progress bar drawn.
AT_TERMINAL = """
import fcntl, os, pty, struct, subprocess, sys, termios
master, slave = pty.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
reader = subprocess.Popen(["cat"], stdin=master, stdout=subprocess.DEVNULL)
saved = os.dup(1), os.dup(2), sys.stdout, sys.stderr
os.dup2(slave, 1)
os.dup2(slave, 2)
sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
try:
    exec(RUN)
finally:
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(saved[0], 1)
    os.dup2(saved[1], 2)
    sys.stdout, sys.stderr = saved[2], saved[3]
    os.close(slave)
    os.close(master)
    reader.wait()
"""

# The officer's usual second run: the same folder, every file already in the store (the ~3 % that were
# sent back are examined and sent back again).
INGEST_AGAIN = """
from ihanoi_report.__main__ import main
try:
    main(["ingest", INBOX, "--round", "3", "--workspace", WS, "--json"])
except SystemExit as done:
    assert done.code in (0, 1), done.code
"""

TEMPLATE_OURS = """
from ihanoi_report.__main__ import main
try:
    main(["template", "--round", "3", "--out", OUT, "--workspace", WS])
except SystemExit as done:
    assert done.code == 0, done.code
"""

TEMPLATE_PLAIN = """
from datetime import date
from pathlib import Path
from ihanoi_report.config import load_campaign
from ihanoi_report.units import load_registry
from ihanoi_report.form import form_file_name
from ihanoi_report.xlsx.forms import write_form
campaign = load_campaign(Path(WS) / "campaign.toml")
registry = load_registry(Path(WS) / "units.csv", campaign.groups)
rnd = campaign.round(3)
Path(OUT).mkdir()
for unit in registry.reporting_units():
    write_form(Path(OUT) / form_file_name(unit, rnd, campaign.short_name), campaign, registry, unit, rnd)
"""

CONSOLIDATE_OURS = """
from ihanoi_report.__main__ import main
try:
    main(["consolidate", "--round", "3", "--out", OUT, "--workspace", WS])
except SystemExit as done:
    assert done.code == 0, done.code
"""

CONSOLIDATE_PLAIN = """
import sqlite3, pandas as pd
db = sqlite3.connect(WS + "/ihanoi.sqlite")
figures = pd.read_sql("SELECT f.unit_code, f.column_key, f.value FROM figures f JOIN submissions s "
                      "ON s.id = f.submission_id WHERE s.round = 3 AND s.status = 'accepted'", db)
rows = figures.pivot(index="unit_code", columns="column_key", values="value").reset_index()
units = pd.read_csv(WS + "/units.csv", encoding="utf-8-sig")
table = units.merge(rows, left_on="code", right_on="unit_code", how="left")
totals = table.groupby("group")[["staff_total", "staff_installed", "residents", "smartphones",
                                 "residents_installed"]].sum()
with pd.ExcelWriter(OUT, engine="openpyxl") as writer:
    table.to_excel(writer, sheet_name="Tong hop", index=False)
    totals.to_excel(writer, sheet_name="Nhom")
"""


SEED_STORE = """
import csv, random
from datetime import date
from pathlib import Path
from ihanoi_report.config import Workspace
from ihanoi_report.model import Report, Row, Status
from ihanoi_report.store import Store

rng = random.Random(SEED)
with open(Path(WS) / "units.csv", encoding="utf-8-sig", newline="") as handle:
    registry = list(csv.DictReader(handle))
with Store(Workspace(Path(WS)).store_path) as store:
    for i, unit in enumerate(registry):
        staff = rng.randint(10, 80)
        counts = {"staff_total": staff, "staff_installed": staff - rng.randint(0, 2)}
        if unit["has_residents"] == "1":
            residents = rng.randint(5000, 25000)
            counts |= {"residents": residents, "smartphones": residents * 3 // 4,
                       "residents_installed": residents // 2}
        report = Report(f"f{i}.xlsx", unit=unit["code"], round=3, identified_by="metadata", sheet="Báo cáo",
                        sha256=f"{i:064x}", size=1, suffix=".xlsx", received_at="2024-08-15T00:00:00",
                        report_date=date(2024, 8, 15), rows=[Row(unit["code"], 13, counts)])
        store.record(report, status=Status.ACCEPTED)
"""


def seed_store(ws: Path, units: int, seed: int, python: str, campaign: Path) -> Path:
    """A workspace whose store holds an accepted round-3 report of each of N units (for consolidate), made by
    the installation of ``python``: a store is read by the version that wrote it, or a later one."""
    ws.mkdir()
    write_registry(ws, units, seed, campaign)
    code = f"WS = {str(ws)!r}\nSEED = {seed}\n" + SEED_STORE
    subprocess.run([python, "-c", code], check=True, env=clean_env())
    return ws


Spec = tuple[str, str, str, dict[str, str]] | tuple[str, str, str, dict[str, str], str]
# key, label, code, variables[, the python to run it with]


def timed(specs: list[Spec], repeat: int) -> dict[str, dict[str, Any]]:
    """Median seconds and peak memory of each spec over ``repeat`` rounds.

    The specs take turns (one run of each per round), so that a slow minute of this machine
    weighs on all of them alike and their ratios stay fair. ``{attempt}`` in a variable gives
    each round its own output.
    """
    runs: dict[str, list[dict[str, float]]] = {key: [] for key, *_ in specs}
    for attempt in range(repeat):
        for key, _label, code, variables, *python in specs:
            values = {k: v.format(attempt=attempt) for k, v in variables.items()}
            prefix = "".join(f"{k} = {v!r}\n" for k, v in values.items())
            runs[key].append(measure(prefix + code, python=python[0] if python else PY))
    results = {}
    for key, label, *_ in specs:
        result = {"seconds": statistics.median(r["seconds"] for r in runs[key]),
                  "peak_mb": max(r["peak_mb"] for r in runs[key]), "runs": [r["seconds"] for r in runs[key]]}
        print(f"  {label:<44} {result['seconds']:8.2f} s   peak {result['peak_mb']:7.0f} MB", file=sys.stderr)
        results[key] = result
    return results


def startup(commands: dict[str, list[str]], repeat: int = 21) -> dict[str, list[float]]:
    """Wall time of each command's runs, the commands taking turns."""
    times: dict[str, list[float]] = {key: [] for key in commands}
    for _ in range(repeat):
        for key, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True, env=clean_env())
            times[key].append(time.perf_counter() - start)
    return times


def spread(ratio: Callable[[Callable[[str], float]], float], runs: Mapping[str, Sequence[float]]) -> str:
    """The range of a ratio over the rounds: ``ratio`` computed from each round's runs alone (the runs of a
    round took turns, so they met the same minute of this machine)."""
    rounds = min(len(values) for values in runs.values())
    values = sorted(ratio(lambda key, i=i: runs[key][i]) for i in range(rounds))  # type: ignore[misc]
    return f"{values[0]:.2f}–{values[-1]:.2f}"


# What any Typer app with rich help pays for --help: two commands, nothing else.
SMALL_TYPER_APP = """
import typer
app = typer.Typer()
@app.command()
def hello(name: str, count: int = 1) -> None:
    \"\"\"Say hello.\"\"\"
@app.command()
def bye(name: str) -> None:
    \"\"\"Say goodbye.\"\"\"
app()
"""


PARTS = ("ingest", "template", "consolidate", "city", "help")


def city_inbox(root: Path) -> tuple[Path, Path]:
    """The city's workspace and an inbox of 30 districts' consolidated workbooks of round 3: the shipped
    samples consolidated by Ba Vì's workspace 30 times, each time under another district's code, name and heading."""
    import tomlkit

    from ihanoi_report.config import load_campaign
    from ihanoi_report.office import Office, demo, write_config
    from ihanoi_report.units import load_registry

    city, inbox = root / "city-reg", root / "city-inbox"
    if inbox.is_dir() and len(list(inbox.iterdir())) == 30:
        return city, inbox
    shutil.rmtree(inbox, ignore_errors=True)
    district = root / "city-district"
    shutil.rmtree(district, ignore_errors=True)
    demo(district)
    shutil.rmtree(city, ignore_errors=True)
    write_config(city, force=True, example="city")
    districts = load_registry(city / "units.csv", load_campaign(city / "campaign.toml").groups)
    config = tomlkit.parse((REPO / "templates" / "campaign.toml").read_text(encoding="utf-8"))
    for unit in districts:  # each workbook under its own district's code, name and heading, as the city receives them
        config["level"]["unit"] = unit.code  # type: ignore[index]
        config["campaign"]["district"] = unit.name  # type: ignore[index]
        config["campaign"]["authority"] = f"ỦY BAN NHÂN DÂN {unit.name.upper()}"  # type: ignore[index]
        (district / "campaign.toml").write_text(tomlkit.dumps(config), encoding="utf-8")
        office = Office.open(district)
        office.consolidate(office.campaign.round(3), inbox / f"{unit.code}.xlsx", "xlsx", force=True,
                           written_on=date(2024, 8, 21))
    return city, inbox


def city_accepted(city: Path, inbox: Path, workspace: Path) -> int:
    """How many of the city inbox's workbooks a fresh city workspace accepts."""
    from ihanoi_report.model import Verdict

    shutil.rmtree(workspace, ignore_errors=True)
    workspace.mkdir()
    for name in ("units.csv", "campaign.toml"):
        shutil.copy(city / name, workspace / name)
    done = subprocess.run([PY, "-m", "ihanoi_report", "ingest", str(inbox), "--round", "3", "--workspace",
                           str(workspace), "--json"], capture_output=True, text=True, env=clean_env())
    kept = (Verdict.ACCEPTED, Verdict.ACCEPTED_WITH_WARNINGS)
    return sum(1 for f in json.loads(done.stdout)["files"] if f["verdict"] in kept)


def shipped_campaign(python: str) -> Path:
    """The campaign.toml shipped with the installation of ``python``."""
    code = "from ihanoi_report.config import shipped_dir; print(shipped_dir('templates') / 'campaign.toml')"
    return Path(subprocess.run([python, "-c", code], capture_output=True, text=True, check=True,
                               env=clean_env()).stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--units", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (its inbox is reused)")
    parser.add_argument("--only", choices=PARTS, action="append", help="run only these parts (repeatable)")
    parser.add_argument("--against", help="another installation's python: its ingest and template, in turn with ours")
    args = parser.parse_args()
    parts = args.only or PARTS
    root = args.keep or Path(tempfile.mkdtemp(prefix="ihanoi-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    stale = ("ws[0-9]*", "wq[0-9]*", "wa[0-9]*", "wb[0-9]*", "wt[0-9]*", "wj[0-9]*", "wc[0-9]*", "forms*", "plain*",
             "th[0-9]*", "tha[0-9]*")
    for old in [p for pattern in stale for p in root.glob(pattern)]:
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    n = args.files
    reg_dir, inbox = root / "reg", root / "reg" / "inbox"
    campaign_file = shipped_campaign(args.against or PY)  # both installations must read the kept folder's too
    kept_campaign = reg_dir / "campaign.toml"
    if not (inbox.is_dir() and len(list(inbox.iterdir())) == n and kept_campaign.is_file()
            and kept_campaign.read_bytes() == campaign_file.read_bytes()):
        print(f"preparing {n} returned workbooks in {root} …", file=sys.stderr)
        shutil.rmtree(reg_dir, ignore_errors=True)
        reg_dir.mkdir()
        write_registry(reg_dir, n, args.seed, campaign_file)
        make_inbox(reg_dir, n, args.seed)
    small = root / "small"
    shutil.rmtree(small, ignore_errors=True)
    small.mkdir()
    for path in sorted(inbox.iterdir())[: max(1, n // 4)]:
        shutil.copy(path, small / path.name)
    quarter_n = len(list(small.iterdir()))
    reg = str(reg_dir)
    # Byte-compile once, as pip does on install, so that no run below pays for it.
    for python in {PY, args.against or PY}:
        subprocess.run([python, "-m", "compileall", "-q", str(Path(subprocess.run(
            [python, "-c", "import ihanoi_report, os; print(os.path.dirname(ihanoi_report.__file__))"],
            capture_output=True, text=True, check=True, env=clean_env()).stdout.strip()))], check=True, env=clean_env())
    results: dict[str, dict[str, Any]] = {}
    rows: list[tuple[str, str, str, float, str, bool | None]] = []
    spreads: dict[str, str] = {}  # a row's measure -> its ratio's range over the rounds

    against: list[Spec] = []
    if "ingest" in parts and args.against:
        against.append(("ingest-against", "the --against install's ingest", INGEST,
                        {"INBOX": str(inbox), "WS": str(root / "wa{attempt}"), "REG": reg}, args.against))
        against.append(("ingest-against-quarter", "the --against install's ingest, a quarter", INGEST,
                        {"INBOX": str(small), "WS": str(root / "wb{attempt}"), "REG": reg}, args.against))
    if "ingest" in parts:
        print("ingest:", file=sys.stderr)
        shown = INGEST.replace(', "--json"]', "]")
        at_terminal = [
            ("ingest-terminal", "ihanoi-report ingest at a terminal", AT_TERMINAL,
             {"RUN": shown, "INBOX": str(inbox), "WS": str(root / "wt{attempt}"), "REG": reg}),
            ("ingest-terminal-json", "ihanoi-report ingest --json at a terminal", AT_TERMINAL,
             {"RUN": INGEST, "INBOX": str(inbox), "WS": str(root / "wj{attempt}"), "REG": reg}),
        ]
        results |= timed([
            ("ingest", "ihanoi-report ingest", INGEST,
             {"INBOX": str(inbox), "WS": str(root / "ws{attempt}"), "REG": reg}),
            *against,
            ("ingest-quarter", f"ihanoi-report ingest ({quarter_n} files)", INGEST,
             {"INBOX": str(small), "WS": str(root / "wq{attempt}"), "REG": reg}),
            ("ingest-again", "ihanoi-report ingest, same folder again", INGEST_AGAIN,
             {"INBOX": str(inbox), "WS": str(root / "ws{attempt}")}),
            ("naive", "pandas.read_excel(openpyxl) + checks", NAIVE, {"INBOX": str(inbox)}),
            ("floor", "python-calamine to lists", FLOOR, {"INBOX": str(inbox)}),
            ("floor-quarter", f"python-calamine to lists ({quarter_n} files)", FLOOR, {"INBOX": str(small)}),
            ("examine", "examination alone, in the workers", EXAMINE, {"INBOX": str(inbox), "REG": reg, "SERIAL": ""}),
            ("examine-quarter", f"examination alone, in the workers ({quarter_n})", EXAMINE,
             {"INBOX": str(small), "REG": reg, "SERIAL": ""}),
            ("serial", "examination alone, in one process", EXAMINE, {"INBOX": str(inbox), "REG": reg, "SERIAL": "1"}),
            ("serial-quarter", f"examination alone, in one process ({quarter_n})", EXAMINE,
             {"INBOX": str(small), "REG": reg, "SERIAL": "1"}),
            *at_terminal,
        ], args.repeat)
        per = {k: results[k]["seconds"] / n * 1000 for k in ("ingest", "naive", "floor")}
        per_again = results["ingest-again"]["seconds"] / n * 1000

        def slope(kind: str) -> float:
            """ms a file costs beyond the run's fixed start: what the run of all files adds to a quarter's."""
            return (results[kind]["seconds"] - results[f"{kind}-quarter"]["seconds"]) / (n - quarter_n) * 1000

        growth = results["ingest"]["peak_mb"] / results["ingest-quarter"]["peak_mb"]
        runs = {key: value["runs"] for key, value in results.items()}

        def slope_in(run: Callable[[str], float], kind: str) -> float:
            return (run(kind) - run(f"{kind}-quarter")) / (n - quarter_n) * 1000

        slope_row = "ingest's per-file cost (slope, a quarter to all files) vs the floor's"
        spreads[slope_row] = spread(lambda run: slope_in(run, "ingest") / slope_in(run, "floor"), runs)
        spreads["ingest vs calamine floor"] = spread(lambda run: run("ingest") / run("floor"), runs)
        examined_row = "examination alone in the workers (no store, no output): slope vs the floor's"
        serial_row = "examination alone in one process: slope vs the floor's"
        spreads[examined_row] = spread(lambda run: slope_in(run, "examine") / slope_in(run, "floor"), runs)
        spreads[serial_row] = spread(lambda run: slope_in(run, "serial") / slope_in(run, "floor"), runs)
        rows += [
            ("ingest, ms per file", f"{per['ingest']:.2f}", f"naive {per['naive']:.2f}",
             per["naive"] / per["ingest"], ">= 15x faster", per["naive"] / per["ingest"] >= 15),
            ("ingest vs calamine floor", f"{per['ingest']:.2f}", f"floor {per['floor']:.2f}",
             per["ingest"] / per["floor"], "<= 2x the floor", per["ingest"] / per["floor"] <= 2),
            (slope_row, f"{slope('ingest'):.2f}",
             f"floor {slope('floor'):.2f}", slope("ingest") / slope("floor"), "<= 1.5x",
             slope("ingest") / slope("floor") <= 1.5),
            (examined_row, f"{slope('examine'):.2f}",
             f"floor {slope('floor'):.2f}", slope("examine") / slope("floor"), "(for information)", None),
            (serial_row, f"{slope('serial'):.2f}",
             f"floor {slope('floor'):.2f}", slope("serial") / slope("floor"), "(for information)", None),
            ("ingest again (all already received), ms per file", f"{per_again:.2f}", f"first run {per['ingest']:.2f}",
             per_again / per["ingest"], "(for information)", None),
            (f"ingest peak MB, {quarter_n} vs {n} files", f"{results['ingest']['peak_mb']:.0f}",
             f"{results['ingest-quarter']['peak_mb']:.0f}", growth, "flat (<= 1.10x)", growth <= 1.10),
        ]
        shown_ms = results["ingest-terminal"]["seconds"] / n * 1000
        json_ms = results["ingest-terminal-json"]["seconds"] / n * 1000
        rows += [
            ("ingest at a terminal (summary shown), ms per file", f"{shown_ms:.2f}", f"naive {per['naive']:.2f}",
             per["naive"] / shown_ms, ">= 15x faster", per["naive"] / shown_ms >= 15),
            ("ingest at a terminal, summary vs --json", f"{shown_ms:.2f}", f"--json {json_ms:.2f}",
             shown_ms / json_ms, "<= 1.1x", shown_ms <= json_ms * 1.1),
        ]
        if args.against:
            before = results["ingest-against"]["seconds"] / n * 1000
            rows.append(("ingest vs --against, ms per file", f"{per['ingest']:.2f}", f"against {before:.2f}",
                         per["ingest"] / before, "<= 1.1x (at most 10 % slower)", per["ingest"] <= before * 1.1))
            spreads["ingest's slope vs --against's"] = spread(
                lambda run: slope_in(run, "ingest") / slope_in(run, "ingest-against"), runs)
            rows.append(("ingest's slope vs --against's", f"{slope('ingest'):.2f}",
                         f"against {slope('ingest-against'):.2f}", slope("ingest") / slope("ingest-against"),
                         "<= 1x (no slower)", slope("ingest") <= slope("ingest-against") * 1.02))

    if "template" in parts:
        print("template:", file=sys.stderr)
        before_template: list[Spec] = []
        if args.against:
            before_template.append(("template-against", "the --against install's template", TEMPLATE_OURS,
                                    {"OUT": str(root / "forms-a{attempt}"), "WS": reg}, args.against))
        results |= timed([
            ("template", "ihanoi-report template", TEMPLATE_OURS, {"OUT": str(root / "forms{attempt}"), "WS": reg}),
            ("template-plain", "plain loop of write_form", TEMPLATE_PLAIN,
             {"OUT": str(root / "plain{attempt}"), "WS": reg}),
            *before_template,
        ], args.repeat)
        ours, plain = results["template"]["seconds"], results["template-plain"]["seconds"]
        rows.append((f"template, s for {n} units", f"{ours:.2f}", f"plain {plain:.2f}", ours / plain,
                     "<= 1x the plain loop (5 % noise)", ours <= plain * 1.05))
        rows.append(("template, ms a form (start-up included)", f"{ours / n * 1000:.2f}", "-", ours / n * 1000,
                     "<= 3 ms", ours / n * 1000 <= 3))
        spreads["template, ms a form (start-up included)"] = spread(
            lambda run: run("template") / n * 1000, {k: v["runs"] for k, v in results.items()})
        if args.against:
            before = results["template-against"]["seconds"]
            rows.append((f"template vs --against, s for {n} units", f"{ours:.2f}", f"against {before:.2f}",
                         ours / before, "(for information)", None))

    if "consolidate" in parts:
        print("consolidate:", file=sys.stderr)
        campaign = campaign_file
        ws, ws_against = root / "ws-consolidate", root / "ws-consolidate-against"
        for folder, python in ((ws, PY), (ws_against, args.against)):
            made_from = folder / "campaign.toml"  # a kept store made from another campaign.toml is made again
            if python and not ((folder / "ihanoi.sqlite").exists() and made_from.is_file()
                               and made_from.read_bytes() == campaign.read_bytes()):
                shutil.rmtree(folder, ignore_errors=True)
                seed_store(folder, args.units, args.seed, python, campaign)
        before_consolidate: list[Spec] = []
        if args.against:
            before_consolidate.append(("consolidate-against", "the --against install's consolidate",
                                       CONSOLIDATE_OURS, {"OUT": str(root / "tha{attempt}.xlsx"),
                                                          "WS": str(ws_against)}, args.against))
        results |= timed([
            ("consolidate", f"ihanoi-report consolidate ({args.units} units)", CONSOLIDATE_OURS,
             {"OUT": str(root / "th{attempt}.xlsx"), "WS": str(ws)}),
            ("consolidate-plain", "pandas sums + DataFrame.to_excel", CONSOLIDATE_PLAIN,
             {"OUT": str(root / "plain{attempt}.xlsx"), "WS": str(ws)}),
            *before_consolidate,
        ], args.repeat)
        ours, plain = results["consolidate"]["seconds"], results["consolidate-plain"]["seconds"]
        rows.append((f"consolidate, s for {args.units} units", f"{ours:.2f}", f"plain {plain:.2f}", ours / plain,
                     "<= 1x the plain loop (5 % noise)", ours <= plain * 1.05))
        spreads[f"consolidate, s for {args.units} units"] = spread(
            lambda run: run("consolidate") / run("consolidate-plain"), {k: v["runs"] for k, v in results.items()})
        if args.against:
            before = results["consolidate-against"]["seconds"]
            rows.append((f"consolidate vs --against, s for {args.units} units", f"{ours:.2f}",
                         f"against {before:.2f}", ours / before, "<= 1.1x (at most 10 % slower)",
                         ours <= before * 1.1))

    if "city" in parts:
        print("city:", file=sys.stderr)
        city, city_files = city_inbox(root)
        results |= timed([("city", "ihanoi-report ingest, 30 districts' workbooks at the city", INGEST,
                           {"INBOX": str(city_files), "WS": str(root / "wc{attempt}"), "REG": str(city)})],
                         args.repeat)
        took = results["city"]["seconds"]
        accepted = city_accepted(city, city_files, root / "wc-check")
        if accepted != 30:  # else the row would time rejections, not the city's work
            sys.exit(f"city: {accepted} of the 30 district workbooks were accepted, not 30")
        rows.append(("city: ingest of 30 district workbooks, s", f"{took:.2f}", "-", took, "< 1 s", took < 1.0))

    if "help" in parts:
        print("start-up:", file=sys.stderr)
        beside = Path(PY).parent / "ihanoi-report"
        exe = str(beside) if beside.exists() else (shutil.which("ihanoi-report") or "ihanoi-report")
        small_app = root / "small_typer_app.py"
        small_app.write_text(SMALL_TYPER_APP, encoding="utf-8")
        times = startup({"help": [exe, "--help"], "typer": [PY, "-c", "import typer"],
                         "small": [PY, str(small_app), "--help"]})
        help_s, typer_s, small_s = (statistics.median(times[key]) for key in ("help", "typer", "small"))
        spreads["--help, ms"] = spread(lambda run: run("help") / run("typer"), times)
        rows.append(("--help, ms", f"{help_s * 1000:.0f}", f"import typer {typer_s * 1000:.0f}", help_s / typer_s,
                     "<= 2x import typer", help_s / typer_s <= 2.0))
        rows.append(("--help of a two-command Typer app, ms", f"{small_s * 1000:.0f}",
                     f"import typer {typer_s * 1000:.0f}", small_s / typer_s, "(for information)", None))

    print()
    print("| measure | ihanoi-report | baseline | ratio | ratio's range over the rounds | target | met |")
    print("|---|---|---|---|---|---|---|")
    for name, ours_text, base, ratio, target, met in rows:
        shown = "—" if met is None else "yes" if met else "NO"
        print(f"| {name} | {ours_text} | {base} | {ratio:.3f} | {spreads.get(name, '—')} | {target} | {shown} |")
    print(f"\n({os.cpu_count()} cores; median of {args.repeat} interleaved rounds (--help: 21); each run a fresh "
          "process; the range: the ratio of each round's own runs)")
    import ihanoi_report

    if Path(ihanoi_report.__file__).resolve().is_relative_to(REPO / "src"):
        print("(ihanoi_report is imported from the source tree, an editable install: every start pays for its "
              "path finder; a user's `pip install .` starts faster)")
    if args.keep is None:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
