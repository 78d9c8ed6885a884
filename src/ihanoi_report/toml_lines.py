"""Where each key of a TOML file stands, as tomlkit's parser read it: for the line a config error names.

tomllib (the standard library's, fast) reads the values; this runs only when an error must be placed, so no
command pays for tomlkit unless its campaign.toml is wrong. Inline tables, arrays of them and quoted keys are
placed where they stand, which a scan of the lines could not do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# (the table's dotted name, which item of an array of tables it is, the key; "" for the table itself) -> line
Lines = dict[tuple[str, int, str], int]

_HEADER = re.compile(r"\[\[?\s*([^\]]+?)\s*\]")


def key_lines(text: str) -> Lines:
    """Every key's line (1-based); empty when tomlkit cannot parse what tomllib did."""
    import tomlkit.exceptions

    positions = _Positions(text)
    try:
        document = positions.parser().parse()
    except (tomlkit.exceptions.TOMLKitError, ValueError, KeyError, TypeError, AttributeError):
        return {}
    positions.walk(document.body, "", 0)
    return positions.lines


class _Positions:
    """What one parse of ``text`` recorded: where each item began, and each table's header line."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: dict[int, int] = {}  # id of a parsed item -> its offset in the text
        self.kept: list[object] = []  # the items recorded, alive, so that no id is reused by another object
        self.tables: dict[str, int] = {}  # a table's dotted name -> how many times its header was read
        self.lines: Lines = {}

    def line(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def item_at(self, item: object, offset: int) -> None:
        self.starts.setdefault(id(item), offset)
        self.kept.append(item)

    def header_at(self, offset: int) -> None:
        """A table is placed by its header's name: tomlkit may build the table object elsewhere (the first of
        an array of tables, [a.b] under an implicit [a])."""
        header = _HEADER.match(self.text, offset)
        if header is not None:
            name = ".".join(part.strip().strip('"').strip("'") for part in header.group(1).split("."))
            self.tables[name] = self.tables.get(name, -1) + 1
            self.lines.setdefault((name, self.tables[name], ""), self.line(offset))

    def parser(self) -> Any:
        import tomlkit.parser

        positions = self

        class Parser(tomlkit.parser.Parser):  # tomlkit keeps no positions: its parser is asked where it is
            def _parse_key_value(self, parse_comment: bool = False) -> Any:
                start = self._idx
                key, item = super()._parse_key_value(parse_comment)
                positions.item_at(item, start)
                return key, item

            def _parse_inline_table(self) -> Any:
                start = self._idx
                table = super()._parse_inline_table()
                positions.starts[id(table)] = start  # its "{", not the key before it
                positions.kept.append(table)
                return table

            def _parse_table(self, parent_name: Any = None, parent: Any = None) -> Any:
                positions.header_at(self._idx)
                return super()._parse_table(parent_name, parent)

        return Parser(self.text)

    def place(self, where: tuple[str, int, str], item: object) -> None:
        start = self.starts.get(id(item))
        if start is not None:
            self.lines.setdefault(where, self.line(start))

    def walk(self, pairs: Iterable[tuple[Any, Any]], name: str, index: int) -> None:
        """Every key under ``name`` (its ``index``-th table), tables and inline tables within."""
        from tomlkit import items

        for key, value in pairs:
            if key is None:  # whitespace and comments
                continue
            qualified = f"{name}.{key.key}" if name else key.key
            self.place((name, index, key.key), value)
            if isinstance(value, items.AoT):
                for i, table in enumerate(value.body):
                    self.walk(table.value.body, qualified, i)
            elif isinstance(value, items.Table):
                self.walk(value.value.body, qualified, 0)
            elif isinstance(value, items.InlineTable):
                self.place((qualified, 0, ""), value)
                self.walk(value.value.body, qualified, 0)
            elif isinstance(value, items.Array):
                for i, element in enumerate(value):
                    if isinstance(element, items.InlineTable):
                        self.place((qualified, i, ""), element)
                        self.walk(element.value.body, qualified, i)
