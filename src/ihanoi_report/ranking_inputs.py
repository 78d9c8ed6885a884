"""The ranking's inputs ([[ranking.inputs]]): a table per unit that the app's administration exports (citizens'
feedback handled, news posted), read through the same gate as a return and matched to the registry's units as a
return's rows are; a row that names no unit, or two, is said, never guessed."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path
from typing import Any

from ihanoi_report.config import RankingInput
from ihanoi_report.errors import ExitCode, IhanoiError
from ihanoi_report.messages import t
from ihanoi_report.ranking import InputTable, Unmatched
from ihanoi_report.reader import ReadFailure, table_rows
from ihanoi_report.units import Registry, decoded
from ihanoi_report.words import fold

HEADER_ROWS = 30  # the header of an export is among its first rows
_TOTAL_WORDS = ("tong", "cong", "total")  # and every "tong cong …" (a total row, never a unit)


class InputError(IhanoiError):
    """A ranking input that cannot be read: the officer gives another file (exit 1, like a return)."""

    exit_code = ExitCode.INPUT_ERRORS


def read_input(definition: RankingInput, path: Path, registry: Registry) -> InputTable:
    """The input ``definition`` from the file at ``path``; InputError if it cannot be read or has no header."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(t("input-missing", key=definition.key, path=path, detail=exc.strerror or exc),
                         t("input-missing-hint", key=definition.key)) from None  # fmt: skip
    try:
        rows = _csv_rows(data) if path.suffix.lower() == ".csv" else table_rows(path, data)
    except ReadFailure as failure:
        raise InputError(t("input-unreadable", path=path, detail=t(f"title-{failure.code}")),
                         t("input-unreadable-hint")) from None  # fmt: skip
    header, columns = _header(rows, definition)
    if header is None:
        wanted = "; ".join(" / ".join(labels) for labels in (definition.unit_labels, *definition.columns.values()))
        raise InputError(t("input-no-header", path=path, wanted=wanted), t("input-no-header-hint"))
    values, unmatched = _match(rows[header + 1 :], header + 2, columns, registry)
    return InputTable(definition, path.name, hashlib.sha256(data).hexdigest(), values, tuple(unmatched))


def _csv_rows(data: bytes) -> list[list[Any]]:
    text, delimiter, _encoding = decoded(data)
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _header(rows: list[list[Any]], definition: RankingInput) -> tuple[int | None, dict[str, int]]:
    """The header row and each column's index: the unit column and every value column, found by label."""
    wanted = {"": definition.unit_labels, **definition.columns}
    for number, row in enumerate(rows[:HEADER_ROWS]):
        folded = [fold(str(cell)) if cell not in (None, "") else "" for cell in row]
        found = {}
        for key, labels in wanted.items():
            names = {fold(label) for label in labels}
            hits = [i for i, cell in enumerate(folded) if cell in names]
            if len(hits) == 1:
                found[key] = hits[0]
        if len(found) == len(wanted):
            return number, found
    return None, {}


def _match(rows: list[list[Any]], first: int, columns: dict[str, int], registry: Registry,
           ) -> tuple[dict[str, dict[str, int | None]], list[Unmatched]]:
    reporting = {u.code for u in registry.reporting_units()}  # a school is ranked in its office's workspace
    width = max(columns.values()) + 1
    values: dict[str, dict[str, int | None]] = {}
    unmatched: list[Unmatched] = []
    for number, row in enumerate(rows, start=first):
        cells = [row[i] if i < len(row) else None for i in range(width)]
        text = str(cells[columns[""]] or "").strip()
        folded = fold(text)
        if not text or folded in _TOTAL_WORDS or folded.startswith("tong cong"):
            continue
        unit = registry.get(text)  # by code, then by name as a return's rows are
        found = tuple(u for u in ((unit,) if unit is not None else registry.named(text)[0]) if u.code in reporting)
        if len(found) != 1:
            unmatched.append(Unmatched(number, text, "unknown" if not found else "ambiguous"))
            continue
        code = found[0].code
        if code in values:
            unmatched.append(Unmatched(number, text, "twice"))
            continue
        figures = {key: _count(cells[i]) for key, i in columns.items() if key}
        if any(value == -1 for value in figures.values()):
            unmatched.append(Unmatched(number, text, "not-a-number"))
            continue
        values[code] = figures
    return values, unmatched


def _count(cell: Any) -> int | None:
    """A whole number of the export; None for an empty cell; -1 for anything else (said as not a number)."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, bool):
        return -1
    if isinstance(cell, int | float):
        return int(cell) if float(cell).is_integer() and cell >= 0 else -1
    text = str(cell).strip().replace(".", "").replace(",", "")
    return int(text) if text.isdigit() else -1
