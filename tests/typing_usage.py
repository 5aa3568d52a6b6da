"""Type-checked by tests/test_quality.py with mypy --strict against the installed package (not run)."""

from __future__ import annotations

import rawsock as rs
from rawsock import AF_INET, SOCK_STREAM, AddressFamily, MsgFlag


def typed_usage() -> None:
    fd: int = rs.socket(AF_INET, SOCK_STREAM | rs.SOCK_NONBLOCK)
    family: AddressFamily = rs.AddressFamily.AF_INET6
    flags: int = MsgFlag.MSG_PEEK | rs.MSG_DONTWAIT
    level: int = rs.SOL_SOCKET + rs.SO_REUSEADDR
    addr: rs.Address = rs.getsockname(fd)
    if isinstance(addr, rs.SockaddrIn):
        host: str = addr.host
        port: int = addr.port
        print(host, port, addr.addrlen)
    pair: tuple[int, int] = rs.socketpair(rs.AF_UNIX, SOCK_STREAM)
    n: int = rs.send(pair[0], memoryview(b"x"), flags)
    data: bytes = rs.recv(pair[1], 10)
    got: tuple[bytes, rs.Address | None] = rs.recvfrom(pair[1], 10)
    with rs.Socket(family, SOCK_STREAM) as s:
        conn, peer = s.accept()
        conn.close()
    try:
        rs.close(fd)
    except rs.SyscallError as e:
        print(e.errno, e.syscall, rs.errno_name(e.errno))
    print(n, data, got, level, peer)
