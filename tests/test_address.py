"""Addresses: typed named tuples, the standard library's forms, raw bytes, and exact decoding."""

from __future__ import annotations

import errno
import os
import socket as stdlib

import pytest
from conftest import Fds, errno_of

import rawsock as rs
from rawsock import ffi
from rawsock._address import decode, encode

SUN_PATH = ffi.sizeof("struct sockaddr_un") - ffi.offsetof("struct sockaddr_un", "sun_path")


def test_typed_addresses_equal_and_hash_like_the_standard_librarys() -> None:
    assert rs.SockaddrIn("127.0.0.1", 80) == ("127.0.0.1", 80)
    assert hash(rs.SockaddrIn("127.0.0.1", 80)) == hash(("127.0.0.1", 80))
    assert rs.SockaddrIn6("::1", 80) == ("::1", 80, 0, 0)
    host, port = rs.SockaddrIn("10.0.0.1", 1)
    assert (host, port) == ("10.0.0.1", 1)
    assert rs.SockaddrUn("/tmp/x") == "/tmp/x" and hash(rs.SockaddrUn("/tmp/x")) == hash("/tmp/x")
    assert rs.SockaddrUn("/tmp/x") != "/tmp/y" and rs.SockaddrUn("/tmp/x") != ("/tmp/x", 1)
    assert {rs.SockaddrUn("/a"), rs.SockaddrUn("/a")} == {rs.SockaddrUn("/a")}
    with pytest.raises(AttributeError):
        rs.SockaddrIn("127.0.0.1", 80).port = 81  # type: ignore[misc]


@pytest.mark.parametrize(
    ("addr", "family", "addrlen"),
    [
        (rs.SockaddrIn("127.0.0.1", 8000), stdlib.AF_INET, 16),
        (rs.SockaddrIn6("fe80::1", 8000, 7, 3), stdlib.AF_INET6, 28),
        (rs.SockaddrUn("/tmp/s"), stdlib.AF_UNIX, 2 + 6 + 1),
        (rs.SockaddrUn(b"\0abstract"), stdlib.AF_UNIX, 2 + 9),
        (rs.SockaddrUn(""), stdlib.AF_UNIX, 2),
        (rs.SockaddrUn("/" + "p" * (SUN_PATH - 1)), stdlib.AF_UNIX, 2 + SUN_PATH),  # fills sun_path: no NUL
        (rs.SockaddrUnspec(), stdlib.AF_UNSPEC, 16),
        (rs.RawSockaddr(stdlib.AF_PACKET, b"\x01\x02\x03"), stdlib.AF_PACKET, 5),
        (rs.RawSockaddr(None, b"\x01"), None, 1),
    ],
)
def test_encode_decode_round_trip_exactly(addr: rs.Address, family: int | None, addrlen: int) -> None:
    raw = encode(addr)
    assert len(raw) == addrlen == addr.addrlen
    assert addr.family == family
    assert decode(raw) == addr and type(decode(raw)) is type(addr)


def test_layout_matches_the_c_structs() -> None:
    raw = encode(rs.SockaddrIn("1.2.3.4", 0x1234))
    sin = ffi.cast("struct sockaddr_in *", ffi.from_buffer(raw))
    assert (sin.sin_family, sin.sin_port, sin.sin_addr.s_addr) == (
        rs.AF_INET, rs.htons(0x1234), rs.inet_addr("1.2.3.4"))
    raw6 = encode(rs.SockaddrIn6("::2", 7, 0x12345, 9))
    sin6 = ffi.cast("struct sockaddr_in6 *", ffi.from_buffer(raw6))
    assert (sin6.sin6_family, sin6.sin6_port, sin6.sin6_flowinfo, sin6.sin6_scope_id) == (
        rs.AF_INET6, rs.htons(7), rs.htonl(0x12345), 9)


def test_standard_library_forms() -> None:
    assert encode(("127.0.0.1", 1)) == encode(rs.SockaddrIn("127.0.0.1", 1))
    assert encode(("::1", 1)) == encode(rs.SockaddrIn6("::1", 1))
    assert encode(("::1", 1, 2, 3)) == encode(rs.SockaddrIn6("::1", 1, 2, 3))
    assert encode("/tmp/s") == encode(rs.SockaddrUn("/tmp/s")) == encode(b"/tmp/s")  # bytes: a path, as in stdlib
    assert encode(b"\0abstract") == encode(rs.SockaddrUn(b"\0abstract"))
    assert encode(rs.SockaddrIn("", 5)) == encode(("0.0.0.0", 5))  # '' is INADDR_ANY, as in the standard library
    assert encode(rs.SockaddrIn6("", 5)) == encode(("::", 5))


def test_a_form_ambiguous_without_the_family_is_refused_with_the_typed_alternative(fds: Fds) -> None:
    with pytest.raises(ValueError, match=r"ambiguous without the socket's family: pass SockaddrIn\('', 5\) or "
                                         r"SockaddrIn6\('', 5\)"):
        encode(("", 5))
    fd = fds(rs.socket(rs.AF_INET6, rs.SOCK_DGRAM))
    with pytest.raises(ValueError, match=r"bind\(\) argument 'addr': .*ambiguous"):
        rs.bind(fd, ("", 0))


def test_a_socket_reads_a_plain_tuple_in_its_own_family() -> None:
    with rs.Socket(rs.AF_INET6, rs.SOCK_DGRAM) as s6, rs.Socket(rs.AF_INET, rs.SOCK_DGRAM) as s4:
        s6.bind(("", 0))  # '' on an AF_INET6 socket is ::, never guessed as 0.0.0.0
        bound6 = s6.getsockname()
        assert isinstance(bound6, rs.SockaddrIn6) and bound6.host == "::"
        s4.bind(("", 0))
        bound4 = s4.getsockname()
        assert isinstance(bound4, rs.SockaddrIn) and bound4.host == "0.0.0.0"
        with pytest.raises(ValueError, match=r"not a numeric IPv6 address"):
            s6.connect(("127.0.0.1", bound4.port))  # the socket's family decides, not the text


def test_raw_sockaddrs_are_verbatim_and_addrlen_is_checked_against_the_buffer(fds: Fds) -> None:
    raw = rs.RawSockaddr.from_bytes(b"\x02\x00garbage")
    assert raw == rs.RawSockaddr(rs.AF_INET, b"garbage") and encode(raw) == b"\x02\x00garbage" == raw.to_bytes()
    assert rs.RawSockaddr.from_bytes(b"\x02") == rs.RawSockaddr(None, b"\x02")
    fd = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM))
    with pytest.raises(ValueError, match="addrlen 10 is longer than the 9-byte address buffer"):
        rs.connect(fd, raw, 10)  # the kernel would read past the bytes
    assert errno_of(lambda: rs.connect(fd, raw, 1)) == errno.EINVAL  # shorter: the kernel's to judge
    rs.connect(fd, ("127.0.0.1", 9), 128)  # a typed address is zero-padded up to sockaddr_storage
    with pytest.raises(ValueError, match="addrlen 129 is longer than the 128-byte address buffer"):
        rs.connect(fd, ("127.0.0.1", 9), 129)


def test_bad_addresses_fail_before_the_kernel() -> None:
    with pytest.raises(ValueError, match="not a numeric IPv4"):
        encode(("localhost", 80))  # no name resolution: that would be hidden syscalls
    with pytest.raises(ValueError, match="not a numeric IPv6"):
        encode(rs.SockaddrIn6("nope", 80))
    with pytest.raises(OverflowError, match="port must be 0-65535"):
        encode(("127.0.0.1", 65536))
    with pytest.raises(TypeError, match="port must be an int, not str"):
        encode(("127.0.0.1", "80"))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="host must be a str, not int"):
        encode((127, 80))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="longer than sun_path"):
        encode("/" + "p" * SUN_PATH)
    with pytest.raises(TypeError, match="not an address"):
        encode(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"RawSockaddr\.from_bytes"):
        encode(bytearray(b"\x02\x00"))  # type: ignore[arg-type]


def test_decode_keeps_what_no_typed_form_can_say() -> None:
    odd = rs.AF_INET.to_bytes(ffi.sizeof("sa_family_t"), "little") + bytes(6)  # a short AF_INET address
    assert decode(odd) == rs.RawSockaddr(rs.AF_INET, bytes(6))
    assert decode(b"") == rs.RawSockaddr(None, b"")


def test_non_ip_family_comes_back_raw(fds: Fds) -> None:
    fd = fds(rs.socket(rs.AF_NETLINK, rs.SOCK_RAW, 0))
    rs.bind(fd, rs.RawSockaddr(rs.AF_NETLINK, bytes(10)))
    addr = rs.getsockname(fd)
    assert isinstance(addr, rs.RawSockaddr) and addr.family == rs.AF_NETLINK
    assert addr.addrlen == 12  # sizeof(struct sockaddr_nl)
    assert int.from_bytes(addr.data[2:6], "little") == os.getpid()  # nl_pid: the port id the kernel gave


def test_unix_pathname_decodes_to_str_abstract_to_bytes(fds: Fds, tmp_path: os.PathLike[str]) -> None:
    path = os.path.join(tmp_path, "s")
    a = fds(rs.socket(rs.AF_UNIX, rs.SOCK_DGRAM))
    rs.bind(a, rs.SockaddrUn(path.encode()))
    assert rs.getsockname(a).path == path  # type: ignore[union-attr]
    b = fds(rs.socket(rs.AF_UNIX, rs.SOCK_DGRAM))
    assert errno_of(lambda: rs.bind(b, path)) == errno.EADDRINUSE
