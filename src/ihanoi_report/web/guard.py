"""Who may drive the page: only this computer's browser, holding the token `serve` printed.

Every request needs the token (in the address of the first visit, then a cookie); its Host must be this
server's own address (a DNS-rebinding page names another), and a request that changes anything must come
from the page itself (Origin, else Referer): another site open in the same browser cannot post to it.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from ihanoi_report.messages import t

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

SAFE_METHODS = frozenset({"GET", "HEAD"})


def cookie_name(port: int) -> str:
    """Cookies are shared by every port of a host: each server keeps its own."""
    return f"ihanoi_token_{port}"


class Guard:
    """ASGI middleware in front of every route, the static files included."""

    def __init__(self, app: App, token: str, port: int) -> None:
        self.app, self.token, self.port = app, token, port
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{host}" for host in self.hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        refusal = self.refusal(scope["method"], headers)
        if refusal:
            await _page(send, 403, t(refusal))
            return
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if self._holds(query.get("token", "")):
            # the token leaves the address bar (and the history) at once; the cookie carries it from now on
            rest = urlencode({k: v for k, v in query.items() if k != "token"})
            location = quote(scope["path"]) + (f"?{rest}" if rest else "")
            cookie = f"{cookie_name(self.port)}={self.token}; Path=/; HttpOnly; SameSite=Strict"
            await _redirect(send, location, cookie)
            return
        if not self._holds(_cookie(headers.get("cookie", ""), cookie_name(self.port))):
            await _page(send, 403, t("web-refused-token"))
            return
        await self.app(scope, receive, send)

    def refusal(self, method: str, headers: dict[str, str]) -> str:
        """The message key of why a request is refused before its token is even looked at ("" if it is not)."""
        if headers.get("host") not in self.hosts:
            return "web-refused-host"
        origin = headers.get("origin")
        if origin is not None and origin not in self.origins:
            return "web-refused-origin"
        if method not in SAFE_METHODS and origin is None:
            referer = headers.get("referer", "")
            if not any(referer == o or referer.startswith(o + "/") for o in self.origins):
                return "web-refused-origin"
        return ""

    def _holds(self, given: str) -> bool:
        return bool(given) and hmac.compare_digest(given.encode(), self.token.encode())


def _cookie(header: str, name: str) -> str:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except Exception:  # a malformed cookie header holds no token
        return ""
    morsel = jar.get(name)
    return morsel.value if morsel is not None else ""


async def _page(send: Send, status: int, text: str) -> None:
    from html import escape

    body = (f'<!doctype html><html lang="vi"><meta charset="utf-8"><title>ihanoi-report</title>'
            f'<p style="font:16px sans-serif;margin:2em">{escape(text)}</p></html>').encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/html; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def _redirect(send: Send, location: str, cookie: str) -> None:
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode("latin-1")), (b"set-cookie", cookie.encode("latin-1")),
                            (b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})
