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


def test_netlink_addresses(fds: Fds) -> None:
    fd = fds(rs.socket(rs.AF_NETLINK, rs.SOCK_RAW, rs.NETLINK_ROUTE))
    rs.bind(fd, rs.SockaddrNl(0, 1))  # pid 0: the kernel assigns the port id
    addr = rs.getsockname(fd)
    assert type(addr) is rs.SockaddrNl and addr.groups == 1 and addr.addrlen == 12  # sizeof(struct sockaddr_nl)
    assert addr.pid == os.getpid() or addr.pid > 2**31  # the process's id, unless another socket has it
    odd = encode(rs.SockaddrNl(5, 6))[:2] + b"\1\0" + encode(rs.SockaddrNl(5, 6))[4:]  # nl_pad not 0
    assert decode(odd) == rs.RawSockaddr(rs.AF_NETLINK, odd[2:])


def test_packet_addresses(fds: Fds) -> None:
    lo = rs.ioctl(fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM)), rs.SIOCGIFINDEX, "lo").value
    fd = fds(rs.socket(rs.AF_PACKET, rs.SOCK_DGRAM, rs.htons(rs.ETH_P_IP)))
    rs.bind(fd, rs.SockaddrLl(lo, rs.ETH_P_IP))
    # packet(7)'s getsockname returns offsetof(sll_addr) + halen bytes: 18 for loopback's 6-byte address
    assert rs.getsockname(fd) == rs.SockaddrLl(lo, rs.ETH_P_IP, rs.ARPHRD_LOOPBACK, rs.PACKET_HOST, None, bytes(6))
    full = encode(rs.SockaddrLl(lo, rs.ETH_P_IPV6, rs.ARPHRD_ETHER, rs.PACKET_BROADCAST, addr=b"\1\2\3"))
    assert len(full) == 20 and decode(full) == rs.SockaddrLl(lo, rs.ETH_P_IPV6, 1, 1, None, b"\1\2\3")
    assert decode(full[:12 + 3]) == decode(full)  # getsockname's form: up to halen bytes of the address
    assert type(decode(full[:12 + 2])) is rs.RawSockaddr  # shorter than its halen says
    # decoded, halen is None where the address is halen bytes long (the zero bytes up to halen are kept)
    assert decode(encode(rs.SockaddrLl(1, halen=6, addr=b"\1"))) == rs.SockaddrLl(1, addr=b"\1" + bytes(5))
    assert decode(encode(rs.SockaddrLl(1, halen=2, addr=b"\1\2\3"))) == rs.SockaddrLl(1, halen=2, addr=b"\1\2\3")
    with pytest.raises(ValueError, match="addr is 9 bytes, longer than sll_addr"):
        encode(rs.SockaddrLl(1, addr=bytes(9)))
    with pytest.raises(OverflowError, match="protocol must be 0-65535, not 65536"):
        encode(rs.SockaddrLl(1, 0x10000))


def test_vsock_addresses(fds: Fds) -> None:
    vm = rs.SockaddrVm(rs.VMADDR_CID_ANY, 1234)
    raw = encode(vm)
    assert len(raw) == vm.addrlen == 16 and decode(raw) == vm
    assert decode(encode(rs.SockaddrVm(2, 80, 1))) == rs.SockaddrVm(2, 80, 1)
    try:
        fd = fds(rs.socket(rs.AF_VSOCK, rs.SOCK_STREAM))
    except OSError as e:
        pytest.skip(f"no vsock in this kernel: {e}")
    rs.bind(fd, vm)
    assert rs.getsockname(fd) == vm


def test_unix_pathname_decodes_to_str_abstract_to_bytes(fds: Fds, tmp_path: os.PathLike[str]) -> None:
    path = os.path.join(tmp_path, "s")
    a = fds(rs.socket(rs.AF_UNIX, rs.SOCK_DGRAM))
    rs.bind(a, rs.SockaddrUn(path.encode()))
    assert rs.getsockname(a).path == path  # type: ignore[union-attr]
    b = fds(rs.socket(rs.AF_UNIX, rs.SOCK_DGRAM))
    assert errno_of(lambda: rs.bind(b, path)) == errno.EADDRINUSE
