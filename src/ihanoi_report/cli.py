"""The Typer app: options in, one library call, render, exit code. Nothing else lives here.

Heavy libraries (openpyxl, pandas) are imported inside the commands, so --help is instant.
"""

# No "from __future__ import annotations" here: Typer reads every command's signature at each
# start, and real annotations cost it nothing where strings must be evaluated (~10 ms a run).
import gc
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from ihanoi_report import __version__, console
from ihanoi_report.errors import ExitCode, IhanoiError, UsageError
from ihanoi_report.messages import t, usage_error

if TYPE_CHECKING:  # the config is loaded inside the commands, so that --help starts fast
    from ihanoi_report.config import Campaign, Round, Workspace
    from ihanoi_report.model import IngestResult
    from ihanoi_report.units import Registry, Unit


def _localize_rich_utils() -> None:
    """Typer writes help and usage errors through its rich_utils module: give it our words.

    Done only when help or an error is about to be shown: importing rich_utils costs about
    50 ms, which a command that just runs does not need to pay.
    """
    import typer.rich_utils as rich_utils

    if rich_utils.rich_format_error is _format_error:
        return
    rich_utils.ARGUMENTS_PANEL_TITLE = t("help-panel-arguments")
    rich_utils.OPTIONS_PANEL_TITLE = t("help-panel-options")
    rich_utils.COMMANDS_PANEL_TITLE = t("help-panel-commands")
    rich_utils.ERRORS_PANEL_TITLE = t("help-panel-error")
    rich_utils.DEFAULT_STRING = t("help-default")
    rich_utils.REQUIRED_LONG_STRING = t("help-required")
    rich_utils.ENVVAR_STRING = t("help-envvar")
    rich_utils.RICH_HELP = t("help-try")
    _english_format_error.append(rich_utils.rich_format_error)
    rich_utils.rich_format_error = _format_error  # type: ignore[assignment]


_english_format_error: list[Callable[[Any], None]] = []


def _format_error(error: Any) -> None:
    """Typer prints usage errors itself, in English: translate them on the way out."""
    english = error.format_message()
    error.format_message = lambda: usage_error(english)
    _english_format_error[0](error)


class _Localized:
    """The words Typer's help writes itself ("Usage:", the --help line), in the user's language."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help, option.metavar = t("help-opt-help"), FLAG
        return option

    def get_usage(self, ctx: Any) -> str:
        usage = str(super().get_usage(ctx)).replace("Usage:", t("help-usage"), 1)  # type: ignore[misc]
        return usage.replace("[OPTIONS]", t("help-usage-options")).replace("COMMAND [ARGS]...", t("help-usage-command"))

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _localize_rich_utils()
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            if param.param_type_name == "argument":  # its name (THƯ-MỤC) already says what it is
                param.type.get_metavar = lambda *args, **kwargs: ""
        super().format_help(ctx, formatter)  # type: ignore[misc]

    # A usage error (or "no command given", which shows the help) surfaces from one of these two.
    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)  # type: ignore[misc]
        except typer.Exit:
            raise
        except Exception:
            _localize_rich_utils()
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)  # type: ignore[misc]
        except typer.Exit:
            raise
        except Exception:
            _localize_rich_utils()
            raise


class _Group(_Localized, TyperGroup):
    pass


class _Command(_Localized, TyperCommand):
    pass


app = typer.Typer(
    name="ihanoi-report",
    cls=_Group,
    help=t("help-app"),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# --- options shared by several commands, declared once ----------------------------------
# What the help shows in place of a value (Typer would write <path>, <int>, <bool>): the user's words.
DIR, FILE, NUMBER, CODE, FLAG = t("meta-dir"), t("meta-file"), t("meta-number"), t("meta-code"), ""
DATE = t("meta-date")
WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace", "-w", help=t("help-opt-workspace"), envvar="IHANOI_WORKSPACE", file_okay=False, metavar=DIR
    ),
]
RoundOpt = Annotated[int | None, typer.Option("--round", "-r", help=t("help-opt-round"), metavar=NUMBER)]
ForceOpt = Annotated[bool, typer.Option("--force", help=t("help-opt-force"), metavar=FLAG)]
JsonOpt = Annotated[bool, typer.Option("--json", help=t("help-opt-json"), metavar=FLAG)]


def _version(value: bool) -> None:
    if value:
        console.say(f"ihanoi-report {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", help=t("help-opt-version"), is_eager=True, callback=_version, metavar=FLAG)
    ] = False,
    lang: Annotated[str, typer.Option("--lang", help=t("help-opt-lang"), metavar="vi|en")] = "vi",
    debug: Annotated[bool, typer.Option("--debug", help=t("help-opt-debug"), metavar=FLAG)] = False,
) -> None:
    # --lang and --debug are taken out of the command line before Typer sees it (__main__.py);
    # they are declared here so that --help lists them.
    pass


@dataclass(frozen=True)
class Context:
    workspace: "Workspace"
    campaign: "Campaign"
    registry: "Registry"


def load_context(workspace_dir: Path | None) -> "Context":
    """The workspace and its config (its own copies, else the shipped defaults), said on stderr."""
    from ihanoi_report.config import CAMPAIGN_FILE, UNITS_FILE, Workspace, load_campaign
    from ihanoi_report.units import load_registry

    workspace = Workspace.discover(workspace_dir)
    campaign = load_campaign(workspace.campaign_path)
    registry = load_registry(workspace.units_path, campaign.groups)
    own = [p for p in (CAMPAIGN_FILE, UNITS_FILE) if workspace.uses_own(p)]
    if own:
        console.notice(t("using-workspace-config", path=", ".join(str(workspace.root / p) for p in own)))
    if len(own) < 2:
        missing = ", ".join(p for p in (CAMPAIGN_FILE, UNITS_FILE) if p not in own)
        console.notice(t("using-default-config", what=missing))
    return Context(workspace, campaign, registry)


def pick_round(campaign: "Campaign", number: int | None, today: date | None = None) -> "Round":
    """The round asked for; without one, the round whose window holds today, else round 1."""
    from ihanoi_report.config import format_date

    if number is not None:
        return campaign.round(number)
    today = today or date.today()
    current = campaign.round_on(today)
    if current is None:
        console.notice(t("round-outside-campaign", today=format_date(today)), style="yellow")
        return campaign.rounds[0]
    console.notice(t("round-from-today", today=format_date(today), round=current.number, due=format_date(current.due)))
    return current


def pick_units(registry: "Registry", codes: Sequence[str], group: str | None) -> "list[Unit]":
    """The units named by --unit and --group; all reporting units when neither is given."""
    if group is not None and group not in {g.code for g in registry.groups}:
        raise UsageError(t("group-unknown", group=group, groups=", ".join(g.code for g in registry.groups)))
    units: list[Unit] = []
    for code in codes:
        unit = registry.get(code)
        if unit is None:
            raise UsageError(t("unit-code-unknown", code=code), t("unit-code-hint", path=registry.source))
        units.append(unit)
    if not codes:
        units = list(registry.reporting_units())
    if group is not None:
        units = [u for u in units if u.group == group]
    return units


def _copy_bytes(source: Path, target: Path) -> None:
    target.write_bytes(source.read_bytes())


@app.command("init", cls=_Command, help=t("help-init"))
def init_cmd(
    directory: Annotated[Path, typer.Argument(help=t("help-arg-dir"), file_okay=False, metavar=DIR)] = Path("."),
    force: ForceOpt = False,
) -> None:
    from ihanoi_report.config import CAMPAIGN_FILE, UNITS_FILE, shipped_dir
    from ihanoi_report.files import write_atomically

    target = directory.expanduser().resolve()
    for name in (CAMPAIGN_FILE, UNITS_FILE):
        path = target / name
        if path.exists() and not force:
            console.notice(t("init-kept", path=path), style="yellow")
            continue
        write_atomically(path, partial(_copy_bytes, shipped_dir("templates") / name), force=True)
        console.success(t("init-done", path=path))
    console.notice(t("init-next", path=target), style="")


@app.command("template", cls=_Command, help=t("help-template"))
def template_cmd(
    round_number: RoundOpt = None,
    unit: Annotated[list[str] | None, typer.Option("--unit", "-u", help=t("help-opt-unit"), metavar=CODE)] = None,
    group: Annotated[str | None, typer.Option("--group", "-g", help=t("help-opt-group"), metavar=CODE)] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help=t("help-opt-out"), file_okay=False, metavar=DIR)
    ] = None,
    force: ForceOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    from ihanoi_report.template import write_forms

    ctx = load_context(workspace)
    rnd = pick_round(ctx.campaign, round_number)
    units = pick_units(ctx.registry, unit or [], group)
    out_dir = out if out is not None else Path(f"bieu-mau-lan-{rnd.number}")
    with console.progress(t("templates-progress"), len(units)) as advance:
        result = write_forms(ctx.campaign, ctx.registry, units, rnd, out_dir, force=force, progress=advance)
    console.success(t("templates-done", count=len(result.written), round=rnd.number, path=out_dir.resolve()))
    if result.kept:
        console.notice(t("templates-kept", count=len(result.kept)), style="yellow")


def _received_day(text: str | None) -> date | None:
    """--received: the day the officer says a batch arrived, 2024-08-19 or 19/8/2024."""
    if text is None:
        return None
    from ihanoi_report.values import parse_date

    day = parse_date(text.strip()).day
    if day is None or day > date.today():
        raise UsageError(t("received-invalid", value=text), t("received-invalid-hint"))
    return day


@app.command("ingest", cls=_Command, help=t("help-ingest"))
def ingest_cmd(
    folder: Annotated[Path, typer.Argument(help=t("help-arg-folder"), metavar=DIR)],
    round_number: Annotated[
        int | None, typer.Option("--round", "-r", help=t("help-opt-round-ingest"), metavar=NUMBER)
    ] = None,
    received: Annotated[str | None, typer.Option("--received", help=t("help-opt-received"), metavar=DATE)] = None,
    report: Annotated[
        Path | None, typer.Option("--report", help=t("help-opt-report"), dir_okay=False, metavar=FILE)
    ] = None,
    feedback: Annotated[
        Path | None, typer.Option("--feedback", help=t("help-opt-feedback"), file_okay=False, metavar=DIR)
    ] = None,
    json_output: JsonOpt = False,
    force: ForceOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    from ihanoi_report.ingest import ingest_entries, walk

    ctx = load_context(workspace)
    if round_number is not None:
        ctx.campaign.round(round_number)
    received_on = _received_day(received)
    if not folder.is_dir():
        raise UsageError(t("folder-missing", path=folder), t("folder-missing-hint"))
    entries = list(walk(folder))
    # What is loaded so far (modules, registry, campaign) lives until the command ends: kept out of
    # the collector's full passes, which a run of many files would otherwise repeat dozens of times.
    gc.freeze()
    with console.progress(t("ingest-progress"), len(entries)) as advance:
        batch = ingest_entries(
            entries, ctx.workspace, ctx.campaign, ctx.registry, round_number, progress=advance, received=received_on
        )
    if json_output:
        console.print_json(batch.to_dict())
    elif not entries:
        console.notice(t("ingest-empty", path=folder), style="yellow")
    else:
        console.render_batch(batch)
    if report is not None or feedback is not None:
        _write_findings(batch, ctx.workspace, report, feedback, force=force)
    if batch.internal_errors:
        console.notice(t("internal-errors", count=batch.internal_errors, path=batch.error_log or "-"), style="red")
        raise typer.Exit(ExitCode.INTERNAL)
    raise typer.Exit(ExitCode.INPUT_ERRORS if batch.rejected else ExitCode.OK)


def _write_findings(
    batch: "IngestResult", workspace: "Workspace", report: Path | None, feedback: Path | None, *, force: bool
) -> None:
    """--report and --feedback: the officer's list, and the marked copies made from the stored bytes."""
    from ihanoi_report.feedback import write_feedback_files, write_findings_workbook
    from ihanoi_report.store import Store

    if report is not None:
        console.notice(t("report-written", path=write_findings_workbook(batch, report, force=force)), style="")
    if feedback is not None:
        with Store(workspace.store_path, readonly=True) as store:
            written = write_feedback_files(batch, feedback, store.original, force=force)
        console.notice(t("feedback-written", count=len(written), path=feedback), style="")


@app.command("consolidate", cls=_Command, help=t("help-consolidate"))
def consolidate_cmd(
    round_number: Annotated[int, typer.Option("--round", "-r", help=t("help-opt-round-required"), metavar=NUMBER)],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help=t("help-opt-out"), dir_okay=False, metavar=FILE)
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help=t("help-opt-format"), metavar="xlsx|csv|json")] = "xlsx",
    force: ForceOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    from ihanoi_report.consolidate import furthest_from_target
    from ihanoi_report.workflow import default_output, round_view, write_consolidation

    if fmt not in ("xlsx", "csv", "json"):
        raise UsageError(t("format-unknown", fmt=fmt))
    ctx = load_context(workspace)
    rnd = ctx.campaign.round(round_number)
    view = round_view(ctx.workspace, ctx.campaign, ctx.registry, rnd, require_reports=True)
    path = write_consolidation(view, ctx.campaign, ctx.registry, out or default_output(rnd, fmt), fmt, force=force)
    console.render_consolidation(view.result, ctx.registry.groups, furthest_from_target(view.result))
    console.success(t("consolidate-written", round=rnd.number, path=path.resolve()))


@app.command("status", cls=_Command, help=t("help-status"))
def status_cmd(
    round_number: RoundOpt = None,
    json_output: JsonOpt = False,
    originals: Annotated[
        Path | None, typer.Option("--originals", help=t("help-opt-originals"), file_okay=False, metavar=DIR)
    ] = None,
    force: ForceOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    from ihanoi_report.workflow import export_originals, reminders, round_view

    ctx = load_context(workspace)
    rnd = pick_round(ctx.campaign, round_number)
    if originals is not None:
        written = export_originals(ctx.workspace, rnd.number, originals, force=force)
        console.success(t("originals-done", count=len(written), round=rnd.number, path=originals.resolve()))
        return
    view = round_view(ctx.workspace, ctx.campaign, ctx.registry, rnd)
    messages = reminders(view, ctx.campaign, ctx.registry)
    to_confirm = [f for _, _, f in view.warnings if f.code == "report-order-unclear"]
    if json_output:
        records = view.status.assign(
            report_date=view.status["report_date"].map(lambda d: d.isoformat() if d is not None and d == d else None)
        )
        console.print_json(
            {
                "round": rnd.number,
                "due": rnd.due.isoformat(),
                "units": records.to_dict(orient="records"),
                "reminders": messages,
                "to_confirm": [f.to_dict() for f in to_confirm],
            }
        )
    else:
        console.render_status(view.status, rnd, ctx.registry.groups, messages, to_confirm)
    if not view.accepted:  # said, not hidden in a table of "missing": maybe the wrong workspace
        console.notice(t("status-nothing-accepted", round=rnd.number), style="yellow")
        raise typer.Exit(ExitCode.INPUT_ERRORS)


@app.command("demo", cls=_Command, help=t("help-demo"))
def demo_cmd(
    directory: Annotated[Path | None, typer.Argument(help=t("help-arg-demo-dir"), file_okay=False, metavar=DIR)] = None,
) -> None:
    from ihanoi_report.consolidate import furthest_from_target
    from ihanoi_report.workflow import run_demo

    ctx = load_context(directory)
    bars: list[object] = []

    def progress(total: int) -> Callable[[], None]:
        manager = console.progress(t("ingest-progress"), total)
        advance = manager.__enter__()
        bars.append(manager)
        return advance

    try:
        result = run_demo(directory, ctx.campaign, ctx.registry, progress=progress)
    finally:
        for manager in bars:
            manager.__exit__(None, None, None)  # type: ignore[attr-defined]
    for number, batch in result.batches.items():
        summary = console.batch_summary(batch)
        console.say(t("demo-round", round=number, summary=summary))
    console.render_consolidation(result.view.result, ctx.registry.groups, furthest_from_target(result.view.result))
    console.success(
        t("demo-done", workspace=result.workspace, round=result.view.result.round.number, path=result.workbook)
    )
    console.notice(t("demo-next", round=result.view.result.round.number, workspace=result.workspace), style="")


@app.command("rules", cls=_Command, help=t("help-rules"))
def rules_cmd() -> None:
    from ihanoi_report.rules import RULES

    console.render_rules(RULES)


def run(args: Sequence[str], *, debug: bool = False) -> int:
    """Run the app on ``args``; turn every failure into a panel and an exit code."""
    try:
        app(args=list(args), prog_name="ihanoi-report")
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else ExitCode.INTERNAL)
    except IhanoiError as error:
        if debug:
            traceback.print_exc()
        console.show_error(error)
        return int(error.exit_code)
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if debug:
            traceback.print_exc()
        console.show_error(
            IhanoiError(t("internal-failure", detail=f"{type(error).__name__}: {error}"), t("internal-error-hint"))
        )
        return int(ExitCode.INTERNAL)
    return 0
