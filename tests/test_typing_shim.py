"""rawsock._typing.NamedTuple: typing.NamedTuple's class syntax without importing typing, the same classes."""

from __future__ import annotations

import typing

import pytest

from rawsock._typing import NamedTuple


def _pair(base: type) -> type:
    class Point(base):  # type: ignore[misc, valid-type]
        """A point."""

        x: int
        y: str
        z: float = 1.5

        def norm(self) -> float:
            return float(self.x) + self.z

        @property
        def both(self) -> tuple[int, str]:
            return (self.x, self.y)

    return Point


def test_the_class_is_the_one_typing_makes() -> None:
    ours, theirs = _pair(NamedTuple), _pair(typing.NamedTuple)
    assert ours.__bases__ == theirs.__bases__ == (tuple,)
    assert ours._fields == theirs._fields == ("x", "y", "z")
    assert ours._field_defaults == theirs._field_defaults == {"z": 1.5}
    assert list(ours.__annotations__) == list(theirs.__annotations__) == ["x", "y", "z"]
    assert ours.__doc__ == theirs.__doc__ == "A point."
    assert ours.__name__ == theirs.__name__ == "Point" and ours.__module__ == theirs.__module__ == __name__
    a, b = ours(1, "a"), theirs(1, "a")
    assert a == b == (1, "a", 1.5) and repr(a) == repr(b) == "Point(x=1, y='a', z=1.5)"
    assert a.norm() == b.norm() == 2.5 and a.both == b.both == (1, "a")
    assert a._replace(x=2) == (2, "a", 1.5) and a._asdict() == {"x": 1, "y": "a", "z": 1.5}
    assert ours(x=3, y="b", z=0.0) == (3, "b", 0.0)
    with pytest.raises(TypeError):
        ours(1)
    with pytest.raises(AttributeError):
        a.x = 5  # type: ignore[misc]


def test_the_same_errors_as_typing() -> None:
    for base in (NamedTuple, typing.NamedTuple):
        with pytest.raises(TypeError, match="Non-default namedtuple field y cannot follow default field"):
            class Bad(base):  # type: ignore[misc, valid-type]
                x: int = 0
                y: int
        with pytest.raises(AttributeError, match="Cannot overwrite NamedTuple attribute _fields"):
            class Worse(base):  # type: ignore[misc, valid-type]
                x: int
                _fields = ("y",)
    with pytest.raises(TypeError, match="can only inherit from a NamedTuple type"):
        class Mixed(NamedTuple, int):  # type: ignore[misc]
            x: int
