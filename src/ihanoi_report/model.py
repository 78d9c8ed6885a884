"""The record types of one file's journey and the words for their states, shared by every layer.

A returned workbook is read into FormData (what it says). Examined, it becomes a Report: which unit and
round, its rows and findings, its verdict. The store keeps the Report with a Status and gives it back as a
Report. One ingest run is an IngestResult. A finding is data (a code, where, what was found, its
arguments); its sentence comes from messages.py by code.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from pathlib import Path, PurePath
from typing import Any

from ihanoi_report.messages import CATALOG, EXAMPLE_DAY, get_language, t, vi


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Verdict(StrEnum):
    """What happened to a file in an ingest run."""

    ACCEPTED = "accepted"
    ACCEPTED_WITH_WARNINGS = "accepted-with-warnings"
    REJECTED = "rejected"
    SKIPPED = "skipped"
    ALREADY_RECEIVED = "already-received"
    INTERNAL_ERROR = "internal-error"  # the tool failed, not the file: nothing recorded

    @property
    def label(self) -> str:
        return t(f"verdict-{self.value}")

    @property
    def kept(self) -> bool:
        """The file's figures are in the store as a report (accepted now or before)."""
        return self in (Verdict.ACCEPTED, Verdict.ACCEPTED_WITH_WARNINGS, Verdict.ALREADY_RECEIVED)


class Status(StrEnum):
    """A recorded report's place in the store."""

    ACCEPTED = "accepted"  # the report that counts for its unit and round
    REJECTED = "rejected"
    SUPERSEDED = "superseded"  # accepted once, replaced by a newer report of the same unit and round


class Standing(StrEnum):
    """Where a reporting unit stands for a round."""

    ON_TIME = "on-time"
    LATE = "late"
    MISSING = "missing"
    REJECTED = "rejected"  # sent, sent back, no valid report yet


class DateSource(StrEnum):
    """Where the date a report's timeliness is judged by came from."""

    TYPED = "typed"  # the report date typed on the form
    STATED = "stated"  # the day the officer said the batch arrived (--received)
    FILE = "file"  # the file's modification day
    UNKNOWN = ""  # recorded before this was kept


def _shown(value: object, sentence: Callable[..., str], language: str | None) -> object:
    """An argument as a sentence shows it: numbers grouped the reader's way, a list joined with "và"/"and"."""
    if isinstance(value, list | tuple):
        return f" {sentence('word-and')} ".join(str(v) for v in value)
    return count_text(value, language)


def count_text(value: object, language: str | None = None) -> object:
    """A whole number as the reader writes it: 16.230 in Vietnamese, 16,230 in English."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, int) and abs(value) >= 1000:
        text = f"{value:,}"
        return text.replace(",", ".") if (language or get_language()) == "vi" else text
    return value


def number_text(value: float, spec: str = "g", language: str | None = None) -> str:
    """A number with a fraction the reader's way (``spec`` as for format()): 112,63 in Vietnamese, 112.63 in
    English."""
    text = format(value, spec)
    return text.replace(".", ",") if (language or get_language()) == "vi" else text


def file_name(path: str) -> str:
    """A received file as a list names it: its name, or for a workbook read inside a .zip its path from the
    archive on ("bao-cao.zip/Lần 3/iHanoi-lan-3_XA-09694.xlsx"), so that the officer can find it."""
    parts = PurePath(path).parts
    for i in range(len(parts) - 2, -1, -1):
        if parts[i].lower().endswith(".zip"):
            return "/".join(parts[i:])
    return parts[-1] if parts else path


@functools.lru_cache(maxsize=65536)  # a city's workbook shows some 30,000 shares, many of them alike
def share_shown(share: float) -> float:
    """THE number policy for every share a person reads (workbook cells, .docx, pictures, Zalo text, terminal):
    half-up to a tenth of a percent (71,55 % is 71,6 %, 4 of 6 is 66,7 %), except that a share below 100 % never
    shows as 100,0 % (it shows 99,9 %): a unit that has not reached the target is never shown as if it had."""
    value = (Decimal(repr(share)) * 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 1000
    return 0.999 if share < 1 and value >= 1 else float(value)


def points_shown(value: float, places: int = 2) -> float:
    """Points (the ranking's) and other figures with decimals: half-up to ``places`` decimals."""
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def moment_text(at: datetime) -> str:
    """ "06:10 ngày 02/12/2026": when something was done, as an officer writes it (terminal and page alike)."""
    return t("moment", time=at.strftime("%H:%M"), date=at.strftime("%d/%m/%Y"))


def percent_text(share: float, language: str | None = None) -> str:
    """A share the reader's way, by the number policy: 96,7% in Vietnamese, 96.7% in English."""
    return number_text(share_shown(share), ".1%", language)


# Arguments that hold a code for a phrase of their own ("reason": "future" -> "ngày trong tương lai"),
# and the phrase for a finding recorded before the argument existed. A code with no phrase (an operating
# system's words, a detail recorded by an earlier version) is shown as it is.
PHRASES: dict[str, tuple[str, str]] = {
    "reason": ("reason", "unreadable"),
    "date_source": ("date-source", "typed"),
    "format": ("format", "xlsx"),
    "detail": ("detail", ""),
    "column": ("column", ""),
}


_NO_CELL = re.compile(r"^(?:Ô|Cell) :\s*")
_SHARE_TEXT = re.compile(r"(\d{1,3})[.,](\d)%")  # what percent_text writes, in either language


def _jsonable(value: object) -> object:
    """Keep JSON's own types; anything else (a date, a Path) as its text."""
    if isinstance(value, str | int | float | bool | list) or value is None:
        return value
    return str(value)


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    file: str = ""
    sheet: str = ""
    cell: str = ""
    unit: str = ""
    round: int | None = None
    value: str = ""
    args: dict[str, Any] = field(default_factory=dict, compare=False)

    def _values(self, sentence: Callable[..., str], language: str | None) -> dict[str, Any]:
        values: dict[str, Any] = {"cell": self.cell, "value": self.value, "round": self.round,
                                  "example": EXAMPLE_DAY, **self.args}  # a date example: a finding's own, if kept
        values = {k: _shown(v, sentence, language) for k, v in values.items()}
        for key in self.args:  # a share the tool wrote ("95,5%"), with the reader's decimal mark
            if isinstance(values[key], str) and (share := _SHARE_TEXT.fullmatch(values[key])):
                mark = "," if (language or get_language()) == "vi" else "."
                values[key] = f"{share[1]}{mark}{share[2]}%"
        blanks = CATALOG[self.code][0] if self.code in CATALOG else ""
        for name, (prefix, default) in PHRASES.items():  # a code in the arguments, a phrase in the sentence
            key = f"{prefix}-{values.get(name) or default}"
            if f"{{{name}}}" in blanks and key in CATALOG:
                values[name] = sentence(key, **values)
        return values

    @property
    def message(self) -> str:
        """The sentence in the current language."""
        return self._placed(t(self.code, **self._values(t, None)))

    @property
    def message_vi(self) -> str:
        """The sentence in Vietnamese, whatever the language: for workbooks sent to the units."""
        return self._placed(vi(self.code, **self._values(vi, "vi")))

    def _placed(self, sentence: str) -> str:
        """Without "Ô :" where the form has no such cell (a hand-made form without a report date line)."""
        if self.cell or not (bare := _NO_CELL.sub("", sentence, count=1)) or bare == sentence:
            return sentence
        return bare[0].upper() + bare[1:]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "unit": self.unit,
            "round": self.round,
            "value": self.value,
            "args": {key: _jsonable(value) for key, value in self.args.items()},
            "message": self.message,
        }


# --- what a workbook says -------------------------------------------------------------------

KIND_FORM, KIND_CONSOLIDATED = "form", "consolidated"  # a unit's form, or a lower level's consolidated workbook
# What else the tool writes, marked so that it is never taken for a unit's return: the clerk's marked copy (a
# return again only once the clerk has changed it), the officer's error list, the emulation ranking.
KIND_FEEDBACK, KIND_FINDINGS, KIND_RANKING = "feedback", "findings", "ranking"
TOOL_OUTPUTS = frozenset({KIND_FINDINGS, KIND_RANKING})


@dataclass(frozen=True)
class Elsewhere:
    """Another sheet of a returned workbook that holds figures: a second copy of the form (``form``: the same
    figures as the one read, or not), or numbers outside any form (``cells``: the first few)."""

    sheet: str
    form: bool
    same: bool = False  # a form whose rows say what the form read says
    unit_text: str = ""  # whose form it says it is
    cells: tuple[str, ...] = ()
    count: int = 0  # how many cells hold a number
    unreadable: bool = False  # the sheet could not be read: what it holds is not known, so it is said


@dataclass(frozen=True)
class RawRow:
    """One table row as found: its sheet row number, the name typed, raw cell values by column key."""

    row: int
    name: str
    cells: dict[str, Any]
    code: str = ""  # a consolidated workbook's unit (or group) code
    label: str = ""  # what its STT cell says: 1, 2… for a unit, I, II… for a group subtotal


@dataclass(frozen=True)
class FormData:
    """What a returned workbook says, before identification and validation."""

    path: Path
    sheet: str
    meta: dict[str, str]
    title: str
    round_in_title: int | None
    unit_line: str
    unit_code_in_line: str
    rows: tuple[RawRow, ...]
    total: RawRow | None
    letters: dict[str, str]  # column key -> column letter in this file, for the columns found once
    report_date: object = ""  # as found: a date, a number or text
    preparer: str = ""
    phone: str = ""
    formula_cells: Collection[str] = frozenset()  # formulas without a saved result
    header_row: int = 0  # sheet row (1-based) of the table's header
    header_cell: str = ""  # where the name column's header stands, e.g. B10
    duplicates: dict[str, tuple[str, ...]] = field(default_factory=dict)  # column key -> letters found twice
    head_texts: tuple[str, ...] = ()  # every text above the table (title, unit line, the unit's name)
    report_date_cell: str = ""
    encoding: str = ""  # "TCVN3" or "VNI" when the sheet was typed in a legacy font
    subtotals: tuple[RawRow, ...] = ()  # a consolidated workbook's group subtotal rows
    by_elimination: tuple[str, ...] = ()  # count keys whose column was found by elimination (column-by-elimination)
    sheet_hidden: bool = False  # the form stands on a sheet the clerk does not see
    hidden_rows: frozenset[int] = frozenset()  # sheet rows hidden, filtered out or folded (xlsx, ods)
    hidden_columns: frozenset[int] = frozenset()  # column indexes (0-based) hidden likewise
    elsewhere: tuple[Elsewhere, ...] = ()  # the other sheets that hold figures
    # numbers on the form's sheet that no cell of the form holds (a column with no header in the table, a row under
    # it that is not the footer's): the first few cells, and how many
    loose: tuple[str, ...] = ()
    loose_count: int = 0

    @property
    def consolidated(self) -> bool:
        """A lower level's consolidated workbook (its hidden identity says so), not a unit's form."""
        return self.meta.get("kind") == KIND_CONSOLIDATED

    def address(self, key: str, row: int) -> str:
        return f"{self.letters[key]}{row}"


# --- a report, from the inbox to the store and back -------------------------------------------------

# A unit's figures: count by the key of a column campaign.toml declares ([[form.columns]]), blank ones left out.
# The one shape of a file's numbers from the reading of its values (checks.read_values) to the store and back, the
# checks against earlier rounds and other units, consolidate (which makes the round's table of them), ranking.
Counts = dict[str, int]


@dataclass(frozen=True)
class Row:
    """The figures of one unit in a report (its own row, or a sub-unit's), and where they stood."""

    unit: str  # the unit's code
    sheet_row: int
    counts: Counts
    cells: dict[str, str] = field(default_factory=dict, compare=False)  # column key -> address, when read


@dataclass
class Report:
    """One received file as the report of a unit for a round: examined, recorded, read back, shown."""

    path: str  # as printed and stored: text that survives any file name
    verdict: Verdict = Verdict.ACCEPTED
    unit: str = ""  # the unit's code
    unit_name: str = ""
    round: int | None = None
    identified_by: str = ""  # metadata | visible | file-name
    findings: list[Finding] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    sha256: str = ""
    size: int = 0
    suffix: str = ""
    sheet: str = ""  # the sheet the form was found on ("" when the file was not read as a form)
    preparer: str = ""
    phone: str = ""
    report_date: date | None = None  # typed on the form, and usable
    received_on: date | None = None  # stated by the officer, else the file's modification day
    date_source: DateSource = DateSource.UNKNOWN  # which of the two timeliness is judged by
    file_modified: datetime | None = None
    received_at: str = ""  # when this tool took it in (the run's start)
    status: Status | None = None  # in the store
    id: int | None = None  # in the store
    reason: str = ""  # why a file was skipped, as a code: lock-file, hidden, not-spreadsheet, symlink-loop, not-a-file
    copy_of: str = ""  # a feedback copy's: the SHA-256 of the file it was made from
    earlier: str = ""  # the path the same bytes were received under before, if they were
    answered_by: str = ""  # a file sent back: the unit's file of the round received after it (its fix), if any
    subtotals: list[Row] = field(default_factory=list)  # a lower level's group subtotals (its code or label as unit)
    trace: str = field(default="", repr=False)  # the traceback of a failure of the tool's own
    data: bytes = field(default=b"", repr=False, compare=False)  # the original bytes, on their way to the store
    index: int = field(default=-1, compare=False)  # position in the run, so that results come back in order

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity is Severity.WARNING for f in self.findings)

    @property
    def has_errors(self) -> bool:
        return self.errors > 0

    @property
    def verdict_text(self) -> str:
        """The verdict's words, with why a file was skipped, or that a file sent back had been sent before (and,
        when its unit has sent a received file since, that there is nothing to tell it)."""
        if self.reason and self.verdict is Verdict.SKIPPED:
            return f"{self.verdict.label} ({t('skip-' + self.reason)})"
        if self.verdict is Verdict.REJECTED and self.answered_by:
            return f"{self.verdict.label} ({t('rejected-answered', name=PurePath(self.answered_by).name)})"
        if self.verdict is Verdict.REJECTED and self.earlier:
            return f"{self.verdict.label} ({t('rejected-again', name=PurePath(self.earlier).name)})"
        return str(self.verdict.label)

    @property
    def effective_date(self) -> date | None:
        """The date timeliness is judged by: the typed date, else the day it was received."""
        return self.report_date or self.received_on

    @property
    def figures(self) -> dict[str, Counts]:
        """Counts by (sub-)unit code."""
        return {r.unit: r.counts for r in self.rows}

    def to_dict(self) -> dict[str, Any]:
        day = self.effective_date
        return {
            "path": self.path,
            "verdict": self.verdict.value,
            "unit": self.unit,
            "unit_name": self.unit_name,
            "round": self.round,
            "identified_by": self.identified_by,
            "reason": self.reason,
            "earlier": self.earlier,
            "answered_by": self.answered_by,
            "report_date": day.isoformat() if day else None,
            "date_source": self.date_source.value,
            "sha256": self.sha256,
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": [f.to_dict() for f in self.findings],
        }


def counts_first(report: Report) -> tuple[date, str, int]:
    """The order in which reports' figures count, the later last: by report date, then by when received
    (a unit in two senders' reports: the later one counts)."""
    return (report.effective_date or date.min, report.received_at, report.id or 0)


def verdict_for(findings: list[Finding]) -> Verdict:
    if any(f.severity is Severity.ERROR for f in findings):
        return Verdict.REJECTED
    if any(f.severity is Severity.WARNING for f in findings):
        return Verdict.ACCEPTED_WITH_WARNINGS
    return Verdict.ACCEPTED


@dataclass(frozen=True)
class FindingGroup:
    """One kind of finding across a run: how many, and where (unit codes, or file names where no unit is known,
    in the order met)."""

    code: str
    severity: Severity
    count: int
    where: tuple[str, ...]


@dataclass
class IngestResult:
    """Every file of one ingest run, in a stable order."""

    files: list[Report] = field(default_factory=list)
    error_log: Path | None = None  # where the tool's own failures of this run were written

    def flatten(self, *fields: str) -> list[list[Any]]:
        """Findings as lists of the named fields (default: file name, cell, code), for exact asserts."""
        names = fields or ("file", "cell", "code")
        return [
            [PurePath(report.path).name if name == "file" else getattr(finding, name) for name in names]
            for report in self.files
            for finding in report.findings
        ]

    def verdicts(self) -> dict[str, str]:
        return {PurePath(r.path).name: r.verdict.value for r in self.files}

    def count(self, verdict: Verdict) -> int:
        return sum(r.verdict is verdict for r in self.files)

    @property
    def rejected(self) -> int:
        return self.count(Verdict.REJECTED)

    @property
    def to_send_back(self) -> int:
        """The files sent back that their units have not answered with a file received since: the input's errors
        the officer still has to tell of (the exit code's)."""
        return sum(r.verdict is Verdict.REJECTED and not r.answered_by for r in self.files)

    @property
    def internal_errors(self) -> int:
        return self.count(Verdict.INTERNAL_ERROR)

    def needing_action(self) -> list[Report]:
        """The files sent back (and those the tool failed on): each one is something to do; not a file sent back
        before whose unit has sent a received file since."""
        return [r for r in self.files if r.verdict in (Verdict.REJECTED, Verdict.INTERNAL_ERROR) and not r.answered_by]

    def by_code(self) -> list[FindingGroup]:
        """The warnings and notes of the files kept, one group per code, most frequent first."""
        groups: dict[str, tuple[Severity, list[Finding], dict[str, None]]] = {}
        for report in self.files:
            if report.verdict in (Verdict.REJECTED, Verdict.INTERNAL_ERROR):
                continue
            for finding in report.findings:
                _, found, where = groups.setdefault(finding.code, (finding.severity, [], {}))
                found.append(finding)
                where[finding.unit or report.unit or PurePath(report.path).name] = None
        ranked = sorted(groups.items(), key=lambda item: (item[1][0] is not Severity.WARNING, -len(item[1][1])))
        return [FindingGroup(code, severity, len(found), tuple(where)) for code, (severity, found, where) in ranked]

    def to_dict(self, *, files: bool = True) -> dict[str, Any]:
        """The run as --json gives it; ``files=False``: without the list of files (written one at a time)."""
        return {
            **({"files": [r.to_dict() for r in self.files]} if files else {}),
            "summary": {v.value: self.count(v) for v in Verdict},
            "error_log": str(self.error_log) if self.error_log else None,
        }


@dataclass(frozen=True)
class Lineage:
    """The other files of a unit's round: those its report superseded and those sent back."""

    superseded: tuple[str, ...]
    rejected: tuple[str, ...]


@dataclass(frozen=True)
class Closure:
    """A round closed (chốt số liệu) once its report was sent: when, the last file recorded then, and the
    digest of its figures; files recorded later change none of the round's outputs until it is reopened."""

    id: int
    round: int
    closed_at: datetime
    through_id: int
    digest: str
