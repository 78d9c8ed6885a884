"""The Typer app: the root options, the commands (one module each), and run(), which turns every failure
into one panel on stderr and an exit code (DESIGN §3: a traceback only with --debug).

No "from __future__ import annotations" in this package: Typer reads every command's signature at each
start, and real annotations cost it nothing where strings must be evaluated (~10 ms a run).
"""

import contextlib
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from ihanoi_report import __version__
from ihanoi_report.cli import console
from ihanoi_report.cli.close import close
from ihanoi_report.cli.consolidate import consolidate
from ihanoi_report.cli.demo import demo
from ihanoi_report.cli.feedback import feedback
from ihanoi_report.cli.ingest import ingest
from ihanoi_report.cli.init import init
from ihanoi_report.cli.options import option
from ihanoi_report.cli.rank import rank
from ihanoi_report.cli.recover import recover
from ihanoi_report.cli.reopen import reopen
from ihanoi_report.cli.rules import rules
from ihanoi_report.cli.serve import serve
from ihanoi_report.cli.status import status
from ihanoi_report.cli.summary import summary
from ihanoi_report.cli.template import template
from ihanoi_report.cli.typer_hooks import Command, Exit, Group, NoArgsIsHelp, Stopped, UsageError, usage_message
from ihanoi_report.errors import ExitCode, IhanoiError
from ihanoi_report.messages import t

app = typer.Typer(
    name="ihanoi-report",
    cls=Group,
    help=t("help-app"),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
for command in (init, template, ingest, feedback, consolidate, status, summary, close, reopen, rank, recover, serve,
                demo, rules):
    name = command.__name__
    app.command(name, cls=Command, help=t(f"help-{name}"), rich_help_panel=t("help-panel-commands"))(command)


def _version(value: bool) -> None:
    if value:
        console.say(f"ihanoi-report {__version__}")
        raise Exit()


VersionOpt = Annotated[bool, option("--version", help_key="help-opt-version", is_eager=True, callback=_version)]


@app.callback()
def _root(
    version: VersionOpt = False,
    lang: Annotated[str, option("--lang", help_key="help-opt-lang", metavar="vi|en")] = "vi",
    debug: Annotated[bool, option("--debug", help_key="help-opt-debug")] = False,
) -> None:
    # --lang and --debug are taken out of the command line before Typer sees it (__main__.py);
    # they are declared here so that --help lists them.
    pass


def run(args: Sequence[str], *, debug: bool = False) -> int:
    """Run the app on ``args``; every failure becomes a panel and an exit code."""
    try:
        code = app(args=list(args), prog_name="ihanoi-report", standalone_mode=False)
        return int(code or 0)
    except NoArgsIsHelp as shown:  # "ihanoi-report" alone: the help, as a usage error
        console.say(shown.ctx.get_help())
        return int(ExitCode.USAGE)
    except UsageError as error:
        usage = error.ctx.get_usage() if error.ctx is not None else ""
        hint = t("help-try-plain", command=error.ctx.command_path if error.ctx is not None else "ihanoi-report")
        console.show_usage_error(usage, hint, usage_message(error))
        return int(ExitCode.USAGE)
    except IhanoiError as error:
        if debug:
            traceback.print_exc()
        console.show_error(error)
        return int(error.exit_code)
    except OSError as error:
        if not console.stdout_broken():
            return _internal(error, debug)
        # stdout on a full disk or a closed pipe: the tool's output failed, not its input
        console.show_error(IhanoiError(t("stdout-failed", detail=error.strerror or error), t("stdout-failed-hint")))
        return int(ExitCode.FAILED)
    except Stopped as stopped:  # Ctrl-C, or SIGTERM/SIGHUP, in a command: what was kept, and the signal's code
        with contextlib.suppress(OSError, ValueError):  # a terminal closed (SIGHUP) hears nothing more
            console.notice(t("stopped"), style="yellow")
        return stopped.exit_code
    except KeyboardInterrupt as stopped:  # before any command ran
        return int(getattr(stopped, "exit_code", 130))
    except Exception as error:
        return _internal(error, debug)


def _internal(error: Exception, debug: bool) -> int:
    """An exception nobody turned into a message: the store's (exit 3), or a fault of this tool (exit 4)."""
    if debug:
        traceback.print_exc()
    if type(error).__module__ == "sqlite3":  # the store, damaged or on a failing disk, at any moment
        from ihanoi_report.cli.options import OPENED
        from ihanoi_report.config import STORE_FILE
        from ihanoi_report.store import explain

        console.show_error(explain(error, OPENED[-1] if OPENED else Path(STORE_FILE)))  # type: ignore[arg-type]
        return int(ExitCode.FAILED)
    detail = f"{type(error).__name__}: {error}"
    console.show_error(IhanoiError(t("internal-failure", detail=detail), t("internal-error-hint")))
    return int(ExitCode.INTERNAL)
