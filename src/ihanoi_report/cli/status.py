"""ihanoi-report status: who has reported a round, who is late or missing, and the reminders to send."""

from pathlib import Path
from typing import Annotated

from ihanoi_report.cli import console
from ihanoi_report.cli.options import DIR, ForceOpt, JsonOpt, RoundOpt, WorkspaceOpt, chosen_round, open_office, option
from ihanoi_report.errors import ExitCode
from ihanoi_report.messages import t

OriginalsOpt = Annotated[
    Path | None, option("--originals", help_key="help-opt-originals", metavar=DIR, file_okay=False)
]


def status(
    round_number: RoundOpt = None,
    json_output: JsonOpt = False,
    originals: OriginalsOpt = None,
    force: ForceOpt = False,
    workspace: WorkspaceOpt = None,
) -> int:
    office = open_office(workspace)
    rnd = chosen_round(office, round_number)
    if originals is not None:
        written = office.originals(rnd.number, originals, force=force)
        console.success(t("originals-done", count=len(written), round=rnd.number, path=originals.resolve()))
        return ExitCode.OK
    found = office.status(rnd)
    console.print_json(found.to_dict()) if json_output else console.render_status(found)
    if found.view.closure is not None:
        console.closed_notices([(found.view.closure, found.view.after_closure)])
    if not found.view.accepted:  # said, not hidden in a table of "missing": maybe the wrong workspace
        console.notice(t("status-nothing-accepted", round=rnd.number), style="yellow")
        return ExitCode.INPUT_ERRORS
    return ExitCode.OK
