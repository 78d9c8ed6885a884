"""Opens a returned workbook safely and finds the form in it, by its labels, not fixed rows.

Values are read with python-calamine only. Everything that can go wrong with a file from
outside (damaged, encrypted, not a spreadsheet, a zip bomb) becomes a ReadFailure, never an
exception the caller has to know about.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook, SheetVisibleEnum

from ihanoi_report import form
from ihanoi_report.form import column_letter, round_in_text
from ihanoi_report.form_spec import FormSpec
from ihanoi_report.messages import vi
from ihanoi_report.model import KIND_FEEDBACK, TOOL_OUTPUTS, Elsewhere, FormData, RawRow
from ihanoi_report.sheet_xml import (
    MAX_PART_BYTES,
    NOTHING_HIDDEN,
    ZIP_MAGIC,
    ZipMember,
    hidden_cells,
    zip_members,
)
from ihanoi_report.units import LEGACY_ENCODINGS, typed_in
from ihanoi_report.values import shown
from ihanoi_report.words import fold

# What a clerk may send: Excel, LibreOffice, WPS (.et), templates; the content decides, not the name.
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb", ".xltx", ".xltm", ".et", ".ett", ".fods"}

# Limits checked before any value is read: a form is a few kilobytes.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 120 * 1024 * 1024  # uncompressed size of all zip members together
MAX_ROWS = 5000  # rows read from a sheet
MAX_COLUMNS = 60
MAX_SHEET_WIDTH = 2000  # columns in a sheet's data area; a form has 7
HEADER_SEARCH_ROWS = 60

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")


class ReadFailure(Exception):
    """The file cannot be read as a form: ``code`` is a finding code, ``detail`` says why, ``args`` fill
    the rest of its sentence."""

    def __init__(self, code: str, detail: str = "", **args: str) -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail
        self.fields = args


def too_large(size: int) -> ReadFailure:
    """The failure of a file of ``size`` bytes, over MAX_FILE_BYTES: its size said in megabytes."""
    return ReadFailure("file-too-large", "megabytes", megabytes=str(size // (1024 * 1024)))


_LETTERS = tuple(column_letter(i) for i in range(MAX_COLUMNS + 1))  # every column a form can use, by index


def describe_content(data: bytes) -> str:
    """What a non-spreadsheet file holds, as a detail code (its words are in messages.py)."""
    head = data[:512].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head[:5].lower() in (b"<!doc", b"<html") or b"<html" in head[:200].lower():
        return "html"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "image"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    try:
        data[:4096].decode("utf-8")
        return "text"
    except UnicodeDecodeError:
        return "unknown"


def _biff_filepass(data: bytes) -> bool:
    """True when an .xls workbook stream carries a FILEPASS record (password or XOR obfuscation).

    The record follows the workbook's first BOF within a few records; walking them from the BOF
    is enough, without parsing the whole compound file.
    """
    for bof in (b"\x09\x08\x10\x00\x00\x06\x05\x00", b"\x09\x08\x08\x00\x00\x05\x05\x00"):
        at = data.find(bof)
        if at < 0:
            continue
        pos = at
        for _ in range(40):
            if pos + 4 > len(data):
                break
            kind, length = (
                int.from_bytes(data[pos : pos + 2], "little"),
                int.from_bytes(data[pos + 2 : pos + 4], "little"),
            )
            if kind == 0x002F:
                return True
            if kind in (0x000A, 0x0085):  # EOF, or the first sheet's BOUNDSHEET: past where FILEPASS stands
                break
            pos += 4 + length
    return False


_OLD_BIFF = (b"\x09\x00", b"\x09\x02", b"\x09\x04")  # BOF of Excel 2.x, 3.x, 4.x worksheets


def _unsupported(data: bytes) -> str | None:
    """The spreadsheet format we do not read, as a detail code, so the clerk can save the file again."""
    if data[:2] in _OLD_BIFF or (data[:2] == b"\x09\x08" and data[4:6] in (b"\x00\x00", b"\x07\x00")):
        return "biff2-4"
    head = data[:2048].lstrip().lower()
    if head.startswith(b"<?xml") or head.startswith(b"<office:document"):
        if b"urn:oasis:names:tc:opendocument" in head or b"<office:document" in head:
            return "fods"
        if b"urn:schemas-microsoft-com:office:spreadsheet" in head:
            return "xml2003"
    return None


def check_container(data: bytes) -> list[ZipMember] | None:
    """Refuse what calamine should never be given: empty, huge, encrypted, not a spreadsheet, zip bombs.

    Returns a zip's members as its directory lists them, for the reading that follows (None for an OLE file or
    a zip64 archive)."""
    if not data:
        raise ReadFailure("file-unreadable", "empty")
    if len(data) > MAX_FILE_BYTES:
        raise too_large(len(data))
    if data.startswith(OLE_MAGIC):
        # Encrypted .xlsx/.xlsm are OLE2 compound files holding an EncryptionInfo stream.
        if _ENCRYPTION_INFO in data or _biff_filepass(data):
            raise ReadFailure("file-encrypted")
        return None
    if not data.startswith(ZIP_MAGIC):
        if (kind := _unsupported(data)) is not None:
            raise ReadFailure("file-format-unsupported", kind)
        raise ReadFailure("not-a-spreadsheet", describe_content(data))
    damaged = ReadFailure("file-unreadable", "zip-damaged")
    try:
        quick = zip_members(data)
    except (ValueError, struct.error):
        raise damaged from None
    members = None if quick is None else [(m.name, m.unpacked) for m in quick]
    manifest = b""
    if members is None or any(name == "META-INF/manifest.xml" for name, _ in members):
        try:  # what the quick reader leaves: zip64, and an .ods, whose manifest must be unpacked
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                infos = archive.infolist()
                members = [(info.filename, info.file_size) for info in infos]
                # An .ods saved with a password lists its encryption in the manifest.
                listed = next((i for i in infos if i.filename == "META-INF/manifest.xml"), None)
                manifest = archive.read(listed) if listed is not None and listed.file_size < 1024 * 1024 else b""
        except (zipfile.BadZipFile, ValueError, OSError, RuntimeError, EOFError, zlib.error):
            raise damaged from None
    names = {name for name, _ in members}
    if "[Content_Types].xml" not in names and "content.xml" not in names:
        raise ReadFailure("not-a-spreadsheet", "zip")
    if b"encryption-data" in manifest:
        raise ReadFailure("file-encrypted")
    total = 0
    for name, size in members:
        total += size
        if size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES:
            raise ReadFailure("file-too-large", "unpacked", part=name, megabytes=str(size // (1024 * 1024)))
    return quick


def open_workbook(data: bytes, path: Path | None = None) -> CalamineWorkbook:
    check_container(data)
    return _calamine(data, path)


def _calamine(data: bytes, path: Path | None) -> CalamineWorkbook:
    """``data`` opened by python-calamine, once its container passed check_container."""
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine panics derive from BaseException
        first = exc
    # From memory calamine cannot always tell an old .xls (it says "cannot detect file format",
    # also for a password-protected one); from the path it can, so try once more there.
    if path is not None and data.startswith(OLE_MAGIC):
        try:
            return CalamineWorkbook.from_path(str(path))
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:
            first = exc
    if (tidy := _ods_without_indentation(data)) is not None:
        try:
            return CalamineWorkbook.from_filelike(io.BytesIO(tidy))
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:
            pass
    raise _failure(first, data) from None


# Whitespace between two tags that holds a line break: how Gnumeric indents content.xml. ODF cell text
# never holds a raw line break (it uses <text:line-break/>), so removing these changes no value.
_INDENTATION = re.compile(rb">[ \t]*[\r\n][ \t\r\n]*<")


def _ods_without_indentation(data: bytes) -> bytes | None:
    """An .ods whose content.xml is pretty-printed (Gnumeric), rewritten in memory without the indentation,
    which python-calamine cannot skip (docs/calamine-ods-whitespace.md); None for anything else.

    Runs after check_container, so every member's size is already bounded.
    """
    if not data.startswith(ZIP_MAGIC):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            names = source.namelist()
            if "content.xml" not in names:
                return None
            content = source.read("content.xml")
            tidy = _INDENTATION.sub(b"><", content)
            if tidy == content:
                return None
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
                for info in source.infolist():
                    target.writestr(info.filename, tidy if info.filename == "content.xml" else source.read(info))
            return out.getvalue()
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError, zlib.error):
        return None


def _failure(exc: BaseException, data: bytes) -> ReadFailure:
    """Why calamine could not read the file: a password, a sound file of a kind our reader does not read
    (the tool's limit, not the clerk's fault), or a damaged file."""
    text = f"{type(exc).__name__} {exc}".lower()
    if "password" in text or "encrypt" in text:
        return ReadFailure("file-encrypted")
    kind = sound_container(data)
    if kind is not None:
        return ReadFailure("file-variant-unsupported", format=kind)
    return ReadFailure("file-unreadable", "structure")


def sound_container(data: bytes) -> str | None:
    """The kind of a spreadsheet file whose container is sound (xlsx, xlsb, ods, xls), or None if damaged.

    Sound: a zip whose every member passes its CRC and whose XML parts parse (no DTD entities), or an OLE2
    compound file with a valid header whose workbook stream starts with a BIFF record.
    """
    if data.startswith(OLE_MAGIC):
        return "xls" if _sound_ole(data) else None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if archive.testzip() is not None:
                return None
            names = archive.namelist()
            for name in names:
                if name.endswith((".xml", ".rels")):
                    _parse_xml(archive.read(name))
    except Exception:  # a bad zip, a bad CRC, XML that does not parse or declares entities: damaged
        return None
    if "content.xml" in names:
        return "ods"
    return "xlsb" if any(n.endswith(".bin") and "sheet" in n.lower() for n in names) else "xlsx"


def _parse_xml(content: bytes) -> None:
    from defusedxml.ElementTree import iterparse  # refuses entity declarations: a bomb is not "sound"

    for _, element in iterparse(io.BytesIO(content), events=("end",)):
        element.clear()


def _sound_ole(data: bytes) -> bool:
    """A compound file header that holds together, and a Workbook/Book stream that starts with a BOF record.

    Directory entries sit on 128-byte boundaries wherever the directory's sectors are, so the stream's entry
    is looked for there, without following the sector chains.
    """
    if len(data) < 512:
        return False
    byte_order, sector_shift, mini_shift = struct.unpack_from("<HHH", data, 28)
    if byte_order != 0xFFFE or sector_shift not in (9, 12) or mini_shift != 6:
        return False
    size = 1 << sector_shift
    for name in ("Workbook", "Book"):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        at = data.find(encoded, 512)
        while at != -1:
            if at % 128 == 0 and struct.unpack_from("<H", data, at + 64)[0] == len(encoded) and data[at + 66] == 2:
                start, stream_size = struct.unpack_from("<II", data, at + 116)
                if stream_size < 4096:  # a small stream lives in the mini stream: the entry is evidence enough
                    return True
                offset = (start + 1) * size
                return data[offset : offset + 2] == b"\x09\x08"
            at = data.find(encoded, at + 1)
    return False


def _rows(book: CalamineWorkbook, name: str) -> list[list[Any]]:
    """The sheet's cells as rows indexed from A1 (row 0 is sheet row 1), at most MAX_ROWS x MAX_COLUMNS.

    calamine drops the empty rows and columns before the data; asking it to keep them
    (skip_empty_area=False) would build the whole grid up to a far-away cell, which a hostile
    sheet uses to ask for billions of cells. So the data area is read as it is and shifted
    back by its start, which keeps every cell address right.
    """
    try:
        sheet = book.get_sheet_by_name(name)
        start = sheet.start
        if start is None:
            return []
        first_row, first_col = start
        if first_row >= MAX_ROWS or first_col >= MAX_COLUMNS:
            return []
        if sheet.width > MAX_SHEET_WIDTH:
            raise ReadFailure("file-too-large", "width", columns=str(sheet.width))
        data = sheet.to_python(skip_empty_area=True, nrows=MAX_ROWS - first_row)
    except ReadFailure:
        raise
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        raise _failure(exc, b"") from None
    pad = [None] * first_col
    return [[] for _ in range(first_row)] + [(pad + row)[:MAX_COLUMNS] for row in data]


def _text(value: Any) -> str:
    if value.__class__ is str:  # calamine gives "" for an empty cell: the common case, kept cheap
        return value.strip()
    return "" if value is None else str(value).strip()


@dataclass(frozen=True)
class _Table:
    """Where a table's header is and which column holds what (0-based indexes)."""

    header: int  # the row with the name column's header
    name_col: int
    first_data: int  # the first row under the header (and its second level, if any)
    columns: Mapping[str, tuple[int, ...]]  # count column key -> every column whose header says it (shared: read only)
    stt_col: int | None = None  # "STT": a consolidated workbook's I, II… mark its group subtotals
    code_col: int | None = None  # "Mã đơn vị": a consolidated workbook's (hidden) unit codes
    by_elimination: tuple[str, ...] = ()  # count keys found only because every other column was claimed


def _header_columns(top: list[Any], below: list[Any], name_col: int,
                    spec: FormSpec) -> tuple[dict[str, list[int]], bool]:
    """The count columns a header names, read as two rows (groups over sub-labels, as the official form)
    and, unless that found every column, as one row; the reading that finds more columns wins."""
    two = _header_reading(top, below, name_col, spec)
    if len(two) == len(spec.columns):
        return two, True
    one = _header_reading(top, [], name_col, spec)
    return (two, True) if len(two) > len(one) else (one, False)


def _by_elimination(top: list[Any], name_col: int, found: dict[str, list[int]], spec: FormSpec) -> tuple[str, ...]:
    """On a one-row header, the columns whose label is only one of the form's own sub-labels ("Tổng số", "Đã cài
    đặt iHanoi": words that alone do not say whose count they are), taken for the count the form puts under
    that label when that is the only reading left: every other count column claimed once by a label that says
    it, and each missing count with exactly one such column. Adds them to ``found``; returns their keys."""
    if any(len(cols) > 1 for cols in found.values()):
        return ()
    claimed = {c for cols in found.values() for c in cols}
    missing = [column for column in spec.columns if column.key not in found]
    picks: dict[str, int] = {}
    for column in missing:
        candidates = [c for c, value in enumerate(top) if c != name_col and c not in claimed
                      and fold(_text(value)) == fold(column.label)]
        if len(candidates) != 1:
            return ()
        picks[column.key] = candidates[0]
    if not picks or len(set(picks.values())) != len(picks):
        return ()
    for key, c in picks.items():
        found[key] = [c]
    return tuple(picks)


def _header_reading(top: list[Any], below: list[Any], name_col: int, spec: FormSpec) -> dict[str, list[int]]:
    """Column indexes by count key, each column named by its lower label under the group label above it."""
    found: dict[str, list[int]] = {}
    group = ""
    for c in range(max(len(top), len(below))):
        if c == name_col:
            continue
        upper = _text(top[c]) if c < len(top) else ""
        lower = _text(below[c]) if c < len(below) else ""
        group = upper or (group if lower else "")  # a merged group label stands over the columns after it
        label, over = (lower, group) if lower else (upper, "")
        if (column := spec.column_for_header(label, over)) is not None:
            found.setdefault(column.key, []).append(c)
    return found


def _find_table(rows: list[list[Any]], spec: FormSpec) -> _Table | None:
    """The first row holding a name-column header ("Tên đơn vị", "Đơn vị"…) and count headers."""
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        for c, value in enumerate(row):
            is_name_header = value and isinstance(value, str) and fold(value) in form.NAME_HEADERS
            if is_name_header and (table := _table_at(rows, r, c, spec)) is not None:
                return table
    return None


TABLES_KEPT = 256  # header readings a spec keeps; a run's forms have one or a few headers


def _table_at(rows: list[list[Any]], r: int, c: int, spec: FormSpec) -> _Table | None:
    """The table whose name header is cell (r, c), if the rows there name count columns. What it says depends
    only on the header's rows and the two under it, so the same rows (every form the template wrote) are read
    once per spec."""
    key = (r, c, tuple(tuple(rows[i]) if i < len(rows) else None for i in range(r, r + 3)))
    if key not in spec.header_readings:
        if len(spec.header_readings) >= TABLES_KEPT:
            spec.header_readings.clear()
        spec.header_readings[key] = _read_table_at(rows, r, c, spec)
    table: _Table | None = spec.header_readings[key]
    return table


def _read_table_at(rows: list[list[Any]], r: int, c: int, spec: FormSpec) -> _Table | None:
    row = rows[r]
    below = rows[r + 1] if r + 1 < len(rows) else []
    columns, two_levels = _header_columns(row, below, c, spec)
    if not columns:
        return None
    eliminated = () if two_levels else _by_elimination(row, c, columns, spec)
    first = r + 2 if two_levels else r + 1
    if first < len(rows) and _is_number_row(rows[first]):
        first += 1
    labels = [fold(_text(v)) for v in row]
    stt = next((i for i, v in enumerate(labels) if v in _STT_HEADERS), None)
    code = next((i for i, v in enumerate(labels) if v in _CODE_HEADERS), None)
    return _Table(r, c, first, {key: tuple(cols) for key, cols in columns.items()}, stt, code, eliminated)


def _is_number_row(row: list[Any]) -> bool:
    """The row of column numbers under the header: (1) (2) (3)… or 1 2 3…"""
    cells = [fold(_text(v)) for v in row if _text(v)]
    return len(cells) >= 3 and all(c.isdigit() for c in cells)


_FOOTER_LABELS = {
    fold(form.REPORT_DATE_LABEL): "report_date",
    fold(form.PREPARER_LABEL): "preparer",
    fold(form.PHONE_LABEL): "phone",
}
_TOTAL_NAMES = {fold(form.TOTAL_LABEL), "tong", "tong so", "cong", "tong cong toan nganh"}
_STT_HEADERS = {"stt", "so tt", "so thu tu", "tt"}
_CODE_HEADERS = {"ma don vi", "ma"}
_ROMAN = re.compile(r"^[IVXLC]+$")
# A name cell starting with one of these is below the table: the footer, signatures, instructions.
_BELOW_TABLE = ("nguoi lap", "ngay bao cao", "huong dan", "thu truong", "xac nhan", "noi nhan", "ghi chu")


def _footer(rows: list[list[Any]], start: int) -> dict[str, tuple[object, str]]:
    """The footer's values by key, each with the address of the cell it was read from.

    The value is the first non-empty cell right of its label; with none, the address is the cell
    right after the label (where the clerk should have typed). "Ngày báo cáo: 18/8/2024" in one
    cell counts too.
    """
    found: dict[str, tuple[object, str]] = {}
    for r in range(start, min(len(rows), start + 30)):
        row = rows[r]
        for c, value in enumerate(row):
            if not (value and isinstance(value, str)):
                continue
            key, inline = _FOOTER_LABELS.get(fold(value)), ""
            if key is None and ":" in value:
                label, _, rest = value.partition(":")
                key, inline = (_FOOTER_LABELS.get(fold(label)), rest.strip()) if rest.strip() else (None, "")
            if key is None or key in found:
                continue
            if inline:
                found[key] = (inline, f"{column_letter(c)}{r + 1}")
                continue
            after = next((i for i in range(c + 1, len(row)) if _text(row[i])), None)
            if after is None:
                found[key] = ("", f"{column_letter(c + 1)}{r + 1}")
            else:
                cell = row[after]
                found[key] = (cell.strip() if isinstance(cell, str) else cell, f"{column_letter(after)}{r + 1}")
    return found


_DATE_LINE = re.compile(r"\bngay\s+\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}\b")


def _date_line(rows: list[list[Any]], header: int) -> tuple[str, str] | None:
    """A filled place-and-date line above the table ("Ba Vì, ngày 18 tháng 8 năm 2024") and its cell."""
    for r, row in enumerate(rows[:header]):
        for c, value in enumerate(row):
            if value and isinstance(value, str) and _DATE_LINE.search(fold(value)):
                return value.strip(), f"{column_letter(c)}{r + 1}"
    return None


def _plain(value: Any) -> str:
    """A cell as the clerk sees it, as text (a phone typed as a number: 912345678, not 912345678.0)."""
    return "" if value is None else shown(value)


def _meta(book: CalamineWorkbook) -> dict[str, str]:
    if form.META_SHEET not in book.sheet_names:
        return {}
    meta: dict[str, str] = {}
    for row in _rows(book, form.META_SHEET)[:20]:
        if len(row) >= 2 and _text(row[0]) in form.META_KEYS:
            value = row[1]
            meta[_text(row[0])] = _plain(value)
    return meta


def _top_texts(rows: list[list[Any]], header: int) -> list[str]:
    return [text for row in rows[:header] for v in row if v and isinstance(v, str) and (text := v.strip())]


def _unit_line(texts: list[str]) -> tuple[str, str]:
    """The unit written on the form ("Đơn vị báo cáo: X (mã: Y)") and the code, if any."""
    for text in texts:
        folded = fold(text)
        if folded.startswith("don vi bao cao") or folded.startswith("don vi "):
            name = text.split(":", 1)[1].strip() if ":" in text else ""
            code = ""
            match = re.search(r"\((?:mã|ma|mã số)\s*:?\s*([A-Za-z0-9-]+)\)", name, re.IGNORECASE)
            if match:
                code = match.group(1)
                name = name[: match.start()].strip()
            return name, code
    return "", ""


def _legacy_table(rows: list[list[Any]], spec: FormSpec) -> tuple[list[list[Any]], _Table, str] | None:
    """A sheet typed in a TCVN3 or VNI font: the cells typed so, converted to Unicode, if the header is then found.

    Only cells with a character Unicode Vietnamese never uses are converted, so the form's own Unicode
    labels beside them stay as they are.
    """
    head = [v for row in rows[:HEADER_SEARCH_ROWS] for v in row if isinstance(v, str)]
    for encoding, convert in LEGACY_ENCODINGS.items():
        if not any(typed_in(v, encoding) for v in head):
            continue
        converted = [[convert(v) if isinstance(v, str) and typed_in(v, encoding) else v for v in row] for row in rows]
        if (table := _find_table(converted, spec)) is not None:
            return converted, table, encoding
    return None


def _data_rows(rows: list[list[Any]], table: _Table) -> tuple[list[RawRow], RawRow | None, int, list[RawRow]]:
    """The table's rows down to its total row or the footer; blank rows are skipped, not an end. Rows whose
    STT is I, II… are a consolidated workbook's group subtotals, returned apart."""
    single = {key: cols[0] for key, cols in table.columns.items() if len(cols) == 1}
    data: list[RawRow] = []
    subtotals: list[RawRow] = []
    end = table.first_data
    for r in range(table.first_data, len(rows)):
        row = rows[r]
        end = r
        name = _text(row[table.name_col]) if table.name_col < len(row) else ""
        folded = fold(name)
        if folded in _FOOTER_LABELS or folded.startswith(_BELOW_TABLE):
            break
        cells = {key: (row[c] if c < len(row) else None) for key, c in single.items()}
        if not name and all(_text(v) == "" for v in cells.values()):
            continue
        code = _text(row[table.code_col]) if table.code_col is not None and table.code_col < len(row) else ""
        stt = _text(row[table.stt_col]) if table.stt_col is not None and table.stt_col < len(row) else ""
        record = RawRow(r + 1, name, cells, code, stt)
        if folded in _TOTAL_NAMES or folded.startswith("tong cong"):
            return data, record, r + 1, subtotals
        (subtotals if _ROMAN.match(stt) else data).append(record)
    return data, None, end, subtotals


def _table_of(rows: list[list[Any]], spec: FormSpec) -> tuple[list[list[Any]], _Table, str] | None:
    """The form's table on a sheet (its rows converted from a legacy font if it was typed in one), if any."""
    table = _find_table(rows, spec)
    if table is not None:
        return rows, table, ""
    return _legacy_table(rows, spec)


def _visible_sheets_first(book: CalamineWorkbook) -> list[tuple[str, bool]]:
    """(sheet, hidden) in the order a form is looked for: the sheets the clerk sees, then the hidden ones."""
    hidden = {m.name for m in book.sheets_metadata if m.visible != SheetVisibleEnum.Visible}
    names = [name for name in book.sheet_names if name != form.META_SHEET]
    return [(n, False) for n in names if n not in hidden] + [(n, True) for n in names if n in hidden]


def find_form(path: Path, book: CalamineWorkbook, spec: FormSpec,
              formula_cells: Collection[str] = frozenset()) -> FormData:
    """Locate the form on the first sheet that has its header (a sheet the clerk sees before a hidden one),
    read its rows, and say what the other sheets hold."""
    meta = _meta(book)
    if meta.get("kind") in TOOL_OUTPUTS:  # the officer's error list or ranking, dropped into the inbox
        raise ReadFailure("tool-output", meta["kind"])
    damaged: ReadFailure | None = None
    readable = 0
    sheets = _visible_sheets_first(book)
    for sheet_name, hidden in sheets:
        try:
            rows = _rows(book, sheet_name)
        except ReadFailure as failure:  # a damaged chart or extra sheet need not hide the form
            damaged = damaged or failure
            continue
        readable += 1
        if (found := _table_of(rows, spec)) is None:
            continue
        rows, table, encoding = found
        sub = _submission(path, spec, sheet_name, meta, rows, table, formula_cells, encoding)
        others = [name for name, _ in sheets if name != sheet_name]
        return replace(sub, sheet_hidden=hidden, elsewhere=_elsewhere(book, others, sub, spec))
    raise damaged if damaged is not None and not readable else ReadFailure("form-not-found")


# The tool's own sheets in what it wrote: a feedback copy's list of problems, a consolidated workbook's others.
_OWN_SHEETS = frozenset({vi("book-sheet-to-fix")})
ELSEWHERE_CELLS = 3  # cells named in a finding; the rest are counted


def _elsewhere(book: CalamineWorkbook, others: list[str], sub: FormData, spec: FormSpec) -> tuple[Elsewhere, ...]:
    """Every other sheet that holds figures: a second form (the same rows as ``sub``, or not), or numbers."""
    if sub.consolidated or not others:  # a consolidated workbook's other sheets are the tool's own
        return ()
    found = []
    for name in others:
        if name in _OWN_SHEETS and sub.meta.get("kind") == KIND_FEEDBACK:
            continue
        try:  # _rows turns calamine's own panic on a sheet into a ReadFailure too
            rows = _rows(book, name)
            if not rows and book.get_sheet_by_name(name).start is not None:
                raise ReadFailure("file-too-large", "far")  # cells only beyond the area the tool reads
        except ReadFailure:  # never skipped in silence: it may hold the figures
            found.append(Elsewhere(name, False, unreadable=True))
            continue
        if (table := _table_of(rows, spec)) is not None:
            other = _submission(sub.path, spec, name, sub.meta, *table[:2], frozenset(), table[2])
            same = [(fold(r.name), r.cells) for r in other.rows] == [(fold(r.name), r.cells) for r in sub.rows]
            found.append(Elsewhere(name, True, same, other.unit_line or (other.rows[0].name if other.rows else "")))
            continue
        cells = [f"{column_letter(c)}{r + 1}" for r, row in enumerate(rows) for c, v in enumerate(row)
                 if v.__class__ in _NUMBERS]
        if cells:
            found.append(Elsewhere(name, False, cells=tuple(cells[:ELSEWHERE_CELLS]), count=len(cells)))
    return tuple(found)


def _submission(
    path: Path,
    spec: FormSpec,
    sheet: str,
    meta: dict[str, str],
    rows: list[list[Any]],
    table: _Table,
    formula_cells: Collection[str],
    encoding: str,
) -> FormData:
    data, total, end, subtotals = _data_rows(rows, table)
    texts = _top_texts(rows, table.header)
    title = next((t for t, folded in zip(texts, map(fold, texts), strict=True)
                  if any(word in folded for word in spec.title_words)), "")
    unit_name, unit_code = _unit_line(texts)
    footer = _footer(rows, end)
    loose = _loose(rows, table, end, footer)
    report_date, date_cell = footer.get("report_date", ("", ""))
    if _text(report_date) == "" and (line := _date_line(rows, table.header)) is not None:
        report_date, date_cell = line
    letters = {key: _LETTERS[cols[0]] for key, cols in table.columns.items() if len(cols) == 1}
    letters[form.NAME.key] = _LETTERS[table.name_col]
    return FormData(
        path=path,
        sheet=sheet,
        meta=meta,
        title=title,
        round_in_title=round_in_text(title) if title else None,
        unit_line=unit_name,
        unit_code_in_line=unit_code,
        rows=tuple(data),
        total=total,
        letters=letters,
        report_date=report_date,
        preparer=_plain(footer.get("preparer", ("", ""))[0]),
        phone=_plain(footer.get("phone", ("", ""))[0]),
        formula_cells=formula_cells,
        header_row=table.header + 1,
        header_cell=f"{_LETTERS[table.name_col]}{table.header + 1}",
        duplicates={key: tuple(_LETTERS[c] for c in cols) for key, cols in table.columns.items() if len(cols) > 1},
        by_elimination=table.by_elimination,
        head_texts=tuple(texts),
        report_date_cell=date_cell,
        encoding=encoding,
        subtotals=tuple(subtotals),
        loose=tuple(loose[:ELSEWHERE_CELLS]),
        loose_count=len(loose),
    )


def _loose(rows: list[list[Any]], table: _Table, end: int, footer: Mapping[str, tuple[object, str]]) -> list[str]:
    """The cells of the sheet that hold a number no cell of the form holds: above the table; in its header, but a
    row numbering its columns 1, 2, 3…; in its rows, a column with no header (a column with one is the unit's own,
    "Tỷ lệ (%)", "Ghi chú": read as text, never counted); under it, any cell but the footer's values (a phone
    typed as a number)."""
    known = {table.name_col, table.stt_col, table.code_col, *(c for cols in table.columns.values() for c in cols)}
    headers = rows[table.header : table.first_data]
    width = max(map(len, rows[table.first_data : end]), default=0)
    bare = [c for c in range(width) if c not in known  # no label over it (a number is none)
            and not any(c < len(h) and h[c].__class__ is str and h[c].strip() for h in headers)]
    footer_cells = {cell for _, cell in footer.values()}

    def numbers(first: int, last: int, *, numbering_kept: bool = False) -> list[str]:
        """The number cells of these rows but the footer's (with ``numbering_kept``: but a row numbering the
        columns)."""
        return [cell for r in range(first, min(last, len(rows)))
                if not _only_text(rows[r]) and not (numbering_kept and _numbering(rows[r]))  # most: text only
                for c, v in enumerate(rows[r])
                if v.__class__ in _NUMBERS and (cell := f"{_LETTERS[c]}{r + 1}") not in footer_cells]

    beside = [f"{_LETTERS[c]}{r + 1}" for r in range(table.first_data, min(end, len(rows))) for c in bare
              if c < len(rows[r]) and rows[r][c].__class__ in _NUMBERS]
    return [*numbers(0, table.header), *numbers(table.header, table.first_data, numbering_kept=True), *beside,
            *numbers(end, len(rows))]  # in the sheet's order


def _numbering(row: list[Any]) -> bool:
    """A row of the table's header that numbers its columns 1, 2, 3… (or holds no number at all)."""
    numbers = [v for v in row if v.__class__ in _NUMBERS]
    return numbers == list(range(1, len(numbers) + 1))


def _only_text(cells: list[Any]) -> bool:
    """Every cell is text (calamine gives "" for an empty one): str.join checks it in C, in a quarter of the time
    of looking at each cell's type, and this runs over the rows around every form."""
    try:
        "".join(cells)
    except TypeError:
        return False
    return True


_NUMBERS = frozenset({int, float})  # as calamine gives a number (a bool, a date are not)


_FORMULA_NO_VALUE = re.compile(
    rb'<c r="([A-Z]{1,3}\d+)"[^>]*>\s*<f[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>\s*|<v>\s*</v>\s*)?</c>'
)


def formulas_without_result(data: bytes) -> frozenset[str]:
    """Cells of an .xlsx holding a formula but no saved result (a file openpyxl wrote, never opened).

    Calamine shows such a cell as empty; only the sheet XML tells it from a cell left blank.
    """
    if not data.startswith(ZIP_MAGIC):
        return frozenset()
    cells: set[str] = set()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if info.filename.startswith("xl/worksheets/sheet") and info.file_size <= MAX_PART_BYTES:
                    cells.update(m.decode() for m in _FORMULA_NO_VALUE.findall(archive.read(info)))
    except (zipfile.BadZipFile, OSError, ValueError):
        return frozenset()
    return frozenset(cells)


class UnsavedFormulas(Collection[str]):
    """``formulas_without_result`` of a file, read from its sheet XML only when first asked.

    Only a count cell left blank can be an unsaved formula, and most forms have none.
    """

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._cells: frozenset[str] | None = None

    @property
    def cells(self) -> frozenset[str]:
        if self._cells is None:
            self._cells = formulas_without_result(self._data)
        return self._cells

    def __contains__(self, cell: object) -> bool:
        return cell in self.cells

    def __iter__(self) -> Iterator[str]:
        return iter(self.cells)

    def __len__(self) -> int:
        return len(self.cells)


def table_rows(path: Path, data: bytes) -> list[list[Any]]:
    """The cells of the first visible sheet with any, through the same gate as a return (size, bombs,
    encryption, a damaged file): a table someone else exported (the app's statistics), not a form."""
    book = open_workbook(data, path)
    try:
        for name, _hidden in _visible_sheets_first(book):
            if rows := _rows(book, name):
                return rows
        return []
    finally:
        book.close()


def read_form(path: Path, data: bytes, spec: FormSpec) -> FormData:
    """Open ``data`` (the bytes of ``path``) and find the form ``spec`` declares in it; ReadFailure if impossible."""
    listed = check_container(data)
    book = _calamine(data, path)
    try:
        sub = find_form(path, book, spec, UnsavedFormulas(data))
        hidden = hidden_cells(data, sub.sheet, listed)
        if hidden is NOTHING_HIDDEN:
            return sub
        return replace(sub, hidden_rows=hidden.rows, hidden_columns=hidden.columns)
    except ReadFailure as failure:
        # A sheet calamine could open but not read: damaged, or a sound file of a kind it does not read.
        if failure.code == "file-unreadable" and (kind := sound_container(data)) is not None:
            raise ReadFailure("file-variant-unsupported", format=kind) from None
        raise
    finally:
        book.close()
