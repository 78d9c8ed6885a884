"""ihanoi-report ingest: read, identify, check and record the returned workbooks of a folder."""

from pathlib import Path
from typing import Annotated

from ihanoi_report.cli import console
from ihanoi_report.cli.options import (
    DATE,
    DIR,
    FILE,
    NUMBER,
    ForceOpt,
    JsonOpt,
    WorkspaceOpt,
    argument,
    bar,
    open_office,
    option,
)
from ihanoi_report.errors import ExitCode
from ihanoi_report.messages import t

FolderArg = Annotated[Path, argument("help-arg-folder", DIR)]
RoundOpt = Annotated[int | None, option("--round", "-r", help_key="help-opt-round-ingest", metavar=NUMBER)]
ReceivedOpt = Annotated[str | None, option("--received", help_key="help-opt-received", metavar=DATE)]
ReportOpt = Annotated[Path | None, option("--report", help_key="help-opt-report", metavar=FILE, dir_okay=False)]
AllOpt = Annotated[bool, option("--all", help_key="help-opt-all")]
FeedbackOpt = Annotated[Path | None, option("--feedback", help_key="help-opt-feedback", metavar=DIR, file_okay=False)]


def ingest(
    folder: FolderArg,
    round_number: RoundOpt = None,
    received: ReceivedOpt = None,
    report: ReportOpt = None,
    feedback: FeedbackOpt = None,
    every_file: AllOpt = False,
    json_output: JsonOpt = False,
    force: ForceOpt = False,
    workspace: WorkspaceOpt = None,
) -> int:
    from ihanoi_report.office import received_day

    office = open_office(workspace)
    planned = office.plan_outputs(folder, report, feedback, force=force)  # refused here, the store is untouched
    # For a program, each file is encoded as it settles; with no list or copies to write, then let go.
    with console.IngestJson(slim=report is None and feedback is None) as json_text:
        result = office.ingest(planned, round_number, received=received_day(received),
                               progress=bar("ingest-progress"), on_file=json_text.add if json_output else None)
        if json_output:
            json_text.write(result)
        else:
            console.render_ingest(result, folder, office.coverage(result), office.unit_name, every_file=every_file,
                                  hint=report is None and feedback is None)
    console.render_outputs(*office.write_outputs(result, planned), feedback)
    console.closed_notices(office.closed_rounds([f.round for f in result.files if f.round is not None]))
    if result.internal_errors:
        console.notice(t("internal-errors", count=result.internal_errors, path=result.error_log or "-"), style="red")
        return ExitCode.INTERNAL
    return ExitCode.INPUT_ERRORS if result.to_send_back else ExitCode.OK
