"""byte-order (seed 004): htons/htonl, inet_pton/inet_ntop, and inet_ntoa's static buffer."""

from __future__ import annotations

import sys
from typing import TextIO

import rawsock
from rawsock import ffi, lib

TITLE = "host and network byte order; inet_ntoa's one static buffer, shown through the raw layer"
SEED = "004_30aebb7a35245579.txt"
EXPECTED = [f"{sys.byteorder}-endian host", "network order is big-endian", "1.2.3.4 round trip",
            "10.194.71.60 10.194.71.60"]

SETUP = """\
Setup: no sockets, only libc: htons(0x1234) and htonl(0x12345678) on this machine, inet_pton/inet_ntop
of "1.2.3.4", and the seed's inet_ntoa example through the raw layer: two calls, both results printed
after the second.  (No syscalls: the trace below stays empty.)
"""

EXPLANATION = """\
What libc did (byteorder(3), inet_pton(3), inet(3)):
- Network byte order is big-endian.  On a little-endian host htons swaps the two bytes; on a big-endian
  host it would return its argument unchanged.
- inet_pton/inet_ntop convert between text and the packed, network-order address, for IPv4 and IPv6.
- inet_ntoa returns a pointer to one static buffer that every call overwrites: the seed's two pointers
  are the same pointer, so both print the second address.  (rawsock.inet_ntoa copies the text out at once;
  the raw layer shows the C behaviour.)
"""


def steps(out: TextIO) -> list[str]:
    s16, s32 = rawsock.htons(0x1234), rawsock.htonl(0x12345678)
    print(f"    htons(0x1234) = {s16:#06x}, htonl(0x12345678) = {s32:#010x}", file=out)
    host = "little" if s16 == 0x3412 else "big"
    packed = rawsock.inet_pton(rawsock.AF_INET, "1.2.3.4")
    print(f"    inet_pton(AF_INET, \"1.2.3.4\") = {packed!r}", file=out)
    first = lib.inet_ntoa(ffi.new("struct in_addr *", [rawsock.inet_addr("1.2.3.4")])[0])
    second = lib.inet_ntoa(ffi.new("struct in_addr *", [rawsock.inet_addr("10.194.71.60")])[0])
    value1, value2 = ffi.string(first).decode(), ffi.string(second).decode()
    print(f"    value1 = {value1}, value2 = {value2} (the same pointer: {first == second})", file=out)
    return [f"{host}-endian host",
            "network order is big-endian" if packed[0] == 1 else "?",
            "1.2.3.4 round trip" if rawsock.inet_ntop(rawsock.AF_INET, packed) == "1.2.3.4" else "?",
            f"{value1} {value2}"]
