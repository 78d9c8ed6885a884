"""The help, drawn here: the usage line, the text, and boxed panels of arguments, options and commands.

Typer draws it with typer.rich_utils, which imports rich's Markdown (markdown-it) and Pygments: twice the
start-up of the whole command line for a page of text. This draws the same look (the boxes, the panels by
``rich_help_panel``, the Vietnamese headings) from Click's parameters with the standard library only.
"""

# No "from __future__ import annotations": Typer reads signatures at each start (see cli/app.py).
import os
import shutil
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

from ihanoi_report.messages import t

MAX_WIDTH = 100  # as Typer's: a wider terminal keeps lines short enough to read


def width() -> int:
    given = os.environ.get("IHANOI_WIDTH", "")
    columns = int(given) if given.isdigit() else shutil.get_terminal_size((80, 24)).columns
    return max(40, min(columns, MAX_WIDTH))


def _bold(text: str, tty: bool) -> str:
    return f"\x1b[1m{text}\x1b[0m" if tty and text else text


def _cells(rows: Sequence[Sequence[str]], inner: int, tty: bool) -> list[str]:
    """Rows of cells, each column as wide as its widest, the last one wrapped to what is left of ``inner``;
    the names in bold at a terminal."""
    if not rows:
        return []
    count = len(rows[0])
    widths = [max(len(row[i]) for row in rows) for i in range(count - 1)]
    lead = sum(w + 2 for w in widths if w)
    text_width = max(20, inner - lead)
    lines = []
    for row in rows:
        padded = [cell.ljust(w) for cell, w in zip(row[:-1], widths, strict=True) if w]
        head = "  ".join(padded)
        shown = "  ".join(_bold(cell, tty and i < 2) for i, cell in enumerate(padded))
        for i, part in enumerate(_wrap(row[-1], text_width)):
            prefix = shown if i == 0 else " " * len(head)
            lines.append(f"{prefix}  {part}".rstrip() if prefix else part)
    return lines


def _wrap(text: str, text_width: int) -> list[str]:
    """Wrapped by words, each paragraph of its own."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += textwrap.wrap(paragraph, text_width, break_on_hyphens=False) or [""]
    return lines or [""]


def _shown_length(line: str) -> int:
    return len(line.replace("\x1b[1m", "").replace("\x1b[0m", ""))


def _panel(title: str, lines: Iterable[str], outer: int, tty: bool) -> list[str]:
    inner = outer - 4
    top = f"╭─ {_bold(title, tty)} " + "─" * max(0, outer - len(title) - 5) + "╮"
    body = [f"│ {line}{' ' * max(0, inner - _shown_length(line))} │" for line in lines]
    return [top, *body, "╰" + "─" * (outer - 2) + "╯"]


def _param_row(param: Any) -> tuple[str, list[str]]:
    """(the panel it stands in, its cells: required mark, long names, short names, metavar, help)."""
    names = [*param.opts, *param.secondary_opts]
    long_names = ",".join(n for n in names if n.startswith("--"))
    short = ",".join(n for n in names if not n.startswith("--"))
    metavar = param.metavar if param.metavar is not None else ""
    notes = []
    default = param.default
    if param.param_type_name == "option" and default not in (None, False, (), []) and not param.is_flag:
        notes.append(t("help-default").format(default))
    if getattr(param, "envvar", None):
        notes.append(t("help-envvar").format(param.envvar))
    if param.required:
        notes.append(t("help-required"))
    text = " ".join([param.help or "", *notes]).strip()
    if param.param_type_name == "argument":
        cells = ["*" if param.required else "", metavar or param.name.upper(), text]
    else:
        cells = [long_names, short, metavar, text]
    panel = getattr(param, "rich_help_panel", None) or t("help-panel-options")
    return panel, cells


def render(command: Any, ctx: Any, usage: str, tty: bool) -> str:
    """The whole help page of ``command`` (a Click command or group, Typer's classes)."""
    outer = width()
    out = ["", f" {usage}", ""]
    if command.help:
        out += [f" {line}" for line in _wrap(command.help, outer - 2)] + [""]
    panels: dict[str, list[list[str]]] = {}
    order: list[str] = []
    for param in command.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        panel, cells = _param_row(param)
        if panel not in panels:
            panels[panel] = []
            order.append(panel)
        panels[panel].append(cells)
    commands = getattr(command, "commands", None)
    if commands:
        title = t("help-panel-commands")
        rows = [[name, (cmd.help or "").strip()] for name, cmd in commands.items() if not cmd.hidden]
        panels[title] = rows
        order.append(title)
    for title in sorted(order, key=lambda name: name == t("help-panel-commands")):  # arguments, options, commands
        out += _panel(title, _cells(panels[title], outer - 4, tty), outer, tty)
    return "\n".join(out) + "\n"
