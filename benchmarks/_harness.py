"""The shared machinery of the benchmark suite: benchmark records, the loop compiler, socket fixtures.

A Python benchmark is a *snippet* (the body of the timed loop) plus a *fixture* (a context manager
yielding the names the snippet uses).  :func:`compile_loop` turns the snippet into a function whose
fixture names are plain locals, the way ``timeit`` does, so every implementation pays exactly its own
calls and nothing else: no helper call per iteration, no global or closure lookups.  Each group module
(``bench_*.py``) is a table of snippets; adding a benchmark is adding a row.

Each timed call builds a fresh fixture outside the timed region and closes every fd it opened.
"""

from __future__ import annotations

import contextlib
import os
import resource
import socket
import struct
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Union

import rawsock
from rawsock import ffi, lib

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD_DIR = os.path.join(HERE, ".build")
C_BINARY = os.path.join(BUILD_DIR, "pingpong")
FLOOR_SOURCE = os.path.join(HERE, "floor.c")
C_SOURCE = os.path.join(HERE, "pingpong.c")

#: SO_RCVTIMEO/SO_SNDTIMEO on every benchmark socket (Python and C alike): a bug that would block a
#: single-threaded loop forever fails after this long instead.  It costs nothing when data is ready.
GUARD_TIMEOUT_S = 10

Namespace = dict[str, Any]
Fixture = Callable[[], contextlib.AbstractContextManager[Namespace]]
TimeFunc = Callable[[int], float]


# ---------------------------------------------------------------------------------------------------
# benchmark records


@dataclass(frozen=True)
class PyBench:
    """A Python benchmark: ``body`` timed in a loop over the names ``fixture`` yields."""

    name: str  # unique pyperf name
    case: str  # what is measured; the rows of one case are compared with each other
    impl: str  # who does it: "stdlib ...", "rawsock ...", ...
    fixture: Fixture
    body: str
    ref: str | None = None  # the impl of the same case this row's 'stdlib' ratio divides by
    note: str = ""
    inner: int = 1  # operations per loop iteration (a batch of 64 datagrams: 64); figures are per operation
    c_ref: str = "C"  # the impl of the same case this row's 'C' ratio divides by

    def time_func(self) -> TimeFunc:
        """pyperf's ``time_func(loops) -> seconds``: fixture outside the timing, body inside."""
        code: list[Callable[..., float]] = []

        def time_func(loops: int) -> float:
            with self.fixture() as ns:
                if not code:
                    code.append(compile_loop(self.body, sorted(ns)))
                return code[0](loops, time.perf_counter, **ns)

        return time_func

    @contextlib.contextmanager
    def held(self) -> Iterator[TimeFunc]:
        """time_func over one fixture kept for every value: what paired.py times, so that the Python side's
        sockets and buffers stay as warm as the one C process's."""
        with self.fixture() as ns:
            code = compile_loop(self.body, sorted(ns))
            yield lambda loops: code(loops, time.perf_counter, **ns)


@dataclass(frozen=True)
class CBench:
    """A C benchmark: ``pingpong.c`` run with ``args``; it times itself (see the C file)."""

    name: str
    case: str
    args: tuple[str, ...]
    impl: str = "C"
    ref: str | None = None
    note: str = ""


@dataclass(frozen=True)
class CommandBench:
    """A whole fresh interpreter per sample (pyperf's ``bench_command``).  With ``minus``, the figure
    reported is this command's time minus the median of the benchmark named ``minus`` (the bare
    interpreter start-up), in every sample."""

    name: str
    case: str
    impl: str
    command: tuple[str, ...]
    ref: str | None = None
    note: str = ""
    minus: str | None = None


@dataclass(frozen=True)
class Skipped:
    """A slot for a benchmark that cannot run yet; reported with ``note``."""

    name: str
    case: str
    impl: str
    note: str
    ref: str | None = None


Bench = Union[PyBench, CBench, CommandBench, Skipped]


@dataclass
class Group:
    """One section of the report: a title, what it measures, and its benchmarks."""

    key: str
    title: str
    description: str
    benchmarks: list[Bench] = field(default_factory=list)


def compile_loop(body: str, names: list[str]) -> Callable[..., float]:
    """``_timed(loops, clock, **names)``: ``body`` run ``loops`` times, the names as fast locals."""
    params = "".join(f", {n}" for n in names)
    src = (
        f"def _timed(_loops, _clock{params}):\n"
        "    _it = range(_loops)\n"
        "    _t0 = _clock()\n"
        "    for _ in _it:\n"
        f"{textwrap.indent(textwrap.dedent(body).strip(), ' ' * 8)}\n"
        "    return _clock() - _t0\n"
    )
    ns: Namespace = {}
    exec(compile(src, f"<benchmark loop: {body.strip().splitlines()[0]}>", "exec"), ns)
    return ns["_timed"]  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------------------------------
# fixtures: sockets set up identically for every implementation (and as pingpong.c sets them up)


def raise_nofile_limit() -> None:
    """RLIMIT_NOFILE soft limit up to the hard limit (the poll benchmark opens thousands of fds)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def _guard(s: socket.socket) -> None:
    tv = struct.pack("ll", GUARD_TIMEOUT_S, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, tv)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, tv)


@contextlib.contextmanager
def stream_pair(transport: str) -> Iterator[tuple[socket.socket, socket.socket]]:
    """A connected blocking pair: ``unix`` is socketpair(AF_UNIX, SOCK_STREAM), ``tcp`` a loopback TCP
    connection with TCP_NODELAY on both ends.  Default buffer sizes."""
    with contextlib.ExitStack() as stack:
        if transport == "unix":
            a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            stack.enter_context(a)
            stack.enter_context(b)
        elif transport == "tcp":
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
                listener.bind(("127.0.0.1", 0))
                listener.listen(1)
                a = stack.enter_context(socket.create_connection(listener.getsockname()))
                b = stack.enter_context(listener.accept()[0])
            for s in (a, b):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        else:
            raise ValueError(f"unknown transport {transport!r}")
        for s in (a, b):
            _guard(s)
        yield a, b


@contextlib.contextmanager
def udp_pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    """Two UDP sockets bound to 127.0.0.1 (unconnected)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as a, socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as b:
        for s in (a, b):
            s.bind(("127.0.0.1", 0))
            _guard(s)
        yield a, b


class _NotBuilt:
    """What the floor rows get for ``fl`` when floor.c is not built: a clear error, not an AttributeError."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError("benchmarks/floor.c is not built: run.py builds it when a floor row is selected")


def floor_module() -> Any:
    """benchmarks/floor.c's ``_floor`` module as run.py built it in BUILD_DIR, or a stand-in that says it is
    not built."""
    import importlib.machinery
    import importlib.util
    import sys

    if "_floor" in sys.modules:
        return sys.modules["_floor"]
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = os.path.join(BUILD_DIR, "_floor" + suffix)
        if os.path.exists(path):
            spec = importlib.util.spec_from_file_location("_floor", path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            sys.modules["_floor"] = module
            return module
    return _NotBuilt()


@contextlib.contextmanager
def rawsock_views(a: socket.socket, b: socket.socket) -> Iterator[Namespace]:
    """The names every implementation's snippet may use for a pair of standard-library sockets ``a``
    (sending end) and ``b`` (receiving end): their fds, rawsock Sockets over the same fds (detached,
    never closed, on exit) and the modules."""
    sa = rawsock.Socket.from_fd(a.fileno())
    sb = rawsock.Socket.from_fd(b.fileno())
    try:
        yield {"a": a, "b": b, "fa": a.fileno(), "fb": b.fileno(), "sa": sa, "sb": sb, "rs": rawsock,
               "lib": lib, "ffi": ffi}
    finally:
        sa.detach()
        sb.detach()


def fill(a: socket.socket) -> None:
    """Make non-blocking ``a``'s send buffer full: big chunks, then single bytes, until EAGAIN."""
    a.setblocking(False)
    for chunk in (b"\0" * 4096, b"\0"):
        try:
            while True:
                a.send(chunk)
        except BlockingIOError:
            pass
