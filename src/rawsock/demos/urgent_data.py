"""urgent-data (seed 004): MSG_OOB, the mark and sockatmark(3), SO_OOBINLINE."""

from __future__ import annotations

from typing import TextIO

import rawsock

from ._common import tcp_connection

TITLE = "MSG_OOB: reads stop at the mark, sockatmark says when you are there; SO_OOBINLINE"
SEED = "004_30aebb7a35245579.txt"
EXPECTED = ["not at mark", "normal", "at mark", "!", "normal", "at mark", "!"]

SETUP = """\
Setup: twice, a client sends "normal" and then the byte "!" with MSG_OOB.  The first receiver reads the
urgent byte out of band; the second has SO_OOBINLINE set and reads it in the stream.
"""

EXPLANATION = """\
What the kernel did (tcp(7) "Sockets API", send(2) MSG_OOB, recv(2) MSG_OOB, sockatmark(3)):
- TCP carries one byte of urgent data: the last byte sent with MSG_OOB.  The receiver is told (POLLPRI,
  SIGURG) and the stream gets a mark where that byte was.
- A normal read stops at the mark, even with more data available.  sockatmark(3) (ioctl SIOCATMARK) is
  false before the mark and true once the next byte to read is the mark.
- Without SO_OOBINLINE the urgent byte is read with recv(MSG_OOB); with it, the byte stays in the stream
  and a plain recv returns it.
"""


def steps(out: TextIO) -> list[str]:
    outcomes: list[str] = []
    for inline in (False, True):
        with tcp_connection() as (client, server):
            if inline:
                server.setsockopt(rawsock.SOL_SOCKET, rawsock.SO_OOBINLINE, 1)
            client.send(b"normal")
            client.send(b"!", rawsock.MSG_OOB)
            rawsock.poll([(server.fileno(), rawsock.POLLPRI)], 2000)
            if not inline:
                outcomes.append("at mark" if server.sockatmark() else "not at mark")
            outcomes.append(server.recv(100).decode())
            outcomes.append("at mark" if server.sockatmark() else "not at mark")
            urgent = server.recv(1) if inline else server.recv(1, rawsock.MSG_OOB)
            outcomes.append(urgent.decode())
    return outcomes
