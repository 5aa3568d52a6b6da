"""What the call engine (csrc/) asks of Python: the codecs that turn typed values into the bytes the kernel
gets and back, and the finishers that shape a call's result.  The engine looks each name up once, when
rawsock._syscalls installs it; nothing here makes a syscall.
"""

from __future__ import annotations

from . import _address, _fcntl, _io, _ioctl, _msg, _select, _sockopt, _time
from ._address import RawSockaddr
from ._constants import PollFlag
from ._msg import RecvMmsg, msg_flags
from ._pointer import BADPTR, NULL

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable

__all__ = [
    "BADPTR", "NULL", "PollFlag", "RawSockaddr", "RecvMmsg", "address_decode", "address_encode", "control_decode",
    "control_encode",
    "finish_bool", "finish_fcntl", "finish_ioctl", "finish_pselect", "finish_recvmsg", "finish_select",
    "finish_sendfile", "finish_sendmmsg", "finish_splice", "msg_flags", "sigset", "struct_decode", "struct_encode",
    "time_decode", "time_encode", "typed_in", "typed_out", "typed_out_spec",
]

address_encode = _address.encode
address_decode = _address.decode
control_encode = _msg.control_encode
control_decode = _msg.control_decode
time_encode = _time.encode
time_decode = _time.decode
sigset = _select.sigset
struct_encode = _io.struct_encode
struct_decode = _io.struct_decode

_IN: dict[str, Callable[..., Any]] = {
    "sockopt": _sockopt.value_in,
    "ioctl": lambda args, value, _extra: _ioctl.value_in(args, value),
    "fcntl": lambda args, value, _extra: _fcntl.value_in(args, value),
}
_OUT: dict[str, Callable[[Any, Any], Any]] = {
    "sockopt": _sockopt.value_out,
    "ioctl": _ioctl.value_out,
    "fcntl": _fcntl.value_out,
}


def typed_in(codec: str, args: tuple[int, ...], value: object, extra: object) -> tuple[int, object, int, object]:
    """(mode, payload, size, token) for a typed argument, from the syscall arguments before it."""
    return _IN[codec](args, value, extra)  # type: ignore[no-any-return]


def typed_out_spec(codec: str, args: tuple[int, ...], size: object, value: object = None) -> tuple[object, ...]:
    """(size, token) of the memory a typed out-argument needs (getsockopt's optval); for an option the kernel
    reads first, also (initial bytes, attached buffers) made from ``value``."""
    assert codec == "sockopt"
    return _sockopt.value_size(args, size, value)


def typed_out(codec: str, token: object, raw: bytes | None) -> object:
    """The typed value for what the kernel left in a typed argument's memory."""
    return _OUT[codec](token, raw)


finish_recvmsg = _msg.finish_recvmsg
finish_sendmmsg = _msg.finish_sendmmsg
finish_select = _select.finish_select
finish_pselect = _select.finish_pselect
finish_fcntl = _fcntl.finish
finish_ioctl = _ioctl.finish
finish_bool = bool
finish_sendfile = _io.finish_sendfile
finish_splice = _io.finish_splice
