"""Findings are data: a code, a severity, where, which unit and round, what was found.

Their sentences come from messages.py by code, so a report can be shown in any language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path, PurePath
from typing import Any

from ihanoi_report.messages import CATALOG, get_language, t, vi


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


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Verdict(StrEnum):
    ACCEPTED = "accepted"
    ACCEPTED_WITH_WARNINGS = "accepted-with-warnings"
    REJECTED = "rejected"
    SKIPPED = "skipped"
    ALREADY_RECEIVED = "already-received"
    INTERNAL_ERROR = "internal-error"  # the tool failed, not the file: nothing recorded

    @property
    def label(self) -> str:
        return t(f"verdict-{self.value}")


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
        values: dict[str, Any] = {"cell": self.cell, "value": self.value, "round": self.round, **self.args}
        values = {k: count_text(v, language) for k, v in values.items()}
        blanks = CATALOG[self.code][0] if self.code in CATALOG else ""
        for name, (prefix, default) in PHRASES.items():  # a code in the arguments, a phrase in the sentence
            if f"{{{name}}}" in blanks:
                values[name] = sentence(f"{prefix}-{values.get(name) or default}", **values)
        return values

    @property
    def message(self) -> str:
        """The sentence in the current language."""
        return t(self.code, **self._values(t, None))

    @property
    def message_vi(self) -> str:
        """The sentence in Vietnamese, whatever the language: for workbooks sent to the units."""
        return vi(self.code, **self._values(vi, "vi"))

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
            "args": {k: v if isinstance(v, str | int | float | bool | None) else str(v) for k, v in self.args.items()},
            "message": self.message,
        }


# Arguments that hold a code for a phrase of their own ("reason": "future" -> "ngày trong tương lai"),
# and the phrase for a finding recorded before the argument existed.
PHRASES: dict[str, tuple[str, str]] = {
    "reason": ("reason", "unreadable"),
    "date_source": ("date-source", "typed"),
    "format": ("format", "xlsx"),
}


@dataclass
class FileReport:
    """What happened to one file of an ingest run."""

    path: str
    verdict: Verdict
    unit: str = ""
    unit_name: str = ""
    round: int | None = None
    identified_by: str = ""
    reason: str = ""  # why a file was skipped; for a file received before, the name it came under
    findings: list[Finding] = field(default_factory=list)
    submission_id: int | None = None
    sha256: str = ""  # its original bytes are in the store under this digest
    sheet: str = ""  # the sheet the form was found on ("" when the file was not read as a form)
    report_date: date | None = None  # the date timeliness was judged by
    date_source: str = ""  # typed | file | stated: where report_date came from

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity is Severity.WARNING for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "verdict": self.verdict.value,
            "unit": self.unit,
            "unit_name": self.unit_name,
            "round": self.round,
            "identified_by": self.identified_by,
            "reason": self.reason,
            "report_date": self.report_date.isoformat() if self.report_date else None,
            "date_source": self.date_source,
            "sha256": self.sha256,
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": [f.to_dict() for f in self.findings],
        }


def verdict_for(findings: list[Finding]) -> Verdict:
    if any(f.severity is Severity.ERROR for f in findings):
        return Verdict.REJECTED
    if any(f.severity is Severity.WARNING for f in findings):
        return Verdict.ACCEPTED_WITH_WARNINGS
    return Verdict.ACCEPTED


@dataclass
class BatchReport:
    """Every file of one ingest run, in a stable order."""

    files: list[FileReport] = field(default_factory=list)
    error_log: Path | None = None  # where the tool's own failures of this run were written

    def flatten(self, *fields: str) -> list[list[Any]]:
        """Findings as lists of the named fields (default: file name, cell, code), for exact asserts."""
        names = fields or ("file", "cell", "code")
        rows: list[list[Any]] = []
        for report in self.files:
            for finding in report.findings:
                rows.append([_field(report, finding, name) for name in names])
        return rows

    def verdicts(self) -> dict[str, str]:
        return {PurePath(r.path).name: r.verdict.value for r in self.files}

    def count(self, verdict: Verdict) -> int:
        return sum(r.verdict is verdict for r in self.files)

    @property
    def rejected(self) -> int:
        return self.count(Verdict.REJECTED)

    @property
    def internal_errors(self) -> int:
        return self.count(Verdict.INTERNAL_ERROR)

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": [r.to_dict() for r in self.files],
            "summary": {v.value: self.count(v) for v in Verdict},
            "error_log": str(self.error_log) if self.error_log else None,
        }


def _field(report: FileReport, finding: Finding, name: str) -> Any:
    if name == "file":
        return PurePath(report.path).name
    return getattr(finding, name)
