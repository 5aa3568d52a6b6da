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

from ._binding import ffi
from ._constants import CONSTANTS, index
from ._time import Timeval, pack

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NamedTuple
else:
    from ._typing import NamedTuple

__all__ = ["OPTIONS", "Linger", "Option", "OptionValue", "TcpInfo", "Ucred", "value_in", "value_out", "value_size"]

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


class TcpInfo(NamedTuple):
    """``struct tcp_info`` for TCP_INFO (tcp(7)), fields named as in the struct without ``tcpi_``.
    Times (rto, ato, rtt, rttvar, last_*) are in microseconds or milliseconds as the kernel reports them."""

    state: int
    ca_state: int
    retransmits: int
    probes: int
    backoff: int
    options: int
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


# (Built with ``|`` rather than typing.Union: see rawsock._typing.)
if sys.version_info >= (3, 10):
    OptionValue = int | Linger | Timeval | Ucred | TcpInfo | str | bytes
else:  # pragma: no cover
    from typing import Union

    OptionValue = Union[int, Linger, Timeval, Ucred, TcpInfo, str, bytes]

# kind -> (C type, decode from a pointer to it, encode a value into a pointer to it)
_CTYPES = {"int": "int", "linger": "struct linger", "timeval": "struct timeval", "ucred": "struct ucred",
           "tcp_info": "struct tcp_info", "string": "char[64]"}


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
        ("SO_DEBUG", "int", "socket debugging (CAP_NET_ADMIN)"),
        ("SO_DOMAIN", "int", "the socket's domain (get only)"),
        ("SO_DONTROUTE", "int", "send only to directly connected hosts"),
        ("SO_ERROR", "int", "the pending socket error, cleared by reading it (get only)"),
        ("SO_INCOMING_CPU", "int", "the CPU the socket's packets are processed on"),
        ("SO_KEEPALIVE", "int", "send keep-alive probes on connection-oriented sockets"),
        ("SO_LINGER", "linger", "what close(2) and shutdown(2) do with unsent data"),
        ("SO_MARK", "int", "the mark for policy routing (CAP_NET_ADMIN)"),
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
        ("SO_TIMESTAMPNS", "int", "receive SO_TIMESTAMPNS control messages"),
        ("SO_TYPE", "int", "the socket type (get only)"),
        ("SO_ZEROCOPY", "int", "allow MSG_ZEROCOPY sends"),
    ]),
    ("IPPROTO_TCP", "tcp(7)", [
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
        ("TCP_SYNCNT", "int", "SYN retransmits before connect gives up"),
        ("TCP_USER_TIMEOUT", "int", "milliseconds unacknowledged data may wait before the connection is closed"),
        ("TCP_WINDOW_CLAMP", "int", "the bound on the advertised window"),
    ]),
    ("IPPROTO_IP", "ip(7)", [
        ("IP_BIND_ADDRESS_NO_PORT", "int", "defer the port choice of bind(2) with port 0 to connect(2)"),
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
    ]),
    ("IPPROTO_IPV6", "ipv6(7)", [
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
    return TcpInfo(*(getattr(p, "tcpi_" + field) for field in TcpInfo._fields))


def _encode(kind: str, value: object) -> bytes:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
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
    if isinstance(value, int):
        try:
            return value.to_bytes(_INT_SIZE, sys.byteorder, signed=True)
        except OverflowError:
            raise OverflowError(f"option value {value} does not fit a C int") from None
    raise TypeError(f"cannot pass {type(value).__name__} as a socket option value")


def _kind_of(args: tuple[int, ...]) -> str:
    option = OPTIONS.get((args[1], args[2]))
    return "int" if option is None else option.kind


#: what setsockopt takes for an option of the table, by kind (bytes, passed verbatim, always)
_TAKES: dict[str, tuple[tuple[type, ...], str]] = {
    "int": ((int,), "an int"), "linger": ((Linger,), "a Linger"),
    "timeval": ((Timeval, int, float), "a Timeval or seconds"), "ucred": ((Ucred,), "a Ucred"),
    "tcp_info": ((int,), "an int"), "string": ((str,), "a str"),
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
    if n > len(raw):
        if isinstance(value, (bytes, bytearray, memoryview)):
            raise ValueError(f"optlen {n} is longer than the {len(raw)}-byte value")
        if n > PAD_MAX:
            raise ValueError(f"optlen {n}: rawsock zero-pads a typed value to at most {PAD_MAX} bytes (pass bytes "
                             "for more)")
        raw = raw.ljust(n, b"\0")
    return 1, raw, n, None


def value_size(args: tuple[int, ...], buflen: Any) -> tuple[int, str]:
    """getsockopt's optlen for (fd, level, optname) and what to make of the bytes: the option's struct, or
    ``buflen`` bytes returned raw."""
    if buflen is None:
        kind = _kind_of(args)
        return ffi.sizeof(_CTYPES[kind]), kind
    size = index(buflen)
    if size >= 2**31:
        raise OverflowError(f"buflen {size} does not fit the kernel's int optlen")
    return size, ""


def value_out(kind: str, raw: bytes) -> OptionValue:
    """The value getsockopt returns for the bytes the kernel wrote."""
    return raw if not kind else _decode(kind, raw)
