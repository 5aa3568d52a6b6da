"""read(2), write(2), readv(2), writev(2), pipe(2), dup(2), sendfile(2), splice(2), epoll(7): successes, partial
results, NULL and value-result arguments, errnos.

strace watches read and write here, so the tracer must not write its log between the markers: its lines are
kept in memory and written to the log after the end marker.
"""
# strace: +read,write,readv,writev,pipe,pipe2,dup,dup3,sendfile,splice,epoll_create,epoll_create1,epoll_ctl,epoll_wait,epoll_pwait,epoll_pwait2  # noqa: E501

import io
import os
import signal
import tempfile

import rawsock as rs
from rawsock import _trace

for env_tracer in _trace._environment_tracers:
    env_tracer.__exit__()
path = os.path.join(tempfile.mkdtemp(), "data")
data_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
lines = io.StringIO()
with rs.trace(lines):
    rs.lib.close(-1)
    r, w = rs.pipe()
    r2, w2 = rs.pipe2(rs.O_CLOEXEC | rs.O_NONBLOCK)
    try:
        rs.pipe2(0x1)
    except OSError:
        pass
    rs.write(w, b"hello\0\1world, a longer line than strsize allows")
    rs.read(r, 3)
    rs.readv(r, [bytearray(2), bytearray(60)])
    rs.writev(w, [b"ab", memoryview(b"cde"), bytearray(b"")])
    rs.read_into(r, bytearray(8), 4)
    rs.readv(r, bytearray(4))
    try:
        rs.read(r2, 5)
    except BlockingIOError:
        pass
    for call in (lambda: rs.read(999, 3), lambda: rs.readv(999, [bytearray(2), bytearray(3)]),
                 lambda: rs.writev(w, [b"x"] * 1025)):
        try:
            call()
        except OSError:
            pass
    d = rs.dup(r)
    rs.dup3(d, 50, rs.O_CLOEXEC)
    try:
        rs.dup3(d, d, 0)
    except OSError:
        pass
    rs.write(data_fd, b"0123456789")
    a, b = rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM)
    rs.sendfile(a, data_fd, 2, 5)
    rs.sendfile(a, data_fd, 10, 5)
    rs.sendfile(a, data_fd, None, 3)
    try:
        rs.sendfile(a, data_fd, -1, 5)
    except OSError:
        pass
    rs.splice(data_fd, 1, w, None, 4, rs.SPLICE_F_MOVE | rs.SPLICE_F_NONBLOCK)
    try:
        rs.splice(data_fd, None, w, 0, 2)
    except OSError:
        pass
    rs.close(rs.epoll_create(1))
    try:
        rs.epoll_create(0)
    except OSError:
        pass
    ep = rs.epoll_create1(rs.EPOLL_CLOEXEC)
    rs.epoll_ctl(ep, rs.EPOLL_CTL_ADD, a, rs.EpollEvent(rs.EPOLLIN | rs.EPOLLET, 2**40 + 7))
    rs.epoll_ctl(ep, rs.EPOLL_CTL_MOD, a, (rs.EPOLLOUT | rs.EPOLLIN, a))
    rs.epoll_ctl(ep, rs.EPOLL_CTL_ADD, b, (rs.EPOLLIN | rs.EPOLLRDHUP, b))
    rs.epoll_wait(ep, 4, 0)
    rs.epoll_pwait(ep, 1, 10, [signal.SIGUSR1, signal.SIGTERM])
    rs.epoll_pwait2(ep, 4, rs.Timespec(0, 5000), None)
    rs.epoll_pwait2(ep, 4, 0)
    rs.epoll_ctl(ep, rs.EPOLL_CTL_DEL, a, None)
    for call in (lambda: rs.epoll_ctl(ep, rs.EPOLL_CTL_ADD, b, (rs.EPOLLIN, 0)),
                 lambda: rs.epoll_ctl(ep, rs.EPOLL_CTL_ADD, r, None), lambda: rs.epoll_wait(ep, 0, 0),
                 lambda: rs.epoll_wait(r, 1, 0), lambda: rs.epoll_create1(0x1)):
        try:
            call()
        except OSError:
            pass
    rs.epoll_wait(ep, 4, 0)
    for fd in (r, w, r2, w2, d, 50, a, b, ep, data_fd):
        rs.close(fd)
    rs.lib.close(-2)
with open(os.environ["RAWSOCK_TRACE"], "w") as log:
    log.write(lines.getvalue())
os.unlink(path)
os.rmdir(os.path.dirname(path))
