"""What a campaign's form counts, as its campaign.toml declares it ([form]): the headings and the count columns
clerks fill, the checks between columns, the shares they make, and how a header a clerk typed is known for
its column.

Pure data: config.py reads it from the file (and says at which line a declaration is wrong), form.py lays it
out on the sheet, and every layer loops over it, so that no module names a column of any campaign.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ihanoi_report.words import fold

ALL = "all"
FLAG_PREFIX = "flag:"
FIXED_COLUMNS = 2  # STT and the unit's name stand before the count columns
PROMPT_LIMIT = 32  # Excel cuts a data validation's title longer than this


@dataclass(frozen=True)
class FilledBy:
    """Who fills a column: every unit, the units of some groups, or the units a units.csv flag marks."""

    groups: frozenset[str] = frozenset()  # empty: every group
    flag: str = ""  # a units.csv flag column ("has_residents")

    def includes(self, group: str, flags: frozenset[str]) -> bool:
        return (not self.groups or group in self.groups) and (not self.flag or self.flag in flags)

    def covers(self, other: FilledBy) -> bool:
        """Every unit that ``other`` includes, this includes too (a whole is filled wherever its part is)."""
        return (not self.groups or (bool(other.groups) and other.groups <= self.groups)) and (
            not self.flag or self.flag == other.flag)

    def __str__(self) -> str:
        if self.flag:
            return FLAG_PREFIX + self.flag
        return ", ".join(sorted(self.groups)) if self.groups else ALL


@dataclass(frozen=True)
class Heading:
    """The upper heading that spans some count columns ("Cài đặt cho CBCCVC của cơ quan"), and the words
    (folded) by which a header says it is about these columns' subject ("cbccvc", "can bo")."""

    key: str
    label: str
    words: tuple[str, ...] = ()
    filled_by: FilledBy = FilledBy()


@dataclass(frozen=True)
class CountColumn:
    """A column of whole numbers that clerks fill.

    A header a clerk typed stands for it when it is one of its ``aliases``, or when it (or the heading over
    it) names the column's heading and it holds one of ``words`` and none of ``unless`` (all folded)."""

    key: str
    label: str  # its header on the form, under its heading's
    heading: str = ""  # the key of its Heading, "" for a column under no heading
    name: str = ""  # how a sentence names it ("tổng số CBCCVC"); its label when not declared
    name_en: str = ""
    prompt: str = ""  # the title of the hint Excel shows on its cells (at most PROMPT_LIMIT letters)
    aliases: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    filled_by: FilledBy = FilledBy()
    never_falls: bool = False  # a count that only grows: below the previous round is a warning
    steady: bool = False  # a count that barely moves: a change beyond [checks].resident_change is a warning
    steady_code: str = "count-changed-sharply"  # the code of that warning

    def title(self, language: str) -> str:
        """Its name over a column of figures away from the form, in ``language`` ("Tổng số CBCCVC", "Staff total"):
        the form's own label ("Tổng số") needs the heading above it to say whose total it is."""
        name = self.name_en if language == "en" else self.name
        return name[:1].upper() + name[1:]


@dataclass(frozen=True)
class Check:
    """``part`` is at most ``whole`` in every row that has both; ``code`` is the finding's."""

    code: str
    part: str
    whole: str


@dataclass(frozen=True)
class Share:
    """``part`` out of ``whole``; ``outlier``: a unit far from the others' mean is a warning; ``shown``: in the
    tables and the trend (a share only checked is not)."""

    key: str
    part: str
    whole: str
    label: str
    outlier: bool = False
    outlier_code: str = "share-outlier"  # the code of that warning
    shown: bool = True
    column: str = ""  # its header in the consolidated table, under its heading ("": "Tỷ lệ (%)")
    subject: str = ""  # whose share it is, in a header ("Lần 3: người dân (%)"; "": its label)
    short: str = ""  # its two counts' header in the terminal's table ("CBCCVC cài/tổng"; "": its label)
    short_en: str = ""


def _has(text: str, words: tuple[str, ...]) -> bool:
    padded = f" {text} "
    return any(f" {word} " in padded for word in words)


@dataclass(frozen=True, eq=False)  # one spec a campaign, compared by identity: cheap to cache on
class FormSpec:
    version: str
    headings: tuple[Heading, ...]
    columns: tuple[CountColumn, ...]
    checks: tuple[Check, ...] = ()
    shares: tuple[Share, ...] = ()
    not_counts: tuple[str, ...] = ()  # folded words of headers that are no count ("ty le", "ghi chu")
    title_words: tuple[str, ...] = ("bieu tong hop",)  # folded words of the form's title line, with its round
    # what was asked of it already: every file of a run asks the same (a copy made by replace() starts anew)
    _found: dict[tuple[str, str], CountColumn | None] = field(default_factory=dict, init=False, repr=False)
    _fills: dict[tuple[str, frozenset[str]], tuple[CountColumn, ...]] = field(default_factory=dict, init=False,
                                                                             repr=False)
    # the reader's table found under each header it met (reader._table_at): every form of a run has the template's
    header_readings: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @functools.cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    @functools.cached_property
    def by_key(self) -> dict[str, CountColumn]:
        return {c.key: c for c in self.columns}

    @functools.cached_property
    def share_by_key(self) -> dict[str, Share]:
        return {s.key: s for s in self.shares}

    @functools.cached_property
    def outlier_shares(self) -> tuple[Share, ...]:
        """The shares a unit far from the others' is warned for (``outlier = true``)."""
        return tuple(s for s in self.shares if s.outlier)

    def number(self, key: str) -> int:
        """The column's number on the form's (1) (2) (3)… row."""
        return FIXED_COLUMNS + self.keys.index(key) + 1

    def bound_of(self, key: str) -> str | None:
        """The column that a column may not exceed (the whole of its first check), if any."""
        return next((c.whole for c in self.checks if c.part == key), None)

    def heading_of(self, column: CountColumn) -> Heading | None:
        return next((h for h in self.headings if h.key == column.heading), None)

    def filled_by(self, column: CountColumn) -> FilledBy:
        """Who fills the column: its own declaration, else its heading's."""
        if column.filled_by != FilledBy() or (heading := self.heading_of(column)) is None:
            return column.filled_by
        return heading.filled_by

    def fills(self, group: str, flags: frozenset[str]) -> tuple[CountColumn, ...]:
        """The columns a unit of ``group`` with ``flags`` fills (asked for every row of every file: kept)."""
        if (group, flags) not in self._fills:
            self._fills[group, flags] = tuple(c for c in self.columns if self.filled_by(c).includes(group, flags))
        return self._fills[group, flags]

    def share_of(self, counts: Mapping[str, int], key: str) -> float | None:
        """A share of one row's counts; None without both of its counts (or with a whole of 0)."""
        share = self.share_by_key[key]
        return counts[share.part] / counts[share.whole] if counts.get(share.whole) and share.part in counts \
            else None

    def column_for_header(self, label: object, group: object = "") -> CountColumn | None:
        """The count column a header cell stands for: ``label`` is the cell's own text, ``group`` the
        heading spanning it. Numbers, shares ("%"), the form's not-count words and unknown words find none."""
        if not isinstance(label, str):
            return None
        context = group if isinstance(group, str) else ""
        if (label, context) not in self._found:
            self._found[(label, context)] = self._column_for(label, context)
        return self._found[(label, context)]

    def _column_for(self, label: str, group: str) -> CountColumn | None:
        if not (text := fold(label)) or text.isdigit() or "%" in label or _has(text, self.not_counts):
            return None
        if (alias := next((c for c in self.columns if text in c.aliases), None)) is not None:
            return alias
        own = [h for h in self.headings if _has(text, h.words)]
        if len(own) != 1:  # the cell itself does not say whose count it is: its heading does
            context = fold(group)
            own = [h for h in self.headings if _has(context, h.words)]
        subject = own[0].key if len(own) == 1 else None
        candidates = [c for c in self.columns if (c.heading == subject or not c.heading)
                      and _has(text, c.words) and not _has(text, c.unless)]
        return candidates[0] if len(candidates) == 1 else None
