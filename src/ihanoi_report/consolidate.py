"""The district's figures for one round: the latest accepted submission of every unit, with
shares, assessments against the targets, group subtotals, the district total and the trend.

Pure: the store's records come in, pandas DataFrames go out. No I/O here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

import pandas as pd

from ihanoi_report.config import Campaign, Round
from ihanoi_report.form_spec import FormSpec
from ihanoi_report.messages import vi
from ihanoi_report.model import Closure, Finding, Lineage, Report, Row, Standing, counts_first
from ihanoi_report.units import Registry, Unit, flags_of


def total_keys(spec: FormSpec) -> tuple[str, ...]:
    """The sums and shares a subtotal or total line shows: each heading's counts, then the shares shown
    beside them (a share sits after the columns of its whole's heading)."""
    keys: list[str] = []
    for heading in (*(h.key for h in spec.headings), ""):
        keys += [c.key for c in spec.columns if c.heading == heading]
        keys += [s.key for s in spec.shares if s.shown and spec.by_key[s.whole].heading == heading]
    return tuple(keys)


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
    spec: FormSpec  # what the form counts: the columns of ``units``
    targets: tuple[str, ...] = ()  # the keys of the campaign's targets: a verdict column each

    @property
    def columns(self) -> tuple[str, ...]:
        """A unit's line, as CSV and JSON give it: who, when, the sums and shares, the verdicts."""
        return ("group", "code", "name", "reported", "late", "report_date", *total_keys(self.spec), "assessment",
                *(verdict_column(key) for key in self.targets))


def share(part: object, whole: object) -> float | None:
    """part / whole, or None when either is missing (NA, NaN, None) or whole is 0."""
    if pd.isna(part) or pd.isna(whole) or not whole:  # type: ignore[call-overload]
        return None
    return float(part) / float(whole)  # type: ignore[arg-type]


def filling(units: pd.DataFrame, spec: FormSpec, key: str) -> pd.DataFrame:
    """The rows of ``units`` (a consolidation's) whose unit fills the column ``key``, as the form declares who
    does (the communes, for the residents' counts)."""
    fills = spec.filled_by(spec.by_key[key])
    return units[[fills.includes(str(group), flags_of(bool(residents)))
                  for group, residents in zip(units["group"], units["has_residents"], strict=True)]]


def verdict_column(target: str) -> str:
    """The column of a unit's verdict on one target ("assessment_staff")."""
    return f"assessment_{target}"


def _judged(key: str, unit: Unit, campaign: Campaign, rnd: Round) -> bool:
    """Whether the target ``key`` is judged for the unit in this round: from the first round due after its
    deadline, and only where the unit fills the share it judges (residents, for a unit with residents)."""
    if not campaign.target_applies(key, rnd):
        return False
    spec = campaign.declared
    part = spec.share_by_key[campaign.targets[key].measure].part
    return any(c.key == part for c in spec.fills(unit.group, unit.flags))


def assess_target(row: Mapping[str, object], key: str, unit: Unit, campaign: Campaign, rnd: Round) -> str:
    """One target's verdict for one unit: blank while the target is not judged yet (before the first round due
    after its deadline) or does not concern the unit (residents, for a unit without), else Đạt / Chưa đạt, or
    Chưa báo cáo."""
    return _verdict(row, key, campaign) if _judged(key, unit, campaign, rnd) else ""


def _verdict(row: Mapping[str, object], key: str, campaign: Campaign) -> str:
    """The verdict of a target judged for the unit of ``row``: Đạt / Chưa đạt, Chưa báo cáo, or blank without
    both of its counts."""
    if not row.get("reported"):
        return NOT_REPORTED
    share = campaign.declared.share_by_key[campaign.targets[key].measure]
    total, installed = row.get(share.whole), row.get(share.part)
    if not (isinstance(total, int | float) and isinstance(installed, int | float)) or total <= 0:
        return ""
    return MET if installed >= campaign.targets[key].needed(int(total)) else MISSED


def assess(row: Mapping[str, object], unit: Unit, campaign: Campaign, rnd: Round) -> str:
    """Đạt / Chưa đạt against every target that applies to this round (each one's verdict: assess_target);
    Chưa báo cáo when nothing came, Chưa đánh giá before any target is judged."""
    judged = [key for key in campaign.targets if _judged(key, unit, campaign, rnd)]
    return _assessment(row, [_verdict(row, key, campaign) for key in judged])


def _assessment(row: Mapping[str, object], verdicts: Sequence[str]) -> str:
    """assess() from the verdicts of the targets judged for the unit."""
    if not row.get("reported"):
        return NOT_REPORTED
    if not verdicts:
        return NOT_JUDGED
    return MISSED if MISSED in verdicts else MET


def consolidate(registry: Registry, campaign: Campaign, rnd: Round, accepted: Sequence[Report]) -> Consolidation:
    """Every registry unit with its figures from the latest accepted submission that covers it."""
    units = _units(registry, campaign, rnd, accepted)
    groups, district = _totals(units, registry, campaign.declared)
    return Consolidation(rnd, units, groups, district, campaign.declared, tuple(campaign.targets))


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
    spec = campaign.declared
    columns = [(key, verdict_column(key)) for key in campaign.targets]
    # What depends only on a unit's group and flags (the columns it does not fill, the targets judged for it),
    # found once per kind of unit, not for each of 10,000 units.
    kinds: dict[tuple[str, frozenset[str]], tuple[list[str], list[str]]] = {}
    records = []
    for order, unit in enumerate(registry):
        row: dict[str, object] = {
            "order": order, "code": unit.code, "name": unit.name, "group": unit.group, "parent": unit.parent or "",
            "has_residents": unit.has_residents, "contact": unit.contact, "reported": False, "late": False,
            "report_date": None, "date_source": "", "source": "",
        }  # fmt: skip
        row.update(figures.get(unit.code, {}))
        kind = (unit.group, unit.flags)
        if kind not in kinds:
            filled = {c.key for c in spec.fills(*kind)}
            kinds[kind] = ([key for key in spec.keys if key not in filled],
                           [key for key in campaign.targets if _judged(key, unit, campaign, rnd)])
        unfilled, judged = kinds[kind]
        for key in unfilled:
            row.pop(key, None)
        verdicts = {key: _verdict(row, key, campaign) for key in judged}
        row["assessment"] = _assessment(row, list(verdicts.values()))
        for key, column in columns:  # one verdict per target: what is judged is said
            row[column] = verdicts.get(key, "")
        records.append(row)
    units = pd.DataFrame.from_records(records)
    for key in spec.keys:
        if key not in units:
            units[key] = pd.NA
        units[key] = units[key].astype("Int64")
    for declared in spec.shares:
        units[declared.key] = _shares(units[declared.part], units[declared.whole])
    return units


def _totals(units: pd.DataFrame, registry: Registry, spec: FormSpec) -> tuple[pd.DataFrame, pd.Series]:
    """The subtotals of each group (in the registry's order) and the district's total."""
    group_order = {g.code: i for i, g in enumerate(registry.groups)}
    counts_keys = list(spec.keys)
    sums = units.groupby("group", sort=False)[counts_keys].sum(min_count=1)
    counts = units.groupby("group", sort=False).agg(
        units_total=("code", "size"), reported=("reported", "sum"), late=("late", "sum")
    )
    groups = sums.join(counts)
    groups = groups.loc[sorted(groups.index, key=group_order.__getitem__)]
    groups["label"] = [next(g.label for g in registry.groups if g.code == code) for code in groups.index]
    shown = [declared for declared in spec.shares if declared.shown]
    for declared in shown:
        groups[declared.key] = _shares(groups[declared.part], groups[declared.whole])
    district = units[counts_keys].sum(min_count=1).astype(object)
    district["units_total"] = len(units)
    district["reported"] = int(units["reported"].sum())
    district["late"] = int(units["late"].sum())
    for declared in shown:
        district[declared.key] = share(district[declared.part], district[declared.whole])
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
    records = [[str(unit["code"]), *(None if pd.isna(unit[k]) else int(unit[k]) for k in result.spec.keys)]
               for unit in result.units.sort_values("code").to_dict("records")]  # fmt: skip
    return hashlib.sha256(json.dumps(records, separators=(",", ":")).encode()).hexdigest()


DISTRICT = "__district__"  # the district's own line in a trend
Shares = dict[tuple[str, int, str], float | None]  # (unit code or DISTRICT, round, measure) -> share


def trend(
    registry: Registry,
    campaign: Campaign,
    by_round: Mapping[int, Sequence[Report]],
    current: Consolidation | None = None,
    consolidated: Callable[[Round, Sequence[Report]], Consolidation] | None = None,
) -> Shares:
    """The shown shares of every unit, and of the district, in each round.

    ``current`` is a round already consolidated by the caller, not computed a second time; ``consolidated``
    gives the caller's consolidation of another round (one it keeps, so that each is made once).
    """
    shares: Shares = {}
    measures = [s.key for s in campaign.declared.shares if s.shown]
    for number, accepted in sorted(by_round.items()):
        if current is not None and current.round.number == number:
            result = current
        elif not accepted:  # no report in that round: every share unknown, nothing to add up
            codes = [unit.code for unit in registry] + [DISTRICT]
            shares.update(((code, number, measure), None) for code in codes for measure in measures)
            continue
        else:
            result = (consolidated or partial(consolidate, registry, campaign))(campaign.round(number), accepted)
        for measure in measures:
            values = result.units[measure].to_numpy(dtype="float64", na_value=float("nan")).tolist()
            for code, value in zip(result.units["code"], values, strict=True):
                shares[(code, number, measure)] = None if value != value else value  # NaN: unknown
            shares[(DISTRICT, number, measure)] = result.district[measure]
    return shares


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A table's rows as dicts, what ``to_dict("records")`` gives, read a column at a time (``tolist`` makes the
    plain values in one pass, where ``to_dict`` boxes value by value: a tenth of a second for 10,000 units)."""
    columns = list(frame.columns)
    return [dict(zip(columns, row, strict=True)) for row in zip(*(_plain(frame[c]) for c in columns), strict=True)]


def _plain(column: pd.Series) -> list[Any]:
    """A column's values as ``to_dict`` gives them: a nullable column's missing values as None, not pd.NA."""
    values = column.tolist()
    return [None if v is pd.NA else v for v in values] if column.hasnans else values


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


def furthest_from_target(result: Consolidation, measure: str, count: int = 5) -> pd.DataFrame:
    """The units that reported, of those that fill the share ``measure``, with its lowest values (the communes
    with the lowest share of smartphone owners who installed iHanoi)."""
    whole = result.spec.share_by_key[measure].whole
    filling = result.units[result.units["reported"] & result.units[whole].notna()]
    return filling.sort_values([measure, "order"], na_position="first").head(count)


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
