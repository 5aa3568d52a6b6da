"""reset-vs-broken-pipe (seed 003): when a dead connection reports ECONNRESET, and when EPIPE."""

from __future__ import annotations

import time
from typing import TextIO

import rawsock

from ._common import errno_of, tcp_connection

TITLE = "ECONNRESET when the peer resets an open connection, EPIPE once it is gone or half-closed"
SEED = "003_3a54e319448b568c.txt"
EXPECTED = ["ECONNRESET", "EPIPE", "eof", "ok", "EPIPE"]

SETUP = """\
Setup: two connections over 127.0.0.1.  (a) The client sends data the server never reads, then the
server closes: the client receives, then sends.  (b) The server closes with nothing unread: the client
reads the end of file, then sends twice.
"""

EXPLANATION = """\
What the kernel did (tcp(7), send(2), recv(2)):
- (a) Closing a socket with unread data makes the kernel send RST instead of FIN.  The RST hit a client in
  ESTABLISHED: its pending error became ECONNRESET, which the next call (recv) reported.  The connection
  was then closed, so the following send failed with EPIPE.
- (b) Closing with nothing unread sends FIN: the client's recv returned 0 (end of file) and its socket
  went to CLOSE_WAIT, from which sending is still allowed, so the first send succeeded.  That data reached
  a closed socket; the RST that came back found the client in CLOSE_WAIT, where Linux records EPIPE, not
  ECONNRESET: the next send failed with EPIPE.
The rule the seed's notes hint at: ECONNRESET is the first report of a reset on a connection you thought
open; EPIPE is every send on a connection that is shut down or already known dead.
"""

PAUSE = 0.05


def steps(out: TextIO) -> list[str]:
    outcomes: list[str] = []
    with tcp_connection() as (client, server):
        client.send(b"never read")
        time.sleep(PAUSE)
        server.close()
        outcomes.append(errno_of(lambda: client.recv(16)))
        outcomes.append(errno_of(lambda: client.send(b"x", rawsock.MSG_NOSIGNAL)))
    with tcp_connection() as (client, server):
        server.close()
        outcomes.append("eof" if client.recv(16) == b"" else "data")
        outcomes.append(errno_of(lambda: client.send(b"first", rawsock.MSG_NOSIGNAL)))
        time.sleep(PAUSE)
        outcomes.append(errno_of(lambda: client.send(b"second", rawsock.MSG_NOSIGNAL)))
    return outcomes
