"""Constants by their C names, with values from the compiled headers, and enums grouping them.

Every integer constant the build found in the headers (see csrc/constants.py) is a module attribute.
Those of a group are members of that group's enum (IntEnum or IntFlag, members keep their C names), like
the standard library's socket.AddressFamily; the others are plain ints.  Where two names share a value,
the member's canonical name is the one strace prints (the first by name, except the aliases
csrc/constants.py's DEMOTED puts after the others).
"""

from __future__ import annotations

import enum
import operator
import sys
from enum import IntEnum, IntFlag

from ._binding import lib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    _E = TypeVar("_E", IntEnum, IntFlag)

# The build lists every constant, with the enum it belongs to (csrc/constants.py: ENUMS, in this order, and
# which name of a value is canonical); one call of the extension fills these two tables.
#: every constant by name, as an int
_values: dict[str, int] = {}
#: each enum's name -> its members' (name, value), in canonical order (a later equal value: an alias)
_members: dict[str, list[tuple[str, int]]] = {}
if lib.rs_install_constants(__name__.encode()) != 0:  # pragma: no cover - the C side printed why
    raise ImportError("rawsock: reading the constants' table failed")
_KINDS: dict[str, type[IntEnum] | type[IntFlag]] = {
    "AddressFamily": IntEnum, "SocketType": IntEnum, "SocketFlag": IntFlag, "MsgFlag": IntFlag,
    "ShutdownHow": IntEnum, "SocketLevel": IntEnum, "IPProtocol": IntEnum, "PollFlag": IntFlag, "Errno": IntEnum,
}
assert list(_members) == list(_KINDS), (list(_members), list(_KINDS))

# enum's own fast constructor, which the standard library uses for its large enums (re.RegexFlag, ...):
# several times faster than the functional API for rawsock's ~300 members.  Where it is missing (3.9, 3.10)
# the functional API makes the same enum; tests/test_constants.py compares the two.
_simple_enum: Any = getattr(enum, "_simple_enum", None)


def make_enum(kind: type[IntEnum] | type[IntFlag], name: str, members: list[tuple[str, int]]) -> Any:
    """The enum ``name`` of ``kind`` with ``members`` in order (an equal value later: an alias), in module
    rawsock.  Exactly what ``kind(name, members, module="rawsock")`` makes."""
    if _simple_enum is None:  # pragma: no cover - Python 3.9 and 3.10
        functional: Any = kind
        return functional(name, members, module="rawsock")
    body: dict[str, Any] = dict(members)
    body["__module__"] = "rawsock"
    body["__qualname__"] = name
    cls = _Body(name, body) if _BODY_READ else type(name, (), body)
    if kind is IntFlag:
        return _simple_enum(IntFlag, boundary=enum.KEEP)(cls)
    return _simple_enum(kind)(cls)


#: the Pythons whose _simple_enum reads only the ``__name__`` and ``__dict__`` of the class it converts (3.11 to
#: 3.13, read line by line): a _Body stands in for the class there; elsewhere a throwaway class is made
_BODY_READ = (3, 11) <= sys.version_info[:2] <= (3, 13)


class _Body:
    """What ``_simple_enum`` reads of the class it converts, its ``__name__`` and ``__dict__``, without making
    that class (a throwaway type per enum, about a tenth of the enum's cost)."""

    __slots__ = ("__name__", "_body")

    def __init__(self, name: str, body: dict[str, Any]) -> None:
        self.__name__ = name
        self._body = body

    @property
    def __dict__(self) -> dict[str, Any]:  # type: ignore[override]
        return self._body


AddressFamily: type[IntEnum] = make_enum(IntEnum, "AddressFamily", _members["AddressFamily"])
SocketType: type[IntEnum] = make_enum(IntEnum, "SocketType", _members["SocketType"])
SocketFlag: type[IntFlag] = make_enum(IntFlag, "SocketFlag", _members["SocketFlag"])
MsgFlag: type[IntFlag] = make_enum(IntFlag, "MsgFlag", _members["MsgFlag"])
ShutdownHow: type[IntEnum] = make_enum(IntEnum, "ShutdownHow", _members["ShutdownHow"])
SocketLevel: type[IntEnum] = make_enum(IntEnum, "SocketLevel", _members["SocketLevel"])
IPProtocol: type[IntEnum] = make_enum(IntEnum, "IPProtocol", _members["IPProtocol"])
PollFlag: type[IntFlag] = make_enum(IntFlag, "PollFlag", _members["PollFlag"])
Errno: type[IntEnum] = make_enum(IntEnum, "Errno", _members["Errno"])

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
    return operator.index(value)  # type: ignore[arg-type]
