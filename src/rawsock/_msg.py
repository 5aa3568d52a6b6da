"""sendmsg(2), recvmsg(2), sendmmsg(2), recvmmsg(2) with ancillary data typed both ways (cmsg(3)).

Ancillary data is a list of ``(level, type, data)`` triples as in the standard library; received messages
also carry ``.cmsgs``, the same items decoded into typed values (:class:`ScmRights`, :class:`SockExtendedErr`,
...; :class:`Cmsg` for one rawsock does not type).  Building ancillary data accepts the typed values too.
File descriptors received through SCM_RIGHTS are never leaked: every fd that arrived is returned, and if
decoding fails they are closed before the error propagates.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence

from . import _syscalls
from ._address import Address, AddressLike, decode
from ._binding import ffi, lib
from ._constants import CONSTANTS, Errno, MsgFlag, index, to_enum

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NamedTuple, Union

    from typing_extensions import Buffer
else:
    from ._typing import NamedTuple

__all__ = [
    "CMSG_LEN", "CMSG_SPACE", "Cmsg", "CmsgValue", "In6Pktinfo", "InPktinfo", "IpTos", "IpTtl",
    "RecvMmsg", "RecvMsg", "ScmCredentials", "ScmRights", "ScmTimestamping", "Sent", "SockExtendedErr", "Timestamp",
    "TimestampNs", "TimestampingReport", "ZerocopyRange",
    "control_decode", "control_encode", "decode_cmsg", "finish_recvmsg", "msg_flags", "recv_fds", "send_fds",
]

_INT = ffi.sizeof("int")
_EE_SIZE = ffi.sizeof("struct sock_extended_err")
_HDR_SIZE = ffi.sizeof("struct cmsghdr")  # what CMSG_FIRSTHDR/CMSG_NXTHDR require to fit
_HDR: int = lib.rs_CMSG_LEN(0)  # CMSG_ALIGN(sizeof(struct cmsghdr)): where a message's data starts
_ALIGN: int = ffi.sizeof("size_t")  # the unit of CMSG_ALIGN, in glibc and musl
_LIMIT = 2**31 - 1  # as the standard library's CMSG_LEN: the result must fit a socklen_t of either sign


def _cmsg_align(n: int) -> int:
    return (n + _ALIGN - 1) & ~(_ALIGN - 1)


def _cmsg_length(length: int, name: str) -> int:
    n = index(length)
    if n < 0 or _HDR + _cmsg_align(n) > _LIMIT:
        raise OverflowError(f"{name}() argument out of range")
    return n


def CMSG_LEN(length: int) -> int:
    """CMSG_LEN(3): the cmsg_len of a control message carrying ``length`` bytes of data (OverflowError, as
    the standard library's, when the result does not fit).  No syscall."""
    return _HDR + _cmsg_length(length, "CMSG_LEN")


def CMSG_SPACE(length: int) -> int:
    """CMSG_SPACE(3): the buffer space one control message with ``length`` bytes of data takes, padding
    included (OverflowError when the result does not fit).  No syscall."""
    return _HDR + _cmsg_align(_cmsg_length(length, "CMSG_SPACE"))


# --- typed control messages ---------------------------------------------------------------------------

class ScmRights(NamedTuple):
    """SCM_RIGHTS (unix(7)): file descriptors passed to or received from the peer."""

    fds: list[int]


class ScmCredentials(NamedTuple):
    """SCM_CREDENTIALS (unix(7)): the sender's pid, uid and gid (``struct ucred``)."""

    pid: int
    uid: int
    gid: int


class InPktinfo(NamedTuple):
    """IP_PKTINFO (ip(7)): the interface and addresses of a datagram (``struct in_pktinfo``)."""

    ifindex: int
    spec_dst: str
    addr: str


class In6Pktinfo(NamedTuple):
    """IPV6_PKTINFO (ipv6(7)): the address and interface of a datagram (``struct in6_pktinfo``)."""

    addr: str
    ifindex: int


class Timestamp(NamedTuple):
    """SCM_TIMESTAMP (socket(7), SO_TIMESTAMP): the arrival time as a ``struct timeval``."""

    sec: int
    usec: int


class TimestampNs(NamedTuple):
    """SCM_TIMESTAMPNS (socket(7), SO_TIMESTAMPNS): the arrival time as a ``struct timespec``."""

    sec: int
    nsec: int


class IpTtl(NamedTuple):
    """IP_TTL (ip(7), IP_RECVTTL): the TTL of a received datagram, or the TTL to send one with."""

    ttl: int


class IpTos(NamedTuple):
    """IP_TOS (ip(7), IP_RECVTOS): the TOS byte of a received datagram, or the TOS to send one with."""

    tos: int


class SockExtendedErr(NamedTuple):
    """IP_RECVERR / IPV6_RECVERR (ip(7), ipv6(7)): ``struct sock_extended_err`` from the error queue.

    ``ee_errno`` is an :class:`Errno` member when the value has a name (a plain int that also names itself);
    ``offender`` is the address SO_EE_OFFENDER points at, or None when its family is AF_UNSPEC.
    """

    ee_errno: int
    ee_origin: int
    ee_type: int
    ee_code: int
    ee_info: int
    ee_data: int
    offender: Address | None

    @property
    def zerocopy(self) -> ZerocopyRange | None:
        """For an MSG_ZEROCOPY completion (origin SO_EE_ORIGIN_ZEROCOPY): the range [ee_info, ee_data] and the
        copied flag; None for another origin."""
        if self.ee_origin != CONSTANTS.get("SO_EE_ORIGIN_ZEROCOPY"):
            return None
        return ZerocopyRange(self.ee_info, self.ee_data, bool(self.ee_code & CONSTANTS["SO_EE_CODE_ZEROCOPY_COPIED"]))

    @property
    def timestamping(self) -> TimestampingReport | None:
        """For a timestamp report (origin SO_EE_ORIGIN_TIMESTAMPING): the event and its key; None otherwise."""
        if self.ee_origin != CONSTANTS.get("SO_EE_ORIGIN_TIMESTAMPING"):
            return None
        return TimestampingReport(self.ee_info, self.ee_data)


class ScmTimestamping(NamedTuple):
    """SCM_TIMESTAMPING (SO_TIMESTAMPING, Documentation/networking/timestamping.rst): ``struct scm_timestamping``,
    three timestamps as TimestampNs: the software one, a legacy slot (always zero), and the raw hardware one.
    On the error queue it comes with a SockExtendedErr of origin SO_EE_ORIGIN_TIMESTAMPING, whose
    ``timestamping`` says which event (SCM_TSTAMP_SND, _SCHED, _ACK) and its OPT_ID key."""

    software: TimestampNs
    legacy: TimestampNs
    hardware: TimestampNs


class ZerocopyRange(NamedTuple):
    """An MSG_ZEROCOPY completion (msg_zerocopy.rst): the sends numbered ``first`` to ``last`` (inclusive) are
    done with their buffers; ``copied`` when the kernel copied the data after all (SO_EE_CODE_ZEROCOPY_COPIED)."""

    first: int
    last: int
    copied: bool


class TimestampingReport(NamedTuple):
    """What a SO_EE_ORIGIN_TIMESTAMPING error says: the event (SCM_TSTAMP_SND, SCM_TSTAMP_SCHED, SCM_TSTAMP_ACK)
    and, with SOF_TIMESTAMPING_OPT_ID, the key of the send it is about."""

    tstamp_type: int
    key: int


class Cmsg(NamedTuple):
    """A control message rawsock does not type: level, type and the data bytes."""

    level: int
    type: int
    data: bytes


# (Built with ``|`` rather than typing.Union: see rawsock._typing.)
if sys.version_info >= (3, 10):
    CmsgValue = (ScmRights | ScmCredentials | InPktinfo | In6Pktinfo | Timestamp | TimestampNs | IpTtl | IpTos
                 | SockExtendedErr | ScmTimestamping | Cmsg)
else:  # pragma: no cover
    from typing import Union

    CmsgValue = Union[ScmRights, ScmCredentials, InPktinfo, In6Pktinfo, Timestamp, TimestampNs, IpTtl, IpTos,
                      SockExtendedErr, ScmTimestamping, Cmsg]
AncData = list[tuple[int, int, bytes]]


def _c(name: str) -> int:
    return CONSTANTS.get(name, -1)


_SOL_SOCKET, _IPPROTO_IP, _IPPROTO_IPV6 = _c("SOL_SOCKET"), _c("IPPROTO_IP"), _c("IPPROTO_IPV6")
_SCM_RIGHTS, _SCM_CREDENTIALS = _c("SCM_RIGHTS"), _c("SCM_CREDENTIALS")
_KEYS: dict[type, tuple[int, int]] = {
    ScmRights: (_SOL_SOCKET, _SCM_RIGHTS),
    ScmCredentials: (_SOL_SOCKET, _SCM_CREDENTIALS),
    InPktinfo: (_IPPROTO_IP, _c("IP_PKTINFO")),
    In6Pktinfo: (_IPPROTO_IPV6, _c("IPV6_PKTINFO")),
    Timestamp: (_SOL_SOCKET, _c("SCM_TIMESTAMP")),
    TimestampNs: (_SOL_SOCKET, _c("SCM_TIMESTAMPNS")),
    IpTtl: (_IPPROTO_IP, _c("IP_TTL")),
    IpTos: (_IPPROTO_IP, _c("IP_TOS")),
}
_TYPES: dict[tuple[int, int], type] = {key: cls for cls, key in _KEYS.items()}
_RECVERR = {(_IPPROTO_IP, _c("IP_RECVERR")), (_IPPROTO_IPV6, _c("IPV6_RECVERR"))}
# SCM_TIMESTAMPING is SO_TIMESTAMPING_OLD (the kernel's old timespec: two longs) or SO_TIMESTAMPING_NEW (64-bit
# seconds and nanoseconds, struct scm_timestamping64): the kernel sends the one the socket asked for.  The size
# of each half of a timespec:
_SCM_TIMESTAMPING = {(_SOL_SOCKET, _c("SO_TIMESTAMPING_OLD")): ffi.sizeof("long"),
                     (_SOL_SOCKET, _c("SO_TIMESTAMPING_NEW")): 8}


def _struct(ctype: str, data: bytes) -> Any:
    """A new ``ctype`` owning a copy of data (which is at least its size): it lives as long as the result."""
    p = ffi.new(ctype + " *")
    ffi.memmove(p, data, ffi.sizeof(ctype))
    return p


def _ntop(af: str, raw: Any, size: int) -> str:
    from ._arpa_inet import inet_ntop

    return inet_ntop(CONSTANTS[af], bytes(ffi.buffer(raw, size)))


_SIZES = {ScmCredentials: "struct ucred", InPktinfo: "struct in_pktinfo", In6Pktinfo: "struct in6_pktinfo",
          Timestamp: "struct timeval", TimestampNs: "struct timespec"}


def decode_cmsg(level: int, type_: int, data: bytes) -> CmsgValue:
    """The typed value of one control message; :class:`Cmsg` when rawsock has no type for it, or when the
    data is shorter than the type's struct (a cut message is returned as the bytes that arrived)."""
    cls = _TYPES.get((level, type_))
    ctype = _SIZES.get(cls) if cls is not None else None
    if ctype is not None and len(data) < ffi.sizeof(ctype):
        return Cmsg(level, type_, data)
    if cls is ScmRights:
        return ScmRights(_ints(data))
    if cls is ScmCredentials:
        p = _struct("struct ucred", data)
        return ScmCredentials(p.pid, p.uid, p.gid)
    if cls is InPktinfo:
        p = _struct("struct in_pktinfo", data)
        return InPktinfo(p.ipi_ifindex, _ntop("AF_INET", ffi.addressof(p.ipi_spec_dst), 4),
                         _ntop("AF_INET", ffi.addressof(p.ipi_addr), 4))
    if cls is In6Pktinfo:
        p = _struct("struct in6_pktinfo", data)
        return In6Pktinfo(_ntop("AF_INET6", ffi.addressof(p.ipi6_addr), 16), p.ipi6_ifindex)
    if cls is Timestamp:
        p = _struct("struct timeval", data)
        return Timestamp(p.tv_sec, p.tv_usec)
    if cls is TimestampNs:
        p = _struct("struct timespec", data)
        return TimestampNs(p.tv_sec, p.tv_nsec)
    if cls in (IpTtl, IpTos) and len(data) in (1, _INT):
        value = data[0] if len(data) == 1 else int.from_bytes(data, sys.byteorder, signed=True)
        return IpTtl(value) if cls is IpTtl else IpTos(value)
    half = _SCM_TIMESTAMPING.get((level, type_))
    if half is not None:
        one = 2 * half
        if len(data) < 3 * one:
            return Cmsg(level, type_, data)
        return ScmTimestamping(*(TimestampNs(int.from_bytes(data[i * one:i * one + half], sys.byteorder, signed=True),
                                             int.from_bytes(data[i * one + half:(i + 1) * one], sys.byteorder,
                                                            signed=True)) for i in range(3)))
    if (level, type_) in _RECVERR and len(data) >= _EE_SIZE:
        ee = _struct("struct sock_extended_err", data)
        rest = data[_EE_SIZE:]
        offender = None
        if len(rest) >= 2 and int.from_bytes(rest[:2], sys.byteorder) != CONSTANTS["AF_UNSPEC"]:
            family = int.from_bytes(rest[:2], sys.byteorder)
            size = ffi.sizeof("struct sockaddr_in6" if family == CONSTANTS["AF_INET6"] else "struct sockaddr_in")
            offender = decode(rest[:size])
        return SockExtendedErr(to_enum(Errno, ee.ee_errno), ee.ee_origin, ee.ee_type, ee.ee_code, ee.ee_info,
                               ee.ee_data, offender)
    return Cmsg(level, type_, data)


def _int32(value: object, what: str) -> int:
    v = index(value)
    if not -(2**31) <= v < 2**31:
        raise OverflowError(f"{what} {v} does not fit a C int")
    return v


def _encode_cmsg(item: object) -> tuple[int, int, bytes]:
    if isinstance(item, ScmRights):
        return _SOL_SOCKET, _SCM_RIGHTS, b"".join(_int32(fd, "fd").to_bytes(_INT, sys.byteorder, signed=True)
                                                  for fd in item.fds)
    if isinstance(item, (ScmCredentials, Timestamp, TimestampNs)):
        level, type_ = _KEYS[type(item)]
        return level, type_, bytes(ffi.buffer(ffi.new(_SIZES[type(item)] + " *", tuple(item))))
    if isinstance(item, (IpTtl, IpTos)):
        level, type_ = _KEYS[type(item)]
        return level, type_, _int32(item[0], type(item).__name__).to_bytes(_INT, sys.byteorder, signed=True)
    if isinstance(item, (InPktinfo, In6Pktinfo)):
        from ._arpa_inet import inet_pton

        level, type_ = _KEYS[type(item)]
        if isinstance(item, InPktinfo):
            p = ffi.new("struct in_pktinfo *")
            p.ipi_ifindex = item.ifindex
            ffi.memmove(ffi.addressof(p.ipi_spec_dst), inet_pton(CONSTANTS["AF_INET"], item.spec_dst), 4)
            ffi.memmove(ffi.addressof(p.ipi_addr), inet_pton(CONSTANTS["AF_INET"], item.addr), 4)
            return level, type_, bytes(ffi.buffer(p))
        q = ffi.new("struct in6_pktinfo *")
        q.ipi6_ifindex = item.ifindex
        ffi.memmove(ffi.addressof(q.ipi6_addr), inet_pton(CONSTANTS["AF_INET6"], item.addr), 16)
        return level, type_, bytes(ffi.buffer(q))
    if isinstance(item, Cmsg):
        return _int32(item.level, "level"), _int32(item.type, "type"), bytes(item.data)
    if isinstance(item, SockExtendedErr):
        raise TypeError("a SockExtendedErr is only received (from the error queue), never sent")
    if not isinstance(item, tuple) or len(item) != 3:
        raise TypeError(f"a control message is a typed value or a (level, type, data) triple, not {item!r}")
    level, type_, data = item
    try:
        raw = bytes(memoryview(data))
    except TypeError:
        raise TypeError(f"a control message's data must be bytes-like, not {type(data).__name__}") from None
    return _int32(level, "level"), _int32(type_, "type"), raw


def control_encode(ancdata: Iterable[CmsgValue | tuple[int, int, Buffer]]) -> bytes:
    """The control buffer holding the messages, laid out with CMSG_SPACE/CMSG_LEN as C does (b"": none)."""
    out = bytearray()
    header = ffi.new("struct cmsghdr *")
    for item in ancdata:
        level, type_, data = _encode_cmsg(item)
        header.cmsg_len = CMSG_LEN(len(data))
        header.cmsg_level = level
        header.cmsg_type = type_
        start = len(out)
        out += bytes(ffi.buffer(header)).ljust(_HDR, b"\0") + data
        out += bytes(start + CMSG_SPACE(len(data)) - len(out))
    return bytes(out)


def control_decode(raw: bytes) -> AncData:
    """The (level, type, data) triples in a received control buffer, walked as CMSG_FIRSTHDR/CMSG_NXTHDR
    walk it (glibc's checks), each message's data cut at the buffer's end."""
    items: AncData = []
    header = ffi.new("struct cmsghdr *")
    offset, end = 0, len(raw)
    while offset + _HDR_SIZE <= end:
        ffi.memmove(header, raw[offset:offset + _HDR_SIZE], _HDR_SIZE)
        length = int(header.cmsg_len)
        items.append((header.cmsg_level, header.cmsg_type, raw[offset + _HDR:min(offset + max(length, _HDR), end)]))
        if length < _HDR_SIZE:
            break
        offset += _cmsg_align(length)
        if offset + _HDR_SIZE > end:
            break
        ffi.memmove(header, raw[offset:offset + _HDR_SIZE], _HDR_SIZE)
        if offset + _cmsg_align(int(header.cmsg_len)) > end:
            break
    return items


def _ints(data: bytes) -> list[int]:
    return [int.from_bytes(data[i:i + _INT], sys.byteorder, signed=True) for i in range(0, len(data) - _INT + 1, _INT)]


def _received_fds(ancdata: AncData) -> list[int]:
    """Every fd in the SCM_RIGHTS messages (read from the raw bytes, independent of decode_cmsg)."""
    return [fd for level, type_, data in ancdata if (level, type_) == (_SOL_SOCKET, _SCM_RIGHTS) for fd in _ints(data)]


class _RecvMsg(NamedTuple):
    data: Any
    ancdata: AncData
    msg_flags: int
    address: Address | None


class RecvMsg(_RecvMsg):
    """What recvmsg returned: unpacks like the standard library's ``(data, ancdata, msg_flags, address)``
    (``data`` is the byte count for recvmsg_into), with ``.cmsgs``, the ancillary data typed, in order."""

    cmsgs: list[CmsgValue]


class Sent(int):
    """sendmmsg's result: the number of messages the kernel sent, with ``msg_lens``, the msg_len the kernel wrote
    into each of them (the bytes it sent of that message)."""

    msg_lens: tuple[int, ...]

    def __new__(cls, count: int, msg_lens: tuple[int, ...] = ()) -> Sent:
        self = super().__new__(cls, count)
        self.msg_lens = tuple(msg_lens)
        return self

    def __repr__(self) -> str:
        return f"Sent({int(self)}, msg_lens={self.msg_lens!r})"

    def __reduce__(self) -> tuple[type[Sent], tuple[int, tuple[int, ...]]]:
        return Sent, (int(self), self.msg_lens)


def finish_sendmmsg(result: tuple[int, tuple[int, ...]]) -> Sent:
    return Sent(*result)


class RecvMmsg(NamedTuple):
    """One message of a recvmmsg batch."""

    data: bytes
    address: Address | None
    msg_flags: int
    ancdata: AncData


def finish_recvmsg(result: tuple[int, tuple[bytes | None, bytes, int, Address | None]]) -> RecvMsg:
    """recvmsg's result from the engine's (return value, (data, control buffer, msg_flags, address)): the
    ancillary data decoded both ways.  If that fails, the engine closes every fd that arrived before the error
    propagates (it owns them until the result reaches the caller)."""
    n, (data, control, flags, address) = result
    ancdata = control_decode(control)
    msg = RecvMsg(n if data is None else data, ancdata, msg_flags(flags), address)
    msg.cmsgs = [decode_cmsg(level, type_, raw) for level, type_, raw in ancdata]
    return msg


def send_fds(fd: int, buffers: Sequence[Buffer], fds: Iterable[int], flags: int = 0,
             addr: AddressLike | None = None) -> int:
    """sendmsg(2) with one SCM_RIGHTS message carrying ``fds``, as the standard library's socket.send_fds.
    One syscall."""
    return _syscalls.sendmsg(fd, buffers, [ScmRights(list(fds))], flags, addr)


def recv_fds(fd: int, bufsize: int, maxfds: int, flags: int = 0) -> tuple[bytes, list[int], int, Address | None]:
    """recvmsg(2) with room for ``maxfds`` descriptors: ``(data, fds, msg_flags, address)`` as the standard
    library's socket.recv_fds.  Every fd that arrived is in ``fds``.  One syscall."""
    data, ancdata, msg_flags, address = _syscalls.recvmsg(fd, bufsize, CMSG_LEN(index(maxfds) * _INT), flags)
    return data, _received_fds(ancdata), msg_flags, address


if TYPE_CHECKING:
    #: one message of a sendmmsg batch: bytes-like, or (buffers, addr)
    Message = Union[Buffer, tuple[Union[Sequence[Buffer], Buffer], Union[AddressLike, None]]]


def msg_flags(value: int) -> int:
    """msg_flags as a MsgFlag (unknown bits kept)."""
    return to_enum(MsgFlag, value)
