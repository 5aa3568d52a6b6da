"""The exception classes.  An errno becomes an exception in one place, the call engine's rs_error()
(csrc/engine.c), which builds it from these classes; :func:`error` asks it for one.

Every failed call raises an exception that is an instance of the builtin class Python would pick for
that errno (BlockingIOError for EAGAIN, ConnectionResetError, BrokenPipeError, InterruptedError, ...)
and of :class:`SyscallError`, with ``.errno`` exactly the kernel's and ``.syscall`` naming the C call.
"""

from __future__ import annotations

from ._constants import errno_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable

__all__ = ["SyscallError", "error_class"]


class SyscallError(OSError):
    """A system call failed: ``.errno`` is the kernel's errno, ``.syscall`` the C call's name.

    ``str(e)`` reads ``send: [Errno 11] EAGAIN: Resource temporarily unavailable``.
    """

    syscall: str = ""
    __module__ = "rawsock"

    def __str__(self) -> str:
        return f"{self.syscall}: [Errno {self.errno}] {errno_name(self.errno)}: {self.strerror}"

    def explain(self) -> str:
        """What this errno means for this call (the man page's ERRORS section), and the lessons that show it."""
        from ._explain import explain

        return explain(self.syscall, self.errno or 0) if self.syscall else str(self)

    def __reduce__(self) -> tuple[Callable[[int, str], SyscallError], tuple[int, str]]:
        return _rebuild, (self.errno or 0, self.syscall)


def _rebuild(err: int, syscall: str) -> SyscallError:
    """Unpickle: the same class, errno and syscall (the per-builtin classes are made at run time)."""
    return error(-err, syscall)


_classes: dict[int, type[SyscallError]] = {}
_by_builtin: dict[type[OSError], type[SyscallError]] = {OSError: SyscallError}


def error_class(err: int) -> type[SyscallError]:
    """The exception class for an errno: SyscallError combined with the builtin subclass Python picks."""
    cls = _classes.get(err)
    if cls is None:
        builtin = type(OSError(err, ""))
        cls = _by_builtin.get(builtin)
        if cls is None:
            cls = type(builtin.__name__, (SyscallError, builtin), {"__module__": "rawsock"})
            _by_builtin[builtin] = cls
        _classes[err] = cls
    return cls


def error(neg_errno: int, syscall: str) -> SyscallError:
    """The exception rawsock raises when ``syscall`` fails with the errno ``-neg_errno`` (not raised)."""
    from . import _syscalls

    exc = _syscalls._error(-neg_errno, syscall)
    assert isinstance(exc, SyscallError)
    return exc
