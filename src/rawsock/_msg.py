"""sendmsg(2), recvmsg(2), sendmmsg(2), recvmmsg(2) with ancillary data typed both ways (cmsg(3)).

Ancillary data is a list of ``(level, type, data)`` triples as in the standard library; received messages
also carry ``.cmsgs``, the same items decoded into typed values (:class:`ScmRights`, :class:`SockExtendedErr`,
...; :class:`Cmsg` for one rawsock does not type).  Building ancillary data accepts the typed values too.
File descriptors received through SCM_RIGHTS are never leaked: every fd that arrived is returned, and if
decoding fails they are closed before the error propagates.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Union

from ._address import SOCKADDR_STORAGE_SIZE, Address, AddressLike, decode, encode
from ._binding import ffi, lib
from ._constants import CONSTANTS, Errno, MsgFlag, to_enum
from ._errors import error
from ._time import TimespecLike, timespec

if TYPE_CHECKING:
    from typing_extensions import Buffer

__all__ = [
    "CMSG_LEN", "CMSG_SPACE", "Cmsg", "CmsgValue", "In6Pktinfo", "InPktinfo", "IpTos", "IpTtl", "RecvMmsg",
    "RecvMsg", "ScmCredentials", "ScmRights", "SockExtendedErr", "Timestamp", "TimestampNs", "recv_fds",
    "recvmmsg", "recvmsg", "recvmsg_into", "send_fds", "sendmmsg", "sendmsg",
]

_rs_sendmsg = lib.rs_sendmsg
_rs_recvmsg = lib.rs_recvmsg
_rs_sendmmsg = lib.rs_sendmmsg
_rs_recvmmsg = lib.rs_recvmmsg

_new = ffi.new
_unpack = ffi.unpack
_from_buffer = ffi.from_buffer
_alloc = ffi.new_allocator(should_clear_after_alloc=False)
_CHARS = ffi.typeof("char[]")
_INT = ffi.sizeof("int")
_EE_SIZE = ffi.sizeof("struct sock_extended_err")


def CMSG_LEN(length: int) -> int:
    """CMSG_LEN(3): the cmsg_len of a control message carrying ``length`` bytes of data."""
    return lib.rs_CMSG_LEN(length)  # type: ignore[no-any-return]


def CMSG_SPACE(length: int) -> int:
    """CMSG_SPACE(3): the buffer space one control message with ``length`` bytes of data takes, padding
    included."""
    return lib.rs_CMSG_SPACE(length)  # type: ignore[no-any-return]


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


class Cmsg(NamedTuple):
    """A control message rawsock does not type: level, type and the data bytes."""

    level: int
    type: int
    data: bytes


CmsgValue = Union[ScmRights, ScmCredentials, InPktinfo, In6Pktinfo, Timestamp, TimestampNs, IpTtl, IpTos,
                  SockExtendedErr, Cmsg]
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


def _struct(ctype: str, data: bytes) -> Any:
    return ffi.cast(ctype + " *", _from_buffer(data.ljust(ffi.sizeof(ctype), b"\0")))


def _ntop(af: str, raw: Any, size: int) -> str:
    from ._arpa_inet import inet_ntop

    return inet_ntop(CONSTANTS[af], bytes(ffi.buffer(raw, size)))


def decode_cmsg(level: int, type_: int, data: bytes) -> CmsgValue:
    """The typed value of one control message (:class:`Cmsg` when rawsock has no type for it)."""
    cls = _TYPES.get((level, type_))
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
    if cls in (IpTtl, IpTos):
        value = data[0] if len(data) == 1 else int.from_bytes(data[:_INT], sys.byteorder, signed=True)
        return IpTtl(value) if cls is IpTtl else IpTos(value)
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


def _encode_cmsg(item: CmsgValue | tuple[int, int, Buffer]) -> tuple[int, int, bytes]:
    if isinstance(item, ScmRights):
        return _SOL_SOCKET, _SCM_RIGHTS, b"".join(fd.to_bytes(_INT, sys.byteorder, signed=True) for fd in item.fds)
    if isinstance(item, ScmCredentials):
        return _SOL_SOCKET, _SCM_CREDENTIALS, bytes(ffi.buffer(ffi.new("struct ucred *", item)))
    if isinstance(item, (Timestamp, TimestampNs, IpTtl, IpTos, InPktinfo, In6Pktinfo)):
        level, type_ = _KEYS[type(item)]
        if isinstance(item, Timestamp):
            return level, type_, bytes(ffi.buffer(ffi.new("struct timeval *", item)))
        if isinstance(item, TimestampNs):
            return level, type_, bytes(ffi.buffer(ffi.new("struct timespec *", item)))
        if isinstance(item, (IpTtl, IpTos)):
            return level, type_, item[0].to_bytes(_INT, sys.byteorder, signed=True)
        from ._arpa_inet import inet_pton

        if isinstance(item, InPktinfo):
            p = ffi.new("struct in_pktinfo *")
            p.ipi_ifindex = item.ifindex
            ffi.memmove(ffi.addressof(p.ipi_spec_dst), inet_pton(CONSTANTS["AF_INET"], item.spec_dst), 4)
            ffi.memmove(ffi.addressof(p.ipi_addr), inet_pton(CONSTANTS["AF_INET"], item.addr), 4)
            return level, type_, bytes(ffi.buffer(p))
        p = ffi.new("struct in6_pktinfo *")
        p.ipi6_ifindex = item.ifindex
        ffi.memmove(ffi.addressof(p.ipi6_addr), inet_pton(CONSTANTS["AF_INET6"], item.addr), 16)
        return level, type_, bytes(ffi.buffer(p))
    if isinstance(item, Cmsg):
        return item.level, item.type, bytes(item.data)
    if isinstance(item, SockExtendedErr):
        raise TypeError("a SockExtendedErr is only received (from the error queue), never sent")
    level, type_, data = item
    return level, type_, bytes(data)


def _control(ancdata: Iterable[CmsgValue | tuple[int, int, Buffer]]) -> tuple[Any, int]:
    """A control buffer holding the messages, laid out with CMSG_SPACE/CMSG_LEN as C does."""
    items = [_encode_cmsg(item) for item in ancdata]
    if not items:
        return ffi.NULL, 0
    size = sum(lib.rs_CMSG_SPACE(len(data)) for _, _, data in items)
    control = ffi.new("char[]", size)
    offset = 0
    for level, type_, data in items:
        header = ffi.cast("struct cmsghdr *", control + offset)
        header.cmsg_len = lib.rs_CMSG_LEN(len(data))
        header.cmsg_level = level
        header.cmsg_type = type_
        ffi.memmove(lib.rs_CMSG_DATA(header), data, len(data))
        offset += lib.rs_CMSG_SPACE(len(data))
    return control, size


def _ancdata(msg: Any) -> AncData:
    """The (level, type, data) triples in a received msghdr's control buffer, data cut at the buffer's end."""
    items: AncData = []
    if msg.msg_control == ffi.NULL:
        return items
    end = int(ffi.cast("uintptr_t", msg.msg_control)) + msg.msg_controllen
    header = lib.rs_CMSG_FIRSTHDR(msg)
    base = lib.rs_CMSG_LEN(0)
    while header != ffi.NULL:
        data = lib.rs_CMSG_DATA(header)
        start = int(ffi.cast("uintptr_t", data))
        length = max(0, min(header.cmsg_len - base, end - start))
        items.append((header.cmsg_level, header.cmsg_type, _unpack(ffi.cast("char *", data), length)))
        header = lib.rs_CMSG_NXTHDR(msg, header)
    return items


def _ints(data: bytes) -> list[int]:
    return [int.from_bytes(data[i:i + _INT], sys.byteorder, signed=True) for i in range(0, len(data) - _INT + 1, _INT)]


def _received_fds(ancdata: AncData) -> list[int]:
    """Every fd in the SCM_RIGHTS messages (read from the raw bytes, independent of decode_cmsg)."""
    return [fd for level, type_, data in ancdata if (level, type_) == (_SOL_SOCKET, _SCM_RIGHTS) for fd in _ints(data)]


def _typed(ancdata: AncData) -> list[CmsgValue]:
    """Decode every item; if that fails, close every fd that arrived before raising (nothing leaks)."""
    try:
        return [decode_cmsg(level, type_, data) for level, type_, data in ancdata]
    except BaseException:
        for fd in _received_fds(ancdata):
            try:
                os.close(fd)
            except OSError:
                pass
        raise


class _RecvMsg(NamedTuple):
    data: Any
    ancdata: AncData
    msg_flags: int
    address: Address | None


class RecvMsg(_RecvMsg):
    """What recvmsg returned: unpacks like the standard library's ``(data, ancdata, msg_flags, address)``
    (``data`` is the byte count for recvmsg_into), with ``.cmsgs``, the ancillary data typed, in order."""

    cmsgs: list[CmsgValue]


class RecvMmsg(NamedTuple):
    """One message of a recvmmsg batch."""

    data: bytes
    address: Address | None
    msg_flags: int
    ancdata: AncData


def _iovecs(buffers: Sequence[Buffer] | Buffer, writable: bool) -> tuple[Any, list[Any]]:
    """One iovec per buffer (a single bytes-like object counts as one buffer), pointing into it: no copy."""
    items: Sequence[Buffer] = buffers if isinstance(buffers, (list, tuple)) else (buffers,)
    keep = [_from_buffer(_CHARS, b, writable) for b in items]
    iov = ffi.new("struct iovec[]", len(keep))
    for i, b in enumerate(keep):
        iov[i].iov_base = b
        iov[i].iov_len = len(b)
    return iov, keep


def _address_of(msg: Any) -> Address | None:
    n = msg.msg_namelen
    if n == 0:
        return None
    return decode(_unpack(ffi.cast("char *", msg.msg_name), min(n, SOCKADDR_STORAGE_SIZE)))


def _msghdr(iov: Any, iovlen: int, name: Any, namelen: int, control: Any, controllen: int) -> Any:
    msg = _new("struct msghdr *")
    msg.msg_name, msg.msg_namelen = name, namelen
    msg.msg_iov, msg.msg_iovlen = iov, iovlen
    msg.msg_control, msg.msg_controllen = control, controllen
    return msg


def sendmsg(fd: int, buffers: Sequence[Buffer], ancdata: Iterable[CmsgValue | tuple[int, int, Buffer]] = (),
            flags: int = 0, addr: AddressLike | None = None) -> int:
    """sendmsg(2): gather ``buffers`` (bytes-like, not copied) with ancillary data, to ``addr`` if given.
    One syscall."""
    iov, keep = _iovecs(buffers, False)
    control, controllen = _control(ancdata)
    name, namelen = (ffi.NULL, 0) if addr is None else encode(addr)
    name_buf = ffi.NULL if addr is None else _from_buffer(name)
    msg = _msghdr(iov, len(keep), name_buf, namelen, control, controllen)
    n: int = _rs_sendmsg(fd, msg, flags)
    if n < 0:
        raise error(n, "sendmsg")
    return n


def _recv(fd: int, iov: Any, iovlen: int, ancbufsize: int, flags: int) -> tuple[int, Any, AncData]:
    name = _new("struct sockaddr_storage *")
    control = _alloc(_CHARS, ancbufsize) if ancbufsize else ffi.NULL
    msg = _msghdr(iov, iovlen, name, SOCKADDR_STORAGE_SIZE, control, ancbufsize)
    n: int = _rs_recvmsg(fd, msg, flags)
    if n < 0:
        raise error(n, "recvmsg")
    return n, msg, _ancdata(msg)


def recvmsg(fd: int, bufsize: int, ancbufsize: int = 0, flags: int = 0) -> RecvMsg:
    """recvmsg(2) into one buffer of ``bufsize`` bytes and a control buffer of ``ancbufsize`` bytes.
    One syscall.  ``msg_flags`` is a MsgFlag (MSG_TRUNC, MSG_CTRUNC, MSG_EOR, MSG_OOB, MSG_ERRQUEUE)."""
    buf = _alloc(_CHARS, bufsize)
    iov = _new("struct iovec *", {"iov_base": buf, "iov_len": bufsize})
    n, msg, ancdata = _recv(fd, iov, 1, ancbufsize, flags)
    result = RecvMsg(_unpack(buf, min(n, bufsize)), ancdata, msg_flags(msg.msg_flags), _address_of(msg))
    result.cmsgs = _typed(ancdata)
    return result


def recvmsg_into(fd: int, buffers: Sequence[Buffer], ancbufsize: int = 0, flags: int = 0) -> RecvMsg:
    """recvmsg(2) scattering into writable buffers: ``data`` is the kernel's return value as is (the full
    datagram length under MSG_TRUNC).  One syscall."""
    iov, keep = _iovecs(buffers, True)
    n, msg, ancdata = _recv(fd, iov, len(keep), ancbufsize, flags)
    result = RecvMsg(n, ancdata, msg_flags(msg.msg_flags), _address_of(msg))
    result.cmsgs = _typed(ancdata)
    return result


def send_fds(fd: int, buffers: Sequence[Buffer], fds: Iterable[int], flags: int = 0,
             addr: AddressLike | None = None) -> int:
    """sendmsg(2) with one SCM_RIGHTS message carrying ``fds``, as the standard library's socket.send_fds.
    One syscall."""
    return sendmsg(fd, buffers, [ScmRights(list(fds))], flags, addr)


def recv_fds(fd: int, bufsize: int, maxfds: int, flags: int = 0) -> tuple[bytes, list[int], int, Address | None]:
    """recvmsg(2) with room for ``maxfds`` descriptors: ``(data, fds, msg_flags, address)`` as the standard
    library's socket.recv_fds.  Every fd that arrived is in ``fds``.  One syscall."""
    data, ancdata, msg_flags, address = recvmsg(fd, bufsize, CMSG_LEN(maxfds * _INT), flags)
    return data, _received_fds(ancdata), msg_flags, address


Message = Union["Buffer", tuple[Union[Sequence["Buffer"], "Buffer"], Union[AddressLike, None]]]


def sendmmsg(fd: int, messages: Sequence[Message], flags: int = 0) -> int:
    """sendmmsg(2): send a batch in one syscall; each message is bytes-like, or ``(buffers, addr)`` where
    buffers is a list or tuple of bytes-like objects (or one of them) and addr may be None.
    Returns how many messages the kernel sent (a partial batch is reported as is)."""
    n = len(messages)
    msgs = ffi.new("struct mmsghdr[]", n)
    keep: list[Any] = []
    for i, message in enumerate(messages):
        if isinstance(message, tuple):
            buffers, addr = message
        else:
            buffers, addr = message, None
        iov, held = _iovecs(buffers, False)
        keep.append((iov, held))
        hdr = msgs[i].msg_hdr
        hdr.msg_iov, hdr.msg_iovlen = iov, len(held)
        if addr is not None:
            name, namelen = encode(addr)
            name_buf = _from_buffer(name)
            keep.append(name_buf)
            hdr.msg_name, hdr.msg_namelen = name_buf, namelen
    r: int = _rs_sendmmsg(fd, msgs, n, flags)
    if r < 0:
        raise error(r, "sendmmsg")
    return r


def recvmmsg(fd: int, vlen: int, bufsize: int, flags: int = 0, timeout: TimespecLike | None = None,
             ancbufsize: int = 0) -> list[RecvMmsg]:
    """recvmmsg(2): up to ``vlen`` messages of up to ``bufsize`` bytes each, in one syscall.  ``timeout``
    (a Timespec or seconds; None: NULL) is recvmmsg's own, checked only after each datagram arrives (see
    the man page's BUGS).  Each message is ``RecvMmsg(data, address, msg_flags, ancdata)``."""
    msgs = ffi.new("struct mmsghdr[]", vlen)
    iovs = ffi.new("struct iovec[]", vlen)
    buf = _alloc(_CHARS, vlen * bufsize)
    names = ffi.new("struct sockaddr_storage[]", vlen)
    control = _alloc(_CHARS, vlen * ancbufsize) if ancbufsize else ffi.NULL
    lib.rs_recvmmsg_setup(msgs, iovs, vlen, buf, bufsize, names, control, ancbufsize)
    r: int = _rs_recvmmsg(fd, msgs, vlen, flags, timespec(timeout))
    if r < 0:
        raise error(r, "recvmmsg")
    out = ffi.new("int[]", 4 * r)
    lib.rs_mmsg_results(msgs, r, out)
    vals: list[int] = _unpack(out, 4 * r)
    names_raw = ffi.cast("char *", names)
    result = []
    for i in range(r):
        length, namelen, flags, controllen = vals[4 * i:4 * i + 4]
        address = None if namelen == 0 else decode(
            _unpack(names_raw + i * SOCKADDR_STORAGE_SIZE, min(namelen, SOCKADDR_STORAGE_SIZE)))
        ancdata = _ancdata(ffi.addressof(msgs[i], "msg_hdr")) if controllen else []
        result.append(RecvMmsg(_unpack(buf + i * bufsize, min(length, bufsize)), address,
                               msg_flags(flags), ancdata))
    return result


def msg_flags(value: int) -> int:
    """msg_flags as a MsgFlag (unknown bits kept)."""
    return to_enum(MsgFlag, value)

