"""Readiness: poll(2) with timeout 0 over 1,000 idle AF_UNIX socketpairs plus one ready one.

One operation is one poll call over 1,001 fds (POLLIN on one end of every pair; the last pair has a
byte waiting), returning the one ready fd.  rawsock's rows are slots: each runs when its API exists
(``rawsock.Poller``, a ``select.poll``-like object keeping its pollfd array in C; ``rawsock.poll``, a
function taking ``(fd, events)`` pairs and building the array on every call; ``lib.poll``, the raw
call on a preallocated ``struct pollfd[]``) and is otherwise skipped with a note.
"""

from __future__ import annotations

import contextlib
import functools
import select
import socket
from collections.abc import Iterator

from _harness import CBench, Group, Namespace, PyBench, Skipped, raise_nofile_limit

import rawsock
from rawsock import ffi, lib

NIDLE = 1000
STDLIB = "stdlib select.poll"


@contextlib.contextmanager
def poll_fixture(nidle: int) -> Iterator[Namespace]:
    raise_nofile_limit()
    with contextlib.ExitStack() as stack:
        pairs = []
        for _ in range(nidle + 1):
            a, b = socket.socketpair()
            stack.enter_context(a)
            stack.enter_context(b)
            pairs.append((a, b))
        pairs[-1][1].send(b"x")  # the last pair is ready
        fds = [a.fileno() for a, _ in pairs]
        poller = select.poll()
        for fd in fds:
            poller.register(fd, select.POLLIN)
        if len(poller.poll(0)) != 1:
            raise RuntimeError("expected exactly one ready fd")
        ns: Namespace = {"poller": poller, "pollfds": [(fd, select.POLLIN) for fd in fds], "rs": rawsock, "lib": lib}
        if hasattr(rawsock, "Poller"):
            rs_poller = rawsock.Poller()
            for fd in fds:
                rs_poller.register(fd, select.POLLIN)
            if len(rs_poller.poll(0)) != 1:
                raise RuntimeError("rawsock.Poller: expected exactly one ready fd")
            ns["rs_poller"] = rs_poller
        if hasattr(lib, "poll"):
            ns["cfds"] = ffi.new("struct pollfd[]", ns["pollfds"])
            ns["nfds"] = len(fds)
        yield ns


#: rawsock's rows: (pyperf name suffix, row label, loop body, whether the API exists)
RAWSOCK_SLOTS = [
    ("rawsock-poller", "rawsock Poller.poll", "rs_poller.poll(0)", hasattr(rawsock, "Poller")),
    ("rawsock-poll", "rawsock poll(pairs)", "rs.poll(pollfds, 0)", hasattr(rawsock, "poll")),
    ("raw", "raw lib.poll", "lib.poll(cfds, nfds, 0)", hasattr(lib, "poll")),
]


def group() -> Group:
    g = Group(
        "poll",
        "Readiness: poll over 1,000 idle socketpairs plus one ready",
        f"One op: one `poll` with timeout 0 over {NIDLE + 1} fds (POLLIN), exactly one of them ready.",
    )
    case = f"{NIDLE} idle + 1 ready"
    fixture = functools.partial(poll_fixture, NIDLE)
    g.benchmarks.append(PyBench("poll-stdlib", case, STDLIB, fixture, "poller.poll(0)"))
    for key, label, body, present in RAWSOCK_SLOTS:
        name = f"poll-{key}"
        if present:
            g.benchmarks.append(PyBench(name, case, label, fixture, body, STDLIB))
        else:
            g.benchmarks.append(Skipped(name, case, label, "rawsock.poll not implemented yet", STDLIB))
    g.benchmarks.append(CBench("poll-c", case, ("poll", str(NIDLE))))
    return g
