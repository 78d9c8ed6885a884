"""ihanoi-report rules: the checks, their codes and severities."""

from ihanoi_report.cli import console
from ihanoi_report.cli.options import WorkspaceOpt, open_office
from ihanoi_report.errors import ExitCode


def rules(workspace: WorkspaceOpt = None) -> int:
    """The workspace's campaign may declare checks of its own; without a campaign.toml there, the shipped one's.
    A campaign.toml with a mistake is said, as by every command, not replaced by the shipped rules in silence."""
    from ihanoi_report.office import rules as all_rules

    console.render_rules(all_rules(open_office(workspace).campaign))
    return ExitCode.OK
