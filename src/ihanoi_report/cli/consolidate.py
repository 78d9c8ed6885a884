"""ihanoi-report consolidate: the district's consolidated workbook (or CSV, JSON) of a round."""

from pathlib import Path
from typing import Annotated

from ihanoi_report.cli import console
from ihanoi_report.cli.options import FILE, ForceOpt, RequiredRoundOpt, WorkspaceOpt, open_office, option
from ihanoi_report.errors import ExitCode
from ihanoi_report.messages import t

OutOpt = Annotated[Path | None, option("--out", "-o", help_key="help-opt-out", metavar=FILE, dir_okay=False)]
FormatOpt = Annotated[str, option("--format", "-f", help_key="help-opt-format", metavar="xlsx|csv|json")]


def consolidate(
    round_number: RequiredRoundOpt,
    out: OutOpt = None,
    fmt: FormatOpt = "xlsx",
    force: ForceOpt = False,
    workspace: WorkspaceOpt = None,
) -> int:
    office = open_office(workspace)
    rnd = office.campaign.round(round_number)
    view, path = office.consolidate(rnd, out, fmt, force=force)
    console.render_consolidation(view.result, office.registry.groups, office.campaign.level.whole,
                                 office.campaign.last_target.measure)
    console.success(t("consolidate-written", round=rnd.number, path=path.resolve()))
    return ExitCode.OK
