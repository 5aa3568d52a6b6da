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


def _stub_parts(text: str) -> tuple[str, dict[str, set[str]], dict[str, str]]:
    """(the header, each enum's members, each constant's declaration line) of a _constnames.pyi."""
    header, _, rest = text.partition("\nclass AddressFamily")
    enums: dict[str, set[str]] = {}
    lines: dict[str, str] = {}
    current = None
    for line in ("class AddressFamily" + rest).splitlines():
        if line.startswith("class "):
            current = line.split()[1].split("(")[0]
            enums[current] = set()
        elif line.startswith("    ") and current is not None:
            enums[current].add(line.split()[0])
        elif ": " in line:
            lines[line.split(":")[0]] = line
    return header, enums, lines


def _stub_disagreements(committed_text: str, built_text: str) -> list[str]:
    """Where a committed stub and a build's disagree, ignoring constants only one of them has: a host whose
    headers define more (or fewer) constants than the machine that wrote the stub agrees with it."""
    committed, built = _stub_parts(committed_text), _stub_parts(built_text)
    out = [] if committed[0] == built[0] else ["the header"]
    shared = committed[2].keys() & built[2].keys()
    out += [name for name in sorted(shared) if committed[2][name] != built[2][name]]
    out += [enum for enum, members in built[1].items()
            if committed[1].get(enum, set()) & built[2].keys() != members & committed[2].keys()]
    return out


def test_type_stub_matches_this_build() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import gen_constnames
    finally:
        sys.path.pop(0)
    committed = (ROOT / "src" / "rawsock" / "_constnames.pyi").read_text()
    built = gen_constnames.render()
    assert _stub_disagreements(committed, built) == [], "run: python tools/gen_constnames.py"
    assert len(_stub_parts(committed)[2].keys() & _stub_parts(built)[2].keys()) > 900


def test_type_stub_comparison_tolerates_another_hosts_constants_but_not_a_stale_stub() -> None:
    text = (ROOT / "src" / "rawsock" / "_constnames.pyi").read_text()
    one_more = text.replace("\nAF_ALG: ", "\nAF_NEWFAMILY: AddressFamily\nAF_ALG: ", 1).replace(
        "    AF_ALG = ...", "    AF_ALG = ...\n    AF_NEWFAMILY = ...", 1)
    assert _stub_disagreements(text, one_more) == []
    assert _stub_disagreements(one_more, text) == []
    retyped = text.replace("\nSO_LINGER: _Opt[Linger]\n", "\nSO_LINGER: int\n", 1)
    assert _stub_disagreements(retyped, text) == ["SO_LINGER"]


def test_import_makes_no_syscall_of_the_network_kind(tmp_path: pathlib.Path) -> None:
    import shutil

    if shutil.which("strace") is None:
        pytest.skip("strace is not installed (.ci/run installs it)")
    log = tmp_path / "trace"
    subprocess.run(["strace", "-f", "-qq", "-e", "trace=network", "-o", str(log), sys.executable, "-c",
                    "import rawsock"], check=True)
    assert log.read_text() == ""


@pytest.mark.parametrize("built", rs._constants.ENUMS, ids=lambda e: e.__name__)
def test_enums_are_what_the_functional_api_makes(built: type) -> None:
    """rawsock builds its enums with enum's fast constructor (enum._simple_enum, where the standard library
    has it); the result must be the enum ``IntEnum(name, members, module="rawsock")`` makes."""
    import enum

    members = rs._constants._members[built.__name__]
    kind = enum.IntFlag if issubclass(built, enum.IntFlag) else enum.IntEnum
    reference = kind(built.__name__, members, module="rawsock")
    assert built.__module__ == "rawsock" and built.__qualname__ == built.__name__
    assert [(n, int(m), m.name) for n, m in built.__members__.items()] == \
        [(n, int(m), m.name) for n, m in reference.__members__.items()]
    assert [m.name for m in built] == [m.name for m in reference]
    assert [repr(m) for m in built] == [repr(m) for m in reference]
    for value in {v for _, v in members}:
        assert built(value).name == reference(value).name
    if kind is enum.IntFlag:
        for attr in ("_flag_mask_", "_all_bits_", "_boundary_", "_singles_mask_"):
            assert getattr(built, attr) == getattr(reference, attr), attr
        unknown = 1 << 62
        assert int(built(unknown)) == int(reference(unknown)) == unknown
    else:
        with pytest.raises(ValueError):
            built(-12345)
    import pickle

    first = next(iter(built))
    assert pickle.loads(pickle.dumps(first)) is first


def test_import_loads_no_typing_re_contextlib_or_threading() -> None:
    """``import rawsock`` stays cheap: typing (with re and contextlib) and threading are not loaded by it
    (rawsock._typing; the tracer loads threading when it starts)."""
    code = ("import sys; before = set(sys.modules); import rawsock; "
            "print(sorted(m for m in ('typing', 're', 'contextlib', 'threading', 'warnings', 'dataclasses') "
            "if m in sys.modules and m not in before))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "RAWSOCK_TRACE": ""})
    assert out.stdout.strip() == "[]", out.stderr
