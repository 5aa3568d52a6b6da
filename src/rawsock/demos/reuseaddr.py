"""reuseaddr (seed 004): TIME_WAIT blocks a new bind until SO_REUSEADDR, set on both sockets."""

from __future__ import annotations

from typing import TextIO

import rawsock

from ._common import errno_of

TITLE = "after an active close the port is in TIME_WAIT: EADDRINUSE, unless SO_REUSEADDR is set on both sockets"
SEED = "004_30aebb7a35245579.txt"
EXPECTED = ["EADDRINUSE", "EADDRINUSE", "EADDRINUSE", "ok"]

SETUP = """\
Setup: twice, a server on 127.0.0.1 accepts a connection and closes it first (the active close), then
closes its listener, and a new socket binds the same port, without and then with SO_REUSEADDR.  The first
server did not set SO_REUSEADDR on its listener; the second did.
"""

EXPLANATION = """\
What the kernel did (socket(7) SO_REUSEADDR, tcp(7), bind(2) EADDRINUSE):
- The side that closes first keeps the connection in TIME_WAIT for 2*MSL (60 s on Linux), so that late
  segments of the old connection are not taken for a new one.  That connection still holds the port, and
  bind(2) failed with EADDRINUSE: the restart problem of every server.
- SO_REUSEADDR allows the bind, but on Linux only if the socket holding the port had it too: the TIME_WAIT
  connection inherits the setting of the listener it was accepted on.  With the first server (no
  SO_REUSEADDR) the new bind failed even with the option; with the second it succeeded.  This is why
  servers set SO_REUSEADDR on their listening socket before bind, every time they start.
"""


def _restart(old_reuse: bool) -> list[str]:
    with rawsock.Socket(rawsock.AF_INET, rawsock.SOCK_STREAM) as listener:
        if old_reuse:
            listener.setsockopt(rawsock.SOL_SOCKET, rawsock.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        address = listener.getsockname()
        with rawsock.Socket(rawsock.AF_INET, rawsock.SOCK_STREAM) as client:
            client.connect(address)
            server, _ = listener.accept()
            server.close()  # the server closes first: its side goes to TIME_WAIT
            client.recv(1)
    outcomes = []
    for reuse in (False, True):
        with rawsock.Socket(rawsock.AF_INET, rawsock.SOCK_STREAM) as again:
            if reuse:
                again.setsockopt(rawsock.SOL_SOCKET, rawsock.SO_REUSEADDR, 1)
            outcomes.append(errno_of(lambda again=again: again.bind(address)))
    return outcomes


def steps(out: TextIO) -> list[str]:
    return _restart(False) + _restart(True)
