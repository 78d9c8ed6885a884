"""ihanoi-report rules: the checks, their codes and severities."""

from ihanoi_report.cli import console
from ihanoi_report.errors import ExitCode


def rules() -> int:
    from ihanoi_report.office import rules as all_rules

    console.render_rules(all_rules())
    return ExitCode.OK
