"""The unit registry (units.csv) and the name matching that finds a unit from what a clerk wrote."""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ihanoi_report.config import Group
from ihanoi_report.errors import ConfigError
from ihanoi_report.messages import t
from ihanoi_report.words import fold

COLUMNS = ("code", "name", "group", "has_residents", "parent", "contact")
# Columns a registry may add after these: the unit's own letterhead where its group's default is not right
# (a vertically managed unit under its line agency, a mass organisation under its own body).
OPTIONAL_COLUMNS = ("governing", "place")
HAS_RESIDENTS, NO_FLAGS = frozenset({"has_residents"}), frozenset[str]()
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
    governing: str = ""  # the body over the unit on its letterhead ("": its group's, then the campaign's)
    place: str = ""  # the place name of its date line ("": its group's, then the campaign's)

    @property
    def flags(self) -> frozenset[str]:
        """The units.csv flag columns set for it, by which a form's columns may be filled ("flag:has_residents")."""
        return flags_of(self.has_residents)


def flags_of(has_residents: bool) -> frozenset[str]:
    """A unit's flags from its units.csv flag columns (a row of a consolidation carries them too)."""
    return HAS_RESIDENTS if has_residents else NO_FLAGS


@dataclass(frozen=True)
class Letterhead:
    """The top-left block and the place of a unit's own document (Nghị định 30/2020, Phụ lục I)."""

    governing: str  # "ỦY BAN NHÂN DÂN" over a commune, the line agency over a vertically managed unit
    name: str  # "XÃ TẢN LĨNH"
    place: str  # "Tản Lĩnh", as in "Tản Lĩnh, ngày … tháng … năm 2024"


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


# --- legacy Vietnamese encodings ------------------------------------------------------
# Before Unicode, Vietnamese was typed with 8-bit fonts: TCVN3 (ABC, fonts .VnTime) and VNI (VNI-Times).
# A cell typed that way holds Latin-1 look-alikes ("X· T¶n LÜnh" is "Xã Tản Lĩnh"); converted back, it matches.

# TCVN3: one code per lowercase letter (the .VnTimeH fonts draw the same codes as capitals).
_TCVN3_LETTERS = (
    ("µ¸¶·¹", "àáảãạ"),
    ("¨»¾¼½Æ", "ăằắẳẵặ"),
    ("©ÇÊÈÉË", "âầấẩẫậ"),
    ("ÌÐÎÏÑ", "èéẻẽẹ"),
    ("ªÒÕÓÔÖ", "êềếểễệ"),
    ("×ÝØÜÞ", "ìíỉĩị"),
    ("ßãáâä", "òóỏõọ"),
    ("«åèæçé", "ôồốổỗộ"),
    ("¬êíëìî", "ơờớởỡợ"),
    ("ïóñòô", "ùúủũụ"),
    ("\xadõøö÷ù", "ưừứửữự"),
    ("úýûüþ", "ỳýỷỹỵ"),
    ("®¡¢§£¤¥¦", "đĂÂĐÊÔƠƯ"),
)
_TCVN3_CAPITAL_BASE = {"ă": "¡", "â": "¢", "ê": "£", "ô": "¤", "ơ": "¥", "ư": "¦"}

# VNI: a base letter followed by a mark character; a few letters have a code of their own.
_VNI_MARKS = {"\u0300": "ø", "\u0301": "ù", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_ON_CIRCUMFLEX = {"\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_VNI_ON_BREVE = {"\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_VNI_I = {"\u0300": "ì", "\u0301": "í", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def _tcvn3_table() -> dict[str, str]:
    table = {code: letter for codes, letters in _TCVN3_LETTERS for code, letter in zip(codes, letters, strict=True)}
    # A capital with a tone is written as the capital base and the lowercase toned code ("Aµ" is "À").
    for code, letter in list(table.items()):
        parts = unicodedata.normalize("NFD", letter)
        if letter.islower() and len(parts) > 1 and parts[-1] in _VNI_MARKS:
            base = unicodedata.normalize("NFC", parts[:-1])
            capital = _TCVN3_CAPITAL_BASE.get(base, base.upper() if base.isascii() else "")
            if capital:
                table[capital + code] = letter.upper()
    return table


def _vni_table() -> dict[str, str]:
    table = {"ñ": "đ", "Ñ": "Đ", "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư", "î": "ỵ", "Î": "Ỵ"}
    for mark, code in _VNI_I.items():
        table[code] = unicodedata.normalize("NFC", "i" + mark)
        table[code.upper()] = unicodedata.normalize("NFC", "I" + mark)
    for mark, code in _VNI_MARKS.items():
        for base in "aeouy":
            table[base + code] = unicodedata.normalize("NFC", base + mark)
            table[base.upper() + code.upper()] = unicodedata.normalize("NFC", base.upper() + mark)
        for base, letter in (("ô", "ơ"), ("ö", "ư")):  # horned letters take a mark too
            table[base + code] = unicodedata.normalize("NFC", letter + mark)
            table[base.upper() + code.upper()] = unicodedata.normalize("NFC", letter.upper() + mark)
    for base in "aeo":
        table[base + "â"] = unicodedata.normalize("NFC", base + "\u0302")
        table[base.upper() + "Â"] = unicodedata.normalize("NFC", base.upper() + "\u0302")
        for mark, code in _VNI_ON_CIRCUMFLEX.items():
            table[base + code] = unicodedata.normalize("NFC", base + "\u0302" + mark)
            table[base.upper() + code.upper()] = unicodedata.normalize("NFC", base.upper() + "\u0302" + mark)
    table["aê"], table["AÊ"] = "ă", "Ă"
    for mark, code in _VNI_ON_BREVE.items():
        table["a" + code] = unicodedata.normalize("NFC", "a\u0306" + mark)
        table["A" + code.upper()] = unicodedata.normalize("NFC", "A\u0306" + mark)
    return table


def _replacer(table: dict[str, str]) -> functools.partial[str]:
    pattern = re.compile("|".join(re.escape(k) for k in sorted(table, key=len, reverse=True)))
    return functools.partial(pattern.sub, lambda match: table[match.group(0)])


_TCVN3 = _tcvn3_table()
_VNI = _vni_table()
LEGACY_ENCODINGS: dict[str, functools.partial[str]] = {"TCVN3": _replacer(_TCVN3), "VNI": _replacer(_VNI)}
# Vietnamese written in Unicode uses these Latin-1 letters too; the others betray a legacy font.
_UNICODE_LATIN1 = set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
_MARKERS = {
    "TCVN3": {ch for key in _TCVN3 for ch in key if not ch.isascii()} - _UNICODE_LATIN1,
    "VNI": {ch for key in _VNI for ch in key if not ch.isascii()} - _UNICODE_LATIN1,
}


_BEYOND_LATIN1 = re.compile("[^\x00-\xff]")


def may_be_legacy(text: str) -> bool:
    """Text that could have been typed in a TCVN3 or VNI font: Latin-1 letters only, some beyond ASCII."""
    return not text.isascii() and _BEYOND_LATIN1.search(text) is None


def typed_in(text: str, encoding: str) -> bool:
    """Text that was surely typed in ``encoding``: Latin-1 only, with a character Unicode Vietnamese never uses."""
    return may_be_legacy(text) and any(ch in _MARKERS[encoding] for ch in text)


def legacy_readings(text: str) -> list[tuple[str, str]]:
    """(encoding, Unicode text) for each legacy encoding ``text`` may be in; empty for ordinary text.

    Loose on purpose: a caller keeps a reading only when it matches something (a unit's name).
    """
    if not may_be_legacy(text):
        return []
    readings = []
    for encoding, convert in LEGACY_ENCODINGS.items():
        converted = convert(text)
        if converted != text:
            readings.append((encoding, converted))
    return readings


def slug(text: str, limit: int = 60) -> str:
    """An ASCII file-name fragment: letters, digits and dashes only, never '..' or '/'."""
    return _DASHES.sub("-", fold(text).replace(" ", "-")).strip("-")[:limit].strip("-") or "x"


_DASHES = re.compile(r"-+")


class Registry:
    """All reporting units, in report order, with lookups by code and by name."""

    def __init__(self, units: Sequence[Unit], groups: Sequence[Group], source: Path) -> None:
        order = {g.code: i for i, g in enumerate(groups)}
        self.units: tuple[Unit, ...] = tuple(sorted(units, key=lambda u: order[u.group]))
        self.groups = tuple(groups)
        self._group = {g.code: g for g in groups}
        self.source = source
        self._by_code = {u.code.upper(): u for u in self.units}
        self._reporting = tuple(u for u in self.units if u.parent is None)
        self._children: dict[str, tuple[Unit, ...]] = {}
        self._named: dict[str, tuple[tuple[Unit, ...], str]] = {}
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

    def letterhead(self, unit: Unit, authority: str, place: str) -> Letterhead:
        """The unit's own row first, then its group's default, then the campaign's ``authority`` and ``place``."""
        group = self._group[unit.group]
        return Letterhead(
            unit.governing or group.governing or authority, unit.name.upper(), unit.place or group.place or place
        )

    def addressee(self, unit: Unit) -> str:
        """How a message to the unit names it after "Kính gửi": "UBND xã Phú Cường" (a name inside a sentence
        starts in lower case: "xã", "thị trấn"), or the name itself."""
        pattern = self._group[unit.group].addressee
        name = unit.name if pattern.startswith("{name}") else _in_sentence(unit.name)
        return pattern.format(name=name)

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

    def named(self, text: str) -> tuple[tuple[Unit, ...], str]:
        """Units whose name ``text`` is exactly (after folding), and the legacy font it was typed in ("" for
        Unicode): a text from a TCVN3 or VNI font is read both ways and kept only if it then names a unit.

        Remembered per text: the lines of a form above its table repeat in every file of a run.
        """
        known = self._named.get(text)
        if known is not None:
            return known
        found, encoding = tuple(self._by_key.get(name_key(text), ())), ""
        if not found and may_be_legacy(text):
            for encoding, reading in legacy_readings(text):  # noqa: B007 (the encoding that matched is kept)
                if found := tuple(self._by_key.get(name_key(reading), ())):
                    break
        answer = (found, encoding if found else "")
        if len(self._named) < 20_000:
            self._named[text] = answer
        return answer

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


_COMMON_NOUNS = ("Xã ", "Thị trấn ", "Phường ", "Thị xã ", "Huyện ", "Quận ")


def _in_sentence(name: str) -> str:
    """"Xã Phú Cường" -> "xã Phú Cường": after other words, the kind of a place is a common noun."""
    if name.startswith(_COMMON_NOUNS):
        return name[0].lower() + name[1:]
    return name


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # a name is one line of visible text

# The letters a Vietnamese name is written with, once composed (NFC): what a decoding must give to be believed.
_VIETNAMESE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b")


# The characters found to be plausible so far (a cache: a registry of 10,000 names uses some hundred letters).
_PLAUSIBLE_CHARS = set(map(chr, range(128))) | set("đĐ–—“”‘’…")


def _plausible(text: str) -> bool:
    """Every character is ASCII, or a Vietnamese letter (a base letter with Vietnamese marks only), or đ."""
    for char in set(text).difference(_PLAUSIBLE_CHARS):
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        if not base.isascii() or not base.isalpha() or not set(marks) <= _VIETNAMESE_MARKS:
            return False
        _PLAUSIBLE_CHARS.add(char)
    return True


def decoded(data: bytes) -> tuple[str, str, str]:
    """units.csv as Excel saves it on a Vietnamese PC: UTF-8 (with or without BOM), "Unicode Text" (UTF-16 with
    tabs), or the ANSI code page Windows-1258 (base letters with combining tone marks). Returns the text (NFC),
    its delimiter and the encoding's name; never a guess that went wrong quietly (the names are checked)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = data.decode("utf-16"), "UTF-16"
    else:
        try:
            text, encoding = data.decode("utf-8-sig"), "UTF-8"
        except UnicodeDecodeError:
            text, encoding = data.decode("cp1258", errors="replace"), "Windows-1258"
    text = unicodedata.normalize("NFC", text)
    header = text.split("\n", 1)[0]
    delimiter = max(("\t", ";", ","), key=header.count) if any(d in header for d in "\t;,") else ","
    return text, delimiter, encoding


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) for each record, ``line`` the physical line it starts on: a name in quotes with a line
    break inside takes two lines, and the records after it keep their own numbers."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    for row in reader:
        yield start, row
        start = reader.line_num + 1


def _header(cells: list[str]) -> dict[str, int] | None:
    """Column name -> its index, if the first line names every column of COLUMNS, in that order, and then
    only optional columns, each once."""
    names = [c.strip().lower() for c in cells]
    extra = names[len(COLUMNS):]
    if names[: len(COLUMNS)] != list(COLUMNS) or any(n not in OPTIONAL_COLUMNS for n in extra):
        return None
    if len(set(extra)) != len(extra):
        return None
    return {name: i for i, name in enumerate(names)}


def _check_text(
    records: list[tuple[int, list[str]]], encoding: str, fail: Callable[[int, str], ConfigError], width: int
) -> None:
    """Every cell is visible text on one line, and every name reads as Vietnamese in the encoding found."""
    contact = COLUMNS.index("contact")
    for line, row in records:
        if len(row) == width:  # two addresses on two lines of one cell: one contact, on one line
            row[contact] = "; ".join(part.strip() for part in row[contact].splitlines() if part.strip())
        for cell in row:
            if bad := _CONTROL.search(cell):
                raise fail(line, t("cfg-control-character", code=f"U+{ord(bad.group()):04X}"))
        if not _plausible(row[1] if len(row) > 1 else ""):
            raise fail(line, t("cfg-implausible-name", name=row[1].strip(), encoding=encoding))


def load_registry(path: Path, groups: Sequence[Group]) -> Registry:
    """Read units.csv (see decoded for the encodings) and check it line by line."""

    def fail(line: int, detail: str) -> ConfigError:
        return ConfigError(t("config-invalid", path=path, line=line, detail=detail), t("config-hint"))

    try:
        text, delimiter, encoding = decoded(path.read_bytes())
        records = list(_records(text, delimiter))
    except FileNotFoundError:
        raise ConfigError(t("config-missing", path=path), t("config-hint")) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(1, str(exc)) from None
    except csv.Error as exc:
        raise fail(1, t("cfg-csv", detail=exc)) from None
    header = _header(records[0][1]) if records else None
    if header is None:
        raise fail(1, t("cfg-header", columns=",".join(COLUMNS), optional=", ".join(OPTIONAL_COLUMNS)))
    _check_text(records, encoding, fail, len(header))

    group_codes = {g.code for g in groups}
    units: list[Unit] = []
    seen: dict[str, int] = {}
    parents: list[tuple[int, str, str]] = []  # (line, code, parent)
    for line, row in records[1:]:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise fail(line, t("cfg-columns", want=len(header), got=len(row)))
        cells = [unicodedata.normalize("NFC", c.strip()) for c in row]
        code, name, group, residents, parent, contact = cells[: len(COLUMNS)]
        governing, place = (cells[header[key]] if key in header else "" for key in OPTIONAL_COLUMNS)
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
            parents.append((line, code.upper(), parent))
        units.append(
            Unit(code, name, group, residents.lower() in TRUE_WORDS, parent or None, contact, governing, place)
        )
    parent_of = {u.code.upper(): (u.parent or "").upper() for u in units}
    for line, code, parent in parents:
        if parent.upper() not in seen:
            raise fail(line, t("cfg-unknown-parent", parent=parent))
        grand = parent_of[parent.upper()]
        if parent.upper() == code or grand == code:  # a unit that is its own parent, or two that are each other's
            raise fail(line, t("cfg-parent-cycle", code=code, parent=parent))
        if grand:  # one level of sub-units per workspace: a sub-collector gets a workspace of its own
            raise fail(line, t("cfg-parent-nested", parent=parent, grand=grand))
    if not units:
        raise fail(2, t("cfg-empty-registry"))
    return Registry(units, groups, path)
