"""sendmsg(2), recvmsg(2), sendmmsg(2), recvmmsg(2), cmsg(3): fds and credentials over AF_UNIX, the error
queue, typed ancillary data both ways, truncation flags, batches, and fd safety proven with /proc/self/fd."""

from __future__ import annotations

import errno
import io
import os
import socket as stdlib
import threading
import time

import pytest
from conftest import Fds, errno_of

import rawsock as rs
from rawsock import ffi, lib

UdpPair = tuple[int, int, rs.SockaddrIn, rs.SockaddrIn]


def _fd_count() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_cmsg_macros_agree_with_the_standard_library() -> None:
    for n in (0, 1, 4, 12, 100):
        assert rs.CMSG_LEN(n) == stdlib.CMSG_LEN(n) and rs.CMSG_SPACE(n) == stdlib.CMSG_SPACE(n)


def test_pass_an_fd_and_use_it_on_the_other_side(fds: Fds, unix_pair: tuple[int, int]) -> None:
    a, b = unix_pair
    r, w = fds.pair(os.pipe())
    assert rs.sendmsg(a, [b"take", memoryview(b" this")], [rs.ScmRights([r])]) == 9
    msg = rs.recvmsg(b, 64, rs.CMSG_SPACE(ffi.sizeof("int")))
    data, ancdata, msg_flags, address = msg
    assert (data, msg_flags, address) == (b"take this", 0, None)
    [rights] = msg.cmsgs
    assert isinstance(rights, rs.ScmRights) and len(rights.fds) == 1
    assert ancdata[0][:2] == (rs.SOL_SOCKET, rs.SCM_RIGHTS)
    received = fds(rights.fds[0])
    assert received != r
    os.write(w, b"through the passed fd")
    assert os.read(received, 100) == b"through the passed fd"


def test_send_fds_recv_fds_like_the_standard_library(fds: Fds, unix_pair: tuple[int, int]) -> None:
    a, b = unix_pair
    sock_a, sock_b = fds.pair(rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM))
    assert rs.send_fds(a, [b"two"], [sock_a, sock_b]) == 3
    data, got, msg_flags, address = rs.recv_fds(b, 16, 2)
    for fd in got:
        fds(fd)
    assert (data, len(got), msg_flags, address) == (b"two", 2, 0, None)
    rs.send(got[0], b"passed socket works")
    assert rs.recv(sock_b, 64) == b"passed socket works"


def test_raw_triples_are_accepted_and_kept(fds: Fds, unix_pair: tuple[int, int]) -> None:
    a, b = unix_pair
    r, _ = fds.pair(os.pipe())
    rs.sendmsg(a, [b"x"], [(rs.SOL_SOCKET, rs.SCM_RIGHTS, r.to_bytes(4, "little"))])
    msg = rs.recvmsg(b, 1, rs.CMSG_SPACE(4))
    [(level, type_, data)] = msg.ancdata
    got = fds(int.from_bytes(data, "little"))
    assert (level, type_) == (rs.SOL_SOCKET, rs.SCM_RIGHTS) and msg.cmsgs == [rs.ScmRights([got])]


def test_credentials_with_so_passcred(fds: Fds) -> None:
    a, b = fds.pair(rs.socketpair(rs.AF_UNIX, rs.SOCK_DGRAM))
    rs.setsockopt(b, rs.SOL_SOCKET, rs.SO_PASSCRED, 1)
    me = rs.ScmCredentials(os.getpid(), os.getuid(), os.getgid())
    rs.sendmsg(a, [b"implicit"])  # the kernel attaches the sender's credentials itself
    rs.sendmsg(a, [b"explicit"], [me])
    for payload in (b"implicit", b"explicit"):
        msg = rs.recvmsg(b, 16, rs.CMSG_SPACE(ffi.sizeof("struct ucred")))
        assert msg.data == payload and msg.cmsgs == [me]


def test_msg_ctrunc_delivers_only_what_fits_and_leaks_nothing(fds: Fds, unix_pair: tuple[int, int]) -> None:
    a, b = unix_pair
    r, w = fds.pair(os.pipe())
    rs.send_fds(a, [b"three"], [r, w, r])
    before = _fd_count()
    msg = rs.recvmsg(b, 16, rs.CMSG_LEN(ffi.sizeof("int")))  # room for one fd
    assert msg.msg_flags & rs.MSG_CTRUNC and msg.data == b"three"
    [rights] = msg.cmsgs
    assert isinstance(rights, rs.ScmRights) and len(rights.fds) == 1
    assert _fd_count() == before + 1  # the two that did not fit never entered this process
    fds(rights.fds[0])


def test_a_decoding_failure_closes_every_received_fd(fds: Fds, unix_pair: tuple[int, int],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = unix_pair
    r, w = fds.pair(os.pipe())
    rs.send_fds(a, [b"x"], [r, w])

    def broken(level: int, type_: int, data: bytes) -> rs.CmsgValue:
        raise ValueError("decoder broke")

    monkeypatch.setattr(rs._msg, "decode_cmsg", broken)
    before = _fd_count()
    with pytest.raises(ValueError, match="decoder broke"):
        rs.recvmsg(b, 16, rs.CMSG_SPACE(2 * ffi.sizeof("int")))
    assert _fd_count() == before


def test_error_queue_ipv4(fds: Fds, closed_port: int) -> None:
    u = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM))
    rs.setsockopt(u, rs.IPPROTO_IP, rs.IP_RECVERR, 1)
    assert errno_of(lambda: rs.recv(u, 64, rs.MSG_ERRQUEUE)) == errno.EAGAIN  # an empty error queue
    rs.sendto(u, b"anyone there?", 0, ("127.0.0.1", closed_port))
    time.sleep(0.01)
    msg = rs.recvmsg(u, 64, 512, rs.MSG_ERRQUEUE)
    assert msg.data == b"anyone there?" and msg.address == ("127.0.0.1", closed_port)
    assert msg.msg_flags & rs.MSG_ERRQUEUE
    [err] = msg.cmsgs
    assert isinstance(err, rs.SockExtendedErr)
    assert err.ee_errno == errno.ECONNREFUSED and isinstance(err.ee_errno, rs.Errno)
    assert err.ee_errno.name == "ECONNREFUSED"  # type: ignore[attr-defined]
    assert (err.ee_origin, err.ee_type, err.ee_code) == (rs.SO_EE_ORIGIN_ICMP, 3, 3)  # port unreachable
    assert err.offender == rs.SockaddrIn("127.0.0.1", 0)
    assert errno_of(lambda: rs.recv(u, 64, rs.MSG_ERRQUEUE)) == errno.EAGAIN


def test_error_queue_ipv6(fds: Fds) -> None:
    probe = fds(rs.socket(rs.AF_INET6, rs.SOCK_DGRAM))
    rs.bind(probe, ("::1", 0))
    port = rs.getsockname(probe).port  # type: ignore[union-attr]
    fds.close(probe)
    u = fds(rs.socket(rs.AF_INET6, rs.SOCK_DGRAM))
    rs.setsockopt(u, rs.IPPROTO_IPV6, rs.IPV6_RECVERR, 1)
    rs.sendto(u, b"v6", 0, ("::1", port))
    time.sleep(0.01)
    msg = rs.recvmsg(u, 64, 512, rs.MSG_ERRQUEUE)
    [err] = msg.cmsgs
    assert isinstance(err, rs.SockExtendedErr) and err.ee_errno == errno.ECONNREFUSED
    assert (err.ee_origin, err.ee_type, err.ee_code) == (rs.SO_EE_ORIGIN_ICMP6, 1, 4)  # port unreachable
    assert err.offender == rs.SockaddrIn6("::1", 0) and msg.address == rs.SockaddrIn6("::1", port)


def test_msg_trunc_on_datagrams(udp_pair: UdpPair) -> None:
    a, b, addr_a, addr_b = udp_pair
    rs.sendto(a, b"0123456789", 0, addr_b)
    rs.sendto(a, b"0123456789", 0, addr_b)
    msg = rs.recvmsg(b, 4)
    assert (msg.data, msg.address) == (b"0123", addr_a) and msg.msg_flags == rs.MSG_TRUNC
    first, second = bytearray(2), bytearray(2)
    msg = rs.recvmsg_into(b, [first, second], 0, rs.MSG_TRUNC)
    assert msg.data == 10 and (first, second) == (b"01", b"23")  # the true length, scattered


def test_peek_and_waitall(unix_pair: tuple[int, int]) -> None:
    a, b = unix_pair
    rs.send(a, b"peek")
    assert rs.recvmsg(b, 16, 0, rs.MSG_PEEK).data == b"peek"
    assert rs.recvmsg(b, 16).data == b"peek"
    rs.send(a, b"12")
    t = threading.Timer(0.05, lambda: rs.send(a, b"345"))
    t.start()
    assert rs.recvmsg(b, 5, 0, rs.MSG_WAITALL).data == b"12345"
    t.join()


def test_typed_ip_ancillary_data_both_ways(fds: Fds, udp_pair: UdpPair) -> None:
    a, b, _addr_a, addr_b = udp_pair
    for option in (rs.IP_RECVTTL, rs.IP_RECVTOS, rs.IP_PKTINFO):
        rs.setsockopt(b, rs.IPPROTO_IP, option, 1)
    rs.sendmsg(a, [b"typed"], [rs.IpTtl(7), rs.IpTos(0x10)], 0, addr_b)
    msg = rs.recvmsg(b, 16, 256)
    assert rs.InPktinfo(1, "127.0.0.1", "127.0.0.1") in msg.cmsgs  # ifindex 1: lo
    assert rs.IpTtl(7) in msg.cmsgs and rs.IpTos(0x10) in msg.cmsgs
    assert len(msg.cmsgs) == 3 and [c[:2] for c in msg.ancdata] == [rs._msg._KEYS[type(v)] for v in msg.cmsgs]


def test_timestamps(fds: Fds, udp_pair: UdpPair) -> None:
    a, b, _, addr_b = udp_pair
    rs.setsockopt(b, rs.SOL_SOCKET, rs.SO_TIMESTAMP, 1)
    rs.sendto(a, b"t", 0, addr_b)
    [stamp] = rs.recvmsg(b, 4, 64).cmsgs
    assert isinstance(stamp, rs.Timestamp) and abs(stamp.sec + stamp.usec / 1e6 - time.time()) < 5
    rs.setsockopt(b, rs.SOL_SOCKET, rs.SO_TIMESTAMP, 0)
    rs.setsockopt(b, rs.SOL_SOCKET, rs.SO_TIMESTAMPNS, 1)
    rs.sendto(a, b"t", 0, addr_b)
    [stamp_ns] = rs.recvmsg(b, 4, 64).cmsgs
    assert isinstance(stamp_ns, rs.TimestampNs) and 0 <= stamp_ns.nsec < 10**9


def test_ipv6_pktinfo(fds: Fds) -> None:
    a = fds(rs.socket(rs.AF_INET6, rs.SOCK_DGRAM))
    b = fds(rs.socket(rs.AF_INET6, rs.SOCK_DGRAM))
    rs.bind(b, ("::1", 0))
    rs.setsockopt(b, rs.IPPROTO_IPV6, rs.IPV6_RECVPKTINFO, 1)
    rs.sendto(a, b"6", 0, rs.getsockname(b))
    assert rs.recvmsg(b, 4, 64).cmsgs == [rs.In6Pktinfo("::1", 1)]


def test_sendmmsg_then_recvmmsg_64_with_addresses(udp_pair: UdpPair) -> None:
    a, b, addr_a, addr_b = udp_pair
    batch = [(b"datagram %02d" % i, addr_b) for i in range(64)]
    assert rs.sendmmsg(a, batch) == 64
    got = rs.recvmmsg(b, 64, 64)
    assert [m.data for m in got] == [d for d, _ in batch]
    assert {m.address for m in got} == {addr_a} and {m.msg_flags for m in got} == {0}
    assert all(m.ancdata == [] for m in got)


def test_partial_batches_are_reported_as_the_kernel_returns_them(udp_pair: UdpPair) -> None:
    a, b, _, addr_b = udp_pair
    too_big = b"x" * 70000
    assert rs.sendmmsg(a, [(b"one", addr_b), ([b"t", b"wo"], addr_b), (too_big, addr_b), (b"four", addr_b)]) == 2
    assert errno_of(lambda: rs.sendmmsg(a, [(too_big, addr_b), (b"five", addr_b)])) == errno.EMSGSIZE
    got = rs.recvmmsg(b, 64, 8, rs.MSG_DONTWAIT)
    assert [m.data for m in got] == [b"one", b"two"]
    rs.sendto(a, b"0123456789", 0, addr_b)
    [cut] = rs.recvmmsg(b, 4, 4, rs.MSG_DONTWAIT)
    assert cut.data == b"0123" and cut.msg_flags == rs.MSG_TRUNC
    assert errno_of(lambda: rs.recvmmsg(b, 4, 4, rs.MSG_DONTWAIT)) == errno.EAGAIN
    assert errno_of(lambda: rs.recvmmsg(b, 4, 4, 0, rs.Timespec(0, -1))) == errno.EINVAL


def test_recvmmsg_with_ancillary_data(fds: Fds) -> None:
    a, b = fds.pair(rs.socketpair(rs.AF_UNIX, rs.SOCK_DGRAM))
    rs.setsockopt(b, rs.SOL_SOCKET, rs.SO_PASSCRED, 1)
    rs.sendmmsg(a, [b"1", b"2"])
    got = rs.recvmmsg(b, 2, 4, 0, None, rs.CMSG_SPACE(ffi.sizeof("struct ucred")))
    assert [m.data for m in got] == [b"1", b"2"]
    assert all(rs._msg.decode_cmsg(*m.ancdata[0]) == rs.ScmCredentials(os.getpid(), 0, 0) for m in got)


def test_errors(fds: Fds, udp_pair: UdpPair, not_a_socket: int) -> None:
    a = udp_pair[0]
    assert errno_of(lambda: rs.sendmsg(a, [b"x"])) == errno.EDESTADDRREQ
    assert errno_of(lambda: rs.sendmsg(-1, [b"x"])) == errno.EBADF
    assert errno_of(lambda: rs.recvmsg(not_a_socket, 1)) == errno.ENOTSOCK
    assert errno_of(lambda: rs.recvmsg(a, 1, 0, rs.MSG_DONTWAIT)) == errno.EAGAIN
    assert errno_of(lambda: rs.sendmmsg(-1, [b"x"])) == errno.EBADF
    with pytest.raises(TypeError, match="only received"):
        rs.sendmsg(a, [b"x"], [rs.SockExtendedErr(1, 0, 0, 0, 0, 0, None)], 0, udp_pair[3])


def test_bad_iovlen_and_namelen_through_the_raw_layer(udp_pair: UdpPair) -> None:
    a, _, _, _addr_b = udp_pair
    iov = ffi.new("struct iovec[]", 1)
    payload = ffi.new("char[]", b"x")
    iov[0].iov_base, iov[0].iov_len = payload, 1
    msg = ffi.new("struct msghdr *")
    msg.msg_iov, msg.msg_iovlen = iov, rs.UIO_MAXIOV + 1  # checked before the kernel reads the iovecs
    assert lib.sendmsg(a, msg, 0) == -1 and ffi.errno == errno.EMSGSIZE
    name = ffi.new("char[]", 256)
    msg.msg_iovlen, msg.msg_name, msg.msg_namelen = 1, name, 256  # longer than sockaddr_storage
    assert lib.sendmsg(a, msg, 0) == -1 and ffi.errno == errno.EINVAL


def test_socket_methods(fds: Fds) -> None:
    r, _ = fds.pair(os.pipe())
    with rs.Socket(rs.AF_UNIX, rs.SOCK_DGRAM) as s, rs.Socket(rs.AF_UNIX, rs.SOCK_DGRAM) as t:
        s.bind(rs.SockaddrUn(b"\0rawsock-msg-%d" % os.getpid()))
        where = s.getsockname()
        assert t.send_fds([b"f"], [r], 0, where) == 1
        data, got, _, sender = s.recv_fds(4, 1)
        fds(got[0])
        assert (data, sender) == (b"f", None)  # an unbound AF_UNIX sender: msg_namelen 0, no address at all
        assert t.sendmsg([b"m"], (), 0, where) == 1 and s.recvmsg(4).data == b"m"
        assert t.sendmmsg([([b"a"], where), ([b"b"], where)]) == 2
        assert [m.data for m in s.recvmmsg(4, 4, rs.MSG_WAITFORONE)] == [b"a", b"b"]  # else: wait for all 4
        buf = bytearray(4)
        t.sendmsg([b"into"], (), 0, where)
        assert s.recvmsg_into([buf]).data == 4 and buf == b"into"


def _errqueue(fd: int) -> list[rs.RecvMsg]:
    """Every message on fd's error queue (MSG_DONTWAIT until EAGAIN)."""
    out = []
    while True:
        try:
            out.append(rs.recvmsg(fd, 64, 512, rs.MSG_ERRQUEUE | rs.MSG_DONTWAIT))
        except BlockingIOError:
            return out


def test_tx_timestamps_pair_scm_timestamping_with_the_extended_error(fds: Fds) -> None:
    u, v = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM)), fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM))
    rs.bind(v, rs.SockaddrIn("127.0.0.1", 0))
    rs.connect(u, rs.getsockname(v))
    rs.setsockopt(u, rs.SOL_SOCKET, rs.SO_TIMESTAMPING, rs.SOF_TIMESTAMPING_TX_SOFTWARE | rs.SOF_TIMESTAMPING_SOFTWARE
                  | rs.SOF_TIMESTAMPING_OPT_ID | rs.SOF_TIMESTAMPING_OPT_TSONLY)
    before = time.time_ns()
    rs.send(u, b"abc")
    rs.send(u, b"def")
    rs.poll([(u, 0)], 1000)  # POLLERR: the reports are queued
    reports = _errqueue(u)
    assert len(reports) == 2
    for key, msg in enumerate(reports):
        stamp, err = msg.cmsgs
        assert isinstance(stamp, rs.ScmTimestamping) and isinstance(err, rs.SockExtendedErr)
        assert stamp.legacy == stamp.hardware == rs.TimestampNs(0, 0)
        assert before <= stamp.software.sec * 10**9 + stamp.software.nsec <= time.time_ns()
        assert (err.ee_errno, err.ee_origin) == (errno.ENOMSG, rs.SO_EE_ORIGIN_TIMESTAMPING)
        assert err.timestamping == rs.TimestampingReport(rs.SCM_TSTAMP_SND, key) and err.zerocopy is None
        assert msg.data == b""  # OPT_TSONLY: no copy of the packet


def test_zerocopy_completions_are_ranges(fds: Fds) -> None:
    u, v = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM)), fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM))
    rs.bind(v, rs.SockaddrIn("127.0.0.1", 0))
    rs.connect(u, rs.getsockname(v))
    rs.setsockopt(u, rs.SOL_SOCKET, rs.SO_ZEROCOPY, 1)
    for _ in range(3):
        assert rs.send(u, b"z" * 100, rs.MSG_ZEROCOPY) == 100
    rs.poll([(u, 0)], 1000)
    done: list[int] = []
    for msg in _errqueue(u):
        (err,) = msg.cmsgs
        assert isinstance(err, rs.SockExtendedErr) and (err.ee_errno, err.ee_origin) == (0, rs.SO_EE_ORIGIN_ZEROCOPY)
        zc = err.zerocopy
        assert zc is not None and zc.copied  # loopback copies: SO_EE_CODE_ZEROCOPY_COPIED
        assert (zc.first, zc.last) == (err.ee_info, err.ee_data) and err.timestamping is None
        done += range(zc.first, zc.last + 1)
    assert done == [0, 1, 2]  # every send, once, in order (coalesced into ranges as the kernel likes)


def test_recvmmsg_takes_a_size_per_message_and_sendmmsg_reports_each_msg_len(fds: Fds) -> None:
    """LTP's recvmmsg01 receives into 6- and 5-byte buffers; sendmmsg's msg_len says what went of each message."""
    a, b = fds.pair(rs.socketpair(rs.AF_UNIX, rs.SOCK_DGRAM))
    sent = rs.sendmmsg(a, [b"one two", ([b"three", b"four"], None), b""])
    assert sent == 3 and isinstance(sent, rs.Sent) and sent.msg_lens == (7, 9, 0)
    got = rs.recvmmsg(b, 3, [6, 5, 1], rs.MSG_DONTWAIT)
    assert [(m.data, m.msg_flags) for m in got] == [(b"one tw", rs.MSG_TRUNC), (b"three", rs.MSG_TRUNC),
                                                      (b"", 0)]
    with pytest.raises(ValueError, match=r"^recvmmsg\(\) argument 'bufsize': has 2 sizes for vlen 3: one per message$"):
        rs.recvmmsg(b, 3, [6, 5])
    with pytest.raises(ValueError, match=r"^recvmmsg\(\) argument 'bufsize'"):
        rs.recvmmsg(b, 2, [6, -1])
    assert rs.sendmmsg(a, [b"abc", b"defg"]) == 2
    got = rs.recvmmsg(b, 2, range(2, 4), rs.MSG_DONTWAIT)  # any sequence of sizes, as the annotation says
    assert [m.data for m in got] == [b"ab", b"def"]
    assert repr(rs.Sent(2, (1, 2))) == "Sent(2, msg_lens=(1, 2))"


def test_sendmsg_and_recvmsg_pass_namelen_as_given(fds: Fds) -> None:
    u, v = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM)), fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM))
    rs.bind(v, rs.SockaddrIn("127.0.0.1", 0))
    dest = rs.getsockname(v)
    assert errno_of(lambda: rs.sendmsg(u, [b"x"], (), 0, dest, namelen=-1)) == errno.EINVAL
    assert errno_of(lambda: rs.sendmsg(u, [b"x"], (), 0, dest, namelen=8)) == errno.EINVAL  # < sizeof(sockaddr_in)
    assert rs.sendmsg(u, [b"x"], (), 0, dest, namelen=200) == 1  # the kernel caps it at sockaddr_storage's
    msg = rs.recvmsg(v, 8, namelen=4)  # the kernel writes 4 bytes of the name, and says how long it was
    assert msg.data == b"x" and msg.address == rs.RawSockaddr(rs.AF_INET, rs.getsockname(u).port.to_bytes(2, "big"))
    assert errno_of(lambda: rs.recvmsg(v, 8, 0, rs.MSG_DONTWAIT, namelen=-1)) == errno.EINVAL


def test_a_traced_sendmsg_shows_no_more_of_the_name_than_rawsock_holds(fds: Fds) -> None:
    """namelen may say more than the name: the kernel caps it at sockaddr_storage, and the tracer must read no more
    than the zero-padded sockaddr_storage rawsock copied the name into (it read namelen bytes of the stack)."""
    u, v = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM)), fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM))
    rs.bind(v, rs.SockaddrIn("127.0.0.1", 0))
    dest = rs.getsockname(v)
    out = io.StringIO()
    with rs.trace(out, strsize=4096):
        assert rs.sendmsg(u, [b"x"], (), 0, dest, namelen=100_000_000) == 1
        assert errno_of(lambda: rs.sendmsg(u, [b"x"], (), 0, dest, namelen=-1)) == errno.EINVAL
    first, second = out.getvalue().splitlines()
    assert "msg_namelen=100000000" in first and first.endswith("= 1")
    assert f"sin_port=htons({dest.port})" in first and second.endswith("= -1 EINVAL (Invalid argument)")
