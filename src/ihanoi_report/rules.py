"""The registry of checks and the checks themselves: pure functions, FormData -> Findings.

Every code here has a severity and a sentence in messages.py; `ihanoi-report rules` and the
README's table are drawn from RULES. Targets and thresholds come from campaign.toml.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import PurePath
from typing import Any

from ihanoi_report import form
from ihanoi_report.config import Campaign, Round, format_date
from ihanoi_report.form_spec import FormSpec
from ihanoi_report.model import Finding, FormData, RawRow, Report, Row, Severity, percent_text
from ihanoi_report.units import Registry, Unit, legacy_readings, name_key
from ihanoi_report.values import ParsedDate, Problem, is_blank, parse_count, shown

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    stage: str  # read | identify | values | consistency | target | history | timeliness | tool


RULES: tuple[Rule, ...] = (
    Rule("file-unreadable", E, "read"),
    Rule("file-encrypted", E, "read"),
    Rule("not-a-spreadsheet", E, "read"),
    Rule("file-format-unsupported", E, "read"),
    Rule("file-variant-unsupported", E, "read"),
    Rule("file-too-large", E, "read"),
    Rule("form-not-found", E, "read"),
    Rule("unit-unknown", E, "identify"),
    Rule("unit-ambiguous", E, "identify"),
    Rule("round-mismatch", E, "identify"),
    Rule("round-unknown", E, "identify"),
    Rule("campaign-mismatch", E, "identify"),
    Rule("form-version-unknown", I, "identify"),
    Rule("unit-conflict", E, "identify"),
    Rule("unit-reports-through", W, "identify"),
    Rule("round-conflict", E, "identify"),
    Rule("round-date-conflict", E, "identify"),
    Rule("legacy-encoding", I, "identify"),
    Rule("column-missing", E, "values"),
    Rule("column-by-elimination", I, "values"),
    Rule("form-sheet-hidden", W, "values"),
    Rule("rows-hidden", W, "values"),
    Rule("columns-hidden", W, "values"),
    Rule("form-copy-ignored", I, "values"),
    Rule("form-on-two-sheets", E, "values"),
    Rule("figures-elsewhere", W, "values"),
    Rule("sheet-unreadable", W, "values"),
    Rule("row-repeated", I, "values"),
    Rule("row-repeated-differs", E, "values"),
    Rule("not-a-workbook", E, "read"),
    Rule("column-duplicate", E, "values"),
    Rule("row-unknown", W, "values"),
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
    Rule("total-row-missing", E, "consistency"),
    Rule("staff-target-missed", W, "target"),
    Rule("resident-target-missed", W, "target"),
    Rule("target-missed", W, "target"),
    Rule("count-fell", W, "history"),
    Rule("residents-changed-sharply", W, "history"),
    Rule("smartphone-share-outlier", W, "history"),
    Rule("count-changed-sharply", W, "history"),
    Rule("share-outlier", W, "history"),
    Rule("report-date-missing", W, "timeliness"),
    Rule("report-date-invalid", W, "timeliness"),
    Rule("late-report", W, "timeliness"),
    Rule("resubmission", I, "history"),
    Rule("report-not-latest", I, "history"),
    Rule("report-order-unclear", W, "history"),
    Rule("unit-in-two-reports", W, "history"),
    Rule("internal-error", E, "tool"),
)
SEVERITY: dict[str, Severity] = {rule.code: rule.severity for rule in RULES}


def declared_rules(campaign: Campaign) -> tuple[Rule, ...]:
    """The checks campaign.toml declares under codes of its own: a part above its whole is an error, a unit
    below a target a warning (their sentences are declared with the campaign's column names)."""
    found = [Rule(c.code, E, "consistency") for c in campaign.declared.checks]
    found += [Rule(c.steady_code, W, "history") for c in campaign.declared.columns if c.steady]
    found += [Rule(s.outlier_code, W, "history") for s in campaign.declared.shares if s.outlier]
    found += [Rule(t.code, W, "target") for t in campaign.targets.values()]
    return tuple(rule for i, rule in enumerate(found) if rule.code not in SEVERITY
                 and rule.code not in {r.code for r in found[:i]})


@dataclass(frozen=True)
class Where:
    """The file, sheet, unit and round findings of one submission are about."""

    file: str
    sheet: str = ""
    unit: str = ""
    round: int | None = None

    def finding(self, code: str, cell: str = "", value: object = "", *, unit: str = "", **args: Any) -> Finding:
        return self.graded(SEVERITY[code], code, cell, value, unit=unit, **args)

    def graded(self, severity: Severity, code: str, cell: str = "", value: object = "", *, unit: str = "",
               **args: Any) -> Finding:
        """A finding of a code campaign.toml declares (a check's, a target's): its severity is the kind's."""
        return Finding(
            code,
            severity,
            self.file,
            self.sheet,
            cell,
            unit or self.unit,
            self.round,
            shown(value) if value != "" else "",
            args,
        )


def _column_name(key: str) -> str:
    """A count column, by its key: messages.py names it ("cột 6 - Số người dân có điện thoại thông minh")."""
    return key


def _required(members: Sequence[Unit], spec: FormSpec) -> tuple[form.Column, ...]:
    """The count columns a form must have: those any of its units fills."""
    filled = {c.key for u in members for c in form.inputs(u, spec)}
    return tuple(c for c in form.count_columns(spec) if c.key in filled)


def check_columns(sub: FormData, members: Sequence[Unit], spec: FormSpec, where: Where) -> list[Finding]:
    """Every column the unit fills is found by its header, once; never guessed from its place."""
    findings: list[Finding] = []
    for column in _required(members, spec):
        letters = sub.duplicates.get(column.key)
        if letters:
            findings.append(
                where.finding(
                    "column-duplicate", sub.header_cell, column.label, row=sub.header_row, letters=", ".join(letters)
                )
            )
        elif column.key not in sub.letters:
            findings.append(
                where.finding("column-missing", sub.header_cell, column.label, row=sub.header_row, column=column.key)
            )
    if sub.by_elimination:  # said, so that the officer can see the reading and its cells
        cells = [f"{sub.letters[key]}{sub.header_row}" for key in sub.by_elimination if key in sub.letters]
        columns = form.by_key(spec)
        readings = "; ".join(f"{cell} = {columns[key].heading}: {columns[key].label}" if columns[key].heading
                             else f"{cell} = {columns[key].label}"
                             for cell, key in zip(cells, sub.by_elimination, strict=True))
        findings.append(where.finding("column-by-elimination", cells[0] if cells else "", readings=readings))
    return findings


# What a unit cannot change by correcting its form: facts of timeliness and progress, and questions for the
# officer. They are said to the officer, and never put in a copy that asks the unit to correct or check.
FOR_THE_OFFICE = frozenset({"late-report", "resubmission", "staff-target-missed", "resident-target-missed",
                            "report-not-latest", "report-order-unclear", "unit-in-two-reports", "unit-reports-through"})


def feedback_kind(report: Report) -> str | None:
    """Which copy goes back to the unit: "can-sua" (sent back: correct and send again), "luu-y" (received:
    check these cells, no need to send again if the figures are right), or none (nothing it should do)."""
    if report.has_errors:
        return "can-sua"
    return "luu-y" if any(f.code not in FOR_THE_OFFICE for f in report.findings) else None


def for_the_unit(report: Report) -> list[Finding]:
    """The findings a copy for the unit lists: all of a file sent back, the unit's own checks of one received."""
    return list(report.findings) if report.has_errors else [f for f in report.findings
                                                           if f.code not in FOR_THE_OFFICE]


def check_what_is_seen(sub: FormData, spec: FormSpec, where: Where) -> list[Finding]:
    """What the clerk sees is what counts: the figures the tool reads that the clerk may not see (a hidden
    sheet, hidden or filtered rows and columns) are named; figures elsewhere in the workbook that the tool
    does not read are named; a second copy of the form that says something else is a question for the unit."""
    findings: list[Finding] = []
    if sub.sheet_hidden:
        findings.append(where.finding("form-sheet-hidden", sheet_name=sub.sheet))
    counted = [raw for raw in (*sub.rows, *([sub.total] if sub.total else ())) if
               raw.row in sub.hidden_rows and any(not is_blank(v) for v in raw.cells.values())]
    if counted:
        rows = ", ".join(str(raw.row) for raw in counted)
        findings.append(where.finding("rows-hidden", _address(sub, form.NAME.key, counted[0].row), rows=rows))
    letters = {form.column_letter(c) for c in sub.hidden_columns}
    hidden = [key for key, letter in sub.letters.items() if letter in letters and key != form.NAME.key]
    if hidden:
        cells = ", ".join(f"{sub.letters[key]} ({spec.by_key[key].label})" for key in hidden)
        findings.append(where.finding("columns-hidden", f"{sub.letters[hidden[0]]}{sub.header_row}", columns=cells))
    for other in sub.elsewhere:
        if other.unreadable:
            findings.append(where.finding("sheet-unreadable", sheet_name=other.sheet))
        elif other.form and other.same:
            findings.append(where.finding("form-copy-ignored", sheet_name=other.sheet))
        elif other.form:
            findings.append(where.finding("form-on-two-sheets", value=other.unit_text, sheet_name=sub.sheet,
                                          other_sheet=other.sheet))
        else:
            more = other.count - len(other.cells)
            cells = ", ".join(other.cells) + (f" (+{more})" if more > 0 else "")
            findings.append(where.finding("figures-elsewhere", sheet_name=other.sheet, cells=cells))
    return findings


def _repeated(sub: FormData, unit: Unit, kept: RawRow, again: RawRow, where: Where) -> Finding:
    """A unit's row a second time: said once (the same figures), or a question (other figures)."""
    code = "row-repeated" if again.cells == kept.cells else "row-repeated-differs"
    return where.finding(code, _address(sub, form.NAME.key, again.row), again.name, unit=unit.code,
                         row=again.row, first=kept.row)


def match_row(name: str, by_key: Mapping[str, Unit]) -> tuple[Unit | None, str]:
    """The unit a row's name stands for, and the legacy encoding it was typed in ("" for Unicode)."""
    unit = by_key.get(name_key(name))
    if unit is not None or not name:
        return unit, ""
    for encoding, text in legacy_readings(name):
        if (unit := by_key.get(name_key(text))) is not None:
            return unit, encoding
    return None, ""


def read_values(sub: FormData, members: Sequence[Unit], spec: FormSpec,
                where: Where) -> tuple[list[Row], list[Finding]]:
    """Match the table's rows to the unit and its sub-units, and parse every count.

    A row that is no sub-unit of the registry is a warning and is not counted; the other rows are.
    """
    findings: list[Finding] = []
    matched: list[tuple[Unit, RawRow]] = []
    encodings: set[str] = set()
    if len(members) == 1:
        if sub.rows:
            own = [r for r in sub.rows if match_row(r.name, {name_key(members[0].name): members[0]})[0]]
            kept = own[0] if own else sub.rows[0]
            matched.append((members[0], kept))
            for raw in sub.rows:  # every other row with figures is named: never left out in silence
                if raw is kept or all(is_blank(v) for v in raw.cells.values()):
                    continue
                if raw in own:
                    findings.append(_repeated(sub, members[0], kept, raw, where))
                else:
                    cell = _address(sub, form.NAME.key, raw.row)
                    findings.append(where.finding("row-unknown", cell, raw.name or "", row=raw.row))
    else:
        by_key = {name_key(u.name): u for u in members}
        for raw in sub.rows:
            unit, encoding = match_row(raw.name, by_key)
            encodings.add(encoding)
            if unit is None:
                cell = _address(sub, form.NAME.key, raw.row)
                findings.append(where.finding("row-unknown", cell, raw.name, row=raw.row))
            elif (first := next((r for u, r in matched if u is unit), None)) is None:
                matched.append((unit, raw))
            elif any(not is_blank(v) for v in raw.cells.values()):
                findings.append(_repeated(sub, unit, first, raw, where))
    seen = {u.code for u, _ in matched}
    for unit in members:
        if unit.code not in seen:
            findings.append(where.finding("row-missing", "", unit.name, unit=unit.code))
    if (encodings - {""}) and not sub.encoding:
        findings.append(where.finding("legacy-encoding", "", " / ".join(sorted(encodings - {""}))))
    rows = [_counted(sub, unit, raw, spec, where, findings) for unit, raw in matched]
    return rows, findings


def read_consolidated(sub: FormData, members: Sequence[Unit], spec: FormSpec,
                      where: Where) -> tuple[list[Row], list[Finding]]:
    """A lower level's consolidated workbook: its unit rows matched by their (hidden) code, then by name.

    A blank row is a unit that had not reported at that level: not reported here either, not an error.
    Where this registry lists the sender's sub-units (the district and the Education Office's schools),
    each row counts for its unit, and a row this registry does not know is a warning; where it lists
    none (the city and a district), the sender's figures are the workbook's total row.
    """
    findings: list[Finding] = []
    if len(members) == 1:
        if sub.total is None:
            return [], [where.finding("total-row-missing", sub.header_cell, unit=members[0].code)]
        return [_counted(sub, members[0], sub.total, spec, where, findings)], findings
    by_code = {u.code.upper(): u for u in members}
    by_name = {name_key(u.name): u for u in members}
    rows: list[Row] = []
    for raw in sub.rows:
        unit = by_code.get(raw.code.upper()) or match_row(raw.name, by_name)[0]
        if unit is None:
            findings.append(where.finding("row-unknown", _address(sub, form.NAME.key, raw.row), raw.name, row=raw.row))
        elif any(not is_blank(raw.cells.get(c.key)) for c in form.inputs(unit, spec)) and all(
                r.unit != unit.code for r in rows):
            rows.append(_counted(sub, unit, raw, spec, where, findings))
    return rows, findings


def check_subtotals(sub: FormData, spec: FormSpec, where: Where) -> list[Finding]:
    """A consolidated workbook edited by hand: each group subtotal must equal the sum of the unit rows
    under it, and the total the sum of every unit row, column by column (the cell is named)."""
    findings: list[Finding] = []
    lines = sorted([*((raw, False) for raw in sub.rows), *((raw, True) for raw in sub.subtotals)],
                   key=lambda item: item[0].row)
    groups: list[tuple[RawRow, list[RawRow]]] = []
    for raw, is_subtotal in lines:
        if is_subtotal:
            groups.append((raw, []))
        elif groups:
            groups[-1][1].append(raw)
    checks = [*groups, *([(sub.total, list(sub.rows))] if sub.total is not None else [])]
    for line, members in checks:
        for column in spec.columns:
            stated = parse_count(line.cells.get(column.key), required=False)
            if column.key not in sub.letters or stated.count is None:
                continue
            parts = [parse_count(raw.cells.get(column.key), required=False).count for raw in members]
            total = sum(part for part in parts if part is not None)
            if stated.count != total:
                cell = sub.address(column.key, line.row)
                findings.append(where.finding("total-row-mismatch", cell, stated.count, limit=total))
    return findings


def _raw_counts(raw: RawRow, spec: FormSpec) -> dict[str, int]:
    """The counts a total or subtotal line states (blank cells left out)."""
    return {c.key: n for c in spec.columns
            if (n := parse_count(raw.cells.get(c.key), required=False).count) is not None}


def lines_checked(sub: FormData, spec: FormSpec) -> list[Row]:
    """The total and subtotal rows of a consolidated workbook as rows, so that the form's checks between
    columns are made on them too (they are not stored)."""
    return [Row("", raw.row, _raw_counts(raw, spec), {c.key: _address(sub, c.key, raw.row) for c in spec.columns})
            for raw in (*sub.subtotals, *([sub.total] if sub.total is not None else []))]


def subtotal_rows(sub: FormData, spec: FormSpec) -> list[Row]:
    """A consolidated workbook's group subtotals, kept with the report (the city shows each district's groups),
    each under its label as its unit."""
    return [Row(raw.name or raw.code, raw.row, _raw_counts(raw, spec)) for raw in sub.subtotals]


def _address(sub: FormData, key: str, row: int) -> str:
    return f"{sub.letters[key]}{row}" if key in sub.letters else ""


def _counted(sub: FormData, unit: Unit, raw: RawRow, spec: FormSpec, where: Where, findings: list[Finding]) -> Row:
    """One matched row's counts; what cannot be read is added to ``findings``."""
    inputs = {c.key for c in spec.fills(unit.group, unit.flags)}
    counts: dict[str, int] = {}
    cells = {c.key: _address(sub, c.key, raw.row) for c in spec.columns}
    for column in spec.columns:
        if column.key not in raw.cells:  # a column not found: column-missing says so once
            continue
        value, cell = raw.cells.get(column.key), cells[column.key]
        required = column.key in inputs
        name = _column_name(column.key)
        if required and is_blank(value) and cell in sub.formula_cells:
            findings.append(where.finding("value-formula-no-result", cell, unit=unit.code, column=name))
            continue
        parsed = parse_count(value, required=required)
        if not required:
            if not parsed.empty and parsed.count != 0:
                findings.append(where.finding("value-not-expected", cell, value, unit=unit.code, column=name))
        elif parsed.problem is Problem.MISSING:
            findings.append(where.finding("value-missing", cell, unit=unit.code, column=name))
        elif parsed.problem is not None:
            findings.append(where.finding(parsed.problem.value, cell, parsed.found, unit=unit.code, column=name))
        elif parsed.count is not None:
            counts[column.key] = parsed.count
    return Row(unit.code, raw.row, counts, cells)


def check_consistency(rows: Sequence[Row], spec: FormSpec, where: Where) -> list[Finding]:
    """The form's declared checks: each part at most its whole (installed <= smartphone owners <= residents)."""
    findings: list[Finding] = []
    for row in rows:
        for check in spec.checks:
            part, whole = check.part, check.whole
            if part in row.counts and whole in row.counts and row.counts[part] > row.counts[whole]:
                findings.append(where.graded(E, check.code, row.cells[part], row.counts[part], unit=row.unit,
                                             limit=row.counts[whole], part=part, whole=whole))  # fmt: skip
    return findings


def check_total(sub: FormData, rows: Sequence[Row], members: Sequence[Unit], spec: FormSpec,
                where: Where) -> list[Finding]:
    """A total row must equal the sum of the rows above it, column by column.

    The clerk's total adds every row of the table, those the registry does not know included.
    """
    if sub.total is None or len(members) < 2:
        return []
    counted = {r.sheet_row for r in rows}
    others = [raw for raw in sub.rows if raw.row not in counted]
    units = {u.code: u for u in members}
    findings: list[Finding] = []
    inputs = {code: {c.key for c in spec.fills(u.group, u.flags)} for code, u in units.items()}
    for column in spec.columns:
        if column.key not in sub.letters:
            continue
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
        expected = [r.counts.get(column.key) for r in rows if column.key in inputs[r.unit]]
        extra = [parse_count(raw.cells.get(column.key), required=False).count for raw in others]
        if expected and all(v is not None for v in expected):
            total = sum(v for v in expected if v is not None) + sum(v for v in extra if v is not None)
            # The form's own SUM skips a count typed as text ("1.024"), which the tool reads: not the clerk's error.
            spreadsheet_sum = sum(
                v for raw in sub.rows if isinstance(v := raw.cells.get(column.key), int | float) and v == v
            )
            if parsed.count not in (total, spreadsheet_sum):
                findings.append(where.finding("total-row-mismatch", cell, parsed.count, limit=total))
    return findings


def check_targets(
    rows: Sequence[Row], members: Sequence[Unit], campaign: Campaign, rnd: Round, where: Where
) -> list[Finding]:
    """From the first round due after a target's deadline, a unit below it is "chưa đạt" (warning)."""
    names = {u.code: u.name for u in members}
    findings: list[Finding] = []
    for target in campaign.targets.values():
        if not campaign.target_applies(target.key, rnd):
            continue
        share = campaign.declared.share_by_key[target.measure]
        part, whole = share.part, share.whole
        for row in rows:
            counts = row.counts
            if part not in counts or not counts.get(whole) or counts[part] >= target.needed(counts[whole]):
                continue
            findings.append(
                where.graded(
                    W,
                    target.code,
                    row.cells[part],
                    counts[part],
                    unit=row.unit,
                    limit=counts[whole],
                    who=names.get(row.unit, row.unit),
                    share=percent_text(counts[part] / counts[whole]),
                    target=f"{target.share:.0%}",
                    deadline=format_date(target.deadline),
                    label=target.label,
                )
            )
    return findings


def check_history(
    rows: Sequence[Row],
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
        before = previous.get(row.unit)
        if not before:
            continue
        for key in (c.key for c in campaign.declared.columns if c.never_falls):
            if key in row.counts and key in before and row.counts[key] < before[key]:
                findings.append(
                    where.finding(
                        "count-fell",
                        row.cells[key],
                        row.counts[key],
                        unit=row.unit,
                        previous=before[key],
                        previous_round=previous_round,
                        column=_column_name(key),
                    )
                )
        for column in (c for c in campaign.declared.columns if c.steady):
            key = column.key
            if key not in row.counts or not before.get(key):
                continue
            change = (row.counts[key] - before[key]) / before[key]
            if abs(change) > campaign.checks.resident_change:
                findings.append(
                    where.graded(
                        W,
                        column.steady_code,
                        row.cells[key],
                        row.counts[key],
                        unit=row.unit,
                        previous=before[key],
                        previous_round=previous_round,
                        change=f"{change:+.0%}",
                        column=_column_name(key),
                    )
                )
    return findings


def check_elsewhere(report: Report, elsewhere: Sequence[tuple[str, Report]], registry: Registry,
                    where: Where) -> list[Finding]:
    """A unit whose figures are also in another sender's report in use (a school in its office's workbook
    and in a form of its own): the later report counts for it, as consolidate counts it; both files named."""
    findings = []
    for unit, other in elsewhere:
        new_wins = (report.effective_date or date.min) >= (other.effective_date or date.min)
        kept = report.path if new_wins else other.path
        known = registry.get(unit)
        findings.append(where.finding(
            "unit-in-two-reports", "", unit=unit, who=known.name if known else unit,
            other=PurePath(other.path).name, other_date=format_date(other.effective_date) if other.effective_date
            else "-", date=format_date(report.effective_date) if report.effective_date else "-",
            kept=PurePath(kept).name, this=PurePath(report.path).name,
        ))  # fmt: skip
    return findings


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


class ShareBook:
    """One share (the form's outlier share: smartphone owners out of residents) of every unit of a round, kept
    up to date as reports are taken, so that comparing a unit with the others costs the same for the 10,000th
    file of a run as for the 5th."""

    def __init__(self, counts: Mapping[str, Mapping[str, int]], spec: FormSpec, share: str) -> None:
        """``counts``: the figures in use of each unit of the round (what the store holds)."""
        self.spec, self.share = spec, share
        shares = {unit: spec.share_of(dict(figures), share) for unit, figures in counts.items()}
        self.shares = {unit: value for unit, value in shares.items() if value is not None}
        self.total = ShareStats.of(self.shares.values())

    def others(self, unit: str) -> ShareStats:
        """The statistics of every unit but ``unit``."""
        return self.total.without(self.shares[unit]) if unit in self.shares else self.total

    def take(self, rows: Iterable[Row]) -> None:
        """A report now counts: its units' shares replace theirs."""
        for row in rows:
            share = self.spec.share_of(row.counts, self.share)
            if share is None:
                continue
            if row.unit in self.shares:
                self.total = self.total.without(self.shares[row.unit])
            self.shares[row.unit] = share
            self.total = self.total.plus(share)


def check_outlier(rows: Sequence[Row], others: ShareStats, book: ShareBook, campaign: Campaign,
                  where: Where) -> list[Finding]:
    """A share more than N standard deviations from the other units' (needs 5 others)."""
    if others.n < 5:
        return []
    mean, spread = others.mean, others.spread
    share = book.spec.share_by_key[book.share]
    findings: list[Finding] = []
    for row in rows:
        value = book.spec.share_of(row.counts, book.share)
        if value is None or spread < 1e-9:
            continue
        if abs(value - mean) > campaign.checks.smartphone_share_sigma * spread:
            findings.append(
                where.graded(
                    W,
                    share.outlier_code,
                    row.cells[share.part],
                    percent_text(value),
                    unit=row.unit,
                    limit=percent_text(mean),
                    share=share.label,
                )
            )
    return findings


# A report dated this long after the last due date is taken for a typing mistake.
LATEST_REPORT_DAYS = 92


def check_report_date(
    parsed: ParsedDate, cell: str, rnd: Round, campaign: Campaign, today: date, confirmed: bool, where: Where
) -> tuple[date | None, list[Finding]]:
    """The typed report date if it can be used, with what is wrong with it.

    Unusable: blank, unreadable, in the future, outside the campaign, before the round opened.
    A date in a later round's window means the form may be an old one filled for that round:
    unless the officer stated the round (``confirmed``), that is an error, not a guess.
    """
    if parsed.missing:
        return None, [where.finding("report-date-missing", cell)]
    day = parsed.day
    if day is None:
        reason = "unreadable"
    elif day > today:
        reason = "future"
    elif day < campaign.starts or day > campaign.rounds[-1].due + timedelta(days=LATEST_REPORT_DAYS):
        reason = "outside-campaign"
    elif day < rnd.opens:
        reason = "before-round"
    else:
        window = next((r for r in reversed(campaign.rounds) if r.opens <= day), rnd)
        if window.number > rnd.number and not confirmed:
            return day, [where.finding("round-date-conflict", cell, format_date(day), later=window.number)]
        return day, []
    shown_date = format_date(day) if day is not None else parsed.found
    return None, [where.finding("report-date-invalid", cell, shown_date, reason=reason, opens=format_date(rnd.opens))]


def check_late(day: date | None, date_source: str, rnd: Round, where: Where) -> list[Finding]:
    """After the round's due date is late; ``date_source`` says where the date came from."""
    if day is None or not rnd.late(day):
        return []
    return [where.finding("late-report", "", format_date(day), limit=format_date(rnd.due), date_source=date_source)]


# --- which of two reports of a unit and round counts ------------------------------------------


def _order(report: Report) -> tuple[date, date, datetime, str]:
    """Later is newer: the report's date, then when it was received; the digest only breaks a full tie."""
    return (
        report.effective_date or date.min,
        report.received_on or date.min,
        report.file_modified or datetime.min,
        report.sha256,
    )


@dataclass(frozen=True)
class Choice:
    new_counts: bool  # the new report replaces the current one
    findings: tuple[Finding, ...]  # for the new report


def choose_report(new: Report, current: Report, where: Where) -> Choice:
    """Which report counts: decided by content (dates), the same in any order of arrival.

    When the two disagree and their dates cannot tell them apart (the same typed date, or a date
    missing), the choice is still made by the same order, and a warning names both and the one used.
    """
    newer = _order(new) > _order(current)
    used = new if newer else current
    other_name = PurePath(current.path).name
    differ = new.figures != current.figures
    typed = new.report_date is not None and current.report_date is not None
    if differ and not (typed and new.report_date != current.report_date):
        finding = where.finding(
            "report-order-unclear",
            "",
            PurePath(new.path).name,
            other=other_name,
            used=PurePath(used.path).name,
            reason="same-date" if typed else "no-date",
        )
        return Choice(newer, (finding,))
    if newer:
        return Choice(True, (where.finding("resubmission", "", other_name),))
    dates = {"date": _shown_date(new.effective_date), "limit": _shown_date(current.effective_date)}
    return Choice(False, (where.finding("report-not-latest", "", other_name, **dates),))


def _shown_date(day: date | None) -> str:
    return format_date(day) if day is not None else "?"
