"""Ping-pong over a stream: one end sends a message, the other receives all of it, in one thread.

One operation is one ``send`` of SIZE bytes on ``a`` plus ``recv`` calls on ``b`` until SIZE bytes have
arrived (a stream may return less than asked for: the loop is the same in every implementation, and in
pingpong.c).  Each implementation is one row of ``IMPLS``: its send, its first recv and its recv of the
rest, written the way a user writes them (one attribute lookup per call: ``a.send``, ``rs.send``,
``lib.send``).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from typing import NamedTuple

from _harness import CBench, Group, Namespace, PyBench, floor_module, rawsock_views, stream_pair

from rawsock import ffi, lib

TRANSPORTS = {"unix": "AF_UNIX socketpair", "tcp": "loopback TCP"}
SIZES = {"1 B": 1, "1 KiB": 1024, "64 KiB": 65536}


class Impl(NamedTuple):
    key: str  # pyperf name suffix
    label: str  # row label
    send: str
    recv: str  # the first recv: a byte count
    recv_more: str  # the recv of the rest, after n bytes
    ref: str | None  # the stdlib row this one is compared with
    sizes: tuple[str, ...] = tuple(SIZES)


STDLIB_INTO = "stdlib send+recv_into"
STDLIB_BYTES = "stdlib send+recv"
RAWSOCK_INTO = "rawsock send+recv_into"
RAWSOCK_BYTES = "rawsock send+recv"
RAW_LIB = "raw lib.send+lib.recv"
FLOOR = "floor: minimal C extension send+recv_into"

IMPLS = [
    Impl("stdlib-into", STDLIB_INTO, "a.send(msg)", "b.recv_into(buf)", "b.recv_into(view[n:])", None),
    Impl("stdlib-bytes", STDLIB_BYTES, "a.send(msg)", "len(b.recv(size))", "len(b.recv(size - n))", None),
    Impl("rawsock-into", RAWSOCK_INTO, "rs.send(fa, msg)", "rs.recv_into(fb, buf)", "rs.recv_into(fb, view[n:])",
         STDLIB_INTO),
    Impl("rawsock-bytes", RAWSOCK_BYTES, "rs.send(fa, msg)", "len(rs.recv(fb, size))",
         "len(rs.recv(fb, size - n))", STDLIB_BYTES),
    Impl("socket-into", "rawsock.Socket send+recv_into", "sa.send(msg)", "sb.recv_into(buf)",
         "sb.recv_into(view[n:])", STDLIB_INTO),
    Impl("socket-bytes", "rawsock.Socket send+recv", "sa.send(msg)", "len(sb.recv(size))",
         "len(sb.recv(size - n))", STDLIB_BYTES),
    Impl("raw", RAW_LIB, "lib.send(fa, msg, size, 0)", "lib.recv(fb, cbuf, size, 0)",
         "lib.recv(fb, cbuf + n, size - n, 0)", STDLIB_INTO),
    # diagnostic, 1 B only: the raw layer with lib's functions in locals (what the two `lib.` attribute
    # lookups per op cost)
    Impl("raw-local", "diag: raw, send=lib.send in a local", "c_send(fa, msg, size, 0)", "c_recv(fb, cbuf, size, 0)",
         "c_recv(fb, cbuf + n, size - n, 0)", STDLIB_INTO, ("1 B",)),
    # the floor of any Python-callable call (benchmarks/floor.c, built by run.py): what the interpreter, the
    # call and the GIL's release cost over the C loop
    Impl("floor", FLOOR, "fl.send(fa, msg, 0)", "fl.recv_into(fb, buf)", "fl.recv_into(fb, view[n:])", STDLIB_INTO,
         ("1 B",)),
]

BODY = """
{send}
n = {recv}
while n < size:
    n += {recv_more}
"""


@contextlib.contextmanager
def pingpong_fixture(transport: str, size: int) -> Iterator[Namespace]:
    with stream_pair(transport) as (a, b), rawsock_views(a, b) as ns:
        msg = b"x" * size
        buf = bytearray(size)
        view = memoryview(buf)
        # one untimed message: it must go in one send (a short blocking send would hang the loop)
        if a.send(msg) != size:
            raise RuntimeError(f"{transport}: a {size}-byte send was short")
        got = 0
        while got < size:
            got += b.recv_into(view[got:])
        ns.update(msg=msg, size=size, buf=buf, view=view, cbuf=ffi.new("char[]", size), c_send=lib.send,
                  c_recv=lib.recv, fl=floor_module())
        yield ns


def group() -> Group:
    g = Group(
        "pingpong",
        "Ping-pong: send + recv of one message, single thread",
        "One op: `send(msg)` on one end, then `recv` on the other until the whole message has arrived "
        "(loop identical in every implementation). AF_UNIX socketpair and loopback TCP (TCP_NODELAY on "
        "both ends), default buffer sizes, blocking sockets.",
    )
    for transport, tname in TRANSPORTS.items():
        for size_name, size in SIZES.items():
            case = f"{tname}, {size_name}"
            for impl in IMPLS:
                if size_name not in impl.sizes:
                    continue
                g.benchmarks.append(PyBench(
                    name=f"pingpong-{transport}-{size}-{impl.key}",
                    case=case,
                    impl=impl.label,
                    fixture=functools.partial(pingpong_fixture, transport, size),
                    body=BODY.format(send=impl.send, recv=impl.recv, recv_more=impl.recv_more),
                    ref=impl.ref,
                ))
            g.benchmarks.append(CBench(f"pingpong-{transport}-{size}-c", case, ("stream", transport, str(size))))
    return g
