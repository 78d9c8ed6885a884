"""The drafted round report as a .docx in the layout of Nghị định 30/2020/NĐ-CP: the issuing body top left,
the national name and motto top right, the number and the place-and-date line, the title, the body in
Times New Roman 14, the recipients and the signature. Every word comes from campaign.toml [summary]."""

from __future__ import annotations

import re
from collections.abc import Sequence
from copy import deepcopy
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from ihanoi_report.config import Campaign
from ihanoi_report.files import atomic_path, check_writable
from ihanoi_report.messages import vi
from ihanoi_report.model import number_text
from ihanoi_report.safe_text import for_document
from ihanoi_report.summary import Part, RoundFacts, TargetFacts, change_points, fraction, num, paragraphs, pct

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12

GROUPS_TABLE_CM = 16.7  # the groups table: the name 4.6 cm, the reports 1.9, each share the rest in two


def _font(run: Run, size: float, *, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic


def _line(container: _Cell | DocxDocument, text: str, size: float = 13, *, bold: bool = False, italic: bool = False,
          align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER, after: float = 0) -> Paragraph:
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.space_before = Pt(0)
    _font(paragraph.add_run(for_document(text)), size, bold=bold, italic=italic)
    return paragraph


def _rule(container: _Cell | DocxDocument, indent_cm: float) -> None:
    """A short solid line, as under the issuing body, the motto and the title: the bottom border of an empty
    paragraph, made short by its indents."""
    paragraph = _line(container, "", 2)
    paragraph.paragraph_format.left_indent = Cm(indent_cm)
    paragraph.paragraph_format.right_indent = Cm(indent_cm)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _widths(table: Table, widths: Sequence[float]) -> None:
    """Fixed column widths (cm), which Word and LibreOffice both keep: on the grid and on every cell."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def _no_cell_margins(table: Table) -> None:
    """No padding left and right in the cells: the header's long lines need the whole width."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), "0")
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    table._tbl.tblPr.append(margins)


def _header(document: DocxDocument, campaign: Campaign, facts: RoundFacts) -> None:
    words = campaign.summary
    assert words is not None
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER  # 17 cm: half a centimetre into each margin, as is usual
    _no_cell_margins(table)
    _widths(table, (7.4, 9.6))
    left, right = table.rows[0].cells
    for cell in (left, right):
        cell._tc.remove(cell.paragraphs[0]._p)  # start with our own paragraphs
    _line(left, campaign.authority.upper(), 12)
    _line(left, words("issuer"), 12, bold=True)
    _rule(left, 2.2)
    _line(left, words("number"), 13).paragraph_format.space_before = Pt(6)
    _line(right, campaign.form.national_name, 12, bold=True)
    _line(right, campaign.form.national_motto, 13, bold=True)
    _rule(right, 2.3)
    place_date = words("place_date", place=campaign.place, year=facts.round.due.year)
    _line(right, place_date, 14, italic=True).paragraph_format.space_before = Pt(6)


def _title(document: DocxDocument, campaign: Campaign, facts: RoundFacts) -> None:
    words = campaign.summary
    assert words is not None
    _line(document, words("title"), BODY_PT, bold=True).paragraph_format.space_before = Pt(18)
    _line(document, words("subject", round=facts.round.number), BODY_PT, bold=True)
    _rule(document, 6.5)
    if addressee := words("addressee").strip():  # Nghị định 30: whom "Như trên" in Nơi nhận stands for
        _line(document, vi("docx-addressee", addressee=addressee), BODY_PT).paragraph_format.space_before = Pt(6)
    _line(document, "", 6)


def _body_paragraph(document: DocxDocument, text: str, *, bold: bool = False) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Cm(1.0)
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(3), Pt(3), 1.15
    fmt.keep_with_next = bold  # a heading never ends a page alone
    _font(paragraph.add_run(for_document(text)), BODY_PT, bold=bold)


def _row_flags(table: Table) -> None:
    """A table that runs onto the next page repeats its header row there (Word's "repeat as header row",
    which LibreOffice keeps), no row is cut in two, and the header row (with the line that introduces the
    table) stays with the first row below it instead of ending a page alone."""
    for i, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if i == 0:
            properties.append(OxmlElement("w:tblHeader"))
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True


def _table(document: DocxDocument, headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
           bold_last: bool = False) -> None:
    """A table with a header row. The header and the first row are made by python-docx; every other row is a
    copy of the first with its texts replaced, which is the same XML: python-docx looks up each element's
    place among its siblings, and a city's four thousand rows took sixteen seconds that way."""
    if document.paragraphs:  # the line that introduces the table stays on the page of its header
        document.paragraphs[-1].paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    bold_row = len(rows) if bold_last else 0  # the body row in bold, counted from 1 (0: none)
    _fill(table.rows[0], headers, header=True, bold=True)
    if rows:
        _fill(table.add_row(), rows[0], header=False, bold=bold_row == 1)
    _widths(table, widths)
    _row_flags(table)
    if len(rows) > 1:
        first = table.rows[1]._tr
        for i, row in enumerate(rows[1:], start=2):
            copy = deepcopy(first)
            for run, value in zip(copy.iter(qn("w:r")), row, strict=True):
                run.text = _cell_text(value)
            table._tbl.append(copy)
            if i == bold_row:
                for run in copy.iter(qn("w:r")):
                    Run(run, table).font.bold = True
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def _fill(row: _Row, values: Sequence[str], *, header: bool, bold: bool) -> None:
    for j, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if j == (1 if len(values) == 5 else 0) and not header else (
            WD_ALIGN_PARAGRAPH.CENTER if header or j < 1 else WD_ALIGN_PARAGRAPH.RIGHT)
        _font(paragraph.add_run(_cell_text(value)), TABLE_PT, bold=bold)


# A fraction too wide for its column ("30.370.611/45.555.898" at a district of 10,000 units, a city's millions)
# breaks after its slash, never inside a number: Word and LibreOffice cut a word with no break anywhere.
_FRACTION_SLASH = re.compile(r"(?<=\d)/(?=\d)")


def _cell_text(value: str) -> str:
    return _FRACTION_SLASH.sub("/\u200b", for_document(value))  # a zero-width space: a place to break


def _groups_table(document: DocxDocument, campaign: Campaign, facts: RoundFacts) -> None:
    words = campaign.summary
    assert words is not None

    def shares(parts: Sequence[Part | None]) -> list[str]:
        return [text for part in parts for text in ((fraction(part), pct(part.share)) if part else ("-", "-"))]

    rows = [[g.label, f"{num(g.reported)}/{num(g.expected)}", *shares(g.parts)] for g in facts.groups]
    rows.append([words("total_row"), f"{num(sum(g.reported for g in facts.groups))}/"
                 f"{num(sum(g.expected for g in facts.groups))}", *shares(facts.total)])
    each = (GROUPS_TABLE_CM - 6.5) / max(1, len(facts.total))  # the name and the count of reports: 6.5 cm
    widths = (4.6, 1.9, *(width for _ in facts.total for width in (each - 1.7, 1.7)))
    _table(document, words.lists["group_table"], rows, widths, bold_last=True)


def _units_table(document: DocxDocument, campaign: Campaign, section: TargetFacts) -> None:
    words = campaign.summary
    assert words is not None
    rows = []
    for i, unit in enumerate(section.units, start=1):
        now, before = unit.part.share, unit.before
        delta = "-" if now is None or before is None else number_text(change_points(now, before), "+.1f", "vi")
        rows.append([str(i), unit.name, fraction(unit.part), pct(now), delta])
    _table(document, words.lists["commune_table"], rows, (1.2, 6.0, 4.0, 2.2, 3.2))


def _signature(document: DocxDocument, campaign: Campaign) -> None:
    words = campaign.summary
    assert words is not None
    _line(document, "", 6)
    table = document.add_table(rows=1, cols=2)
    _widths(table, (8.0, 8.0))
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # the signature block on one page
    left, right = table.rows[0].cells
    for cell in (left, right):
        cell._tc.remove(cell.paragraphs[0]._p)
    _line(left, words("recipients_title"), 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for item in words.lists["recipients"]:
        _line(left, f"- {item}", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(right, words("signer_title"), BODY_PT, bold=True)
    for _ in range(4):
        _line(right, "", BODY_PT)
    _line(right, words("signer_name"), BODY_PT, bold=True)


def _page_numbers(document: DocxDocument) -> None:
    """Nghị định 30: the page number from page 2 on, centred in the top margin; none on the first page."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.header_distance = Cm(1.0)
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    _font(run, 13)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind is not None:
            mark = OxmlElement("w:fldChar")
            mark.set(qn("w:fldCharType"), kind)
            run._r.append(mark)
        else:
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)


def write_report(path: Path, facts: RoundFacts, campaign: Campaign, *, force: bool) -> Path:
    """The round report at ``path``, written whole or not at all."""
    check_writable(path, force)
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.left_margin, section.right_margin = Cm(3.0), Cm(2.0)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    _header(document, campaign, facts)
    _title(document, campaign, facts)
    for kind, text in paragraphs(facts, campaign):
        if kind == "groups":
            _groups_table(document, campaign, facts)
        elif kind == "units":
            _units_table(document, campaign, facts.target(text))
        else:
            _body_paragraph(document, text, bold=kind == "heading")
    _signature(document, campaign)
    _page_numbers(document)
    words = campaign.summary
    assert words is not None
    document.core_properties.title = words("subject", round=facts.round.number)
    document.core_properties.author = campaign.receiving_office
    with atomic_path(path) as tmp:
        document.save(str(tmp))
    return path
