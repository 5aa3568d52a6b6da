"""recv-returns-zero (seed 003): an orderly close reads as 0; a half-close lets the other way go on."""

from __future__ import annotations

from typing import TextIO

import rawsock

from ._common import errno_of, tcp_connection

TITLE = "recv returns 0 at an orderly close; shutdown(SHUT_WR) half-closes"
SEED = "003_3a54e319448b568c.txt"
EXPECTED = ["eof", "ok", "data", "EPIPE", "eof"]

SETUP = """\
Setup: a connection over 127.0.0.1.  The client calls shutdown(SHUT_WR): the server reads, gets 0, and
still sends a reply, which the client reads.  The client then tries to send, and finally the server
closes and the client reads again.
"""

EXPLANATION = """\
What the kernel did (recv(2), shutdown(2), tcp(7)):
- recv(2) returning 0 is not an error: "the peer has performed an orderly shutdown" (a FIN arrived).
- shutdown(SHUT_WR) sends FIN but keeps the socket open for reading: the server saw end of file, yet its
  reply still reached the client.  This is the half-close of TCP.
- Sending after SHUT_WR fails with EPIPE (send(2): "the local end has been shut down").
- When the server closed too, the client's recv returned 0 again: both directions are now finished.
"""


def steps(out: TextIO) -> list[str]:
    with tcp_connection() as (client, server):
        client.shutdown(rawsock.SHUT_WR)
        outcomes = ["eof" if server.recv(16) == b"" else "data"]
        outcomes.append(errno_of(lambda: server.send(b"reply after your FIN")))
        outcomes.append("data" if client.recv(64) == b"reply after your FIN" else "?")
        outcomes.append(errno_of(lambda: client.send(b"x", rawsock.MSG_NOSIGNAL)))
        server.close()
        outcomes.append("eof" if client.recv(16) == b"" else "data")
    return outcomes
