"""What the round report says, as facts computed once from a round's consolidation: the drafted .docx, the
pictures and the Zalo message all show these, so they agree with each other and with the consolidated
workbook to the unit. One section a target of campaign.toml, on the share it judges. Pure: no file is read
or written here."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ihanoi_report.config import Campaign, Round, SummaryTexts, Target, blanks_in, format_date
from ihanoi_report.consolidate import DISTRICT, RoundView, filling
from ihanoi_report.form_spec import Share
from ihanoi_report.messages import with_counts
from ihanoi_report.model import Standing, count_text, number_text, percent_text, points_shown, share_shown

EXAMPLES = 3  # units named as the highest and the lowest


def ends(units: Sequence[UnitLine], most: int) -> tuple[Sequence[UnitLine], Sequence[UnitLine]]:
    """The highest and the lowest of units ranked highest first, at most ``most`` of each, and never one unit in
    both ("cao nhất: A, B; thấp nhất: B, A" of two units): a unit alone is neither. A share the reader sees on
    both sides (A 71,6 % among the highest, B 71,6 % among the lowest) is on neither; nothing is said of a side
    left empty, so neither side is (every unit at 100 %: no "highest" and "lowest" at all)."""
    each = min(most, len(units) // 2)
    best, worst = units[:each], units[::-1][:each]
    both = {pct(u.part.share) for u in best} & {pct(u.part.share) for u in worst}
    best = [u for u in best if pct(u.part.share) not in both]
    worst = [u for u in worst if pct(u.part.share) not in both]
    return (best, worst) if best and worst else ((), ())


@dataclass(frozen=True)
class Part:
    """A count out of a whole, and its share (None when the whole is unknown or 0)."""

    done: int | None
    whole: int | None

    @property
    def share(self) -> float | None:
        return self.done / self.whole if self.done is not None and self.whole else None


@dataclass(frozen=True)
class UnitLine:
    code: str
    name: str
    part: Part
    before: float | None = None  # the share at the previous round with figures


@dataclass(frozen=True)
class GroupLine:
    label: str
    reported: int
    expected: int
    parts: tuple[Part | None, ...]  # one a shown share; None where no unit of the group fills it


@dataclass(frozen=True)
class TargetFacts:
    """One target's section of the report: the level's figures on its share, and its units."""

    target: Target
    share: Share
    whole: Part  # the level's sums
    before: float | None  # the level's share at the previous round with figures
    judged: bool
    units: tuple[UnitLine, ...]  # reported units that fill the share, highest share first
    below: tuple[UnitLine, ...]  # of those, under the target, lowest first (empty while it is not judged)


@dataclass(frozen=True)
class RoundFacts:
    round: Round
    previous: int | None  # the latest earlier round with reports, for the change since
    reported: int
    expected: int
    on_time: int
    late: int
    awaited: tuple[str, ...]  # reporting units missing, or sent back and not yet corrected (names)
    targets: tuple[TargetFacts, ...]  # in campaign.toml's order
    groups: tuple[GroupLine, ...]
    total: tuple[Part, ...]  # the level's sums, one a shown share (the groups table's last line)
    rejected_files: int
    corrected: int  # units whose sent-back file was followed by a report now in use
    collected: tuple[tuple[str, int, int], ...] = ()  # an office that collects its own units: name, reported, all
    closed_on: date | None = None  # the round is closed (chốt số liệu) since this day

    def target(self, key: str) -> TargetFacts:
        return next(section for section in self.targets if section.target.key == key)

    @property
    def to_remind(self) -> tuple[str, ...]:
        """Units to name in the proposal: not reported, then under a target that applies (names, once each)."""
        return tuple(dict.fromkeys((*self.awaited, *self.below_targets)))

    @property
    def below_targets(self) -> tuple[str, ...]:
        """Units that reported and are under a target that applies (names, once each)."""
        names = dict.fromkeys(u.name for section in self.targets for u in section.below)
        return tuple(name for name in names if name not in self.awaited)

    def remind(self, words: SummaryTexts, key: str, names: Sequence[str], more: str = "") -> str:
        """The sentence that asks ``names`` (to_remind, perhaps cut short, then ``more``: "và 3 đơn vị khác",
        after no comma) to act: KEY_report when every unit named is still to report, KEY_target when every one is
        under a target (where [summary] has them), else KEY, which asks both ("khẩn trương gửi báo cáo, hoàn thành
        chỉ tiêu")."""
        units = ", ".join(names) + (f" {more}" if more else "")
        if not self.below_targets and words.has(f"{key}_report"):
            return words(f"{key}_report", units=units)
        if not self.awaited and words.has(f"{key}_target"):
            return words(f"{key}_target", units=units)
        return words(key, units=units)


def _int(value: Any) -> int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else int(number)


def _part(row: Any, share: Share) -> Part:
    return Part(_int(row[share.part]), _int(row[share.whole]))


def round_facts(view: RoundView, campaign: Campaign) -> RoundFacts:
    result, rnd = view.result, view.result.round
    units, status = result.units, view.status
    spec = campaign.declared
    shown = [share for share in spec.shares if share.shown]
    earlier = [number for number in view.rounds if number < rnd.number
               and any(view.trend.get((DISTRICT, number, s.key)) is not None for s in shown)]  # fmt: skip
    previous = max(earlier) if earlier else None

    def before(code: str, measure: str) -> float | None:
        return view.trend.get((code, previous, measure)) if previous is not None else None

    counts = status["status"].value_counts()
    on_time, late = int(counts.get(Standing.ON_TIME, 0)), int(counts.get(Standing.LATE, 0))
    awaited = tuple(status[status["status"].isin([Standing.MISSING, Standing.REJECTED])]["name"])
    reported = units[units["reported"]]
    sections = []
    for target in campaign.targets.values():
        share = spec.share_by_key[target.measure]
        filling = reported[reported[share.whole].notna()] if len(reported) else reported
        lines = [UnitLine(u["code"], u["name"], _part(u, share), before(u["code"], share.key))
                 for u in filling.to_dict("records")]
        lines.sort(key=lambda u: (-(u.part.share or 0.0), u.name))
        judged = campaign.target_applies(target.key, rnd)
        below = sorted((u for u in lines if u.part.whole and u.part.done is not None
                        and u.part.done < target.needed(u.part.whole)),
                       key=lambda u: (u.part.share or 0.0, u.name)) if judged else []
        sections.append(TargetFacts(target, share, _part(result.district, share), before(DISTRICT, share.key),
                                    judged, tuple(lines), tuple(below)))
    # every file of the round sent back, as ingest counted them: a unit's, and those that named no unit
    rejected_files = sum(len(lineage.rejected) for lineage in view.lineage.values()) + view.rejected_without_unit
    corrected = sum(1 for unit, lineage in view.lineage.items()
                    if lineage.rejected and unit in set(reported["code"]))
    return RoundFacts(
        round=rnd, previous=previous, reported=on_time + late, expected=len(status), on_time=on_time, late=late,
        awaited=awaited, targets=tuple(sections), groups=_groups(view, campaign, shown),
        total=tuple(_part(result.district, share) for share in shown),
        rejected_files=rejected_files, corrected=corrected, collected=_collected(units),
        closed_on=view.closure.closed_at.date() if view.closure is not None else None,
    )  # fmt: skip


def _collected(units: Any) -> tuple[tuple[str, int, int], ...]:
    """For each unit that collects the reports of units under it (the Education Office and its schools): its
    name, how many of them have figures in use, and how many there are."""
    names = dict(zip(units["code"], units["name"], strict=True))
    found = []
    for parent, members in units[units["parent"] != ""].groupby("parent", sort=False):
        found.append((str(names.get(parent, parent)), int(members["reported"].sum()), len(members)))
    return tuple(found)


def _groups(view: RoundView, campaign: Campaign, shown: Sequence[Share]) -> tuple[GroupLine, ...]:
    lines = []
    units = view.result.units
    spec = campaign.declared
    for group in campaign.groups:
        if group.code not in view.result.groups.index:
            continue
        row: Any = view.result.groups.loc[group.code]
        members = units[units["group"] == group.code]
        parts = tuple(None if filling(members, spec, share.whole).empty else _part(row, share) for share in shown)
        lines.append(GroupLine(group.label, int(row["reported"]), int(row["units_total"]), parts))
    return tuple(lines)


# --- the words, from campaign.toml [summary] -------------------------------------------------------------


def pct(share: float | None) -> str:
    """A share as the report writes it (the number policy: model.share_shown)."""
    return "-" if share is None else percent_text(share, "vi")


def num(value: int | None) -> str:
    return "-" if value is None else str(count_text(value, "vi"))


def fraction(part: Part) -> str:
    """"4.908/4.910"; "-" when nothing of it is known (no unit of the table has residents), never "-/-"."""
    if part.done is None and part.whole is None:
        return "-"
    return f"{num(part.done)}/{num(part.whole)}"


def change_points(now: float, before: float) -> float:
    """The change between two shares in percentage points: of the two shares as shown, so that a reader who
    subtracts them finds the same (71,6 % - 41,0 % = 30,6)."""
    return points_shown((share_shown(now) - share_shown(before)) * 100, 1)


def change(words: SummaryTexts, now: float | None, before: float | None, previous: int | None) -> str:
    """ (lần 2: 61,2%, tăng 4,3 điểm phần trăm), or nothing without an earlier round."""
    if previous is None or now is None or before is None:
        return ""
    points = change_points(now, before)
    text = number_text(abs(points), ".1f", "vi")
    delta = words("rise", points=text) if points > 0 else words("fall", points=text) if points < 0 else words("same")
    return words("change", previous=previous, previous_share=pct(before), delta=delta)


def named(lines: Sequence[UnitLine]) -> str:
    return ", ".join(f"{u.name} ({pct(u.part.share)})" for u in lines)


def paragraphs(facts: RoundFacts, campaign: Campaign) -> list[tuple[str, str]]:
    """The body of the report, in order: ("heading" | "text" | "groups" | "units", words); "units" holds the key
    of the target whose units' table stands there."""
    words = campaign.summary
    assert words is not None
    rnd = facts.round
    body: list[tuple[str, str]] = [
        ("text", words("opening", basis=campaign.legal_basis, round=rnd.number, due=format_date(rnd.due),
                       as_of=format_date(rnd.as_of))),
        *((("text", words("closed", date=format_date(facts.closed_on))),) if facts.closed_on else ()),
        ("heading", words("reporting_heading")),
        ("text", words("reporting", reported=facts.reported, expected=facts.expected, on_time=facts.on_time,
                       late=facts.late)),
        # what each sentence counts is said: the units reporting here, then those an office collected itself
        *(("text", words("reporting_through", office=office, reported=done, expected=whole))
          for office, done, whole in facts.collected),
        ("text", words("reporting_missing", count=len(facts.awaited), units=", ".join(facts.awaited))
         if facts.awaited else words("reporting_all")),
    ]  # fmt: skip
    for i, section in enumerate(facts.targets):
        body += _section(section, facts, words, first=i == 0)
    body += [
        ("heading", words("quality_heading")),
        ("text", words("quality", rejected=facts.rejected_files, corrected=facts.corrected)
         if facts.rejected_files else words("quality_none")),
        ("heading", words("proposal_heading")),
        ("text", facts.remind(words, "proposal", facts.to_remind) if facts.to_remind else words("proposal_none")),
        ("text", words("closing")),
    ]  # fmt: skip
    return body


def _section(section: TargetFacts, facts: RoundFacts, words: SummaryTexts, *, first: bool) -> list[tuple[str, str]]:
    """One target's part of the report: its level's figures, the groups table after the first, the highest and
    lowest units, who is under the target, and its units' table, each where [summary] has its words."""
    key, target, whole = section.target.key, section.target, section.whole
    if whole.whole is None and not section.units and words.has(f"{key}_none"):  # a level without its figures
        return [("heading", words(f"{key}_heading")), ("text", words(f"{key}_none"))]
    figures = {"done": num(whole.done), "whole": num(whole.whole), "share": pct(whole.share),
               "change": change(words, whole.share, section.before, facts.previous)}
    body = [("heading", words(f"{key}_heading")),
            ("text", words(key, **figures, **{alias: figures[name] for alias, name in LEGACY_BLANKS.items()}))]
    if first:
        body.append(("groups", ""))
    best, worst = ends(section.units, EXAMPLES)
    if best and words.has(f"{key}_best"):
        for side, lines in (("best", best), ("worst", worst)):  # "Xã … có" for one, not "Các xã … có"
            one = "_one" if len(lines) == 1 and words.has(f"{key}_{side}_one") else ""
            body.append(("text", words(f"{key}_{side}{one}", units=named(lines))))
    if not section.judged:
        body.append(("text", words(f"{key}_not_judged", target=target.label, deadline=format_date(target.deadline))))
    elif section.below:
        body.append(("text", words(f"{key}_below", count=len(section.below), target=target.label,
                                   units=named(section.below))))
    elif words.has(f"{key}_all_met"):
        body.append(("text", words(f"{key}_all_met", target=target.label)))
    if section.units and words.has(f"{key}_table"):
        body += [("text", words(f"{key}_table")), ("units", key)]
    return body


# The blanks a target's sentence had before the form was declared ("{installed}/{total}"): still filled, so that
# an office's own [summary] keeps working.
LEGACY_BLANKS = {"installed": "done", "total": "whole", "smartphones": "whole"}
ZALO_NAMES = 10  # units named in the Zalo message; the rest are counted


def zalo_message(facts: RoundFacts, campaign: Campaign) -> str:
    """A few lines for the district's Zalo group: the headline figures and the units to remind. A line of the
    template whose figures this level does not have (residents, at the Education Office) is left out."""
    words = campaign.summary
    assert words is not None
    names, more = facts.to_remind[:ZALO_NAMES], len(facts.to_remind) - ZALO_NAMES
    remind = (facts.remind(words, "zalo_remind", names, words("zalo_more", count=more) if more > 0 else "")
              if names else words("zalo_remind_none"))
    best, worst = ends(facts.target(campaign.last_target.key).units, 1)
    blanks: dict[str, object] = {
        "round": facts.round.number, "district": campaign.district, "due": format_date(facts.round.due),
        "as_of": format_date(facts.round.as_of),
        "reported": facts.reported, "expected": facts.expected, "late": facts.late,
        "best": named(best) or None, "worst": named(worst) or None, "remind": remind,
    }  # fmt: skip
    shown = [share for share in campaign.declared.shares if share.shown]
    for share, part in zip(shown, facts.total, strict=True):  # a share's figures, by its key and its columns' keys
        known = part.whole is not None
        blanks |= {share.key: pct(part.share) if known else None, share.part: num(part.done) if known else None,
                   share.whole: num(part.whole) if known else None}
    lines = [line for line in words.text["zalo"].splitlines()
             if all(blanks.get(name) is not None for name in blanks_in(line))]
    filled = with_counts(blanks, "vi")
    return "\n".join(line.format(**filled) for line in lines)
