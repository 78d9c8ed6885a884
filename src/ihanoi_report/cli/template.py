"""ihanoi-report template: the blank form of every unit (or those asked for) for one round."""

from pathlib import Path
from typing import Annotated

from ihanoi_report.cli import console
from ihanoi_report.cli.options import (
    CODE,
    DIR,
    ForceOpt,
    RoundOpt,
    WorkspaceOpt,
    bar,
    chosen_round,
    open_office,
    option,
)
from ihanoi_report.errors import ExitCode
from ihanoi_report.messages import t

UnitOpt = Annotated[list[str] | None, option("--unit", "-u", help_key="help-opt-unit", metavar=CODE)]
GroupOpt = Annotated[str | None, option("--group", "-g", help_key="help-opt-group", metavar=CODE)]
OutOpt = Annotated[Path | None, option("--out", "-o", help_key="help-opt-out", metavar=DIR, file_okay=False)]


def template(
    round_number: RoundOpt = None,
    unit: UnitOpt = None,
    group: GroupOpt = None,
    out: OutOpt = None,
    force: ForceOpt = False,
    workspace: WorkspaceOpt = None,
) -> int:
    from ihanoi_report.office import default_forms_folder

    office = open_office(workspace)
    rnd = chosen_round(office, round_number)
    units = office.pick_units(unit or [], group)
    out_dir = out or default_forms_folder(rnd)
    result = office.template(rnd, units, out_dir, force=force, progress=bar("templates-progress"))
    console.success(t("templates-done", count=len(result.written), round=rnd.number, path=out_dir.resolve()))
    if result.kept:
        console.notice(t("templates-kept", count=len(result.kept)), style="yellow")
    for key, text in office.campaign.form.placeholders():  # said every time: the units cannot fix it themselves
        console.notice(t("templates-placeholder", key=key, text=text, path=office.campaign.source), style="yellow")
    return ExitCode.OK
