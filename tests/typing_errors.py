"""Type-checked by tests/test_quality.py with mypy --strict: every line marked ``# error`` must be an error, and no
other line (so the typed overloads cannot quietly decay to Any)."""

from __future__ import annotations

import rawsock as rs


def wrong_types(fd: int) -> None:
    a: rs.Timeval = rs.getsockopt(fd, rs.SOL_SOCKET, rs.SO_RCVBUF)  # error
    b: int = rs.getsockopt(fd, rs.SOL_SOCKET, rs.SO_LINGER)  # error
    c: str = rs.getsockopt(fd, rs.SOL_SOCKET, rs.SO_RCVBUF, 4)  # error
    d: int = rs.ioctl(fd, rs.SIOCGSTAMP)  # error
    e: rs.Timeval = rs.ioctl(fd, rs.SIOCGSTAMPNS)  # error
    f: int = rs.fcntl(fd, rs.F_GETOWN_EX, rs.FOwnerEx(0, 0))  # error
    with rs.Socket(rs.AF_INET, rs.SOCK_STREAM) as s:
        g: rs.Linger = s.getsockopt(rs.SOL_SOCKET, rs.SO_RCVBUF)  # error
    print(a, b, c, d, e, f, g)
