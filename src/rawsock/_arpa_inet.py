"""byteorder(3), inet_pton(3), inet_ntop(3), inet(3): libc's conversions, no syscalls."""

from __future__ import annotations

from ._binding import ffi, lib
from ._errors import error

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from typing_extensions import Buffer

__all__ = ["htonl", "htons", "inet_addr", "inet_aton", "inet_ntoa", "inet_ntop", "inet_pton", "ntohl", "ntohs"]

_AF_INET: int = lib.AF_INET
_AF_INET6: int = lib.AF_INET6
_IN_SIZE: int = ffi.sizeof("struct in_addr")
_IN6_SIZE: int = ffi.sizeof("struct in6_addr")
_INET6_ADDRSTRLEN: int = lib.INET6_ADDRSTRLEN


def htons(x: int) -> int:
    """htons(3): a 16-bit value from host to network byte order (libc's; OverflowError past 16 bits).
    No syscall."""
    return lib.htons(x)  # type: ignore[no-any-return]


def htonl(x: int) -> int:
    """htonl(3): a 32-bit value from host to network byte order.  No syscall."""
    return lib.htonl(x)  # type: ignore[no-any-return]


def ntohs(x: int) -> int:
    """ntohs(3): a 16-bit value from network to host byte order.  No syscall."""
    return lib.ntohs(x)  # type: ignore[no-any-return]


def ntohl(x: int) -> int:
    """ntohl(3): a 32-bit value from network to host byte order.  No syscall."""
    return lib.ntohl(x)  # type: ignore[no-any-return]


def _buffer(obj: Buffer, what: str) -> Any:
    """The cdata over a contiguous bytes-like object (TypeError, as CPython's argument parsing, otherwise)."""
    try:
        return ffi.from_buffer(obj)
    except (TypeError, BufferError):
        raise TypeError(f"{what}: a contiguous bytes-like object is required, not {type(obj).__name__}") from None


def _text(text: str | bytes) -> bytes:
    return text.encode("ascii", "surrogateescape") if isinstance(text, str) else text


def _family(af: int) -> str:
    from ._constants import AddressFamily, to_enum

    family = to_enum(AddressFamily, af)
    return family.name if isinstance(family, AddressFamily) else str(af)


def inet_pton(af: int, text: str | bytes) -> bytes:
    """inet_pton(3): the packed address (4 bytes for AF_INET, 16 for AF_INET6).  No syscall.
    ValueError when libc returns 0 (not a valid address); the errno (EAFNOSUPPORT) when it returns -1."""
    dst = ffi.new("char[]", _IN6_SIZE)
    r = lib.inet_pton(af, _text(text), dst)
    if r == 0:
        raise ValueError(f"inet_pton: {text!r} is not a valid address for family {_family(af)}")
    if r < 0:
        raise error(-ffi.errno, "inet_pton")
    return ffi.unpack(dst, _IN_SIZE if af == _AF_INET else _IN6_SIZE)  # type: ignore[no-any-return]


def inet_ntop(af: int, packed: Buffer) -> str:
    """inet_ntop(3): the address text.  No syscall.  ``packed`` must hold at least the bytes libc reads
    for ``af`` (4 or 16): a shorter buffer is a ValueError, since C would read past it."""
    src = _buffer(packed, "inet_ntop")
    need = _IN_SIZE if af == _AF_INET else _IN6_SIZE if af == _AF_INET6 else 0
    if len(src) < need:
        raise ValueError(f"inet_ntop: family {af} reads {need} bytes, the buffer has {len(src)}")
    dst = ffi.new("char[]", _INET6_ADDRSTRLEN)
    r = lib.rs_inet_ntop(af, src, dst, _INET6_ADDRSTRLEN)
    if r < 0:
        raise error(r, "inet_ntop")
    return ffi.string(dst).decode("ascii")  # type: ignore[no-any-return]


def inet_aton(text: str | bytes) -> bytes:
    """inet_aton(3): the 4-byte packed IPv4 address (accepting inet_aton's short forms such as
    ``"127.1"``).  No syscall.  ValueError when libc returns 0."""
    inp = ffi.new("struct in_addr *")
    if lib.inet_aton(_text(text), inp) == 0:
        raise ValueError(f"inet_aton: {text!r} is not a valid IPv4 address")
    return ffi.unpack(ffi.cast("char *", inp), _IN_SIZE)  # type: ignore[no-any-return]


def inet_addr(text: str | bytes) -> int:
    """inet_addr(3): the address as an in_addr_t in network byte order, exactly as libc returns it:
    INADDR_NONE (0xffffffff) for invalid text, and also for "255.255.255.255".  No syscall."""
    return lib.inet_addr(_text(text))  # type: ignore[no-any-return]


def inet_ntoa(packed: Buffer) -> str:
    """inet_ntoa(3): dotted-quad text of a 4-byte packed address.  No syscall.  (libc returns a static
    buffer that the next call overwrites; this function copies it out, the raw ``lib.inet_ntoa`` does
    not.)"""
    src = _buffer(packed, "inet_ntoa")
    if len(src) < _IN_SIZE:
        raise ValueError(f"inet_ntoa: needs {_IN_SIZE} bytes, the buffer has {len(src)}")
    addr = ffi.new("struct in_addr *")
    ffi.memmove(addr, src, _IN_SIZE)
    return ffi.string(lib.inet_ntoa(addr[0])).decode("ascii")  # type: ignore[no-any-return]
