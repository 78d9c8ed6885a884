"""ihanoi-report summary: the round's report for the leaders (.docx), pictures and a message for Zalo."""

from pathlib import Path
from typing import Annotated

from ihanoi_report.cli import console
from ihanoi_report.cli.options import DIR, ForceOpt, RoundOpt, WorkspaceOpt, bar, chosen_round, open_office, option
from ihanoi_report.errors import ExitCode
from ihanoi_report.messages import t

OutOpt = Annotated[Path | None, option("--out", "-o", help_key="help-opt-out-pack", metavar=DIR, file_okay=False)]
PdfOpt = Annotated[bool, option("--pdf", help_key="help-opt-pdf")]


def summary(
    round_number: RoundOpt = None,
    out: OutOpt = None,
    pdf: PdfOpt = False,
    force: ForceOpt = False,
    workspace: WorkspaceOpt = None,
) -> int:
    office = open_office(workspace)
    rnd = chosen_round(office, round_number)
    pack = office.summary(rnd, out, force=force, pdf=pdf, progress=bar("summary-progress"))
    console.render_pack(pack)
    if not pack.has_reports:  # written all the same, as frames: said, so it is not sent by mistake
        console.notice(t("summary-no-reports", round=rnd.number), style="yellow")
        return ExitCode.INPUT_ERRORS
    return ExitCode.OK
