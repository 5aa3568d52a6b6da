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
    rcvbuf: int = rs.getsockopt(fd, rs.SOL_SOCKET, rs.SO_RCVBUF)       # typed per option
    linger: rs.Linger = rs.getsockopt(fd, rs.SOL_SOCKET, rs.SO_LINGER)
    timeout: rs.Timeval = rs.getsockopt(fd, rs.SOL_SOCKET, rs.SO_RCVTIMEO)
    info: rs.TcpInfo = rs.getsockopt(fd, rs.IPPROTO_TCP, rs.TCP_INFO)
    raw: bytes = rs.getsockopt(fd, rs.SOL_SOCKET, rs.SO_RCVBUF, 4)
    stamp: rs.Timeval = rs.ioctl(fd, rs.SIOCGSTAMP)                     # typed per request
    stampns: rs.Timespec = rs.ioctl(fd, rs.SIOCGSTAMPNS)
    waiting: int = rs.ioctl(fd, rs.FIONREAD)
    ifr: rs.Ifreq = rs.ioctl(fd, rs.SIOCGIFFLAGS, "lo")
    owner: rs.FOwnerEx = rs.fcntl(fd, rs.F_GETOWN_EX, rs.FOwnerEx(0, 0))  # typed per command
    lock: rs.Flock = rs.fcntl(fd, rs.F_GETLK, rs.Flock(rs.F_WRLCK, 0, 0, 0, 0))
    fl: int = rs.fcntl(fd, rs.F_GETFL)
    with rs.Socket(family, SOCK_STREAM) as s2:
        sndbuf: int = s2.getsockopt(rs.SOL_SOCKET, rs.SO_SNDBUF)
        stamp2: rs.Timeval = s2.ioctl(rs.SIOCGSTAMP)
        fl2: int = s2.fcntl(rs.F_GETFL)
    print(n, data, got, level, peer, rcvbuf, linger, timeout, info, raw, stamp, stampns, waiting, ifr, owner, lock, fl,
          sndbuf, stamp2, fl2)
