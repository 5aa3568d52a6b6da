"""``rawsock.trace``: every call of the Pythonic layer printed as strace prints the syscall.

The call engine makes every call; while a trace is active it hands this module's hook, after each syscall,
the call's index, the six raw syscall arguments, what each field's memory held before and after the call
(copied by the engine, bounded by what it allocated), the return value and errno.  The hook decodes them
with the call's description (rawsock._calls, through rawsock._strace) into one line in strace's notation:
flags and constants symbolic, structs and addresses decoded, strings quoted and cut at ``strsize``,
value-result arguments as ``[128 => 16]``, errors as ``-1 ENAME (strerror)``.  It makes no syscall besides
writing the line: the thread id and the process id come from the threading module's records.  When no trace
is active the engine tests one pointer and calls nothing here.

``RAWSOCK_TRACE=1`` traces a whole program to stderr, ``RAWSOCK_TRACE=path`` to a file.
"""

from __future__ import annotations

import _thread
import functools
import os
import sys

from . import _syscalls

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import IO, Any, Callable, TypeVar

    from ._calls import Call

    _F = TypeVar("_F", bound=Callable[..., Any])

__all__ = ["Tracer", "trace"]


class Tracer:
    """Prints every call made through rawsock's Pythonic layer while active (see :func:`trace`).  A context
    manager, and a decorator (as contextlib.ContextDecorator: the decorated function runs inside it)."""

    def __init__(self, file: IO[str] | None = None, *, strsize: int = 32, timestamps: bool = False,
                 align: bool = False) -> None:
        self.file = file
        self.strsize = strsize
        self.timestamps = timestamps
        self.align = align
        self._last: int | None = None

    def __enter__(self) -> Tracer:
        self._last = None
        _activate(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _deactivate(self)

    def __call__(self, func: _F) -> _F:
        @functools.wraps(func)
        def traced(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return traced  # type: ignore[return-value]

    def emit(self, line: str, t0: int = 0) -> None:
        import threading  # loaded when the first tracer started (see _activate)

        prefix = ""
        current = threading.current_thread()
        tid = current.native_id  # recorded by the threading module: no gettid() here
        if _forked and current is threading.main_thread():  # (whose recorded id is still the parent's)
            tid = _forked[-1]
        # another thread, or a forked child (whose main thread has its own id); and, as strace -f does once it
        # traces more than one task, the main thread too while another thread of this process runs
        if tid != _root[0] or threading.active_count() > 1:
            prefix = f"[pid {tid:5d}] "
        if self.timestamps:
            delta = 0 if self._last is None else t0 - self._last
            self._last = t0
            prefix += f"{delta // 1_000_000_000:6d}.{delta % 1_000_000_000 // 1000:06d} "
        if self.align:  # strace -o's column: the call, a space, padded to column 40, then "= result"
            call, result = line.rsplit(" = ", 1)
            line = (prefix + call + " ").ljust(_ALIGN) + "= " + result
            prefix = ""
        out = self.file if self.file is not None else sys.stderr
        out.write(prefix + line + "\n")
        out.flush()


def trace(file: IO[str] | None = None, *, strsize: int = 32, timestamps: bool = False,
          align: bool = False) -> Tracer:
    """Trace every call through rawsock's Pythonic layer and ``Socket`` to ``file`` (default stderr), one line
    per syscall in strace(1)'s notation (see strace(1)); the tracer makes no syscall of its own besides writing
    to ``file``.  A context manager, and a decorator.  ``strsize`` cuts strings as strace -s does;
    ``timestamps`` adds strace -r's relative times; ``align`` pads each call to strace's result column (40), as
    ``strace -o`` writes it.  Calls from other threads and from forked children are prefixed ``[pid N]``, as
    strace -f prefixes them, and so are the main thread's while another thread runs (strace -f prefixes every
    line once it traces more than one task; rawsock counts the threading module's threads, and does not know
    whether a forked child still lives: a parent's lines stay bare)."""
    return Tracer(file, strsize=strsize, timestamps=timestamps, align=align)


_active: list[Tracer] = []
#: the thread id of the process's main thread when the first tracer started: calls from any other thread (and
#: from a forked child's, whose id differs) are prefixed
_root: list[int | None] = [None]
#: in a forked child, its pid: read once, in the child, as the fork returns (os.register_at_fork)
_forked: list[int] = []
_ALIGN = 40
_lock = _thread.RLock()
_table: list[tuple[Call, str]] = []


def _hook(index: int, args: tuple[int, ...], before: tuple[Any, ...], after: tuple[Any, ...], ret: int, err: int,
          t0: int, t1: int) -> None:
    tracers = list(_active)
    if not tracers:
        return
    from . import _strace

    desc, syscall = _table[index]
    strsize = max(t.strsize for t in tracers)
    call = _strace.Call(desc, syscall, args, before, after, ret, err, strsize)
    for tracer in tracers:
        call.s = tracer.strsize
        try:
            line = _strace.format_call(call)
        except Exception as e:  # a formatting gap must never break the call being traced
            line = f"{syscall}(...) = {_strace.result(ret, err)} /* rawsock trace: {e!r} */"
        tracer.emit(line, t0)


def _load_table() -> None:
    if not _table:
        from . import _calls, _strace  # noqa: F401  (the decoding, loaded with the first tracer)

        for (name, syscall, _nr), desc in zip(_syscalls._table(), _calls.CALLS):
            assert name == desc.name, (name, desc.name)
            _table.append((desc, syscall))


def _activate(tracer: Tracer) -> None:
    # The threading module records each thread's id when the thread starts (the main thread's when the module
    # is imported), so emit() names threads without a gettid(); import it now, not while a line is printed.
    import threading

    if _root[0] is None:
        _root[0] = threading.main_thread().native_id
        os.register_at_fork(after_in_child=lambda: _forked.append(os.getpid()))
    with _lock:
        _load_table()
        from . import _strace

        _strace.read_interfaces()
        _active.append(tracer)
        _syscalls._set_trace(_hook, max(t.strsize for t in _active) + 1)


def _deactivate(tracer: Tracer) -> None:
    with _lock:
        _active.remove(tracer)
        if _active:
            _syscalls._set_trace(_hook, max(t.strsize for t in _active) + 1)
        else:
            _syscalls._set_trace(None, 1)


def _from_environment() -> Iterator[Tracer]:
    value = os.environ.get("RAWSOCK_TRACE", "")
    if value and value != "0":
        out: IO[str] = sys.stderr if value == "1" else open(value, "a", buffering=1)
        tracer = trace(out)
        tracer.__enter__()
        yield tracer


_environment_tracers = list(_from_environment())
