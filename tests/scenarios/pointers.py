"""rawsock.BADPTR and rawsock.NULL where a call takes a pointer: the kernel gets the address as is (strace
prints it, as it prints any pointer it cannot read), with the lengths given, and answers EFAULT or whatever a
NULL means to it.

strace watches write here, so the tracer must not write its log between the markers: its lines are kept in
memory and written to the log after the end marker.
"""
# strace: +write,sendfile,splice,accept4,epoll_create1,epoll_ctl,epoll_wait,epoll_pwait,epoll_pwait2,readv,writev,pipe,pipe2,ioctl,fcntl  # noqa: E501

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
        lambda: rs.epoll_wait(ep, 4, 0, events=rs.BADPTR),
        lambda: rs.epoll_pwait(ep, 4, 0, None, events=rs.NULL),
    ]
    for call in calls:
        try:
            call()
        except OSError:
            pass
    # sendmsg(2), recvmsg(2), sendmmsg(2), recvmmsg(2), readv(2), writev(2), select(2): every pointer of a message
    u2 = rs.socket(rs.AF_INET, rs.SOCK_DGRAM)
    r, w = rs.pipe()
    for call in [
        lambda: rs.sendmsg(a, [(rs.BADPTR, 10)]),
        lambda: rs.sendmsg(a, [b"ab", rs.NULL, (rs.NULL, 0)]),
        lambda: rs.sendmsg(a, rs.NULL, iovlen=1),
        lambda: rs.sendmsg(a, rs.BADPTR),
        lambda: rs.sendmsg(a, [b"x"], msghdr=rs.NULL),
        lambda: rs.sendmsg(a, [b"x"], msghdr=rs.BADPTR),
        lambda: rs.sendmsg(a, [b"x"], rs.BADPTR, controllen=16),
        lambda: rs.sendmsg(u2, [b"x"], (), 0, rs.BADPTR, namelen=16),
        lambda: rs.sendmsg(u2, [b"x"], (), 0, ("127.0.0.1", 9), namelen=1),
        lambda: rs.sendmsg(a, [b"x", b"y"], iovlen=1),
        lambda: rs.sendmsg(a, [b"x"], iovlen=-1),
        lambda: rs.recvmsg(b, 16, 0, rs.MSG_DONTWAIT),
        lambda: rs.recvmsg(b, 16, 0, rs.MSG_DONTWAIT, msghdr=rs.NULL),
        lambda: rs.recvmsg_into(b, [(rs.BADPTR, 8)], 0, rs.MSG_DONTWAIT),
        lambda: rs.recvmsg_into(b, rs.NULL, 0, rs.MSG_DONTWAIT, iovlen=1),
        lambda: rs.recvmsg(b, 16, 0, rs.MSG_DONTWAIT, iovlen=-1),
        lambda: rs.recvmsg(b, 16, 64, rs.MSG_DONTWAIT, control=rs.BADPTR),
        lambda: rs.recvmsg(b, 16, 0, rs.MSG_DONTWAIT, name=rs.BADPTR),
        lambda: rs.sendmmsg(a, rs.NULL, vlen=1),
        lambda: rs.sendmmsg(a, rs.BADPTR, vlen=2),
        lambda: rs.sendmmsg(a, [b"p", b"q"], vlen=1),
        lambda: rs.recvmmsg(b, 2, 8, rs.MSG_DONTWAIT, msgvec=rs.BADPTR),
        lambda: rs.recvmmsg(b, 2, 8, rs.MSG_DONTWAIT, msgvec=rs.NULL),
        lambda: rs.writev(w, [b"ab", (rs.BADPTR, 3)]),
        lambda: rs.writev(w, rs.NULL, iovcnt=1),
        lambda: rs.writev(w, [b"ab", b"cd"], iovcnt=1),
        lambda: rs.writev(w, [b"ab"], iovcnt=-1),
        lambda: rs.readv(r, [(rs.BADPTR, 3)]),
        lambda: rs.readv(r, rs.BADPTR, iovcnt=2),
        lambda: rs.select(rs.BADPTR, None, None, 0, nfds=4),
        lambda: rs.select([a], rs.NULL, rs.BADPTR, 0),
        lambda: rs.getsockopt(u2, rs.SOL_SOCKET, rs.SO_RCVBUF, optval=rs.BADPTR),
        lambda: rs.getsockopt(u2, rs.SOL_SOCKET, rs.SO_RCVBUF, 4, optval=rs.BADPTR),
        lambda: rs.getsockopt(u2, rs.SOL_SOCKET, rs.SO_RCVBUF, optlen=rs.BADPTR),
        lambda: rs.getsockopt(u2, rs.SOL_SOCKET, rs.SO_RCVBUF, -1),
        lambda: rs.setsockopt(u2, rs.SOL_SOCKET, rs.SO_RCVBUF, rs.BADPTR, 4),
        lambda: rs.setsockopt(u2, rs.SOL_SOCKET, rs.SO_RCVBUF, rs.NULL),
        lambda: rs.ioctl(u2, rs.FIONREAD, rs.BADPTR),
        lambda: rs.ioctl(u2, rs.SIOCGIFFLAGS, rs.NULL),
        lambda: rs.fcntl(u2, rs.F_GETLK, rs.BADPTR),
        lambda: rs.fcntl(u2, rs.F_GETOWN_EX, rs.NULL),
        # SIOCGIFCONF's ifc_buf: rawsock's own buffer, NULL, or a pointer given
        lambda: rs.ioctl(u2, rs.SIOCGIFCONF, rs.Ifconf(0, None)),
        lambda: rs.ioctl(u2, rs.SIOCGIFCONF, 400),
        lambda: rs.ioctl(u2, rs.SIOCGIFCONF, rs.Ifconf(39)),
        lambda: rs.ioctl(u2, rs.SIOCGIFCONF, rs.Ifconf(-1)),
        lambda: rs.ioctl(u2, rs.SIOCGIFCONF, rs.Ifconf(100, rs.BADPTR)),
        lambda: rs.sendfile(w, r, rs.BADPTR, 4),
        lambda: rs.splice(r, rs.BADPTR, w, None, 4, rs.SPLICE_F_NONBLOCK),
        lambda: rs.splice(r, None, w, rs.NULL, 4, rs.SPLICE_F_NONBLOCK),
    ]:
        try:
            call()
        except OSError:
            pass
    u3 = rs.socket(rs.AF_INET, rs.SOCK_DGRAM)
    rs.bind(u3, ("127.0.0.1", 0))
    for kw in ({"addr": rs.BADPTR}, {"addr": rs.NULL, "addrlen": rs.NULL}, {"addrlen": rs.BADPTR}, {"addrlen": 4}):
        rs.sendto(u3, b"abc", 0, rs.getsockname(u3))
        try:
            rs.recvfrom(u3, 8, 0, **kw)  # type: ignore[arg-type]
        except OSError:
            pass
    for fd in (u2, u3, r, w):
        rs.close(fd)
    # accept(2), getsockname(2): the address and its length pointer
    lst = rs.socket(rs.AF_INET, rs.SOCK_STREAM)
    rs.bind(lst, ("127.0.0.1", 0))
    rs.listen(lst, 8)
    for kw in ({"addr": rs.NULL}, {"addr": rs.NULL, "addrlen": rs.NULL}, {"addr": rs.NULL, "addrlen": 5},
               {"addrlen": 4}, {"addrlen": rs.BADPTR}, {"addr": rs.BADPTR}, {"addrlen": -1}, {"addrlen": 0},
               {"addrlen": 1000}):
        c = rs.socket(rs.AF_INET, rs.SOCK_STREAM)
        rs.connect(c, rs.getsockname(lst))
        try:
            rs.close(rs.accept4(lst, rs.SOCK_CLOEXEC, **kw)[0])  # type: ignore[call-overload]
        except OSError:
            pass
        rs.close(c)
    for kw in ({"addrlen": 4}, {"addrlen": rs.BADPTR}, {"addr": rs.BADPTR}, {"addr": rs.NULL, "addrlen": rs.NULL},
               {"addrlen": -1}, {"addrlen": 0}):
        for call in (rs.getsockname, rs.getpeername):
            try:
                call(lst, **kw)  # type: ignore[call-overload]
            except OSError:
                pass
    rs.close(lst)
    # from the C review: lengths past what rawsock holds, short addresses, unknown option names
    u4, v4 = rs.socket(rs.AF_INET, rs.SOCK_DGRAM), rs.socket(rs.AF_INET, rs.SOCK_DGRAM)
    rs.bind(v4, ("127.0.0.1", 0))
    r2, w2 = rs.pipe2(rs.O_NONBLOCK)
    t4 = rs.socket(rs.AF_INET, rs.SOCK_STREAM)
    for call in [
        lambda: rs.writev(w2, [(rs.NULL, 2**64 - 1), b"abc"]),
        lambda: rs.sendmsg(u4, [b"x"], rs.BADPTR, controllen=2**64 - 1),
        lambda: rs.recvmsg(v4, 16, 0, rs.MSG_DONTWAIT, namelen=-7),
        lambda: rs.sendto(u4, b"named", 0, rs.getsockname(v4)),
        lambda: rs.recvmsg(v4, 16, 0, rs.MSG_DONTWAIT, namelen=3),
        lambda: rs.getsockname(v4, addrlen=1),
        lambda: rs.getsockname(v4, addrlen=2),
        lambda: rs.getsockname(v4, addr=rs.NULL, addrlen=16),
        # (not here: poll with nfds past the pairs, which the kernel refuses: strace prints what lies past
        # rawsock's array, rawsock the array's address)
        lambda: rs.getsockopt(t4, rs.IPPROTO_IP, -1),
        lambda: rs.setsockopt(t4, rs.IPPROTO_UDP, rs.SO_OOBINLINE, 0),
        lambda: rs.sendto(u4, b"x", 0, ("127.0.0.1", 9), -1),
        lambda: rs.recvmsg(t4, 16, 0, 0, namelen=-1),
        lambda: rs.sendto(u4, b"x", -1, rs.getsockname(v4)),  # every flag: strace's names, its 32 bits
        lambda: rs.recvmsg(v4, 4, 0, -1),
    ]:
        try:
            call()
        except OSError:
            pass
    for fd in (u4, v4, r2, w2, t4):
        rs.close(fd)
    for fd in (a, b, u, ep):
        rs.close(fd)
    rs.lib.close(-2)
with open(os.environ["RAWSOCK_TRACE"], "w") as log:
    log.write(lines.getvalue())
signal.getsignal(signal.SIGINT)  # (nothing after the markers is compared)
