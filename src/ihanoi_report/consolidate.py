"""The district's figures for one round: the latest accepted submission of every unit, with
shares, assessments against the targets, group subtotals, the district total and the trend.

Pure: the store's records come in, pandas DataFrames go out. No I/O here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from ihanoi_report import form
from ihanoi_report.config import Campaign, Round
from ihanoi_report.messages import vi
from ihanoi_report.model import Closure, Finding, Lineage, Report, Row, Standing, counts_first
from ihanoi_report.units import Registry

COUNTS = list(form.COUNT_KEYS)
# The sums and shares a subtotal or total line shows.
TOTAL_KEYS = (
    "staff_total",
    "staff_installed",
    "staff_share",
    "residents",
    "smartphones",
    "residents_installed",
    "resident_share",
)
# Words of the official table (Vietnamese whatever --lang: the consolidated workbook and its CSV).
MET, MISSED, NOT_REPORTED, NOT_JUDGED = (
    vi(f"assessment-{key}") for key in ("met", "missed", "not-reported", "not-judged")
)


@dataclass(frozen=True)
class Consolidation:
    round: Round
    units: pd.DataFrame  # one row per registry unit, in registry order
    groups: pd.DataFrame  # one row per group: subtotals and shares
    district: pd.Series  # the district total


def share(part: object, whole: object) -> float | None:
    """part / whole, or None when either is missing (NA, NaN, None) or whole is 0."""
    if pd.isna(part) or pd.isna(whole) or not whole:  # type: ignore[call-overload]
        return None
    return float(part) / float(whole)  # type: ignore[arg-type]


TARGET_COLUMNS = {"staff": "assessment_staff", "residents": "assessment_residents"}


def _judged(key: str, has_residents: bool, campaign: Campaign, rnd: Round) -> bool:
    """Whether the target ``key`` is judged for such a unit in this round (from the first round due after its
    deadline; the residents' one only where the unit has residents)."""
    return campaign.target_applies(key, rnd) and (key != "residents" or has_residents)


def assess_target(row: Mapping[str, object], key: str, has_residents: bool, campaign: Campaign, rnd: Round) -> str:
    """One target's verdict for one unit: blank while the target is not judged yet (before the first round due
    after its deadline) or does not concern the unit (residents, for a unit without), else Đạt / Chưa đạt, or
    Chưa báo cáo."""
    if not _judged(key, has_residents, campaign, rnd):
        return ""
    if not row.get("reported"):
        return NOT_REPORTED
    part, whole = form.SHARES[form.TARGET_SHARES[key]]
    total, installed = row.get(whole), row.get(part)
    if not (isinstance(total, int | float) and isinstance(installed, int | float)) or total <= 0:
        return ""
    return MET if installed >= campaign.targets[key].needed(int(total)) else MISSED


def assess(row: Mapping[str, object], has_residents: bool, campaign: Campaign, rnd: Round) -> str:
    """Đạt / Chưa đạt against every target that applies to this round (each one's verdict: assess_target);
    Chưa báo cáo when nothing came, Chưa đánh giá before any target is judged."""
    if not row.get("reported"):
        return NOT_REPORTED
    judged = [key for key in TARGET_COLUMNS if _judged(key, has_residents, campaign, rnd)]
    if not judged:
        return NOT_JUDGED
    verdicts = [assess_target(row, key, has_residents, campaign, rnd) for key in judged]
    return MISSED if MISSED in verdicts else MET


def consolidate(registry: Registry, campaign: Campaign, rnd: Round, accepted: Sequence[Report]) -> Consolidation:
    """Every registry unit with its figures from the latest accepted submission that covers it."""
    units = _units(registry, campaign, rnd, accepted)
    groups, district = _totals(units, registry)
    return Consolidation(rnd, units, groups, district)


def _figures(rnd: Round, accepted: Sequence[Report]) -> dict[str, dict[str, object]]:
    """Each (sub-)unit's counts from the report that covers it, with when and where they came from."""
    figures: dict[str, dict[str, object]] = {}
    # A unit in two senders' reports (a school in its office's workbook and in its own form): the later counts.
    for report in sorted(accepted, key=counts_first):
        day = report.effective_date
        late = rnd.late(day)
        for row in report.rows:
            figures[row.unit] = {
                **row.counts,
                "reported": True,
                "late": late,
                "report_date": day,
                "date_source": report.date_source.value,
                "source": report.path,
            }
    return figures


def _units(registry: Registry, campaign: Campaign, rnd: Round, accepted: Sequence[Report]) -> pd.DataFrame:
    """One row per registry unit, in registry order: its counts, shares and assessment."""
    figures = _figures(rnd, accepted)
    records = []
    for order, unit in enumerate(registry):
        row: dict[str, object] = {
            "order": order, "code": unit.code, "name": unit.name, "group": unit.group, "parent": unit.parent or "",
            "has_residents": unit.has_residents, "contact": unit.contact, "reported": False, "late": False,
            "report_date": None, "date_source": "", "source": "",
        }  # fmt: skip
        row.update(figures.get(unit.code, {}))
        for column in form.COUNT_COLUMNS:
            if column not in form.inputs(unit):
                row.pop(column.key, None)
        row["assessment"] = assess(row, unit.has_residents, campaign, rnd)
        for key, verdict in TARGET_COLUMNS.items():  # one verdict per target: what is judged is said
            row[verdict] = assess_target(row, key, unit.has_residents, campaign, rnd)
        records.append(row)
    units = pd.DataFrame.from_records(records)
    for key in COUNTS:
        if key not in units:
            units[key] = pd.NA
        units[key] = units[key].astype("Int64")
    units["staff_share"] = _shares(units["staff_installed"], units["staff_total"])
    units["resident_share"] = _shares(units["residents_installed"], units["smartphones"])
    units["smartphone_share"] = _shares(units["smartphones"], units["residents"])
    return units


def _totals(units: pd.DataFrame, registry: Registry) -> tuple[pd.DataFrame, pd.Series]:
    """The subtotals of each group (in the registry's order) and the district's total."""
    group_order = {g.code: i for i, g in enumerate(registry.groups)}
    sums = units.groupby("group", sort=False)[COUNTS].sum(min_count=1)
    counts = units.groupby("group", sort=False).agg(
        units_total=("code", "size"), reported=("reported", "sum"), late=("late", "sum")
    )
    groups = sums.join(counts)
    groups = groups.loc[sorted(groups.index, key=group_order.__getitem__)]
    groups["label"] = [next(g.label for g in registry.groups if g.code == code) for code in groups.index]
    groups["staff_share"] = _shares(groups["staff_installed"], groups["staff_total"])
    groups["resident_share"] = _shares(groups["residents_installed"], groups["smartphones"])
    district = units[COUNTS].sum(min_count=1).astype(object)
    district["units_total"] = len(units)
    district["reported"] = int(units["reported"].sum())
    district["late"] = int(units["late"].sum())
    district["staff_share"] = share(district["staff_installed"], district["staff_total"])
    district["resident_share"] = share(district["residents_installed"], district["smartphones"])
    return groups, district


def _shares(part: pd.Series, whole: pd.Series) -> pd.Series:
    result = part.astype("Float64") / whole.astype("Float64").where(whole > 0)
    return result.astype("Float64")


@dataclass(frozen=True)
class RoundView:
    """Everything known of one round: its consolidation, who reported, the warnings kept, the shares over the
    rounds so far, and the files behind the reports counted (the lineage)."""

    result: Consolidation
    status: pd.DataFrame
    warnings: Sequence[tuple[str, str, Finding]]
    trend: dict[tuple[str, int, str], float | None]
    rounds: Sequence[int]
    accepted: Sequence[Report]
    lineage: Mapping[str, Lineage] = field(default_factory=dict)
    subtotals: Mapping[str, Sequence[Row]] = field(default_factory=dict)  # a sender's groups, by its code
    rejected_without_unit: int = 0  # files of the round sent back that named no unit (damaged, not a form)
    closure: Closure | None = None  # the round is closed (chốt số liệu): its reports are those of the closing
    after_closure: Sequence[Report] = ()  # files of the closed round recorded later: stored, not counted


def figures_digest(result: Consolidation) -> str:
    """A fingerprint of the round's figures, unit by unit (SHA-256): what was sent when the round was closed,
    to be checked whenever its outputs are made again."""
    records = [[str(unit["code"]), *(None if pd.isna(unit[k]) else int(unit[k]) for k in COUNTS)]
               for unit in result.units.sort_values("code").to_dict("records")]  # fmt: skip
    return hashlib.sha256(json.dumps(records, separators=(",", ":")).encode()).hexdigest()


DISTRICT = "__district__"  # the district's own line in a trend
TREND_MEASURES = ("staff_share", "resident_share")
Shares = dict[tuple[str, int, str], float | None]  # (unit code or DISTRICT, round, measure) -> share


def trend(
    registry: Registry,
    campaign: Campaign,
    by_round: Mapping[int, Sequence[Report]],
    current: Consolidation | None = None,
) -> Shares:
    """The staff and resident shares of every unit, and of the district, in each round.

    ``current`` is a round already consolidated by the caller, not computed a second time.
    """
    shares: Shares = {}
    for number, accepted in sorted(by_round.items()):
        if current is not None and current.round.number == number:
            result = current
        elif not accepted:  # no report in that round: every share unknown, nothing to add up
            codes = [unit.code for unit in registry] + [DISTRICT]
            shares.update(((code, number, measure), None) for code in codes for measure in TREND_MEASURES)
            continue
        else:
            result = consolidate(registry, campaign, campaign.round(number), accepted)
        for measure in TREND_MEASURES:
            values = result.units[measure].to_numpy(dtype="float64", na_value=float("nan")).tolist()
            for code, value in zip(result.units["code"], values, strict=True):
                shares[(code, number, measure)] = None if value != value else value  # NaN: unknown
            shares[(DISTRICT, number, measure)] = result.district[measure]
    return shares


def notes(unit: Mapping[str, Any], unclear: Collection[str]) -> list[tuple[str, date | None]]:
    """What the Ghi chú column says of a unit, as (message key, date): lateness, a date that did not come
    from the form, two disagreeing reports whose order is unclear."""
    if not unit["reported"]:
        return []
    found: list[tuple[str, date | None]] = []
    day, source = unit["report_date"], unit.get("date_source") or "typed"
    if day is not None and (unit["late"] or source != "typed"):
        found.append((f"note-{'late' if unit['late'] else 'date'}-{source}", day))
    if unit["code"] in unclear:
        found.append(("note-order-unclear", None))
    return found


def furthest_from_target(result: Consolidation, count: int = 5) -> pd.DataFrame:
    """The communes with the lowest share of smartphone owners who installed iHanoi."""
    communes = result.units[result.units["has_residents"] & result.units["reported"]]
    return communes.sort_values(["resident_share", "order"], na_position="first").head(count)


def reporting_status(
    registry: Registry, rnd: Round, accepted: Sequence[Report], rejected_units: set[str]
) -> pd.DataFrame:
    """Each reporting unit: on time, late, rejected (awaiting a corrected file) or missing."""
    by_unit = {a.unit: a for a in accepted}
    rows = []
    for unit in registry.reporting_units():
        submission = by_unit.get(unit.code)
        date_source = ""
        if submission is not None:
            report_date: date | None = submission.effective_date
            late = rnd.late(report_date)
            status = Standing.LATE if late else Standing.ON_TIME
            date_source = submission.date_source.value
        else:
            status = Standing.REJECTED if unit.code in rejected_units else Standing.MISSING
            report_date = None
        rows.append(
            {
                "code": unit.code,
                "name": unit.name,
                "group": unit.group,
                "contact": unit.contact,
                "status": status.value,
                "report_date": report_date,
                "date_source": date_source,
            }
        )
    return pd.DataFrame.from_records(rows)
