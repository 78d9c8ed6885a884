"""The registry of checks: one object per check (its codes and their severity, what it needs and gives, how it
runs), in the order they run. It drives the runner (``run``), ``ihanoi-report rules`` and the README's table;
every code has a sentence and a title in messages.py. Targets and thresholds come from campaign.toml.
"""

from __future__ import annotations

from collections.abc import Sequence

from ihanoi_report.checks.base import SEVERITY, Check, E, Examined, I, Need, Rule, Stored, W, Where, check
from ihanoi_report.checks.form import (
    COLUMNS,
    CONSISTENCY,
    CONSOLIDATED_VALUES,
    FORM_VALUES,
    LINES,
    SEEN,
    SUBTOTALS,
    TOTAL,
    check_columns,
    check_consistency,
    check_subtotals,
    check_total,
    check_what_is_seen,
    lines_checked,
    match_row,
    read_consolidated,
    read_values,
    subtotal_rows,
)
from ihanoi_report.checks.round import (
    LATE,
    LATEST_REPORT_DAYS,
    REPORT_DATE,
    TARGETS,
    check_late,
    check_report_date,
    check_targets,
)
from ihanoi_report.checks.store import (
    CHOICE,
    ELSEWHERE,
    HISTORY,
    OUTLIERS,
    Choice,
    ShareBook,
    ShareStats,
    check_elsewhere,
    check_history,
    check_outlier,
    choose_report,
)
from ihanoi_report.config import Campaign
from ihanoi_report.model import Finding, Report

# The steps that say codes where their work is done: the reader (a file that cannot be read as a form), ingest
# (a photo or PDF sent instead of the workbook, an archive it cannot open), identification, and the tool's own
# failure.
READ = check("read", [("file-unreadable", E), ("file-encrypted", E), ("not-a-spreadsheet", E),
                      ("file-format-unsupported", E), ("file-variant-unsupported", E), ("file-too-large", E),
                      ("form-not-found", E), ("not-a-workbook", E), ("archive-unopened", E),
                      ("archive-unreadable", E)], [])
IDENTIFY = check("identify", [("unit-unknown", E), ("unit-ambiguous", E), ("round-mismatch", E),
                              ("round-unknown", E), ("campaign-mismatch", E), ("form-version-unknown", I),
                              ("unit-conflict", E), ("unit-reports-through", W), ("round-conflict", E),
                              ("legacy-encoding", I)], [])
TOOL = check("tool", [("internal-error", E)], [])

CHECKS: tuple[Check, ...] = (
    READ, IDENTIFY,
    COLUMNS, SEEN, FORM_VALUES, CONSOLIDATED_VALUES, LINES, SUBTOTALS, TOTAL, CONSISTENCY,
    REPORT_DATE, TARGETS, LATE,
    HISTORY, OUTLIERS, ELSEWHERE, CHOICE,
    TOOL,
)  # fmt: skip


def _unique(rules: Sequence[Rule]) -> tuple[Rule, ...]:
    """Each code once, where it comes first (two checks may say one code: row-unknown, total-row-mismatch)."""
    kept: dict[str, Rule] = {}
    for rule in rules:
        kept.setdefault(rule.code, rule)
    return tuple(kept.values())


RULES: tuple[Rule, ...] = _unique([rule for c in CHECKS for rule in c.rules])
SEVERITY.update({rule.code: rule.severity for rule in RULES})
CHECK_OF: dict[str, Check] = {rule.code: c for c in reversed(CHECKS) for rule in c.rules}  # a code's first check


def declared_rules(campaign: Campaign) -> tuple[Rule, ...]:
    """The codes campaign.toml declares for the checks (a part above its whole is an error, a unit below a
    target a warning), those that are not released codes already."""
    return _unique([rule for c in CHECKS for rule in c.declared(campaign) if rule.code not in SEVERITY])


def declared_codes(campaign: Campaign) -> frozenset[str]:
    """Every code the campaign's declarations give (its checks, targets, steady columns, outlier shares)."""
    return frozenset(rule.code for c in CHECKS for rule in c.declared(campaign))


def checks_of(campaign: Campaign | None) -> tuple[tuple[Rule, Check], ...]:
    """Every code with the check that says it: the tool's, then those the campaign declares."""
    declared = {rule.code: c for c in reversed(CHECKS) for rule in c.declared(campaign)} if campaign else {}
    return (*((rule, CHECK_OF[rule.code]) for rule in RULES),
            *((rule, declared[rule.code]) for rule in (declared_rules(campaign) if campaign else ())))


def plan(subject: Examined | Stored) -> list[Check]:
    """The checks of the registry the subject runs, in order: those whose needs it has, or an earlier check
    of the plan gives."""
    has, planned = set(subject.has()), []
    for c in CHECKS:
        if c.run is not None and c.needs and c.needs <= has:
            planned.append(c)
            has |= c.gives
    return planned


def run(subject: Examined | Stored) -> list[Finding]:
    """The subject's findings: every check of its plan, in order."""
    findings: list[Finding] = []
    for c in plan(subject):
        assert c.run is not None
        findings += c.run(subject)
    return findings


# What a unit cannot change by correcting its form: facts of timeliness and progress (every target's code,
# the campaign's own included), and questions for the officer. They are said to the officer, and never put in
# a copy that asks the unit to correct or check.
FOR_THE_OFFICE = frozenset({"late-report", "resubmission", "report-not-latest", "report-order-unclear",
                            "unit-in-two-reports", "unit-reports-through", *(r.code for r in TARGETS.rules)})


def office_codes(campaign: Campaign | None) -> frozenset[str]:
    """FOR_THE_OFFICE, with the codes of the campaign's own targets."""
    return FOR_THE_OFFICE | {rule.code for rule in TARGETS.declared(campaign)} if campaign else FOR_THE_OFFICE


def feedback_kind(report: Report, office: frozenset[str]) -> str | None:
    """Which copy goes back to the unit: "can-sua" (sent back: correct and send again), "luu-y" (received:
    check these cells, no need to send again if the figures are right), or none (nothing it should do, or a file
    sent back that the unit has answered since).
    ``office``: the codes for the officer alone (office_codes)."""
    if report.answered_by:  # sent back before, and the unit has sent a received file since
        return None
    if report.has_errors:
        return "can-sua"
    return "luu-y" if any(f.code not in office for f in report.findings) else None


def for_the_unit(report: Report, office: frozenset[str]) -> list[Finding]:
    """The findings a copy for the unit lists: all of a file sent back, the unit's own checks of one received
    (``office``: office_codes)."""
    return list(report.findings) if report.has_errors else [f for f in report.findings if f.code not in office]


__all__ = [
    "CHECKS",
    "FOR_THE_OFFICE",
    "LATEST_REPORT_DAYS",
    "RULES",
    "SEVERITY",
    "Check",
    "Choice",
    "Examined",
    "Need",
    "Rule",
    "ShareBook",
    "ShareStats",
    "Stored",
    "Where",
    "check_columns",
    "check_consistency",
    "check_elsewhere",
    "check_history",
    "check_late",
    "check_outlier",
    "check_report_date",
    "check_subtotals",
    "check_targets",
    "check_total",
    "check_what_is_seen",
    "checks_of",
    "choose_report",
    "declared_codes",
    "declared_rules",
    "feedback_kind",
    "for_the_unit",
    "lines_checked",
    "match_row",
    "office_codes",
    "plan",
    "read_consolidated",
    "read_values",
    "run",
    "subtotal_rows",
]
