"""What several commands share: their options, declared once, and opening the office the user is in."""

# No "from __future__ import annotations": Typer reads signatures at each start (see cli/app.py).
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ihanoi_report.cli import console
from ihanoi_report.messages import t

if TYPE_CHECKING:  # loaded inside the commands, so that --help starts fast
    from ihanoi_report.config import Round
    from ihanoi_report.office import Office

# What the help shows in place of a value (Typer would write <path>, <int>, <bool>): the user's words.
DIR, FILE, NUMBER, CODE, DATE, FLAG = (
    t("meta-dir"), t("meta-file"), t("meta-number"), t("meta-code"), t("meta-date"), ""
)  # fmt: skip
OPTIONS, ARGUMENTS = t("help-panel-options"), t("help-panel-arguments")  # the help's panels


def option(*names: str, help_key: str, metavar: str = FLAG, **more: Any) -> Any:
    """A Typer option in the options panel of the help, with its help text by message key."""
    # In Annotated, Typer takes the first positional argument as a name, not as a default.
    make: Any = typer.Option
    return make(*names, help=t(help_key), metavar=metavar, rich_help_panel=OPTIONS, **more)


def argument(help_key: str, metavar: str, **more: Any) -> Any:
    """A Typer argument in the arguments panel of the help, with its help text by message key."""
    return typer.Argument(help=t(help_key), metavar=metavar, rich_help_panel=ARGUMENTS, **more)


WorkspaceOpt = Annotated[
    Path | None,
    option("--workspace", "-w", help_key="help-opt-workspace", metavar=DIR, envvar="IHANOI_WORKSPACE", file_okay=False),
]
RoundOpt = Annotated[int | None, option("--round", "-r", help_key="help-opt-round", metavar=NUMBER)]
RequiredRoundOpt = Annotated[int, option("--round", "-r", help_key="help-opt-round-required", metavar=NUMBER)]
CloseRoundOpt = Annotated[int, option("--round", "-r", help_key="help-opt-round-close", metavar=NUMBER)]
ForceOpt = Annotated[bool, option("--force", help_key="help-opt-force")]
JsonOpt = Annotated[bool, option("--json", help_key="help-opt-json")]


def bar(key: str) -> Callable[[int], AbstractContextManager[Callable[[], None]]]:
    """A progress bar on stderr titled by message ``key``, for the office's long runs."""
    return lambda total: console.progress(t(key), total)


def chosen_round(office: "Office", number: int | None) -> "Round":
    """The round asked for, or today's (said on stderr: the user did not name one)."""
    from ihanoi_report.config import format_date

    choice = office.pick_round(number)
    today = format_date(date.today())
    if choice.how in ("before", "after"):
        console.notice(t(f"round-{choice.how}-campaign", today=today, round=choice.round.number,
                         due=format_date(choice.round.due)), style="yellow")
    elif choice.how == "today":
        console.notice(t("round-from-today", today=today, round=choice.round.number, due=format_date(choice.round.due)))
    return choice.round


OPENED: list[Path] = []  # the store of the office this run opened, for an error that names it


def open_office(workspace: Path | None) -> "Office":
    """The office of the workspace asked for (or the current folder), saying whose config it uses."""
    from ihanoi_report.config import CAMPAIGN_FILE, UNITS_FILE
    from ihanoi_report.office import Office

    office = Office.open(workspace)
    OPENED.append(office.workspace.store_path)  # the store a SQLite error met later is about (cli/app.py)
    own = office.own_config
    if own:
        console.notice(t("using-workspace-config", path=", ".join(str(p) for p in own)))
    if len(own) < 2:
        defaults = ", ".join(n for n in (CAMPAIGN_FILE, UNITS_FILE) if office.workspace.root / n not in own)
        console.notice(t("using-default-config", what=defaults))
    return office
CampaignOpt = Annotated[str | None, option("--campaign", help_key="help-opt-campaign", metavar=t("meta-name"))]
