"""fcntl(2): each command rawsock knows, with the type of its argument, and the codec the call engine uses
for it; ``set_nonblocking``, the two-call idiom built on it.

- the int commands (F_DUPFD, F_SETFD, F_SETFL, F_SETOWN, F_SETSIG, F_SETLEASE, F_NOTIFY, F_SETPIPE_SZ,
  F_ADD_SEALS, ...) pass the int as the argument, and the getters (F_GETFD, F_GETFL, F_GETOWN, ...) ignore
  it; fcntl returns the kernel's return value;
- the lock commands (F_GETLK, F_SETLK, F_SETLKW, F_OFD_*) take a :class:`Flock` and return the struct the
  kernel left; F_GETOWN_EX/F_SETOWN_EX an :class:`FOwnerEx`; the read/write hint commands a 64-bit int;
- a command rawsock does not know takes 0 (passed as is), or bytes (copied) or a writable buffer (by
  address), as ioctl's unknown requests do.

Note that rawsock's F_GETOWN is the F_GETOWN the caller asked for: glibc's fcntl() issues F_GETOWN_EX
instead (to work around F_GETOWN's ambiguous negative process groups, see fcntl(2) BUGS).
"""

from __future__ import annotations

import struct

from . import _syscalls
from ._binding import ffi
from ._constants import CONSTANTS, index
from ._ioctl import raw_in, raw_out, unknown_raw_in, unknown_zero

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NamedTuple, Union
else:
    from ._typing import NamedTuple

__all__ = ["COMMANDS", "FOwnerEx", "Flock", "finish", "set_nonblocking", "value_in", "value_out"]


class Flock(NamedTuple):
    """``struct flock`` (fcntl(2)'s record locks): F_RDLCK/F_WRLCK/F_UNLCK, SEEK_*, start, length, and the pid
    the kernel reports for F_GETLK (0 otherwise; -1 for an open file description lock)."""

    type: int
    whence: int = 0
    start: int = 0
    len: int = 0
    pid: int = 0


class FOwnerEx(NamedTuple):
    """``struct f_owner_ex`` (F_GETOWN_EX, F_SETOWN_EX): F_OWNER_TID/F_OWNER_PID/F_OWNER_PGRP and the id."""

    type: int
    pid: int


# kind: int (the argument is the int itself), struct commands: flock, owner, u64 (a pointer to one)
_TABLE: list[tuple[str, str]] = [
    ("F_ADD_SEALS", "int"), ("F_DUPFD", "int"), ("F_DUPFD_CLOEXEC", "int"), ("F_GETFD", "int"), ("F_GETFL", "int"),
    ("F_GETLEASE", "int"), ("F_GETLK", "flock"), ("F_GETOWN", "int"), ("F_GETOWN_EX", "owner"),
    ("F_GETPIPE_SZ", "int"), ("F_GETSIG", "int"), ("F_GET_FILE_RW_HINT", "u64"), ("F_GET_RW_HINT", "u64"),
    ("F_GET_SEALS", "int"), ("F_NOTIFY", "int"), ("F_OFD_GETLK", "flock"), ("F_OFD_SETLK", "flock"),
    ("F_OFD_SETLKW", "flock"), ("F_SETFD", "int"), ("F_SETFL", "int"), ("F_SETLEASE", "int"), ("F_SETLK", "flock"),
    ("F_SETLKW", "flock"), ("F_SETOWN", "int"), ("F_SETOWN_EX", "owner"), ("F_SETPIPE_SZ", "int"),
    ("F_SETSIG", "int"), ("F_SET_FILE_RW_HINT", "u64"), ("F_SET_RW_HINT", "u64"),
]

#: command -> (C name, kind), for the commands this system's headers define
COMMANDS: dict[int, tuple[str, str]] = {}
for _name, _kind in _TABLE:
    if _name in CONSTANTS:
        COMMANDS.setdefault(CONSTANTS[_name], (_name, _kind))

if TYPE_CHECKING:
    FcntlArg = Union[int, Flock, FOwnerEx, bytes, bytearray, memoryview]
    FcntlResult = Union[int, Flock, FOwnerEx, bytes]

_CTYPES = {"flock": "struct flock", "owner": "struct f_owner_ex"}
_SIZES = {"flock": ffi.sizeof("struct flock"), "owner": ffi.sizeof("struct f_owner_ex"), "u64": 8}
_VALUE, _COPY = 0, 1


def value_in(args: tuple[int, ...], arg: object) -> tuple[int, object, int, tuple[str, int]]:
    """The engine's (mode, payload, size, token) for fcntl(fd, cmd, arg)."""
    command = COMMANDS.get(args[1])
    name, kind = command if command else ("this command", "")
    if kind == "int":  # the argument is the value itself, never an address
        try:
            return _VALUE, index(arg), 0, ("value", 0)
        except TypeError:
            raise TypeError(f"{name} takes an int, not {type(arg).__name__}") from None
    raw = raw_in(arg, _SIZES[kind], name) if command else unknown_raw_in(arg, args[1], name)
    if raw is not None:
        return raw
    if command is None:
        return unknown_zero(arg, f"fcntl command {args[1]}")
    if kind == "u64":
        value = index(arg)
        if not 0 <= value < 2**64:
            raise OverflowError(f"{name} takes a 64-bit unsigned int, not {value}")
        return _COPY, struct.pack("@Q", value), 8, ("u64", 0)
    expected = Flock if kind == "flock" else FOwnerEx
    if not isinstance(arg, expected):
        raise TypeError(f"{name} takes a {expected.__name__}, not {type(arg).__name__}")
    try:
        raw_struct = bytes(ffi.buffer(ffi.new(_CTYPES[kind] + " *", tuple(arg))))
    except OverflowError:
        raise OverflowError(f"{arg!r} does not fit {_CTYPES[kind]}") from None
    return _COPY, raw_struct, _SIZES[kind], (kind, 0)


def value_out(token: tuple[Any, ...], raw: bytes | None) -> object:
    """What fcntl returns for the memory the kernel left (None: the return value is the result)."""
    kind = token[0]
    if raw is None or kind in ("buffer", "raw", "into"):
        return raw_out(token, raw)
    if kind == "u64":
        return struct.unpack("@Q", raw[:8])[0]
    p = ffi.new(_CTYPES[kind] + " *")
    ffi.memmove(p, raw, _SIZES[kind])
    if kind == "flock":
        return Flock(p.l_type, p.l_whence, p.l_start, p.l_len, p.l_pid)
    return FOwnerEx(int(p.type), p.pid)


def finish(result: tuple[int, object]) -> FcntlResult:
    """fcntl's result: the command's struct as the kernel left it, or the kernel's return value."""
    ret, value = result
    return ret if value is None else value  # type: ignore[return-value]


def set_nonblocking(fd: int, on: bool = True) -> None:
    """Set or clear O_NONBLOCK: fcntl(2) F_GETFL, then F_SETFL with the flag changed.  Always exactly
    two syscalls, even when the flag already has the wanted value."""
    flags = _syscalls.fcntl(fd, CONSTANTS["F_GETFL"])
    assert isinstance(flags, int)
    nonblock = CONSTANTS["O_NONBLOCK"]
    _syscalls.fcntl(fd, CONSTANTS["F_SETFL"], flags | nonblock if on else flags & ~nonblock)
