"""The hot paths in C: send, recv, recv_into, sendto, recvfrom, recvfrom_into, sendmmsg, recvmmsg and poll, added
to this module by the compiled binding (see csrc/fastpath.py).  Same behaviour as the pure-Python
implementations in rawsock._sys_socket and rawsock._msg, which they hand over to while a tracer is active."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._binding import lib

if TYPE_CHECKING:
    from ._msg import recvmmsg, sendmmsg
    from ._select import poll
    from ._sys_socket import recv, recv_into, recvfrom, recvfrom_into, send, sendto
elif lib.rs_fast_install(__name__.encode()) != 0:  # pragma: no cover - the C side printed why
    raise ImportError("rawsock: installing the C fast paths failed")

__all__ = ["poll", "recv", "recv_into", "recvfrom", "recvfrom_into", "recvmmsg", "send", "sendmmsg", "sendto"]
