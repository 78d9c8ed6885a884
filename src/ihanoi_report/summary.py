"""What the round report says, as facts computed once from a round's consolidation: the drafted .docx, the
pictures and the Zalo message all show these, so they agree with each other and with the consolidated
workbook to the unit. Pure: no file is read or written here."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ihanoi_report.config import Campaign, Round, SummaryTexts, blanks_in, format_date
from ihanoi_report.consolidate import DISTRICT, RoundView
from ihanoi_report.model import Standing, count_text, number_text, percent_text, points_shown, share_shown

EXAMPLES = 3  # communes named as the highest and the lowest


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
    staff: Part
    residents: Part | None  # None for a group without residents


@dataclass(frozen=True)
class RoundFacts:
    round: Round
    previous: int | None  # the latest earlier round with reports, for the change since
    reported: int
    expected: int
    on_time: int
    late: int
    awaited: tuple[str, ...]  # reporting units missing, or sent back and not yet corrected (names)
    staff: Part
    staff_before: float | None
    residents: Part
    residents_before: float | None
    groups: tuple[GroupLine, ...]
    staff_judged: bool
    staff_below: tuple[UnitLine, ...]  # reported units under the staff target, lowest first
    residents_judged: bool
    communes: tuple[UnitLine, ...]  # reported communes, highest share first
    residents_below: tuple[UnitLine, ...]
    rejected_files: int
    corrected: int  # units whose sent-back file was followed by a report now in use
    collected: tuple[tuple[str, int, int], ...] = ()  # an office that collects its own units: name, reported, all
    closed_on: date | None = None  # the round is closed (chốt số liệu) since this day

    @property
    def to_remind(self) -> tuple[str, ...]:
        """Units to name in the proposal: not reported, then under a target that applies (names, once each)."""
        names = [*self.awaited, *(u.name for u in self.staff_below), *(u.name for u in self.residents_below)]
        return tuple(dict.fromkeys(names))


def _int(value: Any) -> int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else int(number)


def _part(row: Any, done: str, whole: str) -> Part:
    return Part(_int(row[done]), _int(row[whole]))


def round_facts(view: RoundView, campaign: Campaign) -> RoundFacts:
    result, rnd = view.result, view.result.round
    units, status = result.units, view.status
    earlier = [number for number in view.rounds if number < rnd.number
               and view.trend.get((DISTRICT, number, "staff_share")) is not None]  # fmt: skip
    previous = max(earlier) if earlier else None

    def before(code: str, measure: str) -> float | None:
        return view.trend.get((code, previous, measure)) if previous is not None else None

    counts = status["status"].value_counts()
    on_time, late = int(counts.get(Standing.ON_TIME, 0)), int(counts.get(Standing.LATE, 0))
    awaited = tuple(status[status["status"].isin([Standing.MISSING, Standing.REJECTED])]["name"])
    staff_target, resident_target = campaign.targets["staff"], campaign.targets["residents"]
    reported = units[units["reported"]]
    staff_lines = [UnitLine(u["code"], u["name"], _part(u, *_pair(campaign, "staff_share")))
                   for u in reported.to_dict("records")]
    staff_below = sorted((u for u in staff_lines if u.part.whole and u.part.done is not None
                          and u.part.done < staff_target.needed(u.part.whole)),
                         key=lambda u: (u.part.share or 0.0, u.name))
    communes = [UnitLine(u["code"], u["name"], _part(u, *_pair(campaign, "resident_share")),
                         before(u["code"], "resident_share"))
                for u in reported[reported["has_residents"]].to_dict("records")]
    communes.sort(key=lambda u: (-(u.part.share or 0.0), u.name))
    residents_below = [u for u in communes if u.part.whole and u.part.done is not None
                       and u.part.done < resident_target.needed(u.part.whole)]
    # every file of the round sent back, as ingest counted them: a unit's, and those that named no unit
    rejected_files = sum(len(lineage.rejected) for lineage in view.lineage.values()) + view.rejected_without_unit
    corrected = sum(1 for unit, lineage in view.lineage.items()
                    if lineage.rejected and unit in set(reported["code"]))
    return RoundFacts(
        round=rnd, previous=previous, reported=on_time + late, expected=len(status), on_time=on_time, late=late,
        awaited=awaited, staff=_part(result.district, *_pair(campaign, "staff_share")),
        staff_before=before(DISTRICT, "staff_share"),
        residents=_part(result.district, *_pair(campaign, "resident_share")),
        residents_before=before(DISTRICT, "resident_share"),
        groups=_groups(view, campaign), staff_judged=campaign.target_applies("staff", rnd),
        staff_below=tuple(staff_below), residents_judged=campaign.target_applies("residents", rnd),
        communes=tuple(communes), residents_below=tuple(residents_below) if campaign.target_applies(
            "residents", rnd) else (),
        rejected_files=rejected_files, corrected=corrected, collected=_collected(units),
        closed_on=view.closure.closed_at.date() if view.closure is not None else None,
    )  # fmt: skip


def _pair(campaign: Campaign, share: str) -> tuple[str, str]:
    """(part, whole) of a share of the form."""
    declared = campaign.declared.share_by_key[share]
    return declared.part, declared.whole


def _collected(units: Any) -> tuple[tuple[str, int, int], ...]:
    """For each unit that collects the reports of units under it (the Education Office and its schools): its
    name, how many of them have figures in use, and how many there are."""
    names = dict(zip(units["code"], units["name"], strict=True))
    found = []
    for parent, members in units[units["parent"] != ""].groupby("parent", sort=False):
        found.append((str(names.get(parent, parent)), int(members["reported"].sum()), len(members)))
    return tuple(found)


def _groups(view: RoundView, campaign: Campaign) -> tuple[GroupLine, ...]:
    lines = []
    units = view.result.units
    for group in campaign.groups:
        if group.code not in view.result.groups.index:
            continue
        row: Any = view.result.groups.loc[group.code]
        members = units[units["group"] == group.code]
        residents = _part(row, *_pair(campaign, "resident_share")) if members["has_residents"].any() else None
        lines.append(GroupLine(group.label, int(row["reported"]), int(row["units_total"]),
                               _part(row, *_pair(campaign, "staff_share")), residents))
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
    """The body of the report, in order: ("heading" | "text" | "groups" | "communes", words)."""
    words = campaign.summary
    assert words is not None
    rnd, staff_target = facts.round, campaign.targets["staff"]
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
        ("heading", words("staff_heading")),
        ("text", words("staff", installed=num(facts.staff.done), total=num(facts.staff.whole),
                       share=pct(facts.staff.share),
                       change=change(words, facts.staff.share, facts.staff_before, facts.previous))),
        ("groups", ""),
    ]  # fmt: skip
    if not facts.staff_judged:
        body.append(("text", words("staff_not_judged", target=staff_target.label,
                                   deadline=format_date(staff_target.deadline))))
    elif facts.staff_below:
        body.append(("text", words("staff_below", count=len(facts.staff_below), target=staff_target.label,
                                   units=named(facts.staff_below))))
    else:
        body.append(("text", words("staff_all_met", target=staff_target.label)))
    body += _residents(facts, campaign)
    body += [
        ("heading", words("quality_heading")),
        ("text", words("quality", rejected=facts.rejected_files, corrected=facts.corrected)
         if facts.rejected_files else words("quality_none")),
        ("heading", words("proposal_heading")),
        ("text", words("proposal", units=", ".join(facts.to_remind)) if facts.to_remind
         else words("proposal_none")),
        ("text", words("closing")),
    ]  # fmt: skip
    return body


def _residents(facts: RoundFacts, campaign: Campaign) -> list[tuple[str, str]]:
    words = campaign.summary
    assert words is not None
    target = campaign.targets["residents"]
    if facts.residents.whole is None and not facts.communes:  # a level without residents (the Education Office)
        return [("heading", words("residents_heading")), ("text", words("residents_none"))]
    body = [
        ("heading", words("residents_heading")),
        ("text", words("residents", installed=num(facts.residents.done), smartphones=num(facts.residents.whole),
                       share=pct(facts.residents.share),
                       change=change(words, facts.residents.share, facts.residents_before, facts.previous))),
    ]  # fmt: skip
    if facts.communes:
        body.append(("text", words("residents_best", units=named(facts.communes[:EXAMPLES]))))
        body.append(("text", words("residents_worst", units=named(facts.communes[::-1][:EXAMPLES]))))
    if not facts.residents_judged:
        body.append(("text", words("residents_not_judged", target=target.label, deadline=format_date(target.deadline))))
    elif facts.residents_below:
        body.append(("text", words("residents_below", count=len(facts.residents_below), target=target.label)))
    if facts.communes:
        body += [("text", words("residents_table")), ("communes", "")]
    return body


ZALO_NAMES = 10  # units named in the Zalo message; the rest are counted


def zalo_message(facts: RoundFacts, campaign: Campaign) -> str:
    """A few lines for the district's Zalo group: the headline figures and the units to remind. A line of the
    template whose figures this level does not have (residents, at the Education Office) is left out."""
    words = campaign.summary
    assert words is not None
    names = list(facts.to_remind[:ZALO_NAMES])
    if len(facts.to_remind) > ZALO_NAMES:
        names.append(words("zalo_more", count=len(facts.to_remind) - ZALO_NAMES))
    remind = words("zalo_remind", units=", ".join(names)) if names else words("zalo_remind_none")
    has_residents = facts.residents.whole is not None
    blanks: dict[str, object] = {
        "round": facts.round.number, "district": campaign.district, "due": format_date(facts.round.due),
        "as_of": format_date(facts.round.as_of),
        "reported": facts.reported, "expected": facts.expected, "late": facts.late,
        "staff_share": pct(facts.staff.share), "staff_installed": num(facts.staff.done),
        "staff_total": num(facts.staff.whole),
        "resident_share": pct(facts.residents.share) if has_residents else None,
        "residents_installed": num(facts.residents.done) if has_residents else None,
        "smartphones": num(facts.residents.whole) if has_residents else None,
        "best": named(facts.communes[:1]) or None, "worst": named(facts.communes[-1:]) or None, "remind": remind,
    }  # fmt: skip
    lines = [line for line in words.text["zalo"].splitlines()
             if all(blanks[name] is not None for name in blanks_in(line))]
    return "\n".join(line.format(**blanks) for line in lines)

