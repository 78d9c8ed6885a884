"""`serve`: the page on 127.0.0.1 only, behind a fresh token, until Ctrl-C."""

from __future__ import annotations

import contextlib
import secrets
import socket
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

import uvicorn

from ihanoi_report.errors import UsageError
from ihanoi_report.messages import t
from ihanoi_report.web.guard import Guard
from ihanoi_report.web.pages import Desk, make_app

HOST = "127.0.0.1"  # never another interface: the page is this computer's officer's alone
DEFAULT_PORT = 8765
PORTS_TRIED = 20  # the default taken (a second `serve`): the next free one


def bind(port: int | None) -> socket.socket:
    """The listening socket: the port asked for, or the first free one from DEFAULT_PORT."""
    candidates = [port] if port is not None else list(range(DEFAULT_PORT, DEFAULT_PORT + PORTS_TRIED))
    detail = ""
    for candidate in candidates:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind((HOST, candidate))
            sock.listen(64)
            return sock
        except OSError as failed:
            sock.close()
            detail = failed.strerror or str(failed)
    raise UsageError(t("serve-port-busy", port=DEFAULT_PORT if port is None else port, detail=detail),
                     t("serve-port-busy-hint"))


def serve(workspace: Path | None, sock: socket.socket, *, open_browser: bool,
          announce: Callable[[str], None]) -> None:
    """Serve the workspace's page on ``sock`` until Ctrl-C (or SIGTERM); ``announce`` gets its address first."""
    port = sock.getsockname()[1]
    token = secrets.token_urlsafe(24)
    desk = Desk(workspace)
    desk.office()  # a workspace whose config is wrong is said now, not on the first page
    app = Guard(make_app(desk), token, port)
    address = f"http://{HOST}:{port}/?token={token}"
    announce(address)
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False, server_header=False,
                            date_header=False, timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    if open_browser:
        threading.Timer(0.5, _open, args=(address,)).start()
    server.run(sockets=[sock])


def _open(address: str) -> None:
    with contextlib.suppress(Exception):  # no browser (a server, a container): the address is printed
        webbrowser.open(address)
