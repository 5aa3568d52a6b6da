"""buffer-sizes (seed 004): SO_RCVBUF/SO_SNDBUF read back doubled, and the kernel's minimums."""

from __future__ import annotations

from typing import TextIO

import rawsock

TITLE = "SO_RCVBUF and SO_SNDBUF read back doubled; tiny values are raised to the minimum"
SEED = "004_30aebb7a35245579.txt"
EXPECTED = ["SO_RCVBUF doubled", "SO_SNDBUF doubled", "SO_RCVBUF raised to the minimum",
            "SO_SNDBUF raised to the minimum"]

SETUP = """\
Setup: a TCP socket sets SO_RCVBUF and SO_SNDBUF to 16384 and reads them back; then sets both to 1 and
reads them back.
"""

EXPLANATION = """\
What the kernel did (socket(7) SO_RCVBUF, SO_SNDBUF):
- "The kernel doubles this value (to allow space for bookkeeping overhead) when it is set using
  setsockopt(2), and this doubled value is returned by getsockopt(2)."
- "The minimum (doubled) value for this option is 256" for SO_RCVBUF and 2048 for SO_SNDBUF in the man
  page; current kernels compute the minimums from the size of their packet buffers, which is why the
  numbers read back here are larger than those.  Values above rmem_max/wmem_max are capped.
"""


def steps(out: TextIO) -> list[str]:
    outcomes: list[str] = []
    with rawsock.Socket(rawsock.AF_INET, rawsock.SOCK_STREAM) as s:
        for name in ("SO_RCVBUF", "SO_SNDBUF"):
            s.setsockopt(rawsock.SOL_SOCKET, getattr(rawsock, name), 16384)
            got = s.getsockopt(rawsock.SOL_SOCKET, getattr(rawsock, name))
            outcomes.append(f"{name} doubled" if got == 32768 else f"{name} read back {got!r}")
        for name in ("SO_RCVBUF", "SO_SNDBUF"):
            s.setsockopt(rawsock.SOL_SOCKET, getattr(rawsock, name), 1)
            got = s.getsockopt(rawsock.SOL_SOCKET, getattr(rawsock, name))
            print(f"    {name} set to 1 reads back {got!r}", file=out)
            outcomes.append(f"{name} raised to the minimum" if isinstance(got, int) and got > 2 else f"{got!r}")
    return outcomes
