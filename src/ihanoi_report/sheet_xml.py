"""What a spreadsheet program shows that python-calamine does not say: which rows and columns of a sheet are
hidden (hidden by hand, filtered out by an AutoFilter, or folded in a collapsed group).

The figures in such a row are in the file and are read like any other; the clerk who looks at the sheet
does not see them, so the reader names them (DESIGN §4, "What the clerk sees is what counts"). Read from
the sheet's XML in an .xlsx/.xlsm and from content.xml in an .ods; for an .xls (BIFF) nothing is said:
a limit written in docs/robustness.md.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass

ZIP_MAGIC = b"PK\x03\x04"
MAX_PART_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Hidden:
    rows: frozenset[int] = frozenset()  # sheet rows, 1-based
    columns: frozenset[int] = frozenset()  # column indexes, 0-based


NOTHING_HIDDEN = Hidden()

_XLSX_SHEET = re.compile(rb'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_XLSX_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_XLSX_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_XLSX_ROW = re.compile(
    rb'<row\b[^>]*?\br="(\d+)"[^>]*?\bhidden="(?:1|true)"|<row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="(\d+)"'
)
_XLSX_COL = re.compile(rb"<col\b[^>]*>")
_ATTRIBUTE = re.compile(rb'\b(min|max|hidden)="([^"]*)"')


def hidden_cells(data: bytes, sheet: str) -> Hidden:
    """The hidden rows and columns of ``sheet`` in a zip-based workbook; nothing for anything else."""
    if not data.startswith(ZIP_MAGIC):
        return NOTHING_HIDDEN
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return _xlsx(archive, sheet)
            if "content.xml" in names:
                return _ods(archive, sheet)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError):
        pass  # the reader already said what is wrong with such a file
    return NOTHING_HIDDEN


def _part(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    return archive.read(info) if info.file_size <= MAX_PART_BYTES else b""


def _xlsx(archive: zipfile.ZipFile, sheet: str) -> Hidden:
    workbook = _part(archive, "xl/workbook.xml")
    rel_id = next((rid for name, rid in _XLSX_SHEET.findall(workbook) if html.unescape(name.decode()) == sheet), None)
    if rel_id is None:
        return NOTHING_HIDDEN
    rels = dict(_XLSX_REL.findall(_part(archive, "xl/_rels/workbook.xml.rels")))
    target = rels.get(rel_id, b"").decode()
    if not target:
        return NOTHING_HIDDEN
    xml = _part(archive, target.lstrip("/") if target.startswith("/") else f"xl/{target}")
    if not _XLSX_HIDDEN.search(xml):  # most sheets: nothing hidden, one scan
        return NOTHING_HIDDEN
    rows = frozenset(int(a or b) for a, b in _XLSX_ROW.findall(xml))
    columns: set[int] = set()
    for tag in _XLSX_COL.findall(xml):
        attrs = dict(_ATTRIBUTE.findall(tag))
        if attrs.get(b"hidden") in (b"1", b"true") and attrs.get(b"min", b"").isdigit():
            low, high = int(attrs[b"min"]), int(attrs.get(b"max", attrs[b"min"]))
            columns.update(range(low - 1, min(high, 16384)))
    return Hidden(rows, frozenset(columns))


_ODS_TABLE = re.compile(rb'<table:table\b[^>]*?\btable:name="([^"]*)"[^>]*>')
_ODS_ITEM = re.compile(rb"<table:(table-row|table-column)(?=[\s/>])([^>]*?)(/?)>|</table:table>")
_ODS_REPEAT = {b"table-row": re.compile(rb'table:number-rows-repeated="(\d+)"'),
               b"table-column": re.compile(rb'table:number-columns-repeated="(\d+)"')}
_ODS_HIDDEN = re.compile(rb'table:visibility="(?:collapse|filter)"')
_ODS_LIMIT = 100_000  # rows or columns counted at most: a repeated empty row can stand for a million


def _ods(archive: zipfile.ZipFile, sheet: str) -> Hidden:
    content = _part(archive, "content.xml")
    if not _ODS_HIDDEN.search(content):
        return NOTHING_HIDDEN
    start = next((m.end() for m in _ODS_TABLE.finditer(content) if html.unescape(m.group(1).decode()) == sheet), None)
    if start is None:
        return NOTHING_HIDDEN
    rows: set[int] = set()
    columns: set[int] = set()
    counted = {b"table-row": 0, b"table-column": 0}
    for item in _ODS_ITEM.finditer(content, start):
        if item.group(1) is None:  # </table:table>: the end of this sheet
            break
        kind, attrs = item.group(1), item.group(2)
        repeat = _ODS_REPEAT[kind].search(attrs)
        count = min(int(repeat.group(1)) if repeat else 1, _ODS_LIMIT)
        if _ODS_HIDDEN.search(attrs):
            first = counted[kind]
            (rows if kind == b"table-row" else columns).update(range(first, first + count))
        counted[kind] += count
        if counted[kind] > _ODS_LIMIT:
            break
    return Hidden(frozenset(r + 1 for r in rows), frozenset(columns))
