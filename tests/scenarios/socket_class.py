"""Every Socket method, success and failure."""

import os

import rawsock as rs

r, w = os.pipe()
rs.lib.close(-1)
with rs.Socket(rs.AF_INET, rs.SOCK_STREAM) as srv, rs.Socket(rs.AF_INET, rs.SOCK_STREAM) as cli:
    srv.setsockopt(rs.SOL_SOCKET, rs.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    cli.connect(srv.getsockname())
    conn, peer = srv.accept()
    with conn:
        cli.send(b"abc")
        conn.recv(2)
        conn.recv_into(bytearray(4))
        cli.sendto(b"d", 0, srv.getsockname())
        conn.recvfrom(4)
        cli.send(b"e")
        conn.recvfrom_into(bytearray(4))
        conn.getpeername()
        conn.getsockopt(rs.SOL_SOCKET, rs.SO_RCVBUF)
        conn.ioctl(rs.FIONREAD)
        conn.sockatmark()
        conn.fcntl(rs.F_GETFL)
        conn.set_nonblocking()
        try:
            conn.recv(1)
        except BlockingIOError:
            pass
        cli.shutdown(rs.SHUT_WR)
        conn.recv(1)
    cli2 = rs.Socket(rs.AF_INET, rs.SOCK_STREAM)
    cli2.connect(srv.getsockname())
    conn2, _ = srv.accept4(rs.SOCK_CLOEXEC)
    conn2.close()
    cli2.close()
with rs.Socket(rs.AF_UNIX, rs.SOCK_DGRAM) as s, rs.Socket(rs.AF_UNIX, rs.SOCK_DGRAM) as t:
    s.bind(rs.SockaddrUn(b"\0rawsock-fidelity-class"))
    where = s.getsockname()
    t.send_fds([b"f"], [r], 0, where)
    _, got, _, _ = s.recv_fds(4, 1)
    rs.close(got[0])
    t.sendmsg([b"m"], (), 0, where)
    s.recvmsg(4)
    t.sendmsg([b"into"], (), 0, where)
    s.recvmsg_into([bytearray(4)])
    t.sendmmsg([([b"a"], where), ([b"b"], where)])
    s.recvmmsg(2, 4)
try:
    s.send(b"closed")
except OSError:
    pass
rs.lib.close(-2)
