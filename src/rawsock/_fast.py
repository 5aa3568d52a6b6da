"""The hot paths in C: ``send``, ``recv`` and ``recv_into``, added to this module by the compiled binding
(see csrc/fastpath.py).  Same behaviour as the pure-Python implementations in rawsock._sys_socket, which they
hand over to while a tracer is active."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._binding import lib

if TYPE_CHECKING:
    from ._sys_socket import recv, recv_into, send
elif lib.rs_fast_install(__name__.encode()) != 0:  # pragma: no cover - the C side printed why
    raise ImportError("rawsock: installing the C fast paths failed")

__all__ = ["recv", "recv_into", "send"]
