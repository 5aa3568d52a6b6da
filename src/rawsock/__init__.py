"""rawsock: the Linux socket system calls from Python, exactly as the kernel defines them.

Two layers:

- ``rawsock.lib`` / ``rawsock.ffi``: the compiled cffi module with C semantics (``lib.send`` returns -1
  and leaves the errno in ``ffi.errno``);
- the Pythonic layer: functions named like the C calls, taking fds as ints, raising the kernel's errno as
  the usual OSError subclass (also a :class:`SyscallError`), and :class:`Socket`.  Each function is one
  description in ``rawsock.CALLS`` (rawsock/_calls.py) run by one C engine (csrc/engine.c), traced or not.

One call makes exactly the one syscall its name says, with the arguments given: no SOCK_CLOEXEC added, no
EINTR retry, no hidden poll(), no extra getsockname(), nothing corrected before the kernel sees it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from . import _constants, _syscalls  # noqa: F401  (the call engine first: the family modules use it)
from ._address import (
    Address,
    AddressLike,
    RawSockaddr,
    SockaddrIn,
    SockaddrIn6,
    SockaddrLl,
    SockaddrNl,
    SockaddrUn,
    SockaddrUnspec,
    SockaddrVm,
)
from ._arpa_inet import htonl, htons, inet_addr, inet_aton, inet_ntoa, inet_ntop, inet_pton, ntohl, ntohs
from ._binding import ffi, lib
from ._constants import CONSTANTS, errno_name
from ._errors import SyscallError
from ._fcntl import Flock, FOwnerEx, set_nonblocking
from ._io import Epoll, EpollEvent, SendfileResult, SpliceResult
from ._ioctl import Ifconf, Ifreq
from ._msg import (
    CMSG_LEN,
    CMSG_SPACE,
    Cmsg,
    CmsgValue,
    In6Pktinfo,
    InPktinfo,
    IpTos,
    IpTtl,
    RecvMmsg,
    RecvMsg,
    ScmCredentials,
    ScmRights,
    ScmTimestamping,
    Sent,
    SockExtendedErr,
    Timestamp,
    TimestampingReport,
    TimestampNs,
    ZerocopyRange,
    recv_fds,
    send_fds,
)
from ._pointer import BADPTR, NULL, Pointer
from ._select import Poller, PollFd, SelectResult
from ._socket import Socket
from ._sockopt import (
    OPTIONS,
    GroupReq,
    GroupSourceReq,
    IpMreq,
    IpMreqn,
    IpMreqSource,
    Ipv6Mreq,
    Linger,
    Option,
    OptionValue,
    SkMeminfo,
    SoTimestamping,
    TcpBbrInfo,
    TcpCcInfo,
    TcpDctcpInfo,
    TcpInfo,
    TcpRepairWindow,
    TcpVegasInfo,
    TcpZerocopyReceive,
    TpacketReq,
    TpacketReq3,
    Ucred,
)
from ._syscalls import (
    accept,
    accept4,
    bind,
    close,
    connect,
    dup,
    dup3,
    epoll_create,
    epoll_create1,
    epoll_ctl,
    epoll_pwait,
    epoll_pwait2,
    epoll_wait,
    fcntl,
    getpeername,
    getsockname,
    getsockopt,
    ioctl,
    listen,
    pipe,
    pipe2,
    poll,
    ppoll,
    pselect,
    read,
    read_into,
    readv,
    recv,
    recv_into,
    recvfrom,
    recvfrom_into,
    recvmmsg,
    recvmsg,
    recvmsg_into,
    select,
    send,
    sendfile,
    sendmmsg,
    sendmsg,
    sendto,
    setsockopt,
    shutdown,
    sockatmark,
    socket,
    socketpair,
    splice,
    write,
    writev,
)
from ._time import Timespec, Timeval
from ._trace import Tracer, trace
from ._version import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._calls import Call
    from ._constnames import *  # noqa: F403  (the typed constants and enums: a generated stub)
else:
    from ._constants import (
        AddressFamily,
        Errno,
        IPProtocol,
        MsgFlag,
        PollFlag,
        ShutdownHow,
        SocketFlag,
        SocketLevel,
        SocketType,
    )

    globals().update(CONSTANTS)

class _LazyCalls(Mapping[str, "Call"]):
    """rawsock._calls.by_name, imported on first use (it costs nothing until then)."""

    def _calls(self) -> Mapping[str, Call]:
        from ._calls import by_name

        return by_name

    def __getitem__(self, name: str) -> Call:
        return self._calls()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._calls())

    def __len__(self) -> int:
        return len(self._calls())


__all__ = [
    "CMSG_LEN", "CMSG_SPACE", "Cmsg", "CmsgValue", "In6Pktinfo", "InPktinfo", "IpTos", "IpTtl", "RecvMmsg",
    "RecvMsg", "ScmCredentials", "ScmRights", "SockExtendedErr", "Timestamp", "TimestampNs", "recv_fds",
    "recvmmsg", "recvmsg", "recvmsg_into", "send_fds", "sendmmsg", "sendmsg",
    "OPTIONS", "Address", "AddressFamily", "AddressLike", "Errno", "IPProtocol", "Linger", "MsgFlag", "Option",
    "OptionValue", "PollFd", "PollFlag", "Poller", "RawSockaddr", "SelectResult", "ShutdownHow", "SockaddrIn",
    "SockaddrIn6", "SockaddrUn", "SockaddrUnspec", "Socket", "SocketFlag", "SocketLevel", "SocketType",
    "SyscallError", "TcpInfo", "Timespec", "Timeval", "Tracer", "Ucred", "__version__", "accept", "accept4", "bind",
    "CALLS", "FOwnerEx", "Flock", "Ifconf", "Ifreq",
    "close", "connect", "errno_name", "fcntl", "ffi", "getpeername", "getsockname", "getsockopt", "htonl",
    "htons", "inet_addr", "inet_aton", "inet_ntoa", "inet_ntop", "inet_pton", "ioctl", "lib", "listen",
    "ntohl", "ntohs", "poll", "ppoll", "pselect", "recv", "recv_into", "recvfrom", "recvfrom_into", "select",
    "send", "sendto", "set_nonblocking", "setsockopt", "shutdown", "sockatmark", "socket", "socketpair", "trace",
    "Epoll", "EpollEvent", "SendfileResult", "SpliceResult", "dup", "dup3", "epoll_create", "epoll_create1",
    "epoll_ctl",
    "epoll_pwait", "epoll_pwait2", "epoll_wait", "pipe", "pipe2", "read", "read_into", "readv", "sendfile",
    "splice", "write", "writev", "SockaddrLl", "SockaddrNl", "SockaddrVm", "GroupReq", "GroupSourceReq", "IpMreq",
    "IpMreqSource", "IpMreqn", "Ipv6Mreq", "SoTimestamping", "ScmTimestamping", "TimestampingReport",
    "ZerocopyRange", "Sent", "SkMeminfo", "TcpBbrInfo", "TcpCcInfo", "TcpDctcpInfo", "TcpRepairWindow", "TcpVegasInfo",
    "TcpZerocopyReceive",
    "TpacketReq", "TpacketReq3", "BADPTR", "NULL", "Pointer",
]
__all__ += sorted(_constants.CONSTANTS)


#: every call's description (rawsock._calls), by name: ``rawsock.CALLS["send"].syscall``
CALLS: Mapping[str, Call] = _LazyCalls()
# No module __getattr__: with one, CPython 3.11 cannot specialize ``rawsock.name`` lookups.
