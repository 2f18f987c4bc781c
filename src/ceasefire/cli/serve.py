"""``ceasefire serve``: the web app on this machine (127.0.0.1 unless told otherwise)."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Annotated

import typer

from ceasefire.cli.common import EXIT_USAGE, console, fail


def bound_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port``, so that a port in use is known before the address is
    shown (the server listens on it). Raises ``OSError`` if it cannot be bound."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock


def serve(
    host: Annotated[
        str,
        typer.Option(
            help="Address to listen on; other machines can connect only if not 127.0.0.1."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    db: Annotated[
        Path | None,
        typer.Option(
            help="SQLite file of scenarios and runs "
            "(default: $CEASEFIRE_DB, else ~/.local/share/ceasefire/ceasefire.db).",
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Serve the web app: scenarios, runs, figures and what-if sliders in a browser."""
    try:
        import uvicorn

        from ceasefire.web.app import create_app
        from ceasefire.web.store import StoreError, default_db_path
    except ImportError as error:
        fail(
            f"the web app needs its extra packages ({error.name} is missing): "
            "pip install 'ceasefire[web]'",
            EXIT_USAGE,
        )
    path = db or default_db_path()
    try:
        app = create_app(path, host=host)
    except StoreError as error:  # another server holds it, or it is not an SQLite file
        fail(str(error))
    except OSError as error:
        fail(f"{path}: cannot open the database: {error.strerror or error}")
    shown = f"[{host}]" if ":" in host else host
    # What can fail before the server runs comes before binding, so that the socket is never
    # left open.
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    try:
        listening = bound_socket(host, port)
    except OSError as error:  # the port in use, an address not of this machine, a bad name
        fail(
            f"{shown}:{port}: the web app could not start: {error.strerror or error}; if the "
            "port is in use, give another --port or stop the program that uses it"
        )
    with listening:  # closed however the server ends, or if the lines below cannot be printed
        console.print(
            f"ceasefire web app on http://{shown}:{port}/ (database {path})",
            markup=False,
            soft_wrap=True,
        )
        if host not in ("127.0.0.1", "localhost", "::1"):
            console.print(
                "warning: listening beyond this machine; the app has no login.", markup=False
            )
        try:
            server.run(sockets=[listening])
        except SystemExit as stop:
            # uvicorn exits 3 when it cannot start (the port in use, an address not of this
            # machine), after logging why: that is bad input, not a bug of ceasefire.
            if stop.code in (0, None):
                raise
            fail(
                f"{shown}:{port}: the web app could not start (above: why); if the port is in "
                "use, give another --port or stop the program that uses it"
            )
