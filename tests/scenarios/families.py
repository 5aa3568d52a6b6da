"""packet(7), netlink(7) and vsock(7) addresses, and a family rawsock does not know, as strace prints them."""

import rawsock as rs

rs.lib.close(-1)
probe = rs.socket(rs.AF_INET, rs.SOCK_DGRAM)
lo = rs.ioctl(probe, rs.SIOCGIFINDEX, "lo").value
rs.close(probe)
p = rs.socket(rs.AF_PACKET, rs.SOCK_DGRAM, rs.htons(rs.ETH_P_IP))
rs.bind(p, rs.SockaddrLl(lo, rs.ETH_P_IP))
rs.getsockname(p)
rs.bind(p, rs.SockaddrLl(lo, rs.ETH_P_IPV6, rs.ARPHRD_ETHER, rs.PACKET_BROADCAST, addr=b"\1\2\0\4"))
try:
    rs.bind(p, rs.SockaddrLl(9999, 0x1234, 0xFFFE, 9, 12, bytes(8)))
except OSError:
    pass
rs.close(p)
n = rs.socket(rs.AF_NETLINK, rs.SOCK_RAW, rs.NETLINK_ROUTE)
rs.bind(n, rs.SockaddrNl(0, 5))
rs.getsockname(n)
try:
    rs.connect(n, rs.RawSockaddr(rs.AF_NETLINK, b"\1\0" + bytes(8)))
except OSError:
    pass
rs.close(n)
try:
    v = rs.socket(rs.AF_VSOCK, rs.SOCK_STREAM)
except OSError:
    v = None
if v is not None:
    rs.bind(v, rs.SockaddrVm(rs.VMADDR_CID_ANY, 1234))
    rs.getsockname(v)
    try:
        rs.connect(v, rs.SockaddrVm(rs.VMADDR_CID_HOST, 80, 1))
    except OSError:
        pass
    rs.close(v)
u = rs.socket(rs.AF_INET, rs.SOCK_DGRAM)
for raw in (rs.RawSockaddr(0x6100, b"abcdefgh"), rs.RawSockaddr(rs.AF_PACKET, bytes(10))):
    try:
        rs.connect(u, raw)
    except OSError:
        pass
rs.close(u)
rs.lib.close(-2)
