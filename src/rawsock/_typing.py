"""``typing.NamedTuple`` at run time, without importing ``typing``.

``import typing`` (with the ``re``, ``contextlib`` and ``functools`` it loads) costs about as much as all of
``import socket``, so no module of rawsock imports it at run time.  Type checkers see the real names: a
module writes ::

    TYPE_CHECKING = False
    if TYPE_CHECKING:
        from typing import NamedTuple
    else:
        from ._typing import NamedTuple

Type aliases and overloads are written under ``if TYPE_CHECKING:`` too; the public aliases (``rawsock.Address``
...) are built at run time with ``|`` (3.10+), or with ``typing.Union`` on 3.9, where ``typing`` is then
imported.
"""

from __future__ import annotations

import collections

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["NamedTuple"]

_namedtuple: Any = collections.namedtuple  # (called with names known only at run time)

#: attributes a NamedTuple's class body may not set (typing._prohibited), and those it does not copy
_PROHIBITED = frozenset({"__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults",
                         "_make", "_replace", "_asdict", "_source"})
_SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})


class _NamedTupleMeta(type):
    """typing.NamedTupleMeta, less Generic support: the class a ``class X(NamedTuple):`` body makes is
    ``collections.namedtuple(X, fields, defaults=...)`` with the body's annotations, methods and docstring."""

    def __new__(mcs, typename: str, bases: tuple[type, ...], ns: dict[str, Any]) -> Any:
        if bases != (NamedTuple,):
            raise TypeError("can only inherit from a NamedTuple type")
        annotations: dict[str, Any] = ns.get("__annotations__", {})
        defaults: list[str] = []
        for field in annotations:
            if field in ns:
                defaults.append(field)
            elif defaults:
                raise TypeError(f"Non-default namedtuple field {field} cannot follow default field "
                                f"{', '.join(defaults)}")
        cls = _namedtuple(typename, list(annotations), defaults=[ns[f] for f in defaults], module=ns["__module__"])
        cls.__annotations__ = cls.__new__.__annotations__ = dict(annotations)
        for key, value in ns.items():
            if key in _PROHIBITED:
                raise AttributeError("Cannot overwrite NamedTuple attribute " + key)
            if key not in _SPECIAL and key not in cls._fields:
                setattr(cls, key, value)
        return cls


NamedTuple = type.__new__(_NamedTupleMeta, "NamedTuple", (), {})

