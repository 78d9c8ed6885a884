"""The facade: one office's workspace, and one method per command. The command line calls nothing else.

An Office is opened on a workspace (its own campaign.toml and units.csv, else the shipped defaults) and
does what each command asks: write forms, take returns in, consolidate, say who is missing. It prints
nothing and exits nothing: results come back as values, failures as IhanoiError.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import itertools
import shutil
import tempfile
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any, NamedTuple

from ihanoi_report.checks import Check, Rule, checks_of, declared_codes, office_codes
from ihanoi_report.config import (
    CAMPAIGN_FILE,
    UNITS_FILE,
    Campaign,
    Group,
    Round,
    Workspace,
    format_date,
    load_campaign,
    shipped_dir,
    shipped_twin,
)
from ihanoi_report.errors import NothingToReport, OutputError, StoreError, UsageError
from ihanoi_report.files import bundle, check_writable, write_atomically
from ihanoi_report.form import code_in_file_name, form_file_name, inputs
from ihanoi_report.messages import get_language, t, vi
from ihanoi_report.model import Closure, Counts, Finding, IngestResult, Report, Standing, Status, Verdict, share_shown
from ihanoi_report.reader import SPREADSHEET_SUFFIXES
from ihanoi_report.store import Store
from ihanoi_report.units import COLUMNS as UNIT_COLUMNS
from ihanoi_report.units import OPTIONAL_COLUMNS as OPTIONAL_UNIT_COLUMNS
from ihanoi_report.units import Letterhead, Registry, Unit, load_registry, slug
from ihanoi_report.values import parse_date

if TYPE_CHECKING:  # pandas is loaded only by the commands that add up (consolidate, status, demo)
    from ihanoi_report.consolidate import Consolidation, RoundView
    from ihanoi_report.ingest import Entry
    from ihanoi_report.ranking import InputTable, Ranking, UnitHistory

# A progress bar over ``total`` steps: entered, it gives the function that advances it by one.
Progress = Callable[[int], AbstractContextManager[Callable[[], None]]]


@contextlib.contextmanager
def no_progress(total: int) -> Iterator[Callable[[], None]]:
    yield lambda: None


@dataclass(frozen=True)
class RoundChoice:
    """The round a command works on, and how it was chosen: asked, today's window, or, outside the campaign, its
    first round before it starts and its last after it ends."""

    round: Round
    how: str  # asked | today | before | after


@dataclass(frozen=True)
class GroupStanding:
    """One group's reporting for a round: on time, late, missing, of how many, and the two shares. A group whose
    units report through their office (the schools) has no on-time counts, only how many have figures."""

    code: str
    label: str
    on_time: int | None
    late: int | None
    missing: int  # no report in use: never sent, or sent back
    units: int
    sent_back: int | None = None  # of the missing, those whose file was sent back and not yet sent again

    @property
    def reported_share(self) -> float:
        return share_shown((self.units - self.missing) / self.units)

    @property
    def on_time_share(self) -> float | None:
        return None if self.on_time is None else share_shown(self.on_time / self.units)


@dataclass(frozen=True)
class StatusView:
    """Who reported a round, the reminders to send, and the reports the officer must confirm."""

    view: RoundView
    reminders: list[dict[str, Any]]
    to_confirm: list[Finding]
    groups: tuple[Group, ...]

    def group_standings(self) -> list[GroupStanding]:
        """Each group of the registry that has units this round (sub-units counted as reported when their
        figures are in their office's report): what the terminal's table and --json both show."""
        status, units = self.view.status, self.view.result.units
        found = []
        for group in self.groups:
            members = status[status["group"] == group.code]
            if members.empty:
                covered = units[units["group"] == group.code]
                if len(covered):
                    missing = len(covered) - int(covered["reported"].sum())
                    found.append(GroupStanding(group.code, group.label, None, None, missing, len(covered)))
                continue
            counts = members["status"].value_counts()
            on_time, late = int(counts.get(Standing.ON_TIME, 0)), int(counts.get(Standing.LATE, 0))
            found.append(GroupStanding(group.code, group.label, on_time, late, len(members) - on_time - late,
                                       len(members), int(counts.get(Standing.REJECTED, 0))))  # fmt: skip
        return found

    def to_dict(self) -> dict[str, Any]:
        status = self.view.status
        records = status.assign(
            report_date=status["report_date"].map(lambda d: d.isoformat() if d is not None and d == d else None),
            status=status["status"].map(str),
        )
        rnd = self.view.result.round
        return {
            "round": rnd.number,
            "due": rnd.due.isoformat(),
            "groups": [{**asdict(g), "reported_share": g.reported_share, "on_time_share": g.on_time_share}
                       for g in self.group_standings()],
            "units": records.to_dict(orient="records"),
            "reminders": self.reminders,
            "to_confirm": [f.to_dict() for f in self.to_confirm],
        }


@dataclass(frozen=True)
class UnitView:
    """One unit across the rounds: every file it sent, each with its verdict, its findings and its figures, and
    which report counts for each round."""

    unit: Unit
    columns: tuple[tuple[str, str], ...]  # (key, label) of the columns the unit fills
    reports: list[Report]
    rounds: tuple[int, ...]  # the campaign's rounds
    counted: Mapping[int, int | None]  # round -> the id of the report in use (a closed round's: its closing's)
    after_closure: frozenset[int]  # ids of the reports recorded after their round was closed: not counted

    def of_round(self, number: int) -> list[Report]:
        return [report for report in self.reports if report.round == number]

    def in_use(self, number: int) -> Report | None:
        """The report whose figures count for the round, if one does: the one every output reads."""
        return next((r for r in self.of_round(number) if r.id is not None and r.id == self.counted.get(number)),
                    None)

    def standing(self, report: Report) -> str:
        """How a file of the unit stands: accepted (in use), after-closure (kept, not counted), superseded,
        rejected."""
        if report.round is not None and report.id == self.counted.get(report.round):
            return "accepted"
        if report.status is Status.REJECTED:
            return "rejected"
        return "after-closure" if report.id in self.after_closure else "superseded"

    def figures(self, report: Report) -> dict[str, int | None]:
        """The unit's own line of a report, by column key (a sub-level's report holds other units' lines too)."""
        own = next((row for row in report.rows if row.unit == self.unit.code), None)
        return {key: (own.counts.get(key) if own is not None else None) for key, _ in self.columns}

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit.code,
            "name": self.unit.name,
            "rounds": [{"round": number,
                        "in_use": (used.id if (used := self.in_use(number)) is not None else None),
                        "reports": [{**report.to_dict(), "id": report.id, "status": self.standing(report),
                                     "received_at": report.received_at, "figures": self.figures(report)}
                                    for report in self.of_round(number)]}
                       for number in self.rounds],
        }


@dataclass(frozen=True)
class Coverage:
    """How many units of a group have figures in the round's reports in use (a school: in its office's)."""

    round: int
    label: str
    reported: int
    expected: int

    @property
    def share(self) -> float | None:
        """Of the expected units, those with figures (None: the group expects none)."""
        return share_shown(self.reported / self.expected) if self.expected else None


@dataclass(frozen=True)
class RoundPack:
    """What `summary` wrote for a round: the report for the leaders, the consolidated workbook, the pictures,
    the Zalo message; PDFs when LibreOffice made them (``pdf_program`` None: not installed)."""

    folder: Path
    report: Path
    workbook: Path
    pictures: tuple[Path, ...]
    message: Path
    message_text: str
    pdfs: tuple[Path, ...] = ()
    pdf_asked: bool = False
    pdf_program: str | None = None
    has_reports: bool = True


@dataclass(frozen=True)
class DemoChain:
    """The demo's two levels: the Education Office's workspace, what it collected, sent up, and how it came."""

    workspace: Path
    collected: IngestResult
    sent: Path
    received: Report


@dataclass(frozen=True)
class DemoResult:
    workspace: Path
    batches: dict[int, IngestResult]
    workbook: Path
    view: RoundView
    groups: tuple[Group, ...]
    pack: RoundPack
    ranking: Path
    whole: str  # what the total line stands for
    chain: DemoChain | None  # the Education Office's own round (the iHaNoi demo only)
    furthest_share: str  # the share of the target due last: its units furthest from it are shown


DEMO_MARKER = ".ihanoi-demo"


def default_output(campaign: Campaign, rnd: Round, fmt: str) -> Path:
    """Where consolidate writes, unless told: Tong-hop-iHanoi-lan-3.xlsx in the current folder."""
    return Path(f"Tong-hop-{campaign.short_name}-lan-{rnd.number}.{fmt}")


def default_ranking_output(as_of: Round, fmt: str) -> Path:
    """Where rank writes, unless told: Xep-hang-thi-dua-den-lan-4.xlsx in the current folder."""
    return Path(f"Xep-hang-thi-dua-den-lan-{as_of.number}.{fmt}")


def default_pack_folder(campaign: Campaign, rnd: Round) -> Path:
    """Where summary writes, unless told: Bao-cao-iHanoi-lan-3/ in the current folder."""
    return Path(f"Bao-cao-{campaign.short_name}-lan-{rnd.number}")


def default_feedback_folder(rnd: Round | None) -> Path:
    """Where feedback writes the clerks' copies, unless told: phan-hoi-lan-3/ in the current folder."""
    return Path(f"phan-hoi-lan-{rnd.number}" if rnd is not None else "phan-hoi")


def default_findings_name(rnd: Round | None) -> str:
    """The error list beside them, unless told: loi-lan-3.xlsx."""
    return f"loi-lan-{rnd.number}.xlsx" if rnd is not None else "loi.xlsx"


@dataclass(frozen=True)
class RunOutputs:
    """An ingest run's inbox and what it will write, checked before the store is touched."""

    folder: Path
    entries: tuple[Entry, ...]  # what walk() found, with the run's own outputs skipped
    report: Path | None
    feedback: Path | None
    names: tuple[str, ...]  # with --feedback: each entry's copy name without its kind (files.feedback_stems)
    force: bool


def default_forms_folder(rnd: Round) -> Path:
    """Where template writes, unless told: bieu-mau-lan-3/ in the current folder."""
    return Path(f"bieu-mau-lan-{rnd.number}")


DEFAULT_CAMPAIGN = "ihanoi-2024"  # the shipped campaign.toml of templates/; the others are in templates/campaigns/


def shipped_campaigns() -> dict[str, tuple[Path, str]]:
    """The campaigns shipped with the tool: name -> (its folder, the first line of its campaign.toml's comment)."""
    root = shipped_dir("templates")
    folders = [(DEFAULT_CAMPAIGN, root)]
    if (root / "campaigns").is_dir():
        folders += [(f.name, f) for f in sorted((root / "campaigns").iterdir()) if (f / CAMPAIGN_FILE).is_file()]
    found = {}
    for name, folder in folders:
        head = " ".join(line[2:].strip() for line in itertools.takewhile(
            lambda line: line.startswith("# "), (folder / CAMPAIGN_FILE).read_text(encoding="utf-8").splitlines()))
        found[name] = (folder, head.split(". ")[0].rstrip(".") + ".")  # its comment's first sentence
    return found


def campaign_folder(name: str) -> Path:
    """The folder of a shipped campaign (init --campaign, demo --campaign); a name not shipped is a usage error."""
    campaigns = shipped_campaigns()
    if name not in campaigns:
        raise UsageError(t("campaign-unknown", name=name, names=", ".join(campaigns)), t("campaign-unknown-hint"))
    return campaigns[name][0]


def write_config(directory: Path, *, force: bool, example: str | None = None,
                 campaign: str | None = None) -> list[tuple[Path, bool]]:
    """init: editable copies of the shipped campaign.toml and units.csv (``example``: of templates/<example>/,
    the city's; ``campaign``: of a shipped campaign); (path, written) for each."""
    target = directory.expanduser().resolve()
    source = shipped_dir("templates") / example if example else campaign_folder(campaign or DEFAULT_CAMPAIGN)
    done = []
    for name in (CAMPAIGN_FILE, UNITS_FILE):
        path = target / name
        if path.exists() and not force:
            done.append((path, False))
            continue
        data = (source / name).read_bytes()
        done.append((write_atomically(path, partial(Path.write_bytes, data=data), force=True), True))
    return done


SUB_DAYS_BEFORE = 2  # a sub-collector's rounds close this many days before its parent's


class SubWorkspace(NamedTuple):
    """What init --for wrote: the sub-collector's campaign.toml and units.csv, and the [summary] sentences of the
    campaign's targets it kept as the parent wrote them (no sub-collector words ship for them: an office's own
    campaign), which may still speak of the whole commune or district."""

    campaign: Path
    units: Path
    parent_sentences: tuple[str, ...] = ()


def write_sub_workspace(office: Office, code: str, directory: Path | None, *, days_before: int = SUB_DAYS_BEFORE,
                        force: bool = False) -> SubWorkspace:
    """init --for CODE: a ready workspace for a sub-collector (the Education Office and its schools): its units
    are the office and the units under it, it reports to this workspace, its rounds close ``days_before`` days
    earlier, and its texts name it as the issuing body."""
    unit = office.registry.get(code)
    if unit is None:
        raise UsageError(t("unit-code-unknown", code=code), t("unit-code-hint", path=office.registry.source))
    children = office.registry.children(unit.code)
    if not children:
        raise UsageError(t("sub-no-children", name=unit.name, code=unit.code), t("sub-no-children-hint"))
    if not 0 <= days_before <= 30:
        raise UsageError(t("sub-days-range", days=days_before))
    target = (directory if directory is not None else Path(unit.code)).expanduser().resolve()
    text, kept = sub_campaign(office, unit, days_before)
    paths = (target / CAMPAIGN_FILE, target / UNITS_FILE)
    for path in paths:
        check_writable(path, force)
    write_atomically(paths[0], partial(Path.write_text, data=text, encoding="utf-8"), force=True)
    rows = [unit, *children]
    groups = {u.code: (SUB_OWN_GROUP if u is unit else u.group) for u in rows}
    table = io.StringIO()
    writer = csv.writer(table, lineterminator="\n")
    writer.writerow((*UNIT_COLUMNS, *OPTIONAL_UNIT_COLUMNS))
    writer.writerows((u.code, u.name, groups[u.code], "1" if u.has_residents else "0", "", u.contact, u.governing,
                      u.place) for u in rows)  # fmt: skip
    write_atomically(paths[1], partial(Path.write_text, data=table.getvalue(), encoding="utf-8-sig"), force=True)
    return SubWorkspace(*paths, kept)


SUB_OWN_GROUP = "co-quan"  # the sub-collector's own row, as the first group of its workspace


SUB_WORDS_FILE = "sub-collector.toml"  # the words a sub-collector writes in instead of the parent's (templates/):
# the sentences of iHaNoi's targets among them, written only into a campaign that has those targets


def unit_symbol(unit: Unit, head: Letterhead) -> str:
    """The ký hiệu of a unit's documents, guessed from its name: "Phòng Giáo dục và Đào tạo" -> "GDĐT",
    "Phòng Văn hóa và Thông tin" -> "VHTT"; a commune's People's Committee writes "UBND"."""
    if head.governing == "ỦY BAN NHÂN DÂN":
        return "UBND"
    words = unit.name.split()
    if len(words) > 1 and words[0] in ("Phòng", "Sở", "Ban"):
        words = words[1:]
    letters = [w[0].upper() for w in words if w not in ("và", "-", "&") and w[0].isalpha()]
    return "".join(letters) or unit.code


def _sub_words_folder(source: Path, doc: Mapping[str, Any]) -> Path:
    """Where the sub-collector's words of this campaign are: beside the shipped campaign.toml it is, or was copied
    from, when that campaign ships its own; else templates/ (iHaNoi's, whose target sentences only go into a
    campaign that has those targets)."""
    templates = shipped_dir("templates")
    for origin in (source, shipped_twin(source, doc)):
        if (origin is not None and origin.resolve().is_relative_to(templates.resolve())
                and (origin.parent / SUB_WORDS_FILE).is_file()):
            return origin.parent
    return templates


def sub_campaign(office: Office, unit: Unit, days_before: int) -> tuple[str, tuple[str, ...]]:
    """The sub-collector's campaign.toml: the parent's text, comments and layout kept (tomlkit), with this
    unit as the collecting office, its own letterhead, groups, due dates and the words of SUB_WORDS_FILE; and the
    keys of the targets' [summary] sentences that SUB_WORDS_FILE has no words for (kept as the parent's)."""
    import tomlkit

    campaign, registry = office.campaign, office.registry
    doc = tomlkit.parse(campaign.source.read_text(encoding="utf-8-sig"))
    head = registry.letterhead(unit, campaign.authority, campaign.place)
    symbol = unit_symbol(unit, head)
    fill = [("{unit}", unit.name), ("{parent}", campaign.receiving_office), ("{symbol}", symbol)]
    folder = _sub_words_folder(campaign.source, doc)
    own = tomlkit.parse((folder / SUB_WORDS_FILE).read_text(encoding="utf-8"))
    spoken_of = set(tomllib.loads((folder / CAMPAIGN_FILE).read_text(encoding="utf-8"))["targets"])
    doc["campaign"] |= {"receiving_office": unit.name, "district": unit.name, "authority": head.governing,
                        "place": head.place}  # fmt: skip
    for rnd in doc["rounds"]:  # earlier due dates; a data cut-off stays the parent's: every level counts to one day
        rnd["due"] = rnd["due"] - timedelta(days=days_before)
        if "cutoff" in rnd and rnd["cutoff"] > rnd["due"]:
            raise UsageError(t("sub-cutoff-after-due", number=rnd["number"], due=format_date(rnd["due"]),
                               cutoff=format_date(rnd["cutoff"])), t("sub-cutoff-after-due-hint"))  # fmt: skip
    children = registry.children(unit.code)
    groups = tomlkit.aot()
    groups.append(tomlkit.item({"code": SUB_OWN_GROUP, "label": unit.name}))
    for group in doc["groups"]:
        if any(child.group == group["code"] for child in children):
            groups.append(group)
    doc["groups"] = groups
    known = {g["code"] for g in groups}
    for section in ("form", "summary"):
        if section not in doc:
            continue
        words = doc[section]
        for key in list(words):  # the parent's words, with this office as the one who writes them
            if not isinstance(words[key], str):  # [[form.columns]] and the like: the same form at every level
                continue
            if (changed := _replaced(words[key], [(campaign.receiving_office, unit.name)])) is not None:
                words[key] = changed
        for key, value in own.get(section, {}).items():
            if any(key == t or key.startswith(f"{t}_") for t in spoken_of - set(doc.get("targets", {}))):
                continue  # the sentence of a target this campaign does not have (iHaNoi's, in another's file)
            words[key] = _replaced(value, fill) or value
    # A target's sentence ("Toàn xã có …") that the sub-collector's words do not rewrite stays the parent's.
    parent_words = tuple(key for key in doc.get("targets", {})
                         if key in doc.get("summary", {}) and key not in own.get("summary", {}))
    if "summary" in doc:
        doc["summary"]["issuer"] = unit.name.upper()
        doc["summary"]["number"].comment(vi("sub-symbol-comment", symbol=symbol))
    _keep_criteria(doc, known)
    level = doc.setdefault("level", tomlkit.table())  # changed in place: the comments after it stay where they are
    for key, value in (("unit", unit.code), ("parent_campaign", campaign.id), ("whole", unit.name)):
        level[key] = tomlkit.item(value).comment(vi(f"sub-level-{key}", parent=campaign.receiving_office))
    top = vi("sub-campaign-head", code=unit.code, parent=campaign.receiving_office, days=days_before)
    return "".join(f"# {line}\n" for line in top.splitlines()) + "\n" + tomlkit.dumps(doc), parent_words


def _keep_criteria(doc: Any, groups: set[str]) -> None:
    """[ranking] of a sub-collector's campaign.toml (a tomlkit document): the criteria for groups its workspace
    does not have go, and the tie-breaks that named them; the rest stay as the parent wrote them."""
    ranking = doc.get("ranking")
    if ranking is None:
        return
    criteria = ranking.get("criteria", [])
    for criterion in list(criteria):
        if criterion.get("groups") and not set(criterion["groups"]) & groups:
            criteria.remove(criterion)
        elif criterion.get("groups"):
            criterion["groups"] = [g for g in criterion["groups"] if g in groups]
    kept = {c["key"] for c in criteria}
    ranking["tie_break"] = [k for k in ranking.get("tie_break", []) if k in kept]


def _replaced(item: Any, pairs: Sequence[tuple[str, str]]) -> Any:
    """``item`` of a tomlkit document with each (old, new) replaced in its TOML source, so a multi-line
    string stays multi-line; None if nothing changed. The new text is escaped for TOML and for the
    {blanks} the tool fills later."""
    import tomlkit

    raw = item.as_string()
    source = raw
    for old, new in pairs:
        escaped = new.replace("\\", "\\\\").replace('"', '\\"').replace("{", "{{").replace("}", "}}")
        source = source.replace(old, escaped)
    return tomlkit.value(source) if source != raw else None


def rules(campaign: Campaign | None = None) -> tuple[tuple[Rule, Check], ...]:
    """Every code with its check: the tool's, and those the campaign declares under codes of its own. For a
    campaign, not the codes that only the shipped campaign's declarations give (iHaNoi's
    "staff-installed-gt-total" in a digital-skills campaign): they never apply to it."""
    found = checks_of(campaign)
    shipped_file = shipped_dir("templates") / CAMPAIGN_FILE
    if campaign is None or campaign.source.resolve() == shipped_file.resolve():  # the shipped one's: all apply
        return found
    shipped = load_campaign(shipped_file)
    foreign = declared_codes(shipped) - declared_codes(campaign)
    return tuple((rule, check) for rule, check in found if rule.code not in foreign)


def received_day(text: str | None) -> date | None:
    """ingest --received: the day the officer says a batch arrived, 2024-08-19 or 19/8/2024."""
    if text is None:
        return None
    day = parse_date(text.strip()).day
    if day is None:  # 31/2/2024 is no date at all, not a date to come
        raise UsageError(t("received-not-a-date", value=text), t("received-invalid-hint"))
    if day > date.today():
        raise UsageError(t("received-invalid", value=text), t("received-invalid-hint"))
    return day


PICTURES_STAMP = ".ve-tu"  # the digest the pictures of a folder were drawn from, then their names


class Office:
    """One office's workspace with its configuration."""

    def __init__(self, workspace: Workspace, campaign: Campaign, registry: Registry) -> None:
        self.workspace, self.campaign, self.registry = workspace, campaign, registry
        # Each round consolidated once per command (rank and a round's trend read every earlier round), keyed by
        # the reports it counts: the store read anew decides whether a kept one still holds.
        self._consolidations: dict[tuple[int, tuple[int | None, ...]], Consolidation] = {}

    @classmethod
    def open(cls, directory: Path | None = None) -> Office:
        workspace = Workspace.discover(directory)
        campaign = load_campaign(workspace.campaign_path)
        return cls(workspace, campaign, load_registry(workspace.units_path, campaign.groups))

    @property
    def own_config(self) -> list[Path]:
        """The workspace's own config files in use (the others are the shipped defaults)."""
        return [self.workspace.root / name for name in (CAMPAIGN_FILE, UNITS_FILE) if self.workspace.uses_own(name)]

    # --- choosing what a command works on ------------------------------------------------------

    def pick_round(self, number: int | None, today: date | None = None) -> RoundChoice:
        """The round asked for; without one, the round whose window holds today; before the campaign its first
        round, after it its last (an officer looking back after the campaign wants where it ended, not round 1)."""
        if number is not None:
            return RoundChoice(self.campaign.round(number), "asked")
        day = today or date.today()
        if (current := self.campaign.round_on(day)) is not None:
            return RoundChoice(current, "today")
        if day > self.campaign.rounds[-1].due:
            return RoundChoice(self.campaign.rounds[-1], "after")
        return RoundChoice(self.campaign.rounds[0], "before")

    def pick_units(self, codes: Sequence[str], group: str | None) -> list[Unit]:
        """The units named by --unit and --group; all reporting units when neither is given."""
        if group is not None and group not in {g.code for g in self.registry.groups}:
            groups = ", ".join(g.code for g in self.registry.groups)
            raise UsageError(t("group-unknown", group=group, groups=groups))
        units: list[Unit] = []
        for code in codes:
            unit = self.registry.get(code)
            if unit is None:
                raise UsageError(t("unit-code-unknown", code=code), t("unit-code-hint", path=self.registry.source))
            units.append(unit)
        units = units or list(self.registry.reporting_units())
        return [u for u in units if group is None or u.group == group]

    # --- the commands ------------------------------------------------------------------------

    def template(
        self, rnd: Round, units: Sequence[Unit], out_dir: Path, *, force: bool, progress: Progress = no_progress
    ) -> Any:
        from ihanoi_report.xlsx.forms import write_forms

        with progress(len(units)) as advance:
            return write_forms(self.campaign, self.registry, units, rnd, out_dir, force=force, progress=advance)

    def ingest(
        self,
        folder: Path | RunOutputs,
        round_number: int | None = None,
        *,
        received: date | None = None,
        progress: Progress = no_progress,
        on_file: Callable[[Report], None] | None = None,
        now: datetime | None = None,
    ) -> IngestResult:
        """Read, identify, check and record every file under ``folder`` (or of a run planned by plan_outputs);
        ``on_file``: given each file's report once it is settled, in the result's order."""
        from ihanoi_report.ingest import ingest_entries

        if round_number is not None:
            self.campaign.round(round_number)
        planned = folder if isinstance(folder, RunOutputs) else self.plan_outputs(folder, None, None, force=False)
        entries = list(planned.entries)
        if not entries and not self.workspace.store_path.exists():  # an empty folder: no store is made for it
            return IngestResult()
        # What is loaded so far (modules, registry, campaign) lives until the run ends: kept out of the
        # collector's full passes, which a run of many files would otherwise repeat dozens of times.
        gc.freeze()
        try:
            with progress(len(entries)) as advance:
                return ingest_entries(
                    entries, self.workspace, self.campaign, self.registry, round_number,
                    progress=advance, on_file=on_file, received=received, now=now,
                )  # fmt: skip
        finally:  # a page served for hours takes many runs: what each left is collected again
            gc.unfreeze()

    def unit_name(self, code: str) -> str:
        """A unit's name, or what was given (a file name) when no unit has that code."""
        unit = self.registry.get(code)
        return unit.name if unit is not None else code

    def coverage(self, result: IngestResult) -> list[Coverage]:
        """For each round the run's reports belong to, each group's units with figures in use / expected."""
        rounds = sorted({r.round for r in result.files if r.round is not None and r.verdict.kept})
        if not rounds or not self.workspace.store_path.is_file():
            return []
        with Store(self.workspace.store_path, readonly=True) as store:
            in_use = {number: store.units_in_use(number) for number in rounds}
        found = []
        for number in rounds:
            for group in self.registry.groups:
                members = [unit.code for unit in self.registry.in_group(group.code)]
                if members:
                    reported = sum(code in in_use[number] for code in members)
                    found.append(Coverage(number, group.label, reported, len(members)))
        return found

    def plan_outputs(self, folder: Path, report: Path | None, feedback: Path | None, *, force: bool) -> RunOutputs:
        """What an ingest run will write, checked before the store is touched: a run that cannot write its error
        list or its feedback copies is refused whole, and changes nothing."""
        from ihanoi_report.files import check_bundle, feedback_names, feedback_stems, probe_folder
        from ihanoi_report.ingest import display_path, walk

        if not folder.is_dir():
            raise UsageError(t("folder-missing", path=folder), t("folder-missing-hint"))
        entries = list(walk(folder, [p for p in (report, feedback) if p is not None]))
        # Only a run that writes the copies names them (a fold and a slug a file, in the run's serial part).
        names = tuple(feedback_stems([display_path(entry.source) for entry in entries])) if feedback is not None else ()
        try:
            if report is not None:
                check_writable(report, force)
                probe_folder(report.parent)
            if feedback is not None:
                check_bundle(feedback, feedback_names(names), force=force)
                probe_folder(feedback.parent)
        except OutputError as error:  # said before anything is recorded: the same command, corrected, is safe
            raise OutputError(error.message, t("ingest-outputs-hint")) from None
        return RunOutputs(folder, tuple(entries), report, feedback, names, force)

    def write_outputs(self, result: IngestResult, outputs: RunOutputs) -> tuple[Path | None, list[Path]]:
        """The run's error list and feedback copies; a file seen before brings back what the store holds of it.

        A failure here comes after the run was recorded: the message says how to make them again from the store.
        """
        if outputs.report is None and outputs.feedback is None:  # nothing asked: the store is not read again
            return None, []
        reports = self._with_stored_findings(result.files)
        rounds = sorted({r.round for r in reports if r.round is not None})
        again = t("feedback-again-hint", round=rounds[-1] if rounds else "N")
        try:
            written = self._write_report_list(reports, outputs.report, outputs.force) if outputs.report else None
            copies = (self._write_copies(reports, list(outputs.names), outputs.feedback, outputs.force)
                      if outputs.feedback else [])
        except OutputError as error:
            raise OutputError(error.message, f"{error.hint} {again}".strip()) from None
        return written, copies

    def feedback(self, rnd: Round | None, report: Path | None, out_dir: Path | None, *,
                 force: bool) -> tuple[Path, list[Path], Path]:
        """`feedback`: the error list and the clerks' copies of a round (every round: None), made again from the
        store at any time, the same as the ingest runs that received those files wrote them. Returns the error
        list, the copies and their folder."""
        from ihanoi_report.files import check_bundle, feedback_names, feedback_stems

        number = rnd.number if rnd is not None else None
        with Store(self.workspace.store_path, readonly=True) as store:
            reports = store.reports_with_findings(number)
            for held in reports:
                held.answered_by = store.answer_to(held)  # a file sent back, and answered: no copy again
        for held in reports:
            held.unit_name = self.unit_name(held.unit) if held.unit else ""
        out_dir = out_dir if out_dir is not None else default_feedback_folder(rnd)
        report = report if report is not None else out_dir.parent / default_findings_name(rnd)
        names = feedback_stems([r.path for r in reports])
        check_writable(report, force)  # both checked before either is written
        check_bundle(out_dir, feedback_names(names), force=force)
        written = self._write_report_list(reports, report, force)
        return written, self._write_copies(reports, names, out_dir, force), out_dir

    def recover(self, damaged: Path | None, out_dir: Path) -> tuple[list[tuple[Path, int | None]], int]:
        """`recover`: the originals a damaged store still holds, written whole into ``out_dir`` to be ingested
        into a new store: a folder per round for the files that were accepted (ingested again with that round
        stated, as the officer had confirmed it), one for the others; each file's modification day is the day
        it was received, so that timeliness is judged as before. Returns the folders with their round, and how
        many files could not be read (-1: none at all)."""
        import os
        from datetime import time as day_time

        from ihanoi_report.files import feedback_stems
        from ihanoi_report.store import salvage

        source = damaged if damaged is not None else self.workspace.store_path
        if not source.is_file():
            raise NothingToReport(t("store-missing", path=source), t("store-missing-hint"))
        if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):  # never mixed with other files
            raise OutputError(t("output-exists", path=out_dir), t("recover-out-hint"))
        found, lost = salvage(source)
        folders = {item.round: f"lan-{item.round}" if item.round is not None else "khac" for item in found}
        names = [f"{folders[item.round]}/{stem}{Path(item.source_path).suffix.lower()}"
                 for stem, item in zip(feedback_stems([f.source_path for f in found]), found, strict=True)]
        with bundle(out_dir, [], force=False) as staging:
            for item, name in zip(found, names, strict=True):
                (staging / name).parent.mkdir(exist_ok=True)
                (staging / name).write_bytes(item.content)
                if item.received_on is not None:
                    moment = datetime.combine(item.received_on, day_time(12)).timestamp()
                    os.utime(staging / name, (moment, moment))
        order = sorted(folders.items(), key=lambda pair: (pair[0] is None, pair[0] or 0))
        return [(out_dir / folder, number) for number, folder in order], lost

    def _with_stored_findings(self, files: Sequence[Report]) -> list[Report]:
        """The run's reports; one the store already held says again what it was found to have."""
        out = []
        with contextlib.ExitStack() as stack:
            store: Store | None = None
            for report in files:
                if report.verdict is Verdict.ALREADY_RECEIVED and report.sha256 and not report.findings:
                    if store is None:
                        store = stack.enter_context(Store(self.workspace.store_path, readonly=True))
                    held = store.held(report.sha256)
                    if held is not None and held.id is not None:
                        report = replace(report, findings=store.findings_of(held.id), sheet=held.sheet)
                out.append(report)
        return out

    @staticmethod
    def _write_report_list(reports: Sequence[Report], path: Path, force: bool) -> Path:
        from ihanoi_report.xlsx.findings import write_findings_workbook

        return write_findings_workbook(reports, path, force=force)

    def _write_copies(self, reports: Sequence[Report], names: Sequence[str], out_dir: Path, force: bool) -> list[Path]:
        from ihanoi_report.xlsx.feedback import write_feedback_files

        with Store(self.workspace.store_path, readonly=True) as store:
            return write_feedback_files(reports, names, out_dir, store.original, force=force,
                                        office=office_codes(self.campaign))

    def round_view(self, rnd: Round, *, require_reports: bool = False) -> RoundView:
        """Read the round from the store, never creating or changing it (NothingToReport when there is none).

        ``require_reports``: no accepted report for the round is NothingToReport too, not an empty table.
        """
        with Store(self.workspace.store_path, readonly=True) as store:
            store.check_form(self.campaign.declared.keys)
            rounds = [r.number for r in self.campaign.rounds if r.number <= rnd.number]
            history = {number: store.accepted(number) for number in rounds}
            accepted = history[rnd.number]
            if require_reports and not accepted:
                raise NothingToReport(
                    t("nothing-accepted", round=rnd.number), t("nothing-accepted-hint", round=rnd.number)
                )
            rejected, warnings = store.rejected_units(rnd.number), store.kept_findings(rnd.number)
            lineage, subtotals = store.lineage(rnd.number), store.subtotals(rnd.number)
            unnamed = store.rejected_without_unit(rnd.number)
            closure, later = store.closure(rnd.number), store.after_closure(rnd.number)
        from ihanoi_report.consolidate import RoundView, figures_digest, reporting_status, trend

        result = self.consolidation(rnd, accepted)
        if closure is not None and closure.digest and figures_digest(result) != closure.digest:
            # the reports of the closing are kept as they were: other figures are the tool's fault, never sent
            raise StoreError(t("closed-figures-changed", round=rnd.number, path=self.workspace.store_path),
                             t("closed-figures-changed-hint", round=rnd.number))
        status = reporting_status(self.registry, rnd, accepted, rejected)
        shares = trend(self.registry, self.campaign, history, current=result, consolidated=self.consolidation)
        return RoundView(result, status, warnings, shares, rounds, accepted, lineage, subtotals, unnamed, closure,
                         tuple(later))

    def consolidation(self, rnd: Round, accepted: Sequence[Report]) -> Consolidation:
        """The round's consolidation of these reports, made once per command."""
        from ihanoi_report.consolidate import consolidate

        key = (rnd.number, tuple(sorted((report.id for report in accepted), key=lambda i: i or 0)))
        if key not in self._consolidations:
            self._consolidations[key] = consolidate(self.registry, self.campaign, rnd, accepted)
        return self._consolidations[key]

    def close_round(self, rnd: Round, now: datetime | None = None) -> tuple[Closure, RoundView | None]:
        """close --round N: the round's reports in use now become its figures for good (until reopened);
        (the closing, and the round as closed now; None: it was closed already)."""
        from ihanoi_report.consolidate import figures_digest

        self.round_view(rnd, require_reports=True)  # a round with no report is not closed
        with Store(self.workspace.store_path) as store:
            closure, made = store.close_round(rnd.number, "", now or datetime.now())
        if not made:
            return closure, None
        view = self.round_view(rnd)  # read through the closing just recorded: the figures its digest is of
        with Store(self.workspace.store_path) as store:
            return store.set_digest(closure, figures_digest(view.result)), view

    def closed_rounds(self, numbers: Sequence[int]) -> list[tuple[Closure, list[Report]]]:
        """Of these rounds, the closed ones, each with the files recorded after its closing (not counted)."""
        if not numbers or not self.workspace.store_path.is_file():
            return []
        with Store(self.workspace.store_path, readonly=True) as store:
            return [(closure, store.after_closure(n)) for n in sorted(set(numbers))
                    if (closure := store.closure(n)) is not None]  # fmt: skip

    def reopen_round(self, rnd: Round, now: datetime | None = None) -> Closure | None:
        """reopen --round N: later files count again; the closing that was in force (None: it was open)."""
        with Store(self.workspace.store_path, readonly=True) as store:  # no store is made where there is none
            if store.closure(rnd.number) is None:
                return None
        with Store(self.workspace.store_path) as store:
            return store.reopen_round(rnd.number, now or datetime.now())

    def consolidate(self, rnd: Round, out: Path | None, fmt: str, *, force: bool,
                    written_on: date | None = None) -> tuple[RoundView, Path]:
        """The round's consolidated workbook (or CSV, JSON); refuses a round with no report. ``written_on``: the
        day it says it was written (today unless told), the report date the level above judges it by."""
        if fmt not in ("xlsx", "csv", "json"):
            raise UsageError(t("format-unknown", fmt=fmt))
        view = self.round_view(rnd, require_reports=True)
        path = self.write_consolidation(view, out or default_output(self.campaign, rnd, fmt), fmt, force=force,
                                        written_on=written_on)
        return view, path

    def write_consolidation(self, view: RoundView, path: Path, fmt: str, *, force: bool,
                            written_on: date | None = None) -> Path:
        from ihanoi_report import export

        if fmt == "csv":
            return export.write_csv(view.result, path, force=force)
        if fmt == "json":
            return export.write_json(view.result, path, force=force)
        from ihanoi_report.xlsx.consolidated import write_workbook

        # The campaign's last round closes it: its workbook carries the emulation ranking as well.
        last = view.result.round.number == self.campaign.rounds[-1].number
        ranking = self.ranking(view.result.round, known=view) if last else None
        return write_workbook(path, view, self.campaign, self.registry.groups, force=force, ranking=ranking,
                              written_on=written_on)

    def status(self, rnd: Round) -> StatusView:
        """Who reported the round, a reminder for each unit still to report, what to confirm."""
        view = self.round_view(rnd)
        to_confirm = [f for _, _, f in view.warnings if f.code == "report-order-unclear"]
        return StatusView(view, self.reminders(view), to_confirm, self.registry.groups)

    def unit_view(self, code: str) -> UnitView:
        """unit CODE: what the store holds of one unit, round by round."""
        unit = self.registry.get(code)
        if unit is None:
            raise UsageError(t("unit-code-unknown", code=code), t("unit-code-hint", path=self.registry.source))
        rounds = tuple(r.number for r in self.campaign.rounds)
        reports: list[Report] = []
        counted: dict[int, int | None] = {}
        late: set[int] = set()
        if self.workspace.store_path.is_file():
            with Store(self.workspace.store_path, readonly=True) as store:
                reports = store.reports_of_unit(code)
                counted = {n: store.in_use_id(code, n) for n in rounds}
                late = {r.id for n in rounds for r in store.after_closure(n) if r.id is not None}
        for report in reports:
            report.unit_name = unit.name
        spec = self.campaign.declared
        columns = tuple((c.key, spec.by_key[c.key].title(get_language())) for c in inputs(unit, spec))
        return UnitView(unit, columns, reports, rounds, counted, frozenset(late))

    def original(self, sha256: str) -> bytes | None:
        """The bytes of a file as it was received (None: the store never held them)."""
        if not self.workspace.store_path.is_file():
            return None
        with Store(self.workspace.store_path, readonly=True) as store:
            return store.original(sha256)

    def reminders(self, view: RoundView) -> list[dict[str, Any]]:
        """A ready-to-send message for every unit that has not reported (or was sent back)."""
        rnd, report = view.result.round, self.campaign.report
        out = []
        pending = view.status[view.status["status"].isin([Standing.MISSING, Standing.REJECTED])]
        for row in pending.to_dict("records"):
            unit = self.registry.get(str(row["code"]))
            assert unit is not None
            template = report.reminder_rejected if row["status"] == Standing.REJECTED else report.reminder
            text = template.format(
                name=unit.name, addressee=self.registry.addressee(unit), office=self.campaign.receiving_office,
                round=rnd.number, due=format_date(rnd.due), file=form_file_name(unit, rnd, self.campaign.short_name),
            )  # fmt: skip
            out.append({"code": unit.code, "name": unit.name, "contact": unit.contact, "status": str(row["status"]),
                        "message": text})  # fmt: skip
        return out

    def summary(self, rnd: Round, folder: Path | None, *, force: bool, pdf: bool = False,
                progress: Progress = no_progress) -> RoundPack:
        """The round's pack for the leaders and the Zalo group: the drafted report (.docx), the consolidated
        workbook, the pictures and the message; their PDFs with ``pdf`` where LibreOffice is installed."""
        if self.campaign.summary is not None and self.campaign.summary.problem is not None:
            raise self.campaign.summary.problem
        with progress(6 if pdf else 5) as advance:  # seconds for a city's thousands of units: each part counted
            return self._summary(rnd, folder, force=force, pdf=pdf, advance=advance)

    def _summary(self, rnd: Round, folder: Path | None, *, force: bool, pdf: bool,
                 advance: Callable[[], None]) -> RoundPack:
        from ihanoi_report.round_report import pdf as pdfs
        from ihanoi_report.round_report.document import write_report
        from ihanoi_report.summary import round_facts, zalo_message

        view = self.round_view(rnd)
        facts = round_facts(view, self.campaign)
        advance()
        folder = folder if folder is not None else default_pack_folder(self.campaign, rnd)
        n = rnd.number
        words = self.campaign.summary
        assert words is not None
        # one picture a target, the one still open longest first
        sections = sorted(facts.targets, key=lambda section: section.target.deadline, reverse=True)
        pictures_of = {f"picture-{s.target.key}": words(f"{s.target.key}_picture", round=n)
                       if words.has(f"{s.target.key}_picture") else f"{slug(s.share.label, 40)}-lan-{n}.png"
                       for s in sections}
        names = {"report": f"Bao-cao-{self.campaign.short_name}-lan-{n}.docx",
                 "workbook": default_output(self.campaign, rnd, "xlsx").name,
                 "progress": f"tien-do-den-lan-{n}.png", **pictures_of, "message": f"tin-nhan-Zalo-lan-{n}.txt"}
        owned = [*names.values(), *(Path(names[k]).with_suffix(".pdf").name for k in ("report", "workbook"))]
        with bundle(folder, owned, force=force) as staging:  # all or nothing: never a half-replaced pack
            paths = {key: staging / name for key, name in names.items()}
            write_report(paths["report"], facts, self.campaign, force=True)
            advance()
            self.write_consolidation(view, paths["workbook"], "xlsx", force=True)
            advance()
            pictures = self._draw_pictures(view, facts, paths)
            advance()
            text = zalo_message(facts, self.campaign)
            write_atomically(paths["message"], partial(Path.write_text, data=text + "\n", encoding="utf-8"),
                             force=True)
            advance()
            program = pdfs.libreoffice() if pdf else None
            made = pdfs.to_pdf(program, [paths["report"], paths["workbook"]], force=True) if program else []
            if pdf:
                advance()
        final = {key: folder / name for key, name in names.items()}
        return RoundPack(folder, final["report"], final["workbook"], tuple(folder / p.name for p in pictures),
                         final["message"], text, tuple(folder / p.name for p in made), pdf, program,
                         bool(view.accepted))

    def pictures(self, rnd: Round, folder: Path, known: RoundView | None = None) -> list[Path]:
        """The round's progress pictures, as the summary draws them, into ``folder``; ``known``: the round's view
        the caller has already read. Drawn again only when what they show has changed: the web page's overview
        asks for them at every visit, and drawing takes half a second."""
        from ihanoi_report.summary import round_facts

        view = known if known is not None else self.round_view(rnd, require_reports=True)
        facts = round_facts(view, self.campaign)
        folder.mkdir(parents=True, exist_ok=True)
        paths = {"progress": folder / f"tien-do-den-lan-{rnd.number}.png"}
        paths |= {f"picture-{s.target.key}": folder / f"{s.target.key}-lan-{rnd.number}.png" for s in facts.targets}
        key, stamp = self._pictures_key(view, facts, paths), folder / PICTURES_STAMP
        with contextlib.suppress(OSError, UnicodeError, ValueError):
            drawn_from, *names = stamp.read_text(encoding="utf-8").splitlines()
            if drawn_from == key and all((folder / name).is_file() for name in names):
                return [folder / name for name in names]
        stamp.unlink(missing_ok=True)  # a run stopped half-way through drawing leaves no digest that vouches for it
        pictures = self._draw_pictures(view, facts, paths)
        text = "\n".join([key, *(path.name for path in pictures)])
        write_atomically(stamp, partial(Path.write_text, data=text, encoding="utf-8"), force=True)
        return pictures

    def _pictures_key(self, view: RoundView, facts: Any, paths: Mapping[str, Path]) -> str:
        """A digest of everything the round's pictures are drawn from: the same digest, the same pictures."""
        import hashlib

        from ihanoi_report import __version__

        drawn_from = (__version__, get_language(), facts, sorted(view.trend.items()), view.rounds,
                      sorted((key, path.name) for key, path in paths.items()))
        return hashlib.sha256(self.campaign.source.read_bytes() + repr(drawn_from).encode()).hexdigest()

    def _draw_pictures(self, view: RoundView, facts: Any, paths: Mapping[str, Path]) -> list[Path]:
        """The progress over the rounds, then one picture a target (the one still open longest first)."""
        from ihanoi_report.consolidate import DISTRICT
        from ihanoi_report.round_report import charts

        sections = sorted(facts.targets, key=lambda section: section.target.deadline, reverse=True)
        shown = [share.key for share in self.campaign.declared.shares if share.shown]
        shares = [(number, format_date(self.campaign.round(number).due),
                   [view.trend.get((DISTRICT, number, key)) for key in shown]) for number in view.rounds]
        pictures = [charts.progress_over_rounds(facts, shares, self.campaign, paths["progress"], force=True)]
        pictures += [charts.target_picture(facts, section, self.campaign, paths[f"picture-{section.target.key}"],
                                           force=True)
                     for section in sections if charts.pictured(section, self.campaign)]
        return pictures

    def last_round_with_reports(self) -> Round:
        """The latest round that has a report in use (NothingToReport before any report)."""
        with Store(self.workspace.store_path, readonly=True) as store:
            rounds = store.rounds_with_reports()
        if not rounds:
            raise NothingToReport(t("rank-nothing"), t("rank-nothing-hint"))
        return self.campaign.round(rounds[-1])

    def ranking(self, as_of: Round | None = None, known: RoundView | None = None,
                input_files: Mapping[str, Path] | None = None) -> Ranking:
        """The emulation ranking of the reporting units as of a round (default: the last with reports);
        ``known``: a round's view the caller has already read; ``input_files``: the files of the ranking
        inputs the officer named (the others are looked for in the workspace, under their declared name)."""
        from ihanoi_report.ranking import rank_units

        as_of = as_of or self.last_round_with_reports()
        groups = [g.code for g in self.registry.groups]
        inputs = self.ranking_inputs(input_files or {})
        histories = [replace(h, inputs={i.definition.key: i.values.get(h.code) for i in inputs})
                     for h in self._histories(as_of, known)]  # fmt: skip
        return rank_units(histories, self.campaign, as_of, groups, inputs)

    def ranking_inputs(self, named: Mapping[str, Path]) -> list[InputTable]:
        """Each declared input whose file was named or is in the workspace, read; one not found is left out
        (its criteria are "not judged", and `rank` says so). A file named that cannot be read is an error."""
        from ihanoi_report.ranking_inputs import read_input

        declared = self.campaign.ranking.inputs if self.campaign.ranking else ()
        keys = {i.key for i in declared}
        for key in named:
            if key not in keys:
                raise UsageError(t("input-unknown", key=key, keys=", ".join(sorted(keys)) or "-"))
        found = []
        for definition in declared:
            path = named.get(definition.key) or self.workspace.root / definition.file
            if definition.key in named or path.is_file():
                found.append(read_input(definition, path, self.registry))
        return found

    def write_ranking(self, ranking: Ranking, out: Path | None, fmt: str, *, force: bool) -> Path:
        """The ranking as a workbook (criteria, one sheet per group, the district), CSV or JSON."""
        if fmt not in ("xlsx", "csv", "json"):
            raise UsageError(t("format-unknown", fmt=fmt))
        path = out or default_ranking_output(ranking.as_of, fmt)
        from ihanoi_report import export

        if fmt == "csv":
            return export.write_ranking_csv(ranking, path, force=force)
        if fmt == "json":
            return export.write_ranking_json(ranking, path, force=force)
        from ihanoi_report.xlsx.ranking import write_ranking

        collectors = [u.name for u in self.registry.reporting_units() if self.registry.children(u.code)]
        return write_ranking(path, ranking, self.campaign, self.registry.groups, force=force, elsewhere=collectors)

    def _histories(self, as_of: Round, known: RoundView | None = None) -> list[UnitHistory]:
        """Each reporting unit's rounds up to ``as_of``, read from the store one round at a time."""
        from ihanoi_report.ranking import UnitHistory

        standing: dict[str, dict[int, Standing]] = {}
        counts: dict[str, dict[int, Counts]] = {}
        sent_back: dict[str, int] = {}
        early: dict[str, int] = {}
        for rnd in (r for r in self.campaign.rounds if r.number <= as_of.number):
            view = known if known is not None and known.result.round == rnd else self.round_view(rnd)
            for row in view.status.to_dict("records"):
                code = str(row["code"])
                standing.setdefault(code, {})[rnd.number] = Standing(row["status"])
                if isinstance(row["report_date"], date):
                    early[code] = early.get(code, 0) + (rnd.due - row["report_date"]).days
            for report in view.accepted:
                for figures in report.rows:
                    counts.setdefault(figures.unit, {})[rnd.number] = figures.counts
            for unit, lineage in view.lineage.items():
                sent_back[unit] = sent_back.get(unit, 0) + len(lineage.rejected)
        return [UnitHistory(u.code, u.name, u.group, standing.get(u.code, {}), counts.get(u.code, {}),
                            sent_back.get(u.code, 0), early.get(u.code, 0)) for u in self.registry.reporting_units()]

    def originals(self, round_number: int, out_dir: Path, *, force: bool) -> list[Path]:
        """status --originals: the round's files in use as received, named <unit code>_<name as sent>."""
        written = []
        with Store(self.workspace.store_path, readonly=True) as store:
            for unit_code, source, data in store.originals(round_number):
                name = PureWindowsPath(PurePosixPath(source).name)  # a name only, whatever wrote the path
                suffix = name.suffix.lower() if name.suffix.lower() in SPREADSHEET_SUFFIXES else ".bin"
                target = out_dir / f"{code_in_file_name(unit_code)}_{slug(name.stem, 60)}{suffix}"
                written.append(write_atomically(target, partial(Path.write_bytes, data=data), force=force))
        return written


def demo(directory: Path | None, progress: Progress = no_progress, consolidate_round: int = 3,
         campaign: str = DEFAULT_CAMPAIGN) -> DemoResult:
    """The whole cycle on the shipped samples: ingest rounds 1-4 into a fresh workspace, consolidate one. Another
    shipped ``campaign`` runs on its own samples (samples/<name>/), its last round consolidated."""
    root = directory if directory is not None else Path(tempfile.mkdtemp(prefix="ihanoi-demo-"))
    marker = root / DEMO_MARKER
    # The demo fills a store with sample data: never in a real workspace, only in an empty folder or an old demo.
    if root.is_dir() and any(root.iterdir()) and not marker.exists():
        raise UsageError(t("demo-folder-not-empty", path=root), t("demo-folder-not-empty-hint"))
    if marker.exists():
        for stale in (root / "ihanoi.sqlite", root / "ihanoi.sqlite-wal", root / "ihanoi.sqlite-shm"):
            stale.unlink(missing_ok=True)
        shutil.rmtree(root / DEMO_SUB, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    marker.write_text("ihanoi-report demo\n", encoding="utf-8")
    if campaign != DEFAULT_CAMPAIGN:
        return _campaign_demo(root, campaign, progress)
    office = Office.open(root)
    samples, now = shipped_dir("samples"), datetime.now()
    batches = {
        rnd.number: office.ingest(samples / f"round-{rnd.number}", rnd.number, progress=progress, now=now)
        for rnd in office.campaign.rounds
    }
    chain = _demo_chain(office, samples / DEMO_SUB / "round-3", now, progress)
    target = office.campaign.round(consolidate_round)
    view = office.round_view(target)
    path = office.write_consolidation(view, office.workspace.root / default_output(office.campaign, target, "xlsx"),
                                      "xlsx", force=True)
    pack = office.summary(target, office.workspace.root / default_pack_folder(office.campaign, target), force=True)
    for export in sorted((samples / DEMO_EXPORTS).glob("*.xlsx")):  # the app's tables, where the officer puts them
        shutil.copyfile(export, root / export.name)
    ranking = office.ranking()
    ranked = office.write_ranking(ranking, office.workspace.root / default_ranking_output(ranking.as_of, "xlsx"),
                                  "xlsx", force=True)
    return DemoResult(office.workspace.root, batches, path, view, office.registry.groups, pack, ranked,
                      office.campaign.level.whole, chain, office.campaign.last_target.measure)


def _campaign_demo(root: Path, campaign: str, progress: Progress) -> DemoResult:
    """demo --campaign NAME: the shipped campaign's files and samples, every round ingested, the last one
    consolidated, reported and ranked (no level below it, no app exports)."""
    write_config(root, force=True, campaign=campaign)
    office = Office.open(root)
    samples, now = shipped_dir("samples") / campaign, datetime.now()
    batches = {rnd.number: office.ingest(samples / f"round-{rnd.number}", rnd.number, progress=progress, now=now)
               for rnd in office.campaign.rounds}
    target = office.campaign.rounds[-1]
    view = office.round_view(target)
    path = office.write_consolidation(view, root / default_output(office.campaign, target, "xlsx"), "xlsx",
                                      force=True)
    pack = office.summary(target, root / default_pack_folder(office.campaign, target), force=True)
    ranking = office.ranking()
    ranked = office.write_ranking(ranking, root / default_ranking_output(ranking.as_of, "xlsx"), "xlsx", force=True)
    return DemoResult(root, batches, path, view, office.registry.groups, pack, ranked, office.campaign.level.whole,
                      None, office.campaign.last_target.measure)


DEMO_SUB = "phong-gddt"  # the Education Office's workspace in the demo, and its samples
DEMO_EXPORTS = "ung-dung"  # the app's exports for the ranking inputs (scripts/make_app_exports.py)


def _demo_chain(district: Office, inbox: Path, now: datetime, progress: Progress) -> DemoChain:
    """Two levels: the Education Office collects its schools' round-3 forms in a workspace of its own, made
    from the district's, and sends its consolidated workbook up, which the district takes in."""
    sub = write_sub_workspace(district, "PB-GDDT", district.workspace.root / DEMO_SUB, force=True)[0].parent
    office = Office.open(sub)
    rnd = office.campaign.round(3)
    collected = office.ingest(inbox, 3, progress=progress, now=now)
    _, sent = office.consolidate(rnd, sub / default_output(office.campaign, rnd, "xlsx"), "xlsx", force=True,
                                 written_on=rnd.due)
    upward = district.workspace.root / "hop-thu-tu-phong-gddt"
    shutil.rmtree(upward, ignore_errors=True)
    write_atomically(upward / sent.name, partial(Path.write_bytes, data=sent.read_bytes()), force=True)
    received = district.ingest(upward, 3, now=now)
    return DemoChain(sub, collected, sent, received.files[0])
