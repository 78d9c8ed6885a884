"""Writes the blank official form of one unit for one round, from the layout in form.py."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ihanoi_report import form, palette, styles
from ihanoi_report.config import Campaign, Round, format_date
from ihanoi_report.files import atomic_path
from ihanoi_report.form import form_file_name
from ihanoi_report.messages import vi
from ihanoi_report.rules import LATEST_REPORT_DAYS
from ihanoi_report.units import Registry, Unit

WIDTHS = {"A": 6, "B": 44, "C": 13, "D": 13, "E": 17, "F": 19, "G": 17}
DATE_FORMAT = "dd/mm/yyyy"

# Prompts and error texts of the data validations, per column.
_VALIDATION_TEXTS = {
    form.STAFF_TOTAL.key: ("Tổng số CBCCVC, người lao động", "Nhập số nguyên từ 0 trở lên."),
    form.STAFF_INSTALLED.key: (
        "Số CBCCVC đã cài đặt iHanoi",
        "Nhập số nguyên từ 0 đến tổng số CBCCVC (cột 3).",
    ),
    form.RESIDENTS.key: ("Tổng số người dân trên địa bàn", "Nhập số nguyên từ 0 trở lên."),
    form.SMARTPHONES.key: (
        "Số người dân có điện thoại thông minh",
        "Nhập số nguyên từ 0 đến tổng số người dân (cột 5).",
    ),
    form.RESIDENTS_INSTALLED.key: (
        "Số người dân đã cài đặt iHanoi",
        "Nhập số nguyên từ 0 đến số người dân có điện thoại thông minh (cột 6).",
    ),
}
# The column a count may not exceed (validated in the spreadsheet, checked again on ingest).
UPPER_BOUND = {
    form.STAFF_INSTALLED.key: form.STAFF_TOTAL,
    form.SMARTPHONES.key: form.RESIDENTS,
    form.RESIDENTS_INSTALLED.key: form.SMARTPHONES,
}


def _merge(ws: Worksheet, cells: str, value: object, font: object, align: object) -> None:
    ws.merge_cells(cells)
    first = ws[cells.split(":")[0]]
    styles.set_text(first, value)
    first.font = font
    first.alignment = align


def _header(ws: Worksheet, campaign: Campaign, unit: Unit, rnd: Round) -> None:
    last = form.LAST_LETTER
    _merge(ws, f"A{form.AUTHORITY_ROW}:C{form.AUTHORITY_ROW}", campaign.authority, styles.BODY, styles.CENTER)
    _merge(ws, f"A{form.UNIT_HEAD_ROW}:C{form.UNIT_HEAD_ROW}", unit.name.upper(), styles.BOLD, styles.CENTER)
    _merge(
        ws, f"D{form.AUTHORITY_ROW}:{last}{form.AUTHORITY_ROW}", campaign.form.national_name, styles.BOLD, styles.CENTER
    )
    _merge(
        ws,
        f"D{form.UNIT_HEAD_ROW}:{last}{form.UNIT_HEAD_ROW}",
        campaign.form.national_motto,
        styles.font(bold=True, underline=True),
        styles.CENTER,
    )
    _merge(
        ws,
        f"D{form.DATE_ROW}:{last}{form.DATE_ROW}",
        vi("form-date-line", place=campaign.place, year=rnd.due.year),
        styles.ITALIC,
        styles.CENTER,
    )
    _merge(ws, f"A{form.TITLE_ROW}:{last}{form.TITLE_ROW}", campaign.title(rnd), styles.TITLE, styles.CENTER)
    _merge(ws, f"A{form.SUBTITLE_ROW}:{last}{form.SUBTITLE_ROW}", campaign.form.subtitle, styles.ITALIC, styles.CENTER)
    _merge(
        ws,
        f"A{form.UNIT_LINE_ROW}:{last}{form.UNIT_LINE_ROW}",
        vi("form-unit-line", name=unit.name, code=unit.code),
        styles.BOLD,
        styles.CENTER,
    )
    _merge(
        ws,
        f"A{form.DUE_ROW}:{last}{form.DUE_ROW}",
        vi("form-due-line", due=format_date(rnd.due), office=campaign.receiving_office),
        styles.ITALIC,
        styles.CENTER,
    )
    ws.row_dimensions[form.TITLE_ROW].height = 36


def _table_header(ws: Worksheet) -> None:
    top, sub, numbers = form.HEADER_ROW, form.SUBHEADER_ROW, form.NUMBER_ROW
    for column in form.COLUMNS:
        for row in (top, sub, numbers):
            cell = ws[f"{column.letter}{row}"]
            cell.border = styles.BOX
            cell.alignment = styles.CENTER
            cell.font = styles.HEADER if row != numbers else styles.SMALL_ITALIC
            if row != numbers:
                cell.fill = styles.HEADER_FILL
        ws[f"{column.letter}{numbers}"] = f"({column.number})"
    for column in (form.STT, form.NAME):
        ws.merge_cells(f"{column.letter}{top}:{column.letter}{sub}")
        ws[f"{column.letter}{top}"] = column.label
    staff, residents = form.STAFF_COLUMNS, form.RESIDENT_COLUMNS
    ws.merge_cells(f"{staff[0].letter}{top}:{staff[-1].letter}{top}")
    ws[f"{staff[0].letter}{top}"] = form.STAFF_GROUP_LABEL
    ws.merge_cells(f"{residents[0].letter}{top}:{residents[-1].letter}{top}")
    ws[f"{residents[0].letter}{top}"] = form.RESIDENT_GROUP_LABEL
    for column in form.COUNT_COLUMNS:
        ws[f"{column.letter}{sub}"] = column.label
    ws.row_dimensions[top].height = 30
    ws.row_dimensions[sub].height = 62


def _add_validation(ws: Worksheet, column: form.Column, rows: list[int]) -> None:
    if not rows:
        return
    title, error = _VALIDATION_TEXTS[column.key]
    bound = UPPER_BOUND.get(column.key)
    first = rows[0]
    if bound is None:
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
    else:
        dv = DataValidation(type="whole", operator="between", formula1="0", formula2=f"{bound.letter}{first}")
    dv.allow_blank = True
    dv.promptTitle, dv.prompt = title[:32], error
    dv.errorTitle, dv.error = "Số liệu không hợp lệ", error
    dv.showInputMessage = dv.showErrorMessage = True
    dv.errorStyle = "stop"
    # Relative references in formula2 move with each cell, as they do for a typed validation.
    for start, end in _runs(rows):
        dv.add(f"{column.letter}{start}:{column.letter}{end}")
    ws.add_data_validation(dv)


def _runs(rows: list[int]) -> Iterable[tuple[int, int]]:
    """Consecutive row numbers as (first, last) pairs."""
    start = prev = rows[0]
    for row in rows[1:]:
        if row != prev + 1:
            yield start, prev
            start = row
        prev = row
    yield start, prev


def _table_body(ws: Worksheet, layout: form.FormLayout) -> None:
    for index, spec in enumerate(layout.rows, start=1):
        r = spec.row
        ws[f"{form.STT.letter}{r}"] = index
        styles.set_text(ws[f"{form.NAME.letter}{r}"], spec.unit.name)
        for column in form.COLUMNS:
            cell = ws[f"{column.letter}{r}"]
            cell.border = styles.BOX
            cell.font = styles.BODY
            cell.alignment = styles.CENTER if column is form.STT else styles.LEFT
            if column in form.COUNT_COLUMNS:
                cell.alignment = styles.RIGHT
                cell.number_format = palette.COUNT_FORMAT
                if column in spec.input_columns():
                    cell.fill = styles.INPUT_FILL
                    cell.protection = styles.UNLOCKED
                else:
                    cell.fill = styles.DISABLED_FILL
    for column in form.COUNT_COLUMNS:
        _add_validation(ws, column, [s.row for s in layout.rows if column in s.input_columns()])

    if layout.total_row is None:
        return
    r, first, last = layout.total_row, layout.rows[0].row, layout.rows[-1].row
    any_residents = any(s.residents for s in layout.rows)
    ws[f"{form.NAME.letter}{r}"] = form.TOTAL_LABEL
    for column in form.COLUMNS:
        cell = ws[f"{column.letter}{r}"]
        cell.border = styles.BOX
        cell.font = styles.BOLD
        cell.fill = styles.TOTAL_FILL
        cell.alignment = styles.CENTER if column in (form.STT, form.NAME) else styles.RIGHT
        if column in form.COUNT_COLUMNS:
            cell.number_format = palette.COUNT_FORMAT
            if column.residents and not any_residents:
                cell.fill = styles.DISABLED_FILL
            else:
                cell.value = f"=SUM({column.letter}{first}:{column.letter}{last})"


def _footer(ws: Worksheet, layout: form.FormLayout, campaign: Campaign, rnd: Round) -> None:
    value_col = form.FOOTER_VALUE_COLUMN
    for row, label in (
        (layout.report_date_row, form.REPORT_DATE_LABEL),
        (layout.preparer_row, form.PREPARER_LABEL),
        (layout.phone_row, form.PHONE_LABEL),
    ):
        ws[f"{form.NAME.letter}{row}"] = label
        ws[f"{form.NAME.letter}{row}"].font = styles.BOLD
        ws[f"{form.NAME.letter}{row}"].alignment = styles.RIGHT
        ws.merge_cells(f"{value_col}{row}:E{row}")
        cell = ws[f"{value_col}{row}"]
        cell.fill = styles.INPUT_FILL
        cell.protection = styles.UNLOCKED
        cell.font = styles.BODY
        cell.alignment = styles.LEFT
        cell.number_format = "@"  # text: a phone number keeps its leading 0
    _date_cell(ws, f"{value_col}{layout.report_date_row}", campaign)
    sig = layout.signature_row
    for cells, text, font in (
        (f"A{sig}:C{sig}", campaign.form.preparer_title, styles.BOLD),
        (f"A{sig + 1}:C{sig + 1}", campaign.form.preparer_note, styles.ITALIC),
        (f"E{sig}:G{sig}", campaign.form.head_title, styles.BOLD),
        (f"E{sig + 1}:G{sig + 1}", campaign.form.head_note, styles.ITALIC),
    ):
        _merge(ws, cells, text, font, styles.CENTER)
    row = layout.instruction_row
    instruction = campaign.form.instruction.format(office=campaign.receiving_office, due=format_date(rnd.due))
    _merge(ws, f"A{row}:{form.LAST_LETTER}{row}", instruction, styles.SMALL_ITALIC, styles.LEFT_TOP)
    ws.row_dimensions[row].height = 64


def _date_cell(ws: Worksheet, address: str, campaign: Campaign) -> None:
    """The report date is a real date: shown dd/mm/yyyy, and only a date of the campaign is accepted.

    Typed 18/8/2024 in a Vietnamese-locale Excel or LibreOffice, it becomes a date; a program set to
    en-US reads 18/8/2024 as text, which the validation refuses, so the clerk types it again.
    """
    ws[address].number_format = DATE_FORMAT
    first, last = campaign.starts, campaign.rounds[-1].due + timedelta(days=LATEST_REPORT_DAYS)
    dv = DataValidation(
        type="date",
        operator="between",
        formula1=f"DATE({first.year},{first.month},{first.day})",
        formula2=f"DATE({last.year},{last.month},{last.day})",
    )
    dv.allow_blank = True
    dv.promptTitle, dv.prompt = vi("form-date-prompt-title"), vi("form-date-prompt")
    dv.errorTitle, dv.error = vi("form-date-error-title"), vi("form-date-error")
    dv.showInputMessage = dv.showErrorMessage = True
    dv.errorStyle = "stop"
    dv.add(address)
    ws.add_data_validation(dv)


def _page_setup(ws: Worksheet, layout: form.FormLayout) -> None:
    for letter, width in WIDTHS.items():
        ws.column_dimensions[letter].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{form.HEADER_ROW}:{form.NUMBER_ROW}"
    ws.print_area = f"A1:{form.LAST_LETTER}{layout.instruction_row}"
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    ws.freeze_panes = f"A{form.FIRST_DATA_ROW}"
    ws.sheet_view.zoomScale = 90
    # Protected without a password: clerks can still resize columns and rows.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _metadata(wb: Workbook, campaign: Campaign, unit: Unit, rnd: Round) -> None:
    meta = wb.create_sheet(form.META_SHEET)
    values = {
        "campaign_id": campaign.id,
        "unit_code": unit.code,
        "round": rnd.number,
        "form_version": form.FORM_VERSION,
    }
    for row, key in enumerate(form.META_KEYS, start=1):
        meta.cell(row=row, column=1, value=key)
        meta.cell(row=row, column=2, value=values[key])
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True


def build_form(campaign: Campaign, registry: Registry, unit: Unit, rnd: Round) -> Workbook:
    """The blank form of ``unit`` for round ``rnd``, as an openpyxl workbook."""
    layout = form.layout_for(unit, registry)
    wb = Workbook()
    ws = wb.active
    ws.title = form.SHEET_NAME
    _header(ws, campaign, unit, rnd)
    _table_header(ws)
    _table_body(ws, layout)
    _footer(ws, layout, campaign, rnd)
    _page_setup(ws, layout)
    _metadata(wb, campaign, unit, rnd)
    wb.properties.title = campaign.title(rnd)
    wb.properties.subject = unit.name
    wb.properties.creator = campaign.receiving_office
    return wb


@dataclass(frozen=True)
class TemplateResult:
    written: tuple[Path, ...]
    kept: tuple[Path, ...]


# Below this many forms, starting worker processes costs more than it saves.
PARALLEL_FROM = 40

# What each worker process needs to build forms: set once per process (inherited on fork).
_job: tuple[Campaign, Registry, Round] | None = None


def _set_job(campaign: Campaign, registry: Registry, rnd: Round) -> None:
    global _job
    _job = (campaign, registry, rnd)


def _write_one(item: tuple[Unit, Path]) -> Path:
    assert _job is not None
    unit, path = item
    wb = build_form(*_job[:2], unit, _job[2])
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def write_forms(
    campaign: Campaign,
    registry: Registry,
    units: Iterable[Unit],
    rnd: Round,
    out_dir: Path,
    *,
    force: bool = False,
    progress: Callable[[], None] | None = None,
    workers: int | None = None,
) -> TemplateResult:
    """One .xlsx per unit in ``out_dir``; existing files are kept unless ``force``.

    Many forms are written by several processes (openpyxl is pure Python: one core per form);
    the files are the same, and so is the order of the result.
    """
    from ihanoi_report.sandbox import default_start_method, default_workers

    kept: list[Path] = []
    todo: list[tuple[Unit, Path]] = []
    for unit in units:
        path = out_dir / form_file_name(unit, rnd)
        if path.exists() and not force:
            kept.append(path)
            if progress is not None:
                progress()
        else:
            todo.append((unit, path))
    workers = workers or default_workers()
    written: list[Path] = []
    if workers < 2 or len(todo) < PARALLEL_FROM:
        _set_job(campaign, registry, rnd)
        results: Iterable[Path] = map(_write_one, todo)
        pool = None
    else:
        context = multiprocessing.get_context(default_start_method())
        pool = context.Pool(workers, initializer=_set_job, initargs=(campaign, registry, rnd))
        results = pool.imap(_write_one, todo, chunksize=8)
    try:
        for path in results:
            written.append(path)
            if progress is not None:
                progress()
    except BaseException:
        if pool is not None:
            pool.terminate()  # Ctrl-C or a failed write: stop the others now
        raise
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return TemplateResult(tuple(written), tuple(kept))
