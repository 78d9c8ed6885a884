"""Every adjustment of Typer and Click in one place, behind the pin (typer>=0.28,<0.29).

What they write themselves (the usage line, the --help line) is given the user's language through Click's
documented extension points (Command.get_usage, get_help_option); the help page itself is drawn by
cli/help_text.py (Command.format_help), never by typer.rich_utils. Usage errors do not go through Typer's
printer at all: the app runs with standalone_mode=False, Click raises, and cli/app.py draws our own panel
from the exception's fields (usage_message). tests/test_cli.py fails if an upgrade moves any of this.
"""

# No "from __future__ import annotations": Typer reads signatures at each start (see cli/app.py).
import re
import sys
from typing import Any

import typer
from typer._click import exceptions as click_errors
from typer.core import TyperCommand, TyperGroup

from ihanoi_report.messages import t, usage_error


class _Localized:
    """The words Click writes into help itself ("Usage:", the --help line), in the user's language."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help, option.metavar = t("help-opt-help"), ""
            option.rich_help_panel = t("help-panel-options")
        return option

    def get_usage(self, ctx: Any) -> str:
        usage = str(super().get_usage(ctx)).replace("Usage:", t("help-usage"), 1)  # type: ignore[misc]
        usage = re.sub(r"\{([^{}\s]+)\}", r"\1", usage)  # Typer braces a required argument: THƯ-MỤC, as Click writes it
        return usage.replace("[OPTIONS]", t("help-usage-options")).replace("COMMAND [ARGS]...", t("help-usage-command"))

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """Drawn by help_text, not typer.rich_utils (Markdown and Pygments would double the start-up)."""
        from ihanoi_report.cli import help_text

        formatter.write(help_text.render(self, ctx, self.get_usage(ctx), sys.stdout.isatty()))


class Group(_Localized, TyperGroup):
    pass


class Stopped(Exception):
    """Ctrl-C (or SIGTERM, SIGHUP: errors.Terminated) inside a command, carried past Typer, which would turn it
    into exit 130 without a word: run() says what is kept, and exits with the signal's code."""

    def __init__(self, exit_code: int) -> None:
        super().__init__(exit_code)
        self.exit_code = exit_code


class Command(_Localized, TyperCommand):
    def invoke(self, ctx: Any) -> Any:  # a Click context
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as stopped:
            raise Stopped(int(getattr(stopped, "exit_code", 130))) from stopped


UsageError = click_errors.UsageError
NoArgsIsHelp = click_errors.NoArgsIsHelpError
Exit = typer.Exit


def usage_message(error: click_errors.UsageError) -> str:
    """A usage error in the user's language, from the exception's fields where it has them."""
    if isinstance(error, click_errors.NoSuchOption):
        text = t("usage-no-such-option", option=error.option_name)
        if error.possibilities:
            text += " " + t("usage-possibilities", options=", ".join(sorted(error.possibilities)))
        return text
    if isinstance(error, click_errors.MissingParameter) and error.param is not None:
        hint = error.param.get_error_hint(error.ctx) if error.ctx is not None else error.param.name
        kind = "argument" if error.param.param_type_name == "argument" else "option"
        return t(f"usage-missing-{kind}", name=hint)
    if isinstance(error, click_errors.BadParameter) and error.param is not None and error.ctx is not None:
        return t("usage-bad-value", name=error.param.get_error_hint(error.ctx), detail=usage_error(error.message))
    return usage_error(re.sub(r"\s+", " ", error.format_message()))
