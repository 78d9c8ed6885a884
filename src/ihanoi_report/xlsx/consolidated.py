"""The district's consolidated workbook of a round, from its consolidation (consolidate.py).

Every number is written as a value, never as a formula, so pandas or calamine read the totals without a
spreadsheet program; text is always written as text. Sheets: Tổng hợp (the official table), Chưa báo cáo,
Kiểm tra (the warnings kept), Tiến độ (shares over the rounds, with charts), Nguồn số liệu (the file
behind every report counted).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path, PurePath
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException
from xlsxwriter.worksheet import Worksheet

from ihanoi_report import form
from ihanoi_report.config import Campaign, Group, format_date
from ihanoi_report.consolidate import (
    DISTRICT,
    MET,
    MISSED,
    NOT_REPORTED,
    RoundView,
    filling,
    notes,
    records,
    total_keys,
    verdict_column,
)
from ihanoi_report.errors import OutputError
from ihanoi_report.files import atomic_path, check_writable
from ihanoi_report.form import column_letter as letter
from ihanoi_report.form_spec import FormSpec
from ihanoi_report.messages import t, vi
from ihanoi_report.model import KIND_CONSOLIDATED, Severity, Standing
from ihanoi_report.ranking import Ranking
from ihanoi_report.xlsx.document import (
    HeaderColumn,
    list_table,
    official_header,
    print_setup,
    signatures,
    table_header,
    write_metadata,
)
from ihanoi_report.xlsx.ranking import add_district_sheet
from ihanoi_report.xlsx.sheet_rows import Workbook
from ihanoi_report.xlsx.styles import (
    BOOK_OPTIONS,
    ERROR_COLOR,
    HEADER_COLOR,
    MET_COLOR,
    SHARE_FORMAT,
    TOTAL_COLOR,
    WARNING_COLOR,
    Formats,
    box_blanks,
    merged,
    write,
    write_row,
)

# An official document: its words are Vietnamese whatever --lang says (messages.vi).
SUMMARY_SHEET = vi("book-sheet-summary")
MISSING_SHEET = vi("book-sheet-missing")
CHECKS_SHEET = vi("book-sheet-checks")
TREND_SHEET = vi("book-sheet-trend")
SOURCES_SHEET = vi("book-sheet-sources")
GROUPS_SHEET = vi("book-sheet-groups")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")

Summary = tuple[tuple[str, HeaderColumn, str], ...]  # (key, header, kind) of each column of the summary table


@functools.lru_cache(maxsize=16)
def _summary_columns(spec: FormSpec, targets: tuple[tuple[str, str], ...]) -> Summary:
    """The summary table: the form's columns under their headings, each heading's shares after its counts,
    a verdict per target (``targets``: (key, header)), the notes, and the hidden codes."""
    columns: list[tuple[str, HeaderColumn, str]] = [("stt", HeaderColumn(form.STT_LABEL, "", 6), "text"),
                                                    ("name", HeaderColumn(form.NAME_LABEL, "", 48), "text")]
    for heading in (*spec.headings, None):
        over = heading.label if heading else ""
        key = heading.key if heading else ""
        for column in (c for c in spec.columns if c.heading == key):
            width = max(11, min(14, round(len(column.label) / 2.5)))
            columns.append((column.key, HeaderColumn(over, column.label, width) if over
                            else HeaderColumn(column.label, "", width), "count"))
        for share in (s for s in spec.shares if s.shown and spec.by_key[s.whole].heading == key):
            header = share.column or vi("book-col-share")
            columns.append((share.key, HeaderColumn(over, header, 10 if len(header) <= 10 else 13) if over
                            else HeaderColumn(header, "", 13), "share"))
    columns += [(verdict_column(key), HeaderColumn(vi("book-col-assessment"), header, 12), "text")
                for key, header in targets]
    columns.append(("note", HeaderColumn(vi("book-col-note"), "", 26), "text"))
    # Hidden: each row's code, so that the level above matches rows by code, not only by name.
    columns.append(("code", HeaderColumn(vi("book-col-code"), "", 12), "line"))
    return tuple(columns)


def summary_columns(campaign: Campaign) -> Summary:
    return _summary_columns(campaign.declared, tuple((t.key, t.column or t.label) for t in campaign.targets.values()))


HEADER_ROW = 8  # 1-based: two header rows and the row of column numbers, then the table
FIRST_ROW = HEADER_ROW + 3
_ASSESSMENT_FILL = {MET: MET_COLOR, MISSED: WARNING_COLOR, NOT_REPORTED: ERROR_COLOR}
STATUS_TEXT = {Standing.MISSING: vi("book-status-missing"), Standing.REJECTED: vi("book-status-rejected")}


def _headers(*columns: tuple[str, float]) -> tuple[tuple[str, float], ...]:
    """(header, width) pairs from (message key after "book-col-", width)."""
    return tuple((vi(f"book-col-{key}"), width) for key, width in columns)


def _note(unit: Mapping[Any, Any], unclear: set[str]) -> str:
    return "; ".join(vi(key, date=format_date(day) if day else "") for key, day in notes(unit, unclear))


def _total_row(ws: Worksheet, fmts: Formats, columns: Summary, row: int, stt: str, label: str, source: Any, fill: str,
               code: str = "") -> None:
    """A subtotal or total line (0-based ``row``): bold, tinted, the sums and shares of ``source``."""
    values = {"stt": stt, "name": label, "note": "", "code": code}
    for col, (key, _, kind) in enumerate(columns):
        value = values[key] if key in values else source[key] if kind in ("count", "share") else ""
        write(ws, row, col, value, fmts.cell(kind, bold=True, fill=fill, first=col == 0))


def _unit_rows(ws: Worksheet, fmts: Formats, columns: Summary, members: pd.DataFrame, row: int,
               unclear: set[str]) -> int:
    """The units of one group from 0-based ``row``; the row after them."""
    plain = {kind: fmts.cell(kind) for _, _, kind in columns}
    verdicts = {key for key, _, _ in columns if key.startswith(verdict_column(""))}
    first = fmts.cell("text", first=True)
    assessed = {name: fmts.cell("text", fill=fill) for name, fill in _ASSESSMENT_FILL.items()}
    formats = [first if col == 0 else plain[kind] for col, (_, _, kind) in enumerate(columns)]
    judged = [(col, key) for col, (key, _, _) in enumerate(columns) if key in verdicts]
    for number, unit in enumerate(records(members), start=1):
        values = {**unit, "stt": number, "note": _note(unit, unclear)}
        row_formats = formats.copy()
        for col, key in judged:
            row_formats[col] = assessed.get(str(unit[key]), formats[col])
        write_row(ws, row, [values.get(key) for key, _, _ in columns], row_formats, table=True)
        if len(str(unit["name"])) > 44:
            ws.set_row(row, 32)
        row += 1
    return row


def _summary(
    book: xlsxwriter.Workbook, fmts: Formats, data: RoundView, campaign: Campaign, groups: Sequence[Group]
) -> None:
    ws = book.add_worksheet(SUMMARY_SHEET)
    columns = summary_columns(campaign)
    code_column = len(columns) - 1
    result, rnd, last = data.result, data.result.round, letter(code_column - 1)
    official_header(
        ws,
        fmts,
        campaign,
        issuer=campaign.receiving_office,
        right="F",
        last=last,
        title_row=4,
        title=campaign.report.title.format(round=rnd.number),
        subtitle=vi("book-as-of", date=format_date(rnd.as_of)) if data.closure is None else vi(
            "book-as-of-closed", date=format_date(rnd.as_of), closed=format_date(data.closure.closed_at.date())),
    )
    district = result.district
    reported, total = int(str(district["reported"])), int(str(district["units_total"]))
    line = vi("summary-line", reported=reported, total=total, late=int(district["late"]), missing=total - reported)
    merged(ws, fmts, f"A6:{last}6", line, italic=True)
    table_header(ws, fmts, [header for _, header, _ in columns], HEADER_ROW, (30, 66))
    ws.set_column(code_column, code_column, 12, None, {"hidden": True})
    unclear = {f.unit for _, _, f in data.warnings if f.code == "report-order-unclear"}
    row = FIRST_ROW - 1  # 0-based from here on
    index = 0
    for group in groups:
        members = result.units[result.units["group"] == group.code]
        if members.empty:
            continue
        subtotal: Any = result.groups.loc[group.code]
        label = vi("book-group-reported", group=group.label, reported=int(subtotal["reported"]),
                   total=int(subtotal["units_total"]))
        numeral = ROMAN[index] if index < len(ROMAN) else str(index + 1)
        _total_row(ws, fmts, columns, row, numeral, label, subtotal, TOTAL_COLOR, group.code)
        index += 1
        ws.set_row(row, 32)
        row = _unit_rows(ws, fmts, columns, members, row + 1, unclear)
    _total_row(ws, fmts, columns, row, "", vi("book-total-of", whole=campaign.level.whole.upper()), district,
               HEADER_COLOR)
    box_blanks(ws, fmts, FIRST_ROW - 1, 0, row, len(columns) - 1)
    signatures(ws, fmts, campaign, row + 3, left="D", right="H", last=last, year=rnd.due.year)
    ws.freeze_panes(FIRST_ROW - 1, 2)
    ws.autofilter(f"A{HEADER_ROW + 1}:{last}{row + 1}")
    print_setup(ws, (HEADER_ROW - 1, HEADER_ROW + 1))


def _missing(book: xlsxwriter.Workbook, fmts: Formats, status: pd.DataFrame, groups: Sequence[Group], rnd: int) -> None:
    labels = {g.code: g.label for g in groups}
    rows = status[status["status"].isin([Standing.MISSING, Standing.REJECTED])]
    data = [
        (i, r["code"], r["name"], labels[r["group"]], STATUS_TEXT[Standing(r["status"])], r["contact"])
        for i, r in enumerate(rows.to_dict("records"), start=1)
    ]
    headers = _headers(("stt", 6), ("code", 14), ("name", 44), ("group", 40), ("status", 34), ("contact", 40))
    list_table(book.add_worksheet(MISSING_SHEET), fmts, vi("book-missing-title", round=rnd), headers, data,
               empty=vi("status-all-reported", round=rnd))


def _checks(book: xlsxwriter.Workbook, fmts: Formats, data: RoundView, names: Mapping[str, str]) -> None:
    rows = [
        (
            i,
            names.get(f.unit, f.unit),
            PurePath(path).name,
            f.cell,
            vi(f"severity-{f.severity.value}"),
            f.code,
            f.message_vi,
        )
        for i, (_, path, f) in enumerate(data.warnings, start=1)
        if f.severity is not Severity.ERROR
    ]
    headers = _headers(("stt", 6), ("unit", 36), ("file", 40), ("cell", 7), ("severity", 10), ("code-short", 24),
                       ("text", 90))
    list_table(book.add_worksheet(CHECKS_SHEET), fmts, vi("book-checks-title"), headers, rows,
               empty=vi("book-checks-none"))


def _trend(book: xlsxwriter.Workbook, fmts: Formats, data: RoundView, whole: str, campaign: Campaign) -> None:
    ws = book.add_worksheet(TREND_SHEET)
    shares = [share for share in campaign.declared.shares if share.shown]
    measures = [share.key for share in shares]
    headers = list(_headers(("stt", 6), ("name", 40)))
    for number in data.rounds:
        headers += [(vi("book-trend-share", round=number, share=share.subject or share.label), 12)
                    for share in shares]
    units = data.result.units
    names = dict(zip(units["code"], units["name"], strict=True)) | {DISTRICT: whole.upper()}
    rows = [
        [i if code != DISTRICT else "", names[code]]
        + [data.trend.get((code, n, m)) for n in data.rounds for m in measures]
        for i, code in enumerate([*units["code"], DISTRICT], start=1)
    ]
    list_table(
        ws, fmts, vi("book-trend-title"), headers, rows, ["text", "text"] + ["share"] * len(measures) * len(data.rounds)
    )
    ws.set_row(2, 45)
    scale = {
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
    }
    ws.conditional_format(f"C4:{letter(len(headers) - 1)}{3 + len(rows)}", scale)
    # The page prints the table (its header repeated); the charts beside it are for the screen (the round's
    # pictures are the summary's PNGs), and their data stays out of the repeated header row.
    ws.print_area(0, 0, 2 + len(rows), len(headers) - 1)
    _charts(book, fmts, ws, data, len(headers) + 1, campaign)


CHART_DATA_ROW = 3  # 0-based: below the table's header row (row 2), which every printed page repeats
CHART_BARS = 40  # bars a chart of units holds and stays readable, as the round's pictures (charts.MOST_BARS)


def _charts(book: xlsxwriter.Workbook, fmts: Formats, ws: Worksheet, data: RoundView, base: int,
            campaign: Campaign) -> None:
    """The district's shares over the rounds (a line chart) and the units' shares of the target due last (bars),
    with their data beside the table from 0-based column ``base``."""
    share, text, rounds = fmts.get(num_format=SHARE_FORMAT, wrap=False), fmts.get(wrap=False), data.rounds
    spec = campaign.declared
    shown = [declared for declared in spec.shares if declared.shown]
    ws.set_column(base, base, 30)
    ws.set_column(base + 1, base + len(shown), 12)
    top = CHART_DATA_ROW
    for offset, label in enumerate((vi("book-col-round"), *(declared.label for declared in shown))):
        ws.write_string(top, base + offset, label, text)
    for i, number in enumerate(rounds, start=top + 1):
        ws.write_string(i, base, vi("book-round", round=number), text)
        for offset, declared in enumerate(shown, start=1):
            write(ws, i, base + offset, data.trend.get((DISTRICT, number, declared.key)), share)
    line = book.add_chart({"type": "line"})
    for offset in range(1, len(shown) + 1):
        line.add_series(
            {
                "name": [TREND_SHEET, top, base + offset],
                "marker": {"type": "circle"},
                "categories": [TREND_SHEET, top + 1, base, top + len(rounds), base],
                "values": [TREND_SHEET, top + 1, base + offset, top + len(rounds), base + offset],
            }
        )
    line.set_title({"name": vi("book-chart-line-title", whole=campaign.level.whole)})
    line.set_y_axis({"name": vi("book-chart-share"), "num_format": "0%", "min": 0, "max": 1})
    line.set_size({"width": 605, "height": 302})  # 16 x 8 cm
    ws.insert_chart(top + 3 + len(rounds), base, line)
    last = spec.share_by_key[campaign.last_target.measure]
    units = data.result.units
    communes, number = filling(units, spec, last.whole), data.result.round.number
    title = vi("book-chart-bar-title", round=number, share=last.label)
    if len(communes) > CHART_BARS:  # past a screen of bars, the lowest: those the office has to push
        reported = communes[communes[last.key].notna()]
        title = vi("book-chart-bar-title-lowest", round=number, share=last.label, count=min(CHART_BARS, len(reported)),
                   total=len(communes))
        communes = reported.sort_values(last.key, kind="stable").head(CHART_BARS)
    start = top + 5 + len(rounds) + 16
    ws.write_string(start, base, vi("book-col-unit"), text)
    ws.write_string(start, base + 1, vi("book-chart-unit-share", round=number, share=last.label), text)
    for i, (name, value) in enumerate(zip(communes["name"], communes[last.key], strict=True), start=start + 1):
        ws.write_string(i, base, str(name), text)
        write(ws, i, base + 1, value, share)
    bar = book.add_chart({"type": "bar"})
    bar.add_series(
        {
            "name": [TREND_SHEET, start, base + 1],
            "categories": [TREND_SHEET, start + 1, base, start + len(communes), base],
            "values": [TREND_SHEET, start + 1, base + 1, start + len(communes), base + 1],
        }
    )
    bar.set_title({"name": title})
    # in a bar chart the value axis is the horizontal one; from 0 to 100 %, so that a bar is as long as its share
    bar.set_x_axis({"num_format": "0%", "min": 0, "max": 1})
    bar.set_legend({"none": True})
    bar.set_size({"width": 605, "height": 605})
    ws.insert_chart(start, base + 4, bar)


def _sources(book: xlsxwriter.Workbook, fmts: Formats, data: RoundView, names: Mapping[str, str]) -> None:
    """Nguồn số liệu: for every report counted, the file it came from, so each number can be traced."""
    order = {code: i for i, code in enumerate(names)}
    rows = []
    for i, report in enumerate(sorted(data.accepted, key=lambda a: order.get(a.unit, len(order))), start=1):
        lineage, day = data.lineage.get(report.unit), report.effective_date
        rows.append(
            (
                i,
                report.unit,
                names.get(report.unit, report.unit),
                os.path.basename(report.path),
                report.sha256[:12],
                vi(f"identified-{report.identified_by}") if report.identified_by else "",
                format_date(day) if day is not None else "",
                vi(f"date-from-{report.date_source.value}") if report.date_source.value else "",
                "; ".join(os.path.basename(p) for p in lineage.superseded) if lineage else "",
                "; ".join(os.path.basename(p) for p in lineage.rejected) if lineage else "",
            )
        )
    headers = _headers(
        ("stt", 5),
        ("code", 11),
        ("name", 36),
        ("file-in-use", 46),
        ("sha", 15),
        ("identified-by", 24),
        ("report-date", 11),
        ("date-source", 20),
        ("superseded", 46),
        ("rejected", 46),
    )
    ws = book.add_worksheet(SOURCES_SHEET)
    list_table(ws, fmts, vi("sources-title", round=data.result.round.number), headers, rows, ["text"] + ["line"] * 9)
    ws.set_row(2, 32)


def _groups_sent(book: xlsxwriter.Workbook, fmts: Formats, data: RoundView, names: Mapping[str, str],
                 spec: FormSpec) -> None:
    """Theo nhóm: each sender's group subtotals, as its consolidated workbook gave them (a district's groups
    at the city)."""
    keys = total_keys(spec)
    rows: list[list[object]] = []
    for code in names:
        for line in data.subtotals.get(code, ()):
            c = line.counts
            rows.append([len(rows) + 1, code, names[code], line.unit,
                         *(spec.share_of(c, k) if k in spec.share_by_key else c.get(k) for k in keys)])
    headers = [*_headers(("stt", 6), ("code", 12), ("name", 30)), (vi("book-col-group"), 36),
               *((vi(f"prompt-{key}") if key in spec.by_key else f"{spec.share_by_key[key].label} (%)", 14)
                 for key in keys)]
    kinds = ["text", "line", "text", "text", *("share" if k in spec.share_by_key else "count" for k in keys)]
    list_table(book.add_worksheet(GROUPS_SHEET), fmts, vi("book-groups-title", round=data.result.round.number),
               headers, rows, kinds)


def write_workbook(
    path: Path,
    data: RoundView,
    campaign: Campaign,
    groups: Sequence[Group],
    *,
    force: bool,
    ranking: Ranking | None = None,
    written_on: date | None = None,
) -> Path:
    """The consolidated workbook at ``path``, written whole or not at all; with the ranking sheet when given."""
    check_writable(path, force)
    result = data.result
    names = dict(zip(result.units["code"], result.units["name"], strict=True))
    with atomic_path(path) as tmp:
        book = Workbook(str(tmp), BOOK_OPTIONS)
        fmts = Formats(book)
        _summary(book, fmts, data, campaign, groups)
        _missing(book, fmts, data.status, groups, result.round.number)
        _checks(book, fmts, data, names)
        _trend(book, fmts, data, campaign.level.whole, campaign)
        _sources(book, fmts, data, names)
        if data.subtotals:
            _groups_sent(book, fmts, data, names, campaign.declared)
        if ranking is not None:
            add_district_sheet(book, fmts, ranking, campaign, groups, vi("book-sheet-ranking"))
        # The identity the level above reads first: this office's code there, the campaign it reports to.
        write_metadata(book, {"campaign_id": campaign.level.parent_campaign, "unit_code": campaign.level.unit,
                              "round": result.round.number, "form_version": campaign.declared.version,
                              "kind": KIND_CONSOLIDATED, "report_date": (written_on or date.today()).isoformat()})
        book.set_properties(
            {"title": campaign.report.title.format(round=result.round.number), "author": campaign.receiving_office}
        )
        try:
            book.close()
        except XlsxWriterException as exc:
            raise OutputError(t("output-failed", path=path, detail=exc), t("output-failed-hint")) from None
    return path
