"""rawsock.BADPTR and rawsock.NULL where a call takes a pointer: the kernel gets the address as is (strace
prints it, as it prints any pointer it cannot read), with the lengths given, and answers EFAULT or whatever a
NULL means to it.

strace watches write here, so the tracer must not write its log between the markers: its lines are kept in
memory and written to the log after the end marker.
"""
# strace: +write,epoll_create1,epoll_ctl,epoll_pwait,epoll_pwait2

import io
import os
import signal

import rawsock as rs
from rawsock import _trace

for env_tracer in _trace._environment_tracers:
    env_tracer.__exit__()
lines = io.StringIO()
with rs.trace(lines):
    rs.lib.close(-1)
    a, b = rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM)
    u = rs.socket(rs.AF_INET, rs.SOCK_DGRAM)
    ep = rs.epoll_create1(0)
    calls = [
        lambda: rs.send(a, rs.BADPTR, nbytes=10),
        lambda: rs.send(a, rs.BADPTR, rs.MSG_DONTWAIT, nbytes=-1),
        lambda: rs.send(a, rs.NULL),
        lambda: rs.send(a, rs.NULL, nbytes=7),
        lambda: rs.send(a, b"abcdef", nbytes=3),
        lambda: rs.sendto(u, rs.BADPTR, 0, ("127.0.0.1", 9), nbytes=4),
        lambda: rs.sendto(u, b"x", 0, rs.BADPTR, 16),
        lambda: rs.sendto(u, b"x", 0, rs.NULL, 0),
        lambda: rs.recv_into(b, rs.BADPTR, 3),
        lambda: rs.recv_into(b, rs.NULL, 0, rs.MSG_DONTWAIT),
        lambda: rs.write(a, rs.BADPTR, nbytes=5),
        lambda: rs.bind(u, rs.BADPTR, 16),
        lambda: rs.bind(u, rs.NULL, 16),
        lambda: rs.connect(u, rs.BADPTR, -1),
        lambda: rs.socketpair(rs.AF_UNIX, rs.SOCK_DGRAM, sv=rs.BADPTR),
        lambda: rs.socketpair(rs.AF_UNIX, rs.SOCK_DGRAM, 0, sv=rs.NULL),
        lambda: rs.poll(rs.BADPTR, 0, nfds=2),
        lambda: rs.poll(rs.NULL, 0),
        lambda: rs.poll([(a, rs.POLLOUT), (b, rs.POLLIN)], 0, nfds=1),
        lambda: rs.poll(rs.BADPTR, 0, nfds=-1),
        lambda: rs.ppoll([(a, rs.POLLOUT)], rs.BADPTR),
        lambda: rs.ppoll([(a, rs.POLLOUT)], 0, rs.BADPTR),
        lambda: rs.ppoll([(a, rs.POLLOUT)], rs.NULL, rs.NULL),
        lambda: rs.pselect([a], None, None, rs.BADPTR),
        lambda: rs.pselect([a], None, None, 0, rs.BADPTR),
        lambda: rs.select([a], None, None, rs.BADPTR),
        lambda: rs.epoll_ctl(ep, rs.EPOLL_CTL_ADD, a, rs.BADPTR),
        lambda: rs.epoll_ctl(ep, rs.EPOLL_CTL_ADD, a, rs.NULL),
        lambda: rs.epoll_pwait2(ep, 1, rs.BADPTR),
        lambda: rs.epoll_pwait(ep, 1, 0, rs.BADPTR),
        lambda: rs.recvmmsg(b, 1, 4, rs.MSG_DONTWAIT, rs.BADPTR),
    ]
    for call in calls:
        try:
            call()
        except OSError:
            pass
    for fd in (a, b, u, ep):
        rs.close(fd)
    rs.lib.close(-2)
with open(os.environ["RAWSOCK_TRACE"], "w") as log:
    log.write(lines.getvalue())
signal.getsignal(signal.SIGINT)  # (nothing after the markers is compared)
