"""The campaign (rounds, due dates, targets, document texts) loaded from campaign.toml,
and the workspace: where the config and the store (with the original files) of one office live."""

from __future__ import annotations

import functools
import math
import os
import re
import string
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from ihanoi_report.errors import ConfigError, UsageError
from ihanoi_report.form_spec import (
    ALL,
    FLAG_PREFIX,
    PROMPT_LIMIT,
    Check,
    CountColumn,
    FilledBy,
    FormSpec,
    Heading,
    Share,
)
from ihanoi_report.messages import CATALOG, declare, t, with_counts
from ihanoi_report.toml_lines import Lines, key_lines
from ihanoi_report.words import fold

CAMPAIGN_FILE = "campaign.toml"
UNITS_FILE = "units.csv"
STORE_FILE = "ihanoi.sqlite"
WORKSPACE_ENV = "IHANOI_WORKSPACE"


@dataclass(frozen=True)
class Round:
    number: int
    opens: date  # first day of its reporting window (the day after the previous due date)
    due: date
    cutoff: date | None = None  # "số liệu tính đến ngày": the day the figures are counted to, when not the due date

    @property
    def as_of(self) -> date:
        """The day the round's figures stand at (its data cut-off, else its due date)."""
        return self.cutoff or self.due

    def contains(self, day: date) -> bool:
        return self.opens <= day <= self.due

    def late(self, day: date | None) -> bool:
        """A report of this date came after the due date."""
        return day is not None and day > self.due

    @property
    def example_day(self) -> date:
        """The report date a form and a finding show as an example of how to write one: the round's own, so that
        a clerk copying it types a date the form takes. The due date, or the latest day of the window before it
        that no one reads as a month (13 to 31), so that day/month and month/day cannot be confused."""
        for back in range((self.due - self.opens).days + 1):
            if (day := self.due - timedelta(days=back)).day > 12:
                return day
        return self.due


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    share: float
    deadline: date
    measure: str = ""  # the key of the declared share it judges ([[form.shares]])
    code: str = "target-missed"  # the code of the finding on a unit below it
    column: str = ""  # the header of its verdicts in the consolidated table ("": its label)

    def needed(self, whole: int) -> int:
        """How many of ``whole`` must have installed for the target to be met (100 % of 30 is 30, 95 % of 21 is 20)."""
        return math.ceil(self.share * whole - 1e-9)  # the epsilon keeps 0.95 * 20 from needing 20.000000000000004


@dataclass(frozen=True)
class Group:
    code: str
    label: str
    # The unit's letterhead, where its row of units.csv leaves it blank: the governing body over the unit's
    # name ("" : the campaign's authority) and the place before "ngày … tháng …" ("": the campaign's place).
    governing: str = ""
    place: str = ""
    # How a message to the unit opens after "Kính gửi" ({name}: the unit's name as a sentence writes it).
    addressee: str = "{name}"


@dataclass(frozen=True)
class FormTexts:
    title: str
    subtitle: str
    national_name: str
    national_motto: str
    preparer_title: str
    preparer_note: str
    head_title: str
    head_note: str
    instruction: str

    def placeholders(self) -> list[tuple[str, str]]:
        """(key, text) of the form's words that still hold a blank to fill ("công văn số …/UBND-VHTT, ngày …"):
        they would go out to every unit unfilled, on a sheet the unit cannot edit."""
        return [(key, text) for key, text in vars(self).items() if "…" in text or "..." in text]


@dataclass(frozen=True)
class ReportTexts:
    title: str
    preparer_title: str
    signer_title: str
    signer_note: str
    reminder: str
    reminder_rejected: str


# The blanks of [report]'s texts (the messages to a unit are filled by `status`).
REPORT_KEYS = tuple(ReportTexts.__dataclass_fields__)
NO_BLANKS: frozenset[str] = frozenset()
REPORT_BLANKS = {
    "title": frozenset({"round"}),
    **dict.fromkeys(
        ("reminder", "reminder_rejected"), frozenset(["name", "addressee", "office", "round", "due", "file"])
    ),
}

# The round report's words (campaign.toml [summary]) and the blanks each may use: checked when the
# campaign is loaded, so a typo in a blank is a config error with its line, not a failure mid-report.
SUMMARY_BLANKS: dict[str, frozenset[str]] = {
    key: frozenset(blanks.split())
    for key, blanks in {
        "issuer": "", "number": "", "place_date": "place year", "title": "", "subject": "round", "addressee": "",
        "reporting_through": "office reported expected",
        "opening": "basis round due as_of", "closed": "date",
        "reporting_heading": "", "reporting": "reported expected on_time late", "reporting_missing": "count units",
        "reporting_all": "", "change": "previous previous_share delta", "rise": "points", "fall": "points",
        "same": "", "quality_heading": "", "quality": "rejected corrected", "quality_none": "",
        "proposal_heading": "", "proposal": "units", "proposal_none": "", "closing": "", "recipients_title": "",
        "signer_title": "", "signer_name": "", "total_row": "",
        "zalo_remind": "units", "zalo_remind_none": "", "zalo_more": "count",
    }.items()
}  # fmt: skip
# Each target's section of the report: KEY (its level's figures), KEY_heading… (KEY: the target's key); the
# optional ones shape the section (KEY_best: the highest and lowest units are named, KEY_best_one when each
# list names one; KEY_table: a table of its units follows; KEY_none: the sentence of a level without its figures).
TARGET_BLANKS = {"": "done whole share change installed total smartphones", "_heading": "",
                 "_below": "count target units", "_not_judged": "target deadline"}
TARGET_OPTIONAL = {"_all_met": "target", "_best": "units", "_worst": "units", "_best_one": "units",
                   "_worst_one": "units", "_table": "", "_none": "", "_chart": "round as_of count", "_picture": "round"}
ZALO_BLANKS = "round district due as_of reported expected late best worst remind"
# The sentences said instead of another in some cases (summary.RoundFacts.remind), and the one each refines.
REFINES = {"proposal_report": "proposal", "proposal_target": "proposal", "zalo_remind_report": "zalo_remind",
           "zalo_remind_target": "zalo_remind"}
SUMMARY_LISTS = {"recipients": 0, "group_table": 6, "commune_table": 5}  # list fields, and their length (0: any)


Blanks = dict[str, frozenset[str]]


def summary_blanks(targets: Sequence[str], spec: FormSpec) -> tuple[Blanks, Blanks]:
    """(the keys [summary] must have, the keys it may have), each with the blanks its text may use."""
    required = dict(SUMMARY_BLANKS)
    optional = {"chart_progress": frozenset({"district", "round"}),
                **{key: frozenset({"units"}) for key in REFINES}}
    for key in targets:
        required |= {key + end: frozenset(blanks.split()) for end, blanks in TARGET_BLANKS.items()}
        optional |= {key + end: frozenset(blanks.split()) for end, blanks in TARGET_OPTIONAL.items()}
    shown = [share for share in spec.shares if share.shown]
    required["zalo"] = frozenset([*ZALO_BLANKS.split(), *(k for s in shown for k in (s.key, s.part, s.whole))])
    return required, optional


@dataclass(frozen=True)
class SummaryTexts:
    """The words of the round report, its Zalo message and its tables' headers."""

    text: dict[str, str]
    lists: dict[str, tuple[str, ...]]
    # What keeps the report from being signed as it is (an older campaign.toml: "Như trên" with no "Kính gửi"):
    # raised by `summary` only, so that every other command of an older workspace still runs.
    problem: ConfigError | None = None

    def __call__(self, key: str, **blanks: object) -> str:
        return self.text[key].format(**with_counts(blanks, "vi"))  # the report and the message are Vietnamese

    def has(self, key: str) -> bool:
        return key in self.text


CRITERION_KINDS = ("on_time", "target", "share", "progress", "quality", "rate", "count")
INPUT_KINDS = ("rate", "count")  # the kinds scored from a ranking input (the app's own exports)
RANKING_BLANKS: dict[str, frozenset[str]] = {
    key: frozenset(blanks.split())
    for key, blanks in {
        "commend": "", "remind": "reasons", "criticize": "reasons", "never_reported": "", "reason_late": "rounds",
        "reason_missing": "rounds", "reason_target": "target", "title": "round",
    }.items()
}  # fmt: skip


@dataclass(frozen=True)
class Criterion:
    """One criterion of the emulation ranking (campaign.toml [[ranking.criteria]])."""

    key: str
    label: str
    kind: str  # one of CRITERION_KINDS
    points: float
    groups: tuple[str, ...] = ()  # only units of these groups score (empty: every group)
    rounds: tuple[int, ...] = ()  # on_time: the rounds counted (empty: every round)
    target: str = ""  # target: the key of the target in [targets]
    measure: str = ""  # share, progress: staff_share or resident_share
    late_points: float = 0.0  # on_time: for a late report
    penalty: float = 0.0  # quality: lost for each file sent back
    input: str = ""  # rate, count: the key of the [[ranking.inputs]] it reads
    part: str = ""  # rate: the input's column counted (handled on time)...
    whole: str = ""  # ...out of this one (received)
    value: str = ""  # count: the input's column counted (news posted)...
    per_days: float = 0.0  # ...against one item every per_days days of the input's period
    thresholds: tuple[tuple[float, float], ...] = ()  # (at least this ratio, these points), best first; none: prorata
    missing_points: float = 0.0  # rate, count: a unit the input has no row for ("không có số liệu")

    def applies_to(self, group: str) -> bool:
        return not self.groups or group in self.groups


@dataclass(frozen=True)
class RankingInput:
    """A table the app's administration exports per unit ([[ranking.inputs]]): feedback handled, news posted."""

    key: str
    label: str
    file: str  # in the workspace, unless `rank --input KEY=FILE` names another
    unit_labels: tuple[str, ...]  # the header of its unit column (a code or a name in each row)
    columns: dict[str, tuple[str, ...]]  # value key -> the headers it may have
    starts: date  # the period the figures cover
    ends: date

    @property
    def days(self) -> int:
        return (self.ends - self.starts).days + 1


@dataclass(frozen=True)
class RankingRules:
    criteria: tuple[Criterion, ...]
    tie_break: tuple[str, ...]
    commend_top: int
    criticize_missing: int
    words: dict[str, str]
    inputs: tuple[RankingInput, ...] = ()

    def __call__(self, key: str, **blanks: object) -> str:
        return self.words[key].format(**blanks)

    def input_of(self, criterion: Criterion) -> RankingInput:
        """The [[ranking.inputs]] a rate or count criterion reads (checked to exist when loaded)."""
        return next(i for i in self.inputs if i.key == criterion.input)


@dataclass(frozen=True)
class Level:
    """Where this workspace stands in the chain of offices (schools → Education Office → district → city)."""

    unit: str  # this office's code in the registry of the level above ("" at the top)
    parent_campaign: str  # the campaign id of the level above: the consolidated workbook carries it
    whole: str  # what the total line stands for: "toàn huyện" -> "TỔNG CỘNG TOÀN HUYỆN"


@dataclass(frozen=True)
class Checks:
    resident_change: float
    smartphone_share_sigma: float


@dataclass(frozen=True)
class Campaign:
    id: str
    district: str
    place: str
    authority: str
    receiving_office: str
    legal_basis: str
    starts: date
    form: FormTexts
    report: ReportTexts
    groups: tuple[Group, ...]
    rounds: tuple[Round, ...]
    targets: dict[str, Target]
    checks: Checks
    source: Path
    declared: FormSpec  # what the form counts ([form]'s headings, columns, checks and shares)
    short_name: str = "iHanoi"  # in the names of the files the tool writes ("iHanoi-lan-1_…", "Tong-hop-iHanoi-lan-3")
    summary: SummaryTexts | None = None  # None only for a campaign built in code (tests)
    ranking: RankingRules | None = None
    level: Level = Level("", "", "toàn huyện")

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Unpickled in a worker that was spawned, not forked (Windows, macOS, a process with threads such as
        `serve`): the sentences that name the form's columns are declared there too."""
        self.__dict__.update(state)
        declare(_phrases(self.declared))

    def round(self, number: int) -> Round:
        for r in self.rounds:
            if r.number == number:
                return r
        raise UsageError(t("round-not-in-campaign", round=number, rounds=", ".join(str(r.number) for r in self.rounds)))

    def round_on(self, day: date) -> Round | None:
        """The round whose reporting window contains ``day``, if any."""
        return next((r for r in self.rounds if r.contains(day)), None)

    def target_applies(self, key: str, rnd: Round) -> bool:
        """A target is judged from the first round due after its deadline."""
        target = self.targets.get(key)
        return target is not None and rnd.due > target.deadline

    def title(self, rnd: Round) -> str:
        return self.form.title.format(round=rnd.number)

    @property
    def last_target(self) -> Target:
        """The target due last: the one still open longest, whose units furthest from it are shown."""
        return max(self.targets.values(), key=lambda target: target.deadline)


def format_date(day: date) -> str:
    """The Vietnamese way of writing a date: 19/7/2024."""
    return f"{day.day}/{day.month}/{day.year}"


# --- loading -------------------------------------------------------------------------


def _line_of(text: str, key: str, occurrence: int = 0) -> int:
    """Line number (1-based) of the ``occurrence``-th assignment of ``key``, for error messages."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=", re.MULTILINE)
    matches = list(pattern.finditer(text))
    if not matches:
        return 1
    match = matches[min(occurrence, len(matches) - 1)]
    return text.count("\n", 0, match.start()) + 1


def _tables(data: dict[str, Any], name: str = "") -> dict[int, tuple[str, int]]:
    """id of each table of the parsed TOML -> (its dotted name, which [[array]] item it is)."""
    found: dict[int, tuple[str, int]] = {}
    for key, value in data.items():
        qualified = f"{name}.{key}" if name else key
        if isinstance(value, dict):
            found[id(value)] = (qualified, 0)
            found.update(_tables(value, qualified))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    found[id(item)] = (qualified, i)
                    found.update(_tables(item, qualified))
    return found


class _Reader:
    """Pulls typed fields out of the parsed TOML, raising ConfigError with file and line."""

    def __init__(self, path: Path, text: str, data: dict[str, Any] | None = None) -> None:
        self.path = path
        self.text = text
        self._tables = {id(data): ("", 0), **_tables(data)} if data else {}

    @functools.cached_property
    def _lines(self) -> Lines:
        """Where each key stands, as tomlkit's parser reads the file: asked only when an error is placed."""
        return key_lines(self.text)

    def line(self, key: str, occurrence: int = 0, table: dict[str, Any] | None = None) -> int:
        """Where ``key`` of ``table`` is set; without the table, the ``occurrence``-th ``key =`` of the file."""
        where = self._tables.get(id(table)) if table is not None else None
        if where is not None and (found := self._lines.get((*where, key))):
            return found
        return _line_of(self.text, key, occurrence)

    def fail(self, key: str, detail: str, occurrence: int = 0, table: dict[str, Any] | None = None) -> ConfigError:
        return ConfigError(
            t("config-invalid", path=self.path, line=self.line(key, occurrence, table), detail=detail),
            t("config-hint"),
        )

    def get(self, table: dict[str, Any], key: str, kind: type, occurrence: int = 0) -> Any:
        if key not in table:  # said at the table's header ([[rounds]], [summary]…), where the key belongs
            where = self._tables.get(id(table))
            line = self._lines.get((*where, ""), 1) if where is not None else 1
            raise ConfigError(
                t("config-invalid", path=self.path, line=line, detail=t("cfg-missing-key", key=key)),
                t("config-hint"),
            )
        value = table[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if kind is date and not isinstance(value, date):
            raise self.fail(key, t("cfg-not-a-date", key=key, value=value), occurrence, table)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(key, t("cfg-bad-value", key=key, value=value), occurrence, table)
        return value

    def table(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key)
        if not isinstance(value, dict):  # said where the key is set, when it is (else line 1: nowhere)
            line = self.line(key, table=data) if key in data else 1
            raise ConfigError(
                t("config-invalid", path=self.path, line=line, detail=t("cfg-missing-table", key=key)), t("config-hint")
            )
        return value

    def array(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = data.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            line = self.line(key, table=data) if key in data else 1
            raise ConfigError(
                t("config-invalid", path=self.path, line=line, detail=t("cfg-missing-array", key=key)), t("config-hint")
            )
        return value


def _parse(path: Path) -> tuple[str, dict[str, Any]]:
    """The file's text and its TOML, or a ConfigError naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(t("config-missing", path=path), t("config-hint")) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(t("config-invalid", path=path, line=1, detail=str(exc)), t("config-hint")) from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise ConfigError(
            t("config-syntax", path=path, line=line.group(1) if line else "?", detail=str(exc)),
            t("config-hint"),
        ) from None


_GROUP_WORDS = (("governing", ""), ("place", ""), ("addressee", "{name}"))


def _groups(r: _Reader, data: dict[str, Any]) -> tuple[Group, ...]:
    groups = tuple(
        Group(
            r.get(g, "code", str),
            r.get(g, "label", str),
            *(r.get(g, key, str, i) if key in g else default for key, default in _GROUP_WORDS),
        )
        for i, g in enumerate(r.array(data, "groups"))
    )
    for i, group in enumerate(groups):
        if "{name}" not in group.addressee:
            raise r.fail("addressee", t("cfg-addressee-name", value=group.addressee), i)
    codes = [g.code for g in groups]
    for i, code in enumerate(codes):
        if code in codes[:i]:
            raise r.fail("code", t("cfg-group-twice", code=code), i)
    return groups


def _rounds(r: _Reader, data: dict[str, Any], starts: date) -> tuple[Round, ...]:
    """Numbered 1, 2, 3… in order; each opens the day after the previous one is due."""
    rounds: list[Round] = []
    opens = starts
    for i, raw in enumerate(r.array(data, "rounds")):
        number = r.get(raw, "number", int, i)
        due = r.get(raw, "due", date, i)
        if number != i + 1:
            raise r.fail("number", t("cfg-round-order", number=number), i, raw)
        if due < opens:
            raise r.fail("due", t("cfg-due-order", number=number, due=format_date(due)), i, raw)
        cutoff = r.get(raw, "cutoff", date, i) if "cutoff" in raw else None
        if cutoff is not None and cutoff > due:
            raise r.fail("cutoff", t("cfg-cutoff-after-due", number=number, cutoff=format_date(cutoff),
                                     due=format_date(due)), i, raw)  # fmt: skip
        rounds.append(Round(number, opens, due, cutoff))
        opens = date.fromordinal(due.toordinal() + 1)
    return tuple(rounds)


def _targets(r: _Reader, data: dict[str, Any], spec: FormSpec, shipped: dict[str, Any] | None) -> dict[str, Target]:
    """[targets.KEY]: each a share of the form reaching a value by a deadline. ``shipped``: the shipped
    targets, for a workspace whose campaign.toml predates the declared form (its targets name no share)."""
    targets_raw = r.table(data, "targets")
    targets: dict[str, Target] = {}
    for key, raw in targets_raw.items():
        if not isinstance(raw, dict):
            raise r.fail(key, t("cfg-missing-table", key=f"targets.{key}"), table=targets_raw)
        old = (shipped or {}).get(key, {})
        defaults = {name: old[name] for name in ("measure", "code", "column") if name in old and name not in raw}
        raw = {**defaults, **raw} if defaults else raw
        share = r.get(raw, "share", float)
        if not 0 < share <= 1:
            raise r.fail("share", t("cfg-share-range", share=share), table=raw)
        measure = r.get(raw, "measure", str)
        if measure not in spec.share_by_key:
            raise r.fail("measure", t("cfg-bad-choice", key="measure", value=measure,
                                      allowed=", ".join(spec.share_by_key) or "-"), table=raw)
        code = _code(r, raw, "code", "target-missed")
        column = r.get(raw, "column", str) if "column" in raw else ""
        targets[key] = Target(key, r.get(raw, "label", str), share, r.get(raw, "deadline", date), measure, code,
                              column)
    if not targets:
        raise r.fail("targets", t("cfg-missing-table", key="targets.…"))
    return targets


_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_CODE = re.compile(r"^[a-z][a-z0-9-]{0,59}$")


def _words(r: _Reader, table: dict[str, Any], key: str) -> tuple[str, ...]:
    """A list of words, folded as the tool compares them."""
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and fold(v) for v in value):
        raise r.fail(key, t("cfg-bad-value", key=key, value=value), table=table)
    return tuple(fold(v) for v in value)


def _filled_by(r: _Reader, table: dict[str, Any], groups: tuple[Group, ...], flags: frozenset[str]) -> FilledBy:
    """"all", a list of group codes, or "flag:COLUMN" of units.csv."""
    value = table.get("filled_by", ALL)
    codes = [g.code for g in groups]
    if value == ALL:
        return FilledBy()
    if isinstance(value, str) and value.startswith(FLAG_PREFIX) and value[len(FLAG_PREFIX):] in flags:
        return FilledBy(flag=value[len(FLAG_PREFIX):])
    if isinstance(value, list) and value and all(isinstance(v, str) and v in codes for v in value):
        return FilledBy(groups=frozenset(value))
    allowed = ", ".join([ALL, *(FLAG_PREFIX + f for f in sorted(flags)), f"[{', '.join(codes)}]"])
    raise r.fail("filled_by", t("cfg-bad-choice", key="filled_by", value=value, allowed=allowed), table=table)


def _unique(r: _Reader, entries: list[dict[str, Any]], key: str, values: list[str], message: str) -> None:
    for i, value in enumerate(values):
        if value in values[:i]:
            raise r.fail(key, t(message, key=value), table=entries[i])


def _form_spec(r: _Reader, data: dict[str, Any], groups: tuple[Group, ...], flags: frozenset[str]) -> FormSpec:
    """[form]'s headings, columns, checks and shares; each mistake said at its line."""
    raw = r.table(data, "form")
    headings_raw = raw.get("headings", [])
    headings = tuple(Heading(r.get(h, "key", str), r.get(h, "label", str), _words(r, h, "words"),
                             _filled_by(r, h, groups, flags)) for h in headings_raw)  # fmt: skip
    _unique(r, headings_raw, "key", [h.key for h in headings], "cfg-form-key-twice")
    columns_raw = r.array(raw, "columns")
    columns: list[CountColumn] = []
    for entry in columns_raw:
        key, heading = r.get(entry, "key", str), entry.get("heading", "")
        if not _KEY.match(key):
            raise r.fail("key", t("cfg-form-key", key=key), table=entry)
        if heading not in {"", *(h.key for h in headings)}:
            raise r.fail("heading", t("cfg-bad-choice", key="heading", value=heading,
                                      allowed=", ".join(h.key for h in headings) or "-"), table=entry)
        flagged = {name: _flag(r, entry, name) for name in ("never_falls", "steady")}
        label = r.get(entry, "label", str)
        texts: dict[str, str] = {name: r.get(entry, name, str) if name in entry else ""
                                 for name in ("name", "name_en", "prompt")}
        texts["name"] = texts["name"] or label
        texts["name_en"] = texts["name_en"] or texts["name"]
        texts["prompt"] = texts["prompt"] or label
        if len(texts["prompt"]) > PROMPT_LIMIT:
            raise r.fail("prompt" if "prompt" in entry else "label",
                         t("cfg-form-prompt-long", key=key, limit=PROMPT_LIMIT), table=entry)
        columns.append(CountColumn(key, label, heading, texts["name"], texts["name_en"], texts["prompt"],
                                   aliases=_words(r, entry, "aliases"), words=_words(r, entry, "words"),
                                   unless=_words(r, entry, "unless"),
                                   filled_by=_filled_by(r, entry, groups, flags) if "filled_by" in entry
                                   else FilledBy(), never_falls=flagged["never_falls"],
                                   steady=flagged["steady"],
                                   steady_code=_code(r, entry, "steady_code", "count-changed-sharply")))  # fmt: skip
    _unique(r, columns_raw, "key", [c.key for c in columns], "cfg-form-key-twice")
    _unique(r, columns_raw, "label", [f"{c.heading}: {fold(c.label)}" for c in columns], "cfg-form-label-twice")
    aliases = [a for c in columns for a in c.aliases]
    if len(set(aliases)) != len(aliases):
        twice = next(a for i, a in enumerate(aliases) if a in aliases[:i])
        raise r.fail("aliases", t("cfg-form-label-twice", key=twice),
                     table=next(e for e, c in zip(columns_raw, columns, strict=True) if twice in c.aliases))
    spec = FormSpec(r.get(raw, "version", str) if "version" in raw else "1", headings, tuple(columns),
                    not_counts=_words(r, raw, "not_counts"),
                    title_words=_words(r, raw, "title_words") or FormSpec.title_words)
    checks_raw, shares_raw = raw.get("checks", []), raw.get("shares", [])
    checks = tuple(Check(_check_code(r, c), *_part_whole(r, c, spec)) for c in checks_raw)
    _unique(r, checks_raw, "code", [c.code for c in checks], "cfg-form-key-twice")
    shares = tuple(_share(r, entry, spec) for entry in shares_raw)
    _unique(r, shares_raw, "key", [s.key for s in shares], "cfg-form-key-twice")
    spec = replace(spec, checks=checks, shares=shares)
    for entry, column in zip(columns_raw, spec.columns, strict=True):  # the form's own header must read back
        over = spec.heading_of(column)
        if spec.column_for_header(column.label, over.label if over else "") is not column:
            raise r.fail("label", t("cfg-form-label-unread", key=column.key, label=column.label), table=entry)
    declare(_phrases(spec))
    return spec


def _phrases(spec: FormSpec) -> dict[str, tuple[str, str]]:
    """How sentences name each column ("cột 3 - Tổng số CBCCVC") and the hint on its cells."""
    phrases: dict[str, tuple[str, str]] = {}
    for column in spec.columns:
        number = spec.number(column.key)
        vi_name, en_name = column.name[:1].upper() + column.name[1:], column.name_en
        phrases[f"column-{column.key}"] = (f"cột {number} - {vi_name}", f"column {number} - {en_name}")
        phrases[f"prompt-{column.key}"] = (column.prompt, column.prompt)
    for share in spec.shares:
        phrases[f"short-{share.key}"] = (share.short or share.label, share.short_en or share.short or share.label)
    for check in spec.checks:  # a check under a code of its own says it with the columns' names
        part, whole = spec.by_key[check.part], spec.by_key[check.whole]
        vi_text, en_text = CATALOG["check-gt"]
        phrases.setdefault(check.code, (vi_text.format(part=part.name, whole=whole.name),
                                        en_text.format(part=part.name_en, whole=whole.name_en)))
        vi_title, en_title = CATALOG["title-check-gt"]
        phrases.setdefault(f"title-{check.code}", (vi_title.format(part=part.name, whole=whole.name),
                                                   en_title.format(part=part.name_en, whole=whole.name_en)))
    return phrases


def _short_name(r: _Reader, head: dict[str, Any], *, declared: bool) -> str:
    """[campaign] short_name: letters, digits and dashes, for file names. A campaign.toml from before the form
    was declared is an iHaNoi one; one that declares its form names itself."""
    if "short_name" not in head and not declared:
        return "iHanoi"
    name: str = r.get(head, "short_name", str)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]{0,29}", name):
        raise r.fail("short_name", t("cfg-short-name", value=name), table=head)
    return name


def _share(r: _Reader, raw: dict[str, Any], spec: FormSpec) -> Share:
    """One [[form.shares]]: its two columns checked, its optional words and flags."""
    words = {key: r.get(raw, key, str) if key in raw else "" for key in ("column", "subject", "short", "short_en")}
    return Share(r.get(raw, "key", str), *_part_whole(r, raw, spec), r.get(raw, "label", str),
                 outlier=_flag(r, raw, "outlier"), outlier_code=_code(r, raw, "outlier_code", "share-outlier"),
                 shown=_flag(r, raw, "shown", True), **words)


def _code(r: _Reader, raw: dict[str, Any], key: str, default: str) -> str:
    """A finding's code a declaration may name (one the tool released for it), else the kind's own."""
    code = raw.get(key, default)
    if not isinstance(code, str) or not _CODE.match(code):
        raise r.fail(key, t("cfg-bad-value", key=key, value=code), table=raw)
    return code


def _check_code(r: _Reader, raw: dict[str, Any]) -> str:
    return _code(r, raw, "code", f"{raw.get('part', '')}-gt-{raw.get('whole', '')}".replace("_", "-"))


def _flag(r: _Reader, raw: dict[str, Any], key: str, default: bool = False) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        raise r.fail(key, t("cfg-bad-value", key=key, value=value), table=raw)
    return value


def _part_whole(r: _Reader, raw: dict[str, Any], spec: FormSpec) -> tuple[str, str]:
    """A check's or a share's two columns: both declared, and the whole filled wherever the part is."""
    part, whole = r.get(raw, "part", str), r.get(raw, "whole", str)
    for key, value in (("part", part), ("whole", whole)):
        if value not in spec.by_key:
            raise r.fail(key, t("cfg-bad-choice", key=key, value=value, allowed=", ".join(spec.keys)), table=raw)
    if part == whole:
        raise r.fail("whole", t("cfg-form-part-is-whole", key=part), table=raw)
    by_part, by_whole = spec.filled_by(spec.by_key[part]), spec.filled_by(spec.by_key[whole])
    if not by_whole.covers(by_part):
        raise r.fail("whole", t("cfg-form-whole-blank", part=part, whole=whole, part_by=str(by_part),
                                whole_by=str(by_whole)), table=raw)  # fmt: skip
    return part, whole


def blanks_in(text: str) -> set[str]:
    """The names of the {blanks} a text of campaign.toml has."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _summary(r: _Reader, data: dict[str, Any], targets: Sequence[str], spec: FormSpec) -> SummaryTexts:
    """[summary], or the shipped one for a workspace whose campaign.toml predates it."""
    if "summary" not in data:
        return _summary(*_shipped_section(r, "summary", data), targets, spec)
    raw = r.table(data, "summary")
    # Whom the report is addressed to is the office's own: never the shipped district's, taken quietly.
    raw = {"addressee": "", **raw}
    required, optional = summary_blanks(targets, spec)
    missing = [key for key in (*required, *optional, *SUMMARY_LISTS) if key not in raw]
    if missing and (twin := shipped_twin(r.path, data)) is not None:
        # a key added by a later version: the words shipped for this campaign, the rest as the office wrote them;
        # never a refinement of a sentence the office rewrote (its own "proposal" stays its only one)
        shipped = _parse(twin)[1].get("summary", {})
        kept = {key for key in missing if key in shipped
                and ((base := _refined(key)) is None or raw.get(base) == shipped.get(base))}
        raw = {**{key: shipped[key] for key in kept}, **raw}
    texts = {key: _checked_text(r, raw, key, allowed) for key, allowed in required.items()}
    texts |= {key: _checked_text(r, raw, key, allowed) for key, allowed in optional.items() if key in raw}
    for key in targets:  # a sentence of the highest units goes with one of the lowest
        for best, worst in ((f"{key}_best", f"{key}_worst"), (f"{key}_best_one", f"{key}_worst_one")):
            if (best in texts) != (worst in texts):
                there, absent = (best, worst) if best in texts else (worst, best)
                raise r.fail(there, t("cfg-summary-pair", key=absent, other=there))
    lists = {}
    shown = sum(1 for share in spec.shares if share.shown)
    for key, length in {**SUMMARY_LISTS, "group_table": 2 + 2 * shown}.items():
        value = r.get(raw, key, list)
        if not all(isinstance(item, str) for item in value) or (length and len(value) != length):
            raise r.fail(key, t("cfg-bad-list", key=key, count=length or len(value)))
        lists[key] = tuple(value)
    # Nghị định 30: "Như trên" in Nơi nhận stands for those named after "Kính gửi:", which there must be.
    as_above = [item for item in lists["recipients"]
                if unicodedata.normalize("NFC", item).strip().casefold().startswith("như trên")]
    problem = r.fail("recipients", t("cfg-nhu-tren-needs-addressee")) if as_above and not texts[
        "addressee"].strip() else None
    return SummaryTexts(texts, lists, problem)


def _refined(key: str) -> str | None:
    """The sentence that ``key`` says instead of in some cases ("proposal" for "proposal_report", "staff_best" for
    "staff_best_one"): a later version's refinement is taken only where the office kept that sentence as shipped."""
    if key in REFINES:
        return REFINES[key]
    return key.removesuffix("_one") if key.endswith(("_best_one", "_worst_one")) else None


def _shipped_section(r: _Reader, name: str, data: dict[str, Any]) -> tuple[_Reader, dict[str, Any]]:
    """The shipped campaign.toml this one was copied from, for a section an older copy does not have."""
    twin = shipped_twin(r.path, data)
    if twin is None:
        raise r.fail(name, t("cfg-missing-table", key=name))
    text, defaults = _parse(twin)
    return _Reader(twin, text, defaults), defaults


def shipped_twin(path: Path, data: Mapping[str, Any]) -> Path | None:
    """The shipped campaign.toml that completes this one: for a file that does not declare its form (a copy from
    before forms were declared, or the city's example), iHaNoi's, the only campaign then; for any other, the shipped
    one of the same campaign id. None for iHaNoi's itself and for an office's own campaign: another campaign's
    words ("… ứng dụng iHanoi") are never taken for its own."""
    templates = shipped_dir("templates")
    default = templates / CAMPAIGN_FILE
    if path.resolve() == default.resolve():
        return None
    if "columns" not in data.get("form", {}):
        return default
    campaign_id = data.get("campaign", {}).get("id")
    others = [default, *sorted(templates.glob(f"*/{CAMPAIGN_FILE}")), *sorted(templates.glob(f"*/*/{CAMPAIGN_FILE}"))]
    return next((candidate for candidate in others if candidate.resolve() != path.resolve()
                 and _campaign_id(candidate) == campaign_id), None)


def _campaign_id(path: Path) -> object:
    """A shipped campaign.toml's [campaign] id, read from that table alone: every command of an older copy asks,
    and a whole file takes milliseconds to parse."""
    text = path.read_text(encoding="utf-8")
    start = text.find("[campaign]")
    end = text.find("\n[", start + 1)
    try:
        head = tomllib.loads(text[start:end] if start >= 0 and end >= 0 else text)
    except tomllib.TOMLDecodeError:  # the table cut where it should not be: the whole file, then
        head = tomllib.loads(text)
    return head.get("campaign", {}).get("id")


def _number(r: _Reader, raw: dict[str, Any], key: str, occurrence: int, default: float | None = None) -> float:
    if key not in raw and default is not None:
        return default
    value = r.get(raw, key, float, occurrence)
    if value < 0:
        raise r.fail(key, t("cfg-negative", key=key, value=value), occurrence, raw)
    return float(value)


def _criterion(r: _Reader, raw: dict[str, Any], seen: list[dict[str, Any]], known: dict[str, Any]) -> Criterion:
    """One [[ranking.criteria]]: each field checked against the campaign's rounds, targets and groups."""

    def nth(key: str) -> int:  # which assignment of ``key`` in the file this criterion's is
        return sum(key in other for other in seen)

    kind = r.get(raw, "kind", str, nth("kind"))
    if kind not in CRITERION_KINDS:
        raise r.fail("kind", t("cfg-bad-choice", key="kind", value=kind, allowed=", ".join(CRITERION_KINDS)),
                     nth("kind"), raw)
    lists = {}
    for key, allowed, kind_of in (("groups", known["groups"], str), ("rounds", known["rounds"], int)):
        values = raw.get(key, [])
        if not isinstance(values, list) or any(not isinstance(v, kind_of) or v not in allowed for v in values):
            raise r.fail(key, t("cfg-bad-choice", key=key, value=values, allowed=", ".join(map(str, allowed))),
                         nth(key), raw)
        lists[key] = tuple(values)
    target, measure = raw.get("target", ""), raw.get("measure", "")
    if kind == "target" and target not in known["targets"]:
        raise r.fail("target", t("cfg-bad-choice", key="target", value=target,
                                 allowed=", ".join(known["targets"])), nth("target"), raw)
    if kind in ("share", "progress") and measure not in known["shares"]:
        raise r.fail("measure", t("cfg-bad-choice", key="measure", value=measure, allowed=", ".join(known["shares"])),
                     nth("measure"), raw)
    scored_from = _input_fields(r, raw, kind, known["inputs"], nth) if kind in INPUT_KINDS else {}
    return Criterion(
        r.get(raw, "key", str, nth("key")), r.get(raw, "label", str, nth("label")), kind,
        _number(r, raw, "points", nth("points")), lists["groups"], lists["rounds"], target, measure,
        _number(r, raw, "late_points", nth("late_points"), 0.0), _number(r, raw, "penalty", nth("penalty"), 0.0),
        **scored_from,
    )  # fmt: skip


def _input_fields(r: _Reader, raw: dict[str, Any], kind: str, inputs: dict[str, RankingInput],
                  nth: Any) -> dict[str, Any]:
    """A rate or count criterion's input, its columns, thresholds and the points of a unit with no row."""
    name = raw.get("input", "")
    if name not in inputs:
        raise r.fail("input", t("cfg-bad-choice", key="input", value=name, allowed=", ".join(inputs) or "-"),
                     nth("input"), raw)
    columns = list(inputs[name].columns)
    needed = ("part", "whole") if kind == "rate" else ("value",)
    fields: dict[str, Any] = {"input": name}
    for key in needed:
        value = raw.get(key, "")
        if value not in columns:
            raise r.fail(key, t("cfg-bad-choice", key=key, value=value, allowed=", ".join(columns)), nth(key), raw)
        fields[key] = value
    if kind == "count":
        fields["per_days"] = _number(r, raw, "per_days", nth("per_days"))
        if fields["per_days"] <= 0:
            raise r.fail("per_days", t("cfg-negative", key="per_days", value=fields["per_days"]), nth("per_days"), raw)
    steps = raw.get("thresholds", [])
    if not isinstance(steps, list) or not all(
            isinstance(s, list) and len(s) == 2 and all(isinstance(v, int | float) and v >= 0 for v in s)
            for s in steps) or [s[0] for s in steps] != sorted((s[0] for s in steps), reverse=True):
        raise r.fail("thresholds", t("cfg-thresholds", value=steps), nth("thresholds"), raw)
    fields["thresholds"] = tuple((float(a), float(b)) for a, b in steps)
    fields["missing_points"] = _number(r, raw, "missing_points", nth("missing_points"), 0.0)
    return fields


def _inputs(r: _Reader, raw: dict[str, Any]) -> dict[str, RankingInput]:
    """[[ranking.inputs]]: optional; each a table file of the app's exports, by key."""
    found: dict[str, RankingInput] = {}
    entries = raw.get("inputs", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise r.fail("inputs", t("cfg-missing-array", key="ranking.inputs"))
    for i, entry in enumerate(entries):
        key = r.get(entry, "key", str, i)
        if key in found:
            raise r.fail("key", t("cfg-criterion-twice", key=key), i)
        columns = entry.get("columns")
        if not isinstance(columns, dict) or not columns:
            raise r.fail("key", t("cfg-missing-table", key=f"ranking.inputs.columns ({key})"), i)
        labels = {name: _labels(r, columns, name, i) for name in columns}
        unit = _labels(r, entry, "unit", i)
        starts, ends = r.get(entry, "starts", date, i), r.get(entry, "ends", date, i)
        if ends < starts:
            raise r.fail("ends", t("cfg-period", starts=format_date(starts), ends=format_date(ends)), i)
        found[key] = RankingInput(key, r.get(entry, "label", str, i), r.get(entry, "file", str, i), unit, labels,
                                  starts, ends)  # fmt: skip
    return found


def _labels(r: _Reader, table: dict[str, Any], key: str, occurrence: int) -> tuple[str, ...]:
    """A header and the other words it may be written with: a text, or a list of texts."""
    value = table.get(key)
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(v, str) and v.strip() for v in values):
        raise r.fail(key, t("cfg-bad-value", key=key, value=value), occurrence, table)
    return tuple(v.strip() for v in values)


def _ranking(r: _Reader, data: dict[str, Any], known: dict[str, Any]) -> RankingRules:
    """[ranking], or the shipped one for a workspace whose campaign.toml predates it."""
    if "ranking" not in data:
        return _ranking(*_shipped_section(r, "ranking", data), known)
    raw = r.table(data, "ranking")
    inputs = _inputs(r, raw)
    known = {**known, "inputs": inputs}
    seen: list[dict[str, Any]] = []
    criteria = []
    for entry in r.array(raw, "criteria"):
        criteria.append(_criterion(r, entry, seen, known))
        seen.append(entry)
    keys = [c.key for c in criteria]
    for i, key in enumerate(keys):
        if key in keys[:i]:
            raise r.fail("key", t("cfg-criterion-twice", key=key), i)
    tie_break = raw.get("tie_break", [])
    if not isinstance(tie_break, list) or any(k not in keys for k in tie_break):
        raise r.fail("tie_break", t("cfg-bad-choice", key="tie_break", value=tie_break, allowed=", ".join(keys)))
    commend_top, criticize_missing = r.get(raw, "commend_top", int), r.get(raw, "criticize_missing", int)
    if commend_top < 0 or criticize_missing < 1:
        key = "commend_top" if commend_top < 0 else "criticize_missing"
        raise r.fail(key, t("cfg-negative", key=key, value=min(commend_top, criticize_missing)))
    words = {key: _checked_text(r, raw, key, allowed) for key, allowed in RANKING_BLANKS.items()}
    return RankingRules(tuple(criteria), tuple(tie_break), commend_top, criticize_missing, words,
                        tuple(inputs.values()))  # fmt: skip


def _checked_text(r: _Reader, raw: dict[str, Any], key: str, allowed: frozenset[str]) -> str:
    """A text with blanks, each of which must be one the tool fills."""
    value: str = r.get(raw, key, str)
    try:
        unknown = blanks_in(value) - allowed
    except ValueError:  # an unpaired brace
        unknown = {value}
    if unknown:
        raise r.fail(key, t("cfg-unknown-blank", key=key, blanks=", ".join(sorted(unknown)),
                            allowed=", ".join(sorted(allowed)) or "-"))
    return value


def _level(r: _Reader, data: dict[str, Any], campaign_id: str) -> Level:
    """[level]: optional; without it the workspace is the top of its chain."""
    raw = data.get("level", {})
    if not isinstance(raw, dict):
        raise r.fail("level", t("cfg-missing-table", key="level"))
    values = {key: raw.get(key, default) for key, default in
              (("unit", ""), ("parent_campaign", campaign_id), ("whole", "toàn huyện"))}
    for key, value in values.items():
        if not isinstance(value, str) or (key != "unit" and not value.strip()):
            raise r.fail(key, t("cfg-bad-value", key=key, value=value))
    return Level(values["unit"].strip(), values["parent_campaign"].strip(), values["whole"].strip())


def load_campaign(path: Path, flags: frozenset[str] = frozenset({"has_residents"})) -> Campaign:
    """campaign.toml, checked whole; ``flags``: the units.csv columns a form's columns may be filled by."""
    text, data = _parse(path)
    r = _Reader(path, text, data)
    head, form, report, checks = (r.table(data, key) for key in ("campaign", "form", "report", "checks"))
    starts = r.get(head, "starts", date)
    groups = _groups(r, data)
    shipped_targets = None
    if "columns" in form:
        spec = _form_spec(r, data, groups, flags)
    else:  # a workspace from before the form was declared: the shipped form, which it used
        shipped_reader, shipped = _shipped_section(r, "form", data)
        spec = _form_spec(shipped_reader, shipped, groups, flags)
        shipped_targets = shipped.get("targets", {})
    targets = _targets(r, data, spec, shipped_targets)
    rounds = _rounds(r, data, starts)
    known = {"groups": [g.code for g in groups], "rounds": [rnd.number for rnd in rounds], "targets": list(targets),
             "shares": [s.key for s in spec.shares]}
    return Campaign(
        id=r.get(head, "id", str),
        district=r.get(head, "district", str),
        place=r.get(head, "place", str),
        authority=r.get(head, "authority", str),
        receiving_office=r.get(head, "receiving_office", str),
        legal_basis=r.get(head, "legal_basis", str),
        starts=starts,
        form=FormTexts(**{f: r.get(form, f, str) for f in FormTexts.__dataclass_fields__}),
        report=ReportTexts(**{f: _checked_text(r, report, f, REPORT_BLANKS.get(f, NO_BLANKS)) for f in REPORT_KEYS}),
        groups=groups,
        rounds=rounds,
        targets=targets,
        checks=Checks(
            resident_change=r.get(checks, "resident_change", float),
            smartphone_share_sigma=r.get(checks, "smartphone_share_sigma", float),
        ),
        source=path,
        declared=spec,
        short_name=_short_name(r, head, declared="columns" in form),
        summary=_summary(r, data, list(targets), spec),
        ranking=_ranking(r, data, known),
        level=_level(r, data, r.get(head, "id", str)),
    )


# --- workspace -------------------------------------------------------------------------


def shipped_dir(name: str) -> Path:
    """A folder shipped with the package (templates, samples), in a wheel or a checkout."""
    packaged = Path(str(resources.files("ihanoi_report"))) / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / name


@dataclass(frozen=True)
class Workspace:
    """One office's folder: its own config (if any) and the store."""

    root: Path

    @classmethod
    def discover(cls, explicit: Path | None = None) -> Workspace:
        """The workspace asked for (--workspace, then IHANOI_WORKSPACE), else the current folder; one that was
        asked for must exist: a mistyped path is said, never created quietly (init makes new ones)."""
        env = os.environ.get(WORKSPACE_ENV)
        asked = explicit if explicit is not None else Path(env) if env else None
        if asked is None:
            return cls(Path.cwd().resolve())
        root = asked.expanduser().resolve()
        if not root.is_dir():
            raise UsageError(t("workspace-missing", path=root), t("workspace-missing-hint"))
        return cls(root)

    def config_file(self, name: str) -> Path:
        own = self.root / name
        return own if own.is_file() else shipped_dir("templates") / name

    def uses_own(self, name: str) -> bool:
        return (self.root / name).is_file()

    @property
    def campaign_path(self) -> Path:
        return self.config_file(CAMPAIGN_FILE)

    @property
    def units_path(self) -> Path:
        return self.config_file(UNITS_FILE)

    @property
    def store_path(self) -> Path:
        return self.root / STORE_FILE
