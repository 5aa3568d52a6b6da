"""rawsock.Socket: the same calls as methods, ownership of the fd, and interop with the standard library."""

from __future__ import annotations

import asyncio
import errno
import gc
import os
import selectors
import socket as stdlib

import pytest
from conftest import errno_of

import rawsock as rs


def test_methods_mirror_the_functions() -> None:
    with rs.Socket(rs.AF_INET, rs.SOCK_STREAM) as srv, rs.Socket(rs.AF_INET, rs.SOCK_STREAM) as cli:
        srv.bind(("127.0.0.1", 0))
        srv.listen(4)
        addr = srv.getsockname()
        cli.connect(addr)
        conn, peer = srv.accept()
        with conn:
            assert isinstance(conn, rs.Socket) and peer == cli.getsockname() and cli.getpeername() == addr
            assert (conn.family, conn.type, conn.proto) == (rs.AF_INET, rs.SOCK_STREAM, 0)
            assert cli.send(b"abc") == 3 and conn.recv(10) == b"abc"
            buf = bytearray(8)
            assert cli.send(memoryview(b"defg")) == 4 and conn.recv_into(buf, 2) == 2 and buf[:2] == b"de"
            assert conn.recvfrom(10) == (b"fg", None)
            assert cli.sendto(b"h", 0, addr) == 1 and conn.recvfrom_into(buf) == (1, None)
            conn.set_nonblocking()
            assert conn.fcntl(rs.F_GETFL) & rs.O_NONBLOCK
            assert errno_of(lambda: conn.recv(1)) == errno.EAGAIN
            cli.shutdown(rs.SHUT_WR)
            assert conn.recv(1) == b""
        cli2 = rs.Socket(rs.AF_INET, rs.SOCK_STREAM)
        with cli2:
            cli2.connect(addr)
            conn2, _ = srv.accept4(rs.SOCK_CLOEXEC)
            with conn2:
                assert conn2.fcntl(rs.F_GETFD) == rs.FD_CLOEXEC


def test_failed_construction_raises_the_errno() -> None:
    with pytest.raises(OSError) as info:
        rs.Socket(9999, rs.SOCK_STREAM)
    assert info.value.errno == errno.EAFNOSUPPORT


def test_fileno_detach_close() -> None:
    s = rs.Socket(rs.AF_UNIX, rs.SOCK_DGRAM)
    fd = s.fileno()
    assert fd >= 0 and not s.closed
    assert s.detach() == fd and s.fileno() == -1 and s.closed
    s.close()  # nothing to close: no syscall, no error
    assert os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
    rs.close(fd)


def test_close_is_idempotent_and_a_closed_socket_reaches_the_kernel_as_fd_minus_one() -> None:
    s = rs.Socket(rs.AF_UNIX, rs.SOCK_DGRAM)
    fd = s.fileno()
    s.close()
    s.close()
    assert not os.path.exists(f"/proc/self/fd/{fd}")
    with pytest.raises(OSError) as info:
        s.send(b"x")
    assert info.value.errno == errno.EBADF


def test_garbage_collected_open_socket_warns_and_closes() -> None:
    s = rs.Socket(rs.AF_UNIX, rs.SOCK_DGRAM)
    fd = s.fileno()
    with pytest.warns(ResourceWarning, match="unclosed <rawsock.Socket fd="):
        del s
        gc.collect()
    assert not os.path.exists(f"/proc/self/fd/{fd}")


def test_from_fd_owns_the_fd() -> None:
    fd = rs.socket(rs.AF_UNIX, rs.SOCK_STREAM)
    with rs.Socket.from_fd(fd) as s:
        assert s.fileno() == fd and (s.family, s.type, s.proto) == (None, None, None)
    assert not os.path.exists(f"/proc/self/fd/{fd}")


def test_adopt_a_standard_library_socket_and_hand_one_over() -> None:
    std = stdlib.socket(stdlib.AF_INET, stdlib.SOCK_DGRAM)
    fd = std.fileno()
    s = rs.Socket.from_socket(std)
    assert std.fileno() == -1 and s.fileno() == fd
    assert (s.family, s.type) == (rs.AF_INET, rs.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    back = s.to_socket()
    with back:
        assert s.fileno() == -1 and back.fileno() == fd
        assert back.family == stdlib.AF_INET and back.type == stdlib.SOCK_DGRAM
        assert back.getsockname() == rs.getsockname(fd)


def test_works_with_selectors() -> None:
    with rs.Socket(rs.AF_UNIX, rs.SOCK_DGRAM) as a:
        a.bind(rs.SockaddrUn(b"\0rawsock-selectors-%d" % os.getpid()))
        with selectors.DefaultSelector() as sel, rs.Socket(rs.AF_UNIX, rs.SOCK_DGRAM) as b:
            sel.register(a, selectors.EVENT_READ, "a")
            assert sel.select(0) == []
            b.sendto(b"ping", 0, a.getsockname())
            [(key, events)] = sel.select(1)
            assert key.fileobj is a and events == selectors.EVENT_READ and a.recv(10) == b"ping"


def test_works_with_asyncio_readers() -> None:
    async def main() -> bytes:
        loop = asyncio.get_running_loop()
        a, b = rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM)
        with rs.Socket.from_fd(a) as sa, rs.Socket.from_fd(b) as sb:
            sb.set_nonblocking()
            got: asyncio.Future[bytes] = loop.create_future()
            loop.add_reader(sb.fileno(), lambda: got.set_result(sb.recv(10)))
            loop.call_soon(sa.send, b"async")
            try:
                return await asyncio.wait_for(got, 5)
            finally:
                loop.remove_reader(sb.fileno())

    assert asyncio.run(main()) == b"async"


def test_from_fd_takes_an_int_only() -> None:
    """From the new-user trial: a float or a str fd was kept, and failed later in __del__."""
    import pytest

    for bad in (3.5, "3", None):
        with pytest.raises(TypeError, match="from_fd\\(\\) argument 'fd': must be an integer, not"):
            rs.Socket.from_fd(bad)  # type: ignore[arg-type]
