"""The tracer's decoding: a syscall's raw arguments, and the memory they pointed at before and after, in strace's
notation (rawsock._trace prints it).  Built from the same descriptions as the calls (rawsock._calls); loaded
when the first tracer starts.
"""

from __future__ import annotations

import os
import platform
import signal
import sys
from collections.abc import Sequence
from typing import Any

from . import _calls, _fcntl, _ioctl, _sockopt
from ._binding import ffi, lib
from ._constants import (
    CONSTANTS,
    AddressFamily,
    IPProtocol,
    MsgFlag,
    PollFlag,
    ShutdownHow,
    SocketType,
    errno_name,
)
from ._pointer import Pointer

__all__ = ["Call", "format_call", "quote", "result", "sockaddr"]

# --- names, as strace spells them ---------------------------------------------------------------------


def _names(prefix: str, exclude: tuple[str, ...] = (), prefer: tuple[str, ...] = ()) -> dict[int, str]:
    rank = {name: i for i, name in enumerate(prefer)}
    out: dict[int, str] = {}
    for name in sorted(CONSTANTS, key=lambda n: (rank.get(n, len(rank)), n)):
        if name.startswith(prefix) and name not in exclude and not any(name.startswith(e) for e in exclude):
            out.setdefault(int(CONSTANTS[name]), name)
    return out


def _canonical(enum: Any) -> dict[int, str]:
    return {int(member): member.name for member in enum}


_AF = _canonical(AddressFamily)
_SOCK_TYPE = _canonical(SocketType)
_SOCK_FLAGS = [(CONSTANTS[n], n) for n in ("SOCK_CLOEXEC", "SOCK_NONBLOCK") if n in CONSTANTS]
# strace's msg_flags names: MSG_PROBE for 0x10 (MSG_PROXY to glibc), and the kernel's own it knows besides
_MSG = sorted({**{v: n for v, n in _canonical(MsgFlag).items() if v}, 0x10: "MSG_PROBE",
               0x20000: "MSG_SENDPAGE_NOTLAST", 0x80000: "MSG_NO_SHARED_FRAGS", 0x80000000: "MSG_CMSG_COMPAT"}.items())
_SHUT = _canonical(ShutdownHow)
_IPPROTO = _canonical(IPProtocol)
_POLL = sorted((v, n) for v, n in _canonical(PollFlag).items() if v)
_F_CMD = _names("F_", exclude=("F_OK", "F_LOCK", "F_ULOCK", "F_TLOCK", "F_TEST", "F_RDLCK", "F_WRLCK", "F_UNLCK",
                               "F_EXLCK", "F_SHLCK", "F_OWNER_", "F_SEAL_", "F_LINUX_SPECIFIC_BASE"),
                prefer=("F_GETLK", "F_SETLK", "F_SETLKW", "F_DUPFD"))
_O_FLAGS = sorted((v, n) for v, n in _names("O_", exclude=("O_ACCMODE", "O_RDONLY", "O_WRONLY", "O_RDWR", "O_NDELAY",
                                                            "O_FSYNC", "O_RSYNC", "O_SYNC", "O_TMPFILE"),
                                            prefer=("O_NONBLOCK",)).items() if v and v & (v - 1) == 0)
# The kernel sets O_LARGEFILE on every file a 64-bit process opens, and F_GETFL reports it; glibc defines it as 0
# there, so strace's value is the kernel's (uapi asm/fcntl.h, by architecture).
_KERNEL_O_LARGEFILE = {"x86_64": 0o100000, "i386": 0o100000, "i686": 0o100000, "riscv64": 0o100000,
                       "s390x": 0o100000, "aarch64": 0o400000, "armv7l": 0o400000, "armv8l": 0o400000,
                       "ppc64": 0o200000, "ppc64le": 0o200000}
if not CONSTANTS.get("O_LARGEFILE") and platform.machine() in _KERNEL_O_LARGEFILE:
    _O_FLAGS = sorted([*_O_FLAGS, (_KERNEL_O_LARGEFILE[platform.machine()], "O_LARGEFILE")])
_ACCMODE = {CONSTANTS["O_RDONLY"]: "O_RDONLY", CONSTANTS["O_WRONLY"]: "O_WRONLY", CONSTANTS["O_RDWR"]: "O_RDWR"}
# levels: strace names IPPROTO_TCP's level SOL_TCP and so on
_SOL = {CONSTANTS["SOL_SOCKET"]: "SOL_SOCKET", CONSTANTS["IPPROTO_IP"]: "SOL_IP", CONSTANTS["IPPROTO_IPV6"]: "SOL_IPV6",
        CONSTANTS["IPPROTO_TCP"]: "SOL_TCP", CONSTANTS["IPPROTO_UDP"]: "SOL_UDP", CONSTANTS["SOL_PACKET"]: "SOL_PACKET"}
# option names: the _OLD spellings strace uses on x86-64 first, then the option table's, then the rest
_OLD = tuple(n for n in CONSTANTS if n.startswith("SO_") and n.endswith("_OLD"))
_TABLE_NAMES = tuple(o.name for o in _sockopt.OPTIONS.values())
_NOT_OPTIONS = ("TCP_ESTABLISHED", "TCP_SYN_", "TCP_FIN_", "TCP_TIME_WAIT", "TCP_CLOSE", "TCP_LAST_ACK", "TCP_LISTEN",
                "TCP_CLOSING", "TCP_COOKIE_", "TCP_S_DATA_", "TCP_MSS_", "TCP_MD5SIG_", "TCP_AO_", "TCP_REPAIR_",
                "TCP_CM_", "TCP_TX_DELAY")
_OPTNAMES = {
    CONSTANTS["SOL_SOCKET"]: _names("SO_", prefer=_OLD + _TABLE_NAMES),
    CONSTANTS["IPPROTO_TCP"]: _names("TCP_", exclude=_NOT_OPTIONS, prefer=_TABLE_NAMES),
    CONSTANTS["IPPROTO_IP"]: {**_names("MCAST_", exclude=("MCAST_EXCLUDE", "MCAST_INCLUDE")),
                              **_names("IP_", exclude=("IP_PMTUDISC_", "IP_DEFAULT_", "IP_MAX_"),
                                       prefer=_TABLE_NAMES)},
    CONSTANTS["IPPROTO_IPV6"]: {**_names("MCAST_", exclude=("MCAST_EXCLUDE", "MCAST_INCLUDE")),
                                **_names("IPV6_", exclude=("IPV6_PMTUDISC_",),
                                         prefer=("IPV6_ADD_MEMBERSHIP", "IPV6_DROP_MEMBERSHIP", *_TABLE_NAMES))},
}
_OPTNAMES[CONSTANTS["IPPROTO_UDP"]] = _names("UDP_", exclude=("UDP_ENCAP_",))
#: the prefix strace names an unknown option of a level it knows with (``0xa /* UDP_??? */``)
_OPT_PREFIX = {CONSTANTS["SOL_SOCKET"]: "SO_", CONSTANTS["IPPROTO_TCP"]: "TCP_", CONSTANTS["IPPROTO_IP"]: "IP_",
               CONSTANTS["IPPROTO_IPV6"]: "IPV6_", CONSTANTS["IPPROTO_UDP"]: "UDP_", CONSTANTS["SOL_PACKET"]: "PACKET_"}
_OPTNAMES[CONSTANTS["SOL_PACKET"]] = {CONSTANTS[n]: n for n in (
    "PACKET_ADD_MEMBERSHIP", "PACKET_DROP_MEMBERSHIP", "PACKET_RECV_OUTPUT", "PACKET_RX_RING", "PACKET_STATISTICS",
    "PACKET_COPY_THRESH", "PACKET_AUXDATA", "PACKET_ORIGDEV", "PACKET_VERSION", "PACKET_HDRLEN", "PACKET_RESERVE",
    "PACKET_TX_RING", "PACKET_LOSS", "PACKET_VNET_HDR", "PACKET_TX_TIMESTAMP", "PACKET_TIMESTAMP", "PACKET_FANOUT",
    "PACKET_TX_HAS_OFF", "PACKET_QDISC_BYPASS", "PACKET_ROLLOVER_STATS", "PACKET_FANOUT_DATA",
    "PACKET_IGNORE_OUTGOING", "PACKET_VNET_HDR_SZ") if n in CONSTANTS}
_SCM = {CONSTANTS["SCM_RIGHTS"]: "SCM_RIGHTS", CONSTANTS["SCM_CREDENTIALS"]: "SCM_CREDENTIALS"}
# ioctl requests: strace's names (TIOCOUTQ for SIOCOUTQ, FIONREAD for SIOCINQ, the _OLD stamps on x86-64)
_IOCTL_PREFER = ("FIONREAD", "TIOCOUTQ", "SIOCGSTAMP_OLD", "SIOCGSTAMPNS_OLD", "FIONBIO", "SIOCATMARK")
_IOCTL = {CONSTANTS[n]: n for n in reversed(_IOCTL_PREFER) if n in CONSTANTS}
for _n, _v in sorted(CONSTANTS.items()):
    if _n.startswith(("SIOC", "FIO")):
        _IOCTL.setdefault(int(_v), _n)
if "SIOCOUTQ" in CONSTANTS:
    _IOCTL[CONSTANTS["SIOCOUTQ"]] = "TIOCOUTQ"
_FD_CLOEXEC = CONSTANTS["FD_CLOEXEC"]
_EPOLL_EVENTS = sorted((v, n) for v, n in _names("EPOLL", exclude=("EPOLL_",)).items() if v and v & (v - 1) == 0)
_EPOLL_FLAGS = sorted((v, n) for v, n in _names("EPOLL_CLOEXEC").items() if v)
_EPOLL_CTL = _names("EPOLL_CTL_")
_SPLICE_F = sorted((v, n) for v, n in _names("SPLICE_F_").items() if v)
_IFF = sorted((v, n) for v, n in _names("IFF_").items() if v and v & (v - 1) == 0)
_INT = ffi.sizeof("int")
_STORAGE = ffi.sizeof("struct sockaddr_storage")
_SIGSETSIZE: int = CONSTANTS.get("RS_SIGSETSIZE", 8)


def _int32(v: int) -> int:
    """A syscall argument as the C int it was."""
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v >= 1 << 31 else v


def _flags(value: int, table: Sequence[tuple[int, str]], unknown: str = "", bits: int = 32) -> str:
    """A flag set as strace prints it: names joined by |, leftover bits in hex (``0x1 /* SOCK_??? */`` when no
    name applies).  A syscall argument has 64 bits (an int flags argument is sign-extended, as glibc passes
    it, and strace prints what the register holds)."""
    value &= (1 << bits) - 1
    if value == 0:
        return "0"
    parts = []
    for bit, name in table:
        if value & bit == bit:
            parts.append(name)
            value &= ~int(bit)
    if value:
        rest = hex(value)
        parts.append(rest if parts or not unknown else f"{rest} /* {unknown}??? */")
    return "|".join(parts)


def _sym(value: int, table: dict[int, str], unknown: str = "") -> str:
    """A constant's name, or strace's ``0x270f /* AF_??? */`` for a value without one."""
    name = table.get(value)
    if name is not None:
        return name
    return f"{hex(value & 0xFFFFFFFF)} /* {unknown}??? */" if unknown else str(value)


def _ptr(addr: int) -> str:
    addr &= (1 << 64) - 1
    return "NULL" if addr == 0 else hex(addr)


def quote(data: bytes, strsize: int, complete: bool = True) -> str:
    """A byte string as strace quotes it: octal escapes, cut at ``strsize`` bytes with ``...`` after."""
    shown = data[:strsize]
    out = []
    for i, c in enumerate(shown):
        if c in (0x22, 0x5C):
            out.append("\\" + chr(c))
        elif 0x20 <= c < 0x7F:
            out.append(chr(c))
        elif c in (9, 10, 11, 12, 13):
            out.append("\\" + "tnvfr"[c - 9])
        else:
            following = shown[i + 1] if i + 1 < len(shown) else None
            octal = following is not None and 0x30 <= following <= 0x37
            out.append(f"\\{c:03o}" if octal else f"\\{c:o}")
    more = len(data) > strsize or not complete
    return '"' + "".join(out) + '"' + ("..." if more else "")


def result(r: int, err: int) -> str:
    if r == -1 and err:
        return f"-1 {errno_name(err)} ({os.strerror(err)})"
    return str(r)


# --- sockaddrs --------------------------------------------------------------------------------------------

def sockaddr(raw: bytes, strsize: int = 32) -> str:
    """A sockaddr as strace prints it."""
    if len(raw) < 2:
        return "{sa_family=???}" if raw else "{}"
    family = int.from_bytes(raw[:2], sys.byteorder)
    fam = _sym(family, _AF, "AF_")
    n = len(raw)
    if n == 2:  # the family alone
        return f"{{sa_family={fam}}}"
    if family == CONSTANTS["AF_INET"] and n >= ffi.sizeof("struct sockaddr_in"):
        port = int.from_bytes(raw[2:4], "big")
        return f'{{sa_family={fam}, sin_port=htons({port}), sin_addr=inet_addr("{".".join(map(str, raw[4:8]))}")}}'
    if family == CONSTANTS["AF_INET6"] and n >= ffi.sizeof("struct sockaddr_in6"):
        from ._address import SockaddrIn6, decode

        a = decode(raw[:ffi.sizeof("struct sockaddr_in6")])
        assert isinstance(a, SockaddrIn6)
        return (f"{{sa_family={fam}, sin6_port=htons({a.port}), sin6_flowinfo=htonl({a.flowinfo}), "
                f'inet_pton(AF_INET6, "{a.host}", &sin6_addr), sin6_scope_id={a.scope_id}}}')
    if family == CONSTANTS["AF_UNIX"]:
        path = raw[2:]
        if not path:
            return f"{{sa_family={fam}}}"
        if path[0] == 0:
            return f"{{sa_family={fam}, sun_path=@{quote(path[1:], 108)}}}"
        name = path.split(b"\0", 1)[0]
        return f"{{sa_family={fam}, sun_path={quote(name, 108)}}}"
    if family == CONSTANTS["AF_PACKET"] and n >= ffi.sizeof("struct sockaddr_ll"):
        return _sockaddr_ll(raw, fam)
    if family == CONSTANTS["AF_NETLINK"] and n >= ffi.sizeof("struct sockaddr_nl"):
        pad, pid, groups = (int.from_bytes(raw[i:i + w], sys.byteorder) for i, w in ((2, 2), (4, 4), (8, 4)))
        shown_pad = f", nl_pad={hex(pad)}" if pad else ""
        return f"{{sa_family={fam}{shown_pad}, nl_pid={pid}, nl_groups={_hex08(groups)}}}"
    if family == CONSTANTS["AF_VSOCK"] and n >= ffi.sizeof("struct sockaddr_vm"):
        reserved, port, cid = (int.from_bytes(raw[i:i + w], sys.byteorder) for i, w in ((2, 2), (4, 4), (8, 4)))
        shown = f", svm_reserved1={hex(reserved)}" if reserved else ""
        port_text = "VMADDR_PORT_ANY" if port == 0xFFFFFFFF else hex(port) if port else "0"
        flags = _flags(raw[12], _VMADDR_FLAGS, "VMADDR_FLAG_")
        return (f"{{sa_family={fam}{shown}, svm_cid={_VMADDR_CID.get(cid, str(cid))}, svm_port={port_text}, "
                f"svm_flags={flags}}}")
    return f"{{sa_family={fam}, sa_data={quote(raw[2:], strsize)}}}"


def _eth_p(proto: int) -> str:
    return _ETH_P.get(proto) or f"{hex(proto) if proto else '0'} /* ETH_P_??? */"


def _hex08(v: int) -> str:
    """C's %#08x: no 0x for zero."""
    return f"{v:#08x}" if v else "00000000"


_ETH_P = _names("ETH_P_")
_NETLINK_PROTO: dict[int, str] = {CONSTANTS[n]: n for n in (
    "NETLINK_ROUTE", "NETLINK_UNUSED", "NETLINK_USERSOCK", "NETLINK_FIREWALL", "NETLINK_SOCK_DIAG", "NETLINK_NFLOG",
    "NETLINK_XFRM", "NETLINK_SELINUX", "NETLINK_ISCSI", "NETLINK_AUDIT", "NETLINK_FIB_LOOKUP", "NETLINK_CONNECTOR",
    "NETLINK_NETFILTER", "NETLINK_IP6_FW", "NETLINK_DNRTMSG", "NETLINK_KOBJECT_UEVENT", "NETLINK_GENERIC",
    "NETLINK_SCSITRANSPORT", "NETLINK_ECRYPTFS", "NETLINK_RDMA", "NETLINK_CRYPTO", "NETLINK_SMC") if n in CONSTANTS}
_ARPHRD = _names("ARPHRD_")
_PKTTYPE: dict[int, str] = {CONSTANTS[n]: n for n in (
    "PACKET_HOST", "PACKET_BROADCAST", "PACKET_MULTICAST", "PACKET_OTHERHOST", "PACKET_OUTGOING", "PACKET_LOOPBACK",
    "PACKET_USER", "PACKET_KERNEL") if n in CONSTANTS}
_VMADDR_CID = {0xFFFFFFFF: "VMADDR_CID_ANY", 0: "VMADDR_CID_HYPERVISOR", 1: "VMADDR_CID_LOCAL", 2: "VMADDR_CID_HOST"}
_VMADDR_FLAGS = [(1, "VMADDR_FLAG_TO_HOST")]
#: interface index -> name, read once when the first tracer starts (so that printing makes no syscall); an
#: interface made later is printed by its number, as strace prints one it cannot name
INTERFACES: dict[int, str] = {}


def _sockaddr_ll(raw: bytes, fam: str) -> str:
    protocol = int.from_bytes(raw[2:4], "big")
    ifindex = int.from_bytes(raw[4:8], sys.byteorder, signed=True)
    hatype = int.from_bytes(raw[8:10], sys.byteorder)
    pkttype, halen = raw[10], raw[11]
    proto_text = _eth_p(protocol)
    name = INTERFACES.get(ifindex)
    index_text = f'if_nametoindex("{name}")' if name is not None else str(ifindex)
    parts = [f"sa_family={fam}", f"sll_protocol=htons({proto_text})", f"sll_ifindex={index_text}",
             f"sll_hatype={_sym(hatype, _ARPHRD, 'ARPHRD_')}", f"sll_pkttype={_sym(pkttype, _PKTTYPE, 'PACKET_')}",
             f"sll_halen={halen}"]
    if halen:
        shown = ", ".join(hex(b) if b else "00" for b in raw[12:12 + min(halen, 8)])
        parts.append(f"sll_addr=[{shown}{', ...' if halen > 8 else ''}]")
    return "{" + ", ".join(parts) + "}"


def read_interfaces() -> None:
    """Fill INTERFACES from /sys/class/net (file reads, made when a tracer starts, never while it prints)."""
    found: dict[int, str] = {}
    try:
        names = os.listdir("/sys/class/net")
    except OSError:
        names = []
    for name in names:
        try:
            with open(f"/sys/class/net/{name}/ifindex") as f:
                found[int(f.read())] = name
        except (OSError, ValueError):
            pass
    INTERFACES.clear()
    INTERFACES.update(found)


# --- what one call looks like ---------------------------------------------------------------------------------

class Call:
    """One syscall to print: its description, the fields used on this architecture, the raw arguments, the
    fields' memory before and after, the result."""

    def __init__(self, desc: _calls.Call, syscall: str, args: tuple[int, ...], before: tuple[Any, ...],
                 after: tuple[Any, ...], ret: int, err: int, strsize: int) -> None:
        self.desc, self.syscall, self.args, self.before, self.after = desc, syscall, args, before, after
        self.ret, self.err, self.s = ret, err, strsize
        self.failed = ret == -1 and err != 0
        fields = desc.fields if not desc.fallback or syscall != desc.fallback[0] else desc.fallback[1]
        self.fields = fields
        self.first: list[int] = []
        n = 0
        for f in fields:
            self.first.append(n)
            n += _calls.KINDS[f.kind][0]

    def arg(self, f: int, k: int = 0) -> int:
        return self.args[self.first[f] + k]


def _int_text(c: Call, show: str, v: int) -> str:
    if show == "NULL":
        return "NULL" if v == 0 else _ptr(v)
    if show in ("int", "fd"):
        return str(_int32(v))
    if show == "AF":
        return _sym(_int32(v), _AF, "AF_")
    if show == "SOCK_TYPE":
        base = v & ~sum(bit for bit, _ in _SOCK_FLAGS) & 0xFFFFFFFF
        return "|".join([_sym(base, _SOCK_TYPE, "SOCK_"), *[name for bit, name in _SOCK_FLAGS if v & bit]])
    if show == "PROTO":
        domain = _int32(c.args[0])
        if domain in (CONSTANTS["AF_INET"], CONSTANTS["AF_INET6"]):
            return _IPPROTO.get(_int32(v), str(_int32(v)))
        if domain == CONSTANTS["AF_NETLINK"]:
            return _sym(_int32(v), _NETLINK_PROTO, "NETLINK_")
        if domain == CONSTANTS["AF_PACKET"]:  # the protocol in network order
            proto = int.from_bytes((v & 0xFFFF).to_bytes(2, "big"), sys.byteorder)
            return f"htons({_eth_p(proto)})" if v >> 16 == 0 else str(_int32(v))
        return str(_int32(v))
    if show == "MSG":  # an unsigned int: strace prints its 32 bits
        return _flags(v, _MSG, "MSG_")
    if show == "SHUT":
        return _sym(_int32(v), _SHUT, "SHUT_")
    if show == "SOCK_FLAGS":
        return _flags(v, _SOCK_FLAGS, "SOCK_", 64)
    if show == "SOL":
        return _SOL.get(_int32(v)) or f"{hex(v & 0xFFFFFFFF)} /* SOL_?? */"
    if show == "OPTNAME":
        level = _int32(c.args[1])
        name = _OPTNAMES.get(level, {}).get(_int32(v))
        if name is not None:
            return name
        prefix = _OPT_PREFIX.get(level)
        return f"{hex(v & 0xFFFFFFFF)} /* {prefix}??? */" if prefix else str(_int32(v))
    if show == "FCNTL_CMD":
        return _F_CMD.get(_int32(v)) or f"{hex(v & 0xFFFFFFFF)} /* F_??? */"
    if show == "IOCTL_REQ":
        return _ioctl_request(v & 0xFFFFFFFF)
    if show == "O_FLAGS":
        return _flags(v, _O_FLAGS, "O_")
    if show == "EPOLL_FLAGS":
        return _flags(v, _EPOLL_FLAGS, "EPOLL_")
    if show == "EPOLL_CTL":
        return _sym(_int32(v), _EPOLL_CTL, "EPOLL_CTL_")
    if show == "SPLICE_F":
        return _flags(v, _SPLICE_F, "SPLICE_F_")
    return str(v)


def _ioctl_request(code: int) -> str:
    """A request's name, or strace's _IOC(dir, type, nr, size) for one it has no name for."""
    name = _IOCTL.get(code)
    if name is not None:
        return name
    direction = ("_IOC_NONE", "_IOC_WRITE", "_IOC_READ", "_IOC_READ|_IOC_WRITE")[code >> 30 & 3]
    return f"_IOC({direction}, {_hex0(code >> 8 & 0xFF)}, {_hex0(code & 0xFF)}, {_hex0(code >> 16 & 0x3FFF)})"


def _hex0(v: int) -> str:
    return hex(v) if v else "0"


def _received(c: Call, data: bytes | None, size: int, ptr: int) -> str:
    """What a receive left in its buffer: min(return value, size) bytes (MSG_TRUNC can return more)."""
    if c.failed or data is None:
        return _ptr(ptr)
    n = min(c.ret, size)
    return quote(data, c.s, n <= c.s)


def _addr_out(c: Call, f: int) -> list[str]:
    before, after = c.before[f], c.after[f]
    raw, outlen = after
    given = _int32(before)
    if c.arg(f) == 0 or (raw is None and not c.failed):  # a NULL address: strace shows both pointers
        return [_ptr(c.arg(f)), _ptr(c.arg(f, 1))]
    if c.failed:
        return [_ptr(c.arg(f)), f"[{given}]"]
    if min(given, outlen) < 2:  # not even the family: strace shows the pointer
        return [_ptr(c.arg(f)), f"[{given} => {outlen}]"]
    return [sockaddr(raw, c.s), f"[{given} => {outlen}]"]


def _timeval(raw: bytes | None, usec: bool) -> str:
    """A timeval/timespec as strace prints it: tv_sec signed, the fraction as an unsigned number."""
    if raw is None:
        return "NULL"
    sec = int.from_bytes(raw[:8], sys.byteorder, signed=True)
    frac = int.from_bytes(raw[8:16], sys.byteorder)
    return f"{{tv_sec={sec}, tv_usec={frac}}}" if usec else f"{{tv_sec={sec}, tv_nsec={frac}}}"


def _sigmask(raw: bytes | None) -> str:
    if raw is None:
        return "NULL"
    bits = int.from_bytes(raw[:_SIGSETSIZE], sys.byteorder)
    nsig = 8 * _SIGSETSIZE + 1
    members = [n for n in range(1, nsig) if bits >> (n - 1) & 1]
    prefix = ""
    if len(members) > nsig // 2:
        members = [n for n in range(1, nsig) if n not in members and n not in (32, 33)]
        prefix = "~"
    names = []
    for n in members:
        try:
            names.append(signal.Signals(n).name[3:])
        except ValueError:
            rt = n - signal.SIGRTMIN
            names.append(f"RT_{rt}" if rt > 0 else "RTMIN" if rt == 0 else str(n))
    return prefix + "[" + " ".join(names) + "]"


def _array(items: list[str], total: int, s: int) -> str:
    """An array as strace prints it: at most strsize elements, then ``...``."""
    shown = items[:s]
    more = ", ..." if total > s else ""
    return "[" + ", ".join(shown) + more + "]"


def _pollfds(pairs: list[tuple[int, int]], total: int, s: int, events: bool) -> str:
    items = []
    for fd, ev in pairs:
        if events:
            items.append(f"{{fd={fd}}}" if fd < 0 else f"{{fd={fd}, events={_flags(ev, _POLL)}}}")
        else:
            items.append(f"{{fd={fd}, revents={_flags(ev, _POLL)}}}")
    return _array(items, total, s)


def _iov_base(d: bytes | Pointer, s: int) -> str:
    return _ptr(d.address) if isinstance(d, Pointer) else quote(d, s)


def _iov(data: Sequence[bytes | Pointer], lens: Sequence[int], s: int) -> str:
    return _array([f"{{iov_base={_iov_base(d, s)}, iov_len={n}}}" for d, n in zip(data, lens)], len(lens), s)


_EPOLL_EVENT = ffi.sizeof("struct epoll_event")
_EPOLL_DATA = lib.RS_EPOLL_DATA_OFFSET


def _epoll_events(raw: bytes) -> list[str]:
    """Each struct epoll_event in raw, as strace prints it."""
    out = []
    for i in range(0, len(raw) - _EPOLL_EVENT + 1, _EPOLL_EVENT):
        events = int.from_bytes(raw[i:i + 4], sys.byteorder)
        data = int.from_bytes(raw[i + _EPOLL_DATA:i + _EPOLL_DATA + 8], sys.byteorder)
        out.append(f"{{events={_flags(events, _EPOLL_EVENTS, 'EPOLL')}, data={{u32={data & 0xFFFFFFFF}, u64={data}}}}}")
    return out


def _fdset(fds: list[int] | Pointer | None, ptr: int, nfds: int) -> str:
    if fds is None:
        return "NULL"
    if isinstance(fds, Pointer):  # BADPTR or NULL given for the set
        return _ptr(fds.address)
    if nfds <= 0:  # strace reads no bits: it shows the pointer
        return _ptr(ptr)
    return "[" + " ".join(map(str, fds)) + "]"


# --- options -------------------------------------------------------------------------------------------------

# the SOL_SOCKET options strace prints as an int (net.c's "all known int-like options")
_SO_INT_LIKE = {CONSTANTS[n] for n in (
    "SO_DEBUG", "SO_REUSEADDR", "SO_DONTROUTE", "SO_BROADCAST", "SO_SNDBUF", "SO_RCVBUF", "SO_KEEPALIVE",
    "SO_OOBINLINE", "SO_NO_CHECK", "SO_PRIORITY", "SO_BSDCOMPAT", "SO_REUSEPORT", "SO_PASSCRED", "SO_RCVLOWAT",
    "SO_SNDLOWAT", "SO_DETACH_FILTER", "SO_TIMESTAMP_OLD", "SO_ACCEPTCONN", "SO_SNDBUFFORCE", "SO_RCVBUFFORCE",
    "SO_PASSSEC", "SO_TIMESTAMPNS_OLD", "SO_MARK", "SO_TIMESTAMPING_OLD", "SO_RXQ_OVFL", "SO_WIFI_STATUS",
    "SO_PEEK_OFF", "SO_NOFCS", "SO_LOCK_FILTER", "SO_SELECT_ERR_QUEUE", "SO_BUSY_POLL", "SO_INCOMING_CPU",
    "SO_CNX_ADVICE", "SO_INCOMING_NAPI_ID", "SO_ZEROCOPY", "SO_TIMESTAMP_NEW", "SO_TIMESTAMPNS_NEW",
    "SO_TIMESTAMPING_NEW", "SO_DETACH_REUSEPORT_BPF", "SO_PREFER_BUSY_POLL", "SO_BUSY_POLL_BUDGET",
    "SO_RESERVE_MEM", "SO_RCVMARK") if n in CONSTANTS}
_SOL_NETLINK = CONSTANTS.get("SOL_NETLINK", 270)


def _hexstr(raw: bytes) -> str:
    return '"' + "".join(f"\\x{b:02x}" for b in raw) + '"'


def _int_of(raw: bytes) -> str:
    return f"[{int.from_bytes(raw[:_INT], sys.byteorder, signed=True)}]"


_PACKET_RING = {CONSTANTS[n] for n in ("PACKET_RX_RING", "PACKET_TX_RING") if n in CONSTANTS}


def _ifindex(index: int) -> str:
    name = INTERFACES.get(index)
    return f'if_nametoindex("{name}")' if name is not None else str(index)


_MREQ = {CONSTANTS[n] for n in ("IP_ADD_MEMBERSHIP", "IP_DROP_MEMBERSHIP") if n in CONSTANTS}
_MREQ6 = {CONSTANTS[n] for n in ("IPV6_ADD_MEMBERSHIP", "IPV6_DROP_MEMBERSHIP", "IPV6_JOIN_ANYCAST",
                                 "IPV6_LEAVE_ANYCAST") if n in CONSTANTS}
_GROUP_REQ = {CONSTANTS[n] for n in ("MCAST_JOIN_GROUP", "MCAST_LEAVE_GROUP") if n in CONSTANTS}


def _membership(level: int, optname: int, raw: bytes, length: int, s: int) -> str | None:
    """The multicast membership structs, as strace's print_mreq, print_mreq6 and print_group_req print them."""
    if level == CONSTANTS["IPPROTO_IP"] and optname in _MREQ and length >= ffi.sizeof("struct ip_mreq"):
        group, interface = (".".join(map(str, raw[i:i + 4])) for i in (0, 4))
        return f'{{imr_multiaddr=inet_addr("{group}"), imr_interface=inet_addr("{interface}")}}'
    if level == CONSTANTS["IPPROTO_IPV6"] and optname in _MREQ6 and length >= ffi.sizeof("struct ipv6_mreq"):
        from ._arpa_inet import inet_ntop

        group = inet_ntop(CONSTANTS["AF_INET6"], raw[:16])
        index = int.from_bytes(raw[16:20], sys.byteorder)
        return f'{{inet_pton(AF_INET6, "{group}", &ipv6mr_multiaddr), ipv6mr_interface={_ifindex(index)}}}'
    if (level in (CONSTANTS["IPPROTO_IP"], CONSTANTS["IPPROTO_IPV6"]) and optname in _GROUP_REQ
            and length >= ffi.sizeof("struct group_req")):
        offset = ffi.offsetof("struct group_req", "gr_group")
        index = int.from_bytes(raw[:4], sys.byteorder)
        group = sockaddr(raw[offset:offset + ffi.sizeof("struct sockaddr_storage")], s)
        return f"{{gr_interface={_ifindex(index)}, gr_group={group}}}"
    return None


def _set_optval(level: int, optname: int, raw: bytes, length: int, pointer: str, s: int) -> str:
    """setsockopt's optval as strace's print_setsockopt prints it."""
    if level == CONSTANTS["SOL_SOCKET"] and optname == CONSTANTS["SO_LINGER"]:
        if length < ffi.sizeof("struct linger"):
            return pointer
        onoff, linger = _ints_of(raw[:8], 4, True)
        return f"{{l_onoff={onoff}, l_linger={linger}}}"
    if (level == CONSTANTS["SOL_SOCKET"] and optname in _SO_INT_LIKE) or level == _SOL_NETLINK:
        return pointer if length < _INT else _int_of(raw)
    shown = _membership(level, optname, raw, length, s)
    if shown is not None:
        return shown
    if level == CONSTANTS["SOL_PACKET"] and optname in _PACKET_RING:  # strace's print_tpacket_req
        if length != ffi.sizeof("struct tpacket_req"):
            return pointer
        size, blocks, frame, frames = _ints_of(raw[:16], 4, False)
        return f"{{tp_block_size={size}, tp_block_nr={blocks}, tp_frame_size={frame}, tp_frame_nr={frames}}}"
    if length == _INT:
        return _int_of(raw)
    return quote(raw[:max(length, 0)], s) if length >= 0 else pointer


def _get_optval(level: int, optname: int, raw: bytes, ulen: int, rlen: int, pointer: str, s: int) -> str:
    """getsockopt's optval, once it succeeded, as strace's print_getsockopt prints it."""
    if ulen <= 0 or rlen <= 0:
        return pointer
    if level == CONSTANTS["SOL_SOCKET"]:
        if optname in (CONSTANTS["SO_LINGER"], CONSTANTS["SO_PEERCRED"]):
            names = ("l_onoff", "l_linger") if optname == CONSTANTS["SO_LINGER"] else ("pid", "uid", "gid")
            values = _ints_of(raw[:min(rlen, 4 * len(names))], 4, names[0] != "uid")
            return "{" + ", ".join(f"{n}={v & 0xFFFFFFFF if n in ('uid', 'gid') else v}"
                                   for n, v in zip(names, values)) + "}"
        if optname == CONSTANTS["SO_ERROR"]:
            if rlen < _INT:
                return _hexstr(raw[:rlen])
            err = int.from_bytes(raw[:_INT], sys.byteorder)
            return f"[{errno_name(err) if err and not errno_name(err).startswith('E?') else err}]"
        if optname in _SO_INT_LIKE:
            return _int_of(raw) if rlen >= _INT else _hexstr(raw[:rlen])
    if level == _SOL_NETLINK:
        return _int_of(raw)
    if rlen == _INT:
        return _int_of(raw)
    return quote(raw[:rlen], s)


# --- messages -------------------------------------------------------------------------------------------------

# cmsg levels and types, as strace's socketlayers, scmvals and ip_cmsg_types name them
_LAYERS = {CONSTANTS[n]: n for n in sorted(CONSTANTS, reverse=True) if n.startswith("SOL_") and n != "SOL_SOCKET"}
_LAYERS[CONSTANTS["SOL_SOCKET"]] = "SOL_SOCKET"
_SCMVALS = {v: n for n, v in (("SCM_RIGHTS", 1), ("SCM_CREDENTIALS", 2), ("SCM_SECURITY", 3), ("SCM_PIDFD", 4))}
_SCMVALS.update({CONSTANTS[n]: n for n in ("SO_TIMESTAMP_OLD", "SO_TIMESTAMPNS_OLD", "SO_TIMESTAMPING_OLD",
                                           "SO_TIMESTAMP_NEW", "SO_TIMESTAMPNS_NEW", "SO_TIMESTAMPING_NEW",
                                           "SO_WIFI_STATUS", "SO_TXTIME") if n in CONSTANTS})
_IP_CMSG = {1: "IP_TOS", 2: "IP_TTL", 6: "IP_RECVOPTS", 7: "IP_RETOPTS", 8: "IP_PKTINFO", 11: "IP_RECVERR",
            20: "IP_ORIGDSTADDR", 23: "IP_CHECKSUM", 52: "IP_PROTOCOL"}
_CMSG_HDR = ffi.sizeof("struct cmsghdr")
_WORD = ffi.sizeof("long")


def _ints_of(data: bytes, size: int, signed: bool) -> list[int]:
    return [int.from_bytes(data[i:i + size], sys.byteorder, signed=signed)
            for i in range(0, len(data) - size + 1, size)]


def _cmsg_data(level: int, type_: int, data: bytes, s: int) -> str | None:
    """A message's data as strace prints it, or None where strace prints none (unknown, or too short)."""
    if level == CONSTANTS["SOL_SOCKET"]:
        name = _SCMVALS.get(type_, "")
        if name == "SCM_RIGHTS" and len(data) >= _INT:
            fds = _ints_of(data, _INT, True)
            return _array([str(fd) for fd in fds], len(fds), s)
        if name == "SCM_CREDENTIALS" and len(data) >= 12:
            pid, uid, gid = _ints_of(data[:12], 4, True)
            return f"{{pid={pid}, uid={uid & 0xFFFFFFFF}, gid={gid & 0xFFFFFFFF}}}"
        if name == "SCM_SECURITY" and data:
            return quote(data, s)
        if name in ("SO_TIMESTAMP_OLD", "SO_TIMESTAMPNS_OLD") and data:
            return _timeval(data, name == "SO_TIMESTAMP_OLD") if len(data) >= 16 else "???"
        if name in ("SO_TIMESTAMPING_OLD", "SO_TIMESTAMPING_NEW") and data:  # struct scm_timestamping(64)
            one = 16 if name == "SO_TIMESTAMPING_NEW" else 2 * _WORD
            if len(data) < 3 * one:
                return "???"
            return "[" + ", ".join(_timeval(data[i * one:(i + 1) * one], False) for i in range(3)) + "]"
        return None
    if level == CONSTANTS["IPPROTO_IP"]:
        name = _IP_CMSG.get(type_, "")
        if name in ("IP_TTL", "IP_CHECKSUM") and len(data) >= 4:
            values = _ints_of(data, 4, False)
            return _array([str(v) for v in values], len(values), s)
        if name in ("IP_TOS", "IP_RECVOPTS", "IP_RETOPTS") and data:
            return _array([hex(b) if b else "0" for b in data], len(data), s)
        if name == "IP_PKTINFO" and len(data) >= 12:
            ifindex = int.from_bytes(data[:4], sys.byteorder)
            return (f'{{ipi_ifindex={ifindex}, ipi_spec_dst=inet_addr("{".".join(map(str, data[4:8]))}"), '
                    f'ipi_addr=inet_addr("{".".join(map(str, data[8:12]))}")}}')
        if name == "IP_RECVERR" and len(data) >= 16 + 16:
            errno_, origin, type_e, code = int.from_bytes(data[:4], sys.byteorder), data[4], data[5], data[6]
            info, ee_data = int.from_bytes(data[8:12], sys.byteorder), int.from_bytes(data[12:16], sys.byteorder)
            return (f"{{ee_errno={errno_}, ee_origin={origin}, ee_type={type_e}, ee_code={code}, ee_info={info}, "
                    f"ee_data={ee_data}, offender={sockaddr(data[16:32], s)}}}")
        if name == "IP_ORIGDSTADDR" and len(data) >= 16:
            return sockaddr(data[:_STORAGE], s)
    return None


def _cmsg_type(level: int, type_: int) -> str:
    if level == CONSTANTS["SOL_SOCKET"]:
        return _SCMVALS.get(type_) or f"{hex(type_ & 0xFFFFFFFF)} /* SCM_??? */"
    if level == CONSTANTS["IPPROTO_IP"]:
        return _IP_CMSG.get(type_) or f"{hex(type_ & 0xFFFFFFFF)} /* IP_??? */"
    return hex(type_ & 0xFFFFFFFF)


def _cmsgs(control: bytes, controllen: int, s: int, control_ptr: int) -> str:
    """msg_control as strace's decode_msg_control walks it: each header with at least its own size, the data
    its type has a printer for, then ``...`` and the address of what was left."""
    items: list[str] = []
    buf_len = len(control)
    at = 0
    while buf_len >= _CMSG_HDR:
        cmsg_len = int.from_bytes(control[at:at + 8], sys.byteorder)
        level = int.from_bytes(control[at + 8:at + 12], sys.byteorder, signed=True)
        type_ = int.from_bytes(control[at + 12:at + 16], sys.byteorder, signed=True)
        length = min(cmsg_len, buf_len)
        data = control[at + _CMSG_HDR:at + length] if length > _CMSG_HDR else b""
        layer = _LAYERS.get(level) or f"{hex(level & 0xFFFFFFFF)} /* SOL_??? */"
        text = f"{{cmsg_len={cmsg_len}, cmsg_level={layer}, cmsg_type={_cmsg_type(level, type_)}"
        shown = _cmsg_data(level, type_, data, s)
        items.append(text + (f", cmsg_data={shown}}}" if shown is not None else "}"))
        if length < _CMSG_HDR:
            buf_len -= _CMSG_HDR
            break
        step = (cmsg_len + _WORD - 1) & ~(_WORD - 1)
        if step >= buf_len:
            buf_len = 0
            break
        at += step
        buf_len -= step
    if buf_len:
        items.append(f"... /* {hex(control_ptr + len(control) - buf_len)} */")
    elif len(control) < controllen:
        items.append("...")
    return "[" + ", ".join(items) + "]"


def _msghdr(snap: tuple[Any, ...], namelen_before: int | None, s: int) -> str:
    name_ptr, name, namelen, data, lens, control_ptr, control, controllen, flags = snap
    if name_ptr == 0:
        shown_name = "NULL"
    elif (name is None or (namelen_before is not None and min(_int32(namelen_before), namelen) < 2)
          or _int32(namelen) < 2):
        shown_name = _ptr(name_ptr)  # (None: a pointer given; shorter than a family: strace shows the pointer)
    else:
        shown_name = sockaddr(name, s)
    namelen_text = (str(_int32(namelen)) if namelen_before is None
                    else f"{_int32(namelen_before)} => {_int32(namelen)}")
    if isinstance(data, int):  # msg_iov's address, not read (a pointer given, or too long): lens is (msg_iovlen,)
        shown_iov, iovlen = "[]" if lens[0] == 0 else _ptr(data), lens[0]
    else:
        iov = [f"{{iov_base={_iov_base(d, s)}, iov_len={n}}}" for d, n in zip(data, lens)]
        shown_iov, iovlen = f"[{', '.join(iov)}]", len(lens)
    parts = [f"msg_name={shown_name}", f"msg_namelen={namelen_text}", f"msg_iov={shown_iov}",
             f"msg_iovlen={iovlen}"]
    if controllen:
        shown = _ptr(control_ptr) if control is None or len(control) < _CMSG_HDR else _cmsgs(control, controllen, s,
                                                                                            control_ptr)
        parts.append(f"msg_control={shown}")
    parts.append(f"msg_controllen={controllen}")
    parts.append(f"msg_flags={_flags(flags, _MSG)}")
    return "{" + ", ".join(parts) + "}"


# --- ioctl and fcntl arguments --------------------------------------------------------------------------------

def _oflags(v: int) -> str:
    acc = CONSTANTS["O_ACCMODE"]
    return "|".join([_ACCMODE.get(v & acc, hex(v & acc)), *([_flags(v & ~acc, _O_FLAGS)] if v & ~acc else [])])


def _ioctl_arg(c: Call, f: int) -> str:
    request = _ioctl.REQUESTS.get(c.args[1] & 0xFFFFFFFF)
    ptr = c.arg(f)
    raw = c.after[f] if not c.failed else None
    kind = request.kind if request else ""
    if c.before[f] is None:  # an int passed as the argument itself
        return hex(ptr) if ptr else "0"
    if kind == "int":
        if request is not None and request.name == "FIONBIO":  # an input: strace shows the value read
            return f"[{int.from_bytes(c.before[f][:_INT], sys.byteorder, signed=True)}]"
        return _ptr(ptr) if raw is None else f"[{int.from_bytes(raw[:_INT], sys.byteorder, signed=True)}]"
    if kind in ("timeval", "timespec", "timeval64", "timespec64") and raw is not None:
        return _timeval(raw, kind.startswith("timeval"))
    if kind.startswith("ifreq_"):
        return _ifreq(kind[6:], c.before[f], raw, c.s)
    if kind == "ifconf":
        return _ifconf(c.before[f], raw, c.s)
    return _ptr(ptr)


_IFREQ_SIZE, _IFCONF_SIZE, _IFCONF_BUF = lib.RS_IFREQ_SIZE, lib.RS_IFCONF_SIZE, lib.RS_IFCONF_BUF


def _ifconf(before: bytes, after: bytes | None, s: int) -> str:
    """SIOCGIFCONF's struct ifconf as strace prints it: ifc_len (a count of ifreqs where it is a multiple of one),
    given => left where the kernel changed it, and ifc_buf's entries."""
    def length(v: int) -> str:
        return f"{v} /* {v // _IFREQ_SIZE} * sizeof(struct ifreq) */" if v > 0 and v % _IFREQ_SIZE == 0 else str(v)

    given = int.from_bytes(before[:_INT], sys.byteorder, signed=True)
    buf = int.from_bytes(before[_IFCONF_BUF:_IFCONF_BUF + 8], sys.byteorder)
    if after is None:  # failed: what was given
        return f"{{ifc_len={length(given)}, ifc_buf={_ptr(buf)}}}"
    left = int.from_bytes(after[:_INT], sys.byteorder, signed=True)
    if buf == 0:  # the length the kernel needs
        return f"{{ifc_len={length(left)}, ifc_buf=NULL}}"
    lens = length(given) if left == given else f"{length(given)} => {length(left)}"
    entries = after[_IFCONF_SIZE:]
    items = [_ifreq("addr", entries[i:i + _IFREQ_SIZE], entries[i:i + _IFREQ_SIZE], s)
             for i in range(0, len(entries) - _IFREQ_SIZE + 1, _IFREQ_SIZE)]
    return f"{{ifc_len={lens}, ifc_buf={_array(items, len(items), s)}}}"


def _ifreq(member: str, before: bytes, after: bytes | None, s: int) -> str:
    size = CONSTANTS.get("IFNAMSIZ", 16)
    data_at = CONSTANTS.get("RS_IFREQ_DATA", 16)
    src = after if after is not None else before
    name = quote(src[:size].split(b"\0", 1)[0], s)
    data = src[data_at:]
    if member == "name":
        index = int.from_bytes(before[data_at:data_at + _INT], sys.byteorder, signed=True)
        return f"{{ifr_ifindex={index}, ifr_name={name}}}" if after is not None else f"{{ifr_ifindex={index}}}"
    if after is None and member != "flags":
        return f"{{ifr_name={name}}}"
    if member == "flags":
        return f"{{ifr_name={name}, ifr_flags={_flags(int.from_bytes(data[:2], sys.byteorder), _IFF)}}}"
    if member == "int":
        return f"{{ifr_name={name}, ifr_ifindex={int.from_bytes(data[:_INT], sys.byteorder, signed=True)}}}"
    if member == "addr":
        return f"{{ifr_name={name}, ifr_addr={sockaddr(data[:16], s)}}}"
    new = quote(data[:size].split(b"\0", 1)[0], s)
    return f"{{ifr_name={name}, ifr_newname={new}}}"


def _fcntl_line(c: Call) -> str:
    fd, cmd = _int32(c.args[0]), _int32(c.args[1])
    arg = c.args[2]
    name = _F_CMD.get(cmd)
    r = result(c.ret, c.err)
    if name is None:
        return f"fcntl({fd}, {hex(cmd & 0xFFFFFFFF)} /* F_??? */, {hex(arg) if arg else 0}) = {r}"
    if name == "F_GETFL":
        return f"fcntl({fd}, {name}) = {r if c.failed or c.ret == 0 else f'{hex(c.ret)} (flags {_oflags(c.ret)})'}"
    if name == "F_GETFD":
        flags = f"{hex(c.ret)} (flags {_flags(c.ret, [(_FD_CLOEXEC, 'FD_CLOEXEC')])})"
        return f"fcntl({fd}, {name}) = {r if c.failed or c.ret == 0 else flags}"
    if name == "F_SETFL":
        return f"fcntl({fd}, {name}, {_oflags(_int32(arg))}) = {r}"
    if name == "F_SETFD":
        return f"fcntl({fd}, {name}, {_flags(arg, [(_FD_CLOEXEC, 'FD_CLOEXEC')])}) = {r}"
    if name in ("F_GETOWN", "F_GETSIG", "F_GETLEASE", "F_GETPIPE_SZ", "F_GET_SEALS"):
        return f"fcntl({fd}, {name}) = {r}"
    kind = _fcntl.COMMANDS.get(cmd, ("", ""))[1]
    if isinstance(c.before[2], Pointer) and kind in ("flock", "owner"):  # BADPTR or NULL given for the struct
        return f"fcntl({fd}, {name}, {_ptr(arg)}) = {r}"
    if kind == "flock":
        return f"fcntl({fd}, {name}, {_flock(c.after[2] if not c.failed else c.before[2], c.args[2])}) = {r}"
    if kind == "owner":
        raw = c.after[2] if not c.failed else c.before[2]
        return f"fcntl({fd}, {name}, {_owner(raw)}) = {r}"
    return f"fcntl({fd}, {name}, {_int32(arg)}) = {r}"


def _flock(raw: bytes | None, ptr: int) -> str:
    if raw is None:
        return _ptr(ptr)
    value = _fcntl.value_out(("flock", 0), raw)
    assert isinstance(value, _fcntl.Flock)
    types = {CONSTANTS["F_RDLCK"]: "F_RDLCK", CONSTANTS["F_WRLCK"]: "F_WRLCK", CONSTANTS["F_UNLCK"]: "F_UNLCK"}
    whence = {0: "SEEK_SET", 1: "SEEK_CUR", 2: "SEEK_END"}
    return (f"{{l_type={types.get(value.type, str(value.type))}, l_whence={whence.get(value.whence, value.whence)}, "
            f"l_start={value.start}, l_len={value.len}, l_pid={value.pid}}}")


def _owner(raw: bytes | None) -> str:
    if raw is None:
        return "NULL"
    value = _fcntl.value_out(("owner", 0), raw)
    assert isinstance(value, _fcntl.FOwnerEx)
    types = {CONSTANTS.get(n, -1): n for n in ("F_OWNER_TID", "F_OWNER_PID", "F_OWNER_PGRP")}
    return f"{{type={types.get(value.type, str(value.type))}, pid={value.pid}}}"


# --- one field, as strace prints its arguments ------------------------------------------------------------------

def _field(c: Call, f: int) -> list[str]:
    field = c.fields[f]
    kind, before, after, s = field.kind, c.before[f], c.after[f], c.s
    if isinstance(before, Pointer):  # BADPTR or NULL given for the pointer: strace prints the address
        return _pointer_field(c, f, kind, before.address)
    if kind == "int":
        return [_int_text(c, field.show, c.arg(f))]
    if kind == "const":
        return [_int_text(c, field.show, c.arg(f))]
    if kind == "buf_in":
        length = c.arg(f, 1)
        return [quote(before, s, length <= s), str(length)]
    if kind in ("buf_out", "buf_into"):
        size = c.arg(f, 1)
        return [_received(c, after, size, c.arg(f)), str(size)]
    if kind == "sockaddr_in":
        addrlen = _int32(c.arg(f, 1))  # shorter than a family: strace shows the pointer
        return [sockaddr(before, s) if addrlen >= 2 else _ptr(c.arg(f)), str(addrlen)]
    if kind == "sockaddr_out":
        return _addr_out(c, f)
    if kind == "int_out":
        return [_ptr(c.arg(f)) if c.failed else f"[{after}]"]
    if kind == "fd_pair":
        return [_ptr(c.arg(f)) if c.failed else f"[{after[0]}, {after[1]}]"]
    if kind == "msghdr_in":
        return [_msghdr(before, None, s)]
    if kind == "msghdr_out":
        return [f"{{msg_namelen={_int32(before)}}}" if c.failed else _msghdr(after, before, s)]
    if kind == "mmsg_in":  # strace prints every message, the msg_len of those sent
        vlen = c.arg(f, 1) & 0xFFFFFFFF
        sent = 0 if c.failed else c.ret
        items = [f"{{msg_hdr={_msghdr(h, None, s)}" + (f", msg_len={after[i]}}}" if i < sent else "}")
                 for i, h in enumerate(before)]
        return [_array(items, vlen, s), str(vlen)]
    if kind == "mmsg_out":  # strace prints the messages received
        vlen = c.arg(f, 1) & 0xFFFFFFFF
        if c.failed:
            return [_ptr(c.arg(f)), str(vlen)]
        items = [f"{{msg_hdr={_msghdr(h, _STORAGE, s)}, msg_len={n}}}" for h, n in after or ()]
        return [_array(items, c.ret, s), str(vlen)]
    if kind == "fdsets":
        nfds = _int32(c.arg(f))
        return [str(nfds), *(_fdset(fds, c.arg(f, 1 + k), nfds) for k, fds in enumerate(before))]
    if kind == "time":
        if field.ctype == "timeval_as_timespec" and before is not None:  # the timespec the kernel got
            sec = int.from_bytes(before[:8], sys.byteorder, signed=True)
            usec = int.from_bytes(before[8:16], sys.byteorder, signed=True)
            return [f"{{tv_sec={sec}, tv_nsec={usec * 1000}}}"]
        return [_timeval(before, field.ctype == "timeval")]
    if kind == "sigmask":
        return [_sigmask(before), str(c.arg(f, 1))]
    if kind == "sigdata":
        return [f"{{sigmask={_sigmask(before)}, sigsetsize={_SIGSETSIZE}}}"]
    if kind == "pollfds":  # nfds as the kernel's unsigned int
        nfds = c.arg(f, 1) & 0xFFFFFFFF
        if isinstance(before, int):  # more said than given (refused by the kernel): the array's address
            return [_ptr(before), str(nfds)]
        return [_pollfds(before, nfds, s, True), str(nfds)]
    if kind == "timeout_ms":
        if field.ctype == "timespec":
            return [_timeval(before, False)]
        return [str(_int32(c.arg(f)))]
    if kind == "optval_in":
        level, optname, length = _int32(c.args[1]), _int32(c.args[2]), _int32(c.arg(f, 1))
        return [_set_optval(level, optname, before, length, _ptr(c.arg(f)), s), str(length)]
    if kind == "optval_out":
        level, optname = _int32(c.args[1]), _int32(c.args[2])
        raw, out = after
        ulen, rlen = _int32(before), _int32(out)
        lens = f"[{ulen}]" if rlen == ulen else f"[{ulen} => {rlen}]"
        if c.failed or raw is None:  # (None: the value went to a pointer given)
            return [_ptr(c.arg(f)), lens]
        return [_get_optval(level, optname, raw, ulen, rlen, _ptr(c.arg(f)), s), lens]
    if kind == "ioctl_arg":
        return [_ioctl_arg(c, f)]
    if kind == "iovec":
        count = c.arg(f, 1) & (1 << 64) - 1
        if isinstance(before, int) or isinstance(after, int):  # more iovecs said than given: the array's address
            return [_ptr(c.arg(f)), str(count)]
        if field.ctype != "into":
            return [_iov(before[0], before[1], s), str(count)]
        if c.failed:  # strace shows each iovec's address
            bases, lens = after
            items = [f"{{iov_base={_ptr(b)}, iov_len={n}}}" for b, n in zip(bases, lens)]
            return [_array(items, len(lens), s), str(count)]
        return [_iov(after[0], after[1], s), str(count)]
    if kind == "offset":
        if before is None:
            return ["NULL"]
        if c.desc.name != "sendfile":  # splice's, as strace prints it: signed, the value given
            return [f"[{before}]"]
        given = before & (1 << 64) - 1  # sendfile's unsigned, and the offset the kernel left when it moved any
        return [f"[{given}] => [{after & (1 << 64) - 1}]" if not c.failed and c.ret else f"[{given}]"]
    if kind == "struct_in":
        if before is None:
            return [_ptr(c.arg(f))]
        return [_epoll_events(before)[0]]
    if kind == "struct_array_out":
        count = _int32(c.arg(f, 1))
        if c.failed:
            return [_ptr(c.arg(f)), str(count)]
        return [_array(_epoll_events(after), c.ret, s), str(count)]
    raise KeyError(kind)


def _pointer_field(c: Call, f: int, kind: str, address: int) -> list[str]:
    """A field whose pointer was BADPTR or NULL: the address, and its length as strace prints it."""
    ptr = _ptr(address)
    if kind in ("buf_in", "buf_out", "buf_into"):
        return [ptr, str(c.arg(f, 1) & (1 << 64) - 1)]
    if kind == "sockaddr_in":
        return [ptr, str(_int32(c.arg(f, 1)))]
    if kind in ("sockaddr_out", "optval_out"):  # the length pointer was given
        return [_ptr(c.arg(f)), ptr]
    if kind == "optval_in":
        return [ptr, str(_int32(c.arg(f, 1)))]
    if kind == "iovec":
        return [ptr, str(c.arg(f, 1) & (1 << 64) - 1)]
    if kind in ("mmsg_in", "mmsg_out"):
        return [ptr, str(c.arg(f, 1) & 0xFFFFFFFF)]
    if kind == "struct_array_out":  # none filled: strace reads no entry, and shows the empty array
        return ["[]" if address and not c.failed and c.ret == 0 else ptr, str(_int32(c.arg(f, 1)))]
    if kind == "pollfds":  # nfds as an unsigned int
        return [ptr, str(c.arg(f, 1) & 0xFFFFFFFF)]
    if kind == "sigmask":
        return [ptr, str(c.arg(f, 1))]
    if kind == "sigdata":
        return [f"{{sigmask={ptr}, sigsetsize={_SIGSETSIZE}}}"]
    return [ptr]


def _select_result(c: Call, usec: bool) -> str:
    if c.failed:
        return result(c.ret, c.err)
    if c.ret == 0:
        return "0 (Timeout)"
    sets = c.after[0]
    parts = [f"{label} [{' '.join(map(str, fds))}]" for label, fds in zip(("in", "out", "except"), sets) if fds]
    left = c.after[1]
    if left is not None:
        parts.append(f"left {_timeval(left, usec)}")
    return f"{c.ret} ({', '.join(parts)})"


def _poll_result(c: Call) -> str:
    if c.failed:
        return result(c.ret, c.err)
    if c.ret == 0:
        return "0 (Timeout)"
    marked = _pollfds(c.after[0], c.ret, c.s, False)
    f_time = 1
    left = c.after[f_time] if c.fields[f_time].kind != "timeout_ms" or c.fields[f_time].ctype == "timespec" else None
    extra = "" if left is None else f", left {_timeval(left, False)}"
    return f"{c.ret} ({marked}{extra})"


def format_call(c: Call) -> str:
    """One strace line for a call."""
    name = c.desc.name
    if name == "fcntl":
        return _fcntl_line(c)
    args = ", ".join(text for f in range(len(c.fields)) for text in _field(c, f))
    if c.syscall in ("select", "_newselect"):
        shown = _select_result(c, True)
    elif c.syscall == "pselect6":
        shown = _select_result(c, False)
    elif c.syscall in ("poll", "ppoll"):
        shown = _poll_result(c)
    elif name == "recvmmsg" and not c.failed and c.ret == 0:
        shown = "0 (Timeout)"
    elif name == "recvmmsg" and not c.failed and c.after[3] is not None:
        shown = f"{c.ret} (left {_timeval(c.after[3], False)})"
    else:
        shown = result(c.ret, c.err)
    return f"{c.syscall}({args}) = {shown}"
