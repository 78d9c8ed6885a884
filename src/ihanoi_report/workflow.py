"""The library calls behind `consolidate`, `status` and `demo`: read the store, compute, write."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import pandas as pd

from ihanoi_report.config import Campaign, Round, Workspace, format_date, shipped_dir
from ihanoi_report.consolidate import Consolidation, consolidate, reporting_status, trend
from ihanoi_report.errors import NothingToReport, UsageError
from ihanoi_report.files import write_atomically
from ihanoi_report.form import code_in_file_name, form_file_name
from ihanoi_report.ingest import ingest_entries, walk
from ihanoi_report.messages import t
from ihanoi_report.model import Finding, IngestResult, Lineage, Report
from ihanoi_report.reader import SPREADSHEET_SUFFIXES
from ihanoi_report.report import write_csv, write_json, write_workbook
from ihanoi_report.store import Store
from ihanoi_report.units import Registry, slug


@dataclass(frozen=True)
class RoundView:
    """Everything known about one round: the consolidation, who reported, the warnings kept, the files used."""

    result: Consolidation
    status: pd.DataFrame
    warnings: list[tuple[str, str, Finding]]
    trend: pd.DataFrame
    rounds: list[int]
    accepted: list[Report]
    lineage: dict[str, Lineage]


def round_view(
    workspace: Workspace, campaign: Campaign, registry: Registry, rnd: Round, *, require_reports: bool = False
) -> RoundView:
    """Read the round from the store, never creating or changing it (NothingToReport when there is none).

    ``require_reports``: no accepted report for the round is NothingToReport too, not an empty table.
    """
    with Store(workspace.store_path, readonly=True) as store:
        rounds = [r.number for r in campaign.rounds if r.number <= rnd.number]
        history = {number: store.accepted(number) for number in rounds}
        accepted = history[rnd.number]
        if require_reports and not accepted:
            raise NothingToReport(
                t("nothing-accepted", round=rnd.number), t("nothing-accepted-hint", round=rnd.number)
            )
        rejected = store.rejected_units(rnd.number)
        warnings = store.kept_findings(rnd.number)
        lineage = store.lineage(rnd.number)
    result = consolidate(registry, campaign, rnd, accepted)
    status = reporting_status(registry, rnd, accepted, rejected)
    trend_frame = trend(registry, campaign, history, known=result)
    return RoundView(result, status, warnings, trend_frame, rounds, accepted, lineage)


def default_output(rnd: Round, fmt: str) -> Path:
    return Path(f"Tong-hop-iHanoi-lan-{rnd.number}.{fmt}")


def write_consolidation(
    view: RoundView, campaign: Campaign, registry: Registry, path: Path, fmt: str, *, force: bool
) -> Path:
    if fmt == "csv":
        return write_csv(view.result, path, force=force)
    if fmt == "json":
        return write_json(view.result, path, force=force)
    return write_workbook(path, view, campaign, registry.groups, force=force)


def reminders(view: RoundView, campaign: Campaign, registry: Registry) -> list[dict[str, Any]]:
    """A ready-to-send message for every unit that has not reported (or was sent back)."""
    rnd = view.result.round
    out = []
    for _, row in view.status[view.status["status"].isin(["missing", "rejected"])].iterrows():
        unit = registry.get(str(row["code"]))
        assert unit is not None
        template = campaign.report.reminder_rejected if row["status"] == "rejected" else campaign.report.reminder
        text = template.format(
            name=unit.name,
            office=campaign.receiving_office,
            round=rnd.number,
            due=format_date(rnd.due),
            file=form_file_name(unit, rnd),
        )
        out.append(
            {"code": unit.code, "name": unit.name, "contact": unit.contact, "status": row["status"], "message": text}
        )
    return out


DEMO_MARKER = ".ihanoi-demo"


@dataclass(frozen=True)
class DemoResult:
    workspace: Path
    batches: dict[int, IngestResult]
    workbook: Path
    view: RoundView


def run_demo(
    directory: Path | None,
    campaign: Campaign,
    registry: Registry,
    consolidate_round: int = 3,
    progress: Callable[[int], Callable[[], None]] | None = None,
) -> DemoResult:
    """Ingest the shipped samples of rounds 1-4 into a fresh workspace and consolidate one round."""
    root = directory if directory is not None else Path(tempfile.mkdtemp(prefix="ihanoi-demo-"))
    marker = root / DEMO_MARKER
    # The demo fills a store with sample data: never in a real workspace, only in an empty folder or an old demo.
    if root.is_dir() and any(root.iterdir()) and not marker.exists():
        raise UsageError(t("demo-folder-not-empty", path=root), t("demo-folder-not-empty-hint"))
    if marker.exists():
        for stale in (root / "ihanoi.sqlite", root / "ihanoi.sqlite-wal", root / "ihanoi.sqlite-shm"):
            stale.unlink(missing_ok=True)
    root.mkdir(parents=True, exist_ok=True)
    marker.write_text("ihanoi-report demo\n", encoding="utf-8")
    workspace = Workspace(root.resolve())
    samples = shipped_dir("samples")
    batches: dict[int, IngestResult] = {}
    now = datetime.now()
    for rnd in campaign.rounds:
        entries = list(walk(samples / f"round-{rnd.number}"))
        advance = progress(len(entries)) if progress is not None else None
        batches[rnd.number] = ingest_entries(
            entries, workspace, campaign, registry, rnd.number, progress=advance, now=now
        )
    target = campaign.round(consolidate_round)
    view = round_view(workspace, campaign, registry, target)
    path = write_consolidation(
        view, campaign, registry, workspace.root / default_output(target, "xlsx"), "xlsx", force=True
    )
    return DemoResult(workspace.root, batches, path, view)


def export_originals(workspace: Workspace, round_number: int, out_dir: Path, *, force: bool) -> list[Path]:
    """The round's accepted files as received, one per unit, named <unit code>_<name as sent>."""
    written = []
    with Store(workspace.store_path, readonly=True) as store:
        for unit_code, source, data in store.originals(round_number):
            name = PureWindowsPath(PurePosixPath(source).name)  # a name only, whatever wrote the path
            suffix = name.suffix.lower() if name.suffix.lower() in SPREADSHEET_SUFFIXES else ".bin"
            target = out_dir / f"{code_in_file_name(unit_code)}_{slug(name.stem, 60)}{suffix}"
            written.append(write_atomically(target, partial(Path.write_bytes, data=data), force=force))
    return written
