"""getsockopt(2)/setsockopt(2): one table-driven get/set test per option, grouped by level like socket2's,
the raw escape hatches, and the seeds' lessons (buffer doubling, timeouts, linger, SO_ERROR)."""

from __future__ import annotations

import errno
import os
import time

import pytest
from conftest import Fds, errno_of

import rawsock as rs

STREAM, DGRAM = rs.SOCK_STREAM, rs.SOCK_DGRAM

# (family, type, level, option, value set, value read back)
SET_GET = [
    # socket(7)
    (rs.AF_INET, STREAM, rs.SOL_SOCKET, rs.SO_KEEPALIVE, 1, 1),
    (rs.AF_INET, DGRAM, rs.SOL_SOCKET, rs.SO_BROADCAST, 1, 1),
    (rs.AF_INET, STREAM, rs.SOL_SOCKET, rs.SO_DONTROUTE, 1, 1),
    (rs.AF_INET, STREAM, rs.SOL_SOCKET, rs.SO_OOBINLINE, 1, 1),
    (rs.AF_UNIX, STREAM, rs.SOL_SOCKET, rs.SO_PASSCRED, 1, 1),
    (rs.AF_INET, STREAM, rs.SOL_SOCKET, rs.SO_PRIORITY, 5, 5),
    (rs.AF_INET, STREAM, rs.SOL_SOCKET, rs.SO_RCVBUF, 4096, 8192),  # the kernel doubles it
    (rs.AF_INET, STREAM, rs.SOL_SOCKET, rs.SO_RCVLOWAT, 10, 10),
    (rs.AF_INET, STREAM, rs.SOL_SOCKET, rs.SO_REUSEADDR, 1, 1),
    (rs.AF_INET, STREAM, rs.SOL_SOCKET, rs.SO_REUSEPORT, 1, 1),
    (rs.AF_INET, STREAM, rs.SOL_SOCKET, rs.SO_SNDBUF, 4096, 8192),
    (rs.AF_INET, STREAM, rs.SOL_SOCKET, rs.SO_LINGER, rs.Linger(1, 7), rs.Linger(1, 7)),
    (rs.AF_INET, STREAM, rs.SOL_SOCKET, rs.SO_RCVTIMEO, rs.Timeval(2, 500_000), rs.Timeval(2, 500_000)),
    (rs.AF_INET, STREAM, rs.SOL_SOCKET, rs.SO_SNDTIMEO, 1.5, rs.Timeval(1, 500_000)),
    # tcp(7)
    (rs.AF_INET, STREAM, rs.IPPROTO_TCP, rs.TCP_CONGESTION, "reno", "reno"),
    (rs.AF_INET, STREAM, rs.IPPROTO_TCP, rs.TCP_CORK, 1, 1),
    (rs.AF_INET, STREAM, rs.IPPROTO_TCP, rs.TCP_KEEPCNT, 3, 3),
    (rs.AF_INET, STREAM, rs.IPPROTO_TCP, rs.TCP_KEEPIDLE, 60, 60),
    (rs.AF_INET, STREAM, rs.IPPROTO_TCP, rs.TCP_KEEPINTVL, 5, 5),
    (rs.AF_INET, STREAM, rs.IPPROTO_TCP, rs.TCP_MAXSEG, 1000, 1000),
    (rs.AF_INET, STREAM, rs.IPPROTO_TCP, rs.TCP_NODELAY, 1, 1),
    (rs.AF_INET, STREAM, rs.IPPROTO_TCP, rs.TCP_SYNCNT, 2, 2),
    (rs.AF_INET, STREAM, rs.IPPROTO_TCP, rs.TCP_USER_TIMEOUT, 1500, 1500),
    # ip(7)
    (rs.AF_INET, DGRAM, rs.IPPROTO_IP, rs.IP_RECVERR, 1, 1),
    (rs.AF_INET, DGRAM, rs.IPPROTO_IP, rs.IP_TOS, 0x10, 0x10),
    (rs.AF_INET, DGRAM, rs.IPPROTO_IP, rs.IP_TTL, 33, 33),
    (rs.AF_INET, DGRAM, rs.IPPROTO_IP, rs.IP_PKTINFO, 1, 1),
    # ipv6(7)
    (rs.AF_INET6, DGRAM, rs.IPPROTO_IPV6, rs.IPV6_RECVERR, 1, 1),
    (rs.AF_INET6, DGRAM, rs.IPPROTO_IPV6, rs.IPV6_UNICAST_HOPS, 9, 9),
    (rs.AF_INET6, STREAM, rs.IPPROTO_IPV6, rs.IPV6_V6ONLY, 1, 1),
]


@pytest.mark.parametrize(("family", "type_", "level", "option", "value", "expected"), SET_GET,
                         ids=[rs.OPTIONS[(row[2], row[3])].name for row in SET_GET])
def test_set_then_get(fds: Fds, family: int, type_: int, level: int, option: int, value: object,
                      expected: object) -> None:
    fd = fds(rs.socket(family, type_))
    rs.setsockopt(fd, level, option, value)  # type: ignore[arg-type]
    got = rs.getsockopt(fd, level, option)
    assert got == expected and type(got) is type(expected)


def test_get_only_options(fds: Fds, listener: tuple[int, rs.SockaddrIn]) -> None:
    fd = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    get = rs.getsockopt
    assert get(fd, rs.SOL_SOCKET, rs.SO_TYPE) == rs.SOCK_STREAM
    assert get(fd, rs.SOL_SOCKET, rs.SO_DOMAIN) == rs.AF_INET
    assert get(fd, rs.SOL_SOCKET, rs.SO_PROTOCOL) == rs.IPPROTO_TCP
    assert get(fd, rs.SOL_SOCKET, rs.SO_ERROR) == 0
    assert get(fd, rs.SOL_SOCKET, rs.SO_ACCEPTCONN) == 0
    assert get(listener[0], rs.SOL_SOCKET, rs.SO_ACCEPTCONN) == 1
    assert errno_of(lambda: rs.setsockopt(fd, rs.SOL_SOCKET, rs.SO_TYPE, 1)) == errno.ENOPROTOOPT
    assert errno_of(lambda: rs.setsockopt(fd, rs.SOL_SOCKET, rs.SO_SNDLOWAT, 1)) == errno.ENOPROTOOPT


def test_peercred_and_tcp_info(unix_pair: tuple[int, int], tcp_pair: tuple[int, int],
                               listener: tuple[int, rs.SockaddrIn]) -> None:
    assert rs.getsockopt(unix_pair[0], rs.SOL_SOCKET, rs.SO_PEERCRED) == rs.Ucred(os.getpid(), os.getuid(), os.getgid())
    info = rs.getsockopt(tcp_pair[0], rs.IPPROTO_TCP, rs.TCP_INFO)
    assert isinstance(info, rs.TcpInfo)
    assert info.state == rs.TCP_ESTABLISHED and info.snd_mss > 0 and info.rcv_mss > 0 and info.rto > 0
    assert (info.retransmits, info.unacked, info.lost) == (0, 0, 0) and info.snd_cwnd > 0
    listening = rs.getsockopt(listener[0], rs.IPPROTO_TCP, rs.TCP_INFO)
    assert isinstance(listening, rs.TcpInfo) and listening.state == rs.TCP_LISTEN
    assert errno_of(lambda: rs.getsockopt(unix_pair[0], rs.IPPROTO_TCP, rs.TCP_INFO)) == errno.EOPNOTSUPP


def test_tcp_info_is_the_kernel_headers_whole_struct(tcp_pair: tuple[int, int]) -> None:
    """Every field of <linux/tcp.h>'s struct tcp_info (glibc's stops at total_retrans, byte 104), bitfields
    included; a field past the length the kernel returned is absent, not 0."""
    from rawsock._sockopt import TCP_INFO_SIZE, tcp_info_layout

    names = [f[0] for f in tcp_info_layout()]
    assert names[:10] == ["state", "ca_state", "retransmits", "probes", "backoff", "options", "snd_wscale",
                          "rcv_wscale", "delivery_rate_app_limited", "fastopen_client_fail"]
    assert "snd_wnd" in names and TCP_INFO_SIZE > 104
    info = rs.getsockopt(tcp_pair[0], rs.IPPROTO_TCP, rs.TCP_INFO)
    assert info.length == TCP_INFO_SIZE and info.fields() == names
    assert info.state == rs.TCP_ESTABLISHED and info.snd_wscale == info.rcv_wscale > 0  # loopback: both scale
    assert info.options & 0x4 and info.pacing_rate > 0 and info.segs_out >= 2  # TCPI_OPT_WSCALE
    raw = rs.getsockopt(tcp_pair[0], rs.IPPROTO_TCP, rs.TCP_INFO, 8)
    short = rs.TcpInfo.from_bytes(raw)
    assert short.length == 8 and short.fields() == names[:10] and short.state == rs.TCP_ESTABLISHED
    with pytest.raises(AttributeError, match=r"^TcpInfo.rto: not filled by the kernel \(it returned 8 bytes\)$"):
        _ = short.rto
    with pytest.raises(AttributeError, match="TcpInfo has no field 'nosuch'"):
        _ = short.nosuch  # type: ignore[attr-defined]


def test_raw_bytes_both_ways(fds: Fds) -> None:
    fd = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    one = (1).to_bytes(4, "little")
    rs.setsockopt(fd, rs.SOL_SOCKET, rs.SO_REUSEADDR, one)
    assert rs.getsockopt(fd, rs.SOL_SOCKET, rs.SO_REUSEADDR, 4) == one
    assert rs.getsockopt(fd, rs.SOL_SOCKET, rs.SO_REUSEADDR, 4096) == one  # cut to the optlen returned
    assert rs.getsockopt(fd, rs.SOL_SOCKET, rs.SO_REUSEADDR, 0) == b""
    assert errno_of(lambda: rs.setsockopt(fd, rs.SOL_SOCKET, rs.SO_REUSEADDR, one, 0)) == errno.EINVAL
    assert errno_of(lambda: rs.setsockopt(fd, rs.SOL_SOCKET, rs.SO_REUSEADDR, one, 3)) == errno.EINVAL
    rs.setsockopt(fd, rs.SOL_SOCKET, rs.SO_REUSEADDR, bytes(8))  # more than an int: the kernel reads an int
    assert rs.getsockopt(fd, rs.SOL_SOCKET, rs.SO_REUSEADDR) == 0
    rs.setsockopt(fd, rs.SOL_SOCKET, rs.SO_LINGER, rs.Linger(1, 3), 64)  # a typed value, zero-padded
    assert rs.getsockopt(fd, rs.SOL_SOCKET, rs.SO_LINGER) == rs.Linger(1, 3)
    with pytest.raises(ValueError, match="longer than the 4-byte value"):
        rs.setsockopt(fd, rs.SOL_SOCKET, rs.SO_REUSEADDR, one, 5)
    with pytest.raises(OverflowError):
        rs.setsockopt(fd, rs.SOL_SOCKET, rs.SO_REUSEADDR, 2**40)


def test_unknown_options_and_levels(fds: Fds) -> None:
    fd = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    assert errno_of(lambda: rs.getsockopt(fd, 12345, 1)) == errno.EOPNOTSUPP  # absent from getsockopt(2)
    assert errno_of(lambda: rs.setsockopt(fd, 12345, 1, 1)) == errno.ENOPROTOOPT
    assert errno_of(lambda: rs.setsockopt(fd, rs.SOL_SOCKET, 9999, 1)) == errno.ENOPROTOOPT
    assert errno_of(lambda: rs.getsockopt(-1, rs.SOL_SOCKET, rs.SO_TYPE)) == errno.EBADF
    null = fds(os.open("/dev/null", os.O_RDONLY))
    assert errno_of(lambda: rs.getsockopt(null, rs.SOL_SOCKET, rs.SO_TYPE)) == errno.ENOTSOCK
    assert rs.getsockopt(fd, rs.SOL_SOCKET, rs.SO_RCVBUF) > 0  # an option works with an int as is


def test_a_table_option_takes_its_kind_of_value_or_bytes(fds: Fds) -> None:
    fd = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    with pytest.raises(TypeError, match=r"setsockopt\(\) argument 'value': SO_RCVBUF takes an int \(or bytes, "
                                        r"passed verbatim\), not str"):
        rs.setsockopt(fd, rs.SOL_SOCKET, rs.SO_RCVBUF, "4096")
    with pytest.raises(TypeError, match=r"SO_RCVBUF takes an int .* not Linger"):
        rs.setsockopt(fd, rs.SOL_SOCKET, rs.SO_RCVBUF, rs.Linger(1, 0))
    with pytest.raises(TypeError, match=r"SO_LINGER takes a Linger .* not int"):
        rs.setsockopt(fd, rs.SOL_SOCKET, rs.SO_LINGER, 1)
    with pytest.raises(TypeError, match=r"TCP_CONGESTION takes a str .* not int"):
        rs.setsockopt(fd, rs.IPPROTO_TCP, rs.TCP_CONGESTION, 1)
    assert errno_of(lambda: rs.setsockopt(fd, rs.SOL_SOCKET, rs.SO_LINGER, b"\1\0\0\0")) == errno.EINVAL  # verbatim
    # an option rawsock does not know takes any value it can encode, for the kernel to judge
    assert errno_of(lambda: rs.setsockopt(fd, rs.IPPROTO_TCP, 9999, "reno")) == errno.ENOPROTOOPT  # 4 bytes: an int


def test_every_table_option_names_its_man_page() -> None:
    mans = {rs.SOL_SOCKET: "socket(7)", rs.IPPROTO_TCP: "tcp(7)", rs.IPPROTO_IP: "ip(7)", rs.IPPROTO_IPV6: "ipv6(7)",
            rs.SOL_PACKET: "packet(7)"}
    for (level, optname), option in rs.OPTIONS.items():
        assert option.man == mans[level] and getattr(rs, option.name) == optname and option.doc


# --- the seeds' lessons ----------------------------------------------------------------------------

def test_rcvtimeo_makes_a_blocking_recv_fail_with_eagain(unix_pair: tuple[int, int]) -> None:
    a, _ = unix_pair
    rs.setsockopt(a, rs.SOL_SOCKET, rs.SO_RCVTIMEO, rs.Timeval(0, 100_000))
    start = time.monotonic()
    assert errno_of(lambda: rs.recv(a, 10)) == errno.EAGAIN
    assert time.monotonic() - start >= 0.09


def test_sndtimeo_makes_a_blocking_send_fail_with_eagain(unix_pair: tuple[int, int]) -> None:
    a, _ = unix_pair
    rs.setsockopt(a, rs.SOL_SOCKET, rs.SO_SNDTIMEO, 0.1)
    with pytest.raises(BlockingIOError) as info:
        while True:
            rs.send(a, b"x" * 65536)
    assert info.value.errno == errno.EAGAIN


def test_linger_zero_close_sends_rst(fds: Fds, tcp_pair: tuple[int, int]) -> None:
    client, server = tcp_pair
    rs.setsockopt(server, rs.SOL_SOCKET, rs.SO_LINGER, rs.Linger(1, 0))
    fds.close(server)
    assert errno_of(lambda: rs.recv(client, 10)) == errno.ECONNRESET
    assert errno_of(lambda: rs.send(client, b"x")) == errno.EPIPE


def test_nonblocking_connect_outcome_through_so_error(fds: Fds, listener: tuple[int, rs.SockaddrIn],
                                                      closed_port: int) -> None:
    for target, outcome in ((listener[1], 0), (("127.0.0.1", closed_port), errno.ECONNREFUSED)):
        fd = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM | rs.SOCK_NONBLOCK))
        try:
            rs.connect(fd, target)
        except BlockingIOError as e:
            assert e.errno == errno.EINPROGRESS
            assert rs.poll([(fd, rs.POLLOUT)], 2000)[0][0] == fd
        assert rs.getsockopt(fd, rs.SOL_SOCKET, rs.SO_ERROR) == outcome
        assert rs.getsockopt(fd, rs.SOL_SOCKET, rs.SO_ERROR) == 0  # reading SO_ERROR clears it


def test_socket_methods() -> None:
    with rs.Socket(rs.AF_UNIX, rs.SOCK_DGRAM) as s:
        s.setsockopt(rs.SOL_SOCKET, rs.SO_PASSCRED, 1)
        assert s.getsockopt(rs.SOL_SOCKET, rs.SO_PASSCRED) == 1
        assert s.getsockopt(rs.SOL_SOCKET, rs.SO_PASSCRED, 4) == (1).to_bytes(4, "little")
        assert s.ioctl(rs.FIONREAD) == 0
        assert errno_of(s.sockatmark) == errno.EOPNOTSUPP  # AF_UNIX datagrams: neither EINVAL nor ENOTTY



def test_readme_option_table_is_current() -> None:
    import pathlib
    import re
    import sys

    root = pathlib.Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "tools"))
    try:
        import gen_readme_options
    finally:
        sys.path.pop(0)
    block = re.search(r"<!-- options-table:[^\n]*-->\n(.*?)\n<!-- end options-table -->",
                      (root / "README.md").read_text(), re.S)
    assert block is not None
    assert block.group(1) == gen_readme_options.render(), "run: python tools/gen_readme_options.py"


def test_int_options_take_unsigned_values_as_the_kernel_reads_them(fds: Fds) -> None:
    """LTP sets SO_SNDBUFFORCE to 0xffffff00: the kernel reads it as the int -256 and clamps it to its minimum,
    as it clamps 0."""
    u = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM))
    rs.setsockopt(u, rs.SOL_SOCKET, rs.SO_SNDBUFFORCE, 0)
    floor = rs.getsockopt(u, rs.SOL_SOCKET, rs.SO_SNDBUF)
    rs.setsockopt(u, rs.SOL_SOCKET, rs.SO_SNDBUFFORCE, 8192)
    assert rs.getsockopt(u, rs.SOL_SOCKET, rs.SO_SNDBUF) == 16384
    rs.setsockopt(u, rs.SOL_SOCKET, rs.SO_SNDBUFFORCE, 0xFFFFFF00)
    assert rs.getsockopt(u, rs.SOL_SOCKET, rs.SO_SNDBUF) == floor
    rs.setsockopt(u, rs.SOL_SOCKET, rs.SO_RCVBUF, 2**32 - 1)  # -1: clamped to the minimum too
    with pytest.raises(OverflowError, match=r"option value 4294967296 does not fit a C int \(or unsigned int\)"):
        rs.setsockopt(u, rs.SOL_SOCKET, rs.SO_RCVBUF, 2**32)


def test_multicast_membership(fds: Fds) -> None:
    u = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM))
    lo = rs.ioctl(u, rs.SIOCGIFINDEX, "lo").value
    rs.setsockopt(u, rs.IPPROTO_IP, rs.IP_ADD_MEMBERSHIP, rs.IpMreq("224.0.0.251", "127.0.0.1"))  # on lo
    assert errno_of(lambda: rs.setsockopt(u, rs.IPPROTO_IP, rs.IP_ADD_MEMBERSHIP,
                                          rs.IpMreqn("224.0.0.251", ifindex=lo))) == errno.EADDRINUSE
    rs.setsockopt(u, rs.IPPROTO_IP, rs.IP_DROP_MEMBERSHIP, rs.IpMreqn("224.0.0.251", ifindex=lo))
    assert errno_of(lambda: rs.setsockopt(u, rs.IPPROTO_IP, rs.IP_DROP_MEMBERSHIP,
                                          rs.IpMreq("224.0.0.251", "127.0.0.1"))) == errno.EADDRNOTAVAIL
    assert errno_of(lambda: rs.setsockopt(u, rs.IPPROTO_IP, rs.IP_ADD_MEMBERSHIP,
                                          rs.IpMreq("10.0.0.1"))) == errno.EINVAL  # not a multicast address
    rs.setsockopt(u, rs.IPPROTO_IP, rs.IP_ADD_SOURCE_MEMBERSHIP, rs.IpMreqSource("232.1.1.1", "0.0.0.0", "10.0.0.1"))
    rs.setsockopt(u, rs.IPPROTO_IP, rs.MCAST_JOIN_GROUP, rs.GroupReq(lo, rs.SockaddrIn("224.0.0.253", 0)))
    rs.setsockopt(u, rs.IPPROTO_IP, rs.MCAST_LEAVE_GROUP, rs.GroupReq(lo, rs.SockaddrIn("224.0.0.253", 0)))
    assert errno_of(lambda: rs.setsockopt(u, rs.IPPROTO_IP, rs.MCAST_LEAVE_GROUP,
                                          rs.GroupReq(lo, rs.SockaddrIn("224.0.0.253", 0)))) == errno.EADDRNOTAVAIL
    rs.setsockopt(u, rs.IPPROTO_IP, rs.MCAST_JOIN_SOURCE_GROUP,
                  rs.GroupSourceReq(lo, rs.SockaddrIn("232.1.1.2", 0), rs.SockaddrIn("10.0.0.2", 0)))
    v6 = fds(rs.socket(rs.AF_INET6, rs.SOCK_DGRAM))
    rs.setsockopt(v6, rs.IPPROTO_IPV6, rs.IPV6_ADD_MEMBERSHIP, rs.Ipv6Mreq("ff02::fb", lo))
    assert errno_of(lambda: rs.setsockopt(v6, rs.IPPROTO_IPV6, rs.IPV6_ADD_MEMBERSHIP,
                                          rs.Ipv6Mreq("ff02::fb", lo))) == errno.EADDRINUSE
    with pytest.raises(TypeError, match=r"IP_ADD_MEMBERSHIP takes an IpMreq or IpMreqn \(or bytes, passed "):
        rs.setsockopt(u, rs.IPPROTO_IP, rs.IP_ADD_MEMBERSHIP, rs.Ipv6Mreq("ff02::1"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"'nosuch' is not a numeric IPv4 address"):
        rs.setsockopt(u, rs.IPPROTO_IP, rs.IP_ADD_MEMBERSHIP, rs.IpMreq("nosuch"))


def test_so_timestamping_flags_and_struct(fds: Fds) -> None:
    u = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM))
    flags = rs.SOF_TIMESTAMPING_SOFTWARE | rs.SOF_TIMESTAMPING_RX_SOFTWARE
    rs.setsockopt(u, rs.SOL_SOCKET, rs.SO_TIMESTAMPING, rs.SoTimestamping(flags))
    assert rs.getsockopt(u, rs.SOL_SOCKET, rs.SO_TIMESTAMPING) == rs.SoTimestamping(flags, 0)
    rs.setsockopt(u, rs.SOL_SOCKET, rs.SO_TIMESTAMPING, rs.SOF_TIMESTAMPING_TX_SOFTWARE)  # the 4-byte form
    assert rs.getsockopt(u, rs.SOL_SOCKET, rs.SO_TIMESTAMPING) == rs.SoTimestamping(rs.SOF_TIMESTAMPING_TX_SOFTWARE)
    assert errno_of(lambda: rs.setsockopt(u, rs.SOL_SOCKET, rs.SO_TIMESTAMPING, 1 << 30)) == errno.EINVAL
    # BIND_PHC on a socket bound to no device: nothing to bind the clock of
    assert errno_of(lambda: rs.setsockopt(u, rs.SOL_SOCKET, rs.SO_TIMESTAMPING, rs.SoTimestamping(
        rs.SOF_TIMESTAMPING_BIND_PHC | rs.SOF_TIMESTAMPING_SOFTWARE, 7))) == errno.EOPNOTSUPP


def test_struct_valued_options(tcp_pair: tuple[int, int], fds: Fds) -> None:
    a, b = tcp_pair
    cookie = rs.getsockopt(a, rs.SOL_SOCKET, rs.SO_COOKIE)
    assert isinstance(cookie, int) and cookie > 0 and cookie != rs.getsockopt(b, rs.SOL_SOCKET, rs.SO_COOKIE)
    assert cookie == rs.getsockopt(a, rs.SOL_SOCKET, rs.SO_COOKIE)  # the socket's, for good
    mem = rs.getsockopt(a, rs.SOL_SOCKET, rs.SO_MEMINFO)
    assert isinstance(mem, rs.SkMeminfo) and mem.sndbuf == rs.getsockopt(a, rs.SOL_SOCKET, rs.SO_SNDBUF)
    assert mem.rcvbuf == rs.getsockopt(a, rs.SOL_SOCKET, rs.SO_RCVBUF) and mem.drops == 0
    rs.setsockopt(a, rs.IPPROTO_TCP, rs.TCP_CONGESTION, "reno")  # reno has no TCP_CC_INFO: no bytes
    assert rs.getsockopt(a, rs.IPPROTO_TCP, rs.TCP_CC_INFO) == rs.TcpCcInfo(b"")
    assert rs.TcpCcInfo(b"").bbr is None
    rs.setsockopt(b, rs.IPPROTO_TCP, rs.TCP_CONGESTION, "bbr")
    bbr = rs.getsockopt(b, rs.IPPROTO_TCP, rs.TCP_CC_INFO).bbr
    assert bbr is not None and bbr.min_rtt > 0  # the connection's, taken over by bbr
    assert errno_of(lambda: rs.getsockopt(a, rs.IPPROTO_TCP, rs.TCP_REPAIR_WINDOW)) == errno.EPERM  # not in repair
    p = fds(rs.socket(rs.AF_PACKET, rs.SOCK_RAW, 0))
    rs.setsockopt(p, rs.SOL_PACKET, rs.PACKET_VERSION, rs.TPACKET_V3)
    assert rs.getsockopt(p, rs.SOL_PACKET, rs.PACKET_VERSION) == rs.TPACKET_V3
    rs.setsockopt(p, rs.SOL_PACKET, rs.PACKET_RX_RING, rs.TpacketReq3(4096, 4, 2048, 8, 60))
    assert errno_of(lambda: rs.setsockopt(p, rs.SOL_PACKET, rs.PACKET_RX_RING,
                                          rs.TpacketReq3(4096, 4, 2048, 8, 60))) == errno.EBUSY  # one ring
    q = fds(rs.socket(rs.AF_PACKET, rs.SOCK_RAW, 0))
    assert errno_of(lambda: rs.setsockopt(q, rs.SOL_PACKET, rs.PACKET_RX_RING,
                                          rs.TpacketReq(4096, 1, 3000, 1))) == errno.EINVAL  # frame not aligned


def test_tcp_zerocopy_receive_reads_its_value_and_copies_into_rawsocks_buffer(tcp_pair: tuple[int, int]) -> None:
    """TCP_ZEROCOPY_RECEIVE is a getsockopt the kernel reads first; its copybuf is a buffer rawsock owns."""
    a, b = tcp_pair
    rs.send(a, b"hello zerocopy")
    for _ in range(100):  # (loopback delivers at once; the readiness check is the kernel's word)
        if rs.poll([(b, rs.POLLIN)], 100):
            break
    zc = rs.getsockopt(b, rs.IPPROTO_TCP, rs.TCP_ZEROCOPY_RECEIVE)
    assert zc == rs.TcpZerocopyReceive(inq=14, recv_skip_hint=14)  # no mapping: nothing received, inq told
    got = rs.getsockopt(b, rs.IPPROTO_TCP, rs.TCP_ZEROCOPY_RECEIVE, value=rs.TcpZerocopyReceive(copybuf_len=64))
    assert (got.copybuf_len, got.copybuf, got.inq, got.err) == (14, b"hello zerocopy", 0, 0)
    assert rs.getsockopt(b, rs.IPPROTO_TCP, rs.TCP_ZEROCOPY_RECEIVE).inq == 0  # it was received
    with pytest.raises(TypeError, match="TCP_ZEROCOPY_RECEIVE takes a TcpZerocopyReceive, not int"):
        rs.getsockopt(b, rs.IPPROTO_TCP, rs.TCP_ZEROCOPY_RECEIVE, value=5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="only an option the kernel reads before it writes"):
        rs.getsockopt(b, rs.SOL_SOCKET, rs.SO_RCVBUF, value=rs.TcpZerocopyReceive())
    with pytest.raises(OverflowError, match=r"TcpZerocopyReceive\.length 4294967296 does not fit its 32-bit field"):
        rs.getsockopt(b, rs.IPPROTO_TCP, rs.TCP_ZEROCOPY_RECEIVE, value=rs.TcpZerocopyReceive(length=2**32))
    assert rs.getsockopt(b, rs.IPPROTO_TCP, rs.TCP_ZEROCOPY_RECEIVE, 64)[:4] == bytes(4)  # raw bytes with buflen
