"""full-send-buffer (seed 000): a non-blocking sender fills the send and receive buffers of a peer that
never reads: send(2) returns EAGAIN; when the peer closes without reading, ECONNRESET, then EPIPE."""

from __future__ import annotations

import time
from typing import TextIO

import rawsock

TITLE = "non-blocking sends to a peer that never reads: EAGAIN, then ECONNRESET, then EPIPE"
SEED = "000_c82cdd21ad13fa96.txt"
MESSAGE_SIZE = 1024 * 1000
EXTRA_EAGAINS = 3
SENDS_AFTER_CLOSE = 3
#: (seconds since the first send, outcome, bytes sent, SIOCOUTQ) for each send of the last run: --plot draws it
timeline: list[tuple[float, str, int, int]] = []
_start = [0.0]
#: the successful sends (how many depends on the machine's buffer sizes) count once as "ok"
EXPECTED = ["ok", *["EAGAIN"] * (1 + EXTRA_EAGAINS), "ECONNRESET", "EPIPE", "EPIPE"]

SETUP = f"""\
Setup: a server listens on 127.0.0.1 and accepts one connection but never reads from it.  The client
makes its socket non-blocking (fcntl F_GETFL, F_SETFL | O_NONBLOCK) and sends {MESSAGE_SIZE}-byte messages.
Each send(2) copies what fits into the client's send buffer; the kernel moves it on into the
server's receive buffer, which nobody empties.  Then the server closes without reading.
"""

EXPLANATION = """\
What the kernel did (send(2), tcp(7)):
- While buffer space remained, send(2) on the non-blocking socket took what fit and returned how many
  bytes it queued, possibly fewer than asked ("partial send").
- Once both the client's send buffer and the server's receive buffer were full, send(2) returned -1
  with EAGAIN (EWOULDBLOCK): "the socket is marked nonblocking and the requested operation would block".
- The server closed a socket with unread data in its receive buffer, so its kernel answered with a RST
  instead of a FIN (RFC 2525; tcp(7)).  The client's next send(2) reported that pending error:
  ECONNRESET, "connection reset by peer".
- SIOCOUTQ (printed by strace as TIOCOUTQ, the same request number) shows the bytes sent but not yet
  acknowledged: it climbs while the peer's window fills, and stays put while send(2) says EAGAIN.
- The connection was then gone, so every later send(2) failed with EPIPE, "the local end has been shut
  down on a connection oriented socket".  send(2) would also raise SIGPIPE, but Python ignores SIGPIPE
  at startup, so the error comes back as EPIPE (MSG_NOSIGNAL gives the same without touching signals).
"""


def _send(out: TextIO, fd: int, data: bytes) -> str:
    """One send(2), summarised as ``send(fd, len, flags) = n``, then ioctl SIOCOUTQ (the bytes still queued;
    strace names the request TIOCOUTQ).  The symbolic errno name, or '' on success."""
    n = 0
    try:
        n = rawsock.send(fd, data, 0)
        line, result = f"send({fd}, {len(data)}, 0) = {n}", ""
    except OSError as e:
        result = rawsock.errno_name(e.errno)
        line = f"send({fd}, {len(data)}, 0) = -1 {result} ({e.strerror})"
    print(line, file=out)
    try:
        queued = rawsock.ioctl(fd, rawsock.SIOCOUTQ)
    except OSError:
        queued = 0  # after the reset the kernel may refuse: the trace shows its answer
    if not timeline:
        _start[0] = time.monotonic()
    timeline.append((time.monotonic() - _start[0], result, n, queued))
    return result


def steps(out: TextIO) -> list[str]:
    """The lesson's syscalls; its outcomes (successful sends collapsed into one "ok")."""
    collapsed: list[str] = []
    for outcome in run(out):
        outcome = outcome or "ok"
        if not (outcome == "ok" and collapsed[-1:] == ["ok"]):
            collapsed.append(outcome)
    return collapsed


def run(out: TextIO) -> list[str]:
    """The scenario, printing to ``out``; the sequence of outcomes ('' for success, else errno names)."""
    message = b"a" * MESSAGE_SIZE
    timeline.clear()
    outcomes: list[str] = []
    with rawsock.Socket(rawsock.AF_INET, rawsock.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(100)
        address = server.getsockname()
        with rawsock.Socket(rawsock.AF_INET, rawsock.SOCK_STREAM) as client:
            client.connect(address)
            conn, peer = server.accept()
            assert isinstance(peer, rawsock.SockaddrIn)
            print(f"server: accepted a connection from {peer.host}:{peer.port} and will never read", file=out)
            try:
                client.set_nonblocking()
                fd = client.fileno()
                while True:
                    outcomes.append(_send(out, fd, message))
                    if outcomes[-1]:
                        break
                for _ in range(EXTRA_EAGAINS):
                    outcomes.append(_send(out, fd, message))
            finally:
                print(f"server: close({conn.fileno()}) with unread data: its kernel sends RST", file=out)
                conn.close()
            for _ in range(SENDS_AFTER_CLOSE):
                outcomes.append(_send(out, fd, message))
    return outcomes
