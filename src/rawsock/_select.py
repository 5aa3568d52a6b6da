"""select(2), pselect(2), poll(2), ppoll(2) and ``Poller``: the result types and the codecs the call engine
uses for them (the calls themselves are in rawsock._syscalls).

select and pselect size their fd bitmaps to nfds (or the highest fd + 1), so descriptors at or above
FD_SETSIZE (1024) work: the kernel reads nfds bits, whatever glibc's fd_set says.  A signal arriving during
any of these calls runs its Python handler, then raises InterruptedError; nothing retries.
"""

from __future__ import annotations

from . import _syscalls
from ._binding import ffi, lib
from ._constants import index
from ._time import Timespec, Timeval

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import NamedTuple, Protocol, Union

    from ._time import TimespecLike
else:
    from ._typing import NamedTuple

__all__ = ["PollFd", "Poller", "SelectResult", "finish_pselect", "finish_select", "sigset"]

_DEFAULT_EVENTS: int = lib.POLLIN | lib.POLLPRI | lib.POLLOUT
_SIGSETSIZE: int = lib.RS_SIGSETSIZE


if TYPE_CHECKING:
    class _HasFileno(Protocol):
        def fileno(self) -> int: ...

    FileDescriptorLike = Union[int, _HasFileno]


def _fileno(obj: FileDescriptorLike) -> int:
    """An int (or an object with __index__), else the object's fileno(): the order select's entries are read in."""
    try:
        return index(obj)
    except TypeError:
        pass
    if hasattr(obj, "fileno"):
        return index(obj.fileno())
    raise TypeError(f"fd must be an int or have a fileno() method, not {type(obj).__name__}")


def _events(events: int) -> int:
    try:
        return index(events)
    except TypeError:
        raise TypeError(f"events must be an int (POLLIN, ...), not {type(events).__name__}") from None


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


if TYPE_CHECKING:
    _Sets = tuple[list[FileDescriptorLike], list[FileDescriptorLike], list[FileDescriptorLike]]
    _Times = tuple[Union[Timeval, Timespec, None], Union[Timeval, Timespec, None]]


def finish_select(result: tuple[int, _Sets, _Times]) -> SelectResult:
    """select's result: the timeout as the kernel left it."""
    nready, (readable, writable, exceptional), (_given, left) = result
    return SelectResult(readable, writable, exceptional, left, nready)


def finish_pselect(result: tuple[int, _Sets, _Times]) -> SelectResult:
    """pselect's result: the timeout as given (the kernel wrote into rawsock's copy, as into glibc's)."""
    nready, (readable, writable, exceptional), (given, _left) = result
    return SelectResult(readable, writable, exceptional, given, nready)


def sigset(signals: Iterable[int] | None) -> bytes | None:
    """The kernel's signal set for the signals given (sigemptyset(3), sigaddset(3): no syscalls); None for
    None.  A signal sigaddset refuses (0, 32, 33, 65, ...) raises its EINVAL, named sigaddset."""
    if signals is None:
        return None
    mask = ffi.new("sigset_t *")
    lib.sigemptyset(mask)
    for sig in signals:
        if lib.sigaddset(mask, sig) < 0:
            from ._errors import error

            raise error(-ffi.errno, "sigaddset")
    return bytes(ffi.buffer(mask))[:_SIGSETSIZE]


class PollFd(NamedTuple):
    """One ``struct pollfd`` entry: the fd (negative: ignored by the kernel) and the events asked for."""

    fd: int
    events: int


class Poller:
    """A reusable set of registrations, like the standard library's ``select.poll``.  No syscall until
    poll/ppoll, and those make one each, never retried.  Each call hands the kernel a pollfd array built
    from a snapshot of the registrations, taken by the first call after they changed (the engine reuses
    the array while the snapshot is the same)."""

    def __init__(self) -> None:
        """An empty set of poll(2) registrations.  No syscall."""
        self._events: dict[int, int] = {}
        self._snapshot: tuple[tuple[int, int], ...] | None = ()

    def _changed(self) -> None:
        self._snapshot = None

    def _pairs(self) -> tuple[tuple[int, int], ...]:
        """The registrations as (fd, events) pairs: the snapshot, taken again if they changed since."""
        pairs = self._snapshot
        if pairs is None:
            pairs = self._snapshot = tuple(self._events.items())
        return pairs

    def register(self, fd: FileDescriptorLike, events: int = _DEFAULT_EVENTS) -> None:
        """Watch ``fd`` for poll(2) ``events`` (default POLLIN | POLLPRI | POLLOUT, as select.poll);
        re-registering replaces the events.  No syscall."""
        self._events[_fileno(fd)] = _events(events)
        self._changed()

    def modify(self, fd: FileDescriptorLike, events: int) -> None:
        """Change a registered fd's poll(2) events (KeyError if it is not registered).  No syscall."""
        key = _fileno(fd)
        if key not in self._events:
            raise KeyError(key)
        self._events[key] = _events(events)
        self._changed()

    def unregister(self, fd: FileDescriptorLike) -> None:
        """Stop watching ``fd`` in poll(2) (KeyError if it is not registered).  No syscall."""
        del self._events[_fileno(fd)]
        self._changed()

    def __len__(self) -> int:
        return len(self._events)

    def poll(self, timeout_ms: float | None = None) -> list[tuple[int, int]]:
        """poll(2) on the registered fds: the marked ``(fd, revents)`` pairs in registration order.
        One syscall."""
        return _syscalls.poll(self._pairs(), timeout_ms)

    def ppoll(self, timeout: TimespecLike | None = None, sigmask: Iterable[int] | None = None) -> list[tuple[int, int]]:
        """ppoll(2) on the registered fds, with a timespec timeout and a signal mask for the call.
        One syscall."""
        return _syscalls.ppoll(self._pairs(), timeout, sigmask)
