"""Writes the district's consolidated workbook (and its CSV/JSON forms) from a Consolidation.

Every number is written as a value, never as a formula, so pandas or calamine read the totals
without a spreadsheet program; text is always written as text.

The workbook is written with XlsxWriter, which streams a styled table about three times faster
than openpyxl (a city's 10,000 units: two sheets of 10,000 rows); the templates and feedback
copies, which must also be read back, stay with openpyxl. Fonts and colours come from palette.py.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

import pandas as pd
import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from ihanoi_report import palette
from ihanoi_report.config import Campaign, format_date
from ihanoi_report.consolidate import MET, MISSED, NOT_REPORTED, Consolidation
from ihanoi_report.errors import OutputError
from ihanoi_report.files import atomic_path, check_writable
from ihanoi_report.messages import t, vi
from ihanoi_report.model import Finding

if TYPE_CHECKING:
    from ihanoi_report.workflow import RoundView

SUMMARY_SHEET = "Tổng hợp"
MISSING_SHEET = "Chưa báo cáo"
CHECKS_SHEET = "Kiểm tra"
TREND_SHEET = "Tiến độ"
SOURCES_SHEET = "Nguồn số liệu"
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
LINE_HEIGHT = 15.75  # points per line of 12-point text
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


class _Formats:
    """XlsxWriter formats of one workbook, made once per combination (XlsxWriter wants them shared)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book = book
        self._made: dict[tuple[object, ...], Format] = {}

    def get(
        self,
        *,
        size: int = 12,
        bold: bool = False,
        italic: bool = False,
        underline: bool = False,
        align: str = "left",
        valign: str = "vcenter",
        wrap: bool = True,
        border: bool = False,
        fill: str | None = None,
        num_format: str | None = None,
    ) -> Format:
        key = (size, bold, italic, underline, align, valign, wrap, border, fill, num_format)
        made = self._made.get(key)
        if made is None:
            props: dict[str, Any] = {"font_name": palette.FONT_NAME, "font_size": size, "align": align,
                                     "valign": valign}
            if bold:
                props["bold"] = True
            if italic:
                props["italic"] = True
            if underline:
                props["underline"] = 1
            if wrap:
                props["text_wrap"] = True
            if border:
                props["border"] = 1
            if fill:
                props["bg_color"] = f"#{fill}"
                props["pattern"] = 1
            if num_format:
                props["num_format"] = num_format
            made = self._made[key] = self.book.add_format(props)
        return made

    def cell(self, kind: str, *, bold: bool = False, fill: str | None = None, first: bool = False) -> Format:
        """A table cell: boxed; counts and shares right-aligned with their number format."""
        if kind == "count":
            return self.get(bold=bold, fill=fill, border=True, align="right", wrap=False,
                            num_format=palette.COUNT_FORMAT)
        if kind == "share":
            return self.get(bold=bold, fill=fill, border=True, align="right", wrap=False,
                            num_format=palette.SHARE_FORMAT)
        if kind == "line":  # text kept on one line: file names, digests
            return self.get(bold=bold, fill=fill, border=True, wrap=False)
        return self.get(bold=bold, fill=fill, border=True, align="center" if first else "left")


def _write(ws: Worksheet, row: int, col: int, value: Any, fmt: Format) -> None:
    """One value at a 0-based (row, col): numbers as numbers, text always as text, nothing as a blank."""
    kind = type(value)
    if kind is int or kind is float:  # the common case first: about 200,000 cells for a city
        if value == value:  # not NaN
            ws.write_number(row, col, value, fmt)
            return
        value = None
    elif kind is not str:
        value = _value(value)
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _merged(ws: Worksheet, fmts: _Formats, cells: str, value: str, **font: Any) -> None:
    """Merge an A1-style range and write text in it (centred unless told otherwise)."""
    font.setdefault("align", "center")
    ws.merge_range(cells, value, fmts.get(**font))


def _document_header(ws: Worksheet, fmts: _Formats, campaign: Campaign, title: str, subtitle: str, last: str) -> None:
    _merged(ws, fmts, "A1:C1", campaign.authority)
    _merged(ws, fmts, "A2:C2", campaign.receiving_office.upper(), bold=True)
    _merged(ws, fmts, f"F1:{last}1", campaign.form.national_name, bold=True)
    _merged(ws, fmts, f"F2:{last}2", campaign.form.national_motto, bold=True, underline=True)
    _merged(ws, fmts, f"A4:{last}4", title, size=14, bold=True)
    _merged(ws, fmts, f"A5:{last}5", subtitle, italic=True)
    ws.set_row(3, 30)


def _table_header(ws: Worksheet, fmts: _Formats, columns: Sequence[tuple[str, str, str, float, str]]) -> None:
    top_row, sub_row, number_row = HEADER_ROW - 1, SUBHEADER_ROW - 1, NUMBER_ROW - 1  # 0-based
    header = fmts.get(size=11, bold=True, align="center", border=True, fill=palette.HEADER_COLOR)
    col = 0
    while col < len(columns):
        _, top, sub, _, _ = columns[col]
        span = 1
        while col + span < len(columns) and columns[col + span][1] == top and sub:
            span += 1
        if sub:
            if span > 1:
                ws.merge_range(top_row, col, top_row, col + span - 1, top, header)
            else:
                ws.write_string(top_row, col, top, header)
            for offset in range(span):
                ws.write_string(sub_row, col + offset, columns[col + offset][2], header)
        else:
            ws.merge_range(top_row, col, sub_row, col, top, header)
        col += span
    numbers = fmts.get(size=11, italic=True, align="center", border=True)
    for index, (_, _, _, width, _) in enumerate(columns):
        ws.set_column(index, index, width)
        ws.write_string(number_row, index, f"({index + 1})", numbers)
    ws.set_row(sub_row, 66)


def _note(unit: Mapping[str, Any], unclear: set[str]) -> str:
    """Ghi chú: lateness, and where the date it was judged by came from when not from the form."""
    if not unit["reported"]:
        return ""
    notes = []
    day, source = unit["report_date"], unit.get("date_source") or "typed"
    if day is not None and (unit["late"] or source != "typed"):
        kind = "late" if unit["late"] else "date"
        notes.append(vi(f"note-{kind}-{source}", date=format_date(day)))
    if unit["code"] in unclear:
        notes.append(vi("note-order-unclear"))
    return "; ".join(notes)


_ASSESSMENT_FILL = {
    MET: palette.MET_COLOR,
    MISSED: palette.WARNING_COLOR,
    NOT_REPORTED: palette.ERROR_COLOR,
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


def _total_row(ws: Worksheet, fmts: _Formats, row: int, stt: str, label: str, source: Any, fill: str) -> None:
    """A subtotal or total line (0-based ``row``): bold, tinted, the sums and shares of ``source``."""
    values = {"stt": stt, "name": label, "assessment": "", "note": "", **{k: source[k] for k in _TOTAL_KEYS}}
    for col, (key, _, _, _, kind) in enumerate(SUMMARY_COLUMNS):
        _write(ws, row, col, values[key], fmts.cell(kind, bold=True, fill=fill, first=col == 0))


def _column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _summary(
    book: xlsxwriter.Workbook,
    fmts: _Formats,
    result: Consolidation,
    campaign: Campaign,
    registry_groups: Sequence[Any],
    unclear: set[str],
) -> None:
    ws = book.add_worksheet(SUMMARY_SHEET)
    last = _column_letter(len(SUMMARY_COLUMNS))
    rnd = result.round
    _document_header(
        ws,
        fmts,
        campaign,
        campaign.report.title.format(round=rnd.number),
        f"(Số liệu tính đến ngày {format_date(rnd.due)})",
        last,
    )
    district = result.district
    _merged(
        ws,
        fmts,
        f"A6:{last}6",
        f"Đã báo cáo: {int(district['reported'])}/{int(district['units_total'])} đơn vị; "
        f"báo cáo muộn: {int(district['late'])}; chưa báo cáo: "
        f"{int(district['units_total']) - int(district['reported'])}.",
        italic=True,
    )
    _table_header(ws, fmts, SUMMARY_COLUMNS)
    row = FIRST_ROW - 1  # 0-based from here on
    units = result.units
    keys = [(key, kind) for key, _, _, _, kind in SUMMARY_COLUMNS]
    plain = {kind: fmts.cell(kind) for _, kind in keys}
    first = fmts.cell("text", first=True)
    assessed = {name: fmts.cell("text", fill=fill) for name, fill in _ASSESSMENT_FILL.items()}
    for g_index, group in enumerate(registry_groups):
        members = units[units["group"] == group.code]
        if members.empty:
            continue
        subtotal = result.groups.loc[group.code]
        stt = ROMAN[g_index] if g_index < len(ROMAN) else str(g_index + 1)
        label = f"{group.label} ({int(subtotal['reported'])}/{int(subtotal['units_total'])} đã báo cáo)"
        _total_row(ws, fmts, row, stt, label, subtotal, palette.TOTAL_COLOR)
        ws.set_row(row, 32)
        row += 1
        for number, unit in enumerate(members.to_dict("records"), start=1):
            values = {**unit, "stt": number, "note": _note(unit, unclear)}
            for col, (key, kind) in enumerate(keys):
                if col == 0:
                    fmt = first
                elif key == "assessment":
                    fmt = assessed.get(str(unit["assessment"]), plain[kind])
                else:
                    fmt = plain[kind]
                _write(ws, row, col, values.get(key), fmt)
            if len(str(unit["name"])) > 44:
                ws.set_row(row, 32)
            row += 1
    _total_row(ws, fmts, row, "", "TỔNG CỘNG TOÀN HUYỆN", district, palette.HEADER_COLOR)
    last_row = row + 1  # 1-based, for the A1 ranges below
    sig = last_row + 2
    _merged(ws, fmts, f"H{sig}:{last}{sig}", f"{campaign.place}, ngày ….. tháng ….. năm {rnd.due.year}", italic=True)
    _merged(ws, fmts, f"A{sig + 1}:D{sig + 1}", campaign.report.preparer_title, bold=True)
    _merged(ws, fmts, f"H{sig + 1}:{last}{sig + 1}", campaign.report.signer_title, bold=True)
    _merged(ws, fmts, f"H{sig + 2}:{last}{sig + 2}", campaign.report.signer_note, italic=True)
    ws.freeze_panes(FIRST_ROW - 1, 2)
    ws.autofilter(f"A{SUBHEADER_ROW}:{last}{last_row}")
    _print_setup(ws, (HEADER_ROW - 1, NUMBER_ROW - 1))


def _print_setup(ws: Worksheet, title_rows: tuple[int, int] | None = None) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4)
    if title_rows:
        ws.repeat_rows(*title_rows)


def _simple_table(
    ws: Worksheet,
    fmts: _Formats,
    title: str,
    headers: Sequence[tuple[str, float]],
    rows: Sequence[Sequence[Any]],
    kinds: Sequence[str] | None = None,
) -> None:
    """A titled list: the title on row 1, the header on row 3 (frozen), the rows below."""
    last = _column_letter(len(headers))
    _merged(ws, fmts, f"A1:{last}1", title, size=14, bold=True, align="left")
    header = fmts.get(size=11, bold=True, align="center", border=True, fill=palette.HEADER_COLOR)
    for col, (text, width) in enumerate(headers):
        ws.write_string(2, col, text, header)
        ws.set_column(col, col, width)
    ws.freeze_panes(3, 0)
    kinds = kinds or ["text"] * len(headers)
    column_formats = [fmts.cell(kinds[c], first=c == 0) for c in range(len(headers))]
    for r, values in enumerate(rows, start=3):
        for col, value in enumerate(values):
            _write(ws, r, col, value, column_formats[col])
        # XlsxWriter cannot measure text and LibreOffice keeps the default height of an .xlsx row:
        # a wrapped sentence gets the lines it needs, or it is printed over the next row.
        texts = [(v, headers[c][1]) for c, v in enumerate(values) if kinds[c] == "text" and isinstance(v, str)]
        lines = max((math.ceil(len(text) / width) for text, width in texts), default=1)
        if lines > 1:
            ws.set_row(r, LINE_HEIGHT * lines + 2)
    if rows:
        ws.autofilter(f"A3:{last}{3 + len(rows)}")
    _print_setup(ws, (2, 2))


STATUS_TEXT = {"missing": "Chưa gửi báo cáo", "rejected": "Đã gửi nhưng bị trả lại, chờ gửi lại"}


def _missing(
    book: xlsxwriter.Workbook, fmts: _Formats, status: pd.DataFrame, labels: dict[str, str], rnd_number: int
) -> None:
    ws = book.add_worksheet(MISSING_SHEET)
    rows = status[status["status"].isin(["missing", "rejected"])]
    data = [
        (i, r["code"], r["name"], labels[r["group"]], STATUS_TEXT[r["status"]], r["contact"])
        for i, r in enumerate(rows.to_dict("records"), start=1)
    ]
    _simple_table(
        ws,
        fmts,
        f"CÁC ĐƠN VỊ CHƯA BÁO CÁO LẦN {rnd_number}",
        (("STT", 6), ("Mã đơn vị", 14), ("Tên đơn vị", 44), ("Nhóm", 40), ("Tình trạng", 34), ("Liên hệ", 40)),
        data,
    )


def _checks(
    book: xlsxwriter.Workbook,
    fmts: _Formats,
    warnings: Sequence[tuple[str, str, Finding]],
    names: dict[str, str],
) -> None:
    ws = book.add_worksheet(CHECKS_SHEET)
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
        fmts,
        "CÁC CẢNH BÁO TRONG BÁO CÁO ĐÃ NHẬN",
        (("STT", 6), ("Đơn vị", 36), ("Tệp", 40), ("Ô", 7), ("Mức", 10), ("Mã", 24), ("Nội dung", 90)),
        data,
    )


def _trend(
    book: xlsxwriter.Workbook, fmts: _Formats, result: Consolidation, trend: pd.DataFrame, rounds: Sequence[int]
) -> None:
    ws = book.add_worksheet(TREND_SHEET)
    headers: list[tuple[str, float]] = [("STT", 6), ("Tên đơn vị", 40)]
    kinds = ["text", "text"]
    for number in rounds:
        headers += [(f"Lần {number}: CBCCVC (%)", 12), (f"Lần {number}: người dân (%)", 12)]
        kinds += ["share", "share"]
    columns = (trend[c].tolist() for c in ("code", "round", "staff_share", "resident_share"))  # plain Python values
    shares = {
        (code, rnd, measure): _value(value)
        for code, rnd, staff, residents in zip(*columns, strict=True)
        for measure, value in (("staff_share", staff), ("resident_share", residents))
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
    _simple_table(ws, fmts, "TIẾN ĐỘ QUA CÁC LẦN BÁO CÁO", headers, data, kinds)
    ws.set_row(2, 45)
    last_row = 3 + len(data)
    ws.conditional_format(
        f"C4:{_column_letter(len(headers))}{last_row}",
        {
            "type": "3_color_scale",
            "min_type": "num",
            "min_value": 0,
            "min_color": "#F8696B",
            "mid_type": "num",
            "mid_value": 0.5,
            "mid_color": "#FFEB84",
            "max_type": "num",
            "max_value": 1,
            "max_color": "#63BE7B",
        },
    )
    # Data for the charts, beside the table (0-based columns from here).
    base = len(headers) + 1
    share = fmts.get(num_format=palette.SHARE_FORMAT, wrap=False)
    text = fmts.get(wrap=False)
    ws.set_column(base, base, 30)
    ws.set_column(base + 1, base + 2, 12)
    for offset, label in enumerate(("Lần", "CBCCVC đã cài đặt", "Người dân đã cài đặt")):
        ws.write_string(2, base + offset, label, text)
    for i, number in enumerate(rounds, start=3):
        ws.write_string(i, base, f"Lần {number}", text)
        for offset, measure in ((1, "staff_share"), (2, "resident_share")):
            _write(ws, i, base + offset, shares.get(("__district__", number, measure)), share)
    chart = book.add_chart({"type": "line"})
    for offset in (1, 2):
        chart.add_series(
            {
                "name": [TREND_SHEET, 2, base + offset],
                "categories": [TREND_SHEET, 3, base, 2 + len(rounds), base],
                "values": [TREND_SHEET, 3, base + offset, 2 + len(rounds), base + offset],
                "marker": {"type": "circle"},
            }
        )
    chart.set_title({"name": "Tỷ lệ cài đặt iHanoi toàn huyện qua các lần báo cáo"})
    chart.set_y_axis({"name": "Tỷ lệ", "num_format": "0%", "min": 0, "max": 1})
    chart.set_size({"width": 605, "height": 302})  # 16 x 8 cm
    ws.insert_chart(5 + len(rounds), base, chart)
    communes = result.units[result.units["has_residents"]]
    start = 7 + len(rounds) + 16
    ws.write_string(start, base, "Xã, thị trấn", text)
    ws.write_string(start, base + 1, f"Lần {result.round.number}: người dân đã cài đặt", text)
    for i, (name, value) in enumerate(zip(communes["name"], communes["resident_share"], strict=True), start=start + 1):
        ws.write_string(i, base, str(name), text)
        _write(ws, i, base + 1, value, share)
    bar = book.add_chart({"type": "bar"})
    bar.add_series(
        {
            "name": [TREND_SHEET, start, base + 1],
            "categories": [TREND_SHEET, start + 1, base, start + len(communes), base],
            "values": [TREND_SHEET, start + 1, base + 1, start + len(communes), base + 1],
        }
    )
    bar.set_title({"name": f"Tỷ lệ người dân có điện thoại thông minh đã cài đặt iHanoi (lần {result.round.number})"})
    bar.set_x_axis({"num_format": "0%"})  # in a bar chart the value axis is the horizontal one
    bar.set_legend({"none": True})
    bar.set_size({"width": 605, "height": 605})
    ws.insert_chart(start, base + 4, bar)


def _sources(book: xlsxwriter.Workbook, fmts: _Formats, view: RoundView, names: dict[str, str]) -> None:
    """Nguồn số liệu: for every report counted, the file it came from, so each number can be traced."""
    ws = book.add_worksheet(SOURCES_SHEET)
    data = []
    order = {code: i for i, code in enumerate(names)}
    for i, report in enumerate(sorted(view.accepted, key=lambda a: order.get(a.unit, len(order))), start=1):
        lineage = view.lineage.get(report.unit)
        day = report.effective_date
        data.append(
            (
                i,
                report.unit,
                names.get(report.unit, report.unit),
                PurePath(report.path).name,
                report.sha256[:12],
                vi(f"identified-{report.identified_by}") if report.identified_by else "",
                format_date(day) if day is not None else "",
                vi(f"date-from-{report.date_source.value}") if report.date_source.value else "",
                "; ".join(PurePath(p).name for p in lineage.superseded) if lineage else "",
                "; ".join(PurePath(p).name for p in lineage.rejected) if lineage else "",
            )
        )
    _simple_table(
        ws,
        fmts,
        vi("sources-title", round=view.result.round.number),
        (
            ("STT", 5),
            ("Mã đơn vị", 11),
            ("Tên đơn vị", 36),
            ("Tệp đang dùng", 46),
            ("SHA-256 (12 ký tự đầu)", 15),
            ("Nhận diện theo", 24),
            ("Ngày báo cáo", 11),
            ("Nguồn của ngày", 20),
            ("Tệp đã bị thay thế", 46),
            ("Tệp bị trả lại", 46),
        ),
        data,
        ("text", "line", "line", "line", "line", "line", "line", "line", "line", "line"),
    )
    ws.set_row(2, 32)


def write_workbook(path: Path, view: RoundView, campaign: Campaign, groups: Sequence[Any], *, force: bool) -> Path:
    """The consolidated workbook at ``path``, written whole or not at all."""
    check_writable(path, force)
    result = view.result
    names = dict(zip(result.units["code"], result.units["name"], strict=True))
    unclear = {f.unit for _, _, f in view.warnings if f.code == "report-order-unclear"}
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(
            str(tmp), {"strings_to_formulas": False, "strings_to_urls": False, "nan_inf_to_errors": True}
        )
        fmts = _Formats(book)
        _summary(book, fmts, result, campaign, groups, unclear)
        labels = {g.code: g.label for g in groups}
        _missing(book, fmts, view.status, labels, result.round.number)
        _checks(book, fmts, view.warnings, names)
        _trend(book, fmts, result, view.trend, view.rounds)
        _sources(book, fmts, view, names)
        book.set_properties(
            {"title": campaign.report.title.format(round=result.round.number), "author": campaign.receiving_office}
        )
        try:
            book.close()
        except XlsxWriterException as exc:
            raise OutputError(t("output-failed", path=path, detail=exc), t("output-failed-hint")) from None
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
