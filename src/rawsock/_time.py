"""``struct timeval`` and ``struct timespec`` as named tuples, with conversions to and from float seconds.

Values are passed to the kernel as given: a negative or out-of-range field reaches it (and gets its EINVAL).
The bytes the kernel gets are its own structs for the syscalls rawsock issues (``struct rs_ktv``/``rs_kts``
in csrc/sys_select.py: two C longs).
"""

from __future__ import annotations

import math
import struct

from ._binding import ffi

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple, Union
else:
    from ._typing import NamedTuple

__all__ = ["Timespec", "Timeval", "decode", "encode"]

_PAIR = struct.Struct("@ll")
assert _PAIR.size == ffi.sizeof("struct rs_ktv") == ffi.sizeof("struct rs_kts")


def _split(seconds: float, per_second: int) -> tuple[int, int]:
    whole = math.floor(seconds)
    frac = round((seconds - whole) * per_second)
    if frac >= per_second:
        whole, frac = whole + 1, frac - per_second
    return int(whole), int(frac)


class Timeval(NamedTuple):
    """``struct timeval`` (select(2), SO_RCVTIMEO/SO_SNDTIMEO in socket(7)): seconds and microseconds."""

    sec: int
    usec: int

    @classmethod
    def from_seconds(cls, seconds: float) -> Timeval:
        """The timeval for a number of seconds (floor seconds, rounded microseconds)."""
        return cls(*_split(seconds, 1_000_000))

    def to_seconds(self) -> float:
        return self.sec + self.usec / 1_000_000


class Timespec(NamedTuple):
    """``struct timespec`` (pselect(2), ppoll(2)): seconds and nanoseconds."""

    sec: int
    nsec: int

    @classmethod
    def from_seconds(cls, seconds: float) -> Timespec:
        """The timespec for a number of seconds (floor seconds, rounded nanoseconds)."""
        return cls(*_split(seconds, 1_000_000_000))

    def to_seconds(self) -> float:
        return self.sec + self.nsec / 1_000_000_000


if TYPE_CHECKING:
    TimevalLike = Union[Timeval, float, int]
    TimespecLike = Union[Timespec, float, int]
_TYPES: dict[str, type[Timeval] | type[Timespec]] = {"timeval": Timeval, "timespec": Timespec}


def pack(value: tuple[int, int]) -> bytes:
    """The kernel's two C longs, OverflowError when a field does not fit one."""
    sec, frac = value
    for field in (sec, frac):
        if not isinstance(field, int):
            raise TypeError(f"a time's fields must be ints, not {type(field).__name__}")
    try:
        return _PAIR.pack(sec, frac)
    except struct.error:
        raise OverflowError(f"{value!r} does not fit the kernel's two C longs") from None


def encode(kind: str, value: object) -> bytes | None:
    """The kernel's struct for a timeout parameter: seconds (int or float), a Timeval/Timespec, or None
    (NULL)."""
    if value is None:
        return None
    cls = _TYPES[kind]
    if isinstance(value, (Timeval, Timespec)):
        if not isinstance(value, cls):
            raise TypeError(f"expected a {cls.__name__} or seconds, not a {type(value).__name__}")
        return pack(value)
    if isinstance(value, (int, float)):
        return pack(cls.from_seconds(value))
    raise TypeError(f"a timeout is seconds, a {cls.__name__} or None, not {type(value).__name__}")


def decode(kind: str, raw: bytes | None) -> Timeval | Timespec | None:
    """The Timeval/Timespec in the kernel's struct (None for NULL)."""
    if raw is None:
        return None
    return _TYPES[kind](*_PAIR.unpack(raw))
