"""Text from outside (a clerk's cells and file names, units.csv) made safe for the place it goes to.

One function per kind of sink, and every sink calls it: a workbook or a .docx (XML 1.0 cannot hold most
control characters: openpyxl and python-docx refuse them, a reader may refuse the file), and the terminal
(an ESC sequence could clear the screen or set the window title, a newline in a file name could print a fake
line, a right-to-left override could turn ``xslx.exe`` into what looks like another name).
"""

from __future__ import annotations

import re

# What XML 1.0 does not allow in text: C0 controls but tab, newline and carriage return; lone surrogates (a
# file name that was not UTF-8); the two non-characters U+FFFE and U+FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"  # "�": something was there, and is not shown

# What a terminal acts on instead of showing: C0 and C1 controls, DEL, and the bidirectional overrides and
# isolates. Newline and tab are kept where a message is laid out in lines (``lines=True``).
_TERMINAL_ACTIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_TERMINAL_ACTIVE_IN_A_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def for_document(text: str) -> str:
    """``text`` as a workbook cell, a comment or a .docx paragraph can hold it."""
    return _XML_ILLEGAL.sub(REPLACEMENT, text) if _XML_ILLEGAL.search(text) else text


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_terminal(text: str, *, lines: bool = True) -> str:
    """``text`` with every character a terminal would act on shown as a visible escape (``\\x1b``).

    ``lines``: newlines and tabs are kept (a message of several lines); otherwise they are escaped too (a file
    name, a table cell: one line, never two).
    """
    pattern = _TERMINAL_ACTIVE if lines else _TERMINAL_ACTIVE_IN_A_LINE
    return pattern.sub(_escape, text) if pattern.search(text) else text
