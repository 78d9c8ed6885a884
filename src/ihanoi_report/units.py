"""The unit registry (units.csv) and the name matching that finds a unit from what a clerk wrote."""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ihanoi_report.config import Group
from ihanoi_report.errors import ConfigError
from ihanoi_report.messages import t

COLUMNS = ("code", "name", "group", "has_residents", "parent", "contact")
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,39}$")
TRUE_WORDS = {"1", "true", "yes", "co", "có", "x"}
FALSE_WORDS = {"0", "false", "no", "khong", "không", ""}

# Words a clerk puts before a unit's name that do not tell units apart.
_PREFIXES = ("uy ban nhan dan", "ubnd", "thi tran", "xa", "tt", "truong", "don vi", "bao cao")


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    group: str
    has_residents: bool
    parent: str | None
    contact: str


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


@functools.lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """A unit name reduced to what identifies it: folded, common prefixes removed."""
    key = fold(name)
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if key.startswith(prefix + " "):
                key = key[len(prefix) + 1 :]
                changed = True
    return key


def slug(text: str, limit: int = 60) -> str:
    """An ASCII file-name fragment: letters, digits and dashes only, never '..' or '/'."""
    return re.sub(r"-+", "-", fold(text).replace(" ", "-")).strip("-")[:limit].strip("-") or "x"


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_name(text: str, taken: Iterable[str] = ()) -> str:
    """A valid, unique Excel sheet name: at most 31 characters, none of []:*?/\\."""
    base = _SHEET_FORBIDDEN.sub(" ", text)[:31].strip().strip("'").strip() or "Sheet"
    lowered = {name.casefold() for name in taken}
    name, n = base, 1
    while name.casefold() in lowered:
        n += 1
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
    return name


class Registry:
    """All reporting units, in report order, with lookups by code and by name."""

    def __init__(self, units: Sequence[Unit], groups: Sequence[Group], source: Path) -> None:
        order = {g.code: i for i, g in enumerate(groups)}
        self.units: tuple[Unit, ...] = tuple(sorted(units, key=lambda u: order[u.group]))
        self.groups = tuple(groups)
        self.source = source
        self._by_code = {u.code.upper(): u for u in self.units}
        self._reporting = tuple(u for u in self.units if u.parent is None)
        self._children: dict[str, tuple[Unit, ...]] = {}
        for unit in self.units:
            if unit.parent is not None:
                self._children[unit.parent] = (*self._children.get(unit.parent, ()), unit)

    @functools.cached_property
    def _by_key(self) -> dict[str, list[Unit]]:
        # Built on first use: most forms are identified by their metadata, never by a name.
        by_key: dict[str, list[Unit]] = {}
        for unit in self.units:
            by_key.setdefault(name_key(unit.name), []).append(unit)
        return by_key

    def __iter__(self) -> Iterator[Unit]:
        return iter(self.units)

    def __len__(self) -> int:
        return len(self.units)

    def get(self, code: str) -> Unit | None:
        return self._by_code.get(code.strip().upper())

    def children(self, code: str) -> tuple[Unit, ...]:
        return self._children.get(code, ())

    def in_group(self, group: str) -> tuple[Unit, ...]:
        return tuple(u for u in self.units if u.group == group)

    def reporting_units(self) -> tuple[Unit, ...]:
        """Units that send a form themselves (a school is reported by its parent)."""
        return self._reporting

    def by_name(self, name: str, among: Sequence[Unit] | None = None) -> list[Unit]:
        """Units whose name is exactly ``name`` once folded and stripped of prefixes."""
        key = name_key(name)
        found = self._by_key.get(key, [])
        if among is not None:
            allowed = {u.code for u in among}
            found = [u for u in found if u.code in allowed]
        return list(found)

    def in_text(self, text: str, among: Sequence[Unit] | None = None) -> list[Unit]:
        """Units whose name appears as whole words in ``text`` (a file name, a title).

        A name found inside a longer one ("Ba Vì" inside "THPT Ba Vì") does not count; two
        separate names are both returned and the caller reports them as ambiguous.
        """
        haystack = f" {fold(text)} "
        spans: list[tuple[int, int, Unit]] = []
        for unit in among if among is not None else self.units:
            key = name_key(unit.name)
            if not key:
                continue
            start = haystack.find(f" {key} ")
            while start != -1:
                spans.append((start, start + len(key) + 2, unit))
                start = haystack.find(f" {key} ", start + 1)
        kept = [
            (a, b, unit)
            for a, b, unit in spans
            if not any(c <= a and b <= d and (d - c) > (b - a) for c, d, _ in spans)
        ]
        found: list[Unit] = []
        for _, _, unit in kept:
            if unit not in found:
                found.append(unit)
        return found


def load_registry(path: Path, groups: Sequence[Group]) -> Registry:
    """Read units.csv (UTF-8, with or without BOM) and check it line by line."""

    def fail(line: int, detail: str) -> ConfigError:
        return ConfigError(t("config-invalid", path=path, line=line, detail=detail), t("config-hint"))

    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except FileNotFoundError:
        raise ConfigError(t("config-missing", path=path), t("config-hint")) from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise fail(1, str(exc)) from None
    if not rows or [c.strip().lower() for c in rows[0]] != list(COLUMNS):
        raise fail(1, t("cfg-header", columns=",".join(COLUMNS)))

    group_codes = {g.code for g in groups}
    units: list[Unit] = []
    seen: dict[str, int] = {}
    parents: list[tuple[int, str]] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(COLUMNS):
            raise fail(line, t("cfg-columns", want=len(COLUMNS), got=len(row)))
        code, name, group, residents, parent, contact = (unicodedata.normalize("NFC", c.strip()) for c in row)
        if not CODE_PATTERN.match(code):
            raise fail(line, t("cfg-bad-code", code=code))
        if code.upper() in seen:
            raise fail(line, t("cfg-duplicate-code", code=code, line=seen[code.upper()]))
        if not name:
            raise fail(line, t("cfg-no-name"))
        if group not in group_codes:
            raise fail(line, t("cfg-unknown-group", group=group, groups=", ".join(sorted(group_codes))))
        if residents.lower() not in TRUE_WORDS | FALSE_WORDS:
            raise fail(line, t("cfg-has-residents", value=residents))
        seen[code.upper()] = line
        if parent:
            parents.append((line, parent))
        units.append(Unit(code, name, group, residents.lower() in TRUE_WORDS, parent or None, contact))
    for line, parent in parents:
        if parent.upper() not in seen:
            raise fail(line, t("cfg-unknown-parent", parent=parent))
    if not units:
        raise fail(2, t("cfg-empty-registry"))
    return Registry(units, groups, path)
