"""Constants by their C names, with values from the compiled headers, and enums grouping them.

Every integer constant the build found in the headers (see csrc/constants.py) is a module attribute.
Those of a group are members of that group's enum (IntEnum or IntFlag, members keep their C names), like
the standard library's socket.AddressFamily; the others are plain ints.  Where two names share a value,
the first of them in C-header order that strace also uses is the member's canonical name.
"""

from __future__ import annotations

import operator
from enum import IntEnum, IntFlag
from typing import TYPE_CHECKING, Any, Callable, TypeVar, cast

from ._binding import lib

_E = TypeVar("_E", IntEnum, IntFlag)

#: names demoted behind an alias of the same value, so the canonical name is the one strace prints
_DEMOTED = {"AF_FILE", "AF_LOCAL", "ENOTSUP", "EDEADLOCK", "EWOULDBLOCK", "MSG_TRYHARD", "IPPROTO_HOPOPTS"}
_SOCK_FLAGS = {"SOCK_NONBLOCK", "SOCK_CLOEXEC"}
#: socket(2)'s types; other SOCK_* macros (SOCK_SNDBUF_LOCK, SOCK_IOC_TYPE, ...) are plain ints
_SOCK_TYPES = {"SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "SOCK_RDM", "SOCK_SEQPACKET", "SOCK_DCCP", "SOCK_PACKET"}

_values: dict[str, int] = {n: getattr(lib, n) for n in dir(lib) if n.isupper() and not n.startswith("RS_")}


def _ordered(names: list[str]) -> list[str]:
    return sorted(names, key=lambda n: (n in _DEMOTED, n))


def _group(kind: Any, name: str, accept: Callable[[str], bool]) -> Any:
    """An enum of every constant whose name ``accept`` takes, members in canonical-name order."""
    members = [(n, _values[n]) for n in _ordered([n for n in _values if accept(n)])]
    return kind(name, members, module="rawsock")


AddressFamily: type[IntEnum] = _group(IntEnum, "AddressFamily", lambda n: n.startswith("AF_"))
SocketType: type[IntEnum] = _group(IntEnum, "SocketType", lambda n: n in _SOCK_TYPES)
SocketFlag: type[IntFlag] = _group(IntFlag, "SocketFlag", lambda n: n in _SOCK_FLAGS)
MsgFlag: type[IntFlag] = _group(IntFlag, "MsgFlag", lambda n: n.startswith("MSG_"))
ShutdownHow: type[IntEnum] = _group(IntEnum, "ShutdownHow", lambda n: n.startswith("SHUT_"))
SocketLevel: type[IntEnum] = _group(IntEnum, "SocketLevel", lambda n: n.startswith("SOL_"))
IPProtocol: type[IntEnum] = _group(IntEnum, "IPProtocol", lambda n: n.startswith("IPPROTO_"))
PollFlag: type[IntFlag] = _group(IntFlag, "PollFlag", lambda n: n.startswith("POLL"))
Errno: type[IntEnum] = _group(IntEnum, "Errno", lambda n: n[0] == "E" and n[1:].isalnum())

ENUMS: tuple[type[IntEnum] | type[IntFlag], ...] = (
    AddressFamily, SocketType, SocketFlag, MsgFlag, ShutdownHow, SocketLevel, IPProtocol, PollFlag, Errno
)

#: every constant by name: the enum member where the name is in a group, else the plain int
CONSTANTS: dict[str, int] = dict(_values)
for _enum in ENUMS:
    for _name, _member in _enum.__members__.items():
        CONSTANTS[_name] = _member
globals().update(CONSTANTS)

_errno_names: dict[int, str] = {int(m): m.name for m in Errno}


def errno_name(err: int | None) -> str:
    """The symbolic name of an errno value (errno(3): ``EAGAIN`` for 11), as strace prints it, or ``E?<n>``.
    No syscall."""
    if err is None:
        return "E?"
    return _errno_names.get(err) or f"E?{err}"


def to_enum(enum: type[_E], value: int) -> _E | int:
    """The enum member for a value the kernel returned, or the plain int if the enum has none."""
    try:
        return enum(value)
    except ValueError:
        return value


def index(value: object) -> int:
    """``operator.index`` of any object: an int, or TypeError for an object that is not one."""
    return operator.index(cast("SupportsIndex", value))


if TYPE_CHECKING:
    from typing import SupportsIndex
