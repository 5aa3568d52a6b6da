"""The seed scenarios: the full send buffer (seed 000), a non-blocking connect (seed 002), linger RST (004)."""

import io

import rawsock as rs
from rawsock.demos import full_send_buffer

rs.lib.close(-1)
full_send_buffer.run(io.StringIO())
lst = rs.socket(rs.AF_INET, rs.SOCK_STREAM)
rs.bind(lst, ("127.0.0.1", 0))
rs.listen(lst, 0)
addr = rs.getsockname(lst)
first = rs.socket(rs.AF_INET, rs.SOCK_STREAM)
rs.connect(first, addr)
nb = rs.socket(rs.AF_INET, rs.SOCK_STREAM | rs.SOCK_NONBLOCK)
try:
    rs.connect(nb, addr)
except BlockingIOError:
    pass
try:
    rs.connect(nb, addr)
except BlockingIOError:
    pass
rs.poll([(nb, rs.POLLOUT)], 0)
rs.getsockopt(nb, rs.SOL_SOCKET, rs.SO_ERROR)
srv, _ = rs.accept(lst)
rs.setsockopt(srv, rs.SOL_SOCKET, rs.SO_LINGER, rs.Linger(1, 0))
rs.close(srv)
try:
    rs.recv(first, 10)
except ConnectionResetError:
    pass
try:
    rs.send(first, b"x", rs.MSG_NOSIGNAL)
except BrokenPipeError:
    pass
for fd in (first, nb, lst):
    rs.close(fd)
rs.lib.close(-2)
