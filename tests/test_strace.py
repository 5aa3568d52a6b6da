"""Issue 2's proof under strace: a script's rawsock calls appear as exactly those syscalls, with exactly
the given arguments and flags, and nothing else from rawsock."""

from __future__ import annotations

import json
import pathlib
import re
import shutil
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed (.ci/run installs it)")

SCRIPT = textwrap.dedent(
    """
    import json, sys
    import rawsock as rs
    rs.lib.close(-1)  # marker: the traced region starts (the raw layer: returns -1, raises nothing)
    srv = rs.socket(rs.AF_INET, rs.SOCK_STREAM)
    rs.bind(srv, ("127.0.0.1", 0))
    rs.listen(srv, 7)
    port = rs.getsockname(srv).port
    cli = rs.socket(rs.AF_INET, rs.SOCK_STREAM)
    rs.connect(cli, ("127.0.0.1", port))
    conn, peer = rs.accept4(srv, rs.SOCK_NONBLOCK | rs.SOCK_CLOEXEC)
    rs.set_nonblocking(cli)
    rs.send(cli, b"hello", rs.MSG_NOSIGNAL)
    data = rs.recv(conn, 16, rs.MSG_DONTWAIT)
    try:
        rs.recv(conn, 16, rs.MSG_DONTWAIT)
    except BlockingIOError:
        pass
    for fd in (conn, cli, srv):
        rs.close(fd)
    rs.lib.close(-2)  # marker: the traced region ends
    json.dump({"srv": srv, "cli": cli, "conn": conn, "port": port, "peer": peer.port}, sys.stdout)
    """
)


def _trace(tmp_path: pathlib.Path, script: str) -> tuple[list[str], dict[str, int]]:
    log = tmp_path / "strace.log"
    proc = subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=network,fcntl,close", "-o", str(log), sys.executable, "-c", script],
        capture_output=True, text=True, check=True,
    )
    # strace pads the result to a column: "close(3)      = 0" becomes "close(3) = 0"
    lines = [re.sub(r"\)\s+= ", ") = ", line) for line in log.read_text().splitlines()]
    start = next(i for i, line in enumerate(lines) if line.endswith("close(-1) = -1 EBADF (Bad file descriptor)"))
    end = next(i for i, line in enumerate(lines) if line.endswith("close(-2) = -1 EBADF (Bad file descriptor)"))
    pid = lines[start].split()[0]
    region = [line.split(None, 1)[1] for line in lines[start + 1:end] if line.split()[0] == pid]
    return region, json.loads(proc.stdout)


def test_exactly_the_syscalls_asked_for(tmp_path: pathlib.Path) -> None:
    got, v = _trace(tmp_path, SCRIPT)
    sin = 'sa_family=AF_INET, sin_port=htons({}), sin_addr=inet_addr("127.0.0.1")'
    srv, cli, conn = v["srv"], v["cli"], v["conn"]
    expected = [
        f"socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = {srv}",
        f"bind({srv}, {{{sin.format(0)}}}, 16) = 0",
        f"listen({srv}, 7) = 0",
        f"getsockname({srv}, {{{sin.format(v['port'])}}}, [128 => 16]) = 0",
        f"socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = {cli}",
        f"connect({cli}, {{{sin.format(v['port'])}}}, 16) = 0",
        f"accept4({srv}, {{{sin.format(v['peer'])}}}, [128 => 16], SOCK_CLOEXEC|SOCK_NONBLOCK) = {conn}",
        f"fcntl({cli}, F_GETFL) = 0x2 (flags O_RDWR)",
        f"fcntl({cli}, F_SETFL, O_RDWR|O_NONBLOCK) = 0",
        f'sendto({cli}, "hello", 5, MSG_NOSIGNAL, NULL, 0) = 5',
        f'recvfrom({conn}, "hello", 16, MSG_DONTWAIT, NULL, NULL) = 5',
        f"recvfrom({conn}, 0x",
        f"close({conn}) = 0",
        f"close({cli}) = 0",
        f"close({srv}) = 0",
    ]
    assert len(got) == len(expected), "\n".join(got)
    for line, want in zip(got, expected):
        if want.endswith("0x"):  # the failed recv: strace shows the buffer address
            assert line.startswith(want) and line.endswith(
                ", 16, MSG_DONTWAIT, NULL, NULL) = -1 EAGAIN (Resource temporarily unavailable)"), line
        else:
            assert line == want


def test_the_standard_library_adds_what_rawsock_does_not(tmp_path: pathlib.Path) -> None:
    script = textwrap.dedent(
        """
        import socket
        import rawsock as rs
        rs.lib.close(-1)
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.close()
        rs.lib.close(-2)
        print("{}")
        """
    )
    got, _ = _trace(tmp_path, script)
    assert got[0].startswith("socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = ")
