"""signal-race (seed 002): the race pselect/ppoll close."""

from __future__ import annotations

import signal
import threading
from typing import TextIO

import rawsock

from ._common import errno_of

TITLE = "a signal just before a wait: lost until the timeout with poll, caught at once by ppoll's sigmask"
SEED = "002_438de8620777548f.txt"
EXPECTED = ["poll: timeout", "handler not run", "ppoll: EINTR", "handler ran"]

SETUP = """\
Setup: a program keeps SIGUSR1 blocked except while it waits, the way pselect(2)'s NOTES describe.  The
signal arrives just before the wait (it is sent while blocked, so it is pending).  First the wait is a
plain poll for 0.3 s; then it is ppoll with a sigmask that unblocks SIGUSR1 for the call only.
"""

EXPLANATION = """\
What the kernel did (pselect(2) NOTES, ppoll(2), sigprocmask(2)):
- To wait for "a signal or an fd" safely, a program blocks the signal and unblocks it only while it
  waits.  With a plain poll, unblocking and waiting are two calls: a signal landing between them (or,
  as here, still blocked during poll) is not seen, and poll sleeps its whole timeout.
- ppoll and pselect install the sigmask and wait in one atomic step: the pending SIGUSR1 was delivered
  the moment the call started, the wait ended with EINTR, and the Python handler ran.  Nothing retried.
"""


def steps(out: TextIO) -> list[str]:
    outcomes: list[str] = []
    caught: list[int] = []
    old = signal.signal(signal.SIGUSR1, lambda signum, frame: caught.append(signum))
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
    a, b = rawsock.socketpair(rawsock.AF_UNIX, rawsock.SOCK_STREAM)
    try:
        signal.pthread_kill(threading.get_ident(), signal.SIGUSR1)  # arrives just before the wait
        outcomes.append("poll: timeout" if rawsock.poll([(a, rawsock.POLLIN)], 300) == [] else "poll: ready")
        outcomes.append("handler ran" if caught else "handler not run")
        outcomes.append("ppoll: " + errno_of(lambda: rawsock.ppoll([(a, rawsock.POLLIN)], 5.0, sigmask=[])))
        signal.pthread_sigmask(signal.SIG_BLOCK, [])  # a bytecode boundary: Python runs its handler
        outcomes.append("handler ran" if caught else "handler not run")
    finally:
        rawsock.close(a)
        rawsock.close(b)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGUSR1])
        signal.signal(signal.SIGUSR1, old)
    return outcomes
