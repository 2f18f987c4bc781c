"""``serve`` binds its socket itself, so that a port in use is reported before the address is
shown: the socket must be closed when binding fails, and IPv6 addresses must work."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.cli.serve import bound_socket


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts descriptors in /proc")
def test_a_port_in_use_raises_and_leaves_no_socket_open() -> None:
    with bound_socket("127.0.0.1", 0) as taken:
        taken.listen()
        port = taken.getsockname()[1]
        before = _open_descriptors()
        for _ in range(20):
            with pytest.raises(OSError):
                bound_socket("127.0.0.1", port)
        assert _open_descriptors() == before


def test_an_unknown_host_raises_an_os_error() -> None:
    with pytest.raises(OSError):
        bound_socket("no-such-host.invalid", 8000)


@pytest.mark.skipif(not socket.has_ipv6, reason="no IPv6 in this Python")
def test_an_ipv6_address_is_bound_as_ipv6() -> None:
    try:
        sock = bound_socket("::1", 0)
    except OSError as error:  # IPv6 switched off on this machine
        pytest.skip(f"cannot bind ::1: {error}")
    with sock:
        assert sock.family == socket.AF_INET6
        assert sock.getsockname()[0] == "::1"


def test_serve_closes_its_socket_when_uvicorn_cannot_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uvicorn = pytest.importorskip("uvicorn")
    seen: list[socket.socket] = []

    def run(server: object, sockets: list[socket.socket]) -> None:
        seen.extend(sockets)
        raise SystemExit(3)

    monkeypatch.setattr(uvicorn.Server, "run", run)
    with bound_socket("127.0.0.1", 0) as probe:  # a port free a moment ago
        port = str(probe.getsockname()[1])
    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "x.db"), "--port", port])
    assert result.exit_code == 1 and "could not start" in result.output, result.output
    assert len(seen) == 1 and seen[0].fileno() == -1  # closed
