"""The registry of checks and the checks themselves: pure functions, Submission -> Findings.

Every code here has a severity and a sentence in messages.py; `ihanoi-report rules` and the
README's table are drawn from RULES. Targets and thresholds come from campaign.toml.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ihanoi_report import form
from ihanoi_report.config import Campaign, Round, format_date
from ihanoi_report.findings import Finding, Severity
from ihanoi_report.reader import RawRow, Submission
from ihanoi_report.units import Unit, name_key
from ihanoi_report.values import Problem, is_blank, parse_count, shown

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    stage: str  # read | identify | values | consistency | target | history | timeliness


RULES: tuple[Rule, ...] = (
    Rule("file-unreadable", E, "read"),
    Rule("file-encrypted", E, "read"),
    Rule("not-a-spreadsheet", E, "read"),
    Rule("file-format-unsupported", E, "read"),
    Rule("file-too-large", E, "read"),
    Rule("form-not-found", E, "read"),
    Rule("unit-unknown", E, "identify"),
    Rule("unit-ambiguous", E, "identify"),
    Rule("round-mismatch", E, "identify"),
    Rule("round-unknown", E, "identify"),
    Rule("campaign-mismatch", E, "identify"),
    Rule("form-version-unknown", I, "identify"),
    Rule("row-unknown", E, "values"),
    Rule("row-missing", E, "values"),
    Rule("value-missing", E, "values"),
    Rule("value-not-integer", E, "values"),
    Rule("value-negative", E, "values"),
    Rule("value-formula-no-result", E, "values"),
    Rule("value-not-expected", I, "values"),
    Rule("staff-installed-gt-total", E, "consistency"),
    Rule("installed-gt-smartphones", E, "consistency"),
    Rule("smartphones-gt-residents", E, "consistency"),
    Rule("total-row-mismatch", E, "consistency"),
    Rule("staff-target-missed", W, "target"),
    Rule("resident-target-missed", W, "target"),
    Rule("count-fell", W, "history"),
    Rule("residents-changed-sharply", W, "history"),
    Rule("smartphone-share-outlier", W, "history"),
    Rule("late-report", W, "timeliness"),
    Rule("resubmission", I, "history"),
)
SEVERITY: dict[str, Severity] = {rule.code: rule.severity for rule in RULES}


@dataclass(frozen=True)
class Where:
    """The file, sheet, unit and round findings of one submission are about."""

    file: str
    sheet: str = ""
    unit: str = ""
    round: int | None = None

    def finding(self, code: str, cell: str = "", value: object = "", *, unit: str = "", **args: Any) -> Finding:
        return Finding(
            code,
            SEVERITY[code],
            self.file,
            self.sheet,
            cell,
            unit or self.unit,
            self.round,
            shown(value) if value != "" else "",
            args,
        )


@dataclass(frozen=True)
class CountedRow:
    """The figures of one unit (a form's own row or a sub-unit's row), with their cell addresses."""

    unit: Unit
    row: int
    counts: dict[str, int]
    cells: dict[str, str]


def _column_name(key: str) -> str:
    column = form.BY_KEY[key]
    return f"cột {column.number} - {column.label}"


def read_values(sub: Submission, members: Sequence[Unit], where: Where) -> tuple[list[CountedRow], list[Finding]]:
    """Match the table's rows to the unit and its sub-units, and parse every count."""
    findings: list[Finding] = []
    matched: list[tuple[Unit, RawRow]] = []
    if len(members) == 1:
        if sub.rows:
            own = [r for r in sub.rows if name_key(r.name) == name_key(members[0].name)]
            matched.append((members[0], own[0] if own else sub.rows[0]))
    else:
        by_key = {name_key(u.name): u for u in members}
        for raw in sub.rows:
            unit = by_key.get(name_key(raw.name))
            if unit is None:
                findings.append(where.finding("row-unknown", sub.address(form.NAME.key, raw.row), raw.name))
            elif all(u is not unit for u, _ in matched):
                matched.append((unit, raw))
    seen = {u.code for u, _ in matched}
    for unit in members:
        if unit.code not in seen:
            findings.append(where.finding("row-missing", "", unit.name, unit=unit.code))

    rows: list[CountedRow] = []
    for unit, raw in matched:
        inputs = form.COUNT_COLUMNS if unit.has_residents else form.STAFF_COLUMNS
        counts: dict[str, int] = {}
        cells = {c.key: sub.address(c.key, raw.row) for c in form.COUNT_COLUMNS}
        for column in form.COUNT_COLUMNS:
            value, cell = raw.cells.get(column.key), cells[column.key]
            required = column in inputs
            if required and is_blank(value) and cell in sub.formula_cells:
                findings.append(
                    where.finding("value-formula-no-result", cell, unit=unit.code, column=_column_name(column.key))
                )
                continue
            parsed = parse_count(value, required=required)
            if not required:
                if not parsed.empty and parsed.count != 0:
                    findings.append(
                        where.finding(
                            "value-not-expected", cell, value, unit=unit.code, column=_column_name(column.key)
                        )
                    )
                continue
            if parsed.problem is Problem.MISSING:
                findings.append(where.finding("value-missing", cell, unit=unit.code, column=_column_name(column.key)))
            elif parsed.problem is not None:
                findings.append(
                    where.finding(
                        parsed.problem.value, cell, parsed.found, unit=unit.code, column=_column_name(column.key)
                    )
                )
            elif parsed.count is not None:
                counts[column.key] = parsed.count
        rows.append(CountedRow(unit, raw.row, counts, cells))
    return rows, findings


_PAIRS = (
    ("staff-installed-gt-total", form.STAFF_INSTALLED.key, form.STAFF_TOTAL.key),
    ("installed-gt-smartphones", form.RESIDENTS_INSTALLED.key, form.SMARTPHONES.key),
    ("smartphones-gt-residents", form.SMARTPHONES.key, form.RESIDENTS.key),
)


def check_consistency(rows: Sequence[CountedRow], where: Where) -> list[Finding]:
    """Installed <= smartphone owners <= residents; staff installed <= staff."""
    findings: list[Finding] = []
    for row in rows:
        for code, part, whole in _PAIRS:
            if part in row.counts and whole in row.counts and row.counts[part] > row.counts[whole]:
                findings.append(
                    where.finding(code, row.cells[part], row.counts[part], unit=row.unit.code, limit=row.counts[whole])
                )
    return findings


def check_total(sub: Submission, rows: Sequence[CountedRow], members: Sequence[Unit], where: Where) -> list[Finding]:
    """A total row must equal the sum of the rows above it, column by column."""
    if sub.total is None or len(members) < 2:
        return []
    findings: list[Finding] = []
    for column in form.COUNT_COLUMNS:
        cell = sub.address(column.key, sub.total.row)
        value = sub.total.cells.get(column.key)
        if is_blank(value):
            if cell in sub.formula_cells:
                findings.append(where.finding("value-formula-no-result", cell, column=_column_name(column.key)))
            continue
        parsed = parse_count(value)
        if parsed.count is None:
            findings.append(
                where.finding(
                    (parsed.problem or Problem.NOT_INTEGER).value, cell, parsed.found, column=_column_name(column.key)
                )
            )
            continue
        expected = [r.counts.get(column.key) for r in rows if column in _inputs(r.unit)]
        if expected and all(v is not None for v in expected):
            total = sum(v for v in expected if v is not None)
            if parsed.count != total:
                findings.append(where.finding("total-row-mismatch", cell, parsed.count, limit=total))
    return findings


def _inputs(unit: Unit) -> tuple[form.Column, ...]:
    return form.COUNT_COLUMNS if unit.has_residents else form.STAFF_COLUMNS


def _percent(share: float) -> str:
    """A share written the Vietnamese way: 96,7%."""
    return f"{share:.1%}".replace(".", ",")


def check_targets(rows: Sequence[CountedRow], campaign: Campaign, rnd: Round, where: Where) -> list[Finding]:
    """From the first round due after a target's deadline, a unit below it is "chưa đạt" (warning)."""
    findings: list[Finding] = []
    checks = (
        ("staff", "staff-target-missed", form.STAFF_INSTALLED.key, form.STAFF_TOTAL.key),
        ("residents", "resident-target-missed", form.RESIDENTS_INSTALLED.key, form.SMARTPHONES.key),
    )
    for target_key, code, part, whole in checks:
        if not campaign.target_applies(target_key, rnd):
            continue
        target = campaign.targets[target_key]
        for row in rows:
            if part in row.counts and whole in row.counts and row.counts[whole] > 0:
                needed = math.ceil(target.share * row.counts[whole] - 1e-9)
                if row.counts[part] < needed:
                    findings.append(
                        where.finding(
                            code,
                            row.cells[part],
                            row.counts[part],
                            unit=row.unit.code,
                            limit=row.counts[whole],
                            who=row.unit.name,
                            share=_percent(row.counts[part] / row.counts[whole]),
                            target=f"{target.share:.0%}",
                            deadline=format_date(target.deadline),
                        )
                    )
    return findings


def check_history(
    rows: Sequence[CountedRow],
    previous: Mapping[str, Mapping[str, int]],
    previous_round: int | None,
    campaign: Campaign,
    where: Where,
) -> list[Finding]:
    """Against the unit's last accepted report of an earlier round: counts that fell, residents that jumped."""
    if previous_round is None:
        return []
    findings: list[Finding] = []
    for row in rows:
        before = previous.get(row.unit.code)
        if not before:
            continue
        for key in (form.STAFF_INSTALLED.key, form.RESIDENTS_INSTALLED.key):
            if key in row.counts and key in before and row.counts[key] < before[key]:
                findings.append(
                    where.finding(
                        "count-fell",
                        row.cells[key],
                        row.counts[key],
                        unit=row.unit.code,
                        previous=before[key],
                        previous_round=previous_round,
                        column=_column_name(key),
                    )
                )
        key = form.RESIDENTS.key
        if key in row.counts and before.get(key):
            change = (row.counts[key] - before[key]) / before[key]
            if abs(change) > campaign.checks.resident_change:
                findings.append(
                    where.finding(
                        "residents-changed-sharply",
                        row.cells[key],
                        row.counts[key],
                        unit=row.unit.code,
                        previous=before[key],
                        previous_round=previous_round,
                        change=f"{change:+.0%}",
                    )
                )
    return findings


def smartphone_share(counts: Mapping[str, int]) -> float | None:
    residents = counts.get(form.RESIDENTS.key)
    phones = counts.get(form.SMARTPHONES.key)
    if not residents or phones is None:
        return None
    return phones / residents


@dataclass(frozen=True)
class ShareStats:
    """Count, sum and sum of squares of shares: mean and spread of "the others" in O(1)."""

    n: int = 0
    total: float = 0.0
    total_sq: float = 0.0

    @classmethod
    def of(cls, shares: Iterable[float]) -> ShareStats:
        values = list(shares)
        return cls(len(values), math.fsum(values), math.fsum(v * v for v in values))

    def plus(self, share: float) -> ShareStats:
        return ShareStats(self.n + 1, self.total + share, self.total_sq + share * share)

    def without(self, share: float) -> ShareStats:
        return ShareStats(self.n - 1, self.total - share, self.total_sq - share * share)

    @property
    def mean(self) -> float:
        return self.total / self.n if self.n else 0.0

    @property
    def spread(self) -> float:
        """Population standard deviation."""
        if not self.n:
            return 0.0
        return math.sqrt(max(0.0, self.total_sq / self.n - self.mean**2))


def check_outlier(rows: Sequence[CountedRow], others: ShareStats, campaign: Campaign, where: Where) -> list[Finding]:
    """A smartphone share more than N standard deviations from the other communes' (needs 5 others)."""
    if others.n < 5:
        return []
    mean, spread = others.mean, others.spread
    findings: list[Finding] = []
    for row in rows:
        share = smartphone_share(row.counts)
        if share is None or spread < 1e-9:
            continue
        if abs(share - mean) > campaign.checks.smartphone_share_sigma * spread:
            findings.append(
                where.finding(
                    "smartphone-share-outlier",
                    row.cells[form.SMARTPHONES.key],
                    _percent(share),
                    unit=row.unit.code,
                    limit=_percent(mean),
                )
            )
    return findings


_DATE = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_report_date(value: object) -> date | None:
    """The report date typed by the clerk: 20/8/2024, 20-08-2024, 2024-08-20 or a real date cell."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "")
    try:
        if match := _ISO.search(text):
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if match := _DATE.search(text):
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        return None
    return None


def check_late(received: date | None, rnd: Round, where: Where) -> list[Finding]:
    if received is None or received <= rnd.due:
        return []
    return [where.finding("late-report", "", format_date(received), limit=format_date(rnd.due))]
