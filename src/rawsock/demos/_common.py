"""Scaffolding shared by the lessons: loopback connections that close everything they open."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import rawsock


@contextlib.contextmanager
def tcp_connection() -> Iterator[tuple[rawsock.Socket, rawsock.Socket]]:
    """(client, server) ends of a TCP connection over 127.0.0.1; the listener is already closed."""
    with rawsock.Socket(rawsock.AF_INET, rawsock.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        client = rawsock.Socket(rawsock.AF_INET, rawsock.SOCK_STREAM)
        try:
            client.connect(listener.getsockname())
            server, _ = listener.accept()
        except BaseException:
            client.close()
            raise
    with client, server:
        yield client, server


def fill(sock: rawsock.Socket) -> int:
    """Send until the kernel says EAGAIN (the socket is left non-blocking); the bytes it took."""
    sock.set_nonblocking()
    total = 0
    try:
        while True:
            total += sock.send(b"f" * 65536)
    except BlockingIOError:
        return total


def errno_of(call: object) -> str:
    """The symbolic errno a zero-argument callable raised, or "ok"."""
    try:
        call()  # type: ignore[operator]
    except OSError as e:
        return rawsock.errno_name(e.errno)
    return "ok"
