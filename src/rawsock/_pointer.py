"""``rawsock.BADPTR`` and ``rawsock.NULL``: pointers passed to the kernel as they are, so that its own checks
answer (EFAULT for a pointer it cannot read or write, whatever a NULL means to that call).

Where a call takes a pointer (a data buffer, a sockaddr or its length, a socket pair's array, a timeout, a
signal mask, an fd_set, a pollfd array, an epoll_event), the parameter that supplies its memory also accepts
``BADPTR`` (the address of one page rawsock maps ``PROT_NONE`` when it is imported, which no call can read or
write) or ``NULL`` (address 0).  The lengths that go with such a pointer are then passed as given: nothing
rawsock owns is behind the pointer, so no length can make the kernel write past rawsock's memory.  No other
address can be given: an arbitrary one could point into the process's own memory.  No syscall is made here.
"""

from __future__ import annotations

from ._binding import lib

__all__ = ["BADPTR", "NULL", "IovPointer", "Pointer"]


class Pointer:
    """One of the two pointers rawsock hands the kernel as is: :data:`BADPTR` or :data:`NULL` (there are no
    others: ``Pointer`` cannot be instantiated)."""

    __slots__ = ("_address", "_name")
    _address: int
    _name: str

    def __new__(cls, *args: object) -> Pointer:
        raise TypeError("rawsock.Pointer cannot be instantiated: use rawsock.BADPTR or rawsock.NULL")

    @classmethod
    def _make(cls, name: str, address: int) -> Pointer:
        self = object.__new__(cls)
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_address", address)
        return self

    @property
    def address(self) -> int:
        """The address the kernel is given."""
        return self._address

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"rawsock.{self._name} is read-only")

    def __repr__(self) -> str:
        return f"rawsock.{self._name}"

    def __reduce__(self) -> str:
        return self._name  # pickled by name: rawsock.BADPTR or rawsock.NULL, this process's address

    def __bool__(self) -> bool:
        return self._address != 0


_page = int(lib.rs_badptr())
if _page == 0:  # pragma: no cover - mmap(2) refused one page
    raise ImportError("rawsock: mapping BADPTR's PROT_NONE page failed")
#: an address no call can read or write: one PROT_NONE page, mapped once when rawsock is imported
BADPTR: Pointer = Pointer._make("BADPTR", _page)
#: the null pointer
NULL: Pointer = Pointer._make("NULL", 0)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Union

    #: an iovec entry given as a pointer: the pointer alone (length 0), or (pointer, length)
    IovPointer = Union[Pointer, tuple[Pointer, int]]
