"""ihanoi-report close: chốt số liệu of a round once its report is sent (reopen.py undoes it)."""

from ihanoi_report.cli import console
from ihanoi_report.cli.options import CloseRoundOpt, WorkspaceOpt, open_office
from ihanoi_report.errors import ExitCode
from ihanoi_report.messages import t
from ihanoi_report.model import Standing

DIGEST_SHOWN = 12  # hex digits of the figures' digest an officer can note beside the report sent


def close(round_number: CloseRoundOpt, workspace: WorkspaceOpt = None) -> int:
    office = open_office(workspace)
    rnd = office.campaign.round(round_number)
    closure, view = office.close_round(rnd)
    at, digest = console.moment(closure.closed_at), closure.digest[:DIGEST_SHOWN]
    if view is None:
        console.notice(t("close-already", round=rnd.number, at=at, digest=digest), style="yellow")
        return ExitCode.OK
    reported = int(view.status["status"].isin([Standing.ON_TIME, Standing.LATE]).sum())
    console.success(t("close-done", round=rnd.number, at=at, reported=reported, expected=len(view.status),
                      digest=digest))  # fmt: skip
    return ExitCode.OK

