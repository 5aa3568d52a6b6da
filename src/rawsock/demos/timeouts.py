"""timeouts (seed 003): SO_RCVTIMEO and SO_SNDTIMEO make blocking calls fail with EAGAIN."""

from __future__ import annotations

import time
from typing import TextIO

import rawsock

from ._common import errno_of, fill, tcp_connection

TITLE = "SO_RCVTIMEO and SO_SNDTIMEO: blocking calls give up with EAGAIN"
SEED = "003_3a54e319448b568c.txt"
TIMEOUT = rawsock.Timeval(0, 200_000)
EXPECTED = ["EAGAIN", "waited", "EAGAIN", "waited"]

SETUP = """\
Setup: a blocking connection over 127.0.0.1.  The client sets SO_RCVTIMEO to 0.2 s and calls recv with
nothing to read; then it fills the connection, makes its socket blocking again, sets SO_SNDTIMEO to
0.2 s and sends once more.
"""

EXPLANATION = """\
What the kernel did (socket(7) SO_RCVTIMEO/SO_SNDTIMEO, recv(2), send(2)):
- With a receive timeout, a blocking recv that gets no data fails with EAGAIN (EWOULDBLOCK) "just as if
  the socket was specified to be nonblocking", after the timeout has passed.
- With a send timeout, a blocking send that cannot queue anything fails the same way; had it queued some
  bytes before the timeout, it would have returned that partial count instead.
- The seed's notes list this among the reasons to see EAGAIN on a blocking socket.  The timeout is
  rounded up to the kernel's clock tick: getsockopt reads back the value actually used.
"""


def _timed(call: object) -> tuple[str, float]:
    start = time.monotonic()
    result = errno_of(call)
    return result, time.monotonic() - start


def steps(out: TextIO) -> list[str]:
    outcomes: list[str] = []
    wanted = TIMEOUT.to_seconds()
    with tcp_connection() as (client, _server):
        client.setsockopt(rawsock.SOL_SOCKET, rawsock.SO_RCVTIMEO, TIMEOUT)
        result, took = _timed(lambda: client.recv(16))
        outcomes += [result, "waited" if took >= wanted * 0.9 else f"returned after {took:.3f} s"]
        fill(client)
        client.set_nonblocking(False)
        client.setsockopt(rawsock.SOL_SOCKET, rawsock.SO_SNDTIMEO, TIMEOUT)
        result, took = _timed(lambda: client.send(b"x" * 65536))
        outcomes += [result, "waited" if took >= wanted * 0.9 else f"returned after {took:.3f} s"]
        print(f"    each call gave up after about {took:.2f} s", file=out)
    return outcomes
