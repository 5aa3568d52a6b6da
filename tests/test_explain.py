"""explain / errors: every call rawsock reports has its man page's errnos; every errno Linux returns that a man
page does not list is really observed on this kernel."""

from __future__ import annotations

import errno
import pathlib
import re
import subprocess
import sys

import pytest

import rawsock as rs
from rawsock import _explain

SRC = pathlib.Path(rs.__file__).resolve().parent


def test_every_call_rawsock_reports_is_explained() -> None:
    from rawsock import _calls

    reported = {call.function for call in _calls.CALLS}  # the engine names each error after its C call
    for path in SRC.glob("*.py"):
        reported |= set(re.findall(r'\berror\([^,]+, "(\w+)"\)', path.read_text()))
    assert reported and reported <= set(_explain.CALLS), reported - set(_explain.CALLS)
    for call in _explain.CALLS:
        assert _explain.errors(call), call


@pytest.mark.parametrize(("man", "name", "entry"), _explain.observed(), ids=lambda v: v if isinstance(v, str) else "")
def test_observed_entries_are_observed_on_this_kernel(man: str, name: str, entry: _explain.Entry) -> None:
    assert entry.observed is not None
    assert entry.observed() == getattr(errno, name), f"{man} {name}: the kernel no longer answers this way"


def test_explain_text_and_lessons() -> None:
    text = _explain.explain("send", "EPIPE")
    assert text.splitlines()[0].startswith("send: EPIPE (Broken pipe): the local end is shut down")
    assert "not in the man page: observed on Linux" in text  # the never-connected TCP socket
    assert "python -m rawsock demo full-send-buffer" in text and "reset-vs-broken-pipe" in text
    assert _explain.explain("sockatmark", errno.ENOTTY).startswith("sockatmark: ENOTTY")
    assert "not in " in _explain.explain("close", "EAGAIN")
    assert _explain.explain("send", "EWOULDBLOCK").startswith("send: EAGAIN")
    with pytest.raises(KeyError):
        _explain.errors("frobnicate")


def test_exceptions_explain_themselves(closed_fd: int) -> None:
    with pytest.raises(rs.SyscallError) as info:
        rs.send(closed_fd, b"x")
    assert info.value.explain().startswith("send: EBADF (Bad file descriptor): the fd is not an open file")


def test_cli() -> None:
    run = subprocess.run([sys.executable, "-m", "rawsock", "explain", "connect", "EINPROGRESS"], capture_output=True,
                         text=True, check=True)
    assert run.stdout.startswith("connect: EINPROGRESS (Operation now in progress): the socket is non-blocking")
    assert "demo nonblocking-connect" in run.stdout
    listing = subprocess.run([sys.executable, "-m", "rawsock", "errors", "sockatmark"], capture_output=True, text=True,
                             check=True)
    assert re.search(r"^ENOTTY +.*\(observed on Linux; not in the man page\)$", listing.stdout, re.M)
    number = subprocess.run([sys.executable, "-m", "rawsock", "explain", "recv", "11"], capture_output=True,
                            text=True, check=True)
    assert number.stdout.startswith("recv: EAGAIN")
    bad = subprocess.run([sys.executable, "-m", "rawsock", "errors", "frob"], capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown call 'frob'" in bad.stderr


def test_the_common_errnos_only_where_they_can_happen() -> None:
    assert "ENOTSOCK" in _explain.errors("send") and "EBADF" in _explain.errors("send")
    for call in ("close", "fcntl", "ioctl"):  # any fd will do for these
        assert "ENOTSOCK" not in _explain.errors(call) and "EBADF" in _explain.errors(call), call
    for call in ("inet_pton", "inet_ntop", "sigaddset"):  # no fd at all
        assert not {"EBADF", "ENOTSOCK"} & set(_explain.errors(call)), call


def test_rawsocks_other_names_resolve_to_the_call_they_make() -> None:
    assert _explain.errors("recv_into") == _explain.errors("recv")
    assert _explain.errors("recvmsg_into") == _explain.errors("recvmsg")
    assert _explain.errors("send_fds") == _explain.errors("sendmsg")
    assert _explain.errors("set_nonblocking") == _explain.errors("fcntl")
    assert _explain.explain("recv_into", "EAGAIN").startswith("recv_into: EAGAIN (")
    with pytest.raises(KeyError, match="unknown call 'recv_nothing'"):
        _explain.errors("recv_nothing")


def test_the_command_line_refuses_what_is_not_an_errno_or_a_call() -> None:
    bad = subprocess.run([sys.executable, "-m", "rawsock", "explain", "send", "EFOO"], capture_output=True, text=True)
    assert bad.returncode == 2 and "'EFOO' is not an errno name" in bad.stderr
    bad = subprocess.run([sys.executable, "-m", "rawsock", "errors", "nosuch"], capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown call 'nosuch'" in bad.stderr
    good = subprocess.run([sys.executable, "-m", "rawsock", "explain", "send", "epipe"], capture_output=True,
                          text=True, check=True)
    assert good.stdout.startswith("send: EPIPE (Broken pipe): ")
