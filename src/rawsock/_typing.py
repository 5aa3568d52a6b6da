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
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable

__all__ = ["NamedTuple", "namedtuple"]

_namedtuple: Any = collections.namedtuple  # (called with names known only at run time)
_tuplegetter: Any = getattr(collections, "_tuplegetter", None)
_tuple_new = tuple.__new__
_FunctionType: Any = type(lambda: None)


# ``__new__`` of an n-field namedtuple, for n up to 10: collections.namedtuple compiles the same function from
# source with eval() for every class (about half of its cost; rawsock makes about fifty such classes at import).
# Here the code object of the matching template gets the field names as its variable names instead.
def _new0(_cls: Any) -> Any:
    return _tuple_new(_cls, ())


def _new1(_cls: Any, a0: Any) -> Any:
    return _tuple_new(_cls, (a0,))


def _new2(_cls: Any, a0: Any, a1: Any) -> Any:
    return _tuple_new(_cls, (a0, a1))


def _new3(_cls: Any, a0: Any, a1: Any, a2: Any) -> Any:
    return _tuple_new(_cls, (a0, a1, a2))


def _new4(_cls: Any, a0: Any, a1: Any, a2: Any, a3: Any) -> Any:
    return _tuple_new(_cls, (a0, a1, a2, a3))


def _new5(_cls: Any, a0: Any, a1: Any, a2: Any, a3: Any, a4: Any) -> Any:
    return _tuple_new(_cls, (a0, a1, a2, a3, a4))


def _new6(_cls: Any, a0: Any, a1: Any, a2: Any, a3: Any, a4: Any, a5: Any) -> Any:
    return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5))


def _new7(_cls: Any, a0: Any, a1: Any, a2: Any, a3: Any, a4: Any, a5: Any, a6: Any) -> Any:
    return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6))


def _new8(_cls: Any, a0: Any, a1: Any, a2: Any, a3: Any, a4: Any, a5: Any, a6: Any, a7: Any) -> Any:
    return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7))


def _new9(_cls: Any, a0: Any, a1: Any, a2: Any, a3: Any, a4: Any, a5: Any, a6: Any, a7: Any, a8: Any) -> Any:
    return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7, a8))


def _new10(_cls: Any, a0: Any, a1: Any, a2: Any, a3: Any, a4: Any, a5: Any, a6: Any, a7: Any, a8: Any, a9: Any) -> Any:
    return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9))


_NEW: tuple[Callable[..., Any], ...] = (_new0, _new1, _new2, _new3, _new4, _new5, _new6, _new7, _new8, _new9,
                                        _new10)


#: the Pythons whose collections.namedtuple this one was compared with, line by line (3.9 to 3.13); on any other,
#: collections.namedtuple itself makes the classes
_KNOWN = (3, 9) <= sys.version_info[:2] <= (3, 13)
_MATCH_ARGS = sys.version_info >= (3, 10)   # collections has __match_args__ from 3.10
_REPLACE_DUNDER = sys.version_info >= (3, 13)   # __replace__ (copy.replace), and _replace's TypeError, from 3.13


def namedtuple(typename: str, field_names: list[str], *, defaults: list[Any] | tuple[Any, ...] = (),
               module: str) -> Any:
    """``collections.namedtuple(typename, field_names, defaults=defaults, module=module)``: the same class, with the
    same attributes, methods, names, docstrings, signatures and errors as this Python's collections makes, made
    without eval() (the methods are defined here: their ``__module__`` and source are this module's).  Names
    collections.namedtuple would refuse or rename, more than 10 fields, and a Python this was not compared with
    go to collections.namedtuple itself."""
    names = tuple(field_names)
    n = len(names)
    if (not _KNOWN or n >= len(_NEW) or _tuplegetter is None or len(set(names)) != n
            or not all(isinstance(f, str) and f.isidentifier() and not f.startswith("_") and f not in _KEYWORDS
                       for f in (typename, *names))):
        return _namedtuple(typename, list(names), defaults=list(defaults), module=module)
    defaults = tuple(defaults)
    if len(defaults) > n:
        raise TypeError("Got more default values than field names")
    field_defaults = dict(zip(names[n - len(defaults):], defaults)) if defaults else {}
    arg_list = ", ".join(names) + ("," if n == 1 else "")
    template: Any = _NEW[n].__code__
    code = template.replace(co_varnames=("_cls", *names, *template.co_varnames[n + 1:]), co_name="__new__",
                            **({"co_qualname": f"{typename}.__new__"} if hasattr(template, "co_qualname") else {}))
    __new__ = _FunctionType(code, {"_tuple_new": _tuple_new, "__builtins__": {}, "__name__": f"namedtuple_{typename}"},
                            "__new__", defaults)
    __new__.__doc__ = f"Create new instance of {typename}({arg_list})"
    repr_fmt = "(" + ", ".join(f"{name}=%r" for name in names) + ")"

    def _make(cls: Any, iterable: Any) -> Any:
        result = _tuple_new(cls, iterable)
        if len(result) != n:
            raise TypeError(f"Expected {n} arguments, got {len(result)}")
        return result

    _make.__doc__ = f"Make a new {typename} object from a sequence or iterable"

    def _replace(self: Any, /, **kwds: Any) -> Any:
        result = self._make(map(kwds.pop, names, self))
        if kwds:
            raise _REPLACE_ERROR(f"Got unexpected field names: {list(kwds)!r}")
        return result

    _replace.__doc__ = f"Return a new {typename} object replacing specified fields with new values"

    def __repr__(self: Any) -> str:
        "Return a nicely formatted representation string"
        return str(self.__class__.__name__ + repr_fmt % self)

    def _asdict(self: Any) -> dict[str, Any]:
        "Return a new dict which maps field names to their values."
        return dict(zip(self._fields, self))

    def __getnewargs__(self: Any) -> tuple[Any, ...]:
        "Return self as a plain tuple.  Used by copy and pickle."
        return tuple(self)

    for method in (__new__, _make, _replace, __repr__, _asdict, __getnewargs__):
        method.__qualname__ = f"{typename}.{method.__name__}"
        method.__annotations__ = {}  # (collections' have none: these are written with annotations for mypy)
    ns: dict[str, Any] = {
        "__doc__": f"{typename}({arg_list})", "__slots__": (), "_fields": names, "_field_defaults": field_defaults,
        "__new__": __new__, "_make": classmethod(_make), "_replace": _replace, "__repr__": __repr__,
        "_asdict": _asdict, "__getnewargs__": __getnewargs__,
    }
    if _REPLACE_DUNDER:
        ns["__replace__"] = _replace
    if _MATCH_ARGS:
        ns["__match_args__"] = names
    for index, name in enumerate(names):
        ns[name] = _tuplegetter(index, _FIELD_DOCS[index] if index < len(_FIELD_DOCS)
                                else sys.intern(f"Alias for field number {index}"))
    cls = type(typename, (tuple,), ns)
    cls.__module__ = module
    return cls


_REPLACE_ERROR: type[Exception] = TypeError if _REPLACE_DUNDER else ValueError
_FIELD_DOCS = tuple(sys.intern(f"Alias for field number {i}") for i in range(len(_NEW)))
_KEYWORDS = frozenset({
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
    "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
})

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
        cls = namedtuple(typename, list(annotations), defaults=[ns[f] for f in defaults], module=ns["__module__"])
        cls.__annotations__ = cls.__new__.__annotations__ = dict(annotations)
        for key, value in ns.items():  # set after the class is made, as typing.NamedTuple sets them
            if key in _PROHIBITED:
                raise AttributeError("Cannot overwrite NamedTuple attribute " + key)
            if key not in _SPECIAL and key not in cls._fields:
                setattr(cls, key, value)
        return cls


NamedTuple = type.__new__(_NamedTupleMeta, "NamedTuple", (), {})

