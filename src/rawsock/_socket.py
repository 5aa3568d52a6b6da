"""``Socket``: an object owning one fd, with the module's calls as methods (and no syscalls added)."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from . import _fast, _fcntl, _ioctl, _msg, _sockopt, _sys_socket
from ._address import Address, AddressLike

if TYPE_CHECKING:
    import socket as _stdlib_socket
    from collections.abc import Iterable, Sequence

    from typing_extensions import Buffer, Self

__all__ = ["Socket"]

_send = _fast.send
_recv = _fast.recv
_recv_into = _fast.recv_into


class Socket:
    """A socket(2) file descriptor owned by an object.

    Each method makes exactly the syscall(s) of the module-level function of the same name on
    ``self.fileno()``.  ``family``, ``type`` and ``proto`` are the values the socket was created with
    (None when unknown, e.g. after ``from_fd`` without them): rawsock never asks the kernel for them.
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
        self._fd = _sys_socket.socket(domain, type, protocol)
        self.family, self.type, self.proto = domain, type, protocol

    @classmethod
    def from_fd(
        cls, fd: int, family: int | None = None, type: int | None = None, proto: int | None = None
    ) -> Self:
        """Own an existing fd (no syscall).  The Socket closes it when closed or collected."""
        self = cls.__new__(cls)
        self._fd, self.family, self.type, self.proto = fd, family, type, proto
        return self

    @classmethod
    def from_socket(cls, sock: _stdlib_socket.socket) -> Self:
        """Adopt a standard-library socket's fd: ``sock.detach()`` (no syscall), so ``sock`` no longer
        owns it."""
        family, type_, proto = int(sock.family), int(sock.type), sock.proto
        return cls.from_fd(sock.detach(), family, type_, proto)

    def to_socket(self) -> _stdlib_socket.socket:
        """Hand the fd over to a new standard-library ``socket.socket`` (socket(2)'s fd) and detach it from
        this Socket.  No syscall from rawsock; when family/type/proto are unknown the standard library asks the kernel
        for them (getsockname, getsockopt)."""
        import socket as stdlib_socket

        kwargs: dict[str, Any] = {}
        if self.family is not None:
            kwargs["family"] = self.family
        if self.type is not None:
            kwargs["type"] = self.type
        if self.proto is not None:
            kwargs["proto"] = self.proto
        return stdlib_socket.socket(fileno=self.detach(), **kwargs)

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
            _fcntl.close(fd)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        fd = getattr(self, "_fd", -1)
        if fd >= 0:
            warnings.warn(f"unclosed {self!r}", ResourceWarning, source=self, stacklevel=2)
            try:
                self.close()
            except OSError:
                pass

    def __repr__(self) -> str:
        return f"<rawsock.Socket fd={self._fd} family={self.family} type={self.type} proto={self.proto}>"

    def _child(self, fd: int) -> Socket:
        return Socket.from_fd(fd, self.family, self.type, self.proto)

    # the calls, in the order of <sys/socket.h>'s man pages
    def bind(self, addr: AddressLike, addrlen: int | None = None) -> None:
        """bind(2).  One syscall."""
        _sys_socket.bind(self._fd, addr, addrlen)

    def listen(self, backlog: int) -> None:
        """listen(2).  One syscall."""
        _sys_socket.listen(self._fd, backlog)

    def accept(self) -> tuple[Socket, Address]:
        """accept(2): a Socket owning the new fd (same family/type/proto) and the peer address.
        One syscall."""
        fd, addr = _sys_socket.accept(self._fd)
        return self._child(fd), addr

    def accept4(self, flags: int = 0) -> tuple[Socket, Address]:
        """accept4(2) with ``flags`` as given.  One syscall."""
        fd, addr = _sys_socket.accept4(self._fd, flags)
        return self._child(fd), addr

    def connect(self, addr: AddressLike, addrlen: int | None = None) -> None:
        """connect(2).  One syscall."""
        _sys_socket.connect(self._fd, addr, addrlen)

    def shutdown(self, how: int) -> None:
        """shutdown(2).  One syscall."""
        _sys_socket.shutdown(self._fd, how)

    def getsockname(self) -> Address:
        """getsockname(2).  One syscall."""
        return _sys_socket.getsockname(self._fd)

    def getpeername(self) -> Address:
        """getpeername(2).  One syscall."""
        return _sys_socket.getpeername(self._fd)

    def send(self, data: Buffer, flags: int = 0) -> int:
        """send(2).  One syscall."""
        return _send(self._fd, data, flags)

    def sendto(self, data: Buffer, flags: int, addr: AddressLike, addrlen: int | None = None) -> int:
        """sendto(2).  One syscall."""
        return _fast.sendto(self._fd, data, flags, addr, addrlen)

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        """recv(2).  One syscall."""
        return _recv(self._fd, bufsize, flags)

    def recv_into(self, buffer: Buffer, nbytes: int = 0, flags: int = 0) -> int:
        """recv(2) into a buffer.  One syscall."""
        return _recv_into(self._fd, buffer, nbytes, flags)

    def recvfrom(self, bufsize: int, flags: int = 0) -> tuple[bytes, Address | None]:
        """recvfrom(2).  One syscall."""
        return _fast.recvfrom(self._fd, bufsize, flags)

    def recvfrom_into(self, buffer: Buffer, nbytes: int = 0, flags: int = 0) -> tuple[int, Address | None]:
        """recvfrom(2) into a buffer.  One syscall."""
        return _fast.recvfrom_into(self._fd, buffer, nbytes, flags)

    def fcntl(self, cmd: int, arg: int = 0) -> int:
        """fcntl(2).  One syscall."""
        return _fcntl.fcntl(self._fd, cmd, arg)

    def set_nonblocking(self, on: bool = True) -> None:
        """fcntl(2) F_GETFL then F_SETFL: two syscalls."""
        _fcntl.set_nonblocking(self._fd, on)

    def getsockopt(self, level: int, optname: int, buflen: int | None = None) -> _sockopt.OptionValue:
        """getsockopt(2): the typed value, or the raw bytes with ``buflen``.  One syscall."""
        return _sockopt.getsockopt(self._fd, level, optname, buflen)

    def setsockopt(
        self, level: int, optname: int, value: _sockopt.OptionValue | float, optlen: int | None = None
    ) -> None:
        """setsockopt(2).  One syscall."""
        _sockopt.setsockopt(self._fd, level, optname, value, optlen)

    def ioctl(self, request: int, arg: int = 0) -> int:
        """ioctl(2) with an int argument.  One syscall."""
        return _ioctl.ioctl(self._fd, request, arg)

    def sockatmark(self) -> bool:
        """sockatmark(3).  One syscall (ioctl SIOCATMARK)."""
        return _ioctl.sockatmark(self._fd)

    def sendmsg(self, buffers: Sequence[Buffer], ancdata: Iterable[_msg.CmsgValue | tuple[int, int, Buffer]] = (),
                flags: int = 0, addr: AddressLike | None = None) -> int:
        """sendmsg(2).  One syscall."""
        return _msg.sendmsg(self._fd, buffers, ancdata, flags, addr)

    def recvmsg(self, bufsize: int, ancbufsize: int = 0, flags: int = 0) -> _msg.RecvMsg:
        """recvmsg(2).  One syscall."""
        return _msg.recvmsg(self._fd, bufsize, ancbufsize, flags)

    def recvmsg_into(self, buffers: Sequence[Buffer], ancbufsize: int = 0, flags: int = 0) -> _msg.RecvMsg:
        """recvmsg(2) into buffers.  One syscall."""
        return _msg.recvmsg_into(self._fd, buffers, ancbufsize, flags)

    def sendmmsg(self, messages: Sequence[_msg.Message], flags: int = 0) -> int:
        """sendmmsg(2).  One syscall."""
        return _fast.sendmmsg(self._fd, messages, flags)

    def recvmmsg(self, vlen: int, bufsize: int, flags: int = 0, timeout: float | None = None,
                 ancbufsize: int = 0) -> list[_msg.RecvMmsg]:
        """recvmmsg(2).  One syscall."""
        return _fast.recvmmsg(self._fd, vlen, bufsize, flags, timeout, ancbufsize)

    def send_fds(self, buffers: Sequence[Buffer], fds: Iterable[int], flags: int = 0,
                 addr: AddressLike | None = None) -> int:
        """sendmsg(2) with SCM_RIGHTS.  One syscall."""
        return _msg.send_fds(self._fd, buffers, fds, flags, addr)

    def recv_fds(self, bufsize: int, maxfds: int, flags: int = 0) -> tuple[bytes, list[int], int, Address | None]:
        """recvmsg(2) with room for ``maxfds`` fds.  One syscall."""
        return _msg.recv_fds(self._fd, bufsize, maxfds, flags)
