"""LTP's socket errno cases, reproduced with rawsock: one test per LTP file, named after it.

Source: linux-test-project/ltp at commit 695827725f4fc14fe583043127e0335c29bbd52d, the 62 C files (and their
headers) under ``testcases/kernel/syscalls/`` in socket, socketpair, bind, listen, accept, accept4, connect,
getsockname, getpeername, getsockopt, setsockopt, send, sendto, sendmsg, sendmmsg, recv, recvfrom, recvmsg,
recvmmsg, select, pselect, poll, ppoll and sockioctl.  34 of those files have errno cases; the other 28 check
success, timing or races only, and have no test here.

How the cases are counted (182, the survey's main count; ``CASES`` lists them): a case is one call that LTP
expects to fail with one specific errno, a wrong errno or a success being a failure.

- table-driven tests: one case per table row that expects failure; the index is the row's 0-based position in
  its table, so the rows that expect success leave gaps (143 cases);
- single-call tests: the errno checks numbered in the order they run (6);
- accept03: one case per fd type of ``TST_FD_FOREACH`` it does not skip, the index being ``enum tst_fd_type``
  (23);
- the two pass paths of setsockopt10 and of sendto03's check_tiny_frame count as two cases each (4);
- send02's ``recv(MSG_DONTWAIT)`` that must give EAGAIN right after a ``send(MSG_MORE)``, once per test case
  (4);
- two checks that are not socket calls: bind03's ``unlink()`` (ENOENT) and select04's setup ``write()`` on a
  full non-blocking pipe (EAGAIN) (2).

Test variants (libc, raw syscall, time64 in sendmmsg02, recvmmsg01 and ppoll01; select03's five; pselect02's
``_64`` build) are not multiplied out: rawsock makes one syscall per call, the one its documentation names.

Each case makes the C source's call with its arguments: the same fd (400 and 1025 for "anything not an open
file", a closed /dev/null fd for setsockopt01, -1 where the C has -1), the same lengths (``sizeof(struct
sockaddr_un)`` is 110, not the path's own length; -1 where the C passes -1) and the same state before the call
(sendmsg01's STREAM rows keep the previous row's msg_name, as the C loop does).  A NULL in the C is
``rs.NULL``.  A bad pointer is ``rs.BADPTR``, a PROT_NONE page, which is what ``tst_get_bad_addr()`` returns and
what stands here for ``(void *)-1``, ``(int *)7``, ``(socklen_t *)1`` and ``(struct sockaddr *)3``: rawsock
takes no other address.  The kernel may refuse ``(void *)-1`` in access_ok() before it copies anything, where
it faults on BADPTR when it copies; either is EFAULT, and every such case here reaches the copy (the receive
cases have data waiting, as LTP's select() makes sure).  LTP's forked servers are a listening socket in the
test process, which accepts and sends what the C server sends; privileges are dropped in a forked child
(bind02, connect03), and what changes a whole network namespace, or must not depend on the host's, runs in a
child's new one (bind01, bind02, accept02, setsockopt08, sendto03).

Raw layer: 0 of the 182 cases (0 %) need ``rawsock.lib``: every call under test goes through ``import rawsock
as rs`` (``test_raw_layer_share_is_at_most_5_percent`` computes the share from ``CASES`` and checks that no
code here touches ``rs.lib`` or ``rs.ffi``).  One case is not made through rawsock at all: bind03's
``unlink()``, not a socket call, is ``os.unlink`` (layer "stdlib").  Setup that makes fds rawsock does not deal
in (accept03's eventfd, signalfd, perf event, bpf map, ... fds) uses ``os`` and ``ctypes``, as a C test uses
libc.

When this was written (Linux 6.18, as root), everything ran but the three cases that need a kernel module the
machine does not have; their tests make the real call and skip on its answer: sendto02 (SCTP: socket() gives
EPROTONOSUPPORT) and setsockopt10's two (the tls ULP: setsockopt(TCP_ULP, "tls") gives ENOENT).  Every errno
asserted is the kernel's, and each is the errno LTP checks at run time.  Two differ from the table literals,
which LTP's setup corrects itself: sockioctl01's rows 1 and 3 are ENOTTY, not EINVAL (kernel commit
46ce341b2f17).  Some cases get LTP's errno for another reason than their description gives, and their tests say
so: accept01 rows 1 and 2 (the socket is not listening, which is EINVAL before the address or its length is
looked at), recvmsg01 row 2 (flags -1 alone is EINVAL, and so is msg_namelen -1 alone) and sendmmsg02 row 1
(msgvec is NULL, not a bad address).  sendto03's second path is made although on this kernel LTP stops at the
first.
A few assertions marked "not an LTP case" check the survey's readings of the kernel: accept01's (a listening
socket gives EFAULT and no error for them), recvmsg01 row 2's, recvfrom01 row 3's (the data is consumed before
the EINVAL) and sockioctl01 row 7's (EFAULT without privilege too).
"""

from __future__ import annotations

import ast
import ctypes
import errno
import functools
import os
import platform
import pwd
import signal
import stat
import struct
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import NOBODY, Fds, errno_of, in_child

import rawsock as rs

LTP_COMMIT = "695827725f4fc14fe583043127e0335c29bbd52d"


class Case(NamedTuple):
    file: str  # the LTP file's stem: the test is test_<file>
    ltp_index: int  # the row of its table, the check's position, or accept03's enum tst_fd_type
    desc: str  # LTP's description (an empty one filled in from the table's errno)
    layer: str  # "rawsock" (import rawsock as rs), "raw" (rawsock.lib and rawsock.ffi) or "stdlib" (os)


#: every case: the file, then (index, description) in the order the file runs them
_TABLES: dict[str, tuple[tuple[int, str], ...]] = {
    "socket01": (
        (0, "invalid domain"),
        (1, "invalid type"),
        (3, "raw open as non-root"),
        (5, "UDP stream"),
        (6, "TCP dgram"),
        (8, "ICMP stream"),
    ),
    "socketpair01": (
        (0, "invalid domain"),
        (1, "invalid type"),
        (3, "raw open as non-root"),
        (4, "bad aligned pointer"),
        (5, "bad unaligned pointer"),
        (6, "UDP socket"),
        (7, "TCP dgram"),
        (8, "TCP socket"),
        (9, "ICMP stream"),
    ),
    "bind01": (
        (0, "invalid salen"),
        (1, "invalid socket"),
        (3, "UNIX-domain of current directory"),
        (4, "non-local address"),
        (5, "sockfd is not a valid file descriptor"),
        (6, "a component of addr prefix is not a directory"),
    ),
    "bind02": ((0, "bind()"),),
    "bind03": (
        (0, "re-bind() socket"),
        (1, "bind() with bound pathname"),
        (2, "check exist of SNAME_B"),
    ),
    "listen01": (
        (0, "bad file descriptor"),
        (1, "not a socket"),
        (2, "UDP listen"),
    ),
    "accept01": (
        (0, "bad file descriptor"),
        (1, "invalid socket buffer"),
        (2, "invalid salen"),
        (3, "no queued connections"),
        (4, "UDP accept"),
    ),
    "accept02": ((0, "Multicast group was not copied"),),
    "accept03": (
        (0, "accept() on file"),
        (1, "accept() on O_PATH file"),
        (2, "accept() on directory"),
        (3, "accept() on /dev/zero"),
        (4, "accept() on /proc/self/maps"),
        (5, "accept() on pipe read end"),
        (6, "accept() on pipe write end"),
        (9, "accept() on epoll"),
        (10, "accept() on eventfd"),
        (11, "accept() on signalfd"),
        (12, "accept() on timerfd"),
        (13, "accept() on pidfd"),
        (14, "accept() on fanotify"),
        (15, "accept() on inotify"),
        (16, "accept() on userfaultfd"),
        (17, "accept() on perf event"),
        (18, "accept() on io uring"),
        (19, "accept() on bpf map"),
        (20, "accept() on fsopen"),
        (21, "accept() on fspick"),
        (22, "accept() on open_tree"),
        (23, "accept() on memfd"),
        (24, "accept() on memfd secret"),
    ),
    "connect01": (
        (0, "sockfd is not a valid open file descriptor"),
        (1, "socket structure address is outside the user's address space"),
        (2, "addrlen is not valid"),
        (3, "file descriptor sockfd does not refer to a socket"),
        (4, "socket is already connected"),
        (5, "connect on a socket found nothing listening on remote address"),
        (6, "address doesn't have the correct address family in sa_family"),
    ),
    "connect03": (
        (0, "socket type does not support the protocol"),
        (1, "write permission is denied on the socket file"),
    ),
    "getsockname01": (
        (0, "bad file descriptor"),
        (1, "bad file descriptor"),  # LTP's description; the row expects ENOTSOCK
        (2, "invalid socket buffer"),
        (3, "invalid aligned salen"),
        (4, "invalid unaligned salen"),
        (5, "invalid socklen"),
    ),
    "getpeername01": (  # the table has no descriptions
        (0, "EBADF"),
        (1, "ENOTSOCK"),
        (2, "ENOTCONN"),
        (3, "EINVAL"),
        (4, "EFAULT (sockaddr)"),
        (5, "EFAULT (addrlen NULL)"),
        (6, "EFAULT (addrlen 1)"),
    ),
    "getsockopt01": (
        (0, "bad file descriptor"),
        (1, "bad file descriptor"),  # LTP's description; the row expects ENOTSOCK
        (2, "invalid option buffer"),
        (3, "invalid optlen"),
        (4, "invalid level"),
        (5, "not supported option name (UDP)"),
        (6, "invalid option name (IP)"),
        (7, "invalid option name (TCP)"),
        (8, "invalid optlen"),
    ),
    "setsockopt01": (
        (0, "invalid file descriptor"),
        (1, "non-socket file descriptor"),
        (2, "invalid option buffer"),
        (3, "invalid optlen"),
        (4, "invalid level"),
        (5, "invalid option name (UDP)"),
        (6, "invalid option name (IP)"),
        (7, "invalid option name (TCP)"),
    ),
    "setsockopt02": ((1, "Refused bad tp_sizeof_priv value (bad_size)"),),
    "setsockopt08": ((0, "setsockopt(%d, IPPROTO_IP, IPT_SO_SET_REPLACE, %p, 1)"),),
    "setsockopt10": (
        (0, "parent: tls disallows disconnect"),
        (1, "parent: Can't listen on disconnected TLS socket"),
    ),
    "send01": (
        (0, "bad file descriptor"),
        (1, "invalid socket"),
        (2, "invalid send buffer"),
        (3, "UDP message too big"),
        (4, "local endpoint shutdown"),
        (5, "invalid flags set"),
    ),
    "send02": (
        (0, "TCP send (recv right after MSG_MORE)"),
        (1, "UDP send (recv right after MSG_MORE)"),
        (2, "UDP sendto (recv right after MSG_MORE)"),
        (3, "UDP sendmsg (recv right after MSG_MORE)"),
    ),
    "sendto01": (
        (0, "bad file descriptor"),
        (1, "invalid socket"),
        (2, "invalid send buffer"),
        (4, "not connected TCP"),
        (5, "invalid to buffer length"),
        (6, "invalid to buffer"),
        (7, "UDP message too big"),
        (8, "local endpoint shutdown"),
        (9, "invalid flags set"),
    ),
    "sendto02": ((0, "sendto(fd, NULL, ...)"),),
    "sendto03": (  # both pass paths of testcase_list[0], check_tiny_frame
        (0, "setsockopt(PACKET_RESERVE) value is capped"),
        (0, "setsockopt(PACKET_RX_RING) frame size check rejects values smaller than packet header"),
    ),
    "sendmsg01": (
        (0, "bad file descriptor"),
        (1, "invalid socket"),
        (2, "invalid send buffer"),
        (4, "not connected TCP"),
        (5, "invalid to buffer length"),
        (6, "invalid to buffer"),
        (7, "UDP message too big"),
        (8, "local endpoint shutdown"),
        (9, "invalid iovec pointer"),
        (10, "invalid msghdr pointer"),
        (12, "invalid flags set"),
        (14, "invalid cmsg pointer"),
    ),
    "sendmmsg02": (
        (0, "bad file descriptor"),
        (1, "invalid msgvec address"),
    ),
    "recv01": (
        (0, "bad file descriptor"),
        (1, "invalid socket"),
        (2, "invalid recv buffer"),
        (3, "invalid MSG_OOB flag set"),
        (4, "invalid MSG_ERRQUEUE flag set"),
    ),
    "recvfrom01": (
        (0, "bad file descriptor"),
        (1, "invalid socket"),
        (3, "invalid socket addr length"),
        (4, "invalid recv buffer"),
        (5, "invalid MSG_OOB flag set"),
        (6, "invalid MSG_ERRQUEUE flag set"),
    ),
    "recvmsg01": (
        (0, "bad file descriptor"),
        (1, "invalid socket"),
        (2, "invalid socket length"),
        (3, "invalid recv buffer"),
        (4, "invalid iovec buffer"),
        (5, "invalid iovec count"),
        (7, "invalid MSG_OOB flag set"),
        (8, "invalid MSG_ERRQUEUE flag set"),
    ),
    "recvmmsg01": (
        (0, "bad socket file descriptor"),
        (1, "bad message vector address"),
        (2, "negative seconds in timeout"),
        (3, "overflow in nanoseconds in timeout"),
        (4, "bad timeout address"),
    ),
    "select03": (
        (0, "Negative nfds"),
        (1, "Invalid readfds"),
        (2, "Invalid writefds"),
        (3, "Invalid exceptfds"),
        (4, "Faulty readfds"),
        (5, "Faulty writefds"),
        (6, "Faulty exceptfds"),
        (7, "Faulty timeout"),
    ),
    "select04": ((0, "write() failed with unexpected error (setup: fill the pipe)"),),
    "pselect02": (  # LTP prints "pselect(%i, %p, %p)" for all three
        (0, "pselect(128, &read_fds, NULL): a closed fd"),
        (1, "pselect(-1, NULL, NULL)"),
        (2, "pselect(128, NULL, &time_buf): tv_sec -1"),
    ),
    "ppoll01": (
        (4, "SEND_SIGINT"),
        (5, "SEND_SIGINT_RACE_TEST"),
        (6, "INVALID_NFDS"),
        (7, "INVALID_FDS"),
    ),
    "sockioctl01": (
        (0, "bad file descriptor"),
        (1, "not a socket"),
        (2, "invalid option buffer"),
        (3, "ATMARK on UDP"),
        (6, "SIOCGIFFLAGS with invalid ifr"),
        (7, "SIOCSIFFLAGS with invalid ifr"),
    ),
}

#: the cases whose call needs rawsock.lib with structs built by hand through rawsock.ffi: none
RAW_LAYER: frozenset[tuple[str, int]] = frozenset()

#: the cases made through the standard library, not rawsock: a call that is not a socket call
STDLIB: frozenset[tuple[str, int]] = frozenset({("bind03", 2)})  # unlink(2)

CASES: tuple[Case, ...] = tuple(
    Case(file, index, desc, "raw" if (file, index) in RAW_LAYER else "stdlib" if (file, index) in STDLIB
         else "rawsock")
    for file, rows in _TABLES.items() for index, desc in rows
)

#: the survey's count, by the rule in the module docstring
TOTAL = 182

SIZEOF_SOCKADDR_IN = 16  # sizeof(struct sockaddr_in)
SIZEOF_SOCKADDR_UN = 110  # sizeof(struct sockaddr_un)
SIZEOF_IFREQ = 40  # sizeof(struct ifreq)
INADDR_ANY = rs.SockaddrIn("0.0.0.0", 0)
BUF = bytes(1024)  # the C tests' static char buf[1024]
BIGBUF = bytes(128 * 1024)  # and bigbuf[128 * 1024]: more than a UDP datagram holds


def not_open(fd: int) -> int:
    """An fd number a C test uses as "anything not an open file" (400, 1025), checked to be closed here."""
    assert not os.path.lexists(f"/proc/self/fd/{fd}"), f"fd {fd} is open in this process"
    return fd


def unused_port(type: int = rs.SOCK_STREAM) -> int:
    """TST_GET_UNUSED_PORT: a port the kernel hands out to a bind to INADDR_ANY:0, released again."""
    fd = rs.socket(rs.AF_INET, type)
    try:
        rs.bind(fd, INADDR_ANY)
        addr = rs.getsockname(fd)
        assert isinstance(addr, rs.SockaddrIn)
        return addr.port
    finally:
        rs.close(fd)


def ltp_server(fds: Fds) -> tuple[int, rs.SockaddrIn]:
    """The legacy tests' start_server(): a TCP socket bound to INADDR_ANY:0, listening with backlog 10, and the
    address getsockname() gives (0.0.0.0:port, which a connect() reaches over loopback)."""
    lfd = fds(rs.socket(rs.PF_INET, rs.SOCK_STREAM))
    rs.bind(lfd, INADDR_ANY, SIZEOF_SOCKADDR_IN)
    rs.listen(lfd, 10)
    sin1 = rs.getsockname(lfd)
    assert isinstance(sin1, rs.SockaddrIn)
    return lfd, sin1


def connected_with_data(fds: Fds, server: tuple[int, rs.SockaddrIn], data: bytes) -> int:
    """A TCP socket connected to ``server`` with ``data`` waiting to be read: the server accepts and sends it
    (as LTP's forked servers do), and select() waits up to 2 s for it, as the C setup does."""
    lfd, sin1 = server
    s = fds(rs.socket(rs.PF_INET, rs.SOCK_STREAM))
    rs.connect(s, sin1, SIZEOF_SOCKADDR_IN)
    conn = fds(rs.accept(lfd, addrlen=SIZEOF_SOCKADDR_IN)[0])
    assert rs.send(conn, data) == len(data)
    assert rs.select([s], None, None, rs.Timeval(2, 0)).readable == [s], "no message ready in 2 sec"
    return s


def dev_null(fds: Fds) -> int:
    return fds(os.open("/dev/null", os.O_WRONLY))


def lo_up() -> None:
    """``ip link set lo up``, in the network namespace of the caller (a child's new one)."""
    fd = rs.socket(rs.AF_INET, rs.SOCK_DGRAM)
    try:
        flags = rs.ioctl(fd, rs.SIOCGIFFLAGS, "lo").value
        assert isinstance(flags, int)
        rs.ioctl(fd, rs.SIOCSIFFLAGS, rs.Ifreq("lo", flags | rs.IFF_UP))
    finally:
        rs.close(fd)


def add_route_via_lo(dst: str, prefixlen: int) -> None:
    """``ip route add dst/prefixlen dev lo``: one RTM_NEWROUTE over rtnetlink (rtnetlink(7)), acknowledged."""
    nlmsg_hdrlen, rtm_newroute, rta_dst, rta_oif = 16, 24, 1, 4
    nlm_f_request, nlm_f_ack, nlm_f_excl, nlm_f_create = 0x1, 0x4, 0x200, 0x400
    rt_table_main, rtprot_boot, rt_scope_link, rtn_unicast = 254, 3, 253, 1
    body = struct.pack("=BBBBBBBBI", rs.AF_INET, prefixlen, 0, 0, rt_table_main, rtprot_boot, rt_scope_link,
                       rtn_unicast, 0)
    body += struct.pack("=HH4s", 8, rta_dst, rs.inet_pton(rs.AF_INET, dst))
    body += struct.pack("=HHI", 8, rta_oif, 1)  # lo is ifindex 1 in a new namespace
    header = struct.pack("=IHHII", nlmsg_hdrlen + len(body), rtm_newroute,
                         nlm_f_request | nlm_f_ack | nlm_f_excl | nlm_f_create, 1, 0)
    nl = rs.socket(rs.AF_NETLINK, rs.SOCK_RAW, 0)  # NETLINK_ROUTE
    try:
        rs.send(nl, header + body)
        (error,) = struct.unpack_from("=i", rs.recv(nl, 4096), nlmsg_hdrlen)  # the NLMSG_ERROR ack
        assert error == 0, f"RTM_NEWROUTE: {os.strerror(-error)}"
    finally:
        rs.close(nl)


# --- socket, socketpair --------------------------------------------------------------------------------------


def test_socket01() -> None:
    rows = (
        (0, (0, rs.SOCK_STREAM, 0), errno.EAFNOSUPPORT),
        (1, (rs.PF_INET, 75, 0), errno.EINVAL),
        # "raw open as non-root" drops no privilege: protocol 0 names no raw protocol, which is EPROTONOSUPPORT
        # for root too (inet_create finds no SOCK_RAW entry for protocol 0)
        (3, (rs.PF_INET, rs.SOCK_RAW, 0), errno.EPROTONOSUPPORT),
        (5, (rs.PF_INET, rs.SOCK_STREAM, rs.IPPROTO_UDP), errno.EPROTONOSUPPORT),
        (6, (rs.PF_INET, rs.SOCK_DGRAM, rs.IPPROTO_TCP), errno.EPROTONOSUPPORT),
        (8, (rs.PF_INET, rs.SOCK_STREAM, rs.IPPROTO_ICMP), errno.EPROTONOSUPPORT),
    )
    for index, args, expected in rows:
        assert errno_of(functools.partial(rs.socket, *args)) == expected, index


def test_socketpair01() -> None:
    rows = (
        (0, (0, rs.SOCK_STREAM, 0), None, errno.EAFNOSUPPORT),
        (1, (rs.PF_INET, 75, 0), None, errno.EINVAL),
        (3, (rs.PF_INET, rs.SOCK_RAW, 0), None, errno.EPROTONOSUPPORT),
        (4, (rs.PF_UNIX, rs.SOCK_STREAM, 0), rs.NULL, errno.EFAULT),  # sv = 0
        (5, (rs.PF_UNIX, rs.SOCK_STREAM, 0), rs.BADPTR, errno.EFAULT),  # sv = (int *)7
        (6, (rs.PF_INET, rs.SOCK_DGRAM, rs.IPPROTO_UDP), None, errno.EOPNOTSUPP),
        (7, (rs.PF_INET, rs.SOCK_DGRAM, rs.IPPROTO_TCP), None, errno.EPROTONOSUPPORT),
        (8, (rs.PF_INET, rs.SOCK_STREAM, rs.IPPROTO_TCP), None, errno.EOPNOTSUPP),
        (9, (rs.PF_INET, rs.SOCK_STREAM, rs.IPPROTO_ICMP), None, errno.EPROTONOSUPPORT),
    )
    for index, args, sv, expected in rows:
        assert errno_of(functools.partial(rs.socketpair, *args, sv=sv)) == expected, index


# --- bind ----------------------------------------------------------------------------------------------------


def test_bind01(tmp_path: Path) -> None:
    # In a new network namespace with lo up, so that 10.255.254.253 is certainly not local (LTP assumes it is
    # not).  lo must be up: in a namespace whose lo never was, no address was ever added and there is no local
    # routing table, so inet_addr_type() answers RTN_BROADCAST for any address, which bind() accepts (row 4
    # passes there on this kernel).
    def run() -> list[int]:
        lo_up()
        os.chdir(tmp_path)  # .needs_tmpdir
        sin1 = rs.SockaddrIn("0.0.0.0", unused_port())
        inet_socket = rs.socket(rs.PF_INET, rs.SOCK_STREAM)
        dev_null_fd = os.open("/dev/null", os.O_WRONLY)
        fd_enotdir = rs.socket(rs.AF_UNIX, rs.SOCK_STREAM)
        os.close(os.open("dir_enotdir", os.O_CREAT | os.O_WRONLY, 0o777))  # SAFE_TOUCH(DIR_ENOTDIR, 0777)
        os.chmod("dir_enotdir", 0o777)
        return [
            errno_of(lambda: rs.bind(inet_socket, sin1, 3)),  # [0]
            errno_of(lambda: rs.bind(dev_null_fd, sin1, SIZEOF_SOCKADDR_IN)),  # [1]
            # [2] INADDR_ANYPORT passes, and LTP replaces inet_socket by a new one: unbound, as this one still is
            errno_of(lambda: rs.bind(inet_socket, ".", SIZEOF_SOCKADDR_UN)),  # [3]
            errno_of(lambda: rs.bind(inet_socket, ("10.255.254.253", 0), SIZEOF_SOCKADDR_IN)),  # [4]
            errno_of(lambda: rs.bind(-1, sin1, SIZEOF_SOCKADDR_IN)),  # [5]
            errno_of(lambda: rs.bind(fd_enotdir, "dir_enotdir/test_enotdir", SIZEOF_SOCKADDR_UN)),  # [6]
        ]

    assert in_child(run, netns=True) == [errno.EINVAL, errno.ENOTSOCK, errno.EAFNOSUPPORT, errno.EADDRNOTAVAIL,
                                         errno.EBADF, errno.ENOTDIR]


def test_bind02() -> None:
    nobody = pwd.getpwnam("nobody")

    # setup(): SAFE_SETEGID/SAFE_SETEUID to nobody; in a new network namespace, where
    # net.ipv4.ip_unprivileged_port_start has its default, 1024, whatever the host's is
    def run() -> int:
        os.setegid(nobody.pw_gid)
        os.seteuid(nobody.pw_uid)
        sockfd = rs.socket(rs.AF_INET, rs.SOCK_STREAM)
        return errno_of(lambda: rs.bind(sockfd, ("0.0.0.0", 463), SIZEOF_SOCKADDR_IN))  # TCP_PRIVILEGED_PORT

    assert in_child(run, netns=True) == errno.EACCES


def test_bind03(fds: Fds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    sock1 = fds(rs.socket(rs.PF_UNIX, rs.SOCK_STREAM))
    sock2 = fds(rs.socket(rs.PF_UNIX, rs.SOCK_STREAM))
    rs.bind(sock1, "socket.1", SIZEOF_SOCKADDR_UN)
    assert errno_of(lambda: rs.bind(sock1, "socket.2", SIZEOF_SOCKADDR_UN)) == errno.EINVAL  # [0]
    assert errno_of(lambda: rs.bind(sock2, "socket.1", SIZEOF_SOCKADDR_UN)) == errno.EADDRINUSE  # [1]
    # [2], checked from 5.14 on: the failed re-bind left no "socket.2" behind (not a socket call: os.unlink)
    with pytest.raises(FileNotFoundError) as unlinked:
        os.unlink("socket.2")
    assert unlinked.value.errno == errno.ENOENT


# --- listen, accept ------------------------------------------------------------------------------------------


def test_listen01(fds: Fds) -> None:
    assert errno_of(lambda: rs.listen(not_open(400), 0)) == errno.EBADF  # [0]
    assert errno_of(lambda: rs.listen(dev_null(fds), 0)) == errno.ENOTSOCK  # [1]
    udp = fds(rs.socket(rs.PF_INET, rs.SOCK_DGRAM))
    assert errno_of(lambda: rs.listen(udp, 0)) == errno.EOPNOTSUPP  # [2]


def test_accept01(fds: Fds) -> None:
    socket_fd = fds(rs.socket(rs.PF_INET, rs.SOCK_STREAM))
    rs.bind(socket_fd, INADDR_ANY, SIZEOF_SOCKADDR_IN)
    udp_fd = fds(rs.socket(rs.PF_INET, rs.SOCK_DGRAM))
    rs.bind(udp_fd, INADDR_ANY, SIZEOF_SOCKADDR_IN)
    salen = SIZEOF_SOCKADDR_IN
    assert errno_of(lambda: rs.accept(not_open(400), addrlen=salen)) == errno.EBADF  # [0]
    # [1] and [2] name a bad address ((struct sockaddr *)3) and a bad length (1), but socket_fd never listens:
    # inet_accept refuses a socket that is not listening with EINVAL before either is looked at, so all three
    # rows get LTP's EINVAL from that, as [3] does.
    assert errno_of(lambda: rs.accept(socket_fd, addr=rs.BADPTR, addrlen=salen)) == errno.EINVAL  # [1]
    assert errno_of(lambda: rs.accept(socket_fd, addrlen=1)) == errno.EINVAL  # [2]
    assert errno_of(lambda: rs.accept(socket_fd, addrlen=salen)) == errno.EINVAL  # [3]
    assert errno_of(lambda: rs.accept(udp_fd, addrlen=salen)) == errno.EOPNOTSUPP  # [4]
    # Not LTP cases: on a socket that listens, with a connection queued, the same bad address is EFAULT, and a
    # length of 1 is no error at all (the kernel copies one byte of the address).
    lfd, where = ltp_server(fds)
    for _ in range(2):
        rs.connect(fds(rs.socket(rs.PF_INET, rs.SOCK_STREAM)), where)
    assert errno_of(lambda: rs.accept(lfd, addr=rs.BADPTR, addrlen=salen)) == errno.EFAULT
    conn, short = rs.accept(lfd, addrlen=1)
    fds(conn)
    assert short == rs.RawSockaddr(None, struct.pack("=H", rs.AF_INET)[:1])  # the first byte of sa_family


def test_accept02() -> None:
    # CVE-2017-8890: the accepted socket must not inherit the listener's multicast membership.  The C test's
    # threads, run one after the other: the client's connect() completes from the backlog.  In a new network
    # namespace with lo up and a route for 224.0.0.0/4 through it, so that gr_interface 0 finds a device without
    # the host's routes (and no IGMP report leaves the machine).
    def run() -> int:
        lo_up()
        add_route_via_lo("224.0.0.0", 4)
        mc_group = rs.GroupReq(0, rs.SockaddrIn("224.0.0.0", 0))  # sizeof(struct group_req): 136
        server_addr = rs.SockaddrIn("127.0.0.1", unused_port())
        server_sockfd = rs.socket(rs.AF_INET, rs.SOCK_STREAM)
        rs.setsockopt(server_sockfd, rs.SOL_SOCKET, rs.SO_REUSEADDR, 1)
        rs.setsockopt(server_sockfd, rs.SOL_IP, rs.MCAST_JOIN_GROUP, mc_group)
        rs.bind(server_sockfd, server_addr, SIZEOF_SOCKADDR_IN)
        rs.listen(server_sockfd, 1)
        client_sockfd = rs.socket(rs.AF_INET, rs.SOCK_STREAM)
        rs.bind(client_sockfd, INADDR_ANY, SIZEOF_SOCKADDR_IN)
        rs.connect(client_sockfd, server_addr, SIZEOF_SOCKADDR_IN)
        clone_server_sockfd, _ = rs.accept(server_sockfd, addrlen=SIZEOF_SOCKADDR_IN)
        return errno_of(lambda: rs.setsockopt(clone_server_sockfd, rs.SOL_IP, rs.MCAST_LEAVE_GROUP, mc_group))

    assert in_child(run, netns=True) == errno.EADDRNOTAVAIL  # [0]


_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long

#: the syscalls accept03's fd types need that neither os nor glibc wraps, by machine (the numbers from 424 on
#: are the same on every architecture)
_SYSCALL_NR: dict[str, dict[str, int]] = {
    "x86_64": {"userfaultfd": 323, "perf_event_open": 298, "bpf": 321},
    "aarch64": {"userfaultfd": 282, "perf_event_open": 241, "bpf": 280},
    "riscv64": {"userfaultfd": 282, "perf_event_open": 241, "bpf": 280},
}
_NEW_SYSCALL_NR = {"io_uring_setup": 425, "open_tree": 428, "fsopen": 430, "fspick": 433, "memfd_secret": 447}


def _checked(result: int) -> int:
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return result


def _syscall(name: str, *args: object) -> int:
    nr = _NEW_SYSCALL_NR.get(name) or _SYSCALL_NR.get(platform.machine(), {}).get(name)
    if nr is None:
        pytest.skip(f"no syscall number for {name} on {platform.machine()}")
    return _checked(_libc.syscall(ctypes.c_long(nr), *args))


def _open_path() -> list[int]:
    os.close(os.open("fd_file", os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o666))  # SAFE_CREAT
    fd = os.open("fd_file", os.O_PATH)
    os.unlink("fd_file")
    return [fd]


def _open_dir() -> list[int]:
    os.mkdir("fd_dir", 0o700)
    fd = os.open("fd_dir", os.O_DIRECTORY)
    os.rmdir("fd_dir")
    return [fd]


def _open_file() -> list[int]:
    fd = os.open("fd_file", os.O_RDWR | os.O_CREAT, 0o666)
    os.unlink("fd_file")
    return [fd]


def _open_pipe(end: int) -> list[int]:
    pipe = rs.pipe()  # SAFE_PIPE: pipe(2), no O_CLOEXEC (os.pipe would add it)
    return [pipe[end], pipe[1 - end]]  # the fd accept() is given, then its other end (tst_fd's priv)


def _open_signalfd() -> list[int]:
    empty = ctypes.create_string_buffer(128)  # sigemptyset(&sfd_mask): a zeroed sigset_t
    return [_checked(_libc.signalfd(-1, empty, 0))]


def _open_perf_event() -> list[int]:
    perf_type_software, perf_count_sw_cpu_clock, size = 1, 0, 128  # sizeof(struct perf_event_attr)
    disabled, exclude_kernel, exclude_hv = 1 << 0, 1 << 5, 1 << 6
    attr = struct.pack("=IIQQQQQ", perf_type_software, size, perf_count_sw_cpu_clock, 0, 0, 0,
                       disabled | exclude_kernel | exclude_hv).ljust(size, b"\0")
    return [_syscall("perf_event_open", ctypes.create_string_buffer(attr, size), 0, -1, -1, ctypes.c_ulong(0))]


def _open_bpf_map() -> list[int]:
    bpf_map_create, bpf_map_type_array, size = 0, 2, 144  # sizeof(union bpf_attr)
    attr = struct.pack("=IIII", bpf_map_type_array, 4, 8, 1).ljust(size, b"\0")  # key 4, value 8, 1 entry
    return [_syscall("bpf", bpf_map_create, ctypes.create_string_buffer(attr, size), size)]


_AT_FDCWD = -100
_ACCEPT03: tuple[tuple[int, str, Callable[[], list[int]], int], ...] = (
    (0, "file", _open_file, errno.ENOTSOCK),
    # an O_PATH fd has no struct file the socket calls can use: fdget() fails, EBADF
    (1, "O_PATH file", _open_path, errno.EBADF),
    (2, "directory", _open_dir, errno.ENOTSOCK),
    (3, "/dev/zero", lambda: [os.open("/dev/zero", os.O_RDONLY)], errno.ENOTSOCK),
    (4, "/proc/self/maps", lambda: [os.open("/proc/self/maps", os.O_RDONLY)], errno.ENOTSOCK),
    (5, "pipe read end", lambda: _open_pipe(0), errno.ENOTSOCK),
    (6, "pipe write end", lambda: _open_pipe(1), errno.ENOTSOCK),
    # 7 and 8, the unix and inet sockets, are skipped by accept03 itself
    (9, "epoll", lambda: [rs.epoll_create(1)], errno.ENOTSOCK),
    (10, "eventfd", lambda: [os.eventfd(0, 0)], errno.ENOTSOCK),
    (11, "signalfd", _open_signalfd, errno.ENOTSOCK),
    (12, "timerfd", lambda: [_checked(_libc.timerfd_create(0, 0))], errno.ENOTSOCK),  # CLOCK_REALTIME
    (13, "pidfd", lambda: [os.pidfd_open(os.getpid(), 0)], errno.ENOTSOCK),
    (14, "fanotify", lambda: [_checked(_libc.fanotify_init(0, os.O_RDONLY))], errno.ENOTSOCK),  # FAN_CLASS_NOTIF
    (15, "inotify", lambda: [_checked(_libc.inotify_init())], errno.ENOTSOCK),
    (16, "userfaultfd", lambda: [_syscall("userfaultfd", 0)], errno.ENOTSOCK),
    (17, "perf event", _open_perf_event, errno.ENOTSOCK),
    (18, "io uring", lambda: [_syscall("io_uring_setup", 1, ctypes.create_string_buffer(120))], errno.ENOTSOCK),
    (19, "bpf map", _open_bpf_map, errno.ENOTSOCK),
    (20, "fsopen", lambda: [_syscall("fsopen", b"ext2", 0)], errno.ENOTSOCK),
    (21, "fspick", lambda: [_syscall("fspick", _AT_FDCWD, b"/", 0)], errno.ENOTSOCK),
    (22, "open_tree", lambda: [_syscall("open_tree", _AT_FDCWD, b"/", 0)], errno.EBADF),  # an O_PATH fd too
    (23, "memfd", lambda: [os.memfd_create("ltp_memfd", 0)], errno.ENOTSOCK),
    (24, "memfd secret", lambda: [_syscall("memfd_secret", 0)], errno.ENOTSOCK),
)


#: the test ids: enum tst_fd_type's names, TST_FD_FILE ... TST_FD_MEMFD_SECRET, in lower case
_ACCEPT03_IDS = (
    "file", "path", "dir", "dev_zero", "proc_maps", "pipe_read", "pipe_write", "epoll", "eventfd", "signalfd",
    "timerfd", "pidfd", "fanotify", "inotify", "userfaultfd", "perf_event", "io_uring", "bpf_map", "fsopen",
    "fspick", "open_tree", "memfd", "memfd_secret",
)


@pytest.mark.parametrize(("index", "kind", "opener", "expected"), _ACCEPT03, ids=_ACCEPT03_IDS)
def test_accept03(index: int, kind: str, opener: Callable[[], list[int]], expected: int, tmp_path: Path,
                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    try:
        opened = opener()
    except OSError as e:  # tst_fd's TCONF: this kind of fd cannot be made here
        pytest.skip(f"accept() on {kind}: cannot create the fd: {rs.errno_name(e.errno)}")
    try:
        # addr: a struct sockaddr_in {AF_INET, 0, INADDR_ANY}; size: sizeof(addr)
        assert errno_of(lambda: rs.accept(opened[0], addrlen=SIZEOF_SOCKADDR_IN)) == expected, index
    finally:
        for fd in opened:
            os.close(fd)


# --- connect -------------------------------------------------------------------------------------------------


def test_connect01(fds: Fds) -> None:
    fd_server = fds(rs.socket(rs.PF_INET, rs.SOCK_STREAM))
    rs.bind(fd_server, INADDR_ANY, SIZEOF_SOCKADDR_IN)
    rs.listen(fd_server, 10)
    sock1 = rs.getsockname(fd_server)
    fd_socket = fds(rs.socket(rs.PF_INET, rs.SOCK_STREAM))
    fd_null = dev_null(fds)
    fd_connected = fds(rs.socket(rs.PF_INET, rs.SOCK_STREAM))
    rs.connect(fd_connected, sock1, SIZEOF_SOCKADDR_IN)
    # the server child: SAFE_ACCEPT(fd_server, NULL, NULL), one connection, closed; then it exits
    rs.close(rs.accept(fd_server, addr=rs.NULL, addrlen=rs.NULL)[0])
    fds.close(fd_server)
    sock2 = rs.SockaddrIn("0.0.0.0", unused_port())
    # sin_family 47, sin_port 0, sin_addr 10.255.254.253: the 14 bytes after the family of a sockaddr_in
    sock3 = rs.RawSockaddr(47, struct.pack("!H4s8x", 0, rs.inet_pton(rs.AF_INET, "10.255.254.253")))
    salen = SIZEOF_SOCKADDR_IN
    assert errno_of(lambda: rs.connect(-1, sock1, salen)) == errno.EBADF  # [0]
    assert errno_of(lambda: rs.connect(fd_socket, rs.BADPTR, salen)) == errno.EFAULT  # [1] tst_get_bad_addr()
    assert errno_of(lambda: rs.connect(fd_socket, sock1, 3)) == errno.EINVAL  # [2]
    assert errno_of(lambda: rs.connect(fd_null, sock1, salen)) == errno.ENOTSOCK  # [3]
    assert errno_of(lambda: rs.connect(fd_connected, sock1, salen)) == errno.EISCONN  # [4]
    assert errno_of(lambda: rs.connect(fd_socket, sock2, salen)) == errno.ECONNREFUSED  # [5]
    assert errno_of(lambda: rs.connect(fd_socket, sock3, salen)) == errno.EAFNOSUPPORT  # [6]


def test_connect03(tmp_path: Path) -> None:
    os.chmod(tmp_path, 0o777)  # LTP's tmpdir is world-writable, and nobody creates the socket file in it
    nobody = pwd.getpwnam("nobody")

    def run() -> list[int]:
        os.chdir(tmp_path)
        os.seteuid(nobody.pw_uid)  # euid only: the egid stays root's, as in setup()
        fd_unix_server = rs.socket(rs.AF_UNIX, rs.SOCK_STREAM)
        rs.bind(fd_unix_server, "sock_file", SIZEOF_SOCKADDR_UN)
        os.chmod("sock_file", 0o700)
        rs.listen(fd_unix_server, 5)
        fd_unix_dgram = rs.socket(rs.AF_UNIX, rs.SOCK_DGRAM)
        fd_unix_stream = rs.socket(rs.AF_UNIX, rs.SOCK_STREAM)
        results = []
        for fd, mode in ((fd_unix_dgram, 0o700), (fd_unix_stream, 0o500)):
            os.chmod("sock_file", mode)
            results.append(errno_of(functools.partial(rs.connect, fd, "sock_file", SIZEOF_SOCKADDR_UN)))
        return results

    assert in_child(run) == [errno.EPROTOTYPE, errno.EACCES]


# --- getsockname, getpeername --------------------------------------------------------------------------------


def test_getsockname01(fds: Fds) -> None:
    sock_null = dev_null(fds)
    sock_bind = fds(rs.socket(rs.PF_INET, rs.SOCK_STREAM))
    rs.bind(sock_bind, INADDR_ANY, SIZEOF_SOCKADDR_IN)
    sinlen = SIZEOF_SOCKADDR_IN
    assert errno_of(lambda: rs.getsockname(not_open(400), addrlen=sinlen)) == errno.EBADF  # [0]
    assert errno_of(lambda: rs.getsockname(sock_null, addrlen=sinlen)) == errno.ENOTSOCK  # [1]
    assert errno_of(lambda: rs.getsockname(sock_bind, addr=rs.NULL, addrlen=sinlen)) == errno.EFAULT  # [2]
    assert errno_of(lambda: rs.getsockname(sock_bind, addrlen=rs.NULL)) == errno.EFAULT  # [3]
    assert errno_of(lambda: rs.getsockname(sock_bind, addrlen=rs.BADPTR)) == errno.EFAULT  # [4] (socklen_t *)1
    assert errno_of(lambda: rs.getsockname(sock_bind, addrlen=-1)) == errno.EINVAL  # [5] sininval = -1


def test_getpeername01(fds: Fds) -> None:
    sinlen = SIZEOF_SOCKADDR_IN
    # [0] has no setup: the static sockfd is still -1
    assert errno_of(lambda: rs.getpeername(-1, addrlen=sinlen)) == errno.EBADF
    sockfd = fds(os.open("/dev/null", os.O_WRONLY, 0o666))  # [1] setup_fd_file
    assert errno_of(lambda: rs.getpeername(sockfd, addrlen=sinlen)) == errno.ENOTSOCK
    fds.close(sockfd)
    sockfd = fds(rs.socket(rs.PF_INET, rs.SOCK_STREAM))  # [2] setup_fd_stream: bound, not connected
    rs.bind(sockfd, INADDR_ANY, SIZEOF_SOCKADDR_IN)
    assert errno_of(lambda: rs.getpeername(sockfd, addrlen=sinlen)) == errno.ENOTCONN
    fds.close(sockfd)
    pair_rows = (
        (3, {"addrlen": -1}, errno.EINVAL),  # invalid_sinlen = -1
        (4, {"addr": rs.BADPTR, "addrlen": sinlen}, errno.EFAULT),  # (struct sockaddr *) -1
        (5, {"addrlen": rs.NULL}, errno.EFAULT),
        (6, {"addrlen": rs.BADPTR}, errno.EFAULT),  # (socklen_t *) 1
    )
    for index, kwargs, expected in pair_rows:  # setup_pair: a connected AF_UNIX stream pair, closed after
        sv = fds.pair(rs.socketpair(rs.PF_UNIX, rs.SOCK_STREAM, 0))
        assert errno_of(functools.partial(rs.getpeername, sv[0], **kwargs)) == expected, index
        fds.close(sv[0])
        fds.close(sv[1])


# --- getsockopt, setsockopt ----------------------------------------------------------------------------------


def test_getsockopt01(fds: Fds) -> None:
    sock_null = dev_null(fds)
    sock_bind = fds(rs.socket(rs.PF_INET, rs.SOCK_STREAM))
    rs.bind(sock_bind, INADDR_ANY, SIZEOF_SOCKADDR_IN)
    oob = rs.SO_OOBINLINE
    # rawsock's int option: optval an int of its own, optlen sizeof(int), as the C's &optval, &optlen
    assert errno_of(lambda: rs.getsockopt(not_open(400), rs.SOL_SOCKET, oob)) == errno.EBADF  # [0]
    assert errno_of(lambda: rs.getsockopt(sock_null, rs.SOL_SOCKET, oob)) == errno.ENOTSOCK  # [1]
    assert errno_of(lambda: rs.getsockopt(sock_bind, rs.SOL_SOCKET, oob, 4, optval=rs.NULL)) == errno.EFAULT  # [2]
    assert errno_of(lambda: rs.getsockopt(sock_bind, rs.SOL_SOCKET, oob, optlen=rs.NULL)) == errno.EFAULT  # [3]
    assert errno_of(lambda: rs.getsockopt(sock_bind, 500, oob)) == errno.EOPNOTSUPP  # [4]
    assert errno_of(lambda: rs.getsockopt(sock_bind, rs.IPPROTO_UDP, oob)) == errno.EOPNOTSUPP  # [5]
    assert errno_of(lambda: rs.getsockopt(sock_bind, rs.IPPROTO_IP, -1)) == errno.ENOPROTOOPT  # [6]
    assert errno_of(lambda: rs.getsockopt(sock_bind, rs.IPPROTO_TCP, -1)) == errno.ENOPROTOOPT  # [7]
    assert errno_of(lambda: rs.getsockopt(sock_bind, rs.SOL_SOCKET, oob, -1)) == errno.EINVAL  # [8] optlen -1


def test_setsockopt01(fds: Fds) -> None:
    oob = rs.SO_OOBINLINE
    optval = 0  # static int optval
    rows = (
        (0, None, (rs.SOL_SOCKET, oob, optval), errno.EBADF),
        (1, None, (rs.SOL_SOCKET, oob, optval), errno.ENOTSOCK),
        (2, rs.SOCK_STREAM, (rs.SOL_SOCKET, oob, rs.NULL, 4), errno.EFAULT),  # optval NULL, sizeof(optval)
        (3, rs.SOCK_STREAM, (rs.SOL_SOCKET, oob, optval, 0), errno.EINVAL),  # optlen 0
        (4, rs.SOCK_STREAM, (500, oob, optval), errno.ENOPROTOOPT),
        (5, rs.SOCK_STREAM, (rs.IPPROTO_UDP, oob, optval), errno.ENOPROTOOPT),
        (6, rs.SOCK_STREAM, (rs.IPPROTO_IP, -1, optval), errno.ENOPROTOOPT),
        (7, rs.SOCK_STREAM, (rs.IPPROTO_TCP, -1, optval), errno.ENOPROTOOPT),
    )
    for index, type, args, expected in rows:
        if type is None:  # domain -1: /dev/null
            fd = fds(os.open("/dev/null", os.O_WRONLY))
        else:  # a new socket, bound to INADDR_ANY:0
            fd = fds(rs.socket(rs.PF_INET, type, 0))
            rs.bind(fd, INADDR_ANY, SIZEOF_SOCKADDR_IN)
        if expected == errno.EBADF:  # "Use closed file descriptor rather than -1"
            fds.close(fd)
        assert errno_of(functools.partial(rs.setsockopt, fd, *args)) == expected, index
        if expected != errno.EBADF:
            fds.close(fd)


def test_setsockopt02(fds: Fds) -> None:
    # CVE-2017-7308, bad_size(): a TPACKET_V3 ring whose tp_sizeof_priv (3U << 30) is larger than a block
    pgsz = os.sysconf("SC_PAGESIZE")
    sk = fds(rs.socket(rs.AF_PACKET, rs.SOCK_RAW, rs.htons(rs.ETH_P_ALL)))
    try:
        rs.setsockopt(sk, rs.SOL_PACKET, rs.PACKET_VERSION, rs.TPACKET_V3)
    except OSError as e:
        if e.errno == errno.EINVAL:
            pytest.skip("TPACKET_V3 not supported")
        raise
    req = rs.TpacketReq3(block_size=pgsz, block_nr=2, frame_size=pgsz, frame_nr=2, retire_blk_tov=100,
                         sizeof_priv=3 << 30, feature_req_word=0)
    assert errno_of(lambda: rs.setsockopt(sk, rs.SOL_PACKET, rs.PACKET_RX_RING, req)) == errno.EINVAL  # [1]


IPT_SO_SET_REPLACE = 64  # <linux/netfilter_ipv4/ip_tables.h>: IPT_BASE_CTL


def _ipt_replace_buffer() -> bytes:
    """setsockopt08's 2048-byte buffer: a struct ipt_replace for "filter" with one ipt_entry holding a "state"
    match and a "REJECT" target, laid out as on a 64-bit kernel."""
    sizeof_ipt_replace, sizeof_ipt_entry, tgt_size = 96, 112, 32
    match_size = 1024 - 64 - 112 - 4 - tgt_size - 4
    buffer = bytearray(2048)
    entry = sizeof_ipt_replace  # ipt_replace->entries[0]
    target_offset = sizeof_ipt_entry + match_size  # offsetof(struct ipt_entry, elems) + match_size
    next_offset = target_offset + tgt_size
    struct.pack_into("=32sII", buffer, 0, b"filter", 0, 1)  # name, valid_hooks, num_entries
    struct.pack_into("=I", buffer, 40, next_offset)  # size
    struct.pack_into("=I", buffer, 84, 1)  # num_counters
    struct.pack_into("=HH", buffer, entry + 88, target_offset, next_offset)
    struct.pack_into("=H29s", buffer, entry + sizeof_ipt_entry, match_size, b"state")
    struct.pack_into("=H29s", buffer, entry + target_offset, tgt_size, b"REJECT")
    return bytes(buffer)


def test_setsockopt08() -> None:
    # CVE-2021-22555; in a new network namespace, as tst_setup_netns() gives it
    def run() -> int:
        fd = rs.socket(rs.AF_INET, rs.SOCK_DGRAM, 0)
        return errno_of(lambda: rs.setsockopt(fd, rs.IPPROTO_IP, IPT_SO_SET_REPLACE, _ipt_replace_buffer(), 1))

    result = in_child(run, netns=True)
    if result == errno.ENOPROTOOPT:
        pytest.skip("IPT_SO_SET_REPLACE: ENOPROTOOPT (no ip_tables)")
    assert result == errno.EINVAL  # [0]


TLS_TX, TLS_1_2_VERSION, TLS_CIPHER_AES_GCM_128 = rs.TLS_TX, rs.TLS_1_2_VERSION, rs.TLS_CIPHER_AES_GCM_128


def test_setsockopt10(fds: Fds) -> None:
    # CVE-2023-0461.  The parent's and the child's steps, one after the other: tcp1 connects to tcp0, the child
    # accepts (tcp3); then tcp1 gets the tls ULP and TX keys and is disconnected with AF_UNSPEC.
    tcp0_sk = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    tcp1_sk = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    rs.bind(tcp0_sk, ("127.0.0.1", 0), SIZEOF_SOCKADDR_IN)
    rs.bind(tcp1_sk, ("127.0.0.1", 0), SIZEOF_SOCKADDR_IN)
    rs.listen(tcp0_sk, 1)
    rs.connect(tcp1_sk, rs.getsockname(tcp0_sk))
    fds(rs.accept(tcp0_sk, addr=rs.NULL, addrlen=rs.NULL)[0])  # the child's SAFE_ACCEPT(tcp0_sk, NULL, 0)
    try:
        rs.setsockopt(tcp1_sk, rs.SOL_TCP, rs.TCP_ULP, b"tls")  # optlen 3
    except OSError as e:
        if e.errno == errno.ENOENT:
            pytest.skip("TCP_ULP \"tls\": ENOENT, the tls module (CONFIG_TLS) is not available")
        raise
    # struct tls12_crypto_info_aes_gcm_128: version, cipher_type, iv[8], key[16], salt[4], rec_seq[8]
    opts = struct.pack("=HH8s16s4s8s", TLS_1_2_VERSION, TLS_CIPHER_AES_GCM_128, b"iv", b"key", b"salt", b"recs")
    rs.setsockopt(tcp1_sk, rs.SOL_TLS, TLS_TX, opts)
    sockaddr = rs.getsockname(tcp1_sk)
    unspec_addr = rs.SockaddrUnspec()  # struct sockaddr {.sa_family = AF_UNSPEC}: 16 bytes
    try:
        rs.connect(tcp1_sk, unspec_addr, 16)
    except OSError as e:
        # [0], the first pass path: the kernel refuses to disconnect a TLS socket
        assert isinstance(e, rs.SyscallError) and e.errno == errno.EOPNOTSUPP
        return
    rs.bind(tcp1_sk, sockaddr)  # [1], the other: a disconnected TLS socket may not listen (2c02d41d71f9)
    assert errno_of(lambda: rs.listen(tcp1_sk, 1)) == errno.EINVAL


# --- send, sendto, sendmsg, sendmmsg -------------------------------------------------------------------------


def test_send01(fds: Fds) -> None:
    # SIGPIPE is ignored (Python ignores it at start-up, as setup() does), so EPIPE is what the call returns
    assert signal.getsignal(signal.SIGPIPE) == signal.SIG_IGN
    _, sin1 = ltp_server(fds)

    def setup1(type: int) -> int:  # a new socket connect()ed to the server, UDP ones too
        s = fds(rs.socket(rs.PF_INET, type, 0))
        rs.connect(s, sin1, SIZEOF_SOCKADDR_IN)
        return s

    assert errno_of(lambda: rs.send(not_open(400), BUF)) == errno.EBADF  # [0]
    assert errno_of(lambda: rs.send(dev_null(fds), BUF)) == errno.ENOTSOCK  # [1]
    s = setup1(rs.SOCK_STREAM)
    assert errno_of(lambda: rs.send(s, rs.BADPTR, nbytes=len(BUF))) == errno.EFAULT  # [2] (void *)-1
    s = setup1(rs.SOCK_DGRAM)
    assert errno_of(lambda: rs.send(s, BIGBUF)) == errno.EMSGSIZE  # [3]
    s = setup1(rs.SOCK_STREAM)
    rs.shutdown(s, 1)
    assert errno_of(lambda: rs.send(s, BUF)) == errno.EPIPE  # [4]
    s = setup1(rs.SOCK_DGRAM)
    assert errno_of(lambda: rs.send(s, BUF, rs.MSG_OOB)) == errno.EOPNOTSUPP  # [5]


def _check_recv(dst_sock: int, expsize: int) -> None:
    """send02's check_recv(): recv(MSG_DONTWAIT) until data comes (expsize > 0); with expsize 0, EAGAIN."""
    while True:
        try:
            n = rs.recv_into(dst_sock, bytearray(32), 32, rs.MSG_DONTWAIT)  # RECVSIZE
        except BlockingIOError:
            if expsize:
                continue
            raise
        assert n == expsize
        return


def test_send02(fds: Fds) -> None:
    # Each case sends 16 bytes (read at once), then 16 with MSG_MORE, which must stay in the sender: the recv
    # right after it is the errno case, EAGAIN; then 1 byte without MSG_MORE releases all 17.  1000 rounds each.
    sendbuf = b"\x42" * 16  # SENDSIZE

    def do_send(sock: int, size: int, flags: int, addr: rs.SockaddrIn) -> None:
        assert rs.send(sock, sendbuf, flags, nbytes=size) == size

    def do_sendto(sock: int, size: int, flags: int, addr: rs.SockaddrIn) -> None:
        assert rs.sendto(sock, sendbuf, flags, addr, SIZEOF_SOCKADDR_IN, nbytes=size) == size

    def do_sendmsg(sock: int, size: int, flags: int, addr: rs.SockaddrIn) -> None:
        assert rs.sendmsg(sock, [memoryview(sendbuf)[:size]], (), flags, addr, namelen=SIZEOF_SOCKADDR_IN) == size

    rows = (
        (0, rs.SOCK_STREAM, do_send, True),
        (1, rs.SOCK_DGRAM, do_send, True),
        (2, rs.SOCK_DGRAM, do_sendto, False),
        (3, rs.SOCK_DGRAM, do_sendmsg, False),
    )
    for index, type, send, needs_connect in rows:
        listen_sock = fds(rs.socket(rs.AF_INET, type, 0))
        rs.bind(listen_sock, ("127.0.0.1", 0), SIZEOF_SOCKADDR_IN)
        addr = rs.getsockname(listen_sock)
        assert isinstance(addr, rs.SockaddrIn)
        if type == rs.SOCK_STREAM:
            rs.listen(listen_sock, 1)
        for _ in range(1000):
            sock = fds(rs.socket(rs.AF_INET, type, 0))
            if needs_connect:
                rs.connect(sock, addr, SIZEOF_SOCKADDR_IN)
            if type == rs.SOCK_STREAM:  # SAFE_ACCEPT(listen_sock, NULL, NULL)
                dst_sock = fds(rs.accept(listen_sock, addr=rs.NULL, addrlen=rs.NULL)[0])
            else:
                dst_sock = listen_sock
            send(sock, 16, 0, addr)
            _check_recv(dst_sock, 16)
            send(sock, 16, rs.MSG_MORE, addr)
            assert errno_of(functools.partial(_check_recv, dst_sock, 0)) == errno.EAGAIN, index
            send(sock, 1, 0, addr)
            _check_recv(dst_sock, 17)
            fds.close(sock)
            if dst_sock != listen_sock:
                fds.close(dst_sock)
        fds.close(listen_sock)


def test_sendto01(fds: Fds) -> None:
    assert signal.getsignal(signal.SIGPIPE) == signal.SIG_IGN
    _, sin1 = ltp_server(fds)
    tolen = SIZEOF_SOCKADDR_IN

    def setup1(type: int) -> int:
        s = fds(rs.socket(rs.PF_INET, type, 0))
        rs.connect(s, sin1, SIZEOF_SOCKADDR_IN)
        return s

    assert errno_of(lambda: rs.sendto(not_open(400), BUF, 0, sin1, tolen)) == errno.EBADF  # [0]
    assert errno_of(lambda: rs.sendto(dev_null(fds), BUF, 0, sin1, tolen)) == errno.ENOTSOCK  # [1]
    s = setup1(rs.SOCK_DGRAM)
    assert errno_of(lambda: rs.sendto(s, rs.BADPTR, 0, sin1, tolen, nbytes=len(BUF))) == errno.EFAULT  # [2]
    s = fds(rs.socket(rs.PF_INET, rs.SOCK_STREAM, 0))  # setup3: not connected
    assert errno_of(lambda: rs.sendto(s, BUF, 0, sin1, tolen)) == errno.EPIPE  # [4]
    s = setup1(rs.SOCK_DGRAM)
    assert errno_of(lambda: rs.sendto(s, BUF, 0, sin1, -1)) == errno.EINVAL  # [5]
    s = setup1(rs.SOCK_DGRAM)
    assert errno_of(lambda: rs.sendto(s, BUF, 0, rs.BADPTR, tolen)) == errno.EFAULT  # [6] (struct sockaddr_in *)-1
    s = setup1(rs.SOCK_DGRAM)
    assert errno_of(lambda: rs.sendto(s, BIGBUF, 0, sin1, tolen)) == errno.EMSGSIZE  # [7]
    s = setup1(rs.SOCK_STREAM)
    rs.shutdown(s, 1)
    assert errno_of(lambda: rs.sendto(s, BUF, 0, sin1, tolen)) == errno.EPIPE  # [8]
    s = setup1(rs.SOCK_DGRAM)
    assert errno_of(lambda: rs.sendto(s, BUF, rs.MSG_OOB, sin1, tolen)) == errno.EOPNOTSUPP  # [9]


def test_sendto02(fds: Fds) -> None:
    try:
        sockfd = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM, rs.IPPROTO_SCTP))
    except OSError as e:
        if e.errno == errno.EPROTONOSUPPORT:
            pytest.skip("socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP): EPROTONOSUPPORT, no SCTP (the sctp module)")
        raise
    sa = rs.SockaddrIn("127.0.0.1", 11111)
    assert errno_of(lambda: rs.sendto(sockfd, rs.NULL, 0, sa, SIZEOF_SOCKADDR_IN, nbytes=1)) == errno.EFAULT  # [0]


def test_sendto03() -> None:
    # CVE-2020-14386, check_tiny_frame(), in a new network namespace (tst_setup_netns()) with lo up
    def run() -> list[int | None]:
        sock = rs.socket(rs.AF_PACKET, rs.SOCK_RAW, rs.htons(rs.ETH_P_ALL))
        rs.ioctl(sock, rs.SIOCSIFFLAGS, rs.Ifreq("lo", rs.IFF_UP))
        rs.ioctl(sock, rs.SIOCGIFINDEX, "lo")
        rs.close(sock)
        tpacket2_hdrlen = 52  # TPACKET_ALIGN(sizeof(struct tpacket2_hdr)) + sizeof(struct sockaddr_ll)
        val = (2**32 - 1 - tpacket2_hdrlen) + 1  # (UINT_MAX - TPACKET2_HDRLEN) + 1
        block_size = os.sysconf("SC_PAGESIZE")
        tpreq = rs.TpacketReq(block_size=block_size, block_nr=1, frame_size=rs.TPACKET_ALIGNMENT,
                              frame_nr=block_size // rs.TPACKET_ALIGNMENT)
        dst_sock = rs.socket(rs.AF_PACKET, rs.SOCK_RAW, rs.htons(rs.ETH_P_ALL))
        rs.setsockopt(dst_sock, rs.SOL_PACKET, rs.PACKET_VERSION, rs.TPACKET_V2)
        try:
            rs.setsockopt(dst_sock, rs.SOL_PACKET, rs.PACKET_RESERVE, val)
            reserve = None
        except OSError as e:
            reserve = e.errno
        # LTP makes this call only when the reserve was accepted (kernels before bcc5364bdcfe); it is made here in
        # any case, on the same socket: a frame of 16 bytes is smaller than a TPACKET_V2 header alone, whatever
        # the reserve, so packet_set_ring refuses it with the EINVAL the second path expects.
        rx_ring = errno_of(lambda: rs.setsockopt(dst_sock, rs.SOL_PACKET, rs.PACKET_RX_RING, tpreq))
        return [reserve, rx_ring]

    # the first path: the reserve is capped (EINVAL); the second: the ring's frame-size check (EINVAL)
    assert in_child(run, netns=True) == [errno.EINVAL, errno.EINVAL]


def test_sendmsg01(fds: Fds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The C main loop refreshes msg_name and msg_namelen only for rows whose type is not SOCK_STREAM, so each
    # STREAM row sends with the previous row's name (TCP ignores it); msg_control is NULL (controllen 0) but for
    # row 14.  tst_require_root and "ip link set lo up": the host's lo is up already (checked), so this test
    # runs in the host's namespace and changes nothing there.
    assert signal.getsignal(signal.SIGPIPE) == signal.SIG_IGN
    probe = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM))
    lo_flags = rs.ioctl(probe, rs.SIOCGIFFLAGS, "lo").value
    assert isinstance(lo_flags, int) and lo_flags & rs.IFF_UP
    monkeypatch.chdir(tmp_path)  # tst_tmpdir()
    _, sin1 = ltp_server(fds)
    sun1 = f"udsock{os.getpid()}"  # the server's AF_UNIX datagram socket (LTP: "udsock<time>")
    ufd = fds(rs.socket(rs.PF_UNIX, rs.SOCK_DGRAM))
    rs.bind(ufd, sun1, SIZEOF_SOCKADDR_UN)
    tolen = SIZEOF_SOCKADDR_IN

    def setup1(type: int, domain: int = rs.PF_INET) -> int:  # connect()s STREAM sockets only
        s = fds(rs.socket(domain, type, 0))
        if type == rs.SOCK_STREAM:
            rs.connect(s, sin1, tolen)
        return s

    # [0] (STREAM): the static msgdat's name is still NULL, namelen 0
    assert errno_of(lambda: rs.sendmsg(not_open(400), [BUF])) == errno.EBADF
    # [1] (type 0): name &sin1, sizeof(sin1)
    assert errno_of(lambda: rs.sendmsg(dev_null(fds), [BUF], (), 0, sin1, namelen=tolen)) == errno.ENOTSOCK
    s = setup1(rs.SOCK_DGRAM)  # [2] iov_base (void *)-1
    assert errno_of(lambda: rs.sendmsg(s, [(rs.BADPTR, len(BUF))], (), 0, sin1, namelen=tolen)) == errno.EFAULT
    # [3], connected TCP, passes; [4] (STREAM, not connected) keeps [2]'s name
    s = fds(rs.socket(rs.PF_INET, rs.SOCK_STREAM, 0))
    assert errno_of(lambda: rs.sendmsg(s, [BUF], (), 0, sin1, namelen=tolen)) == errno.EPIPE
    s = setup1(rs.SOCK_DGRAM)  # [5] msg_namelen 1
    assert errno_of(lambda: rs.sendmsg(s, [BUF], (), 0, sin1, namelen=1)) == errno.EINVAL
    s = setup1(rs.SOCK_DGRAM)  # [6] msg_name (struct sockaddr *)-1, sizeof(struct sockaddr)
    assert errno_of(lambda: rs.sendmsg(s, [BUF], (), 0, rs.BADPTR, namelen=16)) == errno.EFAULT
    s = setup1(rs.SOCK_DGRAM)  # [7]
    assert errno_of(lambda: rs.sendmsg(s, [BIGBUF], (), 0, sin1, namelen=tolen)) == errno.EMSGSIZE
    s = setup1(rs.SOCK_STREAM)  # [8] (STREAM) keeps [7]'s name
    rs.shutdown(s, 1)
    assert errno_of(lambda: rs.sendmsg(s, [BUF], (), 0, sin1, namelen=tolen)) == errno.EPIPE
    s = setup1(rs.SOCK_STREAM)  # [9] msg_iov NULL, msg_iovlen 1
    assert errno_of(lambda: rs.sendmsg(s, rs.NULL, (), 0, sin1, namelen=tolen, iovlen=1)) == errno.EFAULT
    s = setup1(rs.SOCK_STREAM)  # [10] msg NULL
    assert errno_of(lambda: rs.sendmsg(s, [BUF], msghdr=rs.NULL)) == errno.EFAULT
    # [11], rights passing, passes; its cleanup4 leaves control NULL, controllen 0
    s = setup1(rs.SOCK_DGRAM)  # [12]
    assert errno_of(lambda: rs.sendmsg(s, [BUF], (), rs.MSG_OOB, sin1, namelen=tolen)) == errno.EOPNOTSUPP
    # [13], controllen 0, passes.  [14] setup8: setup4's socket and temporary file, then msg_control
    # (struct cmsghdr *)-1 with setup4's msg_controllen, sizeof(struct cmsghdr) + 4
    s = setup1(rs.SOCK_DGRAM, rs.PF_UNIX)
    fds(os.open("sock_tmpfile", os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))  # tfd = mkstemp("sockXXXXXX")
    assert errno_of(lambda: rs.sendmsg(s, [BUF], rs.BADPTR, 0, sun1, namelen=SIZEOF_SOCKADDR_UN,
                                       controllen=16 + 4)) == errno.EFAULT


def test_sendmmsg02(fds: Fds) -> None:
    send_sockfd = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM, 0))
    vlen = 1
    # [0] snd_msg: VLEN zero-filled struct mmsghdr (no name, no iovec)
    assert errno_of(lambda: rs.sendmmsg(-1, [([], None)], 0, vlen=vlen)) == errno.EBADF
    # [1] "invalid msgvec address": sendmmsg02 never assigns its static bad_addr, so msgvec is NULL (the
    # kernel's EFAULT all the same; a PROT_NONE msgvec, the test's intent, gives it too)
    assert errno_of(lambda: rs.sendmmsg(send_sockfd, rs.NULL, 0, vlen=vlen)) == errno.EFAULT
    assert errno_of(lambda: rs.sendmmsg(send_sockfd, rs.BADPTR, 0, vlen=vlen)) == errno.EFAULT  # not an LTP case


# --- recv, recvfrom, recvmsg, recvmmsg -----------------------------------------------------------------------


def test_recv01(fds: Fds) -> None:
    server = ltp_server(fds)
    assert errno_of(lambda: rs.recv(not_open(400), len(BUF))) == errno.EBADF  # [0]
    assert errno_of(lambda: rs.recv(dev_null(fds), len(BUF))) == errno.ENOTSOCK  # [1]
    s = connected_with_data(fds, server, b"hoser\n")  # [2]: data must be waiting, or recv() would wait for it
    assert errno_of(lambda: rs.recv_into(s, rs.BADPTR, len(BUF))) == errno.EFAULT  # (void *)-1
    s = connected_with_data(fds, server, b"hoser\n")  # [3] no urgent data, SO_OOBINLINE off
    assert errno_of(lambda: rs.recv(s, len(BUF), rs.MSG_OOB)) == errno.EINVAL
    s = connected_with_data(fds, server, b"hoser\n")  # [4] an empty error queue
    assert errno_of(lambda: rs.recv(s, len(BUF), rs.MSG_ERRQUEUE)) == errno.EAGAIN


def test_recvfrom01(fds: Fds) -> None:
    server = ltp_server(fds)
    fromlen = SIZEOF_SOCKADDR_IN  # struct sockaddr_in from; fromlen = sizeof(from)
    assert errno_of(lambda: rs.recvfrom(not_open(400), len(BUF), 0, addrlen=fromlen)) == errno.EBADF  # [0]
    assert errno_of(lambda: rs.recvfrom(dev_null(fds), len(BUF), 0, addrlen=fromlen)) == errno.ENOTSOCK  # [1]
    s = connected_with_data(fds, server, b"hoser\n")  # [3] setup2: fromlen = -1
    assert errno_of(lambda: rs.recvfrom(s, len(BUF), 0, addrlen=-1)) == errno.EINVAL
    # (the bytes were received before move_addr_to_user() refused the length: they are gone)
    assert errno_of(lambda: rs.recv(s, len(BUF), rs.MSG_DONTWAIT)) == errno.EAGAIN
    s = connected_with_data(fds, server, b"hoser\n")  # [4] buf (void *)-1
    assert errno_of(lambda: rs.recvfrom_into(s, rs.BADPTR, len(BUF), 0, addrlen=fromlen)) == errno.EFAULT
    s = connected_with_data(fds, server, b"hoser\n")  # [5]
    assert errno_of(lambda: rs.recvfrom(s, len(BUF), rs.MSG_OOB, addrlen=fromlen)) == errno.EINVAL
    s = connected_with_data(fds, server, b"hoser\n")  # [6]
    assert errno_of(lambda: rs.recvfrom(s, len(BUF), rs.MSG_ERRQUEUE, addrlen=fromlen)) == errno.EAGAIN


def test_recvmsg01(fds: Fds) -> None:
    # msgdat: msg_name &from (a sockaddr_in), msg_namelen sizeof(from), one iovec {recv_buf, 1024}, no control.
    # Each row gets a new server (setup_all), which sends "hi" to every connection it accepts; LTP's AF_UNIX
    # server socket is not used by these rows and is left out.
    fromlen = SIZEOF_SOCKADDR_IN

    def setup_valid_sock() -> int:
        return connected_with_data(fds, ltp_server(fds), b"hi")

    assert errno_of(lambda: rs.recvmsg(not_open(400), 1024, 0, 0, namelen=fromlen)) == errno.EBADF  # [0]
    assert errno_of(lambda: rs.recvmsg(dev_null(fds), 1024, 0, 0, namelen=fromlen)) == errno.ENOTSOCK  # [1]
    sock = setup_valid_sock()  # [2] flags -1 and msg_namelen -1 together
    assert errno_of(lambda: rs.recvmsg(sock, 1024, 0, -1, namelen=-1)) == errno.EINVAL
    # Each of the two is EINVAL alone (not LTP cases): flags -1 holds MSG_CMSG_COMPAT, which the native
    # recvmsg refuses before it reads the msghdr; a negative msg_namelen is refused when the msghdr is copied.
    assert errno_of(lambda: rs.recvmsg(sock, 1024, 0, -1, namelen=fromlen)) == errno.EINVAL
    assert errno_of(lambda: rs.recvmsg(sock, 1024, 0, 0, namelen=-1)) == errno.EINVAL
    sock = setup_valid_sock()  # [3] iov_base (void *)-1
    assert errno_of(lambda: rs.recvmsg_into(sock, [(rs.BADPTR, 1024)], 0, 0, namelen=fromlen)) == errno.EFAULT
    sock = setup_valid_sock()  # [4] msg_iov NULL, msg_iovlen 1
    assert errno_of(lambda: rs.recvmsg_into(sock, rs.NULL, 0, 0, namelen=fromlen, iovlen=1)) == errno.EFAULT
    sock = setup_valid_sock()  # [5] msg_iovlen -1
    assert errno_of(lambda: rs.recvmsg(sock, 1024, 0, 0, namelen=fromlen, iovlen=-1)) == errno.EMSGSIZE
    # [6], permission reception, passes
    sock = setup_valid_sock()  # [7]
    assert errno_of(lambda: rs.recvmsg(sock, 1024, 0, rs.MSG_OOB, namelen=fromlen)) == errno.EINVAL
    sock = setup_valid_sock()  # [8]
    assert errno_of(lambda: rs.recvmsg(sock, 1024, 0, rs.MSG_ERRQUEUE, namelen=fromlen)) == errno.EAGAIN


def test_recvmmsg01(fds: Fds) -> None:
    addr = rs.SockaddrIn("127.0.0.1", unused_port(rs.SOCK_DGRAM))
    send_sockfd = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM, 0))
    receive_sockfd = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM, 0))
    rs.bind(receive_sockfd, addr, SIZEOF_SOCKADDR_IN)
    rs.connect(send_sockfd, addr, SIZEOF_SOCKADDR_IN)
    assert rs.sendmmsg(send_sockfd, [bytes(1)], 0) == 1  # msg[0]: the one 1-byte iovec; one datagram queued
    vlen, iov_size = 1, 1  # msg: VLEN mmsghdrs, each with the 1-byte iovec
    ts = rs.Timespec(0, 0)
    assert errno_of(lambda: rs.recvmmsg(-1, vlen, iov_size, 0, ts)) == errno.EBADF  # [0]
    # [1] bad_addr = tst_get_bad_addr(NULL)
    assert errno_of(lambda: rs.recvmmsg(receive_sockfd, vlen, iov_size, 0, ts, msgvec=rs.BADPTR)) == errno.EFAULT
    assert errno_of(lambda: rs.recvmmsg(receive_sockfd, vlen, iov_size, 0, rs.Timespec(-1, 0))) == errno.EINVAL  # [2]
    overflow = rs.Timespec(1, 1000000001)
    assert errno_of(lambda: rs.recvmmsg(receive_sockfd, vlen, iov_size, 0, overflow)) == errno.EINVAL  # [3]
    # [4] runs in a child in LTP, where glibc's variant may die of SIGSEGV; rawsock hands the kernel the pointer
    assert errno_of(lambda: rs.recvmmsg(receive_sockfd, vlen, iov_size, 0, rs.BADPTR)) == errno.EFAULT
    assert len(rs.recvmmsg(receive_sockfd, vlen, iov_size, rs.MSG_DONTWAIT)) == 1  # no case took the datagram


# --- select, pselect, ppoll ----------------------------------------------------------------------------------


def test_select03(fds: Fds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each LTP case runs in a child, as glibc's select() may die of SIGSEGV on the faulty timeout; rawsock makes
    # the select syscall itself with the pointers given, so the kernel answers (on x86-64 that is LTP's variant
    # 1, SYS_select).
    monkeypatch.chdir(tmp_path)
    fd_closed = os.open("tmpfile1", os.O_CREAT | os.O_RDWR, 0o777)
    r, w = fds.pair(rs.pipe())
    os.close(fd_closed)  # its bit stays set in fds_closed
    maxfds = w + 1
    assert fd_closed < maxfds
    valid_to = rs.Timeval(0, 100000)
    rows = (
        (0, ([r], [w], None, valid_to), -1, errno.EINVAL),
        (1, ([fd_closed], [w], None, valid_to), maxfds, errno.EBADF),
        (2, ([r], [fd_closed], None, valid_to), maxfds, errno.EBADF),
        (3, ([r], [w], [fd_closed], valid_to), maxfds, errno.EBADF),
        (4, (rs.BADPTR, [w], None, valid_to), maxfds, errno.EFAULT),
        (5, ([r], rs.BADPTR, None, valid_to), maxfds, errno.EFAULT),
        (6, ([r], [w], rs.BADPTR, valid_to), maxfds, errno.EFAULT),
        (7, ([r], [w], None, rs.BADPTR), maxfds, errno.EFAULT),
    )
    for index, args, nfds, expected in rows:
        assert errno_of(functools.partial(rs.select, *args, nfds=nfds)) == expected, index


def test_select04(fds: Fds) -> None:
    _, full = fds.pair(rs.pipe2(rs.O_NONBLOCK))  # fd_full
    buf = bytes(4)  # int buf = 0

    def fill() -> None:  # "Make the write buffer full for fd_full": until write() fails
        while True:
            rs.write(full, buf)

    assert errno_of(fill) == errno.EAGAIN  # [0]


def test_pselect02(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    fd = os.open("test_file", os.O_RDWR | os.O_CREAT, 0o777)
    os.close(fd)  # FD_SET(fd, &read_fds), then SAFE_CLOSE(fd)
    assert fd < 128
    time_buf = rs.Timespec(-1, 0)
    assert errno_of(lambda: rs.pselect([fd], None, None, None, None, nfds=128)) == errno.EBADF  # [0]
    assert errno_of(lambda: rs.pselect(None, None, None, None, None, nfds=-1)) == errno.EINVAL  # [1]
    assert errno_of(lambda: rs.pselect(None, None, None, time_buf, None, nfds=128)) == errno.EINVAL  # [2]


@pytest.fixture
def sigint_handler() -> Iterator[None]:
    """ppoll01's SAFE_SIGNAL(SIGINT, sighandler): a handler that does nothing, for the test only."""
    old = signal.signal(signal.SIGINT, lambda signum, frame: None)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


class SigintSender(threading.Thread):
    """create_sig_proc(SIGINT, count, delay): SIGINT to the main thread ``count`` times, ``delay`` s apart,
    until stopped (a thread instead of a child process; thread-directed, so no other thread takes it)."""

    def __init__(self, count: int, delay: float) -> None:
        super().__init__(name="sigint-sender", daemon=True)
        target = threading.main_thread().ident
        assert target is not None
        self.count, self.delay, self.target, self.stopped, self.sent = count, delay, target, threading.Event(), 0

    def run(self) -> None:
        for _ in range(self.count):
            if self.stopped.wait(self.delay):
                return
            signal.pthread_kill(self.target, signal.SIGINT)
            self.sent += 1

    def stop(self) -> None:  # kill(pid, SIGTERM); SAFE_WAIT(): every SIGINT sent is handled by now
        self.stopped.set()
        self.join()


def test_ppoll01(fds: Fds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sigint_handler: None) -> None:
    monkeypatch.chdir(tmp_path)
    fd1 = fds(os.open("testfile1", os.O_CREAT | os.O_RDWR, stat.S_IRUSR | stat.S_IWUSR))
    fds_good = [(fd1, rs.POLLIN | rs.POLLPRI | rs.POLLOUT | rs.POLLRDHUP)]
    ts_long = rs.Timespec(2, 0)
    # [4] SEND_SIGINT: nfds 0, 2 s, no mask; SIGINT 40 times 100 ms apart, the first interrupts the wait
    sender = SigintSender(40, 0.1)
    sender.start()
    try:
        assert errno_of(lambda: rs.ppoll(fds_good, ts_long, None, nfds=0)) == errno.EINTR
    finally:
        sender.stop()
    assert sender.sent >= 1
    # [5] SEND_SIGINT_RACE_TEST: SIGINT blocked and sent once before the call; ppoll's empty mask lets it in
    old_mask = signal.pthread_sigmask(signal.SIG_SETMASK, {signal.SIGINT})
    try:
        signal.pthread_kill(threading.get_ident(), signal.SIGINT)  # the main thread: this one
        assert errno_of(lambda: rs.ppoll(fds_good, ts_long, [], nfds=0)) == errno.EINTR
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
    # [6] INVALID_NFDS: -1 in the table's unsigned int, 4294967295 as nfds_t: over RLIMIT_NOFILE
    assert errno_of(lambda: rs.ppoll(fds_good, ts_long, None, nfds=2**32 - 1)) == errno.EINVAL
    # [7] INVALID_FDS: (struct pollfd *) -1
    assert errno_of(lambda: rs.ppoll(rs.BADPTR, ts_long, None, nfds=1)) == errno.EFAULT


# --- ioctl ---------------------------------------------------------------------------------------------------


def test_sockioctl01(fds: Fds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # tst_tmpdir()
    # SIOCATMARK's &optval is rawsock's own int
    assert errno_of(lambda: rs.ioctl(not_open(1025), rs.SIOCATMARK)) == errno.EBADF  # [0]
    os.mknod("test", stat.S_IRWXU | stat.S_IFIFO, 0)  # [1] setup0: a FIFO
    fifo = fds(os.open("test", os.O_RDWR))
    # the table says EINVAL; setup0 expects ENOTTY instead (46ce341b2f17: the VFS's -ENOIOCTLCMD is ENOTTY)
    assert errno_of(lambda: rs.ioctl(fifo, rs.SIOCATMARK)) == errno.ENOTTY

    def setup1(type: int) -> int:
        s = fds(rs.socket(rs.PF_INET, type, 0))
        rs.bind(s, INADDR_ANY, SIZEOF_SOCKADDR_IN)
        return s

    s = setup1(rs.SOCK_STREAM)  # [2] arg 0
    assert errno_of(lambda: rs.ioctl(s, rs.SIOCATMARK, rs.NULL)) == errno.EFAULT
    s = setup1(rs.SOCK_DGRAM)  # [3] the table says EINVAL; setup1 expects ENOTTY for "ATMARK on UDP"
    assert errno_of(lambda: rs.ioctl(s, rs.SIOCATMARK)) == errno.ENOTTY

    def setup3() -> int:  # SIOCGIFCONF into struct ifreq buf[200] must work first
        s = fds(rs.socket(rs.PF_INET, rs.SOCK_DGRAM, 0))
        ifc = rs.ioctl(s, rs.SIOCGIFCONF, rs.Ifconf(200 * SIZEOF_IFREQ))
        assert ifc.interfaces
        return s

    s = setup3()  # [6]
    assert errno_of(lambda: rs.ioctl(s, rs.SIOCGIFFLAGS, rs.NULL)) == errno.EFAULT
    s = setup3()  # [7]
    assert errno_of(lambda: rs.ioctl(s, rs.SIOCSIFFLAGS, rs.NULL)) == errno.EFAULT

    # Not an LTP case: without CAP_NET_ADMIN the same call is EFAULT too, the ifreq being copied before the
    # capability is checked (a real ifreq is EPERM there)
    def unprivileged() -> list[int]:
        u = rs.socket(rs.PF_INET, rs.SOCK_DGRAM, 0)
        return [errno_of(functools.partial(rs.ioctl, u, rs.SIOCSIFFLAGS, arg)) for arg in (rs.NULL, rs.Ifreq("lo", 0))]

    assert in_child(unprivileged, uid=NOBODY, netns=True) == [errno.EFAULT, errno.EPERM]  # never the host's lo


# --- the count ---------------------------------------------------------------------------------------------------


def _raw_layer_users() -> set[str]:
    """The module's top-level functions (and "<module>") that use rawsock.lib or rawsock.ffi."""
    tree = ast.parse(Path(__file__).read_text())
    users = set()
    for node in tree.body:
        name = node.name if isinstance(node, (ast.FunctionDef, ast.ClassDef)) else "<module>"
        for sub in ast.walk(node):
            if isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) and sub.value.id == "rs" \
                    and sub.attr in ("lib", "ffi"):
                users.add(name)
            elif isinstance(sub, ast.ImportFrom) and (sub.module or "").startswith("rawsock") \
                    and {alias.name for alias in sub.names} & {"lib", "ffi"}:
                users.add(name)
    return users


def test_raw_layer_share_is_at_most_5_percent() -> None:
    assert len(CASES) == TOTAL
    assert len(set(CASES)) == TOTAL  # sendto03's two paths share index 0, not a description
    assert {c.layer for c in CASES} <= {"rawsock", "raw", "stdlib"}
    raw = {(c.file, c.ltp_index) for c in CASES if c.layer == "raw"}
    assert raw == RAW_LAYER and STDLIB <= {(c.file, c.ltp_index) for c in CASES}
    share = len(raw) / len(CASES)
    assert share <= 0.05, f"{len(raw)} of {len(CASES)} cases need the raw layer: {share:.1%}"
    # one test per LTP file, named after it ...
    tests = {name[len("test_"):] for name, fn in globals().items() if name.startswith("test_") and callable(fn)}
    assert tests - {"raw_layer_share_is_at_most_5_percent"} == set(_TABLES)
    # ... and rawsock.lib and rawsock.ffi appear only in the tests of the files that have raw-layer cases
    assert _raw_layer_users() == {f"test_{file}" for file, _ in RAW_LAYER}
