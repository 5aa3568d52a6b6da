"""Datagrams: 64-byte UDP datagrams over loopback, sendto on one socket, recvfrom on the other.

One operation is one datagram: one ``sendto`` to the receiver's address and one ``recvfrom`` returning
the datagram and the sender's address.  The address argument is written as users write it: the
``(host, port)`` tuple for the standard library and rawsock, a ``SockaddrIn`` (what rawsock's
getsockname returns), or a ``RawSockaddr`` of the sockaddr bytes, which rawsock passes verbatim.  The batch rows send
BATCH datagrams with one sendmmsg and receive them with one recvmmsg; their figures are per datagram
(``inner=BATCH``), so they compare with the one-datagram rows directly.

To add a benchmark, add a row to ``IMPLS`` (and the names it needs to ``udp_fixture``).
"""

from __future__ import annotations

import contextlib
import functools
import socket
import struct
from collections.abc import Iterator

from _harness import CBench, Group, Namespace, PyBench, Skipped, rawsock_views, udp_pair

import rawsock
from rawsock import ffi

SIZE = 64
BATCH = 64
STDLIB = "stdlib sendto+recvfrom"
STDLIB_INTO = "stdlib sendto+recvfrom_into"

#: (pyperf name suffix, row label, loop body, compared with); the batch rows are in BATCH_IMPLS
IMPLS = [
    ("stdlib", STDLIB, "a.sendto(msg, addr)\nb.recvfrom(size)", None),
    ("stdlib-into", STDLIB_INTO, "a.sendto(msg, addr)\nb.recvfrom_into(buf)", None),
    ("rawsock-tuple", "rawsock sendto(addr tuple)+recvfrom", "rs.sendto(fa, msg, 0, addr)\nrs.recvfrom(fb, size)",
     STDLIB),
    ("rawsock-typed", "rawsock sendto(SockaddrIn)+recvfrom", "rs.sendto(fa, msg, 0, typed)\nrs.recvfrom(fb, size)",
     STDLIB),
    ("rawsock-bytes", "rawsock sendto(RawSockaddr)+recvfrom_into",
     "rs.sendto(fa, msg, 0, rawaddr)\nrs.recvfrom_into(fb, buf)", STDLIB_INTO),
    ("socket", "rawsock.Socket sendto(addr tuple)+recvfrom", "sa.sendto(msg, 0, addr)\nsb.recvfrom(size)", STDLIB),
    ("raw", "raw lib.sendto+lib.recvfrom",
     "lib.sendto(fa, msg, size, 0, to, tolen)\nfromlen[0] = fromsize\nlib.recvfrom(fb, cbuf, size, 0, frm, fromlen)",
     STDLIB_INTO),
]


#: (pyperf name suffix, row label, loop body, compared with, whether the API exists)
BATCH_IMPLS = [
    (f"rawsock-mmsg{BATCH}", f"rawsock sendmmsg+recvmmsg, batches of {BATCH}",
     f"rs.sendmmsg(fa, batch)\nrs.recvmmsg(fb, {BATCH}, size)", STDLIB,
     hasattr(rawsock, "sendmmsg") and hasattr(rawsock, "recvmmsg")),
]


@contextlib.contextmanager
def udp_fixture(size: int) -> Iterator[Namespace]:
    with udp_pair() as (a, b), rawsock_views(a, b) as ns:
        addr = b.getsockname()
        msg = b"x" * size
        typed = rawsock.getsockname(b.fileno())
        # struct sockaddr_in: the family (host order), the port (network order), the address, padding
        rawaddr = struct.pack("=H2s4s8x", socket.AF_INET, addr[1].to_bytes(2, "big"), socket.inet_aton(addr[0]))
        storage = ffi.new("struct sockaddr_storage *")
        ns.update(
            msg=msg, size=size, buf=bytearray(size), cbuf=ffi.new("char[]", size),
            addr=addr, typed=typed, rawaddr=rawsock.RawSockaddr.from_bytes(rawaddr),
            to=ffi.from_buffer("struct sockaddr *", rawaddr), tolen=len(rawaddr),
            storage=storage, frm=ffi.cast("struct sockaddr *", storage), fromsize=ffi.sizeof(storage[0]),
            fromlen=ffi.new("socklen_t *"), batch=[(msg, addr)] * BATCH,
        )
        yield ns


def group() -> Group:
    g = Group(
        "dgram",
        "Datagrams: UDP over loopback",
        f"One op: `sendto` of a {SIZE}-byte datagram to the other socket's address, then `recvfrom` of it "
        "(the sender's address decoded, except in the raw layer and C, which leave it in a sockaddr). "
        f"Batch rows: {BATCH} datagrams per sendmmsg and per recvmmsg, figures per datagram.",
    )
    case = f"UDP, {SIZE} B"
    fixture = functools.partial(udp_fixture, SIZE)
    for key, label, body, ref in IMPLS:
        g.benchmarks.append(PyBench(f"dgram-{SIZE}-{key}", case, label, fixture, body, ref))
    c_batch = f"C sendmmsg+recvmmsg, batches of {BATCH}"
    for key, label, body, ref, present in BATCH_IMPLS:
        if present:
            g.benchmarks.append(PyBench(f"dgram-{SIZE}-{key}", case, label, fixture, body, ref, inner=BATCH,
                                        c_ref=c_batch))
        else:
            g.benchmarks.append(Skipped(f"dgram-{SIZE}-{key}", case, label, "not in this rawsock", ref))
    g.benchmarks.append(CBench(f"dgram-{SIZE}-c", case, ("udp", str(SIZE), "1")))
    g.benchmarks.append(CBench(f"dgram-{SIZE}-c-mmsg{BATCH}", case, ("udp", str(SIZE), str(BATCH)), impl=c_batch))
    return g
