"""sendmsg/recvmsg with SCM_RIGHTS, send_fds/recv_fds, sendmmsg/recvmmsg, and their failures."""

import os

import rawsock as rs

r, w = os.pipe()
rs.lib.close(-1)
a, b = rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM)
rs.sendmsg(a, [b"take", b" this"], [rs.ScmRights([r])])
msg = rs.recvmsg(b, 64, rs.CMSG_SPACE(4))
rs.send_fds(a, [b"two"], [r, w])
data, fds, flags, address = rs.recv_fds(b, 16, 2)
rs.send(a, b"into")
rs.recvmsg_into(b, [bytearray(2), bytearray(2)])
try:
    rs.recvmsg(b, 16, 0, rs.MSG_DONTWAIT)
except BlockingIOError:
    pass
u = rs.socket(rs.AF_INET, rs.SOCK_DGRAM)
v = rs.socket(rs.AF_INET, rs.SOCK_DGRAM)
rs.bind(v, ("127.0.0.1", 0))
dest = rs.getsockname(v)
rs.sendmmsg(u, [(b"first", dest), ([b"sec", b"ond"], dest), (b"third", dest)])
rs.recvmmsg(v, 3, 16)
rs.sendmsg(u, [b"to"], (), 0, dest)
rs.recvmsg(v, 16)
try:
    rs.sendmsg(u, [b"x"])
except OSError:
    pass
t = rs.socket(rs.AF_INET, rs.SOCK_DGRAM)
rs.connect(t, dest)
rs.setsockopt(t, rs.SOL_SOCKET, rs.SO_TIMESTAMPING, rs.SOF_TIMESTAMPING_TX_SOFTWARE | rs.SOF_TIMESTAMPING_SOFTWARE
              | rs.SOF_TIMESTAMPING_OPT_ID | rs.SOF_TIMESTAMPING_OPT_TSONLY)
rs.send(t, b"stamped")
rs.poll([(t, 0)], 1000)
rs.recvmsg(t, 64, 512, rs.MSG_ERRQUEUE)
z = rs.socket(rs.AF_INET, rs.SOCK_DGRAM)
rs.connect(z, dest)
rs.setsockopt(z, rs.SOL_SOCKET, rs.SO_ZEROCOPY, 1)
rs.send(z, b"z" * 40, rs.MSG_ZEROCOPY)
rs.poll([(z, 0)], 1000)
rs.recvmsg(z, 0, 512, rs.MSG_ERRQUEUE)
for fd in (msg.cmsgs[0].fds[0], *fds, a, b, u, v, t, z):
    rs.close(fd)
rs.lib.close(-2)
