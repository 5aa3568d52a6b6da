"""send(2), sendto(2), recv(2), recvfrom(2) and the _into variants: data, flags, buffers, and the ERRORS
sections of send(2) and recv(2) against the kernel."""

from __future__ import annotations

import array
import errno
import threading
import time

import pytest
from conftest import Alarm, Fds, errno_of

import rawsock as rs
from rawsock import ffi, lib

UdpPair = tuple[int, int, rs.SockaddrIn, rs.SockaddrIn]


def test_one_implementation_traced_or_not(unix_pair: tuple[int, int]) -> None:
    # each public call is the engine's C function, whether a tracer is active or not: no Python twin
    import io

    for name in ("send", "recv", "recv_into", "sendto", "recvfrom", "recvfrom_into", "sendmmsg", "recvmmsg", "poll"):
        assert getattr(rs, name) is getattr(rs._syscalls, name)
        assert type(getattr(rs, name)).__name__ == "builtin_function_or_method"
    a, b = unix_pair
    out = io.StringIO()
    with rs.trace(out):
        assert rs.send is rs._syscalls.send
        assert rs.send(a, b"x") == 1 and rs.recv(b, 1) == b"x"
    assert len(out.getvalue().splitlines()) == 2


@pytest.mark.parametrize(
    "data",
    [b"bytes", bytearray(b"bytearray"), memoryview(b"memoryview"), array.array("i", [1, 2, 3]),
     memoryview(b"xxsliceyy")[2:7], b""],
    ids=["bytes", "bytearray", "memoryview", "array", "slice", "empty"],
)
def test_send_accepts_any_bytes_like(unix_pair: tuple[int, int], data: object) -> None:
    a, b = unix_pair
    expected = bytes(data)  # type: ignore[call-overload]
    assert rs.send(a, data, 0) == len(expected)  # type: ignore[arg-type]
    if expected:
        assert rs.recv(b, 100) == expected


def test_send_rejects_a_non_contiguous_buffer_before_the_kernel(unix_pair: tuple[int, int]) -> None:
    a, _ = unix_pair
    with pytest.raises((TypeError, ValueError, BufferError)):
        rs.send(a, memoryview(b"abcdef")[::2])


def test_send_partial_then_eagain_on_a_full_nonblocking_socket(unix_pair: tuple[int, int]) -> None:
    a, _ = unix_pair
    rs.set_nonblocking(a)
    chunk = b"x" * 65536
    assert rs.send(a, chunk) == len(chunk)  # an empty buffer takes the whole chunk
    with pytest.raises(BlockingIOError) as info:
        while True:
            n = rs.send(a, chunk)
            assert 0 < n <= len(chunk)
    assert info.value.errno == errno.EAGAIN
    assert str(info.value) == "send: [Errno 11] EAGAIN: Resource temporarily unavailable"


def test_recv_returns_the_bytes_and_zero_at_eof(tcp_pair: tuple[int, int], fds: Fds) -> None:
    client, server = tcp_pair
    rs.send(client, b"hello world")
    assert rs.recv(server, 5) == b"hello"
    assert rs.recv(server, 100) == b" world"
    fds.close(client)
    assert rs.recv(server, 100) == b""


def test_recv_zero_bufsize_still_calls_the_kernel(fds: Fds, udp_pair: UdpPair) -> None:
    a, b, _addr_a, addr_b = udp_pair
    assert errno_of(lambda: rs.recv(b, 0, rs.MSG_DONTWAIT)) == errno.EAGAIN  # the kernel answered
    rs.sendto(a, b"datagram", 0, addr_b)
    assert rs.recv(b, 0) == b""  # the datagram was consumed by a zero-length read
    assert errno_of(lambda: rs.recv(b, 0, rs.MSG_DONTWAIT)) == errno.EAGAIN


def test_recv_flags_peek_and_waitall(unix_pair: tuple[int, int]) -> None:
    a, b = unix_pair
    rs.send(a, b"abc")
    assert rs.recv(b, 10, rs.MSG_PEEK) == b"abc"
    assert rs.recv(b, 10, rs.MSG_DONTWAIT) == b"abc"
    assert errno_of(lambda: rs.recv(b, 10, rs.MSG_DONTWAIT)) == errno.EAGAIN
    rs.send(a, b"12")
    t = threading.Timer(0.05, lambda: rs.send(a, b"345"))
    t.start()
    assert rs.recv(b, 5, rs.MSG_WAITALL) == b"12345"
    t.join()


def test_recv_msg_trunc_returns_what_fits_recv_into_returns_the_kernels_count(udp_pair: UdpPair) -> None:
    a, b, _, addr_b = udp_pair
    rs.sendto(a, b"0123456789" * 10, 0, addr_b)
    rs.sendto(a, b"0123456789" * 10, 0, addr_b)
    assert rs.recv(b, 4, rs.MSG_TRUNC) == b"0123"
    buf = bytearray(4)
    assert rs.recv_into(b, buf, 0, rs.MSG_TRUNC) == 100
    assert buf == b"0123"


def test_recv_into_nbytes_and_buffers(unix_pair: tuple[int, int]) -> None:
    a, b = unix_pair
    rs.send(a, b"abcdef")
    buf = bytearray(10)
    assert rs.recv_into(b, buf, 2) == 2
    assert buf[:2] == b"ab"
    arr = array.array("b", [0] * 8)
    assert rs.recv_into(b, arr) == 4
    assert arr.tobytes()[:4] == b"cdef"
    rs.send(a, b"xyz")
    view = memoryview(buf)[5:]
    assert rs.recv_into(b, view) == 3 and buf[5:8] == b"xyz"


def test_recv_into_validates_only_what_would_overrun_the_buffer(unix_pair: tuple[int, int]) -> None:
    _a, b = unix_pair
    with pytest.raises(ValueError, match="does not fit"):
        rs.recv_into(b, bytearray(4), 5)
    with pytest.raises(ValueError, match="does not fit"):
        rs.recv_into(b, bytearray(4), -1)
    with pytest.raises(TypeError, match="'buffer': must be a contiguous, writable bytes-like object, not bytes"):
        rs.recv_into(b, b"read-only")
    with pytest.raises(ValueError):
        rs.recv(b, -1)


def test_recvfrom_udp_reports_the_sender(udp_pair: UdpPair) -> None:
    a, b, addr_a, addr_b = udp_pair
    assert rs.sendto(a, b"hi", 0, addr_b) == 2
    data, sender = rs.recvfrom(b, 100)
    assert (data, sender) == (b"hi", addr_a)
    assert isinstance(sender, rs.SockaddrIn)
    assert rs.sendto(a, memoryview(b"there"), 0, (addr_b.host, addr_b.port)) == 5
    buf = bytearray(16)
    assert rs.recvfrom_into(b, buf) == (5, addr_a)
    assert buf[:5] == b"there"


def test_recvfrom_on_a_stream_has_no_address(tcp_pair: tuple[int, int]) -> None:
    client, server = tcp_pair
    rs.send(client, b"abc")
    assert rs.recvfrom(server, 10) == (b"abc", None)
    rs.send(client, b"def")
    buf = bytearray(3)
    assert rs.recvfrom_into(server, buf) == (3, None)


def test_recvfrom_unix_dgram_abstract_sender(fds: Fds) -> None:
    a = fds(rs.socket(rs.AF_UNIX, rs.SOCK_DGRAM))
    b = fds(rs.socket(rs.AF_UNIX, rs.SOCK_DGRAM))
    rs.bind(a, rs.SockaddrUn(b"\0rawsock-a"))
    rs.bind(b, "\0rawsock-b")  # a str with a leading NUL is an abstract name too
    assert errno_of(lambda: rs.bind(a, b"\0rawsock-x")) == errno.EINVAL  # raw bytes are a whole sockaddr
    rs.sendto(a, b"x", 0, rs.SockaddrUn(b"\0rawsock-b"))
    assert rs.recvfrom(b, 10) == (b"x", rs.SockaddrUn(b"\0rawsock-a"))


def test_sendto_with_raw_address_bytes_and_addrlen(udp_pair: UdpPair) -> None:
    a, b, _addr_a, addr_b = udp_pair
    raw = rs.RawSockaddr.from_bytes(rs._address.encode(addr_b))  # a verbatim sockaddr is asked for by type
    assert rs.sendto(a, b"raw", 0, raw) == 3
    assert rs.recv(b, 10) == b"raw"
    assert errno_of(lambda: rs.sendto(a, b"x", 0, raw, 1)) == errno.EINVAL
    with pytest.raises(ValueError, match="longer than"):
        rs.sendto(a, b"x", 0, raw, raw.addrlen + 1)  # the kernel would read past the buffer


def test_send_errors(fds: Fds, udp_pair: UdpPair, tcp_pair: tuple[int, int], not_a_socket: int,
                     closed_fd: int) -> None:
    udp = udp_pair[0]
    assert errno_of(lambda: rs.send(udp, b"x")) == errno.EDESTADDRREQ
    assert errno_of(lambda: rs.sendto(udp, b"x" * 70000, 0, udp_pair[3])) == errno.EMSGSIZE
    assert errno_of(lambda: rs.sendto(udp, b"x", rs.MSG_OOB, udp_pair[3])) == errno.EOPNOTSUPP
    assert errno_of(lambda: rs.sendto(udp, b"x", 0, ("127.255.255.255", 9))) == errno.EACCES
    client, _ = tcp_pair
    # send(2): a recipient on a connected socket gives EISCONN "or the recipient is ignored": TCP ignores it,
    assert rs.sendto(client, b"x", 0, ("127.0.0.1", 9)) == 1
    unix_a, _ = rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM)
    fds(unix_a), fds(_)
    assert errno_of(lambda: rs.sendto(unix_a, b"x", 0, "/nowhere")) == errno.EISCONN  # AF_UNIX refuses it
    unconnected_unix = fds(rs.socket(rs.AF_UNIX, rs.SOCK_STREAM))
    assert errno_of(lambda: rs.send(unconnected_unix, b"x")) == errno.ENOTCONN
    unconnected_tcp = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    assert errno_of(lambda: rs.send(unconnected_tcp, b"x")) == errno.EPIPE  # Linux: EPIPE, not ENOTCONN
    assert errno_of(lambda: rs.send(-1, b"x")) == errno.EBADF
    assert errno_of(lambda: rs.send(closed_fd, b"x")) == errno.EBADF
    assert errno_of(lambda: rs.send(not_a_socket, b"x")) == errno.ENOTSOCK
    assert lib.send(client, ffi.cast("void *", 1), 10, 0) == -1 and ffi.errno == errno.EFAULT


def test_send_econnreset_then_epipe_after_the_peer_resets(fds: Fds, tcp_pair: tuple[int, int]) -> None:
    client, server = tcp_pair
    rs.send(client, b"unread")
    time.sleep(0.01)
    fds.close(server)  # closing with unread data sends RST
    assert errno_of(lambda: rs.send(client, b"x")) == errno.ECONNRESET
    with pytest.raises(BrokenPipeError) as info:
        rs.send(client, b"x")
    assert info.value.errno == errno.EPIPE


def test_recv_errors(fds: Fds, udp_pair: UdpPair, closed_port: int, tcp_pair: tuple[int, int],
                     not_a_socket: int) -> None:
    udp = udp_pair[0]
    rs.connect(udp, ("127.0.0.1", closed_port))
    rs.send(udp, b"anyone?")
    time.sleep(0.01)
    assert errno_of(lambda: rs.recv(udp, 10)) == errno.ECONNREFUSED  # the ICMP port unreachable
    client, _ = tcp_pair
    assert errno_of(lambda: rs.recv(client, 1, rs.MSG_OOB)) == errno.EINVAL  # no urgent data
    unconnected = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    assert errno_of(lambda: rs.recv(unconnected, 1)) == errno.ENOTCONN
    assert errno_of(lambda: rs.recv(-1, 1)) == errno.EBADF
    assert errno_of(lambda: rs.recv(not_a_socket, 1)) == errno.ENOTSOCK
    assert errno_of(lambda: rs.recvfrom(-1, 1)) == errno.EBADF
    assert errno_of(lambda: rs.recv_into(-1, bytearray(1))) == errno.EBADF
    assert errno_of(lambda: rs.recvfrom_into(-1, bytearray(1))) == errno.EBADF
    rs.send(client, b"x")
    assert lib.recv(tcp_pair[1], ffi.cast("void *", 1), 10, 0) == -1 and ffi.errno == errno.EFAULT


def test_recv_econnreset(fds: Fds, tcp_pair: tuple[int, int]) -> None:
    client, server = tcp_pair
    rs.send(client, b"unread")
    time.sleep(0.01)
    fds.close(server)
    with pytest.raises(ConnectionResetError) as info:
        rs.recv(client, 10)
    assert info.value.errno == errno.ECONNRESET and info.value.syscall == "recv"  # type: ignore[attr-defined]


def test_recv_is_interrupted_the_handler_runs_and_nothing_retries(unix_pair: tuple[int, int], alarm: Alarm) -> None:
    a, b = unix_pair
    # If rawsock retried after EINTR, the retry would receive the byte the handler sends and return it.
    alarm.arm(0.05, then=lambda: rs.send(a, b"!"))
    with pytest.raises(InterruptedError) as info:
        rs.recv(b, 1)
    assert info.value.errno == errno.EINTR and info.value.syscall == "recv"  # type: ignore[attr-defined]
    assert alarm.fired == 1
    assert rs.recv(b, 1) == b"!"


def test_send_on_a_full_socket_is_interrupted(unix_pair: tuple[int, int], alarm: Alarm) -> None:
    a, _ = unix_pair
    rs.set_nonblocking(a)
    try:
        while True:
            rs.send(a, b"x" * 65536)
    except BlockingIOError:
        pass
    rs.set_nonblocking(a, False)
    alarm.arm(0.05)
    with pytest.raises(InterruptedError):
        rs.send(a, b"x" * 65536)
    assert alarm.fired == 1


def test_blocking_recv_releases_the_gil(unix_pair: tuple[int, int]) -> None:
    a, b = unix_pair
    got: list[bytes] = []
    t = threading.Thread(target=lambda: got.append(rs.recv(b, 10)))
    t.start()
    time.sleep(0.05)  # the thread is now blocked in recv(2); this thread must still run
    assert rs.send(a, b"woken") == 5
    t.join(timeout=5)
    assert not t.is_alive() and got == [b"woken"]
