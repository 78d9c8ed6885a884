"""The emulation ranking workbook for the Home Affairs Office: one sheet per group, one for the district, one
that states the criteria; every point a value, so that a head of unit can check it against the criteria."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from ihanoi_report import form
from ihanoi_report.config import INPUT_KINDS, Campaign, Criterion, Group, format_date
from ihanoi_report.files import atomic_path, check_writable
from ihanoi_report.form import column_letter as letter
from ihanoi_report.messages import vi
from ihanoi_report.model import KIND_RANKING, number_text
from ihanoi_report.ranking import RankedUnit, Ranking, figures_text
from ihanoi_report.xlsx.document import (
    HeaderColumn,
    list_table,
    official_header,
    print_setup,
    signatures,
    table_header,
    write_metadata,
)
from ihanoi_report.xlsx.sheet_rows import Workbook
from ihanoi_report.xlsx.styles import (
    BOOK_OPTIONS,
    ERROR_COLOR,
    LINE_HEIGHT,
    MET_COLOR,
    WARNING_COLOR,
    Formats,
    merged,
    write,
)

HEADER_ROW = 8
POINTS_FORMAT = "0.00"


SHEET_NAME_LIMIT = 31  # Excel's; it compares sheet names ignoring case


def sheet_name(label: str, used: set[str]) -> str:
    """A sheet name Excel accepts, unique ignoring case, cut at a word and starting with a capital.

    ``used`` holds the casefolded names already taken; the new one is added to it.
    """
    text = " ".join(re.sub(r"[\[\]:*?/\\]", "-", label.removeprefix("Các ")).split()).strip("'").strip()
    name = _cut_at_word(text[:1].upper() + text[1:], SHEET_NAME_LIMIT) or "-"
    base, n = name, 2
    while name.casefold() in used or name.casefold() == "history":  # Excel reserves "History"
        suffix = f" {n}"
        name = _cut_at_word(base, SHEET_NAME_LIMIT - len(suffix)) + suffix
        n += 1
    used.add(name.casefold())
    return name


def _cut_at_word(text: str, limit: int) -> str:
    """At most ``limit`` UTF-16 units (Excel counts a letter beyond the BMP as two), cut after a whole word."""
    fits = text
    while len(fits.encode("utf-16-le")) > 2 * limit:
        fits = fits[:-1]
    if fits == text:
        return text
    whole = fits.rsplit(" ", 1)[0] if " " in fits and text[len(fits)] != " " else fits
    return whole.rstrip(" -,'") or fits


def _columns(ranking: Ranking, *, district: bool) -> list[HeaderColumn]:
    points = vi("rank-col-points")
    columns = [HeaderColumn(vi("rank-col-rank"), "", 7), HeaderColumn(vi("book-col-code"), "", 14),
               HeaderColumn(vi("book-col-name"), "", 38)]
    if district:
        columns.append(HeaderColumn(vi("book-col-group"), "", 28))
    columns += [HeaderColumn(points, c.label, 13) for c in ranking.criteria]
    columns += [HeaderColumn(vi("rank-col-figures"), c.label, 14) for c in ranking.input_criteria()]
    return [*columns, HeaderColumn(vi("rank-col-total"), "", 10), HeaderColumn(vi("rank-col-days-early"), "", 12),
            HeaderColumn(vi("rank-col-proposal"), "", 42)]


def _figures_text(criterion: Criterion, ranked: RankedUnit, ranking: Ranking) -> str:
    if not criterion.applies_to(ranked.unit.group):
        return ""
    return figures_text(ranking.figures(criterion, ranked.unit))


def _fill(proposal: str, campaign: Campaign) -> str | None:
    rules = campaign.ranking
    assert rules is not None
    if proposal == rules("commend"):
        return MET_COLOR
    if proposal.startswith(rules("criticize", reasons="").rstrip()):
        return ERROR_COLOR
    return WARNING_COLOR if proposal else None


def _table(ws: Worksheet, fmts: Formats, ranking: Ranking, campaign: Campaign, units: Sequence[RankedUnit],
           groups: dict[str, str] | None) -> None:
    """The ranked rows under the header; ``groups`` (code -> label): the district sheet's group column."""
    columns = _columns(ranking, district=groups is not None)
    table_header(ws, fmts, columns, HEADER_ROW, (30, 60))
    text, first, code = fmts.cell("text"), fmts.cell("text", first=True), fmts.cell("line")
    number = fmts.get(size=12, border=True, align="right", wrap=False, num_format=POINTS_FORMAT)
    days = fmts.get(size=12, border=True, align="right", wrap=False, num_format="0")
    for r, ranked in enumerate(units, start=HEADER_ROW + 2):
        values: list[object] = [ranked.rank, ranked.unit.code, ranked.unit.name]
        if groups is not None:
            values.append(groups[ranked.unit.group])
        # a criterion that does not apply to the unit's group, or whose input was not read, is blank, not 0
        values += [p if ranking.shown(c, ranked.unit.group) else ""
                   for c, p in zip(ranking.criteria, ranked.points, strict=True)]  # fmt: skip
        values += [_figures_text(c, ranked, ranking) for c in ranking.input_criteria()]
        values += [ranked.total, ranked.unit.days_early, ranked.proposal]
        for col, value in enumerate(values):
            fmt = first if col == 0 else code if col == 1 else number if isinstance(value, float) else text
            fmt = days if isinstance(value, int) and col > 0 else fmt
            if col == len(values) - 1 and (fill := _fill(ranked.proposal, campaign)):
                fmt = fmts.cell("text", fill=fill)
            write(ws, r, col, value, fmt)
        lines = max(math.ceil(len(str(v)) / (c.width - 1)) for v, c in zip(values, columns, strict=True)
                    if isinstance(v, str))
        if lines > 1:  # LibreOffice keeps an .xlsx row's default height: wrapped text needs its lines' height
            ws.set_row(r, LINE_HEIGHT * lines + 2)
    ws.freeze_panes(HEADER_ROW + 1, 3)
    last = letter(len(columns) - 1)
    ws.autofilter(f"A{HEADER_ROW + 1}:{last}{HEADER_ROW + 1 + len(units)}")
    print_setup(ws, (HEADER_ROW - 1, HEADER_ROW + 1))


def _notes(ws: Worksheet, fmts: Formats, ranking: Ranking, campaign: Campaign, row: int,
           columns: Sequence[HeaderColumn], elsewhere: Sequence[str]) -> int:
    """Under the table (1-based ``row``): how ties are broken, what a blank means, where the units collected
    by a sub-collector are ranked. Returns the row after them."""
    rules = campaign.ranking
    assert rules is not None
    label_of = {c.key: c.label for c in ranking.criteria}
    notes = [vi("rank-note-ties", criteria=", ".join(label_of[k] for k in rules.tie_break if k in label_of),
                days=vi("rank-col-days-early")),
             vi("rank-note-blank")]
    notes += [vi("rank-note-elsewhere", collector=name) for name in elsewhere]
    last, width = letter(len(columns) - 1), sum(c.width for c in columns)
    for note in notes:
        merged(ws, fmts, f"A{row}:{last}{row}", note, italic=True, align="left")
        ws.set_row(row - 1, LINE_HEIGHT * max(1, math.ceil(len(note) / (0.9 * width))) + 2)  # ~0.9 letters a unit
        row += 1
    return row


def _sheet(book: xlsxwriter.Workbook, fmts: Formats, name: str, ranking: Ranking, campaign: Campaign,
           units: Sequence[RankedUnit], groups: dict[str, str] | None, heading: str,
           elsewhere: Sequence[str] = ()) -> None:
    rules = campaign.ranking
    assert rules is not None
    ws = book.add_worksheet(name)
    columns = _columns(ranking, district=groups is not None)
    width = len(columns)
    last = letter(width - 1)
    rnd = ranking.as_of
    official_header(ws, fmts, campaign, issuer=campaign.receiving_office, right="E", last=last,
                    title=rules("title", round=rnd.number), title_row=5,
                    subtitle=vi("rank-subtitle", group=heading, round=rnd.number, due=format_date(rnd.due)))
    _table(ws, fmts, ranking, campaign, units, groups)
    row = _notes(ws, fmts, ranking, campaign, HEADER_ROW + 3 + len(units), columns, elsewhere)
    signatures(ws, fmts, campaign, row + 1, left="C", right=letter(width - 3), last=last, year=rnd.due.year)


def add_district_sheet(book: xlsxwriter.Workbook, fmts: Formats, ranking: Ranking, campaign: Campaign,
                       groups: Sequence[Group], name: str, elsewhere: Sequence[str] = ()) -> None:
    """Every unit, group after group (as in the consolidated workbook of the campaign's last round);
    ``elsewhere``: the sub-collectors whose units are ranked in their own workspaces."""
    labels = {g.code: g.label for g in groups}
    units = [unit for _, ranked in ranking.groups for unit in ranked]
    _sheet(book, fmts, name, ranking, campaign, units, labels, campaign.district, elsewhere)


def _criteria_rows(ranking: Ranking, campaign: Campaign, labels: dict[str, str]) -> list[list[object]]:
    rows: list[list[object]] = []
    for i, (criterion, judged) in enumerate(zip(ranking.criteria, ranking.judged, strict=True), start=1):
        groups = ", ".join(labels.get(g, g) for g in criterion.groups) or vi("rank-all-groups")
        rows.append([i, criterion.label, describe(criterion, campaign), groups,
                     "" if judged else vi("rank-not-judged")])
    return rows


def _inputs_sheet(book: xlsxwriter.Workbook, fmts: Formats, ranking: Ranking, campaign: Campaign, name: str) -> None:
    """Each declared input: the file read (its SHA-256, first 12 digits), its period, the units it gave, and every
    row that was not used; an input not read says so."""
    assert campaign.ranking is not None
    read = {table.definition.key: table for table in ranking.inputs}
    ranked = [u.unit for _, units in ranking.groups for u in units]
    headers = [(vi(f"rank-inputs-col-{k}"), w) for k, w in (("input", 30), ("file", 30), ("sha", 16),
                                                             ("period", 24), ("units", 12), ("row", 8),
                                                             ("text", 36), ("reason", 30))]  # fmt: skip
    rows: list[list[object]] = []
    for definition in campaign.ranking.inputs:
        period = f"{format_date(definition.starts)} - {format_date(definition.ends)}"
        table = read.get(definition.key)
        if table is None:
            rows.append([definition.label, definition.file, "", period, "", "", vi("rank-inputs-not-read"), ""])
            continue
        rows.append([definition.label, table.file, table.sha256[:12], period, len(table.values), "", "", ""])
        rows += [["", "", "", "", "", u.row, u.text, vi(f"input-reason-{u.reason}")] for u in table.unmatched]
        rows += [["", "", "", "", "", "", unit.name, vi("rank-inputs-no-row")] for unit in ranked
                 if unit.code not in table.values]  # fmt: skip
    ws = book.add_worksheet(name)
    list_table(ws, fmts, vi("rank-inputs-title"), headers, rows)
    ws.set_row(2, 32)  # the header's two lines


def describe(criterion: Criterion, campaign: Campaign) -> str:
    """How a criterion gives its points, in words (the criteria sheet, the README)."""
    rounds = ", ".join(map(str, criterion.rounds)) or vi("rank-every-round")
    target = campaign.targets.get(criterion.target)
    if criterion.kind in INPUT_KINDS:
        steps = "; ".join(vi("rank-threshold", ratio=number_text(100 * least, "g", "vi"), points=_pts(points))
                          for least, points in criterion.thresholds)
        steps = steps or vi("rank-prorata", points=_pts(criterion.points))
        assert campaign.ranking is not None
        source = campaign.ranking.input_of(criterion)
        return vi(f"rank-kind-{criterion.kind}", scale=steps, missing=_pts(criterion.missing_points),
                  file=source.file, days=_pts(criterion.per_days),
                  period=f"{format_date(source.starts)} - {format_date(source.ends)}")
    share = campaign.declared.share_by_key.get(criterion.measure)
    measure = share.label[:1].lower() + share.label[1:] if share else "-"
    return vi(f"rank-kind-{criterion.kind}", points=_pts(criterion.points), late=_pts(criterion.late_points),
              penalty=_pts(criterion.penalty), rounds=rounds, measure=measure,
              target=target.label if target else "", deadline=format_date(target.deadline) if target else "")


def _pts(value: float) -> str:
    return number_text(value, "g", "vi")


def write_ranking(path: Path, ranking: Ranking, campaign: Campaign, groups: Sequence[Group], *, force: bool,
                  elsewhere: Sequence[str] = ()) -> Path:
    """The ranking workbook at ``path``, written whole or not at all; ``elsewhere``: the sub-collectors whose
    units (the schools) are ranked in their own workspaces, named on every sheet."""
    check_writable(path, force)
    labels = {g.code: g.label for g in groups}
    with atomic_path(path) as tmp:
        book = Workbook(str(tmp), BOOK_OPTIONS)
        fmts = Formats(book)
        used: set[str] = {form.META_SHEET.casefold()}
        add_district_sheet(book, fmts, ranking, campaign, groups, sheet_name(campaign.district, used), elsewhere)
        for code, units in ranking.groups:
            _sheet(book, fmts, sheet_name(labels[code], used), ranking, campaign, units, None, labels[code],
                   elsewhere)
        headers = [(vi(f"rank-criteria-col-{k}"), w) for k, w in (("n", 6), ("name", 34), ("how", 70),
                                                                    ("groups", 30), ("note", 28))]
        rows = _criteria_rows(ranking, campaign, labels)
        label_of = {c.key: c.label for c in ranking.criteria}  # in the order the ties are broken, not defined
        tie_break = campaign.ranking.tie_break if campaign.ranking else ()
        rows.append(["", vi("rank-tie-title"), vi("rank-tie-rule", criteria=", ".join(
            label_of[key] for key in tie_break if key in label_of)), "", ""])
        list_table(book.add_worksheet(sheet_name(vi("rank-criteria-sheet"), used)), fmts,
                   vi("rank-criteria-title"), headers, rows)
        if campaign.ranking is not None and campaign.ranking.inputs:
            _inputs_sheet(book, fmts, ranking, campaign, sheet_name(vi("rank-inputs-sheet"), used))
        write_metadata(book, {"kind": KIND_RANKING, "campaign_id": campaign.id})  # never read as a return
        book.set_properties({"title": campaign.ranking("title", round=ranking.as_of.number) if campaign.ranking
                             else "", "author": campaign.receiving_office})
        book.close()
    return path
