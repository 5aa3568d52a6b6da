"""socket(2), socketpair(2), bind(2), listen(2), accept(2)/accept4(2), connect(2), shutdown(2),
getsockname(2), getpeername(2): success, and the ERRORS sections of the man pages against the kernel."""

from __future__ import annotations

import errno
import os
import stat

import pytest
from conftest import NOBODY, Fds, errno_of, in_child, mount

import rawsock as rs
from rawsock import ffi, lib


def _fd_flags(fd: int) -> int:
    return rs.fcntl(fd, rs.F_GETFD)


# --- socket(2) ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("domain", "type_", "proto"),
    [
        (rs.AF_INET, rs.SOCK_STREAM, 0),
        (rs.AF_INET, rs.SOCK_DGRAM, rs.IPPROTO_UDP),
        (rs.AF_INET6, rs.SOCK_STREAM, rs.IPPROTO_TCP),
        (rs.AF_UNIX, rs.SOCK_SEQPACKET, 0),
        (rs.AF_INET, rs.SOCK_RAW, rs.IPPROTO_ICMP),
    ],
)
def test_socket_creates_the_socket_asked_for(fds: Fds, domain: int, type_: int, proto: int) -> None:
    fd = fds(rs.socket(domain, type_, proto))
    assert fd >= 0
    assert os.readlink(f"/proc/self/fd/{fd}").startswith("socket:[")


def test_socket_returns_the_lowest_free_fd(fds: Fds) -> None:
    a = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM))
    b = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM))
    assert b > a
    fds.close(a)
    assert fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM)) == a


def test_socket_adds_no_cloexec_and_no_nonblock(fds: Fds) -> None:
    fd = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    assert _fd_flags(fd) & rs.FD_CLOEXEC == 0
    assert rs.fcntl(fd, rs.F_GETFL) & rs.O_NONBLOCK == 0


def test_socket_type_flags_are_passed(fds: Fds) -> None:
    fd = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM | rs.SOCK_CLOEXEC | rs.SOCK_NONBLOCK))
    assert _fd_flags(fd) & rs.FD_CLOEXEC == rs.FD_CLOEXEC
    assert rs.fcntl(fd, rs.F_GETFL) & rs.O_NONBLOCK == rs.O_NONBLOCK


@pytest.mark.parametrize(
    ("domain", "type_", "proto", "expected"),
    [
        (9999, rs.SOCK_STREAM, 0, errno.EAFNOSUPPORT),  # unknown family
        (rs.AF_INET, 999, 0, errno.EINVAL),  # unknown type
        (rs.AF_INET, rs.SOCK_STREAM | 0x40000000, 0, errno.EINVAL),  # invalid flag in type
        (rs.AF_INET, rs.SOCK_STREAM, rs.IPPROTO_UDP, errno.EPROTONOSUPPORT),  # protocol not of this type
        (rs.AF_UNIX, rs.SOCK_STREAM, 2, errno.EPROTONOSUPPORT),
        (-1, rs.SOCK_STREAM, 0, errno.EAFNOSUPPORT),  # negative family goes to the kernel
    ],
)
def test_socket_errors(domain: int, type_: int, proto: int, expected: int) -> None:
    assert errno_of(lambda: rs.socket(domain, type_, proto)) == expected


def test_socket_raw_unprivileged_is_eperm() -> None:
    # socket(2) documents EACCES for "permission denied"; Linux answers EPERM without CAP_NET_RAW.
    result = in_child(lambda: rs.socket(rs.AF_INET, rs.SOCK_RAW, rs.IPPROTO_ICMP), uid=NOBODY)
    assert result == ("errno", errno.EPERM)


def test_socket_emfile_at_the_fd_limit() -> None:
    import resource

    def fill() -> object:
        resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
        while True:  # the child exits with its fds; the kernel closes them
            rs.socket(rs.AF_INET, rs.SOCK_DGRAM)

    assert in_child(fill) == ("errno", errno.EMFILE)


# --- socketpair(2) ----------------------------------------------------------------------------------

@pytest.mark.parametrize("type_", [rs.SOCK_STREAM, rs.SOCK_DGRAM, rs.SOCK_SEQPACKET])
def test_socketpair_is_connected(fds: Fds, type_: int) -> None:
    a, b = fds.pair(rs.socketpair(rs.AF_UNIX, type_))
    assert a != b
    assert rs.send(a, b"ping") == 4
    assert rs.recv(b, 10) == b"ping"
    assert rs.send(b, b"pong") == 4
    assert rs.recv(a, 10) == b"pong"
    assert _fd_flags(a) & rs.FD_CLOEXEC == 0


@pytest.mark.parametrize(
    ("domain", "type_", "proto", "expected"),
    [
        (9999, rs.SOCK_STREAM, 0, errno.EAFNOSUPPORT),
        (rs.AF_INET, rs.SOCK_STREAM, 0, errno.EOPNOTSUPP),  # the family does not support pairs
        (rs.AF_UNIX, rs.SOCK_STREAM, 2, errno.EPROTONOSUPPORT),
        (rs.AF_UNIX, 999, 0, errno.EINVAL),
    ],
)
def test_socketpair_errors(domain: int, type_: int, proto: int, expected: int) -> None:
    assert errno_of(lambda: rs.socketpair(domain, type_, proto)) == expected


def test_socketpair_efault_through_the_raw_layer() -> None:
    assert lib.socketpair(rs.AF_UNIX, rs.SOCK_STREAM, 0, ffi.NULL) == -1
    assert ffi.errno == errno.EFAULT


# --- bind(2) ------------------------------------------------------------------------------------------

def test_bind_inet_port_zero_gets_an_ephemeral_port(fds: Fds) -> None:
    fd = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    assert rs.bind(fd, rs.SockaddrIn("127.0.0.1", 0)) is None
    addr = rs.getsockname(fd)
    assert isinstance(addr, rs.SockaddrIn)
    assert addr.host == "127.0.0.1" and addr.port > 0


def test_bind_inet6(fds: Fds) -> None:
    fd = fds(rs.socket(rs.AF_INET6, rs.SOCK_DGRAM))
    rs.bind(fd, ("::1", 0))
    addr = rs.getsockname(fd)
    assert isinstance(addr, rs.SockaddrIn6)
    assert (addr.host, addr.flowinfo, addr.scope_id) == ("::1", 0, 0) and addr.port > 0


def test_bind_unix_path(fds: Fds, tmp_path: os.PathLike[str]) -> None:
    path = os.path.join(tmp_path, "s")
    fd = fds(rs.socket(rs.AF_UNIX, rs.SOCK_STREAM))
    rs.bind(fd, path)
    assert stat.S_ISSOCK(os.stat(path).st_mode)
    assert rs.getsockname(fd) == rs.SockaddrUn(path)
    assert rs.getsockname(fd).addrlen == ffi.offsetof("struct sockaddr_un", "sun_path") + len(path) + 1


def test_bind_raw_bytes_verbatim(fds: Fds) -> None:
    fd = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM))
    raw = rs.RawSockaddr.from_bytes(rs._address.encode(("127.0.0.1", 0)))
    rs.bind(fd, raw)
    assert isinstance(rs.getsockname(fd), rs.SockaddrIn)


def test_bind_sizeof_sockaddr_storage_addrlen_is_passed(fds: Fds) -> None:
    fd = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM))
    rs.bind(fd, ("127.0.0.1", 0), ffi.sizeof("struct sockaddr_storage"))  # longer is fine for AF_INET
    assert rs.getsockname(fd).host == "127.0.0.1"  # type: ignore[union-attr]


def test_bind_errors(fds: Fds, tmp_path: os.PathLike[str], not_a_socket: int, closed_fd: int) -> None:
    a = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    rs.bind(a, ("127.0.0.1", 0))
    taken = rs.getsockname(a)
    b = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    assert errno_of(lambda: rs.bind(b, taken)) == errno.EADDRINUSE
    assert errno_of(lambda: rs.bind(a, ("127.0.0.1", 0))) == errno.EINVAL  # already bound
    assert errno_of(lambda: rs.bind(b, ("127.0.0.1", 0), 15)) == errno.EINVAL  # addrlen too short
    assert errno_of(lambda: rs.bind(b, ("192.0.2.1", 0))) == errno.EADDRNOTAVAIL  # not a local address
    assert errno_of(lambda: rs.bind(b, ("::1", 0))) == errno.EAFNOSUPPORT  # AF_INET6 address, AF_INET socket
    assert errno_of(lambda: rs.bind(-1, ("127.0.0.1", 0))) == errno.EBADF
    assert errno_of(lambda: rs.bind(closed_fd, ("127.0.0.1", 0))) == errno.EBADF
    assert errno_of(lambda: rs.bind(not_a_socket, ("127.0.0.1", 0))) == errno.ENOTSOCK
    u = fds(rs.socket(rs.AF_UNIX, rs.SOCK_STREAM))
    assert errno_of(lambda: rs.bind(u, os.path.join(tmp_path, "missing", "s"))) == errno.ENOENT
    regular = os.path.join(tmp_path, "file")
    open(regular, "w").close()
    assert errno_of(lambda: rs.bind(u, os.path.join(regular, "s"))) == errno.ENOTDIR
    assert errno_of(lambda: rs.bind(u, regular)) == errno.EADDRINUSE  # the path exists
    loop = os.path.join(tmp_path, "loop")
    os.symlink(loop, loop)
    assert errno_of(lambda: rs.bind(u, os.path.join(loop, "s"))) == errno.ELOOP


def test_bind_efault_through_the_raw_layer(fds: Fds) -> None:
    fd = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    assert lib.bind(fd, ffi.NULL, 16) == -1
    assert ffi.errno == errno.EFAULT


def test_bind_privileged_port_as_nobody_is_eacces() -> None:
    def bind_low() -> object:
        fd = rs.socket(rs.AF_INET, rs.SOCK_STREAM)
        rs.bind(fd, ("127.0.0.1", 1))
        return "bound"

    assert in_child(bind_low, uid=NOBODY) == ("errno", errno.EACCES)


def test_bind_unix_without_search_permission_is_eacces(tmp_path: os.PathLike[str]) -> None:
    closed_dir = os.path.join(tmp_path, "closed")
    os.mkdir(closed_dir, 0o700)
    os.chmod(tmp_path, 0o755)

    def bind_in_closed_dir() -> object:
        fd = rs.socket(rs.AF_UNIX, rs.SOCK_STREAM)
        rs.bind(fd, os.path.join(closed_dir, "s"))
        return "bound"

    assert in_child(bind_in_closed_dir, uid=NOBODY) == ("errno", errno.EACCES)


def test_bind_unix_on_a_read_only_filesystem_is_erofs(tmp_path: os.PathLike[str]) -> None:
    target = os.path.join(tmp_path, "ro")
    os.mkdir(target)

    def bind_on_ro() -> object:
        mount("none", "/", "", 0x4000 | 0x40000)  # MS_REC | MS_PRIVATE: keep the mount to ourselves
        mount("none", target, "tmpfs", 1)  # MS_RDONLY
        fd = rs.socket(rs.AF_UNIX, rs.SOCK_STREAM)
        rs.bind(fd, os.path.join(target, "s"))
        return "bound"

    assert in_child(bind_on_ro, mountns=True) == ("errno", errno.EROFS)


def test_bind_unix_path_longer_than_sun_path_is_refused_before_the_kernel(fds: Fds) -> None:
    fd = fds(rs.socket(rs.AF_UNIX, rs.SOCK_STREAM))
    size = ffi.sizeof("struct sockaddr_un") - ffi.offsetof("struct sockaddr_un", "sun_path")
    with pytest.raises(ValueError, match="longer than sun_path"):
        rs.bind(fd, "/" + "x" * size)


# --- listen(2) ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("backlog", [0, 1, -1, -100, 2**31 - 1])
def test_listen_passes_any_backlog(fds: Fds, backlog: int) -> None:
    fd = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    rs.bind(fd, ("127.0.0.1", 0))
    assert rs.listen(fd, backlog) is None
    assert rs.getsockname(fd).port > 0  # type: ignore[union-attr]


def test_listen_errors(fds: Fds, not_a_socket: int) -> None:
    import socket as stdlib

    udp = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM))
    assert errno_of(lambda: rs.listen(udp, 1)) == errno.EOPNOTSUPP
    assert errno_of(lambda: rs.listen(-1, 1)) == errno.EBADF
    assert errno_of(lambda: rs.listen(not_a_socket, 1)) == errno.ENOTSOCK
    # EADDRINUSE: two SO_REUSEADDR sockets bound to one port; the second listen() is refused
    first = stdlib.socket(stdlib.AF_INET, stdlib.SOCK_STREAM)
    second = stdlib.socket(stdlib.AF_INET, stdlib.SOCK_STREAM)
    with first, second:
        for s in (first, second):
            s.setsockopt(stdlib.SOL_SOCKET, stdlib.SO_REUSEADDR, 1)
        first.bind(("127.0.0.1", 0))
        second.bind(first.getsockname())
        rs.listen(first.fileno(), 1)
        assert errno_of(lambda: rs.listen(second.fileno(), 1)) == errno.EADDRINUSE


# --- accept(2), accept4(2) ----------------------------------------------------------------------------

def test_accept_returns_the_peer_address_and_no_flags(fds: Fds, listener: tuple[int, rs.SockaddrIn]) -> None:
    lfd, addr = listener
    c = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    rs.connect(c, addr)
    fd, peer = rs.accept(lfd)
    fds(fd)
    assert peer == rs.getsockname(c)
    assert isinstance(peer, rs.SockaddrIn) and peer.addrlen == ffi.sizeof("struct sockaddr_in")
    assert _fd_flags(fd) & rs.FD_CLOEXEC == 0
    assert rs.fcntl(fd, rs.F_GETFL) & rs.O_NONBLOCK == 0


@pytest.mark.parametrize(
    "flags", [0, rs.SOCK_CLOEXEC, rs.SOCK_NONBLOCK, rs.SOCK_CLOEXEC | rs.SOCK_NONBLOCK]
)
def test_accept4_applies_exactly_the_given_flags(fds: Fds, listener: tuple[int, rs.SockaddrIn], flags: int) -> None:
    lfd, addr = listener
    c = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    rs.connect(c, addr)
    fd = fds(rs.accept4(lfd, flags)[0])
    assert bool(_fd_flags(fd) & rs.FD_CLOEXEC) == bool(flags & rs.SOCK_CLOEXEC)
    assert bool(rs.fcntl(fd, rs.F_GETFL) & rs.O_NONBLOCK) == bool(flags & rs.SOCK_NONBLOCK)


def test_accept_unix_peer_is_unnamed(fds: Fds, tmp_path: os.PathLike[str]) -> None:
    path = os.path.join(tmp_path, "srv")
    lfd = fds(rs.socket(rs.AF_UNIX, rs.SOCK_STREAM))
    rs.bind(lfd, path)
    rs.listen(lfd, 1)
    c = fds(rs.socket(rs.AF_UNIX, rs.SOCK_STREAM))
    rs.connect(c, path)
    fd, peer = rs.accept(lfd)
    fds(fd)
    assert peer == rs.SockaddrUn("") and peer.addrlen == ffi.sizeof("sa_family_t")
    assert rs.getpeername(c) == path


def test_accept_errors(fds: Fds, listener: tuple[int, rs.SockaddrIn], not_a_socket: int) -> None:
    lfd, _ = listener
    nb = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM | rs.SOCK_NONBLOCK))
    rs.bind(nb, ("127.0.0.1", 0))
    rs.listen(nb, 1)
    assert errno_of(lambda: rs.accept(nb)) == errno.EAGAIN
    assert errno_of(lambda: rs.accept4(nb, rs.SOCK_CLOEXEC)) == errno.EAGAIN
    unlistened = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    assert errno_of(lambda: rs.accept(unlistened)) == errno.EINVAL
    assert errno_of(lambda: rs.accept4(lfd, 1)) == errno.EINVAL  # an invalid flag
    udp = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM))
    assert errno_of(lambda: rs.accept(udp)) == errno.EOPNOTSUPP
    assert errno_of(lambda: rs.accept(-1)) == errno.EBADF
    assert errno_of(lambda: rs.accept(not_a_socket)) == errno.ENOTSOCK


def test_accept_emfile(fds: Fds, listener: tuple[int, rs.SockaddrIn]) -> None:
    import resource

    lfd, addr = listener
    c = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    rs.connect(c, addr)

    def accept_without_fds() -> object:
        resource.setrlimit(resource.RLIMIT_NOFILE, (lfd, lfd))  # no fd number is free below the limit
        return rs.accept(lfd)

    assert in_child(accept_without_fds) == ("errno", errno.EMFILE)


def test_accept_efault_through_the_raw_layer(fds: Fds, listener: tuple[int, rs.SockaddrIn]) -> None:
    lfd, addr = listener
    c = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    rs.connect(c, addr)
    addrlen = ffi.new("socklen_t *", 16)
    assert lib.accept(lfd, ffi.cast("struct sockaddr *", 1), addrlen) == -1
    assert ffi.errno == errno.EFAULT


# --- connect(2) ---------------------------------------------------------------------------------------

def test_connect_tcp(fds: Fds, listener: tuple[int, rs.SockaddrIn]) -> None:
    lfd, addr = listener
    c = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    assert rs.connect(c, addr) is None
    assert rs.getpeername(c) == addr
    fds(rs.accept(lfd)[0])


def test_connect_udp_then_dissolve_with_af_unspec(udp_pair: tuple[int, int, rs.SockaddrIn, rs.SockaddrIn]) -> None:
    a, _b, _, addr_b = udp_pair
    rs.connect(a, addr_b)
    assert rs.getpeername(a) == addr_b
    rs.connect(a, rs.SockaddrUnspec())
    assert errno_of(lambda: rs.getpeername(a)) == errno.ENOTCONN


def _full_listener(fds: Fds) -> rs.SockaddrIn:
    """A listener with backlog 0 whose accept queue is already full, so new SYNs are dropped."""
    lfd = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    rs.bind(lfd, ("127.0.0.1", 0))
    rs.listen(lfd, 0)
    addr = rs.getsockname(lfd)
    assert isinstance(addr, rs.SockaddrIn)
    first = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    rs.connect(first, addr)  # fills the queue of one
    return addr


def test_connect_nonblocking_einprogress_then_ealready(fds: Fds) -> None:
    addr = _full_listener(fds)
    c = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM | rs.SOCK_NONBLOCK))
    assert errno_of(lambda: rs.connect(c, addr)) == errno.EINPROGRESS
    assert errno_of(lambda: rs.connect(c, addr)) == errno.EALREADY


def test_connect_blocking_is_interrupted_not_retried(fds: Fds, alarm) -> None:  # type: ignore[no-untyped-def]
    addr = _full_listener(fds)
    c = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    alarm.arm(0.05)
    with pytest.raises(InterruptedError) as info:
        rs.connect(c, addr)
    assert info.value.errno == errno.EINTR and info.value.syscall == "connect"  # type: ignore[attr-defined]
    assert alarm.fired == 1


def test_connect_errors(fds: Fds, tcp_pair: tuple[int, int], closed_port: int, not_a_socket: int,
                        tmp_path: os.PathLike[str]) -> None:
    client, _ = tcp_pair
    assert errno_of(lambda: rs.connect(client, rs.getpeername(client))) == errno.EISCONN
    t = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    assert errno_of(lambda: rs.connect(t, ("127.0.0.1", closed_port))) == errno.ECONNREFUSED
    t = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    assert errno_of(lambda: rs.connect(t, ("::1", closed_port))) == errno.EAFNOSUPPORT
    assert errno_of(lambda: rs.connect(t, ("127.0.0.1", closed_port), 8)) == errno.EINVAL
    assert errno_of(lambda: rs.connect(-1, ("127.0.0.1", closed_port))) == errno.EBADF
    assert errno_of(lambda: rs.connect(not_a_socket, ("127.0.0.1", closed_port))) == errno.ENOTSOCK
    udp = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM))
    assert errno_of(lambda: rs.connect(udp, ("127.255.255.255", 9))) == errno.EACCES  # broadcast, no SO_BROADCAST
    u = fds(rs.socket(rs.AF_UNIX, rs.SOCK_STREAM))
    assert errno_of(lambda: rs.connect(u, os.path.join(tmp_path, "nobody-here"))) == errno.ENOENT
    dgram_path = os.path.join(tmp_path, "dgram")
    d = fds(rs.socket(rs.AF_UNIX, rs.SOCK_DGRAM))
    rs.bind(d, dgram_path)
    assert errno_of(lambda: rs.connect(u, dgram_path)) == errno.EPROTOTYPE
    assert lib.connect(u, ffi.NULL, 110) == -1 and ffi.errno == errno.EFAULT


def test_connect_unix_nonblocking_full_backlog_is_eagain(fds: Fds, tmp_path: os.PathLike[str]) -> None:
    path = os.path.join(tmp_path, "srv")
    lfd = fds(rs.socket(rs.AF_UNIX, rs.SOCK_STREAM))
    rs.bind(lfd, path)
    rs.listen(lfd, 0)
    outcomes = []
    for _ in range(3):
        c = fds(rs.socket(rs.AF_UNIX, rs.SOCK_STREAM | rs.SOCK_NONBLOCK))
        try:
            rs.connect(c, path)
            outcomes.append(0)
        except BlockingIOError as e:
            outcomes.append(e.errno)
    assert outcomes[0] == 0 and outcomes[-1] == errno.EAGAIN


def test_connect_unix_without_write_permission_is_eacces(fds: Fds, tmp_path: os.PathLike[str]) -> None:
    path = os.path.join(tmp_path, "srv")
    lfd = fds(rs.socket(rs.AF_UNIX, rs.SOCK_STREAM))
    rs.bind(lfd, path)
    rs.listen(lfd, 1)
    os.chmod(path, 0o600)
    os.chmod(tmp_path, 0o755)

    def connect_as_nobody() -> object:
        fd = rs.socket(rs.AF_UNIX, rs.SOCK_STREAM)
        rs.connect(fd, path)
        return "connected"

    assert in_child(connect_as_nobody, uid=NOBODY) == ("errno", errno.EACCES)


def test_connect_without_a_route_is_enetunreach() -> None:
    def connect_in_empty_netns() -> object:  # a new network namespace: lo exists but is down
        fd = rs.socket(rs.AF_INET, rs.SOCK_DGRAM)
        rs.connect(fd, ("127.0.0.1", 9))
        return "connected"

    assert in_child(connect_in_empty_netns, netns=True) == ("errno", errno.ENETUNREACH)


# --- shutdown(2) --------------------------------------------------------------------------------------

def test_shutdown_wr_gives_the_peer_eof_and_keeps_the_other_direction(tcp_pair: tuple[int, int]) -> None:
    client, server = tcp_pair
    rs.shutdown(client, rs.SHUT_WR)
    assert rs.recv(server, 10) == b""
    assert rs.send(server, b"still open") == 10
    assert rs.recv(client, 10) == b"still open"
    assert errno_of(lambda: rs.send(client, b"x", rs.MSG_NOSIGNAL)) == errno.EPIPE


def test_shutdown_errors(fds: Fds, not_a_socket: int) -> None:
    t = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    assert errno_of(lambda: rs.shutdown(t, rs.SHUT_RDWR)) == errno.ENOTCONN
    assert errno_of(lambda: rs.shutdown(t, 3)) == errno.EINVAL
    assert errno_of(lambda: rs.shutdown(-1, rs.SHUT_RD)) == errno.EBADF
    assert errno_of(lambda: rs.shutdown(not_a_socket, rs.SHUT_RD)) == errno.ENOTSOCK


# --- getsockname(2), getpeername(2) -------------------------------------------------------------------

def test_getsockname_and_getpeername_agree(tcp_pair: tuple[int, int]) -> None:
    client, server = tcp_pair
    assert rs.getsockname(client) == rs.getpeername(server)
    assert rs.getpeername(client) == rs.getsockname(server)


def test_getsockname_of_an_unbound_socket(fds: Fds) -> None:
    fd = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    assert rs.getsockname(fd) == ("0.0.0.0", 0)
    u = fds(rs.socket(rs.AF_UNIX, rs.SOCK_DGRAM))
    assert rs.getsockname(u) == rs.SockaddrUn("")


def test_getsockname_abstract(fds: Fds) -> None:
    name = b"\0rawsock-test-%d" % os.getpid()
    fd = fds(rs.socket(rs.AF_UNIX, rs.SOCK_DGRAM))
    rs.bind(fd, rs.SockaddrUn(name))
    addr = rs.getsockname(fd)
    assert addr == rs.SockaddrUn(name) and addr.addrlen == ffi.sizeof("sa_family_t") + len(name)


def test_getsockname_getpeername_errors(fds: Fds, not_a_socket: int) -> None:
    t = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    assert errno_of(lambda: rs.getpeername(t)) == errno.ENOTCONN
    for call in (rs.getsockname, rs.getpeername):
        assert errno_of(lambda: call(-1)) == errno.EBADF  # noqa: B023
        assert errno_of(lambda: call(not_a_socket)) == errno.ENOTSOCK  # noqa: B023
    addrlen = ffi.new("socklen_t *", 16)
    assert lib.getsockname(t, ffi.cast("struct sockaddr *", 1), addrlen) == -1 and ffi.errno == errno.EFAULT
    addrlen[0] = 0xFFFFFFFF  # a negative int to the kernel
    storage = ffi.new("struct sockaddr_storage *")
    assert lib.getsockname(t, ffi.cast("struct sockaddr *", storage), addrlen) == -1 and ffi.errno == errno.EINVAL
