"""``struct timeval`` and ``struct timespec`` as named tuples, with conversions to and from float seconds.

Values are passed to the kernel as given: a negative or out-of-range field reaches it (and gets its EINVAL).
"""

from __future__ import annotations

import math
from typing import NamedTuple, Union

from ._binding import ffi

__all__ = ["Timespec", "Timeval"]


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

    def _cdata(self) -> object:
        return ffi.new("struct timeval *", self)


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

    def _cdata(self) -> object:
        return ffi.new("struct timespec *", self)


TimevalLike = Union[Timeval, float, int]
TimespecLike = Union[Timespec, float, int]


def timeval(value: TimevalLike | None) -> object:
    """A ``struct timeval *`` for the kernel (NULL for None)."""
    if value is None:
        return ffi.NULL
    return (value if isinstance(value, Timeval) else Timeval.from_seconds(value))._cdata()


def timespec(value: TimespecLike | None) -> object:
    """A ``struct timespec *`` for the kernel (NULL for None)."""
    if value is None:
        return ffi.NULL
    return (value if isinstance(value, Timespec) else Timespec.from_seconds(value))._cdata()
