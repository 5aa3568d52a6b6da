"""ioctl(2) for the int-valued socket requests, and sockatmark(3)."""

from __future__ import annotations

from ._binding import ffi, lib
from ._errors import error

__all__ = ["ioctl", "sockatmark"]

_rs_ioctl_int = lib.rs_ioctl_int
_rs_sockatmark = lib.rs_sockatmark


def ioctl(fd: int, request: int, arg: int = 0) -> int:
    """ioctl(2) with a pointer to an int holding ``arg``: the int the kernel left there.  One syscall.

    For the int-valued socket requests: FIONREAD/SIOCINQ (bytes waiting to be read), SIOCOUTQ (bytes in the
    send queue not yet acknowledged), SIOCATMARK (at the urgent mark), as in tcp(7) and udp(7).
    """
    value = ffi.new("int *", arg)
    r = _rs_ioctl_int(fd, request, value)
    if r < 0:
        raise error(r, "ioctl")
    return value[0]  # type: ignore[no-any-return]


def sockatmark(fd: int) -> bool:
    """sockatmark(3): whether the next byte to read is at the urgent (out-of-band) mark.  One syscall
    (glibc issues ioctl SIOCATMARK).  Linux answers ENOTTY for a socket without urgent data semantics (UDP)
    and for a non-socket, where sockatmark(3) documents EINVAL and EBADF/ENOTTY."""
    r = _rs_sockatmark(fd)
    if r < 0:
        raise error(r, "sockatmark")
    return bool(r == 1)
