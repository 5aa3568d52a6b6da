"""select-timeout (seed 002): Linux writes the time left into select's timeval; pselect does not; and fds
above FD_SETSIZE."""

from __future__ import annotations

import os
import resource
import select as stdlib_select
from typing import TextIO

import rawsock

TITLE = "select writes the remaining time back, pselect does not; an fd above FD_SETSIZE"
SEED = "002_438de8620777548f.txt"
HIGH_FD = 1500
EXPECTED = ["0 ready, timeval {0, 0}", "1 ready, time left", "timespec unchanged", f"fd {HIGH_FD} readable",
            "select.select: ValueError"]

SETUP = f"""\
Setup: a socketpair.  select waits 0.2 s on the idle end, then up to 5 s on an end with data; pselect
waits 0.2 s.  Then the readable end is duplicated to fd {HIGH_FD} and given to rawsock's select and to the
standard library's.
"""

EXPLANATION = f"""\
What the kernel did (select(2) NOTES "Linux ... modifies timeout to reflect the amount of time not
slept", pselect(2), select(2) BUGS on FD_SETSIZE):
- select(2) on Linux updates the timeval: after a timeout it reads 0, after an early return the time
  left.  Portable code must reinitialize it before each call.
- POSIX says pselect never modifies its timeout.  The pselect6 syscall does write the time back, but
  glibc passes it a copy: the caller's timespec is unchanged.
- fd_set is a fixed bitmap of FD_SETSIZE (1024) bits; FD_SET({HIGH_FD}, &set) in C writes past it (memory
  corruption).  The kernel takes bitmaps of any size up to nfds, so rawsock sizes them to nfds and fd
  {HIGH_FD} works; the standard library refuses it with ValueError.
"""


def steps(out: TextIO) -> list[str]:
    outcomes: list[str] = []
    a, b = rawsock.socketpair(rawsock.AF_UNIX, rawsock.SOCK_STREAM)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        r = rawsock.select([a], None, None, 0.2)
        outcomes.append(f"{r.nready} ready, timeval {{{r.timeout.sec}, {r.timeout.usec}}}")  # type: ignore[union-attr]
        rawsock.send(b, b"x")
        r = rawsock.select([a], None, None, 5.0)
        outcomes.append(f"{r.nready} ready, time left" if 0 < r.timeout.to_seconds() <= 5 else "?")  # type: ignore[union-attr]
        p = rawsock.pselect([b], None, None, 0.2)
        outcomes.append("timespec unchanged" if p.timeout == rawsock.Timespec(0, 200_000_000) else "changed")
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, HIGH_FD + 1), max(hard, HIGH_FD + 1)))
        high = os.dup2(a, HIGH_FD)
        try:
            r = rawsock.select([high], None, None, 0)
            outcomes.append(f"fd {high} readable" if r.readable == [high] else "not readable")
            try:
                stdlib_select.select([high], [], [], 0)
                outcomes.append("select.select: ok")
            except ValueError:
                outcomes.append("select.select: ValueError")
        finally:
            os.close(high)
    finally:
        rawsock.close(a)
        rawsock.close(b)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    return outcomes
