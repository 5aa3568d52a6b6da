"""udp-disconnect (seed 002): connect with AF_UNSPEC dissolves a UDP association."""

from __future__ import annotations

from typing import TextIO

import rawsock

from ._common import errno_of

TITLE = "connect(AF_UNSPEC) dissolves a datagram socket's association"
SEED = "002_438de8620777548f.txt"
EXPECTED = ["ok", "ok", "ok", "ENOTCONN", "EDESTADDRREQ"]  # the AF_UNSPEC connect itself must succeed

SETUP = """\
Setup: a UDP socket connects to another on 127.0.0.1, asks for its peer and sends without an address;
then it connects to an AF_UNSPEC address and tries both again.
"""

EXPLANATION = """\
What the kernel did (connect(2), udp(7)):
- connect on a datagram socket only records a default destination (and filters what is received): no
  packet is sent.  getpeername then answers, and send(2) without an address goes there.
- "Connectionless sockets may dissolve the association by connecting to an address with the sa_family
  member of sockaddr set to AF_UNSPEC": afterwards getpeername fails with ENOTCONN and a send without an
  address has no destination: EDESTADDRREQ.
"""


def steps(out: TextIO) -> list[str]:
    with rawsock.Socket(rawsock.AF_INET, rawsock.SOCK_DGRAM) as a, \
            rawsock.Socket(rawsock.AF_INET, rawsock.SOCK_DGRAM) as b:
        b.bind(("127.0.0.1", 0))
        peer = b.getsockname()
        outcomes = [errno_of(lambda: a.connect(peer)), errno_of(a.getpeername), errno_of(lambda: a.send(b"x"))]
        a.connect(rawsock.SockaddrUnspec())  # dissolve the association
        outcomes += [errno_of(a.getpeername), errno_of(lambda: a.send(b"y"))]
        return outcomes
