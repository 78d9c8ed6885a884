"""The checks of a workbook against its round: the report's date, the targets due by then, and whether the
report came late. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from ihanoi_report.checks.base import E, Examined, Need, W, Where, check
from ihanoi_report.config import Campaign, Round, format_date
from ihanoi_report.model import DateSource, Finding, Row, Severity, percent_text
from ihanoi_report.units import Unit
from ihanoi_report.values import ParsedDate, parse_date


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
    example = format_date(rnd.example_day)  # how to write a date this round's form takes
    if parsed.missing:
        return None, [where.finding("report-date-missing", cell, example=example)]
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
    return None, [where.finding("report-date-invalid", cell, shown_date, reason=reason, opens=format_date(rnd.opens),
                                example=example)]


def check_late(day: date | None, date_source: str, rnd: Round, where: Where) -> list[Finding]:
    """After the round's due date is late; ``date_source`` says where the date came from."""
    if day is None or not rnd.late(day):
        return []
    return [where.finding("late-report", "", format_date(day), limit=format_date(rnd.due), date_source=date_source)]



# --- the checks, as the registry runs them --------------------------------------------------------------


def _report_date(w: Examined) -> list[Finding]:
    """The date on the form (a consolidated workbook's is written by the tool, and only read)."""
    written = _iso_day(w.sub.meta.get("report_date", "")) if w.sub.consolidated else None
    if written is not None:
        w.report.report_date, w.report.date_source = written, DateSource.TYPED
        return []
    typed, findings = check_report_date(parse_date(w.sub.report_date), w.sub.report_date_cell, w.rnd, w.campaign,
                                        w.today, w.confirmed, w.where)
    if typed is not None:
        w.report.report_date, w.report.date_source = typed, DateSource.TYPED
    return findings


def _iso_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _targets(w: Examined) -> list[Finding]:
    return check_targets(w.report.rows, w.members, w.campaign, w.rnd, w.where)


def _late(w: Examined) -> list[Finding]:
    return check_late(w.report.effective_date, w.report.date_source.value, w.rnd, w.where)


def _declared_targets(campaign: Campaign) -> tuple[tuple[str, Severity], ...]:
    return tuple((t.code, W) for t in campaign.targets.values())


REPORT_DATE = check("report-date", [("report-date-missing", W), ("report-date-invalid", W),
                                    ("round-date-conflict", E)], [Need.WORKBOOK, Need.ROUND], _report_date,
                    gives=[Need.DATE])
TARGETS = check("targets", [("staff-target-missed", W), ("resident-target-missed", W), ("target-missed", W)],
                [Need.WORKBOOK, Need.ROUND, Need.ROWS], _targets, declared=_declared_targets)
LATE = check("late", [("late-report", W)], [Need.WORKBOOK, Need.ROUND, Need.DATE], _late)
