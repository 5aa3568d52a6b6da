"""rawsock.BADPTR and rawsock.NULL: the kernel gets the pointer as is and answers itself (EFAULT for BADPTR's
PROT_NONE page), with the lengths given; the lengths that would let the kernel read or write past rawsock's own
memory are still a ValueError before any syscall."""

from __future__ import annotations

import copy
import errno
import pickle
import re

import pytest
from conftest import Fds, errno_of

import rawsock as rs


def test_the_two_pointers() -> None:
    assert repr(rs.BADPTR) == "rawsock.BADPTR" and repr(rs.NULL) == "rawsock.NULL"
    assert rs.NULL.address == 0 and rs.BADPTR.address != 0 and rs.BADPTR.address % 4096 == 0
    assert bool(rs.BADPTR) and not rs.NULL
    assert pickle.loads(pickle.dumps(rs.BADPTR)) is rs.BADPTR and copy.copy(rs.NULL) is rs.NULL
    with pytest.raises(TypeError, match="cannot be instantiated"):
        rs.Pointer()
    with pytest.raises(AttributeError, match="read-only"):
        rs.BADPTR._address = 1  # type: ignore[misc]
    # the page is PROT_NONE: /proc/self/maps shows it with no permission
    with open("/proc/self/maps") as maps:
        line = next(entry for entry in maps if int(entry.split("-")[0], 16) == rs.BADPTR.address)
    assert line.split()[1] == "---p"


def test_data_buffers(unix_pair: tuple[int, int]) -> None:
    a, b = unix_pair
    assert errno_of(lambda: rs.send(a, rs.BADPTR, nbytes=10)) == errno.EFAULT
    assert errno_of(lambda: rs.sendto(a, rs.BADPTR, 0, rs.NULL, 0, nbytes=1)) == errno.EFAULT
    assert errno_of(lambda: rs.write(a, rs.BADPTR, nbytes=1)) == errno.EFAULT
    assert errno_of(lambda: rs.send(a, rs.NULL, nbytes=1)) == errno.EFAULT
    assert rs.send(a, rs.NULL) == 0 and rs.send(a, rs.BADPTR) == 0  # a zero-length send reads nothing
    assert errno_of(lambda: rs.send(a, rs.BADPTR, nbytes=-1)) == errno.EFAULT  # size_t -1: the kernel's to judge
    assert rs.send(a, b"abcdef", nbytes=2) == 2 and rs.recv(b, 10) == b"ab"
    assert rs.send(a, b"xyz") == 3
    assert errno_of(lambda: rs.recv_into(b, rs.BADPTR, 3)) == errno.EFAULT
    assert rs.recv(b, 10) == b"xyz"  # the EFAULT consumed nothing
    assert errno_of(lambda: rs.recv_into(b, rs.NULL, 1, rs.MSG_DONTWAIT)) == errno.EAGAIN
    rs.set_nonblocking(b)
    # read(2) checks the range before it looks for data; recv(2) looks for data first
    assert errno_of(lambda: rs.read_into(b, rs.BADPTR, 1 << 40)) == errno.EFAULT
    for bad in (-1, 7):
        with pytest.raises(ValueError, match=f"send\\(\\) argument 'nbytes': nbytes {bad} does not fit the "
                                             "3-byte buffer"):
            rs.send(a, b"abc", nbytes=bad)
    with pytest.raises(TypeError, match="'data'"):
        rs.send(a, None)  # type: ignore[arg-type]


def test_addresses(fds: Fds) -> None:
    u = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM))
    assert errno_of(lambda: rs.bind(u, rs.BADPTR, 16)) == errno.EFAULT
    assert errno_of(lambda: rs.bind(u, rs.BADPTR)) == errno.EINVAL  # addrlen None is 0: too short
    assert errno_of(lambda: rs.connect(u, rs.BADPTR, -1)) == errno.EINVAL  # checked before the copy
    assert errno_of(lambda: rs.connect(u, rs.NULL, 16)) == errno.EFAULT
    assert errno_of(lambda: rs.sendto(u, b"x", 0, rs.BADPTR, 16)) == errno.EFAULT
    assert errno_of(lambda: rs.sendto(u, b"x", 0, rs.NULL, 0)) == errno.EDESTADDRREQ


def test_socketpair_sv() -> None:
    assert errno_of(lambda: rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM, sv=rs.BADPTR)) == errno.EFAULT
    assert errno_of(lambda: rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM, sv=rs.NULL)) == errno.EFAULT
    with pytest.raises(TypeError, match=re.escape("socketpair() argument 'sv': must be None, rawsock.BADPTR or "
                                                  "rawsock.NULL, not int")):
        rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM, sv=5)  # type: ignore[arg-type]


def test_poll_pointers_and_nfds(unix_pair: tuple[int, int]) -> None:
    a, b = unix_pair
    assert errno_of(lambda: rs.poll(rs.BADPTR, 0, nfds=1)) == errno.EFAULT
    assert rs.poll(rs.BADPTR, 0) == [] and rs.poll(rs.NULL, 0, nfds=0) == []
    assert errno_of(lambda: rs.poll(rs.NULL, 0, nfds=-1)) == errno.EINVAL  # past RLIMIT_NOFILE
    pairs = [(a, rs.POLLOUT), (b, rs.POLLOUT)]
    assert rs.poll(pairs, 0, nfds=1) == [(a, rs.POLLOUT)]
    assert rs.poll(pairs, 0, nfds=0) == []
    assert rs.poll(pairs, 0) == [(a, rs.POLLOUT), (b, rs.POLLOUT)]  # the cached array, every revents fresh
    assert errno_of(lambda: rs.poll(pairs, 0, nfds=-1)) == errno.EINVAL
    assert errno_of(lambda: rs.poll(pairs, 0, nfds=2**31)) == errno.EINVAL
    for bad in (3, 2**31 - 1):
        with pytest.raises(ValueError, match=f"poll\\(\\) argument 'nfds': nfds {bad} is more than the 2 pairs"):
            rs.poll(pairs, 0, nfds=bad)
    assert errno_of(lambda: rs.ppoll(pairs, rs.BADPTR)) == errno.EFAULT
    assert errno_of(lambda: rs.ppoll(pairs, 0, rs.BADPTR)) == errno.EFAULT
    assert rs.ppoll(pairs, rs.NULL, rs.NULL, nfds=1) == [(a, rs.POLLOUT)]
    assert errno_of(lambda: rs.ppoll(rs.BADPTR, 0, nfds=1)) == errno.EFAULT


def test_timeouts_and_masks(fds: Fds, unix_pair: tuple[int, int]) -> None:
    a, b = unix_pair
    assert errno_of(lambda: rs.select([a], None, None, rs.BADPTR)) == errno.EFAULT
    assert errno_of(lambda: rs.pselect([a], None, None, rs.BADPTR)) == errno.EFAULT
    assert errno_of(lambda: rs.pselect([a], None, None, 0, rs.BADPTR)) == errno.EFAULT
    assert rs.pselect([], [a], [], 0, rs.NULL).writable == [a]
    ep = fds(rs.epoll_create1(0))
    assert errno_of(lambda: rs.epoll_pwait2(ep, 1, rs.BADPTR)) == errno.EFAULT
    assert errno_of(lambda: rs.epoll_pwait(ep, 1, 0, rs.BADPTR)) == errno.EFAULT
    assert rs.epoll_pwait(ep, 1, 0, rs.NULL) == []
    assert errno_of(lambda: rs.recvmmsg(b, 1, 4, rs.MSG_DONTWAIT, rs.BADPTR)) == errno.EFAULT
    assert errno_of(lambda: rs.epoll_ctl(ep, rs.EPOLL_CTL_ADD, a, rs.BADPTR)) == errno.EFAULT
    assert errno_of(lambda: rs.epoll_ctl(ep, rs.EPOLL_CTL_ADD, a, rs.NULL)) == errno.EFAULT
    assert rs.epoll_ctl(ep, rs.EPOLL_CTL_ADD, a, (rs.EPOLLOUT, 1)) is None
    assert rs.epoll_ctl(ep, rs.EPOLL_CTL_DEL, a, rs.NULL) is None
