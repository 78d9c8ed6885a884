"""ihanoi-report init: editable copies of campaign.toml and units.csv in a workspace."""

from pathlib import Path
from typing import Annotated

from ihanoi_report.cli import console
from ihanoi_report.cli.options import DIR, ForceOpt, argument
from ihanoi_report.errors import ExitCode
from ihanoi_report.messages import t


def init(
    directory: Annotated[Path, argument("help-arg-dir", DIR, file_okay=False)] = Path("."),
    force: ForceOpt = False,
) -> int:
    from ihanoi_report.office import write_config

    for path, written in write_config(directory, force=force):
        if written:
            console.success(t("init-done", path=path))
        else:
            console.notice(t("init-kept", path=path), style="yellow")
    console.notice(t("init-next", path=directory.expanduser().resolve()), style="")
    return ExitCode.OK
