"""socket(2) .. close(2): success and failure, accept4 flags, a refused connect."""

import rawsock as rs

rs.lib.close(-1)
srv = rs.socket(rs.AF_INET, rs.SOCK_STREAM | rs.SOCK_CLOEXEC)
rs.bind(srv, ("127.0.0.1", 0))
rs.listen(srv, 16)
addr = rs.getsockname(srv)
cli = rs.socket(rs.AF_INET, rs.SOCK_STREAM)
rs.connect(cli, addr)
conn, _ = rs.accept4(srv, rs.SOCK_NONBLOCK | rs.SOCK_CLOEXEC)
rs.getpeername(conn)
cli2 = rs.socket(rs.AF_INET6, rs.SOCK_STREAM)
try:
    rs.connect(cli2, ("::1", addr.port))
except ConnectionRefusedError:
    pass
other = rs.socket(rs.AF_INET, rs.SOCK_STREAM)
for call in (lambda: rs.bind(other, addr), lambda: rs.bind(other, ("127.0.0.1", 0), 15), lambda: rs.listen(-1, 1),
             lambda: rs.accept(other), lambda: rs.accept4(srv, 1), lambda: rs.socket(9999, rs.SOCK_STREAM),
             lambda: rs.socketpair(rs.AF_INET, rs.SOCK_STREAM), lambda: rs.getpeername(other),
             lambda: rs.shutdown(other, rs.SHUT_RDWR), lambda: rs.close(-1)):
    try:
        call()
    except OSError:
        pass
a, b = rs.socketpair(rs.AF_UNIX, rs.SOCK_SEQPACKET)
rs.shutdown(a, rs.SHUT_RDWR)
u = rs.socket(rs.AF_UNIX, rs.SOCK_DGRAM)
rs.bind(u, rs.SockaddrUn(b"\0rawsock-fidelity"))
rs.getsockname(u)
rs.connect(u, rs.SockaddrUn(b"\0rawsock-fidelity"))
d = rs.socket(rs.AF_INET, rs.SOCK_DGRAM)
rs.connect(d, addr)
rs.connect(d, rs.SockaddrUnspec())
for fd in (conn, cli, cli2, other, a, b, u, d, srv):
    rs.close(fd)
rs.lib.close(-2)
