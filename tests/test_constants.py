"""Constants: values from the compiled headers, enums that keep C names, the generated type stub."""

from __future__ import annotations

import errno
import fcntl as stdlib_fcntl
import os
import pathlib
import select
import socket as stdlib
import subprocess
import sys

import pytest

import rawsock as rs
from rawsock import lib

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "name",
    [n for n in dir(stdlib) if n.isupper() and n.split("_")[0] in
     {"AF", "SOCK", "MSG", "SOL", "SO", "SCM", "IPPROTO", "IP", "IPV6", "TCP", "SHUT", "INADDR"}
     and isinstance(getattr(stdlib, n), int)],
)
def test_values_agree_with_the_standard_library(name: str) -> None:
    assert name in rs.CONSTANTS
    assert getattr(rs, name) == getattr(stdlib, name)


def test_errno_fcntl_poll_values_agree() -> None:
    for name in errno.errorcode.values():
        assert getattr(rs, name) == getattr(errno, name), name
    for name in ("F_GETFL", "F_SETFL", "F_GETFD", "F_SETFD", "F_DUPFD", "F_DUPFD_CLOEXEC", "FD_CLOEXEC"):
        assert getattr(rs, name) == getattr(stdlib_fcntl, name)
    assert rs.O_NONBLOCK == os.O_NONBLOCK
    for name in ("POLLIN", "POLLOUT", "POLLERR", "POLLHUP", "POLLNVAL", "POLLPRI", "POLLRDHUP"):
        assert getattr(rs, name) == getattr(select, name)


def test_everything_asked_for_is_there() -> None:
    for name in ("MSG_DONTWAIT", "SOCK_NONBLOCK", "SOCK_CLOEXEC", "SO_REUSEPORT", "TCP_NODELAY", "IPV6_V6ONLY",
                 "SHUT_RDWR", "F_SETFL", "O_NONBLOCK", "FIONREAD", "SIOCINQ", "SIOCOUTQ", "SIOCATMARK",
                 "POLLRDHUP", "EAGAIN", "SOMAXCONN", "PF_INET", "SCM_RIGHTS", "IP_RECVERR", "TCP_INFO"):
        assert isinstance(getattr(rs, name), int), name
        assert getattr(lib, name) == getattr(rs, name)


def test_enums_keep_c_names_and_canonical_aliases() -> None:
    assert rs.AF_INET is rs.AddressFamily.AF_INET and rs.AF_INET.name == "AF_INET"
    assert rs.AddressFamily(rs.AF_UNIX).name == "AF_UNIX"  # not AF_LOCAL or AF_FILE
    assert rs.Errno(errno.EAGAIN).name == "EAGAIN" and rs.Errno(errno.EOPNOTSUPP).name == "EOPNOTSUPP"
    assert rs.MsgFlag.MSG_PEEK | rs.MsgFlag.MSG_DONTWAIT == rs.MSG_PEEK | rs.MSG_DONTWAIT
    assert isinstance(rs.SOCK_NONBLOCK, rs.SocketFlag) and isinstance(rs.SOCK_STREAM, rs.SocketType)
    assert isinstance(rs.SO_REUSEADDR, int) and not isinstance(rs.SO_REUSEADDR, rs.SocketType)
    assert rs.SHUT_WR is rs.ShutdownHow.SHUT_WR and rs.SOL_SOCKET is rs.SocketLevel.SOL_SOCKET
    assert rs.IPPROTO_TCP is rs.IPProtocol.IPPROTO_TCP and rs.POLLIN is rs.PollFlag.POLLIN
    # macros sharing a value with a better-known constant never become the canonical name
    assert rs.SocketType(1).name == "SOCK_STREAM" and rs.IPProtocol(0).name == "IPPROTO_IP"
    assert set(rs.SocketType.__members__) <= {"SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "SOCK_RDM", "SOCK_SEQPACKET",
                                              "SOCK_DCCP", "SOCK_PACKET"}
    assert isinstance(rs.SOCK_SNDBUF_LOCK, int) and not isinstance(rs.SOCK_SNDBUF_LOCK, rs.SocketType)


def test_unknown_values_never_raise() -> None:
    from rawsock._constants import to_enum

    assert to_enum(rs.AddressFamily, 4242) == 4242 and type(to_enum(rs.AddressFamily, 4242)) is int
    assert to_enum(rs.AddressFamily, 2) is rs.AF_INET
    assert rs.MsgFlag(1 << 29 | rs.MSG_PEEK) == (1 << 29) | rs.MSG_PEEK  # unknown bits are kept
    assert rs.errno_name(4242) == "E?4242" and rs.errno_name(11) == "EAGAIN"


def test_star_import_gives_the_constants() -> None:
    namespace: dict[str, object] = {}
    exec("from rawsock import *", namespace)
    assert namespace["MSG_OOB"] == lib.MSG_OOB and namespace["send"] is rs.send


def test_type_stub_matches_this_build() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import gen_constnames
    finally:
        sys.path.pop(0)
    committed = (ROOT / "src" / "rawsock" / "_constnames.pyi").read_text()
    assert gen_constnames.render() == committed, "run: python tools/gen_constnames.py"


def test_import_makes_no_syscall_of_the_network_kind(tmp_path: pathlib.Path) -> None:
    import shutil

    if shutil.which("strace") is None:
        pytest.skip("strace is not installed (.ci/run installs it)")
    log = tmp_path / "trace"
    subprocess.run(["strace", "-f", "-qq", "-e", "trace=network", "-o", str(log), sys.executable, "-c",
                    "import rawsock"], check=True)
    assert log.read_text() == ""
