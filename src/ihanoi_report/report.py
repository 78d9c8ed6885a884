"""Writes the district's consolidated workbook (and its CSV/JSON forms) from a Consolidation.

Every number is written as a value, never as a formula, so pandas or calamine read the totals
without a spreadsheet program; text is always written as text.
"""

from __future__ import annotations

import csv
import json
import math
import weakref
from collections.abc import Mapping, Sequence
from copy import copy
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ihanoi_report import styles
from ihanoi_report.config import Campaign, format_date
from ihanoi_report.consolidate import MET, MISSED, NOT_REPORTED, Consolidation
from ihanoi_report.files import atomic_path, check_writable
from ihanoi_report.findings import Finding

SUMMARY_SHEET = "Tổng hợp"
MISSING_SHEET = "Chưa báo cáo"
CHECKS_SHEET = "Kiểm tra"
TREND_SHEET = "Tiến độ"
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")

# Columns of the summary table: (key, level-1 label, level-2 label, width, kind)
SUMMARY_COLUMNS: tuple[tuple[str, str, str, float, str], ...] = (
    ("stt", "STT", "", 6, "text"),
    ("name", "Tên đơn vị", "", 48, "text"),
    ("staff_total", "Cài đặt cho CBCCVC của cơ quan", "Tổng số", 11, "count"),
    ("staff_installed", "Cài đặt cho CBCCVC của cơ quan", "Đã cài đặt iHanoi", 11, "count"),
    ("staff_share", "Cài đặt cho CBCCVC của cơ quan", "Tỷ lệ (%)", 10, "share"),
    ("residents", "Cài đặt cho người dân", "Tổng số người dân trên địa bàn", 13, "count"),
    ("smartphones", "Cài đặt cho người dân", "Số người dân có điện thoại thông minh", 14, "count"),
    ("residents_installed", "Cài đặt cho người dân", "Số người dân đã cài đặt iHanoi", 13, "count"),
    ("resident_share", "Cài đặt cho người dân", "Tỷ lệ so với số có điện thoại thông minh (%)", 13, "share"),
    ("assessment", "Đánh giá", "", 13, "text"),
    ("note", "Ghi chú", "", 26, "text"),
)
HEADER_ROW, SUBHEADER_ROW, NUMBER_ROW = 8, 9, 10
FIRST_ROW = NUMBER_ROW + 1


def _value(value: Any) -> Any:
    """pandas' missing values and numpy scalars as plain Python for openpyxl."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


# Style ids are indexes into one workbook's tables: the cache belongs to that workbook.
_STYLE_CACHE: weakref.WeakKeyDictionary[Workbook, dict[tuple[object, ...], Any]] = weakref.WeakKeyDictionary()


def _cell(
    ws: Worksheet, row: int, col: int, value: Any, *, kind: str = "text", bold: bool = False, fill: Any = None
) -> None:
    cell = ws.cell(row=row, column=col)
    styles.set_text(cell, _value(value))
    cache = _STYLE_CACHE.setdefault(ws.parent, {})
    key = (kind, bold, id(fill), col > 1)
    cached = cache.get(key)
    if cached is not None:
        # openpyxl hashes every style object on each assignment (3.7 s of 7.5 s for 10,000 units);
        # copying the style ids of an identical cell is what openpyxl's own copy_worksheet does.
        cell._style = copy(cached)
        return
    cell.font = styles.BOLD if bold else styles.BODY
    cell.border = styles.BOX
    if kind == "count":
        cell.number_format, cell.alignment = styles.COUNT_FORMAT, styles.RIGHT
    elif kind == "share":
        cell.number_format, cell.alignment = styles.SHARE_FORMAT, styles.RIGHT
    else:
        cell.alignment = styles.LEFT if col > 1 else styles.CENTER
    if fill is not None:
        cell.fill = fill
    cache[key] = copy(cell._style)


def _merged(ws: Worksheet, cells: str, value: str, font: Any, align: Any = styles.CENTER) -> None:
    ws.merge_cells(cells)
    first = ws[cells.split(":")[0]]
    styles.set_text(first, value)
    first.font, first.alignment = font, align


def _document_header(ws: Worksheet, campaign: Campaign, title: str, subtitle: str, last: str) -> None:
    _merged(ws, "A1:C1", campaign.authority, styles.BODY)
    _merged(ws, "A2:C2", campaign.receiving_office.upper(), styles.BOLD)
    _merged(ws, f"F1:{last}1", campaign.form.national_name, styles.BOLD)
    _merged(ws, f"F2:{last}2", campaign.form.national_motto, styles.font(bold=True, underline=True))
    _merged(ws, f"A4:{last}4", title, styles.TITLE)
    _merged(ws, f"A5:{last}5", subtitle, styles.ITALIC)
    ws.row_dimensions[4].height = 30


def _table_header(ws: Worksheet, columns: Sequence[tuple[str, str, str, float, str]]) -> None:
    col = 1
    while col <= len(columns):
        _, top, sub, _, _ = columns[col - 1]
        span = 1
        while col + span <= len(columns) and columns[col + span - 1][1] == top and sub:
            span += 1
        if sub:
            ws.merge_cells(start_row=HEADER_ROW, start_column=col, end_row=HEADER_ROW, end_column=col + span - 1)
            styles.set_text(ws.cell(row=HEADER_ROW, column=col), top)
            for offset in range(span):
                styles.set_text(ws.cell(row=SUBHEADER_ROW, column=col + offset), columns[col + offset - 1][2])
        else:
            ws.merge_cells(start_row=HEADER_ROW, start_column=col, end_row=SUBHEADER_ROW, end_column=col)
            styles.set_text(ws.cell(row=HEADER_ROW, column=col), top)
        col += span
    for index, (_, _, _, width, _) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
        for row in (HEADER_ROW, SUBHEADER_ROW, NUMBER_ROW):
            cell = ws.cell(row=row, column=index)
            cell.border, cell.alignment = styles.BOX, styles.CENTER
            cell.font = styles.HEADER if row != NUMBER_ROW else styles.SMALL_ITALIC
            if row != NUMBER_ROW:
                cell.fill = styles.HEADER_FILL
        ws.cell(row=NUMBER_ROW, column=index, value=f"({index})")
    ws.row_dimensions[SUBHEADER_ROW].height = 66


def _note(unit: Mapping[str, Any]) -> str:
    if not unit["reported"]:
        return ""
    notes = []
    if unit["late"] and unit["report_date"] is not None:
        notes.append(f"Báo cáo muộn ({format_date(unit['report_date'])})")
    return "; ".join(notes)


_ASSESSMENT_FILL = {
    MET: styles.MET_FILL,
    MISSED: styles.WARNING_FILL,
    NOT_REPORTED: styles.ERROR_FILL,
}


_TOTAL_KEYS = (
    "staff_total",
    "staff_installed",
    "staff_share",
    "residents",
    "smartphones",
    "residents_installed",
    "resident_share",
)


def _total_row(ws: Worksheet, row: int, stt: str, label: str, source: Any, fill: Any) -> None:
    """A subtotal or total line: bold, tinted, the sums and shares of ``source``."""
    values = {"stt": stt, "name": label, "assessment": "", "note": "", **{k: source[k] for k in _TOTAL_KEYS}}
    for col, (key, _, _, _, kind) in enumerate(SUMMARY_COLUMNS, start=1):
        _cell(ws, row, col, values[key], kind=kind, bold=True, fill=fill)


def _summary(wb: Workbook, result: Consolidation, campaign: Campaign, registry_groups: Sequence[Any]) -> None:
    ws = wb.active
    ws.title = SUMMARY_SHEET
    last = get_column_letter(len(SUMMARY_COLUMNS))
    rnd = result.round
    _document_header(
        ws,
        campaign,
        campaign.report.title.format(round=rnd.number),
        f"(Số liệu tính đến ngày {format_date(rnd.due)})",
        last,
    )
    district = result.district
    _merged(
        ws,
        f"A6:{last}6",
        f"Đã báo cáo: {int(district['reported'])}/{int(district['units_total'])} đơn vị; "
        f"báo cáo muộn: {int(district['late'])}; chưa báo cáo: "
        f"{int(district['units_total']) - int(district['reported'])}.",
        styles.ITALIC,
    )
    _table_header(ws, SUMMARY_COLUMNS)
    row = FIRST_ROW
    units = result.units
    for g_index, group in enumerate(registry_groups):
        members = units[units["group"] == group.code]
        if members.empty:
            continue
        subtotal = result.groups.loc[group.code]
        stt = ROMAN[g_index] if g_index < len(ROMAN) else str(g_index + 1)
        label = f"{group.label} ({int(subtotal['reported'])}/{int(subtotal['units_total'])} đã báo cáo)"
        _total_row(ws, row, stt, label, subtotal, styles.TOTAL_FILL)
        ws.row_dimensions[row].height = 32
        row += 1
        for number, unit in enumerate(members.to_dict("records"), start=1):
            values = {**unit, "stt": number, "note": _note(unit)}
            for col, (key, _, _, _, kind) in enumerate(SUMMARY_COLUMNS, start=1):
                fill = _ASSESSMENT_FILL.get(str(unit["assessment"])) if key == "assessment" else None
                _cell(ws, row, col, values.get(key), kind=kind, fill=fill)
            if len(str(unit["name"])) > 44:
                ws.row_dimensions[row].height = 32
            row += 1
    _total_row(ws, row, "", "TỔNG CỘNG TOÀN HUYỆN", district, styles.HEADER_FILL)
    last_row = row
    sig = last_row + 2
    _merged(ws, f"H{sig}:{last}{sig}", f"{campaign.place}, ngày ….. tháng ….. năm {rnd.due.year}", styles.ITALIC)
    _merged(ws, f"A{sig + 1}:D{sig + 1}", campaign.report.preparer_title, styles.BOLD)
    _merged(ws, f"H{sig + 1}:{last}{sig + 1}", campaign.report.signer_title, styles.BOLD)
    _merged(ws, f"H{sig + 2}:{last}{sig + 2}", campaign.report.signer_note, styles.ITALIC)
    ws.freeze_panes = f"C{FIRST_ROW}"
    ws.auto_filter.ref = f"A{SUBHEADER_ROW}:{last}{last_row}"
    _print_setup(ws, f"${HEADER_ROW}:${NUMBER_ROW}")


def _print_setup(ws: Worksheet, title_rows: str | None = None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    if title_rows:
        ws.print_title_rows = title_rows


def _simple_table(
    ws: Worksheet,
    title: str,
    headers: Sequence[tuple[str, float]],
    rows: Sequence[Sequence[Any]],
    kinds: Sequence[str] | None = None,
) -> None:
    _merged(ws, f"A1:{get_column_letter(len(headers))}1", title, styles.TITLE, styles.LEFT)
    styles.header_row(ws, [h for h, _ in headers], [w for _, w in headers], row=3)
    for r, values in enumerate(rows, start=4):
        for col, value in enumerate(values, start=1):
            _cell(ws, r, col, value, kind=(kinds[col - 1] if kinds else "text"))
    if rows:
        ws.auto_filter.ref = f"A3:{get_column_letter(len(headers))}{3 + len(rows)}"
    _print_setup(ws, "$3:$3")


STATUS_TEXT = {"missing": "Chưa gửi báo cáo", "rejected": "Đã gửi nhưng bị trả lại, chờ gửi lại"}


def _missing(wb: Workbook, status: pd.DataFrame, labels: dict[str, str], rnd_number: int) -> None:
    ws = wb.create_sheet(MISSING_SHEET)
    rows = status[status["status"].isin(["missing", "rejected"])]
    data = [
        (i, r["code"], r["name"], labels[r["group"]], STATUS_TEXT[r["status"]], r["contact"])
        for i, (_, r) in enumerate(rows.iterrows(), start=1)
    ]
    _simple_table(
        ws,
        f"CÁC ĐƠN VỊ CHƯA BÁO CÁO LẦN {rnd_number}",
        (("STT", 6), ("Mã đơn vị", 14), ("Tên đơn vị", 44), ("Nhóm", 40), ("Tình trạng", 34), ("Liên hệ", 40)),
        data,
    )


def _checks(wb: Workbook, warnings: Sequence[tuple[str, str, Finding]], names: dict[str, str]) -> None:
    ws = wb.create_sheet(CHECKS_SHEET)
    data = [
        (
            i,
            names.get(f.unit, f.unit),
            Path(path).name,
            f.cell,
            "Cảnh báo" if f.severity.value == "warning" else "Thông tin",
            f.code,
            f.message_vi,
        )
        for i, (_, path, f) in enumerate(warnings, start=1)
    ]
    _simple_table(
        ws,
        "CÁC CẢNH BÁO TRONG BÁO CÁO ĐÃ NHẬN",
        (("STT", 6), ("Đơn vị", 36), ("Tệp", 40), ("Ô", 7), ("Mức", 10), ("Mã", 24), ("Nội dung", 90)),
        data,
    )


def _trend(wb: Workbook, result: Consolidation, trend: pd.DataFrame, rounds: Sequence[int]) -> None:
    ws = wb.create_sheet(TREND_SHEET)
    headers: list[tuple[str, float]] = [("STT", 6), ("Tên đơn vị", 40)]
    kinds = ["text", "text"]
    for number in rounds:
        headers += [(f"Lần {number}: CBCCVC (%)", 12), (f"Lần {number}: người dân (%)", 12)]
        kinds += ["share", "share"]
    shares = {
        (r.code, r.round, m): _value(getattr(r, m))
        for r in trend.itertuples()
        for m in ("staff_share", "resident_share")
    }
    data: list[list[Any]] = []
    codes = [*result.units["code"], "__district__"]
    names = dict(zip(result.units["code"], result.units["name"], strict=True)) | {"__district__": "TOÀN HUYỆN"}
    for i, code in enumerate(codes, start=1):
        line: list[Any] = [i if code != "__district__" else "", names[code]]
        for number in rounds:
            for measure in ("staff_share", "resident_share"):
                line.append(shares.get((code, number, measure)))
        data.append(line)
    _simple_table(ws, "TIẾN ĐỘ QUA CÁC LẦN BÁO CÁO", headers, data, kinds)
    ws.row_dimensions[3].height = 45
    last_row = 3 + len(data)
    ws.conditional_formatting.add(
        f"C4:{get_column_letter(len(headers))}{last_row}",
        ColorScaleRule(
            start_type="num",
            start_value=0,
            start_color="F8696B",
            mid_type="num",
            mid_value=0.5,
            mid_color="FFEB84",
            end_type="num",
            end_value=1,
            end_color="63BE7B",
        ),
    )
    # Data for the charts, beside the table.
    base = len(headers) + 2
    styles.set_text(ws.cell(row=3, column=base), "Lần")
    styles.set_text(ws.cell(row=3, column=base + 1), "CBCCVC đã cài đặt")
    styles.set_text(ws.cell(row=3, column=base + 2), "Người dân đã cài đặt")
    for i, number in enumerate(rounds, start=4):
        ws.cell(row=i, column=base, value=f"Lần {number}")
        for offset, measure in ((1, "staff_share"), (2, "resident_share")):
            cell = ws.cell(
                row=i,
                column=base + offset,
                value=shares.get(("__district__", number, measure)),
            )
            cell.number_format = styles.SHARE_FORMAT
    chart = LineChart()
    chart.title = "Tỷ lệ cài đặt iHanoi toàn huyện qua các lần báo cáo"
    chart.y_axis.title, chart.y_axis.number_format = "Tỷ lệ", "0%"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    chart.add_data(
        Reference(ws, min_col=base + 1, max_col=base + 2, min_row=3, max_row=3 + len(rounds)), titles_from_data=True
    )
    chart.set_categories(Reference(ws, min_col=base, min_row=4, max_row=3 + len(rounds)))
    chart.height, chart.width = 8, 16
    ws.add_chart(chart, f"{get_column_letter(base)}{6 + len(rounds)}")
    communes = result.units[result.units["has_residents"]]
    start = 8 + len(rounds) + 16
    styles.set_text(ws.cell(row=start, column=base), "Xã, thị trấn")
    styles.set_text(ws.cell(row=start, column=base + 1), f"Lần {result.round.number}: người dân đã cài đặt")
    for i, (_, unit) in enumerate(communes.iterrows(), start=start + 1):
        styles.set_text(ws.cell(row=i, column=base), unit["name"])
        ws.cell(row=i, column=base + 1, value=_value(unit["resident_share"])).number_format = styles.SHARE_FORMAT
    bar = BarChart()
    bar.type = "bar"
    bar.title = f"Tỷ lệ người dân có điện thoại thông minh đã cài đặt iHanoi (lần {result.round.number})"
    bar.x_axis.number_format = "0%"
    bar.add_data(Reference(ws, min_col=base + 1, min_row=start, max_row=start + len(communes)), titles_from_data=True)
    bar.set_categories(Reference(ws, min_col=base, min_row=start + 1, max_row=start + len(communes)))
    bar.legend = None
    bar.height, bar.width = 16, 16
    ws.add_chart(bar, f"{get_column_letter(base + 4)}{start}")


def build_workbook(
    result: Consolidation,
    campaign: Campaign,
    groups: Sequence[Any],
    status: pd.DataFrame,
    warnings: Sequence[tuple[str, str, Finding]],
    trend: pd.DataFrame,
    rounds: Sequence[int],
) -> Workbook:
    wb = Workbook()
    _summary(wb, result, campaign, groups)
    labels = {g.code: g.label for g in groups}
    _missing(wb, status, labels, result.round.number)
    _checks(wb, warnings, dict(zip(result.units["code"], result.units["name"], strict=True)))
    _trend(wb, result, trend, rounds)
    wb.properties.title = campaign.report.title.format(round=result.round.number)
    wb.properties.creator = campaign.receiving_office
    return wb


def write_workbook(wb: Workbook, path: Path, *, force: bool) -> Path:
    check_writable(path, force)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


CSV_COLUMNS = ("group", "code", "name", "reported", "late", "report_date", *_TOTAL_KEYS, "assessment")


def _csv_safe(value: Any) -> Any:
    """Neutralise text that a spreadsheet would run as a formula when it opens the CSV."""
    value = _value(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_csv(result: Consolidation, path: Path, *, force: bool) -> Path:
    check_writable(path, force)
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for _, unit in result.units.iterrows():
            writer.writerow([_csv_safe(unit[c]) for c in CSV_COLUMNS])
    return path


def as_json(result: Consolidation) -> dict[str, Any]:
    units = [
        {c: (v.isoformat() if isinstance(v, date) else v) for c, v in ((c, _value(unit[c])) for c in CSV_COLUMNS)}
        for _, unit in result.units.iterrows()
    ]
    groups = {code: {k: _value(v) for k, v in row.items()} for code, row in result.groups.iterrows()}
    return {
        "round": result.round.number,
        "due": result.round.due.isoformat(),
        "district": {k: _value(v) for k, v in result.district.items()},
        "groups": groups,
        "units": units,
    }


def write_json(result: Consolidation, path: Path, *, force: bool) -> Path:
    check_writable(path, force)
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(as_json(result), ensure_ascii=False, indent=2), encoding="utf-8")
    return path
