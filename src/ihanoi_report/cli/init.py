"""ihanoi-report init: editable copies of campaign.toml and units.csv in a workspace, or a ready workspace for a
sub-collector (--for: the Education Office and its schools), or the city's example (--city)."""

from pathlib import Path
from typing import Annotated

from ihanoi_report.cli import console
from ihanoi_report.cli.options import (
    CODE,
    DIR,
    NUMBER,
    CampaignOpt,
    ForceOpt,
    WorkspaceOpt,
    argument,
    open_office,
    option,
)
from ihanoi_report.errors import ExitCode
from ihanoi_report.messages import t

DirArg = Annotated[Path | None, argument("help-arg-dir", DIR, file_okay=False)]
ForOpt = Annotated[str | None, option("--for", help_key="help-opt-for", metavar=CODE)]
DaysOpt = Annotated[int, option("--days-before", help_key="help-opt-days-before", metavar=NUMBER)]
CityOpt = Annotated[bool, option("--city", help_key="help-opt-city")]
ListOpt = Annotated[bool, option("--list", help_key="help-opt-list-campaigns")]


def init(
    directory: DirArg = None,
    for_unit: ForOpt = None,
    days_before: DaysOpt = 2,
    city: CityOpt = False,
    campaign: CampaignOpt = None,
    list_campaigns: ListOpt = False,
    force: ForceOpt = False,
    workspace: WorkspaceOpt = None,
) -> int:
    from ihanoi_report.office import shipped_campaigns, write_config, write_sub_workspace

    if list_campaigns:
        console.render_campaigns([(name, about) for name, (_, about) in shipped_campaigns().items()])
        return ExitCode.OK
    if for_unit is not None:
        sub = write_sub_workspace(open_office(workspace), for_unit, directory, days_before=days_before, force=force)
        console.success(t("init-sub-done", code=for_unit.upper(), path=sub.campaign.parent, days=days_before))
        if sub.parent_sentences:  # not rewritten for the sub-collector: the officer reads them before handing over
            console.notice(t("init-sub-parent-words", keys=", ".join(sub.parent_sentences), path=sub.campaign),
                           style="yellow")
        return ExitCode.OK
    target = directory or Path(".")
    for path, written in write_config(target, force=force, example="city" if city else None, campaign=campaign):
        console.success(t("init-done", path=path)) if written else console.notice(t("init-kept", path=path),
                                                                                   style="yellow")
    console.notice(t("init-next", path=target.expanduser().resolve()), style="")
    return ExitCode.OK
