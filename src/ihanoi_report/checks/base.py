"""What every check is made of: a code's severity (Rule), where a finding points (Where), what a check needs
and gives (Need), the two subjects checks read (one workbook; the store's view of it), and the Check itself."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ihanoi_report.model import Counts, Finding, FormData, Report, Row, Severity
from ihanoi_report.values import shown

if TYPE_CHECKING:
    from ihanoi_report.checks.store import ShareBook
    from ihanoi_report.config import Campaign, Round
    from ihanoi_report.form_spec import FormSpec
    from ihanoi_report.units import Registry, Unit

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741


@dataclass(frozen=True)
class Rule:
    """A finding code and its severity; its sentence and title are messages.py's, by code."""

    code: str
    severity: Severity


# code -> severity of every released code; the registry (checks/__init__) fills it from its checks.
SEVERITY: dict[str, Severity] = {}


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


class Need(StrEnum):
    """What a check needs before it can run (and what a check gives the checks after it)."""

    WORKBOOK = "workbook"  # a workbook read and its unit identified: a form or a consolidated workbook
    FORM = "form"  # a unit's form
    CONSOLIDATED = "consolidated"  # a lower level's consolidated workbook
    ROUND = "round"  # the round the file reports is known (its dates, its targets)
    ROWS = "rows"  # the figures of each unit, read (given by the reading of values)
    DATE = "date"  # the report's date, decided (given by the report-date check)
    STORE = "store"  # what the store holds: earlier rounds, the other units, the report in use


@dataclass
class Examined:
    """One workbook under examination, in a worker: what its checks read, and the report they fill in
    (the reading of values gives its rows, the report-date check its date)."""

    sub: FormData
    members: Sequence[Unit]
    campaign: Campaign
    where: Where
    report: Report
    today: date
    confirmed: bool  # the officer stated the round (ingest --round): a later round's date is no conflict
    said: frozenset[str] = frozenset()  # the codes identification said already (legacy-encoding once)

    @property
    def spec(self) -> FormSpec:
        return self.campaign.declared

    @property
    def rnd(self) -> Round:
        assert self.report.round is not None  # a check that reads it needs Need.ROUND
        return self.campaign.round(self.report.round)

    def has(self) -> frozenset[Need]:
        kind = Need.CONSOLIDATED if self.sub.consolidated else Need.FORM
        return frozenset({Need.WORKBOOK, kind, *([Need.ROUND] if self.report.round is not None else [])})


@dataclass
class Stored:
    """A report that passed its own checks, against what the store holds (in the main process). The store
    is asked only through these functions, and only by the checks that need it."""

    report: Report
    campaign: Campaign
    registry: Registry
    where: Where
    previous: Callable[[], tuple[int | None, Mapping[str, Counts]]]  # the unit's last earlier round
    book: Callable[[str], ShareBook]  # a share of every unit of the round
    elsewhere: Callable[[Sequence[str]], Sequence[tuple[str, Report]]]  # sub-units in another sender's report

    @property
    def rows(self) -> list[Row]:
        return self.report.rows

    def has(self) -> frozenset[Need]:
        return frozenset({Need.STORE, Need.ROUND, Need.ROWS, Need.DATE})


@dataclass(frozen=True)
class Check:
    """One check: its name (its title is messages.py's check-{name}), the codes it says, what it needs and
    gives, and how it runs. ``run`` is None for a step that runs where its work is (the reader, identify,
    which of two reports counts): it is listed so that every code has its check."""

    name: str
    rules: tuple[Rule, ...]
    needs: frozenset[Need]
    run: Callable[[Any], list[Finding]] | None = None
    gives: frozenset[Need] = frozenset()
    declared: Callable[[Campaign], tuple[Rule, ...]] = field(default=lambda campaign: ())  # campaign.toml's codes


def check(name: str, rules: Sequence[tuple[str, Severity]], needs: Sequence[Need],
          run: Callable[[Any], list[Finding]] | None = None, *, gives: Sequence[Need] = (),
          declared: Callable[[Campaign], Iterable[tuple[str, Severity]]] | None = None) -> Check:
    """A Check, written compactly in the modules that hold the checks' functions: its codes as (code, severity);
    ``declared``: the codes campaign.toml declares for it, likewise."""
    def declared_rules(campaign: Campaign) -> tuple[Rule, ...]:
        return tuple(Rule(code, severity) for code, severity in declared(campaign)) if declared else ()

    return Check(name, tuple(Rule(code, severity) for code, severity in rules), frozenset(needs), run,
                 frozenset(gives), declared_rules)


def column_name(key: str) -> str:
    """A count column, by its key: messages.py names it ("cột 6 - Số người dân có điện thoại thông minh")."""
    return key


def address(sub: FormData, key: str, row: int) -> str:
    return f"{sub.letters[key]}{row}" if key in sub.letters else ""
