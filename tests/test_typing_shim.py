"""rawsock._typing.NamedTuple: typing.NamedTuple's class syntax without importing typing, the same classes."""

from __future__ import annotations

import pathlib
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


def _error(call: object) -> tuple[type, str] | None:
    """The exception a call raised, as (type, message), or None."""
    try:
        call()  # type: ignore[operator]
    except Exception as e:
        return type(e), str(e)
    return None


def _describe(cls: type) -> dict[str, object]:
    """Everything of a namedtuple class that its users can observe, besides behaviour."""
    import inspect

    methods = ("__new__", "_make", "_replace", "__repr__", "_asdict", "__getnewargs__")
    out: dict[str, object] = {
        "doc": cls.__doc__, "name": cls.__name__, "module": cls.__module__, "bases": cls.__bases__,
        "fields": cls._fields, "field_defaults": cls._field_defaults,  # type: ignore[attr-defined]
        "match_args": getattr(cls, "__match_args__", None), "slots": cls.__slots__,  # type: ignore[attr-defined]
        "signature": str(inspect.signature(cls)), "new_defaults": cls.__new__.__defaults__,  # type: ignore[misc]
        "new_module": cls.__new__.__module__, "attributes": sorted(vars(cls)),
    }
    for m in methods:
        f = getattr(cls, m)
        out[m] = (f.__name__, f.__qualname__, f.__doc__, getattr(f, "__annotations__", None))
    for i, name in enumerate(cls._fields):  # type: ignore[attr-defined]
        out[name] = (type(cls.__dict__[name]).__name__, cls.__dict__[name].__doc__, i)
    return out


@pytest.mark.parametrize("fields, defaults", [
    ((), ()), (("a",), ()), (("a",), (1,)), (("x", "y", "z"), (1.5,)), (tuple(f"f{i}" for i in range(10)), (0, 1)),
    (tuple(f"f{i}" for i in range(11)), ()),  # past the templates: collections.namedtuple itself
])
def test_namedtuple_is_collections_namedtuple(fields: tuple[str, ...], defaults: tuple[object, ...]) -> None:
    import collections
    import copy
    import pickle

    from rawsock import _typing

    ours = _typing.namedtuple("Rec", list(fields), defaults=list(defaults), module=__name__)
    theirs = collections.namedtuple("Rec", list(fields), defaults=list(defaults), module=__name__)  # type: ignore[misc]
    assert _describe(ours) == _describe(theirs)
    n, d = len(fields), len(defaults)
    args = list(range(100, 100 + n - d))
    a, b = ours(*args), theirs(*args)
    assert a == b and repr(a) == repr(b) and a._asdict() == b._asdict()
    assert a._make(range(n)) == b._make(range(n)) == tuple(range(n))
    assert _error(lambda: ours(*args)._replace(nope=1)) == _error(lambda: theirs(*args)._replace(nope=1))
    assert "Got unexpected field names: ['nope']" in str(_error(lambda: ours(*args)._replace(nope=1)))
    if hasattr(copy, "replace"):  # 3.13: copy.replace uses __replace__
        assert copy.replace(a) == a and type(copy.replace(a)) is ours
    for rec in (ours, theirs):
        with pytest.raises(TypeError, match=f"Expected {n} arguments, got {n + 1}"):
            rec._make(range(n + 1))
        with pytest.raises(TypeError, match="unexpected keyword argument 'nope'"):
            rec(*args, nope=1)
        if n - d > 0:
            with pytest.raises(TypeError, match="missing 1 required positional argument"):
                rec(*args[:-1])
    globals()["Rec"] = ours  # pickle finds the class by module and name
    try:
        assert pickle.loads(pickle.dumps(a)) == a and type(pickle.loads(pickle.dumps(a))) is ours
        assert copy.copy(a) == a and copy.deepcopy(a) == a
    finally:
        del globals()["Rec"]
    if n:
        first = fields[0]
        assert getattr(a, first) == args[0] if n > d else a[0] == defaults[0]
        assert a._replace(**{first: -1})[0] == -1
        with pytest.raises(AttributeError):
            setattr(a, first, 5)


def test_namedtuple_refuses_what_collections_refuses() -> None:
    import collections

    from rawsock import _typing

    for bad in (["_x"], ["def"], ["a", "a"], ["1a"]):
        with pytest.raises(ValueError) as theirs:
            collections.namedtuple("Rec", bad)
        with pytest.raises(ValueError) as ours:
            _typing.namedtuple("Rec", bad, module=__name__)
        assert str(ours.value) == str(theirs.value)
    with pytest.raises(TypeError, match="Got more default values than field names"):
        _typing.namedtuple("Rec", ["a"], defaults=[1, 2], module=__name__)


def test_a_class_body_means_what_it_means_to_typing() -> None:
    """The body's attributes are set after the class is made, as typing.NamedTuple sets them: an __eq__ without
    a __hash__ leaves the class hashable, and __init_subclass__ and __class_getitem__ are not made classmethods."""
    def make(base: type) -> type:
        class Rec(base):  # type: ignore[misc, valid-type]
            x: int

            def __eq__(self, other: object) -> bool:
                return tuple.__eq__(self, other)  # type: ignore[arg-type]

            def __class_getitem__(cls, item: object) -> object:  # (not made a classmethod by typing)
                return item

        return Rec

    ours, theirs = make(NamedTuple), make(typing.NamedTuple)
    assert hash(ours(1)) == hash(theirs(1)) == hash((1,))
    assert _error(lambda: ours[int]) == _error(lambda: theirs[int])


_OTHER_PYTHON_CHECK = r"""
import collections, copy, inspect, pickle, sys, typing
sys.path.insert(0, sys.argv[1])
from rawsock import _typing

def describe(cls):
    out = {"attrs": sorted(vars(cls)), "sig": str(inspect.signature(cls)), "doc": cls.__doc__,
           "defaults": cls.__new__.__defaults__, "module": cls.__module__}
    for m in ("__new__", "_make", "_replace", "__repr__", "_asdict", "__getnewargs__"):
        f = getattr(cls, m)
        out[m] = (f.__name__, f.__qualname__, f.__doc__, getattr(f, "__annotations__", None))
    return out

def error(call):
    try:
        call()
    except Exception as e:
        return type(e), str(e)

CASES = (((), ()), (("a",), (1,)), (("x", "y", "z"), (1.5,)), (tuple("f%d" % i for i in range(10)), (0,)))
for fields, defaults in CASES:
    ours = _typing.namedtuple("Rec", list(fields), defaults=list(defaults), module="m")
    theirs = collections.namedtuple("Rec", list(fields), defaults=list(defaults), module="m")
    assert describe(ours) == describe(theirs), (describe(ours), describe(theirs))
    args = range(len(fields) - len(defaults))
    a, b = ours(*args), theirs(*args)
    assert a == b and repr(a) == repr(b) and error(lambda: a._replace(nope=1)) == error(lambda: b._replace(nope=1))
    if hasattr(copy, "replace"):
        assert copy.replace(a) == a

def make(base):
    class P(base):
        "A point."
        x: int
        y: str = "s"
        def __eq__(self, other):
            return tuple.__eq__(self, other)
    return P

ours, theirs = make(_typing.NamedTuple), make(typing.NamedTuple)
mine, typings = describe(ours), describe(theirs)
typings["attrs"].remove("__orig_bases__")  # (typing's own bookkeeping for generic NamedTuples)
assert mine == typings and hash(ours(1)) == hash(theirs(1)), (mine, typings)
print("ok", sys.version_info[:2])
"""


@pytest.mark.parametrize("minor", range(9, 14))
def test_the_same_classes_on_every_python_there_is(minor: int, tmp_path: pathlib.Path) -> None:
    """rawsock._typing follows each Python's collections.namedtuple (3.13's __replace__, 3.10's __match_args__):
    the comparison runs under every interpreter 3.9 to 3.13 this machine has (pyenv's, or python3.N on PATH)."""
    import glob
    import shutil
    import subprocess

    found = sorted(glob.glob(f"/root/.pyenv/versions/3.{minor}.*/bin/python")) or [
        p for p in [shutil.which(f"python3.{minor}")] if p]
    if not found:
        pytest.skip(f"no Python 3.{minor} on this machine")
    package = tmp_path / "rawsock"
    package.mkdir()
    (package / "__init__.py").write_text("")
    shutil.copy(pathlib.Path(_typing_file()), package / "_typing.py")
    proc = subprocess.run([found[-1], "-c", _OTHER_PYTHON_CHECK, str(tmp_path)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0 and proc.stdout.strip() == f"ok (3, {minor})", proc.stderr[-2000:]


def _typing_file() -> str:
    from rawsock import _typing

    return str(_typing.__file__)
