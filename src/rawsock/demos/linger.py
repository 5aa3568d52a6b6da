"""linger (seed 004): what close(2) does with SO_LINGER off, {1, 0} and {1, N}."""

from __future__ import annotations

import time
from typing import TextIO

import rawsock

from ._common import errno_of, fill, tcp_connection

TITLE = "SO_LINGER: close sends FIN, or RST with {1, 0}, or blocks up to N seconds with {1, N}"
SEED = "004_30aebb7a35245579.txt"
LINGER_SECONDS = 1
EXPECTED = ["eof", "ECONNRESET", "close waited"]

SETUP = f"""\
Setup: three connections over 127.0.0.1; each time the server's side closes and the client reads.
(a) SO_LINGER off (the default).  (b) SO_LINGER {{1, 0}}.  (c) SO_LINGER {{1, {LINGER_SECONDS}}} on a
server whose unsent data cannot leave, because the client never reads and its buffers are full.
"""

EXPLANATION = f"""\
What the kernel did (socket(7) SO_LINGER, tcp(7)):
- (a) Off: close(2) returns at once and the kernel finishes the connection in the background with FIN;
  the client read end of file.
- (b) {{1, 0}}: close aborts the connection and sends RST, discarding unsent data; the client's recv got
  ECONNRESET.  (It also skips TIME_WAIT, which is why people misuse it.)
- (c) {{1, {LINGER_SECONDS}}}: close blocked until the queued data was acknowledged or the linger time ran
  out; here it ran out, after about {LINGER_SECONDS} s.  socket(7): "close(2) or shutdown(2) will not
  return until all queued messages for the socket have been successfully sent or the linger timeout
  has been reached."
"""


def steps(out: TextIO) -> list[str]:
    outcomes: list[str] = []
    with tcp_connection() as (client, server):
        server.close()
        outcomes.append("eof" if client.recv(16) == b"" else "data")
    with tcp_connection() as (client, server):
        server.setsockopt(rawsock.SOL_SOCKET, rawsock.SO_LINGER, rawsock.Linger(1, 0))
        server.close()
        outcomes.append(errno_of(lambda: client.recv(16)))
    with tcp_connection() as (client, server):
        fill(server)
        server.set_nonblocking(False)  # O_NONBLOCK would make close not wait
        server.setsockopt(rawsock.SOL_SOCKET, rawsock.SO_LINGER, rawsock.Linger(1, LINGER_SECONDS))
        start = time.monotonic()
        server.close()
        took = time.monotonic() - start
        print(f"    close(2) returned after {took:.2f} s", file=out)
        outcomes.append("close waited" if took >= LINGER_SECONDS * 0.9 else f"close returned in {took:.3f} s")
    return outcomes
