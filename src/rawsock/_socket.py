"""``Socket``: an object owning one fd, with the module's calls as methods (and no syscalls added)."""

from __future__ import annotations

import _warnings  # the C half of warnings, always loaded: warnings.warn is this function

from . import _fcntl, _msg, _syscalls
from ._address import Address, AddressLike, for_family
from ._constants import CONSTANTS, AddressFamily, SocketType, index, to_enum

TYPE_CHECKING = False
if TYPE_CHECKING:
    import socket as _stdlib_socket
    from collections.abc import Iterable, Sequence
    from typing import Any, overload

    from typing_extensions import Buffer, Self

    from ._constnames import _FR, _IR, _OV, _Fcntl, _Ioctl, _Opt
    from ._fcntl import FcntlArg, FcntlResult
    from ._io import SendfileResult
    from ._ioctl import IoctlArg, IoctlResult
    from ._sockopt import OptionValue
    from ._time import TimespecLike

__all__ = ["Socket"]

_send = _syscalls.send
_recv = _syscalls.recv
_recv_into = _syscalls.recv_into
_SOCK_FLAGS: int = CONSTANTS["SOCK_NONBLOCK"] | CONSTANTS["SOCK_CLOEXEC"]
_index = index


def _type_name(o: object) -> str:
    return type(o).__name__
_SOCK_NONBLOCK: int = CONSTANTS["SOCK_NONBLOCK"]
_O_NONBLOCK: int = CONSTANTS["O_NONBLOCK"]
_F_GETFL: int = CONSTANTS["F_GETFL"]


class Socket:
    """A socket(2) file descriptor owned by an object.

    Each method makes exactly the syscall(s) of the module-level function of the same name on
    ``self.fileno()``.  ``family``, ``type`` and ``proto`` are the values the socket was created with
    (None when unknown, e.g. after ``from_fd`` without them): rawsock never asks the kernel for them.  An
    address given as a plain ``(host, port)`` tuple is read in the socket's own family.
    A Socket that is garbage-collected while open emits ResourceWarning and closes its fd (one close(2)).
    """

    __slots__ = ("__weakref__", "_fd", "family", "proto", "type")

    _fd: int
    family: int | None
    type: int | None
    proto: int | None

    def __init__(self, domain: int, type: int, protocol: int = 0) -> None:
        """socket(2).  One syscall."""
        self._fd = -1
        self._fd = _syscalls.socket(domain, type, protocol)
        self.family, self.type, self.proto = domain, type, protocol

    @classmethod
    def from_fd(
        cls, fd: int, family: int | None = None, type: int | None = None, proto: int | None = None
    ) -> Self:
        """Own an existing fd (no syscall).  The Socket closes it when closed or collected.  ``fd`` must be an
        int (TypeError otherwise, before anything is owned)."""
        try:
            n = _index(fd)
        except TypeError:
            raise TypeError(f"from_fd() argument 'fd': must be an integer, not {_type_name(fd)}") from None
        self = cls.__new__(cls)
        self._fd, self.family, self.type, self.proto = n, family, type, proto
        return self

    @classmethod
    def from_socket(cls, sock: _stdlib_socket.socket) -> Self:
        """Adopt a standard-library socket's fd: ``sock.detach()`` (no syscall), so ``sock`` no longer
        owns it.  The type is the standard library's (SOCK_NONBLOCK when it believes the fd non-blocking)."""
        family, type_, proto = int(sock.family), int(sock.type), sock.proto
        return cls.from_fd(sock.detach(), family, type_, proto)

    def to_socket(self) -> _stdlib_socket.socket:
        """Hand the fd over to a new standard-library ``socket.socket`` and detach it from this Socket.

        rawsock makes one syscall, fcntl(2) F_GETFL, to tell the standard library the fd's real blocking
        mode (it believes whatever SOCK_NONBLOCK says in the type it is given).  When family/type/proto are
        unknown, the standard library asks the kernel for them itself (getsockname, getsockopt), and for a
        non-blocking fd it then makes its own setblocking(False) call."""
        import socket as stdlib_socket

        flags = _syscalls.fcntl(self._fd, _F_GETFL)
        assert isinstance(flags, int)
        nonblocking = bool(flags & _O_NONBLOCK)
        kwargs: dict[str, Any] = {}
        if self.family is not None:
            kwargs["family"] = self.family
        if self.type is not None:
            kwargs["type"] = (self.type & ~_SOCK_NONBLOCK) | (_SOCK_NONBLOCK if nonblocking else 0)
        if self.proto is not None:
            kwargs["proto"] = self.proto
        sock = stdlib_socket.socket(fileno=self.detach(), **kwargs)
        if self.type is None and nonblocking:
            sock.setblocking(False)
        return sock

    def fileno(self) -> int:
        """The fd socket(2) returned, or -1 once closed or detached.  No syscall."""
        return self._fd

    def detach(self) -> int:
        """Give up ownership: the fd, which this Socket will no longer close(2).  No syscall."""
        fd, self._fd = self._fd, -1
        return fd

    @property
    def closed(self) -> bool:
        return self._fd < 0

    def close(self) -> None:
        """close(2): one syscall, or none if already closed/detached.  The Socket counts as closed even if
        close(2) fails (Linux releases the fd anyway)."""
        fd = self._fd
        if fd >= 0:
            self._fd = -1
            _syscalls.close(fd)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        fd = getattr(self, "_fd", -1)
        if fd >= 0:
            _warnings.warn(f"unclosed {self!r}", ResourceWarning, source=self, stacklevel=2)
            try:
                self.close()
            except OSError:
                pass

    def __repr__(self) -> str:
        family = None if self.family is None else to_enum(AddressFamily, self.family)
        type_ = None if self.type is None else _type_text(self.type)
        family_text = getattr(family, "name", family)
        return f"<rawsock.Socket fd={self._fd} family={family_text} type={type_} proto={self.proto}>"

    def _child(self, fd: int, flags: int) -> Socket:
        """The accepted connection: accept(2) does not inherit O_NONBLOCK or FD_CLOEXEC, so its type is the
        listener's base type plus exactly the flags given to accept4."""
        base = None if self.type is None else (self.type & ~_SOCK_FLAGS) | (flags & _SOCK_FLAGS)
        return Socket.from_fd(fd, self.family, base, self.proto)

    # the calls, in the order of <sys/socket.h>'s man pages
    def bind(self, addr: AddressLike, addrlen: int | None = None) -> None:
        """bind(2).  One syscall."""
        _syscalls.bind(self._fd, for_family(addr, self.family), addrlen)

    def listen(self, backlog: int) -> None:
        """listen(2).  One syscall."""
        _syscalls.listen(self._fd, backlog)

    def accept(self) -> tuple[Socket, Address]:
        """accept(2): a Socket owning the new fd (same family and proto; the listener's type without
        SOCK_NONBLOCK/SOCK_CLOEXEC, which accept does not pass on) and the peer address.  One syscall."""
        fd, addr = _syscalls.accept(self._fd)
        return self._child(fd, 0), addr

    def accept4(self, flags: int = 0) -> tuple[Socket, Address]:
        """accept4(2) with ``flags`` as given: the new Socket's type is the base type plus those flags.
        One syscall."""
        fd, addr = _syscalls.accept4(self._fd, flags)
        return self._child(fd, flags), addr

    def connect(self, addr: AddressLike, addrlen: int | None = None) -> None:
        """connect(2).  One syscall."""
        _syscalls.connect(self._fd, for_family(addr, self.family), addrlen)

    def shutdown(self, how: int) -> None:
        """shutdown(2).  One syscall."""
        _syscalls.shutdown(self._fd, how)

    def getsockname(self) -> Address:
        """getsockname(2).  One syscall."""
        return _syscalls.getsockname(self._fd)

    def getpeername(self) -> Address:
        """getpeername(2).  One syscall."""
        return _syscalls.getpeername(self._fd)

    def send(self, data: Buffer, flags: int = 0) -> int:
        """send(2).  One syscall."""
        return _send(self._fd, data, flags)

    def sendto(self, data: Buffer, flags: int, addr: AddressLike, addrlen: int | None = None) -> int:
        """sendto(2).  One syscall."""
        return _syscalls.sendto(self._fd, data, flags, for_family(addr, self.family), addrlen)

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        """recv(2).  One syscall."""
        return _recv(self._fd, bufsize, flags)

    def recv_into(self, buffer: Buffer, nbytes: int = 0, flags: int = 0) -> int:
        """recv(2) into a buffer.  One syscall."""
        return _recv_into(self._fd, buffer, nbytes, flags)

    def recvfrom(self, bufsize: int, flags: int = 0) -> tuple[bytes, Address | None]:
        """recvfrom(2).  One syscall."""
        return _syscalls.recvfrom(self._fd, bufsize, flags)

    def recvfrom_into(self, buffer: Buffer, nbytes: int = 0, flags: int = 0) -> tuple[int, Address | None]:
        """recvfrom(2) into a buffer.  One syscall."""
        return _syscalls.recvfrom_into(self._fd, buffer, nbytes, flags)

    def read(self, count: int) -> bytes:
        """read(2).  One syscall."""
        return _syscalls.read(self._fd, count)

    def read_into(self, buffer: Buffer, nbytes: int = 0) -> int:
        """read(2) into a buffer.  One syscall."""
        return _syscalls.read_into(self._fd, buffer, nbytes)

    def write(self, data: Buffer) -> int:
        """write(2).  One syscall."""
        return _syscalls.write(self._fd, data)

    def readv(self, buffers: Sequence[Buffer] | Buffer) -> int:
        """readv(2).  One syscall."""
        return _syscalls.readv(self._fd, buffers)

    def writev(self, buffers: Sequence[Buffer] | Buffer) -> int:
        """writev(2).  One syscall."""
        return _syscalls.writev(self._fd, buffers)

    def sendfile(self, in_fd: int, offset: int | None, count: int) -> SendfileResult:
        """sendfile(2) from ``in_fd`` to this socket.  One syscall."""
        return _syscalls.sendfile(self._fd, in_fd, offset, count)

    if TYPE_CHECKING:  # (no typing at run time: see rawsock._typing)
        @overload
        def fcntl(self, cmd: _Fcntl[_FR], arg: FcntlArg = 0) -> _FR: ...
        @overload
        def fcntl(self, cmd: int, arg: FcntlArg = 0) -> FcntlResult: ...

    def fcntl(self, cmd: int, arg: FcntlArg = 0) -> FcntlResult:
        """fcntl(2): the kernel's return value, or the command's struct (see rawsock.fcntl).  One syscall."""
        return _syscalls.fcntl(self._fd, cmd, arg)

    def set_nonblocking(self, on: bool = True) -> None:
        """fcntl(2) F_GETFL then F_SETFL: two syscalls."""
        _fcntl.set_nonblocking(self._fd, on)

    if TYPE_CHECKING:
        @overload
        def getsockopt(self, level: int, optname: _Opt[_OV], buflen: None = None) -> _OV: ...
        @overload
        def getsockopt(self, level: int, optname: int, buflen: int) -> bytes: ...
        @overload
        def getsockopt(self, level: int, optname: int, buflen: None = None) -> OptionValue: ...

    def getsockopt(self, level: int, optname: int, buflen: int | None = None) -> OptionValue:
        """getsockopt(2): the typed value, or the raw bytes with ``buflen``.  One syscall."""
        return _syscalls.getsockopt(self._fd, level, optname, buflen)

    def setsockopt(self, level: int, optname: int, value: OptionValue | float, optlen: int | None = None) -> None:
        """setsockopt(2).  One syscall."""
        _syscalls.setsockopt(self._fd, level, optname, value, optlen)

    if TYPE_CHECKING:
        @overload
        def ioctl(self, request: _Ioctl[_IR], arg: IoctlArg = 0) -> _IR: ...
        @overload
        def ioctl(self, request: int, arg: IoctlArg = 0) -> IoctlResult: ...

    def ioctl(self, request: int, arg: IoctlArg = 0) -> IoctlResult:
        """ioctl(2): the request's typed value (see rawsock.ioctl).  One syscall."""
        return _syscalls.ioctl(self._fd, request, arg)

    def sockatmark(self) -> bool:
        """sockatmark(3).  One syscall (ioctl SIOCATMARK)."""
        return _syscalls.sockatmark(self._fd)

    def sendmsg(self, buffers: Sequence[Buffer] | Buffer,
                ancdata: Iterable[_msg.CmsgValue | tuple[int, int, Buffer]] = (), flags: int = 0,
                addr: AddressLike | None = None, *, namelen: int | None = None) -> int:
        """sendmsg(2).  One syscall."""
        where = None if addr is None else for_family(addr, self.family)
        return _syscalls.sendmsg(self._fd, buffers, ancdata, flags, where, namelen=namelen)

    def recvmsg(self, bufsize: int, ancbufsize: int = 0, flags: int = 0, *,
                namelen: int | None = None) -> _msg.RecvMsg:
        """recvmsg(2).  One syscall."""
        return _syscalls.recvmsg(self._fd, bufsize, ancbufsize, flags, namelen=namelen)

    def recvmsg_into(self, buffers: Sequence[Buffer], ancbufsize: int = 0, flags: int = 0, *,
                     namelen: int | None = None) -> _msg.RecvMsg:
        """recvmsg(2) into buffers.  One syscall."""
        return _syscalls.recvmsg_into(self._fd, buffers, ancbufsize, flags, namelen=namelen)

    def sendmmsg(self, messages: Sequence[_msg.Message], flags: int = 0) -> _msg.Sent:
        """sendmmsg(2).  One syscall."""
        return _syscalls.sendmmsg(self._fd, messages, flags)

    def recvmmsg(self, vlen: int, bufsize: int | Sequence[int], flags: int = 0,
                 timeout: TimespecLike | None = None, ancbufsize: int = 0) -> list[_msg.RecvMmsg]:
        """recvmmsg(2).  One syscall."""
        return _syscalls.recvmmsg(self._fd, vlen, bufsize, flags, timeout, ancbufsize)

    def send_fds(self, buffers: Sequence[Buffer], fds: Iterable[int], flags: int = 0,
                 addr: AddressLike | None = None) -> int:
        """sendmsg(2) with SCM_RIGHTS.  One syscall."""
        return _msg.send_fds(self._fd, buffers, fds, flags, None if addr is None else for_family(addr, self.family))

    def recv_fds(self, bufsize: int, maxfds: int, flags: int = 0) -> tuple[bytes, list[int], int, Address | None]:
        """recvmsg(2) with room for ``maxfds`` fds.  One syscall."""
        return _msg.recv_fds(self._fd, bufsize, maxfds, flags)


def _type_text(value: int) -> str:
    base = to_enum(SocketType, value & ~_SOCK_FLAGS)
    parts = [getattr(base, "name", str(base))]
    parts += [name for name in ("SOCK_NONBLOCK", "SOCK_CLOEXEC") if value & CONSTANTS[name]]
    return "|".join(parts)
