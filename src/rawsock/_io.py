"""The file calls' values: epoll(7)'s ``EpollEvent`` and the ``Epoll`` object, the results of sendfile(2) and
splice(2), and the codecs the call engine uses for them (the calls themselves are in rawsock._syscalls).

Nothing here makes a syscall except ``Epoll``'s methods, one each.
"""

from __future__ import annotations

import math
import sys

from . import _syscalls
from ._binding import ffi, lib
from ._constants import index
from ._select import _events, _fileno

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import NamedTuple, Union

    from ._select import FileDescriptorLike
    from ._time import TimespecLike

    #: what epoll_ctl takes for its event: an EpollEvent, an (events, data) pair, or None (NULL)
    EpollEventLike = Union["EpollEvent", tuple[int, int]]
else:
    from ._typing import NamedTuple

__all__ = ["Epoll", "EpollEvent", "SendfileResult", "SpliceResult", "struct_decode", "struct_encode"]

_EPOLL_EVENT = ffi.sizeof("struct epoll_event")
# struct epoll_event: events (u32) at 0; data (u64) right after, packed on x86-64, aligned to 8 elsewhere
_DATA_OFFSET = lib.RS_EPOLL_DATA_OFFSET
_U64 = (1 << 64) - 1


class EpollEvent(NamedTuple):
    """struct epoll_event (epoll_ctl(2)): ``events`` (EPOLLIN, EPOLLOUT, ... | EPOLLET, EPOLLONESHOT, ...) and
    ``data``, the 64-bit epoll_data the kernel hands back unchanged (``Epoll`` puts the fd there; a negative
    value is stored as its two's complement)."""

    events: int
    data: int = 0


class SendfileResult(NamedTuple):
    """What sendfile(2) did: ``nbytes`` copied, and ``offset`` as the kernel left it (None when the call passed
    NULL and the kernel used and advanced the file's own offset)."""

    nbytes: int
    offset: int | None


class SpliceResult(NamedTuple):
    """What splice(2) did: ``nbytes`` moved, and each offset as the kernel left it (None for a NULL one)."""

    nbytes: int
    off_in: int | None
    off_out: int | None


def _milliseconds(timeout: float | None) -> int:
    """select.epoll.poll's timeout: seconds to whole milliseconds, rounded up; None or negative: -1 (block)."""
    if timeout is None:
        return -1
    if not isinstance(timeout, (int, float)):
        raise TypeError(f"poll() argument 'timeout': must be a number of seconds or None, not "
                        f"{type(timeout).__name__}")
    if timeout != timeout:  # NaN
        raise ValueError("timeout cannot be NaN")
    if timeout < 0:
        return -1
    if math.isinf(timeout):
        raise OverflowError("timeout inf s does not fit epoll_wait's int milliseconds")
    ms = math.ceil(timeout * 1000)
    if ms > 2**31 - 1:
        raise OverflowError(f"timeout {timeout!r} s does not fit epoll_wait's int milliseconds")
    return ms


def _maxevents(maxevents: int) -> int:
    """select.epoll.poll's maxevents: -1 is FD_SETSIZE - 1; below 1 otherwise is a ValueError (as select.epoll
    refuses it; the raw call, rawsock.epoll_wait, passes any value to the kernel)."""
    n = index(maxevents)
    if n == -1:
        return _FD_SETSIZE - 1
    if n < 1:
        raise ValueError(f"maxevents must be greater than 0, got {n}")
    return n


_FD_SETSIZE = 1024  # <sys/select.h>'s, as select.epoll uses it (the same on every Linux libc)


def _u32(name: str, value: object) -> int:
    try:
        v = index(value)
    except TypeError:
        raise TypeError(f"{name} must be an int, not {type(value).__name__}") from None
    if not -(1 << 31) <= v <= 0xFFFFFFFF:
        raise OverflowError(f"{name} {v} does not fit 32 bits")
    return v & 0xFFFFFFFF


def _epoll_event_encode(value: object) -> bytes:
    if isinstance(value, (bytes, str)) or not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError(f"must be an EpollEvent or an (events, data) pair, not {type(value).__name__}")
    events = _u32("events", value[0])
    try:
        data = index(value[1])
    except TypeError:
        raise TypeError(f"data must be an int, not {type(value[1]).__name__}") from None
    if not -(1 << 63) <= data <= _U64:
        raise OverflowError(f"data {data} does not fit 64 bits")
    raw = bytearray(_EPOLL_EVENT)
    raw[0:4] = events.to_bytes(4, sys.byteorder)
    raw[_DATA_OFFSET:_DATA_OFFSET + 8] = (data & _U64).to_bytes(8, sys.byteorder)
    return bytes(raw)


def _epoll_events_decode(raw: bytes) -> list[EpollEvent]:
    out = []
    for i in range(0, len(raw) - _EPOLL_EVENT + 1, _EPOLL_EVENT):
        events = int.from_bytes(raw[i:i + 4], sys.byteorder)
        data = int.from_bytes(raw[i + _DATA_OFFSET:i + _DATA_OFFSET + 8], sys.byteorder)
        out.append(EpollEvent(events, data))
    return out


def struct_encode(codec: str, value: object) -> bytes:
    """The bytes of the struct a typed value stands for (the engine's struct_in kind)."""
    assert codec == "epoll_event", codec
    return _epoll_event_encode(value)


def struct_decode(codec: str, raw: bytes) -> object:
    """The typed values of an array of structs the kernel filled (the engine's struct_array_out kind)."""
    assert codec == "epoll_event", codec
    return _epoll_events_decode(raw)


def finish_sendfile(value: tuple[int, int | None]) -> SendfileResult:
    return SendfileResult(*value)


def finish_splice(value: tuple[int, int | None, int | None]) -> SpliceResult:
    return SpliceResult(*value)


class Epoll:
    """An epoll instance (epoll(7)) in the shape of ``Poller`` and the standard library's ``select.epoll``: the
    constructor is one epoll_create1, each register/modify/unregister one epoll_ctl, each poll one epoll_wait
    (ppoll-like ``pwait``: one epoll_pwait), close one close.  Registrations keep the fd in ``data``, so poll
    returns (fd, events) pairs.  No CLOEXEC unless ``flags`` asks for EPOLL_CLOEXEC."""

    def __init__(self, flags: int = 0) -> None:
        """epoll_create1(2) with ``flags`` as given.  One syscall."""
        self._fd = -1
        self._fd = _syscalls.epoll_create1(flags)

    def fileno(self) -> int:
        """The epoll fd.  No syscall."""
        return self._fd

    @property
    def closed(self) -> bool:
        return self._fd < 0

    def close(self) -> None:
        """close(2) the epoll fd, once (later calls do nothing).  One syscall the first time."""
        fd, self._fd = self._fd, -1
        if fd >= 0:
            _syscalls.close(fd)

    def __enter__(self) -> Epoll:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_fd", -1) >= 0:
            self.close()

    def __repr__(self) -> str:
        return f"<rawsock.Epoll fd={self._fd}>" if self._fd >= 0 else "<rawsock.Epoll closed>"

    def register(self, fd: FileDescriptorLike, events: int = lib.EPOLLIN | lib.EPOLLPRI | lib.EPOLLOUT) -> None:
        """epoll_ctl(2) EPOLL_CTL_ADD of ``fd`` for ``events`` (default EPOLLIN | EPOLLPRI | EPOLLOUT, as
        select.epoll), with the fd as data.  One syscall."""
        n = _fileno(fd)
        _syscalls.epoll_ctl(self._fd, lib.EPOLL_CTL_ADD, n, EpollEvent(_events(events), n))

    def modify(self, fd: FileDescriptorLike, events: int) -> None:
        """epoll_ctl(2) EPOLL_CTL_MOD.  One syscall."""
        n = _fileno(fd)
        _syscalls.epoll_ctl(self._fd, lib.EPOLL_CTL_MOD, n, EpollEvent(_events(events), n))

    def unregister(self, fd: FileDescriptorLike) -> None:
        """epoll_ctl(2) EPOLL_CTL_DEL, with a NULL event.  One syscall."""
        _syscalls.epoll_ctl(self._fd, lib.EPOLL_CTL_DEL, _fileno(fd), None)

    def poll(self, timeout: float | None = None, maxevents: int = -1) -> list[tuple[int, int]]:
        """epoll_wait(2) for up to ``maxevents`` events, with ``timeout`` in seconds as select.epoll.poll takes
        it (None or negative: block; a fraction of a millisecond rounds up, as select.epoll does): the (fd,
        events) pairs the kernel returned, in its order.  ``maxevents`` as select.epoll.poll takes it too (-1:
        FD_SETSIZE - 1; 0 or less otherwise: ValueError).  One syscall (the raw call, rawsock.epoll_wait, takes
        milliseconds and any maxevents as given)."""
        return [(e.data, e.events)
                for e in _syscalls.epoll_wait(self._fd, _maxevents(maxevents), _milliseconds(timeout))]

    def pwait(self, timeout: float | None = None, maxevents: int = -1,
              sigmask: Iterable[int] | None = None) -> list[tuple[int, int]]:
        """epoll_pwait(2): poll (``timeout`` in seconds) with ``sigmask`` installed atomically for the call.  One
        syscall."""
        return [(e.data, e.events)
                for e in _syscalls.epoll_pwait(self._fd, _maxevents(maxevents), _milliseconds(timeout), sigmask)]

    def pwait2(self, timeout: TimespecLike | None = None, maxevents: int = -1,
               sigmask: Iterable[int] | None = None) -> list[tuple[int, int]]:
        """epoll_pwait2(2): a Timespec (or seconds; None blocks) timeout and a signal mask.  One syscall."""
        return [(e.data, e.events) for e in _syscalls.epoll_pwait2(self._fd, _maxevents(maxevents), timeout, sigmask)]
