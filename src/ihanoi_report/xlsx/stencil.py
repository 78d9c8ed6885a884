"""A workbook written once with a mark in place of each varying text, then stamped with the texts of each copy.

The template's forms of one layout differ only in a few strings (the unit's name, code, letterhead). XlsxWriter
spends about 3 ms building each form's XML and compressing it; a stamp replaces the marks in the parts that
hold them (the shared strings, the document's properties), compresses only those parts again and copies the
rest as they are: about 0.2 ms. The bytes are XlsxWriter's own for those texts (a test compares every unit of
both shipped registries). A text XlsxWriter would write differently (a leading space, a control character,
a string another cell of the sheet also holds, which it would store once) is not stamped: the caller writes
that workbook with XlsxWriter itself.
"""

from __future__ import annotations

import html
import re
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from ihanoi_report.safe_text import for_document
from ihanoi_report.sheet_xml import ZIP_END, ZIP_ENTRY, ZIP_LOCAL

SHARED_STRINGS = "xl/sharedStrings.xml"
_MARK = re.compile("\ue000(\\d+)\ue001".encode())
_SIZES = struct.Struct("<3L")  # CRC-32, packed and unpacked size: at byte 14 of a local header, 16 of an entry
_OFFSET = struct.Struct("<L")  # where a member's local header starts: at byte 42 of its directory entry
_DIRECTORY = struct.Struct("<2L")  # the central directory's size and offset: at byte 12 of the end record
_SHARED_TEXT = re.compile(rb"<si><t(?: xml:space=\"preserve\")?>([^<]*)</t></si>")
# What XlsxWriter writes otherwise than as the text itself: a control character or a literal _xHHHH_ (escaped
# as _xHHHH_), a space at either end (xml:space="preserve"), a "<r>…</r>" string (taken as rich text).
_WRITTEN_OTHERWISE = re.compile(r"[\x00-\x08\x0b-\x1f\ue000\ue001\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$|^<r>")


def mark(slot: int) -> str:
    """The text that stands in a stencil for the text of ``slot``: private-use characters around a number,
    which no escaping, capitalisation or cleaning changes."""
    return f"\ue000{slot}\ue001"


@dataclass(frozen=True)
class _Member:
    local: bytes  # its local header, name included
    entry: bytes  # its central directory entry
    packed: bytes  # its bytes as the zip holds them
    text: bytes | None  # inflated, when it holds marks; None for a member copied as it is


@dataclass(frozen=True)
class Stencil:
    members: tuple[_Member, ...]
    end: bytes  # the end of central directory record
    shared_slots: tuple[int, ...]  # the slots whose texts are cells' shared strings
    fixed_strings: frozenset[str]  # the other shared strings: a slot's text equal to one is stored once

    @classmethod
    def of(cls, package: bytes, slots: int) -> Stencil | None:
        """The stencil of a zip written by XlsxWriter with ``mark(0)`` … ``mark(slots - 1)`` in it; None if
        stamping it with its own marks does not give its bytes back (a zip laid out otherwise than read here)."""
        end_at = package.rfind(b"PK\x05\x06")
        _, _, _, _, count, _, position, _ = ZIP_END.unpack_from(package, end_at)
        members, shared_xml = [], b""
        for _ in range(count):
            entry = ZIP_ENTRY.unpack_from(package, position)
            entry_end = position + ZIP_ENTRY.size + entry[10] + entry[11] + entry[12]
            local = ZIP_LOCAL.unpack_from(package, entry[16])
            data_at = entry[16] + ZIP_LOCAL.size + local[9] + local[10]
            packed = package[data_at : data_at + entry[8]]
            text = zlib.decompress(packed, -15) if entry[4] == 8 else packed
            name = package[position + ZIP_ENTRY.size : position + ZIP_ENTRY.size + entry[10]].decode()
            if name == SHARED_STRINGS:
                shared_xml = text
            members.append(_Member(package[entry[16] : data_at], package[position:entry_end], packed,
                                   text if _MARK.search(text) else None))
            position = entry_end
        shared = tuple(int(slot) for slot in _MARK.findall(shared_xml))
        fixed = frozenset(html.unescape(t.decode()) for t in _SHARED_TEXT.findall(shared_xml)) - {
            mark(slot) for slot in shared}
        stencil = cls(tuple(members), package[end_at:], shared, fixed)
        return stencil if stencil._packed([mark(slot).encode() for slot in range(slots)]) == package else None

    def takes(self, texts: Sequence[str]) -> bool:
        """Whether XlsxWriter writes each of ``texts`` as the text itself, each shared string once."""
        if any(not text or text != for_document(text) or _WRITTEN_OTHERWISE.search(text) for text in texts):
            return False
        shared = [texts[slot] for slot in self.shared_slots]
        return len(set(shared)) == len(shared) and self.fixed_strings.isdisjoint(shared)

    def stamp(self, texts: Sequence[str]) -> bytes | None:
        """The workbook with each slot's text in place of its mark; None if it does not ``take`` them."""
        return self._packed([_escaped(text) for text in texts]) if self.takes(texts) else None

    def _packed(self, values: Sequence[bytes]) -> bytes:
        out, directory = bytearray(), bytearray()
        for member in self.members:
            local, entry, packed = member.local, member.entry, member.packed
            if member.text is not None:
                text = _MARK.sub(lambda found: values[int(found[1])], member.text)
                packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)  # as zipfile packs
                packed = packer.compress(text) + packer.flush()
                sizes = _SIZES.pack(zlib.crc32(text), len(packed), len(text))
                local, entry = local[:14] + sizes + local[26:], entry[:16] + sizes + entry[28:]
            directory += entry[:42] + _OFFSET.pack(len(out)) + entry[46:]
            out += local
            out += packed
        end = self.end[:12] + _DIRECTORY.pack(len(directory), len(out)) + self.end[20:]
        return bytes(out + directory + end)


def _escaped(text: str) -> bytes:
    """``text`` as XlsxWriter writes it between tags (quotes as they are)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode()
