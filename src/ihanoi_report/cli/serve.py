"""ihanoi-report serve: the officer's desk as a page in the browser, on this computer only."""

import sys
from typing import Annotated

from ihanoi_report.cli import console
from ihanoi_report.cli.options import NUMBER, WorkspaceOpt, option
from ihanoi_report.errors import ExitCode
from ihanoi_report.messages import t

PortOpt = Annotated[int | None, option("--port", help_key="help-opt-port", metavar=NUMBER, min=0, max=65535)]
NoBrowserOpt = Annotated[bool, option("--no-browser", help_key="help-opt-no-browser")]


def _announce(address: str) -> None:
    console.say(address)  # the first line on stdout: what a script or a test reads
    sys.stdout.flush()
    console.notice(t("serve-started"))


def serve(port: PortOpt = None, no_browser: NoBrowserOpt = False, workspace: WorkspaceOpt = None) -> int:
    from ihanoi_report.web.server import bind
    from ihanoi_report.web.server import serve as run

    sock = bind(port)  # a busy port is said before anything starts
    try:
        run(workspace, sock, open_browser=not no_browser, announce=_announce)
    except KeyboardInterrupt as stopped:  # Ctrl-C is how the page is closed; SIGTERM keeps its exit code
        if getattr(stopped, "exit_code", None) is not None:
            raise
    console.notice(t("serve-stopped"))
    return ExitCode.OK
