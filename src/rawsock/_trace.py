"""``rawsock.trace``: every call of the Pythonic layer printed as strace prints the syscall.

The call engine makes every call; while a trace is active it hands this module's hook, after each syscall,
the call's index, the six raw syscall arguments, what each field's memory held before and after the call
(copied by the engine, bounded by what it allocated), the return value and errno.  The hook decodes them
with the call's description (rawsock._calls) into one line in strace's notation: flags and constants
symbolic, structs and addresses decoded, strings quoted and cut at ``strsize``, value-result arguments as
``[128 => 16]``, errors as ``-1 ENAME (strerror)``.  It makes no syscall besides writing the line: the
thread id and the process id come from the threading module's records.  When no trace is active the engine
tests one pointer and calls nothing here.

``RAWSOCK_TRACE=1`` traces a whole program to stderr, ``RAWSOCK_TRACE=path`` to a file.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from typing import IO, Any

from . import _calls, _fcntl, _ioctl, _msg, _sockopt, _syscalls
from ._binding import ffi
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

__all__ = ["Tracer", "quote", "sockaddr", "trace"]

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
# ioctl requests: strace's names (TIOCOUTQ for SIOCOUTQ, FIONREAD for SIOCINQ, the _OLD stamps on x86-64)
_IOCTL_PREFER = ("FIONREAD", "TIOCOUTQ", "SIOCGSTAMP_OLD", "SIOCGSTAMPNS_OLD", "FIONBIO", "SIOCATMARK")
_IOCTL = {CONSTANTS[n]: n for n in reversed(_IOCTL_PREFER) if n in CONSTANTS}
for _n, _v in sorted(CONSTANTS.items()):
    if _n.startswith(("SIOC", "FIO")):
        _IOCTL.setdefault(int(_v), _n)
if "SIOCOUTQ" in CONSTANTS:
    _IOCTL[CONSTANTS["SIOCOUTQ"]] = "TIOCOUTQ"
_FD_CLOEXEC = CONSTANTS["FD_CLOEXEC"]
_IFF = sorted((v, n) for v, n in _names("IFF_").items() if v and v & (v - 1) == 0)
_INT = ffi.sizeof("int")
_STORAGE = ffi.sizeof("struct sockaddr_storage")
_SIGSETSIZE: int = CONSTANTS.get("RS_SIGSETSIZE", 8)


def _int32(v: int) -> int:
    """A syscall argument as the C int it was."""
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v >= 1 << 31 else v


def _flags(value: int, table: Sequence[tuple[int, str]], unknown: str = "") -> str:
    """A flag set as strace prints it: names joined by |, leftover bits in hex (``0x1 /* SOCK_??? */`` when no
    name applies)."""
    value &= 0xFFFFFFFF
    if value == 0:
        return "0"
    parts = []
    for bit, name in table:
        if value & bit == bit:
            parts.append(name)
            value &= ~bit
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


def _result(r: int, err: int) -> str:
    if r == -1 and err:
        return f"-1 {errno_name(err)} ({os.strerror(err)})"
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


# --- what one call looks like ---------------------------------------------------------------------------------

class _Call:
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


def _int_text(c: _Call, show: str, v: int) -> str:
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
        return str(_int32(v))
    if show == "MSG":
        return _flags(v, _MSG, "MSG_")
    if show == "SHUT":
        return _sym(_int32(v), _SHUT)
    if show == "SOCK_FLAGS":
        return _flags(v, _SOCK_FLAGS, "SOCK_")
    if show == "SOL":
        return _SOL.get(_int32(v)) or f"{hex(v & 0xFFFFFFFF)} /* SOL_?? */"
    if show == "OPTNAME":
        return _OPTNAMES.get(_int32(c.args[1]), {}).get(_int32(v), str(_int32(v)))
    if show == "FCNTL_CMD":
        return _F_CMD.get(_int32(v)) or f"{hex(v & 0xFFFFFFFF)} /* F_??? */"
    if show == "IOCTL_REQ":
        return _IOCTL.get(v & 0xFFFFFFFF, hex(v & 0xFFFFFFFF))
    return str(v)


def _received(c: _Call, data: bytes | None, size: int, ptr: int) -> str:
    """What a receive left in its buffer: min(return value, size) bytes (MSG_TRUNC can return more)."""
    if c.failed or data is None:
        return _ptr(ptr)
    n = min(c.ret, size)
    return quote(data, c.s, n <= c.s)


def _addr_out(c: _Call, f: int) -> list[str]:
    before, after = c.before[f], c.after[f]
    raw, outlen = after
    if c.failed:
        return [_ptr(c.arg(f)), f"[{before}]"]
    if outlen == 0:
        return [_ptr(c.arg(f)), f"[{before} => 0]"]
    return [sockaddr(raw, c.s), f"[{before} => {outlen}]"]


def _timeval(raw: bytes | None, usec: bool) -> str:
    if raw is None:
        return "NULL"
    sec = int.from_bytes(raw[:8], sys.byteorder, signed=True)
    frac = int.from_bytes(raw[8:16], sys.byteorder, signed=True)
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


def _fdset(fds: list[int] | None, ptr: int, nfds: int) -> str:
    if fds is None:
        return "NULL"
    if nfds <= 0:  # strace reads no bits: it shows the pointer
        return _ptr(ptr)
    return "[" + " ".join(map(str, fds)) + "]"


# --- options -------------------------------------------------------------------------------------------------

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
        linger = _sockopt.value_out("linger", raw)
        assert isinstance(linger, _sockopt.Linger)
        return f"{{l_onoff={linger.onoff}, l_linger={linger.linger}}}"
    if kind == "ucred" and len(raw) == ffi.sizeof("struct ucred"):
        cred = _sockopt.value_out("ucred", raw)
        assert isinstance(cred, _sockopt.Ucred)
        return f"{{pid={cred.pid}, uid={cred.uid}, gid={cred.gid}}}"
    return quote(raw, s)


# --- messages -------------------------------------------------------------------------------------------------

def _cmsgs(control: bytes, s: int) -> str:
    items = []
    for level, type_, data in _msg.control_decode(control):
        lvl = _SOL.get(level, str(level))
        if level == CONSTANTS["SOL_SOCKET"] and type_ in _SCM:
            if type_ == CONSTANTS["SCM_RIGHTS"]:
                shown = "[" + ", ".join(map(str, _msg._ints(data))) + "]"
            else:
                cred = _msg.decode_cmsg(level, type_, data)
                shown = (f"{{pid={cred.pid}, uid={cred.uid}, gid={cred.gid}}}" if isinstance(cred, _msg.ScmCredentials)
                         else quote(data, s))
            name = _SCM[type_]
        else:
            name, shown = _OPTNAMES.get(level, {}).get(type_, str(type_)), quote(data, s)
        items.append(f"{{cmsg_len={len(data) + _msg.CMSG_LEN(0)}, cmsg_level={lvl}, cmsg_type={name}, "
                     f"cmsg_data={shown}}}")
    return "[" + ", ".join(items) + "]"


def _msghdr(snap: tuple[Any, ...], namelen_before: int | None, s: int) -> str:
    name_ptr, name, namelen, data, lens, control, controllen, flags = snap
    if name_ptr == 0:
        shown_name = "NULL"
    elif namelen_before is not None and namelen == 0:
        shown_name = _ptr(name_ptr)
    else:
        shown_name = sockaddr(name, s)
    namelen_text = str(namelen) if namelen_before is None else f"{namelen_before} => {namelen}"
    iov = [f"{{iov_base={quote(d, s)}, iov_len={n}}}" for d, n in zip(data, lens)]
    parts = [f"msg_name={shown_name}", f"msg_namelen={namelen_text}", f"msg_iov=[{', '.join(iov)}]",
             f"msg_iovlen={len(lens)}"]
    if controllen:
        parts.append(f"msg_control={_cmsgs(control or b'', s)}")
    parts.append(f"msg_controllen={controllen}")
    parts.append(f"msg_flags={_flags(flags, _MSG)}")
    return "{" + ", ".join(parts) + "}"


# --- ioctl and fcntl arguments --------------------------------------------------------------------------------

def _oflags(v: int) -> str:
    acc = CONSTANTS["O_ACCMODE"]
    return "|".join([_ACCMODE.get(v & acc, hex(v & acc)), *([_flags(v & ~acc, _O_FLAGS)] if v & ~acc else [])])


def _ioctl_arg(c: _Call, f: int) -> str:
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
    return _ptr(ptr)


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


def _fcntl_line(c: _Call) -> str:
    fd, cmd = _int32(c.args[0]), _int32(c.args[1])
    arg = c.args[2]
    name = _F_CMD.get(cmd)
    r = _result(c.ret, c.err)
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

def _field(c: _Call, f: int) -> list[str]:
    field = c.fields[f]
    kind, before, after, s = field.kind, c.before[f], c.after[f], c.s
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
        return [sockaddr(before, s), str(_int32(c.arg(f, 1)))]
    if kind == "sockaddr_out":
        return _addr_out(c, f)
    if kind == "int_out":
        return [_ptr(c.arg(f)) if c.failed else f"[{after}]"]
    if kind == "fd_pair":
        return [_ptr(c.arg(f)) if c.failed else f"[{after[0]}, {after[1]}]"]
    if kind == "msghdr_in":
        return [_msghdr(before, None, s)]
    if kind == "msghdr_out":
        return [f"{{msg_namelen={before}}}" if c.failed else _msghdr(after, before, s)]
    if kind == "mmsg_in":
        vlen = c.arg(f, 1)
        if c.failed or c.ret <= 0:
            return [_ptr(c.arg(f)), str(vlen)]
        items = [f"{{msg_hdr={_msghdr(h, None, s)}, msg_len={n}}}" for h, n in zip(before, after)]
        return [_array(items, c.ret, s), str(vlen)]
    if kind == "mmsg_out":
        vlen = c.arg(f, 1)
        if c.failed or c.ret <= 0:
            return [_ptr(c.arg(f)), str(vlen)]
        items = [f"{{msg_hdr={_msghdr(h, _STORAGE, s)}, msg_len={n}}}" for h, n in after]
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
    if kind == "pollfds":
        return [_pollfds(before, c.arg(f, 1), s, True), str(c.arg(f, 1))]
    if kind == "timeout_ms":
        if field.ctype == "timespec":
            return [_timeval(before, False)]
        return [str(_int32(c.arg(f)))]
    if kind == "optval_in":
        level, optname = _int32(c.args[1]), _int32(c.args[2])
        return [_optval(level, optname, before, s, _ptr(c.arg(f))), str(_int32(c.arg(f, 1)))]
    if kind == "optval_out":
        level, optname = _int32(c.args[1]), _int32(c.args[2])
        raw, out = after
        if c.failed:
            return [_ptr(c.arg(f)), f"[{before}]"]
        lens = f"[{before}]" if out == before else f"[{before} => {out}]"
        return [_optval(level, optname, raw, s), lens]
    if kind == "ioctl_arg":
        return [_ioctl_arg(c, f)]
    raise KeyError(kind)


def _select_result(c: _Call, usec: bool) -> str:
    if c.failed:
        return _result(c.ret, c.err)
    if c.ret == 0:
        return "0 (Timeout)"
    sets = c.after[0]
    parts = [f"{label} [{' '.join(map(str, fds))}]" for label, fds in zip(("in", "out", "except"), sets) if fds]
    left = c.after[1]
    if left is not None:
        parts.append(f"left {_timeval(left, usec)}")
    return f"{c.ret} ({', '.join(parts)})"


def _poll_result(c: _Call) -> str:
    if c.failed:
        return _result(c.ret, c.err)
    if c.ret == 0:
        return "0 (Timeout)"
    marked = _pollfds(c.after[0], c.ret, c.s, False)
    f_time = 1
    left = c.after[f_time] if c.fields[f_time].kind != "timeout_ms" or c.fields[f_time].ctype == "timespec" else None
    extra = "" if left is None else f", left {_timeval(left, False)}"
    return f"{c.ret} ({marked}{extra})"


def format_call(c: _Call) -> str:
    """One strace line for a call."""
    name = c.desc.name
    if name == "fcntl":
        return _fcntl_line(c)
    args = ", ".join(text for f in range(len(c.fields)) for text in _field(c, f))
    if c.syscall in ("select", "_newselect"):
        result = _select_result(c, True)
    elif c.syscall == "pselect6":
        result = _select_result(c, name == "select")
    elif c.syscall in ("poll", "ppoll"):
        result = _poll_result(c)
    else:
        result = _result(c.ret, c.err)
    return f"{c.syscall}({args}) = {result}"


# --- the tracer -------------------------------------------------------------------------------------------------

class Tracer(contextlib.ContextDecorator):
    """Prints every call made through rawsock's Pythonic layer while active (see :func:`trace`)."""

    def __init__(self, file: IO[str] | None = None, *, strsize: int = 32, timestamps: bool = False) -> None:
        self.file = file
        self.strsize = strsize
        self.timestamps = timestamps
        self._last: int | None = None

    def __enter__(self) -> Tracer:
        self._last = None
        _activate(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _deactivate(self)

    def emit(self, line: str, t0: int = 0) -> None:
        prefix = ""
        tid = threading.current_thread().native_id  # recorded by the threading module: no gettid() here
        if tid != threading.main_thread().native_id:
            prefix = f"[pid {tid:5d}] "
        if self.timestamps:
            delta = 0 if self._last is None else t0 - self._last
            self._last = t0
            prefix += f"{delta // 1_000_000_000:6d}.{delta % 1_000_000_000 // 1000:06d} "
        out = self.file if self.file is not None else sys.stderr
        out.write(prefix + line + "\n")
        out.flush()


def trace(file: IO[str] | None = None, *, strsize: int = 32, timestamps: bool = False) -> Tracer:
    """Trace every call through rawsock's Pythonic layer and ``Socket`` to ``file`` (default stderr), one line
    per syscall in strace(1)'s notation (see strace(1)); the tracer makes no syscall of its own besides writing
    to ``file``.  A context manager, and a decorator.  ``strsize`` cuts strings as strace -s does;
    ``timestamps`` adds strace -r's relative times."""
    return Tracer(file, strsize=strsize, timestamps=timestamps)


_active: list[Tracer] = []
_lock = threading.RLock()
_table: list[tuple[_calls.Call, str]] = []


def _hook(index: int, args: tuple[int, ...], before: tuple[Any, ...], after: tuple[Any, ...], ret: int, err: int,
          t0: int, t1: int) -> None:
    tracers = list(_active)
    if not tracers:
        return
    desc, syscall = _table[index]
    strsize = max(t.strsize for t in tracers)
    call = _Call(desc, syscall, args, before, after, ret, err, strsize)
    try:
        line = format_call(call)
    except Exception as e:  # a formatting gap must never break the call being traced
        line = f"{syscall}(...) = {_result(ret, err)} /* rawsock trace: {e!r} */"
    for tracer in tracers:
        tracer.emit(line if tracer.strsize == strsize else _reformat(call, tracer.strsize), t0)


def _reformat(call: _Call, strsize: int) -> str:
    call.s = strsize
    try:
        return format_call(call)
    except Exception as e:
        return f"{call.syscall}(...) = {_result(call.ret, call.err)} /* rawsock trace: {e!r} */"


def _load_table() -> None:
    if not _table:
        for (name, syscall, _nr), desc in zip(_syscalls._table(), _calls.CALLS):
            assert name == desc.name, (name, desc.name)
            _table.append((desc, syscall))


def _activate(tracer: Tracer) -> None:
    with _lock:
        _load_table()
        _active.append(tracer)
        _syscalls._set_trace(_hook, max(t.strsize for t in _active) + 1)


def _deactivate(tracer: Tracer) -> None:
    with _lock:
        _active.remove(tracer)
        if _active:
            _syscalls._set_trace(_hook, max(t.strsize for t in _active) + 1)
        else:
            _syscalls._set_trace(None, 1)


def _from_environment() -> Iterator[Tracer]:
    value = os.environ.get("RAWSOCK_TRACE", "")
    if value and value != "0":
        out: IO[str] = sys.stderr if value == "1" else open(value, "a", buffering=1)
        tracer = trace(out)
        tracer.__enter__()
        yield tracer


_environment_tracers = list(_from_environment())
