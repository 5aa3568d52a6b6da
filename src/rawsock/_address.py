"""Socket addresses: typed named tuples, their encoding into sockaddr bytes and decoding from them.

Layouts come from the compiler (``ffi.sizeof``/``ffi.offsetof``), never from numbers written here.
An address decoded from the kernel re-encodes to exactly the bytes the kernel returned, so its
``addrlen`` is the length the kernel returned; where no typed form can say that exactly, the result is a
:class:`RawSockaddr` holding the bytes.  (One exception, which unix(7) documents: for a pathname that fills
all of sun_path the kernel returns one byte more, the NUL it keeps past the struct.)

The forms an address argument takes, as in the standard library: a typed address; ``(host, port)`` or
``(host, port, flowinfo, scope_id)`` with a numeric host; a str or bytes AF_UNIX path (a leading NUL: the
abstract namespace).  A verbatim sockaddr is a :class:`RawSockaddr`.  Where the family is not known (the
fd functions), ``('', port)`` could be either IPv4's or IPv6's wildcard and is refused; a ``Socket`` knows
its family and uses it.  The call engine (csrc/address.c) caches encodings both ways.
"""

from __future__ import annotations

import os
import sys

from ._arpa_inet import inet_ntop, inet_pton
from ._binding import ffi, lib
from ._constants import index

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Literal, NamedTuple
else:
    from ._typing import NamedTuple

__all__ = [
    "CACHEABLE", "Address", "AddressLike", "RawSockaddr", "SockaddrIn", "SockaddrIn6", "SockaddrLl", "SockaddrNl",
    "SockaddrUn", "SockaddrUnspec", "SockaddrVm", "decode", "encode", "for_family",
]

_AF_INET: int = lib.AF_INET
_AF_INET6: int = lib.AF_INET6
_AF_UNIX: int = lib.AF_UNIX
_AF_UNSPEC: int = lib.AF_UNSPEC
_AF_PACKET: int = lib.AF_PACKET
_AF_NETLINK: int = lib.AF_NETLINK
_AF_VSOCK: int = lib.AF_VSOCK

_FAMILY_SIZE: int = ffi.sizeof("sa_family_t")
SOCKADDR_STORAGE_SIZE: int = ffi.sizeof("struct sockaddr_storage")
_SOCKADDR_SIZE: int = ffi.sizeof("struct sockaddr")
_SIN_SIZE: int = ffi.sizeof("struct sockaddr_in")
_SIN_PORT: int = ffi.offsetof("struct sockaddr_in", "sin_port")
_SIN_ADDR: int = ffi.offsetof("struct sockaddr_in", "sin_addr")
_SIN6_SIZE: int = ffi.sizeof("struct sockaddr_in6")
_SIN6_PORT: int = ffi.offsetof("struct sockaddr_in6", "sin6_port")
_SIN6_FLOWINFO: int = ffi.offsetof("struct sockaddr_in6", "sin6_flowinfo")
_SIN6_ADDR: int = ffi.offsetof("struct sockaddr_in6", "sin6_addr")
_SIN6_SCOPE_ID: int = ffi.offsetof("struct sockaddr_in6", "sin6_scope_id")
_SUN_PATH: int = ffi.offsetof("struct sockaddr_un", "sun_path")
SUN_PATH_SIZE: int = ffi.sizeof("struct sockaddr_un") - _SUN_PATH
_IN6_SIZE: int = ffi.sizeof("struct in6_addr")
_SLL_SIZE: int = ffi.sizeof("struct sockaddr_ll")
_SLL = {f: ffi.offsetof("struct sockaddr_ll", f) for f in ("sll_protocol", "sll_ifindex", "sll_hatype",
                                                           "sll_pkttype", "sll_halen", "sll_addr")}
_SLL_ADDR_SIZE: int = _SLL_SIZE - _SLL["sll_addr"]
_SNL_SIZE: int = ffi.sizeof("struct sockaddr_nl")
_SNL = {f: ffi.offsetof("struct sockaddr_nl", f) for f in ("nl_pad", "nl_pid", "nl_groups")}
_SVM_SIZE: int = ffi.sizeof("struct sockaddr_vm")
_SVM = {f: ffi.offsetof("struct sockaddr_vm", f) for f in ("svm_reserved1", "svm_port", "svm_cid")}
_SVM_FLAGS: int = _SVM["svm_cid"] + 4  # svm_flags (Linux 5.10+; part of svm_zero before): one byte


def _family_bytes(family: int) -> bytes:
    return family.to_bytes(_FAMILY_SIZE, sys.byteorder)


class SockaddrIn(NamedTuple):
    """``struct sockaddr_in`` (ip(7)): equal to the standard library's ``(host, port)`` tuple."""

    host: str
    port: int

    @property
    def family(self) -> int:
        return _AF_INET

    @property
    def addrlen(self) -> int:
        """``sizeof(struct sockaddr_in)``: the length the kernel returns for this address."""
        return _SIN_SIZE


class SockaddrIn6(NamedTuple):
    """``struct sockaddr_in6`` (ipv6(7)): equal to the standard library's 4-tuple."""

    host: str
    port: int
    flowinfo: int = 0
    scope_id: int = 0

    @property
    def family(self) -> int:
        return _AF_INET6

    @property
    def addrlen(self) -> int:
        """``sizeof(struct sockaddr_in6)``."""
        return _SIN6_SIZE


class SockaddrUn(NamedTuple):
    """``struct sockaddr_un`` (unix(7)).

    ``path`` is a str for a pathname (as the standard library returns it), bytes starting with NUL for
    the abstract namespace, and ``''`` for an unnamed socket.  Compares equal to its path.
    """

    path: str | bytes

    @property
    def family(self) -> int:
        return _AF_UNIX

    @property
    def addrlen(self) -> int:
        """unix(7)'s length: ``offsetof(sun_path) + strlen + 1`` for a pathname (no NUL when the path
        fills sun_path), the exact length for an abstract name, ``sizeof(sa_family_t)`` when unnamed."""
        path = _path_bytes(self.path)
        if not path or path[0] == 0 or len(path) >= SUN_PATH_SIZE:
            return _SUN_PATH + len(path)
        return _SUN_PATH + len(path) + 1

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SockaddrUn):
            return self.path == other.path
        if isinstance(other, (str, bytes)):
            return self.path == other
        return False

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self.path)


class SockaddrLl(NamedTuple):
    """``struct sockaddr_ll`` (packet(7)): the interface index, the protocol in host order (ETH_P_IP, ...; the
    kernel's ``sll_protocol`` is network order), the ARP hardware type (ARPHRD_*), the packet type (PACKET_HOST,
    ...), the hardware address length and the address (up to 8 bytes; ``halen`` None: ``len(addr)``).
    Encoded as the whole struct (bind(2) requires it).  packet(7)'s getsockname returns only
    ``offsetof(sll_addr) + sll_halen`` bytes: decoded, that is the same address, zero-padded."""

    ifindex: int
    protocol: int = 0
    hatype: int = 0
    pkttype: int = 0
    halen: int | None = None
    addr: bytes = b""

    @property
    def family(self) -> int:
        return _AF_PACKET

    @property
    def addrlen(self) -> int:
        """``sizeof(struct sockaddr_ll)``."""
        return _SLL_SIZE


class SockaddrNl(NamedTuple):
    """``struct sockaddr_nl`` (netlink(7)): the port id (0: the kernel, or let it choose in bind) and the
    multicast groups bitmask."""

    pid: int = 0
    groups: int = 0

    @property
    def family(self) -> int:
        return _AF_NETLINK

    @property
    def addrlen(self) -> int:
        """``sizeof(struct sockaddr_nl)``."""
        return _SNL_SIZE


class SockaddrVm(NamedTuple):
    """``struct sockaddr_vm`` (vsock(7)): the context id (VMADDR_CID_ANY, VMADDR_CID_HOST, ...), the port, and
    ``svm_flags`` (VMADDR_FLAG_TO_HOST)."""

    cid: int
    port: int
    flags: int = 0

    @property
    def family(self) -> int:
        return _AF_VSOCK

    @property
    def addrlen(self) -> int:
        """``sizeof(struct sockaddr_vm)``."""
        return _SVM_SIZE


class SockaddrUnspec(NamedTuple):
    """An ``AF_UNSPEC`` address, ``sizeof(struct sockaddr)`` long: connect(2) with it dissolves a
    datagram socket's association."""

    @property
    def family(self) -> int:
        return _AF_UNSPEC

    @property
    def addrlen(self) -> int:
        return _SOCKADDR_SIZE


class RawSockaddr(NamedTuple):
    """Any other address: the family and the bytes after it, exactly as the kernel returned them; passed to
    the kernel verbatim (an ``addrlen`` longer than its bytes is refused: the kernel would read past them).

    ``family`` is None when the kernel returned fewer bytes than an ``sa_family_t``; then ``data`` holds
    those bytes.  ``RawSockaddr.from_bytes(raw)`` wraps a whole sockaddr.
    """

    family: int | None
    data: bytes

    @property
    def addrlen(self) -> int:
        return (0 if self.family is None else _FAMILY_SIZE) + len(self.data)

    @classmethod
    def from_bytes(cls, raw: bytes | bytearray | memoryview) -> RawSockaddr:
        """A whole sockaddr's bytes, passed verbatim (the family is read from them)."""
        raw = bytes(raw)
        if len(raw) < _FAMILY_SIZE:
            return cls(None, raw)
        return cls(int.from_bytes(raw[:_FAMILY_SIZE], sys.byteorder), raw[_FAMILY_SIZE:])

    def to_bytes(self) -> bytes:
        """The sockaddr bytes the kernel gets."""
        data = bytes(self.data)
        return data if self.family is None else _family_bytes(self.family) + data


# (Built with ``|`` rather than typing.Union: see rawsock._typing.)
if sys.version_info >= (3, 10):
    Address = (SockaddrIn | SockaddrIn6 | SockaddrUn | SockaddrLl | SockaddrNl | SockaddrVm | SockaddrUnspec
               | RawSockaddr)
    #: what an address argument accepts: a typed address, or the standard library's forms (``(host, port)``,
    #: ``(host, port, flowinfo, scope_id)``, an AF_UNIX path as str or bytes)
    AddressLike = Address | tuple[str, int] | tuple[str, int, int, int] | str | bytes
else:  # pragma: no cover
    from typing import Union

    Address = Union[SockaddrIn, SockaddrIn6, SockaddrUn, SockaddrLl, SockaddrNl, SockaddrVm, SockaddrUnspec,
                    RawSockaddr]
    AddressLike = Union[Address, tuple[str, int], tuple[str, int, int, int], str, bytes]
#: the classes whose equal instances always encode alike (the engine's cache checks the exact type too)
CACHEABLE = (SockaddrIn, SockaddrIn6, SockaddrUn, SockaddrLl, SockaddrNl, SockaddrVm, SockaddrUnspec, RawSockaddr)


def _path_bytes(path: str | bytes) -> bytes:
    return path if isinstance(path, bytes) else os.fsencode(path)


def _inet_pton(af: int, host: str) -> bytes:
    try:
        return inet_pton(af, host)
    except ValueError:
        kind = "IPv4" if af == _AF_INET else "IPv6"
        raise ValueError(f"{host!r} is not a numeric {kind} address (rawsock does not resolve names)") from None


def _int(value: object, what: str) -> int:
    if isinstance(value, int):
        return value
    try:
        return index(value)
    except TypeError:
        raise TypeError(f"{what} must be an int, not {type(value).__name__}") from None


def _port(port: int) -> bytes:
    port = _int(port, "port")
    if not 0 <= port <= 0xFFFF:
        raise OverflowError(f"port must be 0-65535, not {port}")
    return port.to_bytes(2, "big")


def _host(host: object) -> str:
    if not isinstance(host, str):
        raise TypeError(f"host must be a str, not {type(host).__name__}")
    return host


def _u32(value: object, what: str, order: Literal["little", "big"]) -> bytes:
    v = _int(value, what)
    if not 0 <= v <= 0xFFFFFFFF:
        raise OverflowError(f"{what} must be 0-{0xFFFFFFFF}, not {v}")
    return v.to_bytes(4, order)


def _encode_in(host: str, port: int) -> bytes:
    b = bytearray(_SIN_SIZE)
    b[0:_FAMILY_SIZE] = _family_bytes(_AF_INET)
    b[_SIN_PORT:_SIN_PORT + 2] = _port(port)
    if _host(host):  # '' is INADDR_ANY, as in the standard library
        b[_SIN_ADDR:_SIN_ADDR + 4] = _inet_pton(_AF_INET, host)
    return bytes(b)


def _encode_in6(host: str, port: int, flowinfo: int, scope_id: int) -> bytes:
    b = bytearray(_SIN6_SIZE)
    b[0:_FAMILY_SIZE] = _family_bytes(_AF_INET6)
    b[_SIN6_PORT:_SIN6_PORT + 2] = _port(port)
    b[_SIN6_FLOWINFO:_SIN6_FLOWINFO + 4] = _u32(flowinfo, "flowinfo", "big")
    if _host(host):
        b[_SIN6_ADDR:_SIN6_ADDR + _IN6_SIZE] = _inet_pton(_AF_INET6, host)
    b[_SIN6_SCOPE_ID:_SIN6_SCOPE_ID + 4] = _u32(scope_id, "scope_id", sys.byteorder)
    return bytes(b)


def _encode_un(path: str | bytes) -> bytes:
    raw = _path_bytes(path)
    if len(raw) > SUN_PATH_SIZE:
        raise ValueError(f"AF_UNIX path is {len(raw)} bytes, longer than sun_path ({SUN_PATH_SIZE} bytes)")
    addr = SockaddrUn(path)
    return (_family_bytes(_AF_UNIX) + raw).ljust(addr.addrlen, b"\0")


def _uint(value: object, what: str, bits: int) -> int:
    v = _int(value, what)
    if not 0 <= v < 1 << bits:
        raise OverflowError(f"{what} must be 0-{(1 << bits) - 1}, not {v}")
    return v


def _encode_ll(ifindex: int, protocol: int, hatype: int, pkttype: int, halen: int | None, addr: bytes) -> bytes:
    if not isinstance(addr, bytes):
        raise TypeError(f"addr must be bytes, not {type(addr).__name__}")
    if len(addr) > _SLL_ADDR_SIZE:
        raise ValueError(f"addr is {len(addr)} bytes, longer than sll_addr ({_SLL_ADDR_SIZE} bytes)")
    index = _int(ifindex, "ifindex")
    if not -(1 << 31) <= index < 1 << 31:
        raise OverflowError(f"ifindex must fit a C int, not {index}")
    b = bytearray(_SLL_SIZE)
    b[0:_FAMILY_SIZE] = _family_bytes(_AF_PACKET)
    b[_SLL["sll_protocol"]:_SLL["sll_protocol"] + 2] = _uint(protocol, "protocol", 16).to_bytes(2, "big")
    b[_SLL["sll_ifindex"]:_SLL["sll_ifindex"] + 4] = index.to_bytes(4, sys.byteorder, signed=True)
    b[_SLL["sll_hatype"]:_SLL["sll_hatype"] + 2] = _uint(hatype, "hatype", 16).to_bytes(2, sys.byteorder)
    b[_SLL["sll_pkttype"]] = _uint(pkttype, "pkttype", 8)
    b[_SLL["sll_halen"]] = len(addr) if halen is None else _uint(halen, "halen", 8)
    b[_SLL["sll_addr"]:_SLL["sll_addr"] + len(addr)] = addr
    return bytes(b)


def _encode_nl(pid: int, groups: int) -> bytes:
    b = bytearray(_SNL_SIZE)
    b[0:_FAMILY_SIZE] = _family_bytes(_AF_NETLINK)
    b[_SNL["nl_pid"]:_SNL["nl_pid"] + 4] = _uint(pid, "pid", 32).to_bytes(4, sys.byteorder)
    b[_SNL["nl_groups"]:_SNL["nl_groups"] + 4] = _uint(groups, "groups", 32).to_bytes(4, sys.byteorder)
    return bytes(b)


def _encode_vm(cid: int, port: int, flags: int) -> bytes:
    b = bytearray(_SVM_SIZE)
    b[0:_FAMILY_SIZE] = _family_bytes(_AF_VSOCK)
    b[_SVM["svm_port"]:_SVM["svm_port"] + 4] = _uint(port, "port", 32).to_bytes(4, sys.byteorder)
    b[_SVM["svm_cid"]:_SVM["svm_cid"] + 4] = _uint(cid, "cid", 32).to_bytes(4, sys.byteorder)
    b[_SVM_FLAGS] = _uint(flags, "flags", 8)
    return bytes(b)


def encode(addr: AddressLike) -> bytes:
    """The sockaddr bytes the kernel gets for an address argument (rawsock._codecs.address_encode)."""
    if isinstance(addr, (str, bytes)):
        return _encode_un(addr)
    if isinstance(addr, SockaddrUn):
        return _encode_un(addr.path)
    if isinstance(addr, SockaddrUnspec):
        return _family_bytes(_AF_UNSPEC).ljust(_SOCKADDR_SIZE, b"\0")
    if isinstance(addr, RawSockaddr):
        return addr.to_bytes()
    if isinstance(addr, SockaddrIn):
        return _encode_in(*addr)
    if isinstance(addr, SockaddrIn6):
        return _encode_in6(*addr)
    if isinstance(addr, SockaddrLl):
        return _encode_ll(*addr)
    if isinstance(addr, SockaddrNl):
        return _encode_nl(*addr)
    if isinstance(addr, SockaddrVm):
        return _encode_vm(*addr)
    if isinstance(addr, tuple):
        if len(addr) == 2:
            host = _host(addr[0])
            if host == "":
                raise ValueError(f"{addr!r} is ambiguous without the socket's family: pass SockaddrIn{addr!r} "
                                 f"or SockaddrIn6{addr!r} (a Socket knows its family)")
            return _encode_in6(host, addr[1], 0, 0) if ":" in host else _encode_in(host, addr[1])
        if len(addr) == 4:
            return _encode_in6(*addr)
    if isinstance(addr, (bytearray, memoryview)):
        raise TypeError(f"not an address: a {type(addr).__name__} (an AF_UNIX path is a str or bytes; "
                        "a verbatim sockaddr is RawSockaddr.from_bytes(...))")
    raise TypeError(
        f"not an address: {addr!r} (expected a Sockaddr*, (host, port), (host, port, flowinfo, scope_id), "
        "an AF_UNIX path as str or bytes, or a RawSockaddr)"
    )


def for_family(addr: AddressLike, family: int | None) -> AddressLike:
    """The address as a Socket of ``family`` means it: a plain ``(host, port)`` tuple becomes the typed
    address of the socket's own family, so ``('', 8080)`` on an AF_INET6 socket is ``::``."""
    if type(addr) is tuple and family is not None:
        if family == _AF_INET6:
            return SockaddrIn6(*addr)
        if family == _AF_INET and len(addr) == 2:
            return SockaddrIn(*addr)
    return addr


def decode(raw: bytes) -> Address:
    """The typed address for the exact sockaddr bytes the kernel returned (``raw`` is addrlen long)."""
    n = len(raw)
    if n < _FAMILY_SIZE:
        return RawSockaddr(None, raw)
    family = int.from_bytes(raw[:_FAMILY_SIZE], sys.byteorder)
    if family == _AF_INET and n == _SIN_SIZE:
        a = raw[_SIN_ADDR:_SIN_ADDR + 4]
        return SockaddrIn(f"{a[0]}.{a[1]}.{a[2]}.{a[3]}", int.from_bytes(raw[_SIN_PORT:_SIN_PORT + 2], "big"))
    if family == _AF_INET6 and n == _SIN6_SIZE:
        return SockaddrIn6(
            inet_ntop(_AF_INET6, raw[_SIN6_ADDR:_SIN6_ADDR + _IN6_SIZE]),
            int.from_bytes(raw[_SIN6_PORT:_SIN6_PORT + 2], "big"),
            int.from_bytes(raw[_SIN6_FLOWINFO:_SIN6_FLOWINFO + 4], "big"),
            int.from_bytes(raw[_SIN6_SCOPE_ID:_SIN6_SCOPE_ID + 4], sys.byteorder),
        )
    if family == _AF_UNIX:
        path = raw[_SUN_PATH:]
        if path and path[0] != 0:  # a pathname: drop the terminating NUL, decode as the stdlib does
            un = SockaddrUn(os.fsdecode(path[:-1] if path.endswith(b"\0") else path))
        else:
            un = SockaddrUn(path if path else "")
        try:
            encoded = _encode_un(un.path)
        except ValueError:
            encoded = b""
        # unix(7): a pathname filling sun_path comes back with the kernel's NUL past the struct
        if encoded == raw or (len(path) == SUN_PATH_SIZE + 1 and encoded + b"\0" == raw):
            return un
    elif family == _AF_UNSPEC and n == _SOCKADDR_SIZE and not any(raw):
        return SockaddrUnspec()
    elif family == _AF_PACKET and _SLL["sll_addr"] <= n <= _SLL_SIZE:
        ll = _decode_ll(raw)
        # the whole struct, or what packet(7)'s getsockname returns: the struct up to the address's halen bytes
        if _encode_ll(*ll) == raw.ljust(_SLL_SIZE, b"\0") and (n == _SLL_SIZE or n == _SLL["sll_addr"] + raw[
                _SLL["sll_halen"]]):
            return ll
    elif family == _AF_NETLINK and n == _SNL_SIZE:
        nl = SockaddrNl(int.from_bytes(raw[_SNL["nl_pid"]:_SNL["nl_pid"] + 4], sys.byteorder),
                        int.from_bytes(raw[_SNL["nl_groups"]:_SNL["nl_groups"] + 4], sys.byteorder))
        if _encode_nl(*nl) == raw:  # nl_pad 0
            return nl
    elif family == _AF_VSOCK and n == _SVM_SIZE:
        vm = SockaddrVm(int.from_bytes(raw[_SVM["svm_cid"]:_SVM["svm_cid"] + 4], sys.byteorder),
                        int.from_bytes(raw[_SVM["svm_port"]:_SVM["svm_port"] + 4], sys.byteorder), raw[_SVM_FLAGS])
        if _encode_vm(*vm) == raw:  # svm_reserved1 and svm_zero 0
            return vm
    return RawSockaddr(family, raw[_FAMILY_SIZE:])


def _decode_ll(raw: bytes) -> SockaddrLl:
    raw = raw.ljust(_SLL_SIZE, b"\0")
    halen = raw[_SLL["sll_halen"]]
    addr = raw[_SLL["sll_addr"]:_SLL_SIZE]
    # as long as halen says, or up to its last non-zero byte past that (the rest is zero: encoding pads it)
    addr = addr[:max(halen, len(addr.rstrip(b"\0")))]
    return SockaddrLl(int.from_bytes(raw[_SLL["sll_ifindex"]:_SLL["sll_ifindex"] + 4], sys.byteorder, signed=True),
                      int.from_bytes(raw[_SLL["sll_protocol"]:_SLL["sll_protocol"] + 2], "big"),
                      int.from_bytes(raw[_SLL["sll_hatype"]:_SLL["sll_hatype"] + 2], sys.byteorder),
                      raw[_SLL["sll_pkttype"]], None if len(addr) == halen else halen, addr)
