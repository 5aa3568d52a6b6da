"""No call keeps memory: every allocation the engine makes (PyMem, bytes, snapshots, addresses) is released
on success and on failure.  tracemalloc sees the engine's PyMem allocations as well as Python's."""

from __future__ import annotations

import gc
import os
import tracemalloc
from collections.abc import Callable

import pytest
from conftest import Fds

import rawsock as rs


def _growth(call: Callable[[], object], n: int = 400) -> int:
    for _ in range(50):  # warm the caches (addresses, errno classes, enum members)
        _swallow(call)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(n):
            _swallow(call)
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def _swallow(call: Callable[[], object]) -> None:
    try:
        call()
    except (OSError, TypeError, ValueError, OverflowError):
        pass


@pytest.fixture
def sockets(fds: Fds) -> dict[str, int]:
    u = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM | rs.SOCK_NONBLOCK))
    rs.bind(u, rs.SockaddrIn("127.0.0.1", 0))
    a, b = fds.pair(rs.socketpair(rs.AF_UNIX, rs.SOCK_DGRAM | rs.SOCK_NONBLOCK))
    r, _w = fds.pair(os.pipe())
    return {"udp": u, "a": a, "b": b, "pipe": r}


CALLS: dict[str, Callable[[dict[str, int]], object]] = {
    "send+recv": lambda s: (rs.send(s["a"], b"x" * 100), rs.recv(s["b"], 4096)),
    "recv EAGAIN": lambda s: rs.recv(s["b"], 65536),
    "recv negative": lambda s: rs.recv(s["b"], -1),
    "recv_into": lambda s: (rs.send(s["a"], b"x"), rs.recv_into(s["b"], bytearray(8), 4)),
    "sendto+recvfrom": lambda s: (rs.sendto(s["udp"], b"x", 0, rs.getsockname(s["udp"])), rs.recvfrom(s["udp"], 16)),
    "sendto bad address": lambda s: rs.sendto(s["udp"], b"x", 0, ("", 1)),
    "sendmsg+recvmsg fds": lambda s: (rs.send_fds(s["a"], [b"x"], [s["pipe"]] * 3),
                                      [os.close(fd) for fd in rs.recv_fds(s["b"], 4, 3)[1]]),
    "recvmsg control": lambda s: (rs.send(s["a"], b"y"), rs.recvmsg(s["b"], 16, 256)),
    "sendmmsg+recvmmsg": lambda s: (rs.sendmmsg(s["a"], [b"1", ([b"2", b"3"], None)] * 8),
                                    rs.recvmmsg(s["b"], 16, 64, 0, None, 64)),
    "recvmmsg EAGAIN": lambda s: rs.recvmmsg(s["b"], 1024, 65536, 0, None, 4096),
    "select": lambda s: rs.select([s["a"], s["b"]], [s["a"]], None, 0),
    "select huge nfds": lambda s: rs.select([s["a"]], None, None, 0, nfds=1 << 20),
    "pselect sigmask": lambda s: rs.pselect([s["a"]], None, None, 0, [2, 10]),
    "poll": lambda s: rs.poll([(s["a"], rs.POLLOUT), (s["b"], rs.POLLIN)] * 50, 0),
    "poll slow path": lambda s: rs.poll([[s["a"], rs.POLLOUT]], 0),
    "ppoll": lambda s: rs.ppoll([(s["a"], rs.POLLOUT)], 0, []),
    "getsockopt": lambda s: (rs.getsockopt(s["udp"], rs.SOL_SOCKET, rs.SO_LINGER),
                             rs.getsockopt(s["udp"], rs.SOL_SOCKET, rs.SO_RCVBUF, 4096)),
    "setsockopt": lambda s: rs.setsockopt(s["udp"], rs.SOL_SOCKET, rs.SO_LINGER, rs.Linger(1, 2), 64),
    "ioctl": lambda s: (rs.ioctl(s["udp"], rs.FIONREAD), rs.ioctl(s["udp"], rs.SIOCGIFINDEX, "lo")),
    "fcntl": lambda s: (rs.fcntl(s["a"], rs.F_GETFL), rs.fcntl(s["a"], rs.F_GETOWN_EX, rs.FOwnerEx(0, 0))),
    "socket+close": lambda s: rs.close(rs.socket(rs.AF_INET, rs.SOCK_STREAM)),
    "bad fd": lambda s: rs.getsockname(-1),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_calls_keep_no_memory(sockets: dict[str, int], name: str) -> None:
    grown = _growth(lambda: CALLS[name](sockets))
    assert grown < 16384, f"{name}: {grown} bytes kept after 400 calls"


def test_the_check_sees_a_leak() -> None:
    kept: list[bytearray] = []
    assert _growth(lambda: kept.append(bytearray(100))) >= 400 * 100
