"""nonblocking-connect (seed 002): EINPROGRESS, poll for POLLOUT, SO_ERROR for the outcome."""

from __future__ import annotations

from typing import TextIO

import rawsock

from ._common import errno_of

TITLE = "non-blocking connect: EINPROGRESS, wait for POLLOUT, read SO_ERROR"
SEED = "002_438de8620777548f.txt"
EXPECTED = ["EINPROGRESS", "POLLOUT", "SO_ERROR 0", "EINPROGRESS", "POLLOUT|POLLERR|POLLHUP", "SO_ERROR ECONNREFUSED"]

SETUP = """\
Setup: a non-blocking socket connects to a listening port on 127.0.0.1, then another to a port nothing
listens on.  Each time: connect, poll for POLLOUT, then getsockopt(SO_ERROR).
"""

EXPLANATION = """\
What the kernel did (connect(2) EINPROGRESS, poll(2), socket(7) SO_ERROR):
- A non-blocking connect cannot wait for the handshake: it returns -1 EINPROGRESS at once.
- "It is possible to select(2) or poll(2) for completion by selecting the socket for writing": the
  socket becomes writable when the attempt ends, successfully or not.
- Only SO_ERROR tells which: 0 for a connection, or the error (here ECONNREFUSED, from the RST answering
  the SYN).  A failed attempt also shows POLLERR and POLLHUP.  Reading SO_ERROR clears it.
"""


def _flags(revents: int) -> str:
    names = [n for n in ("POLLIN", "POLLOUT", "POLLERR", "POLLHUP") if revents & getattr(rawsock, n)]
    return "|".join(names)


def steps(out: TextIO) -> list[str]:
    outcomes: list[str] = []
    with rawsock.Socket(rawsock.AF_INET, rawsock.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listening = listener.getsockname()
        with rawsock.Socket(rawsock.AF_INET, rawsock.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
            closed = probe.getsockname()  # bound, never listening: connecting to it is refused
            for target in (listening, closed):
                with rawsock.Socket(rawsock.AF_INET, rawsock.SOCK_STREAM | rawsock.SOCK_NONBLOCK) as s:
                    outcomes.append(errno_of(lambda s=s, t=target: s.connect(t)))
                    [(_, revents)] = rawsock.poll([(s.fileno(), rawsock.POLLOUT)], 2000)
                    outcomes.append(_flags(revents))
                    err = s.getsockopt(rawsock.SOL_SOCKET, rawsock.SO_ERROR)
                    outcomes.append(f"SO_ERROR {rawsock.errno_name(err) if err else 0}")
    return outcomes
