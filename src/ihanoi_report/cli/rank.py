"""ihanoi-report rank: the emulation ranking of the units within their groups, by the campaign's criteria."""

from pathlib import Path
from typing import Annotated

from ihanoi_report.cli import console
from ihanoi_report.cli.options import CODE, FILE, NUMBER, ForceOpt, JsonOpt, WorkspaceOpt, open_office, option
from ihanoi_report.errors import ExitCode, UsageError
from ihanoi_report.messages import t

AsOfOpt = Annotated[int | None, option("--round", "-r", help_key="help-opt-round-rank", metavar=NUMBER)]
OutOpt = Annotated[Path | None, option("--out", "-o", help_key="help-opt-out-rank", metavar=FILE, dir_okay=False)]
FormatOpt = Annotated[str, option("--format", "-f", help_key="help-opt-format", metavar="xlsx|csv|json")]
InputOpt = Annotated[list[str] | None, option("--input", "-i", help_key="help-opt-input", metavar=f"{CODE}={FILE}")]


def _named(values: list[str] | None) -> dict[str, Path]:
    """--input KEY=FILE, repeated."""
    named = {}
    for value in values or []:
        key, sep, file = value.partition("=")
        if not sep or not key.strip() or not file.strip():
            raise UsageError(t("input-bad-option", value=value))
        named[key.strip()] = Path(file.strip())
    return named


def rank(
    round_number: AsOfOpt = None,
    out: OutOpt = None,
    fmt: FormatOpt = "xlsx",
    inputs: InputOpt = None,
    json_output: JsonOpt = False,
    force: ForceOpt = False,
    workspace: WorkspaceOpt = None,
) -> int:
    office = open_office(workspace)
    as_of = office.campaign.round(round_number) if round_number is not None else None
    ranking = office.ranking(as_of, input_files=_named(inputs))
    # --json: the ranking on stdout, for another program; a file then only where --out asks for one
    path = office.write_ranking(ranking, out, fmt, force=force) if out is not None or not json_output else None
    if json_output:
        console.print_json(ranking.to_dict())
    else:
        console.render_ranking(ranking, office.registry.groups)
    if path is not None:
        console.notice(t("rank-written", round=ranking.as_of.number, path=path.resolve()), style="green")
    console.input_notices(ranking, office.campaign.ranking.inputs if office.campaign.ranking else ())
    return ExitCode.OK
