"""One test per rule, positive and negative, on pure data (no files)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ihanoi_report import form
from ihanoi_report.checks import (
    RULES,
    SEVERITY,
    Where,
    check_consistency,
    check_history,
    check_late,
    check_outlier,
    check_targets,
    check_total,
    read_values,
)
from ihanoi_report.config import load_campaign, shipped_dir
from ihanoi_report.model import FormData, RawRow, Row, Severity

SPEC = load_campaign(shipped_dir("templates") / "campaign.toml").declared
WHERE = Where("f.xlsx", "Báo cáo", "XA-09694", 3)


def row(registry, code="XA-09694", **counts) -> Row:
    cells = {c.key: f"{c.letter}13" for c in form.count_columns(SPEC)}
    return Row(registry.get(code).code, 13, counts, cells)


def own(registry):
    return [registry.get("XA-09694")]


def codes(findings) -> list[str]:
    return [f.code for f in findings]


def sub(rows: list[RawRow], total: RawRow | None = None, formulas: frozenset[str] = frozenset()) -> FormData:
    letters = {c.key: c.letter for c in form.columns(SPEC)}
    return FormData(Path("f.xlsx"), "Báo cáo", {}, "", None, "", "", tuple(rows), total, letters,
                      formula_cells=formulas)


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"staff_total": 10, "staff_installed": 11}, ["staff-installed-gt-total"]),
        ({"staff_total": 10, "staff_installed": 10}, []),
        ({"residents": 100, "smartphones": 80, "residents_installed": 81}, ["installed-gt-smartphones"]),
        ({"residents": 100, "smartphones": 80, "residents_installed": 80}, []),
        ({"residents": 100, "smartphones": 101, "residents_installed": 50}, ["smartphones-gt-residents"]),
        ({"residents": 100, "smartphones": 100, "residents_installed": 100}, []),
    ],
)
def test_consistency(registry, counts, expected):
    findings = check_consistency([row(registry, **counts)], SPEC, WHERE)
    assert codes(findings) == expected
    assert all(f.severity is Severity.ERROR for f in findings)


def test_consistency_names_the_cell_and_both_numbers(registry):
    (finding,) = check_consistency([row(registry, residents=100, smartphones=80, residents_installed=90)], SPEC, WHERE)
    assert finding.cell == "G13"
    assert finding.message == ("Ô G13: số người dân đã cài đặt (90) lớn hơn số người dân có điện thoại thông minh "
                               "(80); đề nghị kiểm tra lại.")


def test_values_missing_not_integer_negative_formula_and_unexpected(registry):
    raw = RawRow(13, "Xã Tản Lĩnh", {"staff_total": "30", "staff_installed": None, "residents": "1,5",
                                      "smartphones": -4, "residents_installed": None})
    rows, findings = read_values(sub([raw], formulas=frozenset({"G13"})), [registry.get("XA-09694")], SPEC, WHERE)
    assert [(f.code, f.cell) for f in findings] == [("value-missing", "D13"), ("value-not-integer", "E13"),
                                                    ("value-negative", "F13"), ("value-formula-no-result", "G13")]
    assert rows[0].counts == {"staff_total": 30}
    dept = RawRow(13, "Phòng Nội vụ", {"staff_total": 5, "staff_installed": 5, "residents": 100, "smartphones": None,
                                        "residents_installed": "-"})
    rows, findings = read_values(sub([dept]), [registry.get("PB-NV")], SPEC, WHERE)
    assert [(f.code, f.severity) for f in findings] == [("value-not-expected", Severity.INFO)]
    assert rows[0].counts == {"staff_total": 5, "staff_installed": 5}


def test_rows_of_sub_units_are_matched_by_name(registry):
    members = [registry.get("PB-GDDT"), registry.get("MN-TANLINH"), registry.get("TH-TANLINH")]
    raws = [RawRow(13, "Phòng Giáo dục và Đào tạo", {"staff_total": 9, "staff_installed": 9}),
            RawRow(14, "Trường Tiểu học Tản Lĩnh", {"staff_total": 30, "staff_installed": 29}),
            RawRow(15, "Trường Không Có", {"staff_total": 1, "staff_installed": 1})]
    rows, findings = read_values(sub(raws), members, SPEC, WHERE)
    assert [(r.unit, r.sheet_row) for r in rows] == [("PB-GDDT", 13), ("TH-TANLINH", 14)]
    assert [(f.code, f.cell, f.value) for f in findings] == [("row-unknown", "B15", "Trường Không Có"),
                                                             ("row-missing", "", "Trường Mầm non Tản Lĩnh")]


def test_total_row_must_equal_the_sum(registry):
    members = [registry.get("PB-GDDT"), registry.get("MN-TANLINH")]
    raws = [RawRow(13, "Phòng Giáo dục và Đào tạo", {"staff_total": 9, "staff_installed": 9}),
            RawRow(14, "Trường Mầm non Tản Lĩnh", {"staff_total": 30, "staff_installed": 29})]
    rows, _ = read_values(sub(raws), members, SPEC, WHERE)
    good = RawRow(15, "Tổng cộng", {"staff_total": 39, "staff_installed": 38})
    assert check_total(sub(raws, good), rows, members, SPEC, WHERE) == []
    bad = RawRow(15, "Tổng cộng", {"staff_total": 40, "staff_installed": 38})
    (finding,) = check_total(sub(raws, bad), rows, members, SPEC, WHERE)
    assert (finding.code, finding.cell, finding.value, finding.args["limit"]) == ("total-row-mismatch", "C15", "40", 39)
    unsaved = RawRow(15, "Tổng cộng", {"staff_total": None, "staff_installed": 38})
    assert codes(check_total(sub(raws, unsaved, frozenset({"C15"})), rows, members, SPEC, WHERE)) == [
        "value-formula-no-result"]


def test_a_total_that_skipped_a_count_typed_as_text_is_the_spreadsheet_sum_not_a_mistake(registry):
    members = [registry.get("PB-GDDT"), registry.get("MN-TANLINH")]
    raws = [RawRow(13, "Phòng Giáo dục và Đào tạo", {"staff_total": 9, "staff_installed": 9}),
            RawRow(14, "Trường Mầm non Tản Lĩnh", {"staff_total": "1.030", "staff_installed": 1000})]
    rows, _ = read_values(sub(raws), members, SPEC, WHERE)
    assert rows[1].counts["staff_total"] == 1030
    skipped = RawRow(15, "Tổng cộng", {"staff_total": 9, "staff_installed": 1009})  # SUM saw 9: "1.030" is text
    assert check_total(sub(raws, skipped), rows, members, SPEC, WHERE) == []
    other = RawRow(15, "Tổng cộng", {"staff_total": 500, "staff_installed": 1009})
    assert codes(check_total(sub(raws, other), rows, members, SPEC, WHERE)) == ["total-row-mismatch"]


def test_a_sub_unit_row_not_in_the_registry_is_a_warning_and_still_in_the_total(registry):
    members = [registry.get("PB-GDDT"), registry.get("MN-TANLINH")]
    raws = [RawRow(13, "Phòng Giáo dục và Đào tạo", {"staff_total": 9, "staff_installed": 9}),
            RawRow(14, "Trường Mầm non Hoa Sen", {"staff_total": 5, "staff_installed": 5}),
            RawRow(15, "Trường Mầm non Tản Lĩnh", {"staff_total": 30, "staff_installed": 30})]
    rows, findings = read_values(sub(raws), members, SPEC, WHERE)
    assert [(f.code, f.severity, f.cell) for f in findings] == [("row-unknown", Severity.WARNING, "B14")]
    assert [r.unit for r in rows] == ["PB-GDDT", "MN-TANLINH"]
    total = RawRow(16, "Tổng cộng", {"staff_total": 44, "staff_installed": 44})
    assert check_total(sub(raws, total), rows, members, SPEC, WHERE) == []


def test_staff_target_is_judged_from_round_2(registry, campaign):
    missed = [row(registry, staff_total=30, staff_installed=29)]
    assert check_targets(missed, own(registry), campaign, campaign.round(1), WHERE) == []
    (finding,) = check_targets(missed, own(registry), campaign, campaign.round(2), WHERE)
    assert (finding.code, finding.severity, finding.cell) == ("staff-target-missed", Severity.WARNING, "D13")
    assert "29/30" in finding.message and "96,7%" in finding.message and "25/7/2024" in finding.message
    met = [row(registry, staff_total=30, staff_installed=30)]
    assert check_targets(met, own(registry), campaign, campaign.round(4), WHERE) == []


def test_resident_target_is_judged_from_round_4_only(registry, campaign):
    missed = [row(registry, residents=100, smartphones=80, residents_installed=79)]
    for number in (1, 2, 3):
        found = check_targets(missed, own(registry), campaign, campaign.round(number), WHERE)
        assert "resident-target-missed" not in codes(found)
    assert codes(check_targets(missed, own(registry), campaign, campaign.round(4), WHERE)) == ["resident-target-missed"]
    met = [row(registry, residents=100, smartphones=80, residents_installed=80)]
    assert check_targets(met, own(registry), campaign, campaign.round(4), WHERE) == []


def test_history_counts_that_fell_and_residents_that_jumped(registry, campaign):
    now = [row(registry, staff_installed=20, residents=13000, residents_installed=5000)]
    before = {"XA-09694": {"staff_installed": 25, "residents": 10000, "residents_installed": 4000}}
    findings = check_history(now, before, 2, campaign, WHERE)
    assert [(f.code, f.cell) for f in findings] == [("count-fell", "D13"), ("residents-changed-sharply", "E13")]
    assert "+30%" in findings[1].message
    steady = {"XA-09694": {"staff_installed": 20, "residents": 12500, "residents_installed": 5000}}
    assert check_history(now, steady, 2, campaign, WHERE) == []
    assert check_history(now, before, None, campaign, WHERE) == []


def test_smartphone_share_far_from_the_other_communes(registry, campaign):
    from ihanoi_report.checks import ShareBook, ShareStats

    values = [0.70, 0.72, 0.75, 0.68, 0.74, 0.71]
    others = ShareStats.of(values)
    assert others.mean == pytest.approx(sum(values) / 6)
    assert others.plus(0.9).without(0.9).spread == pytest.approx(others.spread)
    odd = [row(registry, residents=10000, smartphones=1500)]
    book = ShareBook({}, campaign.declared, "smartphone_share")
    assert codes(check_outlier(odd, others, book, campaign, WHERE)) == ["smartphone-share-outlier"]
    usual = [row(registry, residents=10000, smartphones=7200)]
    assert check_outlier(usual, others, book, campaign, WHERE) == []
    assert check_outlier(odd, ShareStats.of(values[:4]), book, campaign, WHERE) == []  # too few others to judge


def test_late_report(campaign):
    rnd = campaign.round(3)
    (late,) = check_late(date(2024, 8, 21), "typed", rnd, WHERE)
    assert late.code == "late-report" and late.message == ("Báo cáo ngày 21/8/2024 (ngày ghi trên biểu mẫu), sau hạn "
                                                           "20/8/2024 của lần 3.")
    (by_file,) = check_late(date(2024, 12, 1), "file", rnd, WHERE)
    assert "theo ngày sửa đổi của tệp" in by_file.message and "1/12/2024" in by_file.message
    assert check_late(date(2024, 8, 20), "typed", rnd, WHERE) == []
    assert check_late(None, "", rnd, WHERE) == []


def test_every_rule_has_a_sentence_in_both_languages():
    from ihanoi_report.messages import CATALOG

    for rule in RULES:
        vi, en = CATALOG[rule.code]
        assert vi and en and vi != en, rule.code
    assert len(SEVERITY) == len(RULES)


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=50), st.floats(min_value=0, max_value=1))
def test_running_share_statistics_match_a_full_recount(values, extra):
    import statistics

    from ihanoi_report.checks import ShareStats

    stats = ShareStats.of(values).plus(extra).without(extra)
    assert stats.n == len(values)
    assert stats.mean == pytest.approx(statistics.fmean(values), abs=1e-9)
    assert stats.spread == pytest.approx(statistics.pstdev(values), abs=1e-6)


def test_identify_gives_each_finding_the_severity_of_the_rule_registry(tmp_path, campaign, registry):
    """identify builds its own findings: their severities must be those `rules` (and the README) state."""
    import inspect
    import re

    from ihanoi_report import identify
    from ihanoi_report.checks import SEVERITY

    source = inspect.getsource(identify)
    for code, severity in re.findall(r'add\("([a-z-]+)",\s*(Severity\.[A-Z]+)?', source):
        expected = f"Severity.{SEVERITY[code].name}"
        assert (severity or "Severity.ERROR") == expected, code


@pytest.mark.parametrize("stored", ["95,5%", "95.5%"])
def test_a_share_in_a_finding_reads_with_each_languages_decimal_mark(stored):
    """The tool writes a share into a finding's arguments as text; whichever language the run that recorded it
    used, the clerk's Vietnamese sentence says 95,5% and the officer's English one 95.5%."""
    from ihanoi_report import messages
    from ihanoi_report.model import Finding

    finding = Finding("target-missed", Severity.WARNING, cell="D13", value="21",
                      args={"limit": 22, "who": "Xã Tản Lĩnh", "share": stored, "target": "100%",
                            "deadline": "25/7/2024", "label": "100% CBCCVC"})
    assert "mới có 21/22 (95,5%)" in finding.message_vi
    messages.set_language("en")
    try:
        assert "only 21 of 22 (95.5%)" in finding.message and "(95,5%)" in finding.message_vi
    finally:
        messages.set_language("vi")
