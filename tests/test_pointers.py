"""rawsock.BADPTR and rawsock.NULL: the kernel gets the pointer as is and answers itself (EFAULT for BADPTR's
PROT_NONE page), with the lengths given; the lengths that would let the kernel read or write past rawsock's own
memory are still a ValueError before any syscall."""

from __future__ import annotations

import copy
import errno
import os
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
    for bad, said in ((3, 3), (2**31 - 1, 2**31 - 1), (2**32 + 3, 3), (-(2**32) + 5, 5)):  # nfds_t: 32 bits
        with pytest.raises((ValueError, OverflowError)) as info:
            rs.poll(pairs, 0, nfds=bad)
        if -(2**31) <= bad < 2**32:
            assert str(info.value) == f"poll() argument 'nfds': nfds {said} is more than the 2 pairs given"
        else:  # out of the unsigned int's range: refused as any out-of-range int
            assert info.type is OverflowError
    assert rs.poll(pairs, 0, nfds=2**32 - 1 - 2**32 + 1) == []  # (0)
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


def test_out_addresses(fds: Fds, listener: tuple[int, rs.SockaddrIn]) -> None:
    lst, where = listener

    def accepted(**kw: object) -> object:
        c = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
        rs.connect(c, where)
        try:
            fd, addr = rs.accept(lst, **kw)  # type: ignore[call-overload]
        finally:
            fds.close(c)
        rs.close(fd)
        return addr

    assert accepted(addr=rs.NULL) is None and accepted(addr=rs.NULL, addrlen=rs.NULL) is None
    assert accepted(addr=rs.NULL, addrlen=-1) is None  # the kernel reads no length without an address
    short = accepted(addrlen=4)  # truncated to the 4 bytes given, as the kernel wrote them
    assert isinstance(short, rs.RawSockaddr) and short.family == rs.AF_INET and len(short.data) == 2
    assert accepted(addrlen=0) == rs.RawSockaddr(None, b"")
    assert isinstance(accepted(addrlen=1000), rs.SockaddrIn)  # the kernel writes no more than its address
    for kw, err in (({"addrlen": rs.BADPTR}, errno.EFAULT), ({"addr": rs.BADPTR}, errno.EFAULT),
                    ({"addrlen": -1}, errno.EINVAL), ({"addrlen": rs.NULL}, errno.EFAULT)):
        assert errno_of(lambda: accepted(**kw)) == err, kw  # noqa: B023
    assert errno_of(lambda: rs.getsockname(lst, addrlen=2**32 - 1)) == errno.EINVAL  # the int -1 to the kernel
    assert rs.getsockname(lst, addrlen=2**31 - 1) == where
    c = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    rs.connect(c, where)
    for call in (rs.getsockname, rs.getpeername):
        assert errno_of(lambda: call(c, addr=rs.BADPTR)) == errno.EFAULT  # noqa: B023
        assert errno_of(lambda: call(c, addrlen=rs.BADPTR)) == errno.EFAULT  # noqa: B023
    assert errno_of(lambda: rs.getpeername(lst, addr=rs.BADPTR)) == errno.ENOTCONN  # checked first
    rs.close(rs.accept(lst)[0])
    assert rs.getsockname(lst, addrlen=0) == rs.RawSockaddr(None, b"")
    with pytest.raises(TypeError, match=re.escape("accept() argument 'addr': must be None, rawsock.BADPTR or "
                                                  "rawsock.NULL, not bytes")):
        rs.accept(lst, addr=b"")  # type: ignore[call-overload]


def test_messages(fds: Fds, udp_pair: tuple[int, int, rs.SockaddrIn, rs.SockaddrIn]) -> None:
    a, b = fds.pair(rs.socketpair(rs.AF_UNIX, rs.SOCK_DGRAM | rs.SOCK_NONBLOCK))
    u, v, _, there = udp_pair
    efault = (
        lambda: rs.sendmsg(a, [(rs.BADPTR, 10)]),                      # an iov_base
        lambda: rs.sendmsg(a, rs.NULL, iovlen=1),                      # msg_iov
        lambda: rs.sendmsg(a, [b"x"], msghdr=rs.NULL),                 # the msghdr
        lambda: rs.sendmsg(a, [b"x"], msghdr=rs.BADPTR),
        lambda: rs.sendmsg(a, [b"x"], rs.BADPTR, controllen=16),       # msg_control
        lambda: rs.sendmsg(u, [b"x"], (), 0, rs.BADPTR, namelen=16),   # msg_name
        lambda: rs.sendmmsg(a, rs.NULL, vlen=1),                       # msgvec
        lambda: rs.recvmmsg(b, 2, 8, 0, msgvec=rs.BADPTR),
    )
    for call in efault:
        assert errno_of(call) == errno.EFAULT
    assert errno_of(lambda: rs.sendmsg(u, [b"x"], (), 0, there, namelen=1)) == errno.EINVAL
    assert errno_of(lambda: rs.sendmsg(a, [b"x"], iovlen=-1)) == errno.EMSGSIZE  # past UIO_MAXIOV: refused first
    assert rs.sendmsg(a, [b"ab", rs.NULL, (rs.NULL, 0)]) == 2  # empty iovecs are never read
    assert rs.sendmsg(a, [b"x", b"y"], iovlen=1) == 1 and rs.sendmsg(a, rs.BADPTR) == 0
    assert rs.sendmmsg(a, [b"p", b"q"], vlen=1) == 1
    assert [m.data for m in (rs.recvmsg(b, 16) for _ in range(4))] == [b"ab", b"x", b"", b"p"]
    rs.send(a, b"data")
    peek = rs.MSG_PEEK  # (a datagram that faults on its way out is otherwise dropped)
    for call in (lambda: rs.recvmsg(b, 16, 0, peek, msghdr=rs.NULL),
                 lambda: rs.recvmsg_into(b, [(rs.BADPTR, 8)], 0, peek),
                 lambda: rs.recvmsg_into(b, rs.NULL, 0, peek, iovlen=1)):
        assert errno_of(call) == errno.EFAULT
    # a socketpair's sender has no name: the kernel writes none, and msg_name is never touched
    assert rs.recvmsg(b, 16, 0, peek, name=rs.BADPTR) == (b"data", [], 0, None)
    rs.sendto(u, b"named", 0, rs.getsockname(v))
    assert errno_of(lambda: rs.recvmsg(v, 16, 0, rs.MSG_DONTWAIT, name=rs.BADPTR)) == errno.EFAULT
    assert errno_of(lambda: rs.recvmsg(b, 16, 0, peek, iovlen=-1)) == errno.EMSGSIZE
    assert rs.recvmsg(b, 16, 64, control=rs.BADPTR).data == b"data"  # no control message to write
    with pytest.raises(ValueError, match="sendmsg\\(\\) argument 'iovlen': 2 is more than the 1 rawsock holds"):
        rs.sendmsg(a, [b"x"], iovlen=2)
    with pytest.raises(ValueError, match="sendmsg\\(\\) argument 'controllen': 64 is more than the 0 rawsock"):
        rs.sendmsg(a, [b"x"], controllen=64)
    with pytest.raises(ValueError, match="sendmmsg\\(\\) argument 'vlen': vlen -1: the kernel would read 1024"):
        rs.sendmmsg(a, [b"x"], vlen=-1)
    with pytest.raises(TypeError, match=re.escape("recvmsg() argument 'name': must be None, rawsock.BADPTR")):
        rs.recvmsg(b, 16, name=b"")  # type: ignore[arg-type]


def test_iovecs_and_fdsets(fds: Fds, unix_pair: tuple[int, int]) -> None:
    r, w = fds.pair(rs.pipe2(rs.O_NONBLOCK))
    a, _ = unix_pair
    assert errno_of(lambda: rs.writev(w, [b"ab", (rs.BADPTR, 3)])) == errno.EFAULT
    assert errno_of(lambda: rs.writev(w, rs.NULL, iovcnt=1)) == errno.EFAULT
    assert errno_of(lambda: rs.writev(w, [b"ab"], iovcnt=-1)) == errno.EINVAL
    assert errno_of(lambda: rs.writev(w, [b"ab"], iovcnt=1025)) == errno.EINVAL  # past UIO_MAXIOV
    assert rs.writev(w, [b"ab", b"cd"], iovcnt=1) == 2
    with pytest.raises(ValueError, match="writev\\(\\) argument 'iovcnt': iovcnt 2 is more than the 1 buffers"):
        rs.writev(w, [b"ab"], iovcnt=2)
    assert errno_of(lambda: rs.readv(r, [(rs.BADPTR, 3)])) == errno.EFAULT
    assert errno_of(lambda: rs.readv(r, rs.BADPTR, iovcnt=2)) == errno.EFAULT
    assert rs.read(r, 8) == b"ab"
    assert errno_of(lambda: rs.select(rs.BADPTR, None, None, 0, nfds=a + 1)) == errno.EFAULT
    assert errno_of(lambda: rs.select([a], rs.NULL, rs.BADPTR, 0)) == errno.EFAULT
    result = rs.select([a], rs.NULL, [], 0)  # a NULL set is no set
    assert (result.readable, result.writable, result.exceptional, result.nready) == ([], [], [], 0)


def test_options_ioctl_fcntl(fds: Fds) -> None:
    u = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM))
    for call in (lambda: rs.getsockopt(u, rs.SOL_SOCKET, rs.SO_RCVBUF, 4, optval=rs.BADPTR),
                 lambda: rs.getsockopt(u, rs.SOL_SOCKET, rs.SO_RCVBUF, optlen=rs.BADPTR),
                 lambda: rs.getsockopt(u, rs.SOL_SOCKET, rs.SO_RCVBUF, optval=rs.NULL, optlen=rs.NULL),
                 lambda: rs.setsockopt(u, rs.SOL_SOCKET, rs.SO_RCVBUF, rs.BADPTR, 4),
                 lambda: rs.ioctl(u, rs.FIONREAD, rs.BADPTR), lambda: rs.ioctl(u, rs.SIOCGIFFLAGS, rs.NULL),
                 lambda: rs.fcntl(u, rs.F_GETLK, rs.BADPTR), lambda: rs.fcntl(u, rs.F_GETOWN_EX, rs.NULL)):
        assert errno_of(call) == errno.EFAULT
    assert errno_of(lambda: rs.getsockopt(u, rs.SOL_SOCKET, rs.SO_RCVBUF, -1)) == errno.EINVAL  # as given
    assert errno_of(lambda: rs.setsockopt(u, rs.SOL_SOCKET, rs.SO_RCVBUF, rs.NULL)) == errno.EINVAL  # optlen 0
    assert errno_of(lambda: rs.setsockopt(u, rs.SOL_SOCKET, rs.SO_RCVBUF, 1024, -1)) == errno.EINVAL
    assert rs.getsockopt(u, rs.SOL_SOCKET, rs.SO_RCVBUF, 0, optval=rs.NULL) is None  # optlen 0: nothing written
    assert rs.getsockopt(u, rs.SOL_SOCKET, rs.SO_RCVBUF, 0) == b""
    with pytest.raises(TypeError, match=re.escape("getsockopt() argument 'optlen': must be None, rawsock.BADPTR")):
        rs.getsockopt(u, rs.SOL_SOCKET, rs.SO_RCVBUF, optlen=4)  # type: ignore[call-overload]


def test_epoll_arrays_and_offsets(fds: Fds, unix_pair: tuple[int, int]) -> None:
    a, _ = unix_pair
    ep = fds(rs.epoll_create1(0))
    rs.epoll_ctl(ep, rs.EPOLL_CTL_ADD, a, (rs.EPOLLOUT, a))
    assert errno_of(lambda: rs.epoll_wait(ep, 4, 0, events=rs.BADPTR)) == errno.EFAULT
    assert errno_of(lambda: rs.epoll_pwait(ep, 4, 0, None, events=rs.NULL)) == errno.EFAULT
    assert errno_of(lambda: rs.epoll_pwait2(ep, -1, 0, None, events=rs.BADPTR)) == errno.EINVAL  # checked first
    assert rs.epoll_wait(ep, 4, 0) == [rs.EpollEvent(rs.EPOLLOUT, a)]
    r, w = fds.pair(rs.pipe2(rs.O_NONBLOCK))
    rs.write(w, b"data")
    # splice refuses a pipe's offset before it reads it; sendfile reads it first
    assert errno_of(lambda: rs.splice(r, rs.BADPTR, w, None, 4, rs.SPLICE_F_NONBLOCK)) == errno.ESPIPE
    assert errno_of(lambda: rs.sendfile(a, r, rs.BADPTR, 4)) == errno.EFAULT
    f = fds(os.memfd_create("rawsock-test"))
    rs.write(f, b"file")
    assert errno_of(lambda: rs.sendfile(a, f, rs.BADPTR, 4)) == errno.EFAULT
    assert errno_of(lambda: rs.splice(f, rs.BADPTR, w, None, 4, rs.SPLICE_F_NONBLOCK)) == errno.EFAULT
    assert rs.splice(r, rs.NULL, a, None, 4) == (4, None, None)  # NULL is no offset, as None
