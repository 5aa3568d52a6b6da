"""ioctl(2): each request rawsock knows, with the type of its argument (socket(7), tcp(7), udp(7),
netdevice(7)), and the codec the call engine uses for it.

A request's argument is one of:

- an int the kernel reads and writes through a pointer (FIONREAD/SIOCINQ, SIOCOUTQ, SIOCOUTQNSD,
  SIOCATMARK, FIONBIO): ``ioctl(fd, FIONREAD)`` returns that int;
- a struct the kernel fills: SIOCGSTAMP (a :class:`Timeval`), SIOCGSTAMPNS (a :class:`Timespec`);
- a ``struct ifreq`` (the SIOCGIF*/SIOCSIF* requests of netdevice(7)): an :class:`Ifreq` (or the interface
  name as a str) in, the :class:`Ifreq` the kernel left out;
- SIOCGIFCONF's ``struct ifconf``: an :class:`Ifconf` (or its ifc_len as an int) in, and out the ifc_len the
  kernel left with the :class:`Ifreq` entries it wrote into an ifc_buf rawsock allocated.

A request rawsock does not know takes 0 (passed as is), bytes (copied into a buffer rawsock allocated, and
returned as they are after the call) or a writable buffer (passed by address; the call returns the
kernel's return value).  Any other int for such a request is refused: the kernel might take it for an
address and write there.  A request rawsock knows cannot make the kernel write past what rawsock allocated.
For one it does not know, rawsock gives the kernel at least UNKNOWN_MIN bytes or the size the request number
encodes, as CPython's fcntl.ioctl does, but only the caller knows the argument: a struct holding a count the
kernel fills up to (FS_IOC_FIEMAP's fm_extent_count) or a pointer it writes through makes the kernel write
where and as much as those say, as it would for C.
"""

from __future__ import annotations

import struct
import sys

from ._address import Address, decode, encode
from ._binding import ffi, lib
from ._constants import CONSTANTS, index
from ._pointer import Pointer
from ._time import Timespec, Timeval

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NamedTuple, Union
else:
    from ._typing import NamedTuple

__all__ = ["REQUESTS", "UNKNOWN_MIN", "Ifconf", "Ifreq", "Request", "finish", "ioc_size", "raw_in", "raw_out",
           "unknown_raw_in", "unknown_zero", "value_in", "value_out"]

_INT = ffi.sizeof("int")
_IFREQ: int = lib.RS_IFREQ_SIZE  # sizeof(struct ifreq), from the compiler
_DATA: int = lib.RS_IFREQ_DATA  # offsetof(struct ifreq, ifr_ifru)
_IFNAMSIZ: int = lib.IFNAMSIZ
_SOCKADDR = ffi.sizeof("struct sockaddr")


class Ifreq(NamedTuple):
    """``struct ifreq`` (netdevice(7)): the interface name, and the union member the request reads or
    writes: an int (flags, index, MTU, metric, queue length), an address (SIOCGIFADDR, SIOCGIFHWADDR, ...)
    or a name (SIOCSIFNAME's new name); None where the request's input has none."""

    name: str
    value: int | Address | str | None = None


class Ifconf(NamedTuple):
    """``struct ifconf`` (netdevice(7)), SIOCGIFCONF's argument: ``length`` is ifc_len, ``interfaces`` what
    ifc_buf holds.  Given: ``Ifconf(n)`` gives the kernel a zeroed ifc_buf of n bytes (room for n //
    sizeof(struct ifreq) entries); ``Ifconf(n, None)`` a NULL ifc_buf, for which the kernel answers the length
    it needs; ``Ifconf(n, BADPTR)`` or ``NULL`` that pointer.  Returned: ifc_len as the kernel left it (the bytes
    it wrote), and the Ifreq entries (name, IPv4 address) it wrote, or None when ifc_buf was not rawsock's."""

    length: int
    interfaces: tuple[Ifreq, ...] | Pointer | None = ()


class Request(NamedTuple):
    """One ioctl request: its C name, its argument's kind, the man page, and a line of documentation."""

    name: str
    kind: str
    man: str
    doc: str


# kind: int (an int through a pointer), timeval, timespec, timeval64, timespec64 (filled by the kernel),
# ifreq_<member>: a struct ifreq whose union member is flags (short), int, addr (a sockaddr), name (the input
# is the index, the output the name) or newname (a second name)
_TABLE: list[tuple[str, str, str, str]] = [
    # the _NEW requests first: where a 64-bit time_t makes SIOCGSTAMP the same number as SIOCGSTAMP_NEW
    # (32-bit systems), that number is described by the 16-byte struct the kernel writes for it
    ("SIOCGSTAMPNS_NEW", "timespec64", "socket(7)", "SIOCGSTAMPNS with 64-bit fields"),
    ("SIOCGSTAMP_NEW", "timeval64", "socket(7)", "SIOCGSTAMP with 64-bit fields"),
    ("FIONBIO", "int", "ioctl_socket(2)", "set (nonzero) or clear O_NONBLOCK"),
    ("FIONREAD", "int", "tcp(7)", "bytes waiting to be read (SIOCINQ)"),
    ("SIOCATMARK", "int", "tcp(7)", "whether the next byte to read is at the urgent mark"),
    ("SIOCGIFADDR", "ifreq_addr", "netdevice(7)", "an interface's address"),
    ("SIOCGIFBRDADDR", "ifreq_addr", "netdevice(7)", "an interface's broadcast address"),
    ("SIOCGIFCONF", "ifconf", "netdevice(7)", "every interface's (IPv4) address: a list of struct ifreq"),
    ("SIOCGIFDSTADDR", "ifreq_addr", "netdevice(7)", "a point-to-point interface's peer address"),
    ("SIOCGIFFLAGS", "ifreq_flags", "netdevice(7)", "an interface's IFF_* flags"),
    ("SIOCGIFHWADDR", "ifreq_addr", "netdevice(7)", "an interface's hardware address"),
    ("SIOCGIFINDEX", "ifreq_int", "netdevice(7)", "an interface's index"),
    ("SIOCGIFMETRIC", "ifreq_int", "netdevice(7)", "an interface's metric"),
    ("SIOCGIFMTU", "ifreq_int", "netdevice(7)", "an interface's MTU"),
    ("SIOCGIFNAME", "ifreq_name", "netdevice(7)", "the name of the interface with the index given"),
    ("SIOCGIFNETMASK", "ifreq_addr", "netdevice(7)", "an interface's network mask"),
    ("SIOCGIFTXQLEN", "ifreq_int", "netdevice(7)", "an interface's transmit queue length"),
    ("SIOCGSTAMP", "timeval", "socket(7)", "the arrival time of the last packet received"),
    ("SIOCGSTAMPNS", "timespec", "socket(7)", "the arrival time of the last packet received, in ns"),
    ("SIOCOUTQ", "int", "tcp(7)", "bytes in the send queue: not yet sent, or sent and not yet acknowledged"),
    ("SIOCOUTQNSD", "int", "tcp(7)", "bytes in the send queue not yet sent"),
    ("SIOCSIFADDR", "ifreq_addr", "netdevice(7)", "set an interface's address (CAP_NET_ADMIN)"),
    ("SIOCSIFBRDADDR", "ifreq_addr", "netdevice(7)", "set an interface's broadcast address (CAP_NET_ADMIN)"),
    ("SIOCSIFDSTADDR", "ifreq_addr", "netdevice(7)", "set a point-to-point peer address (CAP_NET_ADMIN)"),
    ("SIOCSIFFLAGS", "ifreq_flags", "netdevice(7)", "set an interface's flags (CAP_NET_ADMIN)"),
    ("SIOCSIFHWADDR", "ifreq_addr", "netdevice(7)", "set an interface's hardware address (CAP_NET_ADMIN)"),
    ("SIOCSIFMETRIC", "ifreq_int", "netdevice(7)", "set an interface's metric (CAP_NET_ADMIN)"),
    ("SIOCSIFMTU", "ifreq_int", "netdevice(7)", "set an interface's MTU (CAP_NET_ADMIN)"),
    ("SIOCSIFNAME", "ifreq_newname", "netdevice(7)", "rename an interface that is down (CAP_NET_ADMIN)"),
    ("SIOCSIFNETMASK", "ifreq_addr", "netdevice(7)", "set an interface's network mask (CAP_NET_ADMIN)"),
    ("SIOCSIFTXQLEN", "ifreq_int", "netdevice(7)", "set an interface's transmit queue length (CAP_NET_ADMIN)"),
]

#: request number -> Request, for the requests this system's headers define (the first name of a value)
REQUESTS: dict[int, Request] = {}
for _name, _kind, _man, _doc in _TABLE:
    if _name in CONSTANTS:
        REQUESTS.setdefault(CONSTANTS[_name], Request(_name, _kind, _man, _doc))

if TYPE_CHECKING:
    IoctlArg = Union[int, Ifreq, Ifconf, str, bytes, bytearray, memoryview, Pointer]
    IoctlResult = Union[int, Timeval, Timespec, Ifreq, Ifconf, bytes]

_SIZES: dict[str, int] = {"int": _INT, "timeval": ffi.sizeof("struct rs_ktv"), "timespec": ffi.sizeof("struct rs_kts"),
          "timeval64": 16, "timespec64": 16}
_VALUE, _COPY, _BUFFER, _IFCONF = 0, 1, 2, 4
_IFCONF_SIZE: int = lib.RS_IFCONF_SIZE  # sizeof(struct ifconf)


def _name_bytes(name: object) -> bytes:
    if not isinstance(name, str):
        raise TypeError(f"an interface name is a str, not {type(name).__name__}")
    raw = name.encode("ascii", "surrogateescape")
    if len(raw) >= _IFNAMSIZ:
        raise ValueError(f"interface name {name!r} is longer than IFNAMSIZ - 1 ({_IFNAMSIZ - 1}) bytes")
    return raw


def _ifreq_in(member: str, arg: object) -> bytes:
    req = Ifreq(arg) if isinstance(arg, str) else arg
    if not isinstance(req, Ifreq):
        raise TypeError(f"this request takes an Ifreq or an interface name, not {type(arg).__name__}")
    buf = bytearray(_IFREQ)
    value = req.value
    if member == "name":  # SIOCGIFNAME: the index in, the name out
        ifindex = 0 if value is None else index(value)
        buf[_DATA:_DATA + _INT] = ifindex.to_bytes(_INT, sys.byteorder, signed=True)
        return bytes(buf)
    name = _name_bytes(req.name)
    buf[:len(name)] = name
    if value is None:
        return bytes(buf)
    if member == "flags":
        buf[_DATA:_DATA + 2] = index(value).to_bytes(2, sys.byteorder, signed=True)
    elif member == "int":
        buf[_DATA:_DATA + _INT] = index(value).to_bytes(_INT, sys.byteorder, signed=True)
    elif member == "addr":
        raw = encode(value)  # type: ignore[arg-type]
        buf[_DATA:_DATA + min(len(raw), _SOCKADDR)] = raw[:_SOCKADDR]
    elif member == "newname":
        new = _name_bytes(value)
        buf[_DATA:_DATA + len(new)] = new
    return bytes(buf)


def _ifreq_out(member: str, raw: bytes) -> Ifreq:
    name = raw[:_IFNAMSIZ].split(b"\0", 1)[0].decode("ascii", "surrogateescape")
    data = raw[_DATA:]
    if member == "flags":
        return Ifreq(name, int.from_bytes(data[:2], sys.byteorder, signed=False))
    if member in ("int", "name"):
        return Ifreq(name, int.from_bytes(data[:_INT], sys.byteorder, signed=True))
    if member == "addr":
        return Ifreq(name, decode(data[:_SOCKADDR]))
    return Ifreq(name, data[:_IFNAMSIZ].split(b"\0", 1)[0].decode("ascii", "surrogateescape"))


#: the memory an argument of a request or command rawsock does not know gets at least, as CPython's
#: fcntl.ioctl gives one (IOCTL_BUFSZ): the kernel writes its own struct's size, whatever was passed
UNKNOWN_MIN = 1024


def ioc_size(request: int) -> int:
    """The argument size a request number encodes (_IOC_SIZE, ioctl(2)), 0 when it encodes none (_IOC_NONE, or a
    socket request of the old 0x89xx kind)."""
    request &= 0xFFFFFFFF
    return (request >> 16) & 0x3FFF if request >> 30 else 0


def raw_in(arg: object, need: int, what: str) -> tuple[int, object, int, tuple[Any, ...]] | None:
    """The engine's (mode, payload, size, token) for a bytes-like argument that the kernel may write ``need``
    bytes into: a read-only one is copied into at least ``need`` bytes rawsock allocates (the result: as many
    bytes as were given); a writable one that holds ``need`` bytes is passed by address; a smaller writable one
    is refused if ``need`` is the request's own size (``exact``), else copied in and back (the result: None, the
    buffer holding what the kernel left).  None when the argument is not bytes-like."""
    return _raw_in(arg, need, what, exact=True)


def _raw_in(arg: object, need: int, what: str, exact: bool) -> tuple[int, object, int, tuple[Any, ...]] | None:
    if isinstance(arg, (int, str, tuple)):
        return None
    try:
        view = memoryview(arg)  # type: ignore[arg-type]  # any object: TypeError if not bytes-like
    except TypeError:
        return None
    with view:
        if view.readonly:
            raw = view.tobytes()
            return _COPY, raw, max(len(raw), need), ("raw", len(raw))
        if view.nbytes < need:
            if exact:
                raise ValueError(f"{what} writes {need} bytes: the {view.nbytes}-byte buffer is too small")
            raw = view.tobytes()
            return _COPY, raw, need, ("into", len(raw), arg)
    return _BUFFER, arg, need, ("buffer", 0)


def unknown_raw_in(arg: object, request: int, what: str) -> tuple[int, object, int, tuple[Any, ...]] | None:
    """raw_in for a request or command rawsock does not know: the kernel may write UNKNOWN_MIN bytes, or the size
    the request encodes if larger."""
    return _raw_in(arg, max(UNKNOWN_MIN, ioc_size(request)), what, exact=False)


def unknown_zero(arg: object, what: str) -> tuple[int, object, int, tuple[str, int]]:
    """The argument of a request or command rawsock does not know, when it is not bytes-like: 0 is passed as is
    (a NULL pointer); any other value is refused, since the kernel might take an int for an address and write
    there."""
    if isinstance(arg, int) and arg == 0:
        return _VALUE, 0, 0, ("value", 0)
    raise ValueError(f"{what} is not one rawsock knows: pass 0, bytes (copied) or a writable buffer, so the kernel "
                     "cannot write where an int points")


def raw_out(token: tuple[Any, ...], raw: bytes | None) -> bytes | None:
    """The result for what raw_in passed: None for a value or a caller's buffer (one that was copied in gets
    back what the kernel left), else the bytes the kernel left (as many as were given)."""
    kind, size = token[0], token[1]
    if raw is None or kind == "buffer":
        return None
    if kind == "into":
        with memoryview(token[2]) as view:  # the caller's buffer, as it is now
            n = min(size, view.nbytes, len(raw))
            view[:n] = raw[:n]
        return None
    return raw[:size] if size else raw


def value_in(args: tuple[int, ...], arg: object) -> tuple[int, object, int, tuple[str, int]]:
    """The engine's (mode, payload, size, token) for ioctl(fd, request, arg)."""
    request = REQUESTS.get(args[1] & 0xFFFFFFFF)
    if request is None:
        raw = unknown_raw_in(arg, args[1], "this request")
    elif request.kind == "ifconf":  # never the struct's bytes: ifc_buf would be the caller's address
        raw = None
    else:
        raw = raw_in(arg, _size(request, args[1]), request.name)
    if raw is not None:
        return raw
    if request is None:
        return unknown_zero(arg, f"ioctl request {args[1] & 0xFFFFFFFF:#x}")
    kind = request.kind
    if kind == "ifconf":
        conf = Ifconf(index(arg)) if isinstance(arg, int) else arg
        if not isinstance(conf, Ifconf):
            raise TypeError(f"SIOCGIFCONF takes an Ifconf or its ifc_len as an int, not {type(arg).__name__}")
        length = index(conf.length)
        if not -(2**31) <= length < 2**31:
            raise OverflowError(f"ifc_len {length} does not fit an int")
        buf = conf.interfaces
        if isinstance(buf, tuple):  # rawsock's own ifc_buf: the entries given are not read (the kernel writes them)
            return _IFCONF, (length, max(length, 0)), _IFCONF_SIZE, ("ifconf", 0)
        if buf is None or isinstance(buf, Pointer):
            return _IFCONF, (length, buf), _IFCONF_SIZE, ("ifconf", 1)
        raise TypeError(f"Ifconf.interfaces is a tuple, None, BADPTR or NULL, not {type(buf).__name__}")
    size = _size(request, args[1])
    if kind == "int":
        value = index(arg)
        return _COPY, value.to_bytes(_INT, sys.byteorder, signed=True), size, ("int", 0)
    if kind.startswith("ifreq_"):
        return _COPY, _ifreq_in(kind[6:], arg), size, (kind, 0)
    if not (isinstance(arg, int) and arg == 0):
        raise TypeError(f"{request.name} fills a {kind}: pass no argument, or bytes for a raw buffer")
    return _COPY, b"", size, (kind, 0)


def _size(request: Request, number: int) -> int:
    """The bytes the kernel may write for a request: its argument type's size, or the size its number encodes
    if that is larger (a header whose struct is not the one rawsock's table says)."""
    size = (_IFREQ if request.kind.startswith("ifreq_") else _IFCONF_SIZE if request.kind == "ifconf"
            else _SIZES[request.kind])
    return max(size, ioc_size(number))


def value_out(token: tuple[Any, ...], raw: bytes | None) -> object:
    """What ioctl returns for the memory the kernel left (None for a value argument)."""
    kind = token[0]
    if raw is None or kind in ("buffer", "raw", "into"):
        return raw_out(token, raw)
    if kind == "int":
        return int.from_bytes(raw[:_INT], sys.byteorder, signed=True)
    if kind in ("timeval", "timespec"):
        sec, frac = struct.unpack_from("@ll", raw)
        return Timeval(sec, frac) if kind == "timeval" else Timespec(sec, frac)
    if kind == "ifconf":  # the struct ifconf, then what the kernel wrote into rawsock's ifc_buf (token: not ours)
        length = int.from_bytes(raw[:_INT], sys.byteorder, signed=True)
        if token[1]:
            return Ifconf(length, None)
        entries = raw[_IFCONF_SIZE:]
        return Ifconf(length, tuple(_ifreq_out("addr", entries[i:i + _IFREQ])
                                    for i in range(0, len(entries) - _IFREQ + 1, _IFREQ)))
    if kind in ("timeval64", "timespec64"):
        sec = int.from_bytes(raw[:8], sys.byteorder, signed=True)
        frac = int.from_bytes(raw[8:16], sys.byteorder, signed=True)
        return Timeval(sec, frac) if kind == "timeval64" else Timespec(sec, frac)
    return _ifreq_out(kind[6:], raw)


def finish(result: tuple[int, object]) -> IoctlResult:
    """ioctl's result: the request's typed value, or the kernel's return value where there is none."""
    ret, value = result
    return ret if value is None else value  # type: ignore[return-value]
