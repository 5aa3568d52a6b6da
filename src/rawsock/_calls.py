"""Every call rawsock makes, described once: the models are syzkaller's ``sys/linux/socket.txt`` and strace's
syscall tables.

A description says, for one public function: its man page; its Python parameters (names, defaults, the
types the stub declares); the syscall it issues on this architecture; how each syscall argument is made
from the parameters (a :class:`Field`: an fd, a flags word drawn from a table, a buffer and its length, a
sockaddr in or out with its value-result length, a typed struct, a timeout, a signal mask, ...); and what
the function returns.  Everything else is derived from it:

- the C call engine's table (``csrc/build_rawsock.py`` generates it at build time): argument conversion,
  the syscall, errors, the result, the trace hook, the docstring;
- the tracer's decoding (``rawsock._trace``), the type stub (``tools/gen_stubs.py``), the keys of the
  ``errors``/``explain`` tables, and, later, the fuzzer's argument generation.

This module is plain data and imports nothing from rawsock, so that the build can load it on its own.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["CALLS", "Call", "Field", "Param", "REQUIRED", "by_name"]


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


#: the default of a parameter that has none
REQUIRED = _Required()


class Param(NamedTuple):
    """A Python parameter: its name, its default (``REQUIRED``, None, an int or ``()``), the annotation the
    type stub gives it, and whether it is keyword-only."""

    name: str
    default: object = REQUIRED
    annotation: str = "int"
    keyword_only: bool = False


class Field(NamedTuple):
    """One or more consecutive syscall arguments made from the Python parameters named in ``params``.

    ``kind`` is one of :data:`KINDS` (its width is the number of syscall arguments it fills); ``show`` says
    how strace prints an integer (``fd``, ``MSG`` flags, ``AF``, ...); ``ctype`` is an integer's C type or a
    struct's; ``value`` is a constant's value (a number or a C name); ``codec`` names the Python codec that
    turns a typed value into bytes and back (``rawsock._codecs``).
    """

    kind: str
    params: tuple[str, ...] = ()
    show: str = "int"
    ctype: str = "int"
    value: int | str | None = None
    codec: str | None = None


class Call(NamedTuple):
    """One public function: ``name(params)`` issues ``syscall(fields...)`` and returns ``result``.

    ``syscall`` lists the syscalls this function may issue with ``fields``, in order of preference: the build
    takes the first one the architecture has, else ``fallback`` (a syscall and its own fields: ppoll where
    there is no poll).  ``result``
    names what the function returns: ``None``, ``"ret"`` (the return value), ``"bool"`` or a tuple of
    ``"ret"`` and field indexes whose output is returned; ``finish`` names a codec that turns that into the
    final typed value.  ``nsyscalls`` is the number of syscalls one call makes (always one here: a call is one
    syscall).  ``c_name`` is the C function an error names and the ``errors``/``explain`` tables know it by,
    when it is not ``name`` (recv_into is recv's).  ``overloads`` are the type stub's extra signatures, where
    the result's type depends on a constant (getsockopt's option, ioctl's request, fcntl's command).
    ``new_fd``: the return value is a new file descriptor (socket, accept): if the result cannot be built
    (MemoryError, RecursionError), the engine closes it rather than lose it, as CPython's socket module does;
    the kinds that receive fds (fd_pair, msghdr_out, mmsg_out, fcntl_arg's F_DUPFD) close theirs likewise.
    """

    name: str
    man: str
    syscall: tuple[str, ...]
    params: tuple[Param, ...]
    fields: tuple[Field, ...]
    result: object
    returns: str
    doc: str
    finish: str | None = None
    fallback: tuple[str, tuple[Field, ...]] | None = None
    nsyscalls: int = 1
    c_name: str | None = None
    overloads: tuple[str, ...] = ()
    new_fd: bool = False

    @property
    def function(self) -> str:
        """The C function the call is (an error's ``.syscall``; the explain tables' key)."""
        return self.c_name or self.name


#: field kinds: name -> (number of syscall arguments, what it is)
KINDS: dict[str, tuple[int, str]] = {
    "int": (1, "an integer parameter (``ctype``: int, unsigned, long, size_t, short), range-checked for its C type"),
    "const": (1, "a fixed argument (``value``: a number or a C constant's name)"),
    "buf_in": (2, "a bytes-like parameter: its address and length (no copy)"),
    "buf_out": (2, "a new buffer of ``size`` bytes for the kernel to write: its address and size"),
    "buf_into": (2, "a writable buffer parameter and the byte count (``nbytes``, 0: all of it)"),
    "sockaddr_in": (2, "an address parameter encoded as a sockaddr, and its length (or ``addrlen``)"),
    "sockaddr_out": (2, "a sockaddr_storage for the kernel to fill, and its value-result socklen_t"),
    "int_out": (1, "an int the kernel writes (sockatmark's answer)"),
    "fd_pair": (1, "int[2] the kernel fills with two new fds"),
    "msghdr_in": (1, "a struct msghdr gathering buffers, control messages and a destination"),
    "msghdr_out": (1, "a struct msghdr scattering into a new buffer (or writable buffers), with control space"),
    "mmsg_in": (2, "a struct mmsghdr array built from a list of messages, and its length"),
    "mmsg_out": (2, "a struct mmsghdr array of ``vlen`` receive slots, and ``vlen``"),
    "fdsets": (4, "nfds and the three fd_set bitmaps of select/pselect, sized to nfds"),
    "time": (1, "a timeval/timespec parameter (seconds or the typed value; None: NULL), value-result"),
    "sigmask": (2, "a signal set parameter (None: NULL) and the kernel's sigsetsize"),
    "sigdata": (1, "pselect6's {sigset, sigsetsize} pair for a signal set parameter"),
    "pollfds": (2, "a struct pollfd array built from (fd, events) pairs, and its length"),
    "timeout_ms": (1, "a poll timeout in milliseconds (None: -1; a float is rounded up, as select.poll does)"),
    "optval_in": (2, "a socket option's value, typed by (level, optname), and its optlen"),
    "optval_out": (2, "room for a socket option's value, typed by (level, optname), and its value-result optlen"),
    "ioctl_arg": (1, "ioctl's argument, typed by the request"),
    "fcntl_arg": (1, "fcntl's argument, typed by the command"),
    "iovec": (2, "a struct iovec array over bytes-like parameters (writable ones: ``ctype`` into), and its count"),
    "offset": (1, "a loff_t parameter the kernel reads and advances (None: NULL), value-result"),
    "struct_in": (1, "a struct the kernel reads, encoded by ``codec`` (``value``: its C size; None: NULL)"),
    "struct_array_out": (2, "an array of a count parameter's structs for the kernel to fill (``value``: one's C "
                            "size; ``codec`` decodes those filled), and the count as given"),
}

_FD = Field("int", ("fd",), "fd")
_FLAGS_MSG = Field("int", ("flags",), "MSG", "unsigned")
_NULL = Field("const", value=0, show="NULL")
_P_FD = Param("fd")
_P_FLAGS = Param("flags", 0)
_ADDRESS = "AddressLike | Pointer"
#: ``nbytes`` of a call whose data is a bytes-like parameter: the length the kernel is told
_NBYTES = Param("nbytes", None, "int | None", True)
_PTR_DOC = ("  ``BADPTR`` or ``NULL`` (rawsock.Pointer) may stand for any pointer argument: passed as is, its lengths "
            "as given.")
_ADDRLEN = Param("addrlen", None, "int | None")
#: epoll_wait's array given as a pointer
_EVENTS = Param("events", None, "Pointer | None", True)
#: recvmsg's pointers for msg_name, msg_control and the whole msghdr
_MSG_OUT_PTRS = (Param("name", None, "Pointer | None", True), Param("control", None, "Pointer | None", True),
                 Param("msghdr", None, "Pointer | None", True))
_IOV_DOC = ("  An entry BADPTR or NULL, or a (BADPTR or NULL, length) pair, is an iovec with that base (and length) "
            "as given; ``buffers`` BADPTR or NULL passes that pointer for the array.  ``iovcnt`` (keyword) is passed "
            "as given up to the number of buffers, or where the kernel refuses it first (negative, above "
            "UIO_MAXIOV); with a pointer, any value.")
_MSG_DOC = ("``buffers``, ``ancdata`` and ``addr`` may each be BADPTR or NULL (msg_iov, msg_control, msg_name as "
            "given; an entry of ``buffers`` may be one too, or a (pointer, length) pair), with ``iovlen``, "
            "``controllen`` and ``namelen`` (keywords) as given (0 by default); with buffers and ancdata, "
            "``iovlen`` is at most their number (or above UIO_MAXIOV) and ``controllen`` at most the control "
            "bytes (or above INT_MAX).  ``msghdr`` (keyword) BADPTR or NULL passes that pointer for the whole "
            "struct msghdr.")
_MSG_OUT_DOC = ("``name``, ``control`` and ``msghdr`` (keywords) BADPTR or NULL pass that pointer for msg_name "
                "(msg_namelen: ``namelen``), msg_control (msg_controllen: ``ancbufsize``, as given) or the whole "
                "struct msghdr; ``iovlen`` (keyword) is msg_iovlen, at most the number of buffers.")
#: an out-address's two pointers: ``addr`` (None: rawsock's sockaddr_storage), ``addrlen`` (None: its size)
_OUT_ADDR = (Param("addr", None, "Pointer | None", True), Param("addrlen", None, "int | Pointer | None", True))
_OUT_ADDR_DOC = ("  ``addr`` (keyword) BADPTR or NULL passes that pointer for the address (the address returned is "
                 "then None); ``addrlen`` (keyword) is the length the kernel is told (any int: it never writes "
                 "more than its own address, and refuses a negative one), or BADPTR or NULL for the socklen_t "
                 "pointer.")


def _c(name: str, man: str, syscall: str | tuple[str, ...], params: tuple[Param, ...], fields: tuple[Field, ...],
       result: object, returns: str, doc: str, **kw: object) -> Call:
    return Call(name, man, (syscall,) if isinstance(syscall, str) else syscall, params, fields, result, returns,
                doc, **kw)  # type: ignore[arg-type]


CALLS: tuple[Call, ...] = (
    # --- socket(2) and the connection lifecycle ------------------------------------------------------------
    _c("socket", "socket(2)", "socket",
       (Param("domain"), Param("type"), Param("protocol", 0)),
       (Field("int", ("domain",), "AF"), Field("int", ("type",), "SOCK_TYPE"), Field("int", ("protocol",), "PROTO")),
       "ret", "int",
       "A new socket's file descriptor.  ``type`` is passed as given, so SOCK_CLOEXEC is set only if the caller "
       "asks for it.", new_fd=True),
    _c("socketpair", "socketpair(2)", "socketpair",
       (Param("domain"), Param("type"), Param("protocol", 0), Param("sv", None, "Pointer | None", True)),
       (Field("int", ("domain",), "AF"), Field("int", ("type",), "SOCK_TYPE"), Field("int", ("protocol",)),
        Field("fd_pair", ("sv",))),
       (3,), "tuple[int, int]",
       "Two connected sockets' file descriptors.  ``sv`` (keyword): BADPTR or NULL passes that pointer for the "
       "int[2] instead of rawsock's (the kernel's EFAULT)."),
    _c("bind", "bind(2)", "bind",
       (_P_FD, Param("addr", annotation=_ADDRESS), _ADDRLEN),
       (_FD, Field("sockaddr_in", ("addr", "addrlen"))),
       None, "None",
       "``addrlen`` defaults to the address's own length; any other value up to the buffer's size goes to the "
       "kernel as given."),
    _c("listen", "listen(2)", "listen",
       (_P_FD, Param("backlog")),
       (_FD, Field("int", ("backlog",))),
       None, "None",
       "``backlog`` is passed as given, negative too (the kernel clamps it)."),
    _c("accept", "accept(2)", "accept",
       (_P_FD, *_OUT_ADDR),
       (_FD, Field("sockaddr_out", ("addr", "addrlen"))),
       ("ret", 1), "tuple[int, Address | None]",
       "The new connection's fd and the peer address the kernel wrote (addrlen sizeof(struct "
       "sockaddr_storage) in, the kernel's out).  No getsockname()." + _OUT_ADDR_DOC,
       fallback=("accept4", (_FD, Field("sockaddr_out", ("addr", "addrlen")),
                             Field("const", value=0, show="SOCK_FLAGS"))), new_fd=True,
       overloads=("(fd: int, *, addr: None = None, addrlen: int | Pointer | None = None) -> tuple[int, Address]",
                  "(fd: int, *, addr: Pointer, addrlen: int | Pointer | None = None) -> tuple[int, None]")),
    _c("accept4", "accept(2)", "accept4",
       (_P_FD, _P_FLAGS, *_OUT_ADDR),
       (_FD, Field("sockaddr_out", ("addr", "addrlen")), Field("int", ("flags",), "SOCK_FLAGS")),
       ("ret", 1), "tuple[int, Address | None]",
       "accept4 with ``flags`` (SOCK_NONBLOCK, SOCK_CLOEXEC, or anything else, for the kernel to judge) "
       "passed as given." + _OUT_ADDR_DOC, new_fd=True,
       overloads=("(fd: int, flags: int = 0, *, addr: None = None, addrlen: int | Pointer | None = None) -> "
                  "tuple[int, Address]",
                  "(fd: int, flags: int = 0, *, addr: Pointer, addrlen: int | Pointer | None = None) -> "
                  "tuple[int, None]")),
    _c("connect", "connect(2)", "connect",
       (_P_FD, Param("addr", annotation=_ADDRESS), _ADDRLEN),
       (_FD, Field("sockaddr_in", ("addr", "addrlen"))),
       None, "None",
       "EINPROGRESS on a non-blocking socket is raised, not waited for (BlockingIOError with errno "
       "EINPROGRESS)."),
    _c("shutdown", "shutdown(2)", "shutdown",
       (_P_FD, Param("how")),
       (_FD, Field("int", ("how",), "SHUT")),
       None, "None",
       "``how`` is passed as given."),
    _c("getsockname", "getsockname(2)", "getsockname",
       (_P_FD, *_OUT_ADDR),
       (_FD, Field("sockaddr_out", ("addr", "addrlen"))),
       (1,), "Address | None",
       "The socket's own address, decoded with the addrlen the kernel returned (no further than the length "
       "given)." + _OUT_ADDR_DOC,
       overloads=("(fd: int, *, addr: None = None, addrlen: int | Pointer | None = None) -> Address",
                  "(fd: int, *, addr: Pointer, addrlen: int | Pointer | None = None) -> None")),
    _c("getpeername", "getpeername(2)", "getpeername",
       (_P_FD, *_OUT_ADDR),
       (_FD, Field("sockaddr_out", ("addr", "addrlen"))),
       (1,), "Address | None",
       "The peer's address, as getsockname decodes its own." + _OUT_ADDR_DOC,
       overloads=("(fd: int, *, addr: None = None, addrlen: int | Pointer | None = None) -> Address",
                  "(fd: int, *, addr: Pointer, addrlen: int | Pointer | None = None) -> None")),
    # --- send(2), recv(2) ------------------------------------------------------------------------------------
    _c("send", "send(2)", "sendto",
       (_P_FD, Param("data", annotation="Buffer | Pointer"), _P_FLAGS, _NBYTES),
       (_FD, Field("buf_in", ("data", "nbytes")), _FLAGS_MSG, _NULL, Field("const", value=0)),
       "ret", "int",
       "The number of bytes the kernel took.  ``data`` is any bytes-like object, passed without a copy; "
       "``nbytes`` (keyword) is the length the kernel is told: at most the buffer's (default: all of it), or "
       "any value with BADPTR or NULL (default 0)."),
    _c("sendto", "send(2)", "sendto",
       (_P_FD, Param("data", annotation="Buffer | Pointer"), Param("flags"), Param("addr", annotation=_ADDRESS),
        _ADDRLEN, _NBYTES),
       (_FD, Field("buf_in", ("data", "nbytes")), _FLAGS_MSG, Field("sockaddr_in", ("addr", "addrlen"))),
       "ret", "int",
       "sendto to ``addr``: the number of bytes the kernel took (``nbytes`` as for send)." + _PTR_DOC),
    _c("recv", "recv(2)", "recvfrom",
       (_P_FD, Param("bufsize"), _P_FLAGS),
       (_FD, Field("buf_out", ("bufsize",)), _FLAGS_MSG, _NULL, _NULL),
       (1,), "bytes",
       "The bytes received into a new buffer of ``bufsize`` bytes; the syscall is made even for a zero "
       "``bufsize``.  Under MSG_TRUNC the kernel may report more than ``bufsize``: the bytes returned are those "
       "that fit (recv_into returns the kernel's count)."),
    _c("recv_into", "recv(2)", "recvfrom",
       (_P_FD, Param("buffer", annotation="Buffer | Pointer"), Param("nbytes", 0), _P_FLAGS),
       (_FD, Field("buf_into", ("buffer", "nbytes")), _FLAGS_MSG, _NULL, _NULL),
       "ret", "int",
       "recv into a writable buffer (``nbytes`` 0: all of it): the kernel's return value as is, which under "
       "MSG_TRUNC is the full datagram length.  With BADPTR or NULL for ``buffer``, ``nbytes`` goes to the kernel "
       "as given.", c_name="recv"),
    _c("recvfrom", "recv(2)", "recvfrom",
       (_P_FD, Param("bufsize"), _P_FLAGS, *_OUT_ADDR),
       (_FD, Field("buf_out", ("bufsize",)), _FLAGS_MSG, Field("sockaddr_out", ("addr", "addrlen"), ctype="nullable")),
       (1, 3), "tuple[bytes, Address | None]",
       "The bytes and the sender's address (None when the kernel returned addrlen 0, as on a connected "
       "stream)." + _OUT_ADDR_DOC),
    _c("recvfrom_into", "recv(2)", "recvfrom",
       (_P_FD, Param("buffer", annotation="Buffer | Pointer"), Param("nbytes", 0), _P_FLAGS, *_OUT_ADDR),
       (_FD, Field("buf_into", ("buffer", "nbytes")), _FLAGS_MSG,
        Field("sockaddr_out", ("addr", "addrlen"), ctype="nullable")),
       ("ret", 3), "tuple[int, Address | None]",
       "recvfrom into a writable buffer: the kernel's return value and the sender's address.", c_name="recvfrom"),
    # --- sendmsg(2), recvmsg(2), sendmmsg(2), recvmmsg(2) ---------------------------------------------------
    _c("sendmsg", "send(2)", "sendmsg",
       (_P_FD, Param("buffers", annotation="Sequence[Buffer | IovPointer] | Buffer | Pointer"),
        Param("ancdata", (), "Iterable[CmsgValue | tuple[int, int, Buffer]] | Pointer"), _P_FLAGS,
        Param("addr", None, "AddressLike | Pointer | None"), Param("namelen", None, "int | None", True),
        Param("iovlen", None, "int | None", True), Param("controllen", None, "int | None", True),
        Param("msghdr", None, "Pointer | None", True)),
       (_FD, Field("msghdr_in", ("buffers", "ancdata", "addr", "namelen", "iovlen", "controllen", "msghdr")),
        _FLAGS_MSG),
       "ret", "int",
       "Gather ``buffers`` (bytes-like, not copied) with ancillary data (typed values or (level, type, data) "
       "triples), to ``addr`` if given.  ``namelen`` (keyword) is msg_namelen as given, even without an "
       "address: the name is copied into a zeroed sockaddr_storage, of which the kernel reads at most all.  "
       + _MSG_DOC),
    _c("recvmsg", "recv(2)", "recvmsg",
       (_P_FD, Param("bufsize"), Param("ancbufsize", 0), _P_FLAGS, Param("namelen", None, "int | None", True),
        Param("iovlen", None, "int | None", True), *_MSG_OUT_PTRS),
       (_FD, Field("msghdr_out", ("bufsize", "ancbufsize", "namelen", "iovlen", "name", "control", "msghdr")),
        _FLAGS_MSG),
       ("ret", 1), "RecvMsg",
       "Receive into one buffer of ``bufsize`` bytes and a control buffer of ``ancbufsize`` bytes.  Unpacks "
       "like the standard library's (data, ancdata, msg_flags, address); ``.cmsgs`` holds the control "
       "messages typed.  ``namelen`` (keyword) is msg_namelen as given (default sizeof(struct "
       "sockaddr_storage)); the address is decoded from what the kernel wrote, no more than that.  Every fd that "
       "arrived through SCM_RIGHTS is returned, and closed if decoding fails.  " + _MSG_OUT_DOC,
       finish="recvmsg"),
    _c("recvmsg_into", "recv(2)", "recvmsg",
       (_P_FD, Param("buffers", annotation="Sequence[Buffer | IovPointer] | Pointer"), Param("ancbufsize", 0),
        _P_FLAGS, Param("namelen", None, "int | None", True), Param("iovlen", None, "int | None", True),
        *_MSG_OUT_PTRS),
       (_FD, Field("msghdr_out", ("buffers", "ancbufsize", "namelen", "iovlen", "name", "control", "msghdr"),
                   ctype="into"), _FLAGS_MSG),
       ("ret", 1), "RecvMsg",
       "recvmsg scattering into writable buffers: ``data`` is the kernel's return value as is (the full "
       "length under MSG_TRUNC).  ``buffers`` BADPTR or NULL passes that pointer for msg_iov, with ``iovlen``.",
       finish="recvmsg", c_name="recvmsg"),
    _c("sendmmsg", "sendmmsg(2)", "sendmmsg",
       (_P_FD, Param("messages", annotation="Sequence[Message] | Pointer"), _P_FLAGS,
        Param("vlen", None, "int | None", True)),
       (_FD, Field("mmsg_in", ("messages", "vlen")), _FLAGS_MSG),
       ("ret", 1), "Sent",
       "Send a batch: each message is bytes-like, or a (buffers, addr) tuple where buffers is a list or tuple "
       "of bytes-like objects (or one of them) and addr may be None.  A tuple message is always that pair: "
       "``(b'hdr', b'body')`` sends b'hdr' to the AF_UNIX path 'body'; two buffers and no address are "
       "``([b'hdr', b'body'], None)``.  Returns how many messages the kernel sent (a partial batch is reported "
       "as is), an int whose ``msg_lens`` are the kernel's msg_len of each message sent.  ``messages`` BADPTR or NULL "
       "passes that pointer for msgvec, with ``vlen`` (keyword) as given; with messages, ``vlen`` is at most "
       "their number (the kernel reads min(vlen, UIO_MAXIOV) entries).", finish="sendmmsg"),
    _c("recvmmsg", "recvmmsg(2)", "recvmmsg",
       (_P_FD, Param("vlen"), Param("bufsize", annotation="int | Sequence[int]"), _P_FLAGS,
        Param("timeout", None, "TimespecLike | Pointer | None"),
        Param("ancbufsize", 0), Param("msgvec", None, "Pointer | None", True)),
       (_FD, Field("mmsg_out", ("vlen", "bufsize", "ancbufsize", "msgvec")), _FLAGS_MSG,
        Field("time", ("timeout",), ctype="timespec", codec="timespec")),
       (1,), "list[RecvMmsg]",
       "Up to ``vlen`` messages of up to ``bufsize`` bytes each (or a sequence of ``vlen`` sizes, one per "
       "message).  ``timeout`` (a Timespec or seconds; None: "
       "NULL) is recvmmsg's own, checked only after each datagram arrives (see the man page's BUGS).  The kernel "
       "fills as many of the ``vlen`` entries as datagrams arrive (unlike sendmmsg, it has no UIO_MAXIOV cap), so "
       "rawsock allocates all ``vlen`` of them, with ``bufsize`` and ``ancbufsize`` bytes each, and passes "
       "``vlen`` as given: a MemoryError when they cannot be allocated.  ``msgvec`` (keyword) BADPTR or NULL passes "
       "that pointer for the array instead, ``vlen`` as given (negative too)."),
    # --- getsockopt(2), setsockopt(2) ------------------------------------------------------------------------
    _c("getsockopt", "getsockopt(2)", "getsockopt",
       (_P_FD, Param("level"), Param("optname"), Param("buflen", None, "int | None"),
        Param("optval", None, "Pointer | None", True), Param("optlen", None, "Pointer | None", True),
        Param("value", None, "TcpZerocopyReceive | None", True)),
       (_FD, Field("int", ("level",), "SOL"), Field("int", ("optname",), "OPTNAME"),
        Field("optval_out", ("buflen", "optval", "optlen", "value"), codec="sockopt")),
       (3,), "OptionValue | None",
       "Without ``buflen``: the option's typed value (see OPTIONS; an int for options not in the table, or the "
       "bytes when the kernel wrote other than an int's size).  With ``buflen``: optlen is ``buflen`` (passed as "
       "given, negative too) and the result is the raw bytes the kernel wrote, cut to the optlen it returned.  "
       "``optval`` (keyword) BADPTR or NULL passes that pointer for the value (optlen: ``buflen``, 0 if None) and "
       "``optlen`` (keyword) BADPTR or NULL passes that pointer for the socklen_t; the result is then None.  "
       "``value`` (keyword) is the input of an option the kernel reads before it writes: TCP_ZEROCOPY_RECEIVE's "
       "TcpZerocopyReceive, whose copybuf and msg_control buffers rawsock allocates.",
       overloads=("(fd: int, level: int, optname: _Opt[_OV], buflen: None = None, *, "
                  "value: TcpZerocopyReceive | None = None) -> _OV",
                  "(fd: int, level: int, optname: int, buflen: int) -> bytes",
                  "(fd: int, level: int, optname: int, buflen: int | None = None, *, "
                  "value: TcpZerocopyReceive | None = None) -> OptionValue")),
    _c("setsockopt", "getsockopt(2)", "setsockopt",
       (_P_FD, Param("level"), Param("optname"),
        Param("value", annotation="OptionValue | bytearray | memoryview | float | Pointer"),
        Param("optlen", None, "int | None")),
       (_FD, Field("int", ("level",), "SOL"), Field("int", ("optname",), "OPTNAME"),
        Field("optval_in", ("value", "optlen"), codec="sockopt")),
       None, "None",
       "``value``: an int (or bool), a Linger, a Timeval (or seconds, for the timeval options), a Ucred, a "
       "str, or bytes passed verbatim, or BADPTR or NULL (with ``optlen`` as given; 0 by default, which the "
       "kernel refuses before it reads: pass the option's size to reach its EFAULT).  ``optlen`` defaults to the "
       "value's size; any other value goes to the kernel as given.  A typed value is zero-padded to a larger "
       "``optlen`` (up to 64 KiB); bytes are not (an optlen past them is a ValueError: the kernel would read past "
       "the buffer)."),
    # --- fcntl(2), close(2), ioctl(2) -------------------------------------------------------------------------
    _c("fcntl", "fcntl(2)", "fcntl",
       (_P_FD, Param("cmd"), Param("arg", 0, "FcntlArg")),
       (_FD, Field("int", ("cmd",), "FCNTL_CMD"), Field("fcntl_arg", ("arg",), codec="fcntl")),
       ("ret", 2), "FcntlResult",
       "The int commands (F_GETFL, F_SETFL, F_GETFD, F_SETFD, F_DUPFD, F_GETOWN, ...) take an int and return "
       "the kernel's return value (F_GETOWN: a process group below 4096 comes back as an error, as fcntl(2)'s "
       "BUGS says; F_GETOWN_EX does not have that problem).  The struct commands take and return their typed "
       "value: a Flock for F_GETLK, F_SETLK, F_SETLKW and the F_OFD_* locks, an FOwnerEx for "
       "F_GETOWN_EX/F_SETOWN_EX (the result is the struct the kernel left).  A command rawsock does not know takes "
       "0 (passed as is), bytes (copied into at least 1024 bytes; the result is as many bytes as given) or a "
       "writable buffer (passed by address if it holds 1024 bytes, else copied in and back).",
       finish="fcntl", overloads=("(fd: int, cmd: _Fcntl[_FR], arg: FcntlArg = 0) -> _FR",)),
    _c("close", "close(2)", "close",
       (_P_FD,),
       (_FD,),
       None, "None",
       "Never retried (on Linux the fd is released even when EINTR is raised)."),
    _c("ioctl", "ioctl(2)", "ioctl",
       (_P_FD, Param("request"), Param("arg", 0, "IoctlArg")),
       (_FD, Field("int", ("request",), "IOCTL_REQ", "unsigned long"), Field("ioctl_arg", ("arg",), codec="ioctl")),
       ("ret", 2), "IoctlResult",
       "The int requests (FIONREAD/SIOCINQ, SIOCOUTQ, SIOCOUTQNSD, SIOCATMARK, FIONBIO) take and return an "
       "int, as in tcp(7) and udp(7); SIOCGSTAMP returns a Timeval and SIOCGSTAMPNS a Timespec (socket(7)); the "
       "SIOCGIF*/SIOCSIF* requests take and return an Ifreq (netdevice(7)).  A request rawsock does not know "
       "takes 0 (passed as is), bytes (copied into at least 1024 bytes, as CPython's fcntl.ioctl does, or the "
       "size the request number encodes if larger; the result is as many bytes as given) or a writable buffer "
       "(passed by address if it holds that much, else copied in and back).  Such a request's struct may hold a "
       "count or a pointer the kernel writes by (FS_IOC_FIEMAP): the caller answers for those.  SIOCGIFCONF "
       "takes an Ifconf (or its ifc_len as an int): rawsock owns ifc_buf.  Any request takes BADPTR or NULL, "
       "passed as is.",
       finish="ioctl", overloads=("(fd: int, request: _Ioctl[_IR], arg: IoctlArg = 0) -> _IR",)),
    _c("sockatmark", "sockatmark(3)", "ioctl",
       (_P_FD,),
       (_FD, Field("const", value="SIOCATMARK", show="IOCTL_REQ", ctype="unsigned long"), Field("int_out")),
       (2,), "bool",
       "Whether the next byte to read is at the urgent (out-of-band) mark: glibc's sockatmark, an ioctl "
       "SIOCATMARK.  Linux answers ENOTTY for a socket without urgent data semantics (UDP) and for a "
       "non-socket, where sockatmark(3) documents EINVAL and EBADF/ENOTTY.",
       finish="bool"),
    # --- read(2), write(2), readv(2), writev(2) ---------------------------------------------------------------
    _c("read", "read(2)", "read",
       (_P_FD, Param("count")),
       (_FD, Field("buf_out", ("count",))),
       (1,), "bytes",
       "The bytes read into a new buffer of ``count`` bytes (b'' at end of file); the syscall is made even for a "
       "zero ``count``."),
    _c("read_into", "read(2)", "read",
       (_P_FD, Param("buffer", annotation="Buffer | Pointer"), Param("nbytes", 0)),
       (_FD, Field("buf_into", ("buffer", "nbytes"))),
       "ret", "int",
       "read into a writable buffer (``nbytes`` 0: all of it): the kernel's return value.", c_name="read"),
    _c("write", "write(2)", "write",
       (_P_FD, Param("data", annotation="Buffer | Pointer"), _NBYTES),
       (_FD, Field("buf_in", ("data", "nbytes"))),
       "ret", "int",
       "The number of bytes the kernel took (a short count is returned as is).  ``data`` is any bytes-like "
       "object, passed without a copy; ``nbytes`` (keyword) as for send."),
    _c("readv", "readv(2)", "readv",
       (_P_FD, Param("buffers", annotation="Sequence[Buffer | IovPointer] | Buffer | Pointer"),
        Param("iovcnt", None, "int | None", True)),
       (_FD, Field("iovec", ("buffers", "iovcnt"), ctype="into")),
       "ret", "int",
       "Scatter into writable buffers (one iovec each, iovcnt their number): the kernel's return value." + _IOV_DOC),
    _c("writev", "readv(2)", "writev",
       (_P_FD, Param("buffers", annotation="Sequence[Buffer | IovPointer] | Buffer | Pointer"),
        Param("iovcnt", None, "int | None", True)),
       (_FD, Field("iovec", ("buffers", "iovcnt"))),
       "ret", "int",
       "Gather bytes-like buffers (not copied; one iovec each): the number of bytes the kernel took." + _IOV_DOC),
    # --- pipe(2), dup(2) ------------------------------------------------------------------------------------
    _c("pipe", "pipe(2)", "pipe",
       (),
       (Field("fd_pair"),),
       (0,), "tuple[int, int]",
       "A new pipe: (read end, write end).  Where the architecture has no pipe syscall (aarch64, riscv64) it is "
       "pipe2 with flags 0, as glibc does.",
       fallback=("pipe2", (Field("fd_pair"), Field("const", value=0, show="O_FLAGS")))),
    _c("pipe2", "pipe(2)", "pipe2",
       (Param("flags", 0),),
       (Field("fd_pair"), Field("int", ("flags",), "O_FLAGS")),
       (0,), "tuple[int, int]",
       "pipe with ``flags`` (O_CLOEXEC, O_NONBLOCK, O_DIRECT, O_NOTIFICATION_PIPE, or anything else, for the "
       "kernel to judge) passed as given."),
    _c("dup", "dup(2)", "dup",
       (Param("oldfd"),),
       (Field("int", ("oldfd",), "fd"),),
       "ret", "int",
       "A new fd for the same open file: the lowest free one, without FD_CLOEXEC.", new_fd=True),
    _c("dup3", "dup(2)", "dup3",
       (Param("oldfd"), Param("newfd"), Param("flags", 0)),
       (Field("int", ("oldfd",), "fd"), Field("int", ("newfd",), "fd"), Field("int", ("flags",), "O_FLAGS")),
       "ret", "int",
       "Make ``newfd`` a copy of ``oldfd``, closing what ``newfd`` was first (silently, as dup3 does); "
       "``flags`` (O_CLOEXEC) passed as given.  Returns ``newfd``."),
    # --- sendfile(2), splice(2) ----------------------------------------------------------------------------------
    _c("sendfile", "sendfile(2)", ("sendfile64", "sendfile"),
       (Param("out_fd"), Param("in_fd"), Param("offset", annotation="int | Pointer | None"), Param("count")),
       (Field("int", ("out_fd",), "fd"), Field("int", ("in_fd",), "fd"),
        Field("offset", ("offset",), ctype="loff_t"), Field("int", ("count",), ctype="size_t")),
       ("ret", 2), "SendfileResult",
       "Copy up to ``count`` bytes from ``in_fd`` to ``out_fd`` in the kernel.  ``offset`` None passes NULL (the "
       "kernel reads from in_fd's own offset and advances it); an int is read from there, and the result's "
       "``offset`` is where the kernel left it.", finish="sendfile"),
    _c("splice", "splice(2)", "splice",
       (Param("fd_in"), Param("off_in", annotation="int | Pointer | None"), Param("fd_out"),
        Param("off_out", annotation="int | Pointer | None"), Param("length"), Param("flags", 0)),
       (Field("int", ("fd_in",), "fd"), Field("offset", ("off_in",), ctype="loff_t"),
        Field("int", ("fd_out",), "fd"), Field("offset", ("off_out",), ctype="loff_t"),
        Field("int", ("length",), ctype="size_t"), Field("int", ("flags",), "SPLICE_F", "unsigned")),
       ("ret", 1, 3), "SpliceResult",
       "Move up to ``length`` bytes between two fds, one of them a pipe.  Each offset None passes NULL; an int "
       "is where to start in that (non-pipe) fd, and the result has it as the kernel left it.",
       finish="splice"),
    # --- epoll(7) ------------------------------------------------------------------------------------------------
    _c("epoll_create", "epoll_create(2)", "epoll_create",
       (Param("size"),),
       (Field("int", ("size",)),),
       "ret", "int",
       "A new epoll instance's fd; ``size`` is passed as given (the kernel refuses 0 or less with EINVAL, and "
       "ignores it otherwise).  Where the architecture has no epoll_create syscall (aarch64, riscv64) it is "
       "epoll_create1(0), which has no size to check.", new_fd=True,
       fallback=("epoll_create1", (Field("const", value=0, show="EPOLL_FLAGS"),))),
    _c("epoll_create1", "epoll_create(2)", "epoll_create1",
       (Param("flags", 0),),
       (Field("int", ("flags",), "EPOLL_FLAGS"),),
       "ret", "int",
       "A new epoll instance's fd; ``flags`` (EPOLL_CLOEXEC) passed as given.", new_fd=True),
    _c("epoll_ctl", "epoll_ctl(2)", "epoll_ctl",
       (Param("epfd"), Param("op"), _P_FD, Param("event", None, "EpollEventLike | Pointer | None")),
       (Field("int", ("epfd",), "fd"), Field("int", ("op",), "EPOLL_CTL"), _FD,
        Field("struct_in", ("event",), value="sizeof(struct epoll_event)", codec="epoll_event")),
       None, "None",
       "Add (EPOLL_CTL_ADD), change (EPOLL_CTL_MOD) or remove (EPOLL_CTL_DEL) ``fd``'s registration.  ``event`` "
       "is an EpollEvent or an (events, data) pair; None passes NULL (which EPOLL_CTL_DEL allows)."),
    _c("epoll_wait", "epoll_wait(2)", "epoll_wait",
       (Param("epfd"), Param("maxevents"), Param("timeout_ms", None, "float | None"), _EVENTS),
       (Field("int", ("epfd",), "fd"),
        Field("struct_array_out", ("maxevents", "events"), value="sizeof(struct epoll_event)", codec="epoll_event"),
        Field("timeout_ms", ("timeout_ms",))),
       (1,), "list[EpollEvent]",
       "The events the kernel returned, at most ``maxevents`` (passed as given: 0 or less is the kernel's "
       "EINVAL).  ``timeout_ms`` None is -1 (block); a float is rounded up, as select.epoll does.  ``events`` "
       "(keyword) BADPTR or NULL passes that pointer for the array, ``maxevents`` as given.  Where the "
       "architecture has no epoll_wait syscall (aarch64, riscv64) it is epoll_pwait with a NULL mask, as glibc "
       "does.",
       fallback=("epoll_pwait", (Field("int", ("epfd",), "fd"),
                                 Field("struct_array_out", ("maxevents", "events"), value="sizeof(struct epoll_event)",
                                       codec="epoll_event"),
                                 Field("timeout_ms", ("timeout_ms",)), _NULL, Field("const", value="(_NSIG / 8)")))),
    _c("epoll_pwait", "epoll_wait(2)", "epoll_pwait",
       (Param("epfd"), Param("maxevents"), Param("timeout_ms", None, "float | None"),
        Param("sigmask", None, "Iterable[int] | Pointer | None"), _EVENTS),
       (Field("int", ("epfd",), "fd"),
        Field("struct_array_out", ("maxevents", "events"), value="sizeof(struct epoll_event)", codec="epoll_event"),
        Field("timeout_ms", ("timeout_ms",)), Field("sigmask", ("sigmask",))),
       (1,), "list[EpollEvent]",
       "epoll_wait with ``sigmask`` (signal numbers; None: NULL) installed atomically for the call."),
    _c("epoll_pwait2", "epoll_wait(2)", "epoll_pwait2",
       (Param("epfd"), Param("maxevents"), Param("timeout", None, "TimespecLike | Pointer | None"),
        Param("sigmask", None, "Iterable[int] | Pointer | None"), _EVENTS),
       (Field("int", ("epfd",), "fd"),
        Field("struct_array_out", ("maxevents", "events"), value="sizeof(struct epoll_event)", codec="epoll_event"),
        Field("time", ("timeout",), ctype="timespec", codec="timespec"), Field("sigmask", ("sigmask",))),
       (1,), "list[EpollEvent]",
       "epoll_pwait with a Timespec timeout (or seconds; None: NULL, block): the kernel reads it and does not "
       "write it back."),
    # --- select(2), pselect(2), poll(2), ppoll(2) --------------------------------------------------------------
    _c("select", "select(2)", ("_newselect", "select"),
       (Param("rlist", annotation="Sequence[FileDescriptorLike] | Pointer | None"),
        Param("wlist", annotation="Sequence[FileDescriptorLike] | Pointer | None"),
        Param("xlist", annotation="Sequence[FileDescriptorLike] | Pointer | None"),
        Param("timeout", None, "TimevalLike | Pointer | None"), Param("nfds", None, "int | None", True)),
       (Field("fdsets", ("rlist", "wlist", "xlist", "nfds")),
        Field("time", ("timeout",), ctype="timeval", codec="timeval")),
       ("ret", 0, 1), "SelectResult",
       "The lists hold fds (ints or objects with fileno()); None passes a NULL set.  ``timeout`` is seconds, a "
       "Timeval, or None (NULL: block).  ``nfds`` defaults to the highest fd + 1; any value (0, too small, "
       "negative) goes to the kernel as given, the bitmaps being sized so the kernel never reads past them.  "
       "The result's ``timeout`` is the timeval after the call: Linux writes the time not slept back into it.  "
       "The syscall is select itself where the architecture has it (x86-64 does; glibc's select() issues "
       "pselect6 there), _newselect on i386, and pselect6 where neither exists (aarch64, riscv64).",
       finish="select",
       fallback=("pselect6", (Field("fdsets", ("rlist", "wlist", "xlist", "nfds")),
                              Field("time", ("timeout",), ctype="timeval_as_timespec", codec="timeval"), _NULL))),
    _c("pselect", "select(2)", "pselect6",
       (Param("rlist", annotation="Sequence[FileDescriptorLike] | Pointer | None"),
        Param("wlist", annotation="Sequence[FileDescriptorLike] | Pointer | None"),
        Param("xlist", annotation="Sequence[FileDescriptorLike] | Pointer | None"),
        Param("timeout", None, "TimespecLike | Pointer | None"),
        Param("sigmask", None, "Iterable[int] | Pointer | None"),
        Param("nfds", None, "int | None", True)),
       (Field("fdsets", ("rlist", "wlist", "xlist", "nfds")),
        Field("time", ("timeout",), ctype="timespec", codec="timespec"),
        Field("sigdata", ("sigmask",))),
       ("ret", 0, 1), "SelectResult",
       "One pselect6 syscall, made as glibc's pselect() makes it.  ``sigmask`` (signal numbers) is installed "
       "atomically as the whole mask for the duration of the call: an empty iterable unblocks every signal, "
       "None (NULL) leaves the mask alone.  The kernel writes the remaining time back into its copy of the "
       "timeout, so the result's ``timeout`` is always the value given (POSIX's pselect never modifies it).",
       finish="pselect"),
    _c("poll", "poll(2)", "poll",
       (Param("fds", annotation="Sequence[tuple[int, int]] | Pointer"), Param("timeout_ms", None, "float | None"),
        Param("nfds", None, "int | None", True)),
       (Field("pollfds", ("fds", "nfds")), Field("timeout_ms", ("timeout_ms",))),
       (0,), "list[tuple[int, int]]",
       "The (fd, revents) pairs the kernel marked, in the order given (POLLNVAL included).  ``timeout_ms`` "
       "None is -1 (block); a float is rounded up to whole milliseconds, as select.poll does; any int goes to "
       "the kernel as given.  ``nfds`` (keyword; default: the number of pairs) is the kernel's unsigned int "
       "(-1 is 2**32 - 1), passed as given up to the number of pairs, or at 2**31 and above (past any "
       "RLIMIT_NOFILE: the kernel's EINVAL); with BADPTR or NULL for ``fds``, any value.  Where the architecture "
       "has no poll syscall (aarch64, riscv64) it is ppoll with the timeout as a timespec, as glibc does.",
       fallback=("ppoll", (Field("pollfds", ("fds", "nfds")), Field("timeout_ms", ("timeout_ms",), ctype="timespec"),
                           _NULL, Field("const", value=0)))),
    _c("ppoll", "poll(2)", "ppoll",
       (Param("fds", annotation="Sequence[tuple[int, int]] | Pointer"),
        Param("timeout", None, "TimespecLike | Pointer | None"),
        Param("sigmask", None, "Iterable[int] | Pointer | None"),
        Param("nfds", None, "int | None", True)),
       (Field("pollfds", ("fds", "nfds")), Field("time", ("timeout",), ctype="timespec", codec="timespec"),
        Field("sigmask", ("sigmask",))),
       (0,), "list[tuple[int, int]]",
       "poll with a Timespec (or seconds; None blocks) and a signal mask installed atomically for the call, "
       "made as glibc makes it: the kernel writes the remaining time into rawsock's copy of the timeout, never "
       "into the caller's.  A negative timespec reaches the kernel (EINVAL)."),
)

#: name -> description
by_name: dict[str, Call] = {c.name: c for c in CALLS}


def param_index(call: Call, name: str) -> int:
    """The position of a parameter in a call's signature."""
    for i, p in enumerate(call.params):
        if p.name == name:
            return i
    raise KeyError(f"{call.name}: no parameter {name!r}")


#: the engine's limits (csrc/rawsock.h: RS_MAXPARAMS, RS_MAXFIELDS, a field's p[8], a call's result[4])
MAX_PARAMS, MAX_FIELDS, MAX_FIELD_PARAMS, MAX_RESULTS = 12, 6, 8, 4


def check() -> None:
    """Consistency of the descriptions, and the engine's limits (used by the build and the tests)."""
    for call in CALLS:
        names = [p.name for p in call.params]
        assert len(set(names)) == len(names), call.name
        assert len(call.params) <= MAX_PARAMS, call.name
        if isinstance(call.result, tuple):
            assert 1 <= len(call.result) <= MAX_RESULTS, call.name
        keyword_only = [p.keyword_only for p in call.params]
        assert keyword_only == sorted(keyword_only), f"{call.name}: a positional parameter after a keyword-only one"
        assert all(p.default is not REQUIRED for p in call.params if p.keyword_only), call.name
        for fields in (call.fields, call.fallback[1] if call.fallback else ()):
            width = sum(KINDS[f.kind][0] for f in fields)
            assert width <= 6, (call.name, width)
            assert len(fields) <= MAX_FIELDS, call.name
            for f in fields:
                assert len(f.params) <= MAX_FIELD_PARAMS, (call.name, f)
                for name in f.params:
                    param_index(call, name)
                if f.kind == "int":  # the engine reads an int field's parameter without a test
                    assert f.params and f.params[0], (call.name, f)
        seen_default = False
        for p in call.params:
            if p.keyword_only:
                continue
            if p.default is REQUIRED:
                assert not seen_default, f"{call.name}: required {p.name} after a default"
            else:
                seen_default = True
