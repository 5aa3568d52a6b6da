"""setsockopt/getsockopt with ints, Linger, Timeval, raw bytes; ioctl; sockatmark; fcntl; set_nonblocking."""

import os

import rawsock as rs

rs.lib.close(-1)
t = rs.socket(rs.AF_INET, rs.SOCK_STREAM)
rs.setsockopt(t, rs.SOL_SOCKET, rs.SO_REUSEADDR, 1)
rs.getsockopt(t, rs.SOL_SOCKET, rs.SO_REUSEADDR)
rs.setsockopt(t, rs.SOL_SOCKET, rs.SO_LINGER, rs.Linger(1, 5))
rs.getsockopt(t, rs.SOL_SOCKET, rs.SO_LINGER)
rs.setsockopt(t, rs.SOL_SOCKET, rs.SO_RCVTIMEO, rs.Timeval(1, 500000))
rs.getsockopt(t, rs.SOL_SOCKET, rs.SO_RCVTIMEO)
rs.setsockopt(t, rs.SOL_SOCKET, rs.SO_SNDBUF, b"\0\020\0\0")
rs.getsockopt(t, rs.SOL_SOCKET, rs.SO_SNDBUF, 64)
try:
    rs.setsockopt(t, rs.SOL_SOCKET, rs.SO_KEEPALIVE, b"\1\0\0\0", 3)
except OSError:
    pass
try:
    rs.getsockopt(t, 12345, 1)
except OSError:
    pass
rs.setsockopt(t, rs.IPPROTO_TCP, rs.TCP_NODELAY, 1)
rs.setsockopt(t, rs.IPPROTO_IP, rs.IP_TTL, 33)
rs.getsockopt(t, rs.SOL_SOCKET, rs.SO_TYPE)
a, b = rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM)
rs.getsockopt(a, rs.SOL_SOCKET, rs.SO_PEERCRED)
rs.send(a, b"12345")
rs.ioctl(b, rs.FIONREAD)
rs.ioctl(a, rs.SIOCOUTQ)
lst = rs.socket(rs.AF_INET, rs.SOCK_STREAM)
rs.bind(lst, ("127.0.0.1", 0))
rs.listen(lst, 1)
rs.connect(t, rs.getsockname(lst))
srv, _ = rs.accept(lst)
rs.sockatmark(srv)
rs.set_nonblocking(a)
rs.set_nonblocking(a, False)
rs.fcntl(a, rs.F_SETFD, rs.FD_CLOEXEC)
rs.fcntl(a, rs.F_GETFD)
dup = rs.fcntl(a, rs.F_DUPFD, 200)
try:
    rs.fcntl(a, 9999)
except OSError:
    pass
regular = os.open(__file__, os.O_RDONLY)  # F_GETFL on a regular file: the kernel adds O_LARGEFILE
rs.fcntl(regular, rs.F_GETFL)
for fd in (dup, a, b, srv, t, lst, regular):
    rs.close(fd)
rs.lib.close(-2)
