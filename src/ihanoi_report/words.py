"""How the tool compares what people typed: folded words (no case, no diacritics, single spaces)."""

from __future__ import annotations

import functools
import re
import unicodedata


def _base_letters() -> dict[int, str | None]:
    """Every accented Latin letter -> its letters without marks (ệ -> e, đ -> d); combining marks -> nothing.

    What unicodedata's NFD-then-drop-marks gives, as one table: str.translate applies it in one
    pass, precomposed (NFC) and decomposed (NFD, as some Mac programs write) text alike.
    """
    table: dict[int, str | None] = {ord("đ"): "d", ord("Đ"): "D"}
    for start, end in ((0xC0, 0x250), (0x1E00, 0x1F00), (0x2120, 0x2130), (0x2C60, 0x2C80), (0xA720, 0xA800)):
        for code in range(start, end):
            parts = unicodedata.normalize("NFD", chr(code))
            base = "".join(ch for ch in parts if not unicodedata.combining(ch))
            if base != chr(code):
                table[code] = base
    for code in range(0x300, 0x370):  # combining diacritical marks
        table[code] = None
    return table


_BASE_LETTERS = _base_letters()
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


@functools.lru_cache(maxsize=8192)  # labels and unit names repeat in every file of a run
def fold(text: str) -> str:
    """Lower case, no diacritics (đ -> d), single spaces: for comparing what people typed."""
    return _NOT_ALNUM.sub(" ", str(text).translate(_BASE_LETTERS).casefold()).strip()
