"""The checks of one workbook on its own: its columns, what the clerk sees, the reading of its values (a
unit's form, or a lower level's consolidated workbook), its total and subtotal rows, and the form's declared
checks between columns (a part at most its whole). Pure: FormData in, findings out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ihanoi_report import form
from ihanoi_report.checks.base import E, Examined, I, Need, W, Where, address, check, column_name
from ihanoi_report.config import Campaign
from ihanoi_report.form_spec import FormSpec
from ihanoi_report.model import Counts, Finding, FormData, RawRow, Row, Severity
from ihanoi_report.units import Unit, legacy_readings, name_key
from ihanoi_report.values import Problem, is_blank, parse_count


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
        findings.append(where.finding("rows-hidden", address(sub, form.NAME.key, counted[0].row), rows=rows))
    letters = {form.column_letter(c) for c in sub.hidden_columns}
    hidden = [key for key, letter in sub.letters.items() if letter in letters and key != form.NAME.key]
    if hidden:
        cells = ", ".join(f"{sub.letters[key]} ({spec.by_key[key].label})" for key in hidden)
        findings.append(where.finding("columns-hidden", f"{sub.letters[hidden[0]]}{sub.header_row}", columns=cells))
    if sub.loose_count:  # a number beside the table or under it, which no cell of the form holds
        more = sub.loose_count - len(sub.loose)
        cells = ", ".join(sub.loose) + (f" (+{more})" if more > 0 else "")
        findings.append(where.finding("figures-elsewhere", sub.loose[0], sheet_name=sub.sheet, cells=cells))
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
    return where.finding(code, address(sub, form.NAME.key, again.row), again.name, unit=unit.code,
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
                    cell = address(sub, form.NAME.key, raw.row)
                    findings.append(where.finding("row-unknown", cell, raw.name or "", row=raw.row))
    else:
        by_key = {name_key(u.name): u for u in members}
        for raw in sub.rows:
            unit, encoding = match_row(raw.name, by_key)
            encodings.add(encoding)
            if unit is None:
                cell = address(sub, form.NAME.key, raw.row)
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
            findings.append(where.finding("row-unknown", address(sub, form.NAME.key, raw.row), raw.name, row=raw.row))
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


def _raw_counts(raw: RawRow, spec: FormSpec) -> Counts:
    """The counts a total or subtotal line states (blank cells left out)."""
    return {c.key: n for c in spec.columns
            if (n := parse_count(raw.cells.get(c.key), required=False).count) is not None}


def lines_checked(sub: FormData, spec: FormSpec) -> list[Row]:
    """The total and subtotal rows of a consolidated workbook as rows, so that the form's checks between
    columns are made on them too (they are not stored)."""
    return [Row("", raw.row, _raw_counts(raw, spec), {c.key: address(sub, c.key, raw.row) for c in spec.columns})
            for raw in (*sub.subtotals, *([sub.total] if sub.total is not None else []))]


def subtotal_rows(sub: FormData, spec: FormSpec) -> list[Row]:
    """A consolidated workbook's group subtotals, kept with the report (the city shows each district's groups),
    each under its label as its unit."""
    return [Row(raw.name or raw.code, raw.row, _raw_counts(raw, spec)) for raw in sub.subtotals]


def _counted(sub: FormData, unit: Unit, raw: RawRow, spec: FormSpec, where: Where, findings: list[Finding]) -> Row:
    """One matched row's counts; what cannot be read is added to ``findings``."""
    inputs = {c.key for c in spec.fills(unit.group, unit.flags)}
    counts: Counts = {}
    cells = {c.key: address(sub, c.key, raw.row) for c in spec.columns}
    for column in spec.columns:
        if column.key not in raw.cells:  # a column not found: column-missing says so once
            continue
        value, cell = raw.cells.get(column.key), cells[column.key]
        required = column.key in inputs
        name = column_name(column.key)
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
        for declared in spec.checks:
            part, whole = declared.part, declared.whole
            if part in row.counts and whole in row.counts and row.counts[part] > row.counts[whole]:
                findings.append(where.graded(E, declared.code, row.cells[part], row.counts[part], unit=row.unit,
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
                findings.append(where.finding("value-formula-no-result", cell, column=column_name(column.key)))
            continue
        parsed = parse_count(value)
        if parsed.count is None:
            findings.append(
                where.finding(
                    (parsed.problem or Problem.NOT_INTEGER).value, cell, parsed.found, column=column_name(column.key)
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


# --- the checks, as the registry runs them --------------------------------------------------------------


def _columns(w: Examined) -> list[Finding]:
    return check_columns(w.sub, w.members, w.spec, w.where)


def _seen(w: Examined) -> list[Finding]:
    return check_what_is_seen(w.sub, w.spec, w.where)


def _form_values(w: Examined) -> list[Finding]:
    w.report.rows, findings = read_values(w.sub, w.members, w.spec, w.where)
    legacy_said = "legacy-encoding" in w.said  # by identification: said once
    return [f for f in findings if f.code != "legacy-encoding" or not legacy_said]


def _consolidated_values(w: Examined) -> list[Finding]:
    w.report.rows, findings = read_consolidated(w.sub, w.members, w.spec, w.where)
    w.report.subtotals = subtotal_rows(w.sub, w.spec) if len(w.members) == 1 else []
    return findings


def _lines(w: Examined) -> list[Finding]:
    return check_consistency(lines_checked(w.sub, w.spec), w.spec, w.where)


def _subtotals(w: Examined) -> list[Finding]:
    return check_subtotals(w.sub, w.spec, w.where)


def _total(w: Examined) -> list[Finding]:
    return check_total(w.sub, w.report.rows, w.members, w.spec, w.where)


def _consistency(w: Examined) -> list[Finding]:
    return check_consistency(w.report.rows, w.spec, w.where)


def _declared_checks(campaign: Campaign) -> tuple[tuple[str, Severity], ...]:
    return tuple((c.code, E) for c in campaign.declared.checks)


VALUE_CODES = (("value-missing", E), ("value-not-integer", E), ("value-negative", E),
               ("value-formula-no-result", E), ("value-not-expected", I))

COLUMNS = check("columns", [("column-missing", E), ("column-duplicate", E), ("column-by-elimination", I)],
                [Need.WORKBOOK], _columns)
SEEN = check("seen", [("form-sheet-hidden", W), ("rows-hidden", W), ("columns-hidden", W), ("form-copy-ignored", I),
                      ("form-on-two-sheets", E), ("figures-elsewhere", W), ("sheet-unreadable", W)],
             [Need.WORKBOOK], _seen)
FORM_VALUES = check("values", [("row-unknown", W), ("row-missing", E), ("row-repeated", I),
                               ("row-repeated-differs", E), ("legacy-encoding", I), *VALUE_CODES], [Need.FORM],
                    _form_values, gives=[Need.ROWS])
CONSOLIDATED_VALUES = check("consolidated-values", [("row-unknown", W), ("total-row-missing", E), *VALUE_CODES],
                            [Need.CONSOLIDATED], _consolidated_values, gives=[Need.ROWS])
# The same declared checks on the total and subtotal lines: their codes are listed under "consistency".
LINES = check("lines", [], [Need.CONSOLIDATED], _lines)
SUBTOTALS = check("subtotals", [("total-row-mismatch", E)], [Need.CONSOLIDATED], _subtotals)
TOTAL = check("total", [("total-row-mismatch", E), ("value-not-integer", E), ("value-negative", E),
                        ("value-formula-no-result", E)], [Need.FORM, Need.ROWS], _total)
CONSISTENCY = check("consistency", [("staff-installed-gt-total", E), ("installed-gt-smartphones", E),
                                    ("smartphones-gt-residents", E)], [Need.WORKBOOK, Need.ROWS], _consistency,
                    declared=_declared_checks)
