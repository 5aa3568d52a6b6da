"""The error path: send(2) failing with EAGAIN on a full non-blocking AF_UNIX socketpair.

One operation is one 1-byte send that the kernel refuses, plus what the caller does to notice: catch
``BlockingIOError`` (stdlib, rawsock) or compare with -1 and read errno (raw layer, C).  The send end
is made non-blocking (O_NONBLOCK, through the stdlib's ``setblocking(False)``) and filled before timing;
nothing drains it, so every send fails.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from _harness import CBench, Group, Namespace, PyBench, fill, rawsock_views, stream_pair

CATCH = """
try:
    {call}
except BlockingIOError:
    pass
"""

STDLIB = "stdlib sock.send"

#: (pyperf name suffix, row label, loop body, compared with)
IMPLS = [
    ("stdlib", STDLIB, CATCH.format(call="a.send(one)"), None),
    ("rawsock", "rawsock send", CATCH.format(call="rs.send(fa, one)"), STDLIB),
    ("socket", "rawsock.Socket send", CATCH.format(call="sa.send(one)"), STDLIB),
    ("raw", "raw lib.send + ffi.errno", "if lib.send(fa, one, 1, 0) < 0:\n    err = ffi.errno", STDLIB),
]


@contextlib.contextmanager
def full_socket_fixture() -> Iterator[Namespace]:
    with stream_pair("unix") as (a, b), rawsock_views(a, b) as ns:
        fill(a)
        try:
            a.send(b"x")
        except BlockingIOError:
            pass
        else:
            raise RuntimeError("the socket is not full")
        ns["one"] = b"x"
        yield ns


def group() -> Group:
    g = Group(
        "eagain",
        "Error path: send on a full non-blocking socket (EAGAIN)",
        "One op: a 1-byte `send` on a full non-blocking AF_UNIX socketpair, failing with EAGAIN, and "
        "the caller noticing (`except BlockingIOError`, or `== -1` and errno for the raw layer and C).",
    )
    case = "AF_UNIX socketpair, full, 1 B"
    for key, label, body, ref in IMPLS:
        g.benchmarks.append(PyBench(f"eagain-{key}", case, label, full_socket_fixture, body, ref))
    g.benchmarks.append(CBench("eagain-c", case, ("eagain",)))
    return g
