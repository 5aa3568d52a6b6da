"""send(2)/recv(2) family: bytes-like data, flags, strings past strsize, MSG_TRUNC, EAGAIN."""

import array

import rawsock as rs

rs.lib.close(-1)
a, b = rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM)
rs.send(a, b"hello\n\t\"quoted\"\\ \0\1\0019\377", 0)
rs.recv(b, 100)
rs.send(a, bytearray(b"x" * 100), rs.MSG_DONTWAIT | rs.MSG_NOSIGNAL)
rs.recv(b, 40, rs.MSG_PEEK)
rs.recv_into(b, bytearray(100), 60)
rs.send(a, memoryview(array.array("i", [1, 2, 3])))
buf = bytearray(64)
rs.recv_into(b, buf)
try:
    rs.recv(b, 10, rs.MSG_DONTWAIT)
except BlockingIOError:
    pass
rs.recv(b, 0, rs.MSG_DONTWAIT) if False else None
u = rs.socket(rs.AF_INET, rs.SOCK_DGRAM)
v = rs.socket(rs.AF_INET, rs.SOCK_DGRAM)
rs.bind(v, ("127.0.0.1", 0))
dest = rs.getsockname(v)
rs.sendto(u, b"datagram one", 0, dest)
rs.recvfrom(v, 4, rs.MSG_TRUNC)
rs.sendto(u, memoryview(b"two"), 0, (dest.host, dest.port))
rs.recvfrom_into(v, bytearray(8))
rs.sendto(u, b"three", 0, dest)
rs.recv_into(v, bytearray(2), 0, rs.MSG_TRUNC)
try:
    rs.sendto(u, b"x" * 70000, 0, dest)
except OSError:
    pass
try:
    rs.recvfrom(u, 10, rs.MSG_DONTWAIT)
except BlockingIOError:
    pass
try:
    rs.send(u, b"no destination")
except OSError:
    pass
rs.set_nonblocking(a)
try:
    while True:
        rs.send(a, b"f" * 65536)
except BlockingIOError:
    pass
for fd in (a, b, u, v):
    rs.close(fd)
rs.lib.close(-2)
