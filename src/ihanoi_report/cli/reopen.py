"""ihanoi-report reopen: a closed round counts its later files again."""

from ihanoi_report.cli import console
from ihanoi_report.cli.options import CloseRoundOpt, WorkspaceOpt, open_office
from ihanoi_report.errors import ExitCode
from ihanoi_report.messages import t


def reopen(round_number: CloseRoundOpt, workspace: WorkspaceOpt = None) -> int:
    office = open_office(workspace)
    rnd = office.campaign.round(round_number)
    closure = office.reopen_round(rnd)
    if closure is None:
        console.notice(t("reopen-not-closed", round=rnd.number), style="yellow")
        return ExitCode.OK
    console.success(t("reopen-done", round=rnd.number, at=console.moment(closure.closed_at)))
    return ExitCode.OK
