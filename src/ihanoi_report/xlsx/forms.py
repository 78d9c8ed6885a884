"""The blank official form of one unit for one round, from the layout in form.py, and many of them at once.

Written with XlsxWriter: every number it writes, the total row's SUM included, carries its value, so a
program that does not recalculate still shows the form as it is. ``template`` writes each layout once and
stamps each unit's words into it (FormStamper, xlsx/stencil.py): the same bytes, without XlsxWriter's ~3 ms a form.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from ihanoi_report import form
from ihanoi_report.checks import LATEST_REPORT_DAYS
from ihanoi_report.config import Campaign, Round, format_date
from ihanoi_report.errors import OutputError
from ihanoi_report.files import atomic_path, bundle
from ihanoi_report.form_spec import PROMPT_LIMIT, FormSpec
from ihanoi_report.messages import t, vi
from ihanoi_report.model import KIND_FORM
from ihanoi_report.safe_text import for_document
from ihanoi_report.sandbox import Failure, Job, default_workers, run_all
from ihanoi_report.units import Registry, Unit
from ihanoi_report.xlsx.document import HeaderColumn, official_header, table_header, write_metadata
from ihanoi_report.xlsx.stencil import Stencil, mark
from ihanoi_report.xlsx.styles import (
    BOOK_OPTIONS,
    COUNT_FORMAT,
    DATE_FORMAT,
    DISABLED_COLOR,
    INPUT_COLOR,
    TEXT_FORMAT,
    TOTAL_COLOR,
    Formats,
    merged,
)

FIXED_WIDTHS = {"stt": 6, "name": 44}
VALIDATION_TITLE_LIMIT = PROMPT_LIMIT  # Excel's: a longer title is cut (tests hold every prompt to it)


def _width(label: str, counts: int) -> int:
    """A count column wide enough for its header in three lines: 13 to 19 characters; wider on a form of few
    columns, so that the national name over the right-hand columns stays on one line."""
    least = max(13, min(20, 60 // counts))
    return max(least, min(19, round(len(label) / 2) + 2))


@functools.lru_cache(maxsize=16)
def header_columns(spec: FormSpec) -> tuple[HeaderColumn, ...]:
    """STT and the name stand over both header rows; each count column under its heading's label."""
    return tuple(
        HeaderColumn(column.label, "", FIXED_WIDTHS[column.key]) if column.key in FIXED_WIDTHS
        else HeaderColumn(column.heading, column.label, _width(column.label, len(spec.columns))) if column.heading
        else HeaderColumn(column.label, "", _width(column.label, len(spec.columns)))
        for column in form.columns(spec)
    )  # fmt: skip


def _prompt(spec: FormSpec, key: str) -> tuple[str, str]:
    """(title, text) of a count column's validation: "at most column N" where the form checks it against one."""
    bound = spec.bound_of(key)
    if bound is None:
        return vi(f"prompt-{key}"), vi("prompt-whole")
    return vi(f"prompt-{key}"), vi("prompt-bound", whole=spec.by_key[bound].name, number=spec.number(bound))


@dataclass(frozen=True)
class FormWords:
    """What differs between two units' forms of one layout: texts as their cells and properties hold them."""

    authority: str  # over the unit, top left
    issuer: str  # the unit, in capitals
    date_line: str  # the place and the year
    unit_line: str  # the unit's name and code over the table
    names: tuple[str, ...]  # the table's rows: the unit, then its sub-units
    code: str  # in the hidden sheet
    subject: str  # the file's Subject property

    def texts(self) -> tuple[str, ...]:
        return (self.authority, self.issuer, self.date_line, self.unit_line, *self.names, self.code, self.subject)

    @classmethod
    def marked(cls, rows: int) -> FormWords:
        """The words of a stencil of ``rows`` rows: each slot's mark (xlsx/stencil.py)."""
        authority, issuer, date_line, unit_line, *names, code, subject = (mark(slot) for slot in range(rows + 6))
        return cls(authority, issuer, date_line, unit_line, tuple(names), code, subject)


def form_words(campaign: Campaign, registry: Registry, unit: Unit, rnd: Round, layout: form.FormLayout) -> FormWords:
    head = registry.letterhead(unit, campaign.authority, campaign.place)
    return FormWords(
        authority=for_document(head.governing or campaign.authority),
        issuer=for_document(head.name.upper()),
        date_line=for_document(vi("form-date-line", place=head.place, year=rnd.due.year)),
        unit_line=for_document(vi("form-unit-line", name=unit.name, code=unit.code)),
        names=tuple(row.unit.name for row in layout.rows),
        code=unit.code,
        subject=unit.name,
    )


def _header(ws: Worksheet, fmts: Formats, campaign: Campaign, words: FormWords, rnd: Round) -> None:
    last = form.last_letter(campaign.declared)
    official_header(
        ws,
        fmts,
        campaign,
        issuer=words.issuer,
        authority=words.authority,
        left="C" if len(form.columns(campaign.declared)) >= 7 else "B",
        right="D" if len(form.columns(campaign.declared)) >= 7 else "C",
        last=last,
        title=campaign.title(rnd),
        subtitle=campaign.form.subtitle,
        title_row=form.TITLE_ROW,
        date_line=words.date_line,
    )
    merged(ws, fmts, f"A{form.UNIT_LINE_ROW}:{last}{form.UNIT_LINE_ROW}", words.unit_line, bold=True)
    due = vi("form-due-line" if rnd.cutoff is None else "form-due-line-cutoff", due=format_date(rnd.due),
             as_of=format_date(rnd.as_of), office=campaign.receiving_office)
    merged(ws, fmts, f"A{form.DUE_ROW}:{last}{form.DUE_ROW}", due, italic=True)


def _validate(ws: Worksheet, spec: FormSpec, column: form.Column, rows: list[int]) -> None:
    """Whole numbers from 0, at most the column they are part of (a relative reference, as typed in Excel)."""
    if not rows:
        return
    title, message = _prompt(spec, column.key)
    bound = spec.bound_of(column.key)
    rule = {"validate": "integer", "criteria": ">=", "value": 0}
    if bound is not None:
        letter = form.by_key(spec)[bound].letter
        rule = {"validate": "integer", "criteria": "between", "minimum": 0, "maximum": f"={letter}{rows[0]}"}
    for start, end in _runs(rows):
        ws.data_validation(
            f"{column.letter}{start}:{column.letter}{end}",
            rule
            | {
                "ignore_blank": True,
                "input_title": title,  # at most VALIDATION_TITLE_LIMIT letters: never cut inside a word
                "input_message": message,
                "error_title": "Số liệu không hợp lệ",
                "error_message": message,
                "error_type": "stop",
            },
        )


def _runs(rows: list[int]) -> Iterator[tuple[int, int]]:
    """Consecutive row numbers as (first, last) pairs."""
    start = prev = rows[0]
    for row in rows[1:]:
        if row != prev + 1:
            yield start, prev
            start = row
        prev = row
    yield start, prev


def _body(ws: Worksheet, fmts: Formats, layout: form.FormLayout, names: tuple[str, ...], spec: FormSpec) -> None:
    """A row per unit: its number and name locked, its count cells yellow and open, or grey when not its own."""
    number, name = fmts.get(border=True, align="center"), fmts.get(border=True)
    count = {
        True: fmts.get(border=True, align="right", wrap=False, num_format=COUNT_FORMAT, fill=INPUT_COLOR, locked=False),
        False: fmts.get(border=True, align="right", wrap=False, num_format=COUNT_FORMAT, fill=DISABLED_COLOR),
    }
    counts = form.count_columns(spec)
    inputs = {row.unit.code: form.inputs(row.unit, spec) for row in layout.rows}
    for index, (row, row_name) in enumerate(zip(layout.rows, names, strict=True), start=1):
        r = row.row - 1
        ws.write_number(r, 0, index, number)
        ws.write_string(r, 1, row_name, name)
        for col, column in enumerate(counts, start=form.FIRST_COUNT):
            ws.write_blank(r, col, None, count[column in inputs[row.unit.code]])
    for column in counts:
        _validate(ws, spec, column, [row.row for row in layout.rows if column in inputs[row.unit.code]])
    if layout.total_row is not None:
        _total(ws, fmts, layout, layout.total_row - 1, spec)


def _total(ws: Worksheet, fmts: Formats, layout: form.FormLayout, r: int, spec: FormSpec) -> None:
    """Tổng cộng on 0-based row ``r``: a SUM of the rows above, stored with its value (0 on a blank form);
    grey under a column no unit of the form fills."""
    first, last = layout.rows[0].row, layout.rows[-1].row
    label = fmts.get(bold=True, border=True, fill=TOTAL_COLOR, align="center")
    ws.write_blank(r, 0, None, label)
    ws.write_string(r, 1, form.TOTAL_LABEL, label)
    filled = {column.key for row in layout.rows for column in form.inputs(row.unit, spec)}
    total = fmts.get(bold=True, border=True, fill=TOTAL_COLOR, align="right", wrap=False, num_format=COUNT_FORMAT)
    disabled = fmts.get(bold=True, border=True, fill=DISABLED_COLOR, align="right", wrap=False)
    for col, column in enumerate(form.count_columns(spec), start=form.FIRST_COUNT):
        if column.key not in filled:
            ws.write_blank(r, col, None, disabled)
        else:
            ws.write_formula(r, col, f"=SUM({column.letter}{first}:{column.letter}{last})", total, 0)


def _footer(ws: Worksheet, fmts: Formats, layout: form.FormLayout, campaign: Campaign, rnd: Round) -> None:
    """The date, preparer and phone lines; the two signatures, the preparer's left, the head's right."""
    width = len(form.columns(campaign.declared))
    last = form.last_letter(campaign.declared)
    label = fmts.get(bold=True, align="right")
    value_end = form.column_letter(min(4, width - 1))
    for row, text, number_format in (
        (layout.report_date_row, form.REPORT_DATE_LABEL, DATE_FORMAT),
        (layout.preparer_row, form.PREPARER_LABEL, TEXT_FORMAT),
        (layout.phone_row, form.PHONE_LABEL, TEXT_FORMAT),
    ):
        ws.write_string(row - 1, 1, text, label)
        value = fmts.get(fill=INPUT_COLOR, num_format=number_format, locked=False)
        ws.merge_range(f"{form.FOOTER_VALUE_COLUMN}{row}:{value_end}{row}", "", value)
    _date_validation(ws, f"{form.FOOTER_VALUE_COLUMN}{layout.report_date_row}", campaign, rnd)
    sig = layout.signature_row
    preparer_end = "C" if width >= 7 else "B"
    head_start = form.column_letter(max(width - 3, 2))
    merged(ws, fmts, f"A{sig}:{preparer_end}{sig}", campaign.form.preparer_title, bold=True)
    merged(ws, fmts, f"A{sig + 1}:{preparer_end}{sig + 1}", campaign.form.preparer_note, italic=True)
    merged(ws, fmts, f"{head_start}{sig}:{last}{sig}", campaign.form.head_title, bold=True)
    merged(ws, fmts, f"{head_start}{sig + 1}:{last}{sig + 1}", campaign.form.head_note, italic=True)
    row = layout.instruction_row
    instruction = campaign.form.instruction.format(office=campaign.receiving_office, due=format_date(rnd.due))
    merged(ws, fmts, f"A{row}:{last}{row}", instruction, size=11, italic=True, align="left", valign="top")
    ws.set_row(row - 1, 64)


def _date_validation(ws: Worksheet, address: str, campaign: Campaign, rnd: Round) -> None:
    """The report date is a real date: only a date of the campaign is accepted; the prompts show one of the
    round's.

    Typed 18/8/2024 in a Vietnamese-locale Excel or LibreOffice, it becomes a date; a program set to
    en-US reads 18/8/2024 as text, which the validation refuses, so the clerk types it again.
    """
    first, last = campaign.starts, campaign.rounds[-1].due + timedelta(days=LATEST_REPORT_DAYS)
    day = rnd.example_day
    example, example_us = format_date(day), f"{day.month}/{day.day}/{day.year}"
    ws.data_validation(
        address,
        {
            "validate": "date",
            "criteria": "between",
            "minimum": first,
            "maximum": last,
            "ignore_blank": True,
            "input_title": vi("form-date-prompt-title"),
            "input_message": vi("form-date-prompt", example=example),
            "error_title": vi("form-date-error-title"),
            "error_message": vi("form-date-error", example=example, example_us=example_us),
            "error_type": "stop",
        },
    )


def _page(ws: Worksheet, layout: form.FormLayout, spec: FormSpec) -> None:
    """A4 landscape one page wide, the header repeated; protected without a password, columns resizable."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.repeat_rows(form.HEADER_ROW - 1, form.NUMBER_ROW - 1)
    ws.print_area(f"A1:{form.last_letter(spec)}{layout.instruction_row}")
    ws.freeze_panes(form.FIRST_DATA_ROW - 1, 0)
    ws.set_zoom(90)
    ws.protect("", {"format_columns": True, "format_rows": True})


def _metadata(book: xlsxwriter.Workbook, campaign: Campaign, code: str, rnd: Round) -> None:
    write_metadata(book, {"campaign_id": campaign.id, "unit_code": code, "round": rnd.number,
                          "form_version": campaign.declared.version, "kind": KIND_FORM})


def _render(target: str | BinaryIO, campaign: Campaign, layout: form.FormLayout, rnd: Round, words: FormWords,
            created: datetime) -> None:
    book = xlsxwriter.Workbook(target, BOOK_OPTIONS)
    fmts = Formats(book)
    ws = book.add_worksheet(form.SHEET_NAME)
    _header(ws, fmts, campaign, words, rnd)
    table_header(ws, fmts, header_columns(campaign.declared), form.HEADER_ROW, (30, 62))
    _body(ws, fmts, layout, words.names, campaign.declared)
    _footer(ws, fmts, layout, campaign, rnd)
    _page(ws, layout, campaign.declared)
    _metadata(book, campaign, words.code, rnd)
    book.set_properties({"title": campaign.title(rnd), "subject": words.subject, "author": campaign.receiving_office,
                         "created": created})
    book.close()


def write_form(path: Path, campaign: Campaign, registry: Registry, unit: Unit, rnd: Round,
               created: datetime | None = None) -> Path:
    """The blank form of ``unit`` for round ``rnd`` at ``path`` (written whole, through a temporary name);
    ``created``: the moment its properties give (now)."""
    layout = form.layout_for(unit, registry)
    with atomic_path(path) as tmp:
        _render(str(tmp), campaign, layout, rnd, form_words(campaign, registry, unit, rnd, layout),
                created or datetime.now(UTC))
    return path


class FormStamper:
    """A round's forms, each stamped from its layout's stencil (xlsx/stencil.py): the same bytes as write_form
    gives, in a tenth of its time. A form whose words the stencil does not take is written by write_form."""

    def __init__(self, campaign: Campaign, registry: Registry, rnd: Round, created: datetime) -> None:
        self.campaign, self.registry, self.rnd, self.created = campaign, registry, rnd, created
        self._stencils: dict[tuple[tuple[str, ...], ...], Stencil | None] = {}
        self.stamped = 0  # how many forms were stamped, not rendered

    def write(self, path: Path, unit: Unit) -> Path:
        layout = form.layout_for(unit, self.registry)
        words = form_words(self.campaign, self.registry, unit, self.rnd, layout)
        # The layout's shape: what each row fills. Every other difference between two forms is in their words.
        shape = tuple(tuple(column.key for column in form.inputs(row.unit, self.campaign.declared))
                      for row in layout.rows)
        if shape not in self._stencils:
            self._stencils[shape] = self._stencil(layout)
        stencil = self._stencils[shape]
        # official_header capitalises the issuer again: a text capitals change (never seen) is rendered.
        data = stencil.stamp(words.texts()) if stencil and words.issuer.upper() == words.issuer else None
        with atomic_path(path) as tmp:
            if data is None:
                _render(str(tmp), self.campaign, layout, self.rnd, words, self.created)
            else:
                tmp.write_bytes(data)
                self.stamped += 1
        return path

    def _stencil(self, layout: form.FormLayout) -> Stencil | None:
        marks = FormWords.marked(len(layout.rows))
        package = io.BytesIO()
        _render(package, self.campaign, layout, self.rnd, marks, self.created)
        return Stencil.of(package.getvalue(), len(marks.texts()))


@dataclass(frozen=True)
class TemplateResult:
    written: tuple[Path, ...]
    kept: tuple[Path, ...]


# Below this many forms, starting worker processes costs more than it saves.
PARALLEL_FROM = 40


def _write_job(job: Job, stamper: FormStamper) -> Path | Failure:
    unit = stamper.registry.get(job.payload)
    assert unit is not None
    try:
        return stamper.write(job.path, unit)
    except OutputError as error:  # a full disk, a folder that went away: the output's failure, said as such
        return Failure("output-failed", error.message)


def _done(job: Job, result: Path | Failure) -> Path:
    return _failed(job, result.code, result.detail) if isinstance(result, Failure) else result


def _failed(job: Job, code: str, detail: str) -> Path:
    """A form that could not be written stops the run: said, never skipped quietly; a disk's fault is exit 3,
    anything else a failure of the tool."""
    if code == "output-failed":
        raise OutputError(detail, t("output-failed-hint"))
    raise RuntimeError(f"{job.path.name}: {code} {detail.strip().splitlines()[-1] if detail.strip() else ''}")


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

    Many forms are written by the sandbox's workers; the files are the same, and so is the order.
    """
    kept: list[Path] = []
    todo: list[tuple[str, str]] = []  # (file name, unit code)
    for unit in units:
        name = form.form_file_name(unit, rnd, campaign.short_name)
        if (out_dir / name).exists() and not force:
            kept.append(out_dir / name)
            if progress is not None:
                progress()
        else:
            todo.append((name, unit.code))
    work = functools.partial(_write_job, stamper=FormStamper(campaign, registry, rnd, datetime.now(UTC)))
    workers = workers or default_workers()
    written: list[Path] = []
    # The forms are made in a folder of their own beside out_dir, and join it together: a run stopped half-way
    # (Ctrl-C, SIGTERM, a full disk) leaves out_dir as it was, and no temporary file in it.
    with bundle(out_dir, [name for name, _ in todo], force=force) as staging:
        jobs = [Job(i, staging / name, None, code) for i, (name, code) in enumerate(todo)]
        if workers < 2 or len(jobs) < PARALLEL_FROM:
            results: Iterable[Path] = (_done(job, work(job)) for job in jobs)
        else:
            results = run_all(jobs, work, _failed, workers=workers)
        for path in results:
            written.append(out_dir / path.name)
            if progress is not None:
                progress()
    return TemplateResult(tuple(written), tuple(kept))
