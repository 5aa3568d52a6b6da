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
m = rs.socket(rs.AF_INET, rs.SOCK_DGRAM)
m6 = rs.socket(rs.AF_INET6, rs.SOCK_DGRAM)
for sock, level, name, value in (
        (m, rs.IPPROTO_IP, rs.IP_ADD_MEMBERSHIP, rs.IpMreq("224.0.0.251")),
        (m, rs.IPPROTO_IP, rs.IP_ADD_MEMBERSHIP, rs.IpMreqn("224.0.0.252", "0.0.0.0", 1)),
        (m, rs.IPPROTO_IP, rs.IP_DROP_MEMBERSHIP, rs.IpMreq("224.0.0.251", "127.0.0.1")),
        (m, rs.IPPROTO_IP, rs.IP_ADD_SOURCE_MEMBERSHIP, rs.IpMreqSource("232.1.1.1", "0.0.0.0", "10.0.0.1")),
        (m, rs.IPPROTO_IP, rs.MCAST_JOIN_GROUP, rs.GroupReq(1, rs.SockaddrIn("224.0.0.253", 0))),
        (m, rs.IPPROTO_IP, rs.MCAST_JOIN_SOURCE_GROUP,
         rs.GroupSourceReq(1, rs.SockaddrIn("232.1.1.2", 0), rs.SockaddrIn("10.0.0.2", 0))),
        (m6, rs.IPPROTO_IPV6, rs.IPV6_ADD_MEMBERSHIP, rs.Ipv6Mreq("ff02::fb", 1)),
        (m6, rs.IPPROTO_IPV6, rs.MCAST_JOIN_GROUP, rs.GroupReq(1, rs.SockaddrIn6("ff02::fc", 0))),
        (m, rs.SOL_SOCKET, rs.SO_TIMESTAMPING, rs.SoTimestamping(rs.SOF_TIMESTAMPING_SOFTWARE
                                                                 | rs.SOF_TIMESTAMPING_RX_SOFTWARE)),
        (m, rs.SOL_SOCKET, rs.SO_TIMESTAMPING, rs.SOF_TIMESTAMPING_TX_SOFTWARE | rs.SOF_TIMESTAMPING_OPT_ID),
        (m, rs.SOL_SOCKET, rs.SO_SNDBUFFORCE, 0xFFFFFF00)):
    try:
        rs.setsockopt(sock, level, name, value)
    except OSError:
        pass
rs.getsockopt(m, rs.SOL_SOCKET, rs.SO_TIMESTAMPING)
rs.getsockopt(m, rs.SOL_SOCKET, rs.SO_COOKIE)
rs.getsockopt(m, rs.SOL_SOCKET, rs.SO_MEMINFO)
rs.getsockopt(srv, rs.IPPROTO_TCP, rs.TCP_CC_INFO)
pk = rs.socket(rs.AF_PACKET, rs.SOCK_RAW, 0)
rs.setsockopt(pk, rs.SOL_PACKET, rs.PACKET_VERSION, rs.TPACKET_V3)
rs.setsockopt(pk, rs.SOL_PACKET, rs.PACKET_RX_RING, rs.TpacketReq3(4096, 4, 2048, 8, 60))
pk2 = rs.socket(rs.AF_PACKET, rs.SOCK_DGRAM, rs.htons(rs.ETH_P_ALL))
rs.setsockopt(pk2, rs.SOL_PACKET, rs.PACKET_RX_RING, rs.TpacketReq(4096, 2, 2048, 4))
rs.close(pk2)
rs.close(pk)
rs.getsockopt(m, rs.SOL_SOCKET, rs.SO_SNDBUF)
rs.getsockopt(srv, rs.IPPROTO_TCP, rs.TCP_ZEROCOPY_RECEIVE, value=rs.TcpZerocopyReceive(copybuf_len=64))
rs.getsockopt(srv, rs.IPPROTO_TCP, rs.TCP_ZEROCOPY_RECEIVE)
for fd in (dup, a, b, srv, t, lst, regular, m, m6):
    rs.close(fd)
rs.lib.close(-2)
