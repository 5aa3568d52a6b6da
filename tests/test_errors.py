"""Errors: the builtin OSError subclass Python picks, rawsock's SyscallError, the exact errno and text."""

from __future__ import annotations

import errno
import os
import pickle

import pytest
from conftest import errno_of

import rawsock as rs
from rawsock._errors import error, error_class


@pytest.mark.parametrize(
    ("err", "builtin"),
    [
        (errno.EAGAIN, BlockingIOError), (errno.EINPROGRESS, BlockingIOError), (errno.EALREADY, BlockingIOError),
        (errno.ECONNRESET, ConnectionResetError), (errno.EPIPE, BrokenPipeError),
        (errno.ECONNREFUSED, ConnectionRefusedError), (errno.ECONNABORTED, ConnectionAbortedError),
        (errno.EINTR, InterruptedError), (errno.ETIMEDOUT, TimeoutError), (errno.ENOENT, FileNotFoundError),
        (errno.EACCES, PermissionError), (errno.EPERM, PermissionError),
    ],
)
def test_the_usual_subclass_and_syscall_error(err: int, builtin: type[OSError]) -> None:
    exc = error(-err, "send")
    assert type(exc) is error_class(err)
    assert isinstance(exc, builtin) and isinstance(exc, rs.SyscallError) and isinstance(exc, OSError)
    assert type(exc).__name__ == builtin.__name__ and type(exc).__module__ == "rawsock"
    assert exc.errno == err and exc.strerror == os.strerror(err) and exc.args == (err, os.strerror(err))
    assert exc.syscall == "send"
    assert str(exc) == f"send: [Errno {err}] {rs.errno_name(err)}: {os.strerror(err)}"


def test_an_errno_without_a_builtin_subclass_is_a_plain_syscall_error() -> None:
    exc = error(-errno.EBADF, "close")
    assert type(exc) is rs.SyscallError and type(OSError(errno.EBADF, "")) is OSError
    assert repr(exc) == "SyscallError(9, 'Bad file descriptor')"


def test_message_names_the_call_and_the_symbolic_errno(closed_fd: int) -> None:
    with pytest.raises(OSError) as info:
        rs.shutdown(closed_fd, rs.SHUT_RD)
    assert str(info.value) == "shutdown: [Errno 9] EBADF: Bad file descriptor"
    assert type(info.value) is rs.SyscallError and info.value.syscall == "shutdown"  # type: ignore[attr-defined]


def test_strace_names_for_aliased_errnos() -> None:
    assert str(error(-errno.EAGAIN, "recv")).startswith("recv: [Errno 11] EAGAIN:")
    assert str(error(-errno.EOPNOTSUPP, "listen")).startswith("listen: [Errno 95] EOPNOTSUPP:")


def test_errno_unknown_to_python_still_raises_cleanly() -> None:
    exc = error(-4000, "fcntl")
    assert exc.errno == 4000 and isinstance(exc, rs.SyscallError) and "E?4000" in str(exc)


def test_errors_pickle_to_their_builtin_shape() -> None:
    exc = error(-errno.EPIPE, "send")
    clone = pickle.loads(pickle.dumps(exc))
    assert type(clone) is type(exc) and clone.errno == errno.EPIPE and clone.syscall == "send"
    assert str(clone) == str(exc)


def test_errno_of_helper_sees_rawsock_errors() -> None:
    assert errno_of(lambda: rs.close(-1)) == errno.EBADF
