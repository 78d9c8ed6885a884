"""The registry of checks drives the runner: every code has its check, the order is the needs' order, and a
workbook runs exactly the checks its kind calls for."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from ihanoi_report import checks
from ihanoi_report.checks import CHECKS, RULES, SEVERITY, Examined, Need, Stored, Where
from ihanoi_report.config import load_campaign, shipped_dir
from ihanoi_report.model import KIND_CONSOLIDATED, Finding, FormData, Report, Severity

SRC = Path(checks.__file__).resolve().parents[1]
SECOND = shipped_dir("templates") / "campaigns" / "binh-dan-hoc-vu-so" / "campaign.toml"


def _codes_said_in(source: str) -> set[str]:
    """The codes the source says: where.finding("…"), ReadFailure("…"), identify's add("…")."""
    pattern = r'(?:\.finding|ReadFailure|\badd)\(\s*"([a-z]+(?:-[a-z]+)+)"'
    return set(re.findall(pattern, source))


def test_every_code_the_source_says_is_a_code_of_a_check():
    said = set()
    for path in SRC.rglob("*.py"):
        said |= _codes_said_in(path.read_text(encoding="utf-8"))
    said -= {"tool-output"}  # the reader's word for the tool's own workbook: skipped, never a finding
    assert said, "the scan found no code: the pattern is wrong"
    assert sorted(said - set(SEVERITY)) == []
    from ihanoi_report.values import Problem

    assert {p.value for p in Problem} <= set(SEVERITY)


def test_every_code_has_one_severity_and_a_first_check():
    assert len({rule.code for rule in RULES}) == len(RULES) == len(SEVERITY)
    for c in CHECKS:
        for rule in c.rules:
            assert SEVERITY[rule.code] is rule.severity, (c.name, rule.code)


def test_each_check_runs_after_the_checks_that_give_what_it_needs():
    """What a subject has (a workbook, its round; the store), and what earlier checks give: nothing else."""
    given: set[Need] = set()
    subjects = {Need.WORKBOOK, Need.FORM, Need.CONSOLIDATED, Need.ROUND, Need.STORE}
    for c in CHECKS:
        if c.run is None:
            continue
        assert c.needs, c.name  # a check that needs nothing would run for every subject, the store's too
        assert c.needs <= subjects | given, (c.name, c.needs - subjects - given)
        given |= c.gives
    assert {Need.ROWS, Need.DATE} <= given


def test_every_check_has_a_title_in_both_languages():
    from ihanoi_report.messages import CATALOG

    for c in CHECKS:
        vi, en = CATALOG[f"check-{c.name}"]
        assert vi and en and vi != en, c.name


def _sub(kind: str = "") -> FormData:
    return FormData(Path("f.xlsx"), "Báo cáo", {"kind": kind} if kind else {}, "", None, "", "", (), None, {})


def _names(subject: Examined | Stored) -> list[str]:
    return [c.name for c in checks.plan(subject)]


@pytest.fixture(scope="module")
def campaign():
    return load_campaign(shipped_dir("templates") / "campaign.toml")


def test_a_form_a_consolidated_workbook_and_the_store_each_run_their_own_checks(campaign):
    where = Where("f.xlsx")
    form = Examined(_sub(), [], campaign, where, Report("f.xlsx", round=3), campaign.starts, confirmed=False)
    assert _names(form) == ["columns", "seen", "values", "total", "consistency", "report-date", "targets", "late"]
    lower = Examined(_sub(KIND_CONSOLIDATED), [], campaign, where, Report("f.xlsx", round=3), campaign.starts,
                     confirmed=False)
    assert _names(lower) == ["columns", "seen", "consolidated-values", "lines", "subtotals", "consistency",
                             "report-date", "targets", "late"]
    no_round = Examined(_sub(), [], campaign, where, Report("f.xlsx"), campaign.starts, confirmed=False)
    assert _names(no_round) == ["columns", "seen", "values", "total", "consistency"]
    stored = Stored(Report("f.xlsx", round=3), campaign, None, where, previous=lambda: (None, {}),  # type: ignore[arg-type]
                    book=lambda share: None, elsewhere=lambda subs: ())  # type: ignore[arg-type,return-value]
    assert _names(stored) == ["history", "outliers", "elsewhere"]


def test_the_store_is_asked_only_by_the_checks_that_need_it(campaign):
    asked: list[str] = []
    report = Report("f.xlsx", unit="XA-09694", round=3)  # no rows: no share to compare, no sub-unit elsewhere

    def previous():
        asked.append("previous")
        return None, {}

    stored = Stored(report, campaign, None, Where("f.xlsx"), previous=previous,  # type: ignore[arg-type]
                    book=lambda share: asked.append("book"), elsewhere=lambda subs: asked.append("elsewhere"))  # type: ignore[arg-type,func-returns-value]
    assert checks.run(stored) == []
    assert asked == ["previous"]


def test_rules_name_the_check_of_every_code_the_second_campaign_declares():
    from ihanoi_report.office import rules

    second = load_campaign(SECOND)
    listed = {rule.code: c.name for rule, c in rules(second)}
    for declared in second.declared.checks:
        assert listed[declared.code] == "consistency"
    for target in second.targets.values():
        assert listed[target.code] == "targets"
    assert [rule.code for rule, _ in rules(None)] == [rule.code for rule in RULES]


def test_a_unit_below_the_second_campaigns_target_gets_no_copy_to_check(campaign):
    """A target missed is progress, for the officer: the unit is not asked to check its cells for it."""
    second = load_campaign(SECOND)
    target = next(iter(second.targets.values()))
    below = Report("f.xlsx", findings=[Finding(target.code, Severity.WARNING, "f.xlsx")])
    assert checks.feedback_kind(below, checks.office_codes(second)) is None
    assert checks.for_the_unit(below, checks.office_codes(second)) == []
    other = Report("f.xlsx", findings=[Finding("row-unknown", Severity.WARNING, "f.xlsx")])
    assert checks.feedback_kind(other, checks.office_codes(second)) == "luu-y"


def test_the_runner_is_the_registry_not_a_hand_wired_order():
    """ingest calls the registry's runner; it names no check function of its own."""
    from ihanoi_report import ingest

    source = inspect.getsource(ingest)
    assert "checks.run(" in source
    assert re.findall(r"(?<![.\w])check_[a-z_]+\(", source) == []  # store.check_form is the store's


def test_a_date_finding_shows_a_date_of_its_own_round_and_one_kept_before_shows_the_old_example():
    from datetime import date

    from ihanoi_report.checks.round import check_report_date
    from ihanoi_report.values import parse_date

    second = load_campaign(shipped_dir("templates") / "campaigns" / "binh-dan-hoc-vu-so" / "campaign.toml")
    where = Where("f.xlsx", "Báo cáo", "TH-01", 2)
    for typed, code in (("", "report-date-missing"), ("hôm qua", "report-date-invalid")):
        _, (found,) = check_report_date(parse_date(typed), "C15", second.round(2), second, date(2025, 11, 20),
                                        False, where)
        assert found.code == code and found.message.endswith("ví dụ 14/11/2025.")
    kept = Finding("report-date-missing", Severity.WARNING, "f.xlsx", "Báo cáo", "C15", "PB-KT", 2)  # no example
    assert kept.message.endswith("ví dụ 18/8/2024.")
