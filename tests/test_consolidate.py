"""The consolidated workbook, read back by pandas' calamine engine, against sums computed from the samples."""

from __future__ import annotations

import json
import subprocess
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from ihanoi_report.config import shipped_dir
from ihanoi_report.consolidate import MET, MISSED, NOT_JUDGED, NOT_REPORTED, consolidate
from ihanoi_report.model import Report, Row, Status
from ihanoi_report.office import Office
from ihanoi_report.units import Registry, Unit
from ihanoi_report.xlsx.consolidated import CHECKS_SHEET, MISSING_SHEET, SUMMARY_SHEET, TREND_SHEET

EXPECTED = json.loads((shipped_dir("samples") / "EXPECTED.json").read_text(encoding="utf-8"))
COUNTS = ["staff_total", "staff_installed", "residents", "smartphones", "residents_installed"]


def expected_figures(rnd: int) -> dict[str, dict[str, int]]:
    """Each unit's figures in the accepted file of the round, straight from the generator's plan."""
    figures: dict[str, dict[str, int]] = {}
    for _, entry in sorted(EXPECTED["files"][str(rnd)].items()):
        if entry.get("verdict") in ("rejected", "skipped", "already-received") or entry.get("superseded"):
            continue
        figures.update(entry["rows"])
    return figures


@pytest.fixture(scope="module")
def workbook(ingested, campaign, registry, tmp_path_factory) -> Path:
    workspace, _ = ingested
    office = Office(workspace, campaign, registry)
    view = office.round_view(campaign.round(3))
    return office.write_consolidation(view, tmp_path_factory.mktemp("out") / "th.xlsx", "xlsx",
                               force=False)


def _summary(path: Path) -> pd.DataFrame:
    raw = pd.read_excel(path, sheet_name=SUMMARY_SHEET, engine="calamine", header=None)
    return raw


def test_every_unit_subtotal_and_the_district_total_match_the_samples(workbook, registry):
    raw = _summary(workbook)
    names = {u.name: u for u in registry}
    figures = expected_figures(3)
    seen = set()
    rows_by_label = {}
    for _, row in raw.iterrows():
        label = row[1]
        if isinstance(label, str) and label in names and isinstance(row[0], int | float):
            unit = names[label]
            want = figures.get(unit.code, {})
            got = {k: (None if pd.isna(row[c]) else int(row[c])) for k, c in
                   zip(COUNTS, (2, 3, 5, 6, 7), strict=True)}
            assert got == {k: want.get(k) for k in COUNTS}, unit.code
            seen.add(unit.code)
        elif isinstance(label, str):
            rows_by_label[label] = row
    assert seen == {u.code for u in registry}
    for group in registry.groups:
        members = [u.code for u in registry.in_group(group.code)]
        label = next(k for k in rows_by_label if k.startswith(group.label))
        row = rows_by_label[label]
        for key, col in zip(COUNTS, (2, 3, 5, 6, 7), strict=True):
            values = [figures[c][key] for c in members if c in figures and key in figures[c]]
            assert (int(row[col]) if not pd.isna(row[col]) else None) == (sum(values) if values else None), (label,
                                                                                                            key)
    total = rows_by_label["TỔNG CỘNG TOÀN HUYỆN"]
    for key, col in zip(COUNTS, (2, 3, 5, 6, 7), strict=True):
        assert int(total[col]) == sum(f[key] for f in figures.values() if key in f), key
    part = sum(f["residents_installed"] for f in figures.values() if "smartphones" in f)
    whole = sum(f["smartphones"] for f in figures.values() if "smartphones" in f)
    shown = (Decimal(part) / Decimal(whole)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)  # the number policy
    assert total[8] == pytest.approx(float(min(shown, Decimal("0.999")) if part < whole else shown), abs=1e-12)


def test_missing_late_and_warnings_sheets(workbook, registry):
    missing = pd.read_excel(workbook, sheet_name=MISSING_SHEET, engine="calamine", header=2)
    rejected_only = {"XA-09625", "XA-09640", "DT-PHUNU"}
    assert set(missing["Mã đơn vị"]) == set(EXPECTED["missing"]["3"]) | rejected_only
    summary = _summary(workbook)
    notes = dict(zip(summary[1], summary[11], strict=True))
    assert str(notes["Phòng Kinh tế"]).startswith("Báo cáo muộn (22/8/2024)")
    assert summary[summary[1] == "Hội Cựu chiến binh huyện"][9].item() == NOT_REPORTED
    checks = pd.read_excel(workbook, sheet_name=CHECKS_SHEET, engine="calamine", header=2)
    assert {"late-report", "smartphone-share-outlier", "resubmission"} <= set(checks["Mã"])
    trend = pd.read_excel(workbook, sheet_name=TREND_SHEET, engine="calamine", header=2)
    assert "Lần 3: người dân (%)" in trend.columns
    wb = openpyxl.load_workbook(workbook)
    assert len(wb[TREND_SHEET]._charts) == 2
    # the printed pages hold the table and repeat its header row, and nothing beside it (the chart data)
    trend_ws = wb[TREND_SHEET]
    assert trend_ws.print_title_rows.replace("$", "") == "3:3"
    width = sum(1 for cell in trend_ws[3] if cell.value is not None)  # the header row holds the table's only
    assert [c.value for c in trend_ws[3][:width]][-1] == "Lần 3: người dân (%)"
    area = trend_ws.print_area.replace("$", "").split("!")[-1]
    assert area.startswith(f"A1:{openpyxl.utils.get_column_letter(width)}")
    assert any(c.value == "Lần" for row in trend_ws.iter_rows(min_row=4) for c in row[width:])  # chart data beside
    assert wb[SUMMARY_SHEET].freeze_panes == "C11" and wb[SUMMARY_SHEET].auto_filter.ref


def _accepted(code: str, rnd: int, **counts: int) -> Report:
    return Report("x.xlsx", unit=code, round=rnd, rows=[Row(code, 13, counts)], status=Status.ACCEPTED, id=1)


@pytest.mark.parametrize(
    ("rnd", "staff", "residents", "expected"),
    [(1, (10, 5), (100, 10), NOT_JUDGED), (2, (10, 10), (100, 10), MET), (2, (10, 9), (100, 100), MISSED),
     (3, (10, 10), (100, 10), MET), (4, (10, 10), (100, 99), MISSED), (4, (10, 10), (100, 100), MET)],
)
def test_assessment_at_the_target_dates(campaign, registry, rnd, staff, residents, expected):
    accepted = [_accepted("XA-09694", rnd, staff_total=staff[0], staff_installed=staff[1], residents=200,
                          smartphones=residents[0], residents_installed=residents[1])]
    result = consolidate(registry, campaign, campaign.round(rnd), accepted)
    units = result.units.set_index("code")
    assert units.loc["XA-09694", "assessment"] == expected
    assert units.loc["XA-09697", "assessment"] == NOT_REPORTED


def test_text_that_looks_like_a_formula_stays_text(tmp_path, campaign):
    from ihanoi_report.config import Group

    groups = campaign.groups
    units = [Unit("XA-1", '=HYPERLINK("http://x","bấm")', "xa", True, None, "@lien-he"),
             Unit("PB-1", "+cộng", "phong-ban", False, None, "-")]
    registry = Registry(units, groups, tmp_path / "units.csv")
    assert isinstance(groups[0], Group)
    accepted = [_accepted("XA-1", 3, staff_total=3, staff_installed=3, residents=10, smartphones=5,
                          residents_installed=5)]
    result = consolidate(registry, campaign, campaign.round(3), accepted)
    from ihanoi_report.consolidate import RoundView, reporting_status, trend
    from ihanoi_report.export import write_csv
    from ihanoi_report.xlsx.consolidated import write_workbook

    status = reporting_status(registry, campaign.round(3), accepted, set())
    view = RoundView(result, status, [], trend(registry, campaign, {3: accepted}), [3], accepted, {})
    path = write_workbook(tmp_path / "x.xlsx", view, campaign, groups, force=False)
    cells = [c for ws in openpyxl.load_workbook(path).worksheets for row in ws.iter_rows() for c in row]
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    assert formulas == []
    values = pd.read_excel(path, sheet_name=SUMMARY_SHEET, engine="calamine", header=None)[1].tolist()
    assert '=HYPERLINK("http://x","bấm")' in values and "+cộng" in values
    csv_text = write_csv(result, tmp_path / "x.csv", force=False).read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "'+cộng" in csv_text


def test_reminders_name_round_due_date_and_form(ingested, campaign, registry):
    workspace, _ = ingested
    office = Office(workspace, campaign, registry)
    view = office.round_view(campaign.round(3))
    messages = {m["code"]: m for m in office.reminders(view)}
    assert set(messages) == set(EXPECTED["missing"]["3"]) | {"XA-09625", "XA-09640", "DT-PHUNU"}
    text = messages["XA-09670"]["message"]
    assert "lần 3" in text and "20/8/2024" in text and "iHanoi-lan-3_XA-09670_xa-tong-bat.xlsx" in text
    assert "có lỗi" in messages["XA-09625"]["message"]


def test_an_existing_output_is_kept_without_force(workbook, ingested, campaign, registry):
    from ihanoi_report.errors import OutputError

    workspace, _ = ingested
    office = Office(workspace, campaign, registry)
    view = office.round_view(campaign.round(3))
    before = workbook.read_bytes()
    with pytest.raises(OutputError):
        office.write_consolidation(view, workbook, "xlsx", force=False)
    assert workbook.read_bytes() == before


def test_csv_and_json_carry_the_same_totals(ingested, campaign, registry, tmp_path):
    workspace, _ = ingested
    office = Office(workspace, campaign, registry)
    view = office.round_view(campaign.round(3))
    csv_path = office.write_consolidation(view, tmp_path / "t.csv", "csv", force=False)
    json_path = office.write_consolidation(view, tmp_path / "t.json", "json", force=False)
    frame = pd.read_csv(csv_path, encoding="utf-8-sig")
    data = json.loads(json_path.read_text(encoding="utf-8"))
    figures = expected_figures(3)
    assert frame["residents_installed"].sum() == data["district"]["residents_installed"] == sum(
        f.get("residents_installed", 0) for f in figures.values())


@pytest.mark.soffice
def test_libreoffice_opens_the_workbook_and_prints_it(libreoffice, workbook, tmp_path):
    pdf = libreoffice.convert(workbook, "pdf", tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert int(dict(line.split(":", 1) for line in info.splitlines() if ":" in line)["Pages"]) >= 1
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "TỔNG CỘNG TOÀN HUYỆN" in text and "(LẦN 3)" in text


def test_group_counts_reported(ingested, campaign, registry):
    workspace, _ = ingested
    office = Office(workspace, campaign, registry)
    view = office.round_view(campaign.round(3))
    reported = defaultdict(int)
    for code in expected_figures(3):
        reported[registry.get(code).group] += 1
    assert {g: int(view.result.groups.loc[g, "reported"]) for g in view.result.groups.index} == dict(reported)


def test_a_round_nobody_reported_consolidates_to_empty_totals(campaign, registry):
    result = consolidate(registry, campaign, campaign.round(1), [])
    assert result.district["reported"] == 0 and result.district["staff_share"] is None
    assert set(result.units["assessment"]) == {NOT_REPORTED}


@pytest.mark.parametrize(
    ("rnd", "staff", "residents", "expected"),
    [(1, (10, 5), (100, 10), ("", "")),  # no target judged yet: both blank, not "Đạt"
     (3, (10, 10), (100, 62), (MET, "")),  # 62 % of residents before 31/8: the staff target alone is judged
     (3, (10, 9), (100, 62), (MISSED, "")),
     (4, (10, 10), (100, 99), (MET, MISSED)), (4, (10, 10), (100, 100), (MET, MET))],
)
def test_each_target_has_its_own_column_blank_before_its_deadline(campaign, registry, rnd, staff, residents,
                                                                  expected):
    accepted = [_accepted("XA-09694", rnd, staff_total=staff[0], staff_installed=staff[1], residents=200,
                          smartphones=residents[0], residents_installed=residents[1]),
                _accepted("PB-NV", rnd, staff_total=10, staff_installed=10)]
    units = consolidate(registry, campaign, campaign.round(rnd), accepted).units.set_index("code")
    assert (units.loc["XA-09694", "assessment_staff"], units.loc["XA-09694", "assessment_residents"]) == expected
    assert units.loc["PB-NV", "assessment_residents"] == ""  # no residents: nothing to judge
    if rnd >= 2:
        assert units.loc["XA-09697", "assessment_staff"] == NOT_REPORTED


def test_the_workbook_names_what_each_assessment_column_judges(workbook):
    raw = pd.read_excel(workbook, sheet_name=SUMMARY_SHEET, engine="calamine", header=None)
    texts = {str(v) for row in raw.head(12).itertuples(index=False) for v in row}
    assert {"Đánh giá", "Đạt chỉ tiêu CBCCVC", "Đạt chỉ tiêu người dân"} <= texts


def test_a_tables_blank_cells_are_boxed_by_one_rule_not_written_for_their_border(workbook):
    """A blank cell of a table is not written for its format alone (a tenth of a big workbook was such
    cells): one conditional format boxes the table's blanks; a blank with a fill of its own (a subtotal
    line's) is still written."""
    wb = openpyxl.load_workbook(workbook)
    for name in (SUMMARY_SHEET, TREND_SHEET):
        ws = wb[name]
        rules = {str(rng.sqref): [r.type for r in rng.rules] for rng in ws.conditional_formatting}
        boxed = [ref for ref, types in rules.items() if "containsBlanks" in types]
        assert len(boxed) == 1, (name, rules)
        left, top, right, bottom = openpyxl.utils.cell.range_boundaries(boxed[0])
        assert bottom - top > 100 and left == 1, boxed  # the whole table, its every unit
        cells = [c for row in ws.iter_rows(min_row=top, max_row=bottom, max_col=right) for c in row]
        bare = [c.coordinate for c in cells if c.value is None and c.has_style and c.fill.fill_type is None
                and c.coordinate not in ws.merged_cells]
        assert bare == [], (name, bare[:5])
    summary = wb[SUMMARY_SHEET]
    blanks_of_a_subtotal = [c for row in summary.iter_rows(min_row=11, max_row=11) for c in row if c.value is None]
    assert blanks_of_a_subtotal and all(c.fill.fill_type == "solid" for c in blanks_of_a_subtotal)


def test_records_are_what_to_dict_gives_value_for_value():
    """The writers read a table's rows through records() (a column at a time): the same values, of the same types,
    as pandas' to_dict("records"), missing values of nullable columns as None."""
    from datetime import date

    from ihanoi_report.consolidate import records

    frame = pd.DataFrame({
        "code": pd.array(["XA-1", "PB-2", None], dtype="string"), "reported": [True, False, True],
        "count": pd.array([12, None, 3], dtype="Int64"), "share": pd.array([0.5, None, 1.0], dtype="Float64"),
        "day": [date(2024, 8, 15), None, date(2024, 8, 20)], "plain": [1.5, float("nan"), 2.0], "order": [1, 2, 3],
    })
    expected, got = frame.to_dict("records"), records(frame)
    assert [{k: (type(v), str(v)) for k, v in row.items()} for row in got] == [
        {k: (type(v), str(v)) for k, v in row.items()} for row in expected]
    assert got[1]["count"] is None and got[1]["share"] is None and records(frame.iloc[:0]) == []


def test_a_round_without_warnings_says_so_on_its_checks_sheet(run_cli, workspace, filled_form, tmp_path):
    """One clean report of round 1 (on time, no target judged yet): the checks sheet says it has no warning,
    rather than showing a bare header."""
    from python_calamine import CalamineWorkbook

    filled_form(tmp_path / "in" / "nv.xlsx", "PB-NV", 1)
    code, _out, err = run_cli("ingest", str(tmp_path / "in"), "--round", "1")
    assert code == 0, err
    code, _out, err = run_cli("consolidate", "--round", "1", "--out", str(tmp_path / "lan-1.xlsx"))
    assert code == 0, err
    rows = CalamineWorkbook.from_path(str(tmp_path / "lan-1.xlsx")).get_sheet_by_name(CHECKS_SHEET).to_python(
        skip_empty_area=False)
    assert rows[1][0] == "Các báo cáo đã nhận không có cảnh báo nào." and len(rows) == 3


def test_a_list_column_is_as_wide_as_its_longest_number(tmp_path):
    """A number wider than its cell shows as "###" in Excel and LibreOffice: the sources sheet of a district of
    10,000 units printed its ten-thousandth line number so."""
    import xlsxwriter

    from ihanoi_report.xlsx.document import list_table
    from ihanoi_report.xlsx.styles import Formats

    path = tmp_path / "list.xlsx"
    book = xlsxwriter.Workbook(str(path))
    rows = [[n, f"Đơn vị {n}", 1234567] for n in (1, 9999, 10000)]
    list_table(book.add_worksheet("L"), Formats(book), "Danh sách", [("STT", 5), ("Tên", 30), ("Số", 6)], rows)
    book.close()
    widths = [column.width for _, column in sorted(openpyxl.load_workbook(path)["L"].column_dimensions.items())]
    assert widths[0] >= len("10,000") + 1 and widths[2] >= len("1,234,567") + 1
    assert widths[1] == pytest.approx(30, abs=1)  # text keeps its width: it wraps


def test_a_level_of_many_units_charts_the_lowest_forty_and_says_so(ingested, campaign, registry, tmp_path):
    """A bar a unit stops being readable past a screen (the round's pictures stop at 40): with more units than
    that, the workbook's chart shows the 40 lowest shares of those reported, lowest first, and its title says
    of how many; its data beside the table are those 40."""
    import re
    import zipfile
    from dataclasses import replace

    from ihanoi_report.xlsx.consolidated import CHART_BARS, write_workbook

    workspace, _ = ingested
    view = Office(workspace, campaign, registry).round_view(campaign.round(3))
    units = view.result.units
    communes = units[units["has_residents"].astype(bool)]
    copies = [communes.assign(code=communes["code"] + f"-{i}", name=communes["name"] + f" {i}") for i in range(2)]
    many = pd.concat([units, *copies], ignore_index=True)
    total = int(many["has_residents"].astype(bool).sum())
    assert total > CHART_BARS
    big = replace(view, result=replace(view.result, units=many))
    path = write_workbook(tmp_path / "th.xlsx", big, campaign, registry.groups, force=False)
    with zipfile.ZipFile(path) as archive:
        charts = [archive.read(n).decode() for n in sorted(archive.namelist()) if n.startswith("xl/charts/")]
    (bars,) = [c for c in charts if "<c:barChart>" in c]
    assert f"đơn vị thấp nhất trong số {total}" in bars
    assert '<c:min val="0"/>' in bars and '<c:max val="1"/>' in bars  # a bar as long as its share
    (values,) = re.findall(r"<c:numCache>.*?</c:numCache>", bars, re.S)  # the bars' cached values
    shares = [float(v) for v in re.findall(r"<c:v>([^<]*)</c:v>", values)]
    assert len(shares) == CHART_BARS and shares == sorted(shares)
    share = campaign.last_target.measure  # the share of the target due last, by its key
    reported = many[many["has_residents"].astype(bool)][share].dropna()
    assert shares[0] == pytest.approx(reported.min(), abs=1e-3)
