"""getsockopt(2) and setsockopt(2): typed values for the options the man pages describe.

The table below has one block per level, each headed by its man page and sorted by the C name, as socket2
does.  Options a system's headers lack are left out.  Escape hatches both ways: ``getsockopt(...,
buflen=N)`` returns the raw bytes the kernel wrote (cut to the optlen it returned); ``setsockopt`` with a
bytes value passes them verbatim, with optlen = len unless ``optlen`` says otherwise.  An option not in the
table is a plain int option.  The calls themselves are the engine's (rawsock._syscalls); this module is
their codec (``typed_in``/``typed_out`` in rawsock._codecs).
"""

from __future__ import annotations

import sys

from ._binding import ffi, lib
from ._constants import CONSTANTS, index
from ._time import Timeval, pack

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NamedTuple
else:
    from ._typing import NamedTuple

__all__ = [
    "OPTIONS", "GroupReq", "GroupSourceReq", "IpMreq", "IpMreqSource", "IpMreqn", "Ipv6Mreq", "Linger", "Option",
    "OptionValue", "SkMeminfo", "SoTimestamping", "TcpBbrInfo", "TcpCcInfo", "TcpDctcpInfo", "TcpInfo",
    "TcpRepairWindow", "TcpVegasInfo", "TcpZerocopyReceive", "TpacketReq", "TpacketReq3", "Ucred", "value_in",
    "value_out", "value_size",
]

_INT_SIZE: int = ffi.sizeof("int")
#: the most a typed value is zero-padded to, for a larger optlen
PAD_MAX = 65536


class Linger(NamedTuple):
    """``struct linger`` for SO_LINGER (socket(7)): ``onoff`` and the time in seconds."""

    onoff: int
    linger: int


class Ucred(NamedTuple):
    """``struct ucred`` for SO_PEERCRED (unix(7), socket(7))."""

    pid: int
    uid: int
    gid: int


class IpMreq(NamedTuple):
    """``struct ip_mreq`` for IP_ADD_MEMBERSHIP/IP_DROP_MEMBERSHIP (ip(7)): the group, and the local
    interface's address (``'0.0.0.0'``: the kernel chooses)."""

    multiaddr: str
    interface: str = "0.0.0.0"


class IpMreqn(NamedTuple):
    """``struct ip_mreqn`` for IP_ADD_MEMBERSHIP/IP_DROP_MEMBERSHIP and IP_MULTICAST_IF (ip(7)): the group, a
    local address and an interface index (0: any)."""

    multiaddr: str
    address: str = "0.0.0.0"
    ifindex: int = 0


class IpMreqSource(NamedTuple):
    """``struct ip_mreq_source`` for IP_ADD_SOURCE_MEMBERSHIP, IP_DROP_SOURCE_MEMBERSHIP, IP_BLOCK_SOURCE and
    IP_UNBLOCK_SOURCE (ip(7)): the group, the local interface's address and the source."""

    multiaddr: str
    interface: str
    sourceaddr: str


class Ipv6Mreq(NamedTuple):
    """``struct ipv6_mreq`` for IPV6_ADD_MEMBERSHIP/IPV6_DROP_MEMBERSHIP (ipv6(7)): the group and an interface
    index (0: the kernel chooses)."""

    multiaddr: str
    interface: int = 0


class GroupReq(NamedTuple):
    """``struct group_req`` for MCAST_JOIN_GROUP/MCAST_LEAVE_GROUP (RFC 3678): an interface index and the group
    as an address (SockaddrIn or SockaddrIn6; the port is ignored)."""

    interface: int
    group: Any


class GroupSourceReq(NamedTuple):
    """``struct group_source_req`` for MCAST_JOIN_SOURCE_GROUP, MCAST_LEAVE_SOURCE_GROUP, MCAST_BLOCK_SOURCE and
    MCAST_UNBLOCK_SOURCE (RFC 3678): an interface index, the group and the source, as addresses."""

    interface: int
    group: Any
    source: Any


class SoTimestamping(NamedTuple):
    """``struct so_timestamping`` for SO_TIMESTAMPING (Documentation/networking/timestamping.rst): the
    SOF_TIMESTAMPING_* flags, and with SOF_TIMESTAMPING_BIND_PHC the PTP clock index to bind to.  Setting the
    option also takes the flags as a plain int (the older 4-byte form)."""

    flags: int
    bind_phc: int = 0


class SkMeminfo(NamedTuple):
    """SO_MEMINFO (sock_diag(7)): the socket's memory counters, ``u32[SK_MEMINFO_VARS]`` indexed by SK_MEMINFO_*,
    in bytes (``drops``: packets)."""

    rmem_alloc: int
    rcvbuf: int
    wmem_alloc: int
    sndbuf: int
    fwd_alloc: int
    wmem_queued: int
    optmem: int
    backlog: int
    drops: int


class TcpRepairWindow(NamedTuple):
    """``struct tcp_repair_window`` for TCP_REPAIR_WINDOW (tcp(7); get, and set in repair mode)."""

    snd_wl1: int
    snd_wnd: int
    max_window: int
    rcv_wnd: int
    rcv_wup: int


class TcpZerocopyReceive(NamedTuple):
    """``struct tcp_zerocopy_receive`` for TCP_ZEROCOPY_RECEIVE (tcp(7)): a getsockopt the kernel reads before it
    writes.  Given as getsockopt's ``value``: ``address`` and ``length`` (a mapping of the socket, which the kernel
    checks: any other address is its EINVAL), ``copybuf_len`` (rawsock allocates that many bytes, zeroed, and
    puts their address in copybuf_address: the kernel copies what it cannot map there), ``flags``, and
    ``msg_controllen`` (likewise, for msg_control: the kernel writes timestamps there).  Returned: every field as
    the kernel left it, ``copybuf`` the bytes it copied (copybuf_len of them, when that is not an error) and
    ``msg_control`` the control bytes (msg_controllen of them)."""

    address: int = 0
    length: int = 0
    recv_skip_hint: int = 0
    inq: int = 0
    err: int = 0
    copybuf_len: int = 0
    flags: int = 0
    msg_controllen: int = 0
    msg_flags: int = 0
    copybuf: bytes = b""
    msg_control: bytes = b""


#: struct tcp_zerocopy_receive's layout: the kernel's ABI (<linux/tcp.h>; csrc/tcp_info.c checks it against the
#: header it builds with): (field, offset, size, signed)
_ZC_FIELDS = (("address", 0, 8, False), ("length", 8, 4, False), ("recv_skip_hint", 12, 4, False),
              ("inq", 16, 4, False), ("err", 20, 4, True), ("copybuf_len", 32, 4, True), ("flags", 36, 4, False),
              ("msg_controllen", 48, 8, False), ("msg_flags", 56, 4, False))
_ZC_SIZE, _ZC_COPYBUF, _ZC_CONTROL = 64, 24, 40


def _zc_spec(value: object) -> tuple[int, str, bytes, tuple[tuple[int, int], ...]]:
    zc = TcpZerocopyReceive() if value is None else value
    if not isinstance(zc, TcpZerocopyReceive):
        raise TypeError(f"TCP_ZEROCOPY_RECEIVE takes a TcpZerocopyReceive, not {type(zc).__name__}")
    raw = bytearray(_ZC_SIZE)
    for name, offset, size, signed in _ZC_FIELDS:
        v = index(getattr(zc, name))
        lo, hi = (-(1 << (8 * size - 1)), 1 << (8 * size - 1)) if signed else (0, 1 << (8 * size))
        if not lo <= v < hi:
            raise OverflowError(f"TcpZerocopyReceive.{name} {v} does not fit its {8 * size}-bit field")
        raw[offset:offset + size] = v.to_bytes(size, sys.byteorder, signed=signed)
    # copybuf and msg_control: buffers rawsock owns, of the lengths given (none for a length of 0 or less, or
    # above PAD_MAX... the kernel writes at most the length the struct says)
    copybuf, control = max(index(zc.copybuf_len), 0), index(zc.msg_controllen)
    if copybuf > _ZC_BUFFER_MAX or control > _ZC_BUFFER_MAX:
        raise ValueError(f"TcpZerocopyReceive: copybuf_len and msg_controllen are at most {_ZC_BUFFER_MAX} bytes here")
    return _ZC_SIZE, "zerocopy_receive", bytes(raw), ((_ZC_COPYBUF, copybuf), (_ZC_CONTROL, control))


#: the most rawsock allocates for TCP_ZEROCOPY_RECEIVE's copybuf or msg_control
_ZC_BUFFER_MAX = 1 << 30


def _zc_decode(raw: bytes, copybuf: bytes | None, control: bytes | None) -> TcpZerocopyReceive | bytes:
    if len(raw) < _ZC_SIZE:  # the kernel wrote less than the struct: the bytes, as they came
        return raw
    fields = {name: int.from_bytes(raw[offset:offset + size], sys.byteorder, signed=signed)
              for name, offset, size, signed in _ZC_FIELDS}
    got = fields["copybuf_len"]
    return TcpZerocopyReceive(**fields, copybuf=(copybuf or b"")[:max(got, 0)],
                              msg_control=(control or b"")[:fields["msg_controllen"]])


class TpacketReq(NamedTuple):
    """``struct tpacket_req`` for PACKET_RX_RING/PACKET_TX_RING (packet(7), TPACKET_V1 and V2; set only)."""

    block_size: int
    block_nr: int
    frame_size: int
    frame_nr: int


class TpacketReq3(NamedTuple):
    """``struct tpacket_req3`` for PACKET_RX_RING with TPACKET_V3 (packet(7); set only)."""

    block_size: int
    block_nr: int
    frame_size: int
    frame_nr: int
    retire_blk_tov: int = 0
    sizeof_priv: int = 0
    feature_req_word: int = 0


class TcpVegasInfo(NamedTuple):
    """``struct tcpvegas_info`` (TCP_CC_INFO of the vegas algorithm)."""

    enabled: int
    rttcnt: int
    rtt: int
    minrtt: int


class TcpDctcpInfo(NamedTuple):
    """``struct tcp_dctcp_info`` (TCP_CC_INFO of the dctcp algorithm)."""

    enabled: int
    ce_state: int
    alpha: int
    ab_ecn: int
    ab_tot: int


class TcpBbrInfo(NamedTuple):
    """``struct tcp_bbr_info`` (TCP_CC_INFO of the bbr algorithm): ``bw`` is bbr_bw_hi:bbr_bw_lo."""

    bw: int
    min_rtt: int
    pacing_gain: int
    cwnd_gain: int


class TcpCcInfo(NamedTuple):
    """TCP_CC_INFO (tcp(7)): ``union tcp_cc_info``, the bytes the algorithm in use wrote (none for one without
    them, such as reno).  The union cannot say which algorithm wrote it (TCP_CONGESTION does): ``vegas``,
    ``dctcp`` and ``bbr`` read the bytes as each one's struct (None where they are too short for it)."""

    raw: bytes

    @property
    def vegas(self) -> TcpVegasInfo | None:
        v = _u32s(self.raw, 4)
        return None if v is None else TcpVegasInfo(*v)

    @property
    def dctcp(self) -> TcpDctcpInfo | None:
        if len(self.raw) < ffi.sizeof("struct tcp_dctcp_info"):
            return None
        p = ffi.new("struct tcp_dctcp_info *")
        ffi.memmove(p, self.raw, ffi.sizeof(p[0]))
        return TcpDctcpInfo(p.dctcp_enabled, p.dctcp_ce_state, p.dctcp_alpha, p.dctcp_ab_ecn, p.dctcp_ab_tot)

    @property
    def bbr(self) -> TcpBbrInfo | None:
        v = _u32s(self.raw, 5)
        return None if v is None else TcpBbrInfo(v[1] << 32 | v[0], *v[2:])


def _u32s(raw: bytes, n: int) -> list[int] | None:
    if len(raw) < 4 * n:
        return None
    return [int.from_bytes(raw[4 * i:4 * i + 4], sys.byteorder) for i in range(n)]


class TcpInfo:
    """``struct tcp_info`` for TCP_INFO (tcp(7)) as the kernel headers this build saw declare it (<linux/tcp.h>:
    every field, not glibc's first 104 bytes), fields named as in the struct without ``tcpi_``.  Only the fields
    inside the length the kernel returned are present (``length``): a field an older kernel did not fill raises
    AttributeError, rather than read as 0.  Times are in the units the kernel reports (rto, ato, rtt, rttvar:
    microseconds; last_*: milliseconds).  ``fields()`` lists the present ones, ``_asdict()`` gives them all."""

    __slots__ = ("_values", "length")
    _values: dict[str, int]
    length: int

    if TYPE_CHECKING:  # the fields of <linux/tcp.h> 6.1; a newer header's are there too, at run time
        state: int
        ca_state: int
        retransmits: int
        probes: int
        backoff: int
        options: int
        snd_wscale: int
        rcv_wscale: int
        delivery_rate_app_limited: int
        fastopen_client_fail: int
        rto: int
        ato: int
        snd_mss: int
        rcv_mss: int
        unacked: int
        sacked: int
        lost: int
        retrans: int
        fackets: int
        last_data_sent: int
        last_ack_sent: int
        last_data_recv: int
        last_ack_recv: int
        pmtu: int
        rcv_ssthresh: int
        rtt: int
        rttvar: int
        snd_ssthresh: int
        snd_cwnd: int
        advmss: int
        reordering: int
        rcv_rtt: int
        rcv_space: int
        total_retrans: int
        pacing_rate: int
        max_pacing_rate: int
        bytes_acked: int
        bytes_received: int
        segs_out: int
        segs_in: int
        notsent_bytes: int
        min_rtt: int
        data_segs_in: int
        data_segs_out: int
        delivery_rate: int
        busy_time: int
        rwnd_limited: int
        sndbuf_limited: int
        delivered: int
        delivered_ce: int
        bytes_sent: int
        bytes_retrans: int
        dsack_dups: int
        reord_seen: int
        rcv_ooopack: int
        snd_wnd: int

    def __init__(self, values: dict[str, int], length: int) -> None:
        object.__setattr__(self, "_values", dict(values))
        object.__setattr__(self, "length", length)

    @classmethod
    def from_bytes(cls, raw: bytes) -> TcpInfo:
        """The fields that lie wholly inside ``raw`` (what the kernel wrote)."""
        values = {}
        for name, offset, size, shift, width in tcp_info_layout():
            if offset + size <= len(raw):
                v = int.from_bytes(raw[offset:offset + size], sys.byteorder)
                values[name] = (v >> shift) & ((1 << width) - 1) if width else v
        return cls(values, len(raw))

    def __getattr__(self, name: str) -> int:
        try:
            return self._values[name]
        except KeyError:
            pass
        if any(f[0] == name for f in tcp_info_layout()):
            raise AttributeError(f"TcpInfo.{name}: not filled by the kernel (it returned {self.length} bytes)")
        raise AttributeError(f"TcpInfo has no field {name!r} (struct tcp_info's are {', '.join(self.fields())})")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("TcpInfo is read-only")

    def fields(self) -> list[str]:
        """The present fields, in the struct's order."""
        return list(self._values)

    def _asdict(self) -> dict[str, int]:
        return dict(self._values)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TcpInfo):
            return NotImplemented
        return self._values == other._values and self.length == other.length

    def __hash__(self) -> int:
        return hash((tuple(self._values.items()), self.length))

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v}" for k, v in self._values.items())
        return f"TcpInfo({shown}; length={self.length})"

    def __reduce__(self) -> tuple[type[TcpInfo], tuple[dict[str, int], int]]:
        return TcpInfo, (self._values, self.length)


_layout: list[tuple[str, int, int, int, int]] = []


def tcp_info_layout() -> list[tuple[str, int, int, int, int]]:
    """(field without tcpi_, offset, size, bit shift, bit width (0: a whole field)) for each field of the kernel
    headers' struct tcp_info, from the compiler (csrc/tcp_info.c)."""
    if not _layout:  # built whole, then published in one step: another thread sees it empty or complete
        out = ffi.new("struct rs_tcpi_field[256]")
        n = lib.rs_tcp_info_layout(out, 256)
        fields = [(ffi.string(f.name).decode()[len("tcpi_"):], f.offset, f.size, f.shift, f.width)
                  for f in out[0:min(n, 256)]]
        _layout[:] = fields
    return _layout


#: sizeof(struct tcp_info) in the kernel headers this build saw: getsockopt's optlen for TCP_INFO
TCP_INFO_SIZE: int = lib.rs_tcp_info_size()


# (Built with ``|`` rather than typing.Union: see rawsock._typing.)
if sys.version_info >= (3, 10):
    OptionValue = (int | Linger | Timeval | Ucred | TcpInfo | IpMreq | IpMreqn | IpMreqSource | Ipv6Mreq | GroupReq
                   | GroupSourceReq | SoTimestamping | SkMeminfo | TcpCcInfo | TcpRepairWindow | TpacketReq
                   | TpacketReq3 | TcpZerocopyReceive | str | bytes)
else:  # pragma: no cover
    from typing import Union

    OptionValue = Union[int, Linger, Timeval, Ucred, TcpInfo, IpMreq, IpMreqn, IpMreqSource, Ipv6Mreq, GroupReq,
                        GroupSourceReq, SoTimestamping, SkMeminfo, TcpCcInfo, TcpRepairWindow, TpacketReq,
                        TpacketReq3, TcpZerocopyReceive, str, bytes]

# kind -> (C type, decode from a pointer to it, encode a value into a pointer to it)
_CTYPES = {"int": "int", "linger": "struct linger", "timeval": "struct timeval", "ucred": "struct ucred",
           "tcp_info": "struct tcp_info", "string": "char[64]", "ip_mreq": "struct ip_mreqn",
           "ip_mreqn": "struct ip_mreqn", "ip_mreq_source": "struct ip_mreq_source", "ipv6_mreq": "struct ipv6_mreq",
           "group_req": "struct group_req", "group_source_req": "struct group_source_req",
           "so_timestamping": "struct so_timestamping", "u64": "uint64_t", "meminfo": "uint32_t[9]",
           "cc_info": "union tcp_cc_info", "repair_window": "struct tcp_repair_window",
           "tpacket_req": "struct tpacket_req3"}


class Option(NamedTuple):
    """One typed option: its level, C name, kind of value, man page and a line of documentation."""

    level: int
    name: str
    kind: str
    man: str
    doc: str


_TABLE: list[tuple[str, str, list[tuple[str, str, str]]]] = [
    ("SOL_SOCKET", "socket(7)", [
        ("SO_ACCEPTCONN", "int", "whether the socket is listening (get only)"),
        ("SO_BINDTODEVICE", "string", "the interface the socket is bound to"),
        ("SO_BROADCAST", "int", "datagram sockets may send to broadcast addresses"),
        ("SO_BUSY_POLL", "int", "microseconds to busy-poll on a blocking receive"),
        ("SO_COOKIE", "u64", "the socket's 64-bit cookie, unique for the boot (get only)"),
        ("SO_DEBUG", "int", "socket debugging (CAP_NET_ADMIN)"),
        ("SO_DOMAIN", "int", "the socket's domain (get only)"),
        ("SO_DONTROUTE", "int", "send only to directly connected hosts"),
        ("SO_ERROR", "int", "the pending socket error, cleared by reading it (get only)"),
        ("SO_INCOMING_CPU", "int", "the CPU the socket's packets are processed on"),
        ("SO_KEEPALIVE", "int", "send keep-alive probes on connection-oriented sockets"),
        ("SO_LINGER", "linger", "what close(2) and shutdown(2) do with unsent data"),
        ("SO_MARK", "int", "the mark for policy routing (CAP_NET_ADMIN)"),
        ("SO_MEMINFO", "meminfo", "the socket's memory counters, SK_MEMINFO_* (get only)"),
        ("SO_OOBINLINE", "int", "urgent data is placed in the normal data stream"),
        ("SO_PASSCRED", "int", "receive SCM_CREDENTIALS messages (unix(7))"),
        ("SO_PEEK_OFF", "int", "the offset MSG_PEEK reads from"),
        ("SO_PEERCRED", "ucred", "the credentials of the connected peer (get only)"),
        ("SO_PRIORITY", "int", "the protocol-defined priority of sent packets"),
        ("SO_PROTOCOL", "int", "the socket's protocol (get only)"),
        ("SO_RCVBUF", "int", "the receive buffer size; the kernel doubles the value set"),
        ("SO_RCVBUFFORCE", "int", "SO_RCVBUF beyond rmem_max (CAP_NET_ADMIN)"),
        ("SO_RCVLOWAT", "int", "the minimum number of bytes a receive returns"),
        ("SO_RCVTIMEO", "timeval", "the receive timeout: a blocking call fails with EAGAIN after it"),
        ("SO_REUSEADDR", "int", "allow reusing local addresses in bind(2)"),
        ("SO_REUSEPORT", "int", "allow several sockets to bind the same port"),
        ("SO_SNDBUF", "int", "the send buffer size; the kernel doubles the value set"),
        ("SO_SNDBUFFORCE", "int", "SO_SNDBUF beyond wmem_max (CAP_NET_ADMIN)"),
        ("SO_SNDLOWAT", "int", "the minimum bytes to send (not changeable on Linux: ENOPROTOOPT)"),
        ("SO_SNDTIMEO", "timeval", "the send timeout: a blocking call fails with EAGAIN after it"),
        ("SO_TIMESTAMP", "int", "receive SO_TIMESTAMP control messages"),
        ("SO_TIMESTAMPING", "so_timestamping", "timestamp generation and reporting (SOF_TIMESTAMPING_* flags)"),
        ("SO_TIMESTAMPNS", "int", "receive SO_TIMESTAMPNS control messages"),
        ("SO_TYPE", "int", "the socket type (get only)"),
        ("SO_ZEROCOPY", "int", "allow MSG_ZEROCOPY sends"),
    ]),
    ("IPPROTO_TCP", "tcp(7)", [
        ("TCP_CC_INFO", "cc_info", "the congestion control algorithm's state: vegas, dctcp or bbr (get only)"),
        ("TCP_CONGESTION", "string", "the congestion control algorithm"),
        ("TCP_CORK", "int", "do not send partial frames until uncorked (200 ms at most)"),
        ("TCP_DEFER_ACCEPT", "int", "wake a listener only when data arrives (seconds)"),
        ("TCP_FASTOPEN", "int", "the TCP Fast Open queue length of a listener"),
        ("TCP_INFO", "tcp_info", "information about the connection (get only)"),
        ("TCP_KEEPCNT", "int", "keep-alive probes before the connection is dropped"),
        ("TCP_KEEPIDLE", "int", "idle seconds before keep-alive probes start"),
        ("TCP_KEEPINTVL", "int", "seconds between keep-alive probes"),
        ("TCP_LINGER2", "int", "the lifetime of orphaned FIN_WAIT2 sockets"),
        ("TCP_MAXSEG", "int", "the maximum segment size"),
        ("TCP_NODELAY", "int", "disable the Nagle algorithm"),
        ("TCP_NOTSENT_LOWAT", "int", "the unsent-bytes threshold for writability"),
        ("TCP_QUICKACK", "int", "quickack mode (not permanent)"),
        ("TCP_REPAIR_WINDOW", "repair_window", "the window state of a socket in repair mode"),
        ("TCP_ZEROCOPY_RECEIVE", "zerocopy_receive", "map (or copy) received data: a get that reads its value first"),
        ("TCP_SYNCNT", "int", "SYN retransmits before connect gives up"),
        ("TCP_USER_TIMEOUT", "int", "milliseconds unacknowledged data may wait before the connection is closed"),
        ("TCP_WINDOW_CLAMP", "int", "the bound on the advertised window"),
    ]),
    ("IPPROTO_IP", "ip(7)", [
        ("IP_ADD_MEMBERSHIP", "ip_mreq", "join a multicast group (IpMreq or IpMreqn; set only)"),
        ("IP_ADD_SOURCE_MEMBERSHIP", "ip_mreq_source", "join a group, receiving from one source (set only)"),
        ("IP_BIND_ADDRESS_NO_PORT", "int", "defer the port choice of bind(2) with port 0 to connect(2)"),
        ("IP_BLOCK_SOURCE", "ip_mreq_source", "stop receiving a group's data from a source (set only)"),
        ("IP_DROP_MEMBERSHIP", "ip_mreq", "leave a multicast group (IpMreq or IpMreqn; set only)"),
        ("IP_DROP_SOURCE_MEMBERSHIP", "ip_mreq_source", "leave a source-specific group (set only)"),
        ("IP_FREEBIND", "int", "allow binding to a nonlocal or not yet existing address"),
        ("IP_HDRINCL", "int", "a raw socket's user supplies the IP header"),
        ("IP_MTU", "int", "the path MTU of a connected socket (get only)"),
        ("IP_MTU_DISCOVER", "int", "the path MTU discovery setting (IP_PMTUDISC_*)"),
        ("IP_MULTICAST_LOOP", "int", "multicast packets loop back to local sockets"),
        ("IP_MULTICAST_TTL", "int", "the TTL of outgoing multicast packets"),
        ("IP_NODEFRAG", "int", "do not reassemble fragments (raw sockets)"),
        ("IP_PKTINFO", "int", "receive IP_PKTINFO control messages"),
        ("IP_RECVERR", "int", "queue extended errors on the error queue (MSG_ERRQUEUE)"),
        ("IP_RECVORIGDSTADDR", "int", "receive the original destination address"),
        ("IP_RECVTOS", "int", "receive IP_TOS control messages"),
        ("IP_RECVTTL", "int", "receive IP_TTL control messages"),
        ("IP_TOS", "int", "the Type-Of-Service field of outgoing packets"),
        ("IP_TRANSPARENT", "int", "transparent proxying (CAP_NET_ADMIN)"),
        ("IP_TTL", "int", "the time-to-live of outgoing packets"),
        ("IP_UNBLOCK_SOURCE", "ip_mreq_source", "receive a blocked source's data again (set only)"),
        ("MCAST_BLOCK_SOURCE", "group_source_req", "RFC 3678: block a source (set only)"),
        ("MCAST_JOIN_GROUP", "group_req", "RFC 3678: join a group, any family (set only)"),
        ("MCAST_JOIN_SOURCE_GROUP", "group_source_req", "RFC 3678: join a source-specific group (set only)"),
        ("MCAST_LEAVE_GROUP", "group_req", "RFC 3678: leave a group (set only)"),
        ("MCAST_LEAVE_SOURCE_GROUP", "group_source_req", "RFC 3678: leave a source-specific group (set only)"),
        ("MCAST_UNBLOCK_SOURCE", "group_source_req", "RFC 3678: unblock a source (set only)"),
    ]),
    ("SOL_PACKET", "packet(7)", [
        ("PACKET_RX_RING", "tpacket_req", "a mapped receive ring: TpacketReq, or TpacketReq3 with TPACKET_V3 "
                                          "(set only)"),
        ("PACKET_TX_RING", "tpacket_req", "a mapped transmit ring: TpacketReq (set only)"),
        ("PACKET_VERSION", "int", "the ring's frame format: TPACKET_V1, V2 or V3"),
    ]),
    ("IPPROTO_IPV6", "ipv6(7)", [
        ("IPV6_ADD_MEMBERSHIP", "ipv6_mreq", "join a multicast group (set only)"),
        ("IPV6_DROP_MEMBERSHIP", "ipv6_mreq", "leave a multicast group (set only)"),
        ("IPV6_MTU", "int", "the path MTU (get) or the MTU to use (set)"),
        ("IPV6_MTU_DISCOVER", "int", "the path MTU discovery setting"),
        ("IPV6_MULTICAST_HOPS", "int", "the hop limit of outgoing multicast packets"),
        ("IPV6_MULTICAST_LOOP", "int", "multicast packets loop back to local sockets"),
        ("IPV6_RECVERR", "int", "queue extended errors on the error queue (MSG_ERRQUEUE)"),
        ("IPV6_RECVPKTINFO", "int", "receive IPV6_PKTINFO control messages"),
        ("IPV6_RECVTCLASS", "int", "receive IPV6_TCLASS control messages"),
        ("IPV6_TCLASS", "int", "the traffic class of outgoing packets"),
        ("IPV6_UNICAST_HOPS", "int", "the hop limit of outgoing unicast packets"),
        ("IPV6_V6ONLY", "int", "restrict an AF_INET6 socket to IPv6 only"),
    ]),
]

#: (level, optname) -> Option, for the options this system's headers define
OPTIONS: dict[tuple[int, int], Option] = {}
for _level_name, _man, _rows in _TABLE:
    for _name, _kind, _doc in _rows:
        if _name in CONSTANTS:
            _level = CONSTANTS[_level_name]
            OPTIONS[(_level, CONSTANTS[_name])] = Option(_level, _name, _kind, _man, _doc)


def _decode(kind: str, raw: bytes) -> OptionValue:
    if kind == "string":
        return raw.split(b"\0", 1)[0].decode("ascii", "surrogateescape")
    if kind == "int":
        return int.from_bytes(raw, sys.byteorder, signed=True) if len(raw) == _INT_SIZE else raw
    if kind == "tcp_info":  # the fields the kernel filled
        return TcpInfo.from_bytes(raw)
    if kind == "cc_info":  # the bytes the algorithm wrote, read as each struct of the union
        return TcpCcInfo(raw)
    if kind == "u64":
        return int.from_bytes(raw, sys.byteorder) if len(raw) == 8 else raw
    if kind == "meminfo":
        v = _u32s(raw, len(SkMeminfo._fields))
        return raw if v is None or len(raw) != 4 * len(SkMeminfo._fields) else SkMeminfo(*v)
    ctype = _CTYPES[kind]
    if len(raw) < ffi.sizeof(ctype):  # the kernel wrote less than the struct: the bytes, as they came
        return raw
    p = ffi.new(ctype + " *")
    ffi.memmove(p, raw, ffi.sizeof(ctype))
    if kind == "linger":
        return Linger(p.l_onoff, p.l_linger)
    if kind == "timeval":
        return Timeval(p.tv_sec, p.tv_usec)
    if kind == "ucred":
        return Ucred(p.pid, p.uid, p.gid)
    if kind == "so_timestamping":
        return SoTimestamping(p.flags, p.bind_phc)
    if kind == "repair_window":
        return TcpRepairWindow(p.snd_wl1, p.snd_wnd, p.max_window, p.rcv_wnd, p.rcv_wup)
    if kind in _SET_ONLY:  # the kernel has no getsockopt for these: its bytes, as they came
        return raw
    raise AssertionError(kind)


_SET_ONLY = ("ip_mreq", "ip_mreqn", "ip_mreq_source", "ipv6_mreq", "group_req", "group_source_req", "tpacket_req")


def _in_addr(host: object, what: str) -> bytes:
    from ._address import _inet_pton

    if not isinstance(host, str):
        raise TypeError(f"{what} must be a str (an IPv4 address), not {type(host).__name__}")
    return _inet_pton(CONSTANTS["AF_INET"], host)


def _struct(ctype: str, fields: dict[str, object]) -> bytes:
    """The bytes of a C struct with the given fields set (the rest zero)."""
    p = ffi.new(ctype + " *")
    for name, value in fields.items():
        if isinstance(value, bytes):
            ffi.memmove(ffi.addressof(p[0], name), value, len(value))
        else:
            try:
                setattr(p, name, index(value))
            except OverflowError:
                raise OverflowError(f"{name} {value!r} does not fit {ctype}") from None
            except TypeError:
                raise TypeError(f"{name} must be an int, not {type(value).__name__}") from None
    return bytes(ffi.buffer(p))


def _storage(addr: object, what: str) -> bytes:
    from ._address import encode

    raw = encode(addr)  # type: ignore[arg-type]
    if len(raw) > ffi.sizeof("struct sockaddr_storage"):
        raise ValueError(f"{what} is longer than a sockaddr_storage")
    return raw


def _encode_struct(value: object) -> bytes | None:
    """The C struct for a typed option value of the multicast or timestamping kinds, or None for another value."""
    if isinstance(value, IpMreq):
        return _struct("struct ip_mreq", {"imr_multiaddr": _in_addr(value.multiaddr, "multiaddr"),
                                          "imr_interface": _in_addr(value.interface, "interface")})
    if isinstance(value, IpMreqn):
        return _struct("struct ip_mreqn", {"imr_multiaddr": _in_addr(value.multiaddr, "multiaddr"),
                                           "imr_address": _in_addr(value.address, "address"),
                                           "imr_ifindex": value.ifindex})
    if isinstance(value, IpMreqSource):
        return _struct("struct ip_mreq_source", {"imr_multiaddr": _in_addr(value.multiaddr, "multiaddr"),
                                                 "imr_interface": _in_addr(value.interface, "interface"),
                                                 "imr_sourceaddr": _in_addr(value.sourceaddr, "sourceaddr")})
    if isinstance(value, Ipv6Mreq):
        from ._address import _inet_pton

        if not isinstance(value.multiaddr, str):
            raise TypeError(f"multiaddr must be a str (an IPv6 address), not {type(value.multiaddr).__name__}")
        return _struct("struct ipv6_mreq", {"ipv6mr_multiaddr": _inet_pton(CONSTANTS["AF_INET6"], value.multiaddr),
                                            "ipv6mr_interface": value.interface})
    if isinstance(value, GroupReq):
        return _struct("struct group_req", {"gr_interface": value.interface,
                                            "gr_group": _storage(value.group, "group")})
    if isinstance(value, GroupSourceReq):
        return _struct("struct group_source_req", {"gsr_interface": value.interface,
                                                   "gsr_group": _storage(value.group, "group"),
                                                   "gsr_source": _storage(value.source, "source")})
    if isinstance(value, SoTimestamping):
        return _struct("struct so_timestamping", {"flags": value.flags, "bind_phc": value.bind_phc})
    if isinstance(value, TcpRepairWindow):
        return _struct("struct tcp_repair_window", value._asdict())
    if isinstance(value, (TpacketReq, TpacketReq3)):
        ctype = "struct tpacket_req" if isinstance(value, TpacketReq) else "struct tpacket_req3"
        return _struct(ctype, {"tp_" + k: v for k, v in value._asdict().items()})
    return None


def _encode(kind: str, value: object) -> bytes:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raw = _encode_struct(value)
    if raw is not None:
        return raw
    if isinstance(value, TcpZerocopyReceive):  # (setsockopt: the kernel has no setter, ENOPROTOOPT)
        return _zc_spec(value)[2]
    if isinstance(value, str):
        return value.encode("ascii", "surrogateescape")
    if kind == "timeval" and isinstance(value, (int, float)) and not isinstance(value, bool):
        value = Timeval.from_seconds(value)
    if isinstance(value, Timeval):
        assert ffi.sizeof("struct timeval") == len(pack((0, 0)))
        return pack(value)
    if isinstance(value, (Linger, Ucred)):
        ctype = "struct linger" if isinstance(value, Linger) else "struct ucred"
        try:
            return bytes(ffi.buffer(ffi.new(ctype + " *", tuple(value))))
        except OverflowError:
            raise OverflowError(f"{value!r} does not fit {ctype}") from None
    if isinstance(value, int):  # an int, or an unsigned one up to UINT_MAX: the kernel reads the 32 bits
        if not -(1 << 31) <= value < 1 << 32:
            raise OverflowError(f"option value {value} does not fit a C int (or unsigned int)")
        return (value & 0xFFFFFFFF).to_bytes(_INT_SIZE, sys.byteorder)
    raise TypeError(f"cannot pass {type(value).__name__} as a socket option value")


def _kind_of(args: tuple[int, ...]) -> str:
    option = OPTIONS.get((args[1], args[2]))
    return "int" if option is None else option.kind


#: what setsockopt takes for an option of the table, by kind (bytes, passed verbatim, always)
_TAKES: dict[str, tuple[tuple[type, ...], str]] = {
    "int": ((int,), "an int"), "linger": ((Linger,), "a Linger"),
    "timeval": ((Timeval, int, float), "a Timeval or seconds"), "ucred": ((Ucred,), "a Ucred"),
    "tcp_info": ((int,), "an int"), "string": ((str,), "a str"),
    "ip_mreq": ((IpMreq, IpMreqn), "an IpMreq or IpMreqn"), "ip_mreqn": ((IpMreqn,), "an IpMreqn"),
    "ip_mreq_source": ((IpMreqSource,), "an IpMreqSource"), "ipv6_mreq": ((Ipv6Mreq,), "an Ipv6Mreq"),
    "group_req": ((GroupReq,), "a GroupReq"), "group_source_req": ((GroupSourceReq,), "a GroupSourceReq"),
    "so_timestamping": ((SoTimestamping, int), "a SoTimestamping or its flags as an int"),
    "u64": ((int,), "an int"), "meminfo": ((int,), "an int"), "cc_info": ((int,), "an int"),
    "repair_window": ((TcpRepairWindow,), "a TcpRepairWindow"),
    "zerocopy_receive": ((TcpZerocopyReceive,), "a TcpZerocopyReceive"),
    "tpacket_req": ((TpacketReq, TpacketReq3), "a TpacketReq or TpacketReq3"),
}


def value_in(args: tuple[int, ...], value: object, optlen: Any) -> tuple[int, bytes, int, None]:
    """setsockopt's optval and optlen for (fd, level, optname): a typed value encoded (zero-padded up to a
    larger optlen, at most PAD_MAX bytes), bytes verbatim.  An option of the table takes its kind's value (or
    bytes); an option rawsock does not know, any value it can encode."""
    option = OPTIONS.get((args[1], args[2]))
    if option is not None and not isinstance(value, (bytes, bytearray, memoryview)):
        types, what = _TAKES[option.kind]
        if not isinstance(value, types) or (isinstance(value, bool) and option.kind == "timeval"):
            raise TypeError(f"{option.name} takes {what} (or bytes, passed verbatim), not {type(value).__name__}")
    raw = _encode(_kind_of(args), value)
    n = len(raw) if optlen is None else index(optlen)
    if not -(2**31) <= n < 2**32:
        raise OverflowError(f"optlen {n} does not fit a socklen_t")
    if n >= 2**31:  # the kernel reads optlen as an int: 2**32 - 1 is -1, its EINVAL
        n -= 2**32
    if n > len(raw):
        if isinstance(value, (bytes, bytearray, memoryview)):
            raise ValueError(f"optlen {n} is longer than the {len(raw)}-byte value")
        if n > PAD_MAX:
            raise ValueError(f"optlen {n}: rawsock zero-pads a typed value to at most {PAD_MAX} bytes (pass bytes "
                             "for more)")
        raw = raw.ljust(n, b"\0")
    return 1, raw, n, None


def value_size(args: tuple[int, ...], buflen: Any, value: Any = None) -> tuple[Any, ...]:
    """getsockopt's optlen for (fd, level, optname) and what to make of the bytes: the option's struct, or
    ``buflen`` bytes returned raw.  An option the kernel reads first (TCP_ZEROCOPY_RECEIVE) also gets its
    ``value``'s bytes and the buffers to attach to it: (size, token, initial bytes, ((offset, size), ...))."""
    kind = _kind_of(args)
    if kind == "zerocopy_receive" and buflen is None:
        return _zc_spec(value)
    if value is not None:
        raise TypeError("only an option the kernel reads before it writes (TCP_ZEROCOPY_RECEIVE) takes a value "
                        "(without buflen)")
    if buflen is None:
        return (TCP_INFO_SIZE if kind == "tcp_info" else ffi.sizeof(_CTYPES[kind])), kind
    size = index(buflen)
    if not -(2**31) <= size < 2**31:
        raise OverflowError(f"buflen {size} does not fit the kernel's int optlen")
    return size, ""  # (a negative one goes to the kernel, which refuses it before it writes anything)


def value_out(kind: str, raw: Any) -> OptionValue:
    """The value getsockopt returns for the bytes the kernel wrote (with the attached buffers, for an option that
    has them: (bytes, buffer, buffer))."""
    if kind == "zerocopy_receive":
        return _zc_decode(*raw)
    return raw if not kind else _decode(kind, raw)
