"""full-send-buffer (seed 000): a non-blocking sender fills the send and receive buffers of a peer that
never reads: send(2) returns EAGAIN; when the peer closes without reading, ECONNRESET, then EPIPE."""

from __future__ import annotations

from typing import TextIO

import rawsock

TITLE = "non-blocking sends to a peer that never reads: EAGAIN, then ECONNRESET, then EPIPE"
SEED = "000_c82cdd21ad13fa96.txt"
MESSAGE_SIZE = 1024 * 1000
EXTRA_EAGAINS = 3
SENDS_AFTER_CLOSE = 3

SETUP = """\
Setup: a server listens on 127.0.0.1 and accepts one connection but never reads from it.  The client
makes its socket non-blocking (fcntl F_GETFL, F_SETFL | O_NONBLOCK) and sends {size}-byte messages.
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
- The connection was then gone, so every later send(2) failed with EPIPE, "the local end has been shut
  down on a connection oriented socket".  send(2) would also raise SIGPIPE, but Python ignores SIGPIPE
  at startup, so the error comes back as EPIPE (MSG_NOSIGNAL gives the same without touching signals).
"""


def _send(out: TextIO, fd: int, data: bytes) -> str:
    """One send(2), printed in strace's notation; the symbolic errno name, or '' on success."""
    try:
        n = rawsock.send(fd, data, 0)
    except OSError as e:
        name = rawsock.errno_name(e.errno)
        print(f"send({fd}, {len(data)}, 0) = -1 {name} ({e.strerror})", file=out)
        return name
    print(f"send({fd}, {len(data)}, 0) = {n}", file=out)
    return ""


def run(out: TextIO) -> list[str]:
    """Run the lesson, printing to ``out``; the sequence of outcomes ('' for success, else errno names)."""
    print(SETUP.format(size=MESSAGE_SIZE), file=out)
    message = b"a" * MESSAGE_SIZE
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
    print(file=out)
    print(EXPLANATION, file=out, end="")
    return outcomes
