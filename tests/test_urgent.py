"""Urgent data: MSG_OOB, sockatmark(3), SO_OOBINLINE; and ioctl(2)'s FIONREAD/SIOCINQ, SIOCOUTQ, SIOCATMARK."""

from __future__ import annotations

import errno

import pytest
from conftest import Fds, errno_of

import rawsock as rs


def _send_with_urgent_byte(client: int, server: int) -> None:
    rs.send(client, b"normal")
    rs.send(client, b"!", rs.MSG_OOB)
    assert rs.poll([(server, rs.POLLPRI)], 2000) == [(server, rs.POLLPRI)]  # only the events asked for


def test_the_mark_and_the_urgent_byte(tcp_pair: tuple[int, int]) -> None:
    client, server = tcp_pair
    _send_with_urgent_byte(client, server)
    assert rs.sockatmark(server) is False
    assert rs.recv(server, 100) == b"normal"  # a read stops at the mark
    assert rs.sockatmark(server) is True and rs.ioctl(server, rs.SIOCATMARK) == 1
    assert rs.recv(server, 1, rs.MSG_OOB) == b"!"
    assert errno_of(lambda: rs.recv(server, 1, rs.MSG_OOB)) == errno.EINVAL  # read already


def test_oobinline_puts_the_urgent_byte_in_the_stream(tcp_pair: tuple[int, int]) -> None:
    client, server = tcp_pair
    rs.setsockopt(server, rs.SOL_SOCKET, rs.SO_OOBINLINE, 1)
    _send_with_urgent_byte(client, server)
    assert rs.recv(server, 100) == b"normal"
    assert rs.sockatmark(server) is True
    assert rs.recv(server, 100) == b"!"
    assert errno_of(lambda: rs.recv(server, 1, rs.MSG_OOB)) == errno.EINVAL


def test_sockatmark_errors_differ_from_the_man_page(fds: Fds, not_a_socket: int) -> None:
    udp = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM))
    # sockatmark(3) documents EINVAL for "fd is not a socket or ... does not support the operation";
    # Linux answers ENOTTY for both (the ioctl is unknown to them).
    assert errno_of(lambda: rs.sockatmark(udp)) == errno.ENOTTY
    assert errno_of(lambda: rs.sockatmark(not_a_socket)) == errno.ENOTTY
    assert errno_of(lambda: rs.sockatmark(-1)) == errno.EBADF


def test_fionread_siocinq_siocoutq(fds: Fds, tcp_pair: tuple[int, int]) -> None:
    client, server = tcp_pair
    assert rs.FIONREAD == rs.SIOCINQ
    rs.send(client, b"12345")
    rs.poll([(server, rs.POLLIN)], 2000)
    assert rs.ioctl(server, rs.FIONREAD) == 5 and rs.ioctl(server, rs.SIOCINQ) == 5
    rs.set_nonblocking(client)
    queued = 0
    with pytest.raises(BlockingIOError):
        while True:
            queued += rs.send(client, b"x" * 65536)
    outq = rs.ioctl(client, rs.SIOCOUTQ)
    assert 0 < outq <= queued  # sent, not yet acknowledged: the peer's window is full


def test_ioctl_errors(fds: Fds, unix_pair: tuple[int, int]) -> None:
    assert errno_of(lambda: rs.ioctl(-1, rs.FIONREAD)) == errno.EBADF
    assert errno_of(lambda: rs.ioctl(unix_pair[0], 0x1234)) == errno.ENOTTY
