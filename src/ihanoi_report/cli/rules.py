"""ihanoi-report rules: the checks, their codes and severities."""

from ihanoi_report.cli import console
from ihanoi_report.errors import ExitCode, IhanoiError


def rules() -> int:
    from ihanoi_report.office import Office
    from ihanoi_report.office import rules as all_rules

    try:  # the workspace's campaign may declare checks of its own; without one, the shipped campaign's
        campaign = Office.open().campaign
    except IhanoiError:
        campaign = None
    console.render_rules(all_rules(campaign))
    return ExitCode.OK
