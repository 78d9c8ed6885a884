"""ihanoi-report recover: take the originals of the received files out of a damaged store, to ingest again."""

from pathlib import Path
from typing import Annotated

from ihanoi_report.cli import console
from ihanoi_report.cli.options import DIR, FILE, WorkspaceOpt, open_office, option
from ihanoi_report.errors import ExitCode
from ihanoi_report.messages import t

FromOpt = Annotated[Path | None, option("--from", help_key="help-opt-recover-from", metavar=FILE, dir_okay=False)]
OutOpt = Annotated[Path, option("--out", "-o", help_key="help-opt-out-recover", metavar=DIR, file_okay=False)]


def recover(
    source: FromOpt = None,
    out: OutOpt = Path("khoi-phuc"),
    workspace: WorkspaceOpt = None,
) -> int:
    office = open_office(workspace)
    folders, lost = office.recover(source, out)
    console.success(t("recover-done", path=out))
    for folder, number in folders:  # what to run, in order: the rounds as the officer confirmed them, then the rest
        console.say(f"  ihanoi-report ingest {folder}" + (f" --round {number}" if number is not None else ""))
    if lost:
        console.notice(t("recover-lost", count=lost) if lost > 0 else t("recover-nothing"), style="red")
        return ExitCode.FAILED
    return ExitCode.OK
