"""read(2), write(2), readv(2), writev(2), pipe(2), dup(2), sendfile(2), splice(2) and epoll(7), against the
kernel: exact results, exact errnos, and the arguments passed as given."""

from __future__ import annotations

import errno
import os
import signal
import threading
from collections.abc import Iterator

import pytest
from conftest import Fds, errno_of

import rawsock as rs


@pytest.fixture
def pipe(fds: Fds) -> tuple[int, int]:
    return fds.pair(rs.pipe())


@pytest.fixture
def data_file(tmp_path: os.PathLike[str], fds: Fds) -> int:
    path = os.path.join(tmp_path, "data")
    with open(path, "wb") as f:
        f.write(b"0123456789")
    return fds(os.open(path, os.O_RDONLY))


def _flags(fd: int) -> tuple[int, int]:
    return rs.fcntl(fd, rs.F_GETFL), rs.fcntl(fd, rs.F_GETFD)


# --- read, write, readv, writev ---------------------------------------------------------------------------------

def test_read_and_write_on_a_pipe(pipe: tuple[int, int]) -> None:
    r, w = pipe
    assert rs.write(w, b"hello\0world") == 11
    assert rs.read(r, 5) == b"hello"
    buf = bytearray(10)
    assert rs.read_into(r, buf, 3) == 3 and buf[:3] == b"\0wo"
    assert rs.read_into(r, memoryview(buf)[5:]) == 3 and buf == b"\0wo\0\0rld\0\0"
    assert rs.read(r, 0) == b""  # the syscall is made: a zero count reads nothing
    rs.close(w)
    assert rs.read(r, 10) == b""  # end of file


def test_read_and_write_errnos(pipe: tuple[int, int], closed_fd: int, unix_pair: tuple[int, int]) -> None:
    r, w = pipe
    assert errno_of(lambda: rs.read(closed_fd, 1)) == errno.EBADF
    assert errno_of(lambda: rs.read(w, 1)) == errno.EBADF  # the write end is not open for reading
    assert errno_of(lambda: rs.write(r, b"x")) == errno.EBADF
    rs.fcntl(r, rs.F_SETFL, rs.O_NONBLOCK)
    assert errno_of(lambda: rs.read(r, 1)) == errno.EAGAIN
    with rs.Epoll() as ep:
        assert errno_of(lambda: rs.read(ep.fileno(), 1)) == errno.EINVAL
    a, b = unix_pair
    rs.close(b)
    old = signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    try:
        assert errno_of(lambda: rs.write(a, b"x")) == errno.EPIPE
    finally:
        signal.signal(signal.SIGPIPE, old)
    with pytest.raises(TypeError, match=r"^read_into\(\) argument 'buffer': must be a contiguous, writable "):
        rs.read_into(r, b"ro")
    with pytest.raises(ValueError, match=r"^read\(\) argument 'count'"):
        rs.read(r, -1)


def test_readv_scatters_and_writev_gathers(pipe: tuple[int, int]) -> None:
    r, w = pipe
    assert rs.writev(w, [b"ab", memoryview(b"cdef")[1:], bytearray(b"gh")]) == 7
    first, second = bytearray(2), bytearray(10)
    assert rs.readv(r, [first, second]) == 7
    assert first == b"ab" and second[:5] == b"defgh"
    assert rs.writev(w, b"one buffer") == 10
    assert rs.readv(r, bytearray(4)) == 4
    assert rs.writev(w, []) == 0  # iovcnt 0: nothing written, no error
    with pytest.raises(TypeError, match=r"^readv\(\) argument 'buffers': must be a contiguous, writable "):
        rs.readv(r, [bytearray(1), b"read-only"])


def test_readv_errnos(pipe: tuple[int, int], closed_fd: int) -> None:
    _, w = pipe
    assert errno_of(lambda: rs.readv(closed_fd, [bytearray(1)])) == errno.EBADF
    assert errno_of(lambda: rs.writev(w, [b"x"] * 1025)) == errno.EINVAL  # iovcnt above IOV_MAX


# --- pipe, pipe2, dup, dup3 ---------------------------------------------------------------------------------------

def test_pipe_and_pipe2_flags_are_the_callers(fds: Fds) -> None:
    r, w = fds.pair(rs.pipe())
    assert _flags(r) == (rs.O_RDONLY, 0) and _flags(w) == (rs.O_WRONLY, 0)
    r2, w2 = fds.pair(rs.pipe2(rs.O_CLOEXEC | rs.O_NONBLOCK))
    assert _flags(r2) == (rs.O_RDONLY | rs.O_NONBLOCK, rs.FD_CLOEXEC)
    assert _flags(w2) == (rs.O_WRONLY | rs.O_NONBLOCK, rs.FD_CLOEXEC)
    assert errno_of(lambda: rs.pipe2(0x1)) == errno.EINVAL


def test_dup_and_dup3(pipe: tuple[int, int], fds: Fds, closed_fd: int) -> None:
    r, w = pipe
    rs.fcntl(r, rs.F_SETFD, rs.FD_CLOEXEC)
    d = fds(rs.dup(r))
    assert d > w and rs.fcntl(d, rs.F_GETFD) == 0  # dup never copies FD_CLOEXEC
    target = fds(rs.dup(w))
    assert rs.dup3(r, target, rs.O_CLOEXEC) == target  # silently closes what target was
    assert _flags(target) == (rs.O_RDONLY, rs.FD_CLOEXEC)
    assert errno_of(lambda: rs.dup(closed_fd)) == errno.EBADF
    assert errno_of(lambda: rs.dup3(r, r, 0)) == errno.EINVAL
    assert errno_of(lambda: rs.dup3(r, target, 0x1)) == errno.EINVAL
    assert errno_of(lambda: rs.dup3(r, -1, 0)) == errno.EBADF


# --- sendfile, splice ------------------------------------------------------------------------------------------------

def test_sendfile_with_and_without_an_offset(data_file: int, unix_pair: tuple[int, int]) -> None:
    a, b = unix_pair
    assert rs.sendfile(a, data_file, 2, 5) == rs.SendfileResult(5, 7)
    assert rs.recv(b, 10) == b"23456"
    assert os.lseek(data_file, 0, os.SEEK_CUR) == 0  # an offset given leaves the file's own alone
    assert rs.sendfile(a, data_file, None, 3) == rs.SendfileResult(3, None)
    assert rs.recv(b, 10) == b"012" and os.lseek(data_file, 0, os.SEEK_CUR) == 3
    assert rs.sendfile(a, data_file, 10, 5) == rs.SendfileResult(0, 10)  # at the end: 0, offset unchanged
    assert errno_of(lambda: rs.sendfile(a, data_file, -1, 5)) == errno.EINVAL
    assert errno_of(lambda: rs.sendfile(data_file, a, None, 5)) == errno.EBADF  # data_file is read-only
    with rs.Socket(rs.AF_UNIX, rs.SOCK_STREAM) as s:
        assert errno_of(lambda: s.sendfile(data_file, 0, 1)) == errno.ENOTCONN


def test_splice_between_a_file_and_a_pipe(data_file: int, pipe: tuple[int, int]) -> None:
    r, w = pipe
    assert rs.splice(data_file, 1, w, None, 4) == rs.SpliceResult(4, 5, None)
    assert rs.read(r, 10) == b"1234"
    assert rs.splice(data_file, None, w, None, 2, rs.SPLICE_F_NONBLOCK) == rs.SpliceResult(2, None, None)
    assert rs.read(r, 10) == b"01"
    assert errno_of(lambda: rs.splice(data_file, None, w, 0, 2)) == errno.ESPIPE  # an offset for the pipe
    assert errno_of(lambda: rs.splice(r, None, w, None, 1)) == errno.EINVAL  # the same pipe
    assert errno_of(lambda: rs.splice(r, None, w, None, 1, rs.SPLICE_F_NONBLOCK)) == errno.EINVAL


# --- epoll ------------------------------------------------------------------------------------------------------------

@pytest.fixture
def epfd(fds: Fds) -> int:
    return fds(rs.epoll_create1(0))


def test_epoll_create_checks_only_its_size(fds: Fds) -> None:
    ep = fds(rs.epoll_create(1))
    assert rs.fcntl(ep, rs.F_GETFD) == 0 and rs.epoll_wait(ep, 1, 0) == []
    fds(rs.epoll_create(2**31 - 1))  # any positive size: ignored since Linux 2.6.8
    issued = {name: syscall for name, syscall, _ in rs._syscalls._table()}["epoll_create"]
    if issued == "epoll_create":
        assert errno_of(lambda: rs.epoll_create(0)) == errno.EINVAL
        assert errno_of(lambda: rs.epoll_create(-1)) == errno.EINVAL
    else:  # epoll_create1(0) where there is no epoll_create syscall: no size to check (documented)
        assert issued == "epoll_create1"
        assert rs.fcntl(fds(rs.epoll_create(0)), rs.F_GETFD) == 0


def test_epoll_create1_flags(fds: Fds) -> None:
    ep = fds(rs.epoll_create1(rs.EPOLL_CLOEXEC))
    assert rs.fcntl(ep, rs.F_GETFD) == rs.FD_CLOEXEC
    assert rs.fcntl(fds(rs.epoll_create1()), rs.F_GETFD) == 0
    assert errno_of(lambda: rs.epoll_create1(0x1)) == errno.EINVAL


def test_epoll_ctl_and_wait(epfd: int, unix_pair: tuple[int, int]) -> None:
    a, b = unix_pair
    rs.epoll_ctl(epfd, rs.EPOLL_CTL_ADD, a, rs.EpollEvent(rs.EPOLLIN, 0xDEADBEEFCAFE))
    assert rs.epoll_wait(epfd, 4, 0) == []
    rs.send(b, b"x")
    assert rs.epoll_wait(epfd, 4, 0) == [rs.EpollEvent(rs.EPOLLIN, 0xDEADBEEFCAFE)]
    rs.epoll_ctl(epfd, rs.EPOLL_CTL_MOD, a, (rs.EPOLLIN | rs.EPOLLOUT, -1))  # a pair; data in two's complement
    assert rs.epoll_wait(epfd, 4, 0.5) == [rs.EpollEvent(rs.EPOLLIN | rs.EPOLLOUT, 2**64 - 1)]
    rs.epoll_ctl(epfd, rs.EPOLL_CTL_ADD, b, rs.EpollEvent(rs.EPOLLOUT, b))
    assert len(rs.epoll_wait(epfd, 2, 0)) == 2
    assert len(rs.epoll_wait(epfd, 1, 0)) == 1  # at most maxevents
    rs.epoll_ctl(epfd, rs.EPOLL_CTL_DEL, a, None)  # NULL
    assert rs.epoll_wait(epfd, 4, 0) == [rs.EpollEvent(rs.EPOLLOUT, b)]
    assert rs.epoll_pwait(epfd, 4, 0, sigmask=[signal.SIGUSR1]) == [rs.EpollEvent(rs.EPOLLOUT, b)]
    assert rs.epoll_pwait2(epfd, 4, rs.Timespec(0, 0)) == [rs.EpollEvent(rs.EPOLLOUT, b)]


def test_epoll_errnos(epfd: int, unix_pair: tuple[int, int], pipe: tuple[int, int], data_file: int) -> None:
    a, _ = unix_pair
    ev = rs.EpollEvent(rs.EPOLLIN, a)
    rs.epoll_ctl(epfd, rs.EPOLL_CTL_ADD, a, ev)
    assert errno_of(lambda: rs.epoll_ctl(epfd, rs.EPOLL_CTL_ADD, a, ev)) == errno.EEXIST
    assert errno_of(lambda: rs.epoll_ctl(epfd, rs.EPOLL_CTL_MOD, pipe[0], ev)) == errno.ENOENT
    assert errno_of(lambda: rs.epoll_ctl(epfd, rs.EPOLL_CTL_ADD, epfd, ev)) == errno.EINVAL
    assert errno_of(lambda: rs.epoll_ctl(epfd, rs.EPOLL_CTL_ADD, data_file, ev)) == errno.EPERM
    assert errno_of(lambda: rs.epoll_ctl(epfd, rs.EPOLL_CTL_ADD, pipe[0], None)) == errno.EFAULT
    assert errno_of(lambda: rs.epoll_ctl(pipe[0], rs.EPOLL_CTL_ADD, a, ev)) == errno.EINVAL
    assert errno_of(lambda: rs.epoll_ctl(epfd, 99, a, ev)) == errno.EINVAL
    assert errno_of(lambda: rs.epoll_wait(epfd, 0, 0)) == errno.EINVAL  # maxevents passed as given
    assert errno_of(lambda: rs.epoll_wait(epfd, -1, 0)) == errno.EINVAL
    assert errno_of(lambda: rs.epoll_wait(epfd, 2**31 - 1, 0)) == errno.EINVAL  # above EP_MAX_EVENTS
    assert errno_of(lambda: rs.epoll_wait(pipe[0], 1, 0)) == errno.EINVAL
    assert errno_of(lambda: rs.epoll_pwait2(epfd, 1, rs.Timespec(0, -1))) == errno.EINVAL
    with pytest.raises(TypeError, match=r"^epoll_ctl\(\) argument 'event': must be an EpollEvent or an "):
        rs.epoll_ctl(epfd, rs.EPOLL_CTL_ADD, a, 5)  # type: ignore[arg-type]
    with pytest.raises(OverflowError, match=r"^epoll_ctl\(\) argument 'event': data 18446744073709551616 "):
        rs.epoll_ctl(epfd, rs.EPOLL_CTL_ADD, a, (1, 2**64))


def test_epoll_wait_is_interrupted_and_the_handler_runs_first(epfd: int) -> None:
    caught: list[int] = []
    old = signal.signal(signal.SIGUSR1, lambda signum, frame: caught.append(signum))
    try:
        timer = threading.Timer(0.1, lambda: os.kill(os.getpid(), signal.SIGUSR1))
        timer.start()
        try:
            assert errno_of(lambda: rs.epoll_wait(epfd, 1, 5000)) == errno.EINTR
        finally:
            timer.join()
        assert caught == [signal.SIGUSR1]
    finally:
        signal.signal(signal.SIGUSR1, old)


def test_epoll_object(unix_pair: tuple[int, int]) -> None:
    a, b = unix_pair
    with rs.Epoll(rs.EPOLL_CLOEXEC) as ep:
        assert rs.fcntl(ep.fileno(), rs.F_GETFD) == rs.FD_CLOEXEC
        ep.register(a, rs.EPOLLIN)
        assert ep.poll(0) == []
        rs.send(b, b"x")
        assert ep.poll(0) == [(a, rs.EPOLLIN)]
        ep.modify(a, rs.EPOLLOUT)
        assert ep.pwait(0, sigmask=[]) == [(a, rs.EPOLLOUT)]
        ep.unregister(a)
        assert ep.pwait2(0) == []
        assert errno_of(lambda: ep.unregister(a)) == errno.ENOENT
        assert repr(ep) == f"<rawsock.Epoll fd={ep.fileno()}>"
    assert ep.closed
    with rs.Epoll() as ep:  # seconds, as select.epoll.poll takes them: 0.0001 s is 1 ms, -1 blocks
        ep.register(b, rs.EPOLLOUT)
        assert ep.poll(0.0001) == [(b, rs.EPOLLOUT)] and ep.poll(-1) == [(b, rs.EPOLLOUT)]
        assert ep.pwait(None, 1) == [(b, rs.EPOLLOUT)]
        with pytest.raises(ValueError, match="NaN"):
            ep.poll(float("nan"))
        with pytest.raises(TypeError, match="argument 'timeout': must be a number of seconds or None, not str"):
            ep.poll("1")  # type: ignore[arg-type]
        for big in (2**31, float("inf")):
            with pytest.raises(OverflowError, match="does not fit epoll_wait's int milliseconds"):
                ep.poll(big)
        assert ep.poll(0, -1) == [(b, rs.EPOLLOUT)]  # select.epoll's maxevents: -1 is FD_SETSIZE - 1
        for bad in (0, -2):
            with pytest.raises(ValueError, match=f"maxevents must be greater than 0, got {bad}"):
                ep.poll(0, bad)
    assert ep.closed and repr(ep) == "<rawsock.Epoll closed>"
    ep.close()  # once only


@pytest.fixture
def many_ready(fds: Fds) -> Iterator[tuple[int, list[int]]]:
    ep = fds(rs.epoll_create1())
    ends = []
    for _ in range(40):
        a, _ = fds.pair(rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM))
        rs.epoll_ctl(ep, rs.EPOLL_CTL_ADD, a, rs.EpollEvent(rs.EPOLLOUT, a))
        ends.append(a)
    yield ep, ends


def test_epoll_wait_fills_no_more_than_maxevents(many_ready: tuple[int, list[int]]) -> None:
    ep, ends = many_ready
    got = rs.epoll_wait(ep, 40, 0)
    assert sorted(e.data for e in got) == sorted(ends) and {e.events for e in got} == {rs.EPOLLOUT}
    assert len(rs.epoll_wait(ep, 7, 0)) == 7
