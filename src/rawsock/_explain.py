"""What each errno means for each call: the ERRORS sections of the man pages, in rawsock's own words.

One table per man page, shared by the calls it documents.  Entries marked ``observed`` are errnos Linux
returns for a call although its man page does not list them; each carries a reproducer, and the test suite
checks that the running kernel really answers that way.
"""

from __future__ import annotations

import errno as _errno
import os
from collections.abc import Callable
from typing import NamedTuple

__all__ = ["CALLS", "Entry", "errors", "explain", "observed"]


class Entry(NamedTuple):
    """One errno of one call: what it means, whether the man page lists it, and how to observe it if not."""

    text: str
    man: str
    observed: Callable[[], int] | None = None


def _e(text: str) -> tuple[str, Callable[[], int] | None]:
    return text, None


# --- reproducers for the observed (undocumented) errnos: each returns the errno the kernel gave -----------

def _errno_of(call: Callable[[], object]) -> int:
    try:
        call()
    except OSError as e:
        return e.errno or 0
    return 0


def _with(domain: int, type_: int, action: Callable[[int], object]) -> int:
    import rawsock

    fd = rawsock.socket(domain, type_)
    try:
        return _errno_of(lambda: action(fd))
    finally:
        rawsock.close(fd)


def _sockatmark_udp() -> int:
    import rawsock

    return _with(rawsock.AF_INET, rawsock.SOCK_DGRAM, rawsock.sockatmark)


def _getsockopt_bad_level() -> int:
    import rawsock

    return _with(rawsock.AF_INET, rawsock.SOCK_STREAM, lambda fd: rawsock.getsockopt(fd, 12345, 1))


def _send_unconnected_tcp() -> int:
    import rawsock

    return _with(rawsock.AF_INET, rawsock.SOCK_STREAM, lambda fd: rawsock.send(fd, b"x", rawsock.MSG_NOSIGNAL))


def _bind_wrong_family() -> int:
    import rawsock

    return _with(rawsock.AF_INET, rawsock.SOCK_STREAM, lambda fd: rawsock.bind(fd, ("::1", 0)))


def _select_bad_pointer() -> int:
    from ._binding import ffi, lib

    r = lib.select(1, ffi.cast("fd_set *", 1), ffi.NULL, ffi.NULL, ffi.NULL)
    return ffi.errno if r < 0 else 0


def _sockatmark_unix_dgram() -> int:
    import rawsock

    return _with(rawsock.AF_UNIX, rawsock.SOCK_DGRAM, rawsock.sockatmark)


# errnos Linux returns that the man page does not list: (man page, errno name, what happens, reproducer)
_OBSERVED: list[tuple[str, str, str, Callable[[], int]]] = [
    ("send(2)", "EPIPE", "send on a TCP socket that never connected fails with EPIPE, not ENOTCONN",
     _send_unconnected_tcp),
]

# --- the tables -------------------------------------------------------------------------------------------

_COMMON = {
    "EBADF": _e("the fd is not an open file descriptor"),
    "ENOTSOCK": _e("the fd is open but refers to something that is not a socket"),
}

_TABLES: dict[str, dict[str, tuple[str, Callable[[], int] | None]]] = {
    "socket(2)": {
        "EACCES": _e("permission to create a socket of this type or protocol is denied (Linux answers EPERM "
                     "for raw sockets without CAP_NET_RAW)"),
        "EAFNOSUPPORT": _e("the address family is not supported"),
        "EINVAL": _e("unknown protocol or family, or invalid flags in type"),
        "EMFILE": _e("the process has reached its limit of open file descriptors (RLIMIT_NOFILE)"),
        "ENFILE": _e("the system-wide limit on open files has been reached"),
        "ENOBUFS": _e("not enough memory for the socket"),
        "ENOMEM": _e("not enough memory for the socket"),
        "EPROTONOSUPPORT": _e("this protocol is not supported within this family or type"),
        "EPERM": _e("raw sockets need CAP_NET_RAW: Linux answers EPERM where the page's EACCES describes it"),
    },
    "socketpair(2)": {
        "EAFNOSUPPORT": _e("the address family is not supported on this machine"),
        "EFAULT": _e("the address for the two descriptors is not in the process's memory"),
        "EMFILE": _e("the process has reached its limit of open file descriptors"),
        "ENFILE": _e("the system-wide limit on open files has been reached"),
        "EOPNOTSUPP": _e("this protocol does not support creating socket pairs (AF_INET, for one)"),
        "EPROTONOSUPPORT": _e("this protocol is not supported on this machine"),
    },
    "bind(2)": {
        "EACCES": _e("the address is protected (a port below 1024 without CAP_NET_BIND_SERVICE), or search "
                     "permission is denied on a component of an AF_UNIX path"),
        "EADDRINUSE": _e("the address is in use, by a bound socket or a connection in TIME_WAIT; for AF_UNIX, "
                         "the path exists"),
        "EADDRNOTAVAIL": _e("the address is not one of this machine's"),
        "EINVAL": _e("the socket is already bound, or addrlen is wrong, or the address is not valid for the "
                     "socket's family"),
        "ELOOP": _e("too many symbolic links while resolving the AF_UNIX path"),
        "ENAMETOOLONG": _e("the AF_UNIX path is too long"),
        "ENOENT": _e("a directory in the AF_UNIX path does not exist"),
        "ENOMEM": _e("insufficient kernel memory"),
        "ENOTDIR": _e("a component of the AF_UNIX path prefix is not a directory"),
        "EROFS": _e("the AF_UNIX socket inode would be on a read-only file system"),
        "EFAULT": _e("addr points outside the process's memory"),
        "EAFNOSUPPORT": ("the address's family is not the socket's (an AF_INET6 address on an AF_INET socket): "
                         "Linux checks the family first", _bind_wrong_family),
    },
    "listen(2)": {
        "EADDRINUSE": _e("another socket is already listening on the same port, or no ephemeral port was free "
                         "for an unbound socket"),
        "EOPNOTSUPP": _e("this socket type does not support listen (a datagram socket, for one)"),
    },
    "accept(2)": {
        "EAGAIN": _e("the socket is non-blocking and no connection is waiting"),
        "ECONNABORTED": _e("a connection was aborted before it was accepted"),
        "EFAULT": _e("addr is not in a writable part of the process's memory"),
        "EINTR": _e("a signal arrived before a connection did (rawsock does not retry)"),
        "EINVAL": _e("the socket is not listening, or addrlen is invalid, or accept4 was given invalid flags"),
        "EMFILE": _e("the process has reached its limit of open file descriptors"),
        "ENFILE": _e("the system-wide limit on open files has been reached"),
        "ENOBUFS": _e("not enough free memory"),
        "ENOMEM": _e("not enough free memory"),
        "EOPNOTSUPP": _e("the socket is not of type SOCK_STREAM"),
        "EPERM": _e("firewall rules forbid the connection"),
        "EPROTO": _e("protocol error"),
    },
    "connect(2)": {
        "EACCES": _e("for AF_UNIX, no write permission on the socket file or search permission on its path; "
                     "for UDP, the destination is a broadcast address and SO_BROADCAST is not set"),
        "EPERM": _e("the destination is broadcast without SO_BROADCAST, or a firewall rule forbids it"),
        "EADDRINUSE": _e("the local address is already in use"),
        "EADDRNOTAVAIL": _e("no ephemeral port was free for an unbound socket"),
        "EAFNOSUPPORT": _e("the address's family is not the socket's"),
        "EAGAIN": _e("for AF_UNIX, a non-blocking socket and a full listen backlog; otherwise no port free"),
        "EALREADY": _e("the socket is non-blocking and an earlier connection attempt has not finished"),
        "ECONNREFUSED": _e("nothing is listening at the address (the peer answered the SYN with RST)"),
        "EFAULT": _e("the address is outside the process's memory"),
        "EINPROGRESS": _e("the socket is non-blocking and the connection cannot complete at once: poll for "
                          "POLLOUT, then read SO_ERROR for the outcome"),
        "EINTR": _e("a signal arrived during a blocking connect (rawsock does not retry)"),
        "EISCONN": _e("the socket is already connected"),
        "ENETUNREACH": _e("the network is unreachable: no route"),
        "EPROTOTYPE": _e("the socket type does not match the peer's (an AF_UNIX stream to a datagram socket)"),
        "ETIMEDOUT": _e("the connection attempt timed out"),
        "EINVAL": _e("addrlen is wrong for the family"),
        "ENOENT": _e("for AF_UNIX, the path does not exist (unix(7))"),
    },
    "shutdown(2)": {
        "EINVAL": _e("how is not SHUT_RD, SHUT_WR or SHUT_RDWR"),
        "ENOTCONN": _e("the socket is not connected"),
    },
    "getsockname(2)": {
        "EFAULT": _e("addr points outside the process's memory"),
        "EINVAL": _e("addrlen is invalid (negative)"),
        "ENOBUFS": _e("insufficient resources"),
    },
    "getpeername(2)": {
        "ENOTCONN": _e("the socket is not connected"),
    },
    "send(2)": {
        "EACCES": _e("for UDP, sending to a broadcast address without SO_BROADCAST; for AF_UNIX, no write "
                     "permission on the destination"),
        "EAGAIN": _e("the socket is non-blocking (or MSG_DONTWAIT) and the send buffer is full, or a send "
                     "timeout (SO_SNDTIMEO) expired"),
        "EALREADY": _e("another Fast Open is in progress"),
        "ECONNRESET": _e("the connection was reset by the peer"),
        "EDESTADDRREQ": _e("the socket is not connection-mode and no destination address was given"),
        "EFAULT": _e("the buffer is outside the process's memory"),
        "EINTR": _e("a signal arrived before any data was sent (rawsock does not retry)"),
        "EINVAL": _e("an invalid argument, such as a bad address length"),
        "EISCONN": _e("the socket is connected but a destination was given (TCP ignores the address instead)"),
        "EMSGSIZE": _e("the message must be sent atomically and is too large (a datagram over 65507 bytes)"),
        "ENOBUFS": _e("the interface's output queue is full"),
        "ENOMEM": _e("no memory available"),
        "ENOTCONN": _e("the socket is not connected and no target was given"),
        "EOPNOTSUPP": _e("a flag is not valid for this socket type (MSG_OOB on UDP, for one)"),
        "EPIPE": _e("the local end is shut down: the connection is closed or was reset; the process also "
                    "gets SIGPIPE unless MSG_NOSIGNAL"),
    },
    "recv(2)": {
        "EAGAIN": _e("non-blocking (or MSG_DONTWAIT) and no data, or a receive timeout (SO_RCVTIMEO) expired; "
                     "also an empty error queue with MSG_ERRQUEUE"),
        "ECONNREFUSED": _e("the remote host refused the connection (for UDP, an ICMP port unreachable)"),
        "EFAULT": _e("the buffer is outside the process's memory"),
        "EINTR": _e("a signal arrived before any data (rawsock does not retry)"),
        "EINVAL": _e("an invalid argument, such as MSG_OOB with no urgent data"),
        "ENOMEM": _e("no memory for recvmsg"),
        "ENOTCONN": _e("a connection-oriented socket that is not connected"),
        "ECONNRESET": _e("the connection was reset by the peer (tcp(7); not in recv(2)'s list)"),
    },
    "getsockopt(2)": {
        "EFAULT": _e("optval or optlen is outside the process's memory"),
        "EINVAL": _e("optlen is invalid, or an invalid value for setsockopt"),
        "ENOPROTOOPT": _e("the option is unknown at this level (and setsockopt's answer to an unknown level)"),
        "EOPNOTSUPP": ("getsockopt with an unknown level: absent from getsockopt(2)",
                       _getsockopt_bad_level),
    },
    "select(2)": {
        "EINTR": _e("a signal was caught (rawsock does not retry)"),
        "EINVAL": _e("nfds is negative or above RLIMIT_NOFILE, or the timeout is invalid"),
        "ENOMEM": _e("no memory for internal tables"),
        "EFAULT": ("an fd set or timeout pointer outside the process's memory: absent from select(2)",
                   _select_bad_pointer),
    },
    "poll(2)": {
        "EFAULT": _e("the fds array is outside the process's memory"),
        "EINTR": _e("a signal arrived before any event (rawsock does not retry)"),
        "EINVAL": _e("nfds exceeds RLIMIT_NOFILE, or ppoll's timeout is invalid"),
        "ENOMEM": _e("no memory for the file descriptor tables"),
    },
    "sockatmark(3)": {
        "EINVAL": _e("the fd is not a socket, or its protocol has no urgent data"),
        "ENOTTY": ("Linux answers ENOTTY for a UDP socket and for a non-socket, where sockatmark(3) "
                   "documents EINVAL", _sockatmark_udp),
        "EOPNOTSUPP": ("Linux answers EOPNOTSUPP for an AF_UNIX datagram socket",
                       _sockatmark_unix_dgram),
    },
    "ioctl(2)": {
        "EFAULT": _e("the argument is outside the process's memory"),
        "EINVAL": _e("the request or argument is not valid (SIOCINQ on a listening TCP socket, for one)"),
        "ENOTTY": _e("the request does not apply to this kind of file"),
    },
    "fcntl(2)": {
        "EINVAL": _e("cmd is not recognized, or F_DUPFD's argument is negative or too large"),
        "EMFILE": _e("F_DUPFD: the process has reached its limit of open file descriptors"),
    },
    "close(2)": {
        "EINTR": _e("interrupted by a signal; on Linux the fd is released anyway, so never close it again"),
        "EIO": _e("an I/O error occurred"),
    },
    "sendmmsg(2)": {
        "EINVAL": _e("vlen is too large, or a message is invalid; errors after the first message are reported "
                     "by returning the number sent, and the error surfaces on the next call"),
        "EMSGSIZE": _e("the first message is too large (msg_iovlen above UIO_MAXIOV, or a datagram too big)"),
    },
    "recvmmsg(2)": {
        "EINVAL": _e("the timeout is invalid"),
    },
    "read(2)": {
        "EAGAIN": _e("the fd is non-blocking (O_NONBLOCK) and nothing can be read now"),
        "EBADF": _e("the fd is not open for reading"),
        "EFAULT": _e("the buffer is outside the process's memory"),
        "EINTR": _e("a signal arrived before any data was read (rawsock does not retry)"),
        "EINVAL": _e("the fd cannot be read (an epoll fd, for one), or O_DIRECT alignment is wrong"),
        "EIO": _e("an I/O error, or a background process group reading its controlling terminal"),
        "EISDIR": _e("the fd refers to a directory"),
    },
    "write(2)": {
        "EAGAIN": _e("the fd is non-blocking (O_NONBLOCK) and the write would block (a full pipe, for one)"),
        "EBADF": _e("the fd is not open for writing"),
        "EDESTADDRREQ": _e("a datagram socket without a peer address"),
        "EDQUOT": _e("the user's disk quota is exhausted"),
        "EFAULT": _e("the buffer is outside the process's memory"),
        "EFBIG": _e("the file would exceed the maximum size, or the process's RLIMIT_FSIZE"),
        "EINTR": _e("a signal arrived before any data was written (rawsock does not retry)"),
        "EINVAL": _e("the fd cannot be written (an epoll fd, for one), or O_DIRECT alignment is wrong"),
        "EIO": _e("a low-level I/O error"),
        "ENOSPC": _e("no room left on the device"),
        "EPERM": _e("a file seal forbids it"),
        "EPIPE": _e("the reading end of the pipe or socket is closed; the process also gets SIGPIPE"),
    },
    "readv(2)": {
        "EINVAL": _e("the sum of the iov_len values overflows an ssize_t, or iovcnt is negative or above "
                     "IOV_MAX (1024)"),
    },
    "pipe(2)": {
        "EFAULT": _e("pipefd is outside the process's memory"),
        "EINVAL": _e("pipe2: invalid flags"),
        "EMFILE": _e("the process has reached its limit of open file descriptors"),
        "ENFILE": _e("the system-wide limit on open files, or the user's limit on pipe memory, has been reached"),
        "ENOPKG": _e("O_NOTIFICATION_PIPE without kernel support (CONFIG_WATCH_QUEUE)"),
    },
    "dup(2)": {
        "EBADF": _e("oldfd is not open, or newfd is out of range"),
        "EBUSY": _e("a race with open(2) or dup(2) on newfd (Linux)"),
        "EINTR": _e("closing newfd was interrupted by a signal"),
        "EINVAL": _e("dup3: invalid flags, or oldfd equals newfd"),
        "EMFILE": _e("the process has reached its limit of open file descriptors"),
    },
    "sendfile(2)": {
        "EAGAIN": _e("out_fd is non-blocking and the write would block"),
        "EBADF": _e("in_fd is not open for reading or out_fd not open for writing"),
        "EFAULT": _e("the offset is outside the process's memory"),
        "EINVAL": _e("in_fd cannot be mmap-read, or out_fd is opened with O_APPEND, or the offset is negative"),
        "EIO": _e("an error reading in_fd"),
        "ENOMEM": _e("not enough memory to read in_fd"),
        "EOVERFLOW": _e("count is too large: the operation would go past the largest file offset"),
        "ESPIPE": _e("an offset was given but in_fd is not seekable"),
    },
    "splice(2)": {
        "EAGAIN": _e("SPLICE_F_NONBLOCK was given (or a pipe is non-blocking) and the call would block"),
        "EBADF": _e("an fd is not open with the right mode"),
        "EINVAL": _e("neither fd is a pipe, or both refer to the same pipe, or a file system without splice, "
                     "or an fd opened for appending"),
        "ENOMEM": _e("out of memory"),
        "ESPIPE": _e("an offset was given for a pipe"),
    },
    "epoll_create(2)": {
        "EINVAL": _e("epoll_create1: invalid flags"),
        "EMFILE": _e("the process's limit of open fds, or the user's limit of epoll instances, was reached"),
        "ENFILE": _e("the system-wide limit on open files has been reached"),
        "ENOMEM": _e("not enough kernel memory"),
    },
    "epoll_ctl(2)": {
        "EBADF": _e("epfd or fd is not open"),
        "EEXIST": _e("EPOLL_CTL_ADD of an fd already registered"),
        "EINVAL": _e("epfd is not an epoll fd, or fd is epfd itself, or op is unknown, or EPOLLEXCLUSIVE where "
                     "it is not allowed"),
        "ELOOP": _e("the registration would make a loop of epoll instances, or nest them too deep"),
        "ENOENT": _e("EPOLL_CTL_MOD or EPOLL_CTL_DEL of an fd that is not registered"),
        "ENOMEM": _e("not enough memory"),
        "ENOSPC": _e("the user's limit of epoll watches (max_user_watches) was reached"),
        "EPERM": _e("the fd does not support epoll (a regular file or a directory)"),
        "EFAULT": _e("event is outside the process's memory (NULL for EPOLL_CTL_ADD or MOD)"),
    },
    "epoll_wait(2)": {
        "EBADF": _e("epfd is not open"),
        "EFAULT": _e("the events array is not writable"),
        "EINTR": _e("a signal arrived before any event or the timeout (rawsock does not retry)"),
        "EINVAL": _e("epfd is not an epoll fd, or maxevents is 0 or less (or above INT_MAX / 12), or "
                     "epoll_pwait2's timeout is invalid"),
    },
    "inet_pton(3)": {
        "EAFNOSUPPORT": _e("af is neither AF_INET nor AF_INET6"),
    },
    "inet_ntop(3)": {
        "EAFNOSUPPORT": _e("af is neither AF_INET nor AF_INET6"),
        "ENOSPC": _e("the text would not fit the destination buffer"),
    },
    "sigsetops(3)": {
        "EINVAL": _e("the number is not a valid signal (0, or above the last, or one glibc reserves)"),
    },
}

#: man pages whose ERRORS sections also apply to a call, beyond its own (its description's ``man``)
_ALSO: dict[str, tuple[str, ...]] = {"getpeername": ("getsockname(2)",), "sendmmsg": ("send(2)",),
                                     "recvmmsg": ("recv(2)",), "readv": ("read(2)",), "writev": ("write(2)",)}
#: the libc functions that report errors without a syscall description
_LIBC: dict[str, tuple[str, ...]] = {"inet_pton": ("inet_pton(3)",), "inet_ntop": ("inet_ntop(3)",),
                                     "sigaddset": ("sigsetops(3)",)}


#: the calls whose fd need not be a socket (ENOTSOCK is not theirs)
_ANY_FD = {"close", "fcntl", "ioctl", "read", "write", "readv", "writev"}
#: rawsock's functions that make another call's syscall
_HELPERS = {"send_fds": "sendmsg", "recv_fds": "recvmsg", "set_nonblocking": "fcntl"}


def _tables() -> tuple[dict[str, tuple[str, ...]], set[str], dict[str, str]]:
    from ._calls import CALLS as descriptions

    table: dict[str, tuple[str, ...]] = {}
    with_fd: set[str] = set()
    aliases = dict(_HELPERS)
    for call in descriptions:  # keyed as SyscallError.syscall names the call (recv for recv_into)
        table.setdefault(call.function, (call.man, *_ALSO.get(call.function, ())))
        if call.params and call.params[0].name == "fd":
            with_fd.add(call.function)
        if call.name != call.function:
            aliases[call.name] = call.function
    return {**table, **_LIBC}, with_fd, aliases


#: call name (as in SyscallError.syscall) -> the man pages whose ERRORS sections apply: from each call's
#: description in rawsock._calls; _WITH_FD: the calls taking an fd; ALIASES: rawsock's other names for them
#: (recv_into -> recv, send_fds -> sendmsg, ...)
CALLS, _WITH_FD, ALIASES = _tables()


def resolve(call: str) -> str:
    """The call whose errors ``call`` reports (``recv`` for ``recv_into``); KeyError for an unknown name."""
    name = ALIASES.get(call, call)
    if name not in CALLS:
        raise KeyError(f"unknown call {call!r}: one of {', '.join(sorted({*CALLS, *ALIASES}))}")
    return name


def errors(call: str) -> dict[str, list[Entry]]:
    """Every errno documented (or observed on Linux) for a call, by symbolic name, with what it means."""
    call = resolve(call)
    out: dict[str, list[Entry]] = {}
    for man in CALLS[call]:
        for name, (text, observe) in _TABLES[man].items():
            out.setdefault(name, []).append(Entry(text, man, observe))
        for observed_man, name, text, observe in _OBSERVED:
            if observed_man == man:
                out.setdefault(name, []).append(Entry(text, man, observe))
    if call in _WITH_FD:  # what any call on an fd can answer, where its man page does not say it
        out.setdefault("EBADF", [Entry(_COMMON["EBADF"][0], CALLS[call][0])])
        if call not in _ANY_FD:
            out.setdefault("ENOTSOCK", [Entry(_COMMON["ENOTSOCK"][0], CALLS[call][0])])
    return dict(sorted(out.items()))


def observed() -> list[tuple[str, str, Entry]]:
    """Every (man page, errno name, entry) that Linux returns although the man page does not list it."""
    found = [(man, name, Entry(text, man, observe)) for man, table in _TABLES.items()
             for name, (text, observe) in table.items() if observe is not None]
    found += [(man, name, Entry(text, man, observe)) for man, name, text, observe in _OBSERVED]
    return found


def _name(err: int | str) -> str:
    from ._constants import errno_name

    if isinstance(err, str):
        return err.upper()
    return errno_name(err)


def explain(call: str, err: int | str) -> str:
    """What ``err`` (a number or a name) means for ``call``, from the man page's ERRORS section, and the
    lessons that show it."""
    name = _name(err)
    if name == "EWOULDBLOCK":
        name = "EAGAIN"
    lines = []
    for entry in errors(call).get(name, []):
        tag = "not in the man page: observed on Linux" if entry.observed else f"{entry.man}, ERRORS"
        lines.append(f"{call}: {name} ({os.strerror(getattr(_errno, name))}): {entry.text} [{tag}]")
    if not lines:
        lines.append(f"{call}: {name} is not in {', '.join(CALLS[resolve(call)])}'s ERRORS section, nor among the "
                     "errnos rawsock has observed for it on Linux")
    lessons = _lessons_showing(name)
    if lessons:
        lines.append("Shown by: " + ", ".join(f"python -m rawsock demo {n}" for n in lessons))
    return "\n".join(lines)


def _lessons_showing(name: str) -> list[str]:
    from . import demos

    found = []
    for lesson in demos.LESSONS:
        expected = " ".join(demos.load(lesson).EXPECTED)
        if name in expected.replace("|", " ").split():
            found.append(lesson)
    return found
