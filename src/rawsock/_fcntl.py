"""fcntl(2) and close(2)."""

from __future__ import annotations

from ._binding import lib
from ._errors import error

__all__ = ["close", "fcntl", "set_nonblocking"]

_rs_fcntl = lib.rs_fcntl
_rs_close = lib.rs_close
_F_GETFL: int = lib.F_GETFL
_F_SETFL: int = lib.F_SETFL
_O_NONBLOCK: int = lib.O_NONBLOCK


def fcntl(fd: int, cmd: int, arg: int = 0) -> int:
    """fcntl(2) with an integer argument (F_GETFL, F_SETFL, F_GETFD, F_SETFD, F_DUPFD, ...): the
    kernel's return value.  One syscall."""
    r: int = _rs_fcntl(fd, cmd, arg)
    if r < 0:
        raise error(r, "fcntl")
    return r


def set_nonblocking(fd: int, on: bool = True) -> None:
    """Set or clear O_NONBLOCK: fcntl(2) F_GETFL, then F_SETFL with the flag changed.  Always exactly
    two syscalls, even when the flag already has the wanted value."""
    flags = fcntl(fd, _F_GETFL)
    fcntl(fd, _F_SETFL, flags | _O_NONBLOCK if on else flags & ~_O_NONBLOCK)


def close(fd: int) -> None:
    """close(2).  One syscall; never retried (on Linux the fd is released even when EINTR is raised)."""
    r = _rs_close(fd)
    if r < 0:
        raise error(r, "close")
