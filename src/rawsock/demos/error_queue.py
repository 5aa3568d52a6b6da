"""error-queue (seed 002): IP_RECVERR and MSG_ERRQUEUE give a sock_extended_err for a port unreachable."""

from __future__ import annotations

import time
from typing import TextIO

import rawsock

from ._common import errno_of

TITLE = "IP_RECVERR: the ICMP port unreachable as a sock_extended_err on the error queue"
SEED = "002_438de8620777548f.txt"
EXPECTED = ["EAGAIN", "ok", "ECONNREFUSED from ICMP type 3 code 3", "EAGAIN"]

SETUP = """\
Setup: a UDP socket with IP_RECVERR reads its (empty) error queue, sends a datagram to a port on
127.0.0.1 where nothing listens, then reads the error queue with recvmsg(MSG_ERRQUEUE), twice.
"""

EXPLANATION = """\
What the kernel did (ip(7) IP_RECVERR, recvmsg(2) MSG_ERRQUEUE):
- An empty error queue answers MSG_ERRQUEUE with EAGAIN, whatever the socket's blocking mode.
- The datagram reached no socket, so the local stack answered with ICMP destination unreachable, port
  unreachable (type 3, code 3).  With IP_RECVERR the error is queued with details: a sock_extended_err
  with ee_errno ECONNREFUSED, ee_origin SO_EE_ORIGIN_ICMP, the ICMP type and code, and the offender's
  address; the payload and destination of the failed datagram come with it.
- Reading the queue consumes the entry: the second read found it empty again.
"""


def steps(out: TextIO) -> list[str]:
    outcomes: list[str] = []
    with rawsock.Socket(rawsock.AF_INET, rawsock.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        nowhere = probe.getsockname()  # a port that will have no socket once probe is closed
    with rawsock.Socket(rawsock.AF_INET, rawsock.SOCK_DGRAM) as s:
        s.setsockopt(rawsock.IPPROTO_IP, rawsock.IP_RECVERR, 1)
        outcomes.append(errno_of(lambda: s.recvmsg(64, 512, rawsock.MSG_ERRQUEUE)))
        outcomes.append(errno_of(lambda: s.sendto(b"anyone there?", 0, nowhere)))
        time.sleep(0.01)
        msg = s.recvmsg(64, 512, rawsock.MSG_ERRQUEUE)
        err = msg.cmsgs[0]
        assert isinstance(err, rawsock.SockExtendedErr)
        print(f"    {err}", file=out)
        outcomes.append(f"{rawsock.errno_name(err.ee_errno)} from ICMP type {err.ee_type} code {err.ee_code}"
                        if err.ee_origin == rawsock.SO_EE_ORIGIN_ICMP else f"origin {err.ee_origin}")
        outcomes.append(errno_of(lambda: s.recvmsg(64, 512, rawsock.MSG_ERRQUEUE)))
    return outcomes
