"""``rawsock.trace``: every call through the Pythonic layer printed as strace prints the syscall.

While a trace is active, the ``_rs_*`` names through which the family modules reach C are rebound to
wrappers that make the same call and then print one line in strace's notation for the syscall the kernel
saw: flags and constants symbolic, structs and addresses decoded, strings quoted and cut at ``strsize``,
value-result arguments as ``[128 => 16]``, errors as ``-1 ENAME (strerror)``.  The C fast paths (send,
recv, recv_into) hand over to the Python implementations meanwhile.  When no trace is active nothing of
this runs: the family modules hold the plain cffi functions.

``RAWSOCK_TRACE=1`` traces a whole program to stderr, ``RAWSOCK_TRACE=path`` to a file.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any

from . import _fcntl, _ioctl, _msg, _select, _sockopt, _sys_socket
from ._address import SOCKADDR_STORAGE_SIZE
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

__all__ = ["Tracer", "trace"]

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
_MSG = sorted((v, n) for v, n in _canonical(MsgFlag).items() if v)
_SHUT = _canonical(ShutdownHow)
_IPPROTO = _canonical(IPProtocol)
_POLL = sorted((v, n) for v, n in _canonical(PollFlag).items() if v)
_F_CMD = _names("F_", exclude=("F_OK", "F_LOCK", "F_ULOCK", "F_TLOCK", "F_TEST", "F_RDLCK", "F_WRLCK", "F_UNLCK",
                               "F_EXLCK", "F_SHLCK", "F_OWNER_", "F_SEAL_", "F_LINUX_SPECIFIC_BASE"),
                prefer=("F_GETLK", "F_SETLK", "F_SETLKW", "F_DUPFD"))
_O_FLAGS = sorted((v, n) for v, n in _names("O_", exclude=("O_ACCMODE", "O_RDONLY", "O_WRONLY", "O_RDWR", "O_NDELAY",
                                                            "O_FSYNC", "O_RSYNC", "O_SYNC", "O_TMPFILE"),
                                            prefer=("O_NONBLOCK",)).items() if v and v & (v - 1) == 0)
_ACCMODE = {CONSTANTS["O_RDONLY"]: "O_RDONLY", CONSTANTS["O_WRONLY"]: "O_WRONLY", CONSTANTS["O_RDWR"]: "O_RDWR"}
# levels: strace names IPPROTO_TCP's level SOL_TCP and so on
_SOL = {CONSTANTS["SOL_SOCKET"]: "SOL_SOCKET", CONSTANTS["IPPROTO_IP"]: "SOL_IP", CONSTANTS["IPPROTO_IPV6"]: "SOL_IPV6",
        CONSTANTS["IPPROTO_TCP"]: "SOL_TCP", CONSTANTS["IPPROTO_UDP"]: "SOL_UDP"}
# option names: the _OLD spellings strace uses on x86-64 first, then the option table's, then the rest
_OLD = tuple(n for n in CONSTANTS if n.startswith("SO_") and n.endswith("_OLD"))
_TABLE_NAMES = tuple(o.name for o in _sockopt.OPTIONS.values())
_NOT_OPTIONS = ("TCP_ESTABLISHED", "TCP_SYN_", "TCP_FIN_", "TCP_TIME_WAIT", "TCP_CLOSE", "TCP_LAST_ACK", "TCP_LISTEN",
                "TCP_CLOSING", "TCP_COOKIE_", "TCP_S_DATA_", "TCP_MSS_", "TCP_MD5SIG_", "TCP_AO_", "TCP_REPAIR_",
                "TCP_CM_", "TCP_TX_DELAY")
_OPTNAMES = {
    CONSTANTS["SOL_SOCKET"]: _names("SO_", prefer=_OLD + _TABLE_NAMES),
    CONSTANTS["IPPROTO_TCP"]: _names("TCP_", exclude=_NOT_OPTIONS, prefer=_TABLE_NAMES),
    CONSTANTS["IPPROTO_IP"]: _names("IP_", exclude=("IP_PMTUDISC_", "IP_DEFAULT_", "IP_MAX_"), prefer=_TABLE_NAMES),
    CONSTANTS["IPPROTO_IPV6"]: _names("IPV6_", exclude=("IPV6_PMTUDISC_",),
                                      prefer=("IPV6_ADD_MEMBERSHIP", "IPV6_DROP_MEMBERSHIP", *_TABLE_NAMES)),
}
_SCM = {CONSTANTS["SCM_RIGHTS"]: "SCM_RIGHTS", CONSTANTS["SCM_CREDENTIALS"]: "SCM_CREDENTIALS"}
_IOCTL = {CONSTANTS["FIONREAD"]: "FIONREAD", CONSTANTS["SIOCOUTQ"]: "TIOCOUTQ", CONSTANTS["SIOCATMARK"]: "SIOCATMARK"}
_FD_CLOEXEC = CONSTANTS["FD_CLOEXEC"]
_INT = ffi.sizeof("int")


def _flags(value: int, table: Sequence[tuple[int, str]], unknown: str = "") -> str:
    """A flag set as strace prints it: names joined by |, leftover bits in hex (``0x1 /* SOCK_??? */`` when no
    name applies)."""
    if value == 0:
        return "0"
    parts = []
    for bit, name in table:
        if value & bit == bit:
            parts.append(name)
            value &= ~bit
    if value:
        rest = hex(value & 0xFFFFFFFF)
        parts.append(rest if parts or not unknown else f"{rest} /* {unknown}??? */")
    return "|".join(parts)


def _sym(value: int, table: dict[int, str], unknown: str = "") -> str:
    """A constant's name, or strace's ``0x270f /* AF_??? */`` for a value without one."""
    name = table.get(value)
    if name is not None:
        return name
    return f"{hex(value & 0xFFFFFFFF)} /* {unknown}??? */" if unknown else str(value)


def _ptr(p: Any) -> str:
    addr = int(ffi.cast("uintptr_t", p))
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


def _result(r: int) -> str:
    if r < 0:
        return f"-1 {errno_name(-r)} ({os.strerror(-r)})"
    return str(r)


# --- sockaddrs --------------------------------------------------------------------------------------------

def sockaddr(raw: bytes, strsize: int = 32) -> str:
    """A sockaddr as strace prints it."""
    if len(raw) < 2:
        return "{sa_family=???}" if raw else "{}"
    family = int.from_bytes(raw[:2], sys.byteorder)
    fam = _AF.get(family, str(family))
    n = len(raw)
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
    return f"{{sa_family={fam}, sa_data={quote(raw[2:], strsize)}}}"


def _addrbuf(ab: Any, r: int, strsize: int) -> tuple[str, str]:
    """An out-parameter address and its value-result length, before/after as strace shows them."""
    outlen = ab.len
    if r < 0:
        return _ptr(ffi.addressof(ab, "addr")), f"[{SOCKADDR_STORAGE_SIZE}]"
    if outlen == 0:
        return _ptr(ffi.addressof(ab, "addr")), f"[{SOCKADDR_STORAGE_SIZE} => 0]"
    raw = ffi.unpack(ffi.cast("char *", ab), min(outlen, SOCKADDR_STORAGE_SIZE))
    return sockaddr(raw, strsize), f"[{SOCKADDR_STORAGE_SIZE} => {outlen}]"


def _inaddr(addr: Any, addrlen: int, strsize: int) -> str:
    if isinstance(addr, bytes):
        return sockaddr(addr[:addrlen], strsize)
    return sockaddr(ffi.unpack(ffi.cast("char *", addr), addrlen), strsize)


def _buf(buf: Any, n: int) -> bytes:
    return buf[:n] if isinstance(buf, bytes) else ffi.unpack(ffi.cast("char *", buf), n)


# --- the formatters: one per rs_* helper ---------------------------------------------------------------

Formatter = Callable[[tuple[Any, ...], int, int], str]


def _socket_args(domain: int, type_: int, proto: int, socketpair: bool = False) -> str:
    base = type_ & ~sum(bit for bit, _ in _SOCK_FLAGS)
    flags = [name for bit, name in _SOCK_FLAGS if type_ & bit]
    ty = "|".join([_sym(base, _SOCK_TYPE, "SOCK_"), *flags])
    if domain in (CONSTANTS["AF_INET"], CONSTANTS["AF_INET6"]) and not socketpair:
        pr = _IPPROTO.get(proto, str(proto))
    else:
        pr = str(proto)
    return f"{_sym(domain, _AF, 'AF_')}, {ty}, {pr}"


def _f_socket(a: tuple[Any, ...], r: int, s: int) -> str:
    return f"socket({_socket_args(*a)}) = {_result(r)}"


def _f_socketpair(a: tuple[Any, ...], r: int, s: int) -> str:
    sv = f"[{a[3][0]}, {a[3][1]}]" if r >= 0 else _ptr(a[3])
    return f"socketpair({_socket_args(a[0], a[1], a[2], True)}, {sv}) = {_result(r)}"


def _f_inaddr_call(name: str) -> Formatter:
    def fmt(a: tuple[Any, ...], r: int, s: int) -> str:
        return f"{name}({a[0]}, {_inaddr(a[1], a[2], s)}, {a[2]}) = {_result(r)}"
    return fmt


def _f_listen(a: tuple[Any, ...], r: int, s: int) -> str:
    return f"listen({a[0]}, {a[1]}) = {_result(r)}"


def _f_outaddr_call(name: str) -> Formatter:
    def fmt(a: tuple[Any, ...], r: int, s: int) -> str:
        addr, alen = _addrbuf(a[1], r, s)
        flags = f", {_flags(a[2], _SOCK_FLAGS, 'SOCK_')}" if len(a) > 2 else ""
        return f"{name}({a[0]}, {addr}, {alen}{flags}) = {_result(r)}"
    return fmt


def _f_shutdown(a: tuple[Any, ...], r: int, s: int) -> str:
    return f"shutdown({a[0]}, {_sym(a[1], _SHUT)}) = {_result(r)}"


def _f_send(a: tuple[Any, ...], r: int, s: int) -> str:
    data = quote(_buf(a[1], min(a[2], s + 1)), s, a[2] <= s)
    return f"sendto({a[0]}, {data}, {a[2]}, {_flags(a[3], _MSG, 'MSG_')}, NULL, 0) = {_result(r)}"


def _f_sendto(a: tuple[Any, ...], r: int, s: int) -> str:
    data = quote(_buf(a[1], min(a[2], s + 1)), s, a[2] <= s)
    dest = _inaddr(a[4], a[5], s)
    return f"sendto({a[0]}, {data}, {a[2]}, {_flags(a[3], _MSG, 'MSG_')}, {dest}, {a[5]}) = {_result(r)}"


def _received(buf: Any, r: int, size: int, s: int) -> str:
    """What a receive left in its buffer: min(return value, buffer size) bytes (MSG_TRUNC can return more)."""
    if r < 0:
        return _ptr(buf)
    n = min(r, size)
    return quote(_buf(buf, min(n, s + 1)), s, n <= s)


def _f_recv(a: tuple[Any, ...], r: int, s: int) -> str:
    data = _received(a[1], r, a[2], s)
    return f"recvfrom({a[0]}, {data}, {a[2]}, {_flags(a[3], _MSG, 'MSG_')}, NULL, NULL) = {_result(r)}"


def _f_recvfrom(a: tuple[Any, ...], r: int, s: int) -> str:
    addr, alen = _addrbuf(a[4], r, s)
    data = _received(a[1], r, a[2], s)
    return f"recvfrom({a[0]}, {data}, {a[2]}, {_flags(a[3], _MSG, 'MSG_')}, {addr}, {alen}) = {_result(r)}"


def _oflags(v: int) -> str:
    acc = CONSTANTS["O_ACCMODE"]
    return "|".join([_ACCMODE.get(v & acc, hex(v & acc)), *([_flags(v & ~acc, _O_FLAGS)] if v & ~acc else [])])


def _f_fcntl(a: tuple[Any, ...], r: int, s: int) -> str:
    fd, cmd, arg = a
    name = _F_CMD.get(cmd)
    if name is None:
        return f"fcntl({fd}, {hex(cmd)} /* F_??? */, {hex(arg) if arg else 0}) = {_result(r)}"
    if name in ("F_GETFL",):
        res = _result(r) if r <= 0 else f"{hex(r)} (flags {_oflags(r)})"
        return f"fcntl({fd}, {name}) = {res}"
    if name in ("F_GETFD",):
        res = _result(r) if r <= 0 else f"{hex(r)} (flags {_flags(r, [(_FD_CLOEXEC, 'FD_CLOEXEC')])})"
        return f"fcntl({fd}, {name}) = {res}"
    if name == "F_SETFL":
        return f"fcntl({fd}, {name}, {_oflags(arg)}) = {_result(r)}"
    if name == "F_SETFD":
        return f"fcntl({fd}, {name}, {_flags(arg, [(_FD_CLOEXEC, 'FD_CLOEXEC')])}) = {_result(r)}"
    if name in ("F_GETOWN", "F_GETSIG", "F_GETLEASE", "F_GETPIPE_SZ"):
        return f"fcntl({fd}, {name}) = {_result(r)}"
    return f"fcntl({fd}, {name}, {arg}) = {_result(r)}"


def _f_close(a: tuple[Any, ...], r: int, s: int) -> str:
    return f"close({a[0]}) = {_result(r)}"


def _f_ioctl(a: tuple[Any, ...], r: int, s: int) -> str:
    req = _IOCTL.get(a[1], hex(a[1]))
    return f"ioctl({a[0]}, {req}, {'[' + str(a[2][0]) + ']' if r >= 0 else _ptr(a[2])}) = {_result(r)}"


def _f_sockatmark(a: tuple[Any, ...], r: int, s: int) -> str:
    # glibc's sockatmark: ioctl(fd, SIOCATMARK, &answer); the answer is the return value
    return f"ioctl({a[0]}, SIOCATMARK, {'[' + str(r) + ']' if r >= 0 else '0x...'}) = {_result(min(r, 0))}"


# options

def _optval(level: int, optname: int, raw: bytes, s: int, pointer: str = "") -> str:
    option = _sockopt.OPTIONS.get((level, optname))
    kind = option.kind if option else ""
    if kind == "timeval":  # strace prints SO_RCVTIMEO_OLD/SO_SNDTIMEO_OLD as bytes
        kind = ""
    if kind == "int" and len(raw) == _INT:
        return f"[{int.from_bytes(raw, sys.byteorder, signed=True)}]"
    if kind == "int" and len(raw) < _INT and pointer:  # too short for an int: strace shows the address
        return pointer
    if kind == "linger" and len(raw) == ffi.sizeof("struct linger"):
        linger = _sockopt._decode("linger", raw)
        assert isinstance(linger, _sockopt.Linger)
        return f"{{l_onoff={linger.onoff}, l_linger={linger.linger}}}"
    if kind == "ucred" and len(raw) == ffi.sizeof("struct ucred"):
        cred = _sockopt._decode("ucred", raw)
        assert isinstance(cred, _sockopt.Ucred)
        return f"{{pid={cred.pid}, uid={cred.uid}, gid={cred.gid}}}"
    return quote(raw, s)


def _optnames(level: int, optname: int) -> str:
    lvl = _SOL.get(level) or f"{hex(level & 0xFFFFFFFF)} /* SOL_?? */"
    return f"{lvl}, {_OPTNAMES.get(level, {}).get(optname, str(optname))}"


def _f_getsockopt(a: tuple[Any, ...], r: int, s: int, before: int = 0) -> str:
    fd, level, optname, val, lenp = a
    out = lenp[0]
    if r < 0:
        return f"getsockopt({fd}, {_optnames(level, optname)}, {_ptr(val)}, [{before}]) = {_result(r)}"
    shown = _optval(level, optname, ffi.unpack(ffi.cast("char *", val), min(out, before)), s)
    lens = f"[{before}]" if out == before else f"[{before} => {out}]"
    return f"getsockopt({fd}, {_optnames(level, optname)}, {shown}, {lens}) = {_result(r)}"


def _f_setsockopt(a: tuple[Any, ...], r: int, s: int) -> str:
    fd, level, optname, val, n = a
    shown = _optval(level, optname, _buf(val, n), s, _ptr(val))
    return f"setsockopt({fd}, {_optnames(level, optname)}, {shown}, {n}) = {_result(r)}"


# readiness

def _fdset(arr: Any, nfds: int) -> list[int]:
    if arr == ffi.NULL:
        return []
    bits = 8 * ffi.sizeof("unsigned long")
    return [fd for fd in range(max(nfds, 0)) if arr[fd // bits] >> (fd % bits) & 1]


def _fdset_text(arr: Any, fds: list[int], nfds: int) -> str:
    if arr == ffi.NULL:
        return "NULL"
    if nfds <= 0:  # strace reads no bits: it shows the pointer
        return _ptr(arr)
    return "[" + " ".join(map(str, fds)) + "]"


def _tv(tv: Any, usec: bool) -> str:
    if tv == ffi.NULL:
        return "NULL"
    return f"{{tv_sec={tv.tv_sec}, tv_usec={tv.tv_usec}}}" if usec else f"{{tv_sec={tv.tv_sec}, tv_nsec={tv.tv_nsec}}}"


def _sigmask(mask: Any) -> str:
    if mask == ffi.NULL:
        return "NULL"
    nsig = signal.NSIG
    members = [n for n in range(1, nsig) if lib.sigismember(mask, n) == 1]
    if len(members) > nsig // 2:
        members = [n for n in range(1, nsig) if n not in members and n not in (32, 33)]
        prefix = "~"
    else:
        prefix = ""
    names = []
    for n in members:
        try:
            names.append(signal.Signals(n).name[3:])
        except ValueError:
            rt = n - signal.SIGRTMIN
            names.append(f"RT_{rt}" if rt > 0 else "RTMIN" if rt == 0 else str(n))
    return prefix + "[" + " ".join(names) + "]"


def _select_result(r: int, sets: list[tuple[str, list[int]]], left: str | None) -> str:
    if r < 0:
        return _result(r)
    if r == 0:
        return "0 (Timeout)"
    parts = [f"{label} [{' '.join(map(str, fds))}]" for label, fds in sets if fds]
    if left is not None:
        parts.append(f"left {left}")
    return f"{r} ({', '.join(parts)})"


class _SelectSnapshot:
    """The fd sets (and select's timeval) as they were before the call: the kernel overwrites them."""

    def __init__(self, a: tuple[Any, ...]) -> None:
        self.before = [_fdset(arr, a[0]) for arr in a[1:4]]
        self.tv = _tv(a[4], True) if len(a) == 5 else ""


def _pollfds(array: Any, n: int, events: bool) -> str:
    items = []
    for i in range(n):
        p = array[i]
        if events:
            items.append(f"{{fd={p.fd}}}" if p.fd < 0 else f"{{fd={p.fd}, events={_flags(p.events, _POLL)}}}")
        elif p.revents:
            items.append(f"{{fd={p.fd}, revents={_flags(p.revents, _POLL)}}}")
    return "[" + ", ".join(items) + "]"


# messages

def _iov(iov: Any, iovlen: int, limit: int | None, s: int) -> str:
    items = []
    remaining = limit
    for i in range(iovlen):
        base, length = iov[i].iov_base, iov[i].iov_len
        if remaining is None:
            data = quote(_buf(base, min(length, s + 1)), s, length <= s)
        else:
            take = min(length, remaining)
            data = quote(_buf(base, min(take, s + 1)), s, take <= s)
            remaining -= take
        items.append(f"{{iov_base={data}, iov_len={length}}}")
    return "[" + ", ".join(items) + "]"


def _cmsgs(msg: Any, s: int) -> str:
    items = []
    for level, type_, data in _msg._ancdata(msg):
        lvl = _SOL.get(level, str(level))
        if level == CONSTANTS["SOL_SOCKET"] and type_ in _SCM:
            if type_ == CONSTANTS["SCM_RIGHTS"]:
                shown = "[" + ", ".join(map(str, _msg._ints(data))) + "]"
            else:
                c = _msg.decode_cmsg(level, type_, data)
                assert isinstance(c, _msg.ScmCredentials)
                shown = f"{{pid={c.pid}, uid={c.uid}, gid={c.gid}}}"
            name = _SCM[type_]
        else:
            name, shown = _OPTNAMES.get(level, {}).get(type_, str(type_)), quote(data, s)
        items.append(f"{{cmsg_len={len(data) + lib.rs_CMSG_LEN(0)}, cmsg_level={lvl}, cmsg_type={name}, "
                     f"cmsg_data={shown}}}")
    return "[" + ", ".join(items) + "]"


def _msghdr(msg: Any, namelen_before: int | None, limit: int | None, s: int) -> str:
    if msg.msg_name == ffi.NULL:
        name = "NULL"
    elif namelen_before is not None and msg.msg_namelen == 0:
        name = _ptr(msg.msg_name)
    else:
        name = sockaddr(ffi.unpack(ffi.cast("char *", msg.msg_name), min(msg.msg_namelen, SOCKADDR_STORAGE_SIZE)), s)
    namelen = str(msg.msg_namelen) if namelen_before is None else f"{namelen_before} => {msg.msg_namelen}"
    parts = [f"msg_name={name}", f"msg_namelen={namelen}", f"msg_iov={_iov(msg.msg_iov, msg.msg_iovlen, limit, s)}",
             f"msg_iovlen={msg.msg_iovlen}"]
    if msg.msg_controllen:
        parts.append(f"msg_control={_cmsgs(msg, s)}")
    parts.append(f"msg_controllen={msg.msg_controllen}")
    parts.append(f"msg_flags={_flags(msg.msg_flags, _MSG)}")
    return "{" + ", ".join(parts) + "}"


# --- the tracer ---------------------------------------------------------------------------------------------

class Tracer(contextlib.ContextDecorator):
    """Prints every call made through rawsock's Pythonic layer while active (see :func:`trace`)."""

    def __init__(self, file: IO[str] | None = None, *, strsize: int = 32, timestamps: bool = False) -> None:
        self.file = file
        self.strsize = strsize
        self.timestamps = timestamps
        self._last = 0.0

    def __enter__(self) -> Tracer:
        self._last = time.monotonic()
        _activate(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _deactivate(self)

    def emit(self, line: str) -> None:
        prefix = ""
        tid = threading.get_native_id()
        if tid != os.getpid():
            prefix = f"[pid {tid:5d}] "
        if self.timestamps:
            now = time.monotonic()
            delta, self._last = now - self._last, now
            prefix += f"{int(delta):6d}.{int(delta % 1 * 1_000_000):06d} "
        out = self.file if self.file is not None else sys.stderr
        out.write(prefix + line + "\n")
        out.flush()


def trace(file: IO[str] | None = None, *, strsize: int = 32, timestamps: bool = False) -> Tracer:
    """Trace every call through rawsock's Pythonic layer and ``Socket`` to ``file`` (default stderr), one line
    per syscall in strace(1)'s notation; the tracer makes no syscall of its own besides writing to ``file``.
    A context manager, and a decorator.  ``strsize`` cuts strings as strace -s does; ``timestamps`` adds
    strace -r's relative times.  Off, it costs nothing: the family modules call cffi directly."""
    return Tracer(file, strsize=strsize, timestamps=timestamps)


_active: list[Tracer] = []
_lock = threading.RLock()
_originals: dict[tuple[Any, str], Any] = {}


def _emit(line: str) -> None:
    for tracer in list(_active):
        tracer.emit(line)


def _strsize() -> int:
    return _active[-1].strsize if _active else 32


def _wrap(real: Any, fmt: Callable[..., str], snapshot: Callable[[tuple[Any, ...]], Any] | None = None) -> Any:
    def wrapper(*args: Any) -> Any:
        snap = snapshot(args) if snapshot is not None else None
        r = real(*args)
        try:
            line = fmt(args, r, _strsize(), snap) if snapshot is not None else fmt(args, r, _strsize())
        except Exception as e:  # a formatting gap must never break the call being traced
            line = f"{getattr(real, '__name__', '?')}(...) = {_result(r)} /* rawsock trace: {e!r} */"
        _emit(line)
        return r
    return wrapper


def _targets() -> list[tuple[Any, str, Any]]:
    def select_snapshot(a: tuple[Any, ...]) -> _SelectSnapshot:
        return _SelectSnapshot(a)

    def fmt_select(a: tuple[Any, ...], r: int, s: int, snap: _SelectSnapshot) -> str:
        nfds, rd, wr, ex, tv = a
        ins = ", ".join(_fdset_text(arr, fds, nfds) for arr, fds in zip((rd, wr, ex), snap.before))
        after = [("in", _fdset(rd, nfds)), ("out", _fdset(wr, nfds)), ("except", _fdset(ex, nfds))]
        left = None if tv == ffi.NULL else _tv(tv, True)
        return f"select({nfds}, {ins}, {snap.tv}) = {_select_result(r, after, left)}"

    def fmt_pselect(a: tuple[Any, ...], r: int, s: int, snap: _SelectSnapshot) -> str:
        nfds, rd, wr, ex, ts, mask, left = a
        ins = ", ".join(_fdset_text(arr, fds, nfds) for arr, fds in zip((rd, wr, ex), snap.before))
        after = [("in", _fdset(rd, nfds)), ("out", _fdset(wr, nfds)), ("except", _fdset(ex, nfds))]
        lefttext = None if ts == ffi.NULL else _tv(left, False)
        return (f"pselect6({nfds}, {ins}, {_tv(ts, False)}, {{sigmask={_sigmask(mask)}, sigsetsize=8}}) = "
                f"{_select_result(r, after, lefttext)}")

    def fmt_poll(a: tuple[Any, ...], r: int, s: int, snap: str) -> str:
        array, n, timeout, _out = a
        res = _result(r) if r < 0 else "0 (Timeout)" if r == 0 else f"{r} ({_pollfds(array, n, False)})"
        return f"poll({snap}, {n}, {timeout}) = {res}"

    def fmt_ppoll(a: tuple[Any, ...], r: int, s: int, snap: str) -> str:
        array, n, ts, mask, _out, left = a
        if r < 0:
            res = _result(r)
        elif r == 0:
            res = "0 (Timeout)"
        else:
            extra = "" if ts == ffi.NULL else f", left {_tv(left, False)}"
            res = f"{r} ({_pollfds(array, n, False)}{extra})"
        return f"ppoll({snap}, {n}, {_tv(ts, False)}, {_sigmask(mask)}, 8) = {res}"

    def poll_snap(a: tuple[Any, ...]) -> str:
        return _pollfds(a[0], a[1], True)

    def getsockopt_snap(a: tuple[Any, ...]) -> int:
        return int(a[4][0])

    def fmt_getsockopt(a: tuple[Any, ...], r: int, s: int, before: int) -> str:
        return _f_getsockopt(a, r, s, before)

    def fmt_sendmsg(a: tuple[Any, ...], r: int, s: int) -> str:
        fd, msg, flags = a
        return f"sendmsg({fd}, {_msghdr(msg, None, None, s)}, {_flags(flags, _MSG, 'MSG_')}) = {_result(r)}"

    def recvmsg_snap(a: tuple[Any, ...]) -> int:
        return int(a[1].msg_namelen)

    def fmt_recvmsg(a: tuple[Any, ...], r: int, s: int, namelen: int) -> str:
        fd, msg, flags = a
        if r < 0:
            return f"recvmsg({fd}, {{msg_namelen={namelen}}}, {_flags(flags, _MSG, 'MSG_')}) = {_result(r)}"
        return f"recvmsg({fd}, {_msghdr(msg, namelen, r, s)}, {_flags(flags, _MSG, 'MSG_')}) = {_result(r)}"

    def _mmsgs(msgs: Any, count: int, namelens: list[int] | None, s: int) -> str:
        items = []
        for i in range(min(count, s)):
            m = msgs[i]
            limit = m.msg_len if namelens is not None else None
            hdr = _msghdr(ffi.addressof(m, "msg_hdr"), namelens[i] if namelens else None, limit, s)
            items.append(f"{{msg_hdr={hdr}, msg_len={m.msg_len}}}")
        more = ", ..." if count > s else ""
        return "[" + ", ".join(items) + more + "]"

    def fmt_sendmmsg(a: tuple[Any, ...], r: int, s: int) -> str:
        fd, msgs, vlen, flags = a
        shown = _mmsgs(msgs, r, None, s) if r > 0 else _ptr(msgs)
        return f"sendmmsg({fd}, {shown}, {vlen}, {_flags(flags, _MSG, 'MSG_')}) = {_result(r)}"

    def recvmmsg_snap(a: tuple[Any, ...]) -> tuple[list[int], str]:
        msgs, vlen, ts = a[1], a[2], a[4]
        return [int(msgs[i].msg_hdr.msg_namelen) for i in range(vlen)], _tv(ts, False)

    def fmt_recvmmsg(a: tuple[Any, ...], r: int, s: int, snap: tuple[list[int], str]) -> str:
        fd, msgs, vlen, flags, _ts = a
        shown = _mmsgs(msgs, r, snap[0], s) if r > 0 else _ptr(msgs)
        return f"recvmmsg({fd}, {shown}, {vlen}, {_flags(flags, _MSG, 'MSG_')}, {snap[1]}) = {_result(r)}"

    ss = _sys_socket
    return [
        (ss, "_rs_socket", (_f_socket, None)),
        (ss, "_rs_socketpair", (_f_socketpair, None)),
        (ss, "_rs_bind", (_f_inaddr_call("bind"), None)),
        (ss, "_rs_listen", (_f_listen, None)),
        (ss, "_rs_accept", (_f_outaddr_call("accept"), None)),
        (ss, "_rs_accept4", (_f_outaddr_call("accept4"), None)),
        (ss, "_rs_connect", (_f_inaddr_call("connect"), None)),
        (ss, "_rs_shutdown", (_f_shutdown, None)),
        (ss, "_rs_getsockname", (_f_outaddr_call("getsockname"), None)),
        (ss, "_rs_getpeername", (_f_outaddr_call("getpeername"), None)),
        (ss, "_rs_send", (_f_send, None)),
        (ss, "_rs_sendto", (_f_sendto, None)),
        (ss, "_rs_recv", (_f_recv, None)),
        (ss, "_rs_recvfrom", (_f_recvfrom, None)),
        (_fcntl, "_rs_fcntl", (_f_fcntl, None)),
        (_fcntl, "_rs_close", (_f_close, None)),
        (_ioctl, "_rs_ioctl_int", (_f_ioctl, None)),
        (_ioctl, "_rs_sockatmark", (_f_sockatmark, None)),
        (_sockopt, "_rs_getsockopt", (fmt_getsockopt, getsockopt_snap)),
        (_sockopt, "_rs_setsockopt", (_f_setsockopt, None)),
        (_select, "_rs_select", (fmt_select, select_snapshot)),
        (_select, "_rs_pselect", (fmt_pselect, select_snapshot)),
        (_select, "_rs_poll", (fmt_poll, poll_snap)),
        (_select, "_rs_ppoll", (fmt_ppoll, poll_snap)),
        (_msg, "_rs_sendmsg", (fmt_sendmsg, None)),
        (_msg, "_rs_recvmsg", (fmt_recvmsg, recvmsg_snap)),
        (_msg, "_rs_sendmmsg", (fmt_sendmmsg, None)),
        (_msg, "_rs_recvmmsg", (fmt_recvmmsg, recvmmsg_snap)),
    ]


def _activate(tracer: Tracer) -> None:
    with _lock:
        if not _active:
            for module, name, (fmt, snap) in _targets():
                real = getattr(module, name)
                _originals[(module, name)] = real
                setattr(module, name, _wrap(real, fmt, snap))
            lib.rs_set_tracing(1)
        _active.append(tracer)


def _deactivate(tracer: Tracer) -> None:
    with _lock:
        _active.remove(tracer)
        if not _active:
            lib.rs_set_tracing(0)
            for (module, name), real in _originals.items():
                setattr(module, name, real)
            _originals.clear()


def _from_environment() -> Iterator[Tracer]:
    value = os.environ.get("RAWSOCK_TRACE", "")
    if value and value != "0":
        out: IO[str] = sys.stderr if value == "1" else open(value, "a", buffering=1)
        tracer = trace(out)
        tracer.__enter__()
        yield tracer


_environment_tracers = list(_from_environment())
