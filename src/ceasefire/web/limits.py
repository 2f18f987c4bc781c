"""Guards in front of the app: known host names only, a cap on request bodies, no writes from
other sites, and headers that stop a page from running script it did not ship.

They are plain ASGI middleware so that they act before any request body is parsed: a request for
another host name (DNS rebinding: a hostile site whose name now points at this machine) is refused
with 400, a body over the cap is refused with 413 without being kept, and a browser page from
another origin cannot make the app store a scenario or start a run. Every response says that
only the app's own scripts may run (Content-Security-Policy) and that no other site may frame it.
"""

from __future__ import annotations

import ipaddress
import json
import socket
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
WILDCARDS = frozenset({"0.0.0.0", "::", ""})
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",  # plotly sets styles on the elements it draws
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
)


async def _refuse(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuse (413) any request whose body is longer than ``limit`` bytes."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        too_large = f"the request is larger than the limit of {self.limit:,} bytes"
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                if int(declared) > self.limit:
                    await _refuse(send, 413, too_large)
                    return
            except ValueError:
                await _refuse(send, 400, "invalid Content-Length")
                return
        # Read the body here, counting, so that a chunked upload cannot slip past the cap.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await _refuse(send, 413, too_large)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class SameOrigin:
    """Refuse (403) a write whose ``Origin`` header names another site than the one it is sent to."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS:
            headers = dict(scope.get("headers") or [])
            origin = headers.get(b"origin")
            host = headers.get(b"host", b"").decode("latin-1")
            if origin is not None and urlsplit(origin.decode("latin-1")).netloc != host:
                await _refuse(send, 403, "cross-site requests are refused")
                return
        await self.app(scope, receive, send)


def host_name(header: str) -> str:
    """The name in a ``Host`` header, without its port, lower case (``[::1]:8000`` → ``::1``)."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    if header.count(":") > 1:  # a bare IPv6 address
        return header
    return header.rsplit(":", 1)[0] if ":" in header else header


def allowed_hosts(bound: str) -> frozenset[str]:
    """The host names a server bound to ``bound`` answers to.

    The loopback names, and the address or name it was told to listen on. A server listening on
    every address (``0.0.0.0``, ``::``) also answers to this machine's name; any address typed
    as digits is accepted then too (DNS rebinding needs a name to rebind).
    """
    names = {*LOOPBACK_NAMES, host_name(bound)}
    if bound in WILDCARDS:
        names.update({socket.gethostname().lower(), socket.getfqdn().lower()})
    return frozenset(names - {""})


class HostCheck:
    """Refuse (400) a request whose ``Host`` names none of ``hosts``: the guard against DNS
    rebinding, where a hostile page's own name is made to point at this machine."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str], any_address: bool = False) -> None:
        self.app = app
        self.hosts = hosts
        self.any_address = any_address

    def allows(self, name: str) -> bool:
        if name in self.hosts:
            return True
        if not self.any_address:
            return False
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            headers = dict(scope.get("headers") or [])
            name = host_name(headers.get(b"host", b"").decode("latin-1"))
            if not self.allows(name):
                if scope["type"] == "http":
                    await _refuse(
                        send, 400, "unknown host name; use the address the server printed"
                    )
                return
        await self.app(scope, receive, send)


class SecurityHeaders:
    """Add the Content-Security-Policy and anti-framing headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {key.lower() for key, _ in message.get("headers") or []}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message["headers"] = [*(message.get("headers") or []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)
