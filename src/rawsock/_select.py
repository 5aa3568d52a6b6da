"""select(2), pselect(2), poll(2), ppoll(2) and ``Poller``: one syscall per call, never retried on EINTR.

select and pselect size their fd bitmaps to nfds (or the highest fd + 1), so descriptors at or above
FD_SETSIZE (1024) work: the kernel reads nfds bits, whatever glibc's fd_set says.  A signal arriving during
any of these calls raises InterruptedError after Python's handler is scheduled; nothing retries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol, TypeVar, Union

from ._binding import ffi, lib
from ._errors import error
from ._time import Timespec, TimespecLike, Timeval, TimevalLike, timespec, timeval

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["PollFd", "Poller", "SelectResult", "poll", "ppoll", "pselect", "select", "sigset"]

_rs_select = lib.rs_select
_rs_pselect = lib.rs_pselect
_rs_poll = lib.rs_poll
_rs_ppoll = lib.rs_ppoll

_BITS: int = 8 * ffi.sizeof("unsigned long")
_ULONGS = ffi.typeof("unsigned long[]")
_POLLFDS = ffi.typeof("struct pollfd[]")
_INTS = ffi.typeof("int[]")
_unpack = ffi.unpack
_DEFAULT_EVENTS: int = lib.POLLIN | lib.POLLPRI | lib.POLLOUT
_TIMESPEC = ffi.typeof("struct timespec *")


def _new_timespec() -> object:
    """The kernel's copy of a pselect/ppoll timeout (what glibc keeps private; a tracer reads it)."""
    return ffi.new(_TIMESPEC)


class _HasFileno(Protocol):
    def fileno(self) -> int: ...


FileDescriptorLike = Union[int, _HasFileno]
_T = TypeVar("_T", bound=FileDescriptorLike)


def _fileno(obj: FileDescriptorLike) -> int:
    return obj if isinstance(obj, int) else obj.fileno()


class SelectResult:
    """What select/pselect left: the fds whose bits the kernel left set, in the order given, and the timeout
    struct as it is after the call (Linux's select writes the remaining time back; glibc's pselect does not).
    Unpacks like the standard library's ``(readable, writable, exceptional)``; ``nready`` is the kernel's
    return value."""

    __slots__ = ("exceptional", "nready", "readable", "timeout", "writable")

    def __init__(self, readable: list[FileDescriptorLike], writable: list[FileDescriptorLike],
                 exceptional: list[FileDescriptorLike], timeout: Timeval | Timespec | None, nready: int) -> None:
        self.readable, self.writable, self.exceptional = readable, writable, exceptional
        self.timeout, self.nready = timeout, nready

    def __iter__(self) -> Iterator[list[FileDescriptorLike]]:
        return iter((self.readable, self.writable, self.exceptional))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SelectResult):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (f"SelectResult(readable={self.readable!r}, writable={self.writable!r}, "
                f"exceptional={self.exceptional!r}, timeout={self.timeout!r}, nready={self.nready!r})")


def sigset(signals: Iterable[int] | None) -> object:
    """A ``sigset_t *`` holding the given signals (sigemptyset(3), sigaddset(3); no syscalls); NULL for None."""
    if signals is None:
        return ffi.NULL
    mask = ffi.new("sigset_t *")
    lib.sigemptyset(mask)
    for sig in signals:
        if lib.sigaddset(mask, sig) < 0:
            raise error(-ffi.errno, "sigaddset")
    return mask


class _FdSets:
    """The three bitmaps, sized to cover nfds and every fd given."""

    def __init__(self, lists: tuple[Sequence[FileDescriptorLike] | None, ...], nfds: int | None) -> None:
        self.lists = lists
        self.fds = [None if fds is None else [_fileno(f) for f in fds] for fds in lists]
        top = max([fd for fds in self.fds if fds for fd in fds], default=-1) + 1
        self.nfds = top if nfds is None else nfds
        words = (max(top, self.nfds) + _BITS - 1) // _BITS
        self.arrays = []
        for fds in self.fds:
            if fds is None:
                self.arrays.append(ffi.NULL)
                continue
            arr = ffi.new(_ULONGS, words)
            for fd in fds:
                if fd < 0:
                    raise ValueError(f"fd {fd} cannot be put in an fd set (FD_SET on it corrupts memory in C)")
                arr[fd // _BITS] |= 1 << (fd % _BITS)
            self.arrays.append(arr)

    def left_set(self) -> list[list[FileDescriptorLike]]:
        out: list[list[FileDescriptorLike]] = []
        for given, fds, arr in zip(self.lists, self.fds, self.arrays):
            if fds is None or given is None:
                out.append([])
                continue
            out.append([obj for obj, fd in zip(given, fds) if arr[fd // _BITS] >> (fd % _BITS) & 1])
        return out


def select(
    rlist: Sequence[FileDescriptorLike] | None,
    wlist: Sequence[FileDescriptorLike] | None,
    xlist: Sequence[FileDescriptorLike] | None,
    timeout: TimevalLike | None = None,
    *,
    nfds: int | None = None,
) -> SelectResult:
    """select(2).  One syscall: ``select`` itself where the architecture has it (x86-64 does; glibc's own
    select() would issue pselect6 there), else glibc's select().

    The lists hold fds (ints or objects with ``fileno()``); None passes a NULL set.  ``timeout`` is seconds,
    a :class:`Timeval`, or None (NULL: block).  ``nfds`` defaults to the highest fd + 1; any value (0, too
    small, negative) goes to the kernel as given, the bitmaps being sized so the kernel never reads past them.
    The result's ``timeout`` is the timeval after the call: Linux writes the time not slept back into it.
    """
    sets = _FdSets((rlist, wlist, xlist), nfds)
    tv = timeval(timeout)
    r: int = _rs_select(sets.nfds, *sets.arrays, tv)
    if r < 0:
        raise error(r, "select")
    readable, writable, exceptional = sets.left_set()
    after = None if tv == ffi.NULL else Timeval(tv.tv_sec, tv.tv_usec)  # type: ignore[attr-defined]
    return SelectResult(readable, writable, exceptional, after, r)


def pselect(
    rlist: Sequence[FileDescriptorLike] | None,
    wlist: Sequence[FileDescriptorLike] | None,
    xlist: Sequence[FileDescriptorLike] | None,
    timeout: TimespecLike | None = None,
    sigmask: Iterable[int] | None = None,
    *,
    nfds: int | None = None,
) -> SelectResult:
    """pselect(2): one pselect6 syscall, made exactly as glibc's pselect() makes it.

    ``sigmask`` (signal numbers) is installed atomically as the whole mask for the duration of the call: an
    empty iterable unblocks every signal, None (NULL) leaves the mask alone.  The pselect6 syscall writes
    the remaining time back like select, but glibc's wrapper passes the kernel a copy, so the result's
    ``timeout`` is always the value given (POSIX's pselect never modifies it).
    """
    sets = _FdSets((rlist, wlist, xlist), nfds)
    ts = timespec(timeout)
    r: int = _rs_pselect(sets.nfds, *sets.arrays, ts, sigset(sigmask), _new_timespec())
    if r < 0:
        raise error(r, "pselect")
    readable, writable, exceptional = sets.left_set()
    after = None if ts == ffi.NULL else Timespec(ts.tv_sec, ts.tv_nsec)  # type: ignore[attr-defined]
    return SelectResult(readable, writable, exceptional, after, r)


class PollFd(NamedTuple):
    """One ``struct pollfd`` entry: the fd (negative: ignored by the kernel) and the events asked for."""

    fd: int
    events: int


def _pairs(out: object, r: int) -> list[tuple[int, int]]:
    vals: list[int] = _unpack(out, 2 * r)
    return list(zip(vals[::2], vals[1::2]))


def poll(fds: Sequence[tuple[int, int]], timeout_ms: int | None) -> list[tuple[int, int]]:
    """poll(2): the ``(fd, revents)`` pairs the kernel marked, in the order given (POLLNVAL included).
    One syscall.  ``timeout_ms`` None is -1 (block); any int goes to the kernel as given."""
    n = len(fds)
    array = ffi.new(_POLLFDS, fds)
    out = ffi.new(_INTS, 2 * n)
    r: int = _rs_poll(array, n, -1 if timeout_ms is None else timeout_ms, out)
    if r < 0:
        raise error(r, "poll")
    return _pairs(out, r)


def ppoll(
    fds: Sequence[tuple[int, int]], timeout: TimespecLike | None = None, sigmask: Iterable[int] | None = None
) -> list[tuple[int, int]]:
    """ppoll(2): poll with a :class:`Timespec` (or seconds; None blocks) and a signal mask installed
    atomically for the call.  One ppoll syscall, made as glibc makes it (the kernel gets a copy of the
    timeout, so the remaining time is not written back).  A negative timespec reaches the kernel (EINVAL)."""
    n = len(fds)
    array = ffi.new(_POLLFDS, fds)
    out = ffi.new(_INTS, 2 * n)
    r: int = _rs_ppoll(array, n, timespec(timeout), sigset(sigmask), out, _new_timespec())
    if r < 0:
        raise error(r, "ppoll")
    return _pairs(out, r)


class Poller:
    """A reusable set of registrations, like the standard library's ``select.poll``, whose pollfd array stays
    in C memory between calls (rebuilt only after register/modify/unregister).  No syscall until poll/ppoll,
    and those make one each, never retried."""

    def __init__(self) -> None:
        """An empty set of poll(2) registrations.  No syscall."""
        self._events: dict[int, int] = {}
        self._array: object = None
        self._out: object = None

    def register(self, fd: FileDescriptorLike, events: int = _DEFAULT_EVENTS) -> None:
        """Watch ``fd`` for poll(2) ``events`` (default POLLIN | POLLPRI | POLLOUT, as select.poll);
        re-registering replaces the events.  No syscall."""
        self._events[_fileno(fd)] = events
        self._array = None

    def modify(self, fd: FileDescriptorLike, events: int) -> None:
        """Change a registered fd's poll(2) events (KeyError if it is not registered).  No syscall."""
        key = _fileno(fd)
        if key not in self._events:
            raise KeyError(key)
        self._events[key] = events
        self._array = None

    def unregister(self, fd: FileDescriptorLike) -> None:
        """Stop watching ``fd`` in poll(2) (KeyError if it is not registered).  No syscall."""
        del self._events[_fileno(fd)]
        self._array = None

    def __len__(self) -> int:
        return len(self._events)

    def _arrays(self) -> tuple[object, object]:
        if self._array is None:
            self._array = ffi.new(_POLLFDS, list(self._events.items()))
            self._out = ffi.new(_INTS, 2 * len(self._events))
        return self._array, self._out

    def poll(self, timeout_ms: int | None = None) -> list[tuple[int, int]]:
        """poll(2) on the registered fds: the marked ``(fd, revents)`` pairs in registration order.
        One syscall."""
        array, out = self._arrays()
        r: int = _rs_poll(array, len(self._events), -1 if timeout_ms is None else timeout_ms, out)
        if r < 0:
            raise error(r, "poll")
        return _pairs(out, r)

    def ppoll(self, timeout: TimespecLike | None = None, sigmask: Iterable[int] | None = None) -> list[tuple[int, int]]:
        """ppoll(2) on the registered fds, with a timespec timeout and a signal mask for the call.
        One syscall."""
        array, out = self._arrays()
        r: int = _rs_ppoll(array, len(self._events), timespec(timeout), sigset(sigmask), out, _new_timespec())
        if r < 0:
            raise error(r, "ppoll")
        return _pairs(out, r)
