"""fcntl(2), close(2), set_nonblocking, and libc's byte-order and address-text functions."""

from __future__ import annotations

import errno
import os
import socket as stdlib

import pytest
from conftest import Fds, errno_of

import rawsock as rs
from rawsock import ffi, lib


def test_fcntl_getfl_setfl_getfd_setfd_dupfd(fds: Fds, unix_pair: tuple[int, int]) -> None:
    a, _ = unix_pair
    flags = rs.fcntl(a, rs.F_GETFL)
    assert flags & rs.O_NONBLOCK == 0
    assert rs.fcntl(a, rs.F_SETFL, flags | rs.O_NONBLOCK) == 0
    assert rs.fcntl(a, rs.F_GETFL) & rs.O_NONBLOCK
    assert rs.fcntl(a, rs.F_SETFD, rs.FD_CLOEXEC) == 0 and rs.fcntl(a, rs.F_GETFD) == rs.FD_CLOEXEC
    dup = fds(rs.fcntl(a, rs.F_DUPFD, 100))
    assert dup >= 100 and rs.fcntl(dup, rs.F_GETFD) == 0  # F_DUPFD does not copy FD_CLOEXEC


def test_fcntl_errors(closed_fd: int) -> None:
    assert errno_of(lambda: rs.fcntl(closed_fd, rs.F_GETFL)) == errno.EBADF
    assert errno_of(lambda: rs.fcntl(0, 9999)) == errno.EINVAL
    assert errno_of(lambda: rs.fcntl(0, rs.F_DUPFD, -1)) == errno.EINVAL


@pytest.mark.parametrize("start_nonblocking", [False, True])
def test_set_nonblocking_both_ways(fds: Fds, start_nonblocking: bool) -> None:
    fd = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM | (rs.SOCK_NONBLOCK if start_nonblocking else 0)))
    rs.set_nonblocking(fd)
    assert rs.fcntl(fd, rs.F_GETFL) & rs.O_NONBLOCK
    rs.set_nonblocking(fd, False)
    assert not rs.fcntl(fd, rs.F_GETFL) & rs.O_NONBLOCK


def test_set_nonblocking_error_names_fcntl() -> None:
    with pytest.raises(OSError) as info:
        rs.set_nonblocking(-1)
    assert info.value.errno == errno.EBADF and info.value.syscall == "fcntl"  # type: ignore[attr-defined]


def test_close_and_its_errors(fds: Fds) -> None:
    fd = rs.socket(rs.AF_INET, rs.SOCK_DGRAM)
    assert rs.close(fd) is None
    assert errno_of(lambda: rs.close(fd)) == errno.EBADF
    assert errno_of(lambda: rs.close(-1)) == errno.EBADF


@pytest.mark.parametrize("value", [0, 1, 0x1234, 0xFFFF])
def test_byte_order_16(value: int) -> None:
    assert rs.htons(value) == stdlib.htons(value) and rs.ntohs(rs.htons(value)) == value


@pytest.mark.parametrize("value", [0, 1, 0x12345678, 0xFFFFFFFF])
def test_byte_order_32(value: int) -> None:
    assert rs.htonl(value) == stdlib.htonl(value) and rs.ntohl(rs.htonl(value)) == value


def test_byte_order_overflow_is_an_error() -> None:
    with pytest.raises(OverflowError):
        rs.htons(0x10000)
    with pytest.raises(OverflowError):
        rs.htonl(-1)


@pytest.mark.parametrize(("af", "text"), [(stdlib.AF_INET, "192.0.2.33"), (stdlib.AF_INET6, "2001:db8::1"),
                                          (stdlib.AF_INET6, "::ffff:1.2.3.4")])
def test_inet_pton_ntop_agree_with_the_standard_library(af: int, text: str) -> None:
    packed = rs.inet_pton(af, text)
    assert packed == stdlib.inet_pton(af, text)
    assert rs.inet_ntop(af, packed) == stdlib.inet_ntop(af, packed)
    assert rs.inet_ntop(af, bytearray(packed) + b"extra") == stdlib.inet_ntop(af, packed)  # C reads what it needs


def test_inet_pton_ntop_errors() -> None:
    with pytest.raises(ValueError, match=r"^inet_pton: '1\.2\.3' is not a valid address for family AF_INET$"):
        rs.inet_pton(rs.AF_INET, "1.2.3")
    assert errno_of(lambda: rs.inet_pton(9999, "1.2.3.4")) == errno.EAFNOSUPPORT
    assert errno_of(lambda: rs.inet_ntop(9999, b"")) == errno.EAFNOSUPPORT
    with pytest.raises(ValueError, match="reads 16 bytes"):
        rs.inet_ntop(rs.AF_INET6, bytes(4))


def test_inet_aton_addr_ntoa() -> None:
    assert rs.inet_aton("127.1") == b"\x7f\x00\x00\x01"  # inet_aton's short forms
    with pytest.raises(ValueError):
        rs.inet_aton("300.1.1.1")
    assert rs.inet_addr("1.2.3.4") == int.from_bytes(b"\x01\x02\x03\x04", "little")
    assert rs.inet_addr("nonsense") == 0xFFFFFFFF == rs.INADDR_NONE
    assert rs.inet_addr("255.255.255.255") == rs.INADDR_NONE  # the ambiguity inet_addr(3) warns of
    assert rs.inet_ntoa(b"\x0a\x00\x00\x01") == "10.0.0.1"
    with pytest.raises(ValueError):
        rs.inet_ntoa(b"\x01")


def test_raw_inet_ntoa_shares_one_static_buffer() -> None:
    first = lib.inet_ntoa(ffi.new("struct in_addr *", [rs.inet_addr("1.2.3.4")])[0])
    second = lib.inet_ntoa(ffi.new("struct in_addr *", [rs.inet_addr("10.194.71.60")])[0])
    assert ffi.string(first) == ffi.string(second) == b"10.194.71.60"
    assert first == second  # the same pointer


def test_libc_calls_make_no_syscall_and_touch_no_fd() -> None:
    before = os.listdir("/proc/self/fd")
    rs.inet_ntop(rs.AF_INET, rs.inet_pton(rs.AF_INET, "1.1.1.1"))
    assert os.listdir("/proc/self/fd") == before
