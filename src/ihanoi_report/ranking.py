"""The emulation ranking (thi đua) of the reporting units, within each group, by the transparent criteria of
campaign.toml [ranking]: every criterion's points are kept per unit, so a head of unit sees why the unit
stands where it stands. Pure: the histories come from the store through the office."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from ihanoi_report.config import INPUT_KINDS, Campaign, Criterion, RankingInput, RankingRules, Round
from ihanoi_report.messages import vi
from ihanoi_report.model import Counts, Standing, number_text, points_shown

REPORTED = (Standing.ON_TIME, Standing.LATE)


@dataclass(frozen=True)
class UnitHistory:
    """One reporting unit's rounds up to the one ranked: where it stood, its figures in use, files sent back."""

    code: str
    name: str
    group: str
    standing: Mapping[int, Standing]
    counts: Mapping[int, Counts] = field(default_factory=dict)  # rounds with a report in use
    sent_back: int = 0
    days_early: int = 0  # days before the due dates its reports came, summed over the rounds (late: negative)
    # per ranking input read: the unit's row of figures, or None when the input has no row for it
    inputs: Mapping[str, Mapping[str, int | None] | None] = field(default_factory=dict)

    @property
    def ever_reported(self) -> bool:
        return any(s in REPORTED for s in self.standing.values())


@dataclass(frozen=True)
class Unmatched:
    """A row of a ranking input that gave no unit's figures."""

    row: int  # the sheet's row number (1-based)
    text: str  # what its unit cell says
    reason: str  # "unknown", "ambiguous" (two units), "twice" (a unit already given), "not-a-number"


@dataclass(frozen=True)
class InputTable:
    """One ranking input as read (ranking_inputs.read_input): each unit's figures, and the rows not matched."""

    definition: RankingInput
    file: str  # its name, as the officer gave it
    sha256: str
    values: Mapping[str, Mapping[str, int | None]]  # unit code -> column key -> figure (None: the cell is empty)
    unmatched: tuple[Unmatched, ...]


@dataclass(frozen=True)
class RankedUnit:
    unit: UnitHistory
    points: tuple[float, ...]  # one per criterion, in the order of campaign.toml
    total: float
    rank: int
    proposal: str


@dataclass(frozen=True)
class Ranking:
    as_of: Round
    criteria: tuple[Criterion, ...]
    judged: tuple[bool, ...]  # per criterion: False while its target's first round is still to come
    groups: tuple[tuple[str, tuple[RankedUnit, ...]], ...]  # (group code, units best first)
    inputs: tuple[InputTable, ...] = ()  # the ranking inputs read (an input not read: its criteria not judged)

    def read(self, criterion: Criterion) -> bool:
        """Whether the criterion was scored: not one on a ranking input that was not read (not judged)."""
        return criterion.kind not in INPUT_KINDS or any(t.definition.key == criterion.input for t in self.inputs)

    def shown(self, criterion: Criterion, group: str) -> bool:
        """Whether a unit of ``group`` has points on the criterion to show (else blank: not 0 points)."""
        return criterion.applies_to(group) and self.read(criterion)

    def input_criteria(self) -> list[Criterion]:
        """The criteria scored from an input that was read: each has the figures it scored."""
        return [c for c in self.criteria if c.kind in INPUT_KINDS and self.read(c)]

    def figures(self, criterion: Criterion, unit: UnitHistory) -> tuple[int, float] | None:
        """What an input criterion that was read scored of ``unit`` (input_figures)."""
        days = next(t.definition.days for t in self.inputs if t.definition.key == criterion.input)
        return input_figures(criterion, unit, days)

    def rows(self) -> list[dict[str, Any]]:
        """One flat record per unit, group after group: for CSV and JSON. A criterion that does not apply to
        the unit's group is None (blank in CSV), not 0; days_early is the last tie-break."""
        return [
            {"group": group, "rank": u.rank, "code": u.unit.code, "name": u.unit.name,
             **{c.key: p if self.shown(c, group) else None for c, p in zip(self.criteria, u.points, strict=True)},
             # what an input criterion scored: [counted, out of], or None ("không có số liệu")
             **{f"{c.key}_figures": list(figures) if (figures := self.figures(c, u.unit)) else None
                for c in self.input_criteria()},
             "total": u.total, "days_early": u.unit.days_early, "proposal": u.proposal}
            for group, units in self.groups for u in units
        ]  # fmt: skip

    def inputs_dict(self) -> list[dict[str, Any]]:
        """Each input read: its file and digest, its period, the units it gave, the rows not used."""
        ranked = [u.unit.code for _, units in self.groups for u in units]
        return [{"key": t.definition.key, "file": t.file, "sha256": t.sha256,
                 "starts": t.definition.starts.isoformat(), "ends": t.definition.ends.isoformat(),
                 "units": len(t.values), "no_row": [code for code in ranked if code not in t.values],
                 "unmatched": [asdict(u) for u in t.unmatched]} for t in self.inputs]  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of_round": self.as_of.number,
            "due": self.as_of.due.isoformat(),
            "criteria": [{**asdict(c), "judged": judged} for c, judged in zip(self.criteria, self.judged, strict=True)],
            "units": self.rows(),
            "inputs": self.inputs_dict(),
        }


def target_round(campaign: Campaign, key: str) -> Round | None:
    """The first round due after the target's deadline: the round the target is judged at."""
    return next((rnd for rnd in campaign.rounds if campaign.target_applies(key, rnd)), None)


def _judged_by(campaign: Campaign, key: str, as_of: Round) -> bool:
    rnd = target_round(campaign, key)
    return rnd is not None and rnd.number <= as_of.number


def target_met(unit: UnitHistory, campaign: Campaign, key: str) -> bool | None:
    """Whether the unit reached the target in the round it is judged at (None: not judged yet)."""
    rnd = target_round(campaign, key)
    if rnd is None or rnd.number not in unit.standing:
        return None
    counts = unit.counts.get(rnd.number)
    if counts is None:
        return False
    share = campaign.declared.share_by_key[campaign.targets[key].measure]
    done, whole = share.part, share.whole
    return bool(counts.get(whole)) and counts.get(done, 0) >= campaign.targets[key].needed(counts[whole])


def input_figures(criterion: Criterion, unit: UnitHistory, days: int) -> tuple[int, float] | None:
    """What a rate or count criterion measures of the unit: (counted, out of), or None without figures
    ("không có số liệu": the input has no row for it, or the cells it needs are empty). A count is out of one
    item every ``per_days`` days of the input's period."""
    row = unit.inputs.get(criterion.input)
    if row is None:
        return None
    if criterion.kind == "rate":
        part, whole = row.get(criterion.part), row.get(criterion.whole)
        return None if part is None or whole is None else (part, float(whole))
    value = row.get(criterion.value)
    return None if value is None else (value, days / criterion.per_days)


def figures_text(figures: Sequence[float] | None) -> str:
    """What an input criterion scored, as every output writes it: "45/50", "22/23" (news posted / needed,
    the need rounded to a whole item), or "Không có số liệu"."""
    if not figures:
        return vi("rank-no-figures")
    done, whole = figures
    return f"{number_text(done, ',.0f', 'vi')}/{number_text(whole, ',.0f', 'vi')}"


def input_points(criterion: Criterion, figures: tuple[int, float] | None) -> float:
    """By thresholds (the first the ratio reaches), else in proportion; a whole of 0 asked nothing: full points."""
    if figures is None:
        return criterion.missing_points
    done, whole = figures
    ratio = done / whole if whole else 1.0
    if criterion.thresholds:
        return next((points for least, points in criterion.thresholds if ratio >= least), 0.0)
    return criterion.points * min(1.0, ratio)


def score(criterion: Criterion, unit: UnitHistory, campaign: Campaign) -> float:
    """The points ``unit`` earns on ``criterion`` (0 outside the criterion's groups, and for an input not read)."""
    if not criterion.applies_to(unit.group):
        return 0.0
    if criterion.kind in INPUT_KINDS:
        if criterion.input not in unit.inputs:
            return 0.0
        assert campaign.ranking is not None
        return input_points(criterion, input_figures(criterion, unit, campaign.ranking.input_of(criterion).days))
    if criterion.kind == "on_time":
        counted = [n for n in unit.standing if not criterion.rounds or n in criterion.rounds]
        return sum(criterion.points if unit.standing[n] is Standing.ON_TIME
                   else criterion.late_points if unit.standing[n] is Standing.LATE else 0.0 for n in counted)
    if criterion.kind == "target":
        return criterion.points if target_met(unit, campaign, criterion.target) else 0.0
    if criterion.kind == "quality":
        return max(0.0, criterion.points - criterion.penalty * unit.sent_back)
    # share and progress: the measure's share in each round the unit has figures for, in order
    spec = campaign.declared
    shares = [s for n in sorted(unit.counts)
              if (s := spec.share_of(dict(unit.counts[n]), criterion.measure)) is not None]
    if criterion.kind == "share":
        return criterion.points * shares[-1] if shares else 0.0
    return criterion.points * max(0.0, shares[-1] - shares[0]) if len(shares) > 1 else 0.0  # progress


def _proposal(unit: UnitHistory, rank: int, campaign: Campaign, rules: RankingRules) -> str:
    """Commendation for the best units that missed nothing; reminder or criticism for those that missed."""
    if not unit.ever_reported:
        return rules("criticize", reasons=rules("never_reported"))
    missing = [n for n, s in sorted(unit.standing.items()) if s not in REPORTED]
    late = [n for n, s in sorted(unit.standing.items()) if s is Standing.LATE]
    missed = [campaign.targets[c.target].label for c in rules.criteria if c.kind == "target"
              and c.applies_to(unit.group) and target_met(unit, campaign, c.target) is False]
    reasons = ([rules("reason_missing", rounds=", ".join(map(str, missing)))] if missing else []) + (
        [rules("reason_late", rounds=", ".join(map(str, late)))] if late else []) + [
        rules("reason_target", target=label) for label in dict.fromkeys(missed)]
    if len(missing) >= rules.criticize_missing:
        return rules("criticize", reasons="; ".join(reasons))
    if reasons:
        return rules("remind", reasons="; ".join(reasons))
    return rules("commend") if rank <= rules.commend_top else ""


def rank_units(histories: Sequence[UnitHistory], campaign: Campaign, as_of: Round,
               group_order: Sequence[str], inputs: Sequence[InputTable] = ()) -> Ranking:
    """Every unit of every group, best first: by total points, then by the tie_break criteria in turn, then by
    how early its reports came; units still equal share a rank; a unit that never reported is last."""
    rules = campaign.ranking
    assert rules is not None
    order = {c.key: i for i, c in enumerate(rules.criteria)}
    groups = []
    for group in group_order:
        scored = []
        for unit in (u for u in histories if u.group == group):
            points = tuple(points_shown(score(c, unit, campaign)) for c in rules.criteria)
            key = (not unit.ever_reported, -points_shown(sum(points)), *(-points[order[k]] for k in rules.tie_break),
                   -unit.days_early)
            scored.append((key, unit, points))
        scored.sort(key=lambda item: (item[0], item[1].name))
        ranked, previous, rank = [], None, 0
        for position, (key, unit, points) in enumerate(scored, start=1):
            rank = rank if key == previous else position
            previous = key
            ranked.append(RankedUnit(unit, points, points_shown(sum(points)), rank,
                                     _proposal(unit, rank, campaign, rules)))
        if ranked:
            groups.append((group, tuple(ranked)))
    unjudged = Ranking(as_of, rules.criteria, (), tuple(groups), tuple(inputs))
    judged = tuple((c.kind != "target" or _judged_by(campaign, c.target, as_of)) and unjudged.read(c)
                   for c in rules.criteria)  # fmt: skip
    return replace(unjudged, judged=judged)
