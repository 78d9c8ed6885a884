"""The checks of a report against what the store holds: the unit's earlier rounds, the other units' shares,
another sender's report with the same unit; and which of two reports of a unit and round counts. Pure: the
store's answers come in as arguments."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath

from ihanoi_report.checks.base import I, Need, Stored, W, Where, check, column_name
from ihanoi_report.config import Campaign, format_date
from ihanoi_report.form_spec import FormSpec
from ihanoi_report.model import Counts, Finding, Report, Row, Severity, percent_text
from ihanoi_report.units import Registry


def check_history(
    rows: Sequence[Row],
    previous: Mapping[str, Counts],
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
                        column=column_name(key),
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
                        column=column_name(key),
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

    def __init__(self, counts: Mapping[str, Counts], spec: FormSpec, share: str) -> None:
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
                    percent_text(value, "vi"),  # the cell's value as the clerk's workbook says it, whatever --lang
                    unit=row.unit,
                    limit=percent_text(mean),
                    share=share.label,
                )
            )
    return findings



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


# --- the checks, as the registry runs them --------------------------------------------------------------


def _history(s: Stored) -> list[Finding]:
    previous_round, previous = s.previous()
    return check_history(s.rows, previous, previous_round, s.campaign, s.where)


def _outliers(s: Stored) -> list[Finding]:
    findings: list[Finding] = []
    spec = s.campaign.declared
    for share in spec.outlier_shares:
        counted = [r for r in s.rows if share.whole in r.counts]
        if counted:
            book = s.book(share.key)
            findings += check_outlier(counted, book.others(s.report.unit), book, s.campaign, s.where)
    return findings


def _elsewhere(s: Stored) -> list[Finding]:
    # Only a sub-unit can be in another sender's report (its parent's): the others cost no query.
    subs = [r.unit for r in s.rows if (unit := s.registry.get(r.unit)) is not None and unit.parent]
    return check_elsewhere(s.report, s.elsewhere(subs), s.registry, s.where) if subs else []


def _declared_steady(campaign: Campaign) -> tuple[tuple[str, Severity], ...]:
    return tuple((c.steady_code, W) for c in campaign.declared.columns if c.steady)


def _declared_outliers(campaign: Campaign) -> tuple[tuple[str, Severity], ...]:
    return tuple((share.outlier_code, W) for share in campaign.declared.outlier_shares)


HISTORY = check("history", [("count-fell", W), ("residents-changed-sharply", W), ("count-changed-sharply", W)],
                [Need.STORE], _history, declared=_declared_steady)
OUTLIERS = check("outliers", [("smartphone-share-outlier", W), ("share-outlier", W)], [Need.STORE], _outliers,
                 declared=_declared_outliers)
ELSEWHERE = check("elsewhere", [("unit-in-two-reports", W)], [Need.STORE], _elsewhere)
# Run by the ingest's recorder when it decides which report of a unit and round counts (choose_report).
CHOICE = check("choice", [("resubmission", I), ("report-not-latest", I), ("report-order-unclear", W)],
               [Need.STORE])
