"""ihanoi-report feedback: the error list and the clerks' marked copies of a round, made again from the store."""

from pathlib import Path
from typing import Annotated

from ihanoi_report.cli import console
from ihanoi_report.cli.options import DIR, FILE, NUMBER, ForceOpt, WorkspaceOpt, open_office, option
from ihanoi_report.errors import ExitCode

RoundOpt = Annotated[int | None, option("--round", "-r", help_key="help-opt-round-feedback", metavar=NUMBER)]
ReportOpt = Annotated[Path | None, option("--report", help_key="help-opt-report", metavar=FILE, dir_okay=False)]
OutOpt = Annotated[Path | None, option("--out", "-o", help_key="help-opt-out-feedback", metavar=DIR, file_okay=False)]


def feedback(
    round_number: RoundOpt = None,
    report: ReportOpt = None,
    out: OutOpt = None,
    force: ForceOpt = False,
    workspace: WorkspaceOpt = None,
) -> int:
    office = open_office(workspace)
    rnd = office.campaign.round(round_number) if round_number is not None else None
    console.render_outputs(*office.feedback(rnd, report, out, force=force))
    return ExitCode.OK
