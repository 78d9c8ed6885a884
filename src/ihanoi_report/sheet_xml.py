"""What a spreadsheet program shows that python-calamine does not say: which rows and columns of a sheet are
hidden (hidden by hand, filtered out by an AutoFilter, or folded in a collapsed group).

The figures in such a row are in the file and are read like any other; the clerk who looks at the sheet
does not see them, so the reader names them (DESIGN §4, "What the clerk sees is what counts"). Read from
the sheet's XML in an .xlsx/.xlsm and from content.xml in an .ods; for an .xls (BIFF) nothing is said:
a limit written in docs/robustness.md.
"""

from __future__ import annotations

import html
import re
import struct
import zlib
from dataclasses import dataclass
from typing import NamedTuple

ZIP_MAGIC = b"PK\x03\x04"
MAX_PART_BYTES = 50 * 1024 * 1024  # uncompressed size of any one zip member


@dataclass(frozen=True)
class Hidden:
    rows: frozenset[int] = frozenset()  # sheet rows, 1-based
    columns: frozenset[int] = frozenset()  # column indexes, 0-based


NOTHING_HIDDEN = Hidden()


# --- the members of a zip, read straight from its central directory ---------------------------------------------

ZIP_END = struct.Struct("<4s4H2LH")
ZIP_ENTRY = struct.Struct("<4s6H3L5H2L")
ZIP_LOCAL = struct.Struct("<4s5H3L2H")


class ZipMember(NamedTuple):  # a tuple: made ten times for every file read
    name: str
    method: int  # 0 stored, 8 deflated
    packed: int
    unpacked: int
    offset: int  # of its local header


def zip_members(data: bytes) -> list[ZipMember] | None:
    """Every member of a zip, from its central directory: five times cheaper than zipfile for a form's ten
    members, and it runs on every returned file (the reader's container checks, the hidden rows). None for
    what it does not read (zip64, an archive with bytes before it); ValueError if the directory is damaged."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - ZIP_END.size - 0xFFFF))
    if end < 0:
        raise ValueError("no end of central directory")
    _, _, _, _, count, size, offset, _ = ZIP_END.unpack_from(data, end)
    if count == 0xFFFF or offset == 0xFFFFFFFF or offset + size != end:
        return None
    members = []
    pos = offset
    for _ in range(count):
        entry = ZIP_ENTRY.unpack_from(data, pos)
        if entry[0] != b"PK\x01\x02":
            raise ValueError("damaged central directory")
        method, packed, unpacked, name_length, extra_length, comment_length = entry[4], *entry[8:13]
        if unpacked == 0xFFFFFFFF:
            return None
        start = pos + ZIP_ENTRY.size
        name = data[start : start + name_length].decode("utf-8", "replace")
        members.append(ZipMember(name, method, packed, unpacked, entry[16]))
        pos = start + name_length + extra_length + comment_length
    return members


def _inflated(data: bytes, member: ZipMember) -> bytes:
    """A member's bytes (nothing for one over MAX_PART_BYTES, or packed a way a workbook never is)."""
    if member.unpacked > MAX_PART_BYTES:
        return b""
    header = ZIP_LOCAL.unpack_from(data, member.offset)
    start = member.offset + ZIP_LOCAL.size + header[9] + header[10]
    raw = data[start : start + member.packed]
    return raw if member.method == 0 else zlib.decompress(raw, -15) if member.method == 8 else b""


def hidden_cells(data: bytes, sheet: str, listed: list[ZipMember] | None = None) -> Hidden:
    """The hidden rows and columns of ``sheet`` in a zip-based workbook; nothing for anything else (nor for a
    zip64 archive, which no form is). ``listed``: the zip's members, when the caller has read them already."""
    if not data.startswith(ZIP_MAGIC):
        return NOTHING_HIDDEN
    try:
        listed = listed or zip_members(data)
        members = {m.name: m for m in listed or ()}
        if "xl/workbook.xml" in members:
            return _xlsx(data, members, sheet)
        if "content.xml" in members:
            return _ods(_inflated(data, members["content.xml"]), sheet)
    except (ValueError, KeyError, struct.error, zlib.error):
        pass  # the reader already said what is wrong with such a file
    return NOTHING_HIDDEN


_XLSX_SHEET = re.compile(rb'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_XLSX_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_XLSX_HIDDEN_MARKS = (b'hidden="1"', b'hidden="true"')  # LibreOffice writes hidden="false" on every row
_XLSX_ROW = re.compile(
    rb'<row\b[^>]*?\br="(\d+)"[^>]*?\bhidden="(?:1|true)"|<row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="(\d+)"'
)
_XLSX_COL = re.compile(rb"<col\b[^>]*>")
_ATTRIBUTE = re.compile(rb'\b(min|max|hidden)="([^"]*)"')


def _any_hidden(xml: bytes) -> bool:
    return any(mark in xml for mark in _XLSX_HIDDEN_MARKS)  # bytes.find: a regex here cost 0.15 ms a file


def _xlsx(data: bytes, members: dict[str, ZipMember], sheet: str) -> Hidden:
    parts = [m for name, m in members.items() if name.startswith("xl/worksheets/") and name.endswith(".xml")]
    if not any(_any_hidden(_inflated(data, m)) for m in parts):  # most files: nothing hidden at all
        return NOTHING_HIDDEN
    workbook = _inflated(data, members["xl/workbook.xml"])
    rel_id = next((rid for name, rid in _XLSX_SHEET.findall(workbook) if html.unescape(name.decode()) == sheet), None)
    if rel_id is None:
        return NOTHING_HIDDEN
    rels = dict(_XLSX_REL.findall(_inflated(data, members["xl/_rels/workbook.xml.rels"])))
    target = rels.get(rel_id, b"").decode()
    if not target:
        return NOTHING_HIDDEN
    xml = _inflated(data, members[target.lstrip("/") if target.startswith("/") else f"xl/{target}"])
    if not _any_hidden(xml):
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


def _ods(content: bytes, sheet: str) -> Hidden:
    if b'table:visibility="' not in content:
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
