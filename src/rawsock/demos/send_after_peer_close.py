"""send-after-peer-close (seed 001): why one send(2) still succeeds after the peer is gone, and the next
raises SIGPIPE."""

from __future__ import annotations

import os
import signal
import time
from typing import TextIO

import rawsock

from ._common import errno_of

TITLE = "the first send after the peer's exit succeeds; the next raises SIGPIPE (three ways to meet it)"
SEED = "001_e0faf55dae5ddd64.txt"
EXPECTED = ["ok", "killed by SIGPIPE", "ok", "EPIPE", "handler ran", "ok", "EPIPE", "no signal"]

SETUP = """\
Setup: a client connects over 127.0.0.1 to a server process (a child) that accepts the connection and
exits, with nothing unread, as the seed's server is stopped.  The client then sends twice, three times
over: (1) in a child process with SIGPIPE's default action, (2) with a Python handler for SIGPIPE,
(3) with MSG_NOSIGNAL.  (The server processes' own syscalls are not in this trace.)
"""

EXPLANATION = """\
What the kernel did (send(2), tcp(7), signal(7)):
- The server process's exit closed its socket, which sent a FIN: the client's socket went to CLOSE_WAIT and
  could still send.  The first
  send(2) only copied the data into the send buffer and succeeded: send(2) says nothing about delivery.
- The data reached a socket that no longer existed, so the peer's kernel answered with RST.  With the
  connection reset in CLOSE_WAIT, the next send(2) failed with EPIPE, and the kernel also sent SIGPIPE
  ("the local end has been shut down ... the process will also receive a SIGPIPE unless MSG_NOSIGNAL is
  set").
- (1) SIGPIPE's default action terminates the process: the child died by the signal, as the seed's C
  program would have without its handler.  (2) With a handler installed the signal is caught, the handler
  runs, and send(2) still returns EPIPE.  (3) MSG_NOSIGNAL suppresses the signal: only EPIPE remains.
  (Python itself starts with SIGPIPE ignored, which is why Python programs usually see just EPIPE.)
"""

PAUSE = 0.05  # time for the RST to come back before the second send


def _connected_after_peer_exit() -> rawsock.Socket:
    """A client socket whose peer, a server process, accepted it and exited (the kernel closed its fds)."""
    with rawsock.Socket(rawsock.AF_INET, rawsock.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        client = rawsock.Socket(rawsock.AF_INET, rawsock.SOCK_STREAM)
        client.connect(listener.getsockname())
        pid = os.fork()
        if pid == 0:  # the server process: accept, then exit
            try:
                rawsock.lib.accept(listener.fileno(), rawsock.ffi.NULL, rawsock.ffi.NULL)
            finally:
                os._exit(0)
    os.waitpid(pid, 0)
    return client


def _two_sends(client: rawsock.Socket, flags: int) -> list[str]:
    first = errno_of(lambda: client.send(b"are you here?", flags))
    time.sleep(PAUSE)
    return [first, errno_of(lambda: client.send(b"????", flags))]


def steps(out: TextIO) -> list[str]:
    outcomes: list[str] = []
    # (1) the default action, in a child process
    client = _connected_after_peer_exit()
    pid = os.fork()
    if pid == 0:  # the child: default SIGPIPE, two sends; it should die on the second
        try:
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)
            _two_sends(client, 0)
        finally:
            os._exit(0)
    client.close()
    _, status = os.waitpid(pid, 0)
    outcomes.append("ok")
    outcomes.append("killed by SIGPIPE" if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGPIPE
                    else f"child exited: status {status}")
    print(f"    child {pid}: {outcomes[-1]}", file=out)
    # (2) a Python handler, (3) MSG_NOSIGNAL
    caught: list[int] = []
    old = signal.signal(signal.SIGPIPE, lambda signum, frame: caught.append(signum))
    try:
        for flags in (0, rawsock.MSG_NOSIGNAL):
            with _connected_after_peer_exit() as client:
                outcomes += _two_sends(client, flags)
            signal.pthread_sigmask(signal.SIG_BLOCK, [])  # a bytecode boundary: pending handlers run
            outcomes.append("handler ran" if caught else "no signal")
            caught.clear()
    finally:
        signal.signal(signal.SIGPIPE, old)
    return outcomes
