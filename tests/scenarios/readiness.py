"""select with an fd above 1024, pselect and ppoll with sigmasks, poll, Poller."""

import os
import resource
import signal

import rawsock as rs

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
try:  # fd 1500, or the highest this process may have (without CAP_SYS_RESOURCE, under `ulimit -n 1024`)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1501), max(hard, 1501)))
except ValueError:
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
rs.lib.close(-1)
a, b = rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM)
high = rs.fcntl(a, rs.F_DUPFD, min(1500, resource.getrlimit(resource.RLIMIT_NOFILE)[0] - 1))
rs.send(b, b"x")
rs.select([high, a], [high], [], 0.5)
rs.select([b], None, None, 0)
rs.select([a], [], [b], rs.Timeval(0, 1000), nfds=0)
try:
    rs.select([a], [], [], rs.Timeval(-1, 0))
except OSError:
    pass
rs.pselect([a], [b], [], 0.25, [signal.SIGUSR1, signal.SIGTERM])
rs.pselect([b], [], [], rs.Timespec(0, 1000), None)
rs.pselect([a], [], [], None, [])
rs.poll([(a, rs.POLLIN | rs.POLLPRI), (-1, rs.POLLIN), (b, rs.POLLOUT)], 100)
rs.poll([(b, rs.POLLIN)], 0)
rs.ppoll([(a, rs.POLLIN)], 0.1, [signal.SIGINT])
rs.ppoll([(b, rs.POLLIN)], rs.Timespec(0, 0), None)
try:
    rs.ppoll([(b, rs.POLLIN)], rs.Timespec(-1, 0))
except OSError:
    pass
poller = rs.Poller()
poller.register(a, rs.POLLIN)
poller.register(b)
poller.poll(0)
poller.ppoll(0, [])
for fd in (high, a, b):
    rs.close(fd)
rs.lib.close(-2)
os.environ.get("unused")
