"""The consolidation of a round, and the ranking, as CSV and JSON, for other programs (no spreadsheet library)."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

from ihanoi_report.consolidate import Consolidation
from ihanoi_report.files import atomic_path, check_writable
from ihanoi_report.ranking import Ranking, figures_text
from ihanoi_report.values import plain


def _csv_safe(value: Any) -> Any:
    """Neutralise text that a spreadsheet would run as a formula when it opens the CSV."""
    value = plain(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_csv(result: Consolidation, path: Path, *, force: bool) -> Path:
    check_writable(path, force)
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(result.columns)
        for _, unit in result.units.iterrows():
            writer.writerow([_csv_safe(unit[c]) for c in result.columns])
    return path


def as_json(result: Consolidation) -> dict[str, Any]:
    units = [
        {c: (v.isoformat() if isinstance(v, date) else v) for c, v in ((c, plain(unit[c])) for c in result.columns)}
        for _, unit in result.units.iterrows()
    ]
    groups = {code: {k: plain(v) for k, v in row.items()} for code, row in result.groups.iterrows()}
    return {
        "round": result.round.number,
        "due": result.round.due.isoformat(),
        "district": {k: plain(v) for k, v in result.district.items()},
        "groups": groups,
        "units": units,
    }


def write_json(result: Consolidation, path: Path, *, force: bool) -> Path:
    check_writable(path, force)
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(as_json(result), ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def write_ranking_csv(ranking: Ranking, path: Path, *, force: bool) -> Path:
    check_writable(path, force)
    rows = ranking.rows()
    figures = [key for key in (rows[0] if rows else {}) if key.endswith("_figures")]
    columns = ["group", "rank", "code", "name", *(c.key for c in ranking.criteria), *figures, "total", "days_early",
               "proposal"]
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:  # a criterion's figures as "45/50", as the workbook writes them
            writer.writerow([_csv_safe(figures_text(row[c]) if c in figures else row[c]) for c in columns])
    return path


def write_ranking_json(ranking: Ranking, path: Path, *, force: bool) -> Path:
    check_writable(path, force)
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(ranking.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    return path
