"""The <sys/socket.h> calls, one syscall each: socket(2) and the connection lifecycle, send(2)/recv(2).

Every function makes exactly the one libc call its name says (through an ``rs_*`` helper that returns
``-errno`` instead of -1, read in the same C call), with the arguments given, and raises the kernel's
errno unchanged.  Nothing is retried, added or corrected.  The module-level ``_rs_*`` names are the only
way these functions reach C, so a tracer can rebind them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._address import SOCKADDR_STORAGE_SIZE, Address, AddressLike, decode, encode
from ._binding import ffi, lib
from ._errors import error

if TYPE_CHECKING:
    from typing_extensions import Buffer

__all__ = [
    "accept", "accept4", "bind", "connect", "getpeername", "getsockname", "listen", "recv", "recv_into",
    "recvfrom", "recvfrom_into", "send", "sendto", "shutdown", "socket", "socketpair",
]

_rs_socket = lib.rs_socket
_rs_socketpair = lib.rs_socketpair
_rs_bind = lib.rs_bind
_rs_listen = lib.rs_listen
_rs_accept = lib.rs_accept
_rs_accept4 = lib.rs_accept4
_rs_connect = lib.rs_connect
_rs_shutdown = lib.rs_shutdown
_rs_getsockname = lib.rs_getsockname
_rs_getpeername = lib.rs_getpeername
_rs_send = lib.rs_send
_rs_sendto = lib.rs_sendto
_rs_recv = lib.rs_recv
_rs_recvfrom = lib.rs_recvfrom

_new = ffi.new
_unpack = ffi.unpack
_from_buffer = ffi.from_buffer
_alloc = ffi.new_allocator(should_clear_after_alloc=False)  # a receive buffer need not be zeroed
_CHARS = ffi.typeof("char[]")
_ADDRBUF = ffi.typeof("struct rs_addrbuf *")
_INTS = ffi.typeof("int[]")


def _addrbuf() -> object:
    ab = _new(_ADDRBUF)
    ab.len = SOCKADDR_STORAGE_SIZE
    return ab


def _address(ab: object) -> Address:
    n: int = ab.len  # type: ignore[attr-defined]
    return decode(_unpack(ffi.cast("char *", ab), n if n < SOCKADDR_STORAGE_SIZE else SOCKADDR_STORAGE_SIZE))


def _optional_address(ab: object) -> Address | None:
    return None if ab.len == 0 else _address(ab)  # type: ignore[attr-defined]


def socket(domain: int, type: int, protocol: int = 0) -> int:
    """socket(2): a new socket's file descriptor.  One syscall; ``type`` is passed as given, so
    SOCK_CLOEXEC is set only if the caller asks for it."""
    fd: int = _rs_socket(domain, type, protocol)
    if fd < 0:
        raise error(fd, "socket")
    return fd


def socketpair(domain: int, type: int, protocol: int = 0) -> tuple[int, int]:
    """socketpair(2): two connected sockets' file descriptors.  One syscall."""
    sv = _new(_INTS, 2)
    r = _rs_socketpair(domain, type, protocol, sv)
    if r < 0:
        raise error(r, "socketpair")
    return sv[0], sv[1]


def bind(fd: int, addr: AddressLike, addrlen: int | None = None) -> None:
    """bind(2).  One syscall.  ``addrlen`` defaults to the address's own length (raw bytes: their
    length); any other value up to the buffer's size goes to the kernel as given."""
    buf, n = encode(addr, addrlen)
    r = _rs_bind(fd, buf, n)
    if r < 0:
        raise error(r, "bind")


def listen(fd: int, backlog: int) -> None:
    """listen(2).  One syscall; ``backlog`` is passed as given, negative too (the kernel clamps it)."""
    r = _rs_listen(fd, backlog)
    if r < 0:
        raise error(r, "listen")


def accept(fd: int) -> tuple[int, Address]:
    """accept(2): the new connection's fd and the peer address the kernel wrote (addrlen
    ``sizeof(struct sockaddr_storage)`` in, the kernel's out).  One syscall, no getsockname()."""
    ab = _addrbuf()
    new = _rs_accept(fd, ab)
    if new < 0:
        raise error(new, "accept")
    return new, _address(ab)


def accept4(fd: int, flags: int = 0) -> tuple[int, Address]:
    """accept4(2) with ``flags`` (SOCK_NONBLOCK, SOCK_CLOEXEC, or anything else, for the kernel to
    judge) passed as given.  One syscall."""
    ab = _addrbuf()
    new = _rs_accept4(fd, ab, flags)
    if new < 0:
        raise error(new, "accept4")
    return new, _address(ab)


def connect(fd: int, addr: AddressLike, addrlen: int | None = None) -> None:
    """connect(2).  One syscall; EINPROGRESS on a non-blocking socket is raised, not waited for
    (BlockingIOError with errno EINPROGRESS)."""
    buf, n = encode(addr, addrlen)
    r = _rs_connect(fd, buf, n)
    if r < 0:
        raise error(r, "connect")


def shutdown(fd: int, how: int) -> None:
    """shutdown(2).  One syscall; ``how`` is passed as given."""
    r = _rs_shutdown(fd, how)
    if r < 0:
        raise error(r, "shutdown")


def getsockname(fd: int) -> Address:
    """getsockname(2): the socket's own address, decoded with the addrlen the kernel returned.
    One syscall."""
    ab = _addrbuf()
    r = _rs_getsockname(fd, ab)
    if r < 0:
        raise error(r, "getsockname")
    return _address(ab)


def getpeername(fd: int) -> Address:
    """getpeername(2): the peer's address.  One syscall."""
    ab = _addrbuf()
    r = _rs_getpeername(fd, ab)
    if r < 0:
        raise error(r, "getpeername")
    return _address(ab)


def send(fd: int, data: Buffer, flags: int = 0) -> int:
    """send(2): the number of bytes the kernel took.  One syscall (glibc issues it as sendto(2)).
    ``data`` is any bytes-like object, passed without a copy."""
    if type(data) is bytes:
        n: int = _rs_send(fd, data, len(data), flags)
    else:
        b = _from_buffer(data)
        n = _rs_send(fd, b, len(b), flags)
    if n < 0:
        raise error(n, "send")
    return n


def sendto(fd: int, data: Buffer, flags: int, addr: AddressLike, addrlen: int | None = None) -> int:
    """sendto(2) to ``addr``.  One syscall."""
    buf, alen = encode(addr, addrlen)
    if type(data) is bytes:
        n: int = _rs_sendto(fd, data, len(data), flags, buf, alen)
    else:
        b = _from_buffer(data)
        n = _rs_sendto(fd, b, len(b), flags, buf, alen)
    if n < 0:
        raise error(n, "sendto")
    return n


def recv(fd: int, bufsize: int, flags: int = 0) -> bytes:
    """recv(2) into a new buffer of ``bufsize`` bytes: the bytes received.  One syscall (glibc issues
    it as recvfrom(2)), made even for a zero ``bufsize``.  Under MSG_TRUNC the kernel may report more
    than ``bufsize``; the bytes returned are those that fit (recv_into returns the kernel's count)."""
    buf = _alloc(_CHARS, bufsize)
    n: int = _rs_recv(fd, buf, bufsize, flags)
    if n < 0:
        raise error(n, "recv")
    return _unpack(buf, n if n <= bufsize else bufsize)  # type: ignore[no-any-return]


def _writable(buffer: Buffer, nbytes: int) -> tuple[object, int]:
    b = _from_buffer(_CHARS, buffer, True)
    size = len(b)
    if nbytes == 0:
        return b, size
    if nbytes < 0 or nbytes > size:
        raise ValueError(f"nbytes {nbytes} does not fit the {size}-byte buffer")
    return b, nbytes


def recv_into(fd: int, buffer: Buffer, nbytes: int = 0, flags: int = 0) -> int:
    """recv(2) into a writable buffer (``nbytes`` 0: all of it): the kernel's return value as is, which
    under MSG_TRUNC is the full datagram length.  One syscall."""
    b, size = _writable(buffer, nbytes)
    n: int = _rs_recv(fd, b, size, flags)
    if n < 0:
        raise error(n, "recv")
    return n


def recvfrom(fd: int, bufsize: int, flags: int = 0) -> tuple[bytes, Address | None]:
    """recvfrom(2): the bytes and the sender's address (None when the kernel returned addrlen 0, as on
    a connected stream).  One syscall."""
    buf = _alloc(_CHARS, bufsize)
    ab = _addrbuf()
    n: int = _rs_recvfrom(fd, buf, bufsize, flags, ab)
    if n < 0:
        raise error(n, "recvfrom")
    return _unpack(buf, n if n <= bufsize else bufsize), _optional_address(ab)


def recvfrom_into(fd: int, buffer: Buffer, nbytes: int = 0, flags: int = 0) -> tuple[int, Address | None]:
    """recvfrom(2) into a writable buffer: the kernel's return value and the sender's address.
    One syscall."""
    b, size = _writable(buffer, nbytes)
    ab = _addrbuf()
    n: int = _rs_recvfrom(fd, b, size, flags, ab)
    if n < 0:
        raise error(n, "recvfrom")
    return n, _optional_address(ab)
